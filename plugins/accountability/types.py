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

# The measures, mildest first, in the words of 中国共产党问责条例 (2019) 第八条 (中央纪委国家监委法规室
# 《〈中国共产党问责条例〉释义》, as the 中央纪委国家监委网站 published it). The values are the ones
# earlier versions stored: only the wording changed (提醒 → 谈话提醒, 书面检查 → 责令检查, 通报批评 →
# 通报, 组织处理 → 组织调整或者组织处理), so a store written before reads, verifies, exports and
# imports as it was, now in the regulation's words; 诫勉 is new. See ``MEASURE_SOURCES``.
REMINDER, CRITICISM, EXAMINATION = "reminder", "criticism_education", "written_examination"
NOTIFIED, ADMONITION, ORGANISATIONAL, DISCIPLINE = "public_criticism", "admonition", "organisational_handling", "discipline"
LIGHTER = (REMINDER, CRITICISM, EXAMINATION)  # not 问责 under 第八条: the lighter handling of minor problems
ACCOUNTABILITY_MEASURES = (NOTIFIED, ADMONITION, ORGANISATIONAL, DISCIPLINE)  # 第八条, for a leading cadre

DECISIONS = choices(
    (REMINDER, "谈话提醒", "talk and reminder"),
    (CRITICISM, "批评教育", "criticism and education"),
    (EXAMINATION, "责令检查", "ordered to examine oneself"),
    (NOTIFIED, "通报", "notification"),
    (ADMONITION, "诫勉", "admonition"),
    (ORGANISATIONAL, "组织调整或者组织处理", "organisational adjustment or handling"),
    (DISCIPLINE, "纪律处分", "disciplinary action"),
)
MEASURES = DECISIONS  # for a person (a responsible person, ``case_party.decision``)

# for the Party organisation of the case's unit (``case.org_measure``), 第八条 first paragraph
ORG_EXAMINATION, ORG_NOTIFIED, REORGANISATION = "examination", "notification", "reorganisation"
ORG_MEASURES = choices(
    (ORG_EXAMINATION, "检查", "examination"),
    (ORG_NOTIFIED, "通报", "notification"),
    (REORGANISATION, "改组", "reorganisation"),
)

# Each measure in the regulation's own words: 第八条 for 问责 (persons and organisations), and where
# the lighter handling comes from (it is not one of 第八条's measures).
MEASURE_SOURCES = {
    REMINDER: L("《中国共产党党内监督条例》第二十一条：“发现领导干部有思想、作风、纪律等方面苗头性、倾向性问题的，有关党组织负责人应当及时对其提醒谈话”",
                "Party Supervision Regulations, Art. 21: a leading cadre with incipient problems of thinking, style or discipline is "
                "talked to and reminded by the Party organisation's head"),
    CRITICISM: L("《中国共产党纪律处分条例》（2015）第十八条：应当给予警告或者严重警告处分，但具有从轻减轻情形的，“可以给予批评教育或者组织处理，免予党纪处分”",
                 "Disciplinary Regulations (2015), Art. 18: where a warning is due but there are mitigating circumstances, "
                 "criticism and education or organisational handling may be given instead of a disciplinary sanction"),
    EXAMINATION: L("监督执纪“第一种形态”的处理措施之一（“责令作出口头或书面检查”，据公开整理的清单，未找到中央文件原文）；第八条的“检查”“通报”都含“责令作出书面检查”",
                   "one of the measures of the first of the “four forms” (ordered to examine oneself orally or in writing; from a "
                   "published list, the central text not found); Art. 8's examination and notification both include it"),
    NOTIFIED: L("第八条（一）通报。进行严肃批评，责令作出书面检查、切实整改，并在一定范围内通报。",
                "Art. 8 (1) notification: serious criticism, a written self-examination and real rectification ordered, "
                "and notified within a certain scope."),
    ADMONITION: L("第八条（二）诫勉。以谈话或者书面方式进行诫勉。", "Art. 8 (2) admonition: by a talk or in writing."),
    ORGANISATIONAL: L("第八条（三）组织调整或者组织处理。对失职失责、危害较重，不适宜担任现职的，应当根据情况采取停职检查、调整职务、责令辞职、免职、降职等措施。",
                      "Art. 8 (3) organisational adjustment or handling: for a failure of duty doing serious harm, where the cadre is "
                      "unfit for the post: suspension for examination, a change of post, ordered resignation, removal, demotion."),
    DISCIPLINE: L("第八条（四）纪律处分。对失职失责、危害严重，应当给予纪律处分的，依照《中国共产党纪律处分条例》追究纪律责任。",
                  "Art. 8 (4) disciplinary action: for a failure of duty doing grave harm, under the Disciplinary Regulations."),
}
ORG_MEASURE_SOURCES = {
    ORG_EXAMINATION: L("第八条（一）检查。责令作出书面检查并切实整改。", "Art. 8 (1) examination: a written self-examination and real rectification ordered."),
    ORG_NOTIFIED: L("第八条（二）通报。责令整改，并在一定范围内通报。", "Art. 8 (2) notification: rectification ordered, and notified within a certain scope."),
    REORGANISATION: L("第八条（三）改组。对失职失责，严重违犯党的纪律、本身又不能纠正的，应当予以改组。",
                      "Art. 8 (3) reorganisation: for a failure of duty that gravely breaks Party discipline and that the "
                      "organisation cannot correct itself."),
}

INACTION = choices(
    ("inaction", "不作为", "inaction"),
    ("slow_action", "慢作为", "slow action"),
)


def joined(*parts: L) -> L:
    return L("".join(p.zh for p in parts), "".join(p.en for p in parts))


def measure_help() -> L:
    zh = "；".join(f"{c.label.zh}：{MEASURE_SOURCES[c.value].zh.rstrip('。')}" for c in DECISIONS)
    en = "; ".join(f"{c.label.en}: {MEASURE_SOURCES[c.value].en.rstrip('.')}" for c in DECISIONS)
    return L("由轻到重。谈话提醒、批评教育、责令检查不是问责方式，用于情节轻微的问题；通报、诫勉、组织调整或者组织处理、纪律处分是《中国共产党问责条例》第八条对党的领导干部的问责方式。"
             + zh + "。",
             "mildest first. Talk and reminder, criticism and education and self-examination are not accountability measures: "
             "they are for minor problems; notification, admonition, organisational adjustment or handling and disciplinary "
             "action are Art. 8's measures for a leading cadre. " + en + ".")


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
    answerable_fields=(),
    label=L("问责案件", "Accountability case"),
    count_label=L("{n} 件", "{n} case(s)"),
    short_label=L("问责案件", "Case"),
    area=AREA,
    help=L("按《实施办法》第十条所列情形追究责任：登记、调查，由问责决定机关作出决定（决定文号），通报组织部门、报上级组织部门备案后办结",
           "a case under Article 10: registered, investigated, decided by the deciding body (with a document number), "
           "reported to the organisation department and filed with the one above, closed"),
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
        Field("publication", REFERENCE, L("涉及发布内容", "Publication"), target="publication", indexed=True, optional_target=True,
              help=L("自办媒体的一条发布：其作者、三审人员和该阵地的责任人均列入建议", "a post on an own outlet: its author, its three reviewers and the outlet's responsible person are suggested")),
        Field("description", LONG_TEXT, L("基本情况", "Description"), searchable=True),
        Field("inaction", CHOICE, L("不作为、慢作为", "Inaction/slow action"), choices=INACTION, indexed=True,
              help=L("方案第四部分：“既查失职、渎职，也查‘不作为’‘慢作为’”", "the plan, part 四: failures of duty, and inaction and slow action too")),
        Field("decision", CHOICE, L("处理决定", "Decision"), choices=DECISIONS, indexed=True,
              help=joined(L("对责任人的主要处理方式；每名责任人的问责方式记在其责任人记录上。", "the main measure; each responsible person's own is on their record. "),
                          measure_help())),
        Field("org_measure", CHOICE, L("对党组织的问责方式", "Party org. measure"), choices=ORG_MEASURES, indexed=True,
              help=L("对涉及单位党组织的问责，《中国共产党问责条例》第八条："
                     + "；".join(f"{c.label.zh}：{ORG_MEASURE_SOURCES[c.value].zh.rstrip('。')}" for c in ORG_MEASURES) + "。",
                     "for the Party organisation of the unit, Art. 8: "
                     + "; ".join(f"{c.label.en}: {ORG_MEASURE_SOURCES[c.value].en.rstrip('.')}" for c in ORG_MEASURES) + ".")),
        Field("decided_on", DATE, L("决定日期", "Decided on"), indexed=True),
        Field("deciding_body", REFERENCE, L("问责决定机关", "Deciding body"), target="unit", indexed=True,
              help=L("作出问责决定的党组织（如镇党委），不是个人", "the Party organisation that takes the decision (the town committee, say), not a person")),
        Field("decision_no", TEXT, L("决定文号", "Document no."), indexed=True, searchable=True, max_length=60,
              help=L("如：x党〔2026〕5 号", "e.g. x党〔2026〕5 号")),
        Field("decided_by", REFERENCE, L("签发人", "Signed by"), target="person", indexed=True,
              help=L("签发决定的领导；早先版本记作“决定人”。决定由问责决定机关作出", "the leader who signed it (earlier versions: “decided by”); the body decides")),
        Field("decision_notes", LONG_TEXT, L("决定说明", "Decision notes"), searchable=True),
        Field("reported_to_organization_on", DATE, L("通报组织部门日期", "Reported to org. dept."), indexed=True,
              help=L("《中国共产党问责条例》（2016）第九条：“有关问责情况应当向组织部门通报，组织部门应当将问责决定材料归入被问责领导干部个人档案，并报上一级组织部门备案”",
                     "Accountability Regulations (2016), Art. 9: the organisation department is told, puts the decision into the "
                     "cadre's personal file and files it with the organisation department above")),
        Field("filed_with_organization_on", DATE, L("报上级组织部门备案日期", "Filed with org. dept."), indexed=True),
        Field("filing_no", TEXT, L("备案号", "Filing no."), searchable=True, max_length=60),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("unit",),
    title_field="title",
    year_field="occurred_on",
    list_columns=("occurred_on", "title", "circumstance", "state"),
    workflow=CASE_WORKFLOW,
    detail_children=("case_party",),
    detail_lines=lambda ledger, case: open_suggestions(ledger, case) + measures_taken(ledger, case),
)

CASE_PARTY = RecordType(
    name="case_party",
    answerable_fields=("person",),
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
        Field("decision", CHOICE, L("问责方式", "Measure taken"), choices=DECISIONS, indexed=True, help=measure_help()),
        Field("measure_detail", TEXT, L("具体措施", "In detail"), searchable=True, max_length=100,
              help=L("如：免职；党内警告", "e.g. removal from post; a Party warning")),
        Field("filed_in_personal_file_on", DATE, L("归入个人档案日期", "In personal file on"), indexed=True,
              help=L("组织部门将问责决定材料归入本人个人档案的日期（《中国共产党问责条例》（2016）第九条）",
                     "the day the organisation department put the decision into the person's file (Accountability Regulations (2016), Art. 9)")),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("case",),
    title_field="person",
    list_columns=("case", "person", "kind", "dissent_recorded", "decision"),
)


def open_suggestions(ledger, case) -> list[tuple[L, L]]:
    """The case's detail: the persons the chain of responsibility suggests and the case does not
    name yet, each with kind, reasons and clauses and any warning (a term in doubt), then the
    organisations bearing 全面领导责任 (the cases screen accepts the persons)."""
    from .suggest import detail_lines

    return detail_lines(ledger, case)


def measures_taken(ledger, case) -> list[tuple[L, L]]:
    """The case's detail: each measure taken, for the unit's Party organisation and for each
    person named, in 第八条's words, with the day it went into the person's file and what it bars
    while in effect (the operator's table of effects)."""
    from .settings import no_excellent_key, no_promotion_key

    rows: list[tuple[L, L]] = []
    data = case.data
    if data.get("org_measure"):
        unit = ledger.titles([data["unit"]]).get(data["unit"]) if data.get("unit") else ""
        label = next(c.label for c in ORG_MEASURES if c.value == data["org_measure"])
        source = ORG_MEASURE_SOURCES[data["org_measure"]]
        rows.append(L(f"{unit}党组织：{label.zh}——{source.zh}", f"{unit}'s Party organisation: {label.en} — {source.en}"))
    parties = [p for p in ledger.all("case_party", case=case.id) if p.data.get("decision")]
    names = ledger.titles({p.data["person"] for p in parties})
    for party in parties:
        measure = party.data["decision"]
        label = next(c.label for c in DECISIONS if c.value == measure)
        name = names.get(party.data["person"]) or party.data["person"]
        filed = party.data.get("filed_in_personal_file_on")
        bars_zh, bars_en = [], []
        if ledger.setting(no_excellent_key(measure)):
            bars_zh.append("当年不得评为优秀")
            bars_en.append("no “excellent” that year")
        months = ledger.setting(no_promotion_key(measure))
        if months:
            bars_zh.append(f"{months} 个月内不得提拔")
            bars_en.append(f"no promotion for {months} months")
        rows.append(L(f"{name}：{label.zh}——{MEASURE_SOURCES[measure].zh}"
                      + (f"（影响期：{'、'.join(bars_zh)}）" if bars_zh else "")
                      + (f"（{filed.isoformat()} 归入个人档案）" if filed else ""),
                      f"{name}: {label.en} — {MEASURE_SOURCES[measure].en}"
                      + (f" (in effect: {', '.join(bars_en)})" if bars_en else "")
                      + (f" (put in the personal file on {filed.isoformat()})" if filed else "")))
    if not rows:
        return []
    return [(L("问责方式及依据", "Measures and their source"), L("\n".join(r.zh for r in rows), "\n".join(r.en for r in rows)))]


TYPES = (CASE, CASE_PARTY)
