"""The positions records (阵地): report meetings, seminars, lectures and forums, each approved
by the committee and filed with the municipal propaganda department before it is held (谁组织谁
负责、谁审批谁监督), and their speakers, each vetted before being invited (不得邀请政治倾向有明显偏差的
报告人: the speaker register); the outlets (报刊、电台电视台、新闻网站、新媒体、宣传栏, and what a town
runs besides: LED 显示屏、村（社区）广播、微信群、短视频账号、新时代文明实践站（所）、文化礼堂、农家书屋)
and their reviews.

An event's speakers are records of the register (``registered_speakers``); the free-text field
``speakers`` of the first version stays, labelled 报告人（未登记）, so the events entered before the
register read as they did (a name typed there is not vetted by anything)."""

from __future__ import annotations

from duty_tui.directory import own_unit_field
from duty_tui.i18n import L
from duty_tui.schema import (CHOICE, DATE, INTEGER, LONG_TEXT, REFERENCE, REFERENCES, TEXT, Field, RecordType, choices)
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
    ("new_media", "新媒体（公众号、视频号等）", "new media account"),
    ("bulletin", "宣传栏", "bulletin board"),
    # what a town runs besides (issue 18, the plan's 二2): the values above stay as they were
    ("led_screen", "LED 显示屏", "LED screen"),
    ("loudspeaker", "村（社区）广播（大喇叭）", "village or community loudspeaker"),
    ("wechat_group", "微信群", "WeChat group"),
    ("short_video", "短视频账号", "short-video account"),
    ("practice_station", "新时代文明实践站（所）", "civilisation practice station"),
    ("cultural_hall", "文化礼堂（文化活动中心）", "cultural hall or activity centre"),
    ("farm_library", "农家书屋", "village library"),
    ("other", "其他", "other"),
)
OUTLET_KIND_NAMES = tuple(c.value for c in OUTLET_KINDS)
ACTIVE, CLOSED = "active", "closed"
OUTLET_STATUSES = choices((ACTIVE, "在用", "active"), (CLOSED, "已停用", "closed"))
REVIEW_RESULTS = choices(("ok", "未发现问题", "no problem found"), ("issues", "发现问题", "problems found"))

EVENT = RecordType(
    name="event",
    answerable_fields=("organizer", "approver"),
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
        Field("registered_speakers", REFERENCES, L("报告人", "Speakers"), target="speaker", indexed=True,
              help=L("从报告人名录中选择，可选多人；不得邀请政治倾向有明显偏差的报告人：每位报告人须经审查、结论为可以邀请且在有效期内，方可批准",
                     "chosen from the speaker register, one or more; no speaker of clearly deviant political leaning is invited: "
                     "each must be vetted, found fit to invite and within the vetting's validity before the event is approved")),
        Field("speakers", TEXT, L("报告人（未登记）", "Speakers (not registered)"), searchable=True, max_length=300,
              help=L("姓名、单位的文字记录，保留登记名录之前的记录；这里填写的报告人未经名录审查，新邀请的报告人请先登记审查，再在“报告人”中选择",
                     "names and affiliations as text, kept for the records made before the register; a speaker typed here "
                     "is not vetted by anything: register and vet a new speaker, then choose them under “Speakers”")),
        Field("venue", TEXT, L("地点", "Venue"), searchable=True, max_length=100),
        Field("audience", INTEGER, L("参加人数", "Attendance"), validators=(non_negative,)),
        Field("approver", REFERENCE, L("审批人", "Approver"), target="person", indexed=True,
              help=L("谁审批谁监督", "whoever approves supervises")),
        Field("approved_on", DATE, L("批准日期", "Approved on"), indexed=True),
        Field("filed_on", DATE, L("备案日期", "Filed on"), indexed=True),
        Field("filing_no", TEXT, L("备案号", "Filing no."), searchable=True, max_length=60),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("organizer_unit",),
    title_field="title",
    year_field="date",
    list_columns=("date", "title", "kind", "organizer_unit", "state"),
    workflow=EVENT_WORKFLOW,
)

OUTLET = RecordType(
    name="outlet",
    answerable_fields=("responsible",),
    label=L("宣传思想文化阵地", "Outlet"),
    count_label=L("{n} 个", "{n} outlet(s)"),
    short_label=L("宣传文化阵地", "Outlet"),
    area=AREA,
    fields=(
        Field("name", TEXT, L("名称", "Name"), required=True, indexed=True, searchable=True, max_length=100),
        Field("kind", CHOICE, L("类别", "Kind"), required=True, choices=OUTLET_KINDS, indexed=True, searchable=True,
              help=L("每类阵地的巡查周期（天）是一项设置：positions.outlet-review.days.<类别>",
                     "each kind's review interval in days is a setting: positions.outlet-review.days.<kind>")),
        Field("unit", REFERENCE, L("主管单位", "Unit"), required=True, target="unit", indexed=True),
        Field("responsible", REFERENCE, L("责任人", "Responsible"), target="person", indexed=True,
              help=L("谁主管谁负责：每个阵地明确一名责任人（村广播、微信群、农家书屋等也不例外）",
                     "whoever is in charge answers for it: every outlet names one responsible person (a village loudspeaker, a WeChat group, a village library too)")),
        Field("address", TEXT, L("网址、账号或位置", "Address, account or place"), searchable=True, max_length=200),
        Field("status", CHOICE, L("状态", "Status"), required=True, default=ACTIVE, choices=OUTLET_STATUSES, indexed=True),
        Field("opened_on", DATE, L("开设日期", "Opened on")),
        Field("last_review", DATE, L("最近巡查", "Last review"), indexed=True,
              help=L("最近一次巡查的日期；巡查记录的日期也算。按类别的巡查周期检查是否逾期",
                     "the date of the latest review (the review records' dates count too); checked against the kind's review interval")),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("unit",),
    list_columns=("name", "kind", "unit", "responsible", "last_review"),
)

OUTLET_REVIEW = RecordType(
    name="outlet_review",
    answerable_fields=(),
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
    unit_path=("outlet",),
    title_field="outlet",
    year_field="date",
    list_columns=("date", "outlet", "reviewer", "result"),
)

SUITABLE, UNSUITABLE = "suitable", "unsuitable"
CONCLUSIONS = choices((SUITABLE, "可以邀请", "may be invited"), (UNSUITABLE, "不宜邀请", "not to be invited"))

SPEAKER = RecordType(
    name="speaker",
    # nobody of its own: a finding names the event too, whose organiser and approver invited the
    # speaker (the person who vetted a speaker found 不宜邀请 did the job)
    answerable_fields=(),
    label=L("报告人", "Speaker"),
    count_label=L("{n} 人", "{n} speaker(s)"),
    short_label=L("报告人名录", "Speakers"),
    area=AREA,
    help=L("不得邀请政治倾向有明显偏差的报告人：邀请前审查，记录审查日期、审查人、结论和有效期",
           "no speaker of clearly deviant political leaning is invited: each is vetted before being invited, with the date, "
           "who vetted them, the conclusion and how long it holds"),
    fields=(
        Field("name", TEXT, L("姓名", "Name"), required=True, indexed=True, searchable=True, max_length=60),
        Field("affiliation", TEXT, L("工作单位及职务", "Affiliation"), searchable=True, max_length=200),
        Field("topic", TEXT, L("研究领域、报告主题", "Field or topic"), searchable=True, max_length=200),
        Field("vetted_on", DATE, L("审查日期", "Vetted on"), indexed=True,
              help=L("政治倾向审查完成的日期；填写审查结论时必填", "the day the vetting was done; needed with a conclusion")),
        Field("vetted_by", REFERENCE, L("审查人", "Vetted by"), target="person", indexed=True,
              help=L("谁审查谁负责；填写审查结论时必填", "whoever vets answers for it; needed with a conclusion")),
        Field("conclusion", CHOICE, L("审查结论", "Conclusion"), choices=CONCLUSIONS, indexed=True,
              help=L("未填为尚未审查", "empty: not vetted yet")),
        Field("valid_until", DATE, L("有效期至", "Valid until"), indexed=True,
              help=L("审查结论有效的最后一天；未填时自审查日期起按设置 positions.speaker.valid-days 计算",
                     "the last day the conclusion holds; empty: the setting positions.speaker.valid-days from the vetting")),
        Field("notes", LONG_TEXT, L("审查情况及备注", "Notes"), searchable=True,
              help=L("审查依据、了解到的情况", "what the vetting was based on, what was found")),
        own_unit_field(),
    ),
    unit_path=("unit",),
    title_field="name",
    describe=("affiliation",),
    list_columns=("name", "affiliation", "conclusion", "vetted_on", "valid_until"),
)

TYPES = (EVENT, SPEAKER, OUTLET, OUTLET_REVIEW)
