"""The sample town's positions for ``duty demo``: events in every state (one held properly, one
approved the day after it took place and never filed, three coming up that still lack
something — one approved by its own organiser — and one cancelled), outlets with their reviews,
one not reviewed this year. Entered as the clerk 李娜 and approved as the leader 刘明宇 when
those accounts exist, so the audit log reads as a real office's.

The speaker register: 张教授, vetted before the report meeting he gave (passes); 周老师, whose
vetting ran out before the lecture she is to give (a warning: the lecture awaits approval, which
is refused until she is vetted again); 王某, found not to be invited, named for the youth forum
(a warning: change the speaker); 陈科长, vetted only after the seminar he spoke at (an error).
Outlets of the kinds a town runs besides the press: 东风村's loudspeaker (reviewed in time), the
LED screen on the cultural square (a review falls due within the week: a warning), 红星村's
villagers' WeChat group (overdue: an error) and 东风村's village library (reviewed in time)."""

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

    def speaker(name, affiliation, topic, **more):
        return clerk.create("speaker", {"name": name, "affiliation": affiliation, "topic": topic, **more}).id

    vetting = {"vetted_by": persons["余永福"]}
    zhang = speaker("张教授", "市委党校", "党的创新理论", vetted_on=day(-55), conclusion="suitable", **vetting,
                    notes="查阅近三年公开发表的文章和讲课记录，未发现问题")
    zhou = speaker("周老师", "市网信办", "网络文明、网络安全", vetted_on=day.ago(-400), valid_until=day.ago(-35), conclusion="suitable", **vetting,
                   notes="上次审查已过有效期，待重新审查")
    wang = speaker("王某", "自媒体作者", "青年成长", vetted_on=day(-15), conclusion="unsuitable", **vetting,
                   notes="其网络文章多次发表否定党史的言论，不宜邀请")

    held = event("意识形态工作专题报告会", "report_meeting", "宣传办公室", "余永福", -40, registered_speakers=[zhang],
                 speakers="市委党校 张教授", venue="镇文化礼堂", audience=120)
    clerk.transition(held, "submit")
    leader.transition(held, "approve", values={"approver": persons["刘明宇"], "approved_on": day(-50)})
    clerk.transition(held, "file", values={"filed_on": day(-48), "filing_no": f"宣备〔{year}〕31 号"})
    clerk.transition(held, "hold")

    # approved the day after it took place, both by today (so on 1 January it took place last year)
    took_place = min(day.date(-25), day.today - dt.timedelta(days=1))
    # its speaker, like its approval, only seen to the day after
    chen = speaker("陈科长", "县农业农村局", "乡村振兴政策", vetted_on=(took_place + dt.timedelta(days=1)).isoformat(), conclusion="suitable",
                   **vetting)
    late = event("乡村振兴研讨会", "seminar", "党政办公室", "张伟", took_place, registered_speakers=[chen], speakers="县农业农村局 陈科长",
                 venue="镇政府三楼会议室")
    clerk.transition(late, "submit")
    leader.transition(late, "approve", values={"approver": persons["刘明宇"],
                                               "approved_on": (took_place + dt.timedelta(days=1)).isoformat()})

    soon = event("网络文明进万家讲座", "lecture", "文化站", "吴芳", 5, registered_speakers=[zhou], speakers="市网信办 周老师",
                 venue="文化站多功能厅")
    clerk.transition(soon, "submit")

    self_approved = event("党的创新理论宣讲进村", "lecture", "东风村", "刘明宇", 12, speakers="刘明宇", venue="东风村党群服务中心")
    clerk.transition(self_approved, "submit")
    leader.transition(self_approved, "approve", values={"approver": persons["刘明宇"], "approved_on": day(-3)})

    event("青年读书论坛", "forum", "城关社区", "孙敏", 20, registered_speakers=[wang])

    cancelled = event("廉政文化讲座", "lecture", "综治中心", "周涛", 8, speakers="县纪委 李老师", venue="综治中心")
    clerk.transition(cancelled, "cancel", values={"notes": "与防汛工作冲突,改期另行报批"})

    website = clerk.create("outlet", {"name": "xx镇人民政府网站", "kind": "website", "unit": units["党政办公室"],
                                      "responsible": persons["张伟"], "address": "www.xx.gov.cn", "last_review": day.ago(-12)})
    clerk.create("outlet_review", {"outlet": website.id, "date": day(-60), "reviewer": persons["余永福"], "result": "ok"})
    clerk.create("outlet_review", {"outlet": website.id, "date": day.ago(-12), "reviewer": persons["张伟"], "result": "ok"})
    clerk.create("outlet", {"name": "“xx镇发布”微信公众号", "kind": "new_media", "unit": units["宣传办公室"],
                            "responsible": persons["李娜"], "address": "微信号 xxzfb", "last_review": f"{year - 1}-12-10"})
    board = clerk.create("outlet", {"name": "文化站宣传栏", "kind": "bulletin", "unit": units["文化站"], "responsible": persons["吴芳"],
                                    "address": "文化站门口"})
    clerk.create("outlet_review", {"outlet": board.id, "date": day(-90), "reviewer": persons["李娜"], "result": "issues",
                                   "findings": "部分展板内容过期", "measures": "一周内更换"})

    # The kinds a town runs besides (ages exact, ``day.ago``: an interval is counted in days).
    for name, kind, unit, responsible, address, reviewed in (
            ("东风村广播（大喇叭）", "loudspeaker", "东风村", "赵强", "东风村村委会及各村民小组", 10),
            ("文化广场 LED 显示屏", "led_screen", "文化站", "吴芳", "镇文化广场", 26),      # due within the week
            ("红星村村民微信群", "wechat_group", "红星村", "钱进", "微信群“红星村村民群”", 40),  # overdue: every 14 days
            ("东风村农家书屋", "farm_library", "东风村", "赵强", "东风村党群服务中心一楼", 100)):
        outlet = clerk.create("outlet", {"name": name, "kind": kind, "unit": units[unit], "responsible": persons[responsible],
                                         "address": address, "opened_on": f"{year - 2}-03-01", "last_review": day.ago(-reviewed)})
        clerk.create("outlet_review", {"outlet": outlet.id, "date": day.ago(-reviewed), "reviewer": persons[responsible], "result": "ok"})
