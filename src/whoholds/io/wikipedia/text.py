"""The module as text: recognising it, decoding it (Markdown mirrors converted back), its header date."""

from __future__ import annotations

import datetime as dt
import re

from ...errors import InputError
from .mirror import is_markdown_mirror, unmarkdown

DATE_HELP = "docs/syria-markers.md"
#: First line written by ``whoholds fetch wikipedia`` (fetch.wikipedia.save_module).
HEADER_RE = re.compile(
    r"^-- whoholds: (?P<title>.+?), (?P<site>\S+), revision (?P<revid>\d+) of "
    r"(?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\s*$",
    re.MULTILINE,
)


def header_date(text: str) -> dt.date | None:
    """The revision date in the header that ``save_module`` writes, or None."""
    m = HEADER_RE.search(text[:2000])
    return dt.date.fromisoformat(m.group("ts")[:10]) if m else None


def module_date(text: str, name: str) -> dt.date:
    """A module has no date of its own: take the revision date from the header that ``whoholds fetch
    wikipedia`` writes, else a date in the file name, else ask for --date."""
    day = header_date(text)
    if day is None:
        from ..dates import date_from_name

        day, _ = date_from_name(name)
    if day is None:
        raise InputError(
            name,
            f"a Wikipedia map module has no date: pass --date (see {DATE_HELP}; files "
            "saved by `whoholds fetch wikipedia` carry their revision date)",
        )
    return day


_ENTRY_HINT = re.compile(rb"\{\s*`?\s*lat\s*=\s*[\"'`]?\s*-?\d")
_MARK_HINT = re.compile(rb"\bmark\s*=")


def looks_like_wikipedia_module(data: bytes) -> bool:
    """True for a Wikipedia map-module text (raw Lua or a Markdown mirror) holding lat/long/mark entries."""
    head = data[:400_000].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"[") and head[:2] != b"{ " and b'"type"' in head[:2000]:
        return False  # JSON (GeoJSON, TopoJSON)
    if head[:4] == b"PK\x03\x04" or head[:2] == b"\x1f\x8b" or head[:6] == b"\xfd7zXZ\x00":
        return False
    return bool(_ENTRY_HINT.search(head)) and bool(_MARK_HINT.search(head)) and b"long" in head


def decode_module_text(data: bytes, name: str) -> tuple[str, bool]:
    """The module as Lua text (Markdown mirrors converted back) and whether it was a mirror."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            name, f"not UTF-8 text (bad byte at offset {exc.start}); Wikipedia modules are UTF-8"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    mirror = is_markdown_mirror(text)
    if mirror:
        text = unmarkdown(text)
    return text, mirror
