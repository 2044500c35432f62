"""The team rules. A count that can still be met while the year runs is a warning, and an error
once the year is over (``ctx.shortfall``); a rectification past its due date is late already, so
it is an error at once, in every year until it is done."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ledger import Record
from duty_tui.rules import ERROR, Finding, Fix, Rule, RuleContext

from .settings import CONTACT_ACTIVITY_MIN, SELF_INSPECTION_MIN
from .types import AREA
from .workflow import OPEN


def check_self_inspection(ctx: RuleContext) -> list[Finding]:
    """Self-inspections dated in the year up to today: the committee's own obligation."""
    if not ctx.committee_in_scope():
        return []
    need = ctx.setting(SELF_INSPECTION_MIN)
    records = ctx.records("self_inspection", in_year=True)
    held = [r for r in records if r.data["date"] <= ctx.today]
    finding = ctx.shortfall(len(held), need, L("意识形态工作自查 {have}/{need} 次", "{have} of {need} self-inspections").format(
        have=len(held), need=need), [r.id for r in held], Fix("self_inspection"))
    return [finding] if finding else []


def check_rectification_overdue(ctx: RuleContext) -> list[Finding]:
    """Inspections still open whose due date has passed, due in the year or before it (a problem
    left unrectified does not go away at New Year), of the units in scope."""
    scope = ctx.units_in_scope()
    findings = []
    for inspection in ctx.records("self_inspection", state=OPEN):
        due = inspection.data.get("due")
        if not due or due >= ctx.today or due > ctx.year_end:
            continue
        if scope is not None and inspection.data.get("unit") not in scope:
            continue
        days = (ctx.today - due).days
        findings.append(ctx.finding(ERROR, L("{topic}（{date}）：整改时限 {due} 已过 {days} 天，仍未整改",
                                             "{topic} ({date}): due {due}, {days} day(s) overdue and still open").format(
            topic=inspection.data["topic"], date=inspection.data["date"].isoformat(), due=due.isoformat(), days=days),
            [inspection.id]))
    return findings


def contacts_in_year(ctx: RuleContext) -> list[Record]:
    """Contacts kept during some part of the year."""
    return [c for c in ctx.records("contact")
            if (c.data.get("since") or ctx.year_start) <= ctx.year_end and (c.data.get("until") or ctx.year_end) >= ctx.year_start]


def check_contact_liaison(ctx: RuleContext) -> list[Finding]:
    if not ctx.committee_in_scope():
        return []
    findings = [ctx.shortfall(0, 1, L("{name}：没有联系干部", "{name}: no liaison cadre").format(name=c.data["name"]), [c.id])
                for c in contacts_in_year(ctx) if not c.data.get("liaison")]
    return [f for f in findings if f]


def check_contact_activity(ctx: RuleContext) -> list[Finding]:
    if not ctx.committee_in_scope():
        return []
    need = ctx.setting(CONTACT_ACTIVITY_MIN)
    activities: dict[str, list[str]] = {}
    for activity in ctx.records("liaison_activity", in_year=True):
        if activity.data["date"] <= ctx.today:
            for contact in activity.data.get("contacts") or []:
                activities.setdefault(contact, []).append(activity.id)
    findings = []
    for contact in contacts_in_year(ctx):
        had = activities.get(contact.id, [])
        findings.append(ctx.shortfall(len(had), need, L("{name}：{year}年联系活动 {have}/{need} 次",
                                                         "{name}: {have} of {need} liaison activities in {year}").format(
            name=contact.data["name"], year=ctx.year, have=len(had), need=need), [contact.id],
            Fix("liaison_activity", {"contacts": [contact.id], **({"cadre": c} if (c := contact.data.get("liaison")) else {})})))
    return [f for f in findings if f]


RULES = (
    Rule("team.self-inspection", AREA, L("意识形态工作自查", "self-inspections"), check_self_inspection),
    Rule("team.rectification-overdue", AREA, L("整改逾期", "overdue rectifications"), check_rectification_overdue),
    Rule("team.contact-liaison", AREA, L("知识分子联系干部", "liaison cadres of contacts"), check_contact_liaison),
    Rule("team.contact-activity", AREA, L("知识分子联系活动", "activities with contacts"), check_contact_activity),
)
