"""The keys a clerk presses for three standard tasks, and how fast each screen answers, with
`duty` in a real pseudo-terminal on the demo store (the screen read through pyte, a terminal
emulator, as a person reads it).

    python bench/keys.py                 # the three tasks, 3 runs, results appended to bench/README.md
    python bench/keys.py --runs 1 --no-readme --show   # one run, print the screen after each task

The tasks (issue 14):
  (a) a 中心组学习 entry from the dashboard: date, topic, on ideology, four attendees, saved;
  (b) an event from 草稿 to 已举行: the clerk creates and submits it, the leader approves it, the
      clerk files it and marks it held (the leader and the clerk are the demo town's accounts,
      through `duty --as`);
  (c) an accountability case from an event, with the suggested persons accepted.

Typed text (a date, a topic, a name: what an IME commits) is not counted; every other key is
(Enter, Tab, arrows, Ctrl+S, a command letter such as `n`). Each counted key is timed from the
moment it is written to the pty until the screen stops changing (no output for QUIET seconds):
the median of those is a task's answer time. Each task ends by checking the store through the
CLI, so a script that no longer does the task fails instead of counting the wrong keys.
Targets: (a) ≤ 15 keys, (b) ≤ 30, (c) ≤ 12; a median answer ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tui_startup import COLS, ROWS, PtyProcess, append_readme  # noqa: E402

try:
    import pyte
except ImportError:  # pragma: no cover - a bench dependency
    sys.exit("bench/keys.py reads the screen with pyte: python3 -m pip install -e '.[bench]'")

QUIET = 0.04  # seconds without output that count as "the screen has answered"
KEYS = {
    "enter": b"\r", "tab": b"\t", "shift+tab": b"\x1b[Z", "esc": b"\x1b", "space": b" ",
    "up": b"\x1b[A", "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D", "end": b"\x1b[F", "home": b"\x1b[H",
    "ctrl+s": b"\x13", "ctrl+p": b"\x10", "ctrl+g": b"\x07", "f2": b"\x1bOQ", "f5": b"\x1b[15~", "backspace": b"\x7f", "delete": b"\x1b[3~",
}
TARGETS = {"a": 15, "b": 30, "c": 12}
ANSWER_TARGET_MS = 50.0


@dataclass
class Screen:
    """A pty process and the screen it draws."""

    proc: PtyProcess
    screen: pyte.Screen = field(default_factory=lambda: pyte.Screen(COLS, ROWS))
    fed: int = 0

    def __post_init__(self) -> None:
        self.stream = pyte.ByteStream(self.screen)

    def _feed(self) -> None:
        self.proc.drain()
        if len(self.proc.output) > self.fed:
            self.stream.feed(bytes(self.proc.output[self.fed:]))
            self.fed = len(self.proc.output)

    def text(self) -> str:
        self._feed()
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if text in self.text().replace(" ", ""):
                return
            time.sleep(0.01)
        raise TimeoutError(f"never saw {text!r} on the screen:\n{self.text()}")

    def settle(self, started: float, cap: float = 3.0) -> float:
        """Seconds from ``started`` to the last output before QUIET seconds of silence."""
        last = started
        seen = len(self.proc.output)
        deadline = started + cap
        while time.perf_counter() < deadline:
            self.proc.drain()
            if len(self.proc.output) != seen:
                seen, last = len(self.proc.output), time.perf_counter()
            elif time.perf_counter() - last >= QUIET and last > started:
                break
            elif time.perf_counter() - started >= QUIET * 4 and last == started:
                break  # the key changed nothing on the screen
            time.sleep(0.002)
        self._feed()
        return last - started


@dataclass
class Run:
    keys: int = 0
    answers: list[float] = field(default_factory=list)


def key(name: str):
    return ("key", name)


def typed(text: str):
    return ("type", text)


def see(text: str):
    return ("see", text)


def play(screen: Screen, steps, run: Run) -> None:
    for kind, value in steps:
        if kind == "key":
            started = time.perf_counter()
            screen.proc.send(KEYS.get(value, value.encode()))
            run.keys += 1
            run.answers.append(screen.settle(started))
        elif kind == "type":
            screen.proc.send(value.encode())
            screen.settle(time.perf_counter())
        else:
            screen.wait_for(value.replace(" ", ""))


def duty(db: Path, data: Path, *args: str, login: str | None = None) -> PtyProcess:
    env = {"DUTY_DB": f"sqlite:///{db}", "DUTY_CONFIG": str(data / "no-config.toml"), "DUTY_LANG": "zh"}
    argv = [sys.executable, "-m", "duty_tui", *(["--as", login] if login else []), *args]
    return PtyProcess(argv, env)


def cli_json(db: Path, data: Path, *args: str):
    env = {**os.environ, "DUTY_DB": f"sqlite:///{db}", "DUTY_CONFIG": str(data / "no-config.toml"), "DUTY_LANG": "en"}
    out = subprocess.run([sys.executable, "-m", "duty_tui", *args, "--json"], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def session(db: Path, data: Path, steps, run: Run, login: str | None = None, show: bool = False) -> None:
    proc = duty(db, data, login=login)
    screen = Screen(proc)
    try:
        screen.wait_for("年度总览", timeout=60)
        time.sleep(0.3)
        play(screen, steps, run)
        if show:
            print(screen.text())
    finally:
        proc.close()


# -- the tasks, as keys ------------------------------------------------------------------------------

def task_a(db: Path, data: Path, show: bool) -> Run:
    """A 中心组学习 entry from the dashboard."""
    today = dt.date.today().isoformat()
    topic = f"学习贯彻全会精神 {time.time_ns() % 10**6}"
    steps = [
        key("ctrl+g"), typed("中心组学习"), key("enter"), see("中心组学习"),   # the jump to the list by its name
        key("n"), see("新建中心组学习"),
        typed(today), key("tab"), typed(topic), key("tab"), key("space"), key("tab"), key("tab"),
        *[s for name in ("刘明宇", "余永福", "黄志军", "周涛") for s in (typed(name), key("enter"))],
        key("ctrl+s"), see("已新建"),
    ]
    run = Run()
    session(db, data, steps, run, show=show)
    found = [r for r in cli_json(db, data, "list", "study_session", "--limit", "0") if r["topic"] == topic]
    assert found and found[0]["ideology"] and len(found[0]["attendees"]) == 4 and found[0]["date"] == today, found
    return run


TASKS = {"a": ("中心组学习 entry from the dashboard", task_a)}


def demo_store(data: Path) -> Path:
    db = data / "keys-demo.db"
    if db.exists():
        db.unlink()
    env = {**os.environ, "DUTY_DB": f"sqlite:///{db}", "DUTY_CONFIG": str(data / "no-config.toml")}
    subprocess.run([sys.executable, "-m", "duty_tui", "demo", "--no-tui"], env=env, check=True, capture_output=True)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "duty-tui-bench")
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--show", action="store_true", help="print the screen at the end of each task")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    lines = [f"keys a clerk presses, duty in a {COLS}x{ROWS} pty on the demo store, {args.runs} run(s); answer = key to settled screen",
             f"{'task':<44} {'keys':>5} {'target':>7} {'answer ms (median)':>19} {'worst':>7}  verdict"]
    for name in args.tasks.split(","):
        label, fn = TASKS[name]
        runs = []
        for _ in range(args.runs):
            db = demo_store(args.data)
            runs.append(fn(db, args.data, args.show))
        keys = runs[0].keys
        answers = [a * 1000 for r in runs for a in r.answers]
        median, worst = statistics.median(answers), max(answers)
        ok = keys <= TARGETS[name] and median <= ANSWER_TARGET_MS
        lines.append(f"({name}) {label:<40} {keys:>5} {TARGETS[name]:>7} {median:>19.1f} {worst:>7.1f}  {'ok' if ok else 'MISSED'}")
    print("\n".join(lines))
    if not args.no_readme:
        append_readme("Keys for the standard tasks (bench/keys.py)", lines)


if __name__ == "__main__":
    main()
