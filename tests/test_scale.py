"""Dask scale-out (whoholds.scale) against the in-process engine on the real monthly DeepStateMap feed."""

from __future__ import annotations

import gzip
import shutil

import numpy as np
import pandas as pd
import pytest
from conftest import data_path
from typer.testing import CliRunner

from whoholds.cli import app
from whoholds.errors import InputError, QueryError
from whoholds.ingest import ingest
from whoholds.metrics.shares import SHARE_COLUMNS, shares
from whoholds.profiles import load_profile
from whoholds.scale import dask_ingest, dask_shares, plan_partitions
from whoholds.store import Store

UKRAINE = load_profile("ukraine")
TOL_KM2 = 1e-6


def monthly():
    return data_path("ukraine", "deepstate_raw_feed_monthly")


@pytest.fixture(scope="module")
def subset(tmp_path_factory):
    """Six consecutive monthly files (2024-06 .. 2024-11), copied in shuffled name order."""
    folder = tmp_path_factory.mktemp("subset")
    names = sorted(p.name for p in monthly().glob("deepstate_raw_2024-*.geojson.gz"))[5:11]
    assert len(names) == 6
    for name in names:
        shutil.copy(monthly() / name, folder / name)
    return folder


def assert_same_shares(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == list(want.columns) == SHARE_COLUMNS
    assert len(got) == len(want)
    for col in ("date", "group", "name", "kind", "snapshot_id", "source", "boundary", "method", "whoholds_version"):
        assert got[col].tolist() == want[col].tolist(), col
    assert np.abs(got["area_km2"].to_numpy() - want["area_km2"].to_numpy()).max() <= TOL_KM2
    assert np.abs(got["overlap_km2"].to_numpy() - want["overlap_km2"].to_numpy()).max() <= TOL_KM2
    assert np.abs(got["share_pct"].to_numpy() - want["share_pct"].to_numpy()).max() <= 1e-9


def test_synchronous_equals_in_process_shares_on_the_monthly_feed(monthly_store):
    want = shares(monthly_store, UKRAINE, all_dates=True, by="state")
    got = dask_shares([monthly()], UKRAINE, by="state", scheduler="synchronous", partitions=5)
    assert want["date"].nunique() == 41
    assert_same_shares(got, want)
    # a real figure: the raw feed's occupied area on 2024-12-01 is about 66,000 km² (+43,000 since 2014)
    day = got[got["date"].astype(str) == "2024-12-01"].set_index("group")
    assert 60_000 < day.loc["occupied", "area_km2"] < 72_000
    assert 42_000 < day.loc["occupied_2014", "area_km2"] < 44_000


def test_processes_scheduler_on_a_small_archive(subset, monthly_store):
    got = dask_shares([subset], "ukraine", by="state", scheduler="processes", partitions=2, workers=2)
    want = shares(monthly_store, UKRAINE, all_dates=True, by="state")
    want = want[want["snapshot_id"].isin(set(got["snapshot_id"]))].reset_index(drop=True)
    assert got["snapshot_id"].nunique() == 6
    got["source"] = got["source"].str.rsplit("/", n=1).str[-1]
    want["source"] = want["source"].str.rsplit("/", n=1).str[-1]
    assert_same_shares(got, want)


def test_threads_and_grouping_by_actor(subset, monthly_store):
    got = dask_shares([subset], UKRAINE, by="actor", scheduler="threads", partitions=3, workers=2)
    want = shares(monthly_store, UKRAINE, all_dates=True, by="actor")
    want = want[want["snapshot_id"].isin(set(got["snapshot_id"]))].reset_index(drop=True)
    got["source"] = want["source"]  # the subset lives in another folder
    assert_same_shares(got, want)
    assert set(got["group"]) >= {"russia", "ukraine"}


def test_partitions_are_contiguous_runs_in_time_order(subset):
    plan = plan_partitions([subset], 4)
    assert sum(len(p) for p in plan) == 6 and all(1 <= len(p) <= 2 for p in plan)
    names = [s.name.rsplit("/", 1)[-1] for part in plan for _, s in part]
    assert names == sorted(names) and len(plan) == 4
    assert len(plan_partitions([subset], 100)) == 6  # never more partitions than sources


def test_dask_ingest_gives_the_store_ingest_gives(subset, tmp_path):
    ref = Store(tmp_path / "ref")
    assert ingest([subset], UKRAINE, ref, workers=1).ok
    st = Store(tmp_path / "dask")
    report = dask_ingest([subset], UKRAINE, st, scheduler="synchronous", partitions=3)
    assert report.ok and report.count("new") == 6 and report.sources == 6
    cols = ["id", "date", "timestamp", "version", "kind", "content_hash", "n_features", "states", "unmapped"]
    pd.testing.assert_frame_equal(st.catalog()[cols], ref.catalog()[cols])
    # areas of every snapshot and transfers of every consecutive pair are cached: shares/timelines are lookups
    ids = st.current("ukraine")["id"].tolist()
    cached = set(st.con.execute("SELECT DISTINCT from_id, to_id FROM transfers").fetchall())
    assert set(zip(ids[:-1], ids[1:], strict=True)) <= cached
    assert st.con.execute("SELECT count(DISTINCT snapshot_id) FROM areas").fetchone()[0] == 6
    assert_same_shares(shares(st, UKRAINE, all_dates=True, by="state"), shares(ref, UKRAINE, all_dates=True,
                                                                                by="state"))
    transfers = st.con.execute("SELECT from_id, to_id, from_state, to_state, area_km2 FROM transfers "
                               "WHERE from_state <> '' ORDER BY ALL").df()
    ref_t = ref.con.execute("SELECT from_id, to_id, from_state, to_state, area_km2 FROM transfers "
                            "WHERE from_state <> '' ORDER BY ALL").df()
    assert transfers[["from_id", "to_id", "from_state", "to_state"]].equals(
        ref_t[["from_id", "to_id", "from_state", "to_state"]])
    assert np.abs(transfers["area_km2"].to_numpy() - ref_t["area_km2"].to_numpy()).max() <= TOL_KM2
    again = dask_ingest([subset], UKRAINE, st, scheduler="synchronous", partitions=2)
    assert again.count("unchanged") == 6
    n = st.con.execute("SELECT count(*) FROM transfers").fetchone()[0]
    assert n == len(st.con.execute("SELECT DISTINCT * EXCLUDE (area_km2) FROM transfers").fetchall())


def test_unreadable_inputs(subset, tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(subset, folder)
    (folder / "deepstate_raw_2024-12-01_1733089579.geojson.gz").write_bytes(gzip.compress(b'{"type": "Feature'))
    with pytest.raises(InputError) as err:
        dask_shares([folder], UKRAINE, scheduler="synchronous", partitions=2)
    assert "2024-12-01" in str(err.value) and "\n" not in str(err.value)
    errors: list[InputError] = []
    frame = dask_shares([folder], UKRAINE, scheduler="synchronous", partitions=2, errors=errors)
    assert len(errors) == 1 and frame["snapshot_id"].nunique() == 6
    with pytest.raises(InputError, match="no such file"):
        dask_shares([tmp_path / "missing"], UKRAINE, scheduler="synchronous")
    with pytest.raises(InputError, match="scheduler"):
        dask_shares([subset], UKRAINE, scheduler="gpu")
    with pytest.raises(QueryError, match="grouping"):
        dask_shares([subset], UKRAINE, by="party", scheduler="synchronous")


def test_cli_dask_shares_and_ingest(subset, tmp_path):
    runner = CliRunner()
    out = tmp_path / "shares.csv"
    res = runner.invoke(app, ["dask", "shares", str(subset), "--by", "state", "--scheduler", "synchronous",
                              "--format", "csv", "-o", str(out)])
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == SHARE_COLUMNS and frame["date"].nunique() == 6
    res = runner.invoke(app, ["dask", "ingest", str(subset), "--store", str(tmp_path / "st"), "--scheduler",
                              "synchronous", "--partitions", "2"])
    assert res.exit_code == 0, res.output
    assert "6 new" in res.output
    res = runner.invoke(app, ["dask", "shares", str(subset), "--scheduler", "quantum"])
    assert res.exit_code == 2 and "unknown scheduler" in res.output and "Traceback" not in res.output


def test_archive_members_are_spilled_not_held(subset, tmp_path, monkeypatch):
    """A .tar of the subset: the same figures and names as ingesting the archive in process."""
    import tarfile

    from whoholds.scale import driver as scale

    archive = tmp_path / "feed.tar"
    with tarfile.open(archive, "w") as tar:
        for p in sorted(subset.iterdir()):
            tar.add(p, arcname=f"geojsons/{p.name}")
    ref = Store(tmp_path / "ref")
    assert ingest([archive], UKRAINE, ref, workers=1).ok
    want = shares(ref, UKRAINE, all_dates=True, by="state")
    seen: list = []
    real = scale.run_partition

    def spy(items, *args, **kwargs):
        items = list(items)
        seen.extend(s for _, s in items)
        return real(items, *args, **kwargs)

    monkeypatch.setattr(scale, "run_partition", spy)
    got = dask_shares([archive], UKRAINE, by="state", scheduler="synchronous", partitions=3)
    assert_same_shares(got, want)
    assert got["source"].iloc[0].startswith(f"{archive}::geojsons/")
    assert len(seen) == 6 and all(s.data is None and s.path is not None for s in seen)  # paths, not bytes
    assert not any(s.path.exists() for s in seen)  # the temporary spill folder is gone
