"""Reading control maps (files, folders, archives) into dated, classified snapshots.

The names below load their module on first use (PEP 562), so that importing a light module of this package
(``whoholds.io.records``, ``whoholds.io.atomic``) does not import pandas and the geometry stack.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "check_coordinates": "classify", "classify_rows": "classify", "profile_bbox": "classify",
    "date_from_name": "dates", "parse_date_value": "dates",
    "DEFAULT_CACHE": "features", "FeatureTable": "features", "GeometryCache": "features",
    "read_maps": "readers", "read_source": "readers",
    "repair_geometries": "repair",
    "Source": "sources", "iter_sources": "walk", "load_bytes": "sources",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
