"""``duty bundle``: a town's signed yearly bundle for the county (keygen, export, verify);
what a bundle is and why Ed25519 through ``cryptography``: :mod:`duty_tui.bundle`."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import NotPermitted
from ..i18n import L
from . import Env, cli, json_option, pass_env


@cli.group("bundle")
def bundle_group() -> None:
    """Signed yearly bundles for the county. 签名的年度数据包（报送上级）。"""


@bundle_group.command("keygen")
@click.option("-o", "--output", "path", metavar="PATH", type=click.Path(dir_okay=False),
              help="The private key's file (default: keys/ in your data folder, one per store); the public key is PATH.pub.")
@pass_env
def keygen_cmd(env: Env, path: str | None) -> None:
    """(admins) Make the town's Ed25519 key pair; never overwrites. 生成本镇的签名密钥。"""
    from ..bundle import default_key_path, keygen

    if env.ledger.user.role != "admin":
        raise NotPermitted(L("只有管理员可以生成签名密钥", "only an admin makes the signing key"))
    private, public, fp = keygen(path or default_key_path(env.db_url))
    click.echo(env.t("私钥（仅你可读，0600）：{p}", "private key (readable by you only, 0600): {p}", p=str(private)))
    click.echo(env.t("公钥（交给上级登记）：{p}", "public key (give it to the county to register): {p}", p=str(public)))
    click.echo(env.t("指纹：{f}", "fingerprint: {f}", f=fp))


@bundle_group.command("export")
@click.option("--year", type=int, required=True, help="The year whose records the bundle holds.")
@click.option("-o", "--output", "path", required=True, metavar="FILE", type=click.Path(dir_okay=False), help="The bundle file to write (a zip).")
@click.option("--key", "key_path", metavar="PATH", type=click.Path(dir_okay=False),
              help="The private key (default: the one `duty bundle keygen` made for this store).")
@click.option("--anchor-file", metavar="PATH", envvar="DUTY_ANCHOR", help="The anchor file whose newest anchor the bundle names (default: as `duty audit --anchor`).")
@json_option
@pass_env
def export_cmd(env: Env, year: int, path: str, key_path: str | None, anchor_file: str | None, as_json: bool) -> None:
    """(admin) Write the year's records, evidence and audit chain, signed. 导出并签名年度数据包。"""
    from ..bundle import default_key_path, export_bundle

    env.json = as_json
    manifest = export_bundle(env.ledger, year, key_path or default_key_path(env.db_url), path,
                             anchor_path=Path(anchor_file).expanduser() if anchor_file else None)
    if as_json:
        env.emit_json({k: manifest[k] for k in ("town", "year", "audit", "anchor", "records", "files", "key")} | {"path": path})
        return
    click.echo(env.t("已导出 {path}：{town} {year} 年，{records} 条记录、{files} 个附件，审计链 {count} 条，链头 {head}，签名密钥 {key}",
                     "wrote {path}: {town}, {year}, {records} records and {files} files, audit chain of {count} entries, head {head}, signed by {key}",
                     path=path, town=manifest["town"] or "-", year=year, records=manifest["records"], files=manifest["files"],
                     count=manifest["audit"]["count"], head=manifest["audit"]["head"], key=manifest["key"]))


@bundle_group.command("verify")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--key", "key_path", required=True, metavar="PUBKEY", type=click.Path(dir_okay=False), help="The town's public key (PEM, its .pub file).")
@json_option
@pass_env
def verify_cmd(env: Env, file: str, key_path: str, as_json: bool) -> None:
    """Check a bundle's signature, every member and its records against its audit; exit 2 naming
    what is wrong. 核验年度数据包。"""
    from ..bundle import verify_bundle

    env.json = as_json
    v = verify_bundle(file, key_path, env.registry)
    if as_json:
        env.emit_json(v.as_json())
        return
    click.echo(env.t("数据包可信：{town} {year} 年，{records} 条记录、{files} 个附件", "the bundle verifies: {town}, {year}, {records} records and {files} files",
                     town=v.town or "-", year=v.year, records=v.records, files=v.files))
    click.echo(env.t("审计链：{count} 条，链头 {head}", "audit chain: {count} entries, head {head}", count=v.count, head=v.head))
    if v.anchor:
        click.echo(env.t("锚点：第 {seq} 条（{at}，{by}）", "anchor: entry {seq} ({at}, {by})", seq=v.anchor.get("seq"), at=v.anchor.get("at"), by=v.anchor.get("by")))
    click.echo(env.t("签名密钥：{key}；导出：{at}，{by}", "signed by {key}; exported {at} by {by}", key=v.key, at=v.exported_at, by=v.exported_by))


@bundle_group.command("trust")
@click.option("--town", required=True, metavar="UNIT", help="The town's top unit in this store, by id (unit-3) or by name.")
@click.option("--key", "key_path", required=True, metavar="FILE.pub", type=click.Path(dir_okay=False), help="The town's public key (the .pub file).")
@click.option("--notes", metavar="TEXT", help="A note kept with the key (who handed it over, when).")
@json_option
@pass_env
def trust_cmd(env: Env, town: str, key_path: str, notes: str | None, as_json: bool) -> None:
    """(admin, county) Register a town's public key: its bundles are then imported. 登记乡镇公钥。"""
    from ..county import trust_key

    env.json = as_json
    done = trust_key(env.ledger, town, key_path, notes)
    name = done.unit.data.get("name") or done.unit.id
    if as_json:
        env.emit_json({"id": done.record.id, "town": {"unit": done.unit.id, "name": name}, "fingerprint": done.fingerprint, "new": done.new})
        return
    if done.new:
        click.echo(env.t("已登记 {name}（{unit}）的公钥 {fp}：{id}", "registered the key {fp} of {name} ({unit}): {id}",
                         name=name, unit=done.unit.id, fp=done.fingerprint, id=done.record.id))
    else:
        click.echo(env.t("{name}（{unit}）的公钥 {fp} 已登记（{id}），未改动", "the key {fp} of {name} ({unit}) is registered already ({id}); nothing changed",
                         name=name, unit=done.unit.id, fp=done.fingerprint, id=done.record.id))


@bundle_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@pass_env
def import_cmd(env: Env, file: str, as_json: bool) -> None:
    """(admin, county) Check a town's bundle against its registered key and chain, and keep it as
    the town's read-only copy of that year; exit 2 saying why it is refused (tampered, unknown key,
    foreign, older), nothing written. 导入乡镇的年度数据包。"""
    import time

    from ..county import CREATED, UNCHANGED, import_bundle

    env.json = as_json
    started = time.perf_counter()

    def progress(message) -> None:
        click.echo(f"{message.render(env.lang)} ({time.perf_counter() - started:.1f} s)", err=True)

    done = import_bundle(env.ledger, file, progress=progress)
    if as_json:
        env.emit_json(done.as_json())
        return
    if done.status == UNCHANGED:
        click.echo(env.t("{name} {year} 年度数据包与已导入的副本（{copy}）相同，未改动", "the {year} bundle of {name} is the copy held ({copy}); nothing changed",
                         name=done.name, year=done.year, copy=done.copy))
        return
    what = (env.t("已导入", "imported") if done.status == CREATED else env.t("已替换", "replaced"))
    click.echo(env.t("{what} {name}（{unit}）{year} 年度副本 {copy}：{records} 条记录，审计链 {count} 条，链头 {head}",
                     "{what} the {year} copy of {name} ({unit}), {copy}: {records} records, audit chain of {count} entries, head {head}",
                     what=what, name=done.name, unit=done.unit, year=done.year, copy=done.copy, records=done.records,
                     count=done.count, head=done.head))
    if done.previous:
        click.echo(env.t("（替换了 {n} 条、链头 {head} 的副本）", "(replacing the copy of {n} entries, head {head})",
                         n=done.previous["count"], head=done.previous["head"]))
