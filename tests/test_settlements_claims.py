"""Settlement-count claims on polygon maps: the count's direction, the grey-zone rule and the sensitivity table,
with a small fake metric source whose changed places are written by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

import pandas as pd

from whoholds.claims.check import check_claim
from whoholds.claims.metric_source import SnapshotRef
from whoholds.claims.model import VerdictLabel
from whoholds.claims.parse import parse_claim
from whoholds.profiles import load_profile

UKR = load_profile("ukraine")
D1, D2 = dt.date(2024, 11, 23), dt.date(2024, 11, 30)
# 10 living villages taken by Russia (2 of 500+ people), 2 city sections (PPLX) taken, 1 village retaken by
# Ukraine, 3 villages that entered the grey zone (contested: never counted as taken).
ROWS = ([("ukraine", "russia", "PPL", 800)] * 2 + [("ukraine", "russia", "PPL", 0)] * 8
        + [("ukraine", "russia", "PPLX", 0)] * 2 + [("russia", "ukraine", "PPL", 0)]
        + [("ukraine", "unknown", "PPL", 0)] * 3)
FRAME = pd.DataFrame(ROWS, columns=["from_group", "to_group", "feature_code", "population"])


class FakeSource:
    profile = UKR
    boundary_alternatives = ()

    def __init__(self, frame: pd.DataFrame = FRAME) -> None:
        self.frame = frame
        self.calls = 0

    def snapshot_dates(self) -> list[dt.date]:
        return [D1, D2]

    def nearest(self, date: dt.date):
        ref = SnapshotRef(D1 if date <= D1 else D2, f"id-{date}", "polygons", "deepstate.geojson")
        return ref, abs((ref.date - date).days)

    def settlement_changes(self, r1, r2, by):
        self.calls += 1
        return SimpleNamespace(frame=self.frame, notes=["definition: …", "9 of 9 places lie inside the boundary "
                                                        "b; full gazetteer UA.csv.xz: GeoNames, CC BY 4.0"])


def claim(text: str):
    return parse_claim(text, UKR, date=D2)


def test_count_is_living_places_taken_with_a_sensitivity_table():
    src = FakeSource()
    v = check_claim(claim("Russian forces liberated 10 settlements over the past week."), src)
    assert v.label == VerdictLabel.ACCURATE
    assert v.figure.value == 10  # the 2 city sections and the 3 grey-zone villages are not counted
    assert "living populated places" in v.figure.definition and "grey zone" in v.figure.definition
    assert "full gazetteer UA.csv.xz" in v.figure.definition
    rows = {r.variant: r.value for r in v.sensitivity}
    assert rows["definition: all places"] == 12
    assert rows["definition: living places, 500+ people"] == 2
    assert rows["net: living places, minus those going the other way"] == 9
    assert rows["contested: living places, also counting places now in the grey zone"] == 13
    assert src.calls == 1  # every variant from one pass


def test_inflated_count_is_false_under_every_definition():
    v = check_claim(claim("Russian forces liberated 40 settlements over the past week."), FakeSource())
    assert v.label == VerdictLabel.FALSE
    # 13 would be "accurate" only if the grey-zone villages were counted as taken: they never are
    v = check_claim(claim("Russian forces liberated 13 settlements over the past week."), FakeSource())
    assert v.figure.value == 10 and v.label != VerdictLabel.ACCURATE
    # 20 is false on this map, but 13 with the grey zone counted is not enough to save it: still false
    v = check_claim(claim("Russian forces liberated 20 settlements over the past week."), FakeSource())
    assert v.label == VerdictLabel.FALSE
    # 16 is false when only places taken count (10), not when the grey-zone villages do (13): not rated false
    v = check_claim(claim("Russian forces liberated 16 settlements over the past week."), FakeSource())
    assert v.figure.value == 10 and v.label != VerdictLabel.FALSE
    assert "closest alternative" in v.explanation


def test_lost_counts_places_others_took_from_the_subject():
    c = claim("Russian forces liberated 1 settlement over the past week.")
    ukraine_lost = dataclasses.replace(c, subject="ukraine", subject_text="Ukraine", direction="lost", value=10)
    v = check_claim(ukraine_lost, FakeSource())
    assert v.figure.value == 10 and v.label == VerdictLabel.ACCURATE
    ukraine_took = dataclasses.replace(c, subject="ukraine", subject_text="Ukraine", direction="gained", value=1)
    assert check_claim(ukraine_took, FakeSource()).figure.value == 1


def test_far_snapshots_make_it_uncheckable():
    c = dataclasses.replace(claim("Russian forces liberated 10 settlements over the past week."),
                            period_start=dt.date(2024, 10, 1))
    v = check_claim(c, FakeSource())
    assert v.label == VerdictLabel.UNCHECKABLE


def test_without_the_full_gazetteer_the_claim_cannot_be_checked(tmp_path, monkeypatch):
    """A town list (cities500) would undercount villages and call a true claim false: no verdict instead."""
    import hashlib

    import geopandas as gpd
    import shapely

    from whoholds.claims.check import check
    from whoholds.store import Store
    from whoholds.types import Snapshot

    monkeypatch.delenv("WHOHOLDS_DATA", raising=False)
    monkeypatch.setenv("WHOHOLDS_CACHE", str(tmp_path / "empty"))
    st = Store(tmp_path / "store")
    for day, east in ((D1, 37.0), (D2, 37.5)):
        f = gpd.GeoDataFrame({"state": ["occupied"], "label": ["occupied"], "fill": [None]},
                             geometry=[shapely.box(36.0, 47.0, east, 48.5)], crs=4326)
        st.put(Snapshot(day, f"toy-{day}", "ukraine", "polygons", f, hashlib.sha256(str(day).encode()).hexdigest()))
    v = check(claim("Russian forces liberated 10 settlements over the past week."), st, UKR)
    assert v.label == VerdictLabel.UNCHECKABLE
    assert "no full gazetteer" in v.reason
    st.close()
