"""The positions rules. An event that was held, or whose date has passed, must have been
approved and filed on or before its date: what was late cannot be put right, so it is an error
at once. Its speakers too: each vetted (可以邀请) by its date and the vetting still holding then —
a warning while the event is still to come (the speaker can still be vetted or changed), an error
once its date has passed. An outlet's responsible person and its reviews can still be seen to
while the year runs: a warning then, an error once the year is over. Its review interval (by
kind, a setting) is a deadline: a review overdue is an error at once, one falling due within the
notice days a warning; a year that is over is judged on its last day."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.ledger import Record
from duty_tui.rules import ERROR, WARNING, Finding, Fix, Rule, RuleContext

from .settings import OUTLET_REVIEW_MIN, REVIEW_NOTICE_DAYS, SPEAKER_VALID_DAYS
from .types import AREA, CLOSED, OUTLET
from .vetting import review_due, speaker_problem
from .workflow import HELD, NOT_HAPPENING, is_approved


def events_due(ctx: RuleContext) -> list[Record]:
    """The year's events that were held or whose date has passed (unless rejected or cancelled),
    organised by a unit in scope."""
    scope = ctx.units_in_scope()
    out = []
    for event in ctx.records("event", in_year=True):
        if scope is not None and event.data.get("organizer_unit") not in scope:
            continue
        if event.state == HELD or (event.state not in NOT_HAPPENING and event.data["date"] < ctx.today):
            out.append(event)
    return out


def named(event: Record) -> dict:
    return {"title": event.data["title"], "date": event.data["date"].isoformat()}


def check_event_approved(ctx: RuleContext) -> list[Finding]:
    findings = []
    for event in events_due(ctx):
        approved = event.data.get("approved_on")
        if not is_approved(event.data):
            message = L("{title}（{date}）：未经批准", "{title} ({date}): not approved").format(**named(event))
        elif approved > event.data["date"]:
            message = L("{title}（{date}）：{approved} 才批准，晚于举办日期", "{title} ({date}): approved on {approved}, after its date").format(
                approved=approved.isoformat(), **named(event))
        else:
            continue
        findings.append(ctx.finding(ERROR, message, [event.id]))
    return findings


def check_event_filed(ctx: RuleContext) -> list[Finding]:
    findings = []
    for event in events_due(ctx):
        filed, approved = event.data.get("filed_on"), event.data.get("approved_on")
        if not filed:
            message = L("{title}（{date}）：未报市委宣传部备案", "{title} ({date}): not filed with the municipal propaganda department").format(**named(event))
        elif filed > event.data["date"]:
            message = L("{title}（{date}）：{filed} 才备案，晚于举办日期", "{title} ({date}): filed on {filed}, after its date").format(
                filed=filed.isoformat(), **named(event))
        elif approved and filed < approved:
            message = L("{title}（{date}）：{filed} 备案，早于 {approved} 批准", "{title} ({date}): filed on {filed}, before its approval on {approved}").format(
                filed=filed.isoformat(), approved=approved.isoformat(), **named(event))
        else:
            continue
        findings.append(ctx.finding(ERROR, message, [event.id]))
    return findings


def outlets_in_use(ctx: RuleContext) -> list[Record]:
    """Outlets not closed, opened by the end of the year, of a unit in scope."""
    scope = ctx.units_in_scope()
    return [o for o in ctx.records("outlet")
            if o.data.get("status") != CLOSED and (o.data.get("opened_on") or ctx.year_start) <= ctx.year_end
            and (scope is None or o.data.get("unit") in scope)]


def check_outlet_responsible(ctx: RuleContext) -> list[Finding]:
    findings = []
    for outlet in outlets_in_use(ctx):
        if not outlet.data.get("responsible"):
            findings.append(ctx.shortfall(0, 1, L("{name}：没有责任人", "{name}: no responsible person").format(name=outlet.data["name"]), [outlet.id]))
    return [f for f in findings if f]


def check_outlet_review(ctx: RuleContext) -> list[Finding]:
    """Reviews of the year: the outlet's review records, and its ``last_review`` when that date
    is in the year and no record has it (an office that keeps only the date)."""
    need = ctx.setting(OUTLET_REVIEW_MIN)
    reviews: dict[str, list[Record]] = {}
    for review in ctx.records("outlet_review", in_year=True):
        reviews.setdefault(review.data["outlet"], []).append(review)
    findings = []
    for outlet in outlets_in_use(ctx):
        own = reviews.get(outlet.id, [])
        dates = {r.data["date"] for r in own}
        last = outlet.data.get("last_review")
        if last and last.year == ctx.year:
            dates.add(last)
        findings.append(ctx.shortfall(len(dates), need, L("{name}：{year}年巡查 {have}/{need} 次", "{name}: reviewed {have} of {need} times in {year}").format(
            name=outlet.data["name"], year=ctx.year, have=len(dates), need=need), [outlet.id] + [r.id for r in own],
            Fix("outlet_review", {"outlet": outlet.id, **({"reviewer": r} if (r := outlet.data.get("responsible")) else {})})))
    return [f for f in findings if f]


def check_speakers_vetted(ctx: RuleContext) -> list[Finding]:
    """Every speaker of the year's events (not rejected or cancelled) vetted by the event's date:
    an error once the date has passed or the event was held, a warning before."""
    scope = ctx.units_in_scope()
    default_days = ctx.setting(SPEAKER_VALID_DAYS)
    speakers: dict[str, Record | None] = {}
    findings = []
    for event in ctx.records("event", in_year=True):
        if event.state in NOT_HAPPENING or (scope is not None and event.data.get("organizer_unit") not in scope):
            continue
        date = event.data["date"]
        severity = ERROR if event.state == HELD or date < ctx.today else WARNING
        for sid in dict.fromkeys(event.data.get("registered_speakers") or ()):
            if sid not in speakers:
                speakers[sid] = ctx.ledger.find(sid)
            speaker = speakers[sid]
            reason = speaker_problem(speaker.data, date, default_days) if speaker is not None else None
            if reason:
                findings.append(ctx.finding(severity, L("{title}（{date}）：{reason}", "{title} ({date}): {reason}").format(
                    reason=reason, **named(event)), [event.id, sid]))
    return findings


def check_outlet_review_interval(ctx: RuleContext) -> list[Finding]:
    """Each outlet in use reviewed within its kind's interval, judged today (the year's last day
    once it is over): overdue is an error, due within the notice days a warning."""
    if ctx.today < ctx.year_start:
        return []
    as_of = min(ctx.today, ctx.year_end)
    notice = ctx.setting(REVIEW_NOTICE_DAYS)
    reviews: dict[str, list] = {}
    for review in ctx.records("outlet_review"):
        reviews.setdefault(review.data["outlet"], []).append(review.data["date"])
    kinds = OUTLET.field("kind")
    findings = []
    for outlet in outlets_in_use(ctx):
        if (outlet.data.get("opened_on") or ctx.year_start) > as_of:
            continue
        due = review_due(outlet.data, reviews.get(outlet.id, ()), as_of, ctx.year_start, ctx.setting)
        if due is None:
            continue
        values = {"name": outlet.data["name"], "kind": kinds.choice_label(outlet.data["kind"]), "days": due.days,
                  "due": due.due.isoformat(), "last": due.last.isoformat() if due.last else ""}
        fix = Fix("outlet_review", {"outlet": outlet.id, **({"reviewer": r} if (r := outlet.data.get("responsible")) else {})})
        if due.due < as_of:
            message = (L("{name}（{kind}）：最近巡查 {last}，超过 {days} 天巡查周期（{due} 到期）",
                         "{name}: last reviewed {last}, due every {days} days (by {due})")
                       if due.last else
                       L("{name}（{kind}）：未见巡查记录，{due} 已到巡查期（周期 {days} 天）",
                         "{name}: never reviewed, due every {days} days (by {due})")).format(**values)
            findings.append(ctx.finding(ERROR, message, [outlet.id], fix=fix))
        elif not ctx.year_over and (due.due - as_of).days <= notice:
            findings.append(ctx.finding(WARNING, L("{name}（{kind}）：巡查将于 {due} 到期（周期 {days} 天）",
                                                   "{name}: review due by {due} (every {days} days)").format(**values),
                                        [outlet.id], fix=fix))
    return findings


RULES = (
    Rule("positions.event-approved", AREA, L("活动事先批准", "events approved beforehand"), check_event_approved),
    Rule("positions.event-filed", AREA, L("活动事先备案", "events filed beforehand"), check_event_filed),
    Rule("positions.outlet-responsible", AREA, L("阵地责任人", "outlets' responsible persons"), check_outlet_responsible),
    Rule("positions.outlet-review", AREA, L("阵地巡查", "outlet reviews"), check_outlet_review),
    Rule("positions.speaker-vetted", AREA, L("报告人事先审查", "speakers vetted beforehand"), check_speakers_vetted),
    Rule("positions.outlet-review-interval", AREA, L("阵地按类别周期巡查", "outlets reviewed at their kind's interval"),
         check_outlet_review_interval),
)
