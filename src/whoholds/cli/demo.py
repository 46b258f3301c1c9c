"""`whoholds demo`: the README's main job on the local data folder."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Annotated

import typer

from .app import command, console
from .options import Run, progress_bar


@command("demo")
def demo_cmd(
    data: Annotated[Path | None, typer.Option(help="The data folder (env WHOHOLDS_DATA).")] = None,
    root: Annotated[Path, typer.Option(help="Folder for the example stores.")] = Path("whoholds-demo"),
) -> None:
    """Ingest real Ukraine and Syria maps, then print shares, a month of changes and a claim check."""
    from ..claims import check, parse_claim
    from ..examples import CLAIM, SYRIA_DATE, build_example_stores, data_folder, ukraine_month_changes
    from ..geometry.boundary import load_boundary
    from ..metrics.markers import marker_share_range, share_range_summary
    from ..metrics.shares import shares
    from ..profiles import load_profile
    from ..render.definitions import change_sentence, figure_definitions

    folder = data_folder(data)
    console.rule("[bold]whoholds demo")
    console.print(f"maps from {folder} (local copies of DeepStateMap and Wikipedia; no network needed)")
    started = time.perf_counter()
    with progress_bar(summary=False) as bar:
        bar.add_task("ingesting the example maps (the first run takes a while)", total=None)
        stores = build_example_stores(folder, root)
    n = sum(len(rep.results) for rep in stores.reports.values())
    console.print(f"ingested {n} snapshots into {root}/ in {time.perf_counter() - started:.1f} s")
    for name, rep in stores.reports.items():
        plural = "" if len(rep.results) == 1 else "s"
        console.print(f"  {name}: {len(rep.results)} snapshot{plural} ({rep.count('new')} new, "
                      f"{rep.count('unchanged')} already stored); unmapped labels: {dict(rep.unmapped) or 'none'}")
    ukraine, syria = load_profile("ukraine"), load_profile("syria")

    console.rule("Ukraine: DeepStateMap daily occupied area")
    run = Run("table", None, ukraine, stores.daily)
    run.write(shares(stores.daily, ukraine, dt.date(2024, 12, 1), by="actor"), "Who holds Ukraine on 2024-12-01")
    latest = stores.daily.dates("ukraine")[-1]
    run.write(shares(stores.daily, ukraine, latest, by="actor"), f"... and on {latest}")
    run.write(ukraine_month_changes(stores.daily, 2024, 11),
              "November 2024 (31 Oct → 30 Nov snapshots): gross gains, losses and net (km²)")
    for line in figure_definitions(ukraine, load_boundary(ukraine)):
        run.define(line)
    run.define(change_sentence())

    console.rule("Ukraine: raw DeepStateMap feed, three states")
    run.write(shares(stores.feed, ukraine, by="state"), "Occupied, grey zone, liberated")

    console.rule("Syria: Wikipedia settlement markers, July 2017")
    srun = Run("table", None, syria, stores.syria)
    srun.write(shares(stores.syria, syria, SYRIA_DATE, by="coalition"),
               "Estimated territory by coalition (voronoi-capped cells)")
    snap = stores.syria.latest(SYRIA_DATE, "syria")
    bnd = load_boundary(syria)
    for line in figure_definitions(syria, bnd, "markers", methods=("voronoi-capped",)):
        srun.define(line)
    ranges = marker_share_range(snap, syria, bnd.geometry, by="coalition")
    console.print("The estimate depends on the method:")
    for line in share_range_summary(ranges)["sentence"]:
        console.print(f"  {line}", highlight=False)
    console.rule("Claim check")
    claim = parse_claim(CLAIM, syria, dt.date(2018, 12, 11), speaker="Col. Gen. Mikhail Mizintsev")
    verdict = check(claim, stores.syria, syria)
    console.print(f"[bold]{CLAIM!r}[/] (11 Dec 2018) → [bold]{verdict.label}[/]")
    console.print(verdict.explanation, soft_wrap=True)
    console.print(f"\nstores kept in {root}/ — try: whoholds shares --store {root}/ukraine-daily --all --format csv")
