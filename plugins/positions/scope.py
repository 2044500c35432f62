"""Which findings a check of one unit (``duty check --unit ID``) keeps: those about that unit or
the units under it (an event by its organising unit, an outlet by its unit)."""

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
