"""The positions plugin: events approved by a leader and filed with the propaganda department
before they are held, outlets with a responsible person and their reviews. The workflow's
guards through the ledger and the CLI, each rule at its boundary, the year semantics, and
what each coming event still lacks."""

from __future__ import annotations

import datetime as dt

import pytest

from duty_tui.errors import NotPermitted, ValidationError
from duty_tui.rules import Fix, run_rules

from duty_tui_plugins.positions.upcoming import coming_events, event_lacks, list_filter

from .helpers import refusal, rule_findings

# Of the installed plugins, only the backends and this one: another domain plugin's rules would
# add their own findings to the checks below.
pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "positions")

YEAR = 2025
DURING = dt.date(2025, 6, 30)
AFTER = dt.date(2026, 1, 15)


@pytest.fixture
def town(duty_admin, duty_ledger_as):
    """Units and persons, the clerk 李娜 (lina) who enters events and the leader 刘明宇 (liumy)."""
    ledger = duty_admin
    ids = {"committee": ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id}
    for name, kind in (("宣传办公室", "office"), ("东风村", "village")):
        ids[name] = ledger.create("unit", {"name": name, "kind": kind, "parent": ids["committee"]}).id
    for name in ("刘明宇", "余永福", "李娜"):
        ids[name] = ledger.create("person", {"name": name, "unit": ids["committee"]}).id
    clerk, leader = duty_ledger_as("lina", "clerk"), duty_ledger_as("liumy", "leader")
    return type("Town", (), {"admin": ledger, "clerk": clerk, "leader": leader, "ids": ids})


def new_event(town, date="2025-05-20", unit="宣传办公室", organizer="余永福", **more):
    values = {"title": "意识形态专题讲座", "kind": "lecture", "date": date, "organizer_unit": town.ids[unit],
              "organizer": town.ids[organizer] if organizer else None, "speakers": "市委党校 张教授", "venue": "礼堂", **more}
    return town.clerk.create("event", values).id


def through(town, event_id, approved_on="2025-05-10", filed_on="2025-05-12", approver="刘明宇", hold=True):
    """Submit, approve, file (and hold) an event, each step by the person whose step it is."""
    town.clerk.transition(event_id, "submit")
    town.leader.transition(event_id, "approve", values={"approver": town.ids[approver], "approved_on": approved_on})
    if filed_on:
        town.clerk.transition(event_id, "file", values={"filed_on": filed_on})
    if hold:
        town.clerk.transition(event_id, "hold")
    return town.admin.get(event_id)


def findings(town, rule, today, unit=None, lang="en"):
    return rule_findings(town.admin, YEAR, rule, today, unit, lang)


# -- the plugin as installed ---------------------------------------------------------------------

def test_the_plugin_loads_from_its_entry_point_with_its_types_rules_and_settings(duty_registry):
    info = duty_registry.info("positions")
    assert info.status == "loaded" and info.source == "duty-tui" and info.module == "duty_tui_plugins.positions"
    assert {"event", "speaker", "outlet", "outlet_review"} <= set(duty_registry.types)
    assert {r for r in duty_registry.rules if r.startswith("positions.")} == {
        "positions.event-approved", "positions.event-filed", "positions.outlet-responsible", "positions.outlet-review",
        "positions.speaker-vetted", "positions.outlet-review-interval"}
    assert duty_registry.settings["positions.outlet-review.min"].default == 1
    assert duty_registry.settings["positions.upcoming.days"].default == 30
    assert "positions.coming-events" in duty_registry.screens


def test_duty_types_and_plugins_json_show_the_workflow_and_the_entry_point(cli):
    event = next(t for t in cli("types", "--json").json() if t["name"] == "event")
    assert event["plugin"] == "positions" and event["year_field"] == "date"
    assert {"title", "kind", "organizer_unit", "organizer", "speakers", "date", "venue", "approver", "approved_on",
            "filed_on", "filing_no"} <= {f["name"] for f in event["fields"]}
    steps = {(t["name"], tuple(t["from"]), t["to"], t["role"]) for t in event["workflow"]["transitions"]}
    assert ("approve", ("submitted",), "approved", "leader") in steps
    assert ("reject", ("submitted",), "rejected", "leader") in steps
    # one state after the other: filed only once approved, held only once filed (no state passed over)
    assert ("file", ("approved",), "filed", "clerk") in steps
    assert ("hold", ("filed",), "held", "clerk") in steps
    plugins = {p["name"]: p for p in cli("plugins", "--json").json()}
    assert plugins["positions"]["status"] == "loaded" and plugins["positions"]["source"] == "duty-tui"


# -- the workflow through the ledger -----------------------------------------------------------------

def test_an_event_goes_from_draft_to_held_each_step_by_the_right_person(town):
    event = through(town, new_event(town))
    assert event.state == "held"
    assert [(e.action, e.actor) for e in town.admin.history(event.id)] == [
        ("create", "lina"), ("transition:submit", "lina"), ("transition:approve", "liumy"),
        ("transition:file", "lina"), ("transition:hold", "lina")]


def test_submitting_needs_the_organiser(town):
    event = new_event(town, organizer=None)
    assert refusal(lambda: town.clerk.transition(event, "submit")) == [
        "name the organiser before submitting it (whoever organises answers for it)"]
    town.clerk.transition(event, "submit", values={"organizer": town.ids["余永福"]})
    assert town.admin.get(event).state == "submitted"


def test_only_a_leader_approves_and_only_with_approver_and_date(town):
    event = new_event(town)
    town.clerk.transition(event, "submit")
    with pytest.raises(NotPermitted):
        town.clerk.transition(event, "approve", values={"approver": town.ids["刘明宇"], "approved_on": "2025-05-10"})
    assert refusal(lambda: town.leader.transition(event, "approve")) == ["approval needs the approver and the approval date"]
    assert refusal(lambda: town.leader.transition(event, "approve", values={"approver": town.ids["刘明宇"]})) == [
        "approval needs the approver and the approval date"]
    approved = town.leader.transition(event, "approve", values={"approver": town.ids["刘明宇"], "approved_on": "2025-05-10"})
    assert approved.state == "approved" and approved.warnings == ()


def test_an_approver_who_is_also_the_organiser_is_warned_about_but_not_stopped(town):
    event = new_event(town, organizer="刘明宇")
    town.clerk.transition(event, "submit")
    approved = town.leader.transition(event, "approve", values={"approver": town.ids["刘明宇"], "approved_on": "2025-05-10"})
    assert approved.state == "approved"
    assert [w.render("en") for w in approved.warnings] == [
        "the approver is also the organiser: whoever organises answers for it and whoever approves supervises it, "
        "so another leader should approve"]


def test_an_event_is_not_filed_before_it_is_approved(town):
    event = new_event(town)
    town.clerk.transition(event, "submit")
    assert refusal(lambda: town.clerk.transition(event, "file", values={"filed_on": "2025-05-12"}))[0].startswith(
        "cannot go from 'submitted' to 'file'")
    # nor by giving the approval's fields to the filing step: that would pass over the leader's step
    assert refusal(lambda: town.clerk.transition(event, "file", values={
        "approver": town.ids["刘明宇"], "approved_on": "2025-05-10", "filed_on": "2025-05-12"}))[0].startswith(
        "cannot go from 'submitted' to 'file'")
    town.leader.transition(event, "approve", values={"approver": town.ids["刘明宇"], "approved_on": "2025-05-10"})
    assert refusal(lambda: town.clerk.transition(event, "file")) == ["filing needs the filing date"]
    assert refusal(lambda: town.clerk.transition(event, "file", values={"filed_on": "2025-05-09"})) == [
        "filed on 2025-05-09, before its approval on 2025-05-10: it is approved first, then filed"]
    assert town.clerk.transition(event, "file", values={"filed_on": "2025-05-10"}).state == "filed"


def test_an_event_is_not_held_before_it_is_approved_and_filed_on_or_before_its_date(town):
    never_filed = through(town, new_event(town), filed_on=None, hold=False)
    assert refusal(lambda: town.clerk.transition(never_filed.id, "hold")) == [
        "cannot go from 'approved' to 'hold'; possible: filed (备案), cancelled (取消)"]
    # the filing date given to the holding step does not pass over the filing step
    assert refusal(lambda: town.clerk.transition(never_filed.id, "hold", values={"filed_on": "2025-05-12"}))[0].startswith(
        "cannot go from 'approved' to 'hold'")
    late = through(town, new_event(town, date="2025-05-20"), approved_on="2025-05-21", filed_on="2025-05-22", hold=False)
    # what happened is not rewritten: the refusal says to treat it as a problem
    assert refusal(lambda: town.clerk.transition(late.id, "hold")) == [
        "approved on 2025-05-21, after the event's date 2025-05-20: it took place without prior approval; "
        "treat that as a problem to record and rectify, not as dates to rewrite",
        "filed on 2025-05-22, after the event's date 2025-05-20: it took place without prior filing; "
        "treat that as a problem to record and rectify, not as dates to rewrite"]
    assert town.admin.get(late.id).state == "filed", "a refused step changes nothing"


def test_an_event_is_not_held_before_its_date(town):
    today = town.clerk.today()
    tomorrow = today + dt.timedelta(days=1)
    coming = through(town, new_event(town, date=tomorrow.isoformat()), approved_on=today.isoformat(),
                     filed_on=today.isoformat(), hold=False)
    assert refusal(lambda: town.clerk.transition(coming.id, "hold")) == [
        f"the event's date {tomorrow} has not come yet (today is {today}): mark it held once it has taken place"]
    assert town.admin.get(coming.id).state == "filed"
    on_the_day = through(town, new_event(town, date=today.isoformat()), approved_on=today.isoformat(),
                         filed_on=today.isoformat())
    assert on_the_day.state == "held"


def test_a_submitted_event_may_be_rejected_by_a_leader_and_any_event_not_held_cancelled(town):
    rejected, cancelled = new_event(town), new_event(town)
    town.clerk.transition(rejected, "submit")
    with pytest.raises(NotPermitted):
        town.clerk.transition(rejected, "reject")
    assert town.leader.transition(rejected, "reject").state == "rejected"
    town.clerk.transition(cancelled, "submit")
    assert town.clerk.transition(cancelled, "cancel").state == "cancelled"
    held = through(town, new_event(town))
    assert refusal(lambda: town.clerk.transition(held.id, "cancel"))[0].startswith("cannot go from 'held' to 'cancel'")


def test_an_approval_is_not_typed_in_by_a_clerk(town):
    event = new_event(town)
    assert refusal(lambda: town.clerk.update(event, {"approver": town.ids["刘明宇"], "approved_on": "2025-05-01"})) == [
        "an approval is recorded by a leader through the workflow's “approve” step, not typed in"] * 2
    with pytest.raises(ValidationError):
        new_event(town, approver=town.ids["刘明宇"])
    approved = through(town, event, filed_on=None, hold=False)
    assert town.leader.update(approved.id, {"approved_on": "2025-05-11"}).data["approved_on"] == dt.date(2025, 5, 11)


# -- the workflow through the CLI ----------------------------------------------------------------

@pytest.fixture
def office(cli):
    """Data entered only through the CLI, as the clerk and the leader would."""
    cli.add("unit", "name=xx镇党委", "kind=committee")
    cli.add("unit", "name=宣传办公室", "kind=office", "parent=unit-1")
    cli.add("unit", "name=东风村", "kind=village", "parent=unit-1")
    for name in ("刘明宇", "余永福", "李娜"):
        cli.add("person", f"name={name}", "unit=unit-1")
    assert cli("users", "add", "liumy", "--role", "leader", "--person", "person-1").exit_code == 0
    assert cli("users", "add", "lina", "--role", "clerk", "--person", "person-3").exit_code == 0
    return cli


def step(cli, event_id, state, *values, login="lina"):
    result = cli("transition", event_id, state, *values, login=login)
    assert result.exit_code == 0, result.stderr
    return result


def test_holding_an_event_never_filed_exits_2_with_the_next_step_named(office):
    for title in ("报告会", "研讨会", "讲座"):
        office.add("event", f"title={title}", "kind=讲座", "date=2025-05-20", "organizer_unit=unit-2", "organizer=person-2", login="lina")
    step(office, "event-3", "submitted")
    step(office, "event-3", "approved", "approver=person-1", "approved_on=2025-05-10", login="liumy")
    refused = office("transition", "event-3", "held", login="lina")
    assert refused.exit_code == 2
    assert "cannot go from 'approved' to 'held'; possible: filed (备案)" in refused.stderr
    assert office("show", "event-3", "--json").json()["state"] == "approved"
    step(office, "event-3", "file", "filed_on=2025-05-25")  # after the event: a warning, and holding is refused
    as_json = office("transition", "event-3", "held", "--json", login="lina")
    assert as_json.json()["fields"] == [{
        "field": "state", "reason": "filed on 2025-05-25, after the event's date 2025-05-20: it took place without prior filing; "
                                    "treat that as a problem to record and rectify, not as dates to rewrite",
        "reason_zh": "备案日期 2025-05-25 晚于活动日期 2025-05-20：这次活动未经事先备案，应作为问题处理（登记、说明、整改），而不是改写日期"}]
    step(office, "event-2", "submit")
    clerk_approves = office("transition", "event-2", "approved", "approver=person-1", "approved_on=2025-05-10", login="lina")
    assert clerk_approves.exit_code == 3


def test_duty_transition_fills_the_steps_own_fields_with_the_users_person_and_today(office):
    office.add("event", "title=讲座", "kind=lecture", "date=2025-05-20", "organizer_unit=unit-2", "organizer=person-2", login="lina")
    step(office, "event-1", "submit")
    approved = step(office, "event-1", "approve", "--json", login="liumy").json()
    today = dt.date.today().isoformat()
    assert approved["state"] == "approved"
    assert approved["approver"] == "person-1" and approved["approved_on"] == today
    filed = step(office, "event-1", "file", "filing_no=宣备 7 号")
    assert f"defaults: filed_on={today}" in filed.stderr
    assert office("show", "event-1", "--json").json()["filed_on"] == today


def test_the_warning_is_printed_when_the_approver_is_the_organiser(office):
    office.add("event", "title=宣讲", "kind=lecture", "date=2025-05-20", "organizer_unit=unit-2", "organizer=person-1")
    step(office, "event-1", "submit")
    done = step(office, "event-1", "approve", "approver=person-1", "approved_on=2025-05-10", "--json", login="liumy")
    assert done.json()["state"] == "approved" and done.json()["warnings"][0].startswith("the approver is also the organiser")


def test_duty_check_gives_exactly_the_positions_findings_the_data_calls_for(office):
    add = office.add
    add("event", "title=合规报告会", "kind=report_meeting", "date=2024-05-20", "organizer_unit=unit-2", "organizer=person-2", login="lina")
    add("event", "title=迟批研讨会", "kind=seminar", "date=2024-06-10", "organizer_unit=unit-3", "organizer=person-2", login="lina")
    add("event", "title=未批讲座", "kind=lecture", "date=2024-07-01", "organizer_unit=unit-3", "organizer=person-2", login="lina")
    add("event", "title=取消的论坛", "kind=forum", "date=2024-08-01", "organizer_unit=unit-2", "organizer=person-2", login="lina")
    for event in ("event-1", "event-2"):
        step(office, event, "submit")
    step(office, "event-1", "approve", "approver=person-1", "approved_on=2024-05-10", login="liumy")
    step(office, "event-1", "file", "filed_on=2024-05-12")
    step(office, "event-1", "hold")
    step(office, "event-2", "approve", "approver=person-1", "approved_on=2024-06-11", login="liumy")  # the day after
    step(office, "event-2", "file", "filed_on=2024-06-12")
    step(office, "event-4", "cancel")
    add("outlet", "name=镇政府网站", "kind=website", "unit=unit-2", "responsible=person-3", "last_review=2024-12-20")  # within 30 days
    add("outlet", "name=东风村宣传栏", "kind=bulletin", "unit=unit-3")
    add("outlet_review", "outlet=outlet-2", "date=2023-11-01")
    add("outlet", "name=旧公众号", "kind=new_media", "unit=unit-2", "status=closed")

    result = office("check", "--year", "2024", "--json")
    assert result.exit_code == 1
    assert result.json() == [
        {"rule": "positions.event-approved", "severity": "error", "area": "positions",
         "message": "迟批研讨会 (2024-06-10): approved on 2024-06-11, after its date", "records": ["event-2"]},
        {"rule": "positions.event-approved", "severity": "error", "area": "positions",
         "message": "未批讲座 (2024-07-01): not approved", "records": ["event-3"]},
        {"rule": "positions.event-filed", "severity": "error", "area": "positions",
         "message": "迟批研讨会 (2024-06-10): filed on 2024-06-12, after its date", "records": ["event-2"]},
        {"rule": "positions.event-filed", "severity": "error", "area": "positions",
         "message": "未批讲座 (2024-07-01): not filed with the municipal propaganda department", "records": ["event-3"]},
        {"rule": "positions.outlet-responsible", "severity": "error", "area": "positions",
         "message": "东风村宣传栏: no responsible person", "records": ["outlet-2"]},
        {"rule": "positions.outlet-review", "severity": "error", "area": "positions",
         "message": "东风村宣传栏: reviewed 0 of 1 times in 2024", "records": ["outlet-2"],
         "fix": {"type": "outlet_review", "values": {"outlet": "outlet-2"}}},
        {"rule": "positions.outlet-review-interval", "severity": "error", "area": "positions",
         "message": "东风村宣传栏: last reviewed 2023-11-01, due every 90 days (by 2024-01-30)",
         "records": ["outlet-2"], "fix": {"type": "outlet_review", "values": {"outlet": "outlet-2"}}},
    ]
    village_only = office("check", "--year", "2024", "--unit", "unit-3", "--json").json()
    assert {f["records"][0] for f in village_only} == {"event-2", "event-3", "outlet-2"}
    office_only = office("check", "--year", "2024", "--unit", "unit-2", "--json")
    assert office_only.exit_code == 0 and office_only.json() == []


# -- the rules at their boundaries -----------------------------------------------------------------

def test_an_event_approved_on_its_date_passes_and_the_day_after_fails(town):
    on_the_day = through(town, new_event(town, date="2025-05-20"), approved_on="2025-05-20", filed_on="2025-05-20")
    late = through(town, new_event(town, date="2025-05-20"), approved_on="2025-05-21", filed_on=None, hold=False)
    assert findings(town, "positions.event-approved", DURING) == [
        ("error", "意识形态专题讲座 (2025-05-20): approved on 2025-05-21, after its date", [late.id])]
    assert on_the_day.state == "held"
    assert findings(town, "positions.event-approved", DURING, lang="zh")[0][1] == "意识形态专题讲座（2025-05-20）：2025-05-21 才批准，晚于举办日期"


def test_an_event_is_judged_once_its_date_has_passed_or_it_was_held(town):
    draft = new_event(town, date="2025-06-29")
    tomorrow = new_event(town, date="2025-07-01")
    today = new_event(town, date="2025-06-30")
    assert [f[2] for f in findings(town, "positions.event-approved", DURING)] == [[draft]], "today's and tomorrow's are still coming"
    assert [f[0] for f in findings(town, "positions.event-approved", DURING)] == ["error"], "what was late cannot be put right"
    for event in (tomorrow, today):
        town.clerk.transition(event, "cancel")
    assert [f[2] for f in findings(town, "positions.event-approved", AFTER)] == [[draft]], "cancelled events are not judged"


def test_an_event_must_be_filed_on_or_before_its_date(town):
    on_time = through(town, new_event(town, date="2025-05-20"), filed_on="2025-05-20")
    unfiled = through(town, new_event(town, date="2025-05-20"), filed_on=None, hold=False)
    assert on_time.state == "held"
    assert findings(town, "positions.event-filed", DURING) == [
        ("error", "意识形态专题讲座 (2025-05-20): not filed with the municipal propaganda department", [unfiled.id])]
    town.clerk.transition(unfiled.id, "file", values={"filed_on": "2025-05-21"})
    assert [f[1] for f in findings(town, "positions.event-filed", DURING)] == ["意识形态专题讲座 (2025-05-20): filed on 2025-05-21, after its date"]


def test_an_outlet_without_a_responsible_person_is_a_warning_while_the_year_runs(town):
    outlet = town.clerk.create("outlet", {"name": "公众号", "kind": "new_media", "unit": town.ids["宣传办公室"]}).id
    assert findings(town, "positions.outlet-responsible", DURING) == [("warning", "公众号: no responsible person", [outlet])]
    assert findings(town, "positions.outlet-responsible", AFTER)[0][0] == "error"
    town.clerk.update(outlet, {"responsible": town.ids["李娜"]})
    assert findings(town, "positions.outlet-responsible", AFTER) == []


def test_each_outlet_is_reviewed_in_the_year(town):
    site = town.clerk.create("outlet", {"name": "网站", "kind": "website", "unit": town.ids["宣传办公室"], "responsible": town.ids["李娜"]}).id
    town.clerk.create("outlet", {"name": "明年开设", "kind": "website", "unit": town.ids["宣传办公室"], "opened_on": "2026-02-01"})
    town.clerk.create("outlet", {"name": "已停用", "kind": "bulletin", "unit": town.ids["东风村"], "status": "closed"})
    assert findings(town, "positions.outlet-review", DURING) == [("warning", "网站: reviewed 0 of 1 times in 2025", [site])]
    assert findings(town, "positions.outlet-review", DURING, lang="zh")[0][1] == "网站：2025年巡查 0/1 次"
    [shortfall] = run_rules(town.admin, YEAR, today=DURING, rule_ids=["positions.outlet-review"])
    assert shortfall.fix == Fix("outlet_review", {"outlet": site, "reviewer": town.ids["李娜"]}), \
        "Enter on the finding opens a review of that outlet, its responsible person as reviewer"
    review = town.clerk.create("outlet_review", {"outlet": site, "date": "2025-04-01"}).id
    assert findings(town, "positions.outlet-review", AFTER) == []
    town.admin.set_setting("positions.outlet-review.min", 2)
    town.clerk.update(site, {"last_review": "2025-04-01"})
    assert findings(town, "positions.outlet-review", AFTER) == [("error", "网站: reviewed 1 of 2 times in 2025", [site, review])], \
        "a last-review date that a review record already has counts once"
    town.clerk.update(site, {"last_review": "2025-10-01"})
    assert findings(town, "positions.outlet-review", AFTER) == []


# -- what coming events still lack ----------------------------------------------------------------

def test_a_coming_event_lacks_less_as_it_moves_along(town):
    event = new_event(town, date="2025-07-10", speakers="", venue="")
    lacks = lambda: [item.render("en") for item in event_lacks(town.admin.get(event).data, town.admin.get(event).state)]  # noqa: E731
    assert lacks() == ["submission for approval", "approval by a leader", "filing with the propaganda department",
                       "the speakers", "a venue"]
    town.clerk.update(event, {"speakers": "张教授", "venue": "礼堂"})
    town.clerk.transition(event, "submit")
    assert lacks() == ["approval by a leader", "filing with the propaganda department"]
    town.leader.transition(event, "approve", values={"approver": town.ids["余永福"], "approved_on": "2025-07-01"})
    assert lacks() == ["filing with the propaganda department", "an approver other than the organiser"]
    town.clerk.transition(event, "file", values={"filed_on": "2025-07-02"})
    assert [item.render("zh") for item in event_lacks(town.admin.get(event).data, "filed")] == ["组织者以外的审批人"]


def test_coming_events_are_those_of_the_next_30_days_not_yet_held_or_called_off(town):
    today = dt.date(2025, 6, 1)
    ids = {days: new_event(town, date=(today + dt.timedelta(days=days)).isoformat()) for days in (-1, 0, 12, 30, 31)}
    town.clerk.transition(ids[12], "cancel")
    coming = coming_events(town.admin, today)
    assert [(e.record.id, e.days) for e in coming] == [(ids[0], 0), (ids[30], 30)]
    assert [item.render("en") for item in coming[0].lacks][:1] == ["submission for approval"]
    town.admin.set_setting("positions.upcoming.days", 31)
    assert [e.days for e in coming_events(town.admin, today)] == [0, 30, 31]
    assert list_filter(town.admin, today, 30) == "date>=2025-06-01 date<=2025-07-01 state!=held state!=rejected state!=cancelled"


def test_duty_coming_events_prints_what_each_lacks(office):
    soon = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    office.add("event", "title=网络文明讲座", "kind=lecture", f"date={soon}", "organizer_unit=unit-2", "organizer=person-2")
    listed = office("coming-events", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert listed.json() == [{"id": "event-1", "title": "网络文明讲座", "date": soon, "state": "draft", "days": 3,
                              "lacks": ["submission for approval", "approval by a leader", "filing with the propaganda department",
                                        "the speakers", "a venue"]}]
    assert "网络文明讲座" in office("coming-events").stdout
    zh = office("--lang", "zh", "coming-events").stdout
    assert "草稿" in zh and "draft" not in zh, "the state in the operator's words, its code only in --json"
    shown = office("--lang", "zh", "show", "event-1").stdout
    assert "草稿" in shown and "(draft)" not in shown
    types = office("--lang", "zh", "types", "event").stdout.splitlines()[0]
    assert types.startswith("event  报告会") and "[阵地管理]" in types and "插件 positions" in types


# -- the demo ------------------------------------------------------------------------------------

def test_the_demo_shows_each_severity_and_a_clean_rule_in_positions(duty_store, duty_registry):
    from duty_tui.demo import create_demo

    today = dt.date.today()
    demo = create_demo(duty_store, duty_registry, "admin", year=today.year)
    assert [f for f in demo.failures if f[0] == "positions"] == []
    mine = [f for f in run_rules(demo.ledger, today.year, today=today) if f.area == "positions"]
    clean = {r for r in duty_registry.rules if r.startswith("positions.")} - {f.rule for f in mine}
    if today > dt.date(today.year, 1, 1):
        assert {f.severity for f in mine} == {"error", "warning"}
        assert clean == {"positions.outlet-responsible"}
    else:  # on 1 January nothing of the year took place before today, so no event of it can have been late
        assert {f.rule for f in mine if f.severity == "error"} == {"positions.outlet-review-interval"}, "only reviews can be overdue"
        assert clean == {"positions.outlet-responsible", "positions.event-approved", "positions.event-filed"}
        last_year = {f.rule for f in run_rules(demo.ledger, today.year - 1, today=today) if f.area == "positions"}
        assert {"positions.event-approved", "positions.event-filed"} <= last_year, "the late seminar took place yesterday"
    assert len(coming_events(demo.ledger, today)) == 3
    approvals = [e for e in demo.ledger.history() if e.action == "transition:approve"]
    assert approvals and {e.actor for e in approvals} == {"liumy"}, "approved by the demo's leader, not the admin"
