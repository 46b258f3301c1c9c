"""The report of a period D1 → D2 (``whoholds report``): one HTML file of shares, maps, transfers, timeline
and settlement changes, each section made from a metrics module.

A metrics module that is not installed (or not written yet) does not stop the report: its section says so
and the rest is still made. That is why each section imports its metrics module when it runs.
"""

from __future__ import annotations

import datetime as dt
import importlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import InputError, QueryError, WhoholdsError
from .charts import share_bar_chart, transfer_chart
from .cities import main_cities
from .dates import as_day
from .maps import boundary_label, control_map, resolve_boundary
from .period_tables import (
    as_frame,
    comparison_table,
    drop_geometry,
    frame_sources,
    provenance_sources,
    provenance_text,
    settlement_view,
    snapshot_source,
    timeline_totals,
)
from .report import ReportSection, html_report
from .tables import provenance_note
from .timeline_plot import timeline_chart

if TYPE_CHECKING:
    from ..profiles.model import Profile

_SETTLEMENT_FUNCTIONS = ("settlement_changes", "changed_settlements", "changes")


@dataclass(frozen=True)
class _Period:
    """What every section of one report needs."""

    store: Any
    profile: Profile
    d1: dt.date
    d2: dt.date
    boundary: Any  # the Boundary object
    boundary_override: dict[str, Any]  # ``boundary=`` for the metrics, when the caller gave one
    cities: pd.DataFrame | None
    tmp: Path  # where the figures are drawn before they are embedded


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
    d1, d2 = as_day(d1, "start date"), as_day(d2, "end date")
    if d2 <= d1:
        raise QueryError(f"{d1} → {d2}", "the end date must be after the start date")
    step = on_step or (lambda _msg: None)
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise InputError(out, "the report is an HTML file: give an output name ending in .html")

    bnd = resolve_boundary(profile, boundary)
    cities = None
    try:
        cities = main_cities(profile.boundary.country, 12)
    except Exception:  # noqa: BLE001 - a user boundary file may name no country; the map works without cities
        cities = None
    bname = boundary_label(bnd)
    intro = [
        f"Period: {d1} → {d2} ({(d2 - d1).days:,} days). Profile: {profile.name} ({profile.id}).",
        f"Boundary (the denominator): {bname}"
        + (f" — {bnd.note}" if getattr(bnd, "note", "") else "").rstrip(".") + ".",
        "All areas are computed on the WGS84 ellipsoid. Period figures use the last snapshot on or before "
        "each date (the timeline starts the day after D1, so its totals add up to the same change); gains and "
        "losses are gross, net = gains − losses.",
    ]
    overview = ReportSection("Overview", "\n\n".join(intro))
    sections: list[ReportSection] = [overview]

    with tempfile.TemporaryDirectory(prefix="whoholds-report-") as tmpdir:
        override = {"boundary": boundary} if boundary is not None else {}
        period = _Period(store, profile, d1, d2, bnd, override, cities, Path(tmpdir))
        step("shares")
        sec, changes_by_group = _shares_section(period, by)
        if changes_by_group is not None:
            overview.text += "\n\n" + changes_by_group
        sections.append(sec)
        step("maps")
        sec, layers2 = _maps_section(period)
        sections.append(sec)
        step("transfers")
        sections.append(_transfers_section(period, layers2))
        step("timeline")
        sections.append(_timeline_section(period, every))
        step("settlements")
        sec = _settlement_section(period)
        if sec is not None:
            sections.append(sec)

        step("writing")
        return html_report(
            title=f"{profile.name}: {d1} → {d2}",
            subtitle=f"Who held what, what changed hands, and when — profile {profile.id}, boundary {bname}",
            sections=sections,
            out=out,
        )


def _unavailable(name: str, exc: BaseException) -> str:
    return f"Not available in this installation: {name} ({type(exc).__name__}: {exc})."


def _shares_section(p: _Period, by: str) -> tuple[ReportSection, str | None]:
    """The comparison table and a share chart per date; also the overview's change per group (or None)."""
    sec = ReportSection(f"Who holds what on {p.d1} and {p.d2}")
    try:
        from ..metrics.shares import shares
    except ImportError as exc:
        sec.text = _unavailable("whoholds.metrics.shares", exc)
        return sec, None
    s1 = shares(p.store, p.profile, date=p.d1, by=by, **p.boundary_override)
    s2 = shares(p.store, p.profile, date=p.d2, by=by, **p.boundary_override)
    comp = comparison_table(s1, s2, p.d1, p.d2)
    sec.tables.append(comp)
    changes_by_group = "\n".join(
        f"- {r.name}: {r.area_d1_km2:,.1f} km² → {r.area_d2_km2:,.1f} km² ({r.change_km2:+,.1f} km²)"
        for r in comp.itertuples()
    )
    for d, s, tag in ((p.d1, s1, "d1"), (p.d2, s2, "d2")):
        sec.figures.append(
            share_bar_chart(
                s,
                p.profile,
                p.tmp / f"shares_{tag}.png",
                title=f"Share of the area by {by}, {d}",
                caption=provenance_note(s),
            )
        )
    return sec, changes_by_group


def _maps_section(p: _Period) -> tuple[ReportSection, Any]:
    """A control map per date; also the end date's layers (the base of the changed-areas map), or None."""
    sec = ReportSection("Maps", figures_first=True)
    try:
        from ..geometry.layers import state_layers
    except ImportError as exc:
        sec.text = _unavailable("whoholds.geometry.layers", exc)
        return sec, None
    layers2 = None
    notes = []
    for d, tag in ((p.d1, "d1"), (p.d2, "d2")):
        snap, dist = p.store.nearest(d, p.profile.id)
        layers = state_layers(snap, p.profile, p.boundary)
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
                p.boundary.geometry,
                p.profile,
                out=p.tmp / f"map_{tag}.png",
                title=f"{p.profile.name}: who holds what",
                date=snap_date,
                source=snapshot_source(snap),
                method=str(getattr(layers, "method", "")),
                markers=markers,
                cities=p.cities,
                boundary_name=boundary_label(p.boundary, with_note=True),
            )
        )
    sec.text = "\n".join(notes)
    return sec, layers2


def _transfers_section(p: _Period, layers2: Any) -> ReportSection:
    """Gains, losses and net per state, the transfer matrix as a table and a chart, and the changed areas."""
    sec = ReportSection(f"What changed hands, {p.d1} → {p.d2}")
    try:
        from ..metrics.changes import transfer_matrix
    except ImportError as exc:
        sec.text = _unavailable("whoholds.metrics.changes", exc)
        return sec
    profile = p.profile
    tm = transfer_matrix(p.store, profile, p.d1, p.d2, by="state")
    method = str(getattr(tm, "method", "") or "")
    prov = getattr(tm, "provenance", None)
    prov_note = provenance_text(prov) or (f"Method: {method}" if method else "")
    summary = as_frame(getattr(tm, "summary", None))
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
                matrix, profile, p.tmp / "transfers.png", title=f"Transfers {p.d1} → {p.d2}", caption=prov_note
            )
        )
    changed = getattr(tm, "changed", None)
    if changed is not None and len(changed) and layers2 is not None:
        sec.figures.append(
            control_map(
                layers2.frame,
                p.boundary.geometry,
                profile,
                out=p.tmp / "changes_map.png",
                title=f"Changed areas {p.d1} → {p.d2}",
                date=f"{p.d1} → {p.d2}",
                source=provenance_sources(prov),
                method=method,
                cities=p.cities,
                changed=changed,
                boundary_name=boundary_label(p.boundary),
            )
        )
    elif changed is not None and not len(changed):
        sec.text = "No area changed hands between the two snapshots."
    return sec


def _timeline_section(p: _Period, every: str) -> ReportSection:
    """The timeline chart and totals, with the archive's gaps and suspect snapshots listed (not hidden)."""
    sec = ReportSection("Timeline", figures_first=True)
    try:
        from ..metrics.timeline import timeline  # noqa: F401 - is the timeline installed?
    except ImportError as exc:
        sec.text = _unavailable("whoholds.metrics.timeline", exc)
        return sec
    tl = period_timeline(p.store, p.profile, p.d1, p.d2, every)
    frame = as_frame(getattr(tl, "frame", tl))
    suspects = as_frame(getattr(tl, "suspects", None))
    gaps = as_frame(getattr(tl, "gaps", None))
    texts = [f"Note: {n}." for n in getattr(tl, "notes", []) if n.startswith("partial period")]
    if frame is not None and len(frame):
        frame = frame.copy()
        if "suspect" not in frame.columns:
            sd = set()
            if suspects is not None and "date" in suspects.columns:
                sd = set(pd.to_datetime(suspects["date"]))
            frame["suspect"] = pd.to_datetime(frame["date"]).isin(sd)
        method = str(getattr(tl, "method", "") or "")
        sources = provenance_sources(getattr(tl, "provenance", None)) or frame_sources(frame)
        sec.figures.append(
            timeline_chart(
                frame,
                p.profile,
                p.tmp / "timeline.png",
                title=f"{p.profile.name}: control over time",
                source=sources,
                method=method,
            )
        )
        sec.tables.append(timeline_totals(frame, p.profile))
    else:
        texts.append("The store holds no snapshots in this period.")
    listings = (
        (gaps, "Gaps in the archive (reported, not interpolated)", "No gaps in the archive over this period."),
        (
            suspects,
            "Suspect snapshots (flagged with a reason; shown, not removed)",
            "No snapshot was flagged as suspect.",
        ),
    )
    for listed, title, when_none in listings:
        if listed is not None and len(listed):
            table = drop_geometry(listed).copy()
            table.attrs["title"] = title
            sec.tables.append(table)
        else:
            texts.append(when_none)
    sec.text = "\n\n".join(texts)
    return sec


def period_timeline(store: Any, profile: Profile, d1: dt.date, d2: dt.date, every: str = "day",
                    **kwargs: Any) -> Any:
    """The report's timeline of D1 → D2: its first period starts the day after D1, so (by the one period
    convention, :mod:`whoholds.metrics.periods`) the first change is counted from the snapshot of D1 and the
    totals equal the change D1 → D2."""
    from ..metrics.timeline import timeline

    return timeline(store, profile, start=d1 + dt.timedelta(days=1), end=d2, every=every, **kwargs)


def _settlement_section(p: _Period) -> ReportSection | None:
    """Settlements whose holder changed, if ``whoholds.metrics.settlements`` offers such a function."""
    sec = ReportSection("Settlements that changed hands")
    try:
        mod = importlib.import_module("whoholds.metrics.settlements")
    except ImportError:
        return None
    func = next((getattr(mod, n) for n in _SETTLEMENT_FUNCTIONS if callable(getattr(mod, n, None))), None)
    if func is None:
        return None
    try:
        result = func(p.store, p.profile, p.d1, p.d2)
    except (WhoholdsError, TypeError, ValueError) as exc:
        sec.text = f"Settlement changes could not be computed: {exc}"
        return sec
    frame = as_frame(result)
    if frame is None or not len(frame):
        sec.text = "No settlement changed hands in this period."
        return sec
    frame = drop_geometry(frame).copy()
    for col in ("from_state", "to_state", "from", "to"):
        if col in frame.columns:
            frame[col] = [p.profile.display_name(str(v)) if pd.notna(v) else v for v in frame[col]]
    counts = getattr(result, "counts", None)
    summary = getattr(result, "summary", None)
    text = f"{len(frame):,} settlements changed hands."
    for extra in (counts, summary):
        ef = as_frame(extra) if extra is not None and not isinstance(extra, str) else None
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
    if {"from_group", "to_group"} <= set(frame.columns):  # the same columns as `whoholds settlements`
        frame = settlement_view(frame, p.profile)
    limit = 300
    shown = frame.head(limit).reset_index(drop=True)
    shown.attrs["title"] = "Settlements whose holder changed" + (
        f" (the {limit} most populous of {len(frame):,})" if len(frame) > limit else ""
    )
    sec.tables.append(shown)
    return sec
