"""Attributes kept as an HTML table in a KML description (ArcGIS "Layer To KML", Google Earth exports of
shapefiles, QGIS "HTML" descriptions): ``<tr><td>Status</td><td>Occupied</td></tr>`` becomes a property
``Status = "Occupied"``, so the state, date and ``--state-field`` rules read it like any other column."""

from __future__ import annotations

import html
import re

# Rows and cells are found by splitting, never by one regex spanning a row: a lazy ``(.*?)`` between tags
# backtracks over the rest of the text at every unclosed ``<tr><td>`` (64 KB of them took seconds per
# feature). Tag bodies are bounded for the same reason.
_ROW_OPEN = re.compile(r"<tr(?:\s[^<>]{0,200})?>", re.I)
_ROW_CLOSE = re.compile(r"</tr\s{0,20}>", re.I)
_CELL_OPEN = re.compile(r"<(t[hd])(?:\s[^<>]{0,200})?>", re.I)
_CELL_CLOSE = re.compile(r"</t[hd]\s{0,20}>", re.I)
_TAG = re.compile(r"<[^>]+>")
#: Longest description parsed (a description is user text; a megabyte of HTML holds no attribute table).
MAX_HTML = 1 << 16
#: Longest key taken as a property name.
MAX_KEY = 40


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def _two_cell_rows(text: str) -> list[tuple[str, str]]:
    """(first cell, second cell) of each closed row made of exactly a th/td cell then a td cell, in linear
    time."""
    out = []
    for chunk in _ROW_OPEN.split(text)[1:]:
        parts = _ROW_CLOSE.split(chunk, maxsplit=1)
        if len(parts) < 2:
            continue  # a row never closed
        pieces = _CELL_OPEN.split(parts[0])  # [before, tag, cell, tag, cell, ...]
        if pieces[0].strip() or len(pieces) != 5 or pieces[3].lower() != "td":
            continue
        cells = [_CELL_CLOSE.split(c, maxsplit=1) for c in (pieces[2], pieces[4])]
        if all(len(c) == 2 and not c[1].strip() for c in cells):
            out.append((cells[0][0], cells[1][0]))
    return out


def attribute_rows(description: object) -> dict[str, str]:
    """Key/value pairs of the two-cell rows of an HTML table in ``description`` ({} when there are none)."""
    if not isinstance(description, str) or "<t" not in description[:MAX_HTML].lower():
        return {}
    out: dict[str, str] = {}
    for key, value in _two_cell_rows(description[:MAX_HTML]):
        k, v = _text(key), _text(value)
        if k and len(k) <= MAX_KEY and v and v.lower() not in ("<null>", "null") and k not in out:
            out[k] = v
    return out


def with_html_attributes(cols: dict[str, list[object]]) -> dict[str, list[object]]:
    """``cols`` plus one column per key found in the HTML tables of the ``description`` column; keys the
    layer already has as real columns (any case) keep their own values."""
    key = next((k for k in cols if k.lower() == "description"), None)
    if key is None:
        return cols
    rows = [attribute_rows(v) for v in cols[key]]
    have = {k.lower() for k in cols}
    extra: dict[str, list[object]] = {}
    for i, row in enumerate(rows):
        for k, v in row.items():
            if k.lower() in have:
                continue
            extra.setdefault(k, [None] * len(rows))[i] = v
    if not extra:
        return cols
    # Where the table was read, it is the attributes: the HTML itself is no label.
    described = [None if row else v for row, v in zip(rows, cols[key], strict=True)]
    return {**cols, key: described, **extra}
