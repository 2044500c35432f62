"""The reference picker as a clerk types Chinese names on a Latin keyboard: pinyin and initials
find a person, each suggestion says who it is (unit and post), every chosen person stays visible,
Backspace never removes silently and can be undone, a person in both 参加 and 缺席 is flagged at
once, and the picker's texts follow F2."""

from __future__ import annotations

import pytest

import duty_tui_plugins.leadership
from duty_tui.testing import open_record_list, screen_text, type_text, wait_until
from duty_tui.tui.screens.record_form import RecordFormScreen

SURNAMES = "王李张刘陈杨黄赵吴周"


async def new_form(pilot, record_type: str):
    """The list of ``record_type`` opened and `n`: its new-record form."""
    app = pilot.app
    await open_record_list(pilot, record_type)
    await pilot.press("n")
    return await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")


async def new_meeting_form(pilot):
    return await new_form(pilot, "meeting")


async def focused_picker(pilot, form, name):
    picker = form.query_one(f"#field-{name}")
    picker.focus()
    await wait_until(pilot, lambda: picker.input.has_focus, f"the {name} picker")
    return picker


def option_texts(picker) -> list[str]:
    menu = picker.menu
    return [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]


@pytest.mark.parametrize("typed", ["liu", "liumingyu", "lmy", "LMY", "mingyu"])
async def test_pinyin_and_initials_find_the_person(town, duty_app, typed):
    async with duty_app(ledger=town, lang="zh") as pilot:
        form = await new_meeting_form(pilot)
        picker = await focused_picker(pilot, form, "organizer")
        await type_text(pilot, typed)
        await wait_until(pilot, lambda: picker.menu.display and picker._results, f"matches for {typed}")
        liu = town.query("person", text="刘明宇")[0].id
        assert picker._results[0] == liu
        await pilot.press("enter")
        assert picker.get_raw() == liu


async def test_enter_on_a_single_match_chooses_it_at_once_and_moves_on(town, duty_app):
    """A single picker, once chosen, hands the focus on, and Ctrl+S saves the choice. (That
    Enter chooses before the next key is read, as a fast typist over SSH needs, shows only
    through a real terminal, where keys arrive in one burst: Pilot waits between keys. The
    keys bench and the tmux walk type Ctrl+S right behind such an Enter.)"""
    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        form = await new_meeting_form(pilot)
        form.editor("title").set_from("加开的会")
        form.editor("date").set_from("2026-03-02")
        picker = await focused_picker(pilot, form, "organizer")
        await type_text(pilot, "刘明宇")
        await wait_until(pilot, lambda: picker.menu.display and picker._results, "the match")
        after = form.focus_chain[form.focus_chain.index(picker.input) + 1]
        await pilot.press("enter")
        assert app.focused is after, "the focus went on to the next field"
        await pilot.press("ctrl+s")  # at once, no wait
        await wait_until(pilot, lambda: not isinstance(app.screen, RecordFormScreen), "saved")
        saved = town.query("meeting", text="加开的会")[0]
        assert saved.data["organizer"] == town.query("person", text="刘明宇")[0].id


async def test_a_name_typed_and_left_is_taken_when_it_names_one_record_and_told_when_not(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        form = await new_meeting_form(pilot)
        picker = await focused_picker(pilot, form, "organizer")
        await type_text(pilot, "刘明宇")
        await wait_until(pilot, lambda: picker._results, "its match")
        await pilot.press("tab")
        liu = town.query("person", text="刘明宇")[0].id
        await wait_until(pilot, lambda: picker.get_raw() == liu, "the one match taken on leaving")
        approver = await focused_picker(pilot, form, "approver")
        await type_text(pilot, "没有这个人")
        await pilot.press("tab")
        await wait_until(pilot, lambda: "“没有这个人”未选定" in screen_text(app), "told it was not taken")
        assert approver.get_raw() in (None, "", [])
        approver.focus()
        await type_text(pilot, "x")
        await wait_until(pilot, lambda: "未选定" not in screen_text(app), "the note goes as the text changes")


async def test_a_suggestion_says_the_unit_and_post(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        form = await new_meeting_form(pilot)
        picker = await focused_picker(pilot, form, "organizer")
        await type_text(pilot, "刘")
        await wait_until(pilot, lambda: picker.menu.display and picker._results, "matches")
        first = option_texts(picker)[0]
        assert "刘明宇" in first and "xx镇党委" in first and "党委书记" in first
        assert "刘明宇" in screen_text(pilot.app) and "党委书记" in screen_text(pilot.app)


async def test_ten_chosen_persons_all_show_at_80_columns(town, duty_app):
    committee = town.query("unit", text="xx镇党委")[0].id
    names = [f"{s}建国" for s in SURNAMES]
    for name in names:
        town.create("person", {"name": name, "unit": committee, "post": "干部"})
    async with duty_app(ledger=town, lang="zh", size=(80, 24)) as pilot:
        form = await new_meeting_form(pilot)
        picker = await focused_picker(pilot, form, "attendees")
        for name in names:
            await type_text(pilot, name)
            await wait_until(pilot, lambda: picker._results and picker.menu.display, f"a match for {name}")
            await pilot.press("enter")
        assert len(picker.get_raw()) == 10
        form.query_one("#form-body").scroll_to_widget(picker, animate=False)
        await pilot.pause()
        text = screen_text(pilot.app)
        assert all(name in text for name in names), text
        assert picker.query_one(".picker-chips").size.height >= 2  # wrapped, not cut


async def test_backspace_marks_then_removes_and_undo_puts_it_back(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        form = await new_meeting_form(pilot)
        picker = await focused_picker(pilot, form, "attendees")
        for typed in ("lmy", "yyf"):
            await type_text(pilot, typed)
            await wait_until(pilot, lambda: picker._results and picker.menu.display, f"matches for {typed}")
            await pilot.press("enter")
        chosen = list(picker.get_raw())
        assert len(chosen) == 2
        await pilot.press("backspace")
        assert picker.get_raw() == chosen, "the first Backspace only marks"
        await wait_until(pilot, lambda: "再按退格移除 余永福" in screen_text(app), "the mark explained")
        await pilot.press("backspace")
        assert picker.get_raw() == chosen[:1]
        await wait_until(pilot, lambda: "已移除 余永福，按 ^z 撤销" in screen_text(app), "the undo offered")
        await pilot.press("ctrl+z")
        assert picker.get_raw() == chosen
        await wait_until(pilot, lambda: "已移除" not in screen_text(app), "the undo note gone")
        # typing after a mark takes the mark away: nothing is removed by the next Backspace
        await pilot.press("backspace")
        await type_text(pilot, "z")
        await pilot.press("backspace")
        assert picker.get_raw() == chosen


async def test_placeholder_and_no_matches_follow_f2(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        form = await new_meeting_form(pilot)
        picker = await focused_picker(pilot, form, "organizer")
        assert picker.input.placeholder.startswith("输入文字搜索")
        await type_text(pilot, "qqqq")
        await wait_until(pilot, lambda: picker.menu.display, "the answer")
        assert option_texts(picker) == ["没有匹配的人员"]
        await pilot.press("f2")
        await wait_until(pilot, lambda: picker.input.placeholder.startswith("type to search"), "an English placeholder")
        await wait_until(pilot, lambda: option_texts(picker) == ["no Person matches"], "no matches in English")


@pytest.mark.duty_plugin(duty_tui_plugins.leadership)
async def test_one_person_in_both_attendees_and_absentees_is_flagged_at_once(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        await open_record_list(pilot, "study_session")
        await pilot.press("n")
        form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")
        attendees = await focused_picker(pilot, form, "attendees")
        await type_text(pilot, "lmy")
        await wait_until(pilot, lambda: attendees._results and attendees.menu.display, "matches")
        await pilot.press("enter")
        absentees = await focused_picker(pilot, form, "absentees")
        await type_text(pilot, "liu")
        await wait_until(pilot, lambda: absentees._results and absentees.menu.display, "matches")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "刘明宇 也在参加人员中" in screen_text(app), "the warning on absentees")
        assert "刘明宇 也在缺席人员中" in screen_text(app)
        # the ledger refuses it on save, beside the field
        await pilot.press("ctrl+s")
        error = form.query_one("#error-absentees")
        await wait_until(pilot, lambda: error.display, "the field error")
        assert "不能同时在缺席人员和参加人员中" in str(error.render())
        # taking the person off one list clears the warning
        absentees.focus()
        await pilot.press("backspace", "backspace")
        await wait_until(pilot, lambda: "也在参加人员中" not in screen_text(app), "the warning gone")
