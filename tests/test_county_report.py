"""The county report (issue 19, item 2): `duty report --county` on a county store whose two towns
keep their own SQLite stores and sent their signed 2026 bundles — read through
`duty_tui.county.towns()` as the county reads them. The Word file's comparison table holds each
town's own figures (each area's standing, the score, errors, warnings, overdue), the bar chart
is a picture in it, each town has its paragraph; in zh and en; the Markdown has the same table and
the chart as bars of text. Where no font has the towns' names, the chart labels its bars by the
table's numbers (never a box for a missing glyph); a county without a scorer says it has no
scores; a scorer that fails for one town leaves the others their score."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import types
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.present.county import TownScore, TownScorer, area_cell, build_county, number, score_text

A, B = "甲镇党委", "乙镇党委"


# -- a county of towns with their own stores (shared with tests/tui/test_county.py) -------------------

def county_of(registry, root: Path, towns: dict[str, Callable], year: int, *, org: str = "某县委"):
    """A county store at ``root/county.db`` whose towns each keep a SQLite store of their own:
    ``towns`` maps a town's name to what makes its store (given the new store and the registry,
    it returns the town's admin ledger); each town signs its ``year`` bundle, the county registers
    the town's key and imports the bundle. Returns the county's admin ledger."""
    from duty_tui.bundle import export_bundle, keygen
    from duty_tui.county import import_bundle, trust_key
    from duty_tui.ledger import Ledger
    from duty_tui.store import open_store

    county = Ledger.initialise(open_store(f"sqlite:///{root / 'county.db'}", registry), registry, "admin")
    county.set_setting("org.name", org)
    for i, (name, make) in enumerate(towns.items()):
        store = open_store(f"sqlite:///{root / f'town{i}.db'}", registry)
        try:
            town = make(store, registry)
            town.set_setting("org.name", name)
            _, public, _ = keygen(root / f"town{i}.key")
            export_bundle(town, year, root / f"town{i}.key", root / f"town{i}.zip", anchor_path=root / "no-anchor.json")
        finally:
            store.close()
        county.create("unit", {"name": name, "kind": "committee"})
        trust_key(county, name, public)
        import_bundle(county, root / f"town{i}.zip")
    return county


def scorer_plugin(score: Callable) -> types.SimpleNamespace:
    """A plugin registering ``score`` as the county's :class:`TownScorer`."""

    @hookimpl
    def duty_register_reports(register):
        register(TownScorer("test.town-score", L("考核得分", "Score"), score))

    return types.SimpleNamespace(duty_register_reports=duty_register_reports)


# -- the county of this module: two demo towns, the second with two duty items overdue --------------

def demo_town(extra_overdue: int = 0):
    """The demo town (``duty demo``), with ``extra_overdue`` duty items five days past their day."""

    def make(store, registry):
        from duty_tui.demo import create_demo

        demo = create_demo(store, registry, "admin")
        due = (demo.ledger.today() - dt.timedelta(days=5)).isoformat()
        for n in range(extra_overdue):
            demo.ledger.create("duty_item", {"title": f"专项整改{n + 1}", "owner": demo.persons["刘明宇"], "area": "leadership", "due": due})
        return demo.ledger

    return make


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The county store's URL, its year and cache folder: 甲镇党委 (the demo) and 乙镇党委 (the demo
    and two duty items five days overdue), scored by the assessment plugin's scorecard."""
    from duty_tui.registry import load_registry

    root = tmp_path_factory.mktemp("county")
    registry = load_registry()  # the assessment plugin scores each town (its TownScorer)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DUTY_CACHE_DIR", str(root / "cache"))
        ledger = county_of(registry, root, {A: demo_town(), B: demo_town(extra_overdue=2)}, dt.date.today().year)
        year = ledger.today().year
        ledger.store.close()
    return {"url": f"sqlite:///{root / 'county.db'}", "year": year, "cache": root / "cache", "root": root}


@pytest.fixture
def run(county, monkeypatch, tmp_path):
    """``duty --db COUNTY ARGS`` as the county's admin; its exit code, stdout and stderr."""
    from duty_tui.cli import cli

    monkeypatch.setenv("DUTY_CACHE_DIR", str(county["cache"]))
    monkeypatch.setenv("DUTY_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("DUTY_LANG", "en")

    def invoke(*args: str):
        obj = {"login": "admin"}
        result = CliRunner().invoke(cli, ["--db", county["url"], *args], obj=obj, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    yield invoke
    invoke("config", "set", "org.lang", "zh")  # the module's county as it was


def figures(county, registry=None):
    """The county's figures as present/county.py reads them through county.towns()."""
    from duty_tui.county import towns
    from duty_tui.ledger import Ledger
    from duty_tui.registry import load_registry
    from duty_tui.store import open_store

    registry = registry or load_registry()
    store = open_store(county["url"], registry)
    ledger = Ledger.for_login(store, registry, "admin")
    return build_county(towns(ledger, county["year"]), county["year"], ledger.today(), registry=registry), store


def docx_table(path: Path):
    import docx

    d = docx.Document(str(path))
    table = d.tables[0]
    return d, [[c.text for c in row.cells] for row in table.rows]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_word_report_compares_each_towns_own_figures_with_the_chart_as_a_picture(county, run, tmp_path, lang):
    assert run("config", "set", "org.lang", lang).exit_code == 0
    out = tmp_path / "county.docx"
    done = run("report", "--county", "--year", str(county["year"]), "-o", str(out))
    assert done.exit_code == 0, done.stderr
    expected, store = figures(county)
    store.close()
    assert [t.name for t in expected.towns] == [A, B] and all(t.problem is None for t in expected.towns)
    a, b = expected.towns
    assert b.overdue_count == a.overdue_count + 2  # the rows cannot be the same town twice
    assert a.points is not None and b.points is not None and expected.full is not None

    d, rows = docx_table(out)
    head, body = rows[0], rows[1:]
    assert head[-4:] == (["得分", "问题", "预警", "逾期"] if lang == "zh" else ["Score", "Errors", "Warnings", "Overdue"])
    assert len(body) == 2
    for row, town in zip(body, expected.towns):
        assert row[1].startswith(town.name) and ("报送" in row[1] if lang == "zh" else "bundle" in row[1])
        assert row[2:-4] == [area_cell(town.areas.get(area), lang) for area in expected.areas]
        assert row[-4:] == [score_text(town, lang, with_full=False), str(town.errors), str(town.warnings), str(town.overdue_count)]
    text = "\n".join(p.text for p in d.paragraphs)
    assert f"{number(expected.full)}" in text  # the full marks are said once, under the table
    for town in expected.towns:  # each town's paragraph names its most serious finding
        assert town.serious(1)[0].message.render(lang).replace(" ", "")[:12] in text.replace(" ", "")
    pictures = d.inline_shapes
    assert len(pictures) == 1
    blip = pictures[0]._inline.graphic.graphicData.pic.blipFill.blip
    image = d.part.related_parts[blip.embed]
    assert image.content_type == "image/png" and image.blob[:8] == b"\x89PNG\r\n\x1a\n" and len(image.blob) > 5000
    assert "[[duty:county-chart]]" not in text


def test_the_markdown_report_has_the_table_and_the_chart_as_bars_of_text(county, run, tmp_path):
    out = tmp_path / "county.md"
    done = run("report", "--county", "--year", str(county["year"]), "-o", str(out))
    assert done.exit_code == 0, done.stderr
    md = out.read_text(encoding="utf-8")
    expected, store = figures(county)
    store.close()
    for town in expected.towns:
        row = next(line for line in md.splitlines() if line.startswith("| ") and f" {town.name}（报送） |" in line)
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[-4:] == [score_text(town, "zh", with_full=False), str(town.errors), str(town.warnings), str(town.overdue_count)]
        bar = next(line for line in md.splitlines() if line.startswith(town.name + " ") and "█" in line)
        assert bar.rstrip().endswith(number(town.points))
    assert md.count("```") == 2
    printed = run("report", "--county", "--year", str(county["year"]))  # Markdown to stdout without -o
    assert printed.exit_code == 0 and "| 序号 | 乡镇 |" in printed.stdout


def test_the_county_report_refuses_what_it_cannot_be_and_writes_nothing(county, run, tmp_path):
    for args, named in ((("--person", "person-1"), "--county"), (("--period", "2026H1"), "--county")):
        out = tmp_path / "c.docx"
        done = run("report", "--county", "--year", str(county["year"]), *args, "-o", str(out))
        assert done.exit_code == 2 and named in done.stderr and not out.exists()
    out = tmp_path / "c.xlsx"
    done = run("report", "--county", "-o", str(out))
    assert done.exit_code == 2 and "--county" in done.stderr and not out.exists()


def test_without_a_font_for_the_names_the_bars_carry_the_tables_numbers(county, tmp_path):
    from duty_tui.reports.county import build_county_report, chart_font, chart_png, fc_cjk_fonts, write_county_docx

    expected, store = figures(county)
    try:
        from duty_tui.ledger import Ledger

        ledger = Ledger.for_login(store, expected.towns[0].ledger.registry, "admin")
        png, named = chart_png(expected, candidates=[])
        assert not named and png[:4] == b"\x89PNG"
        assert chart_font([A, B], candidates=[]) is None
        assert chart_font(["Dongfeng", "Hongxing"], candidates=[]) is not None  # Latin names need no CJK font
        doc = build_county_report(ledger, expected, "zh", chart="picture")
        assert not write_county_docx(doc, expected, str(tmp_path / "c.docx"), candidates=[])
        import docx

        text = "\n".join(p.text for p in docx.Document(str(tmp_path / "c.docx")).paragraphs)
        assert "图中以对比表序号代表乡镇" in text
        if fc_cjk_fonts():  # this machine has a CJK font: the names themselves
            assert chart_png(expected)[1]
    finally:
        store.close()


def test_without_a_scorer_the_report_says_there_are_no_scores(county, tmp_path):
    from duty_tui.ledger import Ledger
    from duty_tui.registry import load_registry
    from duty_tui.reports.county import build_county_report
    from duty_tui.reports.document import write_markdown

    bare = load_registry(disabled=["assessment"])
    expected, store = figures(county, bare)
    try:
        assert not expected.scored and all(t.score is None for t in expected.towns)
        md = write_markdown(build_county_report(Ledger.for_login(store, bare, "admin"), expected, "en"))
        assert "no scores" in md and "```" not in md
    finally:
        store.close()


def test_when_no_town_has_a_score_there_is_no_empty_chart(county, tmp_path):
    import docx

    from duty_tui.ledger import Ledger
    from duty_tui.reports.county import build_county_report, write_county_docx

    expected, store = figures(county)
    try:
        assert expected.scored and any(t.points is not None for t in expected.towns)
        for town in expected.towns:  # towns with no assessment table of the year
            town.score = None
        ledger = Ledger.for_login(store, expected.towns[0].ledger.registry, "admin")
        write_county_docx(build_county_report(ledger, expected, "zh", chart="picture"), expected, str(tmp_path / "c.docx"))
        word = docx.Document(str(tmp_path / "c.docx"))
        assert not word.inline_shapes, "no picture of twenty dashes"
        assert "各乡镇均无" in "\n".join(p.text for p in word.paragraphs)
    finally:
        store.close()


def test_a_scorer_that_fails_for_one_town_leaves_the_others_their_score(county):
    from duty_tui.county import towns
    from duty_tui.ledger import Ledger
    from duty_tui.registry import load_registry
    from duty_tui.store import open_store

    def flaky(ledger, year, today, findings=None):
        if ledger.setting("org.name") == B:
            raise RuntimeError("no table")
        assert findings and all(isinstance(v, list) for v in findings.values())  # the rules' findings, run once already
        return TownScore(80, 100)

    registry = load_registry(extra=[("county_scorer", scorer_plugin(flaky))])
    registry.reports.pop("assessment.town-score")  # this test's scorer in the assessment's place
    store = open_store(county["url"], registry)
    try:
        ledger = Ledger.for_login(store, registry, "admin")
        result = build_county(towns(ledger, county["year"]), county["year"], ledger.today(), registry=registry)
        a, b = result.towns
        assert (a.points, b.points) == (80, None), (a.score_problem, b.score_problem)
        assert b.score_problem == "RuntimeError: no table" and score_text(b, "en") == "failed"
    finally:
        store.close()


needs_office = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                  reason="LibreOffice (soffice) and poppler (pdftotext) print the report")


@needs_office
def test_libreoffice_prints_the_report_with_the_towns_and_the_chart(county, run, tmp_path):
    out = tmp_path / "county.docx"
    assert run("report", "--county", "--year", str(county["year"]), "-o", str(out)).exit_code == 0
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(out)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "county.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout
    for words in (A, B, "三、考核得分图", "图：各乡镇考核得分", "四、各乡镇主要问题"):
        assert words in text
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "county.pdf")], capture_output=True, text=True)
    if images.returncode == 0:
        assert [line.split()[2] for line in images.stdout.splitlines()[2:]].count("image") == 1  # one picture
