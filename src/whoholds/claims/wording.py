"""More readings a claim's wording leaves open (the companion of `claims/caveats.py`, same contract: each check
returns the reason as one clause to follow "the parse is unsure: ", or "" when the wording is clear).

Found by putting officials' and outlets' real wordings to ``check``; each would otherwise give a confident
label on the wrong definition:

- a **loss of a share** ("Ukraine has lost almost 20% of its territory", "ISIS has lost 60% of its territory"):
  a cumulative loss since a start the claim does not give, or a share of the actor's own former land — never a
  share the actor holds (read as one, a true claim becomes "false");
- a share **taken from** someone with no holder named ("96.5% of the territory has been liberated from
  terrorists"): the one named is the loser, not the holder;
- an actor named **after** the figure that goes with the next figure of a list ("42% of Syria, SDF areas 23%");
- the **name of the country as the actor** of a figure ("up from 18.3% a year ago", "Russia's share of Ukraine"):
  the place, not who holds it;
- a **rate** the number reader left as a total ("350 km² a month on average in 2025").

`denied` is no caveat but a reading: "claims that Russia holds 30% of Ukraine are false", "it is not true that
…", "reports that … are fake" state the negation of the figure, and are judged as such.
"""

from __future__ import annotations

import re

from .model import ReportedFigure

__all__ = ["denied", "wording_reason"]

_LOSS_VERBS = {"lost", "lose", "loses", "losing", "ceded", "cede", "cedes", "surrendered", "surrender",
               "relinquished", "abandoned", "withdrew", "withdrawn"}

_FALSE_WORDS = (r"(?:false|untrue|not\s+true|wrong|incorrect|baseless|groundless|fake|fabricated|a\s+lie|lies|"
                r"outdated|out\s+of\s+date|obsolete|no\s+longer\s+(?:true|accurate|valid)|"
                r"a\s+fabrication|nonsense|misleading|(?:wildly\s+|grossly\s+|greatly\s+|vastly\s+)?"
                r"exaggerated|(?:wildly\s+|grossly\s+)?inflated|overstated|disinformation|propaganda|a\s+myth|"
                r"not\s+(?:accurate|correct|supported))")
_CLAIM_NOUNS = r"(?:claims?|reports?|assertions?|allegations?|suggestions?|statements?|rumou?rs?|figures?|idea)"
#: "claims that X are false", "the claim that X is untrue", "Russian claims of having taken X are exaggerated".
_DENIED_AFTER = re.compile(rf"\b{_CLAIM_NOUNS}\s+(?:that|of|to\s+have)\b", re.I)
_DENIAL_VERB_AFTER = re.compile(rf"^[^;:]*?\b(?:is|are|was|were|remain|remains|seem|seems|appear|appears)\s+"
                                rf"(?:(?:simply|clearly|patently|completely|entirely|totally|also|all)\s+)*"
                                rf"{_FALSE_WORDS}\b", re.I)
#: "It is false that …", "It is not true that …", "X denied that …", "X rejected claims that …".
_DENIED_BEFORE = re.compile(rf"\bit\s+(?:is|was)\s+(?:simply\s+)?{_FALSE_WORDS}\s+that\b"
                            # "failed to capture even 4,000 km²": it did not
                            r"|\b(?:failed|fails|fail)\s+to\s+\w+\s+(?:even\s+|as\s+much\s+as\s+)?$"
                            r"|\b(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|refutes|debunked)"
                            rf"\s+(?:(?:the\s+)?{_CLAIM_NOUNS}\s+)?(?:that|of)\b", re.I)


def denied(fig: ReportedFigure) -> bool:
    """The sentence states that the figure's claim is false ("claims that Russia holds 30% of Ukraine are
    false", "it is not true that …", "X denied that …"): the figure is said not to hold."""
    sentence, (start, end) = fig.quote, fig.span
    before = sentence[:start]
    if _DENIED_BEFORE.search(before):
        return True
    return bool(_DENIED_AFTER.search(before)) and bool(_DENIAL_VERB_AFTER.match(sentence[end:]))


def share_loss_reason(fig: ReportedFigure) -> str:
    """"Ukraine has lost almost 20% of its territory": a loss of a share, read by the sentence reader as the
    share held (no period: "has been retaken" = held now), which inverts the claim."""
    if fig.metric not in ("share", "area") or (fig.direction_text or "").lower() not in _LOSS_VERBS:
        return ""
    return (f"the figure is land {fig.direction_text!r} — a cumulative loss since a start the claim does not "
            "give, or a share of the actor's own former territory — not a share it holds")


def taken_from_reason(fig: ReportedFigure) -> str:
    """"96.5% of the territory has been liberated from terrorists": the one named is the loser; who holds the
    land is not said."""
    if fig.metric not in ("share", "area", "settlement_count") or not fig.subject_text:
        return ""
    sentence = fig.quote
    for m in re.finditer(rf"(?<![\w-]){re.escape(fig.subject_text)}(?![\w-])", sentence):
        if not re.search(r"\b(?:from|(?:the\s+)?hands\s+of|(?:cleared|freed|rid|purged|emptied)\s+of)\s+(?:the\s+)?$",
                         sentence[:m.start()], re.I):
            return ""
    return (f"'{fig.subject_text}' is the side the land was taken from, and the claim does not say who holds "
            "it; whoholds compares land held")


def later_actor_reason(fig: ReportedFigure) -> str:
    """"Government-held areas account for 42% of Syria, SDF areas 23%": the actor the reading found is named
    after the figure, and comes with a figure of its own."""
    if not fig.subject_text:
        return ""
    sentence, (start, end) = fig.quote, fig.span
    found = [m for m in re.finditer(rf"(?<![\w-]){re.escape(fig.subject_text)}(?![\w-])", sentence)]
    if not found or any(m.start() < start for m in found):
        return ""
    first = found[0]
    own_figure = re.match(r"^[^.;:]{0,40}?\d", sentence[first.end():])
    if own_figure and re.search(r"[,;]|\band\b", sentence[end:first.start()]):
        return (f"the actor the reading found ('{fig.subject_text}') is named after the figure, with a figure of "
                "its own; who the figure is about is not clear")
    return ""


def country_as_actor_reason(fig: ReportedFigure, country_names: tuple[str, ...]) -> str:
    """"Russia holds 19% of Ukraine, up from 18.3% a year ago": read with the country's name as the actor,
    where it is the place ("of Ukraine"), not who holds it."""
    text = (fig.subject_text or "").lower()
    if not text or text not in {n.lower() for n in country_names}:
        return ""
    sentence = fig.quote
    uses = list(re.finditer(rf"(?<![\w-]){re.escape(fig.subject_text or '')}(?![\w-])", sentence))
    if uses and all(re.search(r"\b(?:of|in|across|inside|within|throughout)\s+(?:all\s+(?:of\s+)?)?$",
                              sentence[:m.start()], re.I) for m in uses):
        return (f"'{fig.subject_text}' is named as the place ('of {fig.subject_text}'), not as who holds the "
                "land; who the figure is about is not clear")
    return ""


_RATE_WORDS = re.compile(r"^\s*(?:of\s+\w+\s+)?(?:a|per|each|every)\s+(?:day|week|month|year)\b"
                         r"|^\s*(?:daily|weekly|monthly)\b|^\s*on\s+average\b", re.I)


def unread_rate_reason(fig: ReportedFigure) -> str:
    """"350 km² a month on average in 2025": a rate the number reader did not read as one."""
    if fig.metric not in ("area_change", "share_change", "settlement_change") or fig.rate_days or fig.per:
        return ""
    after = fig.quote[fig.span[1]:fig.span[1] + 40]
    before = fig.quote[max(0, fig.span[0] - 40):fig.span[0]]
    if _RATE_WORDS.match(after) or re.search(r"\b(?:average|averaging|averaged)\s+(?:of\s+)?"
                                             r"(?:(?:about|around|some|nearly|almost|roughly|over)\s+)*$",
                                             before, re.I):
        return ("the figure is a rate or an average whose time unit this reading could not resolve, not the "
                "total of the period")
    return ""


_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|November|December")
#: "nearly double October's 246 km²", "last year's 4,100 km²": the figure is of the period its owner names.
_OWNED_PERIOD = re.compile(rf"\b(?P<when>(?:{_MONTHS})|(?:last|the\s+previous|the\s+prior|a\s+year\s+earlier)\s+"
                           r"(?:week|month|year|quarter)|(?:19|20)\d\d|(?:the\s+)?year-earlier)['’]s?\s+"
                           r"(?:(?:total\s+of|figure\s+of|about|around|some|nearly|almost|roughly|over)\s+)*$")


def owned_period_reason(fig: ReportedFigure) -> str:
    """"475 km² in November, nearly double October's 246 km²": the 246 is October's, not November's."""
    m = _OWNED_PERIOD.search(fig.quote[max(0, fig.span[0] - 60):fig.span[0]])
    if not m or " ".join(m.group("when").split()).lower() in (fig.period_text or "").lower():
        return ""
    return (f"the figure is {m.group('when')}'s (\"{' '.join(m.group(0).split())} …\"), whose period this reading "
            "could not resolve")


#: "3,750 km² this year, equivalent to 0.6% of Ukraine": a change restated as a share, not a share held.
_RESTATED = re.compile(r"(?:\b(?:equivalent|equal|amounting|corresponding)\s+to|\brepresenting|\bor|\bi\.e\.|"
                       r"\bthat\s+is)\s+(?:(?:about|around|some|nearly|almost|roughly|just|over|under)\s+)*$", re.I)
_GAIN_VERBS = {"captured", "capture", "seized", "seize", "took", "taken", "take", "gained", "gain", "won", "retook",
               "retaken", "recaptured", "liberated", "freed", "grabbed", "advanced"}


def restated_change_reason(fig: ReportedFigure) -> str:
    if fig.metric not in ("share", "area") or (fig.direction_text or "").lower() not in _GAIN_VERBS | _LOSS_VERBS:
        return ""
    m = _RESTATED.search(fig.quote[max(0, fig.span[0] - 40):fig.span[0]])
    if not m or not re.search(r"\d", fig.quote[:fig.span[0] - len(m.group(0))]):
        return ""
    return (f"the figure restates the change before it ('{' '.join(m.group(0).split())} …'); it is land "
            f"{fig.direction_text}, not land held")


#: "58% of Syria remains outside government control", "beyond Kyiv's control": everyone else's share.
_OUTSIDE = re.compile(r"\b(?:outside(?:\s+of)?|beyond|out\s+of|not\s+under|free\s+of|no\s+longer\s+under)\s+"
                      r"(?:the\s+)?[\w'’\-]+(?:\s+[\w'’\-]+)?\s+control\b|\boutside\s+(?:of\s+)?(?:the\s+)?"
                      r"(?:control|hands)\s+of\b", re.I)


def outside_control_reason(fig: ReportedFigure) -> str:
    m = _OUTSIDE.search(fig.quote)
    if not m or fig.metric not in ("share", "area", "settlement_count"):
        return ""
    return (f"the figure is of land {' '.join(m.group(0).split())!r} — every other side's together — not land the "
            "named side holds")


_SHORT_PERIOD = re.compile(rf"\b(?:{_MONTHS}|month|week|weekend|day|days|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b",
                           re.I)


def occupied_in_reason(fig: ReportedFigure) -> str:
    """"Russia occupied 0.08% of Ukraine in November": "occupied" is holding and taking; with a month or a
    week (a level is said "by" or "at the end of" it) the share may be the one taken during it."""
    if fig.metric != "share" or (fig.direction_text or "").lower() != "occupied" or not fig.period_text:
        return ""
    text = fig.period_text
    if not re.match(r"(?i)\s*(?:in|during|over|throughout|last|this|the\s+past)\b", text) \
            or not _SHORT_PERIOD.search(text):
        return ""
    return (f"'occupied … {text}' may be the share held then or the share taken during it; this reading "
            "cannot tell which")


def wording_reason(fig: ReportedFigure, country_names: tuple[str, ...] = ()) -> str:
    """The first of these readings that leaves the figure open ("" when none does)."""
    return (share_loss_reason(fig) or taken_from_reason(fig) or later_actor_reason(fig)
            or country_as_actor_reason(fig, country_names) or unread_rate_reason(fig) or owned_period_reason(fig)
            or restated_change_reason(fig) or outside_control_reason(fig) or occupied_in_reason(fig))
