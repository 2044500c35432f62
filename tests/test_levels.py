"""The levels plugin (分级负责): responsibility agreements with every village, community,
department and office, the committee's supervision of them (problems rectified by their due date
and verified, results briefed), and the village and community secretaries' duty reports. The
workflow's guards, each rule firing, clearing when put right, at its boundary, in a running and
an ended year, the settings, `duty check --json` on data entered only through the CLI, the
report's figures and the demo."""

from __future__ import annotations

import datetime as dt

import pytest

from duty_tui.errors import NotPermitted
from duty_tui.rules import Fix, run_rules

from .helpers import refusal, rule_findings

# Every installed plugin: the secretaries' rule reads assessment's duty_report, and assessment's
# types refer to the other domain plugins' (a briefing to an analysis and a case, a case to an
# event). Each test below looks at one rule, or at this area's findings only.

YEAR = 2025
DURING = dt.date(2025, 6, 30)   # the year is running
AFTER = dt.date(2026, 1, 15)    # the year is over
UNITS = (("党政办公室", "office"), ("文化站", "department"), ("东风村", "village"), ("城关社区", "community"), ("其他单位", "other"))


@pytest.fixture
def town(duty_admin, duty_ledger_as):
    """A committee with an office, a department, a village, a community and a unit of another
    kind; the secretary, the propaganda member, the village's and the community's secretaries."""
    ledger = duty_admin
    ids = {"committee": ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id}
    for name, kind in UNITS:
        ids[name] = ledger.create("unit", {"name": name, "kind": kind, "parent": ids["committee"]}).id
    for name, unit, post in (("刘明宇", "committee", "党委书记"), ("余永福", "committee", "党委委员、宣传委员"),
                             ("赵强", "东风村", "党支部书记"), ("孙敏", "城关社区", "党委书记"), ("李红", "东风村", "党支部副书记")):
        ids[name] = ledger.create("person", {"name": name, "unit": ids[unit], "post": post}).id
    clerk, leader = duty_ledger_as("lina", "clerk"), duty_ledger_as("liumy", "leader")
    return type("Town", (), {"admin": ledger, "clerk": clerk, "leader": leader, "ids": ids})


def agreement(town, unit, year=YEAR, signed_on="2025-02-20", **more):
    return town.clerk.create("agreement", {"unit": town.ids[unit], "year": year, "signed_on": signed_on,
                                           "committee_signer": town.ids["刘明宇"], **more}).id


def supervision(town, unit="东风村", date="2025-03-10", findings="阵地台账不全", due="2025-04-10", **more):
    values = {"date": date, "unit": town.ids[unit], "by": [town.ids["余永福"]], "method": ["records"], "findings": findings, "due": due,
              **more}
    return town.clerk.create("supervision", {k: v for k, v in values.items() if v is not None}).id


def findings(town, rule, today, unit=None, lang="en", year=YEAR):
    return rule_findings(town.admin, year, rule, today, unit, lang)


# -- the plugin as installed ---------------------------------------------------------------------

def test_the_plugin_loads_from_its_entry_point_with_its_area_types_rules_and_settings(duty_registry):
    info = duty_registry.info("levels")
    assert info.status == "loaded" and info.source == "duty-tui" and info.module == "duty_tui_plugins.levels"
    assert duty_registry.area("levels").label.render("zh") == "分级负责" and duty_registry.area("levels").declared
    assert {"agreement", "supervision"} <= set(duty_registry.types)
    assert {r for r in duty_registry.rules if r.startswith("levels.")} == {
        "levels.agreement", "levels.supervision-count", "levels.rectification-overdue", "levels.briefing", "levels.secretary-reports"}
    defaults = {k: s.default for k, s in duty_registry.settings.items() if k.startswith("levels.")}
    assert defaults == {"levels.agreement.kinds": "village,community,department,office", "levels.supervision.min": 1,
                        "levels.briefing.days": 30, "levels.reminder.days": 7, "levels.duty-report.kinds": "village,community"}
    for key in defaults:  # each says where its default comes from
        assert duty_registry.settings[key].help is not None


def test_duty_types_shows_the_fields_and_the_workflow(cli):
    types = {t["name"]: t for t in cli("types", "--json").json()}
    assert types["agreement"]["plugin"] == "levels" and types["agreement"]["area"] == "levels"
    assert [f["name"] for f in types["agreement"]["fields"]] == [
        "unit", "year", "signed_on", "committee_signer", "unit_signer", "duties", "notes"]
    assert [f["name"] for f in types["supervision"]["fields"]] == [
        "date", "unit", "by", "group", "method", "findings", "problems", "measures", "due", "rectified_on", "verified_by", "verified_on",
        "briefed_on", "briefed_to", "notes"]
    workflow = types["supervision"]["workflow"]
    assert [s["name"] for s in workflow["states"]] == ["open", "rectified", "verified"]
    steps = {(t["name"], tuple(t["from"]), t["to"], t["role"]) for t in workflow["transitions"]}
    assert steps == {("rectify", ("open",), "rectified", "clerk"), ("verify", ("rectified",), "verified", "leader"),
                     ("reopen", ("rectified",), "open", "leader"), ("close", ("open",), "verified", "leader")}
    text = cli("--lang", "zh", "types", "supervision").stdout
    assert "briefed_on" in text and "通报日期" in text


# -- validation ----------------------------------------------------------------------------------

def test_one_agreement_per_unit_and_year_with_a_unit_below_the_committee_signed_in_its_year(town):
    first = agreement(town, "东风村")
    assert refusal(lambda: agreement(town, "东风村")) == ["the unit already has an agreement for 2025"]
    assert agreement(town, "东风村", year=2026, signed_on="2025-12-28")  # next year's, signed in December
    assert town.clerk.update(first, {"duties": "管好村广播"}).data["duties"] == "管好村广播"  # its own record is no duplicate
    assert refusal(lambda: agreement(town, "committee")) == [
        "the committee signs with the units below it: the unit cannot be the committee itself"]
    assert refusal(lambda: agreement(town, "文化站", signed_on="2026-01-05")) == ["signed on 2026-01-05, after the agreement's year 2025"]
    assert refusal(lambda: town.clerk.create("agreement", {"unit": town.ids["文化站"], "year": 20250, "signed_on": "2025-01-01"})) == [
        "must be a year such as 2026"]


def test_a_supervision_names_who_supervised_and_its_dates_follow_it(town):
    assert refusal(lambda: supervision(town, by=[])) == ["give who supervised, or the inspection group"]
    assert town.admin.get(supervision(town, by=[], group="镇党委督查组")).data["group"] == "镇党委督查组"
    assert refusal(lambda: supervision(town, due=None)) == ["problems were found: give the due date of their rectification"]
    assert refusal(lambda: supervision(town, findings=None, due=None, problems=2)) == ["2 problem(s) counted: say what they are"]
    assert refusal(lambda: supervision(town, due="2025-03-09", briefed_on="2025-03-01")) == [
        "the due date (2025-03-09) cannot be before the supervision (2025-03-10)",
        "briefed on (2025-03-01) cannot be before the supervision (2025-03-10)"]
    assert refusal(lambda: supervision(town, problems=-1)) == ["cannot be negative"]


# -- the supervision's workflow ------------------------------------------------------------------

def test_a_supervision_is_rectified_then_verified_by_a_leader(town):
    found = supervision(town)
    assert town.admin.get(found).state == "open"
    assert refusal(lambda: town.clerk.transition(found, "rectify")) == ["rectification needs the date it was completed"]
    late = town.clerk.transition(found, "rectify", values={"rectified_on": "2025-04-11"})
    assert late.state == "rectified" and [w.render("en") for w in late.warnings] == ["rectified on 2025-04-11, after its due date 2025-04-10"]
    with pytest.raises(NotPermitted):
        town.clerk.transition(found, "verify", values={"verified_by": town.ids["余永福"], "verified_on": "2025-04-12"})
    assert refusal(lambda: town.leader.transition(found, "verify", values={"verified_by": town.ids["余永福"], "verified_on": "2025-04-10"})) == [
        "verified on 2025-04-10, before the rectification on 2025-04-11"]
    assert town.leader.transition(found, "verify", values={"verified_by": town.ids["余永福"], "verified_on": "2025-04-12"}).state == "verified"


def test_a_supervision_that_found_nothing_is_closed_at_once_and_one_that_did_is_not(town):
    nothing = supervision(town, findings=None, due=None)
    assert town.leader.transition(nothing, "close", values={"verified_by": town.ids["余永福"], "verified_on": "2025-03-10"}).state == "verified"
    problems = supervision(town)
    assert refusal(lambda: town.leader.transition(problems, "close", values={"verified_by": town.ids["余永福"], "verified_on": "2025-03-10"})) == [
        "the supervision found problems: they are rectified before it is verified"]


# -- levels.agreement ----------------------------------------------------------------------------

def test_every_village_community_department_and_office_signs_an_agreement_a_warning_while_the_year_runs(town):
    expected = [(f"{u}: no responsibility agreement signed for 2025", [town.ids[u]]) for u in ("东风村", "城关社区", "文化站", "党政办公室")]
    assert findings(town, "levels.agreement", DURING) == [("warning", *e) for e in expected], "in the setting's order of kinds; 其他单位 is not listed"
    assert findings(town, "levels.agreement", AFTER) == [("error", *e) for e in expected]
    assert run_rules(town.admin, YEAR, today=AFTER, rule_ids=["levels.agreement"])[0].fix == Fix("agreement", {"unit": town.ids["东风村"], "year": YEAR})
    assert findings(town, "levels.agreement", AFTER, lang="zh")[0][1] == "东风村：未签订 2025 年度意识形态工作责任书"
    for unit in ("东风村", "城关社区", "文化站"):
        agreement(town, unit)
    agreement(town, "党政办公室", year=2024, signed_on="2024-02-01")  # last year's does not count for this one
    assert [f[1] for f in findings(town, "levels.agreement", AFTER)] == ["党政办公室: no responsibility agreement signed for 2025"]
    agreement(town, "党政办公室", signed_on="2025-07-01")
    assert findings(town, "levels.agreement", AFTER) == []
    assert [f[1] for f in findings(town, "levels.agreement", DURING)] == ["党政办公室: no responsibility agreement signed for 2025"], \
        "an agreement dated after today is not signed yet"


def test_the_kinds_that_sign_are_a_setting_and_a_unit_check_keeps_to_its_unit(town):
    assert refusal(lambda: town.admin.set_setting("levels.agreement.kinds", "village,town")) == [
        "“town” is not a unit kind; one of: committee, village, community, department, office, other"]
    town.admin.set_setting("levels.agreement.kinds", "村委会、community")
    assert [f[2] for f in findings(town, "levels.agreement", AFTER)] == [[town.ids["东风村"]], [town.ids["城关社区"]]]
    assert [f[2] for f in findings(town, "levels.agreement", AFTER, unit=town.ids["城关社区"])] == [[town.ids["城关社区"]]]


# -- levels.supervision-count --------------------------------------------------------------------

def test_every_unit_is_supervised_at_least_once_counting_those_held_by_today(town):
    town.admin.set_setting("levels.agreement.kinds", "village")
    assert findings(town, "levels.supervision-count", DURING) == [("warning", "东风村: supervised 0 of 1 times in 2025", [town.ids["东风村"]])]
    assert findings(town, "levels.supervision-count", AFTER) == [("error", "东风村: supervised 0 of 1 times in 2025", [town.ids["东风村"]])]
    later = supervision(town, date="2025-09-01", findings=None, due=None)
    assert findings(town, "levels.supervision-count", DURING)[0][0] == "warning", "one planned after today is not held yet"
    assert findings(town, "levels.supervision-count", AFTER) == []
    town.admin.set_setting("levels.supervision.min", 2)
    assert findings(town, "levels.supervision-count", AFTER) == [("error", "东风村: supervised 1 of 2 times in 2025", [town.ids["东风村"], later])]
    supervision(town, date="2024-11-01", findings=None, due=None)  # last year's does not count
    assert findings(town, "levels.supervision-count", AFTER)[0][1] == "东风村: supervised 1 of 2 times in 2025"


# -- levels.rectification-overdue ----------------------------------------------------------------

def test_problems_are_warned_about_in_the_week_before_their_due_date_and_an_error_after(town):
    found = supervision(town, due="2025-04-10")
    assert findings(town, "levels.rectification-overdue", dt.date(2025, 4, 2)) == []
    assert findings(town, "levels.rectification-overdue", dt.date(2025, 4, 3)) == [
        ("warning", "东风村 (supervised 2025-03-10): rectification due 2025-04-10, in 7 day(s)", [found])]
    assert findings(town, "levels.rectification-overdue", dt.date(2025, 4, 10))[0][0] == "warning"
    assert findings(town, "levels.rectification-overdue", dt.date(2025, 4, 11)) == [
        ("error", "东风村 (supervised 2025-03-10): due 2025-04-10, 1 day(s) overdue and still open", [found])]
    assert findings(town, "levels.rectification-overdue", AFTER)[0][0] == "error", "the ended year keeps it"
    assert findings(town, "levels.rectification-overdue", dt.date(2026, 3, 1), year=2026)[0][0] == "error", "and the next year too"
    assert findings(town, "levels.rectification-overdue", dt.date(2025, 4, 11), lang="zh")[0][1] == \
        "东风村（2025-03-10 督查）：整改时限 2025-04-10 已过 1 天，仍未整改"
    town.clerk.transition(found, "rectify", values={"rectified_on": "2025-04-20"})
    assert findings(town, "levels.rectification-overdue", AFTER) == []
    town.admin.set_setting("levels.reminder.days", 0)
    supervision(town, due="2025-04-10")
    assert findings(town, "levels.rectification-overdue", dt.date(2025, 4, 9)) == []


def test_a_rectification_due_next_year_or_of_a_unit_out_of_scope_is_not_this_checks(town):
    supervision(town, date="2025-12-20", due="2026-01-05")
    assert findings(town, "levels.rectification-overdue", AFTER) == [], "due in 2026: 2026's check"
    assert findings(town, "levels.rectification-overdue", AFTER, year=2026)[0][0] == "error"
    assert findings(town, "levels.rectification-overdue", AFTER, unit=town.ids["城关社区"], year=2026) == []
    assert len(findings(town, "levels.rectification-overdue", AFTER, unit=town.ids["东风村"], year=2026)) == 1


# -- levels.briefing -----------------------------------------------------------------------------

def test_the_results_are_briefed_within_the_set_days(town):
    held = supervision(town, date="2025-03-10", findings=None, due=None)
    assert findings(town, "levels.briefing", dt.date(2025, 4, 1)) == []
    assert findings(town, "levels.briefing", dt.date(2025, 4, 2)) == [
        ("warning", "东风村 (supervised 2025-03-10): the results are to be briefed by 2025-04-09, in 7 day(s)", [held])]
    assert findings(town, "levels.briefing", dt.date(2025, 4, 10)) == [
        ("error", "东风村 (supervised 2025-03-10): the results were due to be briefed by 2025-04-09 (within 30 days), 1 day(s) overdue", [held])]
    assert findings(town, "levels.briefing", AFTER)[0][0] == "error"
    town.admin.set_setting("levels.briefing.days", 60)
    assert findings(town, "levels.briefing", dt.date(2025, 4, 10)) == []
    town.clerk.update(held, {"briefed_on": "2025-05-20", "briefed_to": "全镇各村（社区）、各部门"})
    assert findings(town, "levels.briefing", AFTER) == []
    supervision(town, date="2025-09-01", findings=None, due=None)
    assert findings(town, "levels.briefing", DURING) == [], "one planned after today has nothing to brief yet"


# -- levels.secretary-reports --------------------------------------------------------------------

def duty_report(town, name, year=YEAR, includes_ideology=True):
    return town.clerk.create("duty_report", {"person": town.ids[name], "year": year, "includes_ideology": includes_ideology}).id


def test_every_village_and_community_secretary_reports_on_ideological_work(town):
    zhao, sun = town.ids["赵强"], town.ids["孙敏"]
    expected = [("东风村's Party secretary 赵强: no duty report for 2025", [zhao]), ("城关社区's Party secretary 孙敏: no duty report for 2025", [sun])]
    assert findings(town, "levels.secretary-reports", DURING) == [("warning", *e) for e in expected], "李红, 副书记, is not the secretary"
    assert findings(town, "levels.secretary-reports", AFTER) == [("error", *e) for e in expected]
    assert run_rules(town.admin, YEAR, today=AFTER, rule_ids=["levels.secretary-reports"])[0].fix == Fix(
        "duty_report", {"person": zhao, "year": YEAR, "includes_ideology": True})
    duty_report(town, "孙敏", year=2024)  # last year's does not count
    without = duty_report(town, "赵强", includes_ideology=False)
    assert findings(town, "levels.secretary-reports", DURING) == [
        ("error", "东风村's Party secretary 赵强: the duty report for 2025 leaves out ideological work", [without]),
        ("warning", "城关社区's Party secretary 孙敏: no duty report for 2025", [sun])]
    town.clerk.update(without, {"includes_ideology": True})
    duty_report(town, "孙敏")
    assert findings(town, "levels.secretary-reports", AFTER) == []
    assert findings(town, "levels.secretary-reports", AFTER, lang="zh") == []


def test_a_unit_with_no_secretary_recorded_is_a_warning_and_the_kinds_are_a_setting(town):
    town.admin.update(town.ids["孙敏"], {"post": "原党委书记"})
    assert findings(town, "levels.secretary-reports", AFTER, unit=town.ids["城关社区"]) == [
        ("warning", "城关社区: no Party secretary in the directory (a post ending in 书记), so their duty report cannot be checked",
         [town.ids["城关社区"]])]
    town.admin.set_setting("levels.duty-report.kinds", "village")
    assert findings(town, "levels.secretary-reports", AFTER, unit=town.ids["城关社区"]) == []
    assert [f[2] for f in findings(town, "levels.secretary-reports", AFTER)] == [[town.ids["赵强"]]]


@pytest.mark.duty_installed_plugins("sql", "tinydb", "levels")
def test_without_the_duty_report_ledger_the_rule_says_so_once(town):
    assert findings(town, "levels.secretary-reports", AFTER) == [
        ("warning", "no duty_report ledger is installed: the secretaries' duty reports cannot be checked", [])]


# -- the CLI ---------------------------------------------------------------------------------------

def test_duty_check_gives_exactly_the_levels_findings_the_data_calls_for(cli):
    cli.add("unit", "name=xx镇党委", "kind=committee")
    cli.add("unit", "name=东风村", "kind=village", "parent=unit-1")
    cli.add("unit", "name=文化站", "kind=department", "parent=unit-1")
    cli.add("person", "name=刘明宇", "unit=unit-1", "post=党委书记")
    cli.add("person", "name=赵强", "unit=unit-2", "post=党支部书记")
    assert cli("users", "add", "liumy", "--role", "leader", "--person", "person-1").exit_code == 0
    cli.add("agreement", "unit=unit-2", "year=2024", "signed_on=2024-02-20", "committee_signer=person-1", "unit_signer=person-2")
    cli.add("supervision", "date=2024-03-01", "unit=unit-2", "group=镇党委督查组", "method=records,on_site", "findings=台账不全",
            "problems=2", "due=2024-04-01", "briefed_on=2024-03-15")
    cli.add("supervision", "date=2024-05-01", "unit=unit-3", "by=person-1", "findings=宣传栏内容过期", "due=2024-06-01")
    rectified = cli("transition", "supervision-2", "rectified", "rectified_on=2024-05-20")
    assert rectified.exit_code == 0, rectified.stderr
    assert cli("transition", "supervision-2", "verify", "verified_by=person-1", "verified_on=2024-05-25", login="liumy").exit_code == 0
    cli.add("duty_report", "person=person-2", "year=2024", "includes_ideology=false")

    result = cli("check", "--year", "2024", "--json")
    assert result.exit_code == 1
    overdue = (dt.date.today() - dt.date(2024, 4, 1)).days
    assert [f for f in result.json() if f["area"] == "levels"] == [
        {"rule": "levels.agreement", "severity": "error", "area": "levels", "message": "文化站: no responsibility agreement signed for 2024",
         "records": ["unit-3"], "fix": {"type": "agreement", "values": {"unit": "unit-3", "year": 2024}}},
        {"rule": "levels.briefing", "severity": "error", "area": "levels",
         "message": "文化站 (supervised 2024-05-01): the results were due to be briefed by 2024-05-31 (within 30 days), "
                    f"{(dt.date.today() - dt.date(2024, 5, 31)).days} day(s) overdue", "records": ["supervision-2"]},
        {"rule": "levels.rectification-overdue", "severity": "error", "area": "levels",
         "message": f"东风村 (supervised 2024-03-01): due 2024-04-01, {overdue} day(s) overdue and still open", "records": ["supervision-1"]},
        {"rule": "levels.secretary-reports", "severity": "error", "area": "levels",
         "message": "东风村's Party secretary 赵强: the duty report for 2024 leaves out ideological work", "records": ["duty_report-1"]},
    ]
    village = cli("check", "--year", "2024", "--unit", "unit-2", "--json").json()
    assert sorted(f["rule"] for f in village if f["area"] == "levels") == ["levels.rectification-overdue", "levels.secretary-reports"]


def test_the_palette_commands_open_the_lists_a_clerk_goes_to(duty_registry):
    opened = []
    ui = type("Ui", (), {"today": dt.date(2025, 6, 30), "year": 2025, "open_list": lambda self, t, f="": opened.append((t, f))})()
    for command in ("levels.overdue-rectifications", "levels.unbriefed", "levels.agreements"):
        duty_registry.commands[command].run(ui)
    assert opened == [("supervision", "state:open due<2025-06-30"), ("supervision", "briefed_on:"), ("agreement", "year:2025")]
    from duty_tui.present.filtering import parse_filter

    assert [parse_filter(duty_registry.type(t), f).problems for t, f in opened] == [(), (), ()], "each filter reads"


# -- the report ------------------------------------------------------------------------------------

def test_the_report_gives_the_levels_figures_in_both_languages(town, duty_cli):
    for unit in ("东风村", "城关社区", "文化站"):
        agreement(town, unit)
    done = supervision(town, problems=2, briefed_on="2025-03-20")
    town.clerk.transition(done, "rectify", values={"rectified_on": "2025-04-01"})
    supervision(town, unit="城关社区", date="2025-05-10", due="2025-06-10")
    supervision(town, unit="文化站", date="2025-05-12", findings=None, due=None, briefed_on="2025-05-30")
    duty_report(town, "赵强")
    duty_report(town, "孙敏", includes_ideology=False)
    zh = duty_cli("report", "--year", "2025").stdout
    assert "与3个村（社区）和部门签订意识形态工作责任书，开展督查3次，发现问题3个、已整改2个，通报督查结果2次。" in zh
    assert "村（社区）党组织书记2人述职，其中述职报告包含意识形态工作1人。" in zh
    assert "分级负责" in zh
    assert "　分级负责落实情况\n" in zh   # an attachment of its own
    assert "| 东风村 | 村委会 | 2025-02-20 | 1 | 2 | 2 | 2025-03-20 |" in zh
    assert "| 党政办公室 | 办公室 | 未签订 | 0 | 0 | 0 | - |" in zh
    town.admin.set_setting("org.lang", "en")
    en = duty_cli("report", "--year", "2025").stdout
    assert ("Responsibility agreements on ideological work signed with 3 villages, communities and departments; 3 supervisions held, "
            "3 problems found and 2 rectified; the results of 2 supervisions briefed") in en.replace("\n", " ")


# -- the demo --------------------------------------------------------------------------------------

def test_the_demo_shows_errors_warnings_and_passes_in_levels(duty_store, duty_registry):
    from duty_tui.demo import create_demo

    year = dt.date.today().year - 1   # a past year's demo tells its story as of 30 June: the same every day
    day = dt.date(year, 6, 30)
    demo = create_demo(duty_store, duty_registry, "admin", year=year)
    assert [f for f in demo.failures if f[0] == "levels"] == []
    mine = [f for f in run_rules(demo.ledger, year, today=day) if f.area == "levels"]
    units = {u.id: u.data["name"] for u in demo.ledger.all("unit")}
    units.update({p.id: p.data["name"] for p in demo.ledger.all("person")})
    shown = {(f.rule, f.severity, units.get(f.records[0]) or units[demo.ledger.get(f.records[0]).data["unit"]]) for f in mine}
    assert shown == {
        ("levels.agreement", "warning", "综治中心"),                      # every other unit signed
        ("levels.supervision-count", "warning", "党政办公室"), ("levels.supervision-count", "warning", "文化站"),
        ("levels.supervision-count", "warning", "综治中心"),
        ("levels.rectification-overdue", "error", "青山村"), ("levels.rectification-overdue", "warning", "城关社区"),
        ("levels.briefing", "error", "青山村"), ("levels.briefing", "warning", "宣传办公室"),
        ("levels.secretary-reports", "warning", "钱进"), ("levels.secretary-reports", "warning", "青山村")}
    last_year = [f for f in run_rules(demo.ledger, year - 1, today=day) if f.area == "levels"]
    assert [(f.rule, f.severity) for f in last_year] == [("levels.secretary-reports", "warning")], \
        "last year every unit signed, was supervised and briefed, and every secretary reported: only 青山村 has no secretary"
    verified = [e for e in demo.ledger.history() if e.action in ("transition:verify", "transition:close") and e.record_id.startswith("supervision")]
    assert verified and {e.actor for e in verified} == {"liumy"}, "verified by the demo's leader"


# -- the TUI: the generic screens come for free ------------------------------------------------------

async def test_the_area_and_its_lists_show_in_the_tui(town, duty_app):
    from duty_tui.testing import open_record_list, screen_text, wait_until

    agreement(town, "东风村")
    supervision(town, unit="城关社区")
    async with duty_app(size=(120, 36), lang="zh", year=YEAR, today=DURING) as pilot:
        await wait_until(pilot, lambda: "分级负责" in screen_text(pilot.app), "the area on the dashboard")
        await open_record_list(pilot, "supervision")
        await wait_until(pilot, lambda: "城关社区" in screen_text(pilot.app) and "待整改" in screen_text(pilot.app), "the supervision list")
        await open_record_list(pilot, "agreement")
        await wait_until(pilot, lambda: "东风村" in screen_text(pilot.app) and "2025-02-20" in screen_text(pilot.app), "the agreement list")
