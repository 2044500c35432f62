"""``duty plugin new NAME``: a plugin package that installs and passes its own test.

The package declares its area (``Area``, labelled in both languages), one record type, one rule
whose threshold is a setting, a hookimpl for each, a test that uses duty-tui's test kit, and a
``pyproject.toml`` that registers the plugin under the ``duty_tui`` entry-point group. Names
follow one pattern, so a county's plugins look alike:

======================  ==============================  =========================
NAME                    ``village_archive``             the plugin, its area's id
distribution / folder   ``duty-village-archive``        what ``pip`` installs
import package          ``duty_village_archive``        what the entry point loads
record type             ``village_archive_activity``
rule / setting          ``village_archive.activity-count`` / ``village_archive.activities.min``
======================  ==============================  =========================

Labels are Chinese and English, never a mix: the area is ``L(label_zh, label_en)`` and the other
labels are made from it (``档案管理活动`` / ``Village archive activity``). ``label_en`` defaults
to the name in words; without ``label_zh`` the Chinese name is the placeholder :data:`PLACEHOLDER_ZH`
(待命名, "to be named"), which the module marks for the author to replace.

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
PLACEHOLDER_ZH = "待命名"  # "to be named": the Chinese label until the author gives one
MAX_LABEL = 20
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_RE = re.compile(r"[A-Za-z]")
UNSAFE_RE = re.compile(r"[\"'\\{}\x00-\x1f\x7f]")  # would break the generated module's strings or .format()


@dataclass(frozen=True)
class PluginNames:
    plugin: str
    label_zh: str = PLACEHOLDER_ZH
    label_en: str = ""

    @property
    def placeholder(self) -> bool:
        """Whether the Chinese label is still :data:`PLACEHOLDER_ZH`."""
        return self.label_zh == PLACEHOLDER_ZH

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
        """The English label: ``label_en``, else the name in words (``Village archive``)."""
        return self.label_en or self.plugin.replace("_", " ").capitalize()


def plugin_names(name: str, label_zh: str | None = None, label_en: str | None = None) -> PluginNames:
    """The names of a new plugin, or :class:`ValidationError` naming every reason they cannot be.
    Dashes are read as underscores (``village-archive`` is ``village_archive``). ``label_zh`` is
    the area's Chinese name (default: :data:`PLACEHOLDER_ZH`), ``label_en`` its English one."""
    plugin = (name or "").strip().replace("-", "_")
    errors = []
    reason = _name_problem(plugin, (name or "").strip())
    if reason is not None:
        errors.append(FieldError("name", reason))
    zh = PLACEHOLDER_ZH if label_zh is None else label_zh.strip()
    en = "" if label_en is None else " ".join(label_en.split())
    reason = _label_problem(zh, chinese=True) if label_zh is not None else None
    if reason is not None:
        errors.append(FieldError("label-zh", reason))
    reason = _label_problem(en, chinese=False) if label_en is not None else None
    if reason is not None:
        errors.append(FieldError("label-en", reason))
    if errors:
        raise ValidationError(errors)
    return PluginNames(plugin, zh, en)


def _label_problem(label: str, *, chinese: bool) -> L | None:
    if not label:
        return L("不能为空", "cannot be empty")
    if len(label) > MAX_LABEL:
        return L("过长：{n} 个字符，最多 {max} 个", "too long: {n} characters, at most {max}").format(n=len(label), max=MAX_LABEL)
    if UNSAFE_RE.search(label):
        return L("不能含引号、反斜杠、花括号或控制字符", "cannot hold quotes, backslashes, braces or control characters")
    if chinese and (not HAN_RE.search(label) or LATIN_RE.search(label)):
        return L("“{l}” 应为中文名称（不夹英文），如 档案管理", "{l!r} must be a Chinese name (no English in it), e.g. 档案管理").format(l=label)
    if not chinese and HAN_RE.search(label):
        return L("“{l}” 应为英文名称，如 Village archive", "{l!r} must be an English name, e.g. Village archive").format(l=label)
    return None


def _name_problem(plugin: str, given: str) -> L | None:
    if not plugin:
        return L("不能为空", "cannot be empty")
    if not NAME_RE.match(plugin) or "__" in plugin or plugin.endswith("_"):
        return L("“{n}” 应由小写字母、数字和 _ 组成，以字母开头，如 village_archive",
                 "{n!r} must be lower-case letters, digits and _, starting with a letter, e.g. village_archive").format(n=given)
    if len(plugin) > MAX_NAME:
        return L("过长：{n} 个字符，最多 {max} 个", "too long: {n} characters, at most {max}").format(n=len(plugin), max=MAX_NAME)
    if plugin.startswith("duty_") or plugin == "duty":
        return L("不要加 duty_ 前缀：包名会是 duty_{n}", "leave out the duty_ prefix: the package is named duty_{n}").format(
            n=plugin.removeprefix("duty_") or "NAME")
    if keyword.iskeyword(plugin):
        return L("“{n}” 是 Python 关键字", "{n!r} is a Python keyword").format(n=plugin)
    taken = _installed_plugins()
    if plugin in taken:
        return L("已有名为 {n} 的插件（来自 {source}）", "a plugin named {n!r} is already installed (from {source})").format(
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


def create_plugin(name: str, parent: Path | str = ".", *, label_zh: str | None = None,
                  label_en: str | None = None) -> tuple[PluginNames, Path, list[Path]]:
    """Write the package for plugin ``name`` (its area labelled ``label_zh``/``label_en``) into
    a new folder ``parent/duty-NAME``; return the names, the folder and the files written. An
    existing folder is never touched."""
    names = plugin_names(name, label_zh, label_en)
    parent = Path(parent)
    target = parent / names.distribution
    if parent.exists() and not parent.is_dir():
        raise ValidationError([FieldError("dir", L("{path} 不是文件夹", "{path} is not a folder").format(path=parent))])
    try:
        parent.mkdir(parents=True, exist_ok=True)
        target.mkdir()  # claims the folder: fails when it exists, so nothing is overwritten
    except FileExistsError:
        raise ValidationError([FieldError("dir", L("{path} 已存在，未写入任何文件", "{path} already exists; nothing was written").format(
            path=target))]) from None
    except OSError as exc:
        raise ValidationError([FieldError("dir", L("无法创建 {path}：{e}", "cannot create {path}: {e}").format(
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
        "label_zh": names.label_zh, "duty_version": duty_tui_version(),
        "zh_note": ZH_PLACEHOLDER_NOTE if names.placeholder else "the area's name in Chinese and in English",
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

ZH_PLACEHOLDER_NOTE = (f"{PLACEHOLDER_ZH} is a placeholder: write the area's Chinese name here "
                       "(duty plugin new --label-zh does)")

README = '''\
# $distribution

$title ($label_zh): a plugin for duty-tui. It declares the area `$plugin`, and adds the record
type `$record_type` and the rule `$rule`, whose threshold is the shared setting `$setting`
(`duty config set $setting 6`). Its labels are in `src/$package/__init__.py` (`ZH`, `EN`).

Install it beside duty-tui and run its tests (duty-tui's test kit gives the fixtures):

```sh
python3 -m pip install -e '.[test]' && python3 -m pytest
```

Then `duty plugins` lists it, `duty types $record_type` shows its fields under its area, `duty
check` runs its rule, and `duty config set assessment.weight.$plugin 0` leaves the area out of the
scorecard. The hooks a plugin may implement are described in duty-tui's `docs/plugins.md`.
'''

MODULE = '''\
"""$title: a duty-tui plugin.

Its area, one record type, one rule whose threshold is a setting. Every text a person reads is
given in Chinese and English (``L(zh, en)``), each language whole. The hooks a plugin may
implement, with examples, are in duty-tui's docs/plugins.md; nothing here imports Textual.
"""

from __future__ import annotations

from duty_tui.areas import Area
from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.rules import Rule
from duty_tui.schema import DATE, LONG_TEXT, REFERENCE, TEXT, Field, RecordType
from duty_tui.settings import Setting, non_negative

ZH, EN = "$label_zh", "$title"  # $zh_note
# The area shows under this name in every face; order places it (the built-in areas are 10 to 50);
# it counts in the scorecard with the weight setting assessment.weight.$plugin (0 leaves it out).
AREA = Area("$plugin", L(ZH, EN), order=100)
MIN_ACTIVITIES = "$setting"

ACTIVITY = RecordType(
    name="$record_type",
    label=L(f"{ZH}活动", f"{EN} activity"),
    area=AREA.id,
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
    message = L("{year}年活动 {have}/{need} 次", "{have} of {need} activities in {year}").format(
        year=ctx.year, have=len(held), need=need)
    finding = ctx.shortfall(len(held), need, message, [r.id for r in held])
    return [finding] if finding else []


@hookimpl
def duty_register_areas(register):
    register(AREA)


@hookimpl
def duty_register_types(register):
    register(ACTIVITY)


@hookimpl
def duty_register_settings(register):
    register(Setting(MIN_ACTIVITIES, "integer", 4, L(f"每年{ZH}活动次数下限", f"{EN} activities a year, at least"),
                     validators=(non_negative,)))


@hookimpl
def duty_register_rules(register):
    register(Rule("$rule", AREA.id, L(f"{ZH}活动次数", f"{EN} activity count"), check_activity_count))
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
ZH = "$label_zh"  # the area's Chinese name (ZH in the plugin's module)


def test_the_plugin_is_installed_and_loads_with_its_area(duty_registry):
    info = duty_registry.info("$plugin")
    assert info is not None and info.status == "loaded", info
    assert info.source == "$distribution"
    assert TYPE in duty_registry.types and RULE in duty_registry.rules and SETTING in duty_registry.settings
    area = duty_registry.area("$plugin")
    assert area.declared and area.label.zh == ZH and area.plugin == "$plugin"
    assert "assessment.weight.$plugin" in duty_registry.settings, "a scored area has a weight setting"


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
    assert ZH in duty_cli("--lang", "zh", "check", "--year", "2020", "--rule", RULE).stdout, "the area by its Chinese name"
    assert duty_cli("config", "set", SETTING, "1").exit_code == 0
    assert duty_cli("check", "--year", "2020", "--rule", RULE, "--json").json() == []
'''
