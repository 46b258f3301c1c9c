"""What every chart shares: axes style, km² tick labels, state colours, and the wrapped caption at the foot."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from .figures import CAPTION_COLOUR, PSEUDO_STYLE, TEXT_COLOUR

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..profiles.model import Profile

GRID = "#e3e3e3"


def km2_formatter() -> Any:
    """Tick labels in km² with thousands separators; one decimal below 10."""
    from matplotlib.ticker import FuncFormatter

    def fmt(v: float, _pos: int) -> str:
        return f"{v:,.0f}" if abs(v) >= 10 or v == 0 else f"{v:,.1f}"

    return FuncFormatter(fmt)


def style_axes(ax: Axes) -> None:
    """Open axes (no top or right spine) with a light horizontal grid behind the data."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#888888")
    ax.tick_params(colors=TEXT_COLOUR, labelsize=8.5, length=3)
    ax.grid(True, axis="y", color=GRID, linewidth=0.7)
    ax.set_axisbelow(True)


def state_colour(profile: Profile, key: str) -> str:
    """The profile's colour of a state or group; grey for the pseudo-states, which no profile colours."""
    if key in PSEUDO_STYLE:
        return "#9e9e9e"
    return profile.colour_of(key)


def add_caption(fig: Figure, lines: list[str], bottom_in: float, width_chars: int = 150) -> None:
    """The non-empty ``lines``, wrapped at ``width_chars``, in small grey text ``bottom_in`` inches up."""
    text = "\n".join(w for line in lines if line for w in textwrap.wrap(line, width=width_chars))
    if text:
        fig.text(
            0.012,
            bottom_in / fig.get_figheight(),
            text,
            ha="left",
            va="bottom",
            fontsize=7.4,
            color=CAPTION_COLOUR,
            linespacing=1.45,
        )


def caption_height(lines: list[str], width_chars: int = 150) -> float:
    """Inches that :func:`add_caption` needs for ``lines`` (to reserve them when laying out the figure)."""
    n = sum(len(textwrap.wrap(line, width=width_chars)) for line in lines if line)
    return 0.12 + 0.145 * n
