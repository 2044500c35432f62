"""Ledgers (台账) as spreadsheets: written for a reviewer to read, read back to change the store.

Out: ``export_ledgers`` writes an xlsx whose first sheet is the index (台账目录: each sheet, its
area, its number of records, a link to it), then a sheet per record type in the order of the
areas. A sheet reads as a ledger: 序号, the state (a workflow type) and each field under its
label, references by the title of the record they name (a person's name, a unit's name), choices
by their label, dates as Excel dates, columns as wide as what they hold, the header row frozen
and filtered.

What the round trip needs sits to the right, in a block of hidden columns (Excel's "+" above them
shows them): the record's 编号 and 版本 and, for each reference, the ids it names (``组织者（编号）``).
Ids stay out of what a reviewer reads, and a reference still finds its record when two persons
share a name or when the workbook goes into another store. The workbook also carries the store it
came from (a custom document property: the hash of that store's first audit entry).

In: ``import_ledgers`` takes such a workbook (headers in either language or the field names, the
hidden columns optional) or a CSV of one type. Into the store that wrote it:

* a row with an id whose cells say what the store holds is left alone (re-importing an unchanged
  workbook writes nothing);
* a row with an id whose cells differ updates that record, provided its 版本 is the store's: a
  row edited from an older version is refused, naming who saved since (one that still says what
  its older version said was not edited, and the saves since stand);
* a row without an id adds a record.

Into any other store (or from a CSV) every row adds a record; the ids in the file tie its rows
together and references to them point at the records made from them. A reference cell is read
by its hidden ids while it still shows their titles; a cell someone retyped is looked up by title
(in the file first, then in the store), and an id typed into it is taken as it is. A state a row
asks for is reached through the workflow's steps, each applied with the fields it sets and only
when the importer's role may take it (an approval needs a leader: ``duty --as LEADER import-ledger``).

Every write goes through the ledger (validated, permitted, audited), all in one transaction: the
whole file or nothing. Every bad row is reported at once as ``SHEET row N.field`` with its reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..dates import years
from ..errors import Conflict, DutyError, FieldError, NotFound, NotPermitted, ValidationError
from ..i18n import L
from ..ledger import Ledger, Record
from ..present.areas import area_label
from ..present.display import cell_value, cells, yes_no
from ..present.time import local_time
from ..registry import Registry
from ..schema import BOOL, CHOICE, DATE, INTEGER, LONG_TEXT, NUMBER, REFERENCE, FieldProblem, RecordType, Transition, Workflow

Progress = Callable[[int], None]
INDEX_SHEET = L("台账目录", "Ledger index")
SEQ_HEADER = L("序号", "No.")
ID_HEADER = L("编号", "ID")
VERSION_HEADER = L("版本", "Version")
STATE_HEADER = L("状态", "State")
REF_ID_HEADER = L("{head}（编号）", "{head} (ID)")
STORE_PROPERTY = "duty-tui.store"  # the custom document property that names the store a workbook came from
STORE_NAME = "duty_tui_store"  # the same as a (hidden) workbook name
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
ID_SHAPE = re.compile(r"^[a-z][a-z0-9_]*-\d+$")
LIST_SPLIT = re.compile(r"[,，、]")
MAX_WIDTH, MIN_WIDTH = 50, 6


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


def sheet_types(registry: Registry) -> list[RecordType]:
    """The order of the sheets: by area as every face shows them, within an area referred-to first."""
    areas = {a: i for i, a in enumerate(registry.areas())}
    ordered = ordered_types(registry)
    position = {rt.name: i for i, rt in enumerate(ordered)}
    return sorted(ordered, key=lambda rt: (areas.get(rt.area, len(areas)), position[rt.name]))


def field_headers(rt: RecordType, lang: str) -> list[str]:
    labels = [f.label.render(lang) for f in rt.fields]
    return [f"{label} [{f.name}]" if labels.count(label) > 1 else label for f, label in zip(rt.fields, labels)]


def headers_of(rt: RecordType, lang: str) -> list[str]:
    """The visible headers of a type's sheet: 序号, the state (a workflow type), the fields."""
    return [SEQ_HEADER.render(lang)] + ([STATE_HEADER.render(lang)] if rt.workflow else []) + field_headers(rt, lang)


def machine_headers(rt: RecordType, lang: str) -> list[str]:
    """The hidden headers: the record's id and version, then the ids of each reference."""
    heads = dict(zip(rt.field_names, field_headers(rt, lang)))
    return [ID_HEADER.render(lang), VERSION_HEADER.render(lang)] + [
        REF_ID_HEADER.format(head=heads[f.name]).render(lang) for f in rt.references()]


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


def store_mark(ledger: Ledger) -> str:
    """What tells this store from any other: the hash of its first audit entry (kept by
    ``duty export``/``import`` and by a backup, so a moved store is still the same store)."""
    return ledger.store_mark()


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    text = str(value)
    return max((cells(line) for line in text.split("\n")), default=0)


def export_ledgers(ledger: Ledger, year: int | None, path: str | Path, lang: str,
                   progress: Progress | None = None, types: Iterable[str] | None = None) -> dict[str, int]:
    """Write the ledgers of ``year`` to an xlsx file; returns rows per type."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName

    ledger.require("export")
    wanted = set(types) if types else None
    wb = Workbook()
    index = wb.active
    index.title = INDEX_SHEET.render(lang)
    taken: set[str] = {index.title.lower()}
    counts: dict[str, int] = {}
    bold, grey = Font(bold=True), Font(color="808080", italic=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    listing: list[tuple[str, RecordType, int]] = []
    for rt in sheet_types(ledger.registry):
        if wanted is not None and rt.name not in wanted:
            continue
        name = sheet_name(rt, lang, taken)
        ws = wb.create_sheet(name)
        visible, machine = headers_of(rt, lang), machine_headers(rt, lang)
        ws.append(visible + machine)
        records = ledger_records(ledger, rt, year)
        refs = rt.references()
        titles = ledger.titles({i for r in records for f in refs for i in _ids(r.data.get(f.name))}) if refs else {}
        widths = [_width(h) for h in visible]
        first_field = 3 if rt.workflow else 2
        for n, record in enumerate(records, start=1):
            state = [rt.workflow.state(record.state).label.render(lang) if record.state else None] if rt.workflow else []
            values = [cell_value(f, record.data.get(f.name), lang, titles) for f in rt.fields]
            ids = [", ".join(_ids(record.data.get(f.name))) or None for f in refs]
            row = [n, *state, *values]
            ws.append(row + [record.id, record.version, *ids])
            for i, value in enumerate(row):
                widths[i] = max(widths[i], _width(value))
            if progress and n % 100 == 0:
                progress(100)
        if progress and len(records) % 100:
            progress(len(records) % 100)
        for col, f in enumerate(rt.fields, start=first_field):
            letter = get_column_letter(col)
            if f.kind == DATE:
                for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    cell.number_format = "yyyy-mm-dd"
            elif f.kind == LONG_TEXT or widths[col - 1] > MAX_WIDTH:
                for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    cell.alignment = wrap
            ws.column_dimensions[letter].width = min(MAX_WIDTH, max(MIN_WIDTH, widths[col - 1] + 2))
        for col in range(1, first_field):
            ws.column_dimensions[get_column_letter(col)].width = max(MIN_WIDTH, widths[col - 1] + 2)
        for cell in ws[1][:len(visible)]:
            cell.font, cell.fill, cell.alignment = bold, head_fill, top
        for cell in ws[1][len(visible):]:
            cell.font = grey
        first_machine, last = len(visible) + 1, len(visible) + len(machine)
        ws.column_dimensions.group(get_column_letter(first_machine), get_column_letter(last), hidden=True, outline_level=1)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(visible))}{max(1, len(records) + 1)}"
        ws.print_title_rows = "1:1"
        _pick_lists(ws, rt, lang, first_field)
        counts[rt.name] = len(records)
        listing.append((name, rt, len(records)))
    _write_index(index, ledger, listing, year, lang, bold, head_fill)
    wb.properties.title = L("{year}年台账", "Ledgers {year}").format(year=year if year else "").render(lang)
    wb.properties.creator = _org_name(ledger) or "duty-tui"
    mark = store_mark(ledger)
    wb.custom_doc_props.append(StringProperty(name=STORE_PROPERTY, value=mark))
    # and as a workbook name too: a spreadsheet program that drops custom properties on saving
    # keeps its names (they are part of the workbook)
    wb.defined_names[STORE_NAME] = DefinedName(STORE_NAME, attr_text=f'"{mark}"', hidden=True)
    wb.save(str(path))
    return counts


def _pick_lists(ws, rt: RecordType, lang: str, first_field: int) -> None:
    """A drop-down of the labels on the state column and on each choice or yes/no column, so a
    row typed in takes a value the import reads (a list Excel can hold: 255 characters, no comma)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lists: list[tuple[int, list[str]]] = []
    if rt.workflow is not None:
        lists.append((first_field - 1, [s.label.render(lang) for s in rt.workflow.states]))
    for col, f in enumerate(rt.fields, start=first_field):
        if f.kind == CHOICE:
            lists.append((col, [c.label.render(lang) for c in f.choices]))
        elif f.kind == BOOL:
            lists.append((col, [yes_no(True, lang), yes_no(False, lang)]))
    for col, labels in lists:
        text = ",".join(labels)
        if len(text) > 255 or any("," in label or '"' in label for label in labels):
            continue
        check = DataValidation(type="list", formula1=f'"{text}"', allow_blank=True, showErrorMessage=False)
        letter = get_column_letter(col)
        check.add(f"{letter}2:{letter}{max(ws.max_row, 1) + 1000}")
        ws.add_data_validation(check)


def _org_name(ledger: Ledger) -> str:
    try:
        return str(ledger.setting("org.name") or "").strip()
    except DutyError:
        return ""


def _write_index(ws, ledger: Ledger, listing, year: int | None, lang: str, bold, fill) -> None:
    from openpyxl.styles import Font

    heads = [SEQ_HEADER, L("工作表", "Sheet"), L("所属方面", "Area"), L("记录数", "Records")]
    ws.append([h.render(lang) for h in heads])
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    for n, (name, rt, count) in enumerate(listing, start=1):
        ws.append([n, name, area_label(ledger.registry, rt.area, lang), count])
        link = ws.cell(n + 1, 2)
        link.hyperlink = "#'{}'!A1".format(name.replace("'", "''"))
        link.font = Font(color="0563C1", underline="single")
    notes = [
        L("年度：{year}（名录等不分年度的台账列出全部记录）", "Year: {year} (the directory and other yearless ledgers hold all their records)").format(
            year=year if year else "-"),
        L("各表右侧隐藏的列（编号、版本、所引用记录的编号）供 duty import-ledger 导回时核对，请勿改动；新增的行不填编号。",
          "The hidden columns at the right of each sheet (ID, version, the IDs of references) are for duty import-ledger: "
          "leave them as they are; a new row has no ID."),
    ]
    ws.append([])
    for note in notes:
        ws.append([None, note.render(lang)])
    widths = [6, max([_width(name) for name, _, _ in listing] + [10]) + 2, 16, 8]
    for col, width in zip("ABCD", widths):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"


def _ids(value: Any) -> list[str]:
    if value in (None, "", []):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


# -- reading back --------------------------------------------------------------------------------

@dataclass
class Row:
    """One row of a sheet as read: where it is, the id and version it names, the state it asks
    for, and its cells by field (references: the visible text and the hidden ids apart)."""

    number: int
    id: str | None = None
    version: Any = None
    state: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    ref_ids: dict[str, Any] = field(default_factory=dict)
    key: str = ""  # the row's key among the file's rows: its id, else sheet:row


@dataclass
class Sheet:
    """Rows of one record type as read from a sheet (or a CSV)."""

    type: RecordType
    name: str
    rows: list[Row] = field(default_factory=list)
    store: str | None = None  # the store the workbook was written from (its mark), when it says
    title_column: bool = False
    cells: dict[str, str] = field(default_factory=dict)  # a field (or id, version, state) → "C 所在单位"

    def where(self, row: Row, name: str) -> str:
        """Where a problem is, as the spreadsheet shows it: ``人员 row 5.unit (C 所在单位)``."""
        column = self.cells.get(name)
        return f"{self.name} row {row.number}.{name}" + (f" ({column})" if column else "")


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text if text is not None else "")).strip().lower()


def match_type(registry: Registry, name: str) -> RecordType | None:
    key = _norm(re.sub(r" \(\d+\)$", "", str(name)))
    for rt in registry.types.values():
        if key in (_norm(rt.name), _norm(rt.label.zh), _norm(rt.label.en),
                   _norm(BAD_SHEET_CHARS.sub("_", rt.label.zh)[:31]), _norm(BAD_SHEET_CHARS.sub("_", rt.label.en)[:31])):
            return rt
    return None


def _columns(rt: RecordType, headers: list[Any], where: str, errors: list[FieldError]) -> list[tuple[str, str] | None]:
    """What each column holds: ("id"|"version"|"state"|"seq", ""), ("field", name), ("ref", name),
    or None (an empty header)."""
    by_key: dict[str, tuple[str, str]] = {}
    for lang in ("zh", "en"):
        heads = dict(zip(rt.field_names, field_headers(rt, lang)))
        for f in rt.references():
            for head in (heads[f.name], f.label.render(lang), f.name):
                by_key.setdefault(_norm(REF_ID_HEADER.format(head=head).render(lang)), ("ref", f.name))
    for f in rt.fields:
        for key in (f.name, f.label.zh, f.label.en, f"{f.label.zh} [{f.name}]", f"{f.label.en} [{f.name}]"):
            by_key.setdefault(_norm(key), ("field", f.name))
    for kind, text in (("id", ID_HEADER), ("version", VERSION_HEADER), ("state", STATE_HEADER), ("seq", SEQ_HEADER)):
        for key in (kind, text.zh, text.en):
            by_key.setdefault(_norm(key), (kind, ""))
    out: list[tuple[str, str] | None] = []
    for i, head in enumerate(headers, start=1):
        if _norm(head) == "":
            out.append(None)
            continue
        column = by_key.get(_norm(head))
        if column is None:
            errors.append(FieldError(f"{where} {_column_letter(i)}1", L("{type}没有名为“{h}”的列", "{type} has no column named “{h}”").format(type=rt.label, h=head)))
        elif column in out:
            errors.append(FieldError(f"{where} {_column_letter(i)}1", L("列“{h}”重复", "the column “{h}” is given twice").format(h=head)))
            column = None
        out.append(column)
    return out


def _column_letter(i: int) -> str:
    letters = ""
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _cell(rt: RecordType, name: str, value: Any) -> Any:
    """A cell as the field takes it: a date for a date, text where a spreadsheet made a number."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and rt.field(name).kind not in (INTEGER, NUMBER, BOOL):
        value = str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _rows_to_sheet(rt: RecordType, name: str, rows: Iterable[Any], errors: list[FieldError], store: str | None = None) -> Sheet:
    sheet = Sheet(rt, name, store=store)
    it = iter(rows)
    headers = next(it, None)
    if headers is None:
        return sheet
    columns = _columns(rt, list(headers), name, errors)
    for i, (column, head) in enumerate(zip(columns, headers), start=1):
        if column is not None and column[0] != "ref":
            sheet.cells.setdefault(column[1] or column[0], f"{_column_letter(i)} {head}")
    sheet.title_column = ("field", rt.title_field) in columns
    for number, raw in enumerate(it, start=2):
        cells_ = list(raw) + [None] * (len(columns) - len(raw))
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells_):
            continue
        row = Row(number)
        for column, value in zip(columns, cells_):
            if column is None or column[0] == "seq":
                continue
            kind, fname = column
            if kind == "id":
                row.id = str(value).strip() if value not in (None, "") and str(value).strip() else None
            elif kind == "version":
                row.version = value
            elif kind == "state":
                row.state = str(value).strip() if value not in (None, "") and str(value).strip() else None
            elif kind == "ref":
                row.ref_ids[fname] = str(value).strip() if value not in (None, "") else ""
            else:
                row.values[fname] = _cell(rt, fname, value)
        row.key = row.id or f"@{name}:{number}"
        sheet.rows.append(row)
    return sheet


def _workbook_mark(wb) -> str | None:
    """The store a workbook came from: its custom property, else its workbook name."""
    mark = next((str(p.value) for p in wb.custom_doc_props.props if p.name == STORE_PROPERTY and p.value), None)
    if mark:
        return mark
    name = wb.defined_names.get(STORE_NAME)
    text = (name.attr_text or "").strip().strip('"') if name is not None else ""
    return text or None


def _is_index(title: str) -> bool:
    return _norm(title) in (_norm(INDEX_SHEET.zh), _norm(INDEX_SHEET.en))


def read_ledger_file(path: str | Path, registry: Registry, type_name: str | None = None) -> list[Sheet]:
    """The sheets of an xlsx (each matched to a type by name; the index is skipped) or a CSV
    (``type_name`` required)."""
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
            raise ValidationError([FieldError("file", L("不是可读的 xlsx 文件：{e}", "not a readable xlsx file: {e}").format(e=exc))]) from None
        try:
            store = _workbook_mark(wb)
            data_sheets = [ws for ws in wb.worksheets if not _is_index(ws.title)]
            for ws in data_sheets:
                rt = wanted if wanted is not None and len(data_sheets) == 1 else match_type(registry, ws.title)
                if wanted is not None and rt is not None and rt.name != wanted.name:
                    continue
                if rt is None:
                    if wanted is None:
                        errors.append(FieldError(ws.title, L("工作表名不是已知的记录类型", "the sheet's name is not a known record type")))
                    continue
                sheets.append(_rows_to_sheet(rt, ws.title, ws.iter_rows(values_only=True), errors, store))
        finally:
            wb.close()
        if wanted is not None and not sheets:
            errors.append(FieldError("--type", L("文件中没有{t}的工作表", "the file has no sheet of {t}").format(t=wanted.label)))
    if errors:
        raise ValidationError(errors)
    return sheets


# -- importing -------------------------------------------------------------------------------------

@dataclass
class _Plan:
    """What one row asks of the store."""

    sheet: Sheet
    row: Row
    values: dict[str, Any]  # fields to write (references as keys of the file's rows or store ids)
    record: Record | None = None  # the store's record the row updates
    steps: list[Transition] = field(default_factory=list)
    step_values: dict[str, Any] = field(default_factory=dict)
    record_id: str | None = None  # once written


class _Import:
    def __init__(self, ledger: Ledger, sheets: list[Sheet], progress: Progress | None = None):
        self.ledger, self.sheets, self.progress = ledger, sheets, progress
        self.errors: list[FieldError] = []
        mark = next((s.store for s in sheets if s.store), None)
        self.own = bool(mark) and mark == store_mark(ledger)
        self.today = ledger.today()
        # the file's rows by key, and their titles as the file shows them
        self.rows: dict[str, tuple[Sheet, Row]] = {}
        self.file_titles: dict[str, str] = {}
        self.by_title: dict[str, dict[str, list[str]]] = {}
        self.existing: dict[str, Record] = {}
        self.store_titles: dict[str, str] = {}
        self.mapping: dict[str, str] = {}  # key of a file row -> the id of its record in the store
        self.failed: set[str] = set()

    def fail(self, where: str, reason: L) -> None:
        self.errors.append(FieldError(where, reason))

    # -- reading the file's rows ----------------------------------------------------------
    def index(self) -> None:
        for sheet in self.sheets:
            rt = sheet.type
            seen: dict[str, int] = {}
            for row in sheet.rows:
                if row.id and row.id in seen:
                    self.fail(sheet.where(row, "id"), L("编号 {id} 已在第 {n} 行出现（复制的行请清空编号）",
                                                         "the ID {id} is on row {n} already (clear the ID of a copied row)").format(id=row.id, n=seen[row.id]))
                    row.key = f"@{sheet.name}:{row.number}"
                elif row.id:
                    seen[row.id] = row.number
                if row.key in self.rows:  # the same id on two sheets of one type
                    row.key = f"@{sheet.name}:{row.number}"
                self.rows[row.key] = (sheet, row)
                title = row.values.get(rt.title_field) if sheet.title_column else None
                if title not in (None, ""):
                    text = title.isoformat() if isinstance(title, dt.date) else str(title)
                    self.file_titles[row.key] = text
                    self.by_title.setdefault(rt.name, {}).setdefault(_norm(text), []).append(row.key)
        if self.own:
            ids = [row.id for s in self.sheets for row in s.rows if row.id]
            found = {r.id: r for r in self._records(ids)}
            for sheet in self.sheets:
                for row in sheet.rows:
                    if not row.id or row.key != row.id:
                        continue
                    record = found.get(row.id)
                    if record is not None and record.type != sheet.type.name:
                        self.fail(sheet.where(row, "id"), L("{id} 不是{type}", "{id} is not a {type}").format(id=row.id, type=sheet.type.label))
                        self.failed.add(row.key)
                    elif record is None:
                        if self.ledger.scope is not None:
                            self.ledger.get(row.id)  # a record outside the account's scope: refused as a write outside (exit 3)
                        self.fail(sheet.where(row, "id"), L("存储中已没有 {id}（导出后被删除？）；要重新添加，请清空它的编号",
                                                             "{id} is no longer in the store (deleted since the export?); to add it again, clear its ID").format(id=row.id))
                        self.failed.add(row.key)
                    else:
                        self.existing[row.key] = record
            refs = {i for r in found.values() for f in self.ledger.type(r.type).references() for i in _ids(r.data.get(f.name))}
            refs |= {i for s in self.sheets for row in s.rows for v in row.ref_ids.values() for i in _split(v)}
            self.store_titles = self.ledger.titles(i for i in refs if ID_SHAPE.match(i))

    def _records(self, ids: list[str]) -> list[Record]:
        from ..store import Filter

        by_type: dict[str, list[str]] = {}
        for rid in ids:
            if ID_SHAPE.match(rid):
                by_type.setdefault(rid.rsplit("-", 1)[0], []).append(rid)
        out: list[Record] = []
        for rtype, chunk in by_type.items():
            if rtype in self.ledger.registry.types:
                for start in range(0, len(chunk), 500):
                    out += self.ledger.query(rtype, filters=(Filter("id", "in", tuple(chunk[start:start + 500])),), limit=None)
        return out

    # -- references ------------------------------------------------------------------------
    def references(self, sheet: Sheet, row: Row) -> tuple[dict[str, Any], bool]:
        """Each reference of the row as keys: the hidden ids while the cell still shows their
        titles, else the cell's text read part by part; False when a cell names no record or
        several."""
        out: dict[str, Any] = {}
        ok = True
        for f in sheet.type.references():
            shown = f.name in row.values
            text = row.values.get(f.name)
            ids = _split(row.ref_ids.get(f.name)) if f.name in row.ref_ids else None
            if not shown and ids is None:
                continue
            if shown and text in (None, ""):
                keys: list[str] = []
            elif ids is not None and (not shown or self._shows(text, ids)):
                keys = ids
            else:
                keys = []
                # one reference is the whole cell (a title may hold 、 or ，: 宣传、文化办公室);
                # several are read part by part
                whole = str(text).strip()
                for part in ([whole] if f.kind == REFERENCE else _split(whole)):
                    key = self._resolve(sheet, row, f, part)
                    if key is None:
                        keys = None
                        break
                    keys.append(key)
                if keys is None:
                    ok = False
                    continue
            if f.kind == REFERENCE and len(keys) > 1:
                self.fail(sheet.where(row, f.name), L("只能填一条{type}，这里有 {n} 条", "names one {type}, not {n}").format(
                    type=self.ledger.type(f.target).label, n=len(keys)))
                ok = False
                continue
            out[f.name] = (keys[0] if keys else None) if f.kind == REFERENCE else keys
        return out, ok

    def _title(self, key: str) -> list[str]:
        """What a reference to ``key`` may show: its title in the store, and in the file."""
        return [t for t in (self.store_titles.get(key) if self.own else None, self.file_titles.get(key)) if t]

    def _shows(self, text: Any, ids: list[str]) -> bool:
        shown = _norm(text.isoformat() if isinstance(text, dt.date) else text)
        parts = [_norm(p) for p in _split(str(text))]
        options = [self._title(i) or [i] for i in ids]
        if len(ids) == 1:
            return shown in [_norm(t) for t in options[0]]
        return len(parts) == len(ids) and all(p in [_norm(t) for t in opts] for p, opts in zip(parts, options))

    def _resolve(self, sheet: Sheet, row: Row, f, part: str) -> str | None:
        target = f.target
        candidates = self.rows.get(part)
        if candidates is not None and candidates[0].type.name == target:
            return part  # the id of a row of the file
        if ID_SHAPE.match(part):
            return part  # an id typed in: the ledger checks it names a record of the right type
        in_file = sorted(set(self.by_title.get(target, {}).get(_norm(part), [])))
        if len(in_file) == 1:
            return in_file[0]
        if not in_file:
            found = [i for i in self.ledger.ids_titled(target, part, limit=50) if _norm(self.ledger.titles([i]).get(i)) == _norm(part)]
            if len(found) == 1:
                return found[0]
            if not found:
                self.fail(sheet.where(row, f.name), L("没有名为“{title}”的{type}", "there is no {type} named “{title}”").format(
                    title=part, type=self.ledger.type(target).label))
                return None
            in_file = found
        self.fail(sheet.where(row, f.name), L("有 {n} 条{type}名为“{title}”（{ids}）：请在“{column}”列填写编号",
                                             "{n} records of {type} are named “{title}” ({ids}): give the ID in the column “{column}”").format(
            n=len(in_file), type=self.ledger.type(target).label, title=part, ids=", ".join(k for k in in_file if not k.startswith("@")) or "-",
            column=REF_ID_HEADER.format(head=f.label)))
        return None

    # -- planning -------------------------------------------------------------------------
    def plan(self) -> list[_Plan]:
        plans: list[_Plan] = []
        for sheet in self.sheets:
            rt = sheet.type
            for row in sheet.rows:
                if row.key in self.failed:
                    continue
                refs, ok = self.references(sheet, row)
                if not ok:
                    self.failed.add(row.key)
                    continue
                values = {k: v for k, v in row.values.items() if not rt.field(k).target}
                values.update(refs)
                record = self.existing.get(row.key)
                p = _Plan(sheet, row, values, record)
                target = self._state(sheet, row, record)
                if target is False:
                    self.failed.add(row.key)
                    continue
                if record is not None:
                    if not self._changed(p, target):
                        if self.progress and p.row.key not in self.failed:
                            self.progress(1)  # a row left alone is done too
                        continue
                    if not self._version_ok(p):
                        self.failed.add(row.key)
                        continue
                if rt.workflow is not None and target is not None:
                    source = record.state if record is not None else rt.workflow.initial
                    if target != source:
                        steps = _path(rt, rt.workflow, source, target, self._view(p))
                        if steps is None:
                            self.fail(sheet.where(row, "state"), L("不能从“{src}”转到“{dst}”", "cannot go from “{src}” to “{dst}”").format(
                                src=rt.workflow.state(source).label, dst=rt.workflow.state(target).label))
                            self.failed.add(row.key)
                            continue
                        p.steps = steps
                        for step in steps:
                            for name in step.fields:
                                if name in p.values:
                                    p.step_values[name] = p.values.pop(name)
                plans.append(p)
        return plans

    def _state(self, sheet: Sheet, row: Row, record: Record | None):
        """The state the row asks for (None: as it is, or the first), or False when unknown."""
        wf = sheet.type.workflow
        if wf is None or not row.state:
            return None
        for s in wf.states:
            if _norm(row.state) in (_norm(s.name), _norm(s.label.zh), _norm(s.label.en)):
                return s.name
        self.fail(sheet.where(row, "state"), L("“{v}”不是{type}的状态：{states}", "“{v}” is not a state of {type}: {states}").format(
            v=row.state, type=sheet.type.label, states=[s.label for s in wf.states]))
        return False

    def _typed(self, p: _Plan) -> dict[str, Any] | None:
        rt, out, ok = p.sheet.type, {}, True
        for name, value in p.values.items():
            f = rt.field(name)
            if f.target:
                out[name] = value
                continue
            try:
                out[name] = f.coerce(value)
            except FieldProblem as problem:
                self.fail(p.sheet.where(p.row, name), problem.reason)
                ok = False
        return out if ok else None

    def _changed(self, p: _Plan, target: str | None) -> bool:
        """Whether the row asks for a change: it differs from the store's record, and from what
        its own version said (a row of an older version nobody edited is no change: the saves
        since then stand). ``p.values`` becomes the fields that differ from the store's."""
        typed = self._typed(p)
        if typed is None:
            self.failed.add(p.row.key)
            return False
        record = p.record
        p.values = {k: v for k, v in typed.items() if v != record.data.get(k)}
        if not p.values and (target is None or target == record.state):
            return False
        version = _version(p.row.version)
        if version is not None and version < record.version:
            state, data = self._as_of(record, version)
            if data is not None and all(v == data.get(k) for k, v in typed.items()) and target in (None, state):
                return False
        return True

    def _as_of(self, record: Record, version: int) -> tuple[str | None, dict[str, Any] | None]:
        """A record's state and fields at an earlier version, from its audit entries."""
        rt = self.ledger.type(record.type)
        for entry in self.ledger.history(record.id):
            snap = json.loads(entry.after) if entry.after else None
            if isinstance(snap, dict) and snap.get("version") == version:
                return snap.get("state"), rt.from_stored({k: snap.get(k) for k in rt.field_names})
        return None, None

    def _version_ok(self, p: _Plan) -> bool:
        record = p.record
        version = _version(p.row.version)
        if version is None:
            self.fail(p.sheet.where(p.row, "version"), L("这一行改了 {id}，但缺少版本号，无法核对是否有人已先保存；请在导出的台账上修改",
                                                           "this row changes {id} but has no version to check that nobody saved first; change it in an exported file").format(id=record.id))
            return False
        if version != record.version:
            self.fail(p.sheet.where(p.row, "version"), L(
                "这一行据第 {v} 版修改，而 {id} 现在是第 {cur} 版（{by} 于 {at} 保存）：请重新导出台账再改",
                "this row was changed from version {v}, but {id} is now at version {cur} (saved by {by} at {at}): export the ledgers again and change that").format(
                v=version, id=record.id, cur=record.version, by=record.updated_by or "?", at=local_time(self.ledger, record.updated_at) or "?"))
            return False
        return True

    def _view(self, p: _Plan) -> dict[str, Any]:
        data = dict(p.record.data) if p.record is not None else {}
        typed = {}
        for name, value in p.values.items():
            f = p.sheet.type.field(name)
            try:
                typed[name] = value if f.target else f.coerce(value)
            except FieldProblem:
                pass
        return {**data, **typed, "today": self.today}

    # -- writing ------------------------------------------------------------------------------
    def mapped(self, rt: RecordType, values: dict[str, Any]) -> dict[str, Any] | None:
        out = dict(values)
        for f in rt.references():
            if f.name not in out:
                continue
            keys = _ids(out[f.name])
            if any(k in self.failed for k in keys):
                return None
            ids = [self.mapping.get(k, k) for k in keys]
            if any(i.startswith("@") for i in ids):
                return None
            out[f.name] = (ids[0] if ids else None) if f.kind == REFERENCE else ids
        return out

    def write(self, plans: list[_Plan], progress: Progress | None) -> dict[str, Any]:
        order = {rt.name: i for i, rt in enumerate(ordered_types(self.ledger.registry))}
        plans.sort(key=lambda p: order.get(p.sheet.type.name, len(order)))
        created: dict[str, int] = {}
        updated: dict[str, int] = {}
        steps = 0
        for rtype in dict.fromkeys(p.sheet.type.name for p in plans):
            group = [p for p in plans if p.sheet.type.name == rtype]
            new = [p for p in group if p.record is None]
            for batch in _levels(new):
                rows, ready = [], []
                for p in batch:
                    values = self.mapped(p.sheet.type, p.values)
                    if values is None:
                        self.failed.add(p.row.key)
                    else:
                        rows.append(values)
                        ready.append(p)
                if not rows:
                    continue
                try:
                    ids = self.ledger.create_many(rtype, rows, progress=progress)
                except ValidationError as exc:
                    for e in exc.errors:
                        m = re.match(r"row (\d+)\.(.*)$", e.field)
                        p = ready[int(m.group(1)) - 1] if m else ready[0]
                        self.fail(p.sheet.where(p.row, m.group(2) if m else e.field), e.reason)
                    self.failed.update(p.row.key for p in ready)
                    continue
                for p, new_id in zip(ready, ids):
                    p.record_id = self.mapping[p.row.key] = new_id
                created[rtype] = created.get(rtype, 0) + len(ids)
            for p in group:
                if p.record is None:
                    continue
                p.record_id = p.record.id
                if not p.values:
                    continue
                values = self.mapped(p.sheet.type, p.values)
                if values is None:
                    self.failed.add(p.row.key)
                    continue
                try:
                    self.ledger.update(p.record.id, values, expected_version=p.record.version)
                except ValidationError as exc:
                    self.errors += [FieldError(p.sheet.where(p.row, e.field), e.reason) for e in exc.errors]
                    self.failed.add(p.row.key)
                    continue
                except (Conflict, NotPermitted, NotFound) as exc:
                    self.fail(p.sheet.where(p.row, "id"), exc.message)
                    self.failed.add(p.row.key)
                    continue
                updated[rtype] = updated.get(rtype, 0) + 1
                if progress:
                    progress(1)
        # then the workflows' steps, once every record they may look at is there
        for p in plans:
            if not p.steps or p.row.key in self.failed or p.record_id is None:
                continue
            values = self.mapped(p.sheet.type, p.step_values) or {}
            for step in p.steps:
                given = {k: v for k, v in values.items() if k in step.fields}
                try:
                    self.ledger.transition(p.record_id, step.name, values=given)
                except NotPermitted as exc:
                    self.fail(p.sheet.where(p.row, "state"), L("“{step}”须由{role}办理：{why}；请由{role}导入（管理员可用 duty --as 用户名 import-ledger）",
                                                                 "“{step}” is a {role}'s step: {why}; import as a {role} (an admin may use duty --as USER import-ledger)").format(
                        step=step.label, role=_role_label(step.role), why=exc.message))
                    break
                except ValidationError as exc:
                    self.errors += [FieldError(p.sheet.where(p.row, e.field), L("{step}：{why}", "{step}: {why}").format(step=step.label, why=e.reason))
                                    for e in exc.errors]
                    break
                steps += 1
            else:
                if p.record is not None and not p.values:
                    updated[p.sheet.type.name] = updated.get(p.sheet.type.name, 0) + 1
        return {"created": created, "updated": updated, "steps": steps}


def _version(raw: Any) -> int | None:
    """A version cell as a number (Excel may give 3.0 or "3"), None when there is none."""
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and number > 0 else None


def _role_label(role: str) -> L:
    from ..identity import ROLE_LABELS

    return ROLE_LABELS.get(role, L(role, role))


def _split(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in LIST_SPLIT.split(str(value)) if part.strip()]


def _path(rt: RecordType, wf: Workflow, source: str, target: str, view: dict[str, Any]) -> list[Transition] | None:
    """The steps from ``source`` to ``target``: of the ways with no state twice, the shortest
    whose guards all let the record as the row gives it through (else the shortest way, so the
    ledger says what stops it); None when there is no way."""
    ways: list[list[Transition]] = []

    def walk(state: str, seen: tuple[str, ...], steps: list[Transition]) -> None:
        if state == target and steps:
            ways.append(steps)
            return
        for t in wf.available(state):
            if t.target not in seen:
                walk(t.target, seen + (t.target,), steps + [t])

    walk(source, (source,), [])
    if not ways:
        return None
    ways.sort(key=len)
    for way in ways:
        if all(not guard({**view, "state": step.target}) for step in way for guard in step.guards):
            return way
    return ways[0]


def _levels(plans: list[_Plan]) -> list[list[_Plan]]:
    """New rows in batches so a row referring to a new row of the same type comes after it."""
    if not plans:
        return []
    rt = plans[0].sheet.type
    self_refs = [f for f in rt.references() if f.target == rt.name]
    if not self_refs:
        return [plans]
    index = {p.row.key: i for i, p in enumerate(plans)}
    level: dict[int, int] = {}

    def depth(i: int, seen: frozenset[int] = frozenset()) -> int:
        if i in level:
            return level[i]
        parents = [index[k] for f in self_refs for k in _ids(plans[i].values.get(f.name))
                   if k in index and index[k] != i and index[k] not in seen]
        level[i] = 0 if not parents else 1 + max(depth(j, seen | {i}) for j in parents)
        return level[i]

    for i in range(len(plans)):
        depth(i)
    batches: dict[int, list[_Plan]] = {}
    for i, lv in sorted(level.items()):
        batches.setdefault(lv, []).append(plans[i])
    return [batches[k] for k in sorted(batches)]


def import_ledgers(ledger: Ledger, sheets: list[Sheet], progress: Progress | None = None) -> dict[str, Any]:
    """Bring a workbook's rows into the store, all in one transaction or nothing (see the module's
    text). Returns ``counts`` and ``created`` (records added per type), ``updated`` (per type),
    ``unchanged`` (rows that say what the store holds), ``written``, ``steps`` (workflow steps
    taken), ``same_store`` and ``ids`` (the key of each added row: its id in the file, else
    ``@sheet:row`` → its id in the store)."""
    ledger.require("create")
    work = _Import(ledger, sheets, progress)
    rows = sum(len(s.rows) for s in sheets)
    with ledger.transaction(), years(*ledger.year_range()):  # dates read as this store allows them
        work.index()
        plans = work.plan()
        result = work.write(plans, progress)
        if work.errors:
            raise ValidationError(work.errors)
    written = sum(result["created"].values()) + sum(result["updated"].values())
    touched = len([p for p in plans if p.record_id])
    return {"counts": result["created"], "created": result["created"], "updated": result["updated"],
            "unchanged": rows - touched, "written": written, "steps": result["steps"], "same_store": work.own,
            "ids": dict(work.mapping)}
