"""What levels adds to the terminal UI: palette commands that open the lists a clerk goes to
most (supervision problems past their due date, results not yet briefed, the year's agreements).
The generic list, form and detail screens do the rest."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ui_api import PaletteCommand


def overdue_rectifications(ui) -> None:
    ui.open_list("supervision", f"state:open due<{ui.today.isoformat()}")


def unbriefed(ui) -> None:
    ui.open_list("supervision", "briefed_on:")


def agreements_of_year(ui) -> None:
    ui.open_list("agreement", f"year:{ui.year}")


COMMANDS = (
    PaletteCommand("levels.overdue-rectifications", L("督查问题逾期未整改", "Supervision problems overdue"), overdue_rectifications,
                   help=L("仍待整改且已过整改时限的督查", "supervisions still open past their rectification due date")),
    PaletteCommand("levels.unbriefed", L("督查结果未通报", "Supervisions not yet briefed"), unbriefed,
                   help=L("尚未通报结果的督查", "supervisions whose results have not been briefed (通报)")),
    PaletteCommand("levels.agreements", L("本年度意识形态工作责任书", "This year's responsibility agreements"), agreements_of_year,
                   help=L("所选年度签订的责任书", "the agreements of the year in view")),
)
