"""Reaching things in few keys (issue 14, item 6): Enter on a finding that a new record would put
right opens that record's form, prefilled (a missing appraisal → a new appraisal for that person
and year), and a case's detail shows its responsible persons with kind and reason."""

from __future__ import annotations

import pytest

import duty_tui_plugins.accountability
import duty_tui_plugins.assessment
import duty_tui_plugins.leadership
import duty_tui_plugins.positions
from duty_tui.rules import run_rules
from duty_tui.testing import screen_text, type_text, wait_until
from duty_tui.tui.screens.main import MainScreen
from duty_tui.tui.screens.reach import FixOrRecordScreen
from duty_tui.tui.screens.record_detail import RecordDetailScreen
from duty_tui.tui.screens.record_form import RecordFormScreen

from .conftest import TODAY, YEAR

pytestmark = [pytest.mark.duty_plugin(duty_tui_plugins.leadership), pytest.mark.duty_plugin(duty_tui_plugins.positions),
              pytest.mark.duty_plugin(duty_tui_plugins.assessment), pytest.mark.duty_plugin(duty_tui_plugins.accountability)]


@pytest.fixture
def committee(duty_admin):
    """刘明宇 the first responsible person since 2024; no appraisal, no study session yet."""
    ledger = duty_admin
    unit = ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id
    liu = ledger.create("person", {"name": "刘明宇", "unit": unit, "post": "党委书记"}).id
    yu = ledger.create("person", {"name": "余永福", "unit": unit, "post": "宣传委员"}).id
    row = ledger.create("leader", {"person": liu, "role": "first_responsible", "since": "2024-01-01"}).id
    return type("Committee", (), {"ledger": ledger, "unit": unit, "liu": liu, "yu": yu, "row": row})


def on(app, screen_type):
    return lambda: app.screen if isinstance(app.screen, screen_type) else None


def finding(findings, rule, person_name=None):
    return next(i for i, f in enumerate(findings) if f.rule == rule and (person_name is None or person_name in f.message.render("zh")))


def test_a_rule_says_which_new_record_puts_its_finding_right(committee):
    by_rule = {f.rule: f for f in run_rules(committee.ledger, YEAR, today=TODAY)}
    appraisal = by_rule["assessment.appraisal"]
    assert appraisal.records == (committee.row,)
    assert appraisal.as_json("zh")["fix"] == {"type": "appraisal", "values": {"person": committee.liu, "year": YEAR}}
    assert by_rule["assessment.duty-reports"].fix.values == {"person": committee.liu, "year": YEAR}
    assert by_rule["leadership.study-count"].as_json("en")["fix"] == {"type": "study_session", "values": {}}
    assert by_rule["leadership.study-ideology"].fix.values == {"ideology": True}
    assert by_rule["leadership.agenda"].fix.values == {"ideology_on_agenda": True}
    assert by_rule["assessment.life-meeting"].fix.values == {"includes_ideology": True}
    for f in by_rule.values():  # every value a rule prefills is a field of the record it names
        if f.fix is not None:
            assert set(f.fix.values) <= set(committee.ledger.type(f.fix.record_type).field_names), f.rule
    direct = by_rule["leadership.direct-responsible"]  # no record would say who: no fix, and no key
    assert direct.fix is None and "fix" not in direct.as_json("en")


async def test_enter_on_a_missing_appraisal_opens_a_new_appraisal_for_that_person_and_year(committee, duty_app):
    async with duty_app(ledger=committee.ledger, lang="zh") as pilot:
        app = pilot.app
        await wait_until(pilot, on(app, MainScreen), "the main screen")
        view = await wait_until(pilot, lambda: (v := app.screen.query_one("DashboardView")).board and not v.board.pending and v,
                                "the dashboard's findings")
        options = view.query_one("#dash-findings")
        options.focus()
        options.highlighted = finding(view.board.findings, "assessment.appraisal", "刘明宇")
        await pilot.press("enter")
        choice = await wait_until(pilot, on(app, FixOrRecordScreen), "the new record or the leader's row")
        text = screen_text(app)
        assert "+ 新建年度考核" in text and "被考核人 刘明宇" in text and "年度 2026" in text and committee.row in text
        await pilot.press("enter")  # the new record is the first choice
        form = await wait_until(pilot, on(app, RecordFormScreen), "the appraisal form")
        assert form.rt.name == "appraisal" and form.record is None
        assert form.editor("person").get_raw() == committee.liu and form.editor("year").get_raw() == "2026"
        # the first field still to fill: whether ideological work was assessed (a tick), then its score
        await wait_until(pilot, lambda: app.focused is form.editor("ideology_assessed"), "the focus on the first empty field")
        await pilot.press("space", "tab")
        await wait_until(pilot, lambda: app.focused is form.editor("ideology_score"), "the focus on the score")
        await type_text(pilot, "92")
        await pilot.press("ctrl+s")
        await wait_until(pilot, on(app, MainScreen), "the dashboard again")
        saved = committee.ledger.all("appraisal")
        assert [(r.data["person"], r.data["year"], r.data["ideology_assessed"], r.data["ideology_score"]) for r in saved] == [
            (committee.liu, YEAR, True, 92)]
        await wait_until(pilot, lambda: not any(f.rule == "assessment.appraisal" for f in view.board.findings),
                         "the finding put right")
        assert choice is not None


async def test_enter_on_a_finding_with_no_record_opens_the_prefilled_form_at_once(committee, duty_app):
    async with duty_app(ledger=committee.ledger, lang="en") as pilot:
        app = pilot.app
        await wait_until(pilot, on(app, MainScreen), "the main screen")
        app.screen.show("findings")
        view = app.screen.query_one("FindingsView")
        await wait_until(pilot, lambda: view.shown and not view.checking, "the findings")
        table = view.query_one("#findings-table")
        table.focus()
        index = finding(view.shown, "leadership.study-ideology")
        assert view.shown[index].records == ()
        await pilot.press(*["down"] * index)
        await wait_until(pilot, lambda: table.cursor_row == index, "the cursor on the finding")
        await pilot.press("enter")
        form = await wait_until(pilot, on(app, RecordFormScreen), "the study session form")
        assert form.rt.name == "study_session" and form.editor("ideology").get_raw() is True
        await wait_until(pilot, lambda: app.focused is form.editor("date"), "the focus on the date")
        await type_text(pilot, "2026-03-10")
        await pilot.press("tab")
        await type_text(pilot, "学习意识形态工作责任制")
        await pilot.press("ctrl+s")
        await wait_until(pilot, on(app, MainScreen), "the findings again")
        [session] = committee.ledger.all("study_session")
        assert session.data["ideology"] is True and session.data["topic"] == "学习意识形态工作责任制"
        await wait_until(pilot, lambda: not any(f.rule == "leadership.study-ideology" for f in view.findings), "the finding put right")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_case_shows_its_responsible_persons_with_kind_and_reason(committee, duty_app, lang):
    ledger = committee.ledger
    case = ledger.create("case", {"title": "宣传栏张贴违规宣传品", "circumstance": "1", "occurred_on": "2026-03-01",
                                  "unit": committee.unit}).id
    ledger.create("case_party", {"case": case, "person": committee.liu, "kind": "main", "reason": "谁主管谁负责：党委书记"})
    ledger.create("case_party", {"case": case, "person": committee.yu, "kind": "direct", "reason": "组织了该活动",
                                 "dissent_recorded": True, "dissent_notes": "党委会（第 9 次）会议记录"})
    async with duty_app(ledger=ledger, lang=lang, size=(100, 60)) as pilot:  # a case takes some 35 rows in English; its persons come after
        app = pilot.app
        await wait_until(pilot, on(app, MainScreen), "the main screen")
        app.open_record(case)
        await wait_until(pilot, on(app, RecordDetailScreen), "the case")
        await wait_until(pilot, lambda: "宣传栏张贴违规宣传品" in screen_text(app), "the case on screen")
        text = screen_text(app)
        if lang == "zh":
            assert "责任人 (2)" in text
            assert "刘明宇 · 主要领导责任 · 谁主管谁负责：党委书记" in text
            assert "余永福 · 直接责任 · 组织了该活动 · 不同意见记录在案（免责）" in text
            assert "被以下记录引用" not in text, "the responsible persons are shown, not listed as ids"
            assert "建议认定（未采纳）" not in text, "the secretary, whom the chain suggests, is named already"
        else:
            assert "Responsible person (2)" in text
            # the value column wraps the English line (the labels beside it are long)
            assert "刘明宇 · main leadership responsibility ·" in text and "谁主管谁负责：党委书记" in text
            assert "Referred to by" not in text


async def test_a_case_shows_the_persons_suggested_and_not_yet_named(committee, duty_app):
    from duty_tui_plugins.accountability.suggest import suggest_for_case

    ledger = committee.ledger
    case = ledger.create("case", {"title": "宣传栏张贴违规宣传品", "circumstance": "1", "occurred_on": "2026-03-01",
                                  "unit": committee.unit})
    pending = suggest_for_case(ledger, case, TODAY).open()
    assert pending, "the unit's leaders are suggested"
    async with duty_app(ledger=ledger, lang="zh", size=(100, 50)) as pilot:
        app = pilot.app
        await wait_until(pilot, on(app, MainScreen), "the main screen")
        app.open_record(case.id)
        await wait_until(pilot, lambda: "宣传栏张贴违规宣传品" in screen_text(app), "the case on screen")
        text = screen_text(app)
        assert "建议认定（未采纳）" in text and "责任人 (0)" in text
        for s in pending:
            assert f"{s.name} · {s.kind_label().render('zh')}" in text
