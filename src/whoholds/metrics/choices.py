"""The choices every figure command checks -- grouping, actors, dates and their order -- without importing
pandas or a geometry library (commands answered from the store's cache start in a fraction of a second)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..dates import parse_day
from ..errors import QueryError
from ..profiles import PSEUDO_STATES, Profile

BY_CHOICES = ("state", "actor", "coalition")


def check_by(by: str) -> str:
    if by not in BY_CHOICES:
        raise QueryError(f"--by {by}", f"unknown grouping; use one of: {', '.join(BY_CHOICES)}")
    return by


def resolve_actors(profile: Profile, names: Iterable[str] | None, by: str) -> list[str] | None:
    """Row keys for user-given actor/coalition/state names (aliases allowed); unknown names are an error."""
    if not names:
        return None
    aliases = profile.subject_aliases()
    known_states = set(profile.state_by_id) | set(PSEUDO_STATES)
    out: list[str] = []
    for raw in names:
        key = str(raw).strip()
        low = key.lower()
        hit = aliases.get(low) or (key if key in known_states else None)
        if hit is None:
            choices = sorted({a.id for a in profile.actors} | {c.id for c in profile.coalitions})
            raise QueryError(f"actor {raw!r}", f"unknown to profile {profile.id} (known: {', '.join(choices)})")
        if by == "coalition" and hit in profile.actor_by_id:
            hit = profile.coalition_of(hit) or hit
        elif by == "state" and hit in profile.actor_by_id:
            out.extend(s.id for s in profile.states if s.kind == "actor" and s.actor == hit)
            continue
        out.append(hit)
    return list(dict.fromkeys(out))


def parse_date(value: dt.date | str, what: str = "date") -> dt.date:
    return parse_day(value, what)


def check_order(d1: dt.date, d2: dt.date, names: tuple[str, str] = ("D1", "D2")) -> None:
    if d2 < d1:
        raise QueryError(
            f"{names[1]} {d2.isoformat()}", f"is before {names[0]} {d1.isoformat()}; give the earlier date first"
        )
