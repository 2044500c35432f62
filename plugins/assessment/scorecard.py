"""The scorecard of one year, read through the ledger: the itemised assessment (考核细则, the
table the admin keeps: :mod:`.table`, :mod:`.itemised`) of the town committee, every village,
community, department and office and every leader, beside the appraisal a person entered (read,
never written); and, below it, the checks by area (:mod:`.scoring`: how many of each area's rules
pass, weighed by the area settings), which is a view of the findings, not anyone's score. No
Textual here: ``duty score``, the scorecard screen, the report and the tests all read this.

In the checks by area a rule's findings count against a leader only when they concern that
leader (:mod:`.concern`); a rule that failed to run leaves its area without a score, and the
items measured by it without a score either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from duty_tui.i18n import L
from duty_tui.ledger import Ledger
from duty_tui.rules import FAILED, Finding, run_rules_by_rule, sort_findings

from duty_tui.ledger import Record

from .concern import Concerns
from .itemised import ItemScore, SubjectScore
from .leaders import leaders_of_year
from .scoring import Card, rounded, score_card
from .settings import WARNING_POINTS
from .table import assess, example_table, grade_conflict


@dataclass(frozen=True)
class Appraisal:
    """What the appraisal panel gave, as entered."""

    id: str
    total: Any
    grade: str | None
    ideology_score: Any
    ideology_assessed: bool = False


@dataclass(frozen=True)
class LeaderCard:
    person: str
    name: str
    roles: tuple[str, ...]
    card: Card
    findings: tuple[Finding, ...]
    appraisal: Appraisal | None


@dataclass(frozen=True)
class Scorecard:
    year: int
    warning_points: Fraction
    committee: Card
    leaders: tuple[LeaderCard, ...]
    findings: tuple[Finding, ...]
    labels: dict[str, L]
    table: tuple[Record, ...] = ()                  # the assessment items of the year
    subjects: tuple[SubjectScore, ...] = ()         # the town committee, the units, the leaders
    appraisals: dict[str, Appraisal] | None = None  # person → the appraisal entered

    @property
    def total(self) -> Fraction | None:
        """The checks' weighted total by area (not a score of anyone: see :attr:`town`)."""
        return self.committee.total

    @property
    def example(self) -> bool:
        return example_table(self.table)

    @property
    def town(self) -> SubjectScore | None:
        return next((s for s in self.subjects if s.kind == "committee"), None)

    def subject(self, subject_id: str) -> SubjectScore | None:
        return next((s for s in self.subjects if s.id == subject_id), None)

    def appraisal(self, subject: SubjectScore) -> Appraisal | None:
        return (self.appraisals or {}).get(subject.id) if subject.kind == "leader" else None

    @property
    def failed(self) -> list[str]:
        """The rules that failed to run (their areas have no score)."""
        return self.committee.failed

    def label(self, area: str) -> L:
        """The area's label as its plugin declared it."""
        return self.labels.get(area) or L(area, area)


def weights(ledger: Ledger, areas) -> dict[str, Any]:
    """Each area's weight: its setting, 0 for an area that is not scored (or nobody declared)."""
    out = {}
    for area in areas:
        key = ledger.registry.area(area).weight_setting
        out[area] = ledger.setting(key) if key in ledger.registry.settings else 0
    return out


def build_scorecard(ledger: Ledger, year: int, today: dt.date | None = None, found: dict[str, list[Finding]] | None = None) -> Scorecard:
    """``found``: the rules' findings by rule id when the caller ran them already (the county's
    dashboard and report, which show them too)."""
    today = today or ledger.today()
    rules = [(rule.id, rule.area) for rule in ledger.registry.rules.values()]
    found = run_rules_by_rule(ledger, year, today=today) if found is None else found
    failed = {rule for rule, fs in found.items() if any(f.severity == FAILED for f in fs)}
    weight = weights(ledger, {area for _, area in rules})
    points = ledger.setting(WARNING_POINTS) if WARNING_POINTS in ledger.registry.settings else 50

    def card(keep) -> Card:
        severities = {rule: [f.severity for f in fs if keep(f)] for rule, fs in found.items()}
        return score_card(rules, severities, weight, points, ledger.registry.areas(), failed=failed)

    committee = card(lambda f: True)
    concerns = Concerns(ledger, year)
    every = [f for fs in found.values() for f in fs]
    concerns.preload(r for f in every for r in f.records)
    concerned = [(f, concerns.of_finding(f)) for f in every]
    leaders = leaders_of_year(ledger, year)
    names = ledger.names("person", [l.person for l in leaders])
    appraisals = appraisals_of(ledger, year)
    cards = []
    for leader in leaders:
        mine = tuple(f for f, persons in concerned if leader.person in persons)
        ids = {id(f) for f in mine}
        cards.append(LeaderCard(leader.person, names.get(leader.person, leader.person), leader.roles,
                                card(lambda f: id(f) in ids), sort_findings(mine), appraisals.get(leader.person)))
    labels = {a.id: a.label for a in ledger.registry.area_list()}
    table, subjects = assess(ledger, year, found, concerns, leaders)
    return Scorecard(year, Fraction(str(points)), committee, tuple(cards), tuple(sort_findings(every)), labels,
                     tuple(table), tuple(subjects), appraisals)


def appraisals_of(ledger: Ledger, year: int) -> dict[str, Appraisal]:
    """person → the appraisal entered for the year (the latest entered, should there be two)."""
    if "appraisal" not in ledger.registry.types:
        return {}
    out: dict[str, Appraisal] = {}
    for record in sorted(ledger.all("appraisal", year=year), key=lambda r: int(r.id.rsplit("-", 1)[1])):
        data = record.data
        out[data["person"]] = Appraisal(record.id, data.get("total"), data.get("grade"), data.get("ideology_score"),
                                        bool(data.get("ideology_assessed")))
    return out


# -- the shape `duty score --json` prints -------------------------------------------------------------

def card_json(scorecard: Scorecard, card: Card, lang: str, with_rules: bool = True) -> dict[str, Any]:
    areas = []
    for area in card.areas:
        entry: dict[str, Any] = {"area": area.area, "label": scorecard.label(area.area).render(lang),
                                 "weight": rounded(area.weight, 3), "score": rounded(area.score)}
        if area.failed:  # no score: these rules failed to run
            entry["failed"] = list(area.failed)
        if with_rules:
            entry["rules"] = [{"rule": r.rule, "points": rounded(r.points), "severity": r.severity, "findings": r.findings}
                              for r in area.rules]
        areas.append(entry)
    return {"total": rounded(card.total), "areas": areas, "failed": card.failed}


def points(value) -> float | None:
    return rounded(value, 2)


def item_json(scorecard: Scorecard, score: ItemScore, lang: str) -> dict[str, Any]:
    item = score.item
    out: dict[str, Any] = {
        "item": item.id, "order": item.order, "area": item.area, "area_label": scorecard.label(item.area).render(lang),
        "clause": item.clause, "title": item.title, "method": item.method, "rule": item.rule, "points": points(item.points),
        "deduction_each": points(item.deduction), "cap": points(item.limit), "veto": item.veto, "state": score.state,
        "score": points(score.score), "lost": points(score.lost), "self_score": points(score.self_score),
        "superior_score": points(score.score), "mark": score.mark,
        "deductions": [{"points": points(d.points), "reason": d.reason.render(lang), "source": d.source, "rule": d.rule,
                        "records": list(d.records), **({"veto_item": d.veto} if d.veto else {}),
                        **({"warning": True} if d.warning else {})} for d in score.deductions],
        "vetoed": score.vetoed,
    }
    if score.note is not None:
        out["measured"] = score.note.render(lang)
    if score.vetoed:
        out["veto_sources"] = [{"reason": t.reason.render(lang), "source": t.source, "rule": t.rule, "records": list(t.records)}
                               for t in score.triggers]
    return out


def subject_json(scorecard: Scorecard, subject: SubjectScore, lang: str) -> dict[str, Any]:
    appraisal = scorecard.appraisal(subject)
    return {
        "subject": subject.id, "kind": subject.kind, "name": subject.name, "roles": list(subject.roles),
        "score": points(subject.score), "full": points(subject.full), "lost": points(subject.lost),
        "self_total": points(subject.self_total),
        "pending": [i.item.id for i in subject.pending], "failed": subject.failed,
        "complete": not subject.pending and not subject.failed,
        "bars_excellent": bool(subject.bars_excellent), "vetoes": [i.item.id for i in subject.items if i.vetoed],
        "appraisal": None if appraisal is None else {"id": appraisal.id, "total": appraisal.total, "grade": appraisal.grade,
                                                     "ideology_assessed": appraisal.ideology_assessed,
                                                     "ideology_score": appraisal.ideology_score},
        "appraisal_conflict": grade_conflict(subject, appraisal.grade if appraisal else None),
        "items": [item_json(scorecard, i, lang) for i in subject.items],
    }


def scorecard_json(scorecard: Scorecard, lang: str, subject: str | None = None) -> dict[str, Any]:
    """The itemised assessment of every subject (or the one asked for), and the checks by area."""
    checks = card_json(scorecard, scorecard.committee, lang)
    leaders = []
    for leader in scorecard.leaders:
        own = card_json(scorecard, leader.card, lang, with_rules=False)
        leaders.append({"person": leader.person, "name": leader.name, "roles": list(leader.roles), "total": own["total"],
                        "incomplete": leader.card.incomplete, "areas": {a["area"]: a["score"] for a in own["areas"]},
                        "findings": [f.as_json(lang) for f in leader.findings]})
    subjects = [s for s in scorecard.subjects if subject in (None, "all", s.id)]
    town = scorecard.town
    return {
        "year": scorecard.year, "example": scorecard.example, "items": len(scorecard.table),
        "total": None if town is None else points(town.score), "full": None if town is None else points(town.full),
        "subjects": [subject_json(scorecard, s, lang) for s in subjects],
        "checks": {"warning_points": rounded(scorecard.warning_points), "total": checks["total"],
                   "incomplete": scorecard.committee.incomplete, "failed": checks["failed"], "areas": checks["areas"],
                   "leaders": leaders},
    }


def town_score(ledger: Ledger, year: int, today: dt.date, findings: dict[str, list[Finding]] | None = None):
    """The county's figure of a town (duty_tui.present.county.TownScorer): the town committee's
    itemised score; None when the town has no assessment table for the year."""
    from duty_tui.present.county import TownScore

    card = build_scorecard(ledger, year, today, found=findings)
    town = card.town
    if town is None:
        return None
    return TownScore(town.score, town.full, pending=len(town.pending), vetoed=bool(town.bars_excellent), example=card.example)
