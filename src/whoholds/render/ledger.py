"""The claims ledger written for people and for programs: readable tables, CSV and JSON.

Every number is written as a fact-checker reads it: an integer as an integer (``1497650``; ``1,497,650`` in
tables), never ``1.49765e+06`` nor ``1497650.0``; a missing value is an empty cell (``null`` in JSON), never
``nan``; a date is ``YYYY-MM-DD``; a negated figure reads "not 100,000".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import TYPE_CHECKING, Any

from ..claims.ledger_checks import (
    DISAGREE_PP,
    DISAGREE_RATIO,
    FLAG_COLUMNS,
    JUMP_PP,
    JUMP_PP_PER_30D,
    JUMP_REL,
    JUMP_REL_PER_30D,
    SAME_DATE_DAYS,
    cell,
    date_text,
    document_label,
    format_value,
    series_kind,
)

if TYPE_CHECKING:
    import pandas as pd

#: Figures as exported (CSV/JSON): what a reader needs to find, compare and cite each figure.
FIGURE_EXPORT_COLUMNS = (
    "as_of", "speaker", "measure", "series", "indicator", "party", "value", "low", "high", "unit", "per",
    "qualifier", "negated", "period_start", "data_source", "verdict", "computed", "document", "quote", "note", "url",
)


#: Every kind of inconsistency flag (`whoholds.claims.ledger_checks.find_flags`) and what it means, with the
#: thresholds the checks use: shown beside the flags in the table, the JSON and the web page.
FLAG_KINDS: dict[str, str] = {
    "cumulative_fall": "a running total (since a date, in total, so far) of one speaker falls between two of its "
                       "bulletins within the same period: a cumulative count cannot go down",
    "implausible_jump": f"one speaker's consecutive figures for one measure move too fast: shares by at least "
                        f"{JUMP_PP:g} pp and {JUMP_PP_PER_30D:g} pp per 30 days, other figures by at least "
                        f"{JUMP_REL:.0%} and {JUMP_REL_PER_30D:.0%} per 30 days",
    "sources_disagree": f"two speakers give the same measure for the same party within {SAME_DATE_DAYS} days, far "
                        f"apart: shares by more than {DISAGREE_PP:g} pp, other figures by a ratio above "
                        f"{DISAGREE_RATIO:g} (claims vs claims)",
    "returnees_exceed_capacity": f"one speaker's running total of returnees is above the reception capacity it "
                                 f"gave within {SAME_DATE_DAYS} days: people received cannot outnumber the places "
                                 f"prepared for them in its own account",
}


def plain(v: Any) -> Any:
    """A cell for CSV/JSON: None for a missing value, an int for a whole number, a date as ``YYYY-MM-DD``."""
    if v is None:
        return None
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return None
        return int(v) if v.is_integer() else v
    if hasattr(v, "item") and not isinstance(v, str | bytes):  # NumPy scalars
        return plain(v.item())
    if isinstance(v, dt.datetime) or type(v).__name__ == "Timestamp":
        if str(v) == "NaT":
            return None
        return v.date().isoformat() if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if str(v) in ("NaT", "nan", "<NA>"):
        return None
    return v


def _csv_cell(v: Any) -> str:
    v = plain(v)
    if v is None:
        return ""
    if isinstance(v, float):  # positional notation, never an exponent
        return f"{v:.10f}".rstrip("0").rstrip(".")
    return str(v)


def figure_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Ledger rows as plain records with `FIGURE_EXPORT_COLUMNS` (``measure`` = what is counted, ``series`` =
    running total / daily / level, ``document`` = the bulletin it was read from)."""
    out = []
    for _, r in df.iterrows():
        rec = {
            "as_of": date_text(plain(r.get("as_of")), r.get("as_of_precision")) or None,
            "speaker": r.get("source_org"), "measure": r.get("indicator_key"),
            "series": series_kind(r.get("cumulative"), r.get("period_start"), r.get("as_of"), r.get("per")),
            "document": document_label(r) or None,
        }
        for col in FIGURE_EXPORT_COLUMNS:
            if col not in rec:
                rec[col] = r.get(col)
        rec["negated"] = bool(plain(rec["negated"]) or False)
        out.append({c: plain(rec[c]) for c in FIGURE_EXPORT_COLUMNS})
    return out


def flag_records(fl: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Flags as plain records: `FLAG_COLUMNS` (``message`` = this flag's reason, naming speaker, party, both
    documents, dates and values) and ``explanation`` (what the flag's kind means, `FLAG_KINDS`)."""
    if fl is None or fl.empty:
        return []
    return [{**{c: plain(r.get(c)) for c in FLAG_COLUMNS}, "explanation": FLAG_KINDS.get(str(r.get("flag")), "")}
            for _, r in fl.iterrows()]


def ledger_document(df: pd.DataFrame, fl: pd.DataFrame | None, limit: int | None = None) -> dict[str, Any]:
    """The ledger as one JSON document, the same for `whoholds ledger --format json` and ``/api/ledger``:
    ``total`` figures, the first ``limit`` of them in ``figures`` (`figure_records`), ``flags``
    (`flag_records`) and ``flag_kinds`` (every kind of flag with its explanation, flagged or not)."""
    figures = figure_records(df if limit is None else df.head(limit))
    return {"total": len(df), "shown": len(figures), "figures": figures, "flags": flag_records(fl),
            "flag_kinds": dict(FLAG_KINDS)}


def to_csv(records: list[dict[str, Any]], columns: tuple[str, ...] | list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for rec in records:
        w.writerow([_csv_cell(rec.get(c)) for c in columns])
    return buf.getvalue()


def figure_value_text(value: Any, unit: Any, negated: Any, low: Any = None, high: Any = None,
                      per: Any = None) -> str:
    """The value cell of a table: "1,497,650", "96.5%", "not 100,000", "300–400 a day" (a range by its ends)."""
    unit = cell(unit) or None
    lo, hi = plain(low), plain(high)
    if lo is not None and hi is not None and lo != hi:
        text = f"{format_value(lo)}–{format_value(hi, unit)}"
    else:
        text = format_value(value, unit)
    if cell(per):
        text += f" a {cell(per)}"
    return f"not {text}" if plain(negated) is True else text


def figure_table_rows(df: pd.DataFrame) -> list[list[str]]:
    """Table rows, one speaker's series together: speaker, measure, series, as of, value, qualifier, party,
    as written, verdict."""
    recs = figure_records(df)
    recs.sort(key=lambda r: (str(r["speaker"] or ""), str(r["measure"] or ""), str(r["series"]),
                             str(r["as_of"] or "")))
    rows = []
    for r in recs:
        rows.append([cell(r["speaker"]), cell(r["measure"]), r["series"], cell(r["as_of"]),
                     figure_value_text(r["value"], r["unit"], r["negated"], r["low"], r["high"], r["per"]),
                     cell(r["qualifier"]),
                     cell(r["party"]), cell(r["indicator"]), cell(r["verdict"])])
    return rows


def restored_rows(table: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """The restored-facilities table (`whoholds.claims.ledger_checks.restored_table`) as header and rows of
    text: thousands separators, empty cells where a bulletin gives no figure."""
    header = [str(c) for c in table.columns]
    rows = []
    for _, r in table.iterrows():
        rows.append([cell(plain(r[c])) if c in ("speaker", "as_of", "kind", "document") else
                     ("" if plain(r[c]) is None else format_value(r[c])) for c in table.columns])
    return header, rows
