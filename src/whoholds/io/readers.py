"""Read control maps into dated, classified :class:`~whoholds.types.Snapshot` objects.

``read_source`` reads one :class:`Source` (see :mod:`.sources`) into one Snapshot per date it holds:
GeoJSON FeatureCollections go through the simdjson fast path (:mod:`.geojson_fast`), everything else
through GDAL (:mod:`.ogr`); Wikipedia marker modules go to :mod:`.wikipedia`. Each polygon feature gets a
profile state from its label (first non-empty of name/Name/NAME/label/Label/status/Status/state/State/
description/Description), fill colour (``fill``, ``fill-color``..., KML PolyStyle) and ``mark``. Features the
profile cannot classify are counted in ``unmapped`` (never silently dropped); excluded states (other
countries' layers) and point/line features are counted in ``dropped``; repairs are counted in ``repairs``
for every feature that is not excluded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import shapely

from ..errors import InputError
from ..profiles import Profile, normalise_label
from ..types import Snapshot
from . import dates as _dates
from .classify import (
    as_words,
    check_coordinates,
    classified_test,
    classify_rows,
    classify_text,
    excluded_test,
    intersects_box,
    layer_of_source,
    non_number_error,
    profile_bbox,
    shorten,
    zipped_layer_names,
)
from .dialects import normalise
from .encoding import looks_non_utf8, to_utf8
from .features import (
    DEFAULT_CACHE,
    FeatureTable,
    GeometryCache,
    is_blank,
    polygon_frame,
    repairs_of,
    without_cyclic_gc,
)
from .fit import check_fit
from .geojson_fast import parse_json, read_geojson_fast
from .limits import check_vertices
from .marker_points import point_marker_map
from .ogr import read_with_gdal
from .sources import Source, iter_sources, load_bytes
from .tabular import read_wkt_table

#: Unmapped-report key of a polygon with neither label nor fill.
NO_LABEL = "(no label, no fill)"


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
        snaps = _snapshots(source, data, table, profile, date, unlabelled_state)
        for snap in snaps:  # per snapshot: a file of many dates may hold many maps' worth
            check_vertices(source.name, int(shapely.get_num_coordinates(snap.features.geometry.values).sum()))
        if encoding is not None:
            for snap in snaps:
                snap.repairs[f"text decoded from {encoding}"] = 1
        return check_fit(source.name, snaps, profile)


def _content_hash(source: Source, data: bytes | None) -> hashlib._Hash:
    if data is not None:
        return hashlib.sha256(data)
    h = hashlib.sha256()
    path = source.path
    if path is not None and path.suffix.lower() == ".shp":
        for side in sorted(path.parent.glob(path.stem + ".*")):
            h.update(side.suffix.lower().encode() + b"\0" + side.read_bytes())
    elif path is not None:
        h.update(path.read_bytes())
    return h


def _snapshots(
    source: Source,
    data: bytes | None,
    table: FeatureTable,
    profile: Profile,
    date: dt.date | None,
    unlabelled_state: str | None,
) -> list[Snapshot]:
    name = source.name
    if len(table) == 0 and (marker := point_marker_map(source.fmt, table.dropped, data, name, profile, date)):
        return [marker]  # a marker map saved as GeoJSON points
    if len(table) == 0:
        what = ", ".join(f"{v} {k}" for k, v in sorted(table.dropped.items())) or "no features at all"
        hint = ("; lines are never read as areas, even closed ones: draw areas as Polygons"
                if table.dropped.get("lines") else "")
        raise InputError(name, f"no polygon features ({what}){hint}")
    states, labels = classify_rows(profile, table.label, table.fill, table.mark)
    via_other = _classify_alternatives(profile, table, states, labels)
    default = unlabelled_state or getattr(profile, "unlabelled_state", None)
    named_by_file: set[int] = set()
    if default is not None:
        if default not in profile.state_by_id:
            raise InputError(name, f"unlabelled state {default!r} is not a state of profile {profile.id!r}")
        for i, state in enumerate(states):
            if state is None and table.label[i] is None and table.fill[i] is None and table.mark[i] is None:
                states[i] = default
    else:
        names = [layer_of_source(name)]
        if source.fmt == "shp":  # a zipped shapefile: the .shp inside names the layer too
            names += zipped_layer_names(io.BytesIO(data) if data is not None else source.path)
        named_by_file = _classify_by_file_name(names, profile, table, states, labels)
    excluded = {s.id for s in profile.states if s.kind == "excluded"}
    counted = [i for i, s in enumerate(states) if s not in excluded]
    bounds = np.asarray(table.bounds, dtype=float).reshape(-1, 4)[counted]
    check_coordinates(name, bounds, table.has_crs, profile_bbox(profile))
    if all(states[i] is None for i in counted) and counted:
        raise _unclassified(name, profile, table, labels, counted)

    groups = _dates.group_rows(name, len(table), table.date, table.date_property, date)
    digest = _content_hash(source, data)
    n_dates = len({v for v in table.date if v is not None}) if table.date_property else 1
    out: list[Snapshot] = []
    for (day, stamp), rows in sorted(groups.items(), key=lambda kv: kv[0][0]):
        h = digest.copy()
        if n_dates > 1:  # one file, many snapshots: each gets its own content hash
            h.update(b"|" + day.isoformat().encode())
        snap = _snapshot(source, profile, table, rows, states, labels, (day, stamp), h.hexdigest(), default)
        n_other = sum(1 for i in rows if i in via_other and profile.state_by_id[states[i]].kind != "excluded")
        if n_other:  # said in the repair log: the state came from a status column, KML folder or uMap layer
            snap.repairs[STATE_FROM_OTHER] = n_other
        n_named = sum(1 for i in rows if i in named_by_file)
        if n_named:  # said in the repair log: the file's name was the only text naming a state
            snap.repairs[STATE_FROM_FILE_NAME] = n_named
        out.append(snap)
    return out


def _unclassified(name: str, profile: Profile, table: FeatureTable, labels: list[str], counted: list[int]
                  ) -> InputError:
    """The error for a map none of whose polygons names a state: what was seen, and how to map it."""
    examples = Counter(labels[i] or table.fill[i] or NO_LABEL for i in counted)
    shown = ", ".join(repr(k) for k, _ in examples.most_common(3))
    if profile.label_properties:
        fields = ", ".join(profile.label_properties)
        hint = (f"; no feature has a value in {fields} (--state-field)" if set(examples) == {NO_LABEL} else
                f"; states read from {fields} only, as --state-field asks; add patterns for these values to the "
                "profile's state labels")
        return InputError(name, f"none of the {len(counted)} polygon features has a state profile {profile.id!r} "
                                f"recognises (values e.g. {shown}){hint}")
    actor_states = "|".join(s.id for s in profile.counted_states if s.kind == "actor")
    known = getattr(profile, "unlabelled_sources", ())
    usual = known[0].state if known else actor_states.split("|")[0]
    hint = (f"; for polygons with no label at all pass --unlabelled-state STATE ({actor_states}), "
            f"e.g. --unlabelled-state {usual}" if NO_LABEL in examples else "")
    others = Counter(v for i in counted if table.alt and table.alt[i] for v in table.alt[i])  # type: ignore[union-attr]
    if others:
        seen = ", ".join(repr(shorten(k)[:60]) for k, _ in others.most_common(3))
        hint += f"; other state-like values seen: {seen}; add patterns for them to the profile's state labels"
    fills_only = [k for k in examples if k != NO_LABEL and k.startswith("#") and k not in labels]
    if fills_only:
        hint += (f"; fill colours ({', '.join(fills_only[:3])}) are matched against the profile's state fills: "
                 "add them there (a profile YAML file, docs/profiles.md)")
    if examples.keys() - {NO_LABEL} or others:
        hint += "; or pass --state-field PROPERTY to read the state from one property"
    return InputError(name, f"none of the {len(counted)} polygon features has a state profile {profile.id!r} "
                            f"recognises (labels e.g. {shown}){hint}")


#: Repair-log key counting features whose state came from another property than the label (see below).
STATE_FROM_OTHER = "state from another property (status column, KML folder, uMap layer...)"
#: Repair-log key counting unlabelled polygons whose state came from the file's name.
STATE_FROM_FILE_NAME = "state from the file's name (a single-layer export)"


def _classify_alternatives(profile: Profile, table: FeatureTable, states: list[str | None], labels: list[str]
                           ) -> set[int]:
    """Features whose label names no state, classified by the first of their other state-like values that
    does (a "Status" column, the KML folder...); that value becomes the feature's label.

    Words outrank colours: a feature whose state came from its fill alone takes the state its layer or
    status text names (a Google My Maps layer "Звільнена територія" drawn in the default black, which a
    profile may reserve for another state). A label in identifier style (``Assessed_Russian_Control``) is
    read as words too."""
    done: set[int] = set()
    n = len(states)
    label_only, _ = classify_rows(profile, table.label, [None] * n, table.mark)
    for i in range(n):
        if label_only[i] is not None:
            continue
        label = table.label[i]
        other = table.alt[i] if table.alt else None
        candidates = ([as_words(label)] if label and "_" in label else []) + list(other or ())
        if not candidates:
            continue
        state, raw = classify_text(profile, candidates)
        if state is not None and raw is not None:
            states[i], labels[i], table.label[i] = state, shorten(normalise_label(raw)), raw
            done.add(i)
    return done


def _classify_by_file_name(names: list[str], profile: Profile, table: FeatureTable, states: list[str | None],
                           labels: list[str]) -> set[int]:
    """Polygons with no label, fill, mark or state-like value at all take the state the file's own name
    names (an ArcGIS layer exported alone: ``Assessed_Russian_Control.geojson``); the rows that did."""
    bare = [i for i, s in enumerate(states) if s is None and table.label[i] is None and table.fill[i] is None
            and table.mark[i] is None]
    if not bare:
        return set()
    state, layer = classify_text(profile, names)
    if state is None or layer is None:
        return set()
    for i in bare:
        states[i], labels[i] = state, shorten(normalise_label(layer))
    return set(bare)


def _snapshot(
    source: Source,
    profile: Profile,
    table: FeatureTable,
    rows: list[int],
    states: list[str | None],
    labels: list[str],
    when: tuple[dt.date, dt.datetime | None],
    content_hash: str,
    default: str | None,
) -> Snapshot:
    unmapped: Counter[str] = Counter()
    dropped: Counter[str] = Counter(table.dropped)
    box = profile_bbox(profile)
    counted: list[int] = []
    kept: list[int] = []
    n_default = 0
    for i in rows:
        state = states[i]
        if state is not None and profile.state_by_id[state].kind == "excluded":
            dropped[f"excluded:{state}"] += 1
            continue
        counted.append(i)
        if table.geometry[i] is None:
            continue  # nothing left after repair: counted in repairs["empty_after_repair"]
        if state is None:
            if box is not None and not intersects_box(table.geometry[i].bounds, box):
                # Wholly outside the boundary's box: it cannot change any figure, so it is no unmapped label.
                dropped["unmapped_outside_boundary"] += 1
            else:
                unmapped[labels[i] or table.fill[i] or NO_LABEL] += 1
        else:
            kept.append(i)
            if state == default and table.label[i] is None and table.fill[i] is None and table.mark[i] is None:
                n_default += 1
    repairs = repairs_of([table.flags[i] for i in counted])
    if n_default:
        repairs[f"unlabelled_as:{default}"] = n_default
    frame = polygon_frame(
        [states[i] for i in kept],  # type: ignore[misc]
        [labels[i] for i in kept],
        [table.fill[i] for i in kept],
        [table.geometry[i] for i in kept],
    )
    return Snapshot(
        date=when[0],
        source=source.name,
        profile=profile.id,
        kind="polygons",
        features=frame,
        content_hash=content_hash,
        repairs=repairs,
        unmapped=dict(unmapped),
        dropped=dict(dropped),
        timestamp=when[1],
    )


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
