"""Thresholds of the assessment rules and the scorecard's weights. The plan (三.1–3) asks for
regular reports to the level above (half-yearly by default: at least two a year), ideological
work in the report to the members' congress and in the democratic life meeting. Each area's
weight in the scorecard is a setting its own plugin's area declaration brings
(``assessment.weight.<area>``, see :mod:`duty_tui.areas`)."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import INTEGER, NUMBER
from duty_tui.settings import Setting, non_negative

SUPERIOR_REPORTS_MIN = "assessment.superior-reports.min"
CONGRESS_REPORT_MIN = "assessment.congress-report.min"
LIFE_MEETING_MIN = "assessment.life-meeting.min"
WARNING_POINTS = "assessment.score.warning-points"

def at_most_100(value) -> L | None:
    return L("应在 0 到 100 之间", "must be between 0 and 100") if not 0 <= value <= 100 else None


SETTINGS = (
    Setting(SUPERIOR_REPORTS_MIN, INTEGER, 2, L("每年向上级汇报意识形态工作次数下限", "reports to the superior committee a year, at least"),
            validators=(non_negative,)),
    Setting(CONGRESS_REPORT_MIN, INTEGER, 1, L("每年含意识形态工作的党员大会报告次数下限",
                                               "reports to the members' congress with ideological work a year, at least"),
            validators=(non_negative,)),
    Setting(LIFE_MEETING_MIN, INTEGER, 1, L("每年含意识形态工作的民主生活会次数下限",
                                            "democratic life meetings with ideological work a year, at least"),
            validators=(non_negative,)),
    Setting(WARNING_POINTS, NUMBER, 50, L("考核评分表：只有预警的规则得分", "scorecard: points of a rule with warnings only"),
            help=L("没有发现问题的规则得 100 分，有问题的得 0 分", "a rule with no finding scores 100, one with an error 0"),
            validators=(at_most_100,)),
)
