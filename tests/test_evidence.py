"""Evidence: files attached to any record through the CLI, listed with their hash, size and type,
read back byte for byte, refused above the size limit, permitted and audited like any write, and
kept across export and import (the contract suite checks the blob part of every backend)."""

from __future__ import annotations

import hashlib
import json

import pytest

from duty_tui.errors import NotPermitted, ValidationError
from duty_tui.evidence import attach, detach, list_evidence

pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "reports")


@pytest.fixture
def files(tmp_path):
    minutes = tmp_path / "会议纪要.txt"
    minutes.write_text("第一次学习会纪要\n", encoding="utf-8")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 10)
    return minutes, photo


def test_attach_list_and_get_through_the_cli(cli, files, tmp_path):
    minutes, photo = files
    cli("add", "unit", "name=一村", "kind=village")
    result = cli("attach", "unit-1", str(minutes), str(photo))
    assert result.exit_code == 0, result.stderr
    listed = cli("evidence", "unit-1", "--json").json()
    assert [(e["name"], e["size"], e["media_type"]) for e in listed] == [
        ("photo.jpg", photo.stat().st_size, "image/jpeg"), ("会议纪要.txt", minutes.stat().st_size, "text/plain")]
    assert listed[0]["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert "photo.jpg" in cli("evidence", "unit-1").stdout
    out = tmp_path / "copy.jpg"
    got = cli("evidence", "get", "unit-1", "photo.jpg", "-o", str(out))
    assert got.exit_code == 0, got.stderr
    assert out.read_bytes() == photo.read_bytes()
    assert cli("evidence", "get", "unit-1", "nothing.pdf", "-o", str(out)).exit_code != 0
    assert cli("attach", "unit-9", str(photo)).exit_code != 0

    history = cli("audit", "unit-1", "--json").json()
    attached = [e for e in history if e["action"] == "evidence.attach"]
    assert len(attached) == 2
    after = json.loads(attached[0]["after"])
    assert set(after) == {"file", "size", "sha256", "media_type"}  # the name, size and hash; never the bytes
    assert cli("audit", "--verify").exit_code == 0


def test_a_file_over_the_limit_is_refused_by_name_with_the_setting(cli, files):
    minutes, photo = files
    cli("add", "unit", "name=一村", "kind=village")
    cli("config", "set", "evidence.max-bytes", "100")
    result = cli("attach", "unit-1", str(minutes), str(photo))
    assert result.exit_code == 2
    assert "photo.jpg" in result.stderr and "evidence.max-bytes" in result.stderr and "会议纪要" not in result.stderr
    assert cli("evidence", "unit-1", "--json").json() == []  # all or none


def test_attaching_is_permitted_like_an_update_and_replacing_keeps_both_hashes(duty_admin, duty_ledger_as):
    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    viewer = duty_ledger_as("wang", "viewer")
    with pytest.raises(NotPermitted):
        attach(viewer, "unit-1", [("a.txt", b"x")])
    assert [b.name for b in list_evidence(viewer, "unit-1")] == []
    clerk = duty_ledger_as("lina", "clerk")
    attach(clerk, "unit-1", [("a.txt", b"one")])
    attach(clerk, "unit-1", [("a.txt", b"two")])
    infos = list_evidence(viewer, "unit-1")
    assert len(infos) == 1 and infos[0].sha256 == hashlib.sha256(b"two").hexdigest() and infos[0].added_by == "lina"
    last = duty_admin.history("unit-1")[-1]
    assert json.loads(last.before)["sha256"] == hashlib.sha256(b"one").hexdigest()
    with pytest.raises(ValidationError):
        attach(clerk, "unit-1", [("../evil", b"x")])
    detach(clerk, "unit-1", "a.txt")
    assert list_evidence(viewer, "unit-1") == []
    assert duty_admin.history("unit-1")[-1].action == "evidence.detach"


@pytest.mark.duty_installed_plugins("sql", "tinydb", "reports", "assessment")
def test_a_plugins_check_of_a_record_covers_its_files(duty_admin, duty_ledger_as):
    """Attaching or removing a file changes the record: a record only an admin may change (the
    county's copy of a town's bundle, an assessment item) keeps its files from a clerk too."""
    item = duty_admin.create("assessment_item", {"area": "assessment", "title": "向上级汇报", "points": 10, "method": "manual",
                                                  "applies_to": ["committee"]})
    duty_admin.attach(item.id, [("细则.pdf", b"the table as the office issued it")])
    clerk = duty_ledger_as("lina", "clerk")
    head = duty_admin.audit_count()
    with pytest.raises(ValidationError, match="admin"):
        attach(clerk, item.id, [("细则.pdf", b"another table")])
    with pytest.raises(ValidationError, match="admin"):
        detach(clerk, item.id, "细则.pdf")
    assert duty_admin.audit_count() == head
    assert duty_admin.read_file(item.id, "细则.pdf")[1] == b"the table as the office issued it"
    village = duty_admin.create("unit", {"name": "一村", "kind": "village"})
    attach(clerk, village.id, [("a.txt", b"a clerk's minutes")])  # an ordinary record takes a clerk's file as before


def test_evidence_survives_duty_export_and_import(cli, duty_cli, files, tmp_path, monkeypatch):
    minutes, photo = files
    cli("add", "unit", "name=一村", "kind=village")
    cli("attach", "unit-1", str(photo))
    dump = tmp_path / "all.json"
    assert cli("export", str(dump)).exit_code == 0
    monkeypatch.setenv("DUTY_DB", f"tinydb:///{tmp_path / 'copy.json'}")
    assert duty_cli("import", str(dump)).exit_code == 0
    out = tmp_path / "back.jpg"
    assert duty_cli("evidence", "get", "unit-1", "photo.jpg", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == photo.read_bytes()


def test_a_sqlite_store_made_before_evidence_gains_the_blobs_table_when_opened(tmp_path, duty_registry):
    import sqlite3

    from duty_tui.ledger import Ledger
    from duty_tui.store import open_store

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = open_store(url, duty_registry)
    Ledger.initialise(store, duty_registry, "admin").create("unit", {"name": "一村", "kind": "village"})
    store.close()
    with sqlite3.connect(tmp_path / "old.db") as db:
        db.execute("DROP TABLE blobs")
    again = open_store(url, duty_registry)
    ledger = Ledger.for_login(again, duty_registry, "admin")
    attach(ledger, "unit-1", [("a.txt", b"x")])
    assert [b.name for b in list_evidence(ledger, "unit-1")] == ["a.txt"]
    again.close()


def test_deleting_a_record_deletes_its_files_and_says_so_in_the_audit(duty_admin, tmp_path):
    from duty_tui import evidence

    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    evidence.attach(duty_admin, "unit-1", [("minutes.txt", "会议纪要".encode())])
    duty_admin.delete("unit-1")
    with duty_admin.store.read() as r:
        assert r.list_blobs("unit-1") == []
    actions = [e.action for e in duty_admin.history("unit-1")]
    assert actions[-2:] == ["evidence.detach", "delete"]
    assert duty_admin.verify_audit().ok
