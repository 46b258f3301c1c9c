"""Commands run side by side on one folder store: DuckDB lets one process at a time open the catalog for
writing, so a command waits for it (briefly) instead of failing, and says so in one line when it waited too long."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from conftest import data_path

SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from whoholds.ingest import ingest
    from whoholds.profiles import load_profile
    from whoholds.store import Store

    monthly = sorted(data_path("ukraine", "deepstate_raw_feed_monthly").glob("*2024-0[1-3]*.geojson.gz"))
    path = tmp_path_factory.mktemp("concurrent") / "st"
    with Store(path) as st:
        ingest(monthly, load_profile("ukraine"), st, workers=1)
    return path


def _shares(store: Path, wait: str = "60") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC, "WHOHOLDS_LOCK_WAIT": wait}
    return subprocess.run([sys.executable, "-m", "whoholds", "shares", "--store", str(store), "-f", "csv"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def _hold_lock(store: Path, seconds: float, opened: threading.Event) -> None:
    con = duckdb.connect(str(store / "catalog.duckdb"))  # this process now holds the write lock
    opened.set()
    time.sleep(seconds)
    con.close()


def test_a_command_waits_for_the_lock_instead_of_failing(store):
    opened = threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(store, 2.0, opened))
    holder.start()
    opened.wait(10)
    started = time.monotonic()
    proc = _shares(store)
    holder.join()
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - started >= 1.0  # it did wait for the holder
    assert proc.stdout.startswith("date,") and "2024-03-01" in proc.stdout


def test_four_commands_at_once_all_answer_the_same(store):
    procs = [subprocess.Popen([sys.executable, "-m", "whoholds", "shares", "--store", str(store), "-f", "csv"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": SRC}) for _ in range(4)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [e for _o, e in outs]
    assert len({o for o, _e in outs}) == 1


def test_waiting_too_long_is_one_clear_line(store):
    opened = threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(store, 4.0, opened))
    holder.start()
    opened.wait(10)
    proc = _shares(store, wait="0.5")
    holder.join()
    assert proc.returncode != 0
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "busy" in lines[0] and "catalog.duckdb" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("value", ["soon", "-3", "inf", "nan"])
def test_a_bad_lock_wait_is_one_line_naming_the_variable(store, value):
    proc = _shares(store, wait=value)
    assert proc.returncode != 0
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "WHOHOLDS_LOCK_WAIT" in lines[0] and "Traceback" not in proc.stderr, proc.stderr
