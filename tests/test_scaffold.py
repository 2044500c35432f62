"""`duty plugin new NAME` writes a plugin package that is ready to install: its pyproject names the
entry point, its module declares a type, a rule and its setting, its test uses the kit. (That the
package installs and passes its own test in a fresh virtual environment is in
test_example_plugin.py.)"""

from __future__ import annotations

import datetime as dt
import sys
import tomllib

import pytest

from duty_tui.registry import load_registry
from duty_tui.rules import run_rules


@pytest.fixture
def new_plugin(duty_cli, tmp_path):
    def make(name: str, *extra: str, lang: str = "en"):
        return duty_cli("--lang", lang, "plugin", "new", name, "--dir", str(tmp_path / "out"), *extra)

    return make


@pytest.fixture
def import_generated(monkeypatch):
    """Import a package written under ``root/src``, for this test only."""
    import importlib

    imported: list[str] = []

    def load(root, package: str):
        monkeypatch.syspath_prepend(str(root / "src"))
        imported.append(package)
        return importlib.import_module(package)

    yield load
    for package in imported:
        sys.modules.pop(package, None)


def test_the_package_has_the_entry_point_a_pytest_dependency_a_module_and_a_test(new_plugin, tmp_path):
    result = new_plugin("village_archive", "--json")
    assert result.exit_code == 0, result.stderr
    made = result.json()
    root = tmp_path / "out" / "duty-village-archive"
    assert made["path"] == str(root)
    assert sorted(made["files"]) == [".gitignore", "README.md", "pyproject.toml", "src/duty_village_archive/__init__.py",
                                     "tests/test_village_archive.py"]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "duty-village-archive"
    assert project["project"]["entry-points"]["duty_tui"] == {"village_archive": "duty_village_archive"}
    assert any(dep.startswith("duty-tui") for dep in project["project"]["dependencies"])
    assert any(dep.startswith("pytest") for dep in project["project"]["optional-dependencies"]["test"])
    assert project["build-system"]["build-backend"] == "setuptools.build_meta"
    for path in made["files"]:
        if path.endswith(".py"):
            compile((root / path).read_text(encoding="utf-8"), path, "exec")
    test_text = (root / "tests" / "test_village_archive.py").read_text(encoding="utf-8")
    assert "duty_admin" in test_text and "duty_cli" in test_text and "duty_registry" in test_text


def test_the_plugin_it_writes_declares_a_type_a_rule_and_its_setting(new_plugin, tmp_path, import_generated):
    assert new_plugin("village_archive").exit_code == 0
    duty_village_archive = import_generated(tmp_path / "out" / "duty-village-archive", "duty_village_archive")

    registry = load_registry(extra=[("village_archive", duty_village_archive)])
    assert registry.info("village_archive").status == "loaded"
    assert registry.info("village_archive").hooks == ["duty_register_rules", "duty_register_settings", "duty_register_types"]
    assert registry.types["village_archive_activity"].year_field == "date"
    assert registry.settings["village_archive.activities.min"].default == 4
    assert registry.rules["village_archive.activity-count"].area == "village_archive"


def test_the_rule_it_writes_follows_the_year_and_its_setting(new_plugin, tmp_path, import_generated, duty_store_url):
    from duty_tui.ledger import Ledger
    from duty_tui.store import open_store

    assert new_plugin("village_archive").exit_code == 0
    duty_village_archive = import_generated(tmp_path / "out" / "duty-village-archive", "duty_village_archive")

    registry = load_registry(extra=[("village_archive", duty_village_archive)])
    ledger = Ledger.initialise(open_store(duty_store_url, registry), registry, "admin")
    ledger.create("village_archive_activity", {"title": "档案整理", "date": "2026-02-01"})
    rule = ["village_archive.activity-count"]
    assert [f.severity for f in run_rules(ledger, 2026, today=dt.date(2026, 5, 1), rule_ids=rule)] == ["warning"]
    assert [f.severity for f in run_rules(ledger, 2026, today=dt.date(2027, 1, 2), rule_ids=rule)] == ["error"]
    ledger.set_setting("village_archive.activities.min", 1)
    assert run_rules(ledger, 2026, today=dt.date(2027, 1, 2), rule_ids=rule) == []
    ledger.store.close()


def test_dashes_in_the_name_are_read_as_underscores(new_plugin, tmp_path):
    result = new_plugin("online-review", "--json")
    assert result.exit_code == 0
    assert (result.json()["plugin"], result.json()["package"]) == ("online_review", "duty_online_review")


@pytest.mark.parametrize("name, reason", [
    ("VillageArchive", "must be lower-case letters"),
    ("1archive", "must be lower-case letters"),
    ("village archive", "must be lower-case letters"),
    ("档案", "must be lower-case letters"),
    ("archive_", "must be lower-case letters"),
    ("", "cannot be empty"),
    ("duty_archive", "leave out the duty_ prefix"),
    ("class", "is a Python keyword"),
    ("sql", "already installed (from duty-tui)"),
    ("directory", "already installed"),
    ("a" * 31, "too long: 31 characters, at most 30"),
])
def test_a_bad_name_is_refused_naming_the_field_and_why_and_nothing_is_written(new_plugin, tmp_path, name, reason):
    result = new_plugin(name)
    assert result.exit_code == 2
    assert "name: " in result.stderr and reason in result.stderr, result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_bad_name_is_explained_in_chinese_too(new_plugin):
    result = new_plugin("duty_archive", lang="zh")
    assert result.exit_code == 2
    assert "不要加 duty_ 前缀" in result.stderr


def test_an_existing_folder_is_never_overwritten(new_plugin, tmp_path):
    existing = tmp_path / "out" / "duty-village-archive"
    existing.mkdir(parents=True)
    (existing / "pyproject.toml").write_text("# mine\n", encoding="utf-8")
    result = new_plugin("village_archive")
    assert result.exit_code == 2
    assert "dir: " in result.stderr and "already exists; nothing was written" in result.stderr
    assert [p.name for p in existing.iterdir()] == ["pyproject.toml"]
    assert (existing / "pyproject.toml").read_text(encoding="utf-8") == "# mine\n"


def test_a_dir_that_is_a_file_is_refused(duty_cli, tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = duty_cli("plugin", "new", "village_archive", "--dir", str(tmp_path / "notes.txt"))
    assert result.exit_code == 2 and "dir: " in result.stderr and "is not a folder" in result.stderr


def test_the_command_says_what_to_do_next(new_plugin):
    result = new_plugin("village_archive")
    assert "created the plugin village_archive" in result.stdout
    assert "python3 -m pip install -e '.[test]' && python3 -m pytest" in result.stdout
