"""`duty audit --verify` at scale: the chain walked and the state it seals compared with the store.

    python bench/verify.py                           # SQLite, a 100,000-entry chain
    python bench/verify.py --entries 1000000         # the target: under 10 s (do not run it beside tests)
    python bench/verify.py --backends sqlite,postgresql --entries 20000

The store is built once per backend and size with the ledger (create_many: every entry a live
record, the worst case for the state: a record to compare per entry) and kept in
/tmp/duty-tui-bench/; PostgreSQL's in the schema bench_verify_<n>. Each run times, in this process:
the chain alone (Ledger.verify_audit, what `duty audit --verify` did before the state was sealed)
and the whole verify (Ledger.verify_store: chain, records, users, settings), wall and CPU, and the
peak memory. The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CACHE = Path("/tmp/duty-tui-bench")


def bench_storage():
    """bench/storage.py's helpers (its module name would clash with the storage/ package)."""
    spec = importlib.util.spec_from_file_location("bench_storage", ROOT / "storage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def url_for(backend: str, n: int) -> str:
    tag = f"verify_{n}"
    return bench_storage().url_for(backend, CACHE, tag)


def built(backend: str, url: str) -> bool:
    if backend == "postgresql":
        import psycopg

        schema = url.rsplit("schema=", 1)[1]
        with psycopg.connect(bench_storage().PG_URL) as conn:
            return conn.execute("SELECT to_regclass(%s)", (f'"{schema}".audit',)).fetchone()[0] is not None
    return Path(url.split(":///", 1)[1]).exists()


def build(backend: str, url: str, n: int) -> None:
    """A chain of n entries: the account, 400 units, then persons up to n."""
    s = bench_storage()
    CACHE.mkdir(parents=True, exist_ok=True)
    ledger = s.open_ledger(url, init=True)
    units = ledger.create_many("unit", [{"name": f"第{i}村", "kind": "village"} for i in range(400)])
    rows, done, want = s.person_rows(n - 401, units), 0, n - 401
    while done < want:
        batch = [next(rows) for _ in range(min(20_000, want - done))]
        ledger.create_many("person", batch)
        done += len(batch)
        print(f"\r  building {backend}: {done + 401:,}/{n:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    ledger.store.close()


def timed(fn) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT.parent))
    s = bench_storage()
    for backend in args.backends.split(","):
        url = url_for(backend, args.entries)
        if not built(backend, url):
            build(backend, url, args.entries)
        ledger = s.open_ledger(url, init=False)
        print(f"{backend}, {args.entries:,} entries; load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
        for _ in range(args.repeat):
            cw, cc, verdict = timed(ledger.verify_audit)
            sw, sc, seal = timed(ledger.verify_store)
            assert verdict.ok and seal.ok, seal.lines("en")
            print(f"  chain only {cw:6.2f} s (cpu {cc:5.2f})   whole verify {sw:6.2f} s (cpu {sc:5.2f}): "
                  f"{seal.chain.entries:,} entries, {seal.records:,} records; per entry {sc / seal.chain.entries * 1e6:.1f} µs cpu")
        print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
              f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
        ledger.store.close()


if __name__ == "__main__":
    main()
