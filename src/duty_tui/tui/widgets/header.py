"""The header line: the unit, the acting user and role, the store, the year."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class HeaderBar(Static):
    """One line, no clock: nothing here changes unless the operator changes it."""

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._changed, init=False)
        self.watch(self.app, "year", self._changed, init=False)
        self.relabel()

    def _changed(self, *_: object) -> None:
        self.relabel()

    def relabel(self) -> None:
        s = self.app.session
        org = s.org_name() or s.t("app.title")
        user = s.t("header.user", user=s.ledger.user.name, role=s.role_label())
        self.update(Content.assemble(
            (f" {org} ", "bold"), "│ ", user, " │ ", s.store_label, " │ ",
            (s.t("header.year", year=s.year), "bold"), " ",
        ))
