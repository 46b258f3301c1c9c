"""What a bulletin figure counts, from the words of its indicator: people and places as distinct measures
(returnees from abroad, internally displaced, prisoners returned, reception capacity, reception centres,
localities, ports of entry, restored facilities by category), and whether the figure is a running total."""

from __future__ import annotations

import re

#: What bulletin figures count, from the words of their indicator: (pattern, key). First match wins; the key of
#: a restored facility carries its category. People and places are different keys, whatever the wording.
BULLETIN_KEYS: tuple[tuple[str, str], ...] = (
    # "centres set up in 412 localities", "people in 412 localities": the number counts localities, not centres
    (r"\b(?:in|of|across) (?:the )?(?:localities|settlements|towns and villages)$", "localities"),
    # "centres capable of accommodating 1,497,650 people": the number counts people (places), not centres
    (r"(?:capable of|able to|ready to|prepared to|created to|conditions .*to) (?:receiv|accommodat|host)\w*\b.*"
     r"\b(?:people|persons|refugees|returnees|displaced|families)$|\bcapacity\b|\bplaces for\b",
     "reception_capacity"),
    (r"reception cent(?:re|er)s?|accommodation cent(?:re|er)s?|temporary accommodation|shelters? (?:set|opened)",
     "reception_centres"),
    (r"conditions .*receive|able to (?:receive|accommodate)|to receive|to accommodate", "reception_capacity"),
    (r"ports? of entry|border crossings?|checkpoints? (?:open|active)|crossings? (?:open|active)",
     "entry_points_open"),
    (r"(?:restor|rebuil|repair|reconstruct|renovat|recommission|reopen)", "restored"),
    # people who came back are counted apart by who they are: prisoners exchanged, the internally displaced,
    # refugees from abroad (the returnees the reception capacity is for)
    (r"prisoners|captivity|\bpows?\b|defenders returned|(?:released|freed) from|exchanged|"
     r"(?:ukrainians|soldiers|servicemen|defenders|civilians|captives) (?:freed|released)", "prisoners_returned"),
    (r"(?:internally displaced|\bidps?\b|displaced persons).*(?:return|came back|went back)|"
     r"(?:return|came back|went back).*(?:internally displaced|\bidps?\b|displaced persons)", "returnees_idp"),
    (r"(?:return|came back|come back|gone back|went back|returnees)", "returnees"),
)
#: Categories of restored facilities: synonyms → one category.
FACILITY_CATEGORIES: tuple[tuple[str, str], ...] = (
    (r"residential|houses?|homes?|dwellings|apartment|buildings", "residential buildings"),
    (r"schools?|kindergartens?", "schools"),
    (r"education|universit|institutes?", "education facilities"),
    (r"hospitals?|medical|health|clinics?", "medical"),
    (r"water|pumping", "water"),
    (r"electric|power|substations?|energy", "power"),
    (r"industrial|factor(?:y|ies)|plants?", "industrial"),
    (r"bridges?|roads?|kilometres of road", "roads and bridges"),
    (r"bakeries|bakery|mills?", "bakeries"),
    (r"mosques?|churches?|religious", "religious"),
)
_CUMULATIVE_CUE = re.compile(r"\b(?:in total|a total of|total(?:ling)?|overall|altogether|so far|to date|in all|"
                             r"since the (?:start|beginning)|cumulative)\b", re.IGNORECASE)


_RESTORE_VERB = re.compile(r"\b(?:restor|rebuil|repair|reconstruct|renovat|recommission|reopen)\w*", re.I)
_HARM_VERB = re.compile(r"\b(?:destroy|damag|loot|burn|shell|bomb|demolish|collaps|attack)\w*", re.I)


def _category(text: str) -> str | None:
    return next((c for rx, c in FACILITY_CATEGORIES if re.search(rf"\b(?:{rx})", text)), None)


def bulletin_key(indicator: str, quote: str | None = None) -> str | None:
    """The bulletin measure an indicator is about ("returnees", "restored:medical", ...), or None.

    ``quote`` (the sentence) decides one case the indicator alone cannot: a facility in a list whose verb is
    shared ("56 bakeries, 1,170 schools ..., as well as 212 water supply facilities ... have been rebuilt"
    gives "water supply facilities" without its verb). It counts as restored only when the sentence restores
    and harms nothing (no "destroyed", "damaged"...)."""
    low = indicator.lower()
    for pattern, key in BULLETIN_KEYS:
        if re.search(pattern, low):
            if key == "restored":
                cat = _category(low)
                return f"restored:{cat}" if cat else "restored:other"
            return key
    cat = _category(low)
    if cat and quote and _RESTORE_VERB.search(quote) and not _HARM_VERB.search(quote):
        return f"restored:{cat}"
    return None


def is_bulletin_measure(key: str) -> bool:
    """Whether an indicator key is one of the bulletin measures (`BULLETIN_KEYS`), which name no party."""
    return key.startswith("restored:") or key in {k for _, k in BULLETIN_KEYS}


def is_cumulative(quote: str | None) -> bool:
    """A figure that counts everything so far ("in total", "a total of", "to date")."""
    return bool(quote and _CUMULATIVE_CUE.search(quote))
