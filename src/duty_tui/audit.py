"""The audit chain: append-only entries, each sealed by SHA-256 over the previous entry's hash.

The hash covers the exact stored text of every column, so changing one byte of any entry (or
removing, reordering or inserting one) breaks the chain at that entry, and :func:`verify` names it.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any, Iterable

from .i18n import L
from .store import AuditEntry

GENESIS = "0" * 64


# one encoder for every entry (json.dumps with options builds a new one on each call)
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode


def canonical(value: Any) -> str | None:
    """Canonical JSON text for a before/after snapshot (None stays None)."""
    if value is None:
        return None
    return _CANONICAL(value)


_second: tuple[int, str] = (-1, "")  # the last second formatted, since every write asks the time


def now() -> str:
    """UTC to the millisecond, ``2026-11-27T20:22:12.511Z``."""
    global _second
    t = time.time()
    sec = int(t)
    if sec != _second[0]:
        _second = (sec, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec)))
    return f"{_second[1]}.{int((t - sec) * 1000):03d}Z"


def entry_hash(seq: int, ts: str, actor: str, by: str | None, action: str, record_id: str,
               before: str | None, after: str | None, prev: str) -> str:
    parts = [str(seq), ts, actor, by or "", action, record_id,
             "\x00" if before is None else before, "\x00" if after is None else after, prev]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def seal(head: tuple[int, str], *, ts: str, actor: str, by: str | None, action: str, record_id: str,
         before: Any, after: Any) -> AuditEntry:
    """The next entry after ``head`` = (seq, hash) of the last one."""
    seq, prev = head[0] + 1, head[1]
    b, a = canonical(before), canonical(after)
    return AuditEntry(seq=seq, ts=ts, actor=actor, by=by, action=action, record_id=record_id, before=b, after=a,
                      prev=prev, hash=entry_hash(seq, ts, actor, by, action, record_id, b, a, prev))


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    head: str
    broken_seq: int | None = None
    reason: L | None = None

    def render(self, lang: str) -> str:
        if self.ok:
            return L("审计链完整:{n} 条,末条摘要 {head}", "audit chain intact: {n} entries, head digest {head}").format(
                n=self.entries, head=self.head).render(lang)
        return L("审计链在第 {seq} 条处断裂:{reason}", "audit chain broken at entry {seq}: {reason}").format(
            seq=self.broken_seq, reason=self.reason).render(lang)


def verify(entries: Iterable[AuditEntry]) -> Verdict:
    """Walk the chain from the first entry; stop at the first that does not hold."""
    prev, expected_seq, count = GENESIS, 1, 0
    for e in entries:
        if e.seq != expected_seq:
            return Verdict(False, count, prev, expected_seq if e.seq > expected_seq else e.seq,
                           L("序号不连续:应为 {want},实为 {got}", "sequence gap: expected {want}, found {got}").format(want=expected_seq, got=e.seq))
        if e.prev != prev:
            return Verdict(False, count, prev, e.seq, L("与上一条的摘要不相连", "does not link to the previous entry's hash"))
        if entry_hash(e.seq, e.ts, e.actor, e.by, e.action, e.record_id, e.before, e.after, e.prev) != e.hash:
            return Verdict(False, count, prev, e.seq, L("内容与其摘要不符(已被改动)", "content does not match its hash (it was altered)"))
        prev, expected_seq, count = e.hash, expected_seq + 1, count + 1
    return Verdict(True, count, prev)
