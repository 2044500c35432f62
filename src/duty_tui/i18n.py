"""Text a person reads, in Chinese and English.

Every message is an :class:`L`: both languages side by side, formatted lazily, rendered by the
face (CLI, TUI, report) in the operator's language. Nothing below the faces picks a language.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

LANGS = ("zh", "en")


@dataclass(frozen=True)
class L:
    """A text in both languages. ``L("名称", "Name")``; ``.format(...)`` keeps both."""

    zh: str
    en: str
    args: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    def format(self, **kwargs: Any) -> "L":
        return L(self.zh, self.en, tuple(kwargs.items()))

    def render(self, lang: str) -> str:
        template = self.zh if lang == "zh" else self.en
        if not self.args:
            return template
        return template.format(**{k: render(v, lang) for k, v in self.args})

    def __str__(self) -> str:  # for logs and tracebacks: English
        return self.render("en")


def render(value: Any, lang: str) -> str:
    """Render an :class:`L`, a list of them, or any other value, in ``lang``."""
    if isinstance(value, L):
        return value.render(lang)
    if isinstance(value, (list, tuple)):
        sep = "、" if lang == "zh" else ", "
        return sep.join(render(v, lang) for v in value)
    return str(value)


def as_text(value: "L | str") -> L:
    """Plugins may give a plain string; it then reads the same in both languages."""
    return value if isinstance(value, L) else L(str(value), str(value))


def resolve_lang(explicit: str | None = None, environ: dict[str, str] | None = None) -> str:
    """``--lang``, else ``DUTY_LANG``, else the locale (zh_* is Chinese), else English."""
    env = os.environ if environ is None else environ
    for candidate in (explicit, env.get("DUTY_LANG")):
        if candidate:
            code = candidate.lower()[:2]
            if code not in LANGS:
                raise ValueError(f"language must be one of {', '.join(LANGS)}, not {candidate!r}")
            return code
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
