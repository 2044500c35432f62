"""The county's towns side by side (issue 19, item 2): for a year, each town's areas as lights
(the single town's dashboard's lights, :mod:`.dashboard`), its itemised score (考核得分), how many
errors and warnings its checks found, and what is overdue in it. The county dashboard (TUI) and
the county report (``duty report --county``) both read this. No Textual here.

A town is anything with a ``name`` and a ``ledger`` that reads that town only (``unit`` and
``kind``, "resident" or "imported", when it has them): :func:`duty_tui.county.towns` gives them.
Each town is read through its own ledger, one after the other; ``progress`` hears of each.

The score is the assessment's: the core never imports a plugin, so the plugin that scores a town
registers a :class:`TownScorer` with ``duty_register_reports`` (as it registers its ReportSpec)::

    @hookimpl
    def duty_register_reports(register):
        register(TownScorer("assessment.town-score", L("考核得分", "Score"), town_score))

    def town_score(ledger, year, today, findings=None):   # findings: rule id → its findings, run already
        card = build_scorecard(ledger, year, today, found=findings)
        return TownScore(card.town.score, card.town.full, ...) if card.town else None

Without one (the plugin off), towns have no score ("—") and say why; a scorer that raises gives
that town no score and the error, and the others still have theirs.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Callable, Iterable, Sequence

from .. import standing_cache
from ..errors import DutyError
from ..i18n import L, as_text
from ..ledger import Ledger
from ..rules import ERROR, FAILED, WARNING, Finding, run_rules_by_rule
from .areas import ordered_areas
from .dashboard import AreaStatus, add_findings, build_dashboard
from .due import RED, DueEntry, Link, due_for

# A light readable without colour (NO_COLOR, a black-and-white printout): a glyph of its own each,
# all one cell wide in every terminal (no East Asian "ambiguous" width characters).
GLYPHS = {"green": "✓", "yellow": "!", "red": "✗", "failed": "?", "pending": "~", "none": "-"}
LIGHTS = {"green": L("通过", "pass"), "yellow": L("预警", "warning"), "red": L("问题", "error"),
          "failed": L("规则出错", "rule failed"), "pending": L("检查中", "checking"), "none": L("无规则", "no rules")}
NO_SCORER = L("未启用考核评分（assessment 插件未安装或已停用），无考核得分",
              "no scores: nothing scores towns here (the assessment plugin is not installed or is disabled)")
SERIOUS = 3  # findings named per town in the report's paragraph

Progress = Callable[[int, int, str], None]  # (towns done, towns in all, the town just read)


@dataclass(frozen=True)
class TownScore:
    """A town's itemised score as its scorer gives it: ``score`` of ``full`` points (numbers or
    Fractions; ``score`` None: not scored), items still awaiting the panel, whether a veto bars
    it from 优秀, whether the table is the shipped example."""

    score: Any
    full: Any = None
    pending: int = 0
    vetoed: bool = False
    example: bool = False


@dataclass(frozen=True)
class TownScorer:
    """What a plugin registers (``duty_register_reports``) to give each town its score:
    ``score(ledger, year, today, findings=...)`` returns a :class:`TownScore` or None (the town has
    no assessment table); ``findings`` are the rules' findings by rule id, already run for that
    town and year, so the scorer need not run them again."""

    id: str
    label: L
    score: Callable[..., TownScore | None]
    plugin: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_text(self.label))
        if not self.id or not callable(self.score):
            raise ValueError(f"a TownScorer needs an id and a callable score (got {self.id!r})")


@dataclass
class TownStanding:
    """One town's row: its areas' lights, score, findings and overdue items."""

    name: str
    unit: str | None = None
    kind: str = "resident"
    areas: dict[str, AreaStatus] = field(default_factory=dict)
    score: TownScore | None = None
    score_problem: str | None = None  # the scorer raised: its error
    findings: list[Finding] = field(default_factory=list)
    # the oldest overdue matters (at most OLDEST_KEPT), and how many are overdue in all: the row
    # and the report name the count and the oldest; a town's own dashboard lists them all
    overdue: list[DueEntry] = field(default_factory=list)
    overdue_count: int = 0
    records: int = 0
    problem: L | None = None  # the town could not be read at all: why
    seconds: float = 0.0
    ledger: Ledger | None = field(default=None, repr=False)
    # where it came from: "computed" now, "kept" (the cache, for what it depends on now), "stale"
    # (the cache's last standing of the town, shown while it is computed again)
    origin: str = "computed"
    town: Any = field(default=None, repr=False)  # the town it is of (its ledger opened on demand)

    def open_ledger(self) -> Ledger | None:
        """The town's ledger (a kept standing opens it only when the town is gone into)."""
        if self.ledger is None and self.town is not None and self.problem is None:
            self.ledger = self.town.ledger
        return self.ledger

    def light(self, area: str) -> str:
        status = self.areas.get(area)
        return status.light if status is not None else "none"

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def warnings(self) -> int:
        return self.count(WARNING)

    @property
    def failed(self) -> int:
        return self.count(FAILED)

    @property
    def points(self) -> Any:
        return self.score.score if self.score is not None else None

    def serious(self, n: int = SERIOUS) -> list[Finding]:
        """The most serious findings: errors first, then rules that failed, then warnings (the
        order the rules engine sorts them in)."""
        return self.findings[:n]


@dataclass
class County:
    year: int
    today: dt.date
    areas: list[str]
    towns: list[TownStanding]
    scored: bool  # a scorer is registered
    seconds: float = 0.0

    @property
    def full(self) -> Any:
        """The full marks when every scored town has the same (else None)."""
        fulls = {town.score.full for town in self.towns if town.score is not None and town.score.full is not None}
        return fulls.pop() if len(fulls) == 1 else None


def scorer_of(registry) -> TownScorer | None:
    return next((s for s in registry.reports.values() if isinstance(s, TownScorer)), None)


def overdue_of(ledger: Ledger, year: int, today: dt.date) -> list[DueEntry]:
    """What is overdue in the whole town on ``today`` (every open record whose day has passed,
    whoever answers for it: ``duty due``'s list without an operator), due in ``year`` or before."""
    return [e for e in due_for(ledger, None, today=today, window=0) if e.light == RED and e.due.year <= year]


def standing_of(town: Any, year: int, today: dt.date, scorer: TownScorer | None) -> TownStanding:
    """One town read through its ledger: its dashboard (counts, every rule run), score and overdue."""
    started = time.perf_counter()
    out = TownStanding(str(getattr(town, "name", "") or getattr(town, "unit", "") or "?"), getattr(town, "unit", None),
                       getattr(town, "kind", "resident") or "resident")
    try:
        ledger = town.ledger
        out.ledger = ledger
        with ledger.steady():  # settings and scope filters read once for the town's figures
            return _standing(out, ledger, year, today, scorer, started)
    except Exception as exc:  # a town that cannot be read (its copy's file gone): said, the others still shown
        out.problem = why(exc)
        out.seconds = time.perf_counter() - started
        return out


def _standing(out: "TownStanding", ledger: Ledger, year: int, today: dt.date, scorer: TownScorer | None, started: float) -> "TownStanding":
    """The town's figures (what cannot be read raises: :func:`standing_of` says so)."""
    board = build_dashboard(ledger, year, today, rule_budget=-1.0)  # counts only: the rules run below, once
    by_rule = run_rules_by_rule(ledger, year, today=today)
    add_findings(board, by_rule, ledger.registry)
    out.areas = {a.area: a for a in board.areas}
    out.findings = list(board.findings)
    out.records = sum(board.counts.values())
    overdue = overdue_of(ledger, year, today)
    out.overdue, out.overdue_count = overdue[:OLDEST_KEPT], len(overdue)
    if scorer is not None:
        try:
            out.score = scorer.score(ledger, year, today, findings=by_rule)
        except Exception as exc:  # a plugin's scorer must not take the county down
            out.score_problem = f"{type(exc).__name__}: {exc}"
    out.seconds = time.perf_counter() - started
    return out


def why(exc: BaseException) -> L:
    """What went wrong, in both languages (a DutyError's own message and each bad field)."""
    if isinstance(exc, DutyError):
        details = getattr(exc, "errors", [])
        return L("；".join([exc.render("zh"), *(e.render("zh") for e in details)]),
                 "; ".join([exc.render("en"), *(e.render("en") for e in details)]))
    text = f"{type(exc).__name__}: {exc}"
    return L(text, text)


KEPT = ("areas", "score", "findings", "overdue", "overdue_count", "records")  # what the cache keeps of a standing
# Overdue matters a standing holds, oldest first. All of them (a county town's 400) were four
# fifths of reading the kept standings (70 of 90 ms for twenty towns, issue 19), for the count
# and the oldest that the county screen and report show.
OLDEST_KEPT = 5


def build_county(towns: Sequence[Any], year: int, today: dt.date, *, registry, progress: Progress | None = None,
                 cache: Any = None, ledger: Ledger | None = None, kept: Callable[["County", list[int]], None] | None = None,
                 computed: Callable[[int, "TownStanding"], None] | None = None) -> County:
    """Every town's standing for ``year``, in the order given; ``progress(done, total, name)``
    after each town computed (a county of twenty towns takes a while).

    With ``cache`` (a :class:`duty_tui.standing_cache.StandingCache` of ``ledger``, the county's
    ledger the towns were listed by), a town whose standing is kept for what it depends on now is
    not computed again, and each one computed is kept. ``kept(county, stale)`` hears first, before
    anything is computed, of the county as kept: the kept standings, and at the indexes in
    ``stale`` the towns still to be computed (each the town's last kept standing, ``origin``
    "stale", or a row with nothing yet, ``origin`` "pending"); ``progress`` then counts the stale
    towns only, and ``computed(index, standing)`` hears of each as it is computed."""
    started = time.perf_counter()
    scorer = scorer_of(registry)
    shown, stale, keys, out = _as_kept(towns, year, today, registry, scorer, cache, ledger, with_stale=kept is not None)
    if kept is not None:
        kept(shown, stale)

    for done, i in enumerate(stale, 1):
        standing = standing_of(towns[i], year, today, scorer)
        standing_cache.computed.append(("standing", standing.unit or standing.name))
        out[i] = standing
        if keys[i] is not None and _clean(standing):
            body = {name: getattr(standing, name) for name in KEPT}
            cache.put(keys[i], body)
            cache.put(last_key(cache, towns[i], year), body)
        if computed is not None:
            computed(i, standing)
        if progress is not None:
            progress(done, len(stale), standing.name)
    return County(year, today, shown.areas, out, scorer is not None, time.perf_counter() - started)  # type: ignore[arg-type]


def county_as_kept(towns: Sequence[Any], year: int, today: dt.date, *, registry, cache: Any, ledger: Ledger) -> tuple[County, list[int]]:
    """The county as kept, read at once (tens of milliseconds: no town is computed): what
    :func:`build_county` gives its ``kept`` first, the county and the indexes of the towns still
    to be computed. The county screen draws it before its first paint."""
    shown, stale, _, _ = _as_kept(towns, year, today, registry, scorer_of(registry), cache, ledger, with_stale=True)
    return shown, stale


def _as_kept(towns: Sequence[Any], year: int, today: dt.date, registry, scorer: TownScorer | None, cache: Any, ledger: Ledger | None,
             *, with_stale: bool) -> tuple[County, list[int], list[Any], list["TownStanding | None"]]:
    """(the county as kept, the stale towns' indexes, each town's key, each kept standing or None);
    ``with_stale``: each stale town shown by its last kept standing (else left None)."""
    started = time.perf_counter()
    areas = [a.id for a in ordered_areas(registry, with_directory=False)]
    keys: list[Any] = [None] * len(towns)
    out: list[TownStanding | None] = [None] * len(towns)
    if cache is not None and ledger is not None:
        from ..county import town_keys

        keys = town_keys(cache, ledger, list(towns), "standing", year=year, today=today, scorer=scorer.id if scorer else None)
        for i, (town, key) in enumerate(zip(towns, keys)):
            if key is not None:
                out[i] = _kept(town, cache.get(key), "kept")
    stale = [i for i, standing in enumerate(out) if standing is None]
    shown = [standing if standing is not None else _last_or_empty(towns[i], cache, ledger, year) if with_stale else None
             for i, standing in enumerate(out)]
    return County(year, today, areas, shown, scorer is not None, time.perf_counter() - started), stale, keys, out  # type: ignore[arg-type]


def _clean(standing: TownStanding) -> bool:
    """Only a clean computation is kept: a town read whole, no rule failed, its scorer did not raise."""
    return standing.problem is None and standing.score_problem is None and not standing.failed


def last_key(cache: Any, town: Any, year: int) -> dict:
    """The key of a town's last kept standing of ``year``, whatever it depended on (shown, marked
    stale, while the town is computed again)."""
    return cache.key("standing-last", town, "last", "last", year=year)


def _kept(town: Any, body: Any, origin: str) -> TownStanding | None:
    if not isinstance(body, dict) or set(body) != set(KEPT):
        return None
    out = TownStanding(str(getattr(town, "name", "") or getattr(town, "unit", "") or "?"), getattr(town, "unit", None),
                       getattr(town, "kind", "resident") or "resident", origin=origin, town=town)
    try:
        areas, findings, overdue = body["areas"], body["findings"], body["overdue"]
        if not (isinstance(areas, dict) and all(isinstance(a, AreaStatus) for a in areas.values())
                and isinstance(findings, list) and all(isinstance(f, Finding) for f in findings)
                and isinstance(overdue, list) and all(isinstance(e, DueEntry) for e in overdue)
                and (body["score"] is None or isinstance(body["score"], TownScore)) and isinstance(body["records"], int)
                and isinstance(body["overdue_count"], int)):
            return None
    except Exception:
        return None
    out.areas, out.score, out.findings, out.overdue, out.records = areas, body["score"], findings, overdue, body["records"]
    out.overdue_count = body["overdue_count"]
    return out


def _last_or_empty(town: Any, cache: Any, ledger: Ledger | None, year: int) -> TownStanding:
    last = None
    if cache is not None and not getattr(cache, "disabled", False):
        try:
            last = _kept(town, cache.get(last_key(cache, town, year)), "stale")
        except Exception:
            last = None
    if last is not None:
        return last
    return TownStanding(str(getattr(town, "name", "") or getattr(town, "unit", "") or "?"), getattr(town, "unit", None),
                        getattr(town, "kind", "resident") or "resident", origin="pending", town=town)


# -- how the figures read ----------------------------------------------------------------------------

def number(value: Any, places: int = 1) -> str:
    """A score as a person reads it: 49, 48.5 (half up), — when there is none."""
    if value is None:
        return "—"
    exact = Fraction(value) if not isinstance(value, float) else Fraction(str(value))
    shown = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{shown.normalize():f}"


def score_text(town: TownStanding, lang: str, *, with_full: bool = True) -> str:
    """``49/100``, ``—`` (not scored), ``出错`` / ``failed`` (its scorer raised)."""
    if town.score_problem:
        return L("出错", "failed").render(lang)
    if town.score is None or town.score.score is None:
        return "—"
    text = number(town.score.score)
    return f"{text}/{number(town.score.full)}" if with_full and town.score.full is not None else text


def light_word(light: str, lang: str) -> str:
    return LIGHTS.get(light, L(light, light)).render(lang)


def area_cell(status: AreaStatus | None, lang: str) -> str:
    """An area's standing in a table cell, in words (a document needs no glyph): 问题 2 (rules
    with errors), 预警 1, 通过, 规则出错 1, 无规则."""
    if status is None:
        return light_word("none", lang)
    light = status.light
    n = {"red": status.errors, "yellow": status.warnings, "failed": status.failed}.get(light)
    return f"{light_word(light, lang)} {n}" if n else light_word(light, lang)


def legend(lang: str, lights: Iterable[str] = ("green", "yellow", "red", "failed", "none")) -> str:
    return "  ".join(f"{GLYPHS[k]} {light_word(k, lang)}" for k in lights)


standing_cache.keep_shapes(AreaStatus, TownScore, DueEntry, Link)  # what a kept standing holds
