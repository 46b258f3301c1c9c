"""Which numbers in a text are not figures: parts of dates ("since 2018", "December 11"), durations and clock times
("24 hours", "at 5 a.m."), names and codes ("Su-25", "Resolution 2254", "the 93rd Brigade"), a measure naming a
thing ("the 15-kilometre zone") and a small number word referring back ("the two provinces").

Split out of `whoholds.claims.quantities`, which asks these questions of every number it reads.
"""

from __future__ import annotations

import re

from .numbers import MONTH_WORDS, Number, Tok

#: Letters that may touch a numeral: scales ("2bn", "1.5m") and units ("574km", "5ha").
_ATTACHED_OK = {"m", "bn", "b", "k", "mln", "mn", "km", "ha", "sq", "pp", "pct"}

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

_YEAR_CUES = {"in", "since", "of", "from", "until", "till", "by", "year", "early", "late", "mid", "end", "start",
              "spring", "summer", "autumn", "fall", "winter", "the", "before", "after", "during", "between",
              "and", "to", "through", "fiscal", "beginning"} | MONTH_WORDS


def _prev_word(text: str, start: int) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text[max(0, start - 30):start])
    return words[-1].lower() if words else ""


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s*(?:of\s+)?([A-Za-z]+)", text[end:end + 30])
    return m.group(1).lower() if m else ""


def is_date_part(text: str, start: int, end: int, value: float, surface: str) -> bool:
    """Years ("since 2018") and days of the month ("December 11") are parts of dates, not figures."""
    digits = surface.strip()
    if not digits.isdigit():
        return False
    if len(digits) == 4 and re.search(r"\b\d{4}\s*[-–/]\s*$", text[max(0, start - 8):start]):
        return True  # "the 2022-2023 winter"
    nxt_char = text[end:end + 1]
    if len(digits) == 4 and 1800 <= value <= 2100 and (
            _prev_word(text, start) in _YEAR_CUES or not nxt_char or nxt_char in ",.;:)!?'’"
            or _next_word(text, end) in MONTH_WORDS
            or re.search(r"['’]s\s+$", text[max(0, start - 4):start])):  # "the UN's 2024 Flash Appeal"
        return True
    if len(digits) <= 2 and 1 <= value <= 31:
        if _prev_word(text, start) in MONTH_WORDS or _next_word(text, end) in MONTH_WORDS:
            return True
        # "between 1 and 31 January", "from 3 to 9 March", "1-15 February": the first day of a range of days
        m = _DAY_RANGE_END.match(text, end)
        return bool(m and m.group(1).lower().rstrip(".") in MONTH_WORDS)
    return False


_DAY_RANGE_END = re.compile(r"\s*(?:and|to|until|till|through|[-–])\s*(?:[0-3]?\d)\s+([A-Za-z]{3,9}\.?)")


def time_unit_after(text: str, end: int) -> bool:
    """A duration ("24 hours", "five-year", "45-year-old"), not a figure."""
    m = re.match(r"[\s-]?([A-Za-z]+)", text[end:end + 20])
    # a clock time ("at 5 a.m.", "until 9 pm", "14:00 GMT") is no figure either
    return bool(m and m.group(1).lower() in _TIME_UNITS) or _CLOCK.match(text, end) is not None


_CLOCK = re.compile(r"\s?(?:[ap]\.\s?m\.|[ap]m\b|o['’]clock\b|(?:GMT|BST|UTC|CET|CEST|EET|EEST|MSK)\b)", re.I)


#: "the two provinces", "both", "these three villages": a small number word after a determiner names things
#: already counted, it reports no figure.
_DETERMINERS = frozenset({"the", "these", "those", "its", "their", "his", "her", "our"})


def refers_back(toks: list[Tok], num: Number) -> bool:
    first = toks[num.i]
    return (num.kind == "number" and num.j == num.i + 1 and first.text.isalpha() and num.value <= 12
            and num.i > 0 and toks[num.i - 1].low in _DETERMINERS)


def is_name_or_code(toks: list[Tok], i: int, j: int) -> bool:
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


def names_a_thing(work: str, toks: list[Tok], num: Number) -> bool:
    """ "the 15-kilometre zone", "its 30-km buffer": a measure used as the name of a thing already defined (after a
    definite determiner, joined to its unit by a hyphen), not a figure claimed."""
    end = toks[num.j - 1].end
    return (num.i > 0 and toks[num.i - 1].low in ("the", "its", "this", "that", "their")
            and re.match(r"-[A-Za-z]+\s+[a-z]", work[end:end + 40]) is not None)


def bracketed_increase(text: str, start: int, end: int) -> bool:
    """ "162,560 (+1,040) persons": a bulletin's running total with the day's increase in brackets after it."""
    return text[max(0, start - 3):start].replace(" ", "").endswith("(+") and text[end:end + 2].lstrip().startswith(")")
