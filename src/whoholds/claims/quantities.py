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

import re
from dataclasses import dataclass
from functools import lru_cache

from .dates import mask_dates
from .model import Comparator
from .numbers import MONTH_WORDS, Number, Tok, can_start, is_age, normalise_separators, read_number, tokenize
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
# Units of time: numbers in them are durations ("over the past 24 hours"), not figures.
_TIME_UNITS = {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month",
               "months", "year", "years", "decade", "decades", "century", "centuries", "yr", "yrs", "hrs", "h"}
#: Words before a number that make it part of a name: "Resolution 2254", "Route 30", "Brigade 47".
_NAME_NOUNS = {"resolution", "article", "route", "highway", "road", "hill", "brigade", "division", "regiment",
               "battalion", "flight", "point", "chapter", "section", "unit", "block", "no", "nos", "number",
               "building", "gate", "sector", "paragraph", "decree", "law", "order", "protocol", "room", "zone",
               "level", "phase", "stage", "page", "vol", "volume", "item", "checkpoint", "platform", "line",
               "channel", "post", "grid", "corps", "army", "squadron", "group", "camp", "plant", "reactor",
               "tower", "km", "kilometre", "kilometer", "mile", "exit", "junction", "bridge", "district",
               "precinct", "ward", "lot", "plot", "apartment", "flat", "house", "box", "code", "version", "model",
               "type", "class", "series", "mark", "mk", "generation", "gen", "covid", "g", "p", "top", "figure",
               "table", "annex", "appendix", "clause", "rule", "session", "round", "episode", "issue", "edition",
               "part", "act", "tier", "grade", "size", "category"}
#: Letters that may touch a numeral: scales ("2bn", "1.5m") and units ("574km", "5ha").
_ATTACHED_OK = {"m", "bn", "b", "k", "mln", "mn", "km", "ha", "sq", "pp", "pct"}
#: Verbs of change before "from A to B": two figures (before and after), not a range.
_CHANGE = {"rose", "risen", "rising", "rise", "rises", "grew", "grown", "grow", "grows", "increased",
           "increase", "increases", "increasing", "decreased", "decrease", "fell", "fallen", "falls", "fall",
           "dropped", "drop", "declined", "decline", "climbed", "jumped", "went", "up", "down", "shrank",
           "shrunk", "expanded", "changed", "moved", "raised", "cut", "reduced", "doubled", "slipped"}
_YEAR_CUES = {"in", "since", "of", "from", "until", "till", "by", "year", "early", "late", "mid", "end", "start",
              "spring", "summer", "autumn", "fall", "winter", "the", "before", "after", "during", "between",
              "and", "to", "through", "fiscal", "beginning"} | MONTH_WORDS


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


def _prev_word(text: str, start: int) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text[max(0, start - 30):start])
    return words[-1].lower() if words else ""


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s*(?:of\s+)?([A-Za-z]+)", text[end:end + 30])
    return m.group(1).lower() if m else ""


def _is_date_part(text: str, start: int, end: int, value: float, surface: str) -> bool:
    """Years ("since 2018") and days of the month ("December 11") are parts of dates, not figures."""
    digits = surface.strip()
    if not digits.isdigit():
        return False
    if len(digits) == 4 and re.search(r"\b\d{4}\s*[-–/]\s*$", text[max(0, start - 8):start]):
        return True  # "the 2022-2023 winter"
    nxt_char = text[end:end + 1]
    if len(digits) == 4 and 1800 <= value <= 2100 and (
            _prev_word(text, start) in _YEAR_CUES or not nxt_char or nxt_char in ",.;:)!?'’"
            or _next_word(text, end) in MONTH_WORDS):
        return True
    if len(digits) <= 2 and 1 <= value <= 31:
        if _prev_word(text, start) in MONTH_WORDS or _next_word(text, end) in MONTH_WORDS:
            return True
        # "between 1 and 31 January", "from 3 to 9 March", "1-15 February": the first day of a range of days
        m = _DAY_RANGE_END.match(text, end)
        return bool(m and m.group(1).lower().rstrip(".") in MONTH_WORDS)
    return False


_DAY_RANGE_END = re.compile(r"\s*(?:and|to|until|till|through|[-–])\s*(?:[0-3]?\d)\s+([A-Za-z]{3,9}\.?)")


def _time_unit_after(text: str, end: int) -> bool:
    """A duration ("24 hours", "five-year", "45-year-old"), not a figure."""
    m = re.match(r"[\s-]?([A-Za-z]+)", text[end:end + 20])
    # a clock time ("at 5 a.m.", "until 9 pm", "14:00 GMT") is no figure either
    return bool(m and m.group(1).lower() in _TIME_UNITS) or _CLOCK.match(text, end) is not None


_CLOCK = re.compile(r"\s?(?:[ap]\.\s?m\.|[ap]m\b|o['’]clock\b|(?:GMT|BST|UTC|CET|CEST|EET|EEST|MSK)\b)", re.I)


#: "the two provinces", "both", "these three villages": a small number word after a determiner names things
#: already counted, it reports no figure.
_DETERMINERS = frozenset({"the", "these", "those", "its", "their", "his", "her", "our"})


def _refers_back(toks: list[Tok], num: Number) -> bool:
    first = toks[num.i]
    return (num.kind == "number" and num.j == num.i + 1 and first.text.isalpha() and num.value <= 12
            and num.i > 0 and toks[num.i - 1].low in _DETERMINERS)


def _is_name_or_code(toks: list[Tok], i: int, j: int) -> bool:
    """Numbers that are parts of names, codes, times or ordinals: "Su-25", "T72", "4th", "10:30", "24/7",
    "Resolution 2254", "No. 5", "#3", "1e309"."""
    first, last = toks[i], toks[j - 1]
    if not first.text[0].isdigit():
        return False
    if i > 0:
        prev = toks[i - 1]
        if prev.end == first.start and (prev.text[0].isalpha() or prev.text in (":", "/", "#", "№", "_")):
            return True
        if prev.text in ("-", "‑") and prev.end == first.start and i > 1 and toks[i - 2].end == prev.start \
                and toks[i - 2].text[0].isalnum():
            return not toks[i - 2].text[0].isdigit()  # "Su-25"; "60-65" is a range
        word = prev.low if prev.text[0].isalpha() else (toks[i - 2].low if prev.text == "." and i > 1 else "")
        if word in _NAME_NOUNS and (prev.text[0].isalpha() or word in ("no", "nos", "vol", "p")):
            # "shelled the district 14 times": a count of events after the noun, not "District 14"
            return not (prev.text.islower() and j < len(toks) and toks[j].low == "times")
    if j == i + 1 and j < len(toks):
        nxt = toks[j]
        if nxt.start == last.end and (nxt.text in (":", "/", "_") or (
                nxt.text[0].isalpha() and nxt.low not in _ATTACHED_OK)):
            return True
    return False


def _names_a_thing(work: str, toks: list[Tok], num: Number) -> bool:
    """ "the 15-kilometre zone", "its 30-km buffer": a measure used as the name of a thing already defined (after a
    definite determiner, joined to its unit by a hyphen), not a figure claimed."""
    end = toks[num.j - 1].end
    return (num.i > 0 and toks[num.i - 1].low in ("the", "its", "this", "that", "their")
            and re.match(r"-[A-Za-z]+\s+[a-z]", work[end:end + 40]) is not None)


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
        if num is None or _is_name_or_code(toks, i, num.j) or _refers_back(toks, num) or is_age(toks, num):
            i += 1
            continue
        q, nxt = _quantity(text, work, toks, num, keep_dates)
        if q is not None and _names_a_thing(work, toks, num):
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
        elif _time_unit_after(work, end):
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
            _is_date_part(text, start, toks[num.j - 1].end, value, text[start:toks[num.j - 1].end]):
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
    if other is None or other.kind != "number" or _is_name_or_code(toks, k + 1, other.j):
        return None
    end = toks[other.j - 1].end
    found = _unit_at(work, end)
    unit2, factor2, unit_text2 = COUNT, 1.0, ""
    if found is not None:
        unit_text2, unit2, factor2, end = found
    elif _time_unit_after(work, end):
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
