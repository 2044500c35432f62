"""The annual report and a person's dossier as :class:`Document` (sections of plain text), and the
writers that lay a document out as Markdown or Word (python-docx, imported when used).

The annual report: a title, each area's facts from the ledgers with the area's findings, the
sections plugins add (the scorecard), and the digest of the audit chain at the moment of printing:
the hash of the last entry, which ``duty audit --verify --digest HEX`` later looks for in a chain
that still verifies, so the level above can tell whether the history behind the report was kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from ..errors import NotFound, ValidationError, FieldError
from ..i18n import L
from ..ledger import Ledger, Record
from ..rules import FAILED, SEVERITY_LABELS, failed_rules, run_rules
from ..schema import RecordType
from ..present.areas import area_label, ordered_areas
from ..present.display import show_value
from ..present.titles import TitleCache
from .ledgers import ordered_types
from .spec import ReportContext, ReportSpec, Section, Table

Progress = Callable[[int], None]
MAX_ROWS = 200  # rows of one type shown in a report; the ledgers (xlsx) hold them all


@dataclass
class Document:
    title: str
    lang: str
    intro: tuple[str, ...] = ()
    sections: list[Section] = field(default_factory=list)
    digest: str | None = None
    digest_seq: int | None = None


def columns_of(rt: RecordType) -> list[str]:
    cols = list(rt.list_columns) or [n for n in (rt.title_field, rt.year_field) if n]
    return [c for c in cols if rt.has_field(c)] or rt.field_names[:3]


def record_table(ctx: ReportContext, rt: RecordType, records: list[Record], titles: TitleCache,
                 extra: tuple[str, Callable[[Record], str]] | None = None) -> Table:
    cols = columns_of(rt)
    headers = ["ID"] + [rt.field(c).label.render(ctx.lang) for c in cols]
    if rt.workflow:
        headers.append(ctx.t("状态", "State"))
    if extra:
        headers.append(extra[0])
    rows = []
    shown = records[:MAX_ROWS]
    known = titles.get(t for r in shown for _, t in rt.links(r.data))
    for record in shown:
        row = [record.id]
        for c in cols:
            row.append(show_value(rt.field(c), record.data.get(c), ctx.lang, known))
        if rt.workflow:
            row.append(rt.workflow.state(record.state).label.render(ctx.lang) if record.state else "")
        if extra:
            row.append(extra[1](record))
        rows.append(tuple(row))
    return Table(tuple(headers), tuple(rows))


def _org(ledger: Ledger) -> str:
    try:
        return str(ledger.setting("org.name") or "")
    except NotFound:
        return ""


def plugin_sections(ctx: ReportContext, kind: str) -> list[tuple[int, list[Section]]]:
    out = []
    for spec in ctx.ledger.registry.reports.values():
        if not isinstance(spec, ReportSpec) or spec.kind != kind:
            continue
        try:
            out.append((spec.order, list(spec.sections(ctx))))
        except Exception as exc:  # one plugin's section must not take the report down
            out.append((spec.order, [Section(spec.label.render(ctx.lang), (ctx.t("此部分生成失败:{e}", "this part failed: {e}",
                                                                                e=f"{type(exc).__name__}: {exc}"),))]))
    return out


def build_annual(ledger: Ledger, year: int, lang: str, *, today: dt.date | None = None,
                 progress: Progress | None = None) -> Document:
    ledger.require("read")
    ctx = ReportContext(ledger, year, lang, today or dt.date.today())
    org = _org(ledger)
    title = ctx.t("{org}{year} 年度意识形态工作责任制落实情况报告", "{org}Report on the ideological-work responsibility system, {year}",
                  org=(org if lang == "zh" else f"{org}: ") if org else "", year=year)
    doc = Document(title, lang, (ctx.t("印制于 {ts},印制人 {user}", "Printed {ts} by {user}", ts=ledger.clock(), user=ledger.user.name),))
    findings = run_rules(ledger, year, today=ctx.today)
    titles = TitleCache(ledger)
    by_area: dict[str, list[RecordType]] = {}
    for rt in ordered_types(ledger.registry):
        by_area.setdefault(rt.area, []).append(rt)
    areas = [a.id for a in ordered_areas(ledger.registry, with_directory=False)]
    core: list[tuple[int, list[Section]]] = []
    shown: list[Record] = []
    for n, area in enumerate(areas):
        sections = [area_section(ctx, area, by_area.get(area, []), [f for f in findings if f.area == area], titles)]
        for rt in by_area.get(area, []):
            records = ledger.all(rt.name, year=year if rt.year_field else None)
            shown += records[:MAX_ROWS]
            if records:
                more = [ctx.t("共 {n} 条,此处列出前 {m} 条;全部见台账。", "{n} in all, the first {m} shown; the ledgers hold all.",
                              n=len(records), m=MAX_ROWS)] if len(records) > MAX_ROWS else []
                sections.append(Section(rt.label.render(lang), tuple(more), (record_table(ctx, rt, records, titles),), level=2))
        core.append((10 + n, sections))
        if progress:
            progress(1)
    core.append((90, [findings_section(ctx, findings)]))
    core.append((95, [evidence_section(ctx, shown, titles)]))
    parts = sorted(core + plugin_sections(ctx, "annual"), key=lambda p: p[0])
    doc.sections = [s for _, group in parts for s in group]
    verdict = ledger.verify_audit()
    doc.digest, doc.digest_seq = verdict.head, verdict.entries
    paragraphs = [ctx.t("印制时审计链共 {n} 条,末条摘要(SHA-256):", "At printing the audit chain held {n} entries; the last entry's digest (SHA-256):", n=verdict.entries),
                  verdict.head,
                  ctx.t("核验:duty audit --verify --digest {d}", "To check it later: duty audit --verify --digest {d}", d=verdict.head)]
    if not verdict.ok:
        paragraphs.append(ctx.t("注意:印制时审计链已断裂:", "Note: the audit chain was already broken at printing: ") + verdict.render(lang))
    doc.sections.append(Section(ctx.t("审计链摘要", "Audit-chain digest"), tuple(paragraphs)))
    return doc


def area_section(ctx: ReportContext, area: str, types: list[RecordType], findings, titles: TitleCache) -> Section:
    facts = []
    for rt in types:
        n = ctx.ledger.count(rt.name, year=ctx.year if rt.year_field else None)
        facts.append(ctx.t("{type}:{n} 条", "{type}: {n}", type=rt.label.render(ctx.lang), n=n))
    paragraphs = [("；" if ctx.lang == "zh" else "; ").join(facts) if facts else ctx.t("本领域没有台账。", "No ledgers in this area.")]
    failed = failed_rules(findings)
    findings = [f for f in findings if f.severity != FAILED]
    if failed:
        paragraphs.append(ctx.t("本领域规则 {rules} 运行出错,检查不完整,详见“发现的问题”。",
                                "The rule(s) {rules} of this area failed to run, so its check is incomplete: see Findings.",
                                rules=", ".join(failed)))
    if findings:
        errors = sum(f.severity == "error" for f in findings)
        paragraphs.append(ctx.t("本领域发现问题 {n} 项(错误 {e} 项,提醒 {w} 项),详见“发现的问题”。",
                                "{n} findings in this area ({e} errors, {w} warnings): see Findings.",
                                n=len(findings), e=errors, w=len(findings) - errors))
    elif not failed:
        paragraphs.append(ctx.t("本领域未发现问题。", "No findings in this area."))
    return Section(area_label(ctx.ledger.registry, area, ctx.lang), tuple(paragraphs))


def findings_section(ctx: ReportContext, findings) -> Section:
    heading = ctx.t("发现的问题", "Findings")
    if not findings:
        return Section(heading, (ctx.t("各项规则均通过。", "Every rule passes."),))
    rows = tuple((SEVERITY_LABELS[f.severity].render(ctx.lang), area_label(ctx.ledger.registry, f.area, ctx.lang), f.rule, f.message.render(ctx.lang),
                  ", ".join(f.records[:8]) + (" …" if len(f.records) > 8 else "")) for f in findings)
    table = Table((ctx.t("严重性", "Severity"), ctx.t("领域", "Area"), ctx.t("规则", "Rule"), ctx.t("说明", "Message"),
                   ctx.t("记录", "Records")), rows)
    paragraphs = [ctx.t("共 {n} 项。", "{n} in all.", n=len(findings))]
    failed = failed_rules(findings)
    if failed:
        paragraphs.append(ctx.t("规则 {rules} 运行出错,检查不完整:这些规则所在方面的结论有待核实。",
                                "The rule(s) {rules} failed to run, so the check is incomplete: their areas' findings are still to be confirmed.",
                                rules=", ".join(failed)))
    return Section(heading, tuple(paragraphs), (table,))


def evidence_section(ctx: ReportContext, records: list[Record], titles: TitleCache) -> Section:
    """The files attached to the records the report shows, with their hashes."""
    rows = [(record.id, titles(record.id), b.name, str(b.size), b.sha256)
            for record in records for b in ctx.ledger.files(record.id)]
    heading = ctx.t("佐证材料", "Evidence")
    if not rows:
        return Section(heading, (ctx.t("没有附件。", "No files are attached."),))
    return Section(heading, (ctx.t("共 {n} 个文件;SHA-256 可用于核对原件。", "{n} files; the SHA-256 checks the originals.", n=len(rows)),),
                   (Table((ctx.t("记录", "Record"), ctx.t("名称", "Title"), ctx.t("文件", "File"), ctx.t("字节", "Bytes"), "SHA-256"), tuple(rows)),))


# -- the dossier ---------------------------------------------------------------------------------

def build_dossier(ledger: Ledger, person: str | None, year: int, lang: str, *, today: dt.date | None = None) -> Document:
    """A person's dossier: every record of the year naming them, grouped by area and type, with
    the field(s) that name them (attendee, owner, approver...)."""
    record = ledger.get(person or "")
    if record.type != "person":
        raise ValidationError([FieldError("--person", L("{id} 不是人员", "{id} is not a person").format(id=record.id))])
    ctx = ReportContext(ledger, year, lang, today or dt.date.today(), person=record.id)
    name = str(record.data.get("name") or record.id)
    doc = Document(ctx.t("{name} {year} 年度履职档案", "Dossier of {name}, {year}", name=name, year=year), lang,
                   (ctx.t("印制于 {ts},印制人 {user}", "Printed {ts} by {user}", ts=ledger.clock(), user=ledger.user.name),))
    titles = TitleCache(ledger)
    person_rt = ledger.type("person")
    doc.sections.append(Section(ctx.t("基本情况", "The person"), (), (record_table(ctx, person_rt, [record], titles),)))
    current_area, area_parts = None, []
    for rt in ordered_types(ledger.registry):
        fields = [f for f in rt.references() if f.target == "person"]
        if not fields:
            continue
        found: dict[str, tuple[Record, list[str]]] = {}
        for f in fields:
            for r in ledger.query(rt.name, where={f.name: record.id}, year=year if rt.year_field else None, limit=None):
                found.setdefault(r.id, (r, []))[1].append(f.label.render(lang))
        if not found:
            continue
        if rt.area != current_area:
            current_area = rt.area
            doc.sections.append(Section(area_label(ledger.registry, rt.area, lang)))
        records = [r for r, _ in found.values()]
        roles = {rid: "、".join(labels) if lang == "zh" else ", ".join(labels) for rid, (_, labels) in found.items()}
        doc.sections.append(Section(rt.label.render(lang), (ctx.t("{n} 条", "{n} records", n=len(records)),),
                                    (record_table(ctx, rt, records, titles, (ctx.t("本人作为", "Named as"), lambda r: roles[r.id])),), level=2))
        area_parts.append(rt.name)
    if not area_parts:
        doc.sections.append(Section(ctx.t("履职记录", "Records"), (ctx.t("本年度没有记录提及此人。", "No record of the year names this person."),)))
    parts = sorted(plugin_sections(ctx, "dossier"), key=lambda p: p[0])
    doc.sections += [s for _, group in parts for s in group]
    return doc


# -- writers ------------------------------------------------------------------------------------

def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_markdown(doc: Document) -> str:
    out = [f"# {doc.title}", ""]
    out += [p + "\n" for p in doc.intro]
    for s in doc.sections:
        out += ["#" * (s.level + 1) + " " + s.heading, ""]
        for p in s.paragraphs:
            out += [p, ""]
        for t in s.tables:
            out.append("| " + " | ".join(_md_cell(h) for h in t.headers) + " |")
            out.append("|" + "|".join("---" for _ in t.headers) + "|")
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in t.rows]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def write_docx(doc: Document, path: str) -> None:
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = d.styles[style_name]
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), "SimSun" if style_name == "Normal" else "SimHei")
    d.core_properties.title = doc.title
    d.add_heading(doc.title, 0)
    for p in doc.intro:
        d.add_paragraph(p)
    for s in doc.sections:
        d.add_heading(s.heading, min(s.level, 3))
        for p in s.paragraphs:
            d.add_paragraph(p)
        for t in s.tables:
            table = d.add_table(rows=1, cols=len(t.headers))
            table.style = "Table Grid"
            for cell, h in zip(table.rows[0].cells, t.headers):
                cell.text = h
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in t.rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, row):
                    cell.text = str(value)
            d.add_paragraph()
    d.save(path)
