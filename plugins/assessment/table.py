"""The itemised assessment (考核细则) of one year, read through the ledger: the table the admin
keeps (``assessment_item``), the panel's and the subjects' own marks (``assessment_mark``), and
each subject's score — the town committee, every village, community, department and office, and
every leader of the year. The arithmetic is in :mod:`.itemised`; who a finding concerns in
:mod:`.concern`. No Textual here.

Which instances count against a subject:

* **the town committee** answers for everything in the town: every finding of an item's rule,
  every record counted;
* **a unit** for the findings whose records lead to it or to a unit below it (an event's
  organising unit, an outlet's unit, a self-inspection's, a case's), and for the records that
  belong to it or below it;
* **a leader** for the findings that concern them through the chain (:class:`.concern.Concerns`:
  their own records, the units in their divisions, and, for the committee's own counts, the
  first and direct responsible persons), and for the records that name them (a case counts
  against its responsible persons, the exempt left out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from duty_tui.i18n import L
from duty_tui.ledger import Ledger, Record
from duty_tui.rules import FAILED, WARNING, Finding
from duty_tui.schema import BOOL, RecordType

from .concern import Concerns
from .itemised import (NO_VETO, Instance, ItemScore, ItemSpec, SubjectScore, apply_vetoes, exact, score_item,
                       score_manual)
from .leaders import Leader
from .types import COMMITTEE, COUNT_EACH, COUNT_MIN, LEADER, MANUAL, RULE

UNIT_KINDS = ("committee", "village", "community", "department", "office")
TRUE, FALSE = {"true", "yes", "1", "是", "y"}, {"false", "no", "0", "否", "n"}


# -- the count's condition: "field=value; field=v1|v2" --------------------------------------------------

def parse_match(record_type: RecordType, text: str) -> list[tuple[str, frozenset[str]]]:
    """``ideology=true; state=decided|closed`` → [(field, values)]; a field the type does not
    have is refused (ValueError, the reason in both languages)."""
    out = []
    for part in (p.strip() for p in text.replace("；", ";").split(";")):
        if not part:
            continue
        name, sep, values = part.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValueError(f"应为 字段=值：{part} / expected field=value: {part}")
        if name != "state" and name not in {f.name for f in record_type.fields}:
            raise ValueError(f"{record_type.name} 没有字段 {name} / {record_type.name} has no field {name}")
        wanted = frozenset(v.strip().lower() for v in values.split("|") if v.strip())
        if not wanted:
            raise ValueError(f"{name} 缺少值 / {name} has no value")
        out.append((name, wanted))
    return out


def as_text(value: Any) -> set[str]:
    if isinstance(value, bool):
        return {"true"} if value else {"false"}
    if isinstance(value, (list, tuple)):
        return {str(v).lower() for v in value}
    return {"" if value is None else str(value).lower()}


def matches(record: Record, match: Sequence[tuple[str, frozenset[str]]], record_type: RecordType) -> bool:
    for name, wanted in match:
        value = record.state if name == "state" else record.data.get(name)
        kind = None if name == "state" else record_type.field(name).kind
        if kind == BOOL:
            want_true = bool(wanted & TRUE)
            if bool(value) != want_true:
                return False
        elif not as_text(value) & wanted:
            return False
    return True


# -- the table -------------------------------------------------------------------------------------

def item_spec(record: Record) -> ItemSpec:
    d = record.data
    cap = d.get("cap")
    return ItemSpec(id=record.id, area=d["area"], title=d["title"], points=exact(d.get("points") or 0), method=d["method"],
                    deduction=exact(d.get("deduction") or 0), cap=None if cap is None else exact(cap),
                    veto=d.get("veto") or NO_VETO, veto_area=d.get("veto_area") or None, clause=d.get("clause") or "",
                    order=d.get("order"), example=bool(d.get("example")), rule=d.get("rule") or None)


def table_of(ledger: Ledger, year: int) -> list[Record]:
    """The items that apply in ``year`` (those without a year apply every year), in their order."""
    if "assessment_item" not in ledger.registry.types:
        return []
    areas = ledger.registry.areas()
    rows = [r for r in ledger.all("assessment_item") if r.data.get("year") in (None, year)]
    # a county store: a town with items of its own is scored by those, the others by the common table
    town = ledger.town()
    own = [r for r in rows if town is not None and r.data.get("unit") == town]
    rows = own or [r for r in rows if not r.data.get("unit")]

    def key(r: Record):
        area = r.data.get("area")
        return (r.data.get("order") if r.data.get("order") is not None else 10**6,
                areas.index(area) if area in areas else len(areas), int(r.id.rsplit("-", 1)[1]))

    return sorted(rows, key=key)


# -- the subjects ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Subject:
    kind: str           # committee, village, community, department, office, leader
    id: str             # the unit's or the person's record id
    name: str
    roles: tuple[str, ...] = ()


def subjects_of(ledger: Ledger, leaders: Sequence[Leader]) -> list[Subject]:
    """The town committee, then every village, community, department and office, then the leaders."""
    units = [u for u in ledger.all("unit") if u.data.get("kind") in UNIT_KINDS]
    units.sort(key=lambda u: (UNIT_KINDS.index(u.data["kind"]), int(u.id.rsplit("-", 1)[1])))
    out = [Subject(u.data["kind"], u.id, str(u.data.get("name") or u.id)) for u in units]
    names = ledger.names("person", [l.person for l in leaders])
    out += [Subject(LEADER, l.person, names.get(l.person, l.person), l.roles) for l in leaders]
    return out


class Reach:
    """Which unit a record or a finding belongs to, and who it names directly (for counts)."""

    def __init__(self, concerns: Concerns) -> None:
        self.concerns = concerns
        self._subtree: dict[str, set[str]] = {}

    def subtree(self, unit: str) -> set[str]:
        if unit not in self._subtree:
            children: dict[str, list[str]] = {}
            for u in self.concerns.units().values():
                if u.data.get("parent"):
                    children.setdefault(u.data["parent"], []).append(u.id)
            seen, todo = set(), [unit]
            while todo:
                u = todo.pop()
                if u not in seen:
                    seen.add(u)
                    todo += children.get(u, [])
            self._subtree[unit] = seen
        return self._subtree[unit]

    def units_of_finding(self, finding: Finding) -> set[str]:
        out: set[str] = set()
        for rid in finding.records:
            out |= self.concerns.units_of_record(rid)
        return out

    def belongs(self, subject: Subject, units: set[str], persons: set[str]) -> bool:
        if subject.kind == COMMITTEE:
            return True
        if subject.kind == LEADER:
            return subject.id in persons
        return bool(units & self.subtree(subject.id))


# -- scoring each subject ----------------------------------------------------------------------------

def finding_reason(finding: Finding) -> L:
    return finding.message


def count_note(have: int, need: int) -> L:
    return L("{have}/{need} 次", "{have} of {need}").format(have=have, need=need)


def assess(ledger: Ledger, year: int, found: Mapping[str, Sequence[Finding]], concerns: Concerns,
           leaders: Sequence[Leader]) -> tuple[list[Record], list[SubjectScore]]:
    """Every subject's itemised score; ``found``: rule id → the year's findings (a rule that
    failed to run: one finding of severity failed)."""
    table = table_of(ledger, year)
    if not table:
        return table, []
    reach = Reach(concerns)
    subjects = subjects_of(ledger, leaders)
    failed_rules = {rule for rule, fs in found.items() if any(f.severity == FAILED for f in fs)}
    # who and which units each finding reaches, once
    reached: dict[str, list[tuple[Finding, set[str], set[str]]]] = {}
    wanted_rules = {r.data.get("rule") for r in table if r.data.get("method") == RULE}
    every = [f for rule in wanted_rules for f in found.get(rule, ()) if f.severity != FAILED]
    concerns.preload(r for f in every for r in f.records)
    for f in every:
        reached.setdefault(f.rule, []).append((f, reach.units_of_finding(f), concerns.of_finding(f)))
    # the records each count reads, once per type
    counted: dict[str, list[tuple[Record, set[str], set[str]]]] = {}
    for row in table:
        kind = row.data.get("count_type")
        if row.data.get("method") in (COUNT_MIN, COUNT_EACH) and kind in ledger.registry.types and kind not in counted:
            records = ledger.all(kind, year=year) if ledger.registry.types[kind].year_field else ledger.all(kind)
            concerns.preload(r.id for r in records)
            counted[kind] = [(r, concerns.units_of_record(r.id), concerns.direct_persons(r.id)) for r in records]
    marks: dict[tuple[str, str], Record] = {}
    if "assessment_mark" in ledger.registry.types:
        for m in ledger.all("assessment_mark", year=year):
            marks[(m.data["item"], m.data.get("unit") or m.data.get("person"))] = m

    out = []
    for subject in subjects:
        items: list[ItemScore] = []
        for row in table:
            if subject.kind not in (row.data.get("applies_to") or ()):
                continue
            spec = item_spec(row)
            mark = marks.get((row.id, subject.id))
            own = mark.data.get("self_score") if mark else None
            mark_id = mark.id if mark else None
            method = spec.method
            if method == MANUAL:
                notes = L((mark.data.get("notes") or "考核组评分") if mark else "", (mark.data.get("notes") or "the panel's score") if mark else "")
                items.append(score_manual(spec, mark_id, own, mark.data.get("superior_score") if mark else None,
                                          bool(mark and mark.data.get("vetoed")), notes))
            elif method == RULE:
                if spec.rule in failed_rules or spec.rule not in ledger.registry.rules:
                    items.append(score_item(spec, (), failed=True, self_score=own, mark=mark_id))
                    continue
                instances = [Instance(finding_reason(f), f.records, f.rule, warning=f.severity == WARNING)
                             for f, units, persons in reached.get(spec.rule, ()) if reach.belongs(subject, units, persons)]
                items.append(score_item(spec, instances, self_score=own, mark=mark_id))
            else:
                kind = row.data.get("count_type")
                rt = ledger.registry.types.get(kind)
                if rt is None:
                    items.append(score_item(spec, (), failed=True, self_score=own, mark=mark_id))
                    continue
                match = parse_match(rt, row.data.get("count_match") or "")
                mine = [r for r, units, persons in counted.get(kind, ()) if matches(r, match, rt) and reach.belongs(subject, units, persons)]
                ids = tuple(r.id for r in mine)
                if method == COUNT_MIN:
                    need = row.data.get("count_min") or 0
                    short = max(0, need - len(mine))
                    reason = L("{type} {have}/{need}，缺 1 次", "{type}: {have} of {need}, one missing").format(
                        type=rt.label, have=len(mine), need=need)
                    instances = [Instance(reason, ids, source="missing") for _ in range(short)]
                    items.append(score_item(spec, instances, self_score=own, mark=mark_id, note=count_note(len(mine), need)))
                else:
                    titles = ledger.titles(ids) if ids else {}
                    instances = [Instance(L("{type}：{title}", "{type}: {title}").format(type=rt.label, title=titles.get(r.id, r.id)), (r.id,), source="record")
                                 for r in mine]
                    items.append(score_item(spec, instances, self_score=own, mark=mark_id,
                                            note=L("{n} 条", "{n} found").format(n=len(mine))))
        if items:
            out.append(SubjectScore(subject.kind, subject.id, subject.name, apply_vetoes(items), subject.roles))
    return table, out


def grade_conflict(subject: SubjectScore, grade: str | None) -> bool:
    """An appraisal of 优秀 where a veto bars it."""
    return grade == "excellent" and bool(subject.bars_excellent)


def example_table(table: Iterable[Record]) -> bool:
    """The table is (still) the shipped example, in part or whole."""
    return any(r.data.get("example") for r in table)

