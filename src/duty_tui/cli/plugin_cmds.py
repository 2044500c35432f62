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
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@pass_env
def plugin_new(env: Env, name: str, parent: str, as_json: bool) -> None:
    """Write a plugin package: pyproject with the entry point, a record type, a rule with its
    setting, and a test using duty-tui's test kit. Never overwrites a folder.
    新建插件包(不会覆盖已有文件夹)。

    NAME is lower_snake_case, e.g. village_archive (package duty_village_archive).
    """
    from ..kit.scaffold import create_plugin

    env.json = as_json
    names, target, written = create_plugin(name, Path(parent))
    if as_json:
        env.emit_json({
            "plugin": names.plugin, "distribution": names.distribution, "package": names.package,
            "record_type": names.record_type, "rule": names.rule, "setting": names.setting,
            "path": str(target.resolve()), "files": [str(p.relative_to(target)) for p in written],
        })
        return
    click.echo(env.t("已创建插件 {plugin}:{path}", "created the plugin {plugin} in {path}", plugin=names.plugin, path=target))
    for path in written:
        click.echo(f"  {path.relative_to(target)}")
    click.echo(env.t("下一步:", "next:"))
    click.echo(f"  cd {target}")
    click.echo("  python3 -m pip install -e '.[test]' && python3 -m pytest")
