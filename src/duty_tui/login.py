"""``duty --login-shell``: what sshd's ForceCommand runs for an operator (docs/deploy.md).

An operator over SSH gets the TUI and nothing else, so this mode:

* refuses to start without a terminal (``ssh -T``, a piped command): a clear message, exit 2;
* honours of Textual's own variables only ``TEXTUAL_COLOR_SYSTEM`` (``standard``, ``256``,
  ``truecolor`` or ``auto``: OpenSSH forwards ``TERM`` but not ``COLORTERM``, so the deployment
  may pin the colours), and drops every other ``TEXTUAL_*`` variable before Textual reads them
  (a driver, devtools, a log file, screenshots, scripted key presses are not an operator's);
  animation is off (``TEXTUAL_ANIMATIONS=none``, and the app sets none besides);
* disables suspending (Ctrl+Z / ``SIGTSTP``: with no shell behind the session there is nothing
  to come back to) and the screenshot action (it would write files from the server's view);
* on SIGHUP (the link dropped) or SIGTERM keeps each open form with unsaved changes as a draft in
  the operator's own data folder (tui/drafts.py) and ends (plain ``duty`` does the same, through
  :func:`run_app`). A record is written in one store
  transaction or not at all, so there is never a half-written record; the next session on the
  same store offers the draft.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import signal
import sys
import threading
from typing import Any, MutableMapping

from .i18n import L

HONOURED = {"TEXTUAL_COLOR_SYSTEM": {"standard", "256", "truecolor", "auto"}}
NO_TTY = L("duty --login-shell 需要终端：请用 ssh -t 登录（不要管道或 ssh -T）。",
           "duty --login-shell needs a terminal: log in with ssh -t (not ssh -T, not through a pipe).")
NO_SUSPEND = L("登录模式下不能挂起；按 Ctrl+Q 退出。", "Suspending is off in login mode; Ctrl+Q quits.")
NO_SCREENSHOT = L("登录模式下不能截屏。", "Screenshots are off in login mode.")
GRACE_SECONDS = 5.0


def scrub_environment(environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Drop the ``TEXTUAL_*`` variables login mode does not honour (and an honoured one with a
    value it does not know); turn animation off. Returns the names dropped."""
    environ = os.environ if environ is None else environ
    dropped = []
    for name in sorted(k for k in environ if k.startswith("TEXTUAL")):
        if environ[name] not in HONOURED.get(name, ()):
            dropped.append(name)
            del environ[name]
    environ["TEXTUAL_ANIMATIONS"] = "none"
    if "textual.constants" in sys.modules:  # read at import: read them again
        importlib.reload(sys.modules["textual.constants"])
    return dropped


def has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def harden(app: Any, drafts: Any) -> None:
    """Login-mode behaviour on one DutyApp: no suspend, no screenshots, drafts kept and offered."""
    lang = lambda: app.lang  # noqa: E731

    def no_suspend() -> None:
        app.notify(NO_SUSPEND.render(lang()), severity="warning", timeout=4)

    def no_screenshot(*_args: Any, **_kwargs: Any) -> None:
        app.notify(NO_SCREENSHOT.render(lang()), severity="warning", timeout=4)

    app.action_suspend_process = no_suspend
    app.action_screenshot = no_screenshot
    app.deliver_screenshot = no_screenshot
    app.drafts = drafts
    app.hung_up = False


def hang_up(app: Any) -> threading.Timer | None:
    """The link dropped: keep the open forms as drafts, then end (forced after a grace period,
    in case the dead terminal blocks Textual's last writes). Returns that timer."""
    if app.hung_up:
        return None
    app.hung_up = True
    timer = threading.Timer(GRACE_SECONDS, os._exit, args=(0,))
    timer.daemon = True
    try:
        app.drafts.save_open_forms(app)
    finally:
        timer.start()
        app.exit()
    return timer


def run(ledger: Any, *, lang: str, keymap: dict | None = None) -> int:
    """Run the TUI for ``ledger`` in login mode (the caller has checked the terminal and
    scrubbed the environment before Textual was imported)."""
    from .tui.app import make_app
    from .tui.drafts import Drafts

    app = make_app(ledger, lang=lang, keymap=keymap or {})
    harden(app, Drafts(ledger.store.url, user=ledger.user.name))
    signal.signal(signal.SIGTSTP, signal.SIG_IGN)
    run_app(app)
    return 0


def run_app(app: Any) -> None:
    """Run the app until it ends; SIGHUP or SIGTERM keep its open forms as drafts (``app.drafts``)
    and end it (:func:`hang_up`), and so does the terminal going away without a SIGHUP
    (:func:`watch_terminal`)."""
    app.hung_up = False

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            loop.add_signal_handler(sig, hang_up, app)
        watch_terminal(lambda: loop.call_soon_threadsafe(hang_up, app))
        await app.run_async()

    asyncio.run(main())


def watch_terminal(gone: Any, fd: int = 0, every: float = 1.0) -> threading.Thread | None:
    """Call ``gone()`` once the terminal on ``fd`` has hung up. A process that is not the
    terminal's session leader (started under setsid or nohup, or left by a script that closed its
    pseudo-terminal) gets no SIGHUP when the terminal goes away; its stdin then reads as empty
    at once, every time, and Textual's input thread spun on it: one found this session had used
    85% of a core for an hour. ``poll`` reports a hang-up without reading what the operator types.
    None where there is no terminal to watch (a pipe, a test)."""
    import select

    if not os.isatty(fd) or not hasattr(select, "poll"):
        return None

    def watch() -> None:
        poller = select.poll()
        poller.register(fd, 0)  # no events asked: a hang-up and an error are reported all the same
        while True:
            try:
                events = poller.poll(every * 1000)
            except OSError:
                return
            if any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events):
                gone()
                return

    thread = threading.Thread(target=watch, name="duty-terminal-watch", daemon=True)
    thread.start()
    return thread
