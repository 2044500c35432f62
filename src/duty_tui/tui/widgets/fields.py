"""One editor per field kind, each with the same two methods: ``get_raw()`` (what goes to the
ledger, spelled as a person would type it on the command line) and ``set_from(value)`` (a typed
value from a record). The ledger does all checking, so every error comes back at once."""

from __future__ import annotations

from typing import Any

from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

from ...schema import (BOOL, CHOICE, DATE, INTEGER, LONG_TEXT, MULTI_CHOICE, NUMBER, REFERENCE, REFERENCES, Field)
from ...present.display import input_text
from .reference_picker import ReferencePicker


class TextEditor(Input):
    def get_raw(self) -> str:
        return self.value

    def set_from(self, value: Any) -> None:
        self.value = input_text(value)

    def _on_paste(self, event) -> None:  # several lines, too long, control characters: told (tui/paste.py)
        from ..paste import paste_one_line

        event.stop()
        event.prevent_default()  # Input's own handler would paste the first line only
        if event.text:
            paste_one_line(self, event.text)


class LongTextEditor(TextArea):
    def get_raw(self) -> str:
        return self.text

    def set_from(self, value: Any) -> None:
        self.load_text("" if value in (None, "") else str(value))

    def _on_paste(self, event) -> None:  # control characters removed, with a warning (tui/paste.py);
        from ..paste import clean_long_text  # TextArea's own handler, called next, inserts the rest

        event.text = clean_long_text(self, event.text)


class BoolEditor(Checkbox):
    def get_raw(self) -> bool:
        return bool(self.value)

    def set_from(self, value: Any) -> None:
        self.value = bool(value)


class ChoiceEditor(Select):
    def get_raw(self) -> str:
        value = self.value
        return "" if value is Select.NULL or value is None else str(value)

    def set_from(self, value: Any) -> None:
        if value in (None, ""):
            if self._allow_blank:
                self.clear()
        else:
            self.value = value


class MultiChoiceEditor(SelectionList):
    def get_raw(self) -> list[str]:
        return list(self.selected)

    def set_from(self, value: Any) -> None:
        self.deselect_all()
        for v in value or []:
            self.select(v)


class ReferenceEditor(ReferencePicker):
    pass


def make_editor(field: Field, value: Any, lang: str, session) -> Widget:
    """The editor for a field, holding ``value``; its id is ``field-<name>``."""
    wid = f"field-{field.name}"
    placeholder = session.r(field.help) if field.help else ""
    if field.kind == LONG_TEXT:
        editor: Widget = LongTextEditor("" if value in (None, "") else str(value), id=wid, soft_wrap=True,
                                        show_line_numbers=False, compact=True, tab_behavior="focus")
        editor.cursor_blink = False
        return editor
    if field.kind == BOOL:
        return BoolEditor("", bool(value), id=wid, compact=True)
    if field.kind == CHOICE:
        options = [(c.label.render(lang), c.value) for c in field.choices]
        empty = value in (None, "")
        # A required choice still starts blank when it has no value: the person chooses, and
        # the ledger says "required" if they do not, rather than the first option slipping in.
        return ChoiceEditor(options, prompt=session.t("form.choice_blank"), allow_blank=empty or not field.required,
                            value=Select.NULL if empty else value, id=wid, compact=True)
    if field.kind == MULTI_CHOICE:
        chosen = set(value or [])
        return MultiChoiceEditor(*[(c.label.render(lang), c.value, c.value in chosen) for c in field.choices], id=wid, compact=True)
    if field.kind in (REFERENCE, REFERENCES):
        picker = ReferenceEditor(field, id=wid)
        picker.set_from(value)
        return picker
    kwargs: dict[str, Any] = {}
    if field.kind == DATE:
        kwargs = {"restrict": r"[0-9-]*", "max_length": 10}
        placeholder = placeholder or session.t("form.date_hint")
    elif field.kind == INTEGER:
        kwargs = {"restrict": r"[-+]?[0-9]*"}
    elif field.kind == NUMBER:
        kwargs = {"restrict": r"[-+]?[0-9]*\.?[0-9]*"}
    else:
        kwargs = {"max_length": field.max_length}
    editor = TextEditor(input_text(value), placeholder=placeholder, id=wid, compact=True, select_on_focus=False, **kwargs)
    editor.cursor_blink = False
    return editor
