"""The layers hold: the import-linter contracts in pyproject.toml are all kept, every module of the
core is placed in them, and the core loads without Textual, click, python-docx or openpyxl
(harlequin's lesson: Textual types in a plugin API make every Textual release break plugins;
and the office libraries are imported only when a report is written)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
CONTRACTS = {c["id"]: c for c in CONFIG["contracts"]}
# The core is what the contract "core-no-faces" lists; the rest of duty_tui is one of these.
FACES = {"tui", "cli", "login"}
KITS = {"kit", "testing", "contract", "scaffold"}
ENTRY = {"__main__"}


def core() -> set[str]:
    return {m.split(".", 1)[1] for m in CONTRACTS["core-no-faces"]["source_modules"]}


def top_level_modules() -> set[str]:
    src = ROOT / "src" / "duty_tui"
    return ({p.stem for p in src.glob("*.py") if p.stem != "__init__"}
            | {p.name for p in src.iterdir() if (p / "__init__.py").is_file()})


def test_every_module_of_duty_tui_is_placed_in_the_contracts():
    """A new module must be given its place (in the core lists and a layer, or as a face or kit)
    before the contracts can say anything about it."""
    unplaced = top_level_modules() - core() - FACES - KITS - ENTRY
    assert not unplaced, (f"place {sorted(unplaced)} in pyproject.toml's [tool.importlinter] contracts: the core's lists "
                          "(no-ui-libraries, office-files, core-no-faces) and a layer of 'layers'")
    gone = core() - top_level_modules()
    assert not gone, f"the contracts name modules that no longer exist: {sorted(gone)}"
    no_ui = {m.split(".", 1)[1] for m in CONTRACTS["no-ui-libraries"]["source_modules"] if m.startswith("duty_tui.")}
    office = {m.split(".", 1)[1] for m in CONTRACTS["office-files"]["source_modules"] if m.startswith("duty_tui.")}
    assert no_ui == core()
    assert office == core() - {"reports"}
    layered = [m.strip().split(".", 1)[1] for layer in CONTRACTS["layers"]["layers"] for m in re.split(r"[|:]", layer)]
    assert sorted(layered) == sorted(core() | FACES), "every module of the core and every face is in exactly one layer"


def test_the_core_loads_without_textual_click_or_the_office_libraries():
    modules = [f"duty_tui.{m}" for m in sorted(core())] + ["duty_tui_storage.sql", "duty_tui_storage.sqlite", "duty_tui_storage.tinydb"]
    code = ("import importlib, pkgutil, sys\n"
            f"for name in {modules!r}:\n"
            "    module = importlib.import_module(name)\n"
            "    for sub in pkgutil.walk_packages(getattr(module, '__path__', []), name + '.'):\n"
            "        importlib.import_module(sub.name)\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'click', 'docx', 'openpyxl'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_import_linter_contracts_hold():
    """``lint-imports`` itself, run by this interpreter (so it works from a fresh clone's
    environment whether or not its scripts are on PATH); on failure the broken import chains."""
    run = ("import sys; from importlinter.cli import lint_imports_command; "
           "sys.argv = ['lint-imports', *sys.argv[1:]]; lint_imports_command()")
    result = subprocess.run([sys.executable, "-c", run, "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    report = result.stdout + result.stderr
    summary = re.search(r"Contracts: (\d+) kept, (\d+) broken", report)
    assert result.returncode == 0 and summary is not None, "import-linter contracts broken:\n" + report
    kept, broken = map(int, summary.groups())
    assert broken == 0, report
    assert kept == len(CONFIG["contracts"]) >= 6, report
