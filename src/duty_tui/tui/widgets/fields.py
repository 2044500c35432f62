"""One editor per field kind, each with the same two methods: ``get_raw()`` (what goes to the
ledger, spelled as a person would type it on the command line) and ``set_from(value)`` (a typed
value from a record). The ledger does all checking on save, so every error comes back at once.

A one-line editor (text, number, date) also checks its own field as it is typed, with the
field's own coercion (no store round trip): an error under it clears the moment the value is
right, and a value that typing more cannot mend ("三小时" in a number, "2026-02-30") is told at
once; one still being typed ("2026/3") is told when the field is left. Nothing typed is dropped:
the editors restrict no characters, the field says what is wrong instead."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from textual.css.query import NoMatches
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList, Static, TextArea

from ...dates import DateProblem, normalise, parse_date
from ...i18n import L
from ...schema import (BOOL, CHOICE, DATE, INTEGER, LONG_TEXT, MULTI_CHOICE, NUMBER, REFERENCE, REFERENCES, Field,
                       FieldProblem)
from ...present.display import input_text
from ..actions import bindings
from .reference_picker import ReferencePicker

# what a number may look like while it is still being typed ("-", "1.", "2e")
_NUMBER_SO_FAR = re.compile(r"[-+]?[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]*)?")
_INTEGER_SO_FAR = re.compile(r"[-+]?[0-9]*")
# the characters of a date in any form the parser reads (duty_tui.dates), after normalising
_DATE_CHARS = re.compile(r"[0-9\s\-/.年月日号]*")


class FieldChecked(Message):
    """An editor checked its field as it was typed; ``problem`` is shown under it, or None."""

    def __init__(self, name: str, problem: L | None) -> None:
        super().__init__()
        self.name, self.problem = name, problem


class TextEditor(Input):
    field: Field | None = None  # set by make_editor: the field this editor checks as it is typed

    def get_raw(self) -> str:
        return self.value

    def set_from(self, value: Any) -> None:
        self.value = input_text(value)

    # -- checking as typed ------------------------------------------------------------------------
    def problem(self) -> tuple[L | None, bool]:
        """(what is wrong with the value now, whether more typing could mend it). Empty is not a
        problem here: "required" is the ledger's to say on save."""
        if self.field is None or not self.value.strip():
            return None, False
        try:
            self.field.coerce(self.get_raw())
        except FieldProblem as exc:
            return exc.reason, False
        return None, False

    def check(self, *, changed: bool = False) -> None:
        """Show what is wrong under the field. As the value changes (``changed``), an error
        shown clears the moment the value is right and otherwise follows the text, and a new
        problem is shown at once unless more typing could mend it. Otherwise (leaving the field,
        F2) every problem is shown, and an error the ledger gave on save (one about several
        fields) stays until the value changes."""
        name = self.field.name if self.field is not None else None
        if name is None or not self.is_mounted:
            return
        try:  # the form's place for this field's error (a form without one shows the ledger's on save)
            message = self.screen.query_one(f"#error-{name}", Static)
        except NoMatches:
            return
        problem, mendable = self.problem()
        shown = bool(message.display)
        if problem is None and not (changed and shown):
            return
        if problem is not None and mendable and changed and not shown:
            return
        message.update(self.app.session.r(problem) if problem is not None else "")
        message.display = problem is not None
        for row in self.screen.query(f"#row-{name}"):
            row.set_class(problem is not None, "-invalid")
        self.post_message(FieldChecked(name, problem))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self:
            self.check(changed=True)

    def on_blur(self, event) -> None:
        self.check()

    def on_mount(self) -> None:
        # an error this editor shows follows F2 into the other language
        self.watch(self.app, "lang", lambda *_: self.check(), init=False)

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
    """A yes/no box that shows its state by glyph, "[x]" or "[ ]", not by the colour of an X
    alone (unreadable with NO_COLOR, at 16 colours, and to a colour-blind clerk). ASCII, so a
    CJK terminal that draws ☑ two cells wide does not shift the form."""

    @property
    def _button(self) -> "Content":
        from textual.content import Content
        from textual.style import Style as TextStyle

        style = self.get_visual_style("toggle--label")
        return Content.assemble(("[", style), ("x" if self.value else " ", style + TextStyle(bold=True)), ("]", style))

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
    """Choices ticked "[x]" or not "[ ]", as the yes/no box: Textual draws ▐X▌ for both and
    tells them apart by colour alone."""

    def render_line(self, y: int):
        from rich.segment import Segment
        from rich.style import Style
        from textual.strip import Strip
        from textual.widgets._toggle_button import ToggleButton

        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 4 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        selection = self.get_option_at_index(self.scroll_offset.y + y)
        base = segments[3].style
        mark = "x" if selection.value in self._selected else " "
        return Strip([Segment("[", base), Segment(mark, (base or Style()) + Style(bold=True)), Segment("]", base), *segments[3:]],
                     strip.cell_length)

    def get_raw(self) -> list[str]:
        return list(self.selected)

    def set_from(self, value: Any) -> None:
        self.deselect_all()
        for v in value or []:
            self.select(v)


class ReferenceEditor(ReferencePicker):
    pass


class NumberEditor(TextEditor):
    """An integer or a number: anything may be typed (full-width digits are read as digits);
    words such as "三小时" are kept and told at once, "1." or "-" only when the field is left."""

    def problem(self) -> tuple[L | None, bool]:
        problem, _ = super().problem()
        so_far = _INTEGER_SO_FAR if self.field is not None and self.field.kind == INTEGER else _NUMBER_SO_FAR
        return problem, problem is not None and bool(so_far.fullmatch(unicodedata.normalize("NFKC", self.value).strip()))


class DateEditor(TextEditor):
    """A date in any form clerks type (duty_tui.dates): 2026-03-01, 2026/3/1, 2026.3.1, 20260301,
    3月1日 (this year), 2026年3月1日, full-width digits; what it names goes to the ledger as
    2026-03-01. Keys for today and the day before or after (shown in the key bar while here)."""

    BINDINGS = bindings("form.today", "form.day_next", "form.day_prev")

    def today(self) -> dt.date:
        return self.app.session.today

    def parsed(self) -> dt.date:
        return parse_date(self.value, today=self.today())

    def get_raw(self) -> str:
        # 3月1日 is this year's: read here, where the operator's today is known, and sent as ISO
        try:
            return self.parsed().isoformat()
        except DateProblem:
            return self.value

    def problem(self) -> tuple[L | None, bool]:
        if self.field is None or not self.value.strip():
            return None, False
        try:
            self.parsed()
        except DateProblem as exc:  # "2026/3" may yet be a date; "2026-13" or "明天" may not
            return exc.reason, not exc.readable and bool(_DATE_CHARS.fullmatch(normalise(self.value)))
        return super().problem()

    def _set_day(self, day: dt.date) -> None:
        self.value = day.isoformat()
        self.cursor_position = len(self.value)

    def action_today(self) -> None:
        self._set_day(self.today())

    def action_day(self, step: int) -> None:
        """The day after (``step`` 1) or before (-1) the one typed; from today when empty. A
        value that is not a date is left as typed, its error shown."""
        if not self.value.strip():
            self._set_day(self.today() + dt.timedelta(days=step))
            return
        try:
            day = self.parsed() + dt.timedelta(days=step)
        except (DateProblem, OverflowError):
            self.check()
            return
        self._set_day(day)


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
    # no ``restrict`` on any kind: a character the field cannot take is kept and told, never dropped
    cls: type[TextEditor] = TextEditor
    kwargs: dict[str, Any] = {}
    if field.kind == DATE:
        cls, kwargs = DateEditor, {"max_length": 24}
        placeholder = placeholder or session.t("form.date_hint")
    elif field.kind in (INTEGER, NUMBER):
        cls, kwargs = NumberEditor, {"max_length": 40}
    else:
        kwargs = {"max_length": field.max_length}
    editor = cls(input_text(value), placeholder=placeholder, id=wid, compact=True, select_on_focus=False, **kwargs)
    editor.field = field
    editor.cursor_blink = False
    return editor


def mark_current_row(screen, focused) -> None:
    """The form row holding ``focused`` reads in bold (its .-current class), no other: a
    :focus-within rule is not re-applied when the focus moves between the rows of a form."""
    row = next((w for w in focused.ancestors_with_self if w.has_class("form-row")), None)
    for other in screen.query(".form-row.-current"):
        if other is not row:
            other.remove_class("-current")
    if row is not None:
        row.add_class("-current")
