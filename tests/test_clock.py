"""The demo and the rules on the days a year turns: the five areas' tests, the reports' and the
`duty demo` ones run in a pytest of their own with the clock set (``--duty-today``, see
tests/conftest.py) to 1 January, 10 January and 31 December. The sample town has to make sense
on each of them (real users open `duty demo` in January too), and no test may quietly assume the
day it was written on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("time_machine")

TESTS = Path(__file__).parent
# the rule tests of every area (each ends with its demo test), the reports built on the demo
# town, and `duty demo` itself
SELECTED = ("test_leadership.py", "test_positions.py", "test_team.py", "test_assessment.py", "test_accountability.py",
            "test_reports.py", "tui/test_parts.py")


@pytest.mark.parametrize("day", ["2026-01-01", "2026-01-10", "2026-12-31"])
def test_the_demo_and_rule_tests_pass_with_the_clock_set_to(day):
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "-rfE", f"--duty-today={day}",
               *(str(TESTS / name) for name in SELECTED)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}  # not this run's xdist worker or options
    result = subprocess.run(command, cwd=TESTS.parent, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"with the clock at {day}:\n{result.stdout[-8000:]}\n{result.stderr[-2000:]}"
    assert f"duty: the clock is set to {day}" in result.stdout, "the header says the session travelled"
