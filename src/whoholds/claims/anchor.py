"""The date an article speaks from: page metadata, a dateline, or the file name — never a guess.

- HTML metadata: ``article:published_time`` / ``og:published_time`` / ``datePublished`` (JSON-LD or
  microdata) / ``<time datetime>``; trafilatura reads most of these, this is the fallback when it does not.
- A dateline opening the text: "KYIV, Dec 3 (Reuters) -", "Damascus, 11 December 2018 —", "KYIV, Ukraine
  (AP) — Dec. 3, 2024". A dateline without a year takes it from another date of the page when one is there;
  otherwise it is not used.
- A file name starting with YYYY-MM-DD.

"said on Thursday" is resolved against this date by `whoholds.claims.dates.resolve` (the shared rules).
"""

from __future__ import annotations

import datetime as dt
import re

from . import dates as _dates

_META = re.compile(
    r"""<meta[^>]{0,300}?(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|"""
    r"""datePublished|pubdate|publishdate|date|dc\.date|DC\.date\.issued|parsely-pub-date)["'][^>]{0,300}?>""",
    re.IGNORECASE)
_CONTENT = re.compile(r"""content\s*=\s*["'](\d{4}-\d{2}-\d{2})""", re.IGNORECASE)
_JSONLD = re.compile(r'"datePublished"\s*:\s*"(\d{4}-\d{2}-\d{2})')
_TIME = re.compile(r"""<time[^>]{0,200}?datetime\s*=\s*["'](\d{4}-\d{2}-\d{2})""", re.IGNORECASE)
#: "KYIV, Dec 3 (Reuters) -", "DAMASCUS, Syria, 11 December 2018 —": a place in capitals, then a date.
_NOT_MONTH = r"(?!(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)"
_DATELINE = re.compile(rf"^\s*[A-Z][A-Za-z'’.\- ]{{1,40}}(?:,\s*{_NOT_MONTH}[A-Z][A-Za-z'’.\- ]{{1,30}})?,?\s+"
                       r"(?P<rest>.{4,60})")

_BARE_DATELINE = re.compile(rf"^\s*({_dates.DATE_RE.pattern})\s*(?:[—–:]|-\s)", re.IGNORECASE)


def html_date(html: str) -> dt.date | None:
    """The publication date in an HTML page's metadata (first 200 kB), or None."""
    head = html[:200_000]
    for m in _META.finditer(head):
        c = _CONTENT.search(m.group(0))
        if c:
            return _iso(c.group(1))
    for rx in (_JSONLD, _TIME):
        m = rx.search(head)
        if m:
            return _iso(m.group(1))
    return None


def _iso(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def dateline_date(first_paragraph: str, year_hint: int | None = None) -> dt.date | None:
    """The date of a dateline at the start of the first paragraph, or None (no year and no hint)."""
    bare = _BARE_DATELINE.match(first_paragraph[:200])
    if bare:  # "February 11, 2019 — SOHR activists ...": a dateline of the date alone
        full = _dates.parse_date(bare.group(1))
        if full is not None or year_hint is None:
            return full
        return _dates.parse_date(f"{bare.group(1)} {year_hint}")
    m = _DATELINE.match(first_paragraph[:200])
    if not m:
        return None
    rest = m.group("rest")
    for found in _dates.DATE_RE.finditer(rest):
        if found.start() > 30:
            break
        full = _dates.parse_date(found.group(0))
        if full is not None:
            return full
        if year_hint is not None:
            return _dates.parse_date(f"{found.group(0)} {year_hint}")
    return None


def date_from_name(name: str) -> dt.date | None:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", name)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None
