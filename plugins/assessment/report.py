"""The scorecard as a section of the annual report (``ReportSpec`` of kind ``annual``).

The assessment plugin owns the scorecard, so it registers this section itself: with the plugin
disabled the annual report prints without a scorecard, and no other plugin reaches into this one.
"""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.reports import ReportContext, ReportSpec, Section, Table


def _shown(value) -> str:
    return "-" if value is None else f"{value:g}"


def scorecard_sections(ctx: ReportContext) -> list[Section]:
    from .scorecard import build_scorecard, scorecard_json  # only when a report is written

    heading = ctx.t("考核评分", "Scorecard")
    card = scorecard_json(build_scorecard(ctx.ledger, ctx.year, ctx.today), ctx.lang)
    areas = Table((ctx.t("领域", "Area"), ctx.t("权重", "Weight"), ctx.t("得分", "Score")),
                  tuple((a["label"], _shown(a["weight"]), _shown(a["score"])) for a in card["areas"]))
    paragraphs = (ctx.t("党委总分:{t}(满分 100;提醒类问题按 {w} 分计)", "The committee's total: {t} of 100 (a rule with warnings only scores {w})",
                        t=_shown(card["total"]), w=_shown(card["warning_points"])),)
    if card["failed"]:
        paragraphs += (ctx.t("规则 {rules} 运行出错,其所在方面不计分;总分不完整,只含其余方面。",
                             "The rule(s) {rules} failed to run, so their areas have no score; the total is incomplete, over the other areas only.",
                             rules=", ".join(card["failed"])),)
    sections = [Section(heading, paragraphs, (areas,))]
    if card["leaders"]:
        labels = [a["label"] for a in card["areas"]]
        rows = tuple((l["name"], _shown(l["total"]), *(_shown(l["areas"].get(a["area"])) for a in card["areas"]),
                      "-" if not l["appraisal"] else str(l["appraisal"].get("grade") or l["appraisal"].get("total") or "-"))
                     for l in card["leaders"])
        sections.append(Section(ctx.t("班子成员评分", "Leaders' scores"), (), (
            Table((ctx.t("姓名", "Name"), ctx.t("总分", "Total"), *labels, ctx.t("年度考核", "Appraisal")), rows),), level=2))
    return sections


SCORECARD = ReportSpec(id="assessment.scorecard", kind="annual", order=80, label=L("考核评分", "Scorecard"), sections=scorecard_sections)
