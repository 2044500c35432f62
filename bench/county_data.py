"""The county of bench/county.py: towns, each a top unit with its offices and villages, its people,
and years of records over the types the rules read, written through the ledger in bulk
(Ledger.create_many, one transaction per type and batch).

A town of ``per_town`` records a year: about 6% are its directory (units, persons, leaders,
outlets, contacts, speakers, agreements: written once), the rest the year's records spread over
the types the rules count (events, study sessions, committee meetings, analyses, trainings,
self-inspections, supervisions, incidents, publications, outlet reviews, appraisals, duty
reports, first responsible persons' acts, briefings, reports to the superior, liaison
activities, duty items). Events dated in the past come approved and filed (written by a leader
account, as the approval fields are a leader's), so a town's findings are a few dozen, as a
town that keeps its ledgers has, not one per record.

``grow`` adds earlier years of the same mix to every town until the store holds a given number
of records: a million is ten years of a twenty-town county.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent


def bench_storage():
    """bench/storage.py's helpers (its module name would clash with the storage/ package): the
    same loading as bench/verify.py."""
    name = "bench_storage"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / "storage.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


TOWN_NAMES = ("城关", "青石", "白沙", "桃源", "龙泉", "新华", "东湖", "西岭", "南山", "北坪",
              "金溪", "银河", "柳林", "松岗", "梅岭", "竹山", "石门", "长乐", "永安", "太平")
OFFICES = (("党政办公室", "office"), ("宣传办公室", "office"), ("文化站", "department"), ("综治中心", "department"))
LEADERS = (("党委书记", "first_responsible"), ("党委委员、宣传委员", "direct_responsible"), ("党委副书记、镇长", "member"),
           ("党委委员、组织委员", "member"), ("党委委员、纪委书记", "member"))
COUNTY = "中共某县委员会"
BUILDER_LEADER = "bench-leader"  # the leader account the past events are written by (their approval is a leader's)


def town_name(t: int) -> str:
    base = TOWN_NAMES[t % len(TOWN_NAMES)]
    return f"{base}镇党委" if t < len(TOWN_NAMES) else f"{base}{t // len(TOWN_NAMES) + 1}镇党委"


@dataclass
class Town:
    """What the benchmark needs to know of one generated town."""

    name: str
    unit: str                      # its top unit
    offices: list[str] = field(default_factory=list)
    villages: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)   # the five town leaders, in LEADERS order
    clerks: dict[str, str] = field(default_factory=dict)  # village → its 文书 (a person)
    outlets: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    meetings: list[tuple[str, str]] = field(default_factory=list)  # (committee meeting, its date) of the year being written

    @property
    def units(self) -> list[str]:
        return [self.unit, *self.offices, *self.villages]


class Days:
    """Dates of a year: up to ``today`` when it is the running year (a few events after it)."""

    def __init__(self, year: int, today: dt.date, rng: random.Random):
        self.year, self.rng = year, rng
        self.start = dt.date(year, 1, 1)
        last = min(today, dt.date(year, 12, 31)) if today.year == year else dt.date(year, 12, 31)
        self.span = max(0, (last - self.start).days)
        self.rest = (dt.date(year, 12, 31) - last).days

    def past(self) -> dt.date:
        return self.start + dt.timedelta(days=self.rng.randint(0, self.span))

    def any(self) -> dt.date:
        if self.rest and self.rng.random() < 0.1:
            return self.start + dt.timedelta(days=self.span + self.rng.randint(1, self.rest))
        return self.past()


def _iso(d: dt.date) -> str:
    return d.isoformat()


def directory(ledger, t: int, per_town: int, year: int, rng: random.Random) -> tuple[Town, int]:
    """A town's units, people, leaders, outlets, contacts, speakers and agreements: (town, records)."""
    s = bench_storage()
    name = town_name(t)
    unit = ledger.create("unit", {"name": name, "kind": "committee"}).id
    town = Town(name, unit)
    n_villages = max(2, per_town // 400)
    town.offices = ledger.create_many("unit", [{"name": office, "kind": kind, "parent": unit} for office, kind in OFFICES])
    town.villages = ledger.create_many("unit", [{"name": f"{name[:-3]}第{v + 1}村", "kind": "village", "parent": unit}
                                                for v in range(n_villages)])
    rows: list[dict[str, Any]] = [{"name": f"{name[:2]}{post[-4:]}", "unit": unit, "post": post} for post, _ in LEADERS]
    for v, village in enumerate(town.villages):
        rows.append({"name": f"{name[:2]}{v + 1}村支书", "unit": village, "post": "党支部书记"})
        rows.append({"name": f"{name[:2]}{v + 1}村文书", "unit": village, "post": "文书"})
    n_persons = max(len(rows) + 4, per_town * 6 // 100)
    for row in s.person_rows(n_persons - len(rows), town.villages + town.offices, seed=rng.randrange(1 << 30)):
        if row["post"].endswith("书记"):  # a unit's secretary is the one named above (whose duty report is due)
            row["post"] = "委员"
        rows.append(row)
    town.persons = ledger.create_many("person", rows)
    town.leaders = town.persons[:len(LEADERS)]
    town.clerks = {village: town.persons[len(LEADERS) + 2 * v + 1] for v, village in enumerate(town.villages)}
    secretaries = {village: town.persons[len(LEADERS) + 2 * v] for v, village in enumerate(town.villages)}
    members = [(pid, role) for pid, (_, role) in zip(town.leaders, LEADERS)]
    shares = [town.offices + town.villages][0]
    member_ids = [pid for pid, role in members if role == "member"]
    divisions = {pid: shares[i::len(member_ids)] for i, pid in enumerate(member_ids)}
    ledger.create_many("leader", [{"person": pid, "role": role, "since": f"{year - 15}-01-01", **({"divisions": divisions[pid]} if pid in divisions else {})}
                                  for pid, role in members])
    town.outlets = ledger.create_many("outlet", [{"name": f"{name[:2]}{v + 1}村广播", "kind": "loudspeaker", "unit": village, "status": "active",
                                                  "responsible": secretaries[village], "opened_on": f"{year - 5}-03-01"}
                                                 for v, village in enumerate(town.villages)]
                                      + [{"name": f"{name[:2]}发布", "kind": "new_media", "unit": town.offices[1], "status": "active",
                                          "responsible": town.leaders[1], "opened_on": f"{year - 5}-03-01"}])
    town.contacts = ledger.create_many("contact", [{"name": f"{name[:2]}专家{i + 1}", "field": "social_science", "liaison": town.leaders[1],
                                                    "since": f"{year - 2}-01-01"} for i in range(4)])
    ledger.create_many("speaker", [{"name": f"{name[:2]}报告人{i + 1}", "topic": "理论宣讲", "vetted_on": f"{year - 1}-12-01",
                                    "vetted_by": town.leaders[1], "conclusion": "suitable", "valid_until": f"{year + 1}-12-31", "unit": unit}
                                   for i in range(3)])
    count = 1 + len(town.offices) + len(town.villages) + len(town.persons) + len(members) + len(town.outlets) + len(town.contacts) + 3
    count += year_directory(ledger, town, year)
    return town, count


def year_directory(ledger, town: Town, year: int) -> int:
    """What a town signs once a year: each office's and village's responsibility agreement."""
    ids = ledger.create_many("agreement", [{"unit": u, "year": year, "signed_on": f"{year}-02-15", "committee_signer": town.leaders[0]}
                                           for u in town.offices + town.villages])
    return len(ids)


# (type, share of a year's records, row maker(town, days, rng, i)) -------------------------------------

def _attendees(town: Town, rng: random.Random, n: int = 6) -> list[str]:
    return rng.sample(town.persons, min(n, len(town.persons)))


def _event(town, d, rng, i):
    day = d.any()
    row = {"title": f"理论宣讲报告会{i}", "kind": rng.choice(("report_meeting", "seminar", "lecture", "forum")), "date": _iso(day),
           "organizer_unit": rng.choice(town.villages + town.offices[1:2]), "organizer": rng.choice(town.persons), "audience": rng.randint(20, 200)}
    if day < d.start + dt.timedelta(days=d.span):  # held already: approved and filed beforehand (by a leader)
        before = max(d.start, day - dt.timedelta(days=rng.randint(3, 20)))
        row.update(approver=town.leaders[1], approved_on=_iso(before), filed_on=_iso(before), filing_no=f"宣备〔{d.year}〕{i}号")
    return row


def _study(town, d, rng, i):
    return {"date": _iso(d.past()), "topic": f"中心组学习{i}", "ideology": rng.random() < 0.6, "presenter": town.leaders[0],
            "attendees": town.leaders, "hours": 2, "unit": town.unit}


def _meeting(town, d, rng, i):
    return {"date": _iso(d.past()), "title": f"党委会{i}", "topics": "研究意识形态工作", "ideology_on_agenda": i % 3 != 2,
            "chair": town.leaders[0], "attendees": town.leaders, "unit": town.unit}


def _analysis(town, d, rng, i):
    row = {"date": _iso(d.past()), "topics": f"意识形态形势研判{i}", "chair": town.leaders[0], "participants": town.leaders,
           "situation": "总体平稳", "measures": "加强阵地管理"}
    if town.meetings and rng.random() < 0.5:  # at a committee meeting (one with ideology on its agenda): dated that day
        row["meeting"], row["date"] = rng.choice(town.meetings)
    return row


def _training(town, d, rng, i):
    return {"date": _iso(d.past()), "topic": f"宣传干部培训{i}", "ideology": True, "attendees": _attendees(town, rng), "hours": 4,
            "unit": rng.choice(town.units)}


def _inspection(town, d, rng, i):
    return {"date": _iso(d.past()), "topic": f"意识形态工作自查{i}", "unit": rng.choice(town.units),
            "responsible": town.leaders[1]}


def _supervision(town, d, rng, i):
    day = d.past()
    briefed = day + dt.timedelta(days=rng.randint(1, 10))
    row = {"date": _iso(day), "unit": rng.choice(town.villages), "by": town.leaders[1:3], "method": ["records", "on_site"], "problems": 0}
    if briefed <= d.start + dt.timedelta(days=d.span):  # its results briefed within days
        row.update(briefed_on=_iso(briefed), briefed_to="全镇干部大会")
    return row


def _incident(town, d, rng, i):
    day = d.past()
    return {"found_on": _iso(day), "source": "网络巡查", "summary": f"网络舆情{i}", "level": "ordinary", "unit": rng.choice(town.villages),
            "responsible": town.leaders[1], "handled_on": _iso(day), "handling": "已处置"}


def _publication(town, d, rng, i):
    reviewers = rng.sample(town.persons[len(LEADERS):], 2)  # the final review is a leader's
    return {"outlet": rng.choice(town.outlets), "title": f"村广播稿{i}", "published_on": _iso(d.past()), "author": rng.choice(town.persons),
            "first_reviewer": reviewers[0], "second_reviewer": reviewers[1], "final_reviewer": rng.choice(town.leaders)}


def _review(town, d, rng, i):
    return {"outlet": town.outlets[i % len(town.outlets)], "date": _iso(d.past()), "reviewer": town.leaders[1], "result": "ok"}


def _act(town, d, rng, i):
    return {"date": _iso(d.past()), "person": town.leaders[0], "kind": rng.choice(("deploy", "inquire", "handle", "criticise")),
            "matter": f"亲自部署意识形态工作{i}"}


def _briefing(town, d, rng, i):
    return {"date": _iso(d.past()), "topic": f"意识形态工作通报{i}", "includes_ideology": True, "unit": town.unit}


def _superior(town, d, rng, i):
    return {"date": _iso(d.past()), "title": f"向县委报告意识形态工作{i}", "includes_ideology": True, "unit": town.unit}


def _liaison(town, d, rng, i):
    return {"date": _iso(d.past()), "kind": "visit", "topic": f"走访联系专家{i}", "contacts": [town.contacts[i % len(town.contacts)]],
            "cadre": town.leaders[1]}


def _duty_item(town, d, rng, i):
    return {"title": f"责任清单事项{i}", "owner": rng.choice(town.leaders), "area": rng.choice(("leadership", "positions", "team")),
            "unit": rng.choice(town.units), "due": f"{d.year}-12-31", "status": "in_progress"}


MIX: tuple[tuple[str, float, Callable], ...] = (
    ("event", 0.10, _event), ("study_session", 0.03, _study), ("committee_meeting", 0.03, _meeting), ("analysis", 0.03, _analysis),
    ("training", 0.07, _training), ("self_inspection", 0.03, _inspection), ("supervision", 0.04, _supervision),
    ("opinion_incident", 0.05, _incident), ("publication", 0.33, _publication), ("outlet_review", 0.10, _review),
    ("first_responsible_act", 0.03, _act), ("briefing", 0.03, _briefing), ("superior_report", 0.02, _superior),
    ("liaison_activity", 0.06, _liaison), ("duty_item", 0.05, _duty_item),
)


def year_records(ledger, leader_ledger, town: Town, year: int, n: int, today: dt.date, rng: random.Random,
                 progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """``n`` records of ``year`` for ``town``: its appraisals and duty reports (one a person, one a
    secretary), the rest spread over MIX. Returns the count per type."""
    d = Days(year, today, rng)
    made: dict[str, int] = {}

    def write(type_name: str, rows: list[dict], by=ledger) -> list[str]:
        ids: list[str] = []
        for start in range(0, len(rows), 5000):
            ids += by.create_many(type_name, rows[start:start + 5000])
            if progress:
                progress(len(rows[start:start + 5000]))
        made[type_name] = made.get(type_name, 0) + len(ids)
        return ids

    appraised = town.persons[:max(0, min(len(town.persons), n // 20))]
    write("appraisal", [{"person": p, "year": year, "ideology_assessed": True, "ideology_score": 90, "grade": "competent",
                         "appraised_on": f"{year}-01-20"} for p in appraised])
    secretaries = town.leaders + [town.persons[len(LEADERS) + 2 * v] for v in range(len(town.villages))]
    secretaries = secretaries[:max(0, n - len(appraised))]
    write("duty_report", [{"person": p, "year": year, "date": f"{year}-01-25", "includes_ideology": True} for p in secretaries])
    yearly = [("life_meeting", {"date": f"{year}-01-28", "title": "民主生活会", "includes_ideology": True, "attendees": town.leaders, "unit": town.unit}),
              ("congress_report", {"date": f"{year}-03-10", "title": "向党代会报告工作", "includes_ideology": True, "unit": town.unit})]
    for type_name, row in yearly[:max(0, n - len(appraised) - len(secretaries))]:
        write(type_name, [row])
    rest = n - sum(made.values())
    total = sum(share for _, share, _ in MIX)
    counts = [int(rest * share / total) for _, share, _ in MIX]
    counts[MIX.index(next(m for m in MIX if m[0] == "publication"))] += rest - sum(counts)
    for (type_name, _, maker), count in zip(MIX, counts):
        if count <= 0:
            continue
        rows = [maker(town, d, rng, i) for i in range(count)]
        ids = write(type_name, rows, by=leader_ledger if type_name == "event" else ledger)
        if type_name == "committee_meeting":
            town.meetings = [(rid, row["date"]) for rid, row in zip(ids, rows) if row["ideology_on_agenda"]]
    return made


@dataclass
class County:
    towns: list[Town]
    records: int            # records in the store (all towns, the directory included)
    by_type: dict[str, int]
    seconds: float


def build(ledger, leader_ledger, towns: int, per_town: int, year: int, today: dt.date, *, seed: int = 19,
          log: Callable[[str], None] = print) -> County:
    """``towns`` towns of ``per_town`` records each (directory included) for ``year``."""
    rng = random.Random(seed)
    started = time.perf_counter()
    out: list[Town] = []
    by_type: dict[str, int] = {}
    written = 0
    for t in range(towns):
        town, n_dir = directory(ledger, t, per_town, year, rng)
        made = year_records(ledger, leader_ledger, town, year, max(0, per_town - n_dir), today, rng)
        for k, v in made.items():
            by_type[k] = by_type.get(k, 0) + v
        written += n_dir + sum(made.values())
        out.append(town)
        elapsed = time.perf_counter() - started
        log(f"  town {t + 1}/{towns} {town.name}: {n_dir + sum(made.values()):,} records · {written:,} in all · "
            f"{elapsed:.0f} s ({written / max(elapsed, 1e-9):,.0f}/s)")
    return County(out, written, by_type, time.perf_counter() - started)


def grow(ledger, leader_ledger, county: County, target: int, year: int, today: dt.date, *, seed: int = 20,
         log: Callable[[str], None] = print) -> float:
    """Earlier years of every town (year - 1, year - 2, …: the same mix, each year's agreements)
    until the store holds ``target`` records. Returns the seconds it took."""
    rng = random.Random(seed)
    started, before = time.perf_counter(), county.records
    per_year = max(1, county.records // max(1, len(county.towns)))
    back = 1
    while county.records < target:
        for town in county.towns:
            if county.records >= target:
                break
            n = min(per_year, target - county.records)
            past = year - back
            made = year_records(ledger, leader_ledger, town, past, n, today, rng)
            county.records += sum(made.values())
            for k, v in made.items():
                county.by_type[k] = county.by_type.get(k, 0) + v
        elapsed = time.perf_counter() - started
        log(f"  grown to {county.records:,} records ({back} earlier year(s)) · {elapsed:.0f} s "
            f"({(county.records - before) / max(elapsed, 1e-9):,.0f}/s)")
        back += 1
    return time.perf_counter() - started
