"""A reference field's editor: type to search the target record type, pick with ↓/↑ and Enter.

The search runs in the store through ``ledger.query(target, text=...)`` (a record id such as
``person-3`` is looked up directly), a few rows at a time. The chosen records show beside the
input by title; Backspace in the empty input removes the last one.
"""

from __future__ import annotations

import re

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...schema import REFERENCES, Field
from ..actions import bindings, shown_key

RESULTS = 8
ID_RE = re.compile(r"^[a-z][a-z0-9_]*-\d+$")


class PickerInput(Input):
    """The search box; Backspace when it is empty removes the last chosen record."""

    class RemoveLast(Message):
        pass

    def action_delete_left(self) -> None:
        if not self.value:
            self.post_message(self.RemoveLast())
            return
        super().action_delete_left()


class ReferencePicker(Vertical):
    BINDINGS = bindings("picker.next", "picker.prev", "picker.choose", "picker.close")

    class Changed(Message):
        def __init__(self, picker: "ReferencePicker") -> None:
            super().__init__()
            self.picker = picker

    def __init__(self, field: Field, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="reference-picker")
        self.field = field
        self.multiple = field.kind == REFERENCES
        self.chosen: list[str] = []
        self._results: list[str] = []

    def compose(self) -> ComposeResult:
        with Horizontal(classes="picker-line"):
            yield Static(classes="picker-chosen")
            box = PickerInput(placeholder=self.app.session.t("form.ref_hint", next=shown_key(self.app, "picker.next"),
                                                             choose=shown_key(self.app, "picker.choose")),
                              compact=True, classes="picker-input")
            box.cursor_blink = False
            yield box
        menu = OptionList(classes="picker-menu", compact=True)
        menu.can_focus = False
        menu.display = False
        yield menu

    @property
    def input(self) -> PickerInput:
        return self.query_one(PickerInput)

    @property
    def menu(self) -> OptionList:
        return self.query_one(OptionList)

    # -- value -------------------------------------------------------------------------------
    def get_raw(self):
        return list(self.chosen) if self.multiple else (self.chosen[0] if self.chosen else "")

    def set_from(self, value) -> None:
        self.chosen = [v for v in (value if isinstance(value, list) else [value]) if v]
        if self.is_mounted:
            self._show_chosen()

    def on_mount(self) -> None:
        self._show_chosen()

    def focus(self, scroll_visible: bool = True):
        self.input.focus(scroll_visible)
        return self

    def _show_chosen(self) -> None:
        s = self.app.session
        titles = s.titles(self.chosen) if self.chosen else {}
        sep = "、" if s.lang == "zh" else ", "
        parts = [f"{titles.get(i) or i} ({i})" if titles.get(i) else i for i in self.chosen]
        chosen = self.query_one(".picker-chosen", Static)
        chosen.update(Content.styled(sep.join(parts), "bold") if parts else "")
        chosen.display = bool(parts)

    # -- searching -----------------------------------------------------------------------------
    @on(Input.Changed, ".picker-input")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    def search(self, text: str) -> None:
        s = self.app.session
        ledger = s.ledger
        text = text.strip()
        records = []
        if ID_RE.match(text):
            found = ledger.find(text)
            if found is not None and found.type == self.field.target:
                records.append(found)
        if not records:
            records = ledger.query(self.field.target, text=text or None, limit=RESULTS)
        menu = self.menu
        menu.clear_options()
        self._results = [r.id for r in records]
        if records:
            menu.add_options(Option(Content.assemble(s.title(r) or r.id, (f"  {r.id}", "$text-muted")), id=r.id) for r in records)
            menu.highlighted = 0
        else:
            menu.add_option(Option(s.t("form.ref_none", type=s.type_label(self.field.target)), disabled=True))
        menu.display = True

    def action_move(self, delta: int) -> None:
        menu = self.menu
        if not menu.display:
            self.search(self.input.value)
            return
        if not self._results:
            return
        current = menu.highlighted or 0
        menu.highlighted = max(0, min(len(self._results) - 1, current + delta))

    def action_close(self) -> None:
        if not self.menu.display:
            raise SkipAction()
        self.menu.display = False

    @on(Input.Submitted, ".picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        """Take the highlighted match (Enter reaches here through the input's submit; a key the
        keymap gives ``picker.choose`` through the binding)."""
        if self.menu.display and self._results and self.menu.highlighted is not None:
            self.choose(self._results[self.menu.highlighted])

    @on(OptionList.OptionSelected, ".picker-menu")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.choose(event.option.id)

    def choose(self, record_id: str) -> None:
        if self.multiple:
            if record_id not in self.chosen:
                self.chosen.append(record_id)
        else:
            self.chosen = [record_id]
        with self.input.prevent(Input.Changed):
            self.input.value = ""
        self.menu.display = False
        self._show_chosen()
        self.post_message(self.Changed(self))

    @on(PickerInput.RemoveLast)
    def _remove_last(self, event: PickerInput.RemoveLast) -> None:
        event.stop()
        if self.chosen:
            self.chosen.pop()
            self._show_chosen()
            self.post_message(self.Changed(self))

    def on_descendant_blur(self) -> None:
        self.menu.display = False
