"""What a self-inspection and a contact may not say whoever writes them: a problem found with no
due date for its rectification, dates out of order, a contact whose term ends before it starts."""

from __future__ import annotations

from duty_tui.errors import FieldError
from duty_tui.i18n import L


def before(later_field: str, later, earlier, message: L) -> list[FieldError]:
    if later and earlier and later < earlier:
        return [FieldError(later_field, message.format(later=later.isoformat(), earlier=earlier.isoformat()))]
    return []


def self_inspection_problems(after) -> list[FieldError]:
    problems = []
    if after.get("findings") and not after.get("due"):
        problems.append(FieldError("due", L("发现了问题，请填写整改时限", "problems were found: give the due date of their rectification")))
    problems += before("due", after.get("due"), after.get("date"),
                       L("整改时限（{later}）不能早于自查日期（{earlier}）", "the due date ({later}) cannot be before the inspection ({earlier})"))
    problems += before("rectified_on", after.get("rectified_on"), after.get("date"),
                       L("整改完成日期（{later}）不能早于自查日期（{earlier}）", "rectified on ({later}) cannot be before the inspection ({earlier})"))
    return problems


def contact_problems(after) -> list[FieldError]:
    return before("until", after.get("until"), after.get("since"),
                  L("联系止（{later}）不能早于联系起（{earlier}）", "“until” ({later}) cannot be before “since” ({earlier})"))
