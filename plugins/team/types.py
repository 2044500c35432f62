"""The team records (队伍建设, the plan's part 二.3): self-inspections with their rectification,
education and training, the intellectuals the committee keeps in touch with (社科理论界、经济界、
科学界知识分子) and each contact's liaison cadre, and the activities with them."""

from __future__ import annotations

from duty_tui.directory import own_unit_field
from duty_tui.i18n import L
from duty_tui.schema import (BOOL, CHOICE, DATE, LONG_TEXT, NUMBER, REFERENCE, REFERENCES, TEXT, Field, RecordType,
                             choices)
from duty_tui.settings import non_negative

from .workflow import SELF_INSPECTION_WORKFLOW

AREA = "team"

FIELDS_OF_WORK = choices(
    ("social_science", "社科理论界", "social science and theory"),
    ("economy", "经济界", "economy"),
    ("science", "科学界", "science"),
)

ACTIVITY_KINDS = choices(
    ("visit", "走访", "visit"),
    ("symposium", "座谈", "symposium"),
    ("academic", "学术活动", "academic activity"),
    ("other", "其他", "other"),
)

SELF_INSPECTION = RecordType(
    name="self_inspection",
    answerable_fields=("responsible",),
    label=L("自查整改", "Self-inspection"),
    count_label=L("{n} 次", "{n} self-inspection(s)"),
    short_label=L("自查整改", "Self-check"),
    area=AREA,
    help=L("自查发现的问题、整改措施和时限；整改完成后由领导验收",
           "what a self-inspection found, the measures and the due date; a leader verifies the rectification"),
    fields=(
        Field("date", DATE, L("自查日期", "Date"), required=True, indexed=True),
        Field("topic", TEXT, L("自查内容", "Topic"), required=True, indexed=True, searchable=True, max_length=200),
        Field("unit", REFERENCE, L("自查单位", "Unit"), required=True, target="unit", indexed=True),
        Field("findings", LONG_TEXT, L("发现的问题", "Problems found"), searchable=True,
              help=L("没有发现问题时留空", "leave empty when nothing was found")),
        Field("measures", LONG_TEXT, L("整改措施", "Measures"), searchable=True),
        Field("responsible", REFERENCE, L("整改责任人", "Responsible"), target="person", indexed=True),
        Field("due", DATE, L("整改时限", "Due"), indexed=True),
        Field("rectified_on", DATE, L("整改完成日期", "Rectified on")),
        Field("verified_by", REFERENCE, L("验收人", "Verified by"), target="person"),
        Field("verified_on", DATE, L("验收日期", "Verified on")),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("unit",),
    title_field="topic",
    year_field="date",
    list_columns=("date", "topic", "unit", "due", "state"),
    workflow=SELF_INSPECTION_WORKFLOW,
)

TRAINING = RecordType(
    name="training",
    answerable_fields=(),
    label=L("教育培训", "Training"),
    count_label=L("{n} 次", "{n} training(s)"),
    area=AREA,
    fields=(
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True),
        Field("topic", TEXT, L("培训内容", "Topic"), required=True, indexed=True, searchable=True, max_length=200),
        Field("ideology", BOOL, L("意识形态工作内容", "On ideological work"), default=True, indexed=True),
        Field("trainer", TEXT, L("授课人", "Trainer"), searchable=True, max_length=200),
        Field("attendees", REFERENCES, L("参训人员", "Attendees"), target="person", indexed=True),
        Field("hours", NUMBER, L("学时", "Hours"), validators=(non_negative,)),
        Field("venue", TEXT, L("地点", "Venue"), max_length=100),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
        own_unit_field(),
    ),
    unit_path=("unit",),
    title_field="topic",
    year_field="date",
    list_columns=("date", "topic", "ideology", "hours"),
)

CONTACT = RecordType(
    name="contact",
    answerable_fields=("liaison",),
    label=L("联系知识分子名册", "Register of intellectuals"),
    count_label=L("{n} 人", "{n} person(s)"),
    short_label=L("知识分子名册", "Intellectuals"),
    area=AREA,
    help=L("同社科理论界、经济界、科学界知识分子交朋友：每人有一名联系干部",
           "making friends with intellectuals in social science, the economy and science: each has a liaison cadre"),
    fields=(
        Field("name", TEXT, L("姓名", "Name"), required=True, indexed=True, searchable=True, max_length=100),
        Field("field", CHOICE, L("所属领域", "Field"), required=True, choices=FIELDS_OF_WORK, indexed=True, searchable=True),
        Field("affiliation", TEXT, L("工作单位", "Affiliation"), searchable=True, max_length=200),
        Field("title", TEXT, L("职务职称", "Title"), searchable=True, max_length=100,
              help=L("如：学术带头人、研究员", "e.g. academic leader, research fellow")),
        Field("liaison", REFERENCE, L("联系干部", "Liaison cadre"), target="person", indexed=True),
        Field("since", DATE, L("联系起", "Since"), indexed=True),
        Field("until", DATE, L("联系止", "Until"), indexed=True),
        Field("phone", TEXT, L("联系方式", "Phone"), max_length=60),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("liaison",),
    title_field="name",
    list_columns=("name", "field", "affiliation", "liaison"),
)

LIAISON_ACTIVITY = RecordType(
    name="liaison_activity",
    answerable_fields=("cadre",),
    label=L("联系活动", "Liaison activity"),
    count_label=L("{n} 次", "{n} activity(ies)"),
    short_label=L("联系活动", "Liaison"),
    area=AREA,
    fields=(
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True),
        Field("kind", CHOICE, L("形式", "Kind"), required=True, choices=ACTIVITY_KINDS, indexed=True, searchable=True),
        Field("topic", TEXT, L("主题", "Topic"), required=True, searchable=True, max_length=200),
        Field("contacts", REFERENCES, L("联系对象", "Contacts"), required=True, target="contact", indexed=True),
        Field("cadre", REFERENCE, L("参加干部", "Cadre"), target="person", indexed=True),
        Field("notes", LONG_TEXT, L("情况记录", "Notes"), searchable=True),
    ),
    unit_path=("cadre",),
    title_field="topic",
    year_field="date",
    list_columns=("date", "kind", "topic", "contacts"),
)

TYPES = (SELF_INSPECTION, TRAINING, CONTACT, LIAISON_ACTIVITY)
