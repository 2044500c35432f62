"""How long a case may stay undecided after it occurred: the plan asks for accountability without
delay (既查"不作为",也查"慢作为"); the numbers are defaults an operator changes."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import INTEGER
from duty_tui.settings import Setting

STALE_DAYS = "accountability.case-stale.days"
WARN_DAYS = "accountability.case-stale.warn-days"


def at_least_one_day(value) -> L | None:
    return L("至少 1 天", "at least 1 day") if value < 1 else None


SETTINGS = (
    Setting(STALE_DAYS, INTEGER, 90, L("案件发生后多少天内应作出决定", "days after it occurred by which a case is decided"),
            validators=(at_least_one_day,)),
    Setting(WARN_DAYS, INTEGER, 60, L("案件发生后多少天仍未决定即提醒", "days after it occurred from which an undecided case is warned about"),
            validators=(at_least_one_day,)),
)
