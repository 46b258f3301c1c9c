"""The one period convention of whoholds: which two snapshots a period's change compares.

A period is a closed range of calendar days [start, end] ("November 2024" = 1–30 November). Its change
compares **the last snapshot on or before the day before ``start``** (the end of the previous period) with
**the last snapshot on or before ``end``** -- the convention of the agencies that publish monthly gains, so
that consecutive months add up with nothing counted twice and nothing left out.

Every place that reports a change over a period calls :func:`period_endpoints` (or :func:`month`/
:func:`parse_period` to name the period first): ``whoholds check`` and ``read`` through the claims stage,
``changes`` given a month, the timeline's day/week/month periods, the report, the API and the demo.

A period is *partial* when the archive does not cover it: no snapshot before it starts (the first snapshot
inside the period is used instead) or the archive ends before the period does. Partial periods are
flagged (``partial`` and ``note``) and every output prints the note.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CONVENTION",
    "Period",
    "PeriodEndpoints",
    "month",
    "parse_period",
    "period_bounds",
    "period_endpoints",
    "store_period_endpoints",
]

#: Steps a timeline can take: each snapshot, or calendar days, weeks (Monday-Sunday), months and years.
EVERY = ("snapshot", "day", "week", "month", "year")


def check_every(every: str) -> str:
    """``every`` if it is a timeline step, else a one-line QueryError naming the choices."""
    if every not in EVERY:
        from ..errors import QueryError

        raise QueryError(f"--every {every}", f"unknown period; use one of: {', '.join(EVERY)}")
    return every


CONVENTION = ("a period's change compares the last snapshot on or before the end of the previous period with "
              "the last snapshot on or before the period's end")


@dataclass(frozen=True)
class Period:
    """Calendar days ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date
    label: str = ""

    @property
    def base_day(self) -> dt.date:
        """The end of the previous period: the change starts from the last snapshot on or before it."""
        return self.start - dt.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def describe(self) -> str:
        return self.label or f"{self.start} – {self.end}"


@dataclass(frozen=True)
class PeriodEndpoints:
    """The two snapshot dates a period's change compares, and whether the archive covers the period."""

    period: Period
    before: dt.date | None  # None: no snapshot at all on or before the period's end
    after: dt.date | None
    partial: bool = False
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.before is not None and self.after is not None and self.before < self.after


def month(year: int, month_no: int) -> Period:
    """The calendar month ``year-month_no``."""
    last = calendar.monthrange(year, month_no)[1]
    return Period(dt.date(year, month_no, 1), dt.date(year, month_no, last),
                  f"{calendar.month_name[month_no]} {year}")


def period_bounds(first: dt.date, last: dt.date, every: str) -> list[tuple[dt.date, dt.date]]:
    """(start, end) of every calendar day, week (Monday-Sunday), month (:func:`month`) or year touching
    [first, last]: the periods a timeline steps through."""
    out: list[tuple[dt.date, dt.date]] = []
    if every == "day":
        out = [(first + dt.timedelta(days=i),) * 2 for i in range((last - first).days + 1)]
    elif every == "week":
        d = first - dt.timedelta(days=first.weekday())
        while d <= last:
            out.append((d, d + dt.timedelta(days=6)))
            d += dt.timedelta(days=7)
    elif every == "month":
        for index in range(first.year * 12 + first.month - 1, last.year * 12 + last.month):
            m = month(index // 12, index % 12 + 1)
            out.append((m.start, m.end))
    elif every == "year":
        out = [(dt.date(year, 1, 1), dt.date(year, 12, 31)) for year in range(first.year, last.year + 1)]
    return out


_MONTH_ARG = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_YEAR_ARG = re.compile(r"^\s*(\d{4})\s*$")


def parse_period(text: str) -> Period | None:
    """A period named on a command line: ``2024-11`` (a month) or ``2025`` (a year); None for anything else."""
    m = _MONTH_ARG.match(text or "")
    if m and 1 <= int(m.group(2)) <= 12:
        return month(int(m.group(1)), int(m.group(2)))
    m = _YEAR_ARG.match(text or "")
    if m:
        y = int(m.group(1))
        return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), str(y))
    return None


def period_endpoints(dates: Iterable[dt.date], period: Period, *, presorted: bool = False) -> PeriodEndpoints:
    """The snapshot dates the change over ``period`` compares, given the dates the archive holds.

    ``before``: the last date on or before ``period.base_day``, else (partial) the first date inside the
    period; ``after``: the last date on or before ``period.end``. Pure: no store needed. ``presorted``: the
    dates are already a sorted list without repeats (callers that ask for many periods sort once).
    """
    ds = dates if presorted and isinstance(dates, list) else sorted(set(dates))
    notes: list[str] = []
    partial = False
    i_base = bisect.bisect_right(ds, period.base_day)
    i_end = bisect.bisect_right(ds, period.end)
    after = ds[i_end - 1] if i_end else None
    if i_base:
        before = ds[i_base - 1]
    elif i_end:
        before = ds[0]
        partial = True
        notes.append(f"the archive starts inside the period (first snapshot {ds[0]}), so the change is counted "
                     f"from {ds[0]}, not from {period.base_day}")
    else:
        before = None
    if after is not None and after < period.end:
        if ds[-1] < period.end:
            partial = True
            notes.append(f"the archive ends inside the period (last snapshot {ds[-1]})")
        else:  # a gap at the period's end: the convention takes the last snapshot before it, not partial
            notes.append(f"no snapshot on {period.end}; the last one before it is {after}")
    if after is None:
        notes = [f"no snapshot on or before {period.end}" + (f" (the archive starts {ds[0]})" if ds else "")]
    elif before is not None and before >= after:
        notes = [f"only one snapshot ({after}) covers the period; the archive holds {ds[0]} – {ds[-1]}"]
    return PeriodEndpoints(period, before, after, partial, "; ".join(notes))


def store_period_endpoints(store: object, profile_id: str, period: Period) -> PeriodEndpoints:
    """:func:`period_endpoints` over the dates a store holds for one profile."""
    return period_endpoints(store.dates(profile_id), period)  # type: ignore[attr-defined]


def period_transfers(store: object, profile: object, period: Period, by: str = "actor",
                     boundary: object = None) -> tuple[object, PeriodEndpoints]:
    """The transfer matrix of ``period`` under the convention, and the endpoints it used.

    Raises QueryError (naming the period) when the archive has no two snapshots for it.
    """
    from ..errors import QueryError
    from .changes import transfer_matrix

    ends = store_period_endpoints(store, profile.id, period)  # type: ignore[attr-defined]
    if not ends.ok:
        raise QueryError(period.describe(), ends.note or "no two snapshots cover this period")
    result = transfer_matrix(store, profile, ends.before, ends.after, by=by, boundary=boundary)  # type: ignore[arg-type]
    if ends.note:
        result.notes.append(f"{period.describe()}: {ends.note}")
    return result, ends
