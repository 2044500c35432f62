"""Rules: small pure checks over a year of records, returning findings.

A rule gets a :class:`RuleContext` (the year, an optional unit, today's date, settings, and
read access to records through the ledger) and yields :class:`Finding` objects. Year semantics
(domain.md): for the year still running, a count that can still be met is a warning; once the
year has ended it is an error. :meth:`RuleContext.shortfall` applies that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .i18n import L, as_text

if TYPE_CHECKING:
    from .ledger import Ledger, Record

ERROR, WARNING = "error", "warning"
SEVERITY_LABELS = {ERROR: L("错误", "error"), WARNING: L("提醒", "warning")}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    area: str
    message: L
    records: tuple[str, ...] = ()

    def as_json(self, lang: str) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "area": self.area,
                "message": self.message.render(lang), "records": list(self.records)}


@dataclass(frozen=True)
class Rule:
    id: str
    area: str
    label: L
    check: Callable[["RuleContext"], Iterable[Finding]]
    plugin: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if not self.id.startswith(self.area + "."):
            raise ValueError(f"rule id {self.id!r} must start with its area {self.area!r} and a dot")


@dataclass
class RuleContext:
    ledger: "Ledger"
    rule: Rule
    year: int
    today: dt.date
    unit: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def year_over(self) -> bool:
        return self.today > self.year_end

    def setting(self, key: str) -> Any:
        return self.ledger.setting(key)

    def records(self, record_type: str, *, in_year: bool = False, **equals: Any) -> list["Record"]:
        """Every record of a type (optionally only this year's, or with fields equal to values)."""
        return self.ledger.all(record_type, year=self.year if in_year else None, **equals)

    def units_in_scope(self) -> set[str] | None:
        """The unit checked (``--unit``) and every unit below it; None when every unit is."""
        if self.unit is None:
            return None
        children: dict[str, list[str]] = {}
        for unit in self.records("unit"):
            parent = unit.data.get("parent")
            if parent:
                children.setdefault(parent, []).append(unit.id)
        scope, todo = set(), [self.unit]
        while todo:
            unit_id = todo.pop()
            if unit_id not in scope:
                scope.add(unit_id)
                todo.extend(children.get(unit_id, ()))
        return scope

    def committee_in_scope(self) -> bool:
        """Whether the committee's own obligations belong to this check: a check of every unit,
        or of a committee."""
        if self.unit is None:
            return True
        unit = self.ledger.find(self.unit)
        return unit is not None and unit.data.get("kind") == "committee"

    def finding(self, severity: str, message: L, records: Iterable[str] = ()) -> Finding:
        return Finding(self.rule.id, severity, self.rule.area, message, tuple(records))

    def shortfall(self, have: int, need: int, message: L, records: Iterable[str] = ()) -> Finding | None:
        """A count below its minimum: a warning while the year runs, an error once it is over."""
        if have >= need:
            return None
        return self.finding(ERROR if self.year_over else WARNING, message, records)


def run_rules(ledger: "Ledger", year: int, *, unit: str | None = None, today: dt.date | None = None,
              rule_ids: Iterable[str] | None = None) -> list[Finding]:
    """Every registered rule (or the named ones) over one year; errors first, then by rule id."""
    today = today or dt.date.today()
    wanted = set(rule_ids) if rule_ids else None
    findings: list[Finding] = []
    for rule in ledger.registry.rules.values():
        if wanted is not None and rule.id not in wanted:
            continue
        ctx = RuleContext(ledger, rule, year, today, unit)
        findings.extend(f for f in rule.check(ctx) if f is not None)
    order = {ERROR: 0, WARNING: 1}
    return sorted(findings, key=lambda f: (order.get(f.severity, 2), f.rule))
