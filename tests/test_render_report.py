"""render.report: one self-contained, escaped HTML file; period_report assembled from (fake) metrics."""

from __future__ import annotations

import datetime as dt
import re
import sys
import types
from html.parser import HTMLParser

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from whoholds.errors import InputError, QueryError
from whoholds.profiles import load_profile
from whoholds.render.charts import share_bar_chart
from whoholds.render.period import period_report
from whoholds.render.report import ReportSection, html_report


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts += 1


def _parse(text: str) -> _Collect:
    p = _Collect()
    p.feed(text)
    return p


def _external_refs(text: str) -> list[str]:
    """URLs in src/href attributes, CSS url() and @import: anything the browser would fetch."""
    refs = re.findall(r"""(?:src|href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", text, flags=re.I)
    refs += re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", text, flags=re.I)
    refs += re.findall(r"@import", text)
    return refs


@pytest.fixture(scope="module")
def profile():
    return load_profile("ukraine")


@pytest.fixture
def shares_df():
    return pd.DataFrame({
        "date": [dt.date(2024, 12, 1)] * 2,
        "group": ["russia", "ukraine"],
        "name": ["Russia", "Ukraine"],
        "kind": ["actor", "actor"],
        "area_km2": [111181.2, 492000.0],
        "share_pct": [18.43, 81.57],
        "snapshot_id": ["abc123abc123ff"] * 2,
        "source": ["/data/deepstatemap_data_20241201.geojson"] * 2,
        "boundary": ["Natural Earth 10m UKR"] * 2,
        "method": ["clipped; geodesic"] * 2,
        "whoholds_version": ["0.1.0"] * 2,
    })


def test_html_report_self_contained(tmp_path, profile, shares_df):
    png = share_bar_chart(shares_df, profile, tmp_path / "a.png", title="Shares")
    svg = share_bar_chart(shares_df, profile, tmp_path / "b.svg", title="Shares")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    text = ("Hostile <script>alert('x')</script> & \"quotes\"\n\n"
            "- first point\n- second <b>point</b>\n\nSee https://deepstatemap.live for the source.")
    out = html_report(
        title="Report <1> & co",
        sections=[ReportSection("Shares & more", text, tables=[shares_df], figures=[png, svg]),
                  ReportSection("Empty")],
        out=out_dir / "r.html",
    )
    assert sorted(p.name for p in out_dir.iterdir()) == ["r.html"]  # one file, no side files
    html = out.read_text(encoding="utf-8")
    parsed = _parse(html)
    assert parsed.scripts == 0  # the hostile text is escaped, not executed
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<title>Report &lt;1&gt; &amp; co</title>" in html
    assert "second &lt;b&gt;point&lt;/b&gt;" in html and "<li>first point</li>" in html
    assert _external_refs(html) == []
    # the only http(s) text is the provenance link written in the section text
    assert re.findall(r"https?://[^\s<\"']+", html) == ["https://deepstatemap.live"]
    imgs = [a for t, a in parsed.tags if t == "img"]
    assert len(imgs) == 2
    assert imgs[0]["src"].startswith("data:image/png;base64,")
    assert imgs[1]["src"].startswith("data:image/svg+xml;base64,")
    assert not any(t == "link" for t, _ in parsed.tags)
    assert "<style>" in html
    # table: formatted numbers, provenance as a note, not as columns
    assert "<table>" in html and "111,181.2" in html and "81.57" in html
    assert "Boundary: Natural Earth 10m UKR" in html and "deepstatemap_data_20241201.geojson" in html
    assert "<th scope=\"col\">Snapshot" not in html and "Whoholds version" not in html
    assert 'href="#shares-more"' in html and 'id="shares-more"' in html


def test_html_report_rejects_unknown_figure(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF")
    with pytest.raises(InputError, match="PNG or SVG"):
        html_report(title="t", sections=[ReportSection("s", figures=[bad])], out=tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()


def test_table_attrs_labels_formats_and_note(tmp_path):
    df = pd.DataFrame({"group": ["a"], "change_km2": [12.34], "x_pct": [1.0]})
    df.attrs.update(title="T <x>", labels={"change_km2": "Δ km²"}, formats={"change_km2": "{:+,.1f}"},
                    note="computed <here>")
    out = html_report(title="t", sections=[ReportSection("s", tables=[df])], out=tmp_path / "r.html")
    html = out.read_text()
    assert "<caption>T &lt;x&gt;</caption>" in html and "Δ km²" in html and "+12.3" in html
    assert "computed &lt;here&gt;" in html and 'class="num"' in html


# ---- period_report with fakes for the metrics written by others ----------------------------------------
BOUNDARY = box(30.0, 46.0, 38.0, 51.0)


class _Snap:
    def __init__(self, date):
        self.date, self.kind, self.source, self.id = date, "polygons", f"/d/snap_{date}.geojson", "abc"
        self.features = gpd.GeoDataFrame({"state": []}, geometry=[], crs="EPSG:4326")


class _Store:
    def __init__(self):
        self.calls = []

    def nearest(self, date, profile_id):
        self.calls.append((date, profile_id))
        return _Snap(date), 0


def _install_fakes(monkeypatch, shares_df, settlements=True):
    def shares(store, profile, date=None, by="actor", **kw):
        df = shares_df.copy()
        df["date"] = date
        if date.month == 9:
            df["area_km2"] = [110000.0, 493181.2]
            df["share_pct"] = [18.24, 81.76]
        return df

    def state_layers(snap, profile, boundary):
        frame = gpd.GeoDataFrame({"state": ["occupied", "held"], "area_km2": [1000.0, 2000.0]},
                                 geometry=[box(34, 46, 38, 51), box(30, 46, 34, 51)], crs="EPSG:4326")
        return types.SimpleNamespace(frame=frame, method="fake layers method")

    def transfer_matrix(store, profile, d1, d2, by="state"):
        states = ["held", "occupied"]
        return types.SimpleNamespace(
            matrix=pd.DataFrame([[490000.0, 1181.2], [0.0, 110000.0]], index=states, columns=states),
            summary=pd.DataFrame({"group": states, "gains_km2": [0.0, 1181.2], "losses_km2": [1181.2, 0.0],
                                  "net_km2": [-1181.2, 1181.2]}),
            changed=gpd.GeoDataFrame({"from_state": ["held"], "to_state": ["occupied"], "area_km2": [1181.2]},
                                     geometry=[box(33.5, 47, 34, 48)], crs="EPSG:4326"),
            method="fake transfer method",
        )

    def timeline(store, profile, start=None, end=None, every="day"):
        dates = pd.date_range(start, end, freq="15D")
        rows = []
        for i, d in enumerate(dates):
            rows.append((d.date(), "russia", 110000.0 + 100 * i, 100.0 * (i > 0), 0.0, 100.0 * (i > 0), i == 2))
            rows.append((d.date(), "ukraine", 493000.0 - 100 * i, 0.0, 100.0 * (i > 0), -100.0 * (i > 0), i == 2))
        frame = pd.DataFrame(rows, columns=["date", "group", "area_km2", "gains_km2", "losses_km2", "net_km2",
                                            "suspect"])
        return types.SimpleNamespace(
            frame=frame,
            gaps=pd.DataFrame({"start": [dt.date(2024, 10, 3)], "end": [dt.date(2024, 10, 9)], "days": [6]}),
            suspects=pd.DataFrame({"date": [dates[2].date()], "reason": ["area 40 % below both neighbours"]}),
        )

    def settlement_changes(store, profile, d1, d2):
        return pd.DataFrame({"name": ["Selydove <town>", "Kurakhove"], "population": [21000, 18000],
                             "from_state": ["held", "unknown"], "to_state": ["occupied", "occupied"],
                             "lat": [48.15, 47.98], "lon": [37.3, 37.28]})

    fakes = {
        "whoholds.metrics.shares": {"shares": shares},
        "whoholds.geometry.layers": {"state_layers": state_layers},
        "whoholds.metrics.changes": {"transfer_matrix": transfer_matrix},
        "whoholds.metrics.timeline": {"timeline": timeline},
    }
    if settlements:
        fakes["whoholds.metrics.settlements"] = {"settlement_changes": settlement_changes}
    for name, attrs in fakes.items():
        mod = types.ModuleType(name)
        for k, v in attrs.items():
            setattr(mod, k, v)
        monkeypatch.setitem(sys.modules, name, mod)


def _boundary():
    return types.SimpleNamespace(id="test", name="Test boundary <box>", geometry=BOUNDARY, note="a box",
                                 source="test")


def test_period_report_assembles_everything(tmp_path, monkeypatch, profile, shares_df):
    _install_fakes(monkeypatch, shares_df)
    store = _Store()
    steps = []
    out = period_report(store, profile, "2024-09-01", dt.date(2024, 12, 1), tmp_path / "p.html",
                        boundary=_boundary(), on_step=steps.append)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.html"]
    html = out.read_text(encoding="utf-8")
    parsed = _parse(html)
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings[0] == "Overview"
    assert any("Who holds what on 2024-09-01 and 2024-12-01" in h for h in headings)
    assert "Maps" in headings and "Timeline" in headings and "Settlements that changed hands" in headings
    imgs = [a for t, a in parsed.tags if t == "img"]
    # 2 share charts, 2 maps, transfer chart, changes map, timeline chart
    assert len(imgs) == 7 and all(a["src"].startswith("data:image/png;base64,") for a in imgs)
    assert html.count("<table>") >= 7
    assert "+1,181.2" in html  # change per group in the comparison table
    assert "Selydove &lt;town&gt;" in html and "2 to Occupied" in html
    assert "area 40 % below both neighbours" in html  # suspects listed
    assert "Test boundary &lt;box&gt;" in html
    assert _external_refs(html) == [] and "http://" not in html and "https://" not in html
    assert (dt.date(2024, 9, 1), "ukraine") in store.calls and (dt.date(2024, 12, 1), "ukraine") in store.calls
    assert steps[:2] == ["shares", "maps"] and steps[-1] == "writing"


def test_period_report_without_optional_parts(tmp_path, monkeypatch, profile, shares_df):
    _install_fakes(monkeypatch, shares_df, settlements=False)
    monkeypatch.setitem(sys.modules, "whoholds.metrics.settlements", None)
    monkeypatch.setitem(sys.modules, "whoholds.metrics.timeline", None)  # not written yet -> ImportError
    out = period_report(_Store(), profile, dt.date(2024, 9, 1), dt.date(2024, 12, 1), tmp_path / "p.html",
                        boundary=_boundary())
    html = out.read_text()
    assert "Not available in this installation: whoholds.metrics.timeline" in html
    assert "Settlements that changed hands" not in html


def test_period_report_bad_input(tmp_path, monkeypatch, profile, shares_df):
    _install_fakes(monkeypatch, shares_df)
    with pytest.raises(QueryError, match="after the start"):
        period_report(_Store(), profile, "2024-12-01", "2024-09-01", tmp_path / "p.html", boundary=_boundary())
    with pytest.raises(QueryError, match="not a date"):
        period_report(_Store(), profile, "Sept 1", "2024-09-01", tmp_path / "p.html", boundary=_boundary())
    with pytest.raises(InputError, match="HTML"):
        period_report(_Store(), profile, "2024-09-01", "2024-12-01", tmp_path / "p.pdf", boundary=_boundary())
    assert not list(tmp_path.iterdir())


def test_period_report_numbers_match_sources(tmp_path, monkeypatch, profile, shares_df):
    _install_fakes(monkeypatch, shares_df)
    out = period_report(_Store(), profile, "2024-09-01", "2024-12-01", tmp_path / "p.html", boundary=_boundary())
    html = out.read_text()
    # areas at both dates and the transfer matrix cells appear with their formatting
    for v in (110000.0, 493181.2, 111181.2, 492000.0, 490000.0):
        assert f"{v:,.1f}" in html
    assert np.isclose(111181.2 - 110000.0, 1181.2)
