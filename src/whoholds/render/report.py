"""One self-contained HTML report: tables, charts and maps of a period in a single file.

Figures are embedded as ``data:`` URIs (base64 PNG or SVG), the style sheet is inline, and nothing is loaded
from the network, so the file can be mailed or archived as it is. Every piece of text is HTML-escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import importlib
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import InputError, QueryError
from .tables import column_label as _column_label
from .tables import default_format, display_columns, format_cell, is_numeric_column, provenance_note

if TYPE_CHECKING:
    from ..profiles.model import Profile

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
    cols = display_columns(df)
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


# ---- the period report ------------------------------------------------------------------------------------
def _as_date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise QueryError(value, f"{what}: not a date (expected YYYY-MM-DD)") from None


def _missing(name: str, exc: BaseException) -> str:
    return f"Not available in this installation: {name} ({type(exc).__name__}: {exc})."


def _src(snapshot: Any) -> str:
    from pathlib import PurePath

    s = str(getattr(snapshot, "source", "") or "")
    if "://" in s:
        return s
    return PurePath(s).name or s


def _comparison(s1: pd.DataFrame, s2: pd.DataFrame, d1: dt.date, d2: dt.date) -> pd.DataFrame:
    """Per group: area and share at both dates and the change."""
    keys = ["group"]
    a = s1[keys + [c for c in ("name", "kind", "area_km2", "share_pct") if c in s1.columns]]
    b = s2[keys + [c for c in ("name", "kind", "area_km2", "share_pct") if c in s2.columns]]
    m = a.merge(b, on="group", how="outer", suffixes=("_1", "_2"))
    out = pd.DataFrame({"group": m["group"]})
    name = m.get("name_2", pd.Series(index=m.index, dtype=object))
    out["name"] = name.where(name.notna(), m.get("name_1"))
    zero = pd.Series(0.0, index=m.index)
    out["area_d1_km2"] = m.get("area_km2_1", zero).fillna(0.0)
    out["area_d2_km2"] = m.get("area_km2_2", zero).fillna(0.0)
    out["change_km2"] = out["area_d2_km2"] - out["area_d1_km2"]
    if "share_pct_1" in m.columns and "share_pct_2" in m.columns:
        out["share_d1_pct"] = m["share_pct_1"].fillna(0.0)
        out["share_d2_pct"] = m["share_pct_2"].fillna(0.0)
        out["change_pp"] = out["share_d2_pct"] - out["share_d1_pct"]
    out = out.sort_values("area_d2_km2", ascending=False, kind="stable").reset_index(drop=True)
    for col in ("boundary", "method", "source", "snapshot_id", "whoholds_version"):
        vals = pd.concat([s1.get(col, pd.Series(dtype=object)), s2.get(col, pd.Series(dtype=object))])
        vals = vals.dropna().astype(str).unique()
        if len(vals):
            out[col] = ";".join(vals)
    out.attrs.update(
        title=f"Area and share by group, {d1} and {d2}",
        labels={
            "area_d1_km2": f"Area {d1} km²",
            "area_d2_km2": f"Area {d2} km²",
            "change_km2": "Change km²",
            "share_d1_pct": f"Share {d1} %",
            "share_d2_pct": f"Share {d2} %",
            "change_pp": "Change (pp)",
        },
        formats={"change_km2": "{:+,.1f}", "change_pp": "{:+,.2f}"},
    )
    return out


def _as_frame(value: Any) -> pd.DataFrame | None:
    if value is None:
        return None
    if isinstance(value, pd.DataFrame):
        return value
    if isinstance(value, pd.Series):
        return value.to_frame()
    for attr in ("frame", "changes", "table"):
        inner = getattr(value, attr, None)
        if isinstance(inner, pd.DataFrame):
            return inner
    try:
        return pd.DataFrame(list(value))
    except (TypeError, ValueError):
        return None


def _drop_geometry(df: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in df.columns if str(df[c].dtype) == "geometry" or c == "geometry"]
    return pd.DataFrame(df.drop(columns=cols)) if cols else df


def _timeline_summary(frame: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    df = frame.copy()
    df["date"] = pd.to_datetime(df["date"])
    df = df.sort_values("date")
    rows = []
    for g, d in df.groupby("group", sort=False):
        rows.append(
            {
                "group": g,
                "name": profile.display_name(str(g)),
                "area_start_km2": float(d["area_km2"].iloc[0]),
                "area_end_km2": float(d["area_km2"].iloc[-1]),
                "gains_km2": float(d["gains_km2"].fillna(0).sum()),
                "losses_km2": float(d["losses_km2"].fillna(0).abs().sum()),
                "net_km2": float(d["net_km2"].fillna(0).sum()),
            }
        )
    out = pd.DataFrame(rows).sort_values("area_end_km2", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs.update(
        title="Timeline totals per group (gross gains and losses summed over the periods)",
        formats={"net_km2": "{:+,.1f}"},
    )
    return out


def period_report(
    store: Any,
    profile: Profile,
    d1: Any,
    d2: Any,
    out: Path | str,
    boundary: Any = None,
    *,
    by: str = "actor",
    every: str = "day",
    on_step: Callable[[str], None] | None = None,
) -> Path:
    """The report of a period D1 → D2: shares at both dates, maps, transfer matrix and changed areas, the
    timeline with gaps and suspect snapshots, and settlement changes when that metric is available.

    ``boundary``: None (the profile's), an override string as for ``load_boundary``, or a Boundary object.
    ``on_step`` is called with a short description before each step (for progress display).
    """
    d1, d2 = _as_date(d1, "start date"), _as_date(d2, "end date")
    if d2 <= d1:
        raise QueryError(f"{d1} → {d2}", "the end date must be after the start date")
    step = on_step or (lambda _msg: None)
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise InputError(out, "the report is an HTML file: give an output name ending in .html")

    from .charts import share_bar_chart, timeline_chart, transfer_chart
    from .maps import boundary_label, control_map, main_cities

    bnd = _resolve_boundary(profile, boundary)
    bkw = {"boundary": boundary} if boundary is not None else {}
    cities = None
    try:
        cities = main_cities(profile.boundary.country, 12)
    except Exception:  # noqa: BLE001 - a user boundary file may name no country; the map works without cities
        cities = None
    bname = boundary_label(bnd)
    sections: list[ReportSection] = []
    intro = [
        f"Period: {d1} → {d2} ({(d2 - d1).days:,} days). Profile: {profile.name} ({profile.id}).",
        f"Boundary (the denominator): {bname}" + (f" — {bnd.note}" if getattr(bnd, "note", "") else "") + ".",
        "All areas are computed on the WGS84 ellipsoid. Period figures use the last snapshot on or before "
        "each date; gains and losses are gross, net = gains − losses.",
    ]
    overview = ReportSection("Overview", "\n\n".join(intro))
    sections.append(overview)

    with tempfile.TemporaryDirectory(prefix="whoholds-report-") as tmpdir:
        tmp = Path(tmpdir)

        # ---- shares ------------------------------------------------------------------------------------
        step("shares")
        sec = ReportSection(f"Who holds what on {d1} and {d2}")
        try:
            from ..metrics.shares import shares
        except ImportError as exc:
            sec.text = _missing("whoholds.metrics.shares", exc)
        else:
            s1 = shares(store, profile, date=d1, by=by, **bkw)
            s2 = shares(store, profile, date=d2, by=by, **bkw)
            comp = _comparison(s1, s2, d1, d2)
            sec.tables.append(comp)
            overview.text += "\n\n" + "\n".join(
                f"- {r.name}: {r.area_d1_km2:,.1f} km² → {r.area_d2_km2:,.1f} km² ({r.change_km2:+,.1f} km²)"
                for r in comp.itertuples()
            )
            for d, s, tag in ((d1, s1, "d1"), (d2, s2, "d2")):
                note = provenance_note(s)
                sec.figures.append(
                    share_bar_chart(
                        s,
                        profile,
                        tmp / f"shares_{tag}.png",
                        title=f"Share of the area by {by}, {d}",
                        caption=note,
                    )
                )
        sections.append(sec)

        # ---- maps ----------------------------------------------------------------------------------------
        step("maps")
        sec = ReportSection("Maps", figures_first=True)
        layers2 = None
        try:
            from ..geometry.layers import state_layers
        except ImportError as exc:
            sec.text = _missing("whoholds.geometry.layers", exc)
        else:
            notes = []
            for d, tag in ((d1, "d1"), (d2, "d2")):
                snap, dist = store.nearest(d, profile.id)
                layers = state_layers(snap, profile, bnd)
                if tag == "d2":
                    layers2 = layers
                markers = snap.features if getattr(snap, "kind", "") == "markers" else None
                snap_date = getattr(snap, "date", d)
                if dist:
                    notes.append(
                        f"- No snapshot on {d}: the map shows the nearest, {snap_date} ({abs(int(dist))} days away)."
                    )
                sec.figures.append(
                    control_map(
                        layers.frame,
                        bnd.geometry,
                        profile,
                        out=tmp / f"map_{tag}.png",
                        title=f"{profile.name}: who holds what",
                        date=snap_date,
                        source=_src(snap),
                        method=str(getattr(layers, "method", "")),
                        markers=markers,
                        cities=cities,
                        boundary_name=boundary_label(bnd, with_note=True),
                    )
                )
            sec.text = "\n".join(notes)
        sections.append(sec)

        # ---- transfers ----------------------------------------------------------------------------------
        step("transfers")
        sec = ReportSection(f"What changed hands, {d1} → {d2}")
        try:
            from ..metrics.changes import transfer_matrix
        except ImportError as exc:
            sec.text = _missing("whoholds.metrics.changes", exc)
        else:
            tm = transfer_matrix(store, profile, d1, d2, by="state")
            method = str(getattr(tm, "method", "") or "")
            prov = getattr(tm, "provenance", None)
            prov_note = _prov_text(prov) or (f"Method: {method}" if method else "")
            summary = _as_frame(getattr(tm, "summary", None))
            if summary is not None and len(summary):
                summary = summary.copy()
                if "name" not in summary.columns and "group" in summary.columns:
                    summary.insert(1, "name", [profile.display_name(str(g)) for g in summary["group"]])
                summary.attrs.update(
                    title="Gross gains, losses and net per state (km²)",
                    note=prov_note,
                    formats={"net_km2": "{:+,.1f}"},
                )
                sec.tables.append(summary)
            matrix = getattr(tm, "matrix", None)
            if isinstance(matrix, pd.DataFrame) and matrix.size:
                mt = matrix.copy()
                mt.index = [profile.display_name(str(i)) for i in mt.index]
                labels = {str(c): profile.display_name(str(c)) + " km²" for c in mt.columns}
                mt = mt.rename_axis("from \\ to").reset_index()
                mt.columns = [str(c) for c in mt.columns]
                mt.attrs.update(
                    title="Transfer matrix: rows = holder on the start date, columns = holder on the end date (km²)",
                    labels=labels,
                    note=prov_note,
                    formats={str(c): "{:,.1f}" for c in matrix.columns},
                )
                sec.tables.append(mt)
                sec.figures.append(
                    transfer_chart(
                        matrix,
                        profile,
                        tmp / "transfers.png",
                        title=f"Transfers {d1} → {d2}",
                        caption=prov_note,
                    )
                )
            changed = getattr(tm, "changed", None)
            if changed is not None and len(changed) and layers2 is not None:
                sec.figures.append(
                    control_map(
                        layers2.frame,
                        bnd.geometry,
                        profile,
                        out=tmp / "changes_map.png",
                        title=f"Changed areas {d1} → {d2}",
                        date=f"{d1} → {d2}",
                        source=_prov_sources(prov),
                        method=method,
                        cities=cities,
                        changed=changed,
                        boundary_name=bname,
                    )
                )
            elif changed is not None and not len(changed):
                sec.text = "No area changed hands between the two snapshots."
        sections.append(sec)

        # ---- timeline ----------------------------------------------------------------------------------
        step("timeline")
        sec = ReportSection("Timeline", figures_first=True)
        try:
            from ..metrics.timeline import timeline
        except ImportError as exc:
            sec.text = _missing("whoholds.metrics.timeline", exc)
        else:
            tl = timeline(store, profile, start=d1, end=d2, every=every)
            frame = _as_frame(getattr(tl, "frame", tl))
            suspects = _as_frame(getattr(tl, "suspects", None))
            gaps = _as_frame(getattr(tl, "gaps", None))
            texts = []
            if frame is not None and len(frame):
                frame = frame.copy()
                if "suspect" not in frame.columns:
                    sd = set()
                    if suspects is not None and "date" in suspects.columns:
                        sd = set(pd.to_datetime(suspects["date"]))
                    frame["suspect"] = pd.to_datetime(frame["date"]).isin(sd)
                method = str(getattr(tl, "method", "") or "")
                sources = _prov_sources(getattr(tl, "provenance", None)) or _frame_sources(frame)
                sec.figures.append(
                    timeline_chart(
                        frame,
                        profile,
                        tmp / "timeline.png",
                        title=f"{profile.name}: control over time",
                        source=sources,
                        method=method,
                    )
                )
                sec.tables.append(_timeline_summary(frame, profile))
            else:
                texts.append("The store holds no snapshots in this period.")
            if gaps is not None and len(gaps):
                g = _drop_geometry(gaps).copy()
                g.attrs["title"] = "Gaps in the archive (reported, not interpolated)"
                sec.tables.append(g)
            else:
                texts.append("No gaps in the archive over this period.")
            if suspects is not None and len(suspects):
                s = _drop_geometry(suspects).copy()
                s.attrs["title"] = "Suspect snapshots (flagged with a reason; shown, not removed)"
                sec.tables.append(s)
            else:
                texts.append("No snapshot was flagged as suspect.")
            sec.text = "\n\n".join(texts)
        sections.append(sec)

        # ---- settlements (optional) ----------------------------------------------------------------------
        step("settlements")
        sec = _settlement_section(store, profile, d1, d2)
        if sec is not None:
            sections.append(sec)

        step("writing")
        return html_report(
            title=f"{profile.name}: {d1} → {d2}",
            subtitle=f"Who held what, what changed hands, and when — profile {profile.id}, boundary {bname}",
            sections=sections,
            out=out,
        )


def _resolve_boundary(profile: Profile, boundary: Any) -> Any:
    if boundary is not None and hasattr(boundary, "geometry"):
        return boundary
    from ..geometry.boundary import load_boundary

    return load_boundary(profile, override=boundary)


def _prov_text(prov: Any) -> str:
    if prov is None:
        return ""
    parts = []
    for label, attr in (("Boundary", "boundary"), ("Method", "method")):
        v = getattr(prov, attr, "")
        if v:
            parts.append(f"{label}: {v}")
    src = _prov_sources(prov)
    if src:
        parts.append(f"Sources: {src}")
    return " · ".join(parts)


def _prov_sources(prov: Any) -> str:
    from pathlib import PurePath

    sources = getattr(prov, "sources", None) if prov is not None else None
    if not sources:
        return ""
    names = list(dict.fromkeys(PurePath(str(s)).name or str(s) for s in sources))
    return "; ".join(names[:3]) + (f"; … ({len(names)} in all)" if len(names) > 3 else "")


def _frame_sources(frame: pd.DataFrame) -> str:
    for col in ("source", "sources"):
        if col in frame.columns:
            from pathlib import PurePath

            names = list(dict.fromkeys(PurePath(str(s)).name for s in frame[col].dropna()))
            return "; ".join(names[:3]) + (f"; … ({len(names)} in all)" if len(names) > 3 else "")
    return ""


_SETTLEMENT_FUNCTIONS = ("settlement_changes", "changed_settlements", "changes")


def _settlement_section(store: Any, profile: Profile, d1: dt.date, d2: dt.date) -> ReportSection | None:
    """Settlements whose holder changed, if ``whoholds.metrics.settlements`` offers such a function."""
    from ..errors import WhoholdsError

    sec = ReportSection("Settlements that changed hands")
    try:
        mod = importlib.import_module("whoholds.metrics.settlements")
    except ImportError:
        return None
    func = next((getattr(mod, n) for n in _SETTLEMENT_FUNCTIONS if callable(getattr(mod, n, None))), None)
    if func is None:
        return None
    try:
        result = func(store, profile, d1, d2)
    except (WhoholdsError, TypeError, ValueError) as exc:
        sec.text = f"Settlement changes could not be computed: {exc}"
        return sec
    frame = _as_frame(result)
    if frame is None or not len(frame):
        sec.text = "No settlement changed hands in this period."
        return sec
    frame = _drop_geometry(frame).copy()
    for col in ("from_state", "to_state", "from", "to"):
        if col in frame.columns:
            frame[col] = [profile.display_name(str(v)) if pd.notna(v) else v for v in frame[col]]
    counts = getattr(result, "counts", None)
    summary = getattr(result, "summary", None)
    text = f"{len(frame):,} settlements changed hands."
    for extra in (counts, summary):
        ef = _as_frame(extra) if extra is not None and not isinstance(extra, str) else None
        if ef is not None and len(ef):
            ef = ef.copy()
            ef.attrs.setdefault("title", "Per actor")
            sec.tables.append(ef)
    if "to_state" in frame.columns or "to" in frame.columns:
        col = "to_state" if "to_state" in frame.columns else "to"
        by_to = frame[col].astype(str).value_counts()
        text += " " + "; ".join(f"{n:,} to {k}" for k, n in by_to.items()) + "."
    sec.text = text
    if "population" in frame.columns:
        frame = frame.sort_values("population", ascending=False, kind="stable")
    limit = 300
    shown = frame.head(limit).reset_index(drop=True)
    shown.attrs["title"] = "Settlements whose holder changed" + (
        f" (the {limit} most populous of {len(frame):,})" if len(frame) > limit else ""
    )
    sec.tables.append(shown)
    return sec
