"""Store verbs: init, check, audit, export, import, plugins, users, config."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import FieldError, StoreError, ValidationError
from ..i18n import L
from ..identity import ROLE_LABELS, ROLES
from ..present.time import time_text
from . import EXIT_RULE_FAILED, Env, cli, debug_traceback, json_option, pass_env, store_file
from ..safetext import safe_text, text_problem
from .output import table

@cli.command("init")
@click.option("--org", metavar="NAME", help="The name of this Party organisation, as documents print it (e.g. 中共某镇委员会). "
              "Asked for when omitted on a terminal; without a terminal the store starts without one (reports say so).")
@pass_env
def init_cmd(env: Env, org: str | None) -> None:
    """Create the store; you become its admin. 创建存储,你成为管理员。"""
    from ..ledger import Ledger
    from ..present.imprint import SET_ORG_NAME

    if org is not None and not org.strip():
        raise ValidationError([FieldError("--org", L("单位名称不能为空", "the organisation's name cannot be empty"))])
    if org is not None and (problem := text_problem(org)) is not None:  # refused before the store is made
        raise ValidationError([FieldError("--org", problem)])
    if org is None and interactive():
        org = click.prompt(env.t("本级党组织名称（如 中共某镇委员会）", "Name of this Party organisation (e.g. 中共某镇委员会)"),
                           value_proc=_org_name, err=True)
    ledger = Ledger.initialise(env.store, env.registry, env.login)
    if org:
        ledger.set_setting("org.name", org.strip())
    where = store_file(env.db_url) or env.db_url  # the file, resolved, where there is one
    click.echo(env.t("已创建存储 {url}；{user} 为管理员", "created the store {url}; {user} is its admin", url=str(where), user=env.login))
    if not org:
        click.echo(env.t("注意：", "note: ") + SET_ORG_NAME.render(env.lang), err=True)


def interactive() -> bool:
    """Whether a person is at the terminal to answer a question (scripts and tests are not)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def _org_name(text: str) -> str:
    if not text.strip():
        raise click.BadParameter("单位名称不能为空 / the name cannot be empty")
    problem = text_problem(text)  # asked again: controls, bidi overrides, bytes a GBK terminal sent
    if problem is not None:
        raise click.BadParameter(f"{problem.render('zh')} / {problem.render('en')}")
    return text.strip()


def warn_if_unnamed(env: Env) -> None:
    """A store nobody named prints 未设置单位名称 on its reports: say how to set it."""
    from ..present.imprint import SET_ORG_NAME, org_name

    if not org_name(env.ledger):
        click.echo(env.t("注意：", "note: ") + SET_ORG_NAME.render(env.lang), err=True)


@cli.command("check")
@click.option("--year", type=int, help="The year to check (default: this year in the store's time zone).")
@click.option("--unit", metavar="ID", help="Only findings about this unit.")
@click.option("--rule", "rule_ids", multiple=True, metavar="RULE", help="Only this rule (repeatable).")
@click.option("--town", metavar="UNIT|all", help="(county) One town, by its unit's id or name, or all: the findings grouped by town "
              "(a town kept in this store, or the imported copy of the year).")
@click.option("--fresh", is_flag=True, help="(with --town) Check every town again, not only those changed since their findings "
              "were kept; what is found is kept anew (as DUTY_FRESH=1).")
@json_option
@pass_env
def check_cmd(env: Env, year: int | None, unit: str | None, rule_ids: tuple[str, ...], town: str | None, fresh: bool,
              as_json: bool) -> None:
    """Findings for a year. 检查一年的台账。

    Exit 0 when no finding is an error, 1 when one is, 5 when a rule failed to run (it raised or
    returned something other than findings: the check is incomplete, so 5 wins over 1); a failed
    rule is a finding of severity "failed". DUTY_DEBUG=1 prints its traceback. With --town, the
    same for each town, grouped by town; the exit status is the worst. A town's findings are kept
    for what they depend on (docs/county.md) and only the towns changed since are checked again;
    --fresh checks them all.
    """
    from ..rules import ERROR, failed_rules, run_rules

    env.json = as_json
    year = year or env.ledger.today().year
    if town is None:
        warn_if_unnamed(env)
    unknown = [r for r in rule_ids if r not in env.registry.rules]
    if unknown:
        raise ValidationError([FieldError("rule", L("没有规则 {r}", "there is no rule {r}").format(r=r)) for r in unknown])
    if town is not None:
        from ..county import chosen_towns, missing_copies, town_heading, town_json

        if unit and town.strip().lower() == "all":
            raise ValidationError([FieldError("--unit", L("与 --town all 不能同用：各镇的单位编号各不相同",
                                                          "cannot go with --town all: each town numbers its units its own way"))])
        chosen = chosen_towns(env.ledger, town, year, progress=lambda copy: click.echo(
            env.t("首次读取 {copy}：恢复数据包……", "reading {copy} for the first time: restoring its bundle…", copy=copy), err=True))
        from ..county import check_towns

        if unit:
            for t in chosen:
                t.ledger.get(unit)
        cache: object = True
        if fresh:
            from ..standing_cache import StandingCache

            cache = StandingCache(env.ledger, fresh=True)
        groups = list(zip(chosen, check_towns(env.ledger, chosen, year, unit=unit, rule_ids=rule_ids or None, cache=cache)))
        missing = missing_copies(env.ledger, year) if town.strip().lower() == "all" and env.ledger.scope is None else []
        if as_json:
            env.emit_json({"year": year, "towns": [{**town_json(t), "findings": [f.as_json(env.lang) for f in found]} for t, found in groups],
                           "missing": [{"unit": u, "name": n} for u, n in missing]})
        else:
            for i, (t, found) in enumerate(groups):
                click.echo(("\n" if i else "") + town_heading(t).render(env.lang))
                _findings_out(env, year, found)
        for u, n in missing:
            click.echo(env.t("注意：{name}（{unit}）没有 {year} 年度的副本，未检查", "note: {name} ({unit}) has no copy of {year}; not checked",
                             name=n, unit=u, year=year), err=True)
        findings = [f for _, found in groups for f in found]
    else:
        if unit:
            env.ledger.get(unit)
        findings = run_rules(env.ledger, year, unit=unit, rule_ids=rule_ids or None)
        if as_json:
            env.emit_json([f.as_json(env.lang) for f in findings])
        else:
            _findings_out(env, year, findings)
    failed = failed_rules(findings)
    if failed:
        click.echo(env.t("检查不完整：{n} 条规则运行出错（{rules}），退出码 {code}",
                         "the check is incomplete: {n} rule(s) failed ({rules}); exit status {code}",
                         n=len(failed), rules=", ".join(failed), code=EXIT_RULE_FAILED), err=True)
        for f in findings:
            if f.error is not None:
                debug_traceback(f.error)
        sys.exit(EXIT_RULE_FAILED)
    if any(f.severity == ERROR for f in findings):
        sys.exit(1)


def _findings_out(env: Env, year: int, findings) -> None:
    """``duty check``'s table of findings (or that every rule passes)."""
    from ..present.areas import area_label
    from ..rules import SEVERITY_LABELS

    if not findings:
        click.echo(env.t("{year}年：{n} 条规则均通过", "{year}: all {n} rules pass", year=year, n=len(env.registry.rules)))
        return
    rows = [(SEVERITY_LABELS[f.severity].render(env.lang), area_label(env.registry, f.area, env.lang), f.rule,
             f.message.render(env.lang), ", ".join(f.records)) for f in findings]
    click.echo(table([env.t("严重性", "severity"), env.t("方面", "area"), env.t("规则", "rule"), env.t("说明", "message"),
                      env.t("记录", "records")], rows, max_col=60))


@cli.command("audit")
@click.argument("record_id", metavar="[ID]", required=False)
@click.option("--verify", is_flag=True, help="Check the hash chain, then that the records, users and settings the store holds are "
              "exactly what the chain says, and the chain against its anchor; exit 1 naming each difference.")
@click.option("--anchor", "write_anchor", is_flag=True,
              help="(admins) Verify, then keep the head (its digest, the entry count, the time) in the anchor file, outside the store.")
@click.option("--anchor-file", metavar="PATH", envvar="DUTY_ANCHOR", show_envvar=True,
              help="The anchor file (default: anchors/ in your data folder, one file per store).")
@click.option("--digest", metavar="HEX",
              help="With --verify: also check the chain still holds the entry this digest (printed in a report) sealed.")
@click.option("--limit", type=click.IntRange(1), help="Only the first N entries.")
@json_option
@pass_env
def audit_cmd(env: Env, record_id: str | None, verify: bool, write_anchor: bool, anchor_file: str | None, digest: str | None,
              limit: int | None, as_json: bool) -> None:
    """History of the store or of one record. 审计记录。

    --verify proves the store: the chain of SHA-256 hashes is whole, and replaying it gives
    exactly the records, users and settings the store holds (a change, insertion or deletion made
    around duty is named: type, id, field). With an anchor (written by `duty audit --anchor`, as an
    admin, where only that admin can write) it also says whether entries after the anchored one
    were removed. Exit 1 when any of it fails.
    """
    env.json = as_json
    if digest is not None:
        if not verify:
            raise click.UsageError("--digest goes with --verify")
        from .report_cmds import verify_digest

        verify_digest(env, digest, as_json)
        return
    if verify or write_anchor:
        seal_cmd(env, anchor_file, write_anchor, as_json)
        return
    entries = env.ledger.history(record_id, limit=limit)
    if as_json:
        env.emit_json([e.as_json() for e in entries])
        return
    zone = env.ledger.zone()  # shown in the store's time zone; the chain (and --json) keeps UTC
    rows = [(str(e.seq), time_text(e.ts, zone, seconds=True), e.actor + (f" ({e.by})" if e.by else ""), e.action, e.record_id, describe_change(e)) for e in entries]
    click.echo(table(["#", env.t("时间", "time"), env.t("操作人", "actor"), env.t("操作", "action"),
                      env.t("对象", "record"), env.t("变更", "change")], rows, max_col=80))


def seal_cmd(env: Env, anchor_file: str | None, write_anchor: bool, as_json: bool) -> None:
    """``duty audit --verify`` and ``--anchor``."""
    from .. import audit
    from ..errors import NotPermitted

    if write_anchor and env.ledger.user.role != "admin":
        raise NotPermitted(L("只有管理员可以写锚点", "only an admin writes the anchor"))
    path = str(Path(anchor_file).expanduser() if anchor_file else audit.default_anchor_path(env.db_url))
    try:
        anchor = audit.read_anchor(path)
    except ValueError as exc:
        if write_anchor:
            raise ValidationError([FieldError("--anchor-file", L("{p} 不是锚点文件：{why}", "{p} is not an anchor file: {why}").format(
                p=path, why=str(exc)))]) from None
        anchor = None
        seal = env.ledger.verify_store(None, path)
        seal = audit.Seal(**{**seal.__dict__, "anchor": audit.AnchorCheck(path, error=L("不是锚点文件：{why}", "not an anchor file: {why}").format(why=str(exc)))})
    else:
        seal = env.ledger.verify_store(anchor, path)
    zone = env.ledger.zone()
    if write_anchor and seal.ok:
        written = audit.write_anchor(path, env.ledger.store.url, seal, env.login)
        message = env.t("已写入锚点 {path}：第 {seq} 条，摘要 {head}", "anchored in {path}: entry {seq}, digest {head}",
                        path=path, seq=written["seq"], head=written["head"])
    else:
        message = None
    if as_json:
        out = seal.as_json()
        if write_anchor:
            out["anchored"] = bool(message)
        env.emit_json(out)
    else:
        for failed, line in seal.lines(env.lang, lambda ts: time_text(ts, zone, seconds=True)):
            click.echo(line, err=failed or not seal.ok)
        if write_anchor and not message:
            click.echo(env.t("未写入锚点：存储未通过核验", "no anchor written: the store does not verify"), err=True)
    if message:
        click.echo(message, err=as_json)
    if not seal.ok:
        sys.exit(1)


def describe_change(entry) -> str:
    """What changed, field by field, in one line."""
    import json

    before = json.loads(entry.before) if entry.before else {}
    after = json.loads(entry.after) if entry.after else {}
    skip = {"version"}
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in skip and before.get(k) != after.get(k)]
    if not before:
        return ", ".join(f"{k}={after[k]}" for k in keys if after.get(k) not in (None, "", []))
    if not after:
        return "-"
    return ", ".join(f"{k}: {before.get(k)!s} → {after.get(k)!s}" for k in keys)


@cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@pass_env
def export_cmd(env: Env, path: str) -> None:
    """Write the whole store, audit included, as JSON. 导出整个存储。"""
    from ..exchange import export_store

    from ..safetext import JSON_ESCAPE_ERRORS

    # a store an older version let undecodable bytes into (lone surrogates) still exports: each
    # is written as its JSON escape (\udcc9), which reads back as the same text
    if path == "-":
        stdout = sys.stdout
        if hasattr(stdout, "reconfigure"):
            stdout.reconfigure(errors=JSON_ESCAPE_ERRORS)
        counts = export_store(env.ledger, stdout)
    else:
        from ..files import write_atomically

        def write(tmp: str) -> dict:
            with open(tmp, "w", encoding="utf-8", errors=JSON_ESCAPE_ERRORS) as out:
                return export_store(env.ledger, out)

        counts = write_atomically(path, write, private=True)  # the whole store: for its owner only
    click.echo(env.t("已导出 {records} 条记录、{audit} 条审计", "exported {records} records and {audit} audit entries", **counts), err=True)


@cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@pass_env
def backup_cmd(env: Env, path: str) -> None:
    """A consistent copy of a SQLite store, taken live (SQLite's backup API). 备份。"""
    env.ledger.backup(path)
    click.echo(env.t("已备份到 {p}", "backed up to {p}", p=path))


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@pass_env
def import_cmd(env: Env, path: str) -> None:
    """Restore an export into a new, empty store (all or nothing). 导入到空存储。"""
    from ..errors import NotPermitted
    from ..exchange import import_store
    from ..ledger import Ledger

    try:  # the bytes: the import says what is wrong with them (not UTF-8, not JSON ...), never a traceback
        data = click.get_binary_stream("stdin").read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise ValidationError([FieldError("file", L("无法读取 {p}：{e}", "cannot read {p}: {e}").format(p=path, e=exc.strerror or exc))]) from None
    counts = import_store(env.store, env.registry, env.login, data)
    click.echo(env.t("已导入 {records} 条记录、{audit} 条审计、{users} 个用户", "imported {records} records, {audit} audit entries, {users} users", **counts))
    try:
        me = Ledger.for_login(env.store, env.registry, env.login).user
    except (NotPermitted, StoreError):  # no account for the importer (or none at all) in what was imported
        me = None
    if me is None or me.role != "admin":
        click.echo(env.t("注意：{u} 在导入的存储中不是管理员", "note: {u} is not an admin in the imported store", u=env.login), err=True)


@cli.command("plugins")
@json_option
@pass_env
def plugins_cmd(env: Env, as_json: bool) -> None:
    """What is loaded, from where, and what failed to load. 已加载的插件。"""
    env.json = as_json
    infos = env.registry.plugins
    if as_json:
        env.emit_json([i.as_json() for i in infos])
        return
    rows = [(i.name, i.status, i.source, i.version or "", i.error or ", ".join(h.removeprefix("duty_") for h in i.hooks)) for i in infos]
    click.echo(table([env.t("插件", "plugin"), env.t("状态", "status"), env.t("来源", "source"), env.t("版本", "version"),
                      env.t("钩子 / 错误", "hooks / error")], rows, max_col=90))
    undeclared = env.registry.undeclared_areas()
    if undeclared:
        click.echo(env.t("注意：方面 {areas} 未由任何插件声明（duty_register_areas）：按编号显示，排在最后，不计入考核评分",
                         "note: no plugin declares the area(s) {areas} (duty_register_areas): they show by their id, "
                         "come last and are not scored", areas=", ".join(undeclared)))


def role_text(role: str, lang: str) -> str:
    """``clerk 文书`` in Chinese (the name a command takes, and what it means), ``clerk`` in English."""
    label = ROLE_LABELS[role].render(lang)
    return role if label == role else f"{role} {label}"


@cli.group("users")
def users_group() -> None:
    """Accounts and roles (admins manage them). 用户与角色。"""


@users_group.command("list")
@json_option
@pass_env
def users_list(env: Env, as_json: bool) -> None:
    env.json = as_json
    users = env.ledger.users()
    if as_json:
        env.emit_json([u.as_json() for u in users])
        return
    zone = env.ledger.zone()
    units = env.ledger.titles([u.unit for u in users if u.unit])
    whole = env.t("全部", "all")
    click.echo(table([env.t("用户", "user"), env.t("角色", "role"), env.t("人员", "person"), env.t("范围", "scope"), env.t("创建于", "created")],
                     [(u.name, role_text(u.role, env.lang), u.person or "", f"{units.get(u.unit) or ''} {u.unit}".strip() if u.unit else whole,
                       time_text(u.created_at, zone)) for u in users]))


@users_group.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
@click.option("--person", metavar="ID", help="The person record this account belongs to.")
@click.option("--unit", "bound_to", metavar="UNIT", help="Bind the account to a unit (id or name): it reads and writes only that unit "
              "and the units below it. An admin bound to a unit binds new accounts within it.")
@pass_env
def users_add(env: Env, name: str, role: str, person: str | None, bound_to: str | None) -> None:
    unit = env.ledger.unit_named(bound_to) if bound_to else None
    user = env.ledger.add_user(name, role, person, unit)
    click.echo(env.t("已添加用户 {name}（{role}）", "added user {name} ({role})", name=user.name, role=user.role)
               + (env.t("，范围：{u}", ", scope: {u}", u=user.unit) if user.unit else ""))


@users_group.command("bind")
@click.argument("name")
@click.argument("unit")
@pass_env
def users_bind(env: Env, name: str, unit: str) -> None:
    """Bind an account to a unit (id or name): it then reads and writes only that unit and the
    units below it. 将账号限定于某单位及其下级。"""
    user = env.ledger.set_unit(name, env.ledger.unit_named(unit))
    click.echo(env.t("{name} 的范围：{u}", "{name}'s scope: {u}", name=name, u=user.unit))


@users_group.command("unbind")
@click.argument("name")
@pass_env
def users_unbind(env: Env, name: str) -> None:
    """Let an account see the whole store again (an admin of the whole store only). 取消限定。"""
    env.ledger.set_unit(name, None)
    click.echo(env.t("{name} 的范围：全部", "{name}'s scope: the whole store", name=name))


@users_group.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@pass_env
def users_role(env: Env, name: str, role: str) -> None:
    env.ledger.set_role(name, role)
    click.echo(env.t("{name} 现为 {role}", "{name} is now {role}", name=name, role=role))


@users_group.command("remove")
@click.argument("name")
@pass_env
def users_remove(env: Env, name: str) -> None:
    env.ledger.remove_user(name)
    click.echo(env.t("已删除用户 {name}", "removed user {name}", name=name))


@cli.group("config")
def config_group() -> None:
    """Settings shared by all operators (rule thresholds...). 共享设置。"""


@config_group.command("get")
@click.argument("key", required=False)
@json_option
@pass_env
def config_get(env: Env, key: str | None, as_json: bool) -> None:
    """One setting, or all of them with their defaults."""
    env.json = as_json
    if key:
        value = env.ledger.setting(key)
        env.emit_json({key: value}) if as_json else click.echo(safe_text(value))  # as a store holds it, escaped
        return
    values = env.ledger.settings()
    if as_json:
        env.emit_json(values)
        return
    rows = [(k, str(v), str(s.default), s.label.render(env.lang)) for k, s in sorted(env.registry.settings.items()) for v in [values[k]]]
    click.echo(table([env.t("键", "key"), env.t("值", "value"), env.t("默认", "default"), env.t("说明", "meaning")], rows, max_col=60))


@config_group.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("key")
@click.argument("value")
@click.option("--town", metavar="UNIT", help="Set it for one town (a top unit of a county store) only.")
@pass_env
def config_set(env: Env, key: str, value: str, town: str | None) -> None:
    """Set a shared setting (a value may be negative: `duty config set k -1`)."""
    typed = env.ledger.set_setting(key, value, town=env.ledger.unit_named(town) if town else None)
    click.echo(f"{key} = {typed}")
