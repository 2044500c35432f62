"""Modal dialogs: a confirmation that returns through ``dismiss``, a record picker, and the
workflow dialog (which chooses a step; step_form.py takes it). Escape always means "no" /
"cancel": nothing is ever done on a bare Escape."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ...identity import ROLE_LABELS
from ...ledger import Record
from ...schema import RecordType, Transition
from ..actions import bindings, shown_key
from .styled_once import StyledOnce


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no. The safe answer has the focus; Escape answers it."""

    CSS_PATH = "../styles/dialogs.tcss"
    BINDINGS = bindings("modal.cancel", "dialog.prev", "dialog.next")

    def __init__(self, title: str, body: str, yes: str, no: str, *, danger: bool = True, hint: str = "") -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.no, self.danger, self.hint = title, body, yes, no, danger, hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.body, classes="dialog-body")
            if self.hint:
                yield Static(self.hint, classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.no, id="no", compact=True)
                yield Button(self.yes, id="yes", variant="error" if self.danger else "primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class LeaveScreen(ModalScreen[str | None]):
    """Leaving one form with changes, or quitting with several: "save", "discard" or "keep" (as
    a draft), each with its key; Escape goes back to the form(s) (None). The safe answer has the
    focus: keep as a draft, or, where no drafts are kept, back to the form."""

    DEFAULT_CSS = """
    LeaveScreen { align: center middle; background: $background 60%; }
    LeaveScreen .leave-choices { height: auto; padding-left: 4; }
    LeaveScreen .leave-choices Button { width: 100%; text-align: left; content-align: left middle; }
    """
    CSS_PATH = "../styles/dialogs.tcss"
    BINDINGS = bindings("modal.cancel", "leave.save", "leave.discard", "leave.keep", "leave.up", "leave.down")

    def __init__(self, what: list[str], *, can_keep: bool = True) -> None:
        super().__init__()
        self.what, self.can_keep = list(what), can_keep

    def compose(self) -> ComposeResult:
        s = self.app.session
        what = "、".join(self.what) if s.lang == "zh" else "; ".join(self.what)
        if len(self.what) > 1:
            title, body = s.t("leave.title_many", n=len(self.what)), s.t("leave.body_many", what=what)
        else:
            title, body = s.t("leave.title"), s.t("leave.body" if self.can_keep else "leave.no_drafts", what=what)
        choices = [("back", "modal.cancel", "leave.back"), ("keep", "leave.keep", "leave.keep"),
                   ("discard", "leave.discard", "leave.discard"), ("save", "leave.save", "leave.save")]
        with Vertical(classes="dialog"):
            yield Static(title, classes="dialog-title")
            yield Static(body, classes="dialog-body")
            with Vertical(classes="leave-choices"):
                for choice, action_id, text in choices:
                    if choice == "keep" and not self.can_keep:
                        continue
                    label = Content.assemble((f"{shown_key(self.app, action_id):>3}  ", "bold"), s.t(text))
                    yield Button(label, id=f"leave-{choice}", compact=True, variant="error" if choice == "discard" else "default")

    def on_mount(self) -> None:
        self.query_one("#leave-keep" if self.can_keep else "#leave-back", Button).focus()

    def action_choose(self, choice: str) -> None:
        if choice == "keep" and not self.can_keep:
            return
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = (event.button.id or "").removeprefix("leave-")
        self.dismiss(None if choice == "back" else choice)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PickRecordScreen(ModalScreen[str | None]):
    """Choose one of several records (a finding that concerns many)."""

    CSS_PATH = "../styles/dialogs.tcss"
    BINDINGS = bindings("modal.cancel")

    def __init__(self, prompt: str, record_ids: list[str]) -> None:
        super().__init__()
        self.prompt, self.record_ids = prompt, record_ids

    def compose(self) -> ComposeResult:
        s = self.app.session
        titles = s.titles(self.record_ids)
        with Vertical(classes="dialog"):
            yield Static(self.prompt, classes="dialog-title")
            yield OptionList(*[Option(Content.assemble(titles.get(i) or i, (f"  {i}", "$text-muted")), id=i)
                               for i in self.record_ids], compact=True, classes="dialog-list")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TransitionScreen(StyledOnce, ModalScreen[tuple[str, object] | None]):
    """The workflow steps the record's state offers. Those the user's role does not allow are
    shown disabled with the role they need, and the highlight starts on the first step the user
    may take. Choosing a step returns ("step", transition): its short form (step_form.py) takes
    it. None when cancelled."""

    CSS_PATH = "../styles/dialogs.tcss"
    BINDINGS = bindings("modal.cancel")

    def __init__(self, record: Record, record_type: RecordType) -> None:
        super().__init__()
        self.record, self.rt = record, record_type
        self.transitions: list[Transition] = record_type.workflow.available(record.state) if record_type.workflow else []

    def compose(self) -> ComposeResult:
        s = self.app.session
        state = s.state_label(self.rt, self.record.state)
        with Vertical(classes="dialog"):
            # the title too: the dialog hides the list it was opened from (opaque, dialogs.tcss)
            yield Static(s.t("wf.title", type=s.type_label(self.rt), id=self.record.id, title=s.title(self.record), state=state),
                         classes="dialog-title")
            options = []
            for i, t in enumerate(self.transitions):
                allowed = s.ledger.can(f"transition:{t.role}")
                text = s.t("wf.to", action=s.r(t.label), state=s.state_label(self.rt, t.target))
                if not allowed:
                    text += " " + s.t("wf.needs_role", role=s.r(ROLE_LABELS.get(t.role, t.role)))
                options.append(Option(text, id=str(i), disabled=not allowed))
            if not options:
                yield Static(s.t("wf.none", state=state), classes="dialog-body")
            # the focus from the start where on_mount puts it, so the dialog's first frame is its
            # only one (a focus moved after it repaints the whole dialog and the list under it)
            self.AUTO_FOCUS = "#wf-options" if any(not o.disabled for o in options) else "#cancel"
            yield OptionList(*options, compact=True, classes="dialog-list", id="wf-options")
            with Horizontal(classes="dialog-buttons"):
                yield Button(s.t("wf.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        options = self.query_one("#wf-options", OptionList)
        first = next((i for i, o in enumerate(options.options) if not o.disabled), None)
        if first is not None:
            options.focus()
            options.highlighted = first
        else:
            self.query_one("#cancel", Button).focus()

    @on(OptionList.OptionSelected, "#wf-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.disabled:
            return
        self.dismiss(("step", self.transitions[int(event.option.id or 0)]))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
