"""Figures that are not plausible quantities: a claim about one is never rated, least of all "false".

Two kinds: numerals the number reader refuses (`whoholds.claims.numbers` reads no digit run over `MAX_DIGITS`
digits and no scientific notation, so "1e309" or a 27-digit number never becomes a figure), and figures it
reads whose size no map can have (a share over 100 % of a country, an area larger than the Earth's surface).
`check` says "cannot be checked: the figure ... is not a plausible quantity" for both.
"""

from __future__ import annotations

import math
import re

from .numbers import MAX_DIGITS

__all__ = ["EARTH_SURFACE_KM2", "implausible_reason", "unreadable_numerals"]

#: The surface area of the WGS84 ellipsoid (km²): no area claim can exceed it.
EARTH_SURFACE_KM2 = 510_065_622.0
#: A count of settlements or people beyond this is no count of anything on a map.
_MAX_COUNT = 1e10

_SCIENTIFIC = re.compile(r"(?<![\w.])\d+(?:\.\d+)?[eE][+-]?\d+(?![\w.])")
_DIGIT_RUN = re.compile(r"(?<![\w.])\d[\d,.\u202f\u00a0 ]*\d(?![\w])")


def unreadable_numerals(text: str) -> list[tuple[str, float, int, int]]:
    """Numerals in ``text`` too large or too odd to be a figure: (surface, value, start, end); the value is
    ``inf`` when it does not fit a float ("1e309")."""
    out: list[tuple[str, float, int, int]] = []
    for m in _SCIENTIFIC.finditer(text):
        out.append((m.group(0), _float(m.group(0)), m.start(), m.end()))
    for m in _DIGIT_RUN.finditer(text):
        surface = m.group(0).rstrip(",. ")
        digits = re.sub(r"\D", "", surface.split(".")[0] if surface.count(".") == 1 else surface)
        if len(digits) > MAX_DIGITS and not any(s <= m.start() < e for _t, _v, s, e in out):
            out.append((surface, _float(digits), m.start(), m.start() + len(surface)))
    return sorted(out, key=lambda t: t[2])


def _float(text: str) -> float:
    try:
        value = float(text)
    except (ValueError, OverflowError):
        return math.inf
    return value


def implausible_reason(value: float, metric: str, surface: str = "") -> str:
    """Why ``value`` cannot be a figure of ``metric`` ("" when it can)."""
    shown = surface or f"{value:g}"
    why = ""
    if not math.isfinite(value):
        why = "it is not a finite number"
    elif metric in ("share", "share_change") and abs(value) > 100:
        why = "a share of a country cannot exceed 100%"
    elif metric in ("area", "area_change") and abs(value) > EARTH_SURFACE_KM2:
        why = f"it is larger than the Earth's surface ({EARTH_SURFACE_KM2:,.0f} km²)"
    elif abs(value) > _MAX_COUNT and metric not in ("area", "area_change"):
        why = "no count on a map is that large"
    return f"the figure {shown!r} is not a plausible quantity: {why}" if why else ""
