"""What maps and charts share: the pseudo-states' style, text colours, and making and saving a Figure.

Figures use matplotlib's object API with an Agg canvas (no pyplot state), so they can be drawn from threads
and tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..profiles.model import UNASSIGNED, UNINHABITED

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Drawing style of the pseudo-states (not in any profile): light grey hatch, and white with a pale hatch.
PSEUDO_STYLE: dict[str, dict[str, str]] = {
    UNASSIGNED: {"facecolor": "#e6e6e6", "hatch": "////", "hatchcolor": "#a0a0a0"},
    UNINHABITED: {"facecolor": "#ffffff", "hatch": "....", "hatchcolor": "#b5b5b5"},
}
TEXT_COLOUR = "#222222"
CAPTION_COLOUR = "#555555"


def new_figure(width_in: float, height_in: float) -> Figure:
    """A white 150-dpi Figure of ``width_in`` × ``height_in`` inches on its own Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=150, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def figure_title(fig: Figure, text: str, *, x: float = 0.012, top_in: float = 0.28, size: float = 12.5) -> None:
    """A bold title on the left at ``x`` (figure fraction), centred ``top_in`` inches below the top edge."""
    fig.text(
        x,
        1 - top_in / fig.get_figheight(),
        text,
        ha="left",
        va="center",
        fontsize=size,
        fontweight="bold",
        color=TEXT_COLOUR,
    )


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
    # No creation date in SVGs: the same figure drawn twice gives the same bytes.
    if fmt == "png":
        return {"Software": "whoholds"}
    return {"Creator": "whoholds", "Date": None}
