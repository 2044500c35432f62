"""Who may do what: the OS login is the actor; roles decide."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest


def test_viewer_cannot_write(cli):
    cli("users", "add", "vera", "--role", "viewer")
    refused = cli("add", "unit", "name=一村", "kind=village", login="vera")
    assert refused.exit_code == 3
    assert "vera" in refused.stderr
    assert cli("list", "unit", "--json", login="vera").json() == []
    assert cli("list", "unit", "--json", login="vera").exit_code == 0


def test_os_user_without_an_account_is_refused(cli):
    refused = cli("list", "unit", login="mallory")
    assert refused.exit_code == 3
    assert "mallory" in refused.stderr and "duty users add mallory" in refused.stderr


def test_clerk_may_not_manage_users_or_settings(cli):
    cli("users", "add", "clerk1", "--role", "clerk")
    assert cli("users", "add", "x", "--role", "admin", login="clerk1").exit_code == 3
    assert cli("config", "set", "org.name", "某镇党委", login="clerk1").exit_code == 3


def test_as_is_for_admins_only(cli):
    cli("users", "add", "clerk1", "--role", "clerk")
    cli("users", "add", "lead", "--role", "leader")
    assert cli("--as", "lead", "list", "unit", login="clerk1").exit_code == 3
    assert cli("--as", "lead", "list", "unit").exit_code == 0


def test_init_makes_the_caller_admin_and_only_once(duty_cli):
    assert duty_cli("init", login="sec").exit_code == 0
    users = duty_cli("users", "list", "--json", login="sec").json()
    assert [(u["name"], u["role"]) for u in users] == [("sec", "admin")]
    again = duty_cli("init", login="other")
    assert again.exit_code == 2 and "already" in again.stderr


def test_the_last_admin_cannot_be_removed(cli):
    refused = cli("users", "remove", "admin")
    assert refused.exit_code == 2 and "last admin" in refused.stderr


def test_store_not_initialised_says_so(duty_cli):
    result = duty_cli("list", "unit")
    assert result.exit_code == 2 and "duty init" in result.stderr


def nobody_can_run_python() -> bool:
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        return False
    probe = subprocess.run(["runuser", "-u", "nobody", "--", sys.executable, "-c", "import duty_tui"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not nobody_can_run_python(),
                    reason="needs root, runuser, and a Python the user 'nobody' may run (this one lives in a private folder)")
def test_a_real_os_user_without_an_account_is_refused(tmp_path):
    store = tmp_path / "shared"
    store.mkdir()
    store.chmod(0o777)
    tmp_path.chmod(0o755)
    env = {**os.environ, "DUTY_DB": f"sqlite:///{store}/duty.db", "DUTY_LANG": "en", "DUTY_CONFIG": str(store / "none.toml")}
    subprocess.run([sys.executable, "-m", "duty_tui", "init"], env=env, check=True, capture_output=True)
    (store / "duty.db").chmod(0o666)
    for extra in ("duty.db-wal", "duty.db-shm"):
        if (store / extra).exists():
            (store / extra).chmod(0o666)
    result = subprocess.run(["runuser", "-u", "nobody", "--", sys.executable, "-m", "duty_tui", "list", "unit"],
                            env={**env, "HOME": str(store)}, capture_output=True, text=True)
    assert result.returncode == 3, result.stderr
    assert "nobody" in result.stderr and "no account" in result.stderr
