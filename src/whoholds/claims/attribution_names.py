"""Names in attribution: a capitalised run cleaned to a person's name (its title split off as the role) or a
body's name, whether it is a body, and the lower-case bodies news English names ("the city military
administration"). Used by `whoholds.claims.attribution`.
"""

from __future__ import annotations

import datetime as dt
import re

from . import dates as _dates
from .attribution_patterns import (
    _ACRONYM_BEFORE_VERB,
    _BODY_AFTER,
    _BODY_AFTER_ADJ,
    _CAPITALS,
    _CITING,
    _DATA_FROM,
    _DATA_OF,
    _DATA_SHOW,
    _DID_AND_FOUND,
    _LAST_WEEKDAY,
    _LEADING_NOISE,
    _NAME_TOKEN,
    _NOT_BUT,
    _ON_SAID,
    _ORG_WORDS,
    _PUBLISHED_ON,
    _RELATIVE,
    _SAID_ON,
    _SAID_WEEKDAY,
    _THAN_CLAIMS,
    _TITLES,
    _VERB_RE,
    _WEEKDAY_NUM,
    MAX_NAME_TOKENS,
)

#: "according to the city military administration": a body in lower case (at least one word before its noun).
_LOWER_ACCORDING = re.compile(r"(?:the\s+)?((?:[a-z\-]+\s+){0,3}(?:governorate|municipality|prefecture)|"
                              r"(?:[a-z\-]+\s+){1,3}(?:administration|ministry|council|committee|"
                              r"authorities|command|office|agency|headquarters|department|directorate|service|"
                              r"police|prosecutors?|government|military|army|force|navy|guard|officials|sources)|"
                              r"[A-Z][a-z]+(?:ian|ish|ese|an|i)\s+"
                              r"(?:[a-z\-]+\s+){0,2}(?:intelligence|officials|sources|authorities|military|"
                              r"government|estimates|data|figures))\b")


def _clean_run(run: str) -> list[str]:
    tokens = [t.rstrip(".,;:") if not re.fullmatch(r"(?:[A-Z]\.)+", t) else t
              for t in run.replace("(", " ").replace(")", " ").split()]
    tokens = [t for t in tokens if t]
    while tokens and (tokens[0].lower() in _LEADING_NOISE
                      or not (tokens[0][0].isupper() or re.fullmatch(r"\d{1,3}(?:st|nd|rd|th)", tokens[0]))
                      or re.search(r"-(?:based|led|backed|run|installed|appointed|held)$", tokens[0])):
        tokens.pop(0)
    while tokens and tokens[-1].lower() in {"of", "the", "for", "and", "de", "on"}:
        tokens.pop()
    if tokens and len(tokens[-1]) > 2:  # "the Kyiv Independent's count": the name, not its possessive
        tokens[-1] = tokens[-1].removesuffix("'s").removesuffix("’s")
        if re.search(r"s['’]$", tokens[-1]):  # "By Reuters' count"
            tokens[-1] = tokens[-1][:-1]
    return tokens


_NOT_NAMES = frozenset({"january", "february", "march", "april", "june", "july", "august", "september", "october",
                        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                        "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                        "sunday", "today", "yesterday"})


#: Military units: "Ukraine's 47th Mechanized Brigade" is one name, not a person of Ukraine.
_UNIT_WORDS = frozenset({"brigade", "battalion", "regiment", "corps", "division", "unit", "intelligence", "fleet",
                         "company", "detachment", "squadron"})


#: Words that tie a title to the body it belongs to: "Chief of the General Staff", "spokesman for the army".
_ROLE_LINKS = frozenset({"of", "for", "the", "at"})


#: Titles that name an office-holder with the place or body they serve: "Governor of Homs", "Head of the Donetsk
#: Regional Military Administration" — a person, not the body in the title.
_OFFICE_HOLDERS = frozenset({"head", "governor", "mayor", "chief", "director", "commander", "minister", "spokesman",
                             "spokeswoman", "spokesperson", "deputy", "secretary", "chairman", "chairwoman",
                             "president", "representative", "ambassador", "envoy", "member", "prosecutor", "ombudsman"})


def _is_org(tokens: list[str]) -> bool:
    if len(tokens) > 1 and tokens[0].lower() in _OFFICE_HOLDERS and tokens[1].lower() in ("of", "for"):
        return False
    low = {t.lower().strip(".,").removesuffix("'s").removesuffix("’s") for t in tokens}
    if len(tokens) == 1 and tokens[0].lower() in _CAPITALS:  # "Moscow says": the government
        return True
    if len(tokens) >= 3 and "the" in tokens[1:-1] and tokens[0][:1].isupper():
        return True  # "Save the Children": a person's name has no article inside
    return bool(low & _ORG_WORDS) or (len(tokens) == 1 and tokens[0].isupper() and len(tokens[0]) > 1)


def _person_or_org(tokens: list[str]) -> tuple[str | None, str | None]:
    """(speaker, role) from a capitalised run: titles split off a person's name; organisations kept whole."""
    if not tokens or (len(tokens) == 1 and tokens[0].lower().rstrip(".") in _NOT_NAMES):
        return None, None  # "in the first week of March, said X": a month is not a speaker
    last = tokens[-1].lower().strip(".,")
    if last in _ORG_WORDS or tokens[-1].isupper():
        return " ".join(tokens), None
    if 3 <= len(tokens) <= 5 and re.search(r"['’]s$", tokens[0]) and not _is_org(tokens[1:]) \
            and all(t[:1].isupper() for t in tokens[1:]) and last not in _UNIT_WORDS:
        name, role = _person_or_org(tokens[1:])  # "OCHA's Mark Cutts": Mark Cutts, of OCHA
        return name, " ".join(x for x in (tokens[0][:-2], role) if x)
    low = [t.lower().strip(".,") for t in tokens]
    cut = -1
    for i in range(len(low)):
        two = " ".join(low[i:i + 2])
        if two in _TITLES:
            cut = max(cut, i + 1)
        elif low[i] in _TITLES:
            cut = max(cut, i)
    if 0 <= cut < len(tokens) - 1 and low[cut + 1] in _ROLE_LINKS | _ORG_WORDS | _UNIT_WORDS:
        # "Chief of the General Staff Valery Gerasimov", "Commander of the Ground Forces Oleg Salyukov": the
        # body in the title runs to its last body word; the name follows it
        body = [i for i in range(cut + 1, len(tokens) - 1) if low[i] in _ORG_WORDS | _UNIT_WORDS]
        cut = body[-1] if body else max(cut, len(tokens) - 3)
    if cut >= 0 and cut < len(tokens) - 1:
        if low[0] in _OFFICE_HOLDERS and low[1] in ("of", "for") and (low[cut + 1] in ("of", "for")
                                                                         or len(tokens) <= 4):
            # "Governor of Homs", "Governor of Damascus Countryside": the office-holder, unnamed (a place and a
            # person's name after "of" take at least three words: "Mayor of Kharkiv Ihor Terekhov")
            return " ".join(tokens), None
        if low[cut + 1] in _ROLE_LINKS and _is_org(tokens):
            # "General Staff of the Armed Forces of Ukraine": a name never opens with "of"; the run is a body
            return " ".join(tokens), None
        return " ".join(tokens[cut + 1:]), " ".join(tokens[:cut + 1])
    if cut == len(tokens) - 1:
        return None, None  # only a title ("the General"): a reference back, not a name
    return " ".join(tokens), None


def _name(run: str) -> str | None:
    tokens = _clean_run(run)
    if tokens and tokens[0].lower() in {"he", "she", "they", "it"}:
        return None
    name, _role = _person_or_org(tokens)
    return name


def _body_name(text: str) -> str | None:
    """The name of a body in a phrase: its first capitalised run, or a later one when the first only describes
    it ("the Ukrainian monitoring project DeepState" → DeepState, "US-based Institute for ..." → Institute...)."""
    head = re.split(r"[,;:()]|\s[-–—]\s", text, maxsplit=1)[0]
    runs = [m.group(0) for m in re.finditer(rf"[A-Z][\w'’.\-]*(?:\s+{_NAME_TOKEN}){{0,{MAX_NAME_TOKENS}}}", head)]
    runs = [r for r in runs if _clean_run(r)]
    if not runs:
        return None
    first = _clean_run(runs[0])
    at = head.find(runs[0]) + len(runs[0])
    body = re.match(r"(?:\s+[a-z\-]+){0,2}?\s+(?:agency|office|mission|ministry|council|command|service|"
                    r"programme|program|fund)\b", head[at:])
    if body:  # "the UN refugee agency show 1.2 million Syrians": the agency, not the Syrians
        return runs[0] + head[at:at + body.end()]
    if len(runs) > 1 and len(first) == 1 and re.search(r"(?:ian|ish|ese|ean|an|i|US|UN|EU)$", first[0]):
        return runs[1]
    return runs[0]


#: Generic names of a kind of state body: "the military said" never refers back to a broadcaster or an agency.
_STATE_KINDS = frozenset({"military", "army", "ministry", "government", "command", "authorities", "general staff",
                          "defence ministry", "defense ministry", "air force", "navy", "border guard",
                          "national guard", "police"})


#: "the latest round of IOM's General Population Survey", "UNHCR's Global Trends report": the body whose document
#: it is, not the document's title (a body between the two, "Ukraine's General Staff report", is left alone).
_DOCUMENT_OWNER = re.compile(
    r"\b((?:[A-Z][\w&.\-]*\s+){0,4}?[A-Z][\w&.\-]*)['’]s?\s+((?:[\w\-]+\s+){0,4}?)(?i:report|survey|data|"
    r"figures|maps?|count|tally|assessment|estimates?|bulletin|update|analysis|statistics|monitoring|tracker|"
    r"dashboard|review|study|index|database|records?|monitor|brief|briefing|snapshot|overview|factsheet|"
    r"sitrep|plan|appeal)\b")  # the noun in any case: "Global Trends Report"
_BODY_WORDS = re.compile(r"\b(?:Staff|Ministry|Office|Agency|Service|Command|Council|Forces|Army|Directorate|"
                         r"Administration|Department|Committee|Commission|Centre|Center|Institute|Observatory)\b")


def _owner_of_document(phrase: str) -> str | None:
    m = _DOCUMENT_OWNER.search(phrase)
    if m is None or _BODY_WORDS.search(m.group(2)) or not re.search(r"['’]", phrase[m.end(1):m.end(1) + 1]):
        return None
    return m.group(1)


def data_source_name(sentence: str) -> str | None:
    """The body whose data the sentence cites ("data from ISW", "DeepState maps show"), as written."""
    for rx in (_DATA_FROM, _DATA_OF, _DATA_SHOW):
        m = rx.search(sentence)
        if m and rx is _DATA_OF and m.group(0).startswith("of") and re.search(r"[A-Z][\w'’\-]*\s+$",
                                                                             sentence[:m.start()]):
            continue  # "the Kyiv School of Economics estimates": "of" inside a name, not "an analysis of X data"
        if m:
            window = sentence[m.start(1):m.start(1) + 120]
            name = _name(_owner_of_document(window) or _body_name(window) or m.group(1))
            if name:
                after = sentence.find(name, m.start(1))
                body = _BODY_AFTER.match(sentence, after + len(name)) if after >= 0 else None
                if body is None and after >= 0 and re.fullmatch(r"[A-Z][a-z]+(?:ian|ish|ese|an|i)", name):
                    # "figures from the Syrian interior ministry": the ministry, not the adjective
                    body = _BODY_AFTER_ADJ.match(sentence, after + len(name))
                if body:  # "citing figures from Turkiye's interior ministry": the ministry, not the country
                    name = f"{name}{sentence[after + len(name):body.end()]}"
                return name
    m = _CITING.search(sentence)  # "citing local authorities": a body in lower case, or a name
    # people cited ("citing sources in the army", "citing local officials") own no data: only a body does
    if m and not re.fullmatch(r"(?:[a-z\-]+\s+){0,3}(?:data|figures)", m.group(1)) \
            and not _PEOPLE_CITED.search(m.group(0)):
        return _name(m.group(1)) if m.group(1)[:1].isupper() else m.group(1)
    return None


def blank_relative(sentence: str) -> tuple[str, list[tuple[int, int]]]:
    """The sentence with each relative clause before a reporting verb blanked ("Colonel X, who commands a brigade
    near Chasiv Yar, said": the place is not the speaker), same length so positions hold; and the clauses' spans."""
    low = sentence.lower()
    # the rarer frames only when their words occur (a substring test costs far less than a scan)
    rxs = [rx for rx, cue in ((_RELATIVE, ", "), (_NOT_BUT, " but "), (_DID_AND_FOUND, " and "),
                              (_THAN_CLAIMS, " than ")) if cue in low]
    if " as " in low and _THAN_CLAIMS not in rxs:
        rxs.append(_THAN_CLAIMS)
    spans = [(m.start(), m.end()) for rx in rxs for m in rx.finditer(sentence)]
    for a, b in spans:
        sentence = sentence[:a] + " " * (b - a) + sentence[b:]
    return sentence, spans


_YESTERDAY = re.compile(r"^\s*yesterday\b|\b(?:said|says|told|reported|announced|added)\s+(?:late\s+)?yesterday\b",
                        re.I)


def statement_date(sentence: str, ref: dt.date | None) -> dt.date | None:
    """The date of the statement: a weekday or date tied to the attribution ("said on Tuesday", "told reporters
    in Hmeimim on Thursday", "On Monday, the ministry said"), resolved against ``ref`` (the article date). Other
    dates of the sentence ("since the fall of Assad on December 8") are what the figure is about."""
    if ref is not None and _YESTERDAY.search(sentence):  # "Yesterday, ...", "said yesterday"
        return ref - dt.timedelta(days=1)
    for rx in (_SAID_ON, _SAID_WEEKDAY, _ON_SAID, _PUBLISHED_ON):
        m = rx.search(sentence)
        if m:
            when = m.group("when")
            wd = _WEEKDAY_NUM.get(when.lower())
            if wd is not None:
                return None if ref is None else ref - dt.timedelta(days=(ref.weekday() - wd) % 7)
            found = _dates.find_dates(when, ref)
            if found:
                return found[0][0]
    # "Last Tuesday Putin told reporters", "said last Tuesday" (not "since an offensive began last Wednesday")
    last = _LAST_WEEKDAY.search(sentence)
    if last and ref is not None and (not sentence[:last.start()].strip()
                                     or re.search(rf"\b(?:{_VERB_RE})\s+$", sentence[:last.start()])) \
            and re.search(rf"\b(?:{_VERB_RE})\b", sentence):
        wd = _WEEKDAY_NUM[last.group("when").lower()]
        return ref - dt.timedelta(days=(ref.weekday() - wd) % 7 or 7)
    return None


def blank_acronyms(sentence: str) -> tuple[str, list[tuple[int, str]]]:
    """The sentence with each bracketed acronym before a reporting verb blanked ("The UN humanitarian office
    (OCHA) said": the body before it speaks), same length; and the acronyms with their positions."""
    found = [(m.start(), m.group(1)) for m in _ACRONYM_BEFORE_VERB.finditer(sentence)]
    return _ACRONYM_BEFORE_VERB.sub(lambda m: " " * len(m.group(0)), sentence), found


def quoted_person(who: str) -> tuple[int, str]:
    """Who is quoted in "quoted <who> as saying": of an apposition ("the governor of X, Yevgeny Balitsky"), the
    part that is a bare name; else the whole phrase. (offset in ``who``, text)."""
    parts = [(m.start(), m.group(0).strip()) for m in re.finditer(r"[^,]+", who)]
    for at, part in parts:
        tokens = part.split()
        if 2 <= len(tokens) <= 4 and all(t[:1].isupper() or t.startswith("al-") for t in tokens) \
                and not _is_org(tokens):
            return at + (len(who[at:]) - len(who[at:].lstrip())), part
    return 0, who


#: Words of a news outlet's name ("Kyiv Independent", "Syria Monitor Weekly", "Reuters"): its own voice is not a
#: data source. A body that publishes its own figures (UNHCR, OCHA, a ministry, a centre, a think tank) is one.
_NEWS_WORDS = frozenset({"news", "times", "post", "press", "daily", "weekly", "wire", "desk", "independent", "pravda",
                         "journal", "guardian", "report", "tribune", "herald", "gazette", "radio", "tv", "television",
                         "media", "channel", "reuters", "afp", "ap", "bbc", "cnn", "dpa", "efe", "tass", "ria",
                         "interfax", "xinhua", "anadolu", "sana", "ukrinform", "meduza", "al-monitor", "baladi",
                         "jazeera", "check", "verify", "novosti", "telegraph", "economist", "observer", "mail", "star",
                         "express", "agency", "magazine", "newspaper", "online", "today", "live", "kommersant"})
_DATA_BODIES = frozenset({"unhcr", "ocha", "iom", "wfp", "unicef", "who", "sohr", "isw", "acled", "undp", "icrc",
                          "msf", "hrw", "oxfam", "reach", "dtm"})


def publishes_data(outlet: str) -> bool:
    """Whether an outlet's own voice gives its own data: a body (centre, office, ministry, think tank, UN agency),
    not a news outlet."""
    words = {w.lower().strip(".,()") for w in outlet.split()}
    if words & _NEWS_WORDS:
        return False
    return bool(words & _DATA_BODIES) or bool(words & (_ORG_WORDS - {"news", "press", "times", "post"}))


#: People cited ("citing sources in the army", "citing local officials"): they own no data, and the figure rests
#: on them rather than on the body that reports it.
_PEOPLE_CITED = re.compile(r"\bciting\s+(?:[a-z\-]+\s+){0,2}(?:sources|officials|residents|witnesses|activists|"
                           r"people|a\s+source|an\s+official)\b", re.IGNORECASE)


def cites_people(sentence: str) -> bool:
    return _PEOPLE_CITED.search(sentence) is not None


def source_of(speaker: str | None, is_org: bool, cited: str | None, outlet: str | None, *,
              counted: bool = False, people: bool = False) -> str | None:
    """Whose data a figure rests on — the one place that decides it (the gold rules): the data owner the text
    names; else a body giving its own figures is its own source; a person without a named source has none; the
    outlet's own statements have none, unless the outlet is itself a data body (an OCHA or UNHCR bulletin) or
    keeps a count ("by AFP's tally"); none when the speaker cites unnamed people (``people``)."""
    if cited:
        return cited
    if speaker is None or people:  # "Reuters reported, citing local officials": unnamed people, no data owner
        return None
    if outlet and speaker == outlet:
        return outlet if counted or publishes_data(outlet) else None
    return speaker if is_org else None
