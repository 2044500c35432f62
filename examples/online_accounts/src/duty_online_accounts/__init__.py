"""duty-online-accounts: online-account registrations (网络账号备案) as a duty-tui plugin.

Installed, it is found through the ``duty_tui`` entry point (see pyproject.toml). Each hook below
is described in duty-tui's docs/plugins.md. Nothing this module imports loads Textual: the
review screen's module is imported by its factory, when the operator opens it.
"""

from __future__ import annotations

from duty_tui.errors import FieldError
from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.rules import ERROR, WARNING, Rule
from duty_tui.settings import Setting
from duty_tui.ui_api import Action, PaletteCommand, ScreenSpec

from .accounts import ACCOUNT, AREA, ONLINE_ACCOUNT
from .review import DUE, DUE_MONTH, OVERDUE, a_month, reviews

RULE = f"{AREA}.online-accounts-reviewed"
SCREEN = "online_accounts.review"
# the review screen's own key, declared here (no Textual) so help lists it and [keymap] rebinds it
# ("online_accounts.review.open" = "o"); the screen builds its bindings from it
# (priority: it goes before the table's own Enter, which would hide it from the key bar)
OPEN_ACCOUNT = Action(f"{SCREEN}.open", "enter", "open", L("打开账号", "Open the account"), priority=True)


# -- record types, settings, rules -----------------------------------------------------------------


@hookimpl
def duty_register_types(register):
    register(ONLINE_ACCOUNT)


@hookimpl
def duty_register_settings(register):
    register(Setting(DUE_MONTH, "integer", 12, L("网络账号年审截止月份", "Month by which online accounts are reviewed"),
                     help=L("每个账号须在当年该月月底前审核;此前为提醒,此后为错误",
                            "each account is reviewed by the end of this month: a warning until then, an error after"),
                     validators=(a_month,)))


def check_reviews(ctx):
    """Every account registered before the year is reviewed in it, by the due month (with
    ``duty check --unit``: the accounts of that unit and the units below it)."""
    platform = ONLINE_ACCOUNT.field("platform")
    for review in reviews(ctx.ledger, ctx.year, ctx.today, ctx.units_in_scope()):
        if review.status not in (DUE, OVERDUE):
            continue
        data = review.record.data
        message = L("网络账号 “{name}”({platform}){year}年尚未审核,截止 {due}",
                    "online account “{name}” ({platform}) not reviewed in {year}; due {due}").format(
            name=data["account_name"], platform=platform.choice_label(data["platform"]), year=ctx.year, due=review.due.isoformat())
        yield ctx.finding(ERROR if review.status == OVERDUE else WARNING, message, [review.record.id])


@hookimpl
def duty_register_rules(register):
    register(Rule(RULE, AREA, L("网络账号年审", "Online accounts reviewed yearly"), check_reviews))


@hookimpl
def duty_validate(ledger, action, record_type, before, after):
    if record_type.name != ACCOUNT or not after:
        return []
    registered, last = after.get("registered_on"), after.get("last_review")
    if registered and last and last < registered:
        return [FieldError("last_review", L("审核日期不能早于备案日期 {date}", "a review cannot be dated before the registration ({date})").format(
            date=registered.isoformat()))]
    return []


# -- the terminal UI: a screen and a palette command, without importing Textual here -------------------


def open_review_screen(ui):
    from .screen import ReviewScreen  # Textual is imported now, when the operator opens the screen

    return ReviewScreen(ui)


@hookimpl
def duty_register_screens(register):
    register(ScreenSpec(SCREEN, L("网络账号年审", "Online account reviews"), AREA, open_review_screen,
                        help=L("本年度各网络账号的审核情况", "where each online account stands with this year's review"),
                        actions=(OPEN_ACCOUNT,)))


@hookimpl
def duty_register_commands(register):
    register(PaletteCommand("online_accounts.never-reviewed", L("从未审核的网络账号", "Online accounts never reviewed"),
                            lambda ui: ui.open_list(ACCOUNT, "last_review:"),
                            help=L("网络账号列表,筛选为没有审核日期的", "the account list, filtered to those with no review date")))


# -- the command line and the demo ----------------------------------------------------------------------


@hookimpl
def duty_cli_commands(cli):
    from .cli import accounts_due

    cli.add_command(accounts_due)


@hookimpl
def duty_demo_records(ledger, year):
    from .demo import add_accounts

    add_accounts(ledger, year)


__all__ = ["ONLINE_ACCOUNT", "OPEN_ACCOUNT", "RULE", "SCREEN", "check_reviews", "open_review_screen"]
