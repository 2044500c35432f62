"""The coming-events screen (Textual, imported only when opened): each event of the coming days
with its state and what it still lacks; Enter opens the event, where ``t`` moves it along its
workflow. The list is read again whenever the operator comes back to it."""

from __future__ import annotations

from textual.content import Content
from textual.widgets.option_list import Option

from duty_tui.i18n import L, render
from duty_tui.tui.plugin_screen import RecordListScreen

from .screens import COMING_EVENTS_ACTIONS
from .types import EVENT
from .upcoming import ComingEvent, coming_events, coming_window

TEXT = {
    "title": L("近期活动 · {start} 至 {end}", "Coming events · {start} to {end}"),
    "summary": L("{n} 项活动，{lacking} 项还缺手续", "{n} event(s), {lacking} still lacking something"),
    "none": L("这段时间没有待办的活动", "no events to prepare in this period"),
    "today": L("今天", "today"),
    "in_days": L("{n} 天后", "in {n} d"),
    "lacks": L("还缺：{items}", "lacks: {items}"),
    "ready": L("手续齐全", "ready"),
}


class ComingEventsScreen(RecordListScreen):
    TEXT = TEXT
    ACTIONS = COMING_EVENTS_ACTIONS
    FOLLOWS = ("lang",)  # the window is the coming days, whatever year is in view

    def __init__(self, ui) -> None:
        super().__init__(ui)
        self.events: list[ComingEvent] = []

    def app_changed(self) -> None:
        self.show()

    def load(self) -> None:
        self.events = coming_events(self.ui.ledger, self.ui.today)

    def show(self) -> None:
        start, end = coming_window(self.ui.ledger, self.ui.today)
        self.heading(self.t("title", start=start.isoformat(), end=end.isoformat()))
        self.summary(self.t("summary", n=len(self.events), lacking=sum(1 for e in self.events if e.lacks)))
        if not self.events:
            self.refill([Option(Content.styled(self.t("none"), "$text-muted"), disabled=True)])
        else:
            self.refill([self.option(e) for e in self.events])

    def option(self, event: ComingEvent) -> Option:
        lang = self.ui.lang
        data = event.record.data
        when = self.t("today") if event.days == 0 else self.t("in_days", n=event.days)
        state = EVENT.workflow.state(event.record.state).label.render(lang)
        kind = EVENT.field("kind").choice_label(data["kind"]).render(lang)
        first = Content.assemble((data["date"].isoformat(), "bold"), " ", (f"{when:<8}", "$warning" if event.lacks else "$text-muted"),
                                 (data["title"], "bold"), f"  {kind} · ", (state, "$accent"), (f"  {event.record.id}", "$text-muted"))
        if event.lacks:
            second = Content.styled("   " + self.t("lacks", items=render(list(event.lacks), lang)), "$error")
        else:
            second = Content.styled("   " + self.t("ready"), "$success")
        return Option(Content("\n").join([first, second]), id=event.record.id)
