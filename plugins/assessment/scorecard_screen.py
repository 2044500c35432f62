"""The scorecard screen (Textual, imported only when opened): the itemised assessment (考核细则)
of one subject at a time — the town committee first — as bars by area and its items, each with
its points, the self score beside the panel's, and every point lost with the finding or record it
comes from; above them every subject (units and leaders, a leader beside the appraisal entered);
below, the checks by area. Enter on a subject shows its items; on a point lost, opens the record
it comes from; on an item, the item; on a leader's appraisal, the appraisal. The screen reloads
when the operator comes back, switches the year ([ ]) or the language."""

from __future__ import annotations

from fractions import Fraction

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static
from textual.widgets.option_list import Option

from duty_tui.i18n import L
from duty_tui.tui.plugin_screen import RecordListScreen

from .chart import bar, cells, pad
from .cli import kind_label, num
from .itemised import FAILED, PENDING, SubjectScore, grouped
from .labels import appraisal_text, roles_text
from .scorecard import Scorecard, build_scorecard
from .screens import SCORECARD_ACTIONS
from .scoring import rounded

BAR_WIDTH = 40
FINDINGS_TOLD = 5

TEXT = {
    "title": L("考核评分表 · {year}年", "Scorecard · {year}"),
    # the score on a line of its own, the notes under it: at 80 columns they wrapped it as "49 /", "100"
    "how": L("{name}：得分 {score} / {full}", "{name}: {score} of {full}"),
    "example": L("（考核细则为示例，须按本地规定修改）", "(the items are the shipped example, to adapt)"),
    "no_table": L("尚未建立考核细则：管理员用 duty score-table --load-example 写入示例，或新建考核细则记录",
                  "no assessment items yet: an admin writes the example with duty score-table --load-example, or adds items"),
    "pending": L("{n} 项待考核组评分", "{n} item(s) await the panel"),
    "failed_items": L("规则 {rules} 运行出错（不完整）", "rule {rules} failed (incomplete)"),
    "veto": L("一票否决：不得评为优秀", "veto: may not be graded excellent"),
    "subjects": L("考核对象", "Assessed"),
    "items": L("{name} 的考核细则", "{name}: the items"),
    "points": L("分值 {p}", "points {p}"),
    "self": L("自评 {s}", "self {s}"),
    "panel": L("考核组 {g}", "panel {g}"),
    "pending_one": L("待评", "pending"),
    "failed_one": L("出错", "failed"),
    "veto_one": L("★一票否决", "★veto"),
    "capped": L("（已扣完）", " (nothing left to lose)"),
    "warning": L("（预警：年内尚可补正）", " (a warning: can still be made good this year)"),
    "checks": L("各方面检查情况（规则通过情况，不是考核得分）", "Checks by area (how the rules pass, not a score)"),
    "weight": L("权重 {w}", "weight {w}"),
    "total": L("加权", "weighted"),
    "no_score": L("规则 {rules} 运行出错，本方面不计分", "no score: rule {rules} failed"),
    "incomplete": L("不完整：不含规则运行出错的方面", "incomplete: without the areas whose rules failed"),
    "conflict": L("与一票否决不符", "contradicts the veto"),
}


def colour(score) -> str:
    if score is None:
        return "$text-muted"
    return "$success" if score >= 80 else "$warning" if score >= 60 else "$error"


def percent(score, full) -> Fraction | None:
    return None if score is None or not full else Fraction(score) * 100 / Fraction(full)


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
        self.chosen: str | None = None   # the subject whose items show; None: the town committee

    def compose_body(self) -> ComposeResult:
        yield Static(id="score-chart")

    def load(self) -> None:
        self.scorecard = build_scorecard(self.ui.ledger, self.ui.year, self.ui.today)

    def current(self) -> SubjectScore | None:
        card = self.scorecard
        return (card.subject(self.chosen) if self.chosen else None) or card.town or (card.subjects[0] if card.subjects else None)

    def show(self) -> None:
        card = self.scorecard
        self.heading(self.t("title", year=card.year))
        subject = self.current()
        if subject is None:
            self.summary(self.t("no_table"))
        else:
            notes = ("；" if self.ui.lang == "zh" else "; ").join(
                ([self.t("pending", n=len(subject.pending))] if subject.pending else [])
                + ([self.t("failed_items", rules=", ".join(subject.failed))] if subject.failed else [])
                + ([self.t("veto")] if subject.bars_excellent else []))
            if card.example:
                notes += ("" if self.ui.lang == "zh" or not notes else " ") + self.t("example")
            how = self.t("how", name=subject.name, score=num(subject.score), full=num(subject.full))
            self.summary(how + ("\n" + notes if notes else ""))
        self.query_one("#score-chart", Static).update(self.chart(card, subject))
        self.refill(self.options(card, subject))

    def chart(self, card: Scorecard, subject: SubjectScore | None) -> Content:
        """The subject's areas: points got of the points there, as a bar of the share."""
        if subject is None:
            return Content("")
        lang = self.ui.lang
        rows = []
        for area in dict.fromkeys(i.item.area for i in subject.items):
            own = [i for i in subject.scored() if i.item.area == area]
            full = sum((i.item.points for i in own), Fraction(0))
            got = sum((i.score for i in own), Fraction(0))
            rows.append((card.label(area).render(lang), got, full))
        rows.append((subject.name, subject.score, subject.full))
        width = max(cells(label) for label, _, _ in rows)
        lines = []
        for n, (label, got, full) in enumerate(rows):
            share = percent(got, full)
            style = "bold" if n == len(rows) - 1 else ""
            number = f" {num(got):>5} / {num(full)}" if full else f" {self.t('pending_one'):>5}"  # only items awaiting the panel
            lines.append(Content.assemble((pad(label, width), style), "  ", (bar(share, BAR_WIDTH), colour(share)),
                                          (number, f"bold {colour(share)}")))
        return Content("\n").join(lines)

    def options(self, card: Scorecard, subject: SubjectScore | None) -> list[Option]:
        lang = self.ui.lang
        out = [Option(Content.styled(f"── {self.t('subjects')} ──", "bold"), disabled=True)]
        width = max((cells(s.name) for s in card.subjects), default=0)
        kinds = {s.id: roles_text(s.roles, lang) if s.kind == "leader" else kind_label(s.kind, lang) for s in card.subjects}
        kind_width = max((cells(k) for k in kinds.values()), default=0)
        for s in card.subjects:
            share = percent(s.score, s.full)
            mark = "▸ " if subject is not None and s.id == subject.id else "  "
            parts = [" ", (mark, "bold"), (pad(s.name, width), "bold"), "  ", (pad(kinds[s.id], kind_width), "$text-muted"), "  ",
                     (bar(share, 10), colour(share)), (f" {num(s.score):>5} / {num(s.full):<4}", f"bold {colour(share)}")]
            if s.bars_excellent:
                parts += ["  ", (self.t("veto_one"), "$error")]
            if s.kind == "leader":
                appraisal = card.appraisal(s)
                parts += ["  ", (appraisal_text(appraisal, lang), "$accent" if appraisal else "$text-muted")]
                if appraisal is not None and appraisal.grade == "excellent" and s.bars_excellent:
                    parts += ["  ", (self.t("conflict"), "bold $error")]
            out.append(Option(Content.assemble(*parts), id=f"subject:{s.id}"))
        if subject is not None:
            out.append(Option(Content.styled(f"── {self.t('items', name=subject.name)} ──", "bold"), disabled=True))
            appraisal = card.appraisal(subject)
            if appraisal is not None:
                out.append(Option(Content.styled("   " + appraisal_text(appraisal, lang), "$accent"), id=appraisal.id))
            out += self.item_options(subject)
        out.append(Option(Content.styled(f"── {self.t('checks')} ──", "bold"), disabled=True))
        out += self.check_options(card)
        return out

    def item_options(self, subject: SubjectScore) -> list[Option]:
        lang = self.ui.lang
        out = []
        for n, i in enumerate(subject.items):
            given = (self.t("pending_one") if i.state == PENDING else self.t("failed_one") if i.state == FAILED else num(i.score))
            number = f"{i.item.order}." if i.item.order is not None else "·"
            share = percent(i.score, i.item.points) if i.item.points else (0 if i.vetoed else 100)
            line = Content.assemble("   ", (f"{number:>4} ", "$text-muted"), (i.item.title, "bold"), "  ",
                                    (self.t("points", p=num(i.item.points)), "$text-muted"), "  ",
                                    (self.t("self", s=num(i.self_score)), "$text-muted"), "  ",
                                    (self.t("panel", g=given), f"bold {colour(share)}"),
                                    (f"  {i.note.render(lang)}" if i.note is not None else "", "$text-muted"),
                                    (f"  {self.t('veto_one')}" if i.vetoed else "", "bold $error"))
            out.append(Option(line, id=f"item:{n}:{i.item.id}"))
            for k, (points, times, d) in enumerate(grouped(i.deductions)):
                source = " ".join(x for x in (d.rule or "", " ".join(d.records)) if x)
                text = Content.assemble("         ", (f"−{num(points)}", "bold $error" if points else "$text-muted"), "  ",
                                        d.reason.render(lang), f" ×{times}" if times > 1 else "",
                                        (self.t("capped") if not d.points else "", "$text-muted"),
                                        (self.t("warning") if d.warning else "", "$warning"),
                                        (f"  〔{source}〕" if source else "", "$text-muted"))
                out.append(Option(text, id=f"lost:{n}:{k}:{d.records[0]}" if d.records else None, disabled=not d.records))
            for k, trigger in enumerate(i.triggers if i.vetoed else ()):
                source = " ".join(x for x in (trigger.rule or "", " ".join(trigger.records)) if x)
                text = Content.assemble("         ", ("★ ", "bold $error"), trigger.reason.render(lang),
                                        (f"  〔{source}〕" if source else "", "$text-muted"))
                out.append(Option(text, id=f"veto:{n}:{k}:{trigger.records[0]}" if trigger.records else None, disabled=not trigger.records))
        return out

    def check_options(self, card: Scorecard) -> list[Option]:
        lang = self.ui.lang
        rows = [(card.label(a.area).render(lang), a.score, self.t("weight", w=f"{float(a.weight):g}")
                 + ("  " + self.t("no_score", rules=", ".join(a.failed)) if a.failed else "")) for a in card.committee.areas]
        rows.append((self.t("total"), card.total, self.t("incomplete") if card.failed else ""))
        width = max(cells(label) for label, _, _ in rows)
        out = []
        for label, score, rest in rows:
            number = "—" if score is None else f"{rounded(score):5.1f}"
            out.append(Option(Content.assemble("   ", pad(label, width), "  ", (bar(score, 20), colour(score)),
                                               (f" {number:>5}", colour(score)), (f"  {rest}" if rest else "", "$text-muted")),
                              disabled=True))
        return out

    def open_option(self, option_id: str) -> None:
        kind, _, rest = option_id.partition(":")
        if kind == "subject":
            self.chosen = rest
            self.show()
        elif kind == "item":
            self.ui.open_record(rest.split(":", 1)[1])
        elif kind in ("lost", "veto"):
            self.ui.open_record(rest.split(":", 2)[2])
        else:
            self.ui.open_record(option_id)
