"""The levels area in the report (``ReportSpec`` of kind ``annual``): its paragraph of figures in
二、主要做法和成效 — the agreements signed, the supervisions held with the problems they found and
rectified and the briefings of their results, and the village and community secretaries' duty
reports. Only what has taken place by the period's ``as_of`` counts. And an attachment, 分级负责落实情况:
each unit that signs (``levels.agreement.kinds``) with its agreement, the supervisions it had,
the problems found and rectified, and the day its results were last briefed."""

from __future__ import annotations

from duty_tui.directory import is_secretary
from duty_tui.i18n import L
from duty_tui.reports import ReportContext, ReportSpec, Section, Table

from .settings import AGREEMENT_KINDS, DUTY_REPORT_KINDS, kinds_of
from .workflow import DONE


def problems_of(supervision) -> int:
    """The problems a supervision found: its count, else 1 when it says what it found."""
    n = supervision.data.get("problems")
    if n is not None:
        return n
    return 1 if supervision.data.get("findings") else 0


def levels_figures(ctx: ReportContext) -> list[str]:
    agreements = [a for a in ctx.records("agreement") if a.data["signed_on"] <= ctx.as_of]
    supervisions = ctx.held("supervision")
    found = sum(problems_of(s) for s in supervisions)
    rectified = sum(problems_of(s) for s in supervisions
                    if s.state in DONE and s.data.get("rectified_on") and s.data["rectified_on"] <= ctx.as_of)
    briefed = [s for s in supervisions if s.data.get("briefed_on") and s.data["briefed_on"] <= ctx.as_of]
    out = [ctx.t("与{a}个村（社区）和部门签订意识形态工作责任书，开展督查{s}次，发现问题{p}个、已整改{r}个，通报督查结果{b}次",
                 "responsibility agreements on ideological work signed with {a} villages, communities and departments; {s} supervision(s) held, "
                 "{p} problem(s) found and {r} rectified; the results of {b} supervision(s) briefed",
                 a=len({a.data["unit"] for a in agreements}), s=len(supervisions), p=found, r=rectified, b=len(briefed))]
    if ctx.has("duty_report"):
        kinds = kinds_of(ctx.ledger.setting(DUTY_REPORT_KINDS))
        units = {u.id for u in ctx.ledger.all("unit") if u.data.get("kind") in kinds}
        secretaries = {p.id for p in ctx.ledger.all("person") if p.data.get("unit") in units and is_secretary(p.data.get("post"))}
        reports = [r for r in ctx.records("duty_report") if r.data.get("person") in secretaries
                   and (r.data.get("date") is None or r.data["date"] <= ctx.as_of)]
        given = {r.data["person"] for r in reports}
        covering = {r.data["person"] for r in reports if r.data.get("includes_ideology")}
        out.append(ctx.t("村（社区）党组织书记{d}人述职，其中述职报告包含意识形态工作{di}人",
                         "{d} village and community Party secretaries gave their duty reports, {di} covering ideological work",
                         d=len(given), di=len(covering)))
    return out


def levels_attachments(ctx: ReportContext) -> list[Section]:
    """One row per unit that signs, in the order of the kinds, then as entered."""
    kinds = kinds_of(ctx.ledger.setting(AGREEMENT_KINDS))
    units = sorted((u for u in ctx.ledger.all("unit") if u.data.get("kind") in kinds),
                   key=lambda u: (kinds.index(u.data["kind"]), u.id.rsplit("-", 1)[-1].zfill(12)))
    if not units:
        return []
    kind_field = ctx.ledger.type("unit").field("kind")
    signed = {a.data["unit"]: a.data["signed_on"] for a in ctx.records("agreement") if a.data["signed_on"] <= ctx.as_of}
    held: dict[str, list] = {}
    for s in ctx.held("supervision"):
        held.setdefault(s.data["unit"], []).append(s)
    rows = []
    for unit in units:
        mine = held.get(unit.id, [])
        briefed = max((s.data["briefed_on"] for s in mine if s.data.get("briefed_on") and s.data["briefed_on"] <= ctx.as_of), default=None)
        rectified = sum(problems_of(s) for s in mine if s.state in DONE and s.data.get("rectified_on") and s.data["rectified_on"] <= ctx.as_of)
        rows.append((str(unit.data["name"]), kind_field.choice_label(unit.data["kind"]).render(ctx.lang),
                     signed[unit.id].isoformat() if unit.id in signed else ctx.t("未签订", "not signed"),
                     str(len(mine)), str(sum(problems_of(s) for s in mine)), str(rectified), briefed.isoformat() if briefed else "-"))
    table = Table((ctx.t("单位", "Unit"), ctx.t("类别", "Kind"), ctx.t("签订责任书", "Agreement signed"), ctx.t("督查次数", "Supervisions"),
                   ctx.t("发现问题", "Problems found"), ctx.t("已整改", "Rectified"), ctx.t("最近通报", "Last briefed")), tuple(rows))
    return [Section(ctx.t("分级负责落实情况", "Responsibility by level"),
                    (ctx.t("{when}各村（社区）、部门和办公室签订意识形态工作责任书及接受督查的情况。",
                           "Agreements signed and supervisions received by each village, community, department and office in {when}.",
                           when=ctx.period.name(ctx.lang)),), (table,))]


LEVELS_REPORT = ReportSpec("levels.figures", L("分级负责", "Levels of duty"), area="levels", order=70, figures=levels_figures,
                           attachments=levels_attachments)
