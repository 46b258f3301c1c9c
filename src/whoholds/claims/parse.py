"""From a sentence to reported figures and checkable claims.

`analyse_sentence` finds every figure in a sentence (via `quantities`), what it counts, its qualifier, the
actor it is about (through the profile's natural-language aliases), the direction (holds / gained / lost), the
period and the metric it can be checked with. `to_claim` turns a checkable figure into a `Claim`;
`parse_claims`/`parse_claim` do both for a free text such as the argument of ``whoholds check``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from ..errors import QueryError
from ..profiles import Profile
from . import dates as _dates
from .model import Claim, Comparator, Direction, Metric, ReportedFigure
from .quantities import COUNT, KM2, PERCENT, POINTS, Quantity, extract_quantities

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*\d|\d|[^\sA-Za-z\d]")

_ABBREVIATIONS = {
    "col", "gen", "lt", "maj", "capt", "sgt", "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "etc",
    "e.g", "i.e", "approx", "ca", "sq", "km", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "u.s", "u.k", "u.n", "inc", "ltd", "co", "corp", "gov", "adm", "rep", "sen", "pres",
}

SETTLEMENT_NOUNS = (
    "residential areas", "populated areas", "populated localities", "populated places", "settlements",
    "settlement", "villages", "village", "towns", "town", "localities", "locality", "hamlets", "cities",
    "communities", "population centres", "population centers", "inhabited localities",
)
_GAIN = {
    "captured", "capture", "captures", "capturing", "seized", "seize", "seizes", "took", "taken", "take",
    "takes", "gained", "gain", "gains", "retaken", "retook", "retake", "recaptured", "recapture", "liberated",
    "liberate", "liberates", "liberating", "freed", "advanced", "conquered", "cleared", "occupied", "won",
}
_LOSE = {"lost", "lose", "loses", "ceded", "cede", "withdrew", "withdrawn", "surrendered", "abandoned",
         "retreated", "relinquished"}
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


@dataclass(frozen=True)
class Mention:
    """An actor or coalition named in a sentence."""

    id: str
    kind: str  # "actor" | "coalition"
    text: str
    start: int
    end: int
    role: str  # "agent" | "loser"


# ---- sentences -----------------------------------------------------------------------------------------
def split_sentences(text: str) -> list[tuple[str, int]]:
    """Sentences of a paragraph with their offsets; abbreviations and decimals do not end a sentence."""
    out: list[tuple[str, int]] = []
    start = 0
    for m in re.finditer(r"[.!?]+[\"”’)]*\s+(?=[\"“(]?[A-Z0-9])", text):
        before = text[start:m.start()]
        last = re.findall(r"([A-Za-z.]+)$", before)
        word = last[0].lower().rstrip(".") if last else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        sentence = text[start:m.end()].strip()
        if sentence:
            out.append((sentence, start + (len(text[start:m.end()]) - len(text[start:m.end()].lstrip()))))
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append((tail, start + (len(text[start:]) - len(text[start:].lstrip()))))
    return out


# ---- actors ----------------------------------------------------------------------------------------------
def _alias_pattern(alias: str) -> re.Pattern[str]:
    escaped = re.escape(alias)
    # Acronyms (IS, SAA, SDF) only in capitals: "is" is a verb.
    flags = 0 if (alias.isupper() and len(alias) <= 5) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){escaped}(?![\w-])", flags)


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


def _implied_holder(sentence: str, profile: Profile) -> Mention | None:
    """"20% of Ukraine is occupied": the actor whose state a map would label "occupied"."""
    m = re.search(r"\b(occupied|under occupation)\b", sentence, re.IGNORECASE)
    if not m:
        return None
    state = profile.classify(label="occupied")
    actor = profile.actor_of(state) if state else None
    if actor is None:
        return None
    return Mention(actor, "actor", m.group(0), m.start(), m.end(), "agent")


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
        if lw in _GAIN | _LOSE | _HOLD and words:
            break
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


def _negated(sentence: str, q_start: int) -> bool:
    before = sentence[:q_start].lower()
    cut = max(before.rfind(","), before.rfind(";"))
    clause = before[cut + 1:]
    return any(re.search(rf"(?<![a-z]){re.escape(n)}\b", clause) for n in _NEGATIONS)


def _direction(sentence: str, q: Quantity) -> tuple[Direction | None, str]:
    """Holds, gained or lost, from the control verb nearest the number; and that verb."""
    best: tuple[int, Direction, str] | None = None
    low = sentence.lower()
    # "have taken control of", "seized control of": acquisition, not holding.
    low = re.sub(r"\b(taken|took|take|takes|seized|gained|established|assumed)\s+(full\s+)?control\b",
                 lambda mm: mm.group(1) + " " * (len(mm.group(0)) - len(mm.group(1))), low)
    for m in re.finditer(r"[a-z]+", low):
        w = m.group(0)
        kind: Direction | None = None
        if w in _GAIN or (w in _RISE and q.unit == POINTS):
            kind = "gained"
        elif w in _LOSE or (w in _FALL and q.unit == POINTS):
            kind = "lost"
        elif w in _HOLD:
            kind = "holds"
        if kind is None:
            continue
        dist = min(abs(m.start() - q.end), abs(q.start - m.end()))
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


# ---- public --------------------------------------------------------------------------------------------
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
    mentions = find_subjects(sentence, profile) if profile is not None else []
    out: list[ReportedFigure] = []
    for q in extract_quantities(sentence):
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
            subject = _implied_holder(sentence, profile)
        has_period = info.period_start is not None
        if q.unit == PERCENT and re.search(r"\b(?:to|at)\s*$", sentence[:q.start]):
            direction = "holds"  # "rose by 0.4 pp to 18.9%": the level reached
        metric = _metric(q.unit, counts, direction, territorial, has_period)
        if metric in ("share", "area") and direction in ("gained", "lost") and not has_period:
            direction = "holds"  # "96.5% of the country has been retaken" = holds 96.5% now
        subject_name = profile.display_name(subject.id) if (profile is not None and subject) else None
        indicator = _indicator(metric, q.unit, counts, verb, before, subject_name)
        negated = _negated(sentence, q.start)
        note = info.unresolved
        out.append(ReportedFigure(
            quote=sentence, surface=q.surface, value=q.value, unit=q.unit, counts=counts,
            indicator=indicator, qualifier=q.qualifier, comparator=q.comparator, low=q.low, high=q.high,
            speaker=speaker, speaker_role=speaker_role, explicit_attribution=explicit_attribution,
            as_of=info.period_end if (info.period_end and not info.as_of) else anchor,
            period_start=info.period_start, period_end=info.period_end, period_text=info.period_text,
            cumulative=info.cumulative, subject=subject.id if subject else None,
            subject_text=subject.text if subject else None, direction=direction, negated=negated,
            metric=metric, denominator=denominator, span=(q.start, q.end), paragraph=paragraph,
            sentence=index, note=note,
        ))
    return out


def why_not_checkable(fig: ReportedFigure, profile: Profile | None = None) -> str | None:
    """None when the figure can become a Claim, else the reason it cannot."""
    if fig.metric is None:
        return (f"'{fig.surface}' counts {fig.counts or fig.unit!r}, which map data cannot measure "
                "(whoholds checks shares, areas and settlement counts of territory)")
    if fig.subject is None:
        who = f" the {profile.id} profile knows" if profile is not None else ""
        return f"the claim names no actor or coalition{who} (say who holds, gained or lost the territory)"
    if fig.metric.endswith("change") and fig.period_start is None:
        if fig.note:
            return fig.note
        return "the claim gives no period (e.g. 'in November', 'since 1 March') for the change"
    return None


_NEGATED_COMPARATOR: dict[str, Comparator] = {
    "exact": "ceiling", "approx": "ceiling", "floor": "ceiling", "near_below": "ceiling",
    "near_above": "ceiling", "range": "ceiling", "ceiling": "floor",
}


def to_claim(fig: ReportedFigure, profile: Profile) -> Claim | None:
    """The checkable claim a figure makes, or None (see `why_not_checkable`)."""
    if why_not_checkable(fig, profile) is not None:
        return None
    assert fig.metric is not None
    kind = "coalition" if fig.subject in profile.coalition_by_id and fig.subject not in profile.actor_by_id \
        else "actor"
    comparator: Comparator = fig.comparator
    value = fig.value
    if fig.negated:
        comparator = _NEGATED_COMPARATOR[fig.comparator]
        if fig.comparator == "range" and fig.low is not None:
            value = fig.low
    direction: Direction = fig.direction or "holds"
    if fig.metric in ("share", "area", "settlement_count"):
        direction = "holds"
    return Claim(
        quote=fig.quote, metric=fig.metric, value=value, unit=fig.unit, comparator=comparator,
        qualifier=fig.qualifier, low=fig.low, high=fig.high, subject=fig.subject, subject_kind=kind,
        subject_text=fig.subject_text, direction=direction, speaker=fig.speaker, as_of=fig.as_of,
        period_start=fig.period_start, period_end=fig.period_end, denominator=fig.denominator,
        negated=fig.negated, profile=profile.id, figure=fig,
    )


def parse_figures(text: str, profile: Profile | None = None, date: dt.date | None = None,
                  speaker: str | None = None) -> list[ReportedFigure]:
    """Every reported figure of a short text (all sentences), attributed to ``speaker``."""
    figures: list[ReportedFigure] = []
    for i, (sentence, _off) in enumerate(split_sentences(text)):
        figures += analyse_sentence(sentence, profile, ref_date=date, speaker=speaker, index=i)
    return figures


def parse_claims(text: str, profile: Profile, date: dt.date | None = None,
                 speaker: str | None = None) -> list[Claim]:
    """The checkable claims of a short text."""
    return [c for f in parse_figures(text, profile, date, speaker) if (c := to_claim(f, profile))]


def parse_claim(text: str, profile: Profile, date: dt.date | None = None, speaker: str | None = None,
                *, strict: bool = True) -> Claim:
    """The first checkable claim of ``text``.

    With ``strict`` (the default) a text with no checkable claim raises QueryError that says why and lists the
    figures it found; otherwise the first figure with a metric but no actor or period is returned as an
    unresolved claim, so it can be reported as "cannot be checked" with its reason.
    """
    figures = parse_figures(text, profile, date, speaker)
    for f in figures:
        claim = to_claim(f, profile)
        if claim is not None:
            return claim
    if not strict:
        for f in figures:
            if f.metric is not None:
                return unresolved_claim(f, profile)
    raise QueryError(_short(text), no_claim_message(figures, profile))


def unresolved_claim(fig: ReportedFigure, profile: Profile) -> Claim | None:
    """A claim for a figure with a metric but no actor (or no period), to report why it cannot be checked."""
    claim = to_claim(fig, profile)
    if claim is not None or fig.metric is None:
        return claim
    return Claim(quote=fig.quote, metric=fig.metric, value=fig.value, unit=fig.unit, comparator=fig.comparator,
                 qualifier=fig.qualifier, low=fig.low, high=fig.high, subject=fig.subject,
                 subject_text=fig.subject_text, direction=fig.direction or "holds", speaker=fig.speaker,
                 as_of=fig.as_of, period_start=fig.period_start, period_end=fig.period_end,
                 negated=fig.negated, profile=profile.id, figure=fig)


def no_claim_message(figures: list[ReportedFigure], profile: Profile | None = None) -> str:
    if not figures:
        return "no checkable claim: the text reports no figure (no number found)"
    listed = "; ".join(f"{f.surface} {f.counts}".strip() + f" ({why_not_checkable(f, profile)})"
                       for f in figures[:8])
    return f"no checkable claim; reported figures found: {listed}"


def with_speaker(fig: ReportedFigure, speaker: str | None) -> ReportedFigure:
    return replace(fig, speaker=speaker)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
