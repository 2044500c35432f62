"""``duty suggest CASE-ID``: who answers for a case through the chain of responsibility, each with
its reasons; ``--accept`` names those not yet named on the case."""

from __future__ import annotations

import click

from duty_tui.errors import FieldError, ValidationError
from duty_tui.i18n import L

from .suggest import accept, suggest_for_case


def add_commands(cli: click.Group) -> None:
    @cli.command("suggest")
    @click.argument("case_id", metavar="CASE-ID")
    @click.option("--accept", "accept_them", is_flag=True, help="Name the suggested persons not yet named on the case.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def suggest_cmd(env, case_id: str, accept_them: bool, as_json: bool) -> None:
        """Suggest who answers for a case, with the reasons. 推荐问责案件的责任人及理由。"""
        env.json = as_json
        case = env.ledger.get(case_id)
        if case.type != "case":
            raise ValidationError([FieldError("case", L("{id} 不是问责案件", "{id} is not an accountability case").format(id=case_id))])
        found = suggest_for_case(env.ledger, case)
        created = accept(env.ledger, case.id, found.open(), env.lang) if accept_them else []
        if created:
            found = suggest_for_case(env.ledger, env.ledger.get(case.id))
        if as_json:
            body = {"case": case.id, "suggestions": [s.as_json(env.lang) for s in found.items],
                    "notes": [n.render(env.lang) for n in found.notes]}
            if accept_them:
                body["created"] = created
            env.emit_json(body)
            return
        click.echo(f"{case.id}  {case.data['title']}")
        if not found.items:
            click.echo(L("  没有可推荐的责任人", "  nobody to suggest").render(env.lang))
        for s in found.items:
            named = L("（已认定）", " (named)").render(env.lang) if s.named else ""
            click.echo(f"  {s.person:<10} {s.name}  {s.kind_label().render(env.lang)}{named}")
            for reason in s.reasons:
                click.echo(f"      {reason.text.render(env.lang)}  [{reason.record}]")
        for note in found.notes:
            click.echo(L("  注：{note}", "  note: {note}").format(note=note).render(env.lang))
        if created:
            click.echo(L("已认定：{ids}", "named: {ids}").format(ids=", ".join(created)).render(env.lang))
