"""Every key, grouped by where it applies, read from the action registry (so a rebound key shows
as rebound), in the operator's language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ..actions import ACTIONS, SCOPES, bindings


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "../styles/dialogs.tcss"
    BINDINGS = bindings("modal.cancel") + [Binding("f1,question_mark,q", "cancel", show=False)]

    def compose(self) -> ComposeResult:
        s = self.app.session
        with Vertical(classes="dialog help"):
            yield Static(s.t("help.title"), classes="dialog-title")
            table = DataTable(cursor_type="row", classes="help-table")
            table.add_column(s.t("help.col.key"), key="key")
            table.add_column(s.t("help.col.what"), key="what")
            table.add_column(s.t("help.col.id"), key="id")
            keymap = self.app.session.keymap
            for scope in SCOPES:
                actions = [a for a in ACTIONS if a.scope == scope]
                if not actions:
                    continue
                table.add_row("", Content.styled(s.t(f"scope.{scope}"), "bold $accent"), "")
                for a in actions:
                    keys = keymap.get(a.id, a.key)
                    shown = a.key_display if a.id not in keymap and a.key_display else keys
                    table.add_row("  " + shown.replace("question_mark", "?").replace("slash", "/"), s.r(a.label), a.id)
            yield table
            yield Static(Content.styled(s.t("help.hint"), "$text-muted"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
