"""Who a sentence is about: the actors and coalitions it names (through the profile's natural-language
aliases), each with its role, and the holder implied by "occupied" when none is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..profiles import Profile


@dataclass(frozen=True)
class Mention:
    """An actor or coalition named in a sentence."""

    id: str
    kind: str  # "actor" | "coalition"
    text: str
    start: int
    end: int
    role: str  # "agent" | "loser" | "place"


def _alias_pattern(alias: str) -> re.Pattern[str]:
    # Acronyms (IS, SAA, SDF) only in capitals: "is" is a verb. The profile's alias table is lower-cased, so a
    # word of up to three letters is taken for an acronym ("Kyiv", "Daesh" are matched in any case).
    if alias.isupper() and len(alias) <= 5 or (alias.isalpha() and len(alias) <= 3):
        return re.compile(rf"(?<![\w-]){re.escape(alias.upper())}(?![\w-])")
    return re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", re.IGNORECASE)


def find_subjects(sentence: str, profile: Profile) -> list[Mention]:
    """Actors and coalitions named in ``sentence`` (longest alias wins), each with its role.

    A name right after "from" ("liberated from ISIS") is the loser; any other is an agent.
    """
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    coalitions = set(profile.coalition_by_id)
    table = dict(profile.subject_aliases())
    for alias, gid in table.items():
        for m in _alias_pattern(alias).finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            before = sentence[:m.start()].lower().split()[-3:]
            role = "loser" if before and (before[-1] == "from" or before[-2:] == ["hands", "of"]) else "agent"
            after = sentence[m.end():m.end() + 20].lower()
            if re.match(r"['’]s\s+(territory|land|soil|area|border|map)", after) or (
                    before and before[-1] == "of" and re.match(r"\s*(['’]s\b|[,.;]|$|is\b|are\b|has\b)", after)
                    and alias == profile.display_name(gid).lower()):
                role = "place"  # "of Ukraine's territory", "18% of Ukraine is occupied"
            kind = "coalition" if gid in coalitions and gid not in profile.actor_by_id else "actor"
            mentions.append(Mention(gid, kind, m.group(0), m.start(), m.end(), role))
            taken.append((m.start(), m.end()))
    if not mentions:
        for word, gid in _distinctive_words(profile).items():
            for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", sentence, re.IGNORECASE):
                before = sentence[:m.start()].lower().split()[-1:]
                role = "loser" if before == ["from"] else "agent"
                mentions.append(Mention(gid, "actor", m.group(0), m.start(), m.end(), role))
    return sorted(mentions, key=lambda mm: mm.start)


_GENERIC_WORDS = {"forces", "force", "army", "troops", "armed", "coalition", "front", "state", "local", "group",
                  "groups", "militia", "fighters", "defense", "defence", "backed", "led", "national", "free",
                  "united", "democratic", "allies", "allied"}


def _distinctive_words(profile: Profile) -> dict[str, str]:
    """Words (5+ letters) that name exactly one actor of the profile: "government" → gov in Syria."""
    owners: dict[str, set[str]] = {}
    for actor in profile.actors:
        for alias in (actor.name, *actor.aliases):
            for w in re.findall(r"[A-Za-z]+", alias):
                lw = w.lower()
                if len(lw) >= 5 and lw not in _GENERIC_WORDS:
                    owners.setdefault(lw, set()).add(actor.id)
    return {w: ids.pop() for w, ids in owners.items() if len(ids) == 1 and w != profile.id}


def implied_holder(sentence: str, profile: Profile) -> Mention | None:
    """"20% of Ukraine is occupied": the actor whose state a map would label "occupied"."""
    m = re.search(r"\b(occupied|under occupation)\b", sentence, re.IGNORECASE)
    if not m:
        return None
    state = profile.classify(label="occupied")
    actor = profile.actor_of(state) if state else None
    if actor is None:
        return None
    return Mention(actor, "actor", m.group(0), m.start(), m.end(), "agent")
