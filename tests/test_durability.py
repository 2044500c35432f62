"""Every committed write survives crashes and concurrent writers, on every backend.

Operators share one store from several SSH sessions at once and links drop: a killed process
must never lose an acknowledged write or leave the store unopenable, and concurrent edits must
each either land or be refused as a conflict.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from duty_tui.errors import DutyError
from duty_tui.ledger import Ledger
from duty_tui.registry import load_registry
from duty_tui.store import open_store
from duty_tui.testing import store_url_for

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ["sqlite", "tinydb", "postgresql"]


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    yield from store_url_for(request.param, tmp_path)


def fresh(url: str) -> Ledger:
    registry = load_registry()
    return Ledger.initialise(open_store(url, registry), registry, "admin")


def reopen(url: str) -> Ledger:
    registry = load_registry()
    return Ledger.for_login(open_store(url, registry), registry, "admin")


def worker(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.workers", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def test_four_processes_editing_overlapping_records(store_url):
    ledger = fresh(store_url)
    targets = [ledger.create("unit", {"name": f"村{i}", "kind": "village"}).id for i in range(5)]
    ledger.store.close()

    procs = [worker("edit", store_url, str(w), "100", ",".join(targets), str(1000 + w)) for w in range(4)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))

    assert [r["other"] for r in results] == [[], [], [], []]
    acked = [tuple(a) for r in results for a in r["acked"]]
    assert len(acked) + sum(r["refused"] for r in results) == 400
    assert acked, "no edit got through at all"

    check = reopen(store_url)
    # every acknowledged edit is in the history with the version it was given, none twice
    history = {(e.record_id, json.loads(e.after)["version"]): json.loads(e.after)["notes"]
               for e in check.history() if e.action == "update"}
    for record_id, version, note in acked:
        assert history[(record_id, version)] == note
    assert len({(r, v) for r, v, _ in acked}) == len(acked)
    # each record holds its last acknowledged edit
    for record_id in targets:
        mine = [a for a in acked if a[0] == record_id]
        if mine:
            last = max(mine, key=lambda a: a[1])
            current = check.get(record_id)
            assert (current.version, current.data["notes"]) == (last[1], last[2])
    created = [c for r in results for c in r["created"]]
    assert len(created) == len(set(created))
    assert {c for c in created} <= {u.id for u in check.all("unit")}
    assert check.verify_audit().ok
    check.store.close()


def test_killed_writers_lose_no_acknowledged_write(store_url):
    fresh(store_url).store.close()
    acknowledged: dict[str, int] = {}
    for round_ in range(8):
        proc = worker("create-forever", store_url)
        lines = 0
        deadline = time.monotonic() + 60
        stop_after = 3 + round_ * 4
        while lines < stop_after and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            record_id, version = line.split()
            acknowledged[record_id] = int(version)
            lines += 1
        proc.send_signal(signal.SIGKILL)
        rest, err = proc.communicate(timeout=30)
        for line in rest.splitlines():  # written before the kill landed
            record_id, version = line.split()
            acknowledged[record_id] = int(version)
        assert lines == stop_after, err

        ledger = reopen(store_url)  # the store always opens
        present = {u.id: u.version for u in ledger.all("unit")}
        for record_id, version in acknowledged.items():
            assert present.get(record_id, 0) >= version, f"round {round_}: {record_id} v{version} lost"
        assert ledger.verify_audit().ok
        ledger.store.close()


class FailingConn:
    """A connection whose Nth statement fails, as a full disk or a dropped server would."""

    def __init__(self, inner, countdown):
        self.inner, self.countdown = inner, countdown

    def _tick(self):
        self.countdown[0] -= 1
        if self.countdown[0] == 0:
            raise OSError("injected fault")

    def rows(self, *a):
        self._tick()
        return self.inner.rows(*a)

    def stream(self, *a):
        self._tick()
        return self.inner.stream(*a)

    def run(self, *a):
        self._tick()
        return self.inner.run(*a)

    def run_many(self, *a):
        self._tick()
        return self.inner.run_many(*a)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_fault_at_any_statement_is_an_error_and_nothing_is_half_written(backend, tmp_path, monkeypatch):
    from duty_tui_storage import sql

    for url in store_url_for(backend, tmp_path):
        ledger = fresh(url)
        ledger.create("unit", {"name": "一村", "kind": "village"})
        ledger.create("person", {"name": "刘明宇", "unit": "unit-1"})
        real_init = sql.SqlSession.__init__
        countdown = [0]

        def failing_init(self, conn, *rest):
            real_init(self, FailingConn(conn, countdown), *rest)

        monkeypatch.setattr(sql.SqlSession, "__init__", failing_init)
        succeeded_at = None
        for n in range(1, 21):
            before = {r.id: r.version for r in ledger.all("person")}, ledger.history()[-1].seq
            countdown[0] = n
            try:
                ledger.update("person-1", {"post": f"书记{n}"}, expected_version=ledger.get("person-1").version)
                ledger.create("person", {"name": f"新人{n}", "unit": "unit-1"})
            except (OSError, DutyError):
                countdown[0] = 0
                after = {r.id: r.version for r in ledger.all("person")}, ledger.history()[-1].seq
                # a failed write changed nothing that a half-done write would show
                assert after[1] - before[1] in (0, 1)
                assert (after[1] - before[1] == 1) == (after[0] != before[0] and len(after[0]) == len(before[0]))
            else:
                succeeded_at = n
                break
        monkeypatch.setattr(sql.SqlSession, "__init__", real_init)
        assert succeeded_at is not None and succeeded_at > 1
        ledger.store.close()
        again = reopen(url)
        assert again.verify_audit().ok
        people = again.all("person")
        assert len(people) == 2 and people[-1].data["name"] == f"新人{succeeded_at}"
        again.store.close()
