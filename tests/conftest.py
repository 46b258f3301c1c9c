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
