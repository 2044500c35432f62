"""Ledgers (台账) as spreadsheets: written a sheet per record type with headers in the document's
language, read back (xlsx or CSV) into an empty store giving the same records, into the store that
wrote them changing only the rows that changed (their version checked), and a file with a bad row
in the middle imported not at all, each bad row named with its sheet, row, field, column and reason."""

from __future__ import annotations

import csv

import pytest

from duty_tui.errors import ValidationError
from duty_tui.ledger import Ledger
from duty_tui.reports.ledgers import export_ledgers, import_ledgers, read_ledger_file
from duty_tui.store import open_store

pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "leadership")

YEAR = 2025


@pytest.fixture
def town(duty_admin):
    """Units three deep (a sheet that refers to itself), persons, leaders with divisions,
    study sessions with attendees, duty items; every kind of field the ledgers carry."""
    ledger = duty_admin
    ids = {}
    # the village is created before its parent would sort first, to test the self-reference order
    ids["委"] = ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id
    ids["村"] = ledger.create("unit", {"name": "东风村", "kind": "village", "parent": ids["委"]}).id
    ids["组"] = ledger.create("unit", {"name": "东风村一组", "kind": "other", "parent": ids["村"], "notes": "第一行\n第二行"}).id
    for name in ("刘明宇", "余永福", "王建国"):
        ids[name] = ledger.create("person", {"name": name, "unit": ids["委"], "phone": "13800000000"}).id
    ledger.create("leader", {"person": ids["刘明宇"], "role": "first_responsible", "since": "2021-03-01"})
    ledger.create("leader", {"person": ids["余永福"], "role": "direct_responsible", "divisions": [ids["村"], ids["组"]]})
    ledger.create("study_session", {"date": "2025-03-02", "topic": "学习会一", "ideology": True, "presenter": ids["刘明宇"],
                                    "attendees": [ids["刘明宇"], ids["余永福"]], "hours": 2.5})
    ledger.create("study_session", {"date": "2025-06-02", "topic": "学习会二", "ideology": False, "hours": 3,
                                    "attendees": [ids["王建国"]], "absentees": [ids["余永福"]]})
    ledger.create("study_session", {"date": "2024-06-02", "topic": "去年的", "attendees": [ids["王建国"]]})
    ledger.create("duty_item", {"title": "网络阵地管理", "owner": ids["余永福"], "area": "positions", "unit": ids["村"], "due": "2025-12-31"})
    return type("Town", (), {"ledger": ledger, "ids": ids})


def records_of(ledger: Ledger, year: int | None = YEAR) -> dict[str, list]:
    out = {}
    for name, rt in ledger.registry.types.items():
        out[name] = [(r.id, r.data) for r in ledger.query(name, year=year if rt.year_field else None, sort=(("id", False),), limit=None)]
    return out


def fresh_ledger(duty_registry, tmp_path, name="other"):
    store = open_store(f"sqlite:///{tmp_path / (name + '.db')}", duty_registry)
    return Ledger.initialise(store, duty_registry, "admin")


def mapped(data: dict, ids: dict[str, str]) -> dict:
    def m(v):
        if isinstance(v, list):
            return [ids.get(x, x) if isinstance(x, str) else x for x in v]
        return ids.get(v, v) if isinstance(v, str) else v
    return {k: m(v) for k, v in data.items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_ledger_exported_then_imported_into_an_empty_store_gives_the_same_records(town, duty_registry, tmp_path, lang):
    path = tmp_path / "ledgers.xlsx"
    counts = export_ledgers(town.ledger, YEAR, path, lang)
    assert counts["study_session"] == 2 and counts["unit"] == 3  # the year's sessions; the whole directory

    other = fresh_ledger(duty_registry, tmp_path)
    result = import_ledgers(other, read_ledger_file(path, duty_registry))
    assert result["counts"] == {k: v for k, v in counts.items() if v}
    before, after = records_of(town.ledger), records_of(other)
    for name in before:
        want = [mapped(data, result["ids"]) for _, data in before[name]]
        got = [data for _, data in after[name]]
        assert sorted(map(repr, got)) == sorted(map(repr, want)), name
    # an empty store numbered them as they were
    assert result["ids"] == {i: i for i in result["ids"]}
    assert other.verify_audit().ok


def test_the_sheets_and_headers_are_in_the_operators_language(town, tmp_path):
    from openpyxl import load_workbook

    for lang, sheet, header in (("zh", "中心组学习", "参加人员"), ("en", "Central study session", "Attendees")):
        path = tmp_path / f"{lang}.xlsx"
        export_ledgers(town.ledger, YEAR, path, lang)
        wb = load_workbook(path)
        names = {ws.title: ws for ws in wb.worksheets}
        assert any(n.startswith(sheet) for n in names), names
        ws = next(ws for n, ws in names.items() if n.startswith(sheet))
        assert header in [c.value for c in ws[1]]


def test_a_bad_row_in_the_middle_imports_nothing_and_names_each_bad_row(town, duty_registry, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "ledgers.xlsx"
    export_ledgers(town.ledger, YEAR, path, "en")
    wb = load_workbook(path)
    ws = wb["Central study session"]
    headers = [c.value for c in ws[1]]
    ws.insert_rows(3)  # between the two sessions
    ws.cell(3, headers.index("Date") + 1, "31/02/2025")
    ws.cell(3, headers.index("Topic") + 1, "坏的一行")
    ws.cell(3, headers.index("Attendees") + 1, "person-99")
    ws.cell(4, headers.index("Hours") + 1, "two")  # the second session, now on row 4
    wb.save(path)

    other = fresh_ledger(duty_registry, tmp_path)
    with other.store.read() as r:
        head = r.audit_head()
    with pytest.raises(ValidationError) as caught:
        import_ledgers(other, read_ledger_file(path, duty_registry))
    problems = {e.field: e.reason.render("en") for e in caught.value.errors}
    # each named by sheet, row and field, and by the column as the spreadsheet shows it
    assert "put the year first" in problems["Central study session row 3.date (B Date)"]
    assert problems["Central study session row 4.hours (H Hours)"] == "must be a number, not “two”"
    # nothing at all was written: not the units and persons of the sheets before, nor an audit entry
    assert all(other.count(t) == 0 for t in duty_registry.types)
    with other.store.read() as r:
        assert r.audit_head() == head


def test_a_csv_of_one_type_imports_with_headers_in_either_language(town, duty_registry, tmp_path):
    path = tmp_path / "people.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["姓名", "Unit", "post"])
        w.writerow(["赵六", town.ids["村"], "村支书"])
        w.writerow(["钱七", "", ""])
    result = import_ledgers(town.ledger, read_ledger_file(path, duty_registry, "person"))
    assert result["counts"] == {"person": 2}
    assert town.ledger.get("person-4").data["unit"] == town.ids["村"]
    with pytest.raises(ValidationError) as caught:
        read_ledger_file(path, duty_registry)  # a CSV says nothing of its type
    assert caught.value.errors[0].field == "--type"


def test_duty_import_ledger_prints_each_bad_row_and_exits_2(cli, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("Name,Kind,Parent unit\n一村,village,\n二村,castle,\n三村,village,unit-77\n", encoding="utf-8")
    result = cli("import-ledger", str(path), "--type", "unit")
    assert result.exit_code == 2
    assert "units.csv row 3.kind" in result.stderr and "castle" in result.stderr
    assert "units.csv row 4.parent" in result.stderr and "unit-77" in result.stderr
    assert cli("list", "unit").stdout.count("村") == 0

    path.write_text("名称,类别,上级单位,编号\n一村,village,,u1\n一组,other,u1,u2\n", encoding="utf-8")
    ok = cli("import-ledger", str(path), "--type", "unit", "--json")
    assert ok.exit_code == 0, ok.stderr
    assert '"unit-2"' in ok.stdout


def test_duty_report_xlsx_then_import_ledger_through_the_cli(cli, duty_cli, tmp_path):
    cli("add", "unit", "name=一村", "kind=village")
    out = tmp_path / "l.xlsx"
    result = cli("report", "--year", "2025", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.exists() and "sheets" in result.stderr
    assert cli("report", "--format", "xlsx").exit_code == 2  # needs -o


def edit(path, sheet_name, changes, append=None):
    """Change cells of an exported workbook: {(id, header): value}; ``append`` a row by header."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[sheet_name]
    headers = [c.value for c in ws[1]]
    rows = {ws.cell(r, headers.index("ID") + 1).value: r for r in range(2, ws.max_row + 1)}
    for (rid, header), value in changes.items():
        ws.cell(rows[rid], headers.index(header) + 1).value = value
    if append:
        ws.append([append.get(h) for h in headers])
    wb.save(path)
    return ws.max_row


def test_the_same_store_reads_its_english_workbook_back_writing_nothing(town, duty_registry, tmp_path):
    path = tmp_path / "en.xlsx"
    export_ledgers(town.ledger, YEAR, path, "en")
    with town.ledger.store.read() as r:
        head = r.audit_head()
    result = import_ledgers(town.ledger, read_ledger_file(path, duty_registry))
    assert result["written"] == 0 and result["same_store"] and result["unchanged"] == sum(
        len(v) for v in records_of(town.ledger).values())
    with town.ledger.store.read() as r:
        assert r.audit_head() == head


def test_a_copied_row_keeping_its_id_is_told_to_clear_it(town, duty_registry, tmp_path):
    path = tmp_path / "l.xlsx"
    export_ledgers(town.ledger, YEAR, path, "en")
    row = edit(path, "Person", {}, append={"Name": "复制的", "ID": town.ids["刘明宇"], "Version": 1})
    with pytest.raises(ValidationError) as caught:
        import_ledgers(town.ledger, read_ledger_file(path, duty_registry))
    problems = {e.field: e.reason.render("en") for e in caught.value.errors}
    assert problems == {f"Person row {row}.id (G ID)": f"the ID {town.ids['刘明宇']} is on row 2 already (clear the ID of a copied row)"}


def test_a_name_two_records_share_asks_for_the_id_and_the_id_settles_it(town, duty_registry, tmp_path):
    town.ledger.create("person", {"name": "刘明宇", "unit": town.ids["村"]})  # a namesake
    path = tmp_path / "l.xlsx"
    export_ledgers(town.ledger, YEAR, path, "en")
    row = edit(path, "Leading group member", {}, append={"Person": "刘明宇", "Role": "班子成员(一岗双责)"})
    with pytest.raises(ValidationError) as caught:
        import_ledgers(town.ledger, read_ledger_file(path, duty_registry))
    [problem] = caught.value.errors
    assert problem.field == f"Leading group member row {row}.person (B Person)"
    assert problem.reason.render("en").startswith("2 records of Person are named “刘明宇”")
    assert "give the ID in the column “Person (ID)”" in problem.reason.render("en")

    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Leading group member"]
    headers = [c.value for c in ws[1]]
    ws.cell(row, headers.index("Person (ID)") + 1, town.ids["刘明宇"])
    wb.save(path)
    result = import_ledgers(town.ledger, read_ledger_file(path, duty_registry))
    assert result["created"] == {"leader": 1} and result["written"] == 1
    new = result["ids"][f"@Leading group member:{row}"]
    assert town.ledger.get(new).data["person"] == town.ids["刘明宇"]


def test_a_changed_row_without_its_version_or_of_a_deleted_record_is_refused(town, duty_registry, tmp_path):
    path = tmp_path / "l.xlsx"
    export_ledgers(town.ledger, YEAR, path, "en")
    edit(path, "Person", {(town.ids["余永福"], "Post"): "委员", (town.ids["余永福"], "Version"): None})
    extra = town.ledger.create("person", {"name": "临时"})
    export_ledgers(town.ledger, YEAR, tmp_path / "with-extra.xlsx", "en")
    town.ledger.delete(extra.id)
    with pytest.raises(ValidationError) as caught:
        import_ledgers(town.ledger, read_ledger_file(path, duty_registry))
    [problem] = caught.value.errors
    assert problem.field == "Person row 3.version (H Version)" and "has no version" in problem.reason.render("en")
    with pytest.raises(ValidationError) as caught:
        import_ledgers(town.ledger, read_ledger_file(tmp_path / "with-extra.xlsx", duty_registry))
    assert [e.reason.render("en") for e in caught.value.errors] == [
        f"{extra.id} is no longer in the store (deleted since the export?); to add it again, clear its ID"]


def test_a_workbook_of_another_store_adds_its_rows_beside_what_is_there(town, duty_registry, tmp_path):
    path = tmp_path / "l.xlsx"
    export_ledgers(town.ledger, YEAR, path, "zh")
    other = fresh_ledger(duty_registry, tmp_path)
    mine = other.create("unit", {"name": "别的镇", "kind": "committee"})
    result = import_ledgers(other, read_ledger_file(path, duty_registry))
    assert not result["same_store"] and result["updated"] == {} and result["counts"]["unit"] == 3
    assert other.get(mine.id).data["name"] == "别的镇" and other.get(mine.id).version == 1  # unit-1 there is not the file's unit-1
    village = result["ids"][town.ids["村"]]
    assert village != town.ids["村"] and other.get(village).data["parent"] == result["ids"][town.ids["委"]]


def test_the_progress_of_an_import_counts_every_row_changed_added_or_left_alone(town, duty_registry, tmp_path):
    path = tmp_path / "l.xlsx"
    export_ledgers(town.ledger, YEAR, path, "en")
    edit(path, "Person", {(town.ids["余永福"], "Post"): "委员"}, append={"Name": "新人"})
    ticks = []
    result = import_ledgers(town.ledger, read_ledger_file(path, duty_registry), progress=ticks.append)
    assert result["created"] == {"person": 1} and result["updated"] == {"person": 1}
    assert sum(ticks) == sum(len(s.rows) for s in read_ledger_file(path, duty_registry))


def test_the_store_a_workbook_came_from_survives_a_program_that_drops_custom_properties(town, duty_registry, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "l.xlsx"
    export_ledgers(town.ledger, YEAR, path, "en")
    wb = load_workbook(path)
    wb.custom_doc_props.props.clear()  # as a program that does not keep them would save it
    wb.save(path)
    assert import_ledgers(town.ledger, read_ledger_file(path, duty_registry))["written"] == 0
    wb = load_workbook(path)
    del wb.defined_names["duty_tui_store"]
    wb.save(path)
    # with neither, the file is another store's: its rows are added
    result = import_ledgers(town.ledger, read_ledger_file(path, duty_registry))
    assert not result["same_store"] and result["created"]["person"] == 3


def test_a_title_holding_a_list_comma_is_one_reference_not_two(town, duty_registry, tmp_path):
    """Offices are named 宣传、文化办公室: a person's 单位 cell typed with that name is one unit."""
    office = town.ledger.create("unit", {"name": "宣传、文化办公室", "kind": "office", "parent": town.ids["委"]}).id
    path = tmp_path / "l.xlsx"
    export_ledgers(town.ledger, YEAR, path, "en")
    row = edit(path, "Person", {}, append={"Name": "新同志", "Unit": "宣传、文化办公室"})
    result = import_ledgers(town.ledger, read_ledger_file(path, duty_registry))
    assert result["created"] == {"person": 1}
    assert town.ledger.get(result["ids"][f"@Person:{row}"]).data["unit"] == office
