"""When a ``leader`` row holds — from ``since`` to ``until``, either end open; a row is current in
a year when its term overlaps the year — and which units its divisions cover."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping

from duty_tui.ledger import Record

EARLIEST, LATEST = dt.date.min, dt.date.max


def term(data: Mapping[str, Any]) -> tuple[dt.date, dt.date]:
    return data.get("since") or EARLIEST, data.get("until") or LATEST


def current_in(data: Mapping[str, Any], start: dt.date, end: dt.date) -> bool:
    since, until = term(data)
    return since <= end and until >= start


def overlapping(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two terms that share at least one day (a handover from one day to the next does not)."""
    a_since, a_until = term(a)
    b_since, b_until = term(b)
    return a_since <= b_until and b_since <= a_until


def current_leaders(rows: Iterable[Record], year: int) -> list[Record]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return [r for r in rows if current_in(r.data, start, end)]


def covered_units(rows: Iterable[Record]) -> set[str]:
    """The units in these rows' divisions."""
    return {unit for row in rows for unit in row.data.get("divisions") or []}
