"""Pasting into the form (tui/paste.py): a multi-line paste into a one-line field is joined, not
cut to its first line, and the operator is told; a long-text field takes the lines; too long
is cut to the field's room with a warning; control characters never reach the store."""

from __future__ import annotations

from textual import events

from duty_tui.testing import wait_until
from duty_tui.tui.screens.record_form import RecordFormScreen


async def person_form(pilot):
    app = pilot.app
    await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen", "the main screen")
    app.new_record("person")
    return await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen.query_one("#field-name")
                            and app.screen, "the form")


async def paste(pilot, form, field: str, text: str) -> None:
    """Paste into a field as the terminal driver does (the app hands it to the focus), then wait
    until the field took it or a notice said why not (not for a fixed number of pauses)."""
    app = pilot.app
    editor = form.editor(field)

    def focused() -> bool:  # after the form's on_mount, which gives its first field the focus
        if form.initial and app.focused is not None and editor in app.focused.ancestors_with_self:
            return True
        if form.initial:
            editor.focus()
        return False

    await wait_until(pilot, focused, f"the focus on {field}")
    before, notices = form.raws()[field], len(app._notifications)
    app.post_message(events.Paste(text))
    await wait_until(pilot, lambda: form.raws()[field] != before or len(app._notifications) > notices, f"the paste into {field}")


def warnings(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications if n.severity == "warning")


async def test_lines_pasted_into_a_one_line_field_are_joined_and_told(town, duty_app):
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        form = await person_form(pilot)
        await paste(pilot, form, "name", "Zhang\nSan\r\n\n")
        assert form.raws()["name"] == "Zhang San"
        assert "2 pasted lines were joined" in warnings(app)


async def test_a_long_text_field_takes_the_lines(town, duty_app):
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        form = await person_form(pilot)
        await paste(pilot, form, "notes", "first line\nsecond line")
        assert form.raws()["notes"] == "first line\nsecond line"
        assert warnings(app) == ""


async def test_too_long_is_cut_to_the_room_with_a_warning(town, duty_app):
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        form = await person_form(pilot)
        await paste(pilot, form, "phone", "1" * 45)  # the field takes 40
        assert form.raws()["phone"] == "1" * 40
        assert "at most 40 characters: 5 pasted characters were cut" in warnings(app)


async def test_control_characters_are_removed_and_never_stored(town, duty_app):
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        form = await person_form(pilot)
        await paste(pilot, form, "name", "Li\x1b[31m Si\x07")
        await paste(pilot, form, "notes", "a\x00b\nc\x1bd")
        assert form.raws()["name"] == "Li[31m Si" and form.raws()["notes"] == "ab\ncd"
        assert "Control characters in the pasted text were removed" in warnings(app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, RecordFormScreen), "the form saved")
    (saved,) = [p for p in town.query("person") if p.data["name"].startswith("Li")]
    assert not any(ch in saved.data["notes"] + saved.data["name"] for ch in "\x00\x07\x1b")


async def test_a_control_character_that_got_in_another_way_is_an_inline_error(town, duty_app):
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        form = await person_form(pilot)
        form.editor("name").value = "Bad\x07name"  # not by paste: the ledger still refuses it
        await pilot.pause()
        await pilot.press("ctrl+s")
        error = await wait_until(pilot, lambda: form.query_one("#error-name").display and form.query_one("#error-name"), "the error")
        assert "control" in str(error.render()).lower()
        assert isinstance(app.screen, RecordFormScreen)
    assert not [p for p in town.query("person") if "Bad" in p.data["name"]]


async def test_words_pasted_into_a_date_are_kept_and_the_field_says_why_they_are_no_date(town, duty_app):
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen", "the main screen")
        app.new_record("meeting")
        form = await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen.query_one("#field-date")
                                and app.screen, "the form")
        await paste(pilot, form, "date", "next tuesday")
        assert form.raws()["date"] == "next tuesday", "nothing pasted is dropped (widgets/fields.py)"
        error = form.query_one("#error-date")
        await wait_until(pilot, lambda: error.display and "cannot read" in str(error.render()), "the reason under the field")
        form.editor("date").value = ""
        await paste(pilot, form, "date", "2026/3/1")  # a date from a spreadsheet, in a form clerks use
        assert form.raws()["date"] == "2026-03-01"
        await wait_until(pilot, lambda: not error.display, "the error gone")
