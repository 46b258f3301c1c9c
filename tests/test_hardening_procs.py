"""Worker processes die with their parent; internal errors print one line and log the traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import data_path

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(x) for x in (task / "children").read_text().split()}
        except OSError:
            continue
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # a zombie has exited


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_sigkilled_ingest_leaves_no_worker(tmp_path: Path) -> None:
    folder = data_path("ukraine", "deepstate_raw_feed_monthly")
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.Popen([sys.executable, "-m", "whoholds", "ingest", str(folder), "--store",
                             str(tmp_path / "store"), "--workers", "2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        kids = _children(proc.pid)
        grandkids = set().union(*(_children(k) for k in kids)) if kids else set()
        workers |= kids | grandkids
        if len(kids) >= 2:  # the resource tracker and at least one worker are up
            time.sleep(1.0)  # let the workers get busy
            workers |= _children(proc.pid)
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the ingest finished before its workers could be seen")
    assert workers, "no worker process seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    survivors = [w for w in workers if _alive(w)]
    for w in survivors:  # do not leave them behind even when the test fails
        os.kill(w, signal.SIGKILL)
    assert not survivors, f"{len(survivors)} of {len(workers)} workers outlived the killed ingest"


def test_worker_pool_workers_exit_when_parent_dies(tmp_path: Path) -> None:
    """The same, for the pool itself: a parent that dies mid-task takes its workers along."""
    script = tmp_path / "parent.py"
    pids = tmp_path / "pids"
    script.write_text(f"""
import os, time
from whoholds.procs import worker_pool

def busy(path):
    with open(path, "a") as fh:
        fh.write(f"{{os.getpid()}}\\n")
    time.sleep(120)

if __name__ == "__main__":
    pool = worker_pool(2)
    for _ in range(2):
        pool.submit(busy, {str(pids)!r})
    time.sleep(120)
""")
    proc = subprocess.Popen([sys.executable, str(script)], env={**os.environ, "PYTHONPATH": SRC})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not pids.exists() or len(pids.read_text().split()) < 2):
        time.sleep(0.05)
    workers = {int(x) for x in pids.read_text().split()}
    assert len(workers) == 2
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    survivors = [w for w in workers if _alive(w)]
    for w in survivors:
        os.kill(w, signal.SIGKILL)
    assert not survivors


def test_internal_error_is_one_line_and_logged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from whoholds.cli import app

    log = tmp_path / "logs" / "error.log"
    monkeypatch.setenv("WHOHOLDS_LOG", str(log))

    def boom(*_a: object, **_k: object) -> None:
        raise ZeroDivisionError("a bug [deep] inside")

    monkeypatch.setattr("whoholds.ingest.ingest", boom)
    path = tmp_path / "control_2024-03-01.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    result = CliRunner().invoke(app, ["ingest", str(path), "--store", str(tmp_path / "store")])
    assert result.exit_code == 3
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines == [f"internal error: ZeroDivisionError: a bug [deep] inside; details in {log}"]
    text = log.read_text()
    assert "Traceback" in text and "ZeroDivisionError" in text and "boom" in text


def test_os_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from whoholds.cli import app

    def full(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / "store" / "x.parquet"))

    monkeypatch.setattr("whoholds.ingest.ingest", full)
    path = tmp_path / "control_2024-03-01.geojson"
    path.write_text("{}")
    result = CliRunner().invoke(app, ["ingest", str(path), "--store", str(tmp_path / "store")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'store' / 'x.parquet'}: No space left on device"


def test_missing_optional_package_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from whoholds.cli import app

    def needs_cleaner(*_a: object, **_k: object) -> None:
        raise ModuleNotFoundError("No module named 'lxml_html_clean'", name="lxml_html_clean")

    monkeypatch.setattr("whoholds.ingest.ingest", needs_cleaner)
    path = tmp_path / "control_2024-03-01.geojson"
    path.write_text("{}")
    result = CliRunner().invoke(app, ["ingest", str(path), "--store", str(tmp_path / "store")])
    assert result.exit_code == 2
    assert result.stderr.strip() == ("error: lxml_html_clean is not installed; this step needs it "
                                     "(pip install lxml-html-clean)")
