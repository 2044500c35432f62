"""Thresholds of the leadership rules. The plan (二.1(3)) asks for at least six central study
sessions a year, at least one of them on ideological work; the central measures ask for
ideological work on the committee's agenda at least twice a year. The analyses of the ideological
situation: twice a year by usual practice (the central measures are not public in full). The
first responsible person's acts: the kinds are the seed's words (一), the numbers defaults."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import INTEGER
from duty_tui.settings import Setting, non_negative

STUDY_COUNT_MIN = "leadership.study-count.min"
STUDY_IDEOLOGY_MIN = "leadership.study-ideology.min"
AGENDA_MIN = "leadership.agenda.min"
ANALYSIS_MIN = "leadership.analysis.min"
ACTS_MIN = "leadership.first-responsible-acts.min"
ACT_KIND_MIN = "leadership.first-responsible-acts.{kind}.min"  # deploy, inquire, handle, criticise

SEED_ACTS = "实施方案 一：书记“重要工作亲自部署、重要问题亲自过问、重大事件亲自处置”“带头批评错误观点和错误倾向”"
SEED_ACTS_EN = "the plan, part 1: the secretary deploys important work, looks into important problems and handles major events in person, and leads criticism of wrong views"

SETTINGS = (
    Setting(STUDY_COUNT_MIN, INTEGER, 6, L("每年中心组集中学习次数下限", "central study sessions a year, at least"),
            validators=(non_negative,)),
    Setting(STUDY_IDEOLOGY_MIN, INTEGER, 1, L("每年意识形态专题学习次数下限", "study sessions on ideological work a year, at least"),
            validators=(non_negative,)),
    Setting(AGENDA_MIN, INTEGER, 2, L("每年意识形态工作列入党委会议议题次数下限",
                                      "committee meetings a year with ideological work on the agenda, at least"),
            validators=(non_negative,)),
    Setting(ANALYSIS_MIN, INTEGER, 2, L("每年意识形态领域形势分析研判次数下限", "analyses of the ideological situation a year, at least"),
            help=L("通常做法：每半年一次（默认 2）。实施方案 三、1 要求及时掌握意识形态领域的重要动向和问题；中央《党委（党组）意识形态工作责任制实施办法》"
                   "要求定期分析研判意识形态领域情况，其全文未公开，未查到次数规定；各地公开的实施细则有每半年一次的，也有每季度一次的。",
                   "Usual practice: once every half-year (default 2). The plan (3.1) asks the committee to keep abreast of important trends "
                   "and problems; the central implementing measures ask for a regular analysis of the ideological situation, but their full "
                   "text is not public and no number was found; local rules published say every half-year, some every quarter."),
            validators=(non_negative,)),
    Setting(ACTS_MIN, INTEGER, 4, L("每年第一责任人履职纪实次数下限", "acts of the first responsible person recorded a year, at least"),
            help=L(f"依据：{SEED_ACTS}。实施方案未规定次数，4（约每季度一次）为默认值。",
                   f"Source: {SEED_ACTS_EN}. The plan gives no number: 4 (about once a quarter) is a default."),
            validators=(non_negative,)),
    *(Setting(ACT_KIND_MIN.format(kind=kind), INTEGER, least, L(f"每年第一责任人“{zh}”次数下限", f"first responsible person: {en}, times a year, at least"),
              help=L(f"依据：{SEED_ACTS}。次数为默认值（实施方案未规定）；0 表示不检查。",
                     f"Source: {SEED_ACTS_EN}. The number is a default (the plan gives none); 0 turns the check off."),
              validators=(non_negative,))
      for kind, zh, en, least in (("deploy", "重要工作亲自部署", "deployed in person", 1), ("inquire", "重要问题亲自过问", "looked into in person", 1),
                                  ("handle", "重大事件亲自处置", "handled in person", 1),
                                  ("criticise", "带头批评错误观点和错误倾向", "led criticism of wrong views", 0))),
)
