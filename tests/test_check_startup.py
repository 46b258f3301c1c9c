"""A cold `whoholds check` / `shares` on a store whose figures are cached imports no geometry stack and no
pandas, and its figure equals an independent ellipsoidal computation (pyproj.Geod); `import whoholds` loads no
YAML. Structural checks in fresh interpreters, never timings."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

from whoholds import load_profile
from whoholds.geometry.boundary import load_boundary
from whoholds.metrics.shares import shares
from whoholds.store import Store
from whoholds.types import Snapshot

SRC = str(Path(__file__).resolve().parents[1] / "src")
HEAVY = ("pandas", "geopandas", "shapely", "pyogrio", "pyproj", "matplotlib", "pyarrow", "numpy")
UKR = load_profile("ukraine")
OCCUPIED = shapely.box(35.0, 47.0, 37.5, 48.5)  # Zaporizhzhia–Donetsk: inland, wholly inside Ukraine


def _fresh(code: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "COLUMNS": "200"}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=180,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


RUN = """
import io, json, sys, contextlib
from whoholds.cli import main
buf, code = io.StringIO(), 0
sys.argv = ["whoholds", *sys.argv[1:]]
with contextlib.redirect_stdout(buf):
    try:
        main()
    except SystemExit as exc:
        code = exc.code or 0
heavy = sorted(m for m in sys.modules if m.split('.')[0] in HEAVY)
print(json.dumps({"heavy": heavy, "code": code, "text": buf.getvalue()}))
""".replace("HEAVY", repr(HEAVY))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("check-startup") / "store"
    st = Store(path)
    f = gpd.GeoDataFrame({"state": ["occupied"], "label": ["occupied"], "fill": [None]},
                         geometry=[shapely.segmentize(OCCUPIED, 0.01)], crs="EPSG:4326")
    digest = hashlib.sha256(shapely.to_wkb(OCCUPIED)).hexdigest()
    st.put(Snapshot(dt.date(2024, 5, 1), "toy-2024-05-01", "ukraine", "polygons", f, digest))
    shares(st, UKR, dt.date(2024, 5, 1), by="actor")  # fills the cache, as any first figure does
    st.close()
    return path


def _geod_share() -> float:
    """Russia's share from the boundary polygon and the box, measured on WGS84 by pyproj (independent)."""
    geod, bnd = Geod(ellps="WGS84"), load_boundary(UKR).geometry
    inside = shapely.intersection(shapely.segmentize(OCCUPIED, 0.01), bnd)
    return 100.0 * abs(geod.geometry_area_perimeter(inside)[0]) / abs(geod.geometry_area_perimeter(bnd)[0])


def test_cold_check_imports_no_geometry_stack_and_gets_the_geod_figure(store):
    out = _fresh(RUN, "check", "Russia occupies about 15% of Ukraine", "--country", "ukraine", "--date",
                 "2024-05-03", "--store", str(store), "--format", "json")
    assert out["code"] == 0, out["text"]
    assert out["heavy"] == []
    verdict = json.loads(out["text"])
    assert verdict["computed"]["value"] == pytest.approx(_geod_share(), abs=0.01)
    assert verdict["snapshot_date"] == "2024-05-01" and verdict["distance_days"] == 2


def test_cold_check_table_and_shares_import_no_geometry_stack(store):
    out = _fresh(RUN, "check", "Russia occupies 40% of Ukraine", "--country", "ukraine", "--date", "2024-05-01",
                 "--store", str(store))
    assert out["code"] == 0, out["text"]
    assert out["heavy"] == []
    assert "Denominator: Ukraine" in out["text"] and "false" in out["text"].lower()
    out = _fresh(RUN, "shares", "--date", "2024-05-01", "--store", str(store))
    assert out["code"] == 0, out["text"]
    assert out["heavy"] == []


def test_importing_whoholds_loads_no_yaml_yet_exports_its_names():
    code = ("import json, sys, whoholds; before = 'yaml' in sys.modules; p = whoholds.load_profile('ukraine');"
            " print(json.dumps({'yaml': before, 'id': p.id, 'err': whoholds.InputError.__name__}))")
    out = _fresh(code)
    assert out == {"yaml": False, "id": "ukraine", "err": "InputError"}


def test_cached_timeline_reads_no_boundary_file_and_keeps_the_geod_figures(store):
    from whoholds.metrics.timeline import timeline

    st = Store(store)
    timeline(st, UKR)  # the first timeline fills the figure cache (as ingest does for the real archives)
    st.close()
    out = _fresh(RUN, "timeline", "--store", str(store), "-f", "csv")
    assert out["code"] == 0, out["text"]
    assert not {"geopandas", "pyogrio"} & {m.split(".")[0] for m in out["heavy"]}
    lines = out["text"].strip().splitlines()
    head = lines[0].split(",")
    occupied = next(dict(zip(head, line.split(","), strict=False)) for line in lines[1:] if ",occupied," in line)
    geod = Geod(ellps="WGS84")
    inside = shapely.intersection(shapely.segmentize(OCCUPIED, 0.01), load_boundary(UKR).geometry)
    assert float(occupied["area_km2"]) == pytest.approx(abs(geod.geometry_area_perimeter(inside)[0]) / 1e6, abs=0.01)
    assert float(occupied["share_pct"]) == pytest.approx(_geod_share(), abs=0.01)
