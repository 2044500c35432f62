"""What a ``leader`` row may not say: a term that ends before it starts."""

from __future__ import annotations

from duty_tui.errors import FieldError
from duty_tui.i18n import L


def leader_problems(after) -> list[FieldError]:
    since, until = after.get("since"), after.get("until")
    if since and until and until < since:
        return [FieldError("until", L("任职止（{until}）不能早于任职起（{since}）", "“until” ({until}) cannot be before “since” ({since})").format(
            until=until.isoformat(), since=since.isoformat()))]
    return []
