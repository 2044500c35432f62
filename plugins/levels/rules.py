"""The levels rules: every unit that should sign has its responsibility agreement for the year and
has been supervised, the problems a supervision found are rectified by their due date, its
results are briefed (通报) in time, and every village and community Party secretary has given a
duty report for the year that covers ideological work.

Year semantics (docs/plugins.md): a count that can still be made good while the year runs is a
warning, an error once the year is over (``ctx.shortfall``); a deadline inside the year (a
rectification's due date, the briefing's) is a warning in the days before it
(``levels.reminder.days``) and an error once it has passed, in every year until it is done.

A finding names the unit's record (or the supervision, or the secretary) so the itemised
assessment counts it against that unit, and ``duty check --unit`` keeps to the units in scope.

**The secretary of a unit** is found as the chain of responsibility finds it, by the core
directory's ``is_secretary``: a person of the unit
whose post, or one part of it (parts separated by 、，,；/), ends in 书记 — 党支部书记, 党委书记,
村党组织书记 — but not 副书记, 纪委书记 or 原…书记. The duty reports are the assessment plugin's
``duty_report`` records (person, year, includes_ideology), read by type and field name only;
without that type installed the rule says so once instead of guessing."""

from __future__ import annotations

import datetime as dt

from duty_tui.directory import is_secretary
from duty_tui.i18n import L
from duty_tui.ledger import Record
from duty_tui.rules import ERROR, WARNING, Finding, Fix, Rule, RuleContext

from .settings import AGREEMENT_KINDS, BRIEFING_DAYS, DUTY_REPORT_KINDS, REMINDER_DAYS, SUPERVISION_MIN, kinds_of
from .types import AREA
from .workflow import OPEN

def units_of_kinds(ctx: RuleContext, setting: str) -> list[Record]:
    """The units of the kinds a setting lists, in scope, in the order they were entered."""
    kinds = kinds_of(ctx.setting(setting))
    scope = ctx.units_in_scope()
    units = [u for u in ctx.records("unit") if u.data.get("kind") in kinds and (scope is None or u.id in scope)]
    return sorted(units, key=lambda u: (kinds.index(u.data["kind"]), number(u.id)))


def number(record_id: str) -> int:
    tail = record_id.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def in_scope(ctx: RuleContext, unit_id: str | None) -> bool:
    scope = ctx.units_in_scope()
    return scope is None or unit_id in scope


def check_agreements(ctx: RuleContext) -> list[Finding]:
    """Every unit of the listed kinds has an agreement for the year, signed by today."""
    signed: dict[str, list[str]] = {}
    for agreement in ctx.records("agreement", in_year=True):
        if agreement.data["signed_on"] <= ctx.today:
            signed.setdefault(agreement.data["unit"], []).append(agreement.id)
    findings = []
    for unit in units_of_kinds(ctx, AGREEMENT_KINDS):
        if signed.get(unit.id):
            continue
        findings.append(ctx.shortfall(0, 1, L("{unit}：未签订 {year} 年度意识形态工作责任书", "{unit}: no responsibility agreement signed for {year}").format(
            unit=unit.data["name"], year=ctx.year), [unit.id], Fix("agreement", {"unit": unit.id, "year": ctx.year})))
    return [f for f in findings if f]


def check_supervision_count(ctx: RuleContext) -> list[Finding]:
    """Every unit of the listed kinds supervised at least ``levels.supervision.min`` times in
    the year, counting the supervisions held by today."""
    need = ctx.setting(SUPERVISION_MIN)
    held: dict[str, list[str]] = {}
    for supervision in ctx.records("supervision", in_year=True):
        if supervision.data["date"] <= ctx.today:
            held.setdefault(supervision.data["unit"], []).append(supervision.id)
    findings = []
    for unit in units_of_kinds(ctx, AGREEMENT_KINDS):
        have = held.get(unit.id, [])
        findings.append(ctx.shortfall(len(have), need, L("{unit}：{year}年接受督查 {have}/{need} 次", "{unit}: supervised {have} of {need} times in {year}").format(
            unit=unit.data["name"], year=ctx.year, have=len(have), need=need), [unit.id, *have], Fix("supervision", {"unit": unit.id})))
    return [f for f in findings if f]


def deadline(ctx: RuleContext, due: dt.date) -> str | None:
    """ERROR once ``due`` has passed, WARNING in the reminder days before it, else None. A due
    date after the year checked belongs to a later year's check."""
    if due > ctx.year_end:
        return None
    if due < ctx.today:
        return ERROR
    if (due - ctx.today).days <= ctx.setting(REMINDER_DAYS):
        return WARNING
    return None


def unit_names(ctx: RuleContext, records: list[Record]) -> dict[str, str]:
    return ctx.ledger.names("unit", [r.data["unit"] for r in records])


def check_rectification(ctx: RuleContext) -> list[Finding]:
    """Supervisions still open whose problems are due: an error past the due date, a warning in
    the days before it; dated in the year or before it (a problem left unrectified does not go
    away at New Year)."""
    open_ = [s for s in ctx.records("supervision", state=OPEN)
             if s.data.get("findings") and s.data.get("due") and s.data["date"] <= ctx.year_end and in_scope(ctx, s.data["unit"])]
    names = unit_names(ctx, open_)
    findings = []
    for s in open_:
        due = s.data["due"]
        severity = deadline(ctx, due)
        if severity is None:
            continue
        values = dict(unit=names.get(s.data["unit"], s.data["unit"]), date=s.data["date"].isoformat(), due=due.isoformat(),
                      days=abs((ctx.today - due).days))
        message = (L("{unit}（{date} 督查）：整改时限 {due} 已过 {days} 天，仍未整改",
                     "{unit} (supervised {date}): due {due}, {days} day(s) overdue and still open") if severity == ERROR else
                   L("{unit}（{date} 督查）：整改时限 {due}，还有 {days} 天", "{unit} (supervised {date}): rectification due {due}, in {days} day(s)"))
        findings.append(ctx.finding(severity, message.format(**values), [s.id]))
    return findings


def check_briefing(ctx: RuleContext) -> list[Finding]:
    """The results of each supervision held are briefed (通报) within ``levels.briefing.days``:
    an error once that has passed without a briefing, a warning in the reminder days before."""
    days = ctx.setting(BRIEFING_DAYS)
    pending = [s for s in ctx.records("supervision") if not s.data.get("briefed_on") and s.data["date"] <= min(ctx.today, ctx.year_end)
               and in_scope(ctx, s.data["unit"])]
    names = unit_names(ctx, pending)
    findings = []
    for s in sorted(pending, key=lambda r: (r.data["date"], number(r.id))):
        due = s.data["date"] + dt.timedelta(days=days)
        severity = deadline(ctx, due)
        if severity is None:
            continue
        values = dict(unit=names.get(s.data["unit"], s.data["unit"]), date=s.data["date"].isoformat(), due=due.isoformat(), n=days,
                      days=abs((ctx.today - due).days))
        message = (L("{unit}（{date} 督查）：督查结果应于 {due} 前通报（{n} 天内），已逾期 {days} 天",
                     "{unit} (supervised {date}): the results were due to be briefed by {due} (within {n} days), {days} day(s) overdue")
                   if severity == ERROR else
                   L("{unit}（{date} 督查）：督查结果应于 {due} 前通报，还有 {days} 天",
                     "{unit} (supervised {date}): the results are to be briefed by {due}, in {days} day(s)"))
        findings.append(ctx.finding(severity, message.format(**values), [s.id]))
    return findings


def check_secretary_reports(ctx: RuleContext) -> list[Finding]:
    """Every Party secretary of a unit of the listed kinds (村（社区）党组织书记) has a duty report
    for the year (a warning while it runs, an error after), and it covers ideological work (an
    error at once: the report is given). A unit with no secretary recorded is a warning: whose
    report is due cannot be told."""
    units = units_of_kinds(ctx, DUTY_REPORT_KINDS)
    if not units:
        return []
    if "duty_report" not in ctx.ledger.registry.types:
        return [ctx.finding(WARNING, L("未安装述职报告（duty_report）台账，无法检查村（社区）党组织书记述职",
                                       "no duty_report ledger is installed: the secretaries' duty reports cannot be checked"))]
    reports: dict[str, list[Record]] = {}
    for report in ctx.records("duty_report", in_year=True):
        reports.setdefault(report.data.get("person"), []).append(report)
    findings: list[Finding | None] = []
    for unit in units:
        name = unit.data["name"]
        secretaries = [p for p in ctx.records("person", unit=unit.id) if is_secretary(p.data.get("post"))]
        if not secretaries:
            findings.append(ctx.finding(WARNING, L("{unit}：名录中没有党组织书记（职务以“书记”结尾），无法检查其述职",
                                                   "{unit}: no Party secretary in the directory (a post ending in 书记), so their duty report cannot be checked").format(
                unit=name), [unit.id]))
            continue
        for person in secretaries:
            own = reports.get(person.id, [])
            values = dict(unit=name, name=person.data["name"], year=ctx.year)
            if not own:
                findings.append(ctx.shortfall(0, 1, L("{unit}党组织书记{name}：没有 {year} 年度述职报告",
                                                      "{unit}'s Party secretary {name}: no duty report for {year}").format(**values),
                                              [person.id], Fix("duty_report", {"person": person.id, "year": ctx.year, "includes_ideology": True})))
            elif not any(r.data.get("includes_ideology") for r in own):
                findings.append(ctx.finding(ERROR, L("{unit}党组织书记{name}：{year} 年度述职报告未包含意识形态工作",
                                                     "{unit}'s Party secretary {name}: the duty report for {year} leaves out ideological work").format(**values),
                                            [r.id for r in own]))
    return [f for f in findings if f]


RULES = (
    Rule("levels.agreement", AREA, L("签订意识形态工作责任书", "responsibility agreements signed"), check_agreements),
    Rule("levels.supervision-count", AREA, L("督查覆盖各单位", "every unit supervised"), check_supervision_count),
    Rule("levels.rectification-overdue", AREA, L("督查问题按期整改", "supervision problems rectified in time"), check_rectification),
    Rule("levels.briefing", AREA, L("督查结果及时通报", "supervision results briefed in time"), check_briefing),
    Rule("levels.secretary-reports", AREA, L("村（社区）党组织书记述职", "village and community secretaries' duty reports"),
         check_secretary_reports),
)
