"""Static control maps (PNG/SVG): state fills, boundary, main cities, legend with km², scale bar, caption.

This module decides what a control map shows and how states look; the projection, scale bar, fills, labels
and legend columns are in :mod:`.cartography`, the cities in :mod:`.cities`. Every km² printed on the map
comes from the layers frame (``area_km2``) or from the geodesic area on the WGS84 ellipsoid.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from shapely import box as shapely_box

from ..errors import InputError, QueryError
from ..profiles.model import PSEUDO_STATES, UNASSIGNED, UNINHABITED

# Imports written ``name as name`` are re-exports: callers have always imported these names from here.
from .cartography import ScaleBar as ScaleBar
from .cartography import (
    areas_km2,
    display_crs,
    dot_handle,
    draw_geoms,
    draw_scale_bar,
    legend_bottom,
    legend_column,
    legend_patch,
    map_caption_lines,
    place_city_labels,
)
from .cartography import nice_length as nice_length
from .cartography import scale_bar_length as scale_bar_length
from .cities import cities_inside, main_cities
from .cities import iso2_code as iso2_code
from .dates import as_day, date_text
from .figures import CAPTION_COLOUR, PSEUDO_STYLE, figure_title, new_figure, save_figure
from .figures import TEXT_COLOUR as TEXT_COLOUR

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from pyproj import CRS

    from ..profiles.model import Profile

BOUNDARY_COLOUR = "#2b2b2b"
SUFFIXES = (".png", ".svg")


# ---- how states look ---------------------------------------------------------------------------------------
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


def _base_face(state: str, style: dict[str, Any], faint: bool) -> Any:
    # only real states fade: the pseudo-states are pale and hatched already, and keep that look
    return _fade(style["facecolor"]) if faint and state not in PSEUDO_STYLE else style["facecolor"]


def _darker(colour: str, amount: float = 0.35) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return (r * (1 - amount), g * (1 - amount), b * (1 - amount))


def _label_wrap(text: str, width: int = 30) -> str:
    return "\n".join(textwrap.wrap(text, width=width)) or text


def _drawable(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` in lon/lat (assumed when it has no CRS) without empty geometries."""
    frame = frame if frame.crs is not None else frame.set_crs("EPSG:4326")
    return frame[~frame.geometry.isna() & ~frame.geometry.is_empty]


def _area_km2(frame: gpd.GeoDataFrame) -> pd.Series:
    """The frame's own ``area_km2`` when it has one, else the geodesic area of each row."""
    if "area_km2" in frame.columns:
        return pd.Series(np.asarray(frame["area_km2"], dtype=float), index=frame.index)
    return pd.Series(areas_km2(frame.geometry.to_numpy()), index=frame.index)


# ---- the map ----------------------------------------------------------------------------------------------
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
    bbox: tuple[float, float, float, float] | None = None,
    inset: bool = True,
) -> Figure:
    """Draw the control map and return the matplotlib Figure (see :func:`control_map`)."""
    import geopandas as gpd

    from .extent import draw_inset, draw_points, projected_box, view_limits

    if layers is None or "state" not in layers.columns:
        raise InputError("layers", "the layers frame needs a 'state' column")
    if boundary_geom is None or boundary_geom.is_empty:
        raise InputError("boundary", "the boundary geometry is empty")
    crs = display_crs(boundary_geom)
    bgeom = gpd.GeoSeries([boundary_geom], crs="EPSG:4326").to_crs(crs).iloc[0]
    lay = _drawable(layers)
    area_by_state = _area_km2(lay).groupby(lay["state"].astype(str)).sum()
    lay_p = lay.to_crs(crs)

    # ---- layout: the map's aspect decides the figure's height -----------------------------------------
    view = projected_box(bbox, crs) if bbox is not None else bgeom  # --bbox / --zoom-to: a part of the country
    xlim, ylim = view_limits(view)
    aspect = (ylim[1] - ylim[0]) / (xlim[1] - xlim[0])
    fig_w = 11.0
    legend_w = 3.3 if legend else 0.0
    margin_l, margin_r, top_h = 0.25, 0.2, 0.75
    caption_lines = map_caption_lines(date, source, method, boundary_name, crs, cities)
    caption_h = 0.28 + 0.15 * len(caption_lines)
    map_w = fig_w - margin_l - margin_r - legend_w
    map_h = map_w * aspect
    if map_h > 8.2:  # tall country: shrink the map, keep the figure width
        map_h = 8.2
        map_w = map_h / aspect
    fig_h = top_h + map_h + caption_h
    fig = new_figure(fig_w, fig_h)
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
        draw_geoms(
            ax,
            geoms,
            facecolor=_base_face(state, st, faint),
            edgecolor="none",
            linewidth=0,
            hatch=st["hatch"],
            hatchcolor=st["hatchcolor"],
            zorder=2 + z * 0.01,
        )
    changed_area = _draw_changed(ax, changed, crs, profile) if changed is not None and len(changed) else None
    draw_geoms(ax, [bgeom], facecolor="none", edgecolor=BOUNDARY_COLOUR, linewidth=0.9, zorder=6)
    if bbox is not None and inset:
        draw_inset(ax, bgeom, lay_p, view, lambda s: _base_face(s, _style(s, profile), faint))

    # ---- markers, cities, scale bar ------------------------------------------------------------------------
    handles: list[Any] = []
    if markers is not None and len(markers):
        mk = _drawable(markers).to_crs(crs)
        mk = mk[mk.intersects(view)] if bbox is not None else mk
        pts = mk.geometry.representative_point()
        text = draw_points(ax, pts.x.to_numpy(), pts.y.to_numpy(), mk["state"].astype(str).to_numpy(),
                           lambda s: _style(s, profile)["facecolor"], xlim)
        handles.append(dot_handle("#888888", 5, text))
    city_frame = cities_inside(cities, boundary_geom if bbox is None else boundary_geom.intersection(
        shapely_box(*bbox)))
    if city_frame is not None and len(city_frame):
        pts = gpd.GeoSeries(gpd.points_from_xy(city_frame["lon"], city_frame["lat"]), crs="EPSG:4326").to_crs(
            crs
        )
        cx, cy = pts.x.to_numpy(), pts.y.to_numpy()
        capitals = [bool(v) for v in city_frame.get("capital", pd.Series(False, index=city_frame.index))]
        sizes = np.where(capitals, 26, 13)
        ax.scatter(cx, cy, s=sizes, c="#111111", edgecolors="white", linewidths=0.7, zorder=11, marker="o")
        handles.append(dot_handle("#111111", 4.5, "Main cities (GeoNames)"))
    draw_scale_bar(ax, crs, bgeom if bbox is None else bgeom.intersection(view), xlim, ylim, map_h)

    # ---- city labels last: they avoid each other, dots and the scale bar -----------------------------
    if city_frame is not None and len(city_frame):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        avoid = [t.get_window_extent(renderer) for t in ax.texts]
        place_city_labels(fig, ax, cx, cy, [str(n) for n in city_frame["name"]], capitals, avoid)

    # ---- title, legend, caption ----------------------------------------------------------------------------
    figure_title(fig, title, x=margin_l / fig_w, top_in=0.3, size=14.5)
    sub = date_text(date)
    if sub:
        sub = f"{sub} · changed areas coloured by their new holder" if faint else f"As of {sub}"
        if bbox is not None:
            sub += f" · detail {bbox[0]:.1f}–{bbox[2]:.1f}°E, {bbox[1]:.1f}–{bbox[3]:.1f}°N" + (" (overview top right)"
                                                                                     if inset else "")
        fig.text(
            margin_l / fig_w, 1 - 0.58 / fig_h, sub, ha="left", va="center", fontsize=10, color=CAPTION_COLOUR
        )
    if legend:
        x, top = (margin_l + map_w + 0.25) / fig_w, 1 - (top_h + 0.05) / fig_h
        _draw_legends(fig, x, top, profile, states, area_by_state, faint, changed_area, handles)
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


def _draw_changed(ax: Axes, changed: gpd.GeoDataFrame, crs: CRS, profile: Profile) -> pd.Series:
    """Fill the changed areas in their new holder's colour; return km² per new holder."""
    ch = _drawable(changed)
    changed_area = _area_km2(ch).groupby(ch["to_state"].astype(str)).sum()
    ch_p = ch.to_crs(crs)
    for to_state in _state_order(list(changed_area.index), profile):
        st = _style(to_state, profile)
        geoms = ch_p.geometry[ch_p["to_state"].astype(str) == to_state]
        # a thin outline in the same colour keeps slivers of a few km² visible at country scale
        draw_geoms(
            ax,
            geoms,
            facecolor=st["facecolor"],
            edgecolor=_darker(st["facecolor"]),
            linewidth=0.6,
            hatch=st["hatch"],
            hatchcolor=st["hatchcolor"],
            zorder=4,
        )
    return changed_area


def _draw_legends(
    fig: Figure,
    x: float,
    top: float,
    profile: Profile,
    states: list[str],
    area_by_state: pd.Series,
    faint: bool,
    changed_area: pd.Series | None,
    extra_handles: list[Any],
) -> None:
    """Who holds what (km² and share per state); below it the changes and the markers and cities."""
    total = float(area_by_state.sum())
    state_handles = []
    for state in states:
        st = _style(state, profile)
        a = float(area_by_state.get(state, 0.0))
        if state in PSEUDO_STATES and a < 0.5:
            continue  # a rounding sliver of unassigned land is no legend entry
        pct = f" · {100 * a / total:.2f}%" if total > 0 else ""
        label = f"{_label_wrap(profile.display_name(state))}\n{a:,.0f} km²{pct}"
        state_handles.append(legend_patch(_base_face(state, st, faint), st, label))
    change_handles = []
    if changed_area is not None:
        for state in _state_order(list(changed_area.index), profile):
            st = _style(state, profile)
            label = f"To {_label_wrap(profile.display_name(state), 27)}\n{changed_area[state]:,.1f} km²"
            change_handles.append(legend_patch(st["facecolor"], st, label, edge=True))
    leg = legend_column(fig, state_handles, x, top, "Who holds what (faded)" if faint else "Who holds what")
    extra = change_handles + extra_handles
    if extra:
        legend_column(fig, extra, x, legend_bottom(fig, leg) - 0.02, "Changes" if change_handles else None)


def control_map(
    layers: gpd.GeoDataFrame, boundary_geom: Any, profile: Profile, *, out: Path | str, **options: Any
) -> Path:
    """Draw a control map to ``out`` (PNG or SVG by suffix) and return the path.

    ``layers``: GeoDataFrame (EPSG:4326) with ``state`` and geometry (``area_km2`` used for the legend when
    present); ``boundary_geom``: the denominator's outline (lon/lat). ``options`` are those of
    :func:`control_map_figure`: ``title`` (required), ``date``, ``source``, ``method``, ``markers`` (points
    with ``state``), ``cities`` (``name, lat, lon, population``, see :func:`main_cities`; only those inside
    the boundary are drawn), ``changed`` (``from_state, to_state, geometry``: then the base is faded and the
    changed areas are coloured by their new holder), ``legend``, ``boundary_name``, ``bbox`` (W, S, E, N in
    degrees: show only that part, with an overview inset unless ``inset=False``). Written atomically.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(out, f"unknown map format {suffix or '(no suffix)'}; use .png or .svg")
    return save_figure(control_map_figure(layers, boundary_geom, profile, **options), out)


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
    bbox: tuple[float, float, float, float] | None = None,
) -> Path:
    """The control map of the stored snapshot of ``date`` (``whoholds map``).

    A date without a snapshot is an error that names the nearest stored date. ``boundary``: None (the
    profile's), an override for ``load_boundary``, or a Boundary object. ``markers``: also draw the points
    of a marker snapshot over its estimated cells.
    """
    day = as_day(date)
    snap, dist = store.nearest(day, profile.id)
    if dist:
        near = f"the nearest is {snap.date} ({abs(int(dist))} days away)"
        raise QueryError(day, f"no {profile.id} snapshot on this date; {near}")
    bnd = resolve_boundary(profile, boundary)
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
        bbox=bbox,
    )


def resolve_boundary(profile: Profile, boundary: Any) -> Any:
    """A Boundary object as it is; otherwise ``load_boundary`` with ``boundary`` as the override (None: the
    profile's own)."""
    if boundary is not None and hasattr(boundary, "geometry"):
        return boundary
    from ..geometry.boundary import load_boundary

    return load_boundary(profile, override=boundary)


def boundary_label(bnd: Any, with_note: bool = False) -> str:
    """``Ukraine (ne10m-v5.1.1-deu:UKR:…)`` and, if asked, the boundary's note (e.g. Syria's Golan)."""
    name, bid = str(getattr(bnd, "name", "") or ""), str(getattr(bnd, "id", "") or "")
    label = f"{name} ({bid})" if name and bid and bid != name else (name or bid)
    note = " ".join(str(getattr(bnd, "note", "") or "").split())
    return f"{label}. {note}" if with_note and note else label
