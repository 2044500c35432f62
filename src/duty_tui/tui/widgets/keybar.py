"""The footer: the keys that apply now, described in the operator's language.

Textual's Footer shows a binding's fixed description; this bar looks the label up by binding id
in the action registry, so switching language relabels it, and it fits on one line at 80
columns by dropping what does not fit rather than scrolling; what is dropped is never the help
key (F1 lists every key), which then ends the line.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len
from textual.binding import BindingsMap
from textual.content import Content
from textual.widget import Widget

from ..actions import find, label

HELP = "app.help"


@lru_cache(maxsize=None)
def declared_order(cls: type) -> dict[str, int]:
    """The keys a Textual class binds, in the order Textual merges its classes' BINDINGS (the
    order a key bar lists them in before any keymap moves one)."""
    order: dict[str, int] = {}
    for base in reversed(cls.__mro__):
        for key in BindingsMap(base.__dict__.get("BINDINGS", [])).key_to_bindings:
            order.setdefault(key, len(order))
    return order


class KeyBar(Widget):
    """``also``: ids of actions to show although their binding is hidden (``show=False``), after
    the screen's own keys and before the app's (a plugin screen that follows the year shows
    ``[`` and ``]``)."""

    DEFAULT_CSS = """
    KeyBar { height: 1; dock: bottom; }
    """

    COMPONENT_CLASSES = {"keybar--key", "keybar--label", "keybar--said"}

    def __init__(self, *, also: tuple[str, ...] = (), id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.also = tuple(also)
        self._shown: list[tuple[str, str]] | None = None  # the entries last drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.watch(self.app, "lang", lambda *_: self.refresh(), init=False)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        # Textual refreshes bindings twice per focus move (at once and after the next frame):
        # redraw only when the keys to show differ from those drawn, else each costs a frame
        if self.entries() != self._shown:
            self.refresh()

    def entries(self) -> list[tuple[str, str]]:
        lang = self.app.lang
        seen: set[str] = set()
        groups: tuple[list, list, list] = ([], [], [])  # the screen's (and its widgets'), ``also``, the app's
        for _key, active in self.screen.active_bindings.items():
            binding = active.binding
            wanted = binding.id in self.also
            if not (binding.show or wanted) or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            # the focused widget's keys first, then its containers' out to the screen's (the order
            # Textual looks keys up in); each node's in the order it declares them, whatever key
            # the keymap moved a binding to
            action = find(binding.id)
            original = (action.key if action else binding.key).split(",")[0].strip()
            place = (-len(active.node.ancestors_with_self), declared_order(type(active.node)).get(original, 999))
            entry = (self.app.get_key_display(binding), label(binding.id, binding.description, lang))
            groups[1 if wanted else 2 if active.node is self.app else 0].append((place, entry))
            if binding.id == HELP:
                self._help = entry
        return [entry for group in groups for _, entry in sorted(group, key=lambda item: item[0])]

    _help: tuple[str, str] | None = None

    def said(self) -> str:
        """The app's notice of the moment (``DutyApp.notify``), as drawn before the keys: marked
        by a glyph as well as by colour, and cut with "…" to leave room for the help key."""
        saying = getattr(self.app, "saying", None)
        text = saying() if saying else None
        if not text:
            return ""
        room = max(self.size.width - 12, 8)
        shown = f" ✓ {text} "
        if cell_len(shown) > room:
            while cell_len(shown) > room - 2:
                shown = shown[:-1]
            shown += "… "
        return shown

    def render(self) -> Content:
        key_style = self.get_visual_style("keybar--key")
        label_style = self.get_visual_style("keybar--label")
        self._help = None
        entries = self.entries()
        self._shown = list(entries)
        said = self.said()
        width = room = self.size.width - cell_len(said)

        def piece(entry: tuple[str, str]) -> int:
            return cell_len(entry[0]) + cell_len(entry[1]) + 3

        if sum(piece(e) for e in entries) > width and self._help in entries:
            entries.remove(self._help)  # keep room for the help key at the end
            width -= piece(self._help)
            shown = []
            for entry in entries:
                if sum(piece(e) for e in shown) + piece(entry) > width:
                    break
                shown.append(entry)
            entries = shown + [self._help]
        parts: list[tuple[str, object]] = [(said, self.get_visual_style("keybar--said"))] if said else []
        used = 0
        for key, text in entries:
            if used + piece((key, text)) > room:
                break
            parts += [(f" {key} ", key_style), (f"{text} ", label_style)]
            used += piece((key, text))
        return Content.assemble(*parts)
