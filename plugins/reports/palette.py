"""The reports from the TUI's command palette: the annual report (Word) and the ledgers (xlsx) of
the year on screen, written in a worker thread to the working folder, with a notice when the work
starts (what and where) and when it is done (or why it failed). No Textual here: the commands see
the UI only through :class:`~duty_tui.ui_api.UiContext` (whose ``notify`` is safe from a thread).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

from duty_tui.files import write_atomically
from duty_tui.i18n import L
from duty_tui.ledger import Ledger
from duty_tui.ui_api import PaletteCommand

Work = Callable[[Ledger, int, str, str, Callable[[int], None]], None]


def _annual(ledger: Ledger, year: int, lang: str, path: str, tick: Callable[[int], None]) -> None:
    from duty_tui.reports.document import build_annual, write_docx

    write_docx(build_annual(ledger, year, lang, today=ledger.today(), progress=tick), path)


def _half(half: int) -> Work:
    """The report of one half of the year on screen (reports to the superior are half-yearly)."""
    def work(ledger: Ledger, year: int, lang: str, path: str, tick: Callable[[int], None]) -> None:
        from duty_tui.reports.document import build_annual, write_docx
        from duty_tui.reports.period import parse_period

        write_docx(build_annual(ledger, lang=lang, today=ledger.today(), progress=tick, period=parse_period(f"{year}H{half}")), path)

    return work


def _ledgers(ledger: Ledger, year: int, lang: str, path: str, tick: Callable[[int], None]) -> None:
    from duty_tui.reports.ledgers import export_ledgers

    export_ledgers(ledger, year, path, lang, progress=tick)


def start(ui, what: L, file_name: str, work: Work, folder: Path | None = None) -> threading.Thread:
    """Run ``work`` in a thread with a ledger of its own (same store and user) and tell the
    operator when it starts and ends. Returns the thread (tests join it)."""
    base = ui.ledger
    ledger = Ledger(base.store, base.registry, base.user, login=base.login, clock=base.clock, scope=base.scope)
    year, lang = ui.year, base.document_lang()  # the document in the store's language, the notices in the operator's
    target = (folder or Path.cwd()) / file_name.format(year=year)
    ui.notify(L("正在生成{what}：{path}……", "Writing the {what} to {path}…").format(what=what, path=target))

    def run() -> None:
        started = time.monotonic()
        steps = [0]

        def tick(n: int) -> None:
            steps[0] += n

        try:
            write_atomically(target, lambda tmp: work(ledger, year, lang, tmp, tick))
        except Exception as exc:  # told to the operator, never a crash of the UI
            ui.notify(L("{what}生成失败：{e}", "The {what} failed: {e}").format(what=what, e=f"{type(exc).__name__}: {exc}"), "error")
            return
        ui.notify(L("{what}已写出：{path}（{s} 秒）", "The {what} written: {path} ({s} s)").format(
            what=what, path=target, s=f"{time.monotonic() - started:.1f}"))

    thread = threading.Thread(target=run, name="duty-report", daemon=True)
    thread.start()
    return thread


ANNUAL = L("年度报告", "annual report")
HALF_YEAR = L("半年报告", "half-year report")
LEDGERS = L("台账", "ledgers")

COMMANDS = (
    PaletteCommand("reports.annual-docx", L("生成本年度报告（Word）", "Write the year's annual report (Word)"),
                   lambda ui: start(ui, ANNUAL, "duty-report-{year}.docx", _annual),
                   help=L("写到当前文件夹，完成时提示", "written to the working folder; a notice when done")),
    PaletteCommand("reports.first-half-docx", L("生成本年度上半年报告（Word）", "Write the report on the year's first half (Word)"),
                   lambda ui: start(ui, HALF_YEAR, "duty-report-{year}H1.docx", _half(1)),
                   help=L("1月1日至6月30日，写到当前文件夹", "1 January to 30 June, written to the working folder")),
    PaletteCommand("reports.second-half-docx", L("生成本年度下半年报告（Word）", "Write the report on the year's second half (Word)"),
                   lambda ui: start(ui, HALF_YEAR, "duty-report-{year}H2.docx", _half(2)),
                   help=L("7月1日至12月31日，写到当前文件夹", "1 July to 31 December, written to the working folder")),
    PaletteCommand("reports.ledgers-xlsx", L("导出本年度台账（xlsx）", "Export the year's ledgers (xlsx)"),
                   lambda ui: start(ui, LEDGERS, "duty-ledgers-{year}.xlsx", _ledgers),
                   help=L("每种记录一张表，写到当前文件夹", "a sheet per record type, written to the working folder"), needs="export"),
)
