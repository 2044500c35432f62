"""The chain's warnings in the TUI: a former secretary whose 任职止 was never entered is suggested
with the warning, left unticked in the new case from an event and in the accept dialog, and
marked on the cases screen; each suggestion shows the clause its kind rests on."""

from __future__ import annotations

from duty_tui.testing import screen_text, wait_until
from duty_tui.tui.screens.record_detail import RecordDetailScreen
from duty_tui_plugins.accountability.case_screens import AcceptSuggestionsScreen, EventPickerScreen, NewCaseScreen
from duty_tui_plugins.accountability.cases_screen import CasesScreen

from .test_case_tui import office, on, palette, pytestmark  # noqa: F401  (the fixture and the plugins it needs)


def former_secretary(office) -> str:
    """黄志军, first responsible since 2019, 任职止 never entered: 刘明宇 took over on 2024-01-01."""
    huang = office.admin.create("person", {"name": "黄志军", "unit": office.ids["committee"], "post": "原党委书记"}).id
    office.admin.create("leader", {"person": huang, "role": "first_responsible", "since": "2019-09-01"})
    return huang


async def test_a_former_secretary_in_doubt_is_shown_with_the_warning_and_left_unticked(office, duty_app):
    huang, ids = former_secretary(office), office.ids
    async with duty_app(ledger=office.clerk, lang="zh") as pilot:
        app = pilot.app
        await palette(pilot, "由活动新建案件")
        await wait_until(pilot, on(app, EventPickerScreen), "the event picker")
        await wait_until(pilot, lambda: "乡村振兴研讨会" in screen_text(app), "the seminar")
        await pilot.press("enter")
        form = await wait_until(pilot, on(app, NewCaseScreen), "the new case")
        suggestions = form.query_one("#new-suggestions")
        await wait_until(pilot, lambda: suggestions.option_count == 5, "the chain's suggestions")
        assert set(suggestions.selected) == {ids["张伟"], ids["刘明宇"], ids["王建国"], ids["余永福"]}, "黄志军 unticked"
        text = screen_text(app)
        assert "黄志军  主要领导责任  ⚠ 待核实，未勾选" in text and "余永福  重要领导责任  — 分管宣传思想工作" in text
        notes = str(form.query_one("#new-notes").render())
        assert "⚠ 黄志军：任期重叠：黄志军自 2019-09-01 任第一责任人，任职止未填写，而刘明宇已于 2024-01-01 接任" in notes
        assert "xx镇党委：全面领导责任（《问责条例》第六条）" in notes
        assert "《问责条例》第六条；《纪律处分条例》第三十九条" in str(suggestions.get_option_at_index(3).prompt)
        await pilot.press("ctrl+s")
        detail = await wait_until(pilot, on(app, RecordDetailScreen), "the registered case")
        named = {p.data["person"] for p in office.admin.all("case_party", case=detail.record.id)}
        assert named == {ids["张伟"], ids["刘明宇"], ids["王建国"], ids["余永福"]} and huang not in named

    async with duty_app(ledger=office.clerk, lang="zh") as pilot:
        app = pilot.app
        await palette(pilot, "案件与责任人")
        await wait_until(pilot, on(app, CasesScreen), "the cases screen")
        await wait_until(pilot, lambda: "推荐：黄志军 主要（任期待核实）" in screen_text(app), "the former secretary marked")
        await pilot.press("a")
        dialog = await wait_until(pilot, on(app, AcceptSuggestionsScreen), "the suggestions")
        listing = dialog.query_one("#accept-list")
        await wait_until(pilot, lambda: listing.option_count == 1, "one not yet named")
        assert listing.selected == [], "the one in doubt starts unticked"
        assert str(dialog.query_one("#accept-warnings").render()).startswith("⚠ 黄志军：任期重叠")
