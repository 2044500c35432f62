"""Issue 18, items 3 and 6, in the positions plugin: the speaker register (报告人: vetted on, by
whom, the conclusion, how long it holds) and events that name their speakers from it, the rule
that every speaker is vetted by the event's date and the approval refused while one is not; the
outlet kinds a town runs besides the press (LED screens, village loudspeakers, WeChat groups,
short-video accounts, civilisation practice stations, cultural halls, village libraries), each
reviewed at its kind's interval (a setting). Each rule fires, clears when put right, and reads a
running year otherwise than an ended one; the CLI contract (`duty types`, `add`, `transition`,
`check --json`) carries it all."""

from __future__ import annotations

import datetime as dt

import pytest

from duty_tui.errors import ValidationError
from duty_tui.rules import Fix, run_rules

from duty_tui_plugins.positions.upcoming import coming_events

from .helpers import refusal, rule_findings
from .test_positions import town  # noqa: F401 (the same town: units, persons, the clerk lina and the leader liumy)

pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "positions")

YEAR = 2025
DURING = dt.date(2025, 6, 30)
AFTER = dt.date(2026, 1, 15)
SPEAKERS = "positions.speaker-vetted"
INTERVAL = "positions.outlet-review-interval"


def speaker(town, name="张教授", vetted_on="2025-04-01", conclusion="suitable", **more):
    values = {"name": name, "affiliation": "市委党校", "vetted_on": vetted_on, "conclusion": conclusion,
              "vetted_by": town.ids["余永福"] if conclusion else None, **more}
    return town.clerk.create("speaker", {k: v for k, v in values.items() if v is not None}).id


def event(town, speakers, date="2025-05-20", unit="宣传办公室", **more):
    values = {"title": "理论宣讲", "kind": "lecture", "date": date, "organizer_unit": town.ids[unit],
              "organizer": town.ids["余永福"], "registered_speakers": speakers, "venue": "礼堂", **more}
    return town.clerk.create("event", values).id


def approve(town, event_id, approved_on="2025-05-10"):
    return town.leader.transition(event_id, "approve", values={"approver": town.ids["刘明宇"], "approved_on": approved_on})


def findings(town, rule, today, unit=None, lang="en"):
    return rule_findings(town.admin, YEAR, rule, today, unit, lang)


# -- the speaker register --------------------------------------------------------------------------

def test_a_conclusion_needs_the_day_and_the_vetter_and_a_validity_no_earlier_than_the_vetting(town):
    assert refusal(lambda: town.clerk.create("speaker", {"name": "张教授", "conclusion": "suitable"})) == [
        "a conclusion needs the day of the vetting", "a conclusion needs who vetted (whoever vets answers for it)"]
    with pytest.raises(ValidationError) as refused:
        speaker(town, valid_until="2025-03-01")
    assert [(e.field, e.reason.render("zh")) for e in refused.value.errors] == [("valid_until", "有效期至 2025-03-01 早于审查日期 2025-04-01")]
    assert refusal(lambda: town.clerk.create("speaker", {"name": "李某", "valid_until": "2025-12-31"})) == [
        "not vetted yet, so it has no validity"]
    registered = town.clerk.create("speaker", {"name": "李某", "affiliation": "县社科联"})  # registered, not yet vetted
    assert registered.data.get("conclusion") is None


def test_events_keep_their_old_speakers_text_beside_the_registered_speakers(town):
    old = town.clerk.create("event", {"title": "旧讲座", "kind": "lecture", "date": "2025-05-20", "organizer_unit": town.ids["宣传办公室"],
                                      "organizer": town.ids["余永福"], "speakers": "市委党校 张教授"})
    assert old.data["speakers"] == "市委党校 张教授" and not old.data.get("registered_speakers")
    rt = town.admin.type("event")
    assert (rt.field("speakers").label.zh, rt.field("registered_speakers").label.zh) == ("报告人（未登记）", "报告人")
    assert rt.field("registered_speakers").target == "speaker"
    assert findings(town, SPEAKERS, AFTER) == [], "a name typed as text is not judged: nothing records its vetting"


# -- the rule: every speaker vetted by the event's date -------------------------------------------

def test_a_speaker_vetted_in_time_passes_and_the_day_after_fails(town):
    vetted = speaker(town, vetted_on="2025-05-20")
    late = speaker(town, name="陈科长", vetted_on="2025-05-21")
    on_time, after = event(town, [vetted]), event(town, [late], title="研讨会")
    assert findings(town, SPEAKERS, DURING) == [
        ("error", "研讨会 (2025-05-20): speaker 陈科长 vetted on 2025-05-21, after 2025-05-20: vet first", [after, late])]
    assert findings(town, SPEAKERS, DURING, lang="zh")[0][1] == "研讨会（2025-05-20）：报告人陈科长于 2025-05-21 才审查，晚于 2025-05-20：应事先审查"
    assert on_time


def test_a_coming_events_unvetted_speaker_is_a_warning_and_an_error_once_its_date_has_passed(town):
    unvetted = town.clerk.create("speaker", {"name": "周老师"}).id
    coming = event(town, [unvetted], date="2025-07-10")
    assert findings(town, SPEAKERS, DURING) == [
        ("warning", "理论宣讲 (2025-07-10): speaker 周老师 not vetted: vet them before inviting them",
         [coming, unvetted])]
    assert [f[0] for f in findings(town, SPEAKERS, AFTER)] == ["error"], "the year over, the event took place unvetted"
    town.clerk.update(unvetted, {"vetted_on": "2025-07-01", "vetted_by": town.ids["余永福"], "conclusion": "suitable"})
    assert findings(town, SPEAKERS, DURING) == [] and findings(town, SPEAKERS, AFTER) == []


def test_a_speaker_not_to_be_invited_and_a_vetting_run_out_are_found(town):
    unsuitable = speaker(town, name="王某", conclusion="unsuitable")
    expired = speaker(town, name="周老师", vetted_on="2024-01-10", valid_until="2025-01-09")
    by_default = speaker(town, name="赵老师", vetted_on="2024-06-01")  # no end: 365 days, the setting
    forum = event(town, [unsuitable, by_default], date="2025-07-10", title="论坛")
    lecture = event(town, [expired], date="2025-07-12", title="讲座")
    assert findings(town, SPEAKERS, DURING) == [
        ("warning", "论坛 (2025-07-10): speaker 王某 found not to be invited (2025-04-01): change the speaker", [forum, unsuitable]),
        ("warning", "论坛 (2025-07-10): speaker 赵老师's vetting ran out on 2025-06-01, before 2025-07-10: vet again",
         [forum, by_default]),
        ("warning", "讲座 (2025-07-12): speaker 周老师's vetting ran out on 2025-01-09, before 2025-07-12: vet again",
         [lecture, expired])]
    town.admin.set_setting("positions.speaker.valid-days", 420)
    town.clerk.update(forum, {"registered_speakers": [by_default]})
    town.clerk.update(expired, {"vetted_on": "2025-06-01", "valid_until": "2026-05-31"})
    assert findings(town, SPEAKERS, DURING) == []


def test_cancelled_events_and_other_units_are_left_out(town):
    unvetted = town.clerk.create("speaker", {"name": "周老师"}).id
    village = event(town, [unvetted], unit="东风村")
    cancelled = event(town, [unvetted])
    town.clerk.transition(cancelled, "cancel")
    assert [f[2] for f in findings(town, SPEAKERS, AFTER)] == [[village, unvetted]]
    assert findings(town, SPEAKERS, AFTER, unit=town.ids["宣传办公室"]) == []


# -- the approval refused while a speaker is unvetted ----------------------------------------------

def test_approval_is_refused_naming_each_speaker_not_vetted_then_goes_through(town):
    vetted = speaker(town)
    unvetted = town.clerk.create("speaker", {"name": "周老师"}).id
    later = speaker(town, name="陈科长", vetted_on="2025-05-15")
    lecture = event(town, [vetted, unvetted, later])
    town.clerk.transition(lecture, "submit")
    with pytest.raises(ValidationError) as refused:
        approve(town, lecture, "2025-05-10")
    assert [(e.field, e.reason.render("en")) for e in refused.value.errors] == [
        ("registered_speakers", "cannot approve: speaker 周老师 not vetted: vet them before inviting them"),
        ("registered_speakers", "cannot approve: speaker 陈科长 vetted on 2025-05-15, after 2025-05-10: vet first")]
    assert town.admin.get(lecture).state == "submitted", "nothing written"
    town.clerk.update(unvetted, {"vetted_on": "2025-05-08", "vetted_by": town.ids["余永福"], "conclusion": "suitable"})
    town.clerk.update(lecture, {"registered_speakers": [vetted, unvetted]})
    assert approve(town, lecture).state == "approved"


def test_an_event_without_registered_speakers_is_approved_as_before(town):
    lecture = town.clerk.create("event", {"title": "讲座", "kind": "lecture", "date": "2025-05-20", "organizer_unit": town.ids["宣传办公室"],
                                          "organizer": town.ids["余永福"], "speakers": "张教授"}).id
    town.clerk.transition(lecture, "submit")
    assert approve(town, lecture).state == "approved"


def test_a_coming_event_lacks_the_vetting_of_its_speakers(town):
    unvetted = town.clerk.create("speaker", {"name": "周老师"}).id
    lecture = event(town, [unvetted], date="2025-07-10")
    [coming] = coming_events(town.admin, DURING)
    assert coming.record.id == lecture and coming.lacks[-1].render("zh") == "报告人审查（周老师）"
    assert "the speakers" not in [item.render("en") for item in coming.lacks], "registered speakers are speakers"


# -- through the CLI contract ------------------------------------------------------------------------

@pytest.fixture
def office(cli):
    cli.add("unit", "name=xx镇党委", "kind=committee")
    cli.add("unit", "name=宣传办公室", "kind=office", "parent=unit-1")
    for name in ("刘明宇", "余永福", "李娜"):
        cli.add("person", f"name={name}", "unit=unit-1")
    assert cli("users", "add", "liumy", "--role", "leader", "--person", "person-1").exit_code == 0
    assert cli("users", "add", "lina", "--role", "clerk", "--person", "person-3").exit_code == 0
    return cli


def test_the_cli_registers_speakers_refuses_an_approval_and_checks(office):
    types = {t["name"]: t for t in office("types", "--json").json()}
    assert {"name", "affiliation", "topic", "vetted_on", "vetted_by", "conclusion", "valid_until", "notes", "unit"} == {
        f["name"] for f in types["speaker"]["fields"]}
    assert {f["name"]: f.get("target") for f in types["event"]["fields"]}["registered_speakers"] == "speaker"
    office.add("speaker", "name=张教授", "affiliation=市委党校", "vetted_on=2024-04-01", "vetted_by=person-2", "conclusion=可以邀请")
    office.add("speaker", "name=王某", "vetted_on=2024-04-01", "vetted_by=person-2", "conclusion=unsuitable")
    office.add("event", "title=讲座", "kind=lecture", "date=2024-05-20", "organizer_unit=unit-2", "organizer=person-2",
               "registered_speakers=speaker-1,speaker-2", login="lina")
    assert office("transition", "event-1", "submit", login="lina").exit_code == 0
    refused = office("transition", "event-1", "approve", "approver=person-1", "approved_on=2024-05-10", login="liumy")
    assert refused.exit_code == 2 and "registered_speakers: cannot approve: speaker 王某 found not to be invited" in refused.stderr
    checked = office("check", "--year", "2024", "--rule", SPEAKERS, "--json")
    assert checked.exit_code == 1 and checked.json() == [
        {"rule": SPEAKERS, "severity": "error", "area": "positions", "records": ["event-1", "speaker-2"],
         "message": "讲座 (2024-05-20): speaker 王某 found not to be invited (2024-04-01): change the speaker"}]
    assert office("edit", "event-1", "registered_speakers=speaker-1").exit_code == 0
    assert office("transition", "event-1", "approve", "approver=person-1", "approved_on=2024-05-10", login="liumy").exit_code == 0
    assert office("check", "--year", "2024", "--rule", SPEAKERS, "--json").json() == []


# -- outlet kinds and their review intervals ---------------------------------------------------------

NEW_KINDS = {"led_screen": "LED 显示屏", "loudspeaker": "村（社区）广播（大喇叭）", "wechat_group": "微信群", "short_video": "短视频账号",
             "practice_station": "新时代文明实践站（所）", "cultural_hall": "文化礼堂（文化活动中心）", "farm_library": "农家书屋"}


def test_the_new_outlet_kinds_are_taken_by_value_or_either_label_and_the_old_ones_stay(town, duty_registry):
    kinds = {c.value: c.label for c in town.admin.type("outlet").field("kind").choices}
    assert {"newspaper", "radio_tv", "website", "new_media", "bulletin", "other"} <= set(kinds)
    assert {k: kinds[k].zh for k in NEW_KINDS} == NEW_KINDS and all(kinds[k].en for k in NEW_KINDS)
    for n, given in enumerate(("loudspeaker", "微信群", "village library", "bulletin")):
        made = town.clerk.create("outlet", {"name": f"阵地{n}", "kind": given, "unit": town.ids["东风村"]})
        assert made.data["kind"] in set(kinds)
    for kind in kinds:
        setting = duty_registry.settings[f"positions.outlet-review.days.{kind}"]
        assert setting.default > 0 and "方案未作规定" in setting.help.zh and "not from the plan" in setting.help.en
    days = {k: duty_registry.settings[f"positions.outlet-review.days.{k}"].default for k in kinds}
    assert days["wechat_group"] < days["farm_library"] and days["new_media"] < days["farm_library"]


def outlet(town, kind="wechat_group", last_review=None, **more):
    values = {"name": "村民微信群", "kind": kind, "unit": town.ids["东风村"], "responsible": town.ids["李娜"], "last_review": last_review, **more}
    return town.clerk.create("outlet", {k: v for k, v in values.items() if v is not None}).id


def test_a_review_overdue_for_its_kind_is_an_error_and_one_falling_due_a_warning(town):
    group = outlet(town, last_review="2025-06-10")              # every 14 days: due 06-24, overdue on 06-30
    screen = outlet(town, "led_screen", "2025-06-05", name="LED 显示屏")   # every 30 days: due 07-05, within the week
    library = outlet(town, "farm_library", "2025-03-01", name="农家书屋")  # every 180 days: fine
    assert findings(town, INTERVAL, DURING) == [
        ("error", "村民微信群: last reviewed 2025-06-10, due every 14 days (by 2025-06-24)", [group]),
        ("warning", "LED 显示屏: review due by 2025-07-05 (every 30 days)", [screen])]
    assert findings(town, INTERVAL, DURING, lang="zh")[0][1] == "村民微信群（微信群）：最近巡查 2025-06-10，超过 14 天巡查周期（2025-06-24 到期）"
    [first, _] = run_rules(town.admin, YEAR, today=DURING, rule_ids=[INTERVAL])
    assert first.fix == Fix("outlet_review", {"outlet": group, "reviewer": town.ids["李娜"]})
    town.clerk.create("outlet_review", {"outlet": group, "date": "2025-06-29"})
    town.clerk.update(screen, {"last_review": "2025-06-29"})
    assert findings(town, INTERVAL, DURING) == []
    assert library


def test_an_ended_year_is_judged_on_its_last_day_and_warns_no_more(town):
    group = outlet(town, last_review="2025-12-10")   # due 12-24: overdue on 31 December
    screen = outlet(town, "led_screen", "2025-12-20", name="LED 显示屏")  # due 2026-01-19: not overdue in 2025
    assert findings(town, INTERVAL, AFTER) == [
        ("error", "村民微信群: last reviewed 2025-12-10, due every 14 days (by 2025-12-24)", [group])]
    assert findings(town, INTERVAL, dt.date(2025, 12, 22)) == [
        ("warning", "村民微信群: review due by 2025-12-24 (every 14 days)", [group])], "while the year ran, a warning"
    town.clerk.update(group, {"last_review": "2025-12-28"})
    assert findings(town, INTERVAL, AFTER) == [] and screen


def test_never_reviewed_counts_from_the_opening_and_a_kind_set_to_0_is_not_checked(town):
    fresh = outlet(town, "short_video", opened_on="2025-06-25", name="短视频账号")   # due 07-09: not within the week of 06-30
    old = outlet(town, "loudspeaker", opened_on="2023-01-01", name="东风村大喇叭")
    closed = outlet(town, "wechat_group", status="closed", name="旧群")
    assert findings(town, INTERVAL, DURING) == [
        ("error", "东风村大喇叭: never reviewed, due every 30 days (by 2023-01-31)", [old])]
    town.admin.set_setting("positions.outlet-review.days.loudspeaker", 0)
    assert findings(town, INTERVAL, DURING) == []
    town.admin.set_setting("positions.outlet-review.notice-days", 10)
    assert [f[2] for f in findings(town, INTERVAL, DURING)] == [[fresh]]
    assert closed


def test_the_cli_takes_the_new_kinds_and_checks_their_intervals(office):
    office.add("outlet", "name=东风村广播", "kind=村（社区）广播（大喇叭）", "unit=unit-2", "responsible=person-3", "last_review=2024-11-01")
    office.add("outlet", "name=红星村微信群", "kind=wechat_group", "unit=unit-2", "responsible=person-3", "last_review=2024-12-25")
    found = office("check", "--year", "2024", "--rule", INTERVAL, "--json")
    assert found.exit_code == 1 and [(f["severity"], f["records"]) for f in found.json()] == [("error", ["outlet-1"])]
    assert office("config", "set", "positions.outlet-review.days.loudspeaker", "90").exit_code == 0
    assert office("check", "--year", "2024", "--rule", INTERVAL, "--json").json() == []


# -- the report and the demo --------------------------------------------------------------------------

def test_the_report_counts_speakers_vetted_and_outlets_by_kind(town):
    from duty_tui.reports.document import build_annual, write_markdown

    vetted = speaker(town)
    speaker(town, name="王某", conclusion="unsuitable")
    held = event(town, [vetted])
    town.clerk.transition(held, "submit")
    approve(town, held)
    town.clerk.transition(held, "file", values={"filed_on": "2025-05-12"})
    outlet(town, last_review="2025-12-30")
    outlet(town, "farm_library", "2025-01-10", name="农家书屋")
    outlet(town, "loudspeaker", "2025-06-01", name="大喇叭")
    zh = write_markdown(build_annual(town.admin, YEAR, "zh", today=AFTER))
    assert "建立报告人名录，登记报告人2人；本期审查报告人2人，其中可以邀请1人、不宜邀请1人" in zh
    assert "举办的报告会、讲座等邀请登记报告人1场，其中报告人均经事先审查1场" in zh
    assert "各类阵地按类别明确责任人、定期巡查：村（社区）广播（大喇叭）1个、微信群1个、农家书屋1个；截至2025年12月31日超过巡查周期未巡查2个" in zh
    en = write_markdown(build_annual(town.admin, YEAR, "en", today=AFTER))
    assert "A register of speakers, 2 speakers in it; 2 vetted in the period, 1 found fit to invite and 1 not to be invited" in en
    assert "1 village or community loudspeaker, 1 WeChat group, 1 village library; 2 overdue for review on" in en


def test_the_demo_shows_an_error_a_warning_and_a_pass_for_speakers_and_intervals(duty_store, duty_registry):
    from duty_tui.demo import create_demo

    today = dt.date.today()
    demo = create_demo(duty_store, duty_registry, "admin", year=today.year)
    assert [f for f in demo.failures if f[0] == "positions"] == []
    names = demo.ledger.titles
    interval = run_rules(demo.ledger, today.year, today=today, rule_ids=[INTERVAL])
    by_outlet = {names([f.records[0]])[f.records[0]]: f.severity for f in interval}
    assert by_outlet["红星村村民微信群"] == "error" and by_outlet["文化广场 LED 显示屏"] == "warning"
    assert "东风村广播（大喇叭）" not in by_outlet and "东风村农家书屋" not in by_outlet
    vetting = run_rules(demo.ledger, today.year, today=today, rule_ids=[SPEAKERS])
    by_speaker = {names([f.records[1]])[f.records[1]]: f.severity for f in vetting}
    assert by_speaker["周老师"] == "warning" and by_speaker["王某"] == "warning" and "张教授" not in by_speaker
    if today > dt.date(today.year, 1, 1):
        assert by_speaker["陈科长"] == "error", "vetted the day after the seminar"
    soon = next(e for e in demo.ledger.all("event") if e.data["title"] == "网络文明进万家讲座")
    leader = type(demo.ledger).for_login(demo.ledger.store, demo.ledger.registry, "liumy")
    assert "周老师" in refusal(lambda: leader.transition(soon.id, "approve", values={"approver": demo.persons["刘明宇"], "approved_on": today}))[0]


def test_a_speaker_added_after_the_approval_must_be_vetted_but_a_held_event_records_who_spoke(town):
    vetted = speaker(town)
    unvetted = town.clerk.create("speaker", {"name": "周老师"}).id
    lecture = event(town, [vetted], date="2025-09-20")
    town.clerk.transition(lecture, "submit")
    approve(town, lecture, "2025-05-10")
    assert refusal(lambda: town.clerk.update(lecture, {"registered_speakers": [vetted, unvetted]})) == [
        "the event is approved, so a speaker added must be vetted: speaker 周老师 not vetted: vet them before inviting them"]
    town.clerk.update(lecture, {"registered_speakers": []})  # taking one off is fine
    draft = event(town, [vetted])
    assert town.clerk.update(draft, {"registered_speakers": [vetted, unvetted]}).data["registered_speakers"] == [vetted, unvetted], \
        "a draft is not approved yet: its approval will ask"
    held = event(town, [vetted], date="2025-05-20")
    town.clerk.transition(held, "submit")
    approve(town, held)
    town.clerk.transition(held, "file", values={"filed_on": "2025-05-12"})
    town.clerk.transition(held, "hold")
    town.clerk.update(held, {"registered_speakers": [vetted, unvetted]})  # who actually spoke
    assert [f[2] for f in findings(town, SPEAKERS, AFTER)] == [[draft, unvetted], [held, unvetted]]
