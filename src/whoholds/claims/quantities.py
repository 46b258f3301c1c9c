"""Numbers and quantities in text, on top of quantulum3, normalised for territorial claims.

quantulum3 does the parsing ("1,411", "1.5 million", "between 60 and 65 percent", "574 square kilometres",
"a third"). This module only adds what claims need on top of it: units folded to a few canonical ones (percent,
percentage points, km², count), ranges as low/high, the qualifier in front of a number (over, nearly, about...)
as a comparator, and the dropping of numbers that are parts of dates (years, days of the month) or durations.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

from .dates import mask_dates
from .model import Comparator

PERCENT = "percent"
POINTS = "percentage points"
KM2 = "km2"
COUNT = "count"

#: Qualifier phrases (lower case) → comparator. Matched on the words right before a number, longest first.
QUALIFIERS: dict[str, Comparator] = {
    # floors: the claimed value is a minimum
    "over": "floor", "more than": "floor", "at least": "floor", "upwards of": "floor", "in excess of": "floor",
    "no less than": "floor", "not less than": "floor", "no fewer than": "floor", "above": "floor",
    "exceeding": "floor", "greater than": "floor", "a minimum of": "floor", "well over": "floor",
    "just over": "near_above", "slightly more than": "near_above", "a little over": "near_above",
    "just above": "near_above", "slightly over": "near_above", "just more than": "near_above",
    # ceilings: the claimed value is a maximum
    "up to": "ceiling", "under": "ceiling", "less than": "ceiling", "fewer than": "ceiling",
    "no more than": "ceiling", "not more than": "ceiling", "below": "ceiling", "at most": "ceiling",
    "as many as": "ceiling", "as much as": "ceiling", "a maximum of": "ceiling",
    # close below: "nearly 70%" is a bit under 70
    "nearly": "near_below", "almost": "near_below", "close to": "near_below", "just under": "near_below",
    "slightly less than": "near_below", "just shy of": "near_below", "approaching": "near_below",
    "not quite": "near_below", "just below": "near_below", "slightly under": "near_below",
    # approximations
    "about": "approx", "around": "approx", "some": "approx", "roughly": "approx", "approximately": "approx",
    "approx.": "approx", "an estimated": "approx", "estimated": "approx", "circa": "approx", "ca.": "approx",
    "~": "approx", "more or less": "approx", "an approximate": "approx", "on the order of": "approx",
    "an estimate of": "approx", "approx": "approx", "around about": "approx",
    # exact
    "exactly": "exact", "precisely": "exact", "exact": "exact",
}
#: Phrases after a number that qualify it ("500 or more").
POST_QUALIFIERS: dict[str, Comparator] = {
    "or more": "floor", "or over": "floor", "plus": "floor", "or so": "approx", "or less": "ceiling",
    "or fewer": "ceiling",
}

# Units that quantulum3 misses and that follow a plain number: (lower-case phrase, canonical unit, factor).
_TRAILING_UNITS: tuple[tuple[str, str, float], ...] = (
    ("percentage points", POINTS, 1.0), ("percentage point", POINTS, 1.0), ("points", POINTS, 1.0),
    ("point", POINTS, 1.0), ("pp", POINTS, 1.0), ("p.p.", POINTS, 1.0),
    ("sq. km", KM2, 1.0), ("sq.km", KM2, 1.0), ("sq km", KM2, 1.0), ("sqkm", KM2, 1.0),
    ("square kilometres", KM2, 1.0), ("square kilometers", KM2, 1.0), ("km²", KM2, 1.0), ("km2", KM2, 1.0),
    ("hectares", KM2, 0.01), ("hectare", KM2, 0.01), ("ha", KM2, 0.01),
    ("sq. mi", KM2, 2.589988110336), ("sq mi", KM2, 2.589988110336),
    ("square miles", KM2, 2.589988110336),
)
# quantulum3 unit names → (canonical unit, factor to it).
_UNIT_MAP: dict[str, tuple[str, float]] = {
    "percentage": (PERCENT, 1.0), "per cent": (PERCENT, 1.0), "percent": (PERCENT, 1.0),
    "square kilometre": (KM2, 1.0), "square metre": (KM2, 1e-6), "square mile": (KM2, 2.589988110336),
    "hectare": (KM2, 0.01), "acre": (KM2, 0.004046856422),
    "dimensionless": (COUNT, 1.0),
}
# Units of time: numbers in them are durations ("over the past 24 hours"), not figures.
_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH_WORDS = set(MONTHS) | {m[:3] for m in MONTHS} | {"sept"}
_YEAR_CUES = {"in", "since", "of", "from", "until", "till", "by", "year", "early", "late", "mid", "end", "start",
              "spring", "summer", "autumn", "fall", "winter", "the", "before", "after", "during", "between",
              "and", "to", "through", "fiscal", "beginning"} | _MONTH_WORDS
_FRACTION_WORDS = ("half", "third", "quarter", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_EUROPEAN_DECIMAL = re.compile(
    r"(?<![\d,.])(\d{1,3}),(\d{1,2})(?=\s*(?:%|per\s?cent|percent|million|billion|thousand|sq|km|square))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A number found in text, normalised: ``value`` in ``unit`` (km² for areas), ``low``/``high`` for ranges."""

    surface: str
    value: float
    unit: str
    start: int
    end: int
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None
    comparator: Comparator = "exact"
    unit_text: str = ""

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None and self.low != self.high


@lru_cache(maxsize=1)
def _parser():  # noqa: ANN202 - the quantulum3 parser module
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser
    return parser


def _parse(text: str):  # noqa: ANN202 - list of quantulum3 Quantity objects
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _parser().parse(text)


def normalise_number(surface: str) -> float:
    """The value of a number as written: "1,411" → 1411, "1.5 million" → 1.5e6, "1,2 million" → 1.2e6.

    Raises ValueError when the text holds no number.
    """
    found = extract_quantities(surface, keep_dates=True)
    if not found:
        raise ValueError(f"no number in {surface!r}")
    return found[0].value


def qualifier_before(text: str, start: int) -> tuple[str | None, Comparator]:
    """The qualifier phrase that ends right before ``start`` (e.g. "over", "more than", "nearly")."""
    before = text[:start].rstrip().lower()
    if before.endswith("~"):
        return "~", "approx"
    for phrase in sorted(QUALIFIERS, key=len, reverse=True):
        if before.endswith(phrase):
            cut = len(before) - len(phrase)
            if cut == 0 or not before[cut - 1].isalnum():
                return phrase, QUALIFIERS[phrase]
    return None, "exact"


def qualifier_after(text: str, end: int) -> tuple[str | None, Comparator | None]:
    after = text[end:].lower()
    after = after.lstrip(" -")
    for phrase, comp in POST_QUALIFIERS.items():
        if after.startswith(phrase) and (len(after) == len(phrase) or not after[len(phrase)].isalnum()):
            return phrase, comp
    return None, None


def _trailing_unit(text: str, end: int) -> tuple[str, str, float, int] | None:
    """A unit that quantulum3 missed right after a number: (unit text, canonical unit, factor, new end)."""
    rest = text[end:]
    stripped = rest.lstrip()
    offset = len(rest) - len(stripped)
    low = stripped.lower()
    for phrase, unit, factor in _TRAILING_UNITS:
        if low.startswith(phrase) and (len(low) == len(phrase) or not low[len(phrase)].isalnum()):
            return stripped[: len(phrase)], unit, factor, end + offset + len(phrase)
    return None


def _prev_word(text: str, start: int) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text[:start][-30:])
    return words[-1].lower() if words else ""


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s*(?:of\s+)?([A-Za-z]+)", text[end:])
    return m.group(1).lower() if m else ""


def _is_date_part(text: str, start: int, end: int, value: float, surface: str) -> bool:
    """Years ("since 2018") and days of the month ("December 11") are parts of dates, not figures."""
    digits = surface.strip()
    if not digits.isdigit():
        return False
    nxt_char = text[end:end + 1]
    if len(digits) == 4 and 1800 <= value <= 2100 and (
            _prev_word(text, start) in _YEAR_CUES or not nxt_char or nxt_char in ",.;:)!?'’"
            or _next_word(text, end) in _MONTH_WORDS):
        return True
    if len(digits) <= 2 and 1 <= value <= 31:
        if _prev_word(text, start) in _MONTH_WORDS or _next_word(text, end) in _MONTH_WORDS:
            return True
        if re.match(r"(st|nd|rd|th)\b", text[end:end + 2]):
            return True
    return False


def extract_quantities(text: str, *, keep_dates: bool = False) -> list[Quantity]:
    """Every number in ``text`` with its unit, range and qualifier, normalised (see module doc).

    Dates (years, days of the month), durations ("24 hours") and vague amounts ("thousands") are left out
    unless ``keep_dates``.
    """
    # "96,5%" / "1,2 million": a decimal comma, rewritten in place (same length, so spans stay valid).
    work = _EUROPEAN_DECIMAL.sub(r"\1.\2", text)
    if not keep_dates:
        work = mask_dates(work)
    out: list[Quantity] = []
    for q in _parse(work):
        start, end = q.span
        surface = text[start:end]
        unit_name = q.unit.name
        entity = q.unit.entity.name if q.unit.entity is not None else ""
        if unit_name in _TIME_UNITS or entity == "time":
            continue
        if not keep_dates and unit_name == "dimensionless" and _is_date_part(text, start, end, q.value, surface):
            continue
        if not re.search(r"\d", surface) and not re.search(
                r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                r"hundred|thousand|million|half|" + "|".join(_FRACTION_WORDS) + r")", surface, re.IGNORECASE):
            continue  # "an AFP" read as 1 ampere·farad·poise
        canonical, factor = _UNIT_MAP.get(unit_name, (unit_name, 1.0))
        value = float(q.value)
        unit_text = ""
        # quantulum3 reads "2.5 percentage points" as "2.5 percentage", "574 sq. km" as "574".
        if canonical in (COUNT, PERCENT):
            trailing = _trailing_unit(text, end) if canonical == COUNT else None
            if canonical == PERCENT and re.match(r"\s*points?\b", text[end:], re.IGNORECASE):
                m = re.match(r"\s*points?", text[end:], re.IGNORECASE)
                end += m.end() if m else 0
                canonical = POINTS
                surface = text[start:end]
            elif trailing is not None:
                unit_text, canonical, factor, end = trailing
                surface = text[start:end]
        # Word fractions of something ("a third of the country") are shares.
        low_surface = surface.lower()
        if canonical == COUNT and value < 1 and any(w in low_surface for w in _FRACTION_WORDS):
            canonical, factor = PERCENT, 100.0
        if canonical == COUNT and value != int(value) and not re.search(r"million|billion|thousand", low_surface):
            pass  # a decimal count is odd but possible ("2.5 times"); keep it
        low = high = None
        unc = getattr(q, "uncertainty", None)
        if unc and re.search(r"\band\b|\bto\b|[-–—]", surface):
            low, high = (value - unc) * factor, (value + unc) * factor
        qual, comp = qualifier_before(text, start)
        if low is not None:
            comp = "range"
            if surface.lower().startswith("between"):
                qual = "between"
            elif text[:start].rstrip().lower().endswith("from"):
                qual = "from"
            else:
                qual = qual or None
        post, post_comp = qualifier_after(text, end)
        if post_comp is not None and comp == "exact":
            qual, comp = post, post_comp
        out.append(Quantity(
            surface=surface, value=round(value * factor, 9), unit=canonical, start=start, end=end,
            low=low, high=high, qualifier=qual, comparator=comp, unit_text=unit_text or (q.unit.name or ""),
        ))
    return out
