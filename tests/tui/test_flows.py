"""Whole flows by keyboard, as an operator does them: create a record with Chinese text, meet a
validation error, fix it and save; filter a list; make a workflow transition; meet a conflict."""

from __future__ import annotations

from duty_tui.testing import open_record_list, screen_text, type_text, wait_until
from duty_tui.tui.screens.dialogs import ConfirmScreen, TransitionScreen
from duty_tui.tui.screens.step_form import StepFormScreen
from duty_tui.tui.screens.main import MainScreen
from duty_tui.tui.screens.record_detail import RecordDetailScreen
from duty_tui.tui.screens.record_form import RecordFormScreen

from .conftest import open_list_by_palette


def on(app, screen_type):
    return lambda: isinstance(app.screen, screen_type)


async def test_a_new_record_with_chinese_text_shows_every_error_then_saves(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        view = await open_list_by_palette(pilot, "meeting")
        before = town.count("meeting")
        shown = view.table.total
        await pilot.press("n")
        form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")
        assert app.focused.id == "field-title"
        await type_text(pilot, "宣传思想工作座谈会")
        await pilot.press("tab", "tab", "tab")  # date, hours, seats
        await type_text(pilot, "-3")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form.query_one("#error-date").display, "the inline errors")

        errors = {name: str(form.query_one(f"#error-{name}").render()) for name in ("title", "date", "seats")}
        assert errors["title"] == ""
        assert "必填" in errors["date"]
        assert "不能为负数" in errors["seats"]
        assert "2 处" in str(form.query_one("#form-errors").render())
        assert app.focused.id == "field-date", "the first field in error gets the focus"
        assert town.count("meeting") == before, "nothing is written while a field is wrong"

        await type_text(pilot, "2026-04-02")
        await pilot.press("tab", "tab")  # hours, seats
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "30")
        await pilot.press("ctrl+s")
        await wait_until(pilot, on(app, MainScreen), "the list again")

        saved = town.query("meeting", text="座谈会")
        assert [(r.data["title"], r.data["date"].isoformat(), r.data["seats"]) for r in saved] == [("宣传思想工作座谈会", "2026-04-02", 30)]
        await wait_until(pilot, lambda: view.table.total == shown + 1, "the list counts the new record")
        assert "宣传思想工作座谈会" in screen_text(app)


async def test_a_reference_is_picked_by_typing_part_of_a_name(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        await pilot.press("n")
        form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")
        await type_text(pilot, "学习")
        await pilot.press("tab")
        await type_text(pilot, "2026-05-01")
        for _ in range(5):  # hours, seats, ideology, tags → organiser
            await pilot.press("tab")
        picker = form.query_one("#field-organizer")
        await wait_until(pilot, lambda: picker.input.has_focus, "the organiser picker")
        await type_text(pilot, "余永")
        await wait_until(pilot, lambda: picker.menu.display and picker._results, "search results")
        await pilot.press("enter")
        assert picker.get_raw() == town.query("person", text="余永福")[0].id
        await pilot.press("ctrl+s")
        await wait_until(pilot, on(app, MainScreen), "the list again")
        created = town.query("meeting", text="学习", sort=(("id", True),), limit=1)[0]
        assert created.data["organizer"] == picker.get_raw()


async def test_the_list_filters_by_text_and_by_field_terms(town, duty_app):
    for day in range(1, 29):
        town.create("meeting", {"title": f"例会 {day:02d}", "date": f"2026-02-{day:02d}", "seats": day})
    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        view = await open_record_list(pilot, "meeting")
        assert view.table.total == 30  # the 2026 meetings; the list follows the header's year
        await pilot.press("slash")
        await wait_until(pilot, lambda: view.filter_input.has_focus, "the filter box")
        await type_text(pilot, "例会")
        await wait_until(pilot, lambda: view.table.total == 28, "the text filter")
        await type_text(pilot, " seats>=20")
        await wait_until(pilot, lambda: view.table.total == 9, "the field term")
        await type_text(pilot, " 日期<2026-02-25")
        await wait_until(pilot, lambda: view.table.total == 5, "a term named by its Chinese label")
        assert [r.data["title"] for r in view.table.visible_records] == [f"例会 {d}" for d in range(20, 25)]

        await pilot.press("enter")
        assert app.focused is view.table
        await pilot.press("slash", "ctrl+u")
        await type_text(pilot, "colour:red")
        await wait_until(pilot, lambda: view.problems, "a problem for an unknown field")
        assert "no field colour" in view.problems[0]
        assert view.table.total == 30, "a bad term is left out, the rest still applies"


async def test_sorting_by_a_column_runs_in_the_store(town, duty_app):
    async with duty_app(ledger=town, lang="en") as pilot:
        view = await open_record_list(pilot, "meeting")
        assert view.table.cursor_col == 1  # the title column (id, title, date, …)
        await pilot.press("right")
        await pilot.press("s")
        await wait_until(pilot, lambda: view.sort == (("date", False),), "ascending sort")
        assert [r.data["title"] for r in view.table.visible_records] == ["中心组集中学习", "意识形态工作专题会"]
        await pilot.press("s")
        await wait_until(pilot, lambda: view.sort == (("date", True),), "descending sort")
        assert [r.data["title"] for r in view.table.visible_records] == ["意识形态工作专题会", "中心组集中学习"]


async def test_a_leader_approves_in_the_steps_short_form(town, duty_ledger_as, duty_app):
    leader = duty_ledger_as("liumy", "leader")  # an account with no person: the approver is chosen
    async with duty_app(ledger=leader, lang="zh") as pilot:
        app = pilot.app
        view = await open_record_list(pilot, "meeting")
        assert view.table.current.data["title"] == "中心组集中学习"
        await pilot.press("t")
        await wait_until(pilot, lambda: app.screen if isinstance(app.screen, TransitionScreen) else None, "the workflow dialog")
        assert "批准 → 已批准" in screen_text(app)
        await pilot.press("enter")  # approve: its own fields only, the date today, the focus on the approver
        form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, StepFormScreen) else None, "the step's form")
        assert form.step.name == "approve"
        picker = form.query_one("#field-approver")
        await wait_until(pilot, lambda: picker.input.has_focus, "the approver, still empty, has the focus")
        assert form.query_one("#field-approved_on").get_raw() == "2026-03-15"
        await type_text(pilot, "刘明")
        await wait_until(pilot, lambda: picker._results, "approver search")
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await wait_until(pilot, on(app, MainScreen), "the list again")
        record = town.query("meeting", text="中心组")[0]
        assert record.state == "approved"
        assert record.data["approved_on"].isoformat() == "2026-03-15"
        assert [e.action for e in town.history(record.id)][-1] == "transition:approve"


async def test_a_clerk_is_offered_only_what_a_clerk_may_do(town, duty_ledger_as, duty_app):
    clerk = duty_ledger_as("lina", "clerk")
    async with duty_app(ledger=clerk, lang="en") as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        await pilot.press("t")
        dialog = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, TransitionScreen) else None, "the workflow dialog")
        options = dialog.query_one("#wf-options")
        assert [(str(o.prompt), o.disabled) for o in options.options] == [
            ("approve → approved (needs leader)", True), ("cancel → cancelled", False)]
        assert options.highlighted == 1, "the cursor starts on the step the clerk may take"
        await pilot.press("enter")  # cancel, a step with no fields: one confirmation
        await wait_until(pilot, lambda: app.screen if isinstance(app.screen, StepFormScreen) else None, "the confirmation")
        await pilot.press("enter")
        await wait_until(pilot, on(app, MainScreen), "the list again")
        assert town.query("meeting", text="中心组")[0].state == "cancelled"


async def test_a_conflicting_save_is_explained_and_can_reload(town, duty_ledger_as, duty_app):
    other = duty_ledger_as("lina", "clerk")
    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        await pilot.press("e")
        form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")
        record = form.record
        other.update(record.id, {"title": "改过的题目"}, expected_version=record.version)

        await pilot.press("ctrl+a")
        await type_text(pilot, "My title")
        await pilot.press("ctrl+s")
        dialog = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, ConfirmScreen) else None, "the conflict dialog")
        text = screen_text(app)
        assert "Someone saved first" in text and "lina" in text and "version 2" in text
        assert app.focused.id == "no", "keeping my edits is the default"
        await pilot.press("right", "enter")  # reload their version
        await wait_until(pilot, lambda: app.screen is form, "the form again")
        assert form.editor("title").value == "改过的题目"
        assert form.record.version == 2
        assert town.get(record.id).data["title"] == "改过的题目", "my change was not written over theirs"


async def test_escape_asks_before_throwing_changes_away(town, duty_app):
    from duty_tui.tui.screens.dialogs import LeaveScreen

    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        await pilot.press("e")
        form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")
        await type_text(pilot, " (draft)")
        await pilot.press("escape")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        await pilot.press("escape")  # a bare Escape keeps editing
        await wait_until(pilot, lambda: app.screen is form, "the form again")
        assert form.dirty
        await pilot.press("escape")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        await pilot.press("d")  # discard
        await wait_until(pilot, on(app, MainScreen), "the list")
        assert town.query("meeting", text="中心组")[0].version == 1


async def test_delete_asks_first_and_escape_keeps_the_record(town, duty_app):
    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        view = await open_record_list(pilot, "meeting")
        doomed = view.table.current
        await pilot.press("delete")
        await wait_until(pilot, on(app, ConfirmScreen), "the delete question")
        assert app.focused.id == "no"
        await pilot.press("escape")
        await wait_until(pilot, on(app, MainScreen), "the list")
        assert town.find(doomed.id) is not None
        await pilot.press("delete")
        await wait_until(pilot, on(app, ConfirmScreen), "the delete question")
        await pilot.press("right", "enter")
        await wait_until(pilot, lambda: town.find(doomed.id) is None, "the record to go")
        await wait_until(pilot, lambda: view.table.total == 1, "the list to shrink")


async def test_enter_opens_the_detail_with_readable_history(town, duty_app):
    record = town.query("meeting", text="中心组")[0]
    town.update(record.id, {"seats": 40}, expected_version=1)
    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        await pilot.press("enter")
        await wait_until(pilot, on(app, RecordDetailScreen), "the detail")
        text = screen_text(app)
        assert "中心组集中学习" in text and "刘明宇 (person-1)" in text
        assert "Seats: (empty) → 40" in text
        assert "created" in text
        await pilot.press("escape")
        await wait_until(pilot, on(app, MainScreen), "the list")
