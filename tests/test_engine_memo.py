"""Feature reuse in the engine: a run of snapshots densified and edge-hashed once per distinct feature gives the
same inputs and the same changed regions as building every snapshot whole."""

from __future__ import annotations

import numpy as np
import shapely

from whoholds import load_profile
from whoholds.geometry.diff import EdgeSet, InputMemo, region_between, region_between_parts, state_codes
from whoholds.geometry.layers import default_state, polygon_input

UKR = load_profile("ukraine")


def snapshots(seed: int, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    states = ["occupied", "unknown", "liberated", "occupied_2014"]
    base = [shapely.Polygon(shapely.segmentize(shapely.box(x, y, x + 0.4, y + 0.3), 0.05).exterior.coords)
            for x, y in rng.uniform([30, 46], [36, 50], size=(12, 2))]
    labels = rng.choice(states, size=len(base))
    out = []
    for _ in range(n):
        k = rng.integers(len(base))
        base[k] = shapely.affinity.translate(base[k], *rng.uniform(-0.03, 0.03, 2))  # one feature moves
        if rng.random() < 0.3:
            labels[rng.integers(len(base))] = rng.choice(states)  # one changes hands
        geoms = list(base) + [base[0]]  # a duplicate feature: multiplicity must be kept
        out.append((np.array([*labels, labels[0]]), np.array(geoms, dtype=object)))
    return out


def test_memo_inputs_and_regions_equal_whole_snapshots():
    codes = state_codes(UKR.resolution_order, default_state(UKR))
    seq = snapshots(5, 8)
    whole = []
    for states, geoms in seq:
        inp = polygon_input(states, geoms, UKR)
        whole.append((inp, EdgeSet.of(inp.states, inp.geoms, codes)))
    memo = InputMemo(dict(codes))
    fast = [memo.input(states, geoms, UKR) for states, geoms in seq]
    for (a, _), (b, _) in zip(whole, fast, strict=True):
        assert list(a.states) == list(b.states)
        assert shapely.equals_exact(a.geoms, b.geoms, 0).all()
    for (_, ea), (_, eb), (_, pa), (_, pb) in zip(whole, whole[1:], fast, fast[1:], strict=False):
        want, got = region_between(ea, eb), region_between_parts(pa, pb)
        assert (want is None and got is None) or np.array_equal(want, got)


def test_unchanged_snapshot_has_no_region_even_with_reordered_features():
    memo = InputMemo(state_codes(UKR.resolution_order, default_state(UKR)))
    states, geoms = snapshots(9, 1)[0]
    _, first = memo.input(states, geoms, UKR)
    _, again = memo.input(states[::-1], geoms[::-1], UKR)
    assert region_between_parts(first, again) is None
