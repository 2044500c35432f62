"""A terminal a test drives as a person would: a tmux session on a server of its own, keys sent,
the screen captured and waited on (tests/tui/test_tmux.py, tests/e2e/test_ssh.py)."""

from __future__ import annotations

import re
import subprocess
import time

# Chinese text may be set with full-width punctuation (转到：, event-7：报批，现为…) or with ASCII: a
# test waits for either
WIDE_PUNCTUATION = str.maketrans("：，（）；？！", ":,();?!")


def plain(text: str) -> str:
    return text.translate(WIDE_PUNCTUATION)


SGR = re.compile(r"\x1b\[([0-9;:]*)m")
OTHER_ESCAPE = re.compile(r"\x1b(?:\[[0-9;:?]*[A-Za-ln-z@`]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z])")


def backgrounds(styled: str) -> list[tuple[str, list[str]]]:
    """A capture with its escapes (``capture-pane -e``) as lines of text, each character with
    the background it is drawn on (``5;235``, ``2;r;g;b``, ``""`` for the default; reversed
    cells marked ``r``). tmux carries the attributes from one line to the next, so the state is
    kept across lines."""
    text = OTHER_ESCAPE.sub("", styled)
    fg = bg = ""
    reverse = False
    lines: list[tuple[str, list[str]]] = []
    chars: list[str] = []
    cells: list[str] = []
    pos = 0
    for match in [*SGR.finditer(text), None]:
        for ch in text[pos:match.start() if match else len(text)]:
            if ch == "\n":
                lines.append(("".join(chars), cells))
                chars, cells = [], []
            else:
                chars.append(ch)
                cells.append("r" + fg if reverse else bg)
        if match is None:
            break
        pos = match.end()
        params = match.group(1).replace(":", ";").split(";")
        i = 0
        while i < len(params):
            p = params[i]
            if p in ("", "0"):
                fg = bg = ""
                reverse = False
            elif p == "7":
                reverse = True
            elif p == "27":
                reverse = False
            elif p in ("38", "48") and i + 1 < len(params):
                n = 3 if params[i + 1] == "5" else 5 if params[i + 1] == "2" else 1
                colour = ";".join(params[i + 1:i + n])
                fg, bg = (colour, bg) if p == "38" else (fg, colour)
                i += n - 1
            elif p == "39":
                fg = ""
            elif p == "49":
                bg = ""
            i += 1
    if chars:
        lines.append(("".join(chars), cells))
    return lines


def focused_row(styled: str, labels: tuple[str, ...]) -> str | None:
    """Which of a form's rows (named by their labels) has the focus: the one whose editor is
    drawn on a background no other row has (a focused field is lighter, its cursor lighter
    still). The bold label (.form-row:focus-within) would say it more plainly, but Textual
    does not restyle a row's label when the focus moves within the form."""
    rows = {}
    for text, cells in backgrounds(styled):
        for label in labels:
            at = text.find(label + " ")
            if at >= 0 and label not in rows:
                start = at + len(label)
                end = text.find("│", start)  # a dialog's border: what lies beyond is the screen under it
                rows[label] = set(cells[start:end if end >= 0 else len(text)])
                break
    unique = [label for label, bgs in rows.items() if bgs - set().union(*(b for l, b in rows.items() if l != label))]
    return unique[0] if len(unique) == 1 else None


class Terminal:
    def __init__(self, server: str, session: str, timeout: float) -> None:
        self.server, self.session, self.timeout = server, session, timeout

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.server, *args], capture_output=True, text=True, check=False).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def styled(self) -> str:
        """The screen with its escapes: what is bold, reversed, in which colour."""
        return self.tmux("capture-pane", "-p", "-e", "-t", self.session)

    def wait_for(self, *texts: str, gone: str | None = None) -> str:
        """Poll the screen until every text is on it (and ``gone`` is not), punctuation full-width
        or not."""
        deadline = time.monotonic() + self.timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(plain(t) in plain(screen) for t in texts) and (gone is None or plain(gone) not in plain(screen)):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{self.session}: the screen never showed {texts!r}" + (f" without {gone!r}" if gone else "")
                             + f":\n{screen}")

    def wait_for_line(self, *parts: str) -> str:
        """Poll the screen until one line holds every part (a record's row with its state, a
        form's label with its value); returns that line."""
        deadline = time.monotonic() + self.timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            line = next((line for line in screen.splitlines() if all(plain(p) in plain(line) for p in parts)), None)
            if line is not None:
                return line
            time.sleep(0.05)
        raise AssertionError(f"{self.session}: no line of the screen showed {parts!r}:\n{screen}")

    def wait_for_focus(self, label: str, labels: tuple[str, ...]) -> None:
        """Poll until the form row ``label`` (one of the form's ``labels``) has the focus. A key
        that moves the focus shows nothing else on a captured screen, and keys meant for the
        new field must not go out before it has moved."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if focused_row(self.styled(), labels) == label:
                return
            time.sleep(0.05)
        raise AssertionError(f"{self.session}: the focus never reached {label!r} (on {focused_row(self.styled(), labels)!r}):\n"
                             f"{self.screen()}")
