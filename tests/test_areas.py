"""Areas belong to the plugins that declare them: the label a plugin gives shows in every face, in
the declared order, and an area counts in the scorecard by a weight setting an admin may set to 0."""

from __future__ import annotations

import datetime as dt
import types

import pytest

from duty_tui.areas import Area
from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.rules import Rule
from duty_tui.schema import DATE, TEXT, Field, RecordType
from duty_tui.testing import screen_text, wait_until

YEAR = 2026
ARCHIVE_CHECK = RecordType("archive_check", L("档案检查", "Archive check"),
                           (Field("title", TEXT, L("题目", "Title"), required=True), Field("date", DATE, L("日期", "Date"))),
                           area="archive", year_field="date")


def too_few(ctx):
    done = ctx.records("archive_check", in_year=True)
    return [ctx.finding("error", L("档案检查 {n}/2 次", "{n} of 2 archive checks").format(n=len(done)))] if len(done) < 2 else []


ARCHIVE = types.SimpleNamespace(
    duty_register_areas=hookimpl(lambda register: register(Area("archive", L("档案管理", "Archives"), order=35))),
    duty_register_types=hookimpl(lambda register: register(ARCHIVE_CHECK)),
    duty_register_rules=hookimpl(lambda register: register(Rule("archive.count", "archive", L("档案检查次数", "Archive checks"), too_few))),
)
UNDECLARED = types.SimpleNamespace(
    duty_register_rules=hookimpl(lambda register: register(
        Rule("stray.always", "stray", L("总有问题", "Always a finding"), lambda ctx: [ctx.finding("warning", L("问题", "a problem"))]))),
)


@pytest.fixture
def cli(duty_plugins, duty_cli):
    duty_plugins.extend([("archive", ARCHIVE), ("stray", UNDECLARED)])
    assert duty_cli("init").exit_code == 0
    return duty_cli


def test_the_declared_label_shows_in_check_types_and_the_report_in_both_languages(cli, tmp_path):
    zh = cli("--lang", "zh", "check", "--year", str(YEAR), "--rule", "archive.count")
    assert zh.exit_code == 1 and "档案管理" in zh.stdout and "archive " not in zh.stdout
    assert "Archives" in cli("--lang", "en", "check", "--year", str(YEAR), "--rule", "archive.count").stdout
    assert "[档案管理]  插件 archive" in cli("--lang", "zh", "types", "archive_check").stdout
    assert cli("types", "archive_check", "--json").json()[0]["area_label"] == {"zh": "档案管理", "en": "Archives"}
    out = tmp_path / "report.md"
    assert cli("--lang", "zh", "report", "--year", str(YEAR), "--format", "md", "-o", str(out)).exit_code == 0
    # the areas are the parts of 二、主要做法和成效 ("### （三）队伍管理"), in the declared order: after
    # 队伍管理 (30), before 责任制考核 (40); the undeclared area last of the areas
    headings = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("### ")]
    names = [h[4:].split("）", 1)[-1] for h in headings]
    assert names.index("队伍管理") < names.index("档案管理") < names.index("责任制考核") < names.index("stray")


def test_an_area_leaves_the_scorecard_when_its_weight_is_set_to_0(cli):
    card = cli("score", "--year", str(YEAR), "--json").json()["checks"]  # the checks by area
    archive = next(a for a in card["areas"] if a["area"] == "archive")
    assert archive["label"] == "Archives" and archive["weight"] == 1 and archive["score"] == 0
    stray = next(a for a in card["areas"] if a["area"] == "stray")
    assert stray["weight"] == 0  # nobody declared it: not scored
    others = [a for a in card["areas"] if a["weight"] and a["score"] is not None and a["area"] != "archive"]
    assert cli("config", "set", "assessment.weight.archive", "0").exit_code == 0
    without = cli("score", "--year", str(YEAR), "--json").json()["checks"]
    expected = sum(a["score"] * a["weight"] for a in others) / sum(a["weight"] for a in others)
    assert without["total"] == pytest.approx(round(expected, 1), abs=0.05) and without["total"] > card["total"]
    bad = cli("config", "set", "assessment.weight.archive", "-1")
    assert bad.exit_code == 2 and "assessment.weight.archive" in bad.stderr


def test_duty_plugins_names_an_area_nobody_declared(cli):
    text = cli("plugins").stdout
    assert "stray" in text and "duty_register_areas" in text


@pytest.fixture
def with_archive(duty_plugins):
    duty_plugins.append(("archive", ARCHIVE))


async def test_the_navigation_shows_the_declared_label_in_the_declared_order(with_archive, duty_app):
    async with duty_app(lang="zh", year=YEAR, today=dt.date(YEAR, 6, 30)) as pilot:
        await wait_until(pilot, lambda: "档案管理" in screen_text(pilot.app), "the archive area in the navigation")
        text = screen_text(pilot.app)
        assert text.index("队伍管理") < text.index("档案管理") < text.index("责任制考核")


def test_a_duty_items_area_choices_read_as_the_areas_their_plugins_declare(duty_registry):
    """The leadership plugin's duty item names a part of the plan by choice (a plugin may not
    import another to ask): its labels must stay those the areas are declared with."""
    field = duty_registry.type("duty_item").field("area")
    for choice in field.choices:
        area = duty_registry.area(choice.value)
        assert area.declared and (choice.label.zh, choice.label.en) == (area.label.zh, area.label.en), choice.value
