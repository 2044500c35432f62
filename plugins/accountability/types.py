"""The accountability records (责任追究, the plan's part 四): a ``case`` under one of the ten
circumstances of Article 10, and its responsible persons as ``case_party`` records.

Why a record type of its own for the responsible persons, rather than a list of references on the
case plus a structured text field: each responsible person carries a kind of responsibility, a
possible recorded dissent (which exempts them) with where it is recorded, the reason they were
named and the handling they received. As records they are typed and validated field by field,
entered and changed in the ordinary form and by ``duty add case_party``, audited one by one (who
named whom, and when), listed and filtered (``person:person-3`` finds every case naming someone,
for the dossier of their duty report) and exported as a ledger; the case's detail shows them
inline with their kind and reason (``detail_children``). Parallel lists on the case could silently drift apart.
"""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import BOOL, CHOICE, DATE, LONG_TEXT, REFERENCE, TEXT, Field, RecordType, choices

from .circumstances import CIRCUMSTANCES
from .workflow import CASE_WORKFLOW

AREA = "accountability"

# mildest first
DECISIONS = choices(
    ("reminder", "提醒", "reminder"),
    ("criticism_education", "批评教育", "criticism and education"),
    ("written_examination", "书面检查", "written self-examination"),
    ("public_criticism", "通报批评", "public criticism"),
    ("organisational_handling", "组织处理", "organisational handling"),
    ("discipline", "纪律处分", "disciplinary action"),
)

MAIN, IMPORTANT, DIRECT, OTHER = "main", "important", "direct", "other"
RESPONSIBILITY_KINDS = choices(
    (MAIN, "主要领导责任", "main leadership responsibility"),
    (IMPORTANT, "重要领导责任", "important leadership responsibility"),
    (DIRECT, "直接责任", "direct responsibility"),
    (OTHER, "其他责任", "other responsibility"),
)
# a word each, for lists
KIND_SHORT = {MAIN: L("主要", "main"), IMPORTANT: L("重要", "important"), DIRECT: L("直接", "direct"), OTHER: L("其他", "other")}

CASE = RecordType(
    name="case",
    label=L("问责案件", "Accountability case"),
    count_label=L("{n} 件", "{n} case(s)"),
    short_label=L("问责案件", "Case"),
    area=AREA,
    help=L("按《实施办法》第十条所列情形追究责任：登记、调查、由领导作出决定、报上级组织部门备案后办结",
           "a case under Article 10: registered, investigated, decided by a leader, filed with the organisation department above, closed"),
    fields=(
        Field("title", TEXT, L("问责事由", "Grounds"), required=True, indexed=True, searchable=True, max_length=200),
        Field("circumstance", CHOICE, L("情形（第十条）", "Circumstance (Art. 10)"), required=True, choices=CIRCUMSTANCES, indexed=True),
        Field("occurred_on", DATE, L("发生日期", "Occurred on"), required=True, indexed=True),
        Field("unit", REFERENCE, L("涉及单位", "Unit"), target="unit", indexed=True),
        Field("event", REFERENCE, L("涉及活动", "Event"), target="event", indexed=True,
              help=L("报告会、研讨会、讲座、论坛：谁组织谁负责、谁审批谁监督", "a report meeting, seminar, lecture or forum")),
        Field("outlet", REFERENCE, L("涉及阵地", "Outlet"), target="outlet", indexed=True,
              help=L("如：发布错误文章的微信公众号", "e.g. the WeChat account that published the wrong article")),
        Field("person", REFERENCE, L("涉及人员", "Person concerned"), target="person", indexed=True,
              help=L("如：发表错误言论或发帖的人", "e.g. the person who spoke or posted")),
        Field("description", LONG_TEXT, L("基本情况", "Description"), searchable=True),
        Field("decision", CHOICE, L("处理决定", "Decision"), choices=DECISIONS, indexed=True),
        Field("decided_on", DATE, L("决定日期", "Decided on"), indexed=True),
        Field("decided_by", REFERENCE, L("决定人", "Decided by"), target="person", indexed=True),
        Field("decision_notes", LONG_TEXT, L("决定说明", "Decision notes"), searchable=True),
        Field("filed_with_organization_on", DATE, L("报组织部门备案日期", "Filed with org. dept."), indexed=True),
        Field("filing_no", TEXT, L("备案号", "Filing no."), searchable=True, max_length=60),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    title_field="title",
    year_field="occurred_on",
    list_columns=("occurred_on", "title", "circumstance", "state"),
    workflow=CASE_WORKFLOW,
    detail_children=("case_party",),
    detail_lines=lambda ledger, case: open_suggestions(ledger, case),
)

CASE_PARTY = RecordType(
    name="case_party",
    label=L("责任人", "Responsible person"),
    count_label=L("{n} 人", "{n} person(s)"),
    short_label=L("责任人", "Responsible"),
    area=AREA,
    help=L("主要负责人和分管负责人承担主要领导责任，其他成员承担重要领导责任；有记录在案的不同意见的，免责",
           "the principal leader and the member in charge bear main leadership responsibility, other members important; "
           "a member whose recorded objection was overruled is exempt"),
    fields=(
        Field("case", REFERENCE, L("案件", "Case"), required=True, target="case", indexed=True),
        Field("person", REFERENCE, L("责任人", "Person"), required=True, target="person", indexed=True),
        Field("kind", CHOICE, L("责任类型", "Responsibility"), required=True, choices=RESPONSIBILITY_KINDS, indexed=True, searchable=True),
        Field("reason", TEXT, L("认定理由", "Reason"), searchable=True, max_length=300,
              help=L("如：谁组织谁负责——组织了该活动", "e.g. whoever organises answers for it: organised the event")),
        Field("dissent_recorded", BOOL, L("不同意见记录在案（免责）", "Dissent recorded (exempt)"), default=False, indexed=True),
        Field("dissent_notes", LONG_TEXT, L("不同意见记录", "Where the dissent is recorded"),
              help=L("如：党委会（第 9 次）会议记录", "e.g. the minutes of committee meeting no. 9")),
        Field("decision", CHOICE, L("问责方式", "Measure taken"), choices=DECISIONS, indexed=True),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    title_field="person",
    list_columns=("case", "person", "kind", "dissent_recorded", "decision"),
)


def open_suggestions(ledger, case) -> list[tuple[L, L]]:
    """The case's detail: the persons the chain of responsibility suggests and the case does not
    name yet, each with kind and reasons (the cases screen accepts them)."""
    from .suggest import suggest_for_case

    pending = suggest_for_case(ledger, case, ledger.today()).open()
    if not pending:
        return []
    lines = [(f"{s.name} · {s.kind_label().render('zh')} · {s.reason_text().render('zh')}",
              f"{s.name} · {s.kind_label().render('en')} · {s.reason_text().render('en')}") for s in pending]
    return [(L("建议认定（未采纳）", "Suggested, not yet named"),
             L("\n".join(zh for zh, _ in lines), "\n".join(en for _, en in lines)))]


TYPES = (CASE, CASE_PARTY)
