"""Fuzz targets, round 2: the dialects and formats added for unseen maps (map styles, Esri JSON in Web
Mercator, polygons across the antimeridian, KML variants and encodings, CSV tables, shapefile side-cars).
Shared by ``test_hostile_inputs_fuzz.py`` (bounded) and ``benchmarks/fuzz.py`` (minutes each). The contract is
the one of ``fuzz_targets.py``: a result or a one-line WhoholdsError, nothing else."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from functools import cache

from fuzz_targets import DATE, _json, _labels
from hypothesis import strategies as st

_lon = st.one_of(st.floats(min_value=-180, max_value=180), st.sampled_from([179.5, -179.5, 180.0, -180.0, 37.5]))
_lat = st.one_of(st.floats(min_value=-90, max_value=90), st.floats(min_value=44, max_value=52))
_world_ring = st.lists(st.lists(st.one_of(_lon, _lat), min_size=2, max_size=2), min_size=0, max_size=8)


def _closed(ring: list[list[float]]) -> list[list[float]]:
    return [*ring, ring[0]] if ring else ring


def _read(name: str, data: bytes, fmt: str, profile: str = "ukraine") -> None:
    from whoholds.errors import WhoholdsError
    from whoholds.io import Source, read_source
    from whoholds.profiles import load_profile

    with contextlib.suppress(WhoholdsError):
        read_source(Source(name, data, None, fmt), load_profile(profile), DATE)


# ---- Mapbox / MapLibre style JSON -------------------------------------------------------------------------
_fc = st.lists(_world_ring.map(_closed), max_size=3).map(lambda rings: {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [r]}} for r in rings]})
_source = st.one_of(
    st.fixed_dictionaries({"type": st.just("geojson"), "data": st.one_of(_fc, _json, st.just("https://x.org/a.json"))}),
    st.fixed_dictionaries({"type": st.sampled_from(["vector", "raster"]), "url": st.text(max_size=20)}),
    _json,
)
_layer = st.fixed_dictionaries({"id": st.one_of(_labels, st.text(max_size=10)), "type": st.sampled_from(
    ["fill", "line", "symbol"]), "source": st.sampled_from(["occupied", "liberated", "x"]),
    "paint": st.one_of(st.fixed_dictionaries({"fill-color": st.one_of(st.sampled_from(["#a52714", "red"]), _json)}),
                       _json)}, optional={"filter": _json})
style_docs = st.builds(lambda sources, layers, version: {"version": version, "sources": sources, "layers": layers},
                       st.dictionaries(st.sampled_from(["occupied", "liberated", "x"]), _source, max_size=3),
                       st.lists(_layer, max_size=4), st.one_of(st.just(8), _json))


def run_style(doc: object) -> None:
    _read("style_fuzz.json", json.dumps(doc).encode(), "geojson")


# ---- Esri JSON (wkid 102100 / 4326), rings anywhere on the globe ------------------------------------------
_esri = st.builds(
    lambda wkid, rings, attrs: {"spatialReference": {"wkid": wkid}, "geometryType": "esriGeometryPolygon",
                                "features": [{"attributes": attrs, "geometry": {"rings": rings}}]},
    st.sampled_from([4326, 102100, 3857, 32637, 0, -1, 999999]),
    st.lists(_world_ring.map(_closed), max_size=3),
    st.one_of(st.fixed_dictionaries({"Status": _labels}), _json),
)


def run_esri(doc: object) -> None:
    _read("query_fuzz.json", json.dumps(doc).encode(), "geojson")


# ---- polygons across the antimeridian (the repair step) ---------------------------------------------------
_world_doc = st.lists(st.lists(_world_ring.map(_closed), min_size=1, max_size=3), max_size=3).map(
    lambda polys: json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Occupied"}, "geometry": {"type": "Polygon", "coordinates": p}}
        for p in polys]}).encode())


def run_antimeridian(data: bytes) -> None:
    import numpy as np
    import shapely

    from whoholds.io.repair import repair_geometries

    _read("world_fuzz.geojson", data, "geojson")
    rings = [f["geometry"]["coordinates"][0] for f in json.loads(data)["features"]]
    geoms = [shapely.Polygon(r) if len(r) >= 4 else None for r in rings]
    repaired, _ = repair_geometries(np.array(geoms, dtype=object))
    for geom in repaired:  # whatever comes out lies on the globe and is valid
        assert geom is None or (shapely.is_valid(geom) and geom.bounds[0] >= -180 and geom.bounds[2] <= 180)


# ---- KML variants: nesting, links, tracks, regions, encodings, entities ------------------------------------
_kml_piece = st.sampled_from([
    "<Folder><name>Occupied</name>", "</Folder>", "<Document><name>d</name>", "</Document>",
    "<NetworkLink><Link><href>https://x.org/a.kml</href></Link></NetworkLink>",
    "<Placemark><gx:Track><when>2024-03-01T00:00:00Z</when><gx:coord>37 48 0</gx:coord></gx:Track></Placemark>",
    "<Region><LatLonAltBox><north>49</north><south>47</south><east>39</east><west>36</west></LatLonAltBox></Region>",
    "<Placemark><name>Occupied</name><Polygon><outerBoundaryIs><LinearRing><coordinates>37.5,47.8 37.8,47.8 "
    "37.8,48 37.5,48 37.5,47.8</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>",
    "<Placemark><name>x</name><TimeStamp><when>2024-03-01</when></TimeStamp><Polygon><outerBoundaryIs>"
    "<LinearRing><coordinates>179,47 -179,47 -179,48 179,48 179,47</coordinates></LinearRing></outerBoundaryIs>"
    "</Polygon></Placemark>",
    "<Placemark><name>big</name><Polygon><outerBoundaryIs><LinearRing><coordinates>1e300,47 37,47 37,48 1e300,47"
    "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>",
])
_kml2_docs = st.builds(
    lambda pieces, depth, prolog: (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<kml xmlns="http://www.opengis.net/kml/2.2" '
        'xmlns:gx="http://www.google.com/kml/ext/2.2"><Document>' + "<Folder>" * depth + "".join(pieces)
        + "</Folder>" * depth + "</Document></kml>"),
    st.lists(_kml_piece, max_size=8), st.sampled_from([0, 1, 50, 120, 400]),
    st.sampled_from(["", '<!DOCTYPE kml [<!ENTITY a "aa">]>', '<!DOCTYPE kml>']),
)


def kml2_bytes() -> st.SearchStrategy[bytes]:
    utf8 = _kml2_docs.map(str.encode)
    utf16 = _kml2_docs.map(lambda t: b"\xff\xfe" + t.replace('"UTF-8"', '"UTF-16"').encode("utf-16-le"))
    flipped = st.tuples(utf8, st.integers(0, 10**5), st.integers(128, 255)).map(
        lambda t: t[0][: t[1] % max(len(t[0]), 1)] + bytes([t[2]]) + t[0][t[1] % max(len(t[0]), 1) + 1:])
    return st.one_of(utf8, utf16, flipped)


def run_kml2(data: bytes) -> None:
    _read("front_fuzz.kml", data, "kml")


# ---- CSV/TSV tables: WKT or lat/lon columns, BOMs, separators ---------------------------------------------
_wkt = st.one_of(
    st.just("POLYGON((37.5 47.8,37.8 47.8,37.8 48,37.5 48,37.5 47.8))"),
    st.just("SRID=3857;POLYGON((0 0,1 0,1 1,0 0))"), st.just("POLYGON((179 47,-179 47,-179 48,179 48,179 47))"),
    st.just("POINT(37 48)"), st.text(max_size=30))
_table = st.builds(
    lambda header, rows, sep: sep.join(header) + "\n" + "\n".join(sep.join(json.dumps(c) for c in r) for r in rows),
    st.lists(st.sampled_from(["WKT", "wkt_geom", "geometry", "lat", "lon", "Latitude", "name", "Status", "date"]),
             min_size=1, max_size=4),
    st.lists(st.lists(st.one_of(_wkt, _labels, st.floats(allow_nan=False)), max_size=4), max_size=4),
    st.sampled_from([",", ";", "\t"]),
)


def table_bytes() -> st.SearchStrategy[bytes]:
    return st.one_of(_table.map(str.encode), _table.map(lambda t: b"\xff\xfe" + t.encode("utf-16-le")),
                     _table.map(lambda t: b"\xef\xbb\xbf" + t.encode()))


def run_table(data: bytes) -> None:
    from whoholds.io.sources import _is_map_json
    from whoholds.io.tabular import point_columns

    _is_map_json("fuzz.csv", data)
    point_columns(data)
    _read("front_fuzz.csv", data, "csv")


# ---- shapefile side-cars: a good shapefile with bytes of its .shp/.shx/.dbf changed -----------------------
@cache
def _shapefile_parts() -> dict[str, bytes]:
    import tempfile
    from pathlib import Path

    import geopandas as gpd
    import shapely

    with tempfile.TemporaryDirectory() as tmp:
        rings = [shapely.box(37 + i * 0.3, 47.8, 37.2 + i * 0.3, 48.0) for i in range(3)]
        gpd.GeoDataFrame({"name": ["Occupied"] * 3}, geometry=rings, crs=4326).to_file(Path(tmp) / "front.shp")
        return {p.suffix: p.read_bytes() for p in Path(tmp).iterdir()}


_shp_edits = st.lists(st.tuples(st.sampled_from([".shp", ".shx", ".dbf"]), st.integers(0, 10**4),
                                st.integers(0, 255)), max_size=4)
_shp_cuts = st.dictionaries(st.sampled_from([".shp", ".shx", ".dbf"]), st.integers(0, 400), max_size=1)


def run_shapefile(edits: tuple[list[tuple[str, int, int]], dict[str, int]]) -> None:
    from whoholds.io.gdal_guards import shapefile_index_problem

    changes, cuts = edits
    parts = {k: bytearray(v) for k, v in _shapefile_parts().items()}
    for suffix, where, value in changes:
        blob = parts[suffix]
        blob[where % len(blob)] = value
    for suffix, keep in cuts.items():
        del parts[suffix][keep:]
    shapefile_index_problem(bytes(parts[".shp"]), bytes(parts[".shx"]), bytes(parts[".dbf"]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for suffix, blob in parts.items():
            zf.writestr("front" + suffix, bytes(blob))
    _read("front_fuzz.zip", buf.getvalue(), "shp")


TARGETS2 = {
    "style": (style_docs, run_style),
    "esri": (_esri, run_esri),
    "antimeridian": (_world_doc, run_antimeridian),
    "kml2": (kml2_bytes(), run_kml2),
    "tables": (table_bytes(), run_table),
    "shapefile": (st.tuples(_shp_edits, _shp_cuts), run_shapefile),
}
