"""The read path a county's check goes through, made cheaper (issue 19) and held to what it was:
records typed from a plan per type give exactly what RecordType.from_stored gives, for every
registered type and every shape a stored record may have; a store's ids-only query (and its
query of one field) selects the same ids, in the same order, as its query; "in" filters (one array parameter on PostgreSQL) select
the same records as before, by id and by a text field, with and without a scope. On SQLite and on
the real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from duty_tui.ledger import Ledger, _from_stored
from duty_tui.schema import DATE, LIST_KINDS
from duty_tui.store import Filter, Query

BACKENDS = pytest.mark.parametrize("duty_store_url", ["sqlite", "postgresql"], indirect=True)


def stored_shapes(rt, rng: random.Random):
    """Stored data of ``rt`` as a store may hold it: every field missing, None, or a value of its
    kind (a date as its ISO text, or already a date), and keys the type no longer has."""
    for _ in range(40):
        data = {}
        for f in rt.fields:
            pick = rng.random()
            if pick < 0.25:
                continue
            if pick < 0.4:
                data[f.name] = None
            elif f.kind == DATE:
                day = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
                data[f.name] = day.isoformat() if rng.random() < 0.8 else day
            elif f.kind in LIST_KINDS:
                data[f.name] = [f"x-{i}" for i in range(rng.randint(0, 3))]
            else:
                data[f.name] = rng.choice(["text", "文本", 3, 2.5, True, ""])
        if rng.random() < 0.3:
            data["gone_field"] = "kept by an older version"
        yield data


def test_records_are_typed_exactly_as_the_type_says(duty_registry):
    rng = random.Random(19)
    checked = 0
    for rt in duty_registry.types.values():
        for data in stored_shapes(rt, rng):
            fast, slow = _from_stored(rt, data), rt.from_stored(data)
            assert fast == slow and list(fast) == list(slow), (rt.name, data)
            assert [type(v) for v in fast.values()] == [type(v) for v in slow.values()], (rt.name, data)
            checked += 1
    assert checked >= 40 * 10


@BACKENDS
def test_ids_only_and_in_filters_select_what_the_query_selects(duty_admin: Ledger, duty_store):
    a = duty_admin
    town = a.create("unit", {"name": "甲镇党委", "kind": "committee"}).id
    other = a.create("unit", {"name": "乙镇党委", "kind": "committee"}).id
    villages = [a.create("unit", {"name": f"村{i}", "kind": "village", "parent": town if i % 2 else other}).id for i in range(6)]
    persons = [a.create("person", {"name": f"人{i:02d}", "unit": villages[i % 6]}).id for i in range(30)]
    names = [f"人{i:02d}" for i in range(0, 30, 3)] + ["nobody"]
    queries = [Query("person", (), limit=None), Query("person", (Filter("unit", "in", tuple(villages[:3])),), limit=None),
               Query("person", (Filter("id", "in", tuple(persons[::4]) + ("unit-1", "person-999")),), limit=None),
               Query("person", (Filter("name", "in", tuple(names)),), limit=None),
               Query("person", (Filter("unit", "in", (villages[0],)),), limit=None),
               Query("person", (Filter("id", "in", tuple(persons[:7])),), limit=3, offset=2)]
    expected_counts = [30, 15, 8, 10, 5, 3]
    with duty_store.read() as r:
        for q, n in zip(queries, expected_counts):
            whole = [s.id for s in r.query(q)]
            assert len(whole) == n, q
            assert r.query_ids(q) == whole, q
            assert r.field_of(q, "unit") == [(s.id, s.data.get("unit")) for s in r.query(q)], q
        units = Query("unit", (), limit=None)
        assert r.field_of(units, "parent") == [(s.id, s.data.get("parent")) for s in r.query(units)]
        assert sum(1 for _, parent in r.field_of(units, "parent") if parent) == 6
    # through a scope (its filters are built from ids-only reads): what the town holds
    jia = a.narrowed(town)
    assert {p.id for p in jia.all("person")} == {p for i, p in enumerate(persons) if (i % 6) % 2}
    assert jia.count("person") == 15
