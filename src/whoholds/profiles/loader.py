"""Load profiles from the built-in YAML files or a user's file, with clear errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from .model import Actor, BoundarySpec, Coalition, Era, Profile, StateDef, Tracker, UnlabelledSource

BUILTIN = ("ukraine", "syria")


def builtin_profiles() -> tuple[str, ...]:
    return BUILTIN


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _date_or_none(value: Any, source: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(source, f"conflict_start must be a date YYYY-MM-DD, not {value!r}") from None


def profile_from_dict(data: dict[str, Any], source: str = "<dict>") -> Profile:
    """Build and validate a Profile from parsed YAML."""
    try:
        actors = tuple(
            Actor(str(a["id"]), str(a.get("name", a["id"])), str(a.get("colour", "#888888")),
                  _tuple(a.get("aliases")), _tuple(a.get("drawn_with")))
            for a in data.get("actors", [])
        )
        states = tuple(
            StateDef(
                id=str(s["id"]), name=str(s.get("name", s["id"])), kind=s.get("kind", "actor"),
                colour=str(s.get("colour", "#bbbbbb")), actor=s.get("actor"),
                parties=_tuple(s.get("parties")), labels=_tuple(s.get("labels")),
                fills=_tuple(s.get("fills")), marks=_tuple(s.get("marks")),
            )
            for s in data.get("states", [])
        )
        coalitions = tuple(
            Coalition(str(c["id"]), str(c.get("name", c["id"])), _tuple(c.get("members")),
                      _tuple(c.get("aliases")), str(c.get("colour", "#888888")))
            for c in data.get("coalitions", [])
        )
        b = data.get("boundary") or {}
        boundary = BoundarySpec(
            country=str(b.get("country", "")), source=str(b.get("source", "natural-earth")),
            pov=str(b.get("pov", "deu")), note=str(b.get("note", "")),
        )
        profile = Profile(
            id=str(data["id"]), name=str(data.get("name", data["id"])), boundary=boundary,
            actors=actors, states=states, coalitions=coalitions,
            default_holder=data.get("default_holder"), priority=_tuple(data.get("priority")),
            date_properties=_tuple(data.get("date_properties")) or ("date", "as_of", "snapshot_date"),
            label_properties=_tuple(data.get("label_properties")),
            aliases=_tuple(data.get("aliases")), description=str(data.get("description", "")),
            unlabelled_sources=tuple(
                UnlabelledSource(str(u["match"]), str(u["state"]), str(u.get("name", "")))
                for u in data.get("unlabelled_sources") or []
            ),
            trackers=tuple(
                Tracker(str(t["id"]), str(t.get("name", t["id"])), _tuple(t.get("aliases")),
                        " ".join(str(t.get("convention", "")).split()), _tuple(t.get("sources")))
                for t in data.get("trackers", []) or []),
            eras=tuple(
                Era(str(e["id"]), str(e.get("name", e["id"])), dt.date.fromisoformat(str(e["start"])),
                    _tuple(e.get("before_states")))
                for e in data.get("eras", []) or []),
            conflict_start=_date_or_none(data.get("conflict_start"), source),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise InputError(source, f"not a valid whoholds profile ({exc!r} missing or malformed)") from None
    _validate(profile, source)
    return profile


def _validate(p: Profile, source: str) -> None:
    actor_ids = {a.id for a in p.actors}
    state_ids = [s.id for s in p.states]
    if len(set(state_ids)) != len(state_ids):
        raise InputError(source, "profile has duplicate state ids")
    for s in p.states:
        if s.kind not in ("actor", "contested", "mixed", "excluded"):
            raise InputError(source, f"state {s.id!r} has unknown kind {s.kind!r}")
        if s.kind == "actor" and s.actor not in actor_ids:
            raise InputError(source, f"state {s.id!r} names unknown actor {s.actor!r}")
        for rx in (*s.labels, *s.marks):
            try:
                re.compile(rx)
            except re.error as exc:
                raise InputError(source, f"state {s.id!r} has a bad pattern {rx!r}: {exc}") from None
    for a in p.actors:
        bad = [m for m in a.drawn_with if m not in actor_ids or m == a.id]
        if bad:
            raise InputError(source, f"actor {a.id!r}: drawn_with names unknown actors or itself {bad}")
    for c in p.coalitions:
        bad = [m for m in c.members if m not in actor_ids]
        if bad:
            raise InputError(source, f"coalition {c.id!r} names unknown actors {bad}")
    for u in p.unlabelled_sources:
        if u.state not in state_ids:
            raise InputError(source, f"unlabelled_sources: {u.state!r} is not a state of the profile")
        try:
            re.compile(u.match)
        except re.error as exc:
            raise InputError(source, f"unlabelled_sources: bad pattern {u.match!r}: {exc}") from None
    if p.default_holder is not None and p.default_holder not in state_ids:
        raise InputError(source, f"default_holder {p.default_holder!r} is not a state of the profile")
    if not p.boundary.country and p.boundary.source == "natural-earth":
        raise InputError(source, "profile boundary needs a country (ISO3 code) or a file source")


#: LibYAML's safe loader when PyYAML was built with it (the same data, ~10x faster than the pure-Python one).
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=32)
def load_profile(name_or_path: str) -> Profile:
    """A built-in profile by name ('ukraine', 'syria') or a YAML file path."""
    if name_or_path in BUILTIN:
        text = resources.files("whoholds.profiles").joinpath(f"{name_or_path}.yaml").read_text("utf-8")
        source = f"built-in profile {name_or_path}"
    else:
        path = Path(name_or_path)
        if not path.exists():
            raise InputError(name_or_path, f"no such profile (built-in profiles: {', '.join(BUILTIN)})")
        if path.is_dir():
            raise InputError(name_or_path, "is a folder, not a profile file")
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            raise InputError(name_or_path, "profile is not UTF-8 text") from None
        source = str(path)
    builtin = source.startswith("built-in")
    if builtin:  # ours, checked against the schema by a test: skip importing pydantic at every start
        data = yaml.load(text, Loader=FAST_SAFE_LOADER)  # noqa: S506 - a safe loader (LibYAML's when built)
    else:
        from .schema import parse_profile_yaml

        data = parse_profile_yaml(text, source)
    profile = profile_from_dict(data, source)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    object.__setattr__(profile, "source_hash", digest)
    if source.startswith("built-in") and profile.id != name_or_path:
        raise InputError(source, f"profile id {profile.id!r} does not match its name")
    return profile
