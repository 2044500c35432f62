"""Pasting into the form's editors: nothing is cut silently, no control character gets in.

A one-line field given several lines joins them with spaces; text longer than the field's room
is cut to fit; text the field does not accept (letters in a date) is refused; each time the
operator is told. Control characters (other than a tab, which becomes a space, and in long text
the line breaks) are removed with a warning. The ledger refuses control characters and line
breaks in one-line fields in any case (schema.py), and the form shows that beside the field.
"""

from __future__ import annotations

import re

from ..i18n import L

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
JOINED = L("粘贴的 {n} 行已合并为一行（此栏只收一行）。", "The {n} pasted lines were joined into one: this field takes one line.")
CONTROLS = L("粘贴内容中的控制字符已删除。", "Control characters in the pasted text were removed.")
CUT = L("此栏最多 {max} 个字符：粘贴内容已截断 {n} 个字符。", "This field takes at most {max} characters: {n} pasted characters were cut.")
REFUSED = L("此栏不接受粘贴的内容。", "This field does not accept the pasted text.")


def clean(text: str, *, multiline: bool) -> tuple[str, list[L]]:
    """The pasted text as the field may take it, and what to tell the operator."""
    notes: list[L] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    stripped = CONTROL.sub("", text)
    if stripped != text:
        notes.append(CONTROLS)
    if not multiline:
        lines = [line.strip() for line in stripped.split("\n")]
        lines = [line for line in lines if line]
        if len(lines) > 1:
            notes.append(JOINED.format(n=len(lines)))
        stripped = " ".join(lines)
    return stripped, notes


def paste_one_line(editor, text: str) -> None:
    """Paste ``text`` into an Input (the form's TextEditor) at its cursor or selection."""
    value, notes = clean(text, multiline=False)
    start, end = sorted(editor.selection) if not editor.selection.is_empty else (editor.cursor_position,) * 2
    if editor.max_length:
        room = editor.max_length - (len(editor.value) - (end - start))
        if len(value) > room:
            notes.append(CUT.format(max=editor.max_length, n=len(value) - max(room, 0)))
            value = value[:max(room, 0)]
    if value:
        before = editor.value
        editor.replace(value, start, end)
        if editor.value == before:
            notes.append(REFUSED)
    tell(editor, notes)


def clean_long_text(editor, text: str) -> str:
    value, notes = clean(text, multiline=True)
    tell(editor, notes)
    return value


def tell(editor, notes: list[L]) -> None:
    if notes:
        app = editor.app
        app.notify("\n".join(n.render(app.lang) for n in notes), severity="warning", timeout=8)
