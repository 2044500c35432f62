"""The PostgreSQL store's connections, now psycopg's own (issue 19: SQLAlchemy's engine cost every
operator's start 0.35 s): an address libpq cannot read, a schema name that is not one, and a server
that is not there are each told by what is wrong, with exit 2 and no traceback; a connection the
server dropped between two transactions is replaced, not handed to the next one; a failed
transaction leaves nothing written and its connection usable; the process keeps at most two idle
connections. Against the real server."""

from __future__ import annotations

import socket
import subprocess
import sys

import psycopg
import pytest

from duty_tui.errors import StoreError
from duty_tui.kit.testing import postgres_base_url, postgres_schema_url
from duty_tui.ledger import Ledger
from duty_tui.registry import load_registry
from duty_tui.store import open_store


def duty(url: str, *args: str, lang: str = "en") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "duty_tui", *args], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "DUTY_DB": url, "DUTY_LANG": lang,
                               "DUTY_CONFIG": "/nonexistent/config.toml"})


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the test connects: nothing listens there


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_server_that_is_not_there_is_said_with_exit_2(lang):
    done = duty(f"postgresql://postgres@127.0.0.1:{closed_port()}/test", "check", lang=lang)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert ("cannot connect to the store" if lang == "en" else "无法连接存储") in done.stderr
    assert "Connection refused" in done.stderr  # libpq's own reason, as it gave it


@pytest.mark.parametrize(("query", "said"), [
    ("schema=Bad-Name", "invalid schema name: Bad-Name"),
    ("sslmod=require", 'invalid store URL: invalid URI query parameter: "sslmod"'),
])
def test_an_address_libpq_cannot_read_is_named_before_any_connection(query, said):
    url = postgres_base_url().split("?", 1)[0] + "?" + query
    with pytest.raises(StoreError, match=said.replace("(", r"\(")):
        open_store(url, load_registry())
    done = duty(url, "list", "unit")
    assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr


def test_sqlalchemy_spelling_of_the_address_still_opens():
    """`postgresql+psycopg://` was the address SQLAlchemy wanted; a county's config may hold it."""
    with postgres_schema_url() as url:
        registry = load_registry()
        store = open_store(url.replace("postgresql://", "postgresql+psycopg://", 1), registry)
        try:
            admin = Ledger.initialise(store, registry, "root")
            assert admin.create("unit", {"name": "甲镇党委", "kind": "committee"}).id == "unit-1"
        finally:
            store.close()


@pytest.fixture
def pg_store():
    """A PostgreSQL store in a schema of its own, initialised by root: (store, root's ledger)."""
    with postgres_schema_url() as url:
        registry = load_registry()
        store = open_store(url, registry)
        try:
            yield store, Ledger.initialise(store, registry, "root")
        finally:
            store.close()


def backend_pids(store) -> list[int]:
    return [conn.info.backend_pid for conn, _ in store._pool._idle]


def terminate(pids: list[int]) -> None:
    with psycopg.connect(postgres_base_url().split("?", 1)[0], autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_connection_the_server_dropped_is_replaced_before_it_is_used(pg_store):
    """A server restart or a dropped link between two of an operator's keys: the next read is
    answered on a new connection, not refused with the old one's error."""
    store, admin = pg_store
    unit = admin.create("unit", {"name": "甲镇党委", "kind": "committee"}).id
    before = backend_pids(store)
    assert before, "a connection is kept between transactions"
    terminate(before)
    store._pool.PING_AFTER = 0.0  # the connection counts as idle long enough to be tried
    assert admin.get(unit).data["name"] == "甲镇党委"
    assert admin.update(unit, {"name": "甲镇党委(新)"}, expected_version=1).version == 2
    assert not set(backend_pids(store)) & set(before)


def test_a_failed_write_leaves_nothing_and_its_connection_usable(pg_store):
    store, admin = pg_store
    head = admin.audit_page(limit=1)[0].seq
    with pytest.raises(StoreError, match="nothing written"):
        with store.write() as s:
            s.c.run("INSERT INTO settings (key, value) VALUES ('x', '1')")
            s.c.run("SELECT no_such_function()")
    with store.read() as s:
        assert s.c.rows("SELECT key FROM settings WHERE key = 'x'") == []
    assert admin.create("unit", {"name": "乙镇党委", "kind": "committee"}).id
    assert admin.audit_page(limit=1)[0].seq == head + 1


def test_at_most_two_connections_are_kept_idle(pg_store):
    store, _ = pg_store
    with store.read(), store.read(), store.read(), store.read():
        pass  # four at once, as a TUI's background readers and a writer may be
    assert len(store._pool._idle) == 2
    store.close()
    assert store._pool._idle == []
