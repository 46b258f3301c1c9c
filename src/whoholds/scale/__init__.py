"""Scale out on Dask: the whole Dask side of whoholds in one package.

* :mod:`whoholds.scale.driver` -- :func:`dask_shares` and :func:`dask_ingest` (the process that plans the work,
  collects the small results and alone writes the catalog);
* :mod:`whoholds.scale.partitions` -- what every worker runs: planning contiguous runs of sources and walking
  one run with the library's incremental engine.
"""

from __future__ import annotations

from .driver import SCHEDULERS, dask_ingest, dask_shares
from .partitions import plan_partitions

__all__ = ["SCHEDULERS", "dask_ingest", "dask_shares", "plan_partitions"]
