"""Record types: typed fields and an optional workflow. No Textual, no storage.

A plugin declares a :class:`RecordType`; the core turns it into storage, forms, lists, CLI verbs,
import/export and audit. Values move in two shapes:

* the *typed* shape a rule or a plugin sees (``datetime.date``, ``int``, ``list[str]`` ...);
* the *stored* shape, plain JSON (dates as ``"2026-03-01"``), which every backend keeps.

:meth:`Field.coerce` turns what a person typed (or a typed value) into the typed shape, or raises
:class:`FieldProblem` with the reason in both languages.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .dates import DateProblem, parse_date
from .i18n import L, as_text
from .safetext import safe_text, text_problem

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
RESERVED = frozenset({"id", "type", "version", "state", "created_at", "created_by", "updated_at", "updated_by"})

TEXT, LONG_TEXT, INTEGER, NUMBER, BOOL, DATE = "text", "long_text", "integer", "number", "bool", "date"
CHOICE, MULTI_CHOICE, REFERENCE, REFERENCES = "choice", "multi_choice", "reference", "references"
KINDS = (TEXT, LONG_TEXT, INTEGER, NUMBER, BOOL, DATE, CHOICE, MULTI_CHOICE, REFERENCE, REFERENCES)
LIST_KINDS = (MULTI_CHOICE, REFERENCES)
KIND_LABELS = {
    TEXT: L("文本", "text"), LONG_TEXT: L("长文本", "long text"), INTEGER: L("整数", "integer"),
    NUMBER: L("数字", "number"), BOOL: L("是/否", "yes/no"), DATE: L("日期", "date"),
    CHOICE: L("选项", "choice"), MULTI_CHOICE: L("多选", "multiple choice"),
    REFERENCE: L("引用", "reference"), REFERENCES: L("引用列表", "list of references"),
}

TRUE_WORDS = {"true", "yes", "y", "1", "是", "对", "有"}
FALSE_WORDS = {"false", "no", "n", "0", "否", "不", "无"}

# What a validator returns: None when the value is fine, else the reason.
Validator = Callable[[Any], "L | str | None"]


class FieldProblem(ValueError):
    def __init__(self, reason: L):
        super().__init__(reason.render("en"))
        self.reason = reason


class SchemaError(ValueError):
    """A record type declared wrongly: a plugin author's mistake, reported at registration."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: L


def choices(*items: tuple[str, str, str]) -> tuple[Choice, ...]:
    """``choices(("village", "村", "village"), ...)``: value, Chinese label, English label."""
    return tuple(Choice(value, L(zh, en)) for value, zh, en in items)


# The largest whole number and number a field takes unless it says otherwise (Field.min_value,
# Field.max_value): 2**53 - 1 is the largest integer every JSON reader (and a spreadsheet) keeps
# exactly; 10**15 leaves a number's cents exact. A count, an amount or hours beyond are a slip
# (1e308, 99999999999999999999), and would sum to infinity in a scorecard.
INTEGER_LIMIT = 2**53 - 1
NUMBER_LIMIT = 10**15


def _clean_text(value: str, *, multiline: bool) -> str:
    """Control characters, bidirectional overrides and undecodable bytes (lone surrogates) never
    reach the store (duty_tui.safetext.text_problem); a one-line field takes no line breaks."""
    if not multiline and ("\n" in value or "\r" in value):
        raise FieldProblem(L("单行字段不能包含换行", "a one-line field cannot hold line breaks"))
    problem = text_problem(value, multiline=multiline)
    if problem is not None:
        raise FieldProblem(problem)
    return value.replace("\r\n", "\n").strip() if not multiline else value.replace("\r\n", "\n").rstrip()


@dataclass(frozen=True)
class Field:
    """One typed field of a record type.

    ``target`` names the record type a reference points to. ``indexed`` asks the store for an
    index (filters and sorts on it stay fast at a million records); ``searchable`` puts the value
    into the record's text search.
    """

    name: str
    kind: str
    label: L
    required: bool = False
    default: Any = None
    choices: tuple[Choice, ...] = ()
    target: str | None = None
    validators: tuple[Validator, ...] = ()
    indexed: bool = False
    searchable: bool = False
    help: L | None = None
    max_length: int = 2000
    # another list-of-references field of the same type no record may share an item with (缺席人员
    # excludes 参加人员): the ledger refuses a record naming one person in both, the form warns
    exclusive_with: str | None = None
    # the bounds of an integer or number field (inclusive); unset: ±INTEGER_LIMIT, ±NUMBER_LIMIT
    min_value: int | float | None = None
    max_value: int | float | None = None
    # a reference to another plugin's type that this type can do without: when no plugin declares
    # the target (that plugin is not installed or is disabled), the field is left out of the type
    # instead of failing the plugin that declared it (a briefing's link to cases needs no cases)
    optional_target: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if not NAME_RE.match(self.name) or self.name in RESERVED:
            raise SchemaError(f"field name {self.name!r} must be lower_snake_case and not one of {sorted(RESERVED)}")
        if self.kind not in KINDS:
            raise SchemaError(f"field {self.name!r}: kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.kind in (CHOICE, MULTI_CHOICE) and not self.choices:
            raise SchemaError(f"field {self.name!r}: a {self.kind} field needs choices")
        if self.kind in (REFERENCE, REFERENCES) and not self.target:
            raise SchemaError(f"field {self.name!r}: a {self.kind} field needs a target record type")
        if self.kind == LONG_TEXT and self.max_length == 2000:
            object.__setattr__(self, "max_length", 100_000)
        if (self.min_value is not None or self.max_value is not None) and self.kind not in (INTEGER, NUMBER):
            raise SchemaError(f"field {self.name!r}: min_value and max_value are for integer and number fields")
        lo, hi = self.bounds()
        if lo > hi:
            raise SchemaError(f"field {self.name!r}: min_value {lo} is above max_value {hi}")

    def bounds(self) -> tuple[int | float, int | float]:
        """The least and the greatest value an integer or number field takes."""
        limit = INTEGER_LIMIT if self.kind == INTEGER else NUMBER_LIMIT
        return (-limit if self.min_value is None else self.min_value, limit if self.max_value is None else self.max_value)

    def _in_bounds(self, number: int | float) -> int | float:
        lo, hi = self.bounds()
        if not lo <= number <= hi:
            shown = safe_text(f"{number:g}" if isinstance(number, float) else number)
            raise FieldProblem(L("{v} 超出范围：应在 {lo} 到 {hi} 之间", "{v} is out of range: it must be from {lo} to {hi}").format(
                v=shown, lo=lo, hi=hi))
        return number

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS

    @functools.cached_property
    def _coercer(self) -> Callable[[Any], Any]:
        return getattr(self, f"_coerce_{self.kind}")

    def choice_label(self, value: str) -> L:
        for c in self.choices:
            if c.value == value:
                return c.label
        return L(value, value)

    def empty(self) -> Any:
        return [] if self.kind in LIST_KINDS else None

    def initial(self) -> Any:
        value = self.default() if callable(self.default) else self.default
        return ([] if self.kind in LIST_KINDS else None) if value is None else value

    # -- typed value from input ----------------------------------------------------------------
    def coerce(self, value: Any) -> Any:
        """Typed value from user input or a typed value; ``None``/``""`` mean empty."""
        if value is None or (isinstance(value, str) and value.strip() == ""):
            return self.empty()
        result = self._coercer(value)
        for validator in self.validators:
            reason = validator(result)
            if reason:
                raise FieldProblem(as_text(reason))
        return result

    def _coerce_text(self, value: Any, multiline: bool = False) -> str:
        if not isinstance(value, str):
            raise FieldProblem(L("应为文本", "must be text"))
        text = _clean_text(value, multiline=multiline)
        if len(text) > self.max_length:
            raise FieldProblem(L("过长：{n} 字，最多 {max} 字", "too long: {n} characters, at most {max}").format(n=len(text), max=self.max_length))
        return text

    def _coerce_long_text(self, value: Any) -> str:
        return self._coerce_text(value, multiline=True)

    def _coerce_integer(self, value: Any) -> int:
        if isinstance(value, bool):
            raise FieldProblem(L("应为整数", "must be a whole number"))
        if isinstance(value, int):
            return self._in_bounds(value)
        if isinstance(value, float) and value.is_integer():
            return self._in_bounds(int(value))
        if isinstance(value, str) and re.fullmatch(r"[-+]?[0-9]{1,18}", text := unicodedata.normalize("NFKC", value).strip()):
            return self._in_bounds(int(text))  # full-width digits (３) too, as a Chinese input method types them
        raise FieldProblem(L("应为整数，而不是 “{v}”", "must be a whole number, not “{v}”").format(v=safe_text(value)))

    def _coerce_number(self, value: Any) -> int | float:
        if isinstance(value, bool):
            raise FieldProblem(L("应为数字", "must be a number"))
        if isinstance(value, (int, float)):
            number = value
        else:
            try:
                text = unicodedata.normalize("NFKC", str(value)).strip()  # full-width digits too
                if not re.fullmatch(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", text):
                    raise ValueError(text)  # float() also reads "nan", "1_000" and Arabic-Indic digits
                number = float(text)
            except ValueError:
                raise FieldProblem(L("应为数字，而不是 “{v}”", "must be a number, not “{v}”").format(v=safe_text(value))) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise FieldProblem(L("应为有限的数字", "must be a finite number"))
        self._in_bounds(number)
        return int(number) if isinstance(number, float) and number.is_integer() else number

    def _coerce_bool(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise FieldProblem(L("应为 是/否（true/false），而不是 “{v}”", "must be true or false (是/否), not “{v}”").format(v=safe_text(value)))

    def _coerce_date(self, value: Any) -> dt.date:
        # one reading of dates for the ledger, the CLI, import and the TUI (duty_tui.dates):
        # 2026-03-01, 2026/3/1, 2026.3.1, 20260301, 2026年3月1日, 3月1日, full-width digits
        try:
            return parse_date(value)
        except DateProblem as exc:
            raise FieldProblem(exc.reason) from None

    def _match_choice(self, value: Any) -> str:
        text = str(value).strip()
        for c in self.choices:
            if text in (c.value, c.label.zh, c.label.en) or text.lower() == c.label.en.lower():
                return c.value
        allowed = ", ".join(f"{c.value} ({c.label.zh})" for c in self.choices)
        raise FieldProblem(L("“{v}” 不在可选项中：{allowed}", "“{v}” is not one of the choices: {allowed}").format(v=safe_text(text), allowed=allowed))

    def _coerce_choice(self, value: Any) -> str:
        return self._match_choice(value)

    def _coerce_multi_choice(self, value: Any) -> list[str]:
        out: list[str] = []
        for item in split_list(value):
            chosen = self._match_choice(item)
            if chosen not in out:
                out.append(chosen)
        return out

    def _coerce_reference(self, value: Any) -> str:
        if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9_]*-\d+", value.strip()):
            raise FieldProblem(L("应为记录编号，如 {example}", "must be a record id such as {example}").format(example=f"{self.target}-1"))
        return value.strip()

    def _coerce_references(self, value: Any) -> list[str]:
        out: list[str] = []
        for item in split_list(value):
            ref = self._coerce_reference(item)
            if ref not in out:
                out.append(ref)
        return out

    # -- stored (JSON) shape ---------------------------------------------------------------
    def to_stored(self, value: Any) -> Any:
        if self.kind == DATE and isinstance(value, dt.date):
            return value.isoformat()
        return value

    def from_stored(self, value: Any) -> Any:
        if value is None:
            return self.empty()
        if self.kind == DATE and isinstance(value, str):
            return dt.date.fromisoformat(value)
        return value


def split_list(value: Any) -> list[Any]:
    """A list field takes a list, a JSON array, or a comma-separated string (， too)."""
    if isinstance(value, (list, tuple, set)):
        return [v for v in value if v not in (None, "")]
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FieldProblem(L("不是有效的 JSON 数组：{e}", "not a valid JSON array: {e}").format(e=exc.msg)) from None
        if not isinstance(parsed, list):
            raise FieldProblem(L("应为数组", "must be an array"))
        return [v for v in parsed if v not in (None, "")]
    return [part.strip() for part in re.split(r"[,，、]", text) if part.strip()]


# -- workflow ----------------------------------------------------------------------------------

# A guard looks at the record as it would be after the transition and returns the reason it
# may not happen (or None). A warning has the same shape but does not stop the transition.
Guard = Callable[[Mapping[str, Any]], "L | str | None"]


@dataclass(frozen=True)
class State:
    name: str
    label: L


@dataclass(frozen=True)
class Transition:
    """A move from one of ``source`` to ``target``; ``role`` is the least role that may make it.

    ``fields`` are the fields the step itself sets (the approver and the approval date): the
    TUI asks for those and no others, and ``defaults`` fills the empty ones."""

    name: str
    source: tuple[str, ...]
    target: str
    label: L
    role: str = "clerk"
    guards: tuple[Guard, ...] = ()
    warnings: tuple[Guard, ...] = ()
    fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if isinstance(self.source, str):
            object.__setattr__(self, "source", (self.source,))
        if isinstance(self.fields, str):
            object.__setattr__(self, "fields", (self.fields,))

    def defaults(self, record_type: "RecordType", data: Mapping[str, Any], *, person: str | None,
                 today: dt.date) -> dict[str, Any]:
        """Values for the step's fields that ``data`` leaves empty: a date is ``today``; a
        reference to a person is ``person`` (the acting user's, given only when that user may
        take the step). Other fields have no default."""
        values: dict[str, Any] = {}
        for name in self.fields:
            if data.get(name) not in (None, "", [], ()):
                continue
            f = record_type.field(name)
            if f.kind == DATE:
                values[name] = today
            elif f.kind == REFERENCE and f.target == "person" and person:
                values[name] = person
        return values


@dataclass(frozen=True)
class Workflow:
    states: tuple[State, ...]
    initial: str
    transitions: tuple[Transition, ...]

    def __post_init__(self) -> None:
        names = {s.name for s in self.states}
        if self.initial not in names:
            raise SchemaError(f"workflow: initial state {self.initial!r} is not a state")
        for t in self.transitions:
            for s in (*t.source, t.target):
                if s not in names:
                    raise SchemaError(f"workflow: transition {t.name!r} names unknown state {s!r}")

    def state(self, name: str) -> State:
        for s in self.states:
            if s.name == name:
                return s
        raise KeyError(name)

    def available(self, current: str) -> list[Transition]:
        return [t for t in self.transitions if current in t.source]

    def to(self, current: str, target: str) -> Transition | None:
        """The transition from ``current`` to ``target`` (by target state or transition name)."""
        for t in self.available(current):
            if target in (t.target, t.name):
                return t
        return None


@dataclass(frozen=True)
class RecordType:
    """A kind of record a plugin declares.

    ``area`` groups types in navigation and in the scorecard; ``title_field`` names the field
    that identifies a record to a person (pickers, lists); ``year_field`` is the date (or integer
    year) a record belongs to, used by ``--year``; ``list_columns`` are shown in tables.
    """

    name: str
    label: L
    fields: tuple[Field, ...]
    area: str = "directory"
    title_field: str | None = None
    year_field: str | None = None
    list_columns: tuple[str, ...] = ()
    workflow: Workflow | None = None
    help: L | None = None
    plugin: str = ""
    # the fields that tell one record from another of the same title in a picker (a person: post
    # and unit); by default the list columns other than the title
    describe: tuple[str, ...] = ()
    short_label: L | None = None  # where the label does not fit (the navigation at 80 columns): distinct, whole words
    # record types whose records referring to this one belong to it (a case's responsible persons):
    # a record's detail shows them inline, with their fields, rather than as ids that refer to it
    detail_children: tuple[str, ...] = ()
    # more rows for a record's detail, worked out by the plugin: fn(ledger, record) -> [(label, text)]
    # (L or str each; a case: the persons suggested but not yet named)
    detail_lines: Callable[[Any, Any], Any] | None = None
    # how a number of these records reads, with {n}: L("{n} 人", "{n} members") for persons,
    # "{n} 次" for meetings, "{n} 场" for events; unset: "{n} 条" / "{n} records"
    count_label: L | None = None
    # the person fields naming who answers for a record of this type (谁组织谁负责: an event's
    # organiser and approver; a duty item's owner): `duty due`, the scorecards' chain. None: every
    # reference to a person; (): nobody of its own (its unit or the committee answers)
    answerable_fields: tuple[str, ...] | None = None
    # the unit a record belongs to (分级负责: an account bound to a unit reads and writes the records of
    # that unit and of the units below it; duty_tui.scope): the reference fields to follow, the
    # first that is filled decides — a reference to a unit is that unit, a reference to another
    # record gives that record's unit (an appraisal belongs where its person does). A record whose
    # fields are all empty, or whose type names none, belongs to no unit: to the top level.
    # A unit belongs to itself.
    unit_path: tuple[str, ...] = ()
    # records of this type that belong to no unit are read by every account, bound or not (the
    # county's assessment table, read by each town); writing them stays the top level's
    shared: bool = False
    # listed in the navigation only once the store holds one (a county's town keys and copies: a
    # town's own store shows neither)
    hidden_until_used: bool = False

    def answering_fields(self) -> tuple[str, ...]:
        """The fields naming who answers for a record: ``answerable_fields`` as declared, else
        every reference to a person."""
        if self.answerable_fields is not None:
            return self.answerable_fields
        return tuple(f.name for f in self.fields if f.kind in (REFERENCE, REFERENCES) and f.target == "person")

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if self.count_label is not None:
            object.__setattr__(self, "count_label", as_text(self.count_label))
            if "{n}" not in self.count_label.zh or "{n}" not in self.count_label.en:
                raise SchemaError(f"record type {self.name!r}: count_label must hold {{n}} in both languages")
        if self.short_label is not None:
            object.__setattr__(self, "short_label", as_text(self.short_label))
        if isinstance(self.detail_children, str):
            object.__setattr__(self, "detail_children", (self.detail_children,))
        object.__setattr__(self, "fields", tuple(self.fields))
        if not NAME_RE.match(self.name):
            raise SchemaError(f"record type name {self.name!r} must be lower_snake_case")
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise SchemaError(f"record type {self.name!r} declares a field twice")
        if not self.fields:
            raise SchemaError(f"record type {self.name!r} has no fields")
        by_name = dict(zip(names, self.fields))
        object.__setattr__(self, "_by_name", by_name)
        # asked on every write: worked out once
        object.__setattr__(self, "_references", tuple(f for f in self.fields if f.kind in (REFERENCE, REFERENCES)))
        object.__setattr__(self, "_required", tuple(f for f in self.fields if f.required))
        object.__setattr__(self, "_searchable", tuple(f for f in self.fields if f.searchable))
        if self.title_field is None:
            first_text = next((f.name for f in self.fields if f.kind == TEXT), names[0])
            object.__setattr__(self, "title_field", first_text)
        elif self.title_field not in by_name:
            raise SchemaError(f"record type {self.name!r}: title_field {self.title_field!r} is not a field")
        if self.year_field is not None:
            yf = by_name.get(self.year_field)
            if yf is None or yf.kind not in (DATE, INTEGER):
                raise SchemaError(f"record type {self.name!r}: year_field must name a date or integer field")
        if not self.list_columns:
            object.__setattr__(self, "list_columns", tuple(names[:4]))
        for col in self.list_columns:
            if col not in by_name and col not in ("id", "state"):
                raise SchemaError(f"record type {self.name!r}: list column {col!r} is not a field")
        object.__setattr__(self, "describe", tuple(self.describe))
        for col in self.describe:
            if col not in by_name:
                raise SchemaError(f"record type {self.name!r}: describe names {col!r}, which is not a field")
        if self.answerable_fields is not None:
            if isinstance(self.answerable_fields, str):
                object.__setattr__(self, "answerable_fields", (self.answerable_fields,))
            object.__setattr__(self, "answerable_fields", tuple(self.answerable_fields))
            for name in self.answerable_fields:
                f = by_name.get(name)
                if f is None or f.kind not in (REFERENCE, REFERENCES) or f.target != "person":
                    raise SchemaError(f"record type {self.name!r}: answerable_fields names {name!r}, "
                                      "which is not a reference to a person")
        if isinstance(self.unit_path, str):
            object.__setattr__(self, "unit_path", (self.unit_path,))
        object.__setattr__(self, "unit_path", tuple(self.unit_path))
        for name in self.unit_path:
            f = by_name.get(name)
            if f is None or f.kind != REFERENCE:
                raise SchemaError(f"record type {self.name!r}: unit_path names {name!r}, which is not a single reference field")
        for f in self.fields:
            other = by_name.get(f.exclusive_with) if f.exclusive_with else None
            if f.exclusive_with and (other is None or other is f or f.kind != REFERENCES or other.kind != REFERENCES
                                     or other.target != f.target):
                raise SchemaError(f"record type {self.name!r}: field {f.name!r} is exclusive_with {f.exclusive_with!r}, "
                                  "which must be another list of references to the same type")

    # -- lookups ----------------------------------------------------------------------------
    def field(self, name: str) -> Field:
        return self._by_name[name]

    def has_field(self, name: str) -> bool:
        return name in self._by_name

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def references(self) -> tuple[Field, ...]:
        return self._references

    def exclusive_fields(self) -> tuple[Field, ...]:
        """The lists that may share no item with another (``Field.exclusive_with``)."""
        return tuple(f for f in self._references if f.exclusive_with)

    def required_fields(self) -> tuple[Field, ...]:
        return self._required

    # -- shapes ---------------------------------------------------------------------------
    def to_stored(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {f.name: f.to_stored(data.get(f.name, f.empty())) for f in self.fields}

    def from_stored(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {f.name: f.from_stored(data.get(f.name)) for f in self.fields}

    def search_text(self, data: Mapping[str, Any]) -> str:
        """What text search matches: searchable values, and both labels of chosen options."""
        parts: list[str] = []
        for f in self._searchable:
            value = data.get(f.name)
            if value in (None, "", []):
                continue
            if f.kind in (CHOICE, MULTI_CHOICE):
                for v in value if isinstance(value, list) else [value]:
                    label = f.choice_label(v)
                    parts += [v, label.zh, label.en]
            elif isinstance(value, list):
                parts += [str(v) for v in value]
            else:
                parts.append(str(value))
        return " ".join(parts).lower()

    def links(self, data: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(field, target id) for every reference the record holds."""
        out = []
        for f in self._references:
            value = data.get(f.name)
            for target in value if isinstance(value, list) else ([value] if value else []):
                out.append((f.name, target))
        return out


def count_text(rt: "RecordType | None", n: "int | str") -> L:
    """``n`` records of ``rt`` in words: its ``count_label`` ("6 人", "6 members"), else "6 条" /
    "6 records". An English label written "member(s)" or "activity(ies)" reads "1 member",
    "6 members", "6 activities"."""
    label = rt.count_label if rt is not None and rt.count_label is not None else L("{n} 条", "{n} record(s)")
    one = str(n).replace(",", "") == "1"
    en = label.en.replace("y(ies)", "y" if one else "ies").replace("(s)", "" if one else "s")
    return L(label.zh, en).format(n=n)
