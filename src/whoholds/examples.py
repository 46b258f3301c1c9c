"""The worked examples behind `whoholds demo`: real Ukraine and Syria maps from a local data folder.

Each series goes into its own store under ``root`` (a store holds one series per profile). Ingest is a
no-op the second time, so the demo is cheap to re-run.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import InputError
from .ingest import IngestReport, ingest
from .profiles import load_profile
from .store import Store

DAILY = ("ukraine", "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz")
FEED = ("ukraine", "deepstate_raw_feed_monthly")
SYRIA = ("syria", "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md")
#: The Syria module carries no date; its content dates it to mid/late July 2017 (see the data's README).
SYRIA_DATE = dt.date(2017, 7, 20)
CLAIM = "over 96.5% of the country has been retaken by pro-government forces and militia"


def data_folder(path: str | os.PathLike[str] | None) -> Path:
    folder = Path(path or os.environ.get("WHOHOLDS_DATA", "../shared/data"))
    if not (folder / "ukraine").is_dir() or not (folder / "syria").is_dir():
        raise InputError(folder, "not the whoholds data folder (expected ukraine/ and syria/ inside); "
                                 "pass --data or set WHOHOLDS_DATA")
    return folder


@dataclass
class ExampleStores:
    daily: Store
    feed: Store
    syria: Store
    reports: dict[str, IngestReport]


def build_example_stores(data: Path, root: Path, workers: int | None = None) -> ExampleStores:
    """Ingest the three example series (idempotent)."""
    ukraine, syria = load_profile("ukraine"), load_profile("syria")
    stores = ExampleStores(Store(root / "ukraine-daily"), Store(root / "ukraine-feed"), Store(root / "syria"), {})
    stores.reports["daily"] = ingest([data.joinpath(*DAILY)], ukraine, stores.daily, unlabelled_state="occupied",
                                     workers=workers)
    stores.reports["feed"] = ingest([data.joinpath(*FEED)], ukraine, stores.feed, workers=workers)
    stores.reports["syria"] = ingest([data.joinpath(*SYRIA)], syria, stores.syria, SYRIA_DATE, workers=workers)
    return stores


def ukraine_month_changes(store: Store, year: int, month: int) -> pd.DataFrame:
    """Gains, losses and net by actor over one calendar month, under the one period convention."""
    from .metrics.periods import month as calendar_month
    from .metrics.periods import period_transfers

    result, _ends = period_transfers(store, load_profile("ukraine"), calendar_month(year, month), by="actor")
    return result.summary
