"""The online-accounts plugin: its ledger, its rule's year semantics, its check and its command,
tested with duty-tui's test kit (fixtures from the duty_tui pytest plugin)."""

from __future__ import annotations

import datetime as dt

import pytest

from duty_tui.errors import ValidationError
from duty_tui.rules import run_rules

from duty_online_accounts import RULE

# Of the installed plugins only the backends and this one, so other plugins' rules stay out.
pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "online_accounts")

SETTING = "online_accounts.review.due_month"


@pytest.fixture
def town(duty_admin):
    """A unit, its responsible person, and accounts registered in 2024, 2025 and 2026."""
    unit = duty_admin.create("unit", {"name": "宣传办公室", "kind": "office"}).id
    person = duty_admin.create("person", {"name": "李娜", "unit": unit}).id

    def account(name, registered, last=None, platform="wechat"):
        return duty_admin.create("online_account", {"account_name": name, "platform": platform, "unit": unit,
                                                    "responsible": person, "registered_on": registered,
                                                    "last_review": last}).id

    return {
        "reviewed": account("xx镇发布", "2024-05-10", "2026-03-15"),
        "old_review": account("xx镇文化站", "2024-09-01", "2025-08-20", platform="douyin"),
        "never": account("城关社区之声", "2025-11-11", platform="weibo"),
        "new": account("东风村村务公开", "2026-02-01"),
        "ledger": duty_admin,
    }


def findings(ledger, today, year=2026):
    return [(f.severity, f.records) for f in run_rules(ledger, year, today=today, rule_ids=[RULE])]


def test_the_plugin_loads_from_its_entry_point(duty_registry):
    info = duty_registry.info("online_accounts")
    assert info is not None and info.status == "loaded", info
    assert (info.source, info.version) == ("duty-online-accounts", "0.1.0")
    assert {"duty_register_types", "duty_register_rules", "duty_register_screens"} <= set(info.hooks)


def test_accounts_not_reviewed_in_the_year_are_a_warning_until_the_due_month_then_an_error(town):
    late = ((town["old_review"],), (town["never"],))
    assert findings(town["ledger"], dt.date(2026, 6, 30)) == [("warning", late[0]), ("warning", late[1])]
    assert findings(town["ledger"], dt.date(2027, 1, 2)) == [("error", late[0]), ("error", late[1])]


def test_the_due_month_is_a_shared_setting(town):
    town["ledger"].set_setting(SETTING, 3)
    assert [s for s, _ in findings(town["ledger"], dt.date(2026, 4, 1))] == ["error", "error"]
    assert [s for s, _ in findings(town["ledger"], dt.date(2026, 3, 31))] == ["warning", "warning"]


def test_a_review_in_the_year_or_a_registration_in_it_is_enough(town):
    ledger = town["ledger"]
    ledger.update(town["old_review"], {"last_review": "2026-05-01"})
    ledger.update(town["never"], {"last_review": "2026-05-02"})
    assert findings(ledger, dt.date(2027, 1, 2)) == []
    assert findings(ledger, dt.date(2027, 1, 2), year=2025) == [], "in 2025 only accounts from before 2025 are due"


def test_a_check_of_one_unit_covers_its_accounts_and_those_of_the_units_below_it(town):
    ledger = town["ledger"]
    village = ledger.create("unit", {"name": "东风村", "kind": "village", "parent": "unit-1"}).id
    other = ledger.create("unit", {"name": "红星村", "kind": "village"}).id
    for name, unit in (("东风村村务", village), ("红星村村务", other)):
        ledger.create("online_account", {"account_name": name, "platform": "wechat", "unit": unit,
                                         "responsible": "person-1", "registered_on": "2024-01-01"})

    def of(unit):
        return sorted(f.records[0] for f in run_rules(ledger, 2026, unit=unit, today=dt.date(2026, 6, 30), rule_ids=[RULE]))

    assert of("unit-1") == sorted([town["old_review"], town["never"], "online_account-5"])
    assert of(village) == ["online_account-5"]
    assert of(other) == ["online_account-6"]


def test_a_review_cannot_be_dated_before_the_registration(town):
    with pytest.raises(ValidationError) as refused:
        town["ledger"].update(town["never"], {"last_review": "2025-01-01"})
    assert [e.field for e in refused.value.errors] == ["last_review"]


def test_the_cli_checks_lists_what_is_due_and_refuses_a_month_that_is_not_one(duty_cli):
    assert duty_cli("init").exit_code == 0
    duty_cli("add", "unit", "name=文化站", "kind=department")
    duty_cli("add", "person", "name=吴芳", "unit=unit-1")
    added = duty_cli("add", "online_account", "account_name=xx镇文化站", "platform=抖音", "unit=unit-1",
                     "responsible=person-1", "registered_on=2018-09-01")
    assert added.exit_code == 0, added.stderr
    check = duty_cli("check", "--year", "2020", "--json")
    assert check.exit_code == 1 and [f["rule"] for f in check.json()] == [RULE]
    due = duty_cli("accounts-due", "--year", "2020", "--json")
    assert due.json() == [{"id": "online_account-1", "account_name": "xx镇文化站", "platform": "douyin",
                           "status": "overdue", "due": "2020-12-31", "last_review": None}]
    refused = duty_cli("config", "set", SETTING, "13")
    assert refused.exit_code == 2 and "must be a month" in refused.stderr


def test_the_demo_town_gets_sample_accounts(duty_cli):
    assert duty_cli("demo", "--no-tui").exit_code == 0
    accounts = duty_cli("list", "online_account", "--json").json()
    assert len(accounts) == 4 and {a["platform"] for a in accounts} == {"wechat", "douyin", "weibo"}
