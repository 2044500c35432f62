"""The online rules. Each has a deadline of its own counted from the day an incident was found
(or the day a post goes out): before it, what is missing is a **warning** — it can still be
done; after it, an **error** — it was not done in time, which nothing entered later undoes
(an incident handled late stays late). The limits are settings (see settings.py for where each
default comes from).

* ``online.incident-handled``: every incident handled within its level's limit;
* ``online.incident-reported``: an incident at or above the higher level (setting) reported to
  the cyberspace and propaganda departments above within the limit;
* ``online.incident-briefed``: such an incident briefed to Party cadres (a ``briefing`` record,
  the assessment plugin's, named on the incident) within the limit: the plan's 三、1;
* ``online.publication-reviewed``: every post on an own outlet had its three reviews (三审): all
  three reviewers entered, three different persons, and the final one a member of the leading
  group in office that day (setting; where the leadership plugin keeps ``leader`` rows).
"""

from __future__ import annotations

import datetime as dt

from duty_tui.i18n import L
from duty_tui.ledger import Record
from duty_tui.rules import ERROR, WARNING, Finding, Fix, Rule, RuleContext

from .settings import BRIEFING_DAYS, FINAL_BY_LEADER, HIGHER_LEVEL, REPORT_UP_DAYS, handle_days_key
from .types import AREA, LEVEL_LABELS, PUBLICATION, REVIEWERS, level_rank


def incidents(ctx: RuleContext) -> list[Record]:
    """The year's incidents of the units in scope (one with no unit is the committee's own)."""
    scope = ctx.units_in_scope()
    out = []
    for incident in ctx.records("opinion_incident", in_year=True):
        unit = incident.data.get("unit")
        if scope is None or (unit in scope if unit else ctx.committee_in_scope()):
            out.append(incident)
    return out


def higher(ctx: RuleContext) -> list[Record]:
    floor = level_rank(ctx.setting(HIGHER_LEVEL))
    return [i for i in incidents(ctx) if level_rank(i.data["level"]) >= floor]


def named(incident: Record) -> dict:
    return {"summary": incident.data["summary"], "found": incident.data["found_on"].isoformat(),
            "level": LEVEL_LABELS.get(incident.data["level"], incident.data["level"])}


def deadline(ctx: RuleContext, incident: Record, done: dt.date | None, days: int, late: L, overdue: L, pending: L) -> Finding | None:
    """Done after the limit, or not done: an error once the limit has passed, else a warning."""
    due = incident.data["found_on"] + dt.timedelta(days=days)
    values = {**named(incident), "days": days, "due": due.isoformat()}
    if done is not None:
        if done > due:
            return ctx.finding(ERROR, late.format(done=done.isoformat(), **values), [incident.id])
        return None
    if ctx.today > due:
        return ctx.finding(ERROR, overdue.format(**values), [incident.id])
    return ctx.finding(WARNING, pending.format(**values), [incident.id])


def check_handled(ctx: RuleContext) -> list[Finding]:
    findings = []
    for incident in incidents(ctx):
        found = deadline(
            ctx, incident, incident.data.get("handled_on"), ctx.setting(handle_days_key(incident.data["level"])),
            L("{summary}（{found} 发现，{level}）：{done} 才处置，超过 {days} 天的时限",
              "{summary} (found {found}, {level}): handled on {done}, beyond the limit of {days} day(s)"),
            L("{summary}（{found} 发现，{level}）：逾期未处置，应于 {due} 前处置",
              "{summary} (found {found}, {level}): not handled, and it was due by {due}"),
            L("{summary}（{found} 发现，{level}）：尚未处置，应于 {due} 前处置",
              "{summary} (found {found}, {level}): not handled yet; due by {due}"))
        if found:
            findings.append(found)
    return findings


def check_reported(ctx: RuleContext) -> list[Finding]:
    findings = []
    days = ctx.setting(REPORT_UP_DAYS)
    for incident in higher(ctx):
        found = deadline(
            ctx, incident, incident.data.get("reported_up_on"), days,
            L("{summary}（{found} 发现，{level}）：{done} 才报告上级，超过 {days} 天的时限",
              "{summary} (found {found}, {level}): reported up on {done}, beyond the limit of {days} day(s)"),
            L("{summary}（{found} 发现，{level}）：未报告上级网信、宣传部门，应于 {due} 前报告",
              "{summary} (found {found}, {level}): not reported to the cyberspace and propaganda departments above; due by {due}"),
            L("{summary}（{found} 发现，{level}）：尚未报告上级，应于 {due} 前报告",
              "{summary} (found {found}, {level}): not reported up yet; due by {due}"))
        if found:
            findings.append(found)
    return findings


def check_briefed(ctx: RuleContext) -> list[Finding]:
    if "briefing" not in ctx.ledger.registry.types:
        return []
    days = ctx.setting(BRIEFING_DAYS)
    chosen = higher(ctx)
    briefings = {b.id: b for b in ctx.ledger.all("briefing")} if any(i.data.get("briefing") for i in chosen) else {}
    findings = []
    for incident in chosen:
        briefing = briefings.get(incident.data.get("briefing") or "")
        found = deadline(
            ctx, incident, briefing.data["date"] if briefing is not None else None, days,
            L("{summary}（{found} 发现，{level}）：{done} 才在党员干部中通报，超过 {days} 天的时限",
              "{summary} (found {found}, {level}): briefed to cadres on {done}, beyond the limit of {days} day(s)"),
            L("{summary}（{found} 发现，{level}）：未在党员干部中通报（应于 {due} 前），或通报未关联到此舆情",
              "{summary} (found {found}, {level}): not briefed to Party cadres (due by {due}), or the briefing is not linked to it"),
            L("{summary}（{found} 发现，{level}）：尚未通报，应于 {due} 前在党员干部中通报",
              "{summary} (found {found}, {level}): not briefed yet; due by {due}"))
        if found:
            if briefing is None:
                found = ctx.finding(found.severity, found.message, found.records,
                                    Fix("briefing", {"topic": f"网络舆情通报：{incident.data['summary']}"[:200], "audience": "全镇党员干部"}))
            findings.append(found)
    return findings


def leaders_on(ctx: RuleContext, day: dt.date, rows: list[Record] | None = None) -> set[str] | None:
    """The persons of the leading group in office on ``day``; None where nobody keeps ``leader``
    rows. ``rows``: the leader rows, when the caller read them already (one read for a year's posts)."""
    if "leader" not in ctx.ledger.registry.types:
        return None
    if rows is None:
        rows = ctx.ledger.all("leader")
    if not rows:
        return None
    return {r.data["person"] for r in rows
            if (r.data.get("since") is None or r.data["since"] <= day) and (r.data.get("until") is None or day <= r.data["until"])}


def reviewer_label(name: str) -> L:
    label = PUBLICATION.field(name).label
    return L(label.zh, label.en.lower())


def publication_problems(ctx: RuleContext, post: Record, leaders: dict) -> list[L]:
    data = post.data
    problems = []
    missing = [reviewer_label(name) for name in REVIEWERS if not data.get(name)]
    if missing:
        problems.append(L("缺{who}", "no {who}").format(who=L("、".join(m.zh for m in missing), ", ".join(m.en for m in missing))))
    given = [(name, data[name]) for name in REVIEWERS if data.get(name)]
    for i, (first, person) in enumerate(given):
        for second, other in given[i + 1:]:
            if person == other:
                problems.append(L("{a}与{b}为同一人", "the {a} and the {b} are the same person").format(
                    a=reviewer_label(first), b=reviewer_label(second)))
    final = data.get("final_reviewer")
    if final and leaders.setdefault("by-leader", ctx.setting(FINAL_BY_LEADER)):
        day = data["published_on"]
        if day not in leaders:
            if "rows" not in leaders:  # the leader rows, read once for the year's posts
                leaders["rows"] = ctx.ledger.all("leader") if "leader" in ctx.ledger.registry.types else []
            leaders[day] = leaders_on(ctx, day, leaders["rows"])
        if leaders[day] is not None and final not in leaders[day]:
            problems.append(L("终审人不是在任的领导班子成员", "the final reviewer is not a member of the leading group in office"))
    return problems


def check_publications(ctx: RuleContext) -> list[Finding]:
    scope = ctx.units_in_scope()
    posts = ctx.records("publication", in_year=True)
    outlets = {o.id: o for o in ctx.ledger.all("outlet")} if posts and "outlet" in ctx.ledger.registry.types else {}
    findings, leaders = [], {}
    for post in posts:
        outlet = outlets.get(post.data["outlet"])
        if scope is not None and (outlet is None or outlet.data.get("unit") not in scope):
            continue
        problems = publication_problems(ctx, post, leaders)
        if not problems:
            continue
        planned = post.data["published_on"] > ctx.today
        values = {"title": post.data["title"], "day": post.data["published_on"].isoformat(),
                  "outlet": str(outlet.data.get("name")) if outlet is not None else post.data["outlet"],
                  "problems": L("；".join(p.render("zh") for p in problems), "; ".join(p.render("en") for p in problems))}
        if planned:
            message = L("{outlet}《{title}》（计划 {day} 发布）：三审未完成：{problems}",
                        "{outlet}: “{title}” (to go out on {day}): the three reviews are not complete: {problems}")
        else:
            message = L("{outlet}《{title}》（{day} 发布）：未落实三审：{problems}",
                        "{outlet}: “{title}” (out on {day}): went out without its three reviews: {problems}")
        findings.append(ctx.finding(WARNING if planned else ERROR, message.format(**values), [post.id]))
    return findings


RULES = (
    Rule("online.incident-handled", AREA, L("网络舆情按时限处置", "Opinion incidents handled in time"), check_handled),
    Rule("online.incident-reported", AREA, L("较高等级舆情报告上级", "Higher-level incidents reported up"), check_reported),
    Rule("online.incident-briefed", AREA, L("较高等级舆情党内通报", "Higher-level incidents briefed to cadres"), check_briefed),
    Rule("online.publication-reviewed", AREA, L("自办媒体三审三校", "Own media: three reviews per post"), check_publications),
)
