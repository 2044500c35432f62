"""docs/plugins.md keeps up with the code (as datasette's tests/test_docs.py does): every hook in
duty_tui.hookspecs is documented with the signature it has, what it is given, what it returns,
when it is called and an example; every fixture and marker of the test kit is described; and the
minimal plugin the guide shows loads and does what the guide says."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import types
from pathlib import Path

import pytest

from duty_tui import hookspecs, testing

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "plugins.md"
SIGNATURE = re.compile(r"^### `(duty_\w+)\((.*)\)`\s*$", re.M)
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


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


def block_after_marker(text: str, label: str) -> str:
    """The python block right after the ``<!-- tested: LABEL ...-->`` comment."""
    start = text.index(f"<!-- tested: {label}")
    return PYTHON_BLOCK.search(text, start).group(1)


# -- the hook reference -------------------------------------------------------------------------------


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
    section = sections(doc_text())[hook]
    for part in ("**Arguments:**", "**Returns:**", "**Called:**"):
        assert part in section, f"{hook}: no {part} line"
    examples = PYTHON_BLOCK.findall(section)
    assert examples and f"def {hook}(" in examples[0], f"{hook}: no example implementing it"


def test_every_python_example_in_the_guide_is_valid_python():
    for number, block in enumerate(PYTHON_BLOCK.findall(doc_text()), start=1):
        compile(block, f"docs/plugins.md python block {number}", "exec")


# -- the guide's own examples and the kit ------------------------------------------------------------


def test_the_minimal_plugin_loads_and_its_rule_follows_the_year(tmp_path):
    from duty_tui.ledger import Ledger
    from duty_tui.registry import load_registry
    from duty_tui.rules import run_rules
    from duty_tui.store import open_store

    module = types.ModuleType("duty_village_archive")
    exec(compile(block_after_marker(doc_text(), "the minimal plugin"), "docs/plugins.md", "exec"), module.__dict__)
    registry = load_registry(extra=[("village_archive", module)])
    assert registry.info("village_archive").status == "loaded", registry.info("village_archive").error
    ledger = Ledger.initialise(open_store(f"sqlite:///{tmp_path / 'duty.db'}", registry), registry, "admin")
    ledger.create("archive_check", {"title": "一季度档案检查", "date": "2026-03-01"})
    rule = ["village_archive.check-count"]
    assert [f.severity for f in run_rules(ledger, 2026, today=dt.date(2026, 6, 1), rule_ids=rule)] == ["warning"]
    assert [f.severity for f in run_rules(ledger, 2026, today=dt.date(2027, 1, 1), rule_ids=rule)] == ["error"]
    ledger.set_setting("village_archive.checks.min", 1)
    assert run_rules(ledger, 2026, today=dt.date(2027, 1, 1), rule_ids=rule) == []
    ledger.store.close()


def kit_fixtures() -> list[str]:
    return sorted(name for name, obj in vars(testing).items()
                  if name.startswith("duty_") and (hasattr(obj, "_fixture_function_marker") or hasattr(obj, "_pytestfixturefunction")))


def test_every_fixture_and_marker_of_the_kit_is_described():
    text = doc_text()
    assert {"duty_store_url", "duty_plugins", "duty_registry", "duty_admin", "duty_ledger_as", "duty_cli", "duty_app"} <= set(kit_fixtures())
    table = set(re.findall(r"^\| `(duty_\w+)` \|", text, re.M))
    assert table == set(kit_fixtures()), "the guide's fixture table lists exactly the kit's fixtures"
    for marker in (testing.MARKER, testing.ONLY_INSTALLED):
        assert f"@pytest.mark.{marker}(" in text
    for helper in ("wait_until", "screen_text", "open_plugin_screen"):
        assert f"`{helper}(" in text and callable(getattr(testing, helper))
    for variable in ("DUTY_TEST_BACKEND", "DUTY_TEST_DB", "DUTY_TEST_PG", "DUTY_STRICT_PLUGINS", "DUTY_DISABLE_PLUGINS"):
        assert variable in text


def test_the_guide_covers_what_a_plugin_author_needs():
    headings = re.findall(r"^## (.+)$", doc_text(), re.M)
    assert headings == ["Start here", "A minimal plugin", "Record types", "Rules and the year", "Settings", "Validation",
                        "Screens and palette commands", "CLI commands", "Demo records", "Backends and the contract suite",
                        "Testing with the kit", "Strict mode, blocking and `duty plugins`", "Hook reference"]
    assert "[project.entry-points.duty_tui]" in doc_text()
