"""The store protocol: what the ledger asks of a backend, and nothing more.

A backend keeps records in their stored (JSON) shape, the links their references make, the audit
chain, settings, users and id counters. It knows record types only to build indexes and to cast
values in queries. Every write happens inside one :meth:`Store.write` transaction: either all of
it is committed or none of it.

Backends are plugins: a plugin returns a factory for a URL scheme from
``duty_register_backends``; :func:`open_store` picks it by the URL's scheme.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Protocol

from .errors import StoreError
from .i18n import L

if TYPE_CHECKING:
    from .schema import RecordType

META_COLUMNS = ("id", "state", "version", "created_at", "created_by", "updated_at", "updated_by")
OPS = ("eq", "ne", "lt", "le", "gt", "ge", "between", "contains", "in", "empty", "not_empty")


# A record's number (the 12 of unit-12) is at most this on every backend, so a store can move
# between them (SQLite keys its search index by type and number in 64 bits).
MAX_RECORD_NUMBER = (1 << 40) - 1


@dataclass(frozen=True)
class StoredRecord:
    id: str
    type: str
    num: int
    version: int
    state: str | None
    data: dict[str, Any]
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    search: str = ""
    links: tuple[tuple[str, str], ...] = ()

    def bump(self, **changes: Any) -> "StoredRecord":
        return replace(self, **changes)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "num": self.num, "version": self.version, "state": self.state,
            "data": self.data, "created_at": self.created_at, "created_by": self.created_by,
            "updated_at": self.updated_at, "updated_by": self.updated_by,
        }


@dataclass(frozen=True)
class AuditEntry:
    """One link of the audit chain. ``before``/``after`` are canonical JSON text (or None):
    the hash covers these exact bytes, so a backend must store them as text, never re-encode."""

    seq: int
    ts: str
    actor: str
    action: str
    record_id: str
    before: str | None
    after: str | None
    prev: str
    hash: str
    by: str | None = None  # the real login when an admin acted with --as

    def as_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("seq", "ts", "actor", "by", "action", "record_id", "before", "after", "prev", "hash")}


@dataclass(frozen=True)
class BlobInfo:
    """A file attached to a record (evidence): what it is, without its bytes."""

    record_id: str
    name: str
    sha256: str
    size: int
    media_type: str
    added_at: str
    added_by: str

    def as_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("record_id", "name", "sha256", "size", "media_type", "added_at", "added_by")}

    def audit_json(self) -> dict[str, Any]:
        """What the audit keeps of a file: never its bytes."""
        return {"file": self.name, "size": self.size, "sha256": self.sha256, "media_type": self.media_type}


@dataclass(frozen=True)
class User:
    """An account. ``unit``: the unit it is bound to (issue 19) — it then reads and writes only the
    records of that unit and the units below it; None: the whole store."""

    name: str
    role: str
    person: str | None = None
    created_at: str = ""
    unit: str | None = None

    def as_json(self) -> dict[str, Any]:
        out = {"name": self.name, "role": self.role, "person": self.person, "created_at": self.created_at}
        if self.unit:  # only when bound: the JSON of every account made before binding existed stays as sealed
            out["unit"] = self.unit
        return out


@dataclass(frozen=True)
class Filter:
    field: str
    op: str
    value: Any = None

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ValueError(f"filter operator {self.op!r} is not one of {OPS}")


@dataclass(frozen=True)
class Query:
    """A page of one record type: filters (AND), text search, sort, offset and limit.

    The semantics every backend must give (the contract suite checks them):

    * Field values in filters are in the stored shape (dates as ISO strings, bools as true/false).
      A field is *empty* when it is missing, null, ``""`` or ``[]``.
    * ``eq``/``lt``/``le``/``gt``/``ge``/``between`` never match an empty field; ``ne`` does
      (a unit with no kind is "not a village"). ``in`` takes a tuple of values.
    * ``contains`` on a list field (references, multi-choice) is membership; on a text field it is
      a case-insensitive substring.
    * ``text``: lower-cased; every whitespace-separated term must be a substring of the record's
      search text (which the ledger builds lower-cased from the searchable fields).
    * Text compares by Unicode code point (never by locale); numbers numerically.
    * ``sort`` is a tuple of (field, descending); empty values come first ascending and last
      descending; ties are broken by creation order (``num``), in the direction of the last key.
      Meta columns ``id`` (creation order), ``state``, ``version``, ``created_at`` and
      ``updated_at`` may be filtered and sorted on too.
    """

    type: str
    filters: tuple[Filter, ...] = ()
    text: str | None = None
    sort: tuple[tuple[str, bool], ...] = ()
    offset: int = 0
    limit: int | None = 50


class Reader(Protocol):
    def get(self, record_id: str) -> StoredRecord | None: ...
    def exists(self, record_id: str) -> bool: ...
    def query(self, q: Query) -> list[StoredRecord]: ...
    def count(self, q: Query) -> int: ...
    def referrers(self, record_id: str, limit: int = 10) -> list[tuple[str, str]]: ...
    def audit(self, record_id: str | None = None, after_seq: int = 0, limit: int | None = None) -> Iterator[AuditEntry]: ...
    def audit_head(self) -> tuple[int, str]: ...
    def audit_newest(self, record_id: str | None = None, before_seq: int | None = None, limit: int | None = None) -> Iterator[AuditEntry]:
        """Audit entries newest first (of one record, or all), those below ``before_seq`` when
        it is given, at most ``limit``: a page of the log read from its end without walking the
        chain from its start. (A backend without it still works: the ledger then walks the log,
        which the contract suite's page test will tell its author is slow at scale.)"""
    def settings(self) -> dict[str, Any]: ...
    def users(self) -> list[User]: ...
    def get_user(self, name: str) -> User | None: ...
    def counters(self) -> dict[str, int]: ...
    def type_counts(self) -> dict[str, int]: ...
    def all_records(self) -> Iterator[StoredRecord]: ...


class SealReader(Protocol):
    """What ``duty audit --verify`` reads, optional on a backend's sessions (without them it reads
    :meth:`Reader.audit` and :meth:`Reader.all_records`, the same facts built into objects):
    plain tuples with the text as UTF-8 bytes, so a million rows cost no more than they must.
    SQLite and PostgreSQL have them; :mod:`duty_tui.audit` (``entry_rows``, ``record_rows``)
    documents the shape and takes either."""

    def audit_rows(self) -> Iterator[tuple]:
        """The whole chain by seq: (seq, ts, actor, by, action, record_id, before, after, prev,
        hash); by ``b""`` and before/after ``b"\\x00"`` when NULL, the rest as stored."""
    def raw_records(self) -> Iterator[tuple]:
        """Every record: (id, type, version, state, data, created_at, created_by, updated_at,
        updated_by); data as the stored JSON (bytes) or a dict."""


class Writer(Reader, Protocol):
    def next_number(self, record_type: str) -> int: ...
    def insert(self, record: StoredRecord) -> None: ...
    def update(self, record: StoredRecord) -> None: ...
    def delete(self, record_id: str) -> None: ...
    def append_audit(self, entry: AuditEntry) -> None: ...
    def insert_many(self, records: list[StoredRecord]) -> None:
        """Insert records in one go (bulk creation, import); same effect as insert() each."""
    def append_audit_many(self, entries: list[AuditEntry]) -> None:
        """Append consecutive audit entries in one go; same effect as append_audit() each."""
    def put_setting(self, key: str, value: Any) -> None: ...
    def delete_setting(self, key: str) -> None: ...
    def put_user(self, user: User) -> None: ...
    def delete_user(self, name: str) -> None: ...
    def set_counter(self, record_type: str, last: int) -> None: ...


class BlobReader(Protocol):
    """The optional blob part of a backend (files attached to records). A backend offers it by
    having these methods on its sessions; :func:`has_blobs` tells. Names are unique per record;
    the bytes come back exactly as put."""

    def list_blobs(self, record_id: str) -> list[BlobInfo]: ...
    def get_blob(self, record_id: str, name: str) -> bytes | None: ...
    def all_blobs(self) -> Iterator[tuple[BlobInfo, bytes]]: ...


class BlobWriter(BlobReader, Protocol):
    def put_blob(self, info: BlobInfo, data: bytes) -> None:
        """Store (or replace) the file ``info.name`` of ``info.record_id``."""
    def delete_blob(self, record_id: str, name: str) -> None: ...


def has_blobs(session: Any) -> bool:
    return all(callable(getattr(session, m, None)) for m in ("list_blobs", "get_blob", "all_blobs", "put_blob", "delete_blob"))


class Store(Protocol):
    url: str

    def prepare(self, types: Mapping[str, "RecordType"]) -> None:
        """Create tables and the indexes the types ask for (idempotent)."""

    def read(self) -> AbstractContextManager[Reader]: ...
    def write(self) -> AbstractContextManager[Writer]: ...
    def close(self) -> None: ...

    def warn_size(self) -> L | None:
        """A message when the store has outgrown its backend (the CLI and TUI show it), else None."""


def scheme_of(url: str) -> str:
    scheme, sep, _ = url.partition("://")
    if not sep:
        raise StoreError(L("存储地址 “{url}” 无效:应形如 sqlite:///路径", "store URL {url!r} is not valid: expected e.g. sqlite:///path").format(url=url))
    return scheme.split("+", 1)[0]


class StorePlugins(Protocol):
    """What opening a store asks of the plugins (:class:`duty_tui.registry.Registry` is one): the
    backend factories by URL scheme and the record types. The store protocol sits below the
    registry, so it names only this (an import-linter layer in pyproject.toml)."""

    backends: Mapping[str, Callable[[str], Store]]
    types: Mapping[str, RecordType]


def open_store(url: str, registry: StorePlugins) -> Store:
    """Open (not initialise) the store at ``url`` with the backend registered for its scheme."""
    scheme = scheme_of(url)
    factory = registry.backends.get(scheme)
    if factory is None:
        known = ", ".join(sorted(registry.backends)) or "-"
        raise StoreError(
            L("没有处理 “{scheme}” 的存储后端(已有:{known})", "no storage backend for {scheme!r} (have: {known})").format(scheme=scheme, known=known)
        )
    store = factory(url)
    store.prepare(registry.types)
    return store


__all__ = [
    "BlobInfo", "BlobReader", "BlobWriter", "has_blobs",
    "AuditEntry", "Filter", "Query", "Reader", "SealReader", "Store", "StoredRecord", "User", "Writer", "open_store", "scheme_of",
    "META_COLUMNS", "OPS",
]
