"""The ``duty`` command: the TUI when bare, and the verbs of the CLI contract.

Exit codes: 0 ok, 1 ``check`` found errors, 2 bad input, 3 not permitted, 4 conflict,
5 ``check`` could not run a rule (a plugin's rule raised or returned something other than
findings: the check is incomplete, so 5 wins over 1), 6 strict mode (``DUTY_STRICT_PLUGINS=1``)
stopped on a plugin that failed to load.
Every error names what was wrong in the operator's language (``--lang``, ``DUTY_LANG``, locale).
``DUTY_DEBUG=1`` also prints the traceback of a plugin's rule or validation that failed.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from functools import cached_property
from typing import Any

import click

from ..config import Config, ConfigError, load_config, resolve_db_url
from ..errors import DutyError, ValidationError
from ..i18n import L, resolve_lang
from ..identity import os_login
from ..safetext import has_surrogates, json_safe, safe_text

EXIT_RULE_FAILED = 5  # `duty check`: a rule failed to run, the check is incomplete (wins over 1)


class Env:
    """What one invocation works with, built lazily so ``--help`` needs no store."""

    def __init__(self, db: str | None, as_user: str | None, lang: str | None, overrides: dict[str, Any] | None,
                 unit: str | None = None):
        self.overrides = overrides or {}
        self.unit = unit
        try:
            self.config: Config = load_config()
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from None
        try:
            self.lang = resolve_lang(lang or self.config.lang)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--lang") from None
        self.db_url = resolve_db_url(db, self.config)
        if has_surrogates(self.db_url):  # DUTY_DB or the configuration file typed on a GBK terminal
            raise click.UsageError(undecodable_message(L("存储地址", "the store URL"), self.db_url).render(self.lang))
        self.as_user = as_user
        self.json = False

    @cached_property
    def registry(self):
        from ..plugins import report_failures
        from ..registry import load_registry

        registry = load_registry(disabled=self.config.disable_plugins, extra=self.overrides.get("plugins", ()),
                                 entry_points=self.overrides.get("entry_points"))
        report_failures(registry.plugins)
        return registry

    @cached_property
    def store(self):
        from ..store import open_store

        return open_store(self.db_url, self.registry)

    @property
    def login(self) -> str:
        return self.overrides.get("login") or os_login()

    @cached_property
    def ledger(self):
        from ..ledger import Ledger

        missing = store_file(self.db_url)
        if missing is not None and not missing.exists():  # opening a store never creates one
            from ..errors import StoreError

            raise StoreError(L("{path} 处没有存储：duty init 会在那里新建一个（或用 --db 指向已有的存储）",
                               "there is no store at {path}: `duty init` makes one there (or --db names the store you have)").format(
                path=str(missing)))
        ledger = Ledger.for_login(self.store, self.registry, self.login, as_user=self.as_user)
        if self.unit:  # --unit: this command works within that unit (within the account's own scope)
            ledger = ledger.narrowed(ledger.unit_named(self.unit))
        return ledger

    def t(self, zh: str, en: str, **kwargs: Any) -> str:
        return L(zh, en).format(**kwargs).render(self.lang) if kwargs else L(zh, en).render(self.lang)

    def emit_json(self, value: Any) -> None:
        # C1 and bidi controls and undecodable bytes a store may hold print as \uXXXX escapes: the same JSON
        click.echo(json_safe(json.dumps(value, ensure_ascii=False, indent=2, default=str)))


def store_file(url: str):
    """The file a file-backed store URL names, resolved (``sqlite:///rel.db`` → the absolute path);
    None for a server or an in-memory store."""
    from pathlib import Path

    for scheme in ("sqlite:///", "tinydb:///"):
        if url.startswith(scheme):
            rest = url[len(scheme):].split("?", 1)[0]
            if not rest or rest == ":memory:":
                return None
            if scheme.startswith("tinydb"):  # always absolute: tinydb:///srv/duty.json is /srv/duty.json
                rest = "/" + rest.lstrip("/")
            return Path(rest).expanduser().resolve()
    return None


def env_of(ctx: click.Context) -> Env:
    root = ctx.find_root()
    if "duty_env" not in root.meta:
        p = root.params
        root.meta["duty_env"] = Env(p.get("db"), p.get("as_user"), p.get("lang"), root.obj if isinstance(root.obj, dict) else None,
                                    p.get("unit"))
    return root.meta["duty_env"]


pass_env = click.make_pass_decorator(Env)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


# Each verb and the module that defines it, imported when the verb is asked for: the bare `duty`
# (the terminal app, an operator's every login) imported all eight modules and what they import
# for nothing, ~30 ms of a start whose target is twice a bare Textual app's (issue 19).
# tests/test_cli_verbs.py holds this map to what the modules register.
VERBS = {
    **dict.fromkeys(("init", "check", "audit", "export", "backup", "import", "plugins", "users", "config"), "admin"),
    **dict.fromkeys(("types", "add", "list", "show", "edit", "delete", "transition"), "records"),
    **dict.fromkeys(("report", "import-ledger", "attach", "evidence"), "report_cmds"),
    "demo": "tui", "due": "due", "bundle": "bundle_cmds", "plugin": "plugin_cmds",
}


class DutyGroup(click.Group):
    """Adds the commands plugins give (per invocation, so nothing leaks between runs) and turns
    duty errors into messages and exit codes."""

    def _plugin_group(self, ctx: click.Context) -> click.Group:
        root = ctx.find_root()
        if "duty_plugin_cli" not in root.meta:
            group = click.Group()
            env = env_of(ctx)
            for impl in env.registry.pm.hook.duty_cli_commands.get_hookimpls():
                try:
                    impl.function(**{a: group for a in impl.argnames})
                except Exception as exc:  # one plugin's broken command must not break `duty --help`
                    click.echo(f"duty: plugin {impl.plugin_name!r} failed to add its commands: {exc}", err=True)
            root.meta["duty_plugin_cli"] = group
        return root.meta["duty_plugin_cli"]

    def list_commands(self, ctx: click.Context) -> list[str]:
        core = sorted(set(self.commands) | set(VERBS))
        return core + sorted(n for n in self._plugin_group(ctx).commands if n not in core)

    def get_command(self, ctx: click.Context, name: str):
        if name in VERBS and name not in self.commands:
            importlib.import_module(f"{__name__}.{VERBS[name]}")  # registers its verbs on `cli`
        return super().get_command(ctx, name) or self._plugin_group(ctx).commands.get(name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        refuse_undecodable(ctx, args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        env = env_of(ctx)
        try:
            result = super().invoke(ctx)
        except DutyError as exc:
            report_error(env, exc)
            ctx.exit(exc.exit_code)
        warn_if_outgrown(env)
        return result


def undecodable_message(index: "int | L", arg: str) -> L:
    """What to tell an operator whose terminal sent an argument that is not UTF-8 (a GBK
    terminal typing 上海 sends C9 CF BA A3, which Python keeps as lone surrogates)."""
    raw = os.fsencode(arg) if has_surrogates(arg) else arg.encode("utf-8", "surrogatepass")
    try:
        guess = raw.decode("gb18030")  # GBK and its superset: what a Chinese Windows terminal sends
    except UnicodeDecodeError:
        guess = ""
    hint_zh = f"(按 GBK 读是 “{safe_text(guess)}”)" if guess else ""
    hint_en = f" (read as GBK it is “{safe_text(guess)}”)" if guess else ""
    shown = "".join(chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}" for b in raw)  # the bytes as they came
    what = L("参数 {n}", "argument {n}").format(n=index) if isinstance(index, int) else index
    return L("{what}（{arg}）不是 UTF-8 编码的文字{hint_zh}：终端的字符编码似乎不是 UTF-8。"
             "请把终端设为 UTF-8(如 PuTTY:窗口 → 转换 → UTF-8;Xshell:编码 → UTF-8),并使用 UTF-8 的区域设置(LANG=zh_CN.UTF-8)后重试;未写入任何内容",
             "{what} ({arg}) is not UTF-8 text{hint_en}: the terminal seems to send another encoding (GBK?). "
             "Set the terminal to UTF-8 (PuTTY: Window → Translation → UTF-8; Xshell: Encoding → UTF-8) and a UTF-8 locale "
             "(LANG=zh_CN.UTF-8), then try again; nothing was written").format(
        what=what, arg=shown, hint_zh=hint_zh, hint_en=hint_en)


def refuse_undecodable(ctx: click.Context, args: list[str]) -> None:
    """Every command, before anything runs: an argument that is not valid UTF-8 (Python decodes
    argv with surrogateescape, so the bytes arrive as lone surrogates) exits 2 naming it and the
    likely cause, in the operator's language; it never reaches a store or a traceback."""
    for index, arg in enumerate(args, start=1):
        if isinstance(arg, str) and has_surrogates(arg):
            lang = _lang_for(args)
            click.echo(undecodable_message(index, arg).render(lang), err=True)
            ctx.exit(2)


def _lang_for(args: list[str]) -> str:
    """The operator's language before options are parsed: --lang, else DUTY_LANG or the locale."""
    wanted = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            wanted = args[i + 1]
        elif arg.startswith("--lang="):
            wanted = arg.split("=", 1)[1]
    for choice in (wanted, None):
        try:
            return resolve_lang(choice)
        except ValueError:
            continue
    return "en"


def warn_if_outgrown(env: Env) -> None:
    """Say so, once per command, when the store that was used has outgrown its backend."""
    store = env.__dict__.get("store")  # only a store this command opened
    message = store.warn_size() if store is not None else None
    if message is not None:
        click.echo(message.render(env.lang), err=True)


def debug_mode() -> bool:
    return os.environ.get("DUTY_DEBUG", "").lower() in ("1", "true", "yes")


def debug_traceback(exc: BaseException | None) -> None:
    """With ``DUTY_DEBUG=1``, the traceback of a plugin's failure on stderr (else nothing)."""
    if exc is not None and debug_mode():
        click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)


def report_error(env: Env, exc: DutyError) -> None:
    # a message may repeat what was typed or stored (`duty show <ESC>[2J` → "there is no record ..."): escaped
    click.echo(safe_text(exc.render(env.lang)), err=True)
    if isinstance(exc, ValidationError):
        for error in exc.errors:
            debug_traceback(getattr(error, "exc", None))
    if env.json:
        body: dict[str, Any] = {"error": type(exc).__name__, "exit_code": exc.exit_code, "message": exc.message.render(env.lang)}
        if isinstance(exc, ValidationError):
            body["fields"] = [e.as_json() for e in exc.errors]
        env.emit_json(body)


@click.group(cls=DutyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="URL", help="Store URL (sqlite:///path, postgresql://..., tinydb:///file.json); else DUTY_DB.")
@click.option("--as", "as_user", metavar="USER", help="Act as another user (admins only).")
@click.option("--lang", metavar="zh|en", help="Language of messages; else DUTY_LANG or the locale.")
@click.option("--unit", metavar="UNIT", envvar="DUTY_UNIT",
              help="Work within one unit and the units below it (a town of a county store, a village): by id or name; else DUTY_UNIT.")
@click.option("--login-shell", is_flag=True, help="Login mode for sshd's ForceCommand (docs/deploy.md): the TUI only, hardened.")
@click.version_option(package_name="duty-tui", prog_name="duty")
@click.pass_context
def cli(ctx: click.Context, db: str | None, as_user: str | None, lang: str | None, unit: str | None, login_shell: bool) -> None:
    """duty-tui: the ideological-work responsibility system, kept as ledgers.

    意识形态工作责任制台账。不带子命令时打开终端界面。
    """
    ctx.obj = env_of(ctx)
    if login_shell:
        from .tui import login_shell as run_login_shell

        run_login_shell(ctx, ctx.obj)
        return
    if ctx.invoked_subcommand is None:
        from .tui import launch

        launch(ctx, ctx.obj)


def main(argv: list[str] | None = None) -> None:
    if hasattr(sys.stdin, "reconfigure"):  # an answer typed on a GBK terminal is refused by name, not a UnicodeDecodeError
        try:
            sys.stdin.reconfigure(errors="surrogateescape")
        except (ValueError, OSError):
            pass
    try:
        cli.main(args=argv, prog_name="duty")
    except DutyError as exc:  # raised before a command runs, e.g. a plugin in strict mode during --help
        try:
            lang = resolve_lang(None)
        except ValueError:
            lang = "en"
        click.echo(safe_text(exc.render(lang)), err=True)
        sys.exit(exc.exit_code)

