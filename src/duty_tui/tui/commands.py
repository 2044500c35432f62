"""The command palette (Ctrl+P): go to a record type, find a record by text or id, "new X",
check a year, switch language, and the commands plugins register."""

from __future__ import annotations

import re
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..errors import DutyError

ID_RE = re.compile(r"^[a-z][a-z0-9_]*-\d+$")
YEAR_RE = re.compile(r"\b(19|20)\d{2}\b")
FIND_PER_TYPE = 3


class DutyCommands(Provider):
    def _commands(self) -> list[tuple[str, object, str]]:
        """(text, callable, help) of every fixed command, in the operator's language."""
        app = self.app
        s = app.session
        out: list[tuple[str, object, str]] = [
            (s.t("pal.dashboard"), partial(app.show_view, "dashboard"), ""),
            (s.t("pal.findings"), partial(app.show_view, "findings"), ""),
            (s.t("pal.audit"), partial(app.show_view, "audit"), ""),
            (s.t("pal.lang"), app.action_switch_language, ""),
            (s.t("pal.help"), app.action_help, ""),
        ]
        from .screens.county import county_command  # the county's towns side by side (issue 19)

        out.insert(3, county_command(app))
        for rt in s.registry.types.values():
            label = s.type_label(rt)
            out.append((s.t("pal.goto", label=label), partial(app.open_list, rt.name), s.t("pal.goto.help", label=label)))
        if s.ledger.can("create"):
            for rt in s.registry.types.values():
                label = s.type_label(rt)
                out.append((s.t("pal.new", label=label), partial(app.new_record, rt.name), s.t("pal.new.help")))
        for year in (s.year - 1, s.year, s.year + 1):
            out.append((s.t("pal.check", year=year), partial(app.check_year, year), s.t("pal.check.help")))
        for spec in app.plugin_screens():
            out.append((s.r(spec.label), partial(app.open_screen, spec.id), s.r(spec.help) if spec.help else ""))
        for command in app.plugin_commands():
            out.append((s.r(command.label), partial(app.run_plugin_command, command), s.r(command.help) if command.help else ""))
        out.append((s.t("pal.quit"), app.exit, ""))
        return out

    async def discover(self) -> Hits:
        for text, run, help_text in self._commands():
            yield DiscoveryHit(text, run, help=help_text or None)

    async def search(self, query: str) -> Hits:
        app = self.app
        s = app.session
        matcher = self.matcher(query)
        for text, run, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), run, text=text, help=help_text or None)
        query = query.strip()
        year = YEAR_RE.search(query)
        if year and int(year.group(0)) not in (s.year - 1, s.year, s.year + 1):
            y = int(year.group(0))
            yield Hit(0.9, s.t("pal.check", year=y), partial(app.check_year, y), help=s.t("pal.check.help"))
        if ID_RE.match(query):
            try:
                record = s.ledger.find(query)
            except DutyError:
                record = None
            if record is not None:
                yield Hit(1.0, s.t("pal.open", id=record.id, title=s.title(record)), partial(app.open_record, record.id))
        if len(query) >= 2 and not ID_RE.match(query):
            for rt in s.registry.types.values():
                try:
                    records = s.ledger.query(rt.name, text=query, limit=FIND_PER_TYPE)
                except DutyError:
                    continue
                for record in records:
                    text = f"{s.type_label(rt)} · {s.title(record) or record.id}"
                    yield Hit(0.5, s.t("pal.find", text=text), partial(app.open_record, record.id), text=text, help=record.id)


def make_palette(app, placeholder: str):
    """Textual's command palette, saying "no matches" in the operator's language (Textual's own
    text is English only: it showed 'No matches found' in the Chinese UI)."""
    from rich.align import Align
    from rich.text import Text
    from textual import command
    from textual.command import CommandList
    from textual.widgets.option_list import Option

    class CommandPalette(command.CommandPalette):  # the same name: the app, its tests and CSS know it by it
        def _start_no_matches_countdown(self, search_value: str) -> None:
            self._stop_no_matches_countdown()

            def show() -> None:
                if search_value:
                    self.query_one(CommandList).add_option(Option(
                        Align.center(Text(app.session.t("pal.no_matches"), style="not bold")), disabled=True, id=self._NO_MATCHES))
                    self._list_visible = True
                else:
                    self._list_visible = False

            self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)

    return CommandPalette(placeholder=placeholder, id="--command-palette")
