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
        """Show a short message (severity: information, warning or error). A one-line
        information of up to 60 columns is said in the key bar; anything else is a toast."""


@dataclass(frozen=True)
class Action:
    """A key and what it does, with a stable ``id`` by which the operator rebinds it in the
    configuration's ``[keymap]`` (``"leadership.structure.open" = "o"``). ``key`` is Textual's
    key name(s), comma-separated (``"enter"``, ``"ctrl+s"``, ``"f1,question_mark"``); ``action``
    the Textual action the key runs (``"open"`` calls the screen's ``action_open``). The label
    shows in the key bar and the help screen in the operator's language; ``show=False`` keeps it
    out of the key bar (help still lists it). ``scope`` groups the core's own keys in help."""

    id: str
    key: str
    action: str
    label: L
    scope: str = ""
    show: bool = True
    priority: bool = False
    key_display: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if not self.id or not self.key or not self.action:
            raise ValueError(f"an Action needs an id, a key and an action (got {self.id!r})")


@dataclass(frozen=True)
class ScreenSpec:
    """A screen a plugin adds where the generic list, form and detail are not enough.

    ``factory(ui)`` returns a ``textual.screen.Screen``; it is called when the operator opens the
    screen (from the navigation tree, under ``area``, or from the command palette). ``actions``
    are the keys the screen (and the dialogs it opens) binds, their ids in the plugin's namespace
    like the screen's own (``leadership.structure.open`` for ``leadership.structure``); they are
    declared here, without Textual, so help lists them and ``[keymap]`` can rebind them before the
    screen is first opened. The screen builds its ``BINDINGS`` from the same objects
    (``duty_tui.tui.plugin_screen.screen_bindings``).
    """

    id: str
    label: L
    area: str
    factory: Callable[[UiContext], Any]
    help: L | None = None
    plugin: str = ""
    actions: tuple[Action, ...] = ()
    short_label: L | None = None  # where the label does not fit (the navigation at 80 columns)
    # the modules the screen's factory imports when it opens: the TUI imports them after its first
    # paint, so the first opening does not pay for them (start-up stays as light)
    preload: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if self.short_label is not None:
            object.__setattr__(self, "short_label", as_text(self.short_label))
        object.__setattr__(self, "actions", tuple(self.actions))
        object.__setattr__(self, "preload", tuple(self.preload))
        if not self.id or not callable(self.factory):
            raise ValueError(f"a ScreenSpec needs an id and a callable factory (got {self.id!r})")
        namespace = self.id.split(".")[0] + "."
        for action in self.actions:
            if not isinstance(action, Action) or not action.id.startswith(namespace) or action.id == namespace:
                raise ValueError(f"screen {self.id!r}: its actions are Action objects with ids starting "
                                 f"{namespace!r} (got {getattr(action, 'id', action)!r})")


@dataclass(frozen=True)
class PaletteCommand:
    """A command-palette entry: ``run(ui)`` is called when the operator picks it. ``needs``: the
    permission it takes (``"export"``, ``"create"``, ``"transition:leader"``, see
    ``duty_tui.identity.GRANTS``): the palette offers it only to a role that has it."""

    id: str
    label: L
    run: Callable[[UiContext], None]
    help: L | None = None
    plugin: str = ""
    needs: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if not self.id or not callable(self.run):
            raise ValueError(f"a PaletteCommand needs an id and a callable run (got {self.id!r})")


__all__ = ["Action", "PaletteCommand", "ScreenSpec", "UiContext"]
