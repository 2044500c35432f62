"""``duty plugin new NAME``: write a ready plugin package (see :mod:`duty_tui.kit.scaffold`)."""

from __future__ import annotations

from pathlib import Path

import click

from . import Env, cli, pass_env


@cli.group("plugin")
def plugin_group() -> None:
    """Write plugins of your own. 编写插件。

    `duty plugins` lists what is installed; docs/plugins.md describes every hook.
    """


@plugin_group.command("new")
@click.argument("name")
@click.option("--dir", "parent", metavar="PATH", default=".", show_default=True,
              help="The folder to create the package in (as PATH/duty-NAME).")
@click.option("--label-zh", "label_zh", metavar="中文名",
              help="The area's name in Chinese, e.g. 档案管理 (default: the placeholder 待命名, to replace).")
@click.option("--label-en", "label_en", metavar="NAME", help="The area's name in English (default: NAME in words).")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@pass_env
def plugin_new(env: Env, name: str, parent: str, label_zh: str | None, label_en: str | None, as_json: bool) -> None:
    """Write a plugin package: pyproject with the entry point, the plugin's area, a record type,
    a rule with its setting, and a test using duty-tui's test kit. Never overwrites a folder.
    新建插件包(不会覆盖已有文件夹)。

    NAME is lower_snake_case, e.g. village_archive (package duty_village_archive).
    """
    from ..kit.scaffold import create_plugin

    env.json = as_json
    names, target, written = create_plugin(name, Path(parent), label_zh=label_zh, label_en=label_en)
    if as_json:
        env.emit_json({
            "plugin": names.plugin, "distribution": names.distribution, "package": names.package,
            "area": names.plugin, "label": {"zh": names.label_zh, "en": names.title}, "placeholder": names.placeholder,
            "record_type": names.record_type, "rule": names.rule, "setting": names.setting,
            "path": str(target.resolve()), "files": [str(p.relative_to(target)) for p in written],
        })
        return
    click.echo(env.t("已创建插件 {plugin}：{path}", "created the plugin {plugin} in {path}", plugin=names.plugin, path=target))
    for path in written:
        click.echo(f"  {path.relative_to(target)}")
    if names.placeholder:
        click.echo(env.t("注意：中文名称暂为“{label}”：请在 src/{package}/__init__.py 的 ZH 处改为本领域的名称（或用 --label-zh 重新生成）",
                         "note: the Chinese name is the placeholder {label}: set ZH in src/{package}/__init__.py to the area's name "
                         "(or make the package again with --label-zh)", label=names.label_zh, package=names.package))
    click.echo(env.t("下一步：", "next:"))
    click.echo(f"  cd {target}")
    click.echo("  python3 -m pip install -e '.[test]' && python3 -m pytest")
