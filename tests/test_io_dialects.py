"""Third-party map dialects (Esri JSON, newline-delimited GeoJSON, uMap, WKT tables, Google My Maps KML,
state columns in other languages) read exactly, or refused with one clear line.

Every file is synthetic, written here in the style of real exports. Areas are checked against pyproj.Geod
on the polygons the test itself wrote (not against the reader's output)."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
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


# ---- state in other columns, languages and styles ----------------------------------------------------------


@pytest.mark.parametrize("props", [
    {"name": "12", "Status": "Occupied"},
    {"name": "Sector 4", "статус": "окуповано"},
    {"id": 7, "STATUS": "Russian-controlled"},
    {"name": "zone", "control": "under Russian control"},
    {"name": "منطقة", "الحالة": "occupied"},
])
def test_state_in_another_column(tmp_path: Path, props: dict) -> None:
    path = tmp_path / "sheet.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature(props)]}), "utf-8")
    areas, _ = read(path)
    assert set(areas) == {"occupied"} and close(areas["occupied"], km2(SQ))


def test_the_name_still_wins_over_other_columns(tmp_path: Path) -> None:
    path = tmp_path / "sheet.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature({"name": "Звільнено", "status": "occupied"})]}), "utf-8")
    assert set(read(path)[0]) == {"liberated"}


def test_unrecognised_state_column_names_the_values(tmp_path: Path) -> None:
    path = tmp_path / "sheet.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature({"name": "12", "Status": "blue"})]}))
    with pytest.raises(InputError, match="none of the 1 polygon") as info:
        read(path)
    assert "'12'" in str(info.value) and "'blue'" in str(info.value)


def test_umap_export_layer_name_and_colour(tmp_path: Path) -> None:
    path = tmp_path / "map.umap"
    path.write_text(json.dumps({"type": "umap", "properties": {"name": "war map"}, "layers": [
        {"type": "FeatureCollection", "_umap_options": {"name": "Окуповані території"},
         "features": [feature({"name": "A"})]},
        {"type": "FeatureCollection", "_umap_options": {"name": "other", "color": "#A52714"},
         "features": [feature({"name": "B"}, FAR)]},
    ]}), "utf-8")
    areas, _ = read(path)
    assert set(areas) == {"occupied"} and close(areas["occupied"], km2(SQ) + km2(FAR))


def test_umap_geojson_layer_feature_colour(tmp_path: Path) -> None:
    path = tmp_path / "layer.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "_umap_options": {"name": "x"}, "features": [
        feature({"name": "zone 3", "_umap_options": {"fillColor": "#a52714"}})]}))
    assert set(read(path)[0]) == {"occupied"}


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


# ---- KML as Google My Maps and others export it -------------------------------------------------------------

POLY = ("<Polygon><outerBoundaryIs><LinearRing><coordinates>"
        + " ".join(f"{x},{y},0" for x, y in SQ) + "</coordinates></LinearRing></outerBoundaryIs></Polygon>")


def kml(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2" '
            f'xmlns:gx="http://www.google.com/kml/ext/2.2"><Document><name>map</name>{body}</Document></kml>')


def test_my_maps_layer_name_carries_the_state(tmp_path: Path) -> None:
    path = tmp_path / "mymaps.kml"
    path.write_text(kml(f"<Folder><name>Russian-occupied</name><Placemark><name>Polygon 1</name>{POLY}"
                        "</Placemark></Folder>"), "utf-8")
    assert close(read(path)[0]["occupied"], km2(SQ))


def test_my_maps_stylemap_colour(tmp_path: Path) -> None:
    style = ('<Style id="p-n"><PolyStyle><color>4d1427a5</color></PolyStyle></Style>'
             '<Style id="p-h"><PolyStyle><color>4d1427a5</color></PolyStyle></Style>'
             '<StyleMap id="p"><Pair><key>normal</key><styleUrl>#p-n</styleUrl></Pair>'
             '<Pair><key>highlight</key><styleUrl>#p-h</styleUrl></Pair></StyleMap>')
    path = tmp_path / "mymaps.kml"
    path.write_text(kml(f"{style}<Folder><name>Layer 1</name><Placemark><name>Polygon 1</name>"
                        f"<styleUrl>#p</styleUrl><gx:balloonVisibility>1</gx:balloonVisibility>{POLY}"
                        "</Placemark></Folder>"))
    assert set(read(path)[0]) == {"occupied"}


def test_kml_schema_data_attribute(tmp_path: Path) -> None:
    path = tmp_path / "ext.kml"
    path.write_text(kml('<Schema name="s" id="s"><SimpleField name="status" type="string"/></Schema>'
                        '<Placemark><name>12</name><ExtendedData><SchemaData schemaUrl="#s">'
                        f'<SimpleData name="status">occupied</SimpleData></SchemaData></ExtendedData>{POLY}'
                        "</Placemark>"))
    assert set(read(path)[0]) == {"occupied"}


def test_kmz_whose_document_is_not_doc_kml(tmp_path: Path) -> None:
    path = tmp_path / "export.kmz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("files/layer.kml", kml(f"<Placemark><name>Окуповано</name>{POLY}</Placemark>"))
    assert close(read(path)[0]["occupied"], km2(SQ))


def test_network_link_only_kml(tmp_path: Path) -> None:
    path = tmp_path / "live.kml"
    path.write_text('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><NetworkLink>'
                    "<name>live</name><Link><href>https://example.org/war.kmz</href></Link></NetworkLink></kml>")
    with pytest.raises(InputError, match="NetworkLink.*https://example.org/war.kmz"):
        read(path)


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


# ---- dates as third-party tools write them -----------------------------------------------------------------


def test_esri_date_field_in_milliseconds(tmp_path: Path) -> None:
    ms = 1_709_251_200_000  # 2024-03-01T00:00:00Z, an esriFieldTypeDate value
    path = tmp_path / "query.json"
    path.write_text(esri([{"attributes": {"Status": "Occupied", "date": ms}, "geometry": {"rings": [SQ[::-1]]}}]))
    (snap,) = list(read_maps([path], UKRAINE))
    assert snap.date == dt.date(2024, 3, 1)


@pytest.mark.parametrize("value,expected", [("01.03.2024", dt.date(2024, 3, 1)), ("7.11.2023", dt.date(2023, 11, 7))])
def test_dotted_day_first_date_property(tmp_path: Path, value: str, expected: dt.date) -> None:
    path = tmp_path / "map.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature({"name": "Окуповано",
                                                                                   "date": value})]}), "utf-8")
    assert [s.date for s in read_maps([path], UKRAINE)] == [expected]


def test_slashed_date_is_ambiguous(tmp_path: Path) -> None:
    path = tmp_path / "map.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature({"name": "Окуповано",
                                                                                   "date": "03/01/2024"})]}))
    with pytest.raises(InputError, match="ambiguous"):
        list(read_maps([path], UKRAINE))


# ---- the state column named by the user (--state-field / profile label_properties) ------------------------


def test_state_field_overrides_the_name(tmp_path: Path) -> None:
    import dataclasses

    path = tmp_path / "sheet.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature({"name": "Kherson liberated sector", "Zustand": "occupied"})]}), "utf-8")
    assert set(read(path)[0]) == {"liberated"}  # by default the name decides
    chosen = dataclasses.replace(UKRAINE, label_properties=("ZUSTAND",))
    (snap,) = list(read_maps([path], chosen, date=DAY))
    assert snap.features.state.tolist() == ["occupied"]


def test_state_field_in_csv_and_kml(tmp_path: Path) -> None:
    import dataclasses

    chosen = dataclasses.replace(UKRAINE, label_properties=("control",))
    csv_path = tmp_path / "t.csv"
    csv_path.write_text(f'name,control,WKT\nЗвільнено,Occupied,"{wkt(SQ)}"\n', "utf-8")
    kml_path = tmp_path / "t.kml"
    kml_path.write_text(kml(f'<Placemark><name>Звільнено</name><ExtendedData><Data name="Control"><value>occupied'
                            f"</value></Data></ExtendedData>{POLY}</Placemark>"), "utf-8")
    for path in (csv_path, kml_path):
        (snap,) = list(read_maps([path], chosen, date=DAY))
        assert snap.features.state.tolist() == ["occupied"], path


def test_state_field_on_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from whoholds.cli import app

    path = tmp_path / f"sheet_{DAY}.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature({"name": "12", "Zustand": "besetzt"})]}), "utf-8")
    store = str(tmp_path / "store")
    bad = CliRunner().invoke(app, ["ingest", str(path), "--store", store, "--profile", "ukraine", "--workers", "1",
                                   "--state-field", "Zustand"])
    assert bad.exit_code == 2 and "'besetzt'" in bad.stderr and "Zustand" in bad.stderr
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature({"name": "12", "Zustand": "Окуповано"})]}), "utf-8")
    ok = CliRunner().invoke(app, ["ingest", str(path), "--store", store, "--profile", "ukraine", "--workers", "1",
                                  "--state-field", "Zustand"])
    assert ok.exit_code == 0, ok.stderr


def test_geojson_sequence_of_collections_and_geometries(tmp_path: Path) -> None:
    lines = [json.dumps({"type": "FeatureCollection", "features": [feature({"name": "Окуповано"})]}),
             json.dumps(feature({"name": "Окуповано"}, FAR)),
             json.dumps({"type": "Polygon", "coordinates": [HOLE]})]
    path = tmp_path / "mixed.geojsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    (snap,) = list(read_maps([path], UKRAINE, date=DAY))
    assert sorted(snap.features.state) == ["occupied", "occupied"]
    assert snap.unmapped == {"(no label, no fill)": 1}  # the bare geometry has no label: reported, not dropped
    path.write_text(lines[0] + '\n"just a string"\n', "utf-8")
    with pytest.raises(InputError, match="record 2 is not a GeoJSON"):
        list(read_maps([path], UKRAINE, date=DAY))


def test_state_from_another_property_is_logged(tmp_path: Path) -> None:
    path = tmp_path / "sheet.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature({"name": "12", "Status": "Occupied"}), feature({"name": "Окуповано"}, FAR)]}), "utf-8")
    (snap,) = list(read_maps([path], UKRAINE, date=DAY))
    assert [v for k, v in snap.repairs.items() if k.startswith("state from another property")] == [1]


def test_starter_profile_from_a_spreadsheet_export(tmp_path: Path) -> None:
    """`profile init` reads any format: here a CSV whose id column is not the state; the starter it writes
    classifies the file's own polygons."""

    from whoholds.profiles import load_profile
    from whoholds.profiles.scaffold import starter_profile

    rows = [(i, "Russian-held" if i % 3 else "Contested", shapely.box(36 + i * 0.1, 47, 36.05 + i * 0.1, 47.05).wkt)
            for i in range(12)]
    path = tmp_path / "export.csv"
    path.write_text("id,Status,WKT\n" + "".join(f'{i},{s},"{w}"\n' for i, s, w in rows), "utf-8")
    text = starter_profile("toy", path, country="UKR")
    assert '"Russian\\\\-held"' in text and '"Contested"' in text
    yaml_path = tmp_path / "toy.yaml"
    yaml_path.write_text(text, "utf-8")
    toy = load_profile(str(yaml_path))
    (snap,) = list(read_maps([path], toy, date=DAY))
    assert len(snap.features) == 12 and not snap.unmapped
