"""Shared settings (rule thresholds) and `duty check` with its exit code and year semantics."""

from __future__ import annotations

import datetime as dt

from duty_tui.rules import run_rules


def test_config_set_is_typed_audited_and_shared(cli, with_sample):
    assert cli("config", "get", "sample.meetings.min").stdout.strip() == "2"
    assert cli("config", "set", "sample.meetings.min", "5").exit_code == 0
    assert cli("config", "get", "sample.meetings.min", "--json").json() == {"sample.meetings.min": 5}
    entry = cli("audit", "--json").json()[-1]
    assert entry["action"] == "setting.set" and entry["record_id"] == "setting:sample.meetings.min"


def test_config_refuses_bad_values_and_unknown_keys(cli, with_sample):
    bad = cli("config", "set", "sample.meetings.min", "-1")
    assert bad.exit_code == 2 and "sample.meetings.min" in bad.stderr and "negative" in bad.stderr
    assert cli("config", "set", "sample.meetings.min", "many").exit_code == 2
    assert cli("config", "set", "no.such", "1").exit_code == 2
    assert cli("config", "get", "sample.meetings.min").stdout.strip() == "2"


def test_check_exits_1_on_an_error_finding_after_the_year(cli, with_sample):
    cli("add", "meeting", "title=学习", "date=2025-03-01")
    result = cli("check", "--year", "2025", "--rule", "sample.meeting-count", "--json")
    assert result.exit_code == 1
    assert result.json() == [{"rule": "sample.meeting-count", "severity": "error", "area": "sample",
                              "message": "1 of 2 meetings", "records": ["meeting-1"]}]


def test_check_passes_when_the_threshold_is_met(cli, with_sample):
    cli("add", "meeting", "title=学习", "date=2025-03-01")
    cli("config", "set", "sample.meetings.min", "1")
    result = cli("check", "--year", "2025", "--rule", "sample.meeting-count", "--json")
    assert result.exit_code == 0 and result.json() == []


def test_a_shortfall_in_the_running_year_is_a_warning(with_sample, duty_admin):
    duty_admin.create("meeting", {"title": "学习", "date": "2026-03-01"})
    during = run_rules(duty_admin, 2026, today=dt.date(2026, 6, 1), rule_ids=["sample.meeting-count"])
    after = run_rules(duty_admin, 2026, today=dt.date(2027, 1, 1), rule_ids=["sample.meeting-count"])
    assert [f.severity for f in during] == ["warning"] and [f.severity for f in after] == ["error"]


def test_check_names_an_unknown_rule(cli):
    result = cli("check", "--rule", "no.such-rule")
    assert result.exit_code == 2 and "no.such-rule" in result.stderr
