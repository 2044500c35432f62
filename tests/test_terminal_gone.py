"""A terminal that goes away without a SIGHUP ends duty (login.watch_terminal). A process that is
not the terminal's session leader (started under setsid or nohup, or left behind by a script that
closed its pseudo-terminal) is sent no SIGHUP; its stdin then reads as empty at once, every time,
and Textual's input thread spun on it: one such `duty` used 85% of a core for an hour."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import threading
import time
import tty

from duty_tui import login


def test_the_watch_calls_back_when_the_terminal_hangs_up_and_reads_nothing_typed():
    master, slave = pty.openpty()
    tty.setraw(slave)  # what is typed is read at once, as by Textual, not line by line
    called = threading.Event()
    try:
        thread = login.watch_terminal(called.set, fd=slave, every=0.05)
        assert thread is not None
        os.write(master, b"typed")
        time.sleep(0.2)
        assert not called.is_set(), "typing is not a hang-up"
        assert os.read(slave, 100) == b"typed", "what the operator typed is still there to read"
        os.close(master)
        master = -1
        assert called.wait(5), "the hang-up was not seen"
    finally:
        if master >= 0:
            os.close(master)
        os.close(slave)


def test_no_watch_without_a_terminal():
    read, write = os.pipe()
    try:
        assert login.watch_terminal(lambda: None, fd=read) is None
    finally:
        os.close(read)
        os.close(write)


def test_duty_ends_when_its_terminal_goes_away_without_a_sighup(tmp_path):
    db = tmp_path / "t.db"
    env = {**os.environ, "DUTY_DB": f"sqlite:///{db}", "DUTY_CONFIG": str(tmp_path / "none.toml"), "TERM": "xterm-256color",
           "LANG": "C.UTF-8"}
    subprocess.run([sys.executable, "-m", "duty_tui", "demo", "--no-tui"], env=env, check=True, capture_output=True)
    master, slave = pty.openpty()
    # a session of its own, the pseudo-terminal not its controlling terminal: no SIGHUP will come
    proc = subprocess.Popen([sys.executable, "-m", "duty_tui"], stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True)
    os.close(slave)
    try:
        seen = b""
        deadline = time.monotonic() + 60
        while "镇党委".encode() not in seen and time.monotonic() < deadline and proc.poll() is None:  # the header drawn
            if select.select([master], [], [], 1.0)[0]:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
        assert proc.poll() is None, "duty is running"
        os.close(master)
        master = -1
        proc.wait(timeout=20)  # raises if it goes on running (and spinning)
    finally:
        if master >= 0:
            os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
