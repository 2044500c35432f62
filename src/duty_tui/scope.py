"""Scopes: an account bound to a unit (分级负责, issue 19).

An account may be bound to a unit: it then reads and writes only the records that belong to that
unit or to a unit below it. Which unit a record belongs to its type declares
(:attr:`duty_tui.schema.RecordType.unit_path`): an event belongs to its organising unit, an
appraisal to its person's unit, a unit to itself; a record that belongs to no unit is the top
level's. The ledger enforces it (:class:`duty_tui.ledger.Ledger`: every read and every write);
this module only works out the units a scope holds and the store filters that select them.

A store may hold one organisation (one top unit: a town, its villages, offices and departments
below it) or several (a county store: several towns, each a top unit). An account bound to the
only top unit of a store sees the whole store, the records of no unit included (they are that
organisation's own); bound to one town of several, it sees that town only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

# how long a face's reads may use the unit tree it read (a unit moved by another operator shows
# after this); a write always reads it afresh inside its transaction
TREE_SECONDS = 2.0
MAX_DEPTH = 4  # references followed to find a record's unit (publication → outlet → unit is 2)


@dataclass(frozen=True)
class Scope:
    """The units an account bound to ``root`` works within: ``root`` and every unit below it."""

    root: str
    units: frozenset[str]
    town: str  # the top unit above (or at) the root: whose settings apply
    several: bool = False  # the store holds several towns (a county's)
    above: frozenset[str] = frozenset()  # the units above the root (their shared records are read below)

    def holds(self, owner: str | None) -> bool:
        """Whether a record belonging to ``owner`` (None: to no unit, the top level) is inside."""
        return owner is not None and owner in self.units

    def admits(self, owner: str | None, shared: bool) -> bool:
        """Whether a record belonging to ``owner`` is read here: of a shared type, by
        :meth:`reads_shared`; else only inside."""
        return self.reads_shared(owner) if shared else self.holds(owner)

    def reads_shared(self, owner: str | None) -> bool:
        """Whether a record of a shared type (a county's or a town's assessment table) belonging
        to ``owner`` is read here: one of no unit, of a unit above, or inside."""
        return owner is None or owner in self.units or owner in self.above


def parents_of(units: Iterable[tuple[str, str | None]]) -> dict[str, str | None]:
    return {unit_id: parent or None for unit_id, parent in units}


def top_units(parents: Mapping[str, str | None]) -> list[str]:
    """The units with no parent (a parent that does not exist counts as none)."""
    return sorted((u for u, p in parents.items() if not p or p not in parents), key=_num)


def top_of(unit_id: str, parents: Mapping[str, str | None]) -> str:
    seen = set()
    while True:
        parent = parents.get(unit_id)
        if not parent or parent not in parents or parent in seen:
            return unit_id
        seen.add(unit_id)
        unit_id = parent


def below(root: str, parents: Mapping[str, str | None]) -> frozenset[str]:
    """``root`` and every unit under it."""
    children: dict[str, list[str]] = {}
    for unit_id, parent in parents.items():
        if parent:
            children.setdefault(parent, []).append(unit_id)
    out, todo = set(), [root]
    while todo:
        unit_id = todo.pop()
        if unit_id not in out:
            out.add(unit_id)
            todo.extend(children.get(unit_id, ()))
    return frozenset(out)


def scope_for(root: str | None, parents: Mapping[str, str | None]) -> Scope | None:
    """The scope of an account bound to ``root``; None when it sees the whole store (not bound,
    or bound to the only top unit). A root that is no longer a unit holds that id alone (the
    account sees nothing until an admin binds it again)."""
    if root is None:
        return None
    if root not in parents:
        return Scope(root, frozenset({root}), root)
    tops = top_units(parents)
    if tops == [root]:
        return None
    return Scope(root, below(root, parents), top_of(root, parents), len(tops) > 1, ancestors(root, parents))


def ancestors(unit_id: str, parents: Mapping[str, str | None]) -> frozenset[str]:
    out: set[str] = set()
    parent = parents.get(unit_id)
    while parent and parent in parents and parent not in out:
        out.add(parent)
        parent = parents.get(parent)
    return frozenset(out)


def _num(unit_id: str) -> tuple[int, str]:
    head, _, tail = unit_id.rpartition("-")
    return (int(tail), head) if tail.isdigit() else (0, unit_id)
