"""What the first screens a clerk opens would otherwise do on their first key, done while the
dashboard is being read (issue 14: a key that puts a screen up answers within 50 ms).

Each `duty` is a fresh process, so in every session the first Ctrl+G, list, form, workflow
dialog and step form paid, on their key: importing their modules (and Textual's widgets they
use), and reading their stylesheet, which makes Textual parse every stylesheet of the app anew
and restyle every node (``App._load_screen_css``). And a full garbage collection of the
start-up heap (50–80 ms) fell on one key in three or four. Here, a moment after the first
paint, those modules are imported and those stylesheets read, one step at a time with a pause
between (a key pressed meanwhile waits one step at most, never the whole), and then the heap that
exists by then, the modules, classes and style rules that live as long as the process, is
frozen (``gc.freeze``) so the collector stops walking it. What the session makes afterwards is
collected as before, its full collections in the pauses (below).

After that, the collector's full collections wait for a pause (``IdleCollector``): Textual
allocates much per frame, and a full collection, 50–120 ms even of the heap made since the
freeze, fell on a key every few screens. The young generations are collected as always (a
millisecond or two); the full collection runs once the operator has not typed for a second and
the collector would have made one by now, or, should the keys never pause, after ten times its
usual share of work.

Under a test's Pilot (headless) nothing of this runs unless the app asks (``WarmUp.forced``):
the tests keep the order in which Textual loads things, and a test process that makes hundreds
of apps must neither freeze their heaps nor change the collector's thresholds.
"""

from __future__ import annotations

import gc
import importlib
import time
from pathlib import Path
from typing import Callable, Iterator

STYLES = Path(__file__).resolve().parent / "styles"
DELAY = 0.15  # seconds after the first paint, so the dashboard is on the terminal first
GAP = 0.02  # seconds between steps, in which a key is read and handled

# In the order a session meets them: the jump (Ctrl+G), a list, a record's form, the workflow
# dialog and a step's form, a record's detail.
MODULES = (
    "duty_tui.tui.screens.jump",
    "duty_tui.tui.screens.record_list",
    "duty_tui.tui.widgets.record_table",
    "duty_tui.tui.screens.record_actions",
    "duty_tui.tui.widgets.reference_picker",
    "duty_tui.tui.widgets.fields",
    "duty_tui.tui.screens.record_form",
    "duty_tui.tui.screens.dialogs",
    "duty_tui.tui.screens.step_form",
    "duty_tui.tui.screens.record_detail",
)
# The screens' CSS_PATH files, as Textual names them once resolved (see App._load_screen_css).
STYLESHEETS = ("dialogs.tcss", "form.tcss", "detail.tcss")


class WarmUp:
    forced = False  # tests set it to run the warm-up under Pilot

    def __init__(self, app) -> None:
        self.app = app
        self.done = False
        self.steps: Iterator[Callable[[], None]] = iter(self._steps())

    @classmethod
    def wanted(cls, app) -> bool:
        return cls.forced or not app.is_headless

    def start(self) -> None:
        self.app.set_timer(DELAY, self._next, name="warm-up")

    def _steps(self) -> list[Callable[[], None]]:
        steps: list[Callable[[], None]] = [lambda name=name: importlib.import_module(name) for name in MODULES]
        steps.append(self._stylesheets)
        if not self.app.is_headless:
            steps.append(lambda: IdleCollector(self.app).start())
        return steps

    def _next(self) -> None:
        step = next(self.steps, None)
        if step is None or not self.app.is_running:
            self.done = True
            return
        try:
            step()
        except Exception:  # a warm-up that fails only leaves the first key to do it, as before
            pass
        # Not call_later: while the app's queue is never empty its loop never yields, and a key
        # the terminal sends meanwhile would wait for every step. A timer lets it in first.
        self.app.set_timer(GAP, self._next, name="warm-up")

    def _stylesheets(self) -> None:
        """Read the screens' stylesheets now, all at once: one parse of the app's CSS and one
        restyle, where each screen's first push would make its own."""
        stylesheet = self.app.stylesheet
        new = [path for path in (str(STYLES / name) for name in STYLESHEETS) if not stylesheet.has_source(path, "")]
        if not new:
            return
        for path in new:
            stylesheet.read(path)
        stylesheet.reparse()
        stylesheet.update(self.app)


class IdleCollector:
    """Full collections in the pauses between keys (see the module's docstring)."""

    IDLE = 1.0  # seconds without a key or a mouse event that count as a pause
    CHECK = 0.5  # seconds between looks
    DUE = 10  # young collections between full ones: Python's own third threshold
    OVERDUE = 100  # ... after which a full collection runs pause or not

    def __init__(self, app) -> None:
        self.app = app
        self.last_input = time.monotonic()
        self.full = 0  # full collections made here (the bench and a test read it)

    def start(self) -> None:
        gc.freeze()  # what exists now lives as long as the process: never walked again
        first, second, _third = gc.get_threshold()
        gc.set_threshold(first, second, 1 << 30)  # no full collection of its own accord
        self.app.idle_collector = self
        self.app.set_interval(self.CHECK, self.check, name="idle collector")

    def touch(self) -> None:
        self.last_input = time.monotonic()

    def check(self) -> None:
        pending = gc.get_count()[2]  # young collections since the last full one
        idle = time.monotonic() - self.last_input >= self.IDLE
        if (idle and pending >= self.DUE) or pending >= self.OVERDUE:
            gc.collect()
            self.full += 1
