"""A case's way from registered to closed: investigated, decided — a leader records the decision
of the deciding body (问责决定机关, a unit), its date and document number, on or after the day it
occurred, with at least one responsible person named (the ledger checks that part, see
``validation``) — then closed once the organisation department has been told and the decision
filed with the organisation department above (问责条例 (2016) 第九条: 向组织部门通报 … 报上一级组织部门备案).

Each guard looks at the case as it would be after the step and returns the reason it may not
happen.
"""

from __future__ import annotations

from typing import Any, Mapping

from duty_tui.i18n import L
from duty_tui.schema import State, Transition, Workflow

REGISTERED, INVESTIGATING, DECIDED, CLOSED = "registered", "investigating", "decided", "closed"
UNDECIDED = (REGISTERED, INVESTIGATING)
DECIDED_STATES = (DECIDED, CLOSED)

Case = Mapping[str, Any]


def needs_decision(case: Case) -> L | None:
    missing = [label for name, label in (("decision", L("处理决定", "the decision")), ("decided_on", L("决定日期", "its date")),
                                         ("deciding_body", L("问责决定机关", "the deciding body")),
                                         ("decision_no", L("决定文号", "its document number"))) if not case.get(name)]
    if missing:
        return L("作出决定需要填写：{fields}", "a decision needs {fields}").format(fields=missing)
    return None


def decided_after_occurrence(case: Case) -> L | None:
    decided, occurred = case.get("decided_on"), case.get("occurred_on")
    if decided and occurred and decided < occurred:
        return L("决定日期 {decided} 早于发生日期 {occurred}", "decided on {decided}, before it occurred on {occurred}").format(
            decided=decided.isoformat(), occurred=occurred.isoformat())
    return None


def needs_filing(case: Case) -> L | None:
    if not case.get("filed_with_organization_on"):
        return L("办结前应将处理决定报上级组织部门备案，并填写备案日期",
                 "before it is closed, the decision is filed with the organisation department above: give the filing date")
    return None


def needs_report(case: Case) -> L | None:
    if not case.get("reported_to_organization_on"):
        return L("办结前应将问责情况通报组织部门，并填写通报日期",
                 "before it is closed, the organisation department is told of the decision: give the day it was")
    return None


REPORTED_AND_FILED = (("reported_to_organization_on", L("通报日期", "reported")), ("filed_with_organization_on", L("备案日期", "filed")))


def after_decision_problems(case: Case) -> list[tuple[str, L]]:
    """(field, reason) for each of the report and the filing dated before the decision."""
    decided, problems = case.get("decided_on"), []
    for name, what in REPORTED_AND_FILED:
        day = case.get(name)
        if day and decided and day < decided:
            problems.append((name, L("{what} {day} 早于决定日期 {decided}", "{what} on {day}, before the decision on {decided}").format(
                what=what, day=day.isoformat(), decided=decided.isoformat())))
    return problems


def filed_after_decision(case: Case) -> L | None:
    problems = after_decision_problems(case)
    return problems[0][1] if problems else None


STATES = (
    State(REGISTERED, L("已登记", "registered")),
    State(INVESTIGATING, L("调查中", "investigating")),
    State(DECIDED, L("已决定", "decided")),
    State(CLOSED, L("已办结", "closed")),
)

CASE_WORKFLOW = Workflow(
    states=STATES,
    initial=REGISTERED,
    transitions=(
        Transition("investigate", (REGISTERED,), INVESTIGATING, L("开始调查", "investigate")),
        Transition("decide", (INVESTIGATING,), DECIDED, L("作出决定", "decide"), role="leader",
                   guards=(needs_decision, decided_after_occurrence),
                   fields=("decision", "decided_on", "deciding_body", "decision_no", "org_measure")),
        Transition("close", (DECIDED,), CLOSED, L("办结", "close"), guards=(needs_report, needs_filing, filed_after_decision),
                   fields=("reported_to_organization_on", "filed_with_organization_on")),
    ),
)
