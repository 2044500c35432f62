"""Thresholds of the team rules. The plan (二.3) asks the committee to carry out self-inspections
and to keep in regular touch with intellectuals; it gives no number, so these are defaults an
operator changes with ``duty config set``."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import INTEGER
from duty_tui.settings import Setting, non_negative

SELF_INSPECTION_MIN = "team.self-inspection.min"
CONTACT_ACTIVITY_MIN = "team.contact-activity.min"

SETTINGS = (
    Setting(SELF_INSPECTION_MIN, INTEGER, 1, L("每年意识形态工作自查次数下限", "self-inspections a year, at least"),
            validators=(non_negative,)),
    Setting(CONTACT_ACTIVITY_MIN, INTEGER, 1, L("每名联系对象每年联系活动次数下限", "activities with each contact a year, at least"),
            validators=(non_negative,)),
)
