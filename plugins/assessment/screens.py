"""What assessment adds to the terminal UI: the scorecard screen (the itemised assessment of the
town committee, each unit and each leader, every point lost with its source, a leader beside the
appraisal entered), palette commands for the year's appraisals and the assessment items. Textual
is imported only when the operator opens the screen."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ui_api import Action, PaletteCommand, ScreenSpec

from .types import AREA

SCORECARD_SCREEN = "assessment.scorecard"
SCORECARD_ACTIONS = (
    Action(f"{SCORECARD_SCREEN}.open", "enter", "open", L("看明细或打开扣分来源", "Show the items, or open where a lost point comes from")),
)


def open_scorecard(ui):
    from .scorecard_screen import ScorecardScreen

    return ScorecardScreen(ui)


def appraisals_of_year(ui) -> None:
    ui.open_list("appraisal", f"year:{ui.year}")


SCREENS = (
    ScreenSpec(SCORECARD_SCREEN, L("考核评分表", "Scorecard"), AREA, open_scorecard,
               help=L("按考核细则评分：镇党委、各村（社区）、部门和班子成员，每项扣分及其依据",
                      "scored by the assessment items: the town, each unit and leader, every point lost and why"),
               actions=SCORECARD_ACTIONS),
)

def assessment_items(ui) -> None:
    ui.open_list("assessment_item", "")


COMMANDS = (
    PaletteCommand("assessment.appraisals", L("本年度考核", "Appraisals of the year"), appraisals_of_year,
                   help=L("年度考核列表，筛选为所看年份", "the appraisal list filtered to the year in view")),
    PaletteCommand("assessment.items", L("考核细则", "Assessment items"), assessment_items,
                   help=L("考核细则列表（管理员修改）", "the table of assessment items (admins edit it)")),
)
