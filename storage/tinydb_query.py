"""The :class:`~duty_tui.store.Query` contract evaluated in Python, over the TinyDB store's
record documents of one type.

A record document is ``{"id", "type", "num", "version", "state", "data", "search", "links",
"created_at", ...}`` with ``data`` in the stored (JSON) shape. The rules are those written on
``Query`` in ``duty_tui/store.py``; the SQL backends give the same answers from their indexes.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from duty_tui.store import Filter, Query

Doc = dict[str, Any]

# Columns of the record itself rather than of its data. Sorting by ``id`` is creation order.
META_FILTER = frozenset({"id", "state", "version", "created_at", "created_by", "updated_at", "updated_by"})
META_SORT = {"id": "num", "state": "state", "version": "version", "created_at": "created_at", "updated_at": "updated_at"}


def value_of(doc: Doc, name: str) -> Any:
    return doc.get(name) if name in META_FILTER else doc["data"].get(name)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _number(value: Any) -> bool:
    return isinstance(value, (int, float))  # bool included: true is 1, as in SQL


def _comparable(a: Any, b: Any) -> bool:
    return (_number(a) and _number(b)) or (isinstance(a, str) and isinstance(b, str))


def _same(a: Any, b: Any) -> bool:
    return a == b if _comparable(a, b) or type(a) is type(b) else False


def _compare(value: Any, op: str, bound: Any) -> bool:
    if not _comparable(value, bound):
        return False
    if op == "lt":
        return value < bound
    if op == "le":
        return value <= bound
    if op == "gt":
        return value > bound
    return value >= bound


def matches(value: Any, f: Filter) -> bool:
    """Whether a field's stored value passes one filter."""
    if f.op == "empty":
        return is_empty(value)
    if f.op == "not_empty":
        return not is_empty(value)
    if f.op == "ne":
        return is_empty(value) or not _same(value, f.value)  # a unit with no kind is "not a village"
    if is_empty(value):
        return False
    if f.op == "eq":
        return _same(value, f.value)
    if f.op == "in":
        return any(_same(value, v) for v in f.value)
    if f.op == "contains":
        if isinstance(value, list):
            return any(_same(item, f.value) for item in value)
        return str(f.value).lower() in str(value).lower()
    if f.op == "between":
        low, high = f.value
        return _compare(value, "ge", low) and _compare(value, "le", high)
    return _compare(value, f.op, f.value)


def selects(doc: Doc, q: Query, terms: list[str]) -> bool:
    if any(not matches(value_of(doc, f.field), f) for f in q.filters):
        return False
    search = doc.get("search") or ""
    return all(term in search for term in terms)


def search_terms(text: str | None) -> list[str]:
    return (text or "").lower().split()


def sort_key(value: Any) -> tuple:
    """Empty first, then numbers, then text by code point; a list or an object sorts as its JSON
    text, as SQL's ``json_extract`` gives it."""
    if is_empty(value):
        return (0,)
    if _number(value):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return (2, json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def ordered(docs: list[Doc], sort: tuple[tuple[str, bool], ...]) -> list[Doc]:
    """Stable sorts from the last key to the first; creation order (``num``) breaks ties in the
    direction of the last key. Python keeps a sort stable with ``reverse=True`` too, and a
    reversed sort puts the empty values last."""
    docs = sorted(docs, key=lambda d: d["num"], reverse=bool(sort and sort[-1][1]))
    for name, descending in reversed(sort):
        column = META_SORT.get(name)
        if column is None:
            docs.sort(key=lambda d: sort_key(d["data"].get(name)), reverse=descending)
        else:
            docs.sort(key=lambda d: sort_key(d.get(column)), reverse=descending)
    return docs


def run(docs: Iterable[Doc], q: Query) -> list[Doc]:
    """The page of ``docs`` that ``q`` asks for."""
    terms = search_terms(q.text)
    chosen = ordered([d for d in docs if selects(d, q, terms)], q.sort)
    end = None if q.limit is None else q.offset + q.limit
    return chosen[q.offset:end]


def count(docs: Iterable[Doc], q: Query) -> int:
    terms = search_terms(q.text)
    return sum(1 for d in docs if selects(d, q, terms))
