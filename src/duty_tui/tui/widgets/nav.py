"""The navigation tree: the dashboard, findings and audit log, then each area with its record
types and the screens plugins add there."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.widgets import Tree

from ...present.display import clip

GUIDE = 2  # cells before a label: "▼ " for an area, "├ " for a list or screen


def nav_label(full: str, short: str | None, width: int) -> str:
    """The full label where it fits, else the short one a type or screen declares (whole words,
    distinct in its area), else the label cut with "…" so a cut never passes for a whole word."""
    if width <= 0 or cell_len(full) <= width:
        return full
    if short and cell_len(short) <= width:
        return short
    return clip(short or full, width)


@dataclass(frozen=True)
class NavTarget:
    kind: str  # view | list | screen
    key: str


class NavTree(Tree[NavTarget]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("duty", id=id)
        self.show_root = False
        self.guide_depth = 2
        self._width = 0

    def on_mount(self) -> None:
        self.build()
        self.cursor_line = 0
        self.watch(self.app, "lang", lambda *_: self.relabel(), init=False)

    @property
    def label_width(self) -> int:
        """Cells a label may take: the tree's width less its border, its scrollbar (counted
        whether it shows or not, so labels do not change as the tree scrolls) and the guide."""
        width = self.content_region.width
        if not width:
            return 0
        return width - int(self.styles.scrollbar_size_vertical) - GUIDE

    def on_resize(self) -> None:
        if self.label_width != self._width:
            self.relabel()

    def _type_label(self, rt) -> str:
        s = self.app.session
        rt = s.registry.types.get(rt) if isinstance(rt, str) else rt
        if rt is None:
            return ""
        return nav_label(s.type_label(rt), s.r(rt.short_label) if rt.short_label else None, self.label_width)

    def _screen_label(self, spec) -> str:
        s = self.app.session
        return nav_label(s.r(spec.label), s.r(spec.short_label) if spec.short_label else None, self.label_width)

    def _area_label(self, area: str) -> str:
        return nav_label(self.app.session.area_label(area), None, self.label_width)

    def build(self) -> None:
        s = self.app.session
        self._width = self.label_width
        self.clear()
        root = self.root
        for view in ("dashboard", "findings", "audit"):
            root.add_leaf(nav_label(s.t(f"nav.{view}"), None, self.label_width + GUIDE), NavTarget("view", view))
        screens = self.app.plugin_screens()
        areas = [area for area, _ in s.types_by_area()]
        areas += [spec.area for spec in screens if spec.area not in areas]
        by_area = dict(s.types_by_area())
        for area in areas:
            node = root.add(self._area_label(area), NavTarget("area", area), expand=True)
            for rt in by_area.get(area, []):
                node.add_leaf(self._type_label(rt), NavTarget("list", rt.name))
            for spec in screens:
                if spec.area == area:
                    node.add_leaf(self._screen_label(spec), NavTarget("screen", spec.id))

    def relabel(self) -> None:
        s = self.app.session
        specs = {spec.id: spec for spec in self.app.plugin_screens()}
        self._width = self.label_width

        def walk(node) -> None:
            for child in node.children:
                target = child.data
                if target is None:
                    continue
                if target.kind == "view":
                    child.set_label(nav_label(s.t(f"nav.{target.key}"), None, self.label_width + GUIDE))
                elif target.kind == "area":
                    child.set_label(self._area_label(target.key))
                elif target.kind == "list":
                    child.set_label(self._type_label(target.key))
                elif target.kind == "screen" and target.key in specs:
                    child.set_label(self._screen_label(specs[target.key]))
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
