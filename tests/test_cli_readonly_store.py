"""A store on read-only media (or shared without write permission) serves every read command; commands that
write (ingest, snapshots remove) refuse with one line; the store's bytes never change."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from whoholds.cli import app
from whoholds.ingest import ingest
from whoholds.profiles import load_profile
from whoholds.store import Store

SRC = Path(__file__).resolve().parents[1] / "src"


def square(x: float, size: float) -> list[list[float]]:
    y = 47.8
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ro")
    maps = []
    for month in (1, 2, 3):
        path = folder / f"control_2024-0{month}-01.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "Окуповано"},
             "geometry": {"type": "Polygon", "coordinates": [square(37.5, 0.2 * month)]}}]}), "utf-8")
        maps.append(path)
    with Store(folder / "store") as st:
        ingest(maps, load_profile("ukraine"), st, workers=1)
    return folder / "store"


def tree_hash(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(path)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def read_only(store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the store whose catalog cannot be opened for writing (as on a read-only mount; root ignores
    permission bits, so the refusal is simulated where DuckDB would raise it)."""
    store = tmp_path / "store"
    shutil.copytree(store_path, store)
    real = duckdb.connect

    def connect(database: str = ":memory:", read_only: bool = False, **kw: object) -> duckdb.DuckDBPyConnection:
        if str(database).startswith(str(store)) and not read_only:
            raise duckdb.IOException(f'IO Error: Cannot open file "{database}": Read-only file system')
        return real(database, read_only=read_only, **kw)

    monkeypatch.setattr("whoholds.store.duckdb.connect", connect)
    monkeypatch.setattr("os.access", lambda p, mode, **k: not (mode & os.W_OK and str(p).startswith(str(store))))
    return store


@pytest.mark.parametrize("args", [
    ["shares"], ["shares", "--all"], ["timeline", "--every", "month"], ["store", "check"], ["snapshots"],
    ["changes", "2024-01-01", "2024-03-01"], ["check", "Russia occupies 20% of Ukraine", "--date", "2024-03-01"],
])
def test_read_commands_work_on_a_read_only_store(read_only: Path, args: list[str]) -> None:
    before = tree_hash(read_only)
    result = CliRunner().invoke(app, [*args, "--store", str(read_only)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_hash(read_only) == before


@pytest.mark.parametrize("args", [["snapshots", "remove", "--date", "2024-01-01"], ["ingest", "@map"]])
def test_write_commands_refuse_a_read_only_store(read_only: Path, tmp_path: Path, args: list[str]) -> None:
    new = tmp_path / "control_2024-04-01.geojson"
    new.write_text(json.dumps({"type": "Feature", "properties": {"name": "Окуповано"},
                               "geometry": {"type": "Polygon", "coordinates": [square(37.5, 0.5)]}}), "utf-8")
    args = [str(new) if a == "@map" else a for a in args]
    before = tree_hash(read_only)
    result = CliRunner().invoke(app, [*args, "--store", str(read_only)])
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and ("writable" in lines[0] or "read-only" in lines[0])
    assert tree_hash(read_only) == before


def _can_mount_read_only() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_read_only(), reason="needs root and mount namespaces (unshare)")
def test_shares_on_a_real_read_only_bind_mount(store_path: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(store_path, store)
    before = tree_hash(store)
    script = (f"mount --bind {store} {store} && mount -o remount,ro,bind {store} && "
              f"{sys.executable} -m whoholds shares --all --store {store}")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(["unshare", "--mount", "sh", "-c", script], capture_output=True, text=True, env=env,
                          timeout=300)
    if "mount:" in done.stderr:
        pytest.skip(f"bind mount refused: {done.stderr.strip()[:100]}")
    assert done.returncode == 0, done.stderr
    assert "2024-03-01" in done.stdout
    assert tree_hash(store) == before
