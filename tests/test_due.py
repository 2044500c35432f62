"""`duty due` (issue 19, reminders): what is due or overdue among the records the operator answers
for, with three lights at the settings' thresholds, exit codes for cron, --json; through the CLI,
on the demo store and on a small one."""

from __future__ import annotations

import datetime as dt

import pytest


def today_of(cli, login="admin") -> dt.date:
    return dt.date.fromisoformat(cli("due", "--all", "--json", login=login).json()["today"])


@pytest.fixture
def town(cli):
    """Two persons with accounts (a leader, a clerk), one account bound to nobody, and duty items
    owned by them at the days that matter for the lights."""
    unit = cli.add("unit", name="镇党委", kind="committee")
    liu = cli.add("person", name="刘明宇", unit=unit)
    li = cli.add("person", name="李娜", unit=unit)
    assert cli("users", "add", "liumy", "--role", "leader", "--person", liu).exit_code == 0
    assert cli("users", "add", "lina", "--role", "clerk", "--person", li).exit_code == 0
    assert cli("users", "add", "vera", "--role", "viewer").exit_code == 0
    today = today_of(cli)
    ids = {}
    for days in (-1, 0, 7, 8, 30, 31):
        ids[days] = cli.add("duty_item", title=f"事项{days}", owner=liu, area="leadership", due=today + dt.timedelta(days=days))
    ids["done"] = cli.add("duty_item", title="已完成的事项", owner=liu, area="leadership", due=today - dt.timedelta(days=3),
                          status="done", done_on=today)
    ids["lina"] = cli.add("duty_item", title="李娜的事项", owner=li, area="leadership", due=today + dt.timedelta(days=2))
    return cli, {"liu": liu, "li": li}, ids, today


def test_three_lights_at_their_thresholds_and_only_the_operators_records(town):
    cli, persons, ids, today = town
    result = cli("due", "--json", login="liumy")
    assert result.exit_code == 1, "something is overdue: exit 1 for cron"
    body = result.json()
    assert body["person"] == persons["liu"] and body["soon_days"] == 7 and body["window_days"] == 30
    lights = {item["id"]: (item["light"], item["days"]) for item in body["items"]}
    assert lights == {ids[-1]: ("red", -1), ids[0]: ("yellow", 0), ids[7]: ("yellow", 7), ids[8]: ("blue", 8),
                      ids[30]: ("blue", 30)}, "31 days ahead is past the window; a finished one and 李娜's are not his"
    first = body["items"][0]
    assert first == {"id": ids[-1], "type": "duty_item", "title": "事项-1", "due": (today - dt.timedelta(days=1)).isoformat(),
                     "days": -1, "light": "red",
                     "why": [{"field": "owner", "label": {"zh": "责任人", "en": "Owner"}, "person": persons["liu"], "name": "刘明宇"}]}
    assert [i["id"] for i in body["items"]] == [ids[d] for d in (-1, 0, 7, 8, 30)], "soonest first"

    wider = cli("due", "--days", "31", "--json", login="liumy").json()
    assert ids[31] in {i["id"] for i in wider["items"]}

    # the thresholds are settings
    assert cli("config", "set", "due.soon-days", "3").exit_code == 0
    assert cli("config", "set", "due.window-days", "8").exit_code == 0
    lights = {i["id"]: i["light"] for i in cli("due", "--json", login="liumy").json()["items"]}
    assert lights == {ids[-1]: "red", ids[0]: "yellow", ids[7]: "blue", ids[8]: "blue"}


def test_exit_codes_fit_cron(town):
    cli, persons, ids, today = town
    assert cli("due", login="lina").exit_code == 0, "李娜's one item is due soon, nothing overdue"
    assert cli("due", login="liumy").exit_code == 1
    assert cli("due", "--days", "-1", login="liumy").exit_code == 2
    assert cli("due", "--days", "x", login="liumy").exit_code == 2
    assert cli("due", "--all", login="liumy").exit_code == 2, "--all is for an admin or an account bound to nobody"
    assert cli("due", "--all").exit_code == 1, "the admin sees everything, overdue included"
    assert "--all" in cli("due", "--help").stdout and "1 something overdue" in cli("due", "--help").stdout


def test_an_account_bound_to_nobody_is_told_to_use_all(town):
    cli, persons, ids, today = town
    told = cli("due", login="vera")
    assert told.exit_code == 0 and "--all" in told.stderr and "bound to no person" in told.stderr
    everything = cli("due", "--all", "--json", login="vera")
    assert everything.exit_code == 1
    assert {ids["lina"], ids[-1]} <= {i["id"] for i in everything.json()["items"]}


def test_text_in_both_languages_without_colours_off_a_terminal(town):
    cli, persons, ids, today = town
    zh = cli("--lang", "zh", "due", login="liumy")
    assert "逾期 1 天" in zh.stdout and "今天到期" in zh.stdout and "逾期 1 项，临近 2 项，将到 2 项。" in zh.stdout
    assert "责任人：刘明宇" in zh.stdout and "李娜的事项" not in zh.stdout
    assert "\x1b[" not in zh.stdout, "colours only on a terminal"
    en = cli("--lang", "en", "due", login="lina")
    assert "李娜的事项" in en.stdout and "in 2 days" in en.stdout and "0 overdue, 1 due soon, 0 coming." in en.stdout


def test_on_the_demo_store_each_operator_sees_what_they_answer_for(duty_cli, tmp_path):
    demo = f"sqlite:///{tmp_path / 'demo.db'}"
    assert duty_cli("--db", demo, "demo", "--no-tui").exit_code == 0
    users = {u["name"]: u["person"] for u in duty_cli("--db", demo, "users", "list", "--json").json()}
    everything = duty_cli("--db", demo, "due", "--all", "--json").json()["items"]
    assert everything, "the demo town has something due"
    for account in ("liumy", "lina"):
        result = duty_cli("--db", demo, "due", "--json", login=account)
        items = result.json()["items"]
        assert result.exit_code == (1 if any(i["light"] == "red" for i in items) else 0)
        assert {i["id"] for i in items} <= {i["id"] for i in everything}
        for item in items:
            assert item["why"] and {w["person"] for w in item["why"]} == {users[account]}
        theirs = {i["id"] for i in items}
        others = [i for i in everything if users[account] not in {w["person"] for w in i["why"]}]
        assert others and not theirs & {i["id"] for i in others}, "a record not theirs is left out"
    leader = duty_cli("--db", demo, "due", "--json", login="liumy").json()["items"]
    assert leader, "刘明宇 approves or organises the demo's events"


async def test_the_tui_shows_an_operator_bound_to_a_person_their_list_at_login(duty_admin, duty_app):
    ledger = duty_admin
    today = ledger.today()
    unit = ledger.create("unit", {"name": "镇党委", "kind": "committee"}).id
    liu = ledger.create("person", {"name": "刘明宇", "unit": unit}).id
    other = ledger.create("person", {"name": "李娜", "unit": unit}).id
    ledger.add_user("liumy", "leader", liu)
    ledger.create("duty_item", {"title": "逾期的事项", "owner": liu, "area": "leadership", "due": today - dt.timedelta(days=2)})
    ledger.create("duty_item", {"title": "下周的事项", "owner": liu, "area": "leadership", "due": today + dt.timedelta(days=5)})
    ledger.create("duty_item", {"title": "别人的事项", "owner": other, "area": "leadership", "due": today + dt.timedelta(days=1)})
    async with duty_app(login="liumy", role=None, lang="zh", today=today) as pilot:
        from duty_tui.testing import wait_until

        notice = await wait_until(pilot, lambda: next((n for n in pilot.app._notifications if "您负责的事项" in str(n.message)), None),
                                  "the reminder")
        text = str(notice.message)
        assert notice.severity == "warning"
        assert "逾期 1 项，临近 1 项，将到 0 项" in text and "逾期 2 天 · 逾期的事项" in text and "还有 5 天 · 下周的事项" in text
        assert "别人的事项" not in text
    async with duty_app(lang="zh", today=today) as pilot:  # the admin, bound to nobody: no reminder
        await pilot.pause()
        assert not any("您负责的事项" in str(n.message) for n in pilot.app._notifications)
