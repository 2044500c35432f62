"""One record: its fields, state, when it was entered beside the date it describes, evidence,
what refers to it, and its audit history as readable changes."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ...ledger import Record
from ...schema import BOOL, LONG_TEXT
from ..actions import bindings
from ...present.display import fit, safe_text, show_value
from ...present.history import describe
from ..widgets.header import HeaderBar
from ..widgets.keybar import KeyBar
from . import record_actions
from .styled_once import StyledOnce

HISTORY_SHOWN = 50
CHILDREN_SHOWN = 20  # a detail_children type's records shown inline; beyond, how many more


def wrap_cells(text: str, width: int) -> list[str]:
    """``text``'s lines cut to ``width`` terminal cells each (Chinese takes two), at a space
    where the line has one; no wrapping when the width is not known yet."""
    out: list[str] = []
    for line in text.split("\n"):
        while width >= 10 and cell_len(line) > width:
            cut, used = 0, 0
            for i, ch in enumerate(line):
                used += cell_len(ch)
                if used > width:
                    break
                cut = i + 1
            space = line.rfind(" ", 0, cut)
            if space > cut // 2:
                cut = space + 1
            out.append(line[:cut].rstrip())
            line = line[cut:]
        out.append(line)
    return out


class RecordDetailScreen(StyledOnce, Screen[Record | None]):
    CSS_PATH = "../styles/detail.tcss"
    BINDINGS = bindings("detail.edit", "detail.workflow", "detail.delete", "detail.refresh", "detail.back")
    # the body has the focus from the start (see styled_once.py), not after a first restyle
    AUTO_FOCUS = "#detail-body"

    def __init__(self, record_id: str) -> None:
        super().__init__()
        self.record_id = record_id
        self.record: Record | None = None
        self.shown_width = -1  # the width the fields were wrapped for

    def compose(self) -> ComposeResult:
        yield HeaderBar(classes="header")
        with VerticalScroll(id="detail-body", can_focus=True):
            yield Static(id="detail-title")
            yield Static(id="detail-fields")
            yield Static(id="detail-history")
        yield KeyBar()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", lambda *_: self.show(), init=False)
        self.load()
        self.query_one("#detail-body").focus()

    def on_resize(self) -> None:
        if self.width() != self.shown_width:  # the first Resize is at the width shown on mount
            self.show()

    def width(self) -> int:
        """The screen's width: before its first layout, the terminal's (a screen fills it)."""
        return self.size.width or self.app.size.width

    def load(self) -> None:
        self.record = self.app.session.ledger.find(self.record_id)
        self.show()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.record is None and action in ("edit_record", "workflow", "delete_record"):
            return None
        ledger = self.app.session.ledger
        if action == "edit_record":
            return ledger.can("update")
        if action == "delete_record":
            return ledger.can("delete")
        if action == "workflow":
            rt = self.app.session.registry.types.get(self.record.type) if self.record else None
            return bool(rt and rt.workflow) or None
        return True

    # -- drawing -------------------------------------------------------------------------------
    def _evidence(self, record_id: str) -> str:
        """The files attached to the record (duty attach), one per line with size and hash."""
        files = self.app.session.ledger.files(record_id)
        return "\n".join(f"{safe_text(b.name, one_line=True)}  {b.size:,} B  {safe_text(b.media_type, one_line=True)}  "
                         f"sha256 {b.sha256[:12]}…  {safe_text(b.added_by, one_line=True)}" for b in files)

    def show(self) -> None:
        s = self.app.session
        self.shown_width = self.width()
        title = self.query_one("#detail-title", Static)
        fields = self.query_one("#detail-fields", Static)
        history = self.query_one("#detail-history", Static)
        record = self.record
        if record is None:
            title.update(Content.styled(s.t("detail.gone", id=self.record_id), "bold $error"))
            fields.update("")
            history.update(self._history())
            return
        rt = s.registry.types[record.type]
        title.update(Content.assemble((s.type_label(rt), "bold"), " ", (record.id, "bold $accent"), "  ", s.title(record)))
        ids = [v for f in rt.references() for v in (record.data.get(f.name) if isinstance(record.data.get(f.name), list)
                                                      else [record.data.get(f.name)]) if v]
        titles = s.titles(ids) if ids else {}
        rows: list[tuple[str, str]] = []
        if rt.workflow is not None:
            rows.append((s.t("detail.state"), s.state_label(rt, record.state)))
        for f in rt.fields:
            rows.append((s.r(f.label) + (" *" if f.required else ""), show_value(f, record.data.get(f.name), s.lang, titles, with_ids=True)))
        rows.append((s.t("detail.version"), str(record.version)))
        rows.append((s.t("detail.entered"), s.t("detail.by", at=s.when(record.created_at), by=safe_text(record.created_by, one_line=True))))
        rows.append((s.t("detail.changed"), s.t("detail.by", at=s.when(record.updated_at), by=safe_text(record.updated_by, one_line=True))))
        rows.append((s.t("detail.evidence"), self._evidence(record.id) or s.t("detail.evidence.none")))
        children = self._children(rt, record)
        inline = {(name, back) for name, back, _, _ in children}
        referrers = [(rid, fname) for rid, fname in s.ledger.referrers(record.id, limit=10 + len(inline) * CHILDREN_SHOWN)
                     if (rid.rpartition("-")[0], fname) not in inline][:10]
        if referrers:
            rows.append((s.t("detail.referrers"), ", ".join(f"{rid} ({fname})" for rid, fname in referrers)))
        for name, _, shown, more in children:
            child = s.registry.types[name]
            text = "\n".join(shown) if shown else s.t("detail.children.none")
            if more:
                text += "\n" + s.t("detail.children.more", n=more)
            rows.append((f"{s.type_label(child)} ({len(shown) + more})", text))
        rows += self._plugin_lines(rt, record)
        width = max(cell_len(k) for k, _ in rows) + 2
        lines = []
        room = self.shown_width - width - 3  # the value column: the screen less the labels, the scroll bar, a margin
        for key, value in rows:  # a value of several lines, or wrapped, keeps to its column
            value = ("\n" + " " * width).join(wrap_cells(value or "—", room))
            lines.append(Content.assemble((fit(key, width), "$text-muted"), value))
        fields.update(Content("\n").join(lines))
        history.update(self._history())

    def _plugin_lines(self, rt, record: Record) -> list[tuple[str, str]]:
        """The rows the type's ``detail_lines`` adds; one that fails shows its error, not a crash."""
        if rt.detail_lines is None:
            return []
        s = self.app.session
        try:
            return [(s.r(label), s.r(text)) for label, text in rt.detail_lines(s.ledger, record) or ()]
        except Exception as exc:  # a plugin's code must not take the detail down
            return [(rt.plugin or rt.name, f"{type(exc).__name__}: {exc}")]

    def _children(self, rt, record: Record) -> list[tuple[str, str, list[str], int]]:
        """The records of the type's ``detail_children`` that refer to this one: for each child
        type and its field that refers here, one line per record (its filled-in fields but that
        reference and long texts, e.g. “余永福 · 直接责任 · 组织了该活动  case_party-5”) and how many
        more there are than shown."""
        s = self.app.session
        room = max(20, self.width() - 24)  # about what the value column leaves (the widest label is ~20 cells)
        out = []
        for name in rt.detail_children:
            child = s.registry.types.get(name)
            if child is None:
                continue
            for back in (f for f in child.references() if f.target == rt.name):
                where = {back.name: record.id}
                records = s.ledger.query(name, where=where, limit=CHILDREN_SHOWN)
                more = s.ledger.count(name, where=where) - len(records) if len(records) == CHILDREN_SHOWN else 0
                shown_fields = [f for f in child.fields if f is not back and f.kind != LONG_TEXT]
                ids = [v for r in records for f in child.references() if f is not back
                       for v in (r.data.get(f.name) if isinstance(r.data.get(f.name), list) else [r.data.get(f.name)]) if v]
                titles = s.titles(ids) if ids else {}
                lines = []
                for r in records:
                    parts = []
                    for f in shown_fields:
                        value = r.data.get(f.name)
                        if f.kind == BOOL:  # a yes shows as its label (免责), a no not at all
                            if value:
                                parts.append(s.r(f.label))
                        elif value not in (None, "", []):
                            parts.append(show_value(f, value, s.lang, titles))
                    line = " · ".join(parts)
                    lines.append(line if cell_len(line) + len(r.id) + 2 > room else f"{line}  {r.id}")  # the id where it fits
                out.append((name, back.name, lines, more))
        return out

    def _history(self) -> Content:
        s = self.app.session
        entries = s.ledger.history(self.record_id)
        lines = [Content.styled(s.t("detail.history"), "bold")]
        if not entries:
            lines.append(Content(s.t("detail.history.none")))
        for entry in reversed(entries[-HISTORY_SHOWN:]):
            change = describe(s, entry)
            lines.append(Content.assemble((change.when, "$text-muted"), "  ", (change.actor, "bold"), "  ", change.action))
            lines += [Content("    " + line) for line in change.lines]
        return Content("\n").join(lines)

    # -- actions -------------------------------------------------------------------------------
    def _after(self, record: Record | None) -> None:
        if record is None and self.app.session.ledger.find(self.record_id) is None:
            self.dismiss(None)
            return
        self.load()

    def action_edit_record(self) -> None:
        if self.record is not None:
            record_actions.edit_record(self.app, self.record, self._after)

    def action_delete_record(self) -> None:
        if self.record is not None:
            record_actions.delete_record(self.app, self.record, self._after)

    def action_workflow(self) -> None:
        if self.record is not None:
            record_actions.workflow(self.app, self.record, self._after)

    def action_refresh_view(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(self.record)
