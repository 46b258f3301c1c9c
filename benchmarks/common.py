"""Helpers shared by the benchmarks: data location, wall clock and peak memory of a process tree."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

DATA = Path(os.environ.get("WHOHOLDS_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"))


@dataclass
class Measure:
    seconds: float = 0.0
    peak_rss_mb: float = 0.0


@contextmanager
def measured(label: str = ""):
    """Wall time and peak RSS of this process plus all its children (sampled every 50 ms)."""
    me = psutil.Process()
    result = Measure()
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                total = me.memory_info().rss
                for child in me.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        total += child.memory_info().rss
                result.peak_rss_mb = max(result.peak_rss_mb, total / 2**20)
            except psutil.Error:
                pass
            stop.wait(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    start = time.perf_counter()
    try:
        yield result
    finally:
        result.seconds = time.perf_counter() - start
        stop.set()
        thread.join()
        if label:
            print(f"  {label}: {result.seconds:.2f} s, peak RSS {result.peak_rss_mb:.0f} MB", flush=True)
