"""`changes` and `settlements` take their dates positionally (D1 D2) or as --from/--to, like `timeline`:
both spellings give the same output; disagreeing or missing dates are one line."""

from __future__ import annotations

import pytest
import shapely
from conftest import put_toy_snapshot
from typer.testing import CliRunner

from whoholds.cli import app
from whoholds.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("spell") / "store"
    st = Store(path)
    put_toy_snapshot(st, "2024-06-01", occupied=shapely.box(37.5, 48.0, 38.0, 48.6))
    put_toy_snapshot(st, "2024-06-05", occupied=shapely.box(37.2, 48.0, 38.0, 48.6))
    st.close()
    return str(path)


def test_changes_both_spellings_agree(store_path: str) -> None:
    old = runner.invoke(app, ["changes", "2024-06-01", "2024-06-05", "--store", store_path, "--format", "csv"])
    new = runner.invoke(app, ["changes", "--from", "2024-06-01", "--to", "2024-06-05", "--store", store_path,
                              "--format", "csv"])
    mixed = runner.invoke(app, ["changes", "2024-06-01", "--to", "2024-06-05", "--store", store_path,
                                "--format", "csv"])
    assert old.exit_code == 0, old.output
    assert old.output == new.output == mixed.output


@pytest.mark.parametrize("args", [
    ["changes", "2024-06-01", "2024-06-05", "--from", "2024-06-02"],
    ["changes"],
    ["settlements", "--from", "2024-06-01"],
    ["settlements", "2024-06-01", "--from", "2024-06-03", "--to", "2024-06-05"],
])
def test_date_mistakes_are_one_line(store_path: str, args: list[str]) -> None:
    out = runner.invoke(app, [*args, "--store", store_path])
    assert out.exit_code != 0
    assert "Traceback" not in out.output
    lines = [line for line in out.output.splitlines() if line.strip()]
    assert len(lines) == 1 and ("YYYY-MM-DD" in lines[0] or "two different dates" in lines[0]), out.output


def test_help_names_the_date_formats() -> None:
    for command in ("changes", "settlements"):
        out = runner.invoke(app, [command, "--help"], terminal_width=200)
        assert "--from" in out.output and "--to" in out.output and "YYYY-MM-DD" in out.output
