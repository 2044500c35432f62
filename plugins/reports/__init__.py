"""reports: the built-in plugin that puts the scorecard into the annual report and offers the
reports (annual report, ledgers) from the TUI's command palette. No Textual at import time.

The scorecard belongs to the assessment plugin; this plugin reads it only when that plugin is
loaded, so the annual report still prints (without a scorecard) when it is disabled.
"""

from __future__ import annotations

from duty_tui.hookspecs import hookimpl, registers

from duty_tui.evidence import DEFAULT_MAX_BYTES, MAX_BYTES_KEY
from duty_tui.i18n import L
from duty_tui.schema import INTEGER
from duty_tui.settings import Setting, non_negative

from .palette import COMMANDS
from .sections import SCORECARD


duty_register_commands = registers(COMMANDS)


@hookimpl
def duty_register_reports(register):
    register(SCORECARD)


@hookimpl
def duty_register_settings(register):
    register(Setting(MAX_BYTES_KEY, INTEGER, DEFAULT_MAX_BYTES, L("附件大小上限(字节)", "largest file attached as evidence (bytes)"),
                     validators=(non_negative,)))
