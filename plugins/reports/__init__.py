"""reports: the built-in plugin that offers the reports (annual report, ledgers) from the TUI's
command palette, and the setting for the largest evidence file. No Textual at import time.

The scorecard's section of the annual report belongs to the assessment plugin, which registers
it (``duty_register_reports``); this plugin imports no other plugin.
"""

from __future__ import annotations

from duty_tui.hookspecs import hookimpl, registers

from duty_tui.evidence import DEFAULT_MAX_BYTES, MAX_BYTES_KEY
from duty_tui.i18n import L
from duty_tui.schema import INTEGER
from duty_tui.settings import Setting, non_negative

from .palette import COMMANDS


duty_register_commands = registers(COMMANDS)


@hookimpl
def duty_register_settings(register):
    register(Setting(MAX_BYTES_KEY, INTEGER, DEFAULT_MAX_BYTES, L("附件大小上限(字节)", "largest file attached as evidence (bytes)"),
                     validators=(non_negative,)))
