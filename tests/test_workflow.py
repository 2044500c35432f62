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
