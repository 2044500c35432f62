"""The leadership records: the leading group (one ``leader`` row per membership), the
responsibility list, the central study group's sessions and the committee's meetings."""

from __future__ import annotations

from duty_tui.directory import own_unit_field
from duty_tui.i18n import L
from duty_tui.schema import (BOOL, CHOICE, DATE, LONG_TEXT, NUMBER, REFERENCE, REFERENCES, TEXT, Field, RecordType,
                             choices)
from duty_tui.settings import non_negative

AREA = "leadership"

FIRST_RESPONSIBLE, DIRECT_RESPONSIBLE, MEMBER = "first_responsible", "direct_responsible", "member"
ROLES = choices(
    (FIRST_RESPONSIBLE, "第一责任人", "first responsible"),
    (DIRECT_RESPONSIBLE, "直接责任人", "direct responsible"),
    (MEMBER, "班子成员(一岗双责)", "member (one post, two duties)"),
)

# The units a member answers for under 一岗双责: everything below the committee itself.
COVERED_UNIT_KINDS = ("village", "community", "department", "office")

# A duty item's part of the plan; the labels are the areas' own (see each plugin's Area).
WORK_AREAS = choices(
    ("leadership", "组织领导", "Leadership"),
    ("positions", "阵地管理", "Positions"),
    ("team", "队伍管理", "Team"),
    ("assessment", "责任制考核", "Assessment"),
    ("accountability", "责任追究", "Accountability"),
)

OPEN, IN_PROGRESS, DONE = "open", "in_progress", "done"
DUTY_STATUSES = choices((OPEN, "未开始", "open"), (IN_PROGRESS, "进行中", "in progress"), (DONE, "已完成", "done"))


LEADER = RecordType(
    name="leader",
    answerable_fields=("person",),
    label=L("领导小组成员", "Leading group member"),
    count_label=L("{n} 人", "{n} member(s)"),
    short_label=L("领导小组成员", "Group member"),
    area=AREA,
    help=L("每段任职一行：角色变了或离任时填写“任职止”，再为新的任职新建一行。",
           "One row per term: when the role changes or the person leaves, fill in “until” and add a new row."),
    fields=(
        Field("person", REFERENCE, L("人员", "Person"), required=True, target="person", indexed=True),
        Field("role", CHOICE, L("责任角色", "Role"), required=True, choices=ROLES, indexed=True, searchable=True),
        Field("divisions", REFERENCES, L("分管单位", "Divisions (units)"), target="unit", indexed=True,
              help=L("一岗双责：其分管的村（居）委、部门、办公室", "one post, two duties: the units this member answers for")),
        Field("duties", TEXT, L("分工", "Portfolio"), searchable=True, max_length=200,
              help=L("如：分管宣传、文化", "e.g. propaganda and culture")),
        Field("since", DATE, L("任职起", "Since"), indexed=True),
        Field("until", DATE, L("任职止", "Until"), indexed=True),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("person",),
    title_field="person",
    list_columns=("person", "role", "divisions", "since", "until"),
)

DUTY_ITEM = RecordType(
    name="duty_item",
    answerable_fields=("owner",),
    label=L("责任清单", "Duty item"),
    count_label=L("{n} 项", "{n} duty item(s)"),
    area=AREA,
    fields=(
        Field("title", TEXT, L("责任事项", "Duty"), required=True, indexed=True, searchable=True, max_length=200),
        Field("owner", REFERENCE, L("责任人", "Owner"), required=True, target="person", indexed=True),
        Field("area", CHOICE, L("方面", "Area"), required=True, choices=WORK_AREAS, indexed=True, searchable=True),
        Field("unit", REFERENCE, L("涉及单位", "Unit"), target="unit", indexed=True),
        Field("due", DATE, L("完成时限", "Due"), indexed=True),
        Field("status", CHOICE, L("进度", "Status"), required=True, default=OPEN, choices=DUTY_STATUSES, indexed=True),
        Field("done_on", DATE, L("完成日期", "Done on")),
        Field("basis", TEXT, L("依据", "Basis"), searchable=True, max_length=200,
              help=L("如：实施方案 二、1(3)", "e.g. the plan, part 2.1 (3)")),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("unit", "owner"),
    year_field="due",
    list_columns=("title", "owner", "due", "status"),
)

STUDY_SESSION = RecordType(
    name="study_session",
    answerable_fields=(),
    label=L("中心组学习", "Central study session"),
    count_label=L("{n} 次", "{n} session(s)"),
    short_label=L("中心组学习", "Central study"),
    area=AREA,
    fields=(
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True),
        Field("topic", TEXT, L("学习内容", "Topic"), required=True, indexed=True, searchable=True, max_length=200),
        Field("ideology", BOOL, L("意识形态专题", "On ideological work"), default=False, indexed=True),
        Field("presenter", REFERENCE, L("领学人", "Presenter"), target="person", indexed=True),
        Field("attendees", REFERENCES, L("参加人员", "Attendees"), target="person", indexed=True),
        Field("absentees", REFERENCES, L("缺席人员", "Absentees"), target="person", exclusive_with="attendees"),
        Field("hours", NUMBER, L("学时", "Hours"), validators=(non_negative,)),
        Field("venue", TEXT, L("地点", "Venue"), max_length=100),
        Field("minutes", LONG_TEXT, L("学习记录", "Minutes"), searchable=True),
        own_unit_field(),
    ),
    unit_path=("unit",),
    title_field="topic",
    year_field="date",
    list_columns=("date", "topic", "ideology", "hours"),
)

COMMITTEE_MEETING = RecordType(
    name="committee_meeting",
    answerable_fields=(),
    label=L("党委会议", "Committee meeting"),
    count_label=L("{n} 次", "{n} meeting(s)"),
    short_label=L("党委会议", "Committee mtg"),
    area=AREA,
    fields=(
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True),
        Field("title", TEXT, L("会议", "Meeting"), required=True, indexed=True, searchable=True, max_length=200,
              help=L("如：党委会（第 5 次）", "e.g. committee meeting no. 5")),
        Field("topics", LONG_TEXT, L("议题", "Topics"), required=True, searchable=True),
        Field("ideology_on_agenda", BOOL, L("意识形态工作列入议题", "Ideological work on the agenda"), default=False, indexed=True),
        Field("chair", REFERENCE, L("主持人", "Chair"), target="person", indexed=True),
        Field("attendees", REFERENCES, L("出席人员", "Attendees"), target="person"),
        Field("decisions", LONG_TEXT, L("会议决定", "Decisions"), searchable=True),
        own_unit_field(),
    ),
    unit_path=("unit",),
    title_field="title",
    year_field="date",
    list_columns=("date", "title", "ideology_on_agenda"),
)

TYPES = (LEADER, DUTY_ITEM, STUDY_SESSION, COMMITTEE_MEETING)
