"""The TinyDB store's file: an atomic TinyDB storage and the lock that serialises its users.

TinyDB's own ``JSONStorage`` truncates and rewrites the file in place, so a crash mid-write
leaves half a document (or "Extra data" after a shorter one), and nothing stops two processes
from interleaving. Here:

* :class:`LockFile` is an ``fcntl.flock`` on ``<file>.lock``, shared for reading and exclusive
  for writing, taken before the data file is looked at and held to the end of the transaction.
  The lock file also holds a *commit token* that every writer changes before it replaces the
  file, so a process may keep a parsed copy while the token and the file's identity (inode,
  size, mtime) are unchanged: an inode reused within one clock tick cannot fool it.
* :class:`AtomicJSONStorage` writes a temporary file in the same folder, flushes and fsyncs it,
  ``os.replace``-s the old file with it and fsyncs the folder. A reader sees the old file or
  the new one, never a mixture; a crash leaves at most an orphaned temporary file, which
  :func:`remove_orphans` clears while holding the exclusive lock.
* Every call that changes a file goes through a :class:`FileSystem` (``write``, ``fsync``,
  ``replace``), so a test can make the Nth call fail.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import json
import os
import secrets
import stat
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from tinydb.storages import Storage

from duty_tui.errors import StoreError
from duty_tui.i18n import L

Tables = dict[str, dict[str, dict[str, Any]]]
# Which file was read: its inode, size and mtime (with the lock file's commit token, see above).
FileIdentity = tuple[int, int, int]

TOKEN_SIZE = 32


class FolderSyncFailed(OSError):
    """The new file is in place, but the folder's fsync failed: the rename may not be durable."""


class FileSystem:
    """The calls that change files. A test replaces it to make any one of them fail."""

    def write(self, fd: int, data: bytes | memoryview) -> int:
        return os.write(fd, data)

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def replace(self, source: str, target: str) -> None:
        os.replace(source, target)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parsing or dumping a big file makes millions of objects; the cyclic collector would walk
    them again and again (two to three times the time at 100k records), and none is garbage."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def encode(tables: Tables) -> bytes:
    """Compact UTF-8 JSON, Chinese as is. Text holding a lone surrogate (undecodable bytes from
    a terminal) cannot be UTF-8, so such a file is written with ``\\u`` escapes instead: still
    exact, because the audit chain's hash covers the very characters."""
    with _collector_paused():
        text = json.dumps(tables, ensure_ascii=False, separators=(",", ":"))
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(tables, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def decode(raw: bytes, path: str) -> Tables:
    if not raw.strip():
        return {}
    try:
        with _collector_paused():
            tables = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f"line {exc.lineno}, column {exc.colno}: {exc.msg}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise StoreError(L(
            "无法读取存储文件 {path}:它不是有效的 JSON({where})。该文件可能被手工改坏;请用备份恢复。",
            "cannot read the store file {path}: it is not valid JSON ({where}). It may have been damaged by "
            "hand; restore it from a backup.",
        ).format(path=path, where=where)) from None
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise StoreError(L("存储文件 {path} 不是 TinyDB 数据库(应为表的对象)",
                           "the store file {path} is not a TinyDB database (expected an object of tables)").format(path=path))
    return tables


def _identity_of(st: os.stat_result) -> FileIdentity:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never overwrites the file in place. The caller holds the lock."""

    def __init__(self, path: str, fs: FileSystem | None = None):
        self.path = path
        self.folder = os.path.dirname(path) or "."
        self.fs = fs or FileSystem()

    # -- reading ------------------------------------------------------------------------------
    def identity(self) -> FileIdentity | None:
        try:
            return _identity_of(os.stat(self.path))
        except FileNotFoundError:
            return None

    def read_identified(self) -> tuple[FileIdentity | None, Tables]:
        """The tables and the identity of exactly the file they were read from."""
        try:
            with open(self.path, "rb") as f:
                st = os.fstat(f.fileno())
                raw = f.read()
        except FileNotFoundError:
            return None, {}
        except OSError as exc:
            raise StoreError(L("无法读取存储文件 {path}:{err}", "cannot read the store file {path}: {err}").format(
                path=self.path, err=exc.strerror or exc)) from None
        return _identity_of(st), decode(raw, self.path)

    def read(self) -> Tables | None:
        return self.read_identified()[1] or None

    # -- writing ------------------------------------------------------------------------------
    def write(self, data: Tables) -> None:
        """Replace the file with ``data``, durably. Raises ``OSError`` when a step fails, and the
        old file is untouched; or :class:`FolderSyncFailed` when only the last step failed, and
        the new file is in place but not known to be durable (the caller decides what to do).
        A store file no one may write (mode 0444: made read-only on purpose) is not replaced,
        though the folder would let a rename do it, as SQLite would not write to it either."""
        self._refuse_if_read_only()
        temp = self._write_temp(encode(data))
        try:
            self.fs.replace(temp, self.path)
        except BaseException:
            _unlink_quietly(temp)
            raise
        try:
            self.sync_folder()
        except OSError as exc:
            raise FolderSyncFailed(exc.errno, exc.strerror) from exc

    def _refuse_if_read_only(self) -> None:
        try:
            mode = stat.S_IMODE(os.stat(self.path).st_mode)
        except FileNotFoundError:
            return
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(self.path, os.W_OK):
            raise PermissionError(errno.EACCES, f"the store file is read-only (mode {mode:04o})", self.path)

    def _write_temp(self, payload: bytes) -> str:
        temp = os.path.join(self.folder, f"{_temp_prefix(self.path)}{secrets.token_hex(6)}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as to any new file
        try:
            try:
                self._share_like_the_store(fd)
                view = memoryview(payload)
                while view:
                    view = view[self.fs.write(fd, view):]
                self.fs.fsync(fd)
            finally:
                os.close(fd)
        except BaseException:
            _unlink_quietly(temp)
            raise
        return temp

    def _share_like_the_store(self, fd: int) -> None:
        """Operators are different OS users sharing one file: a rewrite by one of them keeps the
        file's mode and group (as SQLite does for its WAL file), so the others can still use it."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return
        os.fchmod(fd, stat.S_IMODE(st.st_mode))
        try:
            os.fchown(fd, -1, st.st_gid)
        except PermissionError:
            pass  # not a member of that group: the folder's setgid bit is the way to share

    def sync_folder(self) -> None:
        fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            self.fs.fsync(fd)
        finally:
            os.close(fd)

    def remove_orphans(self) -> list[str]:
        """Temporary files a killed writer left behind. Call only under the exclusive lock."""
        prefix, removed = _temp_prefix(self.path), []
        for entry in os.scandir(self.folder):
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                _unlink_quietly(entry.path)
                removed.append(entry.path)
        return removed

    def close(self) -> None:
        pass


def _temp_prefix(path: str) -> str:
    return f".{os.path.basename(path)}."


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class LockFile:
    """``fcntl.flock`` on ``<file>.lock``: one exclusive writer, or any number of readers.

    The wait is bounded: a process stopped while holding the lock (Ctrl-Z on a writer) makes the
    others fail with a clear message instead of hanging for ever.
    """

    def __init__(self, path: str, fs: FileSystem | None = None, timeout: float = 30.0):
        self.path = path
        self.fs = fs or FileSystem()
        self.timeout = timeout
        # Set by the store when the lock file cannot be opened for writing (a read-only medium, a
        # lock file another user left with a mode this one may not write): readers then take the
        # shared lock on a read-only descriptor (flock needs none other), or none when there is
        # no lock file on a read-only medium (nobody can write there).
        self.read_only = False

    @contextmanager
    def hold(self, exclusive: bool) -> Iterator["HeldLock"]:
        fd = self._open(exclusive)
        if fd is None:
            yield HeldLock(None, self.fs)
            return
        try:
            self._acquire(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield HeldLock(fd, self.fs)
        finally:
            os.close(fd)  # closing the only descriptor releases the lock

    def _open(self, exclusive: bool = True) -> int | None:
        if self.read_only and not exclusive:
            try:
                return os.open(self.path, os.O_RDONLY)
            except FileNotFoundError:
                return None
            except OSError as exc:
                raise self.cannot_open(exc) from None
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise self.cannot_open(exc) from None

    def cannot_open(self, exc: OSError) -> "LockUnavailable":
        return LockUnavailable(L("无法打开锁文件 {path}:{err}", "cannot open the lock file {path}: {err}").format(
            path=self.path, err=exc.strerror or exc), exc.errno)

    def _acquire(self, fd: int, mode: int) -> None:
        deadline = time.monotonic() + self.timeout
        delay = 0.0005
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise StoreError(L("无法锁定 {path}:{err}", "cannot lock {path}: {err}").format(path=self.path, err=exc.strerror)) from None
            if time.monotonic() >= deadline:
                raise StoreError(L(
                    "存储正忙:另一个进程占用 {path} 已超过 {s} 秒(是否有被暂停的 duty?)",
                    "the store is busy: another process has held {path} for over {s} seconds (a suspended duty?)",
                ).format(path=self.path, s=int(self.timeout)))
            time.sleep(delay)
            delay = min(delay * 2, 0.02)


class LockUnavailable(StoreError):
    """The lock file cannot be opened (``errno`` says why: EROFS, EACCES, ...)."""

    def __init__(self, message: L, errno_: int | None):
        super().__init__(message)
        self.errno = errno_


class HeldLock:
    """A lock this process holds, and the commit token kept in its file (``fd`` None: a reader
    on a read-only medium without a lock file, where nobody can write)."""

    def __init__(self, fd: int | None, fs: FileSystem):
        self.fd, self.fs = fd, fs

    def token(self) -> bytes:
        return b"" if self.fd is None else os.pread(self.fd, TOKEN_SIZE, 0)

    def new_token(self) -> None:
        """Mark that the data file is about to change (exclusive holders only)."""
        token = secrets.token_hex(TOKEN_SIZE // 2).encode("ascii")
        os.lseek(self.fd, 0, os.SEEK_SET)
        if self.fs.write(self.fd, token) != len(token):
            raise OSError(errno.EIO, "short write to the lock file")


def ensure_folder(path: str) -> None:
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(L("无法创建文件夹 {path}:{err}", "cannot create the folder {path}: {err}").format(
            path=str(Path(path).parent), err=exc.strerror or exc)) from None
