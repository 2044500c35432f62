"""The keys the case-from-event screen names are written as the core's are (Tab, Space, like Esc
and Del), not as Textual's key ids ("tab", "space"), in the key bar and in the hint above the
suggestions, in Chinese and in English."""

from __future__ import annotations

import pytest

from duty_tui.testing import screen_text, wait_until
from duty_tui_plugins.accountability.case_screens import EventPickerScreen, NewCaseScreen

from .test_case_tui import office, on, palette, pytestmark  # noqa: F401  (the fixture and the plugins it needs)


@pytest.mark.parametrize("lang, command, hint, next_field", [
    ("zh", "由活动新建案件", "Space 取消勾选", "Tab 下一项"),  # the hint in （） or ()
    ("en", "Case from an event", "(Space unticks)", "Tab Next field"),
])
async def test_the_new_case_names_its_keys_as_the_key_bar_does(office, duty_app, lang, command, hint, next_field):
    async with duty_app(ledger=office.clerk, lang=lang) as pilot:
        app = pilot.app
        await palette(pilot, command)
        await wait_until(pilot, on(app, EventPickerScreen), "the event picker")
        await wait_until(pilot, lambda: "乡村振兴研讨会" in screen_text(app), "the seminar")
        await pilot.press("enter")
        form = await wait_until(pilot, on(app, NewCaseScreen), "the new case")
        await wait_until(pilot, lambda: form.query_one("#new-suggestions").option_count, "the chain's suggestions")
        await wait_until(pilot, lambda: next_field in screen_text(app), "the key bar")
        text = screen_text(app)
        assert hint in text
        assert "tab " not in text and "space" not in text, text
