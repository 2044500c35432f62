"""Lossless export and import: the whole store, audit included, all or nothing."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def town(cli, with_sample):
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1", "post=党委书记")
    cli("add", "person", "name=余永福", "unit=unit-1", "post=宣传委员")
    cli("add", "meeting", "title=中心组学习", "date=2026-03-01", "attendees=person-1,person-2", "tags=study")
    cli("edit", "person-2", "phone=123")
    cli("add", "unit", "name=临时", "kind=other")
    cli("delete", "unit-2")
    cli("users", "add", "clerk1", "--role", "clerk", "--person", "person-2")
    cli("config", "set", "sample.meetings.min", "4")
    return cli


def dump(cli):
    return {
        "records": [r for t in ("unit", "person", "meeting") for r in cli("list", t, "--limit", "0", "--json").json()],
        "users": cli("users", "list", "--json").json(),
        "settings": cli("config", "get", "--json").json(),
        "audit": cli("audit", "--json").json(),
    }


def test_export_then_import_gives_an_identical_store(town, tmp_path, monkeypatch):
    file = tmp_path / "backup.json"
    assert town("export", str(file)).exit_code == 0
    original = dump(town)

    monkeypatch.setenv("DUTY_DB", f"sqlite:///{tmp_path / 'restored.db'}")
    restored = town("import", str(file))
    assert restored.exit_code == 0, restored.stderr
    copy = dump(town)
    assert copy["records"] == original["records"]
    assert copy["users"] == original["users"] and copy["settings"] == original["settings"]
    assert copy["audit"][:-1] == original["audit"]
    assert copy["audit"][-1]["action"] == "import"
    assert town("audit", "--verify").exit_code == 0
    # ids continue after the highest ever given (unit-2 was deleted, so the next unit is unit-3)
    assert town("add", "unit", "name=新村", "kind=village").stdout.strip() == "unit-3"


def test_import_refuses_a_store_that_is_not_empty(town, tmp_path):
    file = tmp_path / "backup.json"
    town("export", str(file))
    before = len(town("audit", "--json").json())
    refused = town("import", str(file))
    assert refused.exit_code == 2 and "empty" in refused.stderr
    assert len(town("audit", "--json").json()) == before


def test_import_is_all_or_nothing(town, tmp_path, monkeypatch):
    file = tmp_path / "backup.json"
    town("export", str(file))
    doc = json.loads(file.read_text(encoding="utf-8"))
    doc["records"][1]["data"]["unit"] = "unit-77"  # a broken reference in the middle
    doc["records"][-1]["data"]["date"] = "2026-13-01"
    file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    monkeypatch.setenv("DUTY_DB", f"sqlite:///{tmp_path / 'restored.db'}")
    refused = town("import", str(file))
    assert refused.exit_code == 2
    assert "records[1].data.unit: refers to unit-77, which is not in the file" in refused.stderr
    assert "records[3].data.date: there is no month 13" in refused.stderr
    assert town("init").exit_code == 0  # nothing was written: the store is still fresh
    assert town("list", "person", "--json").json() == []


def test_import_refuses_a_tampered_chain(town, tmp_path, monkeypatch):
    file = tmp_path / "backup.json"
    town("export", str(file))
    doc = json.loads(file.read_text(encoding="utf-8"))
    doc["audit"][2]["actor"] = "someone-else"
    file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("DUTY_DB", f"sqlite:///{tmp_path / 'restored.db'}")
    refused = town("import", str(file))
    assert refused.exit_code == 2 and "audit[2]: entry 3: content does not match its hash" in refused.stderr


def test_export_is_for_admins(town):
    assert town("export", "-", login="clerk1").exit_code == 3


def test_import_of_a_file_that_is_not_an_export(cli, tmp_path, monkeypatch):
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("DUTY_DB", f"sqlite:///{tmp_path / 'other.db'}")
    result = cli("import", str(bad))
    assert result.exit_code == 2 and "JSON" in result.stderr


def test_backup_of_a_live_sqlite_store_opens_with_everything(town, tmp_path, monkeypatch, duty_store_url):
    if not duty_store_url.startswith("sqlite"):
        pytest.skip("the backup command is SQLite's (its backup API)")
    copy = tmp_path / "copy.db"
    assert town("backup", str(copy)).exit_code == 0
    assert town("backup", str(copy)).exit_code == 2  # never overwrites
    original = dump(town)
    monkeypatch.setenv("DUTY_DB", f"sqlite:///{copy}")
    assert dump(town) == original and town("audit", "--verify").exit_code == 0


def test_a_user_whose_person_was_deleted_still_moves(town, tmp_path, monkeypatch):
    """A store from before the ledger refused deleting an operator's person (2026-11-30) may hold a
    user whose person was deleted; it exports and imports (the file's audit says the person was
    deleted), while a person the audit never had is refused."""
    from duty_tui.ledger import Ledger

    town("add", "person", "name=临时工", "unit=unit-1")
    town("users", "add", "temp", "--role", "viewer", "--person", "person-3")
    with monkeypatch.context() as older:  # as the older version did
        older.setattr(Ledger, "_refuse_if_an_operator", staticmethod(lambda *_: None))
        assert town("delete", "person-3").exit_code == 0
    file = tmp_path / "backup.json"
    town("export", str(file))
    monkeypatch.setenv("DUTY_DB", f"sqlite:///{tmp_path / 'restored.db'}")
    moved = town("import", str(file))
    assert moved.exit_code == 0, moved.stderr
    assert {"name": "temp", "person": "person-3"}.items() <= next(u for u in town("users", "list", "--json").json() if u["name"] == "temp").items()

    doc = json.loads(file.read_text(encoding="utf-8"))
    next(u for u in doc["users"] if u["name"] == "temp")["person"] = "person-9"
    file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("DUTY_DB", f"sqlite:///{tmp_path / 'other.db'}")
    refused = town("import", str(file))
    assert refused.exit_code == 2 and '.person: "person-9" is not a person in the file' in refused.stderr
