"""Regressions found by trying the README's commands after the integration merges (tiny stores, fast)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import geopandas as gpd
import pyproj
import pytest
import shapely
import shapely.geometry
from conftest import data_path
from typer.testing import CliRunner

from whoholds.claims.period_text import period_mentions
from whoholds.cli import app
from whoholds.store import Store
from whoholds.types import Snapshot

GEOD = pyproj.Geod(ellps="WGS84")
runner = CliRunner()


def _put(store: Store, day: str, occupied: shapely.Geometry) -> None:
    geom = shapely.segmentize(occupied, 0.01)
    f = gpd.GeoDataFrame({"state": ["occupied"], "label": ["occupied"], "fill": [None]}, geometry=[geom],
                         crs="EPSG:4326")
    digest = hashlib.sha256(shapely.to_wkb(geom) + day.encode()).hexdigest()
    store.put(Snapshot(dt.date.fromisoformat(day), f"toy-{day}", "ukraine", "polygons", f, digest))


def _km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def test_region_share_claim_is_checked_not_a_traceback(tmp_path: Path) -> None:
    """`check "Russia controls about 79% of the Donetsk region"` crashed (the claims side passes Region objects
    to region_shares, which took them for a file path). The figure must equal an independent pyproj.Geod
    computation on the Natural Earth admin-1 polygon."""
    regions = gpd.read_file(data_path("boundaries", "admin1_UKR_naturalearth.geojson"))
    cut = shapely.box(37.6, 46.5, 39.0, 49.5)  # the eastern part of Donetsk oblast (and bits of neighbours)
    st = Store(tmp_path / "store")
    _put(st, "2025-06-01", cut)
    st.close()
    r = runner.invoke(app, ["check", "Russia controls about 79% of the Donetsk region", "--country", "ukraine",
                            "--date", "2025-06-01", "--store", str(tmp_path / "store"), "--format", "json"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.output[r.output.index("{"): r.output.rindex("}") + 1])
    assert got["label"] != "cannot be checked", got.get("reason")
    donetsk = regions[regions.apply(lambda row: "donet" in " ".join(map(str, row.values)).lower(), axis=1)]
    assert len(donetsk) == 1
    poly = shapely.segmentize(donetsk.geometry.iloc[0], 0.01)
    expected = 100.0 * _km2(shapely.intersection(poly, shapely.segmentize(cut, 0.01))) / _km2(poly)
    # tiles are clipped to the national boundary (a few km² of the file move): well under 0.1 pp here
    assert got["computed"]["value"] == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Russia gained 2,000 km² in October, November and December 2024", "2024-10-01", "2024-12-31"),
        ("Russian troops took 1,600 km2 in October, November, December 2024", "2024-10-01", "2024-12-31"),
        ("the front moved 900 km² in December 2024 and January 2025", "2024-12-01", "2025-01-31"),
        ("Russia seized 3,000 km² in October 2024 through January 2025", "2024-10-01", "2025-01-31"),
        ("Russia gained 1,000 km² in November and December", "2024-11-01", "2024-12-31"),
        ("Russia gained 1,600 km² from October to December 2024", "2024-10-01", "2024-12-31"),
        ("Russia gained 1,600 km² between October and December 2024", "2024-10-01", "2024-12-31"),
        ("Russia captured 2,500 square kilometres in the last three months of 2024", "2024-10-01", "2024-12-31"),
        ("Russia took 1,000 km2 in the first two months of 2025", "2025-01-01", "2025-02-28"),
    ],
)
def test_a_list_of_months_is_one_period(text: str, start: str, end: str) -> None:
    """A list of consecutive months was read as its first month only, so a claim about three months was judged
    (false) against one."""
    got = [p for p in period_mentions(text, dt.date(2025, 6, 5)) if p.period is not None]
    assert len(got) == 1
    assert (str(got[0].period.start), str(got[0].period.end)) == (start, end)


def test_months_with_a_gap_are_not_one_period_and_separate_figures_keep_their_own() -> None:
    ref = dt.date(2025, 6, 5)
    gap = period_mentions("Russia gained 900 km² in January and March 2025", ref)
    assert len(gap) == 1 and gap[0].period is None and "unbroken" in gap[0].unresolved
    two = period_mentions("Russia took 310 km² in March, 270 in February", ref)
    assert [(p.period.start.month, p.period.end.month) for p in two] == [(3, 3), (2, 2)]


def test_changes_of_a_month_by_region(tmp_path: Path) -> None:
    """`changes 2024-11 --by region` said "D1 '2024-11': not a date" while `changes 2024-11` worked: a month
    is read with the same period convention (2024-10-31 → 2024-11-30 here) in both."""
    data_path("boundaries", "admin1_UKR_naturalearth.geojson")
    held = shapely.box(37.6, 47.5, 38.0, 48.0)
    gain = shapely.box(34.4, 49.5, 34.6, 49.7)  # around Poltava city, well inside its oblast
    st = Store(tmp_path / "store")
    _put(st, "2024-10-31", held)
    _put(st, "2024-11-30", shapely.union(held, gain))
    _put(st, "2024-12-15", shapely.box(36.0, 47.0, 38.0, 48.0))
    st.close()
    out = tmp_path / "nov.csv"
    r = runner.invoke(app, ["changes", "2024-11", "--by", "region", "--store", str(tmp_path / "store"),
                            "--format", "csv", "-o", str(out)])
    assert r.exit_code == 0, r.output
    rows = gpd.pd.read_csv(out)
    russia = rows[rows["name"] == "Russia"]
    assert russia["net_km2"].sum() == pytest.approx(_km2(shapely.segmentize(gain, 0.01)), rel=1e-4)
    assert set(russia.loc[russia["net_km2"].abs() > 1, "region"]) == {"Poltava Oblast"}
    bad = runner.invoke(app, ["changes", "2024-11-01", "--by", "region", "--store", str(tmp_path / "store")])
    assert bad.exit_code != 0 and "Traceback" not in bad.output


def test_report_timeline_totals_start_plus_net_is_end() -> None:
    """The report's "Timeline totals" showed the area on the day after D1 as the start, so start + net != end
    (490,028.7 + (-730.1) != 489,329.1 for November 2024)."""
    import pandas as pd

    from whoholds.profiles import load_profile
    from whoholds.render.period_tables import timeline_totals

    frame = pd.DataFrame({
        "date": ["2024-11-02", "2024-11-03", "2024-11-02", "2024-11-03"],
        "group": ["russia", "russia", "ukraine", "ukraine"],
        "area_km2": [110.0, 115.0, 490.0, 485.0],
        "gains_km2": [10.0, 6.0, 0.0, 1.0], "losses_km2": [0.0, 1.0, 10.0, 6.0],
        "net_km2": [10.0, 5.0, -10.0, -5.0],
    })
    out = timeline_totals(frame, load_profile("ukraine")).set_index("group")
    assert out.loc["russia", "area_start_km2"] == 100.0 and out.loc["ukraine", "area_start_km2"] == 500.0
    assert (out["area_start_km2"] + out["net_km2"] == out["area_end_km2"]).all()


def test_export_writes_the_format_its_file_name_says(tmp_path: Path) -> None:
    """`export changes D1 D2 -o changes.gpkg` wrote GeoJSON to changes.gpkg.geojson; `export catalog -o
    cat.sqlite` wrote CSV files named cat.sqlite*.csv."""
    data_path("boundaries", "ne_10m_admin0_deu_UKR.geojson")
    st = Store(tmp_path / "store")
    _put(st, "2024-10-31", shapely.box(37.6, 47.5, 38.0, 48.0))
    _put(st, "2024-11-30", shapely.box(37.5, 47.5, 38.0, 48.0))
    st.close()
    store = ["--store", str(tmp_path / "store")]
    for args, name in [(["changes", "2024-10-31", "2024-11-30"], "changes.gpkg"), (["layers", "2024-11-30"],
                                                                                   "layers.gpkg")]:
        r = runner.invoke(app, ["export", *args, "-o", str(tmp_path / name), *store])
        assert r.exit_code == 0, r.output
        assert (tmp_path / name).read_bytes()[:15] == b"SQLite format 3"  # a GeoPackage is an SQLite file
    r = runner.invoke(app, ["export", "catalog", "-o", str(tmp_path / "cat.sqlite"), *store])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "cat.sqlite").read_bytes()[:15] == b"SQLite format 3"
    r = runner.invoke(app, ["export", "layers", "2024-11-30", "-o", str(tmp_path / "l.gpkg"), "-f", "geojson", *store])
    assert r.exit_code == 0 and (tmp_path / "l.gpkg.geojson").exists()  # an explicit --format still wins


def test_starter_profile_classifies_its_own_map_by_label(tmp_path: Path) -> None:
    """`profile init` escaped labels as written (NBSP, newlines, double spaces) while the classifier matches
    normalised labels, so on DeepStateMap's own file 'Liberated 25.03' fell back to its fill colour and was
    classified as whichever state shares that fill."""
    import yaml

    from whoholds.profiles import load_profile
    from whoholds.profiles.scaffold import starter_profile

    labels = ["Liberated\xa0/// one", "Liberated 25.03\n///  two", "Occupied ///\xa0three"]
    features = [{"type": "Feature", "properties": {"name": lab, "fill": "#0f9d58"},
                 "geometry": shapely.geometry.mapping(shapely.box(30 + i, 48, 30.5 + i, 48.5))}
                for i, lab in enumerate(labels)]
    src = tmp_path / "toy_2024-05-01.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    path = tmp_path / "toy.yaml"
    path.write_text(starter_profile("toy", src, country="UKR"), encoding="utf-8")
    prof = load_profile(str(path))
    states = [prof.classify(label=lab, fill="#0f9d58") for lab in labels]
    assert len(set(states)) == 3, states  # each label its own state, not all the state of the shared fill
    names = {s["id"]: s["name"] for s in yaml.safe_load(path.read_text(encoding="utf-8"))["states"]}
    assert [names[s] for s in states] == ["Liberated /// one", "Liberated 25.03 /// two", "Occupied /// three"]


def _syria_rows() -> list[dict]:
    import pandas as pd

    # as the store's ledger gives them: pandas Timestamps (a datetime, not a date), and one missing date
    return [{"as_of": pd.Timestamp("2017-09-12"), "source_org": "Russian MoD", "party": "government", "value": 85.0,
             "unit": "percent"},
            {"as_of": pd.NaT, "source_org": "Someone", "party": "government", "value": 50.0, "unit": "percent"}]


def test_claims_vs_claims_reads_the_store_ledgers_dates() -> None:
    """After `ledger add-csv` into a store, `check` crashed: Timestamp - date (the store ledger's dates)."""
    from whoholds.claims.neighbours import ledger_neighbours
    from whoholds.claims.parse import parse_claims
    from whoholds.profiles import load_profile

    syria = load_profile("syria")
    [claim] = parse_claims("the government holds about 45% of Syria", syria, dt.date(2017, 7, 20))
    near = ledger_neighbours(claim, _syria_rows(), syria)
    assert [(n["as_of"], n["days_from_claim"]) for n in near] == [("2017-09-12", 54)]  # 20 July + 54 days


def test_a_regional_claim_is_not_compared_with_national_estimates() -> None:
    """'60% of the Aleppo governorate' was set against national shares of Syria (85%, 55.7%, ...)."""
    from whoholds.claims.neighbours import ledger_neighbours
    from whoholds.claims.parse import parse_claims
    from whoholds.profiles import load_profile

    syria = load_profile("syria")
    for text in ("the government holds about 60% of the Aleppo governorate",
                 "the government holds about 45% of Syria excluding Idlib"):
        [claim] = parse_claims(text, syria, dt.date(2017, 7, 20))
        assert claim.region or claim.excluded
        assert ledger_neighbours(claim, _syria_rows(), syria) == ()


@pytest.mark.parametrize(
    ("text", "region", "excluded"),
    [
        # several regions together: no single region answers it (was judged on Zaporizhzhia alone)
        ("Russia controls about 70% of the Zaporizhzhia and Kherson regions", "Zaporizhzhia and Kherson", ()),
        # every item of an exclusion list is read (was Crimea only: judged with a denominator the claim excludes)
        ("Russia controls about 15% of Ukraine excluding Crimea and Sevastopol", None, ("Crimea", "Sevastopol")),
        ("Russia holds 13% of Ukraine, excluding Crimea, Sevastopol and Donetsk", None,
         ("Crimea", "Sevastopol", "Donetsk")),
        ("Russia controls about 7% of Ukraine's territory, not counting Crimea and the areas occupied before 2022",
         None, ("Crimea", "the areas occupied before 2022")),
        # what is not part of the list stays out of it
        ("Russia holds 18% of Ukraine excluding Crimea and has gained 500 km² since", None, ("Crimea",)),
        ("Russia controls about 79% of the Donetsk region", "Donetsk", ()),
    ],
)
def test_every_region_of_a_denominator_is_read(text: str, region: str | None, excluded: tuple) -> None:
    from whoholds.claims.parse import parse_claims
    from whoholds.profiles import load_profile

    claim = parse_claims(text, load_profile("ukraine"), dt.date(2025, 1, 5))[0]
    assert (claim.region, tuple(claim.excluded)) == (region, excluded)


def test_cached_figures_are_not_served_when_the_snapshot_file_is_gone(tmp_path: Path) -> None:
    """The pandas-free cached paths of `shares --date` and `check` read no snapshot file; they must still refuse
    to answer from the cache of a snapshot whose file went missing."""
    st = Store(tmp_path / "store")
    _put(st, "2025-06-01", shapely.box(37.6, 47.5, 38.0, 48.0))
    st.close()
    store = str(tmp_path / "store")
    first = runner.invoke(app, ["shares", "--date", "2025-06-01", "--store", store])
    assert first.exit_code == 0, first.output
    for parquet in (tmp_path / "store").rglob("*.parquet"):
        parquet.unlink()
    r = runner.invoke(app, ["shares", "--date", "2025-06-01", "--store", store])
    assert r.exit_code == 2, r.output
    assert "missing" in r.stderr and "Traceback" not in r.output
    r = runner.invoke(app, ["check", "Russia controls about 1% of Ukraine", "--country", "ukraine",
                            "--date", "2025-06-01", "--store", store, "--format", "json"])
    got = json.loads(r.output[r.output.index("{"): r.output.rindex("}") + 1])
    assert got["label"] == "cannot be checked" and "missing" in got["reason"], got
