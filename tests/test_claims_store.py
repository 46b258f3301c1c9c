"""check() end to end on a constructed store: a square country split into known strips.

Strips of equal longitude width between the same latitudes have equal geodesic area, so the shares are exact:
red 60%, blue 30%, contested (red vs blue) 10%.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from whoholds.claims import VerdictLabel as L
from whoholds.claims import check, parse_claim
from whoholds.profiles import profile_from_dict
from whoholds.store import Store
from whoholds.types import Snapshot

DAY = dt.date(2024, 1, 10)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    tmp = tmp_path_factory.mktemp("claims-store")
    square = tmp / "square.geojson"
    square.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Squareland"},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}))
    profile = profile_from_dict({
        "id": "squareland", "name": "Squareland war",
        "boundary": {"source": str(square), "country": ""},
        "actors": [{"id": "red", "name": "Red", "aliases": ["Red forces", "the reds"]},
                   {"id": "blue", "name": "Blue", "aliases": ["Blue forces"]}],
        "coalitions": [{"id": "red_bloc", "name": "Red bloc", "members": ["red"], "aliases": ["red bloc"]}],
        "states": [{"id": "red", "kind": "actor", "actor": "red", "labels": ["red"]},
                   {"id": "blue", "kind": "actor", "actor": "blue", "labels": ["blue"]},
                   {"id": "grey", "kind": "contested", "parties": ["red", "blue"], "labels": ["grey"]}],
    })
    features = gpd.GeoDataFrame(
        {"state": ["red", "blue", "grey"], "label": ["red", "blue", "grey"], "fill": ["", "", ""]},
        geometry=[box(0, 0, 0.6, 1), box(0.6, 0, 0.9, 1), box(0.9, 0, 1, 1)], crs="EPSG:4326")
    store = Store(tmp / "store")
    store.put(Snapshot(date=DAY, source="constructed.geojson", profile="squareland", kind="polygons",
                       features=features, content_hash="constructed-1"))
    return store, profile


@pytest.mark.parametrize(("text", "label", "computed"), [
    ("Blue forces control about 30 percent of the country", L.ACCURATE, 30.0),
    ("Red forces hold over 65% of the country", L.OVERSTATED, 60.0),  # 5 pp short; 70% with the grey zone
    ("Red forces hold 75% of the country", L.OVERSTATED, 60.0),  # false on 60%, not on 70%: not false
    ("Red forces hold 95% of the country", L.FALSE, 60.0),  # false on 60% and on 70%
    ("Red forces hold nearly 62% of the country", L.ACCURATE, 60.0),
    ("Blue forces hold up to 25% of the country", L.UNDERSTATED, 30.0),
])
def test_verdicts_on_known_shares(world, text: str, label: L, computed: float) -> None:  # noqa: ANN001
    store, profile = world
    claim = parse_claim(text, profile, dt.date(2024, 1, 12))
    v = check(claim, store, profile)
    assert v.figure.value == pytest.approx(computed, abs=0.01)
    assert v.label == label, v.explanation
    assert v.distance_days == 2 and v.snapshot_date == DAY
    contested = [r for r in v.sensitivity if r.variant.startswith("contested")]
    assert contested and contested[0].value == pytest.approx(computed + 10.0, abs=0.01)


def test_far_date_cannot_be_checked(world) -> None:  # noqa: ANN001
    store, profile = world
    claim = parse_claim("Red forces hold 60% of the country", profile, dt.date(2024, 6, 1))
    v = check(claim, store, profile)
    assert v.label == L.UNCHECKABLE
    assert v.reason == ("the store has no squareland snapshot within 45 days of 2024-06-01; the nearest is "
                        "2024-01-10 (143 days)")
    assert v.figure.value == pytest.approx(60.0, abs=0.01)
    assert check(claim, store, profile, max_distance_days=200).label == L.ACCURATE


def test_coalition_claim(world) -> None:  # noqa: ANN001
    store, profile = world
    claim = parse_claim("The red bloc holds 60 percent of the country", profile, DAY)
    assert claim.subject_kind == "coalition"
    assert check(claim, store, profile).label == L.ACCURATE


def test_files_exist(world) -> None:  # noqa: ANN001
    store, _ = world
    assert Path(store.path, "catalog.duckdb").exists()
