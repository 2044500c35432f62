"""SQL backends through SQLAlchemy 2 Core: SQLite (the embedded default) and PostgreSQL.

One table of records (their fields as JSON), with expression indexes on the fields a record type
marks ``indexed`` and a trigram full-text index over the searchable text, so filters, text search
(Chinese included), sort and paging run in the database at a million records. The audit chain,
settings, users, id counters and reference links have tables of their own.

SQLite runs in WAL with a busy timeout; a write transaction starts with ``BEGIN IMMEDIATE`` (a
deferred one that later upgrades gets SQLITE_BUSY at once, ignoring the timeout) and is retried
with backoff while the database is locked. PostgreSQL serialises writers with a transaction-level
advisory lock, which keeps version checks, id allocation and the audit chain correct.
"""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Iterator, Mapping

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql as pg

from duty_tui.errors import StoreError
from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.schema import BOOL, INTEGER, LIST_KINDS, NUMBER, REFERENCES, RecordType
from duty_tui.store import AuditEntry, Filter, Query, StoredRecord, User

SCHEMA_VERSION = "1"
RECORD_COLUMNS = "pk, id, type, num, version, state, data, created_at, created_by, updated_at, updated_by"
SAFE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
ADVISORY_LOCK = 0x64757479  # "duty"
COMPARE = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
META_SORT = {"id": "num", "state": "state", "version": "version", "created_at": "created_at", "updated_at": "updated_at"}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Dialect:
    """What differs between SQLite and PostgreSQL, in one place."""

    name = "sqlite"

    def field(self, name: str, kind: str | None = None) -> str:
        return f"json_extract(data, '$.{name}')"

    def param(self, value: Any, kind: str | None) -> Any:
        return int(value) if isinstance(value, bool) else value

    def list_contains(self, name: str) -> str:
        return f"EXISTS (SELECT 1 FROM json_each(records.data, '$.{name}') WHERE value = :{{p}})"

    def list_empty(self, name: str) -> str:
        return f"coalesce(json_array_length(data, '$.{name}'), 0) = 0"

    def index_ddl(self, rt: str, name: str, kind: str) -> str:
        return f"CREATE INDEX IF NOT EXISTS ix_f_{rt}_{name} ON records ({self.field(name, kind)}, num) WHERE type = '{rt}'"

    def extra_ddl(self) -> list[str]:
        return [
            "CREATE VIRTUAL TABLE IF NOT EXISTS records_fts USING fts5(search, content='records', content_rowid='pk', tokenize='trigram')",
            "CREATE TRIGGER IF NOT EXISTS records_ai AFTER INSERT ON records BEGIN "
            "INSERT INTO records_fts(rowid, search) VALUES (new.pk, new.search); END",
            "CREATE TRIGGER IF NOT EXISTS records_ad AFTER DELETE ON records BEGIN "
            "INSERT INTO records_fts(records_fts, rowid, search) VALUES ('delete', old.pk, old.search); END",
            "CREATE TRIGGER IF NOT EXISTS records_au AFTER UPDATE OF search ON records BEGIN "
            "INSERT INTO records_fts(records_fts, rowid, search) VALUES ('delete', old.pk, old.search); "
            "INSERT INTO records_fts(rowid, search) VALUES (new.pk, new.search); END",
        ]

    def text_term(self, term: str, key: str) -> tuple[str, dict[str, Any]]:
        if len(term) >= 3:  # the trigram index needs three characters
            phrase = '"' + term.replace('"', '""') + '"'
            return f"pk IN (SELECT rowid FROM records_fts WHERE records_fts MATCH :{key})", {key: phrase}
        return f"search LIKE :{key} ESCAPE '\\'", {key: "%" + _like_escape(term) + "%"}

    def data_param(self, data: dict) -> str:
        return _dumps(data)

    def load_data(self, value: Any) -> dict:
        return json.loads(value) if isinstance(value, str) else value


class PostgresDialect(Dialect):
    name = "postgresql"

    def field(self, name: str, kind: str | None = None) -> str:
        if kind in (INTEGER, NUMBER):
            return f"((data->>'{name}')::numeric)"
        if kind == BOOL:
            return f"((data->>'{name}')::boolean)"
        return f"(data->>'{name}')"

    def param(self, value: Any, kind: str | None) -> Any:
        return value

    def list_contains(self, name: str) -> str:
        return f"(data->'{name}') @> jsonb_build_array(CAST(:{{p}} AS text))"

    def list_empty(self, name: str) -> str:
        return f"coalesce(jsonb_array_length(data->'{name}'), 0) = 0"

    def index_ddl(self, rt: str, name: str, kind: str) -> str:
        return f"CREATE INDEX IF NOT EXISTS ix_f_{rt}_{name} ON records ({self.field(name, kind)}, num) WHERE type = '{rt}'"

    def extra_ddl(self) -> list[str]:
        return [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX IF NOT EXISTS ix_records_search ON records USING gin (search gin_trgm_ops)",
        ]

    def text_term(self, term: str, key: str) -> tuple[str, dict[str, Any]]:
        return f"search LIKE :{key}", {key: "%" + _like_escape(term) + "%"}

    def data_param(self, data: dict) -> str:
        return _dumps(data)


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


metadata = sa.MetaData()
records_t = sa.Table(
    "records", metadata,
    sa.Column("pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("id", sa.Text, nullable=False, unique=True),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("num", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("state", sa.Text),
    sa.Column("data", sa.Text().with_variant(pg.JSONB(), "postgresql"), nullable=False),
    sa.Column("search", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.UniqueConstraint("type", "num", name="uq_records_type_num"),
)
sa.Index("ix_records_type_state", records_t.c.type, records_t.c.state)
links_t = sa.Table(
    "links", metadata,
    sa.Column("record_id", sa.Text, primary_key=True),
    sa.Column("field", sa.Text, primary_key=True),
    sa.Column("target", sa.Text, primary_key=True),
)
sa.Index("ix_links_target", links_t.c.target)
counters_t = sa.Table("counters", metadata, sa.Column("type", sa.Text, primary_key=True), sa.Column("last", sa.Integer, nullable=False))
# before/after stay TEXT on every backend: the audit hash covers their exact bytes.
audit_t = sa.Table(
    "audit", metadata,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=False),
    sa.Column("ts", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("by_login", sa.Text),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("record_id", sa.Text, nullable=False),
    sa.Column("before", sa.Text),
    sa.Column("after", sa.Text),
    sa.Column("prev", sa.Text, nullable=False),
    sa.Column("hash", sa.Text, nullable=False),
)
sa.Index("ix_audit_record", audit_t.c.record_id, audit_t.c.seq)
settings_t = sa.Table("settings", metadata, sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text, nullable=False))
users_t = sa.Table(
    "users", metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("person", sa.Text),
    sa.Column("created_at", sa.Text, nullable=False),
)
meta_t = sa.Table("meta", metadata, sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text, nullable=False))

T = sa.text
SQL_GET = T(f"SELECT {RECORD_COLUMNS} FROM records WHERE id = :id")
SQL_INSERT = T("INSERT INTO records (id, type, num, version, state, data, search, created_at, created_by, updated_at, updated_by) "
               "VALUES (:id, :type, :num, :version, :state, :data, :search, :created_at, :created_by, :updated_at, :updated_by)")
SQL_UPDATE = T("UPDATE records SET version = :version, state = :state, data = :data, search = :search, "
               "updated_at = :updated_at, updated_by = :updated_by WHERE id = :id")
SQL_LINKS_DEL = T("DELETE FROM links WHERE record_id = :id")
SQL_LINKS_INS = T("INSERT INTO links (record_id, field, target) VALUES (:record_id, :field, :target)")
SQL_AUDIT_HEAD = T("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
SQL_AUDIT_INS = T("INSERT INTO audit (seq, ts, actor, by_login, action, record_id, before, after, prev, hash) "
                  "VALUES (:seq, :ts, :actor, :by, :action, :record_id, :before, :after, :prev, :hash)")
SQL_COUNTER_BUMP = T("UPDATE counters SET last = last + 1 WHERE type = :type RETURNING last")
SQL_COUNTER_NEW = T("INSERT INTO counters (type, last) VALUES (:type, 1 + coalesce((SELECT max(num) FROM records WHERE type = :type), 0)) RETURNING last")


def _record(row: Any, dialect: Dialect) -> StoredRecord:
    return StoredRecord(id=row.id, type=row.type, num=row.num, version=row.version, state=row.state,
                        data=dialect.load_data(row.data), created_at=row.created_at, created_by=row.created_by,
                        updated_at=row.updated_at, updated_by=row.updated_by)


def _audit_entry(row: Any) -> AuditEntry:
    return AuditEntry(seq=row.seq, ts=row.ts, actor=row.actor, by=row.by_login, action=row.action, record_id=row.record_id,
                      before=row.before, after=row.after, prev=row.prev, hash=row.hash)


class SqlSession:
    """Reads and writes on one connection inside one transaction."""

    def __init__(self, conn: sa.Connection, store: "SqlStore"):
        self.conn, self.store, self.d = conn, store, store.dialect

    # -- reading ------------------------------------------------------------------------------
    def get(self, record_id: str) -> StoredRecord | None:
        row = self.conn.execute(SQL_GET, {"id": record_id}).first()
        return _record(row, self.d) if row else None

    def _where(self, q: Query) -> tuple[str, dict[str, Any]]:
        rt = q.type
        if not SAFE_NAME.match(rt):
            raise ValueError(f"bad record type name {rt!r}")
        clauses, params = [f"type = '{rt}'"], {}
        kinds = self.store.kinds.get(rt, {})
        for i, f in enumerate(q.filters):
            clause, p = self._filter(f, kinds, f"p{i}")
            clauses.append(clause)
            params.update(p)
        if q.text:
            for j, term in enumerate(q.text.split()):
                clause, p = self.d.text_term(term, f"t{j}")
                clauses.append(clause)
                params.update(p)
        return " AND ".join(clauses), params

    def _filter(self, f: Filter, kinds: Mapping[str, str], key: str) -> tuple[str, dict[str, Any]]:
        if f.field in META_SORT and f.field not in kinds:
            column = "id" if f.field == "id" else META_SORT[f.field]
            kind = None
        else:
            if not SAFE_NAME.match(f.field):
                raise ValueError(f"bad field name {f.field!r}")
            kind = kinds.get(f.field)
            column = self.d.field(f.field, kind)
        if kind in LIST_KINDS:
            if f.op == "contains":
                if kind == REFERENCES:
                    return (f"EXISTS (SELECT 1 FROM links l WHERE l.record_id = records.id AND l.field = '{f.field}' AND l.target = :{key})",
                            {key: f.value})
                return self.d.list_contains(f.field).format(p=key), {key: f.value}
            if f.op in ("empty", "not_empty"):
                clause = self.d.list_empty(f.field)
                return (clause if f.op == "empty" else f"NOT ({clause})"), {}
            raise ValueError(f"operator {f.op!r} does not apply to list field {f.field!r}")
        if f.op == "empty":
            return f"({column} IS NULL OR {column} = '')" if kind not in (INTEGER, NUMBER, BOOL) else f"{column} IS NULL", {}
        if f.op == "not_empty":
            return f"({column} IS NOT NULL AND {column} != '')" if kind not in (INTEGER, NUMBER, BOOL) else f"{column} IS NOT NULL", {}
        if f.op == "between":
            lo, hi = f.value
            return f"{column} BETWEEN :{key}a AND :{key}b", {f"{key}a": self.d.param(lo, kind), f"{key}b": self.d.param(hi, kind)}
        if f.op == "in":
            names = [f"{key}_{i}" for i in range(len(f.value))] or [None]
            if names == [None]:
                return "1 = 0", {}
            return f"{column} IN ({', '.join(':' + n for n in names)})", {n: self.d.param(v, kind) for n, v in zip(names, f.value)}
        if f.op == "contains":
            return f"{column} LIKE :{key} ESCAPE '\\'", {key: "%" + _like_escape(str(f.value)) + "%"}
        return f"{column} {COMPARE[f.op]} :{key}", {key: self.d.param(f.value, kind)}

    def _order(self, q: Query) -> str:
        kinds = self.store.kinds.get(q.type, {})
        parts = []
        for name, desc in q.sort:
            if name in META_SORT and name not in kinds:
                col = META_SORT[name]
            elif SAFE_NAME.match(name):
                col = self.d.field(name, kinds.get(name))
            else:
                raise ValueError(f"bad sort field {name!r}")
            parts.append(f"{col} {'DESC' if desc else 'ASC'}")
        last_desc = bool(q.sort and q.sort[-1][1])
        parts.append("num DESC" if last_desc else "num ASC")
        return ", ".join(parts)

    def query(self, q: Query) -> list[StoredRecord]:
        where, params = self._where(q)
        sql = f"SELECT {RECORD_COLUMNS} FROM records WHERE {where} ORDER BY {self._order(q)}"
        if q.limit is not None:
            sql += " LIMIT :_limit"
            params["_limit"] = q.limit
        if q.offset:
            sql += (" OFFSET :_offset" if q.limit is not None else (" LIMIT -1 OFFSET :_offset" if self.d.name == "sqlite" else " OFFSET :_offset"))
            params["_offset"] = q.offset
        return [_record(row, self.d) for row in self.conn.execute(T(sql), params)]

    def count(self, q: Query) -> int:
        where, params = self._where(q)
        return self.conn.execute(T(f"SELECT count(*) FROM records WHERE {where}"), params).scalar_one()

    def referrers(self, record_id: str, limit: int = 10) -> list[tuple[str, str]]:
        rows = self.conn.execute(T("SELECT record_id, field FROM links WHERE target = :t ORDER BY record_id LIMIT :n"),
                                 {"t": record_id, "n": limit})
        return [(r.record_id, r.field) for r in rows]

    def audit(self, record_id: str | None = None, after_seq: int = 0, limit: int | None = None) -> Iterator[AuditEntry]:
        sql = "SELECT seq, ts, actor, by_login, action, record_id, before, after, prev, hash FROM audit WHERE seq > :after"
        params: dict[str, Any] = {"after": after_seq}
        if record_id is not None:
            sql += " AND record_id = :rid"
            params["rid"] = record_id
        sql += " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT :n"
            params["n"] = limit
        result = self.conn.execution_options(yield_per=2000).execute(T(sql), params)
        for row in result:
            yield _audit_entry(row)

    def audit_head(self) -> tuple[int, str]:
        row = self.conn.execute(SQL_AUDIT_HEAD).first()
        return (row.seq, row.hash) if row else (0, "0" * 64)

    def settings(self) -> dict[str, Any]:
        return {r.key: json.loads(r.value) for r in self.conn.execute(T("SELECT key, value FROM settings"))}

    def users(self) -> list[User]:
        rows = self.conn.execute(T("SELECT name, role, person, created_at FROM users ORDER BY name"))
        return [User(r.name, r.role, r.person, r.created_at) for r in rows]

    def get_user(self, name: str) -> User | None:
        r = self.conn.execute(T("SELECT name, role, person, created_at FROM users WHERE name = :n"), {"n": name}).first()
        return User(r.name, r.role, r.person, r.created_at) if r else None

    def counters(self) -> dict[str, int]:
        return {r.type: r.last for r in self.conn.execute(T("SELECT type, last FROM counters"))}

    def type_counts(self) -> dict[str, int]:
        return {r.type: r.n for r in self.conn.execute(T("SELECT type, count(*) AS n FROM records GROUP BY type"))}

    def all_records(self) -> Iterator[StoredRecord]:
        result = self.conn.execution_options(yield_per=2000).execute(T(f"SELECT {RECORD_COLUMNS} FROM records ORDER BY pk"))
        for row in result:
            yield _record(row, self.d)

    # -- writing -------------------------------------------------------------------------------
    def next_number(self, record_type: str) -> int:
        value = self.conn.execute(SQL_COUNTER_BUMP, {"type": record_type}).scalar()
        if value is None:
            value = self.conn.execute(SQL_COUNTER_NEW, {"type": record_type}).scalar_one()
        return value

    def set_counter(self, record_type: str, last: int) -> None:
        self.conn.execute(T("DELETE FROM counters WHERE type = :t"), {"t": record_type})
        self.conn.execute(T("INSERT INTO counters (type, last) VALUES (:t, :n)"), {"t": record_type, "n": last})

    def _params(self, r: StoredRecord) -> dict[str, Any]:
        return {"id": r.id, "type": r.type, "num": r.num, "version": r.version, "state": r.state,
                "data": self.d.data_param(r.data), "search": r.search, "created_at": r.created_at,
                "created_by": r.created_by, "updated_at": r.updated_at, "updated_by": r.updated_by}

    def _write_links(self, r: StoredRecord) -> None:
        if r.links:
            self.conn.execute(SQL_LINKS_INS, [{"record_id": r.id, "field": f, "target": t} for f, t in r.links])

    def insert(self, record: StoredRecord) -> None:
        self.conn.execute(SQL_INSERT, self._params(record))
        self._write_links(record)

    def update(self, record: StoredRecord) -> None:
        done = self.conn.execute(SQL_UPDATE, self._params(record))
        if done.rowcount != 1:
            raise StoreError(L("记录 {id} 不存在", "record {id} does not exist").format(id=record.id))
        self.conn.execute(SQL_LINKS_DEL, {"id": record.id})
        self._write_links(record)

    def delete(self, record_id: str) -> None:
        self.conn.execute(T("DELETE FROM records WHERE id = :id"), {"id": record_id})
        self.conn.execute(SQL_LINKS_DEL, {"id": record_id})

    def append_audit(self, e: AuditEntry) -> None:
        self.conn.execute(SQL_AUDIT_INS, {"seq": e.seq, "ts": e.ts, "actor": e.actor, "by": e.by, "action": e.action,
                                          "record_id": e.record_id, "before": e.before, "after": e.after,
                                          "prev": e.prev, "hash": e.hash})

    def put_setting(self, key: str, value: Any) -> None:
        self.delete_setting(key)
        self.conn.execute(T("INSERT INTO settings (key, value) VALUES (:k, :v)"), {"k": key, "v": _dumps(value)})

    def delete_setting(self, key: str) -> None:
        self.conn.execute(T("DELETE FROM settings WHERE key = :k"), {"k": key})

    def put_user(self, user: User) -> None:
        self.delete_user(user.name)
        self.conn.execute(T("INSERT INTO users (name, role, person, created_at) VALUES (:n, :r, :p, :c)"),
                          {"n": user.name, "r": user.role, "p": user.person, "c": user.created_at})

    def delete_user(self, name: str) -> None:
        self.conn.execute(T("DELETE FROM users WHERE name = :n"), {"n": name})


class SqlStore:
    """A store in a SQL database. ``sqlite:///path`` or ``postgresql://user@host/db``."""

    busy_retries = 8

    def __init__(self, url: str, *, schema: str | None = None):
        self.url = url
        self.kinds: dict[str, dict[str, str]] = {}
        if url.startswith("sqlite"):
            self.dialect: Dialect = Dialect()
            path = url.split(":///", 1)[-1]
            if path and ":memory:" not in path:
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            self.engine = sa.create_engine(url, connect_args={"timeout": 10}, poolclass=sa.pool.QueuePool if ":memory:" not in url else sa.pool.StaticPool)
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        elif url.startswith("postgresql"):
            self.dialect = PostgresDialect()
            sa_url = sa.engine.make_url(url)
            if sa_url.drivername == "postgresql":
                sa_url = sa_url.set(drivername="postgresql+psycopg")
            search_path = sa_url.query.get("schema") or schema
            if search_path:
                sa_url = sa_url.difference_update_query(["schema"])
            self.engine = sa.create_engine(sa_url, pool_pre_ping=True)
            if search_path:
                if not SAFE_NAME.match(search_path):
                    raise StoreError(L("schema 名称无效", "invalid schema name"))
                self.schema = search_path

                @event.listens_for(self.engine, "connect")
                def _set_path(dbapi_conn, _record, _schema=search_path):
                    with dbapi_conn.cursor() as cur:
                        cur.execute(f'CREATE SCHEMA IF NOT EXISTS "{_schema}"')
                        cur.execute(f'SET search_path TO "{_schema}", public')
                    dbapi_conn.commit()
        else:
            raise StoreError(L("不支持的存储地址 {url}", "unsupported store URL {url}").format(url=url))

    def prepare(self, types: Mapping[str, RecordType]) -> None:
        self.kinds = {name: {f.name: f.kind for f in rt.fields} for name, rt in types.items()}
        with self._connect() as conn:
            with conn.begin():
                existing = set(sa.inspect(conn).get_table_names())
                if not {"records", "audit", "meta"} <= existing:
                    metadata.create_all(conn)
                    for ddl in self.dialect.extra_ddl():
                        conn.exec_driver_sql(ddl)
                    conn.execute(T("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"), {"v": SCHEMA_VERSION})
                version = conn.execute(T("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
                if version != SCHEMA_VERSION:
                    raise StoreError(L("存储的结构版本 {v} 与本程序({want})不符", "the store's schema version {v} does not match this program's ({want})").format(v=version, want=SCHEMA_VERSION))
                for name, rt in types.items():
                    for f in rt.fields:
                        if f.indexed and f.kind not in LIST_KINDS:
                            conn.exec_driver_sql(self.dialect.index_ddl(name, f.name, f.kind))

    @contextmanager
    def _connect(self, write: bool = False) -> Iterator[sa.Connection]:
        try:
            conn = self.engine.connect()
        except sa.exc.OperationalError as exc:
            raise StoreError(L("无法打开存储 {url}:{err}", "cannot open the store {url}: {err}").format(url=self.url, err=exc.orig)) from None
        conn.info["duty_write"] = write
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def read(self) -> Iterator[SqlSession]:
        with self._connect() as conn, conn.begin():
            yield SqlSession(conn, self)

    @contextmanager
    def write(self) -> Iterator[SqlSession]:
        with self._connect(write=True) as conn:
            tx = self._begin(conn)
            try:
                if self.dialect.name == "postgresql":
                    conn.execute(T("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK})
                yield SqlSession(conn, self)
            except BaseException:
                tx.rollback()
                raise
            tx.commit()

    def _begin(self, conn: sa.Connection) -> sa.RootTransaction:
        delay = 0.01
        for attempt in range(self.busy_retries + 1):
            try:
                return conn.begin()
            except sa.exc.OperationalError as exc:
                if "locked" not in str(exc.orig) or attempt == self.busy_retries:
                    raise StoreError(L("存储正忙,请稍后再试:{err}", "the store is busy, try again: {err}").format(err=exc.orig)) from None
                conn.rollback()
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 1.0)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_connect(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("duty_write") else "BEGIN")


@hookimpl
def duty_register_backends(register):
    register("sqlite", SqlStore)
    register("postgresql", SqlStore)
