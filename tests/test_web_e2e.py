"""The page in a real browser: Debian's Chromium driven by Playwright (no browser download), over a real server
(uvicorn on 127.0.0.1) and a small real store (four monthly DeepStateMap snapshots).

Skipped when /usr/bin/chromium or the playwright package is missing; `.ci/run` installs Chromium first.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import data_path

CHROMIUM = os.environ.get("WHOHOLDS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FILES = ["deepstate_raw_2024-10-01_1727771655.geojson.gz", "deepstate_raw_2024-11-01_1730495471.geojson.gz",
         "deepstate_raw_2024-12-01_1733089579.geojson.gz", "deepstate_raw_2025-01-01_1735766502.geojson.gz"]
DATES = ["2024-10-01", "2024-11-01", "2024-12-01", "2025-01-01"]
TIMEOUT_MS = 120_000

if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from whoholds.api import create_app
    from whoholds.ingest import ingest
    from whoholds.profiles import load_profile
    from whoholds.store import Store

    folder = data_path("ukraine", "deepstate_raw_feed_monthly")
    path = tmp_path_factory.mktemp("e2e") / "store"
    with Store(path) as st:
        report = ingest([folder / f for f in FILES], load_profile("ukraine"), st, workers=1)
    assert report.ok and report.count("new") == 4
    from whoholds.claims.ledger import Ledger

    with Store(path) as st:  # published estimates that disagree: flags for the ledger view
        Ledger(st).add_csv(data_path("claims", "syria_control_share_claims.csv"))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.1)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(15)


@pytest.fixture(scope="module")
def page(server):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(server + "/")
        pg.wait_for_selector(f"body[data-layers-date='{DATES[-1]}']", timeout=TIMEOUT_MS)
        pg.wait_for_selector("#changes-card[data-loaded]", timeout=TIMEOUT_MS)
        pg.errors = errors  # type: ignore[attr-defined]
        yield pg
        browser.close()


def api_get(server: str, path: str, **params):
    import httpx

    r = httpx.get(server + path, params=params, timeout=120)
    assert r.status_code == 200, r.text
    return r.json()


def map_layers(page) -> dict:
    """What the map's 'layers' source holds now (the GeoJSON the page gave MapLibre)."""
    return page.evaluate("""async () => {
        const d = await window.whoholdsMap.getSource('layers').getData();
        const areas = Object.fromEntries(d.features.map(f => [f.properties.state, f.properties.area_km2]));
        return {date: d.date, areas,
                layers: window.whoholdsMap.getStyle().layers.map(l => l.id)};
    }""")


def shares_table(page) -> dict[str, float]:
    rows = page.query_selector_all("#shares-table tbody tr")
    return {r.get_attribute("data-group"): float(r.query_selector_all("td")[3].get_attribute("data-value"))
            for r in rows}


def test_page_loads_latest_snapshot(page, server):
    assert page.input_value("#slider") == str(len(DATES) - 1)
    assert page.text_content("#date-label") == DATES[-1]
    on_map = map_layers(page)
    assert on_map["date"] == DATES[-1]
    assert {"state-fill", "state-hatch", "changes-fill", "boundary-line"} <= set(on_map["layers"])
    api = api_get(server, "/api/shares", date=DATES[-1], by="actor")
    table = shares_table(page)
    assert table == pytest.approx({r["group"]: r["share_pct"] for r in api["rows"]}, abs=1e-9)
    assert not page.errors


def test_slider_changes_table_and_map(page, server):
    before_map, before_table = map_layers(page), shares_table(page)
    page.focus("#slider")
    page.keyboard.press("ArrowLeft")  # one snapshot back
    page.wait_for_selector(f"body[data-layers-date='{DATES[-2]}']", timeout=TIMEOUT_MS)
    page.wait_for_selector(f"#shares-table[data-date='{DATES[-2]}']", timeout=TIMEOUT_MS)
    after_map, after_table = map_layers(page), shares_table(page)
    assert page.text_content("#date-label") == DATES[-2]
    assert f"date={DATES[-2]}" in page.url  # the view can be shared
    assert after_map["date"] == DATES[-2] and after_map["areas"] != before_map["areas"]
    assert after_table != before_table
    api = api_get(server, "/api/shares", date=DATES[-2], by="actor")
    assert after_table == pytest.approx({r["group"]: r["share_pct"] for r in api["rows"]}, abs=1e-9)


def test_two_dates_change_figures_equal_the_api(page, server):
    page.select_option("#d1", DATES[0])
    page.select_option("#d2", DATES[2])
    page.click("#compare")
    page.wait_for_selector(f"#changes-card[data-loaded='{DATES[0]}..{DATES[2]}']", timeout=TIMEOUT_MS)
    api = api_get(server, "/api/changes", d1=DATES[0], d2=DATES[2], by="actor")
    expected = {r["group"]: (r["gains_km2"], r["losses_km2"], r["net_km2"]) for r in api["summary"]
                if r["gains_km2"] >= 0.005 or r["losses_km2"] >= 0.005}
    shown = {}
    for row in page.query_selector_all("#changes-table tbody tr"):
        cells = row.query_selector_all("td")
        shown[row.get_attribute("data-group")] = tuple(float(c.get_attribute("data-value")) for c in cells[2:5])
    assert expected and set(expected) == set(shown)
    for group, figures in expected.items():
        assert shown[group] == pytest.approx(figures, abs=1e-6)
    assert int(page.get_attribute("body", "data-changes-features")) > 0
    assert not page.is_disabled("#zoom-changes")


def test_claim_gets_a_verdict(page, server):
    import httpx

    text = "Russia controls about 18% of Ukraine"
    page.fill("#claim-text", text)
    page.fill("#claim-date", DATES[-1])
    page.click("#check-button")
    page.wait_for_selector("#verdicts .verdict .label", timeout=TIMEOUT_MS)
    label = page.get_attribute("#verdicts .verdict .label", "data-label")
    api = httpx.post(server + "/api/check", json={"text": text, "country": "ukraine", "date": DATES[-1]},
                     timeout=120).json()
    assert label == api["verdicts"][0]["label"]
    assert label in {"accurate", "roughly accurate", "overstated", "understated", "false"}
    assert "russia" in page.text_content("#verdicts .readings").lower()
    # the figure and the tolerance rule beside the verdict, as the API gives them
    rows = {tr.query_selector("th").inner_text(): tr.query_selector("td").inner_text()
            for tr in page.query_selector_all("#verdicts .readings tr")}
    verdict = api["verdicts"][0]
    assert rows["tolerance"] == verdict["tolerance"]
    assert rows["figure computed"].startswith(f"{verdict['computed']['value']:,.2f}".rstrip("0").rstrip(".") + "%")


def test_download_geojson_parses(page, tmp_path):
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click("#dl-layers-geojson")
    target = tmp_path / "layers.geojson"
    info.value.save_as(target)
    data = json.loads(target.read_text())
    assert data["type"] == "FeatureCollection"
    states = {f["properties"]["state"] for f in data["features"]}
    assert {"held", "occupied"} <= states
    assert all(f["properties"]["area_km2"] > 0 for f in data["features"])


def test_screenshot_map_is_not_blank(page, tmp_path):
    import numpy as np
    from PIL import Image

    page.click("#zoom-country")
    page.wait_for_timeout(1500)
    shot = tmp_path / "page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    canvas = page.query_selector("#map canvas")
    pixels = np.asarray(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB"), dtype=float)
    assert pixels.reshape(-1, 3).var(axis=0).sum() > 0
    # more than background and one fill: the profile's colours are drawn
    assert len(np.unique(pixels.reshape(-1, 3)[::7], axis=0)) > 8


def test_api_docs_render_offline(page, server):
    docs = page.context.browser.new_page()
    outside: list[str] = []
    docs.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    docs.goto(server + "/docs")
    docs.wait_for_selector(".opblock", timeout=TIMEOUT_MS)
    assert len(docs.query_selector_all(".opblock")) >= 15
    assert outside == []  # Swagger UI from the package, nothing from a CDN
    docs.close()


def test_ledger_shows_every_flag_kind_with_its_reason(page, server):
    """Every kind of flag with its explanation and count, and each flag's own reason — not a cut of the columns."""
    doc = api_get(server, "/api/ledger")
    page.click("#ledger >> xpath=..//summary")
    page.wait_for_selector("#ledger .flag-kinds dt", timeout=TIMEOUT_MS)
    kinds = [dt.inner_text() for dt in page.query_selector_all("#ledger .flag-kinds dt")]
    assert [k.split(" (")[0] for k in kinds] == list(doc["flag_kinds"])
    explained = [dd.inner_text() for dd in page.query_selector_all("#ledger .flag-kinds dd")]
    assert explained == list(doc["flag_kinds"].values())
    rows = page.query_selector_all("#ledger table.ledger-flags tbody tr")
    assert len(rows) == len(doc["flags"]) > 0
    assert rows[0].query_selector_all("td")[3].inner_text() == doc["flags"][0]["message"]
    values = [td.inner_text() for td in page.query_selector_all("#ledger table.ledger-figures tbody td.num")]
    assert values and not any(v in ("NaN", "undefined", "null", "") for v in values)


def test_legend_names_the_states_drawn(page, server):
    """The legend lists the states on the map shown, not every state the profile knows."""
    drawn = {f["properties"]["name"] for f in api_get(server, "/api/layers.geojson", date=DATES[-1])["features"]}
    items = [el.inner_text().strip() for el in page.query_selector_all("#legend .legend-item")]
    assert set(items[:-1]) == drawn and items[-1].startswith("changed hands")


def test_settlements_table_reads_like_the_command(page, server):
    """Holders by their names (not group keys), an unknown population as a dash, the region named."""
    page.wait_for_selector("#settlements table.settlements tbody tr", timeout=TIMEOUT_MS)
    cells = [[td.inner_text() for td in tr.query_selector_all("td")]
             for tr in page.query_selector_all("#settlements table.settlements tbody tr")]
    assert cells and all(c[3] in ("Ukraine", "Russia", "Unknown status (grey zone)") for c in cells)
    assert all(c[4] in ("Ukraine", "Russia", "Unknown status (grey zone)") for c in cells)
    assert all(c[2] == "—" or c[2].replace(",", "").isdigit() for c in cells) and all(c[1] for c in cells)
