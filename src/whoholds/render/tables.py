"""Result frames as Rich tables (terminal) with numbers formatted for reading and provenance in a caption.

The same formatting rules are used for the HTML report (:func:`format_cell`, :func:`column_label`,
:func:`provenance_note`), so a figure reads the same everywhere.
"""

from __future__ import annotations

import numbers
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from rich.table import Table

from .cells import (  # noqa: F401 (re-exported: the report and the commands format cells through this module)
    Formatter,
    _float,
    _generic,
    column_label,
    default_format,
    format_cell,
    is_missing,
    is_numeric_column,
)

if TYPE_CHECKING:  # pandas is imported by whoever made the frame; records (lists of dicts) need none
    import pandas as pd

#: Columns that say where a figure comes from. Files keep them on every row; tables move them to a caption.
PROVENANCE_COLUMNS: tuple[str, ...] = (
    "snapshot_id",
    "snapshot_ids",
    "source",
    "sources",
    "boundary",
    "method",
    "whoholds_version",
)
_PROVENANCE_LABELS = {
    "boundary": "Boundary",
    "method": "Method",
    "source": "Source",
    "sources": "Sources",
    "snapshot_id": "Snapshot",
    "snapshot_ids": "Snapshots",
    "whoholds_version": "whoholds",
}
#: Label and date columns: a narrow table keeps them whole.
_KEY_COLUMNS = frozenset({"date", "name", "label", "as_of", "time", "from", "to", "d1", "d2", "change", "type",
                          "holder", "feature_type", "from \\ to (km²)", "group_name"})

#: Dates that say where a row's figures come from (a period's maps): a narrow table drops them before a figure.
_CONTEXT_DATES = frozenset({"from_date", "to_date"})

def _short(value: str, key: str) -> str:
    if key in ("source", "sources"):
        parts = [PurePath(p).name or p for p in str(value).split(";") if p]
        return "; ".join(parts)
    if key in ("snapshot_id", "snapshot_ids"):
        return "; ".join(p[:12] for p in str(value).split(";") if p)
    return str(value)


def provenance_items(df: pd.DataFrame, max_values: int = 3) -> list[tuple[str, str]]:
    """(label, text) pairs summarising the provenance columns of ``df`` (unique values, shortened)."""
    return _provenance({key: df[key].dropna().tolist() for key in PROVENANCE_COLUMNS if key in df.columns},
                       max_values)


def _provenance(columns: Mapping[str, Iterable[Any]], max_values: int) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for key in PROVENANCE_COLUMNS:
        if key not in columns:
            continue
        values = list(dict.fromkeys(str(v) for v in columns[key] if not is_missing(v) and str(v)))
        if not values:
            continue
        shown = [_short(v, key) for v in values[:max_values]]
        text = "; ".join(dict.fromkeys(shown))
        if len(values) > max_values:
            text += f"; … ({len(values)} in all)"
        items.append((_PROVENANCE_LABELS[key], text))
    return items


def provenance_note(df: pd.DataFrame, max_values: int = 3, sep: str = " · ") -> str:
    """One line such as ``Boundary: NE 10m UKR · Method: … · Sources: a.geojson``; empty if none."""
    return sep.join(f"{k}: {v}" for k, v in provenance_items(df, max_values))


#: Columns a reader's table (terminal without --verbose, HTML report) leaves to files and --verbose.
TECHNICAL_COLUMNS = ("method", "boundary", "whoholds_version", "overlap_km2")


def technical_columns(frame: pd.DataFrame) -> list[str]:
    """Technical provenance columns, and the internal ids and kinds of groups when the rows have display
    names: what a table for people leaves out (the files keep them)."""
    cols = [c for c in TECHNICAL_COLUMNS if c in frame.columns]
    if "name" in frame.columns:
        cols += [c for c in ("group", "kind") if c in frame.columns]
    return cols


def display_columns(df: pd.DataFrame, columns: Sequence[str] | None = None) -> list[str]:
    """The columns a table view shows: ``columns`` as given, else all but provenance and geometry."""
    if columns is not None:
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise KeyError(f"columns not in the frame: {', '.join(map(str, missing))}")
        return list(columns)
    return [
        c
        for c in df.columns
        if str(c) not in PROVENANCE_COLUMNS and str(df[c].dtype) != "geometry" and str(c) != "geometry"
    ]


def is_key_column(name: str) -> bool:
    """A label or a date: the columns a narrow table never drops or cuts."""
    n = name.lower()
    if n in _CONTEXT_DATES:
        return False
    return n in _KEY_COLUMNS or "date" in n or n.startswith(("d1", "d2"))


def _natural_widths(df: pd.DataFrame, cols: Sequence[str], rules: Mapping[str, Formatter]) -> dict[str, int]:
    widths = {}
    for c in cols:
        cells = [format_cell(v, rules[c]) for v in df[c]]
        widths[c] = max([len(column_label(c)), *(len(x) for x in cells)])
    return widths


def fit_columns(df: pd.DataFrame, cols: Sequence[str], width: int, rules: Mapping[str, Formatter],
                keep: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """The columns that fit in ``width`` characters, and those left out. Labels, dates and ``keep`` stay;
    the others are kept in their order while they fit (callers put the most important columns first)."""
    natural = _natural_widths(df, cols, rules)
    fixed = [c for c in cols if is_key_column(str(c)) or c in keep]
    if cols and not fixed:
        fixed = [cols[0]]

    def total(shown: Sequence[str]) -> int:  # Rich's default box: one border per column plus padding of 1
        return sum(natural[c] + 3 for c in shown) + 1

    if total(cols) <= width:
        return list(cols), []
    chosen = set(fixed)
    for c in cols:  # the most important first: each column that still fits is kept, the others left out
        if c not in chosen and total([*[x for x in cols if x in chosen], c]) <= width:
            chosen.add(c)
    return [c for c in cols if c in chosen], [c for c in cols if c not in chosen]


def frame_table(
    df: pd.DataFrame,
    title: str = "",
    columns: Sequence[str] | None = None,
    formats: Mapping[str, Formatter] | None = None,
    *,
    width: int | None = None,
    keep: Sequence[str] = (),
) -> Table:
    """A Rich table of ``df``: numbers right-aligned with thousands separators, km² with one decimal,
    percentages with two; provenance columns (boundary, method, sources, snapshot ids, version) are left out
    of the grid and summarised once in the caption.

    With ``width`` the table fits that many characters: secondary columns are dropped from the right (and
    named in the caption), never a label or a date (see :func:`fit_columns`), and text wraps at word breaks.
    """
    formats = dict(formats or {})
    cols = display_columns(df, columns)
    note = provenance_note(df, sep="\n")
    if width is not None:
        fit_rules = {c: formats.get(str(c), default_format(c, df[c])) for c in cols}
        cols, dropped = fit_columns(df, cols, width, fit_rules, keep)
        if dropped:
            left_out = f"Not shown at {width} columns: {', '.join(column_label(c) for c in dropped)} (--wide shows all)"
            note = f"{note}\n{left_out}" if note else left_out
    table = Table(
        title=title or None,
        caption=note or None,
        caption_justify="left",
        caption_style="dim",
        header_style="bold",
        title_style="bold",
        show_lines=False,
        pad_edge=True,
    )
    rules: dict[str, Formatter] = {}
    for c in cols:
        numeric = is_numeric_column(df[c])
        rules[c] = formats.get(str(c), default_format(c, df[c]))
        key = is_key_column(str(c))
        table.add_column(column_label(c), justify="right" if numeric else "left", no_wrap=numeric or key,
                         min_width=min(_natural_widths(df, [c], rules)[c], 24) if key and width else None)
    for row in df[cols].itertuples(index=False, name=None):
        table.add_row(*(format_cell(v, rules[c]) for c, v in zip(cols, row, strict=True)))
    if not len(df):
        table.caption = ((note + "\n") if note else "") + "(no rows)"
    return table


def terminal_width() -> int | None:
    """The width tables must fit: ``$COLUMNS`` when set, the terminal's when stdout is one; None when output
    is piped (then tables are written whole, so nothing is lost in a file)."""
    import os
    import shutil
    import sys

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if getattr(sys.stdout, "isatty", lambda: False)():
        return shutil.get_terminal_size().columns
    return None


def print_frame(df: pd.DataFrame, title: str = "", *, wide: bool = False, keep: Sequence[str] = (),
                columns: Sequence[str] | None = None, file: Any = None) -> None:
    """Print ``df`` as a table on stdout: fitted to the terminal (or ``$COLUMNS``), or whole with ``wide`` or
    when stdout is not a terminal."""
    width = None if wide else terminal_width()
    table = frame_table(df, title, columns, width=width, keep=keep)
    print_table(table, width, file if file is not None else sys.stdout)


def print_table(table: Table, width: int | None, out: Any = None) -> None:
    """Print a table at ``width`` (None: whole, as wide as it needs), its title above it and its provenance
    caption under it at the full width."""
    from rich.console import Console

    out = out if out is not None else sys.stdout
    # the provenance caption is printed under the table at the full width, not wrapped to the table's
    caption, table.caption = table.caption, None
    title, table.title = table.title, None
    piped = width is None
    if width is None:
        measure = Console(width=100_000, file=out).measure(table).maximum
        width = max(measure, 40)
    console = Console(file=out, width=width, highlight=False)
    # piped or written whole: the title and the provenance lines are not folded to the table's width either (a
    # file name or a sentence cut over three lines reads badly and breaks grep)
    text = Console(file=out, width=100_000, highlight=False) if piped else console
    if title:
        text.print(str(title), style="bold", markup=False)
    console.print(table)
    if caption:
        text.print(str(caption), style="dim", markup=False)


def records_table(records: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str = "") -> Table:
    """The table :func:`frame_table` draws, from plain records (dicts) instead of a DataFrame: the same column
    labels, number formats and provenance caption, without importing pandas (fast command start-up)."""
    shown = [c for c in columns if c not in PROVENANCE_COLUMNS and c != "geometry"]
    note = "\n".join(f"{k}: {v}" for k, v in
                     _provenance({k: [r.get(k) for r in records] for k in columns if k in PROVENANCE_COLUMNS}, 3))
    table = Table(title=title or None, caption=note or None, caption_justify="left", caption_style="dim",
                  header_style="bold", title_style="bold", show_lines=False, pad_edge=True)
    rules: dict[str, Formatter] = {}
    for c in shown:
        values = [r.get(c) for r in records if not is_missing(r.get(c))]
        numeric = bool(values) and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values)
        rule = default_format(c)
        if rule is _generic and numeric:
            rule = "{:,}" if all(isinstance(v, numbers.Integral) for v in values) else _float
        rules[c] = rule
        table.add_column(column_label(c), justify="right" if numeric else "left", no_wrap=numeric)
    for r in records:
        table.add_row(*(format_cell(r.get(c), rules[c]) for c in shown))
    if not records:
        table.caption = ((note + "\n") if note else "") + "(no rows)"
    return table


def write_table(df: pd.DataFrame, title: str = "", out: Path | str | None = None, *, wide: bool = False) -> None:
    """Draw ``df`` as a table: on stdout (fitted to the terminal, or whole when piped or with ``wide``), or as
    plain text into ``out`` at the width the whole table needs (a file never cuts a column)."""
    if out is None or str(out) == "-":
        print_frame(df, title, wide=wide)
        return
    import io as _io

    from ..io.writers import write_text_atomic

    buf = _io.StringIO()
    print_frame(df, title, wide=True, file=buf)
    write_text_atomic(Path(out), buf.getvalue())


def write_result(df: pd.DataFrame, fmt: str, out: Path | str | None, title: str = "", *,
                 wide: bool = False) -> None:
    """Write a result frame in any output format: ``table`` drawn here, ``csv|json|parquet`` by
    :func:`whoholds.io.writers.write_frame`."""
    if str(fmt).lower() == "table":
        write_table(df, title, out, wide=wide)
        return
    from ..io.writers import write_frame

    write_frame(df, fmt, out, title=title)
