"""The scorecard of one year, read through the ledger: the committee's areas and total, and each
leader's, beside the appraisal a person entered (read, never written). The arithmetic is in
:mod:`.scoring`, who a finding concerns in :mod:`.concern`. No Textual here: ``duty score``,
the scorecard screen and the tests all read this.

A leader is scored on the same rules and weights as the committee, but a rule's findings count
against a leader only when they concern that leader: a leader whom nothing concerns scores 100.
A rule that failed to run leaves its area without a score, for the committee and every leader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from duty_tui.i18n import L
from duty_tui.ledger import Ledger
from duty_tui.rules import FAILED, Finding, run_rules_by_rule, sort_findings

from .concern import Concerns
from .leaders import leaders_of_year
from .scoring import Card, rounded, score_card
from .settings import WARNING_POINTS


@dataclass(frozen=True)
class Appraisal:
    """What the appraisal panel gave, as entered."""

    id: str
    total: Any
    grade: str | None
    ideology_score: Any


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

    @property
    def total(self) -> Fraction | None:
        return self.committee.total

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


def build_scorecard(ledger: Ledger, year: int, today: dt.date | None = None) -> Scorecard:
    today = today or ledger.today()
    rules = [(rule.id, rule.area) for rule in ledger.registry.rules.values()]
    found = run_rules_by_rule(ledger, year, today=today)
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
    return Scorecard(year, Fraction(str(points)), committee, tuple(cards), tuple(sort_findings(every)), labels)


def appraisals_of(ledger: Ledger, year: int) -> dict[str, Appraisal]:
    """person → the appraisal entered for the year (the latest entered, should there be two)."""
    if "appraisal" not in ledger.registry.types:
        return {}
    out: dict[str, Appraisal] = {}
    for record in sorted(ledger.all("appraisal", year=year), key=lambda r: int(r.id.rsplit("-", 1)[1])):
        data = record.data
        out[data["person"]] = Appraisal(record.id, data.get("total"), data.get("grade"), data.get("ideology_score"))
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


def scorecard_json(scorecard: Scorecard, lang: str) -> dict[str, Any]:
    committee = card_json(scorecard, scorecard.committee, lang)
    leaders = []
    for leader in scorecard.leaders:
        own = card_json(scorecard, leader.card, lang, with_rules=False)
        appraisal = leader.appraisal
        leaders.append({
            "person": leader.person, "name": leader.name, "roles": list(leader.roles), "total": own["total"],
            "incomplete": leader.card.incomplete,
            "areas": {a["area"]: a["score"] for a in own["areas"]},
            "findings": [f.as_json(lang) for f in leader.findings],
            "appraisal": None if appraisal is None else {"id": appraisal.id, "total": appraisal.total, "grade": appraisal.grade,
                                                         "ideology_score": appraisal.ideology_score},
        })
    return {"year": scorecard.year, "warning_points": rounded(scorecard.warning_points), "total": committee["total"],
            "incomplete": scorecard.committee.incomplete, "failed": committee["failed"], "areas": committee["areas"],
            "leaders": leaders}
