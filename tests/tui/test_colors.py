"""Legible at 16 and 256 colours, no animation, nothing destructive on bare Escape.

OpenSSH forwards TERM but not COLORTERM, so an operator's terminal often gets 256 or 16 colours
(TEXTUAL_COLOR_SYSTEM=256 / standard). Rich reduces each cell's colours to the nearest the
terminal has; the test does the same to every cell of the dashboard, a list, a form and a
dialog, in both languages, and checks that no text ends up in the colour of its background
and that every cell keeps a readable contrast. A tmux run of `duty demo` with each setting
checks that the terminal really receives no 24-bit colour.
"""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest
from rich.color import ColorSystem
from rich.terminal_theme import DEFAULT_TERMINAL_THEME

from duty_tui.testing import open_record_list, wait_until
from duty_tui.tui.screens.record_form import RecordFormScreen

SYSTEMS = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT}
MIN_CONTRAST = 1.5  # dimmed hints and disabled keys are meant to be faint, never invisible


def luminance(rgb) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def cells_as(app, system: ColorSystem, region=None):
    """(text, fg, bg) of every visible piece of text on the screen (or in ``region``), colours
    as the terminal gets them."""
    out = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            text, style = segment.text, segment.style
            start, x = x, x + segment.cell_length
            if region is not None and not (region.y <= y < region.bottom and region.x <= start < region.right):
                continue
            if not text.strip() or style is None or style.color is None or style.bgcolor is None:
                continue
            fg, bg = style.color, style.bgcolor
            if style.reverse:
                fg, bg = bg, fg
            out.append((text.strip(), fg.downgrade(system), bg.downgrade(system)))
    return out


def problems(app, system: ColorSystem, min_contrast: float, region=None) -> list[str]:
    found = []
    for text, fg, bg in cells_as(app, system, region):
        if set(text) <= set("▁▂▃▄▅▆▇█▕▏▌▐─│╭╮╰╯├└┌┐┘┤┬┴┼━┃"):  # scrollbars and borders: lines, not text
            continue
        if text == "X":  # an unticked checkbox: its X is meant to fade into the box (ticked, it shows)
            continue
        ratio = contrast(fg.get_truecolor(DEFAULT_TERMINAL_THEME), bg.get_truecolor(DEFAULT_TERMINAL_THEME))
        if fg.number == bg.number or ratio < min_contrast:
            found.append(f"{text[:30]!r}: {fg.name} on {bg.name} (contrast {ratio:.2f})")
    return found


def region_of(app, view: str):
    """A dialog is checked inside its frame: the screen behind it is dimmed on purpose."""
    return app.screen.query_one(".dialog").region if view == "dialog" else None


async def views(pilot):
    """The dashboard, a list, a form and a dialog, one after another."""
    app = pilot.app
    await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen" and app.screen.query_one("DashboardView").board
                     is not None, "the dashboard")
    yield "dashboard"
    await open_record_list(pilot, "meeting")
    await wait_until(pilot, lambda: "中心组集中学习" in "".join(s.text for s in app.screen._compositor.render_strips()), "the list")
    yield "list"
    app.new_record("meeting")
    form = await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen.query_one("#field-title")
                            and app.screen, "the form")
    await pilot.press("ctrl+s")  # empty: the errors show, in their colour
    await wait_until(pilot, lambda: form.query_one("#form-errors").display, "the errors")
    yield "form with errors"
    await pilot.press("x", "escape")
    await wait_until(pilot, lambda: app.screen.__class__.__name__ == "LeaveScreen", "the leave dialog")
    yield "dialog"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("system", sorted(SYSTEMS))
async def test_no_text_in_the_colour_of_its_background(town, duty_app, system, lang):
    """At 256 colours every piece of text keeps a contrast of 1.5 or more; at 16 no text ends up
    in the very colour of its background (for the contrast at 16, see the next test)."""
    seen = []
    async with duty_app(ledger=town, lang=lang) as pilot:
        app = pilot.app
        async for view in views(pilot):
            await pilot.pause()
            found = problems(app, SYSTEMS[system], MIN_CONTRAST if system == "256" else 1.0, region_of(app, view))
            assert not found, f"{view} at {system} colours:\n" + "\n".join(found)
            seen.append(view)
    assert seen == ["dashboard", "list", "form with errors", "dialog"]


async def test_contrast_at_16_colours(town, duty_app):
    """At 16 colours (OpenSSH without COLORTERM) every piece of text keeps a contrast of 1.5: the
    key bar's keys are amber (bright yellow at 16, not orange's bright red on the panel's bright
    black) and the "overdue" badge is white on red (red text on a highlighted row's grey was as
    light as the grey)."""
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        found = []
        async for view in views(pilot):
            await pilot.pause()
            found += [f"{view}: {p}" for p in problems(app, ColorSystem.STANDARD, MIN_CONTRAST, region_of(app, view))]
        assert not found, "\n".join(found)


async def test_no_animation(town, duty_app):
    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        await pilot.pause()
        assert app.animation_level == "none"
        from textual.widgets import Input, TextArea

        await open_record_list(pilot, "meeting")
        app.new_record("meeting")
        form = await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen.query_one("#field-title")
                                and app.screen, "the form")
        assert not any(w.cursor_blink for w in form.query(Input)) and not any(w.cursor_blink for w in form.query(TextArea))


# -- Escape ----------------------------------------------------------------------------------------
# What Escape may do: move the focus, go back, close a dialog with its safe answer, leave the
# list's filter box (the filter stays applied). Nothing that deletes, discards, quits or saves.
SAFE_ON_ESCAPE = {"focus_nav", "cancel", "back", "done", "close"}  # close: a reference picker hides its menu


def all_bindings():
    """Every binding of every screen and widget class in duty_tui.tui, by class."""
    import importlib
    import pkgutil

    import duty_tui.tui as tui
    from textual.dom import DOMNode

    for info in pkgutil.walk_packages(tui.__path__, "duty_tui.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__.startswith("duty_tui"):
                for binding in cls.__dict__.get("BINDINGS", []):
                    yield cls, binding


def test_escape_is_never_bound_to_a_destructive_action():
    from duty_tui.tui.actions import ACTIONS

    escapes = [a for a in ACTIONS if "escape" in a.key.split(",")]
    assert escapes and all(a.action.split("(")[0] in SAFE_ON_ESCAPE for a in escapes), [(a.id, a.action) for a in escapes]
    checked = []
    for cls, binding in all_bindings():
        keys = binding.key.split(",") if hasattr(binding, "key") else [binding[0]]
        action = binding.action if hasattr(binding, "action") else binding[1]
        if "escape" in keys:
            name = action.split("(")[0].rsplit(".", 1)[-1]
            assert name in SAFE_ON_ESCAPE, f"{cls.__qualname__} binds Escape to {action!r}"
            checked.append(cls.__qualname__)
    assert "FilterInput" in checked and "RecordFormScreen" in checked, checked


async def test_escape_on_a_changed_form_asks_and_escape_again_keeps_it(town, duty_app):
    from duty_tui.tui.screens.dialogs import LeaveScreen

    async with duty_app(ledger=town) as pilot:
        app = pilot.app
        await open_record_list(pilot, "meeting")
        app.new_record("meeting")
        form = await wait_until(pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen.query_one("#field-title")
                                and app.screen, "the form")
        await pilot.press("a", "b", "c")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LeaveScreen) and app.screen, "the leave question")
        assert app.focused.id == "leave-back", "the safe answer has the focus"
        await pilot.press("escape")  # the safe answer: keep typing
        await wait_until(pilot, lambda: app.screen is form, "back in the form")
        assert form.raws()["title"] == "abc"


# -- the terminal really gets no 24-bit colour --------------------------------------------------------
@pytest.mark.parametrize("system,forbidden", [("standard", ("38;2;", "48;2;", "38;5;", "48;5;")), ("256", ("38;2;", "48;2;"))])
def test_the_terminal_gets_only_the_colours_it_was_given(tmp_path, system, forbidden):
    if shutil.which("tmux") is None:
        reason = "tmux is not installed (CI installs it; apt-get install tmux)"
        print(f"SKIPPED test_colors tmux: {reason}")
        pytest.skip(reason)
    socket = f"duty-colors-{uuid.uuid4().hex[:8]}"
    env = {"DUTY_DB": f"sqlite:///{tmp_path / 'demo.db'}", "DUTY_CONFIG": str(tmp_path / "config.toml"), "DUTY_LANG": "en",
           "TERM": "xterm-256color", "LANG": "C.UTF-8", "TEXTUAL_COLOR_SYSTEM": system}
    command = " ".join(f"{k}={v}" for k, v in env.items()) + f" {sys.executable} -m duty_tui demo"
    subprocess.run(["tmux", "-L", socket, "-u", "new-session", "-d", "-s", "c", "-x", "100", "-y", "30", f"env {command}; sleep 5"],
                   check=True, env={**os.environ, "LANG": "C.UTF-8"})
    try:
        deadline = time.monotonic() + 20
        screen = ""
        while time.monotonic() < deadline:
            screen = subprocess.run(["tmux", "-L", socket, "capture-pane", "-e", "-p", "-t", "c"], capture_output=True,
                                    text=True).stdout
            if "at a glance" in screen and "Unit" in screen:
                break
            time.sleep(0.1)
        assert "at a glance" in screen, screen
        assert "\x1b[" in screen, "colours reach the terminal"
        assert not [f for f in forbidden if f in screen], f"{system}: the screen holds colours the terminal was not given"
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
