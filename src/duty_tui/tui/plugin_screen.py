"""What a plugin's screen builds on (Textual; imported by a screen's module, which a plugin
imports only when the operator opens the screen).

Keys. A screen's keys are ``duty_tui.ui_api.Action`` objects, declared beside its ``ScreenSpec``
(in the plugin's Textual-free module, as ``ScreenSpec(..., actions=...)``) so that help lists
them and ``[keymap]`` rebinds them before the screen is first opened; the screen builds its
``BINDINGS`` from the same objects with :func:`screen_bindings`, and :class:`KeyBar` shows the
keys that apply, in the operator's language and as the keymap has them::

    # the plugin's screens.py (no Textual)
    OPEN = Action("online_accounts.review.open", "enter", "open", L("打开账号", "Open the account"),
                  priority=True)
    SCREENS = (ScreenSpec("online_accounts.review", L(...), "positions", open_review, actions=(OPEN,)),)

    # the screen's module (Textual)
    class ReviewScreen(Screen):
        BINDINGS = screen_bindings(OPEN, "screen.refresh", "screen.back")

        def compose(self):
            ...
            yield KeyBar()

(``priority=True`` because the focused DataTable binds Enter itself: a widget's own binding for
the same key would hide the screen's from the key bar.) The core's ``screen.open`` (Enter),
``screen.refresh`` (r) and ``screen.back`` (Esc) may be named by id; their actions are ``open``,
``reload`` and ``back``. For a key named in a sentence, ``shown_key(app, action_id)`` gives it as
bound now.

Speed. A key that puts a screen up should answer within 50 ms (issue 14). Put ``StyledOnce``
before ``Screen`` in the class's bases (``class ReviewScreen(StyledOnce, Screen)``): Textual
styles a new screen's widgets as they are mounted and then all of them again as it is shown;
StyledOnce skips that second pass, and the re-layout of the screens under it on its first
Resize; and it does not paint a frame whose layout has already asked for another (a list that
gets its scrollbar in a second layout: ``PaintedSettled``, which a screen not otherwise styled
once may take alone). Give the screen ``AUTO_FOCUS`` (a selector: what has the focus from the start) rather
than focusing a widget in ``on_mount``, which restyles what the focus leaves and enters once
more. Fill an option list with one ``add_options`` call, not ``add_option`` in a loop (each
re-measures the list). ``RecordListScreen`` does all three.

Layout. :class:`RecordListScreen` is the shape the built-in plugins' screens share: a title line,
a summary line, a list whose options name records (Enter opens the record), and the key bar;
``r`` reads the list again, Esc goes back, and the list is read again when the operator comes
back to it or changes the app's language or year. A subclass gives ``TEXT``, ``ACTIONS`` (its
own keys), ``load()`` and ``show()``; its action named ``open`` (else the core's ``screen.open``)
is what Enter on the list does, and is told in the key bar.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..i18n import L
from ..ui_api import Action
from .actions import bindings, shown_key
from .screens.styled_once import StyledOnce
from .widgets.keybar import KeyBar

__all__ = ["KeyBar", "RecordListScreen", "StyledOnce", "screen_bindings", "shown_key"]

COMMON = ("screen.refresh", "screen.back")
YEAR_KEYS = ("app.year_prev", "app.year_next")


def screen_bindings(*actions: Action | str) -> list[Any]:
    """Textual ``BINDINGS`` for a screen: its own ``Action`` objects (registered, so the key bar
    labels them) and core actions by id (``"screen.refresh"``, ``"screen.back"``). Each binding
    carries the action's id, so the app's keymap rebinds it."""
    return bindings(*actions)


class RecordListScreen(StyledOnce, Screen[None]):
    """Subclasses give ``TEXT`` (their messages), ``ACTIONS`` (their keys: the same objects as on
    their ``ScreenSpec``), ``load()`` (read from the ledger) and ``show()`` (fill the widgets:
    ``heading()``, ``summary()``, ``refill(options)``), and may override ``open_option`` (Enter on
    an option) and ``compose_body`` (widgets between the summary and the list)."""

    DEFAULT_CSS = """
    RecordListScreen { layout: vertical; }
    RecordListScreen > .screen-title { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    RecordListScreen > .screen-summary { height: auto; padding: 0 1; color: $text-muted; }
    RecordListScreen > .screen-list { height: 1fr; border: none; padding: 0 1; }
    """

    AUTO_FOCUS = ".screen-list"
    TEXT: ClassVar[dict[str, L]] = {}
    ACTIONS: ClassVar[tuple[Action, ...]] = ()
    FOLLOWS: ClassVar[tuple[str, ...]] = ("lang", "year")  # the app's attributes whose change reloads
    BINDINGS: ClassVar[list] = []  # each subclass gets its own, from ACTIONS (below)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Before Textual merges the classes' BINDINGS (DOMNode.__init_subclass__): the screen's
        # own keys first, so the key bar lists them before Refresh and Back; Enter opens unless
        # the screen declares its own open action (with its own label).
        mine = cls.screen_actions()
        if "ACTIONS" in cls.__dict__ or not any("ACTIONS" in b.__dict__ or "BINDINGS" in b.__dict__
                                                for b in cls.__mro__[1:cls.__mro__.index(RecordListScreen)]):
            opens = any(a.action == "open" or "enter" in a.key.split(",") for a in mine)
            own = screen_bindings(*mine, *(() if opens else ("screen.open",)), *COMMON)
            # the open key goes before the list's own Enter (which would hide it from the key bar)
            own = [replace(b, priority=True) if b.action == "open" else b for b in own]
            cls.BINDINGS = [*cls.__dict__.get("BINDINGS", ()), *own]
        super().__init_subclass__(**kwargs)

    @classmethod
    def screen_actions(cls) -> tuple[Action, ...]:
        """The screen's own keys: its ACTIONS and those of the classes between it and
        RecordListScreen (nearest first)."""
        out: dict[str, Action] = {}
        for base in cls.__mro__:
            if base is RecordListScreen:
                break
            for a in base.__dict__.get("ACTIONS", ()):
                out.setdefault(a.id, a)
        return tuple(out.values())

    def __init__(self, ui) -> None:
        super().__init__()
        self.ui = ui
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static(classes="screen-title")
        yield Static(classes="screen-summary")
        yield from self.compose_body()
        yield OptionList(compact=True, classes="screen-list")
        yield KeyBar(also=YEAR_KEYS if "year" in self.FOLLOWS else ())

    def compose_body(self) -> ComposeResult:
        """Widgets between the summary line and the list (none by default)."""
        yield from ()

    def on_mount(self) -> None:
        for name in self.FOLLOWS:  # where the app has them
            if hasattr(self.app, name):
                self.watch(self.app, name, lambda *_: self.app_changed(), init=False)
        self.action_reload()
        self.query_one(OptionList).focus()

    def app_changed(self) -> None:
        self.action_reload()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.action_reload()

    def t(self, key: str, **kwargs: Any) -> str:
        text = self.TEXT[key]
        return (text.format(**kwargs) if kwargs else text).render(self.ui.lang)

    def heading(self, text: str) -> None:
        """The title line (Screen.title is Textual's own attribute)."""
        self.query_one(".screen-title", Static).update(text)

    def summary(self, text: str) -> None:
        self.query_one(".screen-summary", Static).update(text)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()
        self.loaded = True
        self.show()

    def load(self) -> None:
        raise NotImplementedError

    def show(self) -> None:
        raise NotImplementedError

    def refill(self, options: list[Option]) -> None:
        """Put ``options`` in the list, keeping the highlight where it was if that option can
        still be chosen, else on the first that can."""
        widget = self.query_one(OptionList)
        highlighted = widget.highlighted
        widget.clear_options()
        widget.add_options(options)
        selectable = [i for i in range(widget.option_count) if not widget.get_option_at_index(i).disabled]
        if selectable:
            widget.highlighted = highlighted if highlighted in selectable else selectable[0]

    def highlighted_id(self) -> str | None:
        """The id of the option under the cursor (None on a heading or an empty list)."""
        widget = self.query_one(OptionList)
        if widget.highlighted is None:
            return None
        option = widget.get_option_at_index(widget.highlighted)
        return None if option.disabled else option.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # Textual calls this handler of every class in the MRO: subclasses override open_option
        event.stop()
        if event.option.id:
            self.open_option(event.option.id)

    def action_open(self) -> None:
        """Enter (or the key the keymap gives the screen's open action) on the list: open the
        highlighted option. Elsewhere (a widget a subclass adds) the key goes on to that widget."""
        if self.focused is not self.query_one(OptionList):
            raise SkipAction()
        option_id = self.highlighted_id()
        if option_id:
            self.open_option(option_id)

    def open_option(self, option_id: str) -> None:
        """Enter on an option: open the record it names."""
        self.ui.open_record(option_id)
