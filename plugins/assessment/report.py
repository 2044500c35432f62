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


def _points(value) -> str:
    from .scoring import rounded

    return "-" if value is None else f"{rounded(value, 2):g}"


def scorecard_sections(ctx: ReportContext) -> list[Section]:
    """The itemised assessment (考核细则) as the report's attachment: the town committee's items
    with the points lost and where each comes from, every unit's and every leader's score beside
    the appraisal entered (its grade by its label), then the checks by area."""
    from .itemised import FAILED, PENDING, grouped
    from .scorecard import build_scorecard, scorecard_json  # only when a report is written

    scorecard = build_scorecard(ctx.ledger, ctx.year, ctx.as_of)
    sep = "；" if ctx.lang == "zh" else "; "
    heading = ctx.t("考核评分表", "Scorecard")
    town = scorecard.town
    sections: list[Section] = []
    if town is None:
        paragraphs = (ctx.t("本年度尚未建立考核细则，无考核评分。", "No assessment items for the year, so no scores."),)
        sections.append(Section(heading, paragraphs, ()))
    else:
        paragraphs = [ctx.t("按考核细则评分，{name}得分{score}分（满分{full}分）。每项扣分均列明所依据的问题或记录；本表仅供考核参考，不代替考核评定。",
                            "Scored by the assessment items: {name} {score} of {full}. Every point lost names the finding or record it comes from; "
                            "an aid to the appraisal, never a substitute.",
                            name=town.name, score=_points(town.score), full=_points(town.full))]
        if scorecard.example:
            paragraphs.append(ctx.t("考核细则为随软件提供的示例，尚待考核办按本地规定修改。",
                                    "The assessment items are the example shipped with the software, still to be adapted by the office."))
        if town.pending:
            paragraphs.append(ctx.t("另有{n}项共{p}分待考核组评分，未计入。", "{n} item(s), {p} points, await the panel's score and are not counted.",
                                    n=len(town.pending), p=_points(sum(i.item.points for i in town.pending))))
        if town.bars_excellent:
            paragraphs.append(ctx.t("一票否决：本年度不得评为优秀（{items}）。", "Veto: may not be graded excellent this year ({items}).",
                                    items=sep.join(i.item.title for i in town.bars_excellent)))

        def given(item) -> str:
            return ctx.t("待评", "pending") if item.state == PENDING else ctx.t("出错", "failed") if item.state == FAILED else _points(item.score)

        def why(item) -> str:
            # the finding's message or the record's title says where a point went (a reader of the
            # document reads no internal ids; duty score and the screen give them)
            parts = [f"-{_points(points)} {d.reason.render(ctx.lang)}" + (f" ×{times}" if times > 1 else "")
                     + (ctx.t("（预警，年内尚可补正）", " (a warning, can still be made good this year)") if d.warning else "")
                     for points, times, d in grouped(item.deductions) if points]
            if item.vetoed:
                parts.append(ctx.t("一票否决", "veto"))
            return sep.join(parts) or "-"

        items = Table((ctx.t("序号", "No."), ctx.t("考核内容", "Item"), ctx.t("分值", "Points"), ctx.t("自评分", "Self"),
                       ctx.t("考核组评分", "Panel"), ctx.t("扣分及依据", "Points lost and why")),
                      tuple((str(i.item.order or ""), i.item.title, _points(i.item.points), _points(i.self_score), given(i), why(i))
                            for i in town.items))
        sections.append(Section(heading, tuple(paragraphs), (items,)))
        units = [s for s in scorecard.subjects if s.kind not in ("committee", "leader")]
        if units:
            from .cli import kind_label

            rows = tuple((s.name, kind_label(s.kind, ctx.lang), _points(s.score), _points(s.full), _points(s.self_total),
                          ctx.t("不得评为优秀", "bars excellent") if s.bars_excellent else "-",
                          str(len(s.pending)) if s.pending else "-") for s in units)
            sections.append(Section(ctx.t("村（社区）、部门评分", "Villages, communities and departments"), (), (
                Table((ctx.t("单位", "Unit"), ctx.t("类别", "Kind"), ctx.t("得分", "Score"), ctx.t("满分", "Full"), ctx.t("自评合计", "Self"),
                       ctx.t("一票否决", "Veto"), ctx.t("待评项", "Pending")), rows),), level=2))
    card = scorecard_json(scorecard, ctx.lang)
    leaders = [s for s in card["subjects"] if s["kind"] == "leader"]
    if leaders:
        grade = ctx.ledger.type("appraisal").field("grade") if ctx.has("appraisal") else None

        def appraisal(entry) -> str:
            if not entry:
                return ctx.t("未评定", "not yet")
            if entry.get("grade") and grade is not None:
                return grade.choice_label(entry["grade"]).render(ctx.lang)
            return _shown(entry.get("total"))

        rows = tuple((l["name"], _shown(l["score"]), _shown(l["full"]),
                      sep.join(f"{i['title']} -{i['lost']:g}" for i in l["items"] if i["lost"]) or "-",
                      ctx.t("不得评为优秀", "bars excellent") if l["bars_excellent"] else "-", appraisal(l["appraisal"]))
                     for l in leaders)
        sections.append(Section(ctx.t("班子成员评分", "Leaders' scores"), (), (
            Table((ctx.t("姓名", "Name"), ctx.t("得分", "Score"), ctx.t("满分", "Full"), ctx.t("失分项目", "Points lost"),
                   ctx.t("一票否决", "Veto"), ctx.t("年度考核", "Appraisal")), rows),), level=2))
    checks = card["checks"]
    areas = Table((ctx.t("方面", "Area"), ctx.t("权重", "Weight"), ctx.t("通过情况", "Passing")),
                  tuple((a["label"], _shown(a["weight"]), _shown(a["score"])) for a in checks["areas"]))
    paragraphs = (ctx.t("各方面检查规则的通过情况（无问题100，只有预警{w}，有问题0），加权{t}；这是问题清单的概览，不是考核得分。",
                        "How each area's rules pass (no finding 100, warnings only {w}, an error 0), weighted {t}: an overview of the problems, not a score.",
                        t=_shown(checks["total"]), w=_shown(checks["warning_points"])),)
    if checks["failed"]:
        paragraphs += (ctx.t("规则{rules}运行出错，其所在方面不计分；总分不完整，只含其余方面。",
                             "The rule(s) {rules} failed to run, so their areas have no score; the total is incomplete, over the other areas only.",
                             rules="、".join(checks["failed"]) if ctx.lang == "zh" else ", ".join(checks["failed"])),)
    sections.append(Section(ctx.t("各方面检查情况", "Checks by area"), paragraphs, (areas,), level=2))
    return sections


SCORECARD = ReportSpec(id="assessment.scorecard", kind="annual", order=80, label=L("考核评分表", "Scorecard"), area="assessment",
                       figures=assessment_figures, attachments=scorecard_sections)
