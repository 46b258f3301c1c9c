"""The ledger's output for people and programs: negations shown as negations, numbers without exponents or
``nan``, and the real 2018 article's bulletin figures sorted into distinct measures."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import DATA
from typer.testing import CliRunner

from whoholds.claims.ledger import open_ledger
from whoholds.cli import app
from whoholds.render.ledger import figure_records, plain, to_csv

ARTICLE = DATA / "articles" / "2018-12-12-southfront-syria-96-5-percent.txt"
runner = CliRunner()


def rec(source: str, key: str, day: str, value: float, **extra) -> dict:
    return {"source_id": "t", "indicator": key.replace("_", " "), "indicator_key": key, "source_org": source,
            "value": value, "unit": "count", "as_of": dt.date.fromisoformat(day), "as_of_precision": "day",
            **extra}


def test_negated_figure_is_shown_and_exported_as_a_negation(tmp_path: Path) -> None:
    where = tmp_path / "store"
    led = open_ledger(where)
    led.add_records([
        rec("UNHCR", "returnees", "2018-11-30", 100_000, negated=True, note="negated; "),
        rec("UNHCR", "returnees", "2018-12-12", 37_500, cumulative=True, period_start=dt.date(2018, 1, 1)),
        rec("Russian Centre for Reconciliation", "returnees", "2018-12-05", 288_100, cumulative=True,
            period_start=dt.date(2018, 1, 1)),
    ])
    r = runner.invoke(app, ["ledger", "--store", str(where)], env={"COLUMNS": "300"})
    assert r.exit_code == 0 and "not 100,000" in r.output
    data = json.loads(runner.invoke(app, ["ledger", "--store", str(where), "-f", "json"]).output)
    neg = [f for f in data["figures"] if f["value"] == 100_000]
    assert neg[0]["negated"] is True
    # the negation is compared with nothing: the only flag is 37,500 vs 288,100 (ratio 7.68 > 1.5)
    assert [(f["flag"], f["value1"], f["value2"]) for f in data["flags"]] == [
        ("sources_disagree", 288_100, 37_500)]
    assert "ratio 7.68" in data["flags"][0]["message"]


def test_plain_values_and_csv_cells() -> None:
    assert plain(1_497_650.0) == 1_497_650 and isinstance(plain(1_497_650.0), int)
    assert plain(float("nan")) is None and plain(None) is None
    assert plain(dt.datetime(2018, 12, 5)) == "2018-12-05"
    csv_text = to_csv([{"a": 1.5e16, "b": float("nan"), "c": 0.000125}], ["a", "b", "c"])
    assert csv_text == "a,b,c\n15000000000000000,,0.000125\n"


@pytest.mark.skipif(not ARTICLE.exists(), reason="shared data not present")
def test_real_article_bulletin_measures(tmp_path: Path) -> None:
    r = runner.invoke(app, ["read", str(ARTICLE), "--store", str(tmp_path / "s"), "-f", "json"])
    assert r.exit_code == 0, r.output
    led = open_ledger(tmp_path / "s", create=False)
    recs = figure_records(led.list(source="Mizintsev"))
    by_value = {r["value"]: r for r in recs}
    # the article's own words: centres "in 412 localities", "conditions ... to receive 1,497,650 people",
    # "10 ports of entry", "over 290,278 Syrians have returned ... since the start of the year"
    assert by_value[412]["measure"] == "localities"
    assert by_value[1_497_650]["measure"] == "reception_capacity"
    assert by_value[10]["measure"] == "entry_points_open"
    assert (by_value[290_278]["measure"], by_value[290_278]["series"]) == ("returnees", "cumulative since 2018-01-01")
    restored = {r["measure"]: r["value"] for r in recs if r["measure"].startswith("restored:")}
    assert restored == {"restored:residential buildings": 4_690, "restored:medical": 266,
                        "restored:education facilities": 1_464, "restored:power": 1_022,
                        "restored:industrial": 14_239, "restored:water": 284, "restored:schools": 206}
    table = led.facilities()
    assert len(table) == 1 and plain(table.iloc[0]["schools"]) == 206
    assert led.flags().empty  # one bulletin: nothing falls, 290,278 is below 1,497,650


def test_versions_in_every_store_kind(any_store) -> None:
    """A changed text at the same path is a new version (embedded and PostgreSQL stores alike)."""
    from whoholds.claims.ledger import Ledger

    led = Ledger(any_store)
    v1 = led.add_source("article", "RCR", title="Bulletin", path="b.txt", content="A total of 288,100 ...")
    led.add_records([rec("RCR", "returnees", "2018-12-05", 288_100, source_id=v1)])
    assert led.add_source("article", "RCR", title="Bulletin", path="b.txt", content="A total of 288,100 ...") == v1
    v2 = led.add_source("article", "RCR", title="Bulletin", path="b.txt", content="A total of 289,100 ...")
    led.add_records([rec("RCR", "returnees", "2018-12-05", 289_100, source_id=v2)])
    other = led.add_source("article", "UNHCR", title="Update", path="u.txt", content="37,500")
    led.add_records([rec("UNHCR", "returnees", "2018-12-12", 37_500, source_id=other)])
    assert v2 != v1 and led.replaced_versions(v2) == 1 and led.replaced_versions(other) == 0
    assert sorted(led.list()["value"]) == [37_500, 289_100]
    assert sorted(led.list(history=True)["value"]) == [37_500, 288_100, 289_100]
    assert led.list()["source_title"].tolist() == ["Bulletin", "Update"]


def test_value_cells() -> None:
    from whoholds.render.ledger import figure_value_text

    assert figure_value_text(350.0, "count", False, 300.0, 400.0, "day") == "300–400 a day"
    assert figure_value_text(100_000.0, "count", True) == "not 100,000"
    assert figure_value_text(96.5, "percent", None, float("nan"), float("nan")) == "96.5%"
    assert figure_value_text(float("nan"), "count", False) == "—"


CSV = DATA / "claims" / "syria_control_share_claims.csv"


@pytest.mark.skipif(not CSV.exists(), reason="shared data not present")
def test_month_estimates_keep_their_precision_and_cite_their_row(tmp_path: Path) -> None:
    led = open_ledger(tmp_path / "s")
    led.add_csv(CSV)
    recs = figure_records(led.list(source="SOHR"))
    assert "2018-05" in {r["as_of"] for r in recs}  # the CSV's "2018-05": the month, not 1 May
    msgs = led.flags()["message"]
    assert any("SOHR 60% (2018-05, https://www.syriahr.com/en/91286/)" in m for m in msgs)


def test_a_days_figure_beside_a_total_stays_a_days_figure(tmp_path: Path) -> None:
    from whoholds.claims.article import extract_figures
    from whoholds.profiles import load_profile

    text = ("Over the past 24 hours, 905 refugees returned from Lebanon, and in total 285,900 refugees have "
            "returned since the start of the year, the Russian Centre for Reconciliation said.")
    led = open_ledger(tmp_path / "s")
    sid = led.add_source("article", "x", content=text)
    led.add_figures(extract_figures(text, load_profile("syria"), date=dt.date(2018, 12, 19)), source_id=sid)
    series = {r["value"]: r["series"] for r in figure_records(led.list())}
    assert series == {905: "daily", 285_900: "cumulative since 2018-01-01"}
