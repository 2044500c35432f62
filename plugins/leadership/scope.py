"""Which findings a check of one unit (``duty check --unit ID``) keeps: those about that unit or
the units under it; the leading group's own obligations (its roles, study sessions and
meetings) belong to the committee, so they are kept for a check of every unit or of a
committee."""

from __future__ import annotations

from duty_tui.rules import RuleContext


def units_in_scope(ctx: RuleContext) -> set[str] | None:
    """``ctx.unit`` and every unit below it; None when the check covers every unit."""
    if ctx.unit is None:
        return None
    children: dict[str, list[str]] = {}
    for unit in ctx.records("unit"):
        parent = unit.data.get("parent")
        if parent:
            children.setdefault(parent, []).append(unit.id)
    scope, todo = set(), [ctx.unit]
    while todo:
        unit_id = todo.pop()
        if unit_id not in scope:
            scope.add(unit_id)
            todo.extend(children.get(unit_id, ()))
    return scope


def committee_in_scope(ctx: RuleContext) -> bool:
    if ctx.unit is None:
        return True
    unit = ctx.ledger.find(ctx.unit)
    return unit is not None and unit.data.get("kind") == "committee"
