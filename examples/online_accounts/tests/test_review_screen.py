"""The review screen in the running TUI, driven by Pilot through the kit's duty_app fixture."""

from __future__ import annotations

import datetime as dt

import pytest

from duty_tui.testing import open_plugin_screen, screen_text, wait_until

from duty_online_accounts import SCREEN

pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "online_accounts")

TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def accounts(duty_admin):
    unit = duty_admin.create("unit", {"name": "宣传办公室", "kind": "office"}).id
    person = duty_admin.create("person", {"name": "李娜", "unit": unit}).id
    for name, registered, last in (("xx镇发布", "2024-05-10", "2026-03-15"), ("城关社区之声", "2025-11-11", None)):
        duty_admin.create("online_account", {"account_name": name, "platform": "wechat", "unit": unit,
                                             "responsible": person, "registered_on": registered, "last_review": last})
    return duty_admin


async def test_the_screen_shows_each_account_with_its_status(accounts, duty_app):
    async with duty_app(size=(110, 30), year=2026, today=TODAY) as pilot:
        screen = await open_plugin_screen(pilot, SCREEN)
        assert type(screen).__name__ == "ReviewScreen"
        text = await wait_until(pilot, lambda: (t := screen_text(pilot.app)) and "城关社区之声" in t and t, "the accounts")
        assert "Online account reviews · 2026" in text
        assert "2 account(s): 1 reviewed, 1 due, 0 overdue, 0 new this year; due by 2026-12-31" in text
        assert text.index("城关社区之声") < text.index("xx镇发布"), "what is due comes first"
        await pilot.press("right_square_bracket")  # the year in view follows the app's
        await wait_until(pilot, lambda: "Online account reviews · 2027" in screen_text(pilot.app), "the next year")
        await pilot.press("f2")  # and so does the language
        await wait_until(pilot, lambda: "网络账号年审 · 2027年" in screen_text(pilot.app) and "账号" in screen_text(pilot.app), "Chinese")


async def test_the_screen_is_reached_from_the_command_palette_in_chinese_and_opens_an_account(accounts, duty_app):
    async with duty_app(year=2026, today=TODAY, lang="zh") as pilot:
        app = pilot.app
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CommandPalette", "the command palette")
        for ch in "网络账号年审":
            await pilot.press(ch)
        await wait_until(pilot, lambda: "网络账号年审" in screen_text(app), "the palette's hit")
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ReviewScreen", "the review screen")
        await wait_until(pilot, lambda: "待审核" in screen_text(app), "the statuses in Chinese")
        review = app.screen
        await pilot.press("enter")  # the first row: the account that is due
        await wait_until(pilot, lambda: app.screen is not review and "online_account-2" in screen_text(app), "the account's record")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is review, "back on the review screen")
