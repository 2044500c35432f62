"""The scorecard's arithmetic, on plain values (no ledger, no Textual), exact to the last digit.

* A **rule** scores 100 points when it has no finding, the ``warning_points`` setting (50 by
  default) when its findings are warnings only, and 0 when any of them is an error. A rule that
  failed to run (it raised, or returned something other than findings) has no points.
* An **area** scores the mean of its rules' points (0–100); an area with no rule has no score,
  nor has an area one of whose rules failed (its ``failed`` names them: nobody knows its score).
* The **total** is the weighted mean of the areas' scores, with the weights from the settings
  (``assessment.weight.<area>``, 1 each by default, so equal unless an operator says
  otherwise); an area weighing 0 or without a score is left out; no weight at all, no total.
  A card with a failed rule is ``incomplete``: its total is over the other areas.

Scores are :class:`fractions.Fraction` here, so nothing is lost on the way; :func:`rounded`
gives the one-decimal number people read (half up: 62.25 shows as 62.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Collection, Iterable, Mapping, Sequence

ERROR, FAILED, WARNING = "error", "failed", "warning"
FULL = Fraction(100)


def exact(value) -> Fraction:
    """A setting's number as the decimal a person typed (0.1 is a tenth, not its binary cousin)."""
    return value if isinstance(value, Fraction) else Fraction(str(value))


def rule_points(severities: Iterable[str], warning_points) -> Fraction | None:
    found = set(severities)
    if FAILED in found:
        return None
    if ERROR in found:
        return Fraction(0)
    if WARNING in found:
        return exact(warning_points)
    return FULL


def mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def weighted_mean(pairs: Iterable[tuple[Fraction | None, Fraction]]) -> Fraction | None:
    """Σ score·weight / Σ weight over the pairs with a score and a positive weight."""
    counted = [(score, weight) for score, weight in pairs if score is not None and weight > 0]
    total_weight = sum((w for _, w in counted), Fraction(0))
    if not total_weight:
        return None
    return sum((s * w for s, w in counted), Fraction(0)) / total_weight


def rounded(value: Fraction | None, places: int = 1) -> float | None:
    if value is None:
        return None
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return float(decimal.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class RuleScore:
    rule: str
    area: str
    points: Fraction | None   # None: the rule failed to run
    severity: str | None   # failed, else the worst finding's, None when there is none
    findings: int


@dataclass(frozen=True)
class AreaScore:
    area: str
    weight: Fraction
    score: Fraction | None
    rules: tuple[RuleScore, ...]
    failed: tuple[str, ...] = ()   # the rules that failed to run: the area then has no score


@dataclass(frozen=True)
class Card:
    """The areas and the weighted total: of the committee, or of one leader."""

    areas: tuple[AreaScore, ...]
    total: Fraction | None

    def area(self, name: str) -> AreaScore | None:
        return next((a for a in self.areas if a.area == name), None)

    @property
    def failed(self) -> list[str]:
        """Every rule that failed to run, area by area."""
        return [rule for a in self.areas for rule in a.failed]

    @property
    def incomplete(self) -> bool:
        """Some area has no score because a rule of it failed: the total is over the others."""
        return bool(self.failed)


def score_rules(rules: Sequence[tuple[str, str]], severities: Mapping[str, Sequence[str]], warning_points,
                failed: Collection[str] = ()) -> list[RuleScore]:
    """``rules``: (rule id, area) pairs; ``severities``: rule id → the severities of the findings
    that count (a rule missing from it has none); ``failed``: the rules that failed to run."""
    out = []
    for rule, area in rules:
        found = [FAILED] if rule in failed else list(severities.get(rule, ()))
        worst = FAILED if FAILED in found else ERROR if ERROR in found else WARNING if WARNING in found else None
        out.append(RuleScore(rule, area, rule_points(found, warning_points), worst, len(found)))
    return out


def score_card(rules: Sequence[tuple[str, str]], severities: Mapping[str, Sequence[str]], weights: Mapping[str, object],
               warning_points, area_order: Sequence[str] = (), default_weight=1, failed: Collection[str] = ()) -> Card:
    """Every area that has rules (those in ``area_order`` first, in that order, then the rest by
    name), each with its rules' mean (none when a rule of it is in ``failed``), and the weighted
    total of the areas that have a score."""
    scored = score_rules(rules, severities, warning_points, failed)
    names = sorted({area for _, area in rules}, key=lambda a: (area_order.index(a) if a in area_order else len(area_order), a))
    areas = []
    for name in names:
        own = tuple(r for r in scored if r.area == name)
        broken = tuple(r.rule for r in own if r.severity == FAILED)
        score = None if broken else mean([r.points for r in own])
        areas.append(AreaScore(name, exact(weights.get(name, default_weight)), score, own, broken))
    return Card(tuple(areas), weighted_mean((a.score, a.weight) for a in areas))
