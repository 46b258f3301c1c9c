"""Fast path for plain GeoJSON FeatureCollections (the DeepStateMap feed: 1,359 files, 662 MB).

pysimdjson parses each document (a new ``simdjson.Parser`` per document, since a parser's proxies die
with its next parse). Point and line features are counted and skipped without being materialised. Each
polygon's coordinates are hashed straight from simdjson's flat double buffer (plus the ring structure and
type), and Shapely geometry is built and repaired only for hashes not yet in the :class:`GeometryCache`.
Everything else (other CRSs, TopoJSON, bare geometries) goes to the GDAL reader, which must agree with
this path on states and areas (tested).
"""

from __future__ import annotations

import gc
import hashlib
import json
from array import array
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import shapely
import simdjson

from ..errors import InputError
from .features import FILL_KEYS, LABEL_KEYS, Entry, FeatureTable, GeometryCache, is_blank, repair_entries, text_or_none

_Object = simdjson.Object
_Array = simdjson.Array

#: ``crs`` members that mean plain longitude/latitude (GDAL reads EPSG:4326 GeoJSON in that order too).
LONLAT_CRS = frozenset(
    {
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:OGC::CRS84",
        "OGC:CRS84",
        "CRS84",
        "EPSG:4326",
        "urn:ogc:def:crs:EPSG::4326",
        "urn:ogc:def:crs:EPSG:4326",
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    }
)
_POINTS = frozenset({"Point", "MultiPoint"})
_LINES = frozenset({"LineString", "MultiLineString"})
_POLYGONS = frozenset({"Polygon", "MultiPolygon"})


def parse_json(data: bytes, name: str) -> tuple[simdjson.Parser, object]:
    """(parser, document); InputError for empty, truncated or corrupt JSON. Keep the parser alive while
    the document is in use."""
    if is_blank(data):
        raise InputError(name, "empty file")
    parser = simdjson.Parser()
    try:
        return parser, parser.parse(data)
    except (ValueError, RuntimeError) as exc:
        raise InputError(name, f"not valid JSON, truncated or corrupt ({exc})") from None


def crs_is_lonlat(doc: _Object) -> bool:
    crs = doc.get("crs")
    if crs is None:
        return True
    try:
        return str(crs["properties"]["name"]) in LONLAT_CRS
    except (KeyError, TypeError):
        return False


_TYPE_BYTE = {"Polygon": b"P", "MultiPolygon": b"M"}

Rings = tuple[str, array, object]
_SKIP: Rings = ("skip", array("q"), b"")


def _geometry_key(gtype: str, geom: _Object) -> tuple[bytes, Rings | None]:
    """Content key of a Polygon/MultiPolygon — type, ring structure and a SHA-1 of the flat coordinate
    doubles — and what :func:`_from_rings` needs to build it (None when the coordinates are not a plain
    numeric array; the key then hashes the geometry's JSON text)."""
    coords = geom.get("coordinates")
    if type(coords) is _Array:
        try:
            if gtype == "Polygon":
                struct = array("q", [len(coords[0])] if len(coords) == 1 else [len(ring) for ring in coords])
            else:
                struct = array("q")
                for poly in coords:
                    struct.append(-1)
                    struct.extend([len(ring) for ring in poly])
            buf = coords.as_buffer(of_type="d")
        except (ValueError, TypeError):  # non-numeric or oddly nested content
            pass
        else:
            digest = hashlib.sha1(buf, usedforsecurity=False).digest()
            return _TYPE_BYTE[gtype] + digest + struct.tobytes(), (gtype, struct, buf)
    return b"J" + hashlib.sha1(geom.mini, usedforsecurity=False).digest(), None


def _ring_layout(gtype: str, struct: array, n_doubles: int) -> tuple[list[int], list[int], int] | None:
    """(ring lengths, rings per polygon, coordinate dimension), or None when the geometry needs the
    lenient path (empty parts, rings of fewer than 4 positions, mixed dimensions)."""
    if gtype == "Polygon":
        rings = struct.tolist()
        polys = [len(rings)]
    else:
        rings, polys = [], []
        for n in struct:
            if n < 0:
                polys.append(0)
            else:
                rings.append(n)
                polys[-1] += 1
    npos = sum(rings)
    if npos == 0 or not polys or min(polys) == 0 or min(rings) < 4 or n_doubles % npos:
        return None
    dim = n_doubles // npos
    return (rings, polys, dim) if dim >= 2 else None


def _from_rings(items: list[Rings]) -> list[shapely.Geometry | None]:
    """Build Polygons/MultiPolygons straight from simdjson's coordinate buffers, vectorised per type.
    Geometries with an unclosed or degenerate ring are left as None for the lenient path."""
    out: list[shapely.Geometry | None] = [None] * len(items)
    for gtype in ("Polygon", "MultiPolygon"):
        idx: list[int] = []
        xys: list[np.ndarray] = []
        rings: list[int] = []
        polys: list[int] = []
        parts: list[int] = []
        for i, (t, struct, buf) in enumerate(items):
            if t != gtype:
                continue
            flat = np.frombuffer(buf, dtype=np.float64)
            layout = _ring_layout(t, struct, len(flat))
            if layout is None:
                continue
            idx.append(i)
            xys.append(flat.reshape(-1, layout[2])[:, :2])
            rings.extend(layout[0])
            polys.extend(layout[1])
            parts.append(len(layout[1]))
        if not idx:
            continue
        coords = np.concatenate(xys)
        ring_offsets = np.zeros(len(rings) + 1, dtype=np.int64)
        np.cumsum(rings, out=ring_offsets[1:])
        closed = (coords[ring_offsets[:-1]] == coords[ring_offsets[1:] - 1]).all(axis=1)
        if not closed.all():  # rare: rebuild this type without the geometries that have an open ring
            bad = _items_with_open_rings(idx, polys, parts, closed)
            subset = [it if i not in bad and it[0] == gtype else _SKIP for i, it in enumerate(items)]
            rebuilt = _from_rings(subset)
            for i in idx:
                out[i] = rebuilt[i]
            continue
        poly_offsets = np.zeros(len(polys) + 1, dtype=np.int64)
        np.cumsum(polys, out=poly_offsets[1:])
        if gtype == "Polygon":
            geoms = shapely.from_ragged_array(shapely.GeometryType.POLYGON, coords, (ring_offsets, poly_offsets))
        else:
            geom_offsets = np.zeros(len(parts) + 1, dtype=np.int64)
            np.cumsum(parts, out=geom_offsets[1:])
            geoms = shapely.from_ragged_array(
                shapely.GeometryType.MULTIPOLYGON, coords, (ring_offsets, poly_offsets, geom_offsets)
            )
        for i, geom in zip(idx, geoms, strict=True):
            out[i] = geom
    return out


def _items_with_open_rings(idx: list[int], polys: list[int], parts: list[int], closed: np.ndarray) -> set[int]:
    """Item indices (from ``idx``) owning a ring that is not closed."""
    rings_per_item = []
    p = 0
    for n_parts in parts:
        rings_per_item.append(sum(polys[p : p + n_parts]))
        p += n_parts
    owner = np.repeat(np.asarray(idx), rings_per_item)
    return set(owner[~closed].tolist())


def _has_polygon(geom: _Object) -> str:
    """'polygon', 'lines' or 'points': what a GeometryCollection holds (polygons win)."""
    kinds = set()
    stack = [geom]
    while stack:
        g = stack.pop()
        gtype = g.get("type") if type(g) is _Object else None
        if gtype == "GeometryCollection":
            stack.extend(g.get("geometries") or [])
        elif gtype in _POLYGONS:
            return "polygon"
        elif gtype in _LINES:
            kinds.add("lines")
        else:
            kinds.add("points")
    return "lines" if "lines" in kinds else "points"


def _build_pending(items: list[tuple[tuple[str, array, object] | None, _Object]]) -> tuple[np.ndarray, np.ndarray]:
    """Raw geometries for cache misses: from coordinate buffers where possible, else from GeoJSON text."""
    fast = [i for i, item in enumerate(items) if item[0] is not None]
    geoms = np.empty(len(items), dtype=object)
    closed = np.zeros(len(items), dtype=bool)
    if fast:
        geoms[fast] = _from_rings([items[i][0] for i in fast])  # type: ignore[misc]
    slow = [i for i in range(len(items)) if geoms[i] is None]
    if slow:
        built, was_closed = _build([items[i][1].mini for i in slow])
        for j, i in enumerate(slow):
            geoms[i] = built[j]
            closed[i] = was_closed[j]
    return geoms, closed


def _build(minis: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Shapely geometries from GeoJSON geometry texts; unclosed rings are closed (and flagged) as GDAL's
    WKB 'fix' does, rings with too few points become empty geometries."""
    geoms = shapely.from_geojson(minis, on_invalid="ignore")
    geoms = np.asarray(geoms, dtype=object).reshape(-1)
    closed = np.zeros(len(minis), dtype=bool)
    for i in np.flatnonzero(shapely.is_missing(geoms)):
        closed[i] = True
        try:
            obj = _close_rings(json.loads(minis[i]))
            geoms[i] = shapely.from_geojson(json.dumps(obj), on_invalid="ignore")
        except (ValueError, TypeError, KeyError, IndexError):
            geoms[i] = None
        if geoms[i] is None:
            geoms[i] = shapely.Polygon()
    return geoms, closed


def _close_rings(obj: dict) -> dict:
    def close(ring: list) -> list:
        return ring + [ring[0]] if ring and ring[0] != ring[-1] else ring

    gtype = obj.get("type")
    if gtype == "Polygon":
        obj["coordinates"] = [close(r) for r in obj["coordinates"]]
    elif gtype == "MultiPolygon":
        obj["coordinates"] = [[close(r) for r in p] for p in obj["coordinates"]]
    elif gtype == "GeometryCollection":
        obj["geometries"] = [_close_rings(g) for g in obj["geometries"]]
    return obj


def _first_text(props: dict, keys: Sequence[str]) -> str | None:
    for k in keys:
        if k in props:
            value = text_or_none(props[k])
            if value is not None:
                return value
    return None


#: Table entry of a feature whose geometry is not needed (its state is excluded from the count).
SKIPPED: Entry = (None, 0, (float("nan"),) * 4)


def _scan(
    features: object,
    name: str,
    cache: GeometryCache,
    date_keys: tuple[str, ...],
    skip: Callable[[str | None, str | None, str | None], bool] | None,
) -> tuple:
    """One pass over the features: attributes and geometry keys of polygons; points and lines only
    counted; features ``skip`` rejects (excluded states) keep their attributes but not their geometry."""
    dropped: Counter[str] = Counter()
    keys: list[bytes | None] = []
    entries: list[Entry | None] = []
    labels: list[str | None] = []
    fills: list[str | None] = []
    marks: list[str | None] = []
    dates: list[object] = []
    pending: dict[bytes, tuple[Rings | None, _Object]] = {}
    date_prop: str | None = None
    lookup = cache.lookup
    for feature in features:
        if type(feature) is not _Object:
            raise InputError(name, "not GeoJSON: a feature that is not an object")
        geom = feature.get("geometry")
        if geom is None:
            dropped["null_geometry"] += 1
            continue
        gtype = geom.get("type")
        if gtype in _POINTS:
            dropped["points"] += 1
            continue
        if gtype in _LINES:
            dropped["lines"] += 1
            continue
        if gtype == "GeometryCollection":
            what = _has_polygon(geom)
            if what != "polygon":
                dropped[what] += 1
                continue
        elif gtype not in _POLYGONS:
            raise InputError(name, f"not GeoJSON: unknown geometry type {gtype!r}")
        props = feature.get("properties")
        label = fill = mark = date = None
        if type(props) is _Object:
            pd = props.as_dict()
            label = pd.get("name")  # the usual case, checked first
            if type(label) is not str or not label.strip():
                label = _first_text(pd, LABEL_KEYS)
            fill = pd.get("fill")
            if type(fill) is not str or not fill.strip():
                fill = _first_text(pd, FILL_KEYS)
            if "mark" in pd:
                mark = text_or_none(pd["mark"])
            for k in date_keys:
                date = pd.get(k)
                if date is not None:
                    date_prop = date_prop or k
                    break
        labels.append(label)
        fills.append(fill)
        marks.append(mark)
        dates.append(date)
        if skip is not None and skip(label, fill, mark):
            keys.append(None)
            entries.append(SKIPPED)
            continue
        if gtype == "GeometryCollection":
            key, rings = b"GC" + hashlib.sha1(geom.mini, usedforsecurity=False).digest(), None
        else:
            key, rings = _geometry_key(gtype, geom)
        entry = lookup(key)
        if entry is None and key not in pending:
            pending[key] = (rings, geom)
        keys.append(key)
        entries.append(entry)
    return dropped, keys, entries, labels, fills, marks, dates, pending, date_prop


def read_geojson_fast(
    data: bytes,
    name: str,
    cache: GeometryCache,
    date_keys: Sequence[str] = ("date",),
    doc: object | None = None,
    skip: Callable[[str | None, str | None, str | None], bool] | None = None,
) -> FeatureTable | None:
    """Polygon features of a GeoJSON FeatureCollection/Feature in lon/lat, or None when the document needs
    the GDAL reader (a projected ``crs``, TopoJSON, a bare geometry).

    ``skip(label, fill, mark)`` True means the feature's state is excluded from the count: its geometry is
    neither hashed nor built (a quarter of the feed's polygon bytes are other countries' layers)."""
    parser = None
    if doc is None:
        parser, doc = parse_json(data, name)
    if type(doc) is not _Object:
        raise InputError(name, "not GeoJSON: the JSON is not an object")
    kind = doc.get("type")
    if kind == "Feature":
        features: object = [doc]
    elif kind == "FeatureCollection":
        features = doc.get("features")
        if type(features) is not _Array:
            raise InputError(name, "not GeoJSON: a FeatureCollection without a 'features' list")
    elif kind is None:
        raise InputError(name, "not GeoJSON: no 'type' (FeatureCollection, Feature or Topology)")
    else:
        return None
    if not crs_is_lonlat(doc):
        return None

    has_crs = doc.get("crs") is not None
    # The loop allocates a few objects per feature, none in a cycle: without the cyclic GC it runs ~15%
    # faster on the feed (no full collections over the geometry cache). Restored right after.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        dropped, keys, entries, labels, fills, marks, dates, pending, date_prop = _scan(
            features, name, cache, tuple(date_keys), skip
        )
    finally:
        if gc_was_enabled:
            gc.enable()

    misses = sum(1 for e in entries if e is None)
    cache.misses += misses
    cache.hits += sum(1 for k in keys if k is not None) - misses
    if pending:
        built, closed = _build_pending(list(pending.values()))
        fresh = dict(zip(pending, repair_entries(built, closed), strict=True))
        for key, entry in fresh.items():
            cache.put(key, entry)
        entries = [e if e is not None else fresh[k] for e, k in zip(entries, keys, strict=True)]
    del parser
    return FeatureTable(
        geometry=[e[0] for e in entries],  # type: ignore[index]
        flags=[e[1] for e in entries],  # type: ignore[index]
        bounds=[e[2] for e in entries],  # type: ignore[index]
        label=labels,
        fill=fills,
        mark=marks,
        date=dates if date_prop else [],
        date_property=date_prop,
        dropped=dropped,
        has_crs=has_crs,
    )
