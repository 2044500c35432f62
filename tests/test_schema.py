"""What a person can type into each kind of field, and what they are told when it is wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from duty_tui.i18n import L
from duty_tui.schema import (BOOL, CHOICE, DATE, INTEGER, LONG_TEXT, MULTI_CHOICE, NUMBER, REFERENCES, TEXT, Field,
                             FieldProblem, RecordType, SchemaError, State, Transition, Workflow, choices)

KIND = Field("kind", CHOICE, L("类别", "Kind"), choices=choices(("village", "村委会", "village"), ("office", "办公室", "office")))


@pytest.mark.parametrize("typed, expected", [("village", "village"), ("村委会", "village"), ("Office", "office")])
def test_choice_takes_its_value_or_either_label(typed, expected):
    assert KIND.coerce(typed) == expected


def test_choice_not_in_the_list_names_the_choices():
    with pytest.raises(FieldProblem) as bad:
        KIND.coerce("城市")
    assert "village (村委会)" in bad.value.reason.render("en")
    assert "不在可选项中" in bad.value.reason.render("zh")


@pytest.mark.parametrize("typed, expected", [("true", True), ("是", True), ("否", False), ("no", False), (True, True)])
def test_bool_words(typed, expected):
    assert Field("b", BOOL, L("b", "b")).coerce(typed) is expected


@pytest.mark.parametrize("typed", ["2026-03-01", "2026/03/01", "2026.3.1", "20260301", "2026年3月1日", dt.datetime(2026, 3, 1, 9)])
def test_dates_are_typed_as_dates(typed):
    assert Field("d", DATE, L("d", "d")).coerce(typed) == dt.date(2026, 3, 1)


@pytest.mark.parametrize("typed, reason", [("2026-02-30", "February 2026 has no day 30"), ("2026-13-01", "there is no month 13"),
                                           ("1.3.2026", "put the year first"), ("26-03-01", "four digits"),
                                           ("soon", "2026-03-01")])
def test_a_wrong_date_says_what_is_wrong(typed, reason):
    with pytest.raises(FieldProblem) as bad:
        Field("d", DATE, L("d", "d")).coerce(typed)
    assert reason in bad.value.reason.render("en")


@pytest.mark.parametrize("typed, expected", [("３", 3), (" -12 ", -12), ("+7", 7)])
def test_integers_take_full_width_digits(typed, expected):
    assert Field("n", INTEGER, L("n", "n")).coerce(typed) == expected


@pytest.mark.parametrize("kind", [INTEGER, NUMBER])
@pytest.mark.parametrize("typed", ["三小时", "3小时", "nan", "1_000", "٣"])
def test_numbers_refuse_what_they_cannot_read(kind, typed):
    with pytest.raises(FieldProblem) as bad:
        Field("n", kind, L("n", "n")).coerce(typed)
    assert typed in bad.value.reason.render("zh") and typed in bad.value.reason.render("en")


def test_numbers_take_full_width_digits():
    assert Field("n", NUMBER, L("n", "n")).coerce("１．５") == 1.5


def test_date_round_trips_through_the_stored_shape():
    f = Field("d", DATE, L("d", "d"))
    assert f.from_stored(f.to_stored(f.coerce("2026-03-01"))) == dt.date(2026, 3, 1)


def test_lists_take_commas_chinese_commas_or_json():
    refs = Field("r", REFERENCES, L("r", "r"), target="person")
    assert refs.coerce("person-1, person-2，person-3") == ["person-1", "person-2", "person-3"]
    assert refs.coerce('["person-1","person-1"]') == ["person-1"]
    tags = Field("t", MULTI_CHOICE, L("t", "t"), choices=choices(("a", "甲", "A"), ("b", "乙", "B")))
    assert tags.coerce("甲、b") == ["a", "b"]


def test_integer_refuses_fractions_and_words():
    f = Field("n", INTEGER, L("n", "n"))
    assert f.coerce("12") == 12
    for bad in ("1.5", "twelve", True):
        with pytest.raises(FieldProblem):
            f.coerce(bad)


def test_number_refuses_nan():
    with pytest.raises(FieldProblem):
        Field("x", NUMBER, L("x", "x")).coerce("nan")


def test_one_line_text_refuses_line_breaks_but_long_text_keeps_them():
    with pytest.raises(FieldProblem):
        Field("t", TEXT, L("t", "t")).coerce("a\nb")
    assert Field("t", LONG_TEXT, L("t", "t")).coerce("a\nb") == "a\nb"


@given(st.text())
def test_control_characters_never_pass_a_text_field(text):
    f = Field("t", LONG_TEXT, L("t", "t"))
    try:
        value = f.coerce(text)
    except FieldProblem:
        return
    assert value is None or all(ch in "\n\t" or ord(ch) >= 32 and not 0x7F <= ord(ch) <= 0x9F for ch in value)


def test_validators_give_their_reason():
    f = Field("n", INTEGER, L("n", "n"), validators=(lambda v: L("太大", "too big") if v > 10 else None,))
    with pytest.raises(FieldProblem) as bad:
        f.coerce("11")
    assert bad.value.reason.render("en") == "too big"


def test_declaration_mistakes_are_caught_at_registration():
    with pytest.raises(SchemaError):
        Field("Bad Name", TEXT, L("x", "x"))
    with pytest.raises(SchemaError):
        Field("version", TEXT, L("x", "x"))
    with pytest.raises(SchemaError):
        Field("c", CHOICE, L("x", "x"))
    with pytest.raises(SchemaError):
        Workflow(states=(State("a", L("a", "a")),), initial="a",
                 transitions=(Transition("go", ("a",), "b", L("go", "go")),))
    with pytest.raises(SchemaError):
        RecordType("t", L("t", "t"), (Field("a", TEXT, L("a", "a")),), year_field="a")


def test_a_count_of_records_reads_with_its_types_own_measure_word(duty_registry):
    from duty_tui.schema import count_text

    leaders, activities = duty_registry.types["leader"], duty_registry.types["liaison_activity"]
    assert count_text(leaders, 6).render("zh") == "6 人", "领导小组成员 6 人, not 6 条"
    assert (count_text(leaders, 6).render("en"), count_text(leaders, 1).render("en")) == ("6 members", "1 member")
    assert (count_text(activities, "1,234").render("en"), count_text(activities, 1).render("en")) == ("1,234 activities", "1 activity")
    assert count_text(duty_registry.types["event"], 3).render("zh") == "3 场"
    assert (count_text(None, 2).render("zh"), count_text(None, 2).render("en")) == ("2 条", "2 records")


def test_a_count_label_must_hold_the_number_in_both_languages():
    with pytest.raises(SchemaError, match="count_label"):
        RecordType("thing", L("东西", "Thing"), (Field("name", TEXT, L("名称", "Name")),), count_label=L("个", "{n} things"))
