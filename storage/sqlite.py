"""SQLite, the embedded default store, on the standard library's driver.

WAL with synchronous=NORMAL and a busy timeout, so readers never wait for the writer and a crash
loses no committed transaction. A write transaction starts with ``BEGIN IMMEDIATE``: a deferred
one that later upgrades to a write gets SQLITE_BUSY at once, ignoring the busy timeout. A busy
start is retried with backoff. One connection per thread.

Why not SQLAlchemy here: its import alone costs about 0.2 s, paid at every start of the app by
every operator who logs in, and its Core layer makes each audited write 2.6× slower than the
driver. The tables are still declared once, with SQLAlchemy, in ``sql_schema.py``; it is imported
only when a new store is created.

Text search runs on two FTS5 indexes kept a batch behind the records (the search backlog,
:class:`SqliteSession`); what SQLite and PostgreSQL share is in ``sql.py``.
"""

from __future__ import annotations

import random
import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import quote

from duty_tui.errors import StoreError
from duty_tui.i18n import L

from . import media

from .sql import (EMPTY_LAYOUT, MAX_NUM, SCHEMA_VERSION, Dialect, Layout, SqlSession, blob_ddl, like_pattern, prepare_schema,
                  table_of, type_indexes)

# -- text search: two FTS5 indexes, a batch behind the records ----------------------------------------

SEARCH_BATCH = 64
# The search indexes hold every type's rows, keyed by the type's code (record_types) above the
# record's number: code << KEY_BITS | num.
KEY_BITS = 40
assert MAX_NUM == (1 << KEY_BITS) - 1


def key_range(code: int) -> tuple[int, int]:
    """The first and last key a type's rows can have in the search indexes."""
    return code << KEY_BITS, (code << KEY_BITS) | MAX_NUM


CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def bigrams(text: str | None) -> str:
    """The tokens of the index that answers one- and two-character Chinese searches (a trigram
    needs three, and many names have two): every pair of adjacent Chinese characters, and the
    last character of each run alone, so that every character begins some token and a
    one-character search is a prefix query."""
    return " ".join(token for run in CJK_RUN.findall(text or "")
                    for token in [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]])


def search_index_for(term: str) -> str | None:
    """The index that answers a search term, or None when only a scan can."""
    if len(term) >= 3:
        return "search_trigram"
    if len(term) <= 2 and CJK_RUN.fullmatch(term):
        return "search_bigram"
    return None


def match_expression(term: str) -> str:
    """The FTS5 query for a term: a phrase, or for one Chinese character the tokens it begins."""
    phrase = '"' + term.replace('"', '""') + '"'
    return phrase + "*" if len(term) == 1 else phrase


class SqliteDialect(Dialect):
    """SQLite's SQL: the shared dialect, with the search indexes and the planner's index hint.

    The search indexes are kept up to a batch behind the records, since an FTS5 insert in every
    transaction costs as much as the rest of the write. For each type they hold every row up to
    the type's mark (record_types.fts_upto), except rows in search_pending (changed or deleted
    since they were indexed). A create writes nothing extra; a change marks its row; every
    SEARCH_BATCH rows of a type's backlog are folded in at once (:class:`SqliteSession`). A
    search reads the index for settled rows and scans only the backlog (rows past the mark, and
    the marked ones), so it is never stale. Both indexes hold every type: a row's key is its
    type's code above its number (KEY_BITS), so one type's rows are one range of keys.
    """

    name = "sqlite"

    def extra_ddl(self) -> list[str]:
        return [
            "CREATE VIRTUAL TABLE search_trigram USING fts5(search, tokenize='trigram')",
            "CREATE VIRTUAL TABLE search_bigram USING fts5(grams, tokenize='unicode61')",
            "CREATE TABLE search_pending (key INTEGER PRIMARY KEY)",
        ]

    def drop_v1_search(self) -> list[str]:
        return [*(f"DROP TABLE IF EXISTS {table}" for table in ("records_fts", "records_bigram", "search_pending")),
                "DELETE FROM meta WHERE key = 'fts_upto'"]

    def text_term(self, term: str, key: str, rt: str, code: int) -> tuple[str, dict[str, Any]]:
        like = {f"{key}l": like_pattern(term)}
        index = search_index_for(term)
        if index is None:  # one character, or two that are not Chinese: a scan
            return f"search LIKE :{key}l ESCAPE '\\'", like
        lo, hi = key_range(code)
        backlog = (f"SELECT num FROM {table_of(rt)} WHERE num > (SELECT fts_upto FROM record_types WHERE type = '{rt}') "
                   f"AND search LIKE :{key}l ESCAPE '\\' "
                   f"UNION ALL SELECT r.num FROM search_pending p CROSS JOIN {table_of(rt)} r ON r.num = p.key - {lo} "  # from the few pending rows
                   f"WHERE p.key BETWEEN {lo} AND {hi} AND r.search LIKE :{key}l ESCAPE '\\'")
        return (f"num IN (SELECT rowid - {lo} FROM {index} WHERE {index} MATCH :{key} AND rowid BETWEEN {lo} AND {hi} "
                f"AND rowid NOT IN (SELECT key FROM search_pending WHERE key BETWEEN {lo} AND {hi}) UNION ALL {backlog})",
                {key: match_expression(term), **like})

    def index_drives_search(self, text: str | None) -> bool:
        terms = (text or "").split()
        return bool(terms) and all(search_index_for(t) is not None for t in terms)

    def index_hint(self, table: str, index: str) -> str:
        return f" INDEXED BY {index}"


class SqliteSession(SqlSession):
    """The shared session, plus the search backlog: what a writing session has read of a type's
    backlog stays true until it changes it itself (it holds the write lock), so it keeps it, and
    a create reads it in the same question as its number and the audit head."""

    def __init__(self, conn, dialect: Dialect, layout: Layout):
        super().__init__(conn, dialect, layout)
        self._backlog: dict[str, tuple[int, int]] = {}  # type → (mark, pending rows), as read by next_number

    # -- what `duty audit --verify` reads: plain tuples, the text as SQLite's own UTF-8 bytes ------
    # (duty_tui.audit.entry_rows and record_rows: no text decoded, no object per row; at a million
    # entries that is half the time of the walk)
    _AUDIT_ROWS = ("SELECT seq, CAST(ts AS BLOB), CAST(actor AS BLOB), coalesce(CAST(by_login AS BLOB), x''), CAST(action AS BLOB), "
                   "CAST(record_id AS BLOB), coalesce(CAST(before AS BLOB), x'00'), coalesce(CAST(after AS BLOB), x'00'), "
                   "CAST(prev AS BLOB), CAST(hash AS BLOB) FROM audit ORDER BY seq")

    def _plain(self, sql: str) -> Iterable[tuple]:
        cursor = self.c.db.cursor()
        cursor.row_factory = None
        return cursor.execute(sql)

    def audit_rows(self) -> Iterable[tuple]:
        """The whole chain in order: (seq, ts, actor, by, action, record_id, before, after, prev,
        hash), text as UTF-8 bytes, by b"" and before/after b"\\x00" when NULL."""
        return self._plain(self._AUDIT_ROWS)

    def raw_records(self) -> Iterable[tuple]:
        """Every record: (id, type, version, state, data, created_at, created_by, updated_at,
        updated_by), id, type, data and the stamps as UTF-8 bytes (data as stored: canonical JSON)."""
        for rt in self.record_types():
            table, lit = table_of(rt), "'" + rt + "'"  # table_of checks the name: lower_snake_case
            yield from self._plain(
                f"SELECT CAST({lit} || '-' || num AS BLOB), CAST({lit} AS BLOB), version, state, CAST(data AS BLOB), "
                f"CAST(created_at AS BLOB), CAST(created_by AS BLOB), CAST(updated_at AS BLOB), CAST(updated_by AS BLOB) "
                f"FROM {table} ORDER BY num")

    def _next_columns(self, record_type: str, code: int) -> str:
        lo, hi = key_range(code)
        return (f", (SELECT fts_upto FROM record_types WHERE type = '{record_type}') AS mark, "
                f"(SELECT count(*) FROM search_pending WHERE key BETWEEN {lo} AND {hi}) AS pending")

    def _next_read(self, record_type: str, row: Mapping[str, Any]) -> None:
        self._backlog[record_type] = (row["mark"], row["pending"])

    def _search_changed(self, rt: str, code: int, num: int | None = None, changed: int | None = None) -> None:
        """Note a change for the search indexes: a changed or deleted row at or below the type's
        mark is marked (a newer one is in the backlog already); fold the type's backlog in when it
        has grown to a batch. ``changed`` is the number of a row just created."""
        lo, hi = key_range(code)
        known = self._backlog.get(rt)
        if num is not None and (known is None or num <= known[0]):
            if self.c.run("INSERT OR IGNORE INTO search_pending (key) VALUES (:k)", {"k": lo | num}) and known is not None:
                known = self._backlog[rt] = (known[0], known[1] + 1)
        if known is not None and changed is not None:
            backlog = changed - known[0] + known[1]
        else:
            backlog = self._first(f"SELECT coalesce((SELECT max(num) FROM {table_of(rt)}), 0) "
                                  f"- (SELECT fts_upto FROM record_types WHERE type = '{rt}') "
                                  f"+ (SELECT count(*) FROM search_pending WHERE key BETWEEN {lo} AND {hi}) AS n")["n"]
        if backlog >= SEARCH_BATCH:
            self.fold_search_index(rt)

    def fold_search_index(self, record_type: str | None = None) -> None:
        """Bring the search indexes up to date with every row of a type (or of all), in this transaction."""
        for rt in [record_type] if record_type else self.record_types():
            code = self.code(rt)
            if code is None:
                continue
            (lo, hi), table = key_range(code), table_of(rt)
            pending = f"SELECT key FROM search_pending WHERE key BETWEEN {lo} AND {hi}"
            for index in ("search_trigram", "search_bigram"):
                self.c.run(f"DELETE FROM {index} WHERE rowid IN ({pending})")
            changed = (f"WHERE num > (SELECT fts_upto FROM record_types WHERE type = '{rt}') "
                       f"OR num IN (SELECT key - {lo} FROM search_pending WHERE key BETWEEN {lo} AND {hi})")
            self.c.run(f"INSERT INTO search_trigram (rowid, search) SELECT {lo} + num, search FROM {table} {changed}")
            self.c.run(f"INSERT INTO search_bigram (rowid, grams) SELECT {lo} + num, duty_bigrams(search) FROM {table} {changed}")
            self.c.run(f"UPDATE record_types SET fts_upto = (SELECT coalesce(max(num), 0) FROM {table}) WHERE type = :t", {"t": rt})
            self.c.run(f"DELETE FROM search_pending WHERE key BETWEEN {lo} AND {hi}")
            mark = self._first("SELECT fts_upto FROM record_types WHERE type = :t", {"t": rt})["fts_upto"]
            self._backlog[rt] = (mark, 0)


# -- the store ------------------------------------------------------------------------------------


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
        self.file: Path | None = None
        if self.path != ":memory:":
            self.file = Path(self.path).expanduser().absolute()
            try:
                self.file.parent.mkdir(parents=True, exist_ok=True)
            except OSError:
                pass  # a read-only medium, say: opening says what is wrong
        self.dialect = SqliteDialect()
        self.layout: Layout = EMPTY_LAYOUT
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        # How connections are opened (see _open): "normal"; on a read-only medium "read-only" or
        # "immutable"; on a full disk "full-disk". In the last three a write is refused, saying why.
        self.mode = "normal"

    # -- connections --------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._open()
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    def _open(self) -> sqlite3.Connection:
        """A connection, opened the way the medium allows.

        Normally read-write in WAL. When that fails, the medium decides (SQLite's documentation,
        wal.html, "Read-Only Databases": since 3.22.0 a WAL database on a read-only medium can be
        opened read-only when its -shm and -wal files exist, or can be created, or the database
        is immutable):

        * a read-only mount: ``mode=ro`` first, which uses the -shm and -wal when they are there
          and so also sees the changes the WAL holds and honours the locks of a writer that may
          reach the file through another path. When they are not (a store closed cleanly leaves
          neither, and none can be created), ``immutable=1``: SQLite then takes no locks and
          ignores the -wal altogether (it opens the file like a temporary one), which is only
          safe when nobody can change the file while we read and no WAL holds changes. Both hold
          here: the mount is read-only, and we go on only when there is no -wal or it is empty
          (else :func:`media.wal_without_index` says why we cannot read it);
        * a full disk (SQLite cannot size the -shm file: "disk I/O error"): read-write with
          ``locking_mode=EXCLUSIVE`` set before the first read, which keeps the wal-index in
          the process's own memory and needs no -shm (wal.html, "WAL without shared memory"),
          still takes the file's locks, and reads the -wal. The exclusive lock would keep other
          operators out for as long as it is held, so such a connection lives for one
          transaction only (:class:`_Transaction` closes it), and each new one tries the normal
          way again first once there is room.
        """
        if self.file is not None and self.mode == "full-disk" and not media.disk_full(self.file):
            self.mode = "normal"
        try:
            return self._connect(self.mode)
        except sqlite3.Error as exc:
            if self.mode != "normal" or self.file is None:
                raise self._cannot_open(exc) from None
            error = exc
        if media.medium_read_only(self.file):
            if not self.file.exists():
                raise StoreError(media.cannot_create(self.file))
            try:
                db = self._connect("read-only")
                self.mode = "read-only"
                return db
            except sqlite3.Error as exc:
                error = exc
            wal = self.file.with_name(self.file.name + "-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise StoreError(media.wal_without_index(self.file, wal))
            try:
                db = self._connect("immutable")
                self.mode = "immutable"
                return db
            except sqlite3.Error as exc:
                raise self._cannot_open(exc) from None
        if media.disk_full(self.file):
            try:
                db = self._connect("full-disk")
                self.mode = "full-disk"
                return db
            except sqlite3.Error as exc:
                error = exc
        raise self._cannot_open(error)

    def _connect(self, mode: str) -> sqlite3.Connection:
        target, uri = self.path, False
        if mode in ("read-only", "immutable"):
            target, uri = "file:" + quote(str(self.file)) + ("?mode=ro&immutable=1" if mode == "immutable" else "?mode=ro"), True
        db = sqlite3.connect(target, uri=uri, timeout=self.busy_timeout_ms / 1000, isolation_level=None,
                             check_same_thread=False, cached_statements=256)
        try:
            db.row_factory = sqlite3.Row
            db.create_function("duty_bigrams", 1, bigrams, deterministic=True)
            db.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
            if mode == "full-disk":
                db.execute("PRAGMA locking_mode=EXCLUSIVE")  # before the first read: no -shm (see _open)
            if mode in ("normal", "full-disk"):
                db.execute(f"PRAGMA page_size={self.page_size}")  # takes effect only in a new file
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(f"PRAGMA wal_autocheckpoint={self.checkpoint_pages}")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the first read: fails here if it is to fail
        except BaseException:
            db.close()
            raise
        return db

    def _cannot_open(self, exc: sqlite3.Error) -> StoreError:
        message = L("无法打开存储 {url}:{err}", "cannot open the store {url}: {err}").format(url=self.url, err=exc)
        why = media.why_unwritable(self.file) if self.file is not None else None
        if why is not None:
            message = L("{first}。{why}", "{first}. {why}").format(first=message, why=why)
        return StoreError(message)

    def _transient(self, db: sqlite3.Connection) -> bool:
        """A full disk's connection lives for one transaction (see _open): forget and close it."""
        if self.mode != "full-disk":
            return False
        self._local.db = None
        with self._lock:
            if db in self._connections:
                self._connections.remove(db)
        try:
            db.close()
        except sqlite3.Error:
            pass
        return True

    def refusal(self) -> L | None:
        """Why a write cannot start on this store as it was opened, or None."""
        if self.file is None or self.mode == "normal":
            return None
        if self.mode == "full-disk":
            if media.disk_full(self.file):
                return media.full_disk(self.file)
            return None  # room again: the write's connection opens the normal way
        return media.read_only_medium(self.file)

    def explain(self, exc: sqlite3.Error) -> L | None:
        """What a failed write meant, when the medium or a file's owner and mode tell: a full
        disk, a read-only medium, a file (the store, its -shm or -wal) this user may not write."""
        if self.file is None:
            return None
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc)
        if name == "SQLITE_FULL" or "disk is full" in text or (media.disk_full(self.file) and "I/O" in text):
            return media.full_disk(self.file)
        return media.why_unwritable(self.file)

    def _begin(self, db: sqlite3.Connection, statement: str) -> None:
        delay = 0.005
        for attempt in range(self.busy_retries + 1):
            try:
                db.execute(statement)
                return
            except sqlite3.Error as exc:
                if not _busy(exc) or attempt == self.busy_retries:
                    why = self.explain(exc) if statement != "BEGIN" else None
                    if why is not None:  # not busy at all: a file this user cannot write, a full disk
                        raise StoreError(why) from None
                    raise StoreError(L("存储正忙,请稍后再试:{err}", "the store is busy, try again: {err}").format(err=exc)) from None
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 0.5)

    def read(self) -> "_Transaction":
        """A read transaction (inside this thread's write, that write: it sees its own changes)."""
        return _Transaction(self, "BEGIN")

    def write(self) -> "_Transaction":
        refused = self.refusal()
        if refused is not None:
            raise StoreError(refused)
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
            s = SqliteSession(s.c, self.dialect, Layout.of(types))
            has_meta = s._first("SELECT 1 AS x FROM sqlite_master WHERE name = 'meta'") is not None
            codes = prepare_schema(s, types, self._base_statements, self._version(s) if has_meta else None)
            s.c.run(blob_ddl("BLOB"))  # files attached to records; older stores gain the table here
        self.layout = Layout.of(types, codes)

    @staticmethod
    def _base_statements(only: tuple[str, ...] | None = None) -> list[str]:
        from .sql_schema import create_statements

        return create_statements("sqlite", only)

    @staticmethod
    def _version(s: SqliteSession) -> str | None:
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

    def __enter__(self) -> SqliteSession:
        store = self.store
        self.db = db = store._db()
        self.nested = self.begin == "BEGIN" and db.in_transaction
        if not self.nested:
            try:
                store._begin(db, self.begin)
            except BaseException:
                store._transient(db)
                raise
        return SqliteSession(SqliteConn(db), store.dialect, store.layout)

    def __exit__(self, kind, exc, tb) -> bool:
        if self.nested:
            return False
        db, store = self.db, self.store
        try:
            if kind is not None:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    why = store.explain(exc) if self.begin != "BEGIN" else None
                    if why is not None:
                        raise StoreError(why) from exc
                    raise StoreError(L("存储出错,未写入:{err}", "store error, nothing written: {err}").format(err=exc)) from exc
                return False
            try:
                db.execute("COMMIT")
            except sqlite3.Error as error:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                why = store.explain(error) if self.begin != "BEGIN" else None
                if why is not None:
                    raise StoreError(why) from error
                raise StoreError(L("提交失败,未写入:{err}", "commit failed, nothing written: {err}").format(err=error)) from error
            return False
        finally:
            store._transient(db)
