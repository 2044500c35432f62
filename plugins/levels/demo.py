"""The sample town's levels ledgers for ``duty demo``.

This year: responsibility agreements with every village, community, department and office but
综治中心 (a warning while the year runs); supervisions — 东风村's problems rectified, verified and
the results briefed, 红星村 and 宣传办公室 with nothing found, 青山村's problem past its due date and
its results not briefed (errors), 城关社区's due in a few days (a warning); 党政办公室, 文化站 and
综治中心 not yet supervised (warnings); duty reports of 东风村's and 城关社区's secretaries, 红星村's
missing, and 青山村 with no secretary in the directory (warnings).
Last year: every unit signed and was supervised, and every secretary reported: the ended year's
checks pass but for 青山村's missing secretary.

Dates are counted back from today (``demo_days``), so the dashboard tells the same story whenever
the demo is made."""

from __future__ import annotations

import datetime as dt

from duty_tui.demo import acting, demo_days, town_ids
from duty_tui.ledger import Ledger

DUTIES = "落实意识形态工作责任制；管好本单位宣传阵地；及时报告意识形态领域重要动向"
# unit → who signs for it (None: nobody recorded); the committee signs by the member in charge
SIGNERS = (
    ("党政办公室", "张伟", "王建国"), ("宣传办公室", "李娜", "余永福"), ("文化站", "吴芳", "余永福"), ("综治中心", None, "陈丽"),
    ("东风村", "赵强", "王建国"), ("红星村", "钱进", "王建国"), ("青山村", None, "陈丽"), ("城关社区", "孙敏", "刘明宇"),
)
MISSING_THIS_YEAR = "综治中心"
SECRETARIES = ("赵强", "钱进", "孙敏")  # 东风村, 红星村, 城关社区; 青山村 has none in the directory
GROUP = "镇党委意识形态工作督查组"
BRIEFED_TO = "全镇各村（社区）、各部门"


def add_demo_records(ledger: Ledger, year: int, today: dt.date | None = None) -> None:
    day = demo_days(year, today or ledger.today())
    persons, units = town_ids(ledger, "person"), town_ids(ledger, "unit")
    clerk, leader = acting(ledger, "lina"), acting(ledger, "liumy")

    # last year, all done
    for unit, own, committee in SIGNERS:
        values = {"unit": units[unit], "year": year - 1, "signed_on": f"{year - 1}-02-20", "committee_signer": persons[committee],
                  "duties": DUTIES}
        if own:
            values["unit_signer"] = persons[own]
        clerk.create("agreement", values)
    for n, (unit, _own, committee) in enumerate(SIGNERS):
        s = clerk.create("supervision", {"date": f"{year - 1}-10-{10 + n:02d}", "unit": units[unit], "group": GROUP,
                                         "by": [persons[committee]], "method": ["records", "interview"],
                                         "briefed_on": f"{year - 1}-11-20", "briefed_to": BRIEFED_TO})
        leader.transition(s.id, "close", values={"verified_by": persons[committee], "verified_on": f"{year - 1}-10-{10 + n:02d}"})

    # this year: signed at the start of the year (or a few days ago, early in January)
    signed_on = min(dt.date(year, 2, 25), day.date(-3)).isoformat()
    for unit, own, committee in SIGNERS:
        if unit == MISSING_THIS_YEAR:
            continue
        values = {"unit": units[unit], "year": year, "signed_on": signed_on, "committee_signer": persons[committee], "duties": DUTIES}
        if own:
            values["unit_signer"] = persons[own]
        clerk.create("agreement", values)

    rectified = clerk.create("supervision", {
        "date": day(-90), "unit": units["东风村"], "group": GROUP, "by": [persons["余永福"], persons["李娜"]],
        "method": ["records", "on_site"], "findings": "村意识形态阵地台账不全；村广播播出内容未经审核", "problems": 2,
        "measures": "补齐阵地台账，建立广播内容审核登记", "due": day(-60), "briefed_on": day(-80), "briefed_to": BRIEFED_TO})
    clerk.transition(rectified.id, "rectify", values={"rectified_on": day(-65)})
    leader.transition(rectified.id, "verify", values={"verified_by": persons["余永福"], "verified_on": day(-55)})
    for unit, when in (("红星村", -88), ("宣传办公室", -25)):  # nothing found; 宣传办公室's results still to be briefed
        values = {"date": day(when), "unit": units[unit], "group": GROUP, "by": [persons["余永福"]], "method": ["records"]}
        if when == -88:
            values.update(briefed_on=day(-80), briefed_to=BRIEFED_TO)
        s = clerk.create("supervision", values)
        leader.transition(s.id, "close", values={"verified_by": persons["余永福"], "verified_on": day(when)})
    clerk.create("supervision", {  # overdue by 10 days whatever the date, and never briefed
        "date": day.ago(-40), "unit": units["青山村"], "by": [persons["陈丽"], persons["李娜"]], "method": ["on_site", "unannounced"],
        "findings": "农家书屋存放过期出版物，未建立清查登记", "measures": "清理过期出版物，建立定期清查制度", "due": day.ago(-10)})
    clerk.create("supervision", {
        "date": day(-20), "unit": units["城关社区"], "group": GROUP, "by": [persons["余永福"]], "method": ["records", "interview"],
        "findings": "网格员网络舆情报送不及时", "problems": 1, "measures": "明确报送时限，每周汇总", "due": day(3)})

    if "duty_report" in ledger.registry.types:
        reported = min(dt.date(year, 1, 12), day.today).isoformat()  # last year's, given in January
        for name in SECRETARIES:
            clerk.create("duty_report", {"person": persons[name], "year": year - 1, "date": reported, "includes_ideology": True})
        for name in ("赵强", "孙敏"):  # 钱进 (红星村) has not reported yet
            clerk.create("duty_report", {"person": persons[name], "year": year, "date": day(-3), "includes_ideology": True,
                                         "summary": "履行党建工作责任制情况，含意识形态工作"})
