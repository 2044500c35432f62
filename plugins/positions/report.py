"""What positions adds to the report's 二、主要做法和成效, in its own area's paragraph (after the
figures the reports plugin writes for events and outlets): the speaker register and its vetting,
and the outlets by kind with those whose review is overdue on the period's last day counted."""

from __future__ import annotations

import datetime as dt

from duty_tui.i18n import L
from duty_tui.reports import ReportContext, ReportSpec
from duty_tui.reports.period import document_date

from .settings import SPEAKER_VALID_DAYS
from .types import AREA, CLOSED, OUTLET, OUTLET_KIND_NAMES, SUITABLE, UNSUITABLE
from .vetting import review_due, speaker_problem

NOT_HELD = ("draft", "submitted", "rejected", "cancelled")


def speaker_figures(ctx: ReportContext) -> list[str]:
    if not ctx.has("speaker"):
        return []
    register = ctx.ledger.all("speaker")
    vetted = ctx.held("speaker", "vetted_on")
    held = [e for e in ctx.held("event") if e.state not in NOT_HELD and e.data.get("registered_speakers")]
    default_days = ctx.ledger.setting(SPEAKER_VALID_DAYS)
    by_id = {s.id: s for s in register}
    clean = [e for e in held if not any(speaker_problem(by_id[sid].data, e.data["date"], default_days)
                                        for sid in e.data["registered_speakers"] if sid in by_id)]
    out = [ctx.t("建立报告人名录，登记报告人{n}人；本期审查报告人{v}人，其中可以邀请{a}人、不宜邀请{u}人",
                 "a register of speakers, {n} speaker(s) in it; {v} vetted in the period, {a} found fit to invite and {u} not to be invited",
                 n=len(register), v=len(vetted), a=sum(1 for s in vetted if s.data.get("conclusion") == SUITABLE),
                 u=sum(1 for s in vetted if s.data.get("conclusion") == UNSUITABLE))]
    if held:
        out.append(ctx.t("举办的报告会、讲座等邀请登记报告人{h}场，其中报告人均经事先审查{c}场",
                         "{h} event(s) held with registered speakers, {c} of them with every speaker vetted beforehand",
                         h=len(held), c=len(clean)))
    return out


def outlet_figures(ctx: ReportContext) -> list[str]:
    if not ctx.has("outlet"):
        return []
    in_use = [o for o in ctx.ledger.all("outlet") if o.data.get("status") != CLOSED
              and (o.data.get("opened_on") or ctx.start) <= ctx.as_of]
    if not in_use:
        return []
    kinds = OUTLET.field("kind")
    counts = {k: sum(1 for o in in_use if o.data.get("kind") == k) for k in OUTLET_KIND_NAMES}
    sep = "、" if ctx.lang == "zh" else ", "
    listed = sep.join(ctx.t("{k}{n}个", "{n} {k}", k=kinds.choice_label(k).render(ctx.lang), n=n) for k, n in counts.items() if n)
    reviews: dict[str, list[dt.date]] = {}
    for review in (ctx.ledger.all("outlet_review") if ctx.has("outlet_review") else []):
        reviews.setdefault(review.data["outlet"], []).append(review.data["date"])
    overdue = 0
    for outlet in in_use:
        due = review_due(outlet.data, reviews.get(outlet.id, ()), ctx.as_of, ctx.start, ctx.ledger.setting)
        overdue += bool(due and due.due < ctx.as_of)
    return [ctx.t("各类阵地按类别明确责任人、定期巡查：{listed}；截至{day}超过巡查周期未巡查{o}个",
                  "every kind of outlet with its responsible person and its review interval: {listed}; {o} overdue for review on {day}",
                  listed=listed, day=document_date(ctx.as_of, ctx.lang), o=overdue)]


def figures(ctx: ReportContext) -> list[str]:
    return speaker_figures(ctx) + outlet_figures(ctx)


REPORTS = (
    ReportSpec("positions.speakers-and-outlets", L("报告人审查和各类阵地", "Speakers vetted and outlets by kind"), area=AREA, order=21,
               figures=figures),
)
