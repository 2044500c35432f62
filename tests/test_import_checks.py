"""Import is a write like any other: every malformed export in tests/data/malformed_exports/
(made by make.py there, from a valid export of a small store) is refused with exit 2, a message
naming the problem by its path in the file, no traceback, and nothing written, on every
backend. The valid export it was made from imports, verifies and exports again unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duty_tui.kit.testing import BACKENDS

CORPUS = Path(__file__).parent / "data" / "malformed_exports"
EXPECTED: dict[str, list[str]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def assert_empty(duty_store_url: str) -> None:
    """Nothing was written: no users, no records, no counters, no settings, no audit."""
    from duty_tui.registry import load_registry
    from duty_tui.store import open_store

    store = open_store(duty_store_url, load_registry())
    try:
        with store.read() as r:
            assert r.users() == []
            assert r.audit_head()[0] == 0
            assert not any(r.type_counts().values())
            assert r.settings() == {} and not any(r.counters().values())
    finally:
        store.close()


def test_the_corpus_has_each_kind():
    assert len(EXPECTED) >= 40
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.glob("[0-9]*.json"))


@pytest.mark.parametrize("duty_store_url", BACKENDS, indirect=True)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_malformed_export_is_refused_naming_the_problem(duty_cli, duty_store_url, name):
    refused = duty_cli("import", str(CORPUS / name), login="root")
    assert refused.exit_code == 2, (refused.stdout, refused.stderr)
    assert "nothing written" in refused.stderr and "Traceback" not in refused.stderr
    for text in EXPECTED[name]:
        assert text in refused.stderr, refused.stderr
    assert "\x1b" not in refused.stderr and "\u202e" not in refused.stderr  # the file's controls are shown escaped
    assert_empty(duty_store_url)


@pytest.mark.parametrize("duty_store_url", BACKENDS, indirect=True)
def test_the_valid_export_imports_and_exports_again_unchanged(duty_cli, duty_store_url, tmp_path):
    imported = duty_cli("import", str(CORPUS / "valid.json"), login="root")
    assert imported.exit_code == 0, imported.stderr
    assert duty_cli("audit", "--verify", login="root").exit_code == 0
    again = tmp_path / "again.json"
    assert duty_cli("export", str(again), login="root").exit_code == 0
    original = json.loads((CORPUS / "valid.json").read_text(encoding="utf-8"))
    copy = json.loads(again.read_text(encoding="utf-8"))
    for key in ("records", "users", "settings", "counters", "blobs"):
        assert copy[key] == original[key], key
    assert copy["audit"][:-1] == original["audit"] and copy["audit"][-1]["action"] == "import"


def test_refused_in_chinese_too(duty_cli, monkeypatch):
    monkeypatch.setenv("DUTY_LANG", "zh")
    refused = duty_cli("import", str(CORPUS / next(n for n in EXPECTED if n.endswith("-version-x.json"))), login="root")
    assert refused.exit_code == 2
    assert "records[0].version: 应为不小于 1 的整数" in refused.stderr


def test_every_problem_is_named_at_once(duty_cli, tmp_path):
    doc = json.loads((CORPUS / "valid.json").read_text(encoding="utf-8"))
    doc["records"][0]["version"] = "x"
    doc["records"][1]["data"]["unit"] = "unit-99"
    doc["users"][1]["name"] = "\x1b]0;pwned\x07"
    doc["counters"]["unit"] = "x"
    doc["settings"]["nope.nope"] = 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    refused = duty_cli("import", str(bad), login="root")
    assert refused.exit_code == 2
    for where in ("records[0].version", "records[1].data.unit", "users[1].name", "counters.unit", "settings.nope.nope"):
        assert f"  {where}: " in refused.stderr
    assert "\\x1b]0;pwned\\x07" in refused.stderr  # shown escaped, never raw


def test_an_unreadable_file_is_named(duty_cli, tmp_path):
    folderless = tmp_path / "secret.json"
    folderless.write_bytes(b"{}")
    folderless.chmod(0)
    import os

    if os.access(folderless, os.R_OK):
        pytest.skip("running as a user who reads any file (root)")
    refused = duty_cli("import", str(folderless), login="root")
    assert refused.exit_code == 2 and "cannot read" in refused.stderr


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, path + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _paths(child, path + (i,))


ODD_VALUES = [None, "", "x", 0, -1, 1.5, True, False, [], {}, "\x1b[2J", "\u202e", 10**30, -(10**30), "person-1", "unit-99",
              "2026-02-30", "2026-03-01T08:00:00.000Z", "root", [None], {"a": 1}, "a" * 5000, 1e308]


def test_no_mutation_of_a_valid_export_ends_in_anything_but_a_refusal(duty_registry):
    """Seeded random changes (a value replaced, a key removed or added, bytes flipped or cut):
    each is either refused as a ValidationError naming it, or (a change that changes nothing)
    taken; never another exception."""
    import random

    from duty_tui.errors import ValidationError
    from duty_tui.exchange import _read, check_export

    raw = (CORPUS / "valid.json").read_bytes()
    valid = json.loads(raw)
    paths = [p for p in _paths(valid) if p]
    rng = random.Random(16)
    for n in range(400):
        doc = json.loads(raw)
        if n % 4 == 3:  # bytes: flipped or cut
            data = bytearray(raw)
            for _ in range(rng.randint(1, 3)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            source = bytes(data[: rng.randrange(len(data))] if rng.random() < 0.3 else data)
        else:
            for _ in range(rng.randint(1, 2)):
                path = rng.choice(paths)
                parent = doc
                try:
                    for key in path[:-1]:
                        parent = parent[key]
                    if rng.random() < 0.2 and isinstance(parent, dict):
                        parent.pop(path[-1], None)
                    elif rng.random() < 0.1 and isinstance(parent, dict):
                        parent["zz_extra"] = rng.choice(ODD_VALUES)
                    else:
                        parent[path[-1]] = rng.choice(ODD_VALUES)
                except (KeyError, IndexError, TypeError):
                    continue  # an earlier change removed the way there
            source = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        try:
            found, problems = _read(source)
            check_export(found, duty_registry, problems)
        except ValidationError as exc:
            assert exc.errors and all(e.field and e.reason.render("en") for e in exc.errors)


# -- the plugins' own checks (duty_validate), as a write makes them ------------------------------------


@pytest.mark.parametrize("duty_store_url", BACKENDS, indirect=True)
def test_the_demo_towns_export_passes_the_plugins_checks_and_imports(duty_cli, duty_store_url, tmp_path):
    """What the demo wrote through the ledger, each write checked, imports again with every
    plugin's check made on every record (the corpus' plugin-* files are what those checks refuse)."""
    demo = f"sqlite:///{tmp_path / 'demo.db'}"
    assert duty_cli("--db", demo, "demo", "--no-tui").exit_code == 0
    file = tmp_path / "demo.json"
    exported = duty_cli("--db", demo, "export", str(file))
    assert exported.exit_code == 0, exported.stderr
    imported = duty_cli("import", str(file))
    assert imported.exit_code == 0, imported.stderr
    assert "imported" in imported.stdout and duty_cli("audit", "--verify").exit_code == 0


def test_a_plugins_check_refuses_in_chinese_too(duty_cli, monkeypatch, duty_store_url):
    monkeypatch.setenv("DUTY_LANG", "zh")
    refused = duty_cli("import", str(CORPUS / next(n for n in EXPECTED if n.endswith("-plugin-person-named-twice-on-a-case.json"))),
                       login="root")
    assert refused.exit_code == 2
    assert "records[4].data.person: case_party-1（责任人）：person-1 已是该案件的责任人（case_party-2）" in refused.stderr
    assert "records[5].data.person: case_party-2（责任人）：person-1 已是该案件的责任人（case_party-1）" in refused.stderr
    assert_empty(duty_store_url)


def brittle_validate(record_type, action, before, after):
    if record_type.name == "event" and action == "update" and before is not None and before == {k: v for k, v in after.items() if k != "id"}:
        raise KeyError("approver")  # asked about an import's record, it breaks
    return []


def test_a_plugin_whose_check_breaks_refuses_the_import_naming_it(duty_plugins, duty_cli, duty_store_url):
    import types

    from duty_tui.hookspecs import hookimpl

    duty_plugins.append(("brittle", types.SimpleNamespace(duty_validate=hookimpl(brittle_validate))))
    refused = duty_cli("import", str(CORPUS / "valid.json"), login="root")
    assert refused.exit_code == 2 and "Traceback" not in refused.stderr
    assert "invalid input, nothing written: 1 problem(s)" in refused.stderr
    assert "].data" not in refused.stderr and ": event-1 (Event): plugin brittle's validation failed: KeyError: 'approver'" in refused.stderr
    assert_empty(duty_store_url)
