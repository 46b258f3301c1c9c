"""Value types of the claims stage: reported figures, checkable claims and verdicts."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Literal

from ..types import Figure

#: How a qualifier bounds the claimed value (see docs/claims.md).
Comparator = Literal["exact", "approx", "floor", "ceiling", "near_below", "near_above", "range"]

#: What a checkable claim measures.
Metric = Literal[
    "share",  # percent of the territory held by an actor or coalition at a date
    "area",  # km² held at a date
    "area_change",  # km² gained (or lost) between two dates
    "share_change",  # percentage points gained (or lost) between two dates
    "settlement_count",  # settlements held at a date
    "settlement_change",  # settlements gained (or lost) between two dates
]

Direction = Literal["holds", "gained", "lost"]
Measure = Literal["net", "gross"]
_RATE_NAMES = {1.0: "day", 7.0: "week", 365.25 / 12: "month"}


class VerdictLabel(StrEnum):
    """The verdict scale, best to worst; `UNCHECKABLE` when the data cannot decide."""

    ACCURATE = "accurate"
    ROUGHLY_ACCURATE = "roughly accurate"
    OVERSTATED = "overstated"
    UNDERSTATED = "understated"
    FALSE = "false"
    #: the claim names another tracker than the store's and the figures differ: not comparable, not false
    DIFFERS_BY_SOURCE = "differs by source"
    UNCHECKABLE = "cannot be checked"


@dataclass(frozen=True)
class ReportedFigure:
    """One number a text reports, with what it counts and who says so.

    ``value`` is the normalised number (km² for areas, percent for shares, a plain number for counts; the
    midpoint for a range, whose ends are ``low``/``high``); ``surface`` is the number as written.
    """

    quote: str
    surface: str
    value: float
    unit: str
    counts: str = ""
    indicator: str = ""
    qualifier: str | None = None
    comparator: Comparator = "exact"
    low: float | None = None
    high: float | None = None
    speaker: str | None = None
    speaker_role: str | None = None
    explicit_attribution: bool = False
    as_of: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_text: str = ""
    cumulative: bool = False
    subject: str | None = None
    subject_text: str | None = None
    direction: Direction | None = None
    negated: bool = False
    metric: Metric | None = None
    denominator: str | None = None
    span: tuple[int, int] = (0, 0)
    paragraph: int = 0
    sentence: int = 0
    note: str = ""
    #: "net" / "gross" when the words say so; None: a plain verb ("captured 40 km²")
    measure: Measure | None = None
    #: days per rate unit when the figure is a rate ("15 km² per day" → 1, "per week" → 7)
    rate_days: float | None = None
    #: id of the profile tracker the sentence names as its source ("according to ISW" → "isw")
    tracker: str | None = None
    #: the region a share is of ("of the Donetsk region"), regions taken out of the denominator, inhabited only
    region: str | None = None
    excluded: tuple[str, ...] = ()
    inhabited: bool = False
    #: why the reading is unsure (two actors in the clause...): such a figure is never given a definite label
    unsure: str = ""
    direction_text: str = ""
    data_source: str | None = None  # whose data the figure rests on, when not the speaker's own (issue 9)
    per: str | None = None  # a rate: "300 to 400 people a day" → "day"

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("as_of", "period_start", "period_end"):
            d[key] = d[key].isoformat() if d[key] else None
        d["span"] = list(self.span)
        return d


@dataclass(frozen=True)
class Claim:
    """A reported figure that whoholds can check against the map data."""

    quote: str
    metric: Metric
    value: float
    unit: str
    comparator: Comparator = "exact"
    qualifier: str | None = None
    low: float | None = None
    high: float | None = None
    subject: str | None = None
    subject_kind: Literal["actor", "coalition"] | None = None
    subject_text: str | None = None
    direction: Direction = "holds"
    speaker: str | None = None
    as_of: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    denominator: str | None = None
    negated: bool = False
    profile: str = ""
    figure: ReportedFigure | None = field(default=None, compare=False, repr=False)
    measure: Measure | None = None
    rate_days: float | None = None
    tracker: str | None = None
    region: str | None = None
    excluded: tuple[str, ...] = ()
    inhabited: bool = False
    unsure: str = ""
    #: why the figure is not a plausible quantity ("1e309 km²", a share over 100 %): never rated ("" when it is)
    implausible: str = ""
    #: how the direction and period were read: the words that gave them ("" when none did)
    direction_text: str = ""
    period_text: str = ""

    def readings(self) -> dict[str, str]:
        """The five readings a definite verdict needs -- metric, subject, direction, period, denominator --
        each as read from the claim, or "not read: ..." (see docs/claims.md, "Confidence")."""
        metric = self.metric + (f" (a rate per {_RATE_NAMES.get(self.rate_days, f'{self.rate_days:g} days')})"
                                if self.rate_days else "")
        if self.measure:
            metric += f", {self.measure}"
        subject = (f"{self.subject} ({self.subject_kind or 'actor'}, read from {self.subject_text!r})"
                   if self.subject else "not read: no actor or coalition the profile knows")
        if self.unsure:
            subject += f"; unsure: {self.unsure}"
        direction = self.direction + (f" (from {self.direction_text!r})" if self.direction_text else
                                      " (no verb of control or change)")
        if self.metric.endswith("change"):
            period = (f"{self.period_start} – {self.period_end}" + (f" (from {self.period_text!r})"
                                                                     if self.period_text else "")
                      if self.period_start and self.period_end else "not read: no period for the change")
        else:
            period = (f"as of {self.as_of}" + (f" (from {self.period_text!r})" if self.period_text else "")
                      if self.as_of else "not read: no date")
        if self.region:
            denominator = f"the {self.region} region"
        elif self.metric in ("area", "area_change", "settlement_count", "settlement_change"):
            denominator = "none needed (an absolute figure)"
        else:
            denominator = "the whole country (the profile's boundary)"
        if self.excluded:
            denominator += " excluding " + ", ".join(self.excluded)
        if self.inhabited:
            denominator += ", inhabited area only"
        return {"metric": metric, "subject": subject, "direction": direction, "period": period,
                "denominator": denominator}

    def describe(self) -> str:
        """One line: what is claimed, in whoholds' terms."""
        q = f"{self.qualifier} " if self.qualifier else ""
        if self.comparator == "range" and self.low is not None and self.high is not None:
            num = f"{_fmt(self.low)}–{_fmt(self.high)}"
        else:
            num = _fmt(self.value)
        unit = {"percent": "%", "percentage points": " pp", "km2": " km²"}.get(self.unit, f" {self.unit}")
        who = self.subject_text or self.subject or "(no actor named)"
        neg = "not " if self.negated else ""
        when = ""
        if self.metric.endswith("change"):
            when = f" between {self.period_start} and {self.period_end}"
        elif self.as_of:
            when = f" on {self.as_of}"
        what = {
            "share": "holds", "area": "holds", "settlement_count": "holds",
            "area_change": self.direction, "share_change": self.direction, "settlement_change": self.direction,
        }[self.metric]
        obj = {"share": "of the territory", "share_change": "of the territory", "area": "",
               "area_change": "", "settlement_count": "settlements", "settlement_change": "settlements"}
        if self.measure == "net" and self.metric.endswith("change"):
            what = f"{what} (net)"
        if self.rate_days:
            unit += " per day" if self.rate_days == 1 else f" per {self.rate_days:g} days"
        where = f" of the {self.region} region" if self.region else ""
        if self.excluded:
            where += " excluding " + ", ".join(self.excluded)
        return f"{who} {neg}{what} {q}{num}{unit} {obj[self.metric]}{where}{when}".replace("  ", " ").strip()

    def as_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "figure"}
        for key in ("as_of", "period_start", "period_end"):
            d[key] = d[key].isoformat() if d[key] else None
        d["excluded"] = list(self.excluded)
        d["description"] = self.describe()
        d["readings"] = self.readings()
        return d


@dataclass(frozen=True)
class SensitivityRow:
    """The computed figure under one alternative definition, and what the claim would be rated under it."""

    variant: str
    value: float | None
    label: VerdictLabel
    error: float | None = None
    figure: Figure | None = None
    note: str = ""


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    label: VerdictLabel
    figure: Figure | None
    tolerance: str
    explanation: str
    sensitivity: tuple[SensitivityRow, ...] = ()
    snapshot_date: dt.date | None = None
    distance_days: int | None = None
    reason: str | None = None
    error: float | None = None
    #: things a reader must know beside the label (a partial period, the tracker difference, the era used)
    notes: tuple[str, ...] = ()
    #: the nearest independent estimates from the ledger (claims vs claims), each a dict
    neighbours: tuple[dict[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        def fig(f: Figure | None) -> dict[str, Any] | None:
            if f is None:
                return None
            return {"value": f.value, "unit": f.unit, "definition": f.definition,
                    "date": f.date.isoformat() if f.date else None, **f.provenance.as_dict()}

        return {
            "claim": self.claim.as_dict(),
            "label": self.label.value,
            "computed": fig(self.figure),
            "snapshot_date": self.snapshot_date.isoformat() if self.snapshot_date else None,
            "distance_days": self.distance_days,
            "error": self.error,
            "tolerance": self.tolerance,
            "explanation": self.explanation,
            "reason": self.reason,
            "readings": self.claim.readings(),
            "notes": list(self.notes),
            "neighbours": [dict(n) for n in self.neighbours],
            "sensitivity": [
                {"variant": r.variant, "value": r.value, "label": r.label.value, "error": r.error,
                 "note": r.note, "computed": fig(r.figure)}
                for r in self.sensitivity
            ],
        }


def _fmt(x: float) -> str:
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")
