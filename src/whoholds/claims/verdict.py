"""Verdict rules: pure functions from (claimed value, qualifier, computed value) to a label.

The scale and every threshold are documented in docs/claims.md; keep the two in step.

1. The qualifier turns the claim into an interval; the *error* is how far the computed value lies outside it,
   signed as claimed − computed (positive: the claim says more than the data, negative: less):
   exact/approx → the point; floor ("over") → [v, ∞); ceiling ("up to") → (−∞, v]; near_below ("nearly")
   → [v − band, v]; near_above ("just over") → [v, v + band]; range → [low, high].
2. The error is rated against the tolerance of the metric: absolute percentage points for shares, relative
   to the computed value (with small absolute floors) for areas and counts. ≤ accurate → accurate;
   ≤ roughly → roughly accurate; ≤ false_beyond → overstated/understated by sign; beyond → false.
   "about/around" doubles the accurate and roughly bands; "exactly" halves the accurate band.
3. Sensitivity: the same rule under every alternative definition. The overall label is the primary one,
   except that a claim is false only if it is false under all variants; when the primary definition makes it
   false but some variant does not, the best-rated variant's label is used and the explanation says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Comparator, VerdictLabel

_EPS = 1e-9


@dataclass(frozen=True)
class Tolerance:
    """Thresholds of one metric. ``relative``: fractions of the computed value, else absolute (pp)."""

    name: str
    relative: bool
    accurate: float
    roughly: float
    false_beyond: float
    #: absolute minimum allowances (accurate, roughly, false) for relative rules: small numbers are noisy
    floors: tuple[float, float, float] = (0.0, 0.0, 0.0)
    #: width of "nearly X" below X (and "just over X" above it): pp, or a fraction of X
    near_band: float = 0.0
    unit: str = ""

    def thresholds(self, computed: float, comparator: Comparator = "exact") -> tuple[float, float, float]:
        """Absolute (accurate, roughly, false) allowances around ``computed`` for this comparator."""
        scale = abs(computed) if self.relative else 1.0
        acc, rough, false = (self.accurate * scale, self.roughly * scale, self.false_beyond * scale)
        if comparator == "approx":
            # "about" widens the relative bands, not the floors for small numbers: doubled floors would call
            # "around 300 km²" roughly accurate against 143 km²
            acc, rough = 2 * acc, 2 * rough
        acc, rough, false = (max(acc, self.floors[0]), max(rough, self.floors[1]), max(false, self.floors[2]))
        if comparator == "approx":
            false = max(false, rough)
        elif comparator == "exact_strict":
            acc = acc / 2
        return acc, rough, false

    def describe(self) -> str:
        if self.relative:
            f = self.floors
            return (f"{self.name}: accurate within ±{self.accurate:.0%} of the computed value (at least "
                    f"±{f[0]:g} {self.unit}), roughly accurate within ±{self.roughly:.0%} (±{f[1]:g}), "
                    f"over-/understated up to ±{self.false_beyond:.0%} (±{f[2]:g}), false beyond")
        return (f"{self.name}: accurate within ±{self.accurate:g} {self.unit}, roughly accurate within "
                f"±{self.roughly:g} {self.unit}, over-/understated up to ±{self.false_beyond:g} {self.unit}, "
                "false beyond")


SHARE = Tolerance("share of territory", False, 1.0, 3.0, 10.0, near_band=3.0, unit="pp")
SHARE_CHANGE = Tolerance("change in share", False, 0.2, 0.5, 2.0, near_band=0.5, unit="pp")
AREA = Tolerance("area held", True, 0.02, 0.05, 0.25, floors=(50.0, 150.0, 500.0), near_band=0.05, unit="km²")
AREA_CHANGE = Tolerance("area changed hands", True, 0.10, 0.25, 0.5, floors=(5.0, 15.0, 40.0), near_band=0.10,
                        unit="km²")
COUNT = Tolerance("settlement count", True, 0.05, 0.15, 0.5, floors=(0.0, 1.0, 2.0), near_band=0.10,
                  unit="settlements")

TOLERANCES: dict[str, Tolerance] = {
    "share": SHARE, "share_change": SHARE_CHANGE, "area": AREA, "area_change": AREA_CHANGE,
    "settlement_count": COUNT, "settlement_change": COUNT,
}


def tolerance_for(metric: str) -> Tolerance:
    return TOLERANCES[metric]


@dataclass(frozen=True)
class Judgement:
    label: VerdictLabel
    error: float  # claimed − computed beyond what the qualifier allows; 0 when inside
    computed: float
    thresholds: tuple[float, float, float]

    @property
    def severity(self) -> float:
        """|error| in units of the false threshold (0 = inside the claim, >1 = false)."""
        f = self.thresholds[2]
        return abs(self.error) / f if f > 0 else (math.inf if self.error else 0.0)


def band_width(tol: Tolerance, value: float) -> float:
    return tol.near_band * abs(value) if tol.relative else tol.near_band


def claim_error(comparator: Comparator, value: float, computed: float, *, low: float | None = None,
                high: float | None = None, band: float = 0.0) -> float:
    """How far ``computed`` lies outside what the claim allows, as claimed − computed (0 when inside)."""
    if comparator in ("exact", "approx"):
        return value - computed
    if comparator == "floor":
        return value - computed if computed < value else 0.0
    if comparator == "ceiling":
        return value - computed if computed > value else 0.0
    if comparator == "near_below":
        lo = value - band
        if computed > value:
            return value - computed
        return lo - computed if computed < lo else 0.0
    if comparator == "near_above":
        hi = value + band
        if computed < value:
            return value - computed
        return hi - computed if computed > hi else 0.0
    if comparator == "range":
        lo = value if low is None else low
        hi = value if high is None else high
        if computed < lo:
            return lo - computed
        if computed > hi:
            return hi - computed
        return 0.0
    raise ValueError(f"unknown comparator {comparator!r}")


def label_for(error: float, thresholds: tuple[float, float, float]) -> VerdictLabel:
    """Rate an error against (accurate, roughly, false) allowances; the bounds are inclusive."""
    acc, rough, false = thresholds
    m = abs(error)
    if m <= acc + _EPS:
        return VerdictLabel.ACCURATE
    if m <= rough + _EPS:
        return VerdictLabel.ROUGHLY_ACCURATE
    if m <= false + _EPS:
        return VerdictLabel.OVERSTATED if error > 0 else VerdictLabel.UNDERSTATED
    return VerdictLabel.FALSE


def judge(comparator: Comparator, value: float, computed: float, tol: Tolerance, *, low: float | None = None,
          high: float | None = None, qualifier: str | None = None) -> Judgement:
    """The label of one claim against one computed value."""
    err = claim_error(comparator, value, computed, low=low, high=high, band=band_width(tol, value))
    mode: Comparator | str = comparator
    if comparator == "exact" and qualifier in ("exactly", "precisely", "exact"):
        mode = "exact_strict"
    th = tol.thresholds(computed, mode)  # type: ignore[arg-type]
    return Judgement(label_for(err, th), err, computed, th)


#: Labels an alternative definition can improve on: "false" only (a claim is false only if false under every
#: definition); an overstated count of settlements "liberated" must not become accurate by counting the grey zone.
_IMPROVABLE = (VerdictLabel.FALSE,)
_RANK = {VerdictLabel.ACCURATE: 0, VerdictLabel.ROUGHLY_ACCURATE: 1, VerdictLabel.OVERSTATED: 2,
         VerdictLabel.UNDERSTATED: 2, VerdictLabel.FALSE: 3}


def combine(primary: Judgement, variants: Sequence[Judgement]) -> tuple[VerdictLabel, Judgement]:
    """Overall label: the primary one, unless it is false and an alternative definition rates the claim better;
    then the best-rated alternative (closest first).

    Returns the label and the judgement it comes from (the primary, or the best-rated variant).
    """
    if primary.label not in _IMPROVABLE:
        return primary.label, primary
    better = [v for v in variants if _RANK.get(v.label, 9) < _RANK[primary.label]]
    if not better:
        return primary.label, primary
    best = min(better, key=lambda v: (_RANK[v.label], v.severity))
    return best.label, best


def rule_text(comparator: Comparator, qualifier: str | None, value: float, tol: Tolerance,
              low: float | None = None, high: float | None = None) -> str:
    """The tolerance rule applied to one claim, in a sentence."""
    unit = {"pp": "%", "km²": " km²", "settlements": ""}.get(tol.unit, "")
    v = f"{value:g}{unit}"
    q = f"'{qualifier} {v}'" if qualifier else f"'{v}'"
    how = {
        "exact": f"{q} is read as a point value",
        "approx": f"{q} is an approximation: the accurate and roughly-accurate bands are doubled",
        "floor": f"{q} is a floor: any computed value of at least {v} satisfies it",
        "ceiling": f"{q} is a ceiling: any computed value of at most {v} satisfies it",
        "near_below": f"{q} means a little under {v}: values from {v} minus "
                      f"{_band_text(tol)} up to {v} satisfy it",
        "near_above": f"{q} means a little over {v}: values from {v} up to {v} plus {_band_text(tol)} satisfy it",
        "range": f"{q} is a range: any computed value from {low:g} to {high:g} satisfies it"
                 if low is not None and high is not None else f"{q} is a range",
    }[comparator]
    if comparator == "exact" and qualifier in ("exactly", "precisely", "exact"):
        how += " (and 'exactly' halves the accurate band)"
    return f"{how}. {tol.describe()}."


def _band_text(tol: Tolerance) -> str:
    return f"{tol.near_band:.0%}" if tol.relative else f"{tol.near_band:g} {tol.unit}"
