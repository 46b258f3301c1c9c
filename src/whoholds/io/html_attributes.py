"""Attributes kept as an HTML table in a KML description (ArcGIS "Layer To KML", Google Earth exports of
shapefiles, QGIS "HTML" descriptions): ``<tr><td>Status</td><td>Occupied</td></tr>`` becomes a property
``Status = "Occupied"``, so the state, date and ``--state-field`` rules read it like any other column."""

from __future__ import annotations

import html
import re

_ROW = re.compile(r"<tr[^>]*>\s*<t[hd][^>]*>(.*?)</t[hd]>\s*<td[^>]*>(.*?)</td>\s*</tr>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
#: Longest description parsed (a description is user text; a megabyte of HTML holds no attribute table).
MAX_HTML = 1 << 16
#: Longest key taken as a property name.
MAX_KEY = 40


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def attribute_rows(description: object) -> dict[str, str]:
    """Key/value pairs of the two-cell rows of an HTML table in ``description`` ({} when there are none)."""
    if not isinstance(description, str) or "<t" not in description[:MAX_HTML].lower():
        return {}
    out: dict[str, str] = {}
    for key, value in _ROW.findall(description[:MAX_HTML]):
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
