"""The period a report covers: a year (``2026``), a half-year (``2026H1``, ``2026H2``), a quarter
(``2026Q3``) or any range of days (``--from 2026-03-01 --to 2026-05-31``), with its name in a
title ("2026年度", "2026年上半年", "2026年3月1日至5月31日"). No Textual, no docx.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import FieldError, ValidationError
from ..i18n import L

MONTHS_EN = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
PERIOD_RE = re.compile(r"^\s*(\d{4})\s*(?:([Hh])([12])|([Qq])([1-4])|年?(上半年|下半年))?\s*$")


def zh_date(day: dt.date) -> str:
    """``2026年11月30日``: a date in a Chinese document (GB/T 9704: Arabic digits, no padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def en_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS_EN[day.month]} {day.year}"


def document_date(day: dt.date, lang: str) -> str:
    return zh_date(day) if lang == "zh" else en_date(day)


@dataclass(frozen=True)
class Period:
    """The days ``start``..``end`` (both included) a report covers; ``kind`` is ``year``, ``half``,
    ``quarter`` or ``range``."""

    start: dt.date
    end: dt.date
    kind: str = "range"

    @property
    def year(self) -> int:
        """The year the period ends in: the year whose rules and settings apply."""
        return self.end.year

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def name(self, lang: str) -> str:
        """As a title says it: 2026年度 / 2026年上半年 / 2026年第三季度 / 2026年3月1日至5月31日."""
        y = self.start.year
        if self.kind == "year":
            return f"{y}年度" if lang == "zh" else str(y)
        if self.kind == "half":
            first = self.start.month == 1
            return f"{y}年{'上' if first else '下'}半年" if lang == "zh" else f"the {'first' if first else 'second'} half of {y}"
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3 + 1
            return f"{y}年第{'一二三四'[q - 1]}季度" if lang == "zh" else f"the {('first', 'second', 'third', 'fourth')[q - 1]} quarter of {y}"
        if lang == "zh":
            end = zh_date(self.end) if self.end.year != y else f"{self.end.month}月{self.end.day}日"
            return f"{zh_date(self.start)}至{end}"
        return f"{en_date(self.start)} to {en_date(self.end)}"

    def slug(self) -> str:
        """For a file name: 2026, 2026H1, 2026Q3, 20260301-20260531."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "half":
            return f"{self.start.year}H{1 if self.start.month == 1 else 2}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def parse_period(text: str) -> Period:
    """``2026``, ``2026H1``/``2026h2``, ``2026Q3``, ``2026上半年``; else a :class:`ValidationError`
    on ``--period`` saying the forms it takes."""
    m = PERIOD_RE.match(str(text))
    if not m:
        raise ValidationError([FieldError("--period", L("“{p}”不是期间：可用 2026、2026H1、2026H2、2026Q3",
                                                        "{p!r} is not a period: use 2026, 2026H1, 2026H2 or 2026Q3").format(p=text))])
    year = int(m.group(1))
    if m.group(3) or m.group(6):
        first = m.group(3) == "1" or m.group(6) == "上半年"
        return Period(dt.date(year, 1, 1), dt.date(year, 6, 30), "half") if first else Period(dt.date(year, 7, 1), dt.date(year, 12, 31), "half")
    if m.group(5):
        q = int(m.group(5))
        start = dt.date(year, 3 * q - 2, 1)
        end = (dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)) - dt.timedelta(days=1)
        return Period(start, end, "quarter")
    return year_period(year)


def date_range(start: dt.date, end: dt.date) -> Period:
    """``--from``/``--to``: a range of days; a whole year, half or quarter is named as such."""
    if end < start:
        raise ValidationError([FieldError("--to", L("结束日期 {e} 早于开始日期 {s}", "the end {e} is before the start {s}").format(
            e=end.isoformat(), s=start.isoformat()))])
    for kind_text in (f"{start.year}", f"{start.year}H1", f"{start.year}H2", *(f"{start.year}Q{q}" for q in range(1, 5))):
        known = parse_period(kind_text)
        if (known.start, known.end) == (start, end):
            return known
    return Period(start, end, "range")
