"""What assessment adds to the terminal UI: the scorecard screen (a bar chart of the areas, the
weighted total, each leader's score beside the appraisal entered) and a palette command. Textual
is imported only when the operator opens the screen."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ui_api import Action, PaletteCommand, ScreenSpec

from .types import AREA

SCORECARD_SCREEN = "assessment.scorecard"
SCORECARD_ACTIONS = (
    Action(f"{SCORECARD_SCREEN}.open", "enter", "open", L("打开考核或人员（规则：其问题）", "Open appraisal or person (a rule: its findings)")),
)


def open_scorecard(ui):
    from .scorecard_screen import ScorecardScreen

    return ScorecardScreen(ui)


def appraisals_of_year(ui) -> None:
    ui.open_list("appraisal", f"year:{ui.year}")


SCREENS = (
    ScreenSpec(SCORECARD_SCREEN, L("考核评分表", "Scorecard"), AREA, open_scorecard,
               help=L("各方面得分、加权总分、班子成员得分与年度考核对照", "each area's score, the weighted total, each leader's beside the appraisal"),
               actions=SCORECARD_ACTIONS),
)

COMMANDS = (
    PaletteCommand("assessment.appraisals", L("本年度考核", "Appraisals of the year"), appraisals_of_year,
                   help=L("年度考核列表，筛选为所看年份", "the appraisal list filtered to the year in view")),
)
