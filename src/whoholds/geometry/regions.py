"""Admin-1 regions (oblasts, governorates) as tiles of the profile's boundary.

A regions file rarely tiles the boundary whoholds measures against exactly (another release, another
coastline, territorial sea). So each unit is clipped to the boundary, made disjoint from the units before it,
and every piece of the boundary no unit covers goes to the unit it shares the longest border with (the
nearest, for an island). The tiles then add up to the boundary, and areas computed per tile by the one area
engine add up to the national figures to rounding. What was moved is reported in ``RegionSet.note``.

Units get stable ids and names from :mod:`.region_names` (ISO 3166-2 where known): matched on the GeoNames
ADM1 id (Natural Earth's ``gn_id``), an ISO code (geoBoundaries' ``shapeISO``) or the name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from ..errors import InputError
from ..profiles import Profile
from .area import geodesic_area_km2
from .boundary import Boundary, load_boundary
from .region_names import BY_GEONAMES_ID, UNDOF, UNITS, UnitName

COUNTRY_ISO2 = {"UKR": "UA", "SYR": "SY"}
#: Words that say what kind of unit a name means, dropped before matching (and used to break ties).
_REGION_WORDS = {"region", "oblast", "oblasts", "obl", "province", "governorate", "muhafazat", "area", "district",
                 "область", "обл", "oblast'", "regione", "محافظة", "of", "the"}
_CITY_WORDS = {"city", "misto", "місто", "город", "municipality", "mis'ka", "rada"}
_SUFFIXES = ("skaya", "ska", "ka", "aya", "a", "ая", "а")


@dataclass(frozen=True)
class Region:
    """One admin-1 unit: ``geometry`` is its tile of the boundary (lon/lat, EPSG:4326)."""

    id: str
    name: str
    name_local: str
    geometry: shapely.Geometry = field(repr=False)
    kind: str = ""
    source_name: str = ""
    km2: float = 0.0


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    # Ukrainian/Russian spellings meet: soft sign and apostrophes go, і/ї → и, є → е, ґ → г.
    text = text.translate(str.maketrans({"ь": "", "'": "", "’": "", "ʼ": "", "`": "", "і": "и", "ї": "и",
                                         "є": "е", "ґ": "г", "ы": "и", "й": "и", "-": " "}))
    return " ".join(re.findall(r"[\w]+", text))


_REGION_WORDS |= {_normalise(w) for w in _REGION_WORDS}
_CITY_WORDS |= {_normalise(w) for w in _CITY_WORDS}


def _words(text: str) -> tuple[list[str], str]:
    """(name words, hint) of a region reference: hint "city", "region" or ""."""
    words = _normalise(text).split()
    hint = "city" if any(w in _CITY_WORDS for w in words) else ("region" if any(w in _REGION_WORDS for w in words)
                                                                  else "")
    return [w for w in words if w not in _REGION_WORDS and w not in _CITY_WORDS], hint


def _stems(words: list[str]) -> set[str]:
    if not words:
        return set()
    base = " ".join(words)
    out = {base}
    for suffix in _SUFFIXES:
        if base.endswith(suffix) and len(base) - len(suffix) >= 3:
            out.add(base[: -len(suffix)])
    return out


@dataclass
class RegionSet:
    """The regions of one profile, tiling its boundary."""

    regions: list[Region]
    boundary_id: str
    source: str
    note: str
    id: str = ""
    _index: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for i, r in enumerate(self.regions):
            unit = UNITS.get(r.id) or (UNDOF if r.id == UNDOF.iso else None)
            names = {r.id, r.name, r.name_local, r.source_name, *(unit.aliases if unit else ())}
            for n in names:
                for stem in _stems(_words(n)[0]) if n else ():
                    if i not in self._index.setdefault(stem, []):
                        self._index[stem].append(i)

    def __iter__(self):  # noqa: ANN204
        return iter(self.regions)

    def __len__(self) -> int:
        return len(self.regions)

    def by_id(self, region_id: str) -> Region:
        for r in self.regions:
            if r.id == region_id:
                return r
        raise KeyError(region_id)

    def find(self, text: str) -> Region | None:
        """The region a name means ("Donetsk region", "Donetska oblast", "Донецька область", "Kyiv city",
        "UA-14"), or None when no region or more than one fits."""
        if not text or not text.strip():
            return None
        iso = text.strip().upper()
        if any(r.id == iso for r in self.regions):
            return self.by_id(iso)
        words, hint = _words(text)
        hits: list[int] = []
        for stem in sorted(_stems(words), key=len, reverse=True):
            hits = self._index.get(stem, [])
            if hits:
                break
        city = [i for i in hits if self.regions[i].kind == "city"]
        if hint == "city":  # "Kherson city" is not Kherson oblast: only a city-level unit will do
            hits = city
        elif len(hits) > 1:  # "Kyiv": the city or the oblast -- "region"/"oblast" around the name decides
            hits = [i for i in hits if i not in city] if hint == "region" else city
        return self.regions[hits[0]] if len(hits) == 1 else None

    def locate(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Index of the region each point lies in (-1 outside every tile); vectorised per region."""
        lon, lat = np.asarray(lon, float), np.asarray(lat, float)
        out = np.full(len(lon), -1, dtype=np.int64)
        for i, r in enumerate(self.regions):
            x0, y0, x1, y1 = r.geometry.bounds
            cand = np.flatnonzero((out < 0) & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
            if len(cand):
                shapely.prepare(r.geometry)
                out[cand[shapely.contains_xy(r.geometry, lon[cand], lat[cand])]] = i
        return out

    @property
    def geometries(self) -> np.ndarray:
        return np.array([r.geometry for r in self.regions], dtype=object)


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    parts = shapely.get_parts(geom)
    parts = parts[(shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)]
    return shapely.multipolygons(parts) if len(parts) else shapely.MultiPolygon()


def _unit_of(props: dict, units_by_stem: dict[str, UnitName]) -> UnitName | None:
    gn = str(props.get("gn_id") or "").split(".")[0]
    if gn.isdigit() and int(gn) in BY_GEONAMES_ID:
        return BY_GEONAMES_ID[int(gn)]
    for key in ("shapeISO", "iso_3166_2", "ISO", "iso"):
        code = str(props.get(key) or "").upper()
        if code in UNITS:
            return UNITS[code]
    if str(props.get("name") or "").upper() == "UNDOF":
        return UNDOF
    for key in ("shapeName", "name", "NAME", "name_en"):
        for stem in _stems(_words(str(props.get(key) or ""))[0]):
            if stem in units_by_stem:
                return units_by_stem[stem]
    return None


def tile(raw: np.ndarray, boundary: shapely.Geometry) -> tuple[list[shapely.Geometry], float, float]:
    """Clip to the boundary, make disjoint, hand uncovered pieces to a neighbour.

    Returns (tiles, km² removed as overlap or outside the boundary, km² of boundary handed to neighbours)."""
    shapely.prepare(boundary)
    tiles = []
    covered = shapely.MultiPolygon()
    dropped = float(geodesic_area_km2(raw).sum())
    for g in raw:
        t = _polygonal(shapely.intersection(shapely.make_valid(g), boundary))
        if not covered.is_empty and shapely.intersects(t, covered):
            t = _polygonal(shapely.difference(t, covered))
        tiles.append(t)
        covered = shapely.union(covered, t) if not covered.is_empty else t
    dropped -= float(geodesic_area_km2(np.array(tiles, dtype=object)).sum())
    gaps = shapely.get_parts(_polygonal(shapely.difference(boundary, covered)))
    if len(gaps) == 0:
        return tiles, dropped, 0.0
    arr = np.array(tiles, dtype=object)
    tree = shapely.STRtree(arr)
    gap_idx, tile_idx = tree.query(gaps, predicate="intersects")
    shared = shapely.length(shapely.intersection(shapely.boundary(gaps[gap_idx]), arr[tile_idx]))
    owner = np.full(len(gaps), -1)
    best = np.full(len(gaps), -1.0)
    for g, t, s in zip(gap_idx, tile_idx, shared, strict=True):  # one pass over touching pairs, not points
        if s > best[g]:
            best[g], owner[g] = s, t
    lonely = np.flatnonzero(owner < 0)
    if len(lonely):
        g_idx, t_idx = tree.query_nearest(gaps[lonely], return_distance=False, all_matches=False)
        owner[lonely[g_idx]] = t_idx
    for t in np.unique(owner):
        tiles[t] = _polygonal(shapely.union_all(np.array([tiles[t], *gaps[owner == t]], dtype=object)))
    return tiles, dropped, float(geodesic_area_km2(gaps).sum())


_CACHE: dict[tuple, RegionSet] = {}


def load_regions(profile: Profile, path: str | Path | None = None, *,
                 boundary: Boundary | str | None = None) -> RegionSet:
    """The admin-1 regions of the profile's country as tiles of its boundary.

    ``path``: a vector file of admin-1 polygons (any format GDAL reads); default: the Natural Earth admin-1
    extract of the profile's country from ``$WHOHOLDS_DATA`` or the download folder
    (:func:`whoholds.io.regions_source.resolve_file`).
    """
    import pyogrio

    from ..io.regions_source import FILES, resolve_file

    country = (profile.boundary.country or "").upper()
    file = resolve_file(f"admin1:{country}", path)
    b = boundary if isinstance(boundary, Boundary) else load_boundary(profile, boundary)
    key = (str(file.resolve()), file.stat().st_mtime, b.id)
    if key in _CACHE:
        return _CACHE[key]
    try:
        frame = pyogrio.read_dataframe(file)
    except Exception as exc:  # GDAL raises several types for unreadable files
        raise InputError(file, f"cannot read regions: {str(exc).splitlines()[0]}") from None
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    elif frame.crs is None:
        x0, y0, x1, y1 = frame.total_bounds
        if min(x0, y0) < -180 or x1 > 180 or abs(y1) > 90:
            raise InputError(file, "regions file has no CRS and its coordinates are not longitude/latitude")
    geoms = np.asarray(frame.geometry.values, dtype=object)
    keep = ~shapely.is_empty(geoms) & np.isin(shapely.get_type_id(geoms), (3, 6, 7))
    if not keep.any():
        raise InputError(file, "no polygons in the regions file")
    frame, geoms = frame[keep].reset_index(drop=True), geoms[keep]
    iso2 = COUNTRY_ISO2.get(country, country[:2])
    units_by_stem = {s: u for u in UNITS.values() if u.iso.startswith(iso2 + "-")
                     for n in (u.name, *u.aliases) for s in _stems(_words(n)[0])}
    props = frame.drop(columns="geometry").to_dict("records")
    covered = geodesic_area_km2(shapely.intersection(geoms, b.geometry)).sum()
    if covered < 0.5 * b.area_km2:  # a wrong file would otherwise hand the whole country to a neighbour
        raise InputError(file, f"the regions cover only {100 * covered / b.area_km2:.0f}% of the boundary "
                               f"{b.name}: a file of another country?")
    tiles, dropped, handed = tile(geoms, b.geometry)
    areas = geodesic_area_km2(np.array(tiles, dtype=object))
    regions, seen = [], set()
    for i, (p, t) in enumerate(zip(props, tiles, strict=True)):
        unit = _unit_of(p, units_by_stem)
        own = str(p.get("shapeName") or p.get("name") or p.get("NAME") or f"unit {i + 1}")
        rid = unit.iso if unit else str(p.get("adm1_code") or p.get("shapeID") or f"{country}-{i + 1}")
        if rid in seen:
            raise InputError(file, f"two units map to the same region {rid} ({own})")
        seen.add(rid)
        regions.append(Region(rid, unit.name if unit else own, unit.local if unit else str(p.get("name_local") or ""),
                              t, unit.kind if unit else str(p.get("type_en") or ""), own, float(areas[i])))
    digest = hashlib.sha256(b"".join(shapely.to_wkb(r.geometry) for r in regions)).hexdigest()[:12]
    known = FILES.get(f"admin1:{country}")
    origin = known.note if known and path is None else file.name
    note = (f"{len(regions)} regions from {file.name} ({origin}), clipped to the boundary {b.id}; "
            f"{dropped:,.1f} km² outside it or overlapping dropped, {handed:,.1f} km² of the boundary not covered "
            "by the file given to the neighbouring region")
    result = RegionSet(regions, b.id, str(file), note, id=f"{file.name}:{digest}")
    _CACHE[key] = result
    return result
