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


def provenance(df: pd.DataFrame, refs: tuple[SnapshotRef, ...], method: str = "") -> Provenance:
    def col(name: str, default: str) -> str:
        if len(df) and name in df.columns:
            vals = [str(v) for v in df[name].dropna().unique()]
            if vals:
                return ";".join(vals)
        return default

    return Provenance(
        snapshot_ids=tuple(r.id for r in refs), sources=tuple(dict.fromkeys(r.source for r in refs)),
        boundary=col("boundary", "profile default"), method=col("method", method or "whoholds"),
        version=col("whoholds_version", __version__),
    )


def contested_for(df: pd.DataFrame, members: set[str], profile: Profile, col: str) -> float:
    """Contested/mixed land one of whose parties is the claimant (a member of the claiming coalition)."""
    if not len(df):
        return 0.0
    out = 0.0
    for _, row in df.iterrows():
        st = profile.state_by_id.get(str(row["group"]))
        kind = row["kind"] if "kind" in df.columns else (st.kind if st is not None else "")
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
