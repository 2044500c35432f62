"""The Textual application and ``make_app``, the one factory the CLI and the tests share.

Start-up is on the operator's path at every SSH login, so this module imports only what the
first screen (the dashboard) needs; forms, lists, the findings and audit views, dialogs and the
command palette's provider are imported when first used.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from textual import events
from textual.app import App
from textual.reactive import reactive
from textual.screen import Screen

from ..i18n import L
from ..ledger import Ledger
from ..ui_api import PaletteCommand, ScreenSpec
from .actions import bindings, keymap_problems, register
from .background import Background
from ..present.session import Session


def _palette_provider():
    from .commands import DutyCommands

    return DutyCommands


class PluginUi:
    """The :class:`~duty_tui.ui_api.UiContext` a plugin's screen factory or command is given."""

    def __init__(self, app: "DutyApp") -> None:
        self._app = app

    @property
    def ledger(self) -> Ledger:
        return self._app.session.ledger

    @property
    def lang(self) -> str:
        return self._app.lang

    @property
    def year(self) -> int:
        return self._app.year

    @property
    def today(self) -> dt.date:
        return self._app.session.today

    def open_record(self, record_id: str) -> None:
        self._app.open_record(record_id)

    def open_list(self, record_type: str, filter_text: str = "") -> None:
        self._app.open_list(record_type, filter_text)

    def open_screen(self, screen_id: str) -> None:
        self._app.open_screen(screen_id)

    def notify(self, message: L | str, severity: str = "information") -> None:
        text = message.render(self._app.lang) if isinstance(message, L) else str(message)
        self._app.notify(text, severity=severity)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Said:
    """A one-line notice shown in the key bar (``DutyApp.notify``) until ``until`` (monotonic)."""

    text: str
    until: float


SAID_AT_MOST = 60  # cells: a longer notice, or one of several lines, is a toast


class DutyApp(App[None]):
    # Every screen's stylesheet is read with the app's, in one parse before the first paint: a
    # screen whose CSS_PATH Textual has not read yet makes it parse every stylesheet of the app
    # again and restyle every node as the screen is pushed (15-25 ms on the first Ctrl+G, form or
    # dialog of a session, issue 14); the three files add some sixty rules to the one parse.
    CSS_PATH = ["styles/app.tcss", "styles/dialogs.tcss", "styles/form.tcss", "styles/detail.tcss"]
    TITLE = "duty"
    BINDINGS = bindings("app.help", "app.palette", "app.jump", "app.lang", "app.year_prev", "app.year_next", "app.quit")
    COMMANDS = {_palette_provider}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    lang: reactive[str] = reactive("en", init=False)
    year: reactive[int] = reactive(2000, init=False)

    def __init__(self, session: Session, *, notices: Iterable[L | str] = (), landing: str = "dashboard") -> None:
        super().__init__()
        self.session = session
        self.landing = landing  # the first screen: "dashboard", or "county" (the main screen waits under it)
        self.set_reactive(DutyApp.lang, session.lang)
        self.set_reactive(DutyApp.year, session.year)
        self.animation_level = "none"
        self.notices = list(notices)
        self.background = Background(self, session.ledger)
        self.drafts = None  # login mode sets a tui.drafts.Drafts: offered at start, kept on SIGHUP
        self.said: deque[Said] = deque(maxlen=50)  # the key bar's notices, newest last
        self._toasted_on: dict[str, Screen] = {}  # a toast's identity: the screen it shows on
        if session.keymap:
            self.set_keymap(dict(session.keymap))

    def get_default_screen(self):
        from .screens.main import MainScreen

        return MainScreen(dashboard_waits=self.landing == "county")

    def on_mount(self) -> None:
        s = self.session
        if self.landing == "county":  # before anything is painted; Esc from it goes to the main dashboard
            from .screens.county import CountyScreen

            self.push_screen(CountyScreen(s, landing=True))
        for info in s.registry.failures:
            self.notify(s.t("plugins.failed", name=info.name, error=info.error or "?"), severity="warning", timeout=20)
        for bucket, kind in ((s.registry.screens, ScreenSpec), (s.registry.commands, PaletteCommand)):
            for item in bucket.values():
                if not isinstance(item, kind):
                    self.notify(s.t("plugins.bad_item", plugin=getattr(item, "plugin", "?"), what=kind.__name__, item=repr(item)[:60]),
                                severity="warning", timeout=20)
        for notice in self.notices:
            self.notify(s.r(notice), severity="warning", timeout=20)
        if self.drafts is not None:
            self.drafts.offer(self)
        if s.ledger.user.person:  # what this operator answers for is due: after the first paint
            self.call_after_refresh(self.remind_due)
        from .warmup import WarmUp

        if WarmUp.wanted(self):  # the first screens' imports and styles, while the dashboard is read
            self.warm_up = WarmUp(self)
            self.call_after_refresh(self.warm_up.start)

    def remind_due(self) -> None:
        """At login, an operator bound to a person is told what they answer for that is due or
        overdue (the list of ``duty due``, present/due.py): a notice, none when nothing is."""
        from ..present.due import due_for

        s = self.session
        try:
            items = due_for(s.ledger, s.ledger.user.person, today=s.today)
        except Exception:  # a reminder never stands in the way of the login
            return
        if not items:
            return
        self.notify(due_notice(items, s), severity="warning" if any(i.light == "red" for i in items) else "information",
                    timeout=15, markup=False)

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None,
               markup: bool = True) -> None:
        """A short notice of what was just done ("已新建 event-7", "现为“已批准”") is said in the
        key bar, drawn with the frame the key makes; warnings, errors and notices of several
        lines are toasts. A toast is a widget mounted on the screen, a layout and a frame of
        its own 20-30 ms after the key's, mounted again on every screen opened while it lasts
        (issue 14). Thread-safe, as Textual's is."""
        from rich.cells import cell_len

        text = str(message)
        if severity != "information" or title or "\n" in text or cell_len(text) > SAID_AT_MOST:
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)  # type: ignore[arg-type]
            return
        said = Said(text, time.monotonic() + (self.NOTIFICATION_TIMEOUT if timeout is None else timeout))
        if threading.get_ident() == self._thread_id:
            self._say(said)
        else:
            self.call_from_thread(self._say, said)

    def _say(self, said: Said) -> None:
        self.said.append(said)
        self._redraw_key_bars()
        self.set_timer(max(said.until - time.monotonic(), 0.0), self._redraw_key_bars)

    def saying(self) -> str | None:
        """The notice the key bar shows now, if any."""
        if self.said and self.said[-1].until > time.monotonic():
            return self.said[-1].text
        return None

    TOAST_FOLLOWS_FOR = 1.0  # seconds: a toast this young is shown on a screen that comes up

    def _refresh_notifications(self) -> None:
        """Textual mounts every live toast again on each screen that comes up: the login's
        reminder (15 s) cost each screen opened in that time a layout and a frame more (issue 14).
        Here a toast follows only in the moment it is raised (the key that raised it may also
        have changed the screen); older ones stay on the screen they were shown on, and show
        there again when the operator comes back to it, while they last."""
        from textual.app import ScreenStackError
        from textual.css.query import NoMatches
        from textual.notifications import Notifications
        from textual.widgets._toast import ToastRack

        try:
            screen = self.screen
            rack = screen.get_child_by_type(ToastRack)
        except (ScreenStackError, NoMatches):  # no screen yet, or one without toasts (the jump)
            return
        young = time.time() - self.TOAST_FOLLOWS_FOR
        shown = Notifications()
        for notification in self._notifications:
            if notification.raised_at > young:
                self._toasted_on[notification.identity] = screen
            if self._toasted_on.get(notification.identity) is screen:
                shown.add(notification)
        live = {n.identity for n in self._notifications}
        for identity in [i for i in self._toasted_on if i not in live]:
            del self._toasted_on[identity]
        self.call_later(rack.show, shown)

    def _redraw_key_bars(self) -> None:
        """Every screen's key bar: one under a dialog is drawn again as the dialog closes."""
        from .widgets.keybar import KeyBar

        for screen in self.screen_stack:
            for bar in screen.query(KeyBar):
                bar.refresh()

    warm_up = None  # warmup.WarmUp: the first screens' modules, imported after the first paint
    idle_collector = None  # warmup.IdleCollector, from the warm-up's first step (not under a test's Pilot)

    async def on_event(self, event) -> None:
        if isinstance(event, events.InputEvent):
            if self.idle_collector is not None:
                self.idle_collector.touch()  # a key or the mouse: no full collection for a moment
            if self.warm_up is not None:
                self.warm_up.touch()  # ... and no warm-up step while its answer is built
        await super().on_event(event)

    def _prune(self, *nodes, parent=None):
        """Textual lays the top screen out again once a screen taken off the stack is removed
        (``App._prune``: the removed node's parent, here the app, is refreshed with
        ``layout=True``), though nothing of the top screen has changed: one more layout and
        frame of the key that closed a dialog or a screen, 5-10 ms (issue 14: Enter in the
        jump, Ctrl+S that registers a case and closes two screens). For screens, a repaint."""
        removal = super()._prune(*nodes, parent=parent)
        if parent is self and nodes and all(isinstance(node, Screen) for node in nodes):
            def repainted() -> None:
                try:
                    self._update_mouse_over(self.screen)
                except Exception:  # no screen left (the app is closing)
                    return
                self.screen.refresh()

            removal._post_remove = repainted
        return removal

    async def action_quit(self) -> None:
        """Quit; with forms holding unsaved changes, ask once for all of them first (save,
        discard, keep as drafts). A dropped link (login mode) keeps them without asking."""
        forms = self.unsaved_forms()
        if forms and not getattr(self, "hung_up", False):
            self.leave_forms(forms, then=self._quit_now)
            return
        await self._quit_now()

    async def _quit_now(self) -> None:
        self.background.shutdown()
        await super().action_quit()

    def unsaved_forms(self) -> list:
        """The record forms on the screen stack that would lose something if closed, topmost first."""
        from .screens.record_form import RecordFormScreen

        return [screen for screen in reversed(self.screen_stack)
                if isinstance(screen, RecordFormScreen) and screen.is_mounted and screen.unsaved]

    def leave_forms(self, forms: list, then: Callable[[], Any]) -> None:
        """Leaving ``forms``: those with unsaved changes ask, in one dialog, save, discard or
        keep as drafts; ``then`` runs once nothing of them would be lost. "Back" (Escape) and a
        save the ledger refuses (its form on top, the problems shown) leave everything open."""
        from .screens.dialogs import LeaveScreen

        forms = [form for form in forms if form.unsaved]
        if not forms:
            self.call_later(then)
            return
        s = self.session

        def answered(choice: str | None) -> None:
            if choice is None:
                return
            for form in forms:
                above = self.screen_stack[self.screen_stack.index(form) + 1:]
                if not form.settle(choice):
                    while self.screen in above:  # the forms above were saved: show the one that was not
                        self.pop_screen()  # (but not what its refusal put up, as a conflict's question)
                    self.notify(s.t("leave.not_saved", what=form.what()), severity="error", timeout=6)
                    return
            if choice == "keep":
                self.notify(s.t("leave.kept", what=forms[0].what()) if len(forms) == 1 else s.t("leave.kept_many", n=len(forms)),
                            timeout=4)
            self.call_later(then)

        # Pushed from the app's own queue: the answer comes back through the screen that asked,
        # and a caller such as the jump or the palette has closed by then.
        self.call_later(self.push_screen, LeaveScreen([form.what() for form in forms],
                                                          can_keep=self.drafts is not None and all(getattr(form, "can_keep", True) for form in forms)),
                        answered)

    # -- language and year -----------------------------------------------------------------------
    def watch_lang(self, lang: str) -> None:
        self.session.lang = lang
        self.refresh_bindings()

    def watch_year(self, year: int) -> None:
        self.session.year = year

    def action_switch_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self.notify(self.session.t("lang.switched"), timeout=2)

    def action_year(self, delta: int) -> None:
        self.year = self.year + int(delta)
        self.notify(self.session.t("year.switched", year=self.year), timeout=2)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_jump(self) -> None:
        """Ctrl+G: go to a list, a screen or a view by typing part of its name."""
        from .screens.jump import JumpScreen

        if not isinstance(self.screen, JumpScreen):
            # one jump for the session, kept between uses: composing, mounting and styling it
            # again was a third of each Ctrl+G's time (issue 14)
            if not self.is_screen_installed("jump"):
                self.install_screen(JumpScreen(), "jump")
            self.push_screen("jump", callback=self._jump_to)

    def prepare_jump(self) -> None:
        """The jump's screen composed and mounted before its first Ctrl+G (the warm-up's last
        step, in a pause after the first paint), so that key only shows it: the 6-10 ms of
        composing, mounting and styling it were the first key's. Textual starts a screen this way
        on its first push (``App._get_screen``); started now, the push finds it running."""
        from .screens.jump import JumpScreen

        if not self.is_screen_installed("jump"):
            jump = JumpScreen()
            self.install_screen(jump, "jump")
            self._register(self, jump)

    def _jump_to(self, place) -> None:
        """Where the jump was asked to go, once its screen is gone (so the list it opens keeps
        the focus: its keys, n or Enter, work at once)."""
        if place is None:
            return
        if place.kind == "view":
            self.show_view(place.key)
        elif place.kind == "list":
            self.open_list(place.key)
        else:
            self.open_screen(place.key)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            from .commands import make_palette

            self.push_screen(make_palette(self, self.session.t("pal.placeholder")))

    def get_system_commands(self, screen):  # our palette provider offers its own, in both languages
        return iter(())

    # -- plugins -----------------------------------------------------------------------------------
    def plugin_screens(self) -> list[ScreenSpec]:
        return [s for s in self.session.registry.screens.values() if isinstance(s, ScreenSpec)]

    def plugin_commands(self) -> list[PaletteCommand]:
        ledger = self.session.ledger
        return [c for c in self.session.registry.commands.values()
                if isinstance(c, PaletteCommand) and (c.needs is None or ledger.can(c.needs))]

    def open_screen(self, screen_id: str) -> None:
        spec = next((s for s in self.plugin_screens() if s.id == screen_id), None)
        if spec is None:
            return
        try:
            screen = spec.factory(PluginUi(self))
            self.push_screen(screen)
        except Exception as exc:  # a plugin's broken screen must not take the app down
            self.notify(self.session.t("screen.failed", name=self.session.r(spec.label), error=f"{type(exc).__name__}: {exc}"),
                        severity="error", timeout=10)

    def run_plugin_command(self, command: PaletteCommand) -> None:
        try:
            command.run(PluginUi(self))
        except Exception as exc:
            self.notify(self.session.t("screen.failed", name=self.session.r(command.label), error=f"{type(exc).__name__}: {exc}"),
                        severity="error", timeout=10)

    # -- going places --------------------------------------------------------------------------------
    def main_screen(self, retry: Callable[[], Any] | None = None):
        """The main screen, after closing what is above it. Forms with unsaved changes are not
        ours to throw away: they ask first (save, discard, keep as drafts, or back), and once
        answered ``retry`` goes where the operator was going; meanwhile None (without
        ``retry``, None and the operator is told)."""
        from .screens.main import MainScreen

        forms = self.unsaved_forms()
        if forms:
            if retry is None:
                self.notify(self.session.t("form.discard.body"), severity="warning", timeout=4)
                return None

            def left() -> None:
                while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
                    self.pop_screen()
                retry()

            self.leave_forms(forms, then=left)
            return None
        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()
        return self.screen if isinstance(self.screen, MainScreen) else None

    def show_view(self, view_id: str) -> None:
        main = self.main_screen(retry=lambda: self.show_view(view_id))
        if main is not None:
            main.show(view_id)

    def open_list(self, record_type: str, filter_text: str | None = None) -> None:
        main = self.main_screen(retry=lambda: self.open_list(record_type, filter_text))
        if main is not None and record_type in self.session.registry.types:
            main.open_list(record_type, filter_text)

    def new_record(self, record_type: str) -> None:
        from .screens import record_actions

        main = self.main_screen(retry=lambda: self.new_record(record_type))
        if main is None:
            return
        rt = self.session.registry.types[record_type]
        main.open_list(record_type, then=lambda view: record_actions.new_record(self, rt, lambda _: view.reload()))

    def check_year(self, year: int) -> None:
        self.year = year
        self.show_view("dashboard")

    def open_record(self, record_id: str, on_close: Callable[[Any], None] | None = None) -> None:
        from .screens.record_detail import RecordDetailScreen

        self.push_screen(RecordDetailScreen(record_id), on_close)

    def open_records(self, record_ids: list[str]) -> None:
        """A finding's records: one opens directly, several offer a choice."""
        if not record_ids:
            self.notify(self.session.t("finding.no_record"), timeout=3)
            return
        if len(record_ids) == 1:
            self.open_record(record_ids[0])
            return
        from .screens.dialogs import PickRecordScreen

        def picked(record_id: str | None) -> None:
            if record_id:
                self.open_record(record_id)

        self.push_screen(PickRecordScreen(self.session.t("finding.pick", n=len(record_ids)), record_ids), picked)


def plugin_actions(registry) -> tuple[list, list[L]]:
    """The keys the plugins' screens declare (``ScreenSpec.actions``), registered so the key bar
    and help label them, and what was wrong: a screen whose action ids another holds is left out."""
    out, problems = [], []
    for spec in registry.screens.values():
        if isinstance(spec, ScreenSpec):
            try:
                register(spec.actions)
            except (TypeError, ValueError) as exc:
                problems.append(L("插件 {plugin} 的界面 {screen} 的按键未启用：{error}", "the keys of screen {screen} (plugin {plugin}) are left out: {error}").format(
                    screen=spec.id, plugin=spec.plugin or "?", error=exc))
                continue
            out.extend(spec.actions)
    return out, problems


def make_app(ledger: Ledger, *, lang: str = "en", year: int | None = None, today: dt.date | None = None,
             keymap: Mapping[str, Any] | None = None, store_label: str | None = None,
             notices: Iterable[L | str] = (), landing: str | None = None) -> DutyApp:
    """The duty TUI acting through ``ledger`` (whose user is the operator).

    ``landing``: the first screen, "dashboard" or "county"; by default the county screen for an
    operator who oversees several towns (:func:`duty_tui.county.oversees_towns`), else the
    dashboard.

    ``today`` and ``store_label`` exist so tests and snapshots are the same every day and in
    every temporary folder; ``keymap`` maps action ids to keys (the configuration's [keymap]).
    """
    today = today or ledger.today()  # the day in the store's time zone
    keymap = dict(keymap or {})
    screen_actions, problems = plugin_actions(ledger.registry)
    bad_keys = keymap_problems(keymap, screen_actions)
    problems += [why for _, why in bad_keys]
    keymap = {k: v for k, v in keymap.items() if k not in {action_id for action_id, _ in bad_keys}}
    session = Session(ledger, lang=lang, year=year or today.year, today=today, store_label=store_label or "", keymap=keymap)
    if landing is None:
        landing = "county" if lands_on_county(ledger) else "dashboard"
    return DutyApp(session, notices=[*notices, *problems], landing=landing)


def lands_on_county(ledger: Ledger) -> bool:
    from ..directory import several_top_units

    if not several_top_units(ledger):  # a town's own store: answered without the county's module (~10 ms to import)
        return False
    from ..county import oversees_towns

    return oversees_towns(ledger)


DUE_SHOWN_AT_LOGIN = 6


def due_notice(items, session) -> str:
    """The login notice: the counts by light, then the first items (soonest first)."""
    from ..present.display import safe_text
    from ..present.due import LIGHT_LABELS, counts, when

    n = counts(items)
    lines = [session.r(L("您负责的事项：逾期 {r} 项，临近 {y} 项，将到 {b} 项（duty due 查看全部）",
                         "Yours: {r} overdue, {y} due soon, {b} coming (duty due lists them)").format(
        r=n["red"], y=n["yellow"], b=n["blue"]))]
    for item in items[:DUE_SHOWN_AT_LOGIN]:
        lines.append(f"{session.r(LIGHT_LABELS[item.light])} · {session.r(when(item.days))} · {safe_text(item.title, one_line=True)}")
    if len(items) > DUE_SHOWN_AT_LOGIN:
        lines.append("…")
    return "\n".join(lines)
