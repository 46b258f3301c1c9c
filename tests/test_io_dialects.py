"""Third-party map dialects (Esri JSON, newline-delimited GeoJSON, uMap, WKT tables, Google My Maps KML,
state columns in other languages) read exactly, or refused with one clear line.

Every file is synthetic, written here in the style of real exports. Areas are checked against pyproj.Geod
on the polygons the test itself wrote (not against the reader's output)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import shapely
from pyproj import Geod, Transformer

from whoholds.errors import InputError
from whoholds.io import iter_sources, read_maps
from whoholds.profiles import load_profile

GEOD = Geod(ellps="WGS84")
UKRAINE = load_profile("ukraine")
DAY = dt.date(2024, 5, 1)
SQ = [[37.6, 47.9], [38.0, 47.9], [38.0, 48.2], [37.6, 48.2], [37.6, 47.9]]  # counter-clockwise
HOLE = [[37.7, 48.0], [37.8, 48.0], [37.8, 48.1], [37.7, 48.1], [37.7, 48.0]]
FAR = [[35.0, 47.0], [35.3, 47.0], [35.3, 47.2], [35.0, 47.2], [35.0, 47.0]]


def km2(coords: list, holes: tuple = ()) -> float:
    """Geodesic area; orient() first, since pyproj sums signed ring areas (holes must run the other way)."""
    polygon = shapely.geometry.polygon.orient(shapely.Polygon(coords, list(holes)))
    return abs(GEOD.geometry_area_perimeter(polygon)[0]) / 1e6


def mercator(coords: list) -> list:
    to = Transformer.from_crs(4326, 3857, always_xy=True)
    return [list(to.transform(x, y)) for x, y in coords]


def read(path: Path) -> tuple[dict[str, float], dict]:
    """({state: km² by pyproj.Geod of what was read}, repairs) of the single snapshot of ``path``."""
    (snap,) = list(read_maps([path], UKRAINE, date=DAY))
    areas: dict[str, float] = {}
    for state, geom in zip(snap.features.state, snap.features.geometry, strict=True):
        oriented = shapely.geometry.polygon.orient(geom) if geom.geom_type == "Polygon" else geom
        areas[state] = areas.get(state, 0.0) + abs(GEOD.geometry_area_perimeter(oriented)[0]) / 1e6
    return areas, {k: v for k, v in snap.repairs.items() if v}


def feature(props: dict, coords: list | None = None) -> dict:
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [coords or SQ]}}


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * b


# ---- Esri JSON (ArcGIS REST query?f=json / f=pjson) ---------------------------------------------------------


def esri(features: list, wkid: int | None = 4326, **extra: object) -> str:
    doc: dict = {"objectIdFieldName": "OBJECTID", "geometryType": "esriGeometryPolygon",
                 "fields": [{"name": "Status", "type": "esriFieldTypeString"}], "features": features, **extra}
    if wkid is not None:
        doc["spatialReference"] = {"wkid": wkid, "latestWkid": 3857 if wkid == 102100 else wkid}
    return json.dumps(doc, indent=2)  # f=pjson is pretty-printed


def test_esri_json_rings_with_a_hole_in_wgs84(tmp_path: Path) -> None:
    rings = [SQ[::-1], HOLE]  # Esri: outer ring clockwise, hole counter-clockwise
    path = tmp_path / "query.json"
    path.write_text(esri([{"attributes": {"OBJECTID": 1, "Status": "Occupied"}, "geometry": {"rings": rings}},
                          {"attributes": {"OBJECTID": 2, "Status": "Occupied"}, "geometry": {"rings": [FAR[::-1]]}},
                          {"attributes": {"OBJECTID": 3, "Status": "HQ"}, "geometry": {"x": 37.0, "y": 48.0}}]))
    areas, _ = read(path)
    assert set(areas) == {"occupied"}
    assert close(areas["occupied"], km2(SQ, (HOLE,)) + km2(FAR))


def test_esri_json_hole_orientation_does_not_matter(tmp_path: Path) -> None:
    path = tmp_path / "query.json"
    path.write_text(esri([{"attributes": {"Status": "occupied"}, "geometry": {"rings": [SQ[::-1], HOLE[::-1]]}}]))
    areas, _ = read(path)
    assert close(areas["occupied"], km2(SQ, (HOLE,)))


@pytest.mark.parametrize("wkid", [102100, 3857])
def test_esri_json_web_mercator(tmp_path: Path, wkid: int) -> None:
    path = tmp_path / "query.json"
    path.write_text(esri([{"attributes": {"Status": "Occupied"}, "geometry": {"rings": [mercator(SQ)[::-1]]}}],
                         wkid=wkid))
    areas, _ = read(path)
    assert abs(areas["occupied"] - km2(SQ)) <= 1e-4 * km2(SQ)


def test_esri_json_cut_short_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "query.json"
    path.write_text(esri([{"attributes": {"Status": "Occupied"}, "geometry": {"rings": [SQ[::-1]]}}],
                         exceededTransferLimit=True))
    with pytest.raises(InputError, match="exceededTransferLimit") as info:
        read(path)
    assert str(path) in str(info.value)


def test_arcgis_geojson_cut_short_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "query.geojson"  # f=geojson puts the flag under "properties"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature({"Status": "Occupied"})],
                                "properties": {"exceededTransferLimit": True}}))
    with pytest.raises(InputError, match="cut this response short"):
        read(path)


def test_arcgis_error_response(tmp_path: Path) -> None:
    path = tmp_path / "query.json"
    path.write_text(json.dumps({"error": {"code": 400, "message": "Invalid URL", "details": []},
                                "spatialReference": {"wkid": 4326}}))
    with pytest.raises(InputError, match="ArcGIS error response.*Invalid URL"):
        read(path)


def test_esri_json_in_a_folder_is_found(tmp_path: Path) -> None:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "layer0.json").write_text(json.dumps(
        {"spatialReference": {"wkid": 4326}, "features": [{"attributes": {}, "geometry": {"rings": [SQ]}}]}))
    assert [s.fmt for s in iter_sources([tmp_path / "maps"])] == ["geojson"]


# ---- newline-delimited GeoJSON ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix,prefix", [(".geojsonl", ""), (".geojsons", "\x1e"), (".ndjson", ""),
                                           (".geojsonl.gz", "")])
def test_geojson_sequences(tmp_path: Path, suffix: str, prefix: str) -> None:
    import gzip

    lines = [json.dumps(feature({"name": "Окуповано"})), "", json.dumps(feature({"name": "Окуповано"}, FAR))]
    text = "".join(prefix + ln + "\n" for ln in lines).encode()
    path = tmp_path / f"control{suffix}"
    path.write_bytes(gzip.compress(text) if suffix.endswith(".gz") else text)
    areas, _ = read(path)
    assert close(areas["occupied"], km2(SQ) + km2(FAR))


def test_geojson_sequence_bad_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "control.geojsonl"
    path.write_text(json.dumps(feature({"name": "Окуповано"})) + "\n{oops\n")
    with pytest.raises(InputError, match="line 2 is not valid JSON"):
        read(path)


# ---- GeoJSON variants --------------------------------------------------------------------------------------


def test_legacy_crs_member_3857_and_4d_coordinates(tmp_path: Path) -> None:
    path = tmp_path / "merc.geojson"
    coords = [[x, y, 120.0, 7.0] for x, y in mercator(SQ)]
    path.write_text(json.dumps({"type": "FeatureCollection",
                                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
                                "features": [feature({"name": "Occupied"}, coords)]}))
    areas, _ = read(path)
    assert abs(areas["occupied"] - km2(SQ)) <= 1e-4 * km2(SQ)


def test_a_bare_feature(tmp_path: Path) -> None:
    path = tmp_path / "one.geojson"
    path.write_text(json.dumps(feature({"name": "Окуповано"})))
    assert close(read(path)[0]["occupied"], km2(SQ))


def test_closed_linestrings_are_not_areas(tmp_path: Path) -> None:
    path = tmp_path / "lines.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Окуповано"}, "geometry": {"type": "LineString",
                                                                             "coordinates": SQ}}]}))
    with pytest.raises(InputError, match="no polygon features.*Polygon"):
        read(path)


# ---- CSV / TSV with a WKT column ---------------------------------------------------------------------------


def wkt(coords: list) -> str:
    return shapely.Polygon(coords).wkt


def test_csv_with_wkt_column(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f'WKT,id,Status\n"{wkt(SQ)}",1,Occupied\n"{wkt(FAR)}",2,Occupied\n')
    areas, _ = read(path)
    assert close(areas["occupied"], km2(SQ) + km2(FAR))


def test_tsv_with_geometry_column_and_srid(tmp_path: Path) -> None:
    path = tmp_path / "export.tsv"
    m = shapely.Polygon(mercator(SQ)).wkt
    path.write_text(f"status\tgeometry\nокуповано\tSRID=3857;{m}\n", "utf-8")
    areas, _ = read(path)
    assert abs(areas["occupied"] - km2(SQ)) <= 1e-4 * km2(SQ)


def test_csv_bad_wkt_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text('WKT,Status\n"POLYGON ((1 2, 3",Occupied\n')
    with pytest.raises(InputError, match="WKT"):
        read(path)


def test_csv_in_a_folder_without_wkt_is_not_a_map(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    (tmp_path / "map.csv").write_text(f'wkt_geom,status\n"{wkt(SQ)}",occupied\n')
    assert [Path(s.name).name for s in iter_sources([tmp_path])] == ["map.csv"]


# ---- geometry variants ---------------------------------------------------------------------------------------


def test_legacy_crs_member_utm(tmp_path: Path) -> None:
    to = Transformer.from_crs(4326, 32637, always_xy=True)
    utm = [list(to.transform(x, y)) for x, y in SQ]
    path = tmp_path / "utm.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection",
                                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32637"}},
                                "features": [feature({"name": "Occupied"}, utm)]}))
    # Straight edges in UTM are not straight in lon/lat: the areas agree to well under 0.1 %.
    assert abs(read(path)[0]["occupied"] - km2(SQ)) <= 1e-3 * km2(SQ)


def test_mixed_ring_orientations_and_a_collection(tmp_path: Path) -> None:
    cw_outer_ccw_hole = [SQ[::-1], HOLE]  # RFC 7946 wants the opposite; old exporters write this
    same_way_hole = [FAR, [[35.1, 47.05], [35.2, 47.05], [35.2, 47.15], [35.1, 47.15], [35.1, 47.05]]]
    features = [
        {"type": "Feature", "properties": {"name": "Окуповано"},
         "geometry": {"type": "MultiPolygon", "coordinates": [cw_outer_ccw_hole, same_way_hole]}},
        {"type": "Feature", "properties": {"name": "Сіра зона"}, "geometry": {
            "type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "coordinates": [[[36.0, 49.0], [36.2, 49.0], [36.2, 49.2], [36.0, 49.2],
                                                     [36.0, 49.0]]]},
                {"type": "Point", "coordinates": [36.1, 49.1]}]}},
    ]
    path = tmp_path / "mixed.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    areas, repairs = read(path)
    expected = km2(SQ, (HOLE,)) + km2(FAR, (same_way_hole[1],))
    assert close(areas["occupied"], expected)
    assert close(areas["unknown"], km2([[36.0, 49.0], [36.2, 49.0], [36.2, 49.2], [36.0, 49.2], [36.0, 49.0]]))
    assert repairs.get("geometry_collection") == 1


def test_simplestyle_fill_and_unclosed_ring(tmp_path: Path) -> None:
    path = tmp_path / "geojsonio.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"title": "area 1", "fill": "#A52714", "fill-opacity": 0.5},
         "geometry": {"type": "Polygon", "coordinates": [SQ[:-1]]}}]}))
    areas, repairs = read(path)
    assert close(areas["occupied"], km2(SQ)) and repairs.get("ring_closed") == 1
