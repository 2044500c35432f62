"""duty-tui's pytest plugin: fixtures for the project's tests and for plugin authors.

Loaded through the ``pytest11`` entry point. Every fixture is isolated: a fresh store per test,
plugins registered for one test only, no global plugin manager.

* ``duty_store_url`` – a fresh store URL (SQLite in the test's temp folder by default; set
  ``DUTY_TEST_DB`` to a URL template with ``{tmp}`` to change it).
* ``duty_plugins`` – a list; append ``(name, module_or_object)`` to register a plugin for this test.
* ``duty_registry`` – the registry with the installed plugins plus ``duty_plugins``.
* ``duty_admin`` – a ledger on an initialised store, acting as its admin ``admin``.
* ``duty_ledger_as(name, role)`` – a ledger acting as a (new) user with that role.
* ``duty_cli(*args, login="admin")`` – runs the ``duty`` command in-process, returns a result with
  ``exit_code``, ``stdout``, ``stderr`` and ``json()``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

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


@pytest.fixture
def duty_store_url(tmp_path) -> str:
    import os

    template = os.environ.get("DUTY_TEST_DB")
    if template:
        return template.format(tmp=tmp_path)
    return f"sqlite:///{tmp_path / 'duty.db'}"


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
