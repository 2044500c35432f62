"""A table over a ledger query that holds only the rows around the view.

Textual's DataTable keeps every row it is given (100k rows take seconds to add and each filter
keystroke would replace them all), so this widget asks the ledger for the count and for a window
of rows (offset/limit) as the cursor and the scroll position move. Paging, filtering and sorting
run in the store; a million records cost the same as a hundred. The header line stays put; the
scroll bar reflects the position in the whole result.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...ledger import Record
from ..actions import bindings
from ...schema import RecordType
from ...present.display import Column, columns_for, fit, layout, show_value

GAP = 1


class RecordTable(ScrollView, can_focus=True):
    """Rows of one record type; ``set_query`` says which (text, filters, sort, year)."""

    COMPONENT_CLASSES = {"record-table--header", "record-table--header-cursor", "record-table--cursor",
                         "record-table--empty"}

    BINDINGS = bindings("table.up", "table.down", "table.page_up", "table.page_down", "table.first", "table.last",
                        "table.left", "table.right")

    cursor_row: reactive[int] = reactive(0, init=False)
    cursor_col: reactive[int] = reactive(1, init=False)

    class HeaderClicked(Message):
        def __init__(self, table: "RecordTable", column: int) -> None:
            super().__init__()
            self.table, self.column = table, column

    class Updated(Message):
        """Rows or the count arrived from the store (or reading them failed: ``error``)."""

        def __init__(self, table: "RecordTable", error: Exception | None = None) -> None:
            super().__init__()
            self.table, self.error = table, error

    class RowChosen(Message):
        """A row was clicked twice (the keyboard uses Enter, bound by the list)."""

        def __init__(self, table: "RecordTable", record: Record) -> None:
            super().__init__()
            self.table, self.record = table, record

    def __init__(self, record_type: RecordType, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rt = record_type
        self.columns: list[Column] = columns_for(record_type)
        self.text: str | None = None
        self.filters: tuple = ()
        self.sort: tuple[tuple[str, bool], ...] = ()
        self.year: int | None = None
        self.total = 0
        self.empty_text = ""
        self.fetches = 0  # how many windows were read from the ledger (tests and benchmarks look)
        self.pending = False
        self._start = 0
        self._rows: list[Record] = []
        self._cells: list[list[str]] = []
        self._widths: list[int] = []

    # -- the query -------------------------------------------------------------------------
    @property
    def session(self):
        return self.app.session

    def set_query(self, *, text: str | None, filters: tuple, sort: tuple[tuple[str, bool], ...], year: int | None,
                  wait: bool = True) -> None:
        """Show the records matching these, from the top. The terms are checked at once (the
        ledger raises ValidationError for a bad one, and then nothing changes). With
        ``wait=False`` the rows and the count are read off the UI thread and shown when they
        arrive; until then the rows on screen stay and ``pending`` is true."""
        ledger = self.session.ledger
        ledger.build_query(self.rt.name, text=text, filters=filters, sort=sort, year=year)
        self.text, self.filters, self.sort, self.year = text, filters, sort, year
        if wait:
            self.app.background.cancel(self._job_key)
            self.pending = False
            self.total = ledger.count(self.rt.name, text=text, filters=filters, year=year)
            self._forget_window()
            self._show_from_top()
            return
        self.pending = True
        # A new query starts at its top now, not when its rows arrive: a move made while they
        # are on their way (↓ after typing a filter) is kept, and is the row acted on.
        self.set_reactive(RecordTable.cursor_row, 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        limit = self._window_limit(0, self.body_height)
        name, references = self.rt.name, list(self.rt.references())

        def job(bg_ledger, send) -> None:
            rows = bg_ledger.query(name, text=text, filters=filters, sort=sort, year=year, offset=0, limit=limit)
            ids = [v for r in rows for f in references
                   for v in (r.data.get(f.name) if isinstance(r.data.get(f.name), list) else [r.data.get(f.name)]) if v]
            send(("rows", rows, bg_ledger.titles(ids), limit))
            send(("total", bg_ledger.count(name, text=text, filters=filters, year=year)))

        self.app.background.submit(self._job_key, job, self._arrived, self._failed)

    @property
    def _job_key(self) -> str:
        return f"table-{id(self)}"

    def _arrived(self, result) -> None:
        if result[0] == "rows":
            _, rows, titles, limit = result
            self.session.remember_titles(titles)
            self._rows, self._start = rows, 0
            self._cells = self._render_cells(rows)
            self.fetches += 1
            # Until the count arrives, the rows read so far (and one more line when the window
            # was full) are what the scroll bar knows.
            self.total = len(rows) + (1 if len(rows) == limit else 0)
            self._keep_cursor()
        else:
            self.total = result[1]
            self.pending = False
            self._keep_cursor()
        self.post_message(self.Updated(self))

    def _failed(self, exc: Exception) -> None:
        self.pending = False
        self.post_message(self.Updated(self, exc))

    def _show_from_top(self) -> None:
        self.set_reactive(RecordTable.cursor_row, 0)
        self._set_virtual()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def _keep_cursor(self) -> None:
        """The cursor stays on the row index it is on (clamped to the rows there are)."""
        self.set_reactive(RecordTable.cursor_row, max(0, min(self.cursor_row, self.total - 1)))
        self._set_virtual()
        self._scroll_cursor_into_view()
        self.refresh()

    def reload(self) -> None:
        """Count again and re-read the window, keeping the cursor where it was (clamped)."""
        self.app.background.cancel(self._job_key)
        self.pending = False
        self.total = self.session.ledger.count(self.rt.name, text=self.text, filters=self.filters, year=self.year)
        self._forget_window()
        self._keep_cursor()

    def settle(self) -> None:
        """Rows still on their way are read now (an action must act on what the query selects),
        the cursor staying on the row it was moved to since the query began."""
        if self.pending:
            self.reload()

    def _forget_window(self) -> None:
        self._start, self._rows, self._cells = 0, [], []

    def _set_virtual(self) -> None:
        size = Size(self.size.width, self.total + 1)
        if size == self.virtual_size:
            return
        # The scroll bar is always there (overflow-y: scroll), so a new count changes no
        # widget's size: the table and its scroll bar repaint without a layout of the screen.
        self.set_reactive(ScrollView.virtual_size, size)
        self._refresh_scrollbars()
        self.refresh()

    @property
    def current(self) -> Record | None:
        if not self.total:
            return None
        self._ensure(self.cursor_row, self.cursor_row + 1)
        i = self.cursor_row - self._start
        return self._rows[i] if 0 <= i < len(self._rows) else None

    @property
    def visible_records(self) -> list[Record]:
        """The records in view now (what a person sees)."""
        first = int(self.scroll_y)
        last = min(self.total, first + self.body_height)
        self._ensure(first, last)
        return self._rows[first - self._start:last - self._start]

    @property
    def held_rows(self) -> int:
        return len(self._rows)

    # -- the window -------------------------------------------------------------------------
    @property
    def body_height(self) -> int:
        return max(1, self.size.height - 1)

    def _ensure(self, first: int, last: int) -> None:
        """Make rows [first, last) present, fetching a window around them when they are not."""
        last = min(last, self.total)
        if first >= last:
            return
        if self._rows and self._start <= first and last <= self._start + len(self._rows):
            return
        start = max(0, first - self._margin())
        limit = self._window_limit(first, last)
        self._rows = self.session.ledger.query(self.rt.name, text=self.text, filters=self.filters, sort=self.sort,
                                               year=self.year, offset=start, limit=limit)
        self._start = start
        self.fetches += 1
        self._cells = self._render_cells(self._rows)

    def _margin(self) -> int:
        return max(4, self.body_height // 2)

    def _window_limit(self, first: int, last: int) -> int:
        """A window: the rows asked for and half a screen either side."""
        return (last - first) + 2 * self._margin()

    def _render_cells(self, rows: list[Record]) -> list[list[str]]:
        widest = max((len(r.id) for r in rows), default=0)
        if widest > self.columns[0].preferred:  # ids with more digits than seen so far: widen, never shrink
            self.columns, self._widths = columns_for(self.rt, widest), []
        session = self.session
        ids = [v for r in rows for f in self.rt.references()
               for v in (r.data.get(f.name) if isinstance(r.data.get(f.name), list) else [r.data.get(f.name)]) if v]
        titles = session.titles(ids) if ids else {}
        out = []
        for r in rows:
            cells = []
            for c in self.columns:
                if c.key == "id":
                    cells.append(r.id)
                elif c.key == "state":
                    cells.append(session.state_label(self.rt, r.state))
                else:
                    cells.append(show_value(c.field, r.data.get(c.key), session.lang, titles))
            out.append(cells)
        return out

    def relabel(self) -> None:
        """The language changed: render the held rows again, and the header."""
        self._cells = self._render_cells(self._rows)
        self.refresh()

    # -- drawing ------------------------------------------------------------------------------
    def headers(self) -> list[str]:
        session = self.session
        out = []
        for c in self.columns:
            if c.key == "id":
                text = session.t("list.col.id")
            elif c.key == "state":
                text = session.t("list.col.state")
            else:
                text = session.r(c.field.label)
            for name, desc in self.sort[:1]:
                if name == c.key:
                    text += "▼" if desc else "▲"
            out.append(text)
        return out

    def on_resize(self, event: events.Resize) -> None:
        self._widths = []
        self._set_virtual()
        self._scroll_cursor_into_view()

    def _column_widths(self) -> list[int]:
        if not self._widths or sum(self._widths) + GAP * (len(self._widths) - 1) > self.scrollable_content_region.width:
            self._widths = layout(self.columns, self.scrollable_content_region.width, self.headers(), GAP)
        return self._widths

    def _line(self, cells: list[str], style: Style, cursor_style: Style | None = None, cursor_col: int | None = None) -> Strip:
        widths = self._column_widths()
        segments: list[Segment] = []
        for i, (text, width, column) in enumerate(zip(cells, widths, self.columns)):
            if i:
                segments.append(Segment(" " * GAP, style))
            cell_style = cursor_style if (cursor_col == i and cursor_style is not None) else style
            segments.append(Segment(fit(text, width, column.align, column.keep), cell_style))
        return Strip(segments).adjust_cell_length(self.scrollable_content_region.width, style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("record-table--header")
            header_cursor = self.get_component_rich_style("record-table--header-cursor") if self.has_focus else None
            return self._line(self.headers(), header, header_cursor, self.cursor_col)
        row = int(self.scroll_y) + y - 1
        if row >= self.total:
            if self.total == 0 and y == 2 and self.empty_text:
                return Strip([Segment(fit("  " + self.empty_text, width), self.get_component_rich_style("record-table--empty"))])
            return Strip.blank(width, base)
        self._ensure(int(self.scroll_y), min(self.total, int(self.scroll_y) + self.body_height))
        i = row - self._start
        if not 0 <= i < len(self._cells):
            return Strip.blank(width, base)
        style = self.get_component_rich_style("record-table--cursor") if row == self.cursor_row else base
        return self._line(self._cells[i], style)

    # -- moving -------------------------------------------------------------------------------
    def watch_cursor_row(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()

    def watch_cursor_col(self, old: int, new: int) -> None:
        self.refresh()

    def _scroll_cursor_into_view(self) -> None:
        top = int(self.scroll_y)
        height = self.body_height
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False, immediate=True)

    def row_of(self, record_id: str, scan: int = 5000) -> int | None:
        """The row ``record_id`` is on in this query, or None (filtered out, or beyond the first
        ``scan`` rows). The last row first: a new record is there in the default order."""
        if not self.total:
            return None
        ledger, last = self.session.ledger, self.total - 1
        tail = ledger.query(self.rt.name, text=self.text, filters=self.filters, sort=self.sort, year=self.year, offset=last, limit=1)
        if tail and tail[0].id == record_id:
            return last
        page = 500
        for offset in range(0, min(self.total, scan), page):
            rows = ledger.query(self.rt.name, text=self.text, filters=self.filters, sort=self.sort, year=self.year,
                                offset=offset, limit=page)
            for i, record in enumerate(rows):
                if record.id == record_id:
                    return offset + i
        return None

    def move_to(self, row: int) -> None:
        self.cursor_row = max(0, min(row, self.total - 1)) if self.total else 0

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor_row + delta)

    def action_page(self, delta: int) -> None:
        self.move_to(self.cursor_row + delta * self.body_height)

    def action_jump(self, where: int) -> None:
        self.move_to(self.total - 1 if where < 0 else where)

    def action_column(self, delta: int) -> None:
        self.cursor_col = max(0, min(len(self.columns) - 1, self.cursor_col + delta))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x, widths = event.x, self._column_widths()
            for i, w in enumerate(widths):
                if x < w + GAP:
                    self.cursor_col = i
                    self.post_message(self.HeaderClicked(self, i))
                    return
                x -= w + GAP
            return
        row = int(self.scroll_y) + event.y - 1
        if 0 <= row < self.total:
            again = row == self.cursor_row and event.chain > 1
            self.cursor_row = row
            if again and self.current is not None:
                self.post_message(self.RowChosen(self, self.current))

    def sort_key_at(self, column: int) -> str:
        return self.columns[column].key
