"""The accountability plugin: cases under the ten circumstances of Article 10, decided by a leader
and filed with the organisation department before they close; responsible persons with the kind
of responsibility and a recorded dissent that exempts; both rules at their boundaries; every
branch of the chain that suggests who answers; and `duty suggest` and `duty check` in JSON on
data entered only through the CLI."""

from __future__ import annotations

import datetime as dt

import pytest

from duty_tui.errors import NotPermitted, ValidationError
from duty_tui.rules import run_rules

from duty_tui_plugins.accountability.circumstances import CIRCUMSTANCES, TEXTS
from duty_tui_plugins.accountability.suggest import accept, suggest, suggest_for_case

from .helpers import refusal, rule_findings

# Cases refer to events (positions) and the chain reads the leading group (leadership).
pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "leadership", "positions", "accountability")

YEAR = 2025
TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def town(duty_admin, duty_ledger_as):
    """A committee with an office, a village and a group of the village; 刘明宇 first responsible,
    余永福 direct responsible (the office in his divisions), 王建国 a member for the village, 张伟
    a cadre; the clerk lina and the leader liumy (刘明宇)."""
    ledger = duty_admin
    ids = {"committee": ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id}
    for name, kind, parent in (("宣传办公室", "office", "committee"), ("东风村", "village", "committee"),
                               ("城关社区", "community", "committee"), ("东风村一组", "other", "东风村")):
        ids[name] = ledger.create("unit", {"name": name, "kind": kind, "parent": ids[parent]}).id
    for name in ("刘明宇", "余永福", "王建国", "张伟", "黄志军"):
        ids[name] = ledger.create("person", {"name": name, "unit": ids["committee"]}).id
    rows = {
        "刘明宇": ledger.create("leader", {"person": ids["刘明宇"], "role": "first_responsible", "since": "2024-03-01"}).id,
        "黄志军": ledger.create("leader", {"person": ids["黄志军"], "role": "first_responsible", "since": "2019-01-01", "until": "2024-02-29"}).id,
        "余永福": ledger.create("leader", {"person": ids["余永福"], "role": "direct_responsible", "since": "2020-01-01",
                                          "divisions": [ids["宣传办公室"]]}).id,
        "王建国": ledger.create("leader", {"person": ids["王建国"], "role": "member", "since": "2020-01-01", "divisions": [ids["东风村"]]}).id,
    }
    ledger.add_user("liumy", "leader", ids["刘明宇"])
    clerk, leader = duty_ledger_as("lina", "clerk"), duty_ledger_as("liumy", None)
    return type("Town", (), {"admin": ledger, "clerk": clerk, "leader": leader, "ids": ids, "rows": rows})


def new_case(town, occurred_on="2025-03-01", unit=None, circumstance="10", **more):
    values = {"title": "宣传栏违规内容", "circumstance": circumstance, "occurred_on": occurred_on, **more}
    if unit:
        values["unit"] = town.ids[unit]
    return town.clerk.create("case", values).id


def party(town, case, name, kind="main", **more):
    return town.clerk.create("case_party", {"case": case, "person": town.ids[name], "kind": kind, **more}).id


def decide(town, case, decided_on="2025-04-01", decision="reminder"):
    return town.leader.transition(case, "decide", values={"decision": decision, "decided_on": decided_on, "deciding_body": town.ids["committee"],
                                                           "decision_no": "x党〔2025〕3 号"})


def findings(town, rule, today=TODAY, unit=None, lang="en", year=YEAR):
    return rule_findings(town.admin, year, rule, today, unit, lang)


def suggested(result):
    return [(s.name, s.kind, [r.text.render("en") for r in s.reasons]) for s in result.items]


# -- the plugin as installed ---------------------------------------------------------------------

def test_the_plugin_loads_from_its_entry_point_with_its_types_rules_and_settings(duty_registry):
    info = duty_registry.info("accountability")
    assert info.status == "loaded" and info.source == "duty-tui" and info.module == "duty_tui_plugins.accountability"
    assert {"case", "case_party"} <= set(duty_registry.types)
    assert {r for r in duty_registry.rules if r.startswith("accountability.")} == {
        "accountability.case-responsible", "accountability.case-stale", "accountability.measure-appraisal",
        "accountability.measure-promotion", "accountability.personal-file"}
    defaults = {k: s.default for k, s in duty_registry.settings.items() if k.startswith("accountability.case-stale")}
    assert defaults == {"accountability.case-stale.days": 90, "accountability.case-stale.warn-days": 60}
    assert {"accountability.cases", "accountability.case-from-event"} <= set(duty_registry.screens)


def test_the_ten_circumstances_of_article_10_in_the_plans_chinese_and_in_english(duty_registry):
    field = duty_registry.types["case"].field("circumstance")
    assert [c.value for c in field.choices] == [str(n) for n in range(1, 11)] and field.choices == CIRCUMSTANCES
    assert field.choice_label("2").zh == "(2) 在处置意识形态领域重大问题上，党委（党组）书记没有站在第一线、没有带头与错误倾向作斗争的"
    assert field.choice_label("5").zh == "(5) 所属新闻媒体出现严重错误导向的"
    assert field.choice_label("10").zh == "(10) 其他未能切实履行工作职责，造成严重后果的"
    assert field.choice_label("4").zh == "(4) 对所管理的党员干部公开发表违背党章、党的决定决议和政策的言论放任不管、处置不力的"
    assert field.choice_label("2").en.startswith("(2) in handling a major problem in the ideological field, the secretary")
    assert all(zh.endswith("的") and en and en[0].islower() for zh, en in TEXTS.values())


def test_decisions_run_from_reminder_to_discipline_and_responsibility_has_four_kinds(duty_registry):
    decision = duty_registry.types["case"].field("decision")
    assert [(c.value, c.label.zh) for c in decision.choices] == [
        ("reminder", "谈话提醒"), ("criticism_education", "批评教育"), ("written_examination", "责令检查"),
        ("public_criticism", "通报"), ("admonition", "诫勉"), ("organisational_handling", "组织调整或者组织处理"),
        ("discipline", "纪律处分")]
    kind = duty_registry.types["case_party"].field("kind")
    assert [c.value for c in kind.choices] == ["main", "important", "direct", "other"]


# -- the workflow ------------------------------------------------------------------------------------

def test_a_case_goes_from_registered_to_closed_each_step_by_the_right_person(town):
    case = new_case(town, unit="东风村")
    assert town.admin.get(case).state == "registered"
    town.clerk.transition(case, "investigate")
    party(town, case, "王建国")
    with pytest.raises(NotPermitted):
        town.clerk.transition(case, "decide", values={"decision": "reminder", "decided_on": "2025-04-01", "deciding_body": town.ids["committee"],
                                                      "decision_no": "x党〔2025〕3 号"})
    assert decide(town, case).state == "decided"
    assert refusal(lambda: town.clerk.transition(case, "close")) == [
        "before it is closed, the organisation department is told of the decision: give the day it was",
        "before it is closed, the decision is filed with the organisation department above: give the filing date"]
    assert refusal(lambda: town.clerk.transition(case, "close", values={"reported_to_organization_on": "2025-04-01",
                                                                        "filed_with_organization_on": "2025-03-31"})) == [
        "filed on 2025-03-31, before the decision on 2025-04-01"]
    closed = town.clerk.transition(case, "close", values={"reported_to_organization_on": "2025-04-01", "filed_with_organization_on": "2025-04-01"})
    assert closed.state == "closed"
    assert [(e.action, e.actor) for e in town.admin.history(case)] == [
        ("create", "lina"), ("transition:investigate", "lina"), ("transition:decide", "liumy"), ("transition:close", "lina")]


def test_deciding_needs_the_decision_its_date_the_deciding_body_its_number_and_someone_answerable(town):
    case = new_case(town, occurred_on="2025-03-01")
    town.clerk.transition(case, "investigate")
    assert refusal(lambda: town.leader.transition(case, "decide")) == [
        "a decision needs the decision, its date, the deciding body, its document number"]
    assert refusal(lambda: decide(town, case, decided_on="2025-02-28")) == ["decided on 2025-02-28, before it occurred on 2025-03-01"]
    assert refusal(lambda: decide(town, case, decided_on="2025-03-01")) == [
        "name at least one responsible person before deciding (one whose dissent is recorded is exempt)"]
    party(town, case, "黄志军", kind="important", dissent_recorded=True, dissent_notes="党委会会议记录")
    assert refusal(lambda: decide(town, case, decided_on="2025-03-01")) == [
        "name at least one responsible person before deciding (one whose dissent is recorded is exempt)"]
    party(town, case, "王建国")
    assert decide(town, case, decided_on="2025-03-01").state == "decided"


def test_a_decision_is_not_typed_in_by_a_clerk(town):
    case = new_case(town)
    assert refusal(lambda: town.clerk.update(case, {"decision": "reminder"})) == [
        "a decision is recorded by a leader through the workflow's “decide” step, not typed in"]
    with pytest.raises(ValidationError):
        new_case(town, decided_by=town.ids["刘明宇"])
    assert town.leader.update(case, {"decision_notes": "待定"}).version == 2


def test_a_recorded_dissent_exempts_says_where_it_is_recorded_and_takes_no_decision(town):
    case = new_case(town)
    assert refusal(lambda: party(town, case, "黄志军", dissent_recorded=True, decision="reminder")) == [
        "a dissent on record exempts: no decision for this person", "say where the dissent is recorded (e.g. which minutes)"]
    party(town, case, "黄志军", dissent_recorded=True, dissent_notes="党委会（第 9 次）会议记录")
    assert refusal(lambda: party(town, case, "黄志军")) == [f"{town.ids['黄志军']} is already named on this case (case_party-1)"]
    party(town, new_case(town), "黄志军")


# -- the rules at their boundaries ---------------------------------------------------------------

def test_a_decided_case_names_someone_answerable_and_a_decision(town):
    case = new_case(town, unit="东风村")
    town.clerk.transition(case, "investigate")
    answerable = party(town, case, "王建国")
    exempt = party(town, case, "黄志军", kind="important", dissent_recorded=True, dissent_notes="会议记录")
    assert findings(town, "accountability.case-responsible") == [], "an undecided case is not judged"
    decide(town, case)
    assert findings(town, "accountability.case-responsible") == []
    town.clerk.update(answerable, {"dissent_recorded": True, "dissent_notes": "补录的会议记录"})
    assert findings(town, "accountability.case-responsible") == [
        ("error", "宣传栏违规内容: decided without a responsible person (everyone named is exempt by a recorded dissent)",
         [case, answerable, exempt])]
    town.clerk.delete(answerable)
    town.clerk.delete(exempt)
    town.leader.update(case, {"decision": None})
    assert findings(town, "accountability.case-responsible") == [
        ("error", "宣传栏违规内容: decided without a responsible person or a decision", [case])]
    assert findings(town, "accountability.case-responsible", lang="zh")[0][1] == "宣传栏违规内容：已决定，但没有责任人、处理决定"
    assert findings(town, "accountability.case-responsible", unit=town.ids["宣传办公室"]) == []
    assert len(findings(town, "accountability.case-responsible", unit=town.ids["committee"])) == 1


def test_an_undecided_case_is_warned_about_after_60_days_and_an_error_after_90(town):
    ages = {days: new_case(town, occurred_on=(TODAY - dt.timedelta(days=days)).isoformat()) for days in (60, 61, 90, 91)}
    assert findings(town, "accountability.case-stale") == [
        ("error", "宣传栏违规内容: undecided 91 days after it occurred (the limit is 90)", [ages[91]]),
        ("warning", "宣传栏违规内容: 61 days since it occurred; decide within 90", [ages[61]]),
        ("warning", "宣传栏违规内容: 90 days since it occurred; decide within 90", [ages[90]])]
    assert findings(town, "accountability.case-stale", lang="zh")[0][1] == "宣传栏违规内容：发生 91 天仍未作出决定（应在 90 天内）"
    town.admin.set_setting("accountability.case-stale.days", 60)
    assert {f[0] for f in findings(town, "accountability.case-stale")} == {"error"}
    town.clerk.transition(ages[91], "investigate")
    party(town, ages[91], "张伟", kind="direct")
    decide(town, ages[91], decided_on=TODAY.isoformat())
    assert ages[91] not in {r for f in findings(town, "accountability.case-stale") for r in f[2]}, "a decided case is not stale"


def test_an_old_undecided_case_shows_in_later_years_but_not_in_earlier_ones(town):
    old = new_case(town, occurred_on="2024-11-01", unit="东风村")
    later = new_case(town, occurred_on="2026-01-05")
    assert [f[2] for f in findings(town, "accountability.case-stale", today=dt.date(2026, 3, 1))] == [[old]]
    assert [f[2] for f in findings(town, "accountability.case-stale", today=dt.date(2026, 6, 1), year=2026)] == [[old], [later]]
    assert [f[2] for f in findings(town, "accountability.case-stale", today=dt.date(2026, 3, 1), unit=town.ids["城关社区"])] == []


# -- the chain of responsibility ------------------------------------------------------------------------

def an_event(town, organizer="张伟", approver="刘明宇", unit="东风村", approved_on="2025-04-28"):
    values = {"title": "乡村振兴研讨会", "kind": "seminar", "date": "2025-05-01", "organizer_unit": town.ids[unit]}
    if organizer:
        values["organizer"] = town.ids[organizer]
    event = town.clerk.create("event", values).id
    if approver and organizer:
        town.clerk.transition(event, "submit")
        town.leader.transition(event, "approve", values={"approver": town.ids[approver], "approved_on": approved_on})
    elif approver:  # an event with no organiser cannot be submitted: a leader records the approval by hand
        town.leader.update(event, {"approver": town.ids[approver], "approved_on": approved_on})
    return event


def test_an_event_suggests_its_organiser_and_its_approver_then_its_units_chain(town):
    event = an_event(town)
    result = suggest(town.admin, {"event": event, "occurred_on": dt.date(2025, 5, 1), "circumstance": "9"})
    # the propaganda member: 东风村 is not in his divisions, so 重要领导责任 (Art. 6 reads 直接主管), not 主要
    assert suggested(result) == [
        ("张伟", "direct", ["whoever organises answers for it: organised “乡村振兴研讨会” (2025-05-01), the one who did it: direct responsibility"]),
        ("刘明宇", "main", ["whoever approves supervises: approved “乡村振兴研讨会” on 2025-04-28, taking part in the decision",
                          "first responsible person: the secretary, the committee's principal leader"]),
        ("王建国", "main", ["one post, two duties: 东风村 is in their divisions, the member directly in charge"]),
        ("余永福", "important", ["in charge of propaganda and ideological work, but 东风村 is not in their divisions: not the member "
                               "directly in charge; ideological work there is theirs by office (应管的工作), so important leadership "
                               "responsibility"])]
    assert [n.render("en") for n in result.notes] == ["东风村 has no Party secretary recorded (a person of the unit whose post is a secretary's)"], "the village's own secretary is looked for"
    assert [s.as_json("zh")["reasons"][0] for s in result.items][:2] == [
        "谁组织谁负责：组织了“乡村振兴研讨会”（2025-05-01），是办这件事的人，负直接责任", "谁审批谁监督：于 2025-04-28 批准了“乡村振兴研讨会”，参与了决定"]
    assert [s.as_json("zh")["clause"] for s in result.items] == [
        "《纪律处分条例》第三十九条", "《问责条例》第六条", "《问责条例》第六条", "《问责条例》第六条；《纪律处分条例》第三十九条"]
    assert result.items[1].as_json("en")["records"] == [event, town.rows["刘明宇"]]


def test_an_approver_who_is_no_leader_bears_important_responsibility_and_a_missing_link_is_said(town):
    approved_by_a_cadre = an_event(town, approver="张伟", organizer=None, unit="宣传办公室")
    result = suggest(town.admin, {"event": approved_by_a_cadre, "occurred_on": dt.date(2025, 5, 1)})
    assert [(s.name, s.kind) for s in result.items] == [("张伟", "important"), ("余永福", "main"), ("刘明宇", "main")]
    assert [n.render("en") for n in result.notes] == [f"the event {approved_by_a_cadre} names no organiser"]
    never_approved = an_event(town, approver=None)
    assert [n.render("en") for n in suggest(town.admin, {"event": never_approved, "occurred_on": dt.date(2025, 5, 1)}).notes] == [
        f"the event {never_approved} was never approved, so it has no approver", "东风村 has no Party secretary recorded (a person of the unit whose post is a secretary's)"]


def test_a_unit_suggests_its_member_the_direct_and_the_first_responsible_person(town):
    result = suggest(town.admin, {"unit": town.ids["东风村"], "occurred_on": dt.date(2025, 3, 1)})
    assert [(s.name, s.kind) for s in result.items] == [("王建国", "main"), ("余永福", "important"), ("刘明宇", "main")]
    below = suggest(town.admin, {"unit": town.ids["东风村一组"], "occurred_on": dt.date(2025, 3, 1)})
    assert suggested(below)[0] == ("王建国", "main", [
        "one post, two duties: 东风村, the unit above 东风村一组, is in their divisions, the member directly in charge"])
    nobody = suggest(town.admin, {"unit": town.ids["城关社区"], "occurred_on": dt.date(2025, 3, 1)})
    assert [(s.name, s.kind) for s in nobody.items] == [("余永福", "important"), ("刘明宇", "main")]
    assert [n.render("en") for n in nobody.notes] == [
        "城关社区 has no Party secretary recorded (a person of the unit whose post is a secretary's)", "城关社区 is in no member's divisions"]
    own = suggest(town.admin, {"unit": town.ids["宣传办公室"], "occurred_on": dt.date(2025, 3, 1)})
    assert suggested(own)[0] == ("余永福", "main", ["one post, two duties: 宣传办公室 is in their divisions, the member directly in charge"])
    committee = suggest(town.admin, {"unit": town.ids["committee"], "occurred_on": dt.date(2025, 3, 1)})
    assert [(s.name, s.kind) for s in committee.items] == [("余永福", "main"), ("刘明宇", "main")] and committee.notes == []
    assert suggested(committee)[0][2] == [
        "in charge of propaganda and ideological work: the case concerns the committee's own work, which they directly oversee"]


def test_the_leading_group_is_the_one_in_office_on_the_day_it_occurred(town):
    before = suggest(town.admin, {"unit": town.ids["committee"], "occurred_on": dt.date(2024, 1, 15)})
    assert [s.name for s in before.items] == ["余永福", "黄志军"]
    after = suggest(town.admin, {"unit": town.ids["committee"], "occurred_on": dt.date(2024, 3, 1)})
    assert [s.name for s in after.items] == ["余永福", "刘明宇"]
    nobody = suggest(town.admin, {"unit": town.ids["committee"], "occurred_on": dt.date(2019, 6, 1)})
    assert [s.name for s in nobody.items] == ["黄志军"]
    assert [n.render("en") for n in suggest(town.admin, {"unit": town.ids["东风村"], "occurred_on": dt.date(2010, 1, 1)}).notes] == [
        "东风村 has no Party secretary recorded (a person of the unit whose post is a secretary's)", "no leading group is recorded in office on 2010-01-01"]


def test_circumstance_2_always_names_the_first_responsible_person(town):
    result = suggest(town.admin, {"circumstance": "2", "occurred_on": dt.date(2025, 3, 1)})
    assert suggested(result) == [("刘明宇", "main", [
        "Article 10 (2): the secretary did not stand on the front line or lead the fight against erroneous tendencies"])]
    assert result.items[0].as_json("zh")["clause"] == "《实施办法》第十条第（二）项；《问责条例》第六条"
    with_unit = suggest(town.admin, {"circumstance": "2", "unit": town.ids["东风村"], "occurred_on": dt.date(2025, 3, 1)})
    assert len(with_unit.items[2].reasons) == 2 and with_unit.items[2].name == "刘明宇"
    nothing = suggest(town.admin, {"circumstance": "10", "occurred_on": dt.date(2025, 3, 1)})
    assert nothing.items == [] and [n.render("en") for n in nothing.notes] == ["the case names no event, outlet, person or unit to follow"]


def test_an_organiser_who_is_also_the_member_in_charge_is_suggested_once_with_direct_responsibility(town):
    event = an_event(town, organizer="王建国", approver="王建国")
    result = suggest(town.admin, {"event": event, "occurred_on": dt.date(2025, 5, 1)})
    wang = result.items[0]
    assert (wang.name, wang.kind, len(wang.reasons)) == ("王建国", "direct", 3)
    assert [s.name for s in result.items] == ["王建国", "余永福", "刘明宇"]


def test_persons_already_named_are_marked_and_accepting_names_the_rest(town):
    case = new_case(town, unit="东风村")
    party(town, case, "王建国")
    result = suggest_for_case(town.admin, town.admin.get(case))
    assert [(s.name, s.named) for s in result.items] == [("王建国", True), ("余永福", False), ("刘明宇", False)]
    created = accept(town.clerk, case, result.items, "en")
    assert len(created) == 2
    named = [(p.data["person"], p.data["kind"], p.data["reason"]) for p in town.admin.all("case_party", case=case)]
    assert named[1:] == [(town.ids["余永福"], "important", "in charge of propaganda and ideological work, but 东风村 is not in their "
                          "divisions: not the member directly in charge; ideological work there is theirs by office (应管的工作), so "
                          "important leadership responsibility (Accountability Regulations, Art. 6; Disciplinary Regulations, Art. 39)"),
                         (town.ids["刘明宇"], "main", "first responsible person: the secretary, the committee's principal leader "
                          "(Accountability Regulations, Art. 6)")]
    assert suggest_for_case(town.admin, town.admin.get(case)).open() == []


# -- the CLI ---------------------------------------------------------------------------------------

@pytest.fixture
def office(cli):
    """Data entered only through the CLI: the committee and a village, the leading group, an event
    organised by a cadre and approved by the secretary, a clerk and a leader account."""
    cli.add("unit", "name=xx镇党委", "kind=committee")
    cli.add("unit", "name=东风村", "kind=village", "parent=unit-1")
    for name in ("刘明宇", "余永福", "王建国", "赵强"):
        cli.add("person", f"name={name}", "unit=unit-1")
    cli.add("leader", "person=person-1", "role=first_responsible", "since=2020-01-01")
    cli.add("leader", "person=person-2", "role=direct_responsible", "since=2020-01-01")
    cli.add("leader", "person=person-3", "role=member", "divisions=unit-2", "since=2020-01-01")
    assert cli("users", "add", "liumy", "--role", "leader", "--person", "person-1").exit_code == 0
    assert cli("users", "add", "lina", "--role", "clerk").exit_code == 0
    cli.add("event", "title=乡村振兴研讨会", "kind=研讨会", "date=2024-05-20", "organizer_unit=unit-2", "organizer=person-4", login="lina")
    assert cli("transition", "event-1", "submit", login="lina").exit_code == 0
    assert cli("transition", "event-1", "approve", "approver=person-1", "approved_on=2024-05-21", login="liumy").exit_code == 0
    cli.add("case", "title=研讨会未经事先批准", "circumstance=9", "occurred_on=2024-05-20", "event=event-1", login="lina")
    return cli


def test_duty_suggest_json_gives_exactly_the_chain_the_data_calls_for(office):
    result = office("suggest", "case-1", "--json", login="lina")
    assert result.exit_code == 0, result.stderr
    art6, art39 = "Accountability Regulations, Art. 6", "Disciplinary Regulations, Art. 39"
    assert result.json() == {"case": "case-1", "notes": ["东风村 has no Party secretary recorded (a person of the unit whose post is a secretary's)"], "suggestions": [
        {"person": "person-4", "name": "赵强", "kind": "direct", "kind_label": "direct responsibility", "clause": art39,
         "reasons": ["whoever organises answers for it: organised “乡村振兴研讨会” (2024-05-20), the one who did it: direct responsibility"],
         "clauses": [art39], "records": ["event-1"], "warnings": [], "named": False},
        {"person": "person-1", "name": "刘明宇", "kind": "main", "kind_label": "main leadership responsibility", "clause": art6,
         "reasons": ["whoever approves supervises: approved “乡村振兴研讨会” on 2024-05-21, taking part in the decision",
                     "first responsible person: the secretary, the committee's principal leader"],
         "clauses": [art6, art6], "records": ["event-1", "leader-1"], "warnings": [], "named": False},
        {"person": "person-3", "name": "王建国", "kind": "main", "kind_label": "main leadership responsibility", "clause": art6,
         "reasons": ["one post, two duties: 东风村 is in their divisions, the member directly in charge"],
         "clauses": [art6], "records": ["leader-3"], "warnings": [], "named": False},
        {"person": "person-2", "name": "余永福", "kind": "important", "kind_label": "important leadership responsibility",
         "clause": f"{art6}; {art39}",
         "reasons": ["in charge of propaganda and ideological work, but 东风村 is not in their divisions: not the member directly in "
                     "charge; ideological work there is theirs by office (应管的工作), so important leadership responsibility"],
         "clauses": [f"{art6}; {art39}"], "records": ["leader-2"], "warnings": [], "named": False},
    ], "organisations": [
        {"unit": "unit-1", "name": "xx镇党委", "responsibility": "overall leadership responsibility", "clause": art6,
         "reason": "the committee's leading body bears overall leadership responsibility within its remit"}]}
    text = office("suggest", "case-1", login="lina").stdout
    assert "person-4   赵强  direct responsibility" in text and "[event-1]" in text


def test_duty_suggest_accept_names_the_suggested_persons_and_then_marks_them_named(office):
    office.add("case_party", "case=case-1", "person=person-3", "kind=important", login="lina")
    accepted = office("suggest", "case-1", "--accept", "--json", login="lina")
    assert accepted.exit_code == 0, accepted.stderr
    body = accepted.json()
    assert body["created"] == ["case_party-2", "case_party-3", "case_party-4"]
    assert all(s["named"] for s in body["suggestions"])
    party = office("show", "case_party-2", "--json").json()
    assert (party["person"], party["kind"], party["reason"]) == ("person-4", "direct", "whoever organises answers for it: organised "
                                                                 "“乡村振兴研讨会” (2024-05-20), the one who did it: direct responsibility "
                                                                 "(Disciplinary Regulations, Art. 39)")
    assert office("show", "case_party-1", "--json").json()["kind"] == "important", "a person named before keeps their kind"


def test_duty_suggest_refuses_what_is_not_a_case(office):
    not_a_case = office("suggest", "event-1", "--json")
    assert not_a_case.exit_code == 2 and not_a_case.json()["fields"][0]["reason"] == "event-1 is not an accountability case"
    missing = office("suggest", "case-9")
    assert missing.exit_code == 2 and "there is no record case-9" in missing.stderr


def test_duty_check_gives_exactly_the_accountability_findings_the_data_calls_for(office):
    office.add("case", "title=宣传栏违规内容", "circumstance=10", "occurred_on=2024-12-20", "unit=unit-2", login="lina")
    office.add("case", "title=公众号转载错误文章", "circumstance=5", "occurred_on=2024-02-01", "unit=unit-1", login="lina")
    office.add("case_party", "case=case-3", "person=person-2", "kind=main", login="lina")
    for step, login, values in (("investigate", "lina", ()), ("decide", "liumy", ("decision=谈话提醒", "decided_on=2024-03-01", "deciding_body=unit-1", "decision_no=x党〔2024〕1 号"))):
        done = office("transition", "case-3", step, *values, login=login)
        assert done.exit_code == 0, done.stderr
    assert office("edit", "case_party-1", "dissent_recorded=是", "dissent_notes=党委会会议记录", login="lina").exit_code == 0
    rules = ("--rule", "accountability.case-responsible", "--rule", "accountability.case-stale")
    result = office("check", "--year", "2024", "--json", *rules)
    assert result.exit_code == 1
    stale_days = {case: (dt.date.today() - dt.date.fromisoformat(d)).days for case, d in (("case-1", "2024-05-20"), ("case-2", "2024-12-20"))}
    assert result.json() == [
        {"rule": "accountability.case-responsible", "severity": "error", "area": "accountability",
         "message": "公众号转载错误文章: decided without a responsible person (everyone named is exempt by a recorded dissent)",
         "records": ["case-3", "case_party-1"]},
        {"rule": "accountability.case-stale", "severity": "error", "area": "accountability",
         "message": f"研讨会未经事先批准: undecided {stale_days['case-1']} days after it occurred (the limit is 90)", "records": ["case-1"]},
        {"rule": "accountability.case-stale", "severity": "error", "area": "accountability",
         "message": f"宣传栏违规内容: undecided {stale_days['case-2']} days after it occurred (the limit is 90)", "records": ["case-2"]},
    ]
    village = office("check", "--year", "2024", "--unit", "unit-2", "--json", *rules).json()
    assert [f["records"][0] for f in village] == ["case-1", "case-2"], "case-1 names no unit: its event's organising unit counts"


# -- the demo --------------------------------------------------------------------------------------

def test_the_demo_shows_each_severity_and_a_clean_rule_and_a_case_about_an_event(duty_store, duty_registry):
    from duty_tui.demo import create_demo

    today = dt.date.today()
    demo = create_demo(duty_store, duty_registry, "admin", year=today.year)
    assert [f for f in demo.failures if f[0] == "accountability"] == []
    mine = [f for f in run_rules(demo.ledger, today.year, today=today) if f.area == "accountability"]
    assert {(f.rule, f.severity) for f in mine} == {("accountability.case-stale", "error"), ("accountability.case-stale", "warning")}
    cases = demo.ledger.all("case")
    about_an_event = [c for c in cases if c.data.get("event")]
    assert len(about_an_event) == 1, "the demo's cases run after the positions demo's events exist"
    seminar = demo.ledger.get(about_an_event[0].data["event"])
    assert seminar.data["title"] == "乡村振兴研讨会"
    names = [s.name for s in suggest_for_case(demo.ledger, about_an_event[0], today).items]
    assert names[:2] == ["张伟", "刘明宇"], "its organiser and its approver first"
    closed = [c for c in cases if c.state == "closed"]
    assert closed and {e.actor for e in demo.ledger.history(closed[0].id) if e.action == "transition:decide"} == {"liumy"}
