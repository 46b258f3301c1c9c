"""The JSON and CSV shapes documented in docs/outputs.md are the ones the commands write: the same keys in the same
order, one document per command, ISO dates, numbers as numbers, no NaN — on small real stores."""

from __future__ import annotations

import csv
import io
import json
import lzma
import math
import re
from pathlib import Path

import pytest
from conftest import data_path
from typer.testing import CliRunner

from whoholds.cli import app

DOC = Path(__file__).resolve().parents[1] / "docs" / "outputs.md"
DAYS = ("2024-11-01", "2024-12-01")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def documented() -> dict[str, list[str] | str]:
    """``command -> keys`` from the doc's tables (a reference "the keys of `X`" kept as the name X)."""
    out: dict[str, list[str] | str] = {}
    for line in DOC.read_text().splitlines():
        m = re.match(r"^\| `whoholds ([^`]+)`[^|]*\| (.+) \|$", line)
        if not m:
            continue
        command, keys = m.groups()
        ref = re.match(r"the keys of `([^`]+)`(, then (.+))?$", keys)
        if ref:
            base = ref.group(1)
            out[command] = [base] + ([k.strip() for k in ref.group(3).split(",")] if ref.group(3) else [])
            continue
        out[command] = [k.strip() for k in re.sub(r"\s*\(.*\)$", "", keys).split(" — ")[0].split(",")]
    return out


def keys_of(command: str, docs: dict) -> list[str]:
    keys = docs[command]
    if keys and keys[0] in docs and keys[0] != command:  # "the keys of `shares`, then population, ..."
        return keys_of(keys[0], docs) + keys[1:]
    return list(keys)


def run(*args: str) -> str:
    res = CliRunner().invoke(app, list(args), terminal_width=200)
    assert res.exit_code == 0, res.output
    return res.stdout


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("outputs")
    with lzma.open(data_path("ukraine", "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz")) as fh:
        doc = json.load(fh)
    doc["features"] = [f for f in doc["features"] if f["properties"]["date"] in DAYS]
    src = folder / "deepstate_occupied_daily_two_days.geojson"
    src.write_text(json.dumps(doc))
    ukraine, syria = str(folder / "ukraine"), str(folder / "syria")
    run("ingest", str(src), "-p", "ukraine", "--store", ukraine)
    run("ingest", str(data_path("syria", "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md")), "-p", "syria",
        "--date", "2017-07-20", "--store", syria)
    run("ledger", "add-csv", str(data_path("claims", "syria_control_share_claims.csv")), "--store", syria)
    return {"ukraine": ukraine, "syria": syria}


RECORD_COMMANDS = {
    "snapshots": ("ukraine", ["snapshots"]),
    "shares": ("ukraine", ["shares", "--date", DAYS[1], "--by", "state"]),
    "shares --population": ("syria", ["shares", "--by", "coalition", "--population"]),
    "shares --by region": ("ukraine", ["shares", "--date", DAYS[1], "--by", "region", "--region", "UA-14"]),
    "changes": ("ukraine", ["changes", *DAYS]),
    "changes --matrix": ("ukraine", ["changes", *DAYS, "--matrix"]),
    "changes --by region": ("ukraine", ["changes", *DAYS, "--by", "region", "--region", "UA-14"]),
    "timeline": ("ukraine", ["timeline"]),
    "timeline --by region": ("ukraine", ["timeline", "--by", "region", "--region", "UA-14"]),
    "settlements": ("ukraine", ["settlements", *DAYS]),
    "markers": ("syria", ["markers"]),
    "settlement-counts": ("syria", ["settlement-counts"]),
    "estimate": ("syria", ["estimate"]),
    "ledger flags": ("syria", ["ledger", "flags"]),
}


def test_the_doc_lists_every_command_tested_here():
    docs = documented()
    assert set(RECORD_COMMANDS) | {"ledger", "check", "read"} <= set(docs)


@pytest.mark.parametrize("command", sorted(RECORD_COMMANDS))
def test_records_have_the_documented_keys(stores, command):
    store, args = RECORD_COMMANDS[command]
    want = keys_of(command, documented())
    rows = json.loads(run(*args, "--store", stores[store], "-f", "json"))
    assert isinstance(rows, list) and rows, command
    for row in rows:
        assert list(row) == want, command
        for key, value in row.items():
            assert not (isinstance(value, float) and math.isnan(value)), (command, key)
            if key in ("date", "d1", "d2") and value is not None:
                assert ISO_DAY.match(value), (command, key, value)
            if key.endswith(("_km2", "_pct")) or key in ("km2", "pct", "population", "count"):
                assert value is None or isinstance(value, int | float), (command, key, value)
    if command != "ledger flags":  # its CSV leaves out the explanation (a sentence per kind, not per row)
        table = list(csv.reader(io.StringIO(run(*args, "--store", stores[store], "-f", "csv"))))
        assert table[0] == want and len(table) == len(rows) + 1, command


def test_objects_have_the_documented_keys(stores):
    docs = documented()
    ledger = json.loads(run("ledger", "--store", stores["syria"], "-f", "json"))
    assert list(ledger) == docs["ledger"]
    check = json.loads(run("check", "Russia occupies 18% of Ukraine", "--date", DAYS[1], "--store",
                           stores["ukraine"], "-f", "json"))
    assert list(check) == docs["check"]
    article = data_path("articles", "2018-12-12-southfront-syria-96-5-percent.txt")
    read = json.loads(run("read", str(article), "--store", stores["syria"], "-f", "json"))
    assert list(read) == docs["read"]
