"""Times and dates as a person reads them, in the store's time zone (setting ``org.timezone``).

The audit chain and every stored time stay UTC (``2026-11-29T22:30:00.000Z``); what a face or a
document shows is the same instant in the store's zone (``2026-11-30 06:30``), and a document's
date is written the way the office writes it (``2026年11月30日``). No Textual here.

For a loop over many times, read the zone once (``zone = ledger.zone()``) and give it to
:func:`time_text`; :func:`local_time` reads it for one time.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..dates import MONTHS_EN, in_zone

if TYPE_CHECKING:
    from ..ledger import Ledger


def time_text(ts: str, zone: dt.tzinfo | None, *, seconds: bool = False) -> str:
    """A stored UTC time in ``zone`` (``None``: the machine's zone): ``2026-11-30 06:30``
    (``:ss`` with ``seconds``). Text that is not a time is shown as it is."""
    if not ts:
        return ""
    try:
        moment = in_zone(ts, zone)
    except (TypeError, ValueError):
        return str(ts)
    return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def local_time(ledger: "Ledger", ts: str, *, seconds: bool = False) -> str:
    """A stored UTC time (an audit entry's, a record's ``created_at``) in the store's zone."""
    return time_text(ts, ledger.zone(), seconds=seconds)


def chinese_date(day: dt.date) -> str:
    """``2026年11月30日``: the date of a document's 落款, in Arabic digits, no padding, no spaces
    (GB/T 9704-2012 7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_date(day: dt.date, lang: str) -> str:
    """A document's date in its language: ``2026年11月30日`` / ``30 November 2026``."""
    return chinese_date(day) if lang == "zh" else f"{day.day} {MONTHS_EN[day.month]} {day.year}"


def document_time(moment: dt.datetime, lang: str) -> str:
    """A printing time in a document: ``2026年11月30日 06:30`` / ``30 November 2026, 06:30``."""
    return f"{document_date(moment.date(), lang)}{' ' if lang == 'zh' else ', '}{moment:%H:%M}"
