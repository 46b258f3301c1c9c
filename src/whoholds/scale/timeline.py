"""The timeline of a whole archive on Dask: the area cache built in date ranges, then the library's timeline.

:func:`dask_timeline` runs :func:`whoholds.scale.areas.dask_areas` (areas of every snapshot and transfers of
every consecutive pair, computed in date-range tasks and stitched at their edges) and then
:func:`whoholds.metrics.timeline.timeline`, which finds everything it needs in the cache: one definition of
the timeline (periods, gains, losses, gaps, suspects), whatever computed the areas.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..profiles import Profile
from .areas import AreasReport, dask_areas
from .cluster import Progress


def dask_timeline(
    store: Any,
    profile: Profile,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    every: str = "snapshot",
    by: str = "state",
    exclude_suspect: bool = False,
    boundary: str | None = None,
    *,
    scheduler: Any,
    ranges: int | None = None,
    workers: int | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> tuple[Any, AreasReport]:
    """(:class:`~whoholds.metrics.timeline.TimelineResult`, what was computed on Dask).

    The arguments before ``scheduler`` are those of :func:`whoholds.metrics.timeline.timeline` (checked
    before any work); ``scheduler``, ``ranges``, ``workers`` and ``rebuild`` those of
    :func:`~whoholds.scale.areas.dask_areas`. The cache is filled for the whole archive (a later timeline
    of any range is a lookup); pairs the timeline needs that are not neighbours (periods, suspects) are few
    and computed by the timeline itself.
    """
    from ..metrics.changes import check_by, check_order, parse_date
    from ..metrics.periods import check_every
    from ..metrics.timeline import timeline

    check_every(every)
    check_by(by)
    day0 = parse_date(start, "--from") if start is not None else None
    day1 = parse_date(end, "--to") if end is not None else None
    if day0 is not None and day1 is not None:
        check_order(day0, day1, ("--from", "--to"))
    report = dask_areas(store, profile, scheduler, boundary=boundary, ranges=ranges, workers=workers,
                        rebuild=rebuild, progress=progress)
    result = timeline(store, profile, day0, day1, every=every, by=by, exclude_suspect=exclude_suspect,
                      boundary=boundary, workers=1)
    return result, report
