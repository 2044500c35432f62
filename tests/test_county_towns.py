"""Several towns in one store (issue 19, item 2): each town a top unit with its own records and its
own settings; an account bound to a town works within it; a county's check of one town reads that
town only. On SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import pytest

from duty_tui.errors import NotFound, NotPermitted, ValidationError
from duty_tui.ledger import Ledger
from duty_tui.rules import run_rules

BACKENDS = pytest.mark.parametrize("duty_store_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def county(duty_admin: Ledger):
    """Two towns, each with a village; each town one report to the level above, one county-level record."""
    a = duty_admin
    ids = {}
    ids["甲镇"] = a.create("unit", {"name": "甲镇党委", "kind": "committee"}).id
    ids["甲村"] = a.create("unit", {"name": "甲村", "kind": "village", "parent": ids["甲镇"]}).id
    ids["乙镇"] = a.create("unit", {"name": "乙镇党委", "kind": "committee"}).id
    ids["乙村"] = a.create("unit", {"name": "乙村", "kind": "village", "parent": ids["乙镇"]}).id
    for town in ("甲镇", "乙镇"):
        a.create("superior_report", {"date": "2026-06-30", "title": f"{town}上半年意识形态工作汇报", "unit": ids[town]})
    a.create("superior_report", {"date": "2026-07-01", "title": "县委宣传部的汇报"})  # the county's own: no unit
    for name, unit in (("甲村民", "甲村"), ("乙村民", "乙村")):
        ids[name] = a.create("person", {"name": name, "unit": ids[unit]}).id
    a.add_user("jia_admin", "admin", unit=ids["甲镇"])
    a.add_user("jia_clerk", "clerk", unit=ids["甲镇"])
    a.add_user("jiacun", "clerk", unit=ids["甲村"])
    return ids


def as_user(duty_store, duty_registry, name: str) -> Ledger:
    return Ledger.for_login(duty_store, duty_registry, name)


@BACKENDS
def test_a_town_account_reads_and_writes_its_own_town_only(county, duty_store, duty_registry, duty_admin):
    clerk = as_user(duty_store, duty_registry, "jia_clerk")
    assert {r.data["title"] for r in clerk.all("superior_report")} == {"甲镇上半年意识形态工作汇报"}
    assert clerk.count("unit") == 2 and {p.data["name"] for p in clerk.all("person")} == {"甲村民"}
    assert duty_admin.count("superior_report") == 3  # the county sees every town and its own
    other = duty_admin.all("superior_report", unit=county["乙镇"])[0].id
    assert clerk.find(other) is None
    with pytest.raises(NotPermitted, match="甲镇党委"):
        clerk.get(other)
    head = duty_admin.audit_count()
    with pytest.raises(NotPermitted):
        clerk.update(other, {"title": "改"})
    with pytest.raises(NotPermitted):
        clerk.create("person", {"name": "外人", "unit": county["乙村"]})
    with pytest.raises(NotPermitted):  # its own unit cannot be moved out from under it
        as_user(duty_store, duty_registry, "jia_admin").update(county["甲镇"], {"parent": county["乙镇"]})
    assert duty_admin.audit_count() == head
    # a new record of the committee's own work lands in the clerk's town
    made = clerk.create("superior_report", {"date": "2026-12-01", "title": "下半年汇报"})
    assert made.data["unit"] == county["甲镇"]
    # the village clerk sees the village only: no committee report, the village's person
    village = as_user(duty_store, duty_registry, "jiacun")
    assert village.count("superior_report") == 0 and [p.data["name"] for p in village.all("person")] == ["甲村民"]


@BACKENDS
def test_each_town_has_its_own_settings_and_a_town_admin_sets_only_its_own(county, duty_store, duty_registry, duty_admin):
    key = "assessment.superior-reports.min"
    jia, yi = duty_admin.narrowed(county["甲镇"]), duty_admin.narrowed(county["乙镇"])
    town_admin = as_user(duty_store, duty_registry, "jia_admin")
    town_admin.set_setting(key, 1)  # 甲镇 asks one report a year; the store's default stays 2
    assert jia.setting(key) == 1 and yi.setting(key) == 2 and duty_admin.setting(key) == 2
    assert town_admin.settings()[key] == 1
    with pytest.raises(NotPermitted):
        town_admin.set_setting(key, 3, town=county["乙镇"])
    with pytest.raises(NotPermitted):
        as_user(duty_store, duty_registry, "jiacun").set_setting(key, 5)
    with pytest.raises(ValidationError, match="town"):
        duty_admin.set_setting(key, 5, town=county["甲村"])  # a village is no town
    duty_admin.set_setting(key, 3, town=county["乙镇"])
    assert yi.setting(key) == 3 and jia.setting(key) == 1

    def superior(ledger):
        return [f for f in run_rules(ledger, 2026, rule_ids=["assessment.superior-reports"])]

    assert jia.setting("org.name") == "甲镇党委", "a county's town is named by its top unit"
    assert jia.settings()["org.name"] == "甲镇党委", "duty config get lists what the town's documents print"
    duty_admin.set_setting("org.name", "中共甲镇委员会", town=county["甲镇"])
    assert jia.setting("org.name") == "中共甲镇委员会" and yi.setting("org.name") == "乙镇党委"
    assert superior(jia) == []  # one report, one asked
    assert len(superior(yi)) == 1 and "1/3" in superior(yi)[0].message.render("zh")


@BACKENDS
def test_a_town_admin_manages_the_accounts_of_its_town_only(county, duty_store, duty_registry, duty_admin):
    town_admin = as_user(duty_store, duty_registry, "jia_admin")
    assert {u.name for u in town_admin.users()} == {"jia_admin", "jia_clerk", "jiacun"}
    made = town_admin.add_user("jia_viewer", "viewer")
    assert made.unit == county["甲镇"]  # bound where its admin is
    with pytest.raises(NotPermitted, match="outside"):
        town_admin.add_user("outsider", "clerk", unit=county["乙镇"])
    with pytest.raises(NotPermitted):
        town_admin.set_role("admin", "viewer")  # the county's admin is not the town's to change
    with pytest.raises(ValidationError):
        town_admin.set_unit("jiacun", None)  # only the county frees an account
    town_admin.set_unit("jiacun", county["甲镇"])
    assert duty_admin.users()[0].name == "admin" and {u.name: u.unit for u in duty_admin.users()}["jiacun"] == county["甲镇"]
    with pytest.raises(NotPermitted):
        Ledger.for_login(duty_store, duty_registry, "jia_admin", as_user="admin")  # --as stays within the town
    # the audit keeps each binding; the seal holds
    assert duty_admin.verify_store().ok


@BACKENDS
def test_narrowing_stays_within_the_accounts_own_scope(county, duty_store, duty_registry, duty_admin):
    village = as_user(duty_store, duty_registry, "jiacun")
    with pytest.raises(NotPermitted):
        village.narrowed(county["甲镇"])
    with pytest.raises(NotFound):
        duty_admin.narrowed("unit-99")
    assert duty_admin.unit_named("乙镇党委") == county["乙镇"]
    with pytest.raises(NotFound):
        duty_admin.unit_named("丙镇党委")


@BACKENDS
def test_a_town_with_items_of_its_own_is_scored_by_them(county, duty_store, duty_registry, duty_admin):
    from duty_tui_plugins.assessment.table import table_of

    common = {"area": "assessment", "title": "向上级汇报", "points": 10, "method": "rule", "rule": "assessment.superior-reports",
              "deduction": 5, "applies_to": ["committee"]}
    duty_admin.create("assessment_item", common)
    town_admin = as_user(duty_store, duty_registry, "jia_admin")
    own = town_admin.create("assessment_item", {**common, "title": "甲镇：向上级汇报", "points": 15})
    assert own.data["unit"] == county["甲镇"]
    assert [r.data["title"] for r in table_of(duty_admin.narrowed(county["甲镇"]), 2026)] == ["甲镇：向上级汇报"]
    assert [r.data["title"] for r in table_of(duty_admin.narrowed(county["乙镇"]), 2026)] == ["向上级汇报"]
    assert [r.data["title"] for r in table_of(duty_admin, 2026)] == ["向上级汇报"]
    # the common table is read by a town but written by the county only
    with pytest.raises(NotPermitted):
        town_admin.update(table_of(duty_admin, 2026)[0].id, {"points": 1})


def test_an_account_bound_to_the_only_top_unit_sees_the_whole_store(duty_admin, duty_store, duty_registry):
    town = duty_admin.create("unit", {"name": "某镇党委", "kind": "committee"}).id
    duty_admin.create("unit", {"name": "某村", "kind": "village", "parent": town})
    duty_admin.create("superior_report", {"date": "2026-06-30", "title": "汇报"})  # no unit: the town's own
    duty_admin.add_user("clerk", "clerk", unit=town)
    clerk = as_user(duty_store, duty_registry, "clerk")
    assert clerk.count("superior_report") == 1 and clerk.count("unit") == 2
