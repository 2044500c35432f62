"""The navigation tree: the dashboard, findings and audit log, then each area with its record
types and the screens plugins add there."""

from __future__ import annotations

from dataclasses import dataclass

from textual.widgets import Tree


@dataclass(frozen=True)
class NavTarget:
    kind: str  # view | list | screen
    key: str


class NavTree(Tree[NavTarget]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("duty", id=id)
        self.show_root = False
        self.guide_depth = 2

    def on_mount(self) -> None:
        self.build()
        self.cursor_line = 0
        self.watch(self.app, "lang", lambda *_: self.relabel(), init=False)

    def build(self) -> None:
        s = self.app.session
        self.clear()
        root = self.root
        for view in ("dashboard", "findings", "audit"):
            root.add_leaf(s.t(f"nav.{view}"), NavTarget("view", view))
        screens = self.app.plugin_screens()
        areas = [area for area, _ in s.types_by_area()]
        areas += [spec.area for spec in screens if spec.area not in areas]
        by_area = dict(s.types_by_area())
        for area in areas:
            node = root.add(s.area_label(area), NavTarget("area", area), expand=True)
            for rt in by_area.get(area, []):
                node.add_leaf(s.type_label(rt), NavTarget("list", rt.name))
            for spec in screens:
                if spec.area == area:
                    node.add_leaf(s.r(spec.label), NavTarget("screen", spec.id))

    def relabel(self) -> None:
        s = self.app.session
        specs = {spec.id: spec for spec in self.app.plugin_screens()}

        def walk(node) -> None:
            for child in node.children:
                target = child.data
                if target is None:
                    continue
                if target.kind == "view":
                    child.set_label(s.t(f"nav.{target.key}"))
                elif target.kind == "area":
                    child.set_label(s.area_label(target.key))
                elif target.kind == "list":
                    child.set_label(s.type_label(target.key))
                elif target.kind == "screen" and target.key in specs:
                    child.set_label(s.r(specs[target.key].label))
                walk(child)

        walk(self.root)

    def select_target(self, kind: str, key: str) -> None:
        """Move the cursor to the entry for a view, list or screen (without opening it)."""
        def walk(node):
            for child in node.children:
                if child.data == NavTarget(kind, key):
                    return child
                found = walk(child)
                if found is not None:
                    return found
            return None

        node = walk(self.root)
        if node is not None:
            self.move_cursor(node)
