"""Workflow: transitions the state allows, guards that give their reason, the role each needs."""

from __future__ import annotations

import pytest


@pytest.fixture
def meeting(cli, with_sample):
    cli("add", "unit", "name=党委", "kind=committee")
    cli("add", "person", "name=刘明宇", "unit=unit-1")
    cli("add", "person", "name=余永福", "unit=unit-1")
    cli("users", "add", "lead", "--role", "leader")
    cli("users", "add", "clerk1", "--role", "clerk")
    assert cli("add", "meeting", "title=报告会", "date=2026-05-01", "organizer=person-2").exit_code == 0
    return cli


def test_a_new_record_starts_in_the_initial_state(meeting):
    assert meeting("show", "meeting-1", "--json").json()["state"] == "draft"


def test_guard_refuses_with_its_reason_and_nothing_changes(meeting):
    refused = meeting("transition", "meeting-1", "approved", login="lead")
    assert refused.exit_code == 2
    assert "approval needs an approver and a date" in refused.stderr
    assert meeting("show", "meeting-1", "--json").json()["state"] == "draft"


def test_values_given_with_the_transition_satisfy_the_guard(meeting):
    done = meeting("transition", "meeting-1", "approved", "approver=person-1", "approved_on=2026-04-20", "--json", login="lead")
    assert done.exit_code == 0, done.stderr
    body = done.json()
    assert body["state"] == "approved" and body["approver"] == "person-1" and body["warnings"] == []
    assert meeting("audit", "meeting-1", "--json").json()[-1]["action"] == "transition:approve"


def test_a_clerk_cannot_approve(meeting):
    refused = meeting("transition", "meeting-1", "approved", "approver=person-1", "approved_on=2026-04-20", login="clerk1")
    assert refused.exit_code == 3
    assert "approve" in refused.stderr


def test_a_warning_does_not_stop_the_transition(meeting):
    done = meeting("transition", "meeting-1", "approve", "approver=person-2", "approved_on=2026-04-20", "--json", login="lead")
    assert done.exit_code == 0
    assert done.json()["warnings"] == ["the approver is also the organiser"]


def test_a_step_the_state_does_not_allow_names_the_possible_ones(meeting):
    refused = meeting("transition", "meeting-1", "held")
    assert refused.exit_code == 2
    assert "approved" in refused.stderr and "cancelled" in refused.stderr


def test_edit_cannot_change_the_state(meeting):
    refused = meeting("edit", "meeting-1", "state=held")
    assert refused.exit_code == 2 and "state" in refused.stderr


def test_transition_checks_the_version(meeting):
    meeting("edit", "meeting-1", "title=报告会(改)")
    stale = meeting("transition", "meeting-1", "cancelled", "--version", "1")
    assert stale.exit_code == 4


# -- a step's own fields and their defaults (Transition.fields, Transition.defaults) ----------------

def test_a_steps_defaults_are_today_and_the_acting_persons_own_for_its_empty_fields():
    import datetime as dt

    from duty_tui.i18n import L
    from duty_tui.schema import DATE, REFERENCE, TEXT, Field, RecordType, State, Transition, Workflow

    approve = Transition("approve", ("draft",), "approved", L("批准", "approve"), role="leader",
                         fields=("approver", "approved_on", "note"))
    rt = RecordType("thing", L("事", "thing"), fields=(
        Field("title", TEXT, L("标题", "Title")), Field("approver", REFERENCE, L("审批人", "Approver"), target="person"),
        Field("approved_on", DATE, L("批准日期", "Approved on")), Field("note", TEXT, L("说明", "Note"))),
        workflow=Workflow((State("draft", L("草稿", "draft")), State("approved", L("已批准", "approved"))), "draft", (approve,)))
    day = dt.date(2026, 3, 15)
    assert approve.defaults(rt, {}, person="person-1", today=day) == {"approver": "person-1", "approved_on": day}
    assert approve.defaults(rt, {}, person=None, today=day) == {"approved_on": day}, "no person: nobody is named for them"
    assert approve.defaults(rt, {"approved_on": dt.date(2026, 3, 1)}, person="person-1", today=day) == {"approver": "person-1"}


def test_every_declared_step_field_is_a_field_of_its_type(duty_registry):
    declared = 0
    for rt in duty_registry.types.values():
        for step in (rt.workflow.transitions if rt.workflow else ()):
            for name in step.fields:
                assert rt.has_field(name), f"{rt.name}: step {step.name} sets {name!r}, which is not a field"
                declared += 1
    assert declared >= 10  # the event's, the self-inspection's and the case's steps
