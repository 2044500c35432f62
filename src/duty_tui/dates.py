"""Dates as clerks type them, read one way for the ledger, the CLI, import and the TUI.

:func:`parse_date` accepts ``2026-03-01``, ``2026/3/1``, ``2026.3.1``, ``20260301``,
``2026年3月1日``, ``3月1日`` and ``3/1`` (the year from the caller's context, else this year), in
half- or full-width characters (``２０２６－０３－０１``), and says precisely what is wrong when it
cannot: "没有 13 月" / "there is no month 13", "2026年2月没有30日" / "February 2026 has no
day 30", a year out of range, a year not written first. No Textual, no storage.
"""

from __future__ import annotations

import calendar
import contextvars
import datetime as dt
import re
import unicodedata
from contextlib import contextmanager
from typing import Iterator

from .i18n import L

# The years a date of this system may have: the store's settings dates.min-year and
# dates.max-year (registered by the core directory plugin), by default 1949–2100. The records
# are of the work of a committee now, in the recent past and planned ahead (deadlines, terms).
# A year beyond is a typing slip (20266 for 2026, 0206), or a spreadsheet's placeholder
# (0000-00-00, 9999-12-31 meaning "none" or "forever"), and such a value would sort first or
# last in every list, fall in no year's view and count in no year's checks, so it is refused
# with the reason instead. An office that keeps older dates (a veteran's Party join date)
# widens the range: `duty config set dates.min-year 1921`.
#
# The ledger reads the range from its store and applies it with :func:`years` around every
# write; outside it (a form's first check, a filter), the defaults hold.
MIN_YEAR_KEY, MAX_YEAR_KEY = "dates.min-year", "dates.max-year"
DEFAULT_MIN_YEAR, DEFAULT_MAX_YEAR = 1949, 2100
MIN_YEAR, MAX_YEAR = DEFAULT_MIN_YEAR, DEFAULT_MAX_YEAR  # the defaults, under their old names
YEAR_LIMITS = (1, 9999)  # what a date can hold at all (datetime.date)

_years: contextvars.ContextVar[tuple[int, int]] = contextvars.ContextVar("duty_years", default=(DEFAULT_MIN_YEAR, DEFAULT_MAX_YEAR))


def year_range() -> tuple[int, int]:
    """The first and the last year a date may have here and now (see :func:`years`)."""
    return _years.get()


@contextmanager
def years(first: int, last: int) -> Iterator[None]:
    """Dates read inside the ``with`` may have a year from ``first`` to ``last`` (the store's
    settings, as the ledger applies them)."""
    first, last = max(YEAR_LIMITS[0], int(first)), min(YEAR_LIMITS[1], int(last))
    token = _years.set((min(first, last), max(first, last)))
    try:
        yield
    finally:
        _years.reset(token)


def year_setting_problem(value: object) -> L | None:
    """A validator for the settings dates.min-year and dates.max-year."""
    if isinstance(value, int) and YEAR_LIMITS[0] <= value <= YEAR_LIMITS[1]:
        return None
    return L("年份应在 {lo}–{hi} 之间", "a year must be from {lo} to {hi}").format(lo=YEAR_LIMITS[0], hi=YEAR_LIMITS[1])

MONTHS_EN = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")

_SEP = r"\s*[-/.]\s*"
_YMD = re.compile(rf"(\d+){_SEP}(\d+){_SEP}(\d+)")
_MD = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}})")
_CN = re.compile(r"(?:(\d+)\s*年\s*)?(\d+)\s*月\s*(\d+)\s*[日号]?")
_COMPACT = re.compile(r"\d{8}")

EXAMPLES = "2026-03-01, 2026/3/1, 20260301, 3月1日"


def normalise(text: str) -> str:
    """Full-width digits and punctuation (２０２６－０３－０１, ／, ．) as their ASCII forms,
    the ideographic space as a space; the ends stripped."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("。", ".").replace("—", "-").replace("–", "-").replace("−", "-").strip()


def unreadable(value: object) -> L:
    return L("无法识别日期 “{v}”：请写作 {ex} 这样的形式",
             "cannot read “{v}” as a date: write it like {ex}").format(v=value, ex=EXAMPLES)


class DateProblem(ValueError):
    """What is wrong with a date as typed, in both languages (``reason``)."""

    def __init__(self, reason: L, *, readable: bool = True):
        super().__init__(reason.render("en"))
        self.reason = reason
        self.readable = readable  # False: not (yet) in any form of a date; True: a date that does not exist


def check(year: int, month: int, day: int) -> dt.date:
    """The date, or :class:`DateProblem` naming the part that is wrong: the year's range first
    (:func:`year_range`, the settings dates.min-year and dates.max-year), then the month, then
    the day within that month of that year."""
    lo, hi = year_range()
    if not lo <= year <= hi:
        raise DateProblem(L("年份 {y} 超出范围：应在 {lo}–{hi}年之间（设置 {keys}）",
                            "the year {y} is out of range: it must be from {lo} to {hi} (settings {keys})").format(
            y=year, lo=lo, hi=hi, keys=f"{MIN_YEAR_KEY}, {MAX_YEAR_KEY}"))
    if not 1 <= month <= 12:
        raise DateProblem(L("没有 {m} 月", "there is no month {m}").format(m=month))
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateProblem(L("{y}年{m}月没有{d}日（这个月有 {last} 天）", "{month} {y} has no day {d} (it has {last} days)").format(
            y=year, m=month, d=day, last=last, month=MONTHS_EN[month]))
    return dt.date(year, month, day)


def _full_year(digits: str, value: object) -> int:
    if len(digits) != 4:
        raise DateProblem(L("年份应写全四位，如 2026，而不是 “{y}”（“{v}”）", "write the year with four digits, like 2026, not “{y}” (in “{v}”)").format(
            y=digits, v=value))
    return int(digits)


def parse_date(value: object, *, year: int | None = None, today: dt.date | None = None) -> dt.date:
    """The date ``value`` names, or :class:`DateProblem` with the reason.

    ``value`` is a ``date`` (a ``datetime`` gives its date) or text. A date written without a
    year (``3月1日``, ``3/1``) is in ``year``, else in ``today``'s year, else in this year.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return check(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise DateProblem(unreadable(value), readable=False)
    text = normalise(value)
    if _COMPACT.fullmatch(text):
        return check(int(text[:4]), int(text[4:6]), int(text[6:]))
    m = _YMD.fullmatch(text)
    if m:
        first, second, third = m.groups()
        if len(first) <= 2 and len(third) == 4:  # 1/3/2026: day and month first, in an order nobody can tell
            raise DateProblem(L("年份应写在前面，按 年/月/日，如 {y}/3/1（而不是 “{v}”）", "put the year first, then the month and the day, "
                                "like {y}/3/1 (not “{v}”)").format(y=third, v=value))
        return check(_full_year(first, value), int(second), int(third))
    m = _CN.fullmatch(text)
    if m:
        y, month, day = m.groups()
        return check(_full_year(y, value) if y else _context_year(year, today), int(month), int(day))
    m = _MD.fullmatch(text)
    if m:
        return check(_context_year(year, today), int(m.group(1)), int(m.group(2)))
    raise DateProblem(unreadable(value), readable=False)


def _context_year(year: int | None, today: dt.date | None) -> int:
    if year is not None:
        return year
    return (today or dt.date.today()).year


# -- time zones ------------------------------------------------------------------------------------
# The audit chain and every stored time are UTC; a person reads them in the store's zone (the
# setting org.timezone: an IANA name such as Asia/Shanghai, or "system" for the machine's own zone),
# and "today" for the rules is the day in that zone.

SYSTEM_ZONE = "system"


def zone_named(name: str) -> dt.tzinfo | None:
    """The zone ``name`` names: ``None`` for ``system`` (the machine's local zone, which Python
    reads per instant, daylight saving included) or a :class:`zoneinfo.ZoneInfo`; else
    :class:`DateProblem` with the reason. The zone data come from the system, else from the
    ``tzdata`` package (a dependency: slim Debian images ship without /usr/share/zoneinfo)."""
    import zoneinfo

    text = str(name or "").strip()
    if not text or text.lower() in (SYSTEM_ZONE, "local"):
        return None
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise DateProblem(L("没有名为 “{z}” 的时区：请写 IANA 时区名，如 Asia/Shanghai，或写 system（使用本机时区）",
                            "there is no time zone named “{z}”: write an IANA zone name such as Asia/Shanghai, "
                            "or system (the machine's own zone)").format(z=text)) from None


def utc_instant(ts: str) -> dt.datetime:
    """A stored UTC time (``2026-11-29T22:30:00.000Z``) as an aware datetime."""
    moment = dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


def in_zone(ts: str, zone: dt.tzinfo | None) -> dt.datetime:
    """A stored UTC time in ``zone`` (``None``: the machine's local zone)."""
    return utc_instant(ts).astimezone(zone)
