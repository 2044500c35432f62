"""The audit log, newest first, a page at a time; Enter opens the record an entry concerns."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from ...store import AuditEntry
from ..actions import bindings
from ...present.display import safe_text
from ...present.history import action_text

PAGE = 200


class AuditView(Vertical):
    BINDINGS = bindings("dashboard.refresh")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="audit-view")
        self.entries: list[AuditEntry] = []
        self.head = 0

    def compose(self) -> ComposeResult:
        yield Static(classes="section-title", id="audit-title")
        yield DataTable(id="audit-table", cursor_type="row")

    def on_mount(self) -> None:
        self.watch(self.app, "lang", lambda *_: self.relabel(), init=False)
        self.relabel()

    def focus(self, scroll_visible: bool = True):
        self.query_one(DataTable).focus(scroll_visible)
        return self

    def relabel(self) -> None:
        s = self.app.session
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key in ("seq", "time", "actor", "action", "record"):
            table.add_column(s.t(f"audit.col.{key}"), key=key)
        self.load()

    def load(self) -> None:
        ledger = self.app.session.ledger
        self.entries, self.head = ledger.audit_page(limit=PAGE), ledger.audit_count()
        self.query_one(DataTable).clear()
        self._add(self.entries)

    def action_refresh_view(self) -> None:
        self.load()

    def _add(self, entries: list[AuditEntry]) -> None:
        s = self.app.session
        table = self.query_one(DataTable)
        for e in entries:
            rtype = e.record_id.rsplit("-", 1)[0]
            rt = s.registry.types.get(rtype)
            actor = safe_text(e.actor if not e.by else f"{e.actor} ({e.by})", one_line=True)  # as the chain holds it, escaped
            table.add_row(str(e.seq), s.when(e.ts), actor, action_text(s, e, rt), safe_text(e.record_id, one_line=True),
                          key=str(e.seq))
        shown = len(self.entries)
        title = s.t("audit.title") + "  " + (s.t("audit.more", shown=shown, total=self.head) if shown < self.head
                                              else s.t("audit.all", total=self.head))
        self.query_one("#audit-title", Static).update(title)

    @on(DataTable.RowHighlighted)
    def _maybe_more(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self.entries) - 1 and self.entries and self.entries[-1].seq > 1:
            more = self.app.session.ledger.audit_page(before_seq=self.entries[-1].seq, limit=PAGE)
            self.entries += more
            self._add(more)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        seq = int(event.row_key.value or 0)
        entry = next((e for e in self.entries if e.seq == seq), None)
        if entry is not None and entry.record_id.rsplit("-", 1)[0] in self.app.session.registry.types:
            self.app.open_record(entry.record_id)
