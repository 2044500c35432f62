"""The audit chain: append-only entries, each sealed by SHA-256 over the previous entry's hash.

The hash covers the exact stored text of every column, so changing one byte of any entry (or
removing, reordering or inserting one) breaks the chain at that entry, and :func:`verify` names it.

The chain also seals the state: :func:`seal_check` replays it into the records, users and settings
it says the store holds and compares them with what the store holds, naming each difference
(``duty audit --verify``). What a replay cannot see, the last entries removed together with the
rows they wrote, an anchor kept outside the store can: :func:`write_anchor`, :func:`read_anchor`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from .i18n import L
from .store import AuditEntry, has_blobs

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


# -- the seal of the state: the records, users and settings the chain says the store holds ---------
#
# verify replays the chain: every entry that writes a record, a user or a setting says what it
# holds afterwards (its after snapshot), so walking the chain once gives the state the store must
# hold, and one read of the store is compared with it. Nothing is added to the rows and no backend
# changes its tables: a direct change, an inserted row and a deleted row are all a difference
# between the two, and the chain needs no new field.
#
# At a million entries that walk must be cheap. A record's expected state is kept as the SHA-256
# of its last snapshot with when and by whom it was written (32 bytes; SHA-256 runs on the CPU's
# own instructions here, faster than BLAKE2b), then its creation stamp. The store side rebuilds
# the snapshot from the row: a backend that keeps data as canonical JSON (sorted keys, no spaces:
# SQLite, ``raw_records``) hands over its bytes, and the four pairs id, state, type and version go
# in where the type's sorted keys place them, with no parsing, by a function made once per type
# (:func:`_splicer`); any other form is parsed and encoded canonically. Only a record that differs
# is read again, entry by entry, to name the fields that differ (or to find that they differ only
# in how a number is written).

_META = frozenset({"id", "state", "type", "version"})  # what a snapshot adds to a record's data
_STAMPS = _META | {"created_at", "created_by", "updated_at", "updated_by"}
_NONE = b"\x00"  # before/after NULL, as the entry hash reads it
NAMED = 50  # problems named one by one; more are counted


def _splice_plan(data: Any) -> list[tuple[Any, int, int]]:
    """Where the pairs id, state, type, version go into the canonical JSON of a record whose data
    has ``data``'s keys, to make its snapshot: (where, first, end) for each run of them, where is
    "first" (after the brace), "end" (before the closing one) or the bytes ``,"key":`` of the data
    pair they go before; first/end index the four pairs."""
    keys = sorted(data) if isinstance(data, dict) else []
    plan: list[tuple[Any, int, int]] = []
    for i, meta in enumerate(("id", "state", "type", "version")):
        after = next((k for k in keys if k > meta), None)
        where = "end" if after is None else "first" if after == keys[0] else b"," + _enc(canonical(after)) + b":"
        if plan and plan[-1][0] == where:
            plan[-1] = (where, plan[-1][1], i + 1)
        else:
            plan.append((where, i, i + 1))
    return plan


def _splicer(data: Any, qt: bytes) -> Callable[..., bytes | None]:
    """For a type whose records' data have ``data``'s keys, and ``qt`` its name as JSON: a function
    ``(data, rid, qs, version, u_at, u_by)`` giving, from a record's stored data (canonical JSON
    bytes), id, state as JSON and version, the bytes whose SHA-256 the replay keeps: the record's
    snapshot, the four pairs put in by :func:`_splice_plan`, then ``\\x1f u_at \\x1f u_by``. None
    when the data is not of that form.

    The function is written out for the plan (one ``find`` per place a run of pairs goes, then
    one join), since a loop over the plan was half of the comparison's time at a million records;
    its source holds names only, the constants are passed in. It proves only by being compared:
    each pair of a snapshot is there once, so whatever data gives the chain's snapshot is the data
    the chain wrote; the first and last byte, which the function drops, are checked."""
    pairs = ((("c", b'"id":"'), ("e", "rid"), ("c", b'"')), (("c", b'"state":'), ("e", "qs")),
             (("c", b'"type":' + qt),), (("c", b'"version":'), ("e", "b'%d' % version")))

    def run(first: int, end: int) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = []
        for i in range(first, end):
            out += [("c", b",")] if i > first else []
            out += pairs[i]
        return out

    plan = _splice_plan(data)
    body: list[str] = []
    items: list[tuple[str, Any]] = []
    last, closed = "0", False
    for n, (where, first, end) in enumerate(plan):
        if where == "first":
            items += [("c", b"{"), *run(first, end), ("c", b",")]
            last = "1"
        elif where == "end":
            items += [("e", f"data[{last}:-1]"), ("c", b","), *run(first, end), ("c", b"}")]
            closed = True
        else:
            body += [f"p{n} = data.find(K{n}, {last})", f"if p{n} < 0: return None"]
            items += [("e", f"data[{last}:p{n}]"), ("c", b","), *run(first, end)]
            last = f"p{n}"
    if not closed:
        items.append(("e", f"data[{last}:]"))
    items += [("c", b"\x1f"), ("e", "u_at"), ("c", b"\x1f"), ("e", "u_by")]
    names: dict[str, Any] = {"_join": b"".join}
    for n, (where, _first, _end) in enumerate(plan):
        if isinstance(where, bytes):
            names[f"K{n}"] = where
    parts: list[str] = []
    for kind, value in items:  # neighbouring constants joined into one
        if kind == "c" and parts and parts[-1] in names:
            names[parts[-1]] += value
        elif kind == "c":
            parts.append(f"C{len(parts)}")
            names[parts[-1]] = value
        else:
            parts.append(value)
    source = ("def splice(data, rid, qs, version, u_at, u_by):\n"
              "    if len(data) < 3 or data[0] != 123 or data[-1] != 125: return None\n"
              + "".join(f"    {line}\n" for line in body)
              + f"    return _join(({', '.join(parts)},))\n")
    exec(compile(source, f"<splice {qt.decode('utf-8', 'replace')}>", "exec"), names)  # noqa: S102 - names only, see above
    return names["splice"]


def _enc(value: str | bytes | None, none: bytes = b"") -> bytes:
    if value is None:
        return none
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def _dec(value: str | bytes) -> str:
    return value.decode("utf-8", "surrogatepass") if isinstance(value, bytes) else value


def entry_rows(reader: Any) -> Iterator[tuple]:
    """The chain from its first entry as tuples of (seq, ts, actor, by, action, record_id, before,
    after, prev, hash), the text as UTF-8 bytes (by "" and before/after b"\\x00" when NULL): the
    backend's ``audit_rows`` when it has one (SQLite: no text decoded), else its entries."""
    rows = getattr(reader, "audit_rows", None)
    if callable(rows):
        return rows()
    return ((e.seq, _enc(e.ts), _enc(e.actor), _enc(e.by), _enc(e.action), _enc(e.record_id), _enc(e.before, _NONE),
             _enc(e.after, _NONE), _enc(e.prev), _enc(e.hash)) for e in reader.audit())


def record_rows(reader: Any) -> Iterator[tuple]:
    """Every record as (id, type, version, state, data, created_at, created_by, updated_at,
    updated_by): id, type and the four stamps as bytes, data as the stored JSON bytes (canonical
    where the backend keeps it so) or a dict. The backend's ``raw_records`` when it has one."""
    rows = getattr(reader, "raw_records", None)
    if callable(rows):
        return rows()
    return ((_enc(r.id), _enc(r.type), r.version, r.state, r.data, _enc(r.created_at), _enc(r.created_by),
             _enc(r.updated_at), _enc(r.updated_by)) for r in reader.all_records())


@dataclass
class _Expected:
    records: dict[bytes, bytes]  # id -> digest of its last write + its creation stamp
    users: dict[str, tuple[int, str]]  # name -> (seq, after)
    settings: dict[str, tuple[int, str]]  # key -> (seq, after)
    seen: dict[int, str]  # anchored seq -> the hash found there
    files: dict[tuple[str, str], tuple[int, dict]]  # (record id, file name) -> (seq, what the file must be)


def verify_chain(reader: Any) -> Verdict:
    """:func:`verify` of a store's whole chain, read as :func:`entry_rows` (fast on SQLite)."""
    return _walk(entry_rows(reader), state=False)[0]


def _walk(rows: Iterable[tuple], watch: Mapping[int, str] | None = None, state: bool = True) -> tuple[Verdict, _Expected]:
    """The chain checked entry by entry, and the state it leaves (up to where it holds).

    A record's expected state is the SHA-256 of its last write (the after snapshot, when and by
    whom), then its creation stamp: ``digest \\x1f created_at \\x1f created_by``. Written for
    speed: this loop is most of ``duty audit --verify`` at a million entries."""
    sha, join = hashlib.sha256, b"\x1f".join
    none = _NONE
    records: dict[bytes, bytes] = {}
    users: dict[str, tuple[int, str]] = {}
    settings: dict[str, tuple[int, str]] = {}
    seen: dict[int, str] = {}
    files: dict[tuple[str, str], tuple[int, dict]] = {}
    watch = watch or {}
    prev, want = GENESIS.encode(), 1
    verdict: Verdict | None = None
    for seq, ts, actor, by, action, rid, before, after, p, h in rows:
        if seq != want:
            verdict = Verdict(False, want - 1, prev.decode(), want if seq > want else seq,
                              L("序号不连续:应为 {want},实为 {got}", "sequence gap: expected {want}, found {got}").format(want=want, got=seq))
            break
        if p != prev:
            verdict = Verdict(False, want - 1, prev.decode(), seq, L("与上一条的摘要不相连", "does not link to the previous entry's hash"))
            break
        if sha(join((b"%d" % seq, ts, actor, by, action, rid, before, after, p))).hexdigest().encode() != h:
            verdict = Verdict(False, want - 1, prev.decode(), seq, L("内容与其摘要不符(已被改动)", "content does not match its hash (it was altered)"))
            break
        prev = h
        want += 1
        if watch and seq in watch:
            seen[seq] = h.decode()
        if not state:
            continue
        if b":" not in rid:  # a record (or "store", which an import's entry names)
            if action == b"create":
                records[rid] = join((sha(join((after, ts, actor))).digest(), ts, actor))
            elif action[:9] == b"evidence.":
                _file(files, seq, rid, action, before, after, ts, actor)
            elif after == none:
                records.pop(rid, None)
            elif rid != b"store":
                old = records.get(rid)
                records[rid] = join((sha(join((after, ts, actor))).digest(), old[33:] if old is not None else join((ts, actor))))
        elif rid[:5] == b"user:":
            name = rid[5:].decode("utf-8", "surrogatepass")
            if after == none:
                users.pop(name, None)
            else:
                users[name] = (seq, after.decode("utf-8", "surrogatepass"))
        elif rid[:8] == b"setting:":
            key = rid[8:].decode("utf-8", "surrogatepass")
            if after == none:
                settings.pop(key, None)
            else:
                settings[key] = (seq, after.decode("utf-8", "surrogatepass"))
    if verdict is None:
        verdict = Verdict(True, want - 1, prev.decode())
    return verdict, _Expected(records, users, settings, seen, files)


def _file(files: dict, seq: int, rid: bytes, action: bytes, before: bytes, after: bytes, ts: bytes, actor: bytes) -> None:
    """An evidence entry: the file it attaches (or replaces), or the one it detaches."""
    try:
        snap = json.loads(after if after != _NONE else before)
        key = (rid.decode("utf-8", "surrogatepass"), snap["file"])
    except (ValueError, TypeError, KeyError):
        return
    if action == b"evidence.detach":
        files.pop(key, None)
    else:
        files[key] = (seq, {"sha256": snap.get("sha256"), "size": snap.get("size"), "media_type": snap.get("media_type"),
                            "added_at": ts.decode("utf-8", "surrogatepass"), "added_by": actor.decode("utf-8", "surrogatepass")})


# -- what verify found ----------------------------------------------------------------------------

KIND_LABELS = {
    "changed": L("被直接改动", "changed outside the ledger"),
    "inserted": L("不在审计链中(被直接插入)", "not in the audit chain (inserted directly)"),
    "deleted": L("审计链说它存在,但存储中没有(被直接删除)", "missing, though the chain says it exists (deleted directly)"),
}
WHAT_LABELS = {"user": L("用户", "user"), "setting": L("设置", "setting"), "file": L("附件", "file")}


@dataclass(frozen=True)
class Problem:
    """One difference between the store and its chain: ``kind`` changed, inserted or deleted;
    ``type`` a record type, ``user`` or ``setting``; ``id`` the record id, user name or setting
    key; ``fields`` what differs (with the store's value and the chain's)."""

    kind: str
    type: str
    id: str
    fields: tuple[tuple[str, Any, Any], ...] = ()
    seq: int | None = None  # the entry that last wrote it, for a change

    def render(self, lang: str) -> str:
        what = WHAT_LABELS[self.type].render(lang) if self.type in WHAT_LABELS else (
            "记录" if lang == "zh" else "record")
        head = f"{what} {self.id}" + ("" if self.type in WHAT_LABELS else f" ({self.type})")
        text = f"{head}:{KIND_LABELS[self.kind].render(lang)}" if lang == "zh" else f"{head}: {KIND_LABELS[self.kind].render(lang)}"
        if self.fields:
            shown = "; ".join(L("{f} 为 {got},链中(第 {seq} 条)为 {want}", "{f} is {got}, the chain (entry {seq}) says {want}").format(
                f=f, got=_shown(got), want=_shown(want), seq=self.seq).render(lang) for f, got, want in self.fields)
            text += (":" if lang == "zh" else ": ") + shown
        return text

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "type": self.type, "id": self.id, "seq": self.seq,
                "fields": [{"field": f, "store": got, "chain": want} for f, got, want in self.fields]}


_ABSENT = object()


def _shown(value: Any) -> str:
    if value is _ABSENT:
        return "-"
    text = canonical(value) or "null"
    return text if len(text) <= 60 else text[:57] + "..."


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values: a number equal however it is written, never a bool for a number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _diff(store: Mapping[str, Any], chain: Mapping[str, Any]) -> tuple[tuple[str, Any, Any], ...]:
    return tuple((k, store.get(k, _ABSENT), chain.get(k, _ABSENT)) for k in dict.fromkeys([*chain, *store])
                 if not _same(store.get(k, _ABSENT), chain.get(k, _ABSENT)))


@dataclass(frozen=True)
class AnchorCheck:
    """The chain against an anchor kept outside the store."""

    path: str
    seq: int | None = None
    head: str | None = None
    at: str | None = None
    by: str | None = None
    missing: int = 0  # entries the anchor counts that the chain no longer has
    rewritten: int | None = None  # an anchored entry whose hash is not the anchored one
    loose: bool = False  # others than its owner can write the file (or its folder)
    store: str | None = None  # the store URL the anchor was written for, when it is not this one's
    error: L | None = None  # the file could not be read, or holds another store's anchor

    @property
    def ok(self) -> bool:
        return self.seq is not None and not self.missing and self.rewritten is None and self.error is None

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "seq": self.seq, "head": self.head, "at": self.at, "by": self.by, "ok": self.ok,
                "missing": self.missing, "rewritten_seq": self.rewritten, "loose": self.loose, "written_for": self.store,
                "error": self.error.render("en") if self.error else None}


@dataclass(frozen=True)
class Seal:
    """What ``duty audit --verify`` found: the chain, the state against it, the anchor."""

    chain: Verdict
    problems: tuple[Problem, ...] = ()
    more: int = 0  # problems found beyond those named
    records: int = 0
    users: int = 0
    settings: int = 0
    anchor: AnchorCheck | None = None
    files: int = 0
    # an operator bound to a unit: the whole store is verified (a chain is whole or not), but what
    # they are told of the state names no count of the store and no record, user or value outside
    # their unit; which differences, an admin bound to no unit sees
    scope: str | None = None

    def for_scope(self, scope: str | None) -> "Seal":
        return self if scope is None else replace(self, scope=scope)

    @property
    def state_ok(self) -> bool:
        return self.chain.ok and not self.problems and not self.more

    @property
    def ok(self) -> bool:
        a = self.anchor  # no anchor file is no failure; a file that is no anchor, or one that fails, is
        return self.state_ok and (a is None or (a.seq is None and a.error is None) or a.ok)

    def lines(self, lang: str, when: Any = None) -> list[tuple[bool, str]]:
        """(is it a failure, the line), in order; ``when(ts)`` shows a time (the anchor's)."""
        out: list[tuple[bool, str]] = [(not self.chain.ok, self.chain.render(lang))]
        if not self.chain.ok:
            out.append((True, L("链断裂,存储中的数据未核对", "the chain is broken, so the state was not checked").render(lang)))
        elif self.scope is not None:
            n = len(self.problems) + self.more
            out.append((False, L("数据与审计链一致:整个存储的记录、用户、设置和附件正是审计链所写(限定在 {scope} 的账号不显示全库的数目)",
                                 "state sealed: every record, user, setting and attached file of the store is exactly what the chain says "
                                 "(an account bound to {scope} is not shown the store's counts)").format(scope=self.scope).render(lang))
                       if self.state_ok else
                       (True, L("数据与审计链不符:{n} 处;是哪些记录、哪些字段,由不限定单位的管理员运行 duty audit --verify 查看",
                                "the state does not match the chain: {n} difference(s); which records and fields, an admin bound to no "
                                "unit sees with `duty audit --verify`").format(n=n).render(lang)))
        elif self.state_ok:
            out.append((False, L("数据与审计链一致:{r} 条记录、{u} 个用户、{s} 项设置、{f} 个附件,正是审计链所写",
                                 "state sealed: the {r} record(s), {u} user(s), {s} setting(s) and {f} attached file(s) are exactly "
                                 "what the chain says").format(r=self.records, u=self.users, s=self.settings, f=self.files).render(lang)))
        else:
            n = len(self.problems) + self.more
            out.append((True, L("数据与审计链不符:{n} 处", "the state does not match the chain: {n} difference(s)").format(n=n).render(lang)))
            out += [(True, "  " + p.render(lang)) for p in self.problems]
            if self.more:
                out.append((True, "  " + L("另有 {n} 处未一一列出", "and {n} more not listed").format(n=self.more).render(lang)))
        out += self._anchor_lines(lang, when)
        return out

    def _anchor_lines(self, lang: str, when: Any) -> list[tuple[bool, str]]:
        a = self.anchor
        if a is None or (a.seq is None and a.error is None):
            return [(False, L("注意:没有锚点({path}),无法发现末尾被删除的条目;管理员可运行 duty audit --anchor",
                              "note: no anchor ({path}), so entries removed from the end cannot be found; an admin runs "
                              "`duty audit --anchor`").format(path=a.path if a else "-").render(lang))]
        if a.error is not None:
            return [(True, L("锚点 {path}:{why}", "anchor {path}: {why}").format(path=a.path, why=a.error).render(lang))]
        when = when(a.at) if when and a.at else a.at
        out: list[tuple[bool, str]] = []
        if a.missing:
            out.append((True, L("审计链末尾缺少 {n} 条:锚点 {path}({when},{by})记有 {seq} 条,存储中只有 {have} 条",
                                "{n} entries are missing from the end of the chain: the anchor {path} ({when}, by {by}) counts {seq}, "
                                "the store holds {have}").format(n=a.missing, path=a.path, when=when, by=a.by, seq=a.seq,
                                                                  have=self.chain.entries).render(lang)))
        elif a.rewritten is not None:
            out.append((True, L("第 {seq} 条不是锚点 {path}({when},{by})所记的那条:审计链被改写过",
                                "entry {seq} is not the one the anchor {path} ({when}, by {by}) holds: the chain was rewritten").format(
                seq=a.rewritten, path=a.path, when=when, by=a.by).render(lang)))
        elif self.chain.ok:
            out.append((False, L("以锚点 {path}({when},{by})为据:第 {seq} 条摘要 {head} 相符,其后 {n} 条",
                                 "vouched for against the anchor {path} ({when}, by {by}): entry {seq} has the anchored digest {head}; "
                                 "{n} entries since").format(path=a.path, when=when, by=a.by, seq=a.seq, head=a.head,
                                                             n=self.chain.entries - a.seq).render(lang)))
        if a.store:
            out.append((False, L("注意:该锚点是为 {store} 写的", "note: the anchor was written for {store}").format(store=a.store).render(lang)))
        if a.loose:
            out.append((False, L("注意:锚点文件 {path} 或其文件夹可由所有者以外的人写入,它不足为据",
                                 "note: the anchor file {path} or its folder can be written by others than its owner, so it proves little").format(
                path=a.path).render(lang)))
        return out

    def as_json(self) -> dict[str, Any]:
        c = self.chain
        state: dict[str, Any] = {"ok": self.state_ok if c.ok else None, "records": self.records, "users": self.users, "settings": self.settings,
                                 "files": self.files, "problems": [p.as_json() for p in self.problems], "more": self.more}
        if self.scope is not None:  # see ``scope``
            state = {"ok": state["ok"], "differences": len(self.problems) + self.more, "scope": self.scope}
        return {"ok": self.ok, "entries": c.entries, "head": c.head, "broken_seq": c.broken_seq,
                "reason": c.reason.render("en") if c.reason else None,
                "state": state,
                "anchor": self.anchor.as_json() if self.anchor else None}


# -- verify ---------------------------------------------------------------------------------------

def seal_check(reader: Any, anchor: "AnchorFile | None" = None, anchor_path: str | None = None, store_url: str | None = None) -> Seal:
    """Check the chain, then the records, users, settings and files of ``reader`` against the
    state the chain leaves, and the chain against ``anchor`` (read from ``anchor_path``; written
    for ``store_url``, which is said when it is another)."""
    watch = {a["seq"]: a["head"] for a in anchor.anchors} if anchor else {}
    verdict, want = _walk(entry_rows(reader), watch)
    check = _anchor_check(verdict, want.seen, anchor, anchor_path, store_url) if anchor_path is not None else None
    if not verdict.ok:
        return Seal(verdict, anchor=check)
    problems: list[Problem] = []
    suspects: list[bytes] = []
    n_records = 0
    quoted: dict[Any, bytes] = {}  # a state -> its JSON
    splicers: dict[bytes, Callable[..., bytes | None]] = {}  # a type -> its snapshot from its data (_splicer)
    expected_of, sha, join = want.records.pop, hashlib.sha256, b"\x1f".join
    last_type, splice = None, None
    for rid, rtype, version, state, data, c_at, c_by, u_at, u_by in record_rows(reader):
        n_records += 1
        expected = expected_of(rid, None)
        if expected is None:
            suspects.append(rid)
            continue
        try:
            qs = quoted.get(state)
            if qs is None:
                qs = quoted[state] = b"null" if state is None else _enc(canonical(_dec(state)))
            if type(data) is bytes:
                if rtype != last_type:
                    last_type, splice = rtype, splicers.get(rtype)
                if splice is None:
                    splice = splicers[rtype] = _splicer(json.loads(data), b'"' + rtype + b'"')
                msg = splice(data, rid, qs, version, u_at, u_by)
                if msg is not None and join((sha(msg).digest(), c_at, c_by)) == expected:
                    continue
                data = json.loads(data)
            if not isinstance(data, dict) or not _META.isdisjoint(data):
                suspects.append(rid)
                continue
            snap = _enc(canonical({**data, "id": _dec(rid), "type": _dec(rtype), "version": version, "state": state}))
            if join((sha(join((snap, u_at, u_by))).digest(), c_at, c_by)) != expected:
                suspects.append(rid)
        except (TypeError, ValueError, IndexError):  # a row no duty wrote: a number that is text, a stamp that is null
            suspects.append(rid)
    suspects += list(want.records)  # the chain says they exist; the store has none of them
    more = 0
    for rid in suspects:
        if len(problems) >= NAMED:
            more += 1
            continue
        try:
            problem = _record_problem(reader, rid.decode("utf-8", "surrogatepass"))
        except Exception:  # noqa: BLE001 - a row the backend cannot even read back is a change too
            problem = Problem("changed", rid.decode("utf-8", "replace").rpartition("-")[0], rid.decode("utf-8", "replace"),
                              (("(row)", "unreadable", "-"),))
        if problem is not None:
            problems.append(problem)
    stored_users = {u.name: u.as_json() for u in reader.users()}
    for name in sorted(set(stored_users) | set(want.users)):
        got, chain = stored_users.get(name), want.users.get(name)
        if chain is None:
            problems.append(Problem("inserted", "user", name))
        elif got is None:
            problems.append(Problem("deleted", "user", name, seq=chain[0]))
        else:
            fields = _diff(got, json.loads(chain[1]))
            if fields:
                problems.append(Problem("changed", "user", name, fields, chain[0]))
    stored_settings = reader.settings()
    for key in sorted(set(stored_settings) | set(want.settings)):
        chain = want.settings.get(key)
        if chain is None:
            problems.append(Problem("inserted", "setting", key))
        elif key not in stored_settings:
            problems.append(Problem("deleted", "setting", key, seq=chain[0]))
        else:
            fields = _diff({"value": stored_settings[key]}, json.loads(chain[1]))
            if fields:
                problems.append(Problem("changed", "setting", key, fields, chain[0]))
    n_files = 0
    if has_blobs(reader):
        for info, data in reader.all_blobs():
            n_files += 1
            where = f"{info.record_id}/{info.name}"
            chain = want.files.pop((info.record_id, info.name), None)
            if chain is None:
                problems.append(Problem("inserted", "file", where))
                continue
            got = {"sha256": info.sha256, "size": info.size, "media_type": info.media_type, "added_at": info.added_at, "added_by": info.added_by}
            fields = _diff(got, chain[1])
            if hashlib.sha256(data).hexdigest() != info.sha256:
                fields += (("(bytes)", "sha256 " + hashlib.sha256(data).hexdigest(), "sha256 " + str(chain[1]["sha256"])),)
            if fields:
                problems.append(Problem("changed", "file", where, fields, chain[0]))
    for (rid, name), (seq, _) in sorted(want.files.items()):
        problems.append(Problem("deleted", "file", f"{rid}/{name}", seq=seq))
    return Seal(verdict, tuple(problems), more, n_records, len(stored_users), len(stored_settings), check, n_files)


def _record_problem(reader: Any, rid: str) -> Problem | None:
    """What differs between the record ``rid`` in the store and in its chain, read entry by entry
    (None when nothing does: the same values written another way)."""
    stored = reader.get(rid)
    created = last = None
    for e in reader.audit(record_id=rid):
        if e.action.startswith("evidence."):
            continue
        if e.after is None:
            created = last = None
            continue
        if created is None or e.action == "create":
            created = e
        last = e
    rtype = rid.rpartition("-")[0]
    if last is None:
        return None if stored is None else Problem("inserted", rtype, rid)
    if stored is None:
        return Problem("deleted", rtype, rid, seq=last.seq)
    chain = {**json.loads(last.after), "created_at": created.ts, "created_by": created.actor,
             "updated_at": last.ts, "updated_by": last.actor}
    got = {**{(f"data.{k}" if k in _STAMPS else k): v for k, v in stored.data.items()},  # a column's name in data is a change
           "id": stored.id, "type": stored.type, "version": stored.version, "state": stored.state,
           "created_at": stored.created_at, "created_by": stored.created_by, "updated_at": stored.updated_at,
           "updated_by": stored.updated_by}
    fields = _diff(got, chain)
    return Problem("changed", rtype, rid, fields, last.seq) if fields else None


# -- the anchor: the head kept where only an admin writes -------------------------------------------

@dataclass(frozen=True)
class AnchorFile:
    store: str
    anchors: list[dict[str, Any]]  # {"seq", "head", "at", "by"}, oldest first


def default_anchor_path(store_url: str) -> Path:
    """Where ``duty audit --anchor`` keeps a store's anchor by default: the data folder of the
    admin who runs it (``~/.local/share/duty-tui/anchors/``), one file per store."""
    from platformdirs import user_data_dir

    tail = re.sub(r"[^A-Za-z0-9._-]+", "_", store_url.rsplit("/", 1)[-1])[-40:] or "store"
    key = hashlib.sha256(store_url.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return Path(user_data_dir("duty-tui")) / "anchors" / f"{tail}-{key}.json"


def read_anchor(path: str | os.PathLike) -> AnchorFile | None:
    """The anchor file at ``path``; None when there is none. A file that is not an anchor file
    raises ValueError saying why."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ValueError(exc.strerror or type(exc).__name__) from None
    try:
        doc = json.loads(text)
        anchors = [{"seq": int(a["seq"]), "head": str(a["head"]), "at": str(a["at"]), "by": str(a["by"])} for a in doc["anchors"]]
        if not anchors or any(a["seq"] < 0 or not re.fullmatch(r"[0-9a-f]{64}", a["head"]) for a in anchors):
            raise ValueError("no anchor in it")
        return AnchorFile(str(doc.get("store", "")), anchors)
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"not an anchor file ({exc})") from None


def loose_file(path: str | os.PathLike) -> bool:
    """Whether others than the owner may write the file, or replace it in its folder."""
    import stat

    p = Path(path)
    try:
        if p.stat().st_mode & 0o022:
            return True
        folder = p.resolve().parent.stat().st_mode
    except OSError:
        return False
    return bool(folder & 0o022) and not folder & stat.S_ISVTX


def _anchor_check(verdict: Verdict, seen: Mapping[int, str], anchor: AnchorFile | None, path: str,
                  store_url: str | None = None) -> AnchorCheck:
    if anchor is None:
        return AnchorCheck(path)
    last = anchor.anchors[-1]
    base = dict(path=path, seq=last["seq"], head=last["head"], at=last["at"], by=last["by"], loose=loose_file(path),
                store=anchor.store if store_url and anchor.store and anchor.store != store_url else None)
    if verdict.ok and verdict.entries < last["seq"]:
        return AnchorCheck(**base, missing=last["seq"] - verdict.entries)
    for a in anchor.anchors:  # every anchored entry the chain (as far as it holds) reaches
        if a["seq"] in seen and seen[a["seq"]] != a["head"]:
            return AnchorCheck(**base, rewritten=a["seq"])
    return AnchorCheck(**base)


def write_anchor(path: str | os.PathLike, store_url: str, seal: Seal, by: str, at: str | None = None) -> dict[str, Any]:
    """Add the head of a verified chain to the anchor file at ``path`` (made readable by all and
    writable by its owner only); returns the anchor written."""
    from .files import write_atomically

    try:
        old = read_anchor(path)
    except ValueError:
        old = None
    entry = {"seq": seal.chain.entries, "head": seal.chain.head, "at": at or now(), "by": by}
    anchors = [*(old.anchors if old else []), entry]
    doc = {"store": store_url, "anchors": anchors}
    target = Path(path)
    if not target.parent.exists():
        target.parent.mkdir(parents=True, mode=0o755, exist_ok=True)

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as out:
            json.dump(doc, out, ensure_ascii=False, indent=1)
        os.chmod(tmp, 0o644)

    write_atomically(target, write, private=True)
    return entry
