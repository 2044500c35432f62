"""What team adds to the terminal UI: palette commands that open the lists a clerk goes to most
(rectifications past their due date, contacts without a liaison cadre)."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ui_api import PaletteCommand


def overdue_rectifications(ui) -> None:
    ui.open_list("self_inspection", f"state:open due<{ui.today.isoformat()}")


def contacts_without_liaison(ui) -> None:
    ui.open_list("contact", "liaison:")


COMMANDS = (
    PaletteCommand("team.overdue-rectifications", L("逾期未整改的自查问题", "Overdue rectifications"), overdue_rectifications,
                   help=L("仍待整改且已过整改时限的自查", "self-inspections still open past their due date")),
    PaletteCommand("team.contacts-without-liaison", L("没有联系干部的知识分子", "Contacts without a liaison cadre"),
                   contacts_without_liaison, help=L("每名联系对象都应有一名联系干部", "each contact should have a liaison cadre")),
)
