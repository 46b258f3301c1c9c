"""Who is speaking in each sentence of an article: an explicit attribution ("Mizintsev said", "according to
ISW"), a pronoun or title that refers back ("he noted", "the colonel general said"), reported speech that goes
on without a new attribution, or the outlet itself (no speaker yet, or the authorial voice: "it does not
seem", "we").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import dates as _dates

_VERBS = (
    "said", "says", "say", "noted", "notes", "revealed", "reveals", "stated", "states", "told", "tells",
    "announced", "announces", "claimed", "claims", "reported", "reports", "added", "adds", "commented",
    "comments", "estimated", "estimates", "wrote", "writes", "assessed", "assesses", "explained", "explains",
    "emphasized", "emphasised", "stressed", "confirmed", "confirms", "declared", "declares", "insisted",
    "asserted", "asserts", "concluded", "mentioned", "informed", "specified", "indicated", "argued", "argues",
    "observed", "calculated", "calculates", "boasted", "acknowledged", "admitted", "posted",
)
_VERB_RE = "|".join(_VERBS)
_TITLES = (
    "colonel general", "lieutenant general", "major general", "lieutenant colonel", "general", "colonel",
    "lieutenant", "major", "captain", "minister", "spokesman", "spokeswoman", "spokesperson", "president",
    "head", "director", "commander", "commander-in-chief", "chief", "deputy", "ambassador", "governor",
    "mayor", "analyst", "secretary", "envoy", "adviser", "advisor", "lt", "gen", "col", "maj", "mr", "ms",
    "mrs", "dr", "prof", "premier", "chairman",
)
_ORG_WORDS = {"staff", "ministry", "office", "institute", "center", "centre", "agency", "observatory",
              "command", "council", "service", "war", "forces", "army", "government", "kremlin", "mod",
              "committee", "network", "group", "studies", "press", "news", "times", "post", "reuters", "afp",
              "isw", "sohr", "bbc", "ap", "tass", "ria", "department", "administration", "headquarters"}
_LEADING_NOISE = {"the", "on", "in", "during", "besides", "also", "and", "but", "however", "meanwhile",
                  "earlier", "later", "today", "yesterday", "monday", "tuesday", "wednesday", "thursday",
                  "friday", "saturday", "sunday", "this", "that", "it", "an", "a", "as", "at", "by", "when"}
_NAME_TOKEN = r"(?:[A-Z][\w'’.\-]*|al-[\w\-]+|of|the|for|and|de|von|van|bin)"
_RUN_BEFORE_VERB = re.compile(rf"({_NAME_TOKEN}(?:\s+{_NAME_TOKEN})*)\s+(?:also\s+|further\s+|later\s+|"
                              rf"has\s+|had\s+|have\s+)?(?:{_VERB_RE})\b")
_VERB_THEN_RUN = re.compile(rf"(?:{_VERB_RE})\s+((?:the\s+)?[A-Z][\w'’.\-]*(?:\s+{_NAME_TOKEN})*)")
_ACCORDING = re.compile(r"\baccording to\s+([^,;:()]+)", re.IGNORECASE)
_PRONOUN = re.compile(rf"\b(he|she|they)\s+(?:also\s+|further\s+|later\s+)?(?:{_VERB_RE})\b", re.IGNORECASE)
_TITLE_REF = re.compile(r"\bthe\s+((?:[a-z\-]+\s+){0,2}?(?:" + "|".join(_TITLES) + r"))\b(?=[^.]*\b(?:"
                        + _VERB_RE + r")\b)")
#: The outlet speaking in its own voice.
AUTHORIAL = ("it does not seem", "it doesn't seem", "it seems", "it appears", "it does not appear",
             "in our view", "we ", "our ", "taking into account", "it is clear that", "it is unclear",
             "it remains unclear", "this is not", "obviously", "in reality", "in fact,")


@dataclass
class Attribution:
    speaker: str | None
    role: str | None = None
    explicit: bool = False
    said_on: dt.date | None = None


def _clean_run(run: str) -> list[str]:
    tokens = [t.rstrip(".,;:") if not re.fullmatch(r"(?:[A-Z]\.)+", t) else t
              for t in run.replace("(", " ").replace(")", " ").split()]
    tokens = [t for t in tokens if t]
    while tokens and (tokens[0].lower() in _LEADING_NOISE or not tokens[0][0].isupper()):
        tokens.pop(0)
    while tokens and tokens[-1].lower() in {"of", "the", "for", "and", "de"}:
        tokens.pop()
    return tokens


def _person_or_org(tokens: list[str]) -> tuple[str | None, str | None]:
    """(speaker, role) from a capitalised run: titles split off a person's name; organisations kept whole."""
    if not tokens:
        return None, None
    last = tokens[-1].lower().strip(".,")
    if last in _ORG_WORDS or tokens[-1].isupper():
        return " ".join(tokens), None
    low = [t.lower().strip(".,") for t in tokens]
    cut = -1
    for i in range(len(low)):
        two = " ".join(low[i:i + 2])
        if two in _TITLES:
            cut = max(cut, i + 1)
        elif low[i] in _TITLES:
            cut = max(cut, i)
    if cut >= 0 and cut < len(tokens) - 1:
        return " ".join(tokens[cut + 1:]), " ".join(tokens[:cut + 1])
    return " ".join(tokens), None


class SpeakerTracker:
    """Who is speaking, sentence by sentence (explicit, referred back, carried on, or the outlet)."""

    def __init__(self, outlet: str | None, ref_date: dt.date | None) -> None:
        self.outlet = outlet
        self.ref = ref_date
        self.current: Attribution | None = None
        self.known: list[Attribution] = []

    def _resolve(self, name: str, role: str | None, said_on: dt.date | None) -> Attribution:
        surname = name.split()[-1]
        for k in reversed(self.known):
            if k.speaker and (k.speaker == name or (len(name.split()) == 1 and k.speaker.split()[-1] == surname)):
                return Attribution(k.speaker, role or k.role, True, said_on or k.said_on)
        att = Attribution(name, role, True, said_on)
        self.known.append(att)
        return att

    def explicit(self, sentence: str) -> Attribution | None:
        said_on = _dates.resolve(sentence, self.ref).said_on
        candidates: list[tuple[int, str | None, str | None]] = []
        for m in _ACCORDING.finditer(sentence):
            caps = re.search(r"[A-Z][\w'’.\-]*(?:\s+" + _NAME_TOKEN + r")*", m.group(1))
            tokens = _clean_run(caps.group(0)) if caps else []
            name, role = _person_or_org(tokens)
            if name:
                candidates.append((m.start(), name, role))
        for m in _RUN_BEFORE_VERB.finditer(sentence):
            tokens = _clean_run(m.group(1))
            if tokens and tokens[0].lower() not in {"he", "she", "they", "it"}:
                name, role = _person_or_org(tokens)
                if name:
                    candidates.append((m.start(), name, role))
        for m in _VERB_THEN_RUN.finditer(sentence):
            tokens = _clean_run(m.group(1))
            name, role = _person_or_org(tokens)
            if name:
                candidates.append((m.start(), name, role))
        if not candidates:
            return None
        _pos, name, role = min(candidates, key=lambda c: c[0])
        return self._resolve(name, role, said_on) if name else None

    def attribute(self, sentence: str) -> Attribution:
        att = self.explicit(sentence)
        if att is not None:
            self.current = att
            return att
        low = sentence.lower()
        if self.current is not None and (_PRONOUN.search(sentence) or _TITLE_REF.search(low)):
            return Attribution(self.current.speaker, self.current.role, True, self.current.said_on)
        if any(cue in f" {low}" for cue in AUTHORIAL):
            self.current = None
            return Attribution(self.outlet, None, False, None)
        if self.current is not None:
            return Attribution(self.current.speaker, self.current.role, False, self.current.said_on)
        return Attribution(self.outlet, None, False, None)
