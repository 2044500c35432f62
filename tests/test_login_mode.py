"""``duty --login-shell`` (docs/deploy.md, "Login mode"): no terminal, no start; only
TEXTUAL_COLOR_SYSTEM honoured; no suspend, no screenshots; a hang-up keeps the open form as a
0600 draft and stores nothing; the next session offers the draft and restores it.

The real link drop (a killed ssh client, SIGHUP from the kernel) is tests/e2e/test_ssh.py; here
the app is driven headless and ``hang_up`` is called as the SIGHUP handler calls it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import stat

from duty_tui import login
from duty_tui.testing import wait_until
from duty_tui.tui.drafts import Drafts


def test_no_terminal_no_start(cli):
    result = cli("--login-shell")  # CliRunner: stdin and stdout are not a terminal
    assert result.exit_code == 2
    assert "needs a terminal" in result.stderr


def test_no_subcommand_in_login_mode(cli):
    result = cli("--login-shell", "list", "person")
    assert result.exit_code == 2
    assert "no subcommand" in result.stderr


def test_only_the_colour_system_is_honoured():
    environ = {"TEXTUAL_DRIVER": "x:Y", "TEXTUAL_PRESS": "ctrl+q", "TEXTUAL_SCREENSHOT": "1", "TEXTUAL_DEBUG": "1",
               "TEXTUAL_COLOR_SYSTEM": "256", "TERM": "xterm", "DUTY_DB": "sqlite:///x"}
    dropped = login.scrub_environment(environ)
    assert dropped == ["TEXTUAL_DEBUG", "TEXTUAL_DRIVER", "TEXTUAL_PRESS", "TEXTUAL_SCREENSHOT"]
    assert environ == {"TEXTUAL_COLOR_SYSTEM": "256", "TEXTUAL_ANIMATIONS": "none", "TERM": "xterm", "DUTY_DB": "sqlite:///x"}

    environ = {"TEXTUAL_COLOR_SYSTEM": "bogus"}
    assert login.scrub_environment(environ) == ["TEXTUAL_COLOR_SYSTEM"]


def test_textual_reads_its_constants_again_after_the_scrub(monkeypatch):
    import importlib

    import os

    import textual.constants

    before = {k: v for k, v in os.environ.items() if k.startswith("TEXTUAL")}  # pytest's own (snapshots) among them
    monkeypatch.setenv("TEXTUAL_PRESS", "ctrl+q")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")
    importlib.reload(textual.constants)
    assert textual.constants.PRESS == "ctrl+q"
    try:
        login.scrub_environment()
        assert textual.constants.PRESS == "" and textual.constants.TEXTUAL_ANIMATIONS == "none"
    finally:
        monkeypatch.undo()
        for name in [k for k in os.environ if k.startswith("TEXTUAL")]:
            del os.environ[name]
        os.environ.update(before)
        importlib.reload(textual.constants)


def test_the_palette_offers_no_screenshot():
    import inspect

    from duty_tui.tui import commands
    from duty_tui.tui.app import DutyApp

    assert "screenshot" not in inspect.getsource(commands).lower()
    assert list(DutyApp.get_system_commands(None, None)) == []  # Textual's own (with its screenshot) are not offered


def login_app(ledger, folder):
    from duty_tui.tui.app import make_app

    app = make_app(ledger, lang="en", today=dt.date(2026, 3, 15), year=2026, store_label="sqlite:duty.db")
    login.harden(app, Drafts(ledger.store.url, folder))
    return app


def test_suspend_and_screenshots_are_off(duty_admin, tmp_path):
    async def scenario():
        app = login_app(duty_admin, tmp_path / "drafts")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.action_suspend_process()
            await app.run_action("screenshot")
            await pilot.press("ctrl+z")
            await pilot.pause()
            texts = [str(n.message) for n in app._notifications]
            assert any("Suspending is off" in t for t in texts) and any("Screenshots are off" in t for t in texts)
            assert not list(tmp_path.glob("*.svg")) and not list(tmp_path.parent.glob("*.svg"))

    asyncio.run(scenario())


def test_hang_up_keeps_the_form_as_a_draft_and_the_next_session_restores_it(duty_admin, tmp_path):
    from duty_tui.tui.screens.dialogs import ConfirmScreen
    from duty_tui.tui.screens.record_form import RecordFormScreen

    folder = tmp_path / "drafts"

    async def first_session():
        app = login_app(duty_admin, folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen", "the main screen")
            app.new_record("person")
            form = await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen, "the form")
            for ch in "Half typed":
                await pilot.press(ch if ch != " " else "space")
            await wait_until(pilot, lambda: form.raws()["name"] == "Half typed", "the typing")
            timer = login.hang_up(app)
            timer.cancel()  # the test's process is not to be ended
            assert login.hang_up(app) is None, "a second hang-up does nothing"
            await pilot.pause()
        assert app.return_code in (0, None)

    asyncio.run(first_session())
    assert duty_admin.query("person") == [], "nothing typed reaches the store"
    (draft,) = folder.glob("*.json")
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    body = json.loads(draft.read_text())
    assert body["type"] == "person" and body["values"]["name"] == "Half typed" and body["record_id"] is None
    assert duty_admin.store.url not in draft.read_text(), "the store is named by a digest, never its URL"

    async def second_session(answer: str):
        app = login_app(duty_admin, folder)
        async with app.run_test(size=(100, 30)) as pilot:
            dialog = await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen) and app.screen, "the draft offered")
            assert "Restore a draft?" in dialog.title_text and "new Person" in dialog.body
            if answer == "later":
                await pilot.press("escape")  # Escape answers the safe choice: keep the draft
                await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen", "the main screen")
                return
            await pilot.press("right", "enter")
            form = await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen, "the restored form")
            assert form.raws()["name"] == "Half typed" and form.dirty
            assert draft.exists(), "a restored draft stays a draft until the form is saved or discarded"
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: duty_admin.query("person"), "the record saved")
            assert not draft.exists(), "a saved draft leaves the folder"

    asyncio.run(second_session("later"))
    assert draft.exists()
    asyncio.run(second_session("restore"))
    assert [p.data["name"] for p in duty_admin.query("person")] == ["Half typed"]


def test_drafts_of_another_store_are_not_offered(tmp_path):
    Drafts("sqlite:///a.db", tmp_path).save("person", {"name": "x"})
    assert len(Drafts("sqlite:///a.db", tmp_path).pending()) == 1
    assert Drafts("sqlite:///b.db", tmp_path).pending() == []


def test_a_form_without_changes_leaves_no_draft(duty_admin, tmp_path):
    from duty_tui.tui.screens.record_form import RecordFormScreen

    async def scenario():
        app = login_app(duty_admin, tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen", "the main screen")
            app.new_record("person")
            await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen.query_one("#field-name"), "the form")
            assert app.drafts.save_open_forms(app) == []

    asyncio.run(scenario())
    assert not list(tmp_path.glob("*.json"))


def test_the_wrapper_passes_only_what_the_app_needs(tmp_path):
    """deploy/duty-login (docs/deploy.md step 4): whatever the session brings, the app starts
    with PATH, HOME, USER, LOGNAME, TERM, LANG, DUTY_DB and DUTY_LANG only, umask 007, and the
    wrapper's shell is replaced (exec), its arguments ignored."""
    import os
    import subprocess
    from pathlib import Path

    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake = venv / "bin" / "python"  # stands in for the app: prints what it was given
    fake.write_text('#!/bin/sh\necho "ARGS=$*"\necho "UMASK=$(umask)"\necho "PARENT=$PPID"\nenv\n')
    fake.chmod(0o755)
    text = (Path(__file__).parents[1] / "deploy" / "duty-login").read_text().replace("DUTY_VENV=/opt/duty-tui", f"DUTY_VENV={venv}")
    wrapper = tmp_path / "duty-login"
    wrapper.write_text(text)
    wrapper.chmod(0o755)
    session = {"HOME": "/home/alice", "USER": "alice", "LOGNAME": "alice", "TERM": "xterm-256color", "SHELL": str(wrapper),
               "TEXTUAL_DRIVER": "evil:Driver", "LD_PRELOAD": "/tmp/x.so", "PYTHONPATH": "/tmp", "DUTY_DB": "sqlite:////tmp/x",
               "LC_ALL": "xx", "SSH_ORIGINAL_COMMAND": "id", "PATH": "/tmp:/usr/bin:/bin"}
    out = subprocess.run([str(wrapper), "-c", "id; sh"], env=session, capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert lines[0] == "ARGS=-m duty_tui --login-shell", "sshd's -c COMMAND is ignored"
    assert lines[1] == "UMASK=0007"
    assert lines[2] == f"PARENT={os.getpid()}", "exec: no shell stays between the session and the app"
    env = dict(line.split("=", 1) for line in lines[3:])
    env.pop("PWD", None)  # set by the fake app's own shell
    assert env == {"PATH": "/usr/bin:/bin", "HOME": "/home/alice", "USER": "alice", "LOGNAME": "alice",
                   "TERM": "xterm-256color", "LANG": "C.UTF-8", "DUTY_DB": "sqlite:////srv/duty/duty.db", "DUTY_LANG": "zh"}
