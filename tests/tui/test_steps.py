"""A workflow step is a short form of its own (issue 14): only the fields the step sets, the
empty ones filled with the step's defaults (the acting leader's person, today), the focus on the
first field still empty, Ctrl+S takes the step. A step the role may not take is shown with the
reason and is never where the cursor starts; a refusal of what already happened says to treat it
as a problem and offers no rewriting of dates; a step never passes over a state; an event is not
held before its date."""

from __future__ import annotations

import datetime as dt

import pytest

import duty_tui_plugins.positions
from duty_tui.testing import open_record_list, screen_text, wait_until
from duty_tui.tui.screens.dialogs import TransitionScreen
from duty_tui.tui.screens.main import MainScreen
from duty_tui.tui.screens.step_form import StepFormScreen

from .conftest import TODAY

pytestmark = pytest.mark.duty_plugin(duty_tui_plugins.positions)


@pytest.fixture
def office(duty_admin):
    """A committee, its secretary 刘明宇 (the leader account liumy), 余永福 and the clerk 李娜 (lina)."""
    ledger = duty_admin
    committee = ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id
    liu = ledger.create("person", {"name": "刘明宇", "unit": committee, "post": "党委书记"}).id
    ledger.create("person", {"name": "余永福", "unit": committee, "post": "宣传委员"})
    lina = ledger.create("person", {"name": "李娜", "unit": committee, "post": "宣传干事"}).id
    ledger.add_user("liumy", "leader", liu)
    ledger.add_user("lina", "clerk", lina)
    return ledger


def event(ledger, date: str, *, approved_on: str | None = None, filed_on: str | None = None, leader=None) -> str:
    """An event organised by 余永福, submitted, and approved and filed when dates are given."""
    event_id = ledger.create("event", {"title": "网络文明讲座", "kind": "lecture", "date": date, "organizer_unit": "unit-1",
                                       "organizer": "person-2"}).id
    ledger.transition(event_id, "submit")
    if approved_on:
        leader.transition(event_id, "approve", values={"approver": "person-1", "approved_on": approved_on})
    if filed_on:
        ledger.transition(event_id, "file", values={"filed_on": filed_on})
    return event_id


def on(app, screen_type):
    return lambda: app.screen if isinstance(app.screen, screen_type) else None


def options(dialog) -> list[tuple[str, bool]]:
    return [(str(o.prompt), o.disabled) for o in dialog.query_one("#wf-options").options]


def highlighted(dialog) -> str:
    option_list = dialog.query_one("#wf-options")
    return str(option_list.get_option_at_index(option_list.highlighted).prompt)


async def workflow_dialog(pilot):
    """The event list opened, and `t` on its highlighted event: the workflow dialog."""
    await open_record_list(pilot, "event")
    await pilot.press("t")
    return await wait_until(pilot, on(pilot.app, TransitionScreen), "the workflow dialog")


def step_fields(form) -> list[str]:
    return [w.id.removeprefix("field-") for w in form.query("*") if (w.id or "").startswith("field-")]


async def test_approving_as_a_leader_is_t_enter_ctrl_s_with_the_leader_and_today_filled_in(office, duty_ledger_as, duty_app):
    event_id = event(office, "2026-04-01")
    leader = duty_ledger_as("liumy", "leader")
    async with duty_app(ledger=leader, lang="zh") as pilot:
        app = pilot.app
        await open_record_list(pilot, "event")
        keys = ["t", "enter", "ctrl+s"]
        await pilot.press(keys[0])
        dialog = await wait_until(pilot, on(app, TransitionScreen), "the workflow dialog")
        assert highlighted(dialog) == "批准 → 已批准", "the cursor starts on the step the leader takes"
        await pilot.press(keys[1])
        form = await wait_until(pilot, on(app, StepFormScreen), "the approval's short form")
        assert step_fields(form) == ["approver", "approved_on"], "only the fields the step sets"
        assert form.query_one("#field-approver").get_raw() == "person-1"  # the leader themself
        assert form.query_one("#field-approved_on").get_raw() == TODAY.isoformat()
        assert app.focused.id == "do", "nothing left to fill: the focus waits on the button"
        title = form.query_one("#step-title").render()
        assert str(title) == "批准：报告会、研讨会、讲座、论坛 event-1「网络文明讲座」（“已报批” → “已批准”）"  # the list is hidden: the title named
        await pilot.press(keys[2])
        await wait_until(pilot, on(app, MainScreen), "the list again")
        approved = leader.get(event_id)
        assert approved.state == "approved" and approved.data["approver"] == "person-1"
        assert approved.data["approved_on"] == TODAY
        assert len(keys) <= 4


async def test_a_clerk_is_not_offered_approval_and_sees_why(office, duty_ledger_as, duty_app):
    event(office, "2026-04-01")
    async with duty_app(ledger=duty_ledger_as("lina", "clerk"), lang="zh") as pilot:
        app = pilot.app
        dialog = await workflow_dialog(pilot)
        assert options(dialog) == [("批准 → 已批准 （需领导）", True), ("不予批准 → 未获批准 （需领导）", True), ("取消 → 已取消", False)]
        assert highlighted(dialog) == "取消 → 已取消", "a step the clerk may not take is never the default"
        assert "（需领导）" in screen_text(app)


async def test_an_admin_is_not_offered_approval_as_the_default(office, duty_app):
    event(office, "2026-04-01")
    async with duty_app(ledger=office, lang="en") as pilot:
        dialog = await workflow_dialog(pilot)
        assert options(dialog)[0] == ("approve → approved (needs leader)", True)
        assert highlighted(dialog) == "cancel → cancelled"


async def test_a_leader_account_without_a_person_approves_with_the_focus_on_the_approver(office, duty_ledger_as, duty_app):
    event(office, "2026-04-01")
    async with duty_app(ledger=duty_ledger_as("chief", "leader"), lang="en") as pilot:
        app = pilot.app
        dialog = await workflow_dialog(pilot)
        assert highlighted(dialog) == "approve → approved"
        await pilot.press("enter")
        form = await wait_until(pilot, on(app, StepFormScreen), "the approval's short form")
        picker = form.query_one("#field-approver")
        assert picker.get_raw() in (None, "") and picker.input.has_focus, "the first empty field has the focus"
        assert form.query_one("#field-approved_on").get_raw() == TODAY.isoformat()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "approval needs the approver and the approval date" in screen_text(app), "the guard's reason")
        assert on(app, StepFormScreen)(), "refused: the form stays, with what it holds"


async def test_holding_an_event_approved_after_its_date_is_refused_as_a_problem_not_a_date_to_rewrite(office, duty_ledger_as, duty_app):
    event_id = event(office, "2026-03-10", approved_on="2026-03-12", filed_on="2026-03-12", leader=duty_ledger_as("liumy", "leader"))
    async with duty_app(ledger=office, lang="zh") as pilot:
        app = pilot.app
        dialog = await workflow_dialog(pilot)
        assert highlighted(dialog) == "举行 → 已举行"
        await pilot.press("enter")
        form = await wait_until(pilot, on(app, StepFormScreen), "the confirmation of holding")
        assert step_fields(form) == [] and app.focused.id == "do"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "未经事先批准" in screen_text(app), "the refusal on screen")
        text = str(form.query_one("#step-errors").render())
        assert "批准日期 2026-03-12 晚于活动日期 2026-03-10：这次活动未经事先批准，应作为问题处理（登记、说明、整改），而不是改写日期" in text
        assert "备案日期 2026-03-12 晚于活动日期 2026-03-10：这次活动未经事先备案" in text
        assert [b.id for b in form.query("Button")] == ["cancel", "do"], "no button offers to fill in (rewrite) the dates"
        assert app.focused.id == "cancel", "after the refusal, Enter closes"
        assert "填写字段后办理" not in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, on(app, MainScreen), "the list again")
        assert office.get(event_id).state == "filed"


async def test_an_event_is_not_marked_held_before_its_date(office, duty_ledger_as, duty_app):
    coming = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    event_id = event(office, coming, approved_on="2026-03-10", filed_on="2026-03-11", leader=duty_ledger_as("liumy", "leader"))
    async with duty_app(ledger=office, lang="en") as pilot:
        app = pilot.app
        await workflow_dialog(pilot)
        await pilot.press("enter")
        await wait_until(pilot, on(app, StepFormScreen), "the confirmation of holding")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: f"the event's date {coming} has not come yet" in screen_text(app), "the refusal")
        assert "mark it held once it has taken place" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, on(app, MainScreen), "the list again")
        assert office.get(event_id).state == "filed"


async def test_no_step_passes_over_a_state(office, duty_ledger_as, duty_app):
    event_id = event(office, "2026-03-20", approved_on="2026-03-10", leader=duty_ledger_as("liumy", "leader"))
    async with duty_app(ledger=office, lang="en") as pilot:
        app = pilot.app
        dialog = await workflow_dialog(pilot)
        assert [text for text, _ in options(dialog)] == ["file → filed", "cancel → cancelled"], "no holding before filing"
        await pilot.press("enter")
        form = await wait_until(pilot, on(app, StepFormScreen), "the filing's short form")
        assert step_fields(form) == ["filed_on", "filing_no"], "the filing step's fields, and no later step's"
        assert app.focused.id == "field-filing_no", "the date is today; the number is still to type"
        await pilot.press("ctrl+s")
        await wait_until(pilot, on(app, MainScreen), "the list again")
        assert office.get(event_id).state == "filed"
        assert [e.action for e in office.history(event_id)][-1] == "transition:file"


async def test_leaving_a_step_with_something_typed_asks_and_back_keeps_it(office, duty_ledger_as, duty_app):
    from duty_tui.tui.screens.dialogs import LeaveScreen

    event_id = event(office, "2026-03-20", approved_on="2026-03-10", leader=duty_ledger_as("liumy", "leader"))
    async with duty_app(ledger=office, lang="en") as pilot:
        app = pilot.app
        await workflow_dialog(pilot)
        await pilot.press("enter")
        form = await wait_until(pilot, on(app, StepFormScreen), "the filing's short form")
        await pilot.press(*"BA-17")
        await pilot.press("escape")
        leave = await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        assert not leave.query("#leave-keep"), "a step is taken or not: no draft is offered"
        await pilot.press("escape")  # back to the step, with what was typed
        await wait_until(pilot, on(app, StepFormScreen), "the step again")
        assert form.editor("filing_no").get_raw() == "BA-17"
        await pilot.press("escape")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question again")
        await pilot.press("s")  # save: here, take the step
        await wait_until(pilot, on(app, MainScreen), "the list, the step taken")
        record = office.get(event_id)
        assert record.state == "filed" and record.data["filing_no"] == "BA-17"

