"""Text in, text out (issue 16, item 3): what may not be stored is refused at the door on every
backend, and what got into a store anyway (an older version, a plugin, a hand-edited file) is shown
escaped by every face, never raw.

Refused, exit 2 and nothing written: arguments that are not UTF-8 (a GBK terminal typing 上海; the
real ``duty`` in a subprocess with bytes argv), lone surrogates from any other caller, the
bidirectional overrides and isolates (RLO ``e\u202etxt.exe``), C0 and C1 controls, in text fields
and attached file names; dates outside the store's year range (settings dates.min-year and
dates.max-year, default 1949–2100); numbers beyond a field's bounds (1e308) or not finite.
``edit --version -1`` is a bad argument (2), not a conflict (4)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from duty_tui.safetext import json_safe, safe_text, text_problem
from duty_tui.schema import INTEGER, NUMBER, Field, FieldProblem, SchemaError
from duty_tui.i18n import L

BACKENDS = pytest.mark.parametrize("duty_store_url", ["sqlite", "tinydb", "postgresql"], indirect=True)

ESC_TITLE = "\x1b]0;pwned\x07"  # what set a terminal's title to "pwned"
CLEAR = "\x1b[2J"  # what cleared the TUI's screen


def audit_len(cli) -> int:
    return len(cli("audit", "--json").json())


def run_duty(args: list[bytes], env: dict[str, str]) -> subprocess.CompletedProcess:
    """The real ``duty`` console script, as a terminal would start it: argv as bytes."""
    return subprocess.run([sys.executable, "-c", "from duty_tui.cli import main; main()", *args],
                          capture_output=True, env=env, timeout=120)


# -- the rule itself -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, code", [
    ("\udcc9\udccf", "0xC9"), ("e\u202etxt.exe", "U+202E"), ("a\u2066b", "U+2066"), ("a\u2069", "U+2069"),
    ("a\x9bb", "U+009B"), ("a\x85", "U+0085"), ("\x1b[2J", "U+001B"), ("a\x00b", "U+0000"), ("a\x7f", "U+007F"),
])
def test_text_problem_names_the_character(text, code):
    problem = text_problem(text, multiline=True)
    assert problem is not None and code in problem.render("en") and code in problem.render("zh")


def test_tabs_and_line_breaks_are_text_where_they_belong():
    assert text_problem("第一段\n\t第二段", multiline=True) is None
    assert text_problem("a\tb") is None
    assert text_problem("a\nb") is not None
    assert text_problem("上海 Shanghai ✓ ‏") is None  # ordinary text, and a right-to-left mark, are fine
    assert safe_text("ئۇيغۇر‏") == "ئۇيغۇر‏"  # and it shows as itself
    assert text_problem("a b") is not None and text_problem("a b", multiline=True) is None


def test_safe_text_spells_every_steering_character_visibly():
    assert safe_text("\x1b]0;pwned\x07") == "\\x1b]0;pwned\\x07"
    assert safe_text("e\u202etxt.exe") == "e\\u202etxt.exe"
    assert safe_text("a\x9bb\udcc9") == "a\\x9bb\\udcc9"
    assert safe_text("第一行\n第二行\t末") == "第一行\n第二行\t末"
    assert safe_text("第一行\n第二行", one_line=True) == "第一行\\x0a第二行"
    assert safe_text("上海") == "上海" and safe_text(12) == "12"
    assert safe_text(safe_text(ESC_TITLE)) == safe_text(ESC_TITLE)  # escaping twice changes nothing


def test_json_safe_is_the_same_json_and_encodable():
    text = json.dumps({"name": "a\x9b\u202e\udcc9b"}, ensure_ascii=False)
    safe = json_safe(text)
    safe.encode("utf-8")  # a lone surrogate no longer breaks the encoder
    assert json.loads(safe) == json.loads(text)


# -- numbers ---------------------------------------------------------------------------------------

def test_number_fields_have_bounds_by_default():
    hours = Field("hours", NUMBER, L("学时", "Hours"))
    seats = Field("seats", INTEGER, L("座位", "Seats"))
    for bad in ("1e308", 1e308, 1e16, "-1e16", "inf", "nan", float("inf")):
        with pytest.raises(FieldProblem):
            hours.coerce(bad)
    for bad in (2**53, "999999999999999999", 10**30, -(2**60)):
        with pytest.raises(FieldProblem):
            seats.coerce(bad)
    assert hours.coerce("2.5") == 2.5 and hours.coerce("１２") == 12 and seats.coerce(2**53 - 1) == 2**53 - 1


def test_a_field_sets_its_own_bounds():
    score = Field("score", NUMBER, L("得分", "Score"), min_value=0, max_value=100)
    assert score.coerce("100") == 100
    with pytest.raises(FieldProblem) as problem:
        score.coerce("100.5")
    assert "from 0 to 100" in str(problem.value) and "0 到 100" in problem.value.reason.render("zh")
    with pytest.raises(SchemaError):
        Field("name", "text", L("名称", "Name"), max_value=3)
    with pytest.raises(SchemaError):
        Field("n", INTEGER, L("数", "N"), min_value=5, max_value=1)


# -- refused on every backend ----------------------------------------------------------------------

@BACKENDS
def test_invalid_utf8_arguments_are_refused_by_the_real_command(duty_store_url, tmp_path):
    """A GBK terminal typing 上海 sends C9 CF BA A3: exit 2 with a hint about the terminal, in the
    operator's language, for every command; no traceback, nothing written, on each backend."""
    env = {**os.environ, "DUTY_DB": duty_store_url, "DUTY_CONFIG": str(tmp_path / "none.toml"), "DUTY_LANG": "en"}
    init = run_duty([b"init", b"--org", "中共某镇委员会".encode()], env)
    assert init.returncode == 0, init.stderr.decode()
    added = run_duty([b"add", b"unit", "name=一村".encode(), b"kind=village"], env)
    assert added.returncode == 0, added.stderr.decode()
    before = run_duty([b"audit", b"--json"], env).stdout
    gbk = "上海".encode("gbk")
    for args in ([b"add", b"unit", b"name=" + gbk, b"kind=village"], [b"edit", b"unit-1", b"name=" + gbk],
                 [b"list", b"unit", b"--search", gbk], [b"config", b"set", b"org.name", gbk], [b"show", gbk],
                 [b"users", b"add", b"x" + gbk, b"--role", b"clerk"], [b"--db", b"sqlite:///" + gbk, b"list", b"unit"]):
        result = run_duty(args, env)
        stderr = result.stderr.decode("utf-8")
        assert result.returncode == 2, (args, stderr)
        assert "Traceback" not in stderr and "not UTF-8" in stderr and "terminal" in stderr, stderr
        assert "\\xc9\\xcf\\xba\\xa3" in stderr and "上海" in stderr, stderr  # the bytes, and what GBK makes of them
    zh = run_duty([b"--lang", b"zh", b"add", b"unit", b"name=" + gbk], env).stderr.decode()
    assert "不是 UTF-8" in zh and "终端" in zh
    assert run_duty([b"audit", b"--json"], env).stdout == before  # nothing was written
    assert json.loads(run_duty([b"show", b"unit-1", b"--json"], env).stdout)["name"] == "一村"


@BACKENDS
def test_no_backend_stores_a_surrogate_whoever_passes_it(duty_admin):
    """The TUI or a plugin could hand the ledger a str holding lone surrogates: refused."""
    from duty_tui.errors import ValidationError

    for values in ({"name": "\udcc9\udccf\udcba\udca3", "kind": "village"}, {"name": "一村", "kind": "village", "notes": "x\udcc9"},
                   {"name": "一村", "kind": "village\udcc9"}):
        with pytest.raises(ValidationError) as refused:
            duty_admin.create("unit", values)
        assert "UTF-8" in refused.value.render("en") or "choices" in refused.value.render("en")
        refused.value.render("en").encode("utf-8")  # the message itself prints (the value shows escaped)
    with pytest.raises(ValidationError):
        duty_admin.set_setting("org.name", "上\udcc9")
    assert duty_admin.count("unit") == 0


@BACKENDS
@pytest.mark.parametrize("field, value, reason", [
    ("name", "e\u202etxt.exe", "U+202E (RLO)"), ("name", "a\u2067b", "U+2067 (RLI)"), ("name", "a\x9bb", "U+009B"),
    ("name", "a\x85b", "U+0085"), ("name", ESC_TITLE, "U+001B"), ("notes", f"第一段\n{CLEAR}", "U+001B"),
    ("notes", "a\u202db", "U+202D (LRO)"), ("name", "a\rb", "line break"),
])
def test_rlo_and_controls_are_refused_in_text_fields(cli, field, value, reason):
    before = audit_len(cli)
    args = ["add", "unit", "kind=village"] + ([f"name={value}"] if field == "name" else ["name=一村", f"{field}={value}"])
    result = cli(*args)
    assert result.exit_code == 2 and f"{field}:" in result.stderr and reason in result.stderr, result.stderr
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert audit_len(cli) == before


@BACKENDS
def test_rlo_and_controls_are_refused_in_attached_file_names(cli, tmp_path):
    record = cli("add", "unit", "name=一村", "kind=village").stdout.strip()
    before = audit_len(cli)
    for name, reason in (("e\u202etxt.exe", "U+202E"), ("a\x9b.pdf", "U+009B"), ("\x1b[2J.jpg", "U+001B"), ("x\u2066.pdf", "U+2066")):
        path = tmp_path / name
        path.write_bytes(b"minutes")
        result = cli("attach", record, str(path))
        assert result.exit_code == 2 and "not a valid file name" in result.stderr and reason in result.stderr, result.stderr
        assert safe_text(name, one_line=True) in result.stderr  # the file named, escaped
    assert audit_len(cli) == before
    good = tmp_path / "会议纪要.pdf"
    good.write_bytes(b"minutes")
    assert cli("attach", record, str(good)).exit_code == 0


@BACKENDS
def test_the_ledger_refuses_controls_in_file_names_from_any_caller(duty_admin):
    from duty_tui.errors import ValidationError
    from duty_tui.evidence import attach

    record = duty_admin.create("unit", {"name": "一村", "kind": "village"})
    with pytest.raises(ValidationError) as refused:
        attach(duty_admin, record.id, [("e\u202etxt.exe", b"x"), ("ok.pdf", b"x"), ("b\udcc9.pdf", b"x")])
    shown = refused.value.render("en")
    assert "e\\u202etxt.exe" in shown and "RLO" in shown and "b\\udcc9.pdf" in shown
    assert duty_admin.files(record.id) == []


@BACKENDS
@pytest.mark.parametrize("typed, en", [
    ("9999-12-31", "from 1949 to 2100"), ("0001-01-01", "from 1949 to 2100"), ("1948-12-31", "from 1949 to 2100"),
    ("2101-01-01", "from 1949 to 2100"), ("99991231", "from 1949 to 2100"), ("0000-00-00", "from 1949 to 2100"),
])
def test_extreme_dates_are_refused(cli, typed, en):
    before = audit_len(cli)
    result = cli("add", "study_session", f"date={typed}", "topic=学习")
    assert result.exit_code == 2 and "date:" in result.stderr and en in result.stderr, result.stderr
    assert "dates.min-year" in result.stderr  # the setting that widens it is named
    assert audit_len(cli) == before


@BACKENDS
def test_the_year_range_is_the_stores_setting(cli):
    assert cli("add", "study_session", "date=1949-10-01", "topic=学习").exit_code == 0
    assert cli("add", "study_session", "date=1921-07-01", "topic=学习").exit_code == 2
    assert cli("config", "set", "dates.min-year", "1921").exit_code == 0
    added = cli("add", "study_session", "date=1921-07-01", "topic=学习", "--json")
    assert added.exit_code == 0 and added.json()["date"] == "1921-07-01"
    assert cli("config", "set", "dates.max-year", "2030").exit_code == 0
    result = cli("add", "study_session", "date=2031-01-01", "topic=学习")
    assert result.exit_code == 2 and "from 1921 to 2030" in result.stderr
    assert cli("config", "set", "dates.max-year", "99999").exit_code == 2


@BACKENDS
@pytest.mark.parametrize("value", ["1e308", "-1e308", "1e400", "inf", "nan", "1e16", "99999999999999999999"])
def test_extreme_numbers_are_refused(cli, value):
    before = audit_len(cli)
    result = cli("add", "study_session", "date=2026-03-01", "topic=学习", f"hours={value}")
    assert result.exit_code == 2 and "hours:" in result.stderr, result.stderr
    assert audit_len(cli) == before


@BACKENDS
def test_edit_with_a_negative_version_is_a_bad_argument(cli):
    record = cli("add", "unit", "name=一村", "kind=village").stdout.strip()
    for args in (("edit", record, "name=二村", "--version", "-1"), ("edit", record, "name=二村", "--version", "0"),
                 ("delete", record, "--yes", "--version", "-1")):
        result = cli(*args)
        assert result.exit_code == 2 and "--version" in result.stderr, result.stderr
    assert cli("edit", record, "name=二村", "--version", "7").exit_code == 4  # a version that was never saved: a conflict


# -- shown escaped ---------------------------------------------------------------------------------

def _tamper_sqlite(url: str, sql: str, *params) -> None:
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.execute(sql, params)


@pytest.mark.parametrize("duty_store_url", ["sqlite"], indirect=True)
def test_show_list_audit_and_users_escape_what_a_store_holds(cli, duty_store_url):
    """A record holding ESC and RLO written straight into the store with sqlite3 (as an older
    version's import or a hand edit could): `duty show`, `list`, `audit`, `users` print them
    escaped, never raw."""
    record = cli("add", "unit", "name=一村", "kind=village", "notes=纪要").stdout.strip()
    _tamper_sqlite(duty_store_url, "UPDATE records_unit SET data = json_set(data, '$.name', ?, '$.notes', ?), created_by = ?",
                   f"一村{ESC_TITLE}", f"第一段\n{CLEAR}e\u202etxt\x9b", "evil\x1b[31m")
    _tamper_sqlite(duty_store_url, "INSERT INTO users (name, role, person, created_at) VALUES (?, 'viewer', NULL, '2026-01-01T00:00:00.000Z')",
                   "ro\x1b[2Jot")
    outputs = {
        "show": cli("show", record),
        "list": cli("list", "unit"),
        "list --search": cli("list", "unit", "--search", "一村"),
        "users": cli("users", "list"),
        "audit": cli("audit"),
    }
    for name, result in outputs.items():
        assert result.exit_code == 0, (name, result.stderr)
        for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert raw not in result.stdout, (name, repr(raw), result.stdout)
    show = outputs["show"].stdout
    assert "一村\\x1b]0;pwned\\x07" in show and "\\x1b[2Je\\u202etxt\\x9b" in show and "evil\\x1b[31m" in show
    assert "一村\\x1b]0;pwned" in outputs["list"].stdout
    assert "ro\\x1b[2Jot" in outputs["users"].stdout
    as_json = cli("show", record, "--json")
    assert as_json.json()["name"] == f"一村{ESC_TITLE}"  # JSON keeps the value itself, escaped as JSON escapes it
    assert "\x1b" not in as_json.stdout and "\u202e" not in as_json.stdout and "\x9b" not in as_json.stdout


@pytest.mark.parametrize("duty_store_url", ["tinydb"], indirect=True)
def test_a_store_holding_a_surrogate_still_shows_and_exports(cli, monkeypatch, tmp_path):
    """Written by an older version (TinyDB took `name=<GBK bytes>`, record and audit alike):
    `show`, `list` and `audit` print it escaped, and `duty export` writes it as its JSON escape
    (which reads back as the same text) instead of failing with UnicodeEncodeError."""
    import duty_tui.cli
    import duty_tui.schema

    with monkeypatch.context() as older:  # the version before: no check at the door, none in the schema
        older.setattr(duty_tui.cli, "has_surrogates", lambda text: False)
        older.setattr(duty_tui.schema, "text_problem", lambda text, multiline=False: None)
        record = cli("add", "unit", "name=\udcc9\udccf", "kind=village").stdout.strip()
    assert record == "unit-1"
    for args in (("show", record), ("list", "unit"), ("audit",), ("show", record, "--json")):
        shown = cli(*args)
        assert shown.exit_code == 0 and "\\udcc9\\udccf" in shown.stdout, (args, shown.stdout)
        shown.stdout.encode("utf-8")
    out = tmp_path / "move.json"
    result = cli("export", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")  # valid UTF-8
    assert "\\udcc9\\udccf" in text
    assert any(r.get("data", {}).get("name") == "\udcc9\udccf" for r in json.loads(text).get("records", []))


@pytest.mark.parametrize("duty_store_url", ["sqlite"], indirect=True)
async def test_the_tui_detail_shows_controls_escaped(duty_app, duty_admin, duty_store_url):
    from duty_tui.testing import screen_text, wait_until
    from duty_tui.tui.screens.record_detail import RecordDetailScreen

    record = duty_admin.create("unit", {"name": "一村", "kind": "village", "notes": "纪要"})
    _tamper_sqlite(duty_store_url, "UPDATE records_unit SET data = json_set(data, '$.name', ?, '$.notes', ?), created_by = ?",
                   f"一村{CLEAR}", f"e\u202etxt\x9b{ESC_TITLE}", "evil\x1b[31m")
    async with duty_app(size=(120, 40)) as pilot:
        app = pilot.app
        app.open_record(record.id)
        await wait_until(pilot, lambda: isinstance(app.screen, RecordDetailScreen) and app.screen.record is not None, "the detail")
        await pilot.pause()
        text = screen_text(app)
        for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert raw not in text, repr(raw)
        assert "一村\\x1b[2J" in text and "e\\u202etxt\\x9b\\x1b]0;pwned\\x07" in text and "evil\\x1b[31m" in text, text


def test_display_escapes_values_for_every_face():
    from duty_tui.present.display import cell_value, input_text, show_value

    name = Field("name", "text", L("名称", "Name"))
    notes = Field("notes", "long_text", L("备注", "Notes"))
    assert show_value(name, ESC_TITLE, "en") == "\\x1b]0;pwned\\x07"
    assert show_value(notes, "第一段\n第二段\x9b", "zh") == "第一段\n第二段\\x9b"  # long text keeps its lines
    assert cell_value(name, "e\u202etxt", "en") == "e\\u202etxt"  # a spreadsheet cell (and docx/md) too
    assert input_text("a\x1bb") == "a\\x1bb"


def test_error_messages_show_what_was_typed_escaped(cli):
    """A message that repeats what was typed (`duty show <ESC>[2J`) prints it escaped."""
    result = cli("show", f"unit-9{CLEAR}")
    assert result.exit_code != 0 and "\x1b" not in result.stderr and "unit-9\\x1b[2J" in result.stderr, result.stderr
    result = cli("add", "unit", f"name=一村{CLEAR}", "kind=村委会\x1b")
    assert result.exit_code == 2 and "\x1b" not in result.stderr and "村委会\\x1b" in result.stderr, result.stderr


def test_a_document_holding_controls_and_surrogates_writes_escaped(tmp_path):
    """The report writers (reports/document.py) escape what they are given before writing md or
    docx; a lone surrogate an older version stored made both fail with UnicodeEncodeError."""
    from duty_tui.reports.document import Document, write_docx, write_markdown
    from duty_tui.reports.spec import Section, Table
    doc = Document(title=f"报告{ESC_TITLE}", lang="zh", intro=("一村\udcc9",),
                   sections=[Section("一、基本情况", paragraphs=(f"e\u202etxt{CLEAR}",),
                                     tables=(Table(("名称",), (("二村\x9b",),)),))])
    text = write_markdown(doc)  # the writers escape themselves
    text.encode("utf-8")
    for raw in ("\x1b", "\x07", "\x9b", "\u202e", "\udcc9"):
        assert raw not in text
    assert "一村\\udcc9" in text and "e\\u202etxt\\x1b[2J" in text and "二村\\x9b" in text
    write_docx(doc, str(tmp_path / "r.docx"))
    assert doc.intro == ("一村\udcc9",)  # the document itself is left as it was


def test_a_filter_compares_any_date(cli):
    """The year range is for what is written; a filter is a read, and any date compares."""
    assert cli("add", "study_session", "date=2026-03-01", "topic=学习").exit_code == 0
    result = cli("list", "study_session", "--where", "date>=1900-01-01", "--json")
    assert result.exit_code == 0 and len(result.json()) == 1


@pytest.mark.parametrize("duty_store_url", ["sqlite"], indirect=True)
def test_a_setting_holding_esc_shows_escaped(cli, duty_store_url):
    assert cli("config", "set", "org.name", "中共某镇委员会").exit_code == 0
    _tamper_sqlite(duty_store_url, "UPDATE settings SET value = ? WHERE key = 'org.name'", json.dumps(f"某镇{ESC_TITLE}"))
    for args in (("config", "get", "org.name"), ("config", "get"), ("config", "get", "org.name", "--json")):
        result = cli(*args)
        assert result.exit_code == 0 and "\x1b" not in result.stdout and "某镇\\x1b]0;pwned" in result.stdout.replace("\\u001b", "\\x1b"), (
            args, result.stdout)


def test_a_store_url_that_is_not_utf8_is_refused(tmp_path):
    """DUTY_DB typed on a GBK terminal: exit 2 with the same hint, before any store is opened."""
    env = {**os.environb, b"DUTY_DB": b"sqlite:///" + os.fsencode(tmp_path) + "/上海.db".encode("gbk"),
           b"DUTY_CONFIG": os.fsencode(tmp_path / "none.toml"), b"DUTY_LANG": b"en"}
    result = subprocess.run([sys.executable, "-c", "from duty_tui.cli import main; main()", "list", "unit"],
                            capture_output=True, env=env, timeout=120)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2 and "the store URL" in stderr and "not UTF-8" in stderr and "Traceback" not in stderr, stderr
    assert list(tmp_path.iterdir()) == []  # nothing was made


@BACKENDS
def test_init_refuses_an_org_name_with_controls_before_making_the_store(duty_cli):
    result = duty_cli("init", "--org", "中共某镇\u202e委员会")
    assert result.exit_code == 2 and "--org" in result.stderr and "RLO" in result.stderr, result.stderr
    assert duty_cli("init", "--org", "中共某镇委员会").exit_code == 0  # nothing was made the first time


def test_a_ledger_workbook_reads_dates_by_the_stores_year_range(cli, tmp_path):
    """import-ledger checks a row's date before the ledger does: by the same store setting."""
    assert cli("config", "set", "dates.min-year", "1921").exit_code == 0
    assert cli("add", "study_session", "date=1921-07-01", "topic=建党").exit_code == 0
    book = tmp_path / "ledgers.xlsx"
    assert cli("report", "--year", "1921", "--format", "xlsx", "-o", str(book)).exit_code == 0
    for store_min, code in (("1921", 0), ("1949", 2)):  # into a new store, as another office would
        url = f"sqlite:///{tmp_path / f'other-{store_min}.db'}"
        assert cli("--db", url, "init").exit_code == 0
        assert cli("--db", url, "config", "set", "dates.min-year", store_min).exit_code == 0
        result = cli("--db", url, "import-ledger", str(book), "--type", "study_session")
        assert result.exit_code == code, result.stderr
        if code:
            assert "dates.min-year" in result.stderr
