"""`duty demo` in a real terminal: tmux runs it at 100×30, keys are sent as a person types them,
and the captured screen is checked. Skipped (with the reason printed) only where tmux is not
installed; CI installs it (.ci/run).

Each step waits for what the screen should show next before sending more keys: Textual hands
a key to the widget focused when the key is read, so keys that move the focus and keys meant
for the new focus must not arrive in one burst (a person types slower than that). A Tab in a
form shows only as the focused field's lighter background, so the test waits for that
(Terminal.wait_for_focus); Ctrl+S is a priority key that overtakes keys still queued, so it
goes out only once what they did is on the screen.

The second test walks one event from 草稿 to 已举行 on one demo store, in Chinese: the clerk
creates and submits it, the leader approves it, the clerk files it and marks it held, each
operator in a `duty --as LOGIN` session of their own; the screen is checked after each step
and the record and its audit trail through the CLI at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from ..terminal import Terminal as TmuxTerminal

TIMEOUT = 20.0


class Terminal(TmuxTerminal):
    def alive(self) -> bool:
        return subprocess.run(["tmux", "-L", self.server, "has-session", "-t", self.session],
                              capture_output=True).returncode == 0


@pytest.fixture
def terminal(tmp_path):
    if shutil.which("tmux") is None:
        reason = "tmux is not installed (CI installs it; apt-get install tmux)"
        print(f"SKIPPED test_tmux: {reason}")
        pytest.skip(reason)
    socket = f"duty-test-{uuid.uuid4().hex[:8]}"
    env = {
        "DUTY_DB": f"sqlite:///{tmp_path / 'demo.db'}",
        "DUTY_CONFIG": str(tmp_path / "config.toml"),
        "DUTY_LANG": "en",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    command = " ".join(f"{k}={v}" for k, v in env.items()) + f" {sys.executable} -m duty_tui demo"
    subprocess.run(["tmux", "-L", socket, "-u", "new-session", "-d", "-s", "demo", "-x", "100", "-y", "30",
                    f"env {command}; sleep 2"], check=True, env={**os.environ, "LANG": "C.UTF-8"})
    term = Terminal(socket, "demo", TIMEOUT)
    yield term
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def test_duty_demo_in_a_terminal(terminal):
    screen = terminal.wait_for("at a glance", "Unit")
    assert "xx镇党委" in screen and "(admin)" in screen and "demo.db" in screen

    for _ in range(4):  # Dashboard › Findings › Audit log › Directory › Unit
        terminal.keys("Down")
    terminal.keys("Enter")
    terminal.wait_for("Unit  9 units", "东风村", "城关社区")

    terminal.keys("/")
    terminal.wait_for("words  field:value")
    terminal.keys("village", literal=True)
    screen = terminal.wait_for("Unit  3 units", gone="城关社区")
    assert all(name in screen for name in ("东风村", "红星村", "青山村"))

    terminal.keys("Enter")
    terminal.wait_for("/ village")  # the filter stays, shown in the status line
    terminal.keys("Enter")
    screen = terminal.wait_for("Parent unit", "History")
    assert "东风村" in screen and "xx镇党委 (unit-1)" in screen

    terminal.keys("e")
    terminal.wait_for("Edit Unit unit-6 (version 1)")
    terminal.keys("End")
    terminal.keys("一组", literal=True)
    terminal.wait_for("东风村一组")
    terminal.keys("C-s")
    screen = terminal.wait_for("Name: 东风村 → 东风村一组")
    assert "Version" in screen

    terminal.keys("Escape")
    terminal.wait_for("Unit  3 units", "东风村一组")
    terminal.keys("F2")
    terminal.wait_for("单位  3 个", "村委会")

    terminal.keys("C-q")
    deadline = time.monotonic() + TIMEOUT
    while "单位" in terminal.screen() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "单位  3 个" not in terminal.screen(), "Ctrl+Q quits"


# -- one event from 草稿 to 已举行, by keys, as the clerk, the leader and the clerk again ---------------

@pytest.fixture
def town(tmp_path):
    """The demo store, made once (``duty demo --no-tui``), and a tmux server on which each
    operator opens ``duty --as LOGIN`` in a session of their own, in Chinese as the clerks work."""
    if shutil.which("tmux") is None:
        reason = "tmux is not installed (CI installs it; apt-get install tmux)"
        print(f"SKIPPED test_tmux: {reason}")
        pytest.skip(reason)
    env = {
        "DUTY_DB": f"sqlite:///{tmp_path / 'town.db'}",
        "DUTY_CONFIG": str(tmp_path / "config.toml"),
        "DUTY_LANG": "zh",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    subprocess.run([sys.executable, "-m", "duty_tui", "demo", "--no-tui"], env={**os.environ, **env}, check=True,
                   capture_output=True)
    socket = f"duty-test-{uuid.uuid4().hex[:8]}"

    class Town:
        def login(self, user: str) -> Terminal:
            command = " ".join(f"{k}={v}" for k, v in env.items()) + f" {sys.executable} -m duty_tui --as {user}"
            name = f"{user}-{uuid.uuid4().hex[:4]}"
            subprocess.run(["tmux", "-L", socket, "-u", "new-session", "-d", "-s", name, "-x", "100", "-y", "30",
                            f"env {command}; sleep 2"], check=True, env={**os.environ, "LANG": "C.UTF-8"})
            return Terminal(socket, name, TIMEOUT)

        def cli_json(self, *args: str):
            out = subprocess.run([sys.executable, "-m", "duty_tui", *args, "--json"], env={**os.environ, **env, "DUTY_LANG": "en"},
                                 check=True, capture_output=True, text=True)
            return json.loads(out.stdout)

    yield Town()
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def open_events(term: Terminal, year: int) -> None:
    """Ctrl+G, 报告会, Enter: the event list (报告会、研讨会、讲座、论坛)."""
    term.keys("C-g")
    term.wait_for("转到：")
    term.keys("报告会", literal=True)
    term.wait_for("报告会、研讨会、讲座、论坛  阵地管理", gone="中心组学习  组织领导")  # the jump shows its one match
    term.keys("Enter")
    term.wait_for_line("报告会、研讨会、讲座、论坛", str(year))  # its heading, with the year (and the count, in 场)


def take_step(term: Terminal, event_id: str, title: str, state: str, step: str, target: str) -> None:
    """``t`` on the highlighted row: the dialog names the event (its title too: the dialog hides
    the list) and its state, the step is the first offered (Enter), and its short form opens."""
    term.keys("t")
    term.wait_for(f"{event_id}「{title[:4]}", f"当前“{state}”", f"{step} → {target}")  # the title line may wrap
    term.keys("Enter")
    term.wait_for(f"{step}：报告会、研讨会、讲座、论坛", f"{event_id}「{title[:4]}", f"“{target}”）")  # may wrap after the type


def done(term: Terminal, event_id: str, title: str, step: str, target: str) -> None:
    """Ctrl+S takes the step: the list's row and the notice show the new state."""
    term.keys("C-s")
    term.wait_for(f"{event_id}：{step}，现为“{target}”")
    term.wait_for_line(event_id, title[:4], target)  # a narrow column cuts the title


EVENT_FORM = ("名称", "类别", "举办日期", "主办单位", "组织者", "报告人", "地点")  # the new event form's first rows


def test_an_event_from_draft_to_held_by_keys(town):
    today = dt.date.today()
    title = "理论宣讲进社区"
    filing_no = f"宣备〔{today.year}〕58 号"

    # the clerk creates it: Ctrl+G to the list, n, the five fields it needs, Ctrl+S
    clerk = town.login("lina")
    clerk.wait_for("lina(文书)", "年度总览")
    open_events(clerk, today.year)
    clerk.keys("n")
    clerk.wait_for("新建报告会、研讨会、讲座、论坛")
    clerk.wait_for_focus("名称", EVENT_FORM)
    clerk.keys(title, literal=True)
    clerk.wait_for_line("名称", title)
    clerk.keys("Tab")
    clerk.wait_for_focus("类别", EVENT_FORM)
    clerk.keys("Enter")  # the menu of kinds, searched by typing
    clerk.wait_for("研讨会")
    clerk.keys("讲座", literal=True)
    clerk.keys("Enter")
    clerk.wait_for_line("类别", "讲座")
    clerk.keys("Tab")
    clerk.wait_for_focus("举办日期", EVENT_FORM)
    clerk.keys(today.isoformat(), literal=True)  # today: 举行 is refused for an event still to come
    clerk.wait_for_line("举办日期", today.isoformat())
    clerk.keys("Tab")
    clerk.wait_for_focus("主办单位", EVENT_FORM)
    clerk.keys("宣传办", literal=True)
    clerk.wait_for_line("宣传办公室", "unit-3")  # its one match
    clerk.keys("Enter")
    clerk.wait_for("主办单位", gone="unit-3")
    clerk.wait_for_line("主办单位", "宣传办公室")
    clerk.wait_for_focus("组织者", EVENT_FORM)  # chosen: the focus goes on by itself
    clerk.keys("余永福", literal=True)
    clerk.wait_for("person-2")
    clerk.keys("Enter", "C-s")  # in one burst, as a fast typist's keys arrive over SSH: Enter chooses before Ctrl+S saves
    created = re.search(r"已新建 (event-\d+)", clerk.wait_for("已新建 event-"))
    assert created, clerk.screen()
    event_id = created.group(1)
    clerk.wait_for_line(event_id, title[:4], "草稿")

    # ... and submits it: End to its row (the newest is the last), t, Enter, Ctrl+S
    clerk.keys("End")
    take_step(clerk, event_id, title, "草稿", "报批", "已报批")
    clerk.wait_for("确定办理这一步")
    done(clerk, event_id, title, "报批", "已报批")
    clerk.keys("C-q")

    # the leader approves it: the approver is the leader's person and the date today, filled in
    leader = town.login("liumy")
    leader.wait_for("liumy(领导)", "年度总览")
    open_events(leader, today.year)
    leader.wait_for_line(event_id, title[:4], "已报批")
    leader.keys("End")
    take_step(leader, event_id, title, "已报批", "批准", "已批准")
    leader.wait_for_line("审批人", "刘明宇")
    leader.wait_for_line("批准日期", today.isoformat())
    done(leader, event_id, title, "批准", "已批准")
    leader.keys("C-q")

    # the clerk files it (the filing date today, filled in; the number typed) and marks it held
    clerk = town.login("lina")
    clerk.wait_for("lina(文书)", "年度总览")
    open_events(clerk, today.year)
    clerk.wait_for_line(event_id, title[:4], "已批准")
    clerk.keys("End")
    take_step(clerk, event_id, title, "已批准", "备案", "已备案")
    clerk.wait_for_line("备案日期", today.isoformat())
    clerk.wait_for_focus("备案号", ("备案日期", "备案号"))  # the focus on the first field still empty
    clerk.keys(filing_no, literal=True)
    clerk.wait_for_line("备案号", filing_no)
    done(clerk, event_id, title, "备案", "已备案")
    take_step(clerk, event_id, title, "已备案", "举行", "已举行")
    clerk.wait_for("确定办理这一步")
    done(clerk, event_id, title, "举行", "已举行")

    event = town.cli_json("show", event_id)
    assert (event["title"], event["state"], event["kind"], event["date"], event["organizer_unit"], event["organizer"]) == \
        (title, "held", "lecture", today.isoformat(), "unit-3", "person-2")
    assert (event["approver"], event["approved_on"], event["filed_on"], event["filing_no"]) == \
        ("person-1", today.isoformat(), today.isoformat(), filing_no)
    trail = [(e["action"], e["actor"]) for e in town.cli_json("audit", event_id)]
    assert trail == [("create", "lina"), ("transition:submit", "lina"), ("transition:approve", "liumy"),
                     ("transition:file", "lina"), ("transition:hold", "lina")], trail
