"""`duty demo` in a real terminal: tmux runs it at 100×30, keys are sent as a person types them,
and the captured screen is checked. Skipped (with the reason printed) only where tmux is not
installed; CI installs it (.ci/run).

Each step waits for what the screen should show next before sending more keys: Textual hands
a key to the widget focused when the key is read, so keys that move the focus and keys meant
for the new focus must not arrive in one burst (a person types slower than that).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from ..terminal import Terminal as TmuxTerminal

TIMEOUT = 20.0


class Terminal(TmuxTerminal):
    def alive(self) -> bool:
        return subprocess.run(["tmux", "-L", self.server, "has-session", "-t", self.session],
                              capture_output=True).returncode == 0


@pytest.fixture
def terminal(tmp_path):
    if shutil.which("tmux") is None:
        reason = "tmux is not installed (CI installs it; apt-get install tmux)"
        print(f"SKIPPED test_tmux: {reason}")
        pytest.skip(reason)
    socket = f"duty-test-{uuid.uuid4().hex[:8]}"
    env = {
        "DUTY_DB": f"sqlite:///{tmp_path / 'demo.db'}",
        "DUTY_CONFIG": str(tmp_path / "config.toml"),
        "DUTY_LANG": "en",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    command = " ".join(f"{k}={v}" for k, v in env.items()) + f" {sys.executable} -m duty_tui demo"
    subprocess.run(["tmux", "-L", socket, "-u", "new-session", "-d", "-s", "demo", "-x", "100", "-y", "30",
                    f"env {command}; sleep 2"], check=True, env={**os.environ, "LANG": "C.UTF-8"})
    term = Terminal(socket, "demo", TIMEOUT)
    yield term
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def test_duty_demo_in_a_terminal(terminal):
    screen = terminal.wait_for("at a glance", "Unit")
    assert "xx镇党委" in screen and "(admin)" in screen and "demo.db" in screen

    for _ in range(4):  # Dashboard › Findings › Audit log › Directory › Unit
        terminal.keys("Down")
    terminal.keys("Enter")
    terminal.wait_for("Unit  9 records", "东风村", "城关社区")

    terminal.keys("/")
    terminal.wait_for("words  field:value")
    terminal.keys("village", literal=True)
    screen = terminal.wait_for("Unit  3 records", gone="城关社区")
    assert all(name in screen for name in ("东风村", "红星村", "青山村"))

    terminal.keys("Enter")
    terminal.wait_for("/ village")  # the filter stays, shown in the status line
    terminal.keys("Enter")
    screen = terminal.wait_for("Parent unit", "History")
    assert "东风村" in screen and "xx镇党委 (unit-1)" in screen

    terminal.keys("e")
    terminal.wait_for("Edit Unit unit-6 (version 1)")
    terminal.keys("End")
    terminal.keys("一组", literal=True)
    terminal.wait_for("东风村一组")
    terminal.keys("C-s")
    screen = terminal.wait_for("Name: 东风村 → 东风村一组")
    assert "Version" in screen

    terminal.keys("Escape")
    terminal.wait_for("Unit  3 records", "东风村一组")
    terminal.keys("F2")
    terminal.wait_for("单位  3 条", "村委会")

    terminal.keys("C-q")
    deadline = time.monotonic() + TIMEOUT
    while "单位" in terminal.screen() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "单位  3 条" not in terminal.screen(), "Ctrl+Q quits"
