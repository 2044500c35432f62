"""Audit entries as a person reads them: who, when, what, and each changed field as
"label: before → after" in the operator's language. No Textual here."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from ..schema import RecordType
from ..store import AuditEntry
from .display import safe_text, show_value
from .session import Session
from .time import time_text

@dataclass(frozen=True)
class Change:
    when: str
    actor: str
    action: str
    lines: tuple[str, ...]


def action_text(session: Session, entry: AuditEntry, rt: RecordType | None) -> str:
    action = entry.action
    if action in ("create", "update", "delete", "init"):
        return session.t(f"action.{action}")
    if action.startswith("transition:"):
        name = action.split(":", 1)[1]
        label = name
        if rt is not None and rt.workflow is not None:
            for t in rt.workflow.transitions:
                if t.name == name:
                    label = session.r(t.label)
        return session.t("action.transition", name=label)
    return action


def when_text(ts: str, zone: dt.tzinfo | None = None) -> str:
    """2026-03-01T08:15:02.123Z (UTC, as the chain stores it) → 2026-03-01 16:15 in ``zone``
    (a session's :meth:`Session.when` gives the store's zone; ``None``: the machine's)."""
    return time_text(ts, zone)


def _load(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _shown(f, stored: Any, session: Session, titles: dict[str, str]) -> str:
    """A stored value as a person reads it; a value an older schema wrote shows as it is."""
    try:
        return show_value(f, f.from_stored(stored), session.lang, titles)
    except (TypeError, ValueError):
        return safe_text(stored)


def describe(session: Session, entry: AuditEntry) -> Change:
    before, after = _load(entry.before), _load(entry.after)
    record_type = (after or before or {}).get("type")
    rt = session.registry.types.get(record_type) if isinstance(record_type, str) else None
    actor = safe_text(entry.actor if not entry.by else f"{entry.actor} ({entry.by})", one_line=True)
    lines: list[str] = []
    if rt is not None and before is not None and after is not None:
        if before.get("state") != after.get("state"):
            lines.append(session.t("history.state", before=session.state_label(rt, before.get("state")) or "—",
                                   after=session.state_label(rt, after.get("state")) or "—"))
        changed = [f for f in rt.fields if before.get(f.name) != after.get(f.name)]
        ids = [i for f in changed for v in (before.get(f.name), after.get(f.name))
               for i in (v if isinstance(v, list) else [v]) if f.target and isinstance(i, str)]
        titles = session.titles(ids) if ids else {}
        empty = session.t("history.empty_value")
        for f in changed:
            old = _shown(f, before.get(f.name), session, titles) or empty
            new = _shown(f, after.get(f.name), session, titles) or empty
            lines.append(session.t("history.change", field=session.r(f.label), before=old, after=new))
    return Change(session.when(entry.ts), actor, action_text(session, entry, rt), tuple(lines))
