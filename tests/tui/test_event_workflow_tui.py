"""The positions and leadership plugins in the TUI, by keyboard: an event from a new record to
held, each step in its short form (tests/tui/test_steps.py has the step forms' own tests), with
steps that would pass over a state not offered and refusals with their reasons on screen; the coming-events screen saying what each event still lacks; the responsibility
structure at a glance."""

from __future__ import annotations

import pytest

import duty_tui_plugins.leadership
import duty_tui_plugins.positions
from duty_tui.testing import open_record_list, screen_text, type_text, wait_until
from duty_tui.tui.screens.dialogs import TransitionScreen
from duty_tui.tui.screens.main import MainScreen
from duty_tui.tui.screens.record_detail import RecordDetailScreen
from duty_tui.tui.screens.record_form import RecordFormScreen
from duty_tui.tui.screens.step_form import StepFormScreen

from .conftest import TODAY, open_list_by_palette

# The TUI's tests load only the backends and the plugins a test names (tests/tui/conftest.py).
pytestmark = [pytest.mark.duty_plugin(duty_tui_plugins.leadership), pytest.mark.duty_plugin(duty_tui_plugins.positions)]


@pytest.fixture
def office(duty_admin):
    """A committee with an office and a village, its secretary (also the leader account liumy),
    the propaganda member and a clerk; 刘明宇 first responsible, 余永福 direct responsible."""
    ledger = duty_admin
    committee = ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id
    propaganda = ledger.create("unit", {"name": "宣传办公室", "kind": "office", "parent": committee}).id
    ledger.create("unit", {"name": "东风村", "kind": "village", "parent": committee})
    liu = ledger.create("person", {"name": "刘明宇", "unit": committee, "post": "党委书记"}).id
    yu = ledger.create("person", {"name": "余永福", "unit": committee, "post": "宣传委员"}).id
    ledger.create("person", {"name": "李娜", "unit": propaganda, "post": "宣传干事"})
    ledger.add_user("liumy", "leader", liu)
    ledger.create("leader", {"person": liu, "role": "first_responsible", "since": "2024-01-01"})
    ledger.create("leader", {"person": yu, "role": "direct_responsible", "since": "2024-01-01", "divisions": [propaganda]})
    return ledger


def on(app, screen_type):
    return lambda: app.screen if isinstance(app.screen, screen_type) else None


def step_errors(form) -> str:
    return str(form.query_one("#step-errors").render())


async def pick(pilot, form, field: str, text: str) -> None:
    """Type part of a name into a reference field and take the first match."""
    picker = form.query_one(f"#field-{field}")
    await wait_until(pilot, lambda: picker.input.has_focus, f"the {field} picker")
    await type_text(pilot, text)
    await wait_until(pilot, lambda: picker._results, f"matches for {text}")
    await pilot.press("enter")
    await wait_until(pilot, lambda: picker.get_raw(), f"{field} chosen")


async def workflow_dialog(pilot):
    await pilot.press("t")
    return await wait_until(pilot, on(pilot.app, TransitionScreen), "the workflow dialog")


def offered(dialog) -> list[str]:
    return [str(o.prompt) for o in dialog.query_one("#wf-options").options]


async def choose(pilot, dialog, action: str) -> StepFormScreen:
    """Move to the dialog's option for ``action`` with the arrow keys and press Enter: the step's
    short form opens."""
    options = dialog.query_one("#wf-options")
    target = next(i for i, text in enumerate(offered(dialog)) if text.startswith(action))
    await wait_until(pilot, lambda: options.highlighted is not None, "a highlighted option")
    while options.highlighted != target:
        await pilot.press("down" if options.highlighted < target else "up")
    await pilot.press("enter")
    return await wait_until(pilot, on(pilot.app, StepFormScreen), f"the form of {action}")


async def test_an_event_goes_from_new_to_held_by_keyboard_and_illegal_steps_are_refused_on_screen(office, duty_ledger_as, duty_app):
    leader = duty_ledger_as("liumy", "leader")
    async with duty_app(ledger=leader, lang="en") as pilot:
        app = pilot.app
        view = await open_list_by_palette(pilot, "event")

        # a new event: title, kind, date, organising unit — and no organiser yet
        await pilot.press("n")
        form = await wait_until(pilot, on(app, RecordFormScreen), "the new-event form")
        assert app.focused.id == "field-title"
        await type_text(pilot, "网络文明讲座")
        await pilot.press("tab", "enter")  # the kind's menu
        await wait_until(pilot, lambda: form.query_one("#field-kind").expanded, "the kinds")
        await type_text(pilot, "lec")  # type-to-search in the menu
        await pilot.press("enter")
        await wait_until(pilot, lambda: form.query_one("#field-kind").get_raw() == "lecture", "lecture chosen")
        await pilot.press("tab")
        await type_text(pilot, TODAY.isoformat())  # held on the day it is approved and filed
        await pilot.press("tab")
        await pick(pilot, form, "organizer_unit", "宣传")
        await pilot.press("ctrl+s")
        await wait_until(pilot, on(app, MainScreen), "the list again")
        await wait_until(pilot, lambda: view.table.total == 1, "the new event in the list")
        event_id = view.table.current.id
        assert leader.get(event_id).state == "draft"

        # submit: a confirmation, refused until the organiser is named (谁组织谁负责), the reason on screen
        dialog = await workflow_dialog(pilot)
        step = await choose(pilot, dialog, "submit")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "name the organiser before submitting it" in step_errors(step), "the guard's reason")
        assert "name the organiser before submitting it" in screen_text(app)
        await pilot.press("enter")  # refused: Enter closes
        await wait_until(pilot, on(app, MainScreen), "the dialog closed")
        assert leader.get(event_id).state == "draft", "a refused step writes nothing"
        await pilot.press("e")  # the organiser belongs to the record, not to the step
        form = await wait_until(pilot, on(app, RecordFormScreen), "the event's form")
        await pilot.press(*["tab"] * 4)  # title → kind → date → unit → organiser
        await pick(pilot, form, "organizer", "余永")
        await pilot.press("ctrl+s")
        await wait_until(pilot, on(app, MainScreen), "the list after editing")
        dialog = await workflow_dialog(pilot)
        await choose(pilot, dialog, "submit")
        await pilot.press("enter")
        await wait_until(pilot, on(app, MainScreen), "the list after submitting")
        assert leader.get(event_id).state == "submitted"

        # filing before approval is not offered: no step passes over a state
        dialog = await workflow_dialog(pilot)
        assert offered(dialog) == ["approve → approved", "reject → rejected", "cancel → cancelled"]

        # approve: the leader and today are filled in; Ctrl+S takes the step
        step = await choose(pilot, dialog, "approve")
        assert step.query_one("#field-approver").get_raw() == "person-1"
        assert step.query_one("#field-approved_on").get_raw() == TODAY.isoformat()
        await pilot.press("ctrl+s")
        await wait_until(pilot, on(app, MainScreen), "the list after approving")
        approved = leader.get(event_id)
        assert approved.state == "approved" and approved.data["approved_on"] == TODAY

        # holding before filing is not offered either
        dialog = await workflow_dialog(pilot)
        assert offered(dialog) == ["file → filed", "cancel → cancelled"]

        # file: the date is today, the focus on the filing number
        step = await choose(pilot, dialog, "file")
        assert app.focused.id == "field-filing_no"
        await type_text(pilot, "宣备 12 号")
        await pilot.press("ctrl+s")
        await wait_until(pilot, on(app, MainScreen), "the list after filing")
        filed = leader.get(event_id)
        assert filed.state == "filed" and filed.data["filed_on"] == TODAY and filed.data["filing_no"] == "宣备 12 号"

        # held: one confirmation
        dialog = await workflow_dialog(pilot)
        await choose(pilot, dialog, "hold")
        await pilot.press("enter")
        await wait_until(pilot, on(app, MainScreen), "the list after holding")
        assert leader.get(event_id).state == "held"
        await wait_until(pilot, lambda: "held" in screen_text(app), "the new state in the list")
        assert [e.action for e in leader.history(event_id)] == [
            "create", "update", "transition:submit", "transition:approve", "transition:file", "transition:hold"]


async def test_a_clerk_sees_approval_as_a_leaders_step(office, duty_ledger_as, duty_app):
    event = office.create("event", {"title": "读书论坛", "kind": "forum", "date": "2026-04-01", "organizer_unit": "unit-2",
                                    "organizer": "person-2"}).id
    office.transition(event, "submit")
    clerk = duty_ledger_as("lina", "clerk")
    async with duty_app(ledger=clerk, lang="zh") as pilot:
        await open_record_list(pilot, "event")
        dialog = await workflow_dialog(pilot)
        options = [(str(o.prompt), o.disabled) for o in dialog.query_one("#wf-options").options]
        assert options == [("批准 → 已批准 （需领导）", True), ("不予批准 → 未获批准 （需领导）", True), ("取消 → 已取消", False)]
        assert dialog.query_one("#wf-options").highlighted == 2, "the cursor starts on a step the clerk may take"


async def test_the_coming_events_screen_says_what_each_event_still_lacks(office, duty_ledger_as, duty_app):
    soon = office.create("event", {"title": "网络文明讲座", "kind": "lecture", "date": "2026-03-20", "organizer_unit": "unit-2",
                                   "organizer": "person-2", "speakers": "张教授", "venue": "礼堂"}).id
    office.create("event", {"title": "青年论坛", "kind": "forum", "date": "2026-04-10", "organizer_unit": "unit-3"})
    office.create("event", {"title": "下半年报告会", "kind": "report_meeting", "date": "2026-09-01", "organizer_unit": "unit-2"})
    office.transition(soon, "submit")
    async with duty_app(ledger=duty_ledger_as("liumy", "leader"), lang="zh") as pilot:
        app = pilot.app
        await wait_until(pilot, on(app, MainScreen), "the main screen")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette", "the palette")
        await type_text(pilot, "近期活动还缺什么")
        await wait_until(pilot, lambda: "近期活动还缺什么" in screen_text(app), "the plugin's command")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "近期活动 · 2026-03-15 至 2026-04-14" in screen_text(app), "the coming-events screen")
        text = screen_text(app)
        assert "2 项活动，2 项还缺手续" in text and "下半年报告会" not in text
        assert "网络文明讲座" in text and "还缺：领导批准、报市委宣传部备案" in text
        assert "还缺：报批、领导批准、报市委宣传部备案、组织者、报告人、地点" in text

        await pilot.press("enter")  # the soonest: open it and approve it from its detail
        detail = await wait_until(pilot, on(app, RecordDetailScreen), "the event")
        assert detail.record.id == soon
        dialog = await workflow_dialog(pilot)
        await choose(pilot, dialog, "批准")  # 刘明宇 and today are filled in
        await pilot.press("ctrl+s")
        await wait_until(pilot, on(app, RecordDetailScreen), "the event again")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "还缺：报市委宣传部备案" in screen_text(app) and "还缺：领导批准、报市委" not in screen_text(app),
                         "the screen read again, one thing less lacking")


async def test_the_responsibility_structure_at_a_glance(office, duty_app):
    office.create("person", {"name": "周涛", "unit": "unit-1", "post": "纪委书记"})
    office.create("leader", {"person": "person-4", "role": "member", "since": "2024-01-01"})
    async with duty_app(ledger=office, lang="en") as pilot:
        app = pilot.app
        await wait_until(pilot, on(app, MainScreen), "the main screen")
        app.open_screen("leadership.structure")
        await wait_until(pilot, lambda: "Responsibility structure · 2026" in screen_text(app), "the structure screen")
        text = screen_text(app)
        assert "leading group of 3 · 1 unit(s) nobody covers" in text
        assert "刘明宇  党委书记  since 2024-01-01" in text
        assert "divisions: 宣传办公室" in text and "divisions: (none)" in text
        assert "东风村  village" in text
        await pilot.press("enter")  # the first responsible person's row
        detail = await wait_until(pilot, on(app, RecordDetailScreen), "the leader row")
        assert detail.record.type == "leader" and detail.record.data["role"] == "first_responsible"
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Responsibility structure" in screen_text(app), "back on the structure")
        await pilot.press("left_square_bracket")  # the year before: the same group, since 2024
        await wait_until(pilot, lambda: "Responsibility structure · 2025" in screen_text(app), "last year's structure")
        assert TODAY.year == 2026
