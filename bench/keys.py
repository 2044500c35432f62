"""The keys a clerk presses for three standard tasks, and how fast each screen answers, with
`duty` in a real pseudo-terminal on the demo store (the screen read through pyte, a terminal
emulator, as a person reads it).

    python bench/keys.py                 # the three tasks, 3 runs, results appended to bench/README.md
    python bench/keys.py --runs 1 --no-readme --show   # one run, print the screen after each task
    python bench/keys.py --runs 1 --no-readme --tasks b,c --per-key   # two tasks, each key's answer

The tasks (issue 14):
  (a) a 中心组学习 entry from the dashboard: date, topic, on ideology, four attendees, saved;
  (b) an event from 草稿 to 已举行: the clerk creates and submits it, the leader approves it, the
      clerk files it and marks it held (the leader and the clerk are the demo town's accounts,
      through `duty --as`);
  (c) an accountability case from an event, with the suggested persons accepted (the new case
      from the event comes with the chain's suggestions ticked; Ctrl+S registers it and names them).

Typed text (a date, a topic, a name: what an IME commits) is not counted; every other key is
(Enter, Tab, arrows, Ctrl+S, a command letter such as `n`). Typing to search a menu is typed
text too: 类别 is two keys, Enter to open it and Enter to choose what 讲座 found. Each counted key is timed from the
moment it is written to the pty until the screen stops changing (no output for QUIET seconds),
to the last output that draws: the mouse pointer's shape Textual sends as a screen is pushed,
before it is painted, is not an answer (NOT_DRAWN; it used to end a key's wait when the first
frame came more than QUIET after it). The median of those is a task's answer time. Each key
waits for the screen to be still (QUIET), so a late frame of what came before is not counted
as its answer, and a session's first key for the dashboard to be drawn (DASHBOARD_QUIET), as a
person reads it first (it used to be timed to the findings' frames still coming in). Between keys the script waits for what a person
waits for (a match in a picker, a dialog, the focus on the next field: its lighter background),
never a fixed time. Each task ends by checking the store through the CLI, so a script that no
longer does the task fails instead of counting the wrong keys.
Targets: (a) ≤ 15 keys, (b) ≤ 30, (c) ≤ 12; a median answer ≤ 50 ms.

Beside the answer, "cpu ms" is the median CPU time the duty process (all its threads) spent from a
key until its screen settled: the answer's floor, and a steadier figure than the answer on a
shared machine, where other work delays each frame (compare two versions by it when the load
is not low; the target is the answer, measured on an idle machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tui_startup import COLS, ROWS, PtyProcess, append_readme, compile_sources  # noqa: E402

try:
    import pyte
except ImportError:  # pragma: no cover - a bench dependency
    sys.exit("bench/keys.py reads the screen with pyte: python3 -m pip install -e '.[bench]'")

QUIET = 0.1  # seconds without output that count as "the screen has answered" (0.04 cut a key's answer short whenever a loaded machine spaced two of its frames more than that: read as 24 ms, an answer of 100)
NOTHING = 1.0  # seconds without any output that count as "the key changed nothing": every counted key changes
# the screen, and on a loaded machine its first output can take longer than a few QUIETs (it was then read as 0 ms)
KEYS = {
    "enter": b"\r", "tab": b"\t", "shift+tab": b"\x1b[Z", "esc": b"\x1b", "space": b" ",
    "up": b"\x1b[A", "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D", "end": b"\x1b[F", "home": b"\x1b[H",
    "ctrl+s": b"\x13", "ctrl+p": b"\x10", "ctrl+g": b"\x07", "f2": b"\x1bOQ", "f5": b"\x1b[15~", "backspace": b"\x7f", "delete": b"\x1b[3~",
}
TARGETS = {"a": 15, "b": 30, "c": 12}
# What a terminal is told that does not change what it shows: the mouse pointer's shape (OSC 22,
# which Textual sends as a screen is pushed, before it is painted) and the synchronized-update
# brackets around a frame. A key's answer is the screen drawn, not these.
NOT_DRAWN = re.compile(rb"\x1b\]22;[^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[\?2026[hl]")
DASHBOARD_QUIET = 0.15  # seconds without output before a session's first key: the dashboard drawn
WIDE_PUNCTUATION = str.maketrans("：，（）；？！", ":,();?!")
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

    def wait_for(self, text: str, timeout: float = 30.0, present: bool = True) -> None:
        """Wait until ``text`` (without its spaces) is on the screen, or with ``present`` false
        gone from it; Chinese punctuation full-width or not (转到：or 转到:)."""
        text = text.translate(WIDE_PUNCTUATION)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if (text in self.text().replace(" ", "").translate(WIDE_PUNCTUATION)) == present:
                return
            time.sleep(0.01)
        raise TimeoutError(f"{'never saw' if present else 'still saw'} {text!r} on the screen:\n{self.text()}")

    def focused_row(self, labels: tuple[str, ...]) -> str | None:
        """Which of a form's rows (named by their labels) has the focus: the one whose editor
        is drawn on a background no other row has (a focused field is lighter). A Tab shows
        nothing else, and text typed before the focus has moved goes to the field it left."""
        self._feed()
        rows: dict[str, set] = {}
        for y in range(self.screen.lines):
            line = self.screen.buffer[y]
            cells = [line[x] for x in range(self.screen.columns) if line[x].data]  # a wide character's second cell is empty
            text = "".join(c.data for c in cells)
            for label in labels:
                at = text.find(label + " ")
                if at >= 0 and label not in rows:
                    end = text.find("│", at)  # a dialog's border: beyond it is the screen under the dialog
                    rows[label] = {c.fg if c.reverse else c.bg for c in cells[at + len(label):end if end >= 0 else len(cells)]}
                    break
        unique = [label for label, bgs in rows.items() if bgs - set().union(*(b for other, b in rows.items() if other != label))]
        return unique[0] if len(unique) == 1 else None

    def wait_for_focus(self, label: str, labels: tuple[str, ...], timeout: float = 30.0) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.focused_row(labels) == label:
                return
            time.sleep(0.01)
        raise TimeoutError(f"the focus never reached {label!r} (it is on {self.focused_row(labels)!r}):\n{self.text()}")

    def quiet(self, seconds: float, cap: float = 10.0) -> None:
        """Wait until nothing has been drawn for ``seconds``: the dashboard's findings come in
        after its first paint, and a first key pressed while they do was timed to their frames."""
        deadline = time.perf_counter() + cap
        last, seen = time.perf_counter(), len(self.proc.output)
        while time.perf_counter() < deadline and time.perf_counter() - last < seconds:
            self.proc.drain()
            if len(self.proc.output) != seen:
                last, seen = time.perf_counter(), len(self.proc.output)
            time.sleep(0.005)
        self._feed()

    def settle(self, started: float, cap: float = 3.0) -> float:
        """Seconds from ``started`` to the last output that draws (not NOT_DRAWN) before QUIET
        seconds of silence. (The pointer's shape, sent as a new screen is pushed, used to end
        the wait when the screen's first frame came more than QUIET after it: 25 ms read for a
        key whose screen took 95.)"""
        last = started
        seen = len(self.proc.output)
        deadline = started + cap
        while time.perf_counter() < deadline:
            self.proc.drain()
            if len(self.proc.output) != seen:
                if NOT_DRAWN.sub(b"", bytes(self.proc.output[seen:])):
                    last = time.perf_counter()
                seen = len(self.proc.output)
            elif time.perf_counter() - last >= QUIET and last > started:
                break
            elif time.perf_counter() - started >= NOTHING and last == started:
                break  # the key changed nothing on the screen
            time.sleep(0.002)
        self._feed()
        return last - started


@dataclass
class Run:
    keys: int = 0
    answers: list[float] = field(default_factory=list)
    pressed: list[str] = field(default_factory=list)  # the counted keys, in order (--per-key)
    cpu: list[float] = field(default_factory=list)  # the duty process's CPU ms from each key until its screen settled


def key(name: str):
    return ("key", name)


def typed(text: str):
    return ("type", text)


def see(text: str):
    return ("see", text)


def focus(label: str, form: tuple[str, ...]):
    """Wait until the row ``label`` of a form whose rows are ``form`` has the focus."""
    return ("focus", (label, form))


def gone(text: str):
    """Wait until ``text`` has left the screen (a picker's matches once one is chosen: Ctrl+S is
    a priority key and would overtake the Enter still queued)."""
    return ("gone", text)


def cpu_ms(pid: int) -> float:
    """The CPU time a process has used so far, all its threads (Linux's schedstat, ns), in ms;
    0 where the kernel does not tell it."""
    total = 0
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0.0
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e6


def play(screen: Screen, steps, run: Run) -> None:
    pid = screen.proc.proc.pid
    for kind, value in steps:
        if kind == "key":
            # the screen settled first: a frame still coming from the step before (a late
            # frame of the last key's screen, the typed text's) is not this key's answer
            screen.quiet(QUIET)
            before = cpu_ms(pid)
            started = time.perf_counter()
            screen.proc.send(KEYS.get(value, value.encode()))
            run.keys += 1
            run.answers.append(screen.settle(started))
            run.cpu.append(cpu_ms(pid) - before)
            run.pressed.append(value)
        elif kind == "type":
            screen.proc.send(value.encode())
            screen.settle(time.perf_counter())
        elif kind == "focus":
            screen.wait_for_focus(*value)
        elif kind == "gone":
            screen.wait_for(value.replace(" ", ""), present=False)
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
        screen.quiet(DASHBOARD_QUIET)
        play(screen, steps, run)
        if show:
            print(screen.text())
    finally:
        proc.close()


# -- the tasks, as keys ------------------------------------------------------------------------------

def jump(words: str):
    """Ctrl+G, a few words of a place's name, Enter once the jump shows only what matches (the
    views' line, 总览与检查, gone): Enter is a priority key, and before the list is filtered it
    chooses nothing."""
    return [key("ctrl+g"), see("转到"), typed(words), gone("总览与检查"), key("enter")]


def task_a(db: Path, data: Path, show: bool) -> Run:
    """A 中心组学习 entry from the dashboard."""
    today = dt.date.today().isoformat()
    topic = f"学习贯彻全会精神 {time.time_ns() % 10**6}"
    form = ("日期", "学习内容", "意识形态专题", "领学人", "参加人员", "缺席人员", "学时")
    steps = [
        *jump("中心组学习"), see(f"中心组学习 {dt.date.today().year}年"),   # the jump to the list by its name
        key("n"), see("新建中心组学习"),
        focus("日期", form), typed(today), see(today), key("tab"),
        focus("学习内容", form), typed(topic), see(topic), key("tab"),
        focus("意识形态专题", form), key("space"), key("tab"), key("tab"), focus("参加人员", form),
        *[s for name in ("刘明宇", "余永福", "黄志军", "周涛") for s in (typed(name), see(name), key("enter"))],
        key("ctrl+s"), see("已新建"),
    ]
    run = Run()
    session(db, data, steps, run, show=show)
    found = [r for r in cli_json(db, data, "list", "study_session", "--limit", "0") if r["topic"] == topic]
    assert found and found[0]["ideology"] and len(found[0]["attendees"]) == 4 and found[0]["date"] == today, found
    return run


def open_event_list(year: int, last: str | None = None):
    """Ctrl+G, 报告会 (the start of 报告会、研讨会、讲座、论坛), Enter: the event list; with ``last`` (the
    title of the newest event, shown on its last row: the list is in the order entered), End
    to that row."""
    steps = [*jump("报告会"), see(f"报告会、研讨会、讲座、论坛 {year}年")]
    return steps + ([see(last), key("end")] if last else [])


def task_b(db: Path, data: Path, show: bool) -> Run:
    """An event from 草稿 to 已举行 in three sessions: the clerk creates and submits it, the
    leader approves it, the clerk files it and marks it held. It is dated today, so 举行 is not
    refused as a step in the future, and the approval and the filing (today by default) are not
    after the event."""
    today = dt.date.today()
    title = f"理论宣讲 {time.time_ns() % 10**4}"  # short enough not to be cut in the list
    filing_no = f"宣备〔{today.year}〕{time.time_ns() % 1000} 号"
    form = ("名称", "类别", "举办日期", "主办单位", "组织者", "报告人", "地点")
    clerk_creates = [
        *open_event_list(today.year), key("n"), see("新建报告会、研讨会、讲座、论坛"),
        focus("名称", form), typed(title), see(title), key("tab"), focus("类别", form),
        key("enter"), see("研讨会"), typed("讲座"), key("enter"), key("tab"),   # 类别: the menu, typed to search, chosen
        focus("举办日期", form), typed(today.isoformat()), see(today.isoformat()), key("tab"), focus("主办单位", form),
        typed("宣传办"), see("unit-3"), key("enter"), gone("unit-3"),  # 主办单位 宣传办公室, its one match; the focus goes on
        focus("组织者", form), typed("余永福"), see("person-2"), key("enter"), gone("person-2"),  # 组织者 (报批 needs one)
        key("ctrl+s"), see("已新建"), see(title),
        key("t"), see("报批 → 已报批"), key("enter"), see("确定办理这一步"), key("ctrl+s"), see("现为“已报批”"),
    ]
    leader_approves = [
        *open_event_list(today.year, title), key("t"), see("批准 → 已批准"),
        key("enter"), see("审批人 刘明宇"), key("ctrl+s"), see("现为“已批准”"),   # the leader and today, filled in
    ]
    clerk_files_and_holds = [
        *open_event_list(today.year, title), key("t"), see("备案 → 已备案"),
        key("enter"), see("备案日期 " + today.isoformat()), focus("备案号", ("备案日期", "备案号")), typed(filing_no), see(filing_no), key("ctrl+s"), see("现为“已备案”"),
        key("t"), see("举行 → 已举行"), key("enter"), see("确定办理这一步"), key("ctrl+s"), see("现为“已举行”"),
    ]
    run = Run()
    session(db, data, clerk_creates, run, login="lina", show=show)
    session(db, data, leader_approves, run, login="liumy", show=show)
    session(db, data, clerk_files_and_holds, run, login="lina", show=show)
    found = [r for r in cli_json(db, data, "list", "event", "--limit", "0") if r["title"] == title]
    assert len(found) == 1, found
    event = cli_json(db, data, "show", found[0]["id"])
    assert (event["state"], event["kind"], event["date"], event["organizer"], event["approver"], event["approved_on"],
            event["filed_on"], event["filing_no"]) == ("held", "lecture", today.isoformat(), "person-2", "person-1",
                                                       today.isoformat(), today.isoformat(), filing_no), event
    return run


def task_c(db: Path, data: Path, show: bool) -> Run:
    """A case from the demo's report meeting (held; the second past event in the picker, the
    latest first), registered with every suggested person ticked, as they come: all but a
    person whose term is in doubt (a warning), who starts unticked for the clerk to check."""
    meeting = "意识形态工作专题报告会"
    steps = [
        *jump("由活动"), see("由活动新建问责案件：选择活动"), see(meeting),
        key("down"), key("enter"), see(f"“{meeting}”问责"), see("推荐的责任人"),
        key("ctrl+s"), see("已登记"),
    ]
    run = Run()
    session(db, data, steps, run, login="lina", show=show)
    event = next(r for r in cli_json(db, data, "list", "event", "--limit", "0") if r["title"] == meeting)
    cases = [r for r in cli_json(db, data, "list", "case", "--limit", "0") if r.get("event") == event["id"]]
    assert len(cases) == 1 and cases[0]["title"] == f"“{meeting}”问责", cases
    found = cli_json(db, data, "suggest", cases[0]["id"])
    assert found["suggestions"] and all(s["named"] or s["warnings"] for s in found["suggestions"]), found
    return run


TASKS = {"a": ("中心组学习 entry from the dashboard", task_a),
         "b": ("event 草稿 → 已举行, clerk/leader/clerk", task_b),
         "c": ("case from an event, suggestions accepted", task_c)}


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
    parser.add_argument("--per-key", action="store_true", help="print each counted key with its answer in ms (the median over the runs)")
    args = parser.parse_args()
    compile_sources()
    args.data.mkdir(parents=True, exist_ok=True)
    load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [f"keys a clerk presses, duty in a {COLS}x{ROWS} pty on the demo store, {args.runs} run(s); answer = key to settled screen",
             f"{'task':<44} {'keys':>5} {'target':>7} {'answer ms (median)':>19} {'worst':>7} {'cpu ms':>7}  verdict"]
    for name in args.tasks.split(","):
        label, fn = TASKS[name]
        runs = []
        for _ in range(args.runs):
            db = demo_store(args.data)
            runs.append(fn(db, args.data, args.show))
        keys = runs[0].keys
        answers = [a * 1000 for r in runs for a in r.answers]
        median, worst = statistics.median(answers), max(answers)
        cpu = statistics.median(c for r in runs for c in r.cpu)
        if args.per_key:  # each key's median over the runs (the runs press the same keys): answer ms / cpu ms
            print(f"({name}) " + " · ".join(f"{k} {statistics.median(r.answers[i] for r in runs) * 1000:.0f}/{statistics.median(r.cpu[i] for r in runs):.0f}"
                                            for i, k in enumerate(runs[0].pressed)))
        ok = keys <= TARGETS[name] and median <= ANSWER_TARGET_MS
        lines.append(f"({name}) {label:<40} {keys:>5} {TARGETS[name]:>7} {median:>19.1f} {worst:>7.1f} {cpu:>7.1f}  {'ok' if ok else 'MISSED'}")
    lines.append(f"load average (1 / 5 / 15 min) before: {load_before}, after: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\n".join(lines))
    if not args.no_readme:
        append_readme("Keys for the standard tasks (bench/keys.py)", lines)


if __name__ == "__main__":
    main()
