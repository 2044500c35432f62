"""The levels records (分级负责): the ideological-work responsibility agreement (意识形态工作责任书)
the committee signs each year with every village, community, department and office, and the
committee's supervision (督查) of them, with the problems found, their rectification and the
briefing (通报) of the results.

The village and community Party secretaries' duty reports (村（社区）党组织书记述职) are not a type
of this plugin: they are ``duty_report`` records (the assessment plugin's: person, year,
includes_ideology), the same record a leader's duty report is, read by type and field name."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import DATE, INTEGER, LONG_TEXT, MULTI_CHOICE, REFERENCE, REFERENCES, TEXT, Field, RecordType, choices
from duty_tui.settings import non_negative

from .workflow import SUPERVISION_WORKFLOW

AREA = "levels"


def a_year(value) -> L | None:
    return L("应为四位年份，如 2026", "must be a year such as 2026") if not 1900 <= value <= 2999 else None


METHODS = choices(
    ("records", "查阅台账", "records checked"),
    ("on_site", "实地查看", "on-site visit"),
    ("interview", "个别谈话", "interviews"),
    ("symposium", "座谈", "symposium"),
    ("unannounced", "明察暗访", "unannounced visit"),
    ("other", "其他", "other"),
)

AGREEMENT = RecordType(
    name="agreement",
    answerable_fields=(),  # the signers do not answer for the unit's gaps: its unit does
    label=L("意识形态工作责任书", "Responsibility agreement"),
    count_label=L("{n} 份", "{n} agreement(s)"),
    short_label=L("责任书", "Agreement"),
    area=AREA,
    help=L("按照分级负责的原则，党委每年与各村（社区）、部门和办公室签订意识形态工作责任书；签字盖章的责任书作为附件（证据）上传",
           "responsibility by level: each year the committee signs an ideological-work responsibility agreement with every village, "
           "community, department and office; attach the signed and sealed agreement as evidence"),
    fields=(
        Field("unit", REFERENCE, L("责任单位", "Unit"), required=True, target="unit", indexed=True,
              help=L("签订责任书的村（社区）、部门或办公室", "the village, community, department or office that signs")),
        Field("year", INTEGER, L("年度", "Year"), required=True, indexed=True, validators=(a_year,),
              help=L("责任书所属年度", "the year the agreement is for")),
        Field("signed_on", DATE, L("签订日期", "Signed on"), required=True, indexed=True),
        Field("committee_signer", REFERENCE, L("党委签字人", "Signed for the committee"), target="person", indexed=True,
              help=L("代表镇党委签字的领导，一般为党委书记或分管该单位的班子成员",
                     "who signed for the committee: usually the secretary or the member in charge of the unit")),
        Field("unit_signer", REFERENCE, L("单位签字人", "Signed for the unit"), target="person", indexed=True,
              help=L("代表责任单位签字的负责人，如村（社区）党组织书记、部门负责人",
                     "who signed for the unit: its Party secretary or its head")),
        Field("duties", LONG_TEXT, L("责任内容", "Duties"), searchable=True,
              help=L("责任书明确的意识形态工作任务", "the ideological-work duties the agreement sets")),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("unit",),
    title_field="unit",
    year_field="year",
    describe=("year", "signed_on"),
    list_columns=("unit", "year", "signed_on", "unit_signer"),
)

SUPERVISION = RecordType(
    name="supervision",
    answerable_fields=(),  # the inspectors do not answer for the unit's gaps: its unit does
    label=L("意识形态工作督查", "Supervision"),
    count_label=L("{n} 次", "{n} supervision(s)"),
    short_label=L("督查", "Supervision"),
    area=AREA,
    help=L("党委对村（社区）、部门落实意识形态工作责任制的督查：发现的问题按时限整改、由领导验收，督查结果及时通报",
           "the committee's supervision of a village, community or department: the problems found are rectified by their due date "
           "and verified by a leader, and the results are briefed (通报)"),
    fields=(
        Field("date", DATE, L("督查日期", "Date"), required=True, indexed=True),
        Field("unit", REFERENCE, L("被督查单位", "Unit"), required=True, target="unit", indexed=True),
        Field("by", REFERENCES, L("督查人员", "By"), target="person", indexed=True,
              help=L("参加督查的人员；由督查组开展时可只填督查组", "who supervised; or give only the inspection group")),
        Field("group", TEXT, L("督查组", "Inspection group"), searchable=True, max_length=100,
              help=L("如：镇党委意识形态工作督查组", "e.g. the committee's ideological-work inspection group")),
        Field("method", MULTI_CHOICE, L("督查方式", "Method"), choices=METHODS, indexed=True, searchable=True),
        Field("findings", LONG_TEXT, L("发现的问题", "Problems found"), searchable=True,
              help=L("没有发现问题时留空", "leave empty when nothing was found")),
        Field("problems", INTEGER, L("问题数", "Number of problems"), validators=(non_negative,),
              help=L("发现问题的个数；留空时有问题记为 1 个", "how many problems were found; left empty, problems found count as 1")),
        Field("measures", LONG_TEXT, L("整改要求", "Rectification required"), searchable=True),
        Field("due", DATE, L("整改时限", "Rectification due"), indexed=True),
        Field("rectified_on", DATE, L("整改完成日期", "Rectified on")),
        Field("verified_by", REFERENCE, L("验收人", "Verified by"), target="person"),
        Field("verified_on", DATE, L("验收日期", "Verified on")),
        Field("briefed_on", DATE, L("通报日期", "Results briefed on"), indexed=True,
              help=L("督查结果通报的日期", "the day the results were briefed (通报)")),
        Field("briefed_to", TEXT, L("通报范围", "Briefed to"), max_length=200,
              help=L("如：全镇各村（社区）、各部门", "e.g. every village, community and department")),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("unit",),
    title_field="unit",
    year_field="date",
    describe=("date",),
    list_columns=("date", "unit", "due", "briefed_on", "state"),
    workflow=SUPERVISION_WORKFLOW,
)

TYPES = (AGREEMENT, SUPERVISION)
