"""What a bulletin figure counts (claims/ledger_measures.py): people and places never share a measure. The
indicators are the reader's own for sentences we wrote in the style of 2018-2023 bulletins."""

from __future__ import annotations

import datetime as dt

import pytest

from whoholds.claims.article import extract_figures
from whoholds.claims.ledger_measures import bulletin_key
from whoholds.profiles import load_profile


@pytest.mark.parametrize(("indicator", "quote", "key"), [
    ("Reception centres set up in localities", None, "localities"),
    ("people in localities", None, "localities"),
    ("conditions created to receive people", None, "reception_capacity"),
    ("Refugee reception centres capable of accommodating people", None, "reception_capacity"),
    ("reception centres opened", None, "reception_centres"),
    ("ports of entry active", None, "entry_points_open"),
    ("refugees returned", None, "returnees"),
    ("internally displaced persons returned", None, "returnees_idp"),
    ("Ukrainian prisoners of war returned", None, "prisoners_returned"),
    ("Ukrainians freed", None, "prisoners_returned"),
    ("hospitals restored", None, "restored:medical"),
    ("bakeries rebuilt", None, "restored:bakeries"),
    # a list with one shared verb: the sentence restores and harms nothing
    ("as well as water supply facilities", "Since the start of the year, 56 bakeries and 1,170 schools have been "
     "rebuilt, as well as 212 water supply facilities, the ministry said.", "restored:water"),
    ("water supply facilities", "212 water supply facilities were destroyed and 56 bakeries rebuilt.", None),
    ("militants staying", None, None),
])
def test_bulletin_keys(indicator: str, quote: str | None, key: str | None) -> None:
    assert bulletin_key(indicator, quote) == key


def test_keys_of_a_read_bulletin() -> None:
    text = ("Refugee reception centres capable of accommodating 1,497,650 people are operating in 412 localities, "
            "the centre said. Since the start of the year, 56 bakeries, 1,170 schools and 37 hospitals have been "
            "rebuilt, as well as 212 water supply facilities and 87 power substations, the ministry said.")
    figs = extract_figures(text, load_profile("syria"), date=dt.date(2018, 12, 14))
    keys = {f.value: bulletin_key(f.indicator or f.counts, f.quote) for f in figs}
    assert keys == {1_497_650: "reception_capacity", 412: "localities", 56: "restored:bakeries",
                    1_170: "restored:schools", 37: "restored:medical", 212: "restored:water", 87: "restored:power"}
