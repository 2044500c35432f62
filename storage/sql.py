"""SQL backends: SQLite (the embedded default) and PostgreSQL (a county), one design.

One table of records (their fields as JSON) with expression indexes on the fields a record type
marks ``indexed`` and a trigram index over the searchable text, so filters, text search (Chinese
included), sort and paging run in the database at a million records. The audit chain, settings,
users, id counters and reference links have tables of their own (``sql_schema.py``).

Both backends share :class:`SqlSession`, which speaks plain SQL with ``:name`` parameters through
a small connection adapter; what differs between the databases is in a :class:`Dialect`. SQLite
runs on the standard library's driver (``sqlite.py``); PostgreSQL on SQLAlchemy Core with psycopg
(``postgresql.py``). This module imports neither, so loading the plugin costs nothing at start-up.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Protocol

from duty_tui.hookspecs import hookimpl
from duty_tui.schema import BOOL, INTEGER, LIST_KINDS, NUMBER, REFERENCES
from duty_tui.store import AuditEntry, BlobInfo, Filter, Query, StoredRecord, User

SCHEMA_VERSION = "1"
RECORD_COLUMNS = "pk, id, type, num, version, state, data, created_at, created_by, updated_at, updated_by"
AUDIT_COLUMNS = "seq, ts, actor, by_login, action, record_id, before, after, prev, hash"
SAFE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
COMPARE = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
META_COLUMNS = {"id": "num", "state": "state", "version": "version", "created_at": "created_at",
                "updated_at": "updated_at", "created_by": "created_by", "updated_by": "updated_by"}
STREAM_BATCH = 2000
SEARCH_BATCH = 64
FTS_UPTO = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_upto')"


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


ID_RE = re.compile(r"^([a-z][a-z0-9_]*)-([1-9][0-9]{0,17})$")


def split_id(record_id: str) -> dict[str, Any]:
    """``unit-12`` → the (type, num) key every record is stored under; a malformed id matches nothing."""
    m = ID_RE.match(record_id or "")
    return {"type": m.group(1), "num": int(m.group(2))} if m else {"type": "", "num": 0}


def row_key(record_id: str) -> tuple[str, dict[str, Any]]:
    """The WHERE clause and parameters that find a record by its id.

    The type is written into the SQL (it is a checked identifier), never bound: SQLite cannot
    tell whether a bound type satisfies a partial index's ``WHERE type = '...'``, so it would
    re-plan the statement on every execution, weighing each partial index (measured: an eighth
    of an audited write's instructions). One cached statement per type instead.
    """
    key = split_id(record_id)
    return f"type = '{key['type']}' AND num = :num", {"num": key["num"]}


CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def bigrams(text: str | None) -> str:
    """The tokens of the index that answers one- and two-character Chinese searches (a trigram
    needs three, and many names have two): every pair of adjacent Chinese characters, and the
    last character of each run alone, so that every character begins some token and a
    one-character search is a prefix query."""
    return " ".join(token for run in CJK_RUN.findall(text or "")
                    for token in [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]])


def search_index_for(term: str) -> str | None:
    """The index that answers a search term on SQLite, or None when only a scan can."""
    if len(term) >= 3:
        return "records_fts"
    if len(term) <= 2 and CJK_RUN.fullmatch(term):
        return "records_bigram"
    return None


def match_expression(term: str) -> str:
    """The FTS5 query for a term: a phrase, or for one Chinese character the tokens it begins."""
    phrase = '"' + term.replace('"', '""') + '"'
    return phrase + "*" if len(term) == 1 else phrase


def like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class Conn(Protocol):
    """The little a session needs of a database connection; rows are mappings by column name."""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterable[Mapping[str, Any]]: ...
    def stream(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterable[Mapping[str, Any]]: ...
    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> int: ...
    def run_many(self, sql: str, params: list[Mapping[str, Any]]) -> None: ...


class Dialect:
    """SQLite's SQL. PostgreSQL's differences are in :class:`PostgresDialect`."""

    name = "sqlite"
    json_param = ":data"
    greatest = "max"

    def field(self, name: str, kind: str | None = None) -> str:
        return f"json_extract(data, '$.{name}')"

    def column(self, name: str) -> str:
        return name

    def param(self, value: Any, kind: str | None) -> Any:
        return int(value) if isinstance(value, bool) else value

    def order(self, expr: str, desc: bool) -> str:
        return f"{expr} {'DESC' if desc else 'ASC'}"  # SQLite puts NULLs first ascending, last descending

    def list_contains(self, name: str, key: str) -> str:
        return f"EXISTS (SELECT 1 FROM json_each(records.data, '$.{name}') WHERE value = :{key})"

    def list_empty(self, name: str) -> str:
        return f"coalesce(json_array_length(data, '$.{name}'), 0) = 0"

    def index_ddl(self, rt: str, name: str, kind: str) -> str:
        return f"CREATE INDEX IF NOT EXISTS ix_f_{rt}_{name} ON records ({self.field(name, kind)}, num) WHERE type = '{rt}'"

    # The trigram index is kept up to a batch behind the records, since an FTS5 insert in every
    # transaction costs as much as the rest of the write. It holds every row up to the
    # `fts_upto` mark in meta, except rows in search_pending (changed or deleted since they were
    # indexed). A create writes nothing extra; a change marks its row; every SEARCH_BATCH rows of
    # backlog are folded in at once. A search reads the index for settled rows and scans only the
    # backlog (the rows past the mark and the marked ones), so it is never stale.
    deferred_search = True

    def extra_ddl(self) -> list[str]:
        return [
            "CREATE VIRTUAL TABLE records_fts USING fts5(search, tokenize='trigram')",
            "CREATE VIRTUAL TABLE records_bigram USING fts5(grams, tokenize='unicode61')",
            "CREATE TABLE search_pending (pk INTEGER PRIMARY KEY)",
            "INSERT INTO meta (key, value) VALUES ('fts_upto', '0')",
        ]

    def text_term(self, term: str, key: str) -> tuple[str, dict[str, Any]]:
        like = {f"{key}l": like_pattern(term)}
        table = search_index_for(term)
        if table is None:  # one character, or two that are not Chinese: a scan
            return f"search LIKE :{key}l ESCAPE '\\'", like
        backlog = (f"SELECT pk FROM records WHERE pk > {FTS_UPTO} AND search LIKE :{key}l ESCAPE '\\' "
                   f"UNION ALL SELECT r.pk FROM search_pending p CROSS JOIN records r ON r.pk = p.pk "  # from the few pending rows
                   f"WHERE r.search LIKE :{key}l ESCAPE '\\'")
        return (f"pk IN (SELECT rowid FROM {table} WHERE {table} MATCH :{key} "
                f"AND rowid NOT IN (SELECT pk FROM search_pending) UNION ALL {backlog})",
                {key: match_expression(term), **like})

    def index_drives_search(self, text: str | None) -> bool:
        """Whether a search is answered from the indexes (no term is left to a scan)."""
        terms = (text or "").split()
        return bool(terms) and all(search_index_for(t) is not None for t in terms)

    search_order = "pk"

    def type_clause(self, rt: str, driven: bool) -> str:
        return f"{'+' if driven else ''}type = '{rt}'"

    def load_data(self, value: Any) -> dict:
        return json.loads(value) if isinstance(value, str) else value

    def offset_only(self) -> str:
        return " LIMIT -1 OFFSET :_offset"


class PostgresDialect(Dialect):
    name = "postgresql"
    greatest = "GREATEST"
    deferred_search = False  # pg_trgm's GIN index has its own pending list
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

    def order(self, expr: str, desc: bool) -> str:
        return f"{expr} {'DESC NULLS LAST' if desc else 'ASC NULLS FIRST'}"

    def list_contains(self, name: str, key: str) -> str:
        return f"(data->'{name}') @> jsonb_build_array(CAST(:{key} AS text))"

    def list_empty(self, name: str) -> str:
        return f"(CASE WHEN jsonb_typeof(data->'{name}') = 'array' THEN jsonb_array_length(data->'{name}') ELSE 0 END) = 0"

    def index_ddl(self, rt: str, name: str, kind: str) -> str:
        # NULLS FIRST, as the ORDER BY puts them, so a sorted page reads the index in order
        return (f"CREATE INDEX IF NOT EXISTS ix_f_{rt}_{name} ON records ({self.field(name, kind)} ASC NULLS FIRST, num) "
                f"WHERE type = '{rt}'")

    def extra_ddl(self) -> list[str]:
        # pg_trgm itself is created (in public, once per database) by the store before this
        return ["CREATE INDEX ix_records_search ON records USING gin (search public.gin_trgm_ops)"]

    def text_term(self, term: str, key: str) -> tuple[str, dict[str, Any]]:
        return f"search LIKE :{key}", {key: like_pattern(term)}

    def offset_only(self) -> str:
        return " OFFSET :_offset"

    def index_drives_search(self, text: str | None) -> bool:
        terms = (text or "").split()
        return bool(terms) and all(len(t) >= 3 for t in terms)  # what pg_trgm can answer

    # "num + 0" keeps the planner from walking the type in order and betting that matches come
    # early (a search that matches nothing then reads every row); it fetches the matches from
    # the trigram index and sorts them
    search_order = "(num + 0)"

    def type_clause(self, rt: str, driven: bool) -> str:
        return f"type = '{rt}'"


def _record(row: Mapping[str, Any], dialect: Dialect) -> StoredRecord:
    return StoredRecord(id=row["id"], type=row["type"], num=row["num"], version=row["version"], state=row["state"],
                        data=dialect.load_data(row["data"]), created_at=row["created_at"], created_by=row["created_by"],
                        updated_at=row["updated_at"], updated_by=row["updated_by"])


def _audit_entry(row: Mapping[str, Any]) -> AuditEntry:
    return AuditEntry(seq=row["seq"], ts=row["ts"], actor=row["actor"], by=row["by_login"], action=row["action"],
                      record_id=row["record_id"], before=row["before"], after=row["after"], prev=row["prev"], hash=row["hash"])


class SqlSession:
    """Reads and writes inside one transaction of one connection (the store's Reader/Writer)."""

    def __init__(self, conn: Conn, dialect: Dialect, layout: "Layout"):
        self.c, self.d, self.layout = conn, dialect, layout
        self.kinds, self.indexed = layout.kinds, layout.indexed
        self._insert = ("INSERT INTO records (id, type, num, version, state, data, search, created_at, created_by, updated_at, updated_by) "
                        f"VALUES (:id, :type, :num, :version, :state, {dialect.json_param}, :search, :created_at, :created_by, :updated_at, :updated_by)")
        self._update = (f"UPDATE records SET version = :version, state = :state, data = {dialect.json_param}, search = :search, "
                        "updated_at = :updated_at, updated_by = :updated_by WHERE type = '{type}' AND num = :num")

    def _first(self, sql: str, params: Mapping[str, Any] | None = None) -> Mapping[str, Any] | None:
        for row in self.c.rows(sql, params):
            return row
        return None

    # -- reading ------------------------------------------------------------------------------
    def get(self, record_id: str) -> StoredRecord | None:
        where, params = row_key(record_id)
        row = self._first(f"SELECT {RECORD_COLUMNS} FROM records WHERE {where}", params)
        return _record(row, self.d) if row else None

    def exists(self, record_id: str) -> bool:
        where, params = row_key(record_id)
        return self._first(f"SELECT 1 AS x FROM records WHERE {where}", params) is not None

    def _where(self, q: Query) -> tuple[str, dict[str, Any]]:
        if not SAFE_NAME.match(q.type):
            raise ValueError(f"bad record type name {q.type!r}")
        # the type is inlined (a checked identifier) so SQLite can use the partial indexes, except
        # when the trigram index drives the search: then `+type` keeps SQLite from walking the
        # whole type in order and testing each row against the few matches
        driven = self.d.index_drives_search(q.text)
        clauses, params = [self.d.type_clause(q.type, driven)], {}
        kinds = self.kinds.get(q.type, {})
        for i, f in enumerate(q.filters):
            clause, p = self._filter(f, kinds, f"p{i}", q.type)
            clauses.append(clause)
            params.update(p)
        for j, term in enumerate((q.text or "").split()):
            clause, p = self.d.text_term(term, f"t{j}")
            clauses.append(clause)
            params.update(p)
        return " AND ".join(clauses), params

    def _expr(self, name: str, kinds: Mapping[str, str]) -> tuple[str, str | None]:
        if name in META_COLUMNS and name not in kinds:
            return self.d.column(META_COLUMNS[name]), None
        if not SAFE_NAME.match(name):
            raise ValueError(f"bad field name {name!r}")
        return self.d.field(name, kinds.get(name)), kinds.get(name)

    def _filter(self, f: Filter, kinds: Mapping[str, str], key: str, q_type: str) -> tuple[str, dict[str, Any]]:
        if f.field == "id" and f.field not in kinds and f.op in ("eq", "ne", "in"):  # by the (type, num) key
            values = f.value if f.op == "in" else (f.value,)
            nums = [k["num"] if k["type"] == q_type else 0 for k in map(split_id, map(str, values))]
            if f.op != "in":
                return f"num {COMPARE[f.op]} :{key}", {key: nums[0]}
            if not nums:
                return "1 = 0", {}
            return (f"num IN ({', '.join(f':{key}_{i}' for i in range(len(nums)))})",
                    {f"{key}_{i}": n for i, n in enumerate(nums)})
        column, kind = ("id", None) if f.field == "id" else self._expr(f.field, kinds)
        if kind in LIST_KINDS:
            if f.op == "contains":
                if kind == REFERENCES:
                    return (f"EXISTS (SELECT 1 FROM links l WHERE l.record_id = records.id AND l.field = '{f.field}' "
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
        # Within a type, pk and num grow together (a new row gets a pk above every existing
        # one), so a search driven by the trigram index's pk list orders by pk: the same order,
        # read straight off the list, and a page stops after its 50 rows instead of sorting all.
        tie = self.d.search_order if self.d.index_drives_search(q.text) else "num"
        parts.append(f"{tie} DESC" if q.sort and q.sort[-1][1] else f"{tie} ASC")
        return ", ".join(parts)

    def _index_hint(self, q: Query) -> str:
        """SQLite's planner prefers the (type, num) index and sorts a whole type in a temporary
        B-tree; when the first sort key has an index and no indexed equality narrows the rows,
        walking that index is what keeps a page of a million records fast."""
        indexed = self.indexed.get(q.type, frozenset())
        if self.d.name != "sqlite" or not q.sort or q.sort[0][0] not in indexed or q.text:
            return ""
        if any(f.op == "eq" and f.field in indexed for f in q.filters):
            return ""
        return f" INDEXED BY ix_f_{q.type}_{q.sort[0][0]}"

    def query(self, q: Query) -> list[StoredRecord]:
        where, params = self._where(q)
        sql = f"SELECT {RECORD_COLUMNS} FROM records{self._index_hint(q)} WHERE {where} ORDER BY {self._order(q)}"
        if q.limit is not None:
            sql += " LIMIT :_limit" + (" OFFSET :_offset" if q.offset else "")
            params["_limit"] = q.limit
        elif q.offset:
            sql += self.d.offset_only()
        if q.offset:
            params["_offset"] = q.offset
        return [_record(row, self.d) for row in self.c.rows(sql, params)]

    def count(self, q: Query) -> int:
        where, params = self._where(q)
        return self._first(f"SELECT count(*) AS n FROM records WHERE {where}", params)["n"]

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

    def audit_head(self) -> tuple[int, str]:
        row = self._first("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        return (row["seq"], row["hash"]) if row else (0, "0" * 64)

    def settings(self) -> dict[str, Any]:
        return {r["key"]: json.loads(r["value"]) for r in self.c.rows("SELECT key, value FROM settings")}

    def users(self) -> list[User]:
        return [User(r["name"], r["role"], r["person"], r["created_at"])
                for r in self.c.rows("SELECT name, role, person, created_at FROM users ORDER BY name")]

    def get_user(self, name: str) -> User | None:
        r = self._first("SELECT name, role, person, created_at FROM users WHERE name = :n", {"n": name})
        return User(r["name"], r["role"], r["person"], r["created_at"]) if r else None

    def counters(self) -> dict[str, int]:
        """The highest number each type has ever given."""
        rows = self.c.rows("SELECT type, max(n) AS last FROM (SELECT type, max(num) AS n FROM records GROUP BY type "
                           "UNION ALL SELECT type, last AS n FROM counters) AS c GROUP BY type")
        return {r["type"]: r["last"] for r in rows}

    def type_counts(self) -> dict[str, int]:
        return {r["type"]: r["n"] for r in self.c.rows("SELECT type, count(*) AS n FROM records GROUP BY type")}

    def all_records(self) -> Iterator[StoredRecord]:
        return (_record(row, self.d) for row in self.c.stream(f"SELECT {RECORD_COLUMNS} FROM records ORDER BY pk"))

    # -- writing -------------------------------------------------------------------------------
    # Ids are never reused. The next number is one past the highest of a type's records and of
    # its high-water mark in `counters`, which only a delete (or an import) writes: a create then
    # reads one index entry and writes no counter row.
    def next_number(self, record_type: str) -> int:
        if not SAFE_NAME.match(record_type):
            raise ValueError(f"bad record type name {record_type!r}")
        return self._first(f"SELECT {self.d.greatest}(coalesce((SELECT max(num) FROM records WHERE type = '{record_type}'), 0), "
                           f"coalesce((SELECT last FROM counters WHERE type = '{record_type}'), 0)) + 1 AS n")["n"]

    def set_counter(self, record_type: str, last: int) -> None:
        self.c.run("INSERT INTO counters (type, last) VALUES (:type, :num) ON CONFLICT (type) "
                   f"DO UPDATE SET last = {self.d.greatest}(counters.last, excluded.last)", {"type": record_type, "num": last})

    def _params(self, r: StoredRecord) -> dict[str, Any]:  # type and num locate the row; id is kept for reading
        return {"id": r.id, "type": r.type, "num": r.num, "version": r.version, "state": r.state, "data": dumps(r.data),
                "search": r.search, "created_at": r.created_at, "created_by": r.created_by,
                "updated_at": r.updated_at, "updated_by": r.updated_by}

    @staticmethod
    def _links(records: Iterable[StoredRecord]) -> list[dict[str, str]]:
        """Every reference, so a record that is referred to is known whatever plugins a
        process has loaded (a blocked plugin's records still protect what they refer to)."""
        return [{"record_id": r.id, "field": f, "target": t} for r in records for f, t in r.links]

    def _write_links(self, r: StoredRecord) -> None:
        links = self._links((r,))
        if links:
            self.c.run_many("INSERT INTO links (record_id, field, target) VALUES (:record_id, :field, :target)", links)

    def _search_changed(self, record_id: str | None = None) -> None:
        """Note a change for the trigram index: a changed or deleted row is marked (a new one
        is past the mark already); fold the backlog in when it has grown to a batch."""
        if not self.d.deferred_search:
            return
        if record_id is not None:
            where, params = row_key(record_id)
            self.c.run(f"INSERT OR IGNORE INTO search_pending (pk) SELECT pk FROM records WHERE {where}", params)
        backlog = self._first(f"SELECT coalesce((SELECT max(pk) FROM records), 0) - {FTS_UPTO} "
                              "+ (SELECT count(*) FROM search_pending) AS n")["n"]
        if backlog >= SEARCH_BATCH:
            self.fold_search_index()

    def fold_search_index(self) -> None:
        """Bring the search indexes up to date with every row, in this transaction."""
        for table in ("records_fts", "records_bigram"):
            self.c.run(f"DELETE FROM {table} WHERE rowid IN (SELECT pk FROM search_pending)")
        changed = f"WHERE pk > {FTS_UPTO} OR pk IN (SELECT pk FROM search_pending)"
        self.c.run(f"INSERT INTO records_fts (rowid, search) SELECT pk, search FROM records {changed}")
        self.c.run(f"INSERT INTO records_bigram (rowid, grams) SELECT pk, duty_bigrams(search) FROM records {changed}")
        self.c.run("UPDATE meta SET value = CAST((SELECT coalesce(max(pk), 0) FROM records) AS TEXT) WHERE key = 'fts_upto'")
        self.c.run("DELETE FROM search_pending")

    def insert(self, record: StoredRecord) -> None:
        self.c.run(self._insert, self._params(record))
        self._search_changed()
        self._write_links(record)

    def insert_many(self, records: list[StoredRecord]) -> None:
        if not records:
            return
        self.c.run_many(self._insert, [self._params(r) for r in records])
        links = self._links(records)
        if links:
            self.c.run_many("INSERT INTO links (record_id, field, target) VALUES (:record_id, :field, :target)", links)
        self._search_changed()

    def update(self, record: StoredRecord) -> None:
        if self.c.run(self._update.format(type=record.type), self._params(record)) != 1:
            raise LookupError(f"record {record.id} does not exist")
        self._search_changed(record.id)
        self.c.run("DELETE FROM links WHERE record_id = :id", {"id": record.id})
        self._write_links(record)

    def delete(self, record_id: str) -> None:
        key = split_id(record_id)
        self.set_counter(key["type"], key["num"])
        self._search_changed(record_id)
        where, params = row_key(record_id)
        self.c.run(f"DELETE FROM records WHERE {where}", params)
        self.c.run("DELETE FROM links WHERE record_id = :id", {"id": record_id})

    _insert_audit = ("INSERT INTO audit (seq, ts, actor, by_login, action, record_id, before, after, prev, hash) "
                     "VALUES (:seq, :ts, :actor, :by, :action, :record_id, :before, :after, :prev, :hash)")

    def append_audit(self, e: AuditEntry) -> None:
        self.c.run(self._insert_audit, e.as_json())

    def append_audit_many(self, entries: list[AuditEntry]) -> None:
        if entries:
            self.c.run_many(self._insert_audit, [e.as_json() for e in entries])

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
        self.c.run("INSERT INTO users (name, role, person, created_at) VALUES (:n, :r, :p, :c)",
                   {"n": user.name, "r": user.role, "p": user.person, "c": user.created_at})

    def delete_user(self, name: str) -> None:
        self.c.run("DELETE FROM users WHERE name = :n", {"n": name})


BLOB_COLUMNS = "record_id, name, sha256, size, media_type, added_at, added_by"


def blob_ddl(binary: str) -> str:
    """The blobs table: added beside the schema (CREATE IF NOT EXISTS), so stores made before
    evidence existed gain it when opened, with no change of schema version."""
    return ("CREATE TABLE IF NOT EXISTS blobs (record_id TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL, "
            f"size BIGINT NOT NULL, media_type TEXT NOT NULL, added_at TEXT NOT NULL, added_by TEXT NOT NULL, data {binary} NOT NULL, "
            "PRIMARY KEY (record_id, name))")


def _blob_info(row: Mapping[str, Any]) -> BlobInfo:
    return BlobInfo(row["record_id"], row["name"], row["sha256"], int(row["size"]), row["media_type"], row["added_at"], row["added_by"])


def field_indexes(dialect: Dialect, types) -> dict[str, str]:
    """name → DDL of the expression index each indexed (non-list) field asks for."""
    out = {}
    for name, rt in types.items():
        for f in rt.fields:
            if f.indexed and f.kind not in LIST_KINDS:
                out[f"ix_f_{name}_{f.name}"] = dialect.index_ddl(name, f.name, f.kind)
    return out


@dataclass(frozen=True)
class Layout:
    """What the SQL needs to know of the record types: field kinds, and which have an index."""

    kinds: dict[str, dict[str, str]]
    indexed: dict[str, frozenset[str]]

    @classmethod
    def of(cls, types) -> "Layout":
        return cls({name: {f.name: f.kind for f in rt.fields} for name, rt in types.items()},
                   {name: frozenset(f.name for f in rt.fields if f.indexed and f.kind not in LIST_KINDS)
                    for name, rt in types.items()})


EMPTY_LAYOUT = Layout({}, {})


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

