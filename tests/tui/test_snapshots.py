"""SVG snapshots of the dashboard, a list and a form, in Chinese and English, at 100×30 (and the
dashboard and a list at 80×24).

Update them after a deliberate change of look with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and review the SVGs (``__snapshots__/``) before committing. The app is
pinned to one day and one store label and every cursor is steady, so the pictures do not drift.
"""

from __future__ import annotations

import pytest

from duty_tui.testing import wait_until
from duty_tui.tui.screens.main import MainScreen
from duty_tui.tui.screens.record_form import RecordFormScreen

SIZE = (100, 30)


def steady(app) -> None:
    """No blinking cursor anywhere (a blink caught mid-way makes a snapshot flake)."""
    from textual.widgets import Input, TextArea

    for screen in app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False
        for widget in screen.query(TextArea):
            widget.cursor_blink = False


async def show_dashboard(pilot):
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.query_one("DashboardView").board is not None,
                     "the dashboard")
    steady(app)


async def show_list(pilot):
    app = pilot.app
    await show_dashboard(pilot)
    app.open_list("meeting")
    await wait_until(pilot, lambda: app.screen.switcher.current == "list-meeting" and app.focused is app.screen.view("list-meeting").table,
                     "the meeting list")
    steady(app)


async def show_form(pilot):
    app = pilot.app
    await show_list(pilot)
    await pilot.press("n")
    form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")
    await pilot.press("ctrl+s")  # an empty save: the required marks and their errors are part of the picture
    await wait_until(pilot, lambda: form.query_one("#error-title").display, "the errors")
    steady(app)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard(snap_compare, town, make_app, lang):
    town.set_setting("sample.meetings.min", 4)
    assert snap_compare(make_app(town, lang=lang), terminal_size=SIZE, run_before=show_dashboard)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_record_list(snap_compare, town, make_app, lang):
    assert snap_compare(make_app(town, lang=lang), terminal_size=SIZE, run_before=show_list)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_record_form(snap_compare, town, make_app, lang):
    assert snap_compare(make_app(town, lang=lang), terminal_size=SIZE, run_before=show_form)


# -- 80×24: the same screens as a clerk on a small SSH terminal sees them (short labels in the
# navigation, the due list by title) ----------------------------------------------------------
NARROW = (80, 24)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard_at_80x24(snap_compare, town, make_app, lang):
    town.set_setting("sample.meetings.min", 4)
    assert snap_compare(make_app(town, lang=lang), terminal_size=NARROW, run_before=show_dashboard)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_record_list_at_80x24(snap_compare, town, make_app, lang):
    assert snap_compare(make_app(town, lang=lang), terminal_size=NARROW, run_before=show_list)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_record_form_at_80x24(snap_compare, town, make_app, lang):
    assert snap_compare(make_app(town, lang=lang), terminal_size=NARROW, run_before=show_form)
