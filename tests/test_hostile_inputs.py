"""Hostile inputs through `whoholds ingest`: each ends in one line naming the file and the problem (or is
read), never a traceback, within bounded time, and leaves the store consistent (`store check` passes)."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from whoholds.cli import app
from whoholds.store import Store

runner = CliRunner()
SQUARE = [[37.5, 47.8], [37.8, 47.8], [37.8, 48.0], [37.5, 48.0], [37.5, 47.8]]


def map_text(ring_text: str | None = None) -> str:
    coords = ring_text if ring_text is not None else json.dumps([SQUARE])
    return ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Occupied"},'
            f'"geometry":{{"type":"Polygon","coordinates":{coords}}}}}]}}')


def ingest(store: Path, *paths: Path) -> tuple[int, list[str]]:
    out = runner.invoke(app, ["ingest", "--profile", "ukraine", "--store", str(store), "--workers", "1",
                              *map(str, paths)])
    assert "Traceback" not in out.output, out.output
    assert out.exception is None or isinstance(out.exception, SystemExit), repr(out.exception)
    return out.exit_code, [line for line in out.output.splitlines() if line.startswith("error:")]


def store_is_consistent(store: Path) -> None:
    out = runner.invoke(app, ["store", "check", "--store", str(store)])
    assert out.exit_code == 0, out.output


def one_error(store: Path, path: Path, *words: str) -> str:
    code, errors = ingest(store, path)
    assert code != 0 and len(errors) == 1, errors
    assert all(w in errors[0] for w in words), errors[0]
    store_is_consistent(store)
    return errors[0]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_coordinates(tmp_path: Path, value: str) -> None:
    path = tmp_path / "bad_2024-03-01.geojson"
    path.write_text(map_text(f"[[[37.5,47.8],[37.8,47.8],[{value},48.0],[37.5,47.8]]]"))
    one_error(tmp_path / "st", path, path.name, value)


@pytest.mark.parametrize("where", ["properties", "coordinates"])
def test_deeply_nested_json(tmp_path: Path, where: str) -> None:
    path = tmp_path / "deep_2024-03-01.geojson"
    if where == "coordinates":
        path.write_text(map_text("[" * 20000 + "37,48" + "]" * 20000))
    else:
        path.write_text(map_text().replace('"name":"Occupied"', '"name":"Occupied","x":' + "[" * 100000 + "]" * 100000))
    one_error(tmp_path / "st", path, path.name)


@pytest.mark.parametrize("name", ["empty_2024-03-01.geojson", "empty.kml", "empty.kmz", "empty.zip", "empty.gpkg"])
def test_zero_byte_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    one_error(tmp_path / "st", path, name)


def zip_bomb(member: str, mb: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf, zf.open(member, "w") as fh:
        chunk = b" " * (1 << 20)
        for _ in range(mb):
            fh.write(chunk)
    return buf.getvalue()


@pytest.mark.parametrize(("name", "member"), [("bomb.kmz", "doc.kml"), ("front_2024-03-01.zip", "front.shp")])
def test_zip_bombs_gdal_would_inflate(tmp_path: Path, name: str, member: str, monkeypatch) -> None:
    monkeypatch.setenv("WHOHOLDS_MAX_MEMBER_MB", "16")  # the same check as the 256 MB default, smaller
    path = tmp_path / name
    path.write_bytes(zip_bomb(member, 40))
    one_error(tmp_path / "st", path, name, "compression bomb")


def test_folder_of_10000_tiny_files(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10_000):
        (folder / f"note{i:05d}.txt").write_bytes(b"x")
    one_error(tmp_path / "st", folder, "many", "no map files")


def test_symlink_loop_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    (folder / "sub").mkdir(parents=True)
    (folder / "occupied_2024-03-01.geojson").write_text(map_text())
    os.symlink("..", folder / "sub" / "up")  # maps/sub/up -> maps: a cycle
    os.symlink("missing.geojson", folder / "dangling_2024-03-02.geojson")
    code, errors = ingest(tmp_path / "st", folder)
    assert len(errors) <= 1 and all("dangling" in e for e in errors), errors  # the dangling link, named
    st = Store(tmp_path / "st")
    try:
        assert [str(d) for d in st.dates("ukraine")] == ["2024-03-01"]  # read once, the loop not followed
    finally:
        st.close()
    store_is_consistent(tmp_path / "st")


def test_file_name_with_a_newline(tmp_path: Path) -> None:
    path = tmp_path / "bad\nname_2024-03-01.geojson"
    path.write_text('{"type":"Feat')
    line = one_error(tmp_path / "st", path, "bad\\nname")
    assert "\n" not in line


def test_file_that_is_being_written(tmp_path: Path) -> None:
    # A map still being written by another program (copied mid-download): the read sees a cut-off JSON.
    text = map_text()
    path = tmp_path / "growing_2024-03-01.geojson"
    path.write_text(text[: len(text) // 2])
    one_error(tmp_path / "st", path, path.name, "truncated")


def test_markup_like_names_and_labels_are_printed_as_text(tmp_path: Path) -> None:
    # Brackets in file names and labels are user text, not terminal markup: never eaten, never a crash.
    missing = tmp_path / "[/bold]gone.geojson"
    out = runner.invoke(app, ["ingest", "--profile", "ukraine", "--store", str(tmp_path / "st"), str(missing)])
    assert out.exit_code == 2 and "[/bold]gone.geojson" in out.output, out.output
    path = tmp_path / "[red]map_2024-03-01.geojson"
    path.write_text(map_text().replace('"name":"Occupied"', '"name":"[/] odd [b]label"'))
    out = runner.invoke(app, ["ingest", "--profile", "ukraine", "--store", str(tmp_path / "st"), str(path)])
    assert "Traceback" not in out.output and "internal error" not in out.output, out.output
    assert "[red]map_2024-03-01.geojson" in out.output and "[/] odd [b]label" in out.output, out.output


def test_vertex_limit(tmp_path: Path, monkeypatch) -> None:
    # The same check as the default 1,000,000 (a 10^6-vertex ring), at a size a test can afford.
    import numpy as np

    t = np.linspace(0, 2 * np.pi, 3000, endpoint=False)
    ring = np.c_[37.5 + 0.3 * np.cos(t), 48 + 0.2 * np.sin(t)].round(6).tolist()
    path = tmp_path / "dense_2024-03-01.geojson"
    path.write_text(map_text(json.dumps([[*ring, ring[0]]])))
    monkeypatch.setenv("WHOHOLDS_MAX_VERTICES", "2000")
    one_error(tmp_path / "st", path, path.name, "3,001 polygon vertices", "WHOHOLDS_MAX_VERTICES")
    monkeypatch.setenv("WHOHOLDS_MAX_VERTICES", "5000")
    code, errors = ingest(tmp_path / "st", path)
    assert code == 0 and not errors
    store_is_consistent(tmp_path / "st")
