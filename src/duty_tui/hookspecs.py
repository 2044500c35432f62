"""The hooks a duty-tui plugin may implement. No Textual types cross this line.

Most hooks take a ``register`` callback (the host owns duplicate names, type checks and which
plugin gave what): ``register(thing)``. A hookimpl may take fewer arguments than its spec, so
hooks can grow without breaking plugins. ``docs/plugins.md`` documents each with an example.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

import pluggy

PROJECT = "duty_tui"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


def registers(items: Iterable[Any]) -> Callable[[Callable[[Any], None]], None]:
    """A ``register`` hook that registers each of ``items``, for a plugin that keeps what it
    declares in lists: ``duty_register_types = registers(TYPES)`` in the plugin's module (the
    name it is given there is the hook it implements)."""

    @hookimpl
    def register_each(register):
        for item in items:
            register(item)

    return register_each


@hookspec
def duty_register_areas(register):
    """Declare the areas this plugin answers for: ``register(Area(...))`` (label, order, scoring)."""


@hookspec
def duty_register_types(register):
    """Register record types: ``register(RecordType(...))``."""


@hookspec
def duty_register_rules(register):
    """Register rules that check a year of records: ``register(Rule(...))``."""


@hookspec
def duty_register_settings(register):
    """Register settings (rule thresholds, limits) with defaults: ``register(Setting(...))``."""


@hookspec
def duty_register_backends(register):
    """Register a storage backend: ``register("scheme", factory)``; ``factory(url)`` returns a Store."""


@hookspec
def duty_register_screens(register):
    """Register TUI screens: ``register(ScreenSpec(...))``. The factory imports Textual itself, lazily."""


@hookspec
def duty_register_commands(register):
    """Register command-palette commands: ``register(PaletteCommand(...))``."""


@hookspec
def duty_register_reports(register):
    """Register report sections or formats: ``register(ReportSpec(...))``."""


@hookspec
def duty_cli_commands(cli):
    """Add click commands to the ``duty`` command group: ``@cli.command()``."""


@hookspec
def duty_validate(ledger, action, record_type, before, after):
    """Extra validation before a write. Return a list of ``FieldError`` (empty when fine).

    ``action`` is create, update, delete or ``transition:<name>``; ``before``/``after`` are the
    typed field values (None for a record that does not exist on that side). Runs inside the
    write's transaction, so a problem aborts the whole write.

    ``duty import`` asks too, for every record of the file, once all of it is in the store (the
    ledger reads the imported store): as an ``update`` that changes nothing, ``before`` the
    record's values and ``after`` the same with its ``id``.
    """


@hookspec
def duty_after_write(ledger, action, record):
    """Called after each write, with the record as written (None after a delete): once the write
    is committed, or, for a write inside ``Ledger.transaction()``, as it is made, before the
    transaction commits. The write stands whatever the hook does; one that raises becomes a
    warning on the record."""


@hookspec
def duty_demo_records(ledger, year):
    """Add sample records for ``duty demo`` through the given ledger."""
