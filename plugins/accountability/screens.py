"""What accountability adds to the terminal UI: the cases screen (each case, who is named and who
the chain suggests, accepted with ``a``), a new case opened from an event with its organiser,
approver and the unit's chain suggested, and a palette command. Textual is imported only when
a screen is opened."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ui_api import PaletteCommand, ScreenSpec

from .types import AREA

CASES_SCREEN = "accountability.cases"
CASE_FROM_EVENT_SCREEN = "accountability.case-from-event"


def open_cases(ui):
    from .cases_screen import CasesScreen

    return CasesScreen(ui)


def open_case_from_event(ui):
    from .case_screens import EventPickerScreen

    return EventPickerScreen(ui)


def undecided_cases(ui) -> None:
    ui.open_list("case", "state!=decided state!=closed")


SCREENS = (
    ScreenSpec(CASES_SCREEN, L("案件与责任人", "Cases: who answers"), AREA, open_cases,
               help=L("每件案件已认定和推荐的责任人及理由;a 采纳推荐", "who is named on each case and who the chain suggests; a accepts")),
    ScreenSpec(CASE_FROM_EVENT_SCREEN, L("由活动新建案件", "Case from an event"), AREA, open_case_from_event,
               help=L("选一项活动,登记案件,推荐组织者、审批人和分管领导", "pick an event: the case comes with its organiser, approver and the unit's leaders suggested")),
)

COMMANDS = (
    PaletteCommand("accountability.undecided-cases", L("未作决定的问责案件", "Undecided cases"), undecided_cases,
                   help=L("已登记或调查中的案件", "cases registered or under investigation")),
)
