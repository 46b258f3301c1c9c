"""JSON map dialects turned into a plain GeoJSON FeatureCollection before reading.

Analysts download maps from everywhere; three JSON dialects are common besides GeoJSON proper:

- **GeoJSON Text Sequences / newline-delimited GeoJSON** (``.geojsonl``, ``.geojsons``, ``.ndjson``): one
  Feature per line, optionally prefixed by the RS character (RFC 8142).
- **Esri JSON** (an ArcGIS REST ``FeatureServer/0/query?f=json`` or ``f=pjson`` response): ``features[]``
  with ``attributes`` and ``geometry.rings``, the CRS in ``spatialReference`` (wkid 4326, 102100/3857...).
  Rings are combined by the even-odd rule, which gives Esri's outer-ring/hole meaning whatever the rings'
  orientation (exports from other tools often get the orientation wrong).
- **uMap** exports (``.umap`` files, or GeoJSON layers with ``_umap_options``): the layer's name and each
  feature's colour carry the meaning; they become the ``layer`` and ``fill`` properties.

- **Wikimedia Commons map data** (``Data:*.map`` pages, Kartographer JSON): ``license``, ``zoom``,
  ``latitude``... around a ``data`` member that holds the GeoJSON (a FeatureCollection, a Feature, or a list
  of them); features carry simplestyle ``title``/``fill``.

- **Styled GeoJSON** from web map tools: Felt (``felt:color``, ``felt:fillColor``) and Leaflet/Mapbox
  exports whose colour sits in a nested ``style`` object (``style.fillColor``); the colour becomes ``fill``.

- **ArcGIS Online web maps** (an item's JSON with ``operationalLayers``): see :mod:`.arcgis_webmap`.

- **Mapbox GL / MapLibre style JSON** with inline GeoJSON sources: see :mod:`.mapstyle`.

A response the server cut short (``exceededTransferLimit: true``) is refused: a partial map would give
areas that are too small, confidently.
"""

from __future__ import annotations

import json
import math
import re

from ..errors import InputError

#: Suffixes of newline-delimited GeoJSON (read as format ``geojsonseq``).
SEQUENCE_SUFFIXES = (".geojsonl", ".geojsons", ".geojsonseq", ".ndjson", ".jsonl")
_HEAD = 1 << 16
_RS = b"\x1e"
#: Web Mercator's wkids (102100 and 102113 are Esri's old codes for EPSG:3857).
_MERCATOR_WKIDS = {102100, 102113, 900913, 3857}


def normalise(data: bytes, name: str, fmt: str) -> bytes:
    """``data`` as plain GeoJSON when it is one of the dialects above, else ``data`` unchanged."""
    if fmt == "geojsonseq":
        return from_sequence(data, name)
    head = data[:_HEAD]
    if b"exceededTransferLimit" in head or b"exceededTransferLimit" in data[-_HEAD:]:
        _check_not_truncated(data, name)
    if b"_umap_options" in head or head.lstrip()[:40].replace(b" ", b"").startswith(b'{"type":"umap"'):
        return from_umap(data, name)
    if b'"elements"' in head and (b'"osm3s"' in head or b'"generator"' in head) and b'"features"' not in head:
        raise InputError(name, "OpenStreetMap / Overpass JSON (elements of nodes, ways and relations), not a map "
                               "of areas: convert it to GeoJSON first (osmtogeojson, or Overpass 'out geom' + "
                               "ogr2ogr)")
    if b'"operationalLayers"' in head:  # an ArcGIS Online web map's JSON
        from .arcgis_webmap import from_webmap

        return from_webmap(data, name)
    if b'"data"' in head and b'"license"' in head and _is_kartographer(data, name):
        return from_kartographer(data, name)
    if b'"sources"' in head and b'"layers"' in head and b'"version"' in head:  # Mapbox/MapLibre style JSON
        from .mapstyle import from_style, is_style

        doc = _load(data, name)
        if is_style(doc):
            return from_style(doc, name)  # type: ignore[arg-type]
    if (b'"felt:' in head or _STYLE_OBJECT.search(head)) and b'"FeatureCollection"' in head:
        return from_styled(data, name)
    if (b'"geometryType"' in head or b'"spatialReference"' in head or b'"rings"' in head) and not (
        b'"FeatureCollection"' in head or b'"Topology"' in head
    ):
        return from_esri(data, name)
    return data


def _load(data: bytes, name: str) -> object:
    try:
        return json.loads(data)
    except RecursionError:
        raise InputError(name, "JSON nested too deeply (thousands of levels): not a map") from None
    except ValueError as exc:
        raise InputError(name, f"not valid JSON, truncated or corrupt ({str(exc)[:80]})") from None


def _is_kartographer(data: bytes, name: str) -> bool:
    doc = _load(data, name)
    return isinstance(doc, dict) and "data" in doc and "license" in doc and doc.get("type") is None


def from_kartographer(data: bytes, name: str) -> bytes:
    """The FeatureCollection inside a Commons ``Data:*.map`` page (its ``data`` member)."""
    doc = _load(data, name)
    inner = doc["data"] if isinstance(doc, dict) else None
    items = inner if isinstance(inner, list) else [inner]
    if not all(isinstance(item, dict) for item in items):
        raise InputError(name, "Commons map data (.map) whose 'data' member is not GeoJSON")
    return json.dumps({"type": "FeatureCollection", "features": _flatten(items, name)}).encode()


#: Where web map tools keep a polygon's colour, first match wins: Felt's own keys, then a nested style object.
_FELT_FILL = ("felt:fillColor", "felt:color")
_STYLE_FILL = ("fillColor", "fill", "fill-color", "color")
_STYLE_OBJECT = re.compile(rb'"style"\s*:\s*\{')
_PLAIN_FILL = ("fill", "fill-color", "fill_color", "fillColor", "colour", "color")


def from_styled(data: bytes, name: str) -> bytes:
    """The FeatureCollection with each feature's Felt or nested-``style`` colour as its ``fill`` property
    (``data`` unchanged when no feature has one)."""
    doc = _load(data, name)
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        return data
    changed = False
    for feature in features:
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict) or any(props.get(k) for k in _PLAIN_FILL):
            continue
        style = props.get("style") if isinstance(props.get("style"), dict) else {}
        fill = next((props[k] for k in _FELT_FILL if isinstance(props.get(k), str) and props[k]), None) or next(
            (style[k] for k in _STYLE_FILL if isinstance(style.get(k), str) and style[k]), None)
        if fill:
            props["fill"] = fill
            changed = True
    return json.dumps(doc).encode() if changed else data


def _check_not_truncated(data: bytes, name: str) -> None:
    doc = _load(data, name)
    if not isinstance(doc, dict):
        return
    props = doc.get("properties") if isinstance(doc.get("properties"), dict) else {}
    if doc.get("exceededTransferLimit") is True or props.get("exceededTransferLimit") is True:
        n = len(doc.get("features") or [])
        raise InputError(name, f"the server cut this response short (exceededTransferLimit: true, {n} features); "
                               "a partial map would understate areas: fetch every page (resultOffset, "
                               "resultRecordCount) into one file, or query with a smaller extent")


def from_sequence(data: bytes, name: str) -> bytes:
    """A FeatureCollection of the Features on each line (RS prefixes and blank lines ignored)."""
    lines = [ln.strip().lstrip(_RS).strip() for ln in data.split(b"\n")]
    parts = [ln for ln in lines if ln]
    if not parts:
        raise InputError(name, "empty file")
    joined = b'{"type":"FeatureCollection","features":[' + b",".join(parts) + b"]}"
    try:
        items = json.loads(joined)["features"]
        if any(not isinstance(i, dict) or i.get("type") != "Feature" for i in items):
            return json.dumps({"type": "FeatureCollection", "features": _flatten(items, name)}).encode()
    except RecursionError:
        raise InputError(name, "JSON nested too deeply (thousands of levels): not a map") from None
    except ValueError:
        for number, line in enumerate(lines, start=1):
            if line:
                try:
                    json.loads(line)
                except (ValueError, RecursionError):
                    raise InputError(name, f"line {number} is not valid JSON (one GeoJSON Feature per line "
                                           "expected)") from None
        raise InputError(name, "not valid newline-delimited GeoJSON") from None
    return joined


def _flatten(items: list, name: str) -> list[dict]:
    """Features of sequence records that are Features, FeatureCollections or bare geometries."""
    out: list[dict] = []
    for number, item in enumerate(items, start=1):
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "Feature":
            out.append(item)
        elif kind == "FeatureCollection" and isinstance(item.get("features"), list):
            out.extend(item["features"])
        elif isinstance(kind, str) and "coordinates" in item or kind == "GeometryCollection":
            out.append({"type": "Feature", "properties": {}, "geometry": item})
        else:
            raise InputError(name, f"record {number} is not a GeoJSON Feature, FeatureCollection or geometry")
    return out


def _layer_features(layer: object, name: str) -> list[dict]:
    if not isinstance(layer, dict):
        raise InputError(name, "uMap export: a layer that is not an object")
    options = layer.get("_umap_options") if isinstance(layer.get("_umap_options"), dict) else {}
    layer_name = options.get("name")
    layer_fill = options.get("fillColor") or options.get("color")
    out = []
    features = layer.get("features") or []
    if not isinstance(features, list):
        raise InputError(name, "uMap export: a layer whose 'features' is not a list")
    for feature in features:
        if not isinstance(feature, dict):
            raise InputError(name, "uMap export: a feature that is not an object")
        raw = feature.get("properties")
        props = dict(raw) if isinstance(raw, dict) else {}  # GeoJSON's reader names other non-objects
        own = props.pop("_umap_options", None)
        own = own if isinstance(own, dict) else {}
        fill = own.get("fillColor") or own.get("color") or layer_fill
        if fill and not any(k in props for k in ("fill", "fill-color", "fillColor")):
            props["fill"] = fill
        if layer_name and "layer" not in props:
            props["layer"] = layer_name
        out.append({**feature, "properties": props})
    return out


def from_umap(data: bytes, name: str) -> bytes:
    """A FeatureCollection of every layer of a uMap export (or of one uMap GeoJSON layer)."""
    doc = _load(data, name)
    if not isinstance(doc, dict):
        raise InputError(name, "not GeoJSON: the JSON is not an object")
    layers = doc.get("layers") if doc.get("type") == "umap" else [doc]
    if not isinstance(layers, list):
        raise InputError(name, "uMap export without a 'layers' list")
    features = [f for layer in layers for f in _layer_features(layer, name)]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _esri_crs(doc: dict, name: str) -> str | None:
    ref = doc.get("spatialReference")
    if ref is None:
        return None
    if not isinstance(ref, dict):
        raise InputError(name, "Esri JSON: 'spatialReference' is not an object")
    wkid = ref.get("latestWkid") or ref.get("wkid")
    if wkid is None:
        if ref.get("wkt"):
            return str(ref["wkt"])
        raise InputError(name, "Esri JSON: 'spatialReference' has neither wkid nor wkt")
    try:
        code = int(wkid)
    except (TypeError, ValueError):
        raise InputError(name, f"Esri JSON: spatialReference wkid {wkid!r} is not a number") from None
    if code == 4326:
        return None
    return "EPSG:3857" if code in _MERCATOR_WKIDS else f"EPSG:{code}"


def _ring_polygons(rings: object, name: str) -> object:
    """The polygon of Esri rings, combined by the even-odd rule (holes whatever their orientation)."""
    import shapely

    if not isinstance(rings, list) or not all(isinstance(r, list) for r in rings):
        raise InputError(name, "Esri JSON: 'rings' is not a list of rings")
    polys = []
    for ring in rings:
        pts = [p[:2] for p in ring if isinstance(p, list) and len(p) >= 2]
        if len(pts) != len(ring) or not all(isinstance(v, (int, float)) and math.isfinite(v)
                                            for p in pts for v in p):
            raise InputError(name, "Esri JSON: a ring holds points that are not finite [x, y] numbers")
        if len(pts) >= 3:
            polys.append(shapely.make_valid(shapely.Polygon(pts)))
    if not polys:
        return None
    merged = polys[0]
    for poly in polys[1:]:
        merged = shapely.symmetric_difference(merged, poly)
    return shapely.geometry.mapping(merged) if not merged.is_empty else None


def _esri_geometry(geom: object, name: str) -> dict | None:
    if not isinstance(geom, dict):
        return None
    if "rings" in geom:
        return _ring_polygons(geom["rings"], name)  # type: ignore[return-value]
    if "curveRings" in geom:  # dropped as "no geometry", a curved area would silently shrink the map
        raise InputError(name, "Esri JSON with true curves (curveRings) is not read: query the layer again with "
                               "returnTrueCurves=false, and the server sends the areas as plain rings")
    if "paths" in geom:
        return {"type": "MultiLineString", "coordinates": [[p[:2] for p in path] for path in geom["paths"]]}
    if "x" in geom and "y" in geom:
        return {"type": "Point", "coordinates": [geom["x"], geom["y"]]}
    if "points" in geom:
        return {"type": "MultiPoint", "coordinates": [p[:2] for p in geom["points"]]}
    return None


def from_esri(data: bytes, name: str) -> bytes:
    """A GeoJSON FeatureCollection (with a ``crs`` member when not lon/lat) of an Esri JSON response."""
    doc = _load(data, name)
    if not isinstance(doc, dict):
        raise InputError(name, "not GeoJSON or Esri JSON: the JSON is not an object")
    if "error" in doc and "features" not in doc:
        err = doc["error"] if isinstance(doc["error"], dict) else {}
        raise InputError(name, f"an ArcGIS error response, not a map: {str(err.get('message', doc['error']))[:120]}")
    features = doc.get("features")
    if not isinstance(features, list):
        raise InputError(name, "Esri JSON without a 'features' list")
    crs = _esri_crs(doc, name)
    out = []
    for feature in features:
        if not isinstance(feature, dict):
            raise InputError(name, "Esri JSON: a feature that is not an object")
        attrs = feature.get("attributes") if isinstance(feature.get("attributes"), dict) else {}
        out.append({"type": "Feature", "properties": attrs, "geometry": _esri_geometry(feature.get("geometry"), name)})
    fc: dict = {"type": "FeatureCollection", "features": out}
    if crs is not None:
        fc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(fc).encode()
