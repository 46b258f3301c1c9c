"""Map styles of publishers we had not read before, written here in their style (no third-party file is
copied): the states read and the areas, checked against an independent pyproj.Geod computation.

Each fixture draws squares in Donbas; a square's area is computed in the test with pyproj.Geod on its
corners densified along the lon/lat straight edges (the convention the maps draw in)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

from whoholds.errors import InputError
from whoholds.io.readers import read_maps
from whoholds.profiles import load_profile

GEOD = Geod(ellps="WGS84")


def square(x0: float, y0: float, w: float = 0.3, h: float = 0.2) -> list[list[float]]:
    return [[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h], [x0, y0]]


def geod_km2(ring: list[list[float]], steps: int = 200) -> float:
    """Area of a lon/lat ring with straight lon/lat edges, by pyproj.Geod on a densified copy."""
    xs: list[float] = []
    ys: list[float] = []
    for (x0, y0), (x1, y1) in zip(ring[:-1], ring[1:], strict=True):
        t = np.linspace(0, 1, steps, endpoint=False)
        xs.extend(x0 + (x1 - x0) * t)
        ys.extend(y0 + (y1 - y0) * t)
    return abs(GEOD.polygon_area_perimeter(xs, ys)[0]) / 1e6


def areas_by_state(path: Path, **kw: object) -> dict[str, float]:
    from whoholds.geometry.area import geodesic_area_km2

    snaps = list(read_maps([path], load_profile("ukraine"), **kw))
    assert len(snaps) == 1
    frame = snaps[0].features
    out: dict[str, float] = {}
    for state, group in frame.groupby("state"):
        out[str(state)] = float(geodesic_area_km2(group.geometry.union_all()).sum())
    return out


def placemark(name: str, kml_colour: str, ring: list[list[float]]) -> str:
    coords = " ".join(f"{x},{y},0" for x, y in ring)
    return (f"<Placemark><name>{name}</name><Style><PolyStyle><color>{kml_colour}</color></PolyStyle></Style>"
            f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}</coordinates></LinearRing>"
            f"</outerBoundaryIs></Polygon></Placemark>")


def kml(body: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f"<name>Map 2024-03-01</name>{body}</Document></kml>")


A, B = square(37.5, 47.8), square(36.5, 47.8)


@pytest.mark.parametrize(("occupied", "freed"), [
    ("Окупована територія", "Звільнена територія"),
    ("Оккупированная территория", "Освобожденная территория"),
    ("مناطق سيطرة روسيا", "مناطق محررة"),
])
def test_my_maps_layer_names_outrank_a_default_black_fill(tmp_path: Path, occupied: str, freed: str) -> None:
    # Google My Maps: folders named in Ukrainian/Russian/Arabic, every polygon in the same black style,
    # which the Ukraine profile reserves for "occupied since 2014": the folder's words decide.
    body = "".join(f"<Folder><name>{folder}</name>{placemark('Полігон 1', 'ff000000', ring)}</Folder>"
                   for folder, ring in ((occupied, A), (freed, B)))
    path = tmp_path / "mymaps_2024-03-01.kml"
    path.write_text(kml(body), encoding="utf-8")
    got = areas_by_state(path)
    assert set(got) == {"occupied", "liberated"}
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-6)
    assert got["liberated"] == pytest.approx(geod_km2(B), rel=1e-6)


def test_liveuamap_style_inline_colours_give_one_hint_line(tmp_path: Path) -> None:
    # Per-placemark inline styles, no folders, colours the profile does not know: one line that names
    # the colours seen and the way out, never a guess.
    body = placemark("", "7f0000ff", A) + placemark("", "7fff0000", B)
    path = tmp_path / "liveuamap_2024-03-01.kml"
    path.write_text(kml(body))
    with pytest.raises(InputError) as err:
        list(read_maps([path], load_profile("ukraine")))
    text = str(err.value)
    assert "\n" not in text and "#ff0000" in text and "profile" in text


def feature(props: dict, ring: list[list[float]]) -> dict:
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def write_fc(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.mark.parametrize(("layer", "state"), [
    ("Assessed_Russian_Control", "occupied"),
    ("Assessed_Russian_Advances_in_Ukraine", "unknown"),
    ("Claimed_Russian_Advances", "unknown"),
    ("Russian_Infiltration", "unknown"),
])
def test_isw_single_layer_export_is_named_by_its_file(tmp_path: Path, layer: str, state: str) -> None:
    # An ArcGIS layer saved alone: the attributes are OBJECTID/Shape__Area, the meaning is in the name.
    path = write_fc(tmp_path / f"{layer}_2024-03-01.geojson", [feature({"OBJECTID": 1, "Shape__Area": 0.06}, A)])
    snaps = list(read_maps([path], load_profile("ukraine")))
    assert list(snaps[0].features.state) == [state]
    assert any("file's name" in k for k in snaps[0].repairs)


def test_isw_layer_attribute_in_identifier_style(tmp_path: Path) -> None:
    path = write_fc(tmp_path / "isw_2024-03-01.geojson", [
        feature({"OBJECTID": 1, "layer": "Assessed_Russian_Control"}, A),
        feature({"OBJECTID": 2, "layer": "Russian_Infiltration"}, B),
    ])
    got = areas_by_state(path)
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-6)
    assert got["unknown"] == pytest.approx(geod_km2(B), rel=1e-6)


def test_unlabelled_state_flag_outranks_the_file_name(tmp_path: Path) -> None:
    path = write_fc(tmp_path / "Russian_Infiltration_2024-03-01.geojson", [feature({}, A)])
    snaps = list(read_maps([path], load_profile("ukraine"), unlabelled_state="occupied"))
    assert list(snaps[0].features.state) == ["occupied"]


def test_commons_kartographer_map_data(tmp_path: Path) -> None:
    # A Wikimedia Commons Data:*.map page saved as JSON: the GeoJSON sits in its "data" member.
    doc = {"license": "CC0-1.0", "description": {"en": "Front"}, "zoom": 6, "latitude": 48, "longitude": 37,
           "data": {"type": "FeatureCollection", "features": [
               feature({"title": "Russian-occupied", "fill": "#777777"}, A),
               feature({"title": "Liberated", "fill": "#777777"}, B)]}}
    path = tmp_path / "Data_Front_2024-03-01.map.json"
    path.write_text(json.dumps(doc))
    got = areas_by_state(path)
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-6)
    assert got["liberated"] == pytest.approx(geod_km2(B), rel=1e-6)


def test_lat_lon_order_is_refused_in_one_line(tmp_path: Path) -> None:
    swapped = [[y, x] for x, y in A]
    path = write_fc(tmp_path / "latlon_2024-03-01.geojson", [feature({"name": "Occupied"}, swapped)])
    with pytest.raises(InputError, match="swapped"):
        list(read_maps([path], load_profile("ukraine")))


def test_front_line_only_is_one_line(tmp_path: Path) -> None:
    line = {"type": "Feature", "properties": {"name": "front line"},
            "geometry": {"type": "LineString", "coordinates": [[37, 47.5], [38, 48.5]]}}
    path = write_fc(tmp_path / "front_2024-03-01.geojson", [line])
    with pytest.raises(InputError, match="no polygon features.*lines"):
        list(read_maps([path], load_profile("ukraine")))


def test_geometry_collection_duplicates_and_slivers(tmp_path: Path) -> None:
    gc = {"type": "Feature", "properties": {"name": "Occupied"}, "geometry": {"type": "GeometryCollection",
          "geometries": [{"type": "Polygon", "coordinates": [A]}, {"type": "Point", "coordinates": [37, 48]}]}}
    sliver = feature({"name": "Occupied"}, [[37, 47], [37.5, 47], [38, 47], [37, 47]])
    path = write_fc(tmp_path / "mixed_2024-03-01.geojson", [gc, feature({"name": "Occupied"}, A),
                                                           feature({"name": "Occupied"}, A), sliver])
    got = areas_by_state(path)
    assert got == {"occupied": pytest.approx(geod_km2(A), rel=1e-6)}


def test_multipolygon_with_5000_parts(tmp_path: Path) -> None:
    parts = [[square(36 + (i % 100) * 0.02, 47 + (i // 100) * 0.02, 0.01, 0.01)] for i in range(5000)]
    geom = {"type": "MultiPolygon", "coordinates": parts}
    path = write_fc(tmp_path / "many_2024-03-01.geojson",
                    [{"type": "Feature", "properties": {"name": "Occupied"}, "geometry": geom}])
    expected = sum(geod_km2(p[0], steps=4) for p in parts)
    got = areas_by_state(path)["occupied"]
    assert got == pytest.approx(expected, rel=1e-6)


def test_qgis_geopackage_with_two_layers(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import Polygon

    path = tmp_path / "qgis_2024-03-01.gpkg"
    for layer, ring in (("Окупована територія", A), ("Звільнена територія", B)):
        gpd.GeoDataFrame({"id": [1]}, geometry=[Polygon(ring)], crs=4326).to_file(path, layer=layer, driver="GPKG")
    got = areas_by_state(path)
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-6)
    assert got["liberated"] == pytest.approx(geod_km2(B), rel=1e-6)


def test_zipped_shapefile_cp1251_in_web_mercator(tmp_path: Path) -> None:
    import zipfile

    import geopandas as gpd
    from shapely.geometry import Polygon

    folder = tmp_path / "shp"
    folder.mkdir()
    frame = gpd.GeoDataFrame({"Статус": ["Оккупировано", "Освобождено"]},
                             geometry=[Polygon(A), Polygon(B)], crs=4326).to_crs(3857)
    frame.to_file(folder / "front.shp", encoding="cp1251")
    (folder / "front.cpg").write_text("1251")
    path = tmp_path / "front_2024-03-01.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    got = areas_by_state(path)
    # Reprojected vertices keep the straight lon/lat edges only approximately: 1e-4 relative.
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-4)
    assert got["liberated"] == pytest.approx(geod_km2(B), rel=1e-4)


def test_quantised_topojson_with_two_objects(tmp_path: Path) -> None:
    scale, origin = [1e-4, 1e-4], [36.0, 47.0]

    def arc(ring: list[list[float]]) -> list[list[int]]:
        q = [[round((x - origin[0]) / scale[0]), round((y - origin[1]) / scale[1])] for x, y in ring]
        return [q[0]] + [[b[0] - a[0], b[1] - a[1]] for a, b in zip(q[:-1], q[1:], strict=True)]

    topo = {"type": "Topology", "transform": {"scale": scale, "translate": origin}, "arcs": [arc(A), arc(B)],
            "objects": {
                "occupied": {"type": "GeometryCollection",
                             "geometries": [{"type": "Polygon", "arcs": [[0]], "properties": {"name": "Occupied"}}]},
                "freed": {"type": "GeometryCollection",
                          "geometries": [{"type": "Polygon", "arcs": [[1]], "properties": {"name": "Liberated"}}]}}}
    path = tmp_path / "front_2024-03-01.topojson"
    path.write_text(json.dumps(topo))
    got = areas_by_state(path)
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-6)
    assert got["liberated"] == pytest.approx(geod_km2(B), rel=1e-6)


def test_kml_with_attributes_in_an_html_description(tmp_path: Path) -> None:
    # ArcGIS "Layer To KML" / Google Earth style: the name is an OBJECTID, the attributes an HTML table.
    def described(objectid: int, status: str, ring: list[list[float]]) -> str:
        coords = " ".join(f"{x},{y}" for x, y in ring)
        table = (f"<html><body><table><tr><th>OBJECTID</th><td>{objectid}</td></tr>"
                 f"<tr><td>Status</td><td>{status}</td></tr><tr><td>Date</td><td>2024-03-01</td></tr></table>")
        return (f"<Placemark><name>{objectid}</name><description><![CDATA[{table}]]></description><MultiGeometry>"
                f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}</coordinates></LinearRing>"
                "</outerBoundaryIs></Polygon></MultiGeometry></Placemark>")

    path = tmp_path / "layer_to_kml.kml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://earth.google.com/kml/2.1"><Document>'
                    f"<Folder><name>Control</name>{described(4, 'Occupied', A)}{described(5, 'Liberated', B)}"
                    "</Folder></Document></kml>")
    got = areas_by_state(path)
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-6)
    assert got["liberated"] == pytest.approx(geod_km2(B), rel=1e-6)


def test_html_attribute_rows() -> None:
    from whoholds.io.html_attributes import attribute_rows

    text = ("<table><tr><td>Status</td><td>Окуповано &amp; ще</td></tr><tr><td>Empty</td><td>&lt;Null&gt;</td></tr>"
            "<tr><td><b>Date</b></td><td> 2024-03-01 </td></tr></table>")
    assert attribute_rows(text) == {"Status": "Окуповано & ще", "Date": "2024-03-01"}
    assert attribute_rows("plain words") == {} and attribute_rows(None) == {}


@pytest.mark.parametrize("style", [{"felt:color": "#a52714", "felt:type": "Polygon"},
                                   {"style": {"fillColor": "#a52714", "weight": 1}}])
def test_web_map_tool_colours(tmp_path: Path, style: dict) -> None:
    # Felt and Leaflet/Mapbox exports keep the colour in their own keys; #a52714 is the profile's occupied.
    path = write_fc(tmp_path / "felt_2024-03-01.geojson", [feature({"name": "Area 1", **style}, A)])
    got = areas_by_state(path)
    assert got == {"occupied": pytest.approx(geod_km2(A), rel=1e-6)}


def test_lat_lon_order_whose_box_still_touches_the_country(tmp_path: Path) -> None:
    # Syria's box overlaps its own mirror image, so the box test at reading cannot tell; the drawn area can.
    aleppo, deir = square(36.6, 35.8, 0.8, 0.5), square(39.8, 34.9, 0.8, 0.5)
    features = [feature({"name": name}, [[y, x] for x, y in ring])
                for name, ring in (("Syrian government", aleppo), ("Syrian Democratic Forces", deir))]
    path = write_fc(tmp_path / "swapped_2019-06-01.geojson", features)
    with pytest.raises(InputError, match="latitude and longitude look swapped"):
        list(read_maps([path], load_profile("syria")))


def _esri_rings_3857(ring: list[list[float]]) -> list[list[list[float]]]:
    from pyproj import Transformer

    to_mercator = Transformer.from_crs(4326, 3857, always_xy=True)
    return [[list(to_mercator.transform(x, y)) for x, y in ring]]


def test_arcgis_online_web_map_with_layer_titles_and_renderers(tmp_path: Path) -> None:
    # A think tank's web map saved as JSON: one layer per assessment, features in Web Mercator, no labels;
    # the layer titles say what the polygons are.
    def layer(title: str, ring: list[list[float]], renderer: dict) -> dict:
        return {"title": title, "layerType": "ArcGISFeatureLayer", "featureCollection": {"layers": [{
            "layerDefinition": {"geometryType": "esriGeometryPolygon", "drawingInfo": {"renderer": renderer}},
            "featureSet": {"geometryType": "esriGeometryPolygon", "features": [
                {"attributes": {"OBJECTID": 1}, "geometry": {"rings": _esri_rings_3857(ring),
                                                              "spatialReference": {"wkid": 102100}}}]}}]}}

    simple = {"type": "simple", "symbol": {"type": "esriSFS", "color": [200, 30, 30, 120]}}
    doc = {"operationalLayers": [
        layer("Assessed Russian Control", A, simple),
        layer("Russian Infiltration", B, simple),
        {"title": "Front line (live)", "url": "https://services.example.org/arcgis/rest/services/x/FeatureServer/0"},
    ], "spatialReference": {"wkid": 102100, "latestWkid": 3857}, "version": "2.31"}
    path = tmp_path / "webmap_2024-03-01.json"
    path.write_text(json.dumps(doc))
    got = areas_by_state(path)
    assert got["occupied"] == pytest.approx(geod_km2(A), rel=1e-4)
    assert got["unknown"] == pytest.approx(geod_km2(B), rel=1e-4)


def test_arcgis_web_map_of_live_links_only_is_one_line(tmp_path: Path) -> None:
    doc = {"operationalLayers": [{"title": "Assessed Russian Control", "url": "https://example.org/FeatureServer/0"}],
           "spatialReference": {"wkid": 102100}}
    path = tmp_path / "links_2024-03-01.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match="links to live services.*Assessed Russian Control"):
        list(read_maps([path], load_profile("ukraine")))


def test_kml_timestamp_dates_the_map(tmp_path: Path) -> None:
    # Google Earth style: no date in the file name, each placemark stamped <TimeStamp><when>.
    stamped = "".join(placemark("Окупована територія", "ff000000", ring).replace(
        "<Polygon>", "<TimeStamp><when>2024-03-01T12:00:00Z</when></TimeStamp><Polygon>") for ring in (A, B))
    path = tmp_path / "front.kml"
    path.write_text(kml(stamped).replace("<name>Map 2024-03-01</name>", "<name>Front</name>"))
    snaps = list(read_maps([path], load_profile("ukraine")))
    assert [str(s.date) for s in snaps] == ["2024-03-01"]
    assert sorted(snaps[0].features.state) == ["occupied", "occupied"]


def test_zipped_shapefile_named_for_its_layer(tmp_path: Path) -> None:
    # An ArcGIS layer exported as a zipped shapefile, polygons without any attribute naming a state: the
    # .shp's own name inside the zip is the only text that does.
    import zipfile

    import geopandas as gpd
    from shapely.geometry import Polygon

    folder = tmp_path / "shp"
    folder.mkdir()
    gpd.GeoDataFrame({"OBJECTID": [1]}, geometry=[Polygon(A)], crs=4326).to_file(
        folder / "Assessed_Russian_Control.shp")
    path = tmp_path / "isw_export_2024-03-01.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    assert areas_by_state(path) == {"occupied": pytest.approx(geod_km2(A), rel=1e-6)}
