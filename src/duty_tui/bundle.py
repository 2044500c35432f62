"""Signed yearly bundles (issue 19, item 3): what a town on its own store hands the county.

A bundle is one zip file:

* ``export.json`` — the year's records as ``duty export`` writes them (same format, header, users,
  settings, counters and the **whole** audit chain, so that the records can be replayed from it),
  with the attached files' entries but not their bytes. The year's records are those whose type
  files them in the year (its ``year_field``), every record of a type that has no year (units,
  people, posts: what the year's records stand on), and whatever those refer to;
* ``evidence/<record id>/<file name>`` — the bytes of each attached file of those records;
* ``bundle.json`` — the manifest: the town (``org.name``), the year, the audit chain's head hash
  and entry count, the newest anchor of the store if an admin wrote one (``duty audit --anchor``),
  who exported it and when, the signing key's fingerprint, and the SHA-256 of every other member;
* ``bundle.sig`` — the town's Ed25519 signature over the bytes of ``bundle.json`` (with, unsigned,
  the key's fingerprint and the manifest's SHA-256, so that a refusal can name the member).

Verifying checks, and names the member of each problem: the signature with the key given, every
member against the manifest (one changed byte, a missing member, one too many), then the
records against the replay of the included audit with every check of ``duty import``
(:func:`duty_tui.exchange.check_export`, in its year's-part mode), the files against the audit's
SHA-256, and the manifest's head, count, town and anchor against the export.

The signature: Ed25519 through the ``cryptography`` package rather than OpenSSH's
``ssh-keygen -Y sign/verify``. It is a well-kept library (the Python Cryptographic Authority's,
wheels for every platform a town's Windows or Linux machine runs), already installed alongside
the project's other dependencies, and it signs in-process: no external program to find, no
temporary files or ``allowed_signers`` file to write, no output of another tool to parse, and
the same behaviour on a county's PostgreSQL server as on a clerk's laptop without OpenSSH.
Keys are PEM files (PKCS#8 private key, 0600; SubjectPublicKeyInfo public key), the format
``openssl pkey`` reads too; a key is named by the SHA-256 of its raw 32 bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import audit
from .errors import FieldError, NotPermitted, ValidationError
from .exchange import _read, check_export, export_header, year_of
from .i18n import L
from .ledger import Ledger
from .registry import Registry
from .schema import REFERENCE, REFERENCES

BUNDLE_FORMAT = "duty-tui/bundle"
BUNDLE_VERSION = 1
MANIFEST = "bundle.json"
SIGNATURE = "bundle.sig"
EXPORT = "export.json"
EVIDENCE = "evidence/"
BUNDLE_ROLES = ("admin",)  # a bundle holds the whole chain and the users, and the key is the admin's (0600)


def _bad(where: str, zh: str, en: str, **kw: Any) -> ValidationError:
    return ValidationError([FieldError(where, L(zh, en).format(**kw) if kw else L(zh, en))])


# -- keys ---------------------------------------------------------------------------------------

def fingerprint(public_key) -> str:
    """SHA256:<hex> of the key's raw 32 bytes: how a town's key is named and registered."""
    from cryptography.hazmat.primitives import serialization

    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "SHA256:" + hashlib.sha256(raw).hexdigest()


def default_key_path(store_url: str) -> Path:
    """Where ``duty bundle keygen`` keeps a store's private key by default: the data folder of the
    admin who runs it (``~/.local/share/duty-tui/keys/``), next to the anchors."""
    anchor = audit.default_anchor_path(store_url)
    return anchor.parent.parent / "keys" / (anchor.stem + ".key")


def keygen(path: str | os.PathLike) -> tuple[Path, Path, str]:
    """A new Ed25519 key pair: the private key at ``path`` (0600, its folder 0700 when made
    here), the public key at ``path`` + ``.pub``; an existing file is never overwritten.
    Returns (private path, public path, fingerprint)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Path(path).expanduser()
    public = private.with_name(private.name + ".pub")
    for p in (private, public):
        if p.exists():
            raise _bad("--output", "{p} 已存在，不会覆盖", "{p} already exists; it is not overwritten", p=str(p))
    if not private.parent.exists():
        private.parent.mkdir(parents=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    try:
        fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise _bad("--output", "{p} 已存在，不会覆盖", "{p} already exists; it is not overwritten", p=str(private)) from None
    except OSError as exc:
        raise _bad(str(private), "无法写入 {p}：{e}", "cannot write {p}: {e}", p=str(private), e=exc.strerror or exc) from None
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    os.chmod(private, 0o600)  # whatever the umask
    pub = key.public_key()
    public.write_bytes(pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public, fingerprint(pub)


def load_private_key(path: str | os.PathLike):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(Path(path).expanduser().read_bytes(), password=None)
    except OSError as exc:
        raise _bad("--key", "无法读取私钥 {p}：{e}（先用 duty bundle keygen 生成）",
                   "cannot read the private key {p}: {e} (make one with `duty bundle keygen`)", p=str(path), e=exc.strerror or exc) from None
    except (ValueError, TypeError):
        raise _bad("--key", "{p} 不是 PEM 格式的私钥", "{p} is not a PEM private key", p=str(path)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise _bad("--key", "{p} 不是 Ed25519 私钥", "{p} is not an Ed25519 private key", p=str(path))
    return key


def load_public_key(path: str | os.PathLike):
    try:
        pem = Path(path).expanduser().read_bytes()
    except OSError as exc:
        raise _bad("--key", "无法读取公钥 {p}：{e}", "cannot read the public key {p}: {e}", p=str(path), e=exc.strerror or exc) from None
    return public_key_from_pem(pem, "--key", str(path))


def public_key_from_pem(pem: bytes, where: str, name: str | None = None):
    """The Ed25519 public key of a PEM text (a .pub file, a registered town key); a
    :class:`ValidationError` naming ``where`` otherwise."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError):
        if name:
            raise _bad(where, "{p} 不是 PEM 格式的公钥（duty bundle keygen 写的 .pub 文件）",
                       "{p} is not a PEM public key (the .pub file `duty bundle keygen` writes)", p=name) from None
        raise _bad(where, "不是 PEM 格式的公钥（duty bundle keygen 写的 .pub 文件的内容）",
                   "not a PEM public key (the content of the .pub file `duty bundle keygen` writes)") from None
    if not isinstance(key, Ed25519PublicKey):
        if name:
            raise _bad(where, "{p} 不是 Ed25519 公钥", "{p} is not an Ed25519 public key", p=name)
        raise _bad(where, "不是 Ed25519 公钥", "not an Ed25519 public key")
    return key


# -- export -------------------------------------------------------------------------------------

def _references(registry: Registry, raw: dict) -> list[str]:
    rt = registry.types.get(raw["type"])
    out: list[str] = []
    for f in rt.fields if rt is not None else ():
        value = raw["data"].get(f.name)
        if f.kind == REFERENCE and isinstance(value, str):
            out.append(value)
        elif f.kind == REFERENCES and isinstance(value, list):
            out.extend(v for v in value if isinstance(v, str))
    return out


def year_records(registry: Registry, records: list[dict], year: int) -> list[dict]:
    """The year's records (module docstring), in the store's order."""
    by_id = {r["id"]: r for r in records}
    keep: set[str] = set()
    todo: list[str] = []
    for r in records:
        rt = registry.types.get(r["type"])
        if rt is None or rt.year_field is None or year_of(r["data"].get(rt.year_field)) in (None, year):
            todo.append(r["id"])
    while todo:
        rid = todo.pop()
        if rid in keep or rid not in by_id:
            continue
        keep.add(rid)
        todo.extend(_references(registry, by_id[rid]))
    return [r for r in records if r["id"] in keep]


def export_bundle(ledger: Ledger, year: int, key_path: str | os.PathLike, out_path: str | os.PathLike,
                  anchor_path: str | os.PathLike | None = None) -> dict[str, Any]:
    """Write the signed bundle of ``year`` to ``out_path`` (the admin); returns the
    manifest written."""
    from .files import write_atomically

    if ledger.user.role not in BUNDLE_ROLES:
        raise NotPermitted(L("{user} 无权导出年度数据包（须为管理员：数据包含完整的审计链和用户，签名密钥仅管理员可读）", "{user} may not export a yearly bundle (the admin does: it holds the whole audit chain and the users, and only the admin reads the signing key)").format(
            user=ledger.user.name))
    lo, hi = ledger.year_range()
    if not lo <= year <= hi:
        raise _bad("--year", "年份应在 {lo}–{hi} 之间", "the year must be within {lo}–{hi}", lo=lo, hi=hi)
    key = load_private_key(key_path)
    try:
        anchor = audit.read_anchor(anchor_path or audit.default_anchor_path(ledger.store.url))
    except ValueError:
        anchor = None
    members: dict[str, bytes] = {}
    with ledger.export_snapshot() as snap:  # one read transaction: records, files and chain agree
        doc = export_header(ledger, snap)
        head, settings = (doc["audit_head"]["seq"], doc["audit_head"]["hash"]), doc["settings"]
        records = year_records(ledger.registry, [rec.as_json() for rec in snap.records()], year)
        kept = {r["id"] for r in records}
        entries = [e.as_json() for e in snap.audit()]
        blobs = []
        for info, data in snap.files():
            if info.record_id in kept:
                blobs.append(info.as_json())
                members[f"{EVIDENCE}{info.record_id}/{info.name}"] = data
        doc.update(records=records, audit=entries, blobs=blobs)
    members = {EXPORT: (json.dumps(doc, ensure_ascii=False, indent=0) + "\n").encode("utf-8"), **members}
    newest = anchor.anchors[-1] if anchor and anchor.anchors else None
    manifest = {
        "format": BUNDLE_FORMAT, "format_version": BUNDLE_VERSION, "town": settings.get("org.name"), "year": year,
        "audit": {"head": head[1], "count": len(entries), "seq": head[0]},
        "anchor": {k: newest[k] for k in ("seq", "head", "at", "by")} if newest and newest["seq"] <= head[0] else None,
        "records": len(records), "files": len(blobs), "exported_at": doc["exported_at"], "exported_by": doc["exported_by"],
        "key": fingerprint(key.public_key()),
        "members": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    signature = {"signed": MANIFEST, "sha256": hashlib.sha256(manifest_bytes).hexdigest(), "key": manifest["key"],
                 "ed25519": base64.b64encode(key.sign(manifest_bytes)).decode("ascii")}
    signature_bytes = _signature_bytes(signature)

    def write(tmp: str) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr(MANIFEST, manifest_bytes)
            z.writestr(SIGNATURE, signature_bytes)
            for name, data in members.items():
                z.writestr(name, data)

    write_atomically(out_path, write, private=True)  # the town's records: for its owner only
    return manifest


SIGNATURE_KEYS = ("signed", "sha256", "key", "ed25519")


def _signature_bytes(sig: dict) -> bytes:
    """``bundle.sig`` as it is written: the verifier asks for these very bytes, so that no byte of
    it may change unnoticed (whitespace included)."""
    return (json.dumps({k: sig.get(k) for k in SIGNATURE_KEYS}, indent=1) + "\n").encode("ascii")


# -- verify -------------------------------------------------------------------------------------

@dataclass
class Verified:
    """What a bundle that verifies vouches for."""

    town: str | None
    year: int
    head: str
    count: int
    records: int
    files: int
    key: str
    exported_at: str
    exported_by: str
    anchor: dict | None = None
    manifest: dict = field(default_factory=dict)
    # the export as it was checked: (the document, with the files' bytes; exchange's check of it),
    # what restore_bundle writes
    checked: Any = field(default=None, repr=False, compare=False)

    def hash_at(self, seq: int) -> str | None:
        """The hash of the chain's entry ``seq`` (None beyond its end)."""
        entries = self.checked[1].entries if self.checked else []
        return entries[seq - 1].hash if 0 < seq <= len(entries) else None

    def as_json(self) -> dict[str, Any]:
        return {"ok": True, "town": self.town, "year": self.year, "audit": {"head": self.head, "count": self.count},
                "records": self.records, "files": self.files, "key": self.key, "exported_at": self.exported_at,
                "exported_by": self.exported_by, "anchor": self.anchor}


def checked_export(members: dict[str, bytes], registry: Registry, year: int) -> tuple[dict, Any]:
    """The bundle's ``export.json`` with the files' bytes put back in, and exchange's check of it
    as the year's part (:func:`duty_tui.exchange.check_export`): every problem named by its member."""
    try:
        doc, found = _read(members[EXPORT])
    except ValidationError as exc:
        raise ValidationError([FieldError(f"{EXPORT}:{e.field}", e.reason) for e in exc.errors]) from None
    blobs = doc.get("blobs", []) if isinstance(doc.get("blobs", []), list) else []
    for i, b in enumerate(blobs):
        if isinstance(b, dict) and "data" not in b:
            name = f"{EVIDENCE}{b.get('record_id')}/{b.get('name')}"
            if name not in members:
                raise _bad(name, "缺少此附件（{e} 的 blobs[{i}] 列出了它）", "this file is missing ({e} lists it as blobs[{i}])", e=EXPORT, i=i)
            b["data"] = base64.b64encode(members[name]).decode("ascii")
    named = {f"{EVIDENCE}{b.get('record_id')}/{b.get('name')}" for b in blobs if isinstance(b, dict)}
    for name in members:
        if name.startswith(EVIDENCE) and name not in named:
            raise _bad(name, "{e} 中没有这个附件", "{e} does not list this file", e=EXPORT)
    try:
        checked = check_export(doc, registry, found, year=year)
    except ValidationError as exc:
        raise ValidationError([FieldError(f"{EXPORT}:{e.field}", e.reason) for e in exc.errors]) from None
    return doc, checked


def _json_member(name: str, data: bytes) -> dict:
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _bad(name, "不是有效的 JSON", "not valid JSON") from None
    if not isinstance(doc, dict):
        raise _bad(name, "应为 JSON 对象", "must be a JSON object")
    return doc


def read_members(source: str | os.PathLike | bytes) -> tuple[bytes, dict[str, bytes]]:
    """The bundle file's bytes and its members by name (``bundle.json`` and ``bundle.sig`` among
    them); a :class:`ValidationError` naming the member that cannot be read."""
    try:
        raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        raise _bad("file", "无法读取 {p}：{e}", "cannot read {p}: {e}", p=str(source), e=exc.strerror or exc) from None
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
        names = [i.filename for i in z.infolist()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise _bad("file", "不是 duty-tui 的年度数据包（zip 文件无法读取）", "not a duty-tui bundle (the zip file cannot be read)") from None
    if len(set(names)) != len(names):
        raise _bad("file", "数据包中有重名的成员", "the bundle holds a member twice")
    members: dict[str, bytes] = {}
    for name in names:
        try:
            members[name] = z.read(name)
        except Exception as exc:  # a changed byte in the zip's own copy: a CRC or zlib error
            raise _bad(name, "此成员已损坏（{e}）", "this member is damaged ({e})", e=str(exc)[:200]) from None
    for name in (MANIFEST, SIGNATURE):
        if name not in members:
            raise _bad(name, "缺少此成员", "this member is missing")
    return raw, members


def signer_of(members: dict[str, bytes]) -> str:
    """The fingerprint of the key ``bundle.sig`` says signed the bundle: what finds the town's
    registered key (the signature, checked with that key, then vouches for it)."""
    sig = _json_member(SIGNATURE, members[SIGNATURE])
    key = sig.get("key")
    if not isinstance(key, str) or not key.startswith("SHA256:"):
        raise _bad(SIGNATURE, "不是 duty bundle export 写下的签名文件（没有密钥指纹）", "not the signature file `duty bundle export` writes (no key fingerprint)")
    return key


def verify_bundle(source: str | os.PathLike | bytes, public_key, registry: Registry,
                  members: dict[str, bytes] | None = None) -> Verified:
    """Every check of the module docstring; a :class:`ValidationError` (exit 2) naming the member
    and the reason of the first that fails (after the members, every problem of the export).
    ``public_key``: the .pub file's path, or the key itself; ``members``: those
    :func:`read_members` read of ``source`` already."""
    from cryptography.exceptions import InvalidSignature

    key = public_key if hasattr(public_key, "verify") else load_public_key(public_key)
    want_key = fingerprint(key)
    if members is None:
        _, members = read_members(source)
    # the signature over the manifest
    sig = _json_member(SIGNATURE, members[SIGNATURE])
    if set(sig) != set(SIGNATURE_KEYS) or sig.get("signed") != MANIFEST or _signature_bytes(sig) != members[SIGNATURE]:
        raise _bad(SIGNATURE, "不是 duty bundle export 写下的签名文件（内容被改动）", "not the signature file `duty bundle export` writes (it was changed)")
    if sig.get("key") != want_key:
        raise _bad(SIGNATURE, "由另一把密钥签名（{k}），而不是所给的公钥（{want}）：不是这个镇的数据包",
                   "signed by another key ({k}), not the key given ({want}): not this town's bundle", k=str(sig.get("key"))[:80], want=want_key)
    manifest_changed = sig.get("sha256") != hashlib.sha256(members[MANIFEST]).hexdigest()
    try:
        key.verify(base64.b64decode(str(sig.get("ed25519")), validate=True), members[MANIFEST])
    except (InvalidSignature, ValueError):
        if manifest_changed:
            raise _bad(MANIFEST, "签名后被改动（签名无法验证，SHA-256 与签名所记不符）",
                       "changed after it was signed (the signature does not verify; its SHA-256 is not the one signed)") from None
        raise _bad(SIGNATURE, "签名无法用所给的公钥验证（{want}）：签名被改动", "the signature does not verify with the key given ({want}): it was changed",
                   want=want_key) from None
    if manifest_changed:  # the signature holds, so the hash beside it was what changed
        raise _bad(SIGNATURE, "所记的 {m} 的 SHA-256 被改动", "the SHA-256 of {m} it gives was changed", m=MANIFEST)
    manifest = _json_member(MANIFEST, members[MANIFEST])
    if manifest.get("format") != BUNDLE_FORMAT or manifest.get("format_version") != BUNDLE_VERSION:
        raise _bad(MANIFEST, "不支持的数据包格式（本程序读 {f} 版本 {v}）", "unsupported bundle format (this duty-tui reads {f} version {v})",
                   f=BUNDLE_FORMAT, v=BUNDLE_VERSION)
    listed = manifest.get("members")
    if not isinstance(listed, dict):
        raise _bad(f"{MANIFEST}.members", "缺失", "missing")
    # every member as the manifest lists it
    problems: list[FieldError] = []
    for name, digest in listed.items():
        if name not in members:
            problems.append(FieldError(name, L("缺少此成员（清单中列出了它）", "this member is missing (the manifest lists it)")))
        elif hashlib.sha256(members[name]).hexdigest() != digest:
            problems.append(FieldError(name, L("内容被改动：SHA-256 与清单不符", "changed: its SHA-256 does not match the manifest")))
    for name in members:
        if name not in listed and name not in (MANIFEST, SIGNATURE):
            problems.append(FieldError(name, L("清单中没有此成员", "the manifest does not list this member")))
    if problems:
        raise ValidationError(problems)
    if EXPORT not in listed:
        raise _bad(EXPORT, "缺少此成员", "this member is missing")
    year = manifest.get("year")
    if type(year) is not int:
        raise _bad(f"{MANIFEST}.year", "应为年份", "must be a year")
    # the records against the replay of the included audit: every check of `duty import`
    doc, checked = checked_export(members, registry, year)
    blobs = doc.get("blobs") or []
    # the manifest's statements against the export
    entries = doc["audit"]
    head = entries[-1]["hash"] if entries else "0" * 64
    claims = manifest.get("audit") if isinstance(manifest.get("audit"), dict) else {}
    if claims.get("head") != head or claims.get("count") != len(entries) or doc["audit_head"].get("hash") != head:
        raise _bad(f"{MANIFEST}.audit", "与 {e} 中的审计链不符（链头 {h}，{n} 条）", "does not match the audit chain in {e} (head {h}, {n} entries)",
                   e=EXPORT, h=head, n=len(entries))
    town = doc["settings"].get("org.name")
    if manifest.get("town") != town:
        raise _bad(f"{MANIFEST}.town", "与 {e} 中的单位名称不符", "does not match the organisation's name in {e}", e=EXPORT)
    anchor = manifest.get("anchor")
    if anchor is not None:
        by_seq = {e.get("seq"): e.get("hash") for e in entries}
        if not isinstance(anchor, dict) or by_seq.get(anchor.get("seq")) != anchor.get("head"):
            raise _bad(f"{MANIFEST}.anchor", "锚点不在所含的审计链上", "the anchor is not on the included audit chain")
    return Verified(town=town, year=year, head=head, count=len(entries), records=len(doc["records"]), files=len(blobs),
                    key=want_key, exported_at=str(manifest.get("exported_at")), exported_by=str(manifest.get("exported_by")),
                    anchor=anchor, manifest=manifest, checked=(doc, checked))



# -- restore (the county's read-only copy) -------------------------------------------------------------

def restore_bundle(store, registry: Registry, login: str, raw: bytes, checked: tuple[dict, Any] | None = None) -> Ledger:
    """Fill the empty ``store`` with a bundle's records, users, settings, chain and files
    (:meth:`Ledger.restore`, sealed by ``login``): what the county reads an imported town from.
    ``checked``: :attr:`Verified.checked` of this bundle; without it the export is checked here
    (the bundle's signature is not: it was when the bundle was imported)."""
    if checked is None:
        _, members = read_members(raw)
        manifest = _json_member(MANIFEST, members[MANIFEST])
        year = manifest.get("year")
        if type(year) is not int or EXPORT not in members:
            raise _bad(MANIFEST, "不是 duty-tui 的年度数据包", "not a duty-tui bundle")
        checked = checked_export(members, registry, year)
    doc, c = checked
    return Ledger.restore(store, registry, login, records=c.records, counters=doc["counters"], settings=doc["settings"], users=c.users,
                          entries=c.entries, blobs=c.blobs, exported_at=doc.get("exported_at"))
