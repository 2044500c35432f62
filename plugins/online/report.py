"""The online area in the report: its paragraph of figures in 二、主要做法和成效 (incidents handled,
those of the higher levels and how many were reported up; posts on own media and how many had
all three reviews). Registered by this plugin itself (``ReportSpec`` with ``figures``)."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.reports import ReportContext, ReportSpec

from .settings import HIGHER_LEVEL
from .types import LEVEL_LABELS, REVIEWERS, level_rank


def reviewed(post) -> bool:
    """All three reviewers entered, three different persons (the rule may ask more: a leader's final review)."""
    people = [post.data.get(name) for name in REVIEWERS]
    return all(people) and len(set(people)) == 3


def online_figures(ctx: ReportContext) -> list[str]:
    """The period's incidents found and posts gone out (up to as_of), as the report states them."""
    out = []
    incidents = ctx.held("opinion_incident")
    if incidents:
        floor_level = ctx.ledger.setting(HIGHER_LEVEL)
        high = [i for i in incidents if level_rank(i.data["level"]) >= level_rank(floor_level)]
        handled = sum(1 for i in incidents if i.data.get("handled_on") and i.data["handled_on"] <= ctx.as_of)
        reported = sum(1 for i in high if i.data.get("reported_up_on") and i.data["reported_up_on"] <= ctx.as_of)
        level = LEVEL_LABELS.get(floor_level, L(floor_level, floor_level)).render(ctx.lang)
        if handled == len(incidents):
            head = ctx.t("处置网络舆情{n}起", "{n} online opinion incident(s) handled", n=len(incidents))
        else:
            head = ctx.t("发现网络舆情{n}起，已处置{d}起", "{n} online opinion incident(s) found, {d} handled", n=len(incidents), d=handled)
        if not high:
            tail = ctx.t("，无{level}以上舆情", ", none of them {level} or above", level=level)
        elif reported == len(high):
            tail = ctx.t("，其中{level}以上{h}起，均已报告上级", ", {h} of them {level} or above, all reported up", level=level, h=len(high))
        else:
            tail = ctx.t("，其中{level}以上{h}起，已报告上级{r}起", ", {h} of them {level} or above, {r} reported up",
                         level=level, h=len(high), r=reported)
        out.append(head + tail)
    elif ctx.has("opinion_incident"):
        out.append(ctx.t("未发现涉及本镇的网络舆情", "no online opinion incident concerning the town was found"))
    posts = ctx.held("publication")
    if posts:
        out.append(ctx.t("自办媒体发布{n}条，落实三审三校{r}条", "{n} post(s) on own media, {r} with all three reviews",
                         n=len(posts), r=sum(1 for p in posts if reviewed(p))))
    return out


ONLINE_REPORT = ReportSpec("online.figures", L("网络意识形态工作", "The online front"), area="online", figures=online_figures)
