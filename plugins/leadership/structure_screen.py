"""The responsibility structure screen (Textual, imported only when opened): the leading group
of the year in view by role, each member's divisions, and the units nobody covers. Enter opens
the record under the cursor; the screen reloads when the operator comes back to it, switches
the year ([ ]) or the language (F2)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets.option_list import Option

from duty_tui.i18n import L, render
from duty_tui.tui.plugin_screen import RecordListScreen

from .screens import STRUCTURE_ACTIONS
from .structure import ROLE_ORDER, Member, Structure, build_structure
from .types import FIRST_RESPONSIBLE, LEADER, MEMBER

TEXT = {
    "title": L("责任体系 · {year}年", "Responsibility structure · {year}"),
    "summary": L("领导小组 {n} 人 · 无人分管的单位 {uncovered} 个", "leading group of {n} · {uncovered} unit(s) nobody covers"),
    "none_in_role": L("（未记录）", "(none recorded)"),
    "divisions": L("分管：{units}", "divisions: {units}"),
    "no_divisions": L("分管：（无）", "divisions: (none)"),
    "portfolio": L("分工：{duties}", "portfolio: {duties}"),
    "overlap": L("（任期重叠，应只有一人）", "(terms overlap: there should be one)"),
    "term_since": L("{since} 起", "since {since}"),
    "term_until": L("至 {until}", "until {until}"),
    "open_duties": L("待办责任 {n} 项", "{n} open dut(ies)"),
    "uncovered": L("无人分管的单位", "Units nobody covers"),
    "all_covered": L("每个单位都有人分管", "every unit is in someone's divisions"),
}


class StructureScreen(RecordListScreen):
    TEXT = TEXT
    ACTIONS = STRUCTURE_ACTIONS

    def __init__(self, ui) -> None:
        super().__init__(ui)
        self.structure: Structure | None = None

    def load(self) -> None:
        self.structure = build_structure(self.ui.ledger, self.ui.year)

    def show(self) -> None:
        structure = self.structure
        self.heading(self.t("title", year=structure.year))
        self.summary(self.t("summary", n=len(structure.members), uncovered=len(structure.uncovered)))
        self.refill(self.options(structure))

    def options(self, structure: Structure) -> list[Option]:
        lang = self.ui.lang
        role_field = LEADER.field("role")
        out: list[Option] = []
        for role in ROLE_ORDER:
            heading = Content.styled(f"── {role_field.choice_label(role).render(lang)} ──", "bold")
            if role == FIRST_RESPONSIBLE and structure.overlapping_first_responsible():
                heading = Content.assemble(heading, " ", (self.t("overlap"), "bold $error"))
            out.append(Option(heading, disabled=True))
            members = structure.in_role(role)
            if not members:
                out.append(Option(Content.styled("   " + self.t("none_in_role"), "bold $error"), disabled=True))
            for member in members:
                out.append(Option(self.member_line(member), id=member.record_id))
        out.append(Option(Content.styled(f"── {self.t('uncovered')} ──", "bold"), disabled=True))
        if not structure.uncovered:
            out.append(Option(Content.styled("   " + self.t("all_covered"), "$success"), disabled=True))
        kinds = self.ui.ledger.type("unit").field("kind")
        for unit in structure.uncovered:
            out.append(Option(Content.assemble("   ", (unit.name, "bold $warning"), "  ",
                                               (kinds.choice_label(unit.kind).render(lang), "$text-muted"),
                                               (f"  {unit.id}", "$text-muted")), id=unit.id))
        return out

    def member_line(self, member: Member) -> Content:
        lang = self.ui.lang
        term = []
        if member.since:
            term.append(self.t("term_since", since=member.since.isoformat()))
        if member.until:
            term.append(self.t("term_until", until=member.until.isoformat()))
        first = Content.assemble("   ", (member.name, "bold"), "  ", (member.post, "$text-muted"),
                                 ("  " + " ".join(term), "$text-muted") if term else "",
                                 ("  " + self.t("open_duties", n=member.open_duties), "$warning") if member.open_duties else "")
        details: list[Content] = []
        if member.duties:
            details.append(Content(self.t("portfolio", duties=member.duties)))
        if member.divisions:
            details.append(Content(self.t("divisions", units=render([u.name for u in member.divisions], lang))))
        elif member.role == MEMBER:
            details.append(Content.styled(self.t("no_divisions"), "bold $warning"))
        if not details:
            return first
        return Content("\n").join([first, Content.assemble("     ", Content(" · ").join(details))])
