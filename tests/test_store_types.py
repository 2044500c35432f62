"""A store keeps every type's records whatever plugins the process that opens it has loaded.

SQL stores keep a table per record type, made when a process that knows the type prepares the
store. A process without that plugin (blocked, or not installed on this machine) must still
export those records, count them, and refuse to delete what they refer to; every backend the
same.
"""

from __future__ import annotations

import io
import json

import pytest

from duty_tui.errors import ValidationError
from duty_tui.exchange import export_store, import_store
from duty_tui.ledger import Ledger
from duty_tui.registry import load_registry
from duty_tui.store import MAX_RECORD_NUMBER, open_store
from duty_tui.testing import store_url_for

from . import sample_plugin


@pytest.fixture(params=["sqlite", "tinydb", "postgresql"])
def url(request, tmp_path):
    yield from store_url_for(request.param, tmp_path)


def test_a_process_without_a_plugin_keeps_its_records(url):
    with_sample = load_registry(extra=[("sample", sample_plugin)])
    store = open_store(url, with_sample)
    ledger = Ledger.initialise(store, with_sample, "admin")
    ledger.create("unit", {"name": "一村", "kind": "village"})
    ledger.create("person", {"name": "刘明宇", "unit": "unit-1"})
    ledger.create("meeting", {"title": "中心组学习", "date": "2026-03-01", "organizer": "person-1"})
    store.close()

    without = load_registry()
    assert "meeting" not in without.types
    store = open_store(url, without)
    ledger = Ledger.for_login(store, without, "admin")
    out = io.StringIO()
    export_store(ledger, out)
    assert [r["id"] for r in json.loads(out.getvalue())["records"]] == ["unit-1", "person-1", "meeting-1"]
    with store.read() as r:
        assert r.type_counts() == {"unit": 1, "person": 1, "meeting": 1}
        assert r.counters()["meeting"] == 1
    with pytest.raises(ValidationError, match="meeting-1"):
        ledger.delete("person-1")
    assert ledger.find("person-1") is not None
    store.close()


def test_an_import_with_a_number_no_backend_can_key_is_refused(url, tmp_path):
    registry = load_registry()
    source = open_store(f"sqlite:///{tmp_path / 'source.db'}", registry)
    ledger = Ledger.initialise(source, registry, "admin")
    ledger.create("unit", {"name": "一村", "kind": "village"})
    out = io.StringIO()
    export_store(ledger, out)
    source.close()
    doc = json.loads(out.getvalue())
    big = MAX_RECORD_NUMBER + 1
    doc["records"][0].update(id=f"unit-{big}", num=big)
    target = open_store(url, registry)
    with pytest.raises(ValidationError) as refused:
        import_store(target, registry, "admin", json.dumps(doc, ensure_ascii=False))
    assert any(e.field == "records[0].num" and "1 to" in e.reason.render("en") for e in refused.value.errors)
    with target.read() as r:
        assert r.type_counts() == {} and r.audit_head()[0] == 0
    target.close()
