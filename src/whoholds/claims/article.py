"""Articles: file, HTML or URL → main text (boilerplate removed) → every reported figure, attributed.

HTML goes through trafilatura (main-text extraction drops navigation, share bars, footers; its metadata gives
title, date, author, site). Text files (and trafilatura's output) then pass a paragraph filter for the
boilerplate that survives as text: share-button prompts, copyright and disclaimer notices, "become a
member", "articles by". Each sentence is attributed to a speaker (:mod:`whoholds.claims.attribution`): an
explicit attribution ("Mizintsev said", "according to ISW"), a pronoun or title that refers back ("he noted",
"the colonel general said"), reported speech that goes on without a new attribution, or the outlet itself (no
speaker yet, or the authorial voice: "it does not seem", "we").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from ..profiles import Profile
from . import dates as _dates
from .anchor import dateline_date
from .article_load import (
    DEFAULT_TIMEOUT,
    Article,
    article_from_html,
    article_from_text,
    load_article,
)
from .attribution import AUTHORIAL, Attribution, SpeakerTracker
from .attribution_names import publishes_data, source_of
from .attribution_patterns import _BACKGROUND, _NUMBERED_SOURCES
from .boilerplate import BOILERPLATE_ANYWHERE, BOILERPLATE_START, is_boilerplate
from .conflict import ConflictGuess, infer_conflict
from .limits import MAX_ARTICLE_CHARS, article_too_long
from .model import ReportedFigure
from .period_text import SAME_PERIOD
from .quantities import extract_quantities
from .sentence import analyse_sentence, split_sentences

__all__ = [
    "AUTHORIAL",
    "BOILERPLATE_ANYWHERE",
    "BOILERPLATE_START",
    "DEFAULT_TIMEOUT",
    "MAX_ARTICLE_CHARS",
    "Article",
    "ConflictGuess",
    "Attribution",
    "SpeakerTracker",
    "article_from_html",
    "article_from_text",
    "extract_figures",
    "guess_profile",
    "infer_conflict",
    "is_boilerplate",
    "load_article",
]

#: Sentences and paragraphs longer than this are cut before analysis (at a sentence end or a space), so that no
#: per-sentence step sees more than a bounded text: the whole read stays linear in the article's length.
MAX_PARAGRAPH_CHARS = 1_000
MAX_SENTENCE_CHARS = 600


_too_long = article_too_long

def extract_figures(article: Article | str, profile: Profile | None = None, *, date: dt.date | None = None,
                    outlet: str | None = None) -> list[ReportedFigure]:
    """Every quantitative claim of an article: quote, number, unit, what is counted, qualifier, speaker, data
    source, as-of.

    ``date`` overrides the article's date (the reference for "in November", "on Thursday"); ``outlet`` names
    the publication for the figures it gives in its own voice. Cost is linear in the length of the text.
    """
    if isinstance(article, str):
        if len(article) > MAX_ARTICLE_CHARS:
            raise _too_long("<text>", len(article))
        article = Article(text=article, source="<text>")
    ref = date or article.date
    if date is None and article.paragraphs:
        # "MOSCOW, March 13 (Interfax) -" on a page dated the 14th: the report speaks from its dateline's day
        first = article.paragraphs[0]
        lined = dateline_date(first, ref.year if ref else None) if _DATED_DATELINE.match(first[:120]) else None
        if lined is not None and (ref is None or ref - dt.timedelta(days=7) <= lined <= ref):
            ref = lined
    tracker = SpeakerTracker(outlet or article.outlet or _host(article.url), ref)
    figures: list[ReportedFigure] = []
    for p_i, para in enumerate(article.paragraphs):
        tracker.new_paragraph(para)
        earlier: ReportedFigure | None = None  # the last figure with a period: what "the same period" means
        # a dateline, or a live blog's "14:32 —" opening any entry: neither is a statement
        para = strip_dateline(para) if p_i == 0 else _STAMP.sub("", para, count=1)
        s_i = 0
        for piece in _pieces(para, MAX_PARAGRAPH_CHARS):
            sentences = [sent for sent, _off in split_sentences(piece)]
            quoted: Attribution | None = None  # who speaks in a quote that runs over several sentences
            for k, sentence in enumerate(sentences):
                if quoted is None and _opens_quote(sentence):
                    # '"We lost 14 positions. Nobody talks about it," said Oleksiy': the attribution closes it
                    closing = next((t for t in sentences[k + 1:k + 6] if _closes_quote(t)), None)
                    quoted = tracker.explicit(closing) if closing else None
                for part in _pieces(sentence, MAX_SENTENCE_CHARS):
                    att = tracker.attribute(part)
                    if quoted is not None and not att.explicit:
                        att = quoted
                    quantities = extract_quantities(part)
                    if quantities:  # most sentences hold no number: skip the sentence analysis
                        found = analyse_sentence(
                            part, profile, ref_date=ref, speaker=att.speaker, speaker_role=att.role,
                            explicit_attribution=att.explicit, said_on=att.said_on, paragraph=p_i, index=s_i)
                        found = _with_context(found, part, att, ref, tracker.outlet)
                        if earlier is not None and (SAME_PERIOD.search(part) or _OF_THEM.search(part)
                                                    or _names_unit_of(part, earlier) or _THE_FIGURE.search(part)):
                            found = [_same_period(f, earlier) for f in found]
                        if figures and _SAME_DATE.search(part):  # "on the same date": the last figure's day
                            found = [f if f.period_start is not None else replace(f, as_of=figures[-1].as_of)
                                     for f in found]
                            tracker.dated(figures[-1].as_of)
                        # a rate's period is where it was measured; "over the same period" goes back to a total's
                        earlier = next((f for f in reversed(found) if f.period_start is not None and f.per is None),
                                       earlier)
                        figures += found
                    s_i += 1
                if quoted is not None and k > 0 and _closes_quote(sentence):
                    quoted = None
    if tracker.outlet and publishes_data(tracker.outlet):
        # a bulletin of UNHCR, OCHA or the Russian reconciliation centre: its own figures are its own data
        # (and its own parts: "IOM's Displacement Tracking Matrix" in an IOM bulletin)
        figures = [replace(f, data_source=source_of(tracker.outlet, True, None, tracker.outlet))
                   if (f.speaker == tracker.outlet or f.speaker_role == tracker.outlet) and not f.data_source
                   else f for f in figures]
    return _named_next(figures)


#: An unnamed monitor ("a war monitor said", "a monitoring group said", "a rights group"), which wire copy names in
#: the next sentence — by a monitor's name (not a news agency or a ministry speaking there).
_UNNAMED_KIND = re.compile(r"(?:monitor|group|observatory|watchdog)$")
_MONITOR_NAME = re.compile(r"\b(?:Observatory|Monitor|Monitoring|Watch|Rights|Documentation|Airwars|ACLED)\b")


def _named_next(figures: list[ReportedFigure]) -> list[ReportedFigure]:
    """ "..., a monitoring group said. 'IS now holds 95,000 km²,' the Syrian Observatory for Human Rights said": the
    unnamed body is the body the next sentence of its paragraph names speaking for its own data."""
    out = list(figures)
    for f in figures:
        who = f.speaker or ""
        if not _UNNAMED_KIND.search(who) or not re.search(rf"\b[Aa]n?\s+{re.escape(who)}\b", f.quote):
            continue
        named = next((g for g in out if g.paragraph == f.paragraph and g.sentence == f.sentence + 1
                      and g.explicit_attribution and _MONITOR_NAME.search(g.speaker or "")
                      and g.data_source == g.speaker),
                     None)
        if named is not None:
            out = [replace(g, speaker=named.speaker, data_source=named.speaker)
                   if g.paragraph == f.paragraph and g.speaker == who else g for g in out]
    return out


def _opens_quote(sentence: str) -> bool:
    """The sentence opens a quotation it does not close."""
    text = sentence.lstrip()
    return text[:1] in ("“", '"') and (text.count('"') % 2 == 1 or text.count("“") > text.count("”"))


def _closes_quote(sentence: str) -> bool:
    return "”" in sentence or sentence.count('"') % 2 == 1


def _with_context(found: list[ReportedFigure], sentence: str, att: Attribution,
                  ref: dt.date | None, outlet: str | None = None) -> list[ReportedFigure]:
    """Figures with the data source and rate, and dated to the statement ("said on Tuesday") unless the
    sentence gives their own date ("as of October 1") or period. A place's population given as background
    ("...; before the war it had about 30,000 inhabitants") is the outlet's; a population dated only "before the
    war" is of no known date (a census of some earlier year, not the eve of the invasion)."""
    own_date = att.said_on is not None and _dates.resolve(sentence, ref).as_of is not None
    out = []
    for f in found:
        if _NUMBERED_SOURCES.match(sentence, f.span[0]):
            continue  # "Two officials, who spoke on condition of anonymity, said": who speaks, not a claim
        if att.others:  # several speakers in one sentence: the one whose words carry this figure
            who = att.for_position(f.span[0])
            f = replace(f, speaker=who.speaker, speaker_role=who.role)
            att = replace(att, data_source=who.data_source, said_on=who.said_on or att.said_on)
        as_of = f.as_of
        # a figure dated by a point of its own ("before the invasion", "at its peak") keeps that date
        pointed = f.period_start is None and bool(f.period_text)
        if att.said_on is not None and f.period_start is None and not own_date and not pointed:
            as_of = att.said_on
        elif att.said_on is not None and f.period_end is not None and f.period_end > att.said_on:
            as_of = att.said_on  # "so far this month": the period ends when the statement was made
        clause = _clause(sentence, f.span[0])
        if pointed and _PREWAR.search(f.period_text) and _POPULATION.search(clause):
            as_of = None  # "13,000 pre-war residents": a census of some earlier year, not the eve of the war
        aside = _aside(sentence, f.span[0])  # "..., once home to some 60,000 people, ...": an aside of the outlet
        if _BACKGROUND.search(clause) and not _ATTRIBUTED.search(clause) \
                or _HOME_TO.match(aside) and not _ATTRIBUTED.search(aside):
            if re.search(r"\bonce\b", aside):  # "once home to 60,000": a past population of no known date
                as_of = None
            out.append(replace(f, speaker=outlet, speaker_role=None, data_source=None, as_of=as_of))
            continue
        out.append(replace(f, data_source=att.data_source, as_of=as_of))
    return out


_PREWAR = re.compile(r"\b(?:before|pre-?war|pre-?invasion)\b", re.I)
_POPULATION = re.compile(r"\b(?:population|inhabitants|residents|living|lived|home\s+to)\b", re.I)
_ATTRIBUTED = re.compile(r"\b(?:said|says|told|tells|according|estimated|reported|added)\b", re.I)


#: A place's description set off by commas inside someone's words: "Kostiantynivka, once home to some 67,000 people,".
_HOME_TO = re.compile(r"\s*(?:(?:which|that)\s+(?:was|is)\s+)?(?:once\s+)?home\s+to\b", re.I)


def _aside(sentence: str, pos: int) -> str:
    """The part of the sentence between commas (or semicolons) holding ``pos``; "67,000" keeps its comma."""
    cuts = [m.end() for m in re.finditer(r"[,;]\s", sentence[:pos])]
    end = re.search(r"[,;]\s", sentence[pos:])
    return sentence[cuts[-1] if cuts else 0:pos + end.start() if end else len(sentence)]


def _clause(sentence: str, pos: int) -> str:
    """The clause (between semicolons) holding ``pos``."""
    start = sentence.rfind(";", 0, pos) + 1
    end = sentence.find(";", pos)
    return sentence[start:end if end >= 0 else len(sentence)]


#: "on the same date", "by that day": the day of the figure before.
_SAME_DATE = re.compile(r"\b(?:on|by|at|as\s+of)\s+(?:the\s+same|that)\s+(?:date|day)\b|\bthe\s+same\s+day\b", re.I)
#: "a third of them", "most of those": a part of a figure counted before, over that figure's period.
_OF_THEM = re.compile(r"\b(?:of|among)\s+(?:them|those|these)\b", re.I)

#: "over the month", "during the week": the month or week named before ("in October ... over the month").
_THE_UNIT = re.compile(r"\b(?:over|in|during|for|throughout)\s+the\s+(?:whole\s+|entire\s+)?(month|week|quarter|year)\b"
                       r"(?!\s+(?:of|to|before|ahead|earlier|ago|after|since|before)\b)", re.I)
#: "the true figure was closer to 3,980": the same count as the figure before, over its period.
_THE_FIGURE = re.compile(r"\bthe\s+(?:true|real|actual|correct)\s+(?:figure|number|total|toll|count|extent)\b", re.I)
_UNIT_DAYS = {"month": (28, 31), "week": (7, 7), "quarter": (89, 92), "year": (365, 366)}


def _names_unit_of(part: str, earlier: ReportedFigure) -> bool:
    """Whether ``part`` refers to the earlier figure's period by its unit alone and that period is one such unit."""
    m = _THE_UNIT.search(part)
    if m is None or earlier.period_start is None or earlier.period_end is None:
        return False
    low, high = _UNIT_DAYS[m.group(1).lower()]
    return low <= (earlier.period_end - earlier.period_start).days + 1 <= high


def _same_period(f: ReportedFigure, earlier: ReportedFigure) -> ReportedFigure:
    """A figure "over the same period" takes the period of the figure before it (as-of capped at its statement)."""
    if f.period_start is not None:
        return f
    as_of = earlier.period_end if earlier.period_end is None or f.as_of is None else min(earlier.period_end, f.as_of)
    note = "" if "refers to a period named earlier" in (f.note or "") else f.note
    return replace(f, period_start=earlier.period_start, period_end=earlier.period_end,
                   period_text=earlier.period_text, cumulative=earlier.cumulative, as_of=as_of, note=note)


#: A dateline opening an article: "KYIV, March 7 (Reuters) -", "DNIPRO, Ukraine, Nov. 14, 2024 —".
_DATELINE_PREFIX = re.compile(r"^[A-Z][A-Z'’.\- ]{2,30}(?:,\s*[A-Z][A-Za-z'’.\- ]{1,30})?,\s+[^—–]{0,40}?"
                              r"(?:\([A-Za-z .]{1,30}\)\s*)?(?:[-—–]{1,2})\s+")


#: A live blog's time stamp opening an entry: "14:32 —", "9:05 am -", "[11:40]".
_ZONE = r"(?:\s*(?:[ap]\.?m\.?|GMT|UTC|BST|CET|CEST|EET|EEST|MSK|EST|EDT|ET|local(?:\s+time)?))"
_STAMP = re.compile(rf"^\s*\[?\d{{1,2}}(?::\d{{2}}\]?{_ZONE}?\s*(?:[-—–|:]\s*|(?=\s[A-Z]))"
                    rf"|\.\d{{2}}\]?(?:{_ZONE}\s*[-—–|:]|{_ZONE}(?=\s+[A-Z])|\s*[-—–|])\s+)", re.I)


#: A dateline with a date: "MOSCOW, March 13 (Interfax) -", "Beirut, Feb 9 (EFE).-", "Aleppo, 9 February 2016
#: (SANA) –" — a place, a day and month, the agency or a dash; not a sentence opening "As of 10 December,".
_DATED_DATELINE = re.compile(r"^[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3},\s+(?:[A-Z][A-Za-z'’.\-]+,\s+)?"
                             r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)(?:,?\s+\d{4})?\s*"
                             r"(?:\([^)]{1,30}\))?\s*(?:[-—–]|\.-)")


def strip_dateline(paragraph: str) -> str:
    """The paragraph without its dateline (the date is read from it before) or live-blog time stamp: neither is a
    statement."""
    paragraph = _STAMP.sub("", paragraph, count=1)
    m = _DATELINE_PREFIX.match(paragraph[:120])
    return paragraph[m.end():] if m else paragraph


def _pieces(text: str, limit: int) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters, at a sentence end when there is one in the
    second half of the window, else at a space, else anywhere."""
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind(". ", limit // 2), window.rfind("? ", limit // 2), window.rfind("! ", limit // 2))
        cut = cut + 1 if cut > 0 else window.rfind(" ", limit // 2)
        if cut <= 0:
            cut = limit
        out.append(window[:cut].strip())
        start += cut
    out.append(text[start:].strip())
    return [p for p in out if p]


def _host(url: str | None) -> str | None:
    if not url:
        return None
    m = re.match(r"https?://(?:www\.)?([^/]+)", url)
    return m.group(1) if m else None


def guess_profile(text: str, candidates: tuple[str, ...] | None = None) -> str | None:
    """The profile a text is about, or None when it cannot be told (see `whoholds.claims.conflict`)."""
    return infer_conflict(text, candidates).profile
