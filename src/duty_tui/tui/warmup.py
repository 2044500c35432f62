"""What the first screens a clerk opens would otherwise do on their first key, done while the
dashboard is being read (issue 14: a key that puts a screen up answers within 50 ms).

Each `duty` is a fresh process, so in every session the first Ctrl+G, list, form, workflow
dialog and step form paid, on their key: importing their modules (and Textual's widgets they
use), and reading their stylesheet, which makes Textual parse every stylesheet of the app anew
and restyle every node (``App._load_screen_css``). And a full garbage collection of the
start-up heap (50–80 ms) fell on one key in three or four. The stylesheets are now read with the
app's own, before the first paint (``DutyApp.CSS_PATH``). Here, a moment after the first paint,
those modules are imported, one step at a time with a pause between, and then the heap that
exists by then, the modules, classes and style rules that live as long as the process, is
frozen (``gc.freeze``) so the collector stops walking it. What the session makes afterwards is
collected as before, its full collections in the pauses (below).

And the default CSS of the widgets those screens mount (Textual's Input, Select, SelectionList,
TextArea, Button; the form's editors, the step form): Textual parses a widget class's default CSS
when the first one is mounted, 2-8 ms a class, which the first jump (Input), form (Select,
TextArea, the pickers), step dialog (Button) or plugin screen (SelectionList) of a session paid.
Here they are added to the app's stylesheet and parsed in one step; what a mount finds already
there is not parsed again. A plugin's own widgets and screens are still parsed as they are first
mounted.

The warm-up gives way to the operator: a step does not start within ``AFTER_KEY`` of a key (the
key's screen is being built and painted then, over several frames, and a step of 5-20 ms between
two of them was paid by that key); it waits for the pause after it. A key pressed during a step
waits for that one step at most.

After that, the collector's full collections wait for a pause (``IdleCollector``): Textual
allocates much per frame, and a full collection, 50–120 ms even of the heap made since the
freeze, fell on a key every few screens. The young generations are collected as always (a
millisecond or two); the full collection runs once the operator has not typed for a second and
the collector would have made one by now, or, should the keys never pause, after ten times its
usual share of work.

And the jump itself (Ctrl+G) is composed and mounted, unseen, as the last step: its first key
only shows it (``DutyApp.prepare_jump``).

Under a test's Pilot (headless) nothing of this runs unless the app asks (``WarmUp.forced``):
the tests keep the order in which Textual loads things, and a test process that makes hundreds
of apps must neither freeze their heaps nor change the collector's thresholds.
"""

from __future__ import annotations

import gc
import importlib
import time
from typing import Callable, Iterator

DELAY = 0.15  # seconds after the first paint, so the dashboard is on the terminal first
GAP = 0.005  # seconds between steps, in which a key is read and handled (a timer: the loop reads the terminal first)
AFTER_KEY = 0.25  # seconds after a key (or the mouse) before the next step

# In the order a session meets them: the jump (Ctrl+G), a list, a record's form, the workflow
# dialog and a step's form, a record's detail.
MODULES = (
    "duty_tui.tui.screens.jump",
    "duty_tui.tui.plugin_screen",  # what every plugin's screen builds on
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


class WarmUp:
    forced = False  # tests set it to run the warm-up under Pilot

    def __init__(self, app) -> None:
        self.app = app
        self.done = False
        self.last_input = float("-inf")
        self.steps: Iterator[Callable[[], None]] = iter(self._steps())

    @classmethod
    def wanted(cls, app) -> bool:
        return cls.forced or not app.is_headless

    def start(self) -> None:
        self.app.set_timer(DELAY, self._next, name="warm-up")

    def touch(self) -> None:
        """A key or the mouse: the next step waits for a pause."""
        self.last_input = time.monotonic()

    def _steps(self) -> list[Callable[[], None]]:
        steps: list[Callable[[], None]] = [lambda name=name: importlib.import_module(name) for name in MODULES]
        steps += [lambda name=name: importlib.import_module(name)  # what plugins' screens import when they open
                  for spec in self.app.plugin_screens() for name in spec.preload]
        steps.append(self._widget_css)
        steps.append(self.app.prepare_jump)  # Ctrl+G, a session's first key as often as not
        if not self.app.is_headless:
            # first, so no full collection falls on a key while the modules are imported (their
            # objects make one due); the heap is frozen again once they are in
            steps.insert(0, lambda: IdleCollector(self.app).start())
            steps.append(gc.freeze)
        return steps

    def _next(self) -> None:
        if not self.app.is_running:
            self.done = True
            return
        wait = self.last_input + AFTER_KEY - time.monotonic()
        if wait > 0:  # the operator's key is being answered: after it
            self.app.set_timer(wait, self._next, name="warm-up")
            return
        step = next(self.steps, None)
        if step is None:
            self.done = True
            return
        try:
            step()
        except Exception:  # a warm-up that fails only leaves the first key to do it, as before
            pass
        # Not call_later: while the app's queue is never empty its loop never yields, and a key
        # the terminal sends meanwhile would wait for every step. A timer lets it in first.
        self.app.set_timer(GAP, self._next, name="warm-up")


    def _widget_css(self) -> None:
        """Add the default CSS of the first screens' widgets to the app's stylesheet and parse it
        (see the module's docstring), as Textual would on their first mount: the same sources,
        scopes and tie-breakers (``DOMNode._get_default_css``, which reads only the class), the
        classes that the screens mount, in the order a session meets them (a source's
        tie-breaker is the lowest any class that mounts it gives)."""
        from textual.containers import Horizontal, Vertical, VerticalScroll
        from textual.widgets import Button, Input
        from textual.widgets._select import SelectCurrent, SelectOverlay

        from .plugin_screen import RecordListScreen
        from .screens.dialogs import LeaveScreen
        from .screens.step_form import StepFormScreen
        from .widgets import fields
        from .widgets.reference_picker import PickerInput

        classes = (Vertical, Input,  # the jump
                   Horizontal, VerticalScroll, fields.TextEditor, fields.DateEditor, fields.NumberEditor, fields.ChoiceEditor,
                   SelectCurrent, SelectOverlay, fields.ReferenceEditor, PickerInput, fields.LongTextEditor, fields.BoolEditor,
                   fields.MultiChoiceEditor,  # a record's form
                   Button, StepFormScreen, LeaveScreen, RecordListScreen)
        stylesheet = self.app.stylesheet
        for cls in classes:
            node = object.__new__(cls)  # not a widget: only its class is read
            for read_from, css, tie_breaker, scope in node._get_default_css():
                stylesheet.add_source(css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker, scope=scope)
        stylesheet.parse()
        _ = stylesheet.rules_map  # built now, not on the next key


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
