"""A starter profile from a map: what it marks (Wikipedia module mark keys, GeoJSON labels and fill colours),
counted, written as a YAML profile with one state per side for the user to name (``whoholds profile init``).

The starter is valid as it stands (``whoholds profile check`` passes once the boundary's country is set);
every name it cannot know is marked ``# TODO``.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .model import normalise_label

#: Mark-key suffixes that are facilities of the same side (``gov_air`` is the government's airbase).
_FACILITY = "(_(hill|air|heli|naval|base|rural3|rural4|industry|oil))?"
#: Side colours of the shared legend ``Module:Middle East conflicts map marks``.
LEGEND_COLOURS = {"gov": "#e0301e", "opp": "#7ed321", "SDF": "#f5d10c", "JaN": "#808080", "IS": "#111111",
                  "Trk": "#2e7d32", "lcl": "#1e88e5", "spc": "#fb8c00"}
_LABEL_KEYS = ("name", "label", "title", "status", "description", "Name")
_FILL_KEYS = ("fill", "color", "colour", "fill_color")
_OPENERS = {".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open}
MAX_STATES = 25


@dataclass
class MapScan:
    """What a map marks: kind ``markers`` (mark keys) or ``polygons`` (labels and fills), with counts."""

    kind: str
    marks: Counter[str] = field(default_factory=Counter)
    labels: Counter[tuple[str, str]] = field(default_factory=Counter)  # (label, fill) -> polygons
    unlabelled: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)


def _read_bytes(path: Path) -> bytes:
    opener = _OPENERS.get(path.suffix.lower())
    try:
        if opener is None:
            return path.read_bytes()
        with opener(path, "rb") as fh:
            return fh.read(200_000_000)
    except (OSError, EOFError, lzma.LZMAError) as exc:
        raise InputError(path, f"cannot read the map ({exc})") from None


def scan_map(path: Path) -> MapScan:
    """Count the marks (Wikipedia map module) or labels and fills (a polygon map in any format read) of one file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such map file")
    data = _read_bytes(path)
    from ..io.wikipedia import looks_like_wikipedia_module, module_markers

    if looks_like_wikipedia_module(data):
        markers = module_markers(data, path.name)
        scan = MapScan("markers")
        for mark, name in zip(markers["mark"], markers["name"], strict=True):
            side = _side(str(mark))
            scan.marks[side] += 1
            scan.examples.setdefault(side, [])
            if len(scan.examples[side]) < 3 and name:
                scan.examples[side].append(str(name))
        return scan
    from ..io.readers import feature_table

    table = feature_table(path)
    scan = MapScan("polygons")
    labels = [normalise_label(v) for v in table.label]
    others = [normalise_label(a[0]) if a else "" for a in (table.alt or [None] * len(table))]
    # A name column of ids or places ("12", "Sector 4") next to a status column: the column with fewer
    # distinct values is the one that names states.
    if any(others) and len(set(filter(None, others))) < len(set(filter(None, labels))):
        labels = [o or lab for o, lab in zip(others, labels, strict=True)]
    else:  # features with no label at all still have their other value
        labels = [lab or o for o, lab in zip(others, labels, strict=True)]
    for label, raw_fill in zip(labels, table.fill, strict=True):
        fill = str(raw_fill).strip().lower() if raw_fill else ""
        if not label and not fill:
            scan.unlabelled += 1
        else:
            scan.labels[(label[:120], fill)] += 1
    return scan


def _side(mark: str) -> str:
    """``gov_air`` -> ``gov``: the side of a legend key; raw icon names stay as they are."""
    if mark.startswith("svg:") or "." in mark:
        return mark
    head = mark.split("_")[0]
    return head if head in LEGEND_COLOURS else mark


def _slug(text: str, used: set[str]) -> str:
    s = (re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "state")[:40]
    if s[0].isdigit():
        s = f"s_{s}"
    out, n = s, 2
    while out in used:
        out, n = f"{s}_{n}", n + 1
    used.add(out)
    return out


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def starter_profile(profile_id: str, path: Path, country: str | None = None, name: str | None = None) -> str:
    """The YAML text of a starter profile for the map at ``path``."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,39}", profile_id):
        raise InputError(profile_id, "a profile id is a short name: a letter, then letters, digits, _ or -")
    scan = scan_map(path)
    lines = [
        f"# Starter profile written by `whoholds profile init` from {Path(path).name}.",
        "# Name the actors and states, merge what belongs together, then: whoholds profile check THIS_FILE",
        f"id: {profile_id}",
        f"name: {_q(name or profile_id)}  # TODO: the conflict's name",
        "boundary:",
        f"  country: {country.upper() if country else 'XXX'}" + ("" if country else "  # TODO: ISO3 code"),
        "  source: natural-earth",
        "  pov: deu",
        "  note: \"TODO: what the boundary includes, in plain words (shown with every figure)\"",
    ]
    actors: list[str] = []
    states: list[str] = []
    tail: list[str] = []
    used: set[str] = set()
    if scan.kind == "markers":
        lines.append("default_holder: null  # marker maps: land between dots is estimated, not held by default")
        for side, count in scan.marks.most_common(MAX_STATES):
            sid = _slug(side, used)
            examples = ", ".join(scan.examples.get(side, []))
            mixed = side.startswith(("truce", "ctl", "mix")) or "+" in side
            colour = LEGEND_COLOURS.get(side, "#888888")
            pattern = re.escape(side) + (_FACILITY if side in LEGEND_COLOURS else "")
            states += [f"  - id: {sid}  # {count} marker(s), e.g. {examples}",
                       f"    name: {_q(side)}  # TODO: who this is",
                       f"    kind: {'mixed' if mixed else 'actor'}",
                       f"    colour: \"{colour}\""]
            if not mixed:
                states.append(f"    actor: {sid}")
                actors += [f"  - id: {sid}", f"    name: {_q(side)}  # TODO", f"    colour: \"{colour}\""]
            states.append(f"    marks: [{_q(pattern)}]")
    else:
        lines.append("default_holder: null  # TODO: the state that holds land no polygon covers, if any")
        for (label, fill), count in scan.labels.most_common(MAX_STATES):
            sid = _slug(label or f"fill {fill}", used)
            states += [f"  - id: {sid}  # {count} polygon(s)", f"    name: {_q(label or fill)}  # TODO",
                       "    kind: actor", f"    actor: {sid}"]
            actors += [f"  - id: {sid}", f"    name: {_q(label or fill)}  # TODO"]
            if label:
                states.append(f"    labels: [{_q(re.escape(label))}]")
            if fill:
                states.append(f"    fills: [{_q(fill)}]")
                states.append(f"    colour: {_q(fill)}")
        if scan.unlabelled:
            sid = _slug("drawn area", used)
            states += [f"  - id: {sid}  # {scan.unlabelled} polygon(s) with no label and no fill",
                       "    name: \"Drawn area\"  # TODO: who holds what this map draws", "    kind: actor",
                       f"    actor: {sid}"]
            actors += [f"  - id: {sid}", "    name: \"Drawn area\"  # TODO"]
            # files named like this one hold one unlabelled layer: ingest needs no --unlabelled-state
            stem = re.sub(r"\\d+", r"\\d+", re.escape(Path(path).name.split(".")[0]))
            tail = ["unlabelled_sources:", f"  - match: {_q(stem)}", f"    state: {sid}",
                    f"    name: {_q('single-layer export like ' + Path(path).name)}"]
    if not states:
        raise InputError(path, "the map marks nothing a profile could name (no marks, labels or fills)")
    lines += ["actors:", *(actors or ["  []"]), "states:", *states, "priority: []", *tail]
    return "\n".join(lines) + "\n"
