"""The tables and source notes of the period report, made from whatever the metrics return.

The metrics hand back DataFrames, Series or result objects that carry a frame; :func:`as_frame` takes any of
them, so the report does not depend on the exact result types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from ..profiles.model import Profile


def as_frame(value: Any) -> pd.DataFrame | None:
    """A DataFrame from a frame, a Series, an object with a ``frame``/``changes``/``table`` frame, or rows."""
    if value is None:
        return None
    if isinstance(value, pd.DataFrame):
        return value
    if isinstance(value, pd.Series):
        return value.to_frame()
    for attr in ("frame", "changes", "table"):
        inner = getattr(value, attr, None)
        if isinstance(inner, pd.DataFrame):
            return inner
    try:
        return pd.DataFrame(list(value))
    except (TypeError, ValueError):
        return None


def drop_geometry(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` without geometry columns (an HTML table cannot show them)."""
    cols = [c for c in df.columns if str(df[c].dtype) == "geometry" or c == "geometry"]
    return pd.DataFrame(df.drop(columns=cols)) if cols else df


def comparison_table(s1: pd.DataFrame, s2: pd.DataFrame, d1: dt.date, d2: dt.date) -> pd.DataFrame:
    """Per group: area and share at both dates and the change."""
    keys = ["group"]
    a = s1[keys + [c for c in ("name", "kind", "area_km2", "share_pct") if c in s1.columns]]
    b = s2[keys + [c for c in ("name", "kind", "area_km2", "share_pct") if c in s2.columns]]
    m = a.merge(b, on="group", how="outer", suffixes=("_1", "_2"))
    out = pd.DataFrame({"group": m["group"]})
    name = m.get("name_2", pd.Series(index=m.index, dtype=object))
    out["name"] = name.where(name.notna(), m.get("name_1"))
    zero = pd.Series(0.0, index=m.index)
    out["area_d1_km2"] = m.get("area_km2_1", zero).fillna(0.0)
    out["area_d2_km2"] = m.get("area_km2_2", zero).fillna(0.0)
    out["change_km2"] = out["area_d2_km2"] - out["area_d1_km2"]
    if "share_pct_1" in m.columns and "share_pct_2" in m.columns:
        out["share_d1_pct"] = m["share_pct_1"].fillna(0.0)
        out["share_d2_pct"] = m["share_pct_2"].fillna(0.0)
        out["change_pp"] = out["share_d2_pct"] - out["share_d1_pct"]
    out = out.sort_values("area_d2_km2", ascending=False, kind="stable").reset_index(drop=True)
    for col in ("boundary", "method", "source", "snapshot_id", "whoholds_version"):
        vals = pd.concat([s1.get(col, pd.Series(dtype=object)), s2.get(col, pd.Series(dtype=object))])
        vals = vals.dropna().astype(str).unique()
        if len(vals):
            out[col] = ";".join(vals)
    out.attrs.update(
        title=f"Area and share by group, {d1} and {d2}",
        labels={
            "area_d1_km2": f"Area {d1} km²",
            "area_d2_km2": f"Area {d2} km²",
            "change_km2": "Change km²",
            "share_d1_pct": f"Share {d1} %",
            "share_d2_pct": f"Share {d2} %",
            "change_pp": "Change (pp)",
        },
        formats={"change_km2": "{:+,.1f}", "change_pp": "{:+,.2f}"},
    )
    return out


def timeline_totals(frame: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """Per group: area at the start (before the first period) and the last date, and gross gains, losses and net
    summed over the periods."""
    df = frame.copy()
    df["date"] = pd.to_datetime(df["date"])
    df = df.sort_values("date")
    rows = []
    for g, d in df.groupby("group", sort=False):
        rows.append(
            {
                "group": g,
                "name": profile.display_name(str(g)),
                # the area before the first period's change (D1), so start + net = end in the table
                "area_start_km2": float(d["area_km2"].iloc[0]) - float(pd.Series(d["net_km2"]).fillna(0).iloc[0]),
                "area_end_km2": float(d["area_km2"].iloc[-1]),
                "gains_km2": float(d["gains_km2"].fillna(0).sum()),
                "losses_km2": float(d["losses_km2"].fillna(0).abs().sum()),
                "net_km2": float(d["net_km2"].fillna(0).sum()),
            }
        )
    out = pd.DataFrame(rows).sort_values("area_end_km2", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs.update(
        title="Timeline totals per group (gross gains and losses summed over the periods)",
        formats={"net_km2": "{:+,.1f}"},
    )
    return out


# ---- source notes -----------------------------------------------------------------------------------------
def snapshot_source(snapshot: Any) -> str:
    """The snapshot's source file name without its folder; a URL as it is."""
    s = str(getattr(snapshot, "source", "") or "")
    if "://" in s:
        return s
    return PurePath(s).name or s


def provenance_text(prov: Any) -> str:
    """``Boundary: … · Method: … · Sources: …`` from a Provenance (or any object with those attributes)."""
    if prov is None:
        return ""
    parts = []
    for label, attr in (("Boundary", "boundary"), ("Method", "method")):
        v = getattr(prov, attr, "")
        if v:
            parts.append(f"{label}: {v}")
    src = provenance_sources(prov)
    if src:
        parts.append(f"Sources: {src}")
    return " · ".join(parts)


def provenance_sources(prov: Any) -> str:
    """The first source file names of a Provenance, and how many there are in all."""
    sources = getattr(prov, "sources", None) if prov is not None else None
    if not sources:
        return ""
    return _first_names(PurePath(str(s)).name or str(s) for s in sources)


def frame_sources(frame: pd.DataFrame) -> str:
    """The first source file names in a frame's ``source`` (or ``sources``) column, and how many in all."""
    for col in ("source", "sources"):
        if col in frame.columns:
            return _first_names(PurePath(str(s)).name for s in frame[col].dropna())
    return ""


def _first_names(names: Iterable[str]) -> str:
    # a period can span hundreds of snapshots: name three, count the rest
    distinct = list(dict.fromkeys(names))
    return "; ".join(distinct[:3]) + (f"; … ({len(distinct)} in all)" if len(distinct) > 3 else "")


#: The columns a reader sees of a settlement change (files keep every column: ids, groups, coordinates).
SETTLEMENT_VIEW = ("name", "name_local", "region", "population", "from", "to", "direction")


def settlement_view(frame: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """Settlements that changed hands as people read them, the same in the terminal and the report: holders by
    their display names, and the direction as "taken" or "contested" (the "to" column says by whom)."""
    shown = frame.assign(**{
        "from": [profile.display_name(str(g)) for g in frame["from_group"]],
        "to": [profile.display_name(str(g)) for g in frame["to_group"]],
    })
    if "direction" in shown.columns:
        shown["direction"] = ["contested" if str(d) == "contested" else "taken" for d in shown["direction"]]
    return shown[[c for c in SETTLEMENT_VIEW if c in shown.columns]]
