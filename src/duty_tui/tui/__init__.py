"""The terminal UI (Textual). ``make_app(ledger, ...)`` builds it; ``duty`` runs it.

What does not draw (messages, value display, filtering, dashboard data, history, the session)
lives in :mod:`duty_tui.present`, shared with the CLI and the reports; ``make_app`` is imported
lazily so that importing this package costs nothing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["make_app"]


def __getattr__(name: str) -> Any:
    if name == "make_app":
        from .app import make_app

        return make_app
    raise AttributeError(name)
