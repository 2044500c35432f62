"""The ledgers of the demo town as an office uses them: written by `duty report --format xlsx`,
read as a reviewer reads them (an index, labels in Chinese, names not ids, real dates), and read
back by `duty import-ledger`: into the store that wrote them nothing changes, a changed cell
changes that record (a new version, audited), a row made from an old version is refused, and
into an empty store (an admin, with a leader for the leader's steps) they give the same records."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from duty_tui.ledger import Ledger
from duty_tui.present.display import cells
from duty_tui.store import open_store

ID = re.compile(r"^[a-z][a-z0-9_]*-\d+$")


@pytest.fixture
def demo(duty_cli, tmp_path):
    """The demo town in a store of its own and its ledgers of this year, written by the CLI."""
    assert duty_cli("demo", "--no-tui").exit_code == 0
    zone = duty_cli("config", "get", "org.timezone").stdout.strip()
    year = dt.datetime.now(ZoneInfo(zone)).year
    path = tmp_path / "台账.xlsx"
    result = duty_cli("report", "--year", str(year), "--format", "xlsx", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    return type("Demo", (), {"cli": duty_cli, "path": path, "year": year})


def audit_length(cli, *db: str) -> int:
    return len(cli(*db, "audit", "--json").json())


def rows(path, leaving=()) -> int:
    """The rows of the ledgers, as the index counts them (without the sheets named in ``leaving``)."""
    index = load_workbook(path).worksheets[0]
    return sum(row[3] for row in index.iter_rows(min_row=2, values_only=True) if row[0] and row[1] not in leaving)


def sheet(wb, name):
    ws = wb[name]
    headers = [c.value for c in ws[1]]
    return ws, headers


def row_of(ws, headers, column, value) -> int:
    col = headers.index(column) + 1
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == value)


def records(url: str, registry, year: int, leaving=()) -> dict[str, list]:
    """Every record of the year's ledgers as a person compares them: fields with references
    by title (ids aside), and the state (the types in ``leaving`` aside)."""
    store = open_store(url, registry)
    try:
        ledger = Ledger.for_login(store, registry, "admin")
        out: dict[str, list] = {}
        for name, rt in registry.types.items():
            if name in leaving:
                continue
            recs = ledger.query(name, year=year if rt.year_field else None, limit=None)
            titles = ledger.titles({i for r in recs for f in rt.references() for i in (
                r.data.get(f.name) if isinstance(r.data.get(f.name), list) else [r.data.get(f.name)]) if i})
            rows = []
            for r in recs:
                data = {}
                for f in rt.fields:
                    v = r.data.get(f.name)
                    if f.target:
                        v = [titles[i] for i in v] if isinstance(v, list) else (titles[v] if v else None)
                    data[f.name] = v
                rows.append(repr((r.state, sorted(data.items()))))
            out[name] = sorted(rows)
        return out
    finally:
        store.close()


def ids_of(url: str, registry) -> set[str]:
    store = open_store(url, registry)
    try:
        ledger = Ledger.for_login(store, registry, "admin")
        return {r.id for name in registry.types for r in ledger.query(name, limit=None)}
    finally:
        store.close()


def test_the_workbook_reimported_into_the_store_that_wrote_it_writes_nothing(demo):
    before = audit_length(demo.cli)
    result = demo.cli("import-ledger", str(demo.path))
    assert result.exit_code == 0, result.stderr
    assert f"0 records written: 0 added, 0 changed; {rows(demo.path)} rows say what the store holds" in result.stdout
    assert audit_length(demo.cli) == before
    assert demo.cli("import-ledger", str(demo.path), "--json").json()["written"] == 0


def test_into_an_empty_store_it_gives_the_same_records_with_a_leader_for_the_leaders_steps(demo, duty_cli, duty_store_url, duty_registry, tmp_path):
    other = f"sqlite:///{tmp_path / 'empty.db'}"
    db = ("--db", other)
    assert duty_cli(*db, "init", "--org", "xx镇党委").exit_code == 0
    assert duty_cli(*db, "users", "add", "lead", "--role", "leader").exit_code == 0

    # the admin alone may not approve, decide or verify: those rows are refused, each with its
    # reason, and nothing is written
    refused = duty_cli(*db, "import-ledger", str(demo.path))
    assert refused.exit_code == 2
    leader_steps = [line for line in refused.stderr.splitlines() if "is a leader's step" in line]
    assert leader_steps and all(re.search(r"row \d+\.state \(B 状态\): “(approve|decide|verify|close \(nothing found\))”", line) for line in leader_steps), refused.stderr
    assert "duty --as USER import-ledger" in leader_steps[0]
    assert duty_cli(*db, "list", "person", "--json").json() == []

    # the assessment table (考核细则) is the admin's, which a leader may not write: the leader's
    # import leaves out its sheet and the marks given on it (考核评分)
    admin_only = {"考核细则": "assessment_item", "考核评分": "assessment_mark"}
    workbook = load_workbook(demo.path)
    for name in admin_only:
        workbook.remove(workbook[name])
    leaders_part = tmp_path / "leader.xlsx"
    workbook.save(leaders_part)
    done = duty_cli(*db, "--as", "lead", "import-ledger", str(leaders_part), "--json")
    assert done.exit_code == 0, done.stderr
    assert done.json()["written"] == rows(demo.path, leaving=admin_only) and done.json()["updated"] == {}

    # the same records: every field (references compared by the titles they name) and every state
    leaving = tuple(admin_only.values())
    assert records(other, duty_registry, demo.year, leaving) == records(duty_store_url, duty_registry, demo.year, leaving)
    # ids: the new store numbers each type from 1 in the order of the file's ids, so a type whose
    # records are all in the file keeps its ids (the directory), and one with records of other
    # years in the old store does not (appraisal-6 becomes appraisal-1): the import says which
    ids = done.json()["ids"]
    assert ids_of(other, duty_registry) == set(ids.values())
    assert all(new.rsplit("-", 1)[0] == old.rsplit("-", 1)[0] for old, new in ids.items())
    assert all(new == old for old, new in ids.items() if old.startswith(("unit-", "person-")))
    history = duty_cli(*db, "audit", "event-1", "--json").json()
    assert [e["action"] for e in history] == ["create", "transition:submit", "transition:approve", "transition:file", "transition:hold"]
    assert duty_cli(*db, "audit", "--verify").exit_code == 0
    # read back once more, the leader's import is itself a workbook of that store: nothing to write
    again = tmp_path / "again.xlsx"
    assert duty_cli(*db, "report", "--year", str(demo.year), "--format", "xlsx", "-o", str(again)).exit_code == 0
    assert duty_cli(*db, "import-ledger", str(again), "--json").json()["written"] == 0


def test_a_changed_cell_updates_that_record_with_a_new_version_and_an_audit_entry(demo):
    wb = load_workbook(demo.path)
    ws, headers = sheet(wb, "人员")
    person = demo.cli("show", "person-3", "--json").json()
    r = row_of(ws, headers, "编号", "person-3")
    assert ws.cell(r, headers.index("姓名") + 1).value == person["name"]
    ws.cell(r, headers.index("职务") + 1, "宣传干事")
    # a reference retyped by title (the hidden id left as it was): the draft event's organiser
    ev, ev_headers = sheet(wb, "报告会、研讨会、讲座、论坛")
    e = row_of(ev, ev_headers, "编号", "event-5")
    ev.cell(e, ev_headers.index("组织者") + 1, person["name"])
    wb.save(demo.path)

    before = demo.cli("show", "event-5", "--json").json()
    result = demo.cli("import-ledger", str(demo.path))
    assert result.exit_code == 0, result.stderr
    assert "2 records written: 0 added, 2 changed" in result.stdout
    after = demo.cli("show", "person-3", "--json").json()
    assert after["post"] == "宣传干事" and after["version"] == person["version"] + 1
    entry = demo.cli("audit", "person-3", "--json").json()[-1]
    assert entry["action"] == "update" and entry["actor"] == "admin"
    assert json.loads(entry["after"])["post"] == "宣传干事" and json.loads(entry["before"])["post"] == person["post"]
    event = demo.cli("show", "event-5", "--json").json()
    assert event["organizer"] == "person-3" and event["version"] == before["version"] + 1
    assert demo.cli("audit", "--verify").exit_code == 0


def test_a_row_made_from_an_older_version_is_refused_with_the_reason_and_nothing_is_written(demo):
    assert demo.cli("edit", "person-2", "phone=13900000000", login="lina").exit_code == 0  # saved after the export
    # a row nobody edited says what its version said: no change, and lina's save stands
    unchanged = demo.cli("import-ledger", str(demo.path), "--json")
    assert unchanged.exit_code == 0 and unchanged.json()["written"] == 0
    assert demo.cli("show", "person-2", "--json").json()["phone"] == "13900000000"

    wb = load_workbook(demo.path)
    ws, headers = sheet(wb, "人员")
    ws.cell(row_of(ws, headers, "编号", "person-2"), headers.index("职务") + 1, "副书记")
    ws.cell(row_of(ws, headers, "编号", "person-4"), headers.index("职务") + 1, "组织委员")  # a good change beside it
    wb.save(demo.path)
    before = audit_length(demo.cli)

    result = demo.cli("import-ledger", str(demo.path))
    assert result.exit_code == 2
    r = row_of(ws, headers, "编号", "person-2")
    assert f"人员 row {r}.version (H 版本): this row was changed from version 1, but person-2 is now at version 2 (saved by lina" in result.stderr
    assert "person-4" not in result.stderr
    assert audit_length(demo.cli) == before  # all or nothing: person-4 is not changed either
    assert demo.cli("show", "person-4", "--json").json()["version"] == 1


def test_a_row_without_an_id_adds_a_record_and_a_name_that_names_nothing_is_told(demo):
    wb = load_workbook(demo.path)
    ws, headers = sheet(wb, "人员")
    new = ws.max_row + 1
    ws.cell(new, headers.index("姓名") + 1, "赵新")
    ws.cell(new, headers.index("所在单位") + 1, "文化站")
    wb.save(demo.path)
    result = demo.cli("import-ledger", str(demo.path), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["created"] == {"person": 1} and result.json()["written"] == 1
    added = [p for p in demo.cli("list", "person", "--limit", "0", "--json").json() if p["name"] == "赵新"]
    unit = [u["id"] for u in demo.cli("list", "unit", "--limit", "0", "--json").json() if u["name"] == "文化站"]
    assert len(added) == 1 and added[0]["unit"] == unit[0]

    ws.cell(new, headers.index("姓名") + 1, "钱新")
    ws.cell(new, headers.index("所在单位") + 1, "不存在的单位")
    wb.save(demo.path)
    bad = demo.cli("import-ledger", str(demo.path))
    assert bad.exit_code == 2
    assert f"人员 row {new}.unit (C 所在单位): there is no Unit named “不存在的单位”" in bad.stderr


def test_the_workbook_reads_as_a_ledger(demo):
    wb = load_workbook(demo.path)
    index = wb.worksheets[0]
    assert index.title == "台账目录"
    assert [c.value for c in index[1]] == ["序号", "工作表", "所属方面", "记录数"]
    listed = [row for row in index.iter_rows(min_row=2, values_only=True) if row[0]]
    assert [row[1] for row in listed] == [ws.title for ws in wb.worksheets[1:]]
    assert ("单位", "名录") == tuple(listed[0][1:3]) and listed[0][3] == 9
    assert sum(row[3] for row in listed) == sum(ws.max_row - 1 for ws in wb.worksheets[1:])
    areas = [row[2] for row in listed]
    assert areas == sorted(areas, key=areas.index)  # each area's sheets together, in the areas' order

    for ws in wb.worksheets[1:]:
        headers = [c.value for c in ws[1]]
        hidden = {i for d in ws.column_dimensions.values() if d.hidden for i in range(d.min, d.max + 1)}
        visible = [i for i in range(1, len(headers) + 1) if i not in hidden]
        assert headers[0] == "序号" and ws.freeze_panes == "A2", ws.title
        assert all(re.search(r"[\u4e00-\u9fff]", headers[i - 1]) for i in visible), (ws.title, headers)
        # what a reviewer sees holds no internal id; the ids are in the hidden columns only
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.column in visible and isinstance(cell.value, str):
                    assert not any(ID.match(part.strip()) for part in re.split(r"[、,]", cell.value)), (ws.title, cell.coordinate, cell.value)
        assert headers[min(hidden) - 1] == "编号", ws.title
        for i in visible:
            letter = ws.cell(1, i).column_letter
            assert ws.column_dimensions[letter].width >= min(cells(str(headers[i - 1])), 50), (ws.title, headers[i - 1])

    ws, headers = sheet(wb, "报告会、研讨会、讲座、论坛")
    date = headers.index("举办日期") + 1 if "举办日期" in headers else next(i + 1 for i, h in enumerate(headers) if "日期" in h)
    dated = [ws.cell(r, date) for r in range(2, ws.max_row + 1) if ws.cell(r, date).value]
    assert dated and all(isinstance(c.value, dt.datetime) and c.number_format == "yyyy-mm-dd" for c in dated)
    states = {ws.cell(r, headers.index("状态") + 1).value for r in range(2, ws.max_row + 1)}
    assert {"已举行", "已批准", "草稿"} <= states  # labels, not codes
    state_letter = ws.cell(1, headers.index("状态") + 1).column_letter
    picks = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert picks[f"{state_letter}2"].startswith('"草稿,已报批,已批准')  # a row typed in picks a state by its label
    units, unit_headers = sheet(wb, "单位")
    kinds = {units.cell(r, unit_headers.index("类别") + 1).value for r in range(2, units.max_row + 1)}
    assert "党委" in kinds and "committee" not in kinds
    leaders, leader_headers = sheet(wb, "领导小组成员")
    names = [leaders.cell(r, leader_headers.index("人员") + 1).value for r in range(2, leaders.max_row + 1)]
    assert "刘明宇" in names


def test_readmes_round_trip_on_the_demo_town(duty_cli, tmp_path, monkeypatch):
    """README's two lines, word for word: the ledgers written, then read back, writing nothing."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    lines = [line.split("#", 1)[0].strip() for line in readme.splitlines()
             if line.startswith(("duty report --year 2026 --format xlsx", "duty import-ledger"))]
    assert len(lines) == 2
    monkeypatch.chdir(tmp_path)
    assert duty_cli("demo", "--no-tui").exit_code == 0
    written, read = (duty_cli(*shlex.split(line)[1:]) for line in lines)
    assert written.exit_code == 0 and read.exit_code == 0, read.stderr
    assert "0 records written" in read.stdout


def test_a_state_a_row_asks_for_is_reached_by_the_workflows_step_when_the_importers_role_may_take_it(demo):
    event = demo.cli("show", "event-3", "--json").json()
    assert event["state"] == "submitted" and not event["approver"]
    wb = load_workbook(demo.path)
    ws, headers = sheet(wb, "报告会、研讨会、讲座、论坛")
    r = row_of(ws, headers, "编号", "event-3")
    ws.cell(r, headers.index("状态") + 1, "已批准")
    ws.cell(r, headers.index("审批人") + 1, "刘明宇")
    ws.cell(r, headers.index("批准日期") + 1, dt.date.fromisoformat(event["date"]) - dt.timedelta(days=3))
    wb.save(demo.path)

    clerk = demo.cli("import-ledger", str(demo.path), login="lina")
    assert clerk.exit_code == 2
    assert f"报告会、研讨会、讲座、论坛 row {r}.state (B 状态): “approve” is a leader's step: lina (clerk) may not approve or decide" in clerk.stderr
    assert demo.cli("show", "event-3", "--json").json()["version"] == event["version"]

    # the demo's lecture names a speaker whose vetting ran out: the approval is refused through
    # the workbook as on the screen; with the vetting renewed in the same workbook it goes through
    refused = demo.cli("import-ledger", str(demo.path), login="liumy")
    assert refused.exit_code == 2 and f"row {r}.registered_speakers" in refused.stderr and "周老师" in refused.stderr, refused.stderr
    wb = load_workbook(demo.path)
    ws, headers = sheet(wb, "报告人")
    s = row_of(ws, headers, "编号", event["registered_speakers"][0])
    ws.cell(s, headers.index("有效期至") + 1, dt.date.fromisoformat(event["date"]) + dt.timedelta(days=30))
    wb.save(demo.path)
    leader = demo.cli("import-ledger", str(demo.path), login="liumy")
    assert leader.exit_code == 0, leader.stderr
    after = demo.cli("show", "event-3", "--json").json()
    assert after["state"] == "approved" and after["approver"] == "person-1" and after["version"] == event["version"] + 1
    entry = demo.cli("audit", "event-3", "--json").json()[-1]
    assert entry["action"] == "transition:approve" and entry["actor"] == "liumy"
