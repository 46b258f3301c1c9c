"""What every figure from marker snapshots checks first and carries last: a marker snapshot, a known
grouping, and the snapshot's provenance columns. Shared by :mod:`whoholds.metrics.markers` (one snapshot)
and :mod:`whoholds.metrics.marker_changes` (two snapshots).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..errors import QueryError

if TYPE_CHECKING:
    from ..types import Snapshot

MARKER_GROUPINGS = ("actor", "coalition", "state")


def check_marker_grouping(by: str) -> None:
    if by not in MARKER_GROUPINGS:
        raise QueryError("--by", f"unknown grouping {by!r} (use actor, coalition or state)")


def require_markers(snapshot: Snapshot, what: str) -> pd.DataFrame:
    """The snapshot's features, or QueryError naming ``what`` needed markers (polygon maps have none)."""
    if snapshot.kind != "markers":
        raise QueryError(
            snapshot.source or snapshot.date,
            f"{what} needs a marker snapshot (e.g. a Wikipedia map module); this one is {snapshot.kind}",
        )
    return snapshot.features


def add_provenance(frame: pd.DataFrame, snapshot: Snapshot) -> None:
    """Append the ``date, snapshot_id, source`` columns of ``snapshot`` to ``frame`` (in place)."""
    frame["date"] = snapshot.date
    frame["snapshot_id"] = snapshot.id
    frame["source"] = snapshot.source
