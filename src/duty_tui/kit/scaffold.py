"""``duty plugin new NAME``: a plugin package that installs and passes its own test.

The package holds one record type, one rule whose threshold is a setting, a hookimpl for each,
a test that uses duty-tui's test kit, and a ``pyproject.toml`` that registers the plugin under
the ``duty_tui`` entry-point group. Names follow one pattern, so a county's plugins look alike:

======================  ==============================  =========================
NAME                    ``village_archive``             the plugin, its area
distribution / folder   ``duty-village-archive``        what ``pip`` installs
import package          ``duty_village_archive``        what the entry point loads
record type             ``village_archive_activity``
rule / setting          ``village_archive.activity-count`` / ``village_archive.activities.min``
======================  ==============================  =========================

Nothing here imports Textual or touches a store.
"""

from __future__ import annotations

import importlib.metadata as md
import importlib.util
import keyword
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from string import Template

from duty_tui.errors import FieldError, ValidationError
from duty_tui.i18n import L
from duty_tui.plugins import CORE_PLUGINS, ENTRY_POINT_GROUP

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_NAME = 30  # the record type adds "_activity" and must stay within 40 characters


@dataclass(frozen=True)
class PluginNames:
    plugin: str

    @property
    def distribution(self) -> str:
        return "duty-" + self.plugin.replace("_", "-")

    @property
    def package(self) -> str:
        return "duty_" + self.plugin

    @property
    def record_type(self) -> str:
        return f"{self.plugin}_activity"

    @property
    def rule(self) -> str:
        return f"{self.plugin}.activity-count"

    @property
    def setting(self) -> str:
        return f"{self.plugin}.activities.min"

    @property
    def title(self) -> str:
        return self.plugin.replace("_", " ").capitalize()


def plugin_names(name: str) -> PluginNames:
    """The names of a new plugin, or :class:`ValidationError` naming why ``name`` cannot be one.
    Dashes are read as underscores (``village-archive`` is ``village_archive``)."""
    plugin = (name or "").strip().replace("-", "_")
    reason = _name_problem(plugin, (name or "").strip())
    if reason is not None:
        raise ValidationError([FieldError("name", reason)])
    return PluginNames(plugin)


def _name_problem(plugin: str, given: str) -> L | None:
    if not plugin:
        return L("不能为空", "cannot be empty")
    if not NAME_RE.match(plugin) or "__" in plugin or plugin.endswith("_"):
        return L("“{n}” 应由小写字母、数字和 _ 组成,以字母开头,如 village_archive",
                 "{n!r} must be lower-case letters, digits and _, starting with a letter, e.g. village_archive").format(n=given)
    if len(plugin) > MAX_NAME:
        return L("过长:{n} 个字符,最多 {max} 个", "too long: {n} characters, at most {max}").format(n=len(plugin), max=MAX_NAME)
    if plugin.startswith("duty_") or plugin == "duty":
        return L("不要加 duty_ 前缀:包名会是 duty_{n}", "leave out the duty_ prefix: the package is named duty_{n}").format(
            n=plugin.removeprefix("duty_") or "NAME")
    if keyword.iskeyword(plugin):
        return L("“{n}” 是 Python 关键字", "{n!r} is a Python keyword").format(n=plugin)
    taken = _installed_plugins()
    if plugin in taken:
        return L("已有名为 {n} 的插件(来自 {source})", "a plugin named {n!r} is already installed (from {source})").format(
            n=plugin, source=taken[plugin])
    if importlib.util.find_spec("duty_" + plugin) is not None:
        return L("已安装名为 duty_{n} 的 Python 包", "a Python package named duty_{n} is already installed").format(n=plugin)
    return None


def _installed_plugins() -> dict[str, str]:
    """Plugin name → where it comes from, without importing any plugin."""
    taken = {module.rsplit(".", 1)[-1]: "duty-tui" for module in CORE_PLUGINS}
    for ep in md.entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        taken.setdefault(ep.name, dist.metadata["Name"] if dist is not None else ep.value)
    return taken


def create_plugin(name: str, parent: Path | str = ".") -> tuple[PluginNames, Path, list[Path]]:
    """Write the package for plugin ``name`` into a new folder ``parent/duty-NAME``; return the
    names, the folder and the files written. An existing folder is never touched."""
    names = plugin_names(name)
    parent = Path(parent)
    target = parent / names.distribution
    if parent.exists() and not parent.is_dir():
        raise ValidationError([FieldError("dir", L("{path} 不是文件夹", "{path} is not a folder").format(path=parent))])
    try:
        parent.mkdir(parents=True, exist_ok=True)
        target.mkdir()  # claims the folder: fails when it exists, so nothing is overwritten
    except FileExistsError:
        raise ValidationError([FieldError("dir", L("{path} 已存在,未写入任何文件", "{path} already exists; nothing was written").format(
            path=target))]) from None
    except OSError as exc:
        raise ValidationError([FieldError("dir", L("无法创建 {path}:{e}", "cannot create {path}: {e}").format(
            path=target, e=exc.strerror or exc))]) from None
    written: list[Path] = []
    try:
        for relative, template in files_of(names).items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(template, encoding="utf-8")
            written.append(path)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # ours alone: created just above
        raise
    return names, target, written


def duty_tui_version() -> str:
    try:
        return md.version("duty-tui")
    except md.PackageNotFoundError:
        return "0.1.0"


def files_of(names: PluginNames) -> dict[str, str]:
    """Relative path → text of every file of the package."""
    values = {
        "plugin": names.plugin, "package": names.package, "distribution": names.distribution,
        "record_type": names.record_type, "rule": names.rule, "setting": names.setting, "title": names.title,
        "duty_version": duty_tui_version(),
    }
    return {
        "pyproject.toml": Template(PYPROJECT).substitute(values),
        "README.md": Template(README).substitute(values),
        f"src/{names.package}/__init__.py": Template(MODULE).substitute(values),
        f"tests/test_{names.plugin}.py": Template(TEST).substitute(values),
        ".gitignore": "__pycache__/\n*.egg-info/\nbuild/\ndist/\n",
    }


PYPROJECT = '''\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "$distribution"
version = "0.1.0"
description = "$title: a duty-tui plugin"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["duty-tui>=$duty_version"]

[project.optional-dependencies]
test = ["pytest>=8"]

# duty-tui finds its plugins here: the name on the left is the plugin's name in `duty plugins`.
[project.entry-points.duty_tui]
$plugin = "$package"

[tool.setuptools.packages.find]
where = ["src"]

[tool.pytest.ini_options]
testpaths = ["tests"]
'''

README = '''\
# $distribution

$title: a plugin for duty-tui. It adds the record type `$record_type` and the rule `$rule`,
whose threshold is the shared setting `$setting` (`duty config set $setting 6`).

Install it beside duty-tui and run its tests (duty-tui's test kit gives the fixtures):

```sh
python3 -m pip install -e '.[test]' && python3 -m pytest
```

Then `duty plugins` lists it, `duty types $record_type` shows its fields and `duty check` runs its
rule. The hooks a plugin may implement are described in duty-tui's `docs/plugins.md`.
'''

MODULE = '''\
"""$title: a duty-tui plugin.

One record type, one rule whose threshold is a setting. Every text a person reads is given in
Chinese and English (``L(zh, en)``). The hooks a plugin may implement, with examples, are in
duty-tui's docs/plugins.md; nothing here imports Textual.
"""

from __future__ import annotations

from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.rules import Rule
from duty_tui.schema import DATE, LONG_TEXT, REFERENCE, TEXT, Field, RecordType
from duty_tui.settings import Setting, non_negative

AREA = "$plugin"
MIN_ACTIVITIES = "$setting"

ACTIVITY = RecordType(
    name="$record_type",
    label=L("$title 活动", "$title activity"),
    area=AREA,
    fields=(
        Field("title", TEXT, L("题目", "Title"), required=True, indexed=True, searchable=True),
        Field("date", DATE, L("日期", "Date"), required=True, indexed=True),
        Field("unit", REFERENCE, L("单位", "Unit"), target="unit", indexed=True),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    year_field="date",
    list_columns=("title", "date", "unit"),
)


def check_activity_count(ctx):
    """At least the configured number of activities a year: a warning while the year can still
    meet it, an error once it is over (``ctx.shortfall`` applies that)."""
    need = ctx.setting(MIN_ACTIVITIES)
    held = ctx.records(ACTIVITY.name, in_year=True)
    message = L("{year} 年活动 {have}/{need} 次", "{have} of {need} activities in {year}").format(
        year=ctx.year, have=len(held), need=need)
    finding = ctx.shortfall(len(held), need, message, [r.id for r in held])
    return [finding] if finding else []


@hookimpl
def duty_register_types(register):
    register(ACTIVITY)


@hookimpl
def duty_register_settings(register):
    register(Setting(MIN_ACTIVITIES, "integer", 4, L("每年活动次数下限", "Activities a year, at least"),
                     validators=(non_negative,)))


@hookimpl
def duty_register_rules(register):
    register(Rule("$rule", AREA, L("活动次数", "Activity count"), check_activity_count))
'''

TEST = '''\
"""The $plugin plugin, tested with duty-tui's test kit: its fixtures (duty_registry, duty_admin,
duty_cli, ...) come from the duty_tui pytest plugin that installing duty-tui provides."""

from __future__ import annotations

import datetime as dt

import pytest

from duty_tui.rules import run_rules

# Of the installed plugins, only the backends and this one: others' rules stay out of these tests.
pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "$plugin")

TYPE, RULE, SETTING = "$record_type", "$rule", "$setting"


def test_the_plugin_is_installed_and_loads(duty_registry):
    info = duty_registry.info("$plugin")
    assert info is not None and info.status == "loaded", info
    assert info.source == "$distribution"
    assert TYPE in duty_registry.types and RULE in duty_registry.rules and SETTING in duty_registry.settings


def test_too_few_activities_warn_while_the_year_runs_and_are_an_error_once_it_is_over(duty_admin):
    duty_admin.create(TYPE, {"title": "第一次", "date": "2026-03-01"})
    running = run_rules(duty_admin, 2026, today=dt.date(2026, 6, 30), rule_ids=[RULE])
    over = run_rules(duty_admin, 2026, today=dt.date(2027, 1, 10), rule_ids=[RULE])
    assert [(f.severity, f.records) for f in running] == [("warning", ("${record_type}-1",))]
    assert [f.severity for f in over] == ["error"]


def test_the_threshold_is_a_shared_setting(duty_cli):
    assert duty_cli("init").exit_code == 0
    assert duty_cli("add", TYPE, "title=学习", "date=2020-03-01").exit_code == 0
    assert duty_cli("check", "--year", "2020", "--rule", RULE).exit_code == 1, "a past year one short is an error"
    assert duty_cli("config", "set", SETTING, "1").exit_code == 0
    assert duty_cli("check", "--year", "2020", "--rule", RULE, "--json").json() == []
'''
