"""The shape of a report, independent of its format (no Textual, no docx, no xlsx).

A report is a title and a list of :class:`Section`. A section has a heading, paragraphs and
tables, all already rendered in the operator's language (``ctx.lang``), so a writer only lays
them out. Plugins add sections with ``duty_register_reports``::

    @hookimpl
    def duty_register_reports(register):
        register(ReportSpec(id="myplugin.annual", kind="annual", label=L("网络阵地", "Online accounts"),
                            sections=lambda ctx: [Section(ctx.t("网络阵地", "Online accounts"), ["..."])]))

``kind`` is ``annual`` (the annual report) or ``dossier`` (a person's dossier, ``ctx.person`` set);
``order`` places the sections (the core's come at 0-99). A spec whose ``sections`` raises is
reported in its own section rather than failing the whole report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ..i18n import L, as_text

if TYPE_CHECKING:
    from ..ledger import Ledger

KINDS = ("annual", "dossier")


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    """One heading with its text. ``level`` 1 is a chapter (an area), 2 a part of one."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    level: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "paragraphs", tuple(self.paragraphs))
        object.__setattr__(self, "tables", tuple(self.tables))


@dataclass
class ReportContext:
    """What a section builder is given."""

    ledger: "Ledger"
    year: int
    lang: str
    today: dt.date = field(default_factory=dt.date.today)
    person: str | None = None

    def t(self, zh: str, en: str, **kwargs: Any) -> str:
        text = L(zh, en)
        return (text.format(**kwargs) if kwargs else text).render(self.lang)


@dataclass(frozen=True)
class ReportSpec:
    """Sections a plugin adds to the annual report or to the dossier."""

    id: str
    label: L
    sections: Callable[[ReportContext], list[Section]]
    kind: str = "annual"
    order: int = 100
    plugin: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if not self.id or not callable(self.sections):
            raise ValueError(f"a ReportSpec needs an id and a callable sections (got {self.id!r})")
        if self.kind not in KINDS:
            raise ValueError(f"ReportSpec {self.id!r}: kind {self.kind!r} is not one of {KINDS}")
