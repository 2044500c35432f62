"""The TUI's parts that draw nothing: the filter language, cell widths with Chinese text, the
dashboard's numbers, readable history, the plugin API objects, `duty demo`, bare `duty`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from duty_tui.i18n import L
from duty_tui.store import Filter
from duty_tui.present.dashboard import add_findings, build_dashboard, due_filters, pending_findings
from duty_tui.present.display import clip, columns_for, fit, layout
from duty_tui.present.filtering import parse_filter
from duty_tui.present.history import describe
from duty_tui.present.session import Session, short_store_label
from duty_tui.ui_api import PaletteCommand, ScreenSpec

from .. import sample_plugin
from .conftest import TODAY

MEETING = sample_plugin.MEETING


@pytest.mark.parametrize("text, words, filters, year", [
    ("中心组 学习", "中心组 学习", (), None),
    ("title:学习", "", (Filter("title", "contains", "学习"),), None),
    ("题目：学习", "", (Filter("title", "contains", "学习"),), None),
    ("date>=2026-03-01 seats<10", "", (Filter("date", "ge", "2026-03-01"), Filter("seats", "lt", "10")), None),
    ("organizer:person-1 tags:学习", "", (Filter("organizer", "eq", "person-1"), Filter("tags", "eq", "学习")), None),
    ("状态:草稿 state!=held", "", (Filter("state", "eq", "draft"), Filter("state", "ne", "held")), None),
    ("approver: minutes:*", "", (Filter("approver", "empty"), Filter("minutes", "not_empty")), None),
    ('title:"中心组 学习" year:2025', "", (Filter("title", "contains", "中心组 学习"),), 2025),
    ("10:30 会议", "", (), None),
])
def test_the_filter_language(text, words, filters, year):
    parsed = parse_filter(MEETING, text)
    if text.startswith("10:30"):
        assert parsed.problems and "no field 10" in parsed.problems[0].render("en")
        return
    assert (parsed.text, parsed.filters, parsed.year, parsed.problems) == (words, filters, year, ())


def test_a_filter_names_what_is_wrong_with_a_term():
    parsed = parse_filter(MEETING, "colour:red state:flying tags>1 year:soon")
    messages = [p.render("en") for p in parsed.problems]
    assert "no field colour" in messages[0] and "title, date" in messages[0]
    assert "no such state" in messages[1] and "draft" in messages[1]
    assert "list field" in messages[2]
    assert "year:2026" in messages[3]


def test_an_unbalanced_quote_while_typing_is_not_an_error():
    assert parse_filter(MEETING, 'title:"中心').filters == (Filter("title", "contains", "中心"),)


def test_cells_are_measured_in_terminal_columns():
    assert clip("中心组集中学习", 9) == "中心组集…"
    assert fit("中文ab", 7) == "中文ab " and fit("12", 4, "right") == "  12"
    assert clip("abc", 0) == ""


def test_columns_fill_the_width_and_give_way_when_narrow():
    cols = columns_for(MEETING)
    assert [c.key for c in cols] == ["id", "title", "date", "organizer", "state"]
    for width in (40, 60, 98, 160):
        widths = layout(cols, width)
        assert sum(widths) + len(widths) - 1 == width
    assert layout(cols, 98)[2] == 10, "a date keeps its ten columns"


def test_at_80_columns_an_id_gives_way_to_the_title_and_keeps_its_number():
    from dataclasses import replace as with_name

    long_named = with_name(MEETING, name="committee_meeting_minutes")  # ids of 27 cells
    cols = columns_for(long_named)
    headers = ["编号", "标题", "日期", "组织者", "状态"]
    title = [c.key for c in cols].index("title")
    short = layout(cols, 60, headers)
    assert sum(short) + len(short) - 1 == 60
    assert short[title] >= 16 and short[0] < len("committee_meeting_minutes-1"), short
    assert fit("committee_meeting_minutes-12", short[0], keep="end").endswith("-12"), "cut from the start"
    assert fit("committee_meeting_minutes-12", 10, keep="end") == "…inutes-12"
    # with room, as before: the whole id, the title takes what is left
    wide = layout(cols, 120, headers)
    assert wide[0] == cols[0].preferred and wide[title] > 24, wide
    # a short type name's ids stay whole where they fit, however short the width
    assert layout(columns_for(MEETING), 60, headers)[0] >= len("meeting-12")


def test_the_store_label_never_shows_a_password():
    assert short_store_label("postgresql://duty:secret@db.example/duty") == "postgresql://db.example/duty"
    assert short_store_label("sqlite:////srv/duty/duty.db") == "sqlite:duty.db"


def test_due_items_follow_the_workflow_and_the_year(town):
    filters = due_filters(MEETING, 2026, TODAY)
    assert filters == (Filter("date", "between", ("2026-01-01", "2026-04-14")), Filter("state", "in", ("draft", "approved")))
    assert due_filters(MEETING, 2027, TODAY) is None
    board = build_dashboard(town, 2026, TODAY)
    assert board.counts == {"unit": 2, "person": 3, "meeting": 2}
    assert board.due_total == 2


def test_rules_over_the_time_budget_are_left_for_later_and_add_up_the_same(town):
    town.set_setting("sample.meetings.min", 5)
    whole = build_dashboard(town, 2026, TODAY)
    board = build_dashboard(town, 2026, TODAY, rule_budget=-1)
    assert board.pending == ["sample.meeting-count"] and board.findings == []
    assert [a.light for a in board.areas if a.area == "sample"] == ["pending"]
    add_findings(board, pending_findings(town, board), town.registry)
    assert board.pending == [] and board.findings == whole.findings and board.areas == whole.areas
    assert build_dashboard(town, 2026, TODAY, rule_budget=10, defer_rules_over=5).pending == ["sample.meeting-count"]
    assert build_dashboard(town, 2026, TODAY, rule_budget=10, defer_rules_over=500).pending == []


def test_a_rule_that_raises_becomes_one_failed_finding(town, monkeypatch):
    def broken(ctx):
        raise ZeroDivisionError("oops")

    rule = town.registry.rules["sample.meeting-count"]
    monkeypatch.setitem(town.registry.rules, rule.id, type(rule)(rule.id, rule.area, rule.label, broken, plugin="sample"))
    board = build_dashboard(town, 2026, TODAY)
    assert [(f.severity, f.rule) for f in board.findings] == [("failed", "sample.meeting-count")]
    assert board.findings[0].message.render("en") == "rule sample.meeting-count of plugin sample failed: ZeroDivisionError: oops"
    assert board.areas[-1].failed == 1 and board.areas[-1].light == "failed"


def test_history_reads_as_changes(town):
    meeting = town.query("meeting", text="中心组")[0]
    town.update(meeting.id, {"title": "改名", "seats": 3}, expected_version=1)
    session = Session(town, lang="zh")
    created, changed = [describe(session, e) for e in town.history(meeting.id)]
    assert created.action == "新建" and created.actor == "admin"
    assert changed.lines == ("题目：中心组集中学习 → 改名", "座位：（空） → 3")


def test_plugin_ui_objects_take_plain_labels_and_need_a_callable():
    spec = ScreenSpec("x.chart", "Chart", "x", lambda ui: None)
    assert spec.label == L("Chart", "Chart")
    with pytest.raises(ValueError):
        PaletteCommand("x.cmd", L("命令", "Command"), None)  # type: ignore[arg-type]


def test_ui_api_and_demo_load_without_textual():
    code = ("import sys, duty_tui.ui_api, duty_tui.demo, duty_tui.present.filtering, duty_tui.present.dashboard, "
            "duty_tui.present.session, duty_tui.present.history\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_duty_demo_builds_the_sample_town(duty_cli, duty_store_url):
    result = duty_cli("demo", "--no-tui", login="admin")
    assert result.exit_code == 0, result.stderr
    assert "9 units, 12 persons" in result.stdout  # the leadership plugin adds the former secretary
    persons = duty_cli("list", "person", "--search", "刘明宇", "--json").json()
    assert [p["post"] for p in persons] == ["党委书记"]
    users = {u["name"]: u["role"] for u in duty_cli("users", "list", "--json").json()}
    assert users == {"admin": "admin", "liumy": "leader", "lina": "clerk"}
    assert duty_cli("config", "get", "org.name").stdout.strip() == "xx镇党委"


def test_duty_demo_refuses_a_store_that_is_in_use(cli):
    result = cli("demo", "--no-tui")
    assert result.exit_code == 2
    assert "already initialised" in result.stderr


def test_plugins_add_their_demo_records_through_the_hook(duty_cli, duty_plugins):
    class Sample:
        from duty_tui.hookspecs import hookimpl

        @hookimpl
        def duty_demo_records(self, ledger, year):
            liu = ledger.query("person", text="刘明宇", limit=1)[0]
            ledger.create("meeting", {"title": "示例会议", "date": f"{year}-02-01", "organizer": liu.id})

    duty_plugins.append(("sample", sample_plugin))
    duty_plugins.append(("sample_demo", Sample()))
    assert duty_cli("demo", "--no-tui", "--year", "2025").exit_code == 0
    meetings = duty_cli("list", "meeting", "--json").json()
    assert [(m["title"], m["date"]) for m in meetings] == [("示例会议", "2025-02-01")]


def test_bare_duty_off_a_terminal_prints_help(cli):
    result = cli()
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and "demo" in result.stdout
