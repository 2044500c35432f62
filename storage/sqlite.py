"""SQLite, the embedded default store, on the standard library's driver.

WAL with synchronous=NORMAL and a busy timeout, so readers never wait for the writer and a crash
loses no committed transaction. A write transaction starts with ``BEGIN IMMEDIATE``: a deferred
one that later upgrades to a write gets SQLITE_BUSY at once, ignoring the busy timeout. A busy
start is retried with backoff. One connection per thread.

Why not SQLAlchemy here: its import alone costs about 0.2 s, paid at every start of the app by
every operator who logs in, and its Core layer makes each audited write 2.6× slower than the
driver. The tables are still declared once, with SQLAlchemy, in ``sql_schema.py``; it is imported
only when a new store is created.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Mapping

from duty_tui.errors import StoreError
from duty_tui.i18n import L

from .sql import EMPTY_LAYOUT, SCHEMA_VERSION, Dialect, Layout, SqlSession, bigrams, blob_ddl, prepare_schema, table_of, type_indexes


class SqliteConn:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.cursor = db.cursor()  # one for every statement read at once; a stream gets its own

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[sqlite3.Row]:
        return self.cursor.execute(sql, params or ()).fetchall()

    def stream(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterable[sqlite3.Row]:
        return self.db.execute(sql, params or ())

    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> int:
        return self.cursor.execute(sql, params or ()).rowcount

    def run_many(self, sql: str, params: list[Mapping[str, Any]]) -> None:
        self.db.executemany(sql, params)


def _busy(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


class SqliteStore:
    """``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db``."""

    busy_retries = 8
    busy_timeout_ms = 10_000
    # Measured on the benchmark's audited creates (bench/storage.py): 2 KiB pages halve the bytes
    # each commit appends to the WAL (a save dirties ~7 small B-tree pages), and checkpointing
    # every 10,000 pages (20 MB of WAL) instead of 1,000 amortises the checkpoint's fsync; together
    # 235 → 170 µs per audited write. Reads at a million records are unaffected within noise.
    page_size = 2048
    checkpoint_pages = 10_000

    def __init__(self, url: str):
        self.url = url
        self.path = url.split(":///", 1)[1] if ":///" in url else ""
        if not self.path:
            raise StoreError(L("SQLite 地址缺少文件路径:{url}", "the SQLite URL has no file path: {url}").format(url=url))
        if self.path != ":memory:":
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.dialect = Dialect()
        self.layout: Layout = EMPTY_LAYOUT
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    # -- connections --------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None,
                                     check_same_thread=False, cached_statements=256)
                db.row_factory = sqlite3.Row
                db.create_function("duty_bigrams", 1, bigrams, deterministic=True)
                db.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
                db.execute(f"PRAGMA page_size={self.page_size}")  # takes effect only in a new file
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(f"PRAGMA wal_autocheckpoint={self.checkpoint_pages}")
                db.execute("PRAGMA foreign_keys=ON")
            except sqlite3.Error as exc:
                raise StoreError(L("无法打开存储 {url}:{err}", "cannot open the store {url}: {err}").format(url=self.url, err=exc)) from None
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    def _begin(self, db: sqlite3.Connection, statement: str) -> None:
        delay = 0.005
        for attempt in range(self.busy_retries + 1):
            try:
                db.execute(statement)
                return
            except sqlite3.Error as exc:
                if not _busy(exc) or attempt == self.busy_retries:
                    raise StoreError(L("存储正忙,请稍后再试:{err}", "the store is busy, try again: {err}").format(err=exc)) from None
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 0.5)

    def read(self) -> "_Transaction":
        """A read transaction (inside this thread's write, that write: it sees its own changes)."""
        return _Transaction(self, "BEGIN")

    def write(self) -> "_Transaction":
        return _Transaction(self, "BEGIN IMMEDIATE")

    # -- schema -------------------------------------------------------------------------------
    def prepare(self, types) -> None:
        """Make the store's tables (or bring an older schema up to date) and a table per type."""
        wanted = {"meta", "blobs", "record_types"} | {table_of(t) for t in types}
        wanted |= {name for indexes in type_indexes(self.dialect, types).values() for name in indexes}
        with self.read() as s:
            names = {r["name"] for r in s.c.rows("SELECT name FROM sqlite_master")}
            if wanted <= names and self._version(s) == SCHEMA_VERSION:
                self.layout = Layout.of(types, {r["type"]: r["code"] for r in s.c.rows("SELECT type, code FROM record_types")})
                return
        with self.write() as s:
            s = SqlSession(s.c, self.dialect, Layout.of(types))
            has_meta = s._first("SELECT 1 AS x FROM sqlite_master WHERE name = 'meta'") is not None
            codes = prepare_schema(s, types, self._base_statements, self._version(s) if has_meta else None)
            s.c.run(blob_ddl("BLOB"))  # files attached to records; older stores gain the table here
        self.layout = Layout.of(types, codes)

    @staticmethod
    def _base_statements(only: tuple[str, ...] | None = None) -> list[str]:
        from .sql_schema import create_statements

        return create_statements("sqlite", only)

    @staticmethod
    def _version(s: SqlSession) -> str | None:
        row = s._first("SELECT value FROM meta WHERE key = 'schema_version'")
        return row["value"] if row else None

    # -- maintenance --------------------------------------------------------------------------
    def backup(self, target: str) -> None:
        """A consistent copy through SQLite's backup API (never a file copy of a live WAL store)."""
        dest = sqlite3.connect(target)
        try:
            self._db().backup(dest)
        finally:
            dest.close()

    def warn_size(self) -> None:
        return None  # sized for a county's million records

    def close(self) -> None:
        with self._lock:
            for db in self._connections:
                try:
                    db.close()
                except sqlite3.Error:
                    pass
            self._connections.clear()
        self._local = threading.local()


class _Transaction:
    """One transaction on the thread's connection, as a context manager giving a session; a
    class rather than a generator, since every write enters one."""

    __slots__ = ("store", "begin", "db", "nested")

    def __init__(self, store: SqliteStore, begin: str):
        self.store, self.begin = store, begin

    def __enter__(self) -> SqlSession:
        store = self.store
        self.db = db = store._db()
        self.nested = self.begin == "BEGIN" and db.in_transaction
        if not self.nested:
            store._begin(db, self.begin)
        return SqlSession(SqliteConn(db), store.dialect, store.layout)

    def __exit__(self, kind, exc, tb) -> bool:
        if self.nested:
            return False
        db = self.db
        if kind is not None:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(L("存储出错,未写入:{err}", "store error, nothing written: {err}").format(err=exc)) from exc
            return False
        try:
            db.execute("COMMIT")
        except sqlite3.Error as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise StoreError(L("提交失败,未写入:{err}", "commit failed, nothing written: {err}").format(err=error)) from error
        return False
