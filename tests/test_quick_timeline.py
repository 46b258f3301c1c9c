"""The cached timeline (metrics.quick_timeline, io.records) against the full path (metrics.timeline +
io.writers.write_frame): the same text, every figure and every column, on the real daily archive; it falls
back (None) whenever the cache does not cover the request; and the command answered from the cache imports
neither pandas nor the geometry stack."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import data_path

from whoholds.io.records import records_to_csv, records_to_json
from whoholds.io.writers import frame_to_csv, frame_to_json
from whoholds.metrics.quick_timeline import cached_timeline
from whoholds.metrics.suspects import SuspectRules
from whoholds.metrics.timeline import FRAME_COLUMNS, timeline
from whoholds.profiles import load_profile

UKR = load_profile("ukraine")
SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module")
def daily(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from whoholds.ingest import ingest
    from whoholds.store import Store

    path = data_path("ukraine", "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz")
    folder = tmp_path_factory.mktemp("quick-daily") / "store"
    with Store(folder) as st:
        report = ingest([path], UKR, st, unlabelled_state="occupied", workers=1)
        assert report.ok
        timeline(st, UKR)  # the boundary's id and area are remembered the first time it is loaded
    return folder


@pytest.fixture
def st(daily):  # noqa: ANN001, ANN201
    from whoholds.store import Store

    with Store(daily) as store:
        yield store


CASES = [
    dict(every="snapshot", by="state"),
    dict(every="day", by="actor"),
    dict(every="week", by="coalition"),
    dict(every="month", by="state"),
    dict(every="snapshot", by="actor", start=dt.date(2024, 11, 1), end=dt.date(2024, 11, 30)),
    dict(every="month", by="state", start=dt.date(2025, 1, 15), end=dt.date(2025, 6, 10)),
    dict(every="week", by="state", start=dt.date(2026, 8, 10), exclude_suspect=True),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(str(v) for v in c.values()))
def test_cached_timeline_writes_what_the_full_path_writes(st, case) -> None:  # noqa: ANN001
    full = timeline(st, UKR, **case)
    got = cached_timeline(st, UKR, **case)
    assert got is not None, "the daily archive is cached after ingest"
    parts, bnd = got
    assert bnd.id == full.boundary.id and bnd.area_km2 == full.boundary.area_km2
    assert len(parts.records) == len(full.frame) > 0
    # the same text, character for character, in both machine formats
    assert records_to_csv(parts.records, FRAME_COLUMNS) == frame_to_csv(full.frame)
    assert records_to_json(parts.records, FRAME_COLUMNS) == frame_to_json(full.frame)
    assert parts.convention == full.convention and parts.notes == full.notes and parts.method == full.method
    assert parts.gaps == full.gaps.to_dict("records")
    assert len(parts.suspects) == len(full.suspects)


def test_cached_figures_are_the_stored_ones(st) -> None:  # noqa: ANN001
    """Independent of both paths: the occupied area of a date is the areas table's row, gains and losses of a
    day the transfers table's rows for that pair."""
    parts, bnd = cached_timeline(st, UKR, dt.date(2025, 3, 1), dt.date(2025, 3, 2))
    row = [r for r in parts.records if r["date"] == dt.date(2025, 3, 2) and r["group"] == "occupied"][0]
    area = st.con.execute("SELECT area_km2 FROM areas WHERE snapshot_id = ? AND state = 'occupied' AND "
                          "boundary_id = ?", [row["snapshot_id"], bnd.id]).fetchone()[0]
    assert row["area_km2"] == pytest.approx(area, abs=1e-9)
    moved = st.con.execute("SELECT from_state, to_state, sum(area_km2) FROM transfers WHERE from_id = ? AND to_id = ? "
                           "AND boundary_id = ? GROUP BY ALL", [row["from_snapshot_id"], row["snapshot_id"],
                                                                bnd.id]).fetchall()
    gains = sum(v for a, b, v in moved if b == "occupied" and a != "occupied")
    losses = sum(v for a, b, v in moved if a == "occupied" and b != "occupied")
    assert row["gains_km2"] == pytest.approx(gains, abs=1e-9)
    assert row["losses_km2"] == pytest.approx(losses, abs=1e-9)
    assert row["share_pct"] == pytest.approx(100 * area / bnd.area_km2)


def test_falls_back_when_the_cache_does_not_cover_the_request(daily, st, tmp_path) -> None:  # noqa: ANN001
    import shutil

    from whoholds.store import Store

    folder = daily
    # another boundary: never measured with this store
    other = tmp_path / "square.geojson"
    other.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                     "geometry": {"type": "Polygon", "coordinates": [[[30, 45], [40, 45], [40, 52], [30, 52],
                                                                      [30, 45]]]}}]}))
    assert cached_timeline(st, UKR, boundary=str(other)) is None
    # a spike rule that compares neighbours never compared at ingest
    rules = SuspectRules(factor=0.0, min_km2=0.0, reversal=1e9)
    assert cached_timeline(st, UKR, rules=rules) is None
    # a transfer gone from the cache
    copy = tmp_path / "copy"
    st.con.execute("CHECKPOINT")
    shutil.copytree(folder, copy)
    other_store = Store(copy)
    try:
        pair = other_store.con.execute("SELECT from_id, to_id FROM transfers LIMIT 1 OFFSET 100").fetchone()
        other_store.con.execute("DELETE FROM transfers WHERE from_id = ? AND to_id = ?", list(pair))
        assert cached_timeline(other_store, UKR) is None
    finally:
        other_store.close()


def test_the_cached_command_imports_no_pandas_or_geometry(daily, tmp_path) -> None:  # noqa: ANN001
    import os

    from whoholds.store import Store

    folder = daily
    out = tmp_path / "t.csv"
    code = ("import runpy, sys\n"
            f"sys.argv = ['whoholds', 'timeline', '--store', {str(folder)!r}, '-f', 'csv', '-o', {str(out)!r}]\n"
            "try:\n    runpy.run_module('whoholds', run_name='__main__')\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "heavy = ('pandas', 'geopandas', 'shapely', 'numpy', 'matplotlib', 'pyarrow', 'pydantic')\n"
            "print('LOADED', ','.join(m for m in heavy if m in sys.modules))\n")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert proc.stdout.strip().splitlines()[-1] == "LOADED"
    with Store(folder) as st:
        assert frame_to_csv(timeline(st, UKR).frame) == out.read_text()


# ---- the record writer against write_frame on cases the timeline may not have ---------------------------
def test_record_writer_matches_the_frame_writer_on_awkward_values() -> None:
    recs = [
        {"d": dt.date(2024, 1, 1), "t": dt.datetime(2024, 1, 1, 10, 5), "m": dt.datetime(2024, 1, 1), "x": 1,
         "y": 0.1 + 0.2, "b": True, "s": 'comma, "quote"\nnewline', "n": None, "i": 3, "f": float("nan")},
        {"d": None, "t": None, "m": None, "x": None, "y": 1e-7, "b": False, "s": "", "n": None, "i": 4,
         "f": float("nan")},
        {"d": dt.date(2024, 1, 3), "t": dt.datetime(2024, 1, 3, 0, 0, 1), "m": dt.datetime(2024, 1, 3), "x": 2.5,
         "y": 1.2345678901234568e17, "b": True, "s": "é", "n": None, "i": 5, "f": math.inf},
    ]
    cols = list(recs[0])
    frame = pd.DataFrame(recs, columns=cols)
    assert records_to_csv(recs, cols) == frame_to_csv(frame)
    assert records_to_json(recs, cols) == frame_to_json(frame)
    assert records_to_csv([], cols) == frame_to_csv(pd.DataFrame([], columns=cols))
    assert records_to_json([], cols) == frame_to_json(pd.DataFrame([], columns=cols))


@pytest.mark.parametrize("width", [None, 90])
@pytest.mark.parametrize("every", ["snapshot", "month"])
def test_cached_tables_are_the_full_paths_tables(st, every, width, monkeypatch) -> None:  # noqa: ANN001
    """The terminal tables (timeline, gaps) drawn from records equal those drawn from the full path's frames,
    whole and fitted to a narrow terminal."""
    import io

    from whoholds.metrics.suspects import GAP_COLUMNS
    from whoholds.render.record_frame import RecordFrame
    from whoholds.render.tables import print_frame

    monkeypatch.setenv("COLUMNS", str(width or ""))
    full = timeline(st, UKR, every=every, by="actor")
    parts, _bnd = cached_timeline(st, UKR, every=every, by="actor")
    cols = ["date", "name", "area_km2", "share_pct", "net_km2", "gains_km2", "losses_km2", "suspect",
            "snapshot_id", "source", "boundary", "method", "whoholds_version"]

    def drawn(frame, title: str) -> str:  # noqa: ANN001
        out = io.StringIO()
        print_frame(frame, title, file=out)
        return out.getvalue()

    mine = drawn(RecordFrame(parts.records, FRAME_COLUMNS)[cols], "t")
    assert mine == drawn(full.frame[cols], "t")
    assert "Area km²" in mine and "Occupied" in mine or "Russia" in mine
    assert drawn(RecordFrame(parts.gaps, GAP_COLUMNS), "g") == drawn(full.gaps, "g")


def test_plain_option_values_keep_typers_checks(tmp_path) -> None:  # noqa: ANN001
    """Options coerced without Pydantic (cli.light_params) still get Typer's own errors for bad values."""
    from typer.testing import CliRunner

    from whoholds.cli import app

    runner = CliRunner()
    bad_int = runner.invoke(app, ["timeline", "--store", str(tmp_path), "--workers", "many"])
    assert bad_int.exit_code == 2 and "--workers" in bad_int.output
    out_of_range = runner.invoke(app, ["serve", "--store", str(tmp_path), "--port", "70000"])
    assert out_of_range.exit_code == 2 and "--port" in out_of_range.output


def test_builtin_profiles_read_the_same_with_libyaml() -> None:
    """The fast loader used for the built-in profiles gives exactly what PyYAML's pure-Python one gives."""
    from importlib import resources

    import yaml

    from whoholds.profiles import builtin_profiles
    from whoholds.profiles.loader import FAST_SAFE_LOADER

    for name in builtin_profiles():
        text = resources.files("whoholds.profiles").joinpath(f"{name}.yaml").read_text("utf-8")
        assert yaml.load(text, Loader=FAST_SAFE_LOADER) == yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506


@pytest.mark.parametrize("case", [dict(every="snapshot", by="state"), dict(every="month", by="actor"),
                                  dict(every="week", by="coalition", exclude_suspect=True)],
                         ids=lambda c: "-".join(str(v) for v in c.values()))
def test_cached_timeline_on_the_raw_feed(monthly_store, case) -> None:  # noqa: ANN001
    """The raw feed (three states, grey zone, unassigned land): the same text as the full path."""
    full = timeline(monthly_store, UKR, **case)  # fills what the cache lacks (period pairs), as a user's run would
    got = cached_timeline(monthly_store, UKR, **case)
    assert got is not None
    parts, _bnd = got
    assert len({r["group"] for r in parts.records}) >= 2
    assert records_to_csv(parts.records, FRAME_COLUMNS) == frame_to_csv(full.frame)
    assert records_to_json(parts.records, FRAME_COLUMNS) == frame_to_json(full.frame)
    assert parts.notes == full.notes and len(parts.suspects) == len(full.suspects)


def test_api_timeline_answers_from_the_cache_with_the_full_paths_json(daily, monkeypatch) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    from whoholds.api import create_app
    from whoholds.api.common import jsonable
    from whoholds.store import Store

    with Store(daily) as store:
        full = timeline(store, UKR, every="week", by="actor")
    want = jsonable({"profile": "ukraine", "by": full.by, "every": full.every, "convention": full.convention,
                     "method": full.method, "notes": full.notes, "provenance": full.provenance.as_dict(),
                     "rows": full.frame, "gaps": full.gaps, "suspects": full.suspects})

    def no_full_path(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the full path ran")

    monkeypatch.setattr("whoholds.metrics.timeline.timeline", no_full_path)
    with TestClient(create_app(daily, claim_workers=1)) as client:
        resp = client.get("/api/timeline", params={"every": "week", "by": "actor"})
    assert resp.status_code == 200, resp.text
    assert resp.json() == json.loads(json.dumps(want))
