"""Situation analyses (形势分析研判) and the first responsible person's acts (第一责任人履职纪实),
issue 18 items 1 and 4: every rule fires, clears when put right, and is a warning while the
year runs and an error once it is over; validation names the field and the reason; the person
of an act is filled in; the report, the duty record and the CLI contract."""

from __future__ import annotations

import datetime as dt

import pytest

from duty_tui.reports.document import build_annual, build_dossier, write_markdown
from duty_tui.rules import run_rules

from .helpers import refusal, rule_findings

pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "leadership")

YEAR = 2025
DURING = dt.date(2025, 11, 30)  # the year is running
AFTER = dt.date(2026, 1, 15)    # the year is over


@pytest.fixture
def town(duty_admin):
    ledger = duty_admin
    ids = {"committee": ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id}
    for name in ("刘明宇", "余永福", "黄志军"):
        ids[name] = ledger.create("person", {"name": name, "unit": ids["committee"]}).id
    ids["secretary"] = ledger.create("leader", {"person": ids["刘明宇"], "role": "first_responsible", "since": "2023-01-01"}).id
    ledger.create("leader", {"person": ids["余永福"], "role": "direct_responsible", "since": "2023-01-01"})
    ledger.ids = ids
    return ledger


def findings(ledger, rule, today, year=YEAR, lang="en"):
    return rule_findings(ledger, year, rule, today, None, lang)


def meeting(ledger, day, on_agenda=True, topics="研究意识形态工作"):
    return ledger.create("committee_meeting", {"date": day, "title": f"党委会 {day}", "topics": topics,
                                               "ideology_on_agenda": on_agenda}).id


def analysis(ledger, day, **values):
    return ledger.create("analysis", {"date": day, "topics": f"形势分析研判 {day}", "measures": "加强网络巡查", **values}).id


def act(ledger, day, kind, person="刘明宇", **values):
    data = {"date": day, "kind": kind, "matter": f"{kind} {day}", **values}
    if person:
        data["person"] = ledger.ids[person]
    return ledger.create("first_responsible_act", data).id


# -- the plugin as installed ---------------------------------------------------------------------

def test_the_types_rules_and_settings_are_registered(duty_registry):
    assert {"analysis", "first_responsible_act"} <= set(duty_registry.types)
    assert {"leadership.analysis-count", "leadership.analysis-meeting", "leadership.analysis-follow-up",
            "leadership.first-responsible-acts", "leadership.first-responsible-act-kinds"} <= set(duty_registry.rules)
    settings = duty_registry.settings
    assert settings["leadership.analysis.min"].default == 2
    assert "通常做法：每半年一次" in settings["leadership.analysis.min"].help.zh
    assert "not public" in settings["leadership.analysis.min"].help.en
    assert settings["leadership.first-responsible-acts.min"].default == 4
    assert [settings[f"leadership.first-responsible-acts.{k}.min"].default for k in ("deploy", "inquire", "handle", "criticise")] == [1, 1, 1, 0]
    assert "亲自部署" in settings["leadership.first-responsible-acts.deploy.min"].help.zh


def test_duty_types_documents_the_fields(cli):
    types = {t["name"]: t for t in cli("types", "--json").json()}
    assert [f["name"] for f in types["analysis"]["fields"]] == [
        "date", "topics", "meeting", "situation", "measures", "follow_ups", "chair", "participants", "notes"]
    act_type = types["first_responsible_act"]
    assert [f["name"] for f in act_type["fields"]] == [
        "date", "person", "kind", "matter", "meeting", "duty_item", "analysis", "records", "notes"]
    kinds = next(f for f in act_type["fields"] if f["name"] == "kind")["choices"]
    assert [c["value"] for c in kinds] == ["deploy", "inquire", "handle", "criticise", "other"]
    text = cli("--lang", "zh", "types", "first_responsible_act").stdout
    assert "第一责任人履职纪实" in text and "履职方式" in text


# -- leadership.analysis-count -------------------------------------------------------------------

def test_one_analysis_of_two_is_a_warning_while_the_year_runs_and_an_error_after(town):
    first = analysis(town, "2025-07-08")
    assert findings(town, "leadership.analysis-count", DURING) == [
        ("warning", "1 of 2 analyses of the ideological situation", [first])]
    assert findings(town, "leadership.analysis-count", DURING, lang="zh")[0][1] == "意识形态领域形势分析研判 1/2 次"
    assert [f[0] for f in findings(town, "leadership.analysis-count", AFTER)] == ["error"]
    analysis(town, "2025-12-20")
    assert findings(town, "leadership.analysis-count", AFTER) == []


def test_a_planned_analysis_does_not_count_yet_and_the_threshold_is_a_setting(town):
    analysis(town, "2025-03-01")
    analysis(town, "2025-12-20")
    assert findings(town, "leadership.analysis-count", DURING)[0][1] == "1 of 2 analyses of the ideological situation (1 more planned)"
    town.set_setting("leadership.analysis.min", 1)
    assert findings(town, "leadership.analysis-count", DURING) == []


def test_last_years_analyses_do_not_count(town):
    analysis(town, "2024-07-01")
    analysis(town, "2024-12-01")
    assert findings(town, "leadership.analysis-count", AFTER)[0][:2] == ("error", "0 of 2 analyses of the ideological situation")


# -- leadership.analysis-meeting -------------------------------------------------------------------

def test_an_analysis_at_a_meeting_not_flagged_is_a_contradiction_until_the_flag_is_set(town):
    m = meeting(town, "2025-07-08", on_agenda=False, topics="防汛")
    a = analysis(town, "2025-07-08", meeting=m)
    assert findings(town, "leadership.analysis-meeting", DURING) == [
        ("error", "党委会 2025-07-08 analysed the ideological situation (形势分析研判 2025-07-08) but is not marked "
                  "“ideological work on the agenda”: tick it on the meeting", [m, a])]
    town.update(m, {"ideology_on_agenda": True})
    assert findings(town, "leadership.analysis-meeting", DURING) == []
    assert findings(town, "leadership.analysis-meeting", AFTER) == []


def test_a_meeting_that_speaks_of_an_analysis_without_a_record_gets_a_hint(town):
    m = meeting(town, "2025-07-08", topics="分析研判上半年意识形态形势")
    meeting(town, "2025-03-05", topics="研究部署全年意识形态工作")  # no analysis in its words
    meeting(town, "2025-10-15", on_agenda=False, topics="形势研判")     # not flagged: the agenda rule speaks for it
    for today in (DURING, AFTER):  # a hint from the wording: a warning, never an error
        assert findings(town, "leadership.analysis-meeting", today) == [
            ("warning", "党委会 2025-07-08 (2025-07-08) has a situation analysis on its agenda but no analysis record: enter it", [m])]
    fix = run_rules(town, YEAR, today=DURING, rule_ids=["leadership.analysis-meeting"])[0].fix
    assert fix.as_json() == {"type": "analysis", "values": {"meeting": m, "date": "2025-07-08"}}
    analysis(town, "2025-07-08", meeting=m)
    assert findings(town, "leadership.analysis-meeting", DURING) == []


def test_an_analysis_at_a_meeting_is_dated_the_meetings_day(town):
    m = meeting(town, "2025-07-08")
    assert refusal(lambda: analysis(town, "2025-07-09", meeting=m)) == [
        "an analysis at a committee meeting is dated that day: 党委会 2025-07-08 was held on 2025-07-08, this says 2025-07-09"]
    analysis(town, "2025-07-08", meeting=m)
    analysis(town, "2025-07-09")  # on its own: any day


# -- leadership.analysis-follow-up ---------------------------------------------------------------

def test_an_analysis_without_measures_or_follow_ups_is_a_warning_then_an_error(town):
    a = town.create("analysis", {"date": "2025-07-08", "topics": "上半年形势研判"}).id
    message = "the analysis “上半年形势研判” (2025-07-08) has no measures and no follow-up duties"
    assert findings(town, "leadership.analysis-follow-up", DURING) == [("warning", message, [a])]
    assert findings(town, "leadership.analysis-follow-up", AFTER) == [("error", message, [a])]
    town.update(a, {"measures": "加强网络阵地巡查"})
    assert findings(town, "leadership.analysis-follow-up", AFTER) == []


def test_a_follow_up_duty_past_its_due_date_is_an_error_until_done(town):
    late = town.create("duty_item", {"title": "分工落实", "owner": town.ids["余永福"], "area": "leadership", "due": "2025-10-31"}).id
    later = town.create("duty_item", {"title": "隐患排查", "owner": town.ids["余永福"], "area": "positions", "due": "2025-12-15"}).id
    a = analysis(town, "2025-07-08", follow_ups=[late, later])
    assert findings(town, "leadership.analysis-follow-up", DURING) == [
        ("error", "the follow-up duty “分工落实” of the analysis “形势分析研判 2025-07-08” is overdue (due 2025-10-31, not done)", [late, a])]
    assert [f[2] for f in findings(town, "leadership.analysis-follow-up", AFTER)] == [[late, a], [later, a]], "both due by now"
    town.update(late, {"status": "done", "done_on": "2025-11-02"})
    town.update(later, {"status": "done"})
    assert findings(town, "leadership.analysis-follow-up", AFTER) == []


# -- first_responsible_act: the person, validation -------------------------------------------------

def test_an_act_without_a_person_is_the_first_responsible_in_office_that_day(town):
    town.create("leader", {"person": town.ids["黄志军"], "role": "first_responsible", "since": "2019-01-01"})  # never closed
    a = act(town, "2025-03-05", "deploy", person=None)
    assert town.get(a).data["person"] == town.ids["刘明宇"], "of two whose terms overlap, the later appointment"
    town.update(town.ids["secretary"], {"since": "2025-06-01"})
    b = act(town, "2025-03-06", "inquire", person=None)
    assert town.get(b).data["person"] == town.ids["黄志军"]


def test_an_act_with_no_person_and_no_first_responsible_that_day_is_refused(town):
    assert refusal(lambda: act(town, "2020-03-05", "deploy", person=None)) == [
        "no first responsible person was in office on 2020-03-05: name the person"]
    act(town, "2020-03-05", "deploy", person="黄志军")


def test_the_other_records_an_act_concerns_must_exist(town):
    m = meeting(town, "2025-03-05")
    assert refusal(lambda: act(town, "2025-03-05", "deploy", records="committee_meeting-99, 会议")) == [
        "there is no record committee_meeting-99", "“会议” is not a record id (such as event-3)"]
    a = act(town, "2025-03-05", "deploy", records=f"{m}、{town.ids['secretary']}")
    lines = town.type("first_responsible_act").detail_lines(town, town.get(a))
    assert [(label.render("en"), text) for label, text in lines] == [
        ("Other records concerned", f"{m} 党委会 2025-03-05；{town.ids['secretary']} 刘明宇")]
    assert refusal(lambda: town.update(a, {"records": a})) == [f"cannot name this record itself ({a})"]


# -- leadership.first-responsible-acts -----------------------------------------------------------

def test_too_few_acts_are_a_warning_while_the_year_runs_and_an_error_after(town):
    ids = [act(town, f"2025-0{m}-10", "deploy") for m in (2, 4, 6)]
    assert findings(town, "leadership.first-responsible-acts", DURING) == [
        ("warning", "3 of 4 acts of the first responsible person recorded", [town.ids["secretary"], *ids])]
    assert findings(town, "leadership.first-responsible-acts", DURING, lang="zh")[0][1] == "第一责任人履职纪实 3/4 次"
    assert [f[0] for f in findings(town, "leadership.first-responsible-acts", AFTER)] == ["error"]
    act(town, "2025-09-10", "inquire")
    assert findings(town, "leadership.first-responsible-acts", AFTER) == []


def test_an_act_recorded_for_someone_not_first_responsible_is_named_and_not_counted(town):
    town.set_setting("leadership.first-responsible-acts.min", 1)
    other = act(town, "2025-05-10", "inquire", person="余永福")
    assert findings(town, "leadership.first-responsible-acts", DURING) == [
        ("warning", "the act “inquire 2025-05-10” (2025-05-10) is recorded for 余永福, who was not the first responsible person that day: "
                    "not counted", [other]),
        ("warning", "0 of 1 acts of the first responsible person recorded", [town.ids["secretary"]])]
    town.update(other, {"person": town.ids["刘明宇"]})
    assert findings(town, "leadership.first-responsible-acts", AFTER) == []


# -- leadership.first-responsible-act-kinds --------------------------------------------------------

def test_each_of_the_seeds_three_kinds_is_asked_for(town):
    deploy = act(town, "2025-03-05", "deploy")
    act(town, "2025-05-10", "criticise")
    assert findings(town, "leadership.first-responsible-act-kinds", DURING) == [
        ("warning", "first responsible person “looked into in person”: 0 of 1", [town.ids["secretary"]]),
        ("warning", "first responsible person “handled in person”: 0 of 1", [town.ids["secretary"]])]
    assert findings(town, "leadership.first-responsible-act-kinds", DURING, lang="zh")[1][1] == "第一责任人“重大事件亲自处置” 0/1 次"
    assert [f[0] for f in findings(town, "leadership.first-responsible-act-kinds", AFTER)] == ["error", "error"]
    act(town, "2025-06-10", "inquire")
    town.set_setting("leadership.first-responsible-acts.handle.min", 0)  # a year without a major event
    assert findings(town, "leadership.first-responsible-act-kinds", AFTER) == []
    town.set_setting("leadership.first-responsible-acts.deploy.min", 2)
    assert findings(town, "leadership.first-responsible-act-kinds", AFTER) == [
        ("error", "first responsible person “deployed in person”: 1 of 2", [town.ids["secretary"], deploy])]


# -- the report and the duty record ---------------------------------------------------------------

def test_the_report_and_the_duty_record_count_them(town):
    m = meeting(town, "2025-07-08")
    item = town.create("duty_item", {"title": "排查", "owner": town.ids["余永福"], "area": "positions", "due": "2025-09-01",
                                     "status": "done"}).id
    analysis(town, "2025-07-08", meeting=m, follow_ups=[item], participants=[town.ids["刘明宇"]])
    analysis(town, "2025-12-20")
    for day, kind in (("2025-03-05", "deploy"), ("2025-05-10", "inquire"), ("2025-06-10", "inquire"), ("2025-08-01", "criticise")):
        act(town, day, kind)
    zh = write_markdown(build_annual(town, YEAR, "zh", today=AFTER))
    assert "开展意识形态领域形势分析研判2次（其中在党委会上研判1次），研究提出的措施列入责任清单跟进1项、已完成1项" in zh
    assert "党委书记刘明宇同志履行第一责任人职责，重要工作亲自部署1次、重要问题亲自过问2次、重大事件亲自处置0次，带头批评错误观点和错误倾向1次" in zh
    en = write_markdown(build_annual(town, YEAR, "en", today=AFTER))
    assert "the ideological situation was analysed 2 times (1 at committee meetings)" in en.lower()
    assert "deployed 1 time, looked into 2 times and handled 0 times in person" in en
    dossier = write_markdown(build_dossier(town, town.ids["刘明宇"], YEAR, "zh", today=AFTER))
    assert "履行第一责任人职责，重要工作亲自部署1次、重要问题亲自过问2次" in dossier
    assert "参加意识形态领域形势分析研判1次" in dossier
    assert "第一责任人履职纪实4条" in dossier, "the acts are listed among the records naming the person"
    other = write_markdown(build_dossier(town, town.ids["余永福"], YEAR, "zh", today=AFTER))
    assert "履行第一责任人职责" not in other


# -- the CLI contract ----------------------------------------------------------------------------

def test_the_cli_adds_and_checks_them(cli):
    committee = cli.add("unit", "name=xx镇党委", "kind=committee")
    liu = cli.add("person", "name=刘明宇", f"unit={committee}")
    cli.add("leader", f"person={liu}", "role=first_responsible", "since=2020-01-01")
    m = cli.add("committee_meeting", "date=2024-07-08", "title=党委会", "topics=研判", "ideology_on_agenda=false")
    a = cli.add("analysis", "date=2024-07-08", "topics=上半年形势研判", f"meeting={m}", "measures=加强巡查")
    act_id = cli.add("first_responsible_act", "date=2024-03-05", "kind=重要工作亲自部署", "matter=部署全年工作")
    assert cli("show", act_id, "--json").json()["person"] == liu, "the first responsible in office that day, filled in"
    refused = cli("add", "first_responsible_act", "date=2024-03-05", "kind=deploy", "matter=x", "records=event-1")
    assert refused.exit_code == 2 and "records" in refused.stderr
    found = {(f["rule"], f["severity"]) for f in cli("check", "--year", "2024", "--json").json() if f["area"] == "leadership"}
    assert {("leadership.analysis-count", "error"), ("leadership.analysis-meeting", "error"),
            ("leadership.first-responsible-acts", "error"), ("leadership.first-responsible-act-kinds", "error")} <= found
    assert ("leadership.analysis-follow-up", "error") not in found
    assert cli("edit", m, "ideology_on_agenda=true").exit_code == 0
    assert "leadership.analysis-meeting" not in {f["rule"] for f in cli("check", "--year", "2024", "--json").json()}
    assert cli("show", a, "--json").json()["meeting"] == m


# -- the demo ------------------------------------------------------------------------------------

def test_the_demo_shows_a_warning_an_error_and_a_pass(duty_store, duty_registry):
    from duty_tui.demo import create_demo

    today = dt.date.today()
    town = create_demo(duty_store, duty_registry, "admin", year=today.year)
    assert [f for f in town.failures if f[0] == "leadership"] == []
    mine = ("leadership.analysis-count", "leadership.analysis-meeting", "leadership.analysis-follow-up",
            "leadership.first-responsible-acts", "leadership.first-responsible-act-kinds")
    this_year = {(f.rule, f.severity) for f in run_rules(town.ledger, today.year, today=today, rule_ids=list(mine))}
    last_year = run_rules(town.ledger, today.year - 1, today=today, rule_ids=list(mine))
    assert last_year == [], "last year: two analyses and one act of each kind"
    if today >= dt.date(today.year, 9, 16):  # the demo's dates are fixed: from mid-September this year's story is whole
        assert ("leadership.analysis-count", "warning") in this_year
        assert ("leadership.first-responsible-act-kinds", "warning") in this_year
        assert "leadership.analysis-meeting" not in {r for r, _ in this_year}
        assert "leadership.first-responsible-acts" not in {r for r, _ in this_year}
    acts = town.ledger.all("first_responsible_act")
    assert all(a.data.get("person") == town.persons["刘明宇"] for a in acts), "one was entered without a person"
