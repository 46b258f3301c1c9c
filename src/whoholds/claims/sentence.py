"""From a sentence to the figures it reports.

`split_sentences` cuts a paragraph into sentences; `analyse_sentence` finds every figure in a sentence (via
`quantities`), what it counts, its qualifier, the actor it is about (via `subjects`), the direction (holds /
gained / lost), the period and the metric it can be checked with. Turning figures into claims is `parse`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from ..profiles import Profile
from . import dates as _dates
from .model import Direction, Metric, ReportedFigure
from .period_text import POINT_KINDS
from .quantities import COUNT, KM2, PERCENT, POINTS, Quantity, extract_quantities
from .quantity_filters import bracketed_increase
from .readings import (
    attach_points,
    comparison_owner,
    list_units,
    measure,
    named_denominator,
    other_agents,
    pick_mention,
    place_named,
    rate_days,
    tracker_named,
)
from .sentence_split import split_sentences
from .subjects import Mention, find_subjects, implied_holder

__all__ = ["SETTLEMENT_NOUNS", "analyse_sentence", "split_sentences"]

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*\d|\d|[^\sA-Za-z\d]")

SETTLEMENT_NOUNS = (
    "residential areas", "populated areas", "populated localities", "populated places", "settlements",
    "settlement", "villages", "village", "towns", "town", "localities", "locality", "hamlets", "cities",
    "communities", "population centres", "population centers", "inhabited localities",
)
_GAIN = {
    "captured", "capture", "captures", "capturing", "seized", "seize", "seizes", "took", "taken", "take",
    "takes", "gained", "gain", "gains", "retaken", "retook", "retake", "recaptured", "recapture", "liberated",
    "liberate", "liberates", "liberating", "freed", "advanced", "conquered", "cleared", "occupied", "won",
    "regained", "reclaimed", "recovered", "grabbed", "overran", "taking", "seizing", "gaining", "advancing", "added",
    "advance", "advances",
}
_LOSE = {"lost", "lose", "loses", "ceded", "cede", "withdrew", "withdrawn", "surrendered", "abandoned",
         "retreated", "relinquished", "loss", "losses", "losing", "ceding"}
# Verbs of change of a share ("rose by 0.4 percentage points").
_RISE = {"rose", "rise", "rises", "increased", "grew", "grown", "expanded", "climbed", "up"}
_FALL = {"fell", "fall", "falls", "decreased", "shrank", "shrunk", "dropped", "declined", "down"}
_HOLD = {"control", "controls", "controlled", "controlling", "hold", "holds", "held", "holding", "occupies",
         "occupy", "occupying", "rules", "runs", "dominates", "retains", "keeps"}
_TERRITORY_WORDS = {"territory", "territories", "country", "land", "area", "lands", "surface", "map",
                    "nation", "state"}
_NEGATIONS = ("not", "n't", "no longer", "never", "hardly")
_AUX = {"have", "has", "had", "are", "is", "were", "was", "be", "been", "being", "will", "would", "can",
        "could", "may", "might", "now", "already", "reportedly", "also", "just", "successfully", "still",
        "currently", "allegedly", "so", "far"}
_PREPOSITIONS = {"in", "on", "at", "from", "to", "since", "by", "with", "for", "during", "across", "near",
                 "into", "over", "under", "within", "through", "throughout", "after", "before", "as", "than",
                 "per", "around", "about", "between", "against", "along", "amid", "via", "while", "where",
                 "which", "who", "that"}
_CONJ = {"and", "or", "but", "while", "whereas", "including", "of"}
_IRREGULAR_PARTICIPLES = {"set", "built", "rebuilt", "taken", "retaken", "held", "won", "lost", "freed",
                          "active", "open", "operational", "functioning", "staying", "deployed", "present",
                          "killed", "wounded", "destroyed", "returned", "seized", "opened", "made", "done"}


# ---- sentences -----------------------------------------------------------------------------------------
#: A clause in the present after the period's ("..., and are now advancing at ..."): it stands as of the statement.
_NOW_CLAUSE = re.compile(r"\b(?:and|but)\s+(?:now\s+|still\s+)?(?:are|is)\s+(?:now\s+|still\s+|currently\s+)?"
                         r"[a-z]+ing\b|\b(?:and|but)\s+now\s+(?:control|hold|occupy|controls|holds|occupies)\b", re.I)


# ---- words around a number -------------------------------------------------------------------------------
def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _noun_phrase_after(sentence: str, end: int, max_words: int = 5) -> tuple[str, int]:
    """The words a number counts: "1,411 residential areas have been…" → "residential areas"."""
    words: list[str] = []
    last = end
    for w, _s, e in _words(sentence[end:]):
        lw = w.lower()
        if not w[0].isalpha() or lw in _AUX or lw in _PREPOSITIONS or lw in {"and", "or", "but"}:
            if lw == "of" and words and len(words) < max_words:
                words.append(w)
                last = end + e
                continue
            break
        if (lw in _GAIN | _LOSE | _HOLD and words) or lw in {"this", "last", "past", "next"}:
            break  # "12 settlements this week": the period is not what is counted
        words.append(w)
        last = end + e
        if len(words) >= max_words:
            break
    while words and words[-1].lower() in {"of", "the"}:
        words.pop()
    return " ".join(words), last


def _is_participle(word: str) -> bool:
    lw = word.lower()
    return (lw.endswith("ed") and len(lw) > 4) or lw in _IRREGULAR_PARTICIPLES or lw in _GAIN | _LOSE


def _verb_after(sentence: str, pos: int) -> str:
    """The predicate right after a noun phrase, auxiliaries dropped: "have been liberated from…" → "liberated"."""
    out: list[str] = []
    for w, _s, _e in _words(sentence[pos:]):
        lw = w.lower()
        if not w[0].isalpha():
            break
        if lw in _AUX and not out:
            continue
        if lw in _PREPOSITIONS or lw in _CONJ or lw in _AUX:
            break
        if not out and not _is_participle(w) and lw not in _HOLD:
            break
        out.append(lw)
        if lw == "set":
            continue
        if len(out) >= 2 or lw not in {"set", "taken", "brought"}:
            break
    if out and out[-1] == "set" and re.match(r"\s*up\b", sentence[pos:].split("set", 1)[-1]):
        out.append("up")
    return " ".join(out)


def _list_verb(sentence: str, pos: int) -> str:
    """In "4,690 buildings, 266 facilities … have been restored", the verb shared by the list items."""
    rest = sentence[pos:]
    m = re.search(r"\b(?:have|has|had|were|was|are|is)\s+(?:been\s+|now\s+)?([a-z]+(?:\s+up)?)\b", rest)
    if not m or not _is_participle(m.group(1).split()[0]):
        return ""
    between = rest[:m.start()]
    chunks = [c.strip() for c in re.split(r",|\band\b", between) if c.strip()]
    if not chunks:
        return m.group(1)
    listy = all(re.match(r"(\d|multiple|other|several|many|various|some|numerous|dozens|hundreds)", c)
                for c in chunks)
    return m.group(1) if listy else ""


def _clause_before(sentence: str, start: int, max_words: int = 6) -> str:
    """The clause before a number that is the object of a preposition ("reception centres set up in 412…")."""
    text = sentence[:start]
    cut = max(text.rfind(","), text.rfind(";"), text.rfind(" that "), text.rfind(" and "))
    clause = text[cut + 1:] if cut >= 0 else text
    clause = re.sub(r"^\s*(that|and)\s+", "", clause)
    words = [w for w, _s, _e in _words(clause) if w[0].isalpha() and w.lower() not in _AUX]
    while words and words[-1].lower() in {"the", "a", "an"}:
        words.pop()
    return " ".join(words[-max_words:])


#: A negated predicate right after the figure's noun: "100,000 refugees did not return", "had not returned".
_NOT_AFTER = re.compile(r"[\d,.\s]*(?:[a-z\-]+\s+){0,3}?(?:did|do|does|had|have|has|were|was)\s+(?:not|never)\s+"
                        r"[a-z]+", re.I)


def _negated(sentence: str, q_start: int, q_end: int | None = None) -> bool:
    before = sentence[:q_start].lower()
    # the figure's own clause: "has not confirmed the claim but says its troops repelled 9 attacks" is not negated,
    # nor "Refugees did not return in the hundreds of thousands: fewer than 40,000 came back"
    cut = max(before.rfind(","), before.rfind(";"), before.rfind(":"),
              *(m.end() for m in re.finditer(r"\b(?:but|yet|while|whereas)\b", before)))
    clause = before[cut + 1:]
    if any(re.search(rf"(?<![a-z]){re.escape(n)}\b", clause) for n in _NEGATIONS):
        return True
    return q_end is not None and _NOT_AFTER.match(sentence, q_end) is not None


def _direction(sentence: str, q: Quantity) -> tuple[Direction | None, str]:
    """Holds, gained or lost, from the control verb nearest the number; and that verb."""
    best: tuple[int, Direction, str] | None = None
    low = sentence.lower()
    # "have taken control of", "seized control of": acquisition, not holding.
    low = re.sub(r"\b(taken|took|take|takes|seized|gained|established|assumed|lost|ceded)\s+(full\s+)?control\b",
                 lambda mm: mm.group(1) + " " * (len(mm.group(0)) - len(mm.group(1))), low)
    # "gains … net of losses": the net figure's qualifier, not a verb of losing
    low = re.sub(r"\bnet\s+of\s+(?:its\s+|their\s+|any\s+)?(?:losses|gains)\b", lambda mm: " " * len(mm.group(0)), low)
    for m in re.finditer(r"[a-z]+", low):
        w = m.group(0)
        kind: Direction | None = None
        if w in _GAIN or (w in _RISE and q.unit == POINTS):
            kind = "gained"
        elif w in _LOSE or (w in _FALL and q.unit == POINTS):
            kind = "lost"
        elif w in _HOLD:
            kind = "holds"
        if w == "occupied" and q.unit == PERCENT:
            kind = "holds"  # "occupied 7% of Ukraine": a share held, not one taken
        if kind is None:
            continue
        dist = min(abs(m.start() - q.end), abs(q.start - m.end()))
        if m.start() >= q.end and re.search(r"\b(?:and|but|while|whereas)\b|[,;]", low[q.end:m.start()]):
            dist += 10_000  # "gained 4,400 km² and lost 200": the next clause's verb governs its own figure
        if best is None or dist < best[0]:
            best = (dist, kind, w)
    if best is None and re.search(r"\bunder (?:the |their |its )?control\b|\bin control of\b", low):
        return "holds", "controlled"
    return (best[1], best[2]) if best else (None, "")


def _denominator(sentence: str, q: Quantity) -> str | None:
    m = re.match(r"\s*of\s+((?:the\s+)?[A-Za-z'’\-]+(?:\s+[a-z'’]+)?)", sentence[q.end:])
    if not m:
        return None
    den = m.group(1)
    den = re.split(r"\s+(?:has|have|is|are|was|were|had|in|by|from|to|and|since)\b", den)[0]
    return den.strip()


def _territorial(sentence: str, denominator: str | None, profile: Profile | None) -> bool:
    names = {w for w in (profile.id if profile else "", profile.boundary.country.lower() if profile else "")
             if w}
    den = (denominator or "").lower()
    den_words = set(re.findall(r"[a-z]+", den))
    if den_words & _TERRITORY_WORDS or any(n in den for n in names):
        return True
    # "of Syria", "of Syrian territory": a capitalised place name (not "of the population")
    if den and not (den_words & {"population", "people", "residents", "vote", "votes", "budget"}) \
            and re.match(r"(the\s+)?[A-Z]", denominator or ""):
        return True
    low = sentence.lower()
    return bool(re.search(r"\bterritor|\bof the country\b|\bunder (?:\w+ )?control\b|\bin control of\b", low))


def _metric(unit: str, counts: str, direction: Direction | None, territorial: bool,
            has_period: bool) -> Metric | None:
    if unit == PERCENT and territorial:
        return "share_change" if (direction in ("gained", "lost") and has_period) else "share"
    if unit == POINTS and (territorial or direction in ("gained", "lost")):
        return "share_change"
    if unit == KM2:
        if direction in ("gained", "lost"):
            return "area_change"
        return "area"
    if unit == COUNT and any(counts.lower().endswith(n) or counts.lower() == n for n in SETTLEMENT_NOUNS):
        if direction in ("gained", "lost"):
            return "settlement_change"
        if direction == "holds":
            return "settlement_count"
    return None


def _indicator(metric: Metric | None, unit: str, counts: str, verb: str, before: str,
               subject_name: str | None) -> str:
    if metric in ("share", "share_change") or (unit in (PERCENT, POINTS) and not counts):
        what = "share of territory"
        if metric == "share_change":
            what = "change in share of territory"
        return f"{what} held by {subject_name}" if subject_name else what
    if metric in ("area", "area_change"):
        what = "area held" if metric == "area" else f"area {verb or 'changed hands'}"
        return f"{what} by {subject_name}" if subject_name else what
    if verb:
        return f"{counts} {verb}".strip()
    if before:
        return f"{before} {counts}".strip()
    return counts


# ---- the sentence --------------------------------------------------------------------------------------
def analyse_sentence(
    sentence: str,
    profile: Profile | None = None,
    *,
    ref_date: dt.date | None = None,
    speaker: str | None = None,
    speaker_role: str | None = None,
    explicit_attribution: bool = False,
    said_on: dt.date | None = None,
    paragraph: int = 0,
    index: int = 0,
) -> list[ReportedFigure]:
    """Every reported figure of one sentence, with what it counts, its actor, direction, period and metric.

    ``ref_date`` anchors relative dates (the article's date); ``said_on`` is the statement date when known
    (a figure is as of the statement date unless the sentence says otherwise).
    """
    info = _dates.resolve(sentence, said_on or ref_date, profile.id if profile else "")
    anchor = info.as_of or info.said_on or said_on or ref_date
    joined = _dates.new_statement_at(sentence)  # "..., he said, and its shelters could take 3,000 more"
    mentions = find_subjects(sentence, profile) if profile is not None else []
    tracker = tracker_named(sentence, profile)
    out: list[ReportedFigure] = []
    quantities = extract_quantities(sentence)
    units = list_units(sentence, quantities)
    dated = [m for m in info.mentions if m.period is not None and m.kind not in POINT_KINDS]
    points = attach_points([m for m in info.mentions if m.kind in POINT_KINDS and (m.period is not None
                                                                                   or m.kind == "peak")],
                           quantities, sentence)
    owner = comparison_owner(dated[0], quantities, sentence) if len(dated) == 1 else None
    for i, q in enumerate(quantities):
        rate = rate_days(sentence, q)
        if units[i] != q.unit:
            q = replace(q, unit=units[i])
        own = pick_mention(dated, quantities, i) if len(dated) > 1 else None
        period_start, period_end = info.period_start, info.period_end
        period_text, cumulative = info.period_text, info.cumulative
        if owner is not None and owner != i:  # "63% now, up from 20% in 2015": 2015 is the 20%'s alone
            period_start = period_end = None
            period_text, cumulative = "", False
        if own is None and dated and any(dated[-1].end <= m.start() < q.start for m in _NOW_CLAUSE.finditer(sentence)):
            period_start = period_end = None  # "took 14 villages in January and are advancing 120 km² a week"
            period_text, cumulative = "", False
        if joined is not None and q.start >= joined and own is None:
            period_start = period_end = None
            period_text, cumulative = "", False
        if own is not None and own.period is not None:
            period_start, period_end, period_text, cumulative = (own.period.start, own.period.end, own.text,
                                                                 own.cumulative)
        increment = bracketed_increase(sentence, q.start, q.end)  # "162,560 (+1,040) persons"
        if increment:
            period_start, period_end, period_text, cumulative = anchor, anchor, "the day's increase", False
        counts, np_end = _noun_phrase_after(sentence, q.end)
        if q.unit in (PERCENT, POINTS, KM2):
            counts = "" if q.unit != COUNT else counts
        verb = _verb_after(sentence, np_end) if q.unit == COUNT else _verb_after(sentence, q.end)
        if q.unit == COUNT and not verb:
            verb = _list_verb(sentence, np_end)
        before = _clause_before(sentence, q.start) if (q.unit == COUNT and not verb) else ""
        if before and before.split()[-1].lower() in _GAIN | _LOSE | _HOLD:
            verb, before = before.split()[-1].lower(), ""  # "liberated 12 settlements"
        direction, control_verb = _direction(sentence, q)
        if (q.unit == KM2 or q.unit == COUNT) and not verb and control_verb:
            verb, before = control_verb, ""
        denominator = _denominator(sentence, q) if q.unit in (PERCENT, POINTS) else None
        territorial = _territorial(sentence, denominator, profile) if q.unit in (PERCENT, POINTS) else False
        if q.unit == PERCENT and not territorial and any(f.metric == "share" for f in out) and re.search(
                r"(?:\bfrom|\bcompared\s+(?:with|to)|\bthan|\bversus|\bvs\.?)\s*(?:about|around|some|nearly|"
                r"almost|roughly|just)?\s*$", sentence[:q.start], re.I):
            territorial = True  # "18% of Ukraine, up from 7% before the invasion": the same share, then
        # Who: the agent nearest the number, else the loser of "liberated from X", else implied by "occupied".
        subject: Mention | None = None
        den_end = q.end + (len(denominator) + 6 if denominator else 0)
        agents = [m for m in mentions if m.role == "agent" and not (q.end <= m.start < den_end)]
        losers = [m for m in mentions if m.role == "loser"]
        if agents:
            subject = min(agents, key=lambda m: abs(m.start - q.start))
        elif losers and direction == "gained":
            subject = min(losers, key=lambda m: abs(m.start - q.start))
            direction = "lost"
        elif profile is not None:
            subject = implied_holder(sentence, profile)
        has_period = period_start is not None
        if q.unit == PERCENT and re.search(r"\b(?:to|at)\s*$", sentence[:q.start]) and not re.search(
                r"\b(?:amount(?:s|ed|ing)?|c[oa]me|add(?:s|ed)?\s+up|equal(?:s|led|ed)?|correspond(?:s|ed)?)\s+to\s*$",
                sentence[:q.start], re.I):
            direction = "holds"  # "rose by 0.4 pp to 18.9%": the level reached ("gains amount to 0.7%" is no level)
        metric = _metric(q.unit, counts, direction, territorial, has_period)
        if metric in ("share", "area") and direction in ("gained", "lost") and not has_period:
            direction = "holds"  # "96.5% of the country has been retaken" = holds 96.5% now
        as_of = period_end if (period_end and not info.as_of) else anchor
        if joined is not None and q.start >= joined and period_end is None:
            as_of = info.said_on or said_on or ref_date
        if metric in ("share", "area", "settlement_count") and period_end is not None and not cumulative:
            as_of = period_end  # "In 2021, Russia held 7%": the level at that time, not today's
        if i in points and points[i].period is None:
            as_of, period_text = None, points[i].text  # "at the peak of its incursion": an undated earlier point
        elif i in points and points[i].period is not None:
            as_of = points[i].period.end  # "up from 7% before the invasion", "17.5% a year ago"
            period_text = points[i].text
            if metric in ("share", "area", "settlement_count"):
                period_start = period_end = None
        region, excluded, inhabited = (named_denominator(sentence, q, profile) if q.unit in (PERCENT, KM2)
                                       else (None, (), False))
        if q.unit == KM2 and region is None:
            region = place_named(sentence, profile)  # "captured 40 km² near Pokrovsk": a local figure
        unsure = ""
        if subject is not None and subject.role == "agent":
            others = other_agents(sentence, q, [m for m in mentions if m.role == "agent"], subject, profile)
            if others:
                unsure = (f"two actors in the clause ({subject.text!r} and {others[0]!r}): which one the "
                          "figure is about is not clear")
        subject_name = profile.display_name(subject.id) if (profile is not None and subject) else None
        indicator = _indicator(metric, q.unit, counts, verb, before, subject_name)
        indicator = f"daily increase in {indicator}" if increment else indicator
        negated = _negated(sentence, q.start, q.end)
        note = info.unresolved
        out.append(ReportedFigure(
            quote=sentence, surface=q.surface, value=q.value, unit=q.unit, counts=counts,
            indicator=indicator, qualifier=q.qualifier, comparator=q.comparator, low=q.low, high=q.high,
            speaker=speaker, speaker_role=speaker_role, explicit_attribution=explicit_attribution,
            as_of=as_of, period_start=period_start, period_end=period_end, period_text=period_text,
            cumulative=cumulative, subject=subject.id if subject else None,
            subject_text=subject.text if subject else None, direction=direction, negated=negated,
            metric=metric, denominator=denominator, span=(q.start, q.end), paragraph=paragraph,
            sentence=index, note=note, measure=measure(sentence, q), per=q.per, rate_days=rate, tracker=tracker,
            region=region, excluded=excluded, inhabited=inhabited, unsure=unsure, direction_text=control_verb,
        ))
    return out
