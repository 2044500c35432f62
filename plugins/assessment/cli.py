"""``duty score``: the scorecard of a year, as a bar chart of the areas and the leaders' scores
beside their appraisals, or as JSON."""

from __future__ import annotations

import click

from duty_tui.i18n import L

from .chart import cells, chart_lines, pad
from .labels import appraisal_text, roles_text
from .scorecard import Scorecard, build_scorecard, scorecard_json
from .scoring import rounded


def human(scorecard: Scorecard, org: str, lang: str) -> list[str]:
    t = lambda zh, en, **kw: L(zh, en).format(**kw).render(lang)  # noqa: E731
    total = rounded(scorecard.total)
    lines = [t("{org}{year}年度考核评分表 · 加权总分 {total}", "{org}{year} scorecard · weighted total {total}",
               org=f"{org} · " if org else "", year=scorecard.year, total="—" if total is None else f"{total:.1f}")
             + (t("（不完整）", " (incomplete)") if scorecard.failed else ""),
             t("（无问题的规则 100 分，只有预警的 {w} 分，有问题的 0 分；各方面取规则平均分，总分按权重加权）",
               "(a rule with no finding scores 100, with warnings only {w}, with an error 0; an area is the mean of its rules; "
               "the total weighs the areas)", w=f"{float(scorecard.warning_points):g}"), ""]
    rows = [(scorecard.label(a.area).render(lang), a.score, t("权重 {w}", "weight {w}", w=f"{float(a.weight):g}")
             + (no_score(a.failed, lang) if a.failed else "")) for a in scorecard.committee.areas]
    rows.append((t("加权总分", "weighted total"), scorecard.total, incomplete(scorecard, lang)))
    lines += chart_lines(rows)
    if scorecard.leaders:
        lines += ["", t("领导班子成员（只计与本人相关的问题；年度考核为录入的结果，评分表不改写）",
                        "Leaders (only the findings that concern each; the appraisal as entered, never written over)")]
        width = max(cells(l.name) for l in scorecard.leaders)
        role_width = max(cells(roles_text(l.roles, lang)) for l in scorecard.leaders)
        for leader in scorecard.leaders:
            score = rounded(leader.card.total)
            lines.append(f"  {pad(leader.name, width)}  {pad(roles_text(leader.roles, lang), role_width)}  "
                         f"{'—' if score is None else f'{score:5.1f}'}  {appraisal_text(leader.appraisal, lang)}")
            weak = [f"{scorecard.label(a.area).render(lang)} {rounded(a.score):g}" for a in leader.card.areas
                    if a.score is not None and a.score < 100]
            if weak:
                lines.append("  " + " " * width + "  " + " · ".join(weak))
    return lines


def no_score(failed, lang: str) -> str:
    """Why an area has no score: a rule of it failed to run."""
    return L("  规则 {rules} 运行出错，本方面不计分", "  no score: rule {rules} failed").format(rules=", ".join(failed)).render(lang)


def incomplete(scorecard: Scorecard, lang: str) -> str:
    if not scorecard.failed:
        return ""
    return L("不完整：不含规则运行出错的方面", "incomplete: without the areas whose rules failed").render(lang)


def add_commands(cli: click.Group) -> None:
    @cli.command("score")
    @click.option("--year", type=int, default=None, help="The year to score (default: this year in the store's time zone).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def score_cmd(env, year: int, as_json: bool) -> None:
        """The scorecard: each area 0-100, the weighted total, each leader's. 考核评分表。"""
        env.json = as_json
        scorecard = build_scorecard(env.ledger, year or env.ledger.today().year, env.ledger.today())
        if as_json:
            env.emit_json(scorecard_json(scorecard, env.lang))
            return
        try:
            org = str(env.ledger.setting("org.name") or "")
        except Exception:  # a store without the setting
            org = ""
        click.echo("\n".join(human(scorecard, org, env.lang)))
