"""Findings for the chosen year, filtered by area and severity; Enter opens the record."""

from __future__ import annotations

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Select, Static

from ...rules import SEVERITY_LABELS, Finding, run_rules
from ..actions import bindings

MESSAGE_MIN = 16  # cells: below this the message column is not narrowed further
RECORDS_WIDTH = 12  # cells for the records a finding names (they wrap)
DEFAULT_WIDTH = 76  # the table's width before it is laid out


class FindingsView(Vertical):
    BINDINGS = bindings("dashboard.refresh")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="findings-view")
        self.findings: list[Finding] = []
        self.shown: list[Finding] = []
        self.checking = False

    def compose(self) -> ComposeResult:
        yield Static(classes="section-title", id="findings-title")
        with Horizontal(classes="findings-filters"):
            yield Select([("*", "*")], id="findings-area", compact=True, allow_blank=False, value="*")
            yield Select([("*", "*")], id="findings-severity", compact=True, allow_blank=False, value="*")
        table = DataTable(id="findings-table", cursor_type="row", zebra_stripes=False)
        yield table

    def on_mount(self) -> None:
        self.watch(self.app, "lang", lambda *_: self.relabel(), init=False)
        self.watch(self.app, "year", lambda *_: self.load(), init=False)
        self.relabel(load=False)
        self.load()

    def focus(self, scroll_visible: bool = True):
        self.query_one(DataTable).focus(scroll_visible)
        return self

    def relabel(self, load: bool = True) -> None:
        s = self.app.session
        areas = self.query_one("#findings-area", Select)
        severities = self.query_one("#findings-severity", Select)
        area_value, severity_value = areas.value, severities.value
        all_areas = s.registry.areas()
        with areas.prevent(Select.Changed), severities.prevent(Select.Changed):
            for select, options, value in (
                (areas, [(s.t("findings.all_areas"), "*")] + [(s.area_label(a), a) for a in all_areas], area_value),
                (severities, [(s.t("findings.all_severities"), "*")] + [(s.r(label), key) for key, label in SEVERITY_LABELS.items()],
                 severity_value),
            ):
                select.set_options(options)
                value = value if value in {v for _, v in options} else "*"
                # A Select redraws its label only when its value changes: pass by another one.
                select.value = next(v for _, v in options if v != value) if len(options) > 1 else value
                select.value = value
        table = self.query_one(DataTable)
        table.clear(columns=True)
        widths = self._widths()
        for key in ("severity", "area", "message", "records"):
            table.add_column(s.t(f"findings.col.{key}"), key=key, width=widths.get(key))
        self._table_width = table.size.width
        if load:
            self.show()

    def _widths(self) -> dict[str, int]:
        """Column widths that fit the table's width: the message takes what the severity, the
        area and the records leave, and its long lines wrap onto more lines (never cut)."""
        s = self.app.session
        table = self.query_one(DataTable)
        severity = max(cell_len(s.t("findings.col.severity")), *(cell_len(s.r(label)) for label in SEVERITY_LABELS.values()))
        area = max([cell_len(s.t("findings.col.area"))] + [cell_len(s.area_label(a)) for a in s.registry.areas()])
        records = max(cell_len(s.t("findings.col.records")), RECORDS_WIDTH)
        gutters = 4 * 2 * table.cell_padding + 2  # each cell's padding, the scrollbar
        message = max(MESSAGE_MIN, (table.size.width or DEFAULT_WIDTH) - severity - area - records - gutters)
        return {"severity": severity, "area": area, "message": message, "records": records}

    def on_resize(self) -> None:
        if self.query_one(DataTable).size.width != getattr(self, "_table_width", None):
            self.relabel()

    def load(self) -> None:
        """The dashboard's findings when it has them all for this year; else the rules run off
        the UI thread (a county's store takes seconds) and the list fills in."""
        s = self.app.session
        board = self._dashboard_board()
        self.app.background.cancel(self._job_key)
        if board is not None and board.year == s.year and not board.pending:
            self.findings, self.checking = list(board.findings), False
            self.show()
            return
        self.checking = True
        self.show()
        year, today = s.year, s.today
        self.app.background.submit(self._job_key, lambda ledger, send: send(run_rules(ledger, year, today=today)),
                                   self._arrived, lambda exc: self.app.notify(f"{type(exc).__name__}: {exc}", severity="error"))

    @property
    def _job_key(self) -> str:
        return f"findings-{id(self)}"

    def _arrived(self, findings) -> None:
        self.findings, self.checking = findings, False
        self.show()

    def _dashboard_board(self):
        try:
            return self.screen.query_one("DashboardView").board
        except Exception:
            return None

    def action_refresh_view(self) -> None:
        self.load()

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.show()

    def show(self) -> None:
        s = self.app.session
        area = self.query_one("#findings-area", Select).value
        severity = self.query_one("#findings-severity", Select).value
        self.shown = [f for f in self.findings if area in ("*", f.area) and severity in ("*", f.severity)]
        table = self.query_one(DataTable)
        table.clear()
        for i, f in enumerate(self.shown):
            table.add_row(s.r(SEVERITY_LABELS.get(f.severity, f.severity)), s.area_label(f.area), s.r(f.message),
                          ", ".join(f.records[:3]) + ("…" if len(f.records) > 3 else ""), key=str(i), height=None)
        count = s.t("dash.loading") if self.checking else s.t("findings.count", n=len(self.shown))
        self.query_one("#findings-title", Static).update(s.t("findings.title", year=s.year) + "  " + count)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = int(event.row_key.value or 0)
        if 0 <= index < len(self.shown):
            from .reach import reach

            reach(self.app, self.shown[index], self._put_right)

    def _put_right(self, record) -> None:
        """A record saved from a finding's form: the dashboard (whose findings this view reuses)
        and this view check again."""
        if record is None:
            return
        try:
            self.screen.query_one("DashboardView").load()
        except Exception:  # no dashboard on this screen: this view runs the rules itself
            pass
        self.load()
