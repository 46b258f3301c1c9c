"""Charts (PNG/SVG): shares as bars and the transfer matrix as a heat-map table; the control timeline is in
:mod:`.timeline_plot` and importable from here too.

Colours and names come from the profile (``colour_of``, ``display_name``); every chart carries a caption with
the source and the method, and axes state their units.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import InputError
from .chart_parts import GRID, add_caption, caption_height, state_colour
from .figures import CAPTION_COLOUR, PSEUDO_STYLE, TEXT_COLOUR, figure_title, new_figure, save_figure

# Imports written ``name as name`` are re-exports: callers have always imported these names from here.
from .timeline_plot import SUSPECT as SUSPECT
from .timeline_plot import TIMELINE_COLUMNS as TIMELINE_COLUMNS
from .timeline_plot import timeline_chart as timeline_chart
from .timeline_plot import timeline_figure as timeline_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..profiles.model import Profile

# The colour names this module has always exported (the colours themselves are in .figures).
TEXT, MUTED = TEXT_COLOUR, CAPTION_COLOUR


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
    cap_h = caption_height(cap_lines, 130)
    fig_w, top_h = 9.5, 0.55 if title else 0.2
    bars_h = max(1.2, 0.42 * n + 0.5)
    fig_h = top_h + bars_h + 0.6 + cap_h
    fig = new_figure(fig_w, fig_h)
    label_w = 2.9
    ax = fig.add_axes(
        (label_w / fig_w, (cap_h + 0.55) / fig_h, (fig_w - label_w - 1.9) / fig_w, bars_h / fig_h)
    )
    colours = [state_colour(profile, g) for g in df["group"]]
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
    ax.set_yticks(y, ["\n".join(textwrap.wrap(str(v), 34)) for v in df["name"]], fontsize=8.8, color=TEXT_COLOUR)
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
            color=TEXT_COLOUR,
            annotation_clip=False,
        )
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#888888")
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=8, colors=TEXT_COLOUR)
    ax.grid(True, axis="x", color=GRID, linewidth=0.7)
    ax.set_axisbelow(True)
    ax.set_xlabel("Share of the area (%)", fontsize=8.5, color=TEXT_COLOUR)
    if title:
        figure_title(fig, title)
    add_caption(fig, cap_lines, 0.08, 130)
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
    cap_h = caption_height(cap_lines, 120)
    cell_w, cell_h = 1.45, 0.48
    label_w = 2.6
    grid_w = cell_w * (len(cols) + 1)
    grid_h = cell_h * (len(rows) + 1)
    top_h = (0.55 if title else 0.15) + 0.5
    fig_w = max(label_w + grid_w + 0.3, 7.0)
    fig_h = top_h + grid_h + 0.25 + cap_h
    fig = new_figure(fig_w, fig_h)
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
                v, face, colour = float(np.nansum(vals)), "#f2f2f2", TEXT_COLOUR
            elif i == n_r:
                v, face, colour = float(vals[:, j].sum()), "#f2f2f2", TEXT_COLOUR
            elif j == n_c:
                v, face, colour = float(vals[i, :].sum()), "#f2f2f2", TEXT_COLOUR
            elif diag[i, j]:
                v, face, colour = float(vals[i, j]), "#e9e9e9", "#777777"
            else:
                v = float(vals[i, j])
                face = cmap(norm(v)) if v > 0 else "#ffffff"
                colour = "white" if v > 0 and norm(v) > 0.55 else TEXT_COLOUR
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
            color=TEXT_COLOUR,
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
            color=TEXT_COLOUR,
            fontweight="bold" if j == n_c else "normal",
        )
    ax.text(-0.08, -0.1, "from ↓   to →", ha="right", va="bottom", fontsize=8, color=CAPTION_COLOUR, style="italic")
    ax.text(n_c + 1, n_r + 1.05, "km²", ha="right", va="top", fontsize=7.5, color=CAPTION_COLOUR)
    if title:
        figure_title(fig, title)
    add_caption(fig, cap_lines, 0.08, 120)
    return fig


def transfer_chart(
    matrix: pd.DataFrame, profile: Profile, out: Path | str, title: str = "", caption: str = ""
) -> Path:
    """Draw the transfer matrix (rows: from state, columns: to state, km²) as a heat-map table to ``out``."""
    return save_figure(transfer_figure(matrix, profile, title, caption), out)
