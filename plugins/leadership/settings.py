"""Thresholds of the leadership rules. The plan (二.1(3)) asks for at least six central study
sessions a year, at least one of them on ideological work; the central measures ask for
ideological work on the committee's agenda at least twice a year."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import INTEGER
from duty_tui.settings import Setting, non_negative

STUDY_COUNT_MIN = "leadership.study-count.min"
STUDY_IDEOLOGY_MIN = "leadership.study-ideology.min"
AGENDA_MIN = "leadership.agenda.min"

SETTINGS = (
    Setting(STUDY_COUNT_MIN, INTEGER, 6, L("每年中心组集中学习次数下限", "central study sessions a year, at least"),
            validators=(non_negative,)),
    Setting(STUDY_IDEOLOGY_MIN, INTEGER, 1, L("每年意识形态专题学习次数下限", "study sessions on ideological work a year, at least"),
            validators=(non_negative,)),
    Setting(AGENDA_MIN, INTEGER, 2, L("每年意识形态工作列入党委会议议题次数下限",
                                      "committee meetings a year with ideological work on the agenda, at least"),
            validators=(non_negative,)),
)
