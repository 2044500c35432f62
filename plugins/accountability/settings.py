"""How long a case may stay undecided after it occurred: the plan asks for accountability without
delay (既查"不作为",也查"慢作为"); the numbers are defaults an operator changes.

And the table of each measure's effects (影响期): 中国共产党问责条例 (2019) 第八条 ends "问责方式有
影响期的，按照有关规定执行" and names no period itself, so each row says where its default comes
from. Two columns per measure: whether the person may not be graded 优秀 in the annual appraisal of
the year the measure was decided (``…no-excellent``), and for how many months after the decision
they may not be promoted (``…no-promotion-months``; a pre-appointment review in that time
contradicts it). Where no source was found the row is left empty (no, 0) and its help says so:
an office fills it from its own province's or county's rules."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import BOOL, INTEGER
from duty_tui.settings import Setting, non_negative

from .types import (ADMONITION, CRITICISM, DECISIONS, DISCIPLINE, EXAMINATION, NOTIFIED, ORGANISATIONAL, REMINDER)

STALE_DAYS = "accountability.case-stale.days"
WARN_DAYS = "accountability.case-stale.warn-days"


def at_least_one_day(value) -> L | None:
    return L("至少 1 天", "at least 1 day") if value < 1 else None


def no_excellent_key(measure: str) -> str:
    return f"accountability.effect.{measure}.no-excellent"


def no_promotion_key(measure: str) -> str:
    return f"accountability.effect.{measure}.no-promotion-months"


NOT_FOUND = L("未找到规定该影响的出处，留空；请按本地规定填写。", "no source found for this effect: left empty; fill it in from local rules.")
NOT_ACCOUNTABILITY = L("不是问责方式，未找到规定其影响期的出处，留空。", "not an accountability measure; no source found for a period of effect: left empty.")

APPOINTMENT_CLAUSE = L("《党政领导干部选拔任用工作条例》（2019）第二十四条（六）：“受到诫勉、组织处理或者党纪政务处分等影响期未满或者期满影响使用的”，不得列为考察对象",
                       "Regulations on Selecting and Appointing Leading Cadres (2019), Art. 24 (6): no one whose admonition, "
                       "organisational handling or sanction is still in effect is considered for a post")

# measure → (no-excellent default, its source, no-promotion months default, its source)
EFFECTS: dict[str, tuple[bool, L, int, L]] = {
    REMINDER: (False, NOT_ACCOUNTABILITY, 0, NOT_ACCOUNTABILITY),
    CRITICISM: (False, NOT_ACCOUNTABILITY, 0, NOT_ACCOUNTABILITY),
    EXAMINATION: (False, NOT_ACCOUNTABILITY, 0, NOT_ACCOUNTABILITY),
    NOTIFIED: (False, L("未找到中央规定的出处，留空（有的地方规定受问责当年不得评为优秀，如昆明市《被问责领导干部相应组织处理意见（试行）》）。",
                        "no central source found: left empty (some places bar the top grade in the year of any measure, e.g. Kunming's opinions)."),
               0, NOT_FOUND),
    ADMONITION: (True, L("受处理处分公务员年度考核影响清单（据《公务员考核规定》等整理）：“诫勉　当年不得确定为优秀等次”。系公开整理的清单，未找到原文条款，请核对。",
                         "a published list of how measures affect civil servants' appraisals (after the Civil Servant Appraisal "
                         "Provisions): “admonition: not graded excellent that year”; a compiled list, the article itself not found: check it."),
                 0, L("《党政领导干部选拔任用工作条例》第二十四条（六）：诫勉影响期未满的不得列为考察对象，但未规定月数，留空；地方规定如南昌市委组织部《操作办法》：“受到诫勉的领导干部……6个月内不得提拔或者重用”。",
                      "Art. 24 (6) of the appointment regulations bars a cadre under admonition from being considered while it is "
                      "in effect but gives no months: left empty; local rules (Nanchang) say six months.")),
    ORGANISATIONAL: (True, L("受处理处分公务员年度考核影响清单：“调整职务　当年不得确定为优秀等次”；“责令辞职、免职、降职　当年只写评语不确定等次”。系公开整理的清单，请核对。",
                             "the published list: a change of post: not graded excellent that year; ordered resignation, removal, "
                             "demotion: no grade that year (a compiled list: check it)."),
                     12, L("《党政领导干部选拔任用工作条例》（共产党员网系列问答第 44 问）：“引咎辞职、责令辞职和因问责被免职的党政领导干部，一年内不安排领导职务，两年内不得担任高于原任职务层次的领导职务……因不适宜担任现职调离岗位、免职的，一年内不得提拔。”",
                           "the appointment regulations (12371.cn Q&A 44): resigned or removed after accountability: no leading post "
                           "for a year, nothing above the former level for two; moved or removed as unfit: not promoted for a year.")),
    DISCIPLINE: (True, L("中央纪委、中组部、人事部《关于受党纪处分的党政机关工作人员年度考核有关问题的意见》（组通字〔1998〕19号）：“受党内警告处分的当年，参加年度考核，不得确定为优秀等次”（更重的处分定为不称职或不定等次）。",
                         "CCDI, Organisation Dept. and Ministry of Personnel, 组通字〔1998〕19号: a Party warning: not graded excellent "
                         "that year (heavier sanctions: incompetent or no grade)."),
                 12, L("《中国共产党纪律处分条例》（2015）第十二条：“党员受到警告或者严重警告处分，一年内不得在党内提升职务”。",
                       "Disciplinary Regulations (2015), Art. 12: a warning or serious warning: no promotion within the Party for a year.")),
}


def effect_settings() -> tuple[Setting, ...]:
    out = []
    for choice in DECISIONS:
        excellent, excellent_source, months, months_source = EFFECTS[choice.value]
        name = choice.label
        out.append(Setting(no_excellent_key(choice.value), BOOL, excellent,
                           L("影响期：{m}当年不得评为优秀", "Effect: no “excellent” grade in the year of {m}").format(m=L(name.zh, name.en)),
                           help=excellent_source))
        out.append(Setting(no_promotion_key(choice.value), INTEGER, months,
                           L("影响期：{m}后不得提拔的月数", "Effect: months after {m} without promotion").format(m=L(name.zh, name.en)),
                           help=months_source, validators=(non_negative,)))
    return tuple(out)


SETTINGS = (
    Setting(STALE_DAYS, INTEGER, 90, L("案件发生后多少天内应作出决定", "days after it occurred by which a case is decided"),
            validators=(at_least_one_day,)),
    Setting(WARN_DAYS, INTEGER, 60, L("案件发生后多少天仍未决定即提醒", "days after it occurred from which an undecided case is warned about"),
            validators=(at_least_one_day,)),
    *effect_settings(),
)
