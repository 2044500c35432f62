"""Lossless export and import of a whole store as JSON: records with their versions and dates,
id counters, settings, users and the audit chain.

Import is a write like any other. It goes into an uninitialised store only, and the file is
checked as the ledger checks a write, and more, before anything is written:

* the file itself: UTF-8, JSON, not nested deeper than an export is, no NaN, no number too large
  to read, no key given twice, no control character, lone surrogate or bidirectional override
  in any text (line breaks and tabs only inside a record's long text);
* every record by its type: known type, id = type-number, an integer version of at least 1, a
  state of its workflow, every field of its kind and in the very form the store keeps (a number
  as a JSON number, a choice by its value, a date as YYYY-MM-DD), required fields, references to
  records of the right type in the file, when and by whom (timestamps, login names);
* users as ``duty users add`` takes them: login names, known roles, each once, a person that is
  in the file, at least one admin; settings the loaded plugins declare, each of its kind;
  counters of known types, integers not below the records' numbers;
* the audit chain: each entry well formed (times, login names, a known action on the right kind
  of object, snapshots that are JSON objects) and the chain unbroken, ending where the header's
  ``audit_head`` says; each entry follows from those before it (a record created once, edited
  only while it exists, each before what was last written, versions one up, an edit keeping the
  state, a workflow step from one of its sources to its target, ``init`` first); and then **the
  state equals the replay of the file's own audit**: each record is what the last entry that
  wrote it says (its data, state and version, the count of its writes, who wrote it and when), no
  record the audit created and never deleted is missing, the users and settings are those the
  audit leaves, and the attached files are those it attached, as it attached them. A user may
  name a person the audit deleted (the ledger allows it), no other person missing from the file.

Then, the file being sound, each record is put to the plugins' ``duty_validate`` hooks as a write
puts it (a check a create or an edit makes refuses an import too: an event filed before its
approval, a person named twice on one case): inside the import's transaction, once everything is
in it, so that the hooks read the imported store; as an edit that changes nothing
(:meth:`Ledger._refuse_what_plugins_refuse`).

Every problem is named at once, by its path in the file (``records[12].data.date``,
``users[1].name``) and its reason in both languages; then nothing is written. Otherwise it all is
written in one transaction (:meth:`Ledger.restore`)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import IO, Any, Callable

from . import audit
from .errors import FieldError, ValidationError
from .settings import TOWN_MARK
from .i18n import L
from .identity import ROLES
from .ledger import FILE_NAME_RE, USER_RE, Ledger
from .registry import Registry
from .schema import BOOL, CHOICE, DATE, INTEGER, MULTI_CHOICE, NUMBER, REFERENCE, REFERENCES, FieldProblem
from .store import MAX_RECORD_NUMBER, AuditEntry, BlobInfo, Store, StoredRecord, User

FORMAT = "duty-tui/export"
FORMAT_VERSION = 1

Progress = Callable[[int], None]


def export_store(ledger: Ledger, out: IO[str], progress: Progress | None = None) -> dict[str, int]:
    """Write the store to ``out`` as one JSON document, streaming records and audit entries."""
    counts = {"records": 0, "audit": 0}
    with ledger.export_snapshot() as snap:
        out.write(json.dumps(export_header(ledger, snap), ensure_ascii=False)[:-1])
        counts["records"] = _write_array(out, "records", (rec.as_json() for rec in snap.records()), progress)
        counts["audit"] = _write_array(out, "audit", (entry.as_json() for entry in snap.audit()), progress)
        if snap.keeps_files:  # evidence: each file with its bytes in base64
            counts["blobs"] = _write_array(out, "blobs", ({**info.as_json(), "data": base64.b64encode(data).decode("ascii")}
                                                          for info, data in snap.files()), progress)
        out.write("}\n")
    return counts


def export_header(ledger: Ledger, snap) -> dict[str, Any]:
    """An export's members before its records, audit and files: the format, who exported it and
    when, the chain's head, the counters, settings and users (``duty export`` and a bundle's
    export.json)."""
    head = snap.audit_head()
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "exported_at": ledger.clock(), "exported_by": ledger.user.name,
            "audit_head": {"seq": head[0], "hash": head[1]}, "counters": snap.counters(), "settings": snap.settings(),
            "users": [u.as_json() for u in snap.users()]}


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


# -- reading the file ---------------------------------------------------------------------------

# an export nests five deep (records[3].data.attendees[0]); anything much deeper is not one
MAX_DEPTH = 32
TOP_KEYS = ("format", "format_version", "exported_at", "exported_by", "audit_head", "counters", "settings", "users",
            "records", "audit", "blobs")
RECORD_KEYS = ("id", "type", "num", "version", "state", "data", "created_at", "created_by", "updated_at", "updated_by")
USER_KEYS = ("name", "role", "person", "created_at")
USER_OPTIONAL = ("unit",)  # only an account bound to a unit has one (issue 19)
ENTRY_KEYS = ("seq", "ts", "actor", "by", "action", "record_id", "before", "after", "prev", "hash")
BLOB_KEYS = ("record_id", "name", "sha256", "size", "media_type", "added_at", "added_by", "data")
RECORD_ACTIONS = ("create", "update", "delete")  # and transition:NAME
USER_ACTIONS = ("init", "user.add", "user.role", "user.unit", "user.remove")
OTHER_ACTIONS = ("setting.set", "evidence.attach", "evidence.detach", "import")
# each matched whole (fullmatch), in ASCII digits: a record number has at most 13 (MAX_RECORD_NUMBER)
TIMESTAMP_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z")
HEX64_RE = re.compile(r"[0-9a-f]{64}")
ID_RE = re.compile(r"[a-z][a-z0-9_]*-[0-9]{1,13}")
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class _Odd:
    """What the parser leaves where a value cannot be taken: NaN, an infinite or unreadably large
    number. The walk names it by its path."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text


class _Object(dict):
    """A JSON object that remembers the keys it was given more than once."""

    __slots__ = ("twice",)


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    obj.twice = [k for k, n in _counts(k for k, _ in pairs).items() if n > 1] if len(obj) != len(pairs) else []
    return obj


def _counts(items) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out


def _float(text: str) -> Any:
    value = float(text)
    return _Odd(text) if value in (float("inf"), float("-inf")) else value


def _int(text: str) -> Any:
    try:
        return int(text)
    except ValueError:  # more digits than Python reads (sys.get_int_max_str_digits)
        return _Odd(text[:12] + "…")


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_float=_float, parse_int=_int, parse_constant=_Odd)
_loads = _DECODER.decode


def shown(text: Any) -> str:
    """Text from the file as a message may show it: control characters, lone surrogates and
    bidirectional overrides escaped (``\\x1b``, ``\\u202e``), never raw on the operator's terminal."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}") for ch in text)


_BAD = "\x7f-\x9f\ud800-\udfff" + "".join(sorted(BIDI))
_BAD_ONE_LINE = re.compile(f"[\x00-\x1f{_BAD}]")
_BAD_BREAKS = re.compile(f"[\x00-\x08\x0b-\x1f{_BAD}]")
# in JSON text (an audit entry's before and after): a bad character raw, or escaped other than \n and \t
_BAD_IN_JSON = re.compile(f"[\x00-\x1f{_BAD}]|\\\\[bfr]|\\\\u00[01189]|\\\\u007f|\\\\u[dD][89abAB]|\\\\u20[026]|\\\\u061", re.IGNORECASE)


def _text_problem(text: str, *, breaks: bool) -> L | None:
    """Why a text from the file may not be stored: a control character (line breaks and tabs only
    where ``breaks``), a lone surrogate, a bidirectional override."""
    found = (_BAD_BREAKS if breaks else _BAD_ONE_LINE).search(text)
    if found is None:
        return None
    for ch in found.group():
        code = ord(ch)
        if code < 0x20 or 0x7F <= code <= 0x9F:
            if breaks and ch in "\n\t":
                continue
            return L("包含控制字符 U+{code}", "contains the control character U+{code}").format(code=f"{code:04X}")
        if 0xD800 <= code <= 0xDFFF:
            return L("包含孤立的代理码位 U+{code}（不是有效的 Unicode 文本）",
                     "contains the lone surrogate U+{code} (not valid Unicode text)").format(code=f"{code:04X}")
        if ch in BIDI:
            return L("包含双向文本控制符 U+{code}", "contains the bidirectional control U+{code}").format(code=f"{code:04X}")
    return None


class _Problems:
    """Every problem found, in the order found, each once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []
        self._seen: set[tuple[str, str]] = set()

    def add(self, where: str, reason: L) -> None:
        key = (where, reason.render("en"))
        if key not in self._seen:
            self._seen.add(key)
            self.errors.append(FieldError(where, reason))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def refuse(self) -> ValidationError:
        """The refusal, every path and reason escaped for the terminal."""
        safe = [FieldError(shown(e.field), L(shown(e.reason.render("zh")), shown(e.reason.render("en")))) for e in self.errors]
        return ValidationError(safe)


def _walk(value: Any, path: str, problems: _Problems, *, breaks: bool = False) -> bool:
    """Every string (keys too) and number below ``value``; False when it nests too deep to go on.
    Record data may hold line breaks and tabs (its fields check them, as a write does)."""
    stack: list[tuple[Any, str, int, bool]] = [(value, path, 0, breaks)]
    deep_enough = True
    while stack:
        item, where, depth, ok_breaks = stack.pop()
        if depth > MAX_DEPTH:
            problems.add(where, L("嵌套超过 {n} 层，不是导出文件的结构", "nested more than {n} levels deep: not the shape of an export").format(n=MAX_DEPTH))
            deep_enough = False
            continue
        if isinstance(item, str):
            reason = _text_problem(item, breaks=ok_breaks)
            if reason:
                problems.add(where, reason)
        elif isinstance(item, _Odd):
            problems.add(where, L("数字 {v} 无法读取（非有限或过大）", "the number {v} cannot be taken (not finite, or too large)").format(v=item.text))
        elif isinstance(item, dict):
            for key in getattr(item, "twice", ()):
                problems.add(f"{where}.{key}" if where else key, L("同一个键给了两次", "the key is given twice"))
            for key, child in item.items():
                reason = _text_problem(key, breaks=False)
                child_path = f"{where}.{key}" if where else key
                if reason:
                    problems.add(child_path, reason)
                in_data = ok_breaks or (key == "data" and re.fullmatch(r"records\[\d+\]", where) is not None)
                stack.append((child, child_path, depth + 1, in_data))
        elif isinstance(item, list):
            for i, child in enumerate(item):
                stack.append((child, f"{where}[{i}]", depth + 1, ok_breaks))
    return deep_enough


def read_export(source: str | bytes) -> dict[str, Any]:
    """The export document in ``source`` (the file's bytes, or its text), its shape and every
    text in it checked: a :class:`ValidationError` naming every problem otherwise."""
    doc, problems = _read(source)
    if problems:
        raise problems.refuse()
    return doc


def _read(source: str | bytes) -> tuple[dict[str, Any], _Problems]:
    """The document and the problems of its texts and numbers (the checks go on after them);
    a :class:`ValidationError` when it is not an export at all, or of the wrong shape."""
    problems = _Problems()
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.add("file", L("不是 UTF-8 编码的文本：第 {pos} 个字节起无法解码", "not UTF-8 text: the bytes from offset {pos} cannot be decoded").format(pos=exc.start))
            raise problems.refuse() from None
    source = source.removeprefix("\ufeff")
    if not source.strip():
        problems.add("file", L("文件是空的", "the file is empty"))
        raise problems.refuse()
    try:
        doc = _loads(source)
    except json.JSONDecodeError as exc:
        problems.add("file", L("不是有效的 JSON：第 {line} 行第 {col} 列：{msg}", "not valid JSON: line {line} column {col}: {msg}").format(
            line=exc.lineno, col=exc.colno, msg=exc.msg))
        raise problems.refuse() from None
    except RecursionError:
        problems.add("file", L("嵌套过深，不是导出文件的结构", "nested too deeply: not the shape of an export"))
        raise problems.refuse() from None
    except ValueError as exc:  # anything else the parser refuses
        problems.add("file", L("不是有效的 JSON：{msg}", "not valid JSON: {msg}").format(msg=str(exc)[:200]))
        raise problems.refuse() from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        problems.add("format", L("不是 duty-tui 的导出文件（应为 JSON 对象，format 为 {f}）", "not a duty-tui export file (a JSON object whose format is {f})").format(f=FORMAT))
        raise problems.refuse()
    version = doc.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:
        problems.add("format_version", L("不支持的版本 {v}（本程序读版本 {want}）", "unsupported version {v} (this duty-tui reads version {want})").format(
            v=shown(json.dumps(version, default=str)), want=FORMAT_VERSION))
        raise problems.refuse()
    if not _walk(doc, "", problems):
        raise problems.refuse()
    walked = len(problems.errors)
    for key in doc:
        if key not in TOP_KEYS:
            problems.add(key, L("导出文件中没有这一项", "an export has no such entry"))
    for key, kind, label in (("records", list, L("数组", "an array")), ("audit", list, L("数组", "an array")),
                             ("users", list, L("数组", "an array")), ("settings", dict, L("对象", "an object")),
                             ("counters", dict, L("对象", "an object")), ("blobs", list, L("数组", "an array"))):
        if key == "blobs" and key not in doc:
            continue  # an export made before evidence existed (or of a store that keeps no files)
        if not isinstance(doc.get(key), kind):
            problems.add(key, (L("缺失", "missing") if key not in doc else L("应为{kind}", "must be {kind}").format(kind=label)))
    if len(problems.errors) > walked:
        raise problems.refuse()
    return doc, problems


# -- checking it as a write -----------------------------------------------------------------------

def _is_int(value: Any) -> bool:
    return type(value) is int


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values: true is not 1, "1" is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _json(value: Any) -> str:
    return shown(json.dumps(value, ensure_ascii=False, default=str))[:80]


def _timestamp_problem(value: Any) -> L | None:
    if not isinstance(value, str) or not TIMESTAMP_RE.fullmatch(value):
        return L("应为 UTC 时间，如 2026-03-01T08:00:00.000Z，而不是 {v}", "must be a UTC time such as 2026-03-01T08:00:00.000Z, not {v}").format(v=_json(value))
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return L("不是存在的时间：{v}", "is not a time that exists: {v}").format(v=_json(value))
    return None


def _login_problem(value: Any) -> L | None:
    if not isinstance(value, str) or not USER_RE.fullmatch(value):
        return L("应为系统登录名（小写字母、数字、_ . -，如 duty users add 所收），而不是 {v}",
                 "must be an OS login name (lower case letters, digits, _ . -, as `duty users add` takes it), not {v}").format(v=_json(value))
    return None


def _keys(raw: dict, keys: tuple[str, ...], where: str, problems: _Problems, optional: tuple[str, ...] = ()) -> None:
    for key in keys:
        if key not in raw and key not in optional:
            problems.add(f"{where}.{key}", L("缺失", "missing"))
    for key in raw:
        if key not in keys:
            problems.add(f"{where}.{key}", L("此处没有这一项", "no such entry here"))


_JSON_KIND = {
    INTEGER: L("JSON 整数", "a JSON whole number"), NUMBER: L("JSON 数字", "a JSON number"), BOOL: L("JSON 的 true 或 false", "JSON true or false"),
    DATE: L("YYYY-MM-DD 形式的日期", "a date written YYYY-MM-DD"), REFERENCE: L("记录编号", "a record id"),
    REFERENCES: L("记录编号的数组", "an array of record ids"), MULTI_CHOICE: L("选项值的数组", "an array of choice values"),
}


@dataclass
class _History:
    """What the audit says of one record: its writes, the last one, its creation."""

    first: int  # index in the file's audit of the entry that created it
    created: AuditEntry
    last: int
    last_entry: AuditEntry
    writes: int = 1
    deleted: bool = False
    errors: list[tuple[int, L]] = field(default_factory=list)


@dataclass
class _Replay:
    records: dict[str, _History] = field(default_factory=dict)
    users: dict[str, tuple[int, dict]] = field(default_factory=dict)
    settings: dict[str, tuple[int, Any]] = field(default_factory=dict)
    files: dict[tuple[str, str], tuple[int, dict]] = field(default_factory=dict)
    created_numbers: dict[str, int] = field(default_factory=dict)


class _Check:
    def __init__(self, doc: dict[str, Any], registry: Registry, problems: _Problems | None = None, year: int | None = None):
        self.doc, self.registry = doc, registry
        self.year = year  # a year's part (duty_tui.bundle): records the audit left in other years may be absent
        self.problems = problems or _Problems()
        self.records: list[StoredRecord] = []
        self.users: list[User] = []
        self.entries: list[AuditEntry] = []
        self.snapshots: list[tuple[Any, Any]] = []  # each entry's before and after, parsed
        self.blobs: list[tuple[BlobInfo, bytes]] = []
        # users naming a person not in the file: (index, id); taken only when the audit deleted that person
        self.gone_persons: list[tuple[int, str]] = []
        self.blob_entries: dict[tuple[str, str], tuple[int, dict]] = {}  # (record, name) -> (index, entry in the file)
        # id -> (index in records, type) of every record entry in the file that has an id
        self.ids: dict[str, tuple[int, str | None]] = {}
        for i, raw in enumerate(doc["records"]):
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                self.ids.setdefault(raw["id"], (i, raw.get("type") if isinstance(raw.get("type"), str) else None))

    def add(self, where: str, reason: L) -> None:
        self.problems.add(where, reason)

    # -- header -------------------------------------------------------------------------------
    def header(self) -> None:
        doc = self.doc
        for key in ("exported_at", "exported_by", "audit_head"):
            if key not in doc:
                self.add(key, L("缺失", "missing"))
        if "exported_at" in doc and (reason := _timestamp_problem(doc["exported_at"])):
            self.add("exported_at", reason)
        if "exported_by" in doc and (reason := _login_problem(doc["exported_by"])):
            self.add("exported_by", reason)

    # -- records ------------------------------------------------------------------------------
    def check_records(self) -> None:
        for i, raw in enumerate(self.doc["records"]):
            where = f"records[{i}]"
            if not isinstance(raw, dict):
                self.add(where, L("应为对象（一条记录）", "must be an object (a record)"))
                continue
            self.record(i, where, raw)

    def record(self, i: int, where: str, raw: dict) -> None:
        ok = True
        _keys(raw, RECORD_KEYS, where, self.problems)
        rid, type_name, num, version, state = (raw.get(k) for k in ("id", "type", "num", "version", "state"))
        rt = self.registry.types.get(type_name) if isinstance(type_name, str) else None
        if rt is None:
            ok = False
            self.add(f"{where}.type", L("类型 {t} 未加载（缺少插件？）", "the type {t} is not loaded (a plugin missing?)").format(t=_json(type_name))
                     if isinstance(type_name, str) else L("应为记录类型的名称", "must be the name of a record type"))
        if not _is_int(num) or not 0 < num <= MAX_RECORD_NUMBER:
            ok = False
            self.add(f"{where}.num", L("应为 1 到 {max} 之间的整数，而不是 {v}", "must be a whole number from 1 to {max}, not {v}").format(max=MAX_RECORD_NUMBER, v=_json(num)))
        if not isinstance(rid, str) or not ID_RE.fullmatch(rid):
            ok = False
            self.add(f"{where}.id", L("应为记录编号，如 unit-1，而不是 {v}", "must be a record id such as unit-1, not {v}").format(v=_json(rid)))
        elif isinstance(type_name, str) and _is_int(num) and rid != f"{type_name}-{num}":
            ok = False
            self.add(f"{where}.id", L("{id} 与类型 {t} 和序号 {n} 不符", "{id} does not match its type {t} and number {n}").format(id=rid, t=type_name, n=num))
        elif self.ids.get(rid, (i,))[0] != i:
            ok = False
            self.add(f"{where}.id", L("{id} 出现了两次（另见 records[{j}]）", "{id} is given twice (see also records[{j}])").format(id=rid, j=self.ids[rid][0]))
        if not _is_int(version) or version < 1:
            ok = False
            self.add(f"{where}.version", L("应为不小于 1 的整数，而不是 {v}", "must be a whole number of at least 1, not {v}").format(v=_json(version)))
        if rt is not None:
            if rt.workflow is None:
                if state is not None:
                    ok = False
                    self.add(f"{where}.state", L("{t} 没有流程，状态应为 null，而不是 {v}", "{t} has no workflow: the state must be null, not {v}").format(t=rt.label, v=_json(state)))
            elif not isinstance(state, str) or state not in {s.name for s in rt.workflow.states}:
                ok = False
                self.add(f"{where}.state", L("{v} 不是{t}的流程状态（有：{states}）", "{v} is not a state of the workflow of {t} (it has: {states})").format(
                    v=_json(state), t=rt.label, states=", ".join(s.name for s in rt.workflow.states)))
        for key in ("created_at", "updated_at"):
            if key in raw and (reason := _timestamp_problem(raw[key])):
                ok = False
                self.add(f"{where}.{key}", reason)
        for key in ("created_by", "updated_by"):
            if key in raw and (reason := _login_problem(raw[key])):
                ok = False
                self.add(f"{where}.{key}", reason)
        data = raw.get("data")
        if not isinstance(data, dict):
            self.add(f"{where}.data", L("应为对象（字段及其值）", "must be an object (the fields and their values)"))
            return
        if rt is None:
            return
        typed = self.fields(where, rt, data)
        if typed is None or not ok or any(k not in raw for k in RECORD_KEYS):
            return
        self.records.append(StoredRecord(
            id=rid, type=type_name, num=num, version=version, state=state, data=data, created_at=raw["created_at"],
            created_by=raw["created_by"], updated_at=raw["updated_at"], updated_by=raw["updated_by"],
            search=rt.search_text(typed), links=tuple(rt.links(typed))))

    def fields(self, where: str, rt, data: dict) -> dict[str, Any] | None:
        """The typed values of a record's stored data, each field checked as a write checks it
        and in the form the store keeps; None when any is wrong."""
        ok = True
        for key in data:
            if not rt.has_field(key):
                ok = False
                self.add(f"{where}.data.{key}", L("{type} 没有这个字段（有：{fields}）", "{type} has no such field (it has: {fields})").format(
                    type=rt.label, fields=", ".join(rt.field_names)))
        typed: dict[str, Any] = {}
        for f in rt.fields:
            path = f"{where}.data.{f.name}"
            raw = data.get(f.name)
            try:
                value = f.coerce(f.from_stored(raw))
                kept = f.to_stored(value)
            except FieldProblem as exc:
                ok = False
                self.add(path, exc.reason)
                continue
            except (ValueError, TypeError, AttributeError):
                ok = False
                try:  # what a person typing it would be told (no month 13), else the form the store keeps
                    reason = self.form_reason(f, raw, f.to_stored(f.coerce(raw)))
                except FieldProblem as exc:
                    reason = exc.reason
                except (ValueError, TypeError, AttributeError):
                    reason = L("应为{kind}，而不是 {v}", "must be {kind}, not {v}").format(kind=_JSON_KIND.get(f.kind, f.label), v=_json(raw))
                self.add(path, reason)
                continue
            if raw is not None and not _same(raw, kept):
                ok = False
                self.add(path, self.form_reason(f, raw, kept))
                continue
            typed[f.name] = value
            if f.required and value in (None, "", []):
                ok = False
                self.add(path, L("必填（{label}）", "required ({label})").format(label=f.label))
            targets = (value or []) if f.kind == REFERENCES else ([value] if f.kind == REFERENCE and value else [])
            for target in targets:
                found = self.ids.get(target)
                if found is None:
                    ok = False
                    self.add(path, L("引用的记录 {id} 不在文件中", "refers to {id}, which is not in the file").format(id=target))
                elif found[1] != f.target:
                    ok = False
                    self.add(path, L("{id} 不是{type}", "{id} is not a {type}").format(id=target, type=self.registry.types[f.target].label
                                                                                      if f.target in self.registry.types else f.target))
        for f in rt.exclusive_fields():
            both = [x for x in typed.get(f.name) or [] if x in set(typed.get(f.exclusive_with) or [])]
            if both:
                ok = False
                self.add(f"{where}.data.{f.name}", L("{ids} 不能同时在{this}和{other}中", "{ids} cannot be both in {this} and in {other}").format(
                    ids=", ".join(both), this=f.label, other=rt.field(f.exclusive_with).label))
        return typed if ok else None

    @staticmethod
    def form_reason(f, raw: Any, kept: Any) -> L:
        if f.kind in (CHOICE, MULTI_CHOICE) and isinstance(raw, (str, list)):
            return L("选项应以其值 {want} 保存，而不是 {v}（按标签）", "a choice is kept by its value {want}, not {v} (by its label)").format(
                want=_json(kept), v=_json(raw))
        kind = _JSON_KIND.get(f.kind, L("存储保存的形式 {want}", "the form the store keeps, {want}").format(want=_json(kept)))
        return L("应为{kind}（{want}），而不是 {v}", "must be {kind} ({want}), not {v}").format(kind=kind, want=_json(kept), v=_json(raw))

    # -- users, settings, counters --------------------------------------------------------------
    def check_users(self) -> None:
        seen: dict[str, int] = {}
        admins = 0
        for i, raw in enumerate(self.doc["users"]):
            where = f"users[{i}]"
            if not isinstance(raw, dict):
                self.add(where, L("应为对象（一个用户）", "must be an object (a user)"))
                continue
            ok = True
            _keys(raw, USER_KEYS + USER_OPTIONAL, where, self.problems, optional=USER_OPTIONAL)
            name, role, person = raw.get("name"), raw.get("role"), raw.get("person")
            if reason := _login_problem(name):
                ok = False
                self.add(f"{where}.name", reason)
            elif name in seen:
                ok = False
                self.add(f"{where}.name", L("用户 {name} 出现了两次（另见 users[{j}]）", "the user {name} is given twice (see also users[{j}])").format(name=name, j=seen[name]))
            else:
                seen[name] = i
            if role not in ROLES:
                ok = False
                self.add(f"{where}.role", L("应为 {roles} 之一，而不是 {v}", "must be one of {roles}, not {v}").format(roles=", ".join(ROLES), v=_json(role)))
            admins += role == "admin"
            if person is not None:
                found = self.ids.get(person) if isinstance(person, str) else None
                if found is None and isinstance(person, str) and ID_RE.fullmatch(person) and person.startswith("person-"):
                    self.gone_persons.append((i, person))  # a person deleted since (the audit must say so)
                elif found is None or found[1] != "person":
                    ok = False
                    self.add(f"{where}.person", L("{v} 不是文件中的人员", "{v} is not a person in the file").format(v=_json(person)))
            unit = raw.get("unit")
            if unit is not None:
                found = self.ids.get(unit) if isinstance(unit, str) else None
                if found is None or found[1] != "unit":
                    ok = False
                    self.add(f"{where}.unit", L("{v} 不是文件中的单位", "{v} is not a unit in the file").format(v=_json(unit)))
            if reason := _timestamp_problem(raw.get("created_at")):
                ok = False
                self.add(f"{where}.created_at", reason)
            if ok and all(k in raw for k in USER_KEYS):
                self.users.append(User(name, role, person, raw["created_at"], unit))
        if not self.doc["users"]:
            self.add("users", L("没有用户：导入后无人能打开这个存储", "no users: nobody could open the imported store"))
        elif not admins:
            self.add("users", L("没有管理员：导入后无人能管理用户和设置", "no admin: nobody could manage users and settings of the imported store"))

    def check_gone_persons(self, replay: _Replay | None) -> None:
        """A user may name a person deleted after the account was made (the ledger lets that
        happen, and the store holds it so): taken when the file's audit created and deleted that
        person; any other person not in the file is refused."""
        for i, person in self.gone_persons:
            hist = replay.records.get(person) if replay is not None else None
            if hist is None or not hist.deleted:
                self.add(f"users[{i}].person", L("{v} 不是文件中的人员", "{v} is not a person in the file").format(v=_json(person)))
                self.users = [u for u in self.users if u.name != self.doc["users"][i].get("name")]

    def check_settings(self) -> None:
        for key, value in self.doc["settings"].items():
            where = f"settings.{key}"
            base, _, town = str(key).partition(TOWN_MARK)  # a town's own value (duty_tui.ledger: town settings)
            if town:
                found = self.ids.get(town)
                if found is None or found[1] != "unit":
                    self.add(where, L("{v} 不是文件中的单位", "{v} is not a unit in the file").format(v=_json(town)))
                    continue
            spec = self.registry.settings.get(base)
            if spec is None:
                self.add(where, L("没有这个设置项（缺少插件？）", "there is no such setting (a plugin missing?)"))
                continue
            try:
                kept = spec.to_stored(spec.coerce(spec.from_stored(value)))
            except FieldProblem as exc:
                self.add(where, exc.reason)
                continue
            except (ValueError, TypeError, AttributeError):
                self.add(where, L("应为{kind}，而不是 {v}", "must be {kind}, not {v}").format(kind=_JSON_KIND.get(spec.kind, spec.label), v=_json(value)))
                continue
            if not _same(value, kept):
                self.add(where, L("应为{kind}（{want}），而不是 {v}", "must be {kind} ({want}), not {v}").format(
                    kind=_JSON_KIND.get(spec.kind, L("存储保存的形式", "the form the store keeps")), want=_json(kept), v=_json(value)))

    def check_counters(self, replay: _Replay | None) -> None:
        counters = self.doc["counters"]
        highest: dict[str, int] = {}
        for rec in self.records:
            highest[rec.type] = max(highest.get(rec.type, 0), rec.num)
        for key, value in counters.items():
            where = f"counters.{key}"
            if key not in self.registry.types:
                self.add(where, L("没有这个记录类型（缺少插件？）", "there is no such record type (a plugin missing?)"))
            if not _is_int(value) or not 0 <= value <= MAX_RECORD_NUMBER:
                self.add(where, L("应为 0 到 {max} 之间的整数，而不是 {v}", "must be a whole number from 0 to {max}, not {v}").format(max=MAX_RECORD_NUMBER, v=_json(value)))
                continue
            if value < highest.get(key, 0):
                self.add(where, L("{v} 小于文件中已有的 {t}-{n}：下一条新记录会重号", "{v} is below {t}-{n} in the file: the next new record would take a number in use").format(
                    v=value, t=key, n=highest[key]))
            elif replay is not None and value < replay.created_numbers.get(key, 0):
                self.add(where, L("{v} 小于审计中建过的 {t}-{n}：编号会被再次使用", "{v} is below {t}-{n}, which the audit created: an id would be given again").format(
                    v=value, t=key, n=replay.created_numbers[key]))
        for type_name, num in highest.items():
            if type_name not in counters:
                self.add("counters", L("缺少 {t} 的计数（文件中已有 {t}-{n}）", "no counter for {t} (the file holds {t}-{n})").format(t=type_name, n=num))

    # -- the audit ------------------------------------------------------------------------------
    def check_audit(self) -> bool:
        """Each entry well formed; then the chain. True when the chain can be replayed."""
        ok = True
        for i, raw in enumerate(self.doc["audit"]):
            where = f"audit[{i}]"
            if not isinstance(raw, dict):
                self.add(where, L("应为对象（一条审计）", "must be an object (an audit entry)"))
                ok = False
                continue
            parsed = self.entry(where, raw)
            ok = ok and parsed is not None
            if parsed is not None:
                self.entries.append(AuditEntry(**{k: raw[k] for k in ENTRY_KEYS}))
                self.snapshots.append(parsed)
        if not ok:
            return False
        verdict = audit.verify(self.entries)
        if not verdict.ok:
            index = next((i for i, e in enumerate(self.entries) if e.seq == verdict.broken_seq), None)
            index = verdict.entries if index is None else index
            self.add(f"audit[{index}]", L("第 {seq} 条：{reason}", "entry {seq}: {reason}").format(
                seq=verdict.broken_seq, reason=verdict.reason or L("审计链断裂", "the audit chain is broken")))
            return False
        head = self.doc.get("audit_head")
        if "audit_head" in self.doc:
            last = (self.entries[-1].seq, self.entries[-1].hash) if self.entries else (0, audit.GENESIS)
            if not isinstance(head, dict) or set(head) != {"seq", "hash"}:
                self.add("audit_head", L("应为 {\"seq\": 条数, \"hash\": 摘要}", "must be {\"seq\": count, \"hash\": digest}"))
            elif (head.get("seq"), head.get("hash")) != last:
                self.add("audit_head", L("文件头说审计到第 {seq} 条（摘要 {h}），而文件中的审计到第 {got} 条（摘要 {gh}）：有条目被删去或改动",
                                         "the header says the audit ends at entry {seq} (digest {h}), the file's audit ends at entry {got} (digest {gh}): "
                                         "entries were removed or changed").format(seq=_json(head.get("seq")), h=shown(head.get("hash"))[:12],
                                                                                     got=last[0], gh=last[1][:12]))
        return True

    def entry(self, where: str, raw: dict) -> tuple[Any, Any] | None:
        """The entry's before and after, parsed; None when the entry is not well formed."""
        before = len(self.problems.errors)
        parsed: dict[str, Any] = {"before": None, "after": None}
        _keys(raw, ENTRY_KEYS, where, self.problems)
        if not _is_int(raw.get("seq")) or raw["seq"] < 1:
            self.add(f"{where}.seq", L("应为不小于 1 的整数，而不是 {v}", "must be a whole number of at least 1, not {v}").format(v=_json(raw.get("seq"))))
        if reason := _timestamp_problem(raw.get("ts")):
            self.add(f"{where}.ts", reason)
        if reason := _login_problem(raw.get("actor")):
            self.add(f"{where}.actor", reason)
        if raw.get("by") is not None and (reason := _login_problem(raw.get("by"))):
            self.add(f"{where}.by", reason)
        action, record_id = raw.get("action"), raw.get("record_id")
        if not isinstance(action, str) or not (action in RECORD_ACTIONS + USER_ACTIONS + OTHER_ACTIONS
                                               or re.fullmatch(r"transition:[a-z][a-z0-9_]*", action)):
            self.add(f"{where}.action", L("不认识的操作 {v}", "an unknown action {v}").format(v=_json(action)))
        elif not isinstance(record_id, str) or not self._target_fits(action, record_id):
            self.add(f"{where}.record_id", L("{v} 不是操作 {a} 的对象", "{v} is not what the action {a} acts on").format(v=_json(record_id), a=action))
        for key in ("before", "after"):
            text = raw.get(key)
            if text is None:
                continue
            if not isinstance(text, str):
                self.add(f"{where}.{key}", L("应为 JSON 文本或 null", "must be JSON text or null"))
                continue
            try:
                value = _loads(text)
            except (ValueError, RecursionError):
                self.add(f"{where}.{key}", L("不是有效的 JSON", "not valid JSON"))
                continue
            if not isinstance(value, dict):
                self.add(f"{where}.{key}", L("应为 JSON 对象", "must be a JSON object"))
                continue
            parsed[key] = value
            if _BAD_IN_JSON.search(text):  # only then is there something to find
                _walk(value, f"{where}.{key}", self.problems, breaks=True)
        for key in ("prev", "hash"):
            if not isinstance(raw.get(key), str) or not HEX64_RE.fullmatch(raw[key]):
                self.add(f"{where}.{key}", L("应为 64 位十六进制的 SHA-256 摘要", "must be a SHA-256 digest in 64 hex digits"))
        return (parsed["before"], parsed["after"]) if len(self.problems.errors) == before else None

    @staticmethod
    def _target_fits(action: str, record_id: str) -> bool:
        if action in RECORD_ACTIONS or action.startswith("transition:") or action.startswith("evidence."):
            return ID_RE.fullmatch(record_id) is not None
        if action in USER_ACTIONS:
            return record_id.startswith("user:") and USER_RE.fullmatch(record_id[5:]) is not None
        if action == "setting.set":
            return record_id.startswith("setting:") and len(record_id) > 8
        return record_id == "store"

    def replay(self) -> _Replay:
        """Walk the chain and keep what it says the store holds; an entry that does not follow
        from the ones before it (an edit of a record never created, a before that is not what
        was last written) is named."""
        out = _Replay()
        for i, e in enumerate(self.entries):
            where = f"audit[{i}]"
            before, after = self.snapshots[i]
            action = e.action
            if action in RECORD_ACTIONS or action.startswith("transition:"):
                self.replay_record(out, i, e, before, after)
            elif action in USER_ACTIONS:
                name = e.record_id[5:]
                current = out.users.get(name)
                if action == "init" and i != 0:
                    self.add(f"{where}.action", L("init 只能是第一条（存储创建时）", "init can only be the first entry (when the store was made)"))
                elif action == "user.remove":
                    if current is None:
                        self.add(where, L("删除了不存在的用户 {n}", "removes the user {n}, who does not exist").format(n=name))
                    out.users.pop(name, None)
                elif after is None or after.get("name") != name:
                    self.add(f"{where}.after", L("应为用户 {n} 的记录", "must be the user {n}").format(n=name))
                elif action in ("user.role", "user.unit") and current is None:
                    self.add(where, L("改了不存在的用户 {n} 的角色或单位", "changes the role or unit of {n}, who does not exist").format(n=name))
                elif action not in ("user.role", "user.unit") and current is not None:
                    self.add(where, L("再次添加了已有的用户 {n}", "adds the user {n}, who already exists").format(n=name))
                else:
                    out.users[name] = (i, after)
            elif action == "setting.set":
                key = e.record_id[len("setting:"):]
                if after is None or set(after) != {"value"}:
                    self.add(f"{where}.after", L("应为 {\"value\": 值}", "must be {\"value\": …}"))
                else:
                    out.settings[key] = (i, after["value"])
            elif action in ("evidence.attach", "evidence.detach"):
                snap = after if action == "evidence.attach" else before
                if not isinstance(snap, dict) or not isinstance(snap.get("file"), str):
                    self.add(where, L("没有说明是哪个附件", "does not say which file"))
                elif action == "evidence.attach":
                    out.files[(e.record_id, snap["file"])] = (i, snap)
                elif out.files.pop((e.record_id, snap["file"]), None) is None:
                    self.add(where, L("移除了 {id} 没有的附件", "detaches a file {id} does not have").format(id=e.record_id))
        return out

    def replay_record(self, out: _Replay, i: int, e: AuditEntry, before: dict | None, after: dict | None) -> None:
        where = f"audit[{i}]"
        rid = e.record_id
        hist = out.records.get(rid)
        if e.action == "create":
            if before is not None or after is None:
                self.add(where, L("新建应只有 after", "a create has an after and no before"))
                return
            if hist is not None and not hist.deleted:
                self.add(where, L("再次新建了已有的 {id}（见 audit[{j}]）", "creates {id} again (see audit[{j}])").format(id=rid, j=hist.first))
                return
            if after.get("id") != rid or after.get("version") != 1:
                self.add(f"{where}.after", L("应为 {id} 的第 1 版", "must be version 1 of {id}").format(id=rid))
            out.records[rid] = _History(first=i, created=e, last=i, last_entry=e)
            type_name, _, num = rid.rpartition("-")
            out.created_numbers[type_name] = max(out.created_numbers.get(type_name, 0), int(num))
            return
        if hist is None or hist.deleted:
            self.add(where, L("改动了{what}的 {id}", "changes {id}, which {what}").format(
                id=rid, what=L("已删除", "was deleted") if hist else L("从未新建", "was never created")))
            return
        last_after = hist.last_entry.after
        if e.before != last_after:
            self.add(f"{where}.before", L("与 audit[{j}] 写下的 {id} 不符", "does not match what audit[{j}] wrote of {id}").format(j=hist.last, id=rid))
        if e.action == "delete":
            if after is not None:
                self.add(f"{where}.after", L("删除应没有 after", "a delete has no after"))
            hist.deleted, hist.last, hist.last_entry = True, i, e
            return
        if after is None or after.get("id") != rid:
            self.add(f"{where}.after", L("应为 {id} 的新版本", "must be the new version of {id}").format(id=rid))
            return
        if before is not None and (not _is_int(before.get("version")) or after.get("version") != before["version"] + 1):
            self.add(f"{where}.after", L("版本应比前一版多 1", "the version must be one more than before"))
        self.replay_step(where, e.action, before, after)
        hist.writes += 1
        hist.last, hist.last_entry = i, e

    def replay_step(self, where: str, action: str, before: dict | None, after: dict) -> None:
        """An edit keeps the state; a step of the workflow goes from one of its sources to its
        target. (A step the type's workflow no longer has is left alone: a plugin may rename one.)"""
        rt = self.registry.types.get(after.get("type")) if isinstance(after.get("type"), str) else None
        if rt is None or before is None:
            return
        if action == "update" and before.get("state") != after.get("state"):
            self.add(f"{where}.after", L("修改不改变状态：{a} 变成了 {b}", "an edit keeps the state: {a} became {b}").format(
                a=_json(before.get("state")), b=_json(after.get("state"))))
        elif action.startswith("transition:") and rt.workflow is not None:
            steps = [t for t in rt.workflow.transitions if t.name == action[len("transition:"):]]
            if steps and not any(before.get("state") in t.source and after.get("state") == t.target for t in steps):
                step = steps[0]
                self.add(f"{where}.after", L("流程步骤 {t} 是从 {src} 到 {dst}，而不是从 {a} 到 {b}",
                                             "the workflow step {t} goes from {src} to {dst}, not from {a} to {b}").format(
                    t=step.name, src="/".join(step.source), dst=step.target, a=_json(before.get("state")), b=_json(after.get("state"))))

    def against_replay(self, replay: _Replay) -> None:
        """The state in the file is what the audit leaves."""
        for rid, (i, _) in self.ids.items():
            raw = self.doc["records"][i]
            where = f"records[{i}]"
            hist = replay.records.get(rid)
            if hist is None:
                self.add(where, L("{id}：审计中没有写入它的条目", "{id}: no audit entry wrote it").format(id=shown(rid)))
                continue
            if hist.deleted:
                self.add(where, L("{id}：审计说它已在 audit[{j}] 删除", "{id}: the audit says it was deleted (audit[{j}])").format(id=rid, j=hist.last))
                continue
            data = raw.get("data") if isinstance(raw.get("data"), dict) else {}
            mine = {**{k: raw.get(k) for k in ("id", "type", "version", "state")}, **data}
            written = self.snapshots[hist.last][1]
            same_text = audit.canonical(mine) == hist.last_entry.after
            for key in () if same_text else dict.fromkeys([*mine, *written]):
                if not _same(mine.get(key), written.get(key)):
                    path = f"{where}.{key}" if key in ("id", "type", "version", "state") else f"{where}.data.{key}"
                    self.add(path, L("{id}：为 {v}，而审计最后写入的（audit[{j}]）是 {w}", "{id}: is {v}, but the audit's last write of it (audit[{j}]) is {w}").format(
                        id=rid, v=_json(mine.get(key)), j=hist.last, w=_json(written.get(key))))
            if not _same(raw.get("version"), hist.writes):
                self.add(f"{where}.version", L("{id}：版本 {v}，而审计中写了它 {n} 次", "{id}: version {v}, but the audit holds {n} write(s) of it").format(
                    id=rid, v=_json(raw.get("version")), n=hist.writes))
            for key, want, j in (("created_at", hist.created.ts, hist.first), ("created_by", hist.created.actor, hist.first),
                                 ("updated_at", hist.last_entry.ts, hist.last), ("updated_by", hist.last_entry.actor, hist.last)):
                got = raw.get(key)
                if got != want:
                    self.add(f"{where}.{key}", L("{id}：为 {v}，而审计（audit[{j}]）是 {w}", "{id}: is {v}, but the audit (audit[{j}]) says {w}").format(
                        id=rid, v=_json(got), j=j, w=_json(want)))
        present = set(self.ids)
        for rid, hist in replay.records.items():
            if not hist.deleted and rid not in present and not self.of_another_year(hist):
                self.add("records", L("缺少 {id}：audit[{j}] 新建了它，且没有条目删除它", "{id} is missing: audit[{j}] created it and no entry deleted it").format(id=rid, j=hist.first))
        # users
        by_name: dict[str, int] = {}
        for i, raw in enumerate(self.doc["users"]):
            if isinstance(raw, dict) and isinstance(raw.get("name"), str):
                by_name.setdefault(raw["name"], i)
        for name, i in by_name.items():
            raw = self.doc["users"][i]
            found = replay.users.get(name)
            if found is None:
                self.add(f"users[{i}]", L("{n}：审计中没有添加这个用户的条目", "{n}: no audit entry added this user").format(n=name))
            elif not _same({k: raw.get(k) for k in USER_KEYS + USER_OPTIONAL}, {k: found[1].get(k) for k in USER_KEYS + USER_OPTIONAL}):
                diff = [k for k in USER_KEYS + USER_OPTIONAL if not _same(raw.get(k), found[1].get(k))]
                for k in diff:
                    self.add(f"users[{i}].{k}", L("{n}：为 {v}，而审计最后写入的（audit[{j}]）是 {w}", "{n}: is {v}, but the audit's last write (audit[{j}]) is {w}").format(
                        n=name, v=_json(raw.get(k)), j=found[0], w=_json(found[1].get(k))))
        for name, (j, _) in replay.users.items():
            if name not in by_name:
                self.add("users", L("缺少用户 {n}：audit[{j}] 添加了他，且没有条目删除", "the user {n} is missing: audit[{j}] added them and no entry removed them").format(n=name, j=j))
        # settings
        settings = self.doc["settings"]
        for key, value in settings.items():
            found = replay.settings.get(key)
            if found is None:
                self.add(f"settings.{key}", L("审计中没有设置它的条目", "no audit entry set it"))
            elif not _same(value, found[1]):
                self.add(f"settings.{key}", L("为 {v}，而审计最后写入的（audit[{j}]）是 {w}", "is {v}, but the audit's last write (audit[{j}]) is {w}").format(
                    v=_json(value), j=found[0], w=_json(found[1])))
        for key, (j, _) in replay.settings.items():
            if key not in settings:
                self.add("settings", L("缺少设置 {k}：audit[{j}] 设置了它", "the setting {k} is missing: audit[{j}] set it").format(k=key, j=j))
        # attached files: those the audit attached and did not detach, as it attached them
        have = self.blob_entries
        for (rid, name), (j, snap) in replay.files.items():
            found = have.get((rid, name))
            if found is None:
                if rid in present:
                    self.add("blobs", L("缺少 {id} 的附件 {n}：audit[{j}] 附上了它", "{id}'s file {n} is missing: audit[{j}] attached it").format(id=rid, n=name, j=j))
                continue
            i, b = found
            entry = self.entries[j]
            for key, want in (("sha256", snap.get("sha256")), ("size", snap.get("size")), ("media_type", snap.get("media_type")),
                              ("added_at", entry.ts), ("added_by", entry.actor)):
                if not _same(b.get(key), want):
                    self.add(f"blobs[{i}].{key}", L("{id} 的附件 {n}：为 {v}，而 audit[{j}] 所记是 {w}", "{id}'s file {n}: is {v}, but audit[{j}] says {w}").format(
                        id=rid, n=name, v=_json(b.get(key)), j=j, w=_json(want)))
        for (rid, name), (i, _) in have.items():
            if (rid, name) not in replay.files:
                self.add(f"blobs[{i}]", L("{id} 的附件 {n}：审计中没有附上它的条目", "{id}'s file {n}: no audit entry attached it").format(id=rid, n=name))

    def of_another_year(self, hist: _History) -> bool:
        """In a year's part: the audit's last write of the record files it in another year (by its
        type's ``year_field``); a record of a type without one (a unit, a person) is never absent."""
        if self.year is None or not isinstance(hist.last_entry.after, str):
            return False
        written = json.loads(hist.last_entry.after)
        rt = self.registry.types.get(written.get("type")) if isinstance(written.get("type"), str) else None
        if rt is None or rt.year_field is None:
            return False
        value = written.get(rt.year_field)
        return year_of(value) not in (None, self.year)

    # -- attached files -------------------------------------------------------------------------
    def check_blobs(self) -> None:
        """Attached files (an export made before evidence existed has none): each decoded and
        checked against its SHA-256 and size, on a record in the file."""
        for i, b in enumerate(self.doc.get("blobs", [])):
            where = f"blobs[{i}]"
            if not isinstance(b, dict):
                self.add(where, L("应为对象（一个附件）", "must be an object (an attached file)"))
                continue
            before = len(self.problems.errors)
            _keys(b, BLOB_KEYS, where, self.problems)
            for key in ("record_id", "name", "sha256", "media_type"):
                if not isinstance(b.get(key), str):
                    self.add(f"{where}.{key}", L("应为文本", "must be text"))
            if isinstance(b.get("name"), str) and (not FILE_NAME_RE.fullmatch(b["name"]) or b["name"] in (".", "..")):
                self.add(f"{where}.name", L("文件名无效（如 duty attach 所拒）", "not a valid file name (as `duty attach` refuses it)"))
            if not _is_int(b.get("size")) or b["size"] < 0:
                self.add(f"{where}.size", L("应为非负整数", "must be a whole number, not negative"))
            if reason := _timestamp_problem(b.get("added_at")):
                self.add(f"{where}.added_at", reason)
            if reason := _login_problem(b.get("added_by")):
                self.add(f"{where}.added_by", reason)
            if len(self.problems.errors) != before:
                continue
            if (b["record_id"], b["name"]) in self.blob_entries:
                self.add(f"{where}.name", L("{id} 的附件 {n} 出现了两次", "{id}'s file {n} is given twice").format(id=b["record_id"], n=b["name"]))
                continue
            self.blob_entries[(b["record_id"], b["name"])] = (i, b)
            try:
                data = base64.b64decode(b["data"], validate=True)
            except (TypeError, ValueError):
                self.add(f"{where}.data", L("不是有效的 base64", "not valid base64"))
                continue
            info = BlobInfo(**{k: b[k] for k in BLOB_KEYS if k != "data"})
            if hashlib.sha256(data).hexdigest() != info.sha256 or len(data) != info.size:
                self.add(where, L("附件内容与其 SHA-256 或大小不符", "the file does not match its SHA-256 or size"))
            elif info.record_id not in self.ids:
                self.add(f"{where}.record_id", L("附件所属的记录不在文件中", "the file's record is not in the file"))
            else:
                self.blobs.append((info, data))


def year_of(value: Any) -> int | None:
    """The year a ``year_field`` value files a record in (a YYYY-MM-DD date or an integer year)."""
    if _is_int(value):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return int(value[:4])
    return None


def check_export(doc: dict[str, Any], registry: Registry, problems: _Problems | None = None, *, year: int | None = None) -> _Check:
    """Every check of an import; the result holds what to write. Raises :class:`ValidationError`
    naming every problem (those of ``problems``, found reading the file, too). With ``year``, the
    file is a year's part (a signed bundle's, :mod:`duty_tui.bundle`): every check holds, except
    that a record the audit files in another year may be absent."""
    c = _Check(doc, registry, problems, year)
    c.header()
    c.check_records()
    c.check_users()
    c.check_settings()
    c.check_blobs()
    replay = c.replay() if c.check_audit() else None
    c.check_gone_persons(replay)
    c.check_counters(replay)
    if replay is not None:
        c.against_replay(replay)
    if c.problems:
        raise c.problems.refuse()
    return c


def import_store(store: Store, registry: Registry, login: str, source: str | bytes) -> dict[str, int]:
    """Restore an export (the file's bytes, or its text) into an uninitialised store, all or
    nothing, after every check (module docstring)."""
    doc, problems = _read(source)
    c = check_export(doc, registry, problems)
    Ledger.restore(store, registry, login, records=c.records, counters=doc["counters"], settings=doc["settings"], users=c.users,
                   entries=c.entries, blobs=c.blobs, exported_at=doc.get("exported_at"))
    return {"records": len(c.records), "audit": len(c.entries), "users": len(c.users), "blobs": len(c.blobs)}

