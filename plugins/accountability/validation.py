"""What a case and a responsible person may not say whoever writes them: a decision typed in by
someone who may not decide (only the ``decide`` step or a leader records it), a decision with
nobody answerable named, dates out of order, a measure for the Party organisation of a case that
names no unit; a person named twice on one case, exempt by a recorded dissent and yet given a
decision, or a decision put in the personal file before it was dated or without a measure."""

from __future__ import annotations

from duty_tui.errors import FieldError
from duty_tui.i18n import L

from .workflow import after_decision_problems, decided_after_occurrence

DECISION_FIELDS = ("decision", "decided_on", "decided_by", "deciding_body", "decision_no", "org_measure")


def case_problems(ledger, action: str, before, after) -> list[FieldError]:
    problems = []
    changed = [f for f in DECISION_FIELDS if (before or {}).get(f) != after.get(f)]
    if changed and action != "transition:decide" and not ledger.can("transition:leader"):
        problems += [FieldError(f, L("处理决定由领导在流程中作出（“作出决定”一步），不能直接填写",
                                     "a decision is recorded by a leader through the workflow's “decide” step, not typed in"))
                     for f in changed]
    if action == "transition:decide" and after.get("id"):
        answering = [p for p in ledger.all("case_party", case=after["id"]) if not p.data.get("dissent_recorded")]
        if not answering:
            problems.append(FieldError("state", L("作出决定前请认定至少一名责任人（不同意见记录在案者免责）",
                                                  "name at least one responsible person before deciding (one whose dissent is recorded is exempt)")))
    reason = decided_after_occurrence(after)
    if reason:
        problems.append(FieldError("decided_on", reason))
    problems += [FieldError(field, reason) for field, reason in after_decision_problems(after)]
    if after.get("org_measure") and not after.get("unit"):
        problems.append(FieldError("org_measure", L("对党组织的问责需要先填写涉及单位", "a measure for a Party organisation needs the case's unit")))
    return problems


def party_problems(ledger, after) -> list[FieldError]:
    problems = []
    if after.get("dissent_recorded"):
        if after.get("decision"):
            problems.append(FieldError("decision", L("不同意见记录在案者免责，不作处理", "a dissent on record exempts: no decision for this person")))
        if not after.get("dissent_notes"):
            problems.append(FieldError("dissent_notes", L("请写明不同意见记录在何处（如会议记录）", "say where the dissent is recorded (e.g. which minutes)")))
    filed = after.get("filed_in_personal_file_on")
    if filed and not after.get("decision"):
        problems.append(FieldError("filed_in_personal_file_on", L("没有问责方式，无需归入个人档案", "no measure was taken: nothing to put in the file")))
    case, person = after.get("case"), after.get("person")
    record = ledger.find(case) if case and filed else None
    # only against a decision already dated: a ledger restored from spreadsheets names the persons
    # (with their file dates) before the case is moved to decided, which needs them named
    if record is not None:
        decided = record.data.get("decided_on")
        if decided and filed < decided:
            problems.append(FieldError("filed_in_personal_file_on", L("归档日期 {filed} 早于决定日期 {decided}",
                                                                      "put in the file on {filed}, before the decision on {decided}").format(
                filed=filed.isoformat(), decided=decided.isoformat())))
    if case and person:
        twice = [p.id for p in ledger.all("case_party", case=case, person=person) if p.id != after.get("id")]
        if twice:
            problems.append(FieldError("person", L("{person} 已是该案件的责任人（{other}）", "{person} is already named on this case ({other})").format(
                person=person, other=twice[0])))
    return problems
