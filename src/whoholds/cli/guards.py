"""Checks every command's numeric options share: none of them means anything negative, infinite or absurd."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..errors import InputError

#: No count, distance, population or duration whoholds takes is anywhere near this.
ABSURD = 1e9


def check_numeric_options(kwargs: Mapping[str, object]) -> None:
    """InputError naming the option for a negative, non-finite (1e309, nan) or absurdly large number."""
    for name, value in kwargs.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        option = "--" + name.replace("_", "-")
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(option, f"must be a finite number, not {value}")
        if value < 0:
            raise InputError(option, f"must not be negative (got {value:g})")
        if value > ABSURD:
            raise InputError(option, f"{value:g} is absurdly large (at most {ABSURD:g})")
