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
from duty_tui.i18n import L

from duty_tui_plugins.assessment.itemised import Instance, ItemSpec, deduct, score_manual
from duty_tui_plugins.assessment.scorecard import build_scorecard, scorecard_json
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
    town.clerk.create("appraisal", {"person": town.ids["刘明宇"], "year": 2025, "total": 92, "grade": "excellent",
                                    "ideology_assessed": True, "ideology_score": 18})
    town.clerk.create("appraisal", {"person": town.ids["余永福"], "year": 2025, "ideology_assessed": True, "ideology_score": 0})
    town.clerk.create("appraisal", {"person": town.ids["王建国"], "year": 2024, "total": 88})
    assert findings(town, "assessment.appraisal", DURING) == [("warning", "王建国: no appraisal for 2025", [town.rows["王建国"]])]
    assert findings(town, "assessment.appraisal", AFTER) == [("error", "王建国: no appraisal for 2025", [town.rows["王建国"]])]


def test_an_appraisal_that_did_not_assess_ideological_work_is_an_error_at_once(town):
    """The plan (三.4): ideological work is an important part of the annual appraisal; the flag
    and a score both say it was assessed."""
    neither = town.clerk.create("appraisal", {"person": town.ids["刘明宇"], "year": 2025, "total": 92, "grade": "excellent"}).id
    flag_only = town.clerk.create("appraisal", {"person": town.ids["余永福"], "year": 2025, "ideology_assessed": True}).id
    score_only = town.clerk.create("appraisal", {"person": town.ids["王建国"], "year": 2025, "ideology_score": 15}).id
    assert findings(town, "assessment.appraisal", DURING) == [
        ("error", "刘明宇: the appraisal for 2025 was neither marked as assessing ideological work nor scored on it", [neither]),
        ("error", "余永福: the appraisal for 2025 has no ideological-work score", [flag_only]),
        ("error", "王建国: the appraisal for 2025 was not marked as assessing ideological work", [score_only])]
    assert findings(town, "assessment.appraisal", DURING, lang="zh")[0][1] == "刘明宇：2025年度考核未标记考核意识形态工作，也没有意识形态工作得分"
    town.clerk.update(neither, {"ideology_assessed": True, "ideology_score": 18})
    assert [f[2] for f in findings(town, "assessment.appraisal", DURING)] == [[flag_only], [score_only]]


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
    speaker = admin.create("speaker", {"name": "王某", "vetted_on": "2025-04-01", "vetted_by": ids["黄志军"], "conclusion": "unsuitable"}).id
    vetted = Finding("positions.speaker-vetted", ERROR, "positions", "王某 不宜邀请", (event, speaker))
    assert concerns.of_finding(vetted) == {ids["张伟"], ids["王建国"]}, "who invited the speaker answers, not who vetted them"


EVERYONE = ["committee", "village", "community", "department", "office", "leader"]


def item(ledger, title, area, points, method, applies, **more):
    values = {"title": title, "area": area, "points": points, "method": method, "applies_to": applies, **more}
    return ledger.create("assessment_item", values).id


@pytest.fixture
def table(town):
    """A small table: events approved (10, 4 a finding, 扣完为止), one's own duty report (10), a
    self-inspection a year (5), the panel's score (10), and two vetoes on a case of circumstance
    8 (bars 优秀) and 3 (zeroes the village's team area)."""
    a = town.admin
    return {
        "approved": item(a, "活动事先审批", "positions", 10, "rule", ["committee", "village", "office", "leader"],
                         rule="positions.event-approved", deduction=4, order=1),
        "report": item(a, "本人述职含意识形态工作", "assessment", 10, "rule", ["leader"], rule="assessment.duty-reports", deduction=10, order=2),
        "inspect": item(a, "每年自查不少于 1 次", "team", 5, "count_min", ["committee", "village", "office"], count_type="self_inspection",
                        count_min=1, deduction=5, order=3),
        "panel": item(a, "考核组综合评价", "assessment", 10, "manual", ["committee", "village"], order=4),
        "bar": item(a, "一票否决：网络意识形态安全问题被问责", "accountability", 0, "count_each", EVERYONE, count_type="case",
                    count_match="circumstance=8", veto="bar_excellent", order=5),
        "zero": item(a, "一票否决：群众性事件", "accountability", 0, "count_each", ["village"], count_type="case",
                     count_match="circumstance=3", veto="zero_area", veto_area="team", order=6),
    }


def explained(subject) -> None:
    """Every point lost is a deduction, and every deduction names where it comes from."""
    for it in subject.items:
        assert sum((d.points for d in it.deductions), Fraction(0)) == it.lost, (subject.name, it.item.title)
        for d in it.deductions:
            assert d.records or d.rule or d.source == "missing", (subject.name, it.item.title, d)


def test_the_itemised_assessment_scores_the_town_each_unit_and_each_leader_and_explains_every_lost_point(town, table):
    ids, admin, clerk = town.ids, town.admin, town.clerk
    events = [clerk.create("event", {"title": f"讲座{n}", "kind": "lecture", "date": f"2025-0{n}-01", "organizer_unit": ids["东风村"],
                                     "organizer": ids["张伟"]}).id for n in (3, 4, 5)]
    clerk.create("duty_report", {"person": ids["刘明宇"], "year": YEAR, "includes_ideology": True})
    silent = clerk.create("duty_report", {"person": ids["余永福"], "year": YEAR, "includes_ideology": False}).id
    inspection = clerk.create("self_inspection", {"date": "2025-03-01", "topic": "自查", "unit": ids["东风村一组"]}).id
    mark = clerk.create("assessment_mark", {"item": table["panel"], "year": YEAR, "unit": ids["committee"], "self_score": 9,
                                            "superior_score": 7, "notes": "台账不全"}).id
    clerk.create("assessment_mark", {"item": table["panel"], "year": YEAR, "unit": ids["东风村"], "self_score": 10})
    card = build_scorecard(admin, YEAR, AFTER)
    assert [(s.kind, s.name) for s in card.subjects] == [("committee", "xx镇党委"), ("village", "东风村"), ("office", "宣传办公室"),
                                                          ("leader", "刘明宇"), ("leader", "余永福"), ("leader", "王建国")]
    by = {s.name: s for s in card.subjects}
    for subject in card.subjects:
        explained(subject)

    town_ = by["xx镇党委"]
    assert [(i.item.title, i.score) for i in town_.items] == [("活动事先审批", 0), ("每年自查不少于 1 次", 5), ("考核组综合评价", 7),
                                                              ("一票否决：网络意识形态安全问题被问责", 0)]
    approved = town_.items[0]
    assert [(d.points, d.records) for d in approved.deductions] == [(4, (events[0],)), (4, (events[1],)), (2, (events[2],))], \
        "4 a finding until the 10 points are gone (扣完为止), the last for what was left"
    assert {d.rule for d in approved.deductions} == {"positions.event-approved"}
    assert town_.items[1].note.render("en") == "1 of 1" and town_.items[1].deductions == ()
    panel = town_.items[2]
    assert (panel.self_score, panel.score, panel.mark) == (9, 7, mark), "the self score beside the panel's"
    assert [(d.points, d.reason.render("zh"), d.records, d.source) for d in panel.deductions] == [(3, "台账不全", (mark,), "mark")]
    assert (town_.score, town_.full, town_.self_total) == (12, 25, 9) and not town_.bars_excellent

    office = by["宣传办公室"]
    assert [(i.item.title, i.score) for i in office.items] == [("活动事先审批", 10), ("每年自查不少于 1 次", 0),
                                                               ("一票否决：网络意识形态安全问题被问责", 0)]
    missing = office.items[1].deductions
    assert [(d.points, d.source, d.reason.render("en")) for d in missing] == [(5, "missing", "Self-inspection: 0 of 1, one missing")]
    village = by["东风村"]
    assert [i.score for i in village.items] == [0, 5, None, 0, 0], "its events cost it; the inspection of the group below it counts"
    assert village.items[1].deductions == () and village.items[1].note.render("en") == "1 of 1" and inspection
    assert [i.item.title for i in village.pending] == ["考核组综合评价"] and village.items[2].self_score == 10
    assert (village.score, village.full) == (5, 15), "the item awaiting the panel counts in neither"

    assert (by["刘明宇"].score, by["刘明宇"].full) == (20, 20), "the village's events are not the secretary's"
    assert [(i.item.title, i.score) for i in by["余永福"].items][:2] == [("活动事先审批", 10), ("本人述职含意识形态工作", 0)]
    assert by["余永福"].items[1].deductions[0].records == (silent,)
    wang = by["王建国"]
    assert [i.score for i in wang.items] == [0, 0, 0], "the village in his divisions: its events; no duty report"
    assert wang.items[1].deductions[0].records == (town.rows["王建国"],)


def test_a_veto_bars_the_top_grade_or_zeroes_an_area_naming_the_case(town, table):
    ids, clerk = town.ids, town.clerk
    clerk.create("self_inspection", {"date": "2025-03-01", "topic": "自查", "unit": ids["东风村"]})
    rumour = clerk.create("case", {"title": "网络谣言处置不力", "circumstance": "8", "occurred_on": "2025-04-01", "unit": ids["东风村"]}).id
    clerk.create("case_party", {"case": rumour, "person": ids["王建国"], "kind": "main"})
    clerk.create("case_party", {"case": rumour, "person": ids["余永福"], "kind": "important", "dissent_recorded": True,
                                "dissent_notes": "党委会记录"})
    crowd = clerk.create("case", {"title": "群众性事件", "circumstance": "3", "occurred_on": "2025-05-01", "unit": ids["东风村"]}).id
    appraisal = clerk.create("appraisal", {"person": ids["王建国"], "year": YEAR, "grade": "excellent", "ideology_assessed": True,
                                           "ideology_score": 18}).id
    card = build_scorecard(town.admin, YEAR, AFTER)
    by = {s.name: s for s in card.subjects}
    assert [i.item.title for i in by["王建国"].bars_excellent] == ["一票否决：网络意识形态安全问题被问责"]
    assert [t.records for t in by["王建国"].bars_excellent[0].triggers] == [(rumour,)]
    assert not by["余永福"].bars_excellent, "a dissent recorded exempts"
    assert not by["刘明宇"].bars_excellent
    assert by["东风村"].bars_excellent and by["xx镇党委"].bars_excellent and not by["宣传办公室"].bars_excellent
    village = by["东风村"]
    inspect = next(i for i in village.items if i.item.title == "每年自查不少于 1 次")
    assert inspect.score == 0 and [(d.points, d.source, d.veto, d.records) for d in inspect.deductions] == [
        (5, "veto", table["zero"], (crowd,))], "the area zeroed, the veto and its case the source"
    explained(village)
    score = scorecard_json(card, "zh", town.ids["王建国"])
    wang = score["subjects"][0]
    assert wang["bars_excellent"] is True and wang["appraisal"]["id"] == appraisal and wang["appraisal_conflict"] is True
    veto = next(i for i in wang["items"] if i["vetoed"])
    assert veto["veto"] == "bar_excellent" and veto["veto_sources"][0]["records"] == [rumour]


def test_only_an_admin_edits_the_table_and_a_mark_stays_within_its_item(town, table):
    with pytest.raises(ValidationError) as refused:
        item(town.clerk, "文书改细则", "team", 5, "manual", ["committee"])
    assert refused.value.errors[0].reason.render("en") == "only an admin may change the assessment items"
    with pytest.raises(ValidationError):
        town.clerk.update(table["panel"], {"points": 100})
    with pytest.raises(ValidationError) as refused:
        item(town.admin, "缺规则", "team", 5, "rule", ["committee"], deduction=1, cap=6)
    assert {e.field for e in refused.value.errors} == {"rule", "cap"}
    with pytest.raises(ValidationError) as refused:
        item(town.admin, "错条件", "team", 5, "count_each", ["committee"], count_type="case", count_match="colour=red", deduction=1)
    assert [e.field for e in refused.value.errors] == ["count_match"]
    with pytest.raises(ValidationError) as refused:
        town.clerk.create("assessment_mark", {"item": table["panel"], "year": YEAR, "unit": town.ids["东风村"], "superior_score": 11})
    assert [e.field for e in refused.value.errors] == ["superior_score"]
    with pytest.raises(ValidationError):
        town.clerk.create("assessment_mark", {"item": table["panel"], "year": YEAR, "unit": town.ids["东风村"], "person": town.ids["刘明宇"]})
    town.clerk.create("assessment_mark", {"item": table["panel"], "year": YEAR, "unit": town.ids["东风村"], "self_score": 8})
    with pytest.raises(ValidationError):
        town.clerk.create("assessment_mark", {"item": table["panel"], "year": YEAR, "unit": town.ids["东风村"], "self_score": 9})
    assert [(e.action, e.actor) for e in town.admin.history(table["panel"])] == [("create", town.admin.user.name)], "audited"


def test_the_itemised_arithmetic_is_exact_caps_and_lists_past_the_cap_at_0():
    spec = ItemSpec("i-1", "team", "t", Fraction(5), "rule", deduction=Fraction("1.5"), cap=Fraction(4))
    score, cut = deduct(spec, [Instance(L(str(n), str(n)), (f"r-{n}",)) for n in range(4)])
    assert score == 1 and [d.points for d in cut] == [Fraction("1.5"), Fraction("1.5"), 1, 0]
    manual = score_manual(ItemSpec("i-2", "team", "m", Fraction(10), "manual"), "mark-1", 9, "7.5", False, L("说明", "notes"))
    assert (manual.score, manual.lost, [d.points for d in manual.deductions]) == (Fraction("7.5"), Fraction("2.5"), [Fraction("2.5")])
    pending = score_manual(ItemSpec("i-2", "team", "m", Fraction(10), "manual"), None, None, None, False, L("", ""))
    assert pending.state == "pending" and pending.score is None and pending.lost == 0


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


def test_duty_score_json_carries_items_points_deductions_and_their_sources(office):
    assert office("score", "--year", "2024", "--json").json()["subjects"] == [], "no table yet: nobody is scored"
    loaded = office("score-table", "--load-example")
    assert loaded.exit_code == 0 and "31 example items" in loaded.stdout, loaded.stderr
    before = office("audit", "--json").json()
    result = office("score", "--year", "2024", "--json")
    assert result.exit_code == 0, result.stderr
    score = result.json()
    assert (score["year"], score["example"], score["items"], score["total"], score["full"]) == (2024, True, 31, 40.0, 72.0)
    assert [(s["subject"], s["kind"], s["score"], s["full"]) for s in score["subjects"]] == [
        ("unit-1", "committee", 40.0, 72.0), ("unit-2", "village", 25.0, 29.0),
        ("person-1", "leader", 37.0, 40.0), ("person-2", "leader", 30.0, 40.0), ("person-3", "leader", 30.0, 40.0)]
    for subject in score["subjects"]:
        for it in subject["items"]:
            assert {"item", "area", "clause", "title", "points", "method", "self_score", "superior_score", "deductions", "veto"} <= set(it)
            assert sum(d["points"] for d in it["deductions"]) == it["lost"], (subject["name"], it["title"])
            for d in it["deductions"]:
                assert d["records"] or d["rule"] or d["source"] == "missing", d
    town = {i["title"]: i for i in score["subjects"][0]["items"]}
    reports = town["述职报告把意识形态工作作为重要内容"]
    assert [(d["points"], d["source"], d["rule"], d["records"]) for d in reports["deductions"]] == [
        (2.0, "finding", "assessment.duty-reports", ["duty_report-2"]), (2.0, "finding", "assessment.duty-reports", ["leader-3"])]
    study = town["中心组集中学习每年不少于 6 次"]
    assert (study["score"], study["measured"], [d["source"] for d in study["deductions"]]) == (0.0, "0 of 6", ["missing"] * 6)
    assert town["考核组综合评价（查阅台账、个别谈话、实地查看）"]["state"] == "pending" and score["subjects"][0]["pending"]
    assert town["一票否决：发生《实施办法》第十条所列情形并被问责"]["veto"] == "bar_excellent"
    silent = {i["title"]: i for i in score["subjects"][3]["items"]}["本人述职报告把意识形态工作作为重要内容"]
    assert (silent["points"], silent["score"], silent["self_score"], silent["superior_score"]) == (10.0, 0.0, None, 0.0)
    assert silent["deductions"] == [{"points": 10.0, "reason": "余永福: the duty report for 2024 leaves out ideological work",
                                     "source": "finding", "rule": "assessment.duty-reports", "records": ["duty_report-2"]}]
    assert score["subjects"][2]["appraisal"] == {"id": "appraisal-1", "total": 90, "grade": "excellent", "ideology_assessed": False,
                                                 "ideology_score": None}
    one = office("score", "--year", "2024", "--json", "--subject", "person-2").json()["subjects"]
    assert [s["name"] for s in one] == ["余永福"]
    assert office("audit", "--json").json() == before, "the scorecard writes nothing"
    assert office("show", "appraisal-1", "--json").json()["total"] == 90


def test_duty_score_keeps_the_checks_by_area_weighed_by_the_settings(office):
    checks = office("score", "--year", "2024", "--json").json()["checks"]
    assert checks["warning_points"] == 50.0
    assert [(a["area"], a["score"]) for a in checks["areas"]][:4] == [
        ("leadership", 45.5), ("positions", 100.0), ("team", 75.0), ("assessment", 20.0)]
    assert {r["rule"]: (r["severity"], r["findings"]) for r in checks["areas"][3]["rules"]} == {
        "assessment.superior-reports": ("error", 1), "assessment.congress-report": ("error", 1), "assessment.life-meeting": (None, 0),
        "assessment.duty-reports": ("error", 2), "assessment.appraisal": ("error", 3)}
    assert office("config", "set", "assessment.weight.positions", "2").exit_code == 0
    assert office("config", "set", "assessment.weight.accountability", "0").exit_code == 0
    checks = office("score", "--year", "2024", "--json").json()["checks"]
    assert checks["total"] == 68.1   # (500/11 + 2·100 + 75 + 20) / (1 + 2 + 1 + 1)
    assert [a["weight"] for a in checks["areas"]] == [1.0, 2.0, 1.0, 1.0, 0.0]
    assert office("config", "set", "assessment.score.warning-points", "101").exit_code == 2


def test_duty_score_prints_the_items_with_every_point_lost_then_the_units_and_the_leaders(office):
    assert "No assessment items yet" in office("score", "--year", "2024").stdout
    office("score-table", "--load-example")
    text = office("score", "--year", "2024").stdout
    assert "(the assessment items are the example shipped with the software, for the office to adapt)" in text
    assert "xx镇党委: 40 of 72; 1 item(s), 8 points, await the panel" in text
    assert "−2  余永福: the duty report for 2024 leaves out ideological work  〔assessment.duty-reports, duty_report-2〕" in text
    assert "−4  Central study session: 0 of 6, one missing ×4" in text and "one missing ×2 (nothing left to lose)" in text
    assert "  东风村  villages   unit-2     25 of 29; 1 item(s), 8 points, await the panel" in text
    assert "余永福  direct responsible  person-2   30 of 40  no appraisal entered" in text
    assert "Checks by area · weighted" in text
    zh = office("--lang", "zh", "score", "--year", "2024").stdout
    assert "xx镇党委：得分 40 / 72；另有 1 项 8 分待考核组评分" in zh and "（考核细则为随软件提供的示例，须由考核办按本地规定修改）" in zh
    assert "年度考核 90 分 优秀（appraisal-1）" in zh
    village = office("score", "--year", "2024", "--subject", "unit-2").stdout
    assert "东风村: 25 of 29" in village and "xx镇党委: 40" not in village
    bad = office("score", "--subject", "person-9")
    assert bad.exit_code == 2 and "no subject person-9" in bad.stderr


def test_duty_check_gives_exactly_the_assessment_findings_the_data_calls_for(office):
    result = office("check", "--year", "2024", "--json", "--rule", "assessment.superior-reports", "--rule", "assessment.congress-report",
                    "--rule", "assessment.life-meeting", "--rule", "assessment.duty-reports", "--rule", "assessment.appraisal")
    assert result.exit_code == 1
    assert result.json() == [
        {"rule": "assessment.appraisal", "severity": "error", "area": "assessment", "message": "余永福: no appraisal for 2024", "records": ["leader-2"],
         "fix": {"type": "appraisal", "values": {"person": "person-2", "year": 2024}}},  # a new one for them and the year
        {"rule": "assessment.appraisal", "severity": "error", "area": "assessment", "message": "王建国: no appraisal for 2024", "records": ["leader-3"],
         "fix": {"type": "appraisal", "values": {"person": "person-3", "year": 2024}}},
        {"rule": "assessment.appraisal", "severity": "error", "area": "assessment",  # entered, without ideological work
         "message": "刘明宇: the appraisal for 2024 was neither marked as assessing ideological work nor scored on it", "records": ["appraisal-1"]},
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
    wang = next(r for r in demo.ledger.all("appraisal", year=today.year) if r.data["person"] == demo.persons["王建国"])
    assert [f.records for f in mine if f.rule == "assessment.appraisal" and "王建国" in f.message.render("zh")] == [(wang.id,)], \
        "his appraisal left ideological work out"
    card = build_scorecard(demo.ledger, today.year, today)
    assert [a.area for a in card.committee.areas] == ["leadership", "positions", "team", "assessment", "accountability"]
    assert all(a.score is not None and 0 <= a.score <= 100 for a in card.committee.areas)
    secretary = next(l for l in card.leaders if l.name == "刘明宇")
    assert secretary.appraisal is not None and secretary.appraisal.total == 92


def test_the_demo_towns_itemised_scores_explain_every_lost_point(duty_store, duty_registry):
    """The example table (示例) scores the town, every village, community and department and every
    leader; each point lost is a deduction with its source; 周涛's duty report without ideological
    work costs him the item; the case decided this year bars 陈丽 from 优秀, which her appraisal
    contradicts."""
    from duty_tui.demo import create_demo

    today = dt.date.today()
    demo = create_demo(duty_store, duty_registry, "admin", year=today.year)
    card = build_scorecard(demo.ledger, today.year, today)
    assert card.example and all(r.data["example"] for r in card.table) and len(card.table) >= 20
    assert all("（示例）" in r.data["standard"] for r in card.table)
    assert {s.kind for s in card.subjects} == {"committee", "village", "community", "department", "office", "leader"}
    for subject in card.subjects:
        assert subject.full > 0, subject.name
        explained(subject)
    assert card.town.score < card.town.full and card.town.lost == sum(i.lost for i in card.town.items)
    by = {s.name: s for s in card.subjects}
    zhou = {i.item.title: i for i in by["周涛"].items}["本人述职报告把意识形态工作作为重要内容"]
    report = next(r for r in demo.ledger.all("duty_report", year=today.year) if r.data["person"] == demo.persons["周涛"])
    assert zhou.score == 0 and [(d.points, d.records) for d in zhou.deductions] == [(10, (report.id,))]
    assert by["周涛"].score < by["刘明宇"].score and by["周涛"].score < by["余永福"].score, "no longer the highest"
    village = by["东风村"]
    panel = next(i for i in village.items if i.item.method == "manual")
    assert (panel.self_score, panel.score) == (8, 7), "the village's self score beside the panel's"
    assert [i.item.title for i in by["陈丽"].bars_excellent] == ["一票否决：发生《实施办法》第十条所列情形并被问责"]
    assert card.appraisal(by["陈丽"]).grade == "excellent", "the appraisal as entered; the veto shows beside it"
    assert by["综治中心"].zeroed and all(i.score == 0 for i in by["综治中心"].items if i.item.area == "positions")
    json_ = scorecard_json(card, "zh")
    chen = next(s for s in json_["subjects"] if s["name"] == "陈丽")
    assert chen["bars_excellent"] and chen["appraisal_conflict"]


def test_the_shipped_example_table_gives_the_town_committee_100_points_with_every_plugin():
    """An office reads 得分 x / 100: the example 考核细则, every built-in plugin installed, weighs
    the town committee's items to 100 in all, and no item deducts more per finding than it holds."""
    from duty_tui.registry import load_registry
    from duty_tui_plugins.assessment.demo import example_items

    items = example_items(load_registry())
    assert sum(i["points"] for i in items if "committee" in i["applies_to"]) == 100
    assert all(i.get("deduction") is None or i["deduction"] <= i["points"] for i in items if i["points"])
    assert all("（示例）" in i["standard"] and i["example"] for i in items)
