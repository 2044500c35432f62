"""A plugin's rule or validation that breaks fails alone: the rule becomes one finding of severity
"failed" naming rule and plugin in every face (check, report, scorecard, dashboard), `duty check`
exits 5 (the check is incomplete), a broken validation refuses only the writes it was asked about
(exit 2, naming the plugin, no traceback unless DUTY_DEBUG=1), and strict mode stops with
wording and an exit status of its own (6)."""

from __future__ import annotations

import datetime as dt
import json
import types

import pytest

from duty_tui.areas import Area
from duty_tui.errors import FieldError, ValidationError
from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.plugins import PluginLoadError
from duty_tui.registry import load_registry
from duty_tui.rules import FAILED, Finding, Rule, run_rules
from duty_tui.schema import TEXT, Field, RecordType
from duty_tui.testing import screen_text, wait_until

YEAR = 2026
TODAY = dt.date(2026, 6, 30)


def plugin(**hooks):
    return types.SimpleNamespace(**{name: hookimpl(fn) for name, fn in hooks.items()})


def raises(ctx):
    raise RuntimeError("the rule's own bug")


def returns_a_string(ctx):
    return "all good"


def note_type(name):
    return RecordType(name, L(name, name), (Field("title", TEXT, L("题目", "Title"), required=True),), area="fragile")


def fussy_validate(record_type, after):
    if record_type.name == "fussy_note":
        raise KeyError("date")
    return []


def chatty_validate(record_type):
    return "looks fine to me" if record_type.name == "chatty_note" else None


RAISING = plugin(
    duty_register_areas=lambda register: register(Area("fragile", L("易碎", "Fragile"), order=5)),
    duty_register_rules=lambda register: register(Rule("fragile.raises", "fragile", L("会出错", "Raises"), raises)))
GARBAGE = plugin(
    duty_register_rules=lambda register: register(Rule("fragile.garbage", "fragile", L("返回字符串", "Returns a string"), returns_a_string)))
FUSSY = plugin(duty_register_types=lambda register: register(note_type("fussy_note")), duty_validate=fussy_validate)
CHATTY = plugin(duty_register_types=lambda register: register(note_type("chatty_note")), duty_validate=chatty_validate)

RAISED = "rule fragile.raises of plugin raising failed: RuntimeError: the rule's own bug"
GARBLED = "rule fragile.garbage of plugin garbage failed: returned str, not findings"


@pytest.fixture
def failing(duty_plugins):
    duty_plugins.extend([("raising", RAISING), ("garbage", GARBAGE), ("fussy", FUSSY), ("chatty", CHATTY)])


@pytest.fixture
def cli(failing, duty_cli):
    assert duty_cli("init").exit_code == 0
    return duty_cli


# -- rules: duty check ---------------------------------------------------------------------------

def test_check_json_lists_each_failed_rule_as_a_finding_and_exits_5(cli):
    result = cli("check", "--year", str(YEAR), "--json")
    assert result.exit_code == 5, result.stderr
    findings = json.loads(result.stdout)
    failed = {f["rule"]: f for f in findings if f["severity"] == "failed"}
    assert failed == {
        "fragile.raises": {"rule": "fragile.raises", "severity": "failed", "area": "fragile", "message": RAISED, "records": []},
        "fragile.garbage": {"rule": "fragile.garbage", "severity": "failed", "area": "fragile", "message": GARBLED, "records": []},
    }
    assert any(f["severity"] != "failed" for f in findings), "the other plugins' rules still ran"
    assert "the check is incomplete: 2 rule(s) failed" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_text_names_the_failed_rule_in_either_language(cli):
    result = cli("check", "--year", str(YEAR), "--rule", "fragile.raises")
    assert result.exit_code == 5
    assert "rule failed" in result.stdout and "fragile.raises" in result.stdout and "plugin raising" in result.stdout
    assert "Traceback" not in result.stderr
    zh = cli("--lang", "zh", "check", "--year", str(YEAR), "--rule", "fragile.garbage")
    assert zh.exit_code == 5
    assert "规则出错" in zh.stdout and "插件 garbage 的规则 fragile.garbage 运行出错" in zh.stdout
    assert "检查不完整" in zh.stderr


def test_a_failed_rule_wins_over_errors_and_a_clean_check_still_exits_0(cli):
    erring = cli("check", "--year", "2020", "--rule", "positions.event-approved", "--rule", "leadership.study-count", "--json")
    assert erring.exit_code == 1 and {f["severity"] for f in erring.json()} == {"error"}, "a past year's shortfall is an error"
    both = cli("check", "--year", "2020", "--rule", "leadership.study-count", "--rule", "fragile.raises", "--json")
    assert both.exit_code == 5 and [f["severity"] for f in both.json()] == ["error", "failed"], "errors, then failed rules"
    assert cli("check", "--year", "2020", "--rule", "positions.event-approved").exit_code == 0


def test_duty_debug_prints_the_traceback_of_a_failed_rule(cli, monkeypatch):
    assert "Traceback" not in cli("check", "--year", str(YEAR), "--rule", "fragile.raises").stderr
    monkeypatch.setenv("DUTY_DEBUG", "1")
    result = cli("check", "--year", str(YEAR), "--rule", "fragile.raises")
    assert result.exit_code == 5
    assert "Traceback" in result.stderr and "the rule's own bug" in result.stderr and "in raises" in result.stderr


def test_run_rules_turns_anything_but_findings_into_one_failed_finding(duty_admin):
    def rule(check):
        return Rule("x.r", "x", L("r", "r"), check, plugin="p")

    def half_then_raise(ctx):
        yield ctx.finding("warning", L("a", "a"))
        raise ValueError("midway")

    cases = {
        half_then_raise: "ValueError: midway",
        (lambda ctx: None): "returned None, not findings",
        (lambda ctx: 42): "returned int, not findings",
        (lambda ctx: {"a": 1}): "returned dict, not findings",
        (lambda ctx: ["oops"]): "returned str among its findings, not a Finding",
        (lambda ctx: [ctx.finding("info", "FYI")]): "gave a finding of severity 'info' (it must be error or warning)",
    }
    for check, error in cases.items():
        duty_admin.registry.rules["x.r"] = rule(check)
        assert [(f.severity, f.message.render("en")) for f in run_rules(duty_admin, YEAR, today=TODAY, rule_ids=["x.r"])] == [
            (FAILED, f"rule x.r of plugin p failed: {error}")]
    other = Finding("y.other", "warning", "y", L("b", "b"))
    duty_admin.registry.rules["x.r"] = rule(lambda ctx: [other, None])
    assert run_rules(duty_admin, YEAR, today=TODAY, rule_ids=["x.r"]) == [other], "another rule's Finding is still a Finding"
    duty_admin.registry.rules["x.r"] = rule(lambda ctx: [ctx.finding("error", "a plain string", ["unit-1"])])
    plain = run_rules(duty_admin, YEAR, today=TODAY, rule_ids=["x.r"])
    assert [(f.severity, f.message.render("zh"), f.records) for f in plain] == [("error", "a plain string", ("unit-1",))]


def test_an_area_id_nobody_could_declare_still_shows_as_it_is(duty_plugins, duty_cli):
    """Areas were free strings before plugins declared them: a type or rule that names one a
    declaration would refuse (capitals, a dash) shows by its id in every face, never a traceback."""
    odd = plugin(duty_register_rules=lambda register: register(
        Rule("Village-Archive.r", "Village-Archive", L("r", "r"), lambda ctx: [ctx.finding("warning", "w")])))
    duty_plugins.append(("odd", odd))
    assert duty_cli("init").exit_code == 0
    for args in (("plugins",), ("types",), ("score", "--json"), ("check", "--rule", "Village-Archive.r")):
        result = duty_cli(*args)
        assert result.exit_code == 0 and "Traceback" not in result.stderr, (args, result.stderr)
    assert "Village-Archive" in duty_cli("check", "--rule", "Village-Archive.r").stdout


# -- rules: the report and the scorecard -------------------------------------------------------------

def test_the_annual_report_completes_and_names_the_failed_rules(cli, tmp_path):
    out = tmp_path / "report.md"
    assert cli("config", "set", "org.lang", "en").exit_code == 0  # the report in English (documents follow the store)
    result = cli("report", "--year", str(YEAR), "--format", "md", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    findings = text[text.index("3. Problems"):]  # 三、存在问题 and the list of problems in the attachments
    assert RAISED in findings and GARBLED in findings
    assert "fragile.raises, fragile.garbage failed to run, so the check is incomplete" in findings \
        or "fragile.garbage, fragile.raises failed to run, so the check is incomplete" in findings
    assert "failed to run, so their areas have no score; the total is incomplete" in text, "the scorecard section says why"


def test_duty_score_gives_the_area_no_score_and_totals_the_others(cli):
    result = cli("score", "--year", str(YEAR), "--json")
    assert result.exit_code == 0, result.stderr
    card = result.json()["checks"]  # the checks by area
    fragile = next(a for a in card["areas"] if a["area"] == "fragile")
    assert fragile["score"] is None and sorted(fragile["failed"]) == ["fragile.garbage", "fragile.raises"]
    assert {r["rule"]: (r["points"], r["severity"]) for r in fragile["rules"]} == {
        "fragile.raises": (None, "failed"), "fragile.garbage": (None, "failed")}
    assert card["incomplete"] is True and sorted(card["failed"]) == ["fragile.garbage", "fragile.raises"]
    others = [(a["score"], a["weight"]) for a in card["areas"] if a["area"] != "fragile" and a["weight"]]
    assert all(score is not None for score, _ in others)
    expected = sum(s * w for s, w in others) / sum(w for _, w in others)
    assert card["total"] is not None and abs(card["total"] - expected) < 0.1, "the total is over the other areas"
    assert all(leader["areas"]["fragile"] is None for leader in card["leaders"])

    text = cli("score", "--year", str(YEAR)).stdout
    assert "(incomplete)" in text
    fragile_line = next(line for line in text.splitlines() if line.startswith("Fragile"))
    assert "—" in fragile_line and "no score: rule" in fragile_line and "fragile.raises" in fragile_line
    zh = cli("--lang", "zh", "score", "--year", str(YEAR)).stdout
    assert "运行出错，本方面不计分" in zh and "（不完整）" in zh


# -- validation ---------------------------------------------------------------------------------

def test_a_broken_validation_refuses_only_its_own_writes_naming_the_plugin(cli):
    assert cli("add", "unit", "name=一村", "kind=village").exit_code == 0
    raised = cli("add", "fussy_note", "title=一")
    assert raised.exit_code == 2
    assert "plugin:fussy: plugin fussy's validation failed: KeyError: 'date'" in raised.stderr
    assert "Traceback" not in raised.stderr
    garbled = cli("add", "chatty_note", "title=二", "--json")
    assert garbled.exit_code == 2
    assert garbled.json()["fields"] == [{
        "field": "plugin:chatty", "reason": "plugin chatty's validation failed: returned str 'looks fine to me', not a list of FieldError",
        "reason_zh": "插件 chatty 的校验出错：返回了 str 'looks fine to me'，不是 FieldError 列表"}]
    assert "Traceback" not in garbled.stderr
    assert cli("list", "fussy_note", "--json").json() == [] and cli("list", "chatty_note", "--json").json() == []
    assert [u["name"] for u in cli("list", "unit", "--json").json()] == ["一村"]


def test_duty_debug_prints_the_traceback_of_a_broken_validation(cli, monkeypatch):
    monkeypatch.setenv("DUTY_DEBUG", "1")
    result = cli("add", "fussy_note", "title=一")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "in fussy_validate" in result.stderr


def test_every_write_path_names_the_broken_validation_and_the_rest_answer(failing, duty_admin):
    def answers(record_type):
        if record_type.name != "unit":
            return None
        return [FieldError("name", L("名称重复", "a duplicate name")), "and a string"]

    duty_admin.registry.pm.register(plugin(duty_validate=answers), name="mixed")
    with pytest.raises(ValidationError) as refused:
        duty_admin.create("unit", {"name": "一村", "kind": "village"})
    assert [(e.field, e.reason.render("en")) for e in refused.value.errors] == [
        ("plugin:mixed", "plugin mixed's validation failed: returned list holding str 'and a string', not a list of FieldError")]
    duty_admin.registry.pm.unregister(name="mixed")
    unit = duty_admin.create("unit", {"name": "一村", "kind": "village"})
    assert duty_admin.update(unit.id, {"name": "二村"}).version == 2
    with pytest.raises(ValidationError) as many:
        duty_admin.create_many("fussy_note", [{"title": "一"}, {"title": "二"}])
    assert [e.field for e in many.value.errors] == ["row 1.plugin:fussy", "row 2.plugin:fussy"]
    assert duty_admin.count("fussy_note") == 0


@pytest.mark.duty_installed_plugins("sql", "tinydb")
async def test_the_dashboard_names_the_failed_rules_and_the_form_the_broken_validation(failing, duty_app):
    from duty_tui.tui.screens.main import MainScreen
    from duty_tui.tui.screens.record_form import RecordFormScreen

    async with duty_app(size=(140, 40), year=YEAR, today=TODAY) as pilot:
        app = pilot.app

        def board():
            screen = app.screen
            if isinstance(screen, MainScreen):
                found = screen.query_one("DashboardView").board
                return found if found is not None and not found.pending else None

        fragile = next(a for a in (await wait_until(pilot, board, "the dashboard's rules")).areas if a.area == "fragile")
        assert (fragile.failed, fragile.light) == (2, "failed")
        await wait_until(pilot, lambda: RAISED in screen_text(app) and GARBLED in screen_text(app), "the failed rules on screen")
        assert "Fragile" in screen_text(app) and "rules failed 2" in screen_text(app)

        app.open_list("fussy_note")
        await pilot.press("n")
        form = await wait_until(pilot, lambda: app.screen if isinstance(app.screen, RecordFormScreen) else None, "the form")
        for ch in "标题":
            await pilot.press(ch)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "plugin fussy's validation failed: KeyError: 'date'" in str(form.query_one("#form-errors").render()),
                         "the refusal naming the plugin")
        assert app.screen is form


# -- strict mode -----------------------------------------------------------------------------------

def broken_registration(register):
    raise RuntimeError("bad declaration")


def test_strict_mode_stops_with_its_own_wording_and_exit_status(monkeypatch):
    monkeypatch.setenv("DUTY_STRICT_PLUGINS", "1")
    with pytest.raises(PluginLoadError) as stopped:
        load_registry(extra=[("flaky", plugin(duty_register_types=broken_registration))])
    assert stopped.value.exit_code == 6
    assert stopped.value.render("en") == "strict mode: plugin flaky failed to load (RuntimeError: bad declaration); stopping"
    assert stopped.value.render("zh") == "严格模式：插件 flaky 加载失败（RuntimeError: bad declaration），已停止"

    def duty_register_typez(register):
        pass

    with pytest.raises(PluginLoadError) as misspelt:
        load_registry(extra=[("typo", plugin(duty_register_typez=duty_register_typez))])
    assert misspelt.value.render("en") == "strict mode: plugin typo failed to load (implements hooks that do not exist: duty_register_typez); stopping"


def test_strict_mode_exits_6_from_the_cli_without_a_traceback(duty_plugins, duty_cli, monkeypatch):
    duty_plugins.append(("flaky", plugin(duty_register_types=broken_registration)))
    monkeypatch.setenv("DUTY_STRICT_PLUGINS", "1")
    result = duty_cli("types", "--json")
    assert result.exit_code == 6
    assert "strict mode: plugin flaky failed to load (RuntimeError: bad declaration); stopping" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["exit_code"] == 6


def test_a_link_to_a_disabled_plugins_type_drops_the_link_not_the_plugin():
    """A briefing may name the cases and analyses it makes known, an incident its case, a case
    the post it concerns: links a plugin can do without (``optional_target``). With the plugin
    that owns the target switched off, the linking plugin still loads, without that field."""
    whole = load_registry()
    assert whole.types["briefing"].has_field("cases") and whole.types["case"].has_field("publication")
    assert whole.types["opinion_incident"].has_field("case")
    without = load_registry(disabled=("accountability", "online"))
    assert not without.failures and "briefing" in without.types
    assert not without.types["briefing"].has_field("cases") and without.types["briefing"].has_field("analyses")
    alone = load_registry(disabled=("accountability",))
    assert not alone.failures and not alone.types["opinion_incident"].has_field("case")
    assert alone.types["opinion_incident"].has_field("briefing")
