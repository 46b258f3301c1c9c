"""An analyst's session on real maps (three days of DeepStateMap's daily occupied-area export): each figure is
checked against an independent GeoPandas/pyproj.Geod computation written here, and the same figure must agree
wherever it is shown — shares, changes, timeline, regions, the report, the API."""

from __future__ import annotations

import json
import lzma
import re
import warnings
from pathlib import Path

import pytest
import shapely
from conftest import data_path
from pyproj import Geod
from typer.testing import CliRunner

from whoholds.cli import app

GEOD = Geod(ellps="WGS84")
DAYS = ("2024-10-01", "2024-11-01", "2024-12-01")
EXPORT = ("ukraine", "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz")


def run(*args: str) -> str:
    """The command's stdout (definitions and progress go to stderr, so CSV/JSON stay parseable)."""
    res = CliRunner().invoke(app, list(args), terminal_width=200)
    assert res.exit_code == 0, res.output
    return res.stdout


def geod_km2(geom) -> float:
    """Ellipsoidal area of a (multi)polygon by pyproj.Geod, edges densified to ~1 km along the geodesic."""
    total = 0.0
    for poly in shapely.get_parts(geom):
        if poly.is_empty:
            continue
        dense = shapely.segmentize(poly, 0.01)
        total += abs(GEOD.geometry_area_perimeter(dense)[0])
    return total / 1e6


def export() -> dict:
    with lzma.open(data_path(*EXPORT)) as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def maps() -> dict[str, shapely.Geometry]:
    """The occupied area of each day, straight from the export (no whoholds code)."""
    doc = export()
    out = {}
    for f in doc["features"]:
        if f["properties"]["date"] in DAYS:
            out[f["properties"]["date"]] = shapely.make_valid(shapely.geometry.shape(f["geometry"]))
    assert sorted(out) == list(DAYS)
    return out


@pytest.fixture(scope="module")
def boundary() -> shapely.Geometry:
    doc = json.loads(data_path("boundaries", "ne_10m_admin0_deu_UKR.geojson").read_text())
    return shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in doc["features"]])


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    """The three days as one small export file of the same shape, ingested by the command a user runs."""
    doc = export()
    doc["features"] = [f for f in doc["features"] if f["properties"]["date"] in DAYS]
    folder = tmp_path_factory.mktemp("session")
    src = folder / "deepstate_occupied_daily_three_days.geojson"
    src.write_text(json.dumps(doc))
    where = str(folder / "store")
    run("ingest", str(src), "--profile", "ukraine", "--store", where)
    return where


def shares_json(store: str, day: str, *extra: str) -> list[dict]:
    return json.loads(run("shares", "--date", day, "--store", store, "-f", "json", *(extra or ("--by", "state"))))


def test_occupied_area_and_share_match_pyproj(store, maps, boundary):
    for day in DAYS:
        rows = {r["group"]: r for r in shares_json(store, day)}
        expected = geod_km2(shapely.intersection(maps[day], boundary))
        assert rows["occupied"]["area_km2"] == pytest.approx(expected, rel=2e-5)
        country = geod_km2(boundary)
        assert rows["occupied"]["share_pct"] == pytest.approx(100 * expected / country, abs=2e-3)
        assert rows["occupied"]["area_km2"] + rows["held"]["area_km2"] == pytest.approx(country, rel=2e-5)


def test_month_of_changes_match_pyproj(store, maps, boundary):
    d1, d2 = DAYS[1:]
    a, b = shapely.intersection(maps[d1], boundary), shapely.intersection(maps[d2], boundary)
    gained, lost = geod_km2(shapely.difference(b, a)), geod_km2(shapely.difference(a, b))
    rows = {r["group"]: r for r in json.loads(run("changes", d1, d2, "--store", store, "-f", "json"))}
    assert rows["occupied"]["gains_km2"] == pytest.approx(gained, rel=1e-4, abs=0.01)
    assert rows["occupied"]["losses_km2"] == pytest.approx(lost, rel=1e-3, abs=0.01)
    # the --from/--to spelling is the same query
    again = json.loads(run("changes", "--from", d1, "--to", d2, "--store", store, "-f", "json"))
    assert again == list(rows.values())


def test_one_region_matches_pyproj(store, maps, boundary):
    doc = json.loads(data_path("boundaries", "admin1_UKR_naturalearth.geojson").read_text())
    donetsk = next(shapely.geometry.shape(f["geometry"]) for f in doc["features"]
                   if "Donets" in json.dumps(f["properties"], ensure_ascii=False))
    donetsk = shapely.intersection(shapely.make_valid(donetsk), boundary)
    rows = shares_json(store, DAYS[1], "--by", "region", "--region", "Donetsk oblast")
    occupied = next(r for r in rows if r["state"] == "russia")
    expected = geod_km2(shapely.intersection(maps[DAYS[1]], donetsk))
    assert occupied["km2"] == pytest.approx(expected, rel=1e-4)
    assert occupied["pct"] == pytest.approx(100 * expected / geod_km2(donetsk), abs=0.02)


def test_timeline_api_and_report_repeat_the_shares(store, tmp_path):
    """One figure, one implementation: the timeline, the API and the HTML report show the shares' figure."""
    day = DAYS[1]
    occ = next(r for r in shares_json(store, day) if r["group"] == "occupied")
    timeline = json.loads(run("timeline", "--store", store, "-f", "json"))
    row = next(r for r in timeline if str(r["date"])[:10] == day and r["group"] == "occupied")
    assert row["area_km2"] == pytest.approx(occ["area_km2"], abs=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from whoholds.api import create_app

    api = TestClient(create_app(Path(store))).get("/api/shares", params={"date": day, "by": "state"}).json()
    api_rows = api["rows"] if isinstance(api, dict) and "rows" in api else api
    api_occ = next(r for r in api_rows if r["group"] == "occupied")
    assert api_occ["area_km2"] == pytest.approx(occ["area_km2"], abs=1e-6)
    out = tmp_path / "report.html"
    run("report", "--store", store, "--from", DAYS[0], "--to", day, "-o", str(out))
    html = out.read_text()
    assert f"{occ['area_km2']:,.1f}" in html or f"{occ['area_km2']:,.0f}" in html
    text = re.sub(r"<script.*?</script>|base64,[A-Za-z0-9+/=]+", "", html, flags=re.S)  # the page's words only
    assert not re.search(r"\b(nan|NaT|None)\b|\de\+\d", text)


def test_export_changes_takes_from_and_to_like_changes(store, tmp_path):
    d1, d2 = DAYS[1:]
    run("export", "changes", "--from", d1, "--to", d2, "-o", str(tmp_path / "a.geojson"), "--store", store)
    run("export", "changes", d1, d2, "-o", str(tmp_path / "b.geojson"), "--store", store)
    a, b = (json.loads((tmp_path / n).read_text()) for n in ("a.geojson", "b.geojson"))
    assert [f["properties"] for f in a["features"]] == [f["properties"] for f in b["features"]]
    res = CliRunner().invoke(app, ["export", "changes", d1, "--to", "2024-12-31", "-o", str(tmp_path / "c"),
                                   "--store", store])
    assert res.exit_code == 2 and "Traceback" not in res.output
    res = CliRunner().invoke(app, ["export", "changes", "--from", d1, "-o", str(tmp_path / "c"), "--store", store])
    assert res.exit_code == 2 and "end date" in res.output


def test_store_check_says_what_it_checked(store):
    out = run("store", "check", "--store", store)
    assert f"{len(DAYS)} snapshots" in out and "files ok (present, and equal to the hash" in out


def test_regions_gains_add_up_to_the_national_change(store):
    d1, d2 = DAYS[1:]
    national = {r["group"]: r for r in json.loads(run("changes", d1, d2, "--by", "actor", "--store", store,
                                                      "-f", "json"))}
    regional = json.loads(run("changes", d1, d2, "--by", "region", "--store", store, "-f", "json"))
    for group in ("russia", "ukraine"):
        rows = [r for r in regional if r["group"] == group]
        assert sum(r["gained_km2"] for r in rows) == pytest.approx(national[group]["gains_km2"], abs=0.05)
        assert sum(r["lost_km2"] for r in rows) == pytest.approx(national[group]["losses_km2"], abs=0.05)
    assert {(r["d1"], r["d2"]) for r in regional} == {(d1, d2)}  # a file says which dates it is of
    assert all(r["snapshot_ids"] and r["boundary"] and r["regions"] for r in regional)


def test_population_in_a_file_is_one_table(tmp_path):
    """`shares --population -f json|csv` writes one document (the population beside the area), not two."""
    src = data_path("syria", "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md")
    where = str(tmp_path / "syria")
    run("ingest", str(src), "-p", "syria", "--date", "2017-07-20", "--store", where)
    rows = json.loads(run("shares", "--store", where, "--by", "coalition", "--population", "-f", "json"))
    gov = next(r for r in rows if r["group"] == "pro_government")
    assert gov["population"] > 1_000_000 and 0 < gov["population_pct"] <= 100
    assert sum(r["population_pct"] or 0 for r in rows) == pytest.approx(100, abs=0.01)
    lines = run("shares", "--store", where, "--by", "coalition", "--population", "-f", "csv").splitlines()
    assert lines[0].count("population") == 2 and len(lines) == len(rows) + 1


def test_settlements_read_the_same_in_the_terminal_and_the_report(store, tmp_path):
    """One view of a settlement change (render.period_tables.settlement_view): display names, no group keys, ids
    written as ids, not quantities."""
    d1, d2 = DAYS[1:]
    out = run("settlements", d1, d2, "--store", store)
    header = next(line for line in out.splitlines() if "Population" in line and "Region" in line)
    assert [c.strip() for c in header.strip("┃ ").split("┃")] == [
        "Name", "Name local", "Region", "Population", "From", "To", "Direction"]
    html = tmp_path / "r.html"
    run("report", "--store", store, "--from", d1, "--to", d2, "-o", str(html))
    text = html.read_text()
    view = ["Name", "Name local", "Region", "Population", "From", "To", "Direction"]
    heads = [h for h in re.findall(r'<th[^>]*scope="col">([^<]*)</th>', text) if h in (*view, "From group")]
    assert heads[-7:] == view
    assert "taken by russia" not in text and ">russia<" not in text  # group keys stay in the files


def test_a_marker_estimate_is_one_figure_in_shares_estimate_and_the_api(tmp_path):
    """Syria's marker map: `shares`, `estimate` (its default method's row) and /api/shares give one figure."""
    src = data_path("syria", "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md")
    where = str(tmp_path / "syria")
    run("ingest", str(src), "-p", "syria", "--date", "2017-07-20", "--store", where)
    cli = {r["group"]: r["area_km2"] for r in json.loads(run("shares", "--store", where, "--by", "coalition",
                                                             "-f", "json"))}
    est = json.loads(run("estimate", "--store", where, "-f", "json"))
    default = {r["group"]: r["area_km2"] for r in est if r["method"] == "voronoi-capped"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from whoholds.api import create_app

    api = TestClient(create_app(Path(where))).get("/api/shares", params={"profile": "syria", "by": "coalition"})
    assert api.status_code == 200, api.text
    web = {r["group"]: r["area_km2"] for r in api.json()["rows"]}
    assert set(cli) == set(default) == set(web)
    for group, km2 in cli.items():
        assert default[group] == pytest.approx(km2, abs=1e-3) and web[group] == pytest.approx(km2, abs=1e-3)
    for r in est:  # each group's range spans its methods
        assert r["min_pct"] - 1e-9 <= r["share_pct"] <= r["max_pct"] + 1e-9


def test_a_period_row_says_which_maps_it_compares(store):
    """`timeline --every month` dates a row by the month's end; the table says which snapshots it compares."""
    rows = json.loads(run("timeline", "--every", "month", "--store", store, "-f", "json"))
    nov = next(r for r in rows if r["date"] == "2024-11-30")
    assert (nov["from_date"], nov["to_date"]) == ("2024-10-01", "2024-11-01")  # last on or before each end
    table = run("timeline", "--every", "month", "--store", store, "--wide")
    assert "Map from" in table and "Map to" in table
    line = next(x for x in table.splitlines() if "2024-11-30" in x and "Occupied" in x)
    assert "2024-10-01" in line and "2024-11-01" in line


def test_a_headline_never_writes_minus_zero():
    """A figure that rounds to nothing reads 0.00 in the headline (the page and `changes` print it)."""
    import pandas as pd

    from whoholds.metrics.changes import TransferResult
    from whoholds.profiles import load_profile

    summary = pd.DataFrame({"group": ["occupied", "held"], "gains_km2": [5.57, 0.001],
                            "losses_km2": [0.004, 5.57], "net_km2": [5.566, -5.569]})
    matrix = pd.DataFrame([[100.0, 0.004], [5.57, 200.0]], index=["occupied", "held"], columns=["occupied", "held"])
    result = TransferResult(None, None, "state", matrix, summary, None, matrix)
    text = result.headline(load_profile("ukraine"))
    assert "Occupied: +5.57 / 0.00 (net +5.57) km²" in text
    assert "Held by Ukraine: 0.00 / -5.57 (net -5.57) km²" in text
