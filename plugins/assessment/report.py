"""The assessment area in the report (``ReportSpec`` of kind ``annual``): its paragraph of figures
in 二、主要做法和成效 (reports to the superior committee, briefings, the congress report, the
democratic life meeting, duty reports, pre-appointment reviews, appraisals) and the scorecard
as an attachment (考核评分表).

The assessment plugin owns the scorecard, so it registers this itself: with the plugin disabled
the report prints without a scorecard and its area, and no other plugin reaches into this one.
"""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.reports import ReportContext, ReportSpec, Section, Table


def _shown(value) -> str:
    return "-" if value is None else f"{value:g}"


def assessment_figures(ctx: ReportContext) -> list[str]:
    """The period's figures of the area, only what has taken place (dated on or before as_of)."""
    def with_ideology(rows, name="includes_ideology"):
        return sum(1 for r in rows if r.data.get(name))

    out = []
    reports, briefings = ctx.held("superior_report"), ctx.held("briefing")
    out.append(ctx.t("定期向上级党委汇报意识形态工作{r}次，就意识形态领域重要动向在党员干部中开展党内通报{b}次",
                     "{r} reports on ideological work to the superior committee and {b} briefings to Party cadres on important trends",
                     r=len(reports), b=len(briefings)))
    congress, life = ctx.held("congress_report"), ctx.held("life_meeting")
    out.append(ctx.t("向党员大会报告工作{c}次（其中报告意识形态工作{ci}次），召开领导班子民主生活会{l}次（其中把意识形态工作作为重要内容{li}次）",
                     "{c} report(s) to the members' congress ({ci} covering ideological work) and {l} democratic life meeting(s) ({li} covering it)",
                     c=len(congress), ci=with_ideology(congress), l=len(life), li=with_ideology(life)))
    duty_reports = [r for r in ctx.records("duty_report")  # the year's reports, given by the end of the period
                    if r.data.get("date") is None or ctx.start <= r.data["date"] <= ctx.as_of]
    reviews = ctx.held("appointment_review")
    appraisals = [r for r in ctx.records("appraisal") if r.data.get("appraised_on") is None or ctx.start <= r.data["appraised_on"] <= ctx.as_of]
    out.append(ctx.t("班子成员{d}人述职，其中述职报告包含意识形态工作{di}人；干部任前考察{a}人次，其中考察意识形态工作{ai}人次；年度考核已评定{p}人",
                     "{d} duty report(s) by leaders, {di} covering ideological work; {a} pre-appointment review(s), {ai} assessing it; {p} appraisal(s) entered",
                     d=len(duty_reports), di=with_ideology(duty_reports), a=len(reviews), ai=with_ideology(reviews, "ideology_assessed"),
                     p=len(appraisals)))
    return out


def scorecard_sections(ctx: ReportContext) -> list[Section]:
    """The scorecard (考核评分表) as the report's attachment: the committee's areas and each
    leader's scores, beside the appraisal a person entered (its grade by its label)."""
    from .scorecard import build_scorecard, scorecard_json  # only when a report is written

    heading = ctx.t("考核评分表", "Scorecard")
    card = scorecard_json(build_scorecard(ctx.ledger, ctx.year, ctx.as_of), ctx.lang)
    areas = Table((ctx.t("方面", "Area"), ctx.t("权重", "Weight"), ctx.t("得分", "Score")),
                  tuple((a["label"], _shown(a["weight"]), _shown(a["score"])) for a in card["areas"]))
    paragraphs = (ctx.t("党委总分：{t}（满分100分；只有预警的方面按{w}分计）。本表由检查规则自动计算，仅供考核参考，不代替考核评定。",
                        "The committee's total: {t} of 100 (an area with warnings only scores {w}). Worked out by the checks, an aid to the appraisal, never a substitute.",
                        t=_shown(card["total"]), w=_shown(card["warning_points"])),)
    if card["failed"]:
        paragraphs += (ctx.t("规则{rules}运行出错，其所在方面不计分；总分不完整，只含其余方面。",
                             "The rule(s) {rules} failed to run, so their areas have no score; the total is incomplete, over the other areas only.",
                             rules="、".join(card["failed"]) if ctx.lang == "zh" else ", ".join(card["failed"])),)
    sections = [Section(heading, paragraphs, (areas,))]
    if card["leaders"]:
        grade = ctx.ledger.type("appraisal").field("grade") if ctx.has("appraisal") else None

        def appraisal(entry) -> str:
            if not entry:
                return ctx.t("未评定", "not yet")
            if entry.get("grade") and grade is not None:
                return grade.choice_label(entry["grade"]).render(ctx.lang)
            return _shown(entry.get("total"))

        labels = [a["label"] for a in card["areas"]]
        rows = tuple((l["name"], _shown(l["total"]), *(_shown(l["areas"].get(a["area"])) for a in card["areas"]), appraisal(l["appraisal"]))
                     for l in card["leaders"])
        sections.append(Section(ctx.t("班子成员评分", "Leaders' scores"), (), (
            Table((ctx.t("姓名", "Name"), ctx.t("总分", "Total"), *labels, ctx.t("年度考核", "Appraisal")), rows),), level=2))
    return sections


SCORECARD = ReportSpec(id="assessment.scorecard", kind="annual", order=80, label=L("考核评分表", "Scorecard"), area="assessment",
                       figures=assessment_figures, attachments=scorecard_sections)
