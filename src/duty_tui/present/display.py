"""How values look in a terminal cell: in the operator's language, clipped and padded by display
cells (a Chinese character takes two), so columns stay aligned. No Textual here.

Every value shown goes through :func:`safe_text` (duty_tui.safetext): a control character, a
bidirectional override or an undecodable byte that got into a store (an older version, a plugin,
a hand-edited file) shows as ``\x1b``, ``\u202e``, ``\udcc9`` — never raw to a terminal or a
document. Faces that show metadata (who wrote a record, user names, file names) use it too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from rich.cells import cell_len

from ..safetext import safe_text
from ..schema import BOOL, CHOICE, DATE, INTEGER, MULTI_CHOICE, NUMBER, REFERENCE, REFERENCES, Field, RecordType


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes (a Chinese character: two)."""
    return cell_len(text)


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, with an ellipsis when cut; never splits a wide character."""
    if width <= 0:
        return ""
    text = text.replace("\n", " ")
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def fit(text: str, width: int, align: str = "left") -> str:
    """Exactly ``width`` cells: clipped, then padded."""
    text = clip(text, width)
    gap = " " * max(0, width - cell_len(text))
    return gap + text if align == "right" else text + gap


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` cells (never cut)."""
    return text + " " * max(0, width - cell_len(text))


def yes_no(value: bool, lang: str) -> str:
    return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")


__all__ = ["Column", "cell_value", "cells", "clip", "columns_for", "fit", "input_text", "layout", "pad", "reference_text",
           "safe_text", "show_value", "yes_no"]


def show_value(f: Field, value: Any, lang: str, titles: Mapping[str, str] | None = None, *, with_ids: bool = False) -> str:
    """A field's value as a person reads it, the same in the TUI, the CLI and the documents:
    choices by their label, yes/no, dates as 2026-03-01, lists joined with 、 (zh) or commas,
    references by the title of the record they name (and its id when ``with_ids``, or when the
    title is not known). Control characters are shown escaped (:func:`safe_text`)."""
    return safe_text(_shown(f, value, lang, titles, with_ids))


def _shown(f: Field, value: Any, lang: str, titles: Mapping[str, str] | None, with_ids: bool) -> str:
    if value in (None, "", []):
        return ""
    sep = "、" if lang == "zh" else ", "
    if f.kind == BOOL:
        return yes_no(bool(value), lang)
    if f.kind == CHOICE:
        return f.choice_label(str(value)).render(lang)
    if f.kind == MULTI_CHOICE:
        return sep.join(f.choice_label(str(v)).render(lang) for v in (value if isinstance(value, list) else [value]))
    if f.kind in (REFERENCE, REFERENCES):
        ids = value if isinstance(value, list) else [value]
        return sep.join(reference_text(i, titles, with_ids) for i in ids)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def cell_value(f: Field, value: Any, lang: str, titles: Mapping[str, str] | None = None) -> Any:
    """A value as a spreadsheet cell: dates and numbers stay typed (a spreadsheet sorts and sums
    them), everything else reads as :func:`show_value`; None when empty."""
    if value in (None, "", []):
        return None
    if f.kind in (DATE, INTEGER, NUMBER) and not isinstance(value, (list, bool)):
        return value
    return show_value(f, value, lang, titles)


def reference_text(record_id: str, titles: Mapping[str, str] | None, with_id: bool) -> str:
    title = (titles or {}).get(record_id)
    if not title:
        return record_id
    return f"{title} ({record_id})" if with_id else title


def input_text(value: Any) -> str:
    """What a form's text input shows for a value (the same spelling the CLI accepts); a control
    character a store holds (written by an older version) shows escaped (:func:`safe_text`), never
    raw; a form saved with it keeps that visible spelling, which the ledger takes as plain text."""
    if value in (None, "", []):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return safe_text(value)


# -- table columns ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a record table: a field (or ``id``/``state``), its header and its width."""

    key: str
    field: Field | None
    minimum: int
    preferred: int
    flexible: bool
    align: str = "left"
    weight: int = 1  # a flexible column's share of the spare width


def columns_for(rt: RecordType, id_width: int = 0) -> list[Column]:
    """The columns a record type's list shows: its id (``id_width`` wide, at least room for
    three digits), its ``list_columns``, and its state."""
    cols = [Column("id", None, 6, max(id_width, len(rt.name) + 4), False)]
    names = list(rt.list_columns)
    if rt.workflow is not None and "state" not in names:
        names.append("state")
    for name in names:
        if name == "id":
            continue
        if name == "state":
            width = max((cell_len(s.label.zh) for s in rt.workflow.states), default=6) if rt.workflow else 6
            cols.append(Column("state", None, 6, max(width, 8), False))
            continue
        f = rt.field(name)
        column = _column_for_field(f)
        if f.name == rt.title_field and column.flexible:  # what names the record gets more room
            column = Column(column.key, f, column.minimum, column.preferred, True, column.align, weight=2)
        cols.append(column)
    return cols


def _column_for_field(f: Field) -> Column:
    if f.kind == DATE:
        return Column(f.name, f, 10, 10, False)
    if f.kind == BOOL:
        return Column(f.name, f, 4, 6, False)
    if f.kind in (INTEGER, NUMBER):
        return Column(f.name, f, 5, 8, False, "right")
    if f.kind == CHOICE:
        width = max((max(cell_len(c.label.zh), len(c.label.en)) for c in f.choices), default=6)
        return Column(f.name, f, 4, min(width, 10), False)
    return Column(f.name, f, 6, 24, True)


def layout(columns: Sequence[Column], width: int, headers: Sequence[str] = (), gap: int = 1) -> list[int]:
    """Widths that fill ``width``: fixed columns get their preferred width (at least their
    header's), flexible ones share the rest by weight; when it is too narrow, the widest give
    way first."""
    if not columns:
        return []
    headers = list(headers) + [""] * len(columns)
    available = max(0, width - gap * (len(columns) - 1))
    flexible = [i for i, c in enumerate(columns) if c.flexible]
    widths = [c.minimum if c.flexible else max(c.preferred, cell_len(h)) for c, h in zip(columns, headers)]
    spare = available - sum(widths)
    if spare > 0 and flexible:
        total_weight = sum(columns[i].weight for i in flexible)
        shares = [spare * columns[i].weight // total_weight for i in flexible]
        for n, i in enumerate(flexible):
            widths[i] += shares[n]
        for n in range(spare - sum(shares)):  # what integer division left over
            widths[flexible[n % len(flexible)]] += 1
    while sum(widths) > available:
        i = max(range(len(widths)), key=lambda k: (widths[k] - columns[k].minimum, columns[k].flexible))
        if widths[i] <= columns[i].minimum:
            i = max(range(len(widths)), key=lambda k: widths[k])
            if widths[i] <= 1:
                break
        widths[i] -= 1
    return widths
