"""Each town's standing kept for what it depends on (duty_tui.standing_cache, issue 19): what
`duty check --town` and the county dashboard show, taken from the cache when nothing it depends on
changed and computed again for exactly the towns that did: a write in a town, a record moved
between towns (both), a town's setting, a new day, another plugin version; an entry tampered
with, corrupt or foreign is computed again; a bound operator is never given a standing kept for
another scope. Every kept result is compared with the same computation made afresh. On SQLite
and on the real PostgreSQL server."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from duty_tui import standing_cache
from duty_tui.county import check_towns, chosen_towns, towns
from duty_tui.ledger import Ledger
from duty_tui.present.county import build_county
from duty_tui.standing_cache import StandingCache

BACKENDS = pytest.mark.parametrize("duty_store_url", ["sqlite", "postgresql"], indirect=True)
YEAR = 2026
TODAY = dt.date(2026, 11, 30)
A, B, C = "甲镇党委", "乙镇党委", "丙镇党委"


@pytest.fixture
def county(duty_admin: Ledger, tmp_path, monkeypatch):
    """Three towns, each with a village, two persons, a report up and an event; a village clerk of 甲."""
    monkeypatch.setenv("DUTY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(standing_cache.FRESH_ENV, raising=False)
    a = duty_admin
    ids = {}
    for town, village in ((A, "甲村"), (B, "乙村"), (C, "丙村")):
        ids[town] = a.create("unit", {"name": town, "kind": "committee"}).id
        ids[village] = a.create("unit", {"name": village, "kind": "village", "parent": ids[town]}).id
        ids[town + "书记"] = a.create("person", {"name": town[0] + "书记", "unit": ids[town]}).id
        ids[village + "民"] = a.create("person", {"name": village + "民", "unit": ids[village]}).id
        ids[town + "汇报"] = a.create("superior_report", {"date": "2026-06-30", "title": f"{town}汇报", "unit": ids[town]}).id
        ids[village + "活动"] = a.create("event", {"title": f"{village}宣讲", "kind": "lecture", "date": "2026-05-01",
                                                  "organizer_unit": ids[village]}).id
    a.add_user("jiacun", "clerk", unit=ids["甲村"])
    a.add_user("jia", "admin", unit=ids[A])
    standing_cache.computed.clear()
    return ids


def as_json(groups):
    return [[f.as_json(lang) for f in found for lang in ("zh", "en")] for found in groups]


def check(ledger, cache=None, today=TODAY, **kw):
    chosen = chosen_towns(ledger, "all", YEAR)
    standing_cache.computed.clear()
    kept = check_towns(ledger, chosen, YEAR, jobs=1, cache=cache if cache is not None else StandingCache(ledger), today=today, **kw)
    computed = [unit for kind, unit in standing_cache.computed]
    fresh = check_towns(ledger, chosen, YEAR, jobs=1, cache=False, today=today, **kw)
    assert as_json(kept) == as_json(fresh), "a kept check gives what a fresh one gives"
    return computed


def standings(ledger, cache=None, today=TODAY):
    """The county's standings with the cache (and which towns were computed), checked against a fresh build."""
    found = towns(ledger, YEAR)
    standing_cache.computed.clear()
    kept = build_county(found, YEAR, today, registry=ledger.registry, cache=cache or StandingCache(ledger), ledger=ledger)
    computed = [unit for kind, unit in standing_cache.computed]
    fresh = build_county(towns(ledger, YEAR), YEAR, today, registry=ledger.registry)
    assert shown(kept) == shown(fresh), "a kept standing shows what a fresh one shows"
    return computed, kept


def shown(county):
    return [(t.name, t.unit, t.kind, {a: dataclasses.astuple(s) for a, s in t.areas.items()}, t.score, t.score_problem,
             [f.as_json(lang) for f in t.findings for lang in ("zh", "en")], [e.as_json() for e in t.overdue], t.overdue_count, t.records,
             t.problem, t.light("leadership")) for t in county.towns]


@BACKENDS
def test_a_kept_check_and_standing_equal_fresh_ones_and_a_write_in_a_town_recomputes_that_town_only(county, duty_admin):
    assert check(duty_admin) == [county[A], county[B], county[C]]  # nothing kept yet
    assert check(duty_admin) == []  # all kept
    computed, first = standings(duty_admin)
    assert computed == [county[A], county[B], county[C]]
    assert any(t.findings for t in first.towns), "the fixture's towns have findings to keep"
    assert standings(duty_admin)[0] == []
    duty_admin.update(county["乙村活动"], {"venue": "乙村礼堂"})  # a record of 乙's village
    assert check(duty_admin) == [county[B]]
    assert standings(duty_admin)[0] == [county[B]]
    duty_admin.create("person", {"name": "丙镇新人", "unit": county[C]})
    assert check(duty_admin) == [county[C]] and check(duty_admin) == []
    # what is asked is part of the key: another rule set is another entry
    assert check(duty_admin, rule_ids=["assessment.superior-reports"]) == [county[A], county[B], county[C]]


@BACKENDS
def test_a_record_or_a_unit_moved_between_towns_makes_both_stale(county, duty_admin):
    check(duty_admin)
    duty_admin.update(county["甲村民"], {"unit": county["乙村"]})  # a person of 甲 moves to 乙
    assert sorted(check(duty_admin)) == sorted([county[A], county[B]])
    duty_admin.update(county["丙村"], {"parent": county[A]})  # 丙's village, its event and person, go to 甲
    assert sorted(check(duty_admin)) == sorted([county[A], county[C]])
    assert check(duty_admin) == []
    duty_admin.delete(county["丙村活动"])  # now 甲's
    assert check(duty_admin) == [county[A]]


@BACKENDS
def test_a_towns_setting_a_new_day_and_a_plugin_version_make_it_stale(county, duty_admin, monkeypatch):
    check(duty_admin)
    duty_admin.set_setting("assessment.superior-reports.min", 1, town=county[B])
    assert check(duty_admin) == [county[B]]
    duty_admin.set_setting("assessment.superior-reports.min", 3)  # the store's: every town's
    assert check(duty_admin) == [county[A], county[B], county[C]]
    assert check(duty_admin, today=TODAY + dt.timedelta(days=1)) == [county[A], county[B], county[C]]
    assert check(duty_admin) == []  # the day before is still kept
    plugin = next(p for p in duty_admin.registry.plugins if p.status == "loaded")
    monkeypatch.setattr(plugin, "version", (plugin.version or "") + ".post1")
    assert check(duty_admin) == [county[A], county[B], county[C]]


@BACKENDS
def test_an_entry_tampered_with_corrupt_or_foreign_is_computed_again(county, duty_admin):
    cache = StandingCache(duty_admin)
    check(duty_admin, cache)
    files = [p for p in cache.dir.glob("*.json") if not p.name.startswith("positions")]
    assert len(files) == 3
    entries = {json.loads(p.read_bytes().partition(b"\n")[0])["key"]["town"]: p for p in files}
    original = {town: p.read_bytes() for town, p in entries.items()}
    # 甲's: its body changed (a finding's text), the digest left as it was
    head, _, body = original[county[A]].partition(b"\n")
    assert "甲".encode() in body
    entries[county[A]].write_bytes(head + b"\n" + body.replace("甲".encode(), "乙".encode(), 1))
    # 乙's: not JSON at all
    entries[county[B]].write_bytes(b"\x00garbage")
    # 丙's: 甲's entry, whole and with its own right digest, put in its place
    entries[county[C]].write_bytes(original[county[A]])
    assert check(duty_admin, cache) == [county[A], county[B], county[C]]
    assert check(duty_admin, cache) == []  # written anew, trusted again
    # the positions' checkpoint tampered with: every town is taken as changed, none wrongly kept
    checkpoint = next(cache.dir.glob("positions-*.json"))
    entry = json.loads(checkpoint.read_bytes())
    entry["body"]["seq"] -= 1
    checkpoint.write_text(json.dumps(entry), encoding="utf-8")
    duty_admin.update(county["乙村活动"], {"venue": "礼堂"})
    assert check(duty_admin, cache) == [county[A], county[B], county[C]]


@BACKENDS
def test_fresh_recomputes_everything_and_keeps_it(county, duty_admin, monkeypatch):
    check(duty_admin)
    monkeypatch.setenv(standing_cache.FRESH_ENV, "1")
    assert check(duty_admin) == [county[A], county[B], county[C]]
    monkeypatch.delenv(standing_cache.FRESH_ENV)
    assert check(duty_admin) == []


@BACKENDS
def test_a_bound_operator_is_never_given_a_standing_kept_for_another_scope(county, duty_admin, duty_store, duty_registry):
    check(duty_admin)
    standings(duty_admin)
    admin_cache = StandingCache(duty_admin)
    clerk = Ledger.for_login(duty_store, duty_registry, "jiacun")
    clerk_cache = StandingCache(clerk)
    assert clerk_cache.dir == admin_cache.dir, "one store, one folder: the key tells the scopes apart"
    computed, county_view = standings(clerk, clerk_cache)
    assert [t.unit for t in county_view.towns] == [county["甲村"]] and computed == [county["甲村"]]
    records = {r for t in county_view.towns for f in t.findings for r in f.records}
    assert not records & {county["乙村活动"], county["丙村活动"], county[B + "汇报"], county[C + "汇报"]}
    # the admin's kept standing of 甲 put where the clerk's would be: foreign, computed again
    found = towns(clerk, YEAR)
    clerk_key = clerk_cache.key("standing", found[0], "x", "y", year=YEAR)
    admin_key = admin_cache.key("standing", towns(duty_admin, YEAR)[0], "x", "y", year=YEAR)
    assert clerk_key["scope"] == county["甲村"] and admin_key["scope"] is None and clerk_key != admin_key
    admin_cache.put(admin_key, {"areas": {}, "score": None, "findings": [], "overdue": [], "records": 0})
    clerk_cache.path_of(clerk_key).write_bytes(admin_cache.path_of(admin_key).read_bytes())
    assert clerk_cache.get(clerk_key) is None
    # a town's own admin, bound to the town: its own view, kept for it alone
    town_admin = Ledger.for_login(duty_store, duty_registry, "jia")
    assert check(town_admin) == [county[A]] and check(town_admin) == []
    assert check(clerk) == [county["甲村"]] and check(clerk) == []
    duty_admin.update(county["乙村活动"], {"venue": "礼堂"})  # outside both
    assert check(clerk) == [] and check(town_admin) == []
    duty_admin.update(county["甲村活动"], {"venue": "礼堂"})
    assert check(clerk) == [county["甲村"]] and check(town_admin) == [county[A]]


def test_the_cli_check_is_the_same_kept_or_fresh(county, duty_admin, duty_cli, monkeypatch):
    first = duty_cli("check", "--town", "all", "--year", str(YEAR), "--json")
    assert len(standing_cache.computed) == 3
    standing_cache.computed.clear()
    again = duty_cli("check", "--town", "all", "--year", str(YEAR), "--json")
    assert standing_cache.computed == [] and again.stdout == first.stdout and again.exit_code == first.exit_code
    standing_cache.computed.clear()
    flag = duty_cli("check", "--town", "all", "--year", str(YEAR), "--json", "--fresh")
    assert len(standing_cache.computed) == 3 and flag.stdout == first.stdout, "--fresh checks every town again"
    standing_cache.computed.clear()
    monkeypatch.setenv(standing_cache.FRESH_ENV, "1")
    fresh = duty_cli("check", "--town", "all", "--year", str(YEAR), "--json")
    assert len(standing_cache.computed) == 3 and fresh.stdout == first.stdout
    assert any(t["findings"] for t in json.loads(first.stdout)["towns"])


def test_the_tagged_json_gives_back_what_it_was_given():
    from fractions import Fraction

    from duty_tui.i18n import L
    from duty_tui.present.county import TownScore
    from duty_tui.rules import Finding, Fix

    value = {"f": [Finding("a.b", "error", "a", L("缺{n}", "missing {n}").format(n=L("一", "one")), ("x-1",),
                           fix=Fix("appraisal", {"person": "person-1", "year": 2026, "on": dt.date(2026, 1, 2)}))],
             "s": TownScore(Fraction(97, 2), 100, 1, True), (1, "t"): 1.5}
    back = standing_cache.decode(json.loads(json.dumps(standing_cache.encode(value))))
    assert back == value and back["f"][0].fix == value["f"][0].fix and back["f"][0].message.args == value["f"][0].message.args
    with pytest.raises(standing_cache.Uncacheable):
        standing_cache.encode(Finding("a.b", "failed", "a", "x", error=RuntimeError("boom")))
    with pytest.raises(standing_cache.Uncacheable):
        standing_cache.encode(object())


def test_operators_sharing_a_standings_folder_use_each_others_standings(county, duty_admin, duty_store, duty_registry,
                                                                         tmp_path, monkeypatch):
    """DUTY_STANDINGS_DIR names the folder (a group's, shared by a county's operators): a second
    admin of the whole store is given what the first computed; the folder's files follow the umask."""
    import os
    import stat

    shared = tmp_path / "shared-standings"
    monkeypatch.setenv(standing_cache.FOLDER_ENV, str(shared))
    duty_admin.add_user("second", "admin")
    old = os.umask(0o007)
    try:
        assert check(duty_admin) == [county[A], county[B], county[C]]
    finally:
        os.umask(old)
    second = Ledger.for_login(duty_store, duty_registry, "second")
    assert check(second) == []
    kept = [p for p in shared.rglob("*.json")]
    assert kept and all(stat.S_IMODE(p.stat().st_mode) == 0o660 for p in kept)
    assert all(stat.S_IMODE(p.parent.stat().st_mode) == 0o770 for p in kept)


@BACKENDS
def test_a_town_with_more_overdue_than_kept_shows_them_all_counted_and_the_oldest_first(county, duty_admin):
    """A standing holds the count of what is overdue and the oldest few (OLDEST_KEPT): the row's
    figure and the report's sentence count them all, kept or fresh, and the oldest is the oldest."""
    from duty_tui.present.county import OLDEST_KEPT

    a = duty_admin
    days = [f"2026-0{m}-{d:02d}" for m in (3, 4) for d in (3, 9, 17, 25)][: OLDEST_KEPT + 3]
    for day in reversed(days):  # created newest first: the order of ids is not the order of days
        a.create("event", {"title": f"逾期宣讲{day}", "kind": "lecture", "date": day, "organizer_unit": county["甲村"]})
    _, kept = standings(a)  # computed, kept; then read again, kept
    _, again = standings(a)
    for built in (kept, again):
        jia = next(t for t in built.towns if t.name == A)
        assert jia.overdue_count >= len(days) + 1 and len(jia.overdue) == OLDEST_KEPT
        assert jia.overdue[0].title == f"逾期宣讲{days[0]}"
        assert [e.due for e in jia.overdue] == sorted(e.due for e in jia.overdue)
    assert any(t.origin == "kept" for t in again.towns)
