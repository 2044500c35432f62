"""Textual's frame cap: a key whose handling changes the screen in two waves waits one frame
period for the second (bench/keys.py: half of a Tab's answer at Textual's default 60 fps). The
TUI raises the cap unless the operator set TEXTUAL_FPS; animations stay off, so no more frames are
sent, only sooner."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = "import duty_tui.tui.app, textual.constants as c, textual.screen as s; print(c.MAX_FPS, round(1 / s.UPDATE_PERIOD))"


def frames(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    return subprocess.run([sys.executable, "-c", PROBE], env={**clean, **env}, capture_output=True, text=True, check=True).stdout.split()


def test_the_tui_paints_up_to_240_frames_a_second_and_an_operators_textual_fps_wins():
    assert frames({}) == ["240", "240"]
    assert frames({"TEXTUAL_FPS": "30"}) == ["30", "30"]
