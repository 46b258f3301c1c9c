"""`whoholds check`, `read` and `ledger` from the command line (no network; no map data needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA
from typer.testing import CliRunner

from whoholds.cli import app

SHARED = DATA
ARTICLE = SHARED / "articles" / "2018-12-12-southfront-syria-96-5-percent.txt"
CSV = SHARED / "claims" / "syria_control_share_claims.csv"
runner = CliRunner()


def run(*args: str):  # noqa: ANN201
    return runner.invoke(app, list(args))


def test_check_without_store_says_why(tmp_path: Path) -> None:
    out = tmp_path / "cr.jsonld"
    r = run("check", "over 96.5% of the country has been retaken by pro-government forces", "--country", "syria",
            "--date", "2018-12-11", "--speaker", "Mikhail Mizintsev", "--store", str(tmp_path / "none"),
            "--format", "json", "--claimreview", str(out))
    assert r.exit_code == 0, r.output
    data = json.loads(r.output[: r.output.rindex("}") + 1])
    assert data["label"] == "cannot be checked"
    assert data["claim"]["subject"] == "pro_government" and data["claim"]["comparator"] == "floor"
    assert "no store" in data["reason"]
    assert json.loads(out.read_text())["reviewRating"]["ratingValue"] == -1


def test_check_text_without_claim_is_one_line_error(tmp_path: Path) -> None:
    r = run("check", "10 ports of entry are now active", "--country", "syria", "--store", str(tmp_path))
    assert r.exit_code == 2
    assert "no checkable claim" in r.output and "10 ports of entry" in r.output


def test_check_unknown_country(tmp_path: Path) -> None:
    r = run("check", "Rebels hold 20% of Sudan", "--country", "sudan", "--store", str(tmp_path))
    assert r.exit_code == 2 and "no such profile" in r.output


def test_read_non_html_file(tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.5 \x00\x01")
    r = run("read", str(pdf), "--country", "syria", "--store", str(tmp_path / "st"))
    assert r.exit_code == 2 and "looks like a PDF" in r.output


@pytest.mark.skipif(not (ARTICLE.exists() and CSV.exists()), reason="shared data not present")
def test_read_records_ledger_and_add_csv(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    r = run("read", str(ARTICLE), "--store", store, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert len(data["figures"]) == 15 and data["ledger_new"] == 15
    checked = [f for f in data["figures"] if f["verdict"]]
    assert {f["verdict"]["label"] for f in checked} == {"cannot be checked"}
    r = run("read", str(ARTICLE), "--store", store)
    assert r.exit_code == 0 and "0 new figure(s)" in r.output
    r = run("ledger", "add-csv", str(CSV), "--store", store)
    assert r.exit_code == 0 and "66 new figure(s)" in r.output
    r = run("ledger", "--store", store, "--source", "Mizintsev", "--format", "json")
    assert r.exit_code == 0
    listed = json.loads(r.output)
    assert len(listed["figures"]) == 14
    r = run("ledger", "--store", store, "--indicator", "share")
    assert r.exit_code == 0 and "claims vs claims" in r.output
    r = run("ledger", "list", "--store", store, "--indicator", "returned")
    assert r.exit_code == 0 and "290,278" in r.output


def test_ledger_missing_store_and_bad_csv(tmp_path: Path) -> None:
    r = run("ledger", "--store", str(tmp_path / "nope"))
    assert r.exit_code == 2 and "no store here" in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n", encoding="utf-8")
    r = run("ledger", "add-csv", str(bad), "--store", str(tmp_path / "st"))
    assert r.exit_code == 2 and "not a claims CSV" in r.output
