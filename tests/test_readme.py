"""The README's two commands are the ones that work: CI runs the test command verbatim."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_exactly_two_commands_and_ci_runs_the_test_one():
    install_and_run, run_tests = readme_commands()
    assert "whoholds demo" in install_and_run and "pip install" in install_and_run
    assert "pytest" in run_tests
    assert run_tests in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()


def test_the_demo_command_exists():
    from typer.testing import CliRunner

    from whoholds.cli import app

    result = CliRunner().invoke(app, ["demo", "--help"])
    assert result.exit_code == 0 and "--data" in result.output


def test_version_flag():
    from typer.testing import CliRunner

    from whoholds import __version__
    from whoholds.cli import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
