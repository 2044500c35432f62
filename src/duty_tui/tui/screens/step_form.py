"""A workflow step as a short form of its own: only the fields the step sets
(``Transition.fields``), the empty ones filled with the step's defaults (today; the acting
user's person when that user may take the step), the focus on the first field still empty,
and the step's key (Ctrl+S) takes it through ``ledger.transition``. A step that sets no field
is a confirmation. A refusal is shown with its reason; nothing here offers to edit the rest of
the record, so a refusal about what already happened is never turned into rewriting its dates.
Closing it with something typed (Escape, Close) asks first, as a record form does: take the
step, discard, or back (a step is not kept as a draft: a draft reopens as the record's form, and
a step taken later has its own defaults). Being modal, it holds the app's keys (Ctrl+Q, F2, the
jump) until it is closed.

The editors are the record form's (``widgets.fields.make_editor``), laid out with its styles."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...errors import Conflict, DutyError, FieldError, ValidationError
from ...ledger import Record
from ...schema import RecordType, Transition
from ..actions import bindings, shown_key
from ..widgets.fields import make_editor, mark_current_row
from .styled_once import StyledOnce

EMPTY = (None, "", [], ())


class StepFormScreen(StyledOnce, ModalScreen[Record | None]):
    """Returns the record after the step, or None when cancelled."""

    CSS_PATH = ["../styles/dialogs.tcss", "../styles/form.tcss"]
    DEFAULT_CSS = """
    StepFormScreen { align: center middle; }  /* opaque: dialogs.tcss */
    StepFormScreen .dialog { width: 76; }
    StepFormScreen .step-fields { height: auto; margin-bottom: 1; }
    """
    BINDINGS = bindings("step.do", "modal.cancel")

    def __init__(self, record: Record, record_type: RecordType, step: Transition) -> None:
        super().__init__()
        self.record, self.rt, self.step = record, record_type, step
        self.initial: dict[str, Any] = {}
        self.taken: Record | None = None

    def defaults(self) -> dict[str, Any]:
        ledger = self.app.session.ledger
        person = ledger.user.person if ledger.can(f"transition:{self.step.role}") else None
        return self.step.defaults(self.rt, self.record.data, person=person, today=self.app.session.today)

    # -- building -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        s = self.app.session
        defaults = self.defaults()
        # the focus from the start where on_mount puts it (a move after the first frame would
        # paint the whole dialog again): the first field still empty, else the step's button
        empty = [name for name in self.step.fields if self.record.data.get(name) in EMPTY and defaults.get(name) in EMPTY]
        self.AUTO_FOCUS = f"#field-{empty[0]}, #field-{empty[0]} *" if empty else "#do"
        with Vertical(classes="dialog step-form"):
            yield Static(self._title(), classes="dialog-title", id="step-title")
            yield Static(self._hint(), classes="dialog-hint", id="step-hint")
            if self.step.fields:
                with Vertical(classes="step-fields"):
                    for name in self.step.fields:
                        f = self.rt.field(name)
                        value = self.record.data.get(name)
                        if value in EMPTY:
                            value = defaults.get(name)
                        with Horizontal(classes="form-row", id=f"row-{name}"):
                            yield Static(Content(s.r(f.label)), classes="form-label", id=f"label-{name}")
                            with Vertical(classes="form-cell"):
                                yield make_editor(f, value, s.lang, s)
                                error = Static(classes="form-error", id=f"error-{name}")
                                error.display = False
                                yield error
            errors = Static(classes="dialog-errors", id="step-errors")
            errors.display = False
            yield errors
            with Horizontal(classes="dialog-buttons"):
                yield Button(s.t("wf.cancel"), id="cancel", compact=True)
                yield Button(s.t("step.do"), id="do", variant="primary", compact=True)

    def _title(self) -> str:
        s = self.app.session
        return s.t("step.title", action=s.r(self.step.label), type=s.type_label(self.rt), id=self.record.id, title=s.title(self.record),
                   state=s.state_label(self.rt, self.record.state), target=s.state_label(self.rt, self.step.target))

    def _hint(self) -> str:
        s = self.app.session
        keys = {"save": shown_key(self.app, "step.do"), "cancel": shown_key(self.app, "modal.cancel")}
        return s.t("step.fill" if self.step.fields else "step.confirm", **keys)

    def on_mount(self) -> None:
        self.initial = self.values()
        for name in self.step.fields:
            if self.editor(name).get_raw() in EMPTY:
                self.editor(name).focus()
                return
        self.query_one("#do", Button).focus()

    def on_descendant_focus(self, event) -> None:
        mark_current_row(self, event.widget)

    def editor(self, name: str):
        return self.query_one(f"#field-{name}")

    def values(self) -> dict[str, Any]:
        return {name: self.editor(name).get_raw() for name in self.step.fields}

    # -- leaving (app.leave_forms asks: take the step, discard, back) -----------------------------
    can_keep = False

    @property
    def unsaved(self) -> bool:
        return self.is_mounted and self.values() != self.initial

    def what(self) -> str:
        s = self.app.session
        return f"{s.r(self.step.label)}:{s.type_label(self.rt)} {self.record.id}" if s.lang == "zh" else \
            f"{s.r(self.step.label)}: {s.type_label(self.rt)} {self.record.id}"

    def settle(self, choice: str) -> bool:
        if choice == "save":
            self.taken = self.take()
            return self.taken is not None
        if choice == "discard":
            self.initial = self.values()
            return True
        return False

    # -- taking the step -------------------------------------------------------------------------
    def action_save(self) -> None:
        record = self.take()
        if record is not None:
            self.dismiss(record)

    def take(self) -> Record | None:
        """The step through the ledger: the record after it, or None (the reason shown)."""
        s = self.app.session
        try:
            record = s.ledger.transition(self.record.id, self.step.name, values=self.values(),
                                         expected_version=self.record.version)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return None
        except (Conflict, DutyError) as exc:
            self.show_errors([], general=[exc.render(s.lang)])
            return None
        s.forget_titles()
        self.initial = self.values()
        return record

    def show_errors(self, errors: list[FieldError], general: list[str] | None = None) -> None:
        """A field's problem beside it (the first such field gets the focus); a guard's reason,
        which says what has to happen next, above the buttons."""
        s = self.app.session
        lines = list(general or [])
        by_field: dict[str, list[str]] = {}
        for e in errors:
            if e.field in self.step.fields:
                by_field.setdefault(e.field, []).append(s.r(e.reason))
            elif e.field in ("state", "id") or not self.rt.has_field(e.field):
                lines.append(f"• {s.r(e.reason)}")
            else:
                lines.append(f"• {s.r(self.rt.field(e.field).label)}: {s.r(e.reason)}")
        first = None
        for name in self.step.fields:
            reasons = by_field.get(name)
            self.query_one(f"#row-{name}").set_class(bool(reasons), "-invalid")
            message = self.query_one(f"#error-{name}", Static)
            message.update("\n".join(reasons or []))
            message.display = bool(reasons)
            if reasons and first is None:
                first = name
        summary = self.query_one("#step-errors", Static)
        summary.update("\n".join([s.t("step.refused"), *lines]) if lines else "")
        summary.display = bool(lines)
        if first is not None:
            self.editor(first).focus()
        elif lines and not self.step.fields:
            self.query_one("#cancel", Button).focus()  # a confirmation refused: Enter now closes it

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "do":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.app.leave_forms([self], then=lambda: self.dismiss(self.taken))
