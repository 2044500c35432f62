"""``duty coming-events``: the events of the coming days and what each still lacks."""

from __future__ import annotations

import click

from duty_tui.i18n import L, render
from duty_tui.present.display import cells, pad

from .upcoming import coming_events


def add_commands(cli: click.Group) -> None:
    @cli.command("coming-events")
    @click.option("--days", type=click.IntRange(1), help="How many days ahead (default: the setting positions.upcoming.days, 30).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def coming_events_cmd(env, days: int | None, as_json: bool) -> None:
        """Events of the coming days and what each still lacks. 近期活动及其尚缺手续。"""
        env.json = as_json
        events = coming_events(env.ledger, env.ledger.today(), days)
        if as_json:
            env.emit_json([{"id": e.record.id, "title": e.record.data["title"], "date": e.record.data["date"].isoformat(),
                            "state": e.record.state, "days": e.days, "lacks": [item.render(env.lang) for item in e.lacks]}
                           for e in events])
            return
        if not events:
            click.echo(L("近期没有待办的活动", "no events coming up").render(env.lang))
        workflow = env.ledger.type("event").workflow
        labels = {e.record.state: workflow.state(e.record.state).label.render(env.lang) for e in events}
        width = max((cells(label) for label in labels.values()), default=0)
        for e in events:
            lacks = render(list(e.lacks), env.lang) if e.lacks else L("手续齐全", "ready").render(env.lang)
            state = pad(labels[e.record.state], width)
            click.echo(f"{e.record.data['date'].isoformat()}  {e.record.id:<9} {state}  {e.record.data['title']}  — {lacks}")
