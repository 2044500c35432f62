"""The responsibility structure of one year at a glance: the leading group by role, the units in
each member's divisions, and the units nobody covers. What the structure screen shows, and
nothing Textual, so tests read it without a screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from duty_tui.ledger import Ledger
from duty_tui.store import Filter

from .tenure import covered_units, current_leaders, overlapping
from .types import COVERED_UNIT_KINDS, DIRECT_RESPONSIBLE, DONE, FIRST_RESPONSIBLE, MEMBER

ROLE_ORDER = (FIRST_RESPONSIBLE, DIRECT_RESPONSIBLE, MEMBER)


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class Member:
    """One current ``leader`` row, with the names it refers to."""

    record_id: str
    person_id: str
    name: str
    post: str
    role: str
    duties: str
    since: dt.date | None
    until: dt.date | None
    divisions: tuple[Unit, ...]
    open_duties: int = 0


@dataclass
class Structure:
    year: int
    members: list[Member] = field(default_factory=list)
    uncovered: list[Unit] = field(default_factory=list)

    def in_role(self, role: str) -> list[Member]:
        return [m for m in self.members if m.role == role]

    def overlapping_first_responsible(self) -> bool:
        """Two first responsible persons whose terms share a day (a handover does not)."""
        terms = [{"since": m.since, "until": m.until} for m in self.in_role(FIRST_RESPONSIBLE)]
        return any(overlapping(a, b) for i, a in enumerate(terms) for b in terms[i + 1:])


def build_structure(ledger: Ledger, year: int) -> Structure:
    rows = current_leaders(ledger.all("leader"), year)
    rows.sort(key=lambda r: (ROLE_ORDER.index(r.data["role"]) if r.data["role"] in ROLE_ORDER else 9, r.data.get("since") or dt.date.min, r.id))
    person_ids = tuple(sorted({r.data["person"] for r in rows}))
    persons = {p.id: p for p in ledger.query("person", filters=(Filter("id", "in", person_ids),), limit=None)} if person_ids else {}
    units = {u.id: Unit(u.id, str(u.data.get("name") or u.id), str(u.data.get("kind") or "")) for u in ledger.all("unit")}
    open_duties: dict[str, int] = {}
    for item in ledger.all("duty_item", year=year):
        if item.data.get("status") != DONE:
            open_duties[item.data["owner"]] = open_duties.get(item.data["owner"], 0) + 1
    structure = Structure(year)
    for row in rows:
        person = persons.get(row.data["person"])
        divisions = tuple(units.get(u, Unit(u, u, "")) for u in row.data.get("divisions") or [])
        structure.members.append(Member(
            row.id, row.data["person"], str(person.data.get("name")) if person else row.data["person"],
            str(person.data.get("post") or "") if person else "", row.data["role"], row.data.get("duties") or "",
            row.data.get("since"), row.data.get("until"), divisions, open_duties.get(row.data["person"], 0)))
    covered = covered_units(rows)
    structure.uncovered = [u for u in units.values() if u.kind in COVERED_UNIT_KINDS and u.id not in covered]
    return structure
