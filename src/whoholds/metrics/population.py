"""Population held by each actor: GeoNames places summed per layer, or a population raster (zonal sums).

GeoNames points are an indication, not a census: the packaged extract lists places of 500+ inhabitants
with figures from different years, sometimes city districts beside their city, and nothing for villages
below the threshold. The result says how much of the country's population the points add up to.

A raster (e.g. a WorldPop GeoTIFF of people per cell) is summed per layer polygon: every cell whose centre
lies inside a layer counts for that layer (rasterised block by block with rasterio, so big rasters stream).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..profiles import Profile
from .changes import check_by
from .settlements import GEONAMES_NOTE, country_population, locate, places_for

if TYPE_CHECKING:
    from ..geometry.layers import Layers

#: Largest raster window read at once (cells per side).
RASTER_BLOCK = 4096


@dataclass
class PopulationResult:
    """``frame``: group, name, population, share_pct (GeoNames points) and, with a raster,
    raster_population, raster_share_pct; ``coverage_note``: what the points cover of the country."""

    frame: pd.DataFrame
    coverage_note: str
    method: str
    notes: list[str] = field(default_factory=list)


def _frame_of(layers_frame: Layers | Any) -> Any:
    return getattr(layers_frame, "frame", layers_frame)


def population_shares(
    layers_frame: Layers | Any,
    profile: Profile,
    by: str = "actor",
    places: pd.DataFrame | None = None,
    raster: Path | str | None = None,
    *,
    dataset: str = "cities500",
) -> PopulationResult:
    """People per group: GeoNames places inside each state layer, and optionally a raster's zonal sums.

    ``layers_frame``: the disjoint state layers of one snapshot (``Layers`` or a GeoDataFrame with
    ``state, geometry``). ``places``: lon/lat points with a ``population`` column (default: the profile
    country's GeoNames places).
    """
    check_by(by)
    frame = _frame_of(layers_frame)
    states = frame["state"].astype(str).to_numpy()
    groups = list(dict.fromkeys(profile.group_of(s, by) for s in states))
    pts = places if places is not None else places_for(profile, dataset=dataset)
    where = locate(pts["lon"].to_numpy(float), pts["lat"].to_numpy(float), frame)
    pop = pts["population"].fillna(0).to_numpy(float)
    inside = where != None  # noqa: E711
    per_group: dict[str, float] = dict.fromkeys(groups, 0.0)
    for s, v in pd.Series(pop[inside]).groupby(where[inside]).sum().items():
        g = profile.group_of(str(s), by)
        per_group[g] = per_group.get(g, 0.0) + float(v)
    total = sum(per_group.values())
    out = pd.DataFrame({
        "group": list(per_group),
        "name": [profile.display_name(g) for g in per_group],
        "population": [int(round(v)) for v in per_group.values()],
        "share_pct": [100.0 * v / total if total else float("nan") for v in per_group.values()],
    })
    method = f"GeoNames places ({dataset}) summed per state layer"
    notes = []
    if raster is not None:
        sums = raster_sums(frame, raster)
        rg: dict[str, float] = dict.fromkeys(per_group, 0.0)
        for s, v in zip(states, sums, strict=True):
            g = profile.group_of(s, by)
            rg[g] = rg.get(g, 0.0) + float(v)
        rtotal = sum(rg.values())
        out = out.set_index("group").reindex(list(rg)).reset_index()
        out["name"] = [profile.display_name(g) for g in out["group"]]
        out["population"] = out["population"].fillna(0).astype(int)
        out["raster_population"] = [float(rg[g]) for g in out["group"]]
        out["raster_share_pct"] = [100.0 * rg[g] / rtotal if rtotal else float("nan") for g in out["group"]]
        method += f"; raster {Path(raster).name}: sum of cells whose centre lies in each layer"
        notes.append(f"raster {Path(raster).name}: {rtotal:,.0f} people inside the layers")
    out = out.sort_values("population", ascending=False, kind="stable").reset_index(drop=True)
    note = coverage_note(pop, inside, profile, dataset)
    return PopulationResult(out, note, method, notes)


def coverage_note(pop: np.ndarray, inside: np.ndarray, profile: Profile, dataset: str = "cities500") -> str:
    """How much of the country's population the GeoNames points inside the boundary add up to."""
    counted = float(pop[inside].sum())
    n_in, n_all = int(inside.sum()), len(pop)
    country = country_population(profile.boundary.country) if profile.boundary.country else None
    head = f"{n_in:,} GeoNames places ({dataset}) inside the boundary hold {counted:,.0f} people"
    if n_all > n_in:
        head += f" ({n_all - n_in:,} places outside it are left out)"
    if country:
        ratio = 100.0 * counted / country
        head += f", {ratio:.0f}% of the country's population in GeoNames ({country:,})"
        if ratio > 100:
            head += "; more than 100% because some city districts are listed beside their city and figures " \
                    "come from different years"
        else:
            head += "; villages under the extract's threshold are missing"
    head += f". The split is indicative, not a census ({GEONAMES_NOTE})."
    return head


def raster_sums(layers_frame: Layers | Any, raster: Path | str) -> np.ndarray:
    """Sum of a population raster over each layer polygon (cells whose centre lies inside; nodata and
    negative cells ignored). Geometries are reprojected to the raster's CRS when it is not EPSG:4326."""
    import rasterio
    from rasterio import features
    from rasterio.errors import RasterioError
    from rasterio.windows import Window
    from rasterio.windows import transform as window_transform

    frame = _frame_of(layers_frame)
    geoms = list(frame.geometry.values)
    path = Path(raster)
    if not path.exists():
        raise InputError(path, "population raster not found")
    try:
        ds = rasterio.open(path)
    except (RasterioError, OSError) as exc:
        raise InputError(path, f"cannot read population raster: {str(exc).splitlines()[0]}") from None
    with ds:
        if ds.count < 1:
            raise InputError(path, "population raster has no band")
        if ds.crs is None:
            raise InputError(path, "population raster has no CRS")
        if ds.crs.to_epsg() != 4326:
            import geopandas as gpd
            import shapely

            # lon/lat edges are curves in the raster's CRS: cut them short (~500 m) before reprojecting
            dense = shapely.segmentize(np.asarray(geoms, dtype=object), 0.005)
            geoms = list(gpd.GeoSeries(dense, crs="EPSG:4326").to_crs(ds.crs).values)
        shapes = [(g, i + 1) for i, g in enumerate(geoms) if g is not None and not g.is_empty]
        sums = np.zeros(len(geoms) + 1)
        nodata = ds.nodata
        try:
            for row in range(0, ds.height, RASTER_BLOCK):
                for col in range(0, ds.width, RASTER_BLOCK):
                    win = Window(col, row, min(RASTER_BLOCK, ds.width - col), min(RASTER_BLOCK, ds.height - row))
                    data = ds.read(1, window=win, masked=False).astype(np.float64)
                    labels = features.rasterize(shapes, out_shape=data.shape,
                                                transform=window_transform(win, ds.transform), fill=0,
                                                dtype="int32", all_touched=False)
                    valid = np.isfinite(data) & (data > 0) & (labels > 0)
                    if nodata is not None and not np.isnan(nodata):
                        valid &= data != nodata
                    sums += np.bincount(labels[valid], weights=data[valid], minlength=len(sums))
        except RasterioError as exc:
            raise InputError(path, f"cannot read population raster: {str(exc).splitlines()[0]}") from None
    return sums[1:]


def population_on(
    store: Any,
    profile: Profile,
    date: Any = None,
    by: str = "actor",
    raster: Path | str | None = None,
    boundary: Any = None,
) -> tuple[PopulationResult, Any]:
    """:func:`population_shares` for the snapshot of ``date`` (default: the latest); returns (result, snapshot)."""
    from ..geometry.boundary import Boundary, load_boundary
    from ..geometry.layers import state_layers
    from .changes import snapshot_on

    if raster is not None and not Path(raster).exists():
        raise InputError(raster, "population raster not found")
    if date is None:
        dates = store.dates(profile.id)
        if not dates:
            from ..errors import StoreError

            raise StoreError(getattr(store, "path", "store"), f"the store has no {profile.id} snapshots; run "
                                                             f"`whoholds ingest ... --profile {profile.id}` first")
        date = dates[-1]
    snap = snapshot_on(store, date, profile, "--date")
    b = boundary if isinstance(boundary, Boundary) else load_boundary(profile, boundary)
    return population_shares(state_layers(snap, profile, b), profile, by=by, raster=raster), snap
