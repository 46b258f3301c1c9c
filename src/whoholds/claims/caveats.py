"""Readings a claim's wording leaves open, which would make a definite verdict wrong.

The sentence reader finds a figure's metric, actor, direction and period; these checks look at what the words
around the figure add to that, and say why a figure must not be judged when they change its meaning in a way the
reading did not capture:

- a **difference** between two amounts ("1,000 km² more in 2025 than in 2024"): not an amount held or gained;
- an **exclusion** the denominator reading did not resolve ("not counting the areas seized in 2014",
  "apart from territories occupied before 2022"): judged against the whole country, the verdict would be wrong;
- a **forecast, an aim or a condition** ("could capture 25%", "aims to seize", "if current trends continue");
- a **part of another figure** ("40 settlements, including 10 towns"), a **local count** ("10 villages in the
  Kharkiv region", "12 nearby villages") where whoholds counts for the whole country;
- a **relative change** ("gains fell 30% in December"): a percentage of an earlier amount, not of the country;
- held and **contested** land counted together ("21% of Ukraine, including the grey zone");
- a share **of something other than territory** ("30% of Ukraine's coastline", "10% of the population",
  "25% of its arable land"): map data measures land, not what lies on it.

Each check returns the reason as one clause (to follow "the parse is unsure: "), or "" when the wording is
clear. `caveat` runs them all for a reported figure.
"""

from __future__ import annotations

import re

from .model import ReportedFigure
from .readings import _LEAVING_OUT

__all__ = ["caveat", "contested_reason", "difference_reason", "exclusion_reason", "non_territorial_reason",
           "local_count_reason", "modal_reason", "relative_change_reason", "subset_reason"]

_UNIT_WORDS = (r"(?:%|per\s*cent|percent|percentage\s+points?|pp|points?|sq(?:uare)?\.?\s*(?:km|kilomet(?:re|er)s?)|"
               r"km(?:2|²)|kilomet(?:re|er)s?\s+squared|settlements?|villages?|towns?|localities|hamlets|"
               r"of\s+(?:land|territory|ground))")
_COMPARATIVES = r"(?:more|less|fewer|higher|lower|greater|larger|bigger|smaller)"
#: "1,000 km² more in 2025 than in 2024", "500 km² higher than in October": the figure is the gap between two.
_DIFFERENCE = re.compile(rf"^\s*{_UNIT_WORDS}?\s*(?:of\s+\w+\s+)?{_COMPARATIVES}\b[^.;:]*?\bthan\b", re.I)
#: "500 km² above last year's total", "2 points up on the previous month".
_GAP_TO = re.compile(rf"^\s*{_UNIT_WORDS}?\s*(?:above|below|short\s+of|up\s+on|down\s+on|ahead\s+of)\s+"
                     r"(?:the\s+)?(?:last|previous|prior|same|year-earlier|\w+['’]s?\s+(?:total|figure|level|"
                     r"gains?|losses|pace)|(?:a|one)\s+(?:year|month|week)\s+(?:earlier|before|ago))", re.I)


def difference_reason(sentence: str, end: int) -> str:
    after = sentence[end:end + 160]
    m = _DIFFERENCE.match(after) or _GAP_TO.match(after)
    if not m:
        return ""
    phrase = " ".join(m.group(0).split())
    return (f"the figure is a difference between two amounts ('… {phrase} …'), not an amount held or "
            "changed; whoholds does not check differences")


#: The words that leave a region out of a denominator (one list, read by `named_denominator` too), and those
#: that set a part apart without naming a denominator.
_EXCLUDING = _LEAVING_OUT + r"|barring|besides|in\s+addition\s+to|on\s+top\s+of|minus"
#: What an exclusion leaves out, when it is land: a proper name, or a phrase about territory or its era.
_LAND_OBJECT = re.compile(
    r"(?:the\s+)?(?:[A-Z][\w'’\-]+|[^,.;:()]{0,50}?\b(?:areas?|territor(?:y|ies)|lands?|regions?|oblasts?|"
    r"governorates?|provinces?|parts?|peninsula|zones?|districts?|occupied|annexed|seized|captured|held|"
    r"deserts?|badia|steppe|wilderness|uninhabited|unpopulated|empty|mountains?|waters?|sea|lakes?|reservoirs?|"
    r"controlled|contested|2014|2022)\b)")
_EXCLUSION = re.compile(rf"(?i:\b(?:{_EXCLUDING}))\s+(?P<object>{_LAND_OBJECT.pattern}[^,.;:()]{{0,40}})")
_EXCLUDED_PASSIVE = re.compile(r"\bif\s+(?P<object>[^,.;]{1,60}?)\s+(?:is|are|were|was)\s+(?:excluded|left\s+out|"
                               r"not\s+counted|set\s+aside|discounted)\b", re.I)
_PART_OF_COUNTRY = re.compile(r"\b(?:mainland|continental|[\w'’]+\s+proper)\b", re.I)


def exclusion_reason(sentence: str, excluded: tuple[str, ...], metric: str | None) -> str:
    """An exclusion ("not counting X", "if X is excluded", "mainland Ukraine") that the denominator reading
    did not turn into regions left out of the figure."""
    found = [m.group("object") for m in _EXCLUSION.finditer(sentence)]
    found += [m.group("object") for m in _EXCLUDED_PASSIVE.finditer(sentence)]
    for text in found:
        words = " ".join(text.split()).strip()
        place_words = re.match(r"(?:the\s+)?([A-Z][\w'’\-]+)", words)
        if place_words and metric not in ("share", "share_change") and re.match(r"(?i)outside|beyond", words):
            continue  # "captured 40 km² outside Bakhmut": where, not what is left out
        if place_words and any(place_words.group(1) in name or name in words for name in excluded):
            continue
        return (f"the claim leaves out {words!r}, which this reading could not turn into regions left out of "
                "the figure; judged against the whole country the verdict would be wrong")
    part = _PART_OF_COUNTRY.search(sentence)
    if part and not excluded:
        return (f"the claim is about {part.group(0)!r}, a part of the country whose extent this reading could not "
                "resolve")
    return ""


#: The nouns a share "of Ukraine's ..." / "of its ..." may name and still be a share of the territory.
_TERRITORY_NOUNS = {"territory", "territories", "land", "lands", "landmass", "soil", "surface", "area", "map",
                    "country", "state", "nation"}
_TERRITORY_MODIFIERS = {"internationally", "recognised", "recognized", "sovereign", "whole", "entire", "total",
                        "national", "overall", "own", "state", "legal", "official", "full"}
_OWNER = r"(?:(?:the\s+)?[\w\-]+['’]s?|its|their)"
#: "of Ukraine's Donetsk region", "of Syria's north-east": a part of the country, read as a region elsewhere.
_PART_NOUNS = {"region", "regions", "oblast", "oblasts", "province", "provinces", "governorate", "governorates",
               "district", "districts", "peninsula", "east", "west", "north", "south", "north-east", "northeast",
               "north-west", "northwest", "south-east", "southeast", "south-west", "southwest", "border", "front"}
_STOP = (r"\b(?:has|have|had|is|are|was|were|in|by|from|to|and|or|since|as|on|at|with|that|which|who|after|"
         r"before|under|according|compared|than|up|down|now|so|for|while|but|this|last|a|an)\b")


def non_territorial_reason(sentence: str, end: int, start: int = 0) -> str:
    """"30% of Ukraine's coastline": a share of something other than territory, which a map of control cannot
    measure."""
    m = re.match(rf"\s*of\s+{_OWNER}\s+(?P<np>(?:(?!{_STOP})[\w'’\-]+\s*){{1,4}})", sentence[end:end + 120], re.I)
    if not m:
        return _population_reason(sentence, end, start)
    if any(w[:1].isupper() for w in m.group("np").split()):
        return ""  # a proper name: a region or place, read as one elsewhere
    words = [w.lower().strip("'’") for w in m.group("np").split()]
    if any(w in _PART_NOUNS for w in words):
        return ""
    if any(w in _TERRITORY_NOUNS for w in words) and all(
            w in _TERRITORY_NOUNS or w in _TERRITORY_MODIFIERS for w in words):
        return ""
    np = " ".join(m.group("np").split())
    return (f"the figure is a share of {np!r}, not of the territory; map data measures the land each side holds, "
            "not what lies on it")


_POPULATION = re.compile(r"^\s*of\s+(?:the\s+)?(?:[\w'’\-]+\s+){0,2}?(?:population|people|residents|inhabitants|"
                         r"citizens|voters|economy|gdp|industry|coastline|farmland|resources)\b", re.I)


#: "of Syrians", "of all Ukrainians": people, by their demonym.
_DEMONYM = re.compile(r"^\s*of\s+(?:all\s+|the\s+)?[A-Z][a-z]+(?:ians|ans|is|ese)\b")


def _population_reason(sentence: str, end: int, start: int) -> str:
    m = _POPULATION.match(sentence[end:end + 80]) or _DEMONYM.match(sentence[end:end + 80])
    if not m and re.search(r"\bhome\s+to\s+(?:(?:about|around|some|nearly|almost|over|more\s+than|roughly|"
                           r"just|an\s+estimated)\s+)*$", sentence[max(0, start - 60):start], re.I):
        return ("the figure is the people living in the territory ('home to …'), not its area; map data "
                "measures the land each side holds")
    if not m:
        return ""
    what = " ".join(m.group(0).split()[1:])
    return (f"the figure is a share of {what!r}, not of the territory; map data measures the land each side "
            "holds, not who or what lies on it")


_CONTESTED = re.compile(
    r"\b(?:including|includes|with|plus|counting|and)\s+(?:the\s+|its\s+)?(?:so-called\s+)?(?:gr[ae]y\s+(?:zones?|areas?)|"
    r"contested\s+(?:zones?|areas?|land|territor(?:y|ies))|disputed\s+(?:zones?|areas?|land|territor(?:y|ies))|"
    r"no-man['’]s[-\s]land)"
    r"|\b(?:holds?|held|controls?|controlled|occupies|occupied)\s+or\s+(?:contests?|contested|disputes?|disputed)\b",
    re.I)


def contested_reason(sentence: str) -> str:
    """"21% of Ukraine, including the grey zone", "holds or contests 21%": held and contested land together."""
    m = _CONTESTED.search(sentence)
    if not m:
        return ""
    return (f"the claim counts contested land with the land held ({' '.join(m.group(0).split())!r}); whoholds "
            "compares the land held, so the figure would be judged on another definition")


_QUANTITY_NOUN = (r"(?:gains?|advances?|losses|pace|rate|speed|tempo|momentum|area|territory|land|holdings|"
                  r"footprint|share)")
_CHANGE_VERB = (r"(?:fell|fall(?:s|en)?|dropped|drops?|rose|rise[ns]?|increased|increases?|decreased|decreases?|"
                r"grew|grows?|grown|declined|declines?|slowed|slows?|shrank|shrunk|shrinks?|jumped|jumps?|"
                r"surged|surges?|climbed|climbs?|plunged|plunges?|expanded|expands?|contracted|contracts?|"
                r"slumped|soared|accelerated|were\s+(?:up|down)|was\s+(?:up|down)|(?:is|are)\s+(?:up|down))")
#: "gains fell 30% in December", "increased their territorial gains by 15 percent": a relative change of a
#: quantity, not a share of the country (which would be "by 0.7 percent of the country" or "points").
_RELATIVE = re.compile(
    rf"\b{_QUANTITY_NOUN}\b[^.;:,]{{0,60}}?\b{_CHANGE_VERB}\s+(?:by\s+)?(?:(?:about|around|some|nearly|almost|"
    r"over|more\s+than|roughly|just|an\s+estimated)\s+)*$"
    rf"|\b(?:increased|decreased|raised|cut|reduced|doubled|halved|boosted|slowed)\s+(?:their|its|the)\s+"
    rf"(?:territorial\s+)?{_QUANTITY_NOUN}\s+by\s+(?:(?:about|around|some|nearly|almost|over|roughly)\s+)*$",
    re.I)


def relative_change_reason(sentence: str, start: int, end: int) -> str:
    if re.match(r"\s*of\s+(?:the\s+|its\s+|their\s+)?(?:[A-Z][\w'’\-]*|country|territory|land)", sentence[end:]):
        return ""  # "grew by 0.7 percent of the country": a share of the country after all
    m = _RELATIVE.search(sentence[max(0, start - 120):start])
    if not m:
        return ""
    return (f"the figure is a relative change ('{' '.join(m.group(0).split())} …'), a percentage of an earlier "
            "amount, not a share of the country")


#: "40 settlements, including 10 towns", "of which 12", "among them 5": a part of another figure.
_SUBSET = re.compile(r"(?:\bincluding|\bamong\s+them|\bamong\s+which|\bof\s+(?:which|whom|them)|\bout\s+of\s+which|"
                     r"\bincluded|\bof\s+(?:these|those|this)"
                     # "114,000 km², of which Crimea accounts for 27,000": the part named inside the clause
                     r"|\b(?:of|out\s+of)\s+(?:which|these|this|them)\b[^.;]{0,60}?\b(?:accounts?\s+for|accounted\s+for|"
                     r"makes?\s+up|made\s+up|represents?|represented|comprises?|is|are|was|were))"
                     r"\s+(?:(?:about|around|some|nearly|almost|over|more\s+than|roughly|at\s+least|just)\s+)*$",
                     re.I)


def subset_reason(sentence: str, start: int) -> str:
    m = _SUBSET.search(sentence[max(0, start - 100):start])
    if not m:
        return ""
    return (f"the figure is a part of another one ('{' '.join(m.group(0).split())} …'); what it counts is not "
            "told apart on the map")


_PLACE = r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?"
_LOCAL = re.compile(
    rf"\b(?:in|across|within|inside|of)\s+(?:the\s+)?{_PLACE}\s+(?:region|oblast|province|governorate|district|"
    rf"raion|direction|sector|front|axis|area)\b|\b(?:in|across)\s+(?:the\s+)?(?:region|oblast|province|"
    rf"governorate)\s+of\s+{_PLACE}|\b(?:near|around|outside|surrounding)\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+)?"
    rf"{_PLACE}|\b(?:nearby|surrounding|neighbouring|neighboring|adjacent)\b")


def local_count_reason(sentence: str, end: int) -> str:
    """"10 villages in the Kharkiv region", "12 nearby villages": a local count, which a national one does not
    answer. Words after the figure's clause ("40 settlements, a third of them in Donetsk") are another matter."""
    stop = re.search(r"[,;:—–]|\s-\s", sentence[end:])
    m = _LOCAL.search(sentence[:end + stop.start()] if stop else sentence)
    if not m:
        return ""
    return (f"the count is local ('{' '.join(m.group(0).split())}'); whoholds counts settlements for the whole "
            "country, which would not answer it")


#: "could capture 25%", "aims to seize 20,000 km²", "are expected to take", "would need to capture", "if current
#: trends continue": a forecast, an aim or a condition, not a statement of what happened ("may have captured",
#: a hedged statement about the past, is judged; the modals are lower case, so "In May" stays a month).
_MODAL = re.compile(
    r"(?-i:\b(?:could|would|might|may|will|shall|should|must|can)\b)(?!\s+(?:not\s+)?have\b)(?!\s+\d)"
    r"|['’]ll\b"
    r"|\b(?:aims?|aimed|aiming|plans?|planned|planning|wants?|wanted|seeks?|sought|seeking|intends?|intended|"
    r"intending|hopes?|hoped|hoping|needs?|needed|threatens?|threatened|vows?|vowed|pledges?|pledged|"
    r"promises?|promised|tries|tried|trying|attempts?|attempted|is\s+due|are\s+due)\s+to\b"
    r"|\b(?:expected|likely|unlikely|set|poised|forecast|projected|predicted|on\s+(?:course|track))\s+to\b"
    r"|\b(?:if|unless|should)\b[^,;]{0,60}\b(?:continue|continues|persist|persists|hold|holds|keep|keeps)\b"
    r"|^\s*if\b|,\s*if\b",
    re.I)


def modal_reason(sentence: str, start: int) -> str:
    """A forecast, an aim or a condition before the figure, in its clause."""
    clause = re.split(r"[;:]|\bbut\b", sentence[:start])[-1]
    m = _MODAL.search(clause)
    if not m:
        return ""
    return (f"the figure is a forecast, an aim or a condition ('{' '.join(m.group(0).split())} …'), not a "
            "statement of what the map shows")


def caveat(fig: ReportedFigure) -> str:
    """Why a definite verdict on ``fig`` could be wrong because of its wording ("" when none applies)."""
    if fig.metric is None:
        return ""
    sentence, (start, end) = fig.quote, fig.span
    reason = modal_reason(sentence, start) or difference_reason(sentence, end) or subset_reason(sentence, start)
    if not reason and fig.metric in ("settlement_count", "settlement_change"):
        reason = local_count_reason(sentence, end)
    if not reason and fig.unit in ("percent", "km2"):
        reason = exclusion_reason(sentence, tuple(fig.excluded), fig.metric)
    if not reason and fig.unit in ("percent", "km2"):
        reason = contested_reason(sentence)
    if not reason and fig.unit == "percent":
        reason = relative_change_reason(sentence, start, end)
    if not reason and fig.unit == "percent" and not fig.inhabited:  # "of the inhabited area": read, and checked
        reason = non_territorial_reason(sentence, end, start)
    return reason
