"""Errors at the edges (issue 16, item 4): a file the CLI is told to write where it cannot be
written is a sentence naming the path and exit 2, never a traceback, and nothing half-written is
left looking whole; a backup holds the whole store, so it is its owner's alone (0600)."""

from __future__ import annotations

import stat

import pytest


@pytest.fixture
def town(cli, with_sample):
    cli("add", "unit", "name=一村", "kind=village")
    cli("add", "person", "name=刘明宇", "unit=unit-1", "post=党委书记")
    return cli


@pytest.mark.parametrize("args", [("report", "--year", "2026", "--format", "md", "-o", "{missing}/r.md"),
                                  ("report", "--year", "2026", "--format", "xlsx", "-o", "{missing}/r.xlsx"),
                                  ("export", "{missing}/all.json"),
                                  ("backup", "{missing}/copy.db")])
def test_writing_into_a_folder_that_does_not_exist_is_a_sentence_naming_it(town, tmp_path, args, duty_store_url):
    if args[0] == "backup" and not duty_store_url.startswith("sqlite"):
        pytest.skip("the backup command is SQLite's (its backup API); the others say so with exit 2 as well")
    missing = tmp_path / "no-such-folder"
    result = town(*[a.format(missing=missing) for a in args])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert str(missing) in result.stderr and "Traceback" not in result.stderr
    assert not missing.exists()


@pytest.mark.parametrize("args", [("report", "--year", "2026", "--format", "xlsx", "-o", "{folder}"),
                                  ("report", "--year", "2026", "--format", "docx", "-o", "{folder}")])
def test_an_output_path_that_is_a_folder_is_told_to_name_a_file(town, tmp_path, args):
    result = town(*[a.format(folder=tmp_path) for a in args])
    assert result.exit_code == 2 and "is a folder: give a file name" in result.stderr, result.stderr
    assert not [p for p in tmp_path.parent.iterdir() if p.name.startswith(".") and p.name.endswith(".part")], "no temporary file left"


def test_a_backup_is_private_and_never_half_written(town, tmp_path, duty_store_url):
    if not duty_store_url.startswith("sqlite"):
        pytest.skip("the backup command is SQLite's (its backup API)")
    copy = tmp_path / "copy.db"
    assert town("backup", str(copy)).exit_code == 0
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600, "the whole store: its owner's alone"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_duty_demo_keeps_a_demo_store_someone_worked_in_unless_told_fresh(duty_cli, monkeypatch, tmp_path):
    """The demo's own file is made anew each time, but not over someone's work: a changed one
    stays (exit 4, saying how to open it or replace it) until `--fresh`."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("DUTY_DB", raising=False)
    demo = tmp_path / "data" / "duty-tui" / "demo.db"
    first = duty_cli("demo", "--no-tui")
    assert first.exit_code == 0 and demo.exists(), first.stderr
    assert duty_cli("demo", "--no-tui").exit_code == 0, "an untouched demo is simply made anew"
    assert duty_cli("--db", f"sqlite:///{demo}", "add", "unit", "name=新村", "kind=village").exit_code == 0
    kept = duty_cli("demo", "--no-tui")
    assert kept.exit_code == 4 and "--fresh" in kept.stderr and str(demo) in kept.stderr
    assert any(r["name"] == "新村" for r in duty_cli("--db", f"sqlite:///{demo}", "list", "unit", "--json").json()), "the work is still there"
    assert duty_cli("demo", "--no-tui", "--fresh").exit_code == 0
    assert not any(r["name"] == "新村" for r in duty_cli("--db", f"sqlite:///{demo}", "list", "unit", "--json").json())


@pytest.mark.parametrize("scheme, name", [("sqlite", "sub/duty.db"), ("tinydb", "sub/duty.json")])
def test_opening_a_store_that_is_not_there_creates_nothing_and_names_the_resolved_path(duty_cli, tmp_path, monkeypatch, scheme, name):
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{name}" if scheme == "sqlite" else f"tinydb:///{tmp_path / name}"  # a TinyDB URL is always absolute
    for verb in (("list", "unit"), ("show", "unit-1"), ("check",), ("audit", "--verify")):
        result = duty_cli("--db", url, *verb)
        assert result.exit_code == 2, (verb, result.stderr)
        assert f"there is no store at {tmp_path / name}" in result.stderr and "duty init" in result.stderr
    assert list(tmp_path.iterdir()) == [], "no folder, no file, no lock left behind"
    made = duty_cli("--db", url, "init")
    assert made.exit_code == 0 and f"created the store {tmp_path / name}" in made.stdout
    assert (tmp_path / name).exists()


def test_a_person_who_is_an_operator_cannot_be_deleted_until_the_account_is_rebound(town):
    assert town("users", "add", "liuxm", "--role", "clerk", "--person", "person-1").exit_code == 0
    refused = town("delete", "person-1", "--yes")
    assert refused.exit_code == 2 and "liuxm" in refused.stderr and "duty users" in refused.stderr, refused.stderr
    assert town("show", "person-1").exit_code == 0, "still there"
    assert town("users", "remove", "liuxm").exit_code == 0
    assert town("delete", "person-1", "--yes").exit_code == 0
