"""Shared fixtures. The store, ledger and CLI fixtures come from duty-tui's own pytest plugin
(duty_tui.testing), the same kit a plugin author gets."""

from __future__ import annotations

import datetime as dt

import pytest

from . import sample_plugin

_TRAVEL = pytest.StashKey[object]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--duty-today", metavar="YYYY-MM-DD", default=None,
        help="run the whole session with the clock set to noon (local time) of this day; it keeps ticking from there, "
             "so the audit log's times still advance and the TUI's timers run (time-machine). tests/test_clock.py "
             "runs the demo and rule tests so on 1 January, 10 January and 31 December.")


def pytest_configure(config: pytest.Config) -> None:
    day = config.getoption("--duty-today", None)
    if not day:
        return
    import time_machine

    try:
        noon = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12))
    except ValueError:
        raise pytest.UsageError(f"--duty-today: {day!r} is not a date (YYYY-MM-DD)") from None
    traveller = time_machine.travel(noon.astimezone(), tick=True)  # naive noon read as local time
    traveller.start()
    config.stash[_TRAVEL] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_TRAVEL, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    day = config.getoption("--duty-today", None)
    return f"duty: the clock is set to {day}" if day else None


@pytest.fixture
def with_sample(duty_plugins):
    """Register the sample plugin (a workflow type and a rule) for this test only."""
    duty_plugins.append(("sample", sample_plugin))
    return sample_plugin


@pytest.fixture
def cli(duty_cli):
    """The CLI on an initialised store whose admin is `admin`."""
    result = duty_cli("init")
    assert result.exit_code == 0, result.stderr
    return duty_cli
