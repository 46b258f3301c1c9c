"""The store's cache of change pieces (table ``change_pieces``): the boundary-free overlay of pairs of snapshots.

Ingest fills it for every consecutive pair; figures for any boundary are then computed from it
(:func:`whoholds.geometry.pieces.areas_inside`) without touching the snapshot files. A pair whose snapshots do
not differ is stored as one row of kind ``none`` so that "computed, nothing changed" is not "not computed".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from ..geometry.pieces import ChangePieces

NONE = "none"


def save_pieces(store: Any, pieces: dict[tuple[str, str], ChangePieces], method: str) -> None:
    """Store the pieces of these pairs (replacing any stored for them) in one transaction."""
    if not pieces:
        return
    import pandas as pd

    cols: dict[str, list] = {k: [] for k in ("from_id", "to_id", "kind", "from_state", "to_state")}
    wkb: list[bytes | None] = []
    for (a, b), p in pieces.items():
        rows = list(zip(p.kinds, p.from_states, p.to_states, strict=True)) or [(NONE, "", "")]
        for kind, src, dst in rows:
            for key, value in zip(cols, (a, b, kind, src, dst), strict=True):
                cols[key].append(value)
        wkb.extend(shapely.to_wkb(np.array(p.geoms, dtype=object)).tolist() if len(p) else [None])
    frame = pd.DataFrame({**cols, "method": method, "geometry": pd.Series(wkb, dtype=object)})
    store.replace_pieces(frame, method)


def load_pieces(store: Any, pairs: list[tuple[str, str]], method: str) -> dict[tuple[str, str], ChangePieces]:
    """The stored pieces of those of ``pairs`` that are in the cache."""
    if not pairs or not hasattr(store, "piece_rows"):
        return {}
    rows = store.piece_rows([a for a, _ in pairs], method)
    wanted = set(pairs)
    rows = [r for r in rows if (r[0], r[1]) in wanted]
    out: dict[tuple[str, str], ChangePieces] = {}
    if not rows:
        return out
    col = {name: [r[i] for r in rows] for i, name in enumerate(("from_id", "to_id", "kind", "from_state",
                                                                "to_state"))}
    geoms = shapely.from_wkb(np.array([r[5] for r in rows], dtype=object))
    for a, b, kind, src, dst, geom in zip(col["from_id"], col["to_id"], col["kind"], col["from_state"],
                                          col["to_state"], geoms, strict=True):
        p = out.setdefault((a, b), ChangePieces())
        if kind != NONE:
            p.kinds.append(kind)
            p.from_states.append(src)
            p.to_states.append(dst)
            p.geoms.append(geom)
    return out
