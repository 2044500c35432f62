"""Ledgers (台账) as spreadsheets: one sheet per record type out, the same layout (or a CSV) back in.

Out: ``export_ledgers`` writes an xlsx with a sheet per record type, named by the type's label, the
first row its headers in the operator's language: the record's id, its state (a workflow type),
then each field's label. Types with a year field hold that year's records; the directory (units,
persons) and other yearless types hold all of theirs, so the references in a sheet resolve.

In: ``import_ledgers`` reads such a workbook (headers in either language or the field names) or a
CSV of one type, converts every cell, then creates every row through ``Ledger.create_many`` in one
transaction: all rows or none, each bad row reported as ``sheet row N.field``. The id column is
the record's id *in the file*: references to ids in the file are pointed at the records created
from them, references to ids not in the file must exist in the store. Imported records start in
their workflow's first state (the state column is for reading; a state is reached by transitions).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import FieldError, ValidationError
from ..i18n import L
from ..ledger import Ledger
from ..present.display import cell_value
from ..registry import Registry
from ..schema import BOOL, DATE, INTEGER, NUMBER, REFERENCE, RecordType

Progress = Callable[[int], None]
ID_HEADER = L("编号", "ID")
STATE_HEADER = L("状态", "State")
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def ordered_types(registry: Registry) -> list[RecordType]:
    """Record types with the types they refer to first (a cycle keeps registration order)."""
    types = registry.types
    done: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in done or name in visiting or name not in types:
            return
        visiting.add(name)
        for f in types[name].references():
            if f.target != name:
                visit(f.target)
        visiting.discard(name)
        done.append(name)

    for name in types:
        visit(name)
    return [types[n] for n in done]


def headers_of(rt: RecordType, lang: str) -> list[str]:
    labels = [f.label.render(lang) for f in rt.fields]
    heads = [f"{label} [{f.name}]" if labels.count(label) > 1 else label for f, label in zip(rt.fields, labels)]
    return [ID_HEADER.render(lang)] + ([STATE_HEADER.render(lang)] if rt.workflow else []) + heads


def sheet_name(rt: RecordType, lang: str, taken: set[str]) -> str:
    base = BAD_SHEET_CHARS.sub("_", rt.label.render(lang))[:31] or rt.name
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def ledger_records(ledger: Ledger, rt: RecordType, year: int | None):
    return ledger.query(rt.name, year=year if rt.year_field else None, sort=(("id", False),), limit=None)


def export_ledgers(ledger: Ledger, year: int | None, path: str | Path, lang: str,
                   progress: Progress | None = None, types: Iterable[str] | None = None) -> dict[str, int]:
    """Write the ledgers of ``year`` to an xlsx file; returns rows per type."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    ledger.require("export")
    wanted = set(types) if types else None
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    counts: dict[str, int] = {}
    bold = Font(bold=True)
    for rt in ordered_types(ledger.registry):
        if wanted is not None and rt.name not in wanted:
            continue
        ws = wb.create_sheet(sheet_name(rt, lang, taken))
        ws.append(headers_of(rt, lang))
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        records = ledger_records(ledger, rt, year)
        date_cols = [i for i, f in enumerate(rt.fields) if f.kind == DATE]
        offset = 2 if rt.workflow else 1
        for row_number, record in enumerate(records, start=2):
            state = [rt.workflow.state(record.state).label.render(lang) if record.state else None] if rt.workflow else []
            ws.append([record.id, *state, *(cell_value(f, record.data.get(f.name), lang) for f in rt.fields)])
            for i in date_cols:  # the row's number is counted: ws.max_row scans the sheet each time
                ws.cell(row_number, offset + i + 1).number_format = "yyyy-mm-dd"
            if progress and row_number % 100 == 0:
                progress(100)
        if progress and len(records) % 100:
            progress(len(records) % 100)
        for i, head in enumerate(headers_of(rt, lang), start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(40, max(10, 2 * len(head) + 2))
        counts[rt.name] = len(records)
    wb.save(str(path))
    return counts


# -- reading back --------------------------------------------------------------------------------

@dataclass
class Sheet:
    """Rows of one record type as read: (file row number, id in the file, values by field)."""

    type: RecordType
    name: str
    rows: list[tuple[int, str | None, dict[str, Any]]] = field(default_factory=list)
    states: dict[int, str] = field(default_factory=dict)  # row index → the state cell, when given


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text if text is not None else "")).strip().lower()


def match_type(registry: Registry, name: str) -> RecordType | None:
    key = _norm(re.sub(r" \(\d+\)$", "", str(name)))
    for rt in registry.types.values():
        if key in (_norm(rt.name), _norm(rt.label.zh), _norm(rt.label.en),
                   _norm(BAD_SHEET_CHARS.sub("_", rt.label.zh)[:31]), _norm(BAD_SHEET_CHARS.sub("_", rt.label.en)[:31])):
            return rt
    return None


def _columns(rt: RecordType, headers: list[Any], where: str, errors: list[FieldError]) -> list[str | None]:
    """What each column holds: "id", "state", a field name, or None (an empty header)."""
    by_key: dict[str, str] = {}
    for f in rt.fields:
        for key in (f.name, f.label.zh, f.label.en, f"{f.label.zh} [{f.name}]", f"{f.label.en} [{f.name}]"):
            by_key.setdefault(_norm(key), f.name)
    for key in ("id", ID_HEADER.zh, ID_HEADER.en):
        by_key[_norm(key)] = "id"
    for key in ("state", STATE_HEADER.zh, STATE_HEADER.en):
        by_key[_norm(key)] = "state"
    out: list[str | None] = []
    for i, head in enumerate(headers, start=1):
        if _norm(head) == "":
            out.append(None)
            continue
        name = by_key.get(_norm(head))
        if name is None:
            errors.append(FieldError(f"{where} {_column_letter(i)}1", L("{type} 没有名为 “{h}” 的列", "{type} has no column named “{h}”").format(type=rt.label, h=head)))
        elif name in out:
            errors.append(FieldError(f"{where} {_column_letter(i)}1", L("列 “{h}” 重复", "the column “{h}” is given twice").format(h=head)))
        out.append(name)
    return out


def _column_letter(i: int) -> str:
    letters = ""
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _rows_to_sheet(rt: RecordType, name: str, rows: Iterable[list[Any]], errors: list[FieldError]) -> Sheet:
    sheet = Sheet(rt, name)
    it = iter(rows)
    headers = next(it, None)
    if headers is None:
        return sheet
    columns = _columns(rt, list(headers), name, errors)
    for number, row in enumerate(it, start=2):
        cells = list(row) + [None] * (len(columns) - len(row))
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        values: dict[str, Any] = {}
        source_id = None
        for column, value in zip(columns, cells):
            if column == "state" and value not in (None, ""):
                sheet.states[len(sheet.rows)] = str(value).strip()
            elif column == "id":
                source_id = str(value).strip() if value not in (None, "") else None
            elif column is not None and column != "state":
                if isinstance(value, dt.datetime) and value.time() == dt.time(0):
                    value = value.date()
                if isinstance(value, (int, float)) and not isinstance(value, bool) and rt.field(column).kind not in (INTEGER, NUMBER, BOOL):
                    value = str(int(value)) if float(value).is_integer() else str(value)
                values[column] = value
        sheet.rows.append((number, source_id, values))
    return sheet


def read_ledger_file(path: str | Path, registry: Registry, type_name: str | None = None) -> list[Sheet]:
    """The sheets of an xlsx (each matched to a type by name) or a CSV (``type_name`` required)."""
    path = Path(path)
    errors: list[FieldError] = []
    wanted = registry.type(type_name) if type_name else None
    sheets: list[Sheet] = []
    if path.suffix.lower() == ".csv":
        if wanted is None:
            raise ValidationError([FieldError("--type", L("导入 CSV 须用 --type 指明记录类型", "a CSV needs --type to name its record type"))])
        with path.open(encoding="utf-8-sig", newline="") as fh:
            sheets.append(_rows_to_sheet(wanted, path.name, csv.reader(fh), errors))
    else:
        from openpyxl import load_workbook

        try:
            wb = load_workbook(str(path), read_only=True, data_only=True)
        except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException...
            raise ValidationError([FieldError("file", L("不是可读的 xlsx 文件:{e}", "not a readable xlsx file: {e}").format(e=exc))]) from None
        try:
            for ws in wb.worksheets:
                rt = wanted if wanted is not None and len(wb.worksheets) == 1 else match_type(registry, ws.title)
                if wanted is not None and rt is not None and rt.name != wanted.name:
                    continue
                if rt is None:
                    if wanted is None:
                        errors.append(FieldError(ws.title, L("工作表名不是已知的记录类型", "the sheet's name is not a known record type")))
                    continue
                sheets.append(_rows_to_sheet(rt, ws.title, ws.iter_rows(values_only=True), errors))
        finally:
            wb.close()
        if wanted is not None and not sheets:
            errors.append(FieldError("--type", L("文件中没有 {t} 的工作表", "the file has no sheet of {t}").format(t=wanted.label)))
    if errors:
        raise ValidationError(errors)
    return sheets


def _levels(sheet: Sheet) -> list[list[int]]:
    """Row indexes in batches so a row referring to a row of the same sheet comes after it."""
    rt = sheet.type
    self_refs = [f for f in rt.references() if f.target == rt.name]
    if not self_refs:
        return [list(range(len(sheet.rows)))]
    index = {sid: i for i, (_, sid, _) in enumerate(sheet.rows) if sid}
    level: dict[int, int] = {}

    def depth(i: int, seen: frozenset[int] = frozenset()) -> int:
        if i in level:
            return level[i]
        parents = []
        for f in self_refs:
            value = sheet.rows[i][2].get(f.name)
            for ref in ([value] if isinstance(value, str) else list(value or []) if isinstance(value, list) else []):
                for part in re.split(r"[,，、]", str(ref)):
                    j = index.get(part.strip())
                    if j is not None and j != i and j not in seen:
                        parents.append(j)
        level[i] = 0 if not parents else 1 + max(depth(j, seen | {i}) for j in parents)
        return level[i]

    for i in range(len(sheet.rows)):
        depth(i)
    batches: dict[int, list[int]] = {}
    for i, lv in level.items():
        batches.setdefault(lv, []).append(i)
    return [sorted(batches[k]) for k in sorted(batches)]


def _remap(rt: RecordType, values: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    out = dict(values)
    for f in rt.references():
        value = out.get(f.name)
        if value in (None, ""):
            continue
        if f.kind == REFERENCE:
            key = str(value).strip()
            out[f.name] = mapping.get(key, key)
        else:
            parts = value if isinstance(value, list) else re.split(r"[,，、]", str(value))
            out[f.name] = [mapping.get(str(p).strip(), str(p).strip()) for p in parts if str(p).strip()]
    return out


def import_ledgers(ledger: Ledger, sheets: list[Sheet], progress: Progress | None = None) -> dict[str, Any]:
    """Create every row of every sheet in one transaction, or none; returns counts and the ids
    given to the file's ids (``ids``: id in the file → id in the store)."""
    ledger.require("create")
    order = {rt.name: i for i, rt in enumerate(ordered_types(ledger.registry))}
    sheets = sorted(sheets, key=lambda s: order.get(s.type.name, len(order)))
    mapping: dict[str, str] = {}
    counts: dict[str, int] = {}
    later: list[str] = []
    with ledger.transaction():
        for sheet in sheets:
            rt = sheet.type
            if not sheet.rows:
                continue
            for batch in _levels(sheet):
                rows = [_remap(rt, sheet.rows[i][2], mapping) for i in batch]
                try:
                    ids = ledger.create_many(rt.name, rows, progress=progress)
                except ValidationError as exc:
                    raise ValidationError([_located(sheet, batch, e) for e in exc.errors], rt.name) from None
                for i, new_id in zip(batch, ids):
                    source = sheet.rows[i][1]
                    if source:
                        mapping[source] = new_id
                counts[rt.name] = counts.get(rt.name, 0) + len(ids)
                later += [new_id for i, new_id in zip(batch, ids) if i in sheet.states and not _is_initial(rt, sheet.states[i])]
    return {"counts": counts, "ids": mapping, "state_reset": later}


def _is_initial(rt: RecordType, state: str) -> bool:
    if rt.workflow is None:
        return True
    first = rt.workflow.state(rt.workflow.initial)
    return _norm(state) in (_norm(first.name), _norm(first.label.zh), _norm(first.label.en))


def _located(sheet: Sheet, batch: list[int], error: FieldError) -> FieldError:
    """``row N.field`` of a batch → ``sheet row M.field`` of the file."""
    m = re.match(r"row (\d+)\.(.*)$", error.field)
    if not m:
        return FieldError(f"{sheet.name} {error.field}", error.reason)
    number = sheet.rows[batch[int(m.group(1)) - 1]][0]
    return FieldError(f"{sheet.name} row {number}.{m.group(2)}", error.reason)
