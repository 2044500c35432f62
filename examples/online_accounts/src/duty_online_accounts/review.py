"""Where each online account stands with its yearly review. Pure functions over records, shared
by the rule, the screen and the CLI command; no Textual.

An account registered before the year must be reviewed in it, by the last day of the month the
setting ``online_accounts.review.due_month`` names (December by default). One registered during
the year is new: its registration was its check. The record keeps the latest review only, so a
review dated in the year or later counts (the audit log keeps every earlier one).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from duty_tui.i18n import L

from .accounts import ACCOUNT

DUE_MONTH = "online_accounts.review.due_month"

REVIEWED, DUE, OVERDUE, NEW = "reviewed", "due", "overdue", "new"
STATUS_LABELS = {
    REVIEWED: L("已审核", "reviewed"),
    DUE: L("待审核", "due"),
    OVERDUE: L("逾期未审", "overdue"),
    NEW: L("本年新备案", "new this year"),
}
ORDER = {OVERDUE: 0, DUE: 1, NEW: 2, REVIEWED: 3}


def a_month(value: Any) -> L | None:
    return None if 1 <= value <= 12 else L("应为 1 到 12 之间的月份", "must be a month, 1 to 12")


def due_date(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def status_of(data: dict[str, Any], year: int, today: dt.date, due: dt.date) -> str | None:
    """The account's review status in ``year``; None when it was registered after the year."""
    registered, last = data.get("registered_on"), data.get("last_review")
    if registered is None or registered.year > year:
        return None
    if registered.year == year:
        return NEW
    if last is not None and last >= dt.date(year, 1, 1):
        return REVIEWED
    return OVERDUE if today > due else DUE


@dataclass(frozen=True)
class AccountReview:
    record: Any  # duty_tui.ledger.Record
    status: str
    due: dt.date


def reviews(ledger, year: int, today: dt.date, units: Iterable[str] | None = None) -> list[AccountReview]:
    """Every account that exists in ``year`` (of those units, when given), overdue ones first."""
    due = due_date(year, ledger.setting(DUE_MONTH))
    wanted = None if units is None else set(units)
    out = []
    for record in ledger.all(ACCOUNT):
        if wanted is not None and record.data.get("unit") not in wanted:
            continue
        status = status_of(record.data, year, today, due)
        if status is not None:
            out.append(AccountReview(record, status, due))
    return sorted(out, key=lambda r: (ORDER[r.status], r.record.data["account_name"]))
