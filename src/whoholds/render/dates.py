"""Dates as the renderers take them (a date, a datetime or ``YYYY-MM-DD``) and print them.

``whoholds.metrics.changes.parse_date`` does the same parsing, but importing it here would make every map
and report need the whole metrics stack (geopandas, the store, geometry layers) at import time, while the
period report is meant to degrade, section by section, when a metrics module is missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ..errors import QueryError


def as_day(value: Any, what: str = "") -> dt.date:
    """``value`` as a calendar date; a datetime gives its date. ``what`` names the value in the error."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problem = "not a date (expected YYYY-MM-DD)"
        raise QueryError(value, f"{what}: {problem}" if what else problem) from None


def date_text(date: Any) -> str:
    """A date for captions: ``YYYY-MM-DD``, with ``HH:MM`` only when the time is not midnight."""
    if date is None:
        return ""
    if isinstance(date, pd.Timestamp | dt.datetime):
        ts = pd.Timestamp(date)
        return ts.date().isoformat() if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M")
    if isinstance(date, dt.date):
        return date.isoformat()
    return str(date)
