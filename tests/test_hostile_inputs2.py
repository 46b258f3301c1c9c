"""Hostile inputs, round 2, through `whoholds ingest`: each ends in one line naming the file and the problem
(or is read correctly), never a traceback, never a hang (cases that would block run in a subprocess with a
deadline), and leaves the store consistent (`store check` passes)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import warnings
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod
from test_hostile_inputs import SQUARE, ingest, map_text, one_error, store_is_consistent

from whoholds.errors import InputError
from whoholds.io.readers import read_maps
from whoholds.io.repair import repair_geometries
from whoholds.profiles import load_profile
from whoholds.store import Store

SRC = str(Path(__file__).resolve().parents[1] / "src")
GEOD = Geod(ellps="WGS84")


def stored_dates(store: Path) -> list[str]:
    st = Store(store)
    try:
        return [str(d) for d in st.dates("ukraine")]
    finally:
        st.close()


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run([sys.executable, "-m", "whoholds", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def _pm(name: str, ring: list[list[float]]) -> str:
    coords = " ".join(f"{x},{y}" for x, y in ring)
    return (f"<Placemark><name>{name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}"
            "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>")


def kml(body: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<kml xmlns="http://www.opengis.net/kml/2.2">'
            f"<Document><name>Front</name>{body}</Document></kml>")


# --- files that are not files -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "dev_urandom"])
def test_pipes_and_devices_are_refused_without_blocking(tmp_path: Path, kind: str) -> None:
    path = tmp_path / ("front_2024-03-01.kml" if kind == "dev_urandom" else "front_2024-03-01.geojson")
    if kind == "fifo":
        os.mkfifo(path)
    else:
        os.symlink("/dev/zero" if kind == "dev_zero" else "/dev/urandom", path)
    out = run_cli("ingest", "--profile", "ukraine", "--store", str(tmp_path / "st"), "--workers", "1", str(path),
                  timeout=60)  # before the fix: a FIFO blocked forever, /dev/zero was read until memory ran out
    errors = [line for line in out.stdout.splitlines() + out.stderr.splitlines() if line.startswith("error:")]
    assert out.returncode != 0 and len(errors) == 1 and "Traceback" not in out.stderr, out.stderr
    assert path.name in errors[0] and ("named pipe" in errors[0] or "character device" in errors[0])


def test_pipes_and_devices_in_a_folder_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    folder.mkdir()
    os.mkfifo(folder / "pipe_2024-03-01.geojson")
    os.symlink("/dev/zero", folder / "zero_2024-03-02.geojson")
    (folder / "front_2024-03-03.geojson").write_text(map_text())
    out = run_cli("ingest", "--profile", "ukraine", "--store", str(tmp_path / "st"), "--workers", "1", str(folder),
                  timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert stored_dates(tmp_path / "st") == ["2024-03-03"]


def test_a_file_deleted_while_the_folder_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    folder.mkdir()
    for day in ("01", "02", "03"):
        (folder / f"front_2024-03-{day}.geojson").write_text(map_text())
    errors: list[InputError] = []
    got = []
    for snap in read_maps([folder], load_profile("ukraine"), errors=errors):
        got.append(str(snap.date))
        (folder / "front_2024-03-02.geojson").unlink(missing_ok=True)  # gone between listing and reading
    assert got == ["2024-03-01", "2024-03-03"]
    assert len(errors) == 1 and "front_2024-03-02" in str(errors[0]) and "No such file" in str(errors[0])


def test_permission_denied_file_in_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "front_2024-03-01.geojson").write_text(map_text())
    locked = folder / "locked_2024-03-02.geojson"
    locked.write_text(map_text())
    real_open = Path.open

    def guarded(self: Path, *args: object, **kwargs: object):  # noqa: ANN202 - chmod 0 cannot stop root
        if self.name == locked.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded)
    code, errors = ingest(tmp_path / "st", folder)
    assert len(errors) == 1 and locked.name in errors[0] and "Permission denied" in errors[0], errors
    assert stored_dates(tmp_path / "st") == ["2024-03-01"]
    store_is_consistent(tmp_path / "st")


# --- XML --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("prolog", [
    '<!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',                       # billion laughs, shortened
    '<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',           # external entity
])
def test_entity_declarations_are_refused(tmp_path: Path, prolog: str) -> None:
    path = tmp_path / "front_2024-03-01.kml"
    path.write_text(kml(_pm("&c;" if "laugh" in prolog or "ENTITY a" in prolog else "&xxe;", SQUARE), prolog))
    one_error(tmp_path / "st", path, path.name, "entities")


@pytest.mark.parametrize("dtd", ["file:///dev/zero", "/etc/passwd", "http://example.org/kml.dtd"])
def test_external_dtd_is_never_loaded(tmp_path: Path, dtd: str) -> None:
    # No entity is declared, and the parser loads no external DTD: read as usual, without blocking.
    path = tmp_path / "front_2024-03-01.kml"
    path.write_text(kml(_pm("Occupied", SQUARE), f'<!DOCTYPE kml SYSTEM "{dtd}">'))
    code, errors = ingest(tmp_path / "st", path)
    assert code == 0 and not errors, errors


@pytest.mark.parametrize("depth", [150, 5000])
def test_deeply_nested_kml_is_one_clear_line(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "front_2024-03-01.kml"
    path.write_text(kml("<Folder>" * depth + _pm("Occupied", SQUARE) + "</Folder>" * depth))
    one_error(tmp_path / "st", path, path.name, "nested", "levels deep")


def test_invalid_utf8_in_a_kml_name_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "front_2024-03-01.kml"
    path.write_bytes(kml(_pm("Occupied", SQUARE)).encode().replace(b"<name>Occupied", b"<name>Occupied \xff\xc3"))
    one_error(tmp_path / "st", path, path.name, "not UTF-8", "0xff")


def test_utf16_kml_and_geojson_with_byte_order_marks(tmp_path: Path) -> None:
    (tmp_path / "a_2024-03-01.kml").write_bytes(b"\xfe\xff" + kml(_pm("Occupied", SQUARE)).replace(
        'encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-be"))
    (tmp_path / "b_2024-03-02.geojson").write_bytes(b"\xff\xfe" + map_text().encode("utf-16-le"))
    code, errors = ingest(tmp_path / "st", tmp_path / "a_2024-03-01.kml", tmp_path / "b_2024-03-02.geojson")
    assert code == 0 and not errors, errors
    assert stored_dates(tmp_path / "st") == ["2024-03-01", "2024-03-02"]


@pytest.mark.parametrize("junk", ["<tr><td>" * 8000, "<tr><td>a</td><td>" * 3600, "<tr" * 20000])
def test_html_descriptions_built_to_backtrack(tmp_path: Path, junk: str) -> None:
    # 64 KB of unclosed table rows in each of 50 descriptions: the old one-regex-per-row parser took ~6 s per
    # description (5 minutes here); split-based parsing is linear. The polygons are read, their rows ignored.
    from xml.sax.saxutils import escape

    marks = "".join(_pm("Occupied", SQUARE).replace("</name>", f"</name><description>{escape(junk)}</description>")
                    for _ in range(50))
    path = tmp_path / "front_2024-03-01.kml"
    path.write_text(kml(marks))
    snaps = list(read_maps([path], load_profile("ukraine")))
    assert len(snaps[0].features) == 50 and set(snaps[0].features.state) == {"occupied"}


def test_coordinate_of_1e300_in_kml_is_one_line_without_warnings(tmp_path: Path) -> None:
    ring = [[1e300, 47.8], [37.8, 47.8], [37.8, 48.0], [37.5, 48.0], [1e300, 47.8]]
    path = tmp_path / "front_2024-03-01.kml"
    path.write_text(kml(_pm("Occupied", ring)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # an overflow warning from GEOS would fail here
        with pytest.raises(InputError, match="1e\\+300"):
            list(read_maps([path], load_profile("ukraine")))


def test_very_long_line(tmp_path: Path) -> None:
    # 20 MB of one JSON line (a property holding a long note): read, not refused, not slow.
    path = tmp_path / "front_2024-03-01.geojson"
    path.write_text(map_text().replace('"name":"Occupied"', '"name":"Occupied","note":"' + "x" * (20 << 20) + '"'))
    code, errors = ingest(tmp_path / "st", path)
    assert code == 0 and not errors, errors


# --- geometry ---------------------------------------------------------------------------------------------

def _geod_km2(xs: list[float], ys: list[float], steps: int = 100) -> float:
    """Geod area of a lon/lat ring given as corner lists, densified along straight lon/lat edges."""
    px: list[float] = []
    py: list[float] = []
    for i in range(len(xs) - 1):
        t = np.linspace(0, 1, steps, endpoint=False)
        px.extend(xs[i] + (xs[i + 1] - xs[i]) * t)
        py.extend(ys[i] + (ys[i + 1] - ys[i]) * t)
    return abs(GEOD.polygon_area_perimeter(px, py)[0]) / 1e6


def test_polygon_crossing_the_antimeridian_is_cut_not_wrapped() -> None:
    from whoholds.geometry.area import geodesic_area_km2

    crossing = shapely.Polygon([[179, 47], [-179, 47], [-179, 48], [179, 48], [179, 47]])
    world = shapely.box(-180, -90, 180, 90)  # a world mask: along ±180°, not across it
    repaired, counts = repair_geometries(np.array([crossing, world], dtype=object))
    assert counts["antimeridian"] == 1 and counts["orientation"] == 0
    assert repaired[0].bounds == (-180.0, 47.0, 180.0, 48.0) and len(shapely.get_parts(repaired[0])) == 2
    # The real area: two 1°-wide strips either side of the line, by Geod on each half.
    east = _geod_km2([179, 180, 180, 179, 179], [47, 47, 48, 48, 47])
    west = _geod_km2([-180, -179, -179, -180, -180], [47, 47, 48, 48, 47])
    assert float(geodesic_area_km2(repaired[0]).sum()) == pytest.approx(east + west, rel=1e-4)
    assert repaired[1].equals(world)


def test_antimeridian_map_is_one_line_not_an_internal_error(tmp_path: Path) -> None:
    # Read plainly, the 2°-wide Pacific strip would span -179..179 and cover Ukraine's latitudes: a band
    # "occupied" across the country, or a GEOS TopologyException. Cut, it lies in the Pacific: refused.
    ring = [[179, 47], [-179, 47], [-179, 48], [179, 48], [179, 47]]
    path = tmp_path / "pacific_2024-03-01.geojson"
    path.write_text(map_text(json.dumps([ring])))
    one_error(tmp_path / "st", path, path.name, "outside")


@pytest.mark.parametrize(("name", "words"), [
    ("front_1900-03-01.geojson", ("1900-03-01", "before the start")),
    ("front_2200-03-01.geojson", ("2200-03-01", "future")),
])
def test_maps_dated_1900_or_2200(tmp_path: Path, name: str, words: tuple[str, ...]) -> None:
    path = tmp_path / name
    path.write_text(map_text())
    one_error(tmp_path / "st", path, name, *words)


# --- shapefiles and GeoPackages ---------------------------------------------------------------------------

def _shapefile(folder: Path, n: int) -> Path:
    import geopandas as gpd

    folder.mkdir(exist_ok=True)
    rings = [shapely.box(37 + i * 0.3, 47.8, 37.2 + i * 0.3, 48.0) for i in range(n)]
    path = folder / "front_2024-03-01.shp"
    gpd.GeoDataFrame({"name": ["Occupied"] * n}, geometry=rings, crs=4326).to_file(path)
    return path


def test_shx_index_from_another_export_is_refused(tmp_path: Path) -> None:
    # Before: GDAL read the 1 shape the stale index lists and silently lost the other 2.
    path = _shapefile(tmp_path / "three", 3)
    other = _shapefile(tmp_path / "one", 1)
    path.with_suffix(".shx").write_bytes(other.with_suffix(".shx").read_bytes())
    one_error(tmp_path / "st", path, path.name, ".shx", "1 shapes", "3 records")


def test_shx_index_pointing_outside_the_shp_is_refused(tmp_path: Path) -> None:
    path = _shapefile(tmp_path / "three", 3)
    index = bytearray(path.with_suffix(".shx").read_bytes())
    index[100:104] = (0x7FFFFFF0).to_bytes(4, "big")  # shape 1's offset, far past the end
    path.with_suffix(".shx").write_bytes(bytes(index))
    one_error(tmp_path / "st", path, path.name, "outside the .shp", "shape 1 of 3")


def test_a_consistent_shapefile_still_reads_all_shapes(tmp_path: Path) -> None:
    path = _shapefile(tmp_path / "three", 3)
    snaps = list(read_maps([path], load_profile("ukraine")))
    assert len(snaps[0].features) == 3


def test_geopackage_with_a_corrupt_page_is_one_short_line(tmp_path: Path) -> None:
    import geopandas as gpd

    path = tmp_path / "front_2024-03-01.gpkg"
    rings = [shapely.box(37, 47.8, 37.3, 48.0)] * 50
    gpd.GeoDataFrame({"name": ["Occupied"] * 50}, geometry=rings, crs=4326).to_file(path)
    blob = bytearray(path.read_bytes())
    for i in range(4096 * 3, min(len(blob), 4096 * 6)):  # scramble pages 4-6 (the schema and the table)
        blob[i] = (blob[i] * 7 + 13) & 0xFF
    path.write_bytes(bytes(blob))
    line = one_error(tmp_path / "st", path, path.name)
    assert len(line) < 300, line  # GDAL's message quotes a whole SQL statement: only what failed is kept


def test_geopackage_layer_that_is_an_endless_sql_view_is_refused(tmp_path: Path) -> None:
    # A view registered as a feature layer runs its query when read: a recursive one never ends (before: a
    # hang). Refused from the schema alone, within seconds, whatever the query.
    import sqlite3

    import geopandas as gpd

    path = tmp_path / "front_2024-03-01.gpkg"
    gpd.GeoDataFrame({"name": ["Occupied"]}, geometry=[shapely.box(37.5, 47.8, 37.8, 48.0)], crs=4326).to_file(
        path, layer="control")
    con = sqlite3.connect(path)
    con.execute("CREATE VIEW endless AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                "SELECT x AS fid, (SELECT geom FROM control) AS geom, 'Occupied' AS name FROM c")
    con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                "VALUES ('endless', 'features', 'endless', 4326)")
    con.execute("INSERT INTO gpkg_geometry_columns VALUES ('endless', 'geom', 'POLYGON', 4326, 0, 0)")
    con.commit()
    con.close()
    out = run_cli("ingest", "--profile", "ukraine", "--store", str(tmp_path / "st"), "--workers", "1", str(path),
                  timeout=60)
    errors = [line for line in (out.stdout + out.stderr).splitlines() if line.startswith("error:")]
    assert out.returncode != 0 and len(errors) == 1 and "SQL view" in errors[0] and "endless" in errors[0], errors


def test_geoparquet_of_more_rows_than_the_vertex_limit_is_refused_from_its_footer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Dictionary-encoded repeated rows: kilobytes on disk, gigabytes once read. The footer's row count is
    # checked against the vertex limit (four vertices a polygon at least) before anything is decompressed.
    import geopandas as gpd

    monkeypatch.setenv("WHOHOLDS_MAX_VERTICES", "1000")
    path = tmp_path / "front_2024-03-01.parquet"
    n = 300
    gpd.GeoDataFrame({"name": ["Occupied"] * n}, geometry=[shapely.box(37.5, 47.8, 37.8, 48.0)] * n,
                     crs=4326).to_parquet(path, compression="zstd")
    line = one_error(tmp_path / "st", path, path.name, "300 rows", "WHOHOLDS_MAX_VERTICES")
    assert "1,000" in line
    monkeypatch.setenv("WHOHOLDS_MAX_VERTICES", "2000")  # 1,500 vertices: read
    code, errors = ingest(tmp_path / "st2", path)
    assert code == 0 and not errors, errors


# --- archives ---------------------------------------------------------------------------------------------

def test_tar_with_absolute_and_parent_paths_and_special_members(tmp_path: Path) -> None:
    # Nothing is extracted: members are read from the stream, named by their path inside the archive. Links
    # and device members are no maps.
    path = tmp_path / "evil.tar"
    data = map_text().encode()
    with tarfile.open(path, "w") as tar:
        for name in ("/tmp/whoholds-abs_2024-03-01.geojson", "../up_2024-03-02.geojson"):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("zero_2024-03-04.geojson")
        link.type, link.linkname = tarfile.SYMTYPE, "/dev/zero"
        tar.addfile(link)
        device = tarfile.TarInfo("device_2024-03-05.geojson")
        device.type, device.devmajor, device.devminor = tarfile.CHRTYPE, 1, 5
        tar.addfile(device)
    before = set(os.listdir("/tmp"))
    code, errors = ingest(tmp_path / "st", path)
    assert code == 0 and not errors, errors
    assert stored_dates(tmp_path / "st") == ["2024-03-01", "2024-03-02"]
    assert not (tmp_path.parent / "up_2024-03-02.geojson").exists()
    assert "whoholds-abs_2024-03-01.geojson" not in set(os.listdir("/tmp")) - before
    store_is_consistent(tmp_path / "st")


# --- two ingests at once ----------------------------------------------------------------------------------

@pytest.mark.parametrize("store_inside", [False, True])
def test_two_processes_ingesting_into_one_store(tmp_path: Path, store_inside: bool) -> None:
    # The second waits for the catalog's lock (or says so in one line); the store ends consistent. A store
    # kept inside the folder being ingested is not read back as maps (its files are written meanwhile).
    folder = tmp_path / "maps"
    folder.mkdir()
    for day in range(1, 13):
        ring = [[37.5, 47.8], [37.6 + day * 0.01, 47.8], [37.6 + day * 0.01, 48.0], [37.5, 48.0], [37.5, 47.8]]
        (folder / f"front_2024-03-{day:02d}.geojson").write_text(map_text(json.dumps([ring])))
    store = (folder if store_inside else tmp_path) / "st"
    env = {**os.environ, "PYTHONPATH": SRC}
    cmd = [sys.executable, "-m", "whoholds", "ingest", "--profile", "ukraine", "--store", str(store),
           "--workers", "1", str(folder)]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outs, strict=True):
        assert "Traceback" not in err, err
        errors = [line for line in (out + err).splitlines() if line.startswith("error:")]
        assert proc.returncode == 0 or len(errors) == 1, out + err
    assert stored_dates(store) == [f"2024-03-{d:02d}" for d in range(1, 13)]
    store_is_consistent(store)


def test_an_integer_past_64_bits_is_valid_json_and_the_map_is_read(tmp_path: Path) -> None:
    # simdjson refuses integers it cannot hold (BIGINT_ERROR); the JSON is valid, so GDAL reads it instead
    path = tmp_path / "front_2024-11-01.geojson"
    path.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Occupied",'
                    '"osm_id":123456789012345678901234567890},"geometry":{"type":"Polygon","coordinates":'
                    f"{json.dumps([SQUARE])}}}}}]}}")
    code, errors = ingest(tmp_path / "store", path)
    assert code == 0 and not errors, errors
    st = Store(tmp_path / "store")
    try:
        snap = st.latest(st.dates("ukraine")[0], "ukraine")  # the stored polygon is the square
        area = sum(abs(GEOD.geometry_area_perimeter(g)[0]) for g in snap.features.geometry) / 1e6
    finally:
        st.close()
    assert abs(area - abs(GEOD.geometry_area_perimeter(shapely.Polygon(SQUARE))[0]) / 1e6) < 1e-6
