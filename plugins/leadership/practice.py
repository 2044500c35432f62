"""Two ledgers of the committee's own practice (issue 18, items 1 and 4).

``analysis`` — 意识形态领域形势分析研判. The seed (三、1) asks the committee to keep abreast of
"意识形态领域出现的重要动向和问题"; the central measures ask for a regular analysis of the
ideological situation (定期分析研判意识形态领域情况). An analysis is held at a committee meeting
(``meeting``) or on its own; it records the topics, the situation as analysed, the measures
decided and the follow-up duties put on the responsibility list (``follow_ups``, ``duty_item``).

How it relates to the committee meeting's flag ``ideology_on_agenda`` (意识形态工作列入议题):
the flag says the meeting had ideological work on its agenda and is what ``leadership.agenda``
counts (纳入重要议事日程); an analysis record is what ``leadership.analysis-count`` counts. A
meeting flag alone is not an analysis. The two are reconciled by ``leadership.analysis-meeting``:
an analysis held at a meeting whose flag is not set is a contradiction (an error: tick the flag,
the meeting then counts for the agenda too); a meeting flagged whose title or topics speak of an
analysis (研判, 形势分析) while no analysis record refers to it gets a hint (a warning whose fix
opens an analysis at that meeting). An analysis at a meeting is dated the meeting's day.

``first_responsible_act`` — 第一责任人履职纪实. The seed (一): 书记是第一责任人 … "带头批评错误观点和
错误倾向，重要工作亲自部署、重要问题亲自过问、重大事件亲自处置". Each act: the day, the person (left
empty, the first responsible person in office that day is filled in when it is saved: the
later appointment if two terms overlap), the kind, the matter, and the records it concerns:
the leadership ledgers by typed reference (``meeting``, ``duty_item``, ``analysis``) and any
other record by its id in ``records`` (an event, a case, an outlet, an online incident…: typed
references to other plugins' types would make this plugin fail whenever one of them is not
installed), each checked to exist. Rules: the first responsible person's acts in the year, at
least ``leadership.first-responsible-acts.min``, and each kind at least its own setting; an
act recorded for someone who was not the first responsible person that day is named and not
counted. A person's duty record (述职材料) counts their acts by kind (the dossier's totals) and
lists them among the records naming them; the annual report counts them under 组织领导.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable

from duty_tui.errors import FieldError
from duty_tui.i18n import L
from duty_tui.ledger import Record
from duty_tui.reports import ReportContext, ReportSpec
from duty_tui.rules import ERROR, WARNING, Finding, Fix, Rule, RuleContext
from duty_tui.schema import CHOICE, DATE, LONG_TEXT, REFERENCE, REFERENCES, TEXT, Field, RecordType, choices

from .settings import ACT_KIND_MIN, ACTS_MIN, ANALYSIS_MIN
from .types import AREA, DONE, FIRST_RESPONSIBLE

# -- the record types ----------------------------------------------------------------------------

ANALYSIS = RecordType(
    name="analysis",
    answerable_fields=(),
    label=L("意识形态形势分析研判", "Ideological situation analysis"),
    count_label=L("{n} 次", "{n} analysis(es)"),
    short_label=L("形势分析研判", "Analyses"),
    area=AREA,
    help=L("定期分析研判意识形态领域情况（实施方案 三、1：及时掌握重要动向和问题）。在党委会上研判的，选“党委会议”，日期与会议同日；"
           "单独召开的，会议留空。",
           "The regular analysis of the ideological situation (the plan, 3.1). Held at a committee meeting: pick the meeting, "
           "dated that day; held on its own: leave the meeting empty."),
    fields=(
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True,
              help=L("在党委会上研判的，应与会议同日", "at a committee meeting: the meeting's day")),
        Field("topics", TEXT, L("研判主题", "Topics"), required=True, indexed=True, searchable=True, max_length=200,
              help=L("如：上半年意识形态领域形势分析研判", "e.g. the ideological situation in the first half-year")),
        Field("meeting", REFERENCE, L("党委会议", "Committee meeting"), target="committee_meeting", indexed=True,
              help=L("在党委会上研判的会议；单独召开的留空", "the committee meeting it was held at; empty when held on its own")),
        Field("situation", LONG_TEXT, L("形势分析", "Situation"), searchable=True,
              help=L("重要动向和问题：思想理论、新闻舆论、网络舆情、社会思潮等", "important trends and problems: theory, news, online opinion, currents of thought")),
        Field("measures", LONG_TEXT, L("应对措施", "Measures"), searchable=True,
              help=L("研究确定的工作措施；需跟进的事项列入责任清单（跟进事项）", "the measures decided; those to follow up go on the duty list (follow-ups)")),
        Field("follow_ups", REFERENCES, L("跟进事项", "Follow-up duties"), target="duty_item", indexed=True,
              help=L("责任清单中落实本次研判措施的事项", "the duty items that carry out the measures")),
        Field("chair", REFERENCE, L("主持人", "Chair"), target="person", indexed=True),
        Field("participants", REFERENCES, L("参加人员", "Participants"), target="person"),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("meeting", "chair"),
    title_field="topics",
    year_field="date",
    list_columns=("date", "topics", "meeting", "follow_ups"),
)

DEPLOY, INQUIRE, HANDLE, CRITICISE, OTHER = "deploy", "inquire", "handle", "criticise", "other"
ACT_KINDS = choices(
    (DEPLOY, "重要工作亲自部署", "deployed in person"),
    (INQUIRE, "重要问题亲自过问", "looked into in person"),
    (HANDLE, "重大事件亲自处置", "handled in person"),
    (CRITICISE, "带头批评错误观点和错误倾向", "led criticism of wrong views"),
    (OTHER, "其他", "other"),
)
SEED_KINDS = (DEPLOY, INQUIRE, HANDLE, CRITICISE)  # each with its own yearly minimum (settings)

FIRST_RESPONSIBLE_ACT = RecordType(
    name="first_responsible_act",
    answerable_fields=("person",),
    label=L("第一责任人履职纪实", "First responsible person's act"),
    count_label=L("{n} 次", "{n} act(s)"),
    short_label=L("书记履职纪实", "Secretary acts"),
    area=AREA,
    help=L("书记“重要工作亲自部署、重要问题亲自过问、重大事件亲自处置”“带头批评错误观点和错误倾向”（实施方案 一），每次一条。",
           "The secretary's own acts (the plan, part 1): deployed, looked into, handled in person, led criticism of wrong views; one row each."),
    fields=(
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True),
        Field("person", REFERENCE, L("第一责任人", "First responsible"), target="person", indexed=True,
              help=L("留空：保存时填入当日在任的第一责任人（党委书记）", "empty: the first responsible person in office that day is filled in on saving")),
        Field("kind", CHOICE, L("履职方式", "Kind"), required=True, choices=ACT_KINDS, indexed=True, searchable=True,
              help=L("deploy 亲自部署、inquire 亲自过问、handle 亲自处置、criticise 带头批评、other 其他",
                     "deploy, inquire, handle, criticise (led criticism of wrong views), other")),
        Field("matter", TEXT, L("事项", "Matter"), required=True, indexed=True, searchable=True, max_length=200,
              help=L("部署、过问、处置或批评的是什么", "what was deployed, looked into, handled or criticised")),
        Field("meeting", REFERENCE, L("党委会议", "Committee meeting"), target="committee_meeting", indexed=True),
        Field("duty_item", REFERENCE, L("责任清单事项", "Duty item"), target="duty_item", indexed=True),
        Field("analysis", REFERENCE, L("形势分析研判", "Situation analysis"), target="analysis", indexed=True),
        Field("records", TEXT, L("涉及的其他记录", "Other records concerned"), searchable=True, max_length=500,
              help=L("其他台账记录的编号，用逗号或空格分隔，如：event-3, case-1, outlet-2",
                     "ids of other records, separated by commas or spaces, e.g. event-3, case-1, outlet-2")),
        Field("notes", LONG_TEXT, L("经过和结果", "What was done"), searchable=True),
    ),
    unit_path=("person",),
    title_field="matter",
    year_field="date",
    list_columns=("date", "person", "kind", "matter"),
    describe=("date", "kind"),
    detail_lines=lambda ledger, record: act_detail(ledger, record),  # the other records by their titles
)

TYPES = (ANALYSIS, FIRST_RESPONSIBLE_ACT)

# -- helpers -------------------------------------------------------------------------------------

ID_TOKEN = re.compile(r"[^\s,，、;；]+")
ID_SHAPE = re.compile(r"^[a-z][a-z0-9_]*-[1-9][0-9]*$")


def record_ids(text: str | None) -> list[str]:
    """The record ids written in ``records`` (commas, 、, semicolons or spaces between)."""
    return ID_TOKEN.findall(text or "")


def in_office(row: Record | dict, day: dt.date) -> bool:
    data = row.data if isinstance(row, Record) else row
    return (data.get("since") or dt.date.min) <= day <= (data.get("until") or dt.date.max)


def first_responsible_on(rows: Iterable[Record], day: dt.date) -> Record | None:
    """The first responsible person's ``leader`` row holding on ``day``; of two (a term never
    closed) the later appointment."""
    holding = [r for r in rows if r.data.get("role") == FIRST_RESPONSIBLE and in_office(r, day)]
    holding.sort(key=lambda r: (r.data.get("since") or dt.date.min, r.id))
    return holding[-1] if holding else None


def first_responsible_rows(ledger) -> list[Record]:
    return ledger.all("leader", role=FIRST_RESPONSIBLE)


# -- validation and the person filled in ---------------------------------------------------------

def analysis_problems(ledger, after: dict) -> list[FieldError]:
    meeting_id = after.get("meeting")
    if not meeting_id or not after.get("date"):
        return []
    meeting = ledger.find(meeting_id)
    if meeting is None or meeting.data.get("date") in (None, after["date"]):
        return []
    return [FieldError("date", L("在党委会议上研判的，日期应与会议同日：{title} 于 {d} 召开，本条为 {mine}",
                                 "an analysis at a committee meeting is dated that day: {title} was held on {d}, this says {mine}").format(
        title=str(meeting.data.get("title") or meeting.id), d=meeting.data["date"].isoformat(), mine=after["date"].isoformat()))]


def act_problems(ledger, after: dict) -> list[FieldError]:
    errors = []
    for token in record_ids(after.get("records")):
        if not ID_SHAPE.match(token):
            errors.append(FieldError("records", L("“{t}” 不是记录编号（应如 event-3）", "“{t}” is not a record id (such as event-3)").format(t=token)))
        elif token == after.get("id"):
            errors.append(FieldError("records", L("不能涉及本条记录自身（{t}）", "cannot name this record itself ({t})").format(t=token)))
        elif ledger.find(token) is None:
            errors.append(FieldError("records", L("没有编号为 {t} 的记录", "there is no record {t}").format(t=token)))
    if not after.get("person") and after.get("date") and "leader" in ledger.registry.types:
        if first_responsible_on(first_responsible_rows(ledger), after["date"]) is None:
            errors.append(FieldError("person", L("{d} 没有在任的第一责任人，请填写人员", "no first responsible person was in office on {d}: name the person").format(
                d=after["date"].isoformat())))
    return errors


def problems(ledger, record_type, after) -> list[FieldError]:
    if record_type.name == "analysis":
        return analysis_problems(ledger, after)
    if record_type.name == "first_responsible_act":
        return act_problems(ledger, after)
    return []


def fill_person(ledger, action: str, record: Record | None) -> None:
    """An act saved with no person: the first responsible in office that day, as a write of its own."""
    if record is None or record.type != "first_responsible_act" or record.data.get("person") or action == "delete":
        return
    if "leader" not in ledger.registry.types or not record.data.get("date"):
        return
    row = first_responsible_on(first_responsible_rows(ledger), record.data["date"])
    if row is not None:
        ledger.update(record.id, {"person": row.data["person"]})


def act_detail(ledger, record) -> list[tuple[Any, Any]]:
    """The detail's line naming the other records an act concerns, by their titles."""
    ids = record_ids(record.data.get("records"))
    if not ids:
        return []
    titles = ledger.titles(ids)
    return [(L("涉及的其他记录", "Other records concerned"), "；".join(f"{i} {titles.get(i) or ''}".strip() for i in ids))]


# -- rules ---------------------------------------------------------------------------------------

def held(ctx: RuleContext, record_type: str) -> tuple[list[Record], int]:
    records = ctx.records(record_type, in_year=True)
    done = [r for r in records if r.data["date"] <= ctx.today]
    return done, len(records) - len(done)


def check_analysis_count(ctx: RuleContext) -> list[Finding]:
    if not ctx.committee_in_scope():
        return []
    need = ctx.setting(ANALYSIS_MIN)
    done, planned = held(ctx, "analysis")
    message = (L("意识形态领域形势分析研判 {have}/{need} 次（另有 {planned} 次已安排）",
                 "{have} of {need} analyses of the ideological situation ({planned} more planned)") if planned else
               L("意识形态领域形势分析研判 {have}/{need} 次", "{have} of {need} analyses of the ideological situation"))
    finding = ctx.shortfall(len(done), need, message.format(have=len(done), need=need, planned=planned), [r.id for r in done],
                            Fix("analysis", {}))
    return [finding] if finding else []


ANALYSIS_WORDS = re.compile(r"研判|形势分析|分析.{0,6}形势|situation analysis|analys[ie]s of the (ideological )?situation", re.I)


def check_analysis_meeting(ctx: RuleContext) -> list[Finding]:
    if not ctx.committee_in_scope():
        return []
    findings = []
    analyses = ctx.records("analysis", in_year=True)
    at_meeting = {a.data["meeting"]: a for a in analyses if a.data.get("meeting")}
    meetings = {m.id: m for m in ctx.records("committee_meeting", in_year=True)}
    for mid, analysis in at_meeting.items():
        meeting = meetings.get(mid) or ctx.ledger.find(mid)
        if meeting is not None and not meeting.data.get("ideology_on_agenda"):
            findings.append(ctx.finding(ERROR, L(
                "{m} 研判了意识形态形势（{a}），却未标记“意识形态工作列入议题”：请在会议中勾选",
                "{m} analysed the ideological situation ({a}) but is not marked “ideological work on the agenda”: tick it on the meeting",
            ).format(m=str(meeting.data.get("title") or mid), a=str(analysis.data["topics"])), [meeting.id, analysis.id]))
    referred = {a.data.get("meeting") for a in ctx.records("analysis")}
    for meeting in meetings.values():
        words = f"{meeting.data.get('title') or ''} {meeting.data.get('topics') or ''}"
        if (meeting.data.get("ideology_on_agenda") and meeting.id not in referred and meeting.data["date"] <= ctx.today
                and ANALYSIS_WORDS.search(words)):
            findings.append(ctx.finding(WARNING, L(
                "{m}（{d}）的议题含形势分析研判，但没有研判记录：请补录",
                "{m} ({d}) has a situation analysis on its agenda but no analysis record: enter it",
            ).format(m=str(meeting.data.get("title") or meeting.id), d=meeting.data["date"].isoformat()), [meeting.id],
                fix=Fix("analysis", {"meeting": meeting.id, "date": meeting.data["date"]})))
    return findings


def check_analysis_follow_up(ctx: RuleContext) -> list[Finding]:
    """Each analysis of the year decides measures or follow-up duties (a warning while the year
    runs, an error after); a follow-up duty not done by its due date is an error at once."""
    if not ctx.committee_in_scope():
        return []
    findings: list[Finding | None] = []
    analyses = [a for a in ctx.records("analysis", in_year=True) if a.data["date"] <= ctx.today]
    items = {}
    wanted = sorted({i for a in analyses for i in a.data.get("follow_ups") or []})
    for item_id in wanted:
        found = ctx.ledger.find(item_id)
        if found is not None:
            items[item_id] = found
    for a in sorted(analyses, key=lambda r: (r.data["date"], r.id)):
        topics = str(a.data["topics"])
        follow = a.data.get("follow_ups") or []
        if not follow and not (a.data.get("measures") or "").strip():
            findings.append(ctx.shortfall(0, 1, L("研判“{a}”（{d}）没有应对措施，也没有跟进事项",
                                                   "the analysis “{a}” ({d}) has no measures and no follow-up duties").format(
                a=topics, d=a.data["date"].isoformat()), [a.id]))
        for item_id in follow:
            item = items.get(item_id)
            due = item.data.get("due") if item else None
            if item is None or item.data.get("status") == DONE or due is None or due >= ctx.today:
                continue
            findings.append(ctx.finding(ERROR, L(
                "研判“{a}”的跟进事项“{t}”已逾期（{due} 到期，尚未完成）",
                "the follow-up duty “{t}” of the analysis “{a}” is overdue (due {due}, not done)",
            ).format(a=topics, t=str(item.data.get("title") or item_id), due=due.isoformat()), [item_id, a.id]))
    return [f for f in findings if f]


def secretary_acts(ctx: RuleContext) -> tuple[list[Record], list[Record], list[Record]]:
    """(the year's acts held so far by the first responsible person in office on each one's day,
    those recorded for someone else, the secretary's ``leader`` row a shortfall names: it leads
    the leaders' scorecard to the secretary alone)."""
    rows = first_responsible_rows(ctx.ledger) if "leader" in ctx.ledger.registry.types else []
    counted, others = [], []
    for act in ctx.records("first_responsible_act", in_year=True):
        if act.data["date"] > ctx.today:
            continue
        holding = [r for r in rows if in_office(r, act.data["date"])]
        if act.data.get("person") and any(r.data["person"] == act.data["person"] for r in holding):
            counted.append(act)
        else:
            others.append(act)
    start, end = dt.date(ctx.year, 1, 1), dt.date(ctx.year, 12, 31)
    of_year = [r for r in rows if (r.data.get("since") or dt.date.min) <= end and (r.data.get("until") or dt.date.max) >= start]
    # the secretary a shortfall names: the one in office at the end of what has passed of the year
    # (the later appointment of two), else the last one of the year
    current = first_responsible_on(of_year, min(ctx.today, end)) or (sorted(of_year, key=lambda r: r.data.get("since") or dt.date.min)[-1:] or [None])[0]
    return counted, others, [current] if current else []


def check_acts(ctx: RuleContext) -> list[Finding]:
    if not ctx.committee_in_scope():
        return []
    need = ctx.setting(ACTS_MIN)
    counted, others, rows = secretary_acts(ctx)
    findings: list[Finding | None] = []
    names = ctx.ledger.names("person", [a.data["person"] for a in others if a.data.get("person")])
    for act in others:
        who = names.get(act.data.get("person") or "", "")
        findings.append(ctx.finding(WARNING, L(
            "履职纪实“{m}”（{d}）记在 {who} 名下，其当日不是第一责任人：不计入书记履职",
            "the act “{m}” ({d}) is recorded for {who}, who was not the first responsible person that day: not counted",
        ).format(m=str(act.data["matter"]), d=act.data["date"].isoformat(), who=who or "-"), [act.id]))
    findings.append(ctx.shortfall(len(counted), need, L("第一责任人履职纪实 {have}/{need} 次",
                                                        "{have} of {need} acts of the first responsible person recorded").format(
        have=len(counted), need=need), [r.id for r in rows] + [a.id for a in counted], Fix("first_responsible_act", {})))
    return [f for f in findings if f]


def check_act_kinds(ctx: RuleContext) -> list[Finding]:
    if not ctx.committee_in_scope():
        return []
    counted, _others, rows = secretary_acts(ctx)
    kind = FIRST_RESPONSIBLE_ACT.field("kind")
    findings: list[Finding | None] = []
    for value in SEED_KINDS:
        need = ctx.setting(ACT_KIND_MIN.format(kind=value))
        mine = [a for a in counted if a.data.get("kind") == value]
        findings.append(ctx.shortfall(len(mine), need, L("第一责任人“{k}” {have}/{need} 次", "first responsible person “{k}”: {have} of {need}").format(
            k=kind.choice_label(value), have=len(mine), need=need), [r.id for r in rows] + [a.id for a in mine],
            Fix("first_responsible_act", {"kind": value})))
    return [f for f in findings if f]


RULES = (
    Rule("leadership.analysis-count", AREA, L("意识形态形势分析研判次数", "analyses of the ideological situation"), check_analysis_count),
    Rule("leadership.analysis-meeting", AREA, L("形势研判与党委会议一致", "analyses agree with the committee meetings"), check_analysis_meeting),
    Rule("leadership.analysis-follow-up", AREA, L("研判措施跟进落实", "analyses followed up"), check_analysis_follow_up),
    Rule("leadership.first-responsible-acts", AREA, L("第一责任人履职纪实", "acts of the first responsible person"), check_acts),
    Rule("leadership.first-responsible-act-kinds", AREA, L("亲自部署、亲自过问、亲自处置", "deployed, looked into, handled in person"),
         check_act_kinds),
)

# -- the report and the duty record --------------------------------------------------------------

def by_kind(ctx: ReportContext, acts: list[Record]) -> dict[str, int]:
    return {k: sum(1 for a in acts if a.data.get("kind") == k) for k in (*SEED_KINDS, OTHER)}


def acts_sentence(ctx: ReportContext, n: dict[str, int]) -> str:
    text = ctx.t("重要工作亲自部署{d}次、重要问题亲自过问{i}次、重大事件亲自处置{h}次，带头批评错误观点和错误倾向{c}次",
                 "deployed {d} times, looked into {i} times and handled {h} times in person, and led criticism of wrong views {c} times",
                 d=n[DEPLOY], i=n[INQUIRE], h=n[HANDLE], c=n[CRITICISE])
    if n[OTHER]:
        text += ctx.t("，其他履职{o}次", "; {o} other acts", o=n[OTHER])
    return text


def practice_figures(ctx: ReportContext) -> list[str]:
    out = []
    analyses = ctx.held("analysis")
    at_meeting = sum(1 for a in analyses if a.data.get("meeting"))
    follow = sorted({i for a in analyses for i in a.data.get("follow_ups") or []})
    done = sum(1 for i in follow if (r := ctx.ledger.find(i)) is not None and r.data.get("status") == DONE)
    text = ctx.t("开展意识形态领域形势分析研判{n}次（其中在党委会上研判{m}次）", "the ideological situation was analysed {n} times ({m} at committee meetings)",
                 n=len(analyses), m=at_meeting)
    if follow:
        text += ctx.t("，研究提出的措施列入责任清单跟进{f}项、已完成{d}项", "; {f} follow-up duties put on the duty list, {d} done", f=len(follow), d=done)
    out.append(text)
    acts = ctx.held("first_responsible_act")
    firsts = [a for a in acts if a.data.get("person")]
    if not firsts:
        out.append(ctx.t("本期未记录第一责任人履职纪实", "no act of the first responsible person recorded in the period"))
        return out
    names = ctx.ledger.names("person", sorted({a.data["person"] for a in firsts}))
    who = ("、" if ctx.lang == "zh" else ", ").join(names.values())
    out.append(ctx.t("党委书记{who}同志履行第一责任人职责，", "the secretary {who}, as first responsible person, ", who=who)
               + acts_sentence(ctx, by_kind(ctx, firsts)))
    return out


def person_practice_figures(ctx: ReportContext) -> list[str]:
    out = []
    acts = ctx.held("first_responsible_act", person=ctx.person)
    if acts:
        out.append(ctx.t("履行第一责任人职责，", "as first responsible person, ") + acts_sentence(ctx, by_kind(ctx, acts)))
    analyses = [a for a in ctx.held("analysis") if ctx.person in (a.data.get("participants") or []) or a.data.get("chair") == ctx.person]
    if analyses:
        out.append(ctx.t("参加意识形态领域形势分析研判{n}次", "took part in analysing the ideological situation {n} times", n=len(analyses)))
    return out


REPORTS = (
    ReportSpec("leadership.practice", L("形势分析研判和第一责任人履职", "Situation analyses and the secretary's acts"), area=AREA, order=11,
               figures=practice_figures),
    ReportSpec("leadership.practice.person", L("第一责任人履职纪实", "Acts as first responsible"), kind="dossier", order=11,
               figures=person_practice_figures),
)
