"""The "according to ..." frame of a sentence, used by `whoholds.claims.attribution.SpeakerTracker.explicit`:
whom the phrase names as the source of the figures (a body, a person, the outlet's own reading of someone's data,
the analyst of "data from X analysed by Y"), where it refers back ("according to the same figures"), and the data
owner it names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .attribution_model import Attribution
from .attribution_names import _LOWER_ACCORDING, _body_name, _owner_of_document, data_source_name
from .attribution_patterns import (
    _ACCORDING,
    _ANALYSED_BY,
    _BODY_AFTER,
    _DATA_MARK,
    _DATA_NOUN_FIRST,
    _GENERIC_KINDS,
    _ITS_OWN,
    _NAME_TOKEN,
    _OWN_OUTLET,
    _SAME_DATA,
)

if TYPE_CHECKING:
    from .attribution import SpeakerTracker


@dataclass
class Cites:
    source: str | None  # the data owner the sentence names
    same_at: list[tuple[int, bool]] = field(default_factory=list)  # "the same figures": (where, strictly anaphoric)
    cited_at: list[int] = field(default_factory=list)  # where "according to X" cites someone
    reading_at: list[int] = field(default_factory=list)  # where "according to maps from X" is the outlet's reading


def according_to(tracker: SpeakerTracker, sentence: str, said_on: dt.date | None, source: str | None,
                 candidates: list[tuple[int, Attribution]], add: Callable[[int, str], None],
                 add_counter: Callable[[int, str], None]) -> Cites:
    """Add the speakers the sentence's "according to" phrases name to ``candidates``; the cites found."""
    same_at: list[tuple[int, bool]] = []  # "according to the same figures": resolved once all speakers are found
    cited_at: list[int] = []  # where "according to X" cites a body (a bulletin's cite gives only the data)
    reading_at: list[int] = []  # where "according to maps from X" gives the outlet's reading
    for m in _ACCORDING.finditer(sentence):
        phrase = m.group(1)
        if _SAME_DATA.match(phrase):
            # "according to the same ministry figures": the speaker who cited them (earlier in this sentence,
            # else the current one), with their source
            # "the latest UN figures" may name their owner: read on, and refer back only when none is named
            same_at.append((m.start(), not phrase.lower().startswith("the latest")))
        cited_at.append(m.start())
        by = _ANALYSED_BY.search(phrase)
        if by:  # "according to data from ISW analysed by AFP": the analyst speaks, the data's owner is the source
            name = by.group(1)
            if tracker.outlet and name.split()[0] == tracker.outlet.split()[0]:
                name = tracker.outlet
            candidates.append((m.start(), Attribution(name, None, True, said_on, is_org=True)))
            # the owner is what the data phrase before "analysed by" names ("figures from the UN refugee agency")
            owner = re.search(r"\b(?:from|of|by)\s+(?:the\s+)?((?:\S+\s+){0,6}?\S+)\s*$", phrase[:by.start()])
            source = (owner.group(1) if owner else None) or data_source_name(phrase[:by.start()]) or source
            continue
        if tracker.outlet and _DATA_NOUN_FIRST.match(phrase):  # "according to maps from ISW": the outlet reads
            candidates.append((m.start(), Attribution(tracker.outlet, None, True, said_on, is_org=True)))
            source = source or data_source_name(phrase)
            reading_at.append(m.start())
            which = re.match(r",\s+(?:which|that)\b", sentence[m.end():]) if source else None
            if which:  # "maps from the DeepState project, which on Tuesday marked 8 sq km": the project marked it
                owner = tracker._resolve(source, None, said_on)
                candidates.append((m.end() + which.start(), Attribution(owner.speaker, None, True, said_on,
                                                                         is_org=True)))
            continue
        if _ITS_OWN.match(phrase):  # "according to its latest count": the body the sentence is about
            named = [c for c in candidates if c[0] < m.start() and c[1].is_org]
            run = re.match(rf"\s*(?:The\s+)?([A-Z][\w'’\-]*(?:\s+{_NAME_TOKEN}){{0,5}}?)(?=\s+(?:and|has|have|had|"
                           r"says|said|is|are|was|were|now|also|[a-z]+ed)\b)", sentence)
            if named:
                who = named[-1][1]
            elif run:
                who = tracker._resolve(run.group(1), None, said_on)
                who.is_org = True
            else:
                continue
            candidates.append((m.start(), Attribution(who.speaker, who.role, True, said_on, is_org=True)))
            continue
        mark = _DATA_MARK.search(phrase)
        analyst = phrase[:mark.start()] if mark else phrase
        if _OWN_OUTLET.search(analyst) and tracker.outlet:
            candidates.append((m.start(), Attribution(tracker.outlet, None, True, said_on, is_org=True)))
            continue
        caps = _owner_of_document(analyst) or _body_name(analyst)
        lower = _LOWER_ACCORDING.match(analyst)
        if lower and (caps is None or analyst.find(caps) > lower.end() or lower.group(1).startswith(caps)):
            # "according to the city military administration": a body named in lower case
            phrase = re.sub(r"\s+", " ", lower.group(1))
            phrase = re.sub(r"\s+(?:estimates|data|figures)$", "", phrase)  # "Ukrainian estimates": Ukrainian
            head = phrase.split()[-1].lower()
            known = tracker._last(org=True, kind=head) if head in _GENERIC_KINDS else None
            att = known or tracker._resolve(phrase, None, said_on)
            att.is_org = head not in ("officials", "sources")  # "according to regional officials": people
            candidates.append((m.start(), Attribution(att.speaker, None, True, said_on or att.said_on,
                                                      is_org=att.is_org)))
        elif caps:
            at = analyst.find(caps)
            base = caps[:-2] if caps.endswith(("'s", "’s")) else caps
            body = _BODY_AFTER.match(analyst, at + len(base)) if at >= 0 else None
            if body:  # "according to the UN's humanitarian office": the office, not the UN
                caps = analyst[at:body.end()]
            before = len(candidates)
            add_counter(m.start(), caps)  # "according to Oryx": a one-word name never met is a body
            if len(candidates) > before and (re.search(r"\b(?:data|figures|maps?|statistics|estimates|count|"
                                                       r"tally|survey)\b", analyst, re.I)
                                             or re.match(r"\s*the\s+[A-Z]", analyst)):
                # "according to Jusoor's control maps": a body with its data; "according to the Presidency of
                # Migration Management": a name with an article is a body (a person takes none)
                candidates[-1][1].is_org = True  # "according to Jusoor's control maps": a body with its data
        elif mark and tracker.outlet:  # "according to calculations based on X maps": the outlet's reading
            candidates.append((m.start(), Attribution(tracker.outlet, None, True, said_on, is_org=True)))
    return Cites(source, same_at, cited_at, reading_at)
