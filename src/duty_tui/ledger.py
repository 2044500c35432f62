"""The ledger: the one service every face (TUI, CLI, reports, tests) goes through.

Each write is validated (every bad field reported at once), permitted (by the actor's role),
applied to the workflow, and written together with its audit entry in one transaction of the
store. An update names the version it was made against; if someone saved first, it fails with a
:class:`Conflict` that says who and when, and their change is kept.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import mimetypes
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from . import audit
from .dates import (DEFAULT_MAX_YEAR, DEFAULT_MIN_YEAR, MAX_YEAR_KEY, MIN_YEAR_KEY, SYSTEM_ZONE, YEAR_LIMITS, DateProblem, in_zone,
                    years, zone_named)
from .errors import Conflict, FieldError, NotFound, NotPermitted, PluginFailure, StoreError, ValidationError
from .files import write_atomically
from .i18n import L, as_text
from .identity import ACTION_LABELS, ROLE_LABELS, ROLES, permits
from .plugins import call_each, validate_each
from .registry import Registry
from .safetext import safe_text, text_problem
from .schema import DATE, REFERENCE, Field, FieldProblem, RecordType
from .settings import TOWN_MARK
from .scope import MAX_DEPTH, TREE_SECONDS, Scope, parents_of, scope_for, top_units
from .store import AuditEntry, BlobInfo, Filter, Query, Reader, Store, StoredRecord, User, Writer, has_blobs

ORG_NAME = "org.name"
BATCH = 1000  # rows a bulk write hands the store at once
FIND_ONE_BY_ONE = 64  # titles of up to this many ids are read by key, more by a query per type
USER_RE = re.compile(r"^[a-z_][a-z0-9_.-]{0,31}$")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*-\d+$")


@dataclass(frozen=True)
class Record:
    """A record in its typed shape, as rules, plugins and faces see it."""

    id: str
    type: str
    version: int
    state: str | None
    data: dict[str, Any]
    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    updated_by: str = ""
    warnings: tuple[L, ...] = field(default=(), compare=False)

    def __getitem__(self, name: str) -> Any:
        return self.data[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def to_json(self, record_type: RecordType) -> dict[str, Any]:
        """One flat object: its fields plus id, type, version (and state), and when and by whom
        it was entered, so late entries are visible beside the dates they describe."""
        out: dict[str, Any] = {"id": self.id, "type": self.type, "version": self.version}
        if record_type.workflow is not None:
            out["state"] = self.state
        out.update(record_type.to_stored(self.data))
        out.update(created_at=self.created_at, created_by=self.created_by,
                   updated_at=self.updated_at, updated_by=self.updated_by)
        return out


def _title_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _joined_titles(ids: list[str], titles: Mapping[str, str]) -> str:
    """A title made of references: the titles of the records named (an id where there is none)."""
    return "、".join(titles.get(i) or i for i in ids)


def snapshot(stored: StoredRecord) -> dict[str, Any]:
    """What an audit entry keeps of a record."""
    return {"id": stored.id, "type": stored.type, "version": stored.version, "state": stored.state, **stored.data}


def _ids_of(r: Reader, q: Query) -> tuple[str, ...]:
    """The ids ``q`` selects: without reading the records' data where the store can."""
    ids = getattr(r, "query_ids", None)
    return tuple(ids(q)) if ids is not None else tuple(s.id for s in r.query(q))


_PLANS: dict[int, tuple] = {}  # id(record type) → (the type, its fields' names, its date fields, its list fields)


def _from_stored(rt: RecordType, stored: Mapping[str, Any]) -> dict[str, Any]:
    """``rt.from_stored(stored)``, the same dict, made without a call per field (a county's check
    types 100,000 records: a third of its time went to Field.from_stored, 1,000,000 calls)."""
    plan = _PLANS.get(id(rt))
    if plan is None or plan[0] is not rt:
        plain = type(rt).from_stored is RecordType.from_stored and all(
            type(f).from_stored is Field.from_stored and type(f).empty is Field.empty for f in rt.fields)
        plan = _PLANS[id(rt)] = (rt, tuple(f.name for f in rt.fields) if plain else None,
                                 tuple(f.name for f in rt.fields if f.kind == DATE),
                                 tuple(f.name for f in rt.fields if f.empty() is not None))
    _, names, dates, lists = plan
    if names is None:
        return rt.from_stored(stored)
    get = stored.get
    data = {name: get(name) for name in names}
    for name in dates:
        value = data[name]
        if isinstance(value, str):
            data[name] = dt.date.fromisoformat(value)
    for name in lists:
        if data[name] is None:
            data[name] = []
    return data


def owner_along(types: Mapping[str, RecordType], rt: RecordType, data: Mapping[str, Any], record_id: str | None,
                find: Callable[[str], Any], depth: int = 0) -> str | None:
    """The unit a record belongs to, following its type's ``unit_path``: the first field filled
    names a unit, or a record (``find(id)``, None when there is none) whose own unit it is; a unit
    belongs to itself. None when there is no such unit, or the path cannot be followed (a record
    gone, a chain deeper than MAX_DEPTH, a value that is not one id). The ledger's scope and the
    county's kept standings (standing_cache) place records by it."""
    if rt.name == "unit":
        return record_id
    for name in rt.unit_path:
        value = data.get(name)
        if not value:
            continue
        if isinstance(value, (list, tuple)):
            return None
        if rt.field(name).target == "unit":
            return value
        target = find(value) if depth < MAX_DEPTH else None
        target_rt = types.get(target.type) if target is not None else None
        if target_rt is None:
            return None
        return owner_along(types, target_rt, target.data, target.id, find, depth + 1)
    return None


class Ledger:
    """Acts as one user on one store. Build it with :meth:`for_login` (checks the account) or,
    for trusted internal work and tests, directly."""

    def __init__(self, store: Store, registry: Registry, user: User, *, login: str | None = None, clock=audit.now,
                 scope: str | None = None):
        self.store, self.registry, self.user = store, registry, user
        self.login = login or user.name
        self.clock = clock
        self._tx: Writer | None = None
        self._hook_plans: dict[str, Any] = {}
        # the unit this ledger works within (duty_tui.scope): the account's, or a narrower one
        self._root: str | None = scope if scope is not None else user.unit
        self._tree: tuple[float, dict[str, str | None]] | None = None
        self._tx_tree: tuple[Any, dict[str, str | None]] | None = None  # the unit tree as this write transaction holds it
        # inside steady(): what reads ask again and again (the settings, a scope's filters: a check
        # asks thousands of times), read once; dropped when this ledger writes
        self._memo: dict[Any, Any] = {}
        self._steady = 0
        self._steady_thread: int | None = None
        self._rx: Any = None  # inside steady(): the one read transaction every read joins (and its context)
        self._rx_cm: Any = None

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def for_login(cls, store: Store, registry: Registry, login: str, *, as_user: str | None = None) -> "Ledger":
        with store.read() as r:
            if not r.users():
                raise StoreError(L("存储 {url} 尚未初始化：请先运行 duty init", "the store {url} is not initialised: run `duty init` first").format(url=store.url))
            user = r.get_user(login)
            if user is None:
                raise NotPermitted(L(
                    "系统用户 {login} 在 {url} 中没有账号。请管理员执行：duty users add {login} --role clerk",
                    "the OS user {login} has no account in {url}. Ask an admin to run: duty users add {login} --role clerk",
                ).format(login=login, url=store.url))
            if as_user and as_user != login:
                if user.role != "admin":
                    raise NotPermitted(L("只有管理员可以使用 --as", "only an admin may use --as"))
                target = r.get_user(as_user)
                if target is None:
                    raise NotFound(L("没有名为 {name} 的用户", "there is no user named {name}").format(name=as_user))
                if user.unit is not None:  # a unit's admin acts only as the accounts of that unit
                    admin = cls(store, registry, user, login=login)
                    admin._require_account_within(r, target, admin._current_scope(r))
                return cls(store, registry, target, login=login)
        return cls(store, registry, user, login=login)

    @staticmethod
    def initialise(store: Store, registry: Registry, login: str) -> "Ledger":
        """Create the store's first account: the caller, as admin."""
        ledger = Ledger(store, registry, User(login, "admin"))
        with ledger._writing() as w:
            if w.users() or w.audit_head()[0] > 0 or w.type_counts():
                raise StoreError(L("存储 {url} 已初始化", "the store {url} is already initialised").format(url=store.url))
            user = User(login, "admin", None, ledger.clock())
            w.put_user(user)
            ledger._audit(w, "init", f"user:{login}", None, user.as_json())
        ledger.user = user
        return ledger

    # -- permission ----------------------------------------------------------------------------
    def require(self, action: str) -> None:
        if not permits(self.user.role, action):
            raise NotPermitted(L("{user}（{role}）无权{what}", "{user} ({role}) may not {what}").format(
                user=self.user.name, role=ROLE_LABELS.get(self.user.role, L(self.user.role, self.user.role)),
                what=ACTION_LABELS.get(action, L(action, action))))

    # -- scope: the unit an account is bound to (duty_tui.scope) ---------------------------------
    @property
    def scope(self) -> str | None:
        """The unit this ledger reads and writes within (with the units below it); None: the
        whole store."""
        return self._root

    def narrowed(self, unit_id: str) -> "Ledger":
        """The same account working within ``unit_id`` and the units below it (a county's
        check of one town, ``--unit``): it must lie within this ledger's own scope."""
        self.require("read")
        with self._reading() as r:
            parents = self._parents(r, fresh=True)
            if unit_id not in parents:
                raise NotFound(L("没有编号为 {id} 的单位", "there is no unit {id}").format(id=unit_id))
            mine = scope_for(self._root, parents)
            if mine is not None and unit_id not in mine.units:
                raise self._outside(unit_id, mine, r)
        narrow = Ledger(self.store, self.registry, self.user, login=self.login, clock=self.clock, scope=unit_id)
        if self._tx is None and self._tree is not None:
            narrow._tree = self._tree  # the tree just read: the same moment (a county's check narrows to twenty towns)
        return narrow

    def unit_named(self, text: str) -> str:
        """The id of the unit ``text`` names: its id, or its exact name (one unit only)."""
        text = (text or "").strip()
        view = self._unbound()  # a unit outside is named as outside by what uses it, not as missing
        if ID_RE.match(text):
            found = view.find(text)
            if found is None or found.type != "unit":
                raise NotFound(L("没有编号为 {id} 的单位", "there is no unit {id}").format(id=text))
            return text
        same = [u.id for u in view.query("unit", where={"name": text}, limit=None) if u.data.get("name") == text]
        if len(same) == 1:
            return same[0]
        if not same:
            raise NotFound(L("没有名为 “{name}” 的单位", "there is no unit called “{name}”").format(name=text))
        raise ValidationError([FieldError("unit", L("有 {n} 个单位名为 “{name}”（{ids}）：请写编号", "{n} units are called “{name}” ({ids}): give the id").format(
            n=len(same), name=text, ids=", ".join(same)))])

    def town(self) -> str | None:
        """The top unit this ledger works within (whose settings apply), None when it sees a
        whole store."""
        with self._reading() as r:
            sc = self._current_scope(r)
        return sc.town if sc is not None else None

    @contextmanager
    def steady(self) -> Iterator["Ledger"]:
        """Many reads as of one moment (a check, a dashboard, a report): inside the ``with`` the
        settings and the scope's filters are read once, not at every query (a county's check of
        a town asked for them 30,000 times), and every read joins one read transaction of the
        store (one snapshot, one round trip fewer per query on a server). A write through this
        ledger ends that transaction: what is read after it is read afresh. Reads from another
        thread than the one that entered are not joined."""
        if self._steady and self._steady_thread != threading.get_ident():
            yield self  # another thread's steady run is under way: this one reads as usual
            return
        self._steady += 1
        self._steady_thread = threading.get_ident()
        try:
            yield self
        finally:
            self._steady -= 1
            if not self._steady:
                self._memo.clear()
                self._end_steady_read()
                self._steady_thread = None

    def _end_steady_read(self) -> None:
        cm, self._rx, self._rx_cm = self._rx_cm, None, None
        if cm is not None:
            cm.__exit__(None, None, None)

    def _remembered(self, key: Any, make):
        """``make()``; inside :meth:`steady` (and outside a write), once."""
        if self._tx is not None or not self._steady or self._steady_thread != threading.get_ident():
            return make()
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def _forget(self) -> None:
        self._memo.clear()
        self._tree = None
        self._tx_tree = None
        if self._steady and self._steady_thread == threading.get_ident():
            self._end_steady_read()

    def _parents(self, r: Reader, fresh: bool = False) -> dict[str, str | None]:
        """unit id → parent id of every unit (read afresh inside a write)."""
        if self._tx is not None:  # inside a write: read once per transaction, again once it writes a unit
            if self._tx_tree is None or self._tx_tree[0] is not self._tx:
                self._tx_tree = (self._tx, self._read_tree(r))
            return self._tx_tree[1]
        now = time.monotonic()
        if fresh or self._tree is None or now - self._tree[0] >= TREE_SECONDS:
            self._tree = (now, self._read_tree(r))
        return self._tree[1]

    @staticmethod
    def _read_tree(r: Reader) -> dict[str, str | None]:
        pairs = getattr(r, "field_of", None)  # (id, parent) only, where the store can: not every unit's whole record
        if pairs is not None:
            return parents_of(pairs(Query("unit", limit=None), "parent"))
        return parents_of((u.id, u.data.get("parent")) for u in r.query(Query("unit", limit=None)))

    def _current_scope(self, r: Reader, fresh: bool = False) -> Scope | None:
        if self._root is None:
            return None
        parents = self._parents(r, fresh)
        held = self.__dict__.get("_scope_of")
        if held is not None and held[0] is parents and held[1] == self._root:
            return held[2]  # the same tree as the last read: the same scope (a check asks ~70 times a town)
        sc = scope_for(self._root, parents)
        self._scope_of = (parents, self._root, sc)
        return sc

    def _owner(self, r: Reader, rt: RecordType, data: Mapping[str, Any], record_id: str | None) -> str | None:
        """The unit a record belongs to (stored data), following its type's ``unit_path``."""
        return owner_along(self.registry.types, rt, data, record_id, r.get)

    def _sees(self, r: Reader, stored: StoredRecord, sc: Scope | None) -> bool:
        if sc is None:
            return True
        rt = self.registry.types.get(stored.type)
        if rt is None:
            return False
        return sc.admits(self._owner(r, rt, stored.data, stored.id), rt.shared)

    def _outside(self, what: "str | L", sc: Scope, r: Reader) -> NotPermitted:
        root = r.get(sc.root)
        name = (root.data.get("name") if root is not None else None) or sc.root
        return NotPermitted(L("{id} 不在{user}的范围（{unit}及其下级单位）内", "{id} is outside {user}'s scope ({unit} and the units below it)").format(
            id=what, user=self.user.name, unit=name))

    def _require_within(self, r: Reader, rt: RecordType, stored_data: Mapping[str, Any], record_id: str | None,
                        sc: Scope | None) -> None:
        """A write's record must belong to the scope (a bound account cannot write the top level's)."""
        if sc is None:
            return
        if rt.name == "unit" and record_id is None:  # a new unit: where it is put
            owner = stored_data.get("parent") or None
        else:
            owner = self._owner(r, rt, stored_data, record_id)
        if not sc.holds(owner):
            raise self._outside(record_id or L("新的{type}", "a new {type}").format(type=rt.label), sc, r)

    def _fill_unit(self, rt: RecordType, data: dict[str, Any], sc: Scope | None) -> None:
        """A bound account's new record whose unit fields are all empty goes to the account's own
        unit, where its type's first unit field can take it."""
        if sc is None or not rt.unit_path or any(data.get(n) for n in rt.unit_path):
            return
        first = rt.field(rt.unit_path[0])
        if first.target == "unit":
            data[first.name] = sc.root

    def _scoped(self, r: Reader, q: Query) -> Query | None:
        """``q`` limited to the records the scope holds; None when it holds none of the type."""
        sc = self._current_scope(r)
        if sc is None:
            return q
        extra = self._remembered(("scope", q.type, sc.root), lambda: self._scope_filters(r, self.type(q.type), sc))
        if extra is None:
            return None
        return replace(q, filters=q.filters + extra)

    def _scope_filters(self, r: Reader, rt: RecordType, sc: Scope, depth: int = 0) -> tuple[Filter, ...] | None:
        """Store filters selecting the records of ``rt`` the scope holds (None: none of them)."""
        if rt.name == "unit":
            return (Filter("id", "in", tuple(sorted(sc.units))),)
        if not rt.unit_path:
            return () if rt.shared else None
        branches: list[tuple[Filter, ...]] = []
        for i, name in enumerate(rt.unit_path):
            earlier = tuple(Filter(n, "empty") for n in rt.unit_path[:i])
            target = rt.field(name).target
            if target == "unit":
                ids: tuple[str, ...] = tuple(sorted(sc.units | sc.above if rt.shared else sc.units))
            else:
                ids = self._scoped_ids(r, self.type(target), sc, depth + 1) if depth < MAX_DEPTH else ()
            if ids:
                branches.append(earlier + (Filter(name, "in", ids),))
        if rt.shared:
            branches.append(tuple(Filter(n, "empty") for n in rt.unit_path))
        if not branches:
            return None
        if len(branches) == 1:
            return branches[0]
        found: set[str] = set()  # alternatives (first filled decides): the union, by id
        for branch in branches:
            found.update(_ids_of(r, Query(rt.name, branch, limit=None)))
        return (Filter("id", "in", tuple(sorted(found))),) if found else None

    def _scoped_ids(self, r: Reader, rt: RecordType, sc: Scope, depth: int) -> tuple[str, ...]:
        filters = self._scope_filters(r, rt, sc, depth)
        if filters is None:
            return ()
        return _ids_of(r, Query(rt.name, filters, limit=None))

    def _unbound(self) -> "Ledger":
        """This ledger, seeing the whole store: what plugins' checks of a write read through (a
        village's event names the town's leader as its approver) and what titles of references
        are read with. Never handed to a face."""
        if self._root is None:
            return self
        view = copy.copy(self)
        view._root = None
        return view

    # -- the store's zone and language -------------------------------------------------------
    def zone(self) -> dt.tzinfo | None:
        """The store's time zone (setting ``org.timezone``): a ZoneInfo, or ``None`` for the
        machine's own zone. A name the zone data do not know is refused naming the setting."""
        name = self._setting_or("org.timezone", SYSTEM_ZONE)
        try:
            return zone_named(name)
        except DateProblem as problem:
            raise ValidationError([FieldError("org.timezone", L("{reason}（改正：duty config set org.timezone Asia/Shanghai）",
                                                                "{reason} (to fix it: duty config set org.timezone Asia/Shanghai)").format(
                reason=problem.reason))]) from None

    def local(self, ts: str) -> dt.datetime:
        """A stored UTC time (an audit entry's, a record's created_at) in the store's zone (for
        many, read :meth:`zone` once and use ``duty_tui.dates.in_zone``)."""
        return in_zone(ts, self.zone())

    def now(self) -> dt.datetime:
        """The ledger's clock as an aware datetime in the store's zone."""
        return self.local(self.clock())

    def _shown_time(self, ts: str) -> str:
        """A stored UTC time as a message tells it: ``2026-11-30 06:30:00`` in the store's zone
        (the stored text itself when it is not a time or the zone cannot be read)."""
        try:
            return self.local(ts).strftime("%Y-%m-%d %H:%M:%S")
        except (TypeError, ValueError, ValidationError):
            return str(ts)

    def today(self) -> dt.date:
        """The day of the ledger's clock in the store's zone: "today" for the rules, the
        workflow guards (``today``) and the reports."""
        return self.now().date()

    def document_lang(self) -> str:
        """The language documents are written in (setting ``org.lang``, default zh), whatever
        the operator's locale: a report goes to the level above in the office's language."""
        lang = str(self._setting_or("org.lang", "zh")).strip().lower()
        return lang if lang in ("zh", "en") else "zh"

    def year_range(self) -> tuple[int, int]:
        """The first and last year a date may have in this store (settings dates.min-year and
        dates.max-year; 1949–2100 unless the office says otherwise)."""
        return (int(self._setting_or(MIN_YEAR_KEY, DEFAULT_MIN_YEAR)), int(self._setting_or(MAX_YEAR_KEY, DEFAULT_MAX_YEAR)))

    def _setting_or(self, key: str, default: Any) -> Any:
        if key not in self.registry.settings:  # a registry built without the core directory
            return default
        return self.setting(key)

    def can(self, action: str) -> bool:
        return permits(self.user.role, action)

    # -- transactions ----------------------------------------------------------------------------
    def _writing(self) -> "_Writing":
        """The store's write transaction; a plugin hook writing inside ours joins it."""
        return _Writing(self)

    @contextmanager
    def _reading(self) -> Iterator[Reader]:
        if self._tx is not None:
            yield self._tx
            return
        if self._steady and self._steady_thread == threading.get_ident():
            if self._rx is None:
                self._rx_cm = self.store.read()
                self._rx = self._rx_cm.__enter__()
            yield self._rx
            return
        with self.store.read() as r:
            yield r

    def _seal(self, head: tuple[int, str], action: str, record_id: str, before: Any, after: Any, ts: str) -> AuditEntry:
        """The audit entry that follows ``head``, made by this ledger's user."""
        return audit.seal(head, ts=ts, actor=self.user.name, by=self.login if self.login != self.user.name else None,
                          action=action, record_id=record_id, before=before, after=after)

    def _audit(self, w: Writer, action: str, record_id: str, before: Any, after: Any, ts: str | None = None) -> AuditEntry:
        """Seal and append the next audit entry."""
        entry = self._seal(w.audit_head(), action, record_id, before, after, ts or self.clock())
        w.append_audit(entry)
        if record_id.startswith("unit-"):  # the unit tree this transaction read is no longer the store's
            self._tx_tree = None
        return entry

    # -- types and shapes ----------------------------------------------------------------------
    def type(self, name: str) -> RecordType:
        return self.registry.type(name)

    def _typed(self, stored: StoredRecord) -> Record:
        rt = self.registry.types.get(stored.type)
        data = _from_stored(rt, stored.data) if rt else dict(stored.data)
        return Record(stored.id, stored.type, stored.version, stored.state, data,
                      stored.created_at, stored.created_by, stored.updated_at, stored.updated_by)

    # -- reading ------------------------------------------------------------------------------
    def find(self, record_id: str) -> Record | None:
        """The record, None when there is none (or it lies outside this ledger's scope)."""
        self.require("read")
        # inside steady(), one read per record: a town's rules asked for the same nine leaders
        # 42 times, a round trip each
        return self._remembered(("find", record_id), lambda: self._find(record_id))

    def _find(self, record_id: str) -> Record | None:
        with self._reading() as r:
            stored = r.get(record_id)
            if stored is not None and self._root is not None and not self._sees(r, stored, self._current_scope(r)):
                return None
        return self._typed(stored) if stored else None

    def get(self, record_id: str) -> Record:
        """The record; :class:`NotFound` when there is none, :class:`NotPermitted` when it lies
        outside this ledger's scope."""
        self.require("read")

        def read() -> Record:
            with self._reading() as r:
                return self._typed(self._visible(r, record_id))

        return self._remembered(("get", record_id), read) if self._steady else read()

    def _visible(self, r: Reader, record_id: str) -> StoredRecord:
        """The stored record; NotFound, or NotPermitted when it lies outside the scope."""
        stored = r.get(record_id)
        if stored is None:
            raise NotFound(L("没有编号为 {id} 的记录", "there is no record {id}").format(id=record_id))
        sc = self._current_scope(r)
        if not self._sees(r, stored, sc):
            raise self._outside(record_id, sc, r)
        return stored

    def query(self, record_type: str, *, where: Mapping[str, Any] | None = None, filters: tuple[Filter, ...] = (),
              text: str | None = None, sort: tuple[tuple[str, bool], ...] = (), offset: int = 0,
              limit: int | None = 50, year: int | None = None) -> list[Record]:
        q = self.build_query(record_type, where=where, filters=filters, text=text, sort=sort, offset=offset, limit=limit, year=year)
        try:
            key = hash(q) and ("query", q)
        except TypeError:  # a filter value given as a list: asked of the store each time
            key = None
        if key is not None and self._steady:  # a check's rules ask for the same year of a type again and again
            return list(self._remembered(key, lambda: self._query(q)))
        return self._query(q)

    def _query(self, q: Query) -> list[Record]:
        with self._reading() as r:
            scoped = self._scoped(r, q)
            return [self._typed(s) for s in r.query(scoped)] if scoped is not None else []

    def count(self, record_type: str, *, where: Mapping[str, Any] | None = None, filters: tuple[Filter, ...] = (),
              text: str | None = None, year: int | None = None) -> int:
        q = self.build_query(record_type, where=where, filters=filters, text=text, year=year)
        with self._reading() as r:
            scoped = self._scoped(r, q)
            return r.count(scoped) if scoped is not None else 0

    def all(self, record_type: str, *, year: int | None = None, **equals: Any) -> list[Record]:
        """Every record of a type matching ``equals`` (for rules: a year of a town is small)."""
        return self.query(record_type, where=equals, year=year, limit=None)

    def build_query(self, record_type: str, *, where: Mapping[str, Any] | None = None, filters: tuple[Filter, ...] = (),
                    text: str | None = None, sort: tuple[tuple[str, bool], ...] = (), offset: int = 0,
                    limit: int | None = 50, year: int | None = None) -> Query:
        """A store query from typed values; every unknown field or bad value is reported at once."""
        self.require("read")
        rt = self.type(record_type)
        errors: list[FieldError] = []
        out: list[Filter] = []
        with years(*YEAR_LIMITS):  # a filter reads: any date compares, the store's range is for writes
            for f in [Filter(k, "eq", v) for k, v in (where or {}).items()] + list(filters):
                try:
                    out.append(self._stored_filter(rt, f))
                except FieldProblem as p:
                    errors.append(FieldError(f.field, p.reason))
        if year is not None:
            if rt.year_field is None:
                errors.append(FieldError("year", L("{type} 没有可按年份筛选的日期", "{type} has no date to filter by year").format(type=rt.label)))
            elif rt.field(rt.year_field).kind == DATE:
                out.append(Filter(rt.year_field, "between", (f"{year:04d}-01-01", f"{year:04d}-12-31")))
            else:
                out.append(Filter(rt.year_field, "eq", year))
        for name, _ in sort:
            if not (rt.has_field(name) or name in ("id", "state", "version", "created_at", "updated_at")):
                errors.append(FieldError(name, L("不能按未知字段排序", "cannot sort by an unknown field")))
        if errors:
            raise ValidationError(errors, rt.name)
        if offset < 0 or (limit is not None and limit < 0):
            raise ValidationError([FieldError("limit", L("不能为负数", "cannot be negative"))], rt.name)
        return Query(rt.name, tuple(out), (text or "").strip().lower() or None, tuple(sort), offset, limit)

    def _stored_filter(self, rt: RecordType, f: Filter) -> Filter:
        if f.field in ("id", "state", "created_by", "updated_by", "created_at", "updated_at"):
            return f
        if f.field == "version":
            return Filter(f.field, f.op, int(f.value))
        if not rt.has_field(f.field):
            raise FieldProblem(L("{type} 没有这个字段（有：{fields}）", "{type} has no such field (it has: {fields})").format(
                type=rt.label, fields=", ".join(rt.field_names)))
        fld = rt.field(f.field)
        if f.op in ("empty", "not_empty"):
            return f
        if f.op == "between":
            lo, hi = f.value
            return Filter(f.field, f.op, (fld.to_stored(fld.coerce(lo)), fld.to_stored(fld.coerce(hi))))
        if fld.target and f.op in ("eq", "contains", "ne") and isinstance(f.value, str) and f.value.strip() \
                and not ID_RE.match(f.value.strip()):
            return self._filter_by_title(fld, f)
        if fld.is_list and f.op in ("eq", "contains"):
            items = fld.coerce(f.value)
            if len(items) != 1:
                raise FieldProblem(L("按列表字段筛选时只能给一个值", "filter a list field by one value"))
            return Filter(f.field, "contains", items[0])
        if f.op == "in":
            return Filter(f.field, "in", tuple(fld.to_stored(fld.coerce(v)) for v in f.value))
        value = fld.coerce(f.value)
        if value is None:
            return Filter(f.field, "empty" if f.op == "eq" else "not_empty")
        return Filter(f.field, f.op, fld.to_stored(value))

    def _filter_by_title(self, fld, f: Filter) -> Filter:
        """A reference field filtered by what its target is called (``unit:文化站``): the ids of
        the targets whose title contains the text."""
        text = f.value.strip()
        ids = self.ids_titled(fld.target, text)
        target = self.type(fld.target).label
        if not ids:
            raise FieldProblem(L("没有名称含“{text}”的{type}", "no {type} is called anything like “{text}”").format(text=text, type=target))
        if (fld.is_list or f.op == "ne") and len(ids) > 1:  # the store matches one value there
            found = self.titles(ids[:5])
            raise FieldProblem(L("“{text}”对应 {n} 个{type}（{some}）：请写得更具体，或写编号",
                                 "“{text}” matches {n} of {type} ({some}): be more specific, or give the id").format(
                text=text, n=len(ids), type=target, some=", ".join(f"{found[i]} {i}" for i in ids[:5])))
        if fld.is_list:
            return Filter(fld.name, "contains", ids[0])
        return Filter(fld.name, "ne", ids[0]) if f.op == "ne" else Filter(fld.name, "in", tuple(ids))

    def names(self, record_type: str, ids: Iterable[str]) -> dict[str, str]:
        """id → title for those of ``ids`` that exist (the record type is for the caller's
        reading; :meth:`titles` works out the types from the ids)."""
        return {rid: title for rid, title in self.titles(ids).items() if title}

    def title(self, record: Record, lookup=None) -> str:
        """What names a record to a person: its type's title field; a reference there shows the
        referenced record's title (a leader reads as the person's name). ``lookup`` (ids → dict
        of titles) answers for those referenced records: a face passes its cache; by default
        :meth:`titles` reads them."""
        rt = self.registry.types.get(record.type)
        value = record.data.get(rt.title_field) if rt is not None and rt.title_field else None
        if value in (None, "", []):
            return ""
        if rt.field(rt.title_field).target:
            ids = value if isinstance(value, list) else [value]
            return _joined_titles(ids, (lookup or self.titles)(ids))
        return _title_text(value)

    def titles(self, ids: Iterable[str], _depth: int = 0) -> dict[str, str]:
        """id → title (see :meth:`title`) of every id given, "" for one that names no record: a
        few are looked up by key, many in one query per type, and the references that titles
        are made of in one more round."""
        self.require("read")
        wanted = sorted({i for i in ids if isinstance(i, str) and i})
        records: list[Record] = []
        if len(wanted) <= FIND_ONE_BY_ONE:
            with self._reading() as r:
                records = [self._typed(s) for s in (r.get(i) for i in wanted) if s is not None]
        else:
            by_type: dict[str, list[str]] = {}
            for rid in wanted:
                rtype = rid.rsplit("-", 1)[0]
                if rtype in self.registry.types:
                    by_type.setdefault(rtype, []).append(rid)
            names_of = self._unbound()  # a reference's title reads whatever unit it belongs to
            for rtype, chunk in by_type.items():
                records += names_of.query(rtype, filters=(Filter("id", "in", tuple(chunk)),), limit=None)
        out = dict.fromkeys(wanted, "")
        referred: dict[str, list[str]] = {}
        for record in records:
            rt = self.registry.types.get(record.type)
            if rt is None or rt.title_field is None:
                continue
            value = record.data.get(rt.title_field)
            if value in (None, "", []):
                continue
            if rt.field(rt.title_field).target:
                referred[record.id] = value if isinstance(value, list) else [value]
            else:
                out[record.id] = _title_text(value)
        if referred:
            inner = self.titles([i for v in referred.values() for i in v], _depth + 1) if _depth < 2 else {}
            for rid, targets in referred.items():
                out[rid] = _joined_titles(targets, inner)
        return out

    def ids_titled(self, record_type: str, text: str, limit: int = 500, _depth: int = 0) -> list[str]:
        """Ids of the records of a type whose title contains ``text`` (a reference title: the
        referenced records' titles), at most ``limit``."""
        rt = self.type(record_type)
        if rt.title_field is None:
            return []
        f = rt.field(rt.title_field)
        if f.target:
            if _depth >= 2:
                return []
            targets = self.ids_titled(f.target, text, limit, _depth + 1)
            if not targets:
                return []
            if f.is_list:
                found: list[str] = []
                for target in targets:
                    found += [r.id for r in self.query(rt.name, filters=(Filter(f.name, "contains", target),), limit=limit)]
                return sorted(set(found))[:limit]
            return [r.id for r in self.query(rt.name, filters=(Filter(f.name, "in", tuple(targets)),), limit=limit)]
        return [r.id for r in self.query(rt.name, filters=(Filter(f.name, "contains", text),), limit=limit)]

    def referrers(self, record_id: str, limit: int = 10) -> list[tuple[str, str]]:
        self.require("read")
        with self._reading() as r:
            sc = self._current_scope(r)
            if sc is None:
                return r.referrers(record_id, limit)
            found = r.referrers(record_id, max(limit, 1) * 20)
            return [(rid, f) for rid, f in found if (s := r.get(rid)) is not None and self._sees(r, s, sc)][:limit]

    def history(self, record_id: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        self.require("read")
        with self._reading() as r:
            sc = self._current_scope(r)
            if sc is None:
                return list(r.audit(record_id=record_id, limit=limit))
            if record_id is None:
                return [e for e in r.audit() if self._entry_seen(r, e, sc)][:limit]
            self._require_entry_seen(r, record_id, sc)
            return list(r.audit(record_id=record_id, limit=limit))

    def _entry_seen(self, r: Reader, e: AuditEntry, sc: Scope) -> bool:
        """Whether a bound account sees an audit entry: one of a record it sees (a deleted one
        by what the entry says it was); never an account's, a setting's or the store's."""
        if not ID_RE.match(e.record_id):
            return False
        stored = r.get(e.record_id)
        if stored is not None:
            return self._sees(r, stored, sc)
        rt = self.registry.types.get(e.record_id.rsplit("-", 1)[0])
        said = e.after or e.before
        try:
            data = json.loads(said) if said else None
        except ValueError:
            data = None
        if rt is None or not isinstance(data, dict) or "type" not in data:
            return False
        return sc.admits(self._owner(r, rt, data, e.record_id), rt.shared)

    def _require_entry_seen(self, r: Reader, record_id: str, sc: Scope) -> None:
        stored = r.get(record_id)
        if stored is not None:
            if not self._sees(r, stored, sc):
                raise self._outside(record_id, sc, r)
            return
        last = next(iter(r.audit_newest(record_id=record_id, limit=1)), None) if hasattr(r, "audit_newest") else None
        if last is None or not self._entry_seen(r, last, sc):
            raise self._outside(record_id, sc, r)

    def verify_audit(self) -> audit.Verdict:
        self.require("read")
        with self._reading() as r:
            return audit.verify_chain(r)

    def verify_store(self, anchor: audit.AnchorFile | None = None, anchor_path: str | None = None) -> audit.Seal:
        """The chain, then the records, users and settings the store holds against what the chain
        says it holds, and the chain against an anchor kept outside the store (``duty audit
        --verify``): :func:`duty_tui.audit.seal_check`. An operator bound to a unit is told
        whether the whole store verifies, without its counts or the differences' records
        (:attr:`duty_tui.audit.Seal.scope`)."""
        self.require("read")
        with self._reading() as r:
            return audit.seal_check(r, anchor, anchor_path, self.store.url).for_scope(self.scope)

    # -- the one door: transactions, audit pages, files, verification, export and restore --------
    # What faces, reports and plugins call instead of reaching for the store (a test,
    # tests/test_one_door.py, fails on code outside the ledger and storage that does).

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes as one, all or none: every write made through this ledger inside the
        ``with`` (create, create_many, update, transition, delete, attach, detach, settings,
        users) joins one store transaction, committed when the block ends and rolled back if it
        raises. A transaction inside another joins the outer one; reads inside see the writes
        made so far. Each write is still validated, permitted and audited as it is made, and
        plugins' ``duty_after_write`` hooks hear of it then, before the commit."""
        with self._writing():
            yield

    def audit_page(self, *, record_id: str | None = None, before_seq: int | None = None, limit: int | None = 50) -> list[AuditEntry]:
        """A page of the audit log, newest first: the entries (of one record, or of the whole
        store) numbered below ``before_seq`` (from the newest when None), at most ``limit`` (all
        when None).
        The next page is ``audit_page(before_seq=page[-1].seq, ...)``. Read from the log's end,
        so a page costs the same at a million entries as at ten."""
        self.require("read")
        if limit is not None and limit < 0:
            raise ValidationError([FieldError("limit", L("不能为负数", "cannot be negative"))])
        with self._reading() as r:
            sc = self._current_scope(r)
            if sc is not None:
                return self._seen_page(r, sc, record_id, before_seq, limit)
            if hasattr(r, "audit_newest"):
                return list(r.audit_newest(record_id=record_id, before_seq=before_seq, limit=limit))
            # a backend written before audit_newest joined the protocol: the same page, walked
            entries = [e for e in r.audit(record_id=record_id) if before_seq is None or e.seq < before_seq]
            entries.reverse()
            return entries if limit is None else entries[:limit]

    SCAN = 500  # audit entries a bound account's page reads at a time

    def _seen_page(self, r: Reader, sc: Scope, record_id: str | None, before_seq: int | None, limit: int | None) -> list[AuditEntry]:
        """A page of the entries a bound account sees, newest first, read from the log's end."""
        if record_id is not None:
            self._require_entry_seen(r, record_id, sc)
            return list(r.audit_newest(record_id=record_id, before_seq=before_seq, limit=limit))
        out: list[AuditEntry] = []
        while limit is None or len(out) < limit:
            chunk = list(r.audit_newest(before_seq=before_seq, limit=self.SCAN))
            if not chunk:
                break
            out += [e for e in chunk if self._entry_seen(r, e, sc)]
            before_seq = chunk[-1].seq
        return out if limit is None else out[:limit]

    def store_mark(self) -> str:
        """What tells this store from any other, whatever the account's scope: the hash of its
        first audit entry (kept by ``duty export``/``import`` and a backup, so a moved store is
        still the same store); "" for an empty store."""
        self.require("read")
        with self._reading() as r:
            first = next(iter(r.audit(limit=1)), None)
        return first.hash if first is not None else ""

    def audit_count(self, record_id: str | None = None) -> int:
        """How many audit entries there are, of one record or of the whole store (for the whole
        store, the number of the newest entry: the chain numbers its entries from 1 on)."""
        self.require("read")
        with self._reading() as r:
            sc = self._current_scope(r)
            if record_id is None:
                return r.audit_head()[0] if sc is None else sum(1 for e in r.audit() if self._entry_seen(r, e, sc))
            if sc is not None:
                self._require_entry_seen(r, record_id, sc)
            return sum(1 for _ in r.audit(record_id=record_id))

    def check_digest(self, digest: str) -> tuple[audit.Verdict, int | None]:
        """The chain's verdict, and the seq of the entry whose hash is ``digest`` (a report
        prints its last entry's); None if no entry of the chain, up to where it verifies, has it."""
        self.require("read")
        want = digest.strip().lower()
        found: list[int] = []

        def watch(entries: Iterable[AuditEntry]) -> Iterator[AuditEntry]:
            for e in entries:
                if e.hash == want:
                    found.append(e.seq)
                yield e

        with self._reading() as r:
            verdict = audit.verify(watch(r.audit()))
        seq = found[0] if found and (verdict.ok or (verdict.broken_seq or 0) > found[0]) else None
        return verdict, seq

    def file_size_limit(self) -> int:
        """The largest file :meth:`attach` takes, in bytes (the ``evidence.max-bytes`` setting)."""
        if MAX_BYTES_KEY in self.registry.settings:
            return int(self.setting(MAX_BYTES_KEY))
        return DEFAULT_MAX_BYTES

    def attach(self, record_id: str, files: Iterable[tuple[str, bytes]]) -> list[BlobInfo]:
        """Attach ``(name, bytes)`` files (evidence: minutes, photos, sign-in sheets) to a record,
        all or none; needs ``update``. Every bad name and every file over
        :meth:`file_size_limit` is reported at once. A name already attached is replaced (the
        audit entry keeps both hashes, never the bytes)."""
        self.require("update")
        files = list(files)
        limit = self.file_size_limit()
        errors: list[FieldError] = []
        seen: set[str] = set()
        for name, data in files:
            problem = text_problem(name) if isinstance(name, str) else L("文件名应为文本", "a file name must be text")
            if problem is not None:  # e\u202etxt.exe would read as exe.txt; an escape would steer the terminal
                errors.append(FieldError(safe_text(name, one_line=True), L("文件名无效：{why}", "not a valid file name: {why}").format(why=problem)))
            elif not FILE_NAME_RE.match(name) or name in (".", ".."):
                errors.append(FieldError(name or "file", L("文件名无效", "not a valid file name")))
            elif name in seen:
                errors.append(FieldError(name, L("同名文件给了两次", "the same name is given twice")))
            elif len(data) > limit:
                errors.append(FieldError(name, L("文件 {size}，超过附件上限 {limit}（设置 {key}）",
                                                 "the file is {size}, over the limit for evidence of {limit} (setting {key})").format(
                    size=human_size(len(data)), limit=human_size(limit), key=MAX_BYTES_KEY)))
            seen.add(name)
        if errors:
            raise ValidationError(errors)
        out: list[BlobInfo] = []
        with self._writing() as w:
            self._require_blobs(w)
            target = w.get(record_id)
            if target is None:
                raise NotFound(L("没有编号为 {id} 的记录", "there is no record {id}").format(id=record_id))
            self._require_within(w, self.type(target.type), target.data, target.id, self._current_scope(w))
            self._refuse_what_plugins_refuse_of(target)
            existing = {b.name: b for b in w.list_blobs(record_id)}
            now = self.clock()
            for name, data in files:
                info = BlobInfo(record_id, name, hashlib.sha256(data).hexdigest(), len(data), media_type_of(name), now, self.user.name)
                w.put_blob(info, data)
                old = existing.get(name)
                self._audit(w, "evidence.attach", record_id, old.audit_json() if old else None, info.audit_json(), ts=now)
                out.append(info)
        return out

    def detach(self, record_id: str, name: str) -> None:
        """Remove the file ``name`` from a record; needs ``update``; audited."""
        self.require("update")
        with self._writing() as w:
            self._require_blobs(w)
            target = w.get(record_id)
            if target is not None:
                self._require_within(w, self.type(target.type), target.data, target.id, self._current_scope(w))
                self._refuse_what_plugins_refuse_of(target)
            found = next((b for b in w.list_blobs(record_id) if b.name == name), None)
            if found is None:
                raise NotFound(L("{id} 没有名为 {name} 的附件", "{id} has no attached file named {name}").format(id=record_id, name=name))
            w.delete_blob(record_id, name)
            self._audit(w, "evidence.detach", record_id, found.audit_json(), None)

    def files(self, record_id: str) -> list[BlobInfo]:
        """The files attached to a record, by name (none when the backend keeps no files)."""
        self.require("read")
        with self._reading() as r:
            if not has_blobs(r):
                return []
            self._visible(r, record_id)
            return r.list_blobs(record_id)

    def read_file(self, record_id: str, name: str) -> tuple[BlobInfo, bytes]:
        """An attached file and its bytes, checked against the SHA-256 it was stored with (a
        :class:`StoreError` if they no longer match)."""
        self.require("read")
        with self._reading() as r:
            self._require_blobs(r)
            stored = r.get(record_id)
            sc = self._current_scope(r)
            if stored is not None and not self._sees(r, stored, sc):
                raise self._outside(record_id, sc, r)
            info = next((b for b in r.list_blobs(record_id) if b.name == name), None)
            data = r.get_blob(record_id, name) if info else None
        if info is None or data is None:
            raise NotFound(L("{id} 没有名为 {name} 的附件", "{id} has no attached file named {name}").format(id=record_id, name=name))
        if hashlib.sha256(data).hexdigest() != info.sha256:
            raise StoreError(L("附件 {name} 的内容与其 SHA-256 不符（已被改动）", "the file {name} does not match its SHA-256 (it was altered)").format(name=name))
        return info, data

    def _require_blobs(self, session: Reader) -> None:
        if not has_blobs(session):
            raise StoreError(L("此存储后端不能保存附件：{url}", "this store's backend cannot keep attached files: {url}").format(url=self.store.url))

    @contextmanager
    def export_snapshot(self) -> Iterator["Snapshot"]:
        """The whole store in its stored shape, read in one transaction (what ``duty export``
        writes); needs ``export``. The snapshot is readable only inside the ``with``."""
        self.require("export")
        self._require_whole_store()
        with self._reading() as r:
            yield Snapshot(r)

    def _require_whole_store(self) -> None:
        """What holds the whole store (its export, a backup, the users' list of another unit) is
        for an account of the whole store."""
        with self._reading() as r:
            sc = self._current_scope(r)
        if sc is not None:
            raise NotPermitted(L("{user} 绑定在单位 {unit}，不能导出或备份整个存储（可用 duty list --json、duty report 导出本单位的记录）",
                                 "{user} is bound to the unit {unit} and may not export or back up the whole store "
                                 "(duty list --json and duty report give the unit's own records)").format(user=self.user.name, unit=sc.root))

    def backup(self, path: str) -> None:
        """A consistent copy of the store in a new file at ``path``, taken live, for backends that
        can (SQLite); needs ``export``. An existing file is never overwritten."""
        import os.path

        self.require("export")
        self._require_whole_store()
        backup = getattr(self.store, "backup", None)
        if backup is None:
            raise StoreError(L("此存储不支持 backup;请用 duty export（PostgreSQL 另可用 pg_dump）",
                               "this store has no backup command; use `duty export` (or pg_dump for PostgreSQL)"))
        if os.path.exists(path):
            raise ValidationError([FieldError("path", L("{p} 已存在，不会覆盖", "{p} already exists; it is not overwritten").format(p=path))])

        def copy(tmp: str) -> None:  # a folder that cannot be written is named before this; a full disk here
            os.unlink(tmp)  # the backend makes its own file; the temporary name keeps a half copy from looking whole
            try:
                backup(tmp)
                os.chmod(tmp, 0o600)  # the whole store: its owner's, as an export is
            except Exception as exc:  # the backend's own error (sqlite3's "disk is full"), as a sentence
                raise StoreError(L("备份到 {p} 失败：{why}", "the backup to {p} failed: {why}").format(p=path, why=str(exc) or type(exc).__name__)) from None

        write_atomically(path, copy)

    @classmethod
    def restore(cls, store: Store, registry: Registry, login: str, *, records: list[StoredRecord], counters: Mapping[str, int],
                settings: Mapping[str, Any], users: list[User], entries: list[AuditEntry],
                blobs: Sequence[tuple[BlobInfo, bytes]] = (), exported_at: str | None = None) -> "Ledger":
        """Fill an empty store with an exported one, all or nothing (``duty import``): records,
        counters and settings as stored, users, the audit chain, attached files; then one
        ``import`` entry, sealed by ``login`` acting as admin, continues the chain. The records
        are the caller's to check (types loaded, values valid, references resolved); the chain is
        checked here (a broken one is refused, naming its first bad entry), and so are the
        plugins' own checks of each record (:meth:`_refuse_what_plugins_refuse`), inside the
        transaction, so a refusal writes nothing. Returns the ledger that restored it."""
        verdict = audit.verify(entries)
        if not verdict.ok:
            raise ValidationError([FieldError(f"audit[{verdict.broken_seq}]", verdict.reason or L("审计链断裂", "the audit chain is broken"))])
        ledger = cls(store, registry, User(login, "admin"))
        with ledger._writing() as w:
            if w.users() or w.audit_head()[0] > 0 or w.type_counts():
                raise StoreError(L("导入只能进入空的存储；{url} 已有数据", "import goes into an empty store only; {url} already holds data").format(url=store.url))
            for start in range(0, len(records), BATCH):
                w.insert_many(records[start:start + BATCH])
            for type_name, last in counters.items():
                w.set_counter(type_name, int(last))
            for key, value in settings.items():
                w.put_setting(key, value)
            for user in users:
                w.put_user(user)
            ledger._refuse_what_plugins_refuse(records)
            for start in range(0, len(entries), BATCH):
                w.append_audit_many(entries[start:start + BATCH])
            if blobs:
                ledger._require_blobs(w)
            for info, data in blobs:
                w.put_blob(info, data)
            ledger._audit(w, "import", "store", None, {"records": len(records), "audit_entries": len(entries),
                                                       "source_head": verdict.head, "exported_at": exported_at})
        return ledger

    def _refuse_what_plugins_refuse_of(self, stored: StoredRecord) -> None:
        """A file attached to or taken from a record is a change of that record: the plugins'
        ``duty_validate`` hears of it as an edit that changes no field (a county's copy of a
        town, whose file only an admin may replace, refuses a clerk)."""
        errors = self._unchanged_edit_errors(stored)
        if errors:
            raise ValidationError(errors, stored.type)

    def _unchanged_edit_errors(self, stored: StoredRecord) -> list[FieldError]:
        """What the plugins' ``duty_validate`` says of an edit of ``stored`` that changes nothing."""
        rt = self.type(stored.type)
        data = rt.from_stored(stored.data)
        return self._plugin_errors("update", rt, data, {**data, "id": stored.id})

    def _refuse_what_plugins_refuse(self, records: Sequence[StoredRecord]) -> None:
        """Each restored record put to the plugins' ``duty_validate`` as an edit would put it,
        with the whole restored store readable through this ledger: action ``update``, ``before``
        its typed values, ``after`` the same with its ``id`` (an edit that changes nothing, so a
        check of who may change a field has nothing to say; the audit the import replayed says
        who did). Every problem at once, by the record's place among ``records``
        (``records[3].data.until``), its id and its type; a plugin whose check fails refuses
        the import naming it, as it refuses a write."""
        errors: list[FieldError] = []
        for i, stored in enumerate(records):
            rt = self.type(stored.type)
            for e in self._unchanged_edit_errors(stored):
                where = (f"records[{i}].data.{e.field}" if rt.has_field(e.field) else
                         f"records[{i}]" if isinstance(e, PluginFailure) else f"records[{i}].{e.field}")
                errors.append(replace(e, field=where, reason=L("{id}（{type}）：{reason}", "{id} ({type}): {reason}").format(
                    id=stored.id, type=rt.label, reason=as_text(e.reason))))
        if errors:
            raise ValidationError(errors)

    # -- validation ------------------------------------------------------------------------------
    def _coerce(self, rt: RecordType, values: Mapping[str, Any], errors: list[FieldError],
                year_range: tuple[int, int] | None = None) -> dict[str, Any]:
        """The typed values, dates within the store's :meth:`year_range` (``year_range`` when the
        caller read it already); every bad field goes to ``errors``."""
        out: dict[str, Any] = {}
        with years(*(year_range or self.year_range())):
            for name, raw in values.items():
                if not isinstance(name, str) or not rt.has_field(name):
                    errors.append(FieldError(safe_text(name, one_line=True), L("{type} 没有这个字段（有：{fields}）", "{type} has no such field (it has: {fields})").format(
                        type=rt.label, fields=", ".join(rt.field_names))))
                    continue
                try:
                    out[name] = rt.field(name).coerce(raw)
                except FieldProblem as p:
                    errors.append(FieldError(name, p.reason))
        return out

    def _check(self, r: Reader, rt: RecordType, data: dict[str, Any], errors: list[FieldError], bad: set[str],
               known: dict[str, bool] | None = None) -> None:
        """Required fields, and references to records that exist and are of the right type
        (``known`` remembers existence across the rows of one bulk write)."""
        for f in rt.required_fields():
            if f.name in bad:
                continue
            value = data.get(f.name)
            if value in (None, "", []):
                errors.append(FieldError(f.name, L("必填（{label}）", "required ({label})").format(label=f.label)))
        for f in rt.references():
            if f.name in bad:
                continue
            value = data.get(f.name)
            for target in value if isinstance(value, list) else ([value] if value else []):
                if not target.startswith(f.target + "-") or not target[len(f.target) + 1:].isdigit():
                    errors.append(FieldError(f.name, L("{id} 不是{type}", "{id} is not a {type}").format(id=target, type=self.type(f.target).label)))
                elif not self._exists(r, target, known):
                    errors.append(FieldError(f.name, L("引用的记录 {id} 不存在", "refers to {id}, which does not exist").format(id=target)))
        for f in rt.exclusive_fields():
            if f.name in bad or f.exclusive_with in bad:
                continue
            both = [i for i in dict.fromkeys(data.get(f.name) or []) if i in set(data.get(f.exclusive_with) or [])]
            if both:
                other = rt.field(f.exclusive_with)
                names = self._named(r, both)
                errors.append(FieldError(f.name, L("{names} 不能同时在{this}和{other}中", "{names} cannot be both in {this} and in {other}").format(
                    names=names, this=f.label, other=other.label)))

    def _named(self, r: Reader, ids: list[str]) -> L:
        """A few records as a person reads them in a message: 刘明宇(person-1)、王芳(person-2)."""
        titles = {}
        for rid in ids:
            stored = r.get(rid)
            titles[rid] = self.title(self._typed(stored), lookup=lambda ids: {}) if stored is not None else ""
        return L("、".join(f"{titles[i]}({i})" if titles[i] else i for i in ids),
                 ", ".join(f"{titles[i]} ({i})" if titles[i] else i for i in ids))

    @staticmethod
    def _exists(r: Reader, record_id: str, known: dict[str, bool] | None) -> bool:
        """Whether a record exists, asking the store once per id within one bulk write."""
        if known is None:
            return r.exists(record_id)
        if record_id not in known:
            known[record_id] = r.exists(record_id)
        return known[record_id]

    def _plugin_errors(self, action: str, rt: RecordType, before: dict | None, after: dict | None) -> list[FieldError]:
        """Each plugin's duty_validate on its own: one that raises or answers with something other
        than FieldErrors refuses the write naming that plugin (plugins.validate_each)."""
        return validate_each(self.registry.pm, self._hook_plans, ledger=self._unbound(), action=action, record_type=rt, before=before, after=after)

    def _validated(self, w: Writer, action: str, rt: RecordType, data: dict, errors: list[FieldError],
                   bad: set[str], before: dict | None) -> None:
        self._check(w, rt, data, errors, bad)
        if not errors:
            errors.extend(self._plugin_errors(action, rt, before, data))
        if errors:
            raise ValidationError(errors, rt.name)

    # -- writing -------------------------------------------------------------------------------
    def create(self, record_type: str, values: Mapping[str, Any]) -> Record:
        self.require("create")
        rt = self.type(record_type)
        errors: list[FieldError] = []
        given = self._coerce(rt, values, errors)
        bad = {e.field for e in errors}
        data = {f.name: f.initial() for f in rt.fields}
        data.update(given)
        with self._writing() as w:
            sc = self._current_scope(w, fresh=True)
            self._fill_unit(rt, data, sc)
            # the scope first: a refusal of a record outside names nothing outside (a plugin's
            # check would: "person-10 already has a duty report for 2025 (duty_report-2)")
            self._require_within(w, rt, rt.to_stored(data), None, sc)
            self._validated(w, "create", rt, data, errors, bad, None)
            stored_data = rt.to_stored(data)
            num = w.next_number(rt.name)
            now = self.clock()
            stored = StoredRecord(
                id=f"{rt.name}-{num}", type=rt.name, num=num, version=1,
                state=rt.workflow.initial if rt.workflow else None, data=stored_data,
                created_at=now, created_by=self.user.name, updated_at=now, updated_by=self.user.name,
                search=rt.search_text(data), links=tuple(rt.links(data)),
            )
            w.insert(stored)
            self._audit(w, "create", stored.id, None, snapshot(stored), ts=now)
        record = Record(stored.id, rt.name, 1, stored.state, data, now, self.user.name, now, self.user.name)
        return self._after_write("create", record)

    def create_many(self, record_type: str, rows: list[Mapping[str, Any]], progress=None) -> list[str]:
        """Create many records in one transaction, all or none: every bad row is reported (as
        ``row N.field``) before anything is written. ``progress(n)`` is called as rows are written."""
        self.require("create")
        rt = self.type(record_type)
        prepared: list[dict[str, Any]] = []
        errors: list[FieldError] = []
        known: dict[str, bool] = {}
        with self._writing() as w:
            year_range = self.year_range()
            sc = self._current_scope(w, fresh=True)
            for i, values in enumerate(rows, start=1):
                row_errors: list[FieldError] = []
                data = {f.name: f.initial() for f in rt.fields}
                data.update(self._coerce(rt, values, row_errors, year_range))
                self._fill_unit(rt, data, sc)
                if sc is not None:  # the scope first, as create() checks it
                    try:
                        self._require_within(w, rt, rt.to_stored(data), None, sc)
                    except NotPermitted as exc:
                        raise NotPermitted(L("第 {i} 行：{why}", "row {i}: {why}").format(i=i, why=exc.message)) from None
                bad = {e.field for e in row_errors}
                self._check(w, rt, data, row_errors, bad, known)
                if not row_errors:
                    row_errors.extend(self._plugin_errors("create", rt, None, data))
                errors += [FieldError(f"row {i}.{e.field}", e.reason) for e in row_errors]
                prepared.append(data)
            if errors:
                raise ValidationError(errors, rt.name)
            first, head, now = w.next_number(rt.name), w.audit_head(), self.clock()
            ids, records, entries = [], [], []
            for n, data in enumerate(prepared):
                num = first + n
                stored = StoredRecord(
                    id=f"{rt.name}-{num}", type=rt.name, num=num, version=1,
                    state=rt.workflow.initial if rt.workflow else None, data=rt.to_stored(data),
                    created_at=now, created_by=self.user.name, updated_at=now, updated_by=self.user.name,
                    search=rt.search_text(data), links=tuple(rt.links(data)),
                )
                entry = self._seal(head, "create", stored.id, None, snapshot(stored), now)
                head = (entry.seq, entry.hash)
                ids.append(stored.id)
                records.append(stored)
                entries.append(entry)
                if len(records) == BATCH or n == len(prepared) - 1:
                    w.insert_many(records)
                    if rt.name == "unit":
                        self._tx_tree = None
                    w.append_audit_many(entries)
                    if progress:
                        progress(len(records))
                    records, entries = [], []
            if prepared:
                w.set_counter(rt.name, first + len(prepared) - 1)
        if self.registry.pm.hook.duty_after_write.get_hookimpls():
            for record_id, data in zip(ids, prepared):
                self._after_write("create", Record(record_id, rt.name, 1, rt.workflow.initial if rt.workflow else None,
                                                   data, now, self.user.name, now, self.user.name))
        return ids

    def _after_write(self, action: str, record: Record | None) -> Record | None:
        """Tell plugins of a committed write. The write stands whatever they do: a hook that
        raises becomes a warning on the record (and the others still run)."""
        if not self.registry.pm.hook.duty_after_write.get_hookimpls():
            return record
        failed = [L("插件 {p} 的写后处理出错：{e}", "plugin {p}'s after-write hook failed: {e}").format(p=plugin, e=exc)
                  for plugin, _, exc in call_each(self.registry.pm, "duty_after_write", ledger=self, action=action, record=record)
                  if exc is not None]
        if failed and record is not None:
            record = Record(**{**record.__dict__, "warnings": record.warnings + tuple(failed)})
        return record

    def _load_for_write(self, w: Writer, record_id: str, expected_version: int | None) -> StoredRecord:
        current = w.get(record_id)
        if current is None:
            raise NotFound(L("没有编号为 {id} 的记录", "there is no record {id}").format(id=record_id))
        if expected_version is not None and current.version != expected_version:
            raise Conflict(record_id, expected_version, current.version, current.updated_by, self._shown_time(current.updated_at))
        return current

    def update(self, record_id: str, changes: Mapping[str, Any], *, expected_version: int | None = None) -> Record:
        """Change fields of a record. ``expected_version`` is the version the change was made
        against; pass it whenever the values came from a person who saw the record."""
        self.require("update")
        return self._change(record_id, changes, expected_version, transition=None)

    def transition(self, record_id: str, target: str, *, expected_version: int | None = None,
                   values: Mapping[str, Any] | None = None) -> Record:
        """Move a record along its workflow to ``target`` (a state or a transition name), with
        optional field values given at the same time (e.g. the approver and the date)."""
        self.require("read")
        return self._change(record_id, values or {}, expected_version, transition=target)

    def _change(self, record_id: str, changes: Mapping[str, Any], expected_version: int | None, transition: str | None) -> Record:
        with self._writing() as w:
            current = self._load_for_write(w, record_id, expected_version)
            rt = self.type(current.type)
            sc = self._current_scope(w, fresh=True)
            self._require_within(w, rt, current.data, current.id, sc)
            errors: list[FieldError] = []
            given = self._coerce(rt, changes, errors)
            bad = {e.field for e in errors}
            before = rt.from_stored(current.data)
            data = {**before, **given}
            state, action, warnings = current.state, "update", ()
            if transition is not None:
                step = self._transition_step(rt, current, transition)
                self.require(f"transition:{step.role}")
                state, action = step.target, f"transition:{step.name}"
                view = {**data, "id": current.id, "state": step.target, "today": self.today()}
                for guard in step.guards:
                    reason = guard(view)
                    if reason:
                        errors.append(FieldError("state", L(reason, reason) if isinstance(reason, str) else reason))
                warnings = tuple(w_ for w_ in (check(view) for check in step.warnings) if w_)
            elif data == before and not errors:
                return self._typed(current)
            stored_data = rt.to_stored(data)
            if sc is not None and not (rt.name == "unit" and current.id == sc.root and stored_data.get("parent") == current.data.get("parent")):
                self._require_within(w, rt, stored_data, current.id if rt.name != "unit" else None, sc)  # before the checks that name records
            self._validated(w, action, rt, {**data, "id": current.id}, errors, bad, before)
            now = self.clock()
            stored = current.bump(version=current.version + 1, state=state, data=stored_data, updated_at=now,
                                  updated_by=self.user.name, search=rt.search_text(data), links=tuple(rt.links(data)))
            w.update(stored)
            self._audit(w, action, stored.id, snapshot(current), snapshot(stored), ts=now)
        record = Record(stored.id, stored.type, stored.version, state, data, stored.created_at, stored.created_by, now, self.user.name)
        if warnings:
            record = Record(**{**record.__dict__, "warnings": tuple(L(x, x) if isinstance(x, str) else x for x in warnings)})
        return self._after_write(action, record)

    def _transition_step(self, rt: RecordType, current: StoredRecord, target: str):
        if rt.workflow is None:
            raise ValidationError([FieldError("state", L("{type} 没有流程", "{type} has no workflow").format(type=rt.label))], rt.name)
        step = rt.workflow.to(current.state or rt.workflow.initial, target)
        if step is None:
            possible = [f"{t.target} ({t.label.zh})" for t in rt.workflow.available(current.state)] or ["-"]
            raise ValidationError([FieldError("state", L(
                "不能从 “{src}” 转到 “{dst}”；可转到：{possible}",
                "cannot go from {src!r} to {dst!r}; possible: {possible}",
            ).format(src=current.state, dst=target, possible=", ".join(possible)))], rt.name)
        return step

    def delete(self, record_id: str, *, expected_version: int | None = None) -> None:
        """Delete a record that nothing refers to."""
        self.require("delete")
        with self._writing() as w:
            current = self._load_for_write(w, record_id, expected_version)
            rt = self.type(current.type)
            sc = self._current_scope(w, fresh=True)
            self._require_within(w, rt, current.data, current.id, sc)
            if sc is not None and current.id == sc.root:
                raise NotPermitted(L("{id} 是{user}所绑定的单位，不能由其删除", "{id} is the unit {user} is bound to, so {user} cannot delete it").format(
                    id=current.id, user=self.user.name))
            refs = w.referrers(record_id, limit=5)
            if refs:
                raise ValidationError([FieldError("id", L(
                    "{id} 仍被 {refs} 引用，不能删除", "{id} is still referred to by {refs}, so it cannot be deleted",
                ).format(id=record_id, refs=", ".join(f"{rid} ({fname})" for rid, fname in refs)))], rt.name)
            self._refuse_if_an_operator(w, record_id, rt.name)
            errors = self._plugin_errors("delete", rt, rt.from_stored(current.data), None)
            if errors:
                raise ValidationError(errors, rt.name)
            for info in (w.list_blobs(record_id) if has_blobs(w) else []):  # its files go with it
                w.delete_blob(record_id, info.name)
                self._audit(w, "evidence.detach", record_id, info.audit_json(), None)
            w.delete(record_id)
            self._audit(w, "delete", record_id, snapshot(current), None)
        self._after_write("delete", None)

    @staticmethod
    def _refuse_if_an_operator(w: Writer, record_id: str, type_name: str) -> None:
        """A person an account is bound to stays while the account does: the operator's approvals
        and decisions would otherwise name no one. (Versions before 2026-11-30 allowed it; such
        stores still export and import.)"""
        accounts = sorted(u.name for u in w.users() if u.person == record_id)
        if accounts:
            raise ValidationError([FieldError("id", L(
                "{id} 是账号 {users} 的本人，不能删除（先用 duty users 改绑或删除账号）",
                "{id} is the person of the account(s) {users}, so it cannot be deleted (rebind or remove the account first: duty users)",
            ).format(id=record_id, users=", ".join(accounts)))], type_name)

    # -- settings ------------------------------------------------------------------------------
    def setting(self, key: str) -> Any:
        """A setting's value: this ledger's town's own value when it has one (a county store
        holds towns with thresholds of their own), else the store's, else the default."""
        spec = self.registry.settings.get(key)
        if spec is None:
            raise NotFound(L("没有设置项 “{key}”", "there is no setting {key!r}").format(key=key))
        stored, town_name = self._remembered("settings", self._settings_view)
        town = f"{key}{TOWN_MARK}{town_name[0]}" if town_name else None
        if town is not None and town not in stored and key == ORG_NAME and town_name[1]:
            return town_name[1]  # a county's town is called what its top unit is, unless it says otherwise
        if town in stored:
            return spec.from_stored(stored[town])
        return spec.from_stored(stored[key]) if key in stored else spec.default

    def _settings_view(self) -> tuple[dict[str, Any], tuple[str, str | None] | None]:
        """The stored settings, and this ledger's town with its name where a county store holds
        several (None for a whole store)."""
        with self._reading() as r:
            stored = r.settings()
            sc = self._current_scope(r)
            if sc is None:
                return stored, None
            name = None
            if sc.several:
                unit = r.get(sc.town)
                name = (unit.data.get("name") or None) if unit is not None else None
            return stored, (sc.town, name)

    def settings(self) -> dict[str, Any]:
        """Every setting's value as :meth:`setting` gives it (a town's own first), read once."""
        with self.steady():
            return {k: self.setting(k) for k in sorted(self.registry.settings)}

    def set_setting(self, key: str, value: Any, *, town: str | None = None) -> Any:
        """Set a setting for the whole store, or (``town``: a top unit) for one town only. An
        account bound to a town sets that town's values; one bound below a town sets none."""
        self.require("settings")
        spec = self.registry.settings.get(key)
        if spec is None:
            raise NotFound(L("没有设置项 “{key}”", "there is no setting {key!r}").format(key=key))
        try:
            typed = spec.coerce(value)
        except FieldProblem as p:
            raise ValidationError([FieldError(key, p.reason)]) from None
        with self._writing() as w:
            sc = self._current_scope(w, fresh=True)
            if sc is not None:
                if sc.root != sc.town or town not in (None, sc.town):  # only an account bound to the town itself
                    raise self._outside(L("{town}的设置 {key}", "the setting {key} of {town}").format(
                        key=key, town=(w.get(town or sc.town) or w.get(sc.root)).data.get("name") or town), sc, w)
                town = sc.town
            elif town is not None and town not in top_units(self._parents(w, fresh=True)):
                raise ValidationError([FieldError("town", L("{id} 不是顶层单位（镇）", "{id} is not a top unit (a town)").format(id=town))])
            if town is not None:
                key = f"{key}{TOWN_MARK}{town}"
            old = w.settings().get(key)
            new = spec.to_stored(typed)
            if old != new:
                w.put_setting(key, new)
                self._audit(w, "setting.set", f"setting:{key}", None if old is None else {"value": old}, {"value": new})
        return typed

    # -- users ---------------------------------------------------------------------------------
    def users(self) -> list[User]:
        """The accounts; an account bound to a unit sees those bound within its scope."""
        self.require("read")
        with self._reading() as r:
            sc = self._current_scope(r)
            return [u for u in r.users() if sc is None or (u.unit is not None and u.unit in sc.units)]

    def _require_account_within(self, r: Reader, user: User, sc: Scope | None) -> None:
        if sc is not None and (user.unit is None or user.unit not in sc.units):
            raise NotPermitted(L("账号 {name} 不在{me}的范围（{unit}及其下级单位）内", "the account {name} is outside {me}'s scope ({unit} and the units below it)").format(
                name=user.name, me=self.user.name, unit=sc.root))

    def _unit_problem(self, r: Reader, unit: str | None, sc: Scope | None) -> FieldError | None:
        if unit is None:
            return FieldError("unit", L("{me} 绑定在单位 {root}，所建账号须绑定在其范围内的单位", "{me} is bound to {root}: the accounts it makes must be bound to a unit within").format(
                me=self.user.name, root=sc.root)) if sc is not None else None
        found = r.get(unit)
        if found is None or found.type != "unit":
            return FieldError("unit", L("{id} 不是已有的单位", "{id} is not an existing unit").format(id=unit))
        if sc is not None and unit not in sc.units:
            raise self._outside(unit, sc, r)  # a write outside, as any other: exit 3
        return None

    def set_unit(self, name: str, unit: str | None) -> User:
        """Bind an account to a unit (it then reads and writes only within it), or free it (None)."""
        self.require("users")
        with self._writing() as w:
            sc = self._current_scope(w, fresh=True)
            user = self._existing_user(w, name)
            self._require_account_within(w, user, sc)
            problem = self._unit_problem(w, unit, sc)
            if problem is not None:
                raise ValidationError([problem])
            if user.unit == unit:
                return user
            new = replace(user, unit=unit)
            w.put_user(new)
            self._audit(w, "user.unit", f"user:{name}", user.as_json(), new.as_json())
        return new

    def add_user(self, name: str, role: str, person: str | None = None, unit: str | None = None) -> User:
        self.require("users")
        errors: list[FieldError] = []
        if not USER_RE.match(name or ""):
            errors.append(FieldError("name", L("应为系统登录名（小写字母、数字、_ . -）", "must be an OS login name (lower case letters, digits, _ . -)")))
        if role not in ROLES:
            errors.append(FieldError("role", L("应为 {roles} 之一", "must be one of {roles}").format(roles=", ".join(ROLES))))
        with self._writing() as w:
            sc = self._current_scope(w, fresh=True)
            if sc is not None and unit is None:
                unit = sc.root  # a bound admin's new account is bound where the admin is
            if person:
                found = w.get(person)
                if found is None or found.type != "person":
                    errors.append(FieldError("person", L("{id} 不是已有的人员", "{id} is not an existing person").format(id=person)))
            problem = self._unit_problem(w, unit or None, sc)
            if problem is not None:
                errors.append(problem)
            if not errors and w.get_user(name) is not None:
                errors.append(FieldError("name", L("用户 {name} 已存在", "the user {name} already exists").format(name=name)))
            if errors:
                raise ValidationError(errors)
            user = User(name, role, person or None, self.clock(), unit or None)
            w.put_user(user)
            self._audit(w, "user.add", f"user:{name}", None, user.as_json())
        return user

    def set_role(self, name: str, role: str) -> User:
        self.require("users")
        if role not in ROLES:
            raise ValidationError([FieldError("role", L("应为 {roles} 之一", "must be one of {roles}").format(roles=", ".join(ROLES)))])
        with self._writing() as w:
            user = self._existing_user(w, name)
            self._require_account_within(w, user, self._current_scope(w, fresh=True))
            self._keep_an_admin(w, user, role)
            new = replace(user, role=role)
            w.put_user(new)
            self._audit(w, "user.role", f"user:{name}", user.as_json(), new.as_json())
        return new

    def remove_user(self, name: str) -> None:
        self.require("users")
        with self._writing() as w:
            user = self._existing_user(w, name)
            self._require_account_within(w, user, self._current_scope(w, fresh=True))
            self._keep_an_admin(w, user, None)
            w.delete_user(name)
            self._audit(w, "user.remove", f"user:{name}", user.as_json(), None)

    @staticmethod
    def _existing_user(r: Reader, name: str) -> User:
        user = r.get_user(name)
        if user is None:
            raise NotFound(L("没有名为 {name} 的用户", "there is no user named {name}").format(name=name))
        return user

    @staticmethod
    def _keep_an_admin(r: Reader, user: User, new_role: str | None) -> None:
        if user.role == "admin" and new_role != "admin" and sum(u.role == "admin" for u in r.users()) == 1:
            raise ValidationError([FieldError("name", L("{name} 是最后一位管理员", "{name} is the last admin").format(name=user.name))])


class _Writing:
    """Ledger._writing's context manager: a class rather than a generator, since every write
    enters one."""

    __slots__ = ("ledger", "outer")

    def __init__(self, ledger: Ledger):
        self.ledger, self.outer = ledger, None

    def __enter__(self) -> Writer:
        ledger = self.ledger
        if ledger._tx is not None:  # a plugin hook writing inside our transaction
            return ledger._tx
        self.outer = ledger.store.write()
        ledger._tx = self.outer.__enter__()
        return ledger._tx

    def __exit__(self, kind, exc, tb) -> bool:
        if self.outer is None:
            return False
        try:
            return bool(self.outer.__exit__(kind, exc, tb))
        finally:
            self.ledger._tx = None
            self.ledger._forget()  # what it read before its own write is no longer what the store holds


# -- files attached to records (evidence) -------------------------------------------------------

MAX_BYTES_KEY = "evidence.max-bytes"  # the setting (registered by the reports plugin)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
FILE_NAME_RE = re.compile(r"^[^/\\\x00-\x1f]{1,200}$")


def media_type_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def human_size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


class Snapshot:
    """The whole store in its stored shape, as one read transaction sees it: what
    :meth:`Ledger.export_snapshot` yields. Usable only inside that ``with``."""

    __slots__ = ("_r",)

    def __init__(self, reader: Reader):
        self._r = reader

    def audit_head(self) -> tuple[int, str]:
        """(seq, hash) of the newest audit entry; (0, 64 zeros) for none."""
        return self._r.audit_head()

    def counters(self) -> dict[str, int]:
        """Record type → the last number given."""
        return self._r.counters()

    def settings(self) -> dict[str, Any]:
        """The settings that were set, in their stored shape."""
        return self._r.settings()

    def users(self) -> list[User]:
        return self._r.users()

    def records(self) -> Iterator[StoredRecord]:
        return self._r.all_records()

    def audit(self) -> Iterator[AuditEntry]:
        """The chain from its first entry."""
        return self._r.audit()

    @property
    def keeps_files(self) -> bool:
        """Whether the backend keeps attached files at all."""
        return has_blobs(self._r)

    def files(self) -> Iterator[tuple[BlobInfo, bytes]]:
        """Every attached file with its bytes (none when the backend keeps no files)."""
        return self._r.all_blobs() if has_blobs(self._r) else iter(())
