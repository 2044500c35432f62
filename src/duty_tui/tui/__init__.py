"""The terminal UI (Textual). ``make_app(ledger, ...)`` builds it; ``duty`` runs it.

Submodules that do not draw (session, display, filtering, dashboard_data, history, actions,
messages) import no Textual, so they load and test on their own; ``make_app`` is imported
lazily for the same reason.
"""

from __future__ import annotations

from typing import Any

__all__ = ["make_app"]


def __getattr__(name: str) -> Any:
    if name == "make_app":
        from .app import make_app

        return make_app
    raise AttributeError(name)
