"""The leadership plugin: who answers for what. Each rule at its boundary, the year semantics
(a shortfall is a warning while the year runs and an error once it is over), a check of one
unit, and `duty check --json` on data entered only through the CLI."""

from __future__ import annotations

import datetime as dt

import pytest

from duty_tui.errors import ValidationError
from duty_tui.rules import run_rules

from duty_tui_plugins.leadership.structure import build_structure

from .helpers import rule_findings

# Of the installed plugins, only the backends and this one: another domain plugin's rules would
# add their own findings to the checks below.
pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "leadership")

YEAR = 2025
DURING = dt.date(2025, 6, 30)   # the year is running
AFTER = dt.date(2026, 1, 15)    # the year is over


@pytest.fixture
def town(duty_admin):
    """A committee with a village, a community and an office under it, and five cadres."""
    ledger = duty_admin
    ids = {"committee": ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id}
    for name, kind in (("东风村", "village"), ("城关社区", "community"), ("宣传办公室", "office")):
        ids[name] = ledger.create("unit", {"name": name, "kind": kind, "parent": ids["committee"]}).id
    for name in ("刘明宇", "余永福", "王建国", "周涛", "黄志军"):
        ids[name] = ledger.create("person", {"name": name, "unit": ids["committee"]}).id
    ledger.ids = ids
    return ledger


def lead(ledger, name, role, divisions=(), since="2020-01-01", until=None):
    values = {"person": ledger.ids[name], "role": role, "divisions": [ledger.ids[u] for u in divisions], "since": since}
    if until:
        values["until"] = until
    return ledger.create("leader", values).id


def full_group(ledger):
    """A leading group the structure rules find nothing wrong with."""
    lead(ledger, "刘明宇", "first_responsible")
    lead(ledger, "余永福", "direct_responsible", ["宣传办公室"])
    lead(ledger, "王建国", "member", ["东风村", "城关社区"])


def findings(ledger, rule, today, unit=None, lang="en"):
    return rule_findings(ledger, YEAR, rule, today, unit, lang)


# -- the plugin as installed ---------------------------------------------------------------------

def test_the_plugin_loads_from_its_entry_point_with_its_types_rules_and_settings(duty_registry):
    info = duty_registry.info("leadership")
    assert info.status == "loaded" and info.source == "duty-tui" and info.module == "duty_tui_plugins.leadership"
    assert {"leader", "duty_item", "study_session", "committee_meeting", "analysis", "first_responsible_act"} <= set(duty_registry.types)
    assert {r for r in duty_registry.rules if r.startswith("leadership.")} == {
        "leadership.first-responsible", "leadership.direct-responsible", "leadership.divisions",
        "leadership.study-count", "leadership.study-ideology", "leadership.agenda",
        "leadership.analysis-count", "leadership.analysis-meeting", "leadership.analysis-follow-up",
        "leadership.first-responsible-acts", "leadership.first-responsible-act-kinds"}
    defaults = {k: s.default for k, s in duty_registry.settings.items() if k.startswith("leadership.")}
    assert defaults == {"leadership.study-count.min": 6, "leadership.study-ideology.min": 1, "leadership.agenda.min": 2,
                        "leadership.analysis.min": 2, "leadership.first-responsible-acts.min": 4,
                        "leadership.first-responsible-acts.deploy.min": 1, "leadership.first-responsible-acts.inquire.min": 1,
                        "leadership.first-responsible-acts.handle.min": 1, "leadership.first-responsible-acts.criticise.min": 0}
    assert "leadership.structure" in duty_registry.screens


def test_duty_types_json_lists_the_fields(cli):
    types = {t["name"]: t for t in cli("types", "--json").json()}
    leader = types["leader"]
    assert leader["plugin"] == "leadership" and leader["area"] == "leadership"
    assert [f["name"] for f in leader["fields"]][:5] == ["person", "role", "divisions", "duties", "since"]
    assert {c["value"] for c in next(f for f in leader["fields"] if f["name"] == "role")["choices"]} == {
        "first_responsible", "direct_responsible", "member"}
    assert types["study_session"]["year_field"] == "date"
    assert types["duty_item"]["year_field"] == "due"


# -- first and direct responsible ----------------------------------------------------------------

def test_no_first_responsible_person_is_a_warning_while_the_year_runs_and_an_error_after(town):
    assert findings(town, "leadership.first-responsible", DURING) == [
        ("warning", "no first responsible person (the secretary) in office in 2025", [])]
    assert [f[0] for f in findings(town, "leadership.first-responsible", AFTER)] == ["error"]


def test_exactly_one_first_responsible_person_passes(town):
    full_group(town)
    assert findings(town, "leadership.first-responsible", AFTER) == []


def test_two_first_responsible_persons_at_once_is_an_error_at_once(town):
    old = lead(town, "黄志军", "first_responsible", since="2019-09-01")  # the term was never closed
    new = lead(town, "刘明宇", "first_responsible", since="2024-01-01")
    assert findings(town, "leadership.first-responsible", DURING) == [
        ("error", "黄志军 and 刘明宇 are first responsible at the same time (from 2024-01-01): "
                  "is the earlier term's “until” missing?", [old, new])]
    zh = findings(town, "leadership.first-responsible", DURING, lang="zh")[0][1]
    assert zh.startswith("黄志军 与 刘明宇 同时为第一责任人（2024-01-01 起）")


def test_a_handover_within_the_year_is_not_two_at_once(town):
    lead(town, "黄志军", "first_responsible", since="2019-09-01", until="2025-06-30")
    lead(town, "刘明宇", "first_responsible", since="2025-07-01")
    assert findings(town, "leadership.first-responsible", AFTER) == []


def test_a_term_that_ended_before_the_year_is_not_current(town):
    lead(town, "黄志军", "first_responsible", since="2019-09-01", until="2024-12-31")
    assert [f[1] for f in findings(town, "leadership.first-responsible", AFTER)] == [
        "no first responsible person (the secretary) in office in 2025"]


def test_a_direct_responsible_person_is_required(town):
    lead(town, "刘明宇", "first_responsible")
    assert findings(town, "leadership.direct-responsible", DURING) == [
        ("warning", "no direct responsible person (the member for propaganda) in office in 2025", [])]
    lead(town, "余永福", "direct_responsible", since="2025-12-01")  # appointed in December: current in the year
    assert findings(town, "leadership.direct-responsible", AFTER) == []


# -- divisions (one post, two duties) ----------------------------------------------------------------

def test_every_unit_below_the_committee_needs_a_member_who_covers_it(town):
    lead(town, "刘明宇", "first_responsible")
    lead(town, "余永福", "direct_responsible", ["宣传办公室"])
    assert findings(town, "leadership.divisions", AFTER) == [
        ("error", "2 of 3 units in no member's divisions: 东风村, 城关社区", [town.ids["东风村"], town.ids["城关社区"]])]
    assert findings(town, "leadership.divisions", AFTER, lang="zh")[0][1] == "2/3 个单位无人分管：东风村、城关社区"
    lead(town, "王建国", "member", ["东风村", "城关社区"])
    assert findings(town, "leadership.divisions", AFTER) == []


def test_a_member_without_divisions_is_named(town):
    full_group(town)
    idle = lead(town, "周涛", "member")
    assert findings(town, "leadership.divisions", DURING) == [("warning", "the member 周涛 has no divisions", [idle])]


def test_divisions_of_a_term_that_ended_no_longer_cover(town):
    full_group(town)
    lead(town, "周涛", "member", ["东风村"], since="2018-01-01", until="2024-12-31")
    town.update(town.all("leader", role="member")[0].id, {"divisions": [town.ids["城关社区"]]})
    assert [f[2] for f in findings(town, "leadership.divisions", AFTER)] == [[town.ids["东风村"]]]


def test_a_check_of_one_unit_keeps_what_concerns_it(town):
    lead(town, "刘明宇", "first_responsible")
    lead(town, "周涛", "member")
    village = town.ids["东风村"]
    assert findings(town, "leadership.divisions", AFTER, unit=village) == [
        ("error", "1 of 1 units in no member's divisions: 东风村", [village])]
    assert findings(town, "leadership.study-count", AFTER, unit=village) == [], "the committee's sessions are not the village's"
    committee = findings(town, "leadership.divisions", AFTER, unit=town.ids["committee"])
    assert [f[1] for f in committee] == ["3 of 3 units in no member's divisions: 东风村, 城关社区, 宣传办公室",
                                         "the member 周涛 has no divisions"]


def test_a_term_cannot_end_before_it_starts(town):
    with pytest.raises(ValidationError) as refused:
        lead(town, "刘明宇", "first_responsible", since="2025-05-01", until="2025-04-30")
    assert [e.field for e in refused.value.errors] == ["until"]


# -- counts over the year ------------------------------------------------------------------------

def sessions(ledger, n, year=YEAR, ideology=0):
    return [ledger.create("study_session", {"date": f"{year}-{month:02d}-10", "topic": f"学习 {month}",
                                            "ideology": month <= ideology}).id for month in range(1, n + 1)]


def test_five_study_sessions_fail_and_six_pass(town):
    five = sessions(town, 5)
    assert findings(town, "leadership.study-count", AFTER) == [("error", "5 of 6 central study sessions", five)]
    sessions(town, 1, year=YEAR - 1)
    assert findings(town, "leadership.study-count", AFTER)[0][1] == "5 of 6 central study sessions", "last year's do not count"
    town.create("study_session", {"date": "2025-12-31", "topic": "年终学习"})
    assert findings(town, "leadership.study-count", AFTER) == []


def test_a_study_shortfall_is_a_warning_while_the_year_runs_and_counts_only_what_was_held(town):
    held = sessions(town, 4)
    town.create("study_session", {"date": "2025-11-20", "topic": "已安排"})
    assert findings(town, "leadership.study-count", DURING) == [("warning", "4 of 6 central study sessions (1 more planned)", held)]
    assert findings(town, "leadership.study-count", DURING, lang="zh")[0][1] == "中心组集中学习 4/6 次（另有 1 次已安排）"
    assert findings(town, "leadership.study-count", AFTER)[0][:2] == ("error", "5 of 6 central study sessions")


def test_the_threshold_comes_from_the_settings(town):
    sessions(town, 4)
    town.set_setting("leadership.study-count.min", 4)
    assert findings(town, "leadership.study-count", AFTER) == []


def test_at_least_one_session_on_ideological_work(town):
    sessions(town, 6)
    assert findings(town, "leadership.study-ideology", AFTER) == [("error", "0 of 1 study sessions on ideological work", [])]
    town.create("study_session", {"date": "2025-07-01", "topic": "意识形态工作责任制", "ideology": True})
    assert findings(town, "leadership.study-ideology", AFTER) == []


def test_ideological_work_on_the_committees_agenda_twice_a_year(town):
    first = town.create("committee_meeting", {"date": "2025-03-05", "title": "党委会", "topics": "部署", "ideology_on_agenda": True}).id
    town.create("committee_meeting", {"date": "2025-04-05", "title": "党委会", "topics": "防汛"})
    assert findings(town, "leadership.agenda", DURING) == [
        ("warning", "1 of 2 committee meetings with ideological work on the agenda", [first])]
    town.create("committee_meeting", {"date": "2025-09-05", "title": "党委会", "topics": "研判", "ideology_on_agenda": True})
    assert findings(town, "leadership.agenda", AFTER) == []


# -- the structure at a glance -------------------------------------------------------------------

def test_the_structure_shows_roles_divisions_and_units_nobody_covers(town):
    full_group(town)
    lead(town, "周涛", "member")
    lead(town, "黄志军", "member", ["东风村"], since="2018-01-01", until="2024-12-31")  # not in 2025
    town.create("duty_item", {"title": "阵地排查", "owner": town.ids["王建国"], "area": "positions", "due": "2025-05-01"})
    structure = build_structure(town, YEAR)
    assert [(m.name, m.role, [u.name for u in m.divisions]) for m in structure.members] == [
        ("刘明宇", "first_responsible", []), ("余永福", "direct_responsible", ["宣传办公室"]),
        ("王建国", "member", ["东风村", "城关社区"]), ("周涛", "member", [])]
    assert [m.open_duties for m in structure.in_role("member")] == [1, 0]
    assert structure.uncovered == [] and not structure.overlapping_first_responsible()
    town.update(town.all("leader", role="member")[0].id, {"divisions": []})
    assert [u.name for u in build_structure(town, YEAR).uncovered] == ["东风村", "城关社区"]


# -- the CLI, end to end -------------------------------------------------------------------------

def test_duty_check_gives_exactly_the_leadership_findings_the_data_calls_for(cli):
    committee = cli.add("unit", "name=xx镇党委", "kind=committee")
    village = cli.add("unit", "name=东风村", "kind=village", f"parent={committee}")
    community = cli.add("unit", "name=城关社区", "kind=community", f"parent={committee}")
    liu, yu, zhou = (cli.add("person", f"name={n}", f"unit={committee}") for n in ("刘明宇", "余永福", "周涛"))
    secretary = cli.add("leader", f"person={liu}", "role=第一责任人", "since=2021-01-01")
    cli.add("leader", f"person={yu}", "role=direct_responsible", "since=2021-01-01", f"divisions={village}")
    idle = cli.add("leader", f"person={zhou}", "role=member", "since=2021-01-01")
    held = [cli.add("study_session", f"date=2024-{m:02d}-15", f"topic=学习{m}", "ideology=是" if m == 3 else "ideology=否")
            for m in (3, 5, 7, 9, 11)]
    agenda = cli.add("committee_meeting", "date=2024-04-01", "title=党委会", "topics=意识形态工作", "ideology_on_agenda=true")
    cli.add("committee_meeting", "date=2024-08-01", "title=党委会", "topics=防汛", "ideology_on_agenda=false")

    result = cli("check", "--year", "2024", "--json")
    assert result.exit_code == 1, "an error finding"
    assert result.json() == [
        {"rule": "leadership.agenda", "severity": "error", "area": "leadership",
         "message": "1 of 2 committee meetings with ideological work on the agenda", "records": [agenda],
         "fix": {"type": "committee_meeting", "values": {"ideology_on_agenda": True}}},  # what would count: the TUI's Enter opens it
        {"rule": "leadership.analysis-count", "severity": "error", "area": "leadership",
         "message": "0 of 2 analyses of the ideological situation", "records": [], "fix": {"type": "analysis", "values": {}}},
        {"rule": "leadership.divisions", "severity": "error", "area": "leadership",
         "message": "1 of 2 units in no member's divisions: 城关社区", "records": [community]},
        {"rule": "leadership.divisions", "severity": "error", "area": "leadership",
         "message": "the member 周涛 has no divisions", "records": [idle]},
        *({"rule": "leadership.first-responsible-act-kinds", "severity": "error", "area": "leadership",
           "message": f"first responsible person “{label}”: 0 of 1", "records": [secretary],
           "fix": {"type": "first_responsible_act", "values": {"kind": kind}}}
          for kind, label in (("deploy", "deployed in person"), ("inquire", "looked into in person"), ("handle", "handled in person"))),
        {"rule": "leadership.first-responsible-acts", "severity": "error", "area": "leadership",
         "message": "0 of 4 acts of the first responsible person recorded", "records": [secretary],
         "fix": {"type": "first_responsible_act", "values": {}}},
        {"rule": "leadership.study-count", "severity": "error", "area": "leadership",
         "message": "5 of 6 central study sessions", "records": held, "fix": {"type": "study_session", "values": {}}},
    ]
    assert cli("config", "set", "leadership.study-count.min", "5").exit_code == 0
    assert "leadership.study-count" not in {f["rule"] for f in cli("check", "--year", "2024", "--json").json()}
    assert cli("check", "--year", "2024", "--unit", village, "--json").json() == []


# -- the demo ------------------------------------------------------------------------------------

def test_the_demo_shows_each_severity_and_a_clean_rule_in_leadership(duty_store, duty_registry):
    from duty_tui.demo import create_demo

    today = dt.date.today()
    town = create_demo(duty_store, duty_registry, "admin", year=today.year)
    assert [f for f in town.failures if f[0] == "leadership"] == []
    mine = [f for f in run_rules(town.ledger, today.year, today=today) if f.area == "leadership"]
    assert {f.severity for f in mine} == {"error", "warning"}
    assert {"leadership.first-responsible", "leadership.divisions"} <= {f.rule for f in mine}
    clean = {r for r in duty_registry.rules if r.startswith("leadership.")} - {f.rule for f in mine}
    assert "leadership.direct-responsible" in clean
