"""One period convention: the pure rule, periods read from text, and the same November 2024 figure from
`changes`, the timeline, `check`, the report and the API on the real daily DeepStateMap archive.

The reference for November 2024 never goes through whoholds: the archive's features for 31 October and 30
November are read with ``json``/shapely, clipped to the Natural Earth boundary of ../shared/data/boundaries, and
measured with pyproj.Geod.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import lzma

import pytest
import shapely
from conftest import data_path
from pyproj import Geod

from whoholds.claims.check import check
from whoholds.claims.parse import parse_claim
from whoholds.claims.period_text import period_mentions
from whoholds.metrics.periods import Period, month, parse_period, period_endpoints
from whoholds.profiles import load_profile

UKR = load_profile("ukraine")
GEOD = Geod(ellps="WGS84")
D = dt.date


# ---- the rule ------------------------------------------------------------------------------------------
def test_month_compares_end_of_previous_month_with_end_of_month() -> None:
    days = [D(2024, 10, 30), D(2024, 10, 31), D(2024, 11, 1), D(2024, 11, 29), D(2024, 11, 30), D(2024, 12, 1)]
    ends = period_endpoints(days, month(2024, 11))
    assert (ends.before, ends.after, ends.partial, ends.note) == (D(2024, 10, 31), D(2024, 11, 30), False, "")


def test_gap_at_the_end_takes_the_last_snapshot_before_it_and_says_so() -> None:
    ends = period_endpoints([D(2024, 10, 28), D(2024, 11, 27), D(2024, 12, 2)], month(2024, 11))
    assert (ends.before, ends.after, ends.partial) == (D(2024, 10, 28), D(2024, 11, 27), False)
    assert "no snapshot on 2024-11-30" in ends.note


@pytest.mark.parametrize(("days", "why"), [
    ([D(2024, 11, 5), D(2024, 11, 30)], "starts inside the period"),
    ([D(2024, 10, 31), D(2024, 11, 20)], "ends inside the period"),
])
def test_partial_periods_are_flagged(days: list[dt.date], why: str) -> None:
    ends = period_endpoints(days, month(2024, 11))
    assert ends.partial and why in ends.note and ends.ok


def test_no_two_snapshots_is_not_ok() -> None:
    ends = period_endpoints([D(2017, 7, 20)], Period(D(2018, 1, 1), D(2018, 12, 31)))
    assert not ends.ok and "only one snapshot" in ends.note


def test_parse_period_arguments() -> None:
    assert parse_period("2024-11") == month(2024, 11)
    assert parse_period("2025") == Period(D(2025, 1, 1), D(2025, 12, 31), "2025")
    assert parse_period("2024-11-03") is None and parse_period("2024-13") is None


# ---- periods in text -----------------------------------------------------------------------------------
REF = D(2025, 12, 10)


@pytest.mark.parametrize(("text", "start", "end", "cumulative"), [
    ("Russian forces captured about 4,300 km² in 2025, an AFP analysis showed.", D(2025, 1, 1), REF, False),
    ("Moscow's troops advanced 5 km² a day this winter, Kyiv said.", D(2025, 12, 1), REF, False),
    ("Ukraine won back some 40 km² in March.", D(2025, 3, 1), D(2025, 3, 31), False),
    ("Russia took 310 km² last month.", D(2025, 11, 1), D(2025, 11, 30), False),
    ("Russia gained 1,900 km² in the first half of 2025.", D(2025, 1, 1), D(2025, 6, 30), False),
    ("Between 1 and 7 December Russian troops seized 90 km².", D(2025, 12, 1), D(2025, 12, 7), False),
    ("Russia has captured 4,700 km² since the start of the year.", D(2025, 1, 1), REF, True),
    ("Russia has seized 70,000 km² since the full-scale invasion.", D(2022, 2, 24), REF, True),
    ("The Russian army took some 900 km² over the summer.", D(2025, 6, 1), D(2025, 8, 31), False),
    ("Russia took 700 km² last winter.", D(2024, 12, 1), D(2025, 2, 28), False),
    ("Russian forces seized 130 km² over the past week.", D(2025, 12, 4), REF, False),
])
def test_period_phrases(text: str, start: dt.date, end: dt.date, cumulative: bool) -> None:
    (m,) = [p for p in period_mentions(text, REF, "ukraine") if p.period is not None]
    assert (m.period.start, m.period.end, m.cumulative) == (start, end, cumulative)


def test_a_spring_offensive_is_not_a_period() -> None:
    assert period_mentions("Kyiv expects a spring offensive; it may come soon.", REF, "ukraine") == []


# ---- November 2024 everywhere, on the real daily archive -----------------------------------------------
@pytest.fixture(scope="module")
def daily(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from whoholds.ingest import ingest
    from whoholds.store import Store

    path = data_path("ukraine", "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz")
    folder = tmp_path_factory.mktemp("daily") / "store"
    st = Store(folder)
    report = ingest([path], UKR, st, unlabelled_state="occupied", workers=1)
    assert report.ok
    yield folder, st, path
    st.close()


def _geod_km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


@pytest.fixture(scope="module")
def november_reference(daily) -> dict[str, float]:  # noqa: ANN001
    """Russia's gross gains, losses and net, 31 Oct → 30 Nov 2024, from the raw archive and pyproj.Geod."""
    _folder, _st, path = daily
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        feats = {f["properties"]["date"]: f for f in json.load(fh)["features"]}
    with open(data_path("boundaries", "ne_10m_admin0_deu_UKR.geojson"), encoding="utf-8") as fh:
        boundary = shapely.make_valid(shapely.union_all(
            [shapely.from_geojson(json.dumps(f["geometry"])) for f in json.load(fh)["features"]]))

    def occupied(day: str) -> shapely.Geometry:
        geom = shapely.make_valid(shapely.from_geojson(json.dumps(feats[day]["geometry"])))
        return shapely.intersection(geom, boundary)

    before, after = occupied("2024-10-31"), occupied("2024-11-30")
    gains = _geod_km2(shapely.difference(after, before))
    losses = _geod_km2(shapely.difference(before, after))
    return {"gains": gains, "losses": losses, "net": _geod_km2(after) - _geod_km2(before)}


def test_november_2024_is_one_figure_everywhere(daily, november_reference) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from whoholds.cli import app
    from whoholds.metrics.timeline import timeline
    from whoholds.render.period import period_timeline
    from whoholds.render.period_tables import timeline_totals

    folder, st, _path = daily
    ref = november_reference
    assert ref["net"] == pytest.approx(ref["gains"] - ref["losses"], abs=0.05)
    figures: dict[str, float] = {}

    # changes, given the month
    res = CliRunner().invoke(app, ["changes", "2024-11", "--by", "actor", "--store", str(folder), "--format",
                                   "csv"])
    assert res.exit_code == 0, res.output
    rows = {r["group"]: r for r in csv.DictReader(io.StringIO(res.stdout))}
    figures["changes"] = float(rows["russia"]["net_km2"])
    assert "2024-10-31 → 2024-11-30" in res.stderr

    # the timeline, every month
    tl = timeline(st, UKR, "2024-11-01", "2024-11-30", every="month", by="actor")
    row = tl.frame[tl.frame["group"] == "russia"].iloc[0]
    assert (row["from_date"], row["to_date"]) == (D(2024, 10, 31), D(2024, 11, 30))
    figures["timeline"] = float(row["net_km2"])

    # check: a claim written with the independent figure, read as a net over November 2024
    claim = parse_claim(f"Russian forces made a net gain of {ref['net']:.0f} square kilometres in November 2024, "
                        "according to DeepState.", UKR, D(2024, 12, 2))
    assert (claim.metric, claim.measure, claim.tracker) == ("area_change", "net", "deepstatemap")
    verdict = check(claim, st, UKR)
    assert verdict.label.value == "accurate", verdict.explanation
    assert verdict.figure.provenance.snapshot_ids[0] != verdict.figure.provenance.snapshot_ids[1]
    assert "like-for-like" in " ".join(verdict.notes)
    figures["check"] = verdict.figure.value

    # the report of 31 Oct → 30 Nov: its daily timeline totals
    totals = timeline_totals(period_timeline(st, UKR, D(2024, 10, 31), D(2024, 11, 30), "day").frame, UKR)
    russia_states = {s.id for s in UKR.states if s.actor == "russia"}
    figures["report"] = float(totals[totals["group"].isin(russia_states)]["net_km2"].sum())

    # the API, given the month
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from whoholds.api.app import create_app

    data = TestClient(create_app(folder)).get("/api/changes", params={"period": "2024-11", "by": "actor"}).json()
    figures["api"] = next(r["net_km2"] for r in data["summary"] if r["group"] == "russia")
    assert data["period"]["partial"] is False

    for where, value in figures.items():
        assert value == pytest.approx(ref["net"], abs=0.5), where
    assert max(figures.values()) - min(figures.values()) < 1e-6


def test_gross_gain_and_wrong_sign_net_on_the_real_archive(daily, november_reference) -> None:  # noqa: ANN001
    _folder, st, _path = daily
    ref = november_reference
    # Ukraine's gross gain in November 2024 = Russia's gross loss (small, not a net)
    c = parse_claim(f"Ukrainian troops won back some {ref['losses']:.1f} square kilometres in November 2024.", UKR,
                    D(2024, 12, 3))
    assert (c.subject, c.direction, c.measure) == ("ukraine", "gained", None)
    v = check(c, st, UKR)
    assert v.figure.value == pytest.approx(ref["losses"], abs=0.5)
    assert v.label.value == "accurate"
    # "a net loss of 20 km² for Russia" when Russia's net was a large gain: false, and no gross rescue
    c = parse_claim("November 2024 ended with a net loss of 20 square kilometres for Russia.", UKR, D(2024, 12, 3))
    assert (c.subject, c.direction, c.measure, c.period_start) == ("russia", "lost", "net", D(2024, 11, 1))
    v = check(c, st, UKR)
    assert v.figure.value == pytest.approx(-ref["net"], abs=0.5)
    assert v.label.value == "false" and len(v.sensitivity) == 1
