"""Who speaks for one sentence: `Attribution` (speaker, role, statement date, data source, other speakers of the
same sentence), and `KnownSpeakers`, the speakers an article has named so far (a surname, a body's first word or
acronym, a generic "the agency" resolve to them). Used by `whoholds.claims.attribution.SpeakerTracker`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .attribution_names import _is_org, _person_or_org, data_source_name, statement_date
from .attribution_patterns import _ADJ_BODY_MENTION, _BODY_MENTION, _GENERIC_KINDS, _MEMBER_OF, _PERSON_MENTION


@dataclass
class Attribution:
    speaker: str | None
    role: str | None = None
    explicit: bool = False
    said_on: dt.date | None = None
    data_source: str | None = None
    is_org: bool = False
    #: Other speakers the same sentence names: (start, attribution, comes after its clause); see `for_position`.
    others: tuple[tuple[int, Attribution, bool], ...] = ()

    def for_position(self, pos: int) -> Attribution:
        """The speaker of a figure at ``pos`` when the sentence names several: the next attribution after it
        when that one closes the figure's clause ("6,000 returned, the government said", "..., according to
        UNHCR"), else the nearest one before it ("Bali said more than 5,000 ...")."""
        if not self.others:
            return self
        after = [c for c in self.others if c[0] > pos]
        if after and min(after, key=lambda c: c[0])[2]:
            return min(after, key=lambda c: c[0])[1]
        before = [c for c in self.others if c[0] <= pos]
        pick = max(before, key=lambda c: c[0]) if before else min(self.others, key=lambda c: c[0])
        return pick[1]


class KnownSpeakers:
    """The people and bodies named so far, most recent last, and the acronyms given for bodies."""

    def __init__(self, ref_date: dt.date | None = None) -> None:
        self.ref = ref_date  # the article's date, which "said on Tuesday" is resolved against
        self.known: list[Attribution] = []
        self.aliases: dict[str, str] = {}  # "OCHA" → "UN humanitarian office", from "... (OCHA) said"

    def _resolve(self, name: str, role: str | None, said_on: dt.date | None) -> Attribution:
        name = self.aliases.get(name, name)
        surname = name.split()[-1]
        for k in reversed(self.known):
            if k.speaker and (k.speaker == name or (len(name.split()) == 1 and k.speaker.split()[-1] == surname)
                              # "Jusoor" after "the Jusoor Center for Studies": a body by its first word
                              or (k.is_org and len(name.split()) == 1 and k.speaker.split()[0] == name)
                              or (k.is_org and name.isupper() and f"({name})" in (k.role or ""))):
                return Attribution(k.speaker, role or k.role, True, said_on or k.said_on, is_org=k.is_org)
        att = Attribution(name, role, True, said_on, is_org=_is_org(name.split()))
        self.known.append(att)
        return att

    def _last(self, *, org: bool | None = None, kind: str | None = None) -> Attribution | None:
        for k in reversed(self.known):
            if org is not None and k.is_org != org:
                continue
            if kind is not None:
                low = (k.speaker or "").lower()
                if not any(w in low.split() or (" " in w and w in low) or (len(w) > 4 and w in low)
                           for w in _GENERIC_KINDS.get(kind, (kind,))):
                    continue
            return k
        return None

    def note_bodies(self, sentence: str) -> None:
        """Remember a country's body named without a verb ("Russia's defence ministry gave no figure"), so that
        "the ministry" can refer to it later."""
        for rx, body in ((_BODY_MENTION, True), (_ADJ_BODY_MENTION, True), (_PERSON_MENTION, False)):
            for m in rx.finditer(sentence):  # and a person introduced by age or role ("Olena, 58, fled")
                name = m.group(1) if body else (_person_or_org(m.group(1).split())[0] or m.group(1))
                if not any(k.speaker == name for k in self.known):  # "General X Y, head of": X Y
                    # "Pasi Paroinen, an analyst with the Black Bird Group": the group is the person's body
                    of = None if body else _MEMBER_OF.match(sentence, m.end())
                    self.known.append(Attribution(name, of.group(1) if of else None, True, None, is_org=body))

    def said_on(self, sentence: str) -> dt.date | None:
        """The date of the statement: a weekday or date tied to the attribution ("said on Tuesday", "told
        reporters in Hmeimim on Thursday", "On Monday, the ministry said"), resolved against the article date.
        Other dates of the sentence ("since the fall of Assad on December 8") are what the figure is about."""
        return statement_date(sentence, self.ref)

    def data_source(self, sentence: str) -> str | None:
        name = data_source_name(sentence)
        return None if name is None else self._resolve(name, None, None).speaker
