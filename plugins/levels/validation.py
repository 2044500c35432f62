"""What an agreement and a supervision may not say whoever writes them: a second agreement for
the same unit and year, an agreement with the committee itself or signed after its year, a
supervision with nobody named as supervising, problems with no due date, dates out of order."""

from __future__ import annotations

from duty_tui.errors import FieldError
from duty_tui.i18n import L


def before(later_field: str, later, earlier, message: L) -> list[FieldError]:
    if later and earlier and later < earlier:
        return [FieldError(later_field, message.format(later=later.isoformat(), earlier=earlier.isoformat()))]
    return []


def agreement_problems(ledger, after) -> list[FieldError]:
    problems = []
    unit, year = after.get("unit"), after.get("year")
    record = ledger.find(unit) if unit else None
    if record is not None and record.data.get("kind") == "committee":
        problems.append(FieldError("unit", L("责任书由党委与下属单位签订，责任单位不能是党委本身",
                                             "the committee signs with the units below it: the unit cannot be the committee itself")))
    if unit and year:
        same = ledger.query("agreement", where={"unit": unit, "year": year}, limit=2)
        if any(r.id != after.get("id") for r in same):
            problems.append(FieldError("year", L("该单位 {year} 年度已有责任书", "the unit already has an agreement for {year}").format(year=year)))
    signed = after.get("signed_on")
    if signed and year and signed.year > year:
        problems.append(FieldError("signed_on", L("签订日期（{signed}）晚于责任书年度 {year}", "signed on {signed}, after the agreement's year {year}").format(
            signed=signed.isoformat(), year=year)))
    return problems


def supervision_problems(after) -> list[FieldError]:
    problems = []
    if not after.get("by") and not after.get("group"):
        problems.append(FieldError("by", L("请填写督查人员或督查组", "give who supervised, or the inspection group")))
    if after.get("findings") and not after.get("due"):
        problems.append(FieldError("due", L("发现了问题，请填写整改时限", "problems were found: give the due date of their rectification")))
    if after.get("problems") and not after.get("findings"):
        problems.append(FieldError("findings", L("问题数为 {n}，请写明发现的问题", "{n} problem(s) counted: say what they are").format(n=after["problems"])))
    date = after.get("date")
    problems += before("due", after.get("due"), date,
                       L("整改时限（{later}）不能早于督查日期（{earlier}）", "the due date ({later}) cannot be before the supervision ({earlier})"))
    problems += before("rectified_on", after.get("rectified_on"), date,
                       L("整改完成日期（{later}）不能早于督查日期（{earlier}）", "rectified on ({later}) cannot be before the supervision ({earlier})"))
    problems += before("briefed_on", after.get("briefed_on"), date,
                       L("通报日期（{later}）不能早于督查日期（{earlier}）", "briefed on ({later}) cannot be before the supervision ({earlier})"))
    return problems
