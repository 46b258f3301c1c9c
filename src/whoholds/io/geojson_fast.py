"""Fast path for plain GeoJSON FeatureCollections (the DeepStateMap feed: 1,359 files, 662 MB).

pysimdjson parses each document (a new ``simdjson.Parser`` per document, since a parser's proxies die
with its next parse). Point and line features are counted and skipped without being materialised, and so
is the geometry of features whose state is excluded (other countries' layers: a quarter of the feed's
polygon bytes). Each remaining polygon is keyed by its type, ring structure and a SHA-1 of simdjson's
flat coordinate buffer (no JSON re-serialisation; SHA-1 runs at twice blake2b's speed on CPUs with SHA
extensions, and this is deduplication, not security). Shapely geometry is built (:mod:`.rings`) and
repaired only for keys not yet in the :class:`GeometryCache`: the feed's 122,888 polygons hold about 8,700
distinct ones. Other documents (a projected ``crs``, TopoJSON, bare geometries) go to the GDAL reader, which
gives the same snapshots as this path (tested on synthetic and real files).
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from collections.abc import Callable, Sequence

import simdjson

from ..errors import InputError
from .dates import with_case_variants
from .features import (
    FILL_KEYS,
    LABEL_KEYS,
    Entry,
    FeatureTable,
    GeometryCache,
    alt_labels,
    is_blank,
    repair_entries,
    text_or_none,
    without_cyclic_gc,
)
from .rings import Rings, build_pending

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
        code = str(exc).split(":", 1)[0].strip()  # e.g. TAPE_ERROR, UNCLOSED_STRING
        detail = f" ({code})" if code.replace("_", "").isalpha() and code.isupper() else ""
        raise InputError(name, f"not valid JSON, truncated or corrupt{detail}") from None


def crs_is_lonlat(doc: _Object) -> bool:
    crs = doc.get("crs")
    if crs is None:
        return True
    try:
        return str(crs["properties"]["name"]) in LONLAT_CRS
    except (KeyError, TypeError):
        return False


def check_crs_member(doc: _Object, name: str) -> None:
    """InputError for a ``crs`` member that names no coordinate system pyproj knows (GDAL would ignore it and
    read the coordinates as lon/lat: a silently wrong map)."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        value = str(doc.get("crs")["properties"]["name"])
    except (KeyError, TypeError):
        raise InputError(name, "the 'crs' member is malformed (expected {\"type\": \"name\", \"properties\": "
                               "{\"name\": \"EPSG:...\"}}); remove it for lon/lat") from None
    try:
        CRS.from_user_input(value)
    except CRSError:
        raise InputError(name, f"unknown crs {value[:60]!r} in the 'crs' member; use an EPSG code pyproj knows, "
                               "or remove it for lon/lat") from None


_TYPE_BYTE = {"Polygon": b"P", "MultiPolygon": b"M"}


def _geometry_key(gtype: str, geom: _Object) -> tuple[bytes, Rings | None]:
    """Content key of a Polygon/MultiPolygon — type, ring structure and a SHA-1 of the flat coordinate
    doubles — and what :func:`.rings.from_rings` needs to build it (None when the coordinates are not a plain
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


def _not_geometry(value: object) -> str:
    """Why a feature's ``geometry`` member is no GeoJSON geometry object (one line)."""
    if isinstance(value, str):
        head = value.strip()[:40]
        wkt = head.split("(")[0].strip().upper() in ("POLYGON", "MULTIPOLYGON", "POINT", "LINESTRING",
                                                     "GEOMETRYCOLLECTION", "MULTIPOINT", "MULTILINESTRING")
        hint = " (WKT text: convert it to a GeoJSON geometry object)" if wkt else ""
        return f"geometry is a string {head!r}, not a GeoJSON geometry object{hint}"
    return f"geometry is a {type(value).__name__}, not a GeoJSON geometry object"


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
    label_keys: tuple[str, ...] | None = None,
    classified: Callable[[str | None, str | None, str | None], bool] | None = None,
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
    alts: list[tuple[str, ...] | None] = []
    pending: dict[bytes, tuple[Rings | None, _Object]] = {}
    date_prop: str | None = None
    cased = False
    lookup = cache.lookup
    for number, feature in enumerate(features):
        if type(feature) is not _Object:
            raise InputError(name, "not GeoJSON: a feature that is not an object")
        geom = feature.get("geometry")
        if geom is None:
            dropped["null_geometry"] += 1
            continue
        if type(geom) is not _Object:
            raise InputError(name, f"feature {number}: {_not_geometry(geom)}")
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
        label = fill = mark = date = alt = None
        if type(props) is _Object:
            pd = props.as_dict()
            if label_keys is not None:  # the profile (or --state-field) names the properties: any case
                label = _first_text({str(k).lower(): v for k, v in pd.items()}, label_keys)
            else:
                label = pd.get("name")  # the usual case, checked first
                if type(label) is not str or not label.strip():
                    label = _first_text(pd, LABEL_KEYS)
            fill = pd.get("fill")
            if type(fill) is not str or not fill.strip():
                fill = _first_text(pd, FILL_KEYS)
            if "mark" in pd:
                mark = text_or_none(pd["mark"])
            if label_keys is None and (len(pd) > 1 or label is None) and (
                    classified is None or not classified(label, fill, mark)):
                alt = alt_labels(pd, label)
            if not cased:  # once per file: the date property in another case ("Date", "DATE")
                date_keys, cased = with_case_variants(date_keys, pd), True
            for k in date_keys:
                date = pd.get(k)
                if date is not None:
                    date_prop = date_prop or k
                    break
        labels.append(label)
        fills.append(fill)
        marks.append(mark)
        dates.append(date)
        alts.append(alt)
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
    return dropped, keys, entries, labels, fills, marks, dates, pending, date_prop, alts


def read_geojson_fast(
    data: bytes,
    name: str,
    cache: GeometryCache,
    date_keys: Sequence[str] = ("date",),
    doc: object | None = None,
    skip: Callable[[str | None, str | None, str | None], bool] | None = None,
    label_keys: Sequence[str] | None = None,
    classified: Callable[[str | None, str | None, str | None], bool] | None = None,
) -> FeatureTable | None:
    """Polygon features of a GeoJSON FeatureCollection/Feature in lon/lat, or None when the document needs
    the GDAL reader (a projected ``crs``, TopoJSON, a bare geometry).

    ``skip(label, fill, mark)`` True means the feature's state is excluded from the count: its geometry is
    neither hashed nor built (a quarter of the feed's polygon bytes are other countries' layers).
    ``label_keys``: the properties (any case) that name the state, instead of the usual label keys.
    ``classified(label, fill, mark)`` True means the feature names a state: its other state-like properties
    (:func:`.features.alt_labels`) are not collected."""
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
        check_crs_member(doc, name)
        return None

    has_crs = doc.get("crs") is not None
    with without_cyclic_gc():  # many short-lived acyclic objects: see features.without_cyclic_gc
        dropped, keys, entries, labels, fills, marks, dates, pending, date_prop, alts = _scan(
            features, name, cache, tuple(date_keys), skip,
            tuple(k.lower() for k in label_keys) if label_keys else None, classified,
        )

    misses = sum(1 for e in entries if e is None)
    cache.misses += misses
    cache.hits += sum(1 for k in keys if k is not None) - misses
    if pending:
        built, closed = build_pending(list(pending.values()))
        unreadable = [i for i, g in enumerate(built) if g is None]
        if unreadable:
            example = bytes(list(pending.values())[unreadable[0]][1].mini[:80]).decode("utf-8", "replace")
            raise InputError(name, f"{len(unreadable)} polygon geometries have unreadable coordinates (not rings "
                                   f"of [x, y] numbers), e.g. {example}")
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
        alt=alts if any(a is not None for a in alts) else [],
    )
