"""Areas as a person reads them: the label their plugin declared, in the declared order."""

from __future__ import annotations

from ..areas import Area
from ..i18n import L


def area_text(registry, area_id: str) -> L:
    """The area's label in both languages (an undeclared area: its id)."""
    return registry.area(area_id).label


def area_label(registry, area_id: str, lang: str) -> str:
    return area_text(registry, area_id).render(lang)


def ordered_areas(registry, *, with_directory: bool = True) -> list[Area]:
    """The areas in the order every face shows them (the directory first, or left out)."""
    return [a for a in registry.area_list() if with_directory or a.id != "directory"]
