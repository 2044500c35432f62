"""A supervision's way from open to verified, the pattern of team's self-inspection (copied, not
imported: no built-in plugin imports another): the problems it found are rectified by their due
date (整改), then a leader checks and accepts the rectification (验收), or sends it back. A
supervision that found nothing is closed as verified at once.

Each guard looks at the record as it would be after the step and returns the reason it may not
happen; a warning has the same shape and lets the step happen."""

from __future__ import annotations

from typing import Any, Mapping

from duty_tui.i18n import L
from duty_tui.schema import State, Transition, Workflow

OPEN, RECTIFIED, VERIFIED = "open", "rectified", "verified"
DONE = (RECTIFIED, VERIFIED)

Supervision = Mapping[str, Any]


def needs_rectified_on(s: Supervision) -> L | None:
    if not s.get("rectified_on"):
        return L("整改完成需要填写整改完成日期", "rectification needs the date it was completed")
    return None


def rectified_after_supervision(s: Supervision) -> L | None:
    done, date = s.get("rectified_on"), s.get("date")
    if done and date and done < date:
        return L("整改完成日期 {done} 早于督查日期 {date}", "rectified on {done}, before the supervision on {date}").format(
            done=done.isoformat(), date=date.isoformat())
    return None


def rectified_late(s: Supervision) -> L | None:
    done, due = s.get("rectified_on"), s.get("due")
    if done and due and done > due:
        return L("整改于 {done} 完成，晚于时限 {due}", "rectified on {done}, after its due date {due}").format(
            done=done.isoformat(), due=due.isoformat())
    return None


def needs_verifier(s: Supervision) -> L | None:
    if not (s.get("verified_by") and s.get("verified_on")):
        return L("验收需要验收人和验收日期", "verification needs the verifier and the date")
    return None


def verified_after_rectification(s: Supervision) -> L | None:
    verified, done = s.get("verified_on"), s.get("rectified_on") or s.get("date")
    if verified and done and verified < done:
        return L("验收日期 {verified} 早于整改完成日期 {done}", "verified on {verified}, before the rectification on {done}").format(
            verified=verified.isoformat(), done=done.isoformat())
    return None


def found_nothing(s: Supervision) -> L | None:
    if s.get("findings"):
        return L("督查发现了问题，应先整改再验收", "the supervision found problems: they are rectified before it is verified")
    return None


STATES = (
    State(OPEN, L("待整改", "open")),
    State(RECTIFIED, L("已整改", "rectified")),
    State(VERIFIED, L("已验收", "verified")),
)

SUPERVISION_WORKFLOW = Workflow(
    states=STATES,
    initial=OPEN,
    transitions=(
        Transition("rectify", (OPEN,), RECTIFIED, L("整改完成", "rectify"),
                   guards=(needs_rectified_on, rectified_after_supervision), warnings=(rectified_late,),
                   fields=("rectified_on",)),
        Transition("verify", (RECTIFIED,), VERIFIED, L("验收", "verify"), role="leader",
                   guards=(needs_verifier, verified_after_rectification), fields=("verified_by", "verified_on")),
        Transition("reopen", (RECTIFIED,), OPEN, L("退回重新整改", "send back"), role="leader"),
        Transition("close", (OPEN,), VERIFIED, L("未发现问题，办结", "close (nothing found)"), role="leader",
                   guards=(found_nothing, needs_verifier, verified_after_rectification), fields=("verified_by", "verified_on")),
    ),
)
