"""Prepared copies of shared geometries, one per thread.

GEOS builds a prepared geometry's indexes lazily, on its first queries, so one prepared object queried from
several threads at once (the API's worker threads, Dask's threaded scheduler) can crash the process. Code that
tests many points or pieces against a geometry other code also holds (the loaded boundary) asks for
:func:`prepared` instead of calling ``shapely.prepare`` on the shared object.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

_THREAD = threading.local()
#: Geometries kept prepared per thread (a few boundaries are in use at a time).
KEEP = 8


def prepared(geom: Any) -> Any:
    """A prepared geometry equal to ``geom`` that only the calling thread uses."""
    import shapely

    cache: OrderedDict[int, tuple[Any, Any]] = _THREAD.__dict__.setdefault("cache", OrderedDict())
    hit = cache.get(id(geom))
    if hit is not None and hit[0] is geom:  # the original is kept in the entry, so its id is not reused
        cache.move_to_end(id(geom))
        return hit[1]
    copy = shapely.from_wkb(shapely.to_wkb(geom))
    shapely.prepare(copy)
    cache[id(geom)] = (geom, copy)
    while len(cache) > KEEP:
        cache.popitem(last=False)
    return copy
