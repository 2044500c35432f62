"""Accounts bound to a unit (issue 19, item 1), through every verb of the CLI, on SQLite and on the
real PostgreSQL server: the demo town with a village clerk bound to 东风村, a town-office clerk bound
to 宣传办公室, a village admin bound to 东风村 and a clerk bound to nothing.

What each bound account should see is worked out here from the unbound admin's view, record by
record: the unit a record belongs to (its type's ``unit_path``, followed through references, a
unit being its own), kept when that unit is the account's or one below it (a shared type's
records of no unit are everyone's). No number is written down, so the demo may grow. Every write
outside is refused with exit 3 naming the scope, the audit head as it was.

Each hole found was first a strict xfail saying what leaked and where; all are closed."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner

from duty_tui.registry import load_registry

BACKENDS = ("sqlite", "postgresql")
VILLAGE, OFFICE, EMPTY = "东风村", "宣传办公室", "空白村"
META = ("id", "type", "version", "state", "created_at", "created_by", "updated_at", "updated_by")
REGISTRY = load_registry()
# the county's own types: admin-only, and no town's store holds one (nothing to copy for a clerk)
COUNTY_TYPES = ("town_key", "town_copy")
ID_RE = re.compile(r"\b[a-z][a-z0-9_]*-\d+\b")


@dataclass
class Out:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


class Town:
    """The demo store, its accounts, and the admin's view to measure the bound accounts by."""

    def __init__(self, url: str, tmp: Path) -> None:
        self.url, self.tmp = url, tmp
        self.registry = REGISTRY
        self.store = None
        self.units: dict[str, str] = {}
        self._seen: tuple[tuple[int, str], dict[str, dict]] | None = None

    def run(self, *args: str, login: str = "admin", input: str | None = None) -> Out:
        from duty_tui.cli import cli

        result = CliRunner().invoke(cli, ["--db", self.url, *args], obj={"login": login}, input=input, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Out(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, login: str = "admin") -> Out:
        out = self.run(*args, login=login)
        assert out.exit_code == 0, (args, login, out.stdout, out.stderr)
        return out

    @property
    def admin(self):
        from duty_tui.ledger import Ledger
        from duty_tui.store import open_store

        if self.store is None:
            self.store = open_store(self.url, self.registry)
        return Ledger.for_login(self.store, self.registry, "admin")

    def head(self) -> tuple[int, str]:
        newest = self.admin.audit_page(limit=1)[0]
        return newest.seq, newest.hash

    # -- the admin's view, and what a unit holds of it ------------------------------------------
    def everything(self) -> dict[str, dict]:
        """id → the record as `duty list --json` gives it to the unbound admin, every type (read
        again once the audit head moved)."""
        head = self.head()
        if self._seen is not None and self._seen[0] == head:
            return dict(self._seen[1])
        out = {}
        for name in self.registry.types:
            for rec in self.ok("list", name, "--limit", "0", "--json").json():
                out[rec["id"]] = rec
        self._seen = (head, out)
        return dict(out)

    def subtree(self, unit_id: str, records: dict[str, dict]) -> set[str]:
        children: dict[str, list[str]] = {}
        for rec in records.values():
            if rec["type"] == "unit" and rec.get("parent"):
                children.setdefault(rec["parent"], []).append(rec["id"])
        out, todo = set(), [unit_id]
        while todo:
            u = todo.pop()
            if u not in out:
                out.add(u)
                todo += children.get(u, [])
        return out

    def owner(self, rec: dict, records: dict[str, dict], depth: int = 0) -> str | None:
        """The unit a record belongs to: its type's unit_path, the first field filled decides."""
        rt = self.registry.types[rec["type"]]
        if rt.name == "unit":
            return rec["id"]
        for name in rt.unit_path:
            value = rec.get(name)
            if not value:
                continue
            if rt.field(name).target == "unit":
                return value
            target = records.get(value)
            return self.owner(target, records, depth + 1) if target is not None and depth < 4 else None
        return None

    def holds(self, unit_id: str, rec: dict, records: dict[str, dict], units: set[str] | None = None) -> bool:
        units = units if units is not None else self.subtree(unit_id, records)
        owner = self.owner(rec, records)
        return owner in units if owner is not None else self.registry.types[rec["type"]].shared

    def split(self, unit_id: str, records: dict[str, dict] | None = None) -> tuple[dict[str, dict], dict[str, dict]]:
        """(inside, outside) of the admin's records for an account bound to ``unit_id``."""
        records = records if records is not None else self.everything()
        units = self.subtree(unit_id, records)
        inside = {i: r for i, r in records.items() if self.holds(unit_id, r, records, units)}
        return inside, {i: r for i, r in records.items() if i not in inside}


@pytest.fixture(scope="module", params=BACKENDS)
def town(request, tmp_path_factory) -> Iterator[Town]:
    from duty_tui.kit.testing import store_url_for

    tmp = tmp_path_factory.mktemp(f"scope-{request.param}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DUTY_CONFIG", str(tmp / "no-config.toml"))
        mp.setenv("DUTY_LANG", "en")
        mp.delenv("DUTY_UNIT", raising=False)
        mp.delenv("DUTY_DB", raising=False)
        urls = store_url_for(request.param, tmp)
        t = Town(next(urls), tmp)
        try:
            t.ok("demo", "--no-tui")
            t.units = {u["name"]: u["id"] for u in t.ok("list", "unit", "--limit", "0", "--json").json()}
            top = next(u["id"] for u in t.ok("list", "unit", "--limit", "0", "--json").json() if not u.get("parent"))
            t.ok("add", "unit", f"name={EMPTY}", "kind=village", f"parent={top}")
            t.units = {u["name"]: u["id"] for u in t.ok("list", "unit", "--limit", "0", "--json").json()}
            t.units["top"] = top
            for name, role, unit in (("vclerk", "clerk", VILLAGE), ("vadmin", "admin", VILLAGE), ("oclerk", "clerk", OFFICE),
                                     ("eclerk", "clerk", EMPTY)):
                t.ok("users", "add", name, "--role", role, "--unit", unit)
            t.ok("users", "add", "uclerk", "--role", "clerk")
            yield t
        finally:
            if t.store is not None:
                t.store.close()
            urls.close()


def outside_message(out: Out, who: str, unit_name: str) -> bool:
    return out.exit_code == 3 and "outside" in out.stderr and who in out.stderr and unit_name in out.stderr


def human_total(out: Out) -> int:
    found = re.search(r"(\d+) in all", out.stdout)
    assert found, out.stdout
    return int(found.group(1))


# -- reading: lists and their counts, search, show ---------------------------------------------------


def test_an_unbound_clerk_sees_every_record_as_the_admin_does(town):
    for name in town.registry.types:
        admin = [r["id"] for r in town.ok("list", name, "--limit", "0", "--json").json()]
        clerk = [r["id"] for r in town.ok("list", name, "--limit", "0", "--json", login="uclerk").json()]
        assert clerk == admin, name


@pytest.mark.parametrize("login, unit", [("vclerk", VILLAGE), ("oclerk", OFFICE), ("eclerk", EMPTY)])
def test_a_bound_clerk_lists_and_counts_exactly_its_units_records(town, login, unit):
    records = town.everything()
    inside, outside = town.split(town.units[unit], records)
    assert outside, "the demo town has records outside any one unit"
    for name in town.registry.types:
        expected = sorted((i for i, r in inside.items() if r["type"] == name), key=lambda i: int(i.rsplit("-", 1)[1]))
        listed = town.ok("list", name, "--limit", "0", "--json", login=login).json()
        assert sorted((r["id"] for r in listed), key=lambda i: int(i.rsplit("-", 1)[1])) == expected, (login, name)
        assert human_total(town.ok("list", name, "--limit", "1", login=login)) == len(expected), (login, name, "the count, not the page")
    if unit == VILLAGE:
        assert {r["type"] for r in inside.values()} >= {"unit", "person", "event", "outlet", "self_inspection"}


def test_the_admin_narrowed_with_unit_sees_what_the_village_clerk_sees(town):
    for name in town.registry.types:
        clerk = [r["id"] for r in town.ok("list", name, "--limit", "0", "--json", login="vclerk").json()]
        narrowed = [r["id"] for r in town.ok("--unit", VILLAGE, "list", name, "--limit", "0", "--json").json()]
        assert narrowed == clerk, name
    clerk = [r["id"] for r in town.ok("list", "person", "--limit", "0", "--json", login="vclerk").json()]
    assert [r["id"] for r in town.ok("--unit", town.units[VILLAGE], "list", "person", "--json").json()] == clerk, "by id"
    assert [r["id"] for r in town.ok("--unit", VILLAGE, "list", "person", "--json", login="vclerk").json()] == clerk


def test_search_and_filter_find_only_the_units_records(town):
    records = town.everything()
    inside, _ = town.split(town.units[VILLAGE], records)
    leaked_somewhere = False
    for name in town.registry.types:
        for term in ("宣传", "村"):
            admin = [r["id"] for r in town.ok("list", name, "-s", term, "--limit", "0", "--json").json()]
            clerk = [r["id"] for r in town.ok("list", name, "-s", term, "--limit", "0", "--json", login="vclerk").json()]
            assert clerk == [i for i in admin if i in inside], (name, term)
            leaked_somewhere |= len(admin) > len(clerk)
            filtered = [r["id"] for r in town.ok("list", name, "--filter", term, "--limit", "0", "--json", login="vclerk").json()]
            assert set(filtered) <= set(inside), (name, term)
    assert leaked_somewhere, "some search finds the town's records for the admin, so the test can fail"
    # a reference filtered by the title of a unit outside finds nothing to filter by
    out = town.run("list", "event", "--where", f"organizer_unit:{OFFICE}", "--json", login="vclerk")
    assert out.exit_code == 2 and out.json()["error"] == "ValidationError", out.stdout


def test_show_gives_the_units_records_and_refuses_the_others_naming_the_scope(town):
    records = town.everything()
    inside, outside = town.split(town.units[VILLAGE], records)
    for record_id in sorted(inside):
        assert town.ok("show", record_id, "--json", login="vclerk").json() == records[record_id], record_id
    some: dict[str, list[str]] = {}  # three of each type outside
    for record_id in sorted(outside):
        some.setdefault(outside[record_id]["type"], []).append(record_id)
    for record_id in [i for ids in some.values() for i in ids[:3]]:
        out = town.run("show", record_id, login="vclerk")
        assert outside_message(out, "vclerk", VILLAGE), (record_id, out.exit_code, out.stderr)
        assert not out.stdout.strip(), record_id


# -- writing outside -----------------------------------------------------------------------------------


def text_field(rt) -> str:
    for f in rt.fields:
        if f.kind in ("text", "long_text") and not f.target and not f.choices:
            return f.name
    raise AssertionError(f"{rt.name} has no text field")


def first_outside(town: Town, outside: dict[str, dict]) -> dict[str, dict]:
    """The first record of each type outside the scope."""
    out: dict[str, dict] = {}
    for rid in sorted(outside, key=lambda i: (i.rsplit("-", 1)[0], int(i.rsplit("-", 1)[1]))):
        out.setdefault(outside[rid]["type"], outside[rid])
    return out


def test_every_write_to_a_record_outside_exits_3_and_changes_nothing(town):
    records = town.everything()
    inside, outside = town.split(town.units[VILLAGE], records)
    evidence = town.tmp / "签到表.txt"
    evidence.write_text("到会 12 人\n", encoding="utf-8")
    attached = next(r["id"] for r in first_outside(town, outside).values() if r["type"] == "event")
    town.run("attach", attached, str(evidence))  # the admin's file on a record outside
    before = town.head()
    refused: list[str] = []

    def refuse(*args: str) -> None:
        out = town.run(*args, login="vclerk")
        if not outside_message(out, "vclerk", VILLAGE):
            refused.append(f"{' '.join(args)} -> {out.exit_code} {out.stderr.strip()[:120]}")

    for name, rec in first_outside(town, outside).items():
        rt = town.registry.types[name]
        rid = rec["id"]
        refuse("edit", rid, f"{text_field(rt)}=改写")
        refuse("edit", rid, f"{text_field(rt)}=改写", "--version", str(rec["version"]))
        refuse("delete", rid, "-y")
        refuse("attach", rid, str(evidence))
        refuse("evidence", rid)
        refuse("audit", rid)
        if rt.workflow is not None:
            step = next((s for s in rt.workflow.available(rec["state"] or rt.workflow.initial)), None)
            if step is not None:
                refuse("transition", rid, step.target)
    refuse("evidence", "get", attached, evidence.name, "-o", str(town.tmp / "got.txt"))
    assert not (town.tmp / "got.txt").exists()
    # an inside record moved outside
    office = town.units[OFFICE]
    person = next(r for r in inside.values() if r["type"] == "person")
    event = next(r for r in inside.values() if r["type"] == "event")
    refuse("edit", person["id"], f"unit={office}")
    refuse("edit", event["id"], f"organizer_unit={office}")
    refuse("edit", town.units[VILLAGE], f"parent={office}")  # its own unit, moved under another
    assert refused == [], "\n".join(refused)
    own = town.run("delete", town.units[VILLAGE], "-y", login="vadmin")
    assert own.exit_code == 3 and "bound to" in own.stderr, own.stderr
    assert town.head() == before


# Ledger.create checks the scope before the field checks and the plugins' duty_validate: their words
# would name records outside ("person-10 already has a Duty report for 2025 (duty_report-2)").


def cli_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(cli_value(v) for v in value)
    return str(value)


@pytest.mark.parametrize("name", [
    n for n in REGISTRY.types if n not in COUNTY_TYPES])
def test_adding_a_record_outside_exits_3_and_names_nothing_outside(town, name):
    """A copy of a record outside (the committee's own, with no unit, given the top unit)."""
    records = town.everything()
    inside, outside = town.split(town.units[VILLAGE], records)
    rt = town.registry.types[name]
    rec = first_outside(town, outside).get(name)
    if rec is None:  # the shared table: an item of the town's own
        assert name == "assessment_item"
        rec = {**next(r for r in records.values() if r["type"] == name), "unit": town.units["top"]}
    values = {k: v for k, v in rec.items() if k not in META and v not in (None, "", [])}
    if name != "unit" and town.owner(rec, records) is None and rt.field(rt.unit_path[0]).target == "unit":
        values[rt.unit_path[0]] = town.units["top"]  # else a bound account's record of no unit lands in its unit
    login = "vadmin" if name == "assessment_item" else "vclerk"  # the table is the admins' to write
    before = town.head()
    out = town.run("add", name, *[f"{k}={cli_value(v)}" for k, v in values.items()], login=login)
    assert outside_message(out, login, VILLAGE), (out.exit_code, out.stdout, out.stderr)
    named = set(ID_RE.findall(out.stderr)) & set(outside)
    assert not named, f"the refusal names records outside: {named}"
    assert town.head() == before


def test_a_bound_clerks_new_record_of_no_unit_goes_to_its_unit(town):
    village = town.units[VILLAGE]
    made = town.ok("add", "study_session", "topic=村党支部集中学习", "date=2026-04-10", "--json", login="vclerk").json()
    assert made["unit"] == village
    assert town.ok("show", made["id"], "--json").json()["unit"] == village
    assert town.run("show", made["id"], login="oclerk").exit_code == 3
    person = town.ok("add", "person", "name=新村民", "--json", login="vclerk").json()
    assert person["unit"] == village
    sheet = town.tmp / "persons.csv"
    sheet.write_text("姓名,职务\n导入的村民,干事\n", encoding="utf-8")
    imported = town.ok("import-ledger", "--type", "person", str(sheet), "--json", login="vclerk").json()
    (new_id,) = imported["ids"].values()
    assert town.ok("show", new_id, "--json").json()["unit"] == village
    # the unbound clerk's record of no unit stays the town's own
    assert town.ok("add", "study_session", "topic=镇集中学习", "date=2026-04-11", "--json", login="uclerk").json()["unit"] is None


# -- the audit log -------------------------------------------------------------------------------------


def test_the_audit_log_holds_the_units_records_only(town):
    records = town.everything()
    inside, _ = town.split(town.units[VILLAGE], records)
    admin = town.ok("audit", "--json").json()
    clerk = town.ok("audit", "--json", login="vclerk").json()
    assert [e["seq"] for e in clerk] == [e["seq"] for e in admin if e["record_id"] in inside]
    assert clerk and len(clerk) < len(admin)
    assert not any(e["record_id"].startswith(("user:", "setting")) for e in clerk)
    some = next(iter(sorted(inside)))
    assert town.ok("audit", some, "--json", login="vclerk").json() == town.ok("audit", some, "--json").json()
    assert [e["seq"] for e in town.ok("audit", "--limit", "3", "--json", login="vclerk").json()] == [e["seq"] for e in clerk][:3]


# -- reports: the annual report, a dossier, the ledgers -------------------------------------------------


def foreign_texts(town: Town, unit: str, records: dict[str, dict]) -> set[str]:
    """Titles of records outside the unit that no report of its own has reason to print: not in
    any record inside (nor a title of what they refer to), not the report's own words (what the
    empty village's report says), not the town's name."""
    inside, outside = town.split(town.units[unit], records)
    inside_text = json.dumps(list(inside.values()), ensure_ascii=False)
    referred = {v for r in inside.values() for v in r.values() if isinstance(v, str) and v in records}
    referred |= {v for r in inside.values() for vs in r.values() if isinstance(vs, list) for v in vs if v in records}
    template = town.ok("report", "--format", "md", login="eclerk").stdout
    out = set()
    for rec in outside.values():
        rt = town.registry.types[rec["type"]]
        title = rec.get(rt.title_field) if rt.title_field else None
        if not isinstance(title, str) or len(title) < 4 or rt.field(rt.title_field).target or rec["id"] in referred:
            continue
        if title in inside_text or title in template or title == str(town.admin.setting("org.name")):
            continue
        out.add(title)
    return out


def test_the_annual_report_and_a_dossier_print_no_other_units_records(town):
    records = town.everything()
    inside, outside = town.split(town.units[VILLAGE], records)
    foreign = foreign_texts(town, VILLAGE, records)
    assert len(foreign) > 10
    admin_report = town.ok("report", "--format", "md").stdout
    assert foreign & {t for t in foreign if t in admin_report}, "the town's report prints them, so the check can fail"
    for args in (("report", "--format", "md"), ("report", "--format", "md", "--period", f"{town.admin.today().year}H2")):
        text = town.ok(*args, login="vclerk").stdout
        assert [t for t in foreign if t in text] == [], args
    person = next(r for r in inside.values() if r["type"] == "person")
    dossier = town.ok("report", "--person", person["id"], "--format", "md", login="vclerk").stdout
    assert person["name"] in dossier and [t for t in foreign if t in dossier] == []
    other = next(r for r in outside.values() if r["type"] == "person")
    assert outside_message(town.run("report", "--person", other["id"], "--format", "md", login="vclerk"), "vclerk", VILLAGE)
    docx = town.tmp / "v.docx"
    town.ok("report", "-o", str(docx), login="vclerk")
    assert docx.stat().st_size > 0


def xlsx_ids(path: Path) -> dict[str, set[str]]:
    """sheet → the ids in its 编号 column."""
    import openpyxl

    out = {}
    for ws in openpyxl.load_workbook(path).worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if not rows or "编号" not in rows[0]:
            continue
        col = rows[0].index("编号")
        out[ws.title] = {r[col] for r in rows[1:] if r[col]}
    return out


def test_the_ledgers_workbook_of_a_bound_admin_holds_its_units_rows_only(town):
    records = town.everything()
    inside, _ = town.split(town.units[VILLAGE], records)
    mine, whole = town.tmp / "village.xlsx", town.tmp / "town.xlsx"
    town.ok("report", "--format", "xlsx", "-o", str(mine), login="vadmin")
    town.ok("report", "--format", "xlsx", "-o", str(whole))
    got, all_sheets = xlsx_ids(mine), xlsx_ids(whole)
    assert set(got) == set(all_sheets)
    for sheet, ids in all_sheets.items():
        assert got[sheet] == {i for i in ids if i in inside}, sheet
    assert sum(map(len, got.values())) < sum(map(len, all_sheets.values()))
    # a clerk may not export ledgers at all (the role), bound or not
    assert town.run("report", "--format", "xlsx", "-o", str(town.tmp / "c.xlsx"), login="vclerk").exit_code == 3


# -- the whole store: export, backup, bundle ---------------------------------------------------------


def test_what_holds_the_whole_store_is_refused_to_a_bound_admin(town):
    before = town.head()
    key = town.tmp / "town.key"
    town.ok("bundle", "keygen", "-o", str(key), login="vadmin")
    for target, args in ((town.tmp / "all.json", ("export",)), (town.tmp / "copy.db", ("backup",)),
                         (town.tmp / "b.zip", ("bundle", "export", "--year", str(town.admin.today().year), "--key", str(key),
                                               "--anchor-file", str(town.tmp / "no-anchor.json"), "-o"))):
        out = town.run(*args, str(target), login="vadmin")
        assert out.exit_code == 3, (args, out.stderr)
        assert "vadmin" in out.stderr, out.stderr
        assert not target.exists(), target
    assert town.run("export", str(town.tmp / "all.json"), login="vclerk").exit_code == 3
    trust = town.run("bundle", "trust", "--town", town.units["top"], "--key", f"{key}.pub", login="vadmin")
    assert trust.exit_code in (2, 3), trust.stderr  # the county's register of keys is not a village's to write
    assert town.head() == before


# -- import-ledger -------------------------------------------------------------------------------------


def test_import_ledger_writes_within_the_unit_only(town):
    whole = town.tmp / "whole.xlsx"
    town.ok("report", "--format", "xlsx", "-o", str(whole))
    before = town.head()
    out = town.run("import-ledger", str(whole), login="vadmin")
    assert outside_message(out, "vadmin", VILLAGE), out.stderr
    sheet = town.tmp / "outsider.csv"
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["姓名", "所在单位", "职务"], ["村内的人", town.units[VILLAGE], "干事"],
                                  ["外人", town.units[OFFICE], "干事"]])
    out = town.run("import-ledger", "--type", "person", str(sheet), login="vclerk")
    assert outside_message(out, "vclerk", VILLAGE) and "row 2" in out.stderr, out.stderr
    assert town.head() == before, "all or nothing: the village's row is not written either"


def test_a_bound_admin_reads_its_own_workbook_back_and_nothing_changes(town):
    mine = town.tmp / "mine.xlsx"
    town.ok("report", "--format", "xlsx", "-o", str(mine), login="vadmin")
    before = town.head()
    again = town.run("import-ledger", str(mine), "--type", "outlet", "--json", login="vadmin")
    assert again.exit_code == 0 and again.json()["written"] == 0 and again.json()["same_store"], again.stdout
    assert town.head() == before


# -- check, score, due, suggest, coming events ---------------------------------------------------------


@pytest.mark.parametrize("login, unit", [("vclerk", VILLAGE), ("oclerk", OFFICE)])
def test_the_check_names_only_the_units_records(town, login, unit):
    records = town.everything()
    inside, _ = town.split(town.units[unit], records)
    out = town.run("check", "--json", login=login)
    assert out.exit_code in (0, 1), out.stderr
    for finding in out.json():
        assert set(finding["records"]) <= set(inside), finding
    assert outside_message(town.run("check", "--unit", town.units["top"], login=login), login, unit)


@pytest.mark.parametrize("login, unit", [("vclerk", VILLAGE), ("oclerk", OFFICE)])
def test_a_bound_clerks_check_is_the_admins_check_of_that_unit(town, login, unit):
    """The rules judge the committee's obligations where the committee can be seen: a village's
    check has not the town's missing members' divisions (5fdf660)."""
    def found(*args, login="admin"):
        return sorted((f["rule"], f["message"], tuple(f["records"])) for f in town.run("check", "--json", *args, login=login).json())

    assert found(login=login) == found("--unit", town.units[unit])


@pytest.mark.parametrize("login, unit", [("vclerk", VILLAGE), ("oclerk", OFFICE)])
def test_the_score_scores_the_units_subjects_only(town, login, unit):
    records = town.everything()
    inside, _ = town.split(town.units[unit], records)
    admin = {s["subject"]: s for s in town.ok("score", "--json").json()["subjects"]}
    mine = {s["subject"]: s for s in town.ok("score", "--json", login=login).json()["subjects"]}
    assert set(mine) == {s for s in admin if s in inside} and mine
    for subject, s in mine.items():
        assert (s["score"], s["full"], s["lost"]) == (admin[subject]["score"], admin[subject]["full"], admin[subject]["lost"]), subject
    outside = town.run("score", "--subject", town.units["top"], login=login)
    assert outside.exit_code == 3 and "outside" in outside.stderr, "said to be outside the scope, not missing"
    assert town.run("score", "--subject", "unit-99999", login=login).exit_code == 2, "a subject that does not exist is a usage error"


def test_due_coming_events_and_suggest_stay_within_the_unit(town):
    records = town.everything()
    inside, outside = town.split(town.units[VILLAGE], records)
    admin_due = [i["id"] for i in town.run("due", "--all", "--json").json()["items"]]
    clerk_due = [i["id"] for i in town.run("due", "--all", "--json", login="vclerk").json()["items"]]
    assert clerk_due == [i for i in admin_due if i in inside] and clerk_due
    admin_events = [e["id"] for e in town.ok("coming-events", "--days", "400", "--json").json()]
    clerk_events = [e["id"] for e in town.ok("coming-events", "--days", "400", "--json", login="vclerk").json()]
    assert clerk_events == [i for i in admin_events if i in inside] and len(clerk_events) < len(admin_events)
    before = town.head()
    case = next(r for r in outside.values() if r["type"] == "case")
    assert outside_message(town.run("suggest", case["id"], login="vclerk"), "vclerk", VILLAGE)
    assert outside_message(town.run("suggest", case["id"], "--accept", login="vclerk"), "vclerk", VILLAGE)
    assert town.head() == before
    event = next(r for r in inside.values() if r["type"] == "event")
    own = town.ok("add", "case", "title=宣讲内容失当", "circumstance=1", "occurred_on=2026-05-01", f"event={event['id']}",
                  "--json", login="vclerk").json()
    assert own["unit"] == town.units[VILLAGE]
    town.ok("suggest", own["id"], "--accept", login="vclerk")
    parties = [r for r in town.everything().values() if r["type"] == "case_party" and r["case"] == own["id"]]
    assert parties and all(town.run("show", p["id"], login="vclerk").exit_code == 0 for p in parties)


# -- settings and accounts -----------------------------------------------------------------------------


def test_settings_are_not_a_bound_accounts_below_a_town(town):
    before = town.head()
    for login in ("vclerk", "vadmin"):
        assert town.run("config", "set", "due.soon-days", "3", login=login).exit_code == 3
    assert town.head() == before
    assert town.ok("config", "get", "due.soon-days", login="vclerk").stdout.strip()


def test_a_bound_admin_manages_the_accounts_of_its_unit_only(town):
    assert {u["name"] for u in town.ok("users", "list", "--json", login="vadmin").json()} == {"vclerk", "vadmin"}
    before = town.head()
    for args in (("users", "role", "oclerk", "viewer"), ("users", "remove", "oclerk"), ("users", "remove", "admin"),
                 ("users", "role", "uclerk", "viewer"), ("--as", "oclerk", "list", "event"), ("--as", "admin", "list", "event")):
        out = town.run(*args, login="vadmin")
        assert out.exit_code == 3 and "outside" in out.stderr, (args, out.exit_code, out.stderr)
    for args in (("users", "unbind", "vadmin"), ("users", "unbind", "vclerk"),
                 ("users", "add", "intruder", "--role", "clerk", "--unit", town.units[OFFICE]),
                 ("users", "bind", "vclerk", town.units[OFFICE])):
        out = town.run(*args, login="vadmin")
        assert out.exit_code in (2, 3), (args, out.exit_code, out.stderr)
    assert town.head() == before
    made = town.ok("users", "add", "vviewer", "--role", "viewer", login="vadmin")
    assert "unit" in made.stdout or town.units[VILLAGE] in made.stdout
    assert {u["name"]: u.get("unit") for u in town.ok("users", "list", "--json").json()}["vviewer"] == town.units[VILLAGE]
    assert [r["id"] for r in town.ok("list", "event", "--json", login="vviewer").json()] == \
        [r["id"] for r in town.ok("list", "event", "--json", login="vclerk").json()]
    town.ok("users", "remove", "vviewer", login="vadmin")


def test_naming_a_unit_outside_says_it_is_outside_the_scope(town):
    before = town.head()
    for login, args in (("vadmin", ("users", "add", "intruder", "--role", "clerk", "--unit", OFFICE)),
                        ("vadmin", ("users", "bind", "vclerk", town.units[OFFICE])),
                        ("vclerk", ("--unit", OFFICE, "list", "event")),
                        ("vadmin", ("config", "set", "due.soon-days", "3", "--town", town.units["top"]))):
        out = town.run(*args, login=login)
        assert outside_message(out, login, VILLAGE), (args, out.exit_code, out.stderr)
    assert town.head() == before


def test_a_village_admin_cannot_write_assessment_items_no_one_reads(town):
    before = town.head()
    out = town.run("score-table", "--load-example", login="vadmin")
    assert out.exit_code != 0, out.stdout
    assert town.head() == before


def test_the_commands_that_read_nothing_of_the_store_still_work_for_a_bound_clerk(town):
    assert "event" in town.ok("types", login="vclerk").stdout
    assert town.ok("plugins", login="vclerk").stdout
    assert town.ok("score-table", login="vclerk").stdout
    assert town.ok("audit", "--verify", login="vclerk").exit_code == 0


# -- a county store: a village of a town with assessment items of its own ------------------------------


@pytest.mark.parametrize("duty_store_url", BACKENDS, indirect=True)
def test_a_village_of_a_town_with_items_of_its_own_is_scored_by_them(duty_admin, duty_store, duty_registry):
    from duty_tui.ledger import Ledger
    from duty_tui_plugins.assessment.table import table_of

    a = duty_admin
    jia = a.create("unit", {"name": "甲镇党委", "kind": "committee"}).id
    village = a.create("unit", {"name": "甲村", "kind": "village", "parent": jia}).id
    a.create("unit", {"name": "乙镇党委", "kind": "committee"})
    common = {"area": "assessment", "title": "向上级汇报", "points": 10, "method": "rule", "rule": "assessment.superior-reports",
              "deduction": 5, "applies_to": ["committee", "village"]}
    a.create("assessment_item", common)
    a.create("assessment_item", {**common, "title": "甲镇：向上级汇报", "unit": jia})
    a.add_user("jiacun", "clerk", unit=village)
    clerk = Ledger.for_login(duty_store, duty_registry, "jiacun")
    assert [r.data["title"] for r in table_of(clerk, 2026)] == [r.data["title"] for r in table_of(a.narrowed(jia), 2026)]


# -- the palette's reports keep a narrowed scope ---------------------------------------------------------


def test_the_palettes_ledgers_of_a_narrowed_ledger_hold_that_units_rows(town, tmp_path):
    """plugins/reports/palette.py wrote the reports with a ledger of its own made from the store and
    the user only: `duty --unit 东风村` (an admin working within the village) got the whole town's
    ledgers."""
    from duty_tui_plugins.reports import palette

    records = town.everything()
    inside, _ = town.split(town.units[VILLAGE], records)
    notices = []

    class Ui:
        ledger = town.admin.narrowed(town.units[VILLAGE])
        year = town.admin.today().year

        def notify(self, message, severity="information"):
            notices.append((severity, message))

    palette.start(Ui(), palette.LEDGERS, "ledgers-{year}.xlsx", palette._ledgers, folder=tmp_path).join(60)
    assert [s for s, _ in notices] == ["information", "information"], notices
    got = xlsx_ids(tmp_path / f"ledgers-{Ui.year}.xlsx")
    ids = set().union(*got.values())
    assert ids and ids <= set(inside), sorted(ids - set(inside))
