"""The accountability rules. A decided case that names no responsible person (or only exempt ones)
or no decision is wrong now, so an error. A case left undecided is warned about from
``accountability.case-stale.warn-days`` after it occurred (60 by default) and is an error past
``accountability.case-stale.days`` (90): counted from the day it occurred, in every year until
it is decided."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ledger import Record
from duty_tui.rules import ERROR, WARNING, Finding, Rule, RuleContext

from .settings import STALE_DAYS, WARN_DAYS
from .types import AREA
from .workflow import DECIDED_STATES, UNDECIDED


def in_scope(ctx: RuleContext, case: Record) -> bool:
    """A case of a unit in scope (its own, else its event's organising unit); one that names
    neither is the committee's."""
    scope = ctx.units_in_scope()
    if scope is None:
        return True
    unit = case.data.get("unit")
    if not unit and case.data.get("event"):
        event = ctx.ledger.find(case.data["event"])
        unit = event.data.get("organizer_unit") if event is not None else None
    return unit in scope if unit else ctx.committee_in_scope()


def check_case_responsible(ctx: RuleContext) -> list[Finding]:
    parties: dict[str, list[Record]] = {}
    if "case_party" in ctx.ledger.registry.types:
        for party in ctx.records("case_party"):
            parties.setdefault(party.data["case"], []).append(party)
    findings = []
    for case in ctx.records("case", in_year=True):
        if case.state not in DECIDED_STATES or not in_scope(ctx, case):
            continue
        own = parties.get(case.id, [])
        answering = [p for p in own if not p.data.get("dissent_recorded")]
        lacks = []
        if not answering:
            lacks.append(L("责任人（所列人员均因不同意见记录在案而免责）", "a responsible person (everyone named is exempt by a recorded dissent)")
                         if own else L("责任人", "a responsible person"))
        if not case.data.get("decision"):
            lacks.append(L("处理决定", "a decision"))
        if lacks:
            missing = L("、".join(x.zh for x in lacks), " or ".join(x.en for x in lacks))
            findings.append(ctx.finding(ERROR, L("{title}：已{state}，但没有{lacks}", "{title}: {state} without {lacks}").format(
                title=case.data["title"], state=L("决定" if case.state == "decided" else "办结", case.state), lacks=missing),
                [case.id] + [p.id for p in own]))
    return findings


def check_case_stale(ctx: RuleContext) -> list[Finding]:
    limit, warn = ctx.setting(STALE_DAYS), ctx.setting(WARN_DAYS)
    findings = []
    for case in ctx.records("case"):
        occurred = case.data["occurred_on"]
        if case.state not in UNDECIDED or occurred > ctx.year_end or not in_scope(ctx, case):
            continue
        days = (ctx.today - occurred).days
        if days > limit:
            message = L("{title}：发生 {days} 天仍未作出决定（应在 {limit} 天内）", "{title}: undecided {days} days after it occurred (the limit is {limit})")
            severity = ERROR
        elif days > warn:
            message = L("{title}：发生已 {days} 天，应在 {limit} 天内作出决定", "{title}: {days} days since it occurred; decide within {limit}")
            severity = WARNING
        else:
            continue
        findings.append(ctx.finding(severity, message.format(title=case.data["title"], days=days, limit=limit), [case.id]))
    return findings


RULES = (
    Rule("accountability.case-responsible", AREA, L("认定责任人和处理决定", "responsible persons and decisions"), check_case_responsible),
    Rule("accountability.case-stale", AREA, L("案件久拖不决", "cases left undecided"), check_case_stale),
)
