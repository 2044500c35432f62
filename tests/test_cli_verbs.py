"""The CLI's verbs load with their own module, when asked for (duty_tui.cli.VERBS): `duty --help`
lists every verb each module registers, each verb runs from a fresh process, and the bare `duty`
(the terminal app, every login) and a verb import no verb module they do not use."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import duty_tui.cli as cli_package
from duty_tui.cli import VERBS, cli


def test_the_map_names_exactly_the_verbs_each_module_registers():
    for info in pkgutil.iter_modules(cli_package.__path__):
        importlib.import_module(f"duty_tui.cli.{info.name}")
    registered = {name: command.callback.__module__.rsplit(".", 1)[1] for name, command in cli.commands.items()}
    assert registered == VERBS


def imported_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(m for m in sys.modules if m.startswith('duty_tui.cli.')))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_help_lists_every_verb_and_a_verb_loads_its_own_module_only(tmp_path):
    done = subprocess.run([sys.executable, "-m", "duty_tui", "--help"], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin",
                          "HOME": str(tmp_path), "DUTY_CONFIG": str(tmp_path / "none.toml")})
    assert done.returncode == 0, done.stderr
    listed = done.stdout.split("Commands:", 1)[1]
    assert all(f"  {verb} " in listed for verb in VERBS)
    assert imported_after("import duty_tui.cli") == set()  # what the bare `duty` imports before the app
    loaded = imported_after("from click.testing import CliRunner\nfrom duty_tui.cli import cli\n"
                            "CliRunner().invoke(cli, ['list', '--help'])")
    assert loaded & {f"duty_tui.cli.{module}" for module in VERBS.values()} == {"duty_tui.cli.records"}
