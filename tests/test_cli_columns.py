"""Tables at 80 columns keep their labels and dates; --wide and piped output keep every column; every command
that prints a figure defines it once, in plain words, on stdout (jargon only with --verbose)."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import data_path
from typer.testing import CliRunner

from whoholds.cli import app

MONTHLY = ("deepstate_raw_2025-06-01_1748806839.geojson.gz", "deepstate_raw_2025-07-01_1751400934.geojson.gz",
           "deepstate_raw_2025-08-01_1754077960.geojson.gz")
DATE_RE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
JARGON = ("authalic", "GeographicLib", "ne10m-", "whoholds: 0.")


def run(*args: str, columns: str | None = "80"):
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": columns})
    return r


@pytest.fixture(scope="module")
def ukraine_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("monthly")
    for name in MONTHLY:
        shutil.copy(data_path("ukraine", "deepstate_raw_feed_monthly", name), folder / name)
    store = str(tmp_path_factory.mktemp("cols") / "store")
    r = run("ingest", str(folder), "--profile", "ukraine", "--store", store)
    assert r.exit_code == 0, r.output
    return store


@pytest.fixture(scope="module")
def syria_store(tmp_path_factory):
    module = data_path("syria", "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md")
    store = str(tmp_path_factory.mktemp("syria") / "store")
    r = run("ingest", str(module), "--profile", "syria", "--date", "2017-07-20", "--store", store)
    assert r.exit_code == 0, r.output
    return store


def _table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:1] in "┏┃┡│└"]


def _assert_fits(text: str, width: int = 80) -> None:
    too_wide = [line for line in _table_lines(text) if len(line) > width]
    assert not too_wide, f"{len(too_wide)} table lines wider than {width}: {too_wide[0]!r}"


def test_timeline_at_80_columns_keeps_dates_and_labels(ukraine_store):
    r = run("timeline", "--store", ukraine_store)  # the store knows its profile: no --profile
    assert r.exit_code == 0, r.output
    out = r.stdout
    _assert_fits(out)
    rows = [line for line in _table_lines(out) if line.startswith("│")]
    assert len(rows) == 3 * 5  # three snapshots, five states
    assert all(DATE_RE.search(line) for line in rows), "a row lost its date"
    assert "…" not in "".join(rows)
    for label in ("Occupied since 2014", "Unknown status (grey zone)", "Held by Ukraine", "Liberated"):
        assert any(label in line for line in rows), label
    assert "Not shown at 80 columns" in out and "--wide" in out


def test_wide_and_piped_output_are_complete(ukraine_store):
    wide = run("timeline", "--store", ukraine_store, "--wide")
    piped = run("timeline", "--store", ukraine_store, columns=None)  # not a terminal, no $COLUMNS: a file
    for r in (wide, piped):
        assert r.exit_code == 0, r.output
        for header in ("Date", "Name", "Area km²", "Share %", "Net km²", "Gains km²", "Losses km²", "Suspect"):
            assert header in r.stdout, header
        assert "Not shown" not in r.stdout


def test_snapshots_and_changes_at_80_columns(ukraine_store):
    r = run("snapshots", "--store", ukraine_store)
    assert r.exit_code == 0, r.output
    _assert_fits(r.stdout)
    for day in ("2025-06-01", "2025-07-01", "2025-08-01"):
        assert day in r.stdout
    r = run("changes", "2025-06-01", "2025-08-01", "--store", ukraine_store)
    assert r.exit_code == 0, r.output
    _assert_fits(r.stdout)
    assert "Unknown status (grey zone)" in r.stdout and "Net km²" in r.stdout


@pytest.mark.parametrize("args", [("shares",), ("shares", "--all", "--by", "state"), ("timeline",),
                                  ("changes", "2025-06-01", "2025-08-01")])
def test_figures_are_defined_once_in_plain_words(ukraine_store, args):
    r = run(*args, "--store", ukraine_store)
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.count("Denominator: Ukraine, 599,094.6 km²") == 1
    assert "Crimea is inside" in out and out.count("Method: ") == 1
    assert "“Held by Ukraine” is land inside the boundary that the map leaves uncovered." in out
    for word in JARGON:
        assert word not in out, word
    verbose = run(*args, "--store", ukraine_store, "--verbose", "--wide")
    assert verbose.exit_code == 0
    assert "authalic" in verbose.stdout or "authalic" in verbose.stderr


def test_machine_formats_keep_provenance_and_stdout_clean(ukraine_store):
    r = run("shares", "--store", ukraine_store, "-f", "csv")
    assert r.exit_code == 0
    header = r.stdout.splitlines()[0].split(",")
    assert {"snapshot_id", "source", "boundary", "method", "whoholds_version"} <= set(header)
    assert "Denominator" not in r.stdout and "Denominator" in r.stderr


def test_estimate_at_80_columns_keeps_group_names(syria_store):
    r = run("estimate", "--store", syria_store)
    assert r.exit_code == 0, r.output
    out = r.stdout
    _assert_fits(out)
    for name in ("Pro-government forces", "Islamic State", "Hayat Tahrir al-Sham"):
        assert any(name in line for line in _table_lines(out)), name
    assert "pro_government" not in out  # internal ids only with --verbose
    assert out.count("Denominator: Syria") == 1 and "Golan" in out
    assert "nearest" in out  # the marker method, in plain words
    assert "pro_government" in run("estimate", "--store", syria_store, "--verbose", "--wide").stdout


def test_settlement_counts_state_their_denominator(syria_store):
    r = run("settlement-counts", "--store", syria_store)
    assert r.exit_code == 0, r.output
    _assert_fits(r.stdout)
    assert "Denominator: the " in r.stdout and "settlements marked on the map of 2017-07-20" in r.stdout


def test_check_and_read_define_their_figures(ukraine_store, tmp_path):
    r = run("check", "Russia occupies about 18% of Ukraine", "--country", "ukraine", "--store", ukraine_store,
            "--date", "2025-08-01")
    assert r.exit_code == 0, r.output
    assert r.stdout.count("Denominator: Ukraine, 599,094.6 km²") == 1 and "Method: areas measured" in r.stdout
    article = tmp_path / "article.txt"
    article.write_text("Kyiv, 2 August 2025. Russian forces now occupy about 18% of Ukraine's territory, the "
                       "general staff said on Saturday.\n", encoding="utf-8")
    r = run("read", str(article), "--country", "ukraine", "--store", ukraine_store, "--no-record",
            "--date", "2025-08-02")
    assert r.exit_code == 0, r.output
    assert r.stdout.count("Denominator: Ukraine") == 1


def test_change_map_zoomed_to_the_changes(ukraine_store, tmp_path):
    png = tmp_path / "zoom.png"
    r = run("changes", "2025-06-01", "2025-08-01", "--store", ukraine_store, "--map", str(png), "--zoom-to",
            "changes")
    assert r.exit_code == 0, r.output
    assert png.read_bytes()[:4] == b"\x89PNG"
    r = run("changes", "2025-06-01", "2025-08-01", "--store", ukraine_store, "--zoom-to", "changes")
    assert r.exit_code == 2 and "--map" in r.output
    r = run("map", "--store", ukraine_store, "--date", "2025-08-01", "-o", str(tmp_path / "m.png"),
            "--bbox", "36,47,39")
    assert r.exit_code == 2 and "W,S,E,N" in r.output


def test_long_steps_end_with_a_one_line_summary(ukraine_store, monkeypatch):
    from whoholds.cli import options

    monkeypatch.setattr(options, "SUMMARY_AFTER_S", 0.0)  # every step counts as long
    r = run("shares", "--all", "--store", ukraine_store)
    assert r.exit_code == 0, r.output
    assert re.search(r"computing areas \(3 of 3\): done in \d+\.\d s", r.stderr)
    monkeypatch.setattr(options, "SUMMARY_AFTER_S", 3600.0)  # quick steps say nothing
    assert "done in" not in run("shares", "--all", "--store", ukraine_store).stderr


def test_settlements_define_their_source(ukraine_store, tmp_path):
    r = run("settlements", "2025-06-01", "2025-08-01", "--store", ukraine_store, "--min-population", "5000")
    assert r.exit_code == 0, r.output
    _assert_fits(r.stdout)
    defined = [line for line in r.stdout.splitlines() if line.startswith("Settlements: ")]
    assert len(defined) == 1 and "GeoNames" in defined[0]
    assert r.stdout.count("Denominator: Ukraine") == 1
    out = tmp_path / "s.csv"  # data in a file: stdout is free for the definitions
    r = run("settlements", "2025-06-01", "2025-08-01", "--store", ukraine_store, "-f", "csv", "-o", str(out))
    assert r.exit_code == 0 and out.exists() and "Settlements: " in r.stdout
