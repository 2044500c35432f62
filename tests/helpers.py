"""Small helpers the domain plugins' tests share."""

from __future__ import annotations

import pytest

from duty_tui.errors import ValidationError
from duty_tui.rules import run_rules


def refusal(call) -> list[str]:
    """The reasons (in English) a write was refused for; it must be refused."""
    with pytest.raises(ValidationError) as refused:
        call()
    return [e.reason.render("en") for e in refused.value.errors]


def rule_findings(ledger, year, rule, today, unit=None, lang="en") -> list[tuple]:
    """(severity, message, record ids) of each finding one rule gives for a year."""
    return [(f.severity, f.message.render(lang), list(f.records))
            for f in run_rules(ledger, year, today=today, unit=unit, rule_ids=[rule])]
