"""The cases screen (Textual, imported only when opened): every case still undecided and every
case of the year in view, newest first, each with the persons named on it (the exempt marked)
and those the chain of responsibility suggests besides. Enter opens the case (``t`` there moves
it along its workflow), ``a`` names the suggested persons, ``n`` opens a new case from an event.
The list is read again whenever the operator comes back to it or switches the year."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from duty_tui.i18n import L
from duty_tui.ledger import Record
from duty_tui.tui.plugin_screen import RecordListScreen

from .case_screens import AcceptSuggestionsScreen, EventPickerScreen
from .suggest import Suggestions, suggest_for_case
from .types import CASE, KIND_SHORT
from .workflow import UNDECIDED

TEXT = {
    "title": L("问责案件与责任人 · {year} 年及未决案件", "Cases and who answers · {year} and every undecided case"),
    "summary": L("{n} 件案件,{undecided} 件未作决定", "{n} case(s), {undecided} undecided"),
    "none": L("没有问责案件", "no accountability cases"),
    "named": L("已认定:", "named: "),
    "nobody_named": L("尚未认定责任人", "nobody named yet"),
    "exempt": L("免责", "exempt"),
    "suggested": L("推荐:", "suggested: "),
    "keys": L(" Enter 打开(t 流程)   a 采纳推荐   n 由活动新建   r 刷新   Esc 返回",
              " Enter open (t workflow)   a accept suggestions   n new from an event   r refresh   Esc back"),
}


class CasesScreen(RecordListScreen):
    DEFAULT_CSS = """
    CasesScreen { layout: vertical; }
    CasesScreen #cases-title { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    CasesScreen #cases-summary { height: 1; padding: 0 1; color: $text-muted; }
    CasesScreen #cases-list { height: 1fr; border: none; padding: 0 1; }
    CasesScreen #cases-keys { height: 1; dock: bottom; background: $footer-background; color: $footer-description-foreground; }
    """
    TEXT = TEXT
    BINDINGS = [
        Binding("a", "accept", "Accept", show=False),
        Binding("n", "new_case", "New", show=False),
    ]

    def __init__(self, ui) -> None:
        super().__init__(ui)
        self.cases: list[Record] | None = None
        self.suggestions: dict[str, Suggestions] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="cases-title")
        yield Static(id="cases-summary")
        yield OptionList(id="cases-list", compact=True)
        yield Static(id="cases-keys")

    def load(self) -> None:
        ledger = self.ui.ledger
        of_year = {c.id: c for c in ledger.all("case", year=self.ui.year)}
        undecided = {c.id: c for c in ledger.query("case", where=None, limit=None) if c.state in UNDECIDED}
        cases = list({**of_year, **undecided}.values())
        cases.sort(key=lambda c: (c.data["occurred_on"], int(c.id.rsplit("-", 1)[1])), reverse=True)
        self.cases = cases
        self.parties: dict[str, list[Record]] = {}
        for party in ledger.all("case_party"):
            self.parties.setdefault(party.data["case"], []).append(party)
        self.suggestions = {c.id: suggest_for_case(ledger, c, self.ui.today) for c in cases}

    def show(self) -> None:
        self.query_one("#cases-title", Static).update(self.t("title", year=self.ui.year))
        self.query_one("#cases-summary", Static).update(
            self.t("summary", n=len(self.cases), undecided=sum(1 for c in self.cases if c.state in UNDECIDED)))
        self.query_one("#cases-keys", Static).update(self.t("keys"))
        if not self.cases:
            self.refill([Option(Content.styled(self.t("none"), "$text-muted"), disabled=True)])
        else:
            self.refill([self.option(c) for c in self.cases])

    def option(self, case: Record) -> Option:
        lang = self.ui.lang
        data = case.data
        state = CASE.workflow.state(case.state).label.render(lang)
        first = Content.assemble((data["occurred_on"].isoformat(), "bold"), "  ", (data["title"], "bold"), "  ",
                                 (state, "$warning" if case.state in UNDECIDED else "$success"),
                                 (f"  ({data['circumstance']})", "$text-muted"), (f"  {case.id}", "$text-muted"))
        kind = lambda k: KIND_SHORT.get(k, L(k, k)).render(lang)  # noqa: E731
        names = {s.person: s.name for s in self.suggestions[case.id].items}
        parties = self.parties.get(case.id, [])
        if parties:
            named = [f"{self.person_name(p.data['person'], names)} {kind(p.data['kind'])}"
                     + (f" ({self.t('exempt')})" if p.data.get("dissent_recorded") else "") for p in parties]
            second = Content.assemble("   ", (self.t("named"), "$text-muted"), " · ".join(named))
        else:
            second = Content.styled("   " + self.t("nobody_named"), "$error")
        lines = [first, second]
        still = self.suggestions[case.id].open() if case.state in UNDECIDED else []
        if still:
            lines.append(Content.assemble("   ", (self.t("suggested"), "$text-muted"),
                                          (" · ".join(f"{s.name} {kind(s.kind)}" for s in still), "$accent")))
        return Option(Content("\n").join(lines), id=case.id)

    def person_name(self, person: str, known: dict[str, str]) -> str:
        if person not in known:
            found = self.ui.ledger.find(person)
            known[person] = str(found.data.get("name")) if found else person
        return known[person]

    def current(self) -> Record | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.cases:
            return None
        option = options.get_option_at_index(options.highlighted)
        return next((c for c in self.cases if c.id == option.id), None)

    def action_accept(self) -> None:
        case = self.current()
        if case is None:
            return
        still = self.suggestions[case.id].open()
        if not still:
            self.ui.notify(L("推荐的人都已认定", "everyone suggested is named already"))
            return
        self.app.push_screen(AcceptSuggestionsScreen(self.ui, case, still), lambda n: self.action_reload() if n else None)

    def action_new_case(self) -> None:
        self.app.push_screen(EventPickerScreen(self.ui))
