"""The control timeline chart (PNG/SVG): area per group over time, and gains, losses and net per period.

Colours and names come from the profile; snapshots flagged as suspect are marked, not hidden, and the caption
names the source and the method.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .chart_parts import add_caption, caption_height, km2_formatter, state_colour, style_axes
from .figures import CAPTION_COLOUR, PSEUDO_STYLE, TEXT_COLOUR, figure_title, new_figure, save_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..profiles.model import Profile

SUSPECT = "#d62728"
TIMELINE_COLUMNS = ("date", "group", "area_km2", "gains_km2", "losses_km2", "net_km2")


def _distinct_colours(profile: Profile, groups: list[str]) -> dict[str, Any]:
    """Profile colours, with repeats (e.g. a coalition sharing its actor's colour) nudged apart."""
    from matplotlib.colors import to_hex, to_rgb

    seen: dict[str, int] = {}
    out: dict[str, Any] = {}
    for g in groups:
        c = to_hex(state_colour(profile, g))
        k = seen.get(c, 0)
        seen[c] = k + 1
        if k:
            r, gg, b = to_rgb(c)
            f = 0.45 if k % 2 else -0.35
            out[g] = tuple(min(1, x + (1 - x) * f) if f > 0 else x * (1 + f) for x in (r, gg, b))
        else:
            out[g] = c
    return out


def _order_groups(profile: Profile, groups: list[str], frame: pd.DataFrame) -> list[str]:
    """Largest groups first (by mean area), pseudo-states last."""
    mean = (
        frame.groupby("group")["area_km2"].mean() if "area_km2" in frame.columns else pd.Series(dtype=float)
    )
    return sorted(groups, key=lambda g: (g in PSEUDO_STYLE, -float(mean.get(g, 0.0)), g))


def timeline_figure(
    frame: pd.DataFrame, profile: Profile, title: str = "", source: str = "", method: str = ""
) -> Figure:
    """Two panels: area per group over time, and gains (up) / losses (down) / net (line) per period."""
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    missing = [c for c in TIMELINE_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError("timeline", f"missing columns: {', '.join(missing)}")
    if not len(frame):
        raise InputError("timeline", "no rows to chart")
    df = frame.copy()
    df["date"] = pd.to_datetime(df["date"])
    df["group"] = df["group"].astype(str)
    df["suspect"] = df["suspect"].fillna(False).astype(bool) if "suspect" in df.columns else False
    groups = _order_groups(profile, list(pd.unique(df["group"])), df)
    colours = _distinct_colours(profile, groups)
    dates = np.sort(pd.unique(df["date"]))
    n_dates = len(dates)

    cap_lines = [
        f"Source: {source}" if source else "",
        f"Method: {method}" if method else "",
        "Gains and losses are gross km² per period between consecutive snapshots; net = gains − losses."
        + (" Red crosses/bands: snapshots flagged as suspect." if df["suspect"].any() else ""),
    ]
    cap_h = caption_height(cap_lines)
    # Areas of different groups differ by orders of magnitude (an occupied area of 110,000 km² next to a grey
    # zone of 5,000): one small panel per group, each on its own km² scale, shows every group's trend.
    small = 1 < len(groups) <= 6
    n_top = len(groups) if small else 1
    top_panel_h = 1.05 if small else 3.3
    top_gap = 0.12 if small else 0.0
    fig_w, top_h, legend_h, bottom_h = 11.0, 1.1, 0.45, 2.5
    fig_h = top_h + n_top * top_panel_h + (n_top - 1) * top_gap + 0.45 + bottom_h + 0.45 + legend_h + cap_h
    fig = new_figure(fig_w, fig_h)
    left, right = 0.95 / fig_w, 0.25 / fig_w
    width = 1 - left - right
    y1 = (cap_h + legend_h + 0.45) / fig_h
    ax2 = fig.add_axes((left, y1, width, bottom_h / fig_h))
    style_axes(ax2)
    top_axes: list[Axes] = []
    y = y1 + (bottom_h + 0.45) / fig_h
    for k in range(n_top):
        ax = fig.add_axes(
            (left, y + (n_top - 1 - k) * (top_panel_h + top_gap) / fig_h, width, top_panel_h / fig_h),
            sharex=ax2,
        )
        style_axes(ax)
        ax.tick_params(labelbottom=False)
        ax.yaxis.set_major_formatter(km2_formatter())
        top_axes.append(ax)

    # panel 1: area per group
    suspect_dates = np.sort(pd.unique(df.loc[df["suspect"], "date"]))
    from matplotlib.ticker import MaxNLocator

    for k, g in enumerate(groups):
        ax1 = top_axes[k if small else 0]
        d = df[df["group"] == g].sort_values("date")
        ax1.plot(
            d["date"],
            d["area_km2"],
            color=colours[g],
            linewidth=1.6,
            marker="o" if n_dates <= 40 else None,
            markersize=3,
            label=profile.display_name(g),
            zorder=3,
        )
        s = d[d["suspect"]]
        if len(s):
            ax1.scatter(s["date"], s["area_km2"], marker="x", s=28, color=SUSPECT, linewidths=1.2, zorder=4)
        if small:
            ax1.yaxis.set_major_locator(MaxNLocator(nbins=3))
            lo, hi = float(d["area_km2"].min()), float(d["area_km2"].max())
            pad = max((hi - lo) * 0.15, max(abs(hi), 1.0) * 0.002)
            ax1.set_ylim(lo - pad, hi + pad * 2.4)
            ax1.text(
                0.005,
                0.96,
                f"{profile.display_name(g)} · km²",
                transform=ax1.transAxes,
                ha="left",
                va="top",
                fontsize=8.3,
                color=TEXT_COLOUR,
                fontweight="bold",
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5},
            )
    if not small:
        top_axes[0].set_ylabel("Area held (km²)", fontsize=9, color=TEXT_COLOUR)
    top_axes[0].set_title(
        "Area held per group" + (" (each panel on its own scale)" if small else ""),
        loc="left",
        fontsize=10,
        color=TEXT_COLOUR,
        fontweight="bold",
    )

    # panel 2: gains / losses / net per period
    spacing = np.diff(dates).astype("timedelta64[s]").astype(float)
    step = float(np.median(spacing)) / 86400.0 if len(spacing) else 1.0
    n_g = len(groups)
    side_by_side = n_dates <= 45 and n_g > 1
    total_w = step * 0.8
    bar_w = total_w / n_g if side_by_side else total_w
    for i, g in enumerate(groups):
        d = df[df["group"] == g].sort_values("date")
        x = mdates.date2num(d["date"])
        if side_by_side:
            x = x - total_w / 2 + bar_w * (i + 0.5)
        gains = d["gains_km2"].fillna(0).to_numpy(float)
        losses = -np.abs(d["losses_km2"].fillna(0).to_numpy(float))
        alpha = 0.9 if side_by_side else 0.55
        ax2.bar(x, gains, width=bar_w, color=colours[g], alpha=alpha, linewidth=0, zorder=2)
        ax2.bar(
            x,
            losses,
            width=bar_w,
            color=colours[g],
            alpha=alpha * 0.55,
            linewidth=0,
            zorder=2,
            hatch="////" if side_by_side else None,
            edgecolor="white" if side_by_side else None,
        )
        ax2.plot(
            d["date"],
            d["net_km2"].fillna(0),
            color=colours[g],
            linewidth=1.1,
            marker="o" if n_dates <= 60 else None,
            markersize=2.8,
            zorder=3,
        )
    ax2.axhline(0, color="#666666", linewidth=0.8, zorder=2.5)
    for sd in suspect_dates:
        for ax in (*top_axes, ax2):
            ax.axvspan(
                mdates.date2num(sd) - step * 0.5,
                mdates.date2num(sd) + step * 0.5,
                color=SUSPECT,
                alpha=0.10,
                linewidth=0,
                zorder=1,
            )
    ax2.set_ylabel("km² per period", fontsize=9, color=TEXT_COLOUR)
    ax2.yaxis.set_major_formatter(km2_formatter())
    ax2.set_title(
        "Gains (above 0), losses (below 0) and net (line)",
        loc="left",
        fontsize=10,
        color=TEXT_COLOUR,
        fontweight="bold",
    )
    span_days = (pd.Timestamp(dates[-1]) - pd.Timestamp(dates[0])).days
    if span_days <= 21:  # snapshots are dated by day: no hour ticks on short periods
        locator = mdates.DayLocator(interval=max(1, int(np.ceil((span_days + 1) / 8))))
    else:
        locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax2.xaxis.set_major_locator(locator)
    ax2.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if n_dates == 1:
        d0 = mdates.date2num(dates[0])
        ax2.set_xlim(d0 - 3, d0 + 3)
    else:
        lo, hi = mdates.date2num(dates[0]), mdates.date2num(dates[-1])
        ax2.set_xlim(lo - step * 0.7, hi + step * 0.7)

    handles = [Line2D([], [], color=colours[g], linewidth=2.2, label=profile.display_name(g)) for g in groups]
    handles.append(Patch(facecolor="#999999", alpha=0.9, label="gain"))
    handles.append(
        Patch(
            facecolor="#999999",
            alpha=0.45,
            hatch="////" if side_by_side else None,
            edgecolor="white",
            label="loss",
        )
    )
    if len(suspect_dates):
        handles.append(Line2D([], [], ls="none", marker="x", color=SUSPECT, label="suspect snapshot"))
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(left, (cap_h + 0.02) / fig_h),
        ncols=min(len(handles), 6),
        frameon=False,
        fontsize=8.3,
        handlelength=1.8,
        borderaxespad=0,
        columnspacing=1.6,
    )
    figure_title(fig, title or "Territorial control over time", top_in=0.3, size=14)
    first, last = pd.Timestamp(dates[0]).date(), pd.Timestamp(dates[-1]).date()
    fig.text(
        0.012,
        1 - 0.6 / fig_h,
        f"{first} → {last} · {n_dates:,} snapshot{'s' if n_dates != 1 else ''}",
        ha="left",
        va="center",
        fontsize=9.5,
        color=CAPTION_COLOUR,
    )
    add_caption(fig, cap_lines, 0.1)
    return fig


def timeline_chart(
    frame: pd.DataFrame,
    profile: Profile,
    out: Path | str,
    title: str = "",
    source: str = "",
    method: str = "",
) -> Path:
    """Draw the timeline (area per group; gains/losses/net per period; suspect snapshots marked) to ``out``.

    ``frame`` has columns ``date, group, area_km2, gains_km2, losses_km2, net_km2`` and optionally ``suspect``
    (bool). Losses may be given positive or negative; they are drawn below zero.
    """
    return save_figure(timeline_figure(frame, profile, title, source, method), out)
