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


def clip_start(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells from its start, with an ellipsis: the end kept (an id's
    number: ``…eting-12``, where ``committee_me…`` would read the same on every row)."""
    if width <= 0:
        return ""
    text = text.replace("\n", " ")
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in reversed(text):
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "…" + "".join(reversed(out))


def fit(text: str, width: int, align: str = "left", keep: str = "start") -> str:
    """Exactly ``width`` cells: clipped (keeping its start, or with ``keep="end"`` its end),
    then padded."""
    text = clip_start(text, width) if keep == "end" else clip(text, width)
    gap = " " * max(0, width - cell_len(text))
    return gap + text if align == "right" else text + gap


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` cells (never cut)."""
    return text + " " * max(0, width - cell_len(text))


def yes_no(value: bool, lang: str) -> str:
    return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")


__all__ = ["Column", "cell_value", "cells", "clip", "clip_start", "columns_for", "fit", "input_text", "layout", "pad", "reference_text",
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
    yields: bool = False  # gives way first where the title is short of its preferred width (the id)
    keep: str = "start"  # what a cut keeps: the start, or the end (an id's number)


ID_MINIMUM = 10  # an id cut to this keeps its number and some of its type (…eeting-12); a shorter one stays whole
TITLE_ROOM = 16  # cells a list's title takes from the other text columns (eight Chinese characters)
HEADER_KEPT = 10  # cells a long header keeps when its column gives way to the title: 意识形态…


def columns_for(rt: RecordType, id_width: int = 0) -> list[Column]:
    """The columns a record type's list shows: its id (``id_width`` wide, at least room for
    three digits), its ``list_columns``, and its state. The id yields to the title (see
    ``layout``): where the width is short (80 columns, a long type name) it is cut from its start
    to ``ID_MINIMUM``, its number kept; the list is of one type, so its name is the part to lose."""
    preferred = max(id_width, len(rt.name) + 4)
    cols = [Column("id", None, min(ID_MINIMUM, preferred), preferred, False, yields=True, keep="end")]
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
    way first. Then the title (the flexible column of more weight) is not left squeezed for the
    id: where it has less than its preferred width (80 columns, a long type name), the id gives
    way, down to its minimum (cut from its start, its number kept: the list is of one type),
    then a header longer than its column's values (``意识形态工作列入议题`` over 是/否, down to
    ``HEADER_KEPT`` cells), then, up to ``TITLE_ROOM`` cells, the other text columns."""
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
    for i in (i for i in flexible if columns[i].weight > 1):  # the title
        others = [k for k in range(len(widths)) if k != i and not (columns[k].flexible and columns[k].weight > 1)]
        _give(widths, i, columns[i].preferred, [k for k in others if columns[k].yields], lambda k: columns[k].minimum)
        _give(widths, i, columns[i].preferred, [k for k in others if not columns[k].flexible and not columns[k].yields],
              lambda k: max(columns[k].minimum, columns[k].preferred, min(cell_len(headers[k]), HEADER_KEPT)))
        _give(widths, i, min(columns[i].preferred, TITLE_ROOM), [k for k in others if columns[k].flexible],
              lambda k: columns[k].minimum)
    return widths


def _give(widths: list[int], to: int, up_to: int, donors: Sequence[int], floor) -> None:
    """Move cells to column ``to`` until it is ``up_to`` wide, one at a time from whichever of
    ``donors`` is widest above its ``floor(k)``."""
    while widths[to] < up_to:
        able = [k for k in donors if widths[k] > floor(k)]
        if not able:
            return
        k = max(able, key=lambda k: widths[k] - floor(k))
        widths[k] -= 1
        widths[to] += 1
