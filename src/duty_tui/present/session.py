"""What one run of the TUI works with: the ledger (the only way to records), the language, the
year in view and today's date. No Textual here, so it can be built and tested on its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..i18n import L, render
from ..identity import ROLE_LABELS
from ..ledger import Ledger, Record
from ..schema import RecordType
from ..store import Filter
from .areas import area_label
from .messages import MESSAGES

TITLE_CACHE_LIMIT = 4000
FIND_ONE_BY_ONE = 64


@dataclass
class Session:
    ledger: Ledger
    lang: str = "en"
    year: int = field(default_factory=lambda: dt.date.today().year)
    today: dt.date = field(default_factory=dt.date.today)
    store_label: str = ""
    keymap: dict[str, str] = field(default_factory=dict)
    _titles: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.store_label:
            self.store_label = short_store_label(self.ledger.store.url)

    @property
    def registry(self):
        return self.ledger.registry

    # -- text ------------------------------------------------------------------------------
    def t(self, key: str, **kwargs: Any) -> str:
        message = MESSAGES[key]
        return (message.format(**kwargs) if kwargs else message).render(self.lang)

    def r(self, value: Any) -> str:
        """Render an L (or a list of them, or anything) in the current language."""
        return render(value, self.lang)

    def type_label(self, record_type: str | RecordType) -> str:
        rt = record_type if isinstance(record_type, RecordType) else self.registry.types.get(record_type)
        return rt.label.render(self.lang) if rt else str(record_type)

    def area_label(self, area: str) -> str:
        return area_label(self.registry, area, self.lang)

    def role_label(self) -> str:
        role = self.ledger.user.role
        return ROLE_LABELS.get(role, L(role, role)).render(self.lang)

    def state_label(self, rt: RecordType, state: str | None) -> str:
        if rt.workflow is None or not state:
            return ""
        try:
            return rt.workflow.state(state).label.render(self.lang)
        except KeyError:
            return state

    def org_name(self) -> str:
        try:
            return str(self.ledger.setting("org.name") or "")
        except Exception:  # a store without the setting (or a plugin that removed it)
            return ""

    # -- records ---------------------------------------------------------------------------
    def types_by_area(self) -> list[tuple[str, list[RecordType]]]:
        out: list[tuple[str, list[RecordType]]] = []
        for area in self.registry.areas():
            out.append((area, [t for t in self.registry.types.values() if t.area == area]))
        return out

    def title(self, record: Record) -> str:
        rt = self.registry.types.get(record.type)
        value = record.data.get(rt.title_field) if rt else None
        return "" if value in (None, "") else str(value)

    def titles(self, ids: Iterable[str]) -> dict[str, str]:
        """Titles of the records these ids name (one query per type for those not yet known),
        kept in a bounded cache."""
        ids = [i for i in ids if i]
        missing = [i for i in ids if i not in self._titles]
        if missing:
            self.remember_titles(fetch_titles(self.ledger, missing))
        return {i: self._titles.get(i, "") for i in ids}

    def forget_titles(self) -> None:
        self._titles.clear()

    def remember_titles(self, titles: dict[str, str]) -> None:
        if len(self._titles) + len(titles) > TITLE_CACHE_LIMIT:
            self._titles.clear()
        self._titles.update(titles)


def fetch_titles(ledger: Ledger, ids: Iterable[str]) -> dict[str, str]:
    """Titles of the records these ids name (no cache: the worker thread uses it too).

    A few are looked up one by one (a key lookup each, whatever the store); many in one query
    per type."""
    wanted = sorted(set(ids))
    out: dict[str, str] = {}
    if len(wanted) <= FIND_ONE_BY_ONE:
        for rid in wanted:
            record = ledger.find(rid)
            out[rid] = _title_of(ledger, record) if record is not None else ""
        return out
    by_type: dict[str, list[str]] = {}
    for rid in wanted:
        rtype = rid.rsplit("-", 1)[0]
        if rtype in ledger.registry.types:
            by_type.setdefault(rtype, []).append(rid)
    for rtype, chunk in by_type.items():
        for record in ledger.query(rtype, filters=(Filter("id", "in", tuple(chunk)),), limit=len(chunk)):
            out[record.id] = _title_of(ledger, record)
    for rid in wanted:
        out.setdefault(rid, "")
    return out


def _title_of(ledger: Ledger, record: Record) -> str:
    rt = ledger.registry.types.get(record.type)
    value = record.data.get(rt.title_field) if rt else None
    return "" if value in (None, "") else str(value)


def short_store_label(url: str) -> str:
    """The store as a header can show it: the scheme and the file (never a password)."""
    scheme, _, rest = url.partition("://")
    if scheme.startswith(("sqlite", "tinydb")):
        name = rest.rstrip("/").rsplit("/", 1)[-1] or rest
        return f"{scheme.split('+')[0]}:{name}"
    host = rest.rsplit("@", 1)[-1]
    return f"{scheme.split('+')[0]}://{host}"
