"""Queries run in the store: filters, text search that works on Chinese, sort, page, year."""

from __future__ import annotations

import pytest

from duty_tui.errors import ValidationError
from duty_tui.store import Filter


@pytest.fixture
def people(duty_admin):
    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    duty_admin.create("unit", {"name": "宣传办公室", "kind": "office"})
    for name, unit, post in [("刘明宇", "unit-1", "党委书记"), ("余永福", "unit-2", "宣传委员"),
                             ("张伟", "unit-1", "村支书"), ("Li Ming", "unit-2", "Propaganda officer")]:
        duty_admin.create("person", {"name": name, "unit": unit, "post": post})
    return duty_admin


def names(records):
    return [r.data["name"] for r in records]


@pytest.mark.parametrize("text, expected", [
    ("张伟", ["张伟"]),              # two characters: shorter than a trigram
    ("刘明宇", ["刘明宇"]),          # three: the trigram index
    ("宣传委", ["余永福"]),
    ("书记", ["刘明宇"]),
    ("propaganda", ["Li Ming"]),    # case-insensitive
    ("村 张", ["张伟"]),             # every word must match
    ("无此人", []),
])
def test_text_search(people, text, expected):
    assert names(people.query("person", text=text)) == expected


def test_filter_by_reference_and_sort_descending(people):
    found = people.query("person", where={"unit": "unit-1"}, sort=(("name", True),))
    assert names(found) == sorted(["刘明宇", "张伟"], reverse=True)


def test_paging_is_stable_and_counted(people):
    first = people.query("person", limit=2)
    second = people.query("person", limit=2, offset=2)
    assert [r.id for r in first + second] == ["person-1", "person-2", "person-3", "person-4"]
    assert people.count("person") == 4 and people.count("person", text="宣传") == 1


def test_filters_on_dates_lists_and_years(with_sample, duty_admin):
    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    duty_admin.create("person", {"name": "甲", "unit": "unit-1"})
    duty_admin.create("person", {"name": "乙", "unit": "unit-1"})
    for date, attendees, tags in [("2025-12-31", ["person-1"], ["study"]), ("2026-01-01", ["person-1", "person-2"], []),
                                  ("2026-07-01", ["person-2"], ["forum", "study"])]:
        duty_admin.create("meeting", {"title": f"会 {date}", "date": date, "attendees": attendees, "tags": tags})
    assert [r.id for r in duty_admin.query("meeting", year=2026)] == ["meeting-2", "meeting-3"]
    assert [r.id for r in duty_admin.query("meeting", where={"attendees": "person-2"})] == ["meeting-2", "meeting-3"]
    assert [r.id for r in duty_admin.query("meeting", where={"tags": "study"})] == ["meeting-1", "meeting-3"]
    after = duty_admin.query("meeting", filters=(Filter("date", "gt", "2026-01-01"),))
    assert [r.id for r in after] == ["meeting-3"]
    no_tags = duty_admin.query("meeting", filters=(Filter("tags", "empty"),))
    assert [r.id for r in no_tags] == ["meeting-2"]
    assert [r.id for r in duty_admin.query("meeting", sort=(("date", True),), limit=1)] == ["meeting-3"]


def test_search_follows_edits(people):
    people.update("person-3", {"name": "张卫国"})
    assert names(people.query("person", text="张卫国")) == ["张卫国"]
    assert people.query("person", text="张伟") == []
    people.delete("person-3")
    assert people.query("person", text="张卫国") == []


def test_create_many_is_all_or_nothing_and_names_each_bad_row(duty_admin):
    from duty_tui.errors import ValidationError

    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    rows = [{"name": "甲", "unit": "unit-1"}, {"name": "", "unit": "unit-9"}, {"name": "丙", "post": "x\ny"}]
    with pytest.raises(ValidationError) as bad:
        duty_admin.create_many("person", rows)
    assert sorted(e.field for e in bad.value.errors) == ["row 2.name", "row 2.unit", "row 3.post"]
    assert duty_admin.count("person") == 0
    ids = duty_admin.create_many("person", [rows[0], {"name": "乙"}])
    assert ids == ["person-1", "person-2"]
    assert duty_admin.verify_audit().ok and [e.record_id for e in duty_admin.history()[-2:]] == ids


def test_two_character_chinese_search_after_many_records(duty_admin):
    """Past the batch the search indexes are folded in: two Chinese characters (a name) are
    found through their own index, three or more through trigrams, one by a scan."""
    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    names = ["张伟", "王芳", "张伟国", "李娜", "Zhang Wei"] * 30
    duty_admin.create_many("person", [{"name": n, "unit": "unit-1"} for n in names])
    duty_admin.update("person-1", {"name": "王伟"})
    duty_admin.delete("person-2")
    def found(text):
        return [r.id for r in duty_admin.query("person", text=text, limit=None)]
    everyone = {r.id: r.data["name"].lower() for r in duty_admin.all("person")}
    for text in ("张伟", "伟", "王伟", "张伟国", "wei", "zh"):
        assert found(text) == [rid for rid, name in everyone.items() if text in name], text


def test_filter_by_a_list_of_ids(people):
    assert [r.id for r in people.query("person", filters=(Filter("id", "in", ("person-3", "person-1", "unit-1", "x")),))] == \
        ["person-1", "person-3"]
    assert people.query("person", filters=(Filter("id", "in", ()),)) == []


def test_create_many_asks_the_store_once_per_referenced_record(duty_admin, monkeypatch):
    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    asked = []
    real = duty_admin.store.write

    from contextlib import contextmanager

    @contextmanager
    def counting_write():
        with real() as w:
            original = w.exists
            w.exists = lambda rid: asked.append(rid) or original(rid)
            yield w

    monkeypatch.setattr(duty_admin.store, "write", counting_write)
    duty_admin.create_many("person", [{"name": f"人{i}", "unit": "unit-1"} for i in range(50)])
    assert asked == ["unit-1"]


def test_a_reference_is_filtered_by_the_title_of_what_it_names_and_titles_resolve_references(duty_admin):
    ledger = duty_admin
    station = ledger.create("unit", {"name": "文化站", "kind": "office"}).id
    village = ledger.create("unit", {"name": "东风村", "kind": "village"}).id
    liu = ledger.create("person", {"name": "刘明宇", "unit": station}).id
    zhao = ledger.create("person", {"name": "赵强", "unit": village}).id
    assert [r.id for r in ledger.query("person", where={"unit": "文化站"})] == [liu]
    assert [r.id for r in ledger.query("person", where={"unit": station})] == [liu]
    assert [r.id for r in ledger.query("person", filters=(Filter("unit", "ne", "东风"),))] == [liu]
    with pytest.raises(ValidationError) as nothing:
        ledger.query("person", where={"unit": "卫生院"})
    assert "卫生院" in nothing.value.errors[0].reason.render("zh") and nothing.value.errors[0].field == "unit"
    # a title is the type's title field; an id that names nothing has none
    assert ledger.titles([liu, station, "person-99"]) == {liu: "刘明宇", station: "文化站", "person-99": ""}
    assert ledger.title(ledger.get(zhao)) == "赵强"


def test_the_filter_language_takes_a_list_of_references_by_a_title(with_sample, duty_admin):
    """``attendees:乙`` and ``attendees~乙`` keep the meetings 乙 attended; a title that fits two
    attendees asks for a closer one; ``~`` on a choice is refused naming the term."""
    from duty_tui.present.filtering import parse_filter

    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    for name in ("甲一", "乙二", "乙三"):
        duty_admin.create("person", {"name": name, "unit": "unit-1"})
    duty_admin.create("meeting", {"title": "会一", "date": "2026-03-01", "attendees": ["person-1", "person-2"]})
    duty_admin.create("meeting", {"title": "会二", "date": "2026-04-01", "attendees": ["person-3"]})
    rt = duty_admin.type("meeting")
    for text in ("attendees:乙二", "attendees~乙二", "attendees:person-2"):
        parsed = parse_filter(rt, text)
        assert not parsed.problems and [r.id for r in duty_admin.query("meeting", filters=parsed.filters)] == ["meeting-1"], text
    with pytest.raises(ValidationError) as two:
        duty_admin.query("meeting", filters=parse_filter(rt, "attendees~乙").filters)
    assert "2" in two.value.errors[0].reason.render("en") and "more specific" in two.value.errors[0].reason.render("en")
    assert parse_filter(rt, "tags~stu").problems, "a choice takes no ~"
