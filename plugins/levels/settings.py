"""Thresholds of the levels rules. Where the plan (the seed) gives a word and no number, the
default is ours and the setting's help says so; an operator changes any of them with
``duty config set``."""

from __future__ import annotations

import re

from duty_tui.directory import UNIT_KINDS
from duty_tui.i18n import L
from duty_tui.schema import INTEGER, TEXT
from duty_tui.settings import Setting, non_negative

AGREEMENT_KINDS = "levels.agreement.kinds"
SUPERVISION_MIN = "levels.supervision.min"
BRIEFING_DAYS = "levels.briefing.days"
REMINDER_DAYS = "levels.reminder.days"
DUTY_REPORT_KINDS = "levels.duty-report.kinds"

KIND_VALUES = tuple(c.value for c in UNIT_KINDS)
SEPARATORS = re.compile(r"[,，、;；\s]+")


def kinds_of(value) -> list[str]:
    """The unit kinds a setting lists (``village,community``; a label — 村委会, village — is read
    as its kind): in the order given, once each."""
    out: list[str] = []
    for part in SEPARATORS.split(str(value or "").strip()):
        if not part:
            continue
        kind = next((c.value for c in UNIT_KINDS if part.lower() in (c.value, c.label.render("zh"), c.label.render("en").lower())), None)
        if kind and kind not in out:
            out.append(kind)
    return out


def unit_kinds(value) -> L | None:
    parts = [p for p in SEPARATORS.split(str(value or "").strip()) if p]
    wrong = [p for p in parts if not kinds_of(p)]
    if wrong:
        return L("“{wrong}”不是单位类别；可选：{kinds}", "“{wrong}” is not a unit kind; one of: {kinds}").format(
            wrong="、".join(wrong), kinds=", ".join(KIND_VALUES))
    if not parts:
        return L("至少列出一个单位类别", "list at least one unit kind")
    return None


def at_least_one_day(value) -> L | None:
    return L("至少 1 天", "at least 1 day") if value < 1 else None


SETTINGS = (
    Setting(AGREEMENT_KINDS, TEXT, "village,community,department,office",
            L("应签订意识形态工作责任书并接受督查的单位类别", "unit kinds that sign an ideological-work responsibility agreement and are supervised"),
            help=L("以逗号分隔：village（村委会）、community（居委会）、department（部门）、office（办公室）。默认依据实施方案"
                   "“按照分级负责……的原则”“合力抓好各村（居）委及各部门人员意识形态工作责任”“抓好分管各办公室的意识形态工作”",
                   "comma-separated: village, community, department, office. Default from the plan: “按照分级负责……的原则” "
                   "(responsibility by level), “各村（居）委及各部门” (every village, community and department), "
                   "“分管各办公室” (the offices in each member's charge)"),
            validators=(unit_kinds,)),
    Setting(SUPERVISION_MIN, INTEGER, 1, L("每个单位每年接受督查次数下限", "supervisions of each unit a year, at least"),
            help=L("实施方案三要求督查考核“规范化、制度化和常态化”、“定期”，未规定次数；默认每年 1 次",
                   "the plan (三) asks for regular (定期, 常态化) supervision and gives no number; default once a year"),
            validators=(non_negative,)),
    Setting(BRIEFING_DAYS, INTEGER, 30, L("督查结束后多少天内通报督查结果", "days after a supervision by which its results are briefed (通报)"),
            help=L("实施方案未规定时限；默认 30 天，可按本地规定修改", "the plan gives no time limit; default 30 days, to be set to the local rule"),
            validators=(at_least_one_day,)),
    Setting(REMINDER_DAYS, INTEGER, 7, L("整改、通报时限前多少天开始提醒", "days before a rectification or briefing is due that it is warned about"),
            help=L("时限前为提醒，逾期为错误；实施方案未规定，默认 7 天", "a warning before the due date, an error after it; the plan gives none, default 7 days"),
            validators=(non_negative,)),
    Setting(DUTY_REPORT_KINDS, TEXT, "village,community",
            L("党组织书记应每年述职（含意识形态工作）的单位类别", "unit kinds whose Party secretary gives a yearly duty report covering ideological work"),
            help=L("以逗号分隔。默认依据实施方案三3：意识形态工作作为“党组织书记履行党建责任制情况”的重要内容，即村（社区）党组织书记述职",
                   "comma-separated. Default from the plan, 三3: ideological work is an important part of “党组织书记履行党建责任制情况”, "
                   "the village and community Party secretaries' duty reports"),
            validators=(unit_kinds,)),
)
