"""The accountability rules. A decided case that names no responsible person (or only exempt ones)
or no decision is wrong now, so an error. A case left undecided is warned about from
``accountability.case-stale.warn-days`` after it occurred (60 by default) and is an error past
``accountability.case-stale.days`` (90): counted from the day it occurred, in every year until
it is decided.

The measures' effects (``settings.EFFECTS``, the operator's table): a person given a measure
that bars the top grade, decided in a year, and graded 优秀 in that year's appraisal is an
error naming the case, the person and the clause; so is a pre-appointment review (任前考察, being
considered for a post) within the months a measure bars promotion. A measure of accountability
(通报 and heavier) on a closed case not yet put in the person's file is an error, on a decided
one a warning. Appraisals and reviews are read by record type and field name (``appraisal``:
person, year, grade; ``appointment_review``: person, date): the assessment plugin is not
imported, and these rules find nothing when it is not installed."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ledger import Record
from duty_tui.rules import ERROR, WARNING, Finding, Rule, RuleContext

import calendar
import datetime as dt

from .settings import APPOINTMENT_CLAUSE, EFFECTS, STALE_DAYS, WARN_DAYS, no_excellent_key, no_promotion_key
from .types import ACCOUNTABILITY_MEASURES, AREA, DECISIONS
from .workflow import CLOSED, DECIDED_STATES, UNDECIDED

EXCELLENT = "excellent"  # the appraisal's grade 优秀 (plugins/assessment), read by value or by its label


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


def measure_label(value: str) -> L:
    return next((c.label for c in DECISIONS if c.value == value), L(value, value))


def measures_taken(ctx: RuleContext) -> list[tuple[Record, Record]]:
    """(case, responsible person) for every measure on a decided or closed case in scope,
    whatever the year it was decided."""
    if "case_party" not in ctx.ledger.registry.types:
        return []
    cases = {c.id: c for c in ctx.records("case") if c.state in DECIDED_STATES and c.data.get("decided_on")}
    return [(cases[p.data["case"]], p) for p in ctx.records("case_party")
            if p.data.get("decision") and not p.data.get("dissent_recorded") and p.data["case"] in cases
            and in_scope(ctx, cases[p.data["case"]])]


def has_type(ctx: RuleContext, name: str, *fields: str) -> bool:
    rt = ctx.ledger.registry.types.get(name)
    return rt is not None and all(rt.has_field(f) for f in fields)


def is_excellent(ctx: RuleContext, grade) -> bool:
    if not grade:
        return False
    return grade == EXCELLENT or ctx.ledger.type("appraisal").field("grade").choice_label(grade).zh == "优秀"


def decision_ref(case: Record) -> str:
    return f"{case.data['title']}，{case.data['decision_no']}" if case.data.get("decision_no") else case.data["title"]


def person_names(ctx: RuleContext, taken) -> dict[str, str]:
    return ctx.ledger.titles({p.data["person"] for _, p, *_ in taken})


def check_measure_appraisal(ctx: RuleContext) -> list[Finding]:
    if not has_type(ctx, "appraisal", "person", "year", "grade"):
        return []
    taken = [(c, p) for c, p in measures_taken(ctx)
             if c.data["decided_on"].year == ctx.year and ctx.setting(no_excellent_key(p.data["decision"]))]
    if not taken:
        return []
    names = person_names(ctx, taken)
    findings = []
    for appraisal in ctx.ledger.query("appraisal", where={"year": ctx.year}, limit=None):
        if not is_excellent(ctx, appraisal.data.get("grade")):
            continue
        for case, party in taken:
            if party.data["person"] != appraisal.data.get("person"):
                continue
            measure = party.data["decision"]
            findings.append(ctx.finding(ERROR, L(
                "{name}：{year} 年受到{measure}（{case}，{decided}），当年年度考核不得确定为优秀等次，但考核为优秀。依据：{source}",
                "{name}: given {measure} in {year} ({case}, {decided}), so not to be graded excellent that year, yet graded "
                "excellent. Source: {source}").format(
                    name=names.get(party.data["person"]) or party.data["person"], year=ctx.year, measure=measure_label(measure),
                    case=decision_ref(case), decided=case.data["decided_on"].isoformat(), source=EFFECTS[measure][1]),
                [appraisal.id, case.id, party.id]))
    return findings


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_measure_promotion(ctx: RuleContext) -> list[Finding]:
    if not has_type(ctx, "appointment_review", "person", "date"):
        return []
    barred = []
    for case, party in measures_taken(ctx):
        months = ctx.setting(no_promotion_key(party.data["decision"]))
        if months:
            decided = case.data["decided_on"]
            barred.append((case, party, months, decided, add_months(decided, months)))
    if not barred:
        return []
    names = person_names(ctx, barred)
    findings = []
    for review in ctx.records("appointment_review", in_year=True):
        for case, party, months, decided, until in barred:
            if review.data.get("person") != party.data["person"] or not decided <= review.data["date"] < until:
                continue
            measure = party.data["decision"]
            findings.append(ctx.finding(ERROR, L(
                "{name}：{date} 作为考察对象任前考察，但 {decided} 受到{measure}（{case}），{months} 个月内（至 {until}）不得提拔。依据：{source}{clause}",
                "{name}: reviewed for a post on {date}, yet given {measure} on {decided} ({case}): no promotion for {months} "
                "months (until {until}). Source: {source} {clause}").format(
                    name=names.get(party.data["person"]) or party.data["person"], date=review.data["date"].isoformat(),
                    decided=decided.isoformat(), measure=measure_label(measure), case=decision_ref(case), months=months,
                    until=until.isoformat(), source=EFFECTS[measure][3], clause=APPOINTMENT_CLAUSE),
                [review.id, case.id, party.id]))
    return findings


def check_personal_file(ctx: RuleContext) -> list[Finding]:
    missing = [(c, p) for c, p in measures_taken(ctx)
               if p.data["decision"] in ACCOUNTABILITY_MEASURES and not p.data.get("filed_in_personal_file_on")
               and c.data["decided_on"].year == ctx.year]
    names = person_names(ctx, missing) if missing else {}
    return [ctx.finding(ERROR if case.state == CLOSED else WARNING, L(
        "{title}：{name} 受到{measure}，问责决定材料尚未归入个人档案（《中国共产党问责条例》（2016）第九条）",
        "{title}: {name} was given {measure}; the decision is not yet in their personal file (Accountability Regulations (2016), Art. 9)").format(
            title=case.data["title"], name=names.get(party.data["person"]) or party.data["person"], measure=measure_label(party.data["decision"])),
        [case.id, party.id]) for case, party in missing]


RULES = (
    Rule("accountability.case-responsible", AREA, L("认定责任人和处理决定", "responsible persons and decisions"), check_case_responsible),
    Rule("accountability.case-stale", AREA, L("案件久拖不决", "cases left undecided"), check_case_stale),
    Rule("accountability.measure-appraisal", AREA, L("影响期内的年度考核等次", "appraisal grades while a measure is in effect"),
         check_measure_appraisal),
    Rule("accountability.measure-promotion", AREA, L("影响期内的提拔考察", "promotion reviews while a measure is in effect"),
         check_measure_promotion),
    Rule("accountability.personal-file", AREA, L("问责决定归入个人档案", "decisions put in the personal file"), check_personal_file),
)
