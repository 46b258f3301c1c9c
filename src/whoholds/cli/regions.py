"""Region commands: ``fetch regions``, and the ``--by region`` views of shares, changes and timeline.

``shares``, ``changes`` and ``timeline`` call the functions here when ``--by region`` is given, so their
own code stays as it was; the figures come from :mod:`whoholds.metrics.regions`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import InputError
from .app import console, err_console

RegionsOpt = Annotated[
    str | None,
    typer.Option("--regions", help="Admin-1 regions file for --by region (default: Natural Earth admin-1 from "
                                   "WHOHOLDS_DATA or `whoholds fetch regions`)."),
]
RegionOpt = Annotated[
    list[str] | None,
    typer.Option("--region", help="Only these regions (names in English or the local form, or ISO codes; "
                                  "repeatable)."),
]
SHOWN = ["date", "region_id", "region", "region_local", "name", "km2", "region_km2", "pct"]


def _note(text: str) -> None:
    err_console.print(text, highlight=False, soft_wrap=True, markup=False)


def pick_regions(regions: Any, names: list[str] | None) -> list[str] | None:
    """Region ids of ``names`` (one clear error for a name that fits no region)."""
    if not names:
        return None
    out = []
    for n in names:
        r = regions.find(n)
        if r is None:
            raise InputError(f"--region {n}", "no region of this name (or more than one); use an ISO code, e.g. "
                                              f"{regions.regions[0].id}")
        out.append(r.id)
    return out


def shares_by_region(st: Any, prof: Any, day: Any, all_dates: bool, regions_file: str | None, boundary: Any,
                     fmt: str, output: Path | None, only: list[str] | None = None, **kw: Any) -> None:
    """``shares --by region``: km² and % of each region per actor."""
    from ..geometry.regions import load_regions
    from ..metrics.regions import region_shares
    from ..render.tables import write_result

    rs = load_regions(prof, regions_file, boundary=boundary)
    keep = pick_regions(rs, only)
    frame = region_shares(st, prof, day, rs, by="actor", boundary=boundary, all_dates=all_dates, **kw)
    if keep is not None:
        frame = frame[frame["region_id"].isin(keep)].reset_index(drop=True)
    title = f"Territory by region, {prof.name}" + ("" if all_dates else f", {frame['date'].iloc[0]}")
    write_result(frame[SHOWN] if fmt == "table" and output is None else frame, fmt, output, title=title)
    _note(rs.note)
    _note("regions add up to the national figures (same boundary, same area engine)")


def changes_by_region(st: Any, prof: Any, d1: Any, d2: Any, regions_file: str | None, boundary: Any, fmt: str,
                      output: Path | None, only: list[str] | None = None) -> None:
    """``changes --by region``: where the period's gains and losses happened."""
    from ..geometry.regions import load_regions
    from ..metrics.regions import region_changes
    from ..render.tables import write_result

    rs = load_regions(prof, regions_file, boundary=boundary)
    keep = pick_regions(rs, only)
    frame = region_changes(st, prof, d1, d2, rs, by="actor", boundary=boundary)
    if keep is not None:
        frame = frame[frame["region_id"].isin(keep)].reset_index(drop=True)
    title = f"Changes {frame.attrs.get('d1', d1)} → {frame.attrs.get('d2', d2)} by region, {prof.name}"
    if fmt == "table" and output is None:
        shown = frame.drop(columns=["group"])
    else:  # a file says which dates, snapshots, regions and boundary its figures are of, on every row
        shown = frame.assign(d1=frame.attrs.get("d1", d1), d2=frame.attrs.get("d2", d2),
                             snapshot_ids=frame.attrs.get("snapshot_ids"), regions=frame.attrs.get("regions"),
                             boundary=rs.boundary_id)
    write_result(shown, fmt, output, title=title)
    _note(f"gained = held at D2 and not at D1 (gross), lost = the reverse; snapshots {frame.attrs.get('snapshot_ids')}")
    _note(rs.note)


def timeline_by_region(st: Any, prof: Any, start: Any, end: Any, every: str, regions_file: str | None,
                       boundary: Any, fmt: str, output: Path | None, only: list[str] | None = None) -> None:
    """``timeline --by region``: each region's shares at every snapshot (or the last of every period)."""
    from ..geometry.regions import load_regions
    from ..metrics.periods import Period, period_bounds, period_endpoints
    from ..metrics.regions import region_series
    from ..render.tables import write_result

    rs = load_regions(prof, regions_file, boundary=boundary)
    keep = pick_regions(rs, only)
    rows = st.current(prof.id)
    days = rows["date"].dt.date
    keep_rows = (days >= (start or days.min())) & (days <= (end or days.max())) if len(rows) else days == days
    rows = rows[keep_rows]
    if every != "snapshot" and len(rows):
        days = rows["date"].dt.date
        last_row_of = {d: i for i, d in zip(rows.index, days, strict=True)}  # rows are in time order
        ds = sorted(last_row_of)
        ends = [period_endpoints(ds, Period(lo, hi), presorted=True).after
                for lo, hi in period_bounds(ds[0], ds[-1], every)]
        rows = rows.loc[list(dict.fromkeys(last_row_of[d] for d in ends if d is not None))]
    frame = region_series(st, prof, rows, rs, by="actor", boundary=boundary)
    if keep is not None and len(frame):
        frame = frame[frame["region_id"].isin(keep)].reset_index(drop=True)
    write_result(frame[SHOWN] if fmt == "table" and output is None and len(frame) else frame, fmt, output,
                title=f"Timeline by region ({every}), {prof.name}")
    _note(f"every {every}: the last snapshot on or before each period's end; {rs.note}")


def print_settlements(result: Any, prof: Any, keys: list[str] | None, by: str, run: Any) -> None:
    """The output of ``whoholds settlements``: counts per direction, the places, the definition."""
    frame = result.frame
    if keys is not None:
        frame = frame[frame["from_group"].isin(keys) | frame["to_group"].isin(keys)].reset_index(drop=True)
    frame = frame.assign(d1=result.d1.date, d2=result.d2.date, snapshot_ids=f"{result.d1.id};{result.d2.id}",
                         sources=f"{result.d1.source};{result.d2.source}")
    title = f"Settlements that changed hands {result.d1.date} → {result.d2.date} ({result.source})"
    if run.table:
        if result.directions is not None:
            run.write(result.directions.drop(columns=["group"]), "Per direction")
        else:
            run.write(result.counts.drop(columns=["group"]), f"Per {by}")
        from ..render.period_tables import settlement_view

        run.write(settlement_view(frame, prof), title, keep=("from", "to"))
        console.print(result.headline, highlight=False, soft_wrap=True)
    else:
        run.write(frame, title)
        run.note(result.headline)
    for line in result.notes:
        run.define(line)
