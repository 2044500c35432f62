"""An event's way from draft to held: submitted for approval, approved by a leader (谁审批谁监督),
filed with the municipal propaganda department, then held — approval and filing both on or
before the event's date. A submitted event may be rejected; any event not yet held may be
cancelled.

Each guard looks at the event as it would be after the step and returns the reason it may not
happen; a warning has the same shape and lets the step happen. The ledger adds ``today`` (its
clock's day) to what a guard sees, so an event is not marked held before its date.

Each step takes one state to the next and sets its own fields (``Transition.fields``): an event
is filed only once approved and held only once filed, so no step passes over another's state.
A refusal of something that already happened says what to do, never to change its dates.
"""

from __future__ import annotations

from typing import Any, Mapping

from duty_tui.i18n import L
from duty_tui.schema import State, Transition, Workflow

DRAFT, SUBMITTED, APPROVED, FILED, HELD, REJECTED, CANCELLED = (
    "draft", "submitted", "approved", "filed", "held", "rejected", "cancelled")
NOT_HAPPENING = (REJECTED, CANCELLED)

Event = Mapping[str, Any]


def is_approved(event: Event) -> bool:
    return bool(event.get("approver") and event.get("approved_on"))


def needs_organizer(event: Event) -> L | None:
    if not event.get("organizer"):
        return L("报批前请填写组织者（谁组织谁负责）", "name the organiser before submitting it (whoever organises answers for it)")
    return None


def needs_approver_and_date(event: Event) -> L | None:
    if not is_approved(event):
        return L("批准需要审批人和批准日期", "approval needs the approver and the approval date")
    return None


def approved_before_filing(event: Event) -> L | None:
    if not is_approved(event):
        return L("尚未批准，不能备案：先经领导批准，再报市委宣传部备案",
                 "not approved yet, so it cannot be filed: a leader approves it first, then it is filed with the propaganda department")
    return None


def needs_filing_date(event: Event) -> L | None:
    if is_approved(event) and not event.get("filed_on"):
        return L("备案需要备案日期", "filing needs the filing date")
    return None


def filed_after_approval(event: Event) -> L | None:
    filed, approved = event.get("filed_on"), event.get("approved_on")
    if filed and approved and filed < approved:
        return L("备案日期 {filed} 早于批准日期 {approved}：应先批准后备案", "filed on {filed}, before its approval on {approved}: it is approved first, then filed").format(
            filed=filed.isoformat(), approved=approved.isoformat())
    return None


def approved_before_holding(event: Event) -> L | None:
    if not is_approved(event):
        return L("尚未经领导批准，不能标记为已举行", "not approved by a leader, so it cannot be marked as held")
    return None


def filed_before_holding(event: Event) -> L | None:
    if not event.get("filed_on"):
        return L("尚未报市委宣传部备案，不能标记为已举行", "not filed with the municipal propaganda department, so it cannot be marked as held")
    return None


def approved_in_time(event: Event) -> L | None:
    approved, date = event.get("approved_on"), event.get("date")
    if approved and date and approved > date:
        return L("批准日期 {approved} 晚于举办日期 {date}：应事先批准", "approved on {approved}, after its date {date}: approval comes before the event").format(
            approved=approved.isoformat(), date=date.isoformat())
    return None


def filed_in_time(event: Event) -> L | None:
    filed, date = event.get("filed_on"), event.get("date")
    if filed and date and filed > date:
        return L("备案日期 {filed} 晚于举办日期 {date}：应事先备案", "filed on {filed}, after its date {date}: filing comes before the event").format(
            filed=filed.isoformat(), date=date.isoformat())
    return None


def held_after_prior_approval(event: Event) -> L | None:
    approved, date = event.get("approved_on"), event.get("date")
    if approved and date and approved > date:
        return L("批准日期 {approved} 晚于活动日期 {date}：这次活动未经事先批准，应作为问题处理（登记、说明、整改），而不是改写日期",
                 "approved on {approved}, after the event's date {date}: it took place without prior approval; "
                 "treat that as a problem to record and rectify, not as dates to rewrite").format(
            approved=approved.isoformat(), date=date.isoformat())
    return None


def held_after_prior_filing(event: Event) -> L | None:
    filed, date = event.get("filed_on"), event.get("date")
    if filed and date and filed > date:
        return L("备案日期 {filed} 晚于活动日期 {date}：这次活动未经事先备案，应作为问题处理（登记、说明、整改），而不是改写日期",
                 "filed on {filed}, after the event's date {date}: it took place without prior filing; "
                 "treat that as a problem to record and rectify, not as dates to rewrite").format(
            filed=filed.isoformat(), date=date.isoformat())
    return None


def not_in_future(event: Event) -> L | None:
    date, today = event.get("date"), event.get("today")
    if date and today and date > today:
        return L("活动日期 {date} 还没到（今天是 {today}）：活动举行之后再标记为已举行",
                 "the event's date {date} has not come yet (today is {today}): mark it held once it has taken place").format(
            date=date.isoformat(), today=today.isoformat())
    return None


def approver_is_organizer(event: Event) -> L | None:
    if event.get("approver") and event.get("approver") == event.get("organizer"):
        return L("审批人也是组织者：谁组织谁负责、谁审批谁监督，宜由另一位领导审批",
                 "the approver is also the organiser: whoever organises answers for it and whoever approves supervises it, "
                 "so another leader should approve")
    return None


STATES = (
    State(DRAFT, L("草稿", "draft")),
    State(SUBMITTED, L("已报批", "submitted")),
    State(APPROVED, L("已批准", "approved")),
    State(FILED, L("已备案", "filed")),
    State(HELD, L("已举行", "held")),
    State(REJECTED, L("未获批准", "rejected")),
    State(CANCELLED, L("已取消", "cancelled")),
)

EVENT_WORKFLOW = Workflow(
    states=STATES,
    initial=DRAFT,
    transitions=(
        Transition("submit", (DRAFT,), SUBMITTED, L("报批", "submit"), guards=(needs_organizer,)),
        Transition("approve", (SUBMITTED,), APPROVED, L("批准", "approve"), role="leader",
                   guards=(needs_approver_and_date,), warnings=(approver_is_organizer, approved_in_time),
                   fields=("approver", "approved_on")),
        Transition("reject", (SUBMITTED,), REJECTED, L("不予批准", "reject"), role="leader"),
        Transition("file", (APPROVED,), FILED, L("备案", "file"),
                   guards=(approved_before_filing, needs_filing_date, filed_after_approval), warnings=(filed_in_time,),
                   fields=("filed_on", "filing_no")),
        Transition("hold", (FILED,), HELD, L("举行", "hold"),
                   guards=(approved_before_holding, filed_before_holding, not_in_future, held_after_prior_approval,
                           held_after_prior_filing)),
        Transition("cancel", (DRAFT, SUBMITTED, APPROVED, FILED), CANCELLED, L("取消", "cancel")),
    ),
)
