"""An ingest killed part-way (between writing snapshot files and committing the catalog, or before the areas
are cached) leaves a store that `store check` calls healthy, and re-running the same ingest completes it:
the figures then equal those of a store filled in one clean run."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from whoholds import ingest as ingest_module
from whoholds.ingest import ingest
from whoholds.metrics.shares import shares
from whoholds.profiles import load_profile
from whoholds.store import Store
from whoholds.store_check import check_store

UKRAINE = load_profile("ukraine")
SRC = Path(__file__).resolve().parents[1] / "src"


def maps(folder: Path, n: int = 6) -> list[Path]:
    out = []
    for i in range(n):
        size = 0.1 + 0.05 * i
        ring = [[37.5, 47.8], [37.5 + size, 47.8], [37.5 + size, 47.8 + size], [37.5, 47.8 + size], [37.5, 47.8]]
        path = folder / f"control_{dt.date(2024, 1, 1) + dt.timedelta(days=i)}.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
            "name": "Окуповано"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), "utf-8")
        out.append(path)
    return out


def figures(store: Store) -> list[tuple]:
    frame = shares(store, UKRAINE, all_dates=True)
    cols = [c for c in ("date", "group", "km2") if c in frame.columns]
    return sorted(tuple(round(v, 6) if isinstance(v, float) else v for v in row)
                  for row in frame[cols].itertuples(index=False))


@pytest.fixture
def reference(tmp_path: Path) -> tuple[list[Path], list[tuple]]:
    src = tmp_path / "src"
    src.mkdir()
    paths = maps(src)
    with Store(tmp_path / "clean") as st:
        ingest(paths, UKRAINE, st, workers=1)
        return paths, figures(st)


@pytest.mark.parametrize("where", ["catalog", "areas"])
def test_rerun_after_a_crash_completes_the_store(reference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 where: str) -> None:
    paths, expected = reference
    monkeypatch.setattr(ingest_module, "BATCH", 2)
    calls = {"n": 0}
    real_put, real_refresh = Store.put_many, ingest_module.refresh_areas

    def crashing_put(self: Store, snaps: list) -> list:
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch's files are written; the catalog never hears of them
            raise KeyboardInterrupt
        return real_put(self, snaps)

    def crashing_refresh(*a: object, **k: object) -> None:
        raise KeyboardInterrupt

    if where == "catalog":
        monkeypatch.setattr(Store, "put_many", crashing_put)
    else:
        monkeypatch.setattr(ingest_module, "refresh_areas", crashing_refresh)
    st = Store(tmp_path / "store")
    with pytest.raises(KeyboardInterrupt):
        ingest(paths, UKRAINE, st, workers=1)
    st.close()
    monkeypatch.setattr(Store, "put_many", real_put)
    monkeypatch.setattr(ingest_module, "refresh_areas", real_refresh)
    with Store(tmp_path / "store") as st:
        assert check_store(st).healthy
        report = ingest(paths, UKRAINE, st, workers=1)
        assert report.ok
        assert len(st.current("ukraine")) == len(paths)
        assert check_store(st).healthy
        assert figures(st) == expected


def test_killed_ingest_process_then_rerun(reference, tmp_path: Path) -> None:
    """A real SIGKILL of `whoholds ingest` at some point of its run; the re-run completes the store."""
    paths, expected = reference
    many = tmp_path / "many"
    many.mkdir()
    more = maps(many, 40)
    store = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    cmd = [sys.executable, "-m", "whoholds", "ingest", str(many), "--store", str(store), "--profile", "ukraine",
           "--workers", "1"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not (store / "catalog.duckdb").exists():
        time.sleep(0.05)
    time.sleep(0.3)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with Store(store) as st:
        assert check_store(st).healthy
        assert len(st.current("ukraine")) == len(more)
        assert [r for r in figures(st) if str(r[0]) <= "2024-01-06"] == expected
