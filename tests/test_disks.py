"""Errors at the edges of the disk: a read-only medium, a full disk, a -shm another user left.

Everything runs the real ``duty`` command in a subprocess (``python -m duty_tui``), since a
medium can only be remounted read-only while no process holds a file on it open for writing,
and on real file systems: a 2 MiB tmpfs mounted for the test (as root; unmounted in a
finalizer), remounted read-only with ``mount -o remount,ro``, or filled to 0 bytes free with a
file.

* A store on a read-only medium (SQLite, TinyDB) is listed, shown, checked, verified, exported
  and reported on; a write exits 2 with a sentence naming the file, the mount and that the
  medium is read-only, in English and in Chinese. SQLite's three cases: no -shm/-wal (a store
  closed cleanly: opened ``immutable``), -shm and -wal left by a killed process whose WAL holds a
  committed record (opened ``mode=ro``: the record is there), and a WAL with changes but no
  -shm (refused, since reading without the WAL would show an older state).
* A full disk (SQLite, TinyDB): reading works, a write exits 2 naming the full disk, and the
  store afterwards verifies with exactly the records it had (nothing half-written); with room
  again the write goes through. For SQLite both the store nobody holds open (its -shm cannot be
  sized: "disk I/O error" before) and a store another process holds open (the write itself
  fails: SQLITE_FULL).
* A -shm (SQLite) or .lock (TinyDB) owned by root with mode 0644, used by the OS user nobody:
  reading works and a write names the file, its owner and mode, the user, and the remedy. Root
  ignores file modes, so this part runs ``duty`` really as uid 65534 (setpriv). The project's
  Python may live where nobody cannot reach (pyenv under /root, mode 0700): then the test runs
  in a private mount namespace (``unshare -m``) where Python's own prefix is bind-mounted at a
  folder nobody can enter; the mount vanishes with the process. What this does not exercise:
  ACLs, and a group-writable setup (docs/deploy.md's) other than through the fix it prints.

Without root or ``mount`` the tests are skipped saying why, except under CI (``CI`` set), where
that is a failure.
"""

from __future__ import annotations

import gc
import json
import os
import pwd
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

YEAR = "2026"
NOBODY = 65534


def cannot_run(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason + " (under CI these tests may not be skipped)")
    pytest.skip(reason)


def run(*cmd: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(list(cmd), capture_output=True, text=True, check=check)


class Disk:
    """A small tmpfs of the test's own."""

    def __init__(self, where: Path, size: str = "2m"):
        self.path = where
        where.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0 or shutil.which("mount") is None:
            cannot_run("needs root and mount(8) to mount a tmpfs")
        made = run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where), check=False)
        if made.returncode != 0:
            print(f"mount -t tmpfs is not permitted here: {made.stderr.strip()}")
            cannot_run(f"mount -t tmpfs is not permitted here: {made.stderr.strip()}")
        self.mounted = True

    def read_only(self) -> None:
        run("mount", "-o", "remount,ro", str(self.path))

    def writable(self) -> None:
        run("mount", "-o", "remount,rw", str(self.path))

    def fill(self) -> None:
        """0 bytes free: write a file until the disk refuses."""
        fd = os.open(self.path / "filler", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            for size in (65536, 4096, 512, 1):
                block = b"\0" * size
                try:
                    while True:
                        os.write(fd, block)
                except OSError:
                    pass
        finally:
            os.close(fd)
        assert os.statvfs(self.path).f_bavail == 0

    def free(self) -> None:
        (self.path / "filler").unlink()

    def unmount(self) -> None:
        if self.mounted:
            gc.collect()  # connections this process opened
            if run("umount", str(self.path), check=False).returncode != 0:
                run("umount", "-l", str(self.path), check=False)
            self.mounted = False


@pytest.fixture
def disk(tmp_path, request) -> Disk:
    made = Disk(tmp_path / "disk")
    request.addfinalizer(made.unmount)
    return made


def duty(db: str, *args: str, lang: str = "en", home: Path | None = None, prefix: list[str] | None = None,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {**os.environ, "DUTY_LANG": lang, "DUTY_CONFIG": "/nonexistent/duty-config.toml", **(env or {})}
    if home is not None:
        environ["HOME"] = str(home)
    python = [sys.executable] if prefix is None else prefix
    return subprocess.run([*python, "-m", "duty_tui", "--db", db, *args], capture_output=True, text=True, env=environ,
                          timeout=120)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr}"
    return result


def ids(db: str, home: Path) -> list[str]:
    return [r["id"] for r in json.loads(ok(duty(db, "list", "unit", "--json", home=home)).stdout)]


def url(backend: str, folder: Path) -> str:
    return f"sqlite:///{folder / 'duty.db'}" if backend == "sqlite" else f"tinydb:///{folder / 'duty.json'}"


def make_store(db: str, home: Path, units: int = 2) -> None:
    ok(duty(db, "init", "--org", "中共某镇委员会", home=home))
    for n in range(1, units + 1):
        ok(duty(db, "add", "unit", f"name={n}村", "kind=village", home=home))


def keep_a_writer_killed(db_file: Path, name: str) -> None:
    """A process adds a unit through the ledger and is killed before it closes the store: its
    -shm and -wal stay, and the WAL holds the committed record (no checkpoint ran)."""
    login = pwd.getpwuid(os.getuid()).pw_name
    code = textwrap.dedent(f"""
        import os, signal
        from duty_tui.ledger import Ledger
        from duty_tui.registry import load_registry
        from duty_tui.store import open_store
        registry = load_registry()
        ledger = Ledger.for_login(open_store({f"sqlite:///{db_file}"!r}, registry), registry, {login!r})
        ledger.create("unit", {{"name": {name!r}, "kind": "village"}})
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    killed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "DUTY_CONFIG": "/nonexistent/duty-config.toml"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr


def read_verbs_work(db: str, home: Path, out: Path, expected: list[str]) -> None:
    """list, show, check, audit --verify, export and a report, all reading only."""
    assert ids(db, home) == expected
    shown = ok(duty(db, "show", expected[0], home=home))
    assert expected[0] in shown.stdout
    checked = duty(db, "check", "--year", YEAR, "--json", home=home)
    assert checked.returncode in (0, 1), checked.stderr  # findings, not a failure to run
    json.loads(checked.stdout)
    verified = ok(duty(db, "audit", "--verify", home=home))
    assert "intact" in verified.stdout
    ok(duty(db, "export", str(out / "backup.json"), home=home))
    assert {r["id"] for r in json.loads((out / "backup.json").read_text())["records"]} >= set(expected)
    ok(duty(db, "report", "--year", YEAR, "--format", "md", "-o", str(out / "report.md"), home=home))
    assert (out / "report.md").stat().st_size > 0


def refused(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, f"exit {result.returncode}: {result.stdout} {result.stderr}"
    assert "Traceback" not in result.stderr
    return result.stderr


# -- a read-only medium ---------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "tinydb"])
def test_a_store_on_a_read_only_medium_is_read_and_a_write_is_refused(backend, disk, tmp_path):
    db = url(backend, disk.path)
    make_store(db, tmp_path)
    store_file = disk.path / ("duty.db" if backend == "sqlite" else "duty.json")
    if backend == "sqlite":  # closed cleanly: neither -shm nor -wal, so only immutable opens it
        assert not (disk.path / "duty.db-wal").exists() and not (disk.path / "duty.db-shm").exists()
    before = store_file.read_bytes()
    disk.read_only()

    read_verbs_work(db, tmp_path, tmp_path, ["unit-1", "unit-2"])

    en = refused(duty(db, "add", "unit", "name=三村", "kind=village", home=tmp_path))
    assert str(store_file) in en and "read-only medium" in en and f"({disk.path})" in en and "nothing was written" in en
    zh = refused(duty(db, "add", "unit", "name=三村", "kind=village", lang="zh", home=tmp_path))
    assert str(store_file) in zh and "只读" in zh and "：" in zh and "未写入任何内容" in zh
    assert refused(duty(db, "edit", "unit-1", "name=改", "--version", "1", home=tmp_path)) == en
    assert "read-only medium" in refused(duty(db, "config", "set", "org.name", "某镇党委", home=tmp_path))
    assert store_file.read_bytes() == before
    for where in (disk.path, disk.path / "new"):  # no new store there either
        made = refused(duty(url(backend, where / "other"), "init", "--org", "x", home=tmp_path))
        assert "there is no store at" in made and "read-only" in made
    disk.writable()
    assert ids(db, tmp_path) == ["unit-1", "unit-2"]


def test_a_read_only_medium_with_a_killed_writers_wal_shows_what_the_wal_holds(disk, tmp_path):
    """-shm and -wal left behind, the WAL holding a committed record: ``mode=ro`` reads them."""
    db = url("sqlite", disk.path)
    make_store(db, tmp_path)
    keep_a_writer_killed(disk.path / "duty.db", "三村")
    assert (disk.path / "duty.db-wal").stat().st_size > 0 and (disk.path / "duty.db-shm").exists()
    disk.read_only()
    read_verbs_work(db, tmp_path, tmp_path, ["unit-1", "unit-2", "unit-3"])
    assert "read-only medium" in refused(duty(db, "add", "unit", "name=四村", "kind=village", home=tmp_path))


def test_a_read_only_medium_with_a_wal_but_no_shm_is_not_read_as_an_older_state(disk, tmp_path):
    """immutable=1 would ignore the WAL and show the store without its last record: refused."""
    db = url("sqlite", disk.path)
    make_store(db, tmp_path)
    keep_a_writer_killed(disk.path / "duty.db", "三村")
    (disk.path / "duty.db-shm").unlink()
    disk.read_only()
    for lang, words in (("en", "holds changes not yet in the database file"), ("zh", "尚未并入数据库文件")):
        said = refused(duty(db, "list", "unit", lang=lang, home=tmp_path))
        assert words in said and str(disk.path / "duty.db-wal") in said
    disk.writable()
    assert ids(db, tmp_path) == ["unit-1", "unit-2", "unit-3"]  # the WAL was the store's, and it still is


# -- a full disk -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("backend", "held_open"), [("sqlite", False), ("sqlite", True), ("tinydb", False)],
                         ids=["sqlite-nobody-holds-it", "sqlite-another-process-holds-it", "tinydb"])
def test_a_full_disk_is_read_and_a_write_is_refused_with_nothing_half_written(backend, held_open, disk, tmp_path):
    db = url(backend, disk.path)
    make_store(db, tmp_path)
    other = None
    if held_open:  # its -shm is sized already: the write itself fails, SQLITE_FULL
        other = sqlite3.connect(disk.path / "duty.db")
        other.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        disk.fill()
        assert ids(db, tmp_path) == ["unit-1", "unit-2"]
        assert "1村" in ok(duty(db, "show", "unit-1", home=tmp_path)).stdout
        assert duty(db, "check", "--year", YEAR, home=tmp_path).returncode in (0, 1)
        store_file = disk.path / ("duty.db" if backend == "sqlite" else "duty.json")
        en = refused(duty(db, "add", "unit", "name=三村", "kind=village", home=tmp_path))
        assert str(store_file) in en and "is full" in en and "0 bytes free" in en and "nothing was written" in en
        zh = refused(duty(db, "add", "unit", "name=三村", "kind=village", lang="zh", home=tmp_path))
        assert str(store_file) in zh and "磁盘" in zh and "已满" in zh and "未写入任何内容" in zh
        assert ids(db, tmp_path) == ["unit-1", "unit-2"]
        assert "intact" in ok(duty(db, "audit", "--verify", home=tmp_path)).stdout  # no half write to explain
        disk.free()
        ok(duty(db, "add", "unit", "name=三村", "kind=village", home=tmp_path))
        assert ids(db, tmp_path) == ["unit-1", "unit-2", "unit-3"]
        assert "intact" in ok(duty(db, "audit", "--verify", home=tmp_path)).stdout
    finally:
        if other is not None:
            other.close()


# -- a -shm (or .lock) another OS user left, with a mode this one cannot write --------------------


def nobody_python(mount_at: Path) -> list[str] | None:
    """A command line that runs this Python as uid/gid 65534 with no supplementary groups, or
    None. Directly when nobody can run it; else inside a private mount namespace where the
    Python's prefix is bind-mounted at ``mount_at`` (a folder nobody can enter)."""
    if shutil.which("setpriv") is None:
        return None
    drop = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    probe = ["-c", "import duty_tui, duty_tui_storage.sqlite, click"]
    if subprocess.run([*drop, sys.executable, *probe], capture_output=True).returncode == 0:
        return [*drop, sys.executable]
    if sys.prefix != sys.base_prefix or shutil.which("unshare") is None:
        return None
    prefix = Path(sys.base_prefix).resolve()
    python = Path(sys.executable).resolve()
    if not python.is_relative_to(prefix):
        return None
    mount_at.mkdir(exist_ok=True)
    mount_at.chmod(0o755)
    inner = mount_at / python.relative_to(prefix)
    # the interpreter finds libpython by its RUNPATH (the old prefix): point the loader at the mount
    command = ["unshare", "-m", "sh", "-c", 'mount --bind "$1" "$2" && shift 2 && exec "$@"', "sh", str(prefix), str(mount_at),
               *drop, "env", f"LD_LIBRARY_PATH={mount_at / 'lib'}", str(inner)]
    if subprocess.run([*command, *probe], capture_output=True).returncode == 0:
        return command
    return None


@pytest.fixture
def shared_folder(request):
    """A store folder nobody can reach (every folder above it searchable), like /srv/duty."""
    top = Path(tempfile.mkdtemp(prefix="duty-disks-"))
    top.chmod(0o755)
    request.addfinalizer(lambda: shutil.rmtree(top, ignore_errors=True))
    if os.geteuid() != 0:
        cannot_run("needs root, to make files owned by another user and to run duty as nobody")
    prefix = nobody_python(top / "python")
    if prefix is None:
        cannot_run(f"cannot run {sys.executable} as uid {NOBODY} (setpriv, unshare and mount --bind)")
    store = top / "store"
    store.mkdir()
    store.chmod(0o777)
    return store, prefix


@pytest.mark.parametrize("backend", ["sqlite", "tinydb"])
def test_a_companion_file_nobody_may_write_is_named_with_its_owner_mode_and_remedy(backend, shared_folder):
    store, as_nobody = shared_folder
    db = url(backend, store)
    make_store(db, store)
    ok(duty(db, "users", "add", "nobody", "--role", "clerk", home=store))
    holder = None
    if backend == "sqlite":
        (store / "duty.db").chmod(0o666)  # the store itself is everyone's: only the -shm is not
        holder = sqlite3.connect(store / "duty.db")  # root keeps the store open: its -shm and -wal stay
        holder.execute("SELECT count(*) FROM sqlite_master").fetchone()
        companion = store / "duty.db-shm"
        (store / "duty.db-wal").chmod(0o666)
    else:
        (store / "duty.json").chmod(0o666)
        companion = store / "duty.json.lock"
    companion.chmod(0o644)  # as a root duty without umask 007 leaves it
    assert companion.stat().st_uid == 0 and stat.S_IMODE(companion.stat().st_mode) == 0o644
    try:
        listed = ok(duty(db, "list", "unit", "--json", home=store, prefix=as_nobody))
        assert [r["id"] for r in json.loads(listed.stdout)] == ["unit-1", "unit-2"]
        assert "intact" in ok(duty(db, "audit", "--verify", home=store, prefix=as_nobody)).stdout

        en = refused(duty(db, "add", "unit", "name=三村", "kind=village", home=store, prefix=as_nobody))
        assert "busy" not in en
        for words in (str(companion), "root:root", "0644", "nobody", "umask 007", f"chmod 660 {companion}", "docs/deploy.md",
                      "nothing was written"):
            assert words in en, (words, en)
        zh = refused(duty(db, "add", "unit", "name=三村", "kind=village", lang="zh", home=store, prefix=as_nobody))
        for words in (str(companion), "root:root", "0644", "nobody", "未写入任何内容", "docs/deploy.md", "："):
            assert words in zh, (words, zh)

        companion.chmod(0o666)  # the remedy (here by mode: root:root is no group nobody is in)
        ok(duty(db, "add", "unit", "name=三村", "kind=village", home=store, prefix=as_nobody))
        assert ids(db, store) == ["unit-1", "unit-2", "unit-3"]
    finally:
        if holder is not None:
            holder.close()


def test_may_write_decides_as_the_kernel_does_for_another_uid(tmp_path):
    """The decision itself, on a real file owned by another uid, for several identities (the
    kernel's order: the owner's bits for the owner even when the group's would allow)."""
    from duty_tui_storage.media import may_write

    file = tmp_path / "duty.db-shm"
    file.write_bytes(b"")
    if os.geteuid() == 0:
        os.chown(file, 1234, 5678)
    st = file.stat()
    owner, group = st.st_uid, st.st_gid
    file.chmod(0o644)
    st = file.stat()
    assert may_write(st, uid=owner, gids={group})
    assert not may_write(st, uid=NOBODY, gids={group})
    assert not may_write(st, uid=NOBODY, gids={NOBODY})
    assert may_write(st, uid=0, gids={0})
    file.chmod(0o464)
    st = file.stat()
    assert not may_write(st, uid=owner, gids={group})  # the owner without the owner's bit
    assert may_write(st, uid=NOBODY, gids={group})
    file.chmod(0o602)
    assert may_write(file.stat(), uid=NOBODY, gids={NOBODY})
