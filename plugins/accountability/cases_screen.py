"""The cases screen (Textual, imported only when opened): every case still undecided and every
case of the year in view, newest first, each with the persons named on it (the exempt marked)
and those the chain of responsibility suggests besides (one whose term is in doubt marked so).
Enter opens the case (``t`` there moves it along its workflow), ``a`` names the suggested persons
(those with a warning left unticked), ``n`` opens a new case from an event.
The list is read again whenever the operator comes back to it or switches the year."""

from __future__ import annotations

from textual.content import Content
from textual.widgets.option_list import Option

from duty_tui.i18n import L
from duty_tui.ledger import Record
from duty_tui.tui.plugin_screen import RecordListScreen

from .case_screens import AcceptSuggestionsScreen, EventPickerScreen
from .screens import CASES_ACTIONS
from .suggest import Suggestions, suggest_for_case
from .types import CASE, KIND_SHORT
from .workflow import DECIDED_STATES, UNDECIDED

TEXT = {
    "title": L("问责案件与责任人 · {year}年及未决案件", "Cases and who answers · {year} and every undecided case"),
    "summary": L("{n} 件案件，{undecided} 件未作决定", "{n} case(s), {undecided} undecided"),
    "none": L("没有问责案件", "no accountability cases"),
    "named": L("已认定：", "named: "),
    "nobody_named": L("尚未认定责任人", "nobody named yet"),
    "exempt": L("免责", "exempt"),
    "suggested": L("推荐：", "suggested: "),
    "in_doubt": L("（任期待核实）", " (term to check)"),
    "decided": L("决定：", "decided: "),
}


class CasesScreen(RecordListScreen):
    TEXT = TEXT
    ACTIONS = CASES_ACTIONS

    def __init__(self, ui) -> None:
        super().__init__(ui)
        self.cases: list[Record] | None = None
        self.suggestions: dict[str, Suggestions] = {}

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
        self.bodies = ledger.titles({c.data["deciding_body"] for c in cases if c.data.get("deciding_body")})

    def show(self) -> None:
        self.heading(self.t("title", year=self.ui.year))
        self.summary(self.t("summary", n=len(self.cases), undecided=sum(1 for c in self.cases if c.state in UNDECIDED)))
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
                     + (f" ({self.t('exempt')})" if p.data.get("dissent_recorded") else "")
                     + (f" {self.choice('case_party', 'decision', p.data['decision'])}" if p.data.get("decision") else "") for p in parties]
            second = Content.assemble("   ", (self.t("named"), "$text-muted"), " · ".join(named))
        else:
            second = Content.styled("   " + self.t("nobody_named"), "$error")
        lines = [first, second]
        if case.state in DECIDED_STATES or data.get("inaction"):
            # the decision as the body took it: who, its number, when; and a mark of 不作为/慢作为
            what = [self.bodies.get(data.get("deciding_body") or "", ""), data.get("decision_no") or "",
                    data["decided_on"].isoformat() if data.get("decided_on") else ""]
            decided = " ".join(w for w in what if w) if case.state in DECIDED_STATES else ""
            mark = self.choice("case", "inaction", data["inaction"]) if data.get("inaction") else ""
            lines.append(Content.assemble("   ", (self.t("decided") if decided else "", "$text-muted"), decided,
                                          (("  " if decided else "") + mark, "$warning") if mark else ""))
        still = self.suggestions[case.id].open() if case.state in UNDECIDED else []
        if still:
            lines.append(Content.assemble("   ", (self.t("suggested"), "$text-muted"),
                                          (" · ".join(f"{s.name} {kind(s.kind)}" + (self.t("in_doubt") if s.warnings else "")
                                                      for s in still), "$accent")))
        return Option(Content("\n").join(lines), id=case.id)

    def choice(self, type_name: str, field: str, value: str) -> str:
        return self.ui.ledger.type(type_name).field(field).choice_label(value).render(self.ui.lang)

    def person_name(self, person: str, known: dict[str, str]) -> str:
        if person not in known:
            found = self.ui.ledger.find(person)
            known[person] = str(found.data.get("name")) if found else person
        return known[person]

    def current(self) -> Record | None:
        highlighted = self.highlighted_id()
        return next((c for c in self.cases or () if c.id == highlighted), None)

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
