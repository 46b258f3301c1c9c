"""Shared fixtures: the real data folder (../shared/data) and small stores built from it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: The one place tests find the real data: $WHOHOLDS_DATA, else ../shared/data beside the repository.
DATA = Path(os.environ.get("WHOHOLDS_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"))
#: Set by .ci/run: a run that expects the real data fails at once instead of skipping the real-data tests.
REQUIRE_DATA = os.environ.get("WHOHOLDS_REQUIRE_DATA", "") not in ("", "0")


def pytest_sessionstart(session: pytest.Session) -> None:
    if REQUIRE_DATA and not (DATA / "SOURCES.md").exists():
        raise pytest.UsageError(f"WHOHOLDS_REQUIRE_DATA is set but the real data is not at {DATA} (set WHOHOLDS_DATA)")


def data_path(*parts: str) -> Path:
    path = DATA.joinpath(*parts)
    if not path.exists():
        if REQUIRE_DATA:
            pytest.fail(f"real data not found at {path} (WHOHOLDS_REQUIRE_DATA is set)")
        pytest.skip(f"real data not found at {path} (set WHOHOLDS_DATA)")
    return path


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return data_path()


@pytest.fixture(scope="session")
def monthly_store(tmp_path_factory: pytest.TempPathFactory):
    """The 41 monthly raw-feed snapshots (2022-04 .. 2025-08) ingested once for the session."""
    from whoholds.ingest import ingest
    from whoholds.profiles import load_profile
    from whoholds.store import Store

    folder = data_path("ukraine", "deepstate_raw_feed_monthly")
    store = Store(tmp_path_factory.mktemp("monthly") / "store")
    report = ingest([folder], load_profile("ukraine"), store, workers=1)
    assert report.ok and report.count("new") == 41
    return store


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL/PostGIS server's DSN (see tests/pg_server.py); skips when none can be started."""
    pytest.importorskip("psycopg")
    from pg_server import postgres_server

    with postgres_server() as dsn:
        if dsn is None:
            pytest.skip("no PostgreSQL/PostGIS server: set WHOHOLDS_TEST_POSTGRES or install postgresql + postgis")
        yield dsn


@pytest.fixture
def pg_dsn(pg_server):
    """A DSN whose tables land in a fresh schema, dropped afterwards."""
    from pg_server import fresh_schema

    with fresh_schema(pg_server) as dsn:
        yield dsn


@pytest.fixture(params=["embedded", "postgres"])
def any_store(request, tmp_path):
    """An empty store of each kind: the store-level tests run against both backends."""
    from whoholds.store_base import open_store

    location = tmp_path / "store" if request.param == "embedded" else request.getfixturevalue("pg_dsn")
    store = open_store(location, create=True)
    yield store
    store.close()


# ---- toy countries built by hand (tests of regions and settlements) ------------------------------------------
def put_toy_snapshot(store, day: str, **states) -> None:
    """Store a hand-made polygon snapshot of ``day``: one feature per state (state=geometry, densified)."""
    import datetime as dt
    import hashlib

    import geopandas as gpd
    import shapely

    from whoholds.types import Snapshot

    geoms = [shapely.segmentize(g, 0.01) for g in states.values()]
    f = gpd.GeoDataFrame({"state": list(states), "label": list(states), "fill": [None] * len(states)},
                         geometry=geoms, crs="EPSG:4326")
    digest = hashlib.sha256(b"".join(shapely.to_wkb(g) for g in geoms) + day.encode()).hexdigest()
    store.put(Snapshot(dt.date.fromisoformat(day), f"toy-{day}", "ukraine", "polygons", f, digest))


def write_three_square_regions(folder: Path) -> Path:
    """A regions file of three 1°×1° squares side by side from 30°E (West, Middle, East; SQ-W/M/E)."""
    import geopandas as gpd
    import shapely

    regions = gpd.GeoDataFrame(
        {"name": ["West", "Middle", "East"], "adm1_code": ["SQ-W", "SQ-M", "SQ-E"]},
        geometry=[shapely.segmentize(shapely.box(x, 48, x + 1, 49), 0.01) for x in (30, 31, 32)], crs=4326)
    path = folder / "square_regions.geojson"
    regions.to_file(path, driver="GeoJSON")
    return path
