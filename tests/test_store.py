"""Store: re-ingest is a no-op, changed content is a new version, writes are atomic."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import data_path

from whoholds.errors import StoreError
from whoholds.ingest import ingest
from whoholds.profiles import load_profile
from whoholds.store import Store

UKRAINE = load_profile("ukraine")


def small_map(path: Path, x0: float, label: str = "Окуповано /// Occupied") -> Path:
    ring = [[x0, 48.0], [x0 + 0.5, 48.0], [x0 + 0.5, 48.5], [x0, 48.5], [x0, 48.0]]
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": label}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    ]}
    path.write_text(json.dumps(fc))
    return path


def test_reingest_is_noop_and_changed_file_is_new_version(tmp_path):
    store = Store(tmp_path / "s")
    f = small_map(tmp_path / "map_2024-05-01.geojson", 36.0)
    first = ingest([f], UKRAINE, store)
    assert [r.status for r in first.results] == ["new"]
    again = ingest([f], UKRAINE, store)
    assert [r.status for r in again.results] == ["unchanged"]
    small_map(f, 36.2)
    changed = ingest([f], UKRAINE, store)
    assert [(r.status, r.version) for r in changed.results] == [("new_version", 2)]
    assert len(store.catalog()) == 2
    assert store.latest(changed.results[0].date, "ukraine").version == 2


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "nope", create=False)


def test_failed_catalog_write_leaves_store_as_it_was(tmp_path, monkeypatch):
    store = Store(tmp_path / "s")
    ingest([small_map(tmp_path / "a_2024-05-01.geojson", 36.0)], UKRAINE, store)
    before = store.catalog()

    class FailingInsert:
        """The real connection, except that inserting catalog rows fails mid-transaction."""

        def __init__(self, con):
            self._con = con

        def __getattr__(self, name):
            return getattr(self._con, name)

        def execute(self, sql, *args):
            if sql.startswith("INSERT INTO snapshots"):
                raise RuntimeError("disk full")
            return self._con.execute(sql, *args)

    monkeypatch.setattr(store, "con", FailingInsert(store.con))
    with pytest.raises(RuntimeError):
        ingest([small_map(tmp_path / "b_2024-05-02.geojson", 36.5)], UKRAINE, store)
    monkeypatch.undo()
    after = store.catalog()
    assert after[["id", "version"]].equals(before[["id", "version"]])
    for row in after.itertuples():
        store.get(row.id)  # every catalogued snapshot is readable
    assert store.vacuum() >= 1  # the orphan file of the failed write goes away


def test_ingest_killed_midway_leaves_a_readable_store(tmp_path):
    """SIGKILL an ingest of many snapshots at an arbitrary moment; everything catalogued stays readable."""
    folder = data_path("ukraine", "deepstate_raw_feed_monthly")
    store_dir = tmp_path / "s"
    code = (
        "import sys; from whoholds.ingest import ingest; from whoholds.store import Store; "
        "from whoholds.profiles import load_profile; import whoholds.ingest as m; m.BATCH = 3; "
        f"ingest([{str(folder)!r}], load_profile('ukraine'), Store({str(store_dir)!r}), workers=1)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.time() + 60
    while time.time() < deadline and not (store_dir / "snapshots").exists():
        time.sleep(0.05)
    time.sleep(1.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = Store(store_dir)
    rows = store.catalog()
    for row in rows.itertuples():
        assert store.get(row.id).features is not None
    assert not list((store_dir / "snapshots").glob(".tmp-*")) or store.vacuum() >= 0


def test_identical_bytes_under_another_dated_name_are_a_new_snapshot(tmp_path):
    """Re-ingest skips parsing a file stored under the same name; a copy dated by another name still counts."""
    store = Store(tmp_path / "s")
    first = small_map(tmp_path / "map_2024-05-01.geojson", 36.0)
    ingest([first], UKRAINE, store)
    copy = tmp_path / "map_2024-05-02.geojson"
    copy.write_bytes(first.read_bytes())
    report = ingest([first, copy], UKRAINE, store)
    assert [(r.status, str(r.date)) for r in report.results] == [("unchanged", "2024-05-01"), ("new", "2024-05-02")]
