"""docs/plugins.md keeps up with the code (as datasette's tests/test_docs.py does): every hook in
duty_tui.hookspecs is documented with the signature it has, what it is given, what it returns,
when it is called and an example; every fixture and helper of the test kit is described; every
Ledger method the guide lists has the signature it has; and the guide's examples run.

Every ```python block of the guide is marked, on the line before it:

* ``<!-- tested: village_archive -->``: a file of ``duty_village_archive``, the plugin the guide
  builds; the block's first line names the file (``# src/duty_village_archive/checks.py``), or
  ``..., continued`` for what a later section adds to it. The tests below write the files out as
  a reader would, register the package as a plugin for the test and use it against a real store
  with the kit's fixtures: its area in check, types, the scorecard; its rule, validation, report
  section, CLI command and screens; the ledger and presentation examples.
* ``<!-- tested: LABEL -->``: a stand-alone example; the blocks of one LABEL run together in one
  namespace and a test below (or, for "the kit example", tests/test_example_plugin.py) uses them.
* ``<!-- fragment ... -->``: an excerpt (the hook reference's, from examples/online_accounts; a
  backend's test module): it must compile and what it imports from duty_tui must exist.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import importlib.metadata
import inspect
import re
import sys
import types
from pathlib import Path

import pytest

from duty_tui import hookspecs, testing
from duty_tui.errors import NotPermitted, ValidationError
from duty_tui.hookspecs import hookimpl
from duty_tui.ledger import Ledger
from duty_tui.rules import run_rules
from duty_tui.testing import open_plugin_screen, screen_text, wait_until

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "plugins.md"
SIGNATURE = re.compile(r"^### `(duty_\w+)\((.*)\)`\s*$", re.M)
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
MARK = re.compile(r"<!-- (tested|fragment)(?::\s*(.*?))?\s*-->$")
FILE_LINE = re.compile(r"^# (src/duty_village_archive/\w+\.py)(, continued)?\n")
GUIDE_PLUGIN = "village_archive"
# every LABEL of <!-- tested: LABEL --> and where it runs
HARNESSES = {
    GUIDE_PLUGIN: "the village_archive tests below",
    "review meeting": "test_the_review_meeting_examples_type_rule_and_setting",
    "the kit example": "tests/test_example_plugin.py::test_the_guides_testing_example_passes_where_the_example_is_installed",
}


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def marked_blocks(text: str) -> list[tuple[str, str | None, str, int]]:
    """(kind, label, code, line) of every python block: kind is "tested", "fragment" or "unmarked"."""
    out = []
    for m in PYTHON_BLOCK.finditer(text):
        before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        mark = MARK.match(before)
        line = text.count("\n", 0, m.start()) + 1
        if mark is None:
            out.append(("unmarked", None, m.group(1), line))
        else:
            label = (mark.group(2) or "").split(" (")[0].strip() or None
            out.append((mark.group(1), label, m.group(1), line))
    return out


def blocks_labelled(text: str, label: str) -> list[str]:
    return [code for kind, lab, code, _ in marked_blocks(text) if kind == "tested" and lab == label]


def block_after_marker(text: str, label: str) -> str:
    """The python block right after the ``<!-- tested: LABEL ...-->`` comment."""
    start = text.index(f"<!-- tested: {label}")
    return PYTHON_BLOCK.search(text, start).group(1)


def section(text: str, heading: str) -> str:
    """The text of the ``## heading`` section, up to the next ``## ``."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else len(text)]


# -- every example is marked, and every mark has a test --------------------------------------------


def marking_problems(text: str) -> list[str]:
    problems = []
    for kind, label, _, line in marked_blocks(text):
        if kind == "unmarked":
            problems.append(f"line {line}: a python block with no <!-- tested: LABEL --> or <!-- fragment --> before it")
        elif kind == "tested" and label not in HARNESSES:
            problems.append(f"line {line}: no test runs the examples labelled {label!r}")
    used = {label for kind, label, _, _ in marked_blocks(text) if kind == "tested"}
    problems += [f"the tests expect examples labelled {label!r}, and the guide has none" for label in HARNESSES if label not in used]
    return problems


def test_every_python_example_is_marked_tested_or_fragment_and_every_tested_label_has_a_test():
    assert marking_problems(doc_text()) == []


def test_an_unmarked_example_or_a_label_no_test_runs_is_caught():
    text = doc_text()
    assert marking_problems(text + "\n```python\nx = 1\n```\n")[0].endswith("a python block with no <!-- tested: LABEL --> or <!-- fragment --> before it")
    assert marking_problems(text + "\n<!-- tested: new example -->\n```python\nx = 1\n```\n") == [
        f"line {text.count(chr(10)) + 3}: no test runs the examples labelled 'new example'"]
    assert marking_problems(text.replace("<!-- tested: review meeting -->", "<!-- fragment -->")) == [
        "the tests expect examples labelled 'review meeting', and the guide has none"]


def test_every_python_example_in_the_guide_is_valid_python():
    for kind, label, block, line in marked_blocks(doc_text()):
        compile(block, f"docs/plugins.md python block at line {line}", "exec")


def import_problems(code: str, where: str) -> list[str]:
    """What a block imports from duty_tui that does not exist (relative imports are the plugin's own)."""
    problems = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("duty_tui"):
            try:
                module = importlib.import_module(node.module)
            except ImportError as exc:
                problems.append(f"{where}: {node.module}: {exc}")
                continue
            problems += [f"{where}: {node.module} has no {alias.name}" for alias in node.names
                         if alias.name != "*" and not hasattr(module, alias.name)]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("duty_tui"):
                    try:
                        importlib.import_module(alias.name)
                    except ImportError as exc:
                        problems.append(f"{where}: {alias.name}: {exc}")
    return problems


def test_what_every_example_imports_from_duty_tui_exists():
    problems = [p for _, _, code, line in marked_blocks(doc_text()) for p in import_problems(code, f"line {line}")]
    assert problems == []


def test_an_import_that_went_stale_is_caught():
    assert import_problems("from duty_tui.reports import ReportSpec, ReportSection\n", "x") == ["x: duty_tui.reports has no ReportSection"]
    assert import_problems("from duty_tui.tui.plugin_screens import RecordListScreen\n", "x")[0].startswith("x: duty_tui.tui.plugin_screens: ")


# -- the hook reference -------------------------------------------------------------------------------


def hook_specs() -> dict[str, list[str]]:
    """Hook name → argument names, from the code."""
    return {name: list(inspect.signature(fn).parameters)
            for name, fn in vars(hookspecs).items() if callable(fn) and hasattr(fn, f"{hookspecs.PROJECT}_spec")}


def documented_signatures(text: str) -> dict[str, list[str]]:
    """Hook name → argument names, from the reference's signature headings."""
    return {m.group(1): [a.strip() for a in m.group(2).split(",") if a.strip()] for m in SIGNATURE.finditer(text)}


def signature_problems(text: str, specs: dict[str, list[str]]) -> list[str]:
    documented = documented_signatures(text)
    problems = [f"{name}{tuple(args)} is not documented" for name, args in specs.items() if name not in documented]
    problems += [f"{name} is documented but is not a hook" for name in documented if name not in specs]
    problems += [f"{name}: the doc says ({', '.join(documented[name])}), hookspecs.py says ({', '.join(args)})"
                 for name, args in specs.items() if name in documented and documented[name] != args]
    return problems


def sections(text: str) -> dict[str, str]:
    """Hook name → the text of its reference section."""
    marks = list(SIGNATURE.finditer(text))
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return {m.group(1): text[m.end():end] for m, end in zip(marks, ends)}


def test_every_hook_is_documented_with_the_signature_it_has():
    assert hook_specs(), "no hooks found in duty_tui.hookspecs"
    assert signature_problems(doc_text(), hook_specs()) == []


def test_a_hook_left_undocumented_or_a_signature_that_drifted_is_caught():
    text = doc_text()
    drifted = text.replace("### `duty_validate(ledger, action, record_type, before, after)`",
                           "### `duty_validate(ledger, action, record_type, after)`")
    assert signature_problems(drifted, hook_specs()) == [
        "duty_validate: the doc says (ledger, action, record_type, after), hookspecs.py says (ledger, action, record_type, before, after)"]
    grown = {**hook_specs(), "duty_register_widgets": ["register"]}
    assert signature_problems(text, grown) == ["duty_register_widgets('register',) is not documented"]
    gone = {k: v for k, v in hook_specs().items() if k != "duty_demo_records"}
    assert signature_problems(text, gone) == ["duty_demo_records is documented but is not a hook"]


@pytest.mark.parametrize("hook", sorted(hook_specs()))
def test_each_hook_says_what_it_is_given_what_it_returns_when_it_is_called_and_shows_an_example(hook):
    section_text = sections(doc_text())[hook]
    for part in ("**Arguments:**", "**Returns:**", "**Called:**"):
        assert part in section_text, f"{hook}: no {part} line"
    examples = PYTHON_BLOCK.findall(section_text)
    assert examples and f"def {hook}(" in examples[0], f"{hook}: no example implementing it"


# -- the Ledger methods a plugin uses ---------------------------------------------------------------

LEDGER_ROW = re.compile(r"^\| `(\w+)\((.*?)\)` \|", re.M)
# what a plugin calls (issue 13): the guide's tables list each of them
PLUGIN_METHODS = {"get", "find", "query", "count", "all", "titles", "title", "names", "referrers", "history", "audit_page",
                  "audit_count", "setting", "settings", "create", "update", "transition", "delete", "create_many", "transaction",
                  "attach", "detach", "files", "read_file", "file_size_limit", "verify_audit", "check_digest", "require", "can"}
# public, but not a plugin's to call: opening and restoring a store, user accounts (the admin CLI), the
# query and filter machinery the methods above use; export_snapshot and backup are named in the prose
NOT_FOR_PLUGINS = {"for_login", "initialise", "restore", "build_query", "ids_titled", "export_snapshot", "backup", "verify_store",
                   "users", "add_user", "set_role", "set_unit", "remove_user"}


def plain_signature(fn) -> str:
    """A method's parameters as the guide writes them: no self, no annotations, no ``_private``."""
    out, star = [], False
    for p in list(inspect.signature(fn).parameters.values())[1:]:
        if p.name.startswith("_"):
            continue
        if p.kind is p.KEYWORD_ONLY and not star:
            out.append("*")
            star = True
        if p.kind is p.VAR_KEYWORD:
            out.append(f"**{p.name}")
        elif p.kind is p.VAR_POSITIONAL:
            out.append(f"*{p.name}")
            star = True
        else:
            out.append(p.name if p.default is p.empty else f"{p.name}={p.default!r}")
    return ", ".join(out)


def ledger_problems(text: str) -> list[str]:
    listed = {m.group(1): m.group(2) for m in LEDGER_ROW.finditer(section(text, "The ledger"))}
    problems = [f"Ledger.{name} is not a method" for name in listed if not callable(getattr(Ledger, name, None))]
    problems += [f"Ledger.{name}({args}): the code says ({plain_signature(getattr(Ledger, name))})"
                 for name, args in listed.items() if callable(getattr(Ledger, name, None)) and args != plain_signature(getattr(Ledger, name))]
    problems += [f"Ledger.{name} is not in the guide's tables" for name in sorted(PLUGIN_METHODS - set(listed))]
    public = {n for n, v in vars(Ledger).items() if not n.startswith("_") and callable(getattr(Ledger, n))}
    problems += [f"Ledger.{name} is new: list it in the guide's tables or in NOT_FOR_PLUGINS"
                 for name in sorted(public - set(listed) - NOT_FOR_PLUGINS)]
    return problems


def test_the_ledger_methods_the_guide_lists_have_the_signatures_they_have():
    assert ledger_problems(doc_text()) == []


def test_a_ledger_method_that_drifted_or_is_new_is_caught(monkeypatch):
    text = doc_text()
    assert ledger_problems(text.replace("| `audit_page(*, record_id=None, before_seq=None, limit=50)` |",
                                        "| `audit_page(record_id=None, limit=50)` |")) == [
        "Ledger.audit_page(record_id=None, limit=50): the code says (*, record_id=None, before_seq=None, limit=50)"]
    monkeypatch.setattr(Ledger, "archive", lambda self, record_id: None, raising=False)
    assert ledger_problems(text) == ["Ledger.archive is new: list it in the guide's tables or in NOT_FOR_PLUGINS"]


# -- the kit ------------------------------------------------------------------------------------------


def kit_fixtures() -> list[str]:
    return sorted(name for name, obj in vars(testing).items()
                  if name.startswith("duty_") and (hasattr(obj, "_fixture_function_marker") or hasattr(obj, "_pytestfixturefunction")))


def test_every_fixture_helper_and_marker_of_the_kit_is_described():
    text = doc_text()
    assert {"duty_store_url", "duty_plugins", "duty_registry", "duty_admin", "duty_ledger_as", "duty_cli", "duty_app"} <= set(kit_fixtures())
    table = set(re.findall(r"^\| `(duty_\w+)` \|", text, re.M))
    assert table == set(kit_fixtures()), "the guide's fixture table lists exactly the kit's fixtures"
    for marker in (testing.MARKER, testing.ONLY_INSTALLED):
        assert f"@pytest.mark.{marker}(" in text
    for helper in ("wait_until", "screen_text", "open_plugin_screen", "type_text", "open_record_list"):
        assert f"`{helper}(" in text and callable(getattr(testing, helper))
    assert "`duty_cli.add(" in text and callable(testing.DutyCli.add)
    for variable in ("DUTY_TEST_BACKEND", "DUTY_TEST_DB", "DUTY_TEST_PG", "DUTY_STRICT_PLUGINS", "DUTY_DISABLE_PLUGINS"):
        assert variable in text


def test_the_guide_covers_what_a_plugin_author_needs():
    headings = re.findall(r"^## (.+)$", doc_text(), re.M)
    assert headings == ["Start here", "A minimal plugin", "Areas", "Record types", "Rules and the year", "Settings", "Validation",
                        "The ledger", "Showing records to a person", "Report sections", "Screens and palette commands",
                        "CLI commands", "Demo records", "When a plugin breaks", "Backends and the contract suite",
                        "Testing with the kit", "Strict mode, blocking and `duty plugins`", "Hook reference"]
    assert "[project.entry-points.duty_tui]" in doc_text()
    assert "not built yet" not in doc_text()


def test_the_built_in_areas_are_as_the_guide_lists_them():
    from duty_tui.registry import load_registry

    rows = re.findall(r"^  \| `(\w+)` \| (\S+) (.+?) \| (\d+) \| (yes|no) \|$", section(doc_text(), "Areas"), re.M)
    registry = load_registry(entry_points=[ep for ep in importlib.metadata.entry_points(group="duty_tui")
                                           if ep.value.startswith(("duty_tui_plugins.", "duty_tui_storage."))])
    built_in = [(a.id, a.label.zh, a.label.en, str(a.order), "yes" if a.scored else "no") for a in registry.area_list()]
    assert rows == built_in


# -- the guide's plugin, written out as the guide shows it -------------------------------------------


def guide_files(text: str) -> dict[str, str]:
    """Path → text of each file of duty_village_archive, in the order the guide gives them."""
    files: dict[str, str] = {}
    for code in blocks_labelled(text, GUIDE_PLUGIN):
        m = FILE_LINE.match(code)
        assert m, f"a {GUIDE_PLUGIN} example starts with the file it belongs to: {code[:60]!r}"
        path, continued = m.group(1), bool(m.group(2))
        if continued:
            assert path in files, f"{path} is continued before the guide gives it"
            files[path] += "\n\n" + code
        else:
            assert path not in files, f"{path} is given twice"
            files[path] = code
    return files


@pytest.fixture
def village_archive(duty_plugins, tmp_path, monkeypatch):
    """The guide's plugin, its files written out under tmp/src and registered for this test."""
    root = tmp_path / "duty-village-archive"
    for path, code in guide_files(doc_text()).items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(code, encoding="utf-8")
    monkeypatch.syspath_prepend(str(root / "src"))
    importlib.invalidate_caches()
    module = importlib.import_module("duty_village_archive")
    duty_plugins.append((GUIDE_PLUGIN, module))
    yield module
    for name in [n for n in sys.modules if n == "duty_village_archive" or n.startswith("duty_village_archive.")]:
        del sys.modules[name]


def test_the_guides_plugin_is_the_files_the_guide_gives():
    assert sorted(guide_files(doc_text())) == ["src/duty_village_archive/__init__.py", "src/duty_village_archive/checks.py",
                                               "src/duty_village_archive/checks_screen.py", "src/duty_village_archive/cli.py",
                                               "src/duty_village_archive/summary_screen.py"]


def test_the_guides_plugin_loads_with_every_hook_the_guide_shows(village_archive, duty_registry):
    info = duty_registry.info(GUIDE_PLUGIN)
    assert info.status == "loaded", info.error
    assert info.hooks == ["duty_cli_commands", "duty_register_areas", "duty_register_commands", "duty_register_reports",
                          "duty_register_rules", "duty_register_screens", "duty_register_settings", "duty_register_types",
                          "duty_validate"]
    area = duty_registry.area(GUIDE_PLUGIN)
    assert area.declared and area.label.zh == "档案管理" and area.plugin == GUIDE_PLUGIN
    assert duty_registry.areas().index("accountability") < duty_registry.areas().index(GUIDE_PLUGIN), "order 60: after the built-in areas"


def test_its_area_shows_by_its_label_in_check_and_types_and_leaves_the_scorecard_by_its_weight(village_archive, duty_cli):
    assert duty_cli("init").exit_code == 0
    zh = duty_cli("--lang", "zh", "check", "--year", "2020", "--rule", "village_archive.check-count")
    assert zh.exit_code == 1 and "档案管理" in zh.stdout and "档案检查 0/2 次" in zh.stdout, zh.stdout
    assert "[Village archives]  plugin village_archive" in duty_cli("types", "archive_check").stdout
    assert "[档案管理]  插件 village_archive" in duty_cli("--lang", "zh", "types", "archive_check").stdout

    def ours():
        return next(a for a in duty_cli("score", "--year", "2020", "--json").json()["checks"]["areas"] if a["area"] == GUIDE_PLUGIN)

    assert (ours()["label"], ours()["weight"]) == ("Village archives", 1)
    assert duty_cli("config", "set", "assessment.weight.village_archive", "0").exit_code == 0
    assert ours()["weight"] == 0


def test_its_rule_follows_the_year_and_its_setting(village_archive, duty_admin):
    duty_admin.create("archive_check", {"title": "一季度档案检查", "date": "2026-03-01"})
    rule = ["village_archive.check-count"]
    assert [f.severity for f in run_rules(duty_admin, 2026, today=dt.date(2026, 6, 1), rule_ids=rule)] == ["warning"]
    assert [f.severity for f in run_rules(duty_admin, 2026, today=dt.date(2027, 1, 1), rule_ids=rule)] == ["error"]
    duty_admin.set_setting("village_archive.checks.min", 1)
    assert run_rules(duty_admin, 2026, today=dt.date(2027, 1, 1), rule_ids=rule) == []


def test_its_validation_takes_one_check_a_day_per_unit(village_archive, duty_admin):
    unit = duty_admin.create("unit", {"name": "文化站", "kind": "department"}).id
    other = duty_admin.create("unit", {"name": "一村", "kind": "village"}).id
    first = duty_admin.create("archive_check", {"title": "档案检查", "date": "2026-03-01", "unit": unit})
    with pytest.raises(ValidationError) as refused:
        duty_admin.create("archive_check", {"title": "又一次", "date": "2026-03-01", "unit": unit})
    assert [(e.field, e.reason.render("en")) for e in refused.value.errors] == [("date", "the unit already has an archive check that day")]
    duty_admin.create("archive_check", {"title": "一村检查", "date": "2026-03-01", "unit": other})
    assert duty_admin.update(first.id, {"title": "档案检查(改)"}).version == 2, "a record is not its own double"


def test_its_ledger_examples_write_all_or_none_keep_what_a_caught_refusal_leaves_and_read_the_audit(
        village_archive, duty_admin, duty_ledger_as):
    from duty_village_archive.checks import add_checks, last_change, record_check_with_minutes

    unit = duty_admin.create("unit", {"name": "文化站", "kind": "department"}).id
    check = record_check_with_minutes(duty_admin, unit, "2026-03-01", b"minutes")
    assert [f.name for f in duty_admin.files(check.id)] == ["minutes.pdf"]
    assert last_change(duty_admin, check.id)[0::2] == ("admin", "evidence.attach")

    duty_admin.set_setting("evidence.max-bytes", 4)
    with pytest.raises(ValidationError):
        record_check_with_minutes(duty_admin, unit, "2026-03-02", b"too long")
    with pytest.raises(NotPermitted):
        record_check_with_minutes(duty_ledger_as("guest", "viewer"), unit, "2026-03-03", b"x")
    assert duty_admin.count("archive_check") == 1, "the check whose minutes were refused went with them"

    refused = add_checks(duty_admin, [{"title": "四月", "date": "2026-04-01"}, {"date": "2026-05-01"}, {"title": "六月", "date": "2026-06-01"}])
    assert [(n, [e.field for e in exc.errors]) for n, exc in refused] == [(2, ["title"])]
    assert sorted(r["title"] for r in duty_admin.all("archive_check")) == ["六月", "四月", "档案检查"]


def test_its_presentation_example_reads_the_filter_language_and_shows_values_as_every_face_does(village_archive, duty_admin):
    from duty_village_archive.checks import find_checks

    unit = duty_admin.create("unit", {"name": "文化站", "kind": "department"}).id
    duty_admin.create("archive_check", {"title": "一季度检查", "date": "2026-03-01", "unit": unit})
    duty_admin.create("archive_check", {"title": "去年检查", "date": "2025-03-01", "unit": unit})
    duty_admin.create("archive_check", {"title": "无单位", "date": "2026-04-01"})
    assert find_checks(duty_admin, "unit:文化站 year:2026", "zh") == ["2026-03-01  一季度检查  文化站"]
    assert find_checks(duty_admin, "unit:", "en") == ["2026-04-01  无单位  "]
    with pytest.raises(ValidationError):
        find_checks(duty_admin, "colour:red", "en")


def test_its_figures_join_its_area_and_its_attachment_comes_after_the_scorecard_in_both_languages(village_archive, duty_cli):
    assert duty_cli("init").exit_code == 0
    unit = duty_cli.add("unit", name="文化站", kind="department")
    duty_cli.add("archive_check", title="一季度检查", date="2026-03-01", unit=unit)
    zh = duty_cli("--lang", "zh", "report", "--year", "2026", "--format", "md")
    assert zh.exit_code == 0, zh.stderr
    headings = [line for line in zh.stdout.splitlines() if line.startswith("## ")]

    def at(title: str) -> int:  # an attachment's place; its number depends on the plugins installed
        [index] = [i for i, h in enumerate(headings) if re.fullmatch(rf"## 附件\d+　{title}", h)]
        return index

    assert at("考核评分表") < at("档案检查情况") < at("问题清单")
    assert "2026年度共检查 1 次。" in zh.stdout and "| 2026-03-01 | 一季度检查 | 文化站 |" in zh.stdout
    area = re.split(r"### （[一二三四五六七八九十]+）档案管理\n", zh.stdout)[1].split("##")[0]
    assert area.strip() == "开展村级档案检查1次。", "the area's paragraph in 二、主要做法和成效, by its label"
    assert duty_cli("config", "set", "org.lang", "en").exit_code == 0  # documents are in the store's language
    en = duty_cli("report", "--year", "2026", "--format", "md")
    assert re.search(r"^## Attachment \d+: Archive checks$", en.stdout, re.M) and "1 check in 2026." in en.stdout
    assert "1 village archive check." in en.stdout
    half = duty_cli("report", "--period", "2026H2", "--format", "md")
    assert "0 checks in the second half of 2026." in half.stdout


def test_its_cli_command_lists_a_years_checks_as_text_and_json(village_archive, duty_cli):
    assert duty_cli("init").exit_code == 0
    unit = duty_cli.add("unit", name="文化站", kind="department")
    duty_cli.add("archive_check", title="一季度检查", date="2026-03-01", unit=unit)
    listed = duty_cli("archive-checks", "--year", "2026", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert [(c["id"], c["date"], c["unit"]) for c in listed.json()] == [("archive_check-1", "2026-03-01", unit)]
    assert duty_cli("--lang", "zh", "archive-checks", "--year", "2026").stdout == "2026-03-01  一季度检查  文化站\n"
    assert duty_cli("--lang", "zh", "archive-checks", "--year", "2020").stdout == "没有档案检查\n"


@pytest.fixture
def checked(village_archive, duty_admin):
    unit = duty_admin.create("unit", {"name": "文化站", "kind": "department"}).id
    return duty_admin.create("archive_check", {"title": "一季度检查", "date": "2026-03-01", "unit": unit})


async def test_its_record_list_screen_follows_the_year_and_the_language_and_opens_a_check(checked, duty_app):
    async with duty_app(size=(100, 30), year=2026, today=dt.date(2026, 6, 30)) as pilot:
        app = pilot.app
        screen = await open_plugin_screen(pilot, "village_archive.checks")
        await wait_until(pilot, lambda: "Archive checks · 2026" in screen_text(app) and "1 check(s)" in screen_text(app), "the checks")
        assert "一季度检查  文化站" in screen_text(app) and "Open the check" in screen_text(app), screen_text(app)
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: "Archive checks · 2027" in screen_text(app) and "0 check(s)" in screen_text(app), "the next year")
        await pilot.press("f2")
        await wait_until(pilot, lambda: "档案检查 · 2027年" in screen_text(app), "the screen in Chinese")
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: "共 1 次" in screen_text(app) and "打开检查记录" in screen_text(app), "back in 2026")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is not screen and checked.id in screen_text(app), "the check's record")


async def test_its_own_screen_follows_the_year_and_the_language(checked, duty_app):
    async with duty_app(size=(100, 30), year=2026, today=dt.date(2026, 6, 30), lang="zh") as pilot:
        app = pilot.app
        await open_plugin_screen(pilot, "village_archive.summary")
        await wait_until(pilot, lambda: "2026年共检查档案 1 次" in screen_text(app), "the summary")
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: "2027年共检查档案 0 次" in screen_text(app), "the next year")
        await pilot.press("f2")
        await wait_until(pilot, lambda: "0 archive check(s) in 2027" in screen_text(app), "the summary in English")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "archive check(s)" not in screen_text(app), "back")


async def test_its_screens_key_is_rebound_by_its_id(checked, duty_app):
    async with duty_app(size=(100, 30), year=2026, today=dt.date(2026, 6, 30), keymap={"village_archive.checks.open": "o"}) as pilot:
        app = pilot.app
        screen = await open_plugin_screen(pilot, "village_archive.checks")
        await wait_until(pilot, lambda: "1 check(s)" in screen_text(app), "the checks")
        await pilot.press("o")
        await wait_until(pilot, lambda: app.screen is not screen and checked.id in screen_text(app), "the check's record, on o")


# -- the stand-alone examples --------------------------------------------------------------------------


def review_meeting_plugin():
    """The Record types, Rules and Settings sections' examples, run in one namespace."""
    namespace: dict = {"__name__": "guide_review_meeting"}
    for code in blocks_labelled(doc_text(), "review meeting"):
        exec(compile(code, "docs/plugins.md (review meeting)", "exec"), namespace)
    return types.SimpleNamespace(
        duty_register_types=hookimpl(lambda register: register(namespace["REVIEW_MEETING"])),
        duty_register_rules=hookimpl(lambda register: register(namespace["RULE"])),
        duty_register_settings=hookimpl(lambda register: register(namespace["DUE_MONTH"])),
    )


@pytest.fixture
def review_meetings(duty_plugins):
    duty_plugins.append(("review_meetings", review_meeting_plugin()))


def test_the_review_meeting_examples_type_rule_and_setting(review_meetings, duty_admin):
    host = duty_admin.create("person", {"name": "李娜"}).id
    meeting = duty_admin.create("review_meeting", {"title": "报刊审读", "date": "2026-04-10", "kind": "报刊", "host": host})
    assert (meeting.state, meeting["kind"], meeting["ideology"]) == ("draft", "print", False)
    rule = ["positions.review-held"]
    assert [f.severity for f in run_rules(duty_admin, 2026, today=dt.date(2026, 6, 30), rule_ids=rule)] == ["warning"]
    assert [f.severity for f in run_rules(duty_admin, 2026, today=dt.date(2027, 1, 2), rule_ids=rule)] == ["error"]
    duty_admin.set_setting("positions.review.due_month", 5)
    assert [f.severity for f in run_rules(duty_admin, 2026, today=dt.date(2026, 6, 30), rule_ids=rule)] == ["error"]
    with pytest.raises(ValidationError):
        duty_admin.set_setting("positions.review.due_month", 13)
    with pytest.raises(ValidationError) as guarded:
        duty_admin.transition(meeting.id, "held")
    assert guarded.value.errors[0].reason.render("en") == "minutes are needed"
    duty_admin.update(meeting.id, {"minutes": "审读了三期报刊"})
    assert duty_admin.transition(meeting.id, "hold").state == "held"
    assert run_rules(duty_admin, 2026, today=dt.date(2027, 1, 2), rule_ids=rule) == []
