"""The snapshot listing: what is stored, with its states, areas, repairs and unmapped labels."""

from __future__ import annotations

import json

import pandas as pd

from ..profiles import Profile, load_profile
from ..store import Store


def _summary(counts_json: str, limit: int = 4) -> str:
    counts = json.loads(counts_json or "{}")
    items = sorted(counts.items(), key=lambda kv: -kv[1])
    text = ", ".join(f"{k} {v}" for k, v in items[:limit])
    return text + (f", +{len(items) - limit} more" if len(items) > limit else "")


def snapshot_listing(store: Store, profile: Profile | None = None) -> pd.DataFrame:
    """One row per stored snapshot version, oldest first."""
    rows = store.catalog(profile.id if profile else None)
    if rows.empty:
        return pd.DataFrame(columns=["date", "time", "version", "profile", "kind", "source", "features", "states",
                                     "drawn_km2", "repairs", "unmapped", "id"])
    areas = store.drawn_area_rows()
    defaults: dict[str, str] = {}
    for pid in rows["profile"].unique():
        try:
            p = profile if profile and profile.id == pid else load_profile(pid)
            defaults[pid] = p.default_holder or "unassigned"
        except Exception:  # a user profile no longer at hand: list without its default holder
            defaults[pid] = "unassigned"
    drawn = {}
    if len(areas):
        sid_profile = dict(zip(rows["id"], rows["profile"], strict=True))
        areas = areas[areas["snapshot_id"].isin(sid_profile)]
        keep = [st not in (defaults.get(sid_profile[s], ""), "unassigned", "uninhabited")
                for s, st in zip(areas["snapshot_id"], areas["state"], strict=True)]
        drawn = areas[keep].groupby("snapshot_id")["area_km2"].sum().to_dict()
    return pd.DataFrame({
        "date": rows["date"].dt.date,
        "time": rows["timestamp"].map(lambda t: "" if pd.isna(t) else pd.Timestamp(t).strftime("%H:%M")),
        "version": rows["version"],
        "profile": rows["profile"],
        "kind": rows["kind"],
        "source": rows["source"],
        "features": rows["n_features"],
        "states": rows["states"].map(_summary),
        "drawn_km2": rows["id"].map(lambda s: drawn.get(s)),
        "repairs": rows["repairs"].map(lambda j: _summary(json.dumps({k: v for k, v in json.loads(j).items() if v}))),
        "unmapped": rows["unmapped"].map(_summary),
        "id": rows["id"],
    })
