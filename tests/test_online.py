"""The online plugin (网络意识形态): opinion incidents handled within their level's limit, the
higher levels reported up and briefed to cadres (a briefing named on the incident), and the review
log of own media (三审三校). Each rule fires, clears when put right, and tells a deadline still to
come (warning) from one gone by (error); the demo shows an error, a warning and a pass of each;
the report states the figures; the CLI contract (types, add, check --json) reads the fields by
their names."""

from __future__ import annotations

import datetime as dt

import pytest

from duty_tui.demo import create_demo
from duty_tui.reports.document import build_annual, write_markdown
from duty_tui.rules import run_rules

from .helpers import refusal, rule_findings

pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "leadership", "positions", "assessment", "accountability", "online")

YEAR = 2025
RULES = ("online.incident-handled", "online.incident-reported", "online.incident-briefed", "online.publication-reviewed")


@pytest.fixture
def town(duty_admin, duty_ledger_as):
    """The committee, a village, the propaganda office with the town's WeChat account, the
    secretary and the propaganda member in the leading group, two cadres; the clerk 李娜."""
    ledger = duty_admin
    ids = {"committee": ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id}
    for name, kind in (("宣传办公室", "office"), ("东风村", "village")):
        ids[name] = ledger.create("unit", {"name": name, "kind": kind, "parent": ids["committee"]}).id
    for name in ("刘明宇", "余永福", "李娜", "张伟"):
        ids[name] = ledger.create("person", {"name": name, "unit": ids["committee"]}).id
    ledger.create("leader", {"person": ids["刘明宇"], "role": "first_responsible", "since": "2020-01-01"})
    ledger.create("leader", {"person": ids["余永福"], "role": "direct_responsible", "since": "2020-01-01"})
    ids["account"] = ledger.create("outlet", {"name": "“xx镇发布”微信公众号", "kind": "new_media", "unit": ids["宣传办公室"],
                                              "responsible": ids["李娜"]}).id
    clerk = duty_ledger_as("lina", "clerk")
    return type("Town", (), {"admin": ledger, "clerk": clerk, "ids": ids})


def incident(town, found="2025-05-10", level="larger", **more):
    values = {"found_on": found, "source": "抖音同城", "summary": "网传镇卫生院停诊", "level": level, **more}
    return town.clerk.create("opinion_incident", values).id


def post(town, published="2025-05-10", final="余永福", **more):
    ids = town.ids
    values = {"outlet": ids["account"], "title": "镇党委召开意识形态工作专题会议", "published_on": published, "author": ids["李娜"],
              "first_reviewer": ids["李娜"], "second_reviewer": ids["张伟"],
              "final_reviewer": ids[final] if final else None, **more}
    return town.clerk.create("publication", values).id


def findings(town, rule, today, year=YEAR):
    return rule_findings(town.admin, year, rule, today)


def severities(town, rule, today, year=YEAR):
    return [f[0] for f in findings(town, rule, today, year)]


# -- the plugin as installed ---------------------------------------------------------------------

def test_the_plugin_loads_with_its_area_types_rules_and_settings(duty_registry):
    info = duty_registry.info("online")
    assert info.status == "loaded" and info.module == "duty_tui_plugins.online"
    assert {"opinion_incident", "publication"} <= set(duty_registry.types)
    assert {r for r in duty_registry.rules if r.startswith("online.")} == set(RULES)
    assert duty_registry.areas_declared["online"].label.zh == "网络意识形态"
    defaults = {k: s.default for k, s in duty_registry.settings.items() if k.startswith("online.")}
    assert defaults == {"online.handle-days.ordinary": 2, "online.handle-days.larger": 2, "online.handle-days.major": 1,
                        "online.handle-days.especially_major": 1, "online.higher-level": "larger", "online.report-up.days": 1,
                        "online.briefing.days": 30, "online.publication.final-by-leader": True}
    for key, setting in duty_registry.settings.items():
        if key.startswith("online."):
            assert setting.help and ("默认" in setting.help.zh) and ("efault" in setting.help.en), key
    briefing = duty_registry.types["briefing"]
    assert briefing.field("cases").target == "case" and briefing.field("analyses").target == "analysis"
    assert not briefing.field("cases").required and not briefing.field("analyses").required


def test_duty_types_names_every_field_and_duty_add_takes_them(cli):
    types = {t["name"]: t for t in cli("types", "--json").json()}
    assert [f["name"] for f in types["opinion_incident"]["fields"]] == [
        "found_on", "source", "summary", "level", "unit", "responsible", "handled_on", "handling", "reported_up_on", "reported_to",
        "briefing", "case", "notes"]
    assert [f["name"] for f in types["publication"]["fields"]] == [
        "outlet", "title", "published_on", "author", "first_reviewer", "second_reviewer", "final_reviewer", "notes"]
    zh = cli("--lang", "zh", "types", "opinion_incident").stdout
    assert "网络舆情" in zh and "舆情等级" in zh and "处置日期" in zh
    new = cli.add("opinion_incident", "found_on=2025-05-10", "source=微博", "summary=网传不实信息", "level=较大")
    assert cli("show", new, "--json").json()["level"] == "larger", "a level is typed by its value or its label"
    checked = cli("check", "--year", "2025", "--rule", "online.incident-handled", "--json")
    assert [f["records"] for f in checked.json()] == [[new]]


# -- validation ----------------------------------------------------------------------------------

def test_an_incident_is_not_handled_reported_or_briefed_before_it_was_found(town):
    assert refusal(lambda: incident(town, handled_on="2025-05-09", reported_up_on="2025-05-01")) == [
        "cannot be handled before it was found, on 2025-05-10", "cannot be reported up before it was found, on 2025-05-10"]
    old = town.clerk.create("briefing", {"date": "2025-04-01", "topic": "一季度通报"}).id
    with pytest.raises(Exception) as refused:
        incident(town, briefing=old)
    assert refused.value.errors[0].field == "briefing"
    assert "dated before the incident was found" in refused.value.errors[0].reason.render("en")


def test_the_level_is_one_of_the_four(town):
    with pytest.raises(Exception) as refused:
        incident(town, level="huge")
    assert refused.value.errors[0].field == "level"


# -- online.incident-handled -----------------------------------------------------------------------

def test_an_incident_handled_after_its_levels_limit_is_an_error_and_clears_when_the_limit_is_set_longer(town):
    late = incident(town, level="major", handled_on="2025-05-12")           # major: 1 day
    incident(town, level="larger", handled_on="2025-05-12", summary="网民投诉")  # larger: 2 days, in time
    assert findings(town, "online.incident-handled", dt.date(2025, 6, 30)) == [
        ("error", "网传镇卫生院停诊 (found 2025-05-10, major): handled on 2025-05-12, beyond the limit of 1 day(s)", [late])]
    town.admin.set_setting("online.handle-days.major", 2)
    assert findings(town, "online.incident-handled", dt.date(2025, 6, 30)) == []


def test_an_incident_not_handled_warns_until_its_limit_then_is_an_error_and_clears_once_handled(town):
    found = incident(town, found="2025-12-30", level="ordinary")            # due by 2026-01-01
    assert severities(town, "online.incident-handled", dt.date(2025, 12, 31)) == ["warning"], "the year still running"
    assert severities(town, "online.incident-handled", dt.date(2026, 1, 2)) == ["error"], "the year over and the limit gone by"
    town.clerk.update(found, {"handled_on": "2026-01-01"})
    assert severities(town, "online.incident-handled", dt.date(2026, 1, 2)) == []


# -- online.incident-reported ----------------------------------------------------------------------

def test_a_higher_level_incident_not_reported_up_warns_then_is_an_error_only_from_the_higher_level(town):
    larger = incident(town, found="2025-12-30", level="larger")
    incident(town, found="2025-12-30", level="ordinary", summary="村民询问")
    assert severities(town, "online.incident-reported", dt.date(2025, 12, 31)) == ["warning"]
    assert findings(town, "online.incident-reported", dt.date(2026, 1, 5)) == [
        ("error", "网传镇卫生院停诊 (found 2025-12-30, larger): not reported to the cyberspace and propaganda departments above; "
                  "due by 2025-12-31", [larger])]
    town.admin.set_setting("online.higher-level", "major")
    assert findings(town, "online.incident-reported", dt.date(2026, 1, 5)) == []
    town.admin.set_setting("online.higher-level", "ordinary")
    assert len(findings(town, "online.incident-reported", dt.date(2026, 1, 5))) == 2


def test_reported_late_is_an_error_in_time_clears(town):
    found = incident(town, reported_up_on="2025-05-13")
    assert severities(town, "online.incident-reported", dt.date(2025, 6, 30)) == ["error"]
    town.clerk.update(found, {"reported_up_on": "2025-05-11"})
    assert severities(town, "online.incident-reported", dt.date(2025, 6, 30)) == []


def test_the_higher_level_setting_is_refused_unless_a_level(cli):
    assert cli("config", "set", "online.higher-level", "huge").exit_code == 2
    assert cli("config", "set", "online.higher-level", "major").exit_code == 0


# -- online.incident-briefed -----------------------------------------------------------------------

def test_a_higher_level_incident_is_briefed_within_the_limit(town):
    found = incident(town, found="2025-12-20")                             # due by 2026-01-19
    running = run_rules(town.admin, YEAR, today=dt.date(2025, 12, 31), rule_ids=["online.incident-briefed"])
    assert [f.severity for f in running] == ["warning"]
    assert running[0].fix.record_type == "briefing" and running[0].fix.values["topic"] == "网络舆情通报：网传镇卫生院停诊"
    assert severities(town, "online.incident-briefed", dt.date(2026, 1, 20)) == ["error"]
    late = town.clerk.create("briefing", {"date": "2026-02-01", "topic": "网络舆情通报"}).id
    town.clerk.update(found, {"briefing": late})
    assert [m for _, m, _ in findings(town, "online.incident-briefed", dt.date(2026, 2, 5))] == [
        "网传镇卫生院停诊 (found 2025-12-20, larger): briefed to cadres on 2026-02-01, beyond the limit of 30 day(s)"]
    in_time = town.clerk.create("briefing", {"date": "2026-01-05", "topic": "网络舆情处置情况通报"}).id
    town.clerk.update(found, {"briefing": in_time})
    assert findings(town, "online.incident-briefed", dt.date(2026, 2, 5)) == []


def test_an_ordinary_incident_needs_no_briefing(town):
    incident(town, level="ordinary", handled_on="2025-05-10")
    assert findings(town, "online.incident-briefed", dt.date(2026, 1, 20)) == []


# -- online.publication-reviewed -------------------------------------------------------------------

def test_a_post_with_three_reviews_by_three_persons_the_final_a_leaders_passes(town):
    post(town)
    assert findings(town, "online.publication-reviewed", dt.date(2025, 6, 30)) == []


def test_a_post_out_without_its_final_review_is_an_error_and_clears_when_it_is_entered(town):
    missing = post(town, final=None)
    assert findings(town, "online.publication-reviewed", dt.date(2025, 6, 30)) == [
        ("error", "“xx镇发布”微信公众号: “镇党委召开意识形态工作专题会议” (out on 2025-05-10): went out without its three reviews: "
                  "no final reviewer", [missing])]
    town.clerk.update(missing, {"final_reviewer": town.ids["余永福"]})
    assert findings(town, "online.publication-reviewed", dt.date(2025, 6, 30)) == []


def test_a_planned_post_awaiting_its_review_warns_until_it_goes_out(town):
    post(town, published="2025-12-31", final=None)
    assert severities(town, "online.publication-reviewed", dt.date(2025, 12, 30)) == ["warning"], "the year still running"
    assert severities(town, "online.publication-reviewed", dt.date(2026, 1, 2)) == ["error"], "gone out, the year over"


def test_one_person_twice_and_a_final_reviewer_outside_the_leading_group_are_named(town):
    twice = post(town, final="张伟")
    [(severity, message, records)] = findings(town, "online.publication-reviewed", dt.date(2025, 6, 30))
    assert severity == "error" and records == [twice]
    assert message.endswith("the second reviewer and the final reviewer are the same person; "
                            "the final reviewer is not a member of the leading group in office")
    town.admin.set_setting("online.publication.final-by-leader", False)
    [(_, message, _)] = findings(town, "online.publication-reviewed", dt.date(2025, 6, 30))
    assert message.endswith("the second reviewer and the final reviewer are the same person")
    town.clerk.update(twice, {"second_reviewer": town.ids["刘明宇"], "final_reviewer": town.ids["余永福"]})
    assert findings(town, "online.publication-reviewed", dt.date(2025, 6, 30)) == []


def test_the_leading_group_is_read_on_the_day_the_post_went_out(town):
    town.admin.create("leader", {"person": town.ids["张伟"], "role": "member", "since": "2025-06-01"})
    post(town, published="2025-05-10", final="张伟")
    post(town, published="2025-06-10", final="张伟", title="镇党委召开专题会议（二）", second_reviewer=town.ids["余永福"])
    assert len(findings(town, "online.publication-reviewed", dt.date(2025, 6, 30))) == 1, "a leader only from 1 June"


# -- the chain of responsibility reads a publication ----------------------------------------------

def test_the_chain_names_each_person_a_post_names_and_its_outlet(town):
    from duty_tui_plugins.accountability.suggest import suggest

    wrong = post(town, final=None)
    got = suggest(town.admin, {"occurred_on": dt.date(2025, 5, 10), "circumstance": "5", "publication": wrong})
    reasons = {s.name: " ".join(r.text.render("zh") for r in s.reasons) for s in got.items}
    assert "“镇党委召开意识形态工作专题会议”的初审人" in reasons["李娜"] and "“镇党委召开意识形态工作专题会议”的复审人" in reasons["张伟"]
    assert "阵地责任人" in reasons["李娜"], "the post's outlet leads to its responsible person"


# -- the demo and the report ---------------------------------------------------------------------

def test_the_demo_shows_an_error_a_warning_and_a_pass_of_each_rule(duty_store, duty_registry):
    import time_machine

    today = dt.date(2026, 11, 27)  # the demo dates its records from the clock: one day, the same story every run
    with time_machine.travel(dt.datetime.combine(today, dt.time(12)).astimezone(), tick=True):
        demo = create_demo(duty_store, duty_registry, "admin", year=today.year)
    assert [f for f in demo.failures if f[0] == "online"] == []
    found = run_rules(demo.ledger, today.year, today=today, rule_ids=list(RULES))
    for rule in RULES:
        assert {f.severity for f in found if f.rule == rule} == {"error", "warning"}, rule
    named = {r for f in found for r in f.records}
    incidents = {i.id for i in demo.ledger.all("opinion_incident")}
    posts = {p.id for p in demo.ledger.all("publication")}
    for rule, ids in (("online.incident-handled", incidents), ("online.incident-reported", incidents),
                      ("online.incident-briefed", incidents), ("online.publication-reviewed", posts)):
        assert ids - {r for f in found if f.rule == rule for r in f.records}, f"{rule}: a record that passes"
    rumour = next(i for i in demo.ledger.all("opinion_incident") if i.data.get("case"))
    assert demo.ledger.get(rumour.data["case"]).data["title"] == "网络谣言处置不力"
    briefing = demo.ledger.get(rumour.data["briefing"])
    assert briefing.data["cases"] == [rumour.data["case"]], "the briefing names the case it makes known"
    assert named
    posts_by_title = {p.data["title"]: p for p in demo.ledger.all("publication")}
    account = demo.ledger.get(posts_by_title["镇党委召开意识形态工作专题会议"].data["outlet"])
    assert account.data["name"] == "“xx镇发布”微信公众号"


def test_the_report_states_the_incidents_and_the_reviews(duty_admin, town):
    incident(town, level="major", handled_on="2025-05-10", reported_up_on="2025-05-10")
    incident(town, level="ordinary", handled_on="2025-05-11", summary="村民询问")
    post(town)
    post(town, final=None, title="讲座预告")
    for lang, sentences in (("zh", ("处置网络舆情2起，其中较大以上1起，均已报告上级", "自办媒体发布2条，落实三审三校1条")),
                            ("en", ("2 online opinion incidents handled, 1 of them larger or above, all reported up",
                                    "2 posts on own media, 1 with all three reviews"))):
        text = write_markdown(build_annual(duty_admin, YEAR, lang, today=dt.date(2026, 1, 10)))
        for sentence in sentences:
            assert sentence in text, (lang, sentence)
    incident(town, found="2025-06-01", summary="网传拆迁补偿不公")
    text = write_markdown(build_annual(duty_admin, YEAR, "zh", today=dt.date(2026, 1, 10)))
    assert "发现网络舆情3起，已处置2起，其中较大以上2起，已报告上级1起" in text


def test_the_example_table_has_the_online_items_and_circumstance_8_zeroes_the_online_area(duty_registry):
    from duty_tui_plugins.assessment.demo import example_items

    items = example_items(duty_registry)
    online = [i for i in items if i["area"] == "online"]
    assert {i["rule"] for i in online} == set(RULES) and all(i["example"] and "示例" in i["standard"] for i in online)
    veto = next(i for i in items if i.get("veto") == "zero_area")
    assert veto["veto_area"] == "online" and "网络意识形态方面得零分" in veto["standard"]
