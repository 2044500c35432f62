"""Settings declared by plugins (rule thresholds, limits), kept in the store, shared and audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .i18n import L, as_text
from .schema import Field, FieldProblem, KINDS

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9][a-z0-9_-]*)+$")


@dataclass(frozen=True)
class Setting:
    """``Setting("leadership.study-count.min", "integer", 6, L("每年中心组学习次数下限", "..."))``."""

    key: str
    kind: str
    default: Any
    label: L
    help: L | None = None
    validators: tuple = ()
    plugin: str = ""
    _field: Field = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if not KEY_RE.match(self.key):
            raise ValueError(f"setting key {self.key!r} must look like area.name (lower case, dotted)")
        if self.kind not in KINDS:
            raise ValueError(f"setting {self.key!r}: kind {self.kind!r} is not one of {KINDS}")
        object.__setattr__(self, "_field", Field("value", self.kind, self.label, validators=tuple(self.validators)))

    def coerce(self, value: Any) -> Any:
        """The typed value, or :class:`FieldProblem` naming why not."""
        if value is None or (isinstance(value, str) and not value.strip()):
            raise FieldProblem(L("不能为空", "cannot be empty"))
        return self._field.coerce(value)

    def to_stored(self, value: Any) -> Any:
        return self._field.to_stored(value)

    def from_stored(self, value: Any) -> Any:
        return self._field.from_stored(value)


def non_negative(value: Any) -> L | None:
    return L("不能为负数", "cannot be negative") if value < 0 else None


# A town's own value of a setting is kept under "<key>@<unit id>" (a county store holds several
# towns, each with its own thresholds: duty_tui.ledger.Ledger.setting reads it first)
TOWN_MARK = "@"
