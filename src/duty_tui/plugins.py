"""The plugin manager: built by a factory, never at import time.

Built-in plugins and third-party ones load the same way, through the ``duty_tui`` entry-point
group; only the core directory (units and persons, which every plugin refers to) is registered
directly. A plugin that fails to import or to register is recorded with its error, named once on
stderr, and everything else runs. ``DUTY_DISABLE_PLUGINS=a,b`` or ``disable_plugins`` in the
configuration file block plugins by name; ``DUTY_STRICT_PLUGINS=1`` makes a failure fatal.
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
import os
import reprlib
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any, Iterable

import pluggy

from . import hookspecs
from .errors import DutyError, FieldError, PluginFailure
from .i18n import L

ENTRY_POINT_GROUP = "duty_tui"
CORE_PLUGINS = ("duty_tui.directory", "duty_tui.county")
_reported: set[str] = set()


class PluginLoadError(DutyError):
    """Strict mode (``DUTY_STRICT_PLUGINS=1``) stops on the first plugin that fails to load or
    register, with exit status 6 (not 2: nothing the operator typed was wrong)."""

    exit_code = 6

    def __init__(self, plugin: str, error: str):
        self.plugin, self.error = plugin, error
        super().__init__(L("严格模式：插件 {p} 加载失败（{e}），已停止", "strict mode: plugin {p} failed to load ({e}); stopping").format(
            p=plugin, e=error))


class _Refused(Exception):
    """Why the manager refused a plugin (its message is the whole reason)."""


@dataclass
class PluginInfo:
    name: str
    status: str  # loaded | failed | disabled
    source: str  # "core", or the distribution that provides the entry point
    version: str | None = None
    module: str | None = None
    path: str | None = None
    hooks: list[str] = field(default_factory=list)
    error: str | None = None
    traceback: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("name", "status", "source", "version", "module", "path", "hooks", "error")}


def env_list(name: str) -> list[str]:
    return [p.strip() for p in os.environ.get(name, "").split(",") if p.strip()]


def strict_mode() -> bool:
    return os.environ.get("DUTY_STRICT_PLUGINS", "").lower() in ("1", "true", "yes")


def _hooks_of(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    return sorted(hc.name for hc in pm.get_hookcallers(plugin) or [])


def _unknown_hooks(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    return sorted(hc.name for hc in pm.get_hookcallers(plugin) or [] if hc.spec is None)


def make_plugin_manager(
    *,
    disabled: Iterable[str] = (),
    extra: Iterable[tuple[str, object]] = (),
    entry_points: Iterable[md.EntryPoint] | None = None,
    strict: bool | None = None,
) -> tuple[pluggy.PluginManager, list[PluginInfo]]:
    """A new plugin manager with the core, every entry point not disabled, and ``extra``
    (name, plugin object) pairs (tests register plugins this way)."""
    strict = strict_mode() if strict is None else strict
    blocked = set(disabled) | set(env_list("DUTY_DISABLE_PLUGINS"))
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    infos: list[PluginInfo] = []

    def add(name: str, load, source: str, version: str | None, module_name: str | None) -> None:
        if name in blocked and source != "core":  # every plugin refers to units and persons
            infos.append(PluginInfo(name, "disabled", source, version, module_name))
            return
        info = PluginInfo(name, "loaded", source, version, module_name)
        try:
            plugin = load()
            if pm.has_plugin(name) or pm.is_registered(plugin):
                raise _Refused(f"a plugin named {name!r} is already registered")
            pm.register(plugin, name=name)
            unknown = _unknown_hooks(pm, plugin)
            if unknown:
                pm.unregister(plugin)
                raise _Refused(f"implements hooks that do not exist: {', '.join(unknown)}")
            info.hooks = _hooks_of(pm, plugin)
            info.path = getattr(plugin, "__file__", None)
            info.module = info.module or getattr(plugin, "__name__", None)
        except Exception as exc:  # a broken plugin must not take the rest down
            info.status, info.error = "failed", str(exc) if isinstance(exc, _Refused) else f"{type(exc).__name__}: {exc}"
            info.traceback = traceback.format_exc()
            if strict:
                raise PluginLoadError(name, info.error) from exc
        infos.append(info)

    for module_name in CORE_PLUGINS:
        add(module_name.rsplit(".", 1)[-1], lambda m=module_name: importlib.import_module(m), "core", None, module_name)
    eps = md.entry_points(group=ENTRY_POINT_GROUP) if entry_points is None else entry_points
    seen_dists: dict[int, tuple[str, str | None]] = {}
    for ep in sorted(eps, key=lambda e: e.name):
        source, version = _distribution_of(ep, seen_dists)
        add(ep.name, ep.load, source, version, ep.value)
    for name, plugin in extra:
        add(name, lambda p=plugin: p, "test", None, getattr(plugin, "__name__", None))
    return pm, infos


def _distribution_of(ep: md.EntryPoint, seen: dict[int, tuple[str, str | None]]) -> tuple[str, str | None]:
    """(name, version) of the distribution that provides an entry point, its metadata read once
    per distribution (each read parses the METADATA file; every start of the app pays for it)."""
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "?", None
    if id(dist) not in seen:
        meta = dist.metadata
        seen[id(dist)] = (meta["Name"], meta["Version"])
    return seen[id(dist)]


def report_failures(infos: Iterable[PluginInfo], stream=None) -> None:
    """Name each failed plugin on stderr, once per process."""
    stream = stream or sys.stderr
    for info in infos:
        if info.status == "failed" and info.name not in _reported:
            _reported.add(info.name)
            print(f"duty: plugin {info.name!r} failed to load and is skipped ({info.error}); "
                  f"see `duty plugins` · 插件 {info.name} 加载失败,已跳过", file=stream)


class _HookPlan:
    """How :func:`validate_each` calls one hook's implementations, worked out once per set of
    them: ``named`` holds (plugin name, function, argnames) in pluggy's order."""

    __slots__ = ("impls", "wrapped", "named")

    def __init__(self, impls: list) -> None:
        self.impls = impls
        self.wrapped = any(impl.hookwrapper or getattr(impl, "wrapper", False) for impl in impls)
        self.named = [(impl.plugin_name, impl.function, impl.argnames) for impl in reversed(impls)]


def hook_plan(pm: pluggy.PluginManager, hook_name: str, plans: dict[str, Any] | None = None) -> _HookPlan:
    """The plan for a hook's current implementations, from ``plans`` while they stay the same."""
    impls = getattr(pm.hook, hook_name).get_hookimpls()
    plan = plans.get(hook_name) if plans is not None else None
    if plan is None or plan.impls != impls:
        plan = _HookPlan(impls)
        if plans is not None:
            plans[hook_name] = plan
    return plan


def call_each(pm: pluggy.PluginManager, hook_name: str, **kwargs: Any):
    """Call every implementation of a hook separately, in pluggy's own order (``tryfirst``
    first, ``trylast`` last, else the latest registered first), yielding (plugin name, result or
    the exception it raised), so one plugin's failure is its own."""
    caller = getattr(pm.hook, hook_name)
    for impl in reversed(caller.get_hookimpls()):
        try:
            yield impl.plugin_name, impl.function(**{a: kwargs[a] for a in impl.argnames}), None
        except Exception as exc:
            yield impl.plugin_name, None, exc


def validation_failed(plugin: str, error: "L | str", exc: BaseException | None = None) -> PluginFailure:
    """The refusal of a write whose ``duty_validate`` in ``plugin`` could not say (it raised, or
    answered with something other than a list of FieldErrors)."""
    return PluginFailure(f"plugin:{plugin}", L("插件 {plugin} 的校验出错：{error}", "plugin {plugin}'s validation failed: {error}").format(
        plugin=plugin, error=error), plugin, exc)


def field_errors_of(plugin: str, answer: Any) -> list[FieldError]:
    """A ``duty_validate`` answer as FieldErrors: a list or tuple of them as it is, anything else
    one :func:`validation_failed` naming what came back."""
    if isinstance(answer, (list, tuple)) and all(isinstance(e, FieldError) for e in answer):
        return list(answer)
    bad = answer if not isinstance(answer, (list, tuple)) else next(e for e in answer if not isinstance(e, FieldError))
    what = type(bad).__name__ if bad is answer else f"{type(answer).__name__} holding {type(bad).__name__}"
    return [validation_failed(plugin, L("返回了 {what} {value}，不是 FieldError 列表", "returned {what} {value}, not a list of FieldError").format(
        what=what, value=reprlib.repr(bad)))]


def validate_each(pm: pluggy.PluginManager, plans: dict[str, Any] | None, **kwargs: Any) -> list[FieldError]:
    """Every ``duty_validate`` implementation on its own (from the cached plan: a write asks on
    every save, and a try costs nothing until something raises). One that raises or answers with
    something other than FieldErrors becomes a :class:`PluginFailure` naming it; the others'
    answers stand."""
    plan = hook_plan(pm, "duty_validate", plans)
    if plan.wrapped:
        return _validate_wrapped(pm, plan, kwargs)
    errors: list[FieldError] = []
    for plugin, function, argnames in plan.named:
        try:
            answer = function(*[kwargs[a] for a in argnames])
        except Exception as exc:  # one plugin's broken validation refuses the write, naming it
            errors.append(validation_failed(plugin, f"{type(exc).__name__}: {exc}", exc))
            continue
        if answer is not None and (answer.__class__ is not list or answer):  # [] is the usual answer: nothing to look at
            errors.extend(field_errors_of(plugin, answer))
    return errors


def _validate_wrapped(pm: pluggy.PluginManager, plan: _HookPlan, kwargs: dict[str, Any]) -> list[FieldError]:
    """With a hook wrapper pluggy calls the implementations together: a failure is named after
    the implementation the traceback ends in (or every plugin of the hook)."""
    everyone = ", ".join(name for name, _, _ in plan.named)
    try:
        answers = pm.hook.duty_validate(**kwargs)
    except Exception as exc:
        codes = {getattr(function, "__code__", None): name for name, function, _ in plan.named}
        frames = [frame.f_code for frame, _ in traceback.walk_tb(exc.__traceback__)]
        plugin = next((codes[c] for c in reversed(frames) if c in codes), everyone)
        return [validation_failed(plugin, f"{type(exc).__name__}: {exc}", exc)]
    return [e for answer in answers for e in field_errors_of(everyone, answer)]
