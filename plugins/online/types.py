"""The online front (网络意识形态, the plan's 第十条 情形（8）“管辖范围内网络意识形态安全出现严重问题的”):
the register of online public-opinion incidents (网络舆情) and the review log of the town's own
new media (自办媒体“三审三校”).

**Levels.** 一般、较大、重大、特别重大: the four grades of 《中华人民共和国突发事件应对法》第三条,
which county and township 网络舆情应急处置预案 commonly take over for opinion incidents (as Ⅳ–Ⅰ级;
some plans use three grades — a store that does is free to leave 特别重大 unused). The grade is the
town's own judgement, or the one the county's 网信办 or propaganda department gave.

**Other plugins' types, by name.** An incident names the ``briefing`` (the assessment plugin's
党内通报) that briefed it and the ``case`` (accountability) it led to; a publication names its
``outlet`` (positions). The accountability plugin's chain of responsibility reads a
``publication`` by field kind: its ``outlet`` and every person it names (author, the three
reviewers), each under the field's label.
"""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import DATE, CHOICE, LONG_TEXT, REFERENCE, TEXT, Field, RecordType, choices

AREA = "online"

ORDINARY, LARGER, MAJOR, GRAVEST = "ordinary", "larger", "major", "especially_major"
LEVEL_ORDER = (ORDINARY, LARGER, MAJOR, GRAVEST)  # mildest first
LEVELS = choices(
    (ORDINARY, "一般", "ordinary"),
    (LARGER, "较大", "larger"),
    (MAJOR, "重大", "major"),
    (GRAVEST, "特别重大", "especially major"),
)
LEVEL_LABELS = {c.value: c.label for c in LEVELS}
LEVEL_SOURCE = L("分为一般、较大、重大、特别重大四级（《中华人民共和国突发事件应对法》第三条的分级，县、乡网络舆情应急处置预案多沿用，"
                 "也有分三级的）；由镇里研判，或按县委网信办、宣传部的认定",
                 "four grades, ordinary, larger, major, especially major (the grades of the Emergency Response Law, Art. 3, which "
                 "county and township opinion-incident plans commonly use; some use three): as the town judges it, or as the "
                 "county's cyberspace office or propaganda department grades it")


def level_rank(level: str | None) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else -1


OPINION_INCIDENT = RecordType(
    name="opinion_incident",
    answerable_fields=("responsible",),
    label=L("网络舆情", "Online opinion incident"),
    count_label=L("{n} 起", "{n} incident(s)"),
    short_label=L("网络舆情", "Opinion"),
    area=AREA,
    help=L("涉及本镇的网络舆情：发现、研判等级、处置、报告上级网信和宣传部门、在党员干部中通报",
           "an online public-opinion incident concerning the town: found, graded, handled, reported to the cyberspace "
           "and propaganda departments above, briefed to Party cadres"),
    fields=(
        Field("found_on", DATE, L("发现日期", "Found on"), required=True, indexed=True,
              help=L("只记日期：处置时限按天计算", "the day only: time limits are counted in days")),
        Field("source", TEXT, L("来源（平台、位置）", "Source (platform, where)"), required=True, indexed=True, searchable=True,
              max_length=200, help=L("如：抖音某账号评论区、本地微信群、县论坛", "e.g. a Douyin account's comments, a local WeChat group, "
                                     "the county forum")),
        Field("summary", TEXT, L("舆情概要", "Summary"), required=True, indexed=True, searchable=True, max_length=200),
        Field("level", CHOICE, L("舆情等级", "Level"), required=True, choices=LEVELS, indexed=True, searchable=True,
              help=LEVEL_SOURCE),
        Field("unit", REFERENCE, L("涉事单位", "Unit concerned"), target="unit", indexed=True,
              help=L("舆情涉及的村（居）、部门；留空为镇党委本级", "the village, community or department it concerns; "
                     "empty: the committee itself")),
        Field("responsible", REFERENCE, L("处置责任人", "Responsible person"), target="person", indexed=True,
              help=L("负责处置的干部", "the cadre who answers for handling it")),
        Field("handled_on", DATE, L("处置日期", "Handled on"), indexed=True,
              help=L("回应、澄清或处置完成的日期；时限见设置 online.handle-days.*",
                     "the day it was responded to, cleared up or dealt with; limits: settings online.handle-days.*")),
        Field("handling", LONG_TEXT, L("处置情况", "Handling"), searchable=True),
        Field("reported_up_on", DATE, L("报告上级日期", "Reported up on"), indexed=True,
              help=L("报告县委网信办、宣传部等上级网信、宣传部门的日期", "the day it was reported to the cyberspace and "
                     "propaganda departments above (the county's)")),
        Field("reported_to", TEXT, L("报告对象", "Reported to"), searchable=True, max_length=100,
              help=L("如：县委网信办、县委宣传部", "e.g. the county cyberspace office, the county propaganda department")),
        Field("briefing", REFERENCE, L("党内通报", "Briefing"), target="briefing", optional_target=True, indexed=True,
              help=L("在党员干部中通报此事的党内通报记录（方案三、1：重要动向和问题主动通报）",
                     "the briefing to Party cadres about it (the plan, 三.1: important trends and problems are briefed)")),
        Field("case", REFERENCE, L("问责案件", "Case"), target="case", optional_target=True, indexed=True,
              help=L("由此引起的责任追究案件（如第十条情形（8））", "the accountability case it led to (circumstance 8, say)")),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("unit",),
    title_field="summary",
    year_field="found_on",
    list_columns=("found_on", "summary", "level", "handled_on", "reported_up_on"),
)

PUBLICATION = RecordType(
    name="publication",
    answerable_fields=(),
    label=L("自办媒体发布审核", "Publication review"),
    count_label=L("{n} 条", "{n} post(s)"),
    short_label=L("三审三校", "Reviews"),
    area=AREA,
    help=L("自办媒体（公众号、网站等）每条发布的“三审三校”：初审、复审、终审，先审后发",
           "each post on the town's own media (WeChat account, website …) and its three reviews, first, second and final, "
           "before it goes out"),
    fields=(
        Field("outlet", REFERENCE, L("阵地", "Outlet"), required=True, target="outlet", indexed=True,
              help=L("发布的自办媒体，如“xx镇发布”微信公众号", "the own outlet it went out on, e.g. the town's WeChat account")),
        Field("title", TEXT, L("标题", "Title"), required=True, indexed=True, searchable=True, max_length=200),
        Field("published_on", DATE, L("发布日期", "Published on"), required=True, indexed=True,
              help=L("未来的日期：计划发布，此前完成三审即可", "a day to come: planned; the reviews are due by then")),
        Field("author", REFERENCE, L("作者（编辑）", "Author (editor)"), target="person", indexed=True),
        Field("first_reviewer", REFERENCE, L("初审人", "First reviewer"), target="person", indexed=True,
              help=L("通常为编辑人员或科室负责人，把好语言文字关", "usually the editor or the office's head: wording")),
        Field("second_reviewer", REFERENCE, L("复审人", "Second reviewer"), target="person", indexed=True,
              help=L("通常为科室（办公室）负责人或分管负责人，把好事实关", "usually the office's head or the member in charge: facts")),
        Field("final_reviewer", REFERENCE, L("终审人", "Final reviewer"), target="person", indexed=True,
              help=L("通常为分管领导或主要负责人，把好政治导向关，决定是否发布", "usually the member in charge or the principal "
                     "leader: political orientation; decides whether it goes out")),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("outlet",),
    title_field="title",
    year_field="published_on",
    list_columns=("published_on", "title", "outlet", "final_reviewer"),
)

REVIEWERS = ("first_reviewer", "second_reviewer", "final_reviewer")

TYPES = (OPINION_INCIDENT, PUBLICATION)
