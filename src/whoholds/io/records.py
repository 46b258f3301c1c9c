"""CSV and JSON of plain records (dicts) without pandas: the same text as
:func:`whoholds.io.writers.write_frame` writes for ``pandas.DataFrame(records, columns=columns)``, so that a
command answered from the store's cache prints exactly what the full path prints.

The rules follow what a frame makes of such records: a column of datetimes (and missing values) is a datetime
column (CSV: the day only; JSON: the day when every time is midnight, else ISO date and time); a column of
numbers with a missing value or a float in it is a float column (integers become floats); missing values are
empty in CSV and null in JSON; floats are written in their shortest round-trip form.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import numbers
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .atomic import write_text_atomic

_encode_str = json.encoder.encode_basestring  # the C string encoder json.dumps uses with ensure_ascii=False

Cell = Callable[[Any], Any]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def column_kind(values: list[Any]) -> str:
    """``datetime``, ``float``, ``int``, ``bool`` or ``object``: the dtype a frame would give the column."""
    types = {type(v) for v in values}
    if types <= {str, type(None)} and str in types:
        return "object"  # the common case, decided without looking at every value again
    if types == {float}:
        return "float"
    present = [v for v in values if not _missing(v)]
    if not present:
        return "float" if values and all(isinstance(v, float) for v in values) else "object"
    if all(isinstance(v, bool) for v in present):
        return "bool" if len(present) == len(values) else "object"
    if all(isinstance(v, dt.datetime) and v.tzinfo is None for v in present):
        return "datetime"
    if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in present):
        integral = all(isinstance(v, numbers.Integral) for v in present)
        return "int" if integral and len(present) == len(values) else "float"
    return "object"


def _columns(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> dict[str, tuple[str, list[Any]]]:
    return {c: (column_kind(vals), vals) for c in columns for vals in [[r.get(c) for r in records]]}


def _csv_float(value: Any) -> str:
    return "" if value is None or value != value else repr(float(value))


def _csv_day(value: Any) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d")


def _csv_text(value: Any) -> str:
    return "" if _missing(value) else str(value)  # dates: ISO; datetimes among others: "YYYY-MM-DD HH:MM:SS"


def records_to_csv(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """CSV text (header, ``\n`` line ends, minimal quoting) of ``records``."""
    cells: list[list[str]] = []
    for kind, values in _columns(records, columns).values():
        if kind == "object" and all(type(v) is str or v is None for v in values):
            cells.append(["" if v is None else v for v in values])  # the common text column, no per-cell calls
            continue
        cell = {"float": _csv_float, "datetime": _csv_day}.get(kind, _csv_text)
        cells.append([cell(v) for v in values])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(columns))
    writer.writerows(zip(*cells, strict=True) if cells else [])
    return buf.getvalue()


def records_to_json(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """JSON text (a list of records, ISO dates, null for missing values, indent 1) of ``records``: the text
    ``json.dumps(json_records(...), ensure_ascii=False, indent=1)`` gives, assembled column by column from C-encoded
    scalars (``json.dumps`` with an indent runs Python's own encoder, cell by cell: most of a cached command's
    JSON output time)."""
    values = _json_columns(records, columns)
    encoded = [_encode_scalars(col) for col in values]
    if not records or not columns or any(col is None for col in encoded):  # nested values: the standard layout
        rows = [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)] if columns else \
            [{} for _ in records]
        return json.dumps(rows, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    keys = [f"  {_encode_str(c)}: " for c in columns]
    body = ",\n".join(" {\n" + ",\n".join(k + v for k, v in zip(keys, cells, strict=True)) + "\n }"
                      for cells in zip(*encoded, strict=True))
    return "[\n" + body + "\n]\n"


def _encode_scalars(values: list[Any]) -> list[str] | None:
    """JSON text of each scalar exactly as ``json.dumps`` writes it, or None when a value is not a scalar."""
    out = []
    for v in values:
        t = type(v)
        if t is str:
            out.append(_encode_str(v))
        elif t is float:
            if v != v or v in (math.inf, -math.inf):
                raise ValueError("Out of range float values are not JSON compliant")
            out.append(float.__repr__(v))
        elif v is None:
            out.append("null")
        elif t is bool:
            out.append("true" if v else "false")
        elif t is int:
            out.append(int.__repr__(v))
        else:
            return None
    return out


def json_records(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    """``records`` as JSON-ready values: what :func:`whoholds.io.writers.frame_records` makes of their frame."""
    if not columns:
        return [{} for _ in records]
    return [dict(zip(columns, row, strict=True)) for row in zip(*_json_columns(records, columns), strict=True)]


def _json_columns(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> list[list[Any]]:
    """The JSON-ready values of each column: a frame's dtype decides how a column's values are written."""
    out = []
    for kind, values in _columns(records, columns).values():
        convert: Cell
        if kind == "datetime":
            midnight = all(v.time() == dt.time(0) for v in values if v is not None)
            convert = (lambda v: v.date().isoformat()) if midnight else (lambda v: v.isoformat())
        elif kind == "float":
            convert = lambda v: None if math.isinf(float(v)) else float(v)  # noqa: E731
        else:
            convert = _json_value
        out.append([None if _missing(v) else convert(v) for v in values])
    return out


def _json_value(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isinf(value) else value
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime) and value.tzinfo is None and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_value(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return str(value)


def write_records(records: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, out: Path | None) -> None:
    """Write ``records`` as CSV or JSON to stdout, or atomically to ``out``."""
    text = records_to_csv(records, columns) if fmt == "csv" else records_to_json(records, columns)
    if out is None or str(out) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_text_atomic(out, text)
