"""reports: the built-in plugin that puts the scorecard into the annual report and offers the
reports (annual report, ledgers) from the TUI's command palette. No Textual at import time.

The scorecard belongs to the assessment plugin; this plugin reads it only when that plugin is
loaded, so the annual report still prints (without a scorecard) when it is disabled.
"""

from __future__ import annotations

from duty_tui.hookspecs import hookimpl

from .sections import SCORECARD


@hookimpl
def duty_register_reports(register):
    register(SCORECARD)
