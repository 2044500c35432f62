"""PostgreSQL, for a county: SQLAlchemy Core with psycopg 3.

Writers to one store are serialised by a transaction-level advisory lock named by the store's
schema, taken first in every write (stores in other schemas of the server write in parallel), which
keeps version checks, id allocation and the audit chain correct under concurrent writers without
serialisable retries. Text search uses pg_trgm's GIN index; text sorts and compares in the "C"
collation, so the order is the same as SQLite's and TinyDB's.

``postgresql://user@host/db?schema=NAME`` keeps the store in its own schema (created if missing),
which is how tests give each run a store of its own.
"""

from __future__ import annotations

import functools
import json
import re
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Mapping

import sqlalchemy as sa
from sqlalchemy import event

from duty_tui.errors import DutyError, StoreError
from duty_tui.i18n import L
from duty_tui.store import StoredRecord

from .sql import (EMPTY_LAYOUT, SCHEMA_VERSION, STREAM_BATCH, Layout, PostgresDialect, SqlSession, blob_ddl, prepare_schema, table_of,
                  type_indexes)

SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@functools.lru_cache(maxsize=1024)
def _pyformat(sql: str) -> str:
    """A statement written for SQLAlchemy's text() (``:name``) in psycopg's own style (``%(name)s``)."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
_text = functools.lru_cache(maxsize=1024)(sa.text)


class SaConn:
    def __init__(self, conn: sa.Connection):
        self.conn = conn

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list:
        result = self.conn.execute(_text(sql), params or {})
        return result.mappings().all() if result.returns_rows else []

    def stream(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterable:
        # options for this statement only: Connection.execution_options() would change the
        # connection for every later statement of the transaction too
        return self.conn.execute(_text(sql), params or {}, execution_options={"yield_per": STREAM_BATCH}).mappings()

    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> int:
        return self.conn.execute(_text(sql), params or {}).rowcount

    def run_many(self, sql: str, params: list[Mapping[str, Any]]) -> None:
        self.conn.execute(_text(sql), params)

    def tuples(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
        """The rows as plain tuples, through psycopg's own cursor on this transaction's connection."""
        import psycopg

        try:
            with self.conn.connection.driver_connection.cursor() as cur:
                cur.execute(_pyformat(sql), params or {})
                return cur.fetchall()
        except psycopg.Error as exc:  # as SQLAlchemy would have raised it: the store's handler says what went wrong
            raise sa.exc.DBAPIError(sql, params, exc) from exc


class PostgresSession(SqlSession):
    """The shared session, plus what `duty audit --verify` reads (duty_tui.audit.entry_rows and
    record_rows): the chain and the records through a server-side cursor of psycopg's own in binary
    form, plain tuples with the text as UTF-8 bytes, rather than a mapping per row through
    SQLAlchemy (a third of the time at 20,000 entries)."""

    def _plain(self, sql: str) -> Iterator[tuple]:
        raw = self.c.conn.connection.driver_connection
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
        """A query's records read as plain tuples (:meth:`SaConn.tuples`): SQLAlchemy's
        statement handling and a mapping per row were a sixth of a county check's reading
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


def _use_fast_json(dbapi_conn, _record) -> None:
    """Records' JSON decoded by orjson on this connection: psycopg's default, the standard
    library's json.loads, was a fifth of a county's check (172,000 rows, 1.7 s of 8.7 profiled)."""
    from psycopg.types.json import set_json_loads

    set_json_loads(_fast_loads, dbapi_conn)


class PostgresStore:
    def __init__(self, url: str):
        self.url = url
        self.dialect = PostgresDialect()
        self.layout: Layout = EMPTY_LAYOUT
        try:
            sa_url = sa.engine.make_url(url)
        except sa.exc.ArgumentError as exc:
            raise StoreError(L("存储地址无效:{err}", "invalid store URL: {err}").format(err=exc)) from None
        if sa_url.drivername == "postgresql":
            sa_url = sa_url.set(drivername="postgresql+psycopg")
        self.schema = sa_url.query.get("schema")
        if self.schema is not None:
            if not SCHEMA_NAME.match(self.schema):
                raise StoreError(L("schema 名称无效:{s}", "invalid schema name: {s}").format(s=self.schema))
            sa_url = sa_url.difference_update_query(["schema"])
        self.engine = sa.create_engine(sa_url, pool_pre_ping=True, pool_size=2, max_overflow=4)
        if self.schema:
            event.listen(self.engine, "connect", self._set_search_path)
        if _fast_loads is not None:
            event.listen(self.engine, "connect", _use_fast_json)

    def _set_search_path(self, dbapi_conn, _record) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute(f'SET search_path TO "{self.schema}", public')
        dbapi_conn.commit()

    @contextmanager
    def _transaction(self, lock: bool) -> Iterator[SqlSession]:
        try:
            with self.engine.connect() as conn, conn.begin():
                if lock:  # one writer per store: the lock is named by the store's schema
                    conn.execute(_text("SELECT pg_advisory_xact_lock(hashtextextended('duty-tui:' || current_schema(), 0))"))
                yield PostgresSession(SaConn(conn), self.dialect, self.layout)
        except DutyError:
            raise
        except sa.exc.DBAPIError as exc:
            raise StoreError(L("存储出错,未写入:{err}", "store error, nothing written: {err}").format(err=exc.orig)) from exc

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
        self.engine.dispose()
