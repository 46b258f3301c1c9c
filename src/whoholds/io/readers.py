"""Read control maps into dated, classified :class:`~whoholds.types.Snapshot` objects.

``read_source`` reads one :class:`Source` (see :mod:`.sources`) into one Snapshot per date it holds:
GeoJSON FeatureCollections go through the simdjson fast path (:mod:`.geojson_fast`), everything else
through GDAL (:mod:`.ogr`); Wikipedia marker modules go to :mod:`.wikipedia`. :mod:`.snapshots` then gives
each polygon feature a profile state from its label (first non-empty of name/Name/NAME/label/Label/status/
Status/state/State/description/Description), fill colour (``fill``, ``fill-color``..., KML PolyStyle) and
``mark``. Features the profile cannot classify are counted in ``unmapped`` (never silently dropped);
excluded states (other countries' layers) and point/line features are counted in ``dropped``; repairs are
counted in ``repairs`` for every feature that is not excluded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import shapely

from ..errors import InputError
from ..profiles import Profile
from ..types import Snapshot
from . import dates as _dates
from .classify import (
    classified_test,
    excluded_test,
    non_number_error,
)
from .dialects import normalise
from .encoding import looks_non_utf8, to_utf8
from .features import (
    DEFAULT_CACHE,
    FeatureTable,
    GeometryCache,
    is_blank,
    without_cyclic_gc,
)
from .fit import check_fit
from .geojson_fast import parse_json, read_geojson_fast
from .limits import check_vertices
from .ogr import read_with_gdal
from .snapshots import snapshots_of
from .sources import Source, load_bytes
from .tabular import read_wkt_table
from .walk import iter_sources


def _read_table(source: Source, data: bytes, profile: Profile, cache: GeometryCache, engine: str
                ) -> tuple[FeatureTable, str | None]:
    """The source's features and the text encoding they were converted from (None for UTF-8)."""
    encoding = None
    if source.fmt in ("geojson", "topojson", "geojsonseq", "csv") and looks_non_utf8(data):
        data, encoding = to_utf8(data, source.name)
    if source.fmt == "csv":
        return read_wkt_table(data, source.name, profile.date_properties, profile.label_properties), encoding
    converted = False
    if source.fmt in ("geojson", "geojsonseq"):
        plain = normalise(data, source.name, source.fmt)
        converted = plain is not data
        data = plain
        source = Source(source.name, source.data, source.path, "geojson")
    if source.fmt == "geojson" and engine != "gdal":
        try:
            parser, doc = parse_json(data, source.name)
        except InputError as exc:
            if "BIGINT_ERROR" in exc.problem:  # valid JSON simdjson cannot hold (an integer past 64 bits): GDAL can
                return read_with_gdal(source, data, profile.date_properties, profile.label_properties), encoding
            fixed, encoding = to_utf8(data, source.name)  # a legacy code page, or the JSON error stands
            if encoding is None:
                raise non_number_error(data, source.name) or exc from None
            data = fixed
            parser, doc = parse_json(data, source.name)
        if hasattr(doc, "get") and doc.get("type") == "Topology":
            source = Source(source.name, source.data, source.path, "topojson")
        else:
            table = read_geojson_fast(
                data, source.name, cache, profile.date_properties, doc=doc, skip=excluded_test(profile),
                label_keys=profile.label_properties or None, classified=classified_test(profile),
            )
            del parser, doc
            if table is not None:
                return table, encoding
    if encoding is not None or converted:  # GDAL reads the converted bytes, not the file
        source = Source(source.name, data, None, source.fmt)
    return read_with_gdal(source, data, profile.date_properties, profile.label_properties), encoding


def _wikipedia(source: Source, profile: Profile, date: dt.date | None) -> list[Snapshot]:
    try:
        from .wikipedia import read_wikipedia_module
    except ImportError:
        raise InputError(
            source.name, "Wikipedia marker modules cannot be read: whoholds.io.wikipedia is not installed"
        ) from None
    return check_fit(source.name, [read_wikipedia_module(load_bytes(source), source.name, profile, date)], profile)


def read_source(
    source: Source,
    profile: Profile,
    date: dt.date | None = None,
    cache: GeometryCache | None = None,
    *,
    unlabelled_state: str | None = None,
    engine: str = "auto",
) -> list[Snapshot]:
    """Snapshots of one map source, one per snapshot date it holds (see the module doc).

    ``date`` (the CLI ``--date``) overrides dates from properties and file names; in a file that holds
    several dates it selects that one. ``cache`` (default: one per process) keeps repaired geometries
    between calls. ``unlabelled_state`` (or the profile's ``unlabelled_state`` attribute, when it has one)
    is the state given to polygons with no label, fill or mark at all, as in binary "occupied area"
    exports; such features are counted in ``repairs`` as ``unlabelled_as:<state>``. ``engine="gdal"``
    reads GeoJSON through GDAL instead of the fast path (both give the same snapshots; tested).
    """
    if engine not in ("auto", "gdal"):
        raise ValueError(f"engine must be 'auto' or 'gdal', not {engine!r}")
    date = _dates.explicit_date(date, source.name)
    if source.fmt == "wikipedia":
        return _wikipedia(source, profile, date)
    encoding = None
    with without_cyclic_gc():
        if source.fmt == "shp" and source.data is None:  # GDAL reads the .shp (or .zip) and its side-cars
            data = None
            table = read_with_gdal(source, None, profile.date_properties, profile.label_properties)
        else:
            data = load_bytes(source)
            if is_blank(data):
                raise InputError(source.name, "empty file")
            table, encoding = _read_table(source, data, profile, DEFAULT_CACHE if cache is None else cache, engine)
        snaps = snapshots_of(source, data, table, profile, date, unlabelled_state)
        for snap in snaps:  # per snapshot: a file of many dates may hold many maps' worth
            check_vertices(source.name, int(shapely.get_num_coordinates(snap.features.geometry.values).sum()))
        if encoding is not None:
            for snap in snaps:
                snap.repairs[f"text decoded from {encoding}"] = 1
        return check_fit(source.name, snaps, profile)


def read_maps(
    paths: Sequence[str | Path],
    profile: Profile,
    date: dt.date | None = None,
    errors: list[InputError] | None = None,
    cache: GeometryCache | None = None,
    *,
    unlabelled_state: str | None = None,
) -> Iterator[Snapshot]:
    """Snapshots of every map in ``paths`` (files, folders, archives). With ``errors`` given, a source that
    cannot be read is appended to it and the others go on; otherwise the first problem raises."""
    for source in iter_sources(paths, errors=errors):
        try:
            yield from read_source(source, profile, date, cache, unlabelled_state=unlabelled_state)
        except InputError as exc:
            if errors is None:
                raise
            errors.append(exc)


def feature_table(path: str | Path) -> FeatureTable:
    """The polygon features of one map file, in any format read here, attributes not classified (what
    ``whoholds profile init`` scans). InputError for a file that holds no polygons or several maps."""
    from ..profiles.model import BoundarySpec

    sources = list(iter_sources([path]))
    if len(sources) != 1:
        raise InputError(str(path), f"holds {len(sources)} maps; give one map file")
    source = sources[0]
    blank = Profile(id="scan", name="scan", boundary=BoundarySpec(country=""), actors=(), states=())
    if source.fmt == "shp" and source.data is None:
        table = read_with_gdal(source, None, blank.date_properties)
    else:
        data = load_bytes(source)
        if is_blank(data):
            raise InputError(source.name, "empty file")
        table = _read_table(source, data, blank, GeometryCache(max_coords=0), "auto")[0]
    if len(table) == 0:
        raise InputError(source.name, "no polygon features")
    return table
