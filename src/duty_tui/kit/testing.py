"""duty-tui's pytest plugin: fixtures for the project's tests and for plugin authors.

Loaded through the ``pytest11`` entry point, so installing duty-tui is enough: a plugin's tests
ask for the fixtures by name. Every fixture is isolated: a fresh store per test, plugins
registered for one test only (each registry has its own plugin manager, so nothing leaks into
the next test), no global state. ``docs/plugins.md`` ("Testing a plugin") shows them in use.

* ``duty_store_url`` – a fresh store URL: SQLite in the test's temp folder by default;
  ``DUTY_TEST_BACKEND=sqlite|tinydb|postgresql``, a ``DUTY_TEST_DB`` URL template with ``{tmp}``,
  or ``@pytest.mark.parametrize("duty_store_url", ["sqlite", "tinydb"], indirect=True)`` change it.
* ``duty_plugins`` – a list; append ``(name, module_or_object)`` to register a plugin for this
  test (before ``duty_registry`` is built), or mark the test ``@pytest.mark.duty_plugin(module)``.
  A plugin that is also installed is loaded once, as the test's. Mark a test (or a module, with
  ``pytestmark``) ``@pytest.mark.duty_installed_plugins("sql", "tinydb")`` to load only those of
  the installed plugins, so other plugins' types and rules stay out of it.
* ``duty_registry`` – the registry with the installed plugins plus ``duty_plugins``.
* ``duty_store`` – the store at ``duty_store_url``, opened with ``duty_registry``; closed after.
* ``duty_admin`` – a ledger on an initialised store, acting as its admin ``admin``.
* ``duty_ledger_as(name, role)`` – a ledger acting as that user with that role (created or
  given the role as needed).
* ``duty_cli(*args, login="admin")`` – runs the ``duty`` command in-process on ``duty_store_url``
  with ``duty_plugins``; returns a result with ``exit_code``, ``stdout``, ``stderr`` and ``json()``.
  ``duty_cli.add("meeting", "title=学习", date="2026-03-01", login="lina")`` runs ``duty add ...
  --json`` and returns the new record's id (the test fails with the command's error if refused).
* ``duty_app(size=(100, 30), login="admin", role=None, lang="en", ...)`` – an async context
  manager: the TUI built with ``make_app`` on this test's store, run headless under Textual's
  Pilot; yields the pilot (``pilot.app`` is the app). ``async def`` tests that use it (or any
  other ``duty_*`` fixture) are run on an event loop of their own (no asyncio plugin needed).

Helpers for Pilot tests: :func:`wait_until`, :func:`screen_text`, :func:`type_text`,
:func:`open_record_list`, :func:`open_plugin_screen`.
The backend contract suite, for a third-party backend, is :mod:`duty_tui.contract`.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import warnings
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, Iterable, Iterator

import pytest

MARKER = "duty_plugin"
ONLY_INSTALLED = "duty_installed_plugins"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(plugin, name=None): register a duty-tui plugin (a module or an object with "
        "hookimpls) for this test only, as duty_plugins.append((name, plugin)) does")
    config.addinivalue_line(
        "markers", f"{ONLY_INSTALLED}(*names): of the plugins installed through entry points, load only these "
        "(e.g. the backends \"sql\", \"tinydb\"), so other installed plugins' types and rules stay out of the test")


class DutyKitWarning(pytest.PytestWarning):
    """A test-kit fixture is used in a way that cannot do what the test meant."""


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    def json(self) -> Any:
        return json.loads(self.stdout)


class PluginList(list):
    """``duty_plugins``: (name, plugin) pairs registered for one test. A plugin added after
    ``duty_registry`` was built reaches ``duty_cli`` only, so that is warned about."""

    registry_built = False

    def _added(self, items: Iterable[Any]) -> None:
        if self.registry_built:
            names = ", ".join(repr(item[0]) if isinstance(item, tuple) and item else repr(item) for item in items)
            warnings.warn(DutyKitWarning(
                f"duty_plugins: {names} was added after duty_registry was built, so duty_registry, duty_store, "
                "duty_admin, duty_ledger_as and duty_app do not see it (duty_cli does). Add plugins in a fixture "
                f"that runs before them, or mark the test @pytest.mark.{MARKER}(plugin)."), stacklevel=3)

    def append(self, item: Any) -> None:
        self._added([item])
        super().append(item)

    def extend(self, items: Iterable[Any]) -> None:
        items = list(items)
        self._added(items)
        super().extend(items)

    def insert(self, index: int, item: Any) -> None:  # type: ignore[override]
        self._added([item])
        super().insert(index, item)

    def __iadd__(self, items: Iterable[Any]):  # type: ignore[override]
        self.extend(items)
        return self


def installed_name(plugin: Any) -> str:
    """The name a plugin module is installed under (its ``duty_tui`` entry point), else the last
    part of its module name."""
    import importlib.metadata as md

    from duty_tui.plugins import ENTRY_POINT_GROUP

    module = getattr(plugin, "__name__", None) or type(plugin).__name__
    for ep in md.entry_points(group=ENTRY_POINT_GROUP):
        if ep.value.split(":")[0].strip() == module:
            return ep.name
    return module.rsplit(".", 1)[-1]


def entry_points_besides(plugins: Iterable[tuple[str, Any]], only: Iterable[str] | None = None) -> list | None:
    """The installed ``duty_tui`` entry points (only those named in ``only``, when given), less
    those that load a module the test registers itself, so a plugin that is also installed is
    loaded once (as the test's). None when there is nothing to leave out (every entry point)."""
    import importlib.metadata as md

    from duty_tui.plugins import ENTRY_POINT_GROUP

    plugins = list(plugins)
    if not plugins and only is None:
        return None
    modules = {getattr(p, "__name__", None) for _, p in plugins} - {None}
    wanted = None if only is None else set(only)
    return [ep for ep in md.entry_points(group=ENTRY_POINT_GROUP)
            if ep.value.split(":")[0].strip() not in modules and (wanted is None or ep.name in wanted)]


def kit_entry_points(request: pytest.FixtureRequest, plugins: Iterable[tuple[str, Any]]) -> list | None:
    """The entry points a test's registry loads: see :func:`entry_points_besides` and the
    ``duty_installed_plugins`` marker."""
    mark = request.node.get_closest_marker(ONLY_INSTALLED)
    return entry_points_besides(plugins, None if mark is None else mark.args)


@pytest.fixture
def duty_plugins(request: pytest.FixtureRequest) -> PluginList:
    plugins = PluginList()
    for mark in reversed(list(request.node.iter_markers(MARKER))):  # module marks first, then the test's
        for plugin in mark.args:
            list.append(plugins, (mark.kwargs.get("name") or installed_name(plugin), plugin))
    return plugins


PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_base_url() -> str:
    """The server the PostgreSQL tests use: ``DUTY_TEST_PG``, else the local one."""
    import os

    return os.environ.get("DUTY_TEST_PG", PG_DEFAULT)


@contextmanager
def postgres_schema_url(base: str | None = None) -> Iterator[str]:
    """A store URL in a schema of its own on the test server, dropped afterwards.

    When the server cannot be reached the test is skipped with the reason, except under CI
    (``CI`` set), where a PostgreSQL test that cannot run is a failure.
    """
    import os
    import uuid

    import psycopg

    base = base or postgres_base_url()
    schema = f"duty_test_{uuid.uuid4().hex[:12]}"
    try:
        conn = psycopg.connect(base.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True)
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server
        message = f"PostgreSQL at {base} cannot be reached: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message + " (under CI a PostgreSQL test may not be skipped)")
        pytest.skip(message)
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}schema={schema}"
    finally:
        with conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def store_url_for(backend: str, tmp_path) -> Iterator[str]:
    """A fresh, empty store URL for a backend name: sqlite, tinydb or postgresql."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'duty.db'}"
    elif backend == "tinydb":
        yield f"tinydb:///{tmp_path / 'duty.json'}"
    elif backend == "postgresql":
        with postgres_schema_url() as url:
            yield url
    else:
        raise ValueError(f"unknown backend {backend!r}")


BACKENDS = ("sqlite", "tinydb", "postgresql")


@pytest.fixture
def duty_store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh store URL: ``DUTY_TEST_BACKEND`` (sqlite, tinydb, postgresql; default sqlite), or
    ``DUTY_TEST_DB``, a URL template with ``{tmp}`` for the test's temp folder. Parametrized
    indirectly, the parameter (a backend name or such a template) wins over both."""
    import os

    choice = getattr(request, "param", None) or os.environ.get("DUTY_TEST_DB") or os.environ.get("DUTY_TEST_BACKEND", "sqlite")
    if choice in BACKENDS:
        yield from store_url_for(choice, tmp_path)
    elif "://" in choice:
        yield choice.format(tmp=tmp_path)
    else:
        raise ValueError(f"duty_store_url: {choice!r} is neither a backend ({', '.join(BACKENDS)}) nor a URL template")


@pytest.fixture
def duty_registry(request: pytest.FixtureRequest, duty_plugins):
    from duty_tui.registry import load_registry

    registry = load_registry(extra=duty_plugins, entry_points=kit_entry_points(request, duty_plugins))
    if isinstance(duty_plugins, PluginList):
        duty_plugins.registry_built = True
    return registry


@pytest.fixture
def duty_store(duty_store_url, duty_registry):
    from duty_tui.store import open_store

    store = open_store(duty_store_url, duty_registry)
    yield store
    store.close()


@pytest.fixture
def duty_admin(duty_store, duty_registry):
    from duty_tui.ledger import Ledger

    return Ledger.initialise(duty_store, duty_registry, "admin")


@pytest.fixture
def duty_ledger_as(duty_admin, duty_store, duty_registry) -> Callable[..., Any]:
    from duty_tui.ledger import Ledger

    def make(name: str, role: str | None = "clerk"):
        """A ledger acting as ``name``: a new user gets ``role``; an existing one is given it
        (``role=None`` keeps whatever role the user has)."""
        users = {u.name: u for u in duty_admin.users()}
        if name not in users:
            duty_admin.add_user(name, role or "clerk")
        elif role is not None and users[name].role != role:
            duty_admin.set_role(name, role)
        return Ledger.for_login(duty_store, duty_registry, name)

    return make


class DutyCli:
    """What ``duty_cli`` gives: call it with the command's arguments, or ``add`` a record."""

    def __init__(self, run: Callable[..., CliResult]) -> None:
        self._run = run

    def __call__(self, *args: str, login: str = "admin", input: str | None = None, **overrides: Any) -> CliResult:
        """``duty ARGS...`` as ``login`` (``input`` is typed on stdin; other keywords go into the
        CLI's context object)."""
        return self._run(*args, login=login, input=input, **overrides)

    def add(self, record_type: str, *pairs: str, login: str = "admin", **values: Any) -> str:
        """``duty add TYPE field=value ... --json`` as ``login``; returns the new record's id. Give
        values as ``"field=value"`` strings or as keywords (a list or tuple is joined with commas,
        a bool is ``true``/``false``, a date its ISO form). A refused write fails the test with
        the command's exit code and error."""
        args = list(pairs) + [f"{field}={cli_value(value)}" for field, value in values.items()]
        result = self._run("add", record_type, *args, "--json", login=login)
        assert result.exit_code == 0, f"duty add {record_type} {' '.join(args)} exited {result.exit_code}: {result.stderr}"
        return result.json()["id"]


def cli_value(value: Any) -> str:
    """A value as ``duty add``/``duty edit`` read it on the command line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(cli_value(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@pytest.fixture
def duty_cli(request: pytest.FixtureRequest, duty_store_url, duty_plugins, monkeypatch, tmp_path) -> DutyCli:
    from click.testing import CliRunner

    from duty_tui.cli import cli

    monkeypatch.setenv("DUTY_DB", duty_store_url)
    monkeypatch.setenv("DUTY_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("DUTY_LANG", "en")

    def run(*args: str, login: str = "admin", input: str | None = None, **overrides: Any) -> CliResult:
        runner = CliRunner()
        obj = {"login": login, "plugins": list(duty_plugins), "entry_points": kit_entry_points(request, duty_plugins), **overrides}
        result = runner.invoke(cli, list(args), obj=obj, input=input, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr, result.exception)

    return DutyCli(run)


# -- the TUI under Pilot ---------------------------------------------------------------------------


@pytest.fixture
def duty_app(duty_admin, duty_ledger_as) -> Callable[..., Any]:
    """``async with duty_app(size=(100, 30), login="admin") as pilot:`` the TUI on this test's
    store, run headless. ``login``/``role`` pick the operator (see ``duty_ledger_as``), or
    ``ledger=`` gives one; ``lang``, ``year``, ``today`` and any other keyword go to ``make_app``.
    The store label in the header is fixed (``duty-test``), so screens look the same every run."""

    @asynccontextmanager
    async def run(*, size: tuple[int, int] = (100, 30), login: str = "admin", role: str | None = None,
                  ledger: Any = None, lang: str = "en", **make_app_kwargs: Any) -> AsyncIterator[Any]:
        from duty_tui.tui.app import make_app

        if ledger is None:
            same = login == duty_admin.user.name and role in (None, duty_admin.user.role)
            ledger = duty_admin if same else duty_ledger_as(login, role)
        make_app_kwargs.setdefault("store_label", "duty-test")
        app = make_app(ledger, lang=lang, **make_app_kwargs)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            yield pilot

    return run


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function):
    """Run an ``async def`` test that uses the kit (``duty_app``, or any ``duty_*`` fixture, as a
    test that builds the app itself with ``make_app`` and runs it under ``app.run_test()`` does)
    on an event loop of its own, unless an asyncio or anyio plugin was asked to (the test carries
    its marker)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj) or not any(name.startswith("duty_") for name in pyfuncitem.fixturenames):
        return None
    if pyfuncitem.get_closest_marker("asyncio") or pyfuncitem.get_closest_marker("anyio"):
        return None
    kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**kwargs))
    return True


async def wait_until(pilot: Any, condition: Callable[[], Any], what: str = "the condition", timeout: float = 10.0,
                     attempts: int | None = None) -> Any:
    """Let the app work until ``condition()`` is true, and return its value (no fixed sleeps).
    A widget that is not mounted yet (``NoMatches``) counts as "not yet". Gives up with an
    ``AssertionError`` naming ``what`` after ``timeout`` seconds (time enough for a store read on
    the app's worker thread on a busy machine), or after ``attempts`` rounds when that is given."""
    import time

    from textual.css.query import NoMatches

    deadline = time.monotonic() + timeout
    rounds = 0
    while time.monotonic() < deadline and (attempts is None or rounds < attempts):
        rounds += 1
        try:
            value = condition()
        except NoMatches:
            value = None
        if value:
            return value
        await pilot.pause()
    raise AssertionError(f"timed out waiting for {what}")


async def type_text(pilot: Any, text: str) -> None:
    """Type ``text`` into the focused widget, one key per character, as a person does."""
    for ch in text:
        await pilot.press(ch)


async def open_record_list(pilot: Any, record_type: str) -> Any:
    """Open a record type's list on the main screen (as the navigation tree and the palette do)
    and return its view once it shows and its table has the focus (``view.table``)."""
    from duty_tui.tui.screens.main import MainScreen

    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
    app.open_list(record_type)
    view = await wait_until(pilot, lambda: shown_record_list(app, record_type), f"the {record_type} list")
    await wait_until(pilot, lambda: app.focused is view.table, f"the focus on the {record_type} table")
    return view


def shown_record_list(app: Any, record_type: str) -> Any:
    """The list view of ``record_type`` when the main screen shows it with its table, else None."""
    from duty_tui.tui.screens.main import MainScreen

    if not isinstance(app.screen, MainScreen):
        return None
    view = app.screen.view(f"list-{record_type}")
    if view is None or app.screen.switcher.current != f"list-{record_type}" or not view.query("RecordTable"):
        return None
    return view


def screen_text(app: Any) -> str:
    """What the terminal shows now, as plain text, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def open_plugin_screen(pilot: Any, screen_id: str) -> Any:
    """Open a screen a plugin registered (as the navigation tree and the palette do) and return
    it once it is on top. Fails with the app's notices when the factory raised."""
    app = pilot.app
    known = [spec.id for spec in app.plugin_screens()]
    if screen_id not in known:
        raise AssertionError(f"no plugin registered the screen {screen_id!r} (registered: {', '.join(known) or 'none'})")
    before = app.screen
    app.open_screen(screen_id)

    def opened():
        if app.screen is not before:
            return app.screen
        errors = [n.message for n in getattr(app, "_notifications", []) if getattr(n, "severity", "") == "error"]
        if errors:
            raise AssertionError(f"the screen {screen_id!r} did not open: {errors}")
        return None

    return await wait_until(pilot, opened, f"the screen {screen_id!r}")
