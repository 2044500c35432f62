"""What the dashboard shows for a year, computed through the ledger (counts and due items run in
the store) and the rules. No Textual here.

*Due* follows a convention record types can rely on: a record is due on its date field named
``due``, or, for a type with a workflow, on its year date while it is still in a state that has a
way forward (an event next week still in draft). It is finished when its workflow state has no
way forward, or, for a type without a workflow, when its ``status`` choice is one of
:data:`DONE_STATUSES`.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from ..ledger import Ledger
from ..rules import ERROR, FAILED, Finding, run_rule, sort_findings
from ..schema import CHOICE, DATE, RecordType
from ..store import Filter

DUE_WINDOW_DAYS = 30
DUE_SHOWN = 12
DONE_STATUSES = frozenset({"done", "closed", "completed", "complete", "finished", "verified", "rectified",
                           "cancelled", "canceled", "held", "filed"})


@dataclass(frozen=True)
class AreaStatus:
    area: str
    rules: int = 0
    passed: int = 0
    warnings: int = 0
    errors: int = 0
    records: int = 0
    pending: int = 0
    failed: int = 0  # rules that could not run (they raised, or returned something other than findings)

    @property
    def light(self) -> str:
        if not self.rules:
            return "none"
        if self.failed:
            return "failed"
        if self.pending and not (self.errors or self.warnings):
            return "pending"
        return "red" if self.errors else "yellow" if self.warnings else "green"


@dataclass(frozen=True)
class DueItem:
    record_id: str
    type: str
    title: str
    due: dt.date
    field: str
    state: str | None

    def days(self, today: dt.date) -> int:
        return (self.due - today).days


@dataclass
class Dashboard:
    year: int
    today: dt.date
    areas: list[AreaStatus] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    due: list[DueItem] = field(default_factory=list)
    due_total: int = 0
    findings: list[Finding] = field(default_factory=list)
    rule_count: int = 0
    by_rule: dict[str, list[Finding]] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)


def due_field(rt: RecordType) -> str | None:
    if rt.has_field("due") and rt.field("due").kind == DATE:
        return "due"
    if rt.workflow is not None and rt.year_field and rt.field(rt.year_field).kind == DATE:
        return rt.year_field
    return None


def open_filter(rt: RecordType) -> Filter | None:
    """Records not yet finished, as a store filter (None: every record counts as open)."""
    if rt.workflow is not None:
        open_states = tuple(s.name for s in rt.workflow.states if rt.workflow.available(s.name))
        return Filter("state", "in", open_states)
    if rt.has_field("status") and rt.field("status").kind == CHOICE:
        open_values = tuple(c.value for c in rt.field("status").choices if c.value not in DONE_STATUSES)
        return Filter("status", "in", open_values)
    return None


def due_filters(rt: RecordType, year: int, today: dt.date) -> tuple[Filter, ...] | None:
    name = due_field(rt)
    if name is None:
        return None
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), today + dt.timedelta(days=DUE_WINDOW_DAYS))
    if end < start:
        return None
    filters = [Filter(name, "between", (start.isoformat(), end.isoformat()))]
    still_open = open_filter(rt)
    if still_open is not None:
        filters.append(still_open)
    return tuple(filters)


def build_dashboard(ledger: Ledger, year: int, today: dt.date, rule_budget: float | None = None,
                    defer_rules_over: int | None = None) -> Dashboard:
    """Counts, due items and the rules' findings. With ``rule_budget`` (seconds), rules stop
    being run once that much time has gone on them; the rest are listed in ``pending`` for
    :func:`add_findings` to complete (the TUI runs them off the UI thread). When the counted
    records exceed ``defer_rules_over``, every rule is left pending (one rule alone can take a
    quarter of a second on a county's store)."""
    with ledger.steady():  # the settings and the scope's filters read once for the whole board
        return _build_dashboard(ledger, year, today, rule_budget, defer_rules_over)


def _build_dashboard(ledger: Ledger, year: int, today: dt.date, rule_budget: float | None,
                     defer_rules_over: int | None) -> Dashboard:
    board = Dashboard(year, today)
    registry = ledger.registry
    for name, rt in registry.types.items():
        n = ledger.count(name, year=year if rt.year_field else None)
        if n or not rt.hidden_until_used:  # a county's town keys are no town's business
            board.counts[name] = n
    if defer_rules_over is not None and sum(board.counts.values()) > defer_rules_over:
        rule_budget = -1.0
    board.rule_count = len(registry.rules)
    started = time.perf_counter()
    for rule in registry.rules.values():
        if rule_budget is not None and time.perf_counter() - started > rule_budget:
            board.pending.append(rule.id)
        else:
            board.by_rule[rule.id] = run_rule(ledger, rule, year, today=today)
    summarise(board, registry)
    due: list[DueItem] = []
    for name, rt in registry.types.items():
        filters = due_filters(rt, year, today)
        if filters is None:
            continue
        fname = due_field(rt)
        board.due_total += ledger.count(name, filters=filters)
        for record in ledger.query(name, filters=filters, sort=((fname, False),), limit=DUE_SHOWN):
            value = record.data.get(fname)
            if isinstance(value, dt.date):
                due.append(DueItem(record.id, name, ledger.title(record), value, fname, record.state))
    due.sort(key=lambda d: (d.due, d.record_id))
    board.due = due[:DUE_SHOWN]
    return board


def pending_findings(ledger: Ledger, board: Dashboard) -> dict[str, list[Finding]]:
    """Run the rules the budget left out (in the TUI's worker thread, with its own ledger)."""
    rules = ledger.registry.rules
    with ledger.steady():
        return {rid: run_rule(ledger, rules[rid], board.year, today=board.today) for rid in board.pending if rid in rules}


def add_findings(board: Dashboard, by_rule: dict[str, list[Finding]], registry) -> None:
    board.by_rule.update(by_rule)
    board.pending = [rid for rid in board.pending if rid not in by_rule]
    summarise(board, registry)


def summarise(board: Dashboard, registry) -> None:
    """Findings in order, and each area's tally of the rules that have run."""
    by_rule = board.by_rule
    board.findings = sort_findings(f for found in by_rule.values() for f in found)
    board.areas = []
    areas = registry.areas()
    for area in areas:
        rules = [r for r in registry.rules.values() if r.area == area]
        done = [r for r in rules if r.id in by_rule]
        failed = sum(1 for r in done if any(f.severity == FAILED for f in by_rule[r.id]))
        errors = sum(1 for r in done if any(f.severity == ERROR for f in by_rule[r.id]))
        warnings = sum(1 for r in done if by_rule[r.id] and not any(f.severity in (ERROR, FAILED) for f in by_rule[r.id]))
        records = sum(board.counts.get(t.name, 0) for t in registry.types.values() if t.area == area)
        board.areas.append(AreaStatus(area, len(rules), len(done) - failed - errors - warnings, warnings, errors, records,
                                      pending=len(rules) - len(done), failed=failed))
