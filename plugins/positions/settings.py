"""Thresholds of the positions rules and the window of the coming-events list.

Where the plan gives no number, the default says so in its help: the interval between reviews of
each kind of outlet, how long a speaker's vetting holds when no end is entered, and how many days
ahead a review falling due is announced are usual practice, for the office to set."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import INTEGER
from duty_tui.settings import Setting, non_negative

from .types import OUTLET_KINDS

OUTLET_REVIEW_MIN = "positions.outlet-review.min"
UPCOMING_DAYS = "positions.upcoming.days"
SPEAKER_VALID_DAYS = "positions.speaker.valid-days"
REVIEW_NOTICE_DAYS = "positions.outlet-review.notice-days"


def review_days_key(kind: str) -> str:
    """The setting holding the review interval of outlets of ``kind``."""
    return f"positions.outlet-review.days.{kind}"


# Days between two reviews of an outlet, by kind. Not from the plan, which says only that the
# fronts are managed: usual practice, what changes fast (new media, WeChat groups, short videos)
# looked at more often than what changes slowly (a village library's shelves).
REVIEW_DAYS = {
    "newspaper": 90, "radio_tv": 30, "website": 30, "new_media": 14, "bulletin": 90,
    "led_screen": 30, "loudspeaker": 30, "wechat_group": 14, "short_video": 14,
    "practice_station": 90, "cultural_hall": 90, "farm_library": 180, "other": 90,
}


def at_least_one_day(value) -> L | None:
    return L("至少 1 天", "at least 1 day") if value < 1 else None


def _review_days(kind) -> Setting:
    days = REVIEW_DAYS[kind.value]
    return Setting(review_days_key(kind.value), INTEGER, days,
                   L("“{k}”类阵地巡查周期（天）", "days between reviews of an outlet of the kind “{k}”").format(k=kind.label),
                   help=L("最近一次巡查距今超过这么多天即为逾期；0 为不按周期检查。默认 {d} 天为通常做法，方案未作规定，请按本地规定调整",
                          "a review is overdue once the latest is more days ago than this; 0 checks no interval. The default, {d} days, "
                          "is usual practice, not from the plan: set the local rule").format(d=days),
                   validators=(non_negative,))


SETTINGS = (
    Setting(OUTLET_REVIEW_MIN, INTEGER, 1, L("每个阵地每年巡查次数下限", "reviews of each outlet a year, at least"),
            validators=(non_negative,)),
    Setting(UPCOMING_DAYS, INTEGER, 30, L("“近期活动”列出未来多少天的活动", "days ahead the coming-events list looks"),
            validators=(at_least_one_day,)),
    *(_review_days(kind) for kind in OUTLET_KINDS),
    Setting(REVIEW_NOTICE_DAYS, INTEGER, 7, L("阵地巡查到期提前提醒天数", "days ahead a review falling due is announced"),
            help=L("巡查将在这么多天内到期时提醒（预警）。默认 7 天为通常做法，方案未作规定",
                   "a review due within this many days is a warning. The default, 7 days, is usual practice, not from the plan"),
            validators=(non_negative,)),
    Setting(SPEAKER_VALID_DAYS, INTEGER, 365, L("报告人审查结论有效天数", "days a speaker's vetting holds"),
            help=L("报告人未填“有效期至”时，审查结论自审查日期起有效的天数。默认 365 天（一年）为通常做法，方案未作规定",
                   "when a speaker has no “valid until”, the days the conclusion holds from the vetting. The default, 365 days "
                   "(a year), is usual practice, not from the plan"),
            validators=(at_least_one_day,)),
)
