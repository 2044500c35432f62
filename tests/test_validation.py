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
    assert "name: 必填（姓名）" in result.stderr


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
    assert result.exit_code == 2 and "date" in result.stderr and "February 2026 has no day 30" in result.stderr
    result = cli("add", "meeting", "title=学习", "date=3/1/2026")
    assert result.exit_code == 2 and "date" in result.stderr
    assert audit_len(cli) == before


def test_plugin_validation_hook_refuses_and_nothing_is_written(cli, with_sample):
    before = audit_len(cli)
    result = cli("add", "meeting", "title=forbidden", "date=2026-03-01")
    assert result.exit_code == 2 and "not allowed" in result.stderr
    assert audit_len(cli) == before


@pytest.mark.parametrize("typed, stored", [("2026/3/1", "2026-03-01"), ("2026.3.1", "2026-03-01"), ("20260301", "2026-03-01"),
                                           ("2026年3月1日", "2026-03-01"), ("２０２６－０３－０１", "2026-03-01")])
def test_the_cli_reads_dates_as_clerks_write_them(cli, typed, stored):
    new = cli("add", "study_session", f"date={typed}", "topic=学习", "hours=２", "--json")
    assert new.exit_code == 0, new.stderr
    shown = cli("show", new.json()["id"], "--json").json()
    assert (shown["date"], shown["hours"]) == (stored, 2)


def test_the_cli_puts_a_date_without_a_year_in_this_year(cli):
    import datetime as dt

    new = cli("add", "study_session", "date=3月1日", "topic=学习", "--json")
    assert cli("show", new.json()["id"], "--json").json()["date"] == f"{dt.date.today().year}-03-01"


@pytest.mark.parametrize("typed, zh, en", [
    ("2026/13/45", "没有 13 月", "there is no month 13"),
    ("2026-02-30", "2026年2月没有30日", "February 2026 has no day 30"),
    ("9999-12-31", "1949–2100", "from 1949 to 2100"),
    ("3/1/2026", "年份应写在前面", "put the year first"),
])
def test_the_cli_says_what_is_wrong_with_a_date_in_both_languages(cli, typed, zh, en):
    before = audit_len(cli)
    result = cli("add", "study_session", f"date={typed}", "topic=学习")
    assert result.exit_code == 2 and "date" in result.stderr and en in result.stderr
    result = cli("--lang", "zh", "add", "study_session", f"date={typed}", "topic=学习")
    assert result.exit_code == 2 and zh in result.stderr
    assert audit_len(cli) == before


def test_the_cli_refuses_hours_it_cannot_read(cli):
    result = cli("add", "study_session", "date=2026-03-01", "topic=学习", "hours=三小时")
    assert result.exit_code == 2 and "hours" in result.stderr and "三小时" in result.stderr
