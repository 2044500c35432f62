"""Rules: small pure checks over a year of records, returning findings.

A rule gets a :class:`RuleContext` (the year, an optional unit, today's date, settings, and
read access to records through the ledger) and yields :class:`Finding` objects. Year semantics
(domain.md): for the year still running, a count that can still be met is a warning; once the
year has ended it is an error. :meth:`RuleContext.shortfall` applies that.

Each rule runs on its own (:func:`run_rule`): one that raises, or returns something other than
findings, becomes one finding of severity ``failed`` naming the rule, its plugin and the error,
and the other rules still run. Findings sort errors first, then failed rules, then warnings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from .i18n import L, as_text

if TYPE_CHECKING:
    from .ledger import Ledger, Record

ERROR, FAILED, WARNING = "error", "failed", "warning"
SEVERITY_LABELS = {ERROR: L("问题", "error"), FAILED: L("规则出错", "rule failed"), WARNING: L("预警", "warning")}
SEVERITY_ORDER = {ERROR: 0, FAILED: 1, WARNING: 2}


@dataclass(frozen=True)
class Fix:
    """What would put a finding right: a new record of ``record_type`` with ``values`` filled in
    (field name → typed value, e.g. ``Fix("appraisal", {"person": "person-3", "year": 2025})``).
    The TUI opens that record's form prefilled when Enter is pressed on the finding."""

    record_type: str
    values: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", dict(self.values))

    def as_json(self) -> dict[str, Any]:
        return {"type": self.record_type,
                "values": {k: v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v for k, v in self.values.items()}}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    area: str
    message: L
    records: tuple[str, ...] = ()
    error: BaseException | None = field(default=None, compare=False, repr=False)  # what a failed rule raised
    fix: Fix | None = field(default=None, compare=False)  # the new record that would satisfy it, when a rule can say

    def __post_init__(self) -> None:
        # a plugin may give a plain string (it reads the same in both languages) and a list of ids
        object.__setattr__(self, "message", as_text(self.message))
        object.__setattr__(self, "records", tuple(self.records))

    def as_json(self, lang: str) -> dict[str, Any]:
        out = {"rule": self.rule, "severity": self.severity, "area": self.area,
               "message": self.message.render(lang), "records": list(self.records)}
        if self.fix is not None:
            out["fix"] = self.fix.as_json()
        return out


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

    def finding(self, severity: str, message: L, records: Iterable[str] = (), fix: Fix | None = None) -> Finding:
        return Finding(self.rule.id, severity, self.rule.area, message, tuple(records), fix=fix)

    def shortfall(self, have: int, need: int, message: L, records: Iterable[str] = (), fix: Fix | None = None) -> Finding | None:
        """A count below its minimum: a warning while the year runs, an error once it is over.
        ``fix``: the new record that would count (see :class:`Fix`)."""
        if have >= need:
            return None
        return self.finding(ERROR if self.year_over else WARNING, message, records, fix)


def rule_failed(rule: Rule, error: "L | str", exc: BaseException | None = None) -> Finding:
    """The one finding that stands for a rule that could not run."""
    return Finding(rule.id, FAILED, rule.area, L("插件 {plugin} 的规则 {rule} 运行出错：{error}",
                                                  "rule {rule} of plugin {plugin} failed: {error}").format(
        plugin=rule.plugin or "?", rule=rule.id, error=error), (), exc)


def _kind(value: Any) -> str:
    return "None" if value is None else type(value).__name__


def run_rule(ledger: "Ledger", rule: Rule, year: int, *, today: dt.date, unit: str | None = None) -> list[Finding]:
    """One rule over one year, on its own: an exception, or a result that is not an iterable of
    :class:`Finding`, becomes one ``failed`` finding instead of reaching the caller."""
    if unit is None:  # a ledger bound to a unit checks that unit (and those below it)
        unit = getattr(ledger, "scope", None)
    try:
        result = rule.check(RuleContext(ledger, rule, year, today, unit))
        if result is None or isinstance(result, (str, bytes, Mapping, Finding)) or not hasattr(result, "__iter__"):
            return [rule_failed(rule, L("返回了 {kind}，不是检查结果", "returned {kind}, not findings").format(kind=_kind(result)))]
        findings = [f for f in result if f is not None]
    except Exception as exc:  # a plugin's rule must not take the check, the report or the scorecard down
        return [rule_failed(rule, f"{type(exc).__name__}: {exc}", exc)]
    bad = next((f for f in findings if not isinstance(f, Finding)), None)
    if bad is not None:
        return [rule_failed(rule, L("返回的结果中有 {kind}，不是检查结果", "returned {kind} among its findings, not a Finding").format(
            kind=_kind(bad)))]
    odd = next((f for f in findings if f.severity not in (ERROR, WARNING)), None)
    if odd is not None:
        return [rule_failed(rule, L("给出了严重性 “{s}” 的结果（应为 error 或 warning）",
                                    "gave a finding of severity {s!r} (it must be error or warning)").format(s=odd.severity))]
    return findings


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then failed rules, then warnings; by rule id within each."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, len(SEVERITY_ORDER)), f.rule))


def run_rules_by_rule(ledger: "Ledger", year: int, *, unit: str | None = None, today: dt.date | None = None,
                      rule_ids: Iterable[str] | None = None) -> dict[str, list[Finding]]:
    """rule id → its findings, every registered rule (or the named ones) run on its own; ``today``
    is by default the ledger's (the day in the store's time zone)."""
    today = today or ledger.today()
    wanted = set(rule_ids) if rule_ids else None
    with ledger.steady():  # the settings and the scope's filters read once for every rule
        return {rule.id: run_rule(ledger, rule, year, today=today, unit=unit)
                for rule in ledger.registry.rules.values() if wanted is None or rule.id in wanted}


def run_rules(ledger: "Ledger", year: int, *, unit: str | None = None, today: dt.date | None = None,
              rule_ids: Iterable[str] | None = None) -> list[Finding]:
    """Every registered rule (or the named ones) over one year, each on its own (a rule that
    fails is a ``failed`` finding); in :func:`sort_findings` order."""
    by_rule = run_rules_by_rule(ledger, year, unit=unit, today=today, rule_ids=rule_ids)
    return sort_findings(f for found in by_rule.values() for f in found)


def failed_rules(findings: Iterable[Finding]) -> list[str]:
    """The ids of the rules that could not run, in order, once each."""
    return list(dict.fromkeys(f.rule for f in findings if f.severity == FAILED))
