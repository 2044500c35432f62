"""Nothing lost (issue 14, item 5): leaving a form with changes (Ctrl+Q, Escape, another screen)
asks once: save, discard or keep as a draft. Plain ``duty`` keeps drafts as login mode does, in
the operator's own folder (0700, files 0600), for this store and this user; the next start offers
them, and a restored draft stays a draft until it is saved or discarded."""

from __future__ import annotations

import json
import stat

from duty_tui.testing import screen_text, type_text, wait_until
from duty_tui.tui.drafts import Drafts
from duty_tui.tui.screens.dialogs import ConfirmScreen, LeaveScreen
from duty_tui.tui.screens.record_form import RecordFormScreen


def drafting_app(make_app, ledger, folder, lang: str = "en"):
    """The app as ``duty`` builds it (cli/tui.py run_tui): drafts for this store and user."""
    app = make_app(ledger, lang=lang)
    app.drafts = Drafts(ledger.store.url, folder, user=ledger.user.name)
    return app


def on(app, cls):
    return lambda: isinstance(app.screen, cls) and app.screen


async def focused_on_title(pilot, form: RecordFormScreen) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: app.focused is not None and form.editor("title") in (app.focused, *app.focused.ancestors),
                     "the focus on the title")


async def new_meeting(pilot, title: str) -> RecordFormScreen:
    app = pilot.app
    await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen", "the main screen")
    app.new_record("meeting")
    form = await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen.query_one("#field-title")
                            and app.screen, "the form")
    await focused_on_title(pilot, form)
    await type_text(pilot, title)
    await wait_until(pilot, lambda: form.raws()["title"] == title, "the typing")
    return form


async def quit_app(pilot) -> None:
    await wait_until(pilot, lambda: pilot.app.return_code is not None, "the app to end")


def meetings(ledger, title: str) -> list:
    return [r for r in ledger.query("meeting") if r.data.get("title") == title]


async def test_ctrl_q_keeps_a_draft_the_next_start_offers_it_and_it_survives_a_second_restore(town, make_app, tmp_path):
    folder = tmp_path / "drafts"

    # 1. Ctrl+Q on a changed form asks; "keep as draft" is the default and writes the draft.
    app = drafting_app(make_app, town, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await new_meeting(pilot, "Half typed")
        await pilot.press("ctrl+q")
        dialog = await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        assert app.return_code is None, "Ctrl+Q on a changed form does not quit at once"
        assert app.focused.id == "leave-keep", "keeping a draft is the safe default"
        assert "New Meeting" in dialog.what[0]
        await pilot.press("enter")
        await quit_app(pilot)
    (draft,) = folder.glob("*.json")
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    body = json.loads(draft.read_text())
    assert body["values"]["title"] == "Half typed" and body["user"] == town.user.name
    assert meetings(town, "Half typed") == [], "nothing half-typed reaches the store"

    # 2. The next start offers it; restored, it stays a draft; Ctrl+Q asks again; keep again.
    async def restore(app, pilot) -> RecordFormScreen:
        offer = await wait_until(pilot, on(app, ConfirmScreen), "the draft offered")
        assert "Restore a draft?" in offer.title_text and "new Meeting" in offer.body
        await pilot.press("right", "enter")
        form = await wait_until(pilot, on(app, RecordFormScreen), "the restored form")
        await wait_until(pilot, lambda: form.raws()["title"] == "Half typed", "the draft's values")
        return form

    app = drafting_app(make_app, town, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await restore(app, pilot)
        assert draft.exists(), "a restored draft stays a draft"
        await pilot.press("ctrl+q")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question again")
        await pilot.press("k")
        await quit_app(pilot)
    assert list(folder.glob("*.json")) == [draft], "kept again in the same file, not beside a copy"

    # 3. A second restore works; saving it ends the draft.
    app = drafting_app(make_app, town, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await restore(app, pilot)
        form.editor("date").set_from("2026-03-20")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: meetings(town, "Half typed"), "the save")
    assert meetings(town, "Half typed"), "the restored draft is saved"
    assert not list(folder.glob("*.json")), "a saved draft leaves the folder"


async def test_escape_asks_and_discard_leaves_nothing(town, make_app, tmp_path):
    folder = tmp_path / "drafts"
    app = drafting_app(make_app, town, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await new_meeting(pilot, "Thrown away")
        await pilot.press("escape")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        await pilot.press("escape")  # Escape goes back to the form: nothing is done on a bare Escape
        await wait_until(pilot, lambda: app.screen is form, "the form again")
        assert form.raws()["title"] == "Thrown away"
        await pilot.press("escape")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        await pilot.press("d")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen", "the list")
    assert not folder.exists() or not list(folder.glob("*.json"))
    assert meetings(town, "Thrown away") == []


async def test_discarding_a_restored_draft_removes_it(town, make_app, tmp_path):
    folder = tmp_path / "drafts"
    Drafts(town.store.url, folder, user=town.user.name).save("meeting", {"title": "Old words"})
    app = drafting_app(make_app, town, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, on(app, ConfirmScreen), "the draft offered")
        await pilot.press("right", "enter")
        form = await wait_until(pilot, on(app, RecordFormScreen), "the restored form")
        await wait_until(pilot, lambda: form.raws()["title"] == "Old words", "the draft's values")
        await pilot.press("escape")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        await pilot.press("d")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen", "the main screen")
    assert not list(folder.glob("*.json"))


async def test_save_on_quitting_saves_and_a_refused_save_stays(town, make_app, tmp_path):
    folder = tmp_path / "drafts"
    app = drafting_app(make_app, town, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await new_meeting(pilot, "Saved on the way out")
        form.editor("title").set_from("")  # the title is required: the ledger refuses
        await pilot.press("x")
        await wait_until(pilot, lambda: form.dirty, "a change")
        await pilot.press("ctrl+q")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        await pilot.press("s")
        await wait_until(pilot, lambda: app.screen is form and form.query_one("#form-errors").display, "the problems shown")
        assert app.return_code is None, "a refused save does not quit"
        form.editor("title").set_from("Saved on the way out")
        form.editor("date").set_from("2026-03-20")
        await pilot.press("ctrl+q")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        await pilot.press("s")
        await quit_app(pilot)
    assert meetings(town, "Saved on the way out")
    assert not folder.exists() or not list(folder.glob("*.json"))


async def test_quitting_with_two_changed_forms_asks_once_and_keeps_both(town, make_app, tmp_path):
    folder = tmp_path / "drafts"
    app = drafting_app(make_app, town, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await new_meeting(pilot, "First")
        app.push_screen(RecordFormScreen(town.registry.types["meeting"]))
        second = await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen.query_one("#field-title")
                                  and app.screen, "the second form")
        await focused_on_title(pilot, second)
        await type_text(pilot, "Second")
        await wait_until(pilot, lambda: second.raws()["title"] == "Second", "the typing")
        await pilot.press("ctrl+q")
        dialog = await wait_until(pilot, on(app, LeaveScreen), "one question for both")
        assert len(dialog.what) == 2
        await pilot.press("k")
        await quit_app(pilot)
    titles = sorted(json.loads(p.read_text())["values"]["title"] for p in folder.glob("*.json"))
    assert titles == ["First", "Second"]


async def test_ctrl_q_without_changes_quits_at_once(town, make_app, tmp_path):
    app = drafting_app(make_app, town, tmp_path / "drafts")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen", "the main screen")
        app.new_record("meeting")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen.query_one("#field-title"), "the form")
        await pilot.press("ctrl+q")
        await quit_app(pilot)


async def test_without_drafts_the_question_offers_save_or_discard_and_back_is_the_default(town, make_app):
    app = make_app(town, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await new_meeting(pilot, "abc")
        await pilot.press("ctrl+q")
        dialog = await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        assert not dialog.query("#leave-keep") and app.focused.id == "leave-back"
        text = "".join(s.text for s in app.screen._compositor.render_strips())
        assert "保存" in text and "放弃修改" in text and "返回表单" in text
        await pilot.press("k")  # no drafts here: the key does nothing
        await pilot.press("escape")
        await wait_until(pilot, on(app, RecordFormScreen), "the form again")
        assert app.return_code is None


def test_drafts_belong_to_their_store_and_user_and_stay_private(tmp_path):
    folder = tmp_path / "drafts"
    Drafts("sqlite:///a.db", folder, user="lina").save("person", {"name": "x"})
    assert len(Drafts("sqlite:///a.db", folder, user="lina").pending()) == 1
    assert Drafts("sqlite:///a.db", folder, user="wang").pending() == [], "another user's draft is not offered"
    assert Drafts("sqlite:///b.db", folder, user="lina").pending() == []
    folder.chmod(0o755)
    (draft,) = folder.glob("*.json")
    draft.chmod(0o644)
    assert len(Drafts("sqlite:///a.db", folder, user="lina").pending()) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE(draft.stat().st_mode) == 0o600
    draft.chmod(0o666)  # anyone could have written it: not read
    assert Drafts("sqlite:///a.db", folder, user="lina").pending() == []


async def test_going_to_another_screen_from_a_changed_form_asks_then_goes(town, make_app, tmp_path):
    """The palette (and the jump) go through the app's show_view / open_list: a changed form
    asks first, Escape stays, "keep as draft" keeps it and goes where the operator was going."""
    from duty_tui.tui.screens.main import MainScreen

    folder = tmp_path / "drafts"
    app = drafting_app(make_app, town, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await new_meeting(pilot, "Half way")
        app.show_view("findings")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is form, "the form again")
        await pilot.press("ctrl+g")  # the jump closes before the question comes: the answer still counts
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "JumpScreen", "the jump")
        await type_text(pilot, "Findings")
        await wait_until(pilot, lambda: "Findings" in screen_text(app), "the match")
        await pilot.press("enter")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        await pilot.press("k")
        main = await wait_until(pilot, on(app, MainScreen), "the main screen")
        await wait_until(pilot, lambda: main.switcher.current == "findings", "the findings")
        assert [json.loads(p.read_text())["values"]["title"] for p in folder.glob("*.json")] == ["Half way"]
        app.new_record("meeting")
        second = await wait_until(pilot, on(app, RecordFormScreen), "a clean form")
        await wait_until(pilot, lambda: second.query_one("#field-title"), "its fields")
        app.open_list("person")  # nothing typed: nothing to ask
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and main.switcher.current == "list-person", "the person list")


async def test_save_on_leaving_that_meets_a_newer_version_explains_the_conflict(town, make_app, tmp_path):
    meeting = town.query("meeting")[0]
    app = drafting_app(make_app, town, tmp_path / "drafts")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen", "the main screen")
        app.push_screen(RecordFormScreen(town.registry.types["meeting"], meeting))
        form = await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen.query_one("#field-title")
                                and app.screen, "the form")
        await focused_on_title(pilot, form)
        await pilot.press("end", "x")
        await wait_until(pilot, lambda: form.dirty, "a change")
        town.update(meeting.id, {"title": "Theirs"}, expected_version=meeting.version)
        await pilot.press("escape")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        await pilot.press("s")
        dialog = await wait_until(pilot, on(app, ConfirmScreen), "the conflict explained")
        assert "Someone saved first" in dialog.title_text
        assert app.screen_stack[-2] is form, "my changes are still there, under the question"
    assert town.get(meeting.id).data["title"] == "Theirs"


async def test_every_kept_draft_is_offered_in_turn_not_only_the_oldest(town, make_app, tmp_path):
    folder = tmp_path / "drafts"
    drafts = Drafts(town.store.url, folder, user=town.user.name)
    for title in ("First", "Second", "Third"):
        drafts.save("meeting", {"title": title}, None, None)
    app = drafting_app(make_app, town, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        offer = await wait_until(pilot, on(app, ConfirmScreen), "the first draft offered")
        assert "(1 of 3)" in offer.title_text
        await pilot.press("enter")  # Later
        offer = await wait_until(pilot, lambda: on(app, ConfirmScreen)() and "(2 of 3)" in app.screen.title_text and app.screen,
                                 "the second offered after the first is put off")
        await pilot.press("right", "enter")  # Restore
        form = await wait_until(pilot, on(app, RecordFormScreen), "the second draft's form")
        assert form.raws()["title"] in {"First", "Second", "Third"}
        restored = form.raws()["title"]
        await pilot.press("escape")
        await wait_until(pilot, on(app, LeaveScreen), "the leave question")
        await pilot.press("d")  # discard: that draft is done
        offer = await wait_until(pilot, lambda: on(app, ConfirmScreen)() and "(3 of 3)" in app.screen.title_text and app.screen,
                                 "the third offered once the restored form is closed")
        await pilot.press("enter")
    left = sorted(json.loads(p.read_text())["values"]["title"] for p in folder.glob("*.json"))
    assert left == sorted({"First", "Second", "Third"} - {restored}), "the discarded one is gone, the two put off stay"
