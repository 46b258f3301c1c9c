"""The table both readers (GeoJSON fast path and GDAL/pyogrio) produce before classification, and the
process-wide cache of repaired geometries."""

from __future__ import annotations

import contextlib
import gc
import math
from collections import Counter, OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from .repair import REPAIR_KINDS, repair_flags

if TYPE_CHECKING:
    import geopandas as gpd

#: Repair kinds a reader adds before :func:`repair_flags` runs.
READ_KINDS = ("ring_closed",)
ALL_KINDS = (*READ_KINDS, *REPAIR_KINDS)
_BIT = {kind: 1 << i for i, kind in enumerate(ALL_KINDS)}

#: Property names tried, in order, for a feature's label: the first non-empty one is the label.
LABEL_KEYS = (
    "name",
    "Name",
    "NAME",
    "label",
    "Label",
    "status",
    "Status",
    "state",
    "State",
    "description",
    "Description",
)
#: Property names (compared case-insensitively) whose values are tried, in order, when the label does not
#: classify: third-party maps put the state in a column of their own ("Status", "статус", "control"...) next
#: to a name that is only an id or a place. ``layer`` is the KML folder / uMap layer a feature sits in.
STATE_KEYS = (
    "status", "state", "control", "controlled_by", "controlledby", "control_status", "holder", "side",
    "статус", "стан", "контроль", "статус_контроля", "контроль_над", "сторона", "الحالة", "السيطرة",
    "category", "type", "class", "layer", "folder", "name", "label", "title",
)
_STATE_KEY_SET = frozenset(STATE_KEYS)

#: Property names tried, in order, for a feature's fill colour.
FILL_KEYS = ("fill", "fill-color", "fill_color", "fillColor", "colour", "color")

#: One repaired geometry: (geometry or None when nothing is left, repair bitmask, raw bounds).
Entry = tuple[shapely.Geometry | None, int, tuple[float, float, float, float]]


@dataclass
class FeatureTable:
    """Polygon features of one file, geometry repaired, attributes not yet classified."""

    geometry: list[shapely.Geometry | None]
    flags: list[int]
    bounds: list[tuple[float, float, float, float]]
    label: list[str | None]
    fill: list[str | None]
    mark: list[str | None]
    date: list[object] = field(default_factory=list)  # raw date property values, or empty when none
    date_property: str | None = None
    dropped: Counter[str] = field(default_factory=Counter)
    has_crs: bool = False
    #: Per feature, other text values that may carry the state when ``label`` does not classify (see
    #: :data:`STATE_KEYS`); empty when the reader found none at all.
    alt: list[tuple[str, ...] | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.geometry)


def repairs_of(flags: list[int] | np.ndarray) -> dict[str, int]:
    """{repair kind: count} summed over per-feature bitmasks."""
    arr = np.asarray(flags, dtype=np.int64)
    return {kind: int(((arr & bit) != 0).sum()) for kind, bit in _BIT.items()}


def repair_entries(geoms: np.ndarray, ring_closed: np.ndarray | None = None) -> list[Entry]:
    """Repair an array of raw polygonal geometries into cache entries (geometry, bitmask, raw bounds)."""
    geoms = np.asarray(geoms, dtype=object)
    bounds = shapely.bounds(geoms)
    repaired, flags = repair_flags(geoms)
    bits = np.zeros(len(geoms), dtype=np.int64)
    if ring_closed is not None:
        bits |= np.where(ring_closed & ~flags["empty_after_repair"], _BIT["ring_closed"], 0)
    for kind, mask in flags.items():
        bits |= np.where(mask, _BIT[kind], 0)
    return [(g, int(b), tuple(map(float, bb))) for g, b, bb in zip(repaired, bits, bounds, strict=True)]


@contextlib.contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one map is read.

    Reading allocates hundreds of thousands of short-lived, acyclic objects (simdjson proxies, property
    dicts, pandas internals); each collection would also walk the geometry cache. Pausing saves ~10% on
    the feed. Reference counting still frees everything; cycles wait for the next collection after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def is_blank(data: bytes) -> bool:
    """True for empty or whitespace-only content (without copying a large file to find out)."""
    return not data[:4096].strip() and not data.strip()


def alt_labels(props: dict, label: str | None) -> tuple[str, ...] | None:
    """Text values of ``props`` under :data:`STATE_KEYS` (any case), other than ``label``, in that key order."""
    found = [(STATE_KEYS.index(k.lower()), v) for k, v in props.items()
             if type(k) is str and k.lower() in _STATE_KEY_SET]
    if not found:
        return None
    out: list[str] = []
    for _, value in sorted(found, key=lambda kv: kv[0]):
        text = text_or_none(value) if not isinstance(value, (dict, list)) else None
        if text is not None and text != label and text not in out:
            out.append(text)
    return tuple(out) or None


def text_or_none(value: object) -> str | None:
    """A property value as text, None for missing, NaN and blank values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value)
    return text if text.strip() else None


class GeometryCache:
    """LRU map from a geometry's content hash to its repaired form, shared by reads in one process.

    Consecutive snapshots of a feed repeat most polygons (the raw DeepStateMap feed has about 8,800
    distinct polygons among 122,888), so each is parsed and repaired once. Bounded by the number of
    coordinates held (``max_coords``), so a few huge polygons cannot exhaust memory.
    """

    def __init__(self, max_coords: int = 20_000_000) -> None:
        self.max_coords = max_coords
        self._data: OrderedDict[bytes, tuple[Entry, int]] = OrderedDict()
        self._coords = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes) -> Entry | None:
        item = self._data.get(key)
        if item is None:
            self.misses += 1
            return None
        self.hits += 1
        self._data.move_to_end(key)
        return item[0]

    def lookup(self, key: bytes) -> Entry | None:
        """:meth:`get` without the hit/miss statistics (the fast path's inner loop)."""
        item = self._data.get(key)
        if item is None:
            return None
        self._data.move_to_end(key)
        return item[0]

    def put(self, key: bytes, entry: Entry) -> None:
        size = int(shapely.get_num_coordinates(entry[0])) if entry[0] is not None else 0
        if size > self.max_coords:
            return
        old = self._data.pop(key, None)
        if old is not None:
            self._coords -= old[1]
        self._data[key] = (entry, size)
        self._coords += size
        while self._coords > self.max_coords and self._data:
            _, (_, dropped) = self._data.popitem(last=False)
            self._coords -= dropped

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        self._data.clear()
        self._coords = 0
        self.hits = self.misses = 0


#: The cache used when a caller passes none.
DEFAULT_CACHE = GeometryCache()


_WGS84 = None


def polygon_frame(
    states: list[str], labels: list[str], fills: list[str | None], geoms: list[shapely.Geometry]
) -> gpd.GeoDataFrame:
    """The Snapshot.features frame: columns state, label, fill, geometry in EPSG:4326."""
    import geopandas as gpd
    from pyproj import CRS

    global _WGS84
    if _WGS84 is None:
        _WGS84 = CRS.from_epsg(4326)
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = geoms
    frame = pd.DataFrame(
        {"state": states, "label": labels, "fill": fills, "geometry": gpd.array.GeometryArray(arr, crs=_WGS84)}
    )
    try:
        # What GeoDataFrame._constructor_from_mgr does: ~2.5x faster than GeoDataFrame(frame, geometry=...)
        # (which copies and re-checks the CRS), and the feed makes 1,359 of these. Tested to be equal.
        gdf = gpd.GeoDataFrame._from_mgr(frame._mgr, frame._mgr.axes)
        gdf._geometry_column_name = "geometry"
        if gdf.crs != _WGS84:
            raise TypeError("unexpected CRS")
        return gdf
    except (AttributeError, TypeError, ValueError):  # other pandas/geopandas internals: the public way
        return gpd.GeoDataFrame(frame, geometry="geometry")
