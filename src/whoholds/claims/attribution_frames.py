"""Attribution frames that govern a whole sentence or refer inside it, used by
`whoholds.claims.attribution.SpeakerTracker.explicit`:

- unnamed people of a body ("Sources in the General Staff told", "sources close to the Kremlin said"): the people
  speak, without data of their own; the body named in the phrase does not speak;
- "according to the same figures": the speaker named before it in the same sentence, else the current one;
- an outlet's count of a body's statements ("by an Associated Press count of its statements"): the counter speaks
  for the whole sentence, the body whose statements it counts owns the data.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from .attribution_model import Attribution
from .attribution_patterns import _COUNT_OF_CLAIMS, _SOURCES_IN

if TYPE_CHECKING:
    from .attribution_model import KnownSpeakers

Candidates = list[tuple[int, Attribution]]


def sources_in(sentence: str, said_on: dt.date | None, candidates: Candidates,
               inside: list[tuple[int, int]]) -> None:
    """Add "sources in <body>" speakers; the body inside the phrase is not a speaker."""
    if "ources " not in sentence and "fficials " not in sentence and "eople " not in sentence:
        return  # a substring test first: most sentences name no such people
    for m in _SOURCES_IN.finditer(sentence):
        phrase = re.sub(r"\s+", " ", m.group(1))
        phrase = phrase[0].lower() + phrase[1:]
        candidates.append((m.start(1), Attribution(phrase, None, True, said_on, is_org=False)))
        inside.append((m.start(1) + 1, m.end()))


def same_data_speaker(at: int, candidates: Candidates, current: Attribution | None) -> Attribution | None:
    """Who cited "the same figures" at ``at``: the nearest speaker before it in the sentence, else the current
    speaker (of an earlier sentence); None when nobody cited anything."""
    before = [c for c in candidates if c[0] < at]
    if before:
        return max(before, key=lambda c: c[0])[1]
    return current if current is not None and current.speaker else None


def _same_name(a: str, b: str) -> bool:
    """ "Associated Press" and "AP", "Reuters" and "Reuters": one outlet."""
    initials = "".join(w[0] for w in a.split() if w[:1].isupper())
    return a.split()[0] == b.split()[0] or initials == b or "".join(w[0] for w in b.split()) == a


def counted_claims(sentence: str, ranked: Candidates, known: KnownSpeakers, said_on: dt.date | None,
                   cited: str | None) -> Attribution | None:
    """The counter of "by an AP count of its statements", with the counted body as the data source ("statements by
    X": ``cited``, the sentence's named data owner; "host-government figures": nobody named); None when the
    sentence has no such frame."""
    m = _COUNT_OF_CLAIMS.search(sentence) if " of " in sentence else None
    if m is None:
        return None
    who = re.sub(r"\s+", " ", m.group("who")).strip()
    outlet = getattr(known, "outlet", None)
    if outlet and _same_name(who, outlet):
        who = outlet
    whose = (m.group("whose") or "").strip()
    owner: str | None = None
    if m.group("by"):
        owner = cited
    elif m.group("unnamed"):
        owner = None
    elif whose and whose.lower() not in ("its", "their", "his", "her"):
        owner = re.sub(r"^the\s+|['’]s$", "", whose)
        owner = known._resolve(owner, None, None).speaker if owner[:1].isupper() else owner
    else:
        bodies = [a for p, a in ranked if p < m.start() and a.speaker and a.speaker != who]
        owner = bodies[-1].speaker if bodies else None
    return Attribution(who, None, True, said_on, data_source=owner, is_org=True)
