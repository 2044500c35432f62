"""Reminders (``duty due``): what is due or overdue among the records an operator answers for,
with the platforms' three lights. No Textual here.

A record is *due* as on the dashboard (:mod:`.dashboard`): on its date field named ``due``, or,
for a type with a workflow, on its year date while it is in a state with a way forward; it is
finished when that state has none, or its ``status`` is one of the done statuses. An operator
*answers for* a record when the account is bound to a person and a field its type declares as
answering (``RecordType.answerable_fields``: an event's organiser and approver, a duty item's
owner, a self-inspection's responsible person; by default every reference to a person) names
that person. The core reads that declaration from each type, never a plugin's module.

Lights: red when the day has passed, yellow from ``due.soon-days`` days before it up to the day
itself, blue for what comes later within ``due.window-days`` (or ``--days``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..i18n import L
from ..ledger import Ledger
from ..schema import REFERENCES, RecordType
from ..store import Filter
from .dashboard import due_field, open_filter

SOON_KEY, WINDOW_KEY = "due.soon-days", "due.window-days"
SOON_DEFAULT, WINDOW_DEFAULT = 7, 30
RED, YELLOW, BLUE = "red", "yellow", "blue"
LIGHT_LABELS = {RED: L("逾期", "overdue"), YELLOW: L("临近", "due soon"), BLUE: L("将到", "coming")}


@dataclass(frozen=True)
class Link:
    """Why a record is the operator's: the field naming the person."""

    field: str
    label: L
    person: str
    name: str

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "label": {"zh": self.label.zh, "en": self.label.en}, "person": self.person, "name": self.name}


@dataclass(frozen=True)
class DueEntry:
    record_id: str
    type: str
    type_label: L
    title: str
    due: dt.date
    days: int
    light: str
    why: tuple[Link, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.record_id, "type": self.type, "title": self.title, "due": self.due.isoformat(),
                "days": self.days, "light": self.light, "why": [w.as_json() for w in self.why]}


def when(days: int) -> L:
    """How far the day is: 逾期 3 天 / 今天到期 / 还有 5 天."""
    if days < 0:
        return L("逾期 {n} 天", "{n} days overdue").format(n=-days)
    return L("今天到期", "due today") if days == 0 else L("还有 {n} 天", "in {n} days").format(n=days)


def counts(items: list["DueEntry"]) -> dict[str, int]:
    return {k: sum(1 for i in items if i.light == k) for k in (RED, YELLOW, BLUE)}


def light_of(days: int, soon: int) -> str:
    return RED if days < 0 else YELLOW if days <= soon else BLUE


def thresholds(ledger: Ledger) -> tuple[int, int]:
    """(soon, window) in days, from the store's settings."""
    def get(key: str, default: int) -> int:
        return int(ledger.setting(key)) if key in ledger.registry.settings else default
    return get(SOON_KEY, SOON_DEFAULT), get(WINDOW_KEY, WINDOW_DEFAULT)


def _persons(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [v for v in value if v]
    return [value] if value else []


def due_for(ledger: Ledger, person: str | None, *, today: dt.date | None = None, window: int | None = None,
            soon: int | None = None) -> list[DueEntry]:
    """What is due up to ``window`` days from today, or overdue, among the open records naming
    ``person`` in an answering field (every such record when ``person`` is None), soonest first."""
    today = today or ledger.today()
    soon_setting, window_setting = thresholds(ledger)
    soon = soon_setting if soon is None else soon
    window = window_setting if window is None else window
    last = (today + dt.timedelta(days=window)).isoformat()
    held: dict[str, tuple[str, RecordType, Any, dt.date, list[tuple[str, str]]]] = {}
    for name, rt in ledger.registry.types.items():
        fname = due_field(rt)
        if fname is None:
            continue
        answering = rt.answering_fields()
        if person is not None and not answering:
            continue
        base = [Filter(fname, "le", last)]
        still_open = open_filter(rt)
        if still_open is not None:
            base.append(still_open)
        # a list of persons is matched here rather than in the store
        queries = [tuple(base)] if person is None or any(rt.field(f).kind == REFERENCES for f in answering) else [
            (*base, Filter(f, "eq", person)) for f in answering]
        for filters in queries:
            for record in ledger.query(name, filters=filters, limit=None):
                value = record.data.get(fname)
                if record.id in held or not isinstance(value, dt.date):
                    continue
                links = []
                for f in answering:
                    for pid in _persons(record.data.get(f)):
                        if person is None or pid == person:
                            links.append((f, pid))
                if person is not None and not links:
                    continue
                held[record.id] = (name, rt, record, value, links)
    # the persons' names in one read (a county's town names some 5,000: one find each took 3 s)
    names = ledger.titles({pid for *_, links in held.values() for _f, pid in links})
    found = []
    for record_id, (name, rt, record, value, links) in held.items():
        days = (value - today).days
        found.append(DueEntry(record_id, name, rt.label, ledger.title(record), value, days, light_of(days, soon),
                              tuple(Link(f, rt.field(f).label, pid, names.get(pid) or pid) for f, pid in links)))
    return sorted(found, key=lambda e: (e.due, e.record_id))
