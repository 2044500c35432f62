"""README's test command is what CI runs."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_readmes_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("Set up and pass the tests:", 1)[1]
    command = section.split("```sh", 1)[1].split("```", 1)[0].strip()
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
