"""`whoholds ledger`: reported figures over time, per speaker, with inconsistency flags and the restored
facilities table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..claims.ledger import Ledger, open_ledger
from ..errors import QueryError, StoreError
from .app import app, console, user_errors
from .options import StoreOpt

if TYPE_CHECKING:
    import pandas as pd

ledger_app = typer.Typer(help="Reported figures over time, by indicator and source, with inconsistency flags.",
                         no_args_is_help=False)
app.add_typer(ledger_app, name="ledger")

IndicatorOpt = Annotated[str | None, typer.Option("--indicator", "-i", help="Indicator contains this text.")]
SourceOpt = Annotated[str | None, typer.Option("--source", "-s", help="Source or speaker contains this text.")]
PartyOpt = Annotated[str | None, typer.Option("--party", help="Party (actor) contains this text.")]
LedgerFormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")]
FlagsOpt = Annotated[bool, typer.Option("--flags/--no-flags", help="Show inconsistency flags.")]
HistoryOpt = Annotated[bool, typer.Option("--history", help="Also figures of older versions of re-read "
                                                            "articles.")]


def _format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in ("table", "csv", "json"):
        raise QueryError("--format", f"unknown format {fmt!r} (use table, csv, json)")
    return fmt


def _ledger(store: str | None, create: bool = False) -> Ledger:
    try:
        return open_ledger(store, create=create)
    except StoreError as exc:
        if not exc.problem.startswith("no store here"):
            raise
        raise StoreError(exc.source, "no store here (add figures with `whoholds read` or `whoholds ledger "
                                     "add-csv`, or pass --store)") from None


def _print(text: str) -> None:
    console.print(text, end="", soft_wrap=True, highlight=False, markup=False)


def _show_ledger(led: Ledger, indicator: str | None, source: str | None, party: str | None, fmt: str,
                 flags: bool, history: bool = False) -> None:
    from ..render.ledger import FIGURE_EXPORT_COLUMNS, figure_records, figure_table_rows, ledger_document, to_csv

    fmt = _format(fmt)
    df = led.list(indicator=indicator, source=source, party=party, history=history)
    fl = led.flags(indicator=indicator, source=source, party=party) if flags else None
    if fmt == "json":
        console.print_json(json.dumps(ledger_document(df, fl)))
        return
    if fmt == "csv":  # one table per CSV: the flags are `whoholds ledger flags --format csv`
        _print(to_csv(figure_records(df), FIGURE_EXPORT_COLUMNS))
        return
    if df.empty:
        console.print("the ledger holds no figures" + (" matching the filters" if (indicator or source or party)
                                                       else "; add some with `whoholds read` or "
                                                            "`whoholds ledger add-csv`"))
        return
    t = Table(title=f"{len(df)} reported figure(s), by speaker", title_justify="left")
    rows = figure_table_rows(df)
    names = ("speaker", "measure", "series", "as of", "value", "qualifier", "party", "as written", "verdict")
    keep = [i for i, col in enumerate(names) if i < 5 or any(r[i] for r in rows)]  # no column of blanks
    for i in keep:
        # a number or a date is never broken over lines (a narrow terminal folds the words instead)
        t.add_column(names[i], overflow="fold", justify="right" if names[i] == "value" else "left",
                     no_wrap=names[i] in ("value", "as of"))
    for row in rows:
        t.add_row(*(escape(row[i]) for i in keep))
    console.print(t)
    if fl is not None:
        _print_flags(fl)


def _print_flags(fl: pd.DataFrame) -> None:
    """One paragraph per flag, grouped by speaker: the message names the speaker, the party, both documents
    with their dates and values, and it reads whole at any terminal width (a table column would fold it)."""
    if fl.empty:
        console.print("no inconsistencies flagged")
        return
    from ..render.ledger import FLAG_KINDS

    console.print(f"[bold]{len(fl)} flag(s), by speaker[/]")
    for r in fl.sort_values(["source", "flag", "date1"], kind="stable").itertuples():
        console.print(f"[yellow]{r.flag}[/] — {escape(r.message)}", soft_wrap=False, highlight=False)
    for kind in sorted(set(fl["flag"])):  # what each kind of flag means, once
        console.print(f"[dim]{kind}: {escape(FLAG_KINDS.get(kind, ''))}[/]", highlight=False)


def article_flag_records(fl: pd.DataFrame | None) -> list[dict]:
    """`read --format json`: the ledger flags that involve the article's figures."""
    from ..render.ledger import flag_records

    return flag_records(fl)


def print_article_flags(fl: pd.DataFrame | None) -> None:
    """`read`: what the article's figures contradict in the ledger (earlier bulletins of the same speaker,
    other sources), in the ledger's own words."""
    if fl is None or fl.empty:
        return
    console.print(f"[bold]{len(fl)} ledger flag(s) involve this article:[/]")
    for r in fl.sort_values(["source", "flag", "date1"], kind="stable").itertuples():
        console.print(f"[yellow]{r.flag}[/] — {escape(r.message)}", soft_wrap=False, highlight=False)


@ledger_app.callback(invoke_without_command=True)
@user_errors
def ledger_main(ctx: typer.Context, indicator: IndicatorOpt = None, source: SourceOpt = None,
                party: PartyOpt = None, store: StoreOpt = None, fmt: LedgerFormatOpt = "table",
                flags: FlagsOpt = True, history: HistoryOpt = False) -> None:
    """List reported figures (default) and flag inconsistencies; `facilities` tabulates restored facilities;
    `add-csv` imports published estimates."""
    if ctx.invoked_subcommand is None:
        _show_ledger(_ledger(store), indicator, source, party, fmt, flags, history)


@ledger_app.command("list")
@user_errors
def ledger_list(indicator: IndicatorOpt = None, source: SourceOpt = None, party: PartyOpt = None,
                store: StoreOpt = None, fmt: LedgerFormatOpt = "table", flags: FlagsOpt = True,
                history: HistoryOpt = False) -> None:
    """List reported figures over time, one speaker's series together, with inconsistency flags."""
    _show_ledger(_ledger(store), indicator, source, party, fmt, flags, history)


@ledger_app.command("flags")
@user_errors
def ledger_flags(indicator: IndicatorOpt = None, source: SourceOpt = None, party: PartyOpt = None,
                 store: StoreOpt = None, fmt: LedgerFormatOpt = "table") -> None:
    """Only the inconsistency flags: falling running totals, returnees above capacity, jumps, sources apart."""
    from ..claims.ledger_checks import FLAG_COLUMNS
    from ..render.ledger import flag_records, to_csv

    fmt = _format(fmt)
    fl = _ledger(store).flags(indicator=indicator, source=source, party=party)
    if fmt == "json":
        console.print_json(json.dumps(flag_records(fl)))
    elif fmt == "csv":
        _print(to_csv(flag_records(fl), FLAG_COLUMNS))
    else:
        _print_flags(fl)


@ledger_app.command("facilities")
@user_errors
def ledger_facilities(source: SourceOpt = None, store: StoreOpt = None, fmt: LedgerFormatOpt = "table") -> None:
    """Restored facilities by category (schools, medical, water, power, bakeries...) over time, per speaker."""
    from ..render.ledger import plain, restored_rows, to_csv

    fmt = _format(fmt)
    table = _ledger(store).facilities(source=source)
    if fmt == "json":
        console.print_json(json.dumps([{k: plain(v) for k, v in r.items()} for r in table.to_dict("records")]))
        return
    if fmt == "csv":
        _print(to_csv([{k: plain(v) for k, v in r.items()} for r in table.to_dict("records")],
                      [str(c) for c in table.columns]))
        return
    if table.empty:
        console.print("no restored-facility figures in the ledger" + (" matching the filter" if source else ""))
        return
    header, rows = restored_rows(table)
    for speaker in dict.fromkeys(r[0] for r in rows):
        mine = [r for r in rows if r[0] == speaker]
        cols = [i for i in range(1, len(header)) if i <= 3 or any(r[i] for r in mine)]  # its own categories
        t = Table(title=f"restored facilities by category — {speaker}", title_justify="left")
        for i in cols:
            t.add_column(header[i], overflow="fold", justify="left" if i <= 3 else "right", no_wrap=i == 1 or i > 3)
        for r in mine:
            t.add_row(*(escape(r[i]) for i in cols))
        console.print(t)


@ledger_app.command("add-csv")
@user_errors
def ledger_add_csv(file: Annotated[Path, typer.Argument(help="CSV: as_of, source_org, source_type, party, "
                                                              "share_pct, area_km2, note, url.")],
                   store: StoreOpt = None) -> None:
    """Import published estimates (official and independent) so they sit side by side."""
    led = _ledger(store, create=True)
    n = led.add_csv(file)
    console.print(f"{n} new figure(s) from {file} ({led.count()} in the ledger)")
