"""The footer: the keys that apply now, described in the operator's language.

Textual's Footer shows a binding's fixed description; this bar looks the label up by binding id
in the action registry, so switching language relabels it, and it fits on one line at 80
columns by dropping what does not fit rather than scrolling.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from ..actions import label


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar { height: 1; dock: bottom; }
    """

    COMPONENT_CLASSES = {"keybar--key", "keybar--label"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.watch(self.app, "lang", lambda *_: self.refresh(), init=False)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        self.refresh()

    def entries(self) -> list[tuple[str, str]]:
        lang = self.app.lang
        seen: set[str] = set()
        out = []
        for _key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append((self.app.get_key_display(binding), label(binding.id, binding.description, lang)))
        return out

    def render(self) -> Content:
        key_style = self.get_visual_style("keybar--key")
        label_style = self.get_visual_style("keybar--label")
        parts: list[tuple[str, object]] = []
        used, width = 0, self.size.width
        for key, text in self.entries():
            piece = cell_len(key) + cell_len(text) + 3
            if used + piece > width:
                break
            parts += [(f" {key} ", key_style), (f"{text} ", label_style)]
            used += piece
        return Content.assemble(*parts)
