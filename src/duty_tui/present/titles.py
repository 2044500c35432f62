"""Titles of records for a face that shows many references: :meth:`Ledger.titles` behind a
bounded cache, so a screen or a document asks the store once per record."""

from __future__ import annotations

from typing import Iterable

CACHE_LIMIT = 4000


class TitleCache:
    def __init__(self, ledger, limit: int = CACHE_LIMIT):
        self.ledger, self.limit = ledger, limit
        self._known: dict[str, str] = {}

    def get(self, ids: Iterable[str]) -> dict[str, str]:
        """id → title ("" for an id that names no record)."""
        ids = [i for i in ids if i]
        missing = [i for i in ids if i not in self._known]
        if missing:
            self.remember(self.ledger.titles(missing))
        return {i: self._known.get(i, "") for i in ids}

    def __call__(self, record_id: str) -> str:
        """One record's title, or its id when it has none."""
        return self.get([record_id]).get(record_id) or record_id

    def remember(self, titles: dict[str, str]) -> None:
        if len(self._known) + len(titles) > self.limit:
            self._known.clear()
        self._known.update(titles)

    def forget(self) -> None:
        self._known.clear()
