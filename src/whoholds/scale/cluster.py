"""Where Dask work runs, and running a list of tasks there with progress and retries.

:func:`open_scheduler` gives the thing to run on: with no address a ``distributed.LocalCluster`` started here
(worker *processes*, one thread each -- the GEOS work holds the GIL in part -- bound to 127.0.0.1, no
dashboard), with a ``tcp://HOST:8786`` address a client of that cluster, or the name of one of dask's local
schedulers ("processes", "threads", "synchronous", kept for scripts and debugging). :func:`run_tasks` submits
one task per item and reports each as it completes; on a cluster every task may be retried, and a task on a
worker that dies is recomputed elsewhere by the scheduler, so a lost worker costs time, not figures.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..errors import InputError

#: Names of dask's local schedulers accepted instead of a cluster.
SCHEDULERS = ("processes", "threads", "synchronous")
_ALIASES = {"sync": "synchronous", "single-threaded": "synchronous", "multiprocessing": "processes"}
#: Times a failed task is tried again on a cluster (a worker lost mid-task is rescheduled anyway).
RETRIES = 2
#: ``progress(phase, units done by this report, total units of the phase)``.
Progress = Callable[[str, int, int], None]


def is_client(scheduler: Any) -> bool:
    """A ``dask.distributed.Client`` (or anything that submits and gathers like one)."""
    return hasattr(scheduler, "submit") and hasattr(scheduler, "gather")


def local_scheduler(name: str) -> str | None:
    """The canonical name of one of dask's local schedulers, or None for anything else."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    return key if key in SCHEDULERS else None


def check_scheduler(scheduler: Any) -> Any:
    """A local scheduler's canonical name, a client as it is; an unknown name is one clear error."""
    if scheduler is None or not isinstance(scheduler, str):
        return scheduler
    name = local_scheduler(scheduler)
    if name is None:
        raise InputError("--scheduler", f"unknown scheduler {scheduler!r} (use a tcp://HOST:PORT address of a "
                                        f"dask.distributed scheduler, or {', '.join(SCHEDULERS)})")
    return name


def cores(scheduler: Any, workers: int | None = None) -> int:
    """Worker threads available: of the cluster behind a client, else ``workers``, else this machine's."""
    if is_client(scheduler) and hasattr(scheduler, "nthreads"):
        try:
            return max(1, sum(scheduler.nthreads().values()))
        except Exception:  # a client that cannot answer: fall back to this machine
            pass
    return max(1, workers or os.cpu_count() or 1)


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise InputError("--scheduler", "a Dask cluster needs dask.distributed: pip install 'whoholds[dask]'"
                         ) from None
    return distributed


@contextmanager
def open_scheduler(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """What to run on, closed on exit (a local cluster's workers are stopped; a remote cluster is left running).

    ``scheduler``: None or "local" -- start a ``LocalCluster`` of ``workers`` processes (default: one per
    core); an address (``tcp://HOST:8786`` or ``HOST:8786``) -- connect to that scheduler; "processes",
    "threads" or "synchronous" -- dask's local schedulers, no cluster.
    """
    text = (scheduler or "").strip()
    if text and text.lower() != "local":
        name = local_scheduler(text)
        if name is not None:
            yield name
            return
        if "://" not in text and text.count(":") != 1:
            check_scheduler(text)  # raises: neither a scheduler name nor an address
        distributed = _distributed()
        try:
            client = distributed.Client(text, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise InputError(text, f"cannot reach the dask scheduler ({type(exc).__name__})") from None
        try:
            yield client
        finally:
            client.close()
        return
    distributed = _distributed()
    n = max(1, workers or os.cpu_count() or 1)
    # No dashboard; the scheduler's small HTTP server (health, metrics) still runs: on 127.0.0.1, any free port
    cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None, silence_logs=logging.ERROR,
                                       scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})
    try:
        client = distributed.Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def run_tasks(scheduler: Any, fn: Callable[..., Any], items: Sequence[Any], *, workers: int | None = None,
              weights: Sequence[int] | None = None, phase: str = "", progress: Progress | None = None,
              **kwargs: Any) -> list[Any]:
    """``[fn(item, **kwargs) for item in items]`` on ``scheduler``, in item order, reporting each as it ends.

    ``weights``: the units of work of each item for ``progress`` (default 1 each).
    """
    weights = list(weights) if weights is not None else [1] * len(items)
    total = sum(weights)
    report = progress or (lambda _phase, _done, _total: None)
    report(phase, 0, total)
    if not items:
        return []
    if is_client(scheduler):
        from distributed import as_completed

        futures = [scheduler.submit(fn, item, retries=RETRIES, pure=False, **kwargs) for item in items]
        index = {fut.key: i for i, fut in enumerate(futures)}
        results: list[Any] = [None] * len(items)
        try:
            for fut in as_completed(futures):
                i = index[fut.key]
                results[i] = fut.result()
                report(phase, weights[i], total)
        finally:
            for fut in futures:
                fut.release()
        return results
    return _run_local(check_scheduler(scheduler), fn, items, workers, weights, phase, report, kwargs)


def _run_local(scheduler: str | None, fn: Callable[..., Any], items: Sequence[Any], workers: int | None,
               weights: list[int], phase: str, report: Progress, kwargs: dict[str, Any]) -> list[Any]:
    import dask
    from dask.callbacks import Callback

    tasks = [dask.delayed(fn, pure=False)(item, **kwargs) for item in items]
    weight_of = {task.key: w for task, w in zip(tasks, weights, strict=True)}
    total = sum(weights)

    class _Report(Callback):
        def _posttask(self, key: Any, result: Any, dsk: Any, state: Any, worker_id: Any) -> None:
            if key in weight_of:
                report(phase, weight_of[key], total)

    options: dict[str, Any] = {"scheduler": scheduler or "processes"}
    if workers and options["scheduler"] in ("processes", "threads"):
        options["num_workers"] = int(workers)
    if options["scheduler"] == "processes":
        options["chunksize"] = 1  # dask batches 6 tasks per worker by default: a few big tasks would share one
    with _Report():
        return list(dask.compute(*tasks, **options))
