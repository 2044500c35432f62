"""The one filter language: what a person types after ``/`` in a list, and what ``duty list``
takes as ``--filter`` (the whole text) or ``--where`` (one term each). Words for text search, and
``field:value`` terms.

``学习 date>=2026-03-01 organizer:person-1 状态:草稿 approver: tags:*``

* a plain word is a text search (every word must match the record's searchable text);
* ``field:value`` keeps records whose field equals the value; on a text field it is a
  substring; on a list field (references, multiple choice) it is membership; ``field=value`` is
  the same but exact on a text field;
* ``field!=value``, ``field>value``, ``>=``, ``<``, ``<=`` compare; ``field~text`` keeps records
  whose field contains the text;
* a reference field is filtered by the id of the record it names or by that record's title:
  ``unit:文化站`` keeps records whose unit is called anything like 文化站 (the ledger resolves it);
* ``field:`` keeps records where the field is empty, ``field:*`` those where it is not;
* a field is named by its name or its label in either language (``kind``, ``类别``, ``Kind``),
  ``state``/``状态`` is the workflow state (by name or label), ``year``/``年`` picks the year;
* quotes keep spaces in a value: ``title:"中心组 学习"``.

Values are checked by the ledger (a bad date or an unknown choice is reported, by term). No
Textual here: this is tested on its own.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Iterable

from ..i18n import L
from ..schema import LIST_KINDS, LONG_TEXT, REFERENCE, REFERENCES, TEXT, RecordType
from ..store import Filter

TERM_RE = re.compile(r"^([^\s:：=<>!~]+)\s*(:|：|!=|>=|<=|=|>|<|~)(.*)$", re.S)
OPS = {":": "eq", "：": "eq", "=": "eq", "!=": "ne", ">": "gt", ">=": "ge", "<": "lt", "<=": "le", "~": "contains"}
STATE_NAMES = ("state", "状态")
YEAR_NAMES = ("year", "年", "年份", "年度")


@dataclass(frozen=True)
class ParsedFilter:
    text: str = ""
    filters: tuple[Filter, ...] = ()
    year: int | None = None
    problems: tuple[L, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.text and not self.filters and self.year is None


def split_terms(text: str) -> list[str]:
    """Whitespace-separated terms; double quotes keep spaces. A quote still open (the person is
    typing) is taken as closed at the end."""
    text = text.replace("“", '"').replace("”", '"').replace("'", "\\'")
    for attempt in (text, text + '"'):
        try:
            return shlex.split(attempt, posix=True)
        except ValueError:
            continue
    return text.replace('"', " ").split()


def resolve_field(rt: RecordType, name: str) -> str | None:
    """The field a person named, by its name or its label in either language."""
    lowered = name.lower()
    for f in rt.fields:
        if lowered in (f.name, f.label.en.lower()) or name == f.label.zh:
            return f.name
    if lowered in ("id", "编号"):
        return "id"
    return None


def resolve_state(rt: RecordType, value: str) -> str | None:
    if rt.workflow is None:
        return None
    lowered = value.lower()
    for s in rt.workflow.states:
        if lowered in (s.name, s.label.en.lower()) or value == s.label.zh:
            return s.name
    return None


def parse_filter(rt: RecordType, text: str) -> ParsedFilter:
    """The filter a person typed as one text (``/`` in a list, ``duty list --filter``)."""
    return parse_terms(rt, split_terms(text))


def parse_where(rt: RecordType, terms: Iterable[str]) -> ParsedFilter:
    """``duty list --where`` terms: each one ``field<op>value`` (spaces in the value are kept)."""
    terms = list(terms)
    bad = [t for t in terms if not TERM_RE.match(t)]
    parsed = parse_terms(rt, [t for t in terms if TERM_RE.match(t)], strict=True)
    problems = tuple(L("“{t}”:应写作 字段=值(或 字段:值 != >= <= > < ~)", "“{t}”: expected FIELD=VALUE (or FIELD:VALUE, != >= <= > < ~)").format(t=t)
                     for t in bad)
    return ParsedFilter(parsed.text, parsed.filters, parsed.year, problems + parsed.problems)


def parse_terms(rt: RecordType, terms: Iterable[str], strict: bool = False) -> ParsedFilter:
    """``strict``: a term naming no field is a problem, never a word to search for."""
    words: list[str] = []
    filters: list[Filter] = []
    problems: list[L] = []
    year: int | None = None
    for term in terms:
        m = TERM_RE.match(term)
        if not m:
            words.append(term)
            continue
        name, op_text, value = m.group(1), m.group(2), m.group(3).strip()
        op = OPS[op_text]
        if name.lower() in YEAR_NAMES:
            if re.fullmatch(r"\d{4}", value) and op == "eq":
                year = int(value)
            else:
                problems.append(L("“{t}”：年份应写作 year:2026", "“{t}”: write a year as year:2026").format(t=term))
            continue
        if name.lower() in STATE_NAMES:
            if rt.workflow is None:
                problems.append(L("{type} 没有流程状态", "{type} has no workflow state").format(type=rt.label))
                continue
            if value in ("", "*"):
                problems.append(L("“{t}”：请给出状态", "“{t}”: name a state").format(t=term))
                continue
            state = resolve_state(rt, value)
            if state is None:
                known = ", ".join(f"{s.name} ({s.label.zh})" for s in rt.workflow.states)
                problems.append(L("“{t}”：没有这个状态（有：{known}）", "“{t}”: no such state (have: {known})").format(t=term, known=known))
                continue
            filters.append(Filter("state", "ne" if op == "ne" else "eq", state))
            continue
        fname = resolve_field(rt, name)
        if fname is None:
            if strict or op_text in (":", "："):  # "http://…" or a time like 10:30 is text, not a field
                known = ", ".join(rt.field_names)
                problems.append(L("“{t}”：{type} 没有字段 {name}（有：{known}）", "“{t}”: {type} has no field {name} (it has: {known})").format(
                    t=term, type=rt.label, name=name, known=known))
            else:
                words.append(term)
            continue
        if fname == "id":
            filters.append(Filter("id", op, value))
            continue
        kind = rt.field(fname).kind
        if value == "" and op == "eq":
            filters.append(Filter(fname, "empty"))
        elif value == "*" and op == "eq":
            filters.append(Filter(fname, "not_empty"))
        elif op == "eq" and kind in (TEXT, LONG_TEXT) and op_text != "=":
            filters.append(Filter(fname, "contains", value))
        elif op == "contains" and kind not in (TEXT, LONG_TEXT, REFERENCE, REFERENCES):
            problems.append(L("“{t}”：~ 只用于文字和引用字段", "“{t}”: ~ is for text and reference fields").format(t=term))
        elif kind in LIST_KINDS and op not in ("eq", "contains"):  # ~ on a list of references: which one is in it
            problems.append(L("“{t}”:列表字段只能用 字段:值", "“{t}”: a list field takes field:value only").format(t=term))
        else:
            filters.append(Filter(fname, op, value))
    return ParsedFilter(" ".join(words), tuple(filters), year, tuple(problems))
