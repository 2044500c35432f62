"""Thresholds of the online rules. Each default says where it comes from, or that none was found."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import BOOL, INTEGER, TEXT
from duty_tui.settings import Setting, non_negative

from .types import GRAVEST, LARGER, LEVEL_LABELS, LEVEL_ORDER, MAJOR, ORDINARY


def handle_days_key(level: str) -> str:
    return f"online.handle-days.{level}"


HIGHER_LEVEL = "online.higher-level"
REPORT_UP_DAYS = "online.report-up.days"
BRIEFING_DAYS = "online.briefing.days"
FINAL_BY_LEADER = "online.publication.final-by-leader"

GOV_61 = L("国务院办公厅《关于在政务公开工作中进一步做好政务舆情回应的通知》（国办发〔2016〕61号）：",
           "the State Council General Office's notice on responding to government-related public opinion (国办发〔2016〕61号): ")
ONLY_DAYS = L("只记日期，不记钟点，故按天计", "only the day is kept, not the hour, so days are counted")

HANDLE_DEFAULTS = {
    ORDINARY: (2, L(GOV_61.zh + "“对其他政务舆情应在48小时内予以回应”，即 2 天（" + ONLY_DAYS.zh + "）",
                    GOV_61.en + "“other government-related opinion is responded to within 48 hours”: 2 days (" + ONLY_DAYS.en + ")")),
    LARGER: (2, L(GOV_61.zh + "较大舆情不属“特别重大、重大突发事件”，按“其他政务舆情”48小时内回应，即 2 天",
                  GOV_61.en + "a larger incident is not an especially major or major emergency: within 48 hours, 2 days")),
    MAJOR: (1, L(GOV_61.zh + "对涉及特别重大、重大突发事件的政务舆情“最迟应在24小时内举行新闻发布会”；国办《〈关于全面推进政务公开工作的意见〉实施细则》"
                 "要求“最迟要在5小时内发布权威信息”。" + ONLY_DAYS.zh + "，默认为发现后次日之内（1 天）",
                 GOV_61.en + "for opinion on an especially major or major emergency, a press conference within 24 hours at the latest; "
                 "the General Office's rules implementing the opinions on open government: authoritative information within 5 hours. "
                 + ONLY_DAYS.en + ": by the day after it was found (1 day)")),
    GRAVEST: (1, L("同重大：" + GOV_61.zh + "“最迟应在24小时内举行新闻发布会”，5 小时内发布权威信息；按天计为 1 天",
                   "as for major: " + GOV_61.en + "a press conference within 24 hours, authoritative information within 5 hours; "
                   "in days, 1")),
}


def a_level(value) -> L | None:
    if value in LEVEL_ORDER:
        return None
    return L("应为 " + "、".join(f"{v}（{LEVEL_LABELS[v].zh}）" for v in LEVEL_ORDER) + " 之一",
             "must be one of " + ", ".join(f"{v} ({LEVEL_LABELS[v].en})" for v in LEVEL_ORDER))


SETTINGS = tuple(
    Setting(handle_days_key(level), INTEGER, days,
            L("{level}舆情处置时限（天）", "days to handle a {level} opinion incident").format(level=LEVEL_LABELS[level]),
            help=L("发现后多少天内处置（回应）；0 为当天。默认依据：" + source.zh,
                   "days after it was found by which it is handled (responded to); 0: the same day. Default from " + source.en),
            validators=(non_negative,))
    for level, (days, source) in HANDLE_DEFAULTS.items()
) + (
    Setting(HIGHER_LEVEL, TEXT, LARGER, L("须报告上级并通报的舆情等级（及以上）", "level (and above) reported up and briefed"),
            help=L("ordinary、larger、major、especially_major 之一。默认 larger（较大及以上）：未找到统一规定；乡镇舆情工作意见多要求“重大舆情第一时间报主要领导，"
                   "报县网信办”，这里从较大起算，属本软件的默认，可改",
                   "one of ordinary, larger, major, especially_major. Default larger: no common rule was found; township practice asks "
                   "that a major incident be reported to the principal leader and the county cyberspace office at once; starting from "
                   "larger is this software's default, to be adapted"),
            validators=(a_level,)),
    Setting(REPORT_UP_DAYS, INTEGER, 1, L("较高等级舆情报告上级时限（天）", "days to report a higher-level incident up"),
            help=L("发现后多少天内报告县委网信办、宣传部。默认 1 天：各地预案要求“第一时间”报告，未给出天数；1 天（当天或次日）是本软件的默认",
                   "days after it was found by which it is reported to the county's cyberspace and propaganda departments. Default 1: "
                   "plans ask for a report “at once” and give no number of days; 1 (the same or the next day) is this software's default"),
            validators=(non_negative,)),
    Setting(BRIEFING_DAYS, INTEGER, 30, L("较高等级舆情党内通报时限（天）", "days to brief a higher-level incident to cadres"),
            help=L("发现后多少天内在党员干部中通报。默认 30 天：方案三、1 只说“主动在党员干部中进行内容通报”，未给时限；30 天是本软件的默认",
                   "days after it was found by which it is briefed to Party cadres. Default 30: the plan (三.1) asks for briefings "
                   "and gives no limit; 30 is this software's default"),
            validators=(non_negative,)),
    Setting(FINAL_BY_LEADER, BOOL, True, L("终审须由班子成员负责", "the final review is a leader's"),
            help=L("终审人须为发布之日在任的领导班子成员（需组织领导插件的班子成员记录）。默认是：各地“三审三校”制度多规定终审由分管领导或主要负责人负责"
                   "（如重庆市綦江区审计局 2024 年、开原市老城街道 2024 年的制度），未找到中央统一文本",
                   "the final reviewer is a member of the leading group in office on the day it went out (needs the leadership "
                   "plugin's rows). Default yes: local 三审三校 rules give the final review to the member in charge or the principal "
                   "leader (e.g. those of Qijiang district's audit office, 2024, and Laocheng subdistrict, Kaiyuan, 2024); no "
                   "central text was found")),
)
