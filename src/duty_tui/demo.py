"""The sample town of ``duty demo``: the seed's xx镇党委, its secretary 刘明宇 (first responsible
person) and propaganda member 余永福, villages, a community, offices, cadres, and three
accounts (the OS login as admin, a leader and a clerk). Then every plugin adds its own sample
records through the ``duty_demo_records`` hook, so the dashboard shows real findings.

A plugin's demo hook finds the town's people and units by name, e.g.
``ledger.query("person", text="刘明宇", limit=1)``; :func:`town_ids` returns them all. No Textual
here: ``duty demo --no-tui`` and the tests use it too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .errors import DutyError
from .i18n import L
from .ledger import Ledger
from .plugins import call_each
from .registry import Registry
from .store import Store

ORG = "xx镇党委"

# (name, kind, parent) — the committee first; the rest sit under it.
UNITS = (
    ("xx镇党委", "committee", None),
    ("党政办公室", "office", "xx镇党委"),
    ("宣传办公室", "office", "xx镇党委"),
    ("文化站", "department", "xx镇党委"),
    ("综治中心", "department", "xx镇党委"),
    ("东风村", "village", "xx镇党委"),
    ("红星村", "village", "xx镇党委"),
    ("青山村", "village", "xx镇党委"),
    ("城关社区", "community", "xx镇党委"),
)

# (name, unit, post)
PERSONS = (
    ("刘明宇", "xx镇党委", "党委书记"),
    ("余永福", "xx镇党委", "党委委员、宣传委员"),
    ("王建国", "xx镇党委", "党委副书记、镇长"),
    ("陈丽", "xx镇党委", "党委委员、组织委员"),
    ("周涛", "xx镇党委", "党委委员、纪委书记"),
    ("张伟", "党政办公室", "主任"),
    ("李娜", "宣传办公室", "宣传干事"),
    ("吴芳", "文化站", "站长"),
    ("赵强", "东风村", "党支部书记"),
    ("钱进", "红星村", "党支部书记"),
    ("孙敏", "城关社区", "党委书记"),
)

# (login, role, person) — besides the OS login, which becomes the admin.
ACCOUNTS = (
    ("liumy", "leader", "刘明宇"),
    ("lina", "clerk", "李娜"),
)

# Leadership rows for the two people the seed names, when a plugin provides the `leader` type.
LEADERS = (
    ("刘明宇", "first_responsible"),
    ("余永福", "direct_responsible"),
)


@dataclass
class DemoTown:
    ledger: Ledger
    year: int
    units: dict[str, str] = field(default_factory=dict)
    persons: dict[str, str] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (plugin or step, error)


def acting(ledger: Ledger, login: str) -> Ledger:
    """The ledger acting as ``login`` (the demo's clerk or leader), else the one given (for
    plugins' demo hooks, so the audit log reads like a real office's)."""
    if any(u.name == login for u in ledger.users()):
        return Ledger.for_login(ledger.store, ledger.registry, login)
    return ledger


STORY_DAYS = 200  # how far back the sample records' stories reach


class DemoDays:
    """``day(offset)``: the ISO date of a sample record ``offset`` days from the demo's day (today
    in the running year, else 30 June of the year shown), for what the story says happened in
    the year shown. When the year has not yet had ``STORY_DAYS`` days (in January, say), the
    story's past is fitted into the part of the year gone by: the last few weeks stay as they
    are and older days are drawn closer, in the same order, never before 1 January. Without
    that, on 10 January the self-inspections, reports and events "of this year" would all fall
    into last year and the year the demo opens on would look empty.

    ``day.ago(offset)``: exactly ``offset`` days from the demo's day, for an age or a deadline
    that has to be that many days gone (a case undecided for 130 days, a rectification overdue);
    it may fall into last year, and the rules that look at such things look across years.
    ``day.today`` is the demo's day as a date."""

    def __init__(self, year: int, today: dt.date | None = None) -> None:
        today = today or dt.date.today()
        self.today = today if today.year == year else dt.date(year, 6, 30)
        self.room = (self.today - dt.date(year, 1, 1)).days  # days of the year before the demo's day

    def offset(self, offset: int) -> int:
        """The offset a story's day is moved to, so it stays in the year."""
        if offset >= 0 or self.room >= STORY_DAYS:
            return offset
        kept = self.room / 2  # the recent past keeps its days
        if offset >= -kept:
            return offset
        drawn = -kept + (offset + kept) * (self.room - kept) / (STORY_DAYS - kept)
        return max(-self.room, round(drawn))

    def date(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=self.offset(offset))

    def __call__(self, offset: int) -> str:
        return self.date(offset).isoformat()

    def ago(self, offset: int) -> str:
        return (self.today + dt.timedelta(days=offset)).isoformat()


def demo_days(year: int, today: dt.date | None = None) -> DemoDays:
    """The dates of a plugin's sample records for ``year``: see :class:`DemoDays`."""
    return DemoDays(year, today)


def town_ids(ledger: Ledger, record_type: str) -> dict[str, str]:
    """Name → id of the town's units or persons (for plugins' demo hooks)."""
    return {str(r.data.get("name")): r.id for r in ledger.query(record_type, limit=None)}


DEMO_ZONE = "Asia/Shanghai"  # what `duty demo` sets: the sample town keeps Beijing time


def create_demo(store: Store, registry: Registry, login: str, *, year: int | None = None,
                timezone: str | None = None) -> DemoTown:
    """Initialise ``store`` (which must be new) with the sample town, acting as ``login``.
    ``timezone`` sets the store's zone (``duty demo`` gives :data:`DEMO_ZONE`); without it the
    store keeps the machine's zone, so a test's ``date.today()`` is the demo's today. The dates of
    the sample records count from the ledger's today, in the store's zone."""
    ledger = Ledger.initialise(store, registry, login)
    if timezone:
        ledger.set_setting("org.timezone", timezone)
    year = year or ledger.today().year
    town = DemoTown(ledger, year)
    ledger.set_setting("org.name", ORG)
    for name, kind, parent in UNITS:
        town.units[name] = ledger.create("unit", {"name": name, "kind": kind, "parent": town.units.get(parent)}).id
    for name, unit, post in PERSONS:
        town.persons[name] = ledger.create("person", {"name": name, "unit": town.units[unit], "post": post}).id
    for account, role, person in ACCOUNTS:
        if account != login:
            ledger.add_user(account, role, town.persons[person])
    _leaders(town, registry)
    for plugin, _result, exc in call_each(registry.pm, "duty_demo_records", ledger=ledger, year=year):
        if exc is not None:
            town.failures.append((plugin, f"{type(exc).__name__}: {exc}"))
    return town


def _leaders(town: DemoTown, registry: Registry) -> None:
    rt = registry.types.get("leader")
    if rt is None or not (rt.has_field("person") and rt.has_field("role")):
        return
    for name, role in LEADERS:
        values = {"person": town.persons[name], "role": role}
        if rt.has_field("since"):
            values["since"] = f"{town.year - 2}-01-01"
        try:
            town.ledger.create("leader", values)
        except DutyError as exc:
            town.failures.append(("demo.leader", exc.render("en")))


def summary(town: DemoTown) -> L:
    """What the store holds after the plugins' demo records too (a plugin adds a person: the
    leadership's former secretary), so the count is the one the person list shows."""
    return L("示例乡镇：{units} 个单位，{persons} 名人员，账号 {accounts}", "sample town: {units} units, {persons} persons, accounts {accounts}").format(
        units=town.ledger.count("unit"), persons=town.ledger.count("person"), accounts=", ".join(a for a, _, _ in ACCOUNTS))
