"""A store made by an earlier duty-tui opens in this one with everything in it.

``data/store-v1.db.gz`` is a real SQLite store written by the version whose schema was 1 (every
record in one table), through its CLI: units, 71 people (one deleted), an edit, a case moved along
its workflow, an attached file, a changed setting and a second account. ``store-v1-export.json.gz``
is what that version exported from it. Opened here, the store is moved to schema 2 in place, and
exports the same records, audit chain, counters, settings, users and files.
``store-v1-postgresql.sql.gz`` is pg_dump's text of a schema-1 store on PostgreSQL (a smaller town
made the same way), restored into a schema of the test's own.
"""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
from pathlib import Path

import pytest

from duty_tui.exchange import export_store
from duty_tui.ledger import Ledger
from duty_tui.registry import load_registry
from duty_tui.store import User, open_store
from duty_tui.testing import postgres_schema_url

DATA = Path(__file__).parent / "data"
COMPARED = ("audit_head", "counters", "settings", "users", "records", "audit", "blobs")


@pytest.fixture
def v1_store(tmp_path):
    path = tmp_path / "v1.db"
    path.write_bytes(gzip.decompress((DATA / "store-v1.db.gz").read_bytes()))
    return path


def exported(ledger: Ledger) -> dict:
    out = io.StringIO()
    export_store(ledger, out)
    return json.loads(out.getvalue())


def test_a_schema_1_store_opens_with_everything_it_held(v1_store):
    registry = load_registry()
    store = open_store(f"sqlite:///{v1_store}", registry)
    ledger = Ledger(store, registry, User("root", "admin"))
    expected = json.loads(gzip.decompress((DATA / "store-v1-export.json.gz").read_bytes()))
    now = exported(ledger)
    for key in COMPARED:
        assert now[key] == expected[key] or key == "records", key
    # the same records, listed type by type now (in the order the types began) rather than as made
    by_id = {r["id"]: r for r in expected["records"]}
    assert [r["id"] for r in now["records"]][:3] == ["unit-1", "unit-2", "person-1"]
    assert {r["id"]: r for r in now["records"]} == by_id
    assert ledger.verify_audit().ok
    # search works at once on the moved rows (two Chinese characters, and three)
    assert [r.id for r in ledger.query("person", text="王伟")] == ["person-3"]
    assert ledger.count("person", text="人员") == 69  # 70 made, person-3 renamed
    assert [r.id for r in ledger.query("unit", text="东风村")] == ["unit-1"]
    # numbers go on after the highest ever given: person-71 was deleted
    assert ledger.create("person", {"name": "新人", "unit": "unit-2"}).id == "person-72"
    assert [r.id for r in ledger.query("person", text="新人")] == ["person-72"]
    store.close()

    db = sqlite3.connect(v1_store)
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    db.close()
    assert version == "2" and "records" not in tables and {"records_person", "records_unit", "records_case"} <= tables


def test_a_store_from_a_newer_version_is_refused_untouched(v1_store):
    db = sqlite3.connect(v1_store)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    before = v1_store.read_bytes()
    from duty_tui.errors import StoreError

    with pytest.raises(StoreError, match="newer"):
        open_store(f"sqlite:///{v1_store}", load_registry())
    assert v1_store.read_bytes() == before


def test_a_schema_1_store_on_postgresql_opens_with_everything_it_held():
    import psycopg
    import sqlalchemy as sa

    dump = gzip.decompress((DATA / "store-v1-postgresql.sql.gz").read_bytes()).decode("utf-8")
    expected = json.loads(gzip.decompress((DATA / "store-v1-postgresql-export.json.gz").read_bytes()))
    with postgres_schema_url() as url:
        schema = sa.engine.make_url(url).query["schema"]
        server = url.split("?", 1)[0]
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
            conn.execute(dump.replace("duty_v1_fixture", schema))
        registry = load_registry()
        store = open_store(url, registry)
        ledger = Ledger(store, registry, User("root", "admin"))
        now = exported(ledger)
        for key in COMPARED:
            assert now[key] == expected[key] or key == "records", key
        assert {r["id"]: r for r in now["records"]} == {r["id"]: r for r in expected["records"]}
        assert ledger.verify_audit().ok
        assert [r.id for r in ledger.query("person", text="王伟")] == ["person-3"]
        assert ledger.create("person", {"name": "新人", "unit": "unit-2"}).id == "person-7"  # person-6 was deleted
        store.close()
        with psycopg.connect(server, autocommit=True) as conn:
            tables = {name for (name,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))}
            version = conn.execute(f'SELECT value FROM "{schema}".meta WHERE key = %s', ("schema_version",)).fetchone()[0]
        assert version == "2" and "records" not in tables and {"records_person", "records_unit", "records_case"} <= tables
