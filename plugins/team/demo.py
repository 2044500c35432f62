"""The sample town's team ledgers for ``duty demo``: one self-inspection rectified and verified,
one past its due date and still open, one not yet due; two trainings; four intellectuals, one
with no liaison cadre and one nobody has met this year. Dates are counted back from today, so
the dashboard tells the same story whenever the demo is made."""

from __future__ import annotations

import datetime as dt

from duty_tui.demo import acting, demo_days, town_ids
from duty_tui.ledger import Ledger

# (name, field, affiliation, title, liaison or None)
CONTACTS = (
    ("林文博", "social_science", "市委党校", "教授、学术带头人", "余永福"),
    ("郑晓东", "economy", "县企业家协会", "副会长", "王建国"),
    ("何佳", "science", "市农业科学研究所", "研究员", None),
    ("梁思远", "social_science", "县地方志办公室", "副研究员", "陈丽"),
)



def add_demo_records(ledger: Ledger, year: int, today: dt.date | None = None) -> None:
    day = demo_days(year, today or ledger.today())

    persons, units = town_ids(ledger, "person"), town_ids(ledger, "unit")
    clerk, leader = acting(ledger, "lina"), acting(ledger, "liumy")

    done = clerk.create("self_inspection", {
        "date": day(-120), "topic": "宣传阵地意识形态工作自查", "unit": units["宣传办公室"],
        "findings": "宣传栏部分内容更新不及时;公众号审核记录不全", "measures": "建立三审三校台账,宣传栏每月更新",
        "responsible": persons["李娜"], "due": day(-90)})
    clerk.transition(done.id, "rectify", values={"rectified_on": day(-95)})
    leader.transition(done.id, "verify", values={"verified_by": persons["余永福"], "verified_on": day(-80)})
    clerk.create("self_inspection", {  # overdue by 15 days whatever the date: last year's, in early January
        "date": day.ago(-60), "topic": "村级意识形态阵地排查", "unit": units["东风村"],
        "findings": "村文化室存放来源不明的宗教宣传品", "measures": "清理并登记,加强日常巡查",
        "responsible": persons["赵强"], "due": day.ago(-15)})
    clerk.create("self_inspection", {
        "date": day(-10), "topic": "社区网格员网络舆情报送自查", "unit": units["城关社区"],
        "findings": "舆情报送不及时", "measures": "明确报送时限,每周汇总", "responsible": persons["孙敏"], "due": day(20)})

    cadres = [persons[n] for n in ("余永福", "王建国", "陈丽", "李娜", "吴芳", "赵强", "钱进", "孙敏")]
    clerk.create("training", {"date": day(-75), "topic": "网络意识形态安全培训", "ideology": True, "trainer": "市网信办 周老师",
                              "attendees": cadres, "hours": 3, "venue": "镇党委会议室"})
    clerk.create("training", {"date": day(-30), "topic": "村(居)宣传委员业务培训", "ideology": True, "trainer": "余永福",
                              "attendees": cadres[3:], "hours": 2, "venue": "镇文化礼堂"})

    contacts = {}
    for name, field, affiliation, title, liaison in CONTACTS:
        values = {"name": name, "field": field, "affiliation": affiliation, "title": title, "since": f"{year - 1}-03-01"}
        if liaison:
            values["liaison"] = persons[liaison]
        contacts[name] = clerk.create("contact", values).id
    clerk.create("liaison_activity", {"date": day(-50), "kind": "symposium", "topic": "乡村文化振兴座谈会",
                                      "contacts": [contacts["林文博"], contacts["郑晓东"]], "cadre": persons["余永福"],
                                      "notes": "听取对镇文化站建设的意见"})
    clerk.create("liaison_activity", {"date": day(-20), "kind": "visit", "topic": "走访市农科所", "contacts": [contacts["何佳"]],
                                      "cadre": persons["王建国"]})
