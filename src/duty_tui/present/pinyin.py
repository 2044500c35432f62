"""Matching Chinese titles by what a clerk types on a Latin keyboard: full pinyin (``liumingyu``),
initials (``lmy``) or any mix of syllables and their beginnings (``liumy``, ``mingyu``), for
刘明宇. No Textual here; the readings come from pypinyin.

pypinyin is imported on first use, not at start-up (start-up time is benchmarked), and without
its phrase dictionary: names are read character by character, every reading of a character counts
(单 matches ``shan`` and ``dan``), and that keeps the import near 0.1 s instead of 0.4 s. Each
title's readings are cached, so a picker matching the same few thousand names at every keystroke
converts each name once.
"""

from __future__ import annotations

import functools
import os
import re
from typing import Iterable

_LATIN = re.compile(r"^[a-z][a-z' ]*$")
_SEPARATORS = re.compile(r"[' ]+")


def looks_like_pinyin(query: str) -> bool:
    """Whether ``query`` could be pinyin or initials: Latin letters (spaces and ' allowed)."""
    return bool(_LATIN.match(query.strip().lower()))


@functools.lru_cache(maxsize=1)
def _reader():
    """pypinyin's per-character reader (imported once, on first use, without the phrase
    dictionary: it is read at import only when PYPINYIN_NO_PHRASES is unset)."""
    before = os.environ.get("PYPINYIN_NO_PHRASES")
    os.environ["PYPINYIN_NO_PHRASES"] = "true"
    try:
        from pypinyin import Style, pinyin
    finally:
        if before is None:
            os.environ.pop("PYPINYIN_NO_PHRASES", None)
        else:
            os.environ["PYPINYIN_NO_PHRASES"] = before
    return lambda text: pinyin(text, style=Style.NORMAL, heteronym=True, errors=lambda chars: [[c] for c in chars])


@functools.lru_cache(maxsize=20_000)
def _char(ch: str) -> tuple[str, ...]:
    """One character's readings (names share their characters: each is converted once)."""
    if ch.isascii():
        return (ch.lower(),) if ch.isalnum() else ()
    options = _reader()(ch)
    return tuple(dict.fromkeys(o.lower() for row in options for o in row if o and o.isalnum()))


@functools.lru_cache(maxsize=20_000)
def readings(text: str) -> tuple[tuple[str, ...], ...]:
    """Each character's possible readings, lower case (a Latin letter or digit reads as itself;
    spaces and punctuation are dropped). ``readings("刘明宇")`` → (("liu",), ("ming", "meng"), ("yu",))."""
    return tuple(r for r in map(_char, text) if r)


@functools.lru_cache(maxsize=20_000)
def _firsts(text: str) -> frozenset[str]:
    """The letters a reading of some character of ``text`` begins with: a quick no."""
    return frozenset(s[0] for r in readings(text) for s in r)


def initials(text: str) -> str:
    """The first letter of each character's first reading: ``initials("刘明宇")`` → ``lmy``."""
    return "".join(r[0][0] for r in readings(text))


def full(text: str) -> str:
    """The first reading of each character run together: ``full("刘明宇")`` → ``liumingyu``."""
    return "".join(r[0] for r in readings(text))


def _prefix(a: str, b: str, start: int) -> int:
    """How many letters of ``a`` match ``b`` from ``start``."""
    n, limit = 0, min(len(a), len(b) - start)
    while n < limit and a[n] == b[start + n]:
        n += 1
    return n


def normal(query: str) -> str:
    """The query as it is matched: lower case, without spaces and apostrophes ("" when it is not
    pinyin at all)."""
    q = _SEPARATORS.sub("", query.strip().lower())
    return q if q and looks_like_pinyin(q) else ""


def rank(query: str, text: str) -> int | None:
    """How well ``query`` (pinyin, initials or a mix) matches ``text``: 0 from its first
    character, 1 from a later one (``mingyu`` in 刘明宇), None when it does not match. Each
    character takes its whole syllable or a beginning of it, at least one letter.

    Whatever matches a query also matches every beginning of it (``lm`` finds all that ``lmy``
    finds), so a picker narrowing as letters are typed may search only the last hits."""
    q = normal(query)
    return _rank(q, text) if q else None


def _rank(q: str, text: str) -> int | None:
    if not text or q[0] not in _firsts(text):
        return None
    chars = readings(text)
    for start in range(len(chars)):
        if q[0] not in {s[0] for s in chars[start]}:
            continue
        reached = {0}  # how much of the query the characters so far can spell
        for syllables in chars[start:]:
            after = set()
            for j in reached:
                for syllable in syllables:
                    after.update(range(j + 1, j + _prefix(syllable, q, j) + 1))
            if len(q) in after:
                return 0 if start == 0 else 1
            if not after:
                break
            reached = after
    return None


def index(titles: Iterable[str]) -> None:
    """Work out the readings of these titles now (a picker does it off the UI thread, so the first
    keystroke in pinyin finds them ready); imports pypinyin if it is not yet."""
    for title in titles:
        _firsts(title)


def search(query: str, titles: Iterable[tuple[str, str]]) -> list[tuple[int, str]]:
    """(rank, id) of each (id, title) that ``query`` matches, in the order given."""
    q = normal(query)
    if not q:
        return []
    return [(r, rid) for rid, title in titles if (r := _rank(q, title)) is not None]


def matches(query: str, text: str) -> bool:
    """Whether ``query`` typed in pinyin or initials finds ``text``: ``liu``, ``liumingyu``,
    ``lmy`` and ``mingyu`` all find 刘明宇."""
    return rank(query, text) is not None
