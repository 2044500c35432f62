"""The errors every face turns into a message and an exit code.

Exit codes (the CLI contract): 0 ok, 1 check found errors, 2 bad input, 3 not permitted,
4 conflict, 5 check could not run a rule, 6 strict mode stopped on a plugin that failed to load.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import L


class DutyError(Exception):
    exit_code = 2

    def __init__(self, message: L):
        super().__init__(message.render("en"))
        self.message = message

    def render(self, lang: str) -> str:
        return self.message.render(lang)


@dataclass(frozen=True)
class FieldError:
    """One bad field: its name and the reason, in both languages."""

    field: str
    reason: L

    def render(self, lang: str) -> str:
        return f"{self.field}: {self.reason.render(lang)}"

    def as_json(self) -> dict[str, str]:
        return {"field": self.field, "reason": self.reason.render("en"), "reason_zh": self.reason.render("zh")}


@dataclass(frozen=True)
class PluginFailure(FieldError):
    """A plugin's ``duty_validate`` raised, or returned something other than a list of
    FieldErrors: the write is refused, naming the plugin (``field`` is ``plugin:<name>``);
    ``exc`` is what it raised, for a debug traceback."""

    plugin: str = ""
    exc: BaseException | None = field(default=None, compare=False, repr=False)


class ValidationError(DutyError):
    """Every bad field at once; nothing was written."""

    exit_code = 2

    def __init__(self, errors: list[FieldError], record_type: str | None = None):
        self.errors = list(errors)
        self.record_type = record_type
        message = L("输入有误,未写入:{n} 处", "invalid input, nothing written: {n} problem(s)").format(n=len(errors))
        super().__init__(message)
        self.args = ("; ".join(e.render("en") for e in self.errors),)

    def render(self, lang: str) -> str:
        lines = [self.message.render(lang)]
        lines += ["  " + e.render(lang) for e in self.errors]
        return "\n".join(lines)


class NotFound(DutyError):
    exit_code = 2


class NotPermitted(DutyError):
    exit_code = 3


class Conflict(DutyError):
    """Someone saved the record first. Says who and when, so the operator can decide."""

    exit_code = 4

    def __init__(self, record_id: str, expected: int, actual: int, by: str | None, at: str | None):
        self.record_id, self.expected, self.actual, self.by, self.at = record_id, expected, actual, by, at
        super().__init__(
            L(
                "{id} 已被他人修改:你编辑的是第 {expected} 版,现在是第 {actual} 版({by} 于 {at} 保存)。请重新载入后再改。",
                "{id} was changed by someone else: you edited version {expected}, it is now version {actual} "
                "(saved by {by} at {at}). Reload it and make your change again.",
            ).format(id=record_id, expected=expected, actual=actual, by=by or "?", at=at or "?")
        )


class StoreError(DutyError):
    """The store cannot be opened or is not in the state the command needs."""

    exit_code = 2
