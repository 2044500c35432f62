"""How the CLI shows records to a person: values in their language, tables that stay aligned
with Chinese (wide) characters."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from typing import Any, Iterable, Sequence

from ..schema import BOOL, CHOICE, MULTI_CHOICE, Field


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def clip(text: str, size: int) -> str:
    if width(text) <= size:
        return text
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > size - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], max_col: int = 40) -> str:
    rows = [[clip(str(c).replace("\n", " "), max_col) for c in row] for row in rows]
    widths = [width(h) for h in headers]
    for row in rows:
        widths = [max(w, width(c)) for w, c in zip(widths, row)]
    lines = ["  ".join(pad(h, w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def show_value(f: Field, value: Any, lang: str, titles: dict[str, str] | None = None) -> str:
    if value in (None, "", []):
        return ""
    if f.kind == BOOL:
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if f.kind == CHOICE:
        return f.choice_label(value).render(lang)
    if f.kind == MULTI_CHOICE:
        return "、".join(f.choice_label(v).render(lang) for v in value) if lang == "zh" else ", ".join(f.choice_label(v).render(lang) for v in value)
    if isinstance(value, list):
        return ", ".join(_ref(v, titles) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and titles is not None and value in titles:
        return _ref(value, titles)
    return str(value)


def _ref(value: str, titles: dict[str, str] | None) -> str:
    title = (titles or {}).get(value)
    return f"{value} {title}" if title else str(value)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)

