"""Core value types shared by every stage of the pipeline (see docs/architecture.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import geopandas as gpd

SnapshotKind = Literal["polygons", "markers"]

#: Columns every Snapshot.features frame has. Marker snapshots add name, mark, marksize, feature_type.
FEATURE_COLUMNS = ("state", "label", "fill", "geometry")
MARKER_COLUMNS = ("state", "label", "fill", "name", "mark", "marksize", "feature_type", "geometry")


@dataclass
class Snapshot:
    """One dated control map after ingest: every feature carries a profile state.

    ``features`` is a GeoDataFrame in EPSG:4326 whose ``state`` column holds a state id of the profile
    (never None: unmapped features are counted in ``unmapped`` and left out). Polygon snapshots hold
    Polygon/MultiPolygon geometries, marker snapshots hold Points.
    """

    date: dt.date
    source: str
    profile: str
    kind: SnapshotKind
    features: gpd.GeoDataFrame
    content_hash: str
    repairs: dict[str, int] = field(default_factory=dict)
    unmapped: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    version: int = 1
    id: str = ""
    #: Exact time of the snapshot when the source gives one (e.g. the feed's unix timestamps), in UTC.
    timestamp: dt.datetime | None = None
    #: Features per state, kept when ``features`` was dropped after the snapshot's file was written (ingest
    #: workers send back only this, not the frame: less pickling, less memory in the main process).
    feature_counts: dict[str, int] | None = None

    def state_counts(self) -> dict[str, int]:
        """Number of features per state (from the frame, or from ``feature_counts`` once it was dropped)."""
        if self.features is None:
            return dict(self.feature_counts or {})
        return {str(k): int(v) for k, v in self.features["state"].value_counts().items()} if len(self.features) else {}

    def lighten(self) -> Snapshot:
        """Drop the features (already written to the store), keeping their counts per state."""
        if self.features is not None:
            self.feature_counts = self.state_counts()
            self.features = None  # type: ignore[assignment]
        return self


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from: enough to recompute it."""

    snapshot_ids: tuple[str, ...]
    sources: tuple[str, ...]
    boundary: str
    method: str
    version: str

    def as_dict(self) -> dict[str, str]:
        return {
            "snapshot_ids": ";".join(self.snapshot_ids),
            "sources": ";".join(self.sources),
            "boundary": self.boundary,
            "method": self.method,
            "whoholds_version": self.version,
        }


@dataclass(frozen=True)
class Figure:
    """A number the tool reports, with what it counts and where it comes from."""

    value: float
    unit: str
    definition: str
    provenance: Provenance
    date: dt.date | None = None
