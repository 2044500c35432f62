"""The county dashboard (issue 19, item 2): on a county store whose two towns sent their signed
bundles, the palette's 各乡镇对比 shows the towns as rows, each area's light as a glyph of its own
(readable with NO_COLOR), the score and what is overdue, at 80×24 and 100×30, in zh and en; Enter
goes into a town's own dashboard read through that town's ledger, and leaving it — by Esc or by
the palette going elsewhere — gives the county's ledger back at once."""

from __future__ import annotations

from fractions import Fraction

import pytest

from duty_tui.present.county import TownScore
from duty_tui.testing import screen_text, type_text, wait_until

from .. import sample_plugin
from ..test_county_report import county_of, scorer_plugin
from .conftest import YEAR, _palette_has_hits

A, B = "甲镇党委", "乙镇党委"


def meetings_score(ledger, year, today, findings=None):
    """60 and 20 a meeting of the year: 甲镇 100, 乙镇 80."""
    return TownScore(Fraction(60 + 20 * ledger.count("meeting", year=year)), Fraction(100))


def town(*meetings: tuple[str, str]):
    def make(store, registry):
        from duty_tui.ledger import Ledger

        ledger = Ledger.initialise(store, registry, "admin")
        unit = ledger.create("unit", {"name": "committee", "kind": "committee"})
        person = ledger.create("person", {"name": "刘明宇", "unit": unit.id, "post": "党委书记"})
        for title, day in meetings:
            ledger.create("meeting", {"title": title, "date": day, "organizer": person.id})
        return ledger

    return make


@pytest.fixture
def county(tmp_path, monkeypatch):
    """The county's admin ledger: 甲镇 with its two meetings still to come (every check passes,
    nothing overdue), 乙镇 with one meeting, in draft, whose day has passed (a warning: one of two
    meetings; one matter overdue)."""
    import importlib.metadata as md

    from duty_tui.registry import load_registry

    monkeypatch.setenv("DUTY_CACHE_DIR", str(tmp_path / "cache"))
    backends = [ep for ep in md.entry_points(group="duty_tui") if ep.value.startswith("duty_tui_storage")]
    registry = load_registry(extra=[("sample", sample_plugin), ("county_scorer", scorer_plugin(meetings_score))], entry_points=backends)
    ledger = county_of(registry, tmp_path, {A: town(("甲镇中心组学习", "2026-04-10"), ("甲镇专题会", "2026-05-20")),
                                            B: town(("乙镇理论学习", "2026-02-01"))}, YEAR)
    yield ledger
    ledger.store.close()


def row_of(app, name: str) -> str:
    return next(line for line in screen_text(app).splitlines() if line.lstrip().startswith(name))


async def push_county_by_palette(pilot):
    """The county screen, opened from the palette as a person does; its towns may be still coming."""
    from duty_tui.tui.screens.county import TITLE, CountyScreen

    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette", "the command palette")
    await type_text(pilot, TITLE.render(app.lang))
    await wait_until(pilot, lambda: _palette_has_hits(app), "palette hits")
    await pilot.press("enter")
    return await wait_until(pilot, lambda: app.screen if isinstance(app.screen, CountyScreen) else None, "the county screen")


async def landed_on_county(pilot):
    from duty_tui.tui.screens.county import CountyScreen

    app = pilot.app
    return await wait_until(pilot, lambda: app.screen if isinstance(app.screen, CountyScreen) else None, "the county screen")


async def open_county_by_palette(pilot):
    screen = await push_county_by_palette(pilot)
    await wait_until(pilot, lambda: screen.county is not None and screen.updating is None
                     and screen.query_one("#county-towns").option_count == 2, "the towns")
    await pilot.pause()
    return screen


@pytest.mark.parametrize("lang, size", [("zh", (80, 24)), ("en", (80, 24)), ("zh", (100, 30)), ("en", (100, 30))])
async def test_the_towns_side_by_side_with_their_lights_score_and_overdue(duty_app, county, lang, size, monkeypatch):
    if size == (80, 24):
        monkeypatch.setenv("NO_COLOR", "1")  # the lights are told by their glyphs
    async with duty_app(ledger=county, lang=lang, size=size) as pilot:
        screen = await open_county_by_palette(pilot)
        app = pilot.app
        a, b = screen.county.towns
        assert (a.name, b.name) == (A, B) and (a.light("sample"), b.light("sample")) == ("green", "yellow")
        a_row, b_row = row_of(app, A), row_of(app, B)
        # the town, its sample area's glyph, the score, errors, warnings, overdue: all on the line, nothing cut
        assert a_row.split()[1:] == ["✓", "100", "0", "0", "0"], a_row
        assert b_row.split()[1:] == ["!1", "80", "0", "1", "1"], b_row
        text = screen_text(app)
        assert ("示例" if lang == "zh" else "Sample") in text  # the area's column
        assert ("/100" in text) and ("✓ 通过" in text if lang == "zh" else "✓ pass" in text)
        assert all(len(line.rstrip()) <= size[0] for line in text.splitlines())
        detail = screen.query_one("#county-detail").render()
        assert A in str(detail) and ("得分 100/100" if lang == "zh" else "score 100/100") in str(detail)


async def test_enter_opens_the_towns_own_dashboard_and_esc_comes_back_to_the_county(duty_app, county):
    from duty_tui.tui.screens.county import CountyScreen, TownScreen
    from duty_tui.tui.screens.dashboard import DashboardView

    async with duty_app(ledger=county, lang="en", size=(100, 30)) as pilot:
        app = pilot.app
        county_session, county_background = app.session, app.background
        screen = await open_county_by_palette(pilot)
        await pilot.press("down")
        await wait_until(pilot, lambda: screen.highlighted_town() is not None and screen.highlighted_town().name == B, "乙镇 highlighted")
        await pilot.press("enter")
        town = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, TownScreen) else None, "the town's screen")
        view = town.query_one(DashboardView)
        await wait_until(pilot, lambda: view.board is not None and not view.board.pending, "the town's dashboard")
        assert app.session.ledger is screen.county.towns[1].ledger  # read through 乙镇's own ledger
        assert app.session.ledger.store.url != county.store.url
        assert [item.title for item in view.board.due] == ["乙镇理论学习"]  # its own overdue meeting, none of 甲镇's
        assert [f.message.render("en") for f in view.board.findings] == ["1 of 2 meetings"]
        assert B in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CountyScreen), "back on the county screen")
        assert app.session is county_session and app.background is county_background


async def test_leaving_a_town_another_way_gives_the_county_ledger_back_at_once(duty_app, county):
    from duty_tui.tui.screens.county import TownScreen
    from duty_tui.tui.screens.main import MainScreen

    async with duty_app(ledger=county, lang="zh", size=(80, 24)) as pilot:
        app = pilot.app
        county_session = app.session
        screen = await open_county_by_palette(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TownScreen), "甲镇's screen")
        assert app.session.ledger is screen.county.towns[0].ledger
        app.show_view("findings")  # what the palette's 检查结果 does: to the main screen
        assert app.session is county_session  # before anything on the main screen reads it
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.switcher.current == "findings"
                         and app.screen.view("findings").query("#findings-area"), "the findings on the main screen")


async def test_kept_towns_are_shown_at_once_and_a_changed_town_is_marked_while_it_is_checked_again(duty_app, duty_admin, tmp_path, monkeypatch):
    """Towns kept in the store: the second opening shows every town at once from the kept
    standings; after a write in 乙镇, 乙镇's row is its last standing marked ~ (the title says it is
    updating) until it is computed again, and 甲镇 is not computed at all."""
    import threading

    from duty_tui import standing_cache
    from duty_tui.present import county as present

    monkeypatch.setenv("DUTY_CACHE_DIR", str(tmp_path / "cache"))
    ids = {}
    for name in (A, B):
        ids[name] = duty_admin.create("unit", {"name": name, "kind": "committee"}).id
        ids[name + "书记"] = duty_admin.create("person", {"name": name[0] + "书记", "unit": ids[name]}).id
    gate, first_done = threading.Event(), threading.Event()
    computing = present.standing_of

    def gated(*args, **kwargs):
        if first_done.is_set():  # the first town goes through; the others wait for the gate
            gate.wait(30)
        first_done.set()
        return computing(*args, **kwargs)

    monkeypatch.setattr(present, "standing_of", gated)
    standing_cache.computed.clear()
    async with duty_app(ledger=duty_admin, lang="en", size=(100, 30)) as pilot:
        app = pilot.app
        screen = await landed_on_county(pilot)  # the operator oversees two towns: duty opens on them
        # nothing kept: each town's row fills in as it is computed, the others say they are being checked
        await wait_until(pilot, lambda: screen.county is not None and [t.origin for t in screen.county.towns] == ["computed", "pending"],
                         "甲镇 computed, 乙镇 still pending")
        await pilot.pause()
        assert "Reading the towns… 1/2" in screen_text(app) and "checking…" in row_of(app, B) and "checking" not in row_of(app, A)
        gate.set()
        await wait_until(pilot, lambda: screen.updating is None and screen.county.towns[1].origin == "computed", "both computed")
        assert [unit for _, unit in standing_cache.computed] == [ids[A], ids[B]]
        first = {t.name: (t.errors, t.warnings) for t in screen.county.towns}
        await pilot.press("escape")
        duty_admin.update(ids[B + "书记"], {"name": "乙镇新书记"})
        gate.clear()
        standing_cache.computed.clear()
        screen = await push_county_by_palette(pilot)
        await wait_until(pilot, lambda: screen.county is not None and screen.updating is not None, "the kept towns shown")
        assert [t.origin for t in screen.county.towns] == ["kept", "stale"]
        await pilot.pause()
        text = screen_text(app)
        assert "updating 0/1" in text and row_of(app, B + "~") and row_of(app, A)
        gate.set()
        await wait_until(pilot, lambda: screen.updating is None and [t.origin for t in screen.county.towns] == ["kept", "computed"],
                         "乙镇 computed again")
        assert [unit for _, unit in standing_cache.computed] == [ids[B]]
        assert {t.name: (t.errors, t.warnings) for t in screen.county.towns} == first
        await pilot.pause()
        assert "updating" not in screen_text(app) and "~" not in row_of(app, B)


async def test_the_countys_operator_lands_on_the_towns_and_esc_reads_the_main_dashboard_only_then(duty_app, county):
    """The county's admin (bound to no unit, a store of two towns) opens duty on the county screen:
    the main dashboard under it is not read (the whole county's counts, the question they did
    not ask) until Esc goes to it."""
    from duty_tui.tui.screens.county import CountyScreen
    from duty_tui.tui.screens.dashboard import DashboardView
    from duty_tui.tui.screens.main import MainScreen

    async with duty_app(ledger=county, lang="en", size=(100, 30)) as pilot:
        app = pilot.app
        screen = await landed_on_county(pilot)
        assert app.landing == "county" and [type(s) for s in app.screen_stack] == [MainScreen, CountyScreen]
        await wait_until(pilot, lambda: screen.county is not None and screen.updating is None
                         and screen.query_one("#county-towns").option_count == 2, "the towns")
        dashboard = app.screen_stack[0].query_one(DashboardView)
        assert dashboard.board is None, "the main dashboard waits under the county screen"
        assert row_of(app, A) and row_of(app, B)
        keys = screen_text(app).splitlines()[-1]
        assert "Esc Dashboard" in keys and "Back" not in keys  # where Esc goes from the screen duty opened on
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and dashboard.board is not None, "the main dashboard read")
        assert "at a glance" in screen_text(app)
        await push_county_by_palette(pilot)  # and back again, as any operator goes there
        assert row_of(app, A) and "Esc Back" in screen_text(app).splitlines()[-1]


async def test_a_towns_own_operators_land_on_their_dashboard(duty_app, duty_admin):
    """One town in the store, or an operator bound to one town of a county: the dashboard, as ever."""
    from duty_tui.tui.screens.dashboard import DashboardView

    a = duty_admin
    town = a.create("unit", {"name": A, "kind": "committee"}).id
    a.create("person", {"name": "甲书记", "unit": town})
    async with duty_app(ledger=a, lang="en", size=(100, 30)) as pilot:
        assert pilot.app.landing == "dashboard"
        await wait_until(pilot, lambda: pilot.app.screen.query_one(DashboardView).board is not None, "the dashboard")
    other = a.create("unit", {"name": B, "kind": "committee"}).id
    a.create("person", {"name": "乙书记", "unit": other})
    a.add_user("jia", "admin", unit=town)
    from duty_tui.ledger import Ledger

    jia = Ledger.for_login(a.store, a.registry, "jia")
    async with duty_app(ledger=jia, lang="zh", size=(80, 24)) as pilot:
        assert pilot.app.landing == "dashboard"
    async with duty_app(ledger=a, lang="zh", size=(80, 24)) as pilot:
        assert pilot.app.landing == "county"
        await landed_on_county(pilot)
