"""`duty audit --verify` seals the state, not only the history (issue 16, item 1).

On each backend a change made around duty, straight into the store (SQL through the sqlite3
module or psycopg, the JSON file of a TinyDB store), is found and named by type, id and field:
a record's value, a user's role, a setting, an inserted record, a deleted record, an inserted
user; and the removal of the last audit entries (with the rows they wrote, so that what is left
agrees with itself) is found against the anchor an admin keeps outside the store.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duty_tui import audit

BACKENDS = ["sqlite", "tinydb", "postgresql"]
per_backend = pytest.mark.parametrize("duty_store_url", BACKENDS, indirect=True)
on_sqlite = pytest.mark.parametrize("duty_store_url", ["sqlite"], indirect=True)  # tests that write SQLite's file themselves


class Raw:
    """The store's bytes, reached around duty: what someone with the file or the database does."""

    def __init__(self, url: str):
        self.url = url
        self.backend = url.split(":", 1)[0]

    # -- SQL (SQLite and PostgreSQL share the tables) ------------------------------------------------
    def sql(self, *statements: str) -> None:
        if self.backend == "sqlite":
            import sqlite3

            db = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            with db:
                for s in statements:
                    db.execute(s)
            db.close()
        else:
            import psycopg

            base, _, schema = self.url.partition("?schema=")
            with psycopg.connect(base, options=f"-csearch_path={schema}") as conn:
                for s in statements:
                    conn.execute(s)

    # -- TinyDB's JSON file -------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return Path(self.url.removeprefix("tinydb://"))

    def edit_json(self, change) -> None:
        doc = json.loads(self.path.read_text(encoding="utf-8"))
        change(doc)
        self.path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    @staticmethod
    def record(doc: dict, rid: str) -> tuple[str, dict]:
        return next((k, d) for k, d in doc["records"].items() if d["id"] == rid)

    # -- the changes ----------------------------------------------------------------------------------
    def set_name(self, rid: str, value: str) -> None:
        num = int(rid.rsplit("-", 1)[1])
        if self.backend == "sqlite":
            self.sql(f"UPDATE records_unit SET data = json_set(data, '$.name', '{value}') WHERE num = {num}")
        elif self.backend == "postgresql":
            self.sql(f"UPDATE records_unit SET data = jsonb_set(data, '{{name}}', '\"{value}\"') WHERE num = {num}")
        else:
            self.edit_json(lambda doc: self.record(doc, rid)[1]["data"].__setitem__("name", value))

    def set_role(self, name: str, role: str) -> None:
        if self.backend == "tinydb":
            self.edit_json(lambda doc: next(u for u in doc["users"].values() if u["name"] == name).__setitem__("role", role))
        else:
            self.sql(f"UPDATE users SET role = '{role}' WHERE name = '{name}'")

    def add_user(self, name: str, role: str) -> None:
        if self.backend == "tinydb":
            self.edit_json(lambda doc: doc["users"].__setitem__("99", {"name": name, "role": role, "person": None,
                                                                       "created_at": "2026-01-01T00:00:00.000Z"}))
        else:
            self.sql(f"INSERT INTO users (name, role, person, created_at) VALUES ('{name}', '{role}', NULL, '2026-01-01T00:00:00.000Z')")

    def set_setting(self, key: str, value) -> None:
        if self.backend == "tinydb":
            self.edit_json(lambda doc: next(s for s in doc["settings"].values() if s["key"] == key).__setitem__("value", value))
        else:
            self.sql(f"UPDATE settings SET value = '{json.dumps(value, ensure_ascii=False)}' WHERE key = '{key}'")

    def copy_record(self, rid: str, num: int) -> None:
        """A new row, unit-<num>, made by copying another."""
        if self.backend == "tinydb":
            def change(doc):
                _, d = self.record(doc, rid)
                doc["records"][str(num)] = {**d, "id": f"unit-{num}", "num": num}
            self.edit_json(change)
        else:
            cols = "version, state, data, search, created_at, created_by, updated_at, updated_by, links"
            self.sql(f"INSERT INTO records_unit (num, {cols}) SELECT {num}, {cols} FROM records_unit WHERE num = {rid.rsplit('-', 1)[1]}")

    def delete_record(self, rid: str) -> None:
        if self.backend == "tinydb":
            self.edit_json(lambda doc: doc["records"].pop(self.record(doc, rid)[0]))
        else:
            self.sql(f"DELETE FROM records_unit WHERE num = {rid.rsplit('-', 1)[1]}")

    def drop_last_entries(self, n: int) -> None:
        if self.backend == "tinydb":
            def change(doc):
                for key in sorted(doc["audit"], key=lambda k: doc["audit"][k]["seq"])[-n:]:
                    del doc["audit"][key]
            self.edit_json(change)
        else:
            self.sql(f"DELETE FROM audit WHERE seq > (SELECT max(seq) - {n} FROM audit)")


@pytest.fixture
def town(cli, tmp_path):
    """A small store, anchored: two units, a person, a clerk, a setting; every write through duty."""
    cli.add("unit", name="一村", kind="village")
    cli.add("unit", name="二村", kind="village")
    cli.add("person", name="刘明宇", unit="unit-1")
    assert cli("edit", "person-1", "post=书记").exit_code == 0
    assert cli("users", "add", "clerk1", "--role", "clerk").exit_code == 0
    assert cli("config", "set", "report.addressee", "中共某市委宣传部").exit_code == 0
    anchor = tmp_path / "anchor.json"
    result = cli("audit", "--anchor", "--anchor-file", str(anchor))
    assert result.exit_code == 0, result.stderr
    return anchor


def verify(cli, anchor: Path, lang: str = "en"):
    result = cli("--lang", lang, "audit", "--verify", "--anchor-file", str(anchor))
    as_json = cli("audit", "--verify", "--json", "--anchor-file", str(anchor))
    assert result.exit_code == as_json.exit_code
    return result, as_json.json()


def problems(report: dict) -> set[tuple]:
    return {(p["kind"], p["type"], p["id"], tuple(f["field"] for f in p["fields"])) for p in report["state"]["problems"]}


@per_backend
def test_an_untouched_store_is_sealed_and_vouched_for_against_its_anchor(cli, town):
    result, report = verify(cli, town)
    assert result.exit_code == 0, result.stderr
    assert "state sealed: the 3 record(s), 2 user(s), 1 setting(s) and 0 attached file(s) are exactly what the chain says" in result.stdout
    assert f"vouched for against the anchor {town}" in result.stdout and "0 entries since" in result.stdout
    assert report["ok"] and report["state"]["ok"] and report["anchor"]["ok"]


@per_backend
def test_a_record_value_changed_in_the_store_is_named(cli, town, duty_store_url):
    Raw(duty_store_url).set_name("unit-1", "FORGED")
    assert cli("show", "unit-1", "--json").json()["name"] == "FORGED"  # what the forger wanted seen
    result, report = verify(cli, town)
    assert result.exit_code == 1
    assert problems(report) == {("changed", "unit", "unit-1", ("name",))}
    assert 'record unit-1 (unit): changed outside the ledger: name is "FORGED", the chain (entry' in result.stderr
    assert 'says "一村"' in result.stderr
    zh, _ = verify(cli, town, "zh")
    assert "记录 unit-1 (unit):被直接改动:name 为 \"FORGED\",链中(第" in zh.stderr


@per_backend
def test_a_users_role_changed_in_the_store_is_named(cli, town, duty_store_url):
    Raw(duty_store_url).set_role("clerk1", "admin")
    result, report = verify(cli, town)
    assert result.exit_code == 1
    assert problems(report) == {("changed", "user", "clerk1", ("role",))}
    assert 'user clerk1: changed outside the ledger: role is "admin", the chain (entry' in result.stderr
    assert "用户 clerk1:被直接改动:role 为 \"admin\"" in verify(cli, town, "zh")[0].stderr


@per_backend
def test_a_user_inserted_in_the_store_is_named(cli, town, duty_store_url):
    Raw(duty_store_url).add_user("relv", "admin")
    result, report = verify(cli, town)
    assert result.exit_code == 1
    assert problems(report) == {("inserted", "user", "relv", ())}
    assert "user relv: not in the audit chain (inserted directly)" in result.stderr


@per_backend
def test_a_setting_changed_in_the_store_is_named(cli, town, duty_store_url):
    Raw(duty_store_url).set_setting("report.addressee", "FORGED")
    result, report = verify(cli, town)
    assert result.exit_code == 1
    assert problems(report) == {("changed", "setting", "report.addressee", ("value",))}
    assert 'setting report.addressee: changed outside the ledger: value is "FORGED"' in result.stderr
    assert "设置 report.addressee:被直接改动" in verify(cli, town, "zh")[0].stderr


@per_backend
def test_a_record_inserted_in_the_store_is_named(cli, town, duty_store_url):
    Raw(duty_store_url).copy_record("unit-1", 9)
    assert cli("show", "unit-9").exit_code == 0
    result, report = verify(cli, town)
    assert result.exit_code == 1
    assert problems(report) == {("inserted", "unit", "unit-9", ())}
    assert "record unit-9 (unit): not in the audit chain (inserted directly)" in result.stderr
    assert "记录 unit-9 (unit):不在审计链中(被直接插入)" in verify(cli, town, "zh")[0].stderr


@per_backend
def test_a_record_deleted_in_the_store_is_named(cli, town, duty_store_url):
    Raw(duty_store_url).delete_record("unit-2")
    result, report = verify(cli, town)
    assert result.exit_code == 1
    assert problems(report) == {("deleted", "unit", "unit-2", ())}
    assert "record unit-2 (unit): missing, though the chain says it exists (deleted directly)" in result.stderr


@per_backend
def test_the_last_entries_removed_are_found_against_the_anchor(cli, town, duty_store_url):
    """The last write is taken out whole: its audit entry and the row it wrote. What is left
    agrees with itself (chain and state), so only the anchor can tell."""
    cli.add("unit", name="三村", kind="village")
    assert cli("audit", "--anchor", "--anchor-file", str(town)).exit_code == 0
    entries = cli("audit", "--verify", "--json", "--anchor-file", str(town)).json()["entries"]
    raw = Raw(duty_store_url)
    raw.drop_last_entries(1)
    raw.delete_record("unit-3")
    result, report = verify(cli, town)
    assert result.exit_code == 1
    assert report["state"]["ok"] and report["entries"] == entries - 1  # the rest holds together
    assert report["anchor"]["missing"] == 1 and report["anchor"]["seq"] == entries
    assert (f"1 entries are missing from the end of the chain: the anchor {town}" in result.stderr
            and f"counts {entries}, the store holds {entries - 1}" in result.stderr)
    assert f"审计链末尾缺少 1 条:锚点 {town}" in verify(cli, town, "zh")[0].stderr
    # without the anchor the same store passes: that is what the anchor is for
    bare = cli("audit", "--verify", "--anchor-file", str(town.parent / "none.json"))
    assert bare.exit_code == 0 and "no anchor" in bare.stdout


@on_sqlite
def test_a_chain_rewritten_from_an_entry_on_is_found_against_the_anchor(cli, town, duty_store_url):
    """Editing an entry and recomputing every hash after it keeps the chain whole, and the
    state can be made to agree; the anchored head no longer does."""
    import sqlite3

    path = duty_store_url.removeprefix("sqlite:///")
    db = sqlite3.connect(path)
    rows = db.execute("SELECT seq, ts, actor, by_login, action, record_id, before, after, prev FROM audit ORDER BY seq").fetchall()
    first = next(r[0] for r in rows if r[5] == "unit-1")
    prev = db.execute("SELECT hash FROM audit WHERE seq = ?", (first - 1,)).fetchone()[0]
    with db:
        for seq, ts, actor, by, action, rid, before, after, _ in rows[first - 1:]:
            if rid == "unit-1":
                after = after.replace("一村", "伪村") if after else after
                before = before.replace("一村", "伪村") if before else before
            h = audit.entry_hash(seq, ts, actor, by, action, rid, before, after, prev)
            db.execute("UPDATE audit SET before = ?, after = ?, prev = ?, hash = ? WHERE seq = ?", (before, after, prev, h, seq))
            prev = h
    db.close()
    Raw(duty_store_url).set_name("unit-1", "伪村")
    result, report = verify(cli, town)
    assert report["state"]["ok"] and report["broken_seq"] is None  # chain and state agree with each other
    assert result.exit_code == 1 and report["anchor"]["rewritten_seq"] == report["anchor"]["seq"]
    assert "is not the one the anchor" in result.stderr and "the chain was rewritten" in result.stderr


@per_backend
def test_every_write_of_duty_keeps_the_seal(cli, tmp_path):
    """Edits, a workflow-free delete, roles changed and users removed, settings set twice, files
    attached, replaced and detached: all are audited entries, so the replay is the store."""
    cli.add("unit", name="一村", kind="village")
    cli.add("unit", name="二村", kind="village")
    cli.add("person", name="刘明宇", unit="unit-1", post="文书")
    a, b = tmp_path / "签到表.txt", tmp_path / "纪要.txt"
    a.write_text("签到"), b.write_text("纪要")
    for args in (("edit", "person-1", "post=书记"), ("edit", "unit-2", "name=二村委"), ("delete", "unit-2"),
                 ("users", "add", "lina", "--role", "clerk"), ("users", "role", "lina", "leader"),
                 ("users", "add", "wang", "--role", "viewer"), ("users", "remove", "wang"),
                 ("config", "set", "report.addressee", "甲"), ("config", "set", "report.addressee", "乙"),
                 ("attach", "person-1", str(a)), ("attach", "person-1", str(b)), ("attach", "person-1", str(a))):
        assert cli(*args).exit_code == 0, args
    result = cli("audit", "--verify", "--json", "--anchor-file", str(tmp_path / "a.json"))
    assert result.exit_code == 0, result.stdout
    report = result.json()
    assert report["state"] == {"ok": True, "records": 2, "users": 2, "settings": 1, "files": 2,
                               "problems": [], "more": 0}


@on_sqlite
def test_only_an_admin_writes_the_anchor_and_only_of_a_store_that_verifies(cli, tmp_path, duty_store_url):
    anchor = tmp_path / "anchor.json"
    cli("users", "add", "clerk1", "--role", "clerk")
    assert cli("audit", "--anchor", "--anchor-file", str(anchor), login="clerk1").exit_code == 3
    assert not anchor.exists()
    Raw(duty_store_url).set_role("clerk1", "admin")
    result = cli("audit", "--anchor", "--anchor-file", str(anchor))
    assert result.exit_code == 1 and "no anchor written" in result.stderr and not anchor.exists()
    Raw(duty_store_url).set_role("clerk1", "clerk")
    assert cli("audit", "--anchor", "--anchor-file", str(anchor)).exit_code == 0
    assert anchor.stat().st_mode & 0o777 == 0o644
    kept = json.loads(anchor.read_text())
    assert kept["anchors"][-1]["seq"] == 2 and kept["anchors"][-1]["by"] == "admin"


def test_the_default_anchor_is_in_the_admins_data_folder(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("DUTY_ANCHOR", raising=False)
    assert cli("audit", "--anchor").exit_code == 0
    files = list((tmp_path / "data" / "duty-tui" / "anchors").glob("*.json"))
    assert len(files) == 1
    result = cli("audit", "--verify")
    assert result.exit_code == 0 and f"vouched for against the anchor {files[0]}" in result.stdout


def test_an_anchor_others_can_write_is_said_to_prove_little(cli, tmp_path):
    anchor = tmp_path / "anchor.json"
    assert cli("audit", "--anchor", "--anchor-file", str(anchor)).exit_code == 0
    anchor.chmod(0o664)
    result = cli("audit", "--verify", "--anchor-file", str(anchor))
    assert result.exit_code == 0 and "can be written by others than its owner" in result.stdout


@on_sqlite
def test_many_changes_are_counted_beyond_those_named(duty_admin, duty_store_url):
    import sqlite3

    duty_admin.create_many("unit", [{"name": f"{i}村", "kind": "village"} for i in range(audit.NAMED + 5)])
    db = sqlite3.connect(duty_store_url.removeprefix("sqlite:///"))
    with db:
        db.execute("UPDATE records_unit SET data = json_set(data, '$.notes', 'x')")
    db.close()
    seal = duty_admin.verify_store()
    assert not seal.ok and len(seal.problems) == audit.NAMED and seal.more == 5
    assert all(p.fields and p.fields[0][0] == "notes" for p in seal.problems)


@on_sqlite
def test_a_number_written_another_way_is_no_change(duty_admin, duty_store_url):
    """The store may write a value differently from the chain's snapshot (1.0 as 1, keys in
    another order, as an older duty-tui wrote them): only a different value is a change."""
    import sqlite3

    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    db = sqlite3.connect(duty_store_url.removeprefix("sqlite:///"))
    with db:  # the keys in another order, as stores written before the keys were sorted hold them
        (data,) = db.execute("SELECT data FROM records_unit WHERE num = 1").fetchone()
        db.execute("UPDATE records_unit SET data = ? WHERE num = 1", (json.dumps(dict(reversed(json.loads(data).items())), ensure_ascii=False),))
    db.close()
    assert duty_admin.verify_store().ok


@on_sqlite
def test_a_row_no_duty_could_write_is_named_not_a_traceback(duty_admin, duty_store_url):
    import sqlite3

    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    duty_admin.create("unit", {"name": "二村", "kind": "village"})
    db = sqlite3.connect(duty_store_url.removeprefix("sqlite:///"))
    with db:
        db.execute("UPDATE records_unit SET version = 'x' WHERE num = 1")
        db.execute("UPDATE records_unit SET data = '[1]' WHERE num = 2")  # JSON (a CHECK wants it), not an object
    db.close()
    seal = duty_admin.verify_store()
    assert not seal.ok and {p.id for p in seal.problems} == {"unit-1", "unit-2"}
    assert all(p.kind == "changed" for p in seal.problems)


@per_backend
def test_files_detached_and_gone_with_their_record_keep_the_seal(duty_admin):
    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    duty_admin.create("unit", {"name": "二村", "kind": "village"})
    duty_admin.attach("unit-1", [("a.txt", b"a"), ("b.txt", b"b")])
    duty_admin.detach("unit-1", "a.txt")
    duty_admin.attach("unit-2", [("c.txt", b"c")])
    duty_admin.delete("unit-2")
    seal = duty_admin.verify_store()
    assert seal.ok, seal.lines("en")
    assert (seal.records, seal.files) == (1, 1)


@on_sqlite
def test_an_attached_file_changed_inserted_or_deleted_in_the_store_is_named(duty_admin, duty_store_url):
    import sqlite3

    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    duty_admin.attach("unit-1", [("签到表.jpg", b"jpeg"), ("纪要.pdf", b"pdf")])
    db = sqlite3.connect(duty_store_url.removeprefix("sqlite:///"))
    with db:
        db.execute("UPDATE blobs SET data = x'00' WHERE name = '签到表.jpg'")
        db.execute("DELETE FROM blobs WHERE name = '纪要.pdf'")
        db.execute("INSERT INTO blobs SELECT record_id, 'forged.pdf', sha256, size, media_type, added_at, added_by, data "
                   "FROM blobs WHERE name = '签到表.jpg'")
    db.close()
    seal = duty_admin.verify_store()
    found = {(p.kind, p.type, p.id, tuple(f[0] for f in p.fields)) for p in seal.problems}
    assert found == {("changed", "file", "unit-1/签到表.jpg", ("(bytes)",)), ("deleted", "file", "unit-1/纪要.pdf", ()),
                     ("inserted", "file", "unit-1/forged.pdf", ())}
    text = "\n".join(line for _, line in seal.lines("zh"))
    assert "附件 unit-1/纪要.pdf:审计链说它存在,但存储中没有(被直接删除)" in text


def test_a_garbled_anchor_fails_and_another_stores_anchor_is_said(cli, tmp_path, duty_cli):
    anchor = tmp_path / "anchor.json"
    anchor.write_text("{}")
    result = cli("audit", "--verify", "--anchor-file", str(anchor))
    assert result.exit_code == 1 and f"anchor {anchor}: not an anchor file" in result.stderr
    assert cli("audit", "--anchor", "--anchor-file", str(anchor)).exit_code == 2  # not overwritten
    anchor.write_text(json.dumps({"store": "sqlite:////elsewhere/duty.db", "anchors": [
        {"seq": 1, "head": "0" * 64, "at": "2026-11-30T00:00:00.000Z", "by": "root"}]}))
    result = cli("audit", "--verify", "--anchor-file", str(anchor))
    assert result.exit_code == 1 and "entry 1 is not the one the anchor" in result.stderr
    assert "note: the anchor was written for sqlite:////elsewhere/duty.db" in result.stderr


@on_sqlite
def test_a_column_name_written_into_data_is_named(duty_admin, duty_store_url):
    """A row whose data holds `version` (or id, type, state) next to its column: the snapshot would
    read the same, so it is named as the data's own field."""
    import sqlite3

    duty_admin.create("unit", {"name": "一村", "kind": "village"})
    db = sqlite3.connect(duty_store_url.removeprefix("sqlite:///"))
    with db:
        db.execute("UPDATE records_unit SET data = json_set(data, '$.version', 1) WHERE num = 1")
    db.close()
    seal = duty_admin.verify_store()
    assert [(p.kind, p.id, [f[0] for f in p.fields]) for p in seal.problems] == [("changed", "unit-1", ["data.version"])]


def test_every_type_of_the_demo_town_is_sealed_by_its_bytes(duty_cli, monkeypatch):
    """The demo town on SQLite: every built-in type (dates before `id`, fields after `version`,
    workflows) verifies by the bytes of its rows; no record is parsed."""
    import json as real_json
    import types

    from duty_tui import audit as audit_module

    assert duty_cli("demo", "--no-tui").exit_code == 0
    parsed: list[str] = []
    proxy = types.SimpleNamespace(**{k: getattr(real_json, k) for k in ("dumps", "dump", "JSONEncoder")})
    proxy.loads = lambda text, *a, **k: parsed.append(text) or real_json.loads(text, *a, **k)
    monkeypatch.setattr(audit_module, "json", proxy)
    result = duty_cli("audit", "--verify", "--json")
    assert result.exit_code == 0, result.stdout
    report = result.json()["state"]
    assert report["records"] > 90 and report["ok"]
    shapes = [tuple(real_json.loads(t)) for t in parsed]
    records = [k for k in shapes if k not in (("value",), ("created_at", "name", "person", "role"))]
    assert len(shapes) - len(records) == report["users"] + report["settings"]
    assert len(records) == len(set(records)) > 10  # each type's first row, for where its pairs go; no record again


@pytest.mark.parametrize("keys", [(), ("a",), ("name", "unit"), ("date", "title", "year"), ("zz",), ("a", "id_x", "state_a", "ty", "type_b", "version2", "w"),
                                  ("ideology", "notes", "status", "unit", "venue")])
def test_a_types_splice_gives_the_snapshot_or_nothing(keys):
    """The function verify writes out for a type (audit._splicer) gives exactly the canonical
    snapshot of a row's data with its id, state, type and version, then the stamps; and nothing
    (so the row is parsed, or named) when the brace it drops is not there or a key it looks for
    is missing."""
    data = {k: ("一," + k if i % 2 else i) for i, k in enumerate(keys)}
    stored = audit.canonical(data).encode()
    splice = audit._splicer(data, b'"t"')
    for state, qs in ((None, b"null"), ("草稿", '"草稿"'.encode())):
        snapshot = audit.canonical({**data, "id": "t-12", "state": state, "type": "t", "version": 3}).encode()
        got = splice(stored, b"t-12", qs, 3, b"2026-11-30T05:00:00.000Z", b"clerk")
        assert got == (None if not keys else snapshot + b"\x1f2026-11-30T05:00:00.000Z\x1fclerk")
    if keys:
        assert splice(b"[" + stored[1:], b"t-12", b"null", 3, b"T", b"U") is None
        assert splice(stored[:-1] + b"]", b"t-12", b"null", 3, b"T", b"U") is None
        assert splice(b"{}", b"t-12", b"null", 3, b"T", b"U") is None


@per_backend
def test_an_account_bound_to_a_unit_is_told_whether_the_store_verifies_and_nothing_of_the_other_units(cli, town, duty_store_url):
    """A village clerk verifies the whole store (a chain is whole or not) but is shown neither the
    store's counts nor which record outside their village differs, nor its values: the scope holds
    in `audit --verify` as in every other verb (issue 19). An admin bound to no unit sees all."""
    assert cli("users", "add", "cun1", "--role", "clerk", "--unit", "unit-1").exit_code == 0
    sealed = cli("--as", "cun1", "audit", "--verify", "--anchor-file", str(town))
    assert sealed.exit_code == 0, sealed.stderr
    assert "every record, user, setting and attached file of the store is exactly what the chain says" in sealed.stdout
    assert "record(s)" not in sealed.stdout and "user(s)" not in sealed.stdout
    Raw(duty_store_url).set_name("unit-2", "FORGED")
    for lang in ("en", "zh"):
        told = cli("--as", "cun1", "--lang", lang, "audit", "--verify", "--anchor-file", str(town))
        assert told.exit_code == 1
        text = told.stdout + told.stderr
        assert "unit-2" not in text and "FORGED" not in text and "二村" not in text
        assert ("1 difference(s)" if lang == "en" else "不符:1 处") in text
    report = cli("--as", "cun1", "audit", "--verify", "--json", "--anchor-file", str(town)).json()
    assert report["state"] == {"ok": False, "differences": 1, "scope": "unit-1"}
    _, full = verify(cli, town)
    assert problems(full) == {("changed", "unit", "unit-2", ("name",))}
