"""The assessment records (考核, the plan's part 三): reports to the superior committee, briefings
to Party cadres, the report to the members' congress, the democratic life meeting, each leader's
duty report, pre-appointment reviews and the annual appraisal, each saying whether ideological
work was in it."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import (BOOL, CHOICE, DATE, INTEGER, LONG_TEXT, NUMBER, REFERENCE, REFERENCES, TEXT, Field,
                             RecordType, choices)

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
    ),
    title_field="title",
    year_field="date",
    list_columns=("date", "title", "reported_to", "includes_ideology"),
)

BRIEFING = RecordType(
    name="briefing",
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
    ),
    title_field="topic",
    year_field="date",
    list_columns=("date", "topic", "audience"),
)

CONGRESS_REPORT = RecordType(
    name="congress_report",
    label=L("向党员大会报告", "Report to the members' congress"),
    count_label=L("{n} 次", "{n} report(s)"),
    short_label=L("向党员大会报告", "To congress"),
    area=AREA,
    fields=(
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True),
        Field("title", TEXT, L("报告题目", "Title"), required=True, searchable=True, max_length=200),
        ideology_field(False),
        Field("summary", LONG_TEXT, L("主要内容", "Summary"), searchable=True),
    ),
    title_field="title",
    year_field="date",
    list_columns=("date", "title", "includes_ideology"),
)

LIFE_MEETING = RecordType(
    name="life_meeting",
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
    ),
    title_field="title",
    year_field="date",
    list_columns=("date", "title", "includes_ideology"),
)

DUTY_REPORT = RecordType(
    name="duty_report",
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
    title_field="person",
    year_field="year",
    list_columns=("person", "year", "date", "includes_ideology"),
)

APPOINTMENT_REVIEW = RecordType(
    name="appointment_review",
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
    title_field="person",
    year_field="date",
    list_columns=("date", "person", "post", "ideology_assessed"),
)

APPRAISAL = RecordType(
    name="appraisal",
    label=L("年度考核", "Annual appraisal"),
    count_label=L("{n} 人次", "{n} appraisal(s)"),
    short_label=L("年度考核", "Appraisal"),
    area=AREA,
    help=L("考核组评定的分数和等次；考核评分表只作参考，不会改写", "the score and grade the appraisal panel gave; the scorecard is shown beside it, never written over it"),
    fields=(
        Field("person", REFERENCE, L("被考核人", "Person"), required=True, target="person", indexed=True),
        Field("year", INTEGER, L("年度", "Year"), required=True, indexed=True, validators=(a_year,)),
        Field("ideology_score", NUMBER, L("意识形态工作得分", "Ideological-work score"), validators=(a_score,)),
        Field("indicators", LONG_TEXT, L("其他指标得分", "Other indicators"), searchable=True,
              help=L("每行一项，如：政治建设 18/20", "one per line, e.g. political building 18/20")),
        Field("total", NUMBER, L("总分", "Total"), validators=(a_score,)),
        Field("grade", CHOICE, L("等次", "Grade"), choices=GRADES, indexed=True, searchable=True),
        Field("appraised_on", DATE, L("评定日期", "Appraised on")),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    title_field="person",
    year_field="year",
    list_columns=("person", "year", "total", "grade"),
)

TYPES = (SUPERIOR_REPORT, BRIEFING, CONGRESS_REPORT, LIFE_MEETING, DUTY_REPORT, APPOINTMENT_REVIEW, APPRAISAL)
