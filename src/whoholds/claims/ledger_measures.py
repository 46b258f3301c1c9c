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
    (r"reception cent(?:re|er)s?|accommodation cent(?:re|er)s?|temporary accommodation|shelters? (?:set|opened)",
     "reception_centres"),
    (r"conditions .*receive|capacity|places for|able to (?:receive|accommodate)|to receive|to accommodate",
     "reception_capacity"),
    (r"ports? of entry|border crossings?|checkpoints? (?:open|active)|crossings? (?:open|active)",
     "entry_points_open"),
    (r"(?:restor|rebuil|repair|reconstruct|renovat|recommission|reopen)", "restored"),
    # people who came back are counted apart by who they are: prisoners exchanged, the internally displaced,
    # refugees from abroad (the returnees the reception capacity is for)
    (r"prisoners|captivity|\bpows?\b|defenders returned|(?:released|freed) from", "prisoners_returned"),
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


def bulletin_key(indicator: str) -> str | None:
    """The bulletin measure an indicator is about ("returnees", "restored:medical", ...), or None."""
    low = indicator.lower()
    for pattern, key in BULLETIN_KEYS:
        if re.search(pattern, low):
            if key == "restored":
                cat = next((c for rx, c in FACILITY_CATEGORIES if re.search(rf"\b(?:{rx})", low)), None)
                return f"restored:{cat}" if cat else "restored:other"
            return key
    return None


def is_bulletin_measure(key: str) -> bool:
    """Whether an indicator key is one of the bulletin measures (`BULLETIN_KEYS`), which name no party."""
    return key.startswith("restored:") or key in {k for _, k in BULLETIN_KEYS}


def is_cumulative(quote: str | None) -> bool:
    """A figure that counts everything so far ("in total", "a total of", "to date")."""
    return bool(quote and _CUMULATIVE_CUE.search(quote))
