"""Dates and periods in claim text, resolved against a reference date (the article's or the statement's).

Covers what territorial claims use: explicit dates ("on December 11", "11 December 2018", "2018-12-11"),
months ("in November", "in November 2024", "last month"), cumulative periods ("since the start of the year",
"since the start of 2018", "since the start of the operation") and recent spans ("over the past week").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTH_ABBR = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTH_ABBR["sept"] = 9
MONTH_NUM = {**_MONTH_ABBR, **_MONTH_NAMES}
_M = r"(?:" + "|".join(sorted(MONTH_NUM, key=len, reverse=True)) + r")\.?"

#: Explicit calendar dates: "December 11, 2018", "11 December 2018", "Dec. 11", "2018-12-11", "11.12.2018".
DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_M})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_M})(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<dd>\d{{1,2}})\.(?P<mm>\d{{1,2}})\.(?P<yy>\d{{4}}))\b",
    re.IGNORECASE,
)
_MONTH_YEAR_RE = re.compile(rf"\b(?P<m>{_M})\s+(?P<y>\d{{4}})\b", re.IGNORECASE)
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}

#: Known starts of operations a text may count from, per profile ("since the start of the operation").
EVENT_STARTS: dict[str, tuple[tuple[str, dt.date], ...]] = {
    "syria": (
        ("russian military operation", dt.date(2015, 9, 30)),
        ("russian operation", dt.date(2015, 9, 30)),
        ("operation", dt.date(2015, 9, 30)),
    ),
    "ukraine": (
        ("full-scale invasion", dt.date(2022, 2, 24)),
        ("special military operation", dt.date(2022, 2, 24)),
        ("invasion", dt.date(2022, 2, 24)),
        ("war", dt.date(2022, 2, 24)),
        ("operation", dt.date(2022, 2, 24)),
    ),
}


@dataclass(frozen=True)
class DateInfo:
    """What a sentence says about time: a statement date, an as-of date, a period."""

    said_on: dt.date | None = None
    as_of: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_text: str = ""
    cumulative: bool = False
    unresolved: str = ""


def mask_dates(text: str) -> str:
    """``text`` with explicit calendar dates blanked out (same length), so their digits are not figures."""
    return DATE_RE.sub(lambda m: " " * len(m.group(0)), text)


def _year_for(month: int, day: int, ref: dt.date) -> int:
    """The year that puts month/day on or before the reference date (a text talks about the past)."""
    try:
        cand = dt.date(ref.year, month, min(day, calendar.monthrange(ref.year, month)[1]))
    except ValueError:
        return ref.year
    return ref.year if cand <= ref + dt.timedelta(days=1) else ref.year - 1


def _date_from_match(m: re.Match[str], ref: dt.date | None) -> dt.date | None:
    try:
        if m.group("iso"):
            return dt.date.fromisoformat(m.group("iso"))
        if m.group("yy"):
            return dt.date(int(m.group("yy")), int(m.group("mm")), int(m.group("dd")))
        month_s = (m.group("m1") or m.group("m2")).rstrip(".").lower()
        day = int(m.group("d1") or m.group("d2"))
        year_s = m.group("y1") or m.group("y2")
        month = MONTH_NUM[month_s]
        if year_s:
            return dt.date(int(year_s), month, day)
        if ref is None:
            return None
        return dt.date(_year_for(month, day, ref), month, day)
    except (ValueError, KeyError):
        return None


def find_dates(text: str, ref: dt.date | None = None) -> list[tuple[dt.date, int, int]]:
    """Explicit dates in ``text`` with their spans; a date without year takes the year before ``ref``."""
    out = []
    for m in DATE_RE.finditer(text):
        d = _date_from_match(m, ref)
        if d is not None:
            out.append((d, m.start(), m.end()))
    return out


def parse_date(text: str) -> dt.date | None:
    """The first explicit full date in ``text`` (with a year), or None."""
    for m in DATE_RE.finditer(text):
        d = _date_from_match(m, None)
        if d is not None:
            return d
    m = re.search(r"\b(\d{4})-(\d{2})\b", text)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), 1)
    return None


def month_period(month: int, year: int, ref: dt.date | None = None) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    if ref is not None and start <= ref < end:
        end = ref
    return start, end


def resolve(sentence: str, ref: dt.date | None, profile_id: str = "") -> DateInfo:
    """Dates and periods of one sentence, relative to ``ref`` (the statement or article date)."""
    low = sentence.lower()
    said_on = as_of = start = end = None
    period_text = ""
    cumulative = False
    unresolved = ""

    # "said on December 11" / "on Monday": the date of the statement.
    for d, s, _e in find_dates(sentence, ref):
        before = low[max(0, s - 40):s]
        if re.search(r"\b(as of|as at|by)\s*$", before):
            as_of = d
        elif re.search(r"\b(since|from)\s*$", before):
            start, period_text, cumulative = d, sentence[s - 6:_e].strip(), True
        elif said_on is None:
            said_on = d
    if said_on is None and ref is not None:
        m = re.search(r"\bon\s+(" + "|".join(_WEEKDAYS) + r")\b", low)
        if m:
            back = (ref.weekday() - _WEEKDAYS[m.group(1)]) % 7
            said_on = ref - dt.timedelta(days=back)

    # "the biggest gain since March 2022" compares, it does not start a period: blank such phrases out.
    low = re.sub(r"\b(biggest|largest|highest|lowest|fastest|slowest|smallest|most|least|best|worst|first)\b"
                 r"([^,.;]{0,40}?)\bsince\b[^,.;]*", lambda mm: " " * len(mm.group(0)), low)
    # Cumulative periods: "since the start of the year", "since the beginning of 2018", "since January".
    m = re.search(r"\bsince\s+(?:the\s+)?(?:start|beginning)\s+of\s+(?:the\s+)?(?:this\s+)?(year|\d{4}|"
                  + _M + r"(?:\s+\d{4})?|[a-z\- ]{3,60}?)(?=[,.;]|\s+(?:in|have|has|had|were|was|,)\b|$)", low)
    base = said_on or as_of or ref
    if m and start is None:
        what = m.group(1).strip()
        period_text = m.group(0).strip()
        cumulative = True
        if what == "year":
            start = dt.date(base.year, 1, 1) if base else None
        elif what.isdigit():
            start = dt.date(int(what), 1, 1)
        elif what.split()[0].rstrip(".") in MONTH_NUM:
            parts = what.split()
            month = MONTH_NUM[parts[0].rstrip(".")]
            year = int(parts[1]) if len(parts) > 1 else (_year_for(month, 1, base) if base else None)
            start = dt.date(year, month, 1) if year else None
        else:
            for key, day in EVENT_STARTS.get(profile_id, ()):
                if key in what:
                    start = day
                    break
            else:
                unresolved = f"cannot tell when {period_text!r} is"
    elif start is None:
        m = re.search(r"\bsince\s+(" + _M + r")(?:\s+(\d{4}))?\b", low)
        m2 = re.search(r"\bsince\s+(\d{4})\b", low)
        if m:
            month = MONTH_NUM[m.group(1).rstrip(".")]
            year = int(m.group(2)) if m.group(2) else (_year_for(month, 1, base) if base else None)
            if year:
                start, period_text, cumulative = dt.date(year, month, 1), m.group(0), True
        elif m2:
            start, period_text, cumulative = dt.date(int(m2.group(1)), 1, 1), m2.group(0), True
        elif re.search(r"\bthis year\b|\byear to date\b|\bso far this year\b", low) and base:
            start, period_text, cumulative = dt.date(base.year, 1, 1), "this year", True

    # Calendar months: "in November", "during November 2024", "last month", "this month".
    if start is None:
        m = re.search(r"\b(?:in|during|over|throughout|for)\s+(?:the\s+month\s+of\s+)?(" + _M
                      + r")(?:\s+(\d{4}))?\b", low)
        if m and base:
            month = MONTH_NUM[m.group(1).rstrip(".")]
            year = int(m.group(2)) if m.group(2) else _year_for(month, 1, base)
            start, end = month_period(month, year, base)
            period_text = m.group(0)
        elif base and re.search(r"\blast month\b|\bprevious month\b|\bpast month\b", low):
            first = base.replace(day=1) - dt.timedelta(days=1)
            if "past month" in low:
                start, end = base - dt.timedelta(days=30), base
            else:
                start, end = month_period(first.month, first.year)
            period_text = "last month" if "past month" not in low else "the past month"
        elif base and re.search(r"\bthis month\b|\bso far this month\b", low):
            start, end, period_text = base.replace(day=1), base, "this month"
        else:
            m = re.search(r"\b(?:over|in|during)\s+the\s+(?:past|last)\s+(?:(\d+|two|three|four|seven)\s+)?"
                          r"(day|week|month|year|hours?|days|weeks|months)\b", low)
            if m and base:
                words = {"two": 2, "three": 3, "four": 4, "seven": 7}
                n = m.group(1)
                n = int(n) if n and n.isdigit() else words.get(n or "", 1)
                unit = m.group(2).rstrip("s")
                days = {"hour": n / 24, "day": n, "week": 7 * n, "month": 30 * n, "year": 365 * n}[unit]
                start, end = base - dt.timedelta(days=max(1, round(days))), base
                period_text = m.group(0)
            elif base and re.search(r"\blast week\b", low):
                start, end, period_text = base - dt.timedelta(days=7), base, "last week"
    if start is not None and end is None:
        end = as_of or said_on or ref
    return DateInfo(said_on=said_on, as_of=as_of, period_start=start, period_end=end,
                    period_text=period_text.strip(), cumulative=cumulative, unresolved=unresolved)
