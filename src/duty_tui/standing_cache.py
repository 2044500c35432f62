"""Each town's computed standing, kept (issue 19): what the county dashboard and ``duty check
--town`` show for a town, stored with what it depends on, so that it is shown at once and only
the towns that changed are computed again.

**What a kept standing depends on** (its key; any part different, and it is not used):

* the store (its mark: the hash of its first audit entry) and the format of this file;
* the town: for a town kept in the store, its **audit position**, the newest audit entry that
  touched a record of that town (a record moved from one town to another touches both: the
  entry's record is placed by what it said before and by what it says after); for an imported
  town, the SHA-256 of the bundle read (a bundle never changes);
* the scope of the ledger that read it (a bound operator's view of a village is not the town's);
* today's date, the year, the settings that apply to the town (the store's and the town's own),
  the plugins' names and versions (and duty-tui's), the rule ids asked, the ``--unit`` asked.

**Where it is kept, and why there**: in ``DUTY_STANDINGS_DIR``, else the cache folder's
``standings/`` (``DUTY_CACHE_DIR``, else the user's cache folder), under ``<store mark>/``, one
small file per town and key. A derived cache is not a record: it is
not written through the ledger, has no audit entry, and nothing in the store changes when it is
written, so "every write goes through the ledger" holds, a read-only store still benefits, and
a backup or export never carries it. By default each operator (each OS account) has a cache of
their own, which no other operator can write; the operators of one county server share one by
pointing ``DUTY_STANDINGS_DIR`` at a folder of their group (with duty-login's ``umask 007`` its
files are the group's to read and write), so a standing one of them computed serves the others.
Whoever can write that folder can forge a standing there: share it only among operators who trust
each other; ``DUTY_FRESH=1`` recomputes whatever is kept.

**Never trusted blindly**: an entry is used only when it parses, carries the format, names the
very key asked for (a file of another store, town or scope is foreign) and its digest (SHA-256
over key and body) matches; anything else is ignored, computed again and overwritten. Only a
clean computation is kept: a town that could not be read, a rule that failed or a scorer that
raised is computed again next time. Values are kept as tagged JSON of a few known shapes
(findings, lights, scores, overdue items, bilingual texts, dates, fractions), never pickled.

The audit positions of the towns are worked out from a checkpoint kept in the same folder (the
positions as of one audit entry): the entries written since are read (usually a handful) and
each is placed in its town(s); an entry that cannot be placed (a record of no unit, a record
whose unit cannot be found, an account's change) makes every town stale, which costs time but is
never wrong. A settings change is not placed: the settings are part of the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from dataclasses import fields, is_dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable, Mapping

FORMAT = 1
FRESH_ENV = "DUTY_FRESH"
FOLDER_ENV = "DUTY_STANDINGS_DIR"  # the folder kept standings go in (default: the cache folder's standings/)
KEEP_DAYS = 3  # entries not written for this long are removed (yesterday's are useless but harmless)
REBASE_AFTER = 5000  # audit entries since the checkpoint beyond which every town is taken as changed
PAGE = 500

# what computed a town, not from the cache: (kind, town unit), in order (tests read it; cleared by them)
computed: list[tuple[str, str]] = []


class Uncacheable(Exception):
    """A value of a shape the cache does not keep: the standing is not kept (it is still shown)."""


# -- tagged JSON ------------------------------------------------------------------------------------

_SHAPES: dict[str, type] = {}  # the dataclasses the layers above keep here (present.county: a standing's)


def keep_shapes(*types: type) -> None:
    """Let values of these dataclasses be kept. The presentation layer adds those of a town's
    standing (present.county) as it is imported: this module sits with the county's check, below
    the presentation, and names none of its types."""
    global _CLASSES
    for cls in types:
        _SHAPES[cls.__name__] = cls
    _CLASSES = None


def _known() -> dict[str, type]:
    from .i18n import L
    from .rules import Finding, Fix

    return {**{c.__name__: c for c in (L, Finding, Fix)}, **_SHAPES}


_CLASSES: dict[str, type] | None = None


def classes() -> dict[str, type]:
    global _CLASSES
    if _CLASSES is None:
        _CLASSES = _known()
    return _CLASSES


try:  # orjson, when installed, reads and writes the kept JSON (a county's standings are megabytes)
    import orjson as _orjson
except ImportError:  # pragma: no cover - the standard library's then
    _orjson = None


def dumps(value: Any) -> bytes:
    if _orjson is not None:
        return _orjson.dumps(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> Any:
    return _orjson.loads(data) if _orjson is not None else json.loads(data)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _init_fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.init)
    return names


def encode(value: Any) -> Any:
    """``value`` as JSON that :func:`decode` gives back equal, of the same types: a tagged value is
    an object of one key (``{"$t": [...]}`` a tuple, ``{"Finding": [...]}`` a known dataclass by
    its fields in order, ...)."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return {"$f": repr(value)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$t": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"$d": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Fraction):
        return {"$q": [value.numerator, value.denominator]}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, BaseException):
        raise Uncacheable("an exception")  # a failed rule: computed again next time
    cls = type(value)
    if cls is classes()["L"]:  # the most frequent by far (every message, label, type's name): short
        return {"L": [value.zh, value.en]} if not value.args else {"L": [value.zh, value.en, [[k, encode(v)] for k, v in value.args]]}
    if is_dataclass(value) and classes().get(cls.__name__) is cls:
        return {cls.__name__: [encode(getattr(value, name)) for name in _init_fields(cls)]}
    raise Uncacheable(f"a {cls.__qualname__}")


_TEXTS: dict[tuple[str, str], Any] = {}  # bilingual texts without arguments, decoded once (they are frozen)


def _decode_text(raw: list) -> Any:
    if len(raw) == 2:
        zh, en = raw
        if not (isinstance(zh, str) and isinstance(en, str)):
            raise ValueError("not a text")
        found = _TEXTS.get((zh, en))
        if found is None:
            if len(_TEXTS) > 10000:
                _TEXTS.clear()
            found = _TEXTS[(zh, en)] = classes()["L"](zh, en)
        return found
    zh, en, args = raw
    if not (isinstance(zh, str) and isinstance(en, str)):
        raise ValueError("not a text")
    return classes()["L"](zh, en, tuple((str(k), decode(v)) for k, v in args))


def _decode_tagged(value: dict) -> Any:
    if len(value) != 1:
        raise ValueError("not a tagged value")
    (tag, raw), = value.items()
    if tag == "L":
        return _decode_text(raw)
    decoder = _TAGS.get(tag)
    if decoder is not None:
        return decoder(raw)
    cls = classes().get(tag)
    if cls is None or not isinstance(raw, list) or len(raw) != len(_init_fields(cls)):
        raise ValueError(f"unknown tag {tag!r}")
    return cls(*[decode(v) for v in raw])


def decode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        return _decode_tagged(value)
    raise ValueError("not a tagged value")


_TAGS = {
    "$f": float,
    "$t": lambda raw: tuple(decode(v) for v in raw),
    "$d": lambda raw: {decode(k): decode(v) for k, v in raw},
    "$dt": dt.datetime.fromisoformat,
    "$date": dt.date.fromisoformat,
    "$q": lambda raw: Fraction(int(raw[0]), int(raw[1])),
    "$dec": Decimal,
}


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest_of(key: Mapping[str, Any], body: Any) -> str:
    """A checkpoint's digest (its body is small): over the key and body, canonical."""
    return hashlib.sha256(canonical({"key": key, "body": body})).hexdigest()


def entry_digest(key_bytes: bytes, body: bytes) -> str:
    """A kept standing's digest: over its key, canonical, and its body as written."""
    return hashlib.sha256(key_bytes + b"\n" + body).hexdigest()


# -- what a standing depends on ---------------------------------------------------------------------

def fresh_asked() -> bool:
    return os.environ.get(FRESH_ENV, "").strip().lower() not in ("", "0", "no", "false")


def plugins_of(registry) -> list[list[Any]]:
    """The loaded plugins' names, sources and versions, and duty-tui's own version."""
    from . import __version__

    out = [["duty-tui", "core", __version__]]
    out += sorted([p.name, p.source, p.version or ""] for p in registry.plugins if p.status == "loaded")
    return out


def settings_digest(settings: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(encode(dict(sorted(settings.items()))))).hexdigest()


def _top_of(unit_id: str, parents: Mapping[str, str | None]) -> str:
    from .scope import top_of

    return top_of(unit_id, parents)


class StandingCache:
    """The kept standings of one store, as one ledger (one account, one scope) reads them.

    ``fresh``: nothing kept is used (everything is computed and kept anew)."""

    def __init__(self, ledger, *, fresh: bool = False, folder: Path | None = None):
        from .county import cache_dir

        self.ledger = ledger
        self.fresh = fresh or fresh_asked()
        self.mark = ledger.store_mark() or "empty"
        explicit = os.environ.get(FOLDER_ENV)
        root = folder if folder is not None else Path(explicit).expanduser() if explicit else cache_dir() / "standings"
        self.dir = root / hashlib.sha256(self.mark.encode("utf-8")).hexdigest()[:32]
        self.plugins = plugins_of(ledger.registry)
        self._writable = True
        self._pruned = False

    # -- keys --------------------------------------------------------------------------------------
    def key(self, kind: str, town, source: str, settings: str | None, **asked: Any) -> dict[str, Any]:
        """What a standing of ``kind`` ("standing" or "check") for ``town`` depends on."""
        return {"format": FORMAT, "kind": kind, "mark": self.mark, "town": town.unit, "town_kind": town.kind,
                "scope": self.ledger.scope, "source": source, "settings": settings, "plugins": self.plugins,
                **{k: encode(v) for k, v in sorted(asked.items())}}

    def path_of(self, key: Mapping[str, Any]) -> Path:
        return self.dir / f"{hashlib.sha256(canonical(key)).hexdigest()}.json"

    # -- entries -----------------------------------------------------------------------------------
    def get(self, key: Mapping[str, Any]) -> Any | None:
        """The kept value for ``key``, or None (none kept, or one not to be trusted).

        An entry is a header line, ``{"format", "key", "digest"}``, then its body (tagged JSON);
        used only when the format is this one, the key the one asked for (else it is foreign: of
        another store, town, scope...) and the digest that of the key and the body as they are."""
        if self.fresh:
            return None
        try:
            raw = self.path_of(key).read_bytes()
        except OSError:
            return None
        try:
            head, _, body = raw.partition(b"\n")
            header = json.loads(head)
            key_bytes = canonical(key)
            if not isinstance(header, dict) or header.get("format") != FORMAT or canonical(header.get("key")) != key_bytes:
                return None  # another format, or foreign
            if header.get("digest") != entry_digest(key_bytes, body):
                return None  # changed since it was written
            return decode(loads(body))
        except Exception:  # corrupt in any way: computed again
            return None

    def put(self, key: Mapping[str, Any], value: Any) -> bool:
        """Keep ``value`` under ``key`` (a value of a shape not kept, or a folder that cannot be
        written, is not kept; that is no error)."""
        try:
            body = dumps(encode(value))
        except (Uncacheable, TypeError, ValueError, OverflowError):  # OverflowError, TypeError: orjson's integer past 64 bits
            return False
        key_bytes = canonical(key)
        header = {"format": FORMAT, "key": json.loads(key_bytes), "digest": entry_digest(key_bytes, body)}
        return self._write(self.path_of(key), canonical(header) + b"\n" + body)

    def _write(self, path: Path, data: bytes) -> bool:
        if not self._writable:
            return False
        try:
            # the group may share the folder (the umask decides: duty-login's 007 gives the group
            # read and write); the user's own cache folder is theirs alone
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o770)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o660)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except OSError:
            self._writable = False  # a read-only cache folder: nothing is kept this time
            return False
        self._prune()
        return True

    def _prune(self) -> None:
        """Entries not written for KEEP_DAYS days go (once per process)."""
        if self._pruned:
            return
        self._pruned = True
        cutoff = time.time() - KEEP_DAYS * 86400
        try:
            for p in self.dir.glob("*.json"):
                try:
                    if p.stat().st_mtime < cutoff:
                        p.unlink()
                except OSError:
                    pass
        except OSError:
            pass

    # -- the towns' audit positions ------------------------------------------------------------------
    def positions(self, towns: Iterable[Any]) -> dict[str, str]:
        """Town unit → its audit position ("seq:hash" of the newest entry that touched it, or of
        the entry the checkpoint started at), for the resident towns given."""
        ledger = self.ledger
        units = [t.unit for t in towns]
        newest = ledger.audit_page(limit=1)
        if not newest:
            return {u: "0:" for u in units}
        head = newest[0]
        here = f"{head.seq}:{head.hash}"
        checkpoint = self._checkpoint()
        held: dict[str, str] = {}
        if checkpoint is not None:
            seq, mark = checkpoint["seq"], checkpoint["hash"]
            if seq == head.seq and mark == head.hash:
                held = dict(checkpoint["positions"])
            elif seq < head.seq and self._entry_is(seq, mark):
                changed = self._changed_since(seq, head.seq)
                if changed is not None:
                    held = dict(checkpoint["positions"])
                    for towns_touched, where in changed:  # oldest first: a town's newest entry wins
                        for town in (set(held) | set(units)) if "*" in towns_touched else towns_touched:
                            held[town] = where
        out = {u: held.get(u) or here for u in units}
        if checkpoint is None or checkpoint["seq"] != head.seq or any(u not in held for u in units):
            self._save_checkpoint(head.seq, head.hash, {**held, **out})
        return out

    def _checkpoint_path(self) -> Path:
        scope = self.ledger.scope or "all"
        return self.dir / f"positions-{hashlib.sha256(scope.encode('utf-8')).hexdigest()[:16]}.json"

    def _checkpoint(self) -> dict | None:
        try:
            entry = json.loads(self._checkpoint_path().read_bytes())
            key = {"format": FORMAT, "mark": self.mark, "scope": self.ledger.scope}
            if entry.get("key") != key or entry.get("digest") != digest_of(key, entry["body"]):
                return None
            body = entry["body"]
            if not isinstance(body.get("seq"), int) or not isinstance(body.get("hash"), str) or not isinstance(body.get("positions"), dict):
                return None
            if not all(isinstance(k, str) and isinstance(v, str) for k, v in body["positions"].items()):
                return None
            return body
        except Exception:
            return None

    def _save_checkpoint(self, seq: int, mark: str, positions: dict[str, str]) -> None:
        key = {"format": FORMAT, "mark": self.mark, "scope": self.ledger.scope}
        body = {"seq": seq, "hash": mark, "positions": positions}
        self._write(self._checkpoint_path(), canonical({"key": key, "body": body, "digest": digest_of(key, body)}))

    def _entry_is(self, seq: int, mark: str) -> bool:
        """Whether the entry ``seq`` of this store's chain is the one the checkpoint names (a store
        put back from an older backup and written on has other entries under the same numbers)."""
        page = self.ledger.audit_page(before_seq=seq + 1, limit=1)
        return bool(page) and page[0].seq == seq and page[0].hash == mark

    def _changed_since(self, seq: int, head: int) -> list[tuple[set[str], str]] | None:
        """The entries after ``seq``, oldest first, each as (the towns it touched ("*": every
        town), its position); None when there are too many to place (every town is then taken as
        changed)."""
        if head - seq > REBASE_AFTER:
            return None
        entries = []
        before = None
        while True:
            page = self.ledger.audit_page(before_seq=before, limit=PAGE)
            fresh = [e for e in page if e.seq > seq]
            entries += fresh
            if len(fresh) < len(page) or not page:
                break
            before = page[-1].seq
        placer = Placer(self.ledger)
        return [(placer.towns_of(e), f"{e.seq}:{e.hash}") for e in reversed(entries)]


class Placer:
    """Which towns an audit entry touched: the town of its record as the entry says it was before
    and after ("*": it cannot be said, every town)."""

    def __init__(self, ledger):
        self.ledger = ledger
        self.registry = ledger.registry
        self.parents = {u.id: (u.data.get("parent") or None) for u in ledger.query("unit", limit=None)}
        self._found: dict[str, Any] = {}

    def _find(self, record_id: str):
        if record_id not in self._found:
            self._found[record_id] = self.ledger.find(record_id)
        return self._found[record_id]

    def towns_of(self, entry) -> set[str]:
        from .ledger import ID_RE

        rid = entry.record_id
        if rid.startswith("setting:"):
            return set()  # the settings are part of every key
        if not ID_RE.match(rid):
            return {"*"}
        rt = self.registry.types.get(rid.rsplit("-", 1)[0])
        if rt is None:
            return {"*"}
        said = []
        for text in (entry.before, entry.after):
            try:
                data = json.loads(text) if text else None
            except ValueError:
                return {"*"}
            if isinstance(data, dict) and data.get("type") == rt.name:
                said.append(data)
        if not said:  # an entry about the record's files: the record as it is now
            found = self._find(rid)
            if found is None:
                return {"*"}
            said.append({**found.data, "id": rid})
        out: set[str] = set()
        for data in said:
            owner = self.owner(rt, data, rid)
            if owner is None:
                return {"*"}
            out.add(_top_of(owner, self.parents))
        return out

    def owner(self, rt, data: Mapping[str, Any], record_id: str) -> str | None:
        """The unit a record belongs to (None: none, or it cannot be found), as the ledger's scope
        reckons it (``ledger.owner_along``); but a unit is placed by its parent as the entry says
        it was, so a unit moved between towns makes both stale."""
        from .ledger import owner_along

        if rt.name == "unit":
            return data.get("parent") or record_id
        return owner_along(self.registry.types, rt, data, record_id, self._find)


class NoCache:
    """Nothing kept, nothing looked up (``cache=False``, or a cache that could not be opened)."""

    disabled = True
    fresh = True

    def get(self, key) -> None:
        return None

    def put(self, key, value) -> bool:
        return False
