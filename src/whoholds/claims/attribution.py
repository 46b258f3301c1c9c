"""Who is speaking in each sentence of an article, and whose data the figure rests on.

The speaker is the person or body whose claim it is: an explicit attribution ("Mizintsev said", "said Colonel
General Mikhail Mizintsev", "according to ISW"), a pronoun or title that refers back ("he noted" → the last
named person, "it said" → the last named body, "the colonel general said", "by the agency's count" → the last
agency named), reported speech that goes on in the same paragraph, or the outlet itself (no speaker yet, a new
paragraph in the authorial voice: "it does not seem", "we").

The data source is kept apart: "according to a Reuters analysis of data from the think tank X" → speaker
Reuters, data source X; "X's figures show" → speaker and data source X; "based on X maps" (no analyst named)
→ the outlet's own reading of X's data. Every pattern is bounded (a name is at most `MAX_NAME_TOKENS` words),
so the cost stays linear in the text.
"""

from __future__ import annotations

import datetime as dt
import re

from . import attribution_frames as _frames
from . import dates as _dates
from .attribution_according import according_to
from .attribution_frames import counted_claims, document_owners, same_data_source, same_data_speaker, sources_in
from .attribution_model import Attribution, KnownSpeakers
from .attribution_names import (
    _STATE_KINDS,
    _clean_run,
    _person_or_org,
    blank_acronyms,
    blank_relative,
    cites_people,
    publishes_data,
    quoted_person,
    source_of,
)
from .attribution_patterns import (
    _ACCORDING,
    _ANALYSIS,
    _ANSWER,
    _ANY_CUE,
    _APPOSITION,
    _BACKGROUND,
    _BACKSHIFT,
    _BARE_SOURCES,
    _BY_COUNT,
    _BY_ITS_COUNT,
    _CLAIMANTS,
    _CLAUSE_END,
    _COMMON_ADJECTIVES,
    _CONTINUES,
    _COUNTED,
    _DATA_VERB,
    _GENERIC_KINDS,
    _GENERIC_RE,
    _HEADLINE_AFTER,
    _HEADLINE_BEFORE,
    _LABELS,
    _LEARNED_FROM,
    _LOWER_BODY,
    _NUMBERED_SOURCES,
    _ORG_HEAD,
    _OUR_DATA,
    _OWN_DATA,
    _PERSON_KINDS,
    _POSSESSIVE_BODY,
    _PRESENT_REPORT,
    _PRESENT_STATE,
    _PRONOUN,
    _QUOTED_AS,
    _ROLE_WORD,
    _RUN_BEFORE_VERB,
    _SPOKEN,
    _STATE_MEDIA,
    _TITLE_REF,
    _TITLE_WORD,
    _UNNAMED_PERSON,
    _VERB_ROLE_NAME,
    _VERB_THEN_RUN,
    AUTHORIAL,
)


class SpeakerTracker(KnownSpeakers):
    """Who is speaking, sentence by sentence (explicit, referred back, carried on, or the outlet)."""

    def __init__(self, outlet: str | None, ref_date: dt.date | None) -> None:
        self.outlet = outlet
        self.ref = ref_date
        self.current: Attribution | None = None
        KnownSpeakers.__init__(self, ref_date)
        self._new_paragraph = True
        self._carried = False  # the last sentence went on with the current speaker without naming them
        #: the last dated statement of this paragraph: (date, speaker, whether the speaker is a body)
        self._para_said_on: tuple[dt.date, str | None, bool] | None = None
        self._spoken = False  # the current speaker was reported speaking (not cited for data)
        self.cite_only = False  # the last explicit attribution was a bulletin's cite: not carried on
        self._answer: Attribution | None = None  # the interviewee, in a Q&A interview's answer
        self._last_source: str | None = None  # the data owner cited last, which "the same maps" refers to

    def new_paragraph(self, text: str = "") -> None:
        self._new_paragraph = True
        self._para_said_on = None
        # a Q&A interview's answer ("— About 200 square kilometres, according to our mapping."): the interviewee,
        # the last person named, speaks; "our" data are their body's
        self._answer = self._turn(text) if _ANSWER.match(text) else None

    def _turn(self, text: str) -> Attribution | None:
        """The interviewee when ``text`` opens an answer (a dialogue turn that asks nothing), else None."""
        return None if text.rstrip().endswith("?") else self._last(org=False)

    def explicit(self, sentence: str) -> Attribution | None:
        """The speaker the sentence names, with the data source when it names one; None when it names none."""
        headline = len(sentence) <= 160 and not re.search(r"[.!?\"”]\s*$", sentence)
        heads = [(h.start(1), h.group(1)) for rx in (_HEADLINE_AFTER, _HEADLINE_BEFORE) if headline
                 for h in [rx.search(sentence)] if h and h.group(1).split()[0].lower() not in _LABELS]
        if not _ANY_CUE.search(sentence) and not heads:
            return None
        said_on = self.said_on(sentence)
        source = self.data_source(sentence)
        sentence, acronyms = blank_acronyms(sentence)  # "(OCHA) said": the body before the brackets speaks
        # "Colonel X, who commands a brigade near Chasiv Yar, said", "the ministry, citing its own figures, said":
        # the clause is blanked (same length, so positions hold) and the name before it speaks
        blanked, clauses = blank_relative(sentence)
        candidates: list[tuple[int, Attribution]] = []

        def add(pos: int, run: str) -> None:
            tokens = _clean_run(run)
            if tokens and tokens[0].lower() in {"he", "she", "they", "it"}:
                return
            name, role = _person_or_org(tokens)
            if name:
                candidates.append((pos, self._resolve(name, role, said_on)))

        inside: list[tuple[int, int]] = []  # appositions: "X, the governor of Rif Dimashq, told" names X only
        for m in _APPOSITION.finditer(blanked):
            role = m.group(2).lower()
            if _ROLE_WORD.search(role):
                before = len(candidates)
                add(m.start(1), m.group(1))
                if len(candidates) > before:
                    inside.append((m.start(2), m.end()))
                    if _ORG_HEAD.search(role) and not _TITLE_WORD.search(role):  # "Oryx, an open-source project,"
                        candidates[-1][1].is_org = True
        def add_counter(pos: int, run: str) -> None:
            """ "by Mediazona's count", "Airwars' tally": a one-word name never met before that keeps a count is a
            body, with its own data (a person is named in full, or was named before)."""
            known, before = len(self.known), len(candidates)
            add(pos, run)
            new = candidates[-1][1] if len(candidates) > before and len(self.known) > known else None
            if new is not None and new.role is None and len((new.speaker or "").split()) == 1:
                new.is_org = True

        for m in _ANALYSIS.finditer(sentence):
            if m.group(1).lower() in ("our", "we") and self.outlet:  # "Our analysis of ISW maps": the outlet
                candidates.append((m.start(), Attribution(self.outlet, None, True, said_on, is_org=True)))
                continue
            add_counter(m.start(), m.group(1))
        cites = according_to(self, sentence, said_on, source, candidates, add, add_counter)
        source, same_at, cited_at, reading_at = cites.source, cites.same_at, cites.cited_at, cites.reading_at
        for m in _POSSESSIVE_BODY.finditer(blanked):
            candidates.append((m.start(), self._resolve(m.group(1), None, said_on)))
        for m in _LOWER_BODY.finditer(blanked):
            phrase = re.sub(r"\s+", " ", m.group(1))
            place = re.search(r"\s+in\s+\S+$", phrase)  # "the local council in Azaz": not Azaz speaking
            if place:
                inside.append((m.start(1) + place.start() + 1, m.end()))
            head = phrase[:place.start() if place else len(phrase)].split()[-1].lower()
            words = [w.lower() for w in phrase.split()[:-1] if not re.search(r"-(?:based|led|backed)$", w)]
            known = next((k for k in reversed(self.known) if k.is_org and k.speaker
                          and all(w in k.speaker.lower() for w in words)), None)
            if known is None and not any(w[0].isupper() for w in phrase.split()[:-1]):
                known = self._last(org=True, kind=head) if head in _GENERIC_KINDS else None
            att = known or self._resolve(phrase, None, said_on)
            person = head in ("source", "sources", "official", "officials", "diplomat", "diplomats")
            att.is_org = not person and (known is None or known.is_org)
            candidates.append((m.start(), Attribution(att.speaker, None, True, said_on or att.said_on,
                                                      is_org=att.is_org)))
        for m in _UNNAMED_PERSON.finditer(sentence):
            if m.group("indef") or m.group("mods").strip() or m.group("of") or m.group("poss"):
                att = self._resolve(re.sub(r"\s+", " ", m.group("who")), None, said_on)
                att.is_org = False
                candidates[:] = [c for c in candidates if c[0] != m.start()]  # "a spokeswoman for the ... said"
                candidates.append((m.start(), att))
                if m.group("body"):  # "an official in the X's office for displaced affairs": a later "the office"
                    self._resolve(re.sub(r"\s+", " ", m.group("body")), None, None).is_org = True
                inside.append((m.start("who") + 1, m.end()))  # not "the town's military administration" in it
        for pos, run in heads:  # a headline's attribution: "... - UN", "UN: ..."
            add(pos, run)
        for m in _VERB_ROLE_NAME.finditer(sentence):
            add(m.start(1), m.group(1))
        for m in _BARE_SOURCES.finditer(sentence):
            att = self._resolve(m.group(1), None, said_on)
            body = m.group(1).endswith(("police", "authorities", "prosecutors", "partners", "groups", "agencies"))
            candidates.append((m.start(1), Attribution(att.speaker, None, True, said_on, is_org=body)))
            if re.match(r"\W*(?:and|where|while|but)\b", m.group(0)) and re.search(r"\d", sentence[:m.start()]):
                # "40 shelters are full, and partners report that 60% ...": the clause before is someone else's
                before = self.current or Attribution(self.outlet, None, False, None, is_org=True)
                candidates.append((0, before))
        sources_in(sentence, said_on, candidates, inside)
        _frames.mission_people(sentence, said_on, candidates, self)  # "monitors heard": the mission
        for m in _NUMBERED_SOURCES.finditer(sentence):
            att = self._resolve(re.sub(r"\s+", " ", m.group(1)), None, said_on)
            candidates.append((m.start(), Attribution(att.speaker, None, True, said_on, is_org=False)))
            inside.append((m.start(1) + 1, m.end()))  # "sources in the General Staff": not the General Staff
        for m in _STATE_MEDIA.finditer(sentence):
            phrase = m.group(1)
            if phrase.split()[0].lower() in _COMMON_ADJECTIVES:  # "State television" opening a sentence
                phrase = phrase[0].lower() + phrase[1:]
            att = self._resolve(phrase, None, said_on)
            att.is_org = not phrase.endswith(("officials", "sources"))  # "local officials said": people
            candidates.append((m.start(), att))
            inside.append((m.end(1), m.end()))  # "Moscow-installed officials in Donetsk said": not Donetsk
        inside.extend(clauses)
        for m in _RUN_BEFORE_VERB.finditer(blanked):
            before = len(candidates)
            add(m.start(), m.group(1))
            if m.group("people") and len(candidates) > before:  # "Airwars researchers documented": a body
                candidates[-1][1].is_org = True
        for m in _VERB_THEN_RUN.finditer(sentence):
            if re.match(r"(?:told|tells|informed)\b", m.group(0)):
                continue  # "told Reuters": the audience, not the speaker
            # "..., said Colonel General X, head of ...": the name closes the clause. In "said Russian forces
            # had lost", "Russian" opens the reported clause and is not a speaker.
            if _CLAUSE_END.match(sentence, m.end(1)):
                add(m.start(), m.group(1))
        for m in _BY_COUNT.finditer(sentence):
            add_counter(m.start(), m.group(1))
        generic = [(m.start(), m.group(2).lower()) for m in _GENERIC_RE.finditer(blanked)]
        for m in _BY_ITS_COUNT.finditer(sentence):
            who = (m.group(1) or m.group(2)).lower()
            generic.append((m.start(), "its" if who in ("its", "their") else "person"))
        for pos, kind in generic:
            kind = re.sub(r"\s+", " ", kind)
            ref = (self._last(org=True) if kind == "its" else self._last(org=False) if kind == "person"
                   else self._last(org=False, kind=kind) if kind in _PERSON_KINDS
                   else self._last(org=True, kind=kind))
            if ref is None and self.outlet and kind in _GENERIC_KINDS \
                    and any(w in self.outlet.lower().split() for w in _GENERIC_KINDS[kind]):
                ref = Attribution(self.outlet, None, True, said_on, is_org=True)  # AFP's "by the agency's count"
            if ref is None and kind not in ("its", "person"):
                # "the agency estimated" after a body the kind list does not know: the body speaking; "the
                # military said" with no body before: that body, unnamed — not the outlet
                person = kind in _PERSON_KINDS
                ref = (self.current if self.current is not None and self.current.is_org != person
                       and self.current.speaker != self.outlet and kind not in _STATE_KINDS
                       else Attribution(kind, None, True, said_on, is_org=not person))
            if ref is not None:
                candidates.append((pos, Attribution(ref.speaker, ref.role, True, said_on or ref.said_on,
                                                    is_org=ref.is_org)))
        for m in _CLAIMANTS.finditer(sentence):  # a fact-check's "posts ... claim that": the posts speak
            candidates.append((m.start(1), Attribution(m.group(1).lower(), None, True, said_on)))
            inside.append((m.start(1) + 1, m.end()))  # "shared on Telegram and YouTube": not the platforms
        for m in _LEARNED_FROM.finditer(sentence):
            who = re.sub(r"\s+", " ", m.group("who"))
            candidates.append((m.start("who"), Attribution(who, None, True, said_on, is_org=False)))
        for m in _QUOTED_AS.finditer(sentence):
            at, who = quoted_person(m.group("who"))
            add(m.start("who") + at, who)
        candidates = [c for c in candidates if not any(a <= c[0] < b for a, b in inside)]
        for at, strict in same_at:
            who = same_data_speaker(at, candidates, self.current)
            if who is not None and (strict or not any(c[0] == at for c in candidates)):
                candidates[:] = [c for c in candidates if c[0] != at]
                source = source or (who.data_source if who is self.current else None)
                candidates.append((at, Attribution(who.speaker, who.role, True, said_on or who.said_on,
                                                   is_org=who.is_org)))
        if not candidates:
            if source is not None and _DATA_VERB.search(sentence):  # "Data compiled by IOM show": IOM's figures
                return Attribution(source, None, True, said_on, data_source=source, is_org=True)
            title = _TITLE_REF.search(sentence.lower()) if source is not None else None
            if title:  # "Citing data from KSE, the minister said": the official, with the data's owner
                return Attribution(re.sub(r"\s+", " ", title.group(1)), None, True, said_on, data_source=source)
            if source is not None:  # "based on ISW maps": the outlet's reading of someone's data
                return Attribution(self.outlet, None, False, said_on, data_source=source)
            return None

        def final(a: Attribution) -> Attribution:
            c = self.current  # "the news agency found" after its analysis of X's data: still X's data
            kept = c.data_source if c and c.speaker == a.speaker and not _OWN_DATA.search(sentence) else None
            data = source_of(a.speaker, a.is_org, source or kept, self.outlet, counted=bool(_COUNTED.search(sentence)),
                             people=cites_people(sentence))
            return Attribution(a.speaker, a.role, True, said_on or a.said_on, data_source=data, is_org=a.is_org)

        document_owners(sentence, candidates, self)  # "the UN's Humanitarian Needs Overview says": the UN
        ranked = sorted(candidates, key=lambda c: c[0])
        for at, acronym in acronyms:  # later "OCHA said" is the body named before the brackets
            named = [a for p, a in ranked if p < at and a.is_org and a.speaker]
            if named:
                self.aliases[acronym] = named[-1].speaker  # type: ignore[assignment]
        counter = counted_claims(sentence, ranked, self, said_on, source)  # "by an AP count of its statements"
        if counter is not None:
            return counter
        distinct = {a.speaker for _p, a in ranked}
        first = final(ranked[0][1])
        if first.speaker == self.outlet and first.data_source and len(distinct) == 1 and ranked[0][0] in reading_at:
            self.cite_only = True  # "according to maps from X": the outlet's reading covers its own sentence
        elif self.outlet and publishes_data(self.outlet) and len(distinct) == 1 and ranked[0][0] in cited_at \
                and first.speaker != self.outlet:
            # a bulletin's "according to local authorities": the bulletin speaks, the authorities own the data; the
            # cite covers its own sentence only
            self.cite_only = True
            return Attribution(self.outlet, None, True, first.said_on, data_source=first.speaker, is_org=True)
        if len(distinct) > 1:
            # an attribution after a comma closes the clause before it ("..., the government said") unless a
            # figure follows it ("..., Ukrainian officials put the number at fewer than 100")
            first.others = tuple((p, final(a), sentence[:p].rstrip().endswith(",")
                                  and not re.search(r"\d", _dates.mask_dates(sentence[p:])))
                                 for p, a in ranked)
        return first

    def dated(self, day: dt.date | None) -> None:
        """The current speaker spoke on ``day`` ("speaking ... the same day"): what they go on to say is of it too."""
        if (c := self.current) is not None and c.said_on is None and day is not None:
            self.current = Attribution(c.speaker, c.role, c.explicit, day, c.data_source, c.is_org)

    def attribute(self, sentence: str) -> Attribution:
        """Who speaks in ``sentence``, dated to the statement when the sentence says when it was made."""
        if _ANSWER.match(sentence):  # a new turn inside a paragraph
            self._answer = self._turn(sentence)
        att = same_data_source(sentence, self._attribute(sentence), self._last_source)  # "the same maps"
        self._last_source = att.data_source or self._last_source
        who = self._answer
        if who is not None and (not att.explicit or att.speaker == self.outlet):
            # "our monitoring": the interviewee's body's data, for the rest of the answer too
            data = who.role if _OUR_DATA.search(sentence) else who.data_source
            att = self._answer = Attribution(who.speaker, who.role, True, att.said_on, data_source=data)
        self.note_bodies(sentence)
        if att.said_on is None and _ANY_CUE.search(sentence):
            said = self.said_on(sentence)  # "the local council said on Friday": no name, still a date
            if said is not None:
                att = Attribution(att.speaker, att.role, att.explicit, said, att.data_source, att.is_org)
                c = self.current
                if att.explicit and c is not None and c.speaker == att.speaker and c.said_on is None:
                    # what the same speaker goes on to say is of that day too
                    self.current = Attribution(c.speaker, c.role, c.explicit, said, c.data_source, c.is_org)
        dated = self._para_said_on
        if att.said_on is None and att.explicit and dated is not None \
                and (dated[1] == att.speaker or (dated[2] and att.is_org and not _ACCORDING.search(sentence))) \
                and not _PRESENT_REPORT.search(sentence) and not _PRESENT_STATE.search(sentence):
            # "the agency estimates", "700 residents remain": stated as of the article
            # An undated statement of the same speaker, or of a body after a body's dated one ("the General Staff
            # said" after "the military said on Thursday"), is of that day — not a cite of another body's figures
            # ("according to the Red Crescent"); other undated words ("..., where
            # police said" after a governor's dated remark) are dated by the article.
            att = Attribution(att.speaker, att.role, att.explicit, dated[0], att.data_source, att.is_org)
        if att.said_on is not None:
            self._para_said_on = (att.said_on, att.speaker, att.is_org)
        return att

    def _attribute(self, sentence: str) -> Attribution:
        new_para, self._new_paragraph = self._new_paragraph, False
        carried, self._carried = self._carried, False
        self.cite_only = False
        att = self.explicit(sentence)
        if att is not None:
            if att.explicit:
                self.current = None if self.cite_only else att
                # words spoken ("said", a quote), not data cited ("according to X", "X's data show")
                self._spoken = bool(_SPOKEN.search(sentence)) and not _ACCORDING.search(sentence)
            return att
        low = sentence.lower()
        m = _PRONOUN.search(sentence)
        title = _TITLE_REF.search(low)
        if m is not None or title:
            pron = (m.group(1) or m.group(2)).lower() if m else ""
            ref = (self._last(org=False) if pron in ("he", "she") else self._last(org=True) if pron == "it"
                   else self.current)
            if ref is None and title is not None and m is None:
                # "the regional governor said" with nobody named before: that official, unnamed
                ref = Attribution(re.sub(r"\s+", " ", title.group(1)), None, True, None)
            if ref is not None:
                same = self.current is not None and self.current.speaker == ref.speaker
                base = self.current if (same and self.current is not None) else ref
                data = source_of(ref.speaker, ref.is_org, base.data_source, self.outlet)
                self.current = Attribution(ref.speaker, ref.role, True, base.said_on, data, ref.is_org)
                self._spoken = self._spoken or bool(_SPOKEN.search(sentence))  # "the governor said": words spoken
                self._carried = False
                return self.current
        if _BACKGROUND.search(sentence):  # "Before the war, the town had 18,000 inhabitants": the outlet's own
            return Attribution(self.outlet, None, False, None)
        if any(cue in f" {low}" for cue in AUTHORIAL):
            self.current = None
            return Attribution(self.outlet, None, False, None)
        # Reported speech goes on within a paragraph; into the next one only when it says so ("He added", a quote)
        # or the last paragraph already ran on in the speaker's name (a briefing retold point by point). A present-
        # tense statement of control after someone else's words is the outlet's background (its analysis goes on).
        present = (self.current is not None and self._spoken and self.current.speaker != self.outlet
                   and _PRESENT_STATE.search(sentence) is not None and not _BACKSHIFT.search(sentence)
                   and not _CONTINUES.match(sentence))
        # A data body's bulletin states each figure in its own voice: a body it reports does not run on unasked.
        bulletin = bool(self.outlet) and publishes_data(self.outlet or "") and not _CONTINUES.match(sentence)
        if self.current is not None and not present and not bulletin \
                and (not new_para or carried or _CONTINUES.match(sentence)):
            self._carried = True
            c = self.current
            return Attribution(c.speaker, c.role, False, c.said_on, c.data_source, c.is_org)
        self.current = None
        return Attribution(self.outlet, None, False, None)
