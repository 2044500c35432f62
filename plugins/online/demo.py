"""The sample town's online front for ``duty demo``. Run after the other plugins' demos (the
hook is ``trylast``), so the positions demo's WeChat account and the accountability demo's rumour
case exist to be named.

Incidents (网络舆情), so that each rule shows an error, a warning and a pass:

* the rumour the accountability demo's case is about (网络谣言处置不力), 重大, handled two days
  after it was found (the limit is 1): late — and briefed to cadres only months later (the
  assessment demo's 网络谣言典型案例通报, which is linked here to the case): late too; reported
  up the same day;
* a 较大 complaint about the health centre, handled, reported up and briefed in time: all pass;
* a 较大 post about the new market, handled the next day but never reported up: an error;
  its briefing is not due yet: a warning;
* a 较大 video found yesterday, nothing done yet: a warning from each rule;
* a 一般 question in a village WeChat group, answered the next day: below the higher level.

Posts on “xx镇发布”微信公众号 (三审三校): one with all three reviews (the final by the propaganda
member), one gone out without its final review (an error), one planned for two days from now
still awaiting its final review (a warning)."""

from __future__ import annotations

import datetime as dt

from duty_tui.demo import acting, demo_days, town_ids
from duty_tui.ledger import Ledger


def find_one(ledger: Ledger, record_type: str, text: str, field: str):
    if record_type not in ledger.registry.types:
        return None
    return next((r for r in ledger.query(record_type, text=text, limit=10) if text in str(r.data.get(field) or "")), None)


def after(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


def add_demo_records(ledger: Ledger, year: int, today: dt.date | None = None) -> None:
    day = demo_days(year, today or ledger.today())
    persons, units = town_ids(ledger, "person"), town_ids(ledger, "unit")
    clerk = acting(ledger, "lina")

    rumour_case = find_one(ledger, "case", "网络谣言处置不力", "title")
    rumour_briefing = find_one(ledger, "briefing", "网络谣言典型案例通报", "topic")
    found = rumour_case.data["occurred_on"].isoformat() if rumour_case is not None else day(-200)
    clerk.create("opinion_incident", {
        "found_on": found, "source": "本地微信群、抖音同城", "summary": "网传“镇卫生院停诊”不实信息", "level": "major",
        "unit": units["综治中心"], "responsible": persons["陈丽"], "handled_on": after(found, 2),
        "handling": "联系卫生院核实，发布辟谣说明，约谈首发账号", "reported_up_on": found, "reported_to": "县委网信办、县委宣传部",
        **({"briefing": rumour_briefing.id} if rumour_briefing is not None else {}),
        **({"case": rumour_case.id} if rumour_case is not None else {})})

    if rumour_briefing is not None and rumour_case is not None and ledger.type("briefing").has_field("cases"):
        clerk.update(rumour_briefing.id, {"cases": [rumour_case.id]})  # the briefing names the case it makes known

    complaint = day(-90)
    briefing = clerk.create("briefing", {"date": after(complaint, 10), "topic": "关于近期涉我镇网络舆情处置情况的通报",
                                         "audience": "全镇党员干部", "content": "镇卫生院排队问题网络投诉的处置情况和回应口径"})
    clerk.create("opinion_incident", {
        "found_on": complaint, "source": "县网络问政平台", "summary": "网民投诉镇卫生院排队时间长", "level": "larger",
        "unit": units["党政办公室"], "responsible": persons["张伟"], "handled_on": after(complaint, 1),
        "handling": "协调卫生院增开窗口，在问政平台回复", "reported_up_on": after(complaint, 1), "reported_to": "县委网信办",
        "briefing": briefing.id})

    market = day(-20)
    clerk.create("opinion_incident", {
        "found_on": market, "source": "微博", "summary": "网传新建农贸市场摊位分配不公", "level": "larger",
        "unit": units["党政办公室"], "responsible": persons["张伟"], "handled_on": after(market, 1),
        "handling": "公布摊位分配办法和抽签过程视频"})

    video = day.date(-1).isoformat()
    clerk.create("opinion_incident", {
        "found_on": video, "source": "快手", "summary": "短视频称红星村拆迁补偿不公", "level": "larger",
        "unit": units["红星村"], "responsible": persons["钱进"]})

    question = day(-30)
    clerk.create("opinion_incident", {
        "found_on": question, "source": "东风村村民微信群", "summary": "村民询问医保缴费截止时间", "level": "ordinary",
        "unit": units["东风村"], "responsible": persons["赵强"], "handled_on": after(question, 1), "handling": "在群内发布缴费通知"})

    account = next((o for o in ledger.query("outlet", text="xx镇发布", limit=5) if "公众号" in str(o.data.get("name"))), None) \
        if "outlet" in ledger.registry.types else None
    if account is None:
        return
    reviews = {"author": persons["李娜"], "first_reviewer": persons["李娜"], "second_reviewer": persons["张伟"]}
    clerk.create("publication", {"outlet": account.id, "title": "镇党委召开意识形态工作专题会议", "published_on": day(-30),
                                 **reviews, "final_reviewer": persons["余永福"]})
    clerk.create("publication", {"outlet": account.id, "title": "“网络文明进万家”讲座预告", "published_on": day(-3), **reviews,
                                 "notes": "终审人外出，未经终审即发布"})
    clerk.create("publication", {"outlet": account.id, "title": "乡村振兴成果展开幕", "published_on": (day.today + dt.timedelta(days=2)).isoformat(),
                                 **reviews})
