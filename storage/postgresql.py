"""PostgreSQL, for a county: psycopg 3, the tables declared with SQLAlchemy Core.

The store speaks to the server through psycopg itself, as the SQLite backend speaks through the
standard library's sqlite3: SQLAlchemy (its import, its PostgreSQL dialect and an engine's first
connection) made every operator's `duty` on a county 0.23-0.24 s from its plugins loaded to a
ready store, 0.08-0.10 s now (issue 19), for statements that are plain SQL text either way. SQLAlchemy Core still declares the
tables (storage/sql_schema.py), imported only when a store is created or migrated.

Writers to one store are serialised by a transaction-level advisory lock named by the store's
schema, taken first in every write (stores in other schemas of the server write in parallel), which
keeps version checks, id allocation and the audit chain correct under concurrent writers without
serialisable retries. Text search uses pg_trgm's GIN index; text sorts and compares in the "C"
collation, so the order is the same as SQLite's and TinyDB's.

``postgresql://user@host/db?schema=NAME`` keeps the store in its own schema (created if missing),
which is how tests give each run a store of its own. The rest of the address is libpq's
(``sslmode=``, ``host=/run/postgresql``, several hosts, ...).
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg.rows import dict_row

from duty_tui.errors import DutyError, StoreError
from duty_tui.i18n import L
from duty_tui.store import StoredRecord

from .sql import (EMPTY_LAYOUT, SCHEMA_VERSION, STREAM_BATCH, Layout, PostgresDialect, SqlSession, blob_ddl, prepare_schema, table_of,
                  type_indexes)

SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# a statement's ``:name`` parameters, as SQLAlchemy's text() found them (not ``::type``, not ``\:``)
_NAMED = re.compile(r"(?<![:\w\\]):([A-Za-z_]\w*)(?!:)")
_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('duty-tui:' || current_schema(), 0))"
_cursor_names = itertools.count(1)


@functools.lru_cache(maxsize=1024)
def _pyformat(sql: str) -> str:
    """A statement written with ``:name`` parameters (every backend's SQL in storage/sql.py) in
    psycopg's own style (``%(name)s``)."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


def connection_info(url: str) -> tuple[str, str | None]:
    """The libpq address of ``url`` and the schema it names (``?schema=``, which is ours, not
    libpq's). A ``postgresql+driver://`` address (SQLAlchemy's spelling) is read as ``postgresql://``."""
    from psycopg.conninfo import conninfo_to_dict

    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+", 1)[0] not in ("postgresql", "postgres"):
        raise StoreError(L("存储地址无效:{err}", "invalid store URL: {err}").format(err=url))
    parts = urlsplit("postgresql://" + rest)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schemas = [v for k, v in query if k == "schema"]
    schema = schemas[-1] if schemas else None
    if schema is not None and not SCHEMA_NAME.match(schema):
        raise StoreError(L("schema 名称无效:{s}", "invalid schema name: {s}").format(s=schema))
    conninfo = urlunsplit(parts._replace(query=urlencode([(k, v) for k, v in query if k != "schema"])))
    try:
        conninfo_to_dict(conninfo)  # what libpq makes of it, before any connection is tried
    except psycopg.Error as exc:
        raise StoreError(L("存储地址无效:{err}", "invalid store URL: {err}").format(err=exc)) from None
    return conninfo, schema


class PgConn:
    """One transaction's connection, as the shared session (storage/sql.py) asks of it: rows as
    mappings, a stream through a server-side cursor, plain tuples for the readers that build
    records themselves."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn
        self.cursor = conn.cursor(row_factory=dict_row)  # one for every statement read at once; a stream gets its own

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list:
        cur = self.cursor
        cur.execute(_pyformat(sql), params or {})
        return cur.fetchall() if cur.description is not None else []

    def stream(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterator:
        with self.conn.cursor(name=f"duty_stream_{next(_cursor_names)}", row_factory=dict_row) as cur:
            cur.itersize = STREAM_BATCH
            cur.execute(_pyformat(sql), params or {})
            yield from cur

    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> int:
        cur = self.cursor
        cur.execute(_pyformat(sql), params or {})
        return cur.rowcount

    def run_many(self, sql: str, params: list[Mapping[str, Any]]) -> None:
        self.cursor.executemany(_pyformat(sql), params)

    def tuples(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
        """The rows as plain tuples: no mapping built per row."""
        with self.conn.cursor() as cur:
            cur.execute(_pyformat(sql), params or {})
            return cur.fetchall()


class Pool:
    """The connections a process keeps between its transactions: at most ``keep`` idle ones, the
    rest closed as they come back (a TUI's reader and its writer, say). One idle for
    ``PING_AFTER`` seconds or more is tried with a round trip before it is handed out, and a dead
    one (the server restarted, the link dropped) replaced by a new one; a transaction never starts
    on a connection known to be broken."""

    PING_AFTER = 1.0

    def __init__(self, connect: Callable[[], psycopg.Connection], keep: int = 2):
        self._connect = connect
        self._keep = keep
        self._idle: list[tuple[psycopg.Connection, float]] = []
        self._lock = threading.Lock()

    def get(self) -> psycopg.Connection:
        while True:
            with self._lock:
                conn, since = self._idle.pop() if self._idle else (None, 0.0)
            if conn is None:
                return self._connect()
            if conn.closed or conn.broken:
                continue
            if time.monotonic() - since >= self.PING_AFTER:
                try:
                    conn.execute("SELECT 1")
                    conn.rollback()
                except psycopg.Error:
                    conn.close()
                    continue
            return conn

    def put(self, conn: psycopg.Connection) -> None:
        if not (conn.closed or conn.broken) and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            with self._lock:
                if len(self._idle) < self._keep:
                    self._idle.append((conn, time.monotonic()))
                    return
        conn.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn, _ in idle:
            conn.close()


class PostgresSession(SqlSession):
    """The shared session, plus what `duty audit --verify` reads (duty_tui.audit.entry_rows and
    record_rows): the chain and the records through a server-side cursor of psycopg's own in binary
    form, plain tuples with the text as UTF-8 bytes, rather than a mapping per row through
    SQLAlchemy (a third of the time at 20,000 entries)."""

    def _plain(self, sql: str) -> Iterator[tuple]:
        raw = self.c.conn
        with raw.cursor(name=f"duty_verify_{id(self):x}", binary=True) as cur:
            cur.itersize = STREAM_BATCH
            cur.execute(sql)
            yield from cur

    _AUDIT_ROWS = ("SELECT seq, convert_to(ts, 'UTF8'), convert_to(actor, 'UTF8'), convert_to(coalesce(by_login, ''), 'UTF8'), "
                   "convert_to(action, 'UTF8'), convert_to(record_id, 'UTF8'), coalesce(convert_to(before, 'UTF8'), '\\x00'::bytea), "
                   "coalesce(convert_to(after, 'UTF8'), '\\x00'::bytea), convert_to(prev, 'UTF8'), convert_to(hash, 'UTF8') "
                   "FROM audit ORDER BY seq")

    def audit_rows(self) -> Iterator[tuple]:
        return self._plain(self._AUDIT_ROWS)

    def _records(self, rt: str, sql: str, params: dict[str, Any]) -> list[StoredRecord]:
        """A query's records read as plain tuples (:meth:`PgConn.tuples`): a mapping per row (and,
        before, SQLAlchemy's statement handling) was a sixth of a county check's reading
        (profiled, 100,000 records)."""
        tuples = getattr(self.c, "tuples", None)
        if tuples is None:  # a connection that only speaks the Conn protocol (a test's, injecting faults)
            return super()._records(rt, sql, params)
        rows = tuples(sql, params)
        prefix = rt + "-"
        return [StoredRecord(prefix + str(num), rt, num, version, state, data if isinstance(data, dict) else json.loads(data),
                             created_at, created_by, updated_at, updated_by)
                for num, version, state, data, created_at, created_by, updated_at, updated_by in rows]

    def raw_records(self) -> Iterator[tuple]:
        for rt in self.record_types():
            table, lit = table_of(rt), "'" + rt + "'"  # table_of checks the name: lower_snake_case
            yield from self._plain(
                f"SELECT convert_to({lit} || '-' || num, 'UTF8'), convert_to({lit}, 'UTF8'), version, state, data, "
                "convert_to(created_at, 'UTF8'), convert_to(created_by, 'UTF8'), convert_to(updated_at, 'UTF8'), "
                f"convert_to(updated_by, 'UTF8') FROM {table} ORDER BY num")


try:  # orjson decodes the records' JSON (a dependency; a store reads the same without it)
    import orjson as _orjson
except ImportError:  # pragma: no cover - the standard library's parser then, as before
    _orjson = None


def _orjson_loads(data):
    try:
        return _orjson.loads(data)
    except _orjson.JSONDecodeError:  # what orjson refuses and the standard parser reads (an integer past 64 bits)
        import json

        return json.loads(bytes(data) if isinstance(data, memoryview) else data)


_fast_loads = _orjson_loads if _orjson is not None else None


class PostgresStore:
    def __init__(self, url: str):
        self.url = url
        self.dialect = PostgresDialect()
        self.layout: Layout = EMPTY_LAYOUT
        self.conninfo, self.schema = connection_info(url)
        self._pool = Pool(self._connect)

    def _connect(self) -> psycopg.Connection:
        """A new connection: records' JSON decoded by orjson (psycopg's default, the standard
        library's json.loads, was a fifth of a county's check: 172,000 rows, 1.7 s of 8.7
        profiled), and the store's schema first on the search path."""
        try:
            conn = psycopg.connect(self.conninfo, autocommit=False)
        except psycopg.Error as exc:
            raise StoreError(L("无法连接存储:{err}", "cannot connect to the store: {err}").format(err=str(exc).strip())) from None
        if _fast_loads is not None:
            from psycopg.types.json import set_json_loads

            set_json_loads(_fast_loads, conn)
        if self.schema:
            conn.execute(f'SET search_path TO "{self.schema}", public')
            conn.commit()
        return conn

    @contextmanager
    def _transaction(self, lock: bool) -> Iterator[SqlSession]:
        conn = self._pool.get()
        try:
            try:
                if lock:  # one writer per store: the lock is named by the store's schema
                    conn.execute(_LOCK)
                yield PostgresSession(PgConn(conn), self.dialect, self.layout)
                conn.commit()
            except BaseException:
                try:
                    conn.rollback()
                except psycopg.Error:
                    conn.close()  # broken: the pool drops it
                raise
        except DutyError:
            raise
        except psycopg.Error as exc:
            raise StoreError(L("存储出错,未写入:{err}", "store error, nothing written: {err}").format(err=exc)) from exc
        finally:
            self._pool.put(conn)

    def read(self):
        return self._transaction(lock=False)

    def write(self):
        return self._transaction(lock=True)

    def prepare(self, types) -> None:
        """Make the store's tables (or bring an older schema up to date) and a table per type.
        A store already so (every start but the first) is only read: no DDL, no server-wide lock
        (it cost each operator's process 0.07 s and queued them behind one another)."""
        if self._prepared(types):
            return
        with self.write() as s:
            # new schemas and the extension are created one process at a time, server-wide
            s.c.run("SELECT pg_advisory_xact_lock(hashtextextended('duty-tui:prepare', 0))")
            if self.schema:
                s.c.run(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
            s.c.run("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
            s = SqlSession(s.c, self.dialect, Layout.of(types))
            version = None
            if s._first("SELECT to_regclass('meta') AS t")["t"] is not None:
                row = s._first("SELECT value FROM meta WHERE key = 'schema_version'")
                version = row["value"] if row else "?"
            codes = prepare_schema(s, types, self._base_statements, version)
            if s._first("SELECT to_regclass('blobs') AS t")["t"] is None:  # files attached to records
                s.c.run(blob_ddl("BYTEA"))
        self.layout = Layout.of(types, codes)

    def _prepared(self, types) -> bool:
        """Whether the schema is this program's and holds every table and index the types ask
        for; the layout read from it when so."""
        wanted = {"meta", "blobs", "record_types", "links", "audit", "settings", "users", "counters"} | {table_of(t) for t in types}
        wanted |= {name for indexes in type_indexes(self.dialect, types).values() for name in indexes}
        with self.read() as s:
            names = {r["relname"] for r in s.c.rows(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = coalesce(:schema, current_schema())", {"schema": self.schema or None})}
            if not wanted <= names:
                return False
            row = s._first("SELECT value FROM meta WHERE key = 'schema_version'")
            if row is None or row["value"] != SCHEMA_VERSION:
                return False
            self.layout = Layout.of(types, {r["type"]: r["code"] for r in s.c.rows("SELECT type, code FROM record_types")})
        return True

    @staticmethod
    def _base_statements(only: tuple[str, ...] | None = None) -> list[str]:
        from .sql_schema import create_statements

        return create_statements("postgresql", only)

    def warn_size(self) -> None:
        return None  # sized for a county's million records

    def close(self) -> None:
        self._pool.close()
