"""Marker-map commands: fetch Wikipedia map modules, strategic markers, settlement counts, marker changes,
and the territory estimate across methods (see docs/syria-markers.md).

``fetch_app`` is the ``whoholds fetch`` group; other modules add their own sources to it
(``from .markers import fetch_app`` then ``@fetch_app.command("deepstate")``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from ..errors import QueryError, StoreError
from ..geometry.cells import DEFAULT_MAX_DISTANCE_KM, MARKER_METHODS
from ..io.fetch_wikipedia import DEFAULT_MODULE, DEFAULT_SITE, MARKS_MODULE
from .app import app, command, console, user_errors
from .options import (
    BoundaryOpt,
    ByOpt,
    FormatOpt,
    OutputOpt,
    ProfileOpt,
    StoreOpt,
    check_format,
    open_store,
    parse_day,
    profile_of,
)

fetch_app = typer.Typer(
    help="Download public control maps into a folder (then `whoholds ingest FOLDER`).",
    no_args_is_help=True,
)
app.add_typer(fetch_app, name="fetch")

DateOpt = Annotated[str | None, typer.Option("--date", help="Snapshot date YYYY-MM-DD (default: the latest).")]
NearestOpt = Annotated[bool, typer.Option("--nearest", help="Use the stored snapshot nearest to --date.")]


def _snapshot(store, profile, date: str | None, nearest: bool = False, what: str = "--date"):  # noqa: ANN001, ANN202
    """The marker snapshot asked for: exactly that date, the nearest one (--nearest), or the latest."""
    day = parse_day(date, what)
    if day is None:
        dates = store.dates(profile.id)
        if not dates:
            raise StoreError(
                store.path,
                f"the store has no {profile.id} snapshots; run `whoholds ingest MODULE "
                f"--profile {profile.id} --date D` first",
            )
        return store.latest(dates[-1], profile.id)
    if nearest:
        snap, distance = store.nearest(day, profile.id)
        if distance:
            console.print(
                f"[dim]{what} {day}: using the nearest snapshot, {snap.date} "
                f"({abs(distance)} days {'later' if distance > 0 else 'earlier'})[/]"
            )
        return snap
    return store.latest(day, profile.id)


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out = [v.strip() for item in values for v in item.split(",") if v.strip()]
    return out or None


# ---------------------------------------------------------------------------------------------------------
@fetch_app.command("wikipedia")
@user_errors
def fetch_wikipedia_cmd(
    module: Annotated[str, typer.Option(help="Module name, with or without 'Module:'.")] = DEFAULT_MODULE,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Revision current at the end of this day (YYYY-MM-DD, UTC); default: the latest."),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to save into.")] = Path("."),
    site: Annotated[str, typer.Option(help="Wiki host.")] = DEFAULT_SITE,
    marks: Annotated[bool, typer.Option(help=f"Also save 'Module:{MARKS_MODULE}' (the legend) of that date.")] = False,
) -> None:
    """Download the revision of a Wikipedia map module current on a date (MediaWiki API)."""
    from ..io.fetch_wikipedia import fetch_wikipedia_module, save_module

    day = parse_day(as_of, "--as-of")
    fetched = fetch_wikipedia_module(module, day, site)
    path = save_module(fetched, output)
    console.print(
        f"{fetched.title}: revision {fetched.revid} of {fetched.timestamp:%Y-%m-%d %H:%M} UTC "
        f"({len(fetched.text):,} characters) -> {path}"
    )
    if marks:
        legend = fetch_wikipedia_module(MARKS_MODULE, day, site)
        console.print(f"{legend.title}: revision {legend.revid} -> {save_module(legend, output)}")
    console.print(f"[dim]Next: whoholds ingest {path} --profile syria  (the date comes from the file)[/]")


# ---------------------------------------------------------------------------------------------------------
@command("markers")
def markers_cmd(
    date: DateOpt = None,
    types: Annotated[
        list[str] | None,
        typer.Option(
            "--types",
            "-t",
            help="Marker types, comma-separated: border_crossing, air, heli, naval, base, dam, "
            "oil, industry, hill (default: all but hill and industry).",
        ),
    ] = None,
    by: ByOpt = "coalition",
    nearest: NearestOpt = False,
    profile: ProfileOpt = "syria",
    store: StoreOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Strategic markers (border crossings, air bases, ports, bases, dams...) with their holders."""
    from ..io.writers import write_frame
    from ..metrics.markers import DEFAULT_STRATEGIC_TYPES, strategic_markers

    fmt = check_format(fmt, output)
    prof = profile_of(profile)
    snap = _snapshot(open_store(store), prof, date, nearest)
    frame = strategic_markers(snap, prof, _split(types) or DEFAULT_STRATEGIC_TYPES, by=by)
    if fmt == "table":
        frame = frame.assign(method="marker types: " + ", ".join(sorted(frame["feature_type"].unique())))
        frame = frame[
            ["feature_type", "name", "holder", "group_name", "lat", "lon", "source", "snapshot_id", "method"]
        ].rename(columns={"feature_type": "type", "group_name": by})
    write_frame(frame, fmt, output, title=f"Strategic markers, {prof.name}, {snap.date} ({len(frame)})")


@command("settlement-counts")
def settlement_counts_cmd(
    date: DateOpt = None,
    by: ByOpt = "coalition",
    all_markers: Annotated[bool, typer.Option("--all-markers", help="Count facilities, hills and bases too.")] = False,
    nearest: NearestOpt = False,
    by_region: Annotated[bool, typer.Option("--by-region", help="Per governorate/region.")] = False,
    regions: Annotated[str | None, typer.Option("--regions", help="Admin-1 regions file for --by-region.")] = None,
    profile: ProfileOpt = "syria",
    store: StoreOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """How many settlements (marker dots) each actor or coalition holds: "X of Y settlements"."""
    from ..io.writers import write_frame
    from ..metrics.markers import region_settlement_counts, settlement_counts

    fmt = check_format(fmt, output)
    prof = profile_of(profile)
    snap = _snapshot(open_store(store), prof, date, nearest)
    if by_region:
        per = region_settlement_counts(snap, prof, regions, by=by, settlements_only=not all_markers)
        return write_frame(per.drop(columns=["group"]) if fmt == "table" else per, fmt, output,
                           title=f"Settlements held per region, {prof.name}, {snap.date}")
    frame = settlement_counts(snap, prof, by=by, settlements_only=not all_markers)
    total = int(frame["of_total"].iloc[0]) if len(frame) else 0
    if fmt == "table":
        frame = frame[["group", "name", "count", "share_pct", "source", "snapshot_id", "method"]]
    what = "markers" if all_markers else "settlements"
    write_frame(frame, fmt, output, title=f"{what.capitalize()} held, {prof.name}, {snap.date} ({total:,} {what})")


@command("marker-changes")
def marker_changes_cmd(
    date1: Annotated[str, typer.Argument(help="Earlier snapshot date YYYY-MM-DD.")],
    date2: Annotated[str, typer.Argument(help="Later snapshot date YYYY-MM-DD.")],
    by: ByOpt = "coalition",
    all_markers: Annotated[bool, typer.Option("--all-markers", help="Facilities, hills, bases too.")] = False,
    summary: Annotated[bool, typer.Option("--summary", help="Only the counts per (from, to) pair.")] = False,
    unmatched: Annotated[bool, typer.Option(help="Also list markers that appeared or disappeared.")] = True,
    max_match_m: Annotated[float, typer.Option(help="Match markers up to this far apart (metres).")] = 500.0,
    nearest: NearestOpt = False,
    profile: ProfileOpt = "syria",
    store: StoreOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Places that changed hands between two marker snapshots (matched by position, not by name)."""
    from ..io.writers import write_frame
    from ..metrics.markers import changed_markers, changes_summary

    fmt = check_format(fmt, output)
    prof = profile_of(profile)
    st = open_store(store)
    s1 = _snapshot(st, prof, date1, nearest, "DATE1")
    s2 = _snapshot(st, prof, date2, nearest, "DATE2")
    if s1.date > s2.date:
        raise QueryError(f"{date1} {date2}", "the first date must be the earlier one")
    changes = changed_markers(s1, s2, prof, max_match_m, by=by, include_unmatched=unmatched)
    if not all_markers:
        changes = changes[changes["settlement"].astype(bool).to_numpy()].reset_index(drop=True)
    what = "markers" if all_markers else "settlements"
    counts = changes_summary(changes, prof, settlements_only=False)
    moved = int((changes["change"] == "changed hands").sum())
    title = f"{what.capitalize()} that changed hands, {prof.name}, {s1.date} → {s2.date} ({moved:,})"
    if summary:
        frame = counts[["change", "from", "to", "count"]] if fmt == "table" else counts
        write_frame(frame, fmt, output, title=title)
        return
    frame = changes
    if fmt == "table":
        frame = changes.assign(
            **{
                "from": changes["from_group"].map(lambda g: prof.display_name(g) if isinstance(g, str) else ""),
                "to": changes["to_group"].map(lambda g: prof.display_name(g) if isinstance(g, str) else ""),
                "method": f"matched by position within {max_match_m:g} m; grouped by {by}",
            }
        )[["change", "name", "feature_type", "from", "to", "lat", "lon", "method"]]
    write_frame(frame, fmt, output, title=title)
    if fmt == "table" and output is None and len(counts):
        write_frame(counts[["change", "from", "to", "count"]], "table", None, title="Summary")


@command("estimate")
def estimate_cmd(
    date: DateOpt = None,
    by: ByOpt = "coalition",
    methods: Annotated[
        list[str] | None,
        typer.Option("--methods", "-m", help=f"Comma-separated; default all: {', '.join(MARKER_METHODS)}."),
    ] = None,
    max_distance_km: Annotated[float, typer.Option(help="Cap of the *-capped methods (km).")] = DEFAULT_MAX_DISTANCE_KM,
    nearest: NearestOpt = False,
    profile: ProfileOpt = "syria",
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Territory estimate from a marker map under every method, and each group's range across them."""
    from ..geometry.boundary import load_boundary
    from ..io.writers import write_frame
    from ..metrics.markers import marker_share_range, share_range_summary

    fmt = check_format(fmt, output)
    prof = profile_of(profile)
    snap = _snapshot(open_store(store), prof, date, nearest)
    bnd = load_boundary(prof, boundary)
    chosen = _split(methods) or list(MARKER_METHODS)
    ranges = marker_share_range(snap, prof, bnd, chosen, by=by, max_distance_km=max_distance_km)
    title = f"Territory estimate from markers, {prof.name}, {snap.date} (% of {bnd.name})"
    if fmt != "table":
        write_frame(ranges, fmt, output, title=title)
        return
    wide = ranges.pivot_table(
        index=["group", "name"], columns="method", values="share_pct", aggfunc="sum", fill_value=0.0
    )
    wide = wide[[m for m in chosen if m in wide.columns]].round(2)
    summary = share_range_summary(ranges).set_index("group")
    table = wide.reset_index()
    table["min_pct"] = table["group"].map(summary["min_pct"]).round(2)
    table["max_pct"] = table["group"].map(summary["max_pct"]).round(2)
    table = table.sort_values("max_pct", ascending=False, kind="stable")
    table.columns = [str(c) for c in table.columns]
    table["boundary"] = bnd.id
    table["source"] = snap.source
    table["snapshot_id"] = snap.id
    cap = f"{max_distance_km:g} km cap for *-capped" if any(m.endswith("capped") for m in chosen) else ""
    table["method"] = "; ".join(
        x for x in ("columns are % of the boundary per method", cap, "see docs/syria-markers.md") if x
    )
    write_frame(pd.DataFrame(table), "table", output, title=title)
    for sentence in summary["sentence"].head(6):
        console.print(f"  {sentence}")
