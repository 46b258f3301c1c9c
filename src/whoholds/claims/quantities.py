"""Numbers and quantities in text, normalised for territorial and humanitarian claims.

`whoholds.claims.numbers` reads the numbers ("1,411", "1.5 million", "half a million", "two-thirds of",
"dozens of"); this module adds what claims need: units folded to a few canonical ones (percent, percentage
points, km², count), ranges as low/high ("between 60 and 65 percent", "300 to 400 people a day"), a rate
("a day", "per week"), the qualifier in front of a number (over, nearly, about...) as a comparator, and the
dropping of numbers that are not figures: parts of dates (years, days of the month), durations ("24 hours"),
ordinals ("4th"), names with numbers ("Su-25", "Resolution 2254", "the 93rd Brigade"), times and codes.

One pass over the tokens, cost linear in the text; no number is ever infinite.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .dates import mask_dates
from .model import Comparator
from .numbers import Number, Tok, can_start, is_age, normalise_separators, read_number, tokenize
from .quantity_filters import is_date_part, is_name_or_code, names_a_thing, refers_back, time_unit_after
from .rates import rate_of

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
    "closer to": "approx", "nearer to": "approx",  # "the true figure was closer to 3,980": nearer that than the other
    # exact
    "exactly": "exact", "precisely": "exact", "exact": "exact",
    "within": "ceiling",
}
#: Words after which "over", "under", "above" are prepositions, not qualifiers ("control over two-thirds").
_NOT_QUALIFIED_AFTER = {"control", "authority", "power", "sovereignty", "hold", "grip", "influence", "rule",
                        "jurisdiction", "command", "dominance", "supremacy", "fighting", "battle", "clashes",
                        "dispute", "victory", "lead", "advantage", "sway"}
#: Phrases after a number that qualify it ("500 or more").
POST_QUALIFIERS: dict[str, Comparator] = {
    "or more": "floor", "or over": "floor", "plus": "floor", "or so": "approx", "or less": "ceiling",
    "or fewer": "ceiling",
}

# Units after a number: (lower-case phrase, canonical unit, factor), tried longest first.
_UNITS: tuple[tuple[str, str, float], ...] = (
    ("%", PERCENT, 1.0), ("percent", PERCENT, 1.0), ("per cent", PERCENT, 1.0), ("per-cent", PERCENT, 1.0),
    ("pct", PERCENT, 1.0),
    ("percentage points", POINTS, 1.0), ("percentage point", POINTS, 1.0), ("points", POINTS, 1.0),
    ("point", POINTS, 1.0), ("pp", POINTS, 1.0), ("p.p.", POINTS, 1.0),
    ("sq. km", KM2, 1.0), ("sq.km", KM2, 1.0), ("sq km", KM2, 1.0), ("sqkm", KM2, 1.0),
    ("square kilometres", KM2, 1.0), ("square kilometers", KM2, 1.0), ("km²", KM2, 1.0), ("km2", KM2, 1.0),
    ("hectares", KM2, 0.01), ("hectare", KM2, 0.01), ("ha", KM2, 0.01),
    ("sq. mi", KM2, 2.589988110336), ("sq mi", KM2, 2.589988110336),
    ("square miles", KM2, 2.589988110336), ("square mile", KM2, 2.589988110336),
    ("square kilometre", KM2, 1.0), ("square kilometer", KM2, 1.0), ("km", "km", 1.0),
    ("kilometres", "km", 1.0), ("kilometers", "km", 1.0), ("miles", "km", 1.609344),
    ("kilometre", "km", 1.0), ("kilometer", "km", 1.0), ("mile", "km", 1.609344),
)
_UNITS_LONGEST = tuple(sorted(_UNITS, key=lambda u: len(u[0]), reverse=True))
#: Verbs of change before "from A to B": two figures (before and after), not a range.
_CHANGE = {"rose", "risen", "rising", "rise", "rises", "grew", "grown", "grow", "grows", "increased",
           "increase", "increases", "increasing", "decreased", "decrease", "fell", "fallen", "falls", "fall",
           "dropped", "drop", "declined", "decline", "climbed", "jumped", "went", "up", "down", "shrank",
           "shrunk", "expanded", "changed", "moved", "raised", "cut", "reduced", "doubled", "slipped"}
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
    per: str | None = None  # a rate: "300 to 400 people a day" → "day"
    vague: bool = False  # "dozens of": a vague amount, low/high give what it can mean

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None and self.low != self.high


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
    before = text[max(0, start - 40):start].rstrip().lower()  # a window: linear cost over a long text
    if before.endswith("~"):
        return "~", "approx"
    for phrase in sorted(QUALIFIERS, key=len, reverse=True):
        if before.endswith(phrase):
            cut = len(before) - len(phrase)
            if cut == 0 or not before[cut - 1].isalnum():
                prev = before[:cut].split()[-1:]
                if phrase in ("over", "under", "above", "below", "within") and prev and prev[0] in _NOT_QUALIFIED_AFTER:
                    return None, "exact"
                # as written, without its article: "an estimated 3.7 million" → "estimated"
                return phrase.removeprefix("an "), QUALIFIERS[phrase]
    return None, "exact"


def qualifier_after(text: str, end: int) -> tuple[str | None, Comparator | None]:
    after = text[end:end + 40].lower().lstrip(" -")
    for phrase, comp in POST_QUALIFIERS.items():
        if after.startswith(phrase) and (len(after) == len(phrase) or not after[len(phrase)].isalnum()):
            return phrase, comp
    return None, None




def _unit_at(text: str, end: int) -> tuple[str, str, float, int] | None:
    """The unit right after a number ending at ``end``: (unit as written, canonical unit, factor, new end)."""
    rest = text[end:end + 40]
    stripped = rest.lstrip()
    if len(rest) - len(stripped) > 1:
        return None
    low = stripped.lower()
    for phrase, unit, factor in _UNITS_LONGEST:
        if low.startswith(phrase) and (phrase == "%" or len(low) == len(phrase) or not low[len(phrase)].isalnum()):
            n = len(rest) - len(stripped) + len(phrase)
            return stripped[: len(phrase)], unit, factor, end + n
    return None


def _changes_before(toks: list[Tok], i: int, loose: bool = True) -> bool:
    """A verb of change shortly before token i ("rose from"); "up"/"down" only when ``loose`` ("up to 300" is a
    qualifier, "up from 17.9%" a change)."""
    return any(t.low in _CHANGE and (loose or t.low not in ("up", "down")) for t in toks[max(0, i - 5):i])


@lru_cache(maxsize=4096)
def extract_quantities(text: str, *, keep_dates: bool = False, keep_vague: bool = False) -> list[Quantity]:
    """Every number in ``text`` with its unit, range, rate and qualifier, normalised (see module doc).

    Dates (years, days of the month), durations ("24 hours") and vague amounts ("dozens of") are left out
    unless ``keep_dates`` / ``keep_vague``. Cached per text (articles repeat sentences; it is pure).
    """
    work = normalise_separators(text)  # "96,5%", "4 200 km²": rewritten in place, spans stay valid
    if not keep_dates:
        work = mask_dates(work)
    toks = tokenize(work)
    out: list[Quantity] = []
    i = 0
    while i < len(toks):
        num = read_number(toks, i) if can_start(toks[i]) else None
        if num is None or is_name_or_code(toks, i, num.j) or refers_back(toks, num) or is_age(toks, num):
            i += 1
            continue
        q, nxt = _quantity(text, work, toks, num, keep_dates)
        if q is not None and names_a_thing(work, toks, num):
            q = None
        if q is not None and (keep_vague or not q.vague):
            out.append(q)
        i = max(nxt, i + 1)
    return out


def _quantity(text: str, work: str, toks: list[Tok], num: Number, keep_dates: bool) -> tuple[Quantity | None, int]:
    """The quantity that starts with ``num``: unit, a range's other end, rate, qualifiers; and the next token."""
    start, end = toks[num.i].start, toks[num.j - 1].end
    unit, factor, unit_text = COUNT, 1.0, ""
    if num.kind == "fraction":
        unit = PERCENT
    else:
        found = _unit_at(work, end)
        if found is not None:
            unit_text, unit, factor, end = found
        elif time_unit_after(work, end):
            return None, num.j
    nxt_tok = num.j
    while nxt_tok < len(toks) and toks[nxt_tok].start < end:
        nxt_tok += 1
    value, low, high = num.value, num.low, num.high
    qual, comp = qualifier_before(text, start)
    if num.kind == "vague":
        qual, comp = toks[num.i].low if toks[num.i].low != "tens" else "tens of", "range"
    # A range: "between 60 and 65 percent", "60-65%", "300 to 400 people", "from 1 to 1.5 million".
    rng = _range_end(work, toks, num, nxt_tok, unit)
    if rng is not None and num.kind == "number":
        other, unit2, factor2, end2, unit_text2 = rng
        f1 = num.factor if num.factor != 1.0 else (other.factor if num.value < 1000 else 1.0)
        a = num.value / num.factor * f1
        low, high, value = a, other.value, (a + other.value) / 2
        if unit == COUNT and unit2 != COUNT:
            unit, factor, unit_text = unit2, factor2, unit_text2
        end = end2
        nxt_tok = other.j
        while nxt_tok < len(toks) and toks[nxt_tok].start < end:
            nxt_tok += 1
        before = text[max(0, start - 20):start].rstrip().lower()
        qual = "between" if before.endswith("between") else ("from" if before.endswith("from") else qual)
        comp = "range"
    surface = text[start:end]
    if not keep_dates and unit == COUNT and num.kind == "number" and low is None and \
            is_date_part(text, start, toks[num.j - 1].end, value, text[start:toks[num.j - 1].end]):
        return None, nxt_tok
    post, post_comp = qualifier_after(text, end)
    if post_comp is not None and comp == "exact":
        qual, comp = post, post_comp
    per = rate_of(work, start, end)
    return Quantity(
        surface=surface, value=_round(value * factor), unit=unit, start=start, end=end,
        low=_round(low * factor) if low is not None else None,
        high=_round(high * factor) if high is not None else None,
        qualifier=qual, comparator=comp, unit_text=unit_text, per=per, vague=num.kind == "vague",
    ), nxt_tok


def _range_end(work: str, toks: list[Tok], num: Number, k: int, unit: str
               ) -> tuple[Number, str, float, int, str] | None:
    """The other end of a range starting with ``num`` whose unit ends before token ``k``."""
    if k >= len(toks) or num.kind != "number":
        return None
    conn = toks[k].low
    before = toks[num.i - 1].low if num.i > 0 else ""
    if conn in ("-", "–", "—"):
        if toks[k].start != toks[k - 1].end and unit == COUNT and before != "between":
            return None  # "5 - the ..." : a dash in prose
    elif conn == "and":
        if before != "between":
            return None
    elif conn == "to":
        if before == "from" and _changes_before(toks, num.i - 1):
            return None  # "rose from 17.9% to 18.8%": before and after, two figures
        if before != "from" and (_changes_before(toks, num.i, loose=False) or unit != COUNT):
            return None
    else:
        return None
    if k + 1 >= len(toks):
        return None
    other = read_number(toks, k + 1)
    if other is None or other.kind != "number" or is_name_or_code(toks, k + 1, other.j):
        return None
    end = toks[other.j - 1].end
    found = _unit_at(work, end)
    unit2, factor2, unit_text2 = COUNT, 1.0, ""
    if found is not None:
        unit_text2, unit2, factor2, end = found
    elif time_unit_after(work, end):
        return None
    if unit != COUNT and unit2 not in (COUNT, unit):
        return None
    if unit != COUNT and unit2 == COUNT:
        unit2 = unit
    a = num.value if num.factor != 1.0 or num.value >= 1000 else num.value * other.factor
    if other.value < a or (_year_like(num.value) and _year_like(other.value) and unit == COUNT):
        return None
    return other, unit2, factor2, end, unit_text2


def _year_like(v: float) -> bool:
    return v == int(v) and 1800 <= v <= 2100


def _round(v: float) -> float:
    r = round(v, 9)
    return float(int(r)) if r == int(r) else r
