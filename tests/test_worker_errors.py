"""An input error raised inside an ingest worker process reaches the user as its own one line."""

from __future__ import annotations

import pickle

import pytest
from conftest import data_path
from typer.testing import CliRunner

from whoholds.errors import InputError, QueryError, StoreError, WhoholdsError


@pytest.mark.parametrize("kind", [WhoholdsError, InputError, StoreError, QueryError])
def test_errors_survive_the_trip_back_from_a_worker(kind: type[WhoholdsError]) -> None:
    err = pickle.loads(pickle.dumps(kind("maps/a.geojson", "not valid JSON")))
    assert type(err) is kind and (err.source, err.problem) == ("maps/a.geojson", "not valid JSON")
    assert str(err) == "maps/a.geojson: not valid JSON"


def test_two_undated_modules_give_two_lines_not_a_broken_pool(tmp_path) -> None:  # noqa: ANN001
    from whoholds.cli import app

    modules = [data_path("syria", f"wikipedia_zh_Module_{name}_detailed_map.md")
               for name in ("Syrian_Civil_War", "Syrian_and_Iraqi_insurgency")]  # two files: the worker pool
    result = CliRunner().invoke(app, ["ingest", *map(str, modules), "--store", str(tmp_path / "s"),
                                      "--workers", "2"])
    out = result.output
    assert "internal error" not in out and "BrokenProcessPool" not in out, out
    assert "has no date: pass --date" in out
