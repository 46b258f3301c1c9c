"""How one cell and one column header read, everywhere a figure is shown (terminal tables, the HTML report):
km² with one decimal, % with two, integers with thousands separators, ids as written, dates ISO, a missing value
as a dash."""

from __future__ import annotations

import datetime as dt
import math
import numbers
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

_LABELS = {
    "km2": "km²",
    "area_km2": "Area km²",
    "share_pct": "Share %",
    "pct": "% of region",  # the regional tables' share (metrics.regions.REGION_COLUMNS): of the region's area
    "gains_km2": "Gains km²",
    "losses_km2": "Losses km²",
    "net_km2": "Net km²",
    "overlap_km2": "Overlap km²",
    "population": "Population",
    "group": "Group",
    "name": "Name",
    "kind": "Kind",
    "date": "Date",
    "from_date": "Map from",  # a period's row: the snapshots its change is measured between
    "to_date": "Map to",
}

Formatter = str | Callable[[Any], str]


def column_label(col: object) -> str:
    """Header text for a column: ``area_km2`` -> ``Area km²``, ``share_pct`` -> ``Share %``."""
    name = str(col)
    if name in _LABELS:
        return _LABELS[name]
    label = name
    for suffix, unit in (("_km2", " km²"), ("_pct", " %")):
        if label.endswith(suffix):
            label = label[: -len(suffix)] + unit
    label = label.replace("_", " ")
    return label[:1].upper() + label[1:]


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    pd = sys.modules.get("pandas")  # a pandas NA can only exist if pandas is loaded
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return True
    try:
        return bool(isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral) and math.isnan(value))
    except TypeError:
        return False


def _is_np_bool(value: Any) -> bool:
    np = sys.modules.get("numpy")
    return np is not None and isinstance(value, np.bool_)


def _dtype_kind(series: Any) -> str:
    """bool, int, float, datetime or object: of a pandas Series, or of a :class:`RecordColumn`."""
    kind = getattr(series, "whoholds_kind", None)
    if kind is not None:
        return kind
    import pandas as pd

    api = pd.api.types
    if api.is_bool_dtype(series):
        return "bool"
    if api.is_integer_dtype(series):
        return "int"
    if api.is_float_dtype(series):
        return "float"
    return "datetime" if api.is_datetime64_any_dtype(series) else "object"


def default_format(col: object, series: pd.Series | None = None) -> Formatter:
    """Format rule from the column name (km² one decimal, % two decimals) and dtype (integers with commas)."""
    name = str(col).lower()
    if name.endswith("_pct") or name in ("pct", "percent", "share"):
        return "{:,.2f}"
    if name.endswith("_km2") or name == "km2" or name.endswith("_km²"):
        return "{:,.1f}"
    if name in ("lat", "lon", "latitude", "longitude", "x", "y"):
        return "{:.4f}"
    if name.endswith("id") or name.endswith("_ids"):  # an identifier (geonameid 709354), not a quantity
        return _identifier
    if series is not None:
        kind = _dtype_kind(series)
        if kind == "bool":
            return lambda v: "yes" if bool(v) else "no"
        if kind == "int":
            return "{:,}"
        if kind == "float":
            return _float
    return _generic


def _float(value: Any) -> str:
    f = float(value)
    if f.is_integer() and abs(f) < 1e15:
        return f"{int(f):,}"
    return f"{f:,.2f}" if abs(f) >= 1 else f"{f:.4g}"


def _identifier(value: Any) -> str:
    """An id as written: digits without thousands separators, a float id (a column with gaps) as an integer."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _generic(value: Any) -> str:
    if isinstance(value, bool) or _is_np_bool(value):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return _float(value)
    if isinstance(value, dt.datetime):  # pandas' Timestamp too
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def format_cell(value: Any, fmt: Formatter) -> str:
    if is_missing(value):
        return "–"
    try:
        return fmt(value) if callable(fmt) else fmt.format(value)
    except (TypeError, ValueError):
        return _generic(value)


def is_numeric_column(series: pd.Series) -> bool:
    kind = getattr(series, "whoholds_kind", None)
    if kind is not None:
        return kind in ("int", "float")
    import pandas as pd

    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
