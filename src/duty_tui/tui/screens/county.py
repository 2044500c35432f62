"""The county dashboard (issue 19, item 2): the towns side by side for the year in view — each
area's light per town, the itemised score, the errors and warnings found, what is overdue — and,
under the list, the highlighted town spelt out. Enter goes into a town: its own dashboard, read
through that town's ledger; Esc comes back.

The towns are read off the UI thread (:mod:`duty_tui.present.county` through a worker of this
screen's own, with the county's ledger), the title saying how far it has got. Going into a town
makes that town's ledger the app's while its screen is up, so whatever is opened from its
dashboard (a record, a list, a plugin's screen) is that town's; leaving it, by Esc or by any way
that takes its screen off the stack, gives the county's back at once.

Each light has a glyph of its own (✓ ! ✗ ? -) besides its colour, so the matrix reads with
NO_COLOR and at 16 colours.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any, Callable

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import L, render
from ...present.county import GLYPHS, County, TownStanding, build_county, legend, light_word, number, score_text
from ...present.display import clip, fit, pad
from ...present.due import when
from ...present.session import Session
from ...safetext import safe_text
from ..actions import bindings
from ..background import Background
from ..widgets.keybar import KeyBar
from .dashboard import LIGHT_STYLES, DashboardView

TITLE = L("各乡镇对比", "Towns side by side")
HELP = L("各乡镇各方面检查情况、考核得分、逾期事项；Enter 进入某镇的总览", "each town's areas, score and overdue matters; Enter opens a town's dashboard")
TEXT = {
    "title": L("{year}年度 各乡镇对比（{n} 个乡镇）", "{year}: the towns side by side ({n})"),
    "reading": L("正在读取各乡镇……", "Reading the towns…"),
    "progress": L("正在读取各乡镇……{done}/{total} {name}", "Reading the towns… {done}/{total} {name}"),
    "updating": L(" · 正在更新 {done}/{total} {name}", " · updating {done}/{total} {name}"),
    "stale": L("上次检查的结果，正在重新检查（有记录变动、设置改变或已过一天）",
               "as it stood at its last check: being checked again (its records, its settings or the day changed)"),
    "checking": L("正在检查……", "checking…"),
    "none": L("没有乡镇：本存储中没有有记录的顶级单位，也没有导入的数据包", "no towns: no top unit here has records, and no bundle was imported"),
    "failed": L("读取各乡镇出错：{error}", "the towns could not be read: {error}"),
    "town": L("乡镇", "Town"),
    "score": L("得分", "Score"),
    "errors": L("问题", "Err"),
    "warnings": L("预警", "Warn"),
    "overdue": L("逾期", "Late"),
    "imported": L("* 报送（只读）", "* bundle, read only"),
    "detail": L("{name}：得分 {score} · 问题 {e} · 预警 {w} · 逾期 {o}", "{name}: score {score} · {e} errors · {w} warnings · {o} overdue"),
    "veto": L("（一票否决）", " (vetoed)"),
    "oldest": L("最早逾期：{title}，{when}", "oldest overdue: {title}, {when}"),
    "serious": L("最突出：{text}", "most serious: {text}"),
    "unread": L("未能读取：{why}", "could not be read: {why}"),
    "score_failed": L("考核评分出错：{why}", "the score failed: {why}"),
    "missing": L("未报送本年度数据包：{names}", "no bundle for the year yet: {names}"),
    "no_scorer": L("（无考核评分：未启用评分插件）", " (no scores: nothing scores towns here)"),
    "town_title": L("{name} · {year}年度总览", "{name} · {year}"),
    "town_imported": L("报送的数据包，只读", "from its signed bundle, read only"),
    "back": L("Esc 返回各乡镇对比", "Esc: back to the towns"),
    "cannot_open": L("{name} 未能读取，无法进入", "{name} could not be read, so it cannot be opened"),
}
NAME_MAX = 16  # cells for a town's name (more are cut, the detail line gives it whole)
AREA_MIN, AREA_MAX = 3, 12  # cells of an area's column
FIGURES = (("score", 6), ("errors", 5), ("warnings", 5), ("overdue", 5))
YEAR_KEYS = ("app.year_prev", "app.year_next")


def county_command(app) -> tuple[str, Callable[[], Any], str]:
    """The palette's entry (tui/commands.py): (text, what it runs, help)."""
    lang = app.session.lang
    return TITLE.render(lang), partial(open_county, app), HELP.render(lang)


def open_county(app) -> None:
    """The county screen: back to it when it is open (leaving a town), else opened anew. Forms
    with unsaved changes above it ask first, as everywhere."""
    existing = next((screen for screen in app.screen_stack if isinstance(screen, CountyScreen)), None)
    if existing is None:
        app.push_screen(CountyScreen(app.session))
        return
    above = app.screen_stack[app.screen_stack.index(existing) + 1:]
    forms = [form for form in app.unsaved_forms() if form in above]
    if forms:
        app.leave_forms(forms, then=lambda: open_county(app))
        return
    while app.screen is not existing:
        app.pop_screen()


def missing_names(ledger, year: int) -> list[str]:
    """The towns whose bundle of ``year`` has not come, named under the list (an operator bound
    to a unit has one town, their own: none)."""
    from ...county import missing_copies

    return [name for _, name in missing_copies(ledger, year)] if ledger.scope is None else []


def split_label(text: str, width: int) -> tuple[str, str]:
    """An area's label over two header lines of ``width`` cells: whole on the first when it fits;
    Chinese halved or filled (组织领导 → 组织 / 领导, 网络意识形态 → 网络 / 意识…); Latin at a
    space, else cut with an ellipsis (a word is not broken in two)."""
    if cell_len(text) <= width:
        return text, ""
    if cell_len(text) == len(text):  # no wide character: words
        first, _, rest = text.partition(" ")
        if rest and cell_len(first) <= width:
            return first, clip(rest, width)
        return clip(text, width), ""
    half = (len(text) + 1) // 2
    if cell_len(text[:half]) <= width:
        return text[:half], clip(text[half:], width)
    cut = 0
    while cut < len(text) and cell_len(text[:cut + 1]) <= width:
        cut += 1
    return text[:cut], clip(text[cut:], width)


class CountyScreen(Screen[None]):
    """Towns as rows, areas as columns; Enter on a town opens its dashboard (:class:`TownScreen`)."""

    DEFAULT_CSS = """
    CountyScreen { layout: vertical; }
    CountyScreen > #county-title { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    CountyScreen > #county-legend { height: 1; padding: 0 1; color: $text-muted; }
    CountyScreen > #county-head { height: 2; padding: 0 1; text-style: bold; }
    CountyScreen > #county-towns { height: 1fr; border: none; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    CountyScreen > #county-towns:focus { background: $boost; }
    CountyScreen > #county-detail { height: auto; max-height: 6; padding: 0 1; border-top: solid $surface-lighten-2; }
    """
    BINDINGS = [replace(b, priority=True) if b.action == "open" else b
                for b in bindings("screen.open", "screen.refresh", "screen.back", "county.dashboard")]

    def __init__(self, session: Session, *, landing: bool = False) -> None:
        super().__init__()
        self.landing = landing  # the screen duty opened on: its Esc is "Dashboard", not "Back"
        self.county_session = session  # the county's, whatever the app's is while a town is open
        self.county: County | None = None
        self.missing: list[str] = []
        self.progress: tuple[int, int, str] | None = None
        self.error: str | None = None
        self.loaded_year: int | None = None
        self.background: Background | None = None
        self.updating: tuple[int, int, str] | None = None  # kept rows shown, the stale towns being computed: how far

    def compose(self) -> ComposeResult:
        yield Static(id="county-title")
        yield Static(id="county-legend")
        yield Static(id="county-head")
        yield OptionList(id="county-towns", compact=True)
        yield Static(id="county-detail")
        yield KeyBar(also=YEAR_KEYS)

    def on_mount(self) -> None:
        self.background = Background(self.app, self.county_session.ledger)
        self.watch(self.app, "lang", lambda *_: self.show(), init=False)
        self.watch(self.app, "year", lambda *_: self.load(), init=False)
        self.load(kept_at_once=True)
        self.query_one(OptionList).focus()

    def on_unmount(self) -> None:
        if self.background is not None:
            self.background.shutdown()

    def on_resize(self) -> None:
        self.show()

    def t(self, key: str, **kwargs: Any) -> str:
        text = TEXT[key]
        return safe_text((text.format(**kwargs) if kwargs else text).render(self.app.lang))

    def r(self, value: Any) -> str:
        return safe_text(render(value, self.app.lang))

    # -- reading ------------------------------------------------------------------------------------
    def action_reload(self) -> None:
        self.load()

    def load(self, *, kept_at_once: bool = False) -> None:
        """The towns of the year in view, read in this screen's worker; the title tells the
        progress, the rows fill in when every town is read. ``kept_at_once`` (the screen's first
        reading): the towns kept are read here, before the screen is painted, and only the
        towns that changed are left to the worker."""
        year, today = self.app.year, self.county_session.today
        self.progress, self.error, self.updating = None, None, None
        if self.loaded_year != year:
            self.county = None
        shown = kept_at_once and self._read_kept(year, today)
        self.show()
        if shown and self.updating is None:
            return  # every town as kept: nothing to compute

        def job(ledger, send) -> None:
            from ...county import standing_cache_of, towns

            found = towns(ledger, year)
            missing = missing_names(ledger, year)
            if not shown:
                send(("progress", (0, len(found), "")))

            def kept(county: County, stale: list[int]) -> None:  # what is kept, at once; the stale towns follow, each as it is computed
                if stale:
                    send(("kept", (county, missing, len(stale))))

            county = build_county(found, year, today, registry=ledger.registry, cache=standing_cache_of(ledger, True), ledger=ledger,
                                  kept=kept, computed=lambda i, standing: send(("town", (i, standing))),
                                  progress=lambda done, total, name: send(("progress", (done, total, name))))
            send(("done", (county, missing)))

        self.background.submit("county", job, self._delivered, self._failed)

    def _read_kept(self, year: int, today) -> bool:
        """The county as kept, read on the UI thread (tens of milliseconds: a county operator's
        `duty` opens on this screen, and its rows are in its first paint); whether any town was
        kept. What cannot be read here is left to the worker, which says what went wrong."""
        from ...county import standing_cache_of, towns
        from ...present.county import county_as_kept

        ledger = self.county_session.ledger
        try:
            found = towns(ledger, year)
            county, stale = county_as_kept(found, year, today, registry=ledger.registry, cache=standing_cache_of(ledger, True), ledger=ledger)
            if not found or all(town.origin == "pending" for town in county.towns):
                return False
            missing = missing_names(ledger, year)
        except Exception:
            return False
        self.county, self.missing, self.loaded_year = county, missing, year
        self.updating = (0, len(stale), "") if stale else None
        return True

    def _delivered(self, message) -> None:
        kind, value = message
        if kind == "progress":
            if self.updating is not None:
                self.updating = value
            else:
                self.progress = value
        elif kind == "kept":
            self.county, self.missing, stale = value
            self.loaded_year, self.progress, self.updating = self.county.year, None, (0, stale, "")
        elif kind == "town":  # one stale town computed: its row, at once
            index, standing = value
            if self.county is not None and self.updating is not None and index < len(self.county.towns):
                self.county.towns[index] = standing
        else:
            self.county, self.missing = value
            self.loaded_year, self.progress, self.updating = self.county.year, None, None
        self.show()

    def _failed(self, exc: Exception) -> None:
        from ...errors import DutyError

        self.error = exc.render(self.app.lang) if isinstance(exc, DutyError) else f"{type(exc).__name__}: {exc}"
        self.progress = None
        self.show()

    # -- drawing ------------------------------------------------------------------------------------
    def columns(self, county: County) -> tuple[int, int]:
        """(name width, each area's width) for the screen's width."""
        width = max(self.size.width, 40) - 4  # the list's padding and the highlight's margin
        names = max([cell_len(self.t("town"))] + [cell_len(self.town_name(t)) for t in county.towns])
        name = min(names, NAME_MAX)
        figures = sum(w for _, w in FIGURES)
        areas = len(county.areas) or 1
        area = (width - name - 1 - figures) // areas
        return name, max(AREA_MIN, min(AREA_MAX, area))

    def town_name(self, town: TownStanding) -> str:
        return (safe_text(town.name, one_line=True) + ("*" if town.kind == "imported" else "")
                + (GLYPHS["pending"] if town.origin == "stale" else ""))  # ~: as it stood, being checked again

    def show(self) -> None:
        if not self.is_mounted:
            return
        county = self.county
        title = self.query_one("#county-title", Static)
        if self.error:
            title.update(Content.styled(self.t("failed", error=self.error), "bold $error"))
        elif self.progress is not None:
            done, total, name = self.progress
            title.update(self.t("progress", done=done, total=total, name=safe_text(name, one_line=True)) if total else self.t("reading"))
        elif county is None:
            title.update(self.t("reading"))
        elif self.updating is not None and any(t.origin == "pending" for t in county.towns):
            done, total, name = self.updating  # towns with no figures yet: they are still being read
            title.update(self.t("progress", done=done, total=total, name=safe_text(name, one_line=True)))
        else:
            updating = ""
            if self.updating is not None:
                done, total, name = self.updating
                updating = self.t("updating", done=done, total=total, name=safe_text(name, one_line=True))
            title.update(Content.assemble(self.t("title", year=county.year, n=len(county.towns)),
                                          ("" if county.scored else self.t("no_scorer"), "not bold"), (updating, "not bold")))
        extra = [self.t("imported")] if county is not None and any(t.kind == "imported" for t in county.towns) else []
        self.query_one("#county-legend", Static).update("  ".join([legend(self.app.lang), *extra]))
        towns = self.query_one(OptionList)
        if county is None:
            self.query_one("#county-head", Static).update("")
            if not towns.option_count:
                towns.add_option(Option(Content.styled(self.t("reading"), "$text-muted"), id="none", disabled=True))
            self.show_detail()
            return
        name_width, area_width = self.columns(county)
        self.query_one("#county-head", Static).update(self.head(county, name_width, area_width))
        highlighted = towns.highlighted
        towns.clear_options()
        if county.towns:
            towns.add_options(self.row(i, t, county, name_width, area_width) for i, t in enumerate(county.towns))
            towns.highlighted = highlighted if highlighted is not None and highlighted < towns.option_count else 0
        else:
            towns.add_option(Option(Content.styled(self.t("none"), "$text-muted"), id="none", disabled=True))
        self.show_detail()

    def head(self, county: County, name_width: int, area_width: int) -> Content:
        registry = self.county_session.registry
        top, bottom = [pad("", name_width) + " "], [fit(self.t("town"), name_width) + " "]
        for area in county.areas:
            first, second = split_label(self.r(registry.area(area).label), area_width - 1)
            top.append(fit(first, area_width))
            bottom.append(fit(second, area_width))
        full = county.full
        for key, width in FIGURES:
            top.append(fit(self.t(key), width, "right"))
            bottom.append(fit(f"/{number(full)}" if key == "score" and full is not None else "", width, "right"))
        return Content("".join(top).rstrip() + "\n" + "".join(bottom).rstrip())

    def row(self, index: int, town: TownStanding, county: County, name_width: int, area_width: int) -> Option:
        parts: list[Any] = [(fit(self.town_name(town), name_width), "bold"), " "]
        if town.origin == "pending":
            parts.append((GLYPHS["pending"] + " " + self.t("checking"), "$text-muted"))
            return Option(Content.assemble(*parts), id=f"town-{index}")
        if town.origin == "stale":  # as it stood, being computed again: dimmed, marked ~
            parts[0] = (parts[0][0], "bold $text-muted")
        if town.problem is not None:
            parts.append((self.t("unread", why=clip(self.r(town.problem), 40)), "$error"))
            return Option(Content.assemble(*parts), id=f"town-{index}")
        for area in county.areas:
            status = town.areas.get(area)
            light = status.light if status is not None else "none"
            count = {"red": status.errors, "yellow": status.warnings, "failed": status.failed}.get(light, 0) if status else 0
            mark = GLYPHS[light] + (str(count) if count and area_width >= 4 else "")
            parts += [(mark, LIGHT_STYLES[light]), " " * (area_width - cell_len(mark))]
        score = score_text(town, self.app.lang, with_full=county.full is None)
        parts.append((fit(score, FIGURES[0][1], "right"), "bold"))
        parts.append((fit(str(town.errors), FIGURES[1][1], "right"), "bold $error" if town.errors else ""))
        parts.append((fit(str(town.warnings), FIGURES[2][1], "right"), "$warning" if town.warnings else ""))
        late = str(town.overdue_count)
        parts.append((fit(late, FIGURES[3][1], "right"), "bold $error" if town.overdue else ""))
        return Option(Content.assemble(*parts), id=f"town-{index}")

    def highlighted_town(self) -> TownStanding | None:
        towns = self.query_one(OptionList)
        if self.county is None or towns.highlighted is None:
            return None
        option = towns.get_option_at_index(towns.highlighted)
        if not (option.id or "").startswith("town-"):
            return None
        return self.county.towns[int(option.id.split("-", 1)[1])]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        """The highlighted town spelt out: figures, each area by its whole label, the oldest overdue
        matter and the most serious finding; the towns whose bundle has not come."""
        detail = self.query_one("#county-detail", Static)
        town, county = self.highlighted_town(), self.county
        lines: list[Content] = []
        if town is not None and county is not None:
            lang = self.app.lang
            if town.origin == "pending":
                lines.append(Content.styled(f"{self.town_name(town)}: {self.t('checking')}", "$text-muted"))
            elif town.problem is not None:
                lines.append(Content.styled(self.t("unread", why=self.r(town.problem)), "$error"))
            else:
                score = score_text(town, lang) + (self.t("veto") if town.score is not None and town.score.vetoed else "")
                lines.append(Content.assemble((self.t("detail", name=self.town_name(town), score=score, e=town.errors, w=town.warnings,
                                                      o=town.overdue_count), "bold")))
                registry = self.county_session.registry
                areas = []
                for area in county.areas:
                    light = town.light(area)
                    areas += [(f"{GLYPHS[light]} ", LIGHT_STYLES[light]), f"{self.r(registry.area(area).label)} {light_word(light, lang)}  "]
                lines.append(Content.assemble(*areas))
                if town.score_problem:
                    lines.append(Content.styled(self.t("score_failed", why=town.score_problem), "$error"))
                if town.origin == "stale":
                    lines.append(Content.styled(self.t("stale"), "$warning"))
                if town.overdue:
                    first = town.overdue[0]
                    lines.append(Content.assemble((self.t("oldest", title=safe_text(first.title or first.record_id, one_line=True),
                                                          when=self.r(when(first.days))), "$error")))
                serious = [f for f in town.serious(1)]
                if serious:
                    lines.append(Content(self.t("serious", text=safe_text(self.r(serious[0].message), one_line=True))))
        if self.missing:
            lines.append(Content.styled(self.t("missing", names="、".join(self.missing) if self.app.lang == "zh" else ", ".join(self.missing)),
                                        "$warning"))
        detail.update(Content("\n").join(lines))

    # -- going into a town ---------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        town = self.highlighted_town()
        if town is None:
            return
        if town.problem is not None or town.open_ledger() is None:
            self.app.notify(self.t("cannot_open", name=town.name), severity="warning", timeout=4)
            return
        enter_town(self.app, town)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":  # one of the two Esc bindings, as the screen was opened
            return (parameters == ("dashboard",)) == self.landing
        return True

    def action_back(self, where: str = "") -> None:
        self.app.pop_screen()


def town_background(app, ledger) -> Background:
    """A worker for the town's dashboard that reads as the town's ledger does (within its unit:
    a Background's own ledger would otherwise be the account's, the whole county)."""
    background = Background(app, ledger)
    scope = getattr(ledger, "scope", None)
    if scope is not None and scope != getattr(ledger.user, "unit", None):
        background.ledger = ledger.narrowed(scope)
    return background


def enter_town(app, town: TownStanding) -> None:
    """Make the town's ledger the app's and show its dashboard; the county's comes back when its
    screen leaves the stack (:meth:`TownScreen.left`)."""
    saved_session, saved_background, year = app.session, app.background, app.year
    s = saved_session
    session = Session(town.ledger, lang=app.lang, year=app.year, today=s.today, store_label=f"{s.store_label} › {town.name}", keymap=s.keymap)

    def leave() -> None:
        app.background.shutdown()
        saved_session.lang, saved_session.year = app.lang, app.year
        app.session, app.background = saved_session, saved_background
        if app.year != year:  # the views below read the year while the town's ledger was the app's: again
            app.mutate_reactive(type(app).year)

    app.session, app.background = session, town_background(app, town.ledger)
    app.push_screen(TownScreen(town, leave))


class TownScreen(Screen[None]):
    """A town's own dashboard (the single town's :class:`DashboardView`), read through its ledger."""

    DEFAULT_CSS = """
    TownScreen { layout: vertical; }
    TownScreen > #town-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    TownScreen > DashboardView { height: 1fr; }
    """
    BINDINGS = bindings("screen.back")

    def __init__(self, town: TownStanding, leave: Callable[[], None]) -> None:
        super().__init__()
        self.town = town
        self._leave: Callable[[], None] | None = leave

    def compose(self) -> ComposeResult:
        from ..widgets.header import HeaderBar

        yield HeaderBar(classes="header")
        yield Static(id="town-title")
        yield DashboardView(id="dashboard")
        yield KeyBar(also=YEAR_KEYS)

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed, immediate=True)  # as the screen leaves the stack
        self.watch(self.app, "lang", lambda *_: self.relabel(), init=False)
        self.watch(self.app, "year", lambda *_: self.relabel(), init=False)
        self.relabel()
        self.call_after_refresh(lambda: self.query_one("#dash-due", OptionList).focus())

    def relabel(self) -> None:
        lang = self.app.lang
        text = TEXT["town_title"].format(name=self.town.name, year=self.app.year).render(lang)
        if self.town.kind == "imported":
            text += " · " + TEXT["town_imported"].render(lang)
        self.query_one("#town-title", Static).update(Content.assemble(safe_text(text, one_line=True), "   ",
                                                                      (TEXT["back"].render(lang), "not bold $text-muted")))

    def _screen_changed(self, screen) -> None:
        if self not in self.app.screen_stack:
            self.left()

    def on_unmount(self) -> None:
        self.left()

    def left(self) -> None:
        """Off the stack (Esc, or the palette going to the main screen): the county's ledger is
        the app's again, at once, before whatever comes next reads it."""
        leave, self._leave = self._leave, None
        if leave is not None:
            leave()

    def action_back(self) -> None:
        self.app.pop_screen()
