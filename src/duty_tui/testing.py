"""duty-tui's pytest plugin: fixtures for the project's tests and for plugin authors.

Loaded through the ``pytest11`` entry point. Every fixture is isolated: a fresh store per test,
plugins registered for one test only, no global plugin manager.

* ``duty_store_url`` – a fresh store URL (SQLite in the test's temp folder by default;
  ``DUTY_TEST_BACKEND=postgresql|tinydb`` or a ``DUTY_TEST_DB`` template with ``{tmp}`` change it).
* ``duty_plugins`` – a list; append ``(name, module_or_object)`` to register a plugin for this test.
* ``duty_registry`` – the registry with the installed plugins plus ``duty_plugins``.
* ``duty_admin`` – a ledger on an initialised store, acting as its admin ``admin``.
* ``duty_ledger_as(name, role)`` – a ledger acting as a (new) user with that role.
* ``duty_cli(*args, login="admin")`` – runs the ``duty`` command in-process, returns a result with
  ``exit_code``, ``stdout``, ``stderr`` and ``json()``.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import pytest


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def duty_plugins() -> list:
    return []


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

    import sqlalchemy as sa

    base = base or postgres_base_url()
    schema = f"duty_test_{uuid.uuid4().hex[:12]}"
    url = sa.engine.make_url(base).set(drivername="postgresql+psycopg")
    try:
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server
        message = f"PostgreSQL at {base} cannot be reached: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message + " (under CI a PostgreSQL test may not be skipped)")
        pytest.skip(message)
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}schema={schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


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


@pytest.fixture
def duty_store_url(tmp_path) -> Iterator[str]:
    """A fresh store URL: ``DUTY_TEST_BACKEND`` (sqlite, tinydb, postgresql; default sqlite), or
    ``DUTY_TEST_DB``, a URL template with ``{tmp}`` for the test's temp folder."""
    import os

    template = os.environ.get("DUTY_TEST_DB")
    if template:
        yield template.format(tmp=tmp_path)
        return
    yield from store_url_for(os.environ.get("DUTY_TEST_BACKEND", "sqlite"), tmp_path)


@pytest.fixture
def duty_registry(duty_plugins):
    from duty_tui.registry import load_registry

    return load_registry(extra=duty_plugins)


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

    def make(name: str, role: str = "clerk"):
        if duty_admin.users() and name not in {u.name for u in duty_admin.users()}:
            duty_admin.add_user(name, role)
        return Ledger.for_login(duty_store, duty_registry, name)

    return make


@pytest.fixture
def duty_cli(duty_store_url, duty_plugins, monkeypatch, tmp_path) -> Callable[..., CliResult]:
    from click.testing import CliRunner

    from duty_tui.cli import cli

    monkeypatch.setenv("DUTY_DB", duty_store_url)
    monkeypatch.setenv("DUTY_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("DUTY_LANG", "en")

    def run(*args: str, login: str = "admin", input: str | None = None, **overrides: Any) -> CliResult:
        runner = CliRunner()
        obj = {"login": login, "plugins": list(duty_plugins), **overrides}
        result = runner.invoke(cli, list(args), obj=obj, input=input, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr, result.exception)

    return run
