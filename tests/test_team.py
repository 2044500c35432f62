"""The team plugin: self-inspections rectified by their due date and verified by a leader,
training, intellectuals with their liaison cadres and the activities with them. The workflow's
guards, each rule at its boundary, the year semantics, and `duty check --json` on data entered
only through the CLI."""

from __future__ import annotations

import datetime as dt

import pytest

from duty_tui.errors import NotPermitted
from duty_tui.rules import Fix, run_rules

from .helpers import refusal, rule_findings

# Of the installed plugins, only the backends and this one: another domain plugin's rules would
# add their own findings to the checks below.
pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "team")

YEAR = 2025
DURING = dt.date(2025, 6, 30)   # the year is running
AFTER = dt.date(2026, 1, 15)    # the year is over


@pytest.fixture
def town(duty_admin, duty_ledger_as):
    """A committee with an office and a village, four cadres, the clerk lina and the leader liumy."""
    ledger = duty_admin
    ids = {"committee": ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id}
    for name, kind in (("宣传办公室", "office"), ("东风村", "village")):
        ids[name] = ledger.create("unit", {"name": name, "kind": kind, "parent": ids["committee"]}).id
    for name in ("刘明宇", "余永福", "李娜", "赵强"):
        ids[name] = ledger.create("person", {"name": name, "unit": ids["committee"]}).id
    clerk, leader = duty_ledger_as("lina", "clerk"), duty_ledger_as("liumy", "leader")
    return type("Town", (), {"admin": ledger, "clerk": clerk, "leader": leader, "ids": ids})


def inspection(town, date="2025-03-10", unit="东风村", findings="宣传栏内容过期", due="2025-04-10", **more):
    values = {"date": date, "topic": "阵地自查", "unit": town.ids[unit], "findings": findings, "measures": "更换展板",
              "responsible": town.ids["赵强"], "due": due, **more}
    return town.clerk.create("self_inspection", values).id


def contact(town, name="林文博", liaison="余永福", **more):
    values = {"name": name, "field": "social_science", "affiliation": "市委党校", **more}
    if liaison:
        values["liaison"] = town.ids[liaison]
    return town.clerk.create("contact", values).id


def activity(town, date, *contacts, kind="visit"):
    return town.clerk.create("liaison_activity", {"date": date, "kind": kind, "topic": "走访", "contacts": list(contacts),
                                                  "cadre": town.ids["余永福"]}).id


def findings(town, rule, today, unit=None, lang="en"):
    return rule_findings(town.admin, YEAR, rule, today, unit, lang)


# -- the plugin as installed ---------------------------------------------------------------------

def test_the_plugin_loads_from_its_entry_point_with_its_types_rules_and_settings(duty_registry):
    info = duty_registry.info("team")
    assert info.status == "loaded" and info.source == "duty-tui" and info.module == "duty_tui_plugins.team"
    assert {"self_inspection", "training", "contact", "liaison_activity"} <= set(duty_registry.types)
    assert {r for r in duty_registry.rules if r.startswith("team.")} == {
        "team.self-inspection", "team.rectification-overdue", "team.contact-liaison", "team.contact-activity"}
    defaults = {k: s.default for k, s in duty_registry.settings.items() if k.startswith("team.")}
    assert defaults == {"team.self-inspection.min": 1, "team.contact-activity.min": 1}
    assert {"team.overdue-rectifications", "team.contacts-without-liaison"} <= set(duty_registry.commands)


def test_duty_types_json_shows_the_fields_and_the_workflow(cli):
    types = {t["name"]: t for t in cli("types", "--json").json()}
    contact_type = types["contact"]
    assert contact_type["plugin"] == "team" and contact_type["area"] == "team"
    field = next(f for f in contact_type["fields"] if f["name"] == "field")
    assert [c["value"] for c in field["choices"]] == ["social_science", "economy", "science"]
    assert next(f for f in contact_type["fields"] if f["name"] == "liaison")["target"] == "person"
    kinds = next(f for f in types["liaison_activity"]["fields"] if f["name"] == "kind")
    assert [c["value"] for c in kinds["choices"]] == ["visit", "symposium", "academic", "other"]
    workflow = types["self_inspection"]["workflow"]
    assert [s["name"] for s in workflow["states"]] == ["open", "rectified", "verified"]
    steps = {(t["name"], tuple(t["from"]), t["to"], t["role"]) for t in workflow["transitions"]}
    assert steps == {("rectify", ("open",), "rectified", "clerk"), ("verify", ("rectified",), "verified", "leader"),
                     ("reopen", ("rectified",), "open", "leader"), ("close", ("open",), "verified", "leader")}


# -- the self-inspection's workflow ------------------------------------------------------------------

def test_an_inspection_is_rectified_then_verified_by_a_leader(town):
    found = inspection(town)
    assert town.admin.get(found).state == "open"
    assert refusal(lambda: town.clerk.transition(found, "rectify")) == ["rectification needs the date it was completed"]
    rectified = town.clerk.transition(found, "rectify", values={"rectified_on": "2025-04-01"})
    assert rectified.state == "rectified" and rectified.warnings == ()
    with pytest.raises(NotPermitted):
        town.clerk.transition(found, "verify", values={"verified_by": town.ids["余永福"], "verified_on": "2025-04-05"})
    assert refusal(lambda: town.leader.transition(found, "verify")) == ["verification needs the verifier and the date"]
    assert refusal(lambda: town.leader.transition(found, "verify", values={"verified_by": town.ids["余永福"], "verified_on": "2025-03-31"})) == [
        "verified on 2025-03-31, before the rectification on 2025-04-01"]
    verified = town.leader.transition(found, "verify", values={"verified_by": town.ids["余永福"], "verified_on": "2025-04-01"})
    assert verified.state == "verified"


def test_a_late_rectification_is_warned_about_and_a_poor_one_sent_back(town):
    found = inspection(town, due="2025-04-10", measures="")
    late = town.clerk.transition(found, "rectify", values={"rectified_on": "2025-04-11"})
    assert [w.render("en") for w in late.warnings] == ["no rectification measures are recorded",
                                                       "rectified on 2025-04-11, after its due date 2025-04-10"]
    assert town.leader.transition(found, "reopen").state == "open"
    assert refusal(lambda: town.clerk.transition(found, "rectify", values={"rectified_on": "2025-03-09"})) == [
        "rectified on 2025-03-09, before the inspection on 2025-03-10"]


def test_an_inspection_that_found_nothing_is_closed_at_once_and_one_that_did_is_not(town):
    nothing = inspection(town, findings="", due=None)
    closed = town.leader.transition(nothing, "close", values={"verified_by": town.ids["余永福"], "verified_on": "2025-03-10"})
    assert closed.state == "verified"
    problems = inspection(town)
    assert refusal(lambda: town.leader.transition(problems, "close", values={"verified_by": town.ids["余永福"], "verified_on": "2025-03-10"})) == [
        "the inspection found problems: they are rectified before it is verified"]


def test_problems_found_need_a_due_date_on_or_after_the_inspection(town):
    assert refusal(lambda: inspection(town, due=None)) == ["problems were found: give the due date of their rectification"]
    assert refusal(lambda: inspection(town, date="2025-03-10", due="2025-03-09")) == [
        "the due date (2025-03-09) cannot be before the inspection (2025-03-10)"]
    assert town.admin.get(inspection(town, date="2025-03-10", due="2025-03-10")).data["due"] == dt.date(2025, 3, 10)
    assert refusal(lambda: contact(town, since="2025-05-01", until="2025-04-30")) == [
        "“until” (2025-04-30) cannot be before “since” (2025-05-01)"]


# -- the rules at their boundaries ---------------------------------------------------------------

def test_self_inspections_count_those_held_by_today_a_warning_while_the_year_runs(town):
    assert findings(town, "team.self-inspection", DURING) == [("warning", "0 of 1 self-inspections", [])]
    assert findings(town, "team.self-inspection", AFTER) == [("error", "0 of 1 self-inspections", [])]
    assert run_rules(town.admin, YEAR, today=AFTER, rule_ids=["team.self-inspection"])[0].fix == Fix("self_inspection"), \
        "with no record to open, Enter on the finding opens a new self-inspection"
    tomorrow = inspection(town, date="2025-07-01", due="2025-08-01")
    assert findings(town, "team.self-inspection", DURING)[0][1] == "0 of 1 self-inspections", "a planned one does not count yet"
    today = inspection(town, date="2025-06-30", due="2025-08-01")
    assert findings(town, "team.self-inspection", DURING) == []
    town.admin.set_setting("team.self-inspection.min", 3)
    assert findings(town, "team.self-inspection", AFTER) == [("error", "2 of 3 self-inspections", [tomorrow, today])]
    assert findings(town, "team.self-inspection", AFTER, lang="zh")[0][1] == "意识形态工作自查 2/3 次"
    assert findings(town, "team.self-inspection", DURING, unit=town.ids["东风村"]) == [], "the committee's own obligation"


def test_a_rectification_is_overdue_the_day_after_its_due_date(town):
    due_today = inspection(town, date="2025-06-01", due="2025-06-30")
    overdue = inspection(town, date="2025-06-01", due="2025-06-29")
    assert findings(town, "team.rectification-overdue", DURING) == [
        ("error", "阵地自查 (2025-06-01): due 2025-06-29, 1 day(s) overdue and still open", [overdue])]
    assert findings(town, "team.rectification-overdue", DURING, lang="zh")[0][1] == "阵地自查（2025-06-01）：整改时限 2025-06-29 已过 1 天，仍未整改"
    town.clerk.transition(overdue, "rectify", values={"rectified_on": "2025-06-30"})
    assert findings(town, "team.rectification-overdue", DURING) == []
    assert [f[2] for f in findings(town, "team.rectification-overdue", AFTER)] == [[due_today]]


def test_an_unrectified_problem_stays_overdue_into_the_next_years_but_not_back_into_earlier_ones(town):
    old = inspection(town, date="2024-11-01", due="2024-12-01")
    next_year = inspection(town, date="2025-12-01", due="2026-01-10")
    assert [f[2] for f in findings(town, "team.rectification-overdue", DURING)] == [[old]]
    assert [f[2] for f in findings(town, "team.rectification-overdue", dt.date(2026, 3, 1))] == [[old]], \
        "due in 2026, so not a finding of 2025"
    assert next_year


def test_overdue_rectifications_are_checked_unit_by_unit(town):
    village = inspection(town, unit="东风村", date="2025-05-01", due="2025-06-01")
    office = inspection(town, unit="宣传办公室", date="2025-05-01", due="2025-06-01")
    assert [f[2] for f in findings(town, "team.rectification-overdue", DURING, unit=town.ids["东风村"])] == [[village]]
    assert [f[2] for f in findings(town, "team.rectification-overdue", DURING, unit=town.ids["committee"])] == [[village], [office]]


def test_every_contact_kept_in_the_year_has_a_liaison_cadre(town):
    without = contact(town, name="何佳", liaison=None)
    contact(town, name="林文博")
    contact(town, name="明年", liaison=None, since="2026-02-01")
    contact(town, name="去年", liaison=None, until="2024-12-31")
    assert findings(town, "team.contact-liaison", DURING) == [("warning", "何佳: no liaison cadre", [without])]
    assert findings(town, "team.contact-liaison", AFTER) == [("error", "何佳: no liaison cadre", [without])]
    town.clerk.update(without, {"liaison": town.ids["余永福"]})
    assert findings(town, "team.contact-liaison", AFTER) == []


def test_every_contact_had_an_activity_in_the_year_by_today(town):
    lin, he = contact(town, name="林文博"), contact(town, name="何佳")
    activity(town, "2025-06-30", lin)
    activity(town, "2025-07-01", he)            # planned: not yet
    activity(town, "2024-12-31", he)            # last year's
    assert findings(town, "team.contact-activity", DURING) == [("warning", "何佳: 0 of 1 liaison activities in 2025", [he])]
    assert findings(town, "team.contact-activity", AFTER) == []
    town.admin.set_setting("team.contact-activity.min", 2)
    assert findings(town, "team.contact-activity", AFTER) == [
        ("error", "林文博: 1 of 2 liaison activities in 2025", [lin]), ("error", "何佳: 1 of 2 liaison activities in 2025", [he])]
    assert findings(town, "team.contact-activity", AFTER, lang="zh")[0][1] == "林文博：2025年联系活动 1/2 次"
    assert [f.fix for f in run_rules(town.admin, YEAR, today=AFTER, rule_ids=["team.contact-activity"])] == [
        Fix("liaison_activity", {"contacts": [lin], "cadre": town.ids["余永福"]}),
        Fix("liaison_activity", {"contacts": [he], "cadre": town.ids["余永福"]})], \
        "Enter on the finding opens an activity with that contact and their liaison cadre filled in"


# -- the CLI ---------------------------------------------------------------------------------------

def test_duty_check_gives_exactly_the_team_findings_the_data_calls_for(cli):
    cli.add("unit", "name=xx镇党委", "kind=committee")
    cli.add("unit", "name=东风村", "kind=village", "parent=unit-1")
    for name in ("刘明宇", "余永福", "赵强"):
        cli.add("person", f"name={name}", "unit=unit-1")
    assert cli("users", "add", "liumy", "--role", "leader", "--person", "person-1").exit_code == 0
    cli.add("self_inspection", "date=2024-03-01", "topic=阵地自查", "unit=unit-2", "findings=宣传栏内容过期", "due=2024-04-01")
    cli.add("self_inspection", "date=2024-05-01", "topic=网络自查", "unit=unit-2", "findings=群管理不规范", "due=2024-06-01")
    rectified = cli("transition", "self_inspection-2", "rectified", "rectified_on=2024-05-20")
    assert rectified.exit_code == 0, rectified.stderr
    verified = cli("transition", "self_inspection-2", "verify", "verified_by=person-2", "verified_on=2024-05-25", login="liumy")
    assert verified.exit_code == 0, verified.stderr
    cli.add("contact", "name=林文博", "field=社科理论界", "liaison=person-2")
    cli.add("contact", "name=何佳", "field=science")
    cli.add("liaison_activity", "date=2024-09-01", "kind=座谈", "topic=座谈会", "contacts=contact-1", "cadre=person-2")

    result = cli("check", "--year", "2024", "--json")
    assert result.exit_code == 1
    assert result.json() == [
        {"rule": "team.contact-activity", "severity": "error", "area": "team",
         "message": "何佳: 0 of 1 liaison activities in 2024", "records": ["contact-2"],
         "fix": {"type": "liaison_activity", "values": {"contacts": ["contact-2"]}}},
        {"rule": "team.contact-liaison", "severity": "error", "area": "team", "message": "何佳: no liaison cadre", "records": ["contact-2"]},
        {"rule": "team.rectification-overdue", "severity": "error", "area": "team",
         "message": f"阵地自查 (2024-03-01): due 2024-04-01, {(dt.date.today() - dt.date(2024, 4, 1)).days} day(s) overdue and still open",
         "records": ["self_inspection-1"]},
    ]
    village = cli("check", "--year", "2024", "--unit", "unit-2", "--json").json()
    assert [f["rule"] for f in village] == ["team.rectification-overdue"]


def test_the_palette_commands_open_the_lists_a_clerk_goes_to(duty_registry):
    opened = []
    ui = type("Ui", (), {"today": dt.date(2025, 6, 30), "open_list": lambda self, t, f="": opened.append((t, f))})()
    duty_registry.commands["team.overdue-rectifications"].run(ui)
    duty_registry.commands["team.contacts-without-liaison"].run(ui)
    assert opened == [("self_inspection", "state:open due<2025-06-30"), ("contact", "liaison:")]


# -- the demo --------------------------------------------------------------------------------------

def test_the_demo_shows_each_severity_and_a_clean_rule_in_team(duty_store, duty_registry):
    from duty_tui.demo import create_demo

    today = dt.date.today()
    demo = create_demo(duty_store, duty_registry, "admin", year=today.year)
    assert [f for f in demo.failures if f[0] == "team"] == []
    mine = [f for f in run_rules(demo.ledger, today.year, today=today) if f.area == "team"]
    assert {f.severity for f in mine} == {"error", "warning"}
    assert {f.rule for f in mine} == {"team.rectification-overdue", "team.contact-liaison", "team.contact-activity"}
    assert {r for r in duty_registry.rules if r.startswith("team.")} - {f.rule for f in mine} == {"team.self-inspection"}
    verified = [e for e in demo.ledger.history() if e.action == "transition:verify"]
    assert verified and {e.actor for e in verified} == {"liumy"}, "verified by the demo's leader"
