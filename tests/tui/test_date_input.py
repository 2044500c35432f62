"""Dates and numbers typed as clerks type them in the record form: nothing typed is dropped, a
date in any common form is saved as that date, keys give today and the day before or after,
and an error under a field says what is wrong and goes as soon as the field is right."""

from __future__ import annotations

import datetime as dt

from duty_tui.testing import open_record_list, screen_text, type_text, wait_until
from duty_tui.tui.screens.record_form import RecordFormScreen
from duty_tui.tui.widgets.keybar import KeyBar

from .conftest import TODAY


async def new_meeting(pilot):
    app = pilot.app
    await open_record_list(pilot, "meeting")
    await pilot.press("n")
    form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")
    await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "field-title", "focus on the title")
    return form


async def to_field(pilot, form, name: str) -> None:
    while pilot.app.focused is not form.editor(name):
        await pilot.press("tab")


def error(form, name: str) -> str:
    shown = form.query_one(f"#error-{name}")
    return str(shown.render()) if shown.display else ""


async def test_slashes_are_kept_and_the_date_is_saved(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        form = await new_meeting(pilot)
        await type_text(pilot, "学习会")
        await to_field(pilot, form, "date")
        await type_text(pilot, "2026/3/1")
        assert form.editor("date").value == "2026/3/1", "the slashes stay as typed"
        assert error(form, "date") == ""
        before = town.count("meeting")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: town.count("meeting") == before + 1, "the meeting saved")
        assert [r.data["date"] for r in town.all("meeting") if r.data["title"] == "学习会"] == [dt.date(2026, 3, 1)]


async def test_a_date_without_a_year_is_this_year_and_chinese_forms_are_kept(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        form = await new_meeting(pilot)
        await type_text(pilot, "年内学习")
        await to_field(pilot, form, "date")
        await type_text(pilot, "4月2日")
        assert form.editor("date").value == "4月2日"
        before = town.count("meeting")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: town.count("meeting") == before + 1, "the meeting saved")
        assert [r.data["date"] for r in town.all("meeting") if r.data["title"] == "年内学习"] == [dt.date(TODAY.year, 4, 2)]


async def test_keys_give_today_and_the_days_around_it_and_the_key_bar_shows_them(town, duty_app):
    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        form = await new_meeting(pilot)
        bar = app.screen.query_one(KeyBar)
        assert "Today" not in " ".join(label for _, label in bar.entries()), "the date keys only on a date field"
        await to_field(pilot, form, "date")
        await wait_until(pilot, lambda: "Today" in [label for _, label in bar.entries()], "the date keys in the key bar")
        assert {"Next day", "Day before"} <= {label for _, label in bar.entries()}
        date = form.editor("date")
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: date.value == TODAY.isoformat(), "today")
        await pilot.press("ctrl+up", "ctrl+up")
        await wait_until(pilot, lambda: date.value == (TODAY + dt.timedelta(days=2)).isoformat(), "two days later")
        await pilot.press("ctrl+down")
        await wait_until(pilot, lambda: date.value == (TODAY + dt.timedelta(days=1)).isoformat(), "a day back")
        date.value = "2026/2/28"
        await pilot.press("ctrl+up")
        await wait_until(pilot, lambda: date.value == "2026-03-01", "the day after 28 February")
        date.value = ""
        await pilot.press("ctrl+down")
        await wait_until(pilot, lambda: date.value == (TODAY - dt.timedelta(days=1)).isoformat(), "yesterday, from empty")
        await pilot.press("tab")
        await wait_until(pilot, lambda: "Today" not in [label for _, label in bar.entries()], "the date keys gone off the field")


async def test_a_wrong_date_says_what_is_wrong_and_the_error_clears_when_fixed(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        form = await new_meeting(pilot)
        await type_text(pilot, "座谈会")
        await to_field(pilot, form, "date")
        await type_text(pilot, "2026/13/45")
        assert form.editor("date").value == "2026/13/45"
        await wait_until(pilot, lambda: "没有 13 月" in error(form, "date"), "the month named at once")
        before = town.count("meeting")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form.query_one("#form-errors").display, "the summary")
        assert town.count("meeting") == before
        for _ in "13/45":
            await pilot.press("backspace")
        await type_text(pilot, "2/30")
        await wait_until(pilot, lambda: "2026年2月没有30日" in error(form, "date"), "the day named")
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "28")
        await wait_until(pilot, lambda: error(form, "date") == "", "the error gone without a save")
        assert not form.query_one("#row-date").has_class("-invalid")
        assert not form.query_one("#form-errors").display, "no problem left above the form"
        await pilot.press("f2")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: town.count("meeting") == before + 1, "saved")
        assert app.screen is not form


async def test_a_date_still_being_typed_is_told_only_on_leaving_it(town, duty_app):
    async with duty_app(ledger=town, lang="en") as pilot:
        form = await new_meeting(pilot)
        await to_field(pilot, form, "date")
        await type_text(pilot, "2026/3")
        assert error(form, "date") == "", "no error while the date is half typed"
        await pilot.press("tab")
        await wait_until(pilot, lambda: "cannot read" in error(form, "date"), "the error on leaving")
        await pilot.press("shift+tab")
        await type_text(pilot, "/1")
        await wait_until(pilot, lambda: error(form, "date") == "", "cleared once it is a date")


async def test_words_in_a_number_are_kept_and_told_not_dropped(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        form = await new_meeting(pilot)
        await type_text(pilot, "学时")
        await to_field(pilot, form, "hours")
        await type_text(pilot, "三小时")
        hours = form.editor("hours")
        assert hours.value == "三小时", "nothing typed is dropped"
        await wait_until(pilot, lambda: "三小时" in error(form, "hours") and "数字" in error(form, "hours"), "the reason at once")
        assert form.query_one("#row-hours").has_class("-invalid")
        await pilot.press("f2")
        await wait_until(pilot, lambda: "must be a number" in error(form, "hours"), "the error in English after F2")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form.query_one("#form-errors").display, "refused on save")
        await to_field(pilot, form, "hours")
        hours.value = "３"
        await wait_until(pilot, lambda: error(form, "hours") == "", "full-width digits are a number")
        await to_field(pilot, form, "date")
        await pilot.press("ctrl+t")
        before = town.count("meeting")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: town.count("meeting") == before + 1, "saved")
        assert [r.data["hours"] for r in town.all("meeting") if r.data["title"] == "学时"] == [3]
        assert "三小时" not in screen_text(pilot.app)
