"""The scorecard's bar chart as terminal text, one bar per area: ``duty score`` prints it and
the scorecard screen colours the same lines. Widths count a Chinese character as two cells."""

from __future__ import annotations

from fractions import Fraction

from duty_tui.present.display import cells, pad

from .scoring import rounded

PARTS = "▏▎▍▌▋▊▉"   # one to seven eighths of a cell
FULL, TRACK = "█", "░"


def bar(score: Fraction | float | None, width: int) -> str:
    """``width`` cells: full blocks for the score out of 100, an eighth block for the rest of it,
    then the track. No score, all track."""
    if score is None:
        return TRACK * width
    eighths = int(Fraction(score) * width * 8 / 100) if score > 0 else 0
    eighths = min(eighths, width * 8)
    full, part = divmod(eighths, 8)
    text = FULL * full + (PARTS[part - 1] if part else "")
    return text + TRACK * (width - cells(text))


def chart_lines(rows: list[tuple[str, Fraction | None, str]], width: int = 30) -> list[str]:
    """``rows``: (label, score, what follows the number). Each line: the label padded to the
    longest, the bar, the score with one decimal (— when there is none), then the rest."""
    label_width = max((cells(label) for label, _, _ in rows), default=0)
    lines = []
    for label, score, rest in rows:
        number = "—" if score is None else f"{rounded(Fraction(score)):.1f}"
        lines.append(f"{pad(label, label_width)}  {bar(score, width)} {number:>5}{'  ' + rest if rest else ''}")
    return lines

