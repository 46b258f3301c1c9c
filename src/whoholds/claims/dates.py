"""Dates and periods in claim text, resolved against a reference date (the article's or the statement's).

Explicit dates ("on December 11", "11 December 2018", "2018-12-11") are read here; period phrases ("in
November", "in 2025", "this winter", "between 1 and 7 December", "since the full-scale invasion") by
`whoholds.claims.period_text`. Public functions for other stages (articles use the same reader):
`resolve` (a sentence → `DateInfo`), `find_dates`, `parse_date`, `mask_dates`, `month_period`.
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

from .period_text import EVENT_STARTS  # noqa: E402,F401 - re-exported: the known starts live with the periods


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
    mentions: tuple = ()  # every period phrase (`whoholds.claims.period_text.PeriodMention`), in text order


#: ", he said, and its shelters could take 3,000 more": after the attribution a new statement begins, outside the
#: sentence's opening frame ("As of Monday, ...") and its period.
_NEW_STATEMENT = re.compile(r",\s+(?:he|she|they|it|the\s+[a-z]+(?:\s+[a-z]+)?|[A-Z][a-z]+)\s+(?:said|says|added|"
                            r"wrote)(?:\s+(?:on\s+)?[A-Z][a-z]+day)?\s*,\s+(?:and|but)\s+")


def new_statement_at(sentence: str) -> int | None:
    """Where a statement joined after the attribution starts (see `_NEW_STATEMENT`), else None."""
    m = _NEW_STATEMENT.search(sentence)
    return m.end() if m else None


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
    """Dates and periods of one sentence, relative to ``ref`` (the statement or article date).

    The period phrases come from `whoholds.claims.period_text.period_mentions` (the one reader of periods in
    text); ``mentions`` keeps all of them, so a list ("310 km² in March, 270 in February") gives each figure
    its own period. The first datable period fills ``period_start``/``period_end``.
    """
    from .period_text import POINT_KINDS, period_mentions

    low = sentence.lower()
    said_on = as_of = start = end = None
    period_text = ""
    cumulative = False
    unresolved = ""
    mentions = period_mentions(sentence, ref, profile_id)

    # "said on December 11" / "on Monday": the date of the statement (dates inside a period phrase excluded).
    for d, s, _e in find_dates(sentence, ref):
        if any(p.start <= s < p.end for p in mentions):
            continue
        before = low[max(0, s - 70):s]
        if re.search(r"\b(as of|as at|by)\s*$", before):
            as_of = d
        elif re.search(r"\b(since|from)\s*$|\b(?:after|since)\b[^,.;\d]{0,60}\bon\s*$", before):
            # "since May 10", "after opening a new front on May 10": counted from that day
            start, period_text, cumulative = d, sentence[max(0, s - 6):_e].strip(), True
        elif said_on is None:
            said_on = d
    if as_of is None and ref is not None:  # "as of Monday": the day the figure stands at
        m = re.search(r"\b(?:as of|as at|by)\s+(" + "|".join(_WEEKDAYS) + r")\b", low)
        if m:
            as_of = ref - dt.timedelta(days=(ref.weekday() - _WEEKDAYS[m.group(1)]) % 7)
    if said_on is None and ref is not None:
        m = re.search(r"\bon\s+(" + "|".join(_WEEKDAYS) + r")\b", low)
        if m:
            back = (ref.weekday() - _WEEKDAYS[m.group(1)]) % 7
            said_on = ref - dt.timedelta(days=back)
    frame = next((p for p in mentions if p.period is not None and p.start <= 12 and (
        (p.kind == "point" and p.start <= 2 and re.match(r"(?:by|at|as\s+of)\b", p.text, re.I))
        or re.fullmatch(r"\s*(?:by|as)\s+(?:(?:of|at)\s+)?(?:the\s+end\s+of\s+)?", low[:p.start]))), None)
    if as_of is None and frame is not None:  # "By the end of November, ...": the whole sentence stands then
        as_of = frame.period.end
    base = said_on or as_of or ref
    if base != ref:  # relative periods count from the statement's own date
        mentions = period_mentions(sentence, base, profile_id)
    if start is None:
        for p in mentions:
            if frame is not None and (p.start, p.text) == (frame.start, frame.text):
                continue  # "By December 2024, ... since the start of the year": the frame dates, it is no period
            if p.kind in POINT_KINDS:
                if p.period is None:  # "at the peak of the offensive": no date for what the figure measures
                    unresolved = unresolved or p.unresolved
                continue  # a point in time dates one figure (see sentence.py), it is not the sentence's period
            if p.period is None:
                unresolved = unresolved or p.unresolved
                continue
            start, end, period_text, cumulative = p.period.start, p.period.end, p.text, p.cumulative
            if p.cumulative and (as_of or said_on):
                end = as_of or said_on
            break
    if start is not None and end is None:
        end = as_of or said_on or ref
    return DateInfo(said_on=said_on, as_of=as_of, period_start=start, period_end=end,
                    period_text=period_text.strip(), cumulative=cumulative, unresolved=unresolved,
                    mentions=tuple(mentions))
