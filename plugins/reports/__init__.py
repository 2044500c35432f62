"""reports: the built-in plugin that offers the reports (annual report, ledgers) from the TUI's
command palette, writes what the built-in areas say in the report and the duty record
(:mod:`.figures`), and keeps the report's settings: the addressee (主送), the issuer, the
office's own text for 下一步打算, and the largest evidence file. No Textual at import time.

The scorecard's attachment and the assessment area's figures belong to the assessment plugin,
which registers them (``duty_register_reports``); this plugin imports no other plugin.
"""

from __future__ import annotations

from duty_tui.hookspecs import hookimpl, registers

from duty_tui.evidence import DEFAULT_MAX_BYTES, MAX_BYTES_KEY
from duty_tui.i18n import L
from duty_tui.reports.document import ADDRESSEE_KEY, ISSUER_KEY, PLANS_KEY
from duty_tui.schema import INTEGER, LONG_TEXT, TEXT
from duty_tui.settings import Setting, non_negative

from .figures import REPORTS
from .palette import COMMANDS

DEMO_ADDRESSEE = "中共xx市委宣传部"  # the seed's town files with the 市委宣传部: its superior is the 市委

duty_register_commands = registers(COMMANDS)
duty_register_reports = registers(REPORTS)


@hookimpl
def duty_register_settings(register):
    register(Setting(MAX_BYTES_KEY, INTEGER, DEFAULT_MAX_BYTES, L("附件大小上限（字节）", "largest file attached as evidence (bytes)"),
                     validators=(non_negative,)))
    register(Setting(ADDRESSEE_KEY, TEXT, "", L("报告主送机关（如 中共某市委宣传部）", "the report's addressee (主送), e.g. the municipal propaganda department")))
    register(Setting(ISSUER_KEY, TEXT, "", L("报告落款的发文机关全称（空则按单位名称，如 中共某镇委员会）",
                                            "the issuer's full name on the report (empty: from the organisation's name)")))
    register(Setting(PLANS_KEY, LONG_TEXT, "", L("报告“下一步打算”中本单位填写的内容（每行一段）",
                                                "the office's own text for the report's next steps (a paragraph a line)")))


@hookimpl
def duty_demo_records(ledger, year):
    ledger.set_setting(ADDRESSEE_KEY, DEMO_ADDRESSEE)
