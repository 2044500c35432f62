"""Fixtures for the TUI's tests: a small town with the sample plugin's meetings, an app factory
pinned to one day and one store label (so screens are the same every run), and helpers that
wait for a condition instead of sleeping."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
from typing import Callable

import pytest

from duty_tui.testing import screen_text  # noqa: F401  (the kit's, re-exported to the TUI tests)

from .. import sample_plugin

TODAY = dt.date(2026, 3, 15)
YEAR = 2026


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests on a fresh event loop (Textual's Pilot needs one), without
    depending on an asyncio plugin for pytest."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**kwargs))
        return True
    return None


@pytest.fixture
def town(duty_plugins, duty_admin):
    """The admin's ledger on a store with units, persons and a few meetings (sample plugin)."""
    ledger = duty_admin
    ledger.set_setting("org.name", "xx镇党委")
    committee = ledger.create("unit", {"name": "xx镇党委", "kind": "committee"})
    village = ledger.create("unit", {"name": "东风村", "kind": "village", "parent": committee.id})
    liu = ledger.create("person", {"name": "刘明宇", "unit": committee.id, "post": "党委书记"})
    yu = ledger.create("person", {"name": "余永福", "unit": committee.id, "post": "宣传委员"})
    ledger.create("person", {"name": "赵强", "unit": village.id, "post": "党支部书记"})
    ledger.create("meeting", {"title": "中心组集中学习", "date": "2026-03-01", "organizer": liu.id, "ideology": True})
    ledger.create("meeting", {"title": "意识形态工作专题会", "date": "2026-03-20", "organizer": yu.id})
    ledger.create("meeting", {"title": "Annual review", "date": "2025-12-10", "organizer": liu.id})
    return ledger


@pytest.fixture(autouse=True)
def _sample_plugin(duty_plugins):
    duty_plugins.append(("sample", sample_plugin))


@pytest.fixture
def duty_registry(duty_plugins):
    """The core, the storage backends and the test's plugins only: the TUI's tests (and their
    snapshots) must not change when a domain plugin adds a record type or a rule."""
    import importlib.metadata as md

    from duty_tui.registry import load_registry

    backends = [ep for ep in md.entry_points(group="duty_tui") if ep.value.startswith("duty_tui_storage")]
    return load_registry(extra=list(duty_plugins), entry_points=backends)


@pytest.fixture
def make_app() -> Callable:
    from duty_tui.tui.app import make_app as factory

    def make(ledger, lang: str = "en", **kwargs):
        kwargs.setdefault("today", TODAY)
        kwargs.setdefault("year", YEAR)
        kwargs.setdefault("store_label", "sqlite:duty.db")
        return factory(ledger, lang=lang, **kwargs)

    return make


async def until(pilot, condition: Callable[[], object], what: str = "condition", timeout: float = 10.0):
    """Let the app process its messages until ``condition()`` holds (no fixed sleeps; store
    reads may finish on the app's worker thread meanwhile). A widget the condition looks for
    that is not mounted yet counts as "not yet"."""
    import time

    from textual.css.query import NoMatches

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except NoMatches:
            value = None
        if value:
            return value
        await pilot.pause()
    raise AssertionError(f"timed out waiting for {what}")


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def open_list(pilot, record_type: str, via: str = "app"):
    """Open a record type's list: through the command palette (as a person does, slower in
    tests) or the app's own method (what the palette and the tree call)."""
    app = pilot.app
    if via == "palette":
        label = app.session.type_label(record_type)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette", "the command palette")
        await type_text(pilot, app.session.t("pal.goto", label=label))
        await until(pilot, lambda: _palette_has_hits(app), "palette hits")
        await pilot.press("enter")
    else:
        await until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen", "the main screen")
        app.open_list(record_type)
    view = await until(pilot, lambda: _shown_list(app, record_type), f"the {record_type} list")
    await until(pilot, lambda: app.focused is view.table, "focus on the table")
    return view


def _palette_has_hits(app) -> bool:
    from textual.command import CommandList

    try:
        return app.screen.query_one(CommandList).option_count > 0
    except Exception:
        return False


def _shown_list(app, record_type: str):
    from duty_tui.tui.screens.main import MainScreen

    if not isinstance(app.screen, MainScreen):
        return None
    view = app.screen.view(f"list-{record_type}")
    if view is None or app.screen.switcher.current != f"list-{record_type}" or not view.query("RecordTable"):
        return None
    return view
