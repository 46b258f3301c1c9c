"""Unseen map styles, round 2: formats and dialects an outside tester brings, each a small fixture written
here in the style of real ones (no third-party file copied). Areas are checked against pyproj.Geod on the
squares' corners densified along their lon/lat edges (``geod_km2``); anything that is not an area ends in
one line naming the file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from test_unseen_maps import A, B, areas_by_state, feature, geod_km2, write_fc

from whoholds.errors import InputError
from whoholds.io.readers import read_maps, read_source
from whoholds.io.walk import iter_sources
from whoholds.profiles import load_profile

UKRAINE = load_profile("ukraine")


def read(path: Path, **kw: object) -> list:
    return list(read_maps([path], UKRAINE, **kw))


def refused(path: Path, *words: str) -> str:
    with pytest.raises(InputError) as info:
        read(path)
    text = str(info.value)
    assert "\n" not in text and all(w in text for w in words), text
    return text


# --- suffixes and date properties -------------------------------------------------------------------------

def test_commons_map_page_under_its_own_suffix(tmp_path: Path) -> None:
    doc = {"license": "CC0-1.0", "zoom": 6, "latitude": 48, "longitude": 37,
           "data": {"type": "FeatureCollection", "features": [feature({"title": "Occupied"}, A)]}}
    path = tmp_path / "Data_Front_2024-03-01.map"
    path.write_text(json.dumps(doc))
    assert areas_by_state(path) == {"occupied": pytest.approx(geod_km2(A), rel=1e-6)}


def test_a_mapserver_mapfile_in_a_folder_is_not_a_map(tmp_path: Path) -> None:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "world.map").write_text("MAP\n  NAME world\n  LAYER NAME roads END\nEND\n")
    write_fc(tmp_path / "maps" / "front_2024-03-01.geojson", [feature({"name": "Occupied"}, A)])
    assert [s.name.rsplit("/", 1)[-1] for s in iter_sources([tmp_path / "maps"])] == ["front_2024-03-01.geojson"]


@pytest.mark.parametrize(("key", "value"), [
    ("Date", "2024-03-01"), ("DATE", "2024-03-01"), ("Snapshot_Date", "2024-03-01"), ("AS_OF", "01.03.2024"),
    ("Date", 1709294400000),  # epoch milliseconds (an Esri date field), 12:00 UTC
])
def test_date_property_in_any_case_on_the_fast_path(tmp_path: Path, key: str, value: object) -> None:
    path = write_fc(tmp_path / "front.geojson", [feature({"name": "Occupied", key: value}, A)])
    snaps = read(path)
    assert [str(s.date) for s in snaps] == ["2024-03-01"]
    source = next(iter_sources([path]))  # the same answer through GDAL (matched in any case there too)
    assert [str(s.date) for s in read_source(source, UKRAINE, engine="gdal")] == ["2024-03-01"]


def test_exact_date_key_outranks_another_case(tmp_path: Path) -> None:
    path = write_fc(tmp_path / "front.geojson", [feature({"name": "Occupied", "DATE": "2024-01-01",
                                                         "date": "2024-03-01"}, A)])
    assert [str(s.date) for s in read(path)] == ["2024-03-01"]


def test_a_date_in_the_name_past_2100_is_the_future(tmp_path: Path) -> None:
    path = write_fc(tmp_path / "front_2200-03-01.geojson", [feature({"name": "Occupied"}, A)])
    refused(path, "2200-03-01", "future")


# --- KML variants -----------------------------------------------------------------------------------------

def _pm(name: str, ring: list[list[float]], extra: str = "") -> str:
    coords = " ".join(f"{x},{y}" for x, y in ring)
    return (f"<Placemark><name>{name}</name>{extra}<Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}"
            "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>")


def _kml(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2" '
            'xmlns:gx="http://www.google.com/kml/ext/2.2"><Document><name>Front</name>'
            f"{body}</Document></kml>")


@pytest.mark.parametrize("body", [
    # a Document inside the Document, its Folder naming the state
    f"<Document><name>inner</name><Folder><name>Occupied</name>{_pm('area 1', A)}</Folder></Document>",
    # a NetworkLink next to real polygons: the polygons are read, the link ignored
    f"<NetworkLink><name>live</name><Link><href>https://example.org/x.kml</href></Link></NetworkLink>"
    f"{_pm('Occupied', A)}",
    # a gx:Track (a moving unit) beside the area: not an area, not a crash
    f"{_pm('Occupied', A)}<Placemark><name>convoy</name><gx:Track><when>2024-03-01T00:00:00Z</when>"
    "<gx:coord>37 48 0</gx:coord><gx:coord>37.1 48.1 0</gx:coord></gx:Track></Placemark>",
    # Google Earth level-of-detail regions around the folder
    "<Folder><name>Occupied</name><Region><LatLonAltBox><north>49</north><south>47</south><east>39</east>"
    f"<west>36</west></LatLonAltBox><Lod><minLodPixels>128</minLodPixels></Lod></Region>{_pm('x', A)}</Folder>",
])
def test_kml_documents_links_tracks_and_regions(tmp_path: Path, body: str) -> None:
    path = tmp_path / "front_2024-03-01.kml"
    path.write_text(_kml(body))
    assert areas_by_state(path) == {"occupied": pytest.approx(geod_km2(A), rel=1e-6)}


# --- formats that are not areas ---------------------------------------------------------------------------

def test_gpx_route_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "front_2024-03-01.gpx"
    path.write_text('<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><rte>'
                    + "".join(f'<rtept lat="{y}" lon="{x}"/>' for x, y in A) + "</rte></gpx>")
    refused(path, path.name, "GPX", "never areas")


def test_settlement_table_of_lat_lon_points_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "settlements_2024-03-01.csv"
    path.write_text("name,Latitude,Longitude,status\nTown A,48.59,38.00,occupied\nTown B,49.71,37.61,held\n")
    refused(path, path.name, "points", "Latitude/Longitude")


@pytest.mark.parametrize(("suffix", "driver"), [(".xlsx", "XLSX"), (".ods", "ODS")])
def test_spreadsheet_with_a_wkt_column(tmp_path: Path, suffix: str, driver: str) -> None:
    import pandas as pd
    import pyogrio

    wkt = ["POLYGON((" + ",".join(f"{x} {y}" for x, y in ring) + "))" for ring in (A, B)]
    path = tmp_path / f"areas_2024-03-01{suffix}"
    pyogrio.write_dataframe(pd.DataFrame({"id": ["1", "2"], "WKT": wkt, "Status": ["Occupied", "Liberated"]}), path,
                            driver=driver)
    got = areas_by_state(path)
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-6)
    assert got["liberated"] == pytest.approx(geod_km2(B), rel=1e-6)


def test_spreadsheet_of_points_or_garbage_is_one_line(tmp_path: Path) -> None:
    import pandas as pd
    import pyogrio

    points = tmp_path / "towns_2024-03-01.xlsx"
    pyogrio.write_dataframe(pd.DataFrame({"name": ["A"], "lat": ["48.1"], "lon": ["37.6"]}), points, driver="XLSX")
    refused(points, points.name, "points", "lat/lon")
    broken = tmp_path / "areas_2024-03-01.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    refused(broken, broken.name, "spreadsheet")
    old = tmp_path / "areas_2024-03-01.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    refused(old, old.name, ".xls")


def _points(rows: list[tuple[str, dict, list[float]]]) -> list[dict]:
    return [{"type": "Feature", "properties": {"name": n, **props}, "geometry": {"type": "Point", "coordinates": xy}}
            for n, props, xy in rows]


_TOWNS = [("Town A", 36.40, 33.57), ("Town B", 36.63, 35.93), ("Town C", 37.95, 36.53), ("Town D", 38.30, 35.10)]


def test_marker_map_as_geojson_points_reads_like_the_module(tmp_path: Path) -> None:
    # A Syria-style marker map exported as GeoJSON: the mark as a module key (m.gov, SDF) or the module's
    # icon file. The same places written as a Lua module must give the same holders.
    marks = [("icon", "Location dot red.svg", "m.gov"), ("mark", "m.opp", "m.opp"), ("marker-symbol", "SDF", "m.SDF"),
             ("icon", "Location dot black.svg", "m.IS")]
    rows = [(n, {key: value}, [lon, lat]) for (n, lat, lon), (key, value, _) in zip(_TOWNS, marks, strict=True)]
    rows.append(("Town E", {"marker-color": "#ff0000"}, [38.0, 34.0]))  # a colour alone: not read
    geojson = write_fc(tmp_path / "markers_2018-12-01.geojson", _points(rows))
    module = tmp_path / "Module_map_2018-12-01.lua"
    module.write_text("local m = mw.loadData('Module:Middle East conflicts map marks')\nreturn {\n marks = {\n"
                      + "\n".join(f'{{ lat = {lat}, long = {lon}, mark = {key}, marksize = 5, label = "{n}" }},'
                                   for (n, lat, lon), (_, _, key) in zip(_TOWNS, marks, strict=True))
                      + "\n }\n}\n")
    syria = load_profile("syria")
    snap = list(read_maps([geojson], syria))[0]
    reference = list(read_maps([module], syria))[0]
    assert snap.kind == "markers" and str(snap.date) == "2018-12-01"
    assert dict(zip(snap.features.name, snap.features.state, strict=True)) == {
        "Town A": "gov", "Town B": "opp", "Town C": "sdf", "Town D": "isis"}
    assert sorted(snap.features.state) == sorted(reference.features.state)
    assert snap.dropped == {"point without a mark (a colour alone is not read)": 1}


def test_marker_points_with_only_colours_or_unknown_marks_are_one_line(tmp_path: Path) -> None:
    rows = [(n, {"marker-color": "#ff0000", "marker-symbol": "town"}, [lon, lat]) for n, lat, lon in _TOWNS]
    path = write_fc(tmp_path / "markers_2018-12-01.geojson", _points(rows))
    with pytest.raises(InputError, match="marker map of 4 points, none with a mark .*'town'"):
        list(read_maps([path], load_profile("syria")))


def test_points_on_a_profile_without_marks_stay_no_polygons(tmp_path: Path) -> None:
    rows = [(n, {"mark": "m.gov"}, [37.5, 48.0]) for n, _, _ in _TOWNS[:2]]
    path = write_fc(tmp_path / "points_2024-03-01.geojson", _points(rows))
    refused(path, "no polygon features (2 points)")


def test_marker_points_of_two_dates_are_one_line(tmp_path: Path) -> None:
    rows = [(n, {"mark": "m.gov", "date": f"2018-12-0{i + 1}"}, [lon, lat])
            for i, (n, lat, lon) in enumerate(_TOWNS[:2])]
    path = write_fc(tmp_path / "markers.geojson", _points(rows))
    with pytest.raises(InputError, match="2 different dates"):
        list(read_maps([path], load_profile("syria")))


# --- tables, binary formats, CRS members ------------------------------------------------------------------

def test_utf16_csv_with_wkt(tmp_path: Path) -> None:
    # Excel's "Unicode text" export: UTF-16 with a byte-order mark, found in a folder too.
    folder = tmp_path / "tables"
    folder.mkdir()
    wkt = "POLYGON((" + ",".join(f"{x} {y}" for x, y in A) + "))"
    (folder / "front_2024-03-01.csv").write_bytes(b"\xff\xfe" + f'WKT,name\n"{wkt}",Occupied\n'.encode("utf-16-le"))
    assert areas_by_state(folder) == {"occupied": pytest.approx(geod_km2(A), rel=1e-6)}


def test_flatgeobuf(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import Polygon

    path = tmp_path / "front_2024-03-01.fgb"
    gpd.GeoDataFrame({"name": ["Occupied", "Liberated"]}, geometry=[Polygon(A), Polygon(B)], crs=4326).to_file(
        path, driver="FlatGeobuf")
    got = areas_by_state(path)
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-6)
    assert got["liberated"] == pytest.approx(geod_km2(B), rel=1e-6)


def test_geojson_sequence_with_record_separators(tmp_path: Path) -> None:
    path = tmp_path / "front_2024-03-01.geojsons"
    path.write_bytes(b"".join(b"\x1e" + json.dumps(feature({"name": n}, r)).encode() + b"\n"
                              for n, r in (("Occupied", A), ("Liberated", B))))
    got = areas_by_state(path)
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-6)


def _mercator(ring: list[list[float]]) -> list[list[float]]:
    from pyproj import Transformer

    t = Transformer.from_crs(4326, 3857, always_xy=True)
    return [list(t.transform(x, y)) for x, y in ring]


def test_geojson_crs_member_in_web_mercator(tmp_path: Path) -> None:
    # Axis-parallel lon/lat squares stay axis-parallel in Mercator: the same region, so the same Geod area.
    path = tmp_path / "front_2024-03-01.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {
        "name": "urn:ogc:def:crs:EPSG::3857"}}, "features": [feature({"name": "Occupied"}, _mercator(A))]}))
    assert areas_by_state(path) == {"occupied": pytest.approx(geod_km2(A), rel=1e-5)}


def test_geojson_crs_member_epsg_4326_urn_in_lat_lon_order_is_one_line(tmp_path: Path) -> None:
    # urn:ogc:def:crs:EPSG::4326 formally puts latitude first; most writers still write lon/lat, which is how
    # it is read. Coordinates that really are lat/lon miss the country and are refused, never measured.
    path = tmp_path / "front_2024-03-01.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {
        "name": "urn:ogc:def:crs:EPSG::4326"}}, "features": [feature({"name": "Occupied"}, [[y, x] for x, y in A])]}))
    refused(path, "swapped")


def test_esri_json_query_response_in_102100(tmp_path: Path) -> None:
    doc = {"objectIdFieldName": "OBJECTID", "geometryType": "esriGeometryPolygon",
           "spatialReference": {"wkid": 102100, "latestWkid": 3857},
           "fields": [{"name": "Status", "type": "esriFieldTypeString"}],
           "features": [{"attributes": {"OBJECTID": 1, "Status": "Occupied"},
                         "geometry": {"rings": [_mercator(A)[::-1]]}}]}  # Esri rings run clockwise
    path = tmp_path / "query_2024-03-01.json"
    path.write_text(json.dumps(doc))
    assert areas_by_state(path) == {"occupied": pytest.approx(geod_km2(A), rel=1e-5)}


# --- web map documents ------------------------------------------------------------------------------------

def _style(sources: dict, layers: list) -> dict:
    return {"version": 8, "name": "Front", "sources": sources, "layers": layers}


def test_maplibre_style_with_inline_geojson_sources(tmp_path: Path) -> None:
    # The source ids and fill layers name the states; the features themselves carry no attributes.
    doc = _style(
        {"occupied": {"type": "geojson", "data": {"type": "FeatureCollection", "features": [feature({}, A)]}},
         "liberated": {"type": "geojson", "data": {"type": "FeatureCollection", "features": [feature({}, B)]}},
         "basemap": {"type": "raster", "tiles": ["https://tiles.example.org/{z}/{x}/{y}.png"]}},
        [{"id": "basemap", "type": "raster", "source": "basemap"},
         {"id": "Occupied territory", "type": "fill", "source": "occupied", "paint": {"fill-color": "#a52714"}},
         {"id": "occupied-outline", "type": "line", "source": "occupied"},
         {"id": "Liberated territory", "type": "fill", "source": "liberated", "paint": {"fill-color": "#0288d1"}}])
    path = tmp_path / "style_2024-03-01.json"
    path.write_text(json.dumps(doc))
    got = areas_by_state(path)
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-6)
    assert got["liberated"] == pytest.approx(geod_km2(B), rel=1e-6)


def test_maplibre_style_of_links_only_is_one_line(tmp_path: Path) -> None:
    doc = _style({"front": {"type": "geojson", "data": "https://example.org/front.geojson"}},
                 [{"id": "front", "type": "fill", "source": "front"}])
    path = tmp_path / "style_2024-03-01.json"
    path.write_text(json.dumps(doc))
    refused(path, path.name, "no inline GeoJSON", "https://example.org/front.geojson")


def test_umap_export_with_layer_names(tmp_path: Path) -> None:
    doc = {"type": "umap", "properties": {"name": "Front"}, "layers": [
        {"type": "FeatureCollection", "features": [feature({"name": "sector 1"}, A)],
         "_umap_options": {"name": "Окупована територія", "color": "DarkRed"}},
        {"type": "FeatureCollection", "features": [feature({"name": "sector 2"}, B)],
         "_umap_options": {"name": "Звільнена територія", "color": "Blue"}}]}
    path = tmp_path / "front_2024-03-01.umap"
    path.write_text(json.dumps(doc))
    got = areas_by_state(path)
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-6)
    assert got["liberated"] == pytest.approx(geod_km2(B), rel=1e-6)


# --- containers -------------------------------------------------------------------------------------------

def test_geopackage_with_a_boundary_layer_beside_the_control_layer(tmp_path: Path) -> None:
    # The boundary polygon names no state: it is reported as unmapped, never counted as a state's area.
    import geopandas as gpd
    from shapely.geometry import Polygon, box

    path = tmp_path / "front_2024-03-01.gpkg"
    gpd.GeoDataFrame({"name": ["Occupied"]}, geometry=[Polygon(A)], crs=4326).to_file(path, layer="control")
    gpd.GeoDataFrame({"name": ["Country outline"]}, geometry=[box(22, 44, 40, 52.5)], crs=4326).to_file(
        path, layer="boundary")
    snaps = read(path)
    assert snaps[0].unmapped == {"Country outline": 1}
    assert areas_by_state(path) == {"occupied": pytest.approx(geod_km2(A), rel=1e-6)}


@pytest.mark.parametrize("zipped", [False, True])
def test_shapefile_with_upper_case_suffixes(tmp_path: Path, zipped: bool) -> None:
    import geopandas as gpd
    from shapely.geometry import Polygon

    folder = tmp_path / "export"
    folder.mkdir()
    gpd.GeoDataFrame({"name": ["Occupied"]}, geometry=[Polygon(A)], crs=4326).to_file(folder / "front_2024-03-01.shp")
    for part in list(folder.iterdir()):
        part.rename(part.with_name(part.stem + part.suffix.upper()))
    target = folder
    if zipped:
        target = tmp_path / "export.zip"
        with zipfile.ZipFile(target, "w") as zf:
            for part in folder.iterdir():
                zf.write(part, f"export/{part.name}")
    assert areas_by_state(target) == {"occupied": pytest.approx(geod_km2(A), rel=1e-6)}


def test_zip_of_several_dated_maps(tmp_path: Path) -> None:
    path = tmp_path / "maps.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for day, ring in (("2024-03-01", A), ("2024-03-02", B)):
            zf.writestr(f"maps/front_{day}.geojson", json.dumps(
                {"type": "FeatureCollection", "features": [feature({"name": "Occupied"}, ring)]}))
        zf.writestr("maps/README.txt", "made by hand")
    snaps = read(path)
    assert [str(s.date) for s in snaps] == ["2024-03-01", "2024-03-02"]


def test_esri_true_curves_are_one_line_not_silently_dropped(tmp_path: Path) -> None:
    # returnTrueCurves=true: one feature in plain rings, one with an arc. Before, the curved one was dropped as
    # "no geometry" and the map's area understated; now the file is refused with the query to send instead.
    doc = {"geometryType": "esriGeometryPolygon", "spatialReference": {"wkid": 4326}, "features": [
        {"attributes": {"Status": "Occupied"}, "geometry": {"rings": [B[::-1]]}},
        {"attributes": {"Status": "Occupied"}, "geometry": {"curveRings": [
            [A[0], A[1], {"c": [A[2], [A[2][0] + 0.05, (A[1][1] + A[2][1]) / 2]]}, A[3], A[0]]]}}]}
    path = tmp_path / "query_2024-03-01.json"
    path.write_text(json.dumps(doc))
    refused(path, path.name, "curveRings", "returnTrueCurves=false")


def test_overpass_json_is_one_line(tmp_path: Path) -> None:
    doc = {"version": 0.6, "generator": "Overpass API", "osm3s": {"timestamp_osm_base": "2024-03-01T00:00:00Z"},
           "elements": [{"type": "way", "id": 1, "geometry": [{"lat": y, "lon": x} for x, y in A]}]}
    path = tmp_path / "export_2024-03-01.json"
    path.write_text(json.dumps(doc))
    refused(path, path.name, "Overpass", "GeoJSON")
