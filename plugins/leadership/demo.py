"""The sample town's leadership ledgers for ``duty demo``: the leading group (with a former
secretary whose term was never closed, so two first responsible persons overlap), divisions
that leave 城关社区 uncovered and 周涛 without a unit, this year's and last year's study
sessions and committee meetings, and a responsibility list with something due and overdue.

Situation analyses: this year one so far, at the July committee meeting (``analysis-count``
warns: 1 of 2 while the year runs), whose follow-up duties include the overdue 分工落实
(``analysis-follow-up``: an error); last year two, one at the meeting and one on its own in
December (a pass). The secretary 刘明宇's acts: this year four, none 亲自处置 (the count passes,
``first-responsible-act-kinds`` warns), one entered without a person (filled in as the first
responsible that day); last year one of each kind (a pass)."""

from __future__ import annotations

import datetime as dt

from duty_tui.demo import town_ids
from duty_tui.ledger import Ledger

from .types import DIRECT_RESPONSIBLE, FIRST_RESPONSIBLE, MEMBER

# (person, role, divisions, portfolio)
MEMBERS = (
    ("王建国", MEMBER, ("党政办公室", "东风村", "红星村"), "党政、经济"),
    ("陈丽", MEMBER, ("青山村", "综治中心"), "组织、综治"),
    ("周涛", MEMBER, (), "纪检监察"),
)
PORTFOLIOS = {"刘明宇": ("全面负责", ()), "余永福": ("宣传、文化", ("宣传办公室", "文化站"))}
FORMER_SECRETARY = ("黄志军", "原党委书记")

# (month-day, topic, on ideological work) — this year: four held, one planned for December
STUDIES = (
    ("02-20", "学习贯彻党的二十大精神", False),
    ("04-18", "意识形态工作责任制专题学习", True),
    ("06-25", "党章党规学习", False),
    ("09-12", "网络意识形态安全专题", False),
    ("12-18", "年度理论学习总结", False),
)
LAST_YEAR_STUDIES = (("03-10", "理论学习(一)", True), ("05-15", "理论学习(二)", False), ("07-20", "理论学习(三)", False),
                     ("09-18", "理论学习(四)", False), ("11-20", "理论学习(五)", False))
# (month-day, title, topics, ideology on the agenda)
MEETINGS = (
    ("03-05", "党委会(第 3 次)", "研究部署全年意识形态工作", True),
    ("07-08", "党委会(第 9 次)", "分析研判上半年意识形态形势", True),
    ("10-15", "党委会(第 14 次)", "秋冬季森林防火", False),
)
# (title, owner, area, month-day due or days from today, status)
DUTIES = (
    ("组织中心组集中学习全年不少于 6 次", "刘明宇", "leadership", "12-31", "in_progress"),
    ("管好用好镇属宣传阵地", "余永福", "positions", "06-30", "done"),
    ("网络意识形态安全隐患排查", "王建国", "positions", 10, "open"),
    ("村(居)意识形态工作分工落实", "陈丽", "leadership", -20, "open"),
)


# (month-day, topics, at the meeting of that day or None, measures, follow-up duty titles)
ANALYSES = (
    ("07-08", "上半年意识形态领域形势分析研判", True, "加强网络阵地巡查；村（居）落实意识形态工作分工",
     ("网络意识形态安全隐患排查", "村(居)意识形态工作分工落实")),
)
LAST_YEAR_ANALYSES = (
    ("07-08", "上半年意识形态领域形势分析研判", True, "开展网络谣言辟谣宣传", ()),
    ("12-20", "全年意识形态领域形势分析研判", False, "明年重点：宣传栏和村广播内容审核", ()),
)
SITUATION = "总体平稳；网络上有涉我镇不实信息传播，个别村宣传栏内容更新不及时。"
# (month-day, kind, matter, the meeting of that day / the duty item by title, person given)
ACTS = (
    ("03-05", "deploy", "主持党委会研究部署全年意识形态工作", "meeting", True),
    ("05-20", "inquire", "过问网络意识形态安全隐患排查进展", "网络意识形态安全隐患排查", True),
    ("07-08", "criticise", "在党委会研判时带头批评网络上的历史虚无主义错误观点", "analysis", True),
    ("09-16", "inquire", "过问村（居）意识形态工作分工落实情况", "村(居)意识形态工作分工落实", False),
)
LAST_YEAR_ACTS = (
    ("03-05", "deploy", "主持党委会研究部署全年意识形态工作", "meeting", True),
    ("06-12", "inquire", "过问文化站宣传栏内容审核", None, True),
    ("08-03", "handle", "亲自处置网络不实信息事件", None, True),
    ("11-20", "criticise", "在中心组学习时带头批评错误观点", None, True),
)


def on(year: int, month_day: str) -> str:
    return f"{year}-{month_day}"


def due_on(year: int, when, today: dt.date) -> str:
    return on(year, when) if isinstance(when, str) else (today + dt.timedelta(days=when)).isoformat()


def add_demo_records(ledger: Ledger, year: int, today: dt.date | None = None) -> None:
    today = today or ledger.today()
    persons, units = town_ids(ledger, "person"), town_ids(ledger, "unit")
    names = {pid: name for name, pid in persons.items()}
    for row in ledger.all("leader"):
        name = names.get(row.data["person"], "")
        if name in PORTFOLIOS:
            duties, divisions = PORTFOLIOS[name]
            ledger.update(row.id, {"duties": duties, "divisions": [units[u] for u in divisions]}, expected_version=row.version)
    former = ledger.create("person", {"name": FORMER_SECRETARY[0], "unit": units["xx镇党委"], "post": FORMER_SECRETARY[1]})
    ledger.create("leader", {"person": former.id, "role": FIRST_RESPONSIBLE, "since": f"{year - 5}-09-01", "duties": "全面负责",
                             "notes": "已调任,任职止待补录"})
    if not ledger.all("leader", role=DIRECT_RESPONSIBLE):  # the core adds it when it knows the type; keep the demo whole
        ledger.create("leader", {"person": persons["余永福"], "role": DIRECT_RESPONSIBLE, "since": f"{year - 2}-01-01",
                                 "divisions": [units["宣传办公室"], units["文化站"]]})
    for name, role, divisions, duties in MEMBERS:
        ledger.create("leader", {"person": persons[name], "role": role, "divisions": [units[u] for u in divisions],
                                 "duties": duties, "since": f"{year - 2}-01-01"})
    everyone = [persons[n] for n in ("刘明宇", "余永福", "王建国", "陈丽", "周涛")]
    for y, sessions in ((year, STUDIES), (year - 1, LAST_YEAR_STUDIES)):
        for month_day, topic, ideology in sessions:
            held = on(y, month_day) <= today.isoformat()  # one still to come has no attendance yet
            ledger.create("study_session", {"date": on(y, month_day), "topic": topic, "ideology": ideology, "hours": 3,
                                            "presenter": persons["刘明宇"], "attendees": everyone[:4] if held else [],
                                            "absentees": everyone[4:] if held else [], "venue": "镇党委会议室"})
    for y in (year, year - 1):
        for month_day, title, topics, ideology in MEETINGS:
            ledger.create("committee_meeting", {"date": on(y, month_day), "title": title, "topics": topics,
                                                "ideology_on_agenda": ideology, "chair": persons["刘明宇"], "attendees": everyone})
    duties = {}
    for title, owner, area, when, status in DUTIES:
        duties[title] = ledger.create("duty_item", {"title": title, "owner": persons[owner], "area": area, "due": due_on(year, when, today),
                                                    "status": status, "basis": "xx镇党委意识形态工作责任制实施方案"}).id
    add_practice(ledger, year, persons, duties, everyone)


def add_practice(ledger: Ledger, year: int, persons: dict[str, str], duties: dict[str, str], everyone: list[str]) -> None:
    """The situation analyses and the secretary's acts (see the module's docstring)."""
    meetings = {m.data["date"].isoformat(): m.id for m in ledger.all("committee_meeting")}
    for y, analyses, acts in ((year, ANALYSES, ACTS), (year - 1, LAST_YEAR_ANALYSES, LAST_YEAR_ACTS)):
        made = {}
        for month_day, topics, at_meeting, measures, follow in analyses:
            values = {"date": on(y, month_day), "topics": topics, "situation": SITUATION, "measures": measures,
                      "follow_ups": [duties[t] for t in follow], "chair": persons["刘明宇"], "participants": everyone}
            if at_meeting:
                values["meeting"] = meetings[on(y, month_day)]
            made[month_day] = ledger.create("analysis", values).id
        for month_day, kind, matter, concerns, named in acts:
            values = {"date": on(y, month_day), "kind": kind, "matter": matter}
            if named:
                values["person"] = persons["刘明宇"]
            if concerns == "meeting":
                values["meeting"] = meetings[on(y, month_day)]
            elif concerns == "analysis":
                values["analysis"] = made[month_day]
            elif concerns and y == year:
                values["duty_item"] = duties[concerns]
            ledger.create("first_responsible_act", values)
