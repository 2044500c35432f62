"""The shape of a report, independent of its format (no Textual, no docx, no xlsx).

The annual (or half-year, or any period's) report is an official document (公文): a title, the
addressee (主送), four parts — 一、基本情况, 二、主要做法和成效 (a paragraph per area with the
period's figures), 三、存在问题 (the findings in prose), 四、下一步打算 — the issuer and date
(落款), and attachments (附件: the tables). A dossier is a title and sections. Everything is
already rendered in the report's language (``ctx.lang``), so a writer only lays it out.

Plugins contribute with ``duty_register_reports``::

    @hookimpl
    def duty_register_reports(register):
        register(ReportSpec(id="myplugin.annual", kind="annual", label=L("网络阵地", "Online accounts"),
                            area="online", figures=lambda ctx: [ctx.t("巡查网络账号{n}次", "{n} reviews", n=3)],
                            attachments=lambda ctx: [Section(ctx.t("网络账号巡查表", "Reviews of accounts"), (), (table,))]))

* ``figures(ctx)``: sentences (no final full stop needed) joined into the paragraph of ``area``
  in 二、主要做法和成效; an area nobody writes figures for gets the counts of its ledgers.
* ``basics(ctx)``: sentences for 一、基本情况.
* ``plans(ctx)``: sentences for 四、下一步打算.
* ``attachments(ctx)``: sections printed as attachments (附件), in ``order``.
* ``sections(ctx)`` (the first API, still supported): in the annual report its sections are
  attachments too; in a dossier (``kind="dossier"``, ``ctx.person`` set) they follow the
  person's record.

A part that raises is reported where it would have been rather than failing the whole report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..i18n import L, as_text
from .period import Period, year_period

if TYPE_CHECKING:
    from ..ledger import Ledger, Record

KINDS = ("annual", "dossier")


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    """One heading with its text. ``level`` 1 is a part (or an attachment), 2 a part of one."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    level: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "paragraphs", tuple(self.paragraphs))
        object.__setattr__(self, "tables", tuple(self.tables))


@dataclass
class ReportContext:
    """What a section builder is given: the ledger, the period (``start``..``end``; ``year`` is
    the year it ends in), the language, today (the store's) and, for a dossier, the person."""

    ledger: "Ledger"
    year: int
    lang: str
    today: dt.date = field(default_factory=dt.date.today)
    person: str | None = None
    period: Period | None = None

    def __post_init__(self) -> None:
        if self.period is None:
            self.period = year_period(self.year)

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    @property
    def as_of(self) -> dt.date:
        """The last day that counts as done: the period's end, or today while it runs. A
        session dated after it is planned, not held."""
        return min(self.end, self.today)

    def t(self, zh: str, en: str, **kwargs: Any) -> str:
        """A text in the report's language; in English a count agrees with its noun ("1 meeting",
        "2 meetings", "1 report(s)" → "1 report")."""
        text = L(zh, en)
        out = (text.format(**kwargs) if kwargs else text).render(self.lang)
        return english_counts(out) if self.lang == "en" else out

    def has(self, record_type: str) -> bool:
        return record_type in self.ledger.registry.types

    def records(self, record_type: str, date_field: str | None = None, **equals: Any) -> list["Record"]:
        """The records of a type dated in the period (by ``date_field``, else the type's
        ``year_field``; an integer year counts when the period ends in it); [] when the type is
        not installed."""
        if not self.has(record_type):
            return []
        rt = self.ledger.type(record_type)
        name = date_field or rt.year_field
        if name is None:
            return self.ledger.all(record_type, **equals)
        found: list[Record] = []
        if name == rt.year_field:
            for year in self.period.years:
                found += self.ledger.all(record_type, year=year, **equals)
        else:
            found = self.ledger.all(record_type, **equals)
        out = []
        for r in found:
            value = r.data.get(name)
            if isinstance(value, dt.date):
                if value in self.period:
                    out.append(r)
            elif isinstance(value, int) and value == self.year:
                out.append(r)
        return out

    def held(self, record_type: str, date_field: str | None = None, **equals: Any) -> list["Record"]:
        """:meth:`records` up to :attr:`as_of`: what has taken place (a future one is planned)."""
        name = date_field or (self.ledger.type(record_type).year_field if self.has(record_type) else None)
        return [r for r in self.records(record_type, date_field, **equals)
                if not isinstance(r.data.get(name), dt.date) or r.data[name] <= self.as_of]


Builder = Callable[[ReportContext], Sequence[Any]]

SINGULAR = {"villages": "village", "communities": "community", "departments": "department", "offices": "office", "units": "unit",
            "members": "member", "meetings": "meeting", "times": "time", "hours": "hour", "duties": "duty", "events": "event",
            "reports": "report", "briefings": "briefing", "trainings": "training", "attendances": "attendance", "outlets": "outlet",
            "reviews": "review", "self-inspections": "self-inspection", "intellectuals": "intellectual", "cases": "case",
            "homes": "home", "checks": "check", "sessions": "session", "days": "day", "files": "file", "records": "record",
            "entries": "entry", "problems": "problem", "matters": "matter", "activities": "activity", "appraisals": "appraisal"}
MODIFIERS = ("village", "archive", "accountability", "democratic", "life", "central", "study", "committee", "pre-appointment",
             "duty", "liaison", "open", "superior")
ONE_OF = re.compile(r"\b1 ((?:(?:" + "|".join(MODIFIERS) + r") ){0,3})(" + "|".join(sorted(SINGULAR, key=len, reverse=True)) + r")\b")
MAYBE_S = re.compile(r"\b(\d+) ((?:[a-z-]+ ){0,3}?)([a-z-]+)\(s\)")


def english_counts(text: str) -> str:
    """"1 villages" → "1 village", "1 report(s)" → "1 report", "2 report(s)" → "2 reports"."""
    text = MAYBE_S.sub(lambda m: f"{m[1]} {m[2]}{m[3]}" + ("" if m[1] == "1" else "s"), text)
    return ONE_OF.sub(lambda m: f"1 {m[1]}{SINGULAR[m[2]]}", text)


@dataclass(frozen=True)
class ReportSpec:
    """What a plugin adds to the annual report or to the dossier: ``sections`` (the first API),
    and for the annual report ``figures`` of an ``area``, ``basics``, ``plans`` and
    ``attachments``; at least one of them."""

    id: str
    label: L
    sections: Callable[[ReportContext], list[Section]] | None = None
    kind: str = "annual"
    order: int = 100
    plugin: str = ""
    area: str = ""
    figures: Callable[[ReportContext], Sequence[str]] | None = None
    basics: Callable[[ReportContext], Sequence[str]] | None = None
    plans: Callable[[ReportContext], Sequence[str]] | None = None
    attachments: Callable[[ReportContext], list[Section]] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        parts = (self.sections, self.figures, self.basics, self.plans, self.attachments)
        if not self.id or not any(parts) or not all(p is None or callable(p) for p in parts):
            raise ValueError(f"a ReportSpec needs an id and a callable sections, figures, basics, plans or attachments (got {self.id!r})")
        if self.kind not in KINDS:
            raise ValueError(f"ReportSpec {self.id!r}: kind {self.kind!r} is not one of {KINDS}")
        if self.kind == "annual" and self.figures is not None and not self.area:
            raise ValueError(f"ReportSpec {self.id!r}: figures need the area they belong to (area=...)")
