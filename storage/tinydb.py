"""The TinyDB backend: a whole store in one JSON file, ``tinydb:///absolute/path.json``.

For a small office that wants a file it can read (``jq . duty.json``) and copy. Safe for
several processes (SSH sessions) at once and through crashes: every transaction holds an
``fcntl`` lock on ``<file>.lock`` (shared to read, exclusive to write), rereads the file inside
it, and a write is committed by writing a new file beside the old one and renaming it over it
(see :mod:`duty_tui_storage.tinydb_file`). Queries are evaluated in Python over the records of
one type (:mod:`duty_tui_storage.tinydb_query`).

The size it serves well: **up to about 5,000 records.** Every write rewrites the whole file
(the records and the audit chain, which grows with every change: about 0.85 MB per 1,000 records
created), and a process that has not seen the current file parses all of it. Measured through the
ledger on the development machine (a shared 2-CPU VM, Python 3.11; one create = the record and its
audit entry in one transaction, fsynced):

    records   file     create (kept copy / first in a process)   `duty add`   page of 50 / text search
    1,000     0.9 MB    13 ms /    21 ms                          190 ms        1 ms /   1 ms
    5,000     4.2 MB    60 ms /    94 ms                          290 ms        8 ms /   5 ms
    10,000    8.4 MB   100 ms /   175 ms                          390 ms       16 ms /  12 ms
    100,000    85 MB   2.1 s  /   3.1 s                          3.8 s       240 ms / 140 ms  (RSS 690 MB)

(``duty --help`` alone takes 150 ms there; raw TinyDB's own insert, records only, no audit and
no fsync, took 7 ms at 1,000 and 81 ms at 10,000.) Past :data:`SIZE_WARNING` records or
:data:`SIZE_WARNING_BYTES` of file, :meth:`TinyStore.warn_size` says so and how to move to
SQLite (``duty export``, then ``duty import`` into a ``sqlite:///`` store).

A process keeps the last file it parsed, with its indexes, and uses it again while the lock
file's commit token and the file's inode, size and mtime are unchanged: that is the difference
between the two create columns above, and a read of an unchanged file costs no parse at all
(parsing takes 9 ms at 1,000 records, 100 ms at 10,000, 1.5 s at 100,000).
"""

from __future__ import annotations

import errno
import threading
from contextlib import contextmanager
from typing import Iterator, Mapping

from duty_tui.errors import StoreError
from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.schema import RecordType

from . import media
from .tinydb_file import AtomicJSONStorage, FileSystem, FolderSyncFailed, HeldLock, LockFile, LockUnavailable, ensure_folder
from .tinydb_session import SCHEMA_VERSION, Snapshot, TinySession

SCHEME = "tinydb"
SIZE_WARNING = 5_000
SIZE_WARNING_BYTES = 5 * 1024 * 1024


def path_of(url: str) -> str:
    """``tinydb:///srv/duty/duty.json`` → ``/srv/duty/duty.json`` (extra leading slashes, as in
    ``tinydb:////srv/...``, are the same absolute path)."""
    scheme, sep, rest = url.partition("://")
    if scheme != SCHEME or not sep or not rest.startswith("/") or not rest.strip("/"):
        raise StoreError(L(
            "TinyDB 存储地址 “{url}” 无效:应为绝对路径,如 tinydb:///home/duty/duty.json",
            "the TinyDB store URL {url!r} is not valid: expected an absolute path, e.g. tinydb:///home/duty/duty.json",
        ).format(url=url))
    return "/" + rest.lstrip("/")


class TinyStore:
    """A store in one TinyDB (JSON) file. ``fs`` replaces the file-system calls (tests)."""

    def __init__(self, url: str, *, fs: FileSystem | None = None, lock_timeout: float = 30.0):
        self.url = url
        self.path = path_of(url)
        self.file = AtomicJSONStorage(self.path, fs)
        self.lock = LockFile(self.path + ".lock", fs, timeout=lock_timeout)
        self._parsed: tuple[tuple, Snapshot] | None = None
        self.refusal: L | None = None  # why a write is refused (the store opened read-only), else None

    # -- opening ------------------------------------------------------------------------------
    def prepare(self, types: Mapping[str, RecordType]) -> None:
        """Create the file if it does not exist, clear what a killed writer left, check the
        file is a duty-tui store of this version. Record types need no indexes here.

        On a read-only medium, or when the lock file is one this user may not write (another
        user left it without umask 007), the store opens read-only: it is read under a shared
        lock and a write is refused, saying why (:mod:`duty_tui_storage.media`)."""
        if media.medium_read_only(self.path):
            return self._prepare_read_only(media.read_only_medium(self.path))
        ensure_folder(self.path)
        try:
            with self.lock.hold(exclusive=True) as held:
                self.file.remove_orphans()
                snapshot = self._load(held)
                if snapshot.is_new:
                    self._commit(held, snapshot, snapshot)
                    return
        except LockUnavailable as exc:
            why = media.why_unwritable(self.path, (".lock",)) if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) else None
            if why is None:
                raise
            return self._prepare_read_only(why)
        self._check_version(snapshot)

    def _prepare_read_only(self, why: L) -> None:
        self.refusal = why
        self.lock.read_only = True
        with self.lock.hold(exclusive=False) as held:
            snapshot = self._load(held)
        if snapshot.is_new:  # nothing to read, and nothing may be created
            raise StoreError(media.cannot_create(self.path) if media.medium_read_only(self.path) else why)
        self._check_version(snapshot)

    def _check_version(self, snapshot: Snapshot) -> None:
        version = snapshot.schema_version
        if version is None:
            raise StoreError(L("{path} 不是 duty-tui 的存储", "{path} is not a duty-tui store").format(path=self.path))
        if version != SCHEMA_VERSION:
            raise StoreError(L("存储的结构版本 {v} 与本程序({want})不符", "the store's schema version {v} does not match this program's ({want})").format(
                v=version, want=SCHEMA_VERSION))

    def close(self) -> None:
        self._parsed = None

    # -- transactions -------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[TinySession]:
        nested = _held_by_this_thread().get(self.path)
        if nested is not None:  # inside this thread's own transaction: the lock is already ours
            yield TinySession(nested)
            return
        with self.lock.hold(exclusive=False) as held, self._holding(self._load(held)) as snapshot:
            yield TinySession(snapshot)

    @contextmanager
    def write(self) -> Iterator[TinySession]:
        """Changes are kept in memory and written once, at the end; an exception inside the
        block writes nothing."""
        if self.refusal is not None:
            raise StoreError(self.refusal)
        if self.path in _held_by_this_thread():
            raise StoreError(L("不能在同一线程已打开的事务中再开写事务(会等待自己)",
                               "cannot open a write transaction inside this thread's open transaction (it would wait on itself)"))
        with self.lock.hold(exclusive=True) as held, self._holding(self._load(held)) as snapshot:
            session = TinySession(snapshot, writable=True)
            yield session
            if session.changes:
                self._commit(held, snapshot, Snapshot(session.committed_tables()))

    @contextmanager
    def _holding(self, snapshot: Snapshot) -> Iterator[Snapshot]:
        held = _held_by_this_thread()
        held[self.path] = snapshot
        try:
            yield snapshot
        finally:
            del held[self.path]

    def _load(self, held: HeldLock) -> Snapshot:
        """The committed state, reread inside the lock unless it is the file parsed last time."""
        token, identity = held.token(), self.file.identity()
        parsed = self._parsed
        if parsed is not None and identity is not None and parsed[0] == (token, identity):
            return parsed[1]
        identity, tables = self.file.read_identified()
        snapshot = Snapshot.of(tables)
        self._parsed = ((token, identity), snapshot) if identity is not None else None
        return snapshot

    def _commit(self, held: HeldLock, before: Snapshot, after: Snapshot) -> None:
        self._parsed = None
        try:
            held.new_token()
            self.file.write(after.tables)
        except OSError as exc:
            if isinstance(exc, FolderSyncFailed):
                self._put_back(before, exc)
            if exc.errno == errno.ENOSPC:
                raise StoreError(media.full_disk(self.path)) from exc
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                why = media.why_unwritable(self.path, (".lock",))
                if why is not None:
                    raise StoreError(why) from exc
            raise StoreError(L("保存到 {path} 失败,未作任何更改:{err}", "could not save to {path}; nothing was changed: {err}").format(
                path=self.path, err=exc.strerror or exc)) from exc
        identity = self.file.identity()
        self._parsed = ((held.token(), identity), after) if identity is not None else None

    def _put_back(self, before: Snapshot, failure: OSError) -> None:
        """The new file is in place but the folder fsync after the rename failed, so the caller
        is told the write failed. The lock is still ours, so nobody has read the new file: put
        the previous state back (a new store stays created: it held nothing)."""
        if before.is_new:
            return
        try:
            self.file.write(before.tables)
        except OSError as again:
            raise StoreError(L(
                "保存到 {path} 失败({err}),恢复原状也失败({again}):此次更改可能已保存,也可能没有,请检查磁盘后核对",
                "could not save to {path} ({err}), and putting the previous state back failed too ({again}): the change "
                "may or may not be there; check the disk, then check the store",
            ).format(path=self.path, err=failure.strerror or failure, again=again.strerror or again)) from again

    # -- size ---------------------------------------------------------------------------------
    def warn_size(self) -> L | None:
        """A message when the store has outgrown a JSON file, else None (for the CLI and TUI)."""
        with self.read() as r:
            records = sum(r.type_counts().values())
        identity = self.file.identity()
        size = identity[1] if identity else 0
        if records <= SIZE_WARNING and size <= SIZE_WARNING_BYTES:
            return None
        return L(
            "这个 TinyDB 存储已有 {n} 条记录({mb} MB);每次保存都要重写整个文件,超过 {limit} 条会明显变慢。"
            "建议迁移到 SQLite:duty export 备份.json,然后 duty --db sqlite:///新路径.db import 备份.json",
            "this TinyDB store holds {n} records ({mb} MB); every save rewrites the whole file, which gets slow past "
            "{limit} records. Move it to SQLite: duty export backup.json, then duty --db sqlite:///new/path.db import backup.json",
        ).format(n=records, mb=f"{size / 1024 / 1024:.1f}", limit=SIZE_WARNING)


_held = threading.local()


def _held_by_this_thread() -> dict[str, Snapshot]:
    """Path → the snapshot of the transaction this thread has open on it (any store object)."""
    if not hasattr(_held, "paths"):
        _held.paths = {}
    return _held.paths


@hookimpl
def duty_register_backends(register):
    register(SCHEME, TinyStore)
