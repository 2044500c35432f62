"""``duty accounts-due``: the online accounts still to be reviewed in a year.

A plugin's command gets the invocation's environment with ``@click.pass_obj``: ``env.ledger``
acts as the operator, ``env.lang`` is their language, ``env.emit_json`` prints JSON.
"""

from __future__ import annotations

import datetime as dt

import click

from duty_tui.i18n import L

from .accounts import ONLINE_ACCOUNT
from .review import DUE, OVERDUE, STATUS_LABELS, reviews


@click.command("accounts-due")
@click.option("--year", type=int, help="The year (default: this year).")
@click.option("--unit", metavar="ID", help="Only this unit's accounts.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def accounts_due(env, year: int | None, unit: str | None, as_json: bool) -> None:
    """Online accounts still to be reviewed in a year. 尚未年审的网络账号。"""
    env.json = as_json
    today = dt.date.today()
    year = year or today.year
    due = [r for r in reviews(env.ledger, year, today, [unit] if unit else None) if r.status in (DUE, OVERDUE)]
    if as_json:
        env.emit_json([{"id": r.record.id, "account_name": r.record.data["account_name"], "platform": r.record.data["platform"],
                        "status": r.status, "due": r.due.isoformat(),
                        "last_review": r.record.data["last_review"].isoformat() if r.record.data["last_review"] else None}
                       for r in due])
        return
    if not due:
        click.echo(L("{year}年:各网络账号均已审核", "{year}: every online account is reviewed").format(year=year).render(env.lang))
        return
    platform = ONLINE_ACCOUNT.field("platform")
    for r in due:
        data = r.record.data
        click.echo(f"{r.record.id:<18} {STATUS_LABELS[r.status].render(env.lang):<10} {r.due.isoformat()}  "
                   f"{data['account_name']} ({platform.choice_label(data['platform']).render(env.lang)})")
