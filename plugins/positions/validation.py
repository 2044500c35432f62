"""What an event may not say whoever writes it: an approval recorded by someone who may not
approve (only the ``approve`` step or a leader sets the approver and the date), a filing before
the approval, or an approval while a speaker is not vetted (不得邀请政治倾向有明显偏差的报告人: the
approve step is refused, naming each speaker and why; a speaker added once it is approved must
be vetted already). And what a speaker's vetting needs: a
conclusion comes with the day and the person who vetted, and holds no earlier than it was made.

The approval's speaker check lives here, not among the workflow's guards: a guard sees only the
event, and the speakers are records of their own."""

from __future__ import annotations

from duty_tui.errors import FieldError
from duty_tui.i18n import L

from .vetting import speaker_problems
from .workflow import APPROVED, FILED, filed_after_approval

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
    if action == "transition:approve" and after.get("date"):
        day = after.get("approved_on") or ledger.today()
        for _sid, why in speaker_problems(ledger, after.get("registered_speakers") or (), after["date"], day):
            problems.append(FieldError("registered_speakers", L("不能批准：{why}", "cannot approve: {why}").format(why=why)))
    elif action == "update" and after.get("date") and after.get("id"):
        problems += added_speakers_problems(ledger, before, after)
    return problems


def added_speakers_problems(ledger, before, after) -> list[FieldError]:
    """A speaker added to an event already approved (and not yet held) is vetted as the approval's
    were, by today: the approval is not got round by changing the speakers after it. An event held
    records who spoke, vetted or not (the rule then finds it)."""
    added = [s for s in after.get("registered_speakers") or () if s not in ((before or {}).get("registered_speakers") or ())]
    if not added:
        return []
    current = ledger.find(after["id"])
    if current is None or current.state not in (APPROVED, FILED):
        return []
    return [FieldError("registered_speakers", L("活动已批准，新增的报告人须已经审查：{why}", "the event is approved, so a speaker added must be vetted: {why}").format(why=why))
            for _sid, why in speaker_problems(ledger, added, after["date"], ledger.today())]


def speaker_problems_of(after) -> list[FieldError]:
    """A speaker's own record: a conclusion needs the day and the vetter; the validity ends no
    earlier than the vetting."""
    problems = []
    if after.get("conclusion"):
        if not after.get("vetted_on"):
            problems.append(FieldError("vetted_on", L("填写审查结论时需填写审查日期", "a conclusion needs the day of the vetting")))
        if not after.get("vetted_by"):
            problems.append(FieldError("vetted_by", L("填写审查结论时需填写审查人（谁审查谁负责）", "a conclusion needs who vetted (whoever vets answers for it)")))
    vetted, until = after.get("vetted_on"), after.get("valid_until")
    if vetted and until and until < vetted:
        problems.append(FieldError("valid_until", L("有效期至 {until} 早于审查日期 {vetted}", "valid until {until}, before the vetting on {vetted}").format(
            until=until.isoformat(), vetted=vetted.isoformat())))
    if until and not vetted:
        problems.append(FieldError("valid_until", L("尚未审查，不能填写有效期", "not vetted yet, so it has no validity")))
    return problems
