"""Recognise inputs the profile knows to be single-layer exports (``unlabelled_sources``), so that
``whoholds ingest`` needs no ``--unlabelled-state`` where the files say what they are.

A file "says so" by its name or by the ``name`` member of its GeoJSON FeatureCollection (read from the first
few KB, decompressing .gz/.xz/.bz2). A folder says so when every map file in it does. Every input must match
the same rule, or nothing is assumed.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import re
from collections.abc import Iterable
from pathlib import Path

from .model import Profile, UnlabelledSource

_HEAD_BYTES = 4096
_NAME = re.compile(rb'"name"\s*:\s*"([^"]{1,200})"')
_MAP_SUFFIXES = (".geojson", ".json", ".gz", ".xz", ".bz2")
_OPENERS = {".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open}


def collection_name(path: Path) -> str | None:
    """The ``name`` of a GeoJSON FeatureCollection, from the head of the (possibly compressed) file."""
    opener = _OPENERS.get(path.suffix.lower(), open)
    try:
        with opener(path, "rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except (OSError, EOFError, lzma.LZMAError):
        return None
    m = _NAME.search(head.split(b'"features"', 1)[0])
    return m.group(1).decode("utf-8", "replace") if m else None


def _says(path: Path, rule: UnlabelledSource) -> bool:
    pattern = re.compile(rule.match, re.IGNORECASE)
    if pattern.search(path.name):
        return True
    if path.is_file():
        name = collection_name(path)
        return bool(name and pattern.search(name))
    return False


def _input_says(path: Path, rule: UnlabelledSource) -> bool:
    if _says(path, rule):
        return True
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.name.lower().endswith(_MAP_SUFFIXES))
        return bool(files) and all(_says(f, rule) for f in files)
    return False


def recognised_unlabelled_state(profile: Profile, paths: Iterable[Path]) -> tuple[str, str] | None:
    """(state, why) when every input is a known single-layer export of the profile; else None."""
    paths = [Path(p) for p in paths]
    if not paths or not profile.unlabelled_sources:
        return None
    for rule in profile.unlabelled_sources:
        if all(_input_says(path, rule) for path in paths):
            return rule.state, f"recognised {rule.name or rule.match}"
    return None
