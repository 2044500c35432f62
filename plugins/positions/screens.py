"""What positions adds to the terminal UI: the coming-events screen (what each event still
lacks) and palette commands. Textual is imported only when the screen is opened."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ui_api import Action, PaletteCommand, ScreenSpec

from .types import AREA
from .upcoming import list_filter

COMING_EVENTS_SCREEN = "positions.coming-events"
COMING_EVENTS_ACTIONS = (
    Action(f"{COMING_EVENTS_SCREEN}.open", "enter", "open", L("打开活动（在其中办理流程）", "Open the event (its workflow is there)")),
)


def open_coming_events(ui):
    from .coming_screen import ComingEventsScreen

    return ComingEventsScreen(ui)


def show_coming_events(ui) -> None:
    ui.open_screen(COMING_EVENTS_SCREEN)


def list_coming_events(ui) -> None:
    ui.open_list("event", list_filter(ui.ledger, ui.today))


SCREENS = (
    ScreenSpec(COMING_EVENTS_SCREEN, L("近期活动", "Coming events"), AREA, open_coming_events,
               help=L("未来 30 天的报告会、讲座等，以及各自还缺什么", "events of the coming 30 days and what each still lacks"),
               actions=COMING_EVENTS_ACTIONS),
)

COMMANDS = (
    PaletteCommand("positions.coming-events", L("近期活动还缺什么", "What coming events still lack"), show_coming_events,
                   help=L("未来 30 天的活动：报批、批准、备案", "events of the coming 30 days: submission, approval, filing")),
    PaletteCommand("positions.coming-events-list", L("近期活动列表", "List of coming events"), list_coming_events,
                   help=L("活动列表，筛选为未来 30 天", "the event list filtered to the coming 30 days")),
)
