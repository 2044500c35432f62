"""``duty`` (bare) opens the TUI; ``duty demo`` builds the sample town in a new store first."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from typing import TYPE_CHECKING

import click

from . import Env, cli, pass_env

if TYPE_CHECKING:
    from ..ledger import Ledger


def run_tui(env: Env, ledger: "Ledger") -> None:
    """Open the TUI acting through ``ledger``, in the operator's language and keymap. Forms left
    with changes may be kept as drafts (the operator's own folder, for this store and user), as
    in login mode: offered at the next start, kept on a hang-up."""
    from .. import login
    from ..present.imprint import SET_ORG_NAME, org_name
    from ..tui.app import make_app
    from ..tui.drafts import Drafts

    keymap = env.config.extra.get("keymap") if isinstance(env.config.extra.get("keymap"), dict) else {}
    # an admin of a store nobody named is told once how to name it (its reports say 未设置单位名称)
    notices = [SET_ORG_NAME] if ledger.can("settings") and not org_name(ledger) else []
    app = make_app(ledger, lang=env.lang, keymap=keymap, notices=notices)
    app.drafts = Drafts(ledger.store.url, user=ledger.user.name)
    login.run_app(app)


def launch(ctx: click.Context, env: Env) -> None:
    """The bare command: the TUI on a terminal, the help text anywhere else (a pipe, a script)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo(ctx.get_help())
        return
    run_tui(env, env.ledger)


def login_shell(ctx: click.Context, env: Env) -> None:
    """``duty --login-shell`` (sshd's ForceCommand): the TUI in login mode, or exit 2 without a
    terminal or with a subcommand (an operator's login runs nothing else)."""
    from .. import login

    if ctx.invoked_subcommand is not None:
        click.echo(env.t("登录模式不接受子命令。", "login mode runs no subcommand."), err=True)
        ctx.exit(2)
    if not login.has_terminal():
        click.echo(login.NO_TTY.render(env.lang), err=True)
        ctx.exit(2)
    login.scrub_environment()
    keymap = env.config.extra.get("keymap") if isinstance(env.config.extra.get("keymap"), dict) else {}
    ctx.exit(login.run(env.ledger, lang=env.lang, keymap=keymap))


def demo_store_url(ctx: click.Context, env: Env, fresh: bool) -> tuple[str, bool]:
    """The store for the demo: the one named by --db or DUTY_DB (it must be new), else a demo
    file of its own in the user data folder, never the configured store. That file is made anew
    each time unless someone worked in it since it was made (its audit head is not the one the
    demo left, kept beside it): then it is kept, and ``--fresh`` is what replaces it."""
    explicit = ctx.find_root().params.get("db") or os.environ.get("DUTY_DB")
    if explicit:
        return explicit, True
    from platformdirs import user_data_dir

    path = Path(user_data_dir("duty-tui")) / "demo.db"
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        click.echo(env.t("已创建文件夹 {path}", "created the folder {path}", path=path.parent), err=True)
    if path.exists() and not fresh:
        left = demo_head(path.with_name("demo.head"))
        now = store_head(f"sqlite:///{path}", env)
        if now is not None and now != left:
            raise ChangedDemo(env.t(
                "示例存储 {path} 在生成后有人改动过（审计链现有 {n} 条），不会覆盖；要重新生成，请运行 duty demo --fresh,"
                "要继续使用,请运行 duty --db sqlite:///{path}",
                "the demo store {path} was changed after it was made (its audit chain now holds {n} entries) and is not "
                "overwritten: `duty demo --fresh` makes it anew, `duty --db sqlite:///{path}` opens it as it is",
                path=path, n=now[0]))
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}", False


class ChangedDemo(click.ClickException):
    exit_code = 4  # as a conflict: someone worked in it since


def demo_head(marker: Path) -> tuple[int, str] | None:
    try:
        n, digest = marker.read_text(encoding="utf-8").split()
        return int(n), digest
    except (OSError, ValueError):
        return None


def store_head(url: str, env: Env) -> tuple[int, str] | None:
    """The audit head (entries, last hash) of the store at ``url``; None when it cannot be read."""
    from ..errors import DutyError
    from ..store import open_store

    from ..ledger import Ledger

    try:
        store = open_store(url, env.registry)
        try:
            return ledger_head(Ledger.for_login(store, env.registry, env.login))
        finally:
            store.close()
    except (DutyError, OSError, Exception):  # an unreadable old demo file is not a changed one
        return None


def ledger_head(ledger) -> tuple[int, str]:
    newest = ledger.audit_page(limit=1)
    return (newest[0].seq, newest[0].hash) if newest else (0, "")


@cli.command("demo")
@click.option("--no-tui", is_flag=True, help="Only create the sample town; do not open the TUI.")
@click.option("--year", type=int, help="The year the sample records belong to (default: this year).")
@click.option("--fresh", is_flag=True, help="Make the demo store anew even if it was changed since it was made.")
@click.pass_context
@pass_env
def demo_cmd(env: Env, ctx: click.Context, no_tui: bool, year: int | None, fresh: bool) -> None:
    """A sample town in a new store, then the TUI. 创建示例乡镇并打开界面。"""
    from ..demo import DEMO_ZONE, create_demo, summary
    from ..store import open_store

    url, explicit = demo_store_url(ctx, env, fresh)
    store = open_store(url, env.registry)
    town = create_demo(store, env.registry, env.login, year=year, timezone=DEMO_ZONE)
    if not explicit:  # what the demo left, so the next `duty demo` can tell whether anyone worked in it since
        from platformdirs import user_data_dir

        marker = Path(user_data_dir("duty-tui")) / "demo.head"
        head = ledger_head(town.ledger)
        marker.write_text(f"{head[0]} {head[1]}\n", encoding="utf-8")
    click.echo(env.t("已创建 {url}", "created {url}", url=url) + " · " + summary(town).render(env.lang), err=not no_tui)
    for step, error in town.failures:
        click.echo(env.t("示例数据 {step} 出错：{error}", "sample data from {step} failed: {error}", step=step, error=error), err=True)
    if not no_tui:
        run_tui(env, town.ledger)
