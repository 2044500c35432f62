"""The county report (``duty report --county``): the towns compared, as an office submits it —
the title, the addressee, a lead-in, 一、总体情况 (how many towns, the scores' range, what is
overdue), 二、对比表 (towns × each area's standing, the score, errors, warnings, overdue), 三、考核
得分图 (a bar chart of the scores), 四、各乡镇主要问题 (a paragraph per town naming its most serious
findings), then the issuer and the date. The figures are :mod:`duty_tui.present.county`'s, the
same the county dashboard shows.

The chart. In Word it is a picture: matplotlib (imported when a Word file is written, Agg, no
window) draws a PNG, put where the chart's paragraph is. Town names are drawn in a CJK font found
on the machine (fontconfig's ``fc-list :lang=zh``, else one matplotlib knows that has the glyphs);
when there is none, or it lacks a character of a name, the bars are labelled by the towns' numbers
in the table (1, 2, …) instead and the caption says so: a missing glyph is never drawn as a box.
The picture holds no other text (the caption under it is the document's, in its fonts). In
Markdown the chart is text: a bar of blocks per town.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

from ..ledger import Ledger
from ..present.areas import area_label
from ..present.county import NO_SCORER, County, Progress, TownStanding, area_cell, build_county, number, score_text
from ..present.time import document_date
from .document import ADDRESSEE_KEY, Document, issuer_name, numbered, setting_text, zh_prose
from .spec import ReportContext, Section, Table

CHART = "[[duty:county-chart]]"  # the chart's paragraph in the Document written to Word: the picture goes there
BAR_WIDTH = 30  # cells of a text bar
FULL, PARTS, TRACK = "█", "▏▎▍▌▋▊▉", "░"
CHART_WIDTH_MM = 150
PREFERRED_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                   "Noto Serif CJK SC", "AR PL UMing CN", "Droid Sans Fallback")


# -- the document ------------------------------------------------------------------------------------

def write_county_report(ledger: Ledger, towns: Sequence[Any], year: int, lang: str, fmt: str, output: str | None, *,
                        today: dt.date, missing: Sequence[str] = (), progress: Progress | None = None) -> str | None:
    """``duty report --county``: the towns read (``progress`` after each), the report written to
    ``output`` as Word (``fmt`` docx) or Markdown, whole or not at all; Markdown without
    ``output`` is returned instead. ``missing``: the names of towns whose bundle of the year has
    not come (the report says so)."""
    from ..files import write_atomically
    from .document import write_markdown

    from ..county import standing_cache_of

    county = build_county(towns, year, today, registry=ledger.registry, progress=progress, cache=standing_cache_of(ledger, True), ledger=ledger)
    doc = build_county_report(ledger, county, lang, chart="picture" if fmt == "docx" else "text", missing=missing)
    if fmt == "docx":
        write_atomically(output, lambda tmp: write_county_docx(doc, county, tmp))
        return None
    text = write_markdown(doc)
    if output is None:
        return text
    write_atomically(output, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return None


def build_county_report(ledger: Ledger, county: County, lang: str = "zh", *, chart: str = "text",
                        missing: Sequence[str] = ()) -> Document:
    """The report as a :class:`Document`. ``chart``: "text" (bars of blocks, for Markdown) or
    "picture" (a placeholder paragraph :func:`write_county_docx` replaces by the chart)."""
    ctx = ReportContext(ledger, county.year, lang, county.today)
    issuer = issuer_name(ledger, lang)
    zh = lang == "zh"
    towns = county.towns
    title = (f"{issuer}关于{county.year}年度各乡镇落实意识形态工作责任制情况的对比报告" if zh
             else f"{issuer}: the towns compared on the ideological-work responsibility system in {county.year}")
    doc = Document(title, lang, addressee=setting_text(ledger, ADDRESSEE_KEY), issuer=issuer, date=document_date(county.today, lang),
                   author=issuer, subject=ctx.t("各乡镇意识形态工作责任制落实情况对比", "The towns compared"))
    doc.intro = (ctx.t("按照意识形态工作责任制分级负责的要求，对{n}个乡镇{year}年度的检查情况、考核得分和逾期事项进行了对比（数据截至{date}），现报告如下。",
                       "As the responsibility system's levels of duty require, the checks, scores and overdue matters of {n} town(s) in {year} "
                       "were compared (as of {date}). The findings follow.",
                       n=len(towns), year=county.year, date=document_date(county.today, lang)),)
    doc.sections = [
        Section(numbered(1, lang) + ctx.t("总体情况", "Overview"), tuple(overview(ctx, county, missing))),
        Section(numbered(2, lang) + ctx.t("对比表", "The towns side by side"), (table_note(ctx, county),), (comparison_table(ctx, county),)),
        Section(numbered(3, lang) + ctx.t("考核得分图", "Scores"), chart_paragraphs(ctx, county, chart)),
        Section(numbered(4, lang) + ctx.t("各乡镇主要问题", "Each town's main problems")),
    ]
    for n, town in enumerate(towns, 1):
        doc.sections.append(Section(numbered(n, lang, level=2) + town.name, (town_paragraph(ctx, county, town),), level=2))
    return doc


def overview(ctx: ReportContext, county: County, missing: Sequence[str] = ()) -> list[str]:
    towns = county.towns
    imported = [t for t in towns if t.kind == "imported"]
    out = [ctx.t("共{n}个乡镇，其中{r}个在本库填报，{i}个报送年度数据包。", "{n} town(s): {r} with their records here, {i} sent a signed yearly bundle.",
                 n=len(towns), r=len(towns) - len(imported), i=len(imported))]
    if missing:
        out.append(ctx.t("{names}尚未报送{year}年度数据包，未列入本报告。", "{names} sent no bundle for {year} yet and are not in this report.",
                         names="、".join(missing) if ctx.lang == "zh" else ", ".join(missing), year=county.year))
    scored = [t for t in towns if t.points is not None]
    if not county.scored:
        out.append(NO_SCORER.render(ctx.lang) + ("。" if ctx.lang == "zh" else "."))
    elif scored:
        best = max(scored, key=lambda t: Fraction(str(t.points)))
        worst = min(scored, key=lambda t: Fraction(str(t.points)))
        mean = sum(Fraction(str(t.points)) for t in scored) / len(scored)
        if Fraction(str(best.points)) == Fraction(str(worst.points)):
            if len(scored) == 1:
                out.append(ctx.t("{name}考核得分{s}分。", "{name} scored {s}.", name=best.name, s=number(best.points)))
            else:
                out.append(ctx.t("{who}考核得分均为{s}分。", "{who} all scored {s}.", s=number(best.points),
                                 who=ctx.t("各乡镇", "The towns") if len(scored) == len(towns) else
                                 ctx.t("已评分的{n}个乡镇", "The {n} towns with a score", n=len(scored))))
        else:
            out.append(ctx.t("考核得分平均{mean}分，最高{best}（{b}分），最低{worst}（{w}分）。",
                             "The mean score is {mean}; the highest {best} ({b}), the lowest {worst} ({w}).",
                             mean=number(mean), best=best.name, b=number(best.points), worst=worst.name, w=number(worst.points)))
        if len(scored) < len(towns):
            out.append(ctx.t("{names}无考核得分（未建立考核细则或评分出错）。", "{names}: no score (no assessment table, or the scoring failed).",
                             names=("、" if ctx.lang == "zh" else ", ").join(t.name for t in towns if t.points is None)))
        if any(t.score is not None and t.score.example for t in scored):
            out.append(ctx.t("部分乡镇的考核细则仍为随软件提供的示例，得分仅供参考。",
                             "Some towns still score by the example table shipped with the software: their scores are indicative only."))
    errors, warnings = sum(t.errors for t in towns), sum(t.warnings for t in towns)
    overdue = sum(t.overdue_count for t in towns)
    out.append(ctx.t("检查共发现问题{e}个、需关注事项{w}个；逾期未办结事项{o}项。",
                     "The checks found {e} problem(s) and {w} matter(s) to watch; {o} matter(s) are overdue.", e=errors, w=warnings, o=overdue))
    unread = [t for t in towns if t.problem is not None]
    if unread:
        out.append(ctx.t("{names}的数据未能读取，未计入：{why}。", "{names} could not be read and are left out: {why}.",
                         names="、".join(t.name for t in unread) if ctx.lang == "zh" else ", ".join(t.name for t in unread),
                         why=("；" if ctx.lang == "zh" else "; ").join(t.problem.render(ctx.lang) for t in unread if t.problem)))
    return out


def comparison_table(ctx: ReportContext, county: County) -> Table:
    lang = ctx.lang
    registry = ctx.ledger.registry
    full = county.full
    score_head = ctx.t("得分", "Score")
    headers = (ctx.t("序号", "No."), ctx.t("乡镇", "Town"), *(area_label(registry, a, lang) for a in county.areas), score_head,
               ctx.t("问题", "Errors"), ctx.t("预警", "Warnings"), ctx.t("逾期", "Overdue"))
    rows = []
    for n, town in enumerate(county.towns, 1):
        name = town.name + (ctx.t("（报送）", " (bundle)") if town.kind == "imported" else "")
        if town.problem is not None:
            rows.append((str(n), name, *(ctx.t("未读取", "unread") for _ in county.areas), "—", "—", "—", "—"))
            continue
        rows.append((str(n), name, *(area_cell(town.areas.get(a), lang) for a in county.areas),
                     score_text(town, lang, with_full=full is None), str(town.errors), str(town.warnings), str(town.overdue_count)))
    return Table(headers, tuple(rows))


def table_note(ctx: ReportContext, county: County) -> str:
    full = ctx.t("得分为考核细则评分（满分{f}分）；", "the score is the itemised assessment's (of {f}); ", f=number(county.full)) \
        if county.scored and county.full is not None else ""
    text = ctx.t("各方面一栏为该方面检查规则的结果：“问题 2”即有2条规则发现问题，“预警”为年内尚可补正的事项，“通过”为全部规则通过；"
                 "{full}问题、预警两栏为发现的条数；逾期为已过期限仍未办结的事项数。",
                 "Each area's column tells how its rules came out: “error 2” is two rules that found errors, “warning” a matter that can "
                 "still be put right this year, “pass” every rule passed; {full}the errors and warnings columns count the findings; overdue "
                 "counts the matters past their day and still open.", full=full)
    return text


def chart_rows(county: County) -> list[tuple[str, Any]]:
    return [(t.name, t.points) for t in county.towns]


def text_bar(score: Any, full: Any, width: int = BAR_WIDTH) -> str:
    """``width`` cells: blocks for the score out of ``full`` (eighths for the rest), then the track."""
    if score is None or not full:
        return TRACK * width
    eighths = max(0, min(width * 8, int(Fraction(str(score)) / Fraction(str(full)) * width * 8)))
    whole, part = divmod(eighths, 8)
    text = FULL * whole + (PARTS[part - 1] if part else "")
    return text + TRACK * (width - len(text))


def text_chart(county: County, lang: str) -> str:
    from ..present.display import pad, cells

    rows = chart_rows(county)
    full = county.full or max((Fraction(str(s)) for _, s in rows if s is not None), default=Fraction(100))
    width = max((cells(name) for name, _ in rows), default=0)
    lines = [f"{pad(name, width)}  {text_bar(score, full)} {number(score):>5}" for name, score in rows]
    return "```\n" + "\n".join(lines) + "\n```"


def charted(county: County) -> bool:
    """Whether there is a chart to draw: a scorer, and a score for at least one town (an empty
    chart of twenty dashes tells an office nothing)."""
    return county.scored and any(t.points is not None for t in county.towns)


def chart_paragraphs(ctx: ReportContext, county: County, chart: str) -> tuple[str, ...]:
    if not county.scored:
        return (NO_SCORER.render(ctx.lang) + ("。" if ctx.lang == "zh" else "."),)
    if not charted(county):
        return (ctx.t("各乡镇均无{year}年度考核得分（未建立考核细则，或评分出错），不作得分图。",
                      "No town has a score for {year} (no assessment table, or the scoring failed): there is no chart of scores.",
                      year=county.year),)
    caption = ctx.t("图：各乡镇考核得分{full}", "The towns' scores{full}",
                    full=ctx.t("（满分{f}分）", " (of {f})", f=number(county.full)) if county.full is not None else "")
    return (CHART if chart == "picture" else text_chart(county, ctx.lang), caption)


def town_paragraph(ctx: ReportContext, county: County, town: TownStanding) -> str:
    zh = ctx.lang == "zh"
    if town.problem is not None:
        return ctx.t("数据未能读取：{why}", "Could not be read: {why}", why=town.problem.render(ctx.lang))
    parts = []
    if town.score_problem:
        parts.append(ctx.t("考核评分出错（{e}）", "the score could not be worked out ({e})", e=town.score_problem))
    elif town.points is not None:
        parts.append(ctx.t("考核得分{s}分", "scored {s}", s=number(town.points))
                     + (ctx.t("（满分{f}分）", " of {f}", f=number(town.score.full)) if town.score.full is not None else "")
                     + (ctx.t("，一票否决，不得评为优秀", ", vetoed from 优秀 (excellent)") if town.score.vetoed else "")
                     + (ctx.t("，另有{n}项待考核组评分", ", {n} item(s) awaiting the panel", n=town.score.pending) if town.score.pending else ""))
    parts.append(ctx.t("检查发现问题{e}个、需关注事项{w}个", "{e} problem(s) and {w} matter(s) to watch", e=town.errors, w=town.warnings))
    if town.failed:
        parts.append(ctx.t("{n}条检查规则未能运行", "{n} rule(s) failed to run", n=town.failed))
    if town.overdue:
        first = town.overdue[0]
        parts.append(ctx.t("逾期未办结{n}项（最早为“{t}”，已逾期{d}天）", "{n} matter(s) overdue (the oldest “{t}”, {d} days late)",
                           n=town.overdue_count, t=first.title or first.record_id, d=-first.days))
    else:
        parts.append(ctx.t("无逾期事项", "nothing overdue"))
    if town.kind == "imported":
        parts.append(ctx.t("数据来自该镇报送的年度数据包", "read from the town's signed yearly bundle"))
    text = ("；" if zh else "; ").join(parts) + ("。" if zh else ".")
    if not zh:
        text = text[0].upper() + text[1:]
    serious = [f for f in town.serious() if f.severity != "failed"]
    if serious:
        said = [f.message.render(ctx.lang).strip().rstrip("。.") for f in serious]
        if zh:
            ordinals = "一二三"
            text += "最突出的问题：" + "；".join(f"{ordinals[i]}是{zh_prose(s)}" for i, s in enumerate(said)) + "。"
        else:
            text += " The most serious: " + "; ".join(f"({i}) {s}" for i, s in enumerate(said, 1)) + "."
    return text


# -- the chart as a picture ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChartFont:
    family: str | None  # None: matplotlib's default (DejaVu Sans), which has no CJK glyph
    path: str | None = None
    index: int = 0


def fc_cjk_fonts() -> list[tuple[str, int, str]]:
    """(file, face index, family) of the fonts fontconfig says cover Chinese, the preferred first."""
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(["fc-list", "-f", "%{file}\t%{index}\t%{family[0]}\n", ":lang=zh"], capture_output=True, text=True,
                             timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0] and "Mono" not in parts[2]:
            found.append((parts[0], int(parts[1]) if parts[1].isdigit() else 0, parts[2]))

    def rank(entry: tuple[str, int, str]) -> tuple[int, str]:
        family = entry[2]
        return (PREFERRED_FONTS.index(family) if family in PREFERRED_FONTS else len(PREFERRED_FONTS), family)

    return sorted(dict.fromkeys(found), key=rank)


def covers(path: str | None, index: int, text: str) -> bool:
    """Whether the font has a glyph for every character of ``text`` (spaces aside)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path or font_manager.findfont("DejaVu Sans"), face_index=index)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(c)) for c in text if not c.isspace())


def chart_font(labels: list[str], candidates: list[tuple[str, int, str]] | None = None) -> ChartFont | None:
    """The font the labels are drawn in: matplotlib's own when it has every glyph (Latin names),
    else the first CJK font that has them all; None when no font on the machine has them."""
    if covers(None, 0, "".join(labels) + "—0123456789."):
        return ChartFont(None)
    for path, index, family in (fc_cjk_fonts() if candidates is None else candidates):
        if covers(path, index, "".join(labels) + "—0123456789."):
            return ChartFont(family, path, index)
    return None


def chart_png(county: County, *, candidates: list[tuple[str, int, str]] | None = None) -> tuple[bytes, bool]:
    """The scores as a horizontal bar chart (PNG), towns top to bottom in the table's order, and
    whether the bars carry the towns' names (False: their numbers in the table, no font on the
    machine having the names' glyphs). ``candidates``: the CJK fonts to try (default: fontconfig's)."""
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = chart_rows(county)
    names = [name for name, _ in rows]
    font = chart_font(names, candidates)
    named = font is not None
    labels = names if named else [str(n) for n in range(1, len(rows) + 1)]
    props = None
    if font is not None and font.path is not None:
        font_manager.fontManager.addfont(font.path)  # every face of a collection (.ttc), found by family
        props = font_manager.FontProperties(family=font.family)
    full = float(county.full) if county.full is not None else max([float(s) for _, s in rows if s is not None] + [100.0])
    height = max(1.6, 0.42 * len(rows) + 0.7)
    fig = Figure(figsize=(CHART_WIDTH_MM / 25.4, height), dpi=200)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ys = list(range(len(rows)))
    values = [float(s) if s is not None else 0.0 for _, s in rows]
    ax.barh(ys, values, height=0.6, color="#b22222", edgecolor="none")
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontproperties=props, fontsize=9)
    ax.invert_yaxis()  # the first town on top, as in the table
    ax.set_xlim(0, full * 1.08)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for y, (_, score) in zip(ys, rows):
        ax.text((float(score) if score is not None else 0.0) + full * 0.01, y, number(score), va="center", fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue(), named


def write_county_docx(doc: Document, county: County, path: str, *, candidates: list[tuple[str, int, str]] | None = None) -> bool:
    """The document as Word (laid out as every report, :mod:`.docx_writer`), the chart's paragraph
    replaced by the picture and the comparison table fitted to the page; returns whether the
    chart names the towns (see :func:`chart_png`)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm

    from .document import write_docx

    named = True
    png = None
    if charted(county):
        png, named = chart_png(county, candidates=candidates)
        if not named:
            doc = _numbered_caption(doc)
    write_docx(doc, path)
    d = docx.Document(path)
    headers = next((t.headers for s in doc.sections for t in s.tables), None)
    table = next((t for t in d.tables if headers and tuple(c.text for c in t.rows[0].cells) == tuple(headers)), None)
    if table is not None:
        _fit_table(table, county, doc.lang)
    for p in d.paragraphs if png is not None else ():
        if p.text == CHART:
            for run in list(p.runs):
                run._r.getparent().remove(run._r)
            fmt = p.paragraph_format
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.first_line_indent = None
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # the body's exact line height would crop the picture
            fmt.keep_with_next = True  # the caption stays under it
            p.add_run().add_picture(io.BytesIO(png), width=Mm(CHART_WIDTH_MM))
            break
    d.save(path)
    return named


SHADES = {"red": "F4CCCC", "yellow": "FFF2CC", "green": "D9EAD3", "failed": "E6B8AF"}  # pale: the words stay readable in grey


def _fit_table(table, county: County, lang: str) -> None:
    """The comparison table within the text width (156 mm) whatever the number of areas: the
    number, the town and the figures narrow, the areas sharing the rest; a smaller size and
    narrow cell margins; each area's cell shaded by its light (the word says it without colour).
    In English the headers of the areas and figures stand on end (a Latin label would break
    inside a word in a narrow column)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    zh = lang == "zh"
    k = len(county.areas)
    fixed = [7.0, 20.0 if zh else 24.0]
    figures = [11.0, 9.0, 9.0, 9.0] if zh else [11.0, 9.0, 9.0, 9.0]
    area = max(8.0, (156.0 - sum(fixed) - sum(figures)) / max(k, 1))
    widths = fixed + [area] * k + figures
    size = Pt(9.0 if zh else 8.0)
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), "45")  # twips: 0.8 mm
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    tbl_pr.append(margins)
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
    last = len(table.rows) - 1
    for r, row in enumerate(table.rows):
        town = county.towns[r - 1] if r and r - 1 < len(county.towns) else None
        for p in (cell_p for cell in row.cells for cell_p in cell.paragraphs) if r < last else ():
            p.paragraph_format.keep_with_next = True  # the table on one page where it fits
        for c, (cell, width) in enumerate(zip(row.cells, widths)):
            cell.width = Mm(width)
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = size
            tc_pr = cell._tc.get_or_add_tcPr()
            light = town.light(county.areas[c - 2]) if town is not None and town.problem is None and 2 <= c < 2 + k else None
            if light in SHADES:
                shade = OxmlElement("w:shd")
                shade.set(qn("w:val"), "clear")
                shade.set(qn("w:color"), "auto")
                shade.set(qn("w:fill"), SHADES[light])
                tc_pr.append(shade)
            if r == 0 and not zh and c >= 2:
                direction = OxmlElement("w:textDirection")
                direction.set(qn("w:val"), "btLr")
                tc_pr.append(direction)
            align = OxmlElement("w:vAlign")
            align.set(qn("w:val"), "center")
            tc_pr.append(align)
    if not zh:  # the header row as tall as its longest label on end
        longest = max(len(c.text) for c in table.rows[0].cells[2:]) if len(table.rows[0].cells) > 2 else 0
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(int((longest * 8.0 * 0.5 + 8) * 20)))  # twips: half an em a letter, and some room
        height.set(qn("w:hRule"), "atLeast")
        tr_pr.append(height)


def _numbered_caption(doc: Document) -> Document:
    """The caption says the bars are labelled by the towns' numbers in the table."""
    import dataclasses

    zh = doc.lang == "zh"
    note = "（图中以对比表序号代表乡镇）" if zh else " (the bars are labelled by the towns' numbers in the table)"
    sections = []
    for s in doc.sections:
        if CHART in s.paragraphs:
            s = dataclasses.replace(s, paragraphs=tuple(p + note if i == len(s.paragraphs) - 1 else p for i, p in enumerate(s.paragraphs)))
        sections.append(s)
    return dataclasses.replace(doc, sections=sections)
