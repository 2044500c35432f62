"""Evidence: files (minutes, photos, sign-in sheets) attached to any record.

Each file is kept in the store beside the record, with its SHA-256, size and media type, written
through the ledger: permitted (attaching changes the record's proof, so it needs ``update``),
audited (the entry holds the file's name, size and hash, never its bytes) and in one transaction
with its audit entry. A file larger than the ``evidence.max-bytes`` setting is refused by name.
The bytes travel with ``duty export``/``duty import``.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from pathlib import PurePath

from .errors import FieldError, NotFound, StoreError, ValidationError
from .i18n import L
from .ledger import Ledger
from .store import BlobInfo, has_blobs

MAX_BYTES_KEY = "evidence.max-bytes"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
NAME_RE = re.compile(r"^[^/\\\x00-\x1f]{1,200}$")


def max_bytes(ledger: Ledger) -> int:
    if MAX_BYTES_KEY in ledger.registry.settings:
        return int(ledger.setting(MAX_BYTES_KEY))
    return DEFAULT_MAX_BYTES


def media_type_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _require_blobs(session, ledger: Ledger) -> None:
    if not has_blobs(session):
        raise StoreError(L("此存储后端不能保存附件:{url}", "this store's backend cannot keep attached files: {url}").format(url=ledger.store.url))


def _human(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def attach(ledger: Ledger, record_id: str, files: list[tuple[str, bytes]]) -> list[BlobInfo]:
    """Attach ``(name, bytes)`` files to a record, all or none. A name already attached is
    replaced (the audit keeps both hashes)."""
    ledger.require("update")
    limit = max_bytes(ledger)
    errors: list[FieldError] = []
    seen: set[str] = set()
    for name, data in files:
        if not NAME_RE.match(name) or name in (".", ".."):
            errors.append(FieldError(name or "file", L("文件名无效", "not a valid file name")))
        elif name in seen:
            errors.append(FieldError(name, L("同名文件给了两次", "the same name is given twice")))
        elif len(data) > limit:
            errors.append(FieldError(name, L("文件 {size},超过附件上限 {limit}(设置 {key})",
                                             "the file is {size}, over the limit for evidence of {limit} (setting {key})").format(
                size=_human(len(data)), limit=_human(limit), key=MAX_BYTES_KEY)))
        seen.add(name)
    if errors:
        raise ValidationError(errors)
    out: list[BlobInfo] = []
    with ledger._writing() as w:
        _require_blobs(w, ledger)
        if w.get(record_id) is None:
            raise NotFound(L("没有编号为 {id} 的记录", "there is no record {id}").format(id=record_id))
        existing = {b.name: b for b in w.list_blobs(record_id)}
        now = ledger.clock()
        for name, data in files:
            info = BlobInfo(record_id, name, hashlib.sha256(data).hexdigest(), len(data), media_type_of(name), now, ledger.user.name)
            w.put_blob(info, data)
            old = existing.get(name)
            ledger._audit(w, "evidence.attach", record_id, old.audit_json() if old else None, info.audit_json(), ts=now)
            out.append(info)
    return out


def detach(ledger: Ledger, record_id: str, name: str) -> None:
    ledger.require("update")
    with ledger._writing() as w:
        _require_blobs(w, ledger)
        found = next((b for b in w.list_blobs(record_id) if b.name == name), None)
        if found is None:
            raise NotFound(L("{id} 没有名为 {name} 的附件", "{id} has no attached file named {name}").format(id=record_id, name=name))
        w.delete_blob(record_id, name)
        ledger._audit(w, "evidence.detach", record_id, found.audit_json(), None)


def list_evidence(ledger: Ledger, record_id: str) -> list[BlobInfo]:
    ledger.require("read")
    with ledger._reading() as r:
        if not has_blobs(r):
            return []
        if r.get(record_id) is None:
            raise NotFound(L("没有编号为 {id} 的记录", "there is no record {id}").format(id=record_id))
        return r.list_blobs(record_id)


def get_evidence(ledger: Ledger, record_id: str, name: str) -> tuple[BlobInfo, bytes]:
    """The file and its bytes, checked against the hash it was stored with."""
    ledger.require("read")
    with ledger._reading() as r:
        _require_blobs(r, ledger)
        info = next((b for b in r.list_blobs(record_id) if b.name == name), None)
        data = r.get_blob(record_id, name) if info else None
    if info is None or data is None:
        raise NotFound(L("{id} 没有名为 {name} 的附件", "{id} has no attached file named {name}").format(id=record_id, name=name))
    if hashlib.sha256(data).hexdigest() != info.sha256:
        raise StoreError(L("附件 {name} 的内容与其 SHA-256 不符(已被改动)", "the file {name} does not match its SHA-256 (it was altered)").format(name=name))
    return info, data


def file_name(path: str) -> str:
    return PurePath(path).name
