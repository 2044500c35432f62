"""Every key, grouped by where it applies, read from the action registry (so a rebound key shows
as rebound), in the operator's language: the core's, then each plugin screen's under its name."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ..actions import ACTIONS, SCOPES, bindings, shown_key


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "../styles/dialogs.tcss"
    BINDINGS = bindings("modal.cancel", "help.close")

    def compose(self) -> ComposeResult:
        s = self.app.session
        with Vertical(classes="dialog help"):
            yield Static(s.t("help.title"), classes="dialog-title")
            table = DataTable(cursor_type="row", classes="help-table")
            table.add_column(s.t("help.col.key"), key="key")
            table.add_column(s.t("help.col.what"), key="what")
            table.add_column(s.t("help.col.id"), key="id")
            groups = [(s.t(f"scope.{scope}"), [a for a in ACTIONS if a.scope == scope]) for scope in SCOPES]
            groups += [(s.r(spec.label), list(spec.actions)) for spec in self.app.plugin_screens()]
            for heading, actions in groups:
                if not actions:
                    continue
                table.add_row("", Content.styled(heading, "bold $accent"), "")
                for a in actions:
                    table.add_row("  " + shown_key(self.app, a.id), s.r(a.label), a.id)
            yield table
            yield Static(Content.styled(s.t("help.hint", close=shown_key(self.app, "modal.cancel")), "$text-muted"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
