"""Names of the persons and units a finding or a screen mentions, read in one query per type."""

from __future__ import annotations

from typing import Iterable

from duty_tui.ledger import Ledger
from duty_tui.store import Filter


def names_of(ledger: Ledger, record_type: str, ids: Iterable[str]) -> dict[str, str]:
    """id → the record's ``name`` (its id when it has none) for the ids that exist."""
    wanted = tuple(sorted(set(ids)))
    if not wanted:
        return {}
    records = ledger.query(record_type, filters=(Filter("id", "in", wanted),), limit=None)
    return {r.id: str(r.data.get("name") or r.id) for r in records}
