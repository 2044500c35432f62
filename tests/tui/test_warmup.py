"""A key that puts a screen up answers quickly (issue 14): every screen's stylesheet is read with
the app's before the first paint (no reparse of the app's CSS on a screen's first push), the
first screens' modules are imported before their first key (tui/warmup.py) but never while a
key is being answered, a new screen is styled once and has its focus from the start
(screens/styled_once.py, AUTO_FOCUS), a record's detail is drawn once as it opens, closing a
dialog does not lay out the screen under it again, and the collector's full collections wait
for a pause (warmup.IdleCollector)."""

from __future__ import annotations

import gc
import time

import pytest

from duty_tui.testing import open_record_list, wait_until
from duty_tui.tui import warmup
from duty_tui.tui.screens.dialogs import TransitionScreen
from duty_tui.tui.screens.jump import JumpScreen
from duty_tui.tui.screens.record_detail import RecordDetailScreen
from duty_tui.tui.screens.record_form import RecordFormScreen


async def test_every_screens_stylesheet_is_read_before_the_first_paint(town, duty_app, monkeypatch):
    """A screen whose CSS_PATH is not read yet makes Textual reparse the app's every stylesheet
    and restyle every node as it is pushed (15-25 ms on the session's first Ctrl+G)."""
    reparsed: list[str] = []
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        monkeypatch.setattr(type(app.stylesheet), "reparse", lambda self: reparsed.append("reparse"))
        for screen in (JumpScreen(), RecordFormScreen(app.session.registry.types["meeting"]), RecordDetailScreen("meeting-1"),
                       TransitionScreen(app.session.ledger.get("meeting-1"), app.session.registry.types["meeting"])):
            for path in screen.css_path:
                assert app.stylesheet.has_source(str(path), ""), path
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, JumpScreen), "the jump")
        await pilot.press("escape")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen), "the form")
        assert reparsed == []


async def test_the_warm_up_imports_the_first_screens_but_not_right_after_a_key(town, duty_app, monkeypatch):
    imported: list[tuple[float, str]] = []
    monkeypatch.setattr(warmup.WarmUp, "forced", True)
    monkeypatch.setattr(warmup, "DELAY", 0.01)
    monkeypatch.setattr(warmup, "GAP", 0.05)
    monkeypatch.setattr(warmup.importlib, "import_module", lambda name: imported.append((time.monotonic(), name)))
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: getattr(app, "warm_up", None) is not None and imported, "the warm-up's first step")
        await pilot.press("ctrl+g")  # a key while it runs: its answer is built without a step in between
        key = app.warm_up.last_input
        await wait_until(pilot, lambda: app.warm_up.done, "the warm-up")
        assert [name for _, name in imported] == list(warmup.MODULES)
        assert not [name for at, name in imported if key <= at < key + warmup.AFTER_KEY], "a step right after the key"
        assert app.idle_collector is None, "a headless app leaves the collector as it is"
        await pilot.press("escape")


async def test_after_the_warm_up_the_first_jump_and_forms_parse_no_widget_css(town, duty_app, monkeypatch):
    """Textual parses a widget class's default CSS as the first one mounts (2-8 ms a class): the
    warm-up has done it for the widgets of the jump, the forms and the dialogs."""
    monkeypatch.setattr(warmup.WarmUp, "forced", True)
    monkeypatch.setattr(warmup, "DELAY", 0.01)
    monkeypatch.setattr(warmup, "GAP", 0.001)
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: getattr(app, "warm_up", None) is not None and app.warm_up.done, "the warm-up")
        known = set(app.stylesheet.source)
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, JumpScreen), "the jump")
        await pilot.press("escape")
        for record_type in ("meeting", "unit"):  # every kind of editor: text, date, numbers, yes/no, choices, references, long text
            await open_record_list(pilot, record_type)
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen), "the form")
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, RecordFormScreen), "the list again")
        assert set(app.stylesheet.source) - known == set()


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


async def test_closing_a_dialog_does_not_lay_out_the_screen_under_it_again(town, duty_app, monkeypatch):
    """Textual refreshed the top screen's layout once a screen taken off the stack was removed
    (its parent, the app, refreshed with layout=True): a layout and a frame more for the key
    that closed it. The screen shown is repainted, not laid out."""
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        under = app.screen
        await pilot.press("ctrl+g")
        jump = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, JumpScreen) else None, "the jump")
        laid_out: list[object] = []
        original = type(under)._refresh_layout

        def _refresh_layout(self, *args, **kwargs):
            laid_out.append(self)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(type(under), "_refresh_layout", _refresh_layout)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is under and jump not in app.screen_stack, "the jump gone")
        await pilot.pause(0.1)
        assert laid_out == []


async def test_a_records_detail_is_drawn_once_as_it_opens_at_the_terminals_width(town, duty_app, monkeypatch):
    """It was drawn on mount, before it had a size (no wrapping), and again on its first Resize."""
    shown: list[int] = []
    original = RecordDetailScreen.show

    def show(self) -> None:
        original(self)
        shown.append(self.shown_width)

    monkeypatch.setattr(RecordDetailScreen, "show", show)
    async with duty_app(ledger=town, size=(80, 24)) as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        app.open_record("meeting-1")
        detail = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordDetailScreen) else None, "the detail")
        await wait_until(pilot, lambda: detail.query_one("#detail-fields").size.width > 0, "laid out")
        await pilot.pause(0.1)
        assert shown == [80], shown
        assert app.focused is detail.query_one("#detail-body")



async def test_the_jump_carries_no_toasts_and_they_show_again_when_it_closes(town, make_app):
    """A notice showing as Ctrl+G is pressed (the login's reminder, 15 s) was mounted on the
    jump again: a second layout and frame of the session's first key."""
    app = make_app(town)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:  # the kit's duty_app runs without them
        await open_record_list(pilot, "meeting")
        under = app.screen
        app.notify("a notice that lasts", severity="warning", timeout=30)  # a toast (a short information is said in the key bar)
        await wait_until(pilot, lambda: under.query("Toast"), "the notice")
        await pilot.press("ctrl+g")
        jump = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, JumpScreen) else None, "the jump")
        await pilot.pause(0.1)
        assert not jump.query("ToastRack") and not jump.query("Tooltip")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is under and under.query("Toast"), "the notice again under the jump")


async def _frames_of_a_jump(town, duty_app, monkeypatch, hold: bool) -> int:
    """The frames painted from Ctrl+G until the jump has settled."""
    from duty_tui.tui.screens import jump as jump_module
    from duty_tui.tui.screens.styled_once import PaintedSettled

    every = jump_module.places
    monkeypatch.setattr(jump_module, "places", lambda app: every(app) * 6)  # more places than the menu's 14 lines
    if not hold:
        monkeypatch.setattr(PaintedSettled, "_asked_again", lambda self: False)
    async with duty_app(ledger=town, size=(100, 30)) as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        painted: list[object] = []
        original = type(app)._display

        def _display(self, screen, renderable):
            painted.append(screen)
            return original(self, screen, renderable)

        monkeypatch.setattr(type(app), "_display", _display)
        await pilot.press("ctrl+g")
        jump = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, JumpScreen) else None, "the jump")
        await pilot.pause(0.3)
        options = jump.query_one("#jump-options")
        assert options.show_vertical_scrollbar, "the menu is longer than its window"
        monkeypatch.setattr(type(app), "_display", original)
        return len([s for s in painted if s is jump])


async def test_a_screen_whose_menu_gets_a_scrollbar_is_not_painted_before_it_has_one(town, duty_app, monkeypatch):
    """The first layout of the jump finds its menu too long and gives it a scrollbar, which asks
    for another layout: the frame between (the whole terminal, without the scrollbar) was
    painted too (screens/styled_once.PaintedSettled)."""
    held = await _frames_of_a_jump(town, duty_app, monkeypatch, hold=True)
    monkeypatch.undo()
    painted = await _frames_of_a_jump(town, duty_app, monkeypatch, hold=False)
    assert held < painted, (held, painted)


async def test_after_the_warm_up_the_first_jump_is_only_shown(town, duty_app, monkeypatch):
    """The warm-up's last step composes and mounts the jump unseen (DutyApp.prepare_jump): the
    session's first Ctrl+G composes nothing, and the jump opens empty with the focus in its field,
    while the screen under it keeps its own."""
    monkeypatch.setattr(warmup.WarmUp, "forced", True)
    monkeypatch.setattr(warmup, "DELAY", 0.01)
    monkeypatch.setattr(warmup, "GAP", 0.001)
    composed: list[object] = []
    original = JumpScreen.compose

    def compose(self):
        composed.append(self)
        return original(self)

    monkeypatch.setattr(JumpScreen, "compose", compose)
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        view = await open_record_list(pilot, "meeting")
        await wait_until(pilot, lambda: getattr(app, "warm_up", None) is not None and app.warm_up.done, "the warm-up")
        assert len(composed) == 1 and app.focused is view.table, "composed unseen; the list keeps the focus"
        await pilot.press("ctrl+g")
        jump = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, JumpScreen) else None, "the jump")
        assert composed == [jump], "not composed again on the key"
        await wait_until(pilot, lambda: app.focused is jump.query_one("#jump-input"), "the focus in the jump's field")
        assert len(jump.shown) == len(jump.all)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is not jump and app.focused is view.table, "back on the list")


async def test_a_jump_mounted_by_the_warm_up_opens_in_the_language_switched_to_since(town, duty_app, monkeypatch):
    monkeypatch.setattr(warmup.WarmUp, "forced", True)
    monkeypatch.setattr(warmup, "DELAY", 0.01)
    monkeypatch.setattr(warmup, "GAP", 0.001)
    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        await wait_until(pilot, lambda: getattr(app, "warm_up", None) is not None and app.warm_up.done, "the warm-up")
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.lang == "en", "English")
        await pilot.press("ctrl+g")
        jump = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, JumpScreen) else None, "the jump")
        await wait_until(pilot, lambda: str(jump.query_one("#jump-title").render()) == app.session.t("jump.title"), "its title in English")
        assert jump.query_one("#jump-input").placeholder == app.session.t("jump.placeholder")
