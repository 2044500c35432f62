"""The leading group of a year, read from the ``leader`` records the leadership plugin keeps
(one row per term, ``since``/``until`` either end open): who was in it at some time in the
year, each person once, the first responsible person first. Empty when no plugin declares
``leader``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from duty_tui.ledger import Ledger, Record

ROLE_ORDER = ("first_responsible", "direct_responsible", "member")


@dataclass(frozen=True)
class Leader:
    person: str
    roles: tuple[str, ...]
    rows: tuple[str, ...]   # the ``leader`` record ids


def in_office(row: Record, start: dt.date, end: dt.date) -> bool:
    since, until = row.data.get("since") or dt.date.min, row.data.get("until") or dt.date.max
    return since <= end and until >= start


def leader_rows(ledger: Ledger, start: dt.date, end: dt.date) -> list[Record]:
    if "leader" not in ledger.registry.types:
        return []
    return [row for row in ledger.all("leader") if in_office(row, start, end)]


def leaders_of_year(ledger: Ledger, year: int) -> list[Leader]:
    rows = leader_rows(ledger, dt.date(year, 1, 1), dt.date(year, 12, 31))
    by_person: dict[str, list[Record]] = {}
    for row in rows:
        by_person.setdefault(row.data["person"], []).append(row)

    def rank(role: str) -> int:
        return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)

    leaders = []
    for person, own in by_person.items():
        roles = tuple(sorted({r.data.get("role") or "" for r in own}, key=rank))
        leaders.append(Leader(person, roles, tuple(r.id for r in own)))
    leaders.sort(key=lambda l: (rank(l.roles[0]) if l.roles else len(ROLE_ORDER), min(l.rows, key=row_number)))
    return leaders


def row_number(record_id: str) -> int:
    return int(record_id.rsplit("-", 1)[1])
