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


# ---- one table for `benchmarks/run.py` -----------------------------------------------------------------------
SRC = Path(__file__).resolve().parents[1] / "src"


def emit(rows_file: str | None, figure: str, value: str, baseline: str, ratio: str, target: str,
         met: bool | None) -> None:
    """Append one row of the summary table (figure, its baseline, the ratio, the target) to ``rows_file``."""
    import json

    line = {"figure": figure, "value": value, "baseline": baseline, "ratio": ratio, "target": target, "met": met}
    print(f"  -> {figure}: {value} | baseline {baseline} | {ratio} | target {target}", flush=True)
    if rows_file:
        with open(rows_file, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\n")


_COMPILED = False


def whoholds_env() -> dict[str, str]:
    """Environment for child processes: this tree's sources first, the shared data, and Python's bytecode cache
    on as users have it (pip writes bytecode at install; Python caches what it compiles). A sandbox that sets
    PYTHONDONTWRITEBYTECODE would otherwise charge every timed command for compiling ~35 modules from source."""
    global _COMPILED
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not _COMPILED:
        import compileall

        compileall.compile_dir(str(SRC), quiet=1)
        _COMPILED = True
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("WHOHOLDS_DATA", str(DATA))
    return env


def wall(cmd: list[str], runs: int = 1, env: dict[str, str] | None = None, cwd: str | None = None) -> list[float]:
    """Wall seconds of ``cmd`` (a fresh process each run); raises if it fails."""
    import subprocess

    out = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env or whoholds_env(), cwd=cwd, check=False)
        out.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:4])} ... failed ({proc.returncode}): {proc.stderr[-800:]}")
    return out


def median(values: list[float]) -> float:
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


DAILY = DATA / "ukraine" / "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz"
RAW = DATA / "ukraine" / "deepstate_raw_feed_all_2022-04-03_2025-08-03.tar.xz"


def daily_store(work: Path) -> Path:
    """A store holding the 769-snapshot daily archive (ingested once per work folder, by the CLI)."""
    import subprocess
    import sys

    store = work / "daily-store"
    if not (store / "catalog.duckdb").exists():
        subprocess.run([sys.executable, "-m", "whoholds", "ingest", str(DAILY), "--unlabelled-state", "occupied",
                        "--store", str(store)], env=whoholds_env(), check=True, capture_output=True)
    return store
