"""Calendar dates as users type them: the one parser every command, API route and renderer shares."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .errors import QueryError


def parse_day(value: Any, what: str = "date") -> dt.date:
    """``value`` (a date, a datetime or ``YYYY-MM-DD``) as a date; QueryError naming ``what`` otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise QueryError(f"{what} {value!r}", "not a date; use YYYY-MM-DD") from None
