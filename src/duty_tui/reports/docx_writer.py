"""A :class:`~.document.Document` as Word, laid out after GB/T 9704-2012 (党政机关公文格式).

A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the body in
仿宋_GB2312 三号 (16 pt) on a 28.95 pt line (22 lines a page), paragraphs indented two
characters; the title in 方正小标宋简体 二号 (22 pt), centred; part headings 一、 in 黑体 and （一）
in 楷体_GB2312; the addressee flush left; the issuer and date (落款) on the right, the date four
characters from the margin; page numbers in 宋体 四号 as "— 1 —", odd pages on the right and
even pages on the left, one character in; each attachment on a page of its own, marked 附件1 in
黑体 at the top left, its tables in a smaller size.

Fonts a machine may lack: each run names the GB font for Chinese (``w:eastAsia``) and Times New
Roman for Latin letters and digits; the font table gives each GB font the name Windows ships as
its alternative (``w:altName``: 宋体, 仿宋, 黑体, 楷体) and its family, which Word uses when the
GB font is missing; LibreOffice falls back through fontconfig to a CJK serif or sans of the same
family. The metadata names the issuing organisation, not the library.

python-docx is imported only when a Word file is written (inside the functions below), so the
core can import every module of the reports without it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .document import Document, attachment_label, numbered_attachments
from .spec import Section, Table

LATIN = "Times New Roman"
TITLE_FONT, BODY_FONT, HEI_FONT, KAI_FONT, SONG_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
# (name, what Word takes when it is missing, family, panose, charset): the font table's hints
FONT_TABLE = (
    (TITLE_FONT, "宋体", "roman", "02000000000000000000", "86"),
    (BODY_FONT, "仿宋", "modern", "02010609030101010101", "86"),
    (HEI_FONT, "SimHei", "modern", "02010609060101010101", "86"),
    (KAI_FONT, "楷体", "modern", "02010609030101010101", "86"),
    (SONG_FONT, "SimSun", "auto", "02010600030101010101", "86"),
    ("仿宋", "FangSong", "modern", "02010609060101010101", "86"),
    ("楷体", "KaiTi", "modern", "02010609060101010101", "86"),
    (LATIN, "", "roman", "02020603050405020304", "00"),
)
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = 22.0, 16.0, 14.0, 10.5  # points: 二号, 三号, 四号, 五号
LINE = 28.95  # 22 lines on the 225 mm of text height
CHAR = 16.0  # one character of the body
LEFT, CENTER, RIGHT, JUSTIFY = "left", "center", "right", "justify"


def _align(name: str):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {LEFT: WD_ALIGN_PARAGRAPH.LEFT, CENTER: WD_ALIGN_PARAGRAPH.CENTER, RIGHT: WD_ALIGN_PARAGRAPH.RIGHT,
            JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY}[name]


def _fonts(run, east_asia: str, size: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run_fonts(run._element.get_or_add_rPr())
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)


def _paragraph(d, text: str = "", *, font: str = BODY_FONT, size=SIZE_3, align=JUSTIFY, indent=CHAR,
               bold: bool = False, italic: bool = False, line=LINE, left=None, right=None, page_break: bool = False, outline: int | None = None,
               keep_next: bool = False):
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = d.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = _align(align)
    fmt.first_line_indent = Pt(2 * indent) if indent else None
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True
    if left is not None:
        fmt.left_indent = Pt(left)
    if right is not None:
        fmt.right_indent = Pt(right)
    if page_break:
        fmt.page_break_before = True
    if keep_next:
        fmt.keep_with_next = True
    if outline is not None:
        ppr = p._p.get_or_add_pPr()
        ppr.append(ppr.makeelement(qn("w:outlineLvl"), {qn("w:val"): str(outline)}))
    if text:
        run = p.add_run(text)
        _fonts(run, font, size, bold=bold)
        run.font.italic = italic or None
    return p


def _width(text: str) -> float:
    """Width in body characters: a CJK character is one, a Latin letter or digit a half."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def _page_number_footer(footer, align: str, indent_left: bool) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    p = footer.paragraphs[0]
    p.paragraph_format.alignment = _align(align)
    if indent_left:
        p.paragraph_format.left_indent = Pt(14)
    else:
        p.paragraph_format.right_indent = Pt(14)
    _fonts(p.add_run("— "), SONG_FONT, SIZE_4)
    run = p.add_run()
    _fonts(run, SONG_FONT, SIZE_4)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="{kind}"/>'))
        elif text.strip() == "PAGE":
            run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve">{text}</w:instrText>'))
        else:
            run._r.append(parse_xml(f'<w:t {nsdecls("w")}>{text}</w:t>'))
    _fonts(p.add_run(" —"), SONG_FONT, SIZE_4)


def _font_table(d) -> None:
    part = next(rel.target_part for rel in d.part.rels.values() if rel.reltype.endswith("/fontTable"))
    fonts = "".join(
        f'<w:font w:name="{name}">' + (f'<w:altName w:val="{alt}"/>' if alt else "")
        + f'<w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
        f'<w:pitch w:val="variable"/></w:font>'
        for name, alt, family, panose, charset in FONT_TABLE)
    part._blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                  f'{fonts}</w:fonts>').encode("utf-8")


def _styles(d, lang: str) -> None:
    """Normal as the body (仿宋 三号, black); the defaults name Chinese as the language."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = d.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(SIZE_3)
    fonts = run_fonts(normal.element.get_or_add_rPr())
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    defaults = d.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for lang_el in defaults.iter(qn("w:lang")):
            lang_el.set(qn("w:eastAsia"), "zh-CN")
            lang_el.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-GB")


def _metadata(d, doc: Document) -> None:
    props = d.core_properties
    props.author = props.last_modified_by = doc.author or doc.issuer or ""
    props.title = doc.title
    props.subject = doc.subject
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.language = "zh-CN" if doc.lang == "zh" else "en-GB"
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    props.created = props.modified = now
    props.revision = 1


def _table(d, t: Table) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn

    table = d.add_table(rows=1, cols=len(t.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    small = 9.0 if any(h == "SHA-256" for h in t.headers) else SIZE_5

    def fill(cell, text: str, bold: bool) -> None:
        p = cell.paragraphs[0]
        p.paragraph_format.alignment = _align(CENTER if bold else LEFT)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.paragraph_format.first_line_indent = None
        _fonts(p.add_run(str(text)), HEI_FONT if bold else BODY_FONT, small, bold=False)

    for cell, h in zip(table.rows[0].cells, t.headers):
        fill(cell, h, True)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {}))  # the header row repeats on each page
    for row in t.rows:
        for cell, value in zip(table.add_row().cells, row):
            fill(cell, value, False)
    _widths(table, t)


TEXT_WIDTH_MM = 210 - 28 - 26


def _widths(table, t: Table) -> None:
    """Columns as wide as what they hold (a number column narrow, a text column wide), within
    the text width: each column's longest cell, at least its header, capped."""
    from docx.shared import Mm

    need = []
    for i, header in enumerate(t.headers):
        longest = max([_width(str(r[i])) for r in t.rows if i < len(r)] + [0])
        need.append(min(max(_width(header) + 1.5, longest + 1.0, 3.0), 24.0 if header != "SHA-256" else 36.0))  # + the cell's padding
    total = sum(need) or 1.0
    table.autofit = False
    for column, share in zip(table.columns, need):
        width = Mm(TEXT_WIDTH_MM * share / total)
        column.width = width
        for cell in column.cells:
            cell.width = width


def _body_section(d, s: Section, lang: str) -> None:
    """A part: its heading (一、 in 黑体, （一） in 楷体; bold and italic in English) and paragraphs
    (justified in Chinese, ragged right in English, where justifying stretches Chinese names)."""
    if s.heading:
        if s.level == 1:
            _paragraph(d, s.heading, font=HEI_FONT, outline=0, keep_next=True, bold=lang != "zh")
        else:
            _paragraph(d, s.heading, font=KAI_FONT, outline=1, keep_next=True, italic=lang != "zh")
    for text in s.paragraphs:
        _paragraph(d, text, align=JUSTIFY if lang == "zh" else LEFT)
    for t in s.tables:
        _table(d, t)
        _paragraph(d, "", indent=None)


def write_official_docx(doc: Document, path: str) -> None:
    import docx
    from docx.shared import Mm

    d = docx.Document()
    _styles(d, doc.lang)
    _font_table(d)
    _metadata(d, doc)
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28) - Mm(7)
    d.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, RIGHT, indent_left=False)
    _page_number_footer(section.even_page_footer, LEFT, indent_left=True)
    zh = doc.lang == "zh"

    _paragraph(d, doc.title, font=TITLE_FONT, size=SIZE_2, align=CENTER, indent=None, line=35.0)
    _paragraph(d, "", indent=None)  # one blank line under the title
    if doc.addressee:
        _paragraph(d, doc.addressee + ("：" if zh else ":"), indent=None)
    for text in doc.intro:
        _paragraph(d, text, align=JUSTIFY if zh else LEFT)
    for s in doc.sections:
        _body_section(d, s, doc.lang)

    listed = [(n, s.heading) for n, s in numbered_attachments(doc) if n]
    if listed:
        _paragraph(d, "", indent=None)
        lead = "附件：" if zh else "Attachments: "
        for i, (n, heading) in enumerate(listed):
            text = f"{n}．{heading}" if zh else f"{n}. {heading}"
            if i == 0:
                _paragraph(d, lead + text, indent=None, left=32.0, align=LEFT)
            else:
                _paragraph(d, text, indent=None, left=32 + 16 * _width(lead), align=LEFT)
    if doc.issuer or doc.date:
        _paragraph(d, "", indent=None)
        _paragraph(d, "", indent=None)
        date_right = 4.0  # 成文日期右空四字
        centre = date_right + _width(doc.date) / 2
        if doc.issuer:
            right = max(0.0, centre - _width(doc.issuer) / 2)
            _paragraph(d, doc.issuer, indent=None, align=RIGHT, right=16 * right, keep_next=True)
        if doc.date:
            _paragraph(d, doc.date, indent=None, align=RIGHT, right=16 * date_right)

    for n, s in numbered_attachments(doc):
        if n:
            _paragraph(d, attachment_label(n, doc.lang), font=HEI_FONT, indent=None, align=LEFT, page_break=True)
            _paragraph(d, s.heading, font=TITLE_FONT, size=SIZE_2, align=CENTER, indent=None, line=35.0,
                       outline=0)
            _paragraph(d, "", indent=None)
        else:
            _paragraph(d, s.heading, font=KAI_FONT, outline=1, keep_next=True, italic=not zh)
        for text in s.paragraphs:
            if len(text) == 64 and all(c in "0123456789abcdef" for c in text):  # a digest: on one line, to be read off
                _paragraph(d, text, indent=None, size=12.0, align=CENTER)
            else:
                _paragraph(d, text, align=JUSTIFY if zh else LEFT)
        for t in s.tables:
            _table(d, t)
            _paragraph(d, "", indent=None)
    d.save(path)


__all__: list[Any] = ["write_official_docx"]


def run_fonts(rpr):
    """The w:rFonts of a run's (or a style's) properties, made when missing: where the East Asian
    font is named, which python-docx's font.name does not set."""
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    return fonts
