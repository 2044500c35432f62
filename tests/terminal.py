"""A terminal a test drives as a person would: a tmux session on a server of its own, keys sent,
the screen captured and waited on (tests/tui/test_tmux.py, tests/e2e/test_ssh.py)."""

from __future__ import annotations

import subprocess
import time


class Terminal:
    def __init__(self, server: str, session: str, timeout: float) -> None:
        self.server, self.session, self.timeout = server, session, timeout

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.server, *args], capture_output=True, text=True, check=False).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(self, *texts: str, gone: str | None = None) -> str:
        """Poll the screen until every text is on it (and ``gone`` is not)."""
        deadline = time.monotonic() + self.timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(t in screen for t in texts) and (gone is None or gone not in screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{self.session}: the screen never showed {texts!r}" + (f" without {gone!r}" if gone else "")
                             + f":\n{screen}")
