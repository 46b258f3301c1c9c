"""Conflict profiles: who the actors are and how map labels, fills and marks become states."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

StateKind = Literal["actor", "contested", "mixed", "excluded"]

#: Pseudo-state for land inside the boundary that no feature covers and no default holder claims.
UNASSIGNED = "unassigned"
#: Pseudo-state of marker estimates: land farther than the cap from any settlement marker.
UNINHABITED = "uninhabited"
PSEUDO_STATES = (UNASSIGNED, UNINHABITED)

_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u200b\ufeff"), None)


def normalise_label(text: object) -> str:
    """NFC, NBSP/newlines to spaces, invisible marks removed, whitespace collapsed, U+2011 to '-'."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text)).translate(_INVISIBLE)
    s = s.replace("\u2011", "-").replace("\xa0", " ")
    return re.sub(r"\s+", " ", s).strip()


_RGB = re.compile(r"rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,[^)]*)?\)")
_SHORT_HEX = re.compile(r"#?([0-9a-f])([0-9a-f])([0-9a-f])")


def normalise_fill(fill: object) -> str:
    """``#rrggbb`` of a fill colour given as ``#rrggbb[aa]``, ``rrggbb``, ``#rgb`` or CSS ``rgb()/rgba()``."""
    if not fill:
        return ""
    s = str(fill).strip().lower()
    if m := _RGB.fullmatch(s):
        return "#" + "".join(f"{min(int(v), 255):02x}" for v in m.groups())
    if m := _SHORT_HEX.fullmatch(s):
        return "#" + "".join(c * 2 for c in m.groups())
    if not s.startswith("#"):
        s = "#" + s
    return s[:7]


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    colour: str
    aliases: tuple[str, ...] = ()
    #: Actors whose places on the map usually stand for land this one holds with them (a foreign army beside
    #: local allies): this actor's own places are then not its zone of control.
    drawn_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class StateDef:
    """A value a map can give a place: held by an actor, contested, mixed, or excluded from the count."""

    id: str
    name: str
    kind: StateKind
    colour: str
    actor: str | None = None
    parties: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    fills: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Coalition:
    id: str
    name: str
    members: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    colour: str = "#888888"


@dataclass(frozen=True)
class BoundarySpec:
    """The denominator: a Natural Earth country (via the package) or a user file."""

    country: str
    source: str = "natural-earth"
    pov: str = "deu"
    note: str = ""


@dataclass(frozen=True)
class UnlabelledSource:
    """Files known to hold one unlabelled polygon layer of one state (e.g. DeepStateMap's daily
    occupied-area exports): a file or collection name matching ``match`` gets ``state`` for polygons with no
    label, fill or mark, without ``--unlabelled-state``."""

    match: str
    state: str
    name: str = ""


@dataclass(frozen=True)
class Tracker:
    """A publisher of control maps or figures (ISW, DeepStateMap, UK MoD...): how claims name it, what it
    counts, and the snapshot sources it made (regexes on the source path/URL) -- for source-aware verdicts."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    convention: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Era:
    """An event boundary a claim can name ("before the full-scale invasion"). ``before_states``: the states
    whose land represents the other side's holdings before ``start`` on a later map (e.g. "occupied since 2014")."""

    id: str
    name: str
    start: dt.date
    before_states: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    boundary: BoundarySpec
    actors: tuple[Actor, ...]
    states: tuple[StateDef, ...]
    coalitions: tuple[Coalition, ...] = ()
    default_holder: str | None = None
    priority: tuple[str, ...] = ()
    date_properties: tuple[str, ...] = ("date", "as_of", "snapshot_date")
    #: Feature properties (any case) that name the state, first non-empty wins; empty: the usual label keys
    #: (name, label, status...) and then every state-like property (``--state-field`` sets it per ingest).
    label_properties: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    description: str = ""
    unlabelled_sources: tuple[UnlabelledSource, ...] = ()
    #: First day a map of this conflict can show; earlier snapshot dates are refused at ingest.
    conflict_start: dt.date | None = None
    source_hash: str = field(default="", compare=False)
    trackers: tuple[Tracker, ...] = ()
    eras: tuple[Era, ...] = ()

    # ---- lookups -------------------------------------------------------------------------------------
    @cached_property
    def state_by_id(self) -> dict[str, StateDef]:
        return {s.id: s for s in self.states}

    @cached_property
    def actor_by_id(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    @cached_property
    def coalition_by_id(self) -> dict[str, Coalition]:
        return {c.id: c for c in self.coalitions}

    def state(self, state_id: str) -> StateDef:
        return self.state_by_id[state_id]

    @property
    def counted_states(self) -> tuple[StateDef, ...]:
        """States that count towards area (everything but excluded)."""
        return tuple(s for s in self.states if s.kind != "excluded")

    @cached_property
    def resolution_order(self) -> tuple[str, ...]:
        """State ids in overlap-resolution order: where features overlap, the earlier state wins.

        States named in ``priority`` come first; the rest follow in profile order; the default holder's
        own polygons always come last, since the holder already has every uncovered place.
        """
        rest = [s.id for s in self.counted_states if s.id not in self.priority]
        order = [s for s in self.priority if s in self.state_by_id] + rest
        if self.default_holder in order:
            order.remove(self.default_holder)
            order.append(self.default_holder)
        return tuple(order)

    def actor_of(self, state_id: str) -> str | None:
        """The single actor a state belongs to, or None for contested/mixed/unassigned states."""
        st = self.state_by_id.get(state_id)
        return st.actor if st is not None and st.kind == "actor" else None

    def coalition_of(self, actor_id: str) -> str | None:
        for c in self.coalitions:
            if actor_id in c.members:
                return c.id
        return None

    def group_of(self, state_id: str, by: str) -> str:
        """Row key of a state when figures are grouped ``by`` state, actor or coalition."""
        if by == "state" or state_id in PSEUDO_STATES:
            return state_id
        st = self.state_by_id[state_id]
        if st.kind == "actor" and st.actor:
            return st.actor if by == "actor" else (self.coalition_of(st.actor) or st.actor)
        if by == "coalition" and st.parties:
            groups = {self.coalition_of(p) or p for p in st.parties}
            if len(groups) == 1:
                return groups.pop()
        return st.id

    def colour_of(self, key: str) -> str:
        if key in self.actor_by_id:
            return self.actor_by_id[key].colour
        if key in self.coalition_by_id:
            return self.coalition_by_id[key].colour
        if key in self.state_by_id:
            return self.state_by_id[key].colour
        return "#dddddd"

    def display_name(self, key: str) -> str:
        for table in (self.actor_by_id, self.coalition_by_id, self.state_by_id):
            if key in table:
                return table[key].name
        return {UNASSIGNED: "Unassigned", UNINHABITED: "Uninhabited, unassigned"}.get(key, key)

    # ---- classification ------------------------------------------------------------------------------
    @cached_property
    def _label_rules(self) -> list[tuple[re.Pattern[str], str]]:
        return [(re.compile(p, re.IGNORECASE), s.id) for s in self.states for p in s.labels]

    @cached_property
    def _mark_rules(self) -> list[tuple[re.Pattern[str], str]]:
        return [(re.compile(p), s.id) for s in self.states for p in s.marks]

    @cached_property
    def _fill_rules(self) -> dict[str, str]:
        return {normalise_fill(f): s.id for s in self.states for f in s.fills}

    def classify(self, label: object = None, fill: object = None, mark: object = None) -> str | None:
        """State id for one feature: first a mark key, then the label, then the fill colour."""
        if mark:
            m = str(mark).strip()
            for rx, state in self._mark_rules:
                if rx.fullmatch(m):
                    return state
        text = normalise_label(label)
        if text:
            for rx, state in self._label_rules:
                if rx.search(text):
                    return state
        return self._fill_rules.get(normalise_fill(fill))

    # ---- natural-language aliases (claims) -------------------------------------------------------------
    def subject_aliases(self) -> dict[str, str]:
        """Lower-case alias -> actor or coalition id, longest aliases first."""
        table: dict[str, str] = {}
        for group in (*self.actors, *self.coalitions):
            for alias in (group.id, group.name, *group.aliases):
                table.setdefault(alias.lower(), group.id)
        return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))
