"""Time, language and name of what leaves the office (issue 15, items 5 and 6).

Every time a person reads is in the store's time zone (org.timezone; the demo's Asia/Shanghai,
by default the machine's), the rules' "today" is the day in that zone, the audit keeps UTC;
documents are in the store's language (org.lang, default zh) whatever the operator's locale; the
printer is a person's name; a new store has the name `duty init` was given, never a sample one.

The clock stands at 2026-11-29T22:30Z: 06:30 on 30 November in Beijing, still the 29th in UTC.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

time_machine = pytest.importorskip("time_machine")

from duty_tui.present.imprint import org_label, printed_line, printer_name, signature_date  # noqa: E402
from duty_tui.present.time import chinese_date, document_date, local_time  # noqa: E402

LATE_EVENING_UTC = dt.datetime(2026, 11, 29, 22, 30, tzinfo=dt.timezone.utc)
BEIJING_DAY = dt.date(2026, 11, 30)

# document.py takes the printed-at line and the organisation's name from duty_tui.present.imprint.


@pytest.fixture
def late_evening():
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        yield


@pytest.fixture
def local_zone(monkeypatch):
    """Set the process's TZ (the machine's zone) for one test."""

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def study_count(cli) -> str:
    found = cli("check", "--year", "2026", "--rule", "leadership.study-count", "--json").json()
    return found[0]["message"]


def test_in_the_store_zone_the_rules_count_30_november_and_times_read_as_beijing_time(cli, late_evening, local_zone):
    local_zone("UTC")  # the machine's zone is not the office's
    assert cli("config", "set", "org.timezone", "Asia/Shanghai").exit_code == 0
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1")
    cli("add", "study_session", "date=2026-11-30", "topic=学习", "attendees=person-1")
    # held today in Beijing, so it counts; nothing is "planned"
    assert study_count(cli).startswith("1 of 6 central study sessions") and "planned" not in study_count(cli)

    audit = cli("audit", "unit-1")
    assert "2026-11-30 06:30:00" in audit.stdout and "22:30" not in audit.stdout
    assert cli("audit", "unit-1", "--json").json()[0]["ts"].startswith("2026-11-29T22:30:00")  # the chain keeps UTC
    shown = cli("show", "unit-1").stdout
    assert "2026-11-30 06:30 admin" in shown
    assert cli("show", "unit-1", "--json").json()["created_at"].startswith("2026-11-29T22:30")

    # the same store read in UTC: it is still the 29th, the session of the 30th is planned
    assert cli("config", "set", "org.timezone", "UTC").exit_code == 0
    assert "1 more planned" in study_count(cli)
    assert "2026-11-29 22:30:00" in cli("audit", "unit-1").stdout


def test_a_conflict_says_when_the_other_saved_in_the_store_zone(cli, late_evening):
    cli("config", "set", "org.timezone", "Asia/Shanghai")
    cli("add", "unit", "name=一村", "kind=village")
    cli("users", "add", "bob", "--role", "clerk")
    assert cli("edit", "unit-1", "notes=first", "--version", "1").exit_code == 0
    second = cli("edit", "unit-1", "notes=second", "--version", "1", login="bob")
    assert second.exit_code == 4 and "saved by admin at 2026-11-30 06:30:00" in second.stderr


def test_with_tz_asia_shanghai_and_the_system_zone_today_is_30_november(duty_admin, late_evening, local_zone):
    local_zone("Asia/Shanghai")
    assert duty_admin.setting("org.timezone") == "system"
    assert duty_admin.today() == BEIJING_DAY
    assert duty_admin.now().hour == 6
    local_zone("UTC")
    assert duty_admin.today() == dt.date(2026, 11, 29)


def test_with_tz_asia_shanghai_the_cli_counts_and_shows_30_november(cli, late_evening, local_zone):
    local_zone("Asia/Shanghai")  # the machine's zone, the store's default (system)
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1")
    cli("add", "study_session", "date=2026-11-30", "topic=学习", "attendees=person-1")
    assert study_count(cli).startswith("1 of 6 central study sessions") and "planned" not in study_count(cli)
    assert "2026-11-30 06:30:00" in cli("audit", "unit-1").stdout


def test_the_printing_line_names_the_person_and_the_beijing_time(duty_admin, late_evening):
    duty_admin.set_setting("org.timezone", "Asia/Shanghai")
    person = duty_admin.create("person", {"name": "余永福"}).id
    assert printer_name(duty_admin) == duty_admin.user.name  # an account linked to nobody: its name
    duty_admin.add_user("yuyf", "leader", person)
    from duty_tui.ledger import Ledger

    yu = Ledger.for_login(duty_admin.store, duty_admin.registry, "yuyf")
    assert printer_name(yu) == "余永福"
    assert printed_line(yu, "zh") == "印制于 2026年11月30日 06:30，印制人 余永福"
    assert printed_line(yu, "en") == "Printed 30 November 2026, 06:30 by 余永福"
    assert signature_date(yu, "zh") == "2026年11月30日"
    assert local_time(yu, "2026-11-29T22:30:00.000Z") == "2026-11-30 06:30"


def test_dates_in_the_form_of_a_document():
    assert chinese_date(dt.date(2026, 3, 1)) == "2026年3月1日"
    assert document_date(dt.date(2026, 11, 30), "en") == "30 November 2026"


def test_a_zone_or_language_the_setting_cannot_take_is_refused_naming_the_setting(cli):
    bad = cli("config", "set", "org.timezone", "Asia/Beijing")
    assert bad.exit_code == 2
    assert "org.timezone" in bad.stderr and "no time zone named “Asia/Beijing”" in bad.stderr and "Asia/Shanghai" in bad.stderr
    zh = cli("--lang", "zh", "config", "set", "org.timezone", "Mars/Olympus")
    assert zh.exit_code == 2 and "没有名为 “Mars/Olympus” 的时区" in zh.stderr
    bad = cli("config", "set", "org.lang", "fr")
    assert bad.exit_code == 2 and "org.lang" in bad.stderr and "zh or en" in bad.stderr
    assert cli("config", "get", "org.timezone").stdout.strip() == "system"


def test_a_zone_the_machine_does_not_know_is_named_when_times_are_read(cli, duty_store):
    with duty_store.write() as w:  # as the store came from a machine with other zone data, past the ledger's check
        w.put_setting("org.timezone", "Nowhere/Town")
    result = cli("audit")
    assert result.exit_code == 2 and "org.timezone" in result.stderr and "Nowhere/Town" in result.stderr


def test_documents_follow_the_store_language_not_the_operators_locale(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("DUTY_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    cli("add", "unit", "name=一村", "kind=village")
    report = cli("report", "--year", "2026")
    assert report.exit_code == 0, report.stderr
    assert "关于2026年度落实意识形态工作责任制情况的报告" in report.stdout.splitlines()[0]
    assert "Report on" not in report.stdout
    md = tmp_path / "r.md"
    assert "wrote" in cli("report", "--year", "2026", "-o", str(md)).stderr  # the terminal speaks the operator's language
    assert cli("config", "set", "org.lang", "en").exit_code == 0
    assert "on the ideological-work responsibility system in 2026" in cli("report", "--year", "2026").stdout.splitlines()[0]


def test_the_report_printed_late_in_the_utc_evening_says_30_november_and_names_the_printer(cli, late_evening, local_zone):
    local_zone("UTC")
    cli("config", "set", "org.timezone", "Asia/Shanghai")
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=余永福", "unit=unit-1")
    cli("users", "add", "yuyf", "--role", "leader", "--person", "person-1")
    text = cli("report", "--year", "2026", login="yuyf").stdout
    assert "2026年11月30日" in text and "印制人 余永福" in text and "yuyf" not in text
    assert "2026-11-29" not in text and "22:30" not in text


# -- a new store's name ------------------------------------------------------------------------

def test_duty_init_org_stores_the_name_the_reports_print(duty_cli):
    result = duty_cli("init", "--org", "中共某镇委员会")
    assert result.exit_code == 0, result.stderr
    assert duty_cli("config", "get", "org.name").stdout.strip() == "中共某镇委员会"
    report = duty_cli("report", "--year", "2026").stdout
    assert "中共某镇委员会" in report.splitlines()[0] and "xx镇" not in report
    assert "not set" not in duty_cli("check", "--year", "2026").stderr


def test_duty_init_asks_for_the_name_at_a_terminal(duty_cli, monkeypatch):
    from duty_tui.cli import admin

    monkeypatch.setattr(admin, "interactive", lambda: True)
    result = duty_cli("init", input="\n中共某镇委员会\n")  # an empty answer is asked again
    assert result.exit_code == 0, result.stderr
    assert duty_cli("config", "get", "org.name").stdout.strip() == "中共某镇委员会"


def test_duty_init_without_a_terminal_or_org_starts_unnamed_and_says_how_to_name_it(duty_cli):
    result = duty_cli("init")
    assert result.exit_code == 0, result.stderr
    assert "duty config set org.name" in result.stderr
    assert duty_cli("config", "get", "org.name").stdout.strip() == ""
    check = duty_cli("check", "--year", "2026")
    assert "organisation's name is not set" in check.stderr
    report = duty_cli("report", "--year", "2026")
    assert "xx镇" not in report.stdout and "duty config set org.name" in report.stderr
    assert duty_cli("init", "--org", " ").exit_code == 2  # an empty name is no name


def test_an_unnamed_store_s_report_says_the_name_is_not_set(duty_cli):
    duty_cli("init")
    assert "未设置单位名称" in duty_cli("report", "--year", "2026").stdout


def test_org_label_of_an_unnamed_store(duty_admin):
    assert org_label(duty_admin, "zh") == "未设置单位名称"
    duty_admin.set_setting("org.name", "中共某镇委员会")
    assert org_label(duty_admin, "zh") == "中共某镇委员会"


def test_duty_demo_keeps_beijing_time_and_its_sample_name(duty_cli):
    assert duty_cli("demo", "--no-tui").exit_code == 0
    assert duty_cli("config", "get", "org.timezone").stdout.strip() == "Asia/Shanghai"
    assert duty_cli("config", "get", "org.name").stdout.strip() == "xx镇党委"


def test_the_tui_history_and_audit_log_read_times_in_the_store_zone(duty_admin, late_evening):
    from duty_tui.present.history import describe
    from duty_tui.present.session import Session

    duty_admin.set_setting("org.timezone", "Asia/Shanghai")
    unit = duty_admin.create("unit", {"name": "一村", "kind": "village"})
    session = Session(duty_admin, lang="zh")
    assert session.today == BEIJING_DAY and session.year == 2026
    entry = duty_admin.history(unit.id)[-1]
    assert entry.ts.startswith("2026-11-29T22:30")  # the chain keeps UTC
    assert describe(session, entry).when == "2026-11-30 06:30"
    assert session.when(unit.created_at) == "2026-11-30 06:30"
