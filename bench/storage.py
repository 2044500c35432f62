"""Storage benchmark: audited writes per second, query latency, size on disk and peak memory,
for each backend, beside a raw baseline measured in the same run.

    python bench/storage.py                       # sqlite + postgresql + tinydb, 10k and 100k
    python bench/storage.py --sizes 10000,100000,1000000 --backends sqlite,postgresql
    python bench/storage.py --quick               # a smoke run (1k records)

Writes: one record and its audit entry per transaction, as an operator's save is. The baseline
is the same work without the application: raw sqlite3 (WAL, synchronous=NORMAL), raw psycopg,
raw TinyDB. Queries run in a fresh process per size so peak memory is the query side's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志永福宇海波宁"
POSTS = ["党委书记", "宣传委员", "村支书", "村主任", "办公室主任", "文书", "网格员", "团委书记", "妇联主席", "Propaganda officer"]
PG_URL = os.environ.get("DUTY_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")


def person_rows(n: int, units: list[str], seed: int = 7):
    rng = random.Random(seed)
    for i in range(n):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        yield {"name": name, "unit": rng.choice(units), "post": rng.choice(POSTS), "phone": f"138{i:08d}"}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def url_for(backend: str, folder: Path, tag: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{folder / f'{tag}.db'}"
    if backend == "tinydb":
        return f"tinydb:///{folder / f'{tag}.json'}"
    return f"{PG_URL}?schema=bench_{tag}"


def drop_pg_schema(tag: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "bench_{tag}" CASCADE')


def size_on_disk(backend: str, url: str, tag: str) -> float:
    if backend == "postgresql":
        import psycopg

        with psycopg.connect(PG_URL) as conn:
            row = conn.execute("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                               "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
                               (f"bench_{tag}",)).fetchone()
        return float(row[0]) / 1e6
    path = Path(url.split(":///", 1)[1])
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6


def open_ledger(url: str, init: bool):
    from duty_tui.ledger import Ledger
    from duty_tui.registry import load_registry
    from duty_tui.store import open_store

    registry = load_registry()
    store = open_store(url, registry)
    return Ledger.initialise(store, registry, "bench") if init else Ledger.for_login(store, registry, "bench")


# -- writes ------------------------------------------------------------------------------------

def raw_sqlite_writes(folder: Path, n: int) -> float:
    import hashlib
    import sqlite3

    db = sqlite3.connect(folder / "raw.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE records (pk INTEGER PRIMARY KEY, id TEXT UNIQUE, data TEXT)")
    db.execute("CREATE TABLE audit (seq INTEGER PRIMARY KEY, record_id TEXT, after TEXT, hash TEXT)")
    prev = "0" * 64
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        data = json.dumps({"name": f"人员{i}", "unit": "unit-1", "post": "文书"}, ensure_ascii=False)
        prev = hashlib.sha256((prev + data).encode()).hexdigest()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO records (id, data) VALUES (?, ?)", (f"person-{i}", data))
        db.execute("INSERT INTO audit (seq, record_id, after, hash) VALUES (?, ?, ?, ?)", (i + 1, f"person-{i}", data, prev))
        db.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    return n / elapsed, n / cpu


def raw_pg_writes(n: int) -> float:
    import hashlib

    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS bench_raw CASCADE")
        conn.execute("CREATE SCHEMA bench_raw")
        conn.execute("CREATE TABLE bench_raw.records (pk bigserial PRIMARY KEY, id text UNIQUE, data jsonb)")
        conn.execute("CREATE TABLE bench_raw.audit (seq bigint PRIMARY KEY, record_id text, after text, hash text)")
        prev = "0" * 64
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            data = json.dumps({"name": f"人员{i}", "unit": "unit-1", "post": "文书"}, ensure_ascii=False)
            prev = hashlib.sha256((prev + data).encode()).hexdigest()
            with conn.transaction():
                conn.execute("INSERT INTO bench_raw.records (id, data) VALUES (%s, %s)", (f"person-{i}", data))
                conn.execute("INSERT INTO bench_raw.audit VALUES (%s, %s, %s, %s)", (i + 1, f"person-{i}", data, prev))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        conn.execute("DROP SCHEMA bench_raw CASCADE")
    return n / elapsed, n / cpu


def raw_tinydb_writes(folder: Path, n: int) -> float:
    from tinydb import TinyDB

    db = TinyDB(folder / "raw.json")
    records, audit_t = db.table("records"), db.table("audit")
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        records.insert({"id": f"person-{i}", "name": f"人员{i}"})
        audit_t.insert({"seq": i + 1, "record_id": f"person-{i}"})
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    return n / elapsed, n / cpu


def ledger_writes(url: str, n: int) -> float:
    ledger = open_ledger(url, init=True)
    ledger.create("unit", {"name": "一村", "kind": "village"})
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        ledger.create("person", {"name": f"人员{i}", "unit": "unit-1", "post": "文书"})
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    ledger.store.close()
    return n / elapsed, n / cpu


# -- queries (run in a child process) --------------------------------------------------------------

def timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def query_child(url: str) -> dict:
    from duty_tui.store import Filter

    ledger = open_ledger(url, init=False)
    q = ledger.query
    result = {
        "filter+sort page of 50": timed(lambda: q("person", where={"unit": "unit-7"}, sort=(("name", False),), limit=50)),
        "filter count": timed(lambda: ledger.count("person", where={"unit": "unit-7"})),
        "sorted page 50 at offset 5000": timed(lambda: q("person", sort=(("name", False),), offset=5000, limit=50)),
        "text search 2 chars (张伟)": timed(lambda: q("person", text="张伟", limit=50)),
        "text search 3 chars (刘建国)": timed(lambda: q("person", text="刘建国", limit=50)),
        "text search English (propaganda)": timed(lambda: q("person", text="propaganda", limit=50)),
        "text search 3 chars, no match (无此人)": timed(lambda: q("person", text="无此人", limit=50)),
        "text search 2 chars, no match (无此): a scan": timed(lambda: q("person", text="无此", limit=50)),
        "sorted page 50 at offset 500000": timed(lambda: q("person", sort=(("name", True),), offset=500_000, limit=50), repeat=3),
        "range filter page (name >= 王)": timed(lambda: q("person", filters=(Filter("name", "ge", "王"),), limit=50)),
    }
    ledger.store.close()
    result["peak RSS MB"] = rss_mb()
    return result


def load(url: str, n: int, units: int = 400) -> float:
    ledger = open_ledger(url, init=True)
    unit_ids = ledger.create_many("unit", [{"name": f"第{i}村", "kind": "village"} for i in range(units)])
    start = time.perf_counter()
    done, chunk = 0, 20_000
    rows = person_rows(n, unit_ids)
    while done < n:
        batch = [next(rows) for _ in range(min(chunk, n - done))]
        ledger.create_many("person", batch)
        done += len(batch)
        print(f"\r  loading {url.split(':')[0]}: {done:,}/{n:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    ledger.store.close()
    if url.startswith("postgresql"):  # as autovacuum would after a bulk import, before the queries
        import psycopg

        schema = url.rsplit("schema=", 1)[1]
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            for (table,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)).fetchall():
                conn.execute(f'ANALYZE "{schema}"."{table}"')
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql,tinydb")
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5, help="write rounds; each times both sides, and the medians are shown")
    parser.add_argument("--tinydb-max", type=int, default=10000, help="largest size to load into TinyDB")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", nargs=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(query_child(args.child[0])))
        return
    if args.quick:
        args.sizes, args.writes, args.rounds = "1000", 300, 1
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    folder = Path(tempfile.mkdtemp(prefix="duty-bench-"))
    print(f"duty-tui storage benchmark · {time.strftime('%Y-%m-%d')} · {os.cpu_count()} cores · Python {sys.version.split()[0]}")
    try:
        print(f"\n## Audited writes, one record + its audit entry per transaction ({args.writes} each, "
              f"{args.rounds} rounds, the two sides alternating)\n")
        print("| backend | through the ledger /s | raw baseline /s | ratio (wall) | ratio (CPU time) | ratio range (wall) |")
        print("|---|---:|---:|---:|---:|---:|")
        verdict = ""
        for backend in backends:
            n = min(args.writes, 500) if backend == "tinydb" else args.writes
            rates: dict[str, list[tuple[float, float]]] = {"raw": [], "ours": []}
            for rnd in range(args.rounds):
                here = folder / f"w{rnd}_{backend}"
                here.mkdir()
                tag = f"w_{backend}_{rnd}"
                sides = [("raw", lambda: {"sqlite": lambda: raw_sqlite_writes(here, n), "postgresql": lambda: raw_pg_writes(n),
                                          "tinydb": lambda: raw_tinydb_writes(here, n)}[backend]()),
                         ("ours", lambda: ledger_writes(url_for(backend, here, tag), n))]
                for side, run in sides if rnd % 2 == 0 else sides[::-1]:  # neither side always goes first
                    if backend == "postgresql":
                        drop_pg_schema(tag)
                    rates[side].append(run())
                    if backend == "postgresql":
                        drop_pg_schema(tag)
            wall = [o[0] / r[0] for o, r in zip(rates["ours"], rates["raw"])]
            cpu = [o[1] / r[1] for o, r in zip(rates["ours"], rates["raw"])]
            ours, raw = statistics.median(o[0] for o in rates["ours"]), statistics.median(r[0] for r in rates["raw"])
            w, c = statistics.median(wall), statistics.median(cpu)
            print(f"| {backend} | {ours:,.0f} | {raw:,.0f} | {w:.2f} (1/{1 / w:.1f}) | {c:.2f} (1/{1 / c:.1f}) | "
                  f"{min(wall):.2f}–{max(wall):.2f} |", flush=True)
            if backend == "sqlite":
                verdict = (f"\nsqlite target: at least a quarter of raw sqlite3's rate (aim: a third), median of {args.rounds} "
                           f"rounds: {w:.3f} — {'ok' if w >= 0.25 else 'MISSED'}")
        if verdict:
            print(verdict, flush=True)

        for backend in backends:
            for n in sizes:
                if backend == "tinydb" and n > args.tinydb_max:
                    continue
                tag = f"q_{backend}_{n}"
                url = url_for(backend, folder, tag)
                if backend == "postgresql":
                    drop_pg_schema(tag)
                load_s = load(url, n)
                child = subprocess.run([sys.executable, __file__, "--child", url], capture_output=True, text=True, check=True)
                figures = json.loads(child.stdout)
                print(f"\n## {backend}, {n:,} persons (+400 units) · loaded in {load_s:.1f} s "
                      f"({n / load_s:,.0f}/s in 20k transactions) · {size_on_disk(backend, url, tag):.1f} MB on disk · "
                      f"query process peak RSS {figures.pop('peak RSS MB'):.0f} MB\n")
                print("| query | median ms |")
                print("|---|---:|")
                for name, ms in figures.items():
                    print(f"| {name} | {ms:.1f} |", flush=True)
                if backend == "postgresql":
                    drop_pg_schema(tag)
                else:
                    for p in folder.glob(tag + "*"):
                        p.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
