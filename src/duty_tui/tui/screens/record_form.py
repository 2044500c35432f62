"""The record form, generated from the record type: the right editor for each field kind, in the
order the type declares its fields (that is the Tab order), required fields marked. Ctrl+S
saves; the ledger checks everything and every problem is shown beside its field at once.
Leaving with changes (Escape here; Ctrl+Q or another screen through the app) asks: save, discard
or keep as a draft (tui/drafts.py); a conflicting save is explained, with a choice to reload."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from ...errors import Conflict, DutyError, FieldError, ValidationError
from ...ledger import Record
from ...schema import RecordType, Transition
from ..actions import bindings, shown_key
from ..widgets.fields import make_editor, mark_current_row
from ..widgets.header import HeaderBar
from ..widgets.keybar import KeyBar
from .styled_once import StyledOnce


class RecordFormScreen(StyledOnce, Screen[Record | None]):
    CSS_PATH = "../styles/form.tcss"
    BINDINGS = bindings("form.save", "form.cancel")

    # Textual's Screen.focused repaints the whole screen whenever the focus moves: on a form that
    # is a full frame (every row re-rendered, ~7 KB to the terminal) for each Tab, where only the
    # field left, the field entered and the key bar change, and those repaint themselves (their
    # :focus styles, their own Focus/Blur refresh). Same reactive, same watcher, no repaint.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, record_type: RecordType, record: Record | None = None, *, transition: Transition | None = None,
                 draft: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.rt, self.record, self.transition = record_type, record, transition
        self.draft = dict(draft or {})  # values restored from a draft (tui/drafts.py), unsaved
        self.draft_file = None  # that draft's file: it stays until the form is saved or discarded
        self.saved_record: Record | None = None  # what "save" on leaving wrote
        self.initial: dict[str, Any] = {}
        self.saves = 0

    # -- building -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        s = self.app.session
        # The first field has the focus from the start (Textual sets it as the screen is
        # composed); Textual's own choice would be the form's body, focusable as it scrolls, and
        # moving the focus on from it would restyle every row twice (issue 14)
        first = f"#field-{self.rt.fields[0].name}"
        self.AUTO_FOCUS = f"{first}, {first} *"
        yield HeaderBar(classes="header")
        yield Static(self._title(), id="form-title")
        errors = Static(id="form-errors")
        errors.display = False
        yield errors
        with VerticalScroll(id="form-body"):
            for f in self.rt.fields:
                value = self.record.data.get(f.name) if self.record is not None else f.initial()
                with Horizontal(classes="form-row", id=f"row-{f.name}"):
                    yield Static(self._label(f), classes="form-label", id=f"label-{f.name}")
                    with Vertical(classes="form-cell"):
                        yield make_editor(f, value, s.lang, s)
                        error = Static(classes="form-error", id=f"error-{f.name}")
                        error.display = False
                        yield error
        yield Static(Content.styled(s.t("form.required"), "$text-muted"), id="form-hint")
        yield KeyBar()

    def _title(self) -> str:
        s = self.app.session
        label = s.type_label(self.rt)
        if self.record is None:
            return s.t("form.new", type=label)
        if self.transition is not None:
            return s.t("form.transition", action=s.r(self.transition.label), type=label, id=self.record.id,
                       save=shown_key(self.app, "form.save"))
        return s.t("form.edit", type=label, id=self.record.id, version=self.record.version)

    def _label(self, f) -> Content:
        text = Content(self.app.session.r(f.label))
        # reverse: with NO_COLOR (or a monochrome terminal) the mark is a block, not a thin star
        return Content.assemble(text, " ", ("*", "bold reverse $error")) if f.required else text

    def on_mount(self) -> None:
        self.initial = self.raws()
        for name, value in self.draft.items():
            if self.rt.has_field(name):
                self.editor(name).set_from(value)
        first = self.editor(self.rt.fields[0].name)
        first.focus()
        self.watch(self.app, "lang", lambda *_: self.relabel(), init=False)

    def relabel(self) -> None:
        from ..widgets.fields import ChoiceEditor

        s = self.app.session
        self.query_one("#form-title", Static).update(self._title())
        self.query_one("#form-hint", Static).update(Content.styled(s.t("form.required"), "$text-muted"))
        for f in self.rt.fields:
            self.query_one(f"#label-{f.name}", Static).update(self._label(f))
            editor = self.editor(f.name)
            if isinstance(editor, ChoiceEditor):
                value = editor.value
                editor.set_options([(c.label.render(s.lang), c.value) for c in f.choices])
                if value is not editor.NULL:
                    editor.value = value

    def editor(self, name: str):
        return self.query_one(f"#field-{name}")

    def raws(self) -> dict[str, Any]:
        return {f.name: self.editor(f.name).get_raw() for f in self.rt.fields}

    @property
    def dirty(self) -> bool:
        return self.raws() != self.initial

    @property
    def unsaved(self) -> bool:
        """Something would be lost by closing: changes, or a restored draft not yet settled."""
        return self.draft_file is not None or self.dirty

    # -- saving ----------------------------------------------------------------------------------
    def action_save(self) -> None:
        record = self.write()
        if record is not None:
            self.dismiss(record)

    def write(self) -> Record | None:
        """Save through the ledger: the record written (or, with nothing changed, the record as
        it is), or None when refused, the problems shown on the form."""
        s = self.app.session
        ledger = s.ledger
        raws = self.raws()
        self.saves += 1
        try:
            if self.record is None:
                record = ledger.create(self.rt.name, raws)
            else:
                changes = {k: v for k, v in raws.items() if v != self.initial.get(k)}
                if self.transition is not None:
                    record = ledger.transition(self.record.id, self.transition.name, expected_version=self.record.version,
                                               values=changes)
                elif not changes:
                    self.app.notify(s.t("form.unchanged"), timeout=3)
                    self._settled()
                    return self.record
                else:
                    record = ledger.update(self.record.id, changes, expected_version=self.record.version)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return None
        except Conflict as exc:
            self.explain_conflict(exc)
            return None
        except DutyError as exc:
            self.show_errors([], general=[exc.render(s.lang)])
            return None
        s.forget_titles()
        self._settled()
        return record

    def show_errors(self, errors: list[FieldError], general: list[str] | None = None) -> None:
        """Every problem beside its field at once; the first gets the focus. Problems not about
        one field (a workflow guard, a permission) go above the form."""
        s = self.app.session
        general = list(general or [])
        by_field: dict[str, list[str]] = {}
        for e in errors:
            if self.rt.has_field(e.field):
                by_field.setdefault(e.field, []).append(s.r(e.reason))
            else:
                general.append(s.r(e.reason) if e.field in ("state", "id") else f"{e.field}: {s.r(e.reason)}")
        first = None
        for f in self.rt.fields:
            row = self.query_one(f"#row-{f.name}")
            message = self.query_one(f"#error-{f.name}", Static)
            reasons = by_field.get(f.name)
            row.set_class(bool(reasons), "-invalid")
            message.update("\n".join(reasons or []))
            message.display = bool(reasons)
            if reasons and first is None:
                first = f.name
        summary = self.query_one("#form-errors", Static)
        lines = []
        if errors:
            lines.append(s.t("form.errors", n=len(errors)))
        lines += general
        summary.update("\n".join(lines))
        summary.display = bool(lines)
        self.general_problems = general
        if first is not None:
            editor = self.editor(first)
            editor.focus()
            self.query_one("#form-body").scroll_to_widget(self.query_one(f"#row-{first}"), animate=False)

    def on_descendant_focus(self, event) -> None:
        mark_current_row(self, event.widget)

    def on_field_checked(self, event) -> None:
        """A field checked as typed (widgets/fields.py): the count above the form follows the
        errors still shown, and goes when none is left."""
        summary = self.query_one("#form-errors", Static)
        if not summary.display:
            return
        s = self.app.session
        n = sum(1 for f in self.rt.fields if self.query_one(f"#error-{f.name}", Static).display)
        lines = ([s.t("form.errors", n=n)] if n else []) + list(getattr(self, "general_problems", []))
        summary.update("\n".join(lines))
        summary.display = bool(lines)

    def explain_conflict(self, exc: Conflict) -> None:
        from .dialogs import ConfirmScreen

        s = self.app.session

        def answered(reload: bool | None) -> None:
            if reload:
                self.reload_record()

        self.app.push_screen(ConfirmScreen(s.t("conflict.title"), exc.render(s.lang), s.t("conflict.reload"), s.t("conflict.keep"),
                                           danger=False, hint=s.t("conflict.hint")), answered)

    def reload_record(self) -> None:
        s = self.app.session
        fresh = s.ledger.find(self.record.id) if self.record is not None else None
        if fresh is None:
            self.app.notify(s.t("form.gone", id=self.record.id if self.record else "?"), severity="error")
            self.dismiss(None)
            return
        self.record = fresh
        for f in self.rt.fields:
            self.editor(f.name).set_from(fresh.data.get(f.name))
        self.show_errors([])
        self.query_one("#form-title", Static).update(self._title())
        self.call_after_refresh(self._remember_initial)
        self.app.notify(s.t("conflict.reloaded", id=fresh.id, version=fresh.version), timeout=4)

    def _remember_initial(self) -> None:
        self.initial = self.raws()

    # -- leaving -----------------------------------------------------------------------------------
    def what(self) -> str:
        """The form in a few words, for the leave question ("new Meeting", "Meeting meeting-3")."""
        s = self.app.session
        label = s.type_label(self.rt)
        return s.t("form.new", type=label) if self.record is None else f"{label} {self.record.id}"

    def _settled(self) -> None:
        """Saved or discarded: nothing to keep, the restored draft (if any) is done."""
        from ..drafts import Drafts

        Drafts.forget(self)
        self.initial = self.raws()

    def settle(self, choice: str) -> bool:
        """Carry out a leave answer without closing the form: True when nothing is lost by
        closing it now ("save" refused by the ledger: False, the problems shown)."""
        if choice == "save":
            self.saved_record = self.write()
            return self.saved_record is not None
        if choice == "keep" and self.app.drafts is not None:
            self.app.drafts.keep(self)
            return True
        if choice == "discard":
            self._settled()
            return True
        return False

    def action_cancel(self) -> None:
        self.app.leave_forms([self], then=lambda: self.dismiss(self.saved_record))
