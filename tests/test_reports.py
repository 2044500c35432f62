"""The report an office hands its superior (意识形态工作责任制落实情况报告) as an official document:
title in the official form, 主送, the four parts with the period's figures from the ledgers, 落款
and 附件 (ledger index, scorecard, problems, evidence with SHA-256, the data seal); the same for a
half-year and any range of days; no internal id anywhere a person reads; the Word file laid out
after GB/T 9704 (A4, margins, fonts, page numbers) and opened by LibreOffice; a person's duty
record (述职材料); a digest printed in a report tells later whether the store still holds that
history."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import struct
import subprocess
from pathlib import Path

import pytest

from duty_tui.demo import create_demo
from duty_tui.reports import ReportSpec, Section, Table
from duty_tui.reports.document import build_annual, build_dossier, write_docx, write_markdown
from duty_tui.reports.period import parse_period

pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "leadership", "positions", "team", "assessment",
                                                "accountability", "reports")

ROOT = Path(__file__).resolve().parents[1]
PARTS = {"zh": ("一、基本情况", "二、主要做法和成效", "三、存在问题", "四、下一步打算"),
         "en": ("1. Basic situation", "2. What was done and achieved", "3. Problems", "4. Next steps")}
AREAS = {"zh": ("（一）组织领导", "（二）阵地管理", "（三）队伍管理", "（四）责任制考核", "（五）责任追究"),
         "en": ("(1) Leadership", "(2) Positions", "(3) Team", "(4) Assessment", "(5) Accountability")}
TITLE = "中共xx镇委员会关于2026年度落实意识形态工作责任制情况的报告"
# the demo town on TODAY: four study sessions held (one on ideology), one planned for 12-18; two
# committee meetings with ideology on the agenda out of three; one event approved and filed
# before it was held, one approved the day after (two held)
FIGURES = ("党委会专题研究意识形态工作2次（共召开党委会3次）", "中心组集中学习4次，其中意识形态专题1次，累计12学时，另有1次已列入计划",
           "审批备案报告会、研讨会、讲座、论坛1场（本期共举办2场）", "向上级党委汇报意识形态工作1次")
INTERNAL_ID = re.compile(r"\b[a-z_]+-\d+\b")
TODAY = dt.date(2026, 11, 27)


def demo_as_of_today(duty_store, duty_registry):
    """The sample town as ``duty demo`` makes it on TODAY, the day the reports are made on: the
    demo dates its records from the clock, so a town made on another day (a real one, or
    ``--duty-today``) would not match what these tests read (on 10 January no study session of
    the year has been held yet)."""
    import time_machine

    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(12)).astimezone(), tick=True):
        return create_demo(duty_store, duty_registry, "admin", year=2026)


@pytest.fixture
def town(duty_store, duty_registry):
    return demo_as_of_today(duty_store, duty_registry)


def headings(markdown: str) -> list[str]:
    return [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")]


def body_of(markdown: str) -> str:
    """The report up to its attachments (the first ``---``)."""
    return markdown.split("\n---\n", 1)[0]


def test_the_report_is_an_official_document_with_title_addressee_four_parts_signature_and_attachments(town):
    doc = build_annual(town.ledger, 2026, "zh", today=TODAY)
    text = write_markdown(doc)
    body = body_of(text)
    assert doc.title == TITLE and text.startswith(f"# {TITLE}\n")
    assert "\n中共xx市委宣传部：\n" in body  # 主送, from the setting the demo sets: the town reports to the 市委
    found = headings(body)
    assert found[1:] == [PARTS["zh"][0], PARTS["zh"][1], *AREAS["zh"], PARTS["zh"][2], PARTS["zh"][3]]
    for figure in FIGURES:
        assert figure in body, figure
    assert "党委书记刘明宇同志为第一责任人" in body and "余永福同志为直接责任人" in body
    assert "黄志军" not in body.split("## 三、存在问题")[0]  # the former secretary is no current 第一责任人
    problems = body.split("## 三、存在问题")[1].split("## 四、下一步打算")[0]
    assert "乡村振兴研讨会" in problems and "未报市委宣传部备案" in problems  # the findings, in prose
    plans = body.split("## 四、下一步打算")[1]
    assert "抓好责任清单中尚未完成的3项事项" in plans and "网络意识形态安全隐患排查（王建国，2026年12月" in plans  # open duty items
    assert "附件：1. 台账目录；2. 考核评分表；3. 问题清单；4. 佐证材料清单；5. 数据校验码" in body
    assert body.rstrip().endswith("中共xx镇委员会\n2026年11月27日")  # 落款, the date in Chinese form
    assert "|" not in body  # tables belong in the attachments
    attachments = [h for h in headings(text) if h.startswith("附件")]
    assert attachments == ["附件1　台账目录", "附件2　考核评分表", "附件3　问题清单", "附件4　佐证材料清单", "附件5　数据校验码"]
    with town.ledger.store.read() as r:
        seq, head = r.audit_head()
    assert doc.digest == head and doc.digest_seq == seq and head in text


def test_the_english_report_mirrors_the_chinese_one(town):
    text = write_markdown(build_annual(town.ledger, 2026, "en", today=TODAY))
    body = body_of(text)
    assert text.startswith("# Report of 中共xx镇委员会 on the ideological-work responsibility system in 2026\n")
    assert headings(body)[1:] == [PARTS["en"][0], PARTS["en"][1], *AREAS["en"], PARTS["en"][2], PARTS["en"][3]]
    assert "The committee discussed ideological work at 2 of its 3 meetings" in body
    assert "The central study group met 4 times, 1 of them on ideological work, 12 hours in all (another 1 planned)" in body
    assert "Report meetings, seminars, lectures and forums approved and filed before they were held: 1 (2 held in all)" in body
    assert "leads 3 villages, 1 community, 2 departments, 2 offices" in body  # a count agrees with its noun
    assert "Attachments: 1. Index of the ledgers; 2. Scorecard; 3. List of problems; 4. List of evidence; 5. Data seal" in body
    assert body.rstrip().endswith("中共xx镇委员会\n27 November 2026")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_internal_id_appears_where_a_person_reads(town, lang):
    from duty_tui.evidence import attach

    attach(town.ledger, "study_session-1", [("签到表.jpg", b"\xff\xd8photo")])
    text = write_markdown(build_annual(town.ledger, 2026, lang, today=TODAY))
    assert INTERNAL_ID.findall(body_of(text)) == []
    assert INTERNAL_ID.findall(text) == []  # the attachments name records by title too; the seal is a digest
    dossier = write_markdown(build_dossier(town.ledger, town.persons["余永福"], 2026, lang, today=TODAY))
    assert INTERNAL_ID.findall(dossier) == []


def test_the_half_year_report_counts_only_the_first_half(town):
    period = parse_period("2026H1")
    text = write_markdown(build_annual(town.ledger, lang="zh", today=TODAY, period=period))
    assert text.startswith("# 中共xx镇委员会关于2026年上半年落实意识形态工作责任制情况的报告\n")
    assert "现将2026年上半年落实意识形态工作责任制情况报告如下" in text
    body = body_of(text)
    # 03-05 on the agenda; 02-20, 04-18 (ideology) and 06-25 studied; 07-08 and later are not in it
    assert "党委会专题研究意识形态工作1次（共召开党委会1次）" in body
    assert "中心组集中学习3次，其中意识形态专题1次，累计9学时。" in body
    assert "另有" not in body.split("（二）阵地管理")[0]  # nothing planned in a half that has ended
    en = write_markdown(build_annual(town.ledger, lang="en", today=TODAY, period=parse_period("2026h2")))
    assert "in the second half of 2026" in en.splitlines()[0]


def test_an_officer_whose_term_ended_is_former_and_the_office_writes_its_own_plans(town):
    ledger = town.ledger
    row = next(r for r in ledger.all("leader") if r.data["person"] == town.persons["王建国"])
    ledger.update(row.id, {"until": dt.date(2026, 6, 30)}, expected_version=row.version)
    ledger.set_setting("report.plans", "一是持续深化理论武装。\n二是压实意识形态工作责任。")
    year = body_of(write_markdown(build_annual(ledger, 2026, "zh", today=TODAY)))
    basics = year.split("## 二、")[0]
    assert "班子成员陈丽、周涛同志" in basics and "王建国" not in basics and "成员4人" in basics
    assert year.split("## 四、下一步打算")[1].split("附件：")[0].strip().endswith("一是持续深化理论武装。\n\n二是压实意识形态工作责任。")
    first_half = body_of(write_markdown(build_annual(ledger, lang="zh", today=TODAY, period=parse_period("2026H1"))))
    assert "班子成员王建国、陈丽、周涛同志" in first_half.split("## 二、")[0]  # in office on 30 June


def test_duty_report_takes_a_period_or_a_range_of_days(cli):
    cli("config", "set", "org.name", "xx镇党委")
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1", "post=党委书记")
    cli("add", "study_session", "date=2025-03-01", "topic=学习一", "ideology=true", "attendees=person-1")
    cli("add", "study_session", "date=2025-08-01", "topic=学习二", "attendees=person-1")
    half = cli("report", "--period", "2025H1")  # a past year: the same whatever the clock says
    assert half.exit_code == 0, half.stderr
    assert "关于2025年上半年落实" in half.stdout and "中心组集中学习1次，其中意识形态专题1次" in half.stdout
    spring = cli("report", "--from", "2025-03-01", "--to", "2025/5/31")
    assert spring.exit_code == 0, spring.stderr
    assert "关于2025年3月1日至5月31日落实意识形态工作责任制情况的报告" in spring.stdout
    assert "中心组集中学习1次" in spring.stdout
    assert "关于2026年下半年落实" in cli("report", "--from", "2026-07-01", "--to", "2026-12-31").stdout  # a half is named as one
    assert cli("report", "--period", "2026H3").exit_code == 2
    assert cli("report", "--from", "2026-03-01").exit_code == 2
    assert cli("report", "--from", "2026-05-01", "--to", "2026-03-01").exit_code == 2


def test_the_report_lists_the_evidence_of_its_records_with_sha256(town):
    from duty_tui.evidence import attach

    info = attach(town.ledger, "study_session-1", [("签到表.jpg", b"\xff\xd8photo")])[0]
    text = write_markdown(build_annual(town.ledger, 2026, "zh", today=TODAY))
    evidence = text.split("附件4　佐证材料清单")[1]
    row = next(line for line in evidence.splitlines() if "签到表.jpg" in line)
    assert "学习贯彻党的二十大精神" in row and "中心组学习" in row and info.sha256 in row


# -- the plugin API -------------------------------------------------------------------------------

def test_a_plugin_adds_figures_to_its_area_an_attachment_and_a_first_api_section_and_a_broken_one_does_not_take_the_report_down(town):
    registry = town.ledger.registry
    registry.reports["x.figures"] = ReportSpec("x.figures", "Extra", area="team", order=35,
                                               figures=lambda ctx: [ctx.t("走访知识分子家庭{n}户", "{n} homes visited", n=7)],
                                               attachments=lambda ctx: [Section(ctx.t("走访名单", "Visits"), (), (Table(("a",), (("b",),)),))])
    registry.reports["x.good"] = ReportSpec("x.good", "Extra", lambda ctx: [Section(ctx.t("附加", "Extra part"), ("hello",))], order=85)
    registry.reports["x.bad"] = ReportSpec("x.bad", "Broken", lambda ctx: 1 / 0)
    registry.reports["x.bad-figures"] = ReportSpec("x.bad-figures", "Broken figures", area="positions", figures=lambda ctx: 1 / 0)
    try:
        text = write_markdown(build_annual(town.ledger, 2026, "en", today=TODAY))
    finally:
        for key in ("x.figures", "x.good", "x.bad", "x.bad-figures"):
            del registry.reports[key]
    team = body_of(text).split("(3) Team")[1].split("(4) Assessment")[0]
    assert "7 homes visited." in team
    assert "Broken figures: this part failed (ZeroDivisionError: division by zero)" in body_of(text)
    found = headings(text)
    attachments = [h for h in found if h.startswith("Attachment")]
    assert attachments == ["Attachment 1: Index of the ledgers", "Attachment 2: Visits", "Attachment 3: Scorecard", "Attachment 4: Extra part",
                           "Attachment 5: List of problems", "Attachment 6: List of evidence", "Attachment 7: Broken",
                           "Attachment 8: Data seal"]  # in order; the first API's sections are attachments too
    assert "ZeroDivisionError" in text.split("Attachment 7: Broken")[1]
    with pytest.raises(ValueError):
        ReportSpec("x", "X", lambda ctx: [], kind="weekly")
    with pytest.raises(ValueError):
        ReportSpec("x", "X", figures=lambda ctx: [])  # figures name their area
    with pytest.raises(ValueError):
        ReportSpec("x", "X")


@pytest.mark.duty_installed_plugins("sql", "tinydb", "leadership", "positions", "team", "accountability", "reports")
def test_without_the_assessment_plugin_the_report_has_neither_its_area_nor_the_scorecard(duty_store, duty_registry):
    """The scorecard and the assessment area's figures are the assessment plugin's own."""
    town = demo_as_of_today(duty_store, duty_registry)
    found = headings(write_markdown(build_annual(town.ledger, 2026, "en", today=TODAY)))
    assert not any("Scorecard" in h or "Assessment" in h for h in found)
    assert "(1) Leadership" in found and "Attachment 2: List of problems" in found


# -- Word, as GB/T 9704 lays it out -----------------------------------------------------------------

def test_the_word_report_is_a4_with_the_official_margins_fonts_and_metadata(town, tmp_path):
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm

    doc = build_annual(town.ledger, 2026, "zh", today=TODAY)
    path = tmp_path / "r.docx"
    write_docx(doc, str(path))
    word = docx.Document(str(path))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    assert word.core_properties.author == "中共xx镇委员会" and "python-docx" not in (word.core_properties.comments or "")
    assert word.core_properties.title == TITLE
    paragraphs = [p for p in word.paragraphs if p.text]
    assert not [p.style.name for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]

    def east_asia(p):
        return p.runs[0]._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    title = paragraphs[0]
    assert title.text == TITLE and east_asia(title) == "方正小标宋简体" and title.runs[0].font.size.pt == 22
    by_text = {p.text: p for p in paragraphs}
    assert east_asia(by_text["一、基本情况"]) == "黑体" and east_asia(by_text["（一）组织领导"]) == "楷体_GB2312"
    body = next(p for p in paragraphs if p.text.startswith("把意识形态工作纳入重要议事日程"))
    assert east_asia(body) == "仿宋_GB2312" and body.runs[0].font.size.pt == 16
    fonts = (tmp_path / "fonts.xml")
    import zipfile

    fonts.write_bytes(zipfile.ZipFile(path).read("word/fontTable.xml"))
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts.read_text(encoding="utf-8")  # what Word takes without it
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in section.footer.paragraphs[0].text
    assert word.settings.odd_and_even_pages_header_footer  # odd pages' numbers on the right, even pages' on the left
    texts = [p.text for p in paragraphs]
    assert texts[-1] != "" and doc.digest in texts and "中共xx市委宣传部：" in texts
    assert word.tables  # in the attachments


needs_office = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None
                                  or shutil.which("pdftoppm") is None,
                                  reason="LibreOffice and poppler-utils are not installed (.ci/run installs them)")


def to_pdf(docx_path: Path, tmp_path: Path) -> Path:
    """LibreOffice as an office machine has it: with the GB fonts' substitutes the project ships
    (deploy/fontconfig), next to the machine's own fonts."""
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f'<include>{ROOT / "deploy" / "fontconfig" / "65-duty-gb-fonts.conf"}</include></fontconfig>', encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(docx_path)], check=True, capture_output=True, timeout=240, env=env)
    pdf = docx_path.with_suffix(".pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000
    return pdf


@needs_office
def test_libreoffice_prints_the_report_on_a4_with_its_title_parts_figures_signature_and_attachments(town, tmp_path):
    path = tmp_path / "report.docx"
    write_docx(build_annual(town.ledger, 2026, "zh", today=TODAY), str(path))
    pdf = to_pdf(path, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert TITLE in flat  # over two lines in the PDF
    assert flat.index(TITLE) < flat.index("中共xx市委宣传部：")
    positions = [flat.index(part) for part in PARTS["zh"]]
    assert positions == sorted(positions)
    for figure in ("党委会专题研究意识形态工作2次", "中心组集中学习4次，其中意识形态专题1次", "论坛1场（本期共举办2场）"):
        assert figure in flat, figure
    assert "中共xx镇委员会2026年11月27日" in flat  # 落款
    assert "附件：1．台账目录" in flat and "附件5" in flat and "数据校验码" in flat
    assert "—1—" in flat and "—2—" in flat  # page numbers


@needs_office
def test_page_one_renders_to_a_png_of_a4_proportions(town, tmp_path):
    path = tmp_path / "report.docx"
    write_docx(build_annual(town.ledger, 2026, "zh", today=TODAY), str(path))
    pdf = to_pdf(path, tmp_path)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp_path / "page1")],
                   check=True, capture_output=True, timeout=60)
    png = (tmp_path / "page1.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width in (496, 497) and height == 702, (width, height)  # 210 × 297 mm at 60 dpi
    assert (ROOT / "docs" / "report-page1.png").exists() and "docs/report-page1.png" in (ROOT / "README.md").read_text(encoding="utf-8")


# -- the duty record --------------------------------------------------------------------------------

def test_the_duty_record_names_posts_divisions_and_totals_in_a_fixed_order(town):
    ledger = town.ledger
    doc = build_dossier(ledger, town.persons["余永福"], 2026, "zh", today=TODAY)
    text = write_markdown(doc)
    assert doc.title == "余永福同志2026年度落实意识形态工作责任制履职纪实"
    found = headings(text)
    assert len(found) == len(set(found)), found  # no heading twice
    assert found[1:4] == ["一、基本情况", "二、履职情况", "三、履职记录"]
    assert [h for h in found if h.startswith("（")] == ["（一）组织领导", "（二）阵地管理", "（三）队伍管理", "（四）责任制考核", "（五）责任追究"]
    assert "职责：直接责任人（2024年1月1日起），分工：宣传、文化，分管单位：宣传办公室、文化站" in text
    assert "参加中心组集中学习4次、缺席0次（本期共学习4次）" in text
    assert "组织报告会、研讨会、讲座、论坛1场，审批0场" in text and "被列为问责案件责任人1件" in text
    named_as = [line.split("|")[2].strip() for line in text.split("## 二、履职情况")[1].split("## 三")[0].splitlines() if line.startswith("| ")]
    assert "本人作为" not in text and "人员" not in named_as and {"参加人员", "组织者", "责任人"} <= set(named_as), named_as

    zhou = write_markdown(build_dossier(ledger, town.persons["周涛"], 2026, "zh", today=TODAY))
    assert "职责：班子成员" in zhou and "无分管单位" in zhou and "参加中心组集中学习0次、缺席4次" in zhou
    liu = write_markdown(build_dossier(ledger, town.persons["刘明宇"], 2026, "en", today=TODAY))
    assert "Role: first responsible" in liu and "Organised 0 events; approved 2 events (and 1 approved, still to come)" in liu, liu[:1500]
    clerk = write_markdown(build_dossier(ledger, town.persons["李娜"], 2026, "zh", today=TODAY))
    assert "本期未担任领导小组职务" in clerk


def test_duty_report_person_through_the_cli(cli, tmp_path):
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1")
    cli("add", "study_session", "date=2025-03-01", "topic=学习", "attendees=person-1")
    cli("add", "study_session", "date=2025-09-01", "topic=下半年学习", "absentees=person-1")
    result = cli("report", "--person", "person-1", "--year", "2025")
    assert result.exit_code == 0, result.stderr
    assert "# 刘明宇同志2025年度落实意识形态工作责任制履职纪实" in result.stdout
    assert "参加中心组集中学习1次、缺席1次" in result.stdout and "study_session-1" not in result.stdout
    half = cli("report", "--person", "person-1", "--period", "2025H1")
    assert "2025年上半年" in half.stdout and "参加中心组集中学习1次、缺席0次" in half.stdout
    cli("config", "set", "org.lang", "en")
    assert "# Duty record of 刘明宇" in cli("report", "--person", "person-1", "--year", "2025").stdout
    assert cli("report", "--person", "unit-1", "--year", "2025").exit_code == 2
    assert cli("report", "--person", "person-1", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx")).exit_code == 2
    word = tmp_path / "d.docx"
    assert cli("report", "--person", "person-1", "--format", "docx", "-o", str(word)).exit_code == 0 and word.stat().st_size > 0


# -- the data seal ----------------------------------------------------------------------------------

def test_duty_report_writes_md_and_docx_and_the_digest_verifies_until_the_chain_is_tampered(cli, duty_store_url, tmp_path):
    if not duty_store_url.startswith("sqlite:///"):
        pytest.skip("this test edits the SQLite file directly")
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1")
    md, word = tmp_path / "r.md", tmp_path / "r.docx"
    result = cli("report", "--year", "2026", "--format", "md", "-o", str(md))
    assert result.exit_code == 0, result.stderr
    digest = re.search(r"data seal ([0-9a-f]{64})", result.stderr).group(1)
    assert digest in md.read_text(encoding="utf-8")
    assert cli("report", "--year", "2026", "--format", "docx", "-o", str(word)).exit_code == 0
    assert word.stat().st_size > 0

    ok = cli("audit", "--verify", "--digest", digest)
    assert ok.exit_code == 0, ok.stderr
    assert "still holds" in ok.stdout
    cli("add", "unit", "name=二村", "kind=village")  # later work does not spoil an earlier report
    later = cli("audit", "--verify", "--digest", digest, "--json")
    assert later.exit_code == 0 and later.json()["ok"] and later.json()["entries"] > later.json()["digest_seq"]
    assert cli("audit", "--verify", "--digest", "0" * 64).exit_code == 1  # a digest this store never sealed
    assert cli("audit", "--verify").exit_code == 0 and cli("audit").exit_code == 0  # the core verb still works

    with sqlite3.connect(duty_store_url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE audit SET after = replace(after, '刘明宇', '刘明雨') WHERE record_id = 'person-1'")
    bad = cli("audit", "--verify", "--digest", digest, "--json")
    assert bad.exit_code == 1
    assert bad.json()["ok"] is False and bad.json()["broken_seq"] is not None
    assert cli("audit", "--verify", "--digest", digest).exit_code == 1


def test_check_digest_finds_the_entry_only_in_an_intact_chain(town):
    ledger = town.ledger
    with ledger.store.read() as r:
        seq, head = r.audit_head()
    verdict, found = ledger.check_digest(head.upper())
    assert verdict.ok and found == seq


class FakeUi:
    """The UiContext a palette command is given, recording its notices."""

    def __init__(self, ledger, year):
        self.ledger, self.year, self.lang, self.today = ledger, year, "en", TODAY
        self.notices = []

    def notify(self, message, severity="information"):
        self.notices.append((message.render(self.lang) if hasattr(message, "render") else str(message), severity))


def test_the_palette_commands_write_the_report_and_ledgers_in_a_thread_with_notices(town, tmp_path):
    import docx

    from duty_tui_plugins.reports.palette import ANNUAL, HALF_YEAR, LEDGERS, _annual, _half, _ledgers, start

    assert {"reports.annual-docx", "reports.first-half-docx", "reports.second-half-docx", "reports.ledgers-xlsx"} <= set(town.ledger.registry.commands)
    ui = FakeUi(town.ledger, 2026)
    for what, name, work in ((ANNUAL, "r-{year}.docx", _annual), (HALF_YEAR, "r-{year}H1.docx", _half(1)), (LEDGERS, "l-{year}.xlsx", _ledgers)):
        start(ui, what, name, work, folder=tmp_path).join(timeout=120)
    assert (tmp_path / "r-2026.docx").stat().st_size > 0 and (tmp_path / "l-2026.xlsx").stat().st_size > 0
    assert docx.Document(str(tmp_path / "r-2026H1.docx")).paragraphs[0].text == "中共xx镇委员会关于2026年上半年落实意识形态工作责任制情况的报告"
    texts = [t for t, _ in ui.notices]
    assert texts[0].startswith("Writing the annual report") and any(t.startswith("The annual report written") for t in texts)
    assert any(t.startswith("The ledgers written") for t in texts), texts

    def broken(*_):
        raise RuntimeError("disk full")

    start(ui, ANNUAL, "x.docx", broken, folder=tmp_path).join(timeout=30)
    assert ui.notices[-1] == ("The annual report failed: RuntimeError: disk full", "error")
    assert not (tmp_path / "x.docx").exists()


def test_reports_and_evidence_import_neither_textual_nor_docx_nor_openpyxl_until_used():
    import subprocess
    import sys

    code = ("import sys, duty_tui.cli, duty_tui.evidence, duty_tui.reports.document, duty_tui.reports.ledgers, duty_tui_plugins.reports; "
            "print(sorted(m for m in ('textual', 'docx', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_the_output_files_ending_names_the_format_and_a_contradiction_is_refused(duty_cli, tmp_path):
    """`duty report -o r.docx` wrote Markdown into a file called .docx, which Word and LibreOffice
    then read as plain text with ### in it: the ending now names the format."""
    assert duty_cli("init").exit_code == 0
    docx = duty_cli("report", "--year", "2026", "-o", str(tmp_path / "r.docx"))
    assert docx.exit_code == 0, docx.stderr
    assert (tmp_path / "r.docx").read_bytes()[:2] == b"PK", "a Word document (a zip), not Markdown"
    md = duty_cli("report", "--year", "2026", "-o", str(tmp_path / "r.md"))
    assert md.exit_code == 0 and (tmp_path / "r.md").read_text(encoding="utf-8").startswith("#")
    wrong = duty_cli("report", "--year", "2026", "--format", "md", "-o", str(tmp_path / "x.docx"))
    assert wrong.exit_code == 2 and "-o" in wrong.stderr and ".docx" in wrong.stderr
    assert not (tmp_path / "x.docx").exists()
