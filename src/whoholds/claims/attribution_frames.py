"""Attribution frames that govern a whole sentence or refer inside it, used by
`whoholds.claims.attribution.SpeakerTracker.explicit`:

- unnamed people of a body ("Sources in the General Staff told", "sources close to the Kremlin said"): the people
  speak, without data of their own; the body named in the phrase does not speak;
- "according to the same figures": the speaker named before it in the same sentence, else the current one;
- an outlet's count of a body's statements ("by an Associated Press count of its statements"): the counter speaks
  for the whole sentence, the body whose statements it counts owns the data;
- a monitoring mission's people ("Near Avdiivka, monitors heard 300 explosions"): the mission;
- "according to the same maps" after the outlet's reading of X's maps: X's data still;
- a document's title as the subject ("the UN's Humanitarian Needs Overview says", "according to its Daily
  Report"): the body that owns the document speaks and owns the data.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from .attribution_model import Attribution
from .attribution_patterns import _COUNT_OF_CLAIMS, _ORG_WORDS, _SAME_DATA, _SOURCES_IN

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


def _is_body(name: str) -> bool:
    return bool({w.lower() for w in name.split()} & _ORG_WORDS)


def body_named(text: str) -> str | None:
    """The body named at the start of ``text``, in full: its capitalised words and the lower-case body words that
    complete it ("Ukrainian air force", "Russian Defence Ministry", "ISW"), never a bare adjective ("Ukrainian")."""
    m = re.match(r"\s*(?:the\s+)?((?:[A-Z][\w\-]*(?:['’]s)?\s+)*[A-Z][\w\-]*)((?:\s+[a-z\-]+){0,3})", text)
    if m is None:
        return None
    tail = m.group(2).split()
    keep = max((i + 1 for i, w in enumerate(tail) if w in _ORG_WORDS), default=0)
    name = " ".join([m.group(1), *tail[:keep]])
    if not keep and re.fullmatch(r"[A-Z][a-z]+(?:ian|ish|ese|an|i)", name):
        return None  # an adjective with no body after it
    return name


def counted_claims(sentence: str, ranked: Candidates, known: KnownSpeakers, said_on: dt.date | None,
                   cited: str | None) -> Attribution | None:
    """The counter of "by an AP count of its statements", with the counted body as the data source ("statements by
    X": ``cited``, the sentence's named data owner; "host-government figures": nobody named); None when the
    sentence has no such frame."""
    m = _COUNT_OF_CLAIMS.search(sentence) if " of " in sentence else None
    if m is None:
        return None
    who = re.sub(r"['’]s$", "", re.sub(r"\s+", " ", m.group("who")).strip())  # "AFP's tally": AFP
    outlet = getattr(known, "outlet", None)
    if outlet and _same_name(who, outlet):
        who = outlet
    whose = (m.group("whose") or "").strip()
    owner: str | None = None
    if m.group("by"):
        owner = body_named(sentence[m.end():]) or cited  # "reports by the Ukrainian air force": its full name
    elif m.group("unnamed"):
        owner = None
    elif whose and whose.lower() not in ("its", "their", "his", "her"):
        owner = re.sub(r"^the\s+|['’]s$", "", whose)
        if owner[:1].isupper():
            owner = known._resolve(owner, None, None).speaker
        else:  # "the ministry's statements": the ministry named in full before
            named = known._last(org=True, kind=owner.split()[-1])
            owner = named.speaker if named is not None and named.speaker else owner
    elif m.group("body"):
        owner = body_named(m.group("body"))
    else:
        bodies = [a for p, a in ranked if p < m.start() and a.speaker and a.speaker != who]
        owner = bodies[-1].speaker if bodies else None
    return Attribution(who, None, True, said_on, data_source=owner, is_org=True)


#: The last word of a document's title ("Humanitarian Needs Overview", "Daily Report 55/2017", "Regional Response
#: Plan"): a document does not speak, its owner does.
_DOCUMENT_TITLE = re.compile(r"(?:Report|Reports|Overview|Plan|Survey|Assessment|Bulletin|Update|Snapshot|Brief|"
                             r"Factsheet|Appeal|Sitrep|Dashboard)(?:\s+(?:for|on|of)\s+[A-Z][\w\-]*)?$")


def document_owners(sentence: str, candidates: Candidates, known: KnownSpeakers) -> None:
    """Replace a document named as a speaker by its owner: "X's <Title>" → X; "its <Title>" → the body named
    before it in the sentence, else the last body named; a title with no owner named is left as it is."""
    for n, (pos, att) in enumerate(candidates):
        name = att.speaker or ""
        if not _DOCUMENT_TITLE.search(name):
            continue
        at = sentence.find(name)
        if at < 0:
            continue
        inner = re.match(r"(.+?)['’]s\s+(?:\d{4}\s+)?[A-Z]", name)  # "OCHA's Humanitarian Response Plan for Syria"
        if inner:
            at, name = at + len(inner.group(1)) + 3, name[len(inner.group(1)) + 3:]
        before = sentence[:at]
        owner: Attribution | None = None
        poss = re.search(r"\b((?:[A-Z][\w&.\-]*\s+){0,4}?[A-Z][\w&.\-]*)['’]s?\s+(?:(?:latest|new|annual|daily|"
                         r"weekly|monthly|\d{4})\s+)*$", before)
        if poss:
            owner = known._resolve(re.sub(r"^The\s+", "", poss.group(1)), None, att.said_on)
        elif re.search(r"\b(?:its|their)\s+(?:(?:latest|new|annual|daily|weekly|monthly|\d{4})\s+)*$", before):
            bodies = [a for p, a in candidates if p < pos and a.is_org and a is not att]
            bodies = bodies or [a for p, a in candidates if a.is_org and a is not att]
            subject = body_named(re.sub(r"^\s*The\s+", "", sentence))  # "The SMM logged 430 ..., according to its"
            if not bodies and subject and _is_body(subject):
                bodies = [known._resolve(subject, None, att.said_on)]
            owner = bodies[-1] if bodies else known._last(org=True)
        if owner is not None and owner.speaker:
            candidates[n] = (pos, Attribution(owner.speaker, owner.role, True, att.said_on or owner.said_on,
                                              is_org=True))


_SAME_DATA_CITED = re.compile(r"\b(?:according\s+to|on|by|from)\s+(" + _SAME_DATA.pattern.lstrip("^") + ")",
                              re.IGNORECASE)


def same_data_source(sentence: str, att: Attribution, last_source: str | None) -> Attribution:
    """ "according to the same maps" with no owner found in the sentence: the data source cited last."""
    if att.data_source is not None or last_source is None or not _SAME_DATA_CITED.search(sentence):
        return att
    return Attribution(att.speaker, att.role, att.explicit, att.said_on, last_source, att.is_org)


#: A monitoring mission's people as the subject, unnamed: "monitors heard", "SMM observers also saw".
_MISSION_PEOPLE = re.compile(r"(?:^|[,;]\s+|\b(?:the|its)\s+|\b(?P<acronym>[A-Z]{2,})\s+)(?:monitors|observers)\s+"
                             r"(?:also\s+)?(?:heard|recorded|counted|observed|saw|documented|noted|spotted)\b")
_MISSION = re.compile(r"(?i)\b(?:mission|monitors?|observers?|SMM|OSCE)\b")


def mission_people(sentence: str, said_on: dt.date | None, candidates: Candidates, known: KnownSpeakers) -> None:
    """Add the monitoring mission named last as the speaker of its monitors' observations."""
    m = _MISSION_PEOPLE.search(sentence)
    if m is None:
        return
    body = next((k for k in reversed(known.known) if k.is_org and k.speaker and _MISSION.search(k.speaker)), None)
    acronym = m.group("acronym")
    if body is not None and acronym and acronym not in (body.speaker or "").split() \
            and acronym != "".join(w[0] for w in (body.speaker or "").split() if w[:1].isupper()):
        return  # "UN monitors" are not the OSCE mission's
    if body is not None:
        candidates.append((m.start(), Attribution(body.speaker, None, True, said_on, is_org=True)))
