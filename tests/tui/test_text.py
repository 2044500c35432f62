"""Text a clerk reads is in their language and says what it means without colour: a refused
delete names the records and fields that hold on to the record in the operator's words (the
ledger's reason names fields by id, in English); a yes/no box shows its state by glyph."""

from __future__ import annotations

import pytest

from duty_tui.testing import open_record_list, wait_until
from duty_tui.tui.screens.dialogs import ConfirmScreen
from duty_tui.tui.widgets.fields import BoolEditor

from .test_picker import new_meeting_form


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize("lang, expected, foreign", [
    ("zh", ["不能删除“刘明宇”", "会议“中心组集中学习”的组织者"], ["organizer", "cannot", "refer"]),
    ("en", ["“刘明宇” cannot be deleted", "the Organiser of Meeting “中心组集中学习”"], ["organizer", "不能", "(id"]),
])
async def test_a_refused_delete_names_who_refers_in_the_operators_words(town, duty_app, lang, expected, foreign):
    async with duty_app(ledger=town, lang=lang) as pilot:
        app = pilot.app
        view = await open_record_list(pilot, "person")
        liu = town.query("person", text="刘明宇")[0].id  # person-1: the first row, organiser of meetings
        await wait_until(pilot, lambda: view.table.current is not None and view.table.current.id == liu, "刘明宇 highlighted")
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("right", "enter")  # from the safe answer to "delete"
        text = await wait_until(pilot, lambda: next((n for n in notices(app) if expected[0] in n), None), "the refusal")
        for part in expected:
            assert part in text
        for word in foreign:
            assert word not in text, f"{word!r} in {text!r}"
        assert town.query("person", text="刘明宇"), "nothing deleted"


async def test_a_yes_no_box_shows_its_state_by_glyph(town, duty_app):
    async with duty_app(ledger=town, lang="zh") as pilot:
        form = await new_meeting_form(pilot)
        box = form.query_one(BoolEditor)
        assert box._button.plain == "[ ]"
        box.focus()
        await pilot.press("space")
        await wait_until(pilot, lambda: box.value, "ticked")
        assert box._button.plain == "[x]"


async def test_a_list_of_choices_shows_each_ticked_by_glyph(town, duty_app):
    from duty_tui.testing import screen_text
    from duty_tui.tui.widgets.fields import MultiChoiceEditor

    async with duty_app(ledger=town, lang="en") as pilot:
        app = pilot.app
        form = await new_meeting_form(pilot)
        tags = form.query_one(MultiChoiceEditor)
        first, second = (str(tags.get_option_at_index(i).prompt) for i in (0, 1))
        assert f"[ ] {first}" in screen_text(app) and f"[ ] {second}" in screen_text(app)
        tags.focus()
        await pilot.press("space")
        await wait_until(pilot, lambda: tags.selected, "the first ticked")
        text = screen_text(app)
        assert f"[x] {first}" in text and f"[ ] {second}" in text and "▐X▌" not in text


async def test_the_command_palette_says_no_match_in_chinese(town, duty_app):
    from duty_tui.testing import screen_text, type_text

    async with duty_app(ledger=town, lang="zh") as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen", "the main screen")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette", "the palette")
        await type_text(pilot, "qqxzzq")
        await wait_until(pilot, lambda: "没有相符的命令" in screen_text(app), "the answer in Chinese")
        assert "No matches found" not in screen_text(app)


async def test_the_label_of_the_field_with_the_focus_reads_in_bold_and_follows_tab(town, duty_app):
    async with duty_app(ledger=town, lang="en") as pilot:
        form = await new_meeting_form(pilot)

        def bold(name: str) -> bool:
            return bool(form.query_one(f"#label-{name}").styles.text_style.bold)

        await wait_until(pilot, lambda: bold("title"), "the first field's label in bold")
        await pilot.press("tab")
        await wait_until(pilot, lambda: bold("date") and not bold("title"), "the bold label follows the focus")
        await pilot.press("shift+tab")
        await wait_until(pilot, lambda: bold("title") and not bold("date"), "and back")
