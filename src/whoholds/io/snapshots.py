"""Classified, dated :class:`~whoholds.types.Snapshot` objects from one source's feature table.

Each polygon feature gets a profile state from its label, fill colour and mark (:mod:`.classify`); when the
label names no state, from another state-like value (a status column, KML folder, uMap layer) or, for a
single-layer export with no text at all, from the file's name. Rows are grouped by snapshot date; features the
profile cannot classify are counted in ``unmapped``, excluded states in ``dropped``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import Counter

import numpy as np

from ..errors import InputError
from ..profiles import Profile, normalise_label
from ..types import Snapshot
from . import dates as _dates
from .classify import (
    as_words,
    check_coordinates,
    classify_rows,
    classify_text,
    intersects_box,
    layer_of_source,
    profile_bbox,
    shorten,
    zipped_layer_names,
)
from .features import FeatureTable, polygon_frame, repairs_of
from .marker_points import point_marker_map
from .sources import Source

#: Unmapped-report key of a polygon with neither label nor fill.
NO_LABEL = "(no label, no fill)"


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


def snapshots_of(
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
