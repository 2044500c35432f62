"""A reference field's editor: type to search the target record type, pick with ↓/↑ and Enter.

The search runs in the store through ``ledger.query(target, text=...)`` (a record id such as
``person-3`` is looked up directly), a few rows at a time. Typed in Latin letters, the text is
also matched as pinyin or initials against the titles of the target type (``liu``,
``liumingyu``, ``lmy`` find 刘明宇, duty_tui.present.pinyin): the titles and their readings are
worked out once per screen and type, on the app's background thread, from the moment a picker
gets the focus (about a second at 10,000 persons, which the first keystroke used to wait for);
a keystroke before they are ready shows the store's matches, and the pinyin ones follow. Each suggestion shows what tells it apart from another of
the same name (a person's unit and post: the type's ``describe`` fields, else its list columns).

Every chosen record shows by title, wrapped onto as many lines as they need. Backspace in the
empty input first marks the last one, a second Backspace removes it, and the removal can be
undone (``picker.undo``). A list declared ``exclusive_with`` another (缺席 and 参加) warns at
once when a record is in both; the ledger refuses it on save.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from textual import on
from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...present import pinyin
from ...present.display import show_value
from ...schema import REFERENCE, REFERENCES, Field, RecordType
from ..actions import bindings, shown_key

RESULTS = 8
ID_RE = re.compile(r"^[a-z][a-z0-9_]*-\d+$")


def described_by(rt: RecordType) -> tuple[str, ...]:
    """The fields shown beside a title in a suggestion: the type's ``describe``, else its list
    columns other than the title."""
    if rt.describe:
        return rt.describe
    return tuple(c for c in rt.list_columns if c not in (rt.title_field, "id", "state") and rt.has_field(c))


class TitlePool:
    """(id, title) of every record of one type, with each title's pinyin readings worked out,
    read once per screen: the pickers of that type on it share it."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] | None = None  # None while it is being read
        self.waiting: weakref.WeakSet[ReferencePicker] = weakref.WeakSet()  # searched before it was ready

    def title_of(self, record_id: str) -> str:
        if not hasattr(self, "_by_id"):
            self._by_id = dict(self.items or [])
        return self._by_id[record_id]


_POOLS: weakref.WeakKeyDictionary[Any, dict[str, TitlePool]] = weakref.WeakKeyDictionary()  # screen → type → pool


def read_pool(ledger, target: str) -> list[tuple[str, str]]:
    """(id, title) of every record of ``target``, each title's readings worked out."""
    items = [(r.id, ledger.title(r)) for r in ledger.query(target, limit=None)]
    pinyin.index(title for _, title in items)
    return items


class PickerInput(Input):
    """The search box; Backspace when it is empty asks the picker to mark, then remove, the last
    chosen record."""

    class RemoveLast(Message):
        pass

    def action_delete_left(self) -> None:
        if not self.value:
            self.post_message(self.RemoveLast())
            return
        super().action_delete_left()

    async def action_submit(self) -> None:
        """Enter chooses the highlighted match here and now, not through a Submitted message: a
        key typed right after it (Ctrl+S, a priority key) must find the choice made."""
        picker = next((w for w in self.ancestors if isinstance(w, ReferencePicker)), None)
        if picker is None:
            await super().action_submit()
            return
        picker.action_choose()


class ReferencePicker(Vertical):
    BINDINGS = bindings("picker.next", "picker.prev", "picker.choose", "picker.close", "picker.undo")
    DEFAULT_CSS = """
    ReferencePicker .picker-row { height: auto; }
    ReferencePicker .picker-chips { width: auto; max-width: 70%; height: auto; padding: 0 1 0 0; }
    ReferencePicker .picker-input { width: 1fr; min-width: 10; }
    ReferencePicker .picker-note { height: auto; color: $text-muted; }
    """

    class Changed(Message):
        def __init__(self, picker: "ReferencePicker") -> None:
            super().__init__()
            self.picker = picker

    def __init__(self, field: Field, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="reference-picker")
        self.field = field
        self.multiple = field.kind == REFERENCES
        self.chosen: list[str] = []
        self._results: list[str] = []
        self._marked: int | None = None           # the chip a first Backspace marked
        self._undo: tuple[int, str] | None = None  # where the last removed record was
        self._unchosen: str | None = None  # text left typed in the box, matching no single record
        self._overlap: dict[str, list[str]] = {}   # exclusive field's label key → ids in both
        self._last_pinyin: tuple[str, list[tuple[int, str]]] = ("", [])  # the last pinyin query and its hits
        self._partners_on: tuple[Any, list[ReferencePicker]] | None = None  # (screen, its partner pickers)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="picker-row"):
            yield Static(classes="picker-chips")
            box = PickerInput(placeholder=self._placeholder(), compact=True, classes="picker-input")
            box.cursor_blink = False
            yield box
        note = Static(classes="picker-note")
        note.display = False
        yield note
        menu = OptionList(classes="picker-menu", compact=True)
        menu.can_focus = False
        menu.display = False
        yield menu

    def _placeholder(self) -> str:
        return self.app.session.t("form.ref_hint", next=shown_key(self.app, "picker.next"),
                                  choose=shown_key(self.app, "picker.choose"))

    @property
    def input(self) -> PickerInput:
        return self.query_one(PickerInput)

    @property
    def menu(self) -> OptionList:
        return self.query_one(OptionList)

    # -- value -------------------------------------------------------------------------------
    def get_raw(self):
        return list(self.chosen) if self.multiple else (self.chosen[0] if self.chosen else "")

    def set_from(self, value) -> None:
        self.chosen = [v for v in (value if isinstance(value, list) else [value]) if v]
        self._marked = self._undo = None
        if self.is_mounted:
            self._show_chosen()
            self._check_exclusive()

    def on_mount(self) -> None:
        self._show_chosen()
        self.watch(self.app, "lang", lambda *_: self.relabel(), init=False)
        self.call_after_refresh(self._check_exclusive)

    def relabel(self) -> None:
        """Follow F2: the placeholder, the chosen records, the notes and any open matches."""
        self.input.placeholder = self._placeholder()
        self._show_chosen()
        if self.menu.display:
            self.search(self.input.value)

    def focus(self, scroll_visible: bool = True):
        self.input.focus(scroll_visible)
        return self

    def _show_chosen(self) -> None:
        """Every chosen record by title, wrapped (never cut); the marked one reversed; a title
        two of them share gets its id."""
        s = self.app.session
        titles = s.titles(self.chosen) if self.chosen else {}
        shown = [titles.get(i) or i for i in self.chosen]
        parts: list[Content] = []
        for n, (rid, text) in enumerate(zip(self.chosen, shown)):
            if text != rid and shown.count(text) > 1:
                text = f"{text}({rid})" if s.lang == "zh" else f"{text} ({rid})"
            style = "bold reverse $text-accent" if n == self._marked else "bold $text-accent"
            parts.append(Content.styled(text.replace(" ", "\u00a0"), style))
        sep = "、 " if s.lang == "zh" else ", "
        chips = self.query_one(".picker-chips", Static)
        chips.update(Content(sep).join(parts) if parts else "")
        chips.display = bool(parts)
        self._show_note()

    def _show_note(self) -> None:
        s = self.app.session
        lines: list[Content] = []
        for other, ids in self._overlap.items():
            titles = s.titles(ids)
            names = ("、" if s.lang == "zh" else ", ").join(titles.get(i) or i for i in ids)
            lines.append(Content.styled("⚠ " + s.t("form.ref_both", names=names, other=other_label(self, other)), "bold $warning"))
        if self._marked is not None and self._marked < len(self.chosen):
            title = s.titles([self.chosen[self._marked]]).get(self.chosen[self._marked]) or self.chosen[self._marked]
            lines.append(Content(s.t("form.ref_marked", title=title)))
        elif self._undo is not None:
            title = s.titles([self._undo[1]]).get(self._undo[1]) or self._undo[1]
            lines.append(Content(s.t("form.ref_removed", title=title, undo=shown_key(self.app, "picker.undo"))))
        if self._unchosen:
            lines.append(Content.styled("⚠ " + s.t("form.ref_unchosen", text=self._unchosen, next=shown_key(self.app, "picker.next"),
                                                   choose=shown_key(self.app, "picker.choose")), "bold $warning"))
        note = self.query_one(".picker-note", Static)
        note.update(Content("\n").join(lines) if lines else "")
        note.display = bool(lines)

    # -- searching -----------------------------------------------------------------------------
    @on(Input.Changed, ".picker-input")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._unchosen:
            self._unchosen = None
            self._show_note()
        if self._marked is not None:
            self._marked = None
            self._show_chosen()
        self.search(event.value)

    def on_descendant_focus(self) -> None:
        self._title_pool()  # read the titles for pinyin now, while the clerk starts typing

    def _title_pool(self) -> TitlePool:
        """The titles of the target type for pinyin on this screen; the first picker to ask starts
        reading them on the app's background thread (here, where an app has none)."""
        pools = _POOLS.setdefault(self.screen, {})
        pool = pools.get(self.field.target)
        if pool is not None:
            return pool
        pool = pools[self.field.target] = TitlePool()
        target = self.field.target
        background = getattr(self.app, "background", None)
        if background is None:
            pool.items = read_pool(self.app.session.ledger, target)
            return pool

        def arrived(items: list[tuple[str, str]]) -> None:
            pool.items = items
            for picker in list(pool.waiting):  # a search typed meanwhile gets its pinyin matches
                if picker.is_attached and picker.menu.display:
                    picker.search(picker.input.value)
            pool.waiting.clear()

        def failed(exc: Exception) -> None:
            pool.items = []  # no pinyin matches; the store's still show
            self.app.log.error(f"reading {target} titles for pinyin: {exc!r}")

        background.submit(f"pinyin-{target}-{id(pool)}", lambda ledger, send: send(read_pool(ledger, target)), arrived, failed)
        return pool

    def _pinyin_hits(self, text: str) -> list[tuple[int, str]]:
        """(rank, id) of the titles ``text`` matches as pinyin (none while they are still being
        read: the search runs again when they are). A query that extends the last one searches
        only the last one's hits (what matches ``lmy`` matches ``lm``), so typing on narrows a
        list that is already short."""
        pool = self._title_pool()
        if pool.items is None:
            pool.waiting.add(self)
            return []
        q = pinyin.normal(text)
        last_q, last_hits = self._last_pinyin
        if last_q and q.startswith(last_q):
            hits = pinyin.search(q, ((rid, pool.title_of(rid)) for _, rid in last_hits))
        else:
            hits = pinyin.search(q, pool.items)
        self._last_pinyin = (q, hits)
        return hits

    def search(self, text: str) -> None:
        s = self.app.session
        ledger = s.ledger
        text = text.strip()
        records = []
        if ID_RE.match(text):
            found = ledger.find(text)
            if found is not None and found.type == self.field.target:
                records.append(found)
        if not records:
            records = ledger.query(self.field.target, text=text or None, limit=RESULTS)
        if text and len(records) < RESULTS and pinyin.looks_like_pinyin(text):
            seen = {r.id for r in records}
            ranked = sorted(self._pinyin_hits(text), key=lambda hit: hit[0])  # stable: the store's order within a rank
            for _, rid in [hit for hit in ranked if hit[1] not in seen][: RESULTS - len(records)]:
                found = ledger.find(rid)
                if found is not None:
                    records.append(found)
        menu = self.menu
        menu.clear_options()
        self._results = [r.id for r in records]
        if records:
            contexts = self._contexts(records)
            titles = {r.id: s.title(r) for r in records}
            s.remember_titles(titles)  # the one chosen is shown by title at once, without a store read
            options = []
            for r in records:
                parts: list[Any] = [titles[r.id] or r.id]
                if contexts.get(r.id):
                    parts.append(("  " + contexts[r.id], "$text-muted"))
                parts.append((f"  {r.id}", "$text-muted"))
                options.append(Option(Content.assemble(*parts), id=r.id))
            menu.add_options(options)
            menu.highlighted = 0
        else:
            menu.add_option(Option(s.t("form.ref_none", type=s.type_label(self.field.target)), disabled=True))
        menu.display = True

    def _contexts(self, records) -> dict[str, str]:
        """What tells each match apart: its describe fields as a person reads them (a person:
        unit · post), references by title."""
        s = self.app.session
        rt = s.registry.types.get(self.field.target)
        if rt is None:
            return {}
        fields = [rt.field(name) for name in described_by(rt)]
        ids = [v for r in records for f in fields if f.kind in (REFERENCE, REFERENCES)
               for v in (r.data.get(f.name) if isinstance(r.data.get(f.name), list) else [r.data.get(f.name)]) if v]
        titles = s.titles(ids) if ids else {}
        out = {}
        for r in records:
            shown = [show_value(f, r.data.get(f.name), s.lang, titles) for f in fields]
            out[r.id] = " · ".join(v for v in shown if v)
        return out

    def action_move(self, delta: int) -> None:
        menu = self.menu
        if not menu.display:
            self.search(self.input.value)
            return
        if not self._results:
            return
        current = menu.highlighted or 0
        menu.highlighted = max(0, min(len(self._results) - 1, current + delta))

    def action_close(self) -> None:
        if not self.menu.display:
            raise SkipAction()
        self.menu.display = False

    @on(Input.Submitted, ".picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        """Take the highlighted match (Enter reaches here through the input's submit; a key the
        keymap gives ``picker.choose`` through the binding)."""
        if self.menu.display and self._results and self.menu.highlighted is not None:
            self.choose(self._results[self.menu.highlighted])

    @on(OptionList.OptionSelected, ".picker-menu")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.choose(event.option.id)

    def choose(self, record_id: str) -> None:
        """Take ``record_id``: a list picker stays for the next name; a single one is done, and
        the focus goes on to the next field (no Tab after Enter)."""
        if self.multiple:
            if record_id not in self.chosen:
                self.chosen.append(record_id)
        else:
            self.chosen = [record_id]
        self._marked = None
        self._unchosen = None
        with self.input.prevent(Input.Changed):
            self.input.value = ""
        self.menu.display = False
        self._changed()
        self._show_note()
        if not self.multiple and self.input.has_focus:
            self.screen.focus_next()

    # -- removing and undoing ------------------------------------------------------------------
    @on(PickerInput.RemoveLast)
    def _remove_last(self, event: PickerInput.RemoveLast) -> None:
        """The first Backspace marks the last chosen record, the second removes it."""
        event.stop()
        if not self.chosen:
            return
        if self._marked is None:
            self._marked = len(self.chosen) - 1
            self._show_chosen()
            return
        index = min(self._marked, len(self.chosen) - 1)
        self._undo = (index, self.chosen.pop(index))
        self._marked = None
        self._changed()

    def action_undo(self) -> None:
        """Put back the record the last Backspace removed, where it was."""
        if self._undo is None:
            raise SkipAction()
        index, record_id = self._undo
        self._undo = None
        if record_id not in self.chosen:
            if self.multiple:
                self.chosen.insert(min(index, len(self.chosen)), record_id)
            else:
                self.chosen = [record_id]
        self._changed()

    def _changed(self) -> None:
        self._show_chosen()
        self._check_exclusive()
        self.post_message(self.Changed(self))

    # -- exclusive lists -----------------------------------------------------------------------
    def _partners(self) -> list["ReferencePicker"]:
        """The pickers on this screen whose field excludes this one's, or this one theirs (looked
        up once per screen: a form's fields do not change, and every choice asks again)."""
        if not self.multiple or not self.is_attached:
            return []
        screen = self.screen
        if self._partners_on is None or self._partners_on[0] is not screen:
            self._partners_on = (screen, [
                p for p in screen.query(ReferencePicker)
                if p is not self and p.multiple and p.field.target == self.field.target
                and (p.field.exclusive_with == self.field.name or self.field.exclusive_with == p.field.name)])
        return [p for p in self._partners_on[1] if p.is_attached]

    def _check_exclusive(self) -> None:
        """Warn on this picker and its partners as soon as a record is in both lists."""
        partners = self._partners()
        for picker in [self, *partners]:
            picker._find_overlap()

    def _find_overlap(self) -> None:
        overlap = {}
        for p in self._partners():
            both = [i for i in self.chosen if i in p.chosen]
            if both:
                overlap[p.field.name] = both
        if overlap != self._overlap:
            self._overlap = overlap
            self._show_note()

    def on_descendant_blur(self) -> None:
        self.menu.display = False
        if self._marked is not None:
            self._marked = None
            self._show_chosen()
        self.call_after_refresh(self._settle_typed)

    def _settle_typed(self) -> None:
        """Leaving with a name typed and not chosen: the one record it matches is taken (a clerk
        types 宣传办 and Tab); with none or several, the picker says the text was not taken,
        rather than the save saying only "required". Latin letters may still gain pinyin matches,
        so they are never taken this way."""
        try:
            if not self.is_mounted or self.has_focus_within or not self.screen.is_current:
                return
            text = self.input.value.strip()
        except (NoMatches, NoScreen):  # the form is closing
            return
        if not text:
            return
        if len(self._results) == 1 and not pinyin.looks_like_pinyin(text):
            self.choose(self._results[0])
            return
        self._unchosen = text
        self._show_note()


def other_label(picker: ReferencePicker, name: str) -> str:
    """The label of the picker's partner field ``name``, in the operator's language."""
    for p in picker._partners():
        if p.field.name == name:
            return picker.app.session.r(p.field.label)
    return name
