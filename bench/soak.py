"""Soak: writers killed with SIGKILL at random moments, then a stateful random walk of the ledger,
on every backend; prints what was acknowledged, lost, torn and failed verification.

    python bench/soak.py                                  # 500 kills, 200 examples per backend
    python bench/soak.py --kills 60 --examples 40         # a short run
    python bench/soak.py --backends sqlite --no-readme    # one backend, README untouched

1. Kills. --parallel writer processes at a time (tests/workers.py create-forever: each creates
   units through the Ledger and edits every third one, printing "id version" on its stdout pipe
   after the call returned) share one store; each is killed with SIGKILL at a random moment
   (uniform in 0..--max-life seconds after its first acknowledged write, so the kill can land
   anywhere in a commit) until --kills kills in all. Every --check-every kills, and after the
   last, the store is reopened: "torn" counts checks where it fails to open or to read,
   "lost" counts acknowledged (id, version) pairs the store does not hold (missing, or an older
   version), "verify" counts checks where verify_audit or verify_store is not ok.
2. State machine. A hypothesis RuleBasedStateMachine against an in-memory model: creates (units,
   events of the positions plugin), edits with expected_version (current ones must land, stale
   ones must be refused with Conflict), the event workflow (submit, approve, file, hold, reject,
   cancel), deletes (units nothing refers to, draft events), and an export + import round trip
   into a fresh store that the walk then continues on. Invariants after every step (or every
   --verify-every steps): the store holds exactly the model (ids, versions, states, fields),
   verify_audit and verify_store are ok. --examples walks per backend (--pg-examples for
   PostgreSQL, each walk a schema of its own).

PostgreSQL: DUTY_TEST_PG or postgresql://postgres@127.0.0.1:5432/test; every run uses a schema of
its own (duty_tui.kit.testing.postgres_schema_url) dropped afterwards. This is not a test: CI
does not run bench/. Results are appended to bench/README.md with the date and the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from duty_tui.errors import Conflict, DutyError  # noqa: E402
from duty_tui.ledger import Ledger  # noqa: E402
from duty_tui.registry import load_registry  # noqa: E402
from duty_tui.store import open_store  # noqa: E402

BACKENDS = ("sqlite", "tinydb", "postgresql")


# -- stores ---------------------------------------------------------------------------------------

@contextlib.contextmanager
def store_url(backend: str, folder: Path):
    """A fresh, empty store URL; a PostgreSQL schema of its own, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'duty-{os.urandom(4).hex()}.db'}"
    elif backend == "tinydb":
        yield f"tinydb:///{folder / f'duty-{os.urandom(4).hex()}.json'}"
    else:
        from duty_tui.kit.testing import postgres_schema_url

        with postgres_schema_url() as url:
            yield url


def initialise(url: str) -> Ledger:
    registry = load_registry()
    return Ledger.initialise(open_store(url, registry), registry, "admin")


def reopen(url: str) -> Ledger:
    registry = load_registry()
    return Ledger.for_login(open_store(url, registry), registry, "admin")


# -- 1. kills -------------------------------------------------------------------------------------

class Writer:
    """One tests/workers.py create-forever process; a thread reads its acknowledgements."""

    def __init__(self, url: str, acked: dict[str, int], lock: threading.Lock):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.workers", "create-forever", url], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.first = threading.Event()
        self.born = time.monotonic()
        self.lines = 0
        self.bad: list[str] = []
        self.acked, self.lock = acked, lock
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            parts = line.split()
            if len(parts) != 2:
                self.bad.append(line.rstrip())
                continue
            with self.lock:
                self.acked[parts[0]] = max(self.acked.get(parts[0], 0), int(parts[1]))
            self.lines += 1
            self.first.set()
        self.first.set()

    def kill(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.reader.join(timeout=30)  # every line written before the kill landed is read
        err = self.proc.stderr.read()
        return self.proc.returncode, err


def check_store(url: str, acked: dict[str, int]) -> dict:
    """Reopen the store and hold it against what was acknowledged."""
    out = {"torn": 0, "lost": [], "verify": [], "records": 0}
    try:
        ledger = reopen(url)
        present = {u.id: u.version for u in ledger.all("unit")}
    except Exception as exc:  # noqa: BLE001 - a store that does not open or read is torn
        out["torn"] = 1
        out["verify"].append(f"open: {type(exc).__name__}: {exc}")
        return out
    try:
        out["records"] = len(present)
        out["lost"] = [(rid, v, present.get(rid)) for rid, v in acked.items() if present.get(rid, 0) < v]
        chain = ledger.verify_audit()
        if not chain.ok:
            out["verify"].append(f"verify_audit: {chain.render('en')}")
        seal = ledger.verify_store()
        if not seal.ok:
            out["verify"].append("verify_store: " + "; ".join(line for bad, line in seal.lines("en") if bad))
    except Exception as exc:  # noqa: BLE001
        out["torn"] = 1
        out["verify"].append(f"read: {type(exc).__name__}: {exc}")
    finally:
        with contextlib.suppress(Exception):
            ledger.store.close()
    return out


def soak_kills(backend: str, url: str, kills: int, parallel: int, max_life: float, check_every: int, rng: random.Random,
               log) -> dict:
    initialise(url).store.close()
    acked: dict[str, int] = {}
    lock = threading.Lock()
    result = {"kills": 0, "acked": 0, "lost": 0, "torn": 0, "verify": 0, "notes": [], "errors": []}
    running: list[tuple[Writer, float]] = []
    done = 0
    started = 0
    since_check = 0
    t0 = time.monotonic()

    def check() -> None:
        with lock:
            snapshot = dict(acked)
        c = check_store(url, snapshot)
        result["torn"] += c["torn"]
        result["verify"] += bool(c["verify"])
        result["lost"] = max(result["lost"], len(c["lost"]))  # lost ones stay lost; count each once
        for rid, v, have in c["lost"][:5]:
            result["notes"].append(f"{backend}: lost {rid} v{v} (store has {have}) after {done} kills")
        for line in c["verify"][:5]:
            result["notes"].append(f"{backend}: after {done} kills: {line}")

    while done < kills:
        while len(running) < parallel and started < kills:
            w = Writer(url, acked, lock)
            running.append((w, -1.0))
            started += 1
        now = time.monotonic()
        still = []
        for w, at in running:
            if at < 0 and w.first.is_set():
                at = now + rng.uniform(0, max_life)
            if at < 0 and now - w.born > 60 and w.proc.poll() is None:  # a writer that never gets a write through
                w.kill()
                result["errors"].append(f"{backend}: a writer acknowledged nothing in 60 s (killed, not counted)")
                done += 1
                continue
            if at < 0 and w.proc.poll() is not None:  # died before acknowledging anything
                result["errors"].append(f"{backend}: writer exited {w.proc.returncode} before a write: "
                                        f"{w.proc.stderr.read().strip().splitlines()[-1:]}")
                done += 1
                continue
            if at >= 0 and now >= at:
                if w.proc.poll() is not None:  # it died on its own: that is not our kill
                    w.reader.join(timeout=30)
                    result["errors"].append(f"{backend}: writer exited {w.proc.returncode} by itself: "
                                            f"{w.proc.stderr.read().strip().splitlines()[-1:]}")
                else:
                    w.kill()
                    result["kills"] += 1
                if w.bad:
                    result["errors"].append(f"{backend}: unreadable acknowledgement lines: {w.bad[:3]}")
                done += 1
                since_check += 1
                continue
            still.append((w, at))
        running = still
        if since_check >= check_every and done < kills:
            check()
            since_check = 0
            log(f"  {backend}: {done}/{kills} kills, {len(acked)} records acknowledged, {time.monotonic() - t0:.0f}s")
        time.sleep(0.01)
    check()
    result["acked"] = len(acked)
    result["writes"] = sum(acked.values())  # each creation and each edit acknowledged
    return result


# -- 2. state machine -----------------------------------------------------------------------------

def make_machine(backend: str, folder: Path, verify_every: int, stats: dict):
    from hypothesis import strategies as st
    from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, precondition, rule

    TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=12).filter(
        lambda s: s.strip() == s and s.strip())
    # the event workflow: step -> (from states, to state, values given with the step)
    STEPS = {
        "submit": (("draft",), "submitted", {}),
        "approve": (("submitted",), "approved", {"approver": "person-1", "approved_on": "2025-05-10"}),
        "reject": (("submitted",), "rejected", {}),
        "file": (("approved",), "filed", {"filed_on": "2025-05-12", "filing_no": "备-1"}),
        "hold": (("filed",), "held", {}),
        "cancel": (("draft", "submitted", "approved", "filed"), "cancelled", {}),
    }

    class LedgerWalk(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.stack = contextlib.ExitStack()
            self.steps = 0
            stats["examples"] += 1

        def fresh_url(self) -> str:
            return self.stack.enter_context(store_url(backend, folder))

        @initialize()
        def start(self):
            self.ledger = initialise(self.fresh_url())
            self.stack.callback(self.ledger.store.close)
            unit = self.ledger.create("unit", {"name": "党委", "kind": "committee"})
            person = self.ledger.create("person", {"name": "刘明宇", "unit": unit.id})
            assert (unit.id, person.id) == ("unit-1", "person-1"), (unit.id, person.id)
            # id -> [type, version, state, fields the walk sets]
            self.model: dict[str, list] = {unit.id: ["unit", 1, unit.state, {"name": "党委", "notes": None}],
                                           person.id: ["person", 1, person.state, {"name": "刘明宇", "notes": None}]}
            self.ledger.add_user("lead", "leader", person.id)  # approve and reject are a leader's, not the admin's
            self.leader = Ledger.for_login(self.ledger.store, self.ledger.registry, "lead")
            self.refs: dict[str, int] = {unit.id: 1}  # unit-1 is referred to by person-1 and every event

        def teardown(self):
            self.stack.close()

        def ids(self, kind: str, state: str | None = None) -> list[str]:
            return sorted(i for i, m in self.model.items() if m[0] == kind and (state is None or m[2] == state))

        @rule(name=TEXT)
        def create_unit(self, name):
            r = self.ledger.create("unit", {"name": name, "kind": "other"})
            assert r.id not in self.model and r.version == 1
            self.model[r.id] = ["unit", 1, r.state, {"name": name, "notes": None}]

        @rule(title=TEXT)
        def create_event(self, title):
            r = self.ledger.create("event", {"title": title, "kind": "lecture", "date": "2025-05-20",
                                             "organizer_unit": "unit-1", "organizer": "person-1"})
            assert r.id not in self.model and r.version == 1 and r.state == "draft", r
            self.model[r.id] = ["event", 1, "draft", {"title": title, "notes": None}]

        @precondition(lambda self: len(self.model) > 0)
        @rule(data=st.data(), note=TEXT)
        def edit(self, data, note):
            rid = data.draw(st.sampled_from(sorted(self.model)))
            m = self.model[rid]
            r = self.ledger.update(rid, {"notes": note}, expected_version=m[1])
            if m[3]["notes"] != note:
                m[1] += 1
                m[3]["notes"] = note
            assert r.version == m[1] and r.data["notes"] == note, (rid, r.version, m)

        @precondition(lambda self: any(m[1] > 1 for m in self.model.values()))
        @rule(data=st.data(), note=TEXT)
        def stale_edit(self, data, note):
            rid = data.draw(st.sampled_from(sorted(i for i, m in self.model.items() if m[1] > 1)))
            try:
                self.ledger.update(rid, {"notes": note}, expected_version=self.model[rid][1] - 1)
            except Conflict:
                return
            raise AssertionError(f"a stale edit of {rid} (version {self.model[rid][1] - 1}) was not refused")

        @precondition(lambda self: any(m[0] == "event" for m in self.model.values()))
        @rule(data=st.data(), step=st.sampled_from(sorted(STEPS)))
        def transition(self, data, step):
            rid = data.draw(st.sampled_from(self.ids("event")))
            m = self.model[rid]
            sources, target, values = STEPS[step]
            by = self.leader if step in ("approve", "reject") else self.ledger
            if m[2] not in sources:
                try:
                    by.transition(rid, step, expected_version=m[1], values=values)
                except DutyError:
                    return  # refused, as the workflow says
                raise AssertionError(f"{step} of {rid} from {m[2]!r} was allowed")
            r = by.transition(rid, step, expected_version=m[1], values=values)
            m[1] += 1
            m[2] = target
            assert (r.version, r.state) == (m[1], target), (rid, r.version, r.state, m)

        @precondition(lambda self: any(i not in self.refs for i in self.ids("unit")) or self.ids("event", "draft"))
        @rule(data=st.data())
        def delete(self, data):
            rid = data.draw(st.sampled_from([i for i in self.ids("unit") if i not in self.refs] + self.ids("event", "draft")))
            self.ledger.delete(rid, expected_version=self.model[rid][1])
            del self.model[rid]

        @rule()
        def export_import(self):
            from duty_tui.exchange import export_store, import_store

            buf = io.StringIO()
            export_store(self.ledger, buf)
            url = self.fresh_url()
            registry = load_registry()
            import_store(open_store(url, registry), registry, "admin", buf.getvalue())
            old = self.ledger
            self.ledger = reopen(url)
            self.leader = Ledger.for_login(self.ledger.store, self.ledger.registry, "lead")
            self.stack.callback(self.ledger.store.close)
            old.store.close()
            stats["round_trips"] += 1

        @invariant()
        def store_equals_model(self):
            if not hasattr(self, "model"):
                return
            self.steps += 1
            have = {}
            for kind in ("unit", "person", "event"):
                for r in self.ledger.all(kind):
                    fields = {k: r.data.get(k) for k in ("name", "title", "notes") if k in r.data}
                    have[r.id] = [kind, r.version, r.state, fields]
            want = {i: [m[0], m[1], m[2], {k: v for k, v in m[3].items()}] for i, m in self.model.items()}
            for i, h in have.items():  # fields the walk never set are compared as the model holds them
                h[3] = {k: h[3].get(k) for k in want.get(i, h)[3]}
            assert have == want, f"store != model:\n store {have}\n model {want}"
            if self.steps % verify_every == 0:
                chain = self.ledger.verify_audit()
                assert chain.ok, chain.render("en")
                seal = self.ledger.verify_store()
                assert seal.ok, "; ".join(line for bad, line in seal.lines("en") if bad)
                stats["verifies"] += 1

    return LedgerWalk


def run_machine(backend: str, folder: Path, examples: int, steps: int, verify_every: int, seed: int) -> dict:
    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import run_state_machine_as_test

    stats = {"examples": 0, "round_trips": 0, "verifies": 0, "failures": 0, "failure": None}
    machine = make_machine(backend, folder, verify_every, stats)
    cfg = settings(max_examples=examples, stateful_step_count=steps, deadline=None, database=None, derandomize=False,
                   suppress_health_check=list(HealthCheck), print_blob=True)
    machine.TestCase.settings = cfg
    try:
        run_state_machine_as_test(machine, settings=cfg)
    except Exception as exc:  # noqa: BLE001 - a failing walk (hypothesis has shrunk it) is the finding
        stats["failures"] = 1
        stats["failure"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return stats


# -- main -----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--kills", type=int, default=500, help="SIGKILLs in total per backend")
    parser.add_argument("--parallel", type=int, default=2, help="writer processes at a time")
    parser.add_argument("--max-life", type=float, default=1.5, help="a writer is killed uniformly 0..this many seconds after its first write")
    parser.add_argument("--check-every", type=int, default=25, help="reopen and check the store every this many kills")
    parser.add_argument("--examples", type=int, default=200, help="state-machine walks per backend")
    parser.add_argument("--pg-examples", type=int, default=None, help="walks on PostgreSQL (default: examples // 4)")
    parser.add_argument("--steps", type=int, default=30, help="steps per walk at most")
    parser.add_argument("--verify-every", type=int, default=1, help="verify_audit/verify_store every this many steps")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--skip-kills", action="store_true")
    parser.add_argument("--skip-machine", action="store_true")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    pg_examples = args.pg_examples if args.pg_examples is not None else max(1, args.examples // 4)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    rows, notes = [], []
    with tempfile.TemporaryDirectory(prefix="duty-soak-") as tmp:
        folder = Path(tmp)
        for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
            t0 = time.monotonic()
            k = {"kills": 0, "acked": 0, "writes": 0, "lost": 0, "torn": 0, "verify": 0, "notes": [], "errors": []}
            if not args.skip_kills:
                log(f"{backend}: {args.kills} kills, {args.parallel} writers at a time")
                with store_url(backend, folder) as url:
                    k = soak_kills(backend, url, args.kills, args.parallel, args.max_life, args.check_every, rng, log)
                notes += k["notes"] + k["errors"]
            tk = time.monotonic() - t0
            n = pg_examples if backend == "postgresql" else args.examples
            m = {"examples": 0, "round_trips": 0, "verifies": 0, "failures": 0, "failure": None}
            if not args.skip_machine and n > 0:
                log(f"{backend}: state machine, {n} walks of up to {args.steps} steps")
                m = run_machine(backend, folder, n, args.steps, args.verify_every, rng.randrange(1 << 30))
                if m["failure"]:
                    notes.append(f"{backend}: state machine: " + "\n    ".join(m["failure"].splitlines()[:25]))
            tm = time.monotonic() - t0 - tk
            rows.append((backend, k["kills"], k["acked"], k["writes"], k["lost"], k["torn"], k["verify"],
                         m["examples"], m["round_trips"], m["verifies"], m["failures"], tk, tm))
            log(f"{backend}: done in {tk + tm:.0f}s")

    head = ("backend", "kills", "acked recs", "acked writes", "lost", "torn", "verify fail", "sm examples", "round trips",
            "sm verifies", "sm failures", "kills s", "sm s")
    lines = [f"kill seed {seed} (hypothesis draws its own); {args.parallel} writers at a time, killed 0..{args.max_life}s after their first write, store checked "
             f"every {args.check_every} kills and at the end; state machine: up to {args.steps} steps a walk, verify every "
             f"{args.verify_every} step(s), {args.examples} walks ({pg_examples} on PostgreSQL)",
             "  ".join(f"{h:>12}" for h in head)]
    for r in rows:
        lines.append("  ".join(f"{x:>12.0f}" if isinstance(x, float) else f"{x!s:>12}" for x in r))
    lines += [f"! {note}" for note in notes] or ["no lost write, no torn store, no verify failure, no state-machine failure"]
    print("\n".join(lines))
    if not args.no_readme:
        from tui_startup import append_readme

        append_readme("Soak (bench/soak.py)", lines)


if __name__ == "__main__":
    main()
