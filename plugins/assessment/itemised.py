"""The itemised assessment's arithmetic (考核细则), on plain values: no ledger, no Textual, exact
to the last digit (:class:`fractions.Fraction`).

An **item** has its points (分值) and a way to lose them. Every instance against a subject — a
finding of the item's rule that concerns it, a record missing from a count, a record found, or
the panel's mark — costs the item's deduction (每次扣分), until the cap (扣分上限; none given:
the item's points, 扣完为止). Instances past the cap are still listed, at 0 points, so the
reader sees all of them. A manual item scores what the panel (考核组) gave; without that score it
is **pending** and counts in neither the score nor the full marks. An item whose rule failed to
run has no score either (**failed**), and the subject's score is then incomplete.

A **veto** item (一票否决) is triggered by any instance (a finding, a shortfall, a record, or the
panel's finding): ``bar_excellent`` bars the top grade (优秀) that year; ``zero_area`` takes every
point the subject still has in the area, each as a deduction naming the veto item and what
triggered it. So for every item, points − score is the sum of its deductions, and each deduction
names its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Iterable, Sequence

from duty_tui.i18n import L

BAR_EXCELLENT, ZERO_AREA, NO_VETO = "bar_excellent", "zero_area", "none"
SCORED, PENDING, FAILED = "scored", "pending", "failed"
ZERO = Fraction(0)


def exact(value) -> Fraction:
    """A number as the decimal a person typed (0.1 is a tenth, not its binary cousin)."""
    return value if isinstance(value, Fraction) else Fraction(str(value))


@dataclass(frozen=True)
class ItemSpec:
    """One row of the table, as the admin entered it."""

    id: str
    area: str
    title: str
    points: Fraction
    method: str
    deduction: Fraction = ZERO
    cap: Fraction | None = None
    veto: str = NO_VETO
    veto_area: str | None = None
    clause: str = ""
    order: int | None = None
    example: bool = False
    rule: str | None = None

    @property
    def limit(self) -> Fraction:
        """The most the item can lose by its deductions."""
        return self.points if self.cap is None else min(self.cap, self.points)

    @property
    def zeroes(self) -> str:
        return self.veto_area or self.area


@dataclass(frozen=True)
class Instance:
    """One thing that costs points: a finding (its rule and records), a missing or a found record,
    a mark of the panel."""

    reason: L
    records: tuple[str, ...] = ()
    rule: str | None = None
    source: str = "finding"   # finding, missing (a count short), record (a record found), mark (the panel's)
    warning: bool = False     # a finding that is still a warning: the year runs and it can be made good


@dataclass(frozen=True)
class Deduction:
    points: Fraction
    reason: L
    records: tuple[str, ...] = ()
    rule: str | None = None
    veto: str | None = None   # the veto item that took these points (zero_area)
    source: str = "finding"   # as Instance's, or veto
    warning: bool = False


@dataclass(frozen=True)
class ItemScore:
    item: ItemSpec
    state: str                          # scored, pending, failed
    score: Fraction | None
    deductions: tuple[Deduction, ...] = ()
    vetoed: bool = False                # this item's own veto was triggered
    triggers: tuple[Instance, ...] = ()
    self_score: Fraction | None = None
    mark: str | None = None             # the assessment_mark record
    note: L | None = None               # how it was measured ("4 of 6")

    @property
    def lost(self) -> Fraction:
        return ZERO if self.score is None else self.item.points - self.score


@dataclass(frozen=True)
class SubjectScore:
    kind: str
    id: str
    name: str
    items: tuple[ItemScore, ...]
    roles: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, compare=False)

    def scored(self) -> list[ItemScore]:
        return [i for i in self.items if i.state == SCORED]

    @property
    def full(self) -> Fraction:
        """The points of the items that have a score."""
        return sum((i.item.points for i in self.scored()), ZERO)

    @property
    def score(self) -> Fraction:
        return sum((i.score for i in self.scored()), ZERO)

    @property
    def lost(self) -> Fraction:
        return self.full - self.score

    @property
    def pending(self) -> list[ItemScore]:
        return [i for i in self.items if i.state == PENDING]

    @property
    def failed(self) -> list[str]:
        return [i.item.rule or i.item.id for i in self.items if i.state == FAILED]

    @property
    def self_total(self) -> Fraction | None:
        given = [i.self_score for i in self.items if i.self_score is not None]
        return sum(given, ZERO) if given else None

    @property
    def bars_excellent(self) -> list[ItemScore]:
        return [i for i in self.items if i.vetoed and i.item.veto == BAR_EXCELLENT]

    @property
    def zeroed(self) -> list[ItemScore]:
        return [i for i in self.items if i.vetoed and i.item.veto == ZERO_AREA]


def deduct(item: ItemSpec, instances: Sequence[Instance]) -> tuple[Fraction, tuple[Deduction, ...]]:
    """Each instance costs the item's deduction until the cap; the rest are listed at 0. An item
    that deducts nothing (a veto item of 0 points) lists none: its veto names what triggered it."""
    if not item.deduction:
        return item.points, ()
    remaining, out = item.limit, []
    for inst in instances:
        cost = min(item.deduction, remaining)
        remaining -= cost
        out.append(Deduction(cost, inst.reason, inst.records, inst.rule, source=inst.source, warning=inst.warning))
    return item.points - (item.limit - remaining), tuple(out)


def score_item(item: ItemSpec, instances: Sequence[Instance], *, failed: bool = False, triggered: bool | None = None,
               self_score=None, mark: str | None = None, note: L | None = None) -> ItemScore:
    """A rule's or a count's item: its deductions, and its veto when anything triggered it."""
    own = None if self_score is None else exact(self_score)
    if failed:
        return ItemScore(item, FAILED, None, self_score=own, mark=mark, note=note)
    score, deductions = deduct(item, instances)
    vetoed = (bool(instances) if triggered is None else triggered) and item.veto != NO_VETO
    return ItemScore(item, SCORED, score, deductions, vetoed, tuple(instances) if vetoed else (), own, mark, note)


def score_manual(item: ItemSpec, mark: str | None, self_score, superior_score, vetoed: bool, notes: L) -> ItemScore:
    """The panel's score: the points it did not give are one deduction, the mark its source."""
    own = None if self_score is None else exact(self_score)
    veto = vetoed and item.veto != NO_VETO
    triggers = (Instance(notes, (mark,) if mark else (), source="mark"),) if veto else ()
    if superior_score is None:
        return ItemScore(item, PENDING, None, (), veto, triggers, own, mark)
    given = min(exact(superior_score), item.points)
    lost = item.points - given
    deductions = (Deduction(lost, notes, (mark,) if mark else (), source="mark"),) if lost else ()
    return ItemScore(item, SCORED, given, deductions, veto, triggers, own, mark)


def apply_vetoes(items: Iterable[ItemScore]) -> tuple[ItemScore, ...]:
    """A triggered ``zero_area`` veto takes every point left in its area, naming itself and its
    triggers as the source of each."""
    items = tuple(items)
    out = []
    vetoes = [i for i in items if i.vetoed and i.item.veto == ZERO_AREA]
    for it in items:
        for veto in vetoes:
            if it.item.area != veto.item.zeroes or it.state != SCORED or not it.score:
                continue
            records = tuple(dict.fromkeys(r for t in veto.triggers for r in t.records))
            reason = L("按否决项“{item}”本方面得零分", "the area zeroed by the veto item “{item}”").format(item=veto.item.title)
            it = replace(it, score=ZERO, deductions=it.deductions + (Deduction(it.score, reason, records, veto.item.rule, veto.item.id, "veto"),))
        out.append(it)
    return tuple(out)


def grouped(deductions: Iterable[Deduction]) -> list[tuple[Fraction, int, Deduction]]:
    """For reading: runs of the same deduction (a count six short: six times one point) as one
    line, (points together, how many, the deduction)."""
    out: list[tuple[Fraction, int, Deduction]] = []
    for d in deductions:
        if out and out[-1][2] == d:
            total, n, _ = out[-1]
            out[-1] = (total + d.points, n + 1, d)
        else:
            out.append((d.points, 1, d))
    return out
