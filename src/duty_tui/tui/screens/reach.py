"""Enter on a finding (dashboard, findings view): the record it names, or the form of the record
that would put it right, prefilled (``Finding.fix``: a missing appraisal → a new appraisal for
that person and year)."""

from __future__ import annotations

from typing import Any, Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...ledger import Record
from ...present.display import show_value
from ...rules import Finding, Fix
from ...schema import REFERENCE, REFERENCES
from . import record_actions
from .dialogs import PickRecordScreen

FIX = "fix"  # the option that opens the prefilled form (a record id always has a dash)

Done = Callable[[Record | None], None]


def reach(app, finding: Finding, done: Done | None = None) -> None:
    """A finding that says which new record would put it right opens that record's form,
    prefilled: at once when the finding names no record, else as the first choice above the
    records it names. Any other finding opens its records (``app.open_records``). ``done`` gets
    the record saved from the form (None when it was left)."""
    fix = finding.fix
    rt = app.session.registry.types.get(fix.record_type) if fix is not None else None
    if rt is None:
        app.open_records(list(finding.records))
        return
    if not finding.records:
        open_fix(app, fix, done)
        return

    def picked(choice: str | None) -> None:
        if choice == FIX:
            open_fix(app, fix, done)
        elif choice:
            app.open_record(choice)

    app.push_screen(FixOrRecordScreen(fix, list(finding.records)), picked)


def fix_values(session, fix: Fix) -> dict[str, Any]:
    """The values of ``fix`` that its record type has fields for."""
    rt = session.registry.types[fix.record_type]
    return {k: v for k, v in fix.values.items() if rt.has_field(k)}


def fix_label(session, fix: Fix) -> Content:
    """“+ New Appraisal  Person 黄志军 · Year 2025”: the record and what is filled in."""
    rt = session.registry.types[fix.record_type]
    values = {k: v for k, v in fix_values(session, fix).items() if v not in (None, "", [])}
    ids = [i for k, v in values.items() if rt.field(k).kind in (REFERENCE, REFERENCES)
           for i in (v if isinstance(v, list) else [v]) if i]
    titles = session.titles(ids) if ids else {}
    shown = " · ".join(f"{session.r(rt.field(k).label)} {show_value(rt.field(k), v, session.lang, titles)}" for k, v in values.items())
    return Content.assemble((session.t("finding.fix", type=session.type_label(rt)), "bold"), (f"  {shown}" if shown else "", "$text-muted"))


def open_fix(app, fix: Fix, done: Done | None = None) -> None:
    """The new-record form of ``fix``'s type with its values filled in (saved only by the
    person, as any new record), the focus on the first field left empty."""
    from .record_form import RecordFormScreen

    if not record_actions.allowed(app, "create"):
        return
    s = app.session
    rt = s.registry.types[fix.record_type]
    values = fix_values(s, fix)

    def saved(record: Record | None) -> None:
        if record is not None:
            app.notify(s.t("form.created", id=record.id))
            record_actions.show_warnings(app, record)
        if done is not None:
            done(record)

    form = RecordFormScreen(rt, draft=values)
    app.push_screen(form, saved)
    first_empty = next((f.name for f in rt.fields if f.name not in values), None)

    def focus_first_empty() -> None:
        if first_empty is not None and form.is_attached and form.query(f"#field-{first_empty}"):
            form.set_focus(form.editor(first_empty))

    form.call_after_refresh(focus_first_empty)


class FixOrRecordScreen(PickRecordScreen):
    """A finding with records and a fix: the new record first, then the records."""

    def __init__(self, fix: Fix, record_ids: list[str]) -> None:
        super().__init__("", record_ids)
        self.fix = fix

    def compose(self) -> ComposeResult:
        s = self.app.session
        titles = s.titles(self.record_ids)
        with Vertical(classes="dialog"):
            yield Static(s.t("finding.pick_fix", n=len(self.record_ids)), classes="dialog-title")
            yield OptionList(Option(fix_label(s, self.fix), id=FIX),
                             *[Option(Content.assemble(titles.get(i) or i, (f"  {i}", "$text-muted")), id=i) for i in self.record_ids],
                             compact=True, classes="dialog-list")
