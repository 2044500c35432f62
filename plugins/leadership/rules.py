"""The leadership rules. What is missing and can still be put right in the running year is a
warning, and an error once the year is over (``ctx.shortfall``); a contradiction — two first
responsible persons at once — is an error at once."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ledger import Record
from duty_tui.rules import ERROR, Finding, Fix, Rule, RuleContext

from .settings import AGENDA_MIN, STUDY_COUNT_MIN, STUDY_IDEOLOGY_MIN
from .tenure import EARLIEST, covered_units, current_leaders, overlapping, term
from .types import AREA, COVERED_UNIT_KINDS, DIRECT_RESPONSIBLE, FIRST_RESPONSIBLE, MEMBER


def leaders_in_role(ctx: RuleContext, role: str) -> list[Record]:
    return current_leaders(ctx.records("leader", role=role), ctx.year)


def shared_since(a, b):
    """The first day two overlapping terms share, or None when neither has a start."""
    start = max(term(a)[0], term(b)[0])
    return None if start == EARLIEST else start


def check_first_responsible(ctx: RuleContext) -> list[Finding]:
    if not ctx.committee_in_scope():
        return []
    rows = leaders_in_role(ctx, FIRST_RESPONSIBLE)
    if not rows:
        missing = ctx.shortfall(0, 1, L("{year}年没有在任的第一责任人（党委书记）",
                                        "no first responsible person (the secretary) in office in {year}").format(year=ctx.year))
        return [missing]
    rows.sort(key=lambda r: (term(r.data)[0], r.id))
    names = ctx.ledger.names("person", [r.data["person"] for r in rows])
    findings = []
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if overlapping(a.data, b.data):
                since = shared_since(a.data, b.data)
                findings.append(ctx.finding(ERROR, L(
                    "{a} 与 {b} 同时为第一责任人{since}：前一任的“任职止”是否漏填？",
                    "{a} and {b} are first responsible at the same time{since}: is the earlier term's “until” missing?",
                ).format(a=names.get(a.data["person"], a.data["person"]), b=names.get(b.data["person"], b.data["person"]),
                         since=L("（{d} 起）", " (from {d})").format(d=since.isoformat()) if since else ""), [a.id, b.id]))
    return findings


def check_direct_responsible(ctx: RuleContext) -> list[Finding]:
    if not ctx.committee_in_scope():
        return []
    rows = leaders_in_role(ctx, DIRECT_RESPONSIBLE)
    missing = ctx.shortfall(len(rows), 1, L("{year}年没有在任的直接责任人（分管宣传的领导）",
                                             "no direct responsible person (the member for propaganda) in office in {year}").format(year=ctx.year))
    return [missing] if missing else []


def check_divisions(ctx: RuleContext) -> list[Finding]:
    """Every unit in a member's divisions: the committee's obligation, judged where the committee's
    members can be seen (a check of one village, by an account bound to it, cannot see them)."""
    if not ctx.committee_in_scope() and ctx.ledger.scope is not None and ctx.ledger.scope == ctx.unit:
        return []
    leaders = current_leaders(ctx.records("leader"), ctx.year)
    covered = covered_units(leaders)
    scope = ctx.units_in_scope()
    units = [u for u in ctx.records("unit") if u.data.get("kind") in COVERED_UNIT_KINDS and (scope is None or u.id in scope)]
    findings: list[Finding | None] = []
    uncovered = [u for u in units if u.id not in covered]
    if uncovered:
        findings.append(ctx.shortfall(len(units) - len(uncovered), len(units), L(
            "{missing}/{total} 个单位无人分管：{names}", "{missing} of {total} units in no member's divisions: {names}",
        ).format(missing=len(uncovered), total=len(units), names=[str(u.data["name"]) for u in uncovered]),
            [u.id for u in uncovered]))
    if ctx.committee_in_scope():
        idle = [row for row in leaders if row.data.get("role") == MEMBER and not row.data.get("divisions")]
        names = ctx.ledger.names("person", [row.data["person"] for row in idle])
        for row in idle:
            findings.append(ctx.shortfall(0, 1, L("班子成员 {name} 没有分管单位", "the member {name} has no divisions").format(
                name=names.get(row.data["person"], row.data["person"])), [row.id]))
    return [f for f in findings if f]


def held_count(ctx: RuleContext, record_type: str, setting: str, message: L, planned_message: L, **equals) -> list[Finding]:
    """Records of the year dated up to today, against the threshold ``setting``; a shortfall is
    put right by one more record like those counted (``equals`` prefilled)."""
    if not ctx.committee_in_scope():
        return []
    need = ctx.setting(setting)
    records = ctx.records(record_type, in_year=True, **equals)
    held = [r for r in records if r.data["date"] <= ctx.today]
    planned = len(records) - len(held)
    template = planned_message if planned else message
    finding = ctx.shortfall(len(held), need, template.format(have=len(held), need=need, planned=planned), [r.id for r in held],
                            Fix(record_type, dict(equals)))
    return [finding] if finding else []


def check_study_count(ctx: RuleContext) -> list[Finding]:
    return held_count(ctx, "study_session", STUDY_COUNT_MIN,
                      L("中心组集中学习 {have}/{need} 次", "{have} of {need} central study sessions"),
                      L("中心组集中学习 {have}/{need} 次（另有 {planned} 次已安排）", "{have} of {need} central study sessions ({planned} more planned)"))


def check_study_ideology(ctx: RuleContext) -> list[Finding]:
    return held_count(ctx, "study_session", STUDY_IDEOLOGY_MIN,
                      L("意识形态专题学习 {have}/{need} 次", "{have} of {need} study sessions on ideological work"),
                      L("意识形态专题学习 {have}/{need} 次（另有 {planned} 次已安排）",
                        "{have} of {need} study sessions on ideological work ({planned} more planned)"),
                      ideology=True)


def check_agenda(ctx: RuleContext) -> list[Finding]:
    return held_count(ctx, "committee_meeting", AGENDA_MIN,
                      L("意识形态工作列入党委会议议题 {have}/{need} 次", "{have} of {need} committee meetings with ideological work on the agenda"),
                      L("意识形态工作列入党委会议议题 {have}/{need} 次（另有 {planned} 次已安排）",
                        "{have} of {need} committee meetings with ideological work on the agenda ({planned} more planned)"),
                      ideology_on_agenda=True)


RULES = (
    Rule("leadership.first-responsible", AREA, L("第一责任人", "first responsible person"), check_first_responsible),
    Rule("leadership.direct-responsible", AREA, L("直接责任人", "direct responsible person"), check_direct_responsible),
    Rule("leadership.divisions", AREA, L("一岗双责分工", "divisions of the members"), check_divisions),
    Rule("leadership.study-count", AREA, L("中心组学习次数", "central study sessions"), check_study_count),
    Rule("leadership.study-ideology", AREA, L("意识形态专题学习", "study on ideological work"), check_study_ideology),
    Rule("leadership.agenda", AREA, L("意识形态工作列入议事日程", "ideological work on the agenda"), check_agenda),
)
