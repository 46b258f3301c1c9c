"""Rates, read once: "300 people a day", "per 24 hours", "weekly", "a daily average of 15 km²", "at a rate of 20
km² a day" → the time unit (`rate_of`, used by `whoholds.claims.quantities` for ``Quantity.per``), and that unit in
days for `check` (`rate_days`).
"""

from __future__ import annotations

import re
from typing import Any

#: Between the number and its rate: words, and codes with digits ("2,000 155mm shells a day"), not other numbers.
_GAP = r"(?:[^\d,.;:()]|\d+[A-Za-z][\w\-]*){0,50}?"
#: "within a year", "in a week", "for a month": a horizon or a span, not a rate.
_SPAN = r"(?<!\bwithin\s)(?<!\bin\s)(?<!\bfor\s)(?<!\bover\s)(?<!\bafter\s)(?<!\binside\s)"
_RATE = re.compile(rf"{_GAP}{_SPAN}\b(?:a|an|per|each|every)\s+(day|week|month|year|hour)\b"
                   r"(?!\s+(?:ago|earlier|later|before|after|on|of|from|since|to)\b)"
                   rf"|{_GAP}\b(daily|weekly|monthly|annually|yearly)\b", re.IGNORECASE)
_RATE_WORDS = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "yearly": "year"}
_RATE_24H = re.compile(r"\s*(?:a|per|every|each)\s+24\s*-?\s*hours?\b", re.IGNORECASE)
#: A rate named before the number: "a daily average of 15 km²", "at a rate of 20 km² a day".
_RATE_BEFORE = re.compile(r"\b(daily|weekly|monthly)\s+(?:average\s+(?:of\s+)?)?(?:\w+\s+){0,2}$"
                          r"|\b(?:[Ee]very|[Ee]ach)\s+(?P<unit>day|week|month),?\s+$"  # "Every day, 300-400 families"
                          r"|\b(?:an?\s+)?average\s+of\s+$|\bat\s+a\s+(?:rate|pace)\s+of\s+$", re.IGNORECASE)
#: Days per rate unit ("year" and "hour" rates are read but not compared with maps).
RATE_DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12}


def rate_of(work: str, start: int, end: int) -> str | None:
    """The one reading of a rate ("300 people a day", "per 24 hours", "a daily average of 15 km²"): the time
    unit, or None. `rate_days` turns it into days for `check`."""
    if _RATE_24H.match(work, end, min(len(work), end + 30)):
        return "day"
    m = _RATE.match(work, end, min(len(work), end + 70))
    if m:
        return m.group(1).lower() if m.group(1) else _RATE_WORDS[m.group(2).lower()]
    b = _RATE_BEFORE.search(work[max(0, start - 45):start])
    if b and b.group("unit"):
        return b.group("unit").lower()
    if b and b.group(1):
        return _RATE_WORDS[b.group(1).lower()]
    if b and re.search(r"\b(?:per|a)\s+day\b|\bdaily\b", work[end:end + 60], re.IGNORECASE):
        return "day"
    return None


def rate_days(sentence: str, q: Any) -> float | None:
    """Days per rate unit when the figure is a rate ("15 km² per day", "a daily average of 15 km²"), else None:
    the rate `rate_of` read into ``q.per``; ``sentence`` is kept for callers."""
    m = re.search(r"per\s+(day|week|month)\b", (q.unit or "").lower())
    if m:
        return RATE_DAYS[m.group(1)]
    return RATE_DAYS.get(q.per or "")
