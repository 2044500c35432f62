"""A plugin packaged apart works once installed: the example (examples/online_accounts) and the
package `duty plugin new` writes are each installed into a fresh virtual environment beside the
project, and there the example shows its type in `duty types`, its rule in `duty check`, itself
in `duty plugins --json` and its screen in the TUI, and each passes its own tests.

The environments see duty-tui and its dependencies through --system-site-packages (no network
for those); the plugin is installed with --no-deps, without build isolation when the
environment can build a wheel offline (setuptools with wheel, or setuptools 70.1 or later), else
with pip's isolated build, which fetches setuptools from the configured index exactly as
README's own install command does for duty-tui.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "online_accounts"
RULE = "positions.online-accounts-reviewed"
TIMEOUT = 300


@dataclass
class Venv:
    path: Path
    env: dict[str, str]

    @property
    def python(self) -> str:
        return str(self.path / "bin" / "python")

    def run(self, *args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([self.python, *args], cwd=cwd or self.path, env={**self.env, **env},
                              capture_output=True, text=True, timeout=TIMEOUT)

    def duty(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return self.run("-m", "duty_tui", *args, **env)

    def install(self, source: Path) -> None:
        """pip install --no-deps a copy of ``source`` (the build writes into the folder it builds)."""
        copy = self.path.parent / f"src-{source.name}"
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist"))
        offline = self.run("-c", BUILDS_OFFLINE).returncode == 0
        isolation = ["--no-build-isolation"] if offline else []
        if not offline:
            print(f"{self.path.name}: no offline wheel builder here (setuptools with wheel); pip builds in isolation")
        done = self.run("-m", "pip", "install", "--no-deps", "--no-input", "--disable-pip-version-check", *isolation, str(copy))
        assert done.returncode == 0, done.stdout + done.stderr


BUILDS_OFFLINE = textwrap.dedent("""
    import importlib.util, sys
    import setuptools
    version = tuple(int(p) for p in setuptools.__version__.split(".")[:2])
    sys.exit(0 if importlib.util.find_spec("wheel") or version >= (70, 1) else 1)
""")


def fresh_venv(where: Path) -> Venv:
    """A new virtual environment that sees this Python's packages (duty-tui among them). It gets
    no pip of its own: the system's pip, seen through the system site-packages, installs into it
    (which also works on a Debian Python without ensurepip)."""
    path = where / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(path)],
                          capture_output=True, text=True, timeout=TIMEOUT)
    if made.returncode != 0:
        reason = f"cannot create a virtual environment with {sys.executable}: {made.stderr.strip() or made.stdout.strip()}"
        print(reason)
        pytest.skip(reason)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DUTY_", "PYTHON", "PIP_REQUIRE", "VIRTUAL_ENV"))}
    env.update(DUTY_DB=f"sqlite:///{where / 'duty.db'}", DUTY_CONFIG=str(where / "no-config.toml"), DUTY_LANG="en",
               PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1", VIRTUAL_ENV=str(path),
               PATH=f"{path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    venv = Venv(path, env)
    seen = venv.run("-c", "import duty_tui, pip; print(duty_tui.__file__)")
    if seen.returncode != 0:
        reason = f"the new virtual environment does not see duty-tui and pip: {seen.stderr.strip()}"
        print(reason)
        pytest.skip(reason)
    return venv


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Venv:
    venv = fresh_venv(tmp_path_factory.mktemp("example-venv"))
    venv.install(EXAMPLE)
    return venv


# -- the example, installed -------------------------------------------------------------------------------


def test_the_examples_type_is_in_duty_types(example):
    listed = example.duty("types", "--json")
    assert listed.returncode == 0, listed.stderr
    types = {t["name"]: t for t in json.loads(listed.stdout)}
    account = types["online_account"]
    assert account["plugin"] == "online_accounts" and account["area"] == "positions"
    assert [f["name"] for f in account["fields"]][:6] == ["account_name", "platform", "address", "unit", "responsible", "registered_on"]
    shown = example.duty("types", "online_account")
    assert shown.returncode == 0 and "Online account" in shown.stdout and "wechat=WeChat official account" in shown.stdout


def test_duty_plugins_json_names_the_example_with_its_version_where_it_came_from_and_its_hooks(example):
    listed = example.duty("plugins", "--json")
    assert listed.returncode == 0, listed.stderr
    entry = {p["name"]: p for p in json.loads(listed.stdout)}["online_accounts"]
    assert {k: entry[k] for k in ("status", "source", "version", "module", "error")} == {
        "status": "loaded", "source": "duty-online-accounts", "version": "0.1.0", "module": "duty_online_accounts", "error": None}
    assert Path(entry["path"]).is_relative_to(example.path), "loaded from the virtual environment it was installed into"
    assert entry["hooks"] == ["duty_cli_commands", "duty_demo_records", "duty_register_commands", "duty_register_rules",
                              "duty_register_screens", "duty_register_settings", "duty_register_types", "duty_validate"]


def test_the_examples_rule_is_in_duty_check(example):
    assert example.duty("init").returncode == 0
    for args in (("unit", "name=文化站", "kind=department"), ("person", "name=吴芳", "unit=unit-1"),
                 ("online_account", "account_name=xx镇文化站", "platform=抖音", "unit=unit-1", "responsible=person-1",
                  "registered_on=2018-09-01")):
        added = example.duty("add", *args)
        assert added.returncode == 0, added.stderr
    check = example.duty("check", "--year", "2020", "--json")
    assert check.returncode == 1, check.stderr
    ours = [f for f in json.loads(check.stdout) if f["rule"] == RULE]
    assert ours == [{"rule": RULE, "severity": "error", "area": "positions", "records": ["online_account-1"],
                     "message": "online account “xx镇文化站” (Douyin) not reviewed in 2020; due 2020-12-31"}]
    assert example.duty("check", "--year", "2020", "--rule", RULE).stdout.count("xx镇文化站") == 1


TUI_SCRIPT = textwrap.dedent("""
    import asyncio, datetime as dt, json
    from duty_tui.ledger import Ledger
    from duty_tui.registry import load_registry
    from duty_tui.store import open_store
    from duty_tui.testing import screen_text, wait_until
    from duty_tui.tui.app import make_app

    registry = load_registry()                      # every installed plugin, through its entry point
    ledger = Ledger.initialise(open_store("sqlite:///tui.db", registry), registry, "admin")
    unit = ledger.create("unit", {"name": "宣传办公室", "kind": "office"}).id
    person = ledger.create("person", {"name": "李娜", "unit": unit}).id
    ledger.create("online_account", {"account_name": "城关社区之声", "platform": "weibo", "unit": unit,
                                     "responsible": person, "registered_on": "2025-11-11"})

    async def main():
        app = make_app(ledger, lang="en", year=2026, today=dt.date(2026, 6, 30), store_label="venv")
        async with app.run_test(size=(110, 30)) as pilot:
            await pilot.press("ctrl+p")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "CommandPalette", "the palette")
            for ch in "Online account reviews":
                await pilot.press(ch)
            await wait_until(pilot, lambda: "Online account reviews" in screen_text(app), "the palette's hit")
            await pilot.press("enter")
            await wait_until(pilot, lambda: "城关社区之声" in screen_text(app), "the review screen")
            return {"screen": type(app.screen).__name__, "module": type(app.screen).__module__, "text": screen_text(app)}

    print(json.dumps(asyncio.run(main()), ensure_ascii=False))
""")


def test_the_examples_screen_opens_in_the_tui_from_the_command_palette(example, tmp_path):
    shown = example.run("-c", TUI_SCRIPT, cwd=tmp_path)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    result = json.loads(shown.stdout.strip().splitlines()[-1])
    assert (result["screen"], result["module"]) == ("ReviewScreen", "duty_online_accounts.screen")
    assert "Online account reviews · 2026" in result["text"]
    assert "1 account(s): 0 reviewed, 1 due, 0 overdue, 0 new this year; due by 2026-12-31" in result["text"]


def test_the_examples_own_tests_pass_where_it_is_installed_even_in_strict_mode(example):
    tests = example.path.parent / "src-online_accounts"
    ran = example.run("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=tests, DUTY_STRICT_PLUGINS="1")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "10 passed" in ran.stdout


def test_the_guides_testing_example_passes_where_the_example_is_installed(example, tmp_path):
    from .test_plugin_docs import DOC, block_after_marker

    (tmp_path / "test_from_the_guide.py").write_text(block_after_marker(DOC.read_text(encoding="utf-8"), "the kit example"),
                                                    encoding="utf-8")
    ran = example.run("-m", "pytest", "-q", "-p", "no:cacheprovider", "test_from_the_guide.py", cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "3 passed" in ran.stdout


# -- the scaffold's package ---------------------------------------------------------------------------------


def test_the_scaffolds_package_passes_its_own_test_in_a_fresh_venv(tmp_path):
    venv = fresh_venv(tmp_path)
    made = venv.duty("plugin", "new", "village_archive", "--dir", str(tmp_path / "work"))
    assert made.returncode == 0, made.stderr
    package = tmp_path / "work" / "duty-village-archive"
    venv.install(package)
    ran = venv.run("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=venv.path.parent / "src-duty-village-archive")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "3 passed" in ran.stdout
    listed = {p["name"]: p for p in json.loads(venv.duty("plugins", "--json").stdout)}
    assert (listed["village_archive"]["status"], listed["village_archive"]["source"]) == ("loaded", "duty-village-archive")
