"""The TinyDB backend (tinydb:///path.json): a JSON file that keeps every committed write through
failed file-system calls, killed writers and concurrent processes, and answers queries exactly as
the Query contract in duty_tui/store.py says."""

from __future__ import annotations

import errno
import fcntl
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from duty_tui.audit import entry_hash
from duty_tui.errors import ValidationError, StoreError
from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.ledger import Ledger
from duty_tui.registry import load_registry
from duty_tui.schema import BOOL, CHOICE, DATE, INTEGER, MULTI_CHOICE, NUMBER, REFERENCES, TEXT, Field, RecordType, choices
from duty_tui.store import AuditEntry, Filter, Query, StoredRecord, open_store
from duty_tui_storage import tinydb as backend
from duty_tui_storage.tinydb_file import FileSystem

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def url(folder) -> str:
    return f"tinydb:///{folder / 'duty.json'}"


@pytest.fixture
def registry():
    return load_registry()


def initialise(url: str, registry) -> Ledger:
    return Ledger.initialise(open_store(url, registry), registry, "admin")


def reopen(url: str, registry) -> Ledger:
    return Ledger.for_login(open_store(url, registry), registry, "admin")


def strays(folder: Path) -> list[str]:
    """Files beside the store other than the store and its lock (temporary files)."""
    return sorted(p.name for p in folder.iterdir() if p.name not in ("duty.json", "duty.json.lock"))


# -- the file ----------------------------------------------------------------------------------

def test_the_file_is_a_tinydb_database_a_person_can_read(url, folder, registry):
    ledger = initialise(url, registry)
    ledger.create("unit", {"name": "一村", "kind": "village"})
    from tinydb import TinyDB

    with TinyDB(folder / "duty.json", access_mode="r") as db:
        assert [d["id"] for d in db.table("records").all()] == ["unit-1"]
        assert "一村" in (folder / "duty.json").read_text(encoding="utf-8")  # Chinese as is, not escaped
    assert strays(folder) == []


def test_a_rewrite_keeps_the_file_s_mode_so_other_operators_can_still_use_it(url, folder, registry):
    ledger = initialise(url, registry)
    umask = os.umask(0)
    os.umask(umask)
    assert (folder / "duty.json").stat().st_mode & 0o777 == 0o666 & ~umask  # a new file, not a private temp file
    os.chmod(folder / "duty.json", 0o660)
    ledger.create("unit", {"name": "一村", "kind": "village"})
    assert (folder / "duty.json").stat().st_mode & 0o777 == 0o660


def test_audit_before_and_after_are_kept_as_the_exact_text_given(url, registry):
    store = initialise(url, registry).store
    head = reopen(url, registry).history()[-1]
    odd = '{"b": 1,  "a": "\u5218"}'  # not canonical: spaces, key order; must come back byte for byte
    seq = head.seq + 1
    digest = entry_hash(seq, "2026-03-01T00:00:00.000Z", "admin", None, "note", "unit-9", odd, None, head.hash)
    with store.write() as w:
        w.append_audit(AuditEntry(seq, "2026-03-01T00:00:00.000Z", "admin", "note", "unit-9", odd, None, head.hash, digest))
    again = reopen(url, registry)
    assert again.history()[-1].before == odd
    assert again.verify_audit().ok


def test_a_hand_edited_audit_entry_breaks_the_chain_at_that_entry(url, folder, registry):
    ledger = initialise(url, registry)
    ledger.create("unit", {"name": "一村", "kind": "village"})
    ledger.create("person", {"name": "刘明宇", "unit": "unit-1"})
    seq = next(e.seq for e in ledger.history() if e.record_id == "person-1")
    path = folder / "duty.json"
    tables = json.loads(path.read_bytes())
    tables["audit"][str(seq)]["after"] = tables["audit"][str(seq)]["after"].replace("刘明宇", "刘明雨")
    path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
    verdict = reopen(url, registry).verify_audit()
    assert not verdict.ok and verdict.broken_seq == seq


def test_text_that_is_not_valid_unicode_is_refused_and_never_stored(url, registry, folder):
    name = "村\udcff"  # a lone surrogate, as undecodable bytes from a terminal arrive
    with pytest.raises(ValidationError):
        initialise(url, registry).create("unit", {"name": name, "kind": "village"})
    again = reopen(url, registry)
    assert again.count("unit") == 0 and again.verify_audit().ok
    assert "\\udcff" not in (folder / "duty.json").read_text(encoding="utf-8")


def test_a_damaged_file_is_refused_with_the_reason(url, folder, registry):
    initialise(url, registry).store.close()
    path = folder / "duty.json"
    path.write_bytes(path.read_bytes() + b'{"records": {}}')  # what an in-place overwrite leaves: "Extra data"
    with pytest.raises(StoreError) as refused:
        open_store(url, registry)
    assert "not valid JSON" in str(refused.value) and "Extra data" in str(refused.value)


def test_a_file_of_another_program_is_not_taken_for_a_store(folder, url, registry):
    folder.mkdir()
    (folder / "duty.json").write_text('{"_default": {"1": {"x": 1}}}', encoding="utf-8")
    with pytest.raises(StoreError, match="not a duty-tui store"):
        open_store(url, registry)


@pytest.mark.parametrize("bad", ["tinydb://relative/duty.json", "tinydb:///", "sqlite:///x.json"])
def test_a_url_must_name_an_absolute_path(bad):
    with pytest.raises(StoreError, match="absolute path"):
        backend.TinyStore(bad)


def test_extra_leading_slashes_name_the_same_absolute_path(tmp_path):
    assert backend.path_of(f"tinydb:///{tmp_path}/duty.json") == f"{tmp_path}/duty.json"
    assert backend.path_of("tinydb:///srv/duty.json") == "/srv/duty.json"


# -- faults: every failure is an error, and the last commit stays ------------------------------

class FailingAt(FileSystem):
    """Fails the Nth call of one kind (write, fsync or replace), once, as a full or dying disk would."""

    def __init__(self, kind: str, n: int):
        self.kind, self.left, self.fired = kind, n, False

    def _tick(self, kind: str) -> None:
        if kind == self.kind and not self.fired:
            self.left -= 1
            if self.left == 0:
                self.fired = True
                raise OSError(errno.EIO, f"injected failure of {kind} call")

    def write(self, fd, data):
        self._tick("write")
        return super().write(fd, data)

    def fsync(self, fd):
        self._tick("fsync")
        super().fsync(fd)

    def replace(self, source, target):
        self._tick("replace")
        super().replace(source, target)


@pytest.mark.parametrize("kind", ["write", "fsync", "replace"])
def test_a_failed_write_fsync_or_replace_is_an_error_and_the_last_commit_stays(kind, tmp_path, registry):
    # A commit writes the lock file's token and the temporary file, fsyncs the temporary file,
    # replaces the store with it and fsyncs the folder: N = 1..20 reaches every step several times.
    for n in range(1, 21):
        folder = tmp_path / f"{kind}-{n}"
        url = f"tinydb:///{folder / 'duty.json'}"
        initialise(url, registry).store.close()
        fs = FailingAt(kind, n)
        store = backend.TinyStore(url, fs=fs)
        store.prepare(registry.types)
        ledger = Ledger.for_login(store, registry, "admin")
        committed: list[str] = []
        failure = None
        for i in range(25):
            before = (folder / "duty.json").read_bytes()
            try:
                committed.append(ledger.create("unit", {"name": f"村{i}", "kind": "village"}).id)
            except StoreError as exc:
                failure = exc
                break
        assert fs.fired and failure is not None, f"{kind} #{n}: the fault never reached the caller"
        assert "injected failure" in str(failure) and "nothing was changed" in str(failure)
        assert (folder / "duty.json").read_bytes() == before, f"{kind} #{n}: the last committed file changed"
        assert strays(folder) == [], f"{kind} #{n}"
        again = reopen(url, registry)
        assert [u.id for u in again.all("unit")] == committed
        assert again.verify_audit().ok
        again.store.close()
        assert ledger.create("unit", {"name": "之后", "kind": "village"}).id == f"unit-{len(committed) + 1}"


def test_an_exception_inside_a_write_transaction_writes_nothing(url, folder, registry):
    ledger = initialise(url, registry)
    ledger.create("unit", {"name": "一村", "kind": "village"})
    before = (folder / "duty.json").read_bytes()
    with pytest.raises(RuntimeError):
        with ledger.store.write() as w:
            w.delete("unit-1")
            w.put_setting("org.name", "half")
            raise RuntimeError("fail mid-transaction")
    assert (folder / "duty.json").read_bytes() == before
    assert reopen(url, registry).get("unit-1") is not None


# -- locking and the parsed copy -----------------------------------------------------------------

def held_elsewhere(folder: Path, mode: int):
    """The lock as another process would hold it (a separate open file description)."""
    fd = os.open(folder / "duty.json.lock", os.O_RDWR)
    fcntl.flock(fd, mode)
    return fd


def test_a_writer_waits_for_a_reader_and_a_reader_for_a_writer(url, folder, registry):
    initialise(url, registry).store.close()
    store = backend.TinyStore(url, lock_timeout=0.2)
    store.prepare(registry.types)
    fd = held_elsewhere(folder, fcntl.LOCK_SH)
    try:
        with store.read() as r:  # readers share
            assert r.users()
        with pytest.raises(StoreError, match="busy"):
            with store.write():
                pass
    finally:
        os.close(fd)
    fd = held_elsewhere(folder, fcntl.LOCK_EX)
    try:
        with pytest.raises(StoreError, match="busy"):
            with store.read():
                pass
    finally:
        os.close(fd)
    with store.write() as w:  # free again
        w.put_setting("org.name", "镇")


def test_a_read_inside_a_write_of_the_same_thread_sees_the_last_commit_without_waiting(url, registry):
    ledger = initialise(url, registry)
    store = ledger.store
    with store.write() as w:
        w.put_setting("org.name", "new")
        with store.read() as r:
            assert "org.name" not in r.settings()
        with pytest.raises(StoreError, match="wait on itself"):
            with store.write():
                pass
    with store.read() as r:
        assert r.settings()["org.name"] == "new"


def test_another_store_s_commit_is_seen_even_when_the_file_looks_unchanged(url, folder, registry):
    """The parsed copy is kept by the file's inode, size and mtime and the lock file's commit
    token: a change those three cannot show is still seen, because every commit changes the token."""
    ledger = initialise(url, registry)
    ledger.create("unit", {"name": "甲村", "kind": "village"})
    assert ledger.get("unit-1").data["name"] == "甲村"  # now parsed and kept
    path = folder / "duty.json"
    st = path.stat()
    other = backend.TinyStore(url)
    with other.lock.hold(exclusive=True) as held:  # a same-size change in place, mtime put back
        held.new_token()
        path.write_bytes(path.read_bytes().replace("甲村".encode(), "乙村".encode()))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_ino, path.stat().st_size, path.stat().st_mtime_ns) == (st.st_ino, st.st_size, st.st_mtime_ns)
    assert ledger.get("unit-1").data["name"] == "乙村"


def test_a_store_warns_when_it_outgrows_a_json_file(url, registry, monkeypatch):
    ledger = initialise(url, registry)
    ledger.create_many("unit", [{"name": f"村{i}", "kind": "village"} for i in range(4)])
    assert ledger.store.warn_size() is None
    monkeypatch.setattr(backend, "SIZE_WARNING", 3)
    warning = ledger.store.warn_size()
    assert isinstance(warning, L)
    assert "4 records" in warning.render("en") and "sqlite" in warning.render("en")
    assert "4 条记录" in warning.render("zh")


# -- processes -----------------------------------------------------------------------------------

def _create_units(url: str, worker: int, count: int, start, results) -> None:
    try:
        ledger = reopen(url, load_registry())
        start.wait()
        ids = [ledger.create("unit", {"name": f"w{worker}-{i}", "kind": "other"}).id for i in range(count)]
        results.put(("ok", worker, ids))
    except BaseException:
        results.put(("error", worker, traceback.format_exc()))


def test_four_processes_creating_at_once_get_unique_ids_and_one_verifying_chain(url, registry):
    initialise(url, registry).store.close()
    ctx = multiprocessing.get_context("fork")
    start, results = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_create_units, args=(url, w, 50, start, results)) for w in range(4)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert [o for o in outcomes if o[0] != "ok"] == []
    ids = [i for _, _, worker_ids in outcomes for i in worker_ids]
    assert len(ids) == 200 and len(set(ids)) == 200

    check = reopen(url, registry)
    assert sorted(u.id for u in check.all("unit")) == sorted(ids)
    created = [e.record_id for e in check.history() if e.action == "create"]
    assert sorted(created) == sorted(ids)
    assert check.verify_audit().ok and len(check.history()) == 201


CRASHING_WRITER = r"""
import os, sys
from duty_tui.ledger import Ledger
from duty_tui.registry import load_registry
from duty_tui_storage.tinydb import TinyStore
from duty_tui_storage.tinydb_file import FileSystem

url, stop_at = sys.argv[1], int(sys.argv[2])

def say(line):
    os.write(1, (line + "\n").encode())

class Announcing(FileSystem):
    # Counts the file-system calls; at call number stop_at, says so and waits to be killed.
    calls = 0

    def _step(self, kind):
        Announcing.calls += 1
        if Announcing.calls == stop_at:
            say("stopped " + kind)
            sys.stdin.read()

    def write(self, fd, data):
        self._step("write")
        return super().write(fd, data)

    def fsync(self, fd):
        self._step("fsync")
        super().fsync(fd)

    def replace(self, source, target):
        self._step("replace")
        super().replace(source, target)

registry = load_registry()
store = TinyStore(url, fs=Announcing())
store.prepare(registry.types)
ledger = Ledger.for_login(store, registry, "admin")
i = 0
while True:
    record = ledger.create("unit", {"name": f"崩溃{i}", "kind": "other", "notes": "x" * (i % 300)})
    say(f"ack {record.id} 1")
    if i % 3 == 0:
        ledger.update(record.id, {"notes": "edited"}, expected_version=1)
        say(f"ack {record.id} 2")
    i += 1
"""

# The calls of one commit, in order: the lock file's token, the temporary file, its fsync, the
# rename, the folder's fsync.
COMMIT_STEPS = ["write", "write", "fsync", "replace", "fsync"]


def test_a_writer_killed_at_any_step_loses_no_acknowledged_write(url, folder, registry):
    ledger = initialise(url, registry)
    ledger.create_many("unit", [{"name": f"村{i}", "kind": "village"} for i in range(500)])  # a commit takes a while
    ledger.store.close()
    acknowledged: dict[str, int] = {}
    for round_ in range(20):
        # 15 rounds stop the writer at each step of a commit in turn and kill it there; 5 kill
        # it wherever it happens to be after a few acknowledged writes.
        free_running = round_ % 4 == 3
        stop_at = 0 if free_running else 5 * (round_ % 3 + 1) + round_ % 5 + 1
        proc = subprocess.Popen([sys.executable, "-c", CRASHING_WRITER, url, str(stop_at)], cwd=ROOT,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        acks, stopped = 0, None
        for line in proc.stdout:
            if line.startswith("ack "):
                _, record_id, version = line.split()
                acknowledged[record_id] = int(version)
                acks += 1
                if free_running and acks == 2 + round_:
                    break
            elif line.startswith("stopped "):
                stopped = line.split()[1]
                break
        proc.send_signal(signal.SIGKILL)
        rest, err = proc.communicate(timeout=60)
        for line in rest.splitlines():  # acknowledged before the kill landed
            if line.startswith("ack "):
                _, record_id, version = line.split()
                acknowledged[record_id] = int(version)
        assert proc.returncode == -signal.SIGKILL, err
        if not free_running:
            assert stopped == COMMIT_STEPS[(stop_at - 1) % 5], err
            if (stop_at - 1) % 5 in (1, 2, 3):
                assert strays(folder), "the writer was killed with its temporary file written or being written"

        json.loads((folder / "duty.json").read_bytes())  # always a whole, readable file
        again = reopen(url, registry)  # opening clears what the killed writer left
        assert strays(folder) == []
        present = {u.id: u.version for u in again.all("unit")}
        lost = {r: v for r, v in acknowledged.items() if present.get(r, 0) < v}
        assert lost == {}, f"round {round_}: acknowledged writes lost"
        assert again.verify_audit().ok
        again.store.close()
    assert len(acknowledged) > 20


# -- query semantics -----------------------------------------------------------------------------

ITEM = RecordType(
    name="item",
    label=L("条目", "Item"),
    fields=(
        Field("title", TEXT, L("标题", "Title"), searchable=True),
        Field("kind", CHOICE, L("类别", "Kind"), choices=choices(("x", "甲", "X"), ("y", "乙", "Y")), searchable=True),
        Field("score", INTEGER, L("分", "Score")),
        Field("ratio", NUMBER, L("比", "Ratio")),
        Field("flag", BOOL, L("是否", "Flag")),
        Field("day", DATE, L("日期", "Day")),
        Field("tags", MULTI_CHOICE, L("标签", "Tags"), choices=choices(("a", "一", "A"), ("b", "二", "B"))),
        Field("units", REFERENCES, L("单位", "Units"), target="unit"),
    ),
)


class ItemPlugin:
    @hookimpl
    def duty_register_types(self, register):
        register(ITEM)


@pytest.fixture
def items(url):
    registry = load_registry(extra=[("items", ItemPlugin())])
    ledger = initialise(url, registry)
    ledger.create("unit", {"name": "一村", "kind": "village"})
    rows = [
        {"title": "Alpha 学习", "kind": "x", "score": 5, "ratio": 1.5, "flag": True, "day": "2026-03-01", "tags": ["a"], "units": ["unit-1"]},
        {"title": "alpha"},
        {"title": "Beta 学", "kind": "y", "score": 10, "ratio": 0.5, "day": "2026-01-01", "tags": ["a", "b"]},
        {"title": "中文", "kind": "x", "score": 5, "ratio": 2, "flag": True, "day": "2025-12-31", "tags": ["b"]},
        {"score": -1, "ratio": 0.25, "flag": False, "units": ["unit-1"]},
    ]
    for row in rows:
        ledger.create("item", row)
    ledger.update("item-2", {"flag": False})
    return ledger.store


def found(store, **query) -> list[int]:
    with store.read() as r:
        return [rec.num for rec in r.query(Query("item", **{"limit": None, **query}))]


@pytest.mark.parametrize("filters, expected", [
    ((Filter("score", "eq", 5),), [1, 4]),
    ((Filter("score", "ne", 5),), [2, 3, 5]),                       # ne matches the empty one
    ((Filter("kind", "ne", "x"),), [2, 3, 5]),
    ((Filter("score", "lt", 6),), [1, 4, 5]),                       # an empty field is never less
    ((Filter("score", "ge", 5),), [1, 3, 4]),
    ((Filter("ratio", "gt", 1),), [1, 4]),                          # numbers compare numerically
    ((Filter("ratio", "le", 0.5),), [3, 5]),
    ((Filter("flag", "eq", True),), [1, 4]),
    ((Filter("flag", "eq", False),), [2, 5]),
    ((Filter("day", "between", ("2026-01-01", "2026-12-31")),), [1, 3]),
    ((Filter("kind", "in", ("x", "y")),), [1, 3, 4]),
    ((Filter("kind", "in", ()),), []),
    ((Filter("tags", "contains", "a"),), [1, 3]),                   # a list: membership
    ((Filter("units", "contains", "unit-1"),), [1, 5]),
    ((Filter("title", "contains", "ALPHA"),), [1, 2]),              # text: case-insensitive substring
    ((Filter("tags", "empty"),), [2, 5]),
    ((Filter("title", "empty"),), [5]),
    ((Filter("day", "not_empty"),), [1, 3, 4]),
    ((Filter("score", "eq", 5), Filter("day", "lt", "2026-01-01")), [4]),
    ((Filter("version", "gt", 1),), [2]),                           # meta columns
    ((Filter("id", "eq", "item-3"),), [3]),
    ((Filter("created_by", "eq", "admin"),), [1, 2, 3, 4, 5]),
    ((Filter("state", "empty"),), [1, 2, 3, 4, 5]),
])
def test_filters(items, filters, expected):
    assert found(items, filters=filters) == expected


@pytest.mark.parametrize("text, expected", [
    ("alpha", [1, 2]), ("ALPHA 学", [1]), ("学", [1, 3]), ("甲", [1, 4]),  # a choice's label is searchable
    ("中", [4]), ("zzz", []), ("", [1, 2, 3, 4, 5]),
])
def test_text_search_takes_every_term_as_a_lower_cased_substring(items, text, expected):
    assert found(items, text=text) == expected


@pytest.mark.parametrize("sort, expected", [
    ((("title", False),), [5, 1, 3, 2, 4]),        # empty first, then by code point: "A" < "B" < "a" < "中"
    ((("title", True),), [4, 2, 3, 1, 5]),         # empty last
    ((("score", True),), [3, 4, 1, 5, 2]),         # ties (5) by creation order, descending like the key
    ((("score", False),), [2, 5, 1, 4, 3]),
    ((("flag", True), ("score", False)), [1, 4, 2, 5, 3]),
    ((("id", True),), [5, 4, 3, 2, 1]),
    ((("version", True),), [2, 5, 4, 3, 1]),
])
def test_sort(items, sort, expected):
    assert found(items, sort=sort) == expected


def test_page_and_count(items):
    assert found(items, sort=(("id", True),), offset=1, limit=2) == [4, 3]
    assert found(items, offset=4, limit=10) == [5]
    with items.read() as r:
        assert r.count(Query("item", filters=(Filter("score", "ne", 5),))) == 3
        assert r.count(Query("item", text="学", limit=1)) == 2


def record(num: int, **data) -> StoredRecord:
    return StoredRecord(id=f"item-{num}", type="item", num=num, version=1, state=None, data=data, created_at="t",
                        created_by="admin", updated_at="t", updated_by="admin", search=str(data.get("title", "")).lower(),
                        links=tuple(("units", u) for u in data.get("units", [])))


def test_a_write_transaction_reads_its_own_changes_and_commits_them_at_the_end(items, url):
    with items.write() as w:
        w.insert(record(9, title="新的", units=["unit-1"]))
        changed = w.get("item-1").bump(version=2, data={"title": "改了"})
        w.update(changed)
        w.delete("item-5")
        assert w.get("item-9").data["title"] == "新的" and w.get("item-1").data["title"] == "改了"
        assert w.get("item-5") is None and not w.exists("item-5") and w.exists("item-9")
        assert [r.num for r in w.query(Query("item", text="新"))] == [9]
        assert w.count(Query("item")) == 5 and w.type_counts()["item"] == 5
        assert w.referrers("unit-1") == [("item-9", "units")]      # item-1 now has no units, item-5 is gone
        assert [r.id for r in w.all_records()][-1] == "item-9"
        with items.read() as outside:                            # nothing is visible before the commit
            assert outside.get("item-9") is None
        with pytest.raises(StoreError, match="already exists"):
            w.insert(record(9, title="again"))
    with items.read() as r:
        assert r.get("item-9").data["title"] == "新的" and r.get("item-5") is None
        assert r.get("item-1").version == 2
    registry = load_registry(extra=[("items", ItemPlugin())])
    with open_store(url, registry).read() as r:
        assert sorted(r.referrers("unit-1")) == [("item-9", "units")]


def test_a_store_file_made_read_only_is_read_and_never_replaced(url, folder, registry):
    """chmod 444 on the store file says "no writes": the folder would let a rename replace it,
    but a write is refused with the reason, and the file (its bytes and its mode) stays."""
    import stat

    initialise(url, registry).create("unit", {"name": "一村", "kind": "village"})
    path = folder / "duty.json"
    path.chmod(0o444)
    before = path.read_bytes()
    ledger = reopen(url, registry)
    assert ledger.get("unit-1").data["name"] == "一村", "still read"
    with pytest.raises(StoreError) as refused:
        ledger.create("unit", {"name": "二村", "kind": "village"})
    assert "read-only (mode 0444)" in refused.value.render("en")
    assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert strays(folder) == []
