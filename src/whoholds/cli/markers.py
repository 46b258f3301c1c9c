"""Marker-map commands: strategic markers, settlement counts, marker changes, and the territory estimate
across methods (see docs/syria-markers.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import QueryError, StoreError
from ..geometry.cells import DEFAULT_MAX_DISTANCE_KM, MARKER_METHODS
from .app import command, console
from .options import (
    BoundaryOpt,
    ByOpt,
    FormatOpt,
    OutputOpt,
    ProfileOpt,
    StoreOpt,
    VerboseOpt,
    WideOpt,
    begin,
    parse_day,
)

DateOpt = Annotated[str | None, typer.Option("--date", "-d", help="Snapshot date YYYY-MM-DD (default: the latest).")]
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
    profile: ProfileOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    wide: WideOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Strategic markers (border crossings, air bases, ports, bases, dams...) with their holders."""
    from ..metrics.markers import DEFAULT_STRATEGIC_TYPES, strategic_markers

    run = begin(fmt, output, profile=profile, store=store, default_profile="syria", wide=wide, verbose=verbose)
    prof = run.profile
    snap = _snapshot(run.store, prof, date, nearest)
    frame = strategic_markers(snap, prof, _split(types) or DEFAULT_STRATEGIC_TYPES, by=by)
    if run.table:
        frame = frame[["feature_type", "name", "group_name", "lat", "lon", "holder", "source", "snapshot_id"]
                      ].rename(columns={"feature_type": "type", "group_name": by})
        if not verbose:
            frame = frame.drop(columns=["holder"])
    run.write(frame, f"Strategic markers, {prof.name}, {snap.date} ({len(frame)})", keep=("name",))
    run.define(f"Holders as marked on the map of {snap.date}; “{by}” groups the map's marker colours into the "
               f"profile's {by}s.")


@command("settlement-counts")
def settlement_counts_cmd(
    date: DateOpt = None,
    by: ByOpt = "coalition",
    all_markers: Annotated[bool, typer.Option("--all-markers", help="Count facilities, hills and bases too.")] = False,
    nearest: NearestOpt = False,
    by_region: Annotated[bool, typer.Option("--by-region", help="Per governorate/region.")] = False,
    regions: Annotated[str | None, typer.Option("--regions", help="Admin-1 regions file for --by-region.")] = None,
    profile: ProfileOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    wide: WideOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """How many settlements (marker dots) each actor or coalition holds: "X of Y settlements"."""
    from ..metrics.markers import region_settlement_counts, settlement_counts

    run = begin(fmt, output, profile=profile, store=store, default_profile="syria", wide=wide, verbose=verbose)
    prof = run.profile
    snap = _snapshot(run.store, prof, date, nearest)
    if by_region:
        per = region_settlement_counts(snap, prof, regions, by=by, settlements_only=not all_markers)
        return run.write(per.drop(columns=["group"]) if run.table else per,
                         f"Settlements held per region, {prof.name}, {snap.date}")
    frame = settlement_counts(snap, prof, by=by, settlements_only=not all_markers)
    total = int(frame["of_total"].iloc[0]) if len(frame) else 0
    what = "markers" if all_markers else "settlements"
    if run.table:
        frame = frame[["name", "count", "share_pct", "group", "source", "snapshot_id", "method"]]
        if not verbose:
            frame = frame.drop(columns=["group"])
    run.write(frame, f"{what.capitalize()} held, {prof.name}, {snap.date} ({total:,} {what})")
    run.define(f"Denominator: the {total:,} {what} marked on the map of {snap.date} (dots counted, not area; "
               "a dot's holder is its marker colour).")


@command("marker-changes")
def marker_changes_cmd(
    date1: Annotated[str | None, typer.Argument(help="Earlier snapshot date YYYY-MM-DD; or give --from.")] = None,
    date2: Annotated[str | None, typer.Argument(help="Later snapshot date YYYY-MM-DD; or give --to.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="Earlier snapshot date YYYY-MM-DD (same as DATE1).")
                     ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Later snapshot date YYYY-MM-DD (same as DATE2).")] = None,
    by: ByOpt = "coalition",
    all_markers: Annotated[bool, typer.Option("--all-markers", help="Facilities, hills, bases too.")] = False,
    summary: Annotated[bool, typer.Option("--summary", help="Only the counts per (from, to) pair.")] = False,
    unmatched: Annotated[bool, typer.Option(help="Also list markers that appeared or disappeared.")] = True,
    max_match_m: Annotated[float, typer.Option(help="Match markers up to this far apart (metres).")] = 500.0,
    nearest: NearestOpt = False,
    profile: ProfileOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    wide: WideOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Places that changed hands between two marker snapshots (matched by position, not by name).

    Dates: `marker-changes D1 D2` or `marker-changes --from D1 --to D2` (YYYY-MM-DD)."""
    from ..metrics.markers import changed_markers, changes_summary
    from .changes import date_pair

    date1, date2 = date_pair(date1, date2, start, end, need_end=True)
    run = begin(fmt, output, profile=profile, store=store, default_profile="syria", wide=wide, verbose=verbose)
    prof, st = run.profile, run.store
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
    definition = (f"A place changed hands when the same marker (matched by position within {max_match_m:g} m, not "
                  f"by name) has another {by} on {s2.date} than on {s1.date}.")
    if summary:
        run.write(counts[["change", "from", "to", "count"]] if run.table else counts, title)
        run.define(definition)
        return
    frame = changes
    if run.table:
        frame = changes.assign(
            **{
                "from": changes["from_group"].map(lambda g: prof.display_name(g) if isinstance(g, str) else ""),
                "to": changes["to_group"].map(lambda g: prof.display_name(g) if isinstance(g, str) else ""),
            }
        )[["name", "from", "to", "change", "feature_type", "lat", "lon"]]
    run.write(frame, title, keep=("from", "to"))
    if run.table and len(counts):
        run.write(counts[["change", "from", "to", "count"]], "Summary")
    run.define(definition)


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
    profile: ProfileOpt = None,
    store: StoreOpt = None,
    boundary: BoundaryOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    wide: WideOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Territory estimate from a marker map under every method, and each group's range across them."""
    from ..geometry.boundary import load_boundary
    from ..metrics.markers import marker_share_range, share_range_summary
    from ..render.definitions import boundary_sentence, marker_method_sentence

    run = begin(fmt, output, profile=profile, store=store, default_profile="syria", wide=wide, verbose=verbose)
    prof = run.profile
    snap = _snapshot(run.store, prof, date, nearest)
    bnd = load_boundary(prof, boundary)
    chosen = _split(methods) or list(MARKER_METHODS)
    ranges = marker_share_range(snap, prof, bnd, chosen, by=by, max_distance_km=max_distance_km)
    title = f"Territory estimate from markers, {prof.name}, {snap.date} (% of {bnd.name})"
    definitions = [boundary_sentence(bnd), marker_method_sentence(chosen, max_distance_km)]
    if not run.table:
        run.write(ranges, title)
        for line in definitions:
            run.define(line)
        return
    by_method = ranges.pivot_table(
        index=["group", "name"], columns="method", values="share_pct", aggfunc="sum", fill_value=0.0
    )
    by_method = by_method[[m for m in chosen if m in by_method.columns]].round(2)
    summary = share_range_summary(ranges).set_index("group")
    table = by_method.reset_index()
    table.columns = [str(c) for c in table.columns]
    table.insert(2, "min_pct", table["group"].map(summary["min_pct"]).round(2))
    table.insert(3, "max_pct", table["group"].map(summary["max_pct"]).round(2))
    table = table.sort_values("max_pct", ascending=False, kind="stable")
    if not verbose:
        table = table.drop(columns=["group"])
    table = table.assign(boundary=bnd.id, source=snap.source, snapshot_id=snap.id)
    run.write(table, title + ": lowest and highest across methods, then each method")
    for line in definitions:
        run.define(line)
    for sentence in summary["sentence"].head(6):
        console.print(f"  {sentence}", highlight=False, soft_wrap=True)
    run.detail("methods: " + ", ".join(chosen) + "; see docs/syria-markers.md")
