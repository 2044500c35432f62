"""The backend contract: what every storage backend must do, as pytest tests.

duty-tui runs it against TinyDB, SQLite and PostgreSQL; a third-party backend runs it too::

    # tests/test_my_backend_contract.py
    import pytest
    from duty_tui.contract import *  # noqa: F401,F403  (the contract's tests and fixtures)

    @pytest.fixture
    def contract_store_url(tmp_path):
        return f"mydb:///{tmp_path}/store"

Each test gets a fresh, empty store at ``contract_store_url`` and works through the ledger, the
way every face of the application does.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from duty_tui.audit import verify
from duty_tui.errors import Conflict, StoreError, ValidationError
from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.ledger import Ledger
from duty_tui.registry import load_registry
from duty_tui.schema import BOOL, DATE, INTEGER, MULTI_CHOICE, NUMBER, REFERENCES, TEXT, Field, RecordType, choices
from duty_tui.store import AuditEntry, Filter, User, open_store

__all__ = [
    "contract_registry", "contract_store", "contract_ledger",
    "test_create_and_get", "test_ids_are_per_type_and_never_reused", "test_filters", "test_sort_and_page",
    "test_text_search_chinese_and_english", "test_versions_and_conflicts", "test_failed_transaction_rolls_back",
    "test_audit_chain_verifies_and_streams", "test_audit_pages_newest_first", "test_a_transaction_is_all_or_nothing",
    "test_settings_and_users", "test_export_import_round_trip",
    "test_reopen_keeps_everything", "test_text_search_follows_many_changes", "test_references_follow_edits_and_deletes",
    "test_blobs_keep_their_bytes_replace_by_name_and_roll_back",
    "test_evidence_is_audited_without_its_bytes_and_survives_export_import",
]

TASK = RecordType(
    name="task",
    label=L("任务", "Task"),
    area="contract",
    fields=(
        Field("title", TEXT, L("标题", "Title"), required=True, indexed=True, searchable=True),
        Field("due", DATE, L("期限", "Due"), indexed=True),
        Field("points", INTEGER, L("分值", "Points"), indexed=True),
        Field("weight", NUMBER, L("权重", "Weight")),
        Field("done", BOOL, L("完成", "Done"), default=False),
        Field("tags", MULTI_CHOICE, L("标签", "Tags"), choices=choices(("a", "甲", "A"), ("b", "乙", "B"))),
        Field("owners", REFERENCES, L("负责人", "Owners"), target="person"),
    ),
    year_field="due",
)


class _ContractPlugin:
    @hookimpl
    def duty_register_types(self, register):
        register(TASK)


@pytest.fixture
def contract_registry():
    return load_registry(extra=[("contract", _ContractPlugin())])


@pytest.fixture
def contract_store(contract_store_url, contract_registry):
    store = open_store(contract_store_url, contract_registry)
    yield store
    store.close()


@pytest.fixture
def contract_ledger(contract_store, contract_registry):
    return Ledger.initialise(contract_store, contract_registry, "admin")


def _tasks(ledger: Ledger) -> list[str]:
    ledger.create("unit", {"name": "党委", "kind": "committee"})
    for name in ("刘明宇", "余永福", "Li Ming"):
        ledger.create("person", {"name": name, "unit": "unit-1"})
    rows = [
        ("中心组学习第一次", "2026-03-01", 5, 1.5, True, ["a"], ["person-1"]),
        ("Report to the county", "2026-06-30", 3, None, False, ["a", "b"], ["person-2", "person-3"]),
        ("意识形态工作研讨会", "2025-12-31", None, 2.25, False, [], []),
        ("报告会审批", None, 8, 0.5, True, ["b"], ["person-2"]),
        ("学习", "2026-01-01", 1, None, False, [], ["person-1"]),
    ]
    ids = []
    for title, due, points, weight, done, tags, owners in rows:
        ids.append(ledger.create("task", {"title": title, "due": due, "points": points, "weight": weight,
                                          "done": done, "tags": tags, "owners": owners}).id)
    return ids


def ids(records) -> list[str]:
    return [r.id for r in records]


def test_create_and_get(contract_ledger):
    created = contract_ledger.create("task", {"title": "学习", "due": "2026-03-01", "points": "4", "tags": "甲"})
    got = contract_ledger.get(created.id)
    assert got == created
    assert got.data["due"] == dt.date(2026, 3, 1) and got.data["points"] == 4 and got.data["tags"] == ["a"]
    assert got.version == 1 and got.created_by == "admin" and got.created_at


def test_ids_are_per_type_and_never_reused(contract_ledger):
    contract_ledger.create("unit", {"name": "一村", "kind": "village"})
    second = contract_ledger.create("unit", {"name": "二村", "kind": "village"})
    assert contract_ledger.create("task", {"title": "x"}).id == "task-1"
    contract_ledger.delete(second.id)
    assert contract_ledger.create("unit", {"name": "三村", "kind": "village"}).id == "unit-3"


def test_filters(contract_ledger):
    _tasks(contract_ledger)
    q = contract_ledger.query
    assert ids(q("task", where={"done": True})) == ["task-1", "task-4"]
    assert ids(q("task", where={"points": 3})) == ["task-2"]
    assert ids(q("task", filters=(Filter("points", "ge", 5),))) == ["task-1", "task-4"]
    assert ids(q("task", filters=(Filter("points", "ne", 5),))) == ["task-2", "task-3", "task-4", "task-5"]  # empty matches ne
    assert ids(q("task", filters=(Filter("points", "empty"),))) == ["task-3"]
    assert ids(q("task", filters=(Filter("weight", "lt", 1),))) == ["task-4"]
    assert ids(q("task", filters=(Filter("due", "between", ("2026-01-01", "2026-06-30")),))) == ["task-1", "task-2", "task-5"]
    assert ids(q("task", year=2025)) == ["task-3"]
    assert ids(q("task", where={"tags": "b"})) == ["task-2", "task-4"]
    assert ids(q("task", filters=(Filter("tags", "empty"),))) == ["task-3", "task-5"]
    assert ids(q("task", where={"owners": "person-2"})) == ["task-2", "task-4"]
    assert ids(q("task", filters=(Filter("title", "contains", "REPORT"),))) == ["task-2"]
    assert ids(q("task", filters=(Filter("points", "in", (1, 8)),))) == ["task-4", "task-5"]
    assert ids(q("task", filters=(Filter("id", "eq", "task-2"),))) == ["task-2"]


def test_sort_and_page(contract_ledger):
    _tasks(contract_ledger)
    q = contract_ledger.query
    assert ids(q("task", sort=(("points", False),))) == ["task-3", "task-5", "task-2", "task-1", "task-4"]
    assert ids(q("task", sort=(("points", True),))) == ["task-4", "task-1", "task-2", "task-5", "task-3"]
    assert ids(q("task", sort=(("due", False),), limit=2)) == ["task-4", "task-3"]
    # code-point order, never the locale's: "R" < "中" < "学" < "意" < "报"
    assert ids(q("task", sort=(("title", False),))) == ["task-2", "task-1", "task-5", "task-3", "task-4"]
    assert ids(q("task", sort=(("done", True), ("points", False)))) == ["task-1", "task-4", "task-3", "task-5", "task-2"]
    pages = [ids(q("task", limit=2, offset=o)) for o in (0, 2, 4)]
    assert pages == [["task-1", "task-2"], ["task-3", "task-4"], ["task-5"]]
    assert ids(q("task", limit=None, offset=3)) == ["task-4", "task-5"]
    assert contract_ledger.count("task") == 5 and contract_ledger.count("task", where={"done": True}) == 2


@pytest.mark.parametrize("text, expected", [
    ("学习", ["task-1", "task-5"]),           # two characters
    ("研讨会", ["task-3"]),                   # three
    ("中心组学习", ["task-1"]),
    ("county", ["task-2"]),
    ("COUNTY report", ["task-2"]),            # every term, any case
    ("报告 审批", ["task-4"]),
    ("不存在", []),
    ("100%", []),                             # LIKE metacharacters are literal
])
def test_text_search_chinese_and_english(contract_ledger, text, expected):
    _tasks(contract_ledger)
    assert ids(contract_ledger.query("task", text=text)) == expected


def test_versions_and_conflicts(contract_ledger, contract_store, contract_registry):
    contract_ledger.add_user("bob", "clerk")
    bob = Ledger.for_login(contract_store, contract_registry, "bob")
    task = contract_ledger.create("task", {"title": "学习"})
    contract_ledger.update(task.id, {"title": "学习(一)"}, expected_version=1)
    with pytest.raises(Conflict) as refused:
        bob.update(task.id, {"title": "学习(二)"}, expected_version=1)
    assert refused.value.by == "admin" and refused.value.actual == 2
    assert contract_ledger.get(task.id).data["title"] == "学习(一)"
    assert bob.update(task.id, {"title": "学习(二)"}, expected_version=2).version == 3


def test_failed_transaction_rolls_back(contract_ledger, contract_store):
    contract_ledger.create("task", {"title": "first"})
    head = contract_ledger.history()[-1]
    with pytest.raises(RuntimeError):
        with contract_store.write() as w:
            w.next_number("task")
            w.put_setting("org.name", "half-written")
            w.put_user(User("ghost", "admin"))
            w.append_audit(AuditEntry(head.seq + 1, "t", "x", "create", "task-9", None, "{}", head.hash, "0" * 64))
            raise RuntimeError("fail mid-transaction")
    with pytest.raises(ValidationError):
        contract_ledger.create("task", {"title": ""})
    assert contract_ledger.create("task", {"title": "second"}).id == "task-2"
    assert contract_ledger.setting("org.name") != "half-written"
    assert "ghost" not in {u.name for u in contract_ledger.users()}
    assert contract_ledger.verify_audit().ok


def test_audit_chain_verifies_and_streams(contract_ledger):
    for i in range(30):
        contract_ledger.create("task", {"title": f"t{i}"})
    contract_ledger.update("task-3", {"title": "changed"})
    contract_ledger.delete("task-4")
    entries = contract_ledger.history()
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert verify(entries).ok
    assert [e.action for e in contract_ledger.history("task-3")] == ["create", "update"]
    assert contract_ledger.history("task-4")[-1].after is None


def test_audit_pages_newest_first(contract_ledger):
    """Pages of the audit log read from its end (the store's ``audit_newest``): of the whole
    store or of one record, below a seq, at most a limit, a transaction's own entries included."""
    for i in range(12):
        contract_ledger.create("task", {"title": f"t{i}"})
    for n in range(3):
        contract_ledger.update("task-5", {"title": f"changed {n}"})
    newest = list(reversed(contract_ledger.history()))
    page = contract_ledger.audit_page
    assert page(limit=5) == newest[:5]
    assert page(before_seq=newest[4].seq, limit=5) == newest[5:10]
    assert page(limit=None) == page(limit=100) == newest
    assert page(before_seq=1) == [] and page(limit=0) == []
    of_five = [e for e in newest if e.record_id == "task-5"]
    assert [e.action for e in of_five] == ["update", "update", "update", "create"]
    assert page(record_id="task-5", limit=2) == of_five[:2]
    assert page(record_id="task-5", before_seq=of_five[1].seq) == of_five[2:]
    assert page(record_id="task-99") == []
    assert contract_ledger.audit_count() == len(newest) and contract_ledger.audit_count("task-5") == 4
    with contract_ledger.transaction():
        contract_ledger.update("task-5", {"title": "inside"})
        assert [e.seq for e in page(record_id="task-5", limit=2)] == [len(newest) + 1, of_five[0].seq]
        assert [e.seq for e in page(before_seq=len(newest) + 1, limit=1)] == [len(newest)]
        assert contract_ledger.audit_count() == len(newest) + 1 and contract_ledger.audit_count("task-5") == 5


def test_a_transaction_is_all_or_nothing(contract_ledger):
    contract_ledger.create("task", {"title": "before"})
    head = contract_ledger.audit_count()
    with pytest.raises(ValidationError):
        with contract_ledger.transaction():
            contract_ledger.create("task", {"title": "a"})
            with contract_ledger.transaction():  # a transaction inside joins the outer one
                contract_ledger.update("task-1", {"title": "changed"})
            contract_ledger.create("task", {"title": ""})  # refused: everything above goes too
    assert ids(contract_ledger.all("task")) == ["task-1"] and contract_ledger.get("task-1").data["title"] == "before"
    assert contract_ledger.audit_count() == head
    with contract_ledger.transaction():
        created = contract_ledger.create("task", {"title": "a"})
        contract_ledger.update(created.id, {"title": "b"})
    assert created.id == "task-2" and contract_ledger.get(created.id).version == 2
    assert contract_ledger.audit_count() == head + 2 and contract_ledger.verify_audit().ok


def test_settings_and_users(contract_ledger):
    contract_ledger.set_setting("org.name", "某镇党委")
    assert contract_ledger.setting("org.name") == "某镇党委"
    contract_ledger.add_user("clerk1", "clerk", None)
    contract_ledger.set_role("clerk1", "leader")
    assert {(u.name, u.role) for u in contract_ledger.users()} == {("admin", "admin"), ("clerk1", "leader")}
    contract_ledger.remove_user("clerk1")
    assert [u.name for u in contract_ledger.users()] == ["admin"]


def _snapshot(ledger: Ledger) -> dict:
    return {
        "records": [r.to_json(ledger.type(t)) for t in ("unit", "person", "task") for r in ledger.all(t)],
        "users": [u.as_json() for u in ledger.users()],
        "settings": ledger.settings(),
        "audit": [e.as_json() for e in ledger.history()],
    }


def test_export_import_round_trip(contract_ledger, contract_registry, tmp_path):
    from duty_tui.exchange import export_store, import_store

    _tasks(contract_ledger)
    contract_ledger.update("task-2", {"done": True})
    contract_ledger.set_setting("org.name", "某镇党委")
    buffer = io.StringIO()
    export_store(contract_ledger, buffer)
    target = open_store(f"sqlite:///{tmp_path / 'copy.db'}", contract_registry)
    import_store(target, contract_registry, "admin", buffer.getvalue())
    copy = Ledger.for_login(target, contract_registry, "admin")
    original, restored = _snapshot(contract_ledger), _snapshot(copy)
    assert restored["records"] == original["records"]
    assert restored["users"] == original["users"] and restored["settings"] == original["settings"]
    assert restored["audit"][:-1] == original["audit"] and restored["audit"][-1]["action"] == "import"
    assert copy.verify_audit().ok
    target.close()


def test_reopen_keeps_everything(contract_ledger, contract_store_url, contract_registry):
    _tasks(contract_ledger)
    before = _snapshot(contract_ledger)
    contract_ledger.store.close()
    again = open_store(contract_store_url, contract_registry)
    assert _snapshot(Ledger.for_login(again, contract_registry, "admin")) == before
    with pytest.raises(StoreError):
        Ledger.initialise(again, contract_registry, "someone")
    again.close()


def test_text_search_follows_many_changes(contract_ledger):
    """Hundreds of creates, edits and deletes (past any batching a backend does in its search
    index): every search gives exactly the records whose text holds the terms now."""
    import random

    rng = random.Random(20261127)
    words = ["学习", "会议", "报告会", "意识形态", "county", "Report", "研讨"]
    live: dict[str, str] = {}
    for step in range(300):
        roll = rng.random()
        if roll < 0.55 or not live:
            title = " ".join(rng.sample(words, 2)) + f" {step}"
            live[contract_ledger.create("task", {"title": title}).id] = title
        elif roll < 0.85:
            record_id = rng.choice(sorted(live))
            title = " ".join(rng.sample(words, 2)) + f" {step}"
            contract_ledger.update(record_id, {"title": title})
            live[record_id] = title
        else:
            record_id = rng.choice(sorted(live))
            contract_ledger.delete(record_id)
            del live[record_id]
        if step % 50 == 49:
            for term in ("学习", "报告会", "意识形态", "report", "研讨 county"):
                expected = sorted((rid for rid, t in live.items() if all(w in t.lower() for w in term.split())),
                                  key=lambda rid: int(rid.split("-")[1]))
                assert ids(contract_ledger.query("task", text=term, limit=None)) == expected, (step, term)


def test_references_follow_edits_and_deletes(contract_ledger):
    """What refers to a record is known after every edit and delete: a record that is referred
    to cannot be deleted, and one that no longer is can."""
    from duty_tui.errors import ValidationError

    _tasks(contract_ledger)
    contract_ledger.create("unit", {"name": "东风村", "kind": "village"})
    assert contract_ledger.referrers("person-2") == [("task-2", "owners"), ("task-4", "owners")]
    contract_ledger.update("task-2", {"owners": ["person-3", "person-1"]})  # person-2 dropped, person-1 added
    contract_ledger.update("task-4", {"title": "报告会审批(改)"})  # the references stay as they were
    assert contract_ledger.referrers("person-2") == [("task-4", "owners")]
    assert contract_ledger.referrers("person-1") == [("task-1", "owners"), ("task-2", "owners"), ("task-5", "owners")]
    assert ids(contract_ledger.query("task", filters=(Filter("owners", "contains", "person-1"),))) == ["task-1", "task-2", "task-5"]
    contract_ledger.update("person-3", {"unit": "unit-2"})
    assert contract_ledger.referrers("unit-2") == [("person-3", "unit")]
    assert ("person-3", "unit") not in contract_ledger.referrers("unit-1")
    with pytest.raises(ValidationError, match="task-4"):
        contract_ledger.delete("person-2")
    contract_ledger.delete("task-4")
    assert contract_ledger.referrers("person-2") == []
    contract_ledger.delete("person-2")
    contract_ledger.delete("task-2")
    contract_ledger.delete("person-3")  # task-2 was its last referrer
    contract_ledger.delete("unit-2")  # and person-3 unit-2's
    assert contract_ledger.find("unit-2") is None


# -- blobs: files attached to records (the optional blob part of the store protocol) -------------------

BYTES = bytes(range(256)) * 40 + b"\x00end"  # every byte value, a NUL, and more than a page


def test_blobs_keep_their_bytes_replace_by_name_and_roll_back(contract_ledger, contract_store):
    from duty_tui.store import BlobInfo, has_blobs

    contract_ledger.create("task", {"title": "with files"})
    with contract_store.write() as w:
        if not has_blobs(w):
            pytest.skip("this backend does not keep blobs (the blob part of the protocol is optional)")
        w.put_blob(BlobInfo("task-1", "会议纪要.pdf", "h1", len(BYTES), "application/pdf", "t", "admin"), BYTES)
        w.put_blob(BlobInfo("task-1", "a.txt", "h2", 2, "text/plain", "t", "admin"), b"hi")
    with contract_store.read() as r:
        assert [b.name for b in r.list_blobs("task-1")] == ["a.txt", "会议纪要.pdf"]
        assert r.get_blob("task-1", "会议纪要.pdf") == BYTES
        assert r.list_blobs("task-1")[1].size == len(BYTES)
        assert r.get_blob("task-1", "missing") is None and r.list_blobs("task-2") == []
    with contract_store.write() as w:
        w.put_blob(BlobInfo("task-1", "a.txt", "h3", 3, "text/plain", "t2", "admin"), b"new")
    with pytest.raises(RuntimeError):
        with contract_store.write() as w:
            w.put_blob(BlobInfo("task-1", "b.txt", "h4", 1, "text/plain", "t", "admin"), b"x")
            w.delete_blob("task-1", "a.txt")
            raise RuntimeError("fail mid-transaction")
    with contract_store.read() as r:
        assert [(b.name, b.sha256) for b in r.list_blobs("task-1")] == [("a.txt", "h3"), ("会议纪要.pdf", "h1")]
        assert r.get_blob("task-1", "a.txt") == b"new"
        assert [(i.name, d) for i, d in r.all_blobs()] == [("a.txt", b"new"), ("会议纪要.pdf", BYTES)]
    with contract_store.write() as w:
        w.delete_blob("task-1", "a.txt")
    with contract_store.read() as r:
        assert [b.name for b in r.list_blobs("task-1")] == ["会议纪要.pdf"]


def test_evidence_is_audited_without_its_bytes_and_survives_export_import(contract_ledger, contract_registry, tmp_path):
    import json

    from duty_tui.evidence import attach, get_evidence, list_evidence
    from duty_tui.exchange import export_store, import_store
    from duty_tui.store import has_blobs

    with contract_ledger.store.read() as r:
        if not has_blobs(r):
            pytest.skip("this backend does not keep blobs (the blob part of the protocol is optional)")
    contract_ledger.create("task", {"title": "with files"})
    attach(contract_ledger, "task-1", [("sign-in.jpg", BYTES)])
    entry = contract_ledger.history("task-1")[-1]
    assert entry.action == "evidence.attach"
    assert json.loads(entry.after)["size"] == len(BYTES) and "data" not in json.loads(entry.after)
    assert contract_ledger.verify_audit().ok
    buffer = io.StringIO()
    export_store(contract_ledger, buffer)
    target = open_store(f"sqlite:///{tmp_path / 'copy.db'}", contract_registry)
    assert import_store(target, contract_registry, "admin", buffer.getvalue())["blobs"] == 1
    copy = Ledger.for_login(target, contract_registry, "admin")
    assert list_evidence(copy, "task-1") == list_evidence(contract_ledger, "task-1")
    assert get_evidence(copy, "task-1", "sign-in.jpg")[1] == BYTES
    target.close()
