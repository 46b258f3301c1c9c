"""Marker maps saved as GeoJSON points (a Syria-style map of towns, each a point whose mark says who holds it).

Wikipedia's detailed-map modules are read from their Lua text (:mod:`.wikipedia`); the same maps also travel
as GeoJSON, converted by scripts or drawn anew in web map tools, with the mark in a property: ``mark``,
``icon``, ``marker-symbol`` or ``symbol``, as a module key (``m.gov``, ``gov``, ``SDF_hill``) or as the
module's icon file (``Location dot red.svg``). Such a file is read as a marker snapshot, exactly like a
module: marks classified by the profile (unknown marks reported, never guessed), duplicates merged, overlays
folded into the dot beneath. A colour alone (``marker-color``) is not a mark: red and green mean different
sides on different maps, so those points are reported as unmapped.

A points file becomes a marker map only when the profile has mark rules and at least one point carries a
mark; otherwise the polygon reader's one-line error ("no polygon features (N points)") stands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping

from ..errors import InputError
from ..profiles import Profile
from ..types import Snapshot
from . import dates as _dates

#: Properties that may hold a point's mark, first non-empty wins (any case).
MARK_KEYS = ("mark", "icon", "marker-symbol", "marker_symbol", "symbol")
#: Properties that may hold a point's place name and its label.
NAME_KEYS = ("name", "title", "place", "settlement", "label")


def _props(feature: dict) -> dict[str, object]:
    props = feature.get("properties")
    return {str(k).lower(): v for k, v in props.items()} if isinstance(props, dict) else {}


def _text(props: dict[str, object], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = props.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _mark(raw: str) -> str:
    from .wikipedia.marks import canonical_mark

    if raw.lower().endswith((".svg", ".png")):
        return canonical_mark(raw, False)
    return canonical_mark(raw[2:] if raw.startswith("m.") else raw, True)


def _positions(geometry: object) -> list[tuple[float, float]]:
    if not isinstance(geometry, dict):
        return []
    coords = geometry.get("coordinates")
    items = [coords] if geometry.get("type") == "Point" else coords if geometry.get("type") == "MultiPoint" else []
    out = []
    for item in items if isinstance(items, list) else []:
        if (isinstance(item, list) and len(item) >= 2 and all(isinstance(v, (int, float)) for v in item[:2])
                and all(math.isfinite(v) for v in item[:2]) and abs(item[0]) <= 180 and abs(item[1]) <= 90):
            out.append((float(item[0]), float(item[1])))
    return out


#: Formats whose points may be a marker map.
MARKER_FORMATS = ("geojson", "geojsonseq")


def point_marker_map(fmt: str, dropped: Mapping[str, int], data: bytes | None, name: str, profile: Profile,
                     date: dt.date | None) -> Snapshot | None:
    """The marker snapshot of a map that held no polygons but points, when it is a marker map; else None
    (the dispatch the polygon reader calls)."""
    if not dropped.get("points") or data is None or fmt not in MARKER_FORMATS:
        return None
    from .dialects import normalise

    return read_point_markers(normalise(data, name, fmt), name, profile, date)


def read_point_markers(data: bytes, name: str, profile: Profile, date: dt.date | None) -> Snapshot | None:
    """The marker snapshot of a GeoJSON FeatureCollection of points (see the module doc), or None when it is
    not a marker map (no point carries a mark, or the profile has no mark rules)."""
    from .wikipedia.entries import Marker, ReadLog
    from .wikipedia.reader import markers_snapshot

    if not getattr(profile, "_mark_rules", None):
        return None
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        return None
    markers: list[Marker] = []
    log = ReadLog()
    day_values: set[object] = set()
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            continue
        props = _props(feature)
        raw = _text(props, MARK_KEYS)
        places = _positions(feature.get("geometry"))
        if not places:
            log.dropped["not a point"] += 1
            continue
        if not raw:
            log.dropped["point without a mark (a colour alone is not read)"] += len(places)
            continue
        key = _dates.feature_date_property(props, profile.date_properties)
        if key is not None and props[key] not in (None, ""):
            day_values.add(props[key] if isinstance(props[key], (str, int, float)) else str(props[key]))
        size = props.get("marksize")
        for lon, lat in places:
            markers.append(Marker(line=number, lat=lat, lon=lon, mark=_mark(raw),
                                  marksize=float(size) if isinstance(size, (int, float)) else 5.0,
                                  label=_text(props, ("label",)), name=_text(props, NAME_KEYS)))
    if not markers:
        return None
    if not any(profile.classify(mark=m.mark) for m in markers):
        seen = ", ".join(repr(k) for k in list(dict.fromkeys(m.mark for m in markers))[:3])
        raise InputError(name, f"a marker map of {len(markers)} points, none with a mark profile {profile.id!r} "
                               f"knows (marks e.g. {seen}); add them to the profile's state marks")
    return markers_snapshot(markers, log, name, profile, _date_of(name, date, day_values),
                            hashlib.sha256(data).hexdigest())


def _date_of(name: str, date: dt.date | None, values: set[object]) -> dt.date:
    if date is not None:
        return date
    days = {_dates.parse_date_value(v, name)[0] for v in values}
    if len(days) > 1:
        raise InputError(name, f"the points carry {len(days)} different dates; a marker map is one snapshot: "
                               "split the file by date or pass --date")
    if days:
        return days.pop()
    day, _ = _dates.date_from_name(name)
    if day is None:
        raise InputError(name, _dates.NO_DATE)
    return day
