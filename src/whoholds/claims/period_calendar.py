"""Calendar stretches named in text, as whole dates: quarters ("Q3 2025", "the first quarter"), month ranges
("between December and March", across a year end) and parts of a year or month ("the last three months of
2024"). Helpers of `whoholds.claims.period_text`, the one reader of periods in text; they never read text
themselves beyond the words its patterns captured.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
            "last": 0, "final": 0}
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _clip(start: dt.date, end: dt.date, ref: dt.date | None) -> tuple[dt.date, dt.date]:
    """A period that has not ended by the reference date ends on it (a statement describes the past)."""
    if ref is not None and start <= ref < end:
        end = ref
    return start, end


def _year_of_month(month: int, ref: dt.date | None) -> int | None:
    """The year that puts the month's first day on or before the reference date."""
    if ref is None:
        return None
    return ref.year if dt.date(ref.year, month, 1) <= ref else ref.year - 1


def _year_word(text: str, ref: dt.date | None) -> int | None:
    t = text.lower()
    if t.isdigit():
        return int(t)
    if ref is None:
        return None
    return ref.year - 1 if "last" in t else ref.year


def _quarter(ordinal: str | None, digit: str | None, year_s: str | None, ref: dt.date | None
             ) -> tuple[dt.date, dt.date, bool, str] | None:
    """A calendar quarter: "the first quarter of 2025", "Q3 2025"; without a year, the latest quarter begun by
    the reference date ("the last quarter": the latest one ended by it)."""
    word = (ordinal or "").lower()
    q = int(digit) if digit else _ORDINAL[word]
    if year_s is not None:
        year = _year_word(year_s, ref)
        if year is None:
            return None
        q = q or 4  # "the last quarter of 2024"
    elif ref is None:
        return None
    else:
        current = (ref.month - 1) // 3 + 1
        year = ref.year
        if q == 0:  # "in the last quarter": the one before the current one
            q, year = (current - 1, year) if current > 1 else (4, year - 1)
        elif q > current:  # "the fourth quarter" said in February: last year's
            year -= 1
    start = dt.date(year, 3 * q - 2, 1)
    return (*_clip(start, _last_day(year, 3 * q), ref), False, "quarter")


def _month_range(first: str, first_year: str | None, last: str, last_year: str | None, ref: dt.date | None
                 ) -> tuple[dt.date, dt.date, bool, str] | None:
    """Whole months from ``first`` to ``last``; without years, the last month is the latest begun by the
    reference date and the first the latest before it ("between December and March" spans a year end)."""
    m1, m2 = _MONTHS[first.rstrip(".").lower()], _MONTHS[last.rstrip(".").lower()]
    y2 = int(last_year) if last_year else (int(first_year) + (m2 < m1) if first_year else _year_of_month(m2, ref))
    if y2 is None:
        return None
    y1 = int(first_year) if first_year else (y2 if m1 <= m2 else y2 - 1)
    start, end = dt.date(y1, m1, 1), _last_day(y2, m2)
    if start > end:
        return None
    return (*_clip(start, end, ref), False, "range")


def _part(edge: str, n_s: str, unit: str, what: str, ref: dt.date | None
          ) -> tuple[dt.date, dt.date, bool, str] | None:
    """"the first three months of 2025", "the last six weeks of 2024": a stretch at one end of a year/month."""
    n = int(n_s) if n_s.isdigit() else _NUMBER_WORDS.get(n_s, 1)
    w = what.lower().split()
    if w[0].rstrip(".") in _MONTHS:
        month_no = _MONTHS[w[0].rstrip(".")]
        year = int(w[1]) if len(w) > 1 else _year_of_month(month_no, ref)
        if year is None:
            return None
        s0, e0 = dt.date(year, month_no, 1), _last_day(year, month_no)
    else:
        year = _year_word(what if what.isdigit() else ("last year" if "last" in what else "this year"), ref)
        if year is None:
            return None
        s0, e0 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if unit == "months":
        if edge == "first":
            start, end = s0, _last_day(s0.year, min(12, s0.month + n - 1)) if s0.month + n - 1 <= 12 else e0
        else:
            m = e0.month - n + 1
            start, end = (dt.date(e0.year, m, 1) if m >= 1 else s0), e0
    else:
        days = n * (7 if unit == "weeks" else 1)
        start, end = ((s0, s0 + dt.timedelta(days=days - 1)) if edge == "first"
                      else (e0 - dt.timedelta(days=days - 1), e0))
    start, end = max(start, s0), min(end, e0)
    return (*_clip(start, end, ref), False, "part")


def _month_part(part: str | None, month: str, year_s: str | None, ref: dt.date | None
                ) -> tuple[dt.date, dt.date] | None:
    """Days 1–10 ("early"), 11–20 ("mid"), 21–end ("late") of a month, or the whole month; clipped at ``ref``."""
    month_no = _MONTHS[month.rstrip(".").lower()]
    year = int(year_s) if year_s else _year_of_month(month_no, ref)
    if year is None:
        return None
    first, last = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}.get((part or "").lower(), (1, 31))
    end = min(dt.date(year, month_no, min(last, calendar.monthrange(year, month_no)[1])), ref or dt.date.max)
    start = dt.date(year, month_no, first)
    return (start, end) if start <= end else None


def _week_of(ordinal: str, month: str, year_s: str | None, ref: dt.date | None
             ) -> tuple[dt.date, dt.date, bool, str] | None:
    """"the third week of July": days 15–21; "the last week of July": its last seven days; clipped at ``ref``."""
    month_no = _MONTHS[month.rstrip(".").lower()]
    year = int(year_s) if year_s else _year_of_month(month_no, ref)
    if year is None:
        return None
    n = _ORDINAL[ordinal.lower()]
    last = _last_day(year, month_no)
    start = dt.date(year, month_no, 7 * (n - 1) + 1) if n else last - dt.timedelta(days=6)
    end = start + dt.timedelta(days=6) if n else last
    if ref is not None and start > ref:
        return None
    return (*_clip(start, min(end, last), ref), False, "week")


_SEASONS = {"winter": 12, "spring": 3, "summer": 6, "autumn": 9, "fall": 9}


def _season(name: str, year: int | None, ref: dt.date | None, last: bool = False) -> tuple[dt.date, dt.date] | None:
    first = _SEASONS[name]
    if year is not None:  # "the winter of 2024" / "winter 2024-25": the winter that starts in December 2024
        start = dt.date(year, first, 1)
    elif ref is None:
        return None
    else:
        start = dt.date(ref.year, first, 1)
        while start > ref:
            start = dt.date(start.year - 1, first, 1)
        if last and ref <= _season_end(start):
            start = dt.date(start.year - 1, first, 1)
    return _clip(start, _season_end(start), ref)


def _season_end(start: dt.date) -> dt.date:
    m = start.month + 2
    y = start.year + (m - 1) // 12
    return _last_day(y, (m - 1) % 12 + 1)


def _relative(m: re.Match[str], ref: dt.date | None) -> tuple[dt.date, dt.date, bool] | None:
    if ref is None:
        return None
    low = m.group(0).lower()
    if "year to date" in low:
        return dt.date(ref.year, 1, 1), ref, True
    if m.group(4):  # so far this week/month/year
        unit = m.group(4).lower()
        return _this(unit, ref) + (True,)
    which, n_s, unit = m.group(1).lower(), m.group(2), m.group(3).lower()
    unit = "day" if unit.startswith("24") else unit.rstrip("s")
    n = int(n_s) if n_s and n_s.isdigit() else _NUMBER_WORDS.get((n_s or "").lower(), 1)
    if which in ("this", "current"):
        return _this(unit, ref) + (True,)
    if which in ("last", "previous") and n_s is None and unit in ("week", "month", "year"):
        # "last month": the previous calendar month; "last week": the previous Monday–Sunday
        if unit == "month":
            prev = ref.replace(day=1) - dt.timedelta(days=1)
            return prev.replace(day=1), prev, False
        if unit == "year":
            return dt.date(ref.year - 1, 1, 1), dt.date(ref.year - 1, 12, 31), False
        monday = ref - dt.timedelta(days=ref.weekday() + 7)
        return monday, monday + dt.timedelta(days=6), False
    days = {"day": n, "week": 7 * n, "month": 30 * n, "year": 365 * n}[unit]
    return ref - dt.timedelta(days=days - 1), ref, False


def _this(unit: str, ref: dt.date) -> tuple[dt.date, dt.date]:
    if unit == "year":
        return dt.date(ref.year, 1, 1), ref
    if unit == "month":
        return ref.replace(day=1), ref
    if unit == "week":
        return ref - dt.timedelta(days=ref.weekday()), ref
    return ref, ref
