"""Bad input: every bad field named at once, exit 2, nothing written."""

from __future__ import annotations

import pytest


def audit_len(cli):
    return len(cli("audit", "--json").json())


@pytest.fixture
def town(cli):
    cli("add", "unit", "name=一村", "kind=village")
    return cli


@pytest.mark.parametrize(
    "args, field",
    [
        (("add", "person", "name="), "name"),
        (("add", "person", "name=张三", "unit=unit-99"), "unit"),
        (("add", "unit", "name=二村", "kind=城市"), "kind"),
        (("add", "person", "name=张三", "unit=person-1"), "unit"),
        (("add", "person", "name=张三", "colour=red"), "colour"),
        (("add", "person", "name=张三\x07"), "name"),
        (("add", "person", "name=张三", "unit=一村"), "unit"),
    ],
)
def test_bad_value_exits_2_names_the_field_and_writes_nothing(town, args, field):
    before = audit_len(town)
    result = town(*args, "--json")
    assert result.exit_code == 2
    assert field in result.stderr
    assert [e["field"] for e in result.json()["fields"]] == [field]
    assert audit_len(town) == before
    assert town("list", "person", "--json").json() == []


def test_every_bad_field_is_reported_at_once(town):
    result = town("add", "person", "name=", "unit=unit-9", "phone=1\n2", "--json")
    assert result.exit_code == 2
    assert sorted(e["field"] for e in result.json()["fields"]) == ["name", "phone", "unit"]


def test_chinese_messages_name_the_field(town):
    result = town("--lang", "zh", "add", "person", "name=")
    assert result.exit_code == 2
    assert "name: 必填(姓名)" in result.stderr


def test_malformed_assignment_is_bad_input(town):
    result = town("add", "person", "name")
    assert result.exit_code == 2 and "FIELD=VALUE" in result.stderr


def test_a_unit_cannot_sit_under_itself(town):
    town("add", "unit", "name=片区", "kind=other", "parent=unit-1")
    looped = town("edit", "unit-1", "parent=unit-2")
    assert looped.exit_code == 2 and "parent" in looped.stderr
    assert town("show", "unit-1", "--json").json()["parent"] is None


def test_bad_date_in_a_plugin_type(cli, with_sample):
    before = audit_len(cli)
    result = cli("add", "meeting", "title=学习", "date=2026-02-30")
    assert result.exit_code == 2 and "date" in result.stderr and "2026-03-01" in result.stderr
    result = cli("add", "meeting", "title=学习", "date=3/1/2026")
    assert result.exit_code == 2 and "date" in result.stderr
    assert audit_len(cli) == before


def test_plugin_validation_hook_refuses_and_nothing_is_written(cli, with_sample):
    before = audit_len(cli)
    result = cli("add", "meeting", "title=forbidden", "date=2026-03-01")
    assert result.exit_code == 2 and "not allowed" in result.stderr
    assert audit_len(cli) == before
