"""Signed yearly bundles (issue 19, item 3, the town's side): `duty bundle keygen`, `export`,
`verify` on the demo town; one changed byte in any member, a missing member, another town's key
and a clerk's export are each refused with the reason."""

from __future__ import annotations

import io
import json
import stat
import zipfile

import pytest

YEAR = 2026


@pytest.fixture
def town(duty_cli, tmp_path):
    """The demo town with a file attached and an anchor, its key pair, and its 2026 bundle."""
    made = duty_cli("demo", "--no-tui", "--year", str(YEAR))
    assert made.exit_code == 0, made.stderr
    (tmp_path / "签到表.txt").write_text("到会 12 人\n", encoding="utf-8")
    attached = duty_cli("attach", "event-1", str(tmp_path / "签到表.txt"))
    assert attached.exit_code == 0, attached.stderr
    anchored = duty_cli("audit", "--anchor", "--anchor-file", str(tmp_path / "anchor.json"))
    assert anchored.exit_code == 0, anchored.stderr
    key = tmp_path / "keys" / "town.key"
    made = duty_cli("bundle", "keygen", "-o", str(key))
    assert made.exit_code == 0, made.stderr
    bundle = tmp_path / "2026.zip"
    out = duty_cli("bundle", "export", "--year", str(YEAR), "-o", str(bundle), "--key", str(key), "--anchor-file", str(tmp_path / "anchor.json"))
    assert out.exit_code == 0, out.stderr
    return duty_cli, key, bundle


def verify(cli, bundle, key, *more):
    return cli("bundle", "verify", str(bundle), "--key", str(key) + ".pub", *more)


def rewrite(bundle, out, change):
    """A copy of the bundle whose members pass through ``change(name, data)`` (None drops one)."""
    with zipfile.ZipFile(bundle) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            data = change(name, data)
            if data is not None:
                z.writestr(name, data)
    out.write_bytes(buf.getvalue())
    return [name for name, _ in members]


def test_keygen_writes_a_private_key_for_its_owner_only_and_never_overwrites(town, tmp_path):
    cli, key, _ = town
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert key.with_name("town.key.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")
    before = key.read_bytes()
    again = cli("bundle", "keygen", "-o", str(key))
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert key.read_bytes() == before
    assert cli("bundle", "keygen", "-o", str(tmp_path / "other.key"), login="lina").exit_code == 3


def test_a_bundle_verifies_and_says_what_it_vouches_for(town):
    cli, key, bundle = town
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
        export = json.loads(z.read("export.json"))
        manifest = json.loads(z.read("bundle.json"))
    assert names[:3] == ["bundle.json", "bundle.sig", "export.json"] and "evidence/event-1/签到表.txt" in names
    assert set(manifest["members"]) == set(names) - {"bundle.json", "bundle.sig"}
    # the year's records: this year's by their date, and the standing ones (units, people) they stand on
    assert {r["type"] for r in export["records"]} >= {"unit", "person", "event"}
    audit = cli("audit", "--json").json()
    assert manifest["audit"]["count"] == len(audit) == len(export["audit"])

    ok = verify(cli, bundle, key)
    assert ok.exit_code == 0, ok.stderr
    assert "the bundle verifies: xx镇党委, 2026" in ok.stdout
    assert manifest["audit"]["head"] in ok.stdout and f"{len(audit)} entries" in ok.stdout
    assert "anchor: entry" in ok.stdout
    as_json = verify(cli, bundle, key, "--json").json()
    assert as_json["town"] == "xx镇党委" and as_json["year"] == YEAR and as_json["files"] == 1
    assert as_json["audit"] == {"head": manifest["audit"]["head"], "count": len(audit)}
    zh = cli("--lang", "zh", "bundle", "verify", str(bundle), "--key", str(key) + ".pub")
    assert "数据包可信：xx镇党委 2026 年" in zh.stdout


def test_a_record_of_another_year_stays_out_and_the_bundle_still_verifies(town, tmp_path):
    cli, key, _ = town
    old = cli.add("event", "title=去年的讲座", kind="lecture", date=f"{YEAR - 1}-05-01", organizer_unit="unit-3")
    bundle = tmp_path / "again.zip"
    assert cli("bundle", "export", "--year", str(YEAR), "-o", str(bundle), "--key", str(key), "--anchor-file", str(tmp_path / "none.json")).exit_code == 0
    with zipfile.ZipFile(bundle) as z:
        export = json.loads(z.read("export.json"))
    ids = {r["id"] for r in export["records"]}
    assert old not in ids and "event-1" in ids
    assert any(e["record_id"] == old for e in export["audit"])  # the chain is whole: the replay needs it
    assert verify(cli, bundle, key).exit_code == 0
    last = tmp_path / "last.zip"
    assert cli("bundle", "export", "--year", str(YEAR - 1), "-o", str(last), "--key", str(key), "--anchor-file", str(tmp_path / "none.json")).exit_code == 0
    with zipfile.ZipFile(last) as z:
        ids = {r["id"] for r in json.loads(z.read("export.json"))["records"]}
    assert old in ids and "event-1" not in ids
    assert verify(cli, last, key).exit_code == 0


def test_a_record_of_the_year_left_out_is_refused(town, tmp_path):
    """The audit files event-1 in the year: a signer cannot drop it from the year's bundle."""
    cli, key, bundle = town
    forged = _resign(bundle, key, tmp_path, lambda export: export["records"].remove(next(r for r in export["records"] if r["id"] == "event-1")))
    refused = verify(cli, forged, key)
    assert refused.exit_code == 2 and "event-1 is missing" in refused.stderr


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_one_byte_changed_in_any_member_is_refused_naming_it(town, tmp_path, where):
    cli, key, bundle = town
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
    for target in names:
        def flip(name, data, target=target):
            if name != target:
                return data
            i = {"first": 0, "middle": len(data) // 2, "last": len(data) - 1}[where]
            return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]

        changed = tmp_path / "changed.zip"
        rewrite(bundle, changed, flip)
        refused = verify(cli, changed, key)
        assert refused.exit_code == 2, (target, refused.stdout)
        assert target in refused.stderr, (target, refused.stderr)


def test_a_byte_changed_in_the_zip_itself_names_the_member(town, tmp_path):
    cli, key, bundle = town
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as z:
        info = z.getinfo("export.json")
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 10  # inside its compressed bytes
    raw[at] ^= 0x01
    changed = tmp_path / "changed.zip"
    changed.write_bytes(bytes(raw))
    refused = verify(cli, changed, key)
    assert refused.exit_code == 2 and "export.json" in refused.stderr


@pytest.mark.parametrize("member", ["bundle.sig", "export.json", "evidence/event-1/签到表.txt", "bundle.json"])
def test_a_missing_member_is_refused_naming_it(town, tmp_path, member):
    cli, key, bundle = town
    changed = tmp_path / "short.zip"
    rewrite(bundle, changed, lambda name, data: None if name == member else data)
    refused = verify(cli, changed, key)
    assert refused.exit_code == 2 and member in refused.stderr and "missing" in refused.stderr


def test_a_member_added_is_refused(town, tmp_path):
    cli, key, bundle = town
    changed = tmp_path / "more.zip"
    rewrite(bundle, changed, lambda name, data: data)
    with zipfile.ZipFile(changed, "a") as z:
        z.writestr("evidence/event-2/extra.txt", b"not signed")
    refused = verify(cli, changed, key)
    assert refused.exit_code == 2 and "evidence/event-2/extra.txt" in refused.stderr


def test_another_towns_key_is_refused(town, tmp_path):
    cli, key, bundle = town
    other = tmp_path / "other" / "town.key"
    assert cli("bundle", "keygen", "-o", str(other)).exit_code == 0
    refused = verify(cli, bundle, other)
    assert refused.exit_code == 2
    assert "bundle.sig" in refused.stderr and "another key" in refused.stderr
    # a bundle re-signed by another key with the first town's fingerprint written in: the signature fails
    with zipfile.ZipFile(bundle) as z:
        sig = json.loads(z.read("bundle.sig"))
    forged = tmp_path / "forged.zip"
    other_bundle = tmp_path / "other.zip"
    assert cli("bundle", "export", "--year", str(YEAR), "-o", str(other_bundle), "--key", str(other),
               "--anchor-file", str(tmp_path / "none.json")).exit_code == 0

    def claim(name, data):
        if name != "bundle.sig":
            return data
        mine = json.loads(data)
        mine["key"] = sig["key"]
        return (json.dumps(mine, indent=1) + "\n").encode("ascii")

    rewrite(other_bundle, forged, claim)
    refused = verify(cli, forged, key)
    assert refused.exit_code == 2 and "bundle.sig" in refused.stderr and "does not verify" in refused.stderr


def _resign(bundle, key, tmp_path, edit):
    """The bundle with its export edited by ``edit`` and signed again with the town's own key, as
    a town could do by hand: the signature holds, only the import's checks can refuse it."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives import serialization

    from duty_tui import bundle as b

    private = serialization.load_pem_private_key(key.read_bytes(), password=None)
    with zipfile.ZipFile(bundle) as z:
        members = {name: z.read(name) for name in z.namelist()}
    export = json.loads(members["export.json"])
    edit(export)
    members["export.json"] = json.dumps(export, ensure_ascii=False).encode("utf-8")
    manifest = json.loads(members["bundle.json"])
    manifest["members"]["export.json"] = hashlib.sha256(members["export.json"]).hexdigest()
    members["bundle.json"] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    sig = {"signed": "bundle.json", "sha256": hashlib.sha256(members["bundle.json"]).hexdigest(), "key": manifest["key"],
           "ed25519": base64.b64encode(private.sign(members["bundle.json"])).decode("ascii")}
    members["bundle.sig"] = b._signature_bytes(sig)
    forged = tmp_path / "resigned.zip"
    with zipfile.ZipFile(forged, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return forged


def test_records_that_are_not_the_replay_of_the_audit_are_refused_even_when_signed(town, tmp_path):
    cli, key, bundle = town
    with zipfile.ZipFile(bundle) as z:
        i = next(i for i, r in enumerate(json.loads(z.read("export.json"))["records"]) if r["id"] == "event-1")

    def edit(export):
        export["records"][i]["data"]["title"] = "改过的标题"

    refused = verify(cli, _resign(bundle, key, tmp_path, edit), key)
    assert refused.exit_code == 2
    assert f"export.json:records[{i}].data.title" in refused.stderr


def test_only_the_admin_exports_a_bundle(town, tmp_path):
    """A bundle holds the whole audit chain and the users (the export's permission) and is signed
    with the admin's key: a clerk and a leader are refused, nothing written."""
    cli, key, _ = town
    for login, out in (("lina", "clerk.zip"), ("liumy", "leader.zip")):
        refused = cli("bundle", "export", "--year", str(YEAR), "-o", str(tmp_path / out), "--key", str(key), login=login)
        assert refused.exit_code == 3, refused.stderr
        assert not (tmp_path / out).exists()
