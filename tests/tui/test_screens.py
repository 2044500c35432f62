"""The screens' promises: the dashboard's content and Enter on it, navigation by keyboard, the
language switch, a list that holds only the rows in view, plugins' screens and commands, keys
that can be rebound, and a layout that works at 80×24."""

from __future__ import annotations

import datetime as dt

import pytest

from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.testing import open_record_list, screen_text, type_text, wait_until
from duty_tui.tui.screens.dialogs import PickRecordScreen
from duty_tui.tui.screens.help import HelpScreen
from duty_tui.tui.screens.main import MainScreen
from duty_tui.tui.screens.record_detail import RecordDetailScreen
from duty_tui.tui.screens.record_form import RecordFormScreen
from duty_tui.ui_api import PaletteCommand, ScreenSpec


async def dashboard_ready(pilot):
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.query_one("DashboardView").board is not None,
                     "the dashboard's data")
    return app.screen.query_one("DashboardView")


async def test_the_dashboard_shows_checks_counts_due_items_and_findings(town, duty_app):
    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        board = (await dashboard_ready(pilot)).board
        text = screen_text(app)
        assert "xx镇党委" in text and "admin (admin)" in text and "sqlite:duty.db" in text and "2026" in text
        assert "2026 at a glance" in text
        sample = next(a for a in board.areas if a.area == "sample")
        assert (sample.rules, sample.passed, sample.warnings, sample.errors, sample.records) == (1, 1, 0, 0, 2)
        assert "passed 1  warnings 0  errors 0  records 2" in text
        assert [(d.title, d.days(board.today)) for d in board.due] == [("中心组集中学习", -14), ("意识形态工作专题会", 5)]
        assert "overdue" in text and "in 5 d" in text


async def test_slow_rules_fill_in_after_the_first_paint(town, duty_app, monkeypatch):
    from duty_tui.tui.screens import dashboard

    monkeypatch.setattr(dashboard, "RULE_BUDGET", -1)  # as if the store were a county's million records
    town.set_setting("sample.meetings.min", 5)
    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        view = await dashboard_ready(pilot)
        await wait_until(pilot, lambda: not view.board.pending, "the rules run in the background")
        await wait_until(pilot, lambda: "2 of 5 meetings" in screen_text(app), "their findings on screen")
        assert "still checking" not in screen_text(app)


async def test_enter_on_a_due_item_or_a_finding_opens_its_record(town, duty_app):
    town.set_setting("sample.meetings.min", 5)
    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        board = (await dashboard_ready(pilot)).board
        assert [f.rule for f in board.findings] == ["sample.meeting-count"]
        assert "会议 2/5 次" in screen_text(app)
        await pilot.press("tab")  # from the navigation to the due list
        await pilot.press("enter")
        detail = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordDetailScreen) else None, "the record")
        assert detail.record.data["title"] == "中心组集中学习"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the dashboard")
        await pilot.press("tab")  # the findings list
        await pilot.press("enter")
        picker = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, PickRecordScreen) else None, "a choice of records")
        assert picker.record_ids == list(board.findings[0].records)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordDetailScreen), "the chosen record")


async def test_the_navigation_tree_opens_lists_findings_and_the_audit_log(town, duty_app):
    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        await dashboard_ready(pilot)
        assert app.focused.id == "nav"
        await pilot.press("down", "enter")  # Findings
        await wait_until(pilot, lambda: app.screen.switcher.current == "findings", "the findings view")
        await wait_until(pilot, lambda: app.focused.id == "findings-table", "focus on findings")
        await pilot.press("escape", "down", "enter")  # Audit log
        await wait_until(pilot, lambda: app.screen.switcher.current == "audit", "the audit log")
        audit = app.screen.view("audit")
        assert audit.entries[0].seq == audit.head, "newest first"
        await pilot.press("escape", "down", "down", "enter")  # Directory › Unit
        await wait_until(pilot, lambda: app.screen.switcher.current == "list-unit", "the unit list")
        await wait_until(pilot, lambda: "东风村" in screen_text(app), "the units")


async def test_the_language_switches_while_running(town, duty_app):
    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        await dashboard_ready(pilot)
        view = await open_record_list(pilot, "meeting")
        assert "Title" in screen_text(app) and "draft" in screen_text(app)
        await pilot.press("f2")
        await wait_until(pilot, lambda: "题目" in screen_text(app), "Chinese headers")
        text = screen_text(app)
        assert "草稿" in text and "新建" in text and "会议" in text
        assert app.session.lang == "zh"
        await pilot.press("f2")
        await wait_until(pilot, lambda: "Title" in screen_text(app), "English again")
        assert view.table.total == 2


async def test_chinese_text_stays_aligned_in_the_table(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        from rich.cells import cell_len

        lines = [line for line in screen_text(app).splitlines() if "meeting-" in line or "编号" in line]
        date_columns = set()
        for line in lines[1:]:
            prefix = line[:line.index("2026-")]
            date_columns.add(cell_len(prefix))
        assert len(lines) == 3 and len(date_columns) == 1, lines


async def test_the_list_holds_only_the_rows_in_view(town, duty_app):
    for n in range(600):
        town.create("meeting", {"title": f"例会 {n:04d}", "date": (dt.date(2026, 1, 1) + dt.timedelta(days=n % 365)).isoformat()})
    async with duty_app(ledger=town, lang="en") as pilot:
        view = await open_record_list(pilot, "meeting")
        table = view.table
        assert table.total == 602
        assert table.held_rows <= 2 * table.size.height, "a window, not the whole type"
        await pilot.press("end")
        await wait_until(pilot, lambda: table.cursor_row == 601, "the last row")
        assert table.current.data["title"] == "例会 0599"
        assert table.held_rows <= 2 * table.size.height
        fetches = table.fetches
        await pilot.press("up", "up", "up")
        assert table.fetches == fetches, "moving inside the window reads nothing"
        await pilot.press("home")
        await wait_until(pilot, lambda: table.cursor_row == 0, "the first row")
        assert table.current.data["title"] == "中心组集中学习"


async def test_a_keymap_rebinds_keys_by_action_id(town, duty_app):
    async with duty_app(ledger=town, lang="en", keymap={"list.new": "ctrl+n", "no.such": "x"}) as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        await pilot.press("n")
        assert not isinstance(app.screen, RecordFormScreen)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen), "the form by the rebound key")
        assert any("no action 'no.such'" in n.message for n in app._notifications)


async def test_a_bad_keymap_is_told_in_the_operators_language(town, duty_app):
    async with duty_app(ledger=town, lang="zh", keymap={"no.such": "x", "list.new": ""}) as pilot:
        notices = [n.message for n in pilot.app._notifications]
        assert any("没有操作 “no.such”" in m for m in notices) and any("“list.new” 应为按键" in m for m in notices), notices


async def test_help_lists_every_key_in_the_operators_language(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        await dashboard_ready(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        rows = [[str(cell) for cell in app.screen.query_one("DataTable").get_row_at(i)] for i in range(app.screen.query_one("DataTable").row_count)]
        assert ["", "记录列表", ""] in rows
        assert ["  n", "新建", "list.new"] in rows
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")


async def test_it_works_at_80_by_24(town, duty_app):
    async with duty_app(ledger=town, lang="zh", size=(80, 24)) as pilot:
        app = pilot.app
        await dashboard_ready(pilot)
        view = await open_record_list(pilot, "meeting")
        text = screen_text(app)
        assert "中心组集中学习" in text and "/ 筛选" in text
        assert view.table.size.width >= 50
        await pilot.press("n")
        form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form.query_one("#error-title").display, "errors")
        assert "必填" in screen_text(app)


class ChartPlugin:
    """A plugin adding a screen and a palette command without importing Textual at load."""

    opened: list[str] = []

    @staticmethod
    def make_screen(ui):
        from textual.screen import Screen
        from textual.widgets import Static

        class Chart(Screen):
            BINDINGS = [("escape", "app.pop_screen", "Back")]

            def compose(self):
                yield Static(f"chart for {ui.year} by {ui.ledger.user.name}")

        return Chart()

    @hookimpl
    def duty_register_screens(self, register):
        register(ScreenSpec("sample.chart", L("责任图", "Chart"), "sample", self.make_screen))

    @hookimpl
    def duty_register_commands(self, register):
        register(PaletteCommand("sample.only-2026", L("只看 2026 年会议", "Meetings of 2026"),
                                lambda ui: ui.open_list("meeting", "year:2026")))
        register(PaletteCommand("sample.export-all", L("导出全部会议", "Export every meeting"),
                                lambda ui: ui.notify(L("已导出", "exported")), needs="export"))


@pytest.mark.duty_plugin(ChartPlugin(), name="chart")
async def test_plugins_add_screens_to_the_navigation_and_commands_to_the_palette(town, duty_app):
    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        await dashboard_ready(pilot)
        await pilot.press("down", "down", "down", "down", "down", "down", "down", "down", "enter")  # Sample › Chart
        await wait_until(pilot, lambda: "chart for 2026 by admin" in screen_text(app), "the plugin's screen")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette", "the palette")
        await type_text(pilot, "Meetings of 2026")
        await wait_until(pilot, lambda: "Meetings of 2026" in screen_text(app), "the plugin's command")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.switcher.current == "list-meeting", "the list the command opens")
        view = app.screen.view("list-meeting")
        await wait_until(pilot, lambda: view.filter_input.value == "year:2026" and view.table.total == 2, "its filter")


@pytest.mark.duty_plugin(ChartPlugin(), name="chart")
@pytest.mark.parametrize("role, offered", [("clerk", False), ("admin", True)])
async def test_the_palette_offers_a_command_only_to_a_role_that_may_do_it(town, duty_app, duty_ledger_as, role, offered):
    ledger = town if role == "admin" else duty_ledger_as("lina", role)
    async with duty_app(ledger=ledger, lang="en") as pilot:
        app = pilot.app
        await dashboard_ready(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette", "the palette")
        await type_text(pilot, "Export every")
        if offered:
            await wait_until(pilot, lambda: "Export every meeting" in screen_text(app), "the command offered")
        else:
            await wait_until(pilot, lambda: "Export every" in screen_text(app), "the typing")
            for _ in range(5):
                await pilot.pause()
            assert "Export every meeting" not in screen_text(app), "a clerk is not offered what the ledger would refuse"
        assert ("sample.export-all" in {c.id for c in app.plugin_commands()}) is offered


class BrokenPlugin:
    @hookimpl
    def duty_register_types(self, register):
        raise RuntimeError("boom")


@pytest.mark.duty_plugin(BrokenPlugin(), name="broken")
async def test_a_plugin_that_failed_to_load_is_named_in_a_notice(town, duty_app):
    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        await dashboard_ready(pilot)
        messages = [n.message for n in app._notifications]
        assert any("plugin broken failed to load" in m and "boom" in m for m in messages), messages


async def test_a_viewer_sees_no_keys_for_writing(town, duty_ledger_as, duty_app):
    viewer = duty_ledger_as("guest", "viewer")
    async with duty_app(ledger=viewer, lang="en") as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        bar = app.screen.query_one("KeyBar")
        shown = [label for _, label in bar.entries()]
        assert "Filter" in shown and "Open" in shown
        assert "New" not in shown and "Edit" not in shown and "Delete" not in shown
        await pilot.press("n")
        assert not isinstance(app.screen, RecordFormScreen)


async def test_the_record_detail_lists_its_attached_files(town, duty_app):
    from duty_tui import evidence

    evidence.attach(town, "meeting-1", [("签到表.jpg", b"\xff\xd8 sign-in sheet")])
    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        await dashboard_ready(pilot)
        app.push_screen(RecordDetailScreen("meeting-1"))
        await wait_until(pilot, lambda: "签到表.jpg" in screen_text(app), "the attached file")
        assert "image/jpeg" in screen_text(app)
