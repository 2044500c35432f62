"""Which persons a finding concerns, for the leaders' scorecards.

A finding concerns the persons the records it names lead to:

* a **person** leads to that person; a ``leader`` row, a duty item, a duty report, an
  appraisal, a pre-appointment review to the person they are about (``person`` / ``owner``);
* an **event** to its organiser and its approver (谁组织谁负责、谁审批谁监督), an **outlet** to its
  responsible person, a **self-inspection** to the person responsible for its rectification, a
  **contact** to its liaison cadre, a **liaison activity** to its cadre, an outlet review and a
  post on an own outlet (publication) to the outlet's responsible person, an opinion incident to
  the person handling it, a secretary's act to the secretary; a speaker, an analysis, an agreement
  and a supervision to nobody of their own (the event, the unit or the committee answers);
* a **case** to the responsible persons it names (a case party whose dissent was recorded is
  exempt, so it leads to nobody);
* a record that names a **unit** (an event's organising unit, an outlet's, a self-inspection's,
  a duty item's, a case's), and a unit itself, also lead to the leaders whose divisions hold the
  unit (一岗双责), or the unit above it when nobody's do;
* a record of a type not listed leads through its person references and its unit reference.

A finding whose records lead to nobody — a count of the committee's own ("4 of 6 study
sessions"), a role left empty, a unit nobody covers — concerns the committee, and so its first
and its direct responsible persons (书记是第一责任人, 分管宣传的领导是直接责任人).

The lookups read what other plugins declare by type and field name (a data contract), never
their modules. No Textual here.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from duty_tui.ledger import Ledger, Record
from duty_tui.rules import Finding
from duty_tui.schema import REFERENCE
from duty_tui.store import Filter

from .leaders import leader_rows

# the fields naming the persons who answer for a record are declared by each type, as
# RecordType.answerable_fields (a speaker's, an agreement's, a supervision's: none of their own —
# the event's organiser and approver invited the speaker, the unit answers for its gaps)
# type → the field naming the unit a record belongs to
UNIT_FIELDS = {"event": "organizer_unit", "outlet": "unit", "self_inspection": "unit", "duty_item": "unit", "case": "unit",
               "opinion_incident": "unit", "agreement": "unit", "supervision": "unit"}
# type → a reference to follow instead (the record answers as the one it refers to): a post that
# went out without its reviews answers as its outlet (the outlet's responsible person)
VIA = {"outlet_review": "outlet", "publication": "outlet"}

FIRST, DIRECT = "first_responsible", "direct_responsible"


class Concerns:
    """Who the findings of one year concern; reads each record once."""

    def __init__(self, ledger: Ledger, year: int) -> None:
        self.ledger = ledger
        self.rows = leader_rows(ledger, dt.date(year, 1, 1), dt.date(year, 12, 31))
        self._records: dict[str, Record | None] = {}
        self._units: dict[str, Record] | None = None

    # -- reading -------------------------------------------------------------------------------
    def record(self, record_id: str) -> Record | None:
        if record_id not in self._records:
            self._records[record_id] = self.ledger.find(record_id)
        return self._records[record_id]

    def preload(self, ids: Iterable[str]) -> None:
        """Read the records many findings name, one query per type."""
        by_type: dict[str, list[str]] = {}
        for rid in set(ids) - set(self._records):
            by_type.setdefault(rid.rsplit("-", 1)[0], []).append(rid)
        for type_name, wanted in by_type.items():
            if type_name not in self.ledger.registry.types:
                continue
            for record in self.ledger.query(type_name, filters=(Filter("id", "in", tuple(sorted(wanted))),), limit=None):
                self._records[record.id] = record

    def units(self) -> dict[str, Record]:
        if self._units is None:
            self._units = {u.id: u for u in self.ledger.all("unit")}
        return self._units

    # -- the chain -------------------------------------------------------------------------------
    def committee(self) -> set[str]:
        return {row.data["person"] for row in self.rows if row.data.get("role") in (FIRST, DIRECT)}

    def unit_holders(self, unit_id: str) -> set[str]:
        """The leaders whose divisions hold the unit, else the unit above it, and so on."""
        seen: set[str] = set()
        while unit_id and unit_id not in seen:
            seen.add(unit_id)
            holders = {row.data["person"] for row in self.rows if unit_id in (row.data.get("divisions") or [])}
            if holders:
                return holders
            unit = self.units().get(unit_id)
            unit_id = unit.data.get("parent") if unit else None
        return set()

    def person_fields(self, kind: str) -> tuple[str, ...] | None:
        """The fields a type declares as naming who answers for it (None: it declares none)."""
        rt = self.ledger.registry.types.get(kind)
        return rt.answerable_fields if rt is not None else None

    def case_parties(self, case_id: str) -> set[str]:
        if "case_party" not in self.ledger.registry.types:
            return set()
        return {p.data["person"] for p in self.ledger.all("case_party", case=case_id) if not p.data.get("dissent_recorded")}

    def of_record(self, record_id: str, depth: int = 0) -> set[str]:
        record = self.record(record_id)
        if record is None:
            return set()
        kind, data = record.type, record.data
        if kind == "person":
            return {record.id}
        if kind == "unit":
            return self.unit_holders(record.id)
        if kind == "case":
            persons = self.case_parties(record.id)
        elif kind == "case_party":
            persons = set() if data.get("dissent_recorded") else {data["person"]}
        elif kind in VIA:
            target = data.get(VIA[kind])
            return self.of_record(target, depth + 1) if target and depth < 3 else set()
        elif (declared := self.person_fields(kind)) is not None:
            persons = {data[f] for f in declared if data.get(f)}
        else:
            persons = set(self.references(record, "person"))
        unit_field = UNIT_FIELDS.get(kind)
        units = [data[unit_field]] if unit_field and data.get(unit_field) else (
            [] if self.person_fields(kind) is not None else self.references(record, "unit"))
        for unit in units:
            persons |= self.unit_holders(unit)
        return persons

    def references(self, record: Record, target: str) -> list[str]:
        rt = self.ledger.registry.types.get(record.type)
        if rt is None:
            return []
        return [record.data[f.name] for f in rt.fields if f.kind == REFERENCE and f.target == target and record.data.get(f.name)]

    def units_of_record(self, record_id: str, depth: int = 0) -> set[str]:
        """The units a record belongs to, for the itemised assessment: a unit itself, the unit
        field of its type (an event's organising unit, an outlet's, a case's), else its unit
        references; a record answering as another (an outlet review) as that one."""
        record = self.record(record_id)
        if record is None:
            return set()
        if record.type == "unit":
            return {record.id}
        if record.type in VIA:
            target = record.data.get(VIA[record.type])
            return self.units_of_record(target, depth + 1) if target and depth < 3 else set()
        field = UNIT_FIELDS.get(record.type)
        if field:
            return {record.data[field]} if record.data.get(field) else set()
        if self.person_fields(record.type) is not None:
            return set()
        return set(self.references(record, "unit"))

    def direct_persons(self, record_id: str) -> set[str]:
        """The persons a record names as answering for it, without the unit's leaders: a case's
        responsible persons (the exempt left out), an event's organiser and approver, a duty
        report's person, and so on."""
        record = self.record(record_id)
        if record is None:
            return set()
        if record.type == "person":
            return {record.id}
        if record.type == "case":
            return self.case_parties(record.id)
        if record.type == "case_party":
            return set() if record.data.get("dissent_recorded") else {record.data["person"]}
        if (declared := self.person_fields(record.type)) is not None:
            return {record.data[f] for f in declared if record.data.get(f)}
        return set(self.references(record, "person"))

    def of_finding(self, finding: Finding) -> set[str]:
        persons: set[str] = set()
        for record_id in finding.records:
            persons |= self.of_record(record_id)
        return persons or self.committee()
