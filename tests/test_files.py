"""Files a person asked for are replaced whole or not at all (duty_tui.files)."""

from __future__ import annotations

import os
import stat

import pytest

from duty_tui.errors import ValidationError
from duty_tui.files import write_atomically


def test_a_writer_that_fails_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "报告.md"
    target.write_text("old", encoding="utf-8")

    def half_then_fail(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as out:
            out.write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomically(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.md"]


def test_the_new_file_replaces_the_old_with_the_umask_mode_or_private(tmp_path):
    old_umask = os.umask(0o022)
    try:
        report = tmp_path / "r.md"
        assert write_atomically(report, lambda tmp: open(tmp, "w").write("new")) == 3
        assert report.read_text() == "new" and stat.S_IMODE(report.stat().st_mode) == 0o644
        export = tmp_path / "store.json"
        write_atomically(export, lambda tmp: open(tmp, "w").write("{}"), private=True)
        assert stat.S_IMODE(export.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)


def test_duty_export_writes_a_private_file(cli, tmp_path):
    cli("add", "unit", "name=一村", "kind=village")
    path = tmp_path / "backup.json"
    assert cli("export", str(path)).exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and "一村" in path.read_text(encoding="utf-8")


def test_a_folder_that_is_not_there_is_bad_input_naming_the_path(tmp_path, cli):
    missing = tmp_path / "没有这个文件夹" / "report.md"
    with pytest.raises(ValidationError) as refused:
        write_atomically(missing, lambda tmp: open(tmp, "w").write("x"))
    assert refused.value.errors[0].field == str(missing) and "没有这个文件夹" in refused.value.errors[0].reason.render("en")
    for args in (("export", str(missing)), ("report", "--format", "md", "-o", str(missing))):
        result = cli(*args)
        assert result.exit_code == 2 and "Traceback" not in result.stderr and "report.md" in result.stderr, (args, result.stderr)
