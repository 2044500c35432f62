"""Record verbs: types, add, list, show, edit, delete, transition."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import FieldError, ValidationError
from ..i18n import L
from ..present.areas import area_label
from ..present.filtering import ParsedFilter
from ..schema import KIND_LABELS, RecordType
from . import Env, cli, json_option, pass_env
from ..present.display import cells, fit, safe_text, show_value
from ..present.time import time_text
from .output import table



def parse_assignments(items: tuple[str, ...]) -> dict[str, str]:
    """``FIELD=VALUE`` pairs; every malformed one is reported at once."""
    values: dict[str, str] = {}
    errors: list[FieldError] = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            errors.append(FieldError(item, L("应写作 字段=值", "expected FIELD=VALUE")))
        elif name.strip() in values:
            errors.append(FieldError(name.strip(), L("重复给出", "given twice")))
        else:
            values[name.strip()] = value
    if errors:
        raise ValidationError(errors)
    return values


def list_filter(rt: RecordType, where: tuple[str, ...], filter_text: str | None) -> ParsedFilter:
    """``--where`` terms and the ``--filter`` text, in the one filter language the TUI's ``/``
    takes (duty_tui.present.filtering); every bad term is reported at once."""
    from ..present.filtering import parse_filter, parse_where

    parsed = parse_where(rt, where)
    typed = parse_filter(rt, filter_text) if filter_text else None
    problems = list(parsed.problems) + list(typed.problems if typed else ())
    if problems:
        raise ValidationError([FieldError("--where" if i < len(parsed.problems) else "--filter", p) for i, p in enumerate(problems)], rt.name)
    if typed is None:
        return parsed
    return ParsedFilter(" ".join(w for w in (parsed.text, typed.text) if w), parsed.filters + typed.filters,
                        typed.year if typed.year is not None else parsed.year)


def reference_titles(env: Env, rt: RecordType, records) -> dict[str, str]:
    """Titles of the records these refer to, so a person reads '一村 (unit-1)', not 'unit-1'."""
    return env.ledger.titles(t for r in records for _, t in rt.links(r.data))


def print_record(env: Env, record) -> None:
    rt = env.ledger.type(record.type)
    titles = reference_titles(env, rt, [record])
    rows = [("id", record.id), (env.t("类型", "type"), rt.label.render(env.lang))]
    if rt.workflow:
        state = rt.workflow.state(record.state).label.render(env.lang) if record.state else ""
        rows.append((env.t("状态", "state"), state))  # the code is in --json and `duty types`
    for f in rt.fields:
        mark = "*" if f.required else ""
        rows.append((f"{f.label.render(env.lang)}{mark} [{f.name}]", show_value(f, record.data.get(f.name), env.lang, titles, with_ids=True)))
    rows.append((env.t("版本", "version"), str(record.version)))
    zone = env.ledger.zone()  # times as the office reads them; --json keeps the stored UTC
    # who wrote it, as the store says (an older version's import took any text): escaped like every value
    rows.append((env.t("录入", "entered"), f"{time_text(record.created_at, zone)} {safe_text(record.created_by, one_line=True)}"))
    rows.append((env.t("最后修改", "last changed"), f"{time_text(record.updated_at, zone)} {safe_text(record.updated_by, one_line=True)}"))
    label_width = max(cells(k) for k, _ in rows)
    for k, v in rows:
        click.echo(f"{fit(k, label_width)}  {v}")
    for warning in record.warnings:
        click.echo(env.t("提醒：", "warning: ") + warning.render(env.lang), err=True)


def _output(env: Env, record, as_json: bool, quiet_id: bool = True) -> None:
    if as_json:
        env.emit_json(record.to_json(env.ledger.type(record.type)))
    elif quiet_id:
        click.echo(record.id)
        for warning in record.warnings:
            click.echo(env.t("提醒：", "warning: ") + warning.render(env.lang), err=True)
    else:
        print_record(env, record)


@cli.command("types")
@click.argument("name", required=False)
@json_option
@pass_env
def types_cmd(env: Env, name: str | None, as_json: bool) -> None:
    """Record types and their fields. 记录类型及其字段。"""
    env.json = as_json
    types = [env.registry.type(name)] if name else list(env.registry.types.values())
    if as_json:
        env.emit_json([type_json(rt, env.registry) for rt in types])
        return
    for rt in types:
        click.echo(f"{rt.name}  {rt.label.render(env.lang)}  [{area_label(env.registry, rt.area, env.lang)}]  "
                   + env.t("插件 {plugin}", "plugin {plugin}", plugin=rt.plugin))
        rows = []
        for f in rt.fields:
            detail = ""
            if f.choices:
                detail = ", ".join(f"{c.value}={c.label.render(env.lang)}" for c in f.choices)
            elif f.target:
                detail = "→ " + f.target
            rows.append(("  " + f.name, f.label.render(env.lang), KIND_LABELS[f.kind].render(env.lang),
                         "*" if f.required else "", detail))
        click.echo(table(["  field", env.t("名称", "label"), env.t("类型", "kind"), env.t("必填", "req"), ""], rows, max_col=70))
        if rt.workflow:
            steps = ", ".join(f"{'/'.join(t.source)}→{t.target}" + (f" ({t.role})" if t.role != "clerk" else "") for t in rt.workflow.transitions)
            click.echo(f"  {env.t('流程', 'workflow')}: {steps}")
        click.echo()


def type_json(rt: RecordType, registry) -> dict[str, Any]:
    area = registry.area(rt.area).label
    out: dict[str, Any] = {
        "name": rt.name, "label": {"zh": rt.label.zh, "en": rt.label.en}, "area": rt.area,
        "area_label": {"zh": area.zh, "en": area.en}, "plugin": rt.plugin,
        "title_field": rt.title_field, "year_field": rt.year_field, "list_columns": list(rt.list_columns),
        "fields": [{
            "name": f.name, "kind": f.kind, "label": {"zh": f.label.zh, "en": f.label.en}, "required": f.required,
            "indexed": f.indexed, "searchable": f.searchable, "target": f.target,
            "choices": [{"value": c.value, "zh": c.label.zh, "en": c.label.en} for c in f.choices] or None,
        } for f in rt.fields],
    }
    if rt.workflow:
        out["workflow"] = {
            "initial": rt.workflow.initial,
            "states": [{"name": s.name, "zh": s.label.zh, "en": s.label.en} for s in rt.workflow.states],
            "transitions": [{"name": t.name, "from": list(t.source), "to": t.target, "role": t.role} for t in rt.workflow.transitions],
        }
    return out


@cli.command("add")
@click.argument("type_name", metavar="TYPE")
@click.argument("values", nargs=-1, metavar="FIELD=VALUE...")
@json_option
@pass_env
def add_cmd(env: Env, type_name: str, values: tuple[str, ...], as_json: bool) -> None:
    """Create a record; prints its id (or the record with --json). 新建记录。"""
    env.json = as_json
    record = env.ledger.create(type_name, parse_assignments(values))
    _output(env, record, as_json)


@cli.command("list")
@click.argument("type_name", metavar="TYPE")
@click.option("--where", "where", multiple=True, metavar="F=V",
              help="One filter term: F=V (exact), F:V (contains, for text), F!=V F>=V F<=V F>V F<V F~TEXT, state:草稿; "
                   "a reference by id or by title (unit:文化站). Repeatable.")
@click.option("--filter", "filter_text", metavar="TEXT",
              help="The filter as the TUI's / takes it: words to search for and field:value terms.")
@click.option("--year", type=int, help="Only records of this year (by the type's date).")
@click.option("--search", "-s", metavar="TEXT", help="Text search (Chinese and English).")
@click.option("--sort", "sort", multiple=True, metavar="FIELD", help="Sort by a field; -FIELD for descending.")
@click.option("--limit", type=click.IntRange(0), default=50, show_default=True, help="At most this many (0: all).")
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many.")
@json_option
@pass_env
def list_cmd(env: Env, type_name: str, where, filter_text, year, search, sort, limit, offset, as_json: bool) -> None:
    """List records of a type. 列出某类记录。"""
    env.json = as_json
    sort_spec = tuple((s.lstrip("-"), s.startswith("-")) for s in sort)
    parsed = list_filter(env.ledger.type(type_name), where, filter_text)
    text = " ".join(t for t in (search, parsed.text) if t) or None
    kwargs = dict(filters=parsed.filters, text=text, year=year if year is not None else parsed.year)
    records = env.ledger.query(type_name, sort=sort_spec, offset=offset, limit=limit or None, **kwargs)
    rt = env.ledger.type(type_name)
    if as_json:
        env.emit_json([r.to_json(rt) for r in records])
        return
    total = env.ledger.count(type_name, **kwargs)
    titles = reference_titles(env, rt, records)
    columns = [c for c in rt.list_columns if c != "id"]
    headers = ["id"] + ([env.t("状态", "state")] if rt.workflow and "state" not in columns else [])
    headers += [rt.field(c).label.render(env.lang) if rt.has_field(c) else c for c in columns]
    rows = []
    for r in records:
        row = [r.id] + ([rt.workflow.state(r.state).label.render(env.lang)] if rt.workflow and "state" not in columns else [])
        row += [show_value(rt.field(c), r.data.get(c), env.lang, titles, with_ids=True) if rt.has_field(c) else str(getattr(r, c, "")) for c in columns]
        rows.append(row)
    click.echo(table(headers, rows))
    shown = f"{offset + 1}–{offset + len(records)}" if records else "0"
    click.echo(env.t("共 {total} 条，显示 {shown}", "{total} in all, showing {shown}", total=total, shown=shown))


@cli.command("show")
@click.argument("record_id", metavar="ID")
@json_option
@pass_env
def show_cmd(env: Env, record_id: str, as_json: bool) -> None:
    """Show one record. 查看一条记录。"""
    env.json = as_json
    _output(env, env.ledger.get(record_id), as_json, quiet_id=False)


version_option = click.option("--version", "expected_version", type=click.IntRange(1), metavar="N",
                              help="The version you are changing; refused (exit 4) if someone saved since.")


@cli.command("edit")
@click.argument("record_id", metavar="ID")
@click.argument("values", nargs=-1, required=True, metavar="FIELD=VALUE...")
@version_option
@json_option
@pass_env
def edit_cmd(env: Env, record_id: str, values: tuple[str, ...], expected_version: int | None, as_json: bool) -> None:
    """Change fields of a record (FIELD= empties a field). 修改记录。"""
    env.json = as_json
    record = env.ledger.update(record_id, parse_assignments(values), expected_version=expected_version)
    _output(env, record, as_json)


@cli.command("delete")
@click.argument("record_id", metavar="ID")
@version_option
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@json_option
@pass_env
def delete_cmd(env: Env, record_id: str, expected_version: int | None, yes: bool, as_json: bool) -> None:
    """Delete a record that nothing refers to. 删除记录。"""
    env.json = as_json
    record = env.ledger.get(record_id)
    if not yes and sys.stdin.isatty():
        click.confirm(env.t("删除 {id}？", "Delete {id}?", id=record_id), abort=True)
    env.ledger.delete(record_id, expected_version=expected_version if expected_version is not None else record.version)
    if as_json:
        env.emit_json({"deleted": record_id})
    else:
        click.echo(env.t("已删除 {id}", "deleted {id}", id=record_id))


def step_defaults(ledger, record, step_name: str) -> dict:
    """The defaults of the step ``step_name`` takes from ``record``'s state ({} when there is no
    such step: the ledger then says why)."""
    rt = ledger.type(record.type)
    step = rt.workflow.to(record.state or rt.workflow.initial, step_name) if rt.workflow else None
    if step is None:
        return {}
    person = ledger.user.person if ledger.can(f"transition:{step.role}") else None
    return step.defaults(rt, record.data, person=person, today=ledger.today())


@cli.command("transition")
@click.argument("record_id", metavar="ID")
@click.argument("state")
@click.argument("values", nargs=-1, metavar="[FIELD=VALUE...]")
@version_option
@json_option
@pass_env
def transition_cmd(env: Env, record_id: str, state: str, values: tuple[str, ...], expected_version: int | None, as_json: bool) -> None:
    """Move a record along its workflow, with fields set on the way. 办理流程。

    The step's own fields left empty get their defaults: a date is today, a person is your own
    (when you may take the step), as in the TUI's step form."""
    env.json = as_json
    given = parse_assignments(values)
    defaults = step_defaults(env.ledger, env.ledger.get(record_id), state)
    defaults = {k: v for k, v in defaults.items() if k not in given}
    record = env.ledger.transition(record_id, state, expected_version=expected_version, values={**defaults, **given})
    if defaults and not as_json:
        shown = ", ".join(f"{k}={v.isoformat() if hasattr(v, 'isoformat') else v}" for k, v in defaults.items())
        click.echo(env.t("默认值：", "defaults: ") + shown, err=True)
    if as_json:
        body = record.to_json(env.ledger.type(record.type))
        body["warnings"] = [w.render(env.lang) for w in record.warnings]
        env.emit_json(body)
    else:
        click.echo(f"{record.id}: {record.state}")
        for warning in record.warnings:
            click.echo(env.t("提醒：", "warning: ") + warning.render(env.lang), err=True)
