"""The main screen: header, navigation tree, the pane that shows the chosen view, key bar."""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Tree

from ..actions import bindings
from ..widgets.header import HeaderBar
from ..widgets.keybar import KeyBar
from ..widgets.nav import NavTarget, NavTree
from .dashboard import DashboardView
from .styled_once import PaintedSettled


class MainScreen(PaintedSettled, Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    BINDINGS = bindings("main.nav", "main.dashboard", "main.findings", "main.audit")

    def __init__(self, *, dashboard_waits: bool = False) -> None:
        super().__init__()
        self.dashboard_waits = dashboard_waits
        self.covered = False  # another screen was pushed over this one

    def compose(self) -> ComposeResult:
        yield HeaderBar(classes="header")
        with Horizontal(id="body"):
            yield NavTree(id="nav")
            with ContentSwitcher(id="views", initial="dashboard"):
                yield DashboardView(id="dashboard", waits=self.dashboard_waits)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(NavTree).focus()

    def on_screen_suspend(self) -> None:
        self.covered = True

    def on_screen_resume(self) -> None:
        """A dashboard that waited under the county screen (a county operator's landing) is read
        the first time this screen comes back from under another (the resume of its own first
        push may be handled after the county screen is pushed over it, or before)."""
        if self.dashboard_waits and self.covered and self.is_current:
            self.dashboard_waits = False
            for dashboard in self.query(DashboardView):
                dashboard.start()

    @property
    def switcher(self) -> ContentSwitcher:
        return self.query_one("#views", ContentSwitcher)

    def view(self, view_id: str) -> Widget | None:
        found = self.switcher.query(f"#{view_id}")
        return found.first() if found else None

    def show(self, view_id: str, *, focus: bool = True, then: Callable[[Widget], object] | None = None) -> Widget:
        """Show a view of the pane, creating it the first time it is asked for; ``then(view)``
        runs once it is mounted."""
        view = self.view(view_id)
        mounting = None
        if view is None:
            view = self._make(view_id)
            mounting = self.switcher.mount(view)
        self.switcher.current = view_id

        async def settle() -> None:
            if mounting is not None:
                await mounting
            if then is not None:
                then(view)
            if focus:
                view.focus()

        self.call_later(settle)
        kind, _, key = view_id.partition("-")
        nav = self.query_one(NavTree)
        if kind == "list":
            nav.select_target("list", key)
        else:
            nav.select_target("view", view_id)
        return view

    def _make(self, view_id: str) -> Widget:
        if view_id == "findings":
            from .findings import FindingsView

            return FindingsView(id="findings")
        if view_id == "audit":
            from .audit_log import AuditView

            return AuditView(id="audit")
        if view_id.startswith("list-"):
            from .record_list import RecordListView

            rt = self.app.session.registry.types[view_id[5:]]
            return RecordListView(rt, id=view_id)
        return DashboardView(id="dashboard")

    def open_list(self, record_type: str, filter_text: str | None = None, then: Callable[[Widget], object] | None = None):
        def ready(view) -> None:
            if filter_text is not None:
                view.set_filter(filter_text)
            if then is not None:
                then(view)

        return self.show(f"list-{record_type}", then=ready)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        target: NavTarget | None = event.node.data
        if target is None or target.kind == "area":
            return
        if target.kind == "view":
            self.show(target.key)
        elif target.kind == "list":
            self.open_list(target.key)
        elif target.kind == "screen":
            self.app.open_screen(target.key)

    def action_focus_nav(self) -> None:
        self.query_one(NavTree).focus()

    def action_show_view(self, view_id: str) -> None:
        self.show(view_id)
