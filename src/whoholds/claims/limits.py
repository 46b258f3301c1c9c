"""Bounds on text inputs: every text path of whoholds has a size cap with a one-line error, so no input can
make a claim check or an article read run for minutes (issue 15, "hangs").

A claim is a sentence or two: `MAX_CLAIM_CHARS`. An article is a page: `MAX_ARTICLE_CHARS` (a long report is
~100 kB, a book ~1 MB). Below the caps, the cost of reading is linear in the text (see benchmarks/read_scaling.py).
"""

from __future__ import annotations

from ..errors import InputError, QueryError

MAX_CLAIM_CHARS = 2_000
MAX_ARTICLE_CHARS = 5_000_000


def require_claim_length(text: str, source: str = "claim") -> str:
    """``text`` when it is short enough to be a claim; else a one-line QueryError."""
    if len(text) > MAX_CLAIM_CHARS:
        raise QueryError(source, f"too long for a claim: {len(text):,} characters (the limit is "
                                 f"{MAX_CLAIM_CHARS:,}); give the sentence that makes the claim, or read a whole "
                                 "text with `whoholds read`")
    return text


def article_too_long(source: str, n: int) -> InputError:
    return InputError(source, f"article too long: {n / 1e6:.1f} million characters (the limit is "
                              f"{MAX_ARTICLE_CHARS / 1e6:g} million); give the article itself, not a whole site "
                              "or a book")
