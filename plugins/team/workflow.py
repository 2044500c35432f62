"""A self-inspection's way from open to verified: the problems it found are rectified by their
due date (整改), then a leader checks and accepts the rectification (验收), or sends it back. An
inspection that found nothing is closed as verified at once.

Each guard looks at the record as it would be after the step and returns the reason it may not
happen; a warning has the same shape and lets the step happen.
"""

from __future__ import annotations

from typing import Any, Mapping

from duty_tui.i18n import L
from duty_tui.schema import State, Transition, Workflow

OPEN, RECTIFIED, VERIFIED = "open", "rectified", "verified"

Inspection = Mapping[str, Any]


def needs_rectified_on(inspection: Inspection) -> L | None:
    if not inspection.get("rectified_on"):
        return L("整改完成需要填写整改完成日期", "rectification needs the date it was completed")
    return None


def rectified_after_inspection(inspection: Inspection) -> L | None:
    done, date = inspection.get("rectified_on"), inspection.get("date")
    if done and date and done < date:
        return L("整改完成日期 {done} 早于自查日期 {date}", "rectified on {done}, before the inspection on {date}").format(
            done=done.isoformat(), date=date.isoformat())
    return None


def rectified_late(inspection: Inspection) -> L | None:
    done, due = inspection.get("rectified_on"), inspection.get("due")
    if done and due and done > due:
        return L("整改于 {done} 完成，晚于时限 {due}", "rectified on {done}, after its due date {due}").format(
            done=done.isoformat(), due=due.isoformat())
    return None


def needs_measures(inspection: Inspection) -> L | None:
    if inspection.get("findings") and not inspection.get("measures"):
        return L("未填写整改措施", "no rectification measures are recorded")
    return None


def needs_verifier(inspection: Inspection) -> L | None:
    if not (inspection.get("verified_by") and inspection.get("verified_on")):
        return L("验收需要验收人和验收日期", "verification needs the verifier and the date")
    return None


def verified_after_rectification(inspection: Inspection) -> L | None:
    verified, done = inspection.get("verified_on"), inspection.get("rectified_on") or inspection.get("date")
    if verified and done and verified < done:
        return L("验收日期 {verified} 早于整改完成日期 {done}", "verified on {verified}, before the rectification on {done}").format(
            verified=verified.isoformat(), done=done.isoformat())
    return None


def found_nothing(inspection: Inspection) -> L | None:
    if inspection.get("findings"):
        return L("自查发现了问题，应先整改再验收", "the inspection found problems: they are rectified before it is verified")
    return None


STATES = (
    State(OPEN, L("待整改", "open")),
    State(RECTIFIED, L("已整改", "rectified")),
    State(VERIFIED, L("已验收", "verified")),
)

SELF_INSPECTION_WORKFLOW = Workflow(
    states=STATES,
    initial=OPEN,
    transitions=(
        Transition("rectify", (OPEN,), RECTIFIED, L("整改完成", "rectify"),
                   guards=(needs_rectified_on, rectified_after_inspection), warnings=(needs_measures, rectified_late),
                   fields=("rectified_on", "measures")),
        Transition("verify", (RECTIFIED,), VERIFIED, L("验收", "verify"), role="leader",
                   guards=(needs_verifier, verified_after_rectification), fields=("verified_by", "verified_on")),
        Transition("reopen", (RECTIFIED,), OPEN, L("退回重新整改", "send back"), role="leader"),
        Transition("close", (OPEN,), VERIFIED, L("未发现问题，办结", "close (nothing found)"), role="leader",
                   guards=(found_nothing, needs_verifier, verified_after_rectification), fields=("verified_by", "verified_on")),
    ),
)
