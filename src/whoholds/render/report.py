"""One self-contained HTML report: sections of text, tables and figures in a single file.

The report of a period (:func:`whoholds.render.period.period_report`) builds on this module; nothing here
imports it back.
Figures are embedded as ``data:`` URIs (base64 PNG or SVG), the style sheet is inline, and nothing is loaded
from the network, so the file can be mailed or archived as it is. Every piece of text is HTML-escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from .tables import column_label as _column_label
from .tables import (
    default_format,
    display_columns,
    format_cell,
    is_numeric_column,
    provenance_note,
    technical_columns,
)

_MIME = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
_FALLBACK_CSS = (
    "body{font-family:sans-serif;max-width:1100px;margin:auto;padding:24px}"
    "table{border-collapse:collapse}th,td{padding:3px 8px;border-bottom:1px solid #ddd}"
    "td.num{text-align:right}img{max-width:100%}"
)


@dataclass
class ReportSection:
    """One section of a report. ``text``: plain text (blank lines separate paragraphs, lines starting with
    ``- `` become a list); ``tables``: DataFrames, each may carry ``df.attrs["title"]``, ``["note"]``,
    ``["labels"]`` (column -> header) and ``["formats"]`` (column -> format); ``figures``: PNG/SVG files."""

    heading: str
    text: str = ""
    tables: list[pd.DataFrame] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
    #: Show the figures before the tables (maps and charts that the tables then detail).
    figures_first: bool = False


# ---- html pieces ------------------------------------------------------------------------------------------
def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    slug, k = base, 2
    while slug in used:
        slug, k = f"{base}-{k}", k + 1
    used.add(slug)
    return slug


def text_html(text: str) -> str:
    """Plain text as escaped HTML paragraphs; ``- item`` lines become a bullet list."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.rstrip() for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        if all(ln.lstrip().startswith(("- ", "* ")) for ln in lines):
            items = "".join(f"<li>{_esc(ln.lstrip()[2:])}</li>" for ln in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append("<p>" + "<br>\n".join(_esc(ln) for ln in lines) + "</p>")
    return "\n".join(out)


def table_html(df: pd.DataFrame, title: str | None = None) -> str:
    """A DataFrame as an escaped HTML table (numbers formatted, right-aligned) with a provenance note below.

    Provenance columns are not repeated on every row; their values are summarised once in the note.
    """
    attrs = getattr(df, "attrs", {}) or {}
    title = title if title is not None else attrs.get("title", "")
    labels: Mapping[str, str] = attrs.get("labels", {}) or {}
    formats: Mapping[str, Any] = attrs.get("formats", {}) or {}
    hidden = set(technical_columns(df))  # the same columns a terminal table leaves out
    cols = [c for c in display_columns(df) if c not in hidden]
    rules = {c: formats.get(str(c), default_format(c, df[c])) for c in cols}
    numeric = {c: is_numeric_column(df[c]) for c in cols}
    cls = {c: ' class="num"' if numeric[c] else "" for c in cols}
    head = "".join(f'<th{cls[c]} scope="col">{_esc(labels.get(str(c), _column_label(c)))}</th>' for c in cols)
    body = []
    for row in df[cols].itertuples(index=False, name=None):
        cells = "".join(f"<td{cls[c]}>{_esc(format_cell(v, rules[c]))}</td>" for c, v in zip(cols, row, strict=True))
        body.append(f"<tr>{cells}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{max(len(cols), 1)}">(no rows)</td></tr>')
    caption = f"<caption>{_esc(title)}</caption>" if title else ""
    parts = [
        f'<div class="table-wrap"><table>{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    ]
    notes = [n for n in (attrs.get("note", ""), provenance_note(df, max_values=4)) if n]
    if notes:
        parts.append(f'<p class="prov">{_esc(" · ".join(notes))}</p>')
    return "\n".join(parts)


def figure_html(path: Path | str, caption: str = "") -> str:
    """A figure file embedded as a base64 ``data:`` URI (PNG, SVG, JPEG...)."""
    path = Path(path)
    mime = _MIME.get(path.suffix.lower())
    if mime is None:
        raise InputError(path, f"cannot embed a {path.suffix or 'suffix-less'} file in the report; use PNG or SVG")
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    cap = f"<figcaption>{_esc(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="data:{mime};base64,{data}" alt="{_esc(caption or path.stem)}">{cap}</figure>'


def _css() -> str:
    try:
        return (resources.files("whoholds.render") / "templates" / "report.css").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return _FALLBACK_CSS


def html_report(*, title: str, sections: list[ReportSection], out: Path | str, subtitle: str = "") -> Path:
    """Write ONE self-contained HTML file (inline CSS, embedded figures, no external URLs); return its path.

    The file is written atomically.
    """
    from .. import __version__
    from ..io.writers import write_text_atomic

    out = Path(out)
    used: set[str] = set()
    slugs = [_slug(s.heading, used) for s in sections]
    toc = "".join(f'<li><a href="#{slug}">{_esc(s.heading)}</a></li>' for s, slug in zip(sections, slugs, strict=True))
    body: list[str] = []
    for section, slug in zip(sections, slugs, strict=True):
        body.append(f'<section id="{slug}"><h2>{_esc(section.heading)}</h2>')
        if section.text:
            body.append(text_html(section.text))
        tables = [table_html(df) for df in section.tables]
        figures = [figure_html(fig) for fig in section.figures]
        body.extend(figures + tables if section.figures_first else tables + figures)
        body.append("</section>")
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    doc = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="whoholds {_esc(__version__)}">
<title>{_esc(title)}</title>
<style>
{_css()}
</style>
</head>
<body>
<main>
<header>
<h1>{_esc(title)}</h1>
{f'<p class="meta">{_esc(subtitle)}</p>' if subtitle else ""}
<p class="meta">Made with whoholds {_esc(__version__)} on {_esc(now)}.
Areas are geodesic (WGS84 ellipsoid).</p>
</header>
{f'<nav class="toc"><strong>Contents</strong><ol>{toc}</ol></nav>' if len(sections) > 1 else ""}
{chr(10).join(body)}
<footer>whoholds {_esc(__version__)} · every figure in this report can be recomputed from the snapshots,
boundary and method named next to it.</footer>
</main>
</body>
</html>
"""
    return write_text_atomic(out, doc)

