"""The record verbs of the CLI contract, as an operator uses them."""

from __future__ import annotations


def audit_actions(cli, record_id):
    return [(e["action"], e["record_id"]) for e in cli("audit", record_id, "--json").json()]


def test_add_prints_short_typable_ids(cli):
    unit = cli("add", "unit", "name=一村", "kind=village", "--json")
    assert unit.exit_code == 0, unit.stderr
    assert unit.json()["id"] == "unit-1"
    assert unit.json()["name"] == "一村" and unit.json()["version"] == 1
    person = cli("add", "person", "name=刘明宇", "unit=unit-1", "post=党委书记")
    assert person.exit_code == 0, person.stderr
    assert person.stdout.strip() == "person-1"


def test_list_show_edit_delete_each_appear_in_the_audit(cli):
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1", "post=党委书记")

    listed = cli("list", "person", "--json").json()
    assert [p["id"] for p in listed] == ["person-1"]
    shown = cli("show", "person-1", "--json").json()
    assert shown == listed[0] and shown["unit"] == "unit-1"

    edited = cli("edit", "person-1", "post=书记", "--json")
    assert edited.exit_code == 0, edited.stderr
    assert edited.json()["post"] == "书记" and edited.json()["version"] == 2

    deleted = cli("delete", "person-1")
    assert deleted.exit_code == 0, deleted.stderr
    assert cli("show", "person-1").exit_code == 2

    assert audit_actions(cli, "person-1") == [("create", "person-1"), ("update", "person-1"), ("delete", "person-1")]
    history = cli("audit", "person-1", "--json").json()
    assert '"post":"书记"' in history[1]["after"] and history[2]["after"] is None


def test_human_list_keeps_chinese_columns_aligned(cli):
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "unit", "name=Office of Propaganda", "kind=office")
    out = cli("--lang", "zh", "list", "unit").stdout.splitlines()
    # the "类别" column starts at the same display column on every row
    from duty_tui.present.display import cells as width

    starts = [width(line[: line.index(label)]) for line, label in zip(out[2:4], ("村委会", "办公室"))]
    assert starts[0] == starts[1]
    assert "共 2 条" in out[-1]


def test_edit_can_empty_a_field_and_show_names_the_reference(cli):
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1", "post=党委书记")
    assert cli("edit", "person-1", "post=", "--json").json()["post"] is None
    shown = cli("show", "person-1").stdout
    assert "一村 (unit-1)" in shown


def test_unchanged_edit_writes_nothing(cli):
    cli("add", "unit", "name=一村", "kind=village")
    before = len(cli("audit", "--json").json())
    again = cli("edit", "unit-1", "name=一村", "--json")
    assert again.exit_code == 0 and again.json()["version"] == 1
    assert len(cli("audit", "--json").json()) == before


def test_a_referenced_record_cannot_be_deleted(cli):
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1")
    refused = cli("delete", "unit-1")
    assert refused.exit_code == 2
    assert "person-1" in refused.stderr
    assert cli("show", "unit-1").exit_code == 0


def test_list_filters_sorts_and_pages_in_the_store(cli):
    for name, kind in [("一村", "village"), ("二村", "village"), ("宣传办", "office"), ("三村", "village")]:
        cli("add", "unit", f"name={name}", f"kind={kind}")
    villages = cli("list", "unit", "--where", "kind=village", "--sort", "-name", "--json").json()
    assert [u["name"] for u in villages] == sorted(["一村", "二村", "三村"], reverse=True)
    page = cli("list", "unit", "--limit", "2", "--offset", "1", "--json").json()
    assert [u["id"] for u in page] == ["unit-2", "unit-3"]
    found = cli("list", "unit", "--search", "宣传", "--json").json()
    assert [u["id"] for u in found] == ["unit-3"]
    by_label = cli("list", "unit", "--where", "kind=办公室", "--json").json()
    assert [u["id"] for u in by_label] == ["unit-3"]


def test_list_of_unknown_field_names_it(cli):
    bad = cli("list", "unit", "--where", "colour=red")
    assert bad.exit_code == 2
    assert "colour" in bad.stderr


def test_unknown_type_is_bad_input(cli):
    bad = cli("add", "spaceship", "name=x")
    assert bad.exit_code == 2
    assert "spaceship" in bad.stderr and "unit" in bad.stderr


def test_types_lists_fields_in_json(cli):
    types = {t["name"]: t for t in cli("types", "--json").json()}
    assert {"unit", "person"} <= set(types)
    person_fields = {f["name"]: f for f in types["person"]["fields"]}
    assert person_fields["name"]["required"] is True
    assert person_fields["unit"]["kind"] == "reference" and person_fields["unit"]["target"] == "unit"


def test_list_takes_the_filter_language_of_the_tui_and_references_by_title(cli):
    cli("add", "unit", "name=文化站", "kind=office")
    cli("add", "unit", "name=东风村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1", "post=站长")
    cli("add", "person", "name=赵强", "unit=unit-2", "post=书记")
    cli("add", "person", "name=赵文", "unit=unit-2", "post=文书")
    ids = lambda *args: [p["id"] for p in cli("list", "person", *args, "--json").json()]  # noqa: E731
    # a reference by what its record is called, in --where and in --filter alike
    assert ids("--where", "unit:文化站") == ids("--filter", "unit:文化站") == ids("--where", "unit=unit-1") == ["person-1"]
    assert ids("--filter", "所在单位:东风 赵") == ["person-2", "person-3"]  # a label, a title, a word
    assert ids("--where", "post=书记") == ["person-2"] and ids("--where", "name~赵") == ["person-2", "person-3"]
    # a title that names nothing, and a term that is not a term, say so and name the option
    missing = cli("list", "person", "--where", "unit:没有的单位")
    assert missing.exit_code == 2 and "没有的单位" in missing.stderr and "unit" in missing.stderr
    bad = cli("list", "person", "--where", "赵强")
    assert bad.exit_code == 2 and "--where" in bad.stderr and "FIELD=VALUE" in bad.stderr


def test_the_human_list_shows_references_by_title_with_their_id(cli):
    cli("add", "unit", "name=文化站", "kind=office")
    cli("add", "person", "name=刘明宇", "unit=unit-1", "post=站长")
    assert "文化站 (unit-1)" in cli("list", "person").stdout
