"""One transaction of the TinyDB store: the store protocol's Reader and Writer over a snapshot.

A :class:`Snapshot` is one committed state of the file, parsed into TinyDB's layout (a table is
``{doc_id: document}``), and is never changed in place, so readers may share it. A write
transaction keeps its changes beside the snapshot (``doc_id → new document``, or ``None`` for a
removed one), reads through them, and at commit applies them with TinyDB's table operations to
a new set of tables: the snapshot it started from stays as it was, which is also the rollback.

Tables: ``records`` (one document per record, its reference links inside it), ``audit`` (the
document id is the entry's ``seq``; ``before``/``after`` kept as the exact text that was hashed),
``settings``, ``users``, ``counters`` and ``meta``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from functools import cached_property
from itertools import chain
from typing import Any, Iterator

from tinydb import TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document

from duty_tui.audit import GENESIS
from duty_tui.errors import StoreError
from duty_tui.i18n import L
import base64

from duty_tui.store import AuditEntry, BlobInfo, Query, StoredRecord, User

from . import tinydb_query
from .tinydb_file import Tables

Doc = dict[str, Any]
TABLES = ("records", "audit", "settings", "users", "counters", "meta")
SCHEMA_VERSION = "1"


class Snapshot:
    """A committed state, with the indexes a transaction needs built on first use."""

    def __init__(self, tables: Tables, is_new: bool = False):
        self.tables = tables
        self.is_new = is_new  # no file yet (or an empty one): these are the initial tables

    @classmethod
    def of(cls, tables: Tables) -> "Snapshot":
        """The state a file holds; a missing or empty file is a new store."""
        return cls(tables) if tables else cls(initial_tables(), is_new=True)

    def table(self, name: str) -> dict[str, Doc]:
        return self.tables.get(name) or {}

    @property
    def schema_version(self) -> str | None:
        return next((d.get("value") for d in self.table("meta").values() if d.get("key") == "schema_version"), None)

    @cached_property
    def record_keys(self) -> dict[str, str]:
        """Record id → document id."""
        return {doc["id"]: key for key, doc in self.table("records").items()}

    @cached_property
    def keys_by_type(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, doc in self.table("records").items():
            out.setdefault(doc["type"], []).append(key)
        return out

    @cached_property
    def links_to(self) -> dict[str, list[tuple[str, str]]]:
        """Target id → (record id, field) of every reference to it."""
        out: dict[str, list[tuple[str, str]]] = {}
        for doc in self.table("records").values():
            for field, target in doc.get("links") or ():
                out.setdefault(target, []).append((doc["id"], field))
        return out

    @cached_property
    def audit_in_order(self) -> list[Doc]:
        return sorted(self.table("audit").values(), key=lambda d: d["seq"])

    @cached_property
    def last_keys(self) -> dict[str, int]:
        return {name: max(map(int, table), default=0) for name, table in self.tables.items()}


def initial_tables() -> Tables:
    tables: Tables = {name: {} for name in TABLES}
    tables["meta"]["1"] = {"key": "schema_version", "value": SCHEMA_VERSION}
    return tables


def _copied(value: Any) -> Any:
    """Documents of a snapshot are shared: what leaves or enters a transaction is a copy."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value


def _blob_info(doc: Doc) -> BlobInfo:
    return BlobInfo(doc["record_id"], doc["name"], doc["sha256"], int(doc["size"]), doc["media_type"], doc["added_at"], doc["added_by"])


def record_doc(r: StoredRecord) -> Doc:
    return {"id": r.id, "type": r.type, "num": r.num, "version": r.version, "state": r.state, "data": _copied(r.data),
            "search": r.search, "links": [[field, target] for field, target in r.links],
            "created_at": r.created_at, "created_by": r.created_by, "updated_at": r.updated_at, "updated_by": r.updated_by}


def stored_record(doc: Doc) -> StoredRecord:
    return StoredRecord(id=doc["id"], type=doc["type"], num=doc["num"], version=doc["version"], state=doc.get("state"),
                        data=_copied(doc["data"]), created_at=doc["created_at"], created_by=doc["created_by"],
                        updated_at=doc["updated_at"], updated_by=doc["updated_by"])


def audit_doc(e: AuditEntry) -> Doc:
    return e.as_json()


def audit_entry(doc: Doc) -> AuditEntry:
    return AuditEntry(seq=doc["seq"], ts=doc["ts"], actor=doc["actor"], by=doc.get("by"), action=doc["action"],
                      record_id=doc["record_id"], before=doc.get("before"), after=doc.get("after"),
                      prev=doc["prev"], hash=doc["hash"])


class TinySession:
    """Reads, and for a write transaction writes, against one snapshot."""

    def __init__(self, base: Snapshot, writable: bool = False):
        self.base = base
        self.writable = writable
        self.changes: dict[str, dict[str, Doc | None]] = {}
        self._record_keys: dict[str, str | None] = {}  # records this transaction touched: id → doc id
        self._last_keys: dict[str, int] = {}

    # -- documents through the changes ---------------------------------------------------------
    def _doc(self, table: str, key: str | None) -> Doc | None:
        if key is None:
            return None
        changed = self.changes.get(table, {})
        return changed[key] if key in changed else self.base.table(table).get(key)

    def _docs(self, table: str) -> Iterator[tuple[str, Doc]]:
        changed = self.changes.get(table, {})
        for key, doc in self.base.table(table).items():
            if key not in changed:
                yield key, doc
        for key, doc in changed.items():
            if doc is not None:
                yield key, doc

    def _find(self, table: str, field: str, value: Any) -> tuple[str, Doc] | tuple[None, None]:
        return next(((k, d) for k, d in self._docs(table) if d.get(field) == value), (None, None))

    def _put(self, table: str, key: str | None, doc: Doc | None) -> str:
        if not self.writable:
            raise StoreError(L("只读事务中不能写入", "cannot write in a read transaction"))
        if key is None:
            last = self._last_keys.get(table, self.base.last_keys.get(table, 0))
            key = str(last + 1)
            self._last_keys[table] = last + 1
        self.changes.setdefault(table, {})[key] = doc
        return key

    def _record_key(self, record_id: str) -> str | None:
        if record_id in self._record_keys:
            return self._record_keys[record_id]
        return self.base.record_keys.get(record_id)

    def _record_docs(self, record_type: str) -> Iterator[Doc]:
        records = self.base.table("records")
        changed = self.changes.get("records", {})
        for key in self.base.keys_by_type.get(record_type, ()):
            if key not in changed:
                yield records[key]
        for doc in changed.values():
            if doc is not None and doc["type"] == record_type:
                yield doc

    # -- Reader -------------------------------------------------------------------------------
    def get(self, record_id: str) -> StoredRecord | None:
        doc = self._doc("records", self._record_key(record_id))
        return stored_record(doc) if doc else None

    def exists(self, record_id: str) -> bool:
        return self._doc("records", self._record_key(record_id)) is not None

    def query(self, q: Query) -> list[StoredRecord]:
        return [stored_record(d) for d in tinydb_query.run(self._record_docs(q.type), q)]

    def count(self, q: Query) -> int:
        return tinydb_query.count(self._record_docs(q.type), q)

    def referrers(self, record_id: str, limit: int = 10) -> list[tuple[str, str]]:
        found = [(rid, field) for rid, field in self.base.links_to.get(record_id, ()) if rid not in self._record_keys]
        for rid, key in self._record_keys.items():
            doc = self._doc("records", key)
            found += [(rid, field) for field, target in (doc or {}).get("links") or () if target == record_id]
        return sorted(found)[:limit]

    def audit(self, record_id: str | None = None, after_seq: int = 0, limit: int | None = None) -> Iterator[AuditEntry]:
        ordered = self.base.audit_in_order
        start = bisect_right(ordered, after_seq, key=lambda d: d["seq"])
        added = sorted((d for d in self.changes.get("audit", {}).values() if d), key=lambda d: d["seq"])
        given = 0
        for doc in [*ordered[start:], *(d for d in added if d["seq"] > after_seq)]:
            if limit is not None and given >= limit:
                return
            if record_id is None or doc["record_id"] == record_id:
                given += 1
                yield audit_entry(doc)

    def audit_newest(self, record_id: str | None = None, before_seq: int | None = None, limit: int | None = None) -> Iterator[AuditEntry]:
        ordered = self.base.audit_in_order
        end = len(ordered) if before_seq is None else bisect_left(ordered, before_seq, key=lambda d: d["seq"])
        added = sorted((d for d in self.changes.get("audit", {}).values() if d and (before_seq is None or d["seq"] < before_seq)),
                       key=lambda d: d["seq"], reverse=True)
        given = 0
        for doc in chain(added, (ordered[i] for i in range(end - 1, -1, -1))):
            if limit is not None and given >= limit:
                return
            if record_id is None or doc["record_id"] == record_id:
                given += 1
                yield audit_entry(doc)

    def audit_head(self) -> tuple[int, str]:
        added = [d for d in self.changes.get("audit", {}).values() if d]
        last = max(added, key=lambda d: d["seq"]) if added else (self.base.audit_in_order or [None])[-1]
        return (last["seq"], last["hash"]) if last else (0, GENESIS)

    def settings(self) -> dict[str, Any]:
        return {d["key"]: _copied(d["value"]) for _, d in self._docs("settings")}

    def users(self) -> list[User]:
        return sorted((User(d["name"], d["role"], d.get("person"), d.get("created_at", ""), d.get("unit")) for _, d in self._docs("users")),
                      key=lambda u: u.name)

    def get_user(self, name: str) -> User | None:
        _, d = self._find("users", "name", name)
        return User(d["name"], d["role"], d.get("person"), d.get("created_at", ""), d.get("unit")) if d else None

    def counters(self) -> dict[str, int]:
        return {d["type"]: d["last"] for _, d in self._docs("counters")}

    def type_counts(self) -> dict[str, int]:
        counts = Counter({t: len(keys) for t, keys in self.base.keys_by_type.items()})
        for rid, key in self._record_keys.items():
            before = self.base.table("records").get(self.base.record_keys.get(rid, ""))
            after = self._doc("records", key)
            if before:
                counts[before["type"]] -= 1
            if after:
                counts[after["type"]] += 1
        return {t: n for t, n in counts.items() if n > 0}

    def all_records(self) -> Iterator[StoredRecord]:
        for _, doc in sorted(self._docs("records"), key=lambda kd: int(kd[0])):
            yield stored_record(doc)

    # -- Writer -------------------------------------------------------------------------------
    def next_number(self, record_type: str) -> int:
        key, doc = self._find("counters", "type", record_type)
        if doc is None:
            last = max((d["num"] for d in self._record_docs(record_type)), default=0) + 1
        else:
            last = doc["last"] + 1
        self._put("counters", key, {"type": record_type, "last": last})
        return last

    def set_counter(self, record_type: str, last: int) -> None:
        key, _ = self._find("counters", "type", record_type)
        self._put("counters", key, {"type": record_type, "last": int(last)})

    def insert(self, record: StoredRecord) -> None:
        if self._record_key(record.id) is not None:
            raise StoreError(L("记录 {id} 已存在", "record {id} already exists").format(id=record.id))
        self._record_keys[record.id] = self._put("records", None, record_doc(record))

    def insert_many(self, records: list[StoredRecord]) -> None:
        for record in records:
            self.insert(record)

    def append_audit_many(self, entries: list[AuditEntry]) -> None:
        for entry in entries:
            self.append_audit(entry)

    def update(self, record: StoredRecord) -> None:
        key = self._record_key(record.id)
        if self._doc("records", key) is None:
            raise StoreError(L("记录 {id} 不存在", "record {id} does not exist").format(id=record.id))
        self._record_keys[record.id] = self._put("records", key, record_doc(record))

    def delete(self, record_id: str) -> None:
        key = self._record_key(record_id)
        if self._doc("records", key) is not None:
            self._put("records", key, None)
            self._record_keys[record_id] = None

    def append_audit(self, entry: AuditEntry) -> None:
        key = str(entry.seq)
        if self._doc("audit", key) is not None:
            raise StoreError(L("审计条目 {seq} 已存在", "audit entry {seq} already exists").format(seq=entry.seq))
        self._put("audit", key, audit_doc(entry))

    def put_setting(self, key: str, value: Any) -> None:
        doc_key, _ = self._find("settings", "key", key)
        self._put("settings", doc_key, {"key": key, "value": _copied(value)})

    def delete_setting(self, key: str) -> None:
        doc_key, _ = self._find("settings", "key", key)
        if doc_key is not None:
            self._put("settings", doc_key, None)

    def put_user(self, user: User) -> None:
        key, _ = self._find("users", "name", user.name)
        self._put("users", key, user.as_json())

    def delete_user(self, name: str) -> None:
        key, _ = self._find("users", "name", name)
        if key is not None:
            self._put("users", key, None)

    # -- blobs: base64 in the same JSON file -------------------------------------------------------
    # Kept inside the one file so a blob is written, rolled back, locked and backed up with the
    # records it proves (files beside the JSON would escape the transaction). The size limit on
    # evidence keeps the file within what a TinyDB store is for.
    def list_blobs(self, record_id: str) -> list[BlobInfo]:
        return sorted((_blob_info(d) for _, d in self._docs("blobs") if d["record_id"] == record_id), key=lambda b: b.name)

    def _blob(self, record_id: str, name: str) -> tuple[str, Doc] | tuple[None, None]:
        return next(((k, d) for k, d in self._docs("blobs") if d["record_id"] == record_id and d["name"] == name), (None, None))

    def get_blob(self, record_id: str, name: str) -> bytes | None:
        _, doc = self._blob(record_id, name)
        return None if doc is None else base64.b64decode(doc["data"])

    def all_blobs(self) -> Iterator[tuple[BlobInfo, bytes]]:
        for _, doc in sorted(self._docs("blobs"), key=lambda kd: (kd[1]["record_id"], kd[1]["name"])):
            yield _blob_info(doc), base64.b64decode(doc["data"])

    def put_blob(self, info: BlobInfo, data: bytes) -> None:
        key, _ = self._blob(info.record_id, info.name)
        self._put("blobs", key, {**info.as_json(), "data": base64.b64encode(bytes(data)).decode("ascii")})

    def delete_blob(self, record_id: str, name: str) -> None:
        key, _ = self._blob(record_id, name)
        if key is not None:
            self._put("blobs", key, None)

    # -- commit -------------------------------------------------------------------------------
    def committed_tables(self) -> Tables:
        """The snapshot with this transaction's changes, made by TinyDB's table operations on a
        copy of the table index: the snapshot's own tables and documents are not touched."""
        db = TinyDB(storage=MemoryStorage)
        db.storage.write(dict(self.base.tables))
        for name, changed in self.changes.items():
            table = db.table(name, cache_size=0)
            existing = self.base.table(name)
            replaced = [int(key) for key in changed if key in existing]
            if replaced:
                table.remove(doc_ids=replaced)
            table.insert_multiple([Document(doc, doc_id=int(key)) for key, doc in changed.items() if doc is not None])
        return db.storage.read()
