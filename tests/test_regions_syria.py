"""Syria: the marker estimate and settlement counts per governorate, on the real Wikipedia module."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import shapely
from conftest import data_path

from whoholds.geometry.area import geodesic_area_km2
from whoholds.geometry.boundary import load_boundary
from whoholds.geometry.cells import marker_cells, settlement_mask
from whoholds.geometry.regions import load_regions
from whoholds.io.wikipedia import read_wikipedia_module
from whoholds.metrics.markers import region_estimate, region_settlement_counts, settlement_counts
from whoholds.profiles import load_profile

SYR = load_profile("syria")


@pytest.fixture(scope="module")
def snapshot():
    path = data_path("syria", "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md")
    return read_wikipedia_module(path.read_bytes(), path.name, SYR, dt.date(2017, 7, 20))


def test_settlement_counts_per_governorate(snapshot):
    rs = load_regions(SYR)
    per = region_settlement_counts(snapshot, SYR, rs, by="coalition")
    national = settlement_counts(snapshot, SYR, by="coalition").set_index("group")["count"]
    assert per.groupby("group")["count"].sum().to_dict() == national.to_dict()
    # independent: markers inside the Idlib governorate tile, by point-in-polygon here
    f = snapshot.features
    dots = f[settlement_mask(f)]
    idlib = rs.find("Idlib")
    xy = dots.geometry.values
    inside = shapely.contains_xy(idlib.geometry, shapely.get_x(xy), shapely.get_y(xy))
    assert per[per["region_id"] == "SY-ID"]["count"].sum() == int(inside.sum()) > 50
    assert set(per["region_id"]) - {""} <= {r.id for r in rs}
    assert (per.groupby("region_id")["share_pct"].sum().to_numpy() == pytest.approx(100.0))


def test_estimate_per_governorate_adds_up_to_the_national_estimate(snapshot):
    b = load_boundary(SYR)
    per = region_estimate(snapshot, SYR, boundary=b, by="state", method="voronoi-capped")
    cells = marker_cells(snapshot.features, b.geometry, method="voronoi-capped")
    # the national estimate, independently: cell areas per state (cells tile the boundary)
    areas = geodesic_area_km2(cells.geometry.to_numpy())
    national = {s: float(areas[(cells["state"] == s).to_numpy()].sum()) for s in np.unique(cells["state"])}
    totals = per.groupby("state")["km2"].sum().to_dict()
    for state, km2 in national.items():
        if km2 > 1e-3:
            assert totals[state] == pytest.approx(km2, rel=1e-6, abs=1e-3), state
    assert per["km2"].sum() == pytest.approx(b.area_km2, rel=1e-9)
    assert {"SY-ID", "SY-HL", "SY-DY"} <= set(per["region_id"])


def test_cli_governorates(tmp_path):
    import io

    import pandas as pd
    from typer.testing import CliRunner

    from whoholds.cli import app
    from whoholds.ingest import ingest
    from whoholds.store import Store

    path = data_path("syria", "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md")
    st = Store(tmp_path / "store")
    assert ingest([path], SYR, st, dt.date(2017, 7, 20), workers=1).ok
    st.close()
    runner = CliRunner()
    out = runner.invoke(app, ["settlement-counts", "--by-region", "--profile", "syria", "--store",
                              str(tmp_path / "store"), "-f", "csv"])
    assert out.exit_code == 0, out.output
    counts = pd.read_csv(io.StringIO(out.stdout))
    assert "Idlib Governorate" in set(counts["region"]) and counts["count"].sum() > 1000
    out = runner.invoke(app, ["shares", "--by", "region", "--profile", "syria", "--store", str(tmp_path / "store"),
                              "-f", "csv"])
    assert out.exit_code == 0, out.output
    shares = pd.read_csv(io.StringIO(out.stdout))
    assert shares.groupby("region_id")["pct"].sum().to_numpy() == pytest.approx(100.0)
    assert "إدلب" in set(shares["region_local"])
