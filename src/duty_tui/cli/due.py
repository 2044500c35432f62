"""``duty due``: the operator's reminders (duty_tui.present.due), for a terminal or cron."""

from __future__ import annotations

import sys

import click

from ..i18n import L
from . import Env, cli, json_option, pass_env
from .output import table

EXIT_OVERDUE = 1
COLOURS = {"red": "red", "yellow": "yellow", "blue": "bright_blue"}
LIGHT_TEXT = {"red": L("红", "red"), "yellow": L("黄", "yellow"), "blue": L("蓝", "blue")}

DUE_HELP = """What is due or overdue among the records you answer for.

\b
A record is yours when your account is bound to a person (duty users add NAME --person ID) and
that person is named where its type says who answers (an event's organiser or approver, a duty
item's owner, a self-inspection's responsible person ...). Lights: red overdue, yellow due within
due.soon-days (default 7), blue coming within due.window-days (default 30) or --days.

\b
Exit codes (for cron): 0 nothing overdue, 1 something overdue, 2 bad arguments.

列出本人负责的记录中将到期和已逾期的事项（红：逾期；黄：临近；蓝：将到）。退出码：0 无逾期，1 有逾期，2 参数错误。
"""


@cli.command("due", help=DUE_HELP)
@click.option("--days", type=click.IntRange(min=0), metavar="N", help="List what falls due within N days (default: the setting due.window-days).")
@click.option("--all", "show_all", is_flag=True, help="Every record, whoever answers for it (an admin, or an account bound to no person).")
@json_option
@pass_env
def due_cmd(env: Env, days: int | None, show_all: bool, as_json: bool) -> None:
    from ..present.due import counts, due_for, thresholds, when

    env.json = as_json
    ledger = env.ledger
    user = ledger.user
    if show_all and user.person and user.role != "admin":
        raise click.UsageError(env.t("--all 仅供管理员或未关联人员的账号使用；{user} 关联了 {person}。",
                                     "--all is for an admin or an account bound to no person; {user} is bound to {person}.",
                                     user=user.name, person=user.person))
    if not show_all and not user.person:
        message = env.t("账号 {user} 未关联人员，无从知道哪些事项由您负责：用 --all 查看全部，或请管理员关联（duty users add {user} --person ID）。",
                        "The account {user} is bound to no person, so nothing can be said to be yours: --all lists everything, "
                        "or an admin binds the account (duty users add {user} --person ID).", user=user.name)
        if as_json:
            env.emit_json({"person": None, "items": [], "message": message})
        else:
            click.echo(message, err=True)
        return
    person = None if show_all else user.person
    soon, window = thresholds(ledger)
    items = due_for(ledger, person, window=days if days is not None else window, soon=soon)
    overdue = sum(1 for i in items if i.light == "red")
    if as_json:
        env.emit_json({"person": person, "today": ledger.today().isoformat(), "soon_days": soon,
                       "window_days": days if days is not None else window, "items": [i.as_json() for i in items]})
    else:
        colour = sys.stdout.isatty()
        lang = env.lang
        if not items:
            click.echo(env.t("今后 {n} 天内没有到期或逾期的事项。", "Nothing due within {n} days, nothing overdue.",
                             n=days if days is not None else window))
        else:
            rows = []
            for item in items:
                why = ("、" if lang == "zh" else ", ").join(f"{w.label.render(lang)}{'：' if lang == 'zh' else ': '}{w.name}" for w in item.why)
                rows.append((LIGHT_TEXT[item.light].render(lang), item.due.isoformat(), when(item.days).render(lang), item.record_id, item.type_label.render(lang),
                             item.title, why))
            text = table([env.t("灯", "light"), env.t("到期日", "due"), env.t("剩余", "when"), env.t("编号", "id"),
                          env.t("类型", "type"), env.t("标题", "title"), env.t("负责缘由", "why yours")], rows)
            lines = text.split("\n")
            click.echo(lines[0])
            click.echo(lines[1])
            for line, item in zip(lines[2:], items):
                click.echo(click.style(line, fg=COLOURS[item.light]) if colour else line)
            n = counts(items)
            click.echo(env.t("逾期 {r} 项，临近 {y} 项，将到 {b} 项。", "{r} overdue, {y} due soon, {b} coming.",
                             r=n["red"], y=n["yellow"], b=n["blue"]))
    if overdue:
        click.get_current_context().exit(EXIT_OVERDUE)
