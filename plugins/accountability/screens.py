"""What accountability adds to the terminal UI: the cases screen (each case, who is named and who
the chain suggests, to accept), a new case opened from an event with its organiser,
approver and the unit's chain suggested, and a palette command. Textual is imported only when
a screen is opened."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ui_api import Action, PaletteCommand, ScreenSpec

from .types import AREA

CASES_SCREEN = "accountability.cases"
CASE_FROM_EVENT_SCREEN = "accountability.case-from-event"

# the keys of the screens and their dialogs (ids for [keymap]; help lists them under each screen)
TICK = Action("accountability.tick", "space", "select", L("勾选/取消", "Tick/untick"), key_display="Space")  # on a list of suggestions
CASES_ACTIONS = (
    Action(f"{CASES_SCREEN}.open", "enter", "open", L("打开案件（在其中办理流程）", "Open the case (its workflow is there)")),
    Action(f"{CASES_SCREEN}.accept", "a", "accept", L("采纳推荐", "Accept suggestions")),
    Action(f"{CASES_SCREEN}.new", "n", "new_case", L("由活动新建", "New from an event")),
)
NAME_TICKED = Action(f"{CASES_SCREEN}.name-ticked", "enter", "accept", L("认定勾选的人", "Name the ticked persons"), priority=True)
CHOOSE_EVENT = Action(f"{CASE_FROM_EVENT_SCREEN}.choose", "enter", "choose", L("选择活动", "Choose the event"), priority=True)
FILTER_EVENTS = Action(f"{CASE_FROM_EVENT_SCREEN}.filter", "slash", "filter", L("筛选", "Filter"), key_display="/")
REGISTER_CASE = Action(f"{CASE_FROM_EVENT_SCREEN}.register", "ctrl+s", "save",
                       L("登记案件并认定勾选的责任人", "Register, naming the ticked persons"), priority=True, key_display="^s")
NEXT_FIELD = Action(f"{CASE_FROM_EVENT_SCREEN}.next", "tab", "app.focus_next", L("下一项", "Next field"), key_display="Tab")


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
               short_label=L("案件与责任人", "Who answers"),
               help=L("每件案件已认定和推荐的责任人及理由，可采纳推荐", "who is named on each case and who the chain suggests, to accept"),
               actions=(*CASES_ACTIONS, NAME_TICKED, TICK)),
    ScreenSpec(CASE_FROM_EVENT_SCREEN, L("由活动新建案件", "Case from an event"), AREA, open_case_from_event,
               short_label=L("从活动立案", "Event → case"),
               help=L("选一项活动，登记案件，推荐组织者、审批人和分管领导", "pick an event: the case comes with its organiser, approver and the unit's leaders suggested"),
               actions=(CHOOSE_EVENT, FILTER_EVENTS, REGISTER_CASE, NEXT_FIELD, TICK),
               preload=("duty_tui_plugins.accountability.case_screens",)),
)

COMMANDS = (
    PaletteCommand("accountability.undecided-cases", L("未作决定的问责案件", "Undecided cases"), undecided_cases,
                   help=L("已登记或调查中的案件", "cases registered or under investigation")),
)
