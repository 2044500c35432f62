"""`duty plugin new NAME` writes a plugin package that is ready to install: its pyproject names the
entry point, its module declares its area (labelled in Chinese and in English, never a mix), a
type, a rule and its setting, its test uses the kit. (That the
package installs and passes its own test in a fresh virtual environment is in
test_example_plugin.py.)"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tomllib

import pytest

from duty_tui.registry import load_registry
from duty_tui.rules import run_rules


@pytest.fixture
def new_plugin(duty_cli, tmp_path):
    def make(name: str, *extra: str, lang: str = "en"):
        return duty_cli("--lang", lang, "plugin", "new", name, "--dir", str(tmp_path / "out"), *extra)

    make.cli = duty_cli
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
    assert registry.info("village_archive").hooks == ["duty_register_areas", "duty_register_rules", "duty_register_settings",
                                                      "duty_register_types"]
    assert registry.types["village_archive_activity"].year_field == "date"
    assert registry.settings["village_archive.activities.min"].default == 4
    assert registry.rules["village_archive.activity-count"].area == "village_archive"
    area = registry.area("village_archive")
    assert area.declared and area.plugin == "village_archive" and area.scored
    assert registry.types["village_archive_activity"].area == area.id
    assert "assessment.weight.village_archive" in registry.settings, "a scored area gets its weight setting"


def zh_labels(registry, plugin: str) -> dict[str, str]:
    """Every Chinese label the plugin gives: its area, type, rule and settings."""
    labels = {"area": registry.area(plugin).label.zh}
    labels.update({f"type {t.name}": t.label.zh for t in registry.types.values() if t.plugin == plugin})
    labels.update({f"rule {r.id}": r.label.zh for r in registry.rules.values() if r.plugin == plugin})
    labels.update({f"setting {s.key}": s.label.render("zh") for s in registry.settings.values() if s.plugin == plugin})
    return labels


CHINESE_ONLY = re.compile(r"^[^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*$")


def test_without_a_chinese_name_the_labels_are_a_chinese_placeholder_never_half_english(new_plugin, tmp_path, import_generated):
    result = new_plugin("village_archive")
    assert result.exit_code == 0
    assert "the Chinese name is the placeholder 待命名" in result.stdout, "the author is told to replace it"
    module = import_generated(tmp_path / "out" / "duty-village-archive", "duty_village_archive")
    assert "待命名 is a placeholder" in (tmp_path / "out" / "duty-village-archive" / "src" / "duty_village_archive" / "__init__.py").read_text(
        encoding="utf-8"), "the module marks the placeholder where it is set"
    registry = load_registry(extra=[("village_archive", module)])
    labels = zh_labels(registry, "village_archive")
    assert labels == {"area": "待命名", "type village_archive_activity": "待命名活动", "rule village_archive.activity-count": "待命名活动次数",
                      "setting village_archive.activities.min": "每年待命名活动次数下限",
                      "setting assessment.weight.village_archive": "考核评分权重：待命名"}
    assert all(CHINESE_ONLY.match(text) for text in labels.values()), labels
    assert registry.area("village_archive").label.en == "Village archive"
    assert registry.types["village_archive_activity"].label.en == "Village archive activity"


def test_the_chinese_and_english_names_given_label_the_area_and_everything_made_from_it(new_plugin, tmp_path, import_generated,
                                                                                       duty_plugins):
    result = new_plugin("village_archive", "--label-zh", "档案管理", "--label-en", "Archives", "--json")
    assert result.exit_code == 0, result.stderr
    assert (result.json()["label"], result.json()["placeholder"]) == ({"zh": "档案管理", "en": "Archives"}, False)
    module = import_generated(tmp_path / "out" / "duty-village-archive", "duty_village_archive")
    registry = load_registry(extra=[("village_archive", module)])
    assert zh_labels(registry, "village_archive")["type village_archive_activity"] == "档案管理活动"
    assert registry.area("village_archive").label.en == "Archives"
    assert registry.types["village_archive_activity"].label.en == "Archives activity"
    readme = (tmp_path / "out" / "duty-village-archive" / "README.md").read_text(encoding="utf-8")
    assert "Archives (档案管理)" in readme
    duty_plugins.append(("village_archive", module))
    run = lambda *args: new_plugin.cli(*args)  # noqa: E731
    assert run("init").exit_code == 0
    checked = run("--lang", "zh", "check", "--year", "2020", "--rule", "village_archive.activity-count")
    assert checked.exit_code == 1 and "档案管理" in checked.stdout, checked.stdout
    assert "[档案管理]  插件 village_archive" in run("--lang", "zh", "types", "village_archive_activity").stdout


@pytest.mark.parametrize("args, field, reason", [
    (("--label-zh", "Public opinion 活动"), "label-zh", "must be a Chinese name (no English in it)"),
    (("--label-zh", "Archives"), "label-zh", "must be a Chinese name"),
    (("--label-zh", ""), "label-zh", "cannot be empty"),
    (("--label-zh", '档案"管理'), "label-zh", "cannot hold quotes"),
    (("--label-zh", "档" * 21), "label-zh", "too long: 21 characters, at most 20"),
    (("--label-en", "档案"), "label-en", "must be an English name"),
    (("--label-en", "Arch{ives}"), "label-en", "cannot hold quotes, backslashes, braces"),
])
def test_a_bad_label_is_refused_naming_the_option_and_nothing_is_written(new_plugin, tmp_path, args, field, reason):
    result = new_plugin("village_archive", *args)
    assert result.exit_code == 2
    assert f"{field}: " in result.stderr and reason in result.stderr, result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


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
