"""Dates as the renderers take them (a date, a datetime or ``YYYY-MM-DD``) and print them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ..dates import parse_day


def as_day(value: Any, what: str = "date") -> dt.date:
    """``value`` as a calendar date; a datetime gives its date. ``what`` names the value in the error."""
    return parse_day(value, what or "date")


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
