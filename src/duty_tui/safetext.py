"""Text that is safe to keep and safe to show. No Textual, no storage, nothing above i18n.

Two sides of one rule: what may not be *stored* (:func:`text_problem`: lone surrogates, which is
what Python makes of bytes that are not UTF-8; C0 and C1 control characters other than a tab and,
in long text, a line break; the bidirectional overrides and isolates U+202A–U+202E and
U+2066–U+2069, which make ``e\u202etxt.exe`` read as ``exe.txt``), and how anything that got in
anyway (a store written by an older version, a plugin, a hand-edited file) is *shown*:
:func:`safe_text` spells each such character visibly (``\\x1b``, ``\\u202e``, ``\\udcc9``), so no
face ever sends a raw escape sequence to a terminal or a document. The TUI, the CLI and the
documents all show values through ``duty_tui.present.display.show_value``, which uses it.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from typing import Any

from .i18n import L

# C0 controls but tab and line feed, DEL, C1 controls; the bidirectional embeddings, overrides
# and isolates (the marks LRM, RLM and ALM only nudge neutral characters, are text in Arabic or
# Uyghur names, and stay); the line and paragraph separators (a terminal or a widget may break a
# line there); lone surrogates (undecodable bytes).
_SHOWN_ESCAPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SHOWN_ESCAPED_ONE_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CONTROL_ONE_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")  # and the line and paragraph separators
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

BIDI_NAMES = {
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
}


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(value: object, *, one_line: bool = False) -> str:
    """``value`` as text with every character that could steer a terminal or reorder what a
    reader sees spelled visibly: ESC as ``\\x1b``, a C1 control as ``\\x9b``, RLO as ``\\u202e``,
    a lone surrogate (undecodable bytes) as ``\\udcc9``. Tabs and line breaks stay (``one_line``:
    a line break shows as ``\\n`` too). Text without such characters comes back unchanged."""
    text = value if isinstance(value, str) else str(value)
    pattern = _SHOWN_ESCAPED_ONE_LINE if one_line else _SHOWN_ESCAPED
    if pattern.search(text) is None:  # the common case: nothing to do, nothing copied
        return text
    return pattern.sub(lambda m: _escape(m.group()), text)


def text_problem(value: str, *, multiline: bool = False) -> L | None:
    """Why ``value`` may not be stored as text (None when it may): bytes that were not UTF-8,
    a bidirectional override or isolate, a control character (a tab is fine; a line break only
    in long text). The reason names the character by its code point."""
    m = _SURROGATE.search(value)
    if m:
        return L("包含无法识别的字节 {code}(不是 UTF-8 编码的文字,请把终端设置为 UTF-8)",
                 "holds the byte {code}, which is not UTF-8 text (set the terminal to UTF-8)").format(
            code=f"0x{ord(m.group()) - 0xDC00:02X}" if ord(m.group()) >= 0xDC80 else f"U+{ord(m.group()):04X}")
    m = _BIDI.search(value)
    if m:
        return L("包含双向文字控制符 {code}({name}),它会让文字显示的顺序与实际不同",
                 "holds the bidirectional control {code} ({name}), which makes text read in another order than it is").format(
            code=f"U+{ord(m.group()):04X}", name=BIDI_NAMES[m.group()])
    m = (_CONTROL_MULTILINE if multiline else _CONTROL_ONE_LINE).search(value)
    if m:
        return L("包含控制字符 {code}", "contains the control character {code}").format(code=f"U+{ord(m.group()):04X}")
    return None


def has_surrogates(value: str) -> bool:
    return _SURROGATE.search(value) is not None


def escape_strings(value: Any) -> Any:
    """``value`` with every string in it passed through :func:`safe_text`: strings, lists,
    tuples, dicts and dataclasses (a report's Document with its sections and tables), rebuilt;
    anything else as it is. For a writer of documents (md, docx) as the last step before the
    file: what the store holds never reaches Word's XML or a Markdown file raw, and a lone
    surrogate an older version stored no longer stops the writer with UnicodeEncodeError."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, (list, tuple)):
        items = [escape_strings(v) for v in value]
        return items if isinstance(value, list) else type(value)(items) if type(value) is tuple else type(value)(*items)
    if isinstance(value, dict):
        return {escape_strings(k): escape_strings(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: escape_strings(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


# -- JSON that every encoder can write ----------------------------------------------------------
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_safe(text: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` writes it) with C1 controls,
    bidirectional controls and lone surrogates written as ``\\uXXXX`` escapes: the same JSON
    value, but printable on a terminal and encodable as UTF-8 (json already escapes C0)."""
    if _JSON_UNSAFE.search(text) is None:
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


JSON_ESCAPE_ERRORS = "duty-json-escape"


def _json_escape_errors(exc: UnicodeError):
    """A codec error handler for JSON files: a character the encoding cannot take (in UTF-8 only
    a lone surrogate, which only sits inside a JSON string) is written as its ``\\uXXXX`` escape,
    which reads back as the same string. ``open(path, "w", encoding="utf-8", errors=JSON_ESCAPE_ERRORS)``."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return "".join(f"\\u{ord(ch):04x}" for ch in bad), exc.end


codecs.register_error(JSON_ESCAPE_ERRORS, _json_escape_errors)
