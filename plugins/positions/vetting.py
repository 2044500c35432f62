"""Whether a speaker may speak at an event (不得邀请政治倾向有明显偏差的报告人), and whether an outlet's
review is due: the judgements the rules, the approval step and the report share. No Textual.

A speaker is vetted for an event when the conclusion is 可以邀请, the vetting was done by the
day it had to be (the event's date for the rule; the approval's day for the approval step: a
leader approves speakers already vetted) and it still holds on the event's date (its
``valid_until``, else the setting ``positions.speaker.valid-days`` from the vetting).

An outlet's review is due ``positions.outlet-review.days.<kind>`` days after its latest review
(``last_review`` or a review record, whichever is later) — after it was opened when it was never
reviewed, after the start of the year when not even that is known."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from duty_tui.i18n import L

from .settings import SPEAKER_VALID_DAYS, review_days_key
from .types import SUITABLE, UNSUITABLE

Data = Mapping[str, Any]


def valid_through(speaker: Data, default_days: int) -> dt.date | None:
    """The last day the speaker's vetting holds (None: never vetted)."""
    if speaker.get("valid_until"):
        return speaker["valid_until"]
    vetted = speaker.get("vetted_on")
    return vetted + dt.timedelta(days=default_days) if vetted else None


def speaker_problem(speaker: Data, event_date: dt.date, default_days: int, vetted_by_day: dt.date | None = None) -> L | None:
    """Why the speaker may not speak at an event of ``event_date`` (None: vetted). The vetting had
    to be done by ``vetted_by_day`` (default: the event's date)."""
    name = speaker.get("name") or "?"
    due = vetted_by_day or event_date
    vetted, conclusion = speaker.get("vetted_on"), speaker.get("conclusion")
    if conclusion == UNSUITABLE:
        return L("报告人{name}的审查结论为不宜邀请（{vetted}）：应更换报告人", "speaker {name} found not to be invited ({vetted}): change the speaker").format(
            name=name, vetted=vetted.isoformat() if vetted else "-")
    if conclusion != SUITABLE or not vetted:
        return L("报告人{name}尚未审查：先审查，结论为可以邀请后方可邀请", "speaker {name} not vetted: vet them before inviting them").format(name=name)
    if vetted > due:
        return L("报告人{name}于 {vetted} 才审查，晚于 {due}：应事先审查", "speaker {name} vetted on {vetted}, after {due}: vet first").format(
            name=name, vetted=vetted.isoformat(), due=due.isoformat())
    until = valid_through(speaker, default_days)
    if until is not None and until < event_date:
        return L("报告人{name}的审查结论 {until} 已到期，早于活动日期 {date}：应重新审查", "speaker {name}'s vetting ran out on {until}, before {date}: vet again").format(
            name=name, until=until.isoformat(), date=event_date.isoformat())
    return None


def speaker_problems(ledger, speaker_ids: Iterable[str], event_date: dt.date, vetted_by_day: dt.date | None = None) -> list[tuple[str, L]]:
    """``[(speaker id, reason)]`` for each of ``speaker_ids`` not vetted for the event."""
    default_days = ledger.setting(SPEAKER_VALID_DAYS)
    out = []
    for sid in dict.fromkeys(speaker_ids):
        speaker = ledger.find(sid)
        if speaker is None:
            continue
        reason = speaker_problem(speaker.data, event_date, default_days, vetted_by_day)
        if reason:
            out.append((sid, reason))
    return out


@dataclass(frozen=True)
class ReviewDue:
    days: int                 # the kind's interval
    last: dt.date | None      # the latest review on or before the day judged
    due: dt.date              # when the next review is due


def review_due(outlet: Data, review_dates: Iterable[dt.date], as_of: dt.date, year_start: dt.date, setting) -> ReviewDue | None:
    """When the outlet's next review is due, judged on ``as_of`` (None: its kind has no interval).
    ``setting(key)`` reads a setting."""
    days = setting(review_days_key(outlet.get("kind") or "other"))
    if not days:
        return None
    dates = [d for d in review_dates if d <= as_of]
    if outlet.get("last_review") and outlet["last_review"] <= as_of:
        dates.append(outlet["last_review"])
    last = max(dates, default=None)
    base = last or outlet.get("opened_on") or year_start
    return ReviewDue(days, last, base + dt.timedelta(days=days))
