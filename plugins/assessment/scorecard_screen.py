"""The scorecard screen (Textual, imported only when opened): the bar chart of the areas and the
weighted total, then each leader's score beside the appraisal a person entered, then every
rule's points. Enter on a leader opens the appraisal (or the person when none was entered);
the screen reloads when the operator comes back, switches the year ([ ]) or the language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static
from textual.widgets.option_list import Option

from duty_tui.i18n import L
from duty_tui.tui.plugin_screen import RecordListScreen

from .chart import bar, cells, pad
from .labels import appraisal_text, roles_text
from .scorecard import Scorecard, build_scorecard
from .screens import SCORECARD_ACTIONS
from .scoring import rounded

BAR_WIDTH = 40
FINDINGS_TOLD = 5

TEXT = {
    "title": L("考核评分表 · {year}年", "Scorecard · {year}"),
    "how": L("规则无问题 100 分 · 只有预警 {w} 分 · 有问题 0 分 · 方面取平均 · 总分按权重加权",
             "a rule: no finding 100 · warnings only {w} · an error 0 · an area: their mean · total: weighted"),
    "total": L("加权总分", "weighted total"),
    "weight": L("权重 {w}", "weight {w}"),
    "leaders": L("班子成员：只计与本人相关的问题 · 年度考核照录入", "Leaders: the findings that concern them · appraisal as entered"),
    "no_leaders": L("（本年度没有领导小组成员的记录）", "(no leading group recorded for this year)"),
    "rules": L("各条规则", "Rules"),
    "findings": L("{n} 条", "{n} finding(s)"),
    "clean": L("无问题", "clean"),
    "failed": L("运行出错", "failed to run"),
    "no_score": L("规则 {rules} 运行出错，本方面不计分", "no score: rule {rules} failed"),
    "incomplete": L("不完整：不含规则运行出错的方面", "incomplete: without the areas whose rules failed"),
    "more": L("……另有 {n} 条", "… and {n} more"),
}


def colour(score) -> str:
    if score is None:
        return "$text-muted"
    return "$success" if score >= 80 else "$warning" if score >= 60 else "$error"


class ScorecardScreen(RecordListScreen):
    DEFAULT_CSS = """
    ScorecardScreen #score-chart { height: auto; padding: 0 1; margin: 1 0 0 0; }
    ScorecardScreen > .screen-list { margin: 1 0 0 0; }
    """
    TEXT = TEXT
    ACTIONS = SCORECARD_ACTIONS

    def __init__(self, ui) -> None:
        super().__init__(ui)
        self.scorecard: Scorecard | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="score-chart")

    def load(self) -> None:
        self.scorecard = build_scorecard(self.ui.ledger, self.ui.year, self.ui.today)

    def show(self) -> None:
        card = self.scorecard
        self.heading(self.t("title", year=card.year))
        self.summary(self.t("how", w=f"{float(card.warning_points):g}"))
        self.query_one("#score-chart", Static).update(self.chart(card))
        self.refill(self.options(card))

    def chart(self, card: Scorecard) -> Content:
        lang = self.ui.lang
        rows = [(card.label(a.area).render(lang), a.score, self.t("weight", w=f"{float(a.weight):g}")
                 + ("  " + self.t("no_score", rules=", ".join(a.failed)) if a.failed else "")) for a in card.committee.areas]
        rows.append((self.t("total"), card.total, self.t("incomplete") if card.failed else ""))
        width = max(cells(label) for label, _, _ in rows)
        lines = []
        for i, (label, score, rest) in enumerate(rows):
            number = "—" if score is None else f"{rounded(score):5.1f}"
            style = "bold" if i == len(rows) - 1 else ""
            lines.append(Content.assemble((pad(label, width), style), "  ", (bar(score, BAR_WIDTH), colour(score)),
                                          (f" {number:>5}", f"bold {colour(score)}"), (f"  {rest}" if rest else "", "$text-muted")))
        return Content("\n").join(lines)

    def options(self, card: Scorecard) -> list[Option]:
        lang = self.ui.lang
        out = [Option(Content.styled(f"── {self.t('leaders')} ──", "bold"), disabled=True)]
        if not card.leaders:
            out.append(Option(Content.styled("   " + self.t("no_leaders"), "$text-muted"), disabled=True))
        width = max((cells(l.name) for l in card.leaders), default=0)
        role_width = max((cells(roles_text(l.roles, lang)) for l in card.leaders), default=0)
        for leader in card.leaders:
            score = leader.card.total
            number = "—" if score is None else f"{rounded(score):5.1f}"
            target = leader.appraisal.id if leader.appraisal else leader.person
            line = Content.assemble("   ", (pad(leader.name, width), "bold"), "  ", (pad(roles_text(leader.roles, lang), role_width), "$text-muted"),
                                    "  ", (bar(score, 10), colour(score)), (f" {number}", f"bold {colour(score)}"), "   ",
                                    (appraisal_text(leader.appraisal, lang), "$accent" if leader.appraisal else "$text-muted"))
            weak = [f"{card.label(a.area).render(lang)} {rounded(a.score):g}" for a in leader.card.areas if a.score is not None and a.score < 100]
            if weak:
                line = Content("\n").join([line, Content.styled("     " + " · ".join(weak), "$text-muted")])
            out.append(Option(line, id=target))
        out.append(Option(Content.styled(f"── {self.t('rules')} ──", "bold"), disabled=True))
        registered = self.ui.ledger.registry.rules
        for area in card.committee.areas:
            for rule in area.rules:
                state = (self.t("clean") if rule.severity is None else self.t("failed") if rule.points is None
                         else self.t("findings", n=rule.findings))
                label = registered[rule.rule].label.render(lang) if rule.rule in registered else ""
                points = "    —" if rule.points is None else f"{rounded(rule.points):5.1f}"
                out.append(Option(Content.assemble("   ", (points, f"bold {colour(rule.points)}"), "  ",
                                                   (label, "bold"), "  ", (rule.rule, "$text-muted"), "  ", (state, "$text-muted")),
                                  id=f"rule:{rule.rule}"))
        return out

    def open_option(self, option_id: str) -> None:
        if option_id.startswith("rule:"):
            self.show_findings(option_id[len("rule:"):])
        else:
            self.ui.open_record(option_id)

    def show_findings(self, rule: str) -> None:
        """A rule's findings, told in a notice (the findings view lists them all, F6)."""
        found = [f for f in self.scorecard.findings if f.rule == rule]
        if not found:
            self.ui.notify(L("{rule}：无问题", "{rule}: clean").format(rule=rule))
            return
        lines = [f"• {f.message.render(self.ui.lang)}" for f in found[:FINDINGS_TOLD]]
        if len(found) > FINDINGS_TOLD:
            lines.append(self.t("more", n=len(found) - FINDINGS_TOLD))
        self.ui.notify("\n".join([rule, *lines]), severity="error" if any(f.severity in ("error", "failed") for f in found) else "warning")
