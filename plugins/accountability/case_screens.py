"""Opening a case from an event (Textual, imported only when opened): pick the event, then the new
case comes filled in from it — title, circumstance (9, the one about report meetings, seminars,
lectures and forums, until the operator picks another), the day it occurred, the organising
unit — with the chain's suggestions ticked: the organiser, the approver, the unit's secretary
and leaders, each with its kind and the clause it rests on; one with a warning (a term in
doubt, such as a former secretary whose 任职止 was never entered) is shown with the warning and
left unticked until the operator ticks it.
Ctrl+S registers the case and names the ticked persons; the case then opens, where ``t`` moves
it along its workflow (deciding is a leader's step). Also the dialog that accepts suggestions
for a case already registered."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Select, SelectionList, Static
from textual.widgets.option_list import Option

from duty_tui.errors import DutyError, ValidationError
from duty_tui.i18n import L
from duty_tui.store import Filter
from duty_tui.tui.plugin_screen import KeyBar, StyledOnce, screen_bindings, shown_key

from .circumstances import AT_AN_EVENT, CIRCUMSTANCES, full_text, short
from .screens import CHOOSE_EVENT, FILTER_EVENTS, NAME_TICKED, NEXT_FIELD, REGISTER_CASE, TICK
from .suggest import Suggestion, Suggestions, accept, suggest
from .types import CASE

EVENTS_SHOWN = 100

TEXT = {
    "pick_title": L("由活动新建问责案件：选择活动", "New case from an event: pick the event"),
    "pick_hint": L("已举办的在前（最近的先），然后是将举办的；{filter} 按文字筛选", "past events first (latest first), then coming ones; {filter} filters by text"),
    "organiser": L("组织者 {name}", "organiser {name}"),
    "approver": L("审批人 {name}", "approver {name}"),
    "no_events": L("没有活动记录", "no events recorded"),
    "new_title": L("新建问责案件 · 来自 {id} {title}（{date}）", "New case · from {id} {title} ({date})"),
    "case_title": L("问责事由", "Grounds"),
    "circumstance": L("情形", "Circumstance"),
    "occurred_on": L("发生日期", "Occurred on"),
    "unit": L("涉及单位", "Unit"),
    "default_title": L("“{title}”问责", "Accountability for “{title}”"),
    "suggested": L("推荐的责任人（{tick} 取消勾选）", "Suggested responsible persons ({tick} unticks)"),
    "nobody": L("（责任链上没有可推荐的人）", "(the chain suggests nobody)"),
    "in_doubt": L("⚠ 待核实，未勾选", "⚠ to check, unticked"),
    "warning": L("⚠ {name}：{warning}", "⚠ {name}: {warning}"),
    "organisation": L("{name}：全面领导责任（{clause}）", "{name}: overall leadership responsibility ({clause})"),
    "registered": L("已登记 {id}，认定责任人 {n} 名", "registered {id} with {n} responsible person(s) named"),
    "accept_title": L("采纳推荐：{id} {title}", "Accept suggestions: {id} {title}"),
    "accepted": L("已认定 {n} 名责任人", "{n} responsible person(s) named"),
    "all_named": L("推荐的人都已认定", "everyone suggested is named already"),
}


def text(ui, key: str, **kwargs) -> str:
    message = TEXT[key]
    return (message.format(**kwargs) if kwargs else message).render(ui.lang)


def suggestion_prompt(ui, s: Suggestion) -> Content:
    reasons = ("；" if ui.lang == "zh" else "; ").join(r.text.render(ui.lang) for r in s.reasons)
    return Content.assemble((s.name, "bold"), "  ", (s.kind_label().render(ui.lang), "$accent"),
                            (f"  {text(ui, 'in_doubt')}" if s.warnings else "", "$warning"),
                            ("  — " + reasons, "$text-muted"), (f"  {s.clause().render(ui.lang)}", "$text-muted"))


def reasons_text(ui, s: Suggestion) -> str:
    lines = [f"{s.name}: {r.text.render(ui.lang)}  [{r.record}]  {r.clause.render(ui.lang)}" for r in s.reasons]
    return "\n".join(lines + [text(ui, "warning", name=s.name, warning=w) for w in s.warnings])


def warning_lines(ui, suggestions: list[Suggestion]) -> list[str]:
    return [text(ui, "warning", name=s.name, warning=w) for s in suggestions for w in s.warnings]


class TickList(SelectionList[str]):
    """The suggested persons; Space (``accountability.tick``) ticks or unticks one."""

    BINDINGS = screen_bindings(TICK)


class EventPickerScreen(StyledOnce, Screen[None]):
    DEFAULT_CSS = """
    EventPickerScreen { layout: vertical; }
    EventPickerScreen #pick-title { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    EventPickerScreen #pick-filter { margin: 0 1; }
    EventPickerScreen #pick-list { height: 1fr; border: none; padding: 0 1; }
    """
    BINDINGS = screen_bindings(CHOOSE_EVENT, FILTER_EVENTS, "screen.back")
    AUTO_FOCUS = "#pick-list"

    def __init__(self, ui) -> None:
        super().__init__()
        self.ui = ui

    def compose(self) -> ComposeResult:
        yield Static(text(self.ui, "pick_title"), id="pick-title")
        yield Input(placeholder=text(self.ui, "pick_hint", filter=shown_key(self.app, FILTER_EVENTS.id)),
                    id="pick-filter", compact=True)
        yield OptionList(id="pick-list", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()
        self.query_one(OptionList).focus()

    def load(self, words: str = "") -> None:
        ledger = self.ui.ledger
        events = ledger.query("event", text=words or None, sort=(("date", True), ("id", True)), limit=EVENTS_SHOWN)
        today = self.ui.today
        events = [e for e in events if e.data["date"] <= today] + [e for e in reversed(events) if e.data["date"] > today]
        people = {p for e in events for p in (e.data.get("organizer"), e.data.get("approver")) if p}
        names = {p.id: str(p.data.get("name")) for p in ledger.query("person", filters=(Filter("id", "in", tuple(sorted(people))),), limit=None)} \
            if people else {}
        options = self.query_one(OptionList)
        options.clear_options()
        if not events:
            options.add_option(Option(Content.styled(text(self.ui, "no_events"), "$text-muted"), disabled=True))
            return
        rt = ledger.type("event")
        shown = []
        for e in events:
            state = rt.workflow.state(e.state).label.render(self.ui.lang) if e.state else ""
            who = " · ".join(TEXT[role].format(name=names.get(e.data[field], e.data[field])).render(self.ui.lang)
                             for role, field in (("organiser", "organizer"), ("approver", "approver")) if e.data.get(field))
            shown.append(Option(Content.assemble((e.data["date"].isoformat(), "bold"), "  ", (e.data["title"], "bold"), "  ",
                                                 (state, "$accent"), (f"  {who}" if who else "", "$text-muted"),
                                                 (f"  {e.id}", "$text-muted")), id=e.id))
        options.add_options(shown)  # at once (one by one, each re-measures the list)
        options.highlighted = 0

    def action_filter(self) -> None:
        self.query_one(Input).focus()

    def action_choose(self) -> None:
        """Enter on the list (a priority key, so the key bar tells it): choose the highlighted
        event. In the filter box the key goes on to the box."""
        options = self.query_one(OptionList)
        if self.focused is not options:
            raise SkipAction()
        if options.highlighted is not None:
            options.action_select()

    @on(Input.Submitted, "#pick-filter")
    def _filtered(self, event: Input.Submitted) -> None:
        self.load(event.value.strip())
        self.query_one(OptionList).focus()

    def action_back(self) -> None:
        if self.query_one(Input).has_focus:
            self.query_one(OptionList).focus()
        else:
            self.dismiss(None)

    @on(OptionList.OptionSelected, "#pick-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.app.push_screen(NewCaseScreen(self.ui, event.option.id), self._registered)

    def _registered(self, case_id: str | None) -> None:
        if case_id:
            self.dismiss(None)
            self.ui.open_record(case_id)


class NewCaseScreen(StyledOnce, Screen[str | None]):
    DEFAULT_CSS = """
    NewCaseScreen { layout: vertical; }
    NewCaseScreen #new-title { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    NewCaseScreen #new-body { height: 1fr; padding: 0 1; }
    NewCaseScreen .new-row { height: auto; margin: 1 0 0 0; }
    NewCaseScreen .new-label { width: 14; padding: 0 1 0 0; color: $text-muted; }
    NewCaseScreen .new-row Input, NewCaseScreen .new-cell { width: 1fr; height: auto; }
    NewCaseScreen #new-circumstance-text { color: $text-muted; height: auto; }
    NewCaseScreen #new-suggested-label { margin: 1 0 0 0; text-style: bold; }
    NewCaseScreen #new-suggestions { height: auto; max-height: 12; border: none; }
    NewCaseScreen #new-reasons { color: $text-muted; height: auto; padding: 0 0 0 4; }
    NewCaseScreen #new-notes { color: $warning; height: auto; }
    NewCaseScreen #new-errors { color: $error; height: auto; }
    """
    BINDINGS = screen_bindings(REGISTER_CASE, NEXT_FIELD, "modal.cancel")
    AUTO_FOCUS = "#new-case-title"

    def __init__(self, ui, event_id: str) -> None:
        super().__init__()
        self.ui = ui
        self.event = ui.ledger.get(event_id)
        self.suggestions = Suggestions()
        self.suggested_for: tuple | None = None  # the circumstance and date the suggestions are for
        self.chosen: dict[str, bool] = {}  # the operator's ticks; otherwise ticked unless it carries a warning

    def compose(self) -> ComposeResult:
        ui, data = self.ui, self.event.data
        yield Static(text(ui, "new_title", id=self.event.id, title=data["title"], date=data["date"].isoformat()), id="new-title")
        with VerticalScroll(id="new-body"):
            with Horizontal(classes="new-row"):
                yield Static(text(ui, "case_title"), classes="new-label")
                yield Input(text(ui, "default_title", title=data["title"]), id="new-case-title", compact=True)
            with Horizontal(classes="new-row"):
                yield Static(text(ui, "circumstance"), classes="new-label")
                with Vertical(classes="new-cell"):
                    yield Select([(short(c.value).render(ui.lang), c.value) for c in CIRCUMSTANCES], value=AT_AN_EVENT,
                                 allow_blank=False, id="new-circumstance", compact=True)
                    yield Static(full_text(AT_AN_EVENT).render(ui.lang), id="new-circumstance-text")
            with Horizontal(classes="new-row"):
                yield Static(text(ui, "occurred_on"), classes="new-label")
                yield Input(data["date"].isoformat(), id="new-occurred-on", compact=True)
            with Horizontal(classes="new-row"):
                yield Static(text(ui, "unit"), classes="new-label")
                yield Static(self.unit_text(), id="new-unit")
            yield Static(text(ui, "suggested", tick=shown_key(self.app, TICK.id)), id="new-suggested-label")
            yield TickList(id="new-suggestions", compact=True)
            yield Static(id="new-reasons")
            yield Static(id="new-notes")
            yield Static(id="new-errors")
        yield KeyBar()

    def unit_text(self) -> str:
        unit_id = self.event.data.get("organizer_unit")
        if not unit_id:
            return "—"
        unit = self.ui.ledger.find(unit_id)
        return f"{unit.data.get('name') if unit else unit_id}  ({unit_id})"

    def on_mount(self) -> None:
        self.refresh_suggestions()
        self.query_one("#new-case-title", Input).focus()

    def values(self) -> dict:
        return {"title": self.query_one("#new-case-title", Input).value, "circumstance": self.query_one("#new-circumstance", Select).value,
                "occurred_on": self.query_one("#new-occurred-on", Input).value.strip(), "event": self.event.id,
                "unit": self.event.data.get("organizer_unit")}

    def typed_case(self) -> dict:
        """The values as the chain reads them; a date still being typed counts as the event's."""
        values = self.values()
        try:
            values["occurred_on"] = dt.date.fromisoformat(values["occurred_on"])
        except ValueError:
            values["occurred_on"] = self.event.data["date"]
        return values

    def refresh_suggestions(self) -> None:
        case = self.typed_case()
        if (case["circumstance"], case["occurred_on"]) == self.suggested_for:
            return  # the Changed of the values the screen opened with: the same suggestions
        self.suggested_for = (case["circumstance"], case["occurred_on"])
        self.suggestions = suggest(self.ui.ledger, case, today=self.ui.today)
        listing = self.query_one(SelectionList)
        listing.clear_options()
        listing.add_options([(suggestion_prompt(self.ui, s), s.person, self.chosen.get(s.person, not s.warnings))
                             for s in self.suggestions.items])
        notes = warning_lines(self.ui, self.suggestions.items) + [n.render(self.ui.lang) for n in self.suggestions.notes]
        notes += [text(self.ui, "organisation", name=o.name, clause=o.clause.render(self.ui.lang)) for o in self.suggestions.organisations]
        if not self.suggestions.items:
            notes.insert(0, text(self.ui, "nobody"))
        self.query_one("#new-notes", Static).update("\n".join(notes))

    @on(Select.Changed, "#new-circumstance")
    def _circumstance(self, event: Select.Changed) -> None:
        self.query_one("#new-circumstance-text", Static).update(full_text(event.value).render(self.ui.lang))
        self.refresh_suggestions()

    @on(Input.Changed, "#new-occurred-on")
    def _date(self, event: Input.Changed) -> None:
        try:
            dt.date.fromisoformat(event.value.strip())
        except ValueError:
            return
        self.refresh_suggestions()

    @on(SelectionList.SelectionHighlighted, "#new-suggestions")
    def _highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        found = next((s for s in self.suggestions.items if s.person == event.selection.value), None)
        self.query_one("#new-reasons", Static).update(reasons_text(self.ui, found) if found else "")

    @on(SelectionList.SelectionToggled, "#new-suggestions")
    def _toggled(self, event: SelectionList.SelectionToggled) -> None:
        person = event.selection.value
        self.chosen[person] = person in event.selection_list.selected

    def ticked(self) -> list[Suggestion]:
        chosen = set(self.query_one(SelectionList).selected)
        return [s for s in self.suggestions.items if s.person in chosen]

    def action_save(self) -> None:
        ledger, errors = self.ui.ledger, self.query_one("#new-errors", Static)
        try:
            case = ledger.create("case", self.values())
        except ValidationError as exc:
            errors.update("\n".join(f"• {self.label(e.field)}: {e.reason.render(self.ui.lang)}" for e in exc.errors))
            return
        except DutyError as exc:
            errors.update(exc.render(self.ui.lang))
            return
        try:
            named = accept(ledger, case.id, self.ticked(), self.ui.lang)
        except DutyError as exc:  # the case stands; the parties can be named from the cases screen
            self.ui.notify(exc.render(self.ui.lang), severity="error")
            named = []
        self.ui.notify(TEXT["registered"].format(id=case.id, n=len(named)))
        self.dismiss(case.id)

    def label(self, name: str) -> str:
        return CASE.field(name).label.render(self.ui.lang) if CASE.has_field(name) else name

    def action_cancel(self) -> None:
        self.dismiss(None)


class AcceptSuggestionsScreen(ModalScreen[int]):
    """The chain's suggestions for a registered case not yet named on it, ticked unless one carries
    a warning (shown below the list); Enter names the ticked ones. Returns how many were named."""

    DEFAULT_CSS = """
    AcceptSuggestionsScreen { align: center middle; }
    AcceptSuggestionsScreen > Vertical { width: 90; height: auto; max-height: 24; border: thick $primary; background: $surface; padding: 0 1; }
    AcceptSuggestionsScreen #accept-title { text-style: bold; }
    AcceptSuggestionsScreen #accept-list { height: auto; max-height: 16; border: none; }
    AcceptSuggestionsScreen #accept-warnings { color: $warning; height: auto; }
    AcceptSuggestionsScreen #accept-errors { color: $error; height: auto; }
    AcceptSuggestionsScreen KeyBar { dock: none; }
    """
    BINDINGS = screen_bindings(NAME_TICKED, "modal.cancel")

    def __init__(self, ui, case, suggestions: list[Suggestion]) -> None:
        super().__init__()
        self.ui, self.case, self.suggestions = ui, case, suggestions

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(text(self.ui, "accept_title", id=self.case.id, title=self.case.data["title"]), id="accept-title")
            yield TickList(*[(suggestion_prompt(self.ui, s), s.person, not s.warnings) for s in self.suggestions],
                           id="accept-list", compact=True)
            yield Static("\n".join(warning_lines(self.ui, self.suggestions)), id="accept-warnings")
            yield Static(id="accept-errors")
            yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_accept(self) -> None:
        chosen = set(self.query_one(SelectionList).selected)
        try:
            named = accept(self.ui.ledger, self.case.id, [s for s in self.suggestions if s.person in chosen], self.ui.lang)
        except DutyError as exc:
            self.query_one("#accept-errors", Static).update(exc.render(self.ui.lang))
            return
        self.dismiss(len(named))

    def action_cancel(self) -> None:
        self.dismiss(0)
