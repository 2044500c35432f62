"""``duty score``: the itemised assessment of a year (考核细则): the town committee's items with
every point lost and where it comes from, each unit's and each leader's score beside the
appraisal entered, then the checks by area; or one subject, or all, or JSON.
``duty score-table``: the table itself, and ``--load-example`` to write the example table."""

from __future__ import annotations

import click

from duty_tui.errors import NotFound
from duty_tui.i18n import L

from .chart import cells, chart_lines, pad
from .itemised import FAILED, PENDING, SubjectScore, grouped
from .labels import appraisal_text, roles_text
from .scorecard import Scorecard, build_scorecard, scorecard_json
from .scoring import rounded
from .types import ASSESSMENT_ITEM


def num(value) -> str:
    if value is None:
        return "—"
    return f"{rounded(value, 2):g}"


def kind_label(kind: str, lang: str) -> str:
    return ASSESSMENT_ITEM.field("applies_to").choice_label(kind).render(lang)


def t(lang: str, zh: str, en: str, **kw) -> str:
    return L(zh, en).format(**kw).render(lang)


def example_note(scorecard: Scorecard, lang: str) -> list[str]:
    if not scorecard.table:
        return [t(lang, "尚未建立考核细则：管理员可用 duty score-table --load-example 写入示例细则，再按本地规定修改。",
                  "No assessment items yet: an admin may write the example table with duty score-table --load-example, then adapt it.")]
    if scorecard.example:
        return [t(lang, "（考核细则为随软件提供的示例，须由考核办按本地规定修改）",
                  "(the assessment items are the example shipped with the software, for the office to adapt)")]
    return []


def subject_head(scorecard: Scorecard, s: SubjectScore, lang: str) -> str:
    line = t(lang, "{name}：得分 {score} / {full}", "{name}: {score} of {full}", name=s.name, score=num(s.score), full=num(s.full))
    if s.self_total is not None:
        line += t(lang, "（自评合计 {own}）", " (self scores {own})", own=num(s.self_total))
    if s.pending:
        line += t(lang, "；另有 {n} 项 {p} 分待考核组评分", "; {n} item(s), {p} points, await the panel",
                  n=len(s.pending), p=num(sum(i.item.points for i in s.pending)))
    if s.failed:
        line += t(lang, "；规则 {rules} 运行出错，相关项目不计分（不完整）", "; rule {rules} failed, its items have no score (incomplete)",
                  rules=", ".join(s.failed))
    if s.bars_excellent:
        line += t(lang, "；一票否决：不得评为优秀", "; veto: may not be graded 优秀 (excellent)")
    appraisal = scorecard.appraisal(s)
    if s.kind == "leader":
        line += "  " + appraisal_text(appraisal, lang)
        if appraisal is not None and appraisal.grade == "excellent" and s.bars_excellent:
            line += t(lang, "  与一票否决不符", "  contradicts the veto")
    return line


def item_lines(scorecard: Scorecard, s: SubjectScore, lang: str, only_lost: bool = False) -> list[str]:
    lines = []
    width = max((cells(i.item.title) for i in s.items), default=0)
    for i in s.items:
        if only_lost and not i.lost and not i.vetoed and i.state not in (PENDING, FAILED):
            continue
        given = (t(lang, "待评", "pending") if i.state == PENDING else t(lang, "出错", "failed") if i.state == FAILED else num(i.score))
        number = f"{i.item.order}." if i.item.order is not None else "·"
        lines.append(f"  {number:>4} {pad(i.item.title, width)}  {t(lang, '分值', 'points')} {num(i.item.points):>3}  "
                     f"{t(lang, '自评', 'self')} {num(i.self_score):>3}  {t(lang, '考核组', 'panel')} {given:>3}"
                     + (f"  {i.note.render(lang)}" if i.note is not None else "")
                     + (t(lang, "  ★一票否决", "  ★veto") if i.vetoed else ""))
        for points, times, d in grouped(i.deductions):
            source = ", ".join(x for x in (d.rule or "", " ".join(d.records)) if x)
            lines.append(f"         −{num(points)}  {d.reason.render(lang)}" + (f" ×{times}" if times > 1 else "")
                         + (f"  〔{source}〕" if source else "") + ("" if d.points else t(lang, "（已扣完）", " (nothing left to lose)"))
                         + (t(lang, "（预警：年内尚可补正）", " (a warning: can still be made good this year)") if d.warning else ""))
        for trigger in (i.triggers if i.vetoed else ()):
            source = ", ".join(x for x in (trigger.rule or "", " ".join(trigger.records)) if x)
            lines.append(f"         ★ {trigger.reason.render(lang)}" + (f"  〔{source}〕" if source else ""))
    return lines


def human(scorecard: Scorecard, org: str, lang: str, subject: str | None = None) -> list[str]:
    town = scorecard.town
    lines = [t(lang, "{org}{year}年度意识形态工作责任制考核", "{org}{year} assessment of the ideological-work responsibility system",
               org=f"{org} · " if org else "", year=scorecard.year)]
    lines += example_note(scorecard, lang)
    chosen = [s for s in scorecard.subjects if subject in ("all", s.id)] if subject else ([town] if town else [])
    if subject and subject != "all" and not chosen:
        lines.append(t(lang, "没有考核对象 {id}", "no subject {id}", id=subject))
    for s in chosen:
        lines += ["", subject_head(scorecard, s, lang)]
        lines += item_lines(scorecard, s, lang)
    if not subject:
        others = [s for s in scorecard.subjects if s is not town]
        units = [s for s in others if s.kind != "leader"]
        leaders = [s for s in others if s.kind == "leader"]
        if units:
            lines += ["", t(lang, "村（社区）、部门（--subject ID 看明细）", "Villages, communities, departments (--subject ID for the items)")]
            width = max(cells(s.name) for s in units)
            for s in units:
                lines.append(f"  {pad(s.name, width)}  {pad(kind_label(s.kind, lang), 10)} {s.id:<10} " + subject_head(scorecard, s, lang)
                             .split("：", 1)[-1].split(": ", 1)[-1])
        if leaders:
            lines += ["", t(lang, "班子成员（年度考核为录入的结果，评分不改写）", "Leaders (the appraisal as entered, never written over)")]
            width = max(cells(s.name) for s in leaders)
            role_width = max(cells(roles_text(s.roles, lang)) for s in leaders)
            for s in leaders:
                lines.append(f"  {pad(s.name, width)}  {pad(roles_text(s.roles, lang), role_width)}  {s.id:<10} "
                             + subject_head(scorecard, s, lang).split("：", 1)[-1].split(": ", 1)[-1])
                lost = [i for i in s.items if i.lost]
                if lost:
                    lines.append("  " + " " * width + "  " + " · ".join(
                        t(lang, "{item} −{n}", "{item} −{n}", item=i.item.title, n=num(i.lost)) for i in lost))
    lines += [""] + checks_lines(scorecard, lang)
    return lines


def checks_lines(scorecard: Scorecard, lang: str) -> list[str]:
    """The checks by area: how many of each area's rules pass (not anyone's score)."""
    total = rounded(scorecard.total)
    lines = [t(lang, "各方面检查情况 · 加权 {total}", "Checks by area · weighted {total}", total="—" if total is None else f"{total:.1f}")
             + (t(lang, "（不完整）", " (incomplete)") if scorecard.failed else ""),
             t(lang, "（检查规则通过情况，不是考核得分：无问题 100，只有预警 {w}，有问题 0）",
               "(how the rules pass, not a score: no finding 100, warnings only {w}, an error 0)",
               w=f"{float(scorecard.warning_points):g}")]
    rows = [(scorecard.label(a.area).render(lang), a.score, t(lang, "权重 {w}", "weight {w}", w=f"{float(a.weight):g}")
             + (no_score(a.failed, lang) if a.failed else "")) for a in scorecard.committee.areas]
    rows.append((t(lang, "加权", "weighted"), scorecard.total, incomplete(scorecard, lang)))
    return lines + chart_lines(rows)


def no_score(failed, lang: str) -> str:
    """Why an area has no score: a rule of it failed to run."""
    return L("  规则 {rules} 运行出错，本方面不计分", "  no score: rule {rules} failed").format(rules=", ".join(failed)).render(lang)


def incomplete(scorecard: Scorecard, lang: str) -> str:
    if not scorecard.failed:
        return ""
    return L("不完整：不含规则运行出错的方面", "incomplete: without the areas whose rules failed").render(lang)


def table_lines(ledger, year: int | None, lang: str) -> list[str]:
    from .table import table_of

    rows = table_of(ledger, year) if year else sorted(ledger.all("assessment_item"), key=lambda r: (r.data.get("order") or 0, r.id))
    method = ASSESSMENT_ITEM.field("method")
    lines = []
    for r in rows:
        d = r.data
        how = d.get("rule") or (f"{d.get('count_type')} {d.get('count_match') or ''}".strip() if d.get("count_type") else "")
        veto = "" if d.get("veto") in (None, "none") else "  " + ASSESSMENT_ITEM.field("veto").choice_label(d["veto"]).render(lang)
        lines.append(f"{r.id:<20} {d.get('order') or '':>3} {d['area']:<15} {num(d.get('points')):>3}  {d['title']}  "
                     f"[{method.choice_label(d['method']).render(lang)}{' ' + how if how else ''}]{veto}"
                     + (t(lang, "  示例", "  example") if d.get("example") else ""))
    return lines or [t(lang, "尚无考核细则", "no assessment items")]


def add_commands(cli: click.Group) -> None:
    @cli.command("score")
    @click.option("--year", type=int, default=None, help="The year to score (default: this year in the store's time zone).")
    @click.option("--subject", default=None, help="A unit or person id (unit-3, person-2) for its items, or all.")
    @click.option("--town", default=None, metavar="UNIT|all", help="(county) One town, by its unit's id or name, or all: "
                  "each town's assessment, grouped by town (a town kept in this store, or the imported copy of the year).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def score_cmd(env, year: int, subject: str | None, town: str | None, as_json: bool) -> None:
        """The itemised assessment (考核细则): the town, each unit and leader, every point lost and its source. 考核评分。"""
        env.json = as_json
        year = year or env.ledger.today().year
        if town is None:
            scorecard = score_one(env, env.ledger, year, subject)
            if as_json:
                env.emit_json(scorecard_json(scorecard, env.lang, subject))
                return
            click.echo("\n".join(human(scorecard, org_of(env.ledger), env.lang, subject)))
            return
        from duty_tui.county import chosen_towns, town_heading, town_json

        if subject and subject != "all" and town.strip().lower() == "all":
            raise click.UsageError(t(env.lang, "--subject 与 --town all 不能同用：各镇的编号各不相同（可用 all）",
                                     "--subject cannot go with --town all: each town numbers its records its own way (all can)"))
        chosen = chosen_towns(env.ledger, town, year, progress=lambda copy: click.echo(
            t(env.lang, "首次读取 {copy}：恢复数据包……", "reading {copy} for the first time: restoring its bundle…", copy=copy), err=True))
        cards = [(tw, score_one(env, tw.ledger, year, subject)) for tw in chosen]
        if as_json:
            env.emit_json({"year": year, "towns": [{**town_json(tw), "scorecard": scorecard_json(card, env.lang, subject)} for tw, card in cards]})
            return
        for i, (tw, card) in enumerate(cards):
            click.echo(("\n" if i else "") + town_heading(tw).render(env.lang))
            click.echo("\n".join(human(card, org_of(tw.ledger), env.lang, subject)))

    def score_one(env, ledger, year: int, subject: str | None) -> Scorecard:
        scorecard = build_scorecard(ledger, year, ledger.today())
        if subject and subject != "all" and scorecard.subject(subject) is None:
            try:  # a unit or leader outside the operator's scope is said to be (NotPermitted, exit 3), not to be missing
                ledger.get(subject)
            except NotFound:
                pass
            raise click.UsageError(t(env.lang, "没有考核对象 {id}（单位或班子成员的编号，或 all）", "no subject {id} (a unit's or a leader's id, or all)",
                                     id=subject))
        return scorecard

    def org_of(ledger) -> str:
        try:
            return str(ledger.setting("org.name") or "")
        except Exception:  # a store without the setting
            return ""

    @cli.command("score-table")
    @click.option("--year", type=int, default=None, help="Only the items that apply in this year.")
    @click.option("--load-example", is_flag=True, help="Write the example table (admins; each item marked as an example).")
    @click.pass_obj
    def score_table_cmd(env, year: int | None, load_example: bool) -> None:
        """The assessment items (考核细则); edit them with duty add/edit assessment_item. 考核细则。"""
        if load_example:
            from .demo import add_example_table

            ids = add_example_table(env.ledger)
            click.echo(t(env.lang, "已写入示例考核细则 {n} 项（{first}…{last}），请按本地规定修改", "wrote {n} example items ({first}…{last}); adapt them",
                         n=len(ids), first=ids[0] if ids else "", last=ids[-1] if ids else ""))
            return
        click.echo("\n".join(table_lines(env.ledger, year, env.lang)))
