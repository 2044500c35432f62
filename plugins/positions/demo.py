"""The sample town's positions for ``duty demo``: events in every state (one held properly, one
approved the day after it took place and never filed, three coming up that still lack
something — one approved by its own organiser — and one cancelled), outlets with their reviews,
one not reviewed this year. Entered as the clerk 李娜 and approved as the leader 刘明宇 when
those accounts exist, so the audit log reads as a real office's."""

from __future__ import annotations

import datetime as dt

from duty_tui.demo import acting, demo_days, town_ids
from duty_tui.ledger import Ledger



def add_demo_records(ledger: Ledger, year: int, today: dt.date | None = None) -> None:
    day = demo_days(year, today or ledger.today())

    persons, units = town_ids(ledger, "person"), town_ids(ledger, "unit")
    clerk, leader = acting(ledger, "lina"), acting(ledger, "liumy")

    def event(title, kind, unit, organizer, date, **more):
        """``date``: days from today (see demo_days), or a date."""
        when = day(date) if isinstance(date, int) else date.isoformat()
        values = {"title": title, "kind": kind, "organizer_unit": units[unit], "organizer": persons[organizer], "date": when}
        return clerk.create("event", {**values, **more}).id

    held = event("意识形态工作专题报告会", "report_meeting", "宣传办公室", "余永福", -40, speakers="市委党校 张教授", venue="镇文化礼堂", audience=120)
    clerk.transition(held, "submit")
    leader.transition(held, "approve", values={"approver": persons["刘明宇"], "approved_on": day(-50)})
    clerk.transition(held, "file", values={"filed_on": day(-48), "filing_no": f"宣备〔{year}〕31 号"})
    clerk.transition(held, "hold")

    # approved the day after it took place, both by today (so on 1 January it took place last year)
    took_place = min(day.date(-25), day.today - dt.timedelta(days=1))
    late = event("乡村振兴研讨会", "seminar", "党政办公室", "张伟", took_place, speakers="县农业农村局 陈科长", venue="镇政府三楼会议室")
    clerk.transition(late, "submit")
    leader.transition(late, "approve", values={"approver": persons["刘明宇"],
                                               "approved_on": (took_place + dt.timedelta(days=1)).isoformat()})

    soon = event("网络文明进万家讲座", "lecture", "文化站", "吴芳", 5, speakers="市网信办 周老师", venue="文化站多功能厅")
    clerk.transition(soon, "submit")

    self_approved = event("党的创新理论宣讲进村", "lecture", "东风村", "刘明宇", 12, speakers="刘明宇", venue="东风村党群服务中心")
    clerk.transition(self_approved, "submit")
    leader.transition(self_approved, "approve", values={"approver": persons["刘明宇"], "approved_on": day(-3)})

    event("青年读书论坛", "forum", "城关社区", "孙敏", 20)

    cancelled = event("廉政文化讲座", "lecture", "综治中心", "周涛", 8, speakers="县纪委 李老师", venue="综治中心")
    clerk.transition(cancelled, "cancel", values={"notes": "与防汛工作冲突,改期另行报批"})

    website = clerk.create("outlet", {"name": "xx镇人民政府网站", "kind": "website", "unit": units["党政办公室"],
                                      "responsible": persons["张伟"], "address": "www.xx.gov.cn", "last_review": day(-60)})
    clerk.create("outlet_review", {"outlet": website.id, "date": day(-60), "reviewer": persons["余永福"], "result": "ok"})
    clerk.create("outlet", {"name": "“xx镇发布”微信公众号", "kind": "new_media", "unit": units["宣传办公室"],
                            "responsible": persons["李娜"], "address": "微信号 xxzfb", "last_review": f"{year - 1}-12-10"})
    board = clerk.create("outlet", {"name": "文化站宣传栏", "kind": "bulletin", "unit": units["文化站"], "responsible": persons["吴芳"],
                                    "address": "文化站门口"})
    clerk.create("outlet_review", {"outlet": board.id, "date": day(-90), "reviewer": persons["李娜"], "result": "issues",
                                   "findings": "部分展板内容过期", "measures": "一周内更换"})
