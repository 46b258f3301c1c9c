"""Small helpers shared by the claim checks: metric-frame sums, provenance, formats (pandas imported lazily)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from .. import __version__
from ..profiles import Profile
from ..types import Figure, Provenance
from .metric_source import SnapshotRef

if TYPE_CHECKING:
    import pandas as pd

CONTESTED_KINDS = ("contested", "mixed")


class Variant(NamedTuple):
    """The computed figure under one alternative definition."""

    name: str
    value: float
    figure: Figure | None
    note: str


def group_mask(df: pd.DataFrame, group: str | None) -> pd.Series:
    """Rows of ``group`` in a metric frame (an empty frame may come without a ``group`` column)."""
    import pandas as pd

    return df["group"].astype(str) == group if len(df) else pd.Series(dtype=bool)


def total(df: pd.DataFrame, mask: pd.Series, col: str) -> float:
    import pandas as pd

    return float(pd.to_numeric(df.loc[mask, col], errors="coerce").fillna(0).sum()) if len(df) else 0.0


def records(frame: Any) -> list[dict[str, Any]]:
    """A metric frame as a list of row dicts (a DataFrame is converted; a list of dicts passes through)."""
    return frame.to_dict("records") if hasattr(frame, "to_dict") else list(frame)


def share_records(source: Any, date: Any, by: str, boundary: str | None = None) -> list[dict[str, Any]]:
    """Share rows of one date as dicts: from ``source.share_records`` when it has them (cached figures, no
    pandas), else from ``source.shares``."""
    quick = getattr(source, "share_records", None)
    got = quick(date, by, boundary) if quick is not None else None
    if got is not None:
        return got
    return records(source.shares(date, by) if boundary is None else source.shares(date, by, boundary=boundary))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # None or NaN


def rows_of(rows: list[dict[str, Any]], group: str | None) -> list[dict[str, Any]]:
    """The rows of ``group`` (as :func:`group_mask` selects them in a frame)."""
    return [r for r in rows if str(r.get("group")) == group]


def total_of(rows: list[dict[str, Any]], col: str) -> float:
    """Sum of ``col`` over rows, non-numbers counted as 0 (as :func:`total`)."""
    out = 0.0
    for r in rows:
        v = r.get(col)
        try:
            f = float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        out += 0.0 if f != f else f
    return out


def provenance(df: Any, refs: tuple[SnapshotRef, ...], method: str = "") -> Provenance:
    """Provenance of a figure from the rows behind it (a frame or a list of row dicts)."""
    rows = records(df) if len(df) else []

    def col(name: str, default: str) -> str:
        vals = list(dict.fromkeys(str(r[name]) for r in rows if name in r and not _missing(r[name])))
        return ";".join(vals) if vals else default

    return Provenance(
        snapshot_ids=tuple(r.id for r in refs), sources=tuple(dict.fromkeys(r.source for r in refs)),
        boundary=col("boundary", "profile default"), method=col("method", method or "whoholds"),
        version=col("whoholds_version", __version__),
    )


def contested_for(df: Any, members: set[str], profile: Profile, col: str) -> float:
    """Contested/mixed land one of whose parties is the claimant (a member of the claiming coalition).
    ``df``: a frame or a list of row dicts."""
    if not len(df):
        return 0.0
    out = 0.0
    for row in records(df):
        st = profile.state_by_id.get(str(row["group"]))
        kind = row.get("kind", st.kind if st is not None else "")
        if kind not in CONTESTED_KINDS:
            continue
        parties = set(st.parties) if st is not None else set()
        if parties & members:
            out += float(row[col])
    return out


#: How a value of each metric is written: (the figure, a difference from it); other metrics are counts.
_FORMATS = {
    "share": ("{:.1f}%", "{:.1f} percentage points"),
    "share_change": ("{:+.2f} pp", "{:.2f} percentage points"),
    "area": ("{:,.0f} km²", "{:,.0f} km²"),
    "area_change": ("{:,.0f} km²", "{:,.0f} km²"),
}
_COUNT_FORMATS = ("{:,.0f}", "{:,.0f}")


def fmt(value: float | None, metric: str) -> str:
    if value is None:
        return "n/a"
    if metric == "area_change" and abs(value) < 10 and value != 0:
        return f"{value:,.1f} km²"  # rates per day are small
    return _FORMATS.get(metric, _COUNT_FORMATS)[0].format(value)


def err_text(error: float, metric: str) -> str:
    if metric == "area_change" and abs(error) < 10:
        return f"{abs(error):,.1f} km²"
    return _FORMATS.get(metric, _COUNT_FORMATS)[1].format(abs(error))


def members_of(subject: str | None, profile: Profile) -> set[str]:
    if subject in profile.coalition_by_id and subject not in profile.actor_by_id:
        return set(profile.coalition_by_id[subject].members)
    return {subject} if subject else set()


def any_frame(obj: Any) -> bool:
    return obj is not None and hasattr(obj, "columns") and len(obj) > 0
