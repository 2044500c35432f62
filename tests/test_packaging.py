"""duty-tui as a user gets it: the wheel, built offline from this tree, installed with
``--no-index --no-deps`` into a fresh virtual environment, works there on its own.

* the wheel holds every file of its packages (src/duty_tui, plugins/, storage/): the modules and
  what they read at run time (the TUI's .tcss styles, py.typed); its entry points are those of
  pyproject.toml;
* in the environment, ``duty_tui``, every plugin and every backend are imported from the wheel's
  installed copy, never from this checkout: the environment sees this Python's site-packages
  directories (the dependencies, offline) as plain entries of ``sys.path`` through a .pth file, so
  their own .pth files are not run and the editable install's finder (``pip install -e``, which
  maps ``duty_tui`` to this checkout) does not reach in;
* there the installed ``duty`` says its version, makes the demo town (``duty demo --no-tui``),
  checks it (``duty check``), lists every shipped plugin as loaded from the environment, writes a
  report, exports and imports the store, and the TUI starts on it with every stylesheet a screen
  names.

Nothing is installed anywhere but in the new environment (the test checks that this Python's
site-packages are as they were). What cannot be done here (no offline wheel builder, no venv, no
pip) skips the test, printing why.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import textwrap
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PACKAGE_DIRS: dict[str, str] = PYPROJECT["tool"]["setuptools"]["package-dir"]  # import name -> folder in the tree
TIMEOUT = 600
YEAR = "2026"

BUILDS_OFFLINE = textwrap.dedent("""
    import importlib.util, sys
    import setuptools
    version = tuple(int(p) for p in setuptools.__version__.split(".")[:2])
    sys.exit(0 if importlib.util.find_spec("wheel") or version >= (70, 1) else 1)
""")


def cannot(reason: str):
    print(reason)
    pytest.skip(reason)


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT, **kwargs)


def site_dirs() -> list[str]:
    """This Python's site-packages folders (where duty-tui's dependencies are), not this checkout."""
    dirs = [*site.getsitepackages(), site.getusersitepackages()]
    return [d for d in dict.fromkeys(dirs) if os.path.isdir(d) and not Path(d).resolve().is_relative_to(ROOT)]


def listing(dirs: list[str]) -> dict[str, list[str]]:
    return {d: sorted(os.listdir(d)) for d in dirs}


# -- the wheel ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """duty-tui's wheel, built offline, without build isolation, from a copy of this tree (a
    build writes build/ and *.egg-info where it builds; the tree is shared)."""
    if run([sys.executable, "-c", BUILDS_OFFLINE]).returncode != 0:
        cannot(f"no offline wheel builder for {sys.executable} (setuptools 70.1 or later, or setuptools with wheel): "
               "pip would fetch one from the index to build in isolation")
    where = tmp_path_factory.mktemp("wheel")
    tree = where / "duty-tui"
    tree.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    for name in ("pyproject.toml", PYPROJECT["project"]["readme"]):
        shutil.copy2(ROOT / name, tree / name)
    for folder in dict.fromkeys(Path(d).parts[0] for d in PACKAGE_DIRS.values()):
        shutil.copytree(ROOT / folder, tree / folder, ignore=ignore)
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--no-cache-dir",
                 "--disable-pip-version-check", "--no-input", "-w", str(where / "dist"), str(tree)], cwd=where)
    assert built.returncode == 0, built.stdout + built.stderr
    wheels = list((where / "dist").glob("duty_tui-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def shipped_files() -> dict[str, Path]:
    """Every file of the packages as the wheel must hold it (its path in the wheel -> in the tree)."""
    out = {}
    for package, folder in PACKAGE_DIRS.items():
        if "." in package:  # a subpackage mapped on its own would be listed twice
            continue
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                out["/".join((package, *path.relative_to(ROOT / folder).parts))] = path
    return out


def test_the_wheel_holds_every_file_of_the_packages_and_the_entry_points_of_pyproject(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        info = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        entry_points = zf.read(info).decode("utf-8")
    expected = shipped_files()
    assert any(name.endswith(".tcss") for name in expected) and "duty_tui/py.typed" in expected
    missing = sorted(name for name in expected if name not in names)
    assert not missing, f"files of the packages that the wheel leaves out (pyproject.toml's package-data or packages): {missing}"
    stray = sorted(n for n in names if not n.startswith(tuple(f"{p}/" for p in PACKAGE_DIRS)) and ".dist-info/" not in n)
    assert not stray, f"the wheel holds files outside its packages: {stray}"
    for name, target in PYPROJECT["project"]["entry-points"]["duty_tui"].items():
        assert f"{name} = {target}" in entry_points
    assert "duty = duty_tui.cli:main" in entry_points


# -- the environment -------------------------------------------------------------------------------------


@dataclass
class Venv:
    path: Path
    env: dict[str, str]
    work: Path  # the cwd of every command: neither this checkout nor the environment

    @property
    def python(self) -> str:
        return str(self.path / "bin" / "python")

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return run([self.python, *args], cwd=self.work, env=self.env)

    def duty(self, *args: str) -> subprocess.CompletedProcess:
        """The installed console script, as a user types it."""
        return run([str(self.path / "bin" / "duty"), *args], cwd=self.work, env=self.env)


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Venv:
    where = tmp_path_factory.mktemp("venv")
    path, work = where / "venv", where / "work"
    work.mkdir()
    made = run([sys.executable, "-m", "venv", "--without-pip", str(path)])
    if made.returncode != 0:
        cannot(f"cannot create a virtual environment with {sys.executable}: {made.stderr.strip() or made.stdout.strip()}")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DUTY_", "PYTHON", "PIP_", "VIRTUAL_ENV", "XDG_"))}
    env.update(DUTY_CONFIG=str(where / "no-config.toml"), DUTY_LANG="en", HOME=str(where / "home"),
               XDG_DATA_HOME=str(where / "data"), XDG_CONFIG_HOME=str(where / "config"), PIP_NO_INPUT="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1", VIRTUAL_ENV=str(path), PATH=f"{path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    v = Venv(path, env, work)
    purelib = Path(v.run("-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    assert purelib.is_relative_to(path), purelib
    deps = site_dirs()
    (purelib / "_duty_test_dependencies.pth").write_text("".join(f"{d}\n" for d in deps), encoding="utf-8")
    seen = v.run("-c", "import pip, click, textual, sqlalchemy")
    if seen.returncode != 0:
        cannot(f"the new virtual environment does not see pip and duty-tui's dependencies in {deps}: {seen.stderr.strip()}")
    before = listing(deps)
    done = v.run("-m", "pip", "install", "--no-index", "--no-deps", "--ignore-installed", "--no-cache-dir", "--no-input",
                 "--disable-pip-version-check", str(wheel))
    assert done.returncode == 0, done.stdout + done.stderr
    assert listing(deps) == before, "installing the wheel changed this Python's site-packages"
    return v


PROBE = textwrap.dedent("""
    import importlib.metadata as md, json, sys
    import duty_tui
    dist = md.distribution("duty-tui")
    loaded = {ep.name: getattr(ep.load(), "__file__", None) for ep in md.entry_points(group="duty_tui")}
    missing = []
    for req in dist.requires or []:
        if "extra ==" in req:
            continue
        name = req.split(";")[0].split("[")[0].strip()
        for op in "<>=!~ ":
            name = name.split(op)[0]
        try:
            md.version(name)
        except md.PackageNotFoundError:
            missing.append(name)
    print(json.dumps({"duty_tui": duty_tui.__file__, "dist": str(dist.locate_file("duty_tui/__init__.py")), "version": dist.version,
                      "entry_points": loaded, "missing": missing,
                      "finders": [repr(f) for f in sys.meta_path if "editable" in repr(f).lower()]}))
""")


def test_the_environment_runs_the_wheels_copy_not_this_checkout(venv):
    probed = venv.run("-c", PROBE)
    assert probed.returncode == 0, probed.stderr
    seen = json.loads(probed.stdout)
    inside = lambda p: p is not None and Path(p).resolve().is_relative_to(venv.path.resolve())  # noqa: E731
    assert inside(seen["duty_tui"]) and inside(seen["dist"]), seen
    assert seen["finders"] == [], "this checkout's editable install reaches into the environment"
    assert seen["version"] == PYPROJECT["project"]["version"]
    assert set(seen["entry_points"]) == set(PYPROJECT["project"]["entry-points"]["duty_tui"])
    outside = {name: f for name, f in seen["entry_points"].items() if not inside(f)}
    assert not outside, f"entry points resolved outside the environment: {outside}"
    assert seen["missing"] == [], f"dependencies of duty-tui the environment cannot find: {seen['missing']}"
    assert (venv.path / "bin" / "duty").is_file()


def test_the_installed_duty_says_its_version(venv):
    shown = venv.duty("--version")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == f"duty, version {PYPROJECT['project']['version']}"


@pytest.fixture(scope="module")
def demo(venv) -> str:
    """The demo town, made by the installed ``duty``, in a store of the environment's folder."""
    url = f"sqlite:///{venv.path.parent / 'demo.db'}"
    made = venv.duty("--db", url, "demo", "--no-tui", "--year", YEAR)
    assert made.returncode == 0, made.stdout + made.stderr
    return url


def test_every_shipped_plugin_and_backend_loads_from_the_environment(venv, demo):
    listed = venv.duty("--db", demo, "plugins", "--json")
    assert listed.returncode == 0, listed.stderr
    plugins = {p["module"]: p for p in json.loads(listed.stdout)}
    shipped = [f"duty_tui_plugins.{d.name}" for d in sorted((ROOT / "plugins").iterdir()) if (d / "__init__.py").is_file()]
    backends = [target for target in PYPROJECT["project"]["entry-points"]["duty_tui"].values() if target.startswith("duty_tui_storage.")]
    assert shipped and backends
    for module in [*shipped, *backends]:
        assert module in plugins, f"{module} is not registered in the installed package"
        entry = plugins[module]
        assert (entry["status"], entry["source"], entry["error"]) == ("loaded", "duty-tui", None), entry
        assert Path(entry["path"]).resolve().is_relative_to(venv.path.resolve()), entry
    assert not [p for p in plugins.values() if p["status"] != "loaded"]


def test_the_installed_duty_checks_reports_exports_and_imports_the_demo_town(venv, demo):
    check = venv.duty("--db", demo, "check", "--year", YEAR, "--json")
    assert check.returncode in (0, 1), check.stdout + check.stderr  # 5 would be a rule that could not run
    findings = json.loads(check.stdout)
    assert findings and all(f["severity"] != "failed" for f in findings)
    report = venv.path.parent / "report.docx"
    written = venv.duty("--db", demo, "report", "--year", YEAR, "--format", "docx", "-o", str(report))
    assert written.returncode == 0 and report.stat().st_size > 0, written.stderr
    exported = venv.path.parent / "demo.json"
    assert venv.duty("--db", demo, "export", str(exported)).returncode == 0
    imported = venv.duty("--db", f"tinydb:///{venv.path.parent / 'moved.json'}", "import", str(exported))
    assert imported.returncode == 0, imported.stderr


TUI_PROBE = textwrap.dedent("""
    import asyncio, datetime as dt, importlib, inspect, json, pkgutil, sys
    from pathlib import Path
    import duty_tui.tui
    from duty_tui.identity import os_login
    from duty_tui.ledger import Ledger
    from duty_tui.registry import load_registry
    from duty_tui.store import open_store
    from duty_tui.testing import screen_text
    from duty_tui.tui.app import make_app

    sheets = set()
    for info in pkgutil.walk_packages(duty_tui.tui.__path__, "duty_tui.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            paths = getattr(cls, "CSS_PATH", None)
            if cls.__module__ == module.__name__ and paths:
                for p in [paths] if isinstance(paths, str) else paths:
                    sheets.add(str((Path(inspect.getfile(cls)).parent / p).resolve()))

    registry = load_registry()
    ledger = Ledger.for_login(open_store(sys.argv[1], registry), registry, os_login())

    async def main():
        app = make_app(ledger, lang="en", year=int(sys.argv[2]), today=dt.date(int(sys.argv[2]), 6, 30), store_label="venv")
        async with app.run_test(size=(110, 30)) as pilot:
            await pilot.pause()
            return screen_text(app)

    print(json.dumps({"sheets": sorted(sheets), "text": asyncio.run(main())}, ensure_ascii=False))
""")


def test_the_tui_starts_on_the_demo_town_with_every_stylesheet_in_the_environment(venv, demo):
    shown = venv.run("-c", TUI_PROBE, demo, YEAR)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    result = json.loads(shown.stdout.strip().splitlines()[-1])
    assert result["sheets"], "no screen names a stylesheet"
    for sheet in result["sheets"]:
        assert Path(sheet).is_file() and Path(sheet).is_relative_to(venv.path.resolve()), sheet
    assert result["text"].strip(), "the TUI drew nothing"
