"""Areas: the parts of the responsibility system a plugin answers for (the plan's 组织领导,
阵地管理, 队伍管理, 责任制考核, 责任追究 …). Record types, rules and screens name the area they
belong to; the plugin that owns an area declares it once, with its label in both languages, its
place in the order every face shows areas in, and whether it counts in the scorecard::

    @hookimpl
    def duty_register_areas(register):
        register(Area("online", L("网络阵地", "Online front"), order=60))

A scored area gets a setting of its weight (``assessment.weight.<id>``, default ``weight``);
an operator sets it to 0 to leave the area out of the scorecard. An area that something uses
but nobody declares shows by its id, comes last and is not scored (``duty plugins`` says so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from numbers import Real

from .i18n import L, as_text

AREA_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
UNDECLARED_ORDER = 1000


@dataclass(frozen=True)
class Area:
    id: str
    label: L
    order: int = 100
    scored: bool = True
    weight: float = 1
    help: L | None = None
    plugin: str = ""
    declared: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if not self.declared:  # an id a type or rule uses, as it is: shown, never refused
            return
        if not isinstance(self.id, str) or not AREA_ID_RE.match(self.id):
            raise ValueError(f"area id {self.id!r} must be lower case letters, digits and _ (e.g. 'online')")
        if not isinstance(self.order, int) or isinstance(self.order, bool):
            raise ValueError(f"area {self.id!r}: order must be an integer, got {self.order!r}")
        if not isinstance(self.weight, Real) or isinstance(self.weight, bool) or self.weight < 0:
            raise ValueError(f"area {self.id!r}: weight must be a number of at least 0, got {self.weight!r}")

    @property
    def weight_setting(self) -> str | None:
        """The setting that holds this area's weight in the scorecard (None: never scored)."""
        return weight_key(self.id) if self.scored else None


def weight_key(area: str) -> str:
    return f"assessment.weight.{area}"


def undeclared(area_id: str) -> Area:
    """What an area nobody declared is taken as: its id for a label, last, not scored."""
    return Area(area_id, L(area_id, area_id), order=UNDECLARED_ORDER, scored=False, declared=False)


__all__ = ["Area", "weight_key"]
