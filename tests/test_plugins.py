"""Plugins load through entry points; a broken one is reported and the rest runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import types

import pytest

from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.registry import load_registry
from duty_tui.schema import TEXT, Field, RecordType


def fake_distribution(site, name, module_source, entry_points):
    """An installed distribution as importlib.metadata sees it: a dist-info folder and a module."""
    (site / f"{name}.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
    info = site / f"{name}-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name.replace('_', '-')}\nVersion: 1.2.3\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[duty_tui]\n" + entry_points + "\n", encoding="utf-8")


def run_duty(site, tmp_path, *args, **env_extra):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DUTY_")}
    env = {**clean, "PYTHONPATH": str(site), "DUTY_DB": f"sqlite:///{tmp_path / 'duty.db'}", "DUTY_LANG": "en",
           "DUTY_CONFIG": str(tmp_path / "none.toml"), **env_extra}
    return subprocess.run([sys.executable, "-m", "duty_tui", *args], env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def broken_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    fake_distribution(site, "broken_plugin", "raise RuntimeError('boom at import')\n", "broken = broken_plugin")
    return site


def test_plugin_whose_import_raises_is_listed_as_failed_and_types_still_work(broken_site, tmp_path):
    listed = run_duty(broken_site, tmp_path, "plugins", "--json")
    assert listed.returncode == 0, listed.stderr
    plugins = {p["name"]: p for p in json.loads(listed.stdout)}
    assert plugins["broken"]["status"] == "failed"
    assert "boom at import" in plugins["broken"]["error"]
    assert plugins["broken"]["source"] == "broken-plugin" and plugins["broken"]["version"] == "1.2.3"
    assert plugins["sql"]["status"] == "loaded"
    assert listed.stderr.count("'broken' failed to load") == 1

    types_ = run_duty(broken_site, tmp_path, "types", "--json")
    assert types_.returncode == 0
    assert {"unit", "person"} <= {t["name"] for t in json.loads(types_.stdout)}


def test_a_blocked_plugin_is_not_imported(broken_site, tmp_path):
    listed = run_duty(broken_site, tmp_path, "plugins", "--json", DUTY_DISABLE_PLUGINS="broken")
    plugins = {p["name"]: p for p in json.loads(listed.stdout)}
    assert plugins["broken"]["status"] == "disabled"
    assert "boom" not in listed.stderr


def test_plugins_can_be_blocked_in_the_configuration_file(broken_site, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('disable_plugins = ["broken"]\n', encoding="utf-8")
    listed = run_duty(broken_site, tmp_path, "plugins", "--json", DUTY_CONFIG=str(config))
    assert {p["name"]: p["status"] for p in json.loads(listed.stdout)}["broken"] == "disabled"


def test_strict_mode_makes_a_broken_plugin_fatal(broken_site, tmp_path):
    for args in (("types",), ("--help",)):
        result = run_duty(broken_site, tmp_path, *args, DUTY_STRICT_PLUGINS="1")
        assert result.returncode == 6, "strict mode's own exit status, not 2 (bad input)"
        assert result.stderr.strip() == "strict mode: plugin broken failed to load (RuntimeError: boom at import); stopping"


def _plugin(**hooks):
    module = types.ModuleType("p")
    for name, fn in hooks.items():
        setattr(module, name, hookimpl(fn))
    return module


def _type(name):
    return RecordType(name, L(name, name), (Field("title", TEXT, L("题", "Title")),), area="x")


def test_a_plugin_that_raises_while_registering_is_dropped_whole():
    def register_then_fail(register):
        register(_type("half"))
        raise ValueError("bad declaration")

    registry = load_registry(extra=[("flaky", _plugin(duty_register_types=register_then_fail))])
    assert "half" not in registry.types
    assert registry.info("flaky").status == "failed" and "bad declaration" in registry.info("flaky").error
    assert "unit" in registry.types


def test_a_type_declared_twice_fails_the_second_plugin():
    registry = load_registry(extra=[("first", _plugin(duty_register_types=lambda register: register(_type("thing")))),
                                    ("second", _plugin(duty_register_types=lambda register: register(_type("thing"))))])
    assert registry.types["thing"].plugin == "first"
    assert registry.info("second").status == "failed" and "already registered" in registry.info("second").error


def test_a_misspelt_hook_fails_its_plugin():
    def duty_register_typez(register):
        pass

    registry = load_registry(extra=[("typo", _plugin(duty_register_typez=duty_register_typez))])
    assert registry.info("typo").status == "failed" and "duty_register_typez" in registry.info("typo").error


def test_a_reference_to_an_unknown_type_fails_its_plugin():
    from duty_tui.schema import REFERENCE

    bad = RecordType("orphan", L("孤", "orphan"), (Field("owner", REFERENCE, L("主", "owner"), target="nowhere"),))
    registry = load_registry(extra=[("dangling", _plugin(duty_register_types=lambda register: register(bad)))])
    assert "orphan" not in registry.types and registry.info("dangling").status == "failed"


def test_plugins_json_names_version_source_and_hooks(cli):
    plugins = {p["name"]: p for p in cli("plugins", "--json").json()}
    assert plugins["sql"]["source"] == "duty-tui" and plugins["sql"]["version"]
    assert plugins["sql"]["hooks"] == ["duty_register_backends"]
    assert plugins["directory"]["source"] == "core"


def test_each_registry_has_its_own_plugin_manager(with_sample):
    from tests import sample_plugin

    with_sample_registry = load_registry(extra=[("sample", sample_plugin)])
    plain = load_registry()
    assert "meeting" in with_sample_registry.types and "meeting" not in plain.types


def test_a_failing_after_write_hook_leaves_the_write_standing(with_sample, duty_plugins, duty_admin):
    def explode(ledger, action, record):
        raise RuntimeError("mail server down")

    duty_admin.registry.pm.register(_plugin(duty_after_write=explode), name="notifier")
    seen = []
    duty_admin.registry.pm.register(_plugin(duty_after_write=lambda action, record: seen.append((action, record.id))), name="log")
    unit = duty_admin.create("unit", {"name": "一村", "kind": "village"})
    assert duty_admin.get(unit.id).data["name"] == "一村"
    assert any("mail server down" in w.render("en") for w in unit.warnings)
    assert seen == [("create", "unit-1")]
    duty_admin.create_many("unit", [{"name": "二村", "kind": "village"}])
    assert seen[-1] == ("create", "unit-2")


def test_the_core_directory_cannot_be_disabled(monkeypatch):
    monkeypatch.setenv("DUTY_DISABLE_PLUGINS", "directory")
    registry = load_registry()
    assert {"unit", "person"} <= set(registry.types)


def test_validation_hooks_called_one_by_one_keep_pluggys_order():
    """The ledger calls each duty_validate directly (plugins.validate_each, from a cached plan,
    without pluggy's general machinery): the same implementations in pluggy's order (tryfirst,
    then the latest registered, trylast last), None left out; a hook wrapper still wraps."""
    from duty_tui.errors import FieldError
    from duty_tui.plugins import validate_each

    calls: list[str] = []

    def plugin(name, field, **options):
        @hookimpl(**options)
        def duty_validate(record_type, after):  # a subset of the arguments, as plugins may take
            calls.append(name)
            return None if field is None else [FieldError(field, field)]
        return types.SimpleNamespace(duty_validate=duty_validate)

    registry = load_registry(extra=[("first", plugin("first", "a")), ("quiet", plugin("quiet", None)),
                                    ("last", plugin("last", "b", trylast=True)), ("early", plugin("early", "c", tryfirst=True))])
    args = dict(ledger=None, action="create", record_type=registry.type("unit"), before=None, after={"name": "一村"})
    registry.pm.hook.duty_validate(**args)
    pluggy_order, calls[:] = list(calls), []
    fields = {"first": "a", "last": "b", "early": "c"}
    expected = [fields[name] for name in pluggy_order if name in fields]
    plans: dict = {}
    assert [e.field for e in validate_each(registry.pm, plans, **args)] == expected and calls == pluggy_order
    calls[:] = []
    assert [e.field for e in validate_each(registry.pm, plans, **args)] == expected and calls == pluggy_order  # from the plan
    assert calls[0] == "early" and calls[-1] == "last" and set(calls) == {"early", "first", "quiet", "last"}

    seen: list[str] = []

    class Wrapper:
        @hookimpl(wrapper=True)
        def duty_validate(self, after):
            seen.append("before")
            result = yield
            seen.append("after")
            return result

    wrapped = load_registry(extra=[("first", plugin("first", "a")), ("wrapper", Wrapper())])
    assert [e.field for e in validate_each(wrapped.pm, None, **args)] == ["a"]
    assert seen == ["before", "after"]


def test_registers_makes_the_register_hook_of_a_list():
    """``duty_register_types = registers(TYPES)`` in a plugin registers each type, as the
    hand-written loop does (the built-in plugins declare their lists this way)."""
    from duty_tui.hookspecs import registers

    first = RecordType("first_kind", L("甲", "First"), (Field("name", TEXT, L("名称", "Name")),))
    second = RecordType("second_kind", L("乙", "Second"), (Field("name", TEXT, L("名称", "Name")),))
    plugin = types.SimpleNamespace(duty_register_types=registers([first, second]))
    registry = load_registry(extra=[("listed", plugin)])
    assert registry.types["first_kind"].plugin == "listed" and registry.types["second_kind"].plugin == "listed"
    assert registry.info("listed").status == "loaded"
