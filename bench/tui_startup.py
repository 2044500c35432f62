"""Time to the first painted dashboard, as an operator meets it: a whole `duty` process in a real
pseudo-terminal, from exec until the dashboard's data is on the screen; beside the floor, a
minimal Textual app (one Static) measured the same way in the same run.

    python bench/tui_startup.py                          # demo store, 100k and 1M records
    python bench/tui_startup.py --sizes 100000 --runs 5
    python bench/tui_startup.py --quick                  # demo store only, 3 runs, no README

Stores are built once in --data (default: $TMPDIR/duty-tui-bench) and reused: the demo town
(`duty demo --no-tui`), then the same town plus N persons (through the ledger, in batches).
Targets (issue 4): the dashboard within 2x the floor with the demo store, within 3x at 1M.
Results are appended to bench/README.md with the date and the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import os
import platform
import random
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
ROWS, COLS = 30, 100
DASHBOARD_MARKER = b"at a glance"  # only drawn once the dashboard's data is loaded
# The findings' heading once every rule has run ("Findings (7)", not "… · 3 rules still checking").
COMPLETE_MARKER = re.compile(rb"Findings \(\d+\)(?! \xc2\xb7)")
FLOOR_MARKER = b"FLOOR-READY"

FLOOR_APP = '''
from textual.app import App
from textual.widgets import Static


class Floor(App):
    def compose(self):
        yield Static("FLOOR-READY")


Floor().run()
'''

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志永福宇海波宁"
POSTS = ["党委书记", "宣传委员", "村支书", "村主任", "办公室主任", "文书", "网格员", "团委书记", "妇联主席"]


# -- a process in a pseudo-terminal ------------------------------------------------------------

class PtyProcess:
    """A child on a pty of ROWS x COLS with TERM=xterm-256color; read its output, send keys."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8", **env}
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, start_new_session=True,
                                     close_fds=True)
        os.close(slave)
        self.output = bytearray()

    def read_until(self, marker: "bytes | re.Pattern[bytes]", since: int = 0, timeout: float = 60.0) -> float:
        """The clock when ``marker`` (bytes, or a compiled pattern) appears in the output after
        offset ``since``."""
        found = (lambda buf: marker.search(buf) is not None) if isinstance(marker, re.Pattern) else (lambda buf: marker in buf)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if found(bytes(self.output[since:])):
                return time.perf_counter()
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 1 << 16)
                except OSError:
                    break
                if not chunk:
                    break
                self.output += chunk
                if found(bytes(self.output[since:])):
                    return time.perf_counter()
        tail = bytes(self.output[-600:]).decode("utf-8", "replace")
        raise TimeoutError(f"never saw {marker!r}; last output: {tail!r}")

    def send(self, data: bytes) -> int:
        """Write keys; returns the output offset to search from for their effect."""
        self.drain()
        mark = len(self.output)
        os.write(self.master, data)
        return mark

    def drain(self) -> None:
        while True:
            ready, _, _ = select.select([self.master], [], [], 0)
            if not ready:
                return
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def close(self) -> None:
        try:
            os.write(self.master, b"\x11")  # Ctrl+Q
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            os.close(self.master)


def compile_sources() -> None:
    """Byte-compile the project's own modules before anything is timed, as `pip install` does for
    an installed package (and the floor's Textual has been since it was installed). Where
    PYTHONDONTWRITEBYTECODE is set (this machine sets it) an editable install never writes its
    .pyc files, so each `duty` compiled some 60 modules from source: 0.05-0.1 s of every start
    measured, which no operator's installed copy pays."""
    import compileall

    root = Path(__file__).resolve().parent.parent
    for folder in ("src", "storage", "plugins"):
        compileall.compile_dir(str(root / folder), quiet=1)


def first_paint(argv: list[str], marker: bytes, env: dict[str, str]) -> float:
    p = PtyProcess(argv, env)
    try:
        return p.read_until(marker) - p.started
    finally:
        p.close()


def dashboard_paint(env: dict[str, str]) -> tuple[float, float]:
    """Seconds to the dashboard with its data, and to every rule's findings on it (the same
    moment unless the rules outran the first paint's budget and finished in the background)."""
    p = PtyProcess([sys.executable, "-m", "duty_tui"], env)
    try:
        painted = p.read_until(DASHBOARD_MARKER) - p.started
        complete = p.read_until(COMPLETE_MARKER, timeout=120) - p.started
        return painted, complete
    finally:
        p.close()


# -- stores --------------------------------------------------------------------------------------

def duty_env(db: Path, data: Path) -> dict[str, str]:
    return {"DUTY_DB": f"sqlite:///{db}", "DUTY_CONFIG": str(data / "no-config.toml"), "DUTY_LANG": "en"}


def demo_store(data: Path) -> Path:
    db = data / "demo.db"
    if not db.exists():
        subprocess.run([sys.executable, "-m", "duty_tui", "demo", "--no-tui"], env={**os.environ, **duty_env(db, data)},
                       check=True, capture_output=True)
    return db


def big_store(data: Path, persons: int) -> Path:
    """The demo town plus ``persons`` more people, written through the ledger in batches."""
    db = data / f"persons-{persons}.db"
    if db.exists():
        return db
    from duty_tui.ledger import Ledger
    from duty_tui.identity import os_login
    from duty_tui.registry import load_registry
    from duty_tui.store import open_store

    tmp = data / f"persons-{persons}.building.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    subprocess.run([sys.executable, "-m", "duty_tui", "demo", "--no-tui"], env={**os.environ, **duty_env(tmp, data)},
                   check=True, capture_output=True)
    registry = load_registry()
    store = open_store(f"sqlite:///{tmp}", registry)
    ledger = Ledger.for_login(store, registry, os_login())
    units = [r.id for r in ledger.query("unit", limit=None)]
    rng = random.Random(7)
    done, started = 0, time.perf_counter()
    while done < persons:
        batch = []
        for i in range(done, min(persons, done + 20_000)):
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            batch.append({"name": name, "unit": rng.choice(units), "post": rng.choice(POSTS), "phone": f"138{i:08d}"})
        ledger.create_many("person", batch)
        done += len(batch)
        print(f"\r  building {db.name}: {done:,}/{persons:,} ({time.perf_counter() - started:.0f} s)", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    tmp.rename(db)
    return db


# -- reporting -----------------------------------------------------------------------------------

def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import textual

    return (f"{platform.node()} · {cpu} × {os.cpu_count()} · {platform.system()} {platform.release()} · "
            f"Python {platform.python_version()} · Textual {textual.__version__}")


def append_readme(title: str, lines: list[str]) -> None:
    if not README.exists():
        README.write_text("# Benchmarks\n\nResults appended by the scripts in this folder, newest last.\n", encoding="utf-8")
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    block = [f"\n## {title} — {stamp}\n", f"Machine: {machine()}; load average {load} (the machine is shared)\n", "```"] + lines + ["```\n"]
    with README.open("a", encoding="utf-8") as out:
        out.write("\n".join(block))


def stats(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), min(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000", help="extra persons on top of the demo town (comma list; empty for none)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "duty-tui-bench")
    parser.add_argument("--quick", action="store_true", help="demo store only, 3 runs, README untouched")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.runs, args.no_readme = "", 3, True
    args.data.mkdir(parents=True, exist_ok=True)
    compile_sources()

    cases: list[tuple[str, Path]] = [("demo store", demo_store(args.data))]
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        cases.append((f"demo + {size:,} persons", big_store(args.data, size)))

    floor_script = args.data / "floor_app.py"
    floor_script.write_text(FLOOR_APP, encoding="utf-8")

    floor: list[float] = []
    painted: dict[str, list[float]] = {name: [] for name, _ in cases}
    complete: dict[str, list[float]] = {name: [] for name, _ in cases}
    first_paint([sys.executable, str(floor_script)], FLOOR_MARKER, {})  # warm the file cache
    for name, db in cases:
        dashboard_paint(duty_env(db, args.data))
    for _ in range(args.runs):  # interleaved, so drift in the machine's load hits every case alike
        floor.append(first_paint([sys.executable, str(floor_script)], FLOOR_MARKER, {}))
        for name, db in cases:
            a, b = dashboard_paint(duty_env(db, args.data))
            painted[name].append(a)
            complete[name].append(b)

    floor_median, floor_min = stats(floor)
    lines = [f"seconds to first paint, whole process in a {COLS}x{ROWS} pty, {args.runs} runs interleaved (median, best)",
             f"{'case':32} {'dashboard':>9} {'best':>6} {'x floor':>7}  {'all findings':>12} {'x floor':>7}  target"]
    lines.append(f"{'bare Textual app (the floor)':32} {floor_median:9.3f} {floor_min:6.3f} {1:7.2f}")
    for name, db in cases:
        median, best = stats(painted[name])
        done = statistics.median(complete[name])
        target = "≤ 2.00" if name == "demo store" else ("≤ 3.00" if "1,000,000" in name else "")
        ratio, done_ratio = median / floor_median, done / floor_median
        verdict = "" if not target else (" ok" if ratio <= float(target.split()[-1]) else " MISSED")
        lines.append(f"{'duty, ' + name:32} {median:9.3f} {best:6.3f} {ratio:7.2f}  {done:12.3f} {done_ratio:7.2f}  {target}{verdict}")
    print("\n".join(lines))
    if not args.no_readme:
        append_readme("TUI start-up (bench/tui_startup.py)", lines)


if __name__ == "__main__":
    main()
