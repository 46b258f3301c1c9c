"""Property-based fuzzing of the GeoJSON reader, the Wikipedia/Lua module reader and the claim parser:
every generated input ends in a result or a one-line WhoholdsError, never another exception.

CI runs a bounded number of examples; ``benchmarks/fuzz.py`` runs the same targets for minutes each."""

from __future__ import annotations

import pytest
from fuzz_targets import TARGETS
from hypothesis import HealthCheck, given, settings

EXAMPLES = 150


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_fuzz(name: str) -> None:
    strategy, run = TARGETS[name]

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(strategy)
    def check(value: object) -> None:
        run(value)

    check()
