"""Reading maps in every supported format into snapshots, and one clear error per kind of bad input."""

from __future__ import annotations

import datetime as dt
import json
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from whoholds.errors import InputError
from whoholds.io import GeometryCache, check_coordinates, iter_sources, read_maps, read_source
from whoholds.io.sources import Source
from whoholds.profiles import load_profile

GEOD = Geod(ellps="WGS84")
UKRAINE = load_profile("ukraine")
UKR_BBOX = (22.1, 44.2, 40.3, 52.4)


def km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def feature(name: str | None, geom: dict, **props: object) -> dict:
    properties = {"name": name, **props} if name is not None else dict(props)
    return {"type": "Feature", "properties": properties, "geometry": geom}


def poly(x: float, y: float = 47.0, d: float = 0.5) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


def write_fc(path: Path, features: list[dict], **extra: object) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", **extra, "features": features}), "utf-8")
    return path


def frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Окуповано /// Occupied", "Звільнено /// Liberated", "Camp"], "fill": ["#a52714", "#0f9d58", None]},
        geometry=[shapely.box(37, 47, 38, 48), shapely.box(35, 49, 36, 50), shapely.Point(36, 48)],
        crs=4326,
    )


# ---- formats -------------------------------------------------------------------------------------------


def test_geojson_feed_style_file(tmp_path: Path) -> None:
    path = write_fc(
        tmp_path / "1700000000.geojson",
        [
            feature("Camp", {"type": "Point", "coordinates": [36, 48]}),
            feature("Road", {"type": "LineString", "coordinates": [[36, 48], [37, 48]]}),
            feature("Окуповано\xa0/// Occupied\n", poly(37), fill="#a52714"),
            feature("Звільнено 25.03 /// Liberated 25.03", poly(35), fill="#0f9d58"),
            feature("Статус невідомий /// Unknown status /// geoJSON.status.unknown", poly(36), fill="#bcaaa4"),
            feature("Придністров'я /// Transnistria", poly(29.5, 47.0), fill="#880e4f"),
            feature("Багатокутник 7", poly(33), fill="#a52714"),  # "Polygon 7": the fill decides
            feature("Something else", poly(34), fill="#123456"),
            feature(None, poly(32), description="Окуповано"),  # label from the description
        ],
    )
    (snap,) = read_maps([path], UKRAINE)
    assert snap.date == dt.date(2023, 11, 14)
    assert snap.timestamp == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    assert snap.features.crs.to_epsg() == 4326
    assert list(snap.features.columns) == ["state", "label", "fill", "geometry"]
    assert snap.features.state.tolist() == ["occupied", "liberated", "unknown", "occupied", "occupied"]
    assert snap.features.label.iloc[0] == "Окуповано /// Occupied"  # normalised
    assert snap.unmapped == {"Something else": 1}
    assert snap.dropped == {"points": 1, "lines": 1, "excluded:outside": 1}
    assert snap.kind == "polygons" and snap.profile == "ukraine" and snap.source == str(path)
    import hashlib

    assert snap.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_unlabelled_polygons_need_an_unlabelled_state(tmp_path: Path) -> None:
    path = write_fc(tmp_path / "deepstatemap_data_20241201.geojson", [feature(None, poly(37))])
    with pytest.raises(InputError,
                       match=r"none of the 1 polygon features .*no label, no fill.*--unlabelled-state STATE"):
        read_source(next(iter_sources([path])), UKRAINE)
    (snap,) = read_maps([path], UKRAINE, unlabelled_state="occupied")
    assert snap.features.state.tolist() == ["occupied"]
    assert snap.repairs["unlabelled_as:occupied"] == 1


@pytest.mark.filterwarnings("ignore:Layer name:RuntimeWarning")
@pytest.mark.parametrize("suffix", ["gpkg", "fgb", "parquet", "kml", "shp"])
def test_gdal_formats(tmp_path: Path, suffix: str) -> None:
    gdf = frame()
    path = tmp_path / f"map_2024-01-02.{suffix}"
    if suffix == "parquet":
        gdf.to_parquet(path)
    elif suffix == "shp":
        gdf.iloc[:2].to_file(path)
    elif suffix == "gpkg":
        gdf.iloc[:2].to_file(path, layer="control")
        gdf.iloc[2:].to_file(path, layer="units")  # a second layer, of points
    else:
        gdf.to_file(path, driver={"fgb": "FlatGeobuf", "kml": "KML"}[suffix])
    (snap,) = read_maps([path], UKRAINE)
    assert snap.date == dt.date(2024, 1, 2)
    assert sorted(snap.features.state) == ["liberated", "occupied"]
    assert snap.dropped.get("points", 0) == (0 if suffix == "shp" else 1)
    assert snap.features.total_bounds.tolist() == [35.0, 47.0, 38.0, 50.0]


def test_projected_shapefile_is_reprojected_and_zipped_shapefile_reads(tmp_path: Path) -> None:
    gdf = frame().iloc[:2]
    gdf.to_crs(32636).to_file(tmp_path / "utm_2024-01-02.shp")
    (snap,) = read_maps([tmp_path / "utm_2024-01-02.shp"], UKRAINE)
    assert np.allclose(snap.features.total_bounds, [35, 47, 38, 50], atol=1e-6)
    with zipfile.ZipFile(tmp_path / "z_2024-01-03.zip", "w") as zf:
        for side in tmp_path.glob("utm_2024-01-02.*"):
            zf.write(side, side.name)
    (zipped,) = read_maps([tmp_path / "z_2024-01-03.zip"], UKRAINE)
    assert sorted(zipped.features.state) == ["liberated", "occupied"]


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>t</name>
<Style id="occ"><PolyStyle><color>ff1427a5</color></PolyStyle></Style>
<Folder><name>Front</name>
<Placemark><name>Polygon 1</name><styleUrl>#occ</styleUrl><Polygon><outerBoundaryIs><LinearRing>
<coordinates>37,47,0 38,47,0 38,48,0 37,47,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>Polygon 2</name><Style><PolyStyle><color>ff589d0f</color></PolyStyle></Style><Polygon>
<outerBoundaryIs><LinearRing><coordinates>35,48 36,48 36,49 35,48</coordinates></LinearRing></outerBoundaryIs>
</Polygon></Placemark>
<Placemark><name>pt</name><Point><coordinates>35,48</coordinates></Point></Placemark>
</Folder></Document></kml>"""


def test_kml_and_kmz_style_colours_classify(tmp_path: Path) -> None:
    kml = tmp_path / "front_2024-02-01.kml"
    kml.write_text(KML, "utf-8")
    with zipfile.ZipFile(tmp_path / "front_2024-02-02.kmz", "w") as zf:
        zf.writestr("doc.kml", KML)
    for path in (kml, tmp_path / "front_2024-02-02.kmz"):
        (snap,) = read_maps([path], UKRAINE)
        assert snap.features.fill.tolist() == ["#a52714", "#0f9d58"]
        assert snap.features.state.tolist() == ["occupied", "liberated"]
        assert snap.dropped == {"points": 1}


def test_topojson(tmp_path: Path) -> None:
    topo = {
        "type": "Topology",
        "objects": {
            "control": {
                "type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "arcs": [[0]], "properties": {"name": "Окуповано"}}],
            }
        },
        "arcs": [[[37, 47], [38, 47], [38, 48], [37, 48], [37, 47]]],
    }
    for name in ("t_2024-03-01.topojson", "t_2024-03-02.json"):
        (tmp_path / name).write_text(json.dumps(topo))
        (snap,) = read_maps([tmp_path / name], UKRAINE)
        assert snap.features.state.tolist() == ["occupied"]


def test_projected_geojson_crs_is_reprojected(tmp_path: Path) -> None:
    utm = gpd.GeoSeries([shapely.box(37, 47, 38, 48)], crs=4326).to_crs(32637).iloc[0]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32637"}}
    path = write_fc(tmp_path / "p_2024-01-01.geojson", [feature("Окуповано", shapely.geometry.mapping(utm))], crs=crs)
    (snap,) = read_maps([path], UKRAINE)
    assert np.allclose(snap.features.total_bounds, [37, 47, 38, 48], atol=1e-3)


# ---- fast path and GDAL agree ------------------------------------------------------------------------


def test_fast_path_and_gdal_agree_on_awkward_geometry(tmp_path: Path) -> None:
    bow_tie = {"type": "Polygon", "coordinates": [[[37, 47], [38, 48], [38, 47], [37, 48], [37, 47]]]}
    unclosed = {"type": "Polygon", "coordinates": [[[35, 47], [36, 47], [36, 48]]]}
    cw_3d = {"type": "Polygon", "coordinates": [[[33, 47, 0], [33, 48, 0], [34, 48, 0], [34, 47, 0], [33, 47, 0]]]}
    dup = {"type": "Polygon", "coordinates": [[[31, 47], [32, 47], [32, 47], [32, 48], [31, 47]]]}
    coll = {"type": "GeometryCollection", "geometries": [poly(30), {"type": "Point", "coordinates": [1, 2]}]}
    multi = {"type": "MultiPolygon", "coordinates": [poly(28)["coordinates"], poly(29, d=0.2)["coordinates"]]}
    hole = [[26.2, 47.2], [26.2, 47.4], [26.4, 47.4], [26.2, 47.2]]
    holed = {"type": "Polygon", "coordinates": [poly(26, d=1)["coordinates"][0], hole]}
    path = write_fc(
        tmp_path / "awkward_2024-05-05.geojson",
        [feature(f"Окуповано {i}", g) for i, g in enumerate([bow_tie, unclosed, cw_3d, dup, coll, multi, holed])]
        + [feature("Окуповано", {"type": "GeometryCollection", "geometries": []})],
    )
    src = next(iter_sources([path]))
    fast = read_source(src, UKRAINE, cache=GeometryCache())[0]
    gdal = read_source(src, UKRAINE, engine="gdal")[0]
    assert fast.repairs == gdal.repairs
    assert fast.repairs["make_valid"] == 1 and fast.repairs["ring_closed"] == 1
    assert fast.repairs["orientation"] >= 1 and fast.repairs["duplicate_points"] == 1
    assert fast.repairs["geometry_collection"] == 1
    assert fast.dropped == gdal.dropped == {"points": 1}  # the empty collection holds no polygon
    assert fast.features.state.tolist() == gdal.features.state.tolist()
    for a, b in zip(fast.features.geometry, gdal.features.geometry, strict=True):
        assert a.equals_exact(b, 0) and a.geom_type == b.geom_type
        assert not a.has_z


def test_geometry_cache_reuses_repaired_polygons(tmp_path: Path) -> None:
    cache = GeometryCache()
    feats = [feature("Окуповано", poly(37)), feature("Звільнено", poly(35))]
    a = write_fc(tmp_path / "a_2024-01-01.geojson", feats)
    b = write_fc(tmp_path / "b_2024-01-02.geojson", [*feats, feature("Звільнено", poly(33))])
    first = read_source(next(iter_sources([a])), UKRAINE, cache=cache)[0]
    assert len(cache) == 2 and cache.misses == 2
    second = read_source(next(iter_sources([b])), UKRAINE, cache=cache)[0]
    assert len(cache) == 3 and cache.hits == 2
    assert second.features.geometry.iloc[0] is first.features.geometry.iloc[0]
    tiny = GeometryCache(max_coords=12)  # LRU bounded by coordinates held
    read_source(next(iter_sources([b])), UKRAINE, cache=tiny)
    assert len(tiny) == 2


# ---- bad input -----------------------------------------------------------------------------------------


def one_line_error(path: Path, **kwargs: object) -> InputError:
    with pytest.raises(InputError) as err:
        list(read_maps([path], UKRAINE, **kwargs))  # type: ignore[arg-type]
    assert err.value.source == str(path) and "\n" not in str(err.value)
    return err.value


def test_truncated_geojson(tmp_path: Path) -> None:
    good = write_fc(tmp_path / "t_2024-01-01.geojson", [feature("Окуповано", poly(37))])
    good.write_bytes(good.read_bytes()[:-25])
    assert "not valid JSON, truncated or corrupt" in one_line_error(good).problem


def test_empty_and_blank_files(tmp_path: Path) -> None:
    (tmp_path / "e_2024-01-01.geojson").write_bytes(b"")
    (tmp_path / "w_2024-01-01.geojson").write_bytes(b"  \n\t ")
    assert one_line_error(tmp_path / "e_2024-01-01.geojson").problem == "empty file"
    assert one_line_error(tmp_path / "w_2024-01-01.geojson").problem == "empty file"


def test_no_polygon_features(tmp_path: Path) -> None:
    path = write_fc(tmp_path / "pts_2024-01-01.geojson", [feature("Camp", {"type": "Point", "coordinates": [36, 48]})])
    assert one_line_error(path).problem == "no polygon features (1 points)"
    empty = write_fc(tmp_path / "none_2024-01-01.geojson", [])
    assert one_line_error(empty).problem == "no polygon features (no features at all)"


def test_no_recognisable_state_lists_examples(tmp_path: Path) -> None:
    path = write_fc(
        tmp_path / "u_2024-01-01.geojson",
        [feature("Зона А", poly(37)), feature("Зона А", poly(36)), feature("Зона Б", poly(35))],
    )
    problem = one_line_error(path).problem
    assert "none of the 3 polygon features has a state profile 'ukraine' recognises" in problem
    assert "'Зона А', 'Зона Б'" in problem


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
def test_projected_coordinates_without_crs(tmp_path: Path) -> None:
    square = {"type": "Polygon", "coordinates": [[[3456789, 5678901], [3466789, 5678901], [3466789, 5688901],
                                                  [3456789, 5678901]]]}  # fmt: skip
    path = write_fc(tmp_path / "proj_2024-01-01.geojson", [feature("Окуповано", square)])
    assert one_line_error(path).problem == (
        "coordinates look projected (e.g. 3456789, 5678901) but the file has no CRS; "
        "reproject to EPSG:4326 or add a .prj"
    )
    gpd.GeoDataFrame({"name": ["Окуповано"]}, geometry=[shapely.geometry.shape(square)]).to_file(
        tmp_path / "noprj_2024-01-01.shp"
    )
    assert "look projected" in one_line_error(tmp_path / "noprj_2024-01-01.shp").problem


def test_swapped_latitude_and_longitude() -> None:
    bounds = np.array([[47.0, 37.0, 48.0, 38.0]])  # (lat, lon) written as (x, y)
    with pytest.raises(InputError, match="latitude and longitude look swapped"):
        check_coordinates("s.geojson", bounds, False, UKR_BBOX)
    check_coordinates("ok.geojson", bounds[:, [1, 0, 3, 2]], False, UKR_BBOX)
    check_coordinates("far.geojson", np.array([[100.0, 10.0, 101.0, 11.0]]), False, UKR_BBOX)  # elsewhere


def test_swapped_file_with_the_profile_boundary(tmp_path: Path) -> None:
    from whoholds.io import profile_bbox

    if profile_bbox(UKRAINE) is None:
        pytest.skip("boundary unavailable")
    swapped = {"type": "Polygon", "coordinates": [[[47, 37], [47, 38], [48, 38], [47, 37]]]}
    path = write_fc(tmp_path / "sw_2024-01-01.geojson", [feature("Окуповано", swapped)])
    assert "look swapped" in one_line_error(path).problem


def test_unknown_format_and_not_geojson(tmp_path: Path) -> None:
    (tmp_path / "m_2024-01-01.xyz").write_text("x")
    assert "unknown map format '.xyz'" in one_line_error(tmp_path / "m_2024-01-01.xyz").problem
    (tmp_path / "m_2024-01-01.json").write_text('{"name": "x"}')
    assert "not GeoJSON" in one_line_error(tmp_path / "m_2024-01-01.json").problem
    (tmp_path / "m_2024-01-01.gpkg").write_bytes(b"SQLite format 3\0 but broken")
    assert "cannot be read as gpkg" in one_line_error(tmp_path / "m_2024-01-01.gpkg").problem


def test_errors_list_collects_per_file_and_keeps_going(tmp_path: Path) -> None:
    write_fc(tmp_path / "a_2024-01-01.geojson", [feature("Окуповано", poly(37))])
    (tmp_path / "b_2024-01-02.geojson").write_bytes(b'{"type": "FeatureCollection", "features": [')
    write_fc(tmp_path / "c_2024-01-03.geojson", [feature("Звільнено", poly(35))])
    errors: list[InputError] = []
    snaps = list(read_maps([tmp_path], UKRAINE, errors=errors))
    assert [s.date.day for s in snaps] == [1, 3]
    assert len(errors) == 1 and errors[0].source.endswith("b_2024-01-02.geojson")


# ---- Wikipedia marker modules are handed over ----------------------------------------------------------


def test_marker_modules_are_dispatched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple] = []

    class Fake:
        @staticmethod
        def looks_like_wikipedia_module(data: bytes) -> bool:
            return b"mark = m." in data

        @staticmethod
        def read_wikipedia_module(data: bytes, name: str, profile: object, date: object) -> str:
            calls.append((data[:7], name, date))
            return "snapshot"

    path = tmp_path / "Module_Syria.lua"
    path.write_text("marks = { { lat = 1, long = 2, mark = m.gov } }")
    monkeypatch.setitem(sys.modules, "whoholds.io.wikipedia", Fake)
    monkeypatch.setattr("whoholds.io.readers.check_fit", lambda name, snaps, profile: snaps)  # fake snapshots
    (src,) = iter_sources([path])
    assert read_source(src, UKRAINE, dt.date(2017, 7, 1)) == ["snapshot"]
    assert calls == [(b"marks =", str(path), dt.date(2017, 7, 1))]
    monkeypatch.setitem(sys.modules, "whoholds.io.wikipedia", None)  # import fails
    with pytest.raises(InputError, match="Wikipedia marker modules cannot be read"):
        read_source(Source(str(path), None, path, "wikipedia"), UKRAINE)


def test_maps_inside_archives_are_read(tmp_path: Path) -> None:
    import tarfile

    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    frame().iloc[:2].to_crs(32636).to_file(shp_dir / "front_2024-01-02.shp")
    geo = write_fc(tmp_path / "front_2024-01-03.geojson", [feature("Окуповано", poly(37))])
    archive = tmp_path / "maps.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        for side in sorted(shp_dir.iterdir()):
            tf.add(side, f"maps/{side.name}")
        tf.add(geo, "maps/front_2024-01-03.geojson")
    snaps = sorted(read_maps([archive], UKRAINE), key=lambda s: s.date)
    assert [s.date.day for s in snaps] == [2, 3]
    assert snaps[0].source == f"{archive}::maps/front_2024-01-02.shp"
    assert sorted(snaps[0].features.state) == ["liberated", "occupied"]
    assert np.allclose(snaps[0].features.total_bounds, [35, 47, 38, 50], atol=1e-6)


def test_multi_layer_geopackage_with_a_date_column(tmp_path: Path) -> None:
    path = tmp_path / "history.gpkg"
    gdf = frame().iloc[:2].assign(date=[dt.date(2024, 1, 1), dt.date(2024, 1, 2)])
    gdf.to_file(path, layer="occupied")
    gdf.assign(name=["Під питанням", "Під питанням"]).to_file(path, layer="grey")
    snaps = list(read_maps([path], UKRAINE))
    assert [s.date for s in snaps] == [dt.date(2024, 1, 1), dt.date(2024, 1, 2)]
    assert [sorted(s.features.state) for s in snaps] == [["occupied", "unknown"], ["liberated", "unknown"]]
    assert snaps[0].content_hash != snaps[1].content_hash
