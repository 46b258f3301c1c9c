"""`/api/ledger` and `whoholds ledger --format json`: one documented JSON shape, the same from both, readable values
(numbers as numbers, ISO dates, no nan), and every kind of flag the checks can raise explained."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
from conftest import data_path
from typer.testing import CliRunner

from whoholds.cli import app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from whoholds.api import create_app

FIGURE_KEYS = {"speaker", "measure", "series", "party", "value", "low", "high", "unit", "per", "as_of", "negated",
               "qualifier", "document", "url", "data_source", "verdict"}
FLAG_KEYS = {"flag", "message", "explanation", "party", "source", "date1", "value1", "document1", "date2", "value2",
             "document2"}
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")  # a year, a month or a day: the precision the source gave


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    claims = data_path("claims", "syria_control_share_claims.csv")
    path = tmp_path_factory.mktemp("ledger") / "store"
    res = CliRunner().invoke(app, ["ledger", "add-csv", str(claims), "--store", str(path)])
    assert res.exit_code == 0, res.output
    return path


@pytest.fixture(scope="module")
def api_doc(store_path) -> dict:
    resp = TestClient(create_app(store_path)).get("/api/ledger")
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_api_ledger_has_the_documented_shape(api_doc):
    assert set(api_doc) == {"total", "shown", "figures", "flags", "flag_kinds"}
    assert api_doc["total"] == api_doc["shown"] == len(api_doc["figures"]) > 50
    for fig in api_doc["figures"]:
        assert set(fig) >= FIGURE_KEYS
        assert isinstance(fig["value"], int | float) and not isinstance(fig["value"], bool)
        assert fig["as_of"] is None or ISO.match(fig["as_of"]), fig["as_of"]
        assert isinstance(fig["negated"], bool)
    assert api_doc["flags"], "the published estimates disagree: the ledger must flag them"
    for fl in api_doc["flags"]:
        assert set(fl) >= FLAG_KEYS
        assert fl["message"] and fl["explanation"] == api_doc["flag_kinds"][fl["flag"]]
        assert ISO.match(fl["date1"]) and ISO.match(fl["date2"])
    text = json.dumps(api_doc)
    assert "NaN" not in text and "NaT" not in text and "e+0" not in text


def test_every_kind_of_flag_the_checks_raise_is_explained(api_doc):
    """The kinds are read from the checks' source, independently of the table of explanations."""
    import whoholds.claims.ledger_checks as checks

    source = Path(checks.__file__).read_text()
    raised = set(re.findall(r'flag\(\s*"([a-z_]+)"', source))
    assert raised >= {"cumulative_fall", "implausible_jump", "sources_disagree", "returnees_exceed_capacity"}
    assert set(api_doc["flag_kinds"]) == raised
    assert all(len(why) > 40 for why in api_doc["flag_kinds"].values())


def test_cli_json_is_the_same_document(api_doc, store_path):
    res = CliRunner().invoke(app, ["ledger", "--store", str(store_path), "-f", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == api_doc


def test_table_explains_the_kinds_it_shows(store_path):
    res = CliRunner().invoke(app, ["ledger", "flags", "--store", str(store_path)], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "sources_disagree: two speakers give the same measure" in res.output
