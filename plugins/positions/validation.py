"""What an event may not say whoever writes it: an approval recorded by someone who may not
approve (only the ``approve`` step or a leader sets the approver and the date), or a filing
before the approval."""

from __future__ import annotations

from duty_tui.errors import FieldError
from duty_tui.i18n import L

from .workflow import filed_after_approval

APPROVAL_FIELDS = ("approver", "approved_on")


def event_problems(ledger, action: str, before, after) -> list[FieldError]:
    problems = []
    changed = [f for f in APPROVAL_FIELDS if (before or {}).get(f) != after.get(f)]
    if changed and action != "transition:approve" and not ledger.can("transition:leader"):
        problems += [FieldError(f, L("批准由领导在流程中办理（“批准”一步），不能直接填写",
                                     "an approval is recorded by a leader through the workflow's “approve” step, not typed in"))
                     for f in changed]
    reason = filed_after_approval(after)
    if reason:
        problems.append(FieldError("filed_on", reason))
    return problems
