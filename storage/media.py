"""What the medium under a file store allows, and the sentences that say so.

A file store (SQLite, TinyDB) may sit where it can be read but not written: a read-only mount (a
DVD, a snapshot, a USB stick with its lock switch, ``mount -o remount,ro``), a disk with 0 bytes
free, or a folder whose SQLite ``-shm``/``-wal`` file another OS user left with a mode this one
cannot write (created without the ``umask 007`` of docs/deploy.md). Reading must still work
there, and a write must be refused by a sentence that names the file and the cause, not by
SQLite's "attempt to write a readonly database" or "disk I/O error".

Whether this process may write a file is decided from the file's owner, group and mode and the
process's effective ids (what the kernel decides for ``open(O_RDWR)``, bar ACLs), so the
decision can be made, and tested, for any uid: :func:`may_write`.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from pathlib import Path

from duty_tui.i18n import L

# SQLite's companions of a WAL database: the wal-index (shared memory) and the log itself.
COMPANIONS = ("-shm", "-wal")


def _folder(path: str | Path) -> Path:
    """The folder of ``path``, or its nearest ancestor that exists (a store to be made in a new folder)."""
    folder = Path(path).expanduser().absolute().parent
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def medium_read_only(path: str | Path) -> bool:
    """The file system holding ``path`` (a store file; it need not exist) is mounted read-only."""
    try:
        return bool(os.statvfs(_folder(path)).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def bytes_free(path: str | Path) -> int | None:
    """Bytes an unprivileged writer may still use on the file system holding ``path``."""
    try:
        st = os.statvfs(_folder(path))
    except OSError:
        return None
    return st.f_bavail * st.f_frsize


def disk_full(path: str | Path) -> bool:
    """Too little room for SQLite to grow its files by a page (its -shm needs 32 KiB at once)."""
    free = bytes_free(path)
    return free is not None and free < 64 * 1024


def mount_point(path: str | Path) -> str:
    """The folder the file system holding ``path`` is mounted on."""
    folder = _folder(path)
    try:
        dev = folder.stat().st_dev
    except OSError:
        return str(folder)
    while folder.parent != folder:
        try:
            if folder.parent.stat().st_dev != dev:
                break
        except OSError:
            break
        folder = folder.parent
    return str(folder)


def may_write(st: os.stat_result, uid: int | None = None, gids: set[int] | None = None) -> bool:
    """Whether a process of effective ``uid`` and groups ``gids`` (default: this one's) may open a
    file of this owner and mode for writing. Root may; the owner by the owner's bit, a member of
    the file's group by the group's, everyone else by the others' (the kernel's order: an owner
    without the owner's bit is refused even if the group's bit is set)."""
    uid = os.geteuid() if uid is None else uid
    if gids is None:
        gids = {os.getegid(), *os.getgroups()}
    if uid == 0:
        return True
    if st.st_uid == uid:
        return bool(st.st_mode & stat.S_IWUSR)
    if st.st_gid in gids:
        return bool(st.st_mode & stat.S_IWGRP)
    return bool(st.st_mode & stat.S_IWOTH)


def _user(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _group(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def me() -> str:
    return _user(os.geteuid())


def owner_and_mode(st: os.stat_result) -> tuple[str, str, str]:
    """(owner, group, mode as ``0644``) of a file, names where the system knows them."""
    return _user(st.st_uid), _group(st.st_gid), f"{stat.S_IMODE(st.st_mode):04o}"


# -- the sentences --------------------------------------------------------------------------------


def read_only_medium(path: str | Path) -> L:
    return L("存储 {path} 所在的介质（{mount}）是只读的：可以查看、列出、检查和核验，但不能写入；未写入任何内容。"
             "要修改，请把存储复制到可写的位置，或把该介质重新挂载为可写",
             "the store {path} is on a read-only medium ({mount}): it can be listed, shown, checked and verified, "
             "but not written; nothing was written. To change it, copy the store to a writable place or remount the "
             "medium read-write").format(path=str(path), mount=mount_point(path))


def cannot_create(path: str | Path) -> L:
    return L("存储 {path} 不存在，而它所在的介质（{mount}）是只读的，无法在那里新建；未写入任何内容",
             "there is no store at {path}, and the medium it would be on ({mount}) is read-only, so none can be made "
             "there; nothing was written").format(path=str(path), mount=mount_point(path))


def full_disk(path: str | Path) -> L:
    free = bytes_free(path)
    return L("存储 {path} 所在的磁盘（{mount}）已满，剩余 {free} 字节：未写入任何内容（这次更改整个没有保存）。"
             "仍可查看、检查和核验；请腾出空间后再保存",
             "the disk holding the store {path} ({mount}) is full, {free} bytes free: nothing was written (the change "
             "was not saved, not even in part). Listing, showing, checking and verifying still work; free some space, "
             "then save again").format(path=str(path), mount=mount_point(path), free=free if free is not None else "?")


def wal_without_index(path: str | Path, wal: Path) -> L:
    return L("存储 {path} 在只读介质（{mount}）上，而 {wal} 中还有尚未并入数据库文件的更改，没有可用的 -shm 文件就无法只读打开"
             "（忽略它会看到旧的内容）。请把 {path} 连同 {wal} 复制到可写的位置后再打开",
             "the store {path} is on a read-only medium ({mount}) and {wal} holds changes not yet in the database file; "
             "without its -shm file it cannot be opened read-only (ignoring the log would show an older state). Copy "
             "{path} together with {wal} to a writable place and open the copy").format(
        path=str(path), mount=mount_point(path), wal=str(wal))


def unwritable_file(store: str | Path, file: Path, st: os.stat_result) -> L:
    """A file of the store this process may not write: which, whose, its mode, and the remedy."""
    owner, group, mode = owner_and_mode(st)
    try:
        store_group = _group(Path(store).stat().st_gid)
    except OSError:
        store_group = group
    companion = str(file) != str(store)
    if companion:
        return L("无法写入存储 {store}：{file} 属于 {owner}:{group}，权限 {mode}，当前用户 {me} 不能写它，所以每次保存都会失败；"
                 "未写入任何内容。它多半是另一个用户在没有 umask 007 时留下的。请管理员执行 "
                 "chgrp {store_group} {file} && chmod 660 {file}（或在所有 duty 都退出后删除它）；"
                 "多人共用存储的设置（setgid 文件夹、umask 007）见 docs/deploy.md 第 3 节",
                 "cannot write the store {store}: {file} belongs to {owner}:{group} with mode {mode}, which the current "
                 "user {me} may not write, so every save fails; nothing was written. Another user most likely left it "
                 "without umask 007. Ask an admin to run chgrp {store_group} {file} && chmod 660 {file} (or to delete "
                 "it once every duty has quit); docs/deploy.md, section 3, sets up a shared store (a setgid folder, "
                 "umask 007)").format(store=str(store), file=str(file), owner=owner, group=group, mode=mode, me=me(),
                                      store_group=store_group)
    return L("无法写入存储 {store}：它属于 {owner}:{group}，权限 {mode}，当前用户 {me} 不能写它；未写入任何内容。"
             "多人共用存储的设置见 docs/deploy.md 第 3 节",
             "cannot write the store {store}: it belongs to {owner}:{group} with mode {mode}, which the current user "
             "{me} may not write; nothing was written. docs/deploy.md, section 3, sets up a shared store").format(
        store=str(store), owner=owner, group=group, mode=mode, me=me())


def unwritable_folder(store: str | Path, folder: Path, st: os.stat_result) -> L:
    owner, group, mode = owner_and_mode(st)
    return L("无法写入存储 {store}：它的文件夹 {folder} 属于 {owner}:{group}，权限 {mode}，当前用户 {me} 不能在其中建立 -shm/-wal 文件；"
             "未写入任何内容。多人共用存储的设置（setgid 文件夹 2770、umask 007）见 docs/deploy.md 第 3 节",
             "cannot write the store {store}: its folder {folder} belongs to {owner}:{group} with mode {mode}, where "
             "the current user {me} may not create the -shm/-wal files; nothing was written. docs/deploy.md, section "
             "3, sets up a shared store (a setgid folder 2770, umask 007)").format(
        store=str(store), folder=str(folder), owner=owner, group=group, mode=mode, me=me())


def why_unwritable(path: str | Path, companions: tuple[str, ...] = COMPANIONS) -> L | None:
    """Why this process cannot write the store file ``path``, or None when nothing says so: a
    read-only medium, the file itself, a companion file (``-shm``, ``-wal``, ``.lock``), or the
    folder when a companion must be created in it."""
    path = Path(path).expanduser().absolute()
    if medium_read_only(path):
        return read_only_medium(path)
    try:
        st = path.stat()
    except OSError:
        return None
    if not may_write(st):
        return unwritable_file(path, path, st)
    missing = False
    for suffix in companions:
        file = path.with_name(path.name + suffix)
        try:
            cst = file.stat()
        except FileNotFoundError:
            missing = True
            continue
        except OSError:
            continue
        if not may_write(cst):
            return unwritable_file(path, file, cst)
    if missing:
        try:
            fst = path.parent.stat()
        except OSError:
            return None
        if not may_write(fst):
            return unwritable_folder(path, path.parent, fst)
    return None
