"""The ledger: DuckDB tables in the store's catalog, CSV import, inconsistency flags on constructed series."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from conftest import DATA

from whoholds.claims.article import extract_figures, load_article
from whoholds.claims.ledger import Ledger, open_ledger
from whoholds.errors import InputError
from whoholds.profiles import load_profile
from whoholds.store import Store

SHARED = DATA
CSV = SHARED / "claims" / "syria_control_share_claims.csv"
ARTICLE = SHARED / "articles" / "2018-12-12-southfront-syria-96-5-percent.txt"


@pytest.fixture
def ledger(any_store) -> Ledger:
    """The ledger in a store of each kind (embedded, PostgreSQL): the same API, the same answers."""
    return Ledger(any_store)


def rec(source: str, indicator: str, day: str, value: float, *, unit: str = "count", party: str | None = None,
        cumulative: bool = False, since: str | None = None) -> dict:
    return {"source_id": "t", "indicator": indicator, "indicator_key": indicator.replace(" ", "_"),
            "party": party, "party_key": party, "source_org": source, "value": value, "unit": unit,
            "as_of": dt.date.fromisoformat(day), "as_of_precision": "day", "cumulative": cumulative,
            "period_start": dt.date.fromisoformat(since) if since else None}


def test_tables_are_idempotent(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    Ledger(store)
    Ledger(store)
    tables = {r[0] for r in duckdb.connect(str(tmp_path / "store" / "catalog.duckdb")).execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"ledger_figures", "ledger_sources"} <= tables


def test_cumulative_figure_that_falls_is_flagged(ledger: Ledger) -> None:
    ledger.add_records([
        rec("MoD", "returnees", "2018-10-01", 250_000, cumulative=True, since="2018-01-01"),
        rec("MoD", "returnees", "2018-11-01", 270_000, cumulative=True, since="2018-01-01"),
        rec("MoD", "returnees", "2018-12-01", 260_000, cumulative=True, since="2018-01-01"),
        # a new year restarts the count: no flag
        rec("MoD", "returnees", "2019-01-15", 5_000, cumulative=True, since="2019-01-01"),
    ])
    flags = ledger.flags()
    falls = flags[flags["flag"] == "cumulative_fall"]
    assert len(falls) == 1
    assert (falls.iloc[0]["value1"], falls.iloc[0]["value2"]) == (270_000, 260_000)
    assert flags[flags["flag"] == "implausible_jump"].empty


def test_implausible_jumps(ledger: Ledger) -> None:
    ledger.add_records([
        rec("A", "buildings restored", "2018-01-01", 1000), rec("A", "buildings restored", "2018-01-21", 2000),
        rec("A", "buildings restored", "2018-12-01", 2900),  # +45% in 10 months: plausible
        rec("B", "share", "2018-01-01", 50, unit="percent", party="gov"),
        rec("B", "share", "2018-02-01", 62, unit="percent", party="gov"),  # +12 pp in a month: flagged
        rec("B", "share", "2019-02-01", 70, unit="percent", party="gov"),  # +8 pp in a year: fine
    ])
    jumps = ledger.flags().query("flag == 'implausible_jump'")
    assert sorted(jumps["source"]) == ["A", "B"]
    assert set(jumps["value2"]) == {2000, 62}


def test_sources_far_apart_are_flagged_claims_vs_claims(ledger: Ledger) -> None:
    ledger.add_records([
        rec("Russian MoD", "territory share", "2018-08-22", 96.5, unit="percent", party="gov"),
        rec("Jusoor", "territory share", "2018-08-31", 59.8, unit="percent", party="gov"),
        rec("Wiki", "territory share", "2018-08-05", 60.7, unit="percent", party="gov"),
        rec("Jusoor", "territory share", "2019-08-31", 62.2, unit="percent", party="gov"),  # far in time
    ])
    dis = ledger.flags().query("flag == 'sources_disagree'")
    assert len(dis) == 2
    assert all("claims vs claims" in m and "Russian MoD" in m for m in dis["message"])


def test_filters(ledger: Ledger) -> None:
    ledger.add_records([rec("MoD", "returnees", "2018-10-01", 1), rec("SOHR", "share", "2018-10-01", 2)])
    assert len(ledger.list(indicator="return")) == 1
    assert len(ledger.list(source="sohr")) == 1
    assert len(ledger.list()) == 2


@pytest.mark.skipif(not CSV.exists(), reason="shared data not present")
def test_add_csv_shared_claims_and_flags(tmp_path: Path) -> None:
    led = open_ledger(tmp_path / "store")
    assert (tmp_path / "store" / "catalog.duckdb").exists()
    n = led.add_csv(CSV)
    assert n == 66  # 61 rows, 5 of which carry both a share and an area
    assert led.add_csv(CSV) == 0  # idempotent
    df = led.list(indicator="share of territory", party="gov")
    months = df[df["as_of_precision"] == "month"]
    assert dt.date(2018, 1, 1) in set(months["as_of"].dt.date)
    flags = led.flags()
    dis = flags[flags["flag"] == "sources_disagree"]
    assert any("Russian MoD" in m and "96.5%" in m and "Jusoor" in m for m in dis["message"])


@pytest.mark.skipif(not (CSV.exists() and ARTICLE.exists()), reason="shared data not present")
def test_article_figures_sit_beside_published_estimates(tmp_path: Path) -> None:
    led = open_ledger(tmp_path / "store")
    led.add_csv(CSV)
    art = load_article(ARTICLE)
    syria = load_profile("syria")
    figs = extract_figures(art, syria)
    sid = led.add_source("article", art.outlet, url=art.url, title=art.title, published=art.date)
    assert led.add_figures(figs, source_id=sid, url=art.url, profile=syria) == len(figs)
    assert led.add_figures(figs, source_id=sid, url=art.url, profile=syria) == 0
    mine = led.list(source="Mizintsev")
    assert len(mine) == 14
    returnees = led.list(indicator="Syrians returned")
    assert returnees.iloc[0]["cumulative"] and returnees.iloc[0]["value"] == 290278
    dis = led.flags().query("flag == 'sources_disagree'")
    assert any("Mikhail Mizintsev over 96.5%" in m and "Jusoor" in m for m in dis["message"])  # its qualifier


def test_bad_csv(tmp_path: Path, ledger: Ledger) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a claims CSV"):
        ledger.add_csv(bad)
    bad.write_text("as_of,source_org,party,share_pct\n2018-13,X,gov,5\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        ledger.add_csv(bad)
    bad.write_text("as_of,source_org,party,share_pct\n2018-12,X,gov,lots\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a number"):
        ledger.add_csv(bad)
    with pytest.raises(InputError, match="no such file"):
        ledger.add_csv(tmp_path / "nope.csv")


# ---- bulletins, readable numbers, negations (issue 9) ---------------------------------------------------------
def _bulletin(led: Ledger, text: str, day: dt.date, name: str) -> None:
    syria = load_profile("syria")
    figs = extract_figures(text, syria, date=day, outlet="Bulletin Desk")
    sid = led.add_source("article", "Bulletin Desk", title=name, published=day)
    led.add_figures(figs, source_id=sid, profile=syria)


def test_bulletin_consistency_per_speaker(ledger: Ledger) -> None:
    _bulletin(ledger, "Over the past day, 820 refugees returned, the Russian reconciliation centre said. A total "
                      "of 301,500 refugees have returned since the start of the year, the centre said. Conditions "
                      "have been created to receive 280,000 people. Since the start of 2018, 4,700 houses and 270 "
                      "hospitals have been restored, it said.", dt.date(2018, 12, 14), "b1")
    _bulletin(ledger, "A total of 299,800 refugees have returned since the start of the year, the Russian "
                      "reconciliation centre said. Since the start of 2018, 4,650 residential buildings and 275 "
                      "medical facilities have been restored, it said.", dt.date(2018, 12, 21), "b2")
    df = ledger.list()
    keys = set(df["indicator_key"])
    assert {"returnees", "reception_capacity", "restored:residential buildings", "restored:medical"} <= keys
    flags = ledger.flags()
    by_kind = {k: g for k, g in flags.groupby("flag")}
    falls = by_kind["cumulative_fall"]
    # returnees 301,500 → 299,800 and houses 4,700 → 4,650 fall; hospitals 270 → 275 rise (no flag)
    assert sorted(falls["value2"]) == [4650, 299_800]
    assert all(m.startswith("Russian reconciliation centre (party: none named)") for m in falls["message"])
    cap = by_kind["returnees_exceed_capacity"]
    assert sorted(cap["value2"]) == [299_800, 301_500] and "280,000" in cap.iloc[0]["message"]
    assert all(p for p in flags["party"])  # the party (or "none named") in every flag
    for message in flags["message"]:
        assert "nan" not in message and "e+0" not in message


def test_negated_statement_is_stored_as_negation_and_not_compared(ledger: Ledger) -> None:
    _bulletin(ledger, "Pro-government forces do not control 96.5% of Syria, the Syrian Observatory for Human "
                      "Rights said.", dt.date(2018, 12, 14), "n1")
    ledger.add_records([rec("Jusoor", "share of territory", "2018-12-10", 60, unit="percent", party="gov")])
    row = ledger.list(source="Observatory").iloc[0]
    assert bool(row["negated"]) and row["value"] == 96.5
    assert ledger.flags().query("flag == 'sources_disagree'").empty


def test_readable_numbers() -> None:
    from whoholds.claims.ledger_checks import cell, format_value

    assert format_value(1_497_650.0, "count") == "1,497,650"
    assert format_value(1497652.5) == "1,497,652.5"
    assert format_value(96.5, "percent") == "96.5%"
    assert format_value(0.4, "percentage points") == "0.4 pp"
    assert format_value(float("nan")) == "—" and format_value(None) == "—"
    assert cell(float("nan")) == "" and cell(None) == ""


def test_a_fall_must_be_certain_under_the_qualifiers(ledger: Ledger) -> None:
    def cum(day: str, value: float, qualifier: str | None = None, surface: str | None = None) -> dict:
        r = rec("HQ", "returnees", day, value, cumulative=True, since="2018-01-01")
        return {**r, "qualifier": qualifier, "surface": surface, "quote": f"{day} {value}"}

    ledger.add_records([
        cum("2018-11-01", 288_100),
        cum("2018-11-15", 285_900, "over", "285,900"),  # over 285,900 may be 290,000: no flag
        cum("2018-12-01", 290_000, "about", "290,000"),  # ±5,000
        cum("2018-12-15", 286_000),  # inside 285,000..295,000: no flag
        cum("2019-01-02", 284_000),  # below 286,000 (exact): flagged
        cum("2019-01-20", 283_990, "approximately", "283,990"),  # ±5: 283,995 < 284,000: flagged
    ])
    falls = ledger.flags().query("flag == 'cumulative_fall'")
    assert sorted(zip(falls["value1"], falls["value2"], strict=True)) == [(284_000, 283_990), (286_000, 284_000)]
    assert any("approximately 283,990 (2019-01-20" in m for m in falls["message"])


def test_a_floor_does_not_disagree_with_a_higher_figure(ledger: Ledger) -> None:
    base = {"cumulative": True, "since": "2018-01-01"}
    ledger.add_records([
        {**rec("UNHCR", "returnees", "2018-12-12", 37_500, **base), "qualifier": "at least", "surface": "37,500"},
        rec("RCR", "returnees", "2018-12-05", 288_100, **base),
        {**rec("SOHR", "returnees", "2018-12-10", 150_000, **base), "qualifier": "up to", "surface": "150,000"},
    ])
    dis = ledger.flags().query("flag == 'sources_disagree'")
    # at least 37,500 fits 288,100; up to 150,000 is below 288,100 / 1.5 = 192,067: disagrees; at least 37,500
    # and up to 150,000 overlap
    assert sorted(dis["source"]) == ["RCR vs SOHR"]


def test_daily_flows_of_different_days_are_not_claims_about_one_quantity(ledger: Ledger) -> None:
    def daily(source: str, day: str, value: float) -> dict:
        return {**rec(source, "returnees", day, value), "period_start": dt.date.fromisoformat(day),
                "quote": f"{source} {day}"}

    ledger.add_records([daily("RCR", "2018-12-05", 3_410), daily("UNHCR", "2018-12-06", 400),
                        daily("SANA", "2018-12-05", 900)])
    dis = ledger.flags().query("flag == 'sources_disagree'")
    # only the two figures of the same day are compared: 3,410 vs 900 (ratio 3.79)
    assert list(zip(dis["value1"], dis["value2"], strict=True)) == [(3_410, 900)] or \
        list(zip(dis["value1"], dis["value2"], strict=True)) == [(900, 3_410)]


def test_each_figure_meets_the_other_sources_nearest_once(ledger: Ledger) -> None:
    base = {"cumulative": True, "since": "2018-01-01"}
    ledger.add_records([rec("RCR", "returnees", f"2018-12-{d:02d}", v, **base)
                        for d, v in ((1, 280_000), (15, 288_000), (29, 295_000))]
                       + [rec("UNHCR", "returnees", "2018-12-14", 37_500, **base)])
    dis = ledger.flags().query("flag == 'sources_disagree'")
    assert list(zip(dis["value1"], dis["value2"], strict=True)) == [(37_500, 288_000)]  # 1 day apart, not 13/15
