"""Keys: every binding of the TUI and of the plugins' screens has an id in the action registry, so
the operator's [keymap] rebinds it and help lists it; the key bar is built from the bindings (in
the operator's language, with the keys as the keymap has them); a plugin's screen declares its
keys on its ScreenSpec and a RecordListScreen gets the shared layout, as a third party's does."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import duty_tui_plugins
import duty_tui_plugins.leadership
from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.testing import open_plugin_screen, open_record_list, screen_text, wait_until
from duty_tui.tui import actions
from duty_tui.tui.screens.help import HelpScreen
from duty_tui.tui.screens.main import MainScreen
from duty_tui.tui.screens.record_detail import RecordDetailScreen
from duty_tui.tui.screens.record_form import RecordFormScreen
from duty_tui.ui_api import Action, ScreenSpec

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "src" / "duty_tui" / "tui", ROOT / "plugins", ROOT / "examples"]
PINNED = {"year": 2026, "today": dt.date(2026, 3, 15)}


def classes_with_bindings():
    """Every Textual class defined in duty_tui.tui and the built-in plugins, with its own BINDINGS."""
    from textual.dom import DOMNode

    import duty_tui.tui as tui

    modules = [m.name for m in pkgutil.walk_packages(tui.__path__, "duty_tui.tui.")]
    modules += [m.name for m in pkgutil.walk_packages(duty_tui_plugins.__path__, "duty_tui_plugins.")]
    for name in modules:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == name and "BINDINGS" in cls.__dict__:
                yield cls


def built_in_screen_actions() -> dict[str, Action]:
    from duty_tui.registry import load_registry

    registry = load_registry(extra=[], entry_points=None)
    return {a.id: a for spec in registry.screens.values() for a in spec.actions}


def test_every_binding_in_the_tui_and_the_plugins_has_an_id_in_the_registry():
    declared = built_in_screen_actions()
    checked = []
    for cls in classes_with_bindings():
        for binding in cls.__dict__["BINDINGS"]:
            where = f"{cls.__module__}.{cls.__qualname__}: {binding!r}"
            assert not isinstance(binding, tuple) and binding.id, f"no action id: {where}"
            action = actions.find(binding.id)
            assert action is not None, f"not in the registry: {where}"
            if binding.id not in actions.BY_ID:  # a plugin's: declared on its ScreenSpec, so help and [keymap] know it
                assert declared.get(binding.id) == action, f"not on a ScreenSpec: {where}"
            checked.append(cls.__qualname__)
    for name in ("ReferencePicker", "RecordTable", "FilterInput", "ConfirmScreen", "HelpScreen", "StructureScreen", "CasesScreen", "ComingEventsScreen", "ScorecardScreen", "EventPickerScreen",
                 "NewCaseScreen", "AcceptSuggestionsScreen", "TickList"):
        assert name in checked, name


def test_no_binding_is_written_out_by_hand():
    """Bindings come from actions (actions.bindings, plugin_screen.screen_bindings): no Binding(...)
    and no (key, action) tuples in a BINDINGS list, in the TUI, the plugins or the example plugin."""
    found = []
    paths = [p for root in SOURCES for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts]
    for path in paths:
        if path == ROOT / "src" / "duty_tui" / "tui" / "actions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Binding":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} Binding(...)")
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "BINDINGS" for t in node.targets) \
                    and isinstance(node.value, (ast.List, ast.Tuple)) and node.value.elts:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} BINDINGS = [...]")
    assert len(paths) > 50 and not found, found


KEY_WORDS = re.compile(r"\b(Enter|Esc|Ctrl\+\w|Tab|Space)\b|空格|↑|↓")


def test_no_key_hint_is_typed_into_a_message():
    """A sentence naming a key takes it from the binding (``{save}``, ``{close}``), so a rebound
    key is named as rebound."""
    from duty_tui.present.messages import MESSAGES

    texts = {f"messages {k}": v for k, v in MESSAGES.items()}
    for name in ("leadership.structure_screen", "positions.coming_screen", "accountability.cases_screen",
                 "accountability.case_screens", "assessment.scorecard_screen"):
        module = importlib.import_module(f"duty_tui_plugins.{name}")
        texts.update({f"{name} {k}": v for k, v in module.TEXT.items() if isinstance(v, L)})
    typed = {where: text for where, text in texts.items() if KEY_WORDS.search(text.zh) or KEY_WORDS.search(text.en)}
    assert not typed, typed


def test_a_screen_declares_its_actions_in_its_plugins_namespace():
    act = Action("mine.chart.open", "enter", "open", L("打开", "Open"))
    ScreenSpec("mine.chart", L("图", "Chart"), "sample", lambda ui: None, actions=(act,))
    with pytest.raises(ValueError, match="list.new"):
        ScreenSpec("mine.chart", L("图", "Chart"), "sample", lambda ui: None,
                   actions=(Action("list.new", "n", "new", L("新", "New")),))
    with pytest.raises(ValueError):
        Action("", "n", "new", L("新", "New"))


# -- a third party's screen: a RecordListScreen subclass with its own keys, declared on its ScreenSpec ----

MARK = Action("sample.meetings.mark", "m", "mark", L("标记", "Mark"))
OPEN_MEETING = Action("sample.meetings.open", "enter", "open", L("打开会议", "Open the meeting"))


def open_meetings(ui):
    from textual.widgets.option_list import Option

    from duty_tui.tui.plugin_screen import RecordListScreen

    class MeetingsScreen(RecordListScreen):
        TEXT = {"title": L("会议 · {year}年", "Meetings · {year}"), "summary": L("{n} 次", "{n} meeting(s)")}
        ACTIONS = (OPEN_MEETING, MARK)

        def load(self):
            self.meetings = self.ui.ledger.all("meeting", year=self.ui.year)
            self.marked = getattr(self, "marked", [])

        def show(self):
            self.heading(self.t("title", year=self.ui.year))
            self.summary(self.t("summary", n=len(self.meetings)))
            self.refill([Option(m.data["title"], id=m.id) for m in self.meetings])

        def action_mark(self):
            self.marked.append(self.highlighted_id())

    return MeetingsScreen(ui)


class MeetingsPlugin:
    @hookimpl
    def duty_register_screens(self, register):
        register(ScreenSpec("sample.meetings", L("会议一览", "Meetings at a glance"), "sample", open_meetings,
                            actions=(OPEN_MEETING, MARK)))


@pytest.fixture
def meetings_plugin(duty_plugins):
    duty_plugins.append(("meetings", MeetingsPlugin()))


def keybar(app) -> list[tuple[str, str]]:
    return app.screen.query_one("KeyBar").entries()


async def test_a_plugin_screens_keys_show_rebind_and_follow_the_language(meetings_plugin, town, duty_app):
    keymap = {"sample.meetings.mark": "x", "screen.refresh": "f9", "sample.nothing": "q"}
    async with duty_app(ledger=town, size=(120, 30), keymap=keymap, **PINNED) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        notices = [n.message for n in app._notifications]
        assert any(m.startswith("keymap: no action 'sample.nothing'") for m in notices), notices
        assert not any(m.startswith("keymap: no action 'sample.meetings") for m in notices), notices
        await open_plugin_screen(pilot, "sample.meetings")
        await wait_until(pilot, lambda: "Meetings · 2026" in screen_text(app), "the plugin's screen")
        assert "2 meeting(s)" in screen_text(app)
        bar = keybar(app)
        assert bar[:4] == [("⏎", "Open the meeting"), ("x", "Mark"), ("f9", "Refresh"), ("Esc", "Back")], bar
        assert ("[", "Prev year") in bar  # the screen follows the year: [ and ] are told
        screen = app.screen
        await pilot.press("m")
        assert screen.marked == []
        await pilot.press("x")
        assert screen.marked == ["meeting-1"]
        await pilot.press("f2")
        await wait_until(pilot, lambda: ("x", "标记") in keybar(app), "the key bar in Chinese")
        assert "会议 · 2026年" in screen_text(app)
        app.update_keymap({"sample.meetings.open": "o"})  # remapping at run time: the bar follows
        await wait_until(pilot, lambda: ("o", "打开会议") in keybar(app), "the rebound key")
        await pilot.press("o")
        detail = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordDetailScreen) else None, "the meeting")
        assert detail.record.id == "meeting-1"


@pytest.mark.duty_plugin(duty_tui_plugins.leadership)
async def test_a_built_in_plugin_screens_key_is_rebound_by_the_keymap(town, duty_app):
    town.create("leader", {"person": "person-1", "role": "first_responsible", "since": "2024-01-01"})
    async with duty_app(ledger=town, lang="zh", keymap={"leadership.structure.open": "o"}, **PINNED) as pilot:
        app = pilot.app
        await open_plugin_screen(pilot, "leadership.structure")
        await wait_until(pilot, lambda: "责任体系 · 2026年" in screen_text(app), "the structure screen")
        assert keybar(app)[:3] == [("o", "打开记录"), ("r", "刷新"), ("Esc", "返回")]
        assert "o 打开记录" in screen_text(app) and "Enter" not in screen_text(app)
        await pilot.press("o")
        detail = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordDetailScreen) else None, "the leader")
        assert detail.record.type == "leader"


async def test_the_keymap_rebinds_the_reference_pickers_keys_and_the_hint_says_so(town, duty_app):
    async with duty_app(ledger=town, keymap={"picker.next": "ctrl+j", "picker.choose": "ctrl+o"}, **PINNED) as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        await pilot.press("n")
        form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")
        picker = form.query_one("#field-organizer")
        assert picker.input.placeholder == "type to search, ^j to pick, ^o to choose"
        picker.focus()
        await wait_until(pilot, lambda: picker.input.has_focus, "the organiser picker")
        await pilot.press("ctrl+j")  # the menu, every person, the first highlighted
        await wait_until(pilot, lambda: picker.menu.display and len(picker._results) == 3, "the matches")
        await pilot.press("ctrl+j")
        assert picker.menu.highlighted == 1
        await pilot.press("ctrl+o")
        assert picker.get_raw() == picker._results[1]


async def test_the_keymap_rebinds_a_dialogs_keys(town, duty_app):
    from duty_tui.tui.screens.dialogs import ConfirmScreen

    async with duty_app(ledger=town, keymap={"dialog.next": "l", "modal.cancel": "ctrl+g"}, **PINNED) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        answers = []
        app.push_screen(ConfirmScreen("Delete?", "really", "Delete", "Keep"), answers.append)
        dialog = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, ConfirmScreen) else None, "the dialog")
        await wait_until(pilot, lambda: app.focused is dialog.query_one("#no"), "the safe answer focused")
        await pilot.press("right")
        assert app.focused is dialog.query_one("#no"), "right is not bound any more"
        await pilot.press("l")
        assert app.focused is dialog.query_one("#yes")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen), "Escape is not bound any more"
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: answers == [False], "cancelled by the rebound key")


async def test_help_lists_every_key_of_the_core_and_of_the_plugins_screens_as_bound(meetings_plugin, town, duty_app):
    async with duty_app(ledger=town, size=(120, 40), keymap={"picker.next": "ctrl+j"}, **PINNED) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        await pilot.press("f1")
        help_screen = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, HelpScreen) else None, "help")
        table = help_screen.query_one("DataTable")
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        listed = {row[2] for row in rows}
        assert set(actions.BY_ID) <= listed
        assert {"sample.meetings.open", "sample.meetings.mark"} <= listed
        assert ["", "Meetings at a glance", ""] in rows and ["", "Plugin screens", ""] in rows
        assert ["  ^j", "Next match", "picker.next"] in rows and ["  m", "Mark", "sample.meetings.mark"] in rows
        assert "Esc closes" in screen_text(app)


# -- two screens that claim one action id: the second still opens, without that key -----------------

FIRST_CLAIM = Action("sample.claimed.go", "g", "go", L("前往", "Go"))
SECOND_CLAIM = Action("sample.claimed.go", "h", "go", L("出发", "Set off"))


def claiming_screen(title, action):
    def open_screen(ui):
        from duty_tui.tui.plugin_screen import RecordListScreen

        class Claiming(RecordListScreen):
            TEXT = {"title": L(title, title)}
            ACTIONS = (action,)

            def load(self):
                pass

            def show(self):
                self.heading(self.t("title"))

        return Claiming(ui)
    return open_screen


class ClaimingPlugin:
    @hookimpl
    def duty_register_screens(self, register):
        register(ScreenSpec("sample.first", L("甲", "First"), "sample", claiming_screen("First screen", FIRST_CLAIM), actions=(FIRST_CLAIM,)))
        register(ScreenSpec("sample.second", L("乙", "Second"), "sample", claiming_screen("Second screen", SECOND_CLAIM), actions=(SECOND_CLAIM,)))


@pytest.fixture
def claiming_plugin(duty_plugins):
    duty_plugins.append(("claiming", ClaimingPlugin()))


async def test_an_action_id_two_screens_claim_leaves_the_second_ones_key_out_with_a_notice(claiming_plugin, town, duty_app):
    async with duty_app(ledger=town, size=(120, 30), **PINNED) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        notices = [n.message for n in app._notifications]
        assert any("sample.second" in m and "sample.claimed.go" in m and "left out" in m for m in notices), notices
        await open_plugin_screen(pilot, "sample.second")
        await wait_until(pilot, lambda: "Second screen" in screen_text(app), "the second screen, opened all the same")
        assert ("h", "Set off") not in keybar(app) and ("h", "Go") not in keybar(app)
