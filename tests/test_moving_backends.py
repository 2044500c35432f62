"""An office moves its store: a JSON file, then SQLite, then PostgreSQL, by `duty export` and
`duty import`. Each step gives an identical store whose audit chain verifies."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager

from duty_tui.testing import store_url_for


def snapshot(cli):
    return {
        "records": {t: cli("list", t, "--limit", "0", "--json").json() for t in ("unit", "person")},
        "users": cli("users", "list", "--json").json(),
        "settings": cli("config", "get", "--json").json(),
        "audit": cli("audit", "--json").json(),
    }


def test_json_file_to_sqlite_to_postgresql(duty_cli, tmp_path, monkeypatch):
    with ExitStack() as stack:
        urls = [stack.enter_context(contextmanager(store_url_for)(b, tmp_path)) for b in ("tinydb", "sqlite", "postgresql")]
        monkeypatch.setenv("DUTY_DB", urls[0])
        duty_cli("init", "--org", "xx镇党委")
        duty_cli("add", "unit", "name=一村", "kind=village")
        duty_cli("add", "person", "name=刘明宇", "unit=unit-1", "post=党委书记")
        duty_cli("edit", "person-1", "phone=13800000000")
        duty_cli("users", "add", "clerk1", "--role", "clerk", "--person", "person-1")
        history = snapshot(duty_cli)["audit"]

        for step, url in enumerate(urls[1:], start=1):
            before = snapshot(duty_cli)
            file = tmp_path / f"move{step}.json"
            assert duty_cli("export", str(file)).exit_code == 0
            monkeypatch.setenv("DUTY_DB", url)
            moved = duty_cli("import", str(file))
            assert moved.exit_code == 0, moved.stderr
            after = snapshot(duty_cli)
            assert after["records"] == before["records"]
            assert after["users"] == before["users"] and after["settings"] == before["settings"]
            assert after["audit"][:-1] == before["audit"] and after["audit"][-1]["action"] == "import"
            assert duty_cli("audit", "--verify").exit_code == 0
        assert snapshot(duty_cli)["audit"][: len(history)] == history
        assert duty_cli("add", "person", "name=余永福", "unit=unit-1").stdout.strip() == "person-2"
