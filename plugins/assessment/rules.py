"""The assessment rules. Counts that can still be met while the year runs are warnings, and
errors once it is over (``ctx.shortfall``). A duty report that was given without ideological
work in it is an error at once: the report is given, and waiting will not change it."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.rules import ERROR, Finding, Fix, Rule, RuleContext

from .leaders import leaders_of_year
from .settings import CONGRESS_REPORT_MIN, LIFE_MEETING_MIN, SUPERIOR_REPORTS_MIN
from .types import AREA


def held_with_ideology(ctx: RuleContext, record_type: str, setting: str, message: L) -> list[Finding]:
    """Records of the year dated up to today that include ideological work, against ``setting``."""
    if not ctx.committee_in_scope():
        return []
    need = ctx.setting(setting)
    held = [r for r in ctx.records(record_type, in_year=True, includes_ideology=True) if r.data["date"] <= ctx.today]
    finding = ctx.shortfall(len(held), need, message.format(have=len(held), need=need), [r.id for r in held],
                            Fix(record_type, {"includes_ideology": True}))
    return [finding] if finding else []


def check_superior_reports(ctx: RuleContext) -> list[Finding]:
    return held_with_ideology(ctx, "superior_report", SUPERIOR_REPORTS_MIN,
                              L("向上级汇报意识形态工作 {have}/{need} 次", "{have} of {need} reports on ideological work to the superior committee"))


def check_congress_report(ctx: RuleContext) -> list[Finding]:
    return held_with_ideology(ctx, "congress_report", CONGRESS_REPORT_MIN,
                              L("向党员大会报告工作包含意识形态工作 {have}/{need} 次",
                                "{have} of {need} reports to the members' congress with ideological work in them"))


def check_life_meeting(ctx: RuleContext) -> list[Finding]:
    return held_with_ideology(ctx, "life_meeting", LIFE_MEETING_MIN,
                              L("民主生活会包含意识形态工作 {have}/{need} 次",
                                "{have} of {need} democratic life meetings with ideological work on them"))


def each_leader(ctx: RuleContext, record_type: str, missing: L, without_ideology: L | None) -> list[Finding]:
    """One finding per leader of the year whose record of ``record_type`` for the year is missing
    (a shortfall, put right by a new record for that person and year) or, when ``without_ideology`` is given, leaves ideological work out (an error)."""
    if not ctx.committee_in_scope():
        return []
    leaders = leaders_of_year(ctx.ledger, ctx.year)
    own: dict[str, list] = {}
    for record in ctx.records(record_type, in_year=True):
        own.setdefault(record.data["person"], []).append(record)
    names = ctx.ledger.names("person", [l.person for l in leaders])
    findings: list[Finding | None] = []
    for leader in leaders:
        name = names.get(leader.person, leader.person)
        records = own.get(leader.person, [])
        if not records:
            findings.append(ctx.shortfall(0, 1, missing.format(name=name, year=ctx.year), leader.rows,
                                          Fix(record_type, {"person": leader.person, "year": ctx.year})))
        elif without_ideology is not None and not any(r.data.get("includes_ideology") for r in records):
            findings.append(ctx.finding(ERROR, without_ideology.format(name=name, year=ctx.year), [r.id for r in records]))
    return [f for f in findings if f]


def check_duty_reports(ctx: RuleContext) -> list[Finding]:
    return each_leader(ctx, "duty_report",
                       L("{name}：没有 {year}年度述职报告", "{name}: no duty report for {year}"),
                       L("{name}：{year}年度述职报告未包含意识形态工作", "{name}: the duty report for {year} leaves out ideological work"))


def check_appraisal(ctx: RuleContext) -> list[Finding]:
    """Every leader has an appraisal for the year, and it assessed ideological work (the plan,
    三.4: 纳入……年度考核的重要内容): the flag ``ideology_assessed`` set and a score given. An
    appraisal entered without them is an error at once: it has been given."""
    findings = each_leader(ctx, "appraisal", L("{name}：没有 {year}年度考核", "{name}: no appraisal for {year}"), None)
    if not ctx.committee_in_scope():
        return findings
    leaders = {l.person for l in leaders_of_year(ctx.ledger, ctx.year)}
    mine = [r for r in ctx.records("appraisal", in_year=True) if r.data["person"] in leaders]
    names = ctx.ledger.names("person", [r.data["person"] for r in mine])
    for record in mine:
        flagged, score = record.data.get("ideology_assessed"), record.data.get("ideology_score")
        if flagged and score is not None:
            continue
        name = names.get(record.data["person"], record.data["person"])
        why = (L("未标记考核意识形态工作，也没有意识形态工作得分", "was neither marked as assessing ideological work nor scored on it") if not flagged and score is None
               else L("未标记考核意识形态工作", "was not marked as assessing ideological work") if not flagged
               else L("没有意识形态工作得分", "has no ideological-work score"))
        findings.append(ctx.finding(ERROR, L("{name}：{year}年度考核{why}", "{name}: the appraisal for {year} {why}").format(
            name=name, year=ctx.year, why=why), [record.id]))
    return findings


RULES = (
    Rule("assessment.superior-reports", AREA, L("向上级汇报", "reports to the superior committee"), check_superior_reports),
    Rule("assessment.congress-report", AREA, L("向党员大会报告", "report to the members' congress"), check_congress_report),
    Rule("assessment.life-meeting", AREA, L("民主生活会", "democratic life meeting"), check_life_meeting),
    Rule("assessment.duty-reports", AREA, L("述职报告", "duty reports"), check_duty_reports),
    Rule("assessment.appraisal", AREA, L("年度考核", "annual appraisal"), check_appraisal),
)
