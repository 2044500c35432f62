"""An event's way from draft to held: submitted for approval, approved by a leader (谁审批谁监督),
filed with the municipal propaganda department, then held — approval and filing both on or
before the event's date. A submitted event may be rejected; any event not yet held may be
cancelled.

Each guard looks at the event as it would be after the step and returns the reason it may not
happen; a warning has the same shape and lets the step happen.
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
        return L("报批前请填写组织者(谁组织谁负责)", "name the organiser before submitting it (whoever organises answers for it)")
    return None


def needs_approver_and_date(event: Event) -> L | None:
    if not is_approved(event):
        return L("批准需要审批人和批准日期", "approval needs the approver and the approval date")
    return None


def approved_before_filing(event: Event) -> L | None:
    if not is_approved(event):
        return L("尚未批准,不能备案:先经领导批准,再报市委宣传部备案",
                 "not approved yet, so it cannot be filed: a leader approves it first, then it is filed with the propaganda department")
    return None


def needs_filing_date(event: Event) -> L | None:
    if is_approved(event) and not event.get("filed_on"):
        return L("备案需要备案日期", "filing needs the filing date")
    return None


def filed_after_approval(event: Event) -> L | None:
    filed, approved = event.get("filed_on"), event.get("approved_on")
    if filed and approved and filed < approved:
        return L("备案日期 {filed} 早于批准日期 {approved}:应先批准后备案", "filed on {filed}, before its approval on {approved}: it is approved first, then filed").format(
            filed=filed.isoformat(), approved=approved.isoformat())
    return None


def approved_before_holding(event: Event) -> L | None:
    if not is_approved(event):
        return L("尚未经领导批准,不能标记为已举行", "not approved by a leader, so it cannot be marked as held")
    return None


def filed_before_holding(event: Event) -> L | None:
    if not event.get("filed_on"):
        return L("尚未报市委宣传部备案,不能标记为已举行", "not filed with the municipal propaganda department, so it cannot be marked as held")
    return None


def approved_in_time(event: Event) -> L | None:
    approved, date = event.get("approved_on"), event.get("date")
    if approved and date and approved > date:
        return L("批准日期 {approved} 晚于举办日期 {date}:应事先批准", "approved on {approved}, after its date {date}: approval comes before the event").format(
            approved=approved.isoformat(), date=date.isoformat())
    return None


def filed_in_time(event: Event) -> L | None:
    filed, date = event.get("filed_on"), event.get("date")
    if filed and date and filed > date:
        return L("备案日期 {filed} 晚于举办日期 {date}:应事先备案", "filed on {filed}, after its date {date}: filing comes before the event").format(
            filed=filed.isoformat(), date=date.isoformat())
    return None


def approver_is_organizer(event: Event) -> L | None:
    if event.get("approver") and event.get("approver") == event.get("organizer"):
        return L("审批人也是组织者:谁组织谁负责、谁审批谁监督,宜由另一位领导审批",
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
                   guards=(needs_approver_and_date,), warnings=(approver_is_organizer, approved_in_time)),
        Transition("reject", (SUBMITTED,), REJECTED, L("不予批准", "reject"), role="leader"),
        Transition("file", (SUBMITTED, APPROVED), FILED, L("备案", "file"),
                   guards=(approved_before_filing, needs_filing_date, filed_after_approval), warnings=(filed_in_time,)),
        Transition("hold", (APPROVED, FILED), HELD, L("举行", "hold"),
                   guards=(approved_before_holding, filed_before_holding, approved_in_time, filed_in_time)),
        Transition("cancel", (DRAFT, SUBMITTED, APPROVED, FILED), CANCELLED, L("取消", "cancel")),
    ),
)
