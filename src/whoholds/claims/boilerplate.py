"""Site furniture in article text: share prompts, copyright and disclaimer notices, "become a member", bylines
of other articles — dropped paragraph by paragraph (what survives trafilatura's cleaning, and text files).
"""

from __future__ import annotations

import re

#: Phrases that mark a paragraph as site boilerplate wherever they occur in it.
BOILERPLATE_ANYWHERE = (
    "share buttons", "all rights reserved", "©", "copyrighted material", "fair use",
    "sole responsibility of the author", "for media inquiries", "forward this article", "note to readers",
    "the original source of this article", "privacy policy", "cookie policy", "we use cookies",
    "terms of use", "terms of service", "grants permission to cross-post", "crosspost on your blog",
    "support independent journalism", "this article was originally published",
)
#: Phrases that mark a short paragraph as boilerplate when it starts with them.
BOILERPLATE_START = (
    "comment on", "become a member", "articles by", "subscribe", "sign up", "follow us", "share this",
    "share on", "share:", "read more", "related articles", "related posts", "related:", "advertisement",
    "donate", "support us", "disclaimer", "copyright", "click here", "tags:", "filed under",
    "watch:", "listen:", "print this", "email this", "join our", "you may also like",
)
#: A photo credit is furniture; a caption that reports something ("Photo: ... About 1,000 people remained") is text.
_CREDIT_START = ("photo:", "image:", "photograph:", "picture:")
_SEPARATOR = re.compile(r"^\W{1,5}$")


def is_boilerplate(paragraph: str) -> bool:
    """Whether a paragraph is site furniture (share prompts, copyright, disclaimers...) and not article text."""
    low = " ".join(paragraph.lower().split())
    if not low or _SEPARATOR.match(low):
        return True
    if any(cue in low for cue in BOILERPLATE_ANYWHERE):
        return True
    if any(low.startswith(cue) for cue in _CREDIT_START):
        return len(low) < 100 or not re.search(r"\d", low)
    return len(low) < 240 and any(low.startswith(cue) for cue in BOILERPLATE_START)


def filter_paragraphs(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Drop boilerplate paragraphs; after a separator ("*", "***") followed by boilerplate, drop the rest."""
    kept: list[str] = []
    removed: list[str] = []
    for i, p in enumerate(paragraphs):
        if _SEPARATOR.match(p.strip()) and any(is_boilerplate(q) for q in paragraphs[i + 1:i + 3]):
            removed += paragraphs[i:]
            break
        (removed if is_boilerplate(p) else kept).append(p)
    return kept, removed


