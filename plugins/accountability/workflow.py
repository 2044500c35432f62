"""A case's way from registered to closed: investigated, decided by a leader (the decision, its
date and who decided, on or after the day it occurred, with at least one responsible person
named — the ledger checks that part, see ``validation``), then closed once the decision is
filed with the organisation department above (报上级组织部门备案).

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
                                         ("decided_by", L("决定人", "who decided"))) if not case.get(name)]
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


def filed_after_decision(case: Case) -> L | None:
    filed, decided = case.get("filed_with_organization_on"), case.get("decided_on")
    if filed and decided and filed < decided:
        return L("备案日期 {filed} 早于决定日期 {decided}", "filed on {filed}, before the decision on {decided}").format(
            filed=filed.isoformat(), decided=decided.isoformat())
    return None


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
                   fields=("decision", "decided_on", "decided_by")),
        Transition("close", (DECIDED,), CLOSED, L("办结", "close"), guards=(needs_filing, filed_after_decision),
                   fields=("filed_with_organization_on",)),
    ),
)
