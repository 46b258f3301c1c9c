"""What a figure's words say beyond its number: net or gross, a rate, the period of a list item, the tracker a
claim names, the denominator it names ("excluding Crimea", "of the Donetsk region"), and whether two actors
make the subject unsure. Pure text functions used by `whoholds.claims.sentence`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence

from ..profiles import Profile
from .period_text import PeriodMention
from .quantities import COUNT, KM2, PERCENT, Quantity
from .rates import RATE_DAYS, rate_days  # noqa: F401 - the one rate reading, re-exported


def canonical_unit(q: Quantity) -> str:
    """The figure's unit with a rate folded away ("square kilometre per day" is km²)."""
    unit = (q.unit or "").lower()
    if re.search(r"square\s+kilomet|km2|km²", unit):
        return KM2
    return q.unit


def measure(sentence: str, q: Quantity) -> str | None:
    """'net' when the words say net ("a net loss of 20 km²", "net gains"), 'gross' when they say gross."""
    window = sentence[max(0, q.start - 40):q.end + 25].lower()
    if re.search(r"\bnet\b", window):
        return "net"
    if re.search(r"\bgross\b|\bin total\b", window):
        return "gross"
    return None


def list_units(sentence: str, quantities: Sequence[Quantity]) -> list[str]:
    """Units with list items completed: in "310 km² in March, 270 in February and 240 in January" the bare
    numbers after a km² (or %) figure take its unit when each is followed by its own period word."""
    units = [canonical_unit(q) for q in quantities]
    for i, q in enumerate(quantities):
        if units[i] != COUNT or i == 0 or units[i - 1] not in (KM2, PERCENT):
            continue
        between = sentence[quantities[i - 1].end:q.start]
        after = sentence[q.end:q.end + 25]
        if re.search(r"[,;]|\band\b", between) and re.match(r"\s*(?:in|during|over|for|between|from|on|last|this)\b",
                                                               after, re.I):
            units[i] = units[i - 1]
    return units


def pick_mention(mentions: Sequence[PeriodMention], quantities: Sequence[Quantity], i: int) -> PeriodMention | None:
    """The period phrase of the i-th figure: with several periods in a sentence (a list), the first one after the
    figure and before the next figure, else the nearest one before it; with one period, that one."""
    if not mentions:
        return None
    if len(mentions) == 1:
        return mentions[0]
    q = quantities[i]
    nxt = quantities[i + 1].start if i + 1 < len(quantities) else 10 ** 9
    after = [m for m in mentions if q.end <= m.start < nxt]
    if after:
        return after[0]
    before = [m for m in mentions if m.end <= q.start]
    if before:
        return before[-1]
    return min(mentions, key=lambda m: abs(m.start - q.start))


#: "up from 20%", "down from a peak of around 1,300": the figure compared with (the period after it is its own).
_COMPARISON_BEFORE = re.compile(r"(?:\bfrom|\bthan|\bagainst|\bcompared\s+(?:with|to)|\bversus|\bvs\.?)\s*"
                                r"(?:(?:an?|the|its)\s+(?:\w+\s+)?(?:peak|high|low|record|maximum|minimum|level|total)"
                                r"\s+of\s+)?(?:about|around|some|nearly|almost|roughly|just|only)?\s*$", re.I)


def comparison_owner(mention: PeriodMention, quantities: Sequence[Quantity], sentence: str) -> int | None:
    """The figure a sentence's only period belongs to when it dates a comparison ("63% now, up from 20% in
    2015": 2015 dates the 20% alone), else None (the period is the whole sentence's)."""
    before = [i for i, q in enumerate(quantities) if q.end <= mention.start]
    if not before or len(quantities) < 2:
        return None
    i = before[-1]
    q = quantities[i]
    if re.search(r"[;:]|,\s+(?:while|and|but|whereas)\b", sentence[q.end:mention.start]):
        return None
    return i if _COMPARISON_BEFORE.search(sentence[:q.start]) else None


def attach_points(points: Sequence[PeriodMention], quantities: Sequence[Quantity], sentence: str
                  ) -> dict[int, PeriodMention]:
    """Which figure each point-in-time phrase dates: the nearest figure with no other figure between them,
    preferring one in the same clause ("18% now, up from 7% before the invasion" dates the 7% only)."""
    out: dict[int, PeriodMention] = {}
    for p in points:
        before = [i for i, q in enumerate(quantities) if q.end <= p.start]
        after = [i for i, q in enumerate(quantities) if q.start >= p.end]
        cands = ([before[-1]] if before else []) + ([after[0]] if after else [])
        if not cands:
            continue

        best = min(cands, key=lambda i, p=p: (not _same_clause(sentence, quantities[i], p),
                                               abs(quantities[i].start - p.start)))
        out.setdefault(best, p)
    return out


def _same_clause(sentence: str, q: Quantity, p: PeriodMention) -> bool:
    a, b = (q.end, p.start) if q.end <= p.start else (p.end, q.start)
    return not re.search(r"[,;:]", sentence[a:b])


def tracker_named(sentence: str, profile: Profile | None) -> str | None:
    """The id of a known tracker the sentence names as its source ("according to ISW", "AFP's analysis of
    ISW data", "UK MoD", "DeepState"), from the profile's ``trackers``."""
    if profile is None:
        return None
    best: tuple[int, str] | None = None
    for tracker in getattr(profile, "trackers", ()) or ():
        for alias in (tracker.name, *tracker.aliases):
            flags = 0 if alias.isupper() and len(alias) <= 5 else re.I
            m = re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", sentence, flags)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), tracker.id)
    return best[1] if best else None


_REGION_WORDS = r"(?:region|oblast|province|governorate|district)"
_FRONT_WORDS = r"(?:direction|sector|front|axis)"
_NAME = r"([A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?)"
_NATIONAL = {"country", "territory", "territories", "land", "lands", "nation", "state", "map", "surface", "area"}


#: A region left out of a denominator ("Crimea", "the Golan Heights"), and the further ones of a list ("Crimea and
#: Sevastopol", "Crimea and the areas occupied before 2022": the last is no region, so the claim cannot be checked
#: rather than be judged without it).
_EXCLUDED = r"[A-Z][\w'’\-]+(?:\s+(?:Heights|Peninsula|Strip))?"
_MORE_EXCLUDED = (rf"(?:\s*,\s*|\s*,?\s+and\s+)(?:the\s+)?(?:{_EXCLUDED}|(?:areas?|territor(?:y|ies)|lands?|parts?|"
                  r"regions?|occupied|separatist)\b[^,.;]*)")


#: Words that leave a region out of a share ("excluding Crimea", "aside from Crimea", "Ukraine outside Crimea").
_LEAVING_OUT = (r"excluding|exclusive\s+of|not\s+counting|not\s+including|without|except(?:\s+for)?|"
                r"leaving\s+(?:aside|out)|apart\s+from|aside\s+from|other\s+than|setting\s+aside|save\s+for|"
                r"outside(?:\s+of)?|beyond")


def named_denominator(sentence: str, q: Quantity, profile: Profile | None = None
                      ) -> tuple[str | None, tuple[str, ...], bool]:
    """(region the figure is of, regions excluded from the denominator, inhabited-area only) named in a claim.

    "18% of the Donetsk region", "7% of Ukraine's territory in the Donetsk region", "99% of Luhansk" (a proper
    name that is not the country) → the region; "some 9% of Ukraine excluding Crimea" → excluded ("Crimea",);
    "of the country's inhabited area" → inhabited. A front sector ("in the Kursk direction") is a region too:
    no national figure may answer it.
    """
    after = sentence[q.end:q.end + 90]
    region = None
    m = re.match(rf"\s*of\s+(?:the\s+)?{_NAME}\s+{_REGION_WORDS}\b", after) or \
        re.match(rf"\s*of\s+(?:the\s+)?{_REGION_WORDS}\s+of\s+{_NAME}", after) or \
        re.search(rf"\b(?:in|within|across|inside)\s+(?:the\s+)?{_NAME}\s+(?:{_REGION_WORDS}|{_FRONT_WORDS})\b",
                  after) or \
        re.search(rf"\b(?:in|within|across|inside)\s+(?:the\s+)?{_REGION_WORDS}\s+of\s+{_NAME}", after)
    if m:
        region = m.group(1)
    else:
        m = re.match(rf"\s*of\s+(?:the\s+)?{_NAME}(?!['’]s)\b(?!\s+(?:{_REGION_WORDS}))", after)
        if m and not _is_country(m.group(1), profile):
            region = m.group(1)  # "99% of Luhansk": a part of the country, not the country
    if region is not None and m is not None and re.match(r"\s*(?:,|and\b|&)\s*(?:the\s+)?[A-Z]", after[m.end(1):]):
        # "of the Zaporizhzhia and Kherson regions": several regions together, which no single region answers
        region = after[m.start(1):].split(" region")[0].split(" oblast")[0].strip(" ,.;")
    excluded = tuple(dict.fromkeys(
        name for mm in [*re.finditer(rf"(?i:\b(?:{_LEAVING_OUT}))\s+(?:the\s+)?({_EXCLUDED}(?:{_MORE_EXCLUDED})*)",
                                     sentence),
                        *re.finditer(rf"\bif\s+(?:the\s+)?({_EXCLUDED}(?:{_MORE_EXCLUDED})*)\s+(?:is|are)\s+"
                                     r"(?:excluded|left\s+out|not\s+counted|set\s+aside)\b", sentence)]
        for name in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", mm.group(1))
        if name and not _names_actor(name, profile)))  # "Excluding Crimea, Russia holds ...": the list ended
    inhabited = bool(re.search(r"\binhabited\s+(?:area|territory|land|part)", sentence, re.I))
    return region, excluded, inhabited


_PLACE_PREP = re.compile(r"(?:\b(?:near|around|outside|in|at|towards?|across|inside)"
                         r"|\b(?:on\s+the\s+outskirts|in\s+the\s+vicinity|in\s+the\s+area)\s+of"
                         r"|^(?:Near|Around|Outside|In|Across))\s+(?:the\s+)?"
                         r"([A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?)")
_NOT_PLACES = {m.lower() for m in calendar.month_name[1:]} | {m.lower() for m in calendar.day_name} | {
    "the", "a", "an", "total", "all", "his", "her", "their", "its", "this", "that", "recent", "january"}


def place_named(sentence: str, profile: Profile | None) -> str | None:
    """A place an area figure is limited to ("near Pokrovsk", "around Kupiansk", "in eastern Ukraine" is not
    one but "in Eastern Ukraine"/"in Donbas" are): a local figure never answered with a national one."""
    if profile is None:
        return None
    known = {w.lower() for alias in profile.subject_aliases() for w in alias.split()}
    known |= {w.lower() for t in profile.trackers for a in (t.name, *t.aliases) for w in a.split()}
    for m in _PLACE_PREP.finditer(sentence):
        word = m.group(1)
        low = word.split()[0].lower().rstrip("'’s")
        if low in _NOT_PLACES or low in known or _is_country(word, profile) or word.split()[0].isupper():
            continue
        nxt = sentence[m.end():m.end() + 20]
        if re.match(r"['’]s\b", nxt):
            continue  # "in Russia's hands", "near Ukraine's border" name an owner, not a place
        return word
    return None


def _names_actor(name: str, profile: Profile | None) -> bool:
    """Whether a proper name is one of the profile's actors or coalitions ("Russia", "Kyiv"), not a region."""
    if profile is None:
        return False
    return name.lower() in profile.subject_aliases()


def _is_country(name: str, profile: Profile | None) -> bool:
    """Whether a proper name names the profile's whole country ("Ukraine", "Syria", "the Syrian Arab Republic")."""
    low = name.lower()
    if low.split()[0] in _NATIONAL:
        return True
    if profile is None:
        return True  # without a profile, never guess that a name is a region
    stems = {profile.id.lower()[:5], profile.boundary.country.lower()}
    return any(low.startswith(st) for st in stems if st)


def other_agents(sentence: str, q: Quantity, agents: Sequence[object], chosen: object,
                 profile: Profile | None = None) -> list[str]:
    """Other actors acting in the figure's clause ("Russian and Ukrainian forces each gained ..."): names of the
    profile's actors (aliases, or words such as "Russian" that name one actor only) other than the chosen
    subject, not introduced by "from"/"against"/"of" (a loser or a place). Non-empty: the subject is unsure."""
    from .subjects import _distinctive_words

    left = max(sentence.rfind(c, 0, q.start) for c in ",;:")
    rights = [i for i in (sentence.find(c, q.end) for c in ",;:") if i >= 0]
    right = min(rights) if rights else len(sentence)
    chosen_id = chosen.id  # type: ignore[attr-defined]
    def passive(text_before: str) -> bool:
        last = text_before.lower().split()[-1:]
        return bool(last) and last[0] in _NOT_ACTING

    out = [a.text for a in agents  # type: ignore[attr-defined]
           if left < a.start < right and a.id != chosen_id  # type: ignore[attr-defined]
           and not passive(sentence[:a.start])]  # type: ignore[attr-defined]
    if profile is not None:
        clause = sentence[left + 1:right]
        taken = [(a.start - left - 1, a.end - left - 1) for a in agents]  # type: ignore[attr-defined]
        for word, actor in _distinctive_words(profile).items():
            if actor == chosen_id or profile.coalition_of(actor) == chosen_id:
                continue
            for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", clause, re.I):
                if passive(clause[:m.start()]) or any(s <= m.start() < e for s, e in taken):
                    continue
                if re.match(r"\s+(?:territory|territories|land|lands|soil|regions?|cities|towns|villages|border)\b",
                            clause[m.end():], re.I):
                    continue  # "occupied Ukrainian territory": a place, not an actor
                out.append(m.group(0))
    return out


#: Words before a name that make it the loser, the place or the target, not an actor of the figure.
_NOT_ACTING = {"from", "against", "of", "by", "with", "repelled", "repulsed", "in", "inside", "across", "into",
               "on", "to"}
