"""The shape the built-in plugins' screens share (Textual; imported by a screen's module, which a
plugin imports only when the operator opens the screen).

A title, a line or two about what is shown, a list whose options name records (Enter opens the
record), and a line of keys; ``r`` reads the list again, Esc goes back, and the list is read
again when the operator comes back to it or changes the app's language or year.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..i18n import L


class RecordListScreen(Screen[None]):
    """Subclasses give ``TEXT`` (their messages), ``load()`` (read from the ledger) and ``show()``
    (fill the widgets; ``refill`` puts options in the list), and may override ``open_option``."""

    TEXT: ClassVar[dict[str, L]] = {}
    FOLLOWS: ClassVar[tuple[str, ...]] = ("lang", "year")  # the app's attributes whose change reloads
    BINDINGS = [
        Binding("escape", "back", "Back", show=False),
        Binding("r", "reload", "Refresh", show=False),
    ]

    def __init__(self, ui) -> None:
        super().__init__()
        self.ui = ui
        self.loaded = False

    def on_mount(self) -> None:
        for name in self.FOLLOWS:  # where the app has them
            if hasattr(self.app, name):
                self.watch(self.app, name, lambda *_: self.app_changed(), init=False)
        self.action_reload()
        self.query_one(OptionList).focus()

    def app_changed(self) -> None:
        self.action_reload()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.action_reload()

    def t(self, key: str, **kwargs: Any) -> str:
        text = self.TEXT[key]
        return (text.format(**kwargs) if kwargs else text).render(self.ui.lang)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()
        self.loaded = True
        self.show()

    def load(self) -> None:
        raise NotImplementedError

    def show(self) -> None:
        raise NotImplementedError

    def refill(self, options: list[Option]) -> None:
        """Put ``options`` in the list, keeping the highlight where it was if that option can
        still be chosen, else on the first that can."""
        widget = self.query_one(OptionList)
        highlighted = widget.highlighted
        widget.clear_options()
        widget.add_options(options)
        selectable = [i for i in range(widget.option_count) if not widget.get_option_at_index(i).disabled]
        if selectable:
            widget.highlighted = highlighted if highlighted in selectable else selectable[0]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # Textual calls this handler of every class in the MRO: subclasses override open_option
        event.stop()
        if event.option.id:
            self.open_option(event.option.id)

    def open_option(self, option_id: str) -> None:
        """Enter on an option: open the record it names."""
        self.ui.open_record(option_id)
