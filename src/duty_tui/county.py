"""The county's side of the signed yearly bundles (issue 19, items 2 and 3): the towns a county
store checks, scores and reports on.

A county store holds two kinds of town:

* **resident** towns keep their records in the county store itself: each is a top unit (a unit
  with no parent) with records of its own, read through ``ledger.narrowed(unit)`` (that unit and
  the units below it);
* **imported** towns keep their own SQLite store and hand the county a signed yearly bundle
  (:mod:`duty_tui.bundle`). The county registers the town's public key (``town_key``: the town's
  unit in the county store, the key's PEM and fingerprint) and keeps the newest bundle of each
  year it received as a ``town_copy`` (who signed it, the audit chain's count and head, when it
  was exported, how many records, the bundle file's SHA-256; the bundle itself attached to it).
  Such a town is read from the bundle's records: the bundle's ``export.json`` restored once into
  a cached SQLite file (``DUTY_CACHE_DIR``, else the user's cache folder, ``bundles/<sha256>.db``)
  and read there by a viewer ledger, so the county's checks, scores and reports treat it as they
  treat a resident town.

Both record types are the county admin's: every write of them is refused to anyone else (the
``duty_validate`` hook below), and each goes through the ledger: validated, audited, one
transaction. A town is named by its unit's name, which for an imported town must be the name the
town's own store gives itself (``org.name``): a bundle whose town is another is refused as
foreign.

:func:`import_bundle` is ``duty bundle import``: the signer's key finds the town, the bundle is
verified (:func:`duty_tui.bundle.verify_bundle`), a foreign or older bundle is refused saying why,
an identical one changes nothing, and otherwise the town's copy of that year is created or
replaced, record and file, in one transaction.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import FieldError, NotPermitted, ValidationError
from .hookspecs import hookimpl
from .i18n import L
from .ledger import ID_RE, Ledger, Record
from .rules import Finding
from .schema import INTEGER, LONG_TEXT, REFERENCE, TEXT, Field, RecordType
from .store import Filter, User

APP = "duty-tui"
CACHE_ENV = "DUTY_CACHE_DIR"
RESIDENT, IMPORTED = "resident", "imported"
HEX64 = re.compile(r"^[0-9a-f]{64}$")
FINGERPRINT = re.compile(r"^SHA256:[0-9a-f]{64}$")
ADMIN_ONLY = ("town_key", "town_copy")

TOWN_KEY = RecordType(
    name="town_key",
    hidden_until_used=True,  # a town's own store has no keys: its navigation does not list them
    label=L("乡镇签名公钥", "Town key"),
    short_label=L("乡镇公钥", "Town keys"),
    count_label=L("{n} 把", "{n} key(s)"),
    area="directory",
    help=L("上级登记的乡镇公钥：用于核验该镇报送的年度数据包（duty bundle trust 登记；仅管理员）",
           "a town's public key, registered by the county to verify the town's yearly bundles (duty bundle trust; admins only)"),
    fields=(
        Field("town", REFERENCE, L("乡镇", "Town"), required=True, target="unit", indexed=True,
              help=L("本存储中代表该镇的顶级单位（无上级单位）；其名称须与该镇数据包中的单位名称一致",
                     "the top unit (no parent) that stands for the town here; its name must be the name the town's bundles give")),
        Field("public_key", LONG_TEXT, L("公钥（PEM）", "Public key (PEM)"), required=True,
              help=L("duty bundle keygen 生成的 .pub 文件的内容", "the content of the .pub file `duty bundle keygen` wrote")),
        Field("fingerprint", TEXT, L("指纹", "Fingerprint"), required=True, indexed=True, searchable=True, max_length=80,
              help=L("SHA256:…，须与公钥相符", "SHA256:…, which must match the key")),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    title_field="town",
    list_columns=("town", "fingerprint"),
)

TOWN_COPY = RecordType(
    name="town_copy",
    hidden_until_used=True,
    label=L("乡镇年度数据副本", "Town copy"),
    short_label=L("乡镇副本", "Town copies"),
    count_label=L("{n} 份", "{n} copy/copies"),
    area="directory",
    help=L("某镇某年度数据包的只读副本（duty bundle import 写入，数据包作为附件；仅管理员）",
           "the read-only copy of a town's yearly bundle (written by duty bundle import, the bundle attached; admins only)"),
    fields=(
        Field("town", REFERENCE, L("乡镇", "Town"), required=True, target="unit", indexed=True),
        Field("year", INTEGER, L("年度", "Year"), required=True, indexed=True, min_value=1900, max_value=2200),
        Field("signer", TEXT, L("签名密钥指纹", "Signed by (fingerprint)"), required=True, max_length=80),
        Field("audit_count", INTEGER, L("审计链条数", "Audit entries"), required=True, min_value=0),
        Field("audit_head", TEXT, L("审计链头", "Audit head"), required=True, max_length=64),
        Field("exported_at", TEXT, L("导出时间", "Exported at"), max_length=40),
        Field("records", INTEGER, L("记录数", "Records"), min_value=0),
        Field("sha256", TEXT, L("数据包 SHA-256", "Bundle SHA-256"), required=True, indexed=True, max_length=64),
    ),
    title_field="town",
    year_field="year",
    list_columns=("town", "year", "audit_count", "records", "exported_at"),
    describe=("year",),
)


@hookimpl
def duty_register_types(register):
    register(TOWN_KEY)
    register(TOWN_COPY)


def _problem(field_name: str, zh: str, en: str, **kw: Any) -> FieldError:
    return FieldError(field_name, L(zh, en).format(**kw) if kw else L(zh, en))


@hookimpl
def duty_validate(ledger, action, record_type, before, after):
    """Town keys and copies are the county admin's; a town is a top unit; a key's fingerprint is
    the key's and registered once; a copy is signed by a key of its town, one per town and year."""
    if record_type.name not in ADMIN_ONLY:
        return []
    if getattr(getattr(ledger, "user", None), "role", "admin") != "admin":
        return [_problem("town", "乡镇公钥与数据副本只有管理员可以修改", "only an admin may change town keys and town copies")]
    if not after or action == "delete":
        return []
    errors: list[FieldError] = []
    town = ledger.find(after["town"]) if after.get("town") else None
    if town is not None and town.data.get("parent"):
        errors.append(_problem("town", "{id}（{name}）有上级单位，不是顶级单位：乡镇须为顶级单位",
                               "{id} ({name}) has a parent unit: a town must be a top unit", id=town.id, name=town.data.get("name")))
    if record_type.name == "town_key":
        errors += _key_problems(ledger, after)
    else:
        errors += _copy_problems(ledger, after)
    return errors


def _key_problems(ledger, after: dict) -> list[FieldError]:
    from .bundle import fingerprint, public_key_from_pem

    try:
        key = public_key_from_pem((after.get("public_key") or "").encode("utf-8"), "public_key")
    except ValidationError as exc:
        return list(exc.errors)
    fp = fingerprint(key)
    if after.get("fingerprint") != fp:
        return [_problem("fingerprint", "与公钥不符（该公钥的指纹为 {fp}）", "does not match the key (the key's fingerprint is {fp})", fp=fp)]
    others = [r.id for r in ledger.all("town_key", fingerprint=fp) if r.id != after.get("id")]
    if others:
        return [_problem("fingerprint", "该公钥已登记（{other}）", "this key is registered already ({other})", other=others[0])]
    return []


def _copy_problems(ledger, after: dict) -> list[FieldError]:
    errors: list[FieldError] = []
    for name, pattern in (("audit_head", HEX64), ("sha256", HEX64), ("signer", FINGERPRINT)):
        if after.get(name) and not pattern.match(after[name]):
            errors.append(_problem(name, "格式不对（应为 {form}）", "not well formed (it must be {form})",
                                   form="SHA256:<64 hex>" if name == "signer" else "64 hex digits"))
    if errors or not after.get("town"):
        return errors
    keys = ledger.all("town_key", fingerprint=after["signer"])
    if not any(k.data.get("town") == after["town"] for k in keys):
        errors.append(_problem("signer", "不是 {town} 登记的公钥", "is not a key registered for {town}", town=after["town"]))
    others = [r.id for r in ledger.all("town_copy", town=after["town"], year=after.get("year")) if r.id != after.get("id")]
    if others:
        errors.append(_problem("year", "{town} 的 {year} 年度副本已有（{other}）", "{town} has a copy for {year} already ({other})",
                               town=after["town"], year=after.get("year"), other=others[0]))
    return errors


# -- towns ----------------------------------------------------------------------------------------

@dataclass(eq=False)
class Town:
    """One town of a county store, as the county's checks, scores, dashboard and report read it.

    ``unit``: the id of its top unit in the county store; ``name``: that unit's name; ``kind``:
    ``"resident"`` or ``"imported"``; ``ledger``: a ledger that reads that town (a resident town:
    the county ledger narrowed to the unit; an imported town: a viewer ledger on the restored
    bundle, built on first use). For an imported town, ``year`` and ``copy`` are the year and the
    ``town_copy`` id of the bundle read, ``sha256`` the bundle file's."""

    unit: str
    name: str
    kind: str
    year: int | None = None
    copy: str | None = None
    sha256: str | None = None
    _open: Callable[[], Ledger] | None = field(default=None, repr=False)

    @cached_property
    def ledger(self) -> Ledger:
        assert self._open is not None
        return self._open()


def top_units(ledger: Ledger) -> list[Record]:
    """The units with no parent."""
    units = ledger.query("unit", filters=(Filter("parent", "empty"),), limit=None)
    return sorted(units, key=lambda u: _by_number(u.id))


def _by_number(record_id: str) -> tuple[str, int]:
    kind, _, num = record_id.rpartition("-")
    return kind, int(num) if num.isdigit() else 0


def towns(ledger: Ledger, year: int | None = None, *, progress: Callable[[str], None] | None = None) -> list[Town]:
    """The towns this ledger's operator may read, in the order of their units: the resident ones and the imported
    ones (each with the copy of ``year``, or its newest copy; a town with no copy of that year is
    left out: :func:`missing_copies` names them). An operator bound to a unit reads their own
    part only: one resident town, their scope. ``progress`` hears of a bundle restored for the
    first time (it takes seconds)."""
    return list(_towns(ledger, year, progress))


def _towns(ledger: Ledger, year: int | None, progress: Callable[[str], None] | None = None) -> Iterator[Town]:
    """:func:`towns`, one at a time (a top unit's records are looked for only when the one before it is given)."""
    scope = ledger.scope
    if scope is not None:
        unit = ledger.get(scope)
        yield Town(scope, str(unit.data.get("name") or scope), RESIDENT, _open=lambda: ledger)
        return
    keyed = {r.data["town"] for r in ledger.all("town_key")}
    copies: dict[str, Record] = {}
    for c in ledger.all("town_copy"):
        if year is not None and c.data.get("year") != year:
            continue
        held = copies.get(c.data["town"])
        if held is None or c.data["year"] > held.data["year"]:
            copies[c.data["town"]] = c
    county_types = set(ADMIN_ONLY)
    for unit in top_units(ledger):  # in the order of their units (by id), the order the county set them up in
        name = str(unit.data.get("name") or unit.id)
        if unit.id in copies:
            c = copies[unit.id]
            yield Town(unit.id, name, IMPORTED, c.data["year"], c.id, c.data["sha256"],
                       _open=lambda c=c: copy_ledger(ledger, c, progress=progress))
        elif unit.id not in keyed and _has_own_records(ledger, unit.id, county_types):
            yield Town(unit.id, name, RESIDENT, _open=lambda u=unit.id: _resident_ledger(ledger, u))


def oversees_towns(ledger: Ledger) -> bool:
    """Whether this ledger's operator oversees several towns: bound to no unit, in a store of two
    towns or more (resident or imported). Such an operator's `duty` opens on the county screen,
    the question they open it to ask; the main dashboard reads the whole county only when they go
    to it. A few small reads (the top units and the first referrers of the first two that are
    towns); the app asks :func:`duty_tui.directory.several_top_units` first, which a town's own
    store answers without importing this module."""
    return ledger.scope is None and len(list(itertools.islice(_towns(ledger, None), 2))) == 2


def _resident_ledger(ledger: Ledger, unit_id: str) -> Ledger:
    return ledger.narrowed(unit_id)  # the same account, reading and writing that town only


def _has_own_records(ledger: Ledger, unit_id: str, county_types: set[str]) -> bool:
    """Whether anything but the county's own records (its key, its copies) refers to the unit:
    a unit below it, a person in it, a record of it."""
    return any(rid.rsplit("-", 1)[0] not in county_types for rid, _ in ledger.referrers(unit_id, limit=50))


def missing_copies(ledger: Ledger, year: int) -> list[tuple[str, str]]:
    """(unit id, name) of the towns with a registered key but no copy of ``year``."""
    keyed = {r.data["town"] for r in ledger.all("town_key")}
    held = {c.data["town"] for c in ledger.all("town_copy", year=year)}
    names = ledger.titles(sorted(keyed - held))
    return sorted(((u, names.get(u) or u) for u in keyed - held), key=lambda p: _by_number(p[0]))


def find_town_unit(ledger: Ledger, text: str, option: str = "--town") -> Record:
    """A top unit by its id (``unit-3``) or its exact name; exit 2 naming ``option`` otherwise."""
    text = (text or "").strip()
    if ID_RE.match(text):
        found = ledger.find(text)
        if found is None or found.type != "unit":
            raise ValidationError([_problem(option, "没有单位 {id}", "there is no unit {id}", id=text)])
        units = [found]
    else:
        units = ledger.all("unit", name=text)
        if not units:
            raise ValidationError([_problem(option, "没有名为“{name}”的单位", "there is no unit named “{name}”", name=text)])
        if len(units) > 1:
            raise ValidationError([_problem(option, "有 {n} 个单位名为“{name}”（{ids}）：请写编号", "{n} units are named “{name}” ({ids}): give the id",
                                            n=len(units), name=text, ids=", ".join(u.id for u in units))])
    unit = units[0]
    if unit.data.get("parent"):
        raise ValidationError([_problem(option, "{id}（{name}）有上级单位，不是乡镇（顶级单位）", "{id} ({name}) has a parent unit: it is not a town (a top unit)",
                                        id=unit.id, name=unit.data.get("name"))])
    return unit


# -- the cached copies ------------------------------------------------------------------------------

def cache_dir() -> Path:
    """Where restored bundles are kept: ``DUTY_CACHE_DIR``, else the user's cache folder."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP))


def cache_path(sha256: str) -> Path:
    return cache_dir() / "bundles" / f"{sha256}.db"


def copy_ledger(ledger: Ledger, copy: Record, *, progress: Callable[[str], None] | None = None) -> Ledger:
    """A viewer ledger on the bundle of a ``town_copy``: its cached store, restored from the
    bundle attached to the copy the first time."""
    sha = copy.data["sha256"]
    path = cache_path(sha)
    if not path.exists():
        if progress:
            progress(copy.id)
        _, raw = ledger.read_file(copy.id, bundle_file_name(copy.data["year"]))
        if hashlib.sha256(raw).hexdigest() != sha:
            from .errors import StoreError

            raise StoreError(L("{id} 所附的数据包与其 SHA-256 不符", "the bundle attached to {id} does not match its SHA-256").format(id=copy.id))
        build_cache(ledger, raw, sha)
    return open_cached(ledger, path)


_OPEN: dict[tuple[str, tuple[str, ...]], Any] = {}  # (cached file, the types loaded) → its store, opened once per process


def open_cached(ledger: Ledger, path: Path) -> Ledger:
    """A viewer ledger on a cached copy; its store is opened once per process (a county screen
    reloaded every minute would otherwise gather open files)."""
    from .store import open_store

    key = (str(path), tuple(sorted(ledger.registry.types)))
    store = _OPEN.get(key)
    if store is None:
        store = _OPEN[key] = open_store(f"sqlite:///{path}", ledger.registry)
    return Ledger(store, ledger.registry, User(ledger.user.name, "viewer"), clock=ledger.clock)


def build_cache(ledger: Ledger, raw: bytes, sha: str, checked=None) -> Path:
    """Restore the bundle's records into ``cache_path(sha)`` (once; a file built meanwhile by
    another process is kept). ``checked``: the bundle's export as :func:`duty_tui.bundle.verify_bundle`
    checked it already."""
    from .bundle import restore_bundle
    from .store import open_store

    path = cache_path(sha)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{sha}.{os.getpid()}.building.db")
    for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
        leftover.unlink(missing_ok=True)
    store = open_store(f"sqlite:///{tmp}", ledger.registry)
    try:
        restore_bundle(store, ledger.registry, ledger.user.name, raw, checked=checked)
    except BaseException:
        store.close()
        tmp.unlink(missing_ok=True)
        raise
    store.close()
    os.chmod(tmp, 0o600)  # a town's records: the county admin's
    os.replace(tmp, path)
    return path


def bundle_file_name(year: int) -> str:
    """The name the bundle of a year is attached to its ``town_copy`` under."""
    return f"bundle-{year}.zip"


# -- registering a town's key ---------------------------------------------------------------------------

def _admin_only(ledger: Ledger, zh: str, en: str) -> None:
    if ledger.user.role != "admin":
        raise NotPermitted(L("{user}（{role}）无权{what}：仅管理员", "{user} ({role}) may not {what}: admins only").format(
            user=ledger.user.name, role=ledger.user.role, what=L(zh, en)))


@dataclass
class Trusted:
    record: Record
    unit: Record
    fingerprint: str
    new: bool


def trust_key(ledger: Ledger, town: str, key_path: str | os.PathLike, notes: str | None = None) -> Trusted:
    """Register the public key at ``key_path`` as the key of ``town`` (a top unit, by id or name):
    a ``town_key`` record. The same key registered for the same town again changes nothing."""
    from .bundle import fingerprint, load_public_key

    _admin_only(ledger, "登记乡镇公钥", "register a town's key")
    unit = find_town_unit(ledger, town)
    key = load_public_key(key_path)
    fp = fingerprint(key)
    held = ledger.all("town_key", fingerprint=fp)
    if held and held[0].data.get("town") == unit.id:
        return Trusted(held[0], unit, fp, False)
    from cryptography.hazmat.primitives import serialization

    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
    values = {"town": unit.id, "public_key": pem.strip(), "fingerprint": fp}
    if notes:
        values["notes"] = notes
    return Trusted(ledger.create("town_key", values), unit, fp, True)


# -- importing a town's bundle ------------------------------------------------------------------------------

CREATED, REPLACED, UNCHANGED = "created", "replaced", "unchanged"


@dataclass
class Imported:
    """What ``duty bundle import`` did: ``status`` created, replaced or unchanged."""

    status: str
    unit: str
    name: str
    year: int
    copy: str
    count: int
    head: str
    records: int
    sha256: str
    previous: dict | None = None  # the copy replaced: its count and head

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "town": {"unit": self.unit, "name": self.name}, "year": self.year, "copy": self.copy,
                "audit": {"count": self.count, "head": self.head}, "records": self.records, "sha256": self.sha256,
                "previous": self.previous}


def _refused(where: str, zh: str, en: str, **kw: Any) -> ValidationError:
    return ValidationError([_problem(where, zh, en, **kw)])


def import_bundle(ledger: Ledger, source: str | os.PathLike | bytes, *, progress: Callable[[L], None] | None = None) -> Imported:
    """``duty bundle import`` (module docstring): every refusal is a :class:`ValidationError`
    (exit 2) saying why, and writes nothing."""
    from .bundle import MANIFEST, SIGNATURE, public_key_from_pem, read_members, signer_of, verify_bundle

    _admin_only(ledger, "导入乡镇的年度数据包", "import a town's yearly bundle")
    say = progress or (lambda message: None)
    raw, members = read_members(source)
    sha = hashlib.sha256(raw).hexdigest()
    fp = signer_of(members)
    keys = ledger.all("town_key", fingerprint=fp)
    if not keys:
        raise _refused(SIGNATURE, "签名密钥 {fp} 未在本存储登记：不知道是哪个镇的数据包（先用 duty bundle trust --town 单位 --key 公钥.pub 登记该镇的公钥）",
                       "signed by a key not registered here ({fp}): whose bundle it is is unknown (register the town's key first: "
                       "duty bundle trust --town UNIT --key FILE.pub)", fp=fp)
    key_record = keys[0]
    unit = ledger.get(key_record.data["town"])
    name = str(unit.data.get("name") or "")
    key = public_key_from_pem(key_record.data["public_key"].encode("utf-8"), f"{key_record.id}.public_key")
    say(L("核验签名与审计链……", "verifying the signature and the audit chain…"))
    v = verify_bundle(raw, key, ledger.registry, members=members)
    if v.town != name:
        raise _refused(f"{MANIFEST}.town", "不是本镇的数据包：数据包的单位为“{town}”，而签名密钥登记给了“{name}”（{unit}）",
                       "a foreign bundle: it is the bundle of “{town}”, but its key is registered for “{name}” ({unit})",
                       town=v.town or "", name=name, unit=unit.id)
    held = next(iter(ledger.all("town_copy", town=unit.id, year=v.year)), None)
    result = Imported(CREATED, unit.id, name, v.year, held.id if held else "", v.count, v.head, v.records, sha)
    if held is not None:
        count, head = held.data["audit_count"], held.data["audit_head"]
        result.previous = {"count": count, "head": head, "sha256": held.data["sha256"]}
        if held.data["sha256"] == sha:
            result.status = UNCHANGED
            return result
        if v.count < count:
            raise _refused(f"{MANIFEST}.audit", "比已导入的 {year} 年度副本旧：审计链 {n} 条，少于已有副本的 {have} 条（{copy}）",
                           "older than the copy of {year} held ({copy}): its audit chain has {n} entries, fewer than the {have} held",
                           year=v.year, n=v.count, have=count, copy=held.id)
        if v.count == count and v.head != head:
            raise _refused(f"{MANIFEST}.audit", "与已导入的 {year} 年度副本（{copy}）条数相同（{n} 条）而链头不同（{head} ≠ {have}）：不是同一段历史",
                           "as many audit entries as the copy of {year} held ({copy}, {n}) but a different head ({head} ≠ {have}): not the same history",
                           year=v.year, copy=held.id, n=v.count, head=v.head, have=head)
        if v.hash_at(count) != head:
            raise _refused(f"{MANIFEST}.audit", "审计链第 {n} 条与已导入的 {year} 年度副本（{copy}）的链头不同：不是其后续，而是另一段历史",
                           "entry {n} of its audit chain is not the head of the copy of {year} held ({copy}): it does not continue that history",
                           n=count, year=v.year, copy=held.id)
        result.status = REPLACED
    say(L("恢复为只读副本……", "restoring the read-only copy…"))
    build_cache(ledger, raw, sha, checked=v.checked)
    values = {"town": unit.id, "year": v.year, "signer": fp, "audit_count": v.count, "audit_head": v.head,
              "exported_at": v.exported_at, "records": v.records, "sha256": sha}
    say(L("写入本存储……", "writing it into this store…"))
    with ledger.transaction():
        if held is None:
            copy = ledger.create("town_copy", values)
        else:
            copy = ledger.update(held.id, values, expected_version=held.version)
        ledger.attach(copy.id, [(bundle_file_name(v.year), raw)])
    result.copy = copy.id
    return result


def chosen_towns(ledger: Ledger, which: str, year: int | None, option: str = "--town",
                 progress: Callable[[str], None] | None = None) -> list[Town]:
    """``--town UNIT|all`` of ``duty check`` and ``duty score``: every town (:func:`towns`), or the
    one whose unit is given by id or name; a :class:`ValidationError` naming ``option`` when there
    is none (no town here, a unit that is no town, a town with no copy of ``year``)."""
    found = towns(ledger, year, progress=progress)
    if which.strip().lower() == "all":
        if not found:
            raise _refused(option, "本存储中没有乡镇：既没有自有记录的顶级单位，也没有导入的{year}年度副本",
                           "there is no town in this store: no top unit with records of its own, no imported copy{of_year}",
                           year=f" {year} " if year else "", of_year=f" of {year}" if year else "")
        return found
    if ledger.scope is not None:  # an operator bound to a unit: their own part only
        if which.strip() in (found[0].unit, found[0].name):
            return found
        raise _refused(option, "你只能查看本单位：{name}（{unit}）", "you may read your own unit only: {name} ({unit})",
                       name=found[0].name, unit=found[0].unit)
    unit = find_town_unit(ledger, which, option)
    match = [t for t in found if t.unit == unit.id]
    if match:
        return match
    name = unit.data.get("name") or unit.id
    if ledger.all("town_key", town=unit.id):
        raise _refused(option, "{name}（{id}）没有{year}年度的副本：请先用 duty bundle import 导入该镇的数据包",
                       "{name} ({id}) has no copy{of_year}: import the town's bundle first (duty bundle import)",
                       name=name, id=unit.id, year=f" {year} " if year else "", of_year=f" of {year}" if year else "")
    raise _refused(option, "{name}（{id}）不是乡镇：本存储中没有它的记录，也没有登记它的公钥", "{name} ({id}) is not a town: "
                   "it has no records of its own here and no registered key", name=name, id=unit.id)


def town_json(town: Town) -> dict[str, Any]:
    """How a town is named in JSON output."""
    out: dict[str, Any] = {"unit": town.unit, "name": town.name, "kind": town.kind}
    if town.kind == IMPORTED:
        out.update(year=town.year, copy=town.copy, sha256=town.sha256)
    return out


def town_heading(town: Town) -> L:
    """A town's heading in grouped text output."""
    if town.kind == IMPORTED:
        return L("== {name}（{unit}，导入的 {year} 年度副本 {copy}）==", "== {name} ({unit}, the imported {year} copy {copy}) ==").format(
            name=town.name, unit=town.unit, year=town.year, copy=town.copy)
    return L("== {name}（{unit}，本存储）==", "== {name} ({unit}, kept in this store) ==").format(name=town.name, unit=town.unit)


# -- the towns' checks in parallel ---------------------------------------------------------------------

_FORKED: dict[str, Any] = {}  # what a forked worker inherits: the registry, the county ledger's account


def check_towns(ledger: Ledger, chosen: list[Town], year: int, *, unit: str | None = None, rule_ids=None,
                jobs: int | None = None, cache: Any = True, today=None) -> list[list[Finding]]:
    """Every rule over ``year`` for each town (``run_rules``, as of ``today``: by default the
    county ledger's), in the order given.

    A town whose findings are kept for what they depend on (:mod:`duty_tui.standing_cache`: its
    audit position or bundle, today, its settings, the plugins, the rules and ``unit`` asked, the
    scope) is not checked again; the others are, in ``jobs`` worker processes (default: the
    machine's cores, at most one per town) when there are several, each worker opening the store
    afresh (a connection never crosses a fork) and reading its towns through a ledger of the same
    account narrowed to each; in this process otherwise. ``cache``: True (the cache folder's),
    a :class:`~duty_tui.standing_cache.StandingCache`, or False/None (nothing kept or used). The
    findings are those the same check in this process gives."""
    from . import standing_cache as sc

    today = today or ledger.today()
    kept = standing_cache_of(ledger, cache)
    keys = town_keys(kept, ledger, chosen, "check", year=year, today=today, unit=unit, rules=rules_asked(ledger.registry, rule_ids))
    out: list[list[Finding] | None] = [kept.get(k) if k is not None else None for k in keys]
    todo = [i for i, found in enumerate(out) if found is None]
    sc.computed.extend(("check", chosen[i].unit) for i in todo)
    for i, found in zip(todo, _run_checks(ledger, [chosen[i] for i in todo], year, today, unit, rule_ids, jobs)):
        out[i] = found
        if keys[i] is not None:
            kept.put(keys[i], found)
    return out  # type: ignore[return-value]


def _run_checks(ledger: Ledger, chosen: list[Town], year: int, today, unit, rule_ids, jobs) -> list[list[Finding]]:
    from .rules import run_rules

    jobs = min(jobs or os.cpu_count() or 1, len(chosen))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [run_rules(t.ledger, year, unit=unit, rule_ids=rule_ids, today=today) for t in chosen]
    _FORKED.update(registry=ledger.registry, user=ledger.user, login=ledger.login, url=ledger.store.url, clock=ledger.clock)
    tasks = [(t.unit, t.kind, t.sha256, year, unit, tuple(rule_ids) if rule_ids else None, today) for t in chosen]
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start) as pool:
        return pool.map(_check_one, tasks, chunksize=1)


def rules_asked(registry, rule_ids) -> list[str]:
    """The rule ids a check runs: those asked, else every registered rule."""
    return sorted(rule_ids) if rule_ids else sorted(registry.rules)


def standing_cache_of(ledger: Ledger, cache: Any):
    """The :class:`~duty_tui.standing_cache.StandingCache` to use (a cache that cannot be opened
    is none: the towns are computed)."""
    from .standing_cache import NoCache, StandingCache

    if cache is True:
        try:
            return StandingCache(ledger)
        except Exception:
            return NoCache()
    return cache if cache else NoCache()


def town_keys(kept, ledger: Ledger, chosen: list[Town], kind: str, **asked: Any) -> list[dict | None]:
    """Each town's key in the cache for a standing of ``kind`` (None: not to be kept or looked up:
    what it depends on could not be read). Never raises: a cache that fails is no cache."""
    if getattr(kept, "disabled", False) or not chosen:
        return [None] * len(chosen)
    try:
        resident = [t for t in chosen if t.kind == RESIDENT]
        positions = kept.positions(resident) if resident else {}
        settings = settings_by_town(ledger, resident)
        keys: list[dict | None] = []
        for t in chosen:
            if t.kind == RESIDENT:
                source, applied = f"audit:{positions[t.unit]}", settings.get(t.unit)
            else:
                source, applied = f"bundle:{t.sha256}", "bundle"  # a bundle's settings are the bundle's
            keys.append(kept.key(kind, t, source, applied, **asked) if applied is not None else None)
        return keys
    except Exception:
        return [None] * len(chosen)


def settings_by_town(ledger: Ledger, chosen: list[Town]) -> dict[str, str | None]:
    """A digest of the settings that apply to each resident town (the store's, then the town's
    own ``KEY@unit``): read once for an admin of the whole store, else town by town."""
    from .settings import TOWN_MARK
    from .standing_cache import Uncacheable, settings_digest

    out: dict[str, str | None] = {}
    if ledger.scope is None and ledger.can("export"):
        with ledger.export_snapshot() as snapshot:
            stored = snapshot.settings()
        for t in chosen:
            mine = {k: v for k, v in stored.items() if TOWN_MARK not in k or k.rpartition(TOWN_MARK)[2] == t.unit}
            out[t.unit] = settings_digest({"stored": mine, "name": t.name})
        return out
    for t in chosen:
        try:
            out[t.unit] = settings_digest({"typed": t.ledger.settings(), "name": t.name})
        except Uncacheable:
            out[t.unit] = None
    return out


def _worker_start() -> None:
    """A forked worker's start: the parent's open copies stay the parent's, and the county store is
    opened afresh, read through a ledger of the parent's account."""
    from .store import open_store

    _OPEN.clear()
    registry = _FORKED["registry"]
    _FORKED["ledger"] = Ledger(open_store(_FORKED["url"], registry), registry, _FORKED["user"], login=_FORKED["login"],
                               clock=_FORKED["clock"])


def _check_one(task) -> list[Finding]:
    from .rules import run_rules

    town, kind, sha, year, unit, rule_ids, today = task
    county = _FORKED["ledger"]
    town_ledger = _resident_ledger(county, town) if kind == RESIDENT else open_cached(county, cache_path(sha))
    found = run_rules(town_ledger, year, unit=unit, rule_ids=rule_ids, today=today)
    # what a rule raised travels as its text (an exception object may not cross a process)
    return [f if f.error is None else replace(f, error=RuntimeError(f"{type(f.error).__name__}: {f.error}")) for f in found]
