"""The schema, ledger, rules, store and plugin API never import Textual (harlequin's lesson:
Textual types in a plugin API make every Textual release break plugins)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ["duty_tui.schema", "duty_tui.ledger", "duty_tui.rules", "duty_tui.hookspecs", "duty_tui.plugins",
        "duty_tui.registry", "duty_tui.store", "duty_tui.audit", "duty_tui.identity", "duty_tui.exchange",
        "duty_tui.settings", "duty_tui_storage.sql"]


def test_core_modules_load_without_textual():
    code = "import sys\n" + "".join(f"import {m}\n" for m in CORE) + "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_import_linter_contracts_hold():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([lint, str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout
