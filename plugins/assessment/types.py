"""The assessment records (考核, the plan's part 三): reports to the superior committee, briefings
to Party cadres, the report to the members' congress, the democratic life meeting, each leader's
duty report, pre-appointment reviews and the annual appraisal, each saying whether ideological
work was in it."""

from __future__ import annotations

from duty_tui.directory import own_unit_field
from duty_tui.i18n import L
from duty_tui.schema import (BOOL, CHOICE, DATE, INTEGER, LONG_TEXT, MULTI_CHOICE, NUMBER, REFERENCE, REFERENCES, TEXT,
                             Field, RecordType, choices)

AREA = "assessment"

GRADES = choices(
    ("excellent", "优秀", "excellent"),
    ("competent", "称职", "competent"),
    ("basically_competent", "基本称职", "basically competent"),
    ("incompetent", "不称职", "incompetent"),
)


def a_year(value) -> L | None:
    return L("应为四位年份，如 2026", "must be a year such as 2026") if not 1900 <= value <= 2999 else None


def a_score(value) -> L | None:
    return L("应在 0 到 100 之间", "must be between 0 and 100") if not 0 <= value <= 100 else None


def ideology_field(default: bool, label: L = L("包含意识形态工作", "Includes ideological work")) -> Field:
    return Field("includes_ideology", BOOL, label, default=default, indexed=True)


SUPERIOR_REPORT = RecordType(
    name="superior_report",
    answerable_fields=(),
    label=L("向上级汇报", "Report to the superior committee"),
    count_label=L("{n} 次", "{n} report(s)"),
    short_label=L("向上级汇报", "To superiors"),
    area=AREA,
    help=L("党委定期向上级汇报意识形态工作（默认每半年一次）", "the committee reports on ideological work to the level above (half-yearly by default)"),
    fields=(
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True),
        Field("title", TEXT, L("汇报题目", "Title"), required=True, indexed=True, searchable=True, max_length=200),
        Field("reported_to", TEXT, L("汇报对象", "Reported to"), searchable=True, max_length=100,
              help=L("如：县委、市委宣传部", "e.g. the county committee")),
        ideology_field(True, L("汇报意识形态工作", "On ideological work")),
        Field("summary", LONG_TEXT, L("主要内容", "Summary"), searchable=True),
        own_unit_field(),
    ),
    unit_path=("unit",),
    title_field="title",
    year_field="date",
    list_columns=("date", "title", "reported_to", "includes_ideology"),
)

BRIEFING = RecordType(
    name="briefing",
    answerable_fields=(),
    label=L("党内通报", "Briefing"),
    count_label=L("{n} 次", "{n} briefing(s)"),
    area=AREA,
    help=L("对意识形态领域的重要动向和问题，主动在党员干部中进行通报", "important trends and problems in the ideological field, briefed to Party cadres"),
    fields=(
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True),
        Field("topic", TEXT, L("通报内容", "Topic"), required=True, indexed=True, searchable=True, max_length=200),
        Field("audience", TEXT, L("通报范围", "Audience"), searchable=True, max_length=200),
        ideology_field(True),
        Field("content", LONG_TEXT, L("详细内容", "Content"), searchable=True),
        # What it briefs (issue 18, item 7). An online opinion incident names its briefing itself
        # (opinion_incident.briefing, the online plugin's), so this plugin does not depend on that one.
        Field("analyses", REFERENCES, L("通报的形势分析研判", "Analyses briefed"), target="analysis", optional_target=True,
              help=L("通报的意识形态领域形势分析研判（组织领导）；网络舆情在舆情记录的“党内通报”一栏关联本通报",
                     "the analyses of the ideological situation it briefs (leadership); an online opinion incident names this "
                     "briefing in its own “Briefing” field")),
        Field("cases", REFERENCES, L("通报的问责案件", "Cases briefed"), target="case", optional_target=True,
              help=L("通报的责任追究案件，如问责决定的通报", "the accountability cases it briefs, e.g. a decision made known")),
        own_unit_field(),
    ),
    unit_path=("unit",),
    title_field="topic",
    year_field="date",
    list_columns=("date", "topic", "audience"),
)

CONGRESS_REPORT = RecordType(
    name="congress_report",
    answerable_fields=(),
    label=L("向党员大会报告", "Report to the members' congress"),
    count_label=L("{n} 次", "{n} report(s)"),
    short_label=L("向党员大会报告", "To congress"),
    area=AREA,
    fields=(
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True),
        Field("title", TEXT, L("报告题目", "Title"), required=True, searchable=True, max_length=200),
        ideology_field(False),
        Field("summary", LONG_TEXT, L("主要内容", "Summary"), searchable=True),
        own_unit_field(),
    ),
    unit_path=("unit",),
    title_field="title",
    year_field="date",
    list_columns=("date", "title", "includes_ideology"),
)

LIFE_MEETING = RecordType(
    name="life_meeting",
    answerable_fields=(),
    label=L("民主生活会", "Democratic life meeting"),
    count_label=L("{n} 次", "{n} meeting(s)"),
    short_label=L("民主生活会", "Life meeting"),
    area=AREA,
    fields=(
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True),
        Field("title", TEXT, L("会议", "Meeting"), required=True, searchable=True, max_length=200),
        ideology_field(False),
        Field("attendees", REFERENCES, L("参会人员", "Attendees"), target="person"),
        Field("minutes", LONG_TEXT, L("会议记录", "Minutes"), searchable=True),
        own_unit_field(),
    ),
    unit_path=("unit",),
    title_field="title",
    year_field="date",
    list_columns=("date", "title", "includes_ideology"),
)

DUTY_REPORT = RecordType(
    name="duty_report",
    answerable_fields=("person",),
    label=L("述职报告", "Duty report"),
    count_label=L("{n} 份", "{n} report(s)"),
    area=AREA,
    help=L("领导班子成员每年述职，意识形态工作是重要内容", "each leader's yearly duty report, with ideological work in it"),
    fields=(
        Field("person", REFERENCE, L("述职人", "Person"), required=True, target="person", indexed=True),
        Field("year", INTEGER, L("年度", "Year"), required=True, indexed=True, validators=(a_year,)),
        Field("date", DATE, L("述职日期", "Date")),
        ideology_field(False),
        Field("summary", LONG_TEXT, L("述职要点", "Summary"), searchable=True),
    ),
    unit_path=("person",),
    title_field="person",
    year_field="year",
    list_columns=("person", "year", "date", "includes_ideology"),
)

APPOINTMENT_REVIEW = RecordType(
    name="appointment_review",
    answerable_fields=("person",),
    label=L("干部任前考察", "Pre-appointment review"),
    count_label=L("{n} 人次", "{n} review(s)"),
    short_label=L("任前考察", "Appt review"),
    area=AREA,
    fields=(
        Field("person", REFERENCE, L("考察对象", "Person"), required=True, target="person", indexed=True),
        Field("date", DATE, L("考察日期", "Date"), required=True, indexed=True),
        Field("post", TEXT, L("拟任职务", "Proposed post"), searchable=True, max_length=100),
        Field("ideology_assessed", BOOL, L("考察意识形态工作", "Ideological work assessed"), default=False, indexed=True),
        Field("conclusion", LONG_TEXT, L("考察结论", "Conclusion"), searchable=True),
    ),
    unit_path=("person",),
    title_field="person",
    year_field="date",
    list_columns=("date", "person", "post", "ideology_assessed"),
)

APPRAISAL = RecordType(
    name="appraisal",
    answerable_fields=("person",),
    label=L("年度考核", "Annual appraisal"),
    count_label=L("{n} 人次", "{n} appraisal(s)"),
    short_label=L("年度考核", "Appraisal"),
    area=AREA,
    help=L("考核组评定的分数和等次；考核评分表只作参考，不会改写", "the score and grade the appraisal panel gave; the scorecard is shown beside it, never written over it"),
    fields=(
        Field("person", REFERENCE, L("被考核人", "Person"), required=True, target="person", indexed=True),
        Field("year", INTEGER, L("年度", "Year"), required=True, indexed=True, validators=(a_year,)),
        Field("ideology_assessed", BOOL, L("考核了意识形态工作", "Ideological work assessed"), default=False, indexed=True,
              help=L("年度考核把意识形态工作作为重要内容（方案三、4）", "the appraisal assessed ideological work (the plan, 三.4)")),
        Field("ideology_score", NUMBER, L("意识形态工作得分", "Ideological-work score"), validators=(a_score,)),
        Field("indicators", LONG_TEXT, L("其他指标得分", "Other indicators"), searchable=True,
              help=L("每行一项，如：政治建设 18/20", "one per line, e.g. political building 18/20")),
        Field("total", NUMBER, L("总分", "Total"), validators=(a_score,)),
        Field("grade", CHOICE, L("等次", "Grade"), choices=GRADES, indexed=True, searchable=True),
        Field("appraised_on", DATE, L("评定日期", "Appraised on")),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("person",),
    title_field="person",
    year_field="year",
    list_columns=("person", "year", "total", "grade", "ideology_assessed"),
)

# -- the itemised assessment (考核细则) ----------------------------------------------------------------

RULE, COUNT_MIN, COUNT_EACH, MANUAL = "rule", "count_min", "count_each", "manual"
METHODS = choices(
    (RULE, "按检查规则扣分", "by a rule's findings"),
    (COUNT_MIN, "按记录数量（不少于）", "by a count (at least)"),
    (COUNT_EACH, "按记录逐条扣分", "per record found"),
    (MANUAL, "考核组评分", "scored by the panel"),
)
NO_VETO, BAR_EXCELLENT, ZERO_AREA = "none", "bar_excellent", "zero_area"
VETOES = choices(
    (NO_VETO, "否", "no"),
    (BAR_EXCELLENT, "一票否决：不得评为优秀", "veto: bars the top grade (优秀)"),
    (ZERO_AREA, "一票否决：该方面得零分", "veto: zeroes the area"),
)
COMMITTEE, VILLAGE, COMMUNITY, DEPARTMENT, OFFICE, LEADER = "committee", "village", "community", "department", "office", "leader"
SUBJECT_KINDS = choices(
    (COMMITTEE, "镇党委", "the town committee"),
    (VILLAGE, "村", "villages"),
    (COMMUNITY, "社区", "communities"),
    (DEPARTMENT, "部门", "departments"),
    (OFFICE, "办公室", "offices"),
    (LEADER, "班子成员", "leaders"),
)


def non_negative_points(value) -> L | None:
    return L("不能小于 0", "must not be below 0") if value < 0 else None


ASSESSMENT_ITEM = RecordType(
    name="assessment_item",
    shared=True,  # the table a county (or the town) sets is read by every account, bound or not
    label=L("考核细则", "Assessment item"),
    count_label=L("{n} 项", "{n} item(s)"),
    short_label=L("考核细则", "Score items"),
    area=AREA,
    help=L("考核细则的一项：考核内容、分值、评分标准（每次扣分、扣完为止）、一票否决；只有管理员可以修改",
           "one item of the itemised assessment: what is assessed, its points, how (per instance, to a cap), a veto; admins only"),
    fields=(
        Field("order", INTEGER, L("排列顺序", "Order"), indexed=True),
        Field("area", TEXT, L("方面", "Area"), required=True, indexed=True, max_length=40,
              help=L("方面代码，如 leadership、positions、team、assessment、accountability", "the area's id, e.g. leadership")),
        Field("clause", TEXT, L("依据条款", "Clause"), searchable=True, max_length=100,
              help=L("实施方案中的条款，如：二、1（3）", "the plan's clause, e.g. 二、1（3）")),
        Field("title", TEXT, L("考核内容", "What is assessed"), required=True, searchable=True, max_length=200),
        Field("standard", LONG_TEXT, L("评分标准", "Scoring standard"), searchable=True),
        Field("points", NUMBER, L("分值", "Points"), required=True, validators=(non_negative_points,), max_value=1000),
        Field("method", CHOICE, L("评分方法", "Measured by"), required=True, choices=METHODS, indexed=True),
        Field("rule", TEXT, L("检查规则", "Rule"), max_length=100, indexed=True,
              help=L("按规则扣分时：规则代码，如 assessment.duty-reports", "for a rule: its id, e.g. assessment.duty-reports")),
        Field("count_type", TEXT, L("计数记录类型", "Record type counted"), max_length=40,
              help=L("按数量时：记录类型，如 study_session", "for a count: the record type, e.g. study_session")),
        Field("count_match", TEXT, L("计数条件", "Counted when"), max_length=200,
              help=L("字段=值，多个用分号隔开，值可用 | 分隔，如：ideology=true；state=decided|closed",
                     "field=value, several separated by ;, values by |, e.g. ideology=true; state=decided|closed")),
        Field("count_min", INTEGER, L("数量下限", "At least"), min_value=0),
        Field("deduction", NUMBER, L("每次扣分", "Deduction each"), validators=(non_negative_points,), max_value=1000,
              help=L("每条问题、每缺一次或每条记录扣的分", "per finding, per missing record or per record found")),
        Field("cap", NUMBER, L("扣分上限", "Cap"), validators=(non_negative_points,), max_value=1000,
              help=L("留空：扣完本项分值为止", "empty: down to nothing (扣完为止)")),
        Field("veto", CHOICE, L("一票否决", "Veto"), choices=VETOES, default=NO_VETO, indexed=True),
        Field("veto_area", TEXT, L("否决的方面", "Area zeroed"), max_length=40,
              help=L("该方面得零分时：方面代码，留空为本项所在方面", "when the veto zeroes an area: its id; empty: this item's area")),
        Field("applies_to", MULTI_CHOICE, L("考核对象", "Assessed"), required=True, choices=SUBJECT_KINDS),
        Field("year", INTEGER, L("适用年度", "Year"), indexed=True, validators=(a_year,), help=L("留空：每年适用", "empty: every year")),
        Field("example", BOOL, L("示例", "Example"), default=False,
              help=L("随软件提供的示例细则，应由考核办按本地规定修改", "the example shipped with the software: the office adapts it")),
        Field("unit", REFERENCE, L("适用的镇", "Town"), target="unit", indexed=True,
              help=L("县级库中某镇自己的细则：该镇的顶层单位；留空：全县（或本镇）通用", "in a county store, a town's own item: "
                     "the town's top unit; empty: the table every town uses")),
    ),
    unit_path=("unit",),
    title_field="title",
    list_columns=("order", "area", "title", "points", "method", "veto"),
)

ASSESSMENT_MARK = RecordType(
    name="assessment_mark",
    label=L("考核评分", "Assessment mark"),
    count_label=L("{n} 条", "{n} mark(s)"),
    short_label=L("考核评分", "Score marks"),
    area=AREA,
    help=L("一个单位或班子成员某项的自评分和考核组评分", "a unit's or leader's self score and the panel's score on one item"),
    fields=(
        Field("item", REFERENCE, L("考核细则", "Item"), required=True, target="assessment_item", indexed=True),
        Field("year", INTEGER, L("年度", "Year"), required=True, indexed=True, validators=(a_year,)),
        Field("unit", REFERENCE, L("被考核单位", "Unit"), target="unit", indexed=True),
        Field("person", REFERENCE, L("被考核人", "Person"), target="person", indexed=True),
        Field("self_score", NUMBER, L("自评分", "Self score"), validators=(non_negative_points,), max_value=1000),
        Field("superior_score", NUMBER, L("考核组评分", "Panel's score"), validators=(non_negative_points,), max_value=1000),
        Field("vetoed", BOOL, L("考核组认定否决", "Veto found by the panel"), default=False),
        Field("notes", LONG_TEXT, L("评分说明", "Notes"), searchable=True),
    ),
    unit_path=("unit", "person"),
    title_field="item",
    year_field="year",
    list_columns=("item", "year", "unit", "person", "self_score", "superior_score"),
)

TYPES = (SUPERIOR_REPORT, BRIEFING, CONGRESS_REPORT, LIFE_MEETING, DUTY_REPORT, APPOINTMENT_REVIEW, APPRAISAL,
         ASSESSMENT_ITEM, ASSESSMENT_MARK)
