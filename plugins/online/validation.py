"""What an incident may not say whoever writes it: a day it was handled, reported up or briefed
before the day it was found (the briefing is read from the record named)."""

from __future__ import annotations

from duty_tui.errors import FieldError
from duty_tui.i18n import L

BEFORE_FOUND = {
    "handled_on": L("处置日期不能早于发现日期 {found}", "cannot be handled before it was found, on {found}"),
    "reported_up_on": L("报告上级日期不能早于发现日期 {found}", "cannot be reported up before it was found, on {found}"),
}


def incident_problems(ledger, after) -> list[FieldError]:
    found = after.get("found_on")
    if found is None:
        return []
    problems = [FieldError(name, reason.format(found=found.isoformat()))
                for name, reason in BEFORE_FOUND.items() if after.get(name) is not None and after[name] < found]
    briefing = ledger.find(after["briefing"]) if after.get("briefing") else None
    if briefing is not None and briefing.data.get("date") is not None and briefing.data["date"] < found:
        problems.append(FieldError("briefing", L("所选党内通报（{date}）早于舆情发现日期 {found}，不可能通报此事",
                                                 "the briefing chosen ({date}) is dated before the incident was found, on {found}: "
                                                 "it cannot brief it").format(date=briefing.data["date"].isoformat(), found=found.isoformat())))
    return problems
