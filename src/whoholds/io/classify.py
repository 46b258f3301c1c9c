"""Feature classification (label, fill, mark → profile state, memoised) and the coordinate sanity checks
(projected coordinates without a CRS, swapped latitude/longitude)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from ..errors import InputError
from ..profiles import Profile, normalise_label

#: Longest label kept (in the unmapped report, the catalog and the features' label column): labels are
#: user data, and a megabyte-long one must not flood the terminal or make printing quadratic.
MAX_LABEL = 200


def shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


Memo = dict[tuple[object, object, object], tuple[str | None, str]]
_MEMOS: dict[int, tuple[Profile, Memo]] = {}


def _memo(profile: Profile) -> Memo:
    item = _MEMOS.get(id(profile))
    if item is None or item[0] is not profile:
        item = (profile, {})
        _MEMOS[id(profile)] = item
    return item[1]


def _classify(profile: Profile, memo: Memo, key: tuple[object, object, object]) -> tuple[str | None, str]:
    hit = memo.get(key)
    if hit is None:
        label, fill, mark = key
        hit = (profile.classify(label=label, fill=fill, mark=mark), shorten(normalise_label(label)))
        memo[key] = hit
    return hit


def classify_rows(
    profile: Profile, labels: Sequence[str | None], fills: Sequence[str | None], marks: Sequence[str | None]
) -> tuple[list[str | None], list[str]]:
    """(state or None, normalised label) per feature, memoised per (label, fill, mark) and profile."""
    memo = _memo(profile)
    states: list[str | None] = []
    norm: list[str] = []
    for key in zip(labels, fills, marks, strict=True):
        hit = memo.get(key) or _classify(profile, memo, key)
        states.append(hit[0])
        norm.append(hit[1])
    return states, norm


def excluded_test(profile: Profile) -> Callable[[str | None, str | None, str | None], bool] | None:
    """``f(label, fill, mark)`` → True when the feature's state is of kind "excluded" (None if the profile
    has no excluded state). Lets the fast path skip the geometry of other countries' layers."""
    excluded = frozenset(s.id for s in profile.states if s.kind == "excluded")
    if not excluded:
        return None
    memo = _memo(profile)

    def test(label: str | None, fill: str | None, mark: str | None) -> bool:
        key = (label, fill, mark)
        hit = memo.get(key) or _classify(profile, memo, key)
        return hit[0] in excluded

    return test


def classified_test(profile: Profile) -> Callable[[str | None, str | None, str | None], bool]:
    """``f(label, fill, mark)`` → True when the feature names a state of ``profile`` (memoised like
    :func:`classify_rows`). Lets the fast path look for other state-like properties only when needed."""
    memo = _memo(profile)

    def test(label: str | None, fill: str | None, mark: str | None) -> bool:
        key = (label, fill, mark)
        hit = memo.get(key) or _classify(profile, memo, key)
        return hit[0] is not None

    return test


@lru_cache(maxsize=16)
def _boundary_bbox(profile: Profile) -> tuple[float, float, float, float] | None:
    try:
        from ..geometry.boundary import load_boundary

        return tuple(float(v) for v in load_boundary(profile).geometry.bounds)  # type: ignore[return-value]
    except Exception:  # the boundary is optional here: without it, no swapped-axis check
        return None


def profile_bbox(
    profile: Profile, bbox: tuple[float, float, float, float] | None = None
) -> tuple[float, float, float, float] | None:
    """``bbox`` if given, else the bounding box of the profile's boundary (None when unavailable)."""
    return bbox if bbox is not None else _boundary_bbox(profile)


def intersects_box(a: Sequence[float], b: Sequence[float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def check_coordinates(
    name: str, bounds: np.ndarray, has_crs: bool, bbox: tuple[float, float, float, float] | None
) -> None:
    """InputError for projected coordinates without a CRS, and for swapped latitude/longitude (the
    features miss ``bbox``, the profile's boundary box, but would cover it with the axes swapped)."""
    b = np.asarray(bounds, dtype=float).reshape(-1, 4)
    b = b[~np.isnan(b).any(axis=1)]
    if len(b) == 0:
        return
    absurd = ~np.isfinite(b) | (np.abs(b) > 1e9)  # beyond any projected CRS's range (metres on Earth: < 1e8)
    if absurd.any():
        value = b[absurd][np.argmax(np.abs(np.nan_to_num(b[absurd], posinf=np.inf, neginf=np.inf)))]
        raise InputError(name, f"a coordinate is {value:g}: not a position on Earth in any coordinate system")
    xmin, ymin = float(b[:, 0].min()), float(b[:, 1].min())
    xmax, ymax = float(b[:, 2].max()), float(b[:, 3].max())
    if max(abs(xmin), abs(xmax)) > 180 or max(abs(ymin), abs(ymax)) > 90:
        worst = np.maximum(np.abs(b[:, [0, 2]]).max(axis=1) / 180, np.abs(b[:, [1, 3]]).max(axis=1) / 90)
        i = int(np.argmax(worst))
        example = f"{b[i, 0]:.0f}, {b[i, 1]:.0f}"
        if has_crs:
            raise InputError(name, f"coordinates (e.g. {example}) are outside the longitude/latitude range")
        raise InputError(
            name,
            f"coordinates look projected (e.g. {example}) but the file has no CRS; "
            "reproject to EPSG:4326 or add a .prj",
        )
    if bbox is not None:
        own = (xmin, ymin, xmax, ymax)
        swapped = (ymin, xmin, ymax, xmax)
        if not intersects_box(own, bbox) and intersects_box(swapped, bbox):
            raise InputError(
                name,
                f"latitude and longitude look swapped: the features lie at x {xmin:.2f}..{xmax:.2f}, "
                f"y {ymin:.2f}..{ymax:.2f}, outside the boundary, which they would cover as (lon, lat)",
            )


def as_words(text: str) -> str:
    """An identifier-style name as words, so label patterns written with spaces match it:
    ``Assessed_Russian_Control`` → ``Assessed Russian Control`` (ArcGIS layer and field names)."""
    return text.replace("_", " ") if "_" in text else text


def layer_of_source(name: str) -> str:
    """The layer name a file's own name gives (last archive member, no folder, no suffixes), as words:
    ``isw.zip::Claimed_Russian_Advances.geojson.gz`` → ``Claimed Russian Advances``. A single-layer export
    (an ArcGIS layer saved as GeoJSON, a shapefile) often says what its polygons are only there."""
    base = name.split("::")[-1].replace("\\", "/").rsplit("/", 1)[-1]
    while "." in base.strip(".") and len(base.rsplit(".", 1)[1]) <= 8:
        base = base.rsplit(".", 1)[0]
    return as_words(base).strip()


def classify_text(profile: Profile, values: Sequence[str]) -> tuple[str | None, str | None]:
    """(state, the value that named it) for the first of ``values`` (tried as given, then as words)
    whose text names a state by the profile's label patterns; (None, None) when none does."""
    memo = _memo(profile)
    for raw in values:
        for text in (raw, as_words(raw)) if "_" in raw else (raw,):
            key = (text, None, None)
            state = (memo.get(key) or _classify(profile, memo, key))[0]
            if state is not None:
                return state, raw
    return None, None


#: Tokens some writers (Python's json, JavaScript's String(x)) put where JSON has no number.
_NON_NUMBER = re.compile(
    rb"[\[,:]\s*(-?(?:NaN|Infinity|inf|nan)"  # not JSON at all
    rb"|-?\d+(?:\.\d+)?[eE]\+?(?:3(?:09|[1-9]\d)|[4-9]\d\d|\d{4,}))\s*[\],}]"  # beyond a double: 1e309 and up
)


def non_number_error(data: bytes, name: str) -> InputError | None:
    """The error for JSON that is invalid only because it holds NaN, Infinity or a number beyond any double
    (1e400): such a coordinate is no position on Earth. None when that is not the cause."""
    m = _NON_NUMBER.search(data)
    if m is None:
        return None
    token = m.group(1).decode("ascii", "replace")
    return InputError(name, f"not valid JSON: holds the value {token}, which is no finite number, so no position "
                            "on Earth; fix or remove the feature that holds it")


def zipped_layer_names(opened: object) -> list[str]:
    """The layer name of the one shapefile in a zip (``opened``: a path or a binary file object), as words:
    a zipped ArcGIS export's ``Assessed_Russian_Control.shp`` → ``Assessed Russian Control``; [] otherwise."""
    import zipfile

    try:
        with zipfile.ZipFile(opened) as zf:  # type: ignore[arg-type]
            shps = [m for m in zf.namelist() if m.lower().endswith(".shp")]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return []
    return [layer_of_source(shps[0])] if len(shps) == 1 else []
