"""Bounded fuzzing of the round-2 dialects and formats (``fuzz_targets2.py``): every generated input ends in
a result or a one-line WhoholdsError. ``benchmarks/fuzz.py`` runs the same targets for minutes each."""

from __future__ import annotations

import pytest
from fuzz_targets2 import TARGETS2
from hypothesis import HealthCheck, given, settings

EXAMPLES = 60


@pytest.mark.parametrize("name", sorted(TARGETS2))
def test_fuzz_round_two(name: str) -> None:
    strategy, run = TARGETS2[name]

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(strategy)
    def check(value: object) -> None:
        run(value)

    check()
