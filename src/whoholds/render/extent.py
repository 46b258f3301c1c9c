"""What part of the country a map shows, and how dense points are drawn at that scale.

- :func:`parse_bbox` reads ``--bbox W,S,E,N`` (degrees) with one-line errors.
- :func:`changes_bbox` is the extent of the changed areas, padded, for ``--zoom-to changes``: a month of
  gains is a few hundred km² of a 600,000 km² country, invisible at country scale.
- :func:`draw_inset` puts a small overview of the whole country, with the shown extent outlined, in a corner.
- :func:`thin_points` groups markers that would overlap at the drawn scale into one dot per holder and grid
  cell, sized by how many it stands for (country-scale marker maps hold thousands of dots).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Bbox = tuple[float, float, float, float]
#: Points across the view above which markers are grouped (below it every dot is drawn as it is).
THIN_ABOVE = 600
#: Grid cells across the view's width when grouping markers.
THIN_CELLS = 60


def parse_bbox(text: str, option: str = "--bbox") -> Bbox:
    """``"W,S,E,N"`` in degrees (lon/lat) → (west, south, east, north)."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise InputError(f"{option} {text}", "give four numbers W,S,E,N in degrees, e.g. 36.5,47.0,39.5,49.0") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise InputError(f"{option} {text}", "coordinates must be finite numbers")
    if not (-180 <= west < east <= 180) or not (-90 <= south < north <= 90):
        raise InputError(f"{option} {text}", "need -180 <= W < E <= 180 and -90 <= S < N <= 90 (degrees)")
    return west, south, east, north


def changes_bbox(changed: Any, pad: float = 0.15, min_span_deg: float = 0.6) -> Bbox | None:
    """The lon/lat extent of the changed areas, padded by ``pad`` of its size and at least ``min_span_deg``
    wide and high (so a single small change still shows its surroundings); None when nothing changed."""
    if changed is None or len(changed) == 0:
        return None
    geoms = changed.geometry if hasattr(changed, "geometry") else changed
    bounds = np.asarray([g.bounds for g in geoms if g is not None and not g.is_empty], dtype=float)
    if not len(bounds):
        return None
    west, south = bounds[:, 0].min(), bounds[:, 1].min()
    east, north = bounds[:, 2].max(), bounds[:, 3].max()
    cx, cy = (west + east) / 2, (south + north) / 2
    half_w = max((east - west) * (1 + 2 * pad), min_span_deg) / 2
    half_h = max((north - south) * (1 + 2 * pad), min_span_deg) / 2
    return (max(cx - half_w, -180.0), max(cy - half_h, -90.0), min(cx + half_w, 180.0), min(cy + half_h, 90.0))


def projected_box(bbox: Bbox, crs: Any) -> Any:
    """The lon/lat box as a polygon in the display CRS (edges densified, so it bends with the projection)."""
    import geopandas as gpd
    import shapely

    box = shapely.segmentize(shapely.box(*bbox), 0.05)
    return gpd.GeoSeries([box], crs="EPSG:4326").to_crs(crs).iloc[0]


def view_limits(view: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    """Axis limits around ``view`` (a projected geometry), with the same small margins as the country view."""
    minx, miny, maxx, maxy = view.bounds
    padx, pady = (maxx - minx) * 0.025, (maxy - miny) * 0.035
    return (minx - padx, maxx + padx), (miny - pady, maxy + pady)


def draw_inset(ax: Axes, boundary: Any, layers: Any, shown: Any, face_of: Any) -> Axes:
    """An overview of the whole country in the upper-right corner of ``ax``, the shown extent outlined in red.

    ``boundary`` and ``shown`` are projected geometries, ``layers`` a projected frame with ``state``;
    ``face_of(state)`` gives a fill colour."""
    from .cartography import draw_geoms

    minx, miny, maxx, maxy = boundary.bounds
    aspect = (maxy - miny) / max(maxx - minx, 1e-9)
    width = 0.3
    height = min(width * aspect * ax.bbox.width / max(ax.bbox.height, 1e-9), 0.4)
    inset = ax.inset_axes((1 - width - 0.01, 1 - height - 0.01, width, height))
    inset.set_label("overview inset")
    inset.set_xlim(minx, maxx)
    inset.set_ylim(miny, maxy)
    inset.set_aspect("equal", adjustable="box")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.patch.set_facecolor("white")
    inset.patch.set_alpha(0.92)
    for spine in inset.spines.values():
        spine.set_edgecolor("#777777")
        spine.set_linewidth(0.6)
    if layers is not None and len(layers):
        for state, part in layers.groupby(layers["state"].astype(str)):
            draw_geoms(inset, part.geometry, facecolor=face_of(state), edgecolor="none", linewidth=0, zorder=2)
    draw_geoms(inset, [boundary], facecolor="none", edgecolor="#2b2b2b", linewidth=0.5, zorder=3)
    draw_geoms(inset, [shown], facecolor="none", edgecolor="#d50000", linewidth=1.2, zorder=4)
    inset.set_zorder(12)
    return inset


@dataclass(frozen=True)
class Thinned:
    """Points to draw: positions, the holder of each, and how many markers each dot stands for."""

    x: np.ndarray
    y: np.ndarray
    holder: np.ndarray
    count: np.ndarray
    cell_size: float  # in the units of x and y; 0 when nothing was grouped

    @property
    def grouped(self) -> bool:
        return self.cell_size > 0


def thin_points(x: np.ndarray, y: np.ndarray, holder: np.ndarray, xlim: tuple[float, float],
                above: int = THIN_ABOVE, cells: int = THIN_CELLS) -> Thinned:
    """Group points that fall into the same grid cell *and* have the same holder into one dot at their mean
    position, when more than ``above`` points are drawn; otherwise return them as they are. Holders are never
    mixed: a front line stays visible as neighbouring dots of two colours."""
    x, y, holder = np.asarray(x, float), np.asarray(y, float), np.asarray(holder).astype(str)
    if len(x) <= above:
        return Thinned(x, y, holder, np.ones(len(x), dtype=int), 0.0)
    size = (xlim[1] - xlim[0]) / cells
    ix, iy = np.floor((x - xlim[0]) / size).astype(np.int64), np.floor(y / size).astype(np.int64)
    _, code = np.unique(holder, return_inverse=True)
    keys = np.stack([ix, iy, code.astype(np.int64)], axis=1)
    _, group, count = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    group = group.reshape(-1)
    gx = np.bincount(group, weights=x) / count
    gy = np.bincount(group, weights=y) / count
    member = np.empty(len(count), dtype=np.int64)
    member[group] = np.arange(len(group))  # any member's holder: all members of a group share it
    return Thinned(gx, gy, holder[member], count, size)


def draw_points(ax: Axes, x: np.ndarray, y: np.ndarray, holder: np.ndarray, colour_of: Any,
                xlim: tuple[float, float]) -> str:
    """Draw markers (grouped when dense, see :func:`thin_points`); return the legend text."""
    t = thin_points(x, y, holder, xlim)
    colours = [colour_of(h) for h in t.holder]
    if not t.grouped:
        size = 9 if len(t.x) < 400 else 5
        ax.scatter(t.x, t.y, s=size, c=colours, edgecolors="#ffffff", linewidths=0.25, zorder=8)
        return f"Map markers ({len(t.x):,}; colour = holder)"
    sizes = 3.0 + 4.0 * np.sqrt(t.count)
    ax.scatter(t.x, t.y, s=sizes, c=colours, edgecolors="#ffffff", linewidths=0.25, zorder=8, alpha=0.9)
    km = t.cell_size / 1000
    return (f"Map markers ({int(t.count.sum()):,}; colour = holder),\nclustered by holder within ~{km:,.0f} km "
            f"into {len(t.x):,} dots")
