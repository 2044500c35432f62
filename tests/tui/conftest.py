"""Fixtures for the TUI's tests: a small town with the sample plugin's meetings, and the app
pinned to one day, one year and one store label (so screens are the same every run). The app
runs under the kit's ``duty_app`` (Pilot), and the tests wait with the kit's ``wait_until``,
type with its ``type_text`` and open lists with its ``open_record_list`` (duty_tui.testing);
what is only this suite's stays here."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import pytest

from duty_tui.testing import shown_record_list, type_text, wait_until

from .. import sample_plugin

TODAY = dt.date(2026, 3, 15)
YEAR = 2026
PINNED = {"today": TODAY, "year": YEAR, "store_label": "sqlite:duty.db"}


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
def duty_app(duty_app) -> Callable[..., Any]:
    """The kit's ``duty_app`` with this suite's day, year and store label unless a test gives its own."""

    def run(**kwargs: Any):
        return duty_app(**{**PINNED, **kwargs})

    return run


@pytest.fixture
def make_app() -> Callable:
    """The app itself, pinned the same way, for ``snap_compare`` (which runs an app, not a Pilot)."""
    from duty_tui.tui.app import make_app as factory

    def make(ledger, lang: str = "en", **kwargs):
        return factory(ledger, lang=lang, **{**PINNED, **kwargs})

    return make


async def open_list_by_palette(pilot, record_type: str):
    """Open a record type's list through the command palette, as a person does (slower than the
    kit's ``open_record_list``, which calls the app's method as the palette and the tree do)."""
    app = pilot.app
    label = app.session.type_label(record_type)
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette", "the command palette")
    await type_text(pilot, app.session.t("pal.goto", label=label))
    await wait_until(pilot, lambda: _palette_has_hits(app), "palette hits")
    await pilot.press("enter")
    view = await wait_until(pilot, lambda: shown_record_list(app, record_type), f"the {record_type} list")
    await wait_until(pilot, lambda: app.focused is view.table, "focus on the table")
    return view


def _palette_has_hits(app) -> bool:
    from textual.command import CommandList

    try:
        return app.screen.query_one(CommandList).option_count > 0
    except Exception:
        return False

