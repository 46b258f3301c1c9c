"""Reading control maps (files, folders, archives) into dated, classified snapshots."""

from .classify import check_coordinates, classify_rows, profile_bbox
from .dates import date_from_name, parse_date_value
from .features import DEFAULT_CACHE, FeatureTable, GeometryCache
from .readers import read_maps, read_source
from .repair import repair_geometries
from .sources import Source, iter_sources, load_bytes

__all__ = [
    "DEFAULT_CACHE",
    "FeatureTable",
    "GeometryCache",
    "Source",
    "check_coordinates",
    "classify_rows",
    "date_from_name",
    "iter_sources",
    "load_bytes",
    "parse_date_value",
    "profile_bbox",
    "read_maps",
    "read_source",
    "repair_geometries",
]
