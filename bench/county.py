"""A county on PostgreSQL (issue 19): twenty towns of 5,000 records a year in one store, checked,
shown side by side, sent a town's signed bundle, grown to a million records and written by fifty
operators at once.

    python bench/county.py                                  # the issue's sizes (about 15 minutes)
    python bench/county.py --towns 4 --per-town 1000 --scoped-records 20000 --writers 8 --seconds 10 --no-readme
    python bench/county.py --store sqlite --towns 2 --per-town 300 --scoped-records 1000 --writers 3 --seconds 2 \
        --runs 1 --skip-tui --no-readme                    # a smoke run (tests/test_bench_county.py)

Steps, in one run, on a PostgreSQL schema of its own (--pg, default the local server; dropped at
the end unless --keep):
  build     --towns towns of --per-town records each (bench/county_data.py: offices, villages,
            persons, leaders, outlets, then the year's records over the types the rules read),
            through the ledger in bulk (create_many), the progress printed;
  (1) check `duty check --town all` as an operator runs it (a subprocess, wall time), twice over:
            cold (an empty cache folder each run: nothing kept, as the first run of a day) and
            warm (the folder a cold run filled, then one record of one town changed through the
            ledger before each run: that town is computed again, the others are kept;
            duty_tui.standing_cache); the towns checked one after another in this process
            (chosen_towns + run_rules, nothing kept, no worker processes), and every record read
            once through the ledger (what a check that reads each record cannot go below);
  (2) TUI   the county dashboard (the palette's "Towns side by side") in a real pty, beside a
            bare Textual app's first paint measured in the same run, interleaved: exec to the
            dashboard, then Enter on the palette's entry to the towns' rows drawn with their data,
            cold (an empty cache folder) and warm (the cache the cold run's screen filled, one
            town changed since: its row shows its last standing marked ~ until it is computed
            again; also timed: Enter → every town current); and the county screen's data
            (present.county.build_county) built in this process, cold and warm;
  (3) bundle a town of --per-town records on its own SQLite store: `duty bundle export` there,
            `duty bundle trust` and `duty bundle import` into the county (wall times);
  (4) scoped the store grown to --scoped-records records (earlier years of every town), then a
            village clerk's first page of events and of appraisals (a type whose unit is its
            person's) through the ledger (median of --samples, each in a new ledger as a session's
            first page is), and `duty --as CLERK list` (wall);
  (5) writers --writers processes, each a clerk bound to a village of its own editing that
            village's events (and a tenth of them, bound to the first town, editing the same
            three records, to provoke conflicts), update with expected_version for --seconds:
            throughput, p50/p95 latency, conflicts; then from the audit: every acknowledged
            write present with its version and value, each record's versions contiguous.

A target missed is profiled with --profile DIR (cProfile of the in-process check, the county
screen's data and a scoped page; the top of each printed and its .pstats kept there).
Results are appended to bench/README.md with the date, the machine and the load average.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import county_data as data  # noqa: E402
from tui_startup import DASHBOARD_MARKER, FLOOR_APP, FLOOR_MARKER, PtyProcess, append_readme, compile_sources, first_paint  # noqa: E402

TARGETS = {"check": 2.0, "dashboard": 3.0, "import": 5.0, "page": 50.0, "lost": 0}
COUNTY_ROWS = re.compile(rb"the towns side by side \(\d+\)")  # the county screen's title once every town has a row with figures
# ... and once every town is current: after the count no " · updating k/n" but the title's padding
# (two spaces, whatever styles come between; while updating, the count is followed by " · ")
COUNTY_CURRENT = re.compile(rb"the towns side by side \(\d+\)(?:\x1b\[[0-9;]*m)* (?:\x1b\[[0-9;]*m)* ")
COUNTY_FIRST = re.compile(rb"Reading the towns|the towns side by side \(\d+\)")  # the county screen's title, whatever it says
SHARED_TARGETS = 3  # records the shared writers all edit


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def ms(seconds: float) -> float:
    return seconds * 1000


# -- the store ---------------------------------------------------------------------------------------

def pg_base(url: str) -> str:
    return url


@contextlib.contextmanager
def county_store(args, folder: Path):
    """The county's store URL: a PostgreSQL schema of its own (dropped afterwards unless --keep),
    or a SQLite file (--store sqlite, for a smoke run)."""
    if args.store == "sqlite":
        yield f"sqlite:///{folder / 'county.db'}"
        return
    import psycopg

    schema = args.schema or f"bench_county_{os.getpid()}"
    sep = "&" if "?" in args.pg else "?"
    url = f"{args.pg}{sep}schema={schema}"
    with psycopg.connect(args.pg, autocommit=True) as conn:
        if not args.reuse:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    try:
        yield url
    finally:
        if not args.keep:
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            log(f"dropped the schema {schema}")
        else:
            log(f"kept the schema {schema} (--keep): {url}")


def analyse(url: str, pg: str) -> None:
    """ANALYZE the schema's tables, as autovacuum would after a bulk load (bench/storage.py does the same)."""
    if not url.startswith("postgresql"):
        return
    import psycopg

    schema = url.rsplit("schema=", 1)[1]
    with psycopg.connect(pg, autocommit=True) as conn:
        for (table,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)).fetchall():
            conn.execute(f'ANALYZE "{schema}"."{table}"')


def open_ledger(url: str, login: str | None = None):
    from duty_tui.identity import os_login
    from duty_tui.ledger import Ledger
    from duty_tui.registry import load_registry
    from duty_tui.store import open_store

    registry = load_registry()
    return Ledger.for_login(open_store(url, registry), registry, login or os_login())


def initialise(url: str):
    from duty_tui.identity import os_login
    from duty_tui.ledger import Ledger
    from duty_tui.registry import load_registry
    from duty_tui.store import open_store

    registry = load_registry()
    ledger = Ledger.initialise(open_store(url, registry), registry, os_login())  # the operator running the bench is the admin
    ledger.set_setting("org.name", data.COUNTY)
    ledger.add_user(data.BUILDER_LEADER, "leader")
    return ledger, Ledger.for_login(ledger.store, registry, data.BUILDER_LEADER)


def duty_env(url: str, folder: Path) -> dict[str, str]:
    return {"DUTY_DB": url, "DUTY_CONFIG": str(folder / "no-config.toml"), "DUTY_LANG": "en",
            "DUTY_CACHE_DIR": str(folder / "cache"), "DUTY_ANCHOR": str(folder / "anchors.json")}


def duty(url: str, folder: Path, *args: str, login: str | None = None, check: bool = True,
         cache: Path | None = None) -> tuple[float, subprocess.CompletedProcess]:
    """``duty ARGS`` as an operator runs it: (wall seconds, the finished process); ``cache``: its
    cache folder (default the run's)."""
    argv = [sys.executable, "-m", "duty_tui", *(["--as", login] if login else []), *args]
    env = {**os.environ, **duty_env(url, folder), **({"DUTY_CACHE_DIR": str(cache)} if cache else {})}
    env.pop("DUTY_FRESH", None)
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the process and the workers it waited for
    done.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if check and done.returncode not in (0, 1):  # 1: the check found errors
        raise RuntimeError(f"duty {' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-800:]}")
    return wall, done


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def percentile(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def profiled(name: str, fn, folder: Path | None, top: int = 18):
    """``fn()``, under cProfile when ``folder`` is given: the top functions by cumulative time
    printed, the stats kept as ``folder/name.pstats``."""
    if folder is None:
        return fn()
    folder.mkdir(parents=True, exist_ok=True)
    prof = cProfile.Profile()
    out = prof.runcall(fn)
    path = folder / f"{name}.pstats"
    prof.dump_stats(path)
    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(top)
    log(f"--- profile of {name} (cumulative; {path}) ---\n" + "\n".join(text.getvalue().splitlines()[6:]))
    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(top)
    log(f"--- profile of {name} (own time) ---\n" + "\n".join(text.getvalue().splitlines()[6:]))
    return out


# -- (1) duty check --town all ----------------------------------------------------------------------

def check_in_process(url: str, year: int):
    """What `duty check --town all` does, in this process: (seconds, findings, seconds per town)."""
    from duty_tui.county import chosen_towns
    from duty_tui.rules import run_rules

    ledger = open_ledger(url)
    started = time.perf_counter()
    per_town, findings = [], 0
    for town in chosen_towns(ledger, "all", year):
        t0 = time.perf_counter()
        findings += len(run_rules(town.ledger, year))
        per_town.append(time.perf_counter() - t0)
    seconds = time.perf_counter() - started
    ledger.store.close()
    return seconds, findings, per_town


def read_everything(url: str) -> tuple[float, int]:
    """Every record of the store read once through the ledger, type by type (what a check that
    reads each record once cannot go below): (seconds, records)."""
    ledger = open_ledger(url)
    started = time.perf_counter()
    n = sum(len(ledger.all(name)) for name in ledger.registry.types)
    seconds = time.perf_counter() - started
    ledger.store.close()
    return seconds, n


_changes = [0]


def empty_folder(path: Path) -> Path:
    """``path`` emptied (a folder of an earlier run, --folder given, must not make a cold run warm)."""
    shutil.rmtree(path, ignore_errors=True)
    return path


def change_a_town(url: str, year: int) -> str:
    """One record of one town changed through the ledger, as an operator's edit (a person's
    notes), a different town each time: the town's unit."""
    from duty_tui.county import chosen_towns

    ledger = open_ledger(url)
    found = chosen_towns(ledger, "all", year)
    town = found[_changes[0] % len(found)]
    _changes[0] += 1
    person = ledger.narrowed(town.unit).query("person", limit=1)[0]
    ledger.update(person.id, {"notes": f"bench change {_changes[0]} at {time.time():.3f}"})
    ledger.store.close()
    return town.unit


def kept_check_in_process(url: str, year: int, cache: Path) -> tuple[float, list[str]]:
    """The check as `duty check --town all` makes it, in this process with ``cache``: (seconds,
    the towns computed, not kept)."""
    from duty_tui import standing_cache
    from duty_tui.county import check_towns, chosen_towns

    os.environ["DUTY_CACHE_DIR"] = str(cache)
    ledger = open_ledger(url)
    standing_cache.computed.clear()
    started = time.perf_counter()
    check_towns(ledger, chosen_towns(ledger, "all", year), year)
    seconds = time.perf_counter() - started
    ledger.store.close()
    return seconds, [unit for _, unit in standing_cache.computed]


def measure_check(url: str, folder: Path, year: int, runs: int, profile: Path | None) -> dict:
    check = ("check", "--town", "all", "--year", str(year))
    _, as_json = duty(url, folder, *check, "--json", cache=empty_folder(folder / "cache-check-first"))  # also warms the OS's file cache
    found = json.loads(as_json.stdout)
    cold, warm, changed, cold_cpu, warm_cpu = [], [], [], [], []
    for i in range(runs):
        wall, done = duty(url, folder, *check, cache=empty_folder(folder / f"cache-check-cold-{i}"))  # nothing kept
        cold.append(wall)
        cold_cpu.append(done.cpu)
    kept = folder / "cache-check-cold-0"  # what the first cold run kept
    for _ in range(runs):
        changed.append(change_a_town(url, year))
        wall, done = duty(url, folder, *check, cache=kept)
        warm.append(wall)
        warm_cpu.append(done.cpu)
    change_a_town(url, year)
    seconds, computed = kept_check_in_process(url, year, kept)
    inproc = [check_in_process(url, year) for _ in range(min(runs, 2))]
    read = read_everything(url)
    out = {"wall": cold, "warm": warm, "cold_cpu": cold_cpu, "warm_cpu": warm_cpu, "warm_in_process": seconds, "warm_computed": computed, "exit": done.returncode,
           "towns": len(found["towns"]), "findings": sum(len(t["findings"]) for t in found["towns"]),
           "in_process": [s for s, _, _ in inproc], "per_town": inproc[-1][2], "read_all": read}
    if profile is not None or median(cold) > TARGETS["check"]:
        profiled("check", lambda: check_in_process(url, year), profile or folder / "profiles")
    return out


# -- (2) the county dashboard -------------------------------------------------------------------------

def county_landing(url: str, folder: Path, cache: Path | None = None) -> tuple[float, float, float, float]:
    """One `duty` in a pty, as the county's operator (bound to no unit, a store of 20 towns) starts
    it: it opens on the county screen. (exec → the county screen's first paint, exec → every
    town's row drawn (kept ones at once), exec → every town current, Esc → the main dashboard
    drawn: the whole county's counts, read only now). ``cache``: its cache folder."""
    p = PtyProcess([sys.executable, "-m", "duty_tui"], {**duty_env(url, folder), **({"DUTY_CACHE_DIR": str(cache)} if cache else {})})
    try:
        first = p.read_until(COUNTY_FIRST, timeout=180) - p.started
        rows = p.read_until(COUNTY_ROWS, timeout=300) - p.started
        current = p.read_until(COUNTY_CURRENT, timeout=300) - p.started
        time.sleep(0.3)
        mark = p.send(b"\x1b")  # Esc: the main dashboard, under the county screen
        sent = time.perf_counter()
        main = p.read_until(DASHBOARD_MARKER, since=mark, timeout=180) - sent
        return first, rows, current, main
    finally:
        p.close()


def county_data_in_process(url: str, year: int, cache: Path | None = None) -> float:
    """The county screen's data built in this process: nothing kept (``cache`` None), or with the
    cache folder ``cache`` (the seconds until every town is current)."""
    from duty_tui.county import standing_cache_of, towns
    from duty_tui.present.county import build_county

    ledger = open_ledger(url)
    if cache is not None:
        os.environ["DUTY_CACHE_DIR"] = str(cache)
    started = time.perf_counter()
    kept = standing_cache_of(ledger, True) if cache is not None else None
    build_county(towns(ledger, year), year, ledger.today(), registry=ledger.registry, cache=kept, ledger=ledger)
    seconds = time.perf_counter() - started
    ledger.store.close()
    return seconds


def measure_dashboard(url: str, folder: Path, year: int, runs: int, profile: Path | None) -> dict:
    floor_script = folder / "floor_app.py"
    floor_script.write_text(FLOOR_APP, encoding="utf-8")
    floor_argv = [sys.executable, str(floor_script)]
    first_paint(floor_argv, FLOOR_MARKER, {})  # warm the file cache (duty's is warm from the check's runs)
    floor: list[float] = []
    cold: dict[str, list[float]] = {"first": [], "rows": [], "current": [], "main": []}
    warm: dict[str, list[float]] = {"first": [], "rows": [], "current": [], "main": []}
    kept = folder / "cache-tui-cold-0"  # what the first cold run's county screen kept
    for i in range(runs):  # interleaved, so drift in the machine's load hits both alike
        floor.append(first_paint(floor_argv, FLOOR_MARKER, {}))
        for key, value in zip(cold, county_landing(url, folder, empty_folder(folder / f"cache-tui-cold-{i}"))):  # nothing kept
            cold[key].append(value)
        town = change_a_town(url, year)
        for key, value in zip(warm, county_landing(url, folder, kept)):  # kept, one town changed since
            warm[key].append(value)
        log(f"  run {i + 1}/{runs}: floor {floor[-1]:.3f} s · cold: first paint {cold['first'][-1]:.3f}, rows {cold['rows'][-1]:.3f} · "
            f"warm ({town} changed): first paint {warm['first'][-1]:.3f}, rows {warm['rows'][-1]:.3f}, all current {warm['current'][-1]:.3f} · "
            f"Esc → main dashboard {warm['main'][-1]:.3f} (load {load()})")
    in_proc = [county_data_in_process(url, year) for _ in range(max(1, runs // 2))]
    change_a_town(url, year)
    warm_in_proc = county_data_in_process(url, year, kept)
    ratio = median(warm["rows"]) / median(floor)
    if profile is not None or ratio > TARGETS["dashboard"]:
        profiled("county_screen_data", lambda: county_data_in_process(url, year), profile or folder / "profiles")
    return {"floor": floor, "cold": cold, "warm": warm, "in_process": in_proc, "warm_in_process": warm_in_proc}


# -- (3) one town's bundle ------------------------------------------------------------------------------

def measure_bundle(url: str, folder: Path, per_town: int, year: int, t: int) -> dict:
    """A town on its own SQLite store: built, keyed, exported; registered and imported into the county."""
    from duty_tui.identity import os_login
    from duty_tui.ledger import Ledger
    from duty_tui.registry import load_registry
    from duty_tui.store import open_store
    import random

    town_url = f"sqlite:///{folder / 'town.db'}"
    registry = load_registry()
    ledger = Ledger.initialise(open_store(town_url, registry), registry, os_login())
    ledger.add_user(data.BUILDER_LEADER, "leader")
    leader = Ledger.for_login(ledger.store, registry, data.BUILDER_LEADER)
    name = data.town_name(t)
    ledger.set_setting("org.name", name)
    rng = random.Random(t)
    town, n_dir = data.directory(ledger, t, per_town, year, rng)
    made = data.year_records(ledger, leader, town, year, max(0, per_town - n_dir), ledger.today(), rng)
    records = n_dir + sum(made.values())
    ledger.store.close()
    key = folder / "town.key"
    duty(town_url, folder, "bundle", "keygen", "-o", str(key))
    bundle = folder / "town.zip"
    export_wall, _ = duty(town_url, folder, "bundle", "export", "--year", str(year), "-o", str(bundle), "--key", str(key),
                          "--anchor-file", str(folder / "no-anchor.json"))
    county = open_ledger(url)
    county.create("unit", {"name": name, "kind": "committee"})
    county.store.close()
    duty(url, folder, "bundle", "trust", "--town", name, "--key", str(key) + ".pub")
    import_wall, done = duty(url, folder, "bundle", "import", str(bundle), "--json")
    result = json.loads(done.stdout)
    assert result["status"] == "created" and result["records"] == records, (result, records)
    again_wall, done = duty(url, folder, "bundle", "import", str(bundle), "--json")
    assert json.loads(done.stdout)["status"] == "unchanged", done.stdout
    return {"records": records, "size": bundle.stat().st_size, "export": export_wall, "import": import_wall, "again": again_wall,
            "steps": done.stderr.strip().replace("\n", " | ")}


# -- (4) a scoped page at a million records ---------------------------------------------------------------

def timed_ms(fn, samples: int) -> list[float]:
    out = []
    for _ in range(samples):
        started = time.perf_counter()
        fn()
        out.append(ms(time.perf_counter() - started))
    return out


def measure_scoped(url: str, folder: Path, clerk: str, year: int, samples: int, profile: Path | None) -> dict:
    from duty_tui.ledger import Ledger

    admin = open_ledger(url)
    store, registry = admin.store, admin.registry

    def first_page(type_name: str, **kw):
        def run():
            ledger = Ledger.for_login(store, registry, clerk)  # a session's first page: the unit tree read too
            rows = ledger.query(type_name, limit=50, **kw)
            refs = [f.name for f in ledger.type(type_name).fields if f.target]  # the titles the page shows for its references
            ledger.titles({v for r in rows for n in refs for v in (r.data.get(n) if isinstance(r.data.get(n), (list, tuple)) else [r.data.get(n)]) if v})
            return rows
        return run

    def count(type_name: str, **kw):
        return lambda: Ledger.for_login(store, registry, clerk).count(type_name, **kw)

    clerk_ledger = Ledger.for_login(store, registry, clerk)
    cases = {
        "events of the year, first page": (first_page("event", year=year), clerk_ledger.count("event", year=year)),
        "events, all years, first page": (first_page("event"), clerk_ledger.count("event")),
        "appraisals of the year, first page": (first_page("appraisal", year=year), clerk_ledger.count("appraisal", year=year)),
        "appraisals, all years, first page": (first_page("appraisal"), clerk_ledger.count("appraisal")),
        "count of the year's events": (count("event", year=year), None),
        "count of the year's appraisals": (count("appraisal", year=year), None),
    }
    out = {}
    for name, (fn, n) in cases.items():
        fn()  # warm
        out[name] = {"ms": timed_ms(fn, samples), "rows": n}
    worst = max(median(v["ms"]) for k, v in out.items() if "first page" in k)
    if profile is not None or worst > TARGETS["page"]:
        slowest = max((k for k in out if "first page" in k), key=lambda k: median(out[k]["ms"]))
        profiled("scoped_page", lambda: [cases[slowest][0]() for _ in range(5)], profile or folder / "profiles")
    total = admin.count("event") + 0
    store.close()
    cli = {}
    for type_name in ("event", "appraisal"):
        duty(url, folder, "list", type_name, "--year", str(year), login=clerk)
        walls = [duty(url, folder, "list", type_name, "--year", str(year), login=clerk)[0] for _ in range(3)]
        cli[f"duty --as {clerk} list {type_name} --year {year}"] = walls
    return {"cases": out, "cli": cli, "events_in_store": total}


# -- (5) fifty writers ------------------------------------------------------------------------------------

def worker(url: str, login: str, out_path: str, think_ms: float, ids: list[str]) -> None:
    """One operator: as ``login`` (a clerk bound to a unit), edit ``ids`` round and round with the
    version last read, until the deadline given on stdin. Every acknowledged write is a line
    ``A id version note ms`` (written after the call returned), a refused one ``C id ms``."""
    import random

    from duty_tui.errors import Conflict

    ledger = open_ledger(url, login)
    rng = random.Random(login)
    out = open(out_path, "w", buffering=1, encoding="utf-8")
    for rid in ids:  # the account may see them: a wrong scope fails here, before the clock starts
        ledger.get(rid)
    print("READY", flush=True)
    line = sys.stdin.readline().split()
    deadline = float(line[1])
    n = 0
    while time.time() < deadline:
        rid = rng.choice(ids)
        current = ledger.get(rid)
        if think_ms:
            time.sleep(rng.uniform(0, think_ms) / 1000)
        n += 1
        note = f"{login}#{n}"
        started = time.perf_counter()
        try:
            done = ledger.update(rid, {"notes": note}, expected_version=current.version)
        except Conflict:
            out.write(f"C {rid} {ms(time.perf_counter() - started):.2f}\n")
            continue
        out.write(f"A {rid} {done.version} {note} {ms(time.perf_counter() - started):.2f}\n")
    out.close()
    ledger.store.close()


def writer_accounts(url: str, towns: list[data.Town], writers: int, year: int) -> list[tuple[str, list[str]]]:
    """(login, the ids it edits) for each writer: a tenth (at least one) clerks bound to the first
    town editing the same three records; the others each a clerk of a village of its own
    (villages taken town by town in turn) editing up to twenty of that village's events."""
    from duty_tui.store import Filter

    admin = open_ledger(url)
    shared_n = max(1, writers // 10) if writers > 1 else 0
    villages = [t.villages[i] for i in range(max(len(t.villages) for t in towns)) for t in towns if i < len(t.villages)]
    if writers - shared_n > len(villages):
        raise SystemExit(f"--writers {writers}: only {len(villages)} villages for the village writers")
    first = towns[0]
    shared = [r.id for r in admin.query("event", where={"organizer_unit": first.offices[1]}, year=year, limit=SHARED_TARGETS)]
    if shared_n and len(shared) < 1:
        shared = [r.id for r in admin.query("event", filters=(Filter("organizer_unit", "in", tuple(first.units)),), limit=SHARED_TARGETS)]
    out = []
    for i in range(writers - shared_n):
        village = villages[i]
        login = f"w{i:02d}"
        town = next(t for t in towns if village in t.villages)
        admin.add_user(login, "clerk", town.clerks[village], unit=village)
        ids = [r.id for r in admin.query("event", where={"organizer_unit": village}, year=year, limit=20)]
        if not ids:
            ids = [r.id for r in admin.query("event", where={"organizer_unit": village}, limit=20)]
        out.append((login, ids))
    for i in range(shared_n):
        login = f"s{i:02d}"
        admin.add_user(login, "clerk", first.leaders[1], unit=first.unit)
        out.append((login, shared))
    admin.store.close()
    return [(login, ids) for login, ids in out if ids]


def measure_writers(url: str, folder: Path, towns: list[data.Town], writers: int, seconds: float, year: int, think_ms: float) -> dict:
    accounts = writer_accounts(url, towns, writers, year)
    admin = open_ledger(url)
    head_before = admin.audit_count()
    admin.store.close()
    procs = []
    for login, ids in accounts:
        out_path = folder / f"writer-{login}.txt"
        argv = [sys.executable, str(Path(__file__).resolve()), "--worker", url, login, str(out_path), str(think_ms), *ids]
        procs.append((login, out_path, subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                        text=True, env={**os.environ, **duty_env(url, folder)})))
    log(f"  {len(procs)} writer processes starting (load {load()})")
    for login, _, p in procs:
        line = p.stdout.readline()
        if line.strip() != "READY":
            raise RuntimeError(f"writer {login} did not start: {line!r} {p.stderr.read()[-800:]}")
    start = time.time() + 1.0
    deadline = start + seconds
    for _, _, p in procs:
        p.stdin.write(f"GO {deadline}\n")
        p.stdin.flush()
    sampler = LoadSampler()
    sampler.start()
    errors = []
    for login, _, p in procs:
        _, err = p.communicate(timeout=seconds + 120)
        if p.returncode != 0:
            errors.append(f"{login} exited {p.returncode}: {err.strip()[-400:]}")
    sampler.stop()
    acked: list[tuple[str, int, str, float]] = []
    conflicts: list[float] = []
    for login, out_path, _ in procs:
        for line in out_path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if parts[0] == "A":
                acked.append((parts[1], int(parts[2]), parts[3], float(parts[4])))
            elif parts[0] == "C":
                conflicts.append(float(parts[2]))
    check_started = time.perf_counter()
    lost = lost_updates(url, acked, head_before, {login for login, _ in accounts})
    lost["check_seconds"] = time.perf_counter() - check_started
    latencies = [a[3] for a in acked]
    return {"writers": len(procs), "shared": sum(1 for login, _ in accounts if login.startswith("s")), "seconds": seconds,
            "acked": len(acked), "conflicts": len(conflicts), "p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99), "max": max(latencies, default=float("nan")), "errors": errors, "load": sampler.peak, **lost}


class LoadSampler(threading.Thread):
    """The 1-minute load average while the writers run (its highest)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0.0
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(2.0):
            self.peak = max(self.peak, os.getloadavg()[0])

    def stop(self):
        self.done.set()
        self.join()


def lost_updates(url: str, acked: list[tuple[str, int, str, float]], head_before: int, logins: set[str]) -> dict:
    """Held against the audit: every acknowledged (record, version, value) is an entry of that
    record; each record's versions run 1, 2, … with no gap or repeat, the store's version the
    last; and no write by the writers was committed without being acknowledged."""
    admin = open_ledger(url)
    by_record: dict[str, dict[int, str]] = {}
    for rid, version, note, _ in acked:
        by_record.setdefault(rid, {})[version] = note
    missing, gaps, unacked = [], [], 0
    for rid, wanted in by_record.items():
        history = admin.history(rid)
        versions, seen = [], {}
        for e in history:
            after = json.loads(e.after) if e.after else None
            if after is None:
                continue
            versions.append(after["version"])
            seen[after["version"]] = after.get("notes")
            if e.seq > head_before and e.actor in logins and after["version"] not in wanted:
                unacked += 1
        if versions != list(range(1, len(versions) + 1)) or admin.get(rid).version != len(versions):
            gaps.append(rid)
        missing += [(rid, v) for v, note in wanted.items() if seen.get(v) != note]
    chain_started = time.perf_counter()
    chain = admin.verify_audit()
    chain_seconds = time.perf_counter() - chain_started
    admin.store.close()
    return {"records": len(by_record), "lost": len(missing), "lost_examples": missing[:5], "gaps": len(gaps),
            "gap_examples": gaps[:5], "unacked": unacked, "chain_ok": chain.ok, "chain_seconds": chain_seconds}


# -- the table ---------------------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(args, built: dict, results: dict) -> list[str]:
    lines = [f"county: {args.towns} towns × {args.per_town:,} records ({built['records']:,} records, built in {built['seconds']:.0f} s, "
             f"{built['rate']:,.0f}/s through create_many) on {built['backend']}; year {args.year}; load average at the start {built['load']}"]
    rows = [("figure", "target", "measured", "")]
    if "check" in results:
        c = results["check"]
        w = median(c["wall"])
        rows.append(("(1) duty check --town all, wall, cold: nothing kept (median of %d)" % len(c["wall"]), f"< {TARGETS['check']:.0f} s", f"{w:.2f} s", verdict(w < TARGETS["check"])))
        if c.get("cold_cpu"):
            rows.append(("    its CPU (the process and its workers, not the server's)", "", f"{median(c['cold_cpu']):.2f} s", ""))
        if c.get("warm"):
            ww = median(c["warm"])
            rows.append(("    warm: kept, one town changed since (median of %d)" % len(c["warm"]), f"< {TARGETS['check']:.0f} s", f"{ww:.2f} s", verdict(ww < TARGETS["check"])))
            rows.append(("    its CPU (the process and its workers)", "", f"{median(c['warm_cpu']):.2f} s", ""))
            rows.append(("    warm, in this process · towns computed again", "", f"{c['warm_in_process']:.2f} s · {len(c['warm_computed'])}", ""))
        rows.append(("    in one process, town after town (chosen_towns + run_rules)", "", f"{median(c['in_process']):.2f} s", ""))
        rows.append(("    towns · findings · slowest town in process", "", f"{c['towns']} · {c['findings']} · {max(c['per_town']):.2f} s", ""))
        rows.append((f"    every record read once through the ledger ({c['read_all'][1]:,})", "", f"{c['read_all'][0]:.2f} s", ""))
    if "dashboard" in results:
        d = results["dashboard"]
        floor = median(d["floor"])
        cold, warm = ({k: median(v) for k, v in d[which].items()} for which in ("cold", "warm"))

        def times(seconds: float) -> str:
            return f"{seconds:.3f} s ({seconds / floor:.2f}×)"

        rows.append(("(2) bare Textual app, exec → first paint (the floor)", "", f"{floor:.3f} s", ""))
        rows.append(("    the county's operator: duty opens on the county screen", "", "", ""))
        rows.append(("    warm (kept, one town changed): exec → first paint", "", times(warm["first"]), ""))
        rows.append(("    … exec → every town's row (the changed one marked ~)", f"≤ {TARGETS['dashboard']:.0f}×", times(warm["rows"]),
                     verdict(warm["rows"] / floor <= TARGETS["dashboard"])))
        rows.append(("    … exec → every town current (the changed one computed)", "", times(warm["current"]), ""))
        rows.append(("    cold (nothing kept): exec → first paint (towns being read)", f"≤ {TARGETS['dashboard']:.0f}×", times(cold["first"]),
                     verdict(cold["first"] / floor <= TARGETS["dashboard"])))
        rows.append(("    … exec → every town's row (each computed)", "", times(cold["rows"]), ""))
        rows.append(("    Esc → the main dashboard (the whole county's counts)", "", f"{warm['main']:.3f} s", ""))
        rows.append(("    its data in process (build_county), nothing kept", "", f"{median(d['in_process']):.2f} s", ""))
        rows.append(("    its data in process, kept, one town changed", "", f"{d['warm_in_process']:.2f} s", ""))
    if "bundle" in results:
        b = results["bundle"]
        rows.append((f"(3) duty bundle export, town of {b['records']:,} records (SQLite)", "", f"{b['export']:.2f} s ({b['size'] / 1024:.0f} KiB)", ""))
        rows.append(("    duty bundle import into the county", f"< {TARGETS['import']:.0f} s", f"{b['import']:.2f} s", verdict(b["import"] < TARGETS["import"])))
        rows.append(("    the same bundle again (unchanged)", "", f"{b['again']:.2f} s", ""))
    if "scoped" in results:
        s = results["scoped"]
        worst = max(median(v["ms"]) for k, v in s["cases"].items() if "first page" in k)
        rows.append((f"(4) a village clerk's pages at {results['scoped_records']:,} records (median of {args.samples}, ms)", f"< {TARGETS['page']:.0f} ms",
                     f"worst {worst:.1f} ms", verdict(worst < TARGETS["page"])))
        for name, v in s["cases"].items():
            rows.append((f"    {name}" + (f" (of {v['rows']:,})" if v["rows"] is not None else ""), "", f"{median(v['ms']):.1f} ms", ""))
        for name, walls in s["cli"].items():
            rows.append((f"    {name}, wall", "", f"{median(walls):.2f} s", ""))
    if "writers" in results:
        w = results["writers"]
        rows.append((f"(5) {w['writers']} writers ({w['shared']} on {SHARED_TARGETS} shared records), {w['seconds']:.0f} s", "", "", ""))
        rows.append(("    acknowledged writes · per second", "", f"{w['acked']:,} · {w['acked'] / w['seconds']:.0f}/s", ""))
        rows.append(("    latency of an update p50 / p95 / p99 / max", "", f"{w['p50']:.0f} / {w['p95']:.0f} / {w['p99']:.0f} / {w['max']:.0f} ms", ""))
        rows.append(("    conflicts (refused, stale version)", "", f"{w['conflicts']:,}", ""))
        rows.append(("    lost updates (acknowledged, not in the audit)", "= 0", f"{w['lost']}", verdict(w["lost"] == 0)))
        rows.append(("    records with a gap in their versions · unacknowledged commits", "", f"{w['gaps']} · {w['unacked']}", ""))
        rows.append(("    audit chain verified afterwards (the whole check took)", "", f"{'ok' if w['chain_ok'] else 'BROKEN'} ({w['chain_seconds']:.1f} s; {w['check_seconds']:.1f} s)", ""))
        rows.append(("    highest 1-min load average while writing", "", f"{w['load']:.1f}", ""))
        for e in w["errors"][:5]:
            lines.append(f"! {e}")
    width = max(len(r[0]) for r in rows)
    lines += [f"{a:<{width}}  {b:>8}  {c:>22}  {d}".rstrip() for a, b, c, d in rows]
    return lines


# -- main ----------------------------------------------------------------------------------------------------

def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        url, login, out_path, think = sys.argv[2:6]
        worker(url, login, out_path, float(think), sys.argv[6:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--towns", type=int, default=20)
    parser.add_argument("--per-town", type=int, default=5000, help="records of a town (its directory and a year's records)")
    parser.add_argument("--scoped-records", type=int, default=1_000_000, help="records the store is grown to for step (4)")
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the writers write")
    parser.add_argument("--think-ms", type=float, default=0.0, help="a writer's pause between reading a record and saving it (0..this, ms)")
    parser.add_argument("--pg", default=data.bench_storage().PG_URL, help="the PostgreSQL server (a schema of its own is made there)")
    parser.add_argument("--store", choices=("postgresql", "sqlite"), default="postgresql", help="sqlite: a smoke run on a file")
    parser.add_argument("--schema", help="the schema's name (default bench_county_<pid>)")
    parser.add_argument("--keep", action="store_true", help="keep the schema (and the folder) afterwards")
    parser.add_argument("--reuse", action="store_true", help="with --schema and --keep: reuse a county built by an earlier run")
    parser.add_argument("--year", type=int, default=dt.date.today().year)
    parser.add_argument("--runs", type=int, default=5, help="runs of the check and of the TUI")
    parser.add_argument("--samples", type=int, default=21, help="samples of each scoped page")
    parser.add_argument("--steps", default="check,tui,bundle,scoped,writers")
    parser.add_argument("--skip-tui", action="store_true")
    parser.add_argument("--profile", type=Path, help="profile the in-process steps into this folder (always done for a missed target)")
    parser.add_argument("--folder", type=Path, help="work folder (default: a new temporary one)")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    steps = [s for s in args.steps.split(",") if s and not (s == "tui" and args.skip_tui)]
    folder = args.folder or Path(tempfile.mkdtemp(prefix="duty-county-"))
    folder.mkdir(parents=True, exist_ok=True)
    compile_sources()
    results: dict = {}
    with county_store(args, folder) as url:
        saved = folder / "county.json"
        if args.reuse and saved.exists():
            state = json.loads(saved.read_text(encoding="utf-8"))
            towns = [data.Town(**t) for t in state["towns"]]
            built = state["built"]
            log(f"reusing the county in {url} ({built['records']:,} records)")
        else:
            log(f"building the county: {args.towns} towns × {args.per_town:,} records in {url} (load {load()})")
            ledger, leader = initialise(url)
            county = data.build(ledger, leader, args.towns, args.per_town, args.year, ledger.today(), log=log)
            ledger.store.close()
            analyse(url, args.pg)
            towns = county.towns
            built = {"records": county.records, "seconds": county.seconds, "rate": county.records / county.seconds,
                     "by_type": county.by_type, "backend": "PostgreSQL" if args.store == "postgresql" else "SQLite", "load": load(),
                     "grown": None}
            saved.write_text(json.dumps({"towns": [asdict(t) for t in towns], "built": built}, ensure_ascii=False), encoding="utf-8")
        if "check" in steps:
            log(f"(1) duty check --town all, {args.runs} runs (load {load()})")
            results["check"] = measure_check(url, folder, args.year, args.runs, args.profile)
        if "tui" in steps:
            log(f"(2) the county dashboard in a pty, {args.runs} runs beside the floor (load {load()})")
            results["dashboard"] = measure_dashboard(url, folder, args.year, args.runs, args.profile)
        if "bundle" in steps:
            log(f"(3) a town's bundle: built on SQLite, exported, imported (load {load()})")
            results["bundle"] = measure_bundle(url, folder, args.per_town, args.year, len(towns))
        if "scoped" in steps or "writers" in steps:
            if built.get("grown") is None or built["grown"] < args.scoped_records:
                log(f"(4) growing the store to {args.scoped_records:,} records (load {load()})")
                from duty_tui.ledger import Ledger

                ledger = open_ledger(url)
                leader = Ledger.for_login(ledger.store, ledger.registry, data.BUILDER_LEADER)
                county = data.County(towns, built["records"], built["by_type"], built["seconds"])
                built["grow_seconds"] = data.grow(ledger, leader, county, args.scoped_records, args.year, ledger.today(), log=log)
                ledger.store.close()
                analyse(url, args.pg)
                built["grown"] = county.records
                saved.write_text(json.dumps({"towns": [asdict(t) for t in towns], "built": built}, ensure_ascii=False), encoding="utf-8")
            results["scoped_records"] = built["grown"]
        if "scoped" in steps:
            clerk = "clerk-v1"
            admin = open_ledger(url)
            if not any(u.name == clerk for u in admin.users()):
                village = towns[0].villages[0]
                admin.add_user(clerk, "clerk", towns[0].clerks[village], unit=village)
            admin.store.close()
            log(f"    a village clerk's pages, {args.samples} samples each (load {load()})")
            results["scoped"] = measure_scoped(url, folder, clerk, args.year, args.samples, args.profile)
        if "writers" in steps:
            log(f"(5) {args.writers} writers for {args.seconds:.0f} s (load {load()})")
            results["writers"] = measure_writers(url, folder, towns, args.writers, args.seconds, args.year, args.think_ms)
    lines = report(args, built, results)
    lines.append(f"load average at the end {load()}")
    lines.append("command: python bench/county.py " + " ".join(sys.argv[1:]))
    print("\n".join(lines))
    (folder / "results.json").write_text(json.dumps({"built": built, "results": results}, default=str, ensure_ascii=False, indent=1))
    if not args.no_readme:
        append_readme("County (bench/county.py)", lines)
    if not args.keep and args.folder is None:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if not results.get("writers") or results["writers"]["lost"] == 0 else 1)


if __name__ == "__main__":
    main()
