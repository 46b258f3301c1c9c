"""Periods named in claim text, each with its span: the one reader of "in 2025", "this winter", "between 1
and 7 December", "in the first half of 2025", "since the full-scale invasion"... for `check`, `read` and articles.

Public entry point: :func:`period_mentions` (every period phrase of a text, in order, with its calendar
days); `whoholds.claims.dates.resolve` builds a sentence's `DateInfo` from it. Which *snapshots* a period
compares is decided elsewhere, once, by :mod:`whoholds.metrics.periods`.

Conventions (docs/claims.md): seasons are meteorological (winter = December–February, spring = March–May,
summer = June–August, autumn = September–November); "this/last <season>" and a bare season mean the most
recent one that has begun by the reference date; a period that has not ended by the reference date ends on
it (a statement describes the past); a year without a month is the calendar year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..metrics.periods import Period
from .period_calendar import (
    _MONTHS,
    _NUMBER_WORDS,
    _ORDINAL,
    _clip,
    _last_day,
    _month_part,
    _month_range,
    _part,
    _quarter,
    _relative,
    _season,
    _week_of,
    _year_of_month,
    _year_word,
)
from .period_patterns import _COMPARED, _EVENT_VERB_BEFORE, _M, _PATTERNS, SAME_PERIOD

__all__ = ["EVENT_STARTS", "POINT_KINDS", "SAME_PERIOD", "PeriodMention", "period_mentions"]

#: Mentions that name a point in time ("a year ago", "before the invasion", "at the start of 2024"), not a
#: period: they date the one figure they stand next to, and never define a change's period.
POINT_KINDS = frozenset({"before", "ago", "point", "peak"})
#: After "the area taken last week": a verb giving that area's size ("totals 90 km²") — the period is the figure's.
_MEASURED_AREA = re.compile(r"\s*(?:totals?|totalled|totaled|amounts?\s+to|amounted\s+to|comes?\s+to|came\s+to|"
                            r"stands?\s+at|measures?|measured)\b", re.I)
#: Kinds of phrase that, after an event verb in a clause ("which it seized last month"), date that event.
_EVENT_DATED = frozenset({"year", "month", "relative", "month_part"})

#: Known starts a text may count from ("since the full-scale invasion"), per profile.
EVENT_STARTS: dict[str, tuple[tuple[str, dt.date], ...]] = {
    "syria": (("russian military operation", dt.date(2015, 9, 30)), ("russian intervention", dt.date(2015, 9, 30)),
              ("russian operation", dt.date(2015, 9, 30)), ("operation", dt.date(2015, 9, 30))),
    "ukraine": (("full-scale invasion", dt.date(2022, 2, 24)), ("full scale invasion", dt.date(2022, 2, 24)),
                ("special military operation", dt.date(2022, 2, 24)), ("invasion", dt.date(2022, 2, 24)),
                ("war", dt.date(2022, 2, 24)), ("operation", dt.date(2022, 2, 24))),
}


@dataclass(frozen=True)
class PeriodMention:
    """A period phrase: its span in the text, its calendar days and how it was written."""

    start: int
    end: int
    text: str
    period: Period | None  # None: a period phrase whose dates cannot be told ("since the start of the offensive")
    cumulative: bool = False  # "since ...": counted from a start up to the statement
    kind: str = ""  # month | year | season | half | quarter | range | part | since | relative | point kinds
    unresolved: str = ""


def _event_start(what: str, profile_id: str) -> dt.date | None:
    for key, day in EVENT_STARTS.get(profile_id, ()):
        if key in what:
            return day
    return None


def _month_list(m: re.Match[str], ref: dt.date | None) -> tuple[dt.date, dt.date, bool, str] | None | str:
    """A list of consecutive months as one period; gaps ("in January and March") cannot be one period."""
    names = [m.group("m1"), *re.findall(_M, m.group("mid"), re.I), m.group("m2")]
    nums = [_MONTHS[n.rstrip(".").lower()] for n in names]
    if any(n.rstrip(".").lower() in ("may", "mar") for n in names[1:]) and not m.group("y2"):
        return None  # "and may ..." is a verb far more often than a month
    last_year = int(m.group("y2")) if m.group("y2") else _year_of_month(nums[-1], ref)
    if last_year is None:
        return None
    first_year = int(m.group("y1")) if m.group("y1") else last_year - (nums[0] > nums[-1])
    start = dt.date(first_year, nums[0], 1)
    span = last_year * 12 + nums[-1] - (first_year * 12 + nums[0]) + 1  # months from the first to the last
    is_range = len(nums) == 2 and (m.group("span") is not None
                                   or re.search(r"\b(?:to|through)\b", m.group("mid"), re.I) is not None)
    listed = [(first_year * 12 + nums[0] - 1 + i) % 12 + 1 for i in range(len(nums))]
    if span < 1 or (not is_range and (listed != nums or span != len(nums))):
        return f"the months in {m.group(0).strip()!r} are not one unbroken period"
    return (*_clip(start, _last_day(last_year, nums[-1]), ref), False, "months")


def _from_match(kind: str, m: re.Match[str], ref: dt.date | None, profile_id: str
                ) -> tuple[dt.date, dt.date, bool, str] | None | str:
    """(start, end, cumulative, kind) of one match; a string: a period phrase that cannot be dated."""
    g = m.group
    if kind == "range_dm" or kind == "range_md":
        d1, d2, mon, yr = (g(1), g(2), g(3), g(4)) if kind == "range_dm" else (g(2), g(3), g(1), g(4))
        month_no = _MONTHS[mon.rstrip(".").lower()]
        year = int(yr) if yr else _year_of_month(month_no, ref)
        if year is None or not (1 <= int(d1) <= int(d2) <= calendar.monthrange(year, month_no)[1]):
            return None
        return dt.date(year, month_no, int(d1)), dt.date(year, month_no, int(d2)), False, "range"
    if kind == "range_numeric":  # day.month.year: a running total when it starts on the war's first day
        try:
            ends = [dt.date(int(y) + (2000 if len(y) == 2 else 0), int(mo), int(d))
                    for d, mo, y in ((g(1), g(2), g(3)), (g(4), g(5), g(6)))]
        except ValueError:
            return None
        if ends[0] > ends[1]:
            return None
        started = ends[0] in {day for _name, day in EVENT_STARTS.get(profile_id, ())}
        return ends[0], ends[1], started, "range"
    if kind in ("since", "since_dated"):
        what = g(1).strip().lower()
        if what == "year":
            start = dt.date(ref.year, 1, 1) if ref else None
        elif what.isdigit():
            start = dt.date(int(what), 1, 1)
        elif what.split()[0].rstrip(".") in _MONTHS:
            parts = what.split()
            month_no = _MONTHS[parts[0].rstrip(".")]
            year = int(parts[1]) if len(parts) > 1 else _year_of_month(month_no, ref)
            start = dt.date(year, month_no, 1) if year else None
        elif g(2):  # "since the start of the operation in September 2015": the named month dates the start
            parts = g(2).lower().split()
            if len(parts) == 1 and not parts[0].isdigit():  # "since the fall of Assad in December": the latest
                year = _year_of_month(_MONTHS[parts[0].rstrip(".")], ref)
                if year is None:
                    return None
                parts = [parts[0], str(year)]
            start = (dt.date(int(parts[0]), 1, 1) if len(parts) == 1
                     else dt.date(int(parts[1]), _MONTHS[parts[0].rstrip(".")], 1))
            known = _event_start(what, profile_id)
            if known is not None and (known.year, known.month if len(parts) > 1 else 1) == (
                    start.year, start.month):
                start = known  # the known start lies in the month named: the exact day
        else:
            start = _event_start(what, profile_id)
            if start is None:
                return f"cannot tell when {m.group(0).strip()!r} is"
        if start is None or ref is None:
            return None
        return start, ref, True, "since"
    if kind == "before":
        start = _event_start((g(1) or g(2)).lower(), profile_id)
        if start is None:
            return f"cannot tell when {m.group(0).strip()!r} is"
        day = start - dt.timedelta(days=1)
        return day, day, False, "before"
    if kind == "ago":
        if ref is None:
            return None
        n = int(g(1)) if g(1).isdigit() else _NUMBER_WORDS.get(g(1).lower(), 1)
        unit = g(2).lower().rstrip("s")
        if unit in ("month", "year"):  # "a year earlier" is the same calendar day: 8 April 2020 → 8 April 2019
            months = ref.year * 12 + ref.month - 1 - n * (12 if unit == "year" else 1)
            year, month = divmod(months, 12)
            day = dt.date(year, month + 1, min(ref.day, calendar.monthrange(year, month + 1)[1]))
        else:
            day = ref - dt.timedelta(days=n * (7 if unit == "week" else 1))
        return day, day, False, "ago"
    if kind in ("point", "since_edge"):
        edge, what = g(1).lower(), g(2).lower()
        if what in ("year", "last year") or what.isdigit():
            year = int(what) if what.isdigit() else (None if ref is None else ref.year - ("last" in what))
            if year is None:
                return None
            s0, e0 = dt.date(year, 1, 1), dt.date(year, 12, 31)
        else:
            parts = what.split()
            month_no = _MONTHS[parts[0].rstrip(".")]
            year = int(parts[1]) if len(parts) > 1 else _year_of_month(month_no, ref)
            if year is None:
                return None
            s0, e0 = dt.date(year, month_no, 1), _last_day(year, month_no)
        day = s0 if edge in ("start", "beginning") else e0
        if edge == "middle":
            day = s0 + (e0 - s0) // 2
        if kind == "since_edge":
            return (None if ref is None or day > ref else (day, ref, True, "since"))
        return day, day, False, "point"
    if kind == "week_of":
        return _week_of(g(1), g(2), g(3), ref)
    if kind == "month_part":
        got = _month_part(g(1), g(2), g(3), ref)
        return None if got is None else (got[0], got[1], False, "month")
    if kind == "month_part_range":
        if not (g(1) or g(4)):
            return None  # "between January and March": whole months, read by month_range
        last = _month_part(g(4), g(5), g(6), ref)
        if last is None:
            return None
        n1, n2 = _MONTHS[g(2).rstrip(".").lower()], _MONTHS[g(5).rstrip(".").lower()]
        first = _month_part(g(1), g(2), g(3) or str(last[1].year - (n1 > n2)), None)
        return None if first is None or first[0] > last[1] else (first[0], last[1], False, "range")
    if kind == "to_month":
        last = _month_part(None, g(2), g(3), ref)
        n = int(g(1)) if g(1).isdigit() else _NUMBER_WORDS.get(g(1).lower(), 0)
        if last is None or not 1 <= n <= 36:
            return None
        months = last[0].year * 12 + last[0].month - 1 - (n - 1)
        return dt.date(months // 12, months % 12 + 1, 1), last[1], False, "months"
    if kind == "to_date":
        month = _MONTHS[(g(4) or g(5)).rstrip(".").lower()]
        day = int(g(3) or g(6))
        year = int(g(7)) if g(7) else (ref.year - (1 if (month, day) > (ref.month, ref.day) else 0) if ref else None)
        if year is None:
            return None
        try:
            end = dt.date(year, month, day)
        except ValueError:
            return None
        n = int(g(1)) if g(1) and g(1).isdigit() else _NUMBER_WORDS.get((g(1) or "").lower(), 1)
        days = n * (7 if g(2).lower().startswith("week") else 1)
        return end - dt.timedelta(days=days - 1), end, False, "relative"
    if kind == "to_weekday":
        if ref is None:
            return None
        day_no = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday").index(g(3).lower())
        end = ref - dt.timedelta(days=(ref.weekday() - day_no) % 7)
        n = int(g(1)) if g(1) and g(1).isdigit() else _NUMBER_WORDS.get((g(1) or "").lower(), 1)
        days = n * (7 if g(2).lower().startswith("week") else 1)
        return end - dt.timedelta(days=days - 1), end, False, "relative"
    if kind == "peak":
        if g(2):  # "at the peak of their incursion in August 2024": the end of that month (or year)
            end = _last_day(int(g(2)), _MONTHS[g(1).rstrip(".").lower()]) if g(1) else dt.date(int(g(2)), 12, 31)
            return end, end, False, "peak"
        return f"{m.group(0).strip()!r} is an earlier point in time the text does not date"
    if kind == "the_year":
        years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", m.string)]
        if len(set(years)) != 1:
            return None  # no year named, or several: which year is meant cannot be told from this phrase
        return (*_clip(dt.date(years[0], 1, 1), dt.date(years[0], 12, 31), ref), False, "year")
    if kind == "range_dates":
        d1, m1 = (g(1), g(2)) if g(1) else (g(4), g(3))
        d2, m2 = (g(6), g(7)) if g(6) else (g(9), g(8))
        n1, n2 = _MONTHS[m1.rstrip(".").lower()], _MONTHS[m2.rstrip(".").lower()]
        year2 = int(g(10)) if g(10) else (int(g(5)) + (n2 < n1) if g(5) else None)
        if year2 is None:
            if ref is None:
                return None
            year2 = ref.year if (n2, int(d2)) <= (ref.month, ref.day) else ref.year - 1
        year1 = int(g(5)) if g(5) else year2 - ((n1, int(d1)) > (n2, int(d2)))
        try:
            start, end = dt.date(year1, n1, int(d1)), dt.date(year2, n2, int(d2))
        except ValueError:
            return None
        return (*_clip(start, end, ref), False, "range") if start <= end else None
    if kind == "today":
        return None if ref is None else (ref, ref, False, "today")
    if kind == "weekend":
        if ref is None:
            return None
        saturday = ref - dt.timedelta(days=(ref.weekday() - 5) % 7)
        return saturday, min(saturday + dt.timedelta(days=1), ref), False, "weekend"
    if kind == "half":
        year = _year_word(g(2), ref)
        if year is None:
            return None
        first = _ORDINAL[g(1).lower()] == 1
        s, e = (dt.date(year, 1, 1), dt.date(year, 6, 30)) if first else (dt.date(year, 7, 1), dt.date(year, 12, 31))
        return (*_clip(s, e, ref), False, "half")
    if kind == "quarter":
        return _quarter(g(2), g(3), g(1) or g(4), ref)
    if kind == "month_range":
        return _month_range(g(1) or g(5), g(2), g(3) or g(6), g(4) or g(7), ref)
    if kind == "part":
        return _part(g(1).lower(), g(2).lower(), g(3).lower(), g(4), ref)
    if kind == "season":
        which = (g(1) or "").lower()
        if not which and not g(3) and not re.search(r"\b(in|during|over|throughout|for)\s+(the\s+)?$",
                                                     m.string[:m.start()].lower()):
            return None  # "a spring offensive": not a period
        got = _season(g(2).lower(), int(g(3)) if g(3) else None, ref, last=which in ("last", "past"))
        return None if got is None else (*got, False, "season")
    if kind == "months":
        return _month_list(m, ref)
    if kind == "months_of":
        words = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven")
        n = int(g(2)) if g(2).isdigit() else words.index(g(2).lower()) + 2
        year = int(g(3))
        if not 1 <= n <= 12:
            return None
        first = g(1).lower() == "first"
        s0 = dt.date(year, 1, 1) if first else dt.date(year, 13 - n, 1)
        e0 = _last_day(year, n) if first else dt.date(year, 12, 31)
        return (*_clip(s0, e0, ref), False, "months_of")
    if kind == "month":
        mon = g(1) or g(3) or g(5) or g(7) or g(9)
        yr = g(2) or g(4) or g(6) or g(8)
        if mon.rstrip(".").lower() in ("may", "mar") and not (g(1) or yr):
            return None  # "and may", "and mar..." are verbs far more often than months
        month_no = _MONTHS[mon.rstrip(".").lower()]
        year = int(yr) if yr else _year_of_month(month_no, ref)
        if year is None:
            return None
        return (*_clip(dt.date(year, month_no, 1), _last_day(year, month_no), ref), False, "month")
    if kind == "relative":
        got = _relative(m, ref)
        return None if got is None else (got[0], got[1], got[2], "relative")
    if kind == "year":
        year = int(g(1))
        return (*_clip(dt.date(year, 1, 1), dt.date(year, 12, 31), ref), False, "year")
    return None


def period_mentions(text: str, ref: dt.date | None, profile_id: str = "") -> list[PeriodMention]:
    """Every period phrase of ``text`` (non-overlapping, earlier patterns first), in text order.

    ``ref`` is the statement's (or article's) date: it dates "this winter", "last month", a month without a
    year (the latest one begun by then) and ends a period still running.
    """
    # "the biggest gain since March 2022" compares; it does not start a period.
    masked = re.sub(r"\b(biggest|largest|highest|lowest|fastest|slowest|smallest|most|least|best|worst|first)\b"
                    r"([^,.;]{0,40}?)\bsince\b[^,.;]*", lambda mm: " " * len(mm.group(0)), text, flags=re.I)
    taken: list[tuple[int, int]] = []
    out: list[PeriodMention] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(masked):
            s, e = m.start(), m.end()
            while s < e and masked[s].isspace():
                s += 1
            if any(s < b and a < e for a, b in taken):
                continue
            if _COMPARED.search(masked[max(0, s - 40):s]) and not re.match(r"\s*,?\s*when\b", masked[e:e + 12]):
                # ("more than in June, when they took 556 km²": June dates its own figure)
                taken.append((s, e))  # "the same period last year": what the figure is compared with
                continue
            if kind in _EVENT_DATED and _EVENT_VERB_BEFORE.search(masked[max(0, s - 60):s]) \
                    and not _MEASURED_AREA.match(masked, e):
                taken.append((s, e))  # "Crimea, which it annexed in 2014": dates that event, not a figure
                continue
            got = _from_match(kind, m, ref, profile_id)
            if got is None:
                continue
            taken.append((s, e))
            phrase = text[s:e].strip()
            if isinstance(got, str):
                out.append(PeriodMention(s, e, phrase, None, True, kind, got))
                continue
            start, end, cumulative, k = got
            if (k in ("ago", "point") or kind == "month_part") and ref is not None and re.search(
                    r"\bsince\b[^,.;\d]{0,40}$", masked[max(0, s - 50):s], re.I):
                # "since the offensive began a week ago", "since launching an assault in mid-November": a start
                end, cumulative, k = ref, True, "since"
            out.append(PeriodMention(s, e, phrase, Period(start, end, phrase), cumulative, k))
    for m in SAME_PERIOD.finditer(masked):
        if not any(m.start() < b and a < m.end() for a, b in taken):
            out.append(PeriodMention(m.start(), m.end(), m.group(0), None, False, "same",
                                     f"{m.group(0)!r} refers to a period named earlier in the text"))
    return sorted(out, key=lambda p: p.start)
