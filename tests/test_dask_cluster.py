"""A real dask.distributed LocalCluster (2 worker processes) against the single-process engine.

Over the real daily archive (769 daily maps of DeepStateMap's occupied area, 2024-07-08 .. 2026-08-22): the
catalog, the cached areas and transfers and the timelines built on the cluster in date ranges equal those of
the single-process ingest to 1e-6 km²; a worker killed mid-job costs time, not figures. Every test runs
under a deadline and the cluster is always closed.
"""

from __future__ import annotations

import os
import shutil
import signal
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest
from conftest import data_path
from typer.testing import CliRunner

from whoholds.cli import app
from whoholds.ingest import ingest
from whoholds.metrics.shares import shares
from whoholds.metrics.timeline import timeline
from whoholds.profiles import load_profile
from whoholds.scale import dask_areas, dask_ingest, dask_shares, dask_timeline, open_scheduler
from whoholds.store import Store

pytest.importorskip("distributed")

UKRAINE = load_profile("ukraine")
TOL_KM2 = 1e-6
DAILY = "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz"


@contextmanager
def deadline(seconds: int):
    """Fail (rather than hang CI) if a cluster job takes longer than this."""

    def expire(*_):
        raise TimeoutError(f"cluster job still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def client():
    with open_scheduler(None, workers=2) as c:
        with deadline(120):
            c.wait_for_workers(2)
            pids = set(c.run(os.getpid).values())
        assert len(pids) == 2 and os.getpid() not in pids  # processes, not threads
        yield c
    import psutil

    assert not any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE for p in pids)


@pytest.fixture(scope="module")
def daily():
    return data_path("ukraine", DAILY)


@pytest.fixture(scope="module")
def reference(daily, tmp_path_factory):
    """The single-process ingest (areas and transfers by the in-process incremental walk)."""
    store = Store(tmp_path_factory.mktemp("ref") / "store")
    assert ingest([daily], UKRAINE, store, workers=1, unlabelled_state="occupied").ok
    return store


@pytest.fixture(scope="module")
def on_cluster(daily, client, tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("dask") / "store")
    seen: list[tuple[str, int, int]] = []
    with deadline(300):
        report = dask_ingest([daily], UKRAINE, store, unlabelled_state="occupied", scheduler=client,
                             progress=lambda *a: seen.append(a))
    return store, report, seen


def cache(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cached areas, and transfers of consecutive pairs (timelines also cache a few others: periods, suspects)."""
    areas = store.con.execute("SELECT snapshot_id, state, area_km2, overlap_km2 FROM areas ORDER BY ALL").df()
    transfers = store.con.execute("SELECT from_id, to_id, from_state, to_state, area_km2 FROM transfers "
                                  "ORDER BY from_id, to_id, from_state, to_state").df()
    ids = store.current("ukraine")["id"].tolist()
    pairs = set(zip(ids[:-1], ids[1:], strict=True))
    keep = [p in pairs for p in zip(transfers["from_id"], transfers["to_id"], strict=True)]
    return areas, transfers[keep].reset_index(drop=True)


def assert_same_cache(got: Store, want: Store) -> None:
    (ga, gt), (wa, wt) = cache(got), cache(want)
    assert len(ga) == len(wa) and len(gt) == len(wt)
    for col in ("snapshot_id", "state"):
        assert ga[col].tolist() == wa[col].tolist()
    for col in ("from_id", "to_id", "from_state", "to_state"):
        assert gt[col].tolist() == wt[col].tolist()
    assert np.abs(ga["area_km2"].to_numpy() - wa["area_km2"].to_numpy()).max() <= TOL_KM2
    assert np.abs(ga["overlap_km2"].to_numpy() - wa["overlap_km2"].to_numpy()).max() <= TOL_KM2
    assert np.abs(gt["area_km2"].to_numpy() - wt["area_km2"].to_numpy()).max() <= TOL_KM2


def assert_same_timeline(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert len(got) == len(want) > 0
    for col in ("date", "group", "snapshot_id", "from_snapshot_id", "suspect", "carried"):
        assert got[col].tolist() == want[col].tolist(), col
    for col in ("area_km2", "gains_km2", "losses_km2", "net_km2"):
        a, b = got[col].to_numpy(float), want[col].to_numpy(float)
        assert np.array_equal(np.isnan(a), np.isnan(b)), col
        assert np.nanmax(np.abs(a - b)) <= TOL_KM2, col


def test_ingest_on_the_cluster_gives_the_single_process_store(on_cluster, reference, daily):
    store, report, seen = on_cluster
    assert report.ok and report.count("new") == 769 and report.areas.workers == 2
    assert report.areas.pairs == 768 and report.areas.ranges >= 2 and report.areas.areas_written == 769
    cols = ["id", "date", "version", "kind", "content_hash", "n_features", "states"]
    pd.testing.assert_frame_equal(store.catalog()[cols], reference.catalog()[cols])
    assert_same_cache(store, reference)
    # progress came from the tasks as they ended, and added up to the work of each phase
    done = {}
    for phase, n, total in seen:
        done[phase] = (done.get(phase, (0, total))[0] + n, total)
    assert done["areas"] == (768, 768) and done["reading maps"] == (1, 1)
    # an independent figure: the geodesic area (pyproj.Geod) of that day's raw feature, which SOURCES.md puts at
    # ≈ 111,181 km²; clipped to Ukraine's boundary the occupied area is a little smaller, never larger
    import json
    import lzma

    import shapely
    from pyproj import Geod

    with lzma.open(daily, "rt") as fh:
        feature = next(f for f in json.load(fh)["features"] if f["properties"]["date"] == "2024-12-01")
    raw = abs(Geod(ellps="WGS84").geometry_area_perimeter(shapely.geometry.shape(feature["geometry"]))[0]) / 1e6
    assert raw == pytest.approx(111_181, rel=0.005)
    day = shares(store, UKRAINE, pd.Timestamp("2024-12-01").date(), by="actor").set_index("group")
    assert 0.97 * raw < day.loc["russia", "area_km2"] <= raw


def test_timeline_in_date_ranges_stitched_at_the_edges(on_cluster, reference, client):
    store, _, _ = on_cluster
    with deadline(300):
        result, report = dask_timeline(store, UKRAINE, scheduler=client, ranges=5, rebuild=True)
    assert report.ranges == 5 and len(report.edges) == 4 and report.pairs == 768
    assert_same_timeline(result.frame, timeline(reference, UKRAINE).frame)
    # the pairs across the edges (last snapshot of one range → first of the next) are the reference's
    rows = store.current("ukraine")
    for edge in report.edges:
        i = int(np.flatnonzero(rows["date"].dt.date.astype(str) == edge)[0])
        pair = [rows["id"].iloc[i - 1], rows["id"].iloc[i]]
        q = "SELECT from_state, to_state, area_km2 FROM transfers WHERE from_id = ? AND to_id = ? ORDER BY ALL"
        got, want = store.con.execute(q, pair).fetchall(), reference.con.execute(q, pair).fetchall()
        assert [g[:2] for g in got] == [w[:2] for w in want] and len(got) >= 1
        assert all(abs(g[2] - w[2]) <= TOL_KM2 for g, w in zip(got, want, strict=True))
    monthly = dask_timeline(store, UKRAINE, every="month", by="actor", scheduler=client)[0]
    assert_same_timeline(monthly.frame, timeline(reference, UKRAINE, every="month", by="actor").frame)


def test_shares_from_files_on_the_cluster(client, monthly_store, tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    monthly = data_path("ukraine", "deepstate_raw_feed_monthly")
    for name in sorted(p.name for p in monthly.glob("deepstate_raw_2023-*.geojson.gz"))[:4]:
        shutil.copy(monthly / name, folder / name)
    with deadline(180):
        got = dask_shares([folder], UKRAINE, by="state", scheduler=client, partitions=2)
    want = shares(monthly_store, UKRAINE, all_dates=True, by="state")
    want = want[want["snapshot_id"].isin(set(got["snapshot_id"]))].reset_index(drop=True)
    assert got["snapshot_id"].nunique() == 4 and len(got) == len(want)
    assert got["group"].tolist() == want["group"].tolist()
    assert np.abs(got["area_km2"].to_numpy() - want["area_km2"].to_numpy()).max() <= TOL_KM2


def test_cli_connects_to_a_running_scheduler(on_cluster, reference, client, tmp_path):
    store, _, _ = on_cluster
    out = tmp_path / "timeline.csv"
    address = client.scheduler.address
    assert address.startswith("tcp://127.0.0.1:")
    with deadline(300):
        res = CliRunner().invoke(app, ["dask", "timeline", "--store", str(store.path), "--scheduler", address,
                                       "--every", "week", "--by", "actor", "--format", "csv", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert f"written to {out}" in res.output and "2 Dask workers" in res.output
    got = pd.read_csv(out)
    want = timeline(reference, UKRAINE, every="week", by="actor").frame
    assert len(got) == len(want)
    assert np.nanmax(np.abs(got["area_km2"].to_numpy() - want["area_km2"].to_numpy())) <= TOL_KM2
    res = CliRunner().invoke(app, ["dask", "timeline", "--store", str(store.path), "--every", "fortnight"])
    assert res.exit_code == 2 and "unknown period" in res.output and "Traceback" not in res.output


def _resource_tracker(proc) -> bool:
    """multiprocessing's resource tracker: one per parent process, kept until the parent (pytest) exits."""
    try:
        return any("resource_tracker" in part for part in proc.cmdline())
    except Exception:  # gone meanwhile
        return True


def test_cli_starts_and_stops_its_own_local_cluster(tmp_path):
    import psutil

    monthly = data_path("ukraine", "deepstate_raw_feed_monthly")
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with deadline(180):
        res = CliRunner().invoke(app, ["dask", "ingest", str(sorted(monthly.glob("*2024-0[1-3]*.geojson.gz"))[0]),
                                       str(sorted(monthly.glob("*2024-0[1-3]*.geojson.gz"))[1]),
                                       "--store", str(tmp_path / "st"), "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert "2 snapshots from 2 sources" in res.output and "2 new" in res.output and "1 Dask worker," in res.output
    assert "transfers of 1 pair (1 date range)" in res.output
    left = {p.pid for p in psutil.Process().children(recursive=True)
            if p.status() != psutil.STATUS_ZOMBIE and not _resource_tracker(p)}
    assert left <= before  # the local cluster's processes are gone


def test_a_worker_killed_mid_job_costs_time_not_figures(on_cluster, reference, client):
    """SIGKILL one of the two workers once the first range is back: the scheduler reruns its tasks."""
    store, _, _ = on_cluster
    pids = client.run(os.getpid)
    killed: list[int] = []

    def kill_once(phase, n, total):
        if n and not killed:
            pid = sorted(pids.values())[0]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    with deadline(300):
        report = dask_areas(store, UKRAINE, client, ranges=8, rebuild=True, progress=kill_once)
    assert killed and report.pairs == 768 and report.areas_written == 769
    assert set(client.run(os.getpid).values()) != set(pids.values())  # the killed worker is gone (or replaced)
    assert_same_cache(store, reference)
