"""Dates as clerks type them (duty_tui.dates): every form read the same way, and every mistake
named precisely in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from duty_tui.dates import MAX_YEAR, MIN_YEAR, DateProblem, parse_date

MARCH_1 = dt.date(2026, 3, 1)


@pytest.mark.parametrize("typed", [
    "2026-03-01", "2026-3-1", "2026/3/1", "2026/03/01", "2026.3.1", "20260301", "2026年3月1日", "2026年03月01日",
    "2026年3月1号", "2026年3月1", " 2026 - 3 - 1 ", "２０２６－０３－０１", "２０２６／３／１", "２０２６年３月１日", "2026。3。1",
    MARCH_1, dt.datetime(2026, 3, 1, 23, 59),
])
def test_every_form_a_clerk_types_is_the_same_day(typed):
    assert parse_date(typed) == MARCH_1


@pytest.mark.parametrize("typed", ["3月1日", "3月1号", "03月01日", "３月１日", "3/1", "3-1", "3.1"])
def test_a_date_without_a_year_is_in_the_year_of_its_context(typed):
    assert parse_date(typed, year=2025) == dt.date(2025, 3, 1)
    assert parse_date(typed, today=dt.date(2027, 12, 31)) == dt.date(2027, 3, 1)
    assert parse_date(typed) == dt.date(dt.date.today().year, 3, 1)


def reason(typed, **context) -> tuple[str, str]:
    with pytest.raises(DateProblem) as bad:
        parse_date(typed, **context)
    return bad.value.reason.render("zh"), bad.value.reason.render("en")


@pytest.mark.parametrize("typed, zh, en", [
    ("2026-13-45", "没有 13 月", "there is no month 13"),
    ("2026/13/45", "没有 13 月", "there is no month 13"),
    ("20261345", "没有 13 月", "there is no month 13"),
    ("2026-00-10", "没有 0 月", "there is no month 0"),
    ("13月1日", "没有 13 月", "there is no month 13"),
    ("2026-02-30", "2026年2月没有30日", "February 2026 has no day 30"),
    ("2026年2月29日", "2026年2月没有29日（这个月有 28 天）", "February 2026 has no day 29 (it has 28 days)"),
    ("2026-04-31", "2026年4月没有31日", "April 2026 has no day 31"),
    ("2026-03-00", "2026年3月没有0日", "March 2026 has no day 0"),
    ("26-3-1", "年份应写全四位", "four digits"),
    ("3/1/2026", "年份应写在前面，按 年/月/日", "put the year first, then the month and the day"),
    ("1.3.2026", "年份应写在前面", "put the year first"),
])
def test_a_wrong_date_is_told_precisely(typed, zh, en):
    said = reason(typed)
    assert zh in said[0] and en in said[1]


def test_leap_days_follow_the_calendar():
    assert parse_date("2028-02-29") == dt.date(2028, 2, 29)
    assert parse_date("2月29日", year=2028) == dt.date(2028, 2, 29)
    assert "2027年2月没有29日" in reason("2月29日", year=2027)[0]
    assert parse_date("2000-02-29") == dt.date(2000, 2, 29)
    assert "February 2100 has no day 29" in reason("2100-02-29")[1]


@pytest.mark.parametrize("typed", ["9999-12-31", "0000-00-00", "0000-01-01", "1899-12-31", "1948-12-31", "2101-01-01", "99991231",
                                   dt.date(9999, 12, 31), dt.date(1, 1, 1)])
def test_placeholders_and_slips_out_of_range_are_refused(typed):
    zh, en = reason(typed)
    assert f"{MIN_YEAR}–{MAX_YEAR}" in zh and f"from {MIN_YEAR} to {MAX_YEAR}" in en


def test_the_ends_of_the_range_are_dates():
    assert parse_date(f"{MIN_YEAR}-01-01") == dt.date(MIN_YEAR, 1, 1)
    assert parse_date(f"{MAX_YEAR}-12-31") == dt.date(MAX_YEAR, 12, 31)


@pytest.mark.parametrize("typed", ["", "soon", "三月一日", "2026-03", "2026-3-", "2026--3-1", "2026031", "202603011",
                                   "2026-03-01 10:00", "3月", 20260301, None])
def test_what_is_not_a_date_is_told_with_the_forms_that_are(typed):
    zh, en = reason(typed)
    assert "无法识别日期" in zh and "2026/3/1" in zh and "3月1日" in zh
    assert "cannot read" in en and "20260301" in en


@given(st.dates(dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31)))
def test_any_date_in_range_reads_back_in_every_form(day):
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month}.{day.day}",
                 day.strftime("%Y%m%d"), f"{day.year}年{day.month}月{day.day}日"):
        assert parse_date(text) == day
    assert parse_date(f"{day.month}月{day.day}日", year=day.year) == day


@given(st.text(max_size=12))
def test_any_text_is_a_date_or_a_reason(text):
    try:
        day = parse_date(text)
    except DateProblem as exc:
        assert exc.reason.render("zh") and exc.reason.render("en")
    else:
        assert MIN_YEAR <= day.year <= MAX_YEAR
