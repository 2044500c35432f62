"""Who answers for a case: the chain of responsibility (domain.md), each suggestion with its
reasons. No Textual: ``duty suggest``, the new-case screen and the cases screen all read this.

* **an event** (the case's ``event``): its organiser, direct responsibility (谁组织谁负责), and
  its approver, important leadership responsibility (谁审批谁监督);
* **a unit** (the case's ``unit``, else the event's organising unit): the leading-group member
  whose divisions hold it, or the unit above it (一岗双责), the direct responsible person and the
  first responsible person — main leadership responsibility, as the central measures give it to
  the principal leader and the members in charge;
* **circumstance 2** (the secretary not on the front line): the first responsible person, always.

The leading group is the one in office on the day the case occurred. A person reached by
several links is suggested once, with every reason, and the most serious kind among them
(direct, then main, then important). Persons already named on the case are marked ``named``.
The records read are other plugins' by type and field name (a data contract), never their modules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from duty_tui.i18n import L
from duty_tui.ledger import Ledger, Record
from duty_tui.store import Filter

from .circumstances import SECRETARY_NOT_ON_FRONT_LINE
from .types import CASE_PARTY, DIRECT, IMPORTANT, MAIN, OTHER

SERIOUSNESS = (DIRECT, MAIN, IMPORTANT, OTHER)
FIRST, DIRECT_ROLE = "first_responsible", "direct_responsible"


@dataclass(frozen=True)
class Reason:
    text: L
    record: str   # the record the link comes from: the event, the leader row


@dataclass
class Suggestion:
    person: str
    name: str
    kind: str
    reasons: list[Reason] = field(default_factory=list)
    named: bool = False

    def kind_label(self) -> L:
        return CASE_PARTY.field("kind").choice_label(self.kind)

    def reason_text(self) -> L:
        return L(";".join(r.text.render("zh") for r in self.reasons), "; ".join(r.text.render("en") for r in self.reasons))

    def as_json(self, lang: str) -> dict[str, Any]:
        return {"person": self.person, "name": self.name, "kind": self.kind, "kind_label": self.kind_label().render(lang),
                "reasons": [r.text.render(lang) for r in self.reasons], "records": list(dict.fromkeys(r.record for r in self.reasons)),
                "named": self.named}


@dataclass
class Suggestions:
    items: list[Suggestion] = field(default_factory=list)
    notes: list[L] = field(default_factory=list)   # why a link of the chain gave nobody

    def open(self) -> list[Suggestion]:
        """Those not yet named on the case."""
        return [s for s in self.items if not s.named]


def in_office(row: Record, day: dt.date) -> bool:
    return (row.data.get("since") or dt.date.min) <= day <= (row.data.get("until") or dt.date.max)


class Chain:
    def __init__(self, ledger: Ledger, day: dt.date) -> None:
        self.ledger = ledger
        self.day = day
        self.rows = [r for r in ledger.all("leader") if in_office(r, day)] if "leader" in ledger.registry.types else []
        self.links: list[tuple[str, str, Reason]] = []
        self.notes: list[L] = []

    def add(self, person: str | None, kind: str, text: L, record: str) -> None:
        if person:
            self.links.append((person, kind, Reason(text, record)))

    def in_role(self, role: str) -> list[Record]:
        return [r for r in self.rows if r.data.get("role") == role]

    # -- the links ---------------------------------------------------------------------------------
    def event(self, event: Record) -> None:
        data = event.data
        named = {"title": data.get("title", ""), "date": data["date"].isoformat() if data.get("date") else "?"}
        if data.get("organizer"):
            self.add(data["organizer"], DIRECT, L("谁组织谁负责：组织了“{title}”（{date}）", "whoever organises answers for it: organised “{title}” ({date})").format(
                **named), event.id)
        else:
            self.notes.append(L("活动 {id} 未填写组织者", "the event {id} names no organiser").format(id=event.id))
        if data.get("approver"):
            approved = data.get("approved_on")
            self.add(data["approver"], IMPORTANT, L("谁审批谁监督：{when}批准了“{title}”", "whoever approves supervises: approved “{title}”{when}").format(
                when=L(f"于 {approved.isoformat()} " if approved else "", f" on {approved.isoformat()}" if approved else ""), **named), event.id)
        else:
            self.notes.append(L("活动 {id} 未经批准，没有审批人", "the event {id} was never approved, so it has no approver").format(id=event.id))

    def unit(self, unit_id: str) -> None:
        units = {u.id: u for u in self.ledger.all("unit")}
        name = lambda uid: str(units[uid].data.get("name")) if uid in units else uid  # noqa: E731
        if not self.rows:
            self.notes.append(L("{day} 没有在任的领导小组成员记录", "no leading group is recorded in office on {day}").format(day=self.day.isoformat()))
            return
        current, seen, held = unit_id, set(), False
        while current and current not in seen and not held:
            seen.add(current)
            for row in self.rows:
                if current in (row.data.get("divisions") or []):
                    held = True
                    text = (L("一岗双责：{unit} 在其分管范围内", "one post, two duties: {unit} is in their divisions").format(unit=name(current))
                            if current == unit_id else
                            L("一岗双责：{unit} 的上级单位 {held} 在其分管范围内", "one post, two duties: {held}, the unit above {unit}, is in their divisions").format(
                                unit=name(unit_id), held=name(current)))
                    self.add(row.data["person"], MAIN, text, row.id)
            current = units[current].data.get("parent") if current in units else None
        if not held and (units[unit_id].data.get("kind") if unit_id in units else None) != "committee":
            self.notes.append(L("{unit} 不在任何班子成员的分管范围内", "{unit} is in no member's divisions").format(unit=name(unit_id)))
        for row in self.in_role(DIRECT_ROLE):
            self.add(row.data["person"], MAIN, L("直接责任人：分管宣传思想工作", "direct responsible person: in charge of propaganda and ideological work"), row.id)
        self.first_responsible(L("第一责任人：党委书记，对意识形态工作负主体责任", "first responsible person: the secretary, who answers for ideological work"))

    def first_responsible(self, text: L) -> None:
        rows = self.in_role(FIRST)
        if not rows:
            self.notes.append(L("{day} 没有在任的第一责任人记录", "no first responsible person is recorded in office on {day}").format(day=self.day.isoformat()))
        for row in rows:
            self.add(row.data["person"], MAIN, text, row.id)

    # -- the result --------------------------------------------------------------------------------
    def merged(self) -> list[Suggestion]:
        by_person: dict[str, Suggestion] = {}
        for person, kind, reason in self.links:
            found = by_person.get(person)
            if found is None:
                by_person[person] = Suggestion(person, person, kind, [reason])
                continue
            if SERIOUSNESS.index(kind) < SERIOUSNESS.index(found.kind):
                found.kind = kind
            if all(r.text != reason.text for r in found.reasons):
                found.reasons.append(reason)
        return list(by_person.values())


def suggest(ledger: Ledger, case: Mapping[str, Any], case_id: str | None = None, today: dt.date | None = None) -> Suggestions:
    """The suggestions for a case (saved, or values not saved yet): ``case`` holds its typed
    fields (``occurred_on``, ``unit``, ``event``, ``circumstance``)."""
    day = case.get("occurred_on") or today or ledger.today()
    chain = Chain(ledger, day)
    unit_id = case.get("unit")
    event = ledger.find(case["event"]) if case.get("event") else None
    if event is not None and event.type == "event":
        chain.event(event)
        unit_id = unit_id or event.data.get("organizer_unit")
    if unit_id:
        chain.unit(unit_id)
    if str(case.get("circumstance") or "") == SECRETARY_NOT_ON_FRONT_LINE:
        chain.first_responsible(L("第十条第（二）项：书记没有站在第一线、没有带头与错误倾向作斗争",
                                  "Article 10 (2): the secretary did not stand on the front line or lead the fight against erroneous tendencies"))
    if event is None and not unit_id and str(case.get("circumstance") or "") != SECRETARY_NOT_ON_FRONT_LINE:
        chain.notes.append(L("案件未填写涉及的活动或单位，无从推荐", "the case names no event and no unit to follow"))
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
    return Suggestions(items, chain.notes)


def suggest_for_case(ledger: Ledger, case: Record, today: dt.date | None = None) -> Suggestions:
    return suggest(ledger, case.data, case.id, today)


def accept(ledger: Ledger, case_id: str, suggestions: list[Suggestion], lang: str = "zh") -> list[str]:
    """Name the suggested persons on the case, each with its kind and its reasons (in ``lang``);
    returns the new ids."""
    created = []
    for s in suggestions:
        if s.named:
            continue
        created.append(ledger.create("case_party", {"case": case_id, "person": s.person, "kind": s.kind,
                                                    "reason": s.reason_text().render(lang)[:300]}).id)
    return created
