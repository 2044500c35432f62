"""The annual (half-year, any period's) report as an official document, a person's duty record
(述职材料 / 履职纪实), and the writers that lay a :class:`Document` out as Markdown or Word
(:mod:`.docx_writer`, python-docx imported when used).

The report (意识形态工作责任制落实情况报告), as an office hands it to the committee above:

* title in the official form — 中共xx镇委员会关于2026年度落实意识形态工作责任制情况的报告 —, the
  addressee (主送, setting ``report.addressee``) and a lead-in;
* 一、基本情况 (the organisation and who answers for what, from the plugins' ``basics``);
* 二、主要做法和成效: a paragraph per area with the period's figures from the ledgers (the
  plugins' ``figures``; an area nobody writes for gets its ledgers' counts);
* 三、存在问题: the findings of the rules, in prose, by area;
* 四、下一步打算: the plugins' ``plans`` (open duty items...), the findings still to put right and
  the office's own text (setting ``report.plans``);
* 落款 (the organisation, the date in Chinese form) and 附件: the index of the ledgers, the
  plugins' attachments (the scorecard), the list of problems, the evidence with SHA-256 and the
  data seal — the head of the audit chain at printing, which ``duty audit --verify --digest HEX``
  later looks for in a chain that still verifies.

Only what is in force counts: a record dated after the period's end (or after today while the
period runs) is planned, not done; an officer whose term ended is former. The body names people
and records by name, never by an internal id; tables are in the attachments only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..errors import FieldError, NotFound, ValidationError
from ..i18n import L
from ..ledger import Ledger, Record
from ..present.areas import area_label, ordered_areas
from ..present.display import show_value
from ..present.imprint import org_label, org_name, printed_line
from ..present.titles import TitleCache
from ..rules import FAILED, failed_rules, run_rules
from ..safetext import escape_strings
from ..schema import DATE, RecordType
from .period import Period, document_date, year_period
from .spec import ReportContext, ReportSpec, Section, Table, english_counts

Progress = Callable[[int], None]
MAX_ROWS = 200  # rows of one table in a document; the ledgers (xlsx) hold them all
ADDRESSEE_KEY, PLANS_KEY, ISSUER_KEY = "report.addressee", "report.plans", "report.issuer"
ZH_NUMERALS = "一二三四五六七八九十"


@dataclass
class Document:
    """A document already in its language. The official frame (``addressee``, ``issuer``,
    ``date``, ``attachments``) is empty in a dossier."""

    title: str
    lang: str
    intro: tuple[str, ...] = ()
    sections: list[Section] = field(default_factory=list)
    digest: str | None = None
    digest_seq: int | None = None
    addressee: str = ""
    issuer: str = ""
    date: str = ""
    attachments: list[Section] = field(default_factory=list)
    author: str = ""
    subject: str = ""

    @property
    def attachment_titles(self) -> list[str]:
        return [s.heading for s in self.attachments if s.level == 1]


# -- helpers the faces and plugins share -------------------------------------------------------

def numbered(n: int, lang: str, *, level: int = 1) -> str:
    """The heading numbers of a Chinese official document: 一、 (level 1), （一） (level 2);
    1. and (1) in English."""
    if lang == "zh":
        digits = ZH_NUMERALS[n - 1] if n <= 10 else ("十" + ZH_NUMERALS[n - 11] if n < 20 else str(n))
        return f"{digits}、" if level == 1 else f"（{digits}）"
    return f"{n}. " if level == 1 else f"({n}) "


def sentences(parts: Iterable[str], lang: str) -> str:
    """Figures joined into one paragraph: 。 between Chinese sentences, '. ' in English."""
    parts = [p.strip().rstrip("。.；;，,") for p in parts if p and p.strip()]
    if not parts:
        return ""
    return "。".join(parts) + "。" if lang == "zh" else ". ".join(p[0].upper() + p[1:] for p in parts) + "."


def setting_text(ledger: Ledger, key: str) -> str:
    try:
        return str(ledger.setting(key) or "").strip()
    except NotFound:
        return ""


def official_org_name(org: str) -> str:
    """The organisation as a document names it: xx镇党委 → 中共xx镇委员会 (a full name is kept)."""
    org = org.strip()
    if not org:
        return ""
    if org.endswith("党委") and not org.endswith("委员会"):
        org = org[:-2] + "委员会"
    if org.endswith("委员会") and not org.startswith(("中共", "中国共产党")):
        org = "中共" + org
    return org


def issuer_name(ledger: Ledger, lang: str = "zh") -> str:
    """Who issues the report: setting ``report.issuer``, else ``org.name`` in its official form
    (xx镇党委 → 中共xx镇委员会), else 未设置单位名称 (never a sample name)."""
    return setting_text(ledger, ISSUER_KEY) or official_org_name(org_name(ledger)) or org_label(ledger, lang)


def printed_at_by(ledger: Ledger, lang: str) -> str:
    """The "printed at ... by ..." line of a document (in the report's data seal and at the head
    of a duty record, never in the report's body): one helper, so where the time zone and the
    printer's name come from is decided in one place (``present.imprint``)."""
    return printed_line(ledger, lang)


def area_types(ledger: Ledger) -> list[tuple[str, list[RecordType]]]:
    """(area, its record types) in the areas' order, the directory left out."""
    types = list(ledger.registry.types.values())
    return [(a.id, [rt for rt in types if rt.area == a.id]) for a in ordered_areas(ledger.registry, with_directory=False)]


def columns_of(rt: RecordType) -> list[str]:
    cols = list(rt.list_columns) or [n for n in (rt.title_field, rt.year_field) if n]
    return [c for c in cols if rt.has_field(c)] or rt.field_names[:3]


def record_table(ctx: ReportContext, rt: RecordType, records: list[Record], titles: TitleCache,
                 extra: tuple[str, Callable[[Record], str]] | None = None, *, ids: bool = False) -> Table:
    """Records as a table by their values as a person reads them (references by title); the
    internal id only with ``ids``."""
    cols = columns_of(rt)
    headers = ([ctx.t("编号", "ID")] if ids else [ctx.t("序号", "No.")]) + [rt.field(c).label.render(ctx.lang) for c in cols]
    if rt.workflow:
        headers.append(ctx.t("状态", "State"))
    if extra:
        headers.append(extra[0])
    rows = []
    shown = records[:MAX_ROWS]
    known = titles.get(t for r in shown for _, t in rt.links(r.data))
    for n, record in enumerate(shown, 1):
        row = [record.id if ids else str(n)]
        for c in cols:
            row.append(show_value(rt.field(c), record.data.get(c), ctx.lang, known))
        if rt.workflow:
            row.append(rt.workflow.state(record.state).label.render(ctx.lang) if record.state else "")
        if extra:
            row.append(extra[1](record))
        rows.append(tuple(row))
    return Table(tuple(headers), tuple(rows))


def _failed(ctx: ReportContext, spec: ReportSpec, exc: BaseException) -> str:
    return ctx.t("{label}：此部分生成失败（{e}）", "{label}: this part failed ({e})", label=spec.label.render(ctx.lang),
                 e=f"{type(exc).__name__}: {exc}")


def _specs(ctx: ReportContext, kind: str) -> list[ReportSpec]:
    specs = [s for s in ctx.ledger.registry.reports.values() if isinstance(s, ReportSpec) and s.kind == kind]
    return sorted(specs, key=lambda s: (s.order, s.id))


def _call(ctx: ReportContext, spec: ReportSpec, part: str) -> tuple[list[Any], str | None]:
    """A spec's part (``figures``...): (what it gave, None) or ([], the failure as a sentence)."""
    builder = getattr(spec, part)
    if builder is None:
        return [], None
    try:
        return list(builder(ctx) or []), None
    except Exception as exc:  # one plugin's part must not take the report down
        return [], _failed(ctx, spec, exc)


def plugin_sections(ctx: ReportContext, kind: str) -> list[tuple[int, list[Section]]]:
    """Every spec's ``sections`` of a kind, as (order, sections); one that raises is a section
    headed by its label saying that it failed."""
    out = []
    for spec in _specs(ctx, kind):
        if spec.sections is None:
            continue
        try:
            out.append((spec.order, list(spec.sections(ctx))))
        except Exception as exc:
            out.append((spec.order, [Section(spec.label.render(ctx.lang), (ctx.t("此部分生成失败：{e}", "this part failed: {e}",
                                                                                e=f"{type(exc).__name__}: {exc}"),))]))
    return out


def resolve_period(year: int | None, period: Period | None) -> Period:
    if period is not None:
        return period
    if year is None:
        raise ValueError("a report needs a year or a period")
    return year_period(year)


# -- the report ----------------------------------------------------------------------------------

def build_annual(ledger: Ledger, year: int | None = None, lang: str = "zh", *, today: dt.date | None = None,
                 progress: Progress | None = None, period: Period | None = None) -> Document:
    """The report on ``period`` (default: the whole ``year``) as an official document."""
    ledger.require("read")
    period = resolve_period(year, period)
    ctx = ReportContext(ledger, period.year, lang, today or ledger.today(), period=period)
    issuer = issuer_name(ledger, lang)
    when = period.name(lang)
    if lang == "zh":
        title = f"{issuer}关于{when}落实意识形态工作责任制情况的报告"
    else:
        title = f"Report of {issuer or 'the committee'} on the ideological-work responsibility system in {when}"
    addressee = setting_text(ledger, ADDRESSEE_KEY)
    doc = Document(title, lang, addressee=addressee, issuer=issuer, date=document_date(ctx.today, lang),
                   author=issuer, subject=ctx.t("意识形态工作责任制落实情况报告", "Report on the ideological-work responsibility system"))
    doc.intro = (ctx.t("按照意识形态工作责任制有关规定，现将{when}落实意识形态工作责任制情况报告如下。",
                       "As the responsibility system for ideological work requires, {org} reports as follows on how it was carried out in {when}.",
                       org=issuer, when=when),)
    findings = run_rules(ledger, period.year, today=ctx.as_of)
    specs = _specs(ctx, "annual")

    # 一、基本情况
    basics: list[str] = [core_basics(ctx)]
    for spec in specs:
        got, failed = _call(ctx, spec, "basics")
        basics += got + ([failed] if failed else [])
    parts = [Section(numbered(1, lang) + ctx.t("基本情况", "Basic situation"), (sentences(basics, lang),))]

    # 二、主要做法和成效: a paragraph per area
    parts.append(Section(numbered(2, lang) + ctx.t("主要做法和成效", "What was done and achieved")))
    figures: dict[str, list[str]] = {}
    for spec in specs:
        got, failed = _call(ctx, spec, "figures")
        figures.setdefault(spec.area, []).extend(got + ([failed] if failed else []))
    for n, (area, types) in enumerate(area_types(ledger), 1):
        text = sentences(figures.get(area) or [ledger_counts(ctx, types)], lang)
        parts.append(Section(numbered(n, lang, level=2) + area_label(ledger.registry, area, lang), (text,), level=2))
        if progress:
            progress(1)

    # 三、存在问题
    parts.append(Section(numbered(3, lang) + ctx.t("存在问题", "Problems"), tuple(problems_prose(ctx, findings))))

    # 四、下一步打算
    plans: list[str] = []
    for spec in specs:
        got, failed = _call(ctx, spec, "plans")
        plans += got + ([failed] if failed else [])
    parts.append(Section(numbered(4, lang) + ctx.t("下一步打算", "Next steps"), tuple(plans_prose(ctx, findings, plans))))
    doc.sections = parts

    # 附件
    titles = TitleCache(ledger)
    attachments: list[tuple[int, list[Section]]] = [(10, [ledger_index(ctx)])]
    for spec in specs:
        got, failed = _call(ctx, spec, "attachments")
        if failed:
            got = [Section(spec.label.render(lang), (failed,))]
        if got:
            attachments.append((spec.order, got))
    attachments += plugin_sections(ctx, "annual")
    attachments.append((90, [findings_attachment(ctx, findings, titles)]))
    attachments.append((95, [evidence_attachment(ctx, titles)]))
    attachments.sort(key=lambda p: p[0])
    doc.attachments = [s for _, group in attachments for s in group if s.heading]
    verdict = ledger.verify_audit()
    doc.digest, doc.digest_seq = verdict.head, verdict.entries
    doc.attachments.append(seal_attachment(ctx, verdict))
    return doc


def core_basics(ctx: ReportContext) -> str:
    """The organisation: how many villages, communities, departments and offices it leads."""
    units = ctx.ledger.all("unit") if ctx.has("unit") else []
    count = {k: sum(1 for u in units if u.data.get("kind") == k) for k in ("village", "community", "department", "office")}
    org = issuer_name(ctx.ledger, ctx.lang)
    if ctx.lang == "zh":
        kinds = "、".join(f"{label}{count[k]}个" for k, label in (("village", "村"), ("community", "社区"),
                                                                 ("department", "部门"), ("office", "办公室")) if count[k])
        return f"{org}领导{kinds or '的单位'}" + (f"，共{sum(count.values())}个单位" if kinds else "")
    kinds = ", ".join(f"{count[k]} {label}" for k, label in (("village", "villages"), ("community", "communities"),
                                                               ("department", "departments"), ("office", "offices")) if count[k])
    return english_counts(f"{org} leads {kinds or 'its units'}" + (f", {sum(count.values())} units in all" if kinds else ""))


def ledger_counts(ctx: ReportContext, types: list[RecordType]) -> str:
    """An area's paragraph when no plugin writes its figures: each ledger's records in force."""
    parts = []
    for rt in types:
        n = len(ctx.held(rt.name)) if rt.year_field else ctx.ledger.count(rt.name)
        parts.append(ctx.t("{type}{n}条", "{type}: {n}", type=rt.label.render(ctx.lang), n=n))
    if not parts:
        return ctx.t("本方面没有台账", "no ledgers in this area")
    lead = ctx.t("{when}登记", "recorded in {when}: ", when=ctx.period.name(ctx.lang))
    return lead + ("，".join(parts) if ctx.lang == "zh" else "; ".join(parts))


CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
HALF_TO_FULL = {":": "：", ",": "，", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}


def zh_prose(text: str) -> str:
    """A message written for a screen made fit for a Chinese document: full-width punctuation
    (a colon or comma between digits, as in 06:30 or 1,000, is kept), no spaces between Chinese
    characters or between them and digits, dates as 2026年11月5日."""
    text = ISO_DATE.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)
    text = re.sub(r"(?<!\d)[:,;?!()]|[:,;?!()](?!\d)", lambda m: HALF_TO_FULL[m[0]], text)
    text = re.sub(rf"(?<=[{CJK}])\s+(?=[{CJK}\w])|(?<=[\w{CJK}])\s+(?=[{CJK}])", "", text)
    return text


def _finding_text(ctx: ReportContext, f) -> str:
    text = f.message.render(ctx.lang).strip().rstrip("。.")
    return zh_prose(text) if ctx.lang == "zh" else text


def problems_prose(ctx: ReportContext, findings) -> list[str]:
    """三、存在问题: a paragraph per area with its findings (errors first), each rule's once."""
    out = []
    areas = [a.id for a in ordered_areas(ctx.ledger.registry, with_directory=False)]
    n = 0
    for area in areas + sorted({f.area for f in findings} - set(areas)):
        found = [f for f in findings if f.area == area and f.severity != FAILED]
        failed = failed_rules(f for f in findings if f.area == area)
        if not found and not failed:
            continue
        n += 1
        label = area_label(ctx.ledger.registry, area, ctx.lang)
        texts = []
        for rule in dict.fromkeys(f.rule for f in found):  # a rule's findings once, the many summed up
            said = list(dict.fromkeys(_finding_text(ctx, f) for f in found if f.rule == rule))
            texts += said if len(said) <= 2 else said[:2] + [ctx.t("同类问题共{n}项（详见附件）", "{n} of this kind in all (see the attachment)",
                                                                   n=len(said))]
        if failed:
            texts.append(ctx.t("检查规则{r}未能运行，本方面检查不完整", "{r} failed to run, so the check is incomplete",
                               r="、".join(failed) if ctx.lang == "zh" else ", ".join(failed)))
        lead = ctx.t("{n}是{area}方面：", "{n}. {area}: ", n=(ZH_NUMERALS[n - 1] if n <= 10 else str(n)) if ctx.lang == "zh" else str(n),
                     area=label)
        out.append(lead + ("；".join(texts) + "。" if ctx.lang == "zh" else "; ".join(texts) + "."))
    if not out:
        return [ctx.t("经对照检查，{when}各项检查均未发现问题。", "The checks found no problem in {when}.", when=ctx.period.name(ctx.lang))]
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    summary = ctx.t("对照意识形态工作责任制各项要求检查，发现问题{e}个、需关注事项{w}个，主要是：",
                    "Checked against the system's requirements, {e} problem(s) and {w} matter(s) to watch were found:", e=errors, w=warnings)
    return [summary] + out


def plans_prose(ctx: ReportContext, findings, contributed: list[str]) -> list[str]:
    out = []
    text = setting_text(ctx.ledger, PLANS_KEY)
    open_findings = [f for f in findings if f.severity != FAILED]
    if open_findings:
        order = [a.id for a in ordered_areas(ctx.ledger.registry, with_directory=False)]
        found = {f.area for f in open_findings}
        areas = [area_label(ctx.ledger.registry, a, ctx.lang) for a in order + sorted(found - set(order)) if a in found]
        out.append(ctx.t("针对{areas}等方面存在的问题和需关注事项（共{n}项），逐项明确责任人和整改时限，整改到位后对账销号",
                         "To put right the problems and matters to watch found in {areas} ({n} in all), one by one, each with a person responsible and a deadline",
                         areas="、".join(areas) if ctx.lang == "zh" else ", ".join(areas), n=len(open_findings)))
    out += contributed
    paragraphs = [sentences(out, ctx.lang)] if out else []
    if text:
        paragraphs += [p.strip() for p in text.splitlines() if p.strip()]
    elif not paragraphs:
        paragraphs.append(ctx.t("继续抓好意识形态工作责任制落实，确保各项工作落到实处。",
                                "To keep carrying out the responsibility system so that every part of the work is done."))
    return paragraphs


# -- attachments --------------------------------------------------------------------------------

def ledger_index(ctx: ReportContext) -> Section:
    """附件: the index of the ledgers (台账目录): each ledger, its area and its records in the period."""
    rows = []
    n = 0
    for area, types in area_types(ctx.ledger):
        label = area_label(ctx.ledger.registry, area, ctx.lang)
        for rt in types:
            n += 1
            if rt.year_field:
                count = str(len(ctx.records(rt.name)))
            else:
                count = ctx.t("{n}（在册）", "{n} (on file)", n=ctx.ledger.count(rt.name))
            rows.append((str(n), label, rt.label.render(ctx.lang), count))
    return Section(ctx.t("台账目录", "Index of the ledgers"),
                   (ctx.t("本期各台账记录数如下；各台账明细见同期导出的台账（xlsx）。",
                          "The records of each ledger in the period; the ledgers themselves are exported with the report (xlsx)."),),
                   (Table((ctx.t("序号", "No."), ctx.t("方面", "Area"), ctx.t("台账", "Ledger"), ctx.t("本期记录数", "Records")), tuple(rows)),))


def findings_attachment(ctx: ReportContext, findings, titles: TitleCache) -> Section:
    heading = ctx.t("问题清单", "List of problems")
    if not findings:
        return Section(heading, (ctx.t("各项检查均未发现问题。", "Every check passes."),))
    kinds = {"error": ctx.t("问题", "problem"), "warning": ctx.t("预警", "to watch"), FAILED: ctx.t("检查出错", "check failed")}
    rows = []
    for n, f in enumerate(findings, 1):
        named = [titles(r) for r in f.records[:6]]
        rows.append((str(n), kinds.get(f.severity, f.severity), area_label(ctx.ledger.registry, f.area, ctx.lang),
                     _finding_text(ctx, f), ("、" if ctx.lang == "zh" else ", ").join(named) + (" …" if len(f.records) > 6 else "")))
    table = Table((ctx.t("序号", "No."), ctx.t("类别", "Kind"), ctx.t("方面", "Area"), ctx.t("问题", "Problem"), ctx.t("涉及", "Concerns")),
                  tuple(rows))
    return Section(heading, (ctx.t("共{n}项，按检查规则于{d}得出。", "{n} in all, as the checks found them on {d}.", n=len(findings),
                                   d=document_date(ctx.as_of, ctx.lang)),), (table,))


def evidence_attachment(ctx: ReportContext, titles: TitleCache) -> Section:
    """附件: the files attached to the period's records, with their SHA-256."""
    rows = []
    for _area, types in area_types(ctx.ledger):
        for rt in types:
            for record in (ctx.records(rt.name) if rt.year_field else ctx.ledger.all(rt.name)):
                for b in ctx.ledger.files(record.id):
                    rows.append((str(len(rows) + 1), rt.label.render(ctx.lang), titles(record.id), b.name, str(b.size), b.sha256))
    heading = ctx.t("佐证材料清单", "List of evidence")
    if not rows:
        return Section(heading, (ctx.t("本期台账未附佐证材料。", "No files are attached to the period's records."),))
    return Section(heading, (ctx.t("共{n}个文件；SHA-256 校验值可用于核对原件。", "{n} files; the SHA-256 checks the originals.", n=len(rows)),),
                   (Table((ctx.t("序号", "No."), ctx.t("台账", "Ledger"), ctx.t("记录", "Record"), ctx.t("文件", "File"),
                           ctx.t("字节", "Bytes"), "SHA-256"), tuple(rows)),))


def seal_attachment(ctx: ReportContext, verdict) -> Section:
    paragraphs = [ctx.t("本报告数据取自本级意识形态工作台账。印制时台账审计链共{n}条记录，末条记录的数据校验码（SHA-256）为：",
                        "The figures come from the ledgers. At printing their audit chain held {n} entries; the last entry's digest (SHA-256) is:",
                        n=verdict.entries),
                  verdict.head,
                  ctx.t("核验方法：duty audit --verify --digest {d}", "To check it later: duty audit --verify --digest {d}", d=verdict.head),
                  printed_at_by(ctx.ledger, ctx.lang)]
    if not verdict.ok:
        paragraphs.append(ctx.t("注意：印制时审计链已断裂：", "Note: the audit chain was already broken at printing: ") + verdict.render(ctx.lang))
    return Section(ctx.t("数据校验码", "Data seal"), tuple(paragraphs))


# -- the duty record (述职材料 / 履职纪实) ----------------------------------------------------------

def build_dossier(ledger: Ledger, person: str | None, year: int | None = None, lang: str = "zh", *,
                  today: dt.date | None = None, period: Period | None = None) -> Document:
    """A person's duty record over the period: 一、基本情况 (posts and divisions held), 二、履职情况
    (totals), 三、履职记录 (the records naming them, by area), then the plugins' sections."""
    try:
        record = ledger.get(person or "")
    except NotFound:
        raise ValidationError([FieldError("--person", L("没有编号为 {id} 的人员", "there is no person {id}").format(id=person or ""))]) from None
    if record.type != "person":
        raise ValidationError([FieldError("--person", L("{id} 不是人员", "{id} is not a person").format(id=record.id))])
    period = resolve_period(year, period)
    ctx = ReportContext(ledger, period.year, lang, today or ledger.today(), person=record.id, period=period)
    name = str(record.data.get("name") or record.id)
    when = period.name(lang)
    title = (f"{name}同志{when}落实意识形态工作责任制履职纪实" if lang == "zh"
             else f"Duty record of {name}: the ideological-work responsibility system in {when}")
    issuer = issuer_name(ledger, lang)
    doc = Document(title, lang, author=issuer, subject=ctx.t("履职纪实", "Duty record"))
    titles = TitleCache(ledger)
    specs = _specs(ctx, "dossier")

    person_rt = ledger.type("person")
    known = titles.get(t for _, t in person_rt.links(record.data))
    facts = [ctx.t("姓名：{v}", "Name: {v}", v=name)]
    for f in person_rt.fields:
        if f.name != "name" and record.data.get(f.name) not in (None, "", []):
            facts.append(f"{f.label.render(lang)}{'：' if lang == 'zh' else ': '}{show_value(f, record.data.get(f.name), lang, known)}")
    basics: list[str] = ["；".join(facts) if lang == "zh" else "; ".join(facts)]
    for spec in specs:
        got, failed = _call(ctx, spec, "basics")
        basics += got + ([failed] if failed else [])
    sections = [Section(numbered(1, lang) + ctx.t("基本情况", "The person"), tuple(b.strip() for b in basics if b.strip()))]

    totals: list[str] = []
    for spec in specs:
        got, failed = _call(ctx, spec, "figures")
        totals += got + ([failed] if failed else [])
    found_by_type = naming_records(ctx, record.id)
    rows = tuple((rt.label.render(lang), role, str(len(records)))
                 for rt, roles in found_by_type for role, records in roles.items())
    paragraphs = (sentences(totals, lang),) if totals else ()
    tables = (Table((ctx.t("台账", "Ledger"), ctx.t("本人身份", "Named as"), ctx.t("次数", "Count")), rows),) if rows else ()
    if not paragraphs and not tables:
        paragraphs = (ctx.t("{when}没有记录提及本人。", "No record of {when} names this person.", when=when),)
    sections.append(Section(numbered(2, lang) + ctx.t("履职情况", "Totals"), paragraphs, tables))

    sections.append(Section(numbered(3, lang) + ctx.t("履职记录", "Records")))
    by_area: dict[str, list[tuple[RecordType, dict[str, list[Record]]]]] = {}
    for rt, roles in found_by_type:
        by_area.setdefault(rt.area, []).append((rt, roles))
    n = 0
    for area, _types in area_types(ledger):
        if area not in by_area:
            continue
        n += 1
        parts, tables_ = [], []
        for rt, roles in by_area[area]:
            records = list({r.id: r for rs in roles.values() for r in rs}.values())
            named = {r.id: [role for role, rs in roles.items() if r in rs] for r in records}
            parts.append(ctx.t("{type}{n}条", "{type}: {n}", type=rt.label.render(lang), n=len(records)))
            tables_.append(record_table(ctx, rt, records, titles, (ctx.t("本人身份", "Named as"),
                                                                    lambda r, named=named: ("、" if lang == "zh" else ", ").join(named[r.id]))))
        sections.append(Section(numbered(n, lang, level=2) + area_label(ledger.registry, area, lang),
                                (("，" if lang == "zh" else "; ").join(parts) + ("。" if lang == "zh" else "."),), tuple(tables_), level=2))
    if n == 0:
        sections[-1] = Section(sections[-1].heading, (ctx.t("{when}没有记录提及本人。", "No record of {when} names this person.", when=when),))
    for _order, group in plugin_sections(ctx, "dossier"):
        sections += group
    doc.sections = sections
    doc.intro = (printed_at_by(ledger, lang),)
    return doc


def naming_records(ctx: ReportContext, person: str) -> list[tuple[RecordType, dict[str, list[Record]]]]:
    """(record type, {the field's label: the period's records naming the person there}), in
    the areas' order; records dated after :attr:`ReportContext.as_of` are left out (planned)."""
    out = []
    for _area, types in area_types(ctx.ledger):
        for rt in types:
            post = rt.has_field("since") and rt.has_field("until")  # a post held (leading group): told in 基本情况
            fields = [f for f in rt.references() if f.target == "person" and not (post and f.name == "person")]
            if not fields:
                continue
            dated = rt.year_field if rt.year_field and rt.field(rt.year_field).kind == DATE else None
            roles: dict[str, list[Record]] = {}
            for f in fields:
                records = ctx.ledger.query(rt.name, where={f.name: person}, limit=None)
                if rt.year_field:
                    wanted = {r.id for r in (ctx.held(rt.name) if dated else ctx.records(rt.name))}
                    records = [r for r in records if r.id in wanted]
                elif rt.has_field("since") and rt.has_field("until"):  # a post held: its term overlaps the period
                    records = [r for r in records if (r.data.get("since") or dt.date.min) <= ctx.end
                               and (r.data.get("until") or dt.date.max) >= ctx.start]
                if records:
                    roles[f.label.render(ctx.lang)] = records
            if roles:
                out.append((rt, roles))
    return out


# -- writers ------------------------------------------------------------------------------------

def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_table(t: Table) -> list[str]:
    out = ["| " + " | ".join(_md_cell(h) for h in t.headers) + " |", "|" + "|".join("---" for _ in t.headers) + "|"]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in t.rows]
    return out + [""]


def attachment_label(n: int, lang: str) -> str:
    return f"附件{n}" if lang == "zh" else f"Attachment {n}"


def numbered_attachments(doc: Document) -> list[tuple[int, Section]]:
    """(number, section) of the attachments; a level-2 section belongs to the one before (0)."""
    out, n = [], 0
    for s in doc.attachments:
        if s.level == 1:
            n += 1
            out.append((n, s))
        else:
            out.append((0, s))
    return out


def write_markdown(doc: Document) -> str:
    doc = escape_strings(doc)  # what the store holds never reaches the file raw (controls, bidi, stray surrogates)
    zh = doc.lang == "zh"
    out = [f"# {doc.title}", ""]
    if doc.addressee:
        out += [doc.addressee + ("：" if zh else ":"), ""]
    out += [p + "\n" for p in doc.intro]
    for s in doc.sections:
        out += ["#" * (s.level + 1) + " " + s.heading, ""]
        for p in s.paragraphs:
            out += [p, ""]
        for t in s.tables:
            out += _md_table(t)
    if doc.attachments:
        listed = [f"{n}. {s.heading}" for n, s in numbered_attachments(doc) if n]
        out += [("附件：" if zh else "Attachments: ") + ("；".join(listed) if zh else "; ".join(listed)), ""]
    if doc.issuer or doc.date:
        out += [line for line in (doc.issuer, doc.date) if line] + [""]
    for n, s in numbered_attachments(doc):
        if n:
            out += ["---", "", f"## {attachment_label(n, doc.lang)}{'　' if zh else ': '}{s.heading}", ""]
        else:
            out += [f"### {s.heading}", ""]
        for p in s.paragraphs:
            out += [p, ""]
        for t in s.tables:
            out += _md_table(t)
    return "\n".join(out).rstrip() + "\n"


def write_docx(doc: Document, path: str) -> None:
    """The document as Word, laid out after GB/T 9704 (see :mod:`.docx_writer`)."""
    from .docx_writer import write_official_docx

    write_official_docx(escape_strings(doc), path)
