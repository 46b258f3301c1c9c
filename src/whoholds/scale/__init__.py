"""Scale out on Dask: the whole Dask side of whoholds in one package.

* :mod:`whoholds.scale.cluster` -- where the work runs (a ``distributed.LocalCluster`` started here, a cluster
  at ``tcp://HOST:8786``, or dask's local schedulers) and running tasks there with progress and retries;
* :mod:`whoholds.scale.driver` -- :func:`dask_shares` and :func:`dask_ingest` (the process that plans the work,
  collects the small results and alone writes the catalog);
* :mod:`whoholds.scale.partitions` -- what a worker runs for them: contiguous runs of sources, each walked
  with the library's incremental engine;
* :mod:`whoholds.scale.areas` and :mod:`whoholds.scale.timeline` -- the area cache of a whole archive built
  in date ranges stitched exactly at their edges, and :func:`dask_timeline` on top of it.
"""

from __future__ import annotations

from .areas import AreasReport, dask_areas
from .cluster import SCHEDULERS, open_scheduler
from .driver import DaskIngestReport, dask_ingest, dask_shares
from .partitions import plan_partitions
from .timeline import dask_timeline

__all__ = ["SCHEDULERS", "AreasReport", "DaskIngestReport", "dask_areas", "dask_ingest", "dask_shares",
           "dask_timeline", "open_scheduler", "plan_partitions"]
