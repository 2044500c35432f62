"""A small plugin used by the tests: a record type with a workflow and guards, a rule with a
threshold setting, and a validation hook."""

from __future__ import annotations

from duty_tui.areas import Area
from duty_tui.errors import FieldError
from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.rules import Rule
from duty_tui.schema import (BOOL, DATE, INTEGER, LONG_TEXT, MULTI_CHOICE, NUMBER, REFERENCE, REFERENCES, TEXT,
                             Field, RecordType, State, Transition, Workflow, choices)
from duty_tui.settings import Setting, non_negative


def needs_approver(rec):
    if not rec.get("approver") or not rec.get("approved_on"):
        return L("审批需要审批人和审批日期", "approval needs an approver and a date")
    return None


def approver_is_organizer(rec):
    if rec.get("approver") and rec.get("approver") == rec.get("organizer"):
        return L("审批人与组织者是同一人", "the approver is also the organiser")
    return None


MEETING = RecordType(
    name="meeting",
    label=L("会议", "Meeting"),
    area="sample",
    fields=(
        Field("title", TEXT, L("题目", "Title"), required=True, searchable=True, indexed=True),
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True),
        Field("hours", NUMBER, L("时长", "Hours")),
        Field("seats", INTEGER, L("座位", "Seats"), validators=(non_negative,)),
        Field("ideology", BOOL, L("涉及意识形态", "On ideology"), default=False),
        Field("tags", MULTI_CHOICE, L("标签", "Tags"), choices=choices(("study", "学习", "study"), ("forum", "论坛", "forum"))),
        Field("organizer", REFERENCE, L("组织者", "Organiser"), target="person"),
        Field("attendees", REFERENCES, L("参加者", "Attendees"), target="person"),
        Field("approver", REFERENCE, L("审批人", "Approver"), target="person"),
        Field("approved_on", DATE, L("审批日期", "Approved on")),
        Field("minutes", LONG_TEXT, L("纪要", "Minutes"), searchable=True),
    ),
    year_field="date",
    list_columns=("title", "date", "organizer"),
    workflow=Workflow(
        states=(State("draft", L("草稿", "draft")), State("approved", L("已批准", "approved")),
                State("held", L("已举行", "held")), State("cancelled", L("已取消", "cancelled"))),
        initial="draft",
        transitions=(
            Transition("approve", ("draft",), "approved", L("批准", "approve"), role="leader",
                       guards=(needs_approver,), warnings=(approver_is_organizer,), fields=("approver", "approved_on")),
            Transition("hold", ("approved",), "held", L("举行", "hold")),
            Transition("cancel", ("draft", "approved"), "cancelled", L("取消", "cancel")),
        ),
    ),
)


def check_meetings(ctx):
    need = ctx.setting("sample.meetings.min")
    held = ctx.records("meeting", in_year=True)
    finding = ctx.shortfall(len(held), need, L("会议 {have}/{need} 次", "{have} of {need} meetings").format(have=len(held), need=need),
                            [r.id for r in held])
    return [finding] if finding else []


@hookimpl
def duty_register_areas(register):
    register(Area("sample", L("示例", "Sample"), order=90))


@hookimpl
def duty_register_types(register):
    register(MEETING)


@hookimpl
def duty_register_settings(register):
    register(Setting("sample.meetings.min", INTEGER, 2, L("每年会议下限", "meetings a year, at least"), validators=(non_negative,)))


@hookimpl
def duty_register_rules(register):
    register(Rule("sample.meeting-count", "sample", L("会议次数", "meeting count"), check_meetings))


@hookimpl
def duty_validate(ledger, action, record_type, before, after):
    if record_type.name == "meeting" and after and after.get("title") == "forbidden":
        return [FieldError("title", L("这个题目不允许", "this title is not allowed"))]
    return []
