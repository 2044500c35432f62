"""One person cannot be both 参加 and 缺席 of one study session: a list declared
``exclusive_with`` another is checked by the ledger, so the CLI (and the TUI) refuse it, naming
the field and the person."""

from __future__ import annotations

import pytest

from duty_tui.schema import REFERENCES, TEXT, Field, RecordType, SchemaError
from duty_tui.i18n import L


@pytest.fixture
def people(cli):
    cli("add", "unit", "name=镇党委", "kind=committee")
    for name in ("刘明宇", "王芳", "陈静"):
        assert cli("add", "person", f"name={name}", "unit=unit-1").exit_code == 0
    return cli


def test_cli_refuses_a_person_both_present_and_absent(people):
    cli = people
    result = cli("--lang", "zh", "add", "study_session", "date=2026-03-01", "topic=学习",
                 "attendees=person-1,person-2", "absentees=person-2,person-3")
    assert result.exit_code != 0
    said = result.stdout + result.stderr
    assert "缺席人员" in said and "王芳" in said and "参加人员" in said
    assert "刘明宇" not in said.split("缺席人员", 1)[1]  # only the one in both lists is named
    assert cli("list", "study_session", "--json").json() == []


def test_cli_refuses_an_edit_that_moves_a_person_into_both(people):
    cli = people
    made = cli("add", "study_session", "date=2026-03-01", "topic=学习", "attendees=person-1,person-2", "absentees=person-3")
    assert made.exit_code == 0, made.stderr
    result = cli("--lang", "en", "edit", "study_session-1", "absentees=person-3,person-1")
    assert result.exit_code != 0
    said = result.stdout + result.stderr
    assert "absentees" in said.lower() or "Absentees" in said
    assert "刘明宇 (person-1)" in said or "刘明宇(person-1)" in said
    assert cli("show", "study_session-1", "--json").json()["absentees"] == ["person-3"]
    # taking the person off the attendees makes the same absence fine
    fixed = cli("edit", "study_session-1", "attendees=person-2", "absentees=person-3,person-1", "--json")
    assert fixed.exit_code == 0, fixed.stderr
    assert fixed.json()["absentees"] == ["person-3", "person-1"]


def test_exclusive_with_must_name_another_list_of_the_same_type():
    with pytest.raises(SchemaError, match="exclusive_with"):
        RecordType(name="bad", label=L("坏", "Bad"), fields=(
            Field("title", TEXT, L("名称", "Title")),
            Field("present", REFERENCES, L("到", "Present"), target="person", exclusive_with="title"),
        ))
    with pytest.raises(SchemaError, match="exclusive_with"):
        RecordType(name="bad", label=L("坏", "Bad"), fields=(
            Field("present", REFERENCES, L("到", "Present"), target="person", exclusive_with="nobody"),
        ))
