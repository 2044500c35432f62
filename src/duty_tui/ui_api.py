"""What a plugin registers for the terminal UI, without importing Textual.

The objects here cross the plugin boundary, so they hold only plain Python: a label in both
languages, an area, and a callable. A screen's factory imports Textual itself, lazily, when the
operator opens it; a Textual upgrade then breaks the plugin's screen, never its record types,
rules or the loading of the plugin (harlequin PR 867).

::

    @hookimpl
    def duty_register_screens(register):
        register(ScreenSpec("leadership.chart", L("责任体系图", "Responsibility chart"), "leadership", open_chart))

    def open_chart(ui):              # ui: UiContext
        from .chart_screen import ChartScreen   # Textual is imported here, not at plugin load
        return ChartScreen(ui.ledger)

    @hookimpl
    def duty_register_commands(register):
        register(PaletteCommand("leadership.check-divisions", L("检查分工", "Check divisions"),
                                lambda ui: ui.open_list("leader", "role:member")))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Protocol

from .i18n import L, as_text

if TYPE_CHECKING:
    from .ledger import Ledger


class UiContext(Protocol):
    """What a plugin's screen factory or palette command is given: the running UI, seen through
    plain methods. The TUI implements it; a plugin never needs Textual to call these."""

    ledger: "Ledger"
    lang: str
    year: int
    today: dt.date

    def open_record(self, record_id: str) -> None:
        """Show a record's detail screen."""

    def open_list(self, record_type: str, filter_text: str = "") -> None:
        """Show the list of a record type, optionally filtered (the same text `/` takes)."""

    def open_screen(self, screen_id: str) -> None:
        """Open a registered :class:`ScreenSpec` by id."""

    def notify(self, message: L | str, severity: str = "information") -> None:
        """Show a short message (severity: information, warning or error)."""


@dataclass(frozen=True)
class ScreenSpec:
    """A screen a plugin adds where the generic list, form and detail are not enough.

    ``factory(ui)`` returns a ``textual.screen.Screen``; it is called when the operator opens the
    screen (from the navigation tree, under ``area``, or from the command palette).
    """

    id: str
    label: L
    area: str
    factory: Callable[[UiContext], Any]
    help: L | None = None
    plugin: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if not self.id or not callable(self.factory):
            raise ValueError(f"a ScreenSpec needs an id and a callable factory (got {self.id!r})")


@dataclass(frozen=True)
class PaletteCommand:
    """A command-palette entry: ``run(ui)`` is called when the operator picks it."""

    id: str
    label: L
    run: Callable[[UiContext], None]
    help: L | None = None
    plugin: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if not self.id or not callable(self.run):
            raise ValueError(f"a PaletteCommand needs an id and a callable run (got {self.id!r})")


__all__ = ["PaletteCommand", "ScreenSpec", "UiContext"]
