"""render.tables: number formats, alignment, provenance caption."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from whoholds.render.tables import column_label, format_cell, frame_table, provenance_note


def _render(table) -> str:
    console = Console(width=200, record=True, file=None, force_terminal=False)
    with console.capture() as cap:
        console.print(table)
    return cap.get()


@pytest.fixture
def shares() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": [dt.date(2024, 12, 1)] * 3,
            "group": ["russia", "ukraine", "unassigned"],
            "area_km2": [111181.25, 490123.0, 0.04],
            "share_pct": [18.4234, 81.1, 0.0],
            "count": [1200, 3, 0],
            "snapshot_id": ["0123456789abcdef0123"] * 3,
            "source": ["/long/path/to/deepstatemap_data_20241201.geojson"] * 3,
            "boundary": ["Natural Earth 10m UKR"] * 3,
            "method": ["geodesic, clipped"] * 3,
            "whoholds_version": ["0.1.0"] * 3,
        }
    )


def test_numbers_formatted_and_right_aligned(shares):
    table = frame_table(shares, "Shares")
    headers = [c.header for c in table.columns]
    assert headers == ["Date", "Group", "Area km²", "Share %", "Count"]
    justify = {c.header: c.justify for c in table.columns}
    assert justify["Area km²"] == "right" and justify["Share %"] == "right" and justify["Count"] == "right"
    assert justify["Group"] == "left"
    text = _render(table)
    assert "111,181.2" in text  # km² one decimal, thousands separated
    assert "490,123.0" in text
    assert "18.42" in text and "81.10" in text  # % two decimals
    assert "1,200" in text


def test_provenance_in_caption_not_columns(shares):
    table = frame_table(shares, "Shares")
    text = " ".join(_render(table).split())
    assert "snapshot" not in " ".join(c.header.lower() for c in table.columns)
    assert "Boundary: Natural Earth 10m UKR" in text
    assert "Method: geodesic, clipped" in text
    assert "Source: deepstatemap_data_20241201.geojson" in text  # shortened to the file name
    assert "/long/path" not in text
    assert "0123456789ab" in text and "0123456789abcdef0123" not in text


def test_explicit_columns_and_formats(shares):
    table = frame_table(shares, columns=["group", "area_km2"], formats={"area_km2": "{:,.0f}"})
    text = _render(table)
    assert [c.header for c in table.columns] == ["Group", "Area km²"]
    assert "111,181" in text and "111,181.2" not in text
    with pytest.raises(KeyError):
        frame_table(shares, columns=["nope"])


def test_missing_values_and_empty_frame():
    df = pd.DataFrame({"group": ["a", "b"], "area_km2": [np.nan, 1.0]})
    assert "–" in _render(frame_table(df))
    empty = frame_table(df.iloc[0:0], "Nothing")
    assert "(no rows)" in _render(empty)


def test_many_sources_summarised():
    df = pd.DataFrame({"x": range(5), "source": [f"/d/f{i}.geojson" for i in range(5)]})
    note = provenance_note(df)
    assert "f0.geojson" in note and "(5 in all)" in note


def test_helpers():
    assert column_label("gains_km2") == "Gains km²"
    assert column_label("share_pct") == "Share %"
    assert column_label("snapshot_count") == "Snapshot count"
    assert format_cell(None, "{:,.1f}") == "–"
    assert format_cell(1234.56, "{:,.1f}") == "1,234.6"
    assert format_cell("text", "{:,.1f}") == "text"  # wrong type falls back to plain text


def test_print_frame_fits_the_width_and_keeps_labels_and_dates(monkeypatch):
    import io

    import pandas as pd

    from whoholds.render.tables import fit_columns, print_frame

    frame = pd.DataFrame({
        "date": ["2025-08-01", "2025-08-02"],
        "name": ["Unknown status (grey zone)", "Occupied since 2014"],
        "area_km2": [985.8, 43312.1], "share_pct": [0.16, 7.23], "net_km2": [12.5, 0.0],
        "gains_km2": [100.0, 0.0], "losses_km2": [87.5, 0.0], "comment": ["a long free-text remark " * 2] * 2,
    })
    for width in (50, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        out = io.StringIO()
        print_frame(frame, "T", file=out)
        text = out.getvalue()
        grid = [line for line in text.splitlines() if line[:1] in "┏┃┡│└"]
        assert grid and max(len(line) for line in grid) <= width
        assert "2025-08-01" in text and "Unknown status (grey zone)" in text and "Occupied since 2014" in text
        assert f"Not shown at {width} columns" in text
    shown, dropped = fit_columns(frame, list(frame.columns), 80, {c: "{}" for c in frame.columns})
    assert shown[:2] == ["date", "name"] and "comment" in dropped and set(shown) | set(dropped) == set(frame)
    monkeypatch.delenv("COLUMNS")
    out = io.StringIO()  # not a terminal and no $COLUMNS: the whole table
    print_frame(frame, "T", file=out)
    assert "Comment" in out.getvalue() and "Not shown" not in out.getvalue()
