"""The dashboard for the chosen year: each area's checks as a traffic light, counts, what is due
or overdue in the next 30 days, and the findings; Enter on an item opens the record."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...rules import ERROR, FAILED, SEVERITY_LABELS
from ..actions import bindings
from ...present.dashboard import Dashboard, add_findings, build_dashboard, pending_findings
from ...present.display import fit

LIGHT_STYLES = {"green": "bold $success", "yellow": "bold $warning", "red": "bold $error", "none": "$text-muted",
                "pending": "$text-muted", "failed": "bold reverse $error"}
RULE_BUDGET = 0.05  # seconds of rules before the first paint; the rest run in the background
TYPE_BUDGET = 14  # cells for the due list's type column: beyond, the types' short labels
LARGE_STORE = 100_000  # records counted on the dashboard above which every rule runs in the background


class DashboardView(VerticalScroll, can_focus=False):
    BINDINGS = bindings("dashboard.refresh")

    def __init__(self, *, id: str | None = None, waits: bool = False) -> None:
        super().__init__(id=id)
        self.board: Dashboard | None = None
        # read only once start() is called: under a county operator's county screen, the whole
        # county's counts and rules would take the county screen's time before it is painted
        self.waits = waits

    def compose(self) -> ComposeResult:
        yield Static(id="dash-title", classes="section-title")
        yield Static(id="dash-areas")
        yield Static(id="dash-due-title", classes="section-title")
        yield OptionList(id="dash-due", compact=True)
        yield Static(id="dash-findings-title", classes="section-title")
        yield OptionList(id="dash-findings", compact=True)

    def on_mount(self) -> None:
        self.query_one("#dash-title", Static).update(self.app.session.t("dash.loading"))
        self.watch(self.app, "lang", lambda *_: self.show(), init=False)
        self.watch(self.app, "year", lambda *_: self.load(), init=False)
        self.load()

    def start(self) -> None:
        if self.waits:
            self.waits = False
            self.load()

    def action_refresh_view(self) -> None:
        self.load()

    def load(self) -> None:
        """Counts and due items at once, and the rules for up to RULE_BUDGET; rules left over
        (a county's million records) run off the UI thread and fill in when done."""
        if self.waits:
            return
        s = self.app.session
        background = self.app.background
        background.cancel(self._job_key)
        self.board = board = build_dashboard(s.ledger, s.year, s.today, rule_budget=RULE_BUDGET, defer_rules_over=LARGE_STORE)
        self.show()
        if board.pending:
            background.submit(self._job_key, lambda ledger, send: send(pending_findings(ledger, board)),
                              self._rules_done, self._rules_failed)

    @property
    def _job_key(self) -> str:
        return f"dashboard-{id(self)}"

    def _rules_done(self, by_rule) -> None:
        if self.board is not None:
            add_findings(self.board, by_rule, self.app.session.registry)
            self.show()

    def _rules_failed(self, exc: Exception) -> None:
        self.app.notify(f"{type(exc).__name__}: {exc}", severity="error")

    # -- drawing -----------------------------------------------------------------------------
    def show(self) -> None:
        board = self.board
        if board is None:
            return
        s = self.app.session
        self.query_one("#dash-title", Static).update(Content.assemble(
            (s.t("dash.title", year=board.year), "bold"), "   ", (s.t("dash.today", today=board.today.isoformat()), "$text-muted")))
        self.query_one("#dash-areas", Static).update(self._areas_content(board))
        self.query_one("#dash-due-title", Static).update(s.t("dash.due", n=board.due_total))
        due = self.query_one("#dash-due", OptionList)
        highlighted = due.highlighted
        due.clear_options()
        if board.due:
            types = {item.type for item in board.due}
            short = max(cell_len(self._type_label(t, False)) for t in types) > TYPE_BUDGET
            type_width = max(cell_len(self._type_label(t, short)) for t in types)
            due.add_options(self._due_option(i, item, type_width, short) for i, item in enumerate(board.due))
        else:
            due.add_option(Option(Content.styled(s.t("dash.due.none"), "$text-muted"), id="none", disabled=True))
        self._restore(due, highlighted)
        title = s.t("dash.findings", n=len(board.findings))
        if board.pending:
            title += s.t("dash.pending", n=len(board.pending))
        self.query_one("#dash-findings-title", Static).update(title)
        findings = self.query_one("#dash-findings", OptionList)
        highlighted = findings.highlighted
        findings.clear_options()
        if board.findings or board.pending:
            findings.add_options(self._finding_option(i, f) for i, f in enumerate(board.findings))
        else:
            findings.add_option(Option(Content.styled(s.t("dash.findings.none", year=board.year, n=board.rule_count), "$success"),
                                       id="none", disabled=True))
        self._restore(findings, highlighted)

    @staticmethod
    def _restore(options: OptionList, highlighted: int | None) -> None:
        """Keep the highlight where it was, else on the first item, so Enter always has one."""
        if options.option_count and not options.get_option_at_index(0).disabled:
            options.highlighted = highlighted if highlighted is not None and highlighted < options.option_count else 0

    def _areas_content(self, board: Dashboard) -> Content:
        s = self.app.session
        width = max((cell_len(s.area_label(a.area)) for a in board.areas), default=8) + 2
        lines: list[Content] = []
        for a in board.areas:
            light = Content.styled(f"● {fit(s.t(f'dash.light.{a.light}'), 5)}", LIGHT_STYLES[a.light])
            if a.rules:
                detail = s.t("dash.area_line", passed=a.passed, warnings=a.warnings, errors=a.errors, records=a.records)
                if a.failed:
                    detail += "  " + s.t("dash.area_failed", n=a.failed)
                if a.pending:
                    detail += "  " + s.t("dash.area_pending", n=a.pending)
            else:
                detail = f"{s.t('dash.no_rules')}  " + s.t("list.count", n=a.records)
            lines.append(Content.assemble(" ", light, " ", (fit(s.area_label(a.area), width), "bold"), detail))
        return Content("\n").join(lines)

    def _type_label(self, record_type: str, short: bool) -> str:
        """A type's label, or its short label (when the longest of the due list's is too wide)."""
        s = self.app.session
        rt = s.registry.types.get(record_type)
        if rt is None:
            return record_type
        return s.r(rt.short_label) if short and rt.short_label else s.type_label(rt)

    def _due_option(self, index: int, item, type_width: int, short: bool = False) -> Option:
        s = self.app.session
        days = item.days(self.board.today)
        if days < 0:
            # white on red: at 16 colours red text on the highlighted row's grey is as light as the grey
            when = Content.styled(fit(s.t("dash.overdue"), 8), "bold #ffffff on $error")
        elif days == 0:
            when = Content.styled(fit(s.t("dash.due_today"), 8), "bold $warning")
        else:
            when = Content.styled(fit(s.t("dash.due_in", n=days), 8), "$warning")
        rt = s.registry.types[item.type]
        state = f" · {s.state_label(rt, item.state)}" if item.state else ""
        # The title says which record it is; the id only where there is no title (a cut id helps nobody).
        return Option(Content.assemble(item.due.isoformat(), " ", when, " ", (fit(self._type_label(item.type, short), type_width), "bold"),
                                       " ", item.title or item.record_id, (state, "$text-muted")),
                      id=f"due-{index}")

    def _severity_label(self, severity: str) -> str:
        s = self.app.session
        return s.t("dash.light.failed") if severity == FAILED else s.r(SEVERITY_LABELS.get(severity, severity))

    def _finding_option(self, index: int, finding) -> Option:
        s = self.app.session
        mark = (("✖ ", "bold $error") if finding.severity == ERROR else ("✖ ", "bold reverse $error") if finding.severity == FAILED
                else ("! ", "bold $warning"))
        label = self._severity_label(finding.severity)
        shown = {f.severity for f in self.board.findings} if self.board else {finding.severity}
        width = max(cell_len(self._severity_label(sev)) for sev in shown | {finding.severity})
        severity = fit(label, width)  # "warning" whole, not "warni…"
        return Option(Content.assemble(mark, (severity, mark[1]), " ", s.r(finding.message),
                                       (f"  {s.area_label(finding.area)} · {finding.rule}", "$text-muted")),
                      id=f"finding-{index}")

    # -- opening -----------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if self.board is None or option_id == "none":
            return
        kind, _, index = option_id.partition("-")
        if kind == "due":
            self.app.open_record(self.board.due[int(index)].record_id)
        elif kind == "finding":
            from .reach import reach

            reach(self.app, self.board.findings[int(index)], lambda record: self.load() if record is not None else None)
