"""Report verbs: ``duty report`` (annual report, dossier, ledgers), ``duty import-ledger``, and
``--digest`` on ``duty audit --verify``. The writers are imported when a command runs."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Callable, Iterator

import click

from ..errors import FieldError, ValidationError
from ..files import write_atomically
from ..i18n import L
from . import Env, cli, json_option, pass_env
from .admin import warn_if_unnamed


@contextlib.contextmanager
def progress_bar(env: Env, total: int | None, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr when stderr is a terminal, else nothing (``None``)."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total or 0, label=label, file=sys.stderr, show_pos=True) as bar:
        yield bar.update


def ledger_total(env: Env, year: int | None) -> int:
    from ..reports.ledgers import ordered_types

    return sum(env.ledger.count(rt.name, year=year if rt.year_field else None) for rt in ordered_types(env.registry))


def report_period(year: int, period: str | None, date_from: str | None, date_to: str | None):
    """The period of ``duty report``: --period, else --from/--to (both), else the year."""
    from ..dates import DateProblem, parse_date
    from ..reports.period import date_range, parse_period, year_period

    if period and (date_from or date_to):
        raise ValidationError([FieldError("--period", L("--period 与 --from/--to 只能用一种", "give --period or --from/--to, not both"))])
    if period:
        return parse_period(period)
    if date_from or date_to:
        if not (date_from and date_to):
            raise ValidationError([FieldError("--from" if not date_from else "--to",
                                              L("--from 与 --to 须同时给出", "--from and --to go together"))])
        days = []
        for name, text in (("--from", date_from), ("--to", date_to)):
            try:
                days.append(parse_date(text))
            except DateProblem as problem:
                raise ValidationError([FieldError(name, problem.reason)]) from None
        return date_range(*days)
    return year_period(year)


def output_format(fmt: str | None, output: str | None) -> str:
    """The format asked for, else the one the -o file's ending names (r.docx is a Word document,
    not Markdown in a file called .docx), else md; a file ending that names another format than
    --format is refused rather than written in the wrong one."""
    ending = Path(output).suffix.lower().lstrip(".") if output else ""
    named = {"docx": "docx", "xlsx": "xlsx", "md": "md", "markdown": "md"}.get(ending)
    if fmt is None:
        return named or "md"
    if named is not None and named != fmt:
        raise ValidationError([FieldError("-o", L("文件名以 .{ending} 结尾，与 --format {fmt} 不符", "the file ends in .{ending}, not the --format {fmt}").format(
            ending=ending, fmt=fmt))])
    return fmt


@cli.command("report")
@click.option("--year", type=int, help="The year reported on (default: this year in the store's time zone).")
@click.option("--format", "fmt", type=click.Choice(["md", "docx", "xlsx"]), default=None,
              help="md or docx: the annual report (or dossier); xlsx: the ledgers, a sheet per record type. "
                   "Default: from the -o file's ending (.docx, .xlsx), else md.")
@click.option("--period", metavar="PERIOD", help="A half-year or quarter instead of the year: 2026H1, 2026H2, 2026Q3 (or 2026).")
@click.option("--from", "date_from", metavar="DATE", help="With --to: any range of days (2026-03-01).")
@click.option("--to", "date_to", metavar="DATE", help="The last day of the range (included).")
@click.option("--person", metavar="ID", help="A person's duty record (述职材料) instead of the report.")
@click.option("-o", "--output", "output", metavar="FILE", help="Where to write (md may go to stdout when omitted).")
@click.option("--county", is_flag=True, help="The county's towns compared (table, chart, each town's main problems) instead of the report.")
@pass_env
def report_cmd(env: Env, year: int | None, fmt: str, person: str | None, output: str | None, period: str | None = None,
               date_from: str | None = None, date_to: str | None = None, county: bool = False) -> None:
    """The annual report, a person's dossier, or the ledgers as a spreadsheet. 报告与台账。

    Documents are written in the store's language (`duty config set org.lang zh|en`, default zh),
    whatever the operator's --lang or locale; times in them are in the store's time zone
    (org.timezone). Messages on the terminal stay in the operator's language.
    """
    fmt = output_format(fmt, output)
    today = env.ledger.today()  # the day in the store's time zone, for the rules and the report's date
    year = year or today.year
    doc_lang = env.ledger.document_lang()
    if fmt in ("docx", "xlsx") and not output:
        raise ValidationError([FieldError("-o", L("{fmt} 格式须用 -o 指定文件", "the {fmt} format needs -o FILE").format(fmt=fmt))])
    if county:
        county_report(env, year, fmt, output, today, doc_lang, bool(person or period or date_from or date_to))
        return
    if fmt == "xlsx":
        if person:
            raise ValidationError([FieldError("--person", L("台账（xlsx）不按人员出具", "ledgers (xlsx) are not made per person"))])
        from ..reports.ledgers import export_ledgers

        with progress_bar(env, ledger_total(env, year), env.t("导出台账", "ledgers")) as tick:
            counts = write_atomically(output, lambda tmp: export_ledgers(env.ledger, year, tmp, doc_lang, progress=tick))
        click.echo(env.t("已写出 {path}：{sheets} 张表，{rows} 行", "wrote {path}: {sheets} sheets, {rows} rows",
                         path=output, sheets=len(counts), rows=sum(counts.values())), err=True)
        return
    from ..reports.document import build_annual, build_dossier, write_docx, write_markdown

    span = report_period(year, period, date_from, date_to)
    areas = len([a for a in env.registry.areas() if a != "directory"])
    with progress_bar(env, None if person else areas, env.t("生成报告", "report")) as tick:
        doc = build_dossier(env.ledger, person, lang=doc_lang, today=today, period=span) if person \
            else build_annual(env.ledger, lang=doc_lang, today=today, progress=tick, period=span)
    warn_if_unnamed(env)
    if fmt == "md":
        if output:
            write_atomically(output, lambda tmp: Path(tmp).write_text(write_markdown(doc), encoding="utf-8"))
        else:
            click.echo(write_markdown(doc), nl=False)
            return
    else:
        write_atomically(output, lambda tmp: write_docx(doc, tmp))
    click.echo(env.t("已写出 {path}", "wrote {path}", path=output), err=True)
    if doc.digest:
        click.echo(env.t("数据校验码 {digest}（审计链第 {seq} 条）", "data seal {digest} (audit chain entry {seq})",
                         digest=doc.digest, seq=doc.digest_seq), err=True)


def county_report(env: Env, year: int, fmt: str, output: str | None, today, doc_lang: str, other: bool) -> None:
    """``duty report --county``: reports/county.py's comparison of the towns (duty_tui.county)."""
    from ..county import missing_copies, towns
    from ..reports.county import write_county_report

    if fmt == "xlsx" or other:
        raise ValidationError([FieldError("--county", L("--county 出具一年的 md 或 docx 对比报告，不与 --person、--period、--from/--to 或 xlsx 同用",
                                                        "--county writes a year's comparison as md or docx, without --person, --period, --from/--to or xlsx"))])
    found = towns(env.ledger, year)
    if not found:
        raise ValidationError([FieldError("--county", L("本存储中没有乡镇（有记录的顶级单位，或已导入的数据包）",
                                                        "this store holds no town (a top unit with records, or an imported bundle)"))])
    missing = [name for _, name in missing_copies(env.ledger, year)] if getattr(env.ledger, "scope", None) is None else []
    with progress_bar(env, len(found), env.t("对比各乡镇", "towns")) as tick:
        text = write_county_report(env.ledger, found, year, doc_lang, fmt, output, today=today, missing=missing,
                                   progress=(lambda *_: tick(1)) if tick else None)
    if text is not None:
        click.echo(text, nl=False)
        return
    click.echo(env.t("已写出 {path}", "wrote {path}", path=output), err=True)


@cli.command("import-ledger")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--type", "type_name", metavar="TYPE", help="The record type (needed for a CSV; with an xlsx, only that sheet).")
@json_option
@pass_env
def import_ledger_cmd(env: Env, path: str, type_name: str | None, as_json: bool) -> None:
    """Read ledgers back from an xlsx (or a CSV): every row checked first, then all written or none. 导入台账。

    Into the store that wrote the workbook: an unchanged row writes nothing, a changed row updates
    its record (refused when the row's version is not the store's), a row without an ID adds a
    record. Into another store, every row adds a record. A state the row asks for is reached
    through the workflow's steps, each needing its role (approvals: a leader, `duty --as USER`).
    """
    from ..reports.ledgers import import_ledgers, read_ledger_file

    env.json = as_json
    sheets = read_ledger_file(path, env.registry, type_name)
    total = sum(len(s.rows) for s in sheets)
    with progress_bar(env, total, env.t("导入台账", "import")) as tick:
        result = import_ledgers(env.ledger, sheets, progress=tick)
    if as_json:
        env.emit_json(result)
        return
    for name in dict.fromkeys([*result["created"], *result["updated"]]):
        click.echo(env.t("{type}（{name}）：新增 {c}，修改 {u}", "{type} ({name}): {c} added, {u} changed",
                         type=env.registry.type(name).label.render(env.lang), name=name,
                         c=result["created"].get(name, 0), u=result["updated"].get(name, 0)))
    click.echo(env.t("写入 {n} 条记录：新增 {c}，修改 {u}；{same} 行与存储一致，未改动",
                     "{n} records written: {c} added, {u} changed; {same} rows say what the store holds and were left alone",
                     n=result["written"], c=sum(result["created"].values()), u=sum(result["updated"].values()), same=result["unchanged"]))


# -- evidence -----------------------------------------------------------------------------------------

@cli.command("attach")
@click.argument("record_id", metavar="ID")
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@json_option
@pass_env
def attach_cmd(env: Env, record_id: str, files: tuple[str, ...], as_json: bool) -> None:
    """Attach files (minutes, photos, sign-in sheets) to a record as evidence. 上传佐证材料。"""
    from ..evidence import file_name

    env.json = as_json
    limit = env.ledger.file_size_limit()
    too_big = [FieldError(file_name(f), L("文件 {size} 字节，超过附件上限 {limit} 字节（设置 evidence.max-bytes）",
                                          "the file is {size} bytes, over the limit for evidence of {limit} bytes (setting evidence.max-bytes)").format(
        size=Path(f).stat().st_size, limit=limit)) for f in files if Path(f).stat().st_size > limit]
    if too_big:  # refused before reading a byte of it
        raise ValidationError(too_big)
    infos = env.ledger.attach(record_id, [(file_name(f), Path(f).read_bytes()) for f in files])
    if as_json:
        env.emit_json([i.as_json() for i in infos])
        return
    for i in infos:
        click.echo(f"{record_id}  {i.name}  {i.size}  {i.media_type}  sha256:{i.sha256}")


@cli.command("evidence")
@click.argument("args", metavar="ID | get ID NAME", nargs=-1, required=True)
@click.option("-o", "--output", metavar="FILE", help="With `get`: where to write the file (- for stdout).")
@json_option
@pass_env
def evidence_cmd(env: Env, args: tuple[str, ...], output: str | None, as_json: bool) -> None:
    """The files attached to a record (`duty evidence ID`), or one of them (`duty evidence get ID NAME -o FILE`). 佐证材料。"""
    from ..present.time import time_text
    from .output import table

    env.json = as_json
    if args[0] == "get":
        if len(args) != 3 or not output:
            raise click.UsageError("usage: duty evidence get ID NAME -o FILE")
        info, data = env.ledger.read_file(args[1], args[2])
        if output == "-":
            click.get_binary_stream("stdout").write(data)
        else:
            write_atomically(output, lambda tmp: Path(tmp).write_bytes(data))
            click.echo(env.t("已写出 {path}（{n} 字节，SHA-256 已核对）", "wrote {path} ({n} bytes, SHA-256 checked)", path=output, n=info.size), err=True)
        return
    if len(args) != 1:
        raise click.UsageError("usage: duty evidence ID  |  duty evidence get ID NAME -o FILE")
    infos = env.ledger.files(args[0])
    if as_json:
        env.emit_json([i.as_json() for i in infos])
        return
    if not infos:
        click.echo(env.t("{id} 没有附件", "{id} has no attached files", id=args[0]))
        return
    zone = env.ledger.zone()
    click.echo(table([env.t("文件", "file"), env.t("大小", "size"), env.t("类型", "type"), "SHA-256", env.t("上传", "added")],
                     [(i.name, str(i.size), i.media_type, i.sha256, f"{time_text(i.added_at, zone)} {i.added_by}") for i in infos], max_col=70))


# -- `duty audit --verify --digest HEX` (the option is on `duty audit`, in admin.py) ----------------

def verify_digest(env: Env, digest: str, as_json: bool) -> None:
    env.json = as_json
    verdict, seq = env.ledger.check_digest(digest)
    ok = verdict.ok and seq is not None
    if as_json:
        env.emit_json({"ok": ok, "chain_ok": verdict.ok, "entries": verdict.entries, "head": verdict.head,
                       "digest": digest.lower(), "digest_seq": seq, "broken_seq": verdict.broken_seq,
                       "reason": verdict.reason.render(env.lang) if verdict.reason else None})
    elif not verdict.ok:
        click.echo(verdict.render(env.lang), err=True)
    elif seq is None:
        click.echo(env.t("审计链中没有摘要为 {d} 的条目：报告所依据的历史已不在此存储中",
                         "no entry of the audit chain has the digest {d}: the history behind that report is not in this store",
                         d=digest), err=True)
    else:
        click.echo(env.t("审计链完整，仍含报告时的第 {seq} 条（摘要 {d}），其后 {n} 条",
                         "audit chain intact and still holds entry {seq} (digest {d}) sealed at printing; {n} entries since",
                         seq=seq, d=digest.lower(), n=verdict.entries - seq))
    if not ok:
        sys.exit(1)

