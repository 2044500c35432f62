"""What was just done is said in the key bar, in the frame the key makes ("✓ 已新建 meeting-4"),
not in a toast mounted afterwards (a layout and a frame of its own, and mounted again on every
screen opened while it lasts: issue 14). Warnings, errors and notices of several lines stay
toasts. And the jump (Ctrl+G) is one screen kept for the session, empty and current each time it
opens."""

from __future__ import annotations

import threading

from duty_tui.testing import open_record_list, type_text, wait_until
from duty_tui.tui.screens.jump import JumpScreen
from duty_tui.tui.screens.main import MainScreen
from duty_tui.tui.screens.record_form import RecordFormScreen
from duty_tui.tui.widgets.keybar import KeyBar


def key_bar(app) -> str:
    return app.screen.query_one(KeyBar).render().plain


async def test_a_saved_record_is_said_in_the_key_bar_of_the_screen_it_returns_to(town, make_app):
    app = make_app(town, lang="zh")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        view = await open_record_list(pilot, "meeting")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen), "the form")
        await type_text(pilot, "宣传思想工作座谈会")
        await pilot.press("tab")
        await type_text(pilot, "2026-04-02")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the list again")
        created = town.query("meeting", text="座谈会")[0].id
        said = await wait_until(pilot, lambda: key_bar(app) if created in key_bar(app) else None, "the notice in the key bar")
        assert said.startswith(" ✓ 已新建") and "F1" in said, said  # marked by a glyph, the help key still there
        assert not app.screen.query("Toast") and not list(app._notifications), "said, not a toast"
        assert view.table.total >= 1


async def test_a_notice_leaves_the_key_bar_when_its_time_is_up(town, make_app):
    app = make_app(town)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_record_list(pilot, "meeting")
        app.notify("done it", timeout=0.3)
        await wait_until(pilot, lambda: "✓ done it" in key_bar(app), "the notice")
        await wait_until(pilot, lambda: "done it" not in key_bar(app), "the notice gone", timeout=5)
        assert app.said[-1].text == "done it", "kept in the app's list of what was said"


async def test_warnings_long_notices_and_notices_of_several_lines_are_toasts(town, make_app):
    app = make_app(town)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await open_record_list(pilot, "meeting")
        app.notify("careful", severity="warning")
        app.notify("first line\nsecond line")
        app.notify("x" * 80)
        await wait_until(pilot, lambda: len(app.screen.query("Toast")) == 3, "three toasts")
        assert not app.said and "careful" not in key_bar(app)


async def test_a_notice_from_a_worker_thread_is_said_too(town, make_app):
    app = make_app(town)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_record_list(pilot, "meeting")
        thread = threading.Thread(target=lambda: app.notify("written from a thread"))
        thread.start()
        await wait_until(pilot, lambda: "written from a thread" in key_bar(app), "the thread's notice")
        thread.join()


async def test_a_notice_keeps_the_help_key_and_is_cut_with_an_ellipsis_where_it_does_not_fit(town, make_app):
    from rich.cells import cell_len

    notice = "报告会、研讨会、讲座、论坛 event-12：备案，现为“已备案”"
    for width, cut in ((80, False), (60, True)):
        app = make_app(town, lang="zh")
        async with app.run_test(size=(width, 24)) as pilot:
            await open_record_list(pilot, "meeting")
            app.notify(notice)
            said = await wait_until(pilot, lambda: key_bar(app) if "✓" in key_bar(app) else None, "the notice")
            assert (notice not in said and "…" in said) if cut else notice in said, said
            assert said.rstrip().endswith("帮助") and cell_len(said) <= width, said


async def test_the_jump_is_kept_and_opens_empty_in_the_language_of_the_moment(town, make_app):
    app = make_app(town, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_record_list(pilot, "meeting")
        await pilot.press("ctrl+g")
        jump = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, JumpScreen) else None, "the jump")
        every = len(jump.shown)
        await type_text(pilot, "会议")
        await wait_until(pilot, lambda: len(jump.shown) < every, "the places filtered")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the jump closed")
        await pilot.press("f2")  # English
        await wait_until(pilot, lambda: app.lang == "en", "English")
        await pilot.press("ctrl+g")
        again = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, JumpScreen) else None, "the jump again")
        assert again is jump, "the same screen, not composed again"
        await wait_until(pilot, lambda: len(jump.shown) == every, "every place again")
        assert jump.query_one("#jump-input").value == ""
        assert app.focused is jump.query_one("#jump-input")
        assert str(jump.query_one("#jump-title").render()) == app.session.t("jump.title")
        assert jump.query_one("#jump-input").placeholder == app.session.t("jump.placeholder")
        assert app.lang == "en" and str(jump.query_one("#jump-title").render()).isascii()


async def test_a_toast_stays_on_its_screen_and_does_not_follow_to_the_screens_opened_later(town, make_app):
    """The login's reminder (15 s) was mounted again on every screen opened while it lasted."""
    app = make_app(town)
    app.TOAST_FOLLOWS_FOR = 0.2
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        view = await open_record_list(pilot, "meeting")
        under = app.screen
        app.notify("a warning that lasts", severity="warning", timeout=30)
        await wait_until(pilot, lambda: under.query("Toast"), "the warning")
        await pilot.pause(0.3)
        view.table.focus()
        await pilot.press("enter")  # the highlighted meeting's detail
        detail = await wait_until(pilot, lambda: app.screen if app.screen is not under else None, "the detail")
        await pilot.pause(0.2)
        assert not detail.query("Toast"), "not mounted on the screen opened after it"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is under and under.query("Toast"), "still on the list it was shown on")


async def test_a_toast_raised_by_the_key_that_changes_the_screen_shows_on_the_new_screen(town, make_app):
    app = make_app(town)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        view = await open_record_list(pilot, "meeting")
        under = app.screen
        view.table.focus()
        await pilot.press("enter")
        detail = await wait_until(pilot, lambda: app.screen if app.screen is not under else None, "the detail")
        app.notify("refused, say why", severity="error")
        app.pop_screen()
        await wait_until(pilot, lambda: app.screen is under and under.query("Toast"), "the error on the list come back to")
        assert detail not in app.screen_stack
