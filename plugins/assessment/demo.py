"""The sample town's assessment ledgers for ``duty demo``: one report to the superior committee
so far this year (two are due), a report to the members' congress and a democratic life meeting
with ideological work in them, duty reports (one that leaves ideological work out) and last
year's appraisals, this year's only partly entered. The leaders are found by name, so this does
not wait for the leadership plugin's demo."""

from __future__ import annotations

import datetime as dt

from duty_tui.demo import acting, demo_days, town_ids
from duty_tui.ledger import Ledger

LEADERS = ("刘明宇", "余永福", "王建国", "陈丽", "周涛")
# (name, total, grade) for last year, all entered
LAST_YEAR = (("刘明宇", 93, "excellent"), ("余永福", 91, "excellent"), ("王建国", 86, "competent"), ("陈丽", 88, "competent"),
             ("周涛", 84, "competent"))



def add_demo_records(ledger: Ledger, year: int, today: dt.date | None = None) -> None:
    day = demo_days(year, today or ledger.today())

    persons = town_ids(ledger, "person")
    clerk = acting(ledger, "lina")
    group = [persons[n] for n in LEADERS]

    clerk.create("superior_report", {"date": f"{year - 1}-07-05", "title": f"{year - 1}年上半年意识形态工作情况汇报", "reported_to": "市委"})
    clerk.create("superior_report", {"date": f"{year - 1}-12-28", "title": f"{year - 1}年意识形态工作责任制落实情况报告", "reported_to": "市委"})
    clerk.create("superior_report", {"date": day(-45), "title": f"{year}年意识形态工作情况汇报", "reported_to": "市委",
                                     "summary": "上半年意识形态形势分析、阵地管理情况、下一步打算"})
    clerk.create("briefing", {"date": day(-35), "topic": "网络谣言典型案例通报", "audience": "全镇党员干部",
                              "content": "近期网络上涉我镇不实信息的处置情况"})
    clerk.create("congress_report", {"date": day(-100), "title": "镇党委向党员大会报告工作", "includes_ideology": True})
    clerk.create("life_meeting", {"date": day(-80), "title": f"{year - 1}年度领导班子民主生活会", "includes_ideology": True,
                                  "attendees": group})
    for name in ("刘明宇", "余永福", "王建国"):
        clerk.create("duty_report", {"person": persons[name], "year": year, "date": day(-5), "includes_ideology": True})
    clerk.create("duty_report", {"person": persons["周涛"], "year": year, "date": day(-5), "includes_ideology": False,
                                 "summary": "纪检监察工作述职(未涉及意识形态工作)"})
    # last year's duty reports and appraisals, given in January: by today, early in January
    reported, appraised = (min(dt.date(year, 1, d), day.today).isoformat() for d in (15, 20))
    for name in LEADERS:
        clerk.create("duty_report", {"person": persons[name], "year": year - 1, "date": reported, "includes_ideology": True})
    for name, total, grade in LAST_YEAR:
        clerk.create("appraisal", {"person": persons[name], "year": year - 1, "total": total, "grade": grade,
                                   "appraised_on": appraised})
    clerk.create("appraisal", {"person": persons["刘明宇"], "year": year, "ideology_score": 18, "total": 92, "grade": "excellent",
                               "appraised_on": day(-1), "indicators": "政治建设 19/20\n意识形态工作 18/20\n党风廉政 18/20"})
    clerk.create("appointment_review", {"person": persons["钱进"], "date": day(-25), "post": "镇党委委员(拟)", "ideology_assessed": True,
                                        "conclusion": "政治立场坚定,能认真落实村级意识形态工作责任制"})
