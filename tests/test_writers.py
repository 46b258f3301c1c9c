"""io.writers: round trips, atomic writes, formats and errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from whoholds.errors import InputError
from whoholds.io import writers
from whoholds.io.writers import atomic_path, write_frame, write_geo
from whoholds.render.tables import write_result


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": [dt.date(2024, 12, 1), dt.date(2024, 12, 1), dt.date(2024, 12, 2)],
            "group": ["russia", "ukraine", "unknown"],
            "name": ["Russia", "Ukraine", "Unknown status (grey zone)"],
            "area_km2": [111181.23456, 490000.5, np.nan],
            "share_pct": [18.42, 81.19, 0.39],
            "n": [3, 4, 5],
            "snapshot_id": ["abcdef0123456789", "abcdef0123456789", "ffff"],
            "source": ["/data/a.geojson", "/data/a.geojson", "/data/b.geojson"],
            "boundary": ["ne10m-deu-UKR"] * 3,
            "method": ["geodesic"] * 3,
            "whoholds_version": ["0.1.0"] * 3,
        }
    )


def test_csv_round_trip(tmp_path, frame):
    out = tmp_path / "s.csv"
    write_frame(frame, "csv", out)
    back = pd.read_csv(out, parse_dates=["date"])
    back["date"] = back["date"].dt.date
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    assert out.read_text().splitlines()[1].startswith("2024-12-01,russia,Russia,111181.23456")


def test_csv_to_stdout(capsys, frame):
    write_frame(frame, "csv", None)
    text = capsys.readouterr().out
    assert text.splitlines()[0] == ",".join(frame.columns)
    assert "whoholds_version" in text and "/data/a.geojson" in text


def test_json_records_iso_dates_null(capsys, frame):
    write_frame(frame, "json", None)
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 3
    assert records[0]["date"] == "2024-12-01"
    assert records[2]["area_km2"] is None
    assert records[1]["n"] == 4 and isinstance(records[1]["n"], int)
    # provenance columns are kept in files
    assert records[0]["snapshot_id"] == "abcdef0123456789" and records[0]["method"] == "geodesic"


def test_json_round_trip_file(tmp_path, frame):
    out = tmp_path / "s.json"
    write_frame(frame, "json", out)
    back = pd.DataFrame(json.loads(out.read_text(encoding="utf-8")))
    back["date"] = pd.to_datetime(back["date"]).dt.date
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)


def test_json_timestamps_and_numpy_types(capsys):
    df = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-12-01", None]),
            "when": pd.to_datetime(["2024-12-01 10:30", "2024-12-02 00:00"]),
            "flag": np.array([True, False]),
            "x": np.array([np.inf, 1.5], dtype=np.float32),
        }
    )
    write_frame(df, "json", None)
    rec = json.loads(capsys.readouterr().out)
    assert rec[0]["date"] == "2024-12-01" and rec[1]["date"] is None
    assert rec[0]["when"].startswith("2024-12-01T10:30")
    assert rec[0]["flag"] is True and rec[0]["x"] is None and rec[1]["x"] == 1.5


def test_parquet_round_trip(tmp_path, frame):
    out = tmp_path / "s.parquet"
    write_frame(frame, "parquet", out)
    back = pd.read_parquet(out)
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    assert back["area_km2"].iloc[0] == frame["area_km2"].iloc[0]  # full precision


def test_parquet_needs_output(frame):
    with pytest.raises(InputError, match="parquet"):
        write_frame(frame, "parquet", None)


def test_unknown_format(frame):
    with pytest.raises(InputError, match="unknown format"):
        write_frame(frame, "xlsx", None)


def test_missing_folder_is_input_error(tmp_path, frame):
    with pytest.raises(InputError, match="does not exist"):
        write_frame(frame, "csv", tmp_path / "nope" / "s.csv")


def test_table_to_stdout_has_caption_not_provenance_columns(capsys, frame):
    write_result(frame, "table", None, title="Shares")
    text = capsys.readouterr().out
    flat = " ".join(text.split())
    assert "Shares" in text
    assert "111,181.2" in text and "18.42" in text
    assert "Boundary: ne10m-deu-UKR" in flat  # caption
    assert "whoholds_version" not in text and "Snapshot id" not in text  # no provenance columns


def test_table_to_file(tmp_path, frame):
    out = tmp_path / "s.txt"
    write_result(frame, "table", out, title="Shares")
    assert "490,000.5" in out.read_text(encoding="utf-8")


def test_piped_table_is_whole_never_ellipsised(capsys, monkeypatch):
    """A table piped to a file or another program keeps every column whole (Rich's default 80 columns
    squeezed a by-region table into '…' cells)."""
    monkeypatch.delenv("COLUMNS", raising=False)
    wide = pd.DataFrame({"region_id": ["UA-14"], "region": ["Donetsk Oblast"],
                         "region_local": ["Донецька область"], "name": ["Russia"],
                         "km2_d1": [17809.8], "km2_d2": [18766.33], "gained_km2": [958.6], "lost_km2": [2.1],
                         "net_km2": [956.5], "note": ["a long free-text column " * 4]})
    write_result(wide, "table", None, title="Changes by region")
    text = capsys.readouterr().out
    assert "…" not in text
    assert "Донецька область" in text and "Donetsk Oblast" in text and "956.5" in text


def test_write_frame_leaves_tables_to_render():
    with pytest.raises(InputError):
        write_frame(pd.DataFrame({"a": [1]}), "table", None)


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def test_exception_mid_write_keeps_old_file(tmp_path, frame, monkeypatch):
    out = tmp_path / "s.parquet"
    out.write_bytes(b"old content")

    def broken(self, path, *args, **kwargs):
        with open(path, "wb") as fh:
            fh.write(b"PAR1 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", broken)
    with pytest.raises(OSError, match="disk full"):
        write_frame(frame, "parquet", out)
    assert out.read_bytes() == b"old content"
    assert _leftovers(tmp_path) == []


def test_exception_mid_write_text_keeps_old_file(tmp_path, frame, monkeypatch):
    out = tmp_path / "s.json"
    out.write_text("[]")

    def broken(df):
        raise RuntimeError("boom")

    monkeypatch.setattr(writers, "frame_to_json", broken)
    with pytest.raises(RuntimeError):
        write_frame(frame, "json", out)
    assert out.read_text() == "[]"
    assert _leftovers(tmp_path) == []


def test_atomic_path_interrupted(tmp_path):
    out = tmp_path / "x.txt"
    out.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_path(out) as tmp:
        tmp.write_text("new, half")
        raise KeyboardInterrupt
    assert out.read_text() == "old" and _leftovers(tmp_path) == []
    with atomic_path(out) as tmp:
        tmp.write_text("new")
    assert out.read_text() == "new"


def test_written_files_get_normal_permissions(tmp_path, frame):
    out = tmp_path / "s.csv"
    write_frame(frame, "csv", out)
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o666 & ~mask  # not mkstemp's 0600


@pytest.mark.parametrize("suffix", [".geojson", ".parquet", ".gpkg"])
def test_write_geo_round_trip(tmp_path, suffix):
    gdf = gpd.GeoDataFrame(
        {"state": ["occupied", "held"], "area_km2": [1.5, 2.5]},
        geometry=[box(30, 47, 31, 48), box(31, 47, 32, 48)],
        crs="EPSG:4326",
    )
    out = write_geo(gdf, tmp_path / f"layers{suffix}")
    back = gpd.read_parquet(out) if suffix == ".parquet" else gpd.read_file(out)
    assert list(back["state"]) == ["occupied", "held"]
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[0].equals(gdf.geometry.iloc[0])
    assert _leftovers(tmp_path) == []


def test_write_geo_unknown_suffix(tmp_path):
    gdf = gpd.GeoDataFrame({"state": ["a"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    with pytest.raises(InputError, match="unknown geometry format"):
        write_geo(gdf, tmp_path / "x.kml")


def test_geometry_column_written_as_wkt_in_csv(capsys):
    gdf = gpd.GeoDataFrame({"state": ["a"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    write_frame(gdf, "csv", None)
    assert "POLYGON" in capsys.readouterr().out


def test_geojson_layer_named_after_the_destination_not_the_temp_file(tmp_path):
    out = tmp_path / "layers_2025-03-01.geojson"
    write_geo(gpd.GeoDataFrame({"state": ["occupied"]}, geometry=[box(37, 47, 38, 48)], crs=4326), out)
    assert json.loads(out.read_text(encoding="utf-8"))["name"] == "layers_2025_03_01"


def test_records_json_text_equals_json_dumps_with_indent():
    """io.records assembles the JSON of plain records from C-encoded scalars; the text must be json.dumps's."""
    import random

    from whoholds.io.records import json_records, records_to_json

    rng = random.Random(7)
    columns = ["date", "name", "km2", "n", "flag", "empty", "note"]
    records = [{"date": dt.datetime(2024, 1, 1) + dt.timedelta(days=i),
                "name": rng.choice(["Russia", "Україна", 'a "q" \\ b\n', "é\t"]),
                "km2": rng.choice([1.5, 1e-7, 123456789.123, float("nan"), None, 0.1 + 0.2, -0.0, float("inf")]),
                "n": rng.choice([1, 2, None]), "flag": rng.choice([True, False]), "empty": None,
                "note": rng.choice(["", "x,y"])} for i in range(300)]
    expected = json.dumps(json_records(records, columns), ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    assert records_to_json(records, columns) == expected
    nested = [{"a": {"k": [1, 2]}, "b": 1}]
    assert records_to_json(nested, ["a", "b"]) == json.dumps(json_records(nested, ["a", "b"]), ensure_ascii=False,
                                                             indent=1) + "\n"
    assert records_to_json([], columns) == "[]\n"
