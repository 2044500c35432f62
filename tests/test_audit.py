"""The audit chain: every write leaves an entry; one changed byte is found and named."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from duty_tui import audit


def db_path(url: str) -> str:
    if not url.startswith("sqlite:///"):
        pytest.skip(f"this test edits the file with the sqlite3 shell; the store here is {url.split(':')[0]}")
    return url.removeprefix("sqlite:///")


def test_verify_passes_on_an_untouched_store(cli):
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1")
    result = cli("audit", "--verify")
    assert result.exit_code == 0
    assert "intact" in result.stdout


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 command-line tool is not installed (.ci/run installs it)")
def test_one_changed_byte_breaks_the_chain_at_that_entry(cli, duty_store_url):
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1")
    cli("edit", "person-1", "post=书记")
    seq = next(e["seq"] for e in cli("audit", "--json").json() if e["action"] == "create" and e["record_id"] == "person-1")
    subprocess.run(["sqlite3", db_path(duty_store_url),
                    f"UPDATE audit SET after = replace(after, '刘明宇', '刘明雨') WHERE seq = {seq}"], check=True)
    result = cli("audit", "--verify", "--json")
    assert result.exit_code == 1
    assert result.json()["broken_seq"] == seq
    assert f"entry {seq}" in cli("audit", "--verify").stderr


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 command-line tool is not installed (.ci/run installs it)")
def test_a_removed_entry_is_found(cli, duty_store_url):
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "unit", "name=二村", "kind=village")
    subprocess.run(["sqlite3", db_path(duty_store_url), "DELETE FROM audit WHERE seq = 2"], check=True)
    result = cli("audit", "--verify", "--json")
    assert result.exit_code == 1 and result.json()["broken_seq"] == 2


def test_chain_links_each_entry_to_the_previous_hash():
    head = (0, audit.GENESIS)
    first = audit.seal(head, ts="t1", actor="a", by=None, action="create", record_id="x-1", before=None, after={"n": 1})
    second = audit.seal((first.seq, first.hash), ts="t2", actor="a", by=None, action="update", record_id="x-1",
                        before={"n": 1}, after={"n": 2})
    assert second.prev == first.hash and second.seq == 2
    assert audit.verify([first, second]).ok
    forged = second.__class__(**{**second.__dict__, "actor": "b"})
    verdict = audit.verify([first, forged])
    assert not verdict.ok and verdict.broken_seq == 2


def test_acting_as_another_user_records_both(cli):
    cli("users", "add", "clerk1", "--role", "clerk")
    assert cli("--as", "clerk1", "add", "unit", "name=一村", "kind=village").exit_code == 0
    entry = cli("audit", "unit-1", "--json").json()[0]
    assert entry["actor"] == "clerk1" and entry["by"] == "admin"


def test_entries_are_stamped_in_utc_to_the_millisecond():
    import datetime as dt
    import re

    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(seconds=1)
    stamps = [audit.now() for _ in range(2000)]  # across a change of second, most likely
    after = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", s) for s in stamps)
    assert stamps == sorted(stamps)
    parsed = [dt.datetime.fromisoformat(s.replace("Z", "+00:00")) for s in stamps]
    assert before <= parsed[0] and parsed[-1] <= after


def test_audit_pages_from_a_backend_without_audit_newest_are_the_same(duty_admin):
    """A third-party backend written before ``audit_newest`` joined the store protocol still
    pages the audit log (the ledger walks it), newest first, as a current backend does."""
    from contextlib import contextmanager

    from duty_tui.ledger import Ledger

    for n in range(7):
        duty_admin.create("unit", {"name": f"{n}村", "kind": "village"})

    class OldReader:
        def __init__(self, reader):
            self._reader = reader

        def __getattr__(self, name):
            if name == "audit_newest":
                raise AttributeError(name)
            return getattr(self._reader, name)

    class OldStore:
        def __init__(self, store):
            self._store = store

        def __getattr__(self, name):
            return getattr(self._store, name)

        @contextmanager
        def read(self):
            with self._store.read() as r:
                yield OldReader(r)

    old = Ledger(OldStore(duty_admin.store), duty_admin.registry, duty_admin.user)
    for kwargs in ({"limit": 3}, {"limit": 3, "before_seq": 5}, {"record_id": "unit-2", "limit": None}, {"limit": None}):
        assert [e.seq for e in old.audit_page(**kwargs)] == [e.seq for e in duty_admin.audit_page(**kwargs)], kwargs
    assert [e.seq for e in old.audit_page(limit=3)] == [8, 7, 6]


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 command-line tool is not installed (.ci/run installs it)")
def test_the_issues_forgery_with_the_sqlite3_shell_is_named(cli, duty_store_url):
    """Issue 16: a viewer with the group-writable file adds an admin and renames a unit; `duty show`
    shows the forgery, and verify names both (tests/test_seal.py does every kind on every backend)."""
    cli("add", "unit", "name=一村", "kind=village")
    subprocess.run(["sqlite3", db_path(duty_store_url),
                    "insert into users(name, role, person, created_at) values('relv','admin',NULL,'2026-11-30T00:00:00.000Z'); "
                    "update records_unit set data=json_set(data,'$.name','FORGED') where num=1;"], check=True)
    assert cli("show", "unit-1", "--json").json()["name"] == "FORGED"
    result = cli("audit", "--verify")
    assert result.exit_code == 1
    assert 'record unit-1 (unit): changed outside the ledger: name is "FORGED"' in result.stderr
    assert "user relv: not in the audit chain (inserted directly)" in result.stderr
