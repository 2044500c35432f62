"""The annual report (Markdown and Word) with every area, the findings, the scorecard and the audit
digest; the Word file opens in LibreOffice; a digest printed in a report tells later whether the
store still holds that history; and a person's dossier."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
import subprocess

import pytest

from duty_tui.demo import create_demo
from duty_tui.reports import ReportSpec, Section
from duty_tui.reports.document import build_annual, build_dossier, write_docx, write_markdown

pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "leadership", "positions", "team", "assessment",
                                                "accountability", "reports")

AREAS = {"en": ("Leadership", "Positions", "Team", "Assessment", "Accountability"),
         "zh": ("组织领导", "阵地管理", "队伍管理", "责任制考核", "责任追究")}
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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_annual_report_has_every_area_the_findings_the_scorecard_and_the_digest(town, lang):
    ledger = town.ledger
    doc = build_annual(ledger, 2026, lang, today=TODAY)
    text = write_markdown(doc)
    found = headings(text)
    for area in AREAS[lang]:
        assert area in found, (area, found)
    assert ("Scorecard" if lang == "en" else "考核评分") in found
    assert ("Findings" if lang == "en" else "发现的问题") in found
    with ledger.store.read() as r:
        seq, head = r.audit_head()
    assert doc.digest == head and doc.digest_seq == seq
    assert head in text
    assert "xx镇党委" in found[0]
    assert "study_session-1" in text  # the ledgers' facts, record by record


@pytest.mark.duty_installed_plugins("sql", "tinydb", "leadership", "positions", "team", "accountability", "reports")
def test_without_the_assessment_plugin_the_annual_report_prints_without_a_scorecard(duty_store, duty_registry):
    """The scorecard's section is the assessment plugin's own (no other plugin reaches into it)."""
    town = demo_as_of_today(duty_store, duty_registry)
    found = headings(write_markdown(build_annual(town.ledger, 2026, "en", today=TODAY)))
    assert "Scorecard" not in found and "Assessment" not in found
    assert "Leadership" in found and "Findings" in found


def test_a_plugin_adds_a_section_and_a_broken_one_does_not_take_the_report_down(town):
    registry = town.ledger.registry
    registry.reports["x.good"] = ReportSpec("x.good", "Extra", lambda ctx: [Section(ctx.t("附加", "Extra part"), ("hello",))], order=95)
    registry.reports["x.bad"] = ReportSpec("x.bad", "Broken", lambda ctx: 1 / 0)
    try:
        text = write_markdown(build_annual(town.ledger, 2026, "en", today=TODAY))
    finally:
        del registry.reports["x.good"], registry.reports["x.bad"]
    assert "## Extra part" in text and "hello" in text
    assert "## Broken" in text and "ZeroDivisionError" in text
    with pytest.raises(ValueError):
        ReportSpec("x", "X", lambda ctx: [], kind="weekly")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and pdftotext are not installed (.ci/run installs them)")
def test_the_word_report_opens_in_libreoffice_with_every_area_heading(town, tmp_path):
    path = tmp_path / "report.docx"
    write_docx(build_annual(town.ledger, 2026, "en", today=TODAY), str(path))
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for heading in (*AREAS["en"], "Scorecard", "Findings", "Audit-chain digest"):
        assert heading in text, heading


def test_the_word_report_holds_the_same_text_as_the_markdown(town, tmp_path):
    import docx

    doc = build_annual(town.ledger, 2026, "zh", today=TODAY)
    path = tmp_path / "r.docx"
    write_docx(doc, str(path))
    word = docx.Document(str(path))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == doc.title
    for area in AREAS["zh"]:
        assert area in texts
    assert doc.digest in texts
    assert word.tables  # the ledgers and the scorecard as tables


def test_duty_report_writes_md_and_docx_and_the_digest_verifies_until_the_chain_is_tampered(cli, duty_store_url, tmp_path):
    if not duty_store_url.startswith("sqlite:///"):
        pytest.skip("this test edits the SQLite file directly")
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1")
    md, word = tmp_path / "r.md", tmp_path / "r.docx"
    result = cli("report", "--year", "2026", "--format", "md", "-o", str(md))
    assert result.exit_code == 0, result.stderr
    digest = re.search(r"digest ([0-9a-f]{64})", result.stderr).group(1)
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


def test_the_dossier_lists_roles_duties_sessions_and_cases_naming_the_person(town):
    ledger = town.ledger
    person = town.persons["余永福"]
    doc = build_dossier(ledger, person, 2026, "en", today=TODAY)
    text = write_markdown(doc)
    assert "余永福" in doc.title
    found = headings(text)
    for heading in ("Leader", "Central study session", "Responsible person"):
        assert any(h.startswith(heading) for h in found), (heading, found)
    assert "Named as" in text and "Attendees" in text
    other = town.persons["刘明宇"]
    assert other not in [line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| person-")]


def test_duty_report_person_dossier_through_the_cli(cli, tmp_path):
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1")
    cli("add", "study_session", "date=2026-03-01", "topic=学习", "attendees=person-1")
    cli("config", "set", "org.lang", "en")  # documents are in the store's language (default zh), not the operator's
    result = cli("report", "--person", "person-1", "--year", "2026")
    assert result.exit_code == 0, result.stderr
    assert "# Dossier of 刘明宇, 2026" in result.stdout and "study_session-1" in result.stdout
    assert cli("report", "--person", "unit-1", "--year", "2026").exit_code == 2
    assert cli("report", "--person", "person-1", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx")).exit_code == 2


class FakeUi:
    """The UiContext a palette command is given, recording its notices."""

    def __init__(self, ledger, year):
        self.ledger, self.year, self.lang, self.today = ledger, year, "en", TODAY
        self.notices = []

    def notify(self, message, severity="information"):
        self.notices.append((message.render(self.lang) if hasattr(message, "render") else str(message), severity))


def test_the_palette_commands_write_the_report_and_ledgers_in_a_thread_with_notices(town, tmp_path):
    from duty_tui_plugins.reports.palette import ANNUAL, LEDGERS, _annual, _ledgers, start

    assert {"reports.annual-docx", "reports.ledgers-xlsx"} <= set(town.ledger.registry.commands)
    ui = FakeUi(town.ledger, 2026)
    for what, name, work in ((ANNUAL, "r-{year}.docx", _annual), (LEDGERS, "l-{year}.xlsx", _ledgers)):
        start(ui, what, name, work, folder=tmp_path).join(timeout=120)
    assert (tmp_path / "r-2026.docx").stat().st_size > 0 and (tmp_path / "l-2026.xlsx").stat().st_size > 0
    texts = [t for t, _ in ui.notices]
    assert texts[0].startswith("Writing the annual report") and any(t.startswith("The annual report written") for t in texts)
    assert any(t.startswith("The ledgers written") for t in texts), texts

    def broken(*_):
        raise RuntimeError("disk full")

    start(ui, ANNUAL, "x.docx", broken, folder=tmp_path).join(timeout=30)
    assert ui.notices[-1] == ("The annual report failed: RuntimeError: disk full", "error")
    assert not (tmp_path / "x.docx").exists()


def test_the_report_lists_the_evidence_of_its_records(town):
    from duty_tui.evidence import attach

    info = attach(town.ledger, "study_session-1", [("签到表.jpg", b"\xff\xd8photo")])[0]
    text = write_markdown(build_annual(town.ledger, 2026, "en", today=TODAY))
    assert "## Evidence" in text
    row = next(line for line in text.splitlines() if "签到表.jpg" in line)
    assert "study_session-1" in row and info.sha256 in row


def test_reports_and_evidence_import_neither_textual_nor_docx_nor_openpyxl_until_used():
    import subprocess
    import sys

    code = ("import sys, duty_tui.cli, duty_tui.evidence, duty_tui.reports.document, duty_tui.reports.ledgers, duty_tui_plugins.reports; "
            "print(sorted(m for m in ('textual', 'docx', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
