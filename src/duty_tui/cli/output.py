"""How the CLI lays records out for a person: the presentation layer's value display and cell
widths (a Chinese character takes two), in plain aligned tables."""

from __future__ import annotations

from typing import Iterable, Sequence

from ..present.display import cells, clip, pad, safe_text


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], max_col: int = 40) -> str:
    """Aligned columns; every cell one line, control characters shown escaped (safe_text): a
    user name, an actor or a change that holds ESC never reaches the terminal raw."""
    rows = [[clip(safe_text(str(c), one_line=True), max_col) for c in row] for row in rows]
    widths = [cells(h) for h in headers]
    for row in rows:
        widths = [max(w, cells(c)) for w, c in zip(widths, row)]
    lines = ["  ".join(pad(h, w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)
