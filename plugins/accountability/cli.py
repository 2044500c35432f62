"""``duty suggest CASE-ID``: who answers for a case through the chain of responsibility, each with
its kind, its reasons, the clause each rests on and the record each comes from, a warning where
a term is in doubt, and the organisations bearing overall leadership responsibility;
``--accept`` names those not yet named on the case, except the ones with a warning, which are
left for the operator to check (and name by ``duty add case_party`` if they do answer)."""

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
        created = accept(env.ledger, case.id, found.ready(), env.lang) if accept_them else []
        if created:
            found = suggest_for_case(env.ledger, env.ledger.get(case.id))
        left = [s for s in found.open() if s.warnings] if accept_them else []
        lang = env.lang
        if as_json:
            body = {"case": case.id, "suggestions": [s.as_json(lang) for s in found.items],
                    "organisations": [o.as_json(lang) for o in found.organisations],
                    "notes": [n.render(lang) for n in found.notes]}
            if accept_them:
                body["created"] = created
                body["left_for_review"] = [s.person for s in left]
            env.emit_json(body)
            return
        click.echo(f"{case.id}  {case.data['title']}")
        if not found.items:
            click.echo(L("  没有可推荐的责任人", "  nobody to suggest").render(lang))
        for s in found.items:
            named = L("（已认定）", " (named)").render(lang) if s.named else ""
            click.echo(f"  {s.person:<10} {s.name}  {s.kind_label().render(lang)}{named}")
            for reason in s.reasons:
                click.echo(f"      {reason.text.render(lang)}  [{reason.record}]  {reason.clause.render(lang)}")
            for warning in s.warnings:
                click.echo(L("      ⚠ 请核实：{w}", "      ⚠ check: {w}").format(w=warning).render(lang))
        for o in found.organisations:
            click.echo(L("  组织 {unit} {name}：{reason}（{clause}）", "  organisation {unit} {name}: {reason} ({clause})").format(
                unit=o.unit, name=o.name, reason=o.text, clause=o.clause).render(lang))
        for note in found.notes:
            click.echo(L("  注：{note}", "  note: {note}").format(note=note).render(lang))
        if created:
            click.echo(L("已认定：{ids}", "named: {ids}").format(ids=", ".join(created)).render(lang))
        if left:
            click.echo(L("未认定（有待核实的警告）：{names}；核实后可用 duty add case_party 认定",
                         "not named (a warning to check first): {names}; once checked, name them with duty add case_party").format(
                names=L("、".join(s.name for s in left), ", ".join(s.name for s in left))).render(lang))
