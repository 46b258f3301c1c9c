"""The CLI starts without heavy imports: a structural check in fresh processes (never a timing)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

#: Helper modules of whoholds.cli that define no command (imported by every command).
NOT_COMMANDS = ("app", "options", "crashlog", "guards", "light_params")
HEAVY = ("pandas", "geopandas", "matplotlib", "trafilatura", "fastapi", "dask", "quantulum3", "duckdb", "pyarrow",
         "shapely", "httpx", "uvicorn")
SRC = str(Path(__file__).resolve().parents[1] / "src")


def _fresh(code: str) -> dict:
    """Run ``code`` in a new interpreter; it prints a JSON object, which is returned."""
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "COLUMNS": "100"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


PROBE = """
import io, json, sys, contextlib
buf = io.StringIO()
code = 0
{body}
loaded = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})
commands = sorted(m for m in sys.modules if m.startswith('whoholds.cli.') and m.rsplit('.', 1)[1] not in
                  {not_commands!r})
print(json.dumps({{"heavy": loaded, "commands": commands, "code": code, "text": buf.getvalue()}}))
"""

RUN_MAIN = """
from whoholds.cli import main
sys.argv = ["whoholds", {args}]
with contextlib.redirect_stdout(buf):
    try:
        main()
    except SystemExit as exc:
        code = exc.code or 0
"""


def test_importing_the_cli_imports_nothing_heavy():
    got = _fresh(PROBE.format(body="import whoholds.cli", heavy=HEAVY, not_commands=NOT_COMMANDS))
    assert got["heavy"] == [] and got["commands"] == []


@pytest.mark.parametrize("args", ['"--help"', '"--version"'])
def test_help_and_version_import_no_command_module(args):
    got = _fresh(PROBE.format(body=RUN_MAIN.format(args=args), heavy=HEAVY, not_commands=NOT_COMMANDS))
    assert got["code"] == 0
    assert got["heavy"] == [], f"{args} imported {got['heavy']}"
    assert got["commands"] == [], f"{args} imported command modules {got['commands']}"
    if args == '"--help"':
        from whoholds.cli.app import COMMANDS

        present = {m.stem for m in (Path(SRC) / "whoholds" / "cli").glob("*.py")}
        for name, (module, _help) in COMMANDS.items():
            if module in present:
                assert f" {name} " in got["text"], f"{name} missing from --help"
    else:
        assert got["text"].startswith("whoholds ")


def test_a_command_imports_only_its_own_module():
    got = _fresh(PROBE.format(body=RUN_MAIN.format(args='"fetch", "--help"'), heavy=HEAVY, not_commands=NOT_COMMANDS))
    assert got["code"] == 0 and "wikipedia" in got["text"] and "deepstate" in got["text"]
    assert got["commands"] == ["whoholds.cli.fetch"] and got["heavy"] == []


#: Modules whose one-line helps must match the registry word for word (the others' are kept in step by hand).
HELP_CHECKED = ("core", "changes", "markers", "render", "fetch", "profile", "demo")


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())


def test_registry_matches_the_commands():
    """Every registered name is defined by its module with that one-line help; every command is registered."""
    from whoholds.cli.app import COMMANDS, _command_modules, app

    for module in _command_modules():
        importlib.import_module(f"whoholds.cli.{module}")
    built = typer.main.get_command(app)
    defined = {name: cmd for name, cmd in built.commands.items()}
    for name, (module, short) in COMMANDS.items():
        if name not in defined:
            continue  # a module that is not in this tree (each entry is listed only if its module exists)
        got = _first_paragraph(defined[name].help or "")
        assert got, f"{name} has no help"
        if module in HELP_CHECKED:
            assert got == short, f"update COMMANDS[{name!r}] in whoholds/cli/app.py to: {got!r}"
    unregistered = set(defined) - set(COMMANDS)
    assert not unregistered, f"add {sorted(unregistered)} to COMMANDS in whoholds/cli/app.py"
    modules_of = {name: spec[0] for name, spec in COMMANDS.items()}
    for name, cmd in defined.items():
        callback = getattr(cmd, "callback", None)
        if callback is not None and getattr(callback, "__module__", "").startswith("whoholds.cli."):
            assert callback.__module__ == f"whoholds.cli.{modules_of[name]}", name


def test_fetch_defaults_match_the_downloader():
    from whoholds.cli import fetch as cli_fetch
    from whoholds.fetch import wikipedia

    assert (cli_fetch.DEFAULT_MODULE, cli_fetch.DEFAULT_SITE, cli_fetch.MARKS_MODULE) == (
        wikipedia.DEFAULT_MODULE, wikipedia.DEFAULT_SITE, wikipedia.MARKS_MODULE)


def test_unknown_command_is_one_line():
    from typer.testing import CliRunner

    from whoholds.cli import app

    r = CliRunner().invoke(app, ["no-such-command"])
    assert r.exit_code == 2 and "No such command" in r.output


def test_a_command_missing_from_the_registry_still_runs(monkeypatch):
    """A module added later without a registry entry: found by importing the command modules."""
    from typer.testing import CliRunner

    from whoholds.cli import app
    from whoholds.cli.app import COMMANDS

    monkeypatch.delitem(COMMANDS, "demo")
    r = CliRunner().invoke(app, ["demo", "--help"])
    assert r.exit_code == 0 and "--root" in r.output
    r = CliRunner().invoke(app, ["--help"])
    assert r.exit_code == 0 and " demo " in r.output


def test_light_option_coercion_is_active_with_the_pinned_typer():
    """cli.light_params hooks a Typer internal; with the Typer pyproject pins it must be installed, so a Typer
    change that disables it fails here instead of silently costing every command ~0.25 s."""
    from typer import core

    import whoholds.cli.app  # noqa: F401  (installs the hook)

    assert getattr(core._TyperParameter, "_whoholds_light", False)
