"""Verdicts as schema.org ClaimReview JSON-LD, the format fact-checkers publish.

Rating scale (worstRating 1, bestRating 5): accurate 5, roughly accurate 4, overstated 3, understated 3,
false 1. A claim that cannot be checked gets ratingValue -1 (not rated) and says so in alternateName.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .model import Verdict, VerdictLabel

RATING: dict[VerdictLabel, int] = {
    VerdictLabel.ACCURATE: 5,
    VerdictLabel.ROUGHLY_ACCURATE: 4,
    VerdictLabel.OVERSTATED: 3,
    VerdictLabel.UNDERSTATED: 3,
    VerdictLabel.FALSE: 1,
    VerdictLabel.DIFFERS_BY_SOURCE: -1,
    VerdictLabel.UNCHECKABLE: -1,
}
TEXTUAL: dict[VerdictLabel, str] = {
    VerdictLabel.ACCURATE: "Accurate",
    VerdictLabel.ROUGHLY_ACCURATE: "Roughly accurate",
    VerdictLabel.OVERSTATED: "Overstated",
    VerdictLabel.UNDERSTATED: "Understated",
    VerdictLabel.FALSE: "False",
    VerdictLabel.DIFFERS_BY_SOURCE: "Differs by source: not comparable with the map data",
    VerdictLabel.UNCHECKABLE: "Cannot be checked with the data at hand",
}


def to_claimreview(verdict: Verdict, *, url: str | None = None, claim_url: str | None = None,
                   reviewer: str = "whoholds", date_published: dt.date | None = None) -> dict[str, Any]:
    """One ClaimReview object for a verdict.

    ``url`` is the page of the review (optional), ``claim_url`` where the claim appeared (becomes
    ``itemReviewed.appearance``); the claim's author is its speaker (a Person when the speaker looks like a
    personal name, an Organization otherwise).
    """
    claim = verdict.claim
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.speaker:
        item["author"] = {"@type": _agent_type(claim.speaker), "name": claim.speaker}
    when = claim.as_of or claim.period_end
    if when:
        item["datePublished"] = when.isoformat()
    if claim_url:
        item["appearance"] = {"@type": "CreativeWork", "url": claim_url}
    rating: dict[str, Any] = {
        "@type": "Rating",
        "ratingValue": RATING[verdict.label],
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": TEXTUAL[verdict.label],
        "ratingExplanation": verdict.explanation,
    }
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "datePublished": (date_published or dt.date.today()).isoformat(),
        "claimReviewed": claim.quote,
        "author": {"@type": "Organization", "name": reviewer},
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if url:
        doc["url"] = url
    return doc


def _agent_type(name: str) -> str:
    words = name.split()
    org_words = {"ministry", "staff", "institute", "observatory", "center", "centre", "agency", "forces",
                 "army", "government", "office", "news", "studies", "front", "command", "mod", "council"}
    if any(w.lower().strip(".,'’s") in org_words for w in words) or name.isupper() or len(words) == 1:
        return "Organization"
    return "Person"


def write_claimreview(verdicts: Iterable[Verdict], path: str | Path, *, claim_url: str | None = None,
                      url: str | None = None) -> int:
    """Write the verdicts as JSON-LD: one object for a single verdict, else a list. Returns the count."""
    docs = [to_claimreview(v, claim_url=claim_url, url=url) for v in verdicts]
    payload: Any = docs[0] if len(docs) == 1 else docs
    Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(docs)
