"""Lossless export and import of a whole store as JSON: records with their versions and dates,
id counters, settings, users and the audit chain. Import goes into an uninitialised store only,
checks everything first (types known, values valid, references resolved, chain intact) and then
writes it all in one transaction, or nothing."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import IO, Any, Callable

from . import audit
from .errors import FieldError, ValidationError
from .i18n import L
from .identity import ROLES
from .ledger import Ledger
from .registry import Registry
from .schema import FieldProblem
from .store import MAX_RECORD_NUMBER, AuditEntry, BlobInfo, Store, StoredRecord, User

FORMAT = "duty-tui/export"
FORMAT_VERSION = 1

Progress = Callable[[int], None]


def export_store(ledger: Ledger, out: IO[str], progress: Progress | None = None) -> dict[str, int]:
    """Write the store to ``out`` as one JSON document, streaming records and audit entries."""
    counts = {"records": 0, "audit": 0}
    with ledger.export_snapshot() as snap:
        head = snap.audit_head()
        header = {"format": FORMAT, "format_version": FORMAT_VERSION, "exported_at": ledger.clock(),
                  "exported_by": ledger.user.name, "audit_head": {"seq": head[0], "hash": head[1]},
                  "counters": snap.counters(), "settings": snap.settings(), "users": [u.as_json() for u in snap.users()]}
        out.write(json.dumps(header, ensure_ascii=False)[:-1])
        counts["records"] = _write_array(out, "records", (rec.as_json() for rec in snap.records()), progress)
        counts["audit"] = _write_array(out, "audit", (entry.as_json() for entry in snap.audit()), progress)
        if snap.keeps_files:  # evidence: each file with its bytes in base64
            counts["blobs"] = _write_array(out, "blobs", ({**info.as_json(), "data": base64.b64encode(data).decode("ascii")}
                                                          for info, data in snap.files()), progress)
        out.write("}\n")
    return counts


def _write_array(out: IO[str], name: str, items, progress: Progress | None) -> int:
    """``,\n"name": [...]``, one compact item a line, streamed; returns how many."""
    out.write(f',\n"{name}": [')
    count = 0
    for count, item in enumerate(items, start=1):
        out.write(("\n" if count == 1 else ",\n") + json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        if progress:
            progress(1)
    out.write("]")
    return count


def _bad(where: str, reason: L) -> FieldError:
    return FieldError(where, reason)


def read_export(text: str) -> dict[str, Any]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError([_bad("file", L("不是有效的 JSON:第 {line} 行:{msg}", "not valid JSON: line {line}: {msg}").format(line=exc.lineno, msg=exc.msg))]) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValidationError([_bad("format", L("不是 duty-tui 的导出文件", "not a duty-tui export file"))])
    if doc.get("format_version") != FORMAT_VERSION:
        raise ValidationError([_bad("format_version", L("不支持的版本 {v}", "unsupported version {v}").format(v=doc.get("format_version")))])
    for key, kind in (("records", list), ("audit", list), ("users", list), ("settings", dict), ("counters", dict)):
        if not isinstance(doc.get(key), kind):
            raise ValidationError([_bad(key, L("缺失或格式不对", "missing or of the wrong shape"))])
    return doc


def _check_records(doc: dict[str, Any], registry: Registry) -> tuple[list[StoredRecord], list[FieldError]]:
    errors: list[FieldError] = []
    records: list[StoredRecord] = []
    ids = {r.get("id") for r in doc["records"] if isinstance(r, dict)}
    types_of = {r.get("id"): r.get("type") for r in doc["records"] if isinstance(r, dict)}
    for i, raw in enumerate(doc["records"]):
        where = f"records[{i}]"
        try:
            rec = StoredRecord(**{k: raw[k] for k in ("id", "type", "num", "version", "state", "data", "created_at",
                                                      "created_by", "updated_at", "updated_by")})
        except (KeyError, TypeError) as exc:
            errors.append(_bad(where, L("记录缺少字段:{e}", "record is missing a field: {e}").format(e=exc)))
            continue
        rt = registry.types.get(rec.type)
        if rt is None:
            errors.append(_bad(rec.id, L("类型 {t} 未加载(缺少插件?)", "type {t} is not loaded (a plugin missing?)").format(t=rec.type)))
            continue
        if rec.id != f"{rec.type}-{rec.num}":
            errors.append(_bad(rec.id, L("编号与类型和序号不符", "id does not match its type and number")))
        elif not isinstance(rec.num, int) or not 0 < rec.num <= MAX_RECORD_NUMBER:
            errors.append(_bad(rec.id, L("序号须在 1 到 {max} 之间", "the number must be from 1 to {max}").format(max=MAX_RECORD_NUMBER)))
        typed: dict[str, Any] = {}
        for f in rt.fields:
            try:
                typed[f.name] = f.coerce(f.from_stored(rec.data.get(f.name)))
            except (FieldProblem, ValueError, TypeError) as exc:
                reason = exc.reason if isinstance(exc, FieldProblem) else L(str(exc), str(exc))
                errors.append(_bad(f"{rec.id}.{f.name}", reason))
        for field_name, target in rt.links(typed):
            if target not in ids or types_of.get(target) != rt.field(field_name).target:
                errors.append(_bad(f"{rec.id}.{field_name}", L("引用的记录 {id} 不在文件中", "refers to {id}, which is not in the file").format(id=target)))
        records.append(rec.bump(search=rt.search_text(typed), links=tuple(rt.links(typed))))
    return records, errors


def import_store(store: Store, registry: Registry, login: str, text: str) -> dict[str, int]:
    """Restore an export into an uninitialised store, all or nothing."""
    doc = read_export(text)
    records, errors = _check_records(doc, registry)
    users: list[User] = []
    for i, u in enumerate(doc["users"]):
        if not isinstance(u, dict) or u.get("role") not in ROLES or not u.get("name"):
            errors.append(_bad(f"users[{i}]", L("用户条目无效", "invalid user entry")))
        else:
            users.append(User(u["name"], u["role"], u.get("person"), u.get("created_at", "")))
    try:
        entries = [AuditEntry(**{k: e[k] for k in ("seq", "ts", "actor", "by", "action", "record_id", "before", "after", "prev", "hash")})
                   for e in doc["audit"]]
    except (KeyError, TypeError) as exc:
        raise ValidationError(errors + [_bad("audit", L("审计条目缺少字段:{e}", "an audit entry is missing a field: {e}").format(e=exc))]) from None
    blobs = _check_blobs(doc, {r.id for r in records}, errors)
    verdict = audit.verify(entries)  # Ledger.restore checks it too; here it joins the other errors
    if not verdict.ok:
        errors.append(_bad(f"audit[{verdict.broken_seq}]", verdict.reason or L("审计链断裂", "the audit chain is broken")))
    if errors:
        raise ValidationError(errors)
    Ledger.restore(store, registry, login, records=records, counters=doc["counters"], settings=doc["settings"], users=users,
                   entries=entries, blobs=blobs, exported_at=doc.get("exported_at"))
    return {"records": len(records), "audit": len(entries), "users": len(users), "blobs": len(blobs)}


def _check_blobs(doc: dict[str, Any], record_ids: set[str], errors: list[FieldError]) -> list[tuple[BlobInfo, bytes]]:
    """Attached files (an export made before evidence existed has none): each decoded and
    checked against its SHA-256 and size, on a record in the file."""
    out: list[tuple[BlobInfo, bytes]] = []
    raw = doc.get("blobs", [])
    if not isinstance(raw, list):
        errors.append(_bad("blobs", L("缺失或格式不对", "missing or of the wrong shape")))
        return out
    for i, b in enumerate(raw):
        where = f"blobs[{i}]"
        try:
            info = BlobInfo(**{k: b[k] for k in ("record_id", "name", "sha256", "size", "media_type", "added_at", "added_by")})
            data = base64.b64decode(b["data"], validate=True)
        except (KeyError, TypeError, ValueError) as exc:
            errors.append(_bad(where, L("附件条目无效:{e}", "invalid attached file: {e}").format(e=exc)))
            continue
        if hashlib.sha256(data).hexdigest() != info.sha256 or len(data) != info.size:
            errors.append(_bad(f"{info.record_id}/{info.name}", L("附件内容与其 SHA-256 或大小不符", "the file does not match its SHA-256 or size")))
        elif info.record_id not in record_ids:
            errors.append(_bad(f"{info.record_id}/{info.name}", L("附件所属的记录不在文件中", "the file's record is not in the file")))
        else:
            out.append((info, data))
    return out
