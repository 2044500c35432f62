"""The list of one record type: a windowed table whose paging, filtering and sorting run in the
store; ``/`` filters, ``s`` sorts by the highlighted column, ``n`` ``Enter`` ``e`` ``Delete``
``t`` act on records."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from ...errors import ValidationError
from ...ledger import Record
from ...schema import RecordType, count_text
from ..actions import bindings
from ...present.filtering import ParsedFilter, parse_filter
from ..widgets.record_table import RecordTable
from . import record_actions


def focus_now(widget) -> None:
    """Move the focus before the next key is handled: Widget.focus() defers it, and a fast
    typist's next keys (``/`` then the filter text, Enter then ``e``) would go to the old one."""
    widget.screen.set_focus(widget)


class FilterInput(Input):
    """Enter or Escape (or ↓) goes back to the table; the filter stays."""

    BINDINGS = bindings("list.filter_done")

    def action_done(self) -> None:
        view = self.parent
        view.apply_filter()  # what was typed counts before the next key acts on a row
        focus_now(view.query_one(RecordTable))

    async def action_submit(self) -> None:
        self.action_done()


class RecordListView(Vertical):
    BINDINGS = bindings("list.filter", "list.new", "list.open", "list.edit", "list.delete", "list.workflow",
                        "list.sort", "list.year", "list.refresh")

    def __init__(self, record_type: RecordType, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="record-list")
        self.rt = record_type
        self.year_scoped = record_type.year_field is not None
        self.parsed = ParsedFilter()
        self.applied_text = ""  # the box starts empty: that filter is already applied
        self.problems: list[str] = []
        self.sort: tuple[tuple[str, bool], ...] = ()
        self._problems_shown = ""
        self._had_rows: bool | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="list-status")
        box = FilterInput(placeholder=self.app.session.t("list.filter.placeholder"), compact=True, classes="list-filter")
        box.cursor_blink = False
        box.display = False
        yield box
        problems = Static(classes="list-problems")
        problems.display = False
        yield problems
        yield RecordTable(self.rt)

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    @property
    def filter_input(self) -> FilterInput:
        return self.query_one(FilterInput)

    def on_mount(self) -> None:
        self.watch(self.app, "lang", lambda *_: self.relabel(), init=False)
        self.watch(self.app, "year", lambda *_: self.requery(), init=False)
        self.requery()

    def focus(self, scroll_visible: bool = True):
        self.table.focus(scroll_visible)
        return self

    # -- query ----------------------------------------------------------------------------------
    def effective_year(self) -> int | None:
        if self.parsed.year is not None and self.rt.year_field:
            return self.parsed.year
        return self.app.session.year if self.year_scoped else None

    def requery(self, wait: bool = True) -> None:
        """Count and show the first window for the current filter, sort and year; a term the
        ledger refuses is shown under the filter and left out. ``wait=False`` (typing, sorting)
        reads off the UI thread and shows the rows when they arrive."""
        s = self.app.session
        parsed = self.parsed
        problems = [s.r(p) for p in parsed.problems]
        filters = parsed.filters
        table = self.table
        table.empty_text = s.t("list.empty_filtered") if not parsed.empty else s.t("list.empty")
        for _ in range(len(filters) + 1):
            try:
                table.set_query(text=parsed.text or None, filters=filters, sort=self.sort, year=self.effective_year(), wait=wait)
                break
            except ValidationError as exc:
                bad = {e.field for e in exc.errors}
                problems += [f"{self._field_label(e.field)}: {s.r(e.reason)}" for e in exc.errors]
                kept = tuple(f for f in filters if f.field not in bad)
                if kept == filters:
                    filters = ()
                    continue
                filters = kept
        changed = problems != self.problems
        self.problems = problems
        if wait or changed:
            self._show_status()
        # else: the status changes with the rows, in the same frame (one repaint per keystroke)

    @on(RecordTable.Updated)
    def _table_updated(self, event: RecordTable.Updated) -> None:
        event.stop()
        if event.error is not None:
            s = self.app.session
            message = event.error.render(s.lang) if hasattr(event.error, "render") else f"{type(event.error).__name__}: {event.error}"
            self.problems = [*self.problems, message]
        self._show_status()

    def _field_label(self, name: str) -> str:
        return self.app.session.r(self.rt.field(name).label) if self.rt.has_field(name) else name

    def _show_status(self) -> None:
        s = self.app.session
        table = self.table
        year = self.effective_year()
        n = "…" if table.pending else f"{table.total:,}"
        count = s.r(count_text(self.rt, n))
        count = s.t("list.count_year", count=count, year=year) if year else count
        parts: list = [(s.type_label(self.rt), "bold"), "  ", count]
        if self.rt.year_field and not year:
            parts += ["  ", (s.t("list.all_years"), "$text-muted")]
        if self.sort:
            name, desc = self.sort[0]
            label = s.t("list.col.id") if name == "id" else s.t("list.col.state") if name == "state" else self._field_label(name)
            parts += ["  ", (s.t("list.sorted", field=label, dir=s.t("list.desc" if desc else "list.asc")), "$text-muted")]
        if self.filter_input.value and not self.filter_input.has_focus:
            parts += ["  ", (f"/ {self.filter_input.value}", "$accent")]
        self.query_one(".list-status", Static).update(Content.assemble(*parts), layout=False)  # one line, always
        problems = self.query_one(".list-problems", Static)
        text = "\n".join(self.problems)
        if text != self._problems_shown:  # its height may change: only then a layout
            self._problems_shown = text
            problems.update(text)
            problems.display = bool(self.problems)
        if bool(table.total) != self._had_rows:  # Open, Edit, Delete apply only to a row
            self._had_rows = bool(table.total)
            self.refresh_bindings()

    def relabel(self) -> None:
        self.filter_input.placeholder = self.app.session.t("list.filter.placeholder")
        self.table.relabel()
        self.parsed = parse_filter(self.rt, self.filter_input.value)
        self._show_status()

    def reload(self) -> None:
        self.app.session.forget_titles()
        self.table.reload()
        self._show_status()

    # -- filtering --------------------------------------------------------------------------------
    def action_filter(self) -> None:
        box = self.filter_input
        box.display = True
        focus_now(box)

    @on(Input.Changed, ".list-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        # Keystrokes that arrive together are applied once: each apply reads the input's value
        # as it is by then, and skips when nothing changed since the last.
        self.call_later(self.apply_filter)

    def apply_filter(self) -> None:
        text = self.filter_input.value
        if text == self.applied_text:
            return
        self.applied_text = text
        self.parsed = parse_filter(self.rt, text)
        self.requery(wait=False)

    def on_descendant_blur(self) -> None:
        box = self.filter_input
        if not box.value and not box.has_focus:
            box.display = False
        self.call_after_refresh(self._show_status)

    # -- sorting and year ---------------------------------------------------------------------------
    def action_sort(self) -> None:
        self.sort_by(self.table.cursor_col)

    @on(RecordTable.HeaderClicked)
    def _header_clicked(self, event: RecordTable.HeaderClicked) -> None:
        event.stop()
        self.sort_by(event.column)

    def sort_by(self, column: int) -> None:
        """Ascending, then descending, then the store's order (creation)."""
        key = self.table.sort_key_at(column)
        current = self.sort[0] if self.sort else None
        if current is None or current[0] != key:
            self.sort = ((key, False),)
        elif not current[1]:
            self.sort = ((key, True),)
        else:
            self.sort = ()
        self.requery(wait=False)

    def action_toggle_year(self) -> None:
        if not self.rt.year_field:
            return
        self.year_scoped = not self.year_scoped
        s = self.app.session
        self.app.notify(s.t("list.year_scope", year=s.year) if self.year_scoped else s.t("list.year_all"), timeout=3)
        self.requery()

    def action_refresh_view(self) -> None:
        self.reload()

    # -- records ------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted or not self.query(RecordTable):
            return True
        ledger = self.app.session.ledger
        if action == "new_record":
            return ledger.can("create")
        if action in ("edit_record",):
            return ledger.can("update") if self.table.total else None
        if action == "delete_record":
            return ledger.can("delete") if self.table.total else None
        if action == "workflow":
            return bool(self.rt.workflow) and self.table.total > 0
        if action == "open_record":
            return self.table.total > 0 or None
        if action == "toggle_year":
            return bool(self.rt.year_field)
        return True

    def _current(self) -> Record | None:
        self.apply_filter()
        # Act on what the filter selects, not on the rows still shown, and on the row the
        # cursor was moved to (a fresh query would put it back on the first row).
        self.table.settle()
        self._show_status()
        record = self.table.current
        if record is None:
            self.app.notify(self.app.session.t("list.no_selection"), severity="warning", timeout=3)
        return record

    def _after(self, record: Record | None) -> None:
        self.reload()

    def action_new_record(self) -> None:
        record_actions.new_record(self.app, self.rt, self._after_new)

    def _after_new(self, record: Record | None) -> None:
        """The list again, its cursor on the record just made (where the next step, `t`, is
        taken), when this list shows it."""
        self.reload()
        if record is not None:
            row = self.table.row_of(record.id)
            if row is not None:
                self.table.move_to(row)

    def action_open_record(self) -> None:
        record = self._current()
        if record is not None:
            self.app.open_record(record.id, on_close=lambda _: self.reload())

    @on(RecordTable.RowChosen)
    def _row_chosen(self, event: RecordTable.RowChosen) -> None:
        event.stop()
        self.app.open_record(event.record.id, on_close=lambda _: self.reload())

    def action_edit_record(self) -> None:
        record = self._current()
        if record is not None:
            record_actions.edit_record(self.app, record, self._after)

    def action_delete_record(self) -> None:
        record = self._current()
        if record is not None:
            record_actions.delete_record(self.app, record, self._after)

    def action_workflow(self) -> None:
        record = self._current()
        if record is not None:
            record_actions.workflow(self.app, record, self._after)

    def set_filter(self, text: str) -> None:
        box = self.filter_input
        box.display = bool(text) or box.display
        with box.prevent(Input.Changed):
            box.value = text
        self.apply_filter()
