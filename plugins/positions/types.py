"""The positions records (阵地): report meetings, seminars, lectures and forums, each approved
by the committee and filed with the municipal propaganda department before it is held (谁组织谁
负责、谁审批谁监督); the outlets (报刊、电台电视台、新闻网站、新媒体、宣传栏) and their reviews."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import (CHOICE, DATE, INTEGER, LONG_TEXT, REFERENCE, TEXT, Field, RecordType, choices)
from duty_tui.settings import non_negative

from .workflow import EVENT_WORKFLOW

AREA = "positions"

EVENT_KINDS = choices(
    ("report_meeting", "报告会", "report meeting"),
    ("seminar", "研讨会", "seminar"),
    ("lecture", "讲座", "lecture"),
    ("forum", "论坛", "forum"),
    ("other", "其他", "other"),
)

OUTLET_KINDS = choices(
    ("newspaper", "报刊", "newspaper or periodical"),
    ("radio_tv", "电台电视台", "radio or television"),
    ("website", "新闻网站", "news website"),
    ("new_media", "新媒体(公众号、视频号等)", "new media account"),
    ("bulletin", "宣传栏", "bulletin board"),
    ("other", "其他", "other"),
)
ACTIVE, CLOSED = "active", "closed"
OUTLET_STATUSES = choices((ACTIVE, "在用", "active"), (CLOSED, "已停用", "closed"))
REVIEW_RESULTS = choices(("ok", "未发现问题", "no problem found"), ("issues", "发现问题", "problems found"))

EVENT = RecordType(
    name="event",
    label=L("报告会、研讨会、讲座、论坛", "Event"),
    count_label=L("{n} 场", "{n} event(s)"),
    short_label=L("报告会讲座", "Event"),
    area=AREA,
    help=L("事先经党委批准，报市委宣传部备案后，方可举办", "approved by the committee and filed with the municipal propaganda department before it is held"),
    fields=(
        Field("title", TEXT, L("名称", "Title"), required=True, indexed=True, searchable=True, max_length=200),
        Field("kind", CHOICE, L("类别", "Kind"), required=True, choices=EVENT_KINDS, indexed=True, searchable=True),
        Field("date", DATE, L("举办日期", "Date"), required=True, indexed=True),
        Field("organizer_unit", REFERENCE, L("主办单位", "Organising unit"), required=True, target="unit", indexed=True),
        Field("organizer", REFERENCE, L("组织者", "Organiser"), target="person", indexed=True,
              help=L("谁组织谁负责", "whoever organises answers for it")),
        Field("speakers", TEXT, L("报告人", "Speakers"), searchable=True, max_length=300,
              help=L("姓名、单位；不得邀请政治倾向有明显偏差的报告人", "names and affiliations")),
        Field("venue", TEXT, L("地点", "Venue"), searchable=True, max_length=100),
        Field("audience", INTEGER, L("参加人数", "Attendance"), validators=(non_negative,)),
        Field("approver", REFERENCE, L("审批人", "Approver"), target="person", indexed=True,
              help=L("谁审批谁监督", "whoever approves supervises")),
        Field("approved_on", DATE, L("批准日期", "Approved on"), indexed=True),
        Field("filed_on", DATE, L("备案日期", "Filed on"), indexed=True),
        Field("filing_no", TEXT, L("备案号", "Filing no."), searchable=True, max_length=60),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    title_field="title",
    year_field="date",
    list_columns=("date", "title", "kind", "organizer_unit", "state"),
    workflow=EVENT_WORKFLOW,
)

OUTLET = RecordType(
    name="outlet",
    label=L("宣传思想文化阵地", "Outlet"),
    count_label=L("{n} 个", "{n} outlet(s)"),
    short_label=L("宣传文化阵地", "Outlet"),
    area=AREA,
    fields=(
        Field("name", TEXT, L("名称", "Name"), required=True, indexed=True, searchable=True, max_length=100),
        Field("kind", CHOICE, L("类别", "Kind"), required=True, choices=OUTLET_KINDS, indexed=True, searchable=True),
        Field("unit", REFERENCE, L("主管单位", "Unit"), required=True, target="unit", indexed=True),
        Field("responsible", REFERENCE, L("责任人", "Responsible"), target="person", indexed=True),
        Field("address", TEXT, L("网址、账号或位置", "Address, account or place"), searchable=True, max_length=200),
        Field("status", CHOICE, L("状态", "Status"), required=True, default=ACTIVE, choices=OUTLET_STATUSES, indexed=True),
        Field("opened_on", DATE, L("开设日期", "Opened on")),
        Field("last_review", DATE, L("最近巡查", "Last review"), indexed=True),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    list_columns=("name", "kind", "unit", "responsible", "last_review"),
)

OUTLET_REVIEW = RecordType(
    name="outlet_review",
    label=L("阵地巡查", "Outlet review"),
    count_label=L("{n} 次", "{n} review(s)"),
    area=AREA,
    fields=(
        Field("outlet", REFERENCE, L("阵地", "Outlet"), required=True, target="outlet", indexed=True),
        Field("date", DATE, L("巡查日期", "Date"), required=True, indexed=True),
        Field("reviewer", REFERENCE, L("巡查人", "Reviewer"), target="person", indexed=True),
        Field("result", CHOICE, L("结果", "Result"), required=True, default="ok", choices=REVIEW_RESULTS, indexed=True),
        Field("findings", LONG_TEXT, L("发现的问题", "Findings"), searchable=True),
        Field("measures", LONG_TEXT, L("整改措施", "Measures"), searchable=True),
    ),
    title_field="outlet",
    year_field="date",
    list_columns=("date", "outlet", "reviewer", "result"),
)

TYPES = (EVENT, OUTLET, OUTLET_REVIEW)
