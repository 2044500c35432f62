"""Who answers for a case: the chain of responsibility, each suggestion with its kind, its
reasons, the clause each rests on and the record each comes from, and a warning where a term
recorded in the leading group is in doubt. No Textual: ``duty suggest``, the new-case screen and
the cases screen all read this.

**The texts relied on.** 《中国共产党问责条例》(2019) 第六条：“问责应当分清责任。党组织领导班子
在职责范围内负有全面领导责任，领导班子主要负责人和直接主管的班子成员在职责范围内承担主要领导
责任，参与决策和工作的班子成员在职责范围内承担重要领导责任。”《中国共产党纪律处分条例》(2023)
第三十九条：“直接责任者，是指在其职责范围内，不履行或者不正确履行自己的职责，对造成的损失或者
后果起决定性作用的党员或者党员领导干部”；“主要领导责任者，是指在其职责范围内，对主管的工作不
履行或者不正确履行职责，对造成的损失或者后果负直接领导责任的党员领导干部”；“重要领导责任者，
是指在其职责范围内，对应管的工作或者参与决定的工作不履行或者不正确履行职责，对造成的损失或者
后果负次要领导责任的党员领导干部”。The CCDI's reading of the latter: 主管的工作 is work given
to someone by an explicit division of labour (明确分工); 应管的工作 is work that is theirs by
their office though no division gives it to them; 参与决定的工作 is work decided by two or more
or collectively. (The 2018 text read 直接主管的工作 in 主要领导责任者; 2023 dropped 直接. A case
here is 问责 under the 实施办法 第十条, so the 问责条例's own words, which keep 直接主管, decide
the leadership kinds; the 纪律处分条例 gives 直接责任, which the 问责条例 does not define.)

**Our reading, link by link** (each is a record the ledgers hold):

* the case's **event**: its organiser bears 直接责任 (谁组织谁负责; the one who did it, 第三十九条);
  its approver, unless reached as a principal leader or the member in charge, 重要领导责任
  (谁审批谁监督: approving is taking part in the decision, 参与决策 / 参与决定的工作);
* the case's **outlet**: its responsible person bears 直接责任 — keeping the outlet's content
  right is that person's own duty, and a wrong post gets out through their failing it
  (第三十九条), whereas 主要领导责任 is a leader's for work they lead, not do; the outlet's unit
  then leads to its leaders;
* the case's **person** (who spoke or posted): 直接责任, the one who did it; their unit then
  leads to its leaders;
* the case's **publication**, where a ``publication`` type exists: its outlet as above and
  every person it names (author, reviewers) with 直接责任, each under the field's own label;
* the **unit** (the case's, else the event's, outlet's, publication's or person's): its own
  Party secretary (a person of the unit, or of the nearest unit above it short of the committee,
  whose post is a secretary's: 党支部书记, 村党组织书记, 党委书记 — not 副书记, 纪委书记 or 原…书记) bears
  主要领导责任 as the principal leader of that organisation (第六条); the leading-group member
  whose divisions hold it, or the unit above it, bears 主要领导责任 as 直接主管的班子成员 (第六条,
  一岗双责); the first responsible person (the secretary) 主要领导责任 as the principal leader;
* the **propaganda member** (role ``direct_responsible``: the 实施办法's 直接责任人, which is not
  the 直接责任 of a case). 第六条 gives 主要领导责任 to the member *directly* in charge, within
  their remit. He oversees ideological work as a line of work across the town; a unit is
  directly in charge of the member whose divisions hold it. So: for a unit in his own divisions,
  and for the committee's own work (no unit's member stands between), he is the member directly
  in charge — 主要领导责任; for a unit outside his divisions, ideological work there is his by
  office but not by division — 应管的工作 — so 重要领导责任 (第六条 with 第三十九条), and the
  reason says so;
* **circumstance 2** (the secretary not on the front line): the first responsible person, always.

Organisations: the committee's 领导班子 bears 全面领导责任 (第六条), and so does the unit's own
Party organisation when its secretary is recorded; they are listed apart (``organisations``),
as a case may call the organisation to account (检查、通报、改组) as well as its members.

**Terms.** The leading group is the rows whose since..until holds the day the case occurred. A
row for a role one person holds at a time (first or direct responsible), or a member's row
sharing a division, whose holder's successor in that role started later but on or before that
day, overlaps: typically a former secretary whose 任职止 was never entered. They are still
suggested — the records say they were in office — but with a warning, and they are left
unticked in the TUI and left out of ``duty suggest --accept`` until someone checks.

A person reached by several links is suggested once, with every reason, and the most serious
kind among them (direct, then main, then important). Persons already named on the case are
marked ``named``. The records read are other plugins' by type and field name (a data contract),
never their modules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from duty_tui.directory import is_secretary
from duty_tui.i18n import L
from duty_tui.ledger import Ledger, Record
from duty_tui.store import Filter

from .circumstances import SECRETARY_NOT_ON_FRONT_LINE
from .types import CASE_PARTY, DIRECT, IMPORTANT, MAIN, OTHER

SERIOUSNESS = (DIRECT, MAIN, IMPORTANT, OTHER)
FIRST, DIRECT_ROLE, MEMBER_ROLE = "first_responsible", "direct_responsible", "member"
SINGLE_ROLES = (FIRST, DIRECT_ROLE)  # one holder at a time: a later holder is a successor
COMMITTEE = "committee"
OWN_ORGANISATION_KINDS = ("village", "community")  # units with a Party organisation of their own, whose secretary is recorded

# the clauses a link rests on
ART6 = L("《问责条例》第六条", "Accountability Regulations, Art. 6")
ART39 = L("《纪律处分条例》第三十九条", "Disciplinary Regulations, Art. 39")
ART6_39 = L("《问责条例》第六条；《纪律处分条例》第三十九条", "Accountability Regulations, Art. 6; Disciplinary Regulations, Art. 39")
ART10_2 = L("《实施办法》第十条第（二）项；《问责条例》第六条", "Implementation Measures, Art. 10 (2); Accountability Regulations, Art. 6")


@dataclass(frozen=True)
class Reason:
    text: L
    record: str   # the record the link comes from: the event, the outlet, the leader row, the person
    clause: L = ART6
    kind: str = MAIN  # the kind this link alone gives


@dataclass
class Suggestion:
    person: str
    name: str
    kind: str
    reasons: list[Reason] = field(default_factory=list)
    named: bool = False
    warnings: list[L] = field(default_factory=list)

    def kind_label(self) -> L:
        return CASE_PARTY.field("kind").choice_label(self.kind)

    def clause(self) -> L:
        """The clause the kind rests on: that of the first reason giving this kind."""
        return next((r.clause for r in self.reasons if r.kind == self.kind), self.reasons[0].clause)

    def reason_text(self) -> L:
        """Every reason with its clause, as stored in the case_party's reason."""
        return L("；".join(f"{r.text.render('zh')}（{r.clause.render('zh')}）" for r in self.reasons),
                 "; ".join(f"{r.text.render('en')} ({r.clause.render('en')})" for r in self.reasons))

    def as_json(self, lang: str) -> dict[str, Any]:
        return {"person": self.person, "name": self.name, "kind": self.kind, "kind_label": self.kind_label().render(lang),
                "clause": self.clause().render(lang),
                "reasons": [r.text.render(lang) for r in self.reasons], "clauses": [r.clause.render(lang) for r in self.reasons],
                "records": list(dict.fromkeys(r.record for r in self.reasons)),
                "warnings": [w.render(lang) for w in self.warnings], "named": self.named}


@dataclass(frozen=True)
class Organisation:
    """A Party organisation bearing 全面领导责任 for the case (第六条)."""
    unit: str
    name: str
    text: L
    clause: L = ART6

    def as_json(self, lang: str) -> dict[str, Any]:
        return {"unit": self.unit, "name": self.name, "responsibility": L("全面领导责任", "overall leadership responsibility").render(lang),
                "reason": self.text.render(lang), "clause": self.clause.render(lang)}


@dataclass
class Suggestions:
    items: list[Suggestion] = field(default_factory=list)
    notes: list[L] = field(default_factory=list)   # why a link of the chain gave nobody
    organisations: list[Organisation] = field(default_factory=list)

    def open(self) -> list[Suggestion]:
        """Those not yet named on the case."""
        return [s for s in self.items if not s.named]

    def ready(self) -> list[Suggestion]:
        """Those not yet named and with nothing to check first (no warning)."""
        return [s for s in self.open() if not s.warnings]

    def flagged(self) -> list[Suggestion]:
        return [s for s in self.items if s.warnings]


def in_office(row: Record, day: dt.date) -> bool:
    return (row.data.get("since") or dt.date.min) <= day <= (row.data.get("until") or dt.date.max)


class Chain:
    def __init__(self, ledger: Ledger, day: dt.date) -> None:
        self.ledger = ledger
        self.day = day
        self.has_leaders = "leader" in ledger.registry.types
        self.rows = [r for r in ledger.all("leader") if in_office(r, day)] if self.has_leaders else []
        self.links: list[tuple[str, str, Reason, tuple[L, ...]]] = []
        self.notes: list[L] = []
        self.organisations: list[Organisation] = []
        self.units: dict[str, Record | None] = {}
        self.persons: dict[str, Record | None] = {}
        self.overlaps = self.overlapping_terms()

    # -- lookups -----------------------------------------------------------------------------------
    def unit_record(self, unit_id: str | None) -> Record | None:
        if not unit_id:
            return None
        if unit_id not in self.units:
            found = self.ledger.find(unit_id)
            self.units[unit_id] = found if found is not None and found.type == "unit" else None
        return self.units[unit_id]

    def unit_name(self, unit_id: str) -> str:
        unit = self.unit_record(unit_id)
        return str(unit.data.get("name")) if unit else unit_id

    def person_record(self, person_id: str) -> Record | None:
        if person_id not in self.persons:
            found = self.ledger.find(person_id)
            self.persons[person_id] = found if found is not None and found.type == "person" else None
        return self.persons[person_id]

    def person_name(self, person_id: str) -> str:
        person = self.person_record(person_id)
        return str(person.data.get("name") or person_id) if person else person_id

    def role_label(self, role: str) -> L:
        rt = self.ledger.registry.types.get("leader")
        try:
            return rt.field("role").choice_label(role) if rt is not None else L(role, role)
        except Exception:  # a role the type no longer offers
            return L(role, role)

    def add(self, person: str | None, kind: str, text: L, record: str, clause: L, row: Record | None = None) -> None:
        if person:
            self.links.append((person, kind, Reason(text, record, clause, kind), self.overlaps.get(row.id, ()) if row else ()))

    def in_role(self, role: str) -> list[Record]:
        return [r for r in self.rows if r.data.get("role") == role]

    def is_member(self, person: str) -> bool:
        return any(r.data.get("person") == person for r in self.rows)

    # -- terms -------------------------------------------------------------------------------------
    def overlapping_terms(self) -> dict[str, tuple[L, ...]]:
        """Leader row id → warnings: a row in office on the day whose successor (same single role,
        or a member's row sharing a division, another person) started later, on or before the day."""
        warnings: dict[str, list[L]] = {}
        for row in self.rows:
            role, since = row.data.get("role"), row.data.get("since") or dt.date.min
            for later in self.rows:
                if later.id == row.id or later.data.get("person") == row.data.get("person") or later.data.get("role") != role:
                    continue
                if not (later.data.get("since") and later.data["since"] > since):
                    continue
                if role not in SINGLE_ROLES and not set(row.data.get("divisions") or ()) & set(later.data.get("divisions") or ()):
                    continue
                values = {"name": self.person_name(row.data["person"]), "role": self.role_label(role),
                          "since": since.isoformat() if row.data.get("since") else "?",
                          "successor": self.person_name(later.data["person"]), "from": later.data["since"].isoformat(),
                          "day": self.day.isoformat()}
                if row.data.get("until"):
                    text = L("任期重叠：{name}任{role}至 {until}，而{successor}已于 {from} 接任；请核实 {day} 谁在任",
                             "overlapping terms: {name} was {role} until {until}, but {successor} took over on {from}; "
                             "check who was in office on {day}").format(until=row.data["until"].isoformat(), **values)
                else:
                    text = L("任期重叠：{name}自 {since} 任{role}，任职止未填写，而{successor}已于 {from} 接任；"
                             "{day} 时可能已离任，请核实并补录任职止",
                             "overlapping terms: {name} has been {role} since {since} with no “until” entered, but {successor} "
                             "took over on {from}; they may have left before {day}: check and enter the end of the term").format(**values)
                warnings.setdefault(row.id, []).append(text)
        return {k: tuple(v) for k, v in warnings.items()}

    # -- the links ---------------------------------------------------------------------------------
    def event(self, event: Record) -> None:
        data = event.data
        named = {"title": data.get("title", ""), "date": data["date"].isoformat() if data.get("date") else "?"}
        if data.get("organizer"):
            self.add(data["organizer"], DIRECT, L("谁组织谁负责：组织了“{title}”（{date}），是办这件事的人，负直接责任",
                                                  "whoever organises answers for it: organised “{title}” ({date}), the one who did it: "
                                                  "direct responsibility").format(**named), event.id, ART39)
        else:
            self.notes.append(L("活动 {id} 未填写组织者", "the event {id} names no organiser").format(id=event.id))
        if data.get("approver"):
            approved = data.get("approved_on")
            member = self.is_member(data["approver"])
            self.add(data["approver"], IMPORTANT, L("谁审批谁监督：{when}批准了“{title}”，参与了决定",
                                                    "whoever approves supervises: approved “{title}”{when}, taking part in the decision").format(
                when=L(f"于 {approved.isoformat()} " if approved else "", f" on {approved.isoformat()}" if approved else ""), **named),
                event.id, ART6 if member else ART39)
        else:
            self.notes.append(L("活动 {id} 未经批准，没有审批人", "the event {id} was never approved, so it has no approver").format(id=event.id))

    def outlet(self, outlet: Record) -> None:
        name = str(outlet.data.get("name") or outlet.id)
        quoted = name if name.startswith("“") else f"“{name}”"  # “xx镇发布”微信公众号 carries its own
        if outlet.data.get("responsible"):
            self.add(outlet.data["responsible"], DIRECT, L("阵地责任人：负责{name}，把好其内容是本人职责，负直接责任",
                                                           "the outlet's responsible person: keeping {name} right is their own duty: "
                                                           "direct responsibility").format(name=quoted), outlet.id, ART39)
        else:
            self.notes.append(L("阵地“{name}”（{id}）未填写责任人", "the outlet “{name}” ({id}) names no responsible person").format(
                name=name, id=outlet.id))

    def concerned_person(self, person: Record) -> None:
        self.add(person.id, DIRECT, L("涉及人员：发表言论或发布内容的本人，负直接责任", "the person concerned: the one who spoke or posted: "
                                                                          "direct responsibility"), person.id, ART39)

    def publication(self, publication: Record) -> Record | None:
        """A publication (a post on an own outlet) where the type exists: every person it names,
        under the field's label, with direct responsibility; returns its outlet, if any."""
        rt = self.ledger.registry.types.get(publication.type)
        title = str(publication.data.get(rt.title_field) if rt and rt.title_field else publication.id)
        outlet = None
        for f in rt.fields if rt else ():
            value = publication.data.get(f.name)
            if not value or getattr(f, "target", None) not in ("person", "outlet"):
                continue
            for target in value if isinstance(value, (list, tuple)) else (value,):
                if f.target == "outlet":
                    outlet = outlet or self.ledger.find(target)
                    continue
                self.add(target, DIRECT, L("“{title}”的{label}：在其职责范围内把关这篇内容，负直接责任",
                                           "{label} of “{title}”: this content was theirs to check: direct responsibility").format(
                    title=title, label=f.label), publication.id, ART39)
        return outlet if outlet is not None and outlet.type == "outlet" else None

    def unit(self, unit_id: str) -> None:
        unit = self.unit_record(unit_id)
        before = len(self.links)
        committee = self.unit_secretary_and_organisations(unit_id)
        if len(self.links) == before and unit is not None and unit.data.get("kind") in OWN_ORGANISATION_KINDS:
            self.notes.append(L("{unit} 没有记录党组织书记（本单位人员中职务为书记者）", "{unit} has no Party secretary recorded "
                                "(a person of the unit whose post is a secretary's)").format(unit=self.unit_name(unit_id)))
        if not self.rows:
            self.notes.append(L("{day} 没有在任的领导小组成员记录", "no leading group is recorded in office on {day}").format(day=self.day.isoformat()))
            return
        held_by: dict[str, str] = {}  # leader row id → the unit of the chain its divisions hold
        current, seen = unit_id, set()
        while current and current not in seen and not held_by:
            seen.add(current)
            for row in self.rows:
                if current in (row.data.get("divisions") or []):
                    held_by[row.id] = current
            current = self.unit_record(current).data.get("parent") if self.unit_record(current) else None
        for row in self.rows:
            if row.id not in held_by:
                continue
            held = held_by[row.id]
            text = (L("一岗双责：{unit}在其分管范围内，是直接主管的班子成员", "one post, two duties: {unit} is in their divisions, "
                      "the member directly in charge").format(unit=self.unit_name(held))
                    if held == unit_id else
                    L("一岗双责：{unit}的上级单位{held}在其分管范围内，是直接主管的班子成员",
                      "one post, two duties: {held}, the unit above {unit}, is in their divisions, the member directly in charge").format(
                        unit=self.unit_name(unit_id), held=self.unit_name(held)))
            self.add(row.data["person"], MAIN, text, row.id, ART6, row)
        own_work = unit is not None and unit.data.get("kind") == COMMITTEE
        if not held_by and not own_work:
            self.notes.append(L("{unit} 不在任何班子成员的分管范围内", "{unit} is in no member's divisions").format(unit=self.unit_name(unit_id)))
        for row in self.in_role(DIRECT_ROLE):
            if row.id in held_by:
                continue
            if own_work:
                self.add(row.data["person"], MAIN, L("分管宣传思想工作：案件涉及党委本级的工作，是直接主管的班子成员",
                                                     "in charge of propaganda and ideological work: the case concerns the committee's own work, "
                                                     "which they directly oversee"), row.id, ART6, row)
            else:
                self.add(row.data["person"], IMPORTANT, L("分管宣传思想工作，但{unit}不在其分管范围内：不是直接主管的班子成员，"
                                                          "该处的意识形态工作是其应管的工作，负重要领导责任",
                                                          "in charge of propaganda and ideological work, but {unit} is not in their divisions: "
                                                          "not the member directly in charge; ideological work there is theirs by office "
                                                          "(应管的工作), so important leadership responsibility").format(
                    unit=self.unit_name(unit_id)), row.id, ART6_39, row)
        self.first_responsible(L("第一责任人：党委书记，领导班子主要负责人", "first responsible person: the secretary, the committee's principal leader"))
        if committee:
            self.organisations.insert(0, Organisation(committee, self.unit_name(committee), L(
                "党委领导班子在职责范围内负有全面领导责任", "the committee's leading body bears overall leadership responsibility within its remit")))

    def unit_secretary_and_organisations(self, unit_id: str) -> str | None:
        """The nearest unit's own Party secretary, from the unit up to (not into) the committee;
        returns the committee found up the chain."""
        current, seen, found = unit_id, set(), False
        while current and current not in seen:
            seen.add(current)
            unit = self.unit_record(current)
            if unit is None:
                return None
            if unit.data.get("kind") == COMMITTEE:
                return current
            if not found:
                secretaries = [p for p in self.ledger.all("person", unit=current) if is_secretary(p.data.get("post"))]
                for person in secretaries:
                    self.persons[person.id] = person
                    values = {"unit": self.unit_name(current), "post": str(person.data.get("post")), "below": self.unit_name(unit_id)}
                    text = (L("本单位党组织书记（{post}）：{unit}党组织的主要负责人", "secretary of {unit}'s own Party organisation ({post}): "
                              "its principal leader").format(**values) if current == unit_id else
                            L("上级单位党组织书记（{post}）：{below}所属的{unit}党组织的主要负责人", "secretary of the Party organisation of {unit}, "
                              "which {below} belongs to ({post}): its principal leader").format(**values))
                    self.add(person.id, MAIN, text, person.id, ART6)
                if secretaries:
                    found = True
                    self.organisations.append(Organisation(current, self.unit_name(current), L(
                        "{unit}党组织在职责范围内负有全面领导责任", "{unit}'s Party organisation bears overall leadership responsibility "
                        "within its remit").format(unit=self.unit_name(current))))
            current = unit.data.get("parent")
        return None

    def first_responsible(self, text: L, clause: L = ART6) -> None:
        rows = self.in_role(FIRST)
        if not rows and self.has_leaders:
            self.notes.append(L("{day} 没有在任的第一责任人记录", "no first responsible person is recorded in office on {day}").format(day=self.day.isoformat()))
        for row in rows:
            self.add(row.data["person"], MAIN, text, row.id, clause, row)

    # -- the result --------------------------------------------------------------------------------
    def merged(self) -> list[Suggestion]:
        by_person: dict[str, Suggestion] = {}
        for person, kind, reason, warnings in self.links:
            found = by_person.get(person)
            if found is None:
                found = by_person[person] = Suggestion(person, person, kind, [reason])
            else:
                if SERIOUSNESS.index(kind) < SERIOUSNESS.index(found.kind):
                    found.kind = kind
                rendered = (reason.text.render("zh"), reason.record)
                if all((r.text.render("zh"), r.record) != rendered for r in found.reasons):
                    found.reasons.append(reason)
            for w in warnings:
                if all(w.render("zh") != x.render("zh") for x in found.warnings):
                    found.warnings.append(w)
        return list(by_person.values())


def concerned(ledger: Ledger, case: Mapping[str, Any], name: str, record_type: str) -> Record | None:
    found = ledger.find(case[name]) if case.get(name) else None
    return found if found is not None and found.type == record_type else None


def suggest(ledger: Ledger, case: Mapping[str, Any], case_id: str | None = None, today: dt.date | None = None) -> Suggestions:
    """The suggestions for a case (saved, or values not saved yet): ``case`` holds its typed
    fields (``occurred_on``, ``unit``, ``event``, ``outlet``, ``person``, ``publication``,
    ``circumstance``)."""
    day = case.get("occurred_on") or today or ledger.today()
    chain = Chain(ledger, day)
    event = concerned(ledger, case, "event", "event")
    outlet = concerned(ledger, case, "outlet", "outlet")
    publication = ledger.find(case["publication"]) if case.get("publication") else None
    person = concerned(ledger, case, "person", "person")
    units = [case.get("unit")]
    if event is not None:
        chain.event(event)
        units.append(event.data.get("organizer_unit"))
    if publication is not None:
        posted_on = chain.publication(publication)
        outlet = outlet or posted_on
    if outlet is not None:
        chain.outlet(outlet)
        units.append(outlet.data.get("unit"))
    if person is not None:
        chain.concerned_person(person)
        units.append(person.data.get("unit"))
    unit_id = next((u for u in units if u), None)
    if unit_id:
        chain.unit(unit_id)
    secretary_case = str(case.get("circumstance") or "") == SECRETARY_NOT_ON_FRONT_LINE
    if secretary_case:
        chain.first_responsible(L("第十条第（二）项：书记没有站在第一线、没有带头与错误倾向作斗争",
                                  "Article 10 (2): the secretary did not stand on the front line or lead the fight against erroneous tendencies"),
                                ART10_2)
    if not unit_id and not chain.links and not secretary_case:
        chain.notes.append(L("案件未填写涉及的活动、阵地、人员或单位，无从推荐", "the case names no event, outlet, person or unit to follow"))
    items = chain.merged()
    ids = tuple(sorted({s.person for s in items}))
    if ids:
        names = {p.id: str(p.data.get("name") or p.id) for p in ledger.query("person", filters=(Filter("id", "in", ids),), limit=None)}
        for s in items:
            s.name = names.get(s.person, s.person)
    if case_id and "case_party" in ledger.registry.types:
        named = {p.data["person"] for p in ledger.all("case_party", case=case_id)}
        for s in items:
            s.named = s.person in named
    return Suggestions(items, chain.notes, chain.organisations)


def suggest_for_case(ledger: Ledger, case: Record, today: dt.date | None = None) -> Suggestions:
    return suggest(ledger, case.data, case.id, today)


def accept(ledger: Ledger, case_id: str, suggestions: list[Suggestion], lang: str = "zh") -> list[str]:
    """Name the suggested persons on the case, each with its kind and its reasons and clauses (in
    ``lang``); returns the new ids. The caller chooses: ``Suggestions.ready()`` leaves out those
    with a warning."""
    created = []
    for s in suggestions:
        if s.named:
            continue
        created.append(ledger.create("case_party", {"case": case_id, "person": s.person, "kind": s.kind,
                                                    "reason": s.reason_text().render(lang)[:300]}).id)
    return created


def detail_lines(ledger: Ledger, case: Record) -> list[tuple[L, L]]:
    """The case's detail (``RecordType.detail_lines``): the persons suggested and not yet named,
    each with kind, reasons and clauses and, under it, any warning; then the organisations bearing
    全面领导责任. ``types.open_suggestions`` may hand over to this."""
    found = suggest_for_case(ledger, case, ledger.today())
    out: list[tuple[L, L]] = []
    pending = found.open()
    if pending:
        def lines(lang: str) -> str:
            return "\n".join(f"{s.name} · {s.kind_label().render(lang)} · {s.reason_text().render(lang)}"
                             + "".join(f"\n  ⚠ {w.render(lang)}" for w in s.warnings) for s in pending)
        out.append((L("建议认定（未采纳）", "Suggested, not yet named"), L(lines("zh"), lines("en"))))
    if found.organisations:
        def bodies(lang: str) -> str:
            return "\n".join(f"{o.name} · {o.text.render(lang)}" + (f"（{o.clause.render(lang)}）" if lang == "zh" else f" ({o.clause.render(lang)})")
                             for o in found.organisations)
        out.append((L("全面领导责任", "Overall leadership responsibility"), L(bodies("zh"), bodies("en"))))
    return out
