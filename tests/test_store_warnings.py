"""`duty` tells an office when its JSON-file store has outgrown TinyDB, and how to move."""

from __future__ import annotations

import pytest


@pytest.fixture
def tiny(duty_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DUTY_DB", f"tinydb:///{tmp_path / 'duty.json'}")
    assert duty_cli("init").exit_code == 0
    return duty_cli


def test_no_warning_while_small(tiny):
    assert "TinyDB" not in tiny("add", "unit", "name=一村", "kind=village").stderr


def test_warning_past_the_size_it_serves(tiny, monkeypatch):
    import duty_tui_storage.tinydb as tinydb

    monkeypatch.setattr(tinydb, "SIZE_WARNING", 2)
    tiny("add", "unit", "name=一村", "kind=village")
    tiny("add", "unit", "name=二村", "kind=village")
    result = tiny("add", "unit", "name=三村", "kind=village")
    assert result.exit_code == 0 and result.stdout.strip() == "unit-3"
    assert "3 records" in result.stderr and "duty export" in result.stderr and "sqlite:///" in result.stderr
    assert "迁移到 SQLite" in tiny("--lang", "zh", "list", "unit").stderr
