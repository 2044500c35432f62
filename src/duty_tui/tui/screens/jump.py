"""Jump to a record type's list, a plugin's screen or a view by typing a few letters of its name:
in Chinese or English whatever the language shown, by its short label, or by pinyin (``zxz`` for
中心组学习) where the pinyin matcher is installed. Ctrl+G from anywhere; Enter opens the first
match (↑↓ choose another), Escape goes back."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import L
from ..actions import bindings
from .styled_once import StyledOnce

try:  # the pinyin matcher may be absent (an install without pypinyin): then names and labels only
    from ...present.pinyin import rank as pinyin_rank
except ImportError:  # pragma: no cover
    pinyin_rank = None

VIEWS = ("dashboard", "findings", "audit")


@dataclass(frozen=True)
class Place:
    kind: str  # view | list | screen
    key: str
    label: L
    short: L | None
    area: str

    def names(self) -> tuple[str, ...]:
        """Every text a person may type a part of: both languages, short labels, the id."""
        texts = [self.label.zh, self.label.en, self.key]
        if self.short is not None:
            texts += [self.short.zh, self.short.en]
        return tuple(t for t in texts if t)


def places(app) -> list[Place]:
    """The views, every record type (in area order) and every plugin screen."""
    from ...present.messages import MESSAGES

    s = app.session
    out = [Place("view", v, MESSAGES[f"nav.{v}"], None, "") for v in VIEWS]
    for area, types in s.types_by_area():
        out += [Place("list", rt.name, rt.label, rt.short_label, area) for rt in types]
    out += [Place("screen", spec.id, spec.label, spec.short_label, spec.area) for spec in app.plugin_screens()]
    return out


def score(query: str, place: Place) -> int | None:
    """Lower is better; None when the place does not match. A label that starts with the query
    comes before one that contains it, then pinyin matches."""
    q = query.strip().lower()
    if not q:
        return 0
    best = None
    for text in place.names():
        t = text.lower()
        i = t.find(q)
        if i == 0:
            return 0
        if i > 0:
            best = min(best if best is not None else 99, 1 + (0 if t[i - 1] in " _-." else 1))
    if best is None and pinyin_rank is not None:
        for text in (place.label.zh, place.short.zh if place.short else ""):
            if text:
                try:
                    r = pinyin_rank(q, text)
                except Exception:  # a matcher's hiccup must not break the jump
                    r = None
                if r is not None:
                    best = min(best if best is not None else 99, 10 + r)
    return best


class JumpScreen(StyledOnce, ModalScreen["Place | None"]):
    """A small filter of the places one can go to, by name."""

    CSS_PATH = "../styles/dialogs.tcss"
    BINDINGS = bindings("modal.cancel", "jump.next", "jump.prev", "jump.choose")
    AUTO_FOCUS = "#jump-input"  # as it is shown; it may be mounted before (DutyApp.prepare_jump)

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[Place] = []

    def _extend_compose(self, widgets: list) -> None:
        """No toasts and no tooltip on the jump (Textual adds both to every screen): it is up for
        a second or two, and the notices showing when it opens (the login's reminder) would be
        mounted on it again, a second layout and frame of the first key (issue 14). They show
        again on the screen under it, or the one it goes to, while they last."""

    def compose(self) -> ComposeResult:
        s = self.app.session
        with Vertical(classes="dialog jump-dialog"):
            yield Static(s.t("jump.title"), classes="dialog-title", id="jump-title")
            yield Input(placeholder=s.t("jump.placeholder"), id="jump-input", compact=True)
            yield OptionList(id="jump-options", compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).can_focus = False
        self.reset()

    def on_screen_resume(self) -> None:
        # the same jump, kept by the app (DutyApp.action_jump): empty again; and one mounted
        # unseen by the warm-up (DutyApp.prepare_jump) in the language of the moment
        if self._opened_before or self._reset_in != self.app.lang:
            self.reset()
        self._opened_before = True

    _opened_before = False
    _reset_in = ""  # the language of the last reset

    def reset(self) -> None:
        """Empty, every place listed, in the language and with the screens of the moment."""
        s = self.app.session
        self._reset_in = self.app.lang
        self.all = places(self.app)
        self.query_one("#jump-title", Static).update(s.t("jump.title"))
        field = self.query_one(Input)
        field.placeholder = s.t("jump.placeholder")
        with self.prevent(Input.Changed):
            field.value = ""
        if self.is_current:  # else AUTO_FOCUS, as it is shown (the app's focus is the shown screen's)
            field.focus()
        self.refilter("")

    @on(Input.Changed, "#jump-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refilter(event.value)

    @on(Input.Submitted, "#jump-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    def refilter(self, query: str) -> None:
        s = self.app.session
        scored = [(score(query, p), i, p) for i, p in enumerate(self.all)]
        self.shown = [p for sc, _, p in sorted((x for x in scored if x[0] is not None), key=lambda x: (x[0], x[1]))]
        options = self.query_one(OptionList)
        options.clear_options()
        if not self.shown:
            options.add_option(Option(Content.styled(s.t("jump.none"), "$text-muted"), id="none", disabled=True))
            return
        width = max(cell_len(s.r(p.label)) for p in self.shown)
        batch = []
        for i, p in enumerate(self.shown):
            where = s.area_label(p.area) if p.area else s.t("jump.view")
            label = s.r(p.label)
            batch.append(Option(Content.assemble(label + " " * (width - cell_len(label)), ("  " + where, "$text-muted")),
                                id=f"place-{i}"))
        options.add_options(batch)  # at once: one by one, each option re-measures the list and asks for a layout
        options.highlighted = 0

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            options.highlighted = ((options.highlighted or 0) + delta) % len(self.shown)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        options = self.query_one(OptionList)
        if not self.shown or options.highlighted is None:
            return
        self.dismiss(self.shown[options.highlighted])  # the app goes there once this is gone

    def action_cancel(self) -> None:
        self.dismiss(None)
