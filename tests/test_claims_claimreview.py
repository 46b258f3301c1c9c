"""ClaimReview JSON-LD (schema.org) for verdicts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from whoholds.claims.claimreview import RATING, to_claimreview, write_claimreview
from whoholds.claims.model import Claim, Verdict, VerdictLabel
from whoholds.types import Figure, Provenance


def verdict(label: VerdictLabel, speaker: str | None = "Mikhail Mizintsev") -> Verdict:
    claim = Claim(quote="over 96.5% of the country has been retaken by pro-government forces", metric="share",
                  value=96.5, unit="percent", comparator="floor", qualifier="over", subject="pro_government",
                  subject_kind="coalition", speaker=speaker, as_of=dt.date(2018, 12, 11), profile="syria")
    fig = Figure(60.0, "percent", "share", Provenance(("s1",), ("map",), "b", "m", "0.1"), dt.date(2018, 12, 10))
    return Verdict(claim=claim, label=label, figure=fig, tolerance="rule", explanation="Why it is so.")


def test_structure() -> None:
    doc = to_claimreview(verdict(VerdictLabel.FALSE), url="https://checks.example/1",
                         claim_url="https://www.globalresearch.ca/x", date_published=dt.date(2026, 1, 2))
    assert doc["@context"] == "https://schema.org"
    assert doc["@type"] == "ClaimReview"
    assert doc["claimReviewed"].startswith("over 96.5%")
    assert doc["datePublished"] == "2026-01-02"
    assert doc["url"] == "https://checks.example/1"
    assert doc["author"] == {"@type": "Organization", "name": "whoholds"}
    r = doc["reviewRating"]
    assert r["@type"] == "Rating" and r["ratingValue"] == 1 and r["alternateName"] == "False"
    assert (r["worstRating"], r["bestRating"]) == (1, 5)
    item = doc["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Mikhail Mizintsev"}
    assert item["datePublished"] == "2018-12-11"
    assert item["appearance"] == {"@type": "CreativeWork", "url": "https://www.globalresearch.ca/x"}
    json.dumps(doc)  # serialisable


@pytest.mark.parametrize("label", list(VerdictLabel))
def test_every_label_has_a_rating(label: VerdictLabel) -> None:
    r = to_claimreview(verdict(label))["reviewRating"]
    assert r["ratingValue"] == RATING[label]
    assert r["alternateName"]
    assert r["ratingValue"] == -1 or r["worstRating"] <= r["ratingValue"] <= r["bestRating"]


def test_url_optional_and_organisation_author(tmp_path: Path) -> None:
    doc = to_claimreview(verdict(VerdictLabel.ACCURATE, speaker="Russian Defence Ministry"))
    assert "url" not in doc
    assert doc["itemReviewed"]["author"]["@type"] == "Organization"
    out = tmp_path / "cr.jsonld"
    assert write_claimreview([verdict(VerdictLabel.ACCURATE)], out) == 1
    assert json.loads(out.read_text())["@type"] == "ClaimReview"
    assert write_claimreview([verdict(VerdictLabel.ACCURATE), verdict(VerdictLabel.FALSE)], out) == 2
    assert len(json.loads(out.read_text())) == 2
