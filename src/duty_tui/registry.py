"""What the loaded plugins declared: record types, rules, settings, backends, screens, commands.

Each plugin's registrations are collected on their own; one that raises, declares a type twice or
points a reference at a type nobody declared is marked failed, its registrations are dropped,
and the rest stand.
"""

from __future__ import annotations

import dataclasses

import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import pluggy

from .areas import Area, undeclared
from .errors import NotFound
from .i18n import L
from .plugins import PluginInfo, PluginLoadError, make_plugin_manager, strict_mode
from .rules import Rule
from .schema import NUMBER, RecordType
from .settings import Setting, non_negative

KINDS = {
    "areas": ("duty_register_areas", Area, lambda x: x.id),
    "types": ("duty_register_types", RecordType, lambda x: x.name),
    "rules": ("duty_register_rules", Rule, lambda x: x.id),
    "settings": ("duty_register_settings", Setting, lambda x: x.key),
    "screens": ("duty_register_screens", object, lambda x: getattr(x, "id", id(x))),
    "commands": ("duty_register_commands", object, lambda x: getattr(x, "id", id(x))),
    "reports": ("duty_register_reports", object, lambda x: getattr(x, "id", id(x))),
}


@dataclass
class Registry:
    pm: pluggy.PluginManager
    plugins: list[PluginInfo]
    areas_declared: dict[str, Area] = field(default_factory=dict)
    types: dict[str, RecordType] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    settings: dict[str, Setting] = field(default_factory=dict)
    backends: dict[str, Callable[[str], Any]] = field(default_factory=dict)
    screens: dict[Any, Any] = field(default_factory=dict)
    commands: dict[Any, Any] = field(default_factory=dict)
    reports: dict[Any, Any] = field(default_factory=dict)
    backend_owner: dict[str, str] = field(default_factory=dict)

    @property
    def failures(self) -> list[PluginInfo]:
        return [p for p in self.plugins if p.status == "failed"]

    def info(self, name: str) -> PluginInfo | None:
        return next((p for p in self.plugins if p.name == name), None)

    def type(self, name: str) -> RecordType:
        rt = self.types.get(name)
        if rt is None:
            raise NotFound(L("没有记录类型 “{name}”（已有：{known}）", "there is no record type {name!r} (have: {known})").format(
                name=name, known=", ".join(sorted(self.types))))
        return rt

    def area(self, area_id: str) -> Area:
        """The area as its plugin declared it (an undeclared one: its id, last, not scored)."""
        return self.areas_declared.get(area_id) or undeclared(area_id)

    def area_list(self) -> list[Area]:
        """Every area that is declared or that a record type, rule or screen names, in order."""
        used = [t.area for t in self.types.values()] + [r.area for r in self.rules.values()]
        used += [getattr(s, "area", None) for s in self.screens.values()]
        ids = dict.fromkeys([*self.areas_declared, *(a for a in used if isinstance(a, str) and a)])
        return sorted((self.area(a) for a in ids), key=lambda a: (a.order, a.id))

    def areas(self) -> list[str]:
        """The ids of :meth:`area_list`, in order."""
        return [a.id for a in self.area_list()]

    def undeclared_areas(self) -> list[str]:
        return [a.id for a in self.area_list() if not a.declared]


def _fail(registry: Registry, plugin: str, exc: BaseException | str) -> None:
    info = registry.info(plugin)
    if info is None:
        info = PluginInfo(plugin, "failed", "?")
        registry.plugins.append(info)
    info.status = "failed"
    info.error = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    if isinstance(exc, BaseException):
        info.traceback = "".join(traceback.format_exception(exc))
    for bucket in ("areas_declared", "types", "rules", "settings", "screens", "commands", "reports"):
        items = getattr(registry, bucket)
        for key in [k for k, v in items.items() if getattr(v, "plugin", None) == plugin]:
            del items[key]
    for scheme in [s for s, owner in registry.backend_owner.items() if owner == plugin]:
        registry.backends.pop(scheme, None)
    if registry.pm.has_plugin(plugin):
        registry.pm.unregister(name=plugin)
    if strict_mode():
        raise PluginLoadError(plugin, info.error)


def _collect(registry: Registry, bucket: str) -> None:
    hook, cls, key_of = KINDS[bucket]
    target = getattr(registry, "areas_declared" if bucket == "areas" else bucket)
    for plugin, exc in _each(registry, hook, bucket, target, cls, key_of):
        if exc is not None:
            _fail(registry, plugin, exc)


def _each(registry: Registry, hook: str, bucket: str, target: dict, cls: type, key_of):
    def make_register(plugin: str, staged: list):
        def register(item: Any) -> None:
            if cls is not object and not isinstance(item, cls):
                raise TypeError(f"{hook} expects {cls.__name__} objects, got {type(item).__name__}")
            staged.append(item)
        return register

    impls = list(getattr(registry.pm.hook, hook).get_hookimpls())
    for impl in impls:
        staged: list = []
        plugin = impl.plugin_name
        try:
            impl.function(**{a: make_register(plugin, staged) for a in impl.argnames})
            for item in staged:
                key = key_of(item)
                if key in target:
                    owner = getattr(target[key], "plugin", "?")
                    raise ValueError(f"{bucket[:-1]} {key!r} is already registered by plugin {owner!r}")
            for item in staged:
                if hasattr(item, "plugin"):
                    try:
                        object.__setattr__(item, "plugin", plugin)
                    except AttributeError:
                        pass
                target[key_of(item)] = item
            yield plugin, None
        except Exception as exc:
            yield plugin, exc


def build_registry(pm: pluggy.PluginManager, infos: list[PluginInfo]) -> Registry:
    registry = Registry(pm, infos)
    for impl in pm.hook.duty_register_backends.get_hookimpls():
        staged: dict[str, Callable] = {}
        try:
            impl.function(**{a: staged.__setitem__ for a in impl.argnames})
            for scheme in staged:
                if scheme in registry.backends:
                    raise ValueError(f"backend {scheme!r} is already registered by {registry.backend_owner[scheme]!r}")
            registry.backends.update(staged)
            registry.backend_owner.update({s: impl.plugin_name for s in staged})
        except Exception as exc:
            _fail(registry, impl.plugin_name, exc)
    for bucket in KINDS:
        _collect(registry, bucket)
    _check_references(registry)
    _area_settings(registry)
    return registry


def _area_settings(registry: Registry) -> None:
    """Each scored area's weight in the scorecard, a setting owned by the area's plugin."""
    for area in list(registry.areas_declared.values()):
        key = area.weight_setting
        if key is None or key in registry.settings:
            continue
        registry.settings[key] = Setting(
            key, NUMBER, area.weight,
            L("考核评分权重：{area}", "scorecard weight: {area}").format(area=area.label),
            help=L("0 表示不计入考核评分", "0 leaves the area out of the scorecard"),
            validators=(non_negative,), plugin=area.plugin)


def _check_references(registry: Registry) -> None:
    """A reference to a type nobody declared fails the plugin that declared it, unless the field
    says it can do without (``optional_target``): then the type goes on without that field."""
    while True:
        for name, t in list(registry.types.items()):
            gone = [f for f in t.references() if f.optional_target and f.target not in registry.types]
            if gone:
                names = {f.name for f in gone}
                registry.types[name] = dataclasses.replace(t, fields=tuple(f for f in t.fields if f not in gone),
                                                           unit_path=tuple(n for n in t.unit_path if n not in names))
        bad = [(t, f) for t in registry.types.values() for f in t.references() if f.target not in registry.types]
        if not bad:
            return
        t, f = bad[0]
        _fail(registry, t.plugin, f"record type {t.name!r}: field {f.name!r} refers to unknown type {f.target!r}")


def load_registry(*, disabled: Iterable[str] = (), extra: Iterable[tuple[str, object]] = (), entry_points=None) -> Registry:
    pm, infos = make_plugin_manager(disabled=disabled, extra=extra, entry_points=entry_points)
    return build_registry(pm, infos)
