"""Sentences and short texts → reported figures and claims (own test texts in tests/texts/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from whoholds.claims.article import extract_figures, load_article
from whoholds.claims.parse import parse_claim, parse_claims, parse_figures, split_sentences
from whoholds.errors import QueryError
from whoholds.profiles import load_profile

TEXTS = Path(__file__).resolve().parent / "texts"
UKRAINE = load_profile("ukraine")
SYRIA = load_profile("syria")
DEC3 = dt.date(2024, 12, 3)

# Per text: (value, unit, qualifier, speaker, subject, direction, metric, period_start, as_of)
EXPECTED = {
    "isw_afp_november.txt": (UKRAINE, DEC3, [
        (574, "km2", None, "AFP", "russia", "gained", "area_change", dt.date(2024, 11, 1), dt.date(2024, 11, 30)),
        (610, "km2", None, "AFP", "russia", "gained", "area_change", dt.date(2024, 10, 1), dt.date(2024, 10, 31)),
        (18.8, "percent", "around", "AFP", "russia", "holds", "share", None, DEC3),
        (12, "km2", None, "ISW", "ukraine", "gained", "area_change", None, DEC3),
    ]),
    "ukraine_general_staff.txt": (UKRAINE, DEC3, [
        (3, "count", None, "Ukraine's General Staff", "ukraine", "gained", "settlement_change",
         dt.date(2024, 11, 27), DEC3),
        (1200, "km2", "more than", "Oleksandr Syrskyi", "russia", "lost", "area_change", None, DEC3),
        (18, "percent", "about", "Oleksandr Syrskyi", "russia", "holds", "share", None, DEC3),
    ]),
    "russian_mod_settlements.txt": (UKRAINE, DEC3, [
        (7, "count", None, "Russian Defence Ministry", "russia", "gained", "settlement_change",
         dt.date(2024, 11, 25), dt.date(2024, 12, 1)),
        (189, "count", None, "Andrei Belousov", "russia", "gained", "settlement_change", dt.date(2024, 1, 1), DEC3),
    ]),
    "syria_ranges_nearly.txt": (SYRIA, DEC3, [
        (62.5, "percent", "between", "Syrian Observatory for Human Rights", "gov", "holds", "share", None, DEC3),
        (27, "percent", "nearly", "Syrian Observatory for Human Rights", "sdf", "holds", "share", None, DEC3),
        (20, "percent", "about", "Syrian Observatory for Human Rights", "opp", "holds", "share", None, DEC3),
    ]),
    "percentage_points.txt": (UKRAINE, DEC3, [
        (0.4, "percentage points", None, "DeepState", "russia", "gained", "share_change", dt.date(2024, 11, 1),
         dt.date(2024, 11, 30)),
        (18.9, "percent", None, "DeepState", "russia", "holds", "share", dt.date(2024, 11, 1), dt.date(2024, 11, 30)),
        (81.1, "percent", None, "DeepState", "ukraine", "holds", "share", None, DEC3),
    ]),
    "dateline_boilerplate.txt": (UKRAINE, None, [
        (25, "count", None, "Kostiantyn Mashovets", "russia", "gained", "settlement_change", dt.date(2024, 11, 1),
         dt.date(2024, 11, 30)),
        (3, "count", None, "Kostiantyn Mashovets", "russia", "gained", "settlement_change", dt.date(2024, 11, 1),
         dt.date(2024, 11, 30)),
    ]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_own_texts(name: str) -> None:
    profile, date, expected = EXPECTED[name]
    art = load_article(TEXTS / name, date=date)
    figs = extract_figures(art, profile)
    got = [(f.value, f.unit, f.qualifier, f.speaker, f.subject, f.direction, f.metric, f.period_start, f.as_of)
           for f in figs]
    assert got == [tuple(pytest.approx(x) if isinstance(x, float) else x for x in e) for e in expected]


def test_own_texts_exist_and_are_enough() -> None:
    assert len(list(TEXTS.glob("*.txt"))) >= 5


def test_dateline_text_boilerplate_and_date() -> None:
    art = load_article(TEXTS / "dateline_boilerplate.txt")
    assert art.date == dt.date(2024, 12, 3)
    assert "Share this" not in art.text and "rights reserved" not in art.text


def test_range_claim_bounds() -> None:
    c = parse_claim("Government forces now hold between 60 and 65 percent of Syrian territory", SYRIA, DEC3)
    assert (c.comparator, c.low, c.high, c.subject) == ("range", 60, 65, "gov")


def test_check_sentence_with_aliases() -> None:
    c = parse_claim("over 96.5% of the country has been retaken by pro-government forces", SYRIA,
                    dt.date(2018, 12, 11), speaker="Mikhail Mizintsev")
    assert (c.metric, c.subject, c.subject_kind, c.comparator, c.value, c.as_of, c.denominator) == (
        "share", "pro_government", "coalition", "floor", 96.5, dt.date(2018, 12, 11), "the country")
    assert c.speaker == "Mikhail Mizintsev"
    assert "pro-government forces holds over 96.5%" in c.describe()


@pytest.mark.parametrize(("text", "subject"), [
    ("The occupiers control 18% of Ukraine", "russia"),
    ("Russia occupies nearly 20% of Ukraine's territory", "russia"),
    ("About 18 percent of Ukraine is occupied", "russia"),
    ("Ukrainian forces hold 81% of the country", "ukraine"),
])
def test_subjects_through_profile_aliases(text: str, subject: str) -> None:
    assert parse_claim(text, UKRAINE, DEC3).subject == subject


def test_no_checkable_claim_lists_reported_figures() -> None:
    with pytest.raises(QueryError) as exc:
        parse_claim("10 ports of entry are now active and 412 localities have reception centres", SYRIA, DEC3)
    msg = str(exc.value)
    assert "no checkable claim" in msg and "10 ports of entry" in msg and "412 localities" in msg
    with pytest.raises(QueryError, match="no figure"):
        parse_claim("The army made progress.", SYRIA, DEC3)


def test_unknown_actor_is_not_a_claim_but_is_reported() -> None:
    assert parse_claims("Hezbollah holds 5% of Syria", SYRIA, DEC3) == []
    c = parse_claim("Hezbollah holds 5% of Syria", SYRIA, DEC3, strict=False)
    assert c.subject is None and c.metric == "share"


def test_sentence_splitting_keeps_abbreviations_and_decimals() -> None:
    s = split_sentences("Col. Gen. Mizintsev said 96.5% was retaken. He added 1.5 million returned! "
                        "Then U.S. forces left.")
    assert [x for x, _ in s] == ["Col. Gen. Mizintsev said 96.5% was retaken.", "He added 1.5 million returned!",
                                 "Then U.S. forces left."]


def test_parse_figures_keeps_non_territorial_figures() -> None:
    figs = parse_figures("Over 290,278 Syrians have returned since the start of the year.", SYRIA,
                         dt.date(2018, 12, 11))
    assert len(figs) == 1
    f = figs[0]
    assert (f.value, f.qualifier, f.counts, f.cumulative, f.period_start, f.metric) == (
        290278, "over", "Syrians", True, dt.date(2018, 1, 1), None)
