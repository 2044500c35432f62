"""bench/county.py at a toy size on SQLite (issue 19): it builds a county, runs every step but the
TUI's and reports figures from which a lost update would show; and its lost-update check finds
an acknowledged write the audit does not hold. The figures themselves are bench/README.md's."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_county():
    spec = importlib.util.spec_from_file_location("bench_county", ROOT / "bench" / "county.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_county_bench_runs_at_a_toy_size(tmp_path):
    argv = [sys.executable, str(ROOT / "bench" / "county.py"), "--store", "sqlite", "--towns", "2", "--per-town", "300",
            "--scoped-records", "1000", "--writers", "3", "--seconds", "1", "--runs", "1", "--samples", "3", "--skip-tui",
            "--no-readme", "--folder", str(tmp_path)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "lost updates (acknowledged, not in the audit)" in done.stdout, done.stdout
    found = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    built, results = found["built"], found["results"]
    assert built["records"] == 600
    assert results["check"]["towns"] == 2 and results["check"]["exit"] in (0, 1)
    assert len(results["check"]["warm_computed"]) == 1, "warm: the one town changed is computed again, the other kept"
    assert results["bundle"]["records"] == 300  # the town's own store, exported and imported whole
    assert results["scoped_records"] >= 1000
    pages = results["scoped"]["cases"]
    assert pages["events of the year, first page"]["rows"] > 0  # the village clerk sees their village's events
    assert pages["events of the year, first page"]["rows"] < results["scoped"]["events_in_store"]  # and not the others'
    writers = results["writers"]
    assert writers["writers"] == 3 and writers["acked"] > 0
    assert (writers["lost"], writers["gaps"], writers["unacked"], writers["chain_ok"]) == (0, 0, 0, True), writers


def test_the_lost_update_check_finds_a_write_the_audit_does_not_hold(tmp_path):
    county = bench_county()
    url = f"sqlite:///{tmp_path / 'county.db'}"
    ledger, _ = county.initialise(url)
    unit = ledger.create("unit", {"name": "甲镇党委", "kind": "committee"})
    first = ledger.update(unit.id, {"notes": "w00#1"}, expected_version=1)
    ledger.store.close()
    held = [(unit.id, first.version, "w00#1", 1.0)]
    assert county.lost_updates(url, held, 0, {"w00"})["lost"] == 0
    claimed = held + [(unit.id, first.version + 1, "w00#2", 1.0)]  # acknowledged, never written
    found = county.lost_updates(url, claimed, 0, {"w00"})
    assert (found["lost"], found["lost_examples"]) == (1, [(unit.id, first.version + 1)])
