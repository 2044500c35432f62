"""Two people edit the same record: the second save is refused and says who saved first."""

from __future__ import annotations

import pytest

from duty_tui.errors import Conflict


def test_second_update_from_the_same_version_is_a_conflict(duty_ledger_as):
    alice = duty_ledger_as("alice", "clerk")
    bob = duty_ledger_as("bob", "clerk")
    unit = alice.create("unit", {"name": "一村", "kind": "village"})

    seen_by_alice = alice.get(unit.id)
    seen_by_bob = bob.get(unit.id)
    alice.update(unit.id, {"notes": "alice's note"}, expected_version=seen_by_alice.version)
    with pytest.raises(Conflict) as refused:
        bob.update(unit.id, {"notes": "bob's note"}, expected_version=seen_by_bob.version)

    assert refused.value.by == "alice" and refused.value.actual == 2
    assert "alice" in refused.value.render("en") and "alice" in refused.value.render("zh")
    assert alice.get(unit.id).data["notes"] == "alice's note"


def test_cli_conflict_exits_4_and_keeps_the_first_edit(cli):
    cli("add", "unit", "name=一村", "kind=village")
    cli("users", "add", "bob", "--role", "clerk")
    assert cli("edit", "unit-1", "notes=first", "--version", "1").exit_code == 0
    second = cli("edit", "unit-1", "notes=second", "--version", "1", login="bob")
    assert second.exit_code == 4
    assert "admin" in second.stderr and "version 2" in second.stderr
    assert cli("show", "unit-1", "--json").json()["notes"] == "first"


def test_delete_of_a_changed_record_is_a_conflict(cli):
    cli("add", "unit", "name=一村", "kind=village")
    cli("edit", "unit-1", "notes=x")
    assert cli("delete", "unit-1", "--version", "1").exit_code == 4
    assert cli("show", "unit-1").exit_code == 0
