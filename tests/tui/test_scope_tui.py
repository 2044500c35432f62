"""A village clerk bound to 东风村 in the TUI (issue 19, item 1): the demo town, and the dashboard's
counts, due items and findings, a record list and the palette's record search hold the village's
records only; an admin working within the village (`duty --unit 东风村`) gets the same lists. What
the village holds is worked out from the unbound admin's records, as tests/test_scope.py does."""

from __future__ import annotations


import pytest

from duty_tui.testing import open_record_list, screen_text, type_text, wait_until
from duty_tui.tui.screens.main import MainScreen

from ..test_scope import Town
from .conftest import _palette_has_hits

VILLAGE = "东风村"


@pytest.fixture
def duty_registry(duty_plugins):
    """Every installed plugin (the demo town's record types and rules), not only the suite's core."""
    from duty_tui.registry import load_registry

    return load_registry(extra=list(duty_plugins))


@pytest.fixture
def demo(duty_store, duty_registry, tmp_path):
    """(the admin's ledger, the village clerk's, the village's id, id → the admin's records)."""
    from duty_tui.demo import create_demo
    from duty_tui.ledger import Ledger

    admin = create_demo(duty_store, duty_registry, "admin").ledger
    village = admin.unit_named(VILLAGE)
    admin.add_user("vclerk", "clerk", unit=village)
    clerk = Ledger.for_login(duty_store, duty_registry, "vclerk")
    records = {r.id: {"id": r.id, "type": r.type, **r.data} for name in duty_registry.types for r in admin.query(name, limit=None)}
    return admin, clerk, village, records


def inside_of(demo, tmp_path) -> set[str]:
    admin, _, village, records = demo
    oracle = Town("", tmp_path)
    oracle.registry = admin.registry
    return set(oracle.split(village, records)[0])


def run(ledger):
    from duty_tui.tui.app import make_app

    return make_app(ledger, lang="en", store_label="duty-test").run_test(size=(120, 40))


async def dashboard_of(pilot):
    app = pilot.app
    return await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and (v := app.screen.query_one("DashboardView")).board
                            is not None and not v.board.pending and v.board, "the dashboard with every rule run")


async def test_the_village_clerks_dashboard_counts_the_villages_records_only(demo, tmp_path):
    from duty_tui.rules import run_rules

    admin, clerk, village, records = demo
    inside = inside_of(demo, tmp_path)
    async with run(clerk) as pilot:
        board = await dashboard_of(pilot)
        year = board.year
        for name, rt in admin.registry.types.items():
            dated = year if rt.year_field else None
            expected = sum(1 for r in admin.query(name, year=dated, limit=None) if r.id in inside)
            assert board.counts.get(name, 0) == expected, name
        assert sum(board.counts.values()) < sum(admin.count(n, year=year if rt.year_field else None)
                                                for n, rt in admin.registry.types.items())
        assert board.due and {d.record_id for d in board.due} <= inside
        for finding in board.findings:
            assert set(finding.records) <= inside, finding
        found = sorted((f.rule, tuple(f.records)) for f in board.findings)
        assert found == sorted((f.rule, tuple(f.records)) for f in run_rules(clerk, year, today=board.today)), \
            "the dashboard's findings are the clerk's check: no committee obligation judged from the village"
        text = screen_text(pilot.app)
        assert VILLAGE in text, "the header names the unit the clerk works within"


@pytest.mark.parametrize("narrowed", [False, True], ids=["bound clerk", "admin --unit"])
async def test_a_list_shows_the_villages_rows_only(demo, tmp_path, narrowed):
    """The list reads in the app's worker with a ledger of its own: it keeps the unit the app's
    ledger works within (an admin's `duty --unit 东风村` listed the whole town)."""
    admin, clerk, village, records = demo
    inside = inside_of(demo, tmp_path)
    ledger = admin.narrowed(village) if narrowed else clerk
    async with run(ledger) as pilot:
        await dashboard_of(pilot)
        for name in ("event", "person", "outlet"):
            view = await open_record_list(pilot, name)
            year = view.effective_year()
            expected = sorted((r.id for r in admin.query(name, year=year, limit=None) if r.id in inside))
            assert expected and len(expected) < admin.count(name, year=year), name
            await wait_until(pilot, lambda: view.table.total == len(expected) and len(view.table.visible_records) == len(expected),
                             f"the {name} rows")
            assert sorted(r.id for r in view.table.visible_records) == expected, name
            view.sort_by(1)  # a header clicked: the rows are read again in the app's worker
            await wait_until(pilot, lambda: view.table.fetches and not view.table.pending, f"the {name} rows sorted")
            assert sorted(r.id for r in view.table.visible_records) == expected, (name, "sorted")
            assert view.table.total == len(expected), (name, "sorted")


async def test_the_palette_finds_no_record_outside_the_village(demo, tmp_path):
    from duty_tui.tui.commands import DutyCommands

    admin, clerk, village, records = demo
    inside = inside_of(demo, tmp_path)
    outside = sorted(set(records) - inside)
    event_in = next(i for i in sorted(inside) if records[i]["type"] == "event")
    async with run(clerk) as pilot:
        app = pilot.app
        await dashboard_of(pilot)
        provider = DutyCommands(app.screen)

        async def opened(query: str) -> list[str]:
            return [hit.command.args[0] for hit in [h async for h in provider.search(query)]
                    if getattr(hit.command, "func", None) == app.open_record]

        assert await opened(event_in) == [event_in]
        for record_id in outside[::7]:
            assert await opened(record_id) == [], record_id
        for term in ("讲座", "宣传", "村", "意识形态"):
            seen_by_admin = {r.id for rt in admin.registry.types for r in admin.query(rt, text=term, limit=3)}
            hits = await opened(term)
            assert set(hits) <= inside, (term, sorted(set(hits) - inside))
            assert seen_by_admin - inside or term != "讲座", "the admin's palette finds the town's lectures"
        # and as a person does: Ctrl+P, the village event's title
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette", "the command palette")
        await type_text(pilot, "讲")
        await type_text(pilot, "进村")
        await wait_until(pilot, lambda: _palette_has_hits(app) and event_in in screen_text(app), "the village's event")
        assert not any(i in screen_text(app) for i in outside if records[i]["type"] == "event")
