"""Numbers as written in news text, read token by token in one linear pass (no backtracking regex).

Numerals ("1,411", "96.5", "1.5 million", "2bn"), number words ("twenty-five", "two hundred", "a dozen"),
word amounts ("half a million", "a quarter of a million", "one and a half million"), fractions of something
("two-thirds of", "a fifth of", "half of" → a share) and vague amounts ("dozens of", "tens of thousands of").

Replaces quantulum3 for claims: its regex took seconds on a long digit run and overflowed on ``1e309``; here
a digit run longer than `MAX_DIGITS` is simply not a figure, and every value is finite.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: A numeral with more digits than this is an identifier or garbage, never a reported figure.
MAX_DIGITS = 15

TOKEN = re.compile(r"\d+(?:[,.]\d+)*|[A-Za-z]+|[^\sA-Za-z\d]")
_NUMERAL = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")

UNITS_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
              "ninety": 90}
SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
#: Scale abbreviations written after a numeral ("1.5 mln", "2bn", "1.5m").
SHORT_SCALES = {"mln": 1e6, "mn": 1e6, "m": 1e6, "bn": 1e9, "b": 1e9, "k": 1e3, "thousand": 1e3}
FRACTIONS = {"half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25,
             "fifth": 0.2, "fifths": 0.2, "sixth": 1 / 6, "sixths": 1 / 6, "seventh": 1 / 7, "eighth": 0.125,
             "ninth": 1 / 9, "tenth": 0.1, "tenths": 0.1}
#: Vague amounts: "dozens of" → the range they can mean (low, high).
VAGUE = {"dozens": (24.0, 99.0), "scores": (40.0, 99.0), "hundreds": (200.0, 999.0),
         "thousands": (2000.0, 9999.0), "millions": (2e6, 9.99e6)}


@dataclass(frozen=True)
class Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class Number:
    """A number read from tokens ``i``..``j-1``: its value, or a fraction (share), or a vague range."""

    value: float
    i: int
    j: int
    kind: str = "number"  # number | fraction | vague
    low: float | None = None
    high: float | None = None
    factor: float = 1.0  # the scale word it carries ("million" = 1e6), which a range's other end may share


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
#: Month names and their abbreviations, lower case: a number beside one is part of a date.
MONTH_WORDS = frozenset(MONTHS) | {m[:3] for m in MONTHS} | {"sept"}


#: Words a number can start with (anything else that is not a digit cannot start one).
STARTERS = frozenset({"a", "an", "half", "tens", *UNITS_WORDS, *TENS_WORDS, *VAGUE})


def can_start(tok: Tok) -> bool:
    return tok.text[0].isdigit() or (len(tok.text) <= 9 and tok.text.lower() in STARTERS)


def tokenize(text: str) -> list[Tok]:
    return [Tok(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text)]


def numeral_value(text: str) -> float | None:
    """"1,411" → 1411.0, "96.5" → 96.5; None for malformed numerals or runs over `MAX_DIGITS` digits."""
    text = text.rstrip(".,")
    if sum(c.isdigit() for c in text) > MAX_DIGITS or not _NUMERAL.fullmatch(text):
        return None
    value = float(text.replace(",", ""))
    return value if math.isfinite(value) else None


def _adjacent(toks: list[Tok], i: int) -> bool:
    """Token i+1 touches token i (no space between)."""
    return i + 1 < len(toks) and toks[i + 1].start == toks[i].end


def _word(toks: list[Tok], i: int) -> str:
    return toks[i].low if 0 <= i < len(toks) else ""


def _small_words(toks: list[Tok], i: int) -> tuple[float, int] | None:
    """ "twenty-five", "ninety", "seven" at token i → (value, next index)."""
    w = _word(toks, i)
    if w in UNITS_WORDS:
        return float(UNITS_WORDS[w]), i + 1
    if w in TENS_WORDS:
        v = float(TENS_WORDS[w])
        if _word(toks, i + 1) == "-" and _word(toks, i + 2) in UNITS_WORDS and UNITS_WORDS[_word(toks, i + 2)] < 10:
            return v + UNITS_WORDS[_word(toks, i + 2)], i + 3
        return v, i + 1
    return None


def _scale_after(toks: list[Tok], j: int, numeral: bool) -> tuple[float, int]:
    """A scale after a number at token j ("million", "bn", attached "m"); (factor, next index)."""
    w = _word(toks, j)
    if w in ("million", "billion", "trillion", "thousand"):
        return SCALES[w], j + 1
    if numeral and w in SHORT_SCALES and w != "thousand":
        attached = toks[j].start == toks[j - 1].end
        if w in ("mln", "mn", "bn") or (attached and w in ("m", "bn", "b", "k")):
            return SHORT_SCALES[w], j + 1
    return 1.0, j


def _one_and_a_half(toks: list[Tok], j: int) -> tuple[float, int]:
    """ "and a half" / "and a quarter" after a whole number: (fraction, next index)."""
    if _word(toks, j) == "and" and _word(toks, j + 1) == "a" and _word(toks, j + 2) in ("half", "quarter"):
        return FRACTIONS[_word(toks, j + 2)], j + 3
    return 0.0, j


def read_number(toks: list[Tok], i: int) -> Number | None:
    """The number that starts at token i, or None."""
    tok = toks[i]
    w = tok.low
    if tok.text[0].isdigit():
        value = numeral_value(tok.text)
        if value is None:
            return None
        j = i + 1
        share = _one_in(toks, i, value, j, words=False)
        if share is not None:
            return share
        extra, j = _one_and_a_half(toks, j)
        factor, j2 = _scale_after(toks, j, numeral=True)
        if extra and factor == 1.0:
            return Number(value, i, i + 1)  # "2 and a half" without a scale: just 2
        return Number((value + extra) * factor, i, j2, factor=factor)
    # "a dozen", "two dozen", "a hundred", "a million", "half a million", "a quarter of a million"
    if w == "a" or w == "an":
        nxt = _word(toks, i + 1)
        if nxt == "dozen":
            return Number(12.0, i, i + 2)
        if nxt in ("hundred", "thousand", "million", "billion"):
            factor, j = SCALES[nxt], i + 2
            more, j2 = _scale_after(toks, j, numeral=False)
            return Number(factor * more, i, j2, factor=factor * more)
        if nxt in ("half", "quarter", "third", "fifth", "tenth"):
            return _fraction(toks, i, FRACTIONS[nxt], i + 2)
        return None
    if w in ("half",):
        if _word(toks, i - 1) in ("first", "second", "latter", "former", "other"):
            return None
        return _fraction(toks, i, 0.5, i + 1)
    small = _small_words(toks, i)
    if small is not None:
        value, j = small
        if _word(toks, j) == "-" and _word(toks, j + 1) in FRACTIONS:  # "two-thirds", "one-fifth"
            return _fraction(toks, i, value * FRACTIONS[_word(toks, j + 1)], j + 2)
        if _word(toks, j) in FRACTIONS and _word(toks, j) != "half" and value >= 1:  # "three quarters", "one third"
            return _fraction(toks, i, value * FRACTIONS[_word(toks, j)], j + 1)
        share = _one_in(toks, i, value, j, words=True)
        if share is not None:
            return share
        if _word(toks, j) == "dozen":
            return Number(value * 12, i, j + 1)
        if _word(toks, j) == "hundred":
            value, j = value * 100, j + 1
            if _word(toks, j) == "and" and _small_words(toks, j + 1):
                more, j = _small_words(toks, j + 1)  # type: ignore[misc]
                value += more
            elif _small_words(toks, j):
                more, j = _small_words(toks, j)  # type: ignore[misc]
                value += more
        extra, j = _one_and_a_half(toks, j)
        factor, j2 = _scale_after(toks, j, numeral=False)
        if extra and factor == 1.0:
            j2 = j - 3
        elif factor != 1.0:
            value += extra
        if j2 == i + 1 and w == "one" and factor == 1.0:
            return None  # a bare "one" is a pronoun or determiner far more often than a figure
        return Number(value * factor, i, j2, factor=factor)
    # "tens of thousands", "hundreds of thousands", "dozens of", "thousands of"
    if w == "tens" and _word(toks, i + 1) == "of" and _word(toks, i + 2) in ("thousands", "millions"):
        base = 1e3 if _word(toks, i + 2) == "thousands" else 1e6
        return _vague(toks, i, i + 3, 20 * base, 99 * base)
    if w in VAGUE and _word(toks, i + 1) == "of":
        lo, hi = VAGUE[w]
        if w == "hundreds" and _word(toks, i + 2) == "thousands":
            return _vague(toks, i, i + 3, 2e5, 9.99e5)
        return _vague(toks, i, i + 1, lo, hi)
    return None


def _one_in(toks: list[Tok], i: int, value: float, j: int, *, words: bool) -> Number | None:
    """A share written as a ratio: "one in five", "1 in 10", "three out of four" → percent. With numerals,
    "61 out of 88 drones" is two counts (shot down, launched), so "out of" makes a share only in words."""
    k = j + 1 if _word(toks, j) == "in" else j + 2 if (words and _word(toks, j) == "out"
                                                           and _word(toks, j + 1) == "of") else None
    if k is not None and _word(toks, k) == "every":  # "one out of every five", "1 in every 4"
        k += 1
    if k is None or k >= len(toks):
        return None
    den_tok = toks[k]
    if den_tok.text[0].isdigit():
        den = numeral_value(den_tok.text) if "," not in den_tok.text and "." not in den_tok.text else None
        end = k + 1
    else:
        small = _small_words(toks, k)
        den, end = small if small is not None else (None, k)
    if den is None or not value < den <= 1000 or _word(toks, end) in ("percent", "per", "%"):
        return None
    return Number(100.0 * value / den, i, end, kind="fraction")


def _fraction(toks: list[Tok], i: int, frac: float, j: int) -> Number | None:
    """A fraction: of a scale ("half a million", "a quarter of a million") → a number; of something → share."""
    if _word(toks, j) in ("a", "an") and _word(toks, j + 1) in ("million", "billion", "thousand", "hundred"):
        return Number(frac * SCALES[_word(toks, j + 1)], i, j + 2, factor=SCALES[_word(toks, j + 1)])
    if _word(toks, j) == "of" and _word(toks, j + 1) in ("a", "an") and _word(toks, j + 2) in (
            "million", "billion", "thousand"):
        return Number(frac * SCALES[_word(toks, j + 2)], i, j + 3, factor=SCALES[_word(toks, j + 2)])
    if _word(toks, j) in ("million", "billion"):  # "a half million"
        return Number(frac * SCALES[_word(toks, j)], i, j + 1, factor=SCALES[_word(toks, j)])
    if _word(toks, j) in ("of", "the", "its", "their"):
        return Number(frac * 100.0, i, j, kind="fraction")
    if _word(toks, j) in ("more", "less", "fewer", "higher", "lower", "larger", "smaller", "bigger") \
            and _word(toks, j + 1) == "than":  # "roughly a third more than in 2024": a relative change
        return Number(frac * 100.0, i, j, kind="fraction")
    if _word(toks, j) in ("", ".", ",", ";", ")") and _level_before(toks, i):
        return Number(frac * 100.0, i, j, kind="fraction")  # "the share stood at around three quarters."
    return None


_QUALIFIER_WORDS = frozenset({"about", "around", "roughly", "nearly", "almost", "some", "just", "over", "under",
                              "approximately", "more", "than", "less", "well", "barely"})


def _level_before(toks: list[Tok], i: int) -> bool:
    """A level is stated before token i ("stood at", "rose to", "is", "reached"), qualifiers skipped."""
    k = i - 1
    while k >= 0 and _word(toks, k) in _QUALIFIER_WORDS:
        k -= 1
    return _word(toks, k) in ("at", "to", "was", "is", "reached", "remained", "stands", "stood")


def _vague(toks: list[Tok], i: int, j: int, lo: float, hi: float) -> Number:
    return Number((lo + hi) / 2, i, j, kind="vague", low=lo, high=hi)


def is_age(toks: list[Tok], num: Number) -> bool:
    """A person's age set off by commas after the name: "Ahmad, 34, said", "Olena Shevchenko, 67, who ..."."""
    i, j = num.i, num.j
    return (j == i + 1 and toks[i].text.isdigit() and num.value <= 110 and i >= 2 and j < len(toks)
            and toks[i - 1].text == "," and toks[j].text == "," and toks[i - 2].text[:1].isupper()
            and toks[i - 2].text.isalpha() and j + 1 < len(toks) and _after_age(toks[j + 1].text))


#: What follows "Name, 34,": a description or a verb of the person ("a teacher", "who", "said", "fled") — not
#: another item of a list ("In Kharkiv, 12, in Sumy, 7").
_AGE_FOLLOWERS = frozenset({"a", "an", "the", "who", "whose", "his", "her", "said", "says", "told", "tells",
                            "recalled", "recalls", "added", "explained", "lives", "lived", "fled", "remembers"})


def _after_age(word: str) -> bool:
    return word in _AGE_FOLLOWERS or (word.islower() and word.endswith("ed") and word not in ("killed", "wounded",
                                                                                             "injured"))


#: A decimal comma before a unit or scale word: "96,5%", "1,2 million".
_EUROPEAN_DECIMAL = re.compile(
    r"(?<![\d,.])(\d{1,3}),(\d{1,2})(?=\s*(?:%|per\s?cent|percent|million|billion|thousand|sq|km|square))",
    re.IGNORECASE,
)
#: Digits grouped by spaces: "4 200", "1 497 650" (a space, no-break or thin space between thousands).
_SPACED_THOUSANDS = re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d]|[,.]\d)")
_BEFORE_WORD = re.compile(r"([A-Za-z]+)\.?\s*$")



def normalise_separators(text: str) -> str:
    """Numerals in other conventions rewritten in place (same length, so spans stay valid): a decimal comma as a
    point ("96,5%" → "96.5%"); thousands grouped by spaces as commas ("4 200 km²" → "4,200 km²"), never after a
    month name, where "December 12 300 people" is a date and a count."""
    text = _EUROPEAN_DECIMAL.sub(r"\1.\2", text)

    def join(m: re.Match[str]) -> str:
        before = _BEFORE_WORD.search(text[max(0, m.start() - 12):m.start()])
        if before and before.group(1).lower() in MONTH_WORDS:
            return m.group(0)
        return re.sub(r"[ \u00a0\u202f\u2009]", ",", m.group(0))
    return _SPACED_THOUSANDS.sub(join, text)
