"""How figures are obtained, as printed with every figure: the texts live here, free of any geometry library,
so that reading a cached figure does not import one."""

from __future__ import annotations

AREA_METHOD = (
    "area on the WGS84 ellipsoid: geodesic edges (densified to <=2 km), integrated exactly in authalic "
    "latitude; agrees with GeographicLib/pyproj.Geod to <1e-7"
)
POLYGON_METHOD = (
    "features repaired, clipped to the boundary, overlaps resolved by state priority; " + AREA_METHOD
)


def method_text(kind: str, marker_method: str = "voronoi-capped", max_distance_km: float | None = None) -> str:
    """How the areas of a snapshot of this kind were obtained, as printed with every figure."""
    if kind != "markers":
        return POLYGON_METHOD
    cap = f", cap {max_distance_km} km" if max_distance_km else ""
    return f"marker estimate ({marker_method}{cap}); {AREA_METHOD}"


def method_key(snapshot_kind: str, marker_method: str, max_distance_km: float | None) -> str:
    """The key of a snapshot's cached areas (table ``areas``, column ``method``)."""
    return "polygons" if snapshot_kind != "markers" else f"markers:{marker_method}:{max_distance_km}"
