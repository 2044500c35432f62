"""The assessment plugin: reports, life meetings, duty reports and appraisals with their rules at
their boundaries; the scorecard's arithmetic on plain numbers; who a finding concerns, branch by
branch; and `duty score --json` giving exactly what data entered only through the CLI calls for,
beside an appraisal it never writes over."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from duty_tui.errors import ValidationError
from duty_tui.rules import ERROR, WARNING, Finding, run_rules

from duty_tui_plugins.assessment.chart import bar, cells, chart_lines, pad
from duty_tui_plugins.assessment.concern import Concerns
from duty_tui_plugins.assessment.scorecard import build_scorecard
from duty_tui_plugins.assessment.scoring import mean, rounded, rule_points, score_card, weighted_mean

from .helpers import rule_findings

# The scorecard spans every area, so every domain plugin is loaded; the rule tests run one rule.
pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "leadership", "positions", "team", "assessment", "accountability")

YEAR = 2025
DURING = dt.date(2025, 6, 30)
AFTER = dt.date(2026, 1, 15)


@pytest.fixture
def town(duty_admin, duty_ledger_as):
    """A committee with an office and a village; 刘明宇 first responsible, 余永福 direct
    responsible (the office in his divisions), 王建国 a member for the village; a clerk."""
    ledger = duty_admin
    ids = {"committee": ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id}
    for name, kind in (("宣传办公室", "office"), ("东风村", "village")):
        ids[name] = ledger.create("unit", {"name": name, "kind": kind, "parent": ids["committee"]}).id
    ids["东风村一组"] = ledger.create("unit", {"name": "东风村一组", "kind": "other", "parent": ids["东风村"]}).id
    for name in ("刘明宇", "余永福", "王建国", "张伟", "黄志军"):
        ids[name] = ledger.create("person", {"name": name, "unit": ids["committee"]}).id
    rows = {}
    for name, role, divisions in (("刘明宇", "first_responsible", ()), ("余永福", "direct_responsible", ("宣传办公室",)),
                                  ("王建国", "member", ("东风村",))):
        rows[name] = ledger.create("leader", {"person": ids[name], "role": role, "since": "2020-01-01",
                                              "divisions": [ids[u] for u in divisions]}).id
    clerk = duty_ledger_as("lina", "clerk")
    return type("Town", (), {"admin": ledger, "clerk": clerk, "ids": ids, "rows": rows})


def findings(town, rule, today, unit=None, lang="en"):
    return rule_findings(town.admin, YEAR, rule, today, unit, lang)


# -- the plugin as installed ---------------------------------------------------------------------

def test_the_plugin_loads_from_its_entry_point_with_its_types_rules_and_settings(duty_registry):
    info = duty_registry.info("assessment")
    assert info.status == "loaded" and info.source == "duty-tui" and info.module == "duty_tui_plugins.assessment"
    assert {"superior_report", "briefing", "congress_report", "life_meeting", "duty_report", "appointment_review",
            "appraisal"} <= set(duty_registry.types)
    assert {r for r in duty_registry.rules if r.startswith("assessment.")} == {
        "assessment.superior-reports", "assessment.congress-report", "assessment.life-meeting", "assessment.duty-reports",
        "assessment.appraisal"}
    defaults = {k: s.default for k, s in duty_registry.settings.items() if k.startswith("assessment.")}
    assert defaults == {"assessment.superior-reports.min": 2, "assessment.congress-report.min": 1, "assessment.life-meeting.min": 1,
                        "assessment.score.warning-points": 50, "assessment.weight.leadership": 1, "assessment.weight.positions": 1,
                        "assessment.weight.team": 1, "assessment.weight.assessment": 1, "assessment.weight.accountability": 1}
    assert "assessment.scorecard" in duty_registry.screens


def test_an_appraisal_keeps_the_grades_of_the_plan_and_a_score_out_of_100(town):
    grade = town.admin.type("appraisal").field("grade")
    assert [(c.value, c.label.zh) for c in grade.choices] == [
        ("excellent", "优秀"), ("competent", "称职"), ("basically_competent", "基本称职"), ("incompetent", "不称职")]
    with pytest.raises(ValidationError) as refused:
        town.clerk.create("appraisal", {"person": town.ids["刘明宇"], "year": 2025, "total": 101})
    assert [(e.field, e.reason.render("en")) for e in refused.value.errors] == [("total", "must be between 0 and 100")]


def test_one_duty_report_and_one_appraisal_per_person_and_year(town):
    first = town.clerk.create("duty_report", {"person": town.ids["刘明宇"], "year": 2025, "includes_ideology": True}).id
    with pytest.raises(ValidationError) as refused:
        town.clerk.create("duty_report", {"person": town.ids["刘明宇"], "year": 2025})
    assert [e.field for e in refused.value.errors] == ["year"]
    assert first in refused.value.errors[0].reason.render("en")
    town.clerk.create("duty_report", {"person": town.ids["刘明宇"], "year": 2024})
    assert town.clerk.update(first, {"includes_ideology": False}).version == 2, "the record itself may be edited"
    town.clerk.create("appraisal", {"person": town.ids["刘明宇"], "year": 2025})
    with pytest.raises(ValidationError):
        town.clerk.create("appraisal", {"person": town.ids["刘明宇"], "year": 2025})


# -- the rules at their boundaries ---------------------------------------------------------------

def test_reports_to_the_superior_committee_count_those_on_ideological_work_by_today(town):
    assert findings(town, "assessment.superior-reports", DURING) == [
        ("warning", "0 of 2 reports on ideological work to the superior committee", [])]
    first = town.clerk.create("superior_report", {"date": "2025-01-10", "title": "上半年汇报"}).id
    town.clerk.create("superior_report", {"date": "2025-03-10", "title": "经济工作汇报", "includes_ideology": False})
    town.clerk.create("superior_report", {"date": "2025-07-01", "title": "下半年汇报"})  # after today
    assert findings(town, "assessment.superior-reports", DURING) == [
        ("warning", "1 of 2 reports on ideological work to the superior committee", [first])]
    assert findings(town, "assessment.superior-reports", DURING, lang="zh")[0][1] == "向上级汇报意识形态工作 1/2 次"
    assert findings(town, "assessment.superior-reports", AFTER) == []
    town.admin.set_setting("assessment.superior-reports.min", 3)
    assert findings(town, "assessment.superior-reports", AFTER)[0][:2] == (
        "error", "2 of 3 reports on ideological work to the superior committee")
    assert findings(town, "assessment.superior-reports", AFTER, unit=town.ids["东风村"]) == [], "the committee's own obligation"


def test_the_congress_report_and_the_life_meeting_need_ideological_work_in_them(town):
    without = town.clerk.create("congress_report", {"date": "2025-03-01", "title": "向党员大会报告工作"}).id
    town.clerk.create("life_meeting", {"date": "2025-06-30", "title": "民主生活会", "includes_ideology": True})
    assert findings(town, "assessment.congress-report", AFTER) == [
        ("error", "0 of 1 reports to the members' congress with ideological work in them", [])]
    assert findings(town, "assessment.life-meeting", DURING) == [], "held today"
    assert findings(town, "assessment.life-meeting", dt.date(2025, 6, 29)) == [
        ("warning", "0 of 1 democratic life meetings with ideological work on them", [])]
    town.clerk.update(without, {"includes_ideology": True})
    assert findings(town, "assessment.congress-report", AFTER) == []


def test_every_leader_of_the_year_reports_on_their_duty_with_ideological_work_in_it(town):
    left = town.admin.create("leader", {"person": town.ids["黄志军"], "role": "member", "since": "2018-01-01", "until": "2024-12-31"}).id
    town.admin.create("leader", {"person": town.ids["张伟"], "role": "member", "since": "2026-01-01"})
    town.clerk.create("duty_report", {"person": town.ids["刘明宇"], "year": 2025, "includes_ideology": True})
    silent = town.clerk.create("duty_report", {"person": town.ids["余永福"], "year": 2025, "includes_ideology": False}).id
    town.clerk.create("duty_report", {"person": town.ids["王建国"], "year": 2024, "includes_ideology": True})
    assert findings(town, "assessment.duty-reports", DURING) == [
        ("error", "余永福: the duty report for 2025 leaves out ideological work", [silent]),
        ("warning", "王建国: no duty report for 2025", [town.rows["王建国"]])]
    assert findings(town, "assessment.duty-reports", AFTER)[1][0] == "error"
    assert findings(town, "assessment.duty-reports", DURING, lang="zh")[0][1] == "余永福：2025年度述职报告未包含意识形态工作"
    assert left, "黄志军 left before 2025 and 张伟 joined after it: neither owes a report"


def test_every_leader_of_the_year_has_an_appraisal(town):
    town.clerk.create("appraisal", {"person": town.ids["刘明宇"], "year": 2025, "total": 92, "grade": "excellent"})
    town.clerk.create("appraisal", {"person": town.ids["余永福"], "year": 2025})
    town.clerk.create("appraisal", {"person": town.ids["王建国"], "year": 2024, "total": 88})
    assert findings(town, "assessment.appraisal", DURING) == [("warning", "王建国: no appraisal for 2025", [town.rows["王建国"]])]
    assert findings(town, "assessment.appraisal", AFTER) == [("error", "王建国: no appraisal for 2025", [town.rows["王建国"]])]


# -- the scorecard's arithmetic ---------------------------------------------------------------------

def test_a_rule_scores_100_clean_the_warning_points_with_warnings_only_and_0_with_an_error():
    assert rule_points([], 50) == 100
    assert rule_points([WARNING, WARNING], 50) == 50
    assert rule_points([WARNING], "62.5") == Fraction(125, 2)
    assert rule_points([WARNING, ERROR], 50) == 0


def test_an_area_is_the_mean_of_its_rules_and_the_total_their_weighted_mean():
    assert mean([Fraction(100), Fraction(50), Fraction(0)]) == 50
    assert mean([Fraction(100), Fraction(100), Fraction(50)]) == Fraction(250, 3)
    assert mean([]) is None
    assert weighted_mean([(Fraction(50), Fraction(1)), (Fraction(100), Fraction(3))]) == Fraction(350, 4)
    assert weighted_mean([(Fraction(50), Fraction(0)), (None, Fraction(2)), (Fraction(80), Fraction(1))]) == 80, \
        "a weight of 0 and an area without a score are left out"
    assert weighted_mean([(Fraction(50), Fraction(0))]) is None, "no weight at all, no total"


def test_scores_are_exact_and_shown_rounded_half_up_to_one_decimal():
    assert rounded(Fraction(250, 3)) == 83.3
    assert rounded(Fraction(12525, 200)) == 62.6   # 62.625
    assert rounded(Fraction(249, 4)) == 62.3       # 62.25, which a float would round to 62.2
    assert rounded(None) is None
    card = score_card([("a.one", "a"), ("a.two", "a"), ("b.one", "b")], {}, {"a": "0.1", "b": "0.2"}, 50)
    assert card.total == 100 and card.area("a").weight == Fraction(1, 10), "weights are the decimals typed"


def test_a_card_scores_every_area_with_rules_in_the_plans_order_then_the_rest():
    rules = [("zeta.one", "zeta"), ("team.a", "team"), ("team.b", "team"), ("leadership.a", "leadership")]
    card = score_card(rules, {"team.a": [ERROR], "team.b": [WARNING, WARNING], "zeta.one": [WARNING]},
                      {"team": 2}, 50, ("leadership", "positions", "team"))
    assert [(a.area, a.weight, a.score) for a in card.areas] == [("leadership", 1, 100), ("team", 2, 25), ("zeta", 1, 50)]
    assert [(r.rule, r.points, r.severity, r.findings) for r in card.area("team").rules] == [
        ("team.a", 0, ERROR, 1), ("team.b", 50, WARNING, 2)]
    assert card.total == Fraction(100 + 2 * 25 + 50, 4)


def test_the_bar_chart_draws_eighths_of_a_cell_and_pads_chinese_labels_by_width():
    assert bar(0, 10) == "░" * 10 and bar(None, 4) == "░░░░"
    assert bar(100, 10) == "█" * 10 and bar(120, 10) == "█" * 10
    assert bar(50, 10) == "█" * 5 + "░" * 5
    assert bar(Fraction(125, 2), 4) == "██▌░"   # 2.5 cells
    assert cells("组织领导") == 8 and pad("团队", 6) == "团队  "
    assert chart_lines([("组织领导", Fraction(250, 3), "权重 1"), ("team", None, "")], width=6) == [
        "组织领导  █████░  83.3  权重 1",
        "team      ░░░░░░     —"]


# -- who a finding concerns ---------------------------------------------------------------------------

def test_a_finding_concerns_the_persons_its_records_lead_to_through_the_chain(town):
    ids, admin = town.ids, town.admin
    event = admin.create("event", {"title": "研讨会", "kind": "seminar", "date": "2025-05-01", "organizer_unit": ids["东风村"],
                                   "organizer": ids["张伟"]}).id
    outlet = admin.create("outlet", {"name": "公众号", "kind": "new_media", "unit": ids["宣传办公室"]}).id
    review = admin.create("outlet_review", {"outlet": outlet, "date": "2025-03-01"}).id
    inspection = admin.create("self_inspection", {"date": "2025-03-01", "topic": "自查", "unit": ids["东风村一组"]}).id
    session = admin.create("study_session", {"date": "2025-03-01", "topic": "学习", "presenter": ids["刘明宇"]}).id
    case = admin.create("case", {"title": "案件", "circumstance": "10", "occurred_on": "2025-04-01"}).id
    admin.create("case_party", {"case": case, "person": ids["张伟"], "kind": "direct"})
    admin.create("case_party", {"case": case, "person": ids["黄志军"], "kind": "important", "dissent_recorded": True,
                                "dissent_notes": "会议记录"})
    concerns = Concerns(admin, YEAR)
    assert concerns.of_record(ids["张伟"]) == {ids["张伟"]}, "a person"
    assert concerns.of_record(town.rows["王建国"]) == {ids["王建国"]}, "a leader row"
    assert concerns.of_record(event) == {ids["张伟"], ids["王建国"]}, "an event: its organiser and its unit's member"
    assert concerns.of_record(outlet) == {ids["余永福"]}, "an outlet with no responsible person: its unit's holder"
    assert concerns.of_record(review) == {ids["余永福"]}, "a review answers as its outlet"
    assert concerns.of_record(inspection) == {ids["王建国"]}, "a unit nobody holds: the unit above it"
    assert concerns.of_record(ids["committee"]) == set(), "the committee itself is in nobody's divisions"
    assert concerns.of_record(session) == set(), "a study session is the committee's"
    assert concerns.of_record(case) == {ids["张伟"]}, "a case: its responsible persons, the exempt left out"
    committee_finding = Finding("leadership.study-count", ERROR, "leadership", "0 of 6", (session,))
    assert concerns.of_finding(committee_finding) == {ids["刘明宇"], ids["余永福"]}, "the committee: first and direct responsible"
    assert concerns.of_finding(Finding("leadership.agenda", ERROR, "leadership", "0 of 2")) == {ids["刘明宇"], ids["余永福"]}


def test_the_scorecard_scores_each_leader_on_the_findings_that_concern_them_and_shows_the_appraisal_as_entered(town):
    appraisal = town.clerk.create("appraisal", {"person": town.ids["王建国"], "year": YEAR, "total": 88, "grade": "competent"})
    card = build_scorecard(town.admin, YEAR, AFTER)
    assert [a.area for a in card.committee.areas] == ["leadership", "positions", "team", "assessment", "accountability"]
    leaders = {l.name: l for l in card.leaders}
    assert list(leaders) == ["刘明宇", "余永福", "王建国"]
    assert leaders["王建国"].appraisal.id == appraisal.id and leaders["王建国"].appraisal.total == 88
    assert leaders["刘明宇"].appraisal is None
    concerning_wang = {f.rule for f in leaders["王建国"].findings}
    assert concerning_wang == {"assessment.duty-reports"}, "his missing report; the committee's counts are not his"
    assert leaders["王建国"].card.area("assessment").score == 80
    assert {"leadership.study-count", "team.self-inspection", "assessment.superior-reports"} <= {f.rule for f in leaders["刘明宇"].findings}
    assert town.admin.get(appraisal.id).version == 1


# -- duty score and duty check through the CLI ------------------------------------------------------------

@pytest.fixture
def office(cli):
    """Data entered only through the CLI: a committee and a village, three leaders, a year (2024)
    that is over, with some of its ledgers kept and some not."""
    cli.add("unit", "name=xx镇党委", "kind=committee")
    cli.add("unit", "name=东风村", "kind=village", "parent=unit-1")
    for name in ("刘明宇", "余永福", "王建国"):
        cli.add("person", f"name={name}", "unit=unit-1")
    cli.add("leader", "person=person-1", "role=first_responsible", "since=2020-01-01")
    cli.add("leader", "person=person-2", "role=direct_responsible", "since=2020-01-01")
    cli.add("leader", "person=person-3", "role=member", "divisions=unit-2", "since=2020-01-01")
    cli.add("life_meeting", "date=2024-06-01", "title=民主生活会", "includes_ideology=是")
    cli.add("duty_report", "person=person-1", "year=2024", "includes_ideology=true")
    cli.add("duty_report", "person=person-2", "year=2024", "includes_ideology=false")
    cli.add("appraisal", "person=person-1", "year=2024", "total=90", "grade=优秀")
    cli.add("case", "title=宣传栏违规内容", "circumstance=10", "occurred_on=2024-10-01", "unit=unit-2")
    return cli


def rules(*items):
    return [{"rule": rule, "points": points, "severity": severity, "findings": n} for rule, points, severity, n in items]


def test_duty_score_json_gives_exactly_what_the_data_calls_for(office):
    before = office("audit", "--json").json()
    result = office("score", "--year", "2024", "--json")
    assert result.exit_code == 0, result.stderr
    score = result.json()
    assert score["year"] == 2024 and score["warning_points"] == 50.0 and score["total"] == 65.0
    assert score["areas"] == [
        {"area": "leadership", "label": "Leadership", "weight": 1.0, "score": 50.0, "rules": rules(
            ("leadership.first-responsible", 100.0, None, 0), ("leadership.direct-responsible", 100.0, None, 0),
            ("leadership.divisions", 100.0, None, 0), ("leadership.study-count", 0.0, "error", 1),
            ("leadership.study-ideology", 0.0, "error", 1), ("leadership.agenda", 0.0, "error", 1))},
        {"area": "positions", "label": "Positions", "weight": 1.0, "score": 100.0, "rules": rules(
            ("positions.event-approved", 100.0, None, 0), ("positions.event-filed", 100.0, None, 0),
            ("positions.outlet-responsible", 100.0, None, 0), ("positions.outlet-review", 100.0, None, 0))},
        {"area": "team", "label": "Team", "weight": 1.0, "score": 75.0, "rules": rules(
            ("team.self-inspection", 0.0, "error", 1), ("team.rectification-overdue", 100.0, None, 0),
            ("team.contact-liaison", 100.0, None, 0), ("team.contact-activity", 100.0, None, 0))},
        {"area": "assessment", "label": "Assessment", "weight": 1.0, "score": 20.0, "rules": rules(
            ("assessment.superior-reports", 0.0, "error", 1), ("assessment.congress-report", 0.0, "error", 1),
            ("assessment.life-meeting", 100.0, None, 0), ("assessment.duty-reports", 0.0, "error", 2),
            ("assessment.appraisal", 0.0, "error", 2))},
        {"area": "accountability", "label": "Accountability", "weight": 1.0, "score": 80.0, "rules": rules(
            ("accountability.case-responsible", 100.0, None, 0), ("accountability.case-stale", 0.0, "error", 1),
            ("accountability.measure-appraisal", 100.0, None, 0), ("accountability.measure-promotion", 100.0, None, 0),
            ("accountability.personal-file", 100.0, None, 0))},
    ]
    leaders = {l["name"]: l for l in score["leaders"]}
    assert [(l["name"], l["person"], l["roles"], l["total"]) for l in score["leaders"]] == [
        ("刘明宇", "person-1", ["first_responsible"], 77.0), ("余永福", "person-2", ["direct_responsible"], 69.0),
        ("王建国", "person-3", ["member"], 88.0)]
    assert leaders["刘明宇"]["areas"] == {"leadership": 50.0, "positions": 100.0, "team": 75.0, "assessment": 60.0, "accountability": 100.0}
    assert leaders["余永福"]["areas"] == {"leadership": 50.0, "positions": 100.0, "team": 75.0, "assessment": 20.0, "accountability": 100.0}
    assert leaders["王建国"]["areas"] == {"leadership": 100.0, "positions": 100.0, "team": 100.0, "assessment": 60.0, "accountability": 80.0}
    assert [(f["rule"], f["records"]) for f in leaders["王建国"]["findings"]] == [
        ("accountability.case-stale", ["case-1"]), ("assessment.appraisal", ["leader-3"]), ("assessment.duty-reports", ["leader-3"])]
    assert leaders["刘明宇"]["appraisal"] == {"id": "appraisal-1", "total": 90, "grade": "excellent", "ideology_score": None}
    assert leaders["余永福"]["appraisal"] is None
    assert office("show", "appraisal-1", "--json").json()["total"] == 90
    assert office("audit", "--json").json() == before, "the scorecard writes nothing"


def test_duty_score_weighs_the_areas_by_the_settings(office):
    assert office("config", "set", "assessment.weight.positions", "2").exit_code == 0
    assert office("config", "set", "assessment.weight.accountability", "0").exit_code == 0
    score = office("score", "--year", "2024", "--json").json()
    assert score["total"] == 69.0   # (50 + 2·100 + 75 + 20) / (1 + 2 + 1 + 1)
    assert [a["weight"] for a in score["areas"]] == [1.0, 2.0, 1.0, 1.0, 0.0]
    assert office("config", "set", "assessment.score.warning-points", "101").exit_code == 2


def test_duty_score_prints_a_bar_chart_of_the_areas_and_the_leaders_beside_their_appraisals(office):
    text = office("score", "--year", "2024").stdout
    assert "2024 scorecard · weighted total 65.0" in text
    assert "Leadership      ███████████████░░░░░░░░░░░░░░░  50.0  weight 1" in text
    assert "Positions       ██████████████████████████████ 100.0  weight 1" in text
    assert "weighted total  ███████████████████▌░░░░░░░░░░  65.0" in text
    assert "刘明宇  first responsible    77.0  appraisal 90 excellent (appraisal-1)" in text
    assert "余永福  direct responsible   69.0  no appraisal entered" in text
    zh = office("--lang", "zh", "score", "--year", "2024").stdout
    assert "组织领导    ███████████████░░░░░░░░░░░░░░░  50.0  权重 1" in zh and "年度考核 90 分 优秀（appraisal-1）" in zh


def test_duty_check_gives_exactly_the_assessment_findings_the_data_calls_for(office):
    result = office("check", "--year", "2024", "--json", "--rule", "assessment.superior-reports", "--rule", "assessment.congress-report",
                    "--rule", "assessment.life-meeting", "--rule", "assessment.duty-reports", "--rule", "assessment.appraisal")
    assert result.exit_code == 1
    assert result.json() == [
        {"rule": "assessment.appraisal", "severity": "error", "area": "assessment", "message": "余永福: no appraisal for 2024", "records": ["leader-2"],
         "fix": {"type": "appraisal", "values": {"person": "person-2", "year": 2024}}},  # a new one for them and the year
        {"rule": "assessment.appraisal", "severity": "error", "area": "assessment", "message": "王建国: no appraisal for 2024", "records": ["leader-3"],
         "fix": {"type": "appraisal", "values": {"person": "person-3", "year": 2024}}},
        {"rule": "assessment.congress-report", "severity": "error", "area": "assessment",
         "message": "0 of 1 reports to the members' congress with ideological work in them", "records": [],
         "fix": {"type": "congress_report", "values": {"includes_ideology": True}}},
        {"rule": "assessment.duty-reports", "severity": "error", "area": "assessment",
         "message": "余永福: the duty report for 2024 leaves out ideological work", "records": ["duty_report-2"]},
        {"rule": "assessment.duty-reports", "severity": "error", "area": "assessment", "message": "王建国: no duty report for 2024", "records": ["leader-3"],
         "fix": {"type": "duty_report", "values": {"person": "person-3", "year": 2024}}},
        {"rule": "assessment.superior-reports", "severity": "error", "area": "assessment",
         "message": "0 of 2 reports on ideological work to the superior committee", "records": [],
         "fix": {"type": "superior_report", "values": {"includes_ideology": True}}},
    ]


# -- the demo --------------------------------------------------------------------------------------

def test_the_demo_shows_each_severity_and_a_clean_rule_in_assessment_and_scores_all_five_areas(duty_store, duty_registry):
    from duty_tui.demo import create_demo

    today = dt.date.today()
    demo = create_demo(duty_store, duty_registry, "admin", year=today.year)
    assert demo.failures == []
    mine = [f for f in run_rules(demo.ledger, today.year, today=today) if f.area == "assessment"]
    assert {f.severity for f in mine} == {"error", "warning"}
    assert {r for r in duty_registry.rules if r.startswith("assessment.")} - {f.rule for f in mine} == {
        "assessment.congress-report", "assessment.life-meeting"}
    card = build_scorecard(demo.ledger, today.year, today)
    assert [a.area for a in card.committee.areas] == ["leadership", "positions", "team", "assessment", "accountability"]
    assert all(a.score is not None and 0 <= a.score <= 100 for a in card.committee.areas)
    secretary = next(l for l in card.leaders if l.name == "刘明宇")
    assert secretary.appraisal is not None and secretary.appraisal.total == 92
