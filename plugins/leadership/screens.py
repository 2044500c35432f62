"""What leadership adds to the terminal UI: the responsibility structure screen, and a palette
command. Textual is imported only when the operator opens the screen."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ui_api import Action, PaletteCommand, ScreenSpec

from .types import AREA

STRUCTURE_SCREEN = "leadership.structure"
STRUCTURE_ACTIONS = (
    Action(f"{STRUCTURE_SCREEN}.open", "enter", "open", L("打开记录", "Open record")),
)


def open_structure(ui):
    from .structure_screen import StructureScreen

    return StructureScreen(ui)


def members_without_divisions(ui) -> None:
    ui.open_list("leader", "role:member divisions:")


SCREENS = (
    ScreenSpec(STRUCTURE_SCREEN, L("责任体系", "Responsibility map"), AREA, open_structure,
               short_label=L("责任体系", "Duty map"),
               help=L("领导小组、各人角色与分管单位、无人分管的单位", "the leading group, who holds which role, divisions, units nobody covers"),
               actions=STRUCTURE_ACTIONS),
)

COMMANDS = (
    PaletteCommand("leadership.members-without-divisions", L("没有分管单位的班子成员", "Members without divisions"),
                   members_without_divisions, help=L("一岗双责：列出尚未分工的成员", "one post, two duties: members with no units")),
)
