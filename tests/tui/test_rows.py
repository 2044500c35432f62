"""The highlighted row is the row acted on: Enter, e, t and Delete act on the record under the
cursor, on the first key after the list opens, after moving with ↓, End and PgDn, and after a
filter (issue 14: the first action used to act on row 1)."""

from __future__ import annotations

import pytest

from duty_tui.testing import open_record_list, type_text, wait_until
from duty_tui.tui.screens.dialogs import ConfirmScreen, TransitionScreen
from duty_tui.tui.screens.main import MainScreen
from duty_tui.tui.screens.record_detail import RecordDetailScreen
from duty_tui.tui.screens.record_form import RecordFormScreen


@pytest.fixture
def meetings(town):
    for day in range(1, 29):
        town.create("meeting", {"title": f"例会 {day:02d}", "date": f"2026-02-{day:02d}", "seats": day})
    return town


def acted_on(app):
    """The id of the record the screen the key opened is about (None until one is open)."""
    screen = app.screen
    if isinstance(screen, RecordDetailScreen):
        return screen.record_id
    if isinstance(screen, RecordFormScreen):
        return screen.record.id if screen.record is not None else None
    if isinstance(screen, TransitionScreen):
        return screen.record.id
    if isinstance(screen, ConfirmScreen):
        return screen.body
    return None


async def act(pilot, key: str) -> str:
    app = pilot.app
    await pilot.press(key)
    shown = await wait_until(pilot, lambda: acted_on(app), f"the screen {key} opens")
    await pilot.press("escape")
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the list again")
    return shown


def matches(shown: str, record) -> bool:
    """A detail, form or step names the id; the delete question names id and title."""
    return shown == record.id or (record.id in shown and record.data["title"] in shown)


MOVES = [((), 0), (("down", "down", "down"), 3), (("end",), -1), (("pagedown",), None)]


@pytest.mark.parametrize("key", ["enter", "e", "t", "delete"])
@pytest.mark.parametrize("moves,expected", MOVES, ids=["opened", "down3", "end", "pagedown"])
async def test_the_first_action_on_a_fresh_list_acts_on_the_highlighted_row(meetings, duty_app, key, moves, expected):
    async with duty_app(ledger=meetings, lang="zh") as pilot:
        view = await open_record_list(pilot, "meeting")
        table = view.table
        await pilot.press(*moves)
        row = table.body_height if expected is None else expected % table.total
        await wait_until(pilot, lambda: table.cursor_row == row, "the cursor moved")
        highlighted = table.visible_records[row - int(table.scroll_y)]
        assert matches(await act(pilot, key), highlighted), (key, moves, highlighted.id)
        assert table.cursor_row == row  # and it is still there for the second action
        assert matches(await act(pilot, key), highlighted)


@pytest.mark.parametrize("key", ["enter", "e", "t", "delete"])
async def test_after_a_filter_the_action_takes_the_highlighted_filtered_row(meetings, duty_app, key):
    async with duty_app(ledger=meetings, lang="en") as pilot:
        view = await open_record_list(pilot, "meeting")
        table = view.table
        await pilot.press("slash")
        await wait_until(pilot, lambda: view.filter_input.has_focus, "the filter box")
        await type_text(pilot, "seats>=20")
        await pilot.press("enter", "down", "down")  # at once, as a fast typist does: the rows may still be on their way
        await wait_until(pilot, lambda: not table.pending and table.total == 9, "the filtered rows")
        assert table.cursor_row == 2
        highlighted = table.visible_records[2 - int(table.scroll_y)]
        assert highlighted.data["seats"] >= 20
        assert matches(await act(pilot, key), highlighted)


async def test_a_key_pressed_before_the_filtered_rows_arrive_acts_on_what_the_filter_selects(meetings, duty_app):
    async with duty_app(ledger=meetings, lang="en") as pilot:
        view = await open_record_list(pilot, "meeting")
        await pilot.press("down", "down", "down", "down", "slash")
        await wait_until(pilot, lambda: view.filter_input.has_focus, "the filter box")
        await type_text(pilot, "例会 2")
        await pilot.press("enter", "down", "enter")  # no wait: the Enter reads the filter's rows itself
        shown = await wait_until(pilot, lambda: acted_on(pilot.app), "the record")
        expected = meetings.query("meeting", text="例会 2", offset=1, limit=1)[0]
        assert shown == expected.id


@pytest.mark.parametrize("sort_key", [None, "s"])
async def test_after_a_new_record_is_saved_the_cursor_is_on_it(meetings, duty_app, sort_key):
    """The next step on a new record (`t`, `e`) needs no End or search first: the list comes
    back with the cursor on it, in the default order (it is last) or a sorted one."""
    async with duty_app(ledger=meetings, lang="en") as pilot:
        app = pilot.app
        view = await open_record_list(pilot, "meeting")
        table = view.table
        before = table.total
        if sort_key:
            await pilot.press(sort_key)  # sorted by its first column, the new one is no longer last
            await wait_until(pilot, lambda: view.sort, "sorted")
        await pilot.press("n")
        form = await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen, "the form")
        form.editor("title").set_from("例会 加开")
        form.editor("date").set_from("2026-02-15")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the list again")
        new = next(r for r in meetings.query("meeting", text="加开"))
        await wait_until(pilot, lambda: table.current is not None and table.current.id == new.id, "the cursor on the new record")
        assert table.total == before + 1
        assert matches(await act(pilot, "t"), new), "t takes the new record's step"
