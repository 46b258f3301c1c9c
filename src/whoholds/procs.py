"""Worker processes that die with their parent.

A killed ``ingest`` (SIGKILL, OOM killer, a closed terminal) must not leave its worker processes running:
each worker starts a watchdog thread that polls its parent's pid and exits the moment the parent is gone
(re-parented workers see another ``getppid()``). Polling is portable and, unlike Linux's
``PR_SET_PDEATHSIG``, does not fire when merely the *thread* that spawned the worker ends.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

#: Seconds between two looks at the parent.
POLL = 0.25
MAX_WORKERS = 64


def check_workers(workers: int | None) -> int | None:
    """``workers`` itself, or ValueError-free InputError for a count that is not 1..MAX_WORKERS."""
    from .errors import InputError

    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise InputError("--workers", f"must be between 1 and {MAX_WORKERS}, not {workers}")
    return workers


def _watch(parent: int) -> None:
    while True:
        time.sleep(POLL)
        if os.getppid() != parent:
            os._exit(1)  # the parent is gone: nothing this worker computes can be used


def die_with_parent(parent: int) -> None:
    """Pool initializer: exit as soon as ``parent`` is no longer this process's parent."""
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="whoholds-parent-watch", daemon=True).start()


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A spawn-context process pool whose workers die with this process."""
    from multiprocessing import get_context

    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=die_with_parent,
                               initargs=(os.getpid(),))


def release_memory(*, arrow: bool = False) -> None:
    """Hand freed heap back to the system (glibc keeps it otherwise: a long-lived worker grows by the
    fragments of every map it parsed or overlaid). A no-op where there is no glibc. ``arrow``: also the unused
    memory of pyarrow's pool (mimalloc/jemalloc keep ~20 MB after the store's Parquet writes), when loaded."""
    if arrow and "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    import ctypes

    try:  # by its soname: ctypes.util.find_library would run ldconfig in a child process
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
