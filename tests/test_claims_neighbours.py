"""The seed's Syria claim answered with claims vs claims, negations in the ledger, and signed jumps."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from conftest import data_path

from whoholds.claims.ledger import Ledger
from whoholds.claims.neighbours import csv_rows, ledger_neighbours
from whoholds.claims.parse import parse_claim
from whoholds.profiles import load_profile
from whoholds.store import Store

SYR = load_profile("syria")
SEED = "over 96.5% of the country has been retaken by pro-government forces"


def _government_estimates(path: Path) -> list[tuple[dt.date, str, float]]:
    """Government-share rows of the published-claims CSV, read here with the csv module only."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["party"].lower().startswith("government") and row["share_pct"] and len(row["as_of"]) == 10:
                out.append((dt.date.fromisoformat(row["as_of"]), row["source_org"], float(row["share_pct"])))
    return out


def test_nearest_independent_estimates_one_per_source() -> None:
    path = data_path("claims", "syria_control_share_claims.csv")
    claim = parse_claim(SEED, SYR, dt.date(2018, 12, 11), speaker="Col. Gen. Mikhail Mizintsev")
    near = ledger_neighbours(claim, csv_rows(path), SYR)
    rows = _government_estimates(path)
    nearest = min(rows, key=lambda r: abs((r[0] - claim.as_of).days))
    assert (near[0]["source"], near[0]["as_of"], near[0]["value"]) == (nearest[1], nearest[0].isoformat(),
                                                                        nearest[2])
    assert near[0]["claim_minus_estimate"] == pytest.approx(96.5 - nearest[2])
    assert len({n["source"] for n in near}) == len(near)


@pytest.fixture(scope="module")
def syria_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from whoholds.ingest import ingest
    from whoholds.store import Store

    folder = tmp_path_factory.mktemp("syria") / "store"
    st = Store(folder)
    ingest([data_path("syria", "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md")], SYR, st,
           dt.date(2017, 7, 20), workers=1)
    st.close()
    return folder


def test_seed_claim_has_something_to_publish(syria_store: Path) -> None:
    from typer.testing import CliRunner

    from whoholds.cli import app

    path = data_path("claims", "syria_control_share_claims.csv")
    day, source, value = min(_government_estimates(path), key=lambda r: abs((r[0] - dt.date(2018, 12, 11)).days))
    res = CliRunner().invoke(app, ["check", SEED, "--country", "syria", "--date", "2018-12-11", "--store",
                                   str(syria_store), "--ledger-csv", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    import json

    v = json.loads(res.stdout)
    assert v["label"] == "cannot be checked" and "2017-07-20" in v["reason"]
    assert v["computed"] is not None and "nearest snapshot (2017-07-20" in v["explanation"]  # the map figure
    first = v["neighbours"][0]
    assert (first["source"], first["as_of"], first["value"]) == (source, day.isoformat(), value)
    assert f"the claim is {96.5 - value:.1f} percentage points above it" in v["explanation"]
    assert "not a verdict" in v["explanation"]
    assert set(v["readings"]) == {"metric", "subject", "direction", "period", "denominator"}


def _rec(source: str, day: str, value: float, unit: str = "percent", note: str | None = None,
         party: str = "gov") -> dict:
    return {"source_id": "t", "indicator": "territory share", "indicator_key": "territory_share", "party": party,
            "party_key": party, "source_org": source, "value": value, "unit": unit,
            "as_of": dt.date.fromisoformat(day), "as_of_precision": "day", "cumulative": False, "note": note}


def test_a_stated_negation_is_never_flagged_as_asserted(tmp_path: Path) -> None:
    ledger = Ledger(Store(tmp_path / "store"))
    ledger.add_records([_rec("SouthFront", "2018-12-12", 96.5, note="negated; "),
                        _rec("Jusoor", "2018-12-31", 60.3)])
    assert ledger.flags().empty
    ledger.add_records([_rec("Russian MoD", "2018-12-11", 96.5)])
    assert list(ledger.flags()["flag"]) == ["sources_disagree"]


def test_a_collapse_told_in_two_units_is_not_implausible_and_signs_are_right(tmp_path: Path) -> None:
    ledger = Ledger(Store(tmp_path / "store"))
    # one monitor: ISIS from 72,300 km² (39.1 %) to 5,643 km² (3 %) in a year -- its share series agrees
    ledger.add_records([_rec("Monitor", "2017-05-31", 72_300, unit="km2", party="isis"),
                        _rec("Monitor", "2018-05-31", 5_643, unit="km2", party="isis"),
                        _rec("Monitor", "2017-05-31", 39.1, party="isis"),
                        _rec("Monitor", "2018-05-31", 3.0, party="isis")])
    assert ledger.flags().query("flag == 'implausible_jump'").empty
    # a fall from 100 to 8 in ten days, with nothing to confirm it: flagged as -92 %, not 1,150 %
    ledger.add_records([_rec("Other", "2019-01-01", 100, unit="km2", party="opp"),
                        _rec("Other", "2019-01-11", 8, unit="km2", party="opp")])
    (msg,) = ledger.flags().query("flag == 'implausible_jump'")["message"]
    assert "-92% in 10 days" in msg


def test_check_table_shows_the_five_readings_and_the_estimates(syria_store: Path) -> None:
    from typer.testing import CliRunner

    from whoholds.cli import app

    path = data_path("claims", "syria_control_share_claims.csv")
    res = CliRunner().invoke(app, ["check", SEED, "--country", "syria", "--date", "2018-12-11", "--store",
                                   str(syria_store), "--ledger-csv", str(path)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    for key in ("read: metric", "read: subject", "read: direction", "read: period", "read: denominator",
                "claims vs claims", "Jusoor for Studies"):
        assert key in res.stdout, key
