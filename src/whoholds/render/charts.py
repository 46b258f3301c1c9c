"""Charts (PNG/SVG): the control timeline, shares as bars, and the transfer matrix as a heat-map table.

Colours and names come from the profile (``colour_of``, ``display_name``); every chart carries a caption with
the source and the method, and axes state their units.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .maps import PSEUDO_STYLE, save_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..profiles.model import Profile

TEXT = "#222222"
MUTED = "#555555"
GRID = "#e3e3e3"
SUSPECT = "#d62728"
TIMELINE_COLUMNS = ("date", "group", "area_km2", "gains_km2", "losses_km2", "net_km2")


def _new_figure(w: float, h: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), dpi=150, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _km2_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    def fmt(v: float, _pos: int) -> str:
        return f"{v:,.0f}" if abs(v) >= 10 or v == 0 else f"{v:,.1f}"

    return FuncFormatter(fmt)


def _style_axes(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#888888")
    ax.tick_params(colors=TEXT, labelsize=8.5, length=3)
    ax.grid(True, axis="y", color=GRID, linewidth=0.7)
    ax.set_axisbelow(True)


def _colour(profile: Profile, key: str) -> str:
    if key in PSEUDO_STYLE:
        return "#9e9e9e"
    return profile.colour_of(key)


def _caption(fig: Figure, lines: list[str], bottom_in: float, width_chars: int = 150) -> None:
    text = "\n".join(w for line in lines if line for w in textwrap.wrap(line, width=width_chars))
    if text:
        fig.text(
            0.012,
            bottom_in / fig.get_figheight(),
            text,
            ha="left",
            va="bottom",
            fontsize=7.4,
            color=MUTED,
            linespacing=1.45,
        )


def _caption_height(lines: list[str], width_chars: int = 150) -> float:
    n = sum(len(textwrap.wrap(line, width=width_chars)) for line in lines if line)
    return 0.12 + 0.145 * n


def _distinct_colours(profile: Profile, groups: list[str]) -> dict[str, Any]:
    """Profile colours, with repeats (e.g. a coalition sharing its actor's colour) nudged apart."""
    from matplotlib.colors import to_hex, to_rgb

    seen: dict[str, int] = {}
    out: dict[str, Any] = {}
    for g in groups:
        c = to_hex(_colour(profile, g))
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


# ---- timeline ---------------------------------------------------------------------------------------------
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
    cap_h = _caption_height(cap_lines)
    # Areas of different groups differ by orders of magnitude (an occupied area of 110,000 km² next to a grey
    # zone of 5,000): one small panel per group, each on its own km² scale, shows every group's trend.
    small = 1 < len(groups) <= 6
    n_top = len(groups) if small else 1
    top_panel_h = 1.05 if small else 3.3
    top_gap = 0.12 if small else 0.0
    fig_w, top_h, legend_h, bottom_h = 11.0, 1.1, 0.45, 2.5
    fig_h = top_h + n_top * top_panel_h + (n_top - 1) * top_gap + 0.45 + bottom_h + 0.45 + legend_h + cap_h
    fig = _new_figure(fig_w, fig_h)
    left, right = 0.95 / fig_w, 0.25 / fig_w
    width = 1 - left - right
    y1 = (cap_h + legend_h + 0.45) / fig_h
    ax2 = fig.add_axes((left, y1, width, bottom_h / fig_h))
    _style_axes(ax2)
    top_axes: list[Axes] = []
    y = y1 + (bottom_h + 0.45) / fig_h
    for k in range(n_top):
        ax = fig.add_axes(
            (left, y + (n_top - 1 - k) * (top_panel_h + top_gap) / fig_h, width, top_panel_h / fig_h),
            sharex=ax2,
        )
        _style_axes(ax)
        ax.tick_params(labelbottom=False)
        ax.yaxis.set_major_formatter(_km2_formatter())
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
                color=TEXT,
                fontweight="bold",
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5},
            )
    if not small:
        top_axes[0].set_ylabel("Area held (km²)", fontsize=9, color=TEXT)
    top_axes[0].set_title(
        "Area held per group" + (" (each panel on its own scale)" if small else ""),
        loc="left",
        fontsize=10,
        color=TEXT,
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
    ax2.set_ylabel("km² per period", fontsize=9, color=TEXT)
    ax2.yaxis.set_major_formatter(_km2_formatter())
    ax2.set_title(
        "Gains (above 0), losses (below 0) and net (line)",
        loc="left",
        fontsize=10,
        color=TEXT,
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
    fig.text(
        0.012,
        1 - 0.3 / fig_h,
        title or "Territorial control over time",
        ha="left",
        va="center",
        fontsize=14,
        fontweight="bold",
        color=TEXT,
    )
    first, last = pd.Timestamp(dates[0]).date(), pd.Timestamp(dates[-1]).date()
    fig.text(
        0.012,
        1 - 0.6 / fig_h,
        f"{first} → {last} · {n_dates:,} snapshot{'s' if n_dates != 1 else ''}",
        ha="left",
        va="center",
        fontsize=9.5,
        color=MUTED,
    )
    _caption(fig, cap_lines, 0.1)
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


# ---- shares -----------------------------------------------------------------------------------------------
def share_bar_figure(shares_df: pd.DataFrame, profile: Profile, title: str = "", caption: str = "") -> Figure:
    missing = [c for c in ("group", "share_pct") if c not in shares_df.columns]
    if missing:
        raise InputError("shares", f"missing columns: {', '.join(missing)}")
    df = shares_df.copy()
    df["group"] = df["group"].astype(str)
    if "name" not in df.columns:
        df["name"] = [profile.display_name(g) for g in df["group"]]
    df = df.sort_values("share_pct", ascending=True, kind="stable")
    n = len(df)
    cap_lines = [caption] if caption else []
    cap_h = _caption_height(cap_lines, 130)
    fig_w, top_h = 9.5, 0.55 if title else 0.2
    bars_h = max(1.2, 0.42 * n + 0.5)
    fig_h = top_h + bars_h + 0.6 + cap_h
    fig = _new_figure(fig_w, fig_h)
    label_w = 2.9
    ax = fig.add_axes(
        (label_w / fig_w, (cap_h + 0.55) / fig_h, (fig_w - label_w - 1.9) / fig_w, bars_h / fig_h)
    )
    colours = [_colour(profile, g) for g in df["group"]]
    hatches = [PSEUDO_STYLE[g]["hatch"] if g in PSEUDO_STYLE else None for g in df["group"]]
    y = np.arange(n)
    bars = ax.barh(
        y,
        df["share_pct"].to_numpy(float),
        color=colours,
        height=0.62,
        linewidth=0.5,
        edgecolor=["#9e9e9e" if h else "none" for h in hatches],
    )
    for b, h in zip(bars, hatches, strict=True):
        if h:
            b.set_hatch(h)
            b.set_facecolor("#eeeeee")
    ax.set_yticks(y, ["\n".join(textwrap.wrap(str(v), 34)) for v in df["name"]], fontsize=8.8, color=TEXT)
    top = float(df["share_pct"].max()) if n else 100.0
    ax.set_xlim(0, max(top * 1.02, 1.0))
    for yi, (pct, area) in enumerate(
        zip(df["share_pct"], df.get("area_km2", pd.Series([np.nan] * n)), strict=True)
    ):
        txt = f"{pct:.2f}%" + (f" · {area:,.0f} km²" if pd.notna(area) else "")
        ax.annotate(
            txt,
            (float(pct), yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=8.3,
            color=TEXT,
            annotation_clip=False,
        )
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#888888")
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=8, colors=TEXT)
    ax.grid(True, axis="x", color=GRID, linewidth=0.7)
    ax.set_axisbelow(True)
    ax.set_xlabel("Share of the area (%)", fontsize=8.5, color=TEXT)
    if title:
        fig.text(
            0.012,
            1 - 0.28 / fig_h,
            title,
            ha="left",
            va="center",
            fontsize=12.5,
            fontweight="bold",
            color=TEXT,
        )
    _caption(fig, cap_lines, 0.08, 130)
    return fig


def share_bar_chart(
    shares_df: pd.DataFrame, profile: Profile, out: Path | str, title: str = "", caption: str = ""
) -> Path:
    """Bars of ``share_pct`` per group (``group, name, share_pct, area_km2``), labelled with % and km²."""
    return save_figure(share_bar_figure(shares_df, profile, title, caption), out)


# ---- transfers --------------------------------------------------------------------------------------------
def transfer_figure(matrix: pd.DataFrame, profile: Profile, title: str = "", caption: str = "") -> Figure:
    """The from × to matrix as a table whose off-diagonal cells are shaded by km²; the diagonal (land that
    kept its holder) is shown in grey, not shaded, so it does not drown the transfers."""
    from matplotlib.colors import LinearSegmentedColormap, PowerNorm

    if matrix is None or matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise InputError("transfer matrix", "empty matrix")
    m = matrix.astype(float).fillna(0.0)
    rows, cols = [str(r) for r in m.index], [str(c) for c in m.columns]
    vals = m.to_numpy()
    diag = np.array([[r == c for c in cols] for r in rows])
    off = np.where(diag, np.nan, vals)
    vmax = float(np.nanmax(off)) if np.isfinite(off).any() and np.nanmax(off) > 0 else 1.0
    cap_lines = [caption] if caption else []
    cap_lines.append(
        "Rows: holder at the start; columns: holder at the end. Grey diagonal: land that kept its "
        "holder. Totals are row and column sums."
    )
    cap_h = _caption_height(cap_lines, 120)
    cell_w, cell_h = 1.45, 0.48
    label_w = 2.6
    grid_w = cell_w * (len(cols) + 1)
    grid_h = cell_h * (len(rows) + 1)
    top_h = (0.55 if title else 0.15) + 0.5
    fig_w = max(label_w + grid_w + 0.3, 7.0)
    fig_h = top_h + grid_h + 0.25 + cap_h
    fig = _new_figure(fig_w, fig_h)
    ax = fig.add_axes((label_w / fig_w, (cap_h + 0.2) / fig_h, grid_w / fig_w, grid_h / fig_h))
    cmap = LinearSegmentedColormap.from_list(
        "whoholds_transfer", ["#fff7ec", "#fdbb84", "#d7301f", "#7f0000"]
    )
    norm = PowerNorm(gamma=0.5, vmin=0, vmax=vmax)
    n_r, n_c = len(rows), len(cols)
    ax.set_xlim(0, n_c + 1)
    ax.set_ylim(n_r + 1, 0)
    ax.set_axis_off()
    from matplotlib.patches import Rectangle

    for i in range(n_r + 1):
        for j in range(n_c + 1):
            total_cell = i == n_r or j == n_c
            if i == n_r and j == n_c:
                v, face, colour = float(np.nansum(vals)), "#f2f2f2", TEXT
            elif i == n_r:
                v, face, colour = float(vals[:, j].sum()), "#f2f2f2", TEXT
            elif j == n_c:
                v, face, colour = float(vals[i, :].sum()), "#f2f2f2", TEXT
            elif diag[i, j]:
                v, face, colour = float(vals[i, j]), "#e9e9e9", "#777777"
            else:
                v = float(vals[i, j])
                face = cmap(norm(v)) if v > 0 else "#ffffff"
                colour = "white" if v > 0 and norm(v) > 0.55 else TEXT
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=face, edgecolor="white", linewidth=1.5))
            txt = "–" if v == 0 else f"{v:,.1f}"
            ax.text(
                j + 0.5,
                i + 0.5,
                txt,
                ha="center",
                va="center",
                fontsize=8.6,
                color=colour,
                fontweight="bold" if total_cell else "normal",
            )
    names_r = [profile.display_name(r) for r in rows] + ["Total (end)"]
    names_c = [profile.display_name(c) for c in cols] + ["Total (start)"]
    for i, name in enumerate(names_r):
        ax.text(
            -0.08,
            i + 0.5,
            "\n".join(textwrap.wrap(name, 30)),
            ha="right",
            va="center",
            fontsize=8.4,
            color=TEXT,
            fontweight="bold" if i == n_r else "normal",
        )
    for j, name in enumerate(names_c):
        ax.text(
            j + 0.5,
            -0.1,
            "\n".join(textwrap.wrap(name, 16)),
            ha="center",
            va="bottom",
            fontsize=8.2,
            color=TEXT,
            fontweight="bold" if j == n_c else "normal",
        )
    ax.text(-0.08, -0.1, "from ↓   to →", ha="right", va="bottom", fontsize=8, color=MUTED, style="italic")
    ax.text(n_c + 1, n_r + 1.05, "km²", ha="right", va="top", fontsize=7.5, color=MUTED)
    if title:
        fig.text(
            0.012,
            1 - 0.28 / fig_h,
            title,
            ha="left",
            va="center",
            fontsize=12.5,
            fontweight="bold",
            color=TEXT,
        )
    _caption(fig, cap_lines, 0.08, 120)
    return fig


def transfer_chart(
    matrix: pd.DataFrame, profile: Profile, out: Path | str, title: str = "", caption: str = ""
) -> Path:
    """Draw the transfer matrix (rows: from state, columns: to state, km²) as a heat-map table to ``out``."""
    return save_figure(transfer_figure(matrix, profile, title, caption), out)
