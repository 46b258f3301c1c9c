"""What a figure means, in plain words: the denominator, the boundary and the method, said once per command.

The technical method strings (``method`` provenance columns) stay in machine formats and ``--verbose``;
these sentences are for people reading a terminal or a report.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..profiles.model import Profile


def boundary_sentence(boundary: Any) -> str:
    """``Denominator: Ukraine, 599,094.6 km² (Natural Earth ...; Crimea is inside ...).``"""
    note = " ".join(str(getattr(boundary, "note", "") or "").split())
    note = re.sub(r"\s*\(~?[\d,.]+ ?km2? less than[^)]*\)", "", note)  # keep the note to its point
    area = getattr(boundary, "area_km2", None)
    size = f", {area:,.1f} km²" if isinstance(area, int | float) else ""
    return f"Denominator: {getattr(boundary, 'name', 'the boundary')}{size}" + (f" — {note}" if note else ".")


def default_holder_sentence(profile: Profile) -> str:
    """What the profile's default holder means (land the map leaves blank), or ''."""
    if profile.default_holder is None:
        return ""
    name = profile.display_name(profile.default_holder)
    return f"“{name}” is land inside the boundary that the map leaves uncovered."


def polygon_method_sentence() -> str:
    return ("Method: areas measured on the Earth's ellipsoid from the map's polygons, clipped to the boundary; "
            "where drawn areas overlap, the profile's priority decides.")


def change_sentence() -> str:
    return ("Gains = land a group holds at the end and not at the start; losses = the reverse; "
            "net = gains − losses (gross figures, not interpolated over gaps).")


def marker_method_sentence(methods: list[str] | tuple[str, ...] = (), max_distance_km: float | None = None) -> str:
    """How marker maps (dots for places) become territory."""
    capped = any(m.endswith("capped") for m in methods) or not methods
    cap = f" (cells reach at most {max_distance_km:g} km from a dot)" if capped and max_distance_km else ""
    return ("Method: the map shows dots for places, not areas; land is shared out to the holder of the nearest "
            f"dot{cap}, so territory figures are estimates — the range across methods shows how firm they are.")


def settlement_sentence(source: str) -> str:
    where = {"geonames": "GeoNames populated places (places of 500+ people)",
             "gazetteer": "the full GeoNames gazetteer of populated places",
             "markers": "the settlement markers of the snapshots"}.get(source, f"places from {source}")
    return f"Settlements: {where}; a place changed hands when its holder differs between the two dates."


def figure_definitions(profile: Profile, boundary: Any, kind: str = "polygons", **extra: Any) -> list[str]:
    """The sentences that define a command's figures: denominator, what the default holder is, method."""
    lines = [boundary_sentence(boundary)] if boundary is not None else []
    if kind == "markers":
        lines.append(marker_method_sentence(extra.get("methods", ()), extra.get("max_distance_km")))
    else:
        lines.append(polygon_method_sentence())
        held = default_holder_sentence(profile)
        if held:
            lines.append(held)
    if extra.get("changes"):
        lines.append(change_sentence())
    return lines
