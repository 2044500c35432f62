"""What one run of the TUI works with: the ledger (the only way to records), the language, the
year in view and today's date. No Textual here, so it can be built and tested on its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..errors import DutyError
from ..i18n import L, render
from ..identity import ROLE_LABELS
from ..ledger import Ledger, Record
from ..safetext import safe_text
from ..schema import RecordType
from .areas import area_label
from .messages import MESSAGES
from .time import time_text
from .titles import TitleCache



@dataclass
class Session:
    ledger: Ledger
    lang: str = "en"
    year: int = 0  # 0: this year, in the store's time zone
    today: dt.date = None  # type: ignore[assignment]  # None: the ledger's today (the store's time zone)
    store_label: str = ""
    keymap: dict[str, str] = field(default_factory=dict)
    _titles: TitleCache = field(init=False, repr=False)
    _zone: Any = field(init=False, repr=False, default=False)

    def __post_init__(self) -> None:
        self._titles = TitleCache(self.ledger)
        if self.today is None:
            self.today = self.ledger.today()
        if not self.year:
            self.year = self.today.year
        if not self.store_label:
            self.store_label = short_store_label(self.ledger.store.url)

    @property
    def registry(self):
        return self.ledger.registry

    # -- text ------------------------------------------------------------------------------
    def t(self, key: str, **kwargs: Any) -> str:
        """A catalogue message in the session's language; what it names (a record's title, who
        wrote it, a file) shows with its control characters escaped (safe_text)."""
        message = MESSAGES[key]
        return safe_text((message.format(**kwargs) if kwargs else message).render(self.lang))

    def r(self, value: Any) -> str:
        """Render an L (or a list of them, or anything) in the current language; a plugin's text
        (a finding's message naming a record) shows with its control characters escaped."""
        shown = render(value, self.lang)
        return safe_text(shown) if isinstance(shown, str) else shown

    def type_label(self, record_type: str | RecordType) -> str:
        rt = record_type if isinstance(record_type, RecordType) else self.registry.types.get(record_type)
        return rt.label.render(self.lang) if rt else str(record_type)

    def area_label(self, area: str) -> str:
        return area_label(self.registry, area, self.lang)

    def role_label(self) -> str:
        """The operator's role, and the unit the session works within when it is bound to one
        (文书 · 东风村): the header says whose records the screens show."""
        role = self.ledger.user.role
        label = ROLE_LABELS.get(role, L(role, role)).render(self.lang)
        scope = getattr(self.ledger, "scope", None)
        if scope is None:
            return label
        if getattr(self, "_scope_name", None) is None or self._scope_name[0] != scope:
            self._scope_name = (scope, self.ledger.titles([scope]).get(scope) or scope)
        return f"{label} · {safe_text(self._scope_name[1])}"

    def state_label(self, rt: RecordType, state: str | None) -> str:
        if rt.workflow is None or not state:
            return ""
        try:
            return rt.workflow.state(state).label.render(self.lang)
        except KeyError:
            return state

    # -- time ------------------------------------------------------------------------------
    @property
    def zone(self) -> dt.tzinfo | None:
        """The store's time zone, read once per session (None: the machine's own zone, also when
        the setting names a zone this machine does not know: `duty config get` says so)."""
        if self._zone is False:
            try:
                self._zone = self.ledger.zone()
            except DutyError:
                self._zone = None
        return self._zone

    def when(self, ts: str) -> str:
        """A stored UTC time as a person reads it: ``2026-11-30 06:30`` in the store's zone."""
        return time_text(ts, self.zone)

    def org_name(self) -> str:
        try:
            return str(self.ledger.setting("org.name") or "")
        except Exception:  # a store without the setting (or a plugin that removed it)
            return ""

    # -- records ---------------------------------------------------------------------------
    def types_by_area(self) -> list[tuple[str, list[RecordType]]]:
        out: list[tuple[str, list[RecordType]]] = []
        used = {t.name: self.ledger.count(t.name) > 0 for t in self.registry.types.values() if t.hidden_until_used}
        for area in self.registry.areas():
            out.append((area, [t for t in self.registry.types.values() if t.area == area and used.get(t.name, True)]))
        return out

    def title(self, record: Record) -> str:
        """The record's title; records a reference title names come from the session's cache
        (a palette or picker asks for many titles, one keystroke after another)."""
        return safe_text(self.ledger.title(record, self._titles.get), one_line=True)  # shown: controls escaped

    def titles(self, ids: Iterable[str]) -> dict[str, str]:
        """Titles of the records these ids name, kept in a bounded cache."""
        return {k: safe_text(v, one_line=True) for k, v in self._titles.get(ids).items()}  # shown: controls escaped

    def forget_titles(self) -> None:
        self._titles.forget()

    def remember_titles(self, titles: dict[str, str]) -> None:
        self._titles.remember(titles)


def short_store_label(url: str) -> str:
    """The store as a header can show it: the scheme and the file (never a password)."""
    scheme, _, rest = url.partition("://")
    if scheme.startswith(("sqlite", "tinydb")):
        name = rest.rstrip("/").rsplit("/", 1)[-1] or rest
        return f"{scheme.split('+')[0]}:{name}"
    host = rest.rsplit("@", 1)[-1]
    return f"{scheme.split('+')[0]}://{host}"
