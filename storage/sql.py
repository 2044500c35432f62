"""SQL backends: SQLite (the embedded default) and PostgreSQL (a county), one design.

A table of records per record type (``records_<type>``: the number of the id as its key, the
fields as JSON) with an expression index on each field the type marks ``indexed``, and a trigram
index over the searchable text, so filters, text search (Chinese included), sort and paging run in
the database at a million records. The audit chain, settings, users, id counters, reference links
and the list of record types have tables of their own (``sql_schema.py``).

Why a table per type and not one table of all records with partial indexes (schema version 1):
SQLite opens a cursor on every index of a table for each INSERT and tests every partial index's
WHERE, so with the ninety-odd field indexes of the built-in plugins an audited create spent more
on the indexes of other types than on its own row (measured: 33 µs of the 35 µs INSERT). A table
per type also makes the id's number the row's key, so a record is found without a second index.

Both backends share :class:`SqlSession`, which speaks plain SQL with ``:name`` parameters through
a small connection adapter; what differs between the databases is in a :class:`Dialect`. SQLite
runs on the standard library's driver (``sqlite.py``, which also keeps its search indexes a batch
behind the records: the search backlog); PostgreSQL on SQLAlchemy Core with psycopg
(``postgresql.py``). This module holds only what both share and imports neither, so loading the
plugin costs nothing at start-up.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Protocol

from duty_tui.errors import StoreError
from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.schema import BOOL, INTEGER, LIST_KINDS, NUMBER, REFERENCES
from duty_tui.store import MAX_RECORD_NUMBER, AuditEntry, BlobInfo, Filter, Query, StoredRecord, User

SCHEMA_VERSION = "2"
RECORD_COLUMNS = "num, version, state, data, created_at, created_by, updated_at, updated_by"
AUDIT_COLUMNS = "seq, ts, actor, by_login, action, record_id, before, after, prev, hash"
SAFE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
COMPARE = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
META_COLUMNS = {"id": "num", "state": "state", "version": "version", "created_at": "created_at",
                "updated_at": "updated_at", "created_by": "created_by", "updated_by": "updated_by"}
STREAM_BATCH = 2000
MAX_NUM = MAX_RECORD_NUMBER  # what SQLite's search keys leave for the number (sqlite.KEY_BITS)


# one encoder, not one per call. Keys sorted: a record's data is then the canonical JSON the audit
# chain's snapshots are made of, so `duty audit --verify` compares its bytes without parsing them
dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


ID_RE = re.compile(r"^([a-z][a-z0-9_]*)-([1-9][0-9]{0,17})$")


def split_id(record_id: str) -> dict[str, Any]:
    """``unit-12`` → the (type, num) key every record is stored under; a malformed id matches nothing."""
    m = ID_RE.match(record_id or "")
    return {"type": m.group(1), "num": int(m.group(2))} if m else {"type": "", "num": 0}


def table_of(record_type: str) -> str:
    """The table that holds a type's records (the name is checked: it is written into SQL)."""
    if not SAFE_NAME.match(record_type or ""):
        raise ValueError(f"bad record type name {record_type!r}")
    return f"records_{record_type}"


def like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class Conn(Protocol):
    """The little a session needs of a database connection; rows are mappings by column name."""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterable[Mapping[str, Any]]: ...
    def stream(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterable[Mapping[str, Any]]: ...
    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> int: ...
    def run_many(self, sql: str, params: list[Mapping[str, Any]]) -> None: ...


class Dialect:
    """The SQL both databases share, spelled as SQLite spells it. SQLite's search indexes are in
    ``sqlite.py`` (``SqliteDialect``); PostgreSQL's differences in :class:`PostgresDialect`."""

    name = "sql"
    json_param = ":data"
    greatest = "max"
    # the hot inserts bind by position (the driver looks up every named parameter in a dict)
    positional = True

    def field(self, name: str, kind: str | None = None) -> str:
        return f"json_extract(data, '$.{name}')"

    def column(self, name: str) -> str:
        return name

    def param(self, value: Any, kind: str | None) -> Any:
        return int(value) if isinstance(value, bool) else value

    def any_of(self, column: str, key: str, values: list[Any], sql_type: str) -> tuple[str, dict[str, Any]] | None:
        """``column`` is one of ``values``, as one array parameter (None: spelt ``IN (:a, :b, …)``)."""
        return None

    def order(self, expr: str, desc: bool) -> str:
        return f"{expr} {'DESC' if desc else 'ASC'}"  # SQLite puts NULLs first ascending, last descending

    def list_contains(self, name: str, key: str) -> str:  # every query names its table `records`
        return f"EXISTS (SELECT 1 FROM json_each(records.data, '$.{name}') WHERE value = :{key})"

    def list_empty(self, name: str) -> str:
        return f"coalesce(json_array_length(data, '$.{name}'), 0) = 0"

    def table_ddl(self, rt: str) -> list[str]:
        return [f"CREATE TABLE IF NOT EXISTS {table_of(rt)} (num INTEGER PRIMARY KEY, version INTEGER NOT NULL, state TEXT, "
                "data TEXT NOT NULL, search TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, created_by TEXT NOT NULL, "
                "updated_at TEXT NOT NULL, updated_by TEXT NOT NULL, links TEXT NOT NULL DEFAULT '')"]

    def index_ddl(self, rt: str, name: str, kind: str) -> str:
        # every index of a rowid table ends in the rowid (num), so it also serves ORDER BY field, num
        return f"CREATE INDEX IF NOT EXISTS ix_f_{rt}_{name} ON {table_of(rt)} ({self.field(name, kind)})"

    def extra_ddl(self) -> list[str]:
        """Tables a new store has besides ``sql_schema.py``'s (SQLite: its search indexes)."""
        return []

    def drop_v1_search(self) -> list[str]:
        """Statements that drop schema 1's search indexes when a store is migrated."""
        return []

    def text_term(self, term: str, key: str, rt: str, code: int) -> tuple[str, dict[str, Any]]:
        """The condition for one search term on a type's rows (``code`` is the type's code)."""
        return f"search LIKE :{key} ESCAPE '\\'", {key: like_pattern(term)}

    def index_drives_search(self, text: str | None) -> bool:
        """Whether a search is answered from the indexes (no term is left to a scan)."""
        return False

    def index_hint(self, table: str, index: str) -> str:
        """How a query names the index it is to walk (only SQLite's planner needs telling)."""
        return ""

    search_order = "num"

    def load_data(self, value: Any) -> dict:
        return json.loads(value) if isinstance(value, str) else value

    def has_column(self, s: "SqlSession", table: str, column: str) -> bool:
        return any(r["name"] == column for r in s.c.rows(f"PRAGMA table_info({table})"))

    def offset_only(self) -> str:
        return " LIMIT -1 OFFSET :_offset"


class PostgresDialect(Dialect):
    name = "postgresql"
    greatest = "GREATEST"
    positional = False  # statements bind by name (psycopg's %(name)s, storage/postgresql.py); pg_trgm's GIN index has its own pending list
    json_param = "CAST(:data AS jsonb)"

    def field(self, name: str, kind: str | None = None) -> str:
        if kind in (INTEGER, NUMBER):
            return f"((data->>'{name}')::numeric)"
        if kind == BOOL:
            return f"((data->>'{name}')::boolean)"
        return f"((data->>'{name}') COLLATE \"C\")"  # code-point order, never the locale's

    def column(self, name: str) -> str:
        return f'{name} COLLATE "C"' if name in ("state", "created_by", "updated_by") else name

    def param(self, value: Any, kind: str | None) -> Any:
        return value

    def any_of(self, column: str, key: str, values: list[Any], sql_type: str) -> tuple[str, dict[str, Any]] | None:
        # one statement whatever the number of values, so psycopg prepares it once and the driver
        # does not parse a statement of hundreds of placeholders each time (a scope's filters
        # name a town's 300 persons)
        return f"{column} = ANY(CAST(:{key} AS {sql_type}[]))", {key: list(values)}

    def order(self, expr: str, desc: bool) -> str:
        return f"{expr} {'DESC NULLS LAST' if desc else 'ASC NULLS FIRST'}"

    def list_contains(self, name: str, key: str) -> str:
        return f"(data->'{name}') @> jsonb_build_array(CAST(:{key} AS text))"

    def list_empty(self, name: str) -> str:
        return f"(CASE WHEN jsonb_typeof(data->'{name}') = 'array' THEN jsonb_array_length(data->'{name}') ELSE 0 END) = 0"

    def table_ddl(self, rt: str) -> list[str]:
        return [f"CREATE TABLE IF NOT EXISTS {table_of(rt)} (num BIGINT PRIMARY KEY, version INTEGER NOT NULL, state TEXT, "
                "data JSONB NOT NULL, search TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, created_by TEXT NOT NULL, "
                "updated_at TEXT NOT NULL, updated_by TEXT NOT NULL, links TEXT NOT NULL DEFAULT '')",
                # pg_trgm itself is created (in public, once per database) by the store before this
                f"CREATE INDEX IF NOT EXISTS ix_s_{rt} ON {table_of(rt)} USING gin (search public.gin_trgm_ops)"]

    def index_ddl(self, rt: str, name: str, kind: str) -> str:
        # NULLS FIRST, as the ORDER BY puts them, so a sorted page reads the index in order
        return f"CREATE INDEX IF NOT EXISTS ix_f_{rt}_{name} ON {table_of(rt)} ({self.field(name, kind)} ASC NULLS FIRST, num)"

    def text_term(self, term: str, key: str, rt: str, code: int) -> tuple[str, dict[str, Any]]:
        return f"search LIKE :{key}", {key: like_pattern(term)}

    def has_column(self, s: "SqlSession", table: str, column: str) -> bool:
        return s._first("SELECT 1 AS x FROM information_schema.columns WHERE table_schema = current_schema() "
                        "AND table_name = :t AND column_name = :c", {"t": table, "c": column}) is not None

    def offset_only(self) -> str:
        return " OFFSET :_offset"

    def index_drives_search(self, text: str | None) -> bool:
        terms = (text or "").split()
        return bool(terms) and all(len(t) >= 3 for t in terms)  # what pg_trgm can answer

    # "num + 0" keeps the planner from walking the type in order and betting that matches come
    # early (a search that matches nothing then reads every row); it fetches the matches from
    # the trigram index and sorts them
    search_order = "(num + 0)"


def _record(rt: str, row: Mapping[str, Any], dialect: Dialect) -> StoredRecord:
    return StoredRecord(id=f"{rt}-{row['num']}", type=rt, num=row["num"], version=row["version"], state=row["state"],
                        data=dialect.load_data(row["data"]), created_at=row["created_at"], created_by=row["created_by"],
                        updated_at=row["updated_at"], updated_by=row["updated_by"])


def _audit_entry(row: Mapping[str, Any]) -> AuditEntry:
    return AuditEntry(seq=row["seq"], ts=row["ts"], actor=row["actor"], by=row["by_login"], action=row["action"],
                      record_id=row["record_id"], before=row["before"], after=row["after"], prev=row["prev"], hash=row["hash"])


AUDIT_HEAD = "(SELECT {col} FROM audit ORDER BY seq DESC LIMIT 1)"
ROW_FIELDS = ("num", "version", "state", "data", "search", "created_at", "created_by", "updated_at", "updated_by", "links")
_SQL: dict[tuple, str] = {}  # statements built once per dialect and type


class SqlSession:
    """Reads and writes inside one transaction of one connection (the store's Reader/Writer).

    A writing session holds the store's write lock for its whole life (SQLite's BEGIN IMMEDIATE,
    PostgreSQL's advisory lock), so what it has read of the audit head stays true until it changes
    it itself; it keeps it, and a create asks the database one question for its number and the
    head together (SQLite's session adds its search backlog to that question: ``sqlite.py``).
    """

    def __init__(self, conn: Conn, dialect: Dialect, layout: "Layout"):
        self.c, self.d, self.layout = conn, dialect, layout
        self.kinds, self.indexed = layout.kinds, layout.indexed
        self._head: tuple[int, str] | None = None

    def _first(self, sql: str, params: Mapping[str, Any] | None = None) -> Mapping[str, Any] | None:
        for row in self.c.rows(sql, params):
            return row
        return None

    # -- the tables of record types ----------------------------------------------------------------
    def code(self, rt: str) -> int | None:
        """The type's code, or None when the store has no table for it (no record ever)."""
        code = self.layout.codes.get(rt)
        if code is None:  # a type this process did not prepare (another process's plugin)
            row = self._first("SELECT code FROM record_types WHERE type = :t", {"t": rt})
            code = row["code"] if row else None
        return code

    def record_types(self) -> list[str]:
        """The types the store has tables for, in the order they were first made (the core's
        types first, so an export lists units before the people in them)."""
        return [r["type"] for r in self.c.rows("SELECT type FROM record_types ORDER BY code")]

    def ensure_type(self, rt: str, index_ddl: Iterable[str] = ()) -> int:
        """Make the table of a type (and the given indexes) if the store has none; its code."""
        table_of(rt)
        for statement in self.d.table_ddl(rt):
            self.c.run(statement)
        for statement in index_ddl:
            self.c.run(statement)
        self.c.run("INSERT INTO record_types (type, code, fts_upto) "
                   "SELECT :t, coalesce((SELECT max(code) FROM record_types), 0) + 1, 0 "
                   "WHERE NOT EXISTS (SELECT 1 FROM record_types WHERE type = :t)", {"t": rt})
        return self._first("SELECT code FROM record_types WHERE type = :t", {"t": rt})["code"]

    def _writable(self, rt: str) -> int:
        code = self.code(rt)
        return self.ensure_type(rt) if code is None else code

    # -- reading ------------------------------------------------------------------------------
    def _by_number(self, what: str, record_id: str) -> Mapping[str, Any] | None:
        key = split_id(record_id)
        rt = key["type"]
        if not rt or self.code(rt) is None:
            return None
        sql = _SQL.get((what, rt))
        if sql is None:
            sql = _SQL[(what, rt)] = f"SELECT {what} FROM {table_of(rt)} WHERE num = :num"
        return self._first(sql, key)

    def get(self, record_id: str) -> StoredRecord | None:
        row = self._by_number(RECORD_COLUMNS, record_id)
        return _record(record_id.rsplit("-", 1)[0], row, self.d) if row else None

    def exists(self, record_id: str) -> bool:
        return self._by_number("1 AS x", record_id) is not None

    def _where(self, q: Query, code: int) -> tuple[str, dict[str, Any]]:
        clauses, params = [], {}
        kinds = self.kinds.get(q.type, {})
        for i, f in enumerate(q.filters):
            clause, p = self._filter(f, kinds, f"p{i}", q.type)
            clauses.append(clause)
            params.update(p)
        for j, term in enumerate((q.text or "").split()):
            clause, p = self.d.text_term(term, f"t{j}", q.type, code)
            clauses.append(clause)
            params.update(p)
        return " AND ".join(clauses) or "1 = 1", params

    def _expr(self, name: str, kinds: Mapping[str, str]) -> tuple[str, str | None]:
        if name in META_COLUMNS and name not in kinds:
            return self.d.column(META_COLUMNS[name]), None
        if not SAFE_NAME.match(name):
            raise ValueError(f"bad field name {name!r}")
        return self.d.field(name, kinds.get(name)), kinds.get(name)

    def _filter(self, f: Filter, kinds: Mapping[str, str], key: str, q_type: str) -> tuple[str, dict[str, Any]]:
        if f.field == "id" and f.field not in kinds and f.op in ("eq", "ne", "in"):  # by the number
            values = f.value if f.op == "in" else (f.value,)
            nums = [k["num"] if k["type"] == q_type else 0 for k in map(split_id, map(str, values))]
            if f.op != "in":
                return f"num {COMPARE[f.op]} :{key}", {key: nums[0]}
            if not nums:
                return "1 = 0", {}
            array = self.d.any_of("num", key, nums, "bigint")
            if array is not None:
                return array
            return (f"num IN ({', '.join(f':{key}_{i}' for i in range(len(nums)))})",
                    {f"{key}_{i}": n for i, n in enumerate(nums)})
        record_id = f"('{q_type}-' || num)"
        column, kind = (record_id, None) if f.field == "id" else self._expr(f.field, kinds)
        if kind in LIST_KINDS:
            if f.op == "contains":
                if kind == REFERENCES:
                    return (f"EXISTS (SELECT 1 FROM links l WHERE l.record_id = {record_id} AND l.field = '{f.field}' "
                            f"AND l.target = :{key})", {key: f.value})
                return self.d.list_contains(f.field, key), {key: f.value}
            if f.op in ("empty", "not_empty"):
                clause = self.d.list_empty(f.field)
                return (clause if f.op == "empty" else f"NOT ({clause})"), {}
            raise ValueError(f"operator {f.op!r} does not apply to the list field {f.field!r}")
        textual = kind not in (INTEGER, NUMBER, BOOL)
        is_empty = f"({column} IS NULL OR {column} = '')" if textual else f"{column} IS NULL"
        if f.op == "empty":
            return is_empty, {}
        if f.op == "not_empty":
            return f"NOT {is_empty}", {}
        if f.op == "between":
            lo, hi = f.value
            return f"{column} BETWEEN :{key}a AND :{key}b", {f"{key}a": self.d.param(lo, kind), f"{key}b": self.d.param(hi, kind)}
        if f.op == "in":
            if not f.value:
                return "1 = 0", {}
            if textual and all(isinstance(v, str) for v in f.value):
                array = self.d.any_of(column, key, list(f.value), "text")
                if array is not None:
                    return array
            names = [f"{key}_{i}" for i in range(len(f.value))]
            return f"{column} IN ({', '.join(':' + n for n in names)})", {n: self.d.param(v, kind) for n, v in zip(names, f.value)}
        if f.op == "contains":
            return f"lower({column}) LIKE :{key} ESCAPE '\\'", {key: like_pattern(str(f.value).lower())}
        if f.op == "ne":
            return f"({column} IS NULL OR {column} != :{key})", {key: self.d.param(f.value, kind)}
        return f"{column} {COMPARE[f.op]} :{key}", {key: self.d.param(f.value, kind)}

    def _order(self, q: Query) -> str:
        kinds = self.kinds.get(q.type, {})
        parts = [self.d.order(self._expr(name, kinds)[0], desc) for name, desc in q.sort]
        tie = self.d.search_order if self.d.index_drives_search(q.text) else "num"
        parts.append(f"{tie} DESC" if q.sort and q.sort[-1][1] else f"{tie} ASC")
        return ", ".join(parts)

    def _index_hint(self, q: Query) -> str:
        """When the first sort key has an index and no indexed equality narrows the rows, walking
        that index is what keeps a page of a million records fast; SQLite's planner, knowing
        nothing of the data, may instead read the whole table and sort it."""
        indexed = self.indexed.get(q.type, frozenset())
        if not q.sort or q.sort[0][0] not in indexed or q.text:
            return ""
        if any(f.op == "eq" and f.field in indexed for f in q.filters):
            return ""
        return self.d.index_hint(table_of(q.type), f"ix_f_{q.type}_{q.sort[0][0]}")

    def _select(self, q: Query, columns: str) -> tuple[str, dict[str, Any]] | None:
        """``SELECT columns`` of the records ``q`` selects, in its order and window, with its
        parameters; None when the type has no records yet."""
        table_of(q.type)  # checks the name
        code = self.code(q.type)
        if code is None:
            return None
        where, params = self._where(q, code)
        sql = f"SELECT {columns} FROM {table_of(q.type)} AS records{self._index_hint(q)} WHERE {where} ORDER BY {self._order(q)}"
        if q.limit is not None:
            sql += " LIMIT :_limit" + (" OFFSET :_offset" if q.offset else "")
            params["_limit"] = q.limit
        elif q.offset:
            sql += self.d.offset_only()
        if q.offset:
            params["_offset"] = q.offset
        return sql, params

    def query(self, q: Query) -> list[StoredRecord]:
        select = self._select(q, RECORD_COLUMNS)
        return self._records(q.type, *select) if select else []

    def _records(self, rt: str, sql: str, params: dict[str, Any]) -> list[StoredRecord]:
        """The records a ``SELECT {RECORD_COLUMNS}`` of type ``rt`` returns."""
        return [_record(rt, row, self.d) for row in self.c.rows(sql, params)]

    def query_ids(self, q: Query) -> list[str]:
        """The ids of the records ``q`` selects, in its order, without reading their data (what a
        scope's filters need of the records they follow: a town's persons, its outlets)."""
        select = self._select(q, "num")
        return [f"{q.type}-{row['num']}" for row in self.c.rows(*select)] if select else []

    def field_of(self, q: Query, name: str) -> list[tuple[str, Any]]:
        """(id, the stored value of field ``name``) of each record ``q`` selects, in its order,
        without reading the rest of their data (the unit tree: every unit's parent)."""
        table_of(q.type)
        code = self.code(q.type)
        if code is None:
            return []
        if q.limit is not None or q.offset:
            return [(r.id, r.data.get(name)) for r in self.query(q)]
        where, params = self._where(q, code)
        expr = self.d.field(name, self.kinds.get(q.type, {}).get(name))
        sql = f"SELECT num, {expr} AS value FROM {table_of(q.type)} AS records WHERE {where} ORDER BY {self._order(q)}"
        return [(f"{q.type}-{row['num']}", row["value"]) for row in self.c.rows(sql, params)]

    def count(self, q: Query) -> int:
        table_of(q.type)
        code = self.code(q.type)
        if code is None:
            return 0
        where, params = self._where(q, code)
        return self._first(f"SELECT count(*) AS n FROM {table_of(q.type)} AS records WHERE {where}", params)["n"]

    def referrers(self, record_id: str, limit: int = 10) -> list[tuple[str, str]]:
        rows = self.c.rows("SELECT record_id, field FROM links WHERE target = :t ORDER BY record_id LIMIT :n", {"t": record_id, "n": limit})
        return [(r["record_id"], r["field"]) for r in rows]

    def audit(self, record_id: str | None = None, after_seq: int = 0, limit: int | None = None) -> Iterator[AuditEntry]:
        sql = f"SELECT {AUDIT_COLUMNS} FROM audit WHERE seq > :after"
        params: dict[str, Any] = {"after": after_seq}
        if record_id is not None:
            sql += " AND record_id = :rid"
            params["rid"] = record_id
        sql += " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT :n"
            params["n"] = limit
        return (_audit_entry(row) for row in self.c.stream(sql, params))

    def audit_newest(self, record_id: str | None = None, before_seq: int | None = None, limit: int | None = None) -> Iterator[AuditEntry]:
        conditions, params = [], {}
        if record_id is not None:
            conditions.append("record_id = :rid")
            params["rid"] = record_id
        if before_seq is not None:
            conditions.append("seq < :before")
            params["before"] = before_seq
        sql = f"SELECT {AUDIT_COLUMNS} FROM audit" + (" WHERE " + " AND ".join(conditions) if conditions else "") + " ORDER BY seq DESC"
        if limit is not None:
            sql += " LIMIT :n"
            params["n"] = limit
        return (_audit_entry(row) for row in self.c.stream(sql, params))

    def audit_head(self) -> tuple[int, str]:
        if self._head is None:
            row = self._first("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            return (row["seq"], row["hash"]) if row else (0, "0" * 64)
        return self._head

    def settings(self) -> dict[str, Any]:
        return {r["key"]: json.loads(r["value"]) for r in self.c.rows("SELECT key, value FROM settings")}

    def users(self) -> list[User]:
        return [_user(r) for r in self.c.rows("SELECT * FROM users ORDER BY name")]

    def get_user(self, name: str) -> User | None:
        r = self._first("SELECT * FROM users WHERE name = :n", {"n": name})
        return _user(r) if r else None

    def counters(self) -> dict[str, int]:
        """The highest number each type has ever given."""
        out = {r["type"]: r["last"] for r in self.c.rows("SELECT type, last FROM counters")}
        for rt in self.record_types():
            last = self._first(f"SELECT max(num) AS n FROM {table_of(rt)}")["n"]
            if last is not None:
                out[rt] = max(out.get(rt, 0), last)
        return out

    def type_counts(self) -> dict[str, int]:
        counts = {rt: self._first(f"SELECT count(*) AS n FROM {table_of(rt)}")["n"] for rt in self.record_types()}
        return {rt: n for rt, n in counts.items() if n}

    def all_records(self) -> Iterator[StoredRecord]:
        """Every record, type by type (see record_types), each type's by number."""
        for rt in self.record_types():
            yield from (_record(rt, row, self.d) for row in self.c.stream(f"SELECT {RECORD_COLUMNS} FROM {table_of(rt)} ORDER BY num"))

    # -- writing -------------------------------------------------------------------------------
    # Ids are never reused. The next number is one past the highest of a type's records and of
    # its high-water mark in `counters`, which only a delete (or an import) writes: a create then
    # reads one index entry and writes no counter row. The same question reads the audit head,
    # which the create needs next (and whatever else a backend's session asks: _next_columns).
    def next_number(self, record_type: str) -> int:
        code = self._writable(record_type)
        key = (self.d.name, "next", record_type, code)
        sql = _SQL.get(key)
        if sql is None:
            sql = _SQL[key] = (f"SELECT {self.d.greatest}(coalesce((SELECT max(num) FROM {table_of(record_type)}), 0), "
                               f"coalesce((SELECT last FROM counters WHERE type = '{record_type}'), 0)) + 1 AS n, "
                               f"{AUDIT_HEAD.format(col='seq')} AS seq, {AUDIT_HEAD.format(col='hash')} AS hash"
                               f"{self._next_columns(record_type, code)}")
        row = self._first(sql)
        self._head = (row["seq"], row["hash"]) if row["seq"] is not None else (0, "0" * 64)
        self._next_read(record_type, row)
        return row["n"]

    # -- hooks for a backend's own search indexes (SQLite's: sqlite.SqliteSession) ---------------
    def _next_columns(self, record_type: str, code: int) -> str:
        """More columns (", expr AS name, ...") for the question next_number asks."""
        return ""

    def _next_read(self, record_type: str, row: Mapping[str, Any]) -> None:
        """What next_number read, for a session that asked for more."""

    def _search_changed(self, rt: str, code: int, num: int | None = None, changed: int | None = None) -> None:
        """A row of a type was created (``changed``, its number), or changed or deleted (``num``)."""

    def fold_search_index(self, record_type: str | None = None) -> None:
        """Bring any search index kept behind the records up to date, in this transaction."""

    def set_counter(self, record_type: str, last: int) -> None:
        self.c.run("INSERT INTO counters (type, last) VALUES (:type, :num) ON CONFLICT (type) "
                   f"DO UPDATE SET last = {self.d.greatest}(counters.last, excluded.last)", {"type": record_type, "num": last})

    def _params(self, r: StoredRecord) -> dict[str, Any]:
        return dict(zip(ROW_FIELDS, self._values(r)))

    @staticmethod
    def _values(r: StoredRecord) -> tuple:
        if not 0 < r.num <= MAX_NUM:
            raise ValueError(f"record number out of range: {r.id}")
        return (r.num, r.version, r.state, dumps(r.data), r.search, r.created_at, r.created_by, r.updated_at, r.updated_by,
                dumps(r.links) if r.links else "")

    def _bound(self, r: StoredRecord) -> tuple | dict[str, Any]:
        return self._values(r) if self.d.positional else self._params(r)

    def _insert_sql(self, rt: str) -> str:
        key = (self.d.name, "insert", rt)
        sql = _SQL.get(key)
        if sql is None:  # one string per statement, so the driver's statement cache finds it at once
            values = ", ".join("?" if self.d.positional else (self.d.json_param if f == "data" else f":{f}") for f in ROW_FIELDS)
            sql = _SQL[key] = f"INSERT INTO {table_of(rt)} ({', '.join(ROW_FIELDS)}) VALUES ({values})"
        return sql

    _LINKS = {"insert": "INSERT INTO links (target, record_id, field) VALUES ({t}, {r}, {f})",
              "delete": "DELETE FROM links WHERE target = {t} AND record_id = {r} AND field = {f}"}

    def _links(self, action: str, rows: list[tuple[str, str, str]]) -> None:
        """Add or remove (target, record_id, field) rows of `links`. Every reference is kept, so a
        record that is referred to is known whatever plugins a process has loaded (a blocked
        plugin's records still protect what they refer to)."""
        if not rows:
            return
        if self.d.positional:
            sql = self._LINKS[action].format(t="?", r="?", f="?")
        else:
            sql = self._LINKS[action].format(t=":target", r=":record_id", f=":field")
            rows = [dict(zip(("target", "record_id", "field"), row)) for row in rows]
        if len(rows) == 1:
            self.c.run(sql, rows[0])
        else:
            self.c.run_many(sql, rows)

    @staticmethod
    def _link_rows(record_id: str, links: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
        return [(target, record_id, field) for field, target in links]

    def _old_links(self, rt: str, num: int) -> list[tuple[str, str]]:
        row = self._first(f"SELECT links FROM {table_of(rt)} WHERE num = :num", {"num": num})
        return [tuple(link) for link in json.loads(row["links"])] if row and row["links"] else []

    def insert(self, record: StoredRecord) -> None:
        code = self._writable(record.type)
        self.c.run(self._insert_sql(record.type), self._bound(record))
        self._search_changed(record.type, code, changed=record.num)
        self._links("insert", self._link_rows(record.id, record.links))

    def insert_many(self, records: list[StoredRecord]) -> None:
        by_type: dict[str, list[StoredRecord]] = {}
        for r in records:
            by_type.setdefault(r.type, []).append(r)
        for rt, rows in by_type.items():
            code = self._writable(rt)
            self.c.run_many(self._insert_sql(rt), [self._bound(r) for r in rows])
            self._search_changed(rt, code)
        self._links("insert", [row for r in records for row in self._link_rows(r.id, r.links)])

    def update(self, record: StoredRecord) -> None:
        code = self.code(record.type)
        sql = (f"UPDATE {table_of(record.type)} SET version = :version, state = :state, data = {self.d.json_param}, "
               "search = :search, updated_at = :updated_at, updated_by = :updated_by, links = :links WHERE num = :num")
        old = self._old_links(record.type, record.num) if code is not None else []
        params = self._params(record)
        del params["created_at"], params["created_by"]
        if code is None or self.c.run(sql, params) != 1:
            raise LookupError(f"record {record.id} does not exist")
        self._search_changed(record.type, code, record.num)
        new = list(record.links)
        if new != old:  # most edits leave the references as they were
            self._links("delete", self._link_rows(record.id, old))
            self._links("insert", self._link_rows(record.id, new))

    def delete(self, record_id: str) -> None:
        key = split_id(record_id)
        code = self.code(key["type"] or "-")
        if code is None:
            return
        self.set_counter(key["type"], key["num"])
        self._search_changed(key["type"], code, key["num"])
        self._links("delete", self._link_rows(record_id, self._old_links(key["type"], key["num"])))
        self.c.run(f"DELETE FROM {table_of(key['type'])} WHERE num = :num", key)

    def _audit_row(self, e: AuditEntry) -> tuple | dict[str, Any]:
        if self.d.positional:
            return (e.seq, e.ts, e.actor, e.by, e.action, e.record_id, e.before, e.after, e.prev, e.hash)
        return e.as_json()

    def _insert_audit(self) -> str:
        if self.d.positional:
            return "INSERT INTO audit (seq, ts, actor, by_login, action, record_id, before, after, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        return ("INSERT INTO audit (seq, ts, actor, by_login, action, record_id, before, after, prev, hash) "
                "VALUES (:seq, :ts, :actor, :by, :action, :record_id, :before, :after, :prev, :hash)")

    def append_audit(self, e: AuditEntry) -> None:
        self.c.run(self._insert_audit(), self._audit_row(e))
        self._head = (e.seq, e.hash)

    def append_audit_many(self, entries: list[AuditEntry]) -> None:
        if entries:
            self.c.run_many(self._insert_audit(), [self._audit_row(e) for e in entries])
            self._head = (entries[-1].seq, entries[-1].hash)

    def put_setting(self, key: str, value: Any) -> None:
        self.delete_setting(key)
        self.c.run("INSERT INTO settings (key, value) VALUES (:k, :v)", {"k": key, "v": dumps(value)})

    def delete_setting(self, key: str) -> None:
        self.c.run("DELETE FROM settings WHERE key = :k", {"k": key})

    # -- blobs (files attached to records) ------------------------------------------------------
    def list_blobs(self, record_id: str) -> list[BlobInfo]:
        return [_blob_info(r) for r in self.c.rows(f"SELECT {BLOB_COLUMNS} FROM blobs WHERE record_id = :r ORDER BY name", {"r": record_id})]

    def get_blob(self, record_id: str, name: str) -> bytes | None:
        row = self._first("SELECT data FROM blobs WHERE record_id = :r AND name = :n", {"r": record_id, "n": name})
        return None if row is None else bytes(row["data"])

    def all_blobs(self) -> Iterator[tuple[BlobInfo, bytes]]:
        for row in self.c.stream(f"SELECT {BLOB_COLUMNS}, data FROM blobs ORDER BY record_id, name"):
            yield _blob_info(row), bytes(row["data"])

    def put_blob(self, info: BlobInfo, data: bytes) -> None:
        self.delete_blob(info.record_id, info.name)
        self.c.run(f"INSERT INTO blobs ({BLOB_COLUMNS}, data) VALUES (:record_id, :name, :sha256, :size, :media_type, :added_at, :added_by, :data)",
                   {**info.as_json(), "data": bytes(data)})

    def delete_blob(self, record_id: str, name: str) -> None:
        self.c.run("DELETE FROM blobs WHERE record_id = :r AND name = :n", {"r": record_id, "n": name})

    def put_user(self, user: User) -> None:
        self.delete_user(user.name)
        if user.unit is None:
            self.c.run("INSERT INTO users (name, role, person, created_at) VALUES (:n, :r, :p, :c)",
                       {"n": user.name, "r": user.role, "p": user.person, "c": user.created_at})
            return
        if not self._users_have_unit():  # a store made before accounts were bound to units: the column comes now
            self.c.run("ALTER TABLE users ADD COLUMN unit TEXT")
        self.c.run("INSERT INTO users (name, role, person, created_at, unit) VALUES (:n, :r, :p, :c, :u)",
                   {"n": user.name, "r": user.role, "p": user.person, "c": user.created_at, "u": user.unit})

    def _users_have_unit(self) -> bool:
        return self.d.has_column(self, "users", "unit")

    def delete_user(self, name: str) -> None:
        self.c.run("DELETE FROM users WHERE name = :n", {"n": name})


def _user(row: Mapping[str, Any]) -> User:
    return User(row["name"], row["role"], row["person"], row["created_at"], row["unit"] if "unit" in row.keys() else None)


BLOB_COLUMNS = "record_id, name, sha256, size, media_type, added_at, added_by"


def blob_ddl(binary: str) -> str:
    """The blobs table: added beside the schema (CREATE IF NOT EXISTS), so stores made before
    evidence existed gain it when opened, with no change of schema version."""
    return ("CREATE TABLE IF NOT EXISTS blobs (record_id TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL, "
            f"size BIGINT NOT NULL, media_type TEXT NOT NULL, added_at TEXT NOT NULL, added_by TEXT NOT NULL, data {binary} NOT NULL, "
            "PRIMARY KEY (record_id, name))")


def _blob_info(row: Mapping[str, Any]) -> BlobInfo:
    return BlobInfo(row["record_id"], row["name"], row["sha256"], int(row["size"]), row["media_type"], row["added_at"], row["added_by"])


def type_indexes(dialect: Dialect, types) -> dict[str, dict[str, str]]:
    """type → index name → DDL of the expression index each indexed (non-list) field asks for."""
    return {name: {f"ix_f_{name}_{f.name}": dialect.index_ddl(name, f.name, f.kind)
                   for f in rt.fields if f.indexed and f.kind not in LIST_KINDS}
            for name, rt in types.items()}


@dataclass(frozen=True)
class Layout:
    """What the SQL needs to know of the record types: field kinds, which have an index, and
    the codes of the types this store has tables for (read when the store is prepared)."""

    kinds: dict[str, dict[str, str]]
    indexed: dict[str, frozenset[str]]
    codes: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, types, codes: Mapping[str, int] | None = None) -> "Layout":
        return cls({name: {f.name: f.kind for f in rt.fields} for name, rt in types.items()},
                   {name: frozenset(f.name for f in rt.fields if f.indexed and f.kind not in LIST_KINDS)
                    for name, rt in types.items()}, dict(codes or {}))


EMPTY_LAYOUT = Layout({}, {})


def prepare_schema(s: SqlSession, types, base_statements, version: str | None) -> dict[str, int]:
    """Inside a write: make a new store's tables, or bring an older schema up to this one, and
    give every registered type its table and indexes. Returns the codes of the record types. A
    store of a newer schema is refused (the write rolls back: nothing is touched)."""
    if version not in (None, "1", SCHEMA_VERSION):
        raise StoreError(L("存储的结构版本 {v} 比本程序({want})新,请升级 duty-tui",
                           "the store's schema version {v} is newer than this program's ({want}): upgrade duty-tui").format(v=version, want=SCHEMA_VERSION))
    indexes = type_indexes(s.d, types)
    if version is None:
        for statement in base_statements() + s.d.extra_ddl():
            s.c.run(statement)
        s.c.run("INSERT INTO meta (key, value) VALUES ('schema_version', :v)", {"v": SCHEMA_VERSION})
    elif version == "1":
        _migrate_from_1(s, base_statements, indexes)
    for name in types:
        s.ensure_type(name, indexes[name].values())
    return {r["type"]: r["code"] for r in s.c.rows("SELECT type, code FROM record_types")}


def _migrate_from_1(s: SqlSession, base_statements, indexes: dict[str, dict[str, str]]) -> None:
    """Schema 1 kept every type's records in one table, `records`, with partial indexes (see the
    module's docstring for why that changed). Each type's rows move to its own table, with the
    same numbers, versions and bytes of data; the search indexes are rebuilt. One transaction:
    a failure leaves the store as it was."""
    # links were keyed by the referring record, with an index on the target: now by the target
    s.c.run("CREATE TABLE links_v1 AS SELECT record_id, field, target FROM links")
    s.c.run("DROP TABLE links")
    for statement in base_statements(only=("record_types", "links")):
        s.c.run(statement)
    s.c.run("INSERT INTO links (target, record_id, field) SELECT target, record_id, field FROM links_v1")
    moved = 0
    for row in s.c.rows("SELECT type FROM records GROUP BY type ORDER BY min(pk)"):  # types in the order they began
        rt = row["type"]
        s.ensure_type(rt, indexes.get(rt, {}).values())
        moved += s.c.run(f"INSERT INTO {table_of(rt)} (num, version, state, data, search, created_at, created_by, updated_at, updated_by) "
                         "SELECT num, version, state, data, search, created_at, created_by, updated_at, updated_by "
                         "FROM records WHERE type = :t ORDER BY num", {"t": rt})
    if moved != s._first("SELECT count(*) AS n FROM records")["n"]:
        raise RuntimeError("migration from schema 1 did not move every record")
    held: dict[str, list[tuple[str, str]]] = {}  # each record's references, kept in its row now
    for row in s.c.stream("SELECT record_id, field, target FROM links_v1 ORDER BY record_id, field, target"):
        held.setdefault(row["record_id"], []).append((row["field"], row["target"]))
    by_type: dict[str, list[dict[str, Any]]] = {}
    for record_id, links in held.items():
        key = split_id(record_id)
        by_type.setdefault(key["type"], []).append({"links": dumps(links), "num": key["num"]})
    for rt, rows in by_type.items():
        if s.code(rt) is not None:
            s.c.run_many(f"UPDATE {table_of(rt)} SET links = :links WHERE num = :num", rows)
    s.c.run("DROP TABLE links_v1")
    for statement in s.d.drop_v1_search():
        s.c.run(statement)
    s.c.run("DROP TABLE records")
    for statement in s.d.extra_ddl():
        s.c.run(statement)
    s.fold_search_index()
    s.c.run("UPDATE meta SET value = :v WHERE key = 'schema_version'", {"v": SCHEMA_VERSION})


def _open_sqlite(url: str):
    from .sqlite import SqliteStore

    return SqliteStore(url)


def _open_postgresql(url: str):
    from .postgresql import PostgresStore

    return PostgresStore(url)


@hookimpl
def duty_register_backends(register):
    register("sqlite", _open_sqlite)
    register("postgresql", _open_postgresql)

