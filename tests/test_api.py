"""The REST API and page (FastAPI TestClient) on a small real store: four monthly DeepStateMap snapshots.

Every figure the API returns is compared with the library function the CLI calls; every user error must be
a 4xx JSON ``{"error": "<one line>"}`` without a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings

import pytest
from conftest import data_path

from whoholds.ingest import ingest
from whoholds.metrics.shares import shares
from whoholds.profiles import load_profile
from whoholds.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from whoholds.api import create_app

UKRAINE = load_profile("ukraine")
FILES = ["deepstate_raw_2024-10-01_1727771655.geojson.gz", "deepstate_raw_2024-11-01_1730495471.geojson.gz",
         "deepstate_raw_2024-12-01_1733089579.geojson.gz", "deepstate_raw_2025-01-01_1735766502.geojson.gz"]
DATES = ["2024-10-01", "2024-11-01", "2024-12-01", "2025-01-01"]
PROVENANCE = ("snapshot_id", "source", "boundary", "method", "whoholds_version")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    folder = data_path("ukraine", "deepstate_raw_feed_monthly")
    path = tmp_path_factory.mktemp("api") / "store"
    with Store(path) as st:
        report = ingest([folder / f for f in FILES], UKRAINE, st, workers=1)
    assert report.ok and report.count("new") == 4
    return path


@pytest.fixture(scope="module")
def client(store_path):
    return TestClient(create_app(store_path))


@pytest.fixture()
def store(store_path):
    st = Store(store_path, create=False)
    yield st
    st.close()


def user_error(resp, status: int) -> str:
    """The response is the documented one-line JSON error with this status; returns the message."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"}
    msg = body["error"]
    assert msg and "\n" not in msg and "Traceback" not in msg and 'File "' not in msg
    return msg


# ---- data routes ---------------------------------------------------------------------------------------
def test_profiles_lists_builtins_with_what_the_store_holds(client):
    data = client.get("/api/profiles").json()
    assert data["store_error"] is None
    by_id = {p["id"]: p for p in data["profiles"]}
    assert set(by_id) == {"ukraine", "syria"}
    ukr = by_id["ukraine"]
    assert (ukr["snapshot_dates"], ukr["first_date"], ukr["last_date"]) == (4, DATES[0], DATES[-1])
    assert by_id["syria"]["snapshot_dates"] == 0
    assert {"russia", "ukraine"} <= {a["id"] for a in ukr["actors"]}
    assert all(re.fullmatch(r"#[0-9a-fA-F]{6}", s["colour"]) for s in ukr["states"])


def test_snapshots_listing_matches_the_catalog(client, store):
    data = client.get("/api/snapshots", params={"profile": "ukraine"}).json()
    assert data["dates"] == DATES
    assert [r["id"] for r in data["snapshots"]] == store.catalog("ukraine")["id"].tolist()
    assert [r["source"].rsplit("/", 1)[-1] for r in data["snapshots"]] == FILES


@pytest.mark.parametrize("by", ["actor", "state", "coalition"])
def test_shares_of_a_date_equal_the_library(client, store, by):
    resp = client.get("/api/shares", params={"profile": "ukraine", "date": "2024-12-01", "by": by})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    want = shares(store, UKRAINE, dt.date(2024, 12, 1), by=by)
    assert data["date"] == "2024-12-01" and data["by"] == by
    rows = data["rows"]
    assert [r["group"] for r in rows] == want["group"].tolist()
    for got, (_, row) in zip(rows, want.iterrows(), strict=True):
        assert got["area_km2"] == pytest.approx(row["area_km2"], rel=1e-12)
        assert got["share_pct"] == pytest.approx(row["share_pct"], rel=1e-12)
        assert got["date"] == "2024-12-01"
        for col in PROVENANCE:
            assert got[col] == row[col] and got[col]
    assert sum(r["area_km2"] for r in rows) == pytest.approx(data["boundary"]["area_km2"], rel=1e-9)
    assert set(data["colours"]) == {r["group"] for r in rows}


def test_shares_real_figure_russia_2024_12_01(client):
    rows = client.get("/api/shares", params={"date": "2024-12-01", "by": "actor"}).json()["rows"]
    russia = next(r for r in rows if r["group"] == "russia")
    # DeepStateMap on 2024-12-01: about 110,000 km², 18.3% of Ukraine in Natural Earth's boundary.
    assert 105_000 < russia["area_km2"] < 115_000
    assert 17.5 < russia["share_pct"] < 19.0
    assert russia["source"].endswith("deepstate_raw_2024-12-01_1733089579.geojson.gz")


def test_shares_default_is_the_latest_and_all_is_every_snapshot(client, store):
    latest = client.get("/api/shares", params={"by": "state"}).json()
    assert latest["date"] == DATES[-1]
    every = client.get("/api/shares", params={"by": "state", "all": "true"}).json()
    want = shares(store, UKRAINE, all_dates=True, by="state")
    assert every["date"] is None and len(every["rows"]) == len(want)
    assert [r["snapshot_id"] for r in every["rows"]] == want["snapshot_id"].tolist()
    assert [r["area_km2"] for r in every["rows"]] == pytest.approx(want["area_km2"].tolist(), rel=1e-12)
    assert sorted({r["date"] for r in every["rows"]}) == DATES


def test_changes_equal_the_transfer_matrix(client, store):
    changes = pytest.importorskip("whoholds.metrics.changes", reason="metrics.changes is not in this tree yet")
    resp = client.get("/api/changes", params={"d1": "2024-11-01", "d2": "2024-12-01", "by": "state"})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    want = changes.transfer_matrix(store, UKRAINE, "2024-11-01", "2024-12-01", by="state")
    assert data["changed_km2"] == pytest.approx(want.changed_km2, rel=1e-12)
    assert 100 < data["changed_km2"] < 5000  # a month of the war, in km²
    got = {r["group"]: r for r in data["summary"]}
    for row in want.summary.itertuples():
        assert got[row.group]["net_km2"] == pytest.approx(row.net_km2, rel=1e-9, abs=1e-9)
    m = data["matrix"]
    assert m["from"] == list(want.matrix.index) and m["to"] == list(want.matrix.columns)
    # conservation: row sums are the areas on d1 (as the shares route reports them)
    d1 = {r["group"]: r["area_km2"] for r in client.get("/api/shares", params={
        "date": "2024-11-01", "by": "state"}).json()["rows"]}
    for name, row in zip(m["from"], m["km2"], strict=True):
        assert sum(row) == pytest.approx(d1.get(name, 0.0), abs=1e-3)
    assert data["provenance"]["snapshot_ids"] == ";".join(
        store.catalog("ukraine").set_index("date").loc[["2024-11-01", "2024-12-01"], "id"])
    assert all(t["d1"] == "2024-11-01" for t in data["transfers"])


def test_timeline_equals_the_library(client, store):
    tl = pytest.importorskip("whoholds.metrics.timeline", reason="metrics.timeline is not in this tree yet")
    resp = client.get("/api/timeline", params={"by": "actor", "every": "snapshot"})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    want = tl.timeline(store, UKRAINE, by="actor").frame
    assert len(data["rows"]) == len(want)
    assert [r["area_km2"] for r in data["rows"]] == pytest.approx(want["area_km2"].tolist(), rel=1e-12)
    gains = [r["gains_km2"] for r in data["rows"]]
    assert [g for g in gains if g is not None] == pytest.approx(want["gains_km2"].dropna().tolist(), rel=1e-9)
    assert data["convention"] and data["provenance"]["snapshot_ids"]
    month = client.get("/api/timeline", params={"every": "month", "from": "2024-10-01", "to": "2024-12-31"})
    assert month.status_code == 200 and month.json()["every"] == "month"


# ---- claims --------------------------------------------------------------------------------------------
def test_check_a_share_claim(client, store):
    resp = client.post("/api/check", json={"text": "Russia controls about 18% of Ukraine", "country": "ukraine",
                                           "date": "2024-12-01", "speaker": "A Minister"})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    (verdict,) = data["verdicts"]
    want = shares(store, UKRAINE, dt.date(2024, 12, 1), by="actor").set_index("group").loc["russia", "share_pct"]
    assert verdict["computed"]["value"] == pytest.approx(want, rel=1e-9)
    assert verdict["label"] == "accurate" and verdict["claim"]["speaker"] == "A Minister"
    assert verdict["computed"]["snapshot_ids"] and verdict["computed"]["boundary"]
    (review,) = data["claimreview"]
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == "Russia controls about 18% of Ukraine"
    assert review["reviewRating"]["alternateName"]


def test_a_wording_refused_by_check_is_refused_by_the_api_with_the_same_reason(client, store):
    from whoholds.claims.caveats import non_territorial_reason

    text = "Russia holds 30 percent of Ukraine's coastline"
    resp = client.post("/api/check", json={"text": text, "country": "ukraine", "date": "2024-12-01"})
    assert resp.status_code == 200, resp.text
    (verdict,) = resp.json()["verdicts"]
    assert verdict["label"] == "cannot be checked" and verdict["computed"] is None
    assert non_territorial_reason(text, text.index("percent") + len("percent")) in verdict["reason"]


def test_check_errors(client):
    assert "no checkable claim" in user_error(client.post("/api/check", json={"text": "The weather is fine."}), 400)
    assert "text" in user_error(client.post("/api/check", json={"country": "ukraine"}), 422)
    user_error(client.post("/api/check", json={"text": "Russia holds 18% of Ukraine", "country": "mars"}), 404)
    user_error(client.post("/api/check", json={"text": "Russia holds 18%", "date": "1st of May"}), 400)


# ---- images and report ---------------------------------------------------------------------------------
def test_map_svg(client):
    resp = client.get("/api/map.svg", params={"profile": "ukraine", "date": "2024-12-01"})
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in resp.content[:2000] and b"2024-12-01" in resp.content
    again = client.get("/api/map.svg", params={"date": "2024-12-01"})
    assert again.content == resp.content  # served from the cache, same drawing
    msg = user_error(client.get("/api/map.svg", params={"date": "2024-12-03"}), 400)
    assert "2024-12-01" in msg  # names the nearest stored date


def test_timeline_chart_and_report(client):
    chart = client.get("/api/timeline.svg", params={"by": "actor", "every": "snapshot"})
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in chart.content[:2000]
    report = client.get("/api/report.html", params={"from": "2024-11-01", "to": "2024-12-01", "every": "week"})
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert b"<html" in report.content[:500] and b"2024-12-01" in report.content
    user_error(client.get("/api/report.html", params={"from": "2024-12-01", "to": "2024-11-01"}), 400)
    user_error(client.get("/api/report.html", params={"from": "2024-12-01"}), 422)


# ---- user errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("url", "params", "status", "needle"), [
    ("/api/shares", {"date": "2024-09-02"}, 400, "nearest after: 2024-10-01"),
    ("/api/shares", {"date": "yesterday"}, 400, "not a date"),
    ("/api/shares", {"date": "2024-13-01"}, 400, "not a date"),
    ("/api/shares", {"profile": "narnia"}, 404, "unknown"),
    ("/api/shares", {"profile": "syria"}, 404, "no syria snapshots"),
    ("/api/shares", {"by": "party"}, 400, "grouping"),
    ("/api/shares", {"all": "perhaps"}, 422, "all"),
    ("/api/snapshots", {"profile": "../../etc/passwd"}, 404, "unknown"),
    ("/api/changes", {"d1": "2024-12-01", "d2": "2024-11-01"}, 400, "before"),
    ("/api/changes", {"d1": "2024-08-01", "d2": "2024-11-15"}, 400, "2024-08-01"),
    ("/api/changes", {"d1": "2024-11-01"}, 422, "d2"),
    ("/api/timeline", {"every": "fortnight"}, 400, "period"),
    ("/api/timeline", {"from": "2030-01-01"}, 400, ""),
    ("/api/map.svg", {"profile": "syria"}, 404, "syria"),
    ("/api/nowhere", {}, 404, "/api/nowhere"),
])
def test_user_errors_are_one_line_json(client, url, params, status, needle):
    assert needle in user_error(client.get(url, params=params), status)


def test_messages_speak_api_not_cli(client):
    from whoholds.api.common import api_words

    said = api_words("--by: unknown grouping; D2 2024-01-01 is before D1")
    assert said == "by: unknown grouping; d2 2024-01-01 is before d1"
    assert api_words("run `whoholds ingest --profile x` first") == "run `whoholds ingest --profile x` first"
    for params in ({"by": "party"}, {"every": "fortnight"}):
        msg = user_error(client.get("/api/timeline" if "every" in params else "/api/shares", params=params), 400)
        assert "--" not in msg and msg.startswith(("by", "every")), msg


def test_dates_between_snapshots_get_the_snapshot_in_force(client):
    body = client.get("/api/shares", params={"date": "2024-12-20"}).json()
    assert body["date"] == "2024-12-01" and body["requested_date"] == "2024-12-20"
    assert "in force" in body["note"] and "19 days earlier" in body["note"]
    exact = client.get("/api/shares", params={"date": "2024-12-01"}).json()
    assert exact["note"] is None and exact["rows"] == body["rows"]
    ch = client.get("/api/changes", params={"d1": "2024-10-15", "d2": "2024-12-01"}).json()
    assert (ch["d1"], ch["d2"]) == ("2024-10-01", "2024-12-01") and "d1 2024-10-15" in ch["note"]


def test_missing_store_is_404_everywhere(tmp_path):
    c = TestClient(create_app(tmp_path / "nothing-here"))
    assert "no store here" in user_error(c.get("/api/shares"), 404)
    user_error(c.get("/api/map.svg"), 404)
    data = c.get("/api/profiles").json()  # the profiles route still answers, and says why there is no data
    assert "no store here" in data["store_error"]
    assert all(p["snapshot_dates"] == 0 for p in data["profiles"])


def test_a_bug_is_a_one_line_500_and_a_busy_store_503(store_path, monkeypatch):
    from whoholds.api import common
    from whoholds.errors import StoreError
    from whoholds.metrics import shares as shares_module

    c = TestClient(create_app(store_path), raise_server_exceptions=False)

    def boom(*_a, **_k):
        raise RuntimeError("something internal\nwith a second line")

    monkeypatch.setattr(shares_module, "shares", boom)
    msg = user_error(c.get("/api/shares"), 500)
    assert "RuntimeError" in msg and "something internal" not in msg

    class Locked:
        def __init__(self, path, create=True):
            raise StoreError(path / "catalog.duckdb", "cannot open catalog: Could not set lock on file")

    monkeypatch.setattr("whoholds.store.Store", Locked)
    assert "busy" in user_error(c.get("/api/snapshots"), 503)
    assert common.status_of(common.Busy("x", "y")) == 503


# ---- page and docs -------------------------------------------------------------------------------------
def test_page_and_static_files_are_self_contained(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    for asset in ("/static/app.js", "/static/style.css"):
        assert asset in html
        resp = client.get(asset)
        assert resp.status_code == 200 and len(resp.text) > 500
        # offline machine: no CDN, no external URL in the page or its assets
        assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", resp.text)
    assert not re.search(r"(?:src|href)\s*=\s*[\"'](?:https?:)?//", html)
    for element in ("profile", "slider", "by", "map", "shares-box", "chart", "changes-card", "check-form"):
        assert f'id="{element}"' in html
    js = client.get("/static/app.js").text
    for route in ("profiles", "calendar", "shares", "layers.geojson", "changes.geojson", "timeline", "check"):
        assert f'"{route}"' in js


def test_openapi_lists_every_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/profiles", "/api/snapshots", "/api/shares", "/api/changes", "/api/timeline", "/api/check",
              "/api/map.svg", "/api/timeline.svg", "/api/report.html"):
        assert p in paths
    assert "post" in paths["/api/check"]
    assert client.get("/docs").status_code == 200


# ---- whoholds serve ------------------------------------------------------------------------------------
def test_serve_command_runs_uvicorn_on_the_store(store_path, tmp_path, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from whoholds.cli import app as cli_app

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.append((target, kw)))
    res = CliRunner().invoke(cli_app, ["serve", "--store", str(store_path), "--port", "8123"])
    assert res.exit_code == 0, res.output
    (target, kw) = calls[0]
    assert kw["host"] == "127.0.0.1" and kw["port"] == 8123
    assert TestClient(target).get("/api/snapshots").json()["dates"] == DATES  # the app over that store
    res = CliRunner().invoke(cli_app, ["serve", "--store", str(tmp_path / "none")])
    assert res.exit_code == 2 and "no store here" in res.output and "Traceback" not in res.output
