"""Who gained what between two dates: transfer matrices between states, exact on the WGS84 ellipsoid.

:func:`transfer_between` overlays two whole sets of disjoint state layers (every pair of states, diagonal
included), so conservation -- row sums equal the areas at d1, column sums the areas at d2 -- is a property
of the result, not an identity of the code. :func:`transfer_matrix` does that for the snapshots of two dates
in a store. Timelines over whole archives use the incremental engine behind the store's cache instead
(:mod:`whoholds.metrics.timeline`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely

from .. import __version__
from ..errors import QueryError
from ..geometry.area import geodesic_area_km2
from ..geometry.layers import Layers
from ..geometry.layers import polygonal as _polygonal
from ..profiles import Profile
from ..types import Provenance, Snapshot
from .choices import BY_CHOICES, check_by, check_order, parse_date, resolve_actors  # noqa: F401 - API
from .quick import group_kind

if TYPE_CHECKING:
    import geopandas as gpd

    from ..geometry.boundary import Boundary

TRANSFER_METHOD = (
    "transfer matrix: pairwise intersection of the two dates' disjoint state layers (clipped to the "
    "boundary), geodesic areas on the WGS84 ellipsoid"
)


# ---- groups ---------------------------------------------------------------------------------------------
def _group_map(profile: Profile, states: Iterable[str], by: str) -> dict[str, str]:
    return {s: profile.group_of(s, by) for s in states}


# ---- result types ---------------------------------------------------------------------------------------
@dataclass
class TransferResult:
    """Area (km²) that went from each state/group at d1 to each at d2, with totals and the changed places.

    ``matrix``: index = holder at d1 (``from``), columns = holder at d2 (``to``); the diagonal is the
    unchanged area. Row sums are the areas at d1, column sums the areas at d2 (conservation).
    ``summary``: group, name, kind, area_d1_km2, area_d2_km2, gains_km2, losses_km2, net_km2.
    ``changed``: from_state, to_state, from_group, to_group, geometry, area_km2 (off-diagonal pieces).
    """

    d1: Snapshot | None
    d2: Snapshot | None
    by: str
    matrix: pd.DataFrame
    summary: pd.DataFrame
    changed: gpd.GeoDataFrame
    state_matrix: pd.DataFrame
    provenance: Provenance | None = None
    notes: list[str] = field(default_factory=list)
    layers: tuple[Layers, Layers] | None = None
    boundary: Boundary | None = None

    @property
    def method(self) -> str:
        return self.provenance.method if self.provenance is not None else TRANSFER_METHOD

    @property
    def changed_km2(self) -> float:
        """Total area whose holder changed (sum of the off-diagonal cells)."""
        m = self.state_matrix.to_numpy()
        return float(m.sum() - np.trace(m))

    def headline(self, profile: Profile) -> str:
        d1 = self.d1.date.isoformat() if self.d1 else "d1"
        d2 = self.d2.date.isoformat() if self.d2 else "d2"
        parts = [f"{self.changed_km2:,.2f} km² changed hands between {d1} and {d2}"]
        for row in self.summary.itertuples(index=False):
            if row.gains_km2 > 0 or row.losses_km2 > 0:
                # a figure that rounds to zero reads 0.00, never "-0.00" or "+0.00"
                gains, losses = (f"{s}{v:,.2f}" if round(v, 2) else "0.00"
                                 for s, v in (("+", row.gains_km2), ("-", row.losses_km2)))
                net = f"{row.net_km2:+,.2f}" if round(row.net_km2, 2) else "0.00"
                parts.append(f"{profile.display_name(row.group)}: {gains} / {losses} (net {net}) km²")
        return "; ".join(parts)

    def long_frame(self) -> pd.DataFrame:
        """The matrix as rows (from, to, area_km2), with provenance columns when known."""
        m = self.matrix.stack().rename("area_km2").reset_index()
        m.columns = ["from", "to", "area_km2"]
        m = m[m["area_km2"] > 0].reset_index(drop=True)
        if self.d1 is not None and self.d2 is not None:
            m.insert(0, "d1", self.d1.date)
            m.insert(1, "d2", self.d2.date)
        if self.provenance is not None:
            for k, v in self.provenance.as_dict().items():
                m[k] = v
        return m


# ---- pure overlay of two layer sets ---------------------------------------------------------------------
def _layer_frame(layers: Layers | gpd.GeoDataFrame | pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
    frame = layers.frame if isinstance(layers, Layers) else layers
    states = [str(s) for s in frame["state"]]
    if len(set(states)) != len(states):
        raise QueryError("layers", "state layers must have one row per state")
    geoms = np.asarray(frame.geometry.values if hasattr(frame, "geometry") else frame["geometry"], dtype=object)
    areas = np.asarray(frame["area_km2"], dtype=float) if "area_km2" in frame else geodesic_area_km2(geoms)
    return states, geoms, areas


def transfer_between(
    layers1: Layers | gpd.GeoDataFrame,
    layers2: Layers | gpd.GeoDataFrame,
    profile: Profile,
    by: str = "state",
    *,
    d1: Snapshot | None = None,
    d2: Snapshot | None = None,
    provenance: Provenance | None = None,
) -> TransferResult:
    """Transfer matrix between two sets of disjoint state layers covering the same boundary (pure).

    Every cell is the geodesic area of the intersection of a d1 layer with a d2 layer, diagonal included,
    so conservation (row sums = areas at d1, column sums = areas at d2) is a property to check, not an
    identity of the code.
    """
    check_by(by)
    s1, g1, a1 = _layer_frame(layers1)
    s2, g2, a2 = _layer_frame(layers2)
    states = list(dict.fromkeys([*s1, *s2]))
    mat = pd.DataFrame(0.0, index=pd.Index(states, name="from"), columns=pd.Index(states, name="to"))
    i1, i2 = np.meshgrid(np.arange(len(s1)), np.arange(len(s2)), indexing="ij")
    i1, i2 = i1.ravel(), i2.ravel()
    changed_rows: list[tuple[str, str, Any]] = []
    if len(i1):
        b1, b2 = shapely.bounds(g1)[i1], shapely.bounds(g2)[i2]
        near = (b1[:, 0] <= b2[:, 2]) & (b2[:, 0] <= b1[:, 2]) & (b1[:, 1] <= b2[:, 3]) & (b2[:, 1] <= b1[:, 3])
        i1, i2 = i1[near], i2[near]
        inter = np.array([_polygonal(g) for g in shapely.intersection(g1[i1], g2[i2])], dtype=object)
        areas = geodesic_area_km2(inter)
        for i, j, area, geom in zip(i1, i2, areas, inter, strict=True):
            mat.loc[s1[i], s2[j]] += area
            if s1[i] != s2[j] and area > 0:
                changed_rows.append((s1[i], s2[j], geom))
    return _assemble(mat, profile, by, changed_rows, d1=d1, d2=d2, provenance=provenance,
                     areas1=dict(zip(s1, a1, strict=True)), areas2=dict(zip(s2, a2, strict=True)))


def _assemble(
    state_matrix: pd.DataFrame,
    profile: Profile,
    by: str,
    changed_rows: list[tuple[str, str, Any]],
    *,
    d1: Snapshot | None,
    d2: Snapshot | None,
    provenance: Provenance | None,
    areas1: dict[str, float] | None = None,
    areas2: dict[str, float] | None = None,
) -> TransferResult:
    gmap = _group_map(profile, state_matrix.index, by)
    grouped = state_matrix.rename(index=gmap, columns=gmap)
    matrix = grouped.T.groupby(level=0, sort=False).sum().T.groupby(level=0, sort=False).sum()
    groups = list(dict.fromkeys(gmap.values()))
    matrix = matrix.reindex(index=groups, columns=groups, fill_value=0.0)
    matrix.index.name, matrix.columns.name = "from", "to"
    m = matrix.to_numpy()
    diag = np.diag(m)
    rows = pd.DataFrame({
        "group": groups,
        "name": [profile.display_name(g) for g in groups],
        "kind": [group_kind(profile, g, by) for g in groups],
        "area_d1_km2": m.sum(axis=1),
        "area_d2_km2": m.sum(axis=0),
        "gains_km2": m.sum(axis=0) - diag,
        "losses_km2": m.sum(axis=1) - diag,
    })
    rows["net_km2"] = rows["gains_km2"] - rows["losses_km2"]
    notes = []
    for label, given, axis in (("d1", areas1, 1), ("d2", areas2, 0)):
        if given:
            sums = state_matrix.sum(axis=axis)
            worst = max(abs(float(sums.get(s, 0.0)) - float(v)) for s, v in given.items())
            notes.append(f"conservation at {label}: largest |matrix sum - layer area| = {worst:.2e} km²")
    import geopandas as gpd

    if changed_rows:
        changed = gpd.GeoDataFrame(
            {
                "from_state": [r[0] for r in changed_rows],
                "to_state": [r[1] for r in changed_rows],
                "from_group": [gmap.get(r[0], r[0]) for r in changed_rows],
                "to_group": [gmap.get(r[1], r[1]) for r in changed_rows],
            },
            geometry=np.array([r[2] for r in changed_rows], dtype=object),
            crs="EPSG:4326",
        )
        changed["area_km2"] = geodesic_area_km2(changed.geometry.values)
    else:
        changed = gpd.GeoDataFrame(
            {"from_state": [], "to_state": [], "from_group": [], "to_group": [], "area_km2": []},
            geometry=np.array([], dtype=object), crs="EPSG:4326",
        )
    return TransferResult(d1, d2, by, matrix, rows, changed, state_matrix, provenance, notes)


# ---- store-level: one pair of dates ---------------------------------------------------------------------
def snapshot_on(store: Any, date: dt.date | str, profile: Profile, what: str = "date") -> Snapshot:
    """The snapshot of exactly ``date`` (latest version); the store's error names the nearest dates."""
    day = parse_date(date, what)
    try:
        return store.latest(day, profile.id)
    except QueryError as exc:
        raise QueryError(f"{what} {day.isoformat()}", exc.problem) from None


def transfer_matrix(
    store: Any,
    profile: Profile,
    d1: dt.date | str,
    d2: dt.date | str,
    by: str = "state",
    boundary: Boundary | str | None = None,
    *,
    on_or_before: bool = False,
) -> TransferResult:
    """Transfer matrix between the snapshots of ``d1`` and ``d2`` (latest versions).

    The dates must have snapshots, unless ``on_or_before`` (the agencies' convention for periods): then the
    last snapshot on or before each date is used, and ``d1``/``d2`` of the result say which.
    """
    from ..geometry.boundary import Boundary, load_boundary
    from ..geometry.layers import state_layers

    check_by(by)
    day1, day2 = parse_date(d1, "D1"), parse_date(d2, "D2")
    check_order(day1, day2)
    if on_or_before:
        s1, s2 = store.on_or_before(day1, profile.id), store.on_or_before(day2, profile.id)
    else:
        s1 = snapshot_on(store, day1, profile, "D1")
        s2 = snapshot_on(store, day2, profile, "D2")
    b = boundary if isinstance(boundary, Boundary) else load_boundary(profile, boundary)
    l1 = state_layers(s1, profile, b)
    l2 = state_layers(s2, profile, b)
    method = f"{TRANSFER_METHOD}; layers: {l1.method}"
    if l2.method != l1.method:
        method += f" (d2: {l2.method})"
    prov = Provenance((s1.id, s2.id), (s1.source, s2.source), b.id, method, __version__)
    result = transfer_between(l1, l2, profile, by, d1=s1, d2=s2, provenance=prov)
    result.layers = (l1, l2)
    result.boundary = b
    return result
