"""One duty report and one appraisal per person and year: a second would leave the rules and the
scorecard to guess which one counts."""

from __future__ import annotations

from duty_tui.errors import FieldError
from duty_tui.i18n import L


def one_per_year(ledger, record_type, after) -> list[FieldError]:
    person, year = after.get("person"), after.get("year")
    if not person or not year:
        return []
    others = [r.id for r in ledger.all(record_type.name, person=person, year=year) if r.id != after.get("id")]
    if others:
        return [FieldError("year", L("{person} 的 {year}年度{type}已录入（{other}）", "{person} already has a {type} for {year} ({other})").format(
            person=person, year=year, type=record_type.label, other=others[0]))]
    return []
