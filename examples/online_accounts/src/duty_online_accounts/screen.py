"""The review screen (Textual; imported by the screen's factory, when the operator opens it):
every account of the year in view with its review status, overdue ones first. Enter opens the
account's record; r reads the list again; Esc goes back; the year ([ ]) and the language (F2)
the operator changes are followed by watching the app's ``year`` and ``lang``. Its keys come from
actions with ids (``OPEN_ACCOUNT``, declared on the ScreenSpec, and the core's ``screen.refresh``
and ``screen.back``), so the operator's [keymap] rebinds them and the key bar shows them."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from duty_tui.i18n import L
from duty_tui.tui.plugin_screen import KeyBar, screen_bindings

from . import OPEN_ACCOUNT
from .accounts import ONLINE_ACCOUNT
from .review import DUE, NEW, OVERDUE, REVIEWED, STATUS_LABELS, reviews

TEXT = {
    "title": L("网络账号年审 · {year}年", "Online account reviews · {year}"),
    "summary": L("{n} 个账号:已审核 {reviewed},待审核 {due},逾期 {overdue},本年新备案 {new};截止 {date}",
                 "{n} account(s): {reviewed} reviewed, {due} due, {overdue} overdue, {new} new this year; due by {date}"),
    "none": L("本年度没有网络账号", "no online accounts in this year"),
    "columns": (L("账号", "Account"), L("平台", "Platform"), L("单位", "Unit"), L("最近审核", "Last review"), L("状态", "Status")),
}


class ReviewScreen(Screen[None]):
    DEFAULT_CSS = """
    ReviewScreen { layout: vertical; }
    ReviewScreen #review-title { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    ReviewScreen #review-summary { height: auto; padding: 0 1; color: $text-muted; }
    ReviewScreen #review-table { height: 1fr; }
    """
    BINDINGS = screen_bindings(OPEN_ACCOUNT, "screen.refresh", "screen.back")

    def __init__(self, ui) -> None:
        super().__init__()
        self.ui = ui

    def t(self, value: L, **kwargs) -> str:
        return (value.format(**kwargs) if kwargs else value).render(self.ui.lang)

    def compose(self) -> ComposeResult:
        yield Static(id="review-title")
        yield Static(id="review-summary")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(self.t(label) for label in TEXT["columns"]))
        self.watch(self.app, "year", self.action_reload, init=False)
        self.watch(self.app, "lang", self.action_reload, init=False)
        self.action_reload()
        table.focus()

    def action_reload(self) -> None:
        ledger, year = self.ui.ledger, self.ui.year
        rows = reviews(ledger, year, self.ui.today)
        self.query_one("#review-title", Static).update(self.t(TEXT["title"], year=year))
        table = self.query_one(DataTable)
        for column, label in zip(table.ordered_columns, TEXT["columns"]):  # in the language of now
            column.label = Text(self.t(label))
        table.clear()
        platform = ONLINE_ACCOUNT.field("platform")
        for review in rows:
            data = review.record.data
            unit = ledger.find(data["unit"]) if data.get("unit") else None
            table.add_row(data["account_name"], self.t(platform.choice_label(data["platform"])),
                          unit.data.get("name", data["unit"]) if unit else "",
                          data["last_review"].isoformat() if data.get("last_review") else "—",
                          self.t(STATUS_LABELS[review.status]), key=review.record.id)
        counts = {status: sum(r.status == status for r in rows) for status in (REVIEWED, DUE, OVERDUE, NEW)}
        summary = self.query_one("#review-summary", Static)
        if rows:
            summary.update(self.t(TEXT["summary"], n=len(rows), date=rows[0].due.isoformat(), **counts))
        else:
            summary.update(self.t(TEXT["none"]))

    def action_open(self) -> None:  # Enter reaches the table itself; this is the key the keymap gives
        table = self.query_one(DataTable)
        if table.row_count:
            table.action_select_cursor()

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.ui.open_record(event.row_key.value)
