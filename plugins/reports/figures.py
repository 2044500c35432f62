"""What the built-in areas say in the report and in a person's duty record (``ReportSpec`` with
``basics``, ``figures`` and ``plans``): the leading group and who answers for what (一、基本情况),
each area's figures for the period (二、主要做法和成效: "党委会专题研究意识形态工作X次，中心组集中学习X
次其中意识形态专题X次……"), the open duty items (四、下一步打算), and a person's posts, divisions and
totals (述职材料).

This plugin imports no other plugin: it reads the ledgers by their record types' names and
says nothing where a type is not installed (the leadership plugin disabled: no leading group).
Only what is in force counts: a session after ``ctx.as_of`` is planned, a leader whose term
ended before it is former, a cancelled or rejected event was not held. The assessment area's
figures and the scorecard are the assessment plugin's own (``plugins/assessment/report.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from duty_tui.i18n import L
from duty_tui.ledger import Record
from duty_tui.reports import ReportContext, ReportSpec
from duty_tui.reports.period import document_date

FIRST, DIRECT, MEMBER = "first_responsible", "direct_responsible", "member"
NOT_HELD = ("draft", "submitted", "rejected", "cancelled")


def _sep(ctx: ReportContext) -> str:
    return "、" if ctx.lang == "zh" else ", "


def _names(ctx: ReportContext, ids: Iterable[str]) -> list[str]:
    ids = [i for i in ids if i]
    titles = ctx.ledger.titles(ids)
    return [titles.get(i) or "" for i in ids if titles.get(i)]


def _in_force(row: Record, day: dt.date) -> bool:
    return (row.data.get("since") or dt.date.min) <= day <= (row.data.get("until") or dt.date.max)


def leaders_in_force(ctx: ReportContext) -> list[Record]:
    """The leading group on ``ctx.as_of``: rows whose term holds that day; of two first
    responsible persons whose terms both hold (an end never entered), the later appointment."""
    if not ctx.has("leader"):
        return []
    rows = [r for r in ctx.ledger.all("leader") if _in_force(r, ctx.as_of)]
    firsts = sorted((r for r in rows if r.data.get("role") == FIRST), key=lambda r: r.data.get("since") or dt.date.min)
    return [r for r in rows if r.data.get("role") != FIRST or r is firsts[-1]]


def _person_with_post(ctx: ReportContext, person_id: str) -> str:
    try:
        person = ctx.ledger.get(person_id)
    except Exception:
        return ""
    name, post = str(person.data.get("name") or ""), str(person.data.get("post") or "")
    if ctx.lang == "zh":
        return f"{post}{name}同志" if post and not post.startswith("原") else f"{name}同志"
    return f"{name} ({post})" if post else name


# -- 一、基本情况 ------------------------------------------------------------------------------------

def leadership_basics(ctx: ReportContext) -> list[str]:
    rows = leaders_in_force(ctx)
    if not rows:
        return []
    out = []
    firsts = [_person_with_post(ctx, r.data["person"]) for r in rows if r.data.get("role") == FIRST]
    directs = [_person_with_post(ctx, r.data["person"]) for r in rows if r.data.get("role") == DIRECT]
    members = _names(ctx, [r.data["person"] for r in rows if r.data.get("role") == MEMBER])
    out.append(ctx.t("成立意识形态工作领导小组，成员{n}人", "a leading group for ideological work has {n} members", n=len(rows)))
    if firsts:
        out.append(ctx.t("{who}为第一责任人，旗帜鲜明站在意识形态工作第一线", "{who} is the first responsible person",
                         who=_sep(ctx).join(firsts)))
    if directs:
        out.append(ctx.t("{who}为直接责任人，协助书记抓好统筹协调指导工作", "{who} the direct responsible person",
                         who=_sep(ctx).join(directs)))
    if members:
        units = ctx.ledger.all("unit") if ctx.has("unit") else []
        below = {u.id for u in units if u.data.get("kind") in ("village", "community", "department", "office")}
        covered = {u for r in rows for u in (r.data.get("divisions") or [])} & below
        out.append(ctx.t("班子成员{who}同志按照“一岗双责”要求，抓好分管单位的意识形态工作，分管覆盖{c}个单位（共{n}个）",
                         "the members {who} answer for the units in their divisions (one post, two duties), covering {c} of {n} units",
                         who=_sep(ctx).join(members), c=len(covered), n=len(below)))
    items = ctx.records("duty_item", "due")
    if items:
        out.append(ctx.t("制定意识形态工作责任清单，列明本期责任事项{n}项", "the responsibility list names {n} duties due in the period",
                         n=len(items)))
    return out


# -- 二、主要做法和成效 ------------------------------------------------------------------------------

def _hours(rows: list[Record]) -> str:
    total = sum(float(r.data.get("hours") or 0) for r in rows)
    return f"{total:g}"


def leadership_figures(ctx: ReportContext) -> list[str]:
    out = []
    if ctx.has("committee_meeting"):
        meetings = ctx.held("committee_meeting")
        on_agenda = [m for m in meetings if m.data.get("ideology_on_agenda")]
        out.append(ctx.t("把意识形态工作纳入重要议事日程，党委会专题研究意识形态工作{a}次（共召开党委会{m}次）",
                         "the committee discussed ideological work at {a} of its {m} meetings", a=len(on_agenda), m=len(meetings)))
    if ctx.has("study_session"):
        held = ctx.held("study_session")
        planned = [s for s in ctx.records("study_session") if s not in held]
        text = ctx.t("中心组集中学习{s}次，其中意识形态专题{i}次，累计{h}学时",
                     "the central study group met {s} times, {i} of them on ideological work, {h} hours in all",
                     s=len(held), i=sum(1 for s in held if s.data.get("ideology")), h=_hours(held))
        if planned:
            text += ctx.t("，另有{p}次已列入计划", " (another {p} planned)", p=len(planned))
        out.append(text)
    if ctx.has("duty_item"):
        items = ctx.records("duty_item", "due")
        if items:
            out.append(ctx.t("责任清单本期到期事项{n}项，已完成{d}项", "of the {n} duties due in the period, {d} done",
                             n=len(items), d=sum(1 for i in items if i.data.get("status") == "done")))
    return out


def _held_event(e: Record, ctx: ReportContext) -> bool:
    return e.state not in NOT_HELD and e.data.get("date") is not None and e.data["date"] <= ctx.as_of


def positions_figures(ctx: ReportContext) -> list[str]:
    out = []
    if ctx.has("event"):
        events = ctx.records("event")
        held = [e for e in events if _held_event(e, ctx)]
        proper = [e for e in held if e.data.get("approved_on") and e.data.get("filed_on")
                  and e.data["approved_on"] <= e.data["date"] and e.data["filed_on"] <= e.data["date"]]
        coming = [e for e in events if e.state not in ("rejected", "cancelled") and e not in held and e.data["date"] > ctx.as_of]
        text = ctx.t("落实“谁组织谁负责、谁审批谁监督”，审批备案报告会、研讨会、讲座、论坛{x}场（本期共举办{h}场）",
                     "report meetings, seminars, lectures and forums approved and filed before they were held: {x} ({h} held in all)",
                     x=len(proper), h=len(held))
        if coming:
            text += ctx.t("，另有{c}场正在报批或待举办", "; {c} more are being approved or still to come", c=len(coming))
        out.append(text)
    if ctx.has("outlet"):
        outlets = [o for o in ctx.ledger.all("outlet") if o.data.get("status", "active") == "active"]
        reviews = ctx.held("outlet_review") if ctx.has("outlet_review") else []
        issues = [r for r in reviews if r.data.get("result") == "issues"]
        out.append(ctx.t("管好用好宣传思想文化阵地{o}个，开展阵地巡查{r}次，发现并督促整改问题{i}处",
                         "{o} outlets in use, reviewed {r} times; problems found and followed up in {i} review(s)",
                         o=len(outlets), r=len(reviews), i=len(issues)))
    return out


def team_figures(ctx: ReportContext) -> list[str]:
    out = []
    if ctx.has("self_inspection"):
        checks = ctx.held("self_inspection")
        done = [c for c in checks if c.state in ("rectified", "verified")]
        out.append(ctx.t("开展意识形态工作自查{n}次，已整改{d}次、正在整改{o}次", "{n} self-inspections, {d} rectified and {o} still open",
                         n=len(checks), d=len(done), o=len(checks) - len(done)))
    if ctx.has("training"):
        trainings = ctx.held("training")
        out.append(ctx.t("组织意识形态工作教育培训{t}期{h}学时，参训{p}人次", "{t} trainings, {h} hours, {p} attendances",
                         t=len(trainings), h=_hours(trainings), p=sum(len(t.data.get("attendees") or []) for t in trainings)))
    if ctx.has("contact"):
        contacts = [c for c in ctx.ledger.all("contact") if (c.data.get("since") or dt.date.min) <= ctx.as_of
                    and (c.data.get("until") or dt.date.max) >= ctx.start]
        activities = ctx.held("liaison_activity") if ctx.has("liaison_activity") else []
        out.append(ctx.t("联系社科理论界、经济界、科学界知识分子{c}人，开展走访、座谈等联系活动{a}次",
                         "liaison with {c} intellectuals of the social sciences, economy and science: {a} visits, symposia and the like",
                         c=len(contacts), a=len(activities)))
    return out


def accountability_figures(ctx: ReportContext) -> list[str]:
    if not ctx.has("case"):
        return []
    cases = ctx.held("case")
    decided = [c for c in cases if c.state in ("decided", "closed")]
    filed = [c for c in decided if c.data.get("filed_with_organization_on")]
    return [ctx.t("对照《党委（党组）意识形态工作责任制实施办法》第十条所列情形严格追责问责，登记问责事项{n}件，已作出问责决定{d}件（其中报组织部门备案{f}件），正在调查处理{o}件",
                  "{n} accountability cases under Article 10 of the implementing measures: {d} decided ({f} filed with the organisation department), {o} still under way",
                  n=len(cases), d=len(decided), f=len(filed), o=len(cases) - len(decided))]


# -- 四、下一步打算 ----------------------------------------------------------------------------------

def duty_plans(ctx: ReportContext) -> list[str]:
    if not ctx.has("duty_item"):
        return []
    items = [i for i in ctx.ledger.all("duty_item") if i.data.get("status") != "done"
             and (i.data.get("due") is None or i.data["due"] <= dt.date(ctx.end.year + 1, 12, 31))]
    if not items:
        return []
    items.sort(key=lambda i: i.data.get("due") or dt.date.max)
    owners = ctx.ledger.titles(i.data.get("owner") for i in items if i.data.get("owner"))
    listed = []
    for i in items[:8]:
        who = owners.get(i.data.get("owner") or "", "")
        due = i.data.get("due")
        if ctx.lang == "zh":
            listed.append(f"{i.data['title']}（{who}{'，' + document_date(due, 'zh') + '前' if due else ''}）")
        else:
            listed.append(f"{i.data['title']} ({who}{', by ' + document_date(due, 'en') if due else ''})")
    return [ctx.t("抓好责任清单中尚未完成的{n}项事项：{items}", "to finish the {n} open duties of the responsibility list: {items}",
                  n=len(items), items=("；" if ctx.lang == "zh" else "; ").join(listed) + (" …" if len(items) > 8 else ""))]


# -- a person's duty record ----------------------------------------------------------------------

def person_basics(ctx: ReportContext) -> list[str]:
    if not ctx.has("leader"):
        return []
    rows = [r for r in ctx.ledger.all("leader", person=ctx.person)
            if (r.data.get("since") or dt.date.min) <= ctx.end and (r.data.get("until") or dt.date.max) >= ctx.start]
    if not rows:
        return [ctx.t("本期未担任领导小组职务", "held no post in the leading group in the period")]
    role_field = ctx.ledger.type("leader").field("role")
    out = []
    for r in sorted(rows, key=lambda r: r.data.get("since") or dt.date.min):
        role = role_field.choice_label(r.data.get("role")).render(ctx.lang)
        since, until = r.data.get("since"), r.data.get("until")
        if ctx.lang == "zh":
            term = (f"{document_date(since, 'zh')}起" if since else "") + (f"至{document_date(until, 'zh')}" if until else "")
            text = f"职责：{role}" + (f"（{term}）" if term else "")
        else:
            term = (f"from {document_date(since, 'en')}" if since else "") + (f" to {document_date(until, 'en')}" if until else "")
            text = f"Role: {role}" + (f" ({term.strip()})" if term else "")
        if r.data.get("duties"):
            text += ctx.t("，分工：{d}", "; portfolio: {d}", d=r.data["duties"])
        divisions = _names(ctx, r.data.get("divisions") or [])
        text += ctx.t("，分管单位：{u}", "; divisions: {u}", u=_sep(ctx).join(divisions)) if divisions else ctx.t("，无分管单位", "; no divisions")
        out.append(text)
    return out


def _naming(ctx: ReportContext, record_type: str, field: str) -> list[Record]:
    return [r for r in ctx.held(record_type) if ctx.person in (r.data.get(field) if isinstance(r.data.get(field), list)
                                                               else [r.data.get(field)])]


def person_figures(ctx: ReportContext) -> list[str]:
    out = []
    if ctx.has("study_session"):
        held = ctx.held("study_session")
        out.append(ctx.t("参加中心组集中学习{a}次、缺席{m}次（本期共学习{n}次）",
                         "attended {a} central study sessions and missed {m} ({n} held in the period)",
                         a=len(_naming(ctx, "study_session", "attendees")), m=len(_naming(ctx, "study_session", "absentees")), n=len(held)))
    if ctx.has("committee_meeting"):
        out.append(ctx.t("出席党委会{n}次", "attended {n} committee meetings", n=len(_naming(ctx, "committee_meeting", "attendees"))))
    if ctx.has("event"):
        organised = [e for e in ctx.held("event", organizer=ctx.person) if e.state not in ("rejected", "cancelled")]
        approved = [e for e in ctx.records("event", approver=ctx.person) if e.data.get("approved_on") and e.state != "cancelled"]
        held = [e for e in approved if e.data["date"] <= ctx.as_of]
        text = ctx.t("组织报告会、研讨会、讲座、论坛{o}场，审批{a}场", "organised {o} events; approved {a} events",
                     o=len(organised), a=len(held))
        if len(approved) > len(held):
            text += ctx.t("（另有{c}场已批准、尚未举办）", " (and {c} approved, still to come)", c=len(approved) - len(held))
        out.append(text)
    if ctx.has("training"):
        out.append(ctx.t("参加教育培训{n}次", "attended {n} trainings", n=len(_naming(ctx, "training", "attendees"))))
    if ctx.has("duty_item"):
        items = ctx.records("duty_item", "due", owner=ctx.person)
        out.append(ctx.t("牵头责任清单事项{n}项，已完成{d}项", "owns {n} duties of the list, {d} done", n=len(items),
                         d=sum(1 for i in items if i.data.get("status") == "done")))
    if ctx.has("case_party"):
        parties = ctx.ledger.all("case_party", person=ctx.person)
        cases = {p.data.get("case") for p in parties}
        out.append(ctx.t("被列为问责案件责任人{n}件", "named as responsible in {n} accountability case(s)", n=len(cases)))
    return out


REPORTS: tuple[Any, ...] = (
    ReportSpec("reports.leadership", L("组织领导", "Leadership"), area="leadership", order=10,
               basics=leadership_basics, figures=leadership_figures, plans=duty_plans),
    ReportSpec("reports.positions", L("阵地管理", "Positions"), area="positions", order=20, figures=positions_figures),
    ReportSpec("reports.team", L("队伍管理", "Team"), area="team", order=30, figures=team_figures),
    ReportSpec("reports.accountability", L("责任追究", "Accountability"), area="accountability", order=50, figures=accountability_figures),
    ReportSpec("reports.person", L("履职情况", "Totals"), kind="dossier", order=10, basics=person_basics, figures=person_figures),
)
