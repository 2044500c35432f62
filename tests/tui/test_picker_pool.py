"""The titles a picker matches by pinyin are read once per form and type, off the UI thread, from
the moment a picker gets the focus: a Latin keystroke never waits for thousands of titles to be
read and converted, and what was typed before they arrived gets its pinyin matches when they do."""

from __future__ import annotations

import threading

import pytest

import duty_tui_plugins.leadership
from duty_tui.testing import type_text, wait_until
from duty_tui.tui.widgets import reference_picker

from .test_picker import focused_picker, new_form


async def study_session_form(pilot):
    return await new_form(pilot, "study_session")


def shown(picker) -> str:
    menu = picker.menu
    return " ".join(str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count))


@pytest.mark.duty_plugin(duty_tui_plugins.leadership)
async def test_titles_are_read_once_per_form_off_the_ui_thread(town, duty_app, monkeypatch):
    reads: list[tuple[str, str]] = []
    real = reference_picker.read_pool

    def spy(ledger, target):
        reads.append((target, threading.current_thread().name))
        return real(ledger, target)

    monkeypatch.setattr(reference_picker, "read_pool", spy)
    async with duty_app(ledger=town, lang="zh") as pilot:
        form = await study_session_form(pilot)
        liu = town.query("person", text="刘明宇")[0].id
        for name, typed in (("attendees", "lmy"), ("absentees", "liu"), ("presenter", "mingyu")):
            picker = await focused_picker(pilot, form, name)
            await type_text(pilot, typed)
            await wait_until(pilot, lambda: liu in picker._results, f"刘明宇 for {typed} in {name}")
        assert len(reads) == 1, "three person pickers on one form share one reading"
        target, thread = reads[0]
        assert target == "person" and thread != threading.main_thread().name


@pytest.mark.duty_plugin(duty_tui_plugins.leadership)
async def test_pinyin_typed_before_the_titles_arrive_finds_them_when_they_do(town, duty_app, monkeypatch):
    release = threading.Event()
    real = reference_picker.read_pool

    def slow(ledger, target):
        assert release.wait(10), "the test never let the titles arrive"
        return real(ledger, target)

    monkeypatch.setattr(reference_picker, "read_pool", slow)
    async with duty_app(ledger=town, lang="zh") as pilot:
        form = await study_session_form(pilot)
        picker = await focused_picker(pilot, form, "attendees")
        await type_text(pilot, "lmy")
        await wait_until(pilot, lambda: picker.menu.display, "the matches box")
        assert picker.input.value == "lmy", "typing goes on while the titles are read"
        assert "刘明宇" not in shown(picker)
        release.set()
        await wait_until(pilot, lambda: "刘明宇" in shown(picker), "刘明宇 once the titles are read")
        await pilot.press("enter")
        assert picker.get_raw() == [town.query("person", text="刘明宇")[0].id]
