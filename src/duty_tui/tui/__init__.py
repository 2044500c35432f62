"""The terminal UI (Textual). ``make_app(ledger, ...)`` builds it; ``duty`` runs it.

What does not draw (messages, value display, filtering, dashboard data, history, the session)
lives in :mod:`duty_tui.present`, shared with the CLI and the reports; ``make_app`` is imported
lazily so that importing this package costs nothing.
"""

from __future__ import annotations

import os
from typing import Any

# Textual paints at most MAX_FPS times a second (TEXTUAL_FPS, read once when Textual is first
# imported, which is after this). At its default of 60, a key whose handling changes the screen
# in two waves (the focus, then the row's bold label; a dialog, then its contents) waits a whole
# 16.7 ms period for the second frame: half of a Tab's 40 ms in bench/keys.py. Animations are off
# (app.animation_level "none"), so a higher cap sends no more frames, only sooner: a Tab answers
# in 18-23 ms instead of 29-45. An operator's own TEXTUAL_FPS wins; login mode drops it first.
os.environ.setdefault("TEXTUAL_FPS", "240")

__all__ = ["make_app"]


def __getattr__(name: str) -> Any:
    if name == "make_app":
        from .app import make_app

        return make_app
    raise AttributeError(name)
