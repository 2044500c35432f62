"""Processes the durability tests start: each opens the store on its own, as an operator's
session does, and reports what the store acknowledged."""

from __future__ import annotations

import json
import random
import sys

from duty_tui.errors import Conflict, DutyError
from duty_tui.ledger import Ledger
from duty_tui.registry import load_registry
from duty_tui.store import open_store


def open_ledger(url: str, login: str = "admin") -> Ledger:
    registry = load_registry()
    return Ledger.for_login(open_store(url, registry), registry, login)


def edit_overlapping(url: str, worker: int, edits: int, targets: list[str], seed: int) -> dict:
    """Edit random records of ``targets`` ``edits`` times, each against the version just read;
    also create a record now and then. Returns what was acknowledged and what was refused."""
    rng = random.Random(seed)
    ledger = open_ledger(url)
    acked, refused, created, other = [], 0, [], []
    for i in range(edits):
        record_id = rng.choice(targets)
        try:
            current = ledger.get(record_id)
            note = f"w{worker}-e{i}"
            after = ledger.update(record_id, {"notes": note}, expected_version=current.version)
            acked.append([record_id, after.version, note])
            if i % 10 == 0:
                created.append(ledger.create("unit", {"name": f"w{worker}-{i}", "kind": "other"}).id)
        except Conflict:
            refused += 1
        except DutyError as exc:  # anything else is a bug the test reports
            other.append(f"{type(exc).__name__}: {exc}")
    ledger.store.close()
    return {"acked": acked, "refused": refused, "created": created, "other": other}


def create_forever(url: str) -> None:
    """Create records until killed, printing each acknowledged id (after its commit returned)."""
    ledger = open_ledger(url)
    i = 0
    while True:
        record = ledger.create("unit", {"name": f"崩溃测试{i}", "kind": "other", "notes": "x" * (i % 500)})
        if i % 3 == 0:
            ledger.update(record.id, {"notes": "edited"}, expected_version=1)
            print(f"{record.id} 2", flush=True)
        else:
            print(f"{record.id} 1", flush=True)
        i += 1


if __name__ == "__main__":
    if sys.argv[1] == "create-forever":
        create_forever(sys.argv[2])
    else:
        print(json.dumps(edit_overlapping(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5].split(","), int(sys.argv[6]))))
