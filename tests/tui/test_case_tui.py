"""The accountability plugin in the TUI, by keyboard: a case opened from an event comes with the
event's organiser and approver (and the unit's leaders) suggested and ticked, is registered with
them named, and can be decided only by a leader — a clerk sees the step as a leader's; the
leader decides it through the workflow, in the step's short form. Then the cases screen with its
suggestions, and the scorecard screen with its chart."""

from __future__ import annotations

import pytest

import duty_tui_plugins.accountability
import duty_tui_plugins.assessment
import duty_tui_plugins.leadership
import duty_tui_plugins.positions
import duty_tui_plugins.team
from duty_tui.testing import screen_text, type_text, wait_until
from duty_tui.tui.screens.dialogs import TransitionScreen
from duty_tui.tui.screens.step_form import StepFormScreen
from duty_tui.tui.screens.main import MainScreen
from duty_tui.tui.screens.record_detail import RecordDetailScreen
from duty_tui.tui.screens.record_form import RecordFormScreen
from duty_tui_plugins.accountability.case_screens import AcceptSuggestionsScreen, EventPickerScreen, NewCaseScreen
from duty_tui_plugins.accountability.cases_screen import CasesScreen

# The TUI's tests load only the backends and the plugins a test names (tests/tui/conftest.py);
# a case refers to an event (positions) and its chain reads the leading group (leadership).
pytestmark = [pytest.mark.duty_plugin(duty_tui_plugins.leadership), pytest.mark.duty_plugin(duty_tui_plugins.positions),
              pytest.mark.duty_plugin(duty_tui_plugins.accountability)]


@pytest.fixture
def office(duty_admin, duty_ledger_as):
    """A committee with an office and a village; 刘明宇 first responsible (the leader account
    liumy), 余永福 direct responsible, 王建国 the member for the village; a seminar organised by the
    cadre 张伟 in the village and approved by 刘明宇; the clerk lina."""
    ledger = duty_admin
    committee = ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id
    propaganda = ledger.create("unit", {"name": "宣传办公室", "kind": "office", "parent": committee}).id
    village = ledger.create("unit", {"name": "东风村", "kind": "village", "parent": committee}).id
    ids = {"committee": committee, "village": village}
    for name, post in (("刘明宇", "党委书记"), ("余永福", "宣传委员"), ("王建国", "副书记"), ("张伟", "村干部")):
        ids[name] = ledger.create("person", {"name": name, "unit": committee, "post": post}).id
    ledger.add_user("liumy", "leader", ids["刘明宇"])
    ledger.create("leader", {"person": ids["刘明宇"], "role": "first_responsible", "since": "2024-01-01"})
    ledger.create("leader", {"person": ids["余永福"], "role": "direct_responsible", "since": "2024-01-01", "divisions": [propaganda]})
    ledger.create("leader", {"person": ids["王建国"], "role": "member", "since": "2024-01-01", "divisions": [village]})
    clerk, leader = duty_ledger_as("lina", "clerk"), duty_ledger_as("liumy", None)
    event = clerk.create("event", {"title": "乡村振兴研讨会", "kind": "seminar", "date": "2026-03-01", "organizer_unit": village,
                                   "organizer": ids["张伟"]}).id
    clerk.transition(event, "submit")
    leader.transition(event, "approve", values={"approver": ids["刘明宇"], "approved_on": "2026-03-02"})
    ids["event"] = event
    return type("Office", (), {"admin": ledger, "clerk": clerk, "leader": leader, "ids": ids})


def on(app, screen_type):
    return lambda: app.screen if isinstance(app.screen, screen_type) else None


async def palette(pilot, text: str) -> None:
    app = pilot.app
    await wait_until(pilot, on(app, MainScreen), "the main screen")
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette", "the command palette")
    await type_text(pilot, text)
    await wait_until(pilot, lambda: text in screen_text(app), f"the palette offering {text}")
    await pilot.press("enter")


async def workflow_dialog(pilot):
    await pilot.press("t")
    return await wait_until(pilot, on(pilot.app, TransitionScreen), "the workflow dialog")


def options_of(dialog) -> list[tuple[str, bool]]:
    return [(str(o.prompt), o.disabled) for o in dialog.query_one("#wf-options").options]


async def choose(pilot, dialog, action: str):
    options = dialog.query_one("#wf-options")
    target = next(i for i, o in enumerate(options.options) if str(o.prompt).startswith(action))
    await wait_until(pilot, lambda: options.highlighted is not None, "a highlighted option")
    while options.highlighted != target:
        await pilot.press("down" if options.highlighted < target else "up")
    await pilot.press("enter")


async def pick(pilot, form, field: str, text: str) -> None:
    picker = form.query_one(f"#field-{field}")
    await wait_until(pilot, lambda: picker.input.has_focus, f"the {field} picker")
    await type_text(pilot, text)
    await wait_until(pilot, lambda: picker._results, f"matches for {text}")
    await pilot.press("enter")
    await wait_until(pilot, lambda: picker.get_raw(), f"{field} chosen")


async def test_a_case_opened_from_an_event_comes_with_its_organiser_and_approver_and_only_a_leader_decides_it(office, duty_app):
    ids = office.ids

    # the clerk opens a case from the seminar, through the palette
    async with duty_app(ledger=office.clerk, lang="en") as pilot:
        app = pilot.app
        await palette(pilot, "Case from an event")
        picker = await wait_until(pilot, on(app, EventPickerScreen), "the event picker")
        await wait_until(pilot, lambda: "乡村振兴研讨会" in screen_text(app) and "organiser 张伟 · approver 刘明宇" in screen_text(app),
                         "the seminar with its organiser and approver")
        await pilot.press("enter")
        form = await wait_until(pilot, on(app, NewCaseScreen), "the new case")
        suggestions = form.query_one("#new-suggestions")
        await wait_until(pilot, lambda: suggestions.option_count == 4, "the chain's suggestions")
        assert set(suggestions.selected) == {ids["张伟"], ids["刘明宇"], ids["王建国"], ids["余永福"]}, "all ticked"
        text = screen_text(app)
        assert "New case · from event-1 乡村振兴研讨会 (2026-03-01)" in text
        assert "张伟  direct responsibility  — whoever organises answers for it" in text
        assert "刘明宇  main leadership responsibility  — whoever approves supervises" in text
        assert "(9) wrong statements at a meeting, lecture or forum" in text and "2026-03-01" in text and "东风村" in text
        assert picker is not None

        await pilot.press("ctrl+s")
        detail = await wait_until(pilot, on(app, RecordDetailScreen), "the registered case")
        case_id = detail.record.id
        case = office.admin.get(case_id)
        assert (case.type, case.state, case.data["event"], case.data["unit"], case.data["circumstance"]) == (
            "case", "registered", ids["event"], ids["village"], "9")
        named = {p.data["person"]: p.data["kind"] for p in office.admin.all("case_party", case=case_id)}
        # 东风村 is not in the propaganda member's divisions: 重要领导责任 (《问责条例》第六条 reads 直接主管)
        assert named == {ids["张伟"]: "direct", ids["刘明宇"]: "main", ids["王建国"]: "main", ids["余永福"]: "important"}
        assert "whoever organises answers for it" in office.admin.all("case_party", case=case_id, person=ids["张伟"])[0].data["reason"]

        # the clerk may start the investigation, but deciding is a leader's step
        dialog = await workflow_dialog(pilot)
        assert options_of(dialog) == [("investigate → investigating", False)]
        await choose(pilot, dialog, "investigate")
        await wait_until(pilot, on(app, StepFormScreen), "the step's confirmation")
        await pilot.press("enter")
        await wait_until(pilot, lambda: office.admin.get(case_id).state == "investigating", "the investigation begun")
        await wait_until(pilot, on(app, RecordDetailScreen), "the case again")
        dialog = await workflow_dialog(pilot)
        assert options_of(dialog) == [("decide → decided (needs leader)", True)]
        await pilot.press("escape")
        await wait_until(pilot, on(app, RecordDetailScreen), "the dialog closed")
        assert office.admin.get(case_id).state == "investigating"

    # the leader decides it from the cases screen, filling in the decision the step asks for
    async with duty_app(ledger=office.leader, lang="en") as pilot:
        app = pilot.app
        await palette(pilot, "Cases: who answers")
        cases = await wait_until(pilot, on(app, CasesScreen), "the cases screen")
        await wait_until(pilot, lambda: "乡村振兴研讨会" in screen_text(app), "the case listed")
        assert "named: 张伟 direct · 刘明宇 main · 王建国 main · 余永福 important" in screen_text(app)
        assert cases.current().id == case_id
        await pilot.press("enter")
        await wait_until(pilot, on(app, RecordDetailScreen), "the case")
        dialog = await workflow_dialog(pilot)
        assert options_of(dialog) == [("decide → decided", False)]
        await choose(pilot, dialog, "decide")  # the step's own fields: its date is filled in
        form = await wait_until(pilot, on(app, StepFormScreen), "the decision's short form")
        assert form.query_one("#field-decided_on").get_raw() == "2026-03-15"
        await wait_until(pilot, lambda: app.focused is form.query_one("#field-decision"), "the decision, still empty, has the focus")
        await pilot.press("enter")
        await wait_until(pilot, lambda: form.query_one("#field-decision").expanded, "the decisions")
        await type_text(pilot, "crit")
        await pilot.press("enter")
        await wait_until(pilot, lambda: form.query_one("#field-decision").get_raw() == "criticism_education", "criticism chosen")
        await pilot.press("tab", "tab")  # past the date, to the deciding body: a unit, not a person
        picker = form.query_one("#field-deciding_body")
        await wait_until(pilot, lambda: picker.input.has_focus, "the deciding body's picker")
        await type_text(pilot, "镇党委")
        await wait_until(pilot, lambda: picker._results, "the committee found")
        await pilot.press("enter")
        await wait_until(pilot, lambda: picker.get_raw() == ids["committee"], "the committee chosen")
        await wait_until(pilot, lambda: app.focused is form.query_one("#field-decision_no"), "on to the document number")
        await type_text(pilot, "x党发 5 号")
        await pilot.press("ctrl+s")
        await wait_until(pilot, on(app, RecordDetailScreen), "the decided case")
        decided = office.admin.get(case_id)
        assert decided.state == "decided" and decided.data["decision"] == "criticism_education"
        assert (decided.data["deciding_body"], decided.data["decision_no"]) == (ids["committee"], "x党发 5 号")
        assert [(e.action, e.actor) for e in office.admin.history(case_id)] == [
            ("create", "lina"), ("transition:investigate", "lina"), ("transition:decide", "liumy")]


async def test_the_cases_screen_offers_the_chains_suggestions_and_a_names_them(office, duty_app):
    case = office.clerk.create("case", {"title": "宣传栏违规内容", "circumstance": "10", "occurred_on": "2026-02-01",
                                        "unit": office.ids["village"]}).id
    office.clerk.create("case_party", {"case": case, "person": office.ids["王建国"], "kind": "main"})
    async with duty_app(ledger=office.clerk, lang="zh") as pilot:
        app = pilot.app
        await palette(pilot, "案件与责任人")
        await wait_until(pilot, on(app, CasesScreen), "the cases screen")
        await wait_until(pilot, lambda: "宣传栏违规内容" in screen_text(app), "the case")
        text = screen_text(app)
        assert "已认定：王建国 主要" in text and "推荐：余永福 重要 · 刘明宇 主要" in text
        await pilot.press("a")
        dialog = await wait_until(pilot, on(app, AcceptSuggestionsScreen), "the suggestions")
        listing = dialog.query_one("#accept-list")
        await wait_until(pilot, lambda: listing.option_count == 2, "two not yet named")
        await pilot.press("down", "space")  # leave 刘明宇 out
        await wait_until(pilot, lambda: listing.selected == [office.ids["余永福"]], "only 余永福 ticked")
        await pilot.press("enter")
        await wait_until(pilot, on(app, CasesScreen), "back on the cases")
        await wait_until(pilot, lambda: "已认定：王建国 主要 · 余永福 重要" in screen_text(app), "余永福 named")
        assert "推荐：刘明宇 主要" in screen_text(app)
        parties = office.admin.all("case_party", case=case)
        assert [(p.data["person"], p.data["kind"], p.created_by) for p in parties][1:] == [(office.ids["余永福"], "important", "lina")]


@pytest.mark.duty_plugin(duty_tui_plugins.team)
@pytest.mark.duty_plugin(duty_tui_plugins.assessment)
async def test_the_scorecard_screen_shows_each_subjects_items_every_point_lost_and_opens_its_source(office, duty_app):
    from duty_tui_plugins.assessment.demo import add_example_table

    add_example_table(office.admin)
    office.clerk.create("appraisal", {"person": office.ids["刘明宇"], "year": 2026, "total": 91, "grade": "excellent"})
    async with duty_app(ledger=office.leader, lang="en") as pilot:
        app = pilot.app
        await palette(pilot, "Scorecard")
        await wait_until(pilot, lambda: "Scorecard · 2026" in screen_text(app), "the scorecard")
        text = screen_text(app)
        assert "xx镇党委: " in text and "(the items are the shipped example, to adapt)" in text
        for area in ("Leadership", "Positions", "Team", "Assessment", "Accountability"):
            assert any(line.strip().startswith(area) and ("█" in line or "░" in line) for line in text.splitlines()), area
        assert "刘明宇" in text and "appraisal 91 excellent (appraisal-1)" in text
        assert "余永福" in text and "no appraisal entered" in text
        screen = app.screen
        listing = screen.query_one(".screen-list")
        listing.highlighted = listing.get_option_index(f"subject:{office.ids['village']}")
        await pilot.press("enter")  # the village's items
        await wait_until(pilot, lambda: "东风村: " in screen_text(app), "the village's items")
        lost = next(o.id for o in listing.options if o.id and o.id.startswith("lost:") and o.id.endswith(office.ids["event"]))
        listing.highlighted = listing.get_option_index(lost)
        await wait_until(pilot, lambda: "乡村振兴研讨会 (2026-03-01): approved on 2026-03-02, after its date" in screen_text(app), "a point lost")
        await pilot.press("enter")  # where it comes from: the event
        detail = await wait_until(pilot, on(app, RecordDetailScreen), "the event")
        assert detail.record.id == office.ids["event"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Scorecard · 2026" in screen_text(app), "back on the scorecard")
        listing.highlighted = listing.get_option_index(f"subject:{office.ids['刘明宇']}")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "刘明宇: " in screen_text(app), "the secretary's items")
        listing.highlighted = listing.get_option_index("appraisal-1")
        await pilot.press("enter")  # his appraisal, as entered
        detail = await wait_until(pilot, on(app, RecordDetailScreen), "the appraisal")
        assert detail.record.id == "appraisal-1" and detail.record.version == 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Scorecard · 2026" in screen_text(app), "back on the scorecard")
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: "Scorecard · 2025" in screen_text(app), "last year's scorecard")
