"""Overlay engine: priority resolution, default holder, incremental transfers = full recomputation."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from whoholds.geometry.area import geodesic_area_km2
from whoholds.geometry.diff import EdgeSet, compare, region_between, state_codes, transfers_between
from whoholds.geometry.layers import orient, resolve

ORDER = ("occupied", "unknown", "liberated")
BOUNDARY = shapely.box(30, 46, 34, 50)


def km2(g):
    return geodesic_area_km2([g])[0]


def feats(*items):
    states = np.array([s for s, _ in items])
    return states, orient(np.array([g for _, g in items], dtype=object))


def test_priority_and_overlap_and_default():
    occ = shapely.box(30, 46, 32, 48)
    unk = shapely.box(31, 47, 33, 49)  # overlaps occupied on [31,32]x[47,48]
    layers, overlap = resolve(*feats(("occupied", occ), ("unknown", unk)), ORDER, "held", BOUNDARY)
    assert km2(layers["occupied"]) == pytest.approx(km2(occ), rel=1e-12)
    assert km2(layers["unknown"]) == pytest.approx(km2(unk) - km2(shapely.box(31, 47, 32, 48)), rel=1e-9)
    assert overlap == pytest.approx(km2(shapely.box(31, 47, 32, 48)), rel=1e-9)
    total = sum(km2(g) for g in layers.values())
    assert total == pytest.approx(km2(BOUNDARY), rel=1e-12)


def test_clipped_to_boundary():
    outside = shapely.box(33, 49, 36, 52)
    layers, _ = resolve(*feats(("occupied", outside)), ORDER, "held", BOUNDARY)
    assert km2(layers["occupied"]) == pytest.approx(km2(shapely.box(33, 49, 34, 50)), rel=1e-9)


def test_transfer_matrix_known_case_with_grey_zone():
    """Day 1: occupied A; day 2: half of A became grey, a new strip was occupied, some land liberated."""
    a = shapely.box(30.0, 46.0, 31.0, 47.0)
    day1 = feats(("occupied", a), ("unknown", shapely.box(31.0, 46.0, 31.5, 47.0)))
    day2 = feats(
        ("occupied", shapely.box(30.0, 46.0, 30.5, 47.0)),
        ("unknown", shapely.box(30.5, 46.0, 31.0, 47.0)),
        ("occupied", shapely.box(31.0, 46.0, 31.2, 47.0)),  # grey zone taken
        ("occupied", shapely.box(33.0, 49.0, 33.5, 49.5)),  # new from Ukrainian-held land
    )
    step = transfers_between(day1, day2, BOUNDARY, ORDER, "held")
    t = step.transfers
    assert t[("occupied", "unknown")] == pytest.approx(km2(shapely.box(30.5, 46.0, 31.0, 47.0)), rel=1e-9)
    assert t[("unknown", "occupied")] == pytest.approx(km2(shapely.box(31.0, 46.0, 31.2, 47.0)), rel=1e-9)
    assert t[("unknown", "held")] == pytest.approx(km2(shapely.box(31.2, 46.0, 31.5, 47.0)), rel=1e-9)
    assert t[("held", "occupied")] == pytest.approx(km2(shapely.box(33.0, 49.0, 33.5, 49.5)), rel=1e-9)
    assert len(t) == 4


def test_incremental_equals_full_on_random_edits():
    rng = np.random.default_rng(3)
    base = [shapely.box(x, y, x + 0.3, y + 0.3) for x, y in rng.uniform([30, 46], [33.5, 49.5], size=(25, 2))]
    states = rng.choice(ORDER, size=len(base))
    seq = [feats(*zip(states, base, strict=True))]
    for _ in range(6):
        k = rng.integers(len(base))
        base[k] = shapely.affinity.translate(base[k], *rng.uniform(-0.05, 0.05, 2))
        states[rng.integers(len(base))] = rng.choice(ORDER)
        seq.append(feats(*zip(states, base, strict=True)))
    codes = state_codes(ORDER, "held")
    full = [{k: km2(v) for k, v in resolve(s, g, ORDER, "held", BOUNDARY)[0].items()} for s, g in seq]
    areas = dict(full[0])
    for prev, cur, want in zip(seq, seq[1:], full[1:], strict=False):
        region = region_between(EdgeSet.of(*prev, codes), EdgeSet.of(*cur, codes))
        step = compare(prev, cur, region, BOUNDARY, ORDER, "held")
        for (src, dst), v in step.transfers.items():
            areas[src] = areas.get(src, 0) - v
            areas[dst] = areas.get(dst, 0) + v
        for state, value in want.items():
            assert areas.get(state, 0) == pytest.approx(value, abs=1e-6)


def test_nothing_changed_gives_no_region():
    day = feats(("occupied", shapely.box(30, 46, 31, 47)))
    codes = state_codes(ORDER, "held")
    assert region_between(EdgeSet.of(*day, codes), EdgeSet.of(*day, codes)) is None
