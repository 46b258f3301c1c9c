"""Label text: the place name a marker's wikitext label or link shows."""

from __future__ import annotations

import html
import re

from ...profiles.model import normalise_label
from .mirror import HIDDEN_NEWLINE

_LINK_RE = re.compile(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
_EXT_LINK_RE = re.compile(r"\[(?:https?:)?//\S+\s+([^\]]*)\]")
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_GENERIC_PAGES = re.compile(
    r"(?:cities and towns|offensive|battle|campaign|clashes|siege|operation|"
    r"timeline|conflict|war\b)",
    re.IGNORECASE,
)


def plain_text(text: str) -> str:
    """Display text of a wikitext label: links to their shown text, <br> to a space, tags removed."""
    s = text.replace(HIDDEN_NEWLINE, " ")
    s = _LINK_RE.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(1), s)
    s = _EXT_LINK_RE.sub(r"\1", s)
    s = _BR_RE.sub(" ", s)
    s = _TAG_RE.sub("", s)
    s = s.replace("'''", "").replace("''", "")
    s = html.unescape(s)
    return normalise_label(s)


def name_from_link(link: str) -> str:
    """A place name from a link target: its anchor on a list/battle page, else the page title."""
    target = plain_text(link)
    page, _, anchor = target.partition("#")
    page, anchor = page.strip(), anchor.strip()
    if not page or (anchor and _GENERIC_PAGES.search(page)):
        return normalise_label(anchor)
    return normalise_label(re.sub(r",\s*Syria$", "", page))
