"""The events of the coming days and what each still lacks before it may be held. No Textual:
the coming-events screen, the palette and ``duty coming-events`` all read this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from duty_tui.i18n import L
from duty_tui.ledger import Ledger, Record
from duty_tui.store import Filter

from .settings import UPCOMING_DAYS
from .vetting import speaker_problems
from .workflow import DRAFT, EVENT_WORKFLOW, HELD, NOT_HAPPENING, approver_is_organizer, is_approved

SPEAKER_KINDS = ("report_meeting", "lecture", "forum", "seminar")
STILL_COMING = tuple(s.name for s in EVENT_WORKFLOW.states if s.name not in (HELD, *NOT_HAPPENING))


def event_lacks(data: Mapping[str, Any], state: str | None) -> list[L]:
    """What an event still needs before it may be held, most pressing first."""
    lacks: list[L] = []
    if state == DRAFT:
        lacks.append(L("报批", "submission for approval"))
    if not is_approved(data):
        lacks.append(L("领导批准", "approval by a leader"))
    if not data.get("filed_on"):
        lacks.append(L("报市委宣传部备案", "filing with the propaganda department"))
    if not data.get("organizer"):
        lacks.append(L("组织者", "an organiser"))
    if not data.get("speakers") and not data.get("registered_speakers") and data.get("kind") in SPEAKER_KINDS:
        lacks.append(L("报告人", "the speakers"))
    if not data.get("venue"):
        lacks.append(L("地点", "a venue"))
    if approver_is_organizer(data):
        lacks.append(L("组织者以外的审批人", "an approver other than the organiser"))
    return lacks


@dataclass(frozen=True)
class ComingEvent:
    record: Record
    days: int
    lacks: tuple[L, ...]


def coming_window(ledger: Ledger, today: dt.date, days: int | None = None) -> tuple[dt.date, dt.date]:
    days = ledger.setting(UPCOMING_DAYS) if days is None else days
    return today, today + dt.timedelta(days=days)


def coming_events(ledger: Ledger, today: dt.date, days: int | None = None) -> list[ComingEvent]:
    """Events dated from today to ``days`` ahead (the setting by default), not yet held,
    rejected or cancelled, soonest first."""
    start, end = coming_window(ledger, today, days)
    filters = (Filter("date", "between", (start.isoformat(), end.isoformat())), Filter("state", "in", STILL_COMING))
    records = ledger.query("event", filters=filters, sort=(("date", False), ("id", False)), limit=None)
    return [ComingEvent(r, (r.data["date"] - today).days, tuple(event_lacks(r.data, r.state)) + unvetted(ledger, r)) for r in records]


def unvetted(ledger: Ledger, event: Record) -> tuple[L, ...]:
    """The event's registered speakers not vetted for its date, as one thing it lacks."""
    bad = [sid for sid, _ in speaker_problems(ledger, event.data.get("registered_speakers") or (), event.data["date"])]
    if not bad:
        return ()
    names = ledger.titles(bad)
    return (L("报告人审查（{names}）", "vetting of the speakers ({names})").format(names="、".join(names[s] for s in bad)),)


def list_filter(ledger: Ledger, today: dt.date, days: int | None = None) -> str:
    """The same window as the event list's filter text (what ``/`` takes)."""
    start, end = coming_window(ledger, today, days)
    finished = " ".join(f"state!={s.name}" for s in EVENT_WORKFLOW.states if s.name not in STILL_COMING)
    return f"date>={start.isoformat()} date<={end.isoformat()} {finished}"
