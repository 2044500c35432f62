"""Thresholds of the positions rules and the window of the coming-events list."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import INTEGER
from duty_tui.settings import Setting, non_negative

OUTLET_REVIEW_MIN = "positions.outlet-review.min"
UPCOMING_DAYS = "positions.upcoming.days"


def at_least_one_day(value) -> L | None:
    return L("至少 1 天", "at least 1 day") if value < 1 else None


SETTINGS = (
    Setting(OUTLET_REVIEW_MIN, INTEGER, 1, L("每个阵地每年巡查次数下限", "reviews of each outlet a year, at least"),
            validators=(non_negative,)),
    Setting(UPCOMING_DAYS, INTEGER, 30, L("“近期活动”列出未来多少天的活动", "days ahead the coming-events list looks"),
            validators=(at_least_one_day,)),
)
