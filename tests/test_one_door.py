"""The ledger is the one door: outside the ledger and the storage backends, nothing reaches for
the ledger's private transaction and audit machinery, and nothing reads or writes the store
around it (a face that did would skip the permission check, the validation or the audit entry).

Allowed: src/duty_tui/ledger.py itself, storage/ (the backends), and the kits (the backend
contract suite tests stores directly). Everything else goes through public Ledger methods:
``transaction()``, ``audit_page()``, ``attach()``, ``export_snapshot()``, ``Ledger.restore()``...
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = [ROOT / "src", ROOT / "plugins", ROOT / "examples"]
ALLOWED = {
    "src/duty_tui/ledger.py",
    "src/duty_tui/contract.py",  # the kits' documented import names
    "src/duty_tui/testing.py",
}
ALLOWED_DIRS = ("src/duty_tui/kit/",)

# the ledger's insides: its write and read transactions, the open store transaction, sealing
PRIVATE = {"_writing", "_reading", "_audit", "_seal", "_tx", "_load_for_write"}
# a Store's own transactions, reached as ``<x>.store.read()`` or ``store.write()``
STORE_CALLS = {"read", "write"}


def _is_store(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "store") or (isinstance(node, ast.Name) and node.id == "store")


def violations_in(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.Attribute) and node.attr in PRIVATE:
            found.append((node.lineno, f"{name}:{node.lineno}: .{node.attr} is the ledger's own; use a public Ledger method"))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STORE_CALLS
              and _is_store(node.func.value)):
            found.append((node.lineno, f"{name}:{node.lineno}: store.{node.func.attr}() goes around the ledger; use a public Ledger method"))
    return [text for _, text in sorted(found)]


def scan() -> list[str]:
    found = []
    for top in SCANNED:
        for path in sorted(top.rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in ALLOWED or name.startswith(ALLOWED_DIRS):
                continue
            found += violations_in(path.read_text(encoding="utf-8"), name)
    return found


def test_nothing_outside_the_ledger_and_storage_goes_around_it():
    found = scan()
    assert not found, "the ledger is the one door:\n" + "\n".join(found)


def test_the_guard_sees_what_it_forbids():
    code = """
with ledger._writing() as w:
    ledger._audit(w, "x", "y", None, None)
with ledger._reading() as r:
    pass
if ledger._tx is None:
    pass
with self.ledger.store.read() as r:
    pass
with env.store.write() as w:
    pass
with store.read() as r:
    pass
"""
    assert [line.split(":")[1] for line in violations_in(code, "x.py")] == ["2", "3", "4", "6", "8", "10", "12"]
    fine = """
with ledger.transaction():
    ledger.create("unit", {})
page = ledger.audit_page(limit=5)
url = ledger.store.url
text = path.read()
"""
    assert violations_in(fine, "ok.py") == []
