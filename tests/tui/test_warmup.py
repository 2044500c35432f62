"""A key that puts a screen up answers quickly (issue 14): the first screens' modules and styles
are ready before their first key (tui/warmup.py), a new screen is styled once and has its focus
from the start (screens/styled_once.py, AUTO_FOCUS), and the collector's full collections wait
for a pause (warmup.IdleCollector)."""

from __future__ import annotations

import gc

import pytest

from duty_tui.testing import open_record_list, wait_until
from duty_tui.tui import warmup
from duty_tui.tui.screens.record_form import RecordFormScreen


async def test_the_warm_up_reads_the_screens_stylesheets_before_their_first_push(town, duty_app, monkeypatch):
    monkeypatch.setattr(warmup.WarmUp, "forced", True)
    monkeypatch.setattr(warmup, "DELAY", 0.01)
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: getattr(app, "warm_up", None) is not None and app.warm_up.done, "the warm-up")
        for name in warmup.STYLESHEETS:
            assert app.stylesheet.has_source(str(warmup.STYLES / name), ""), name
        assert app.idle_collector is None, "a headless app leaves the collector as it is"
        # the form it prepared for opens as before, its first field focused
        await open_record_list(pilot, "meeting")
        await pilot.press("n")
        form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")
        await wait_until(pilot, lambda: app.focused is form.editor(form.rt.fields[0].name), "the first field focused")


async def test_a_form_is_styled_once_and_focused_on_its_first_field_from_the_start(town, duty_app, monkeypatch):
    restyled: list[str] = []
    original = RecordFormScreen.update_node_styles

    def update_node_styles(self, animate: bool = True) -> None:
        restyled.append(type(self).__name__)
        original(self, animate)

    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        monkeypatch.setattr(RecordFormScreen, "update_node_styles", update_node_styles)
        await pilot.press("n")
        form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")
        await pilot.pause()
        assert app.focused is form.editor(form.rt.fields[0].name)
        assert not form.query_one("#form-body").has_focus
        assert restyled == [], "no second styling of the whole form as it is first shown"


@pytest.fixture
def counts(monkeypatch):
    state = {"count": (0, 0, 0), "collected": 0}
    monkeypatch.setattr(gc, "get_count", lambda: state["count"])
    monkeypatch.setattr(gc, "collect", lambda *a: state.__setitem__("collected", state["collected"] + 1))
    return state


class _App:
    pass


def test_full_collections_wait_for_a_pause(counts, monkeypatch):
    now = [100.0]
    monkeypatch.setattr(warmup.time, "monotonic", lambda: now[0])
    collector = warmup.IdleCollector(_App())
    counts["count"] = (0, 0, warmup.IdleCollector.DUE)
    collector.touch()
    now[0] += 0.5
    collector.check()
    assert counts["collected"] == 0, "a key half a second ago: not now"
    now[0] += 1.0
    collector.check()
    assert counts["collected"] == 1, "a pause, and a full collection due"
    counts["count"] = (0, 0, 1)
    now[0] += 5
    collector.check()
    assert counts["collected"] == 1, "none due: none made, however long the pause"
    counts["count"] = (0, 0, warmup.IdleCollector.OVERDUE)
    collector.touch()
    collector.check()
    assert counts["collected"] == 2, "keys that never pause still get one, late"
