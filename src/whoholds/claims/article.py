"""Articles: file, HTML or URL → main text (boilerplate removed) → every reported figure, attributed.

HTML goes through trafilatura (main-text extraction drops navigation, share bars, footers; its metadata gives
title, date, author, site). Text files (and trafilatura's output) then pass a paragraph filter for the
boilerplate that survives as text: share-button prompts, copyright and disclaimer notices, "become a
member", "articles by". Each sentence is attributed to a speaker (:mod:`whoholds.claims.attribution`): an
explicit attribution ("Mizintsev said", "according to ISW"), a pronoun or title that refers back ("he noted",
"the colonel general said"), reported speech that goes on without a new attribution, or the outlet itself (no
speaker yet, or the authorial voice: "it does not seem", "we").
"""

from __future__ import annotations

import datetime as dt
import html as _html
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError
from ..profiles import Profile
from . import dates as _dates
from .anchor import date_from_name, dateline_date, html_date
from .attribution import AUTHORIAL, Attribution, SpeakerTracker
from .boilerplate import BOILERPLATE_ANYWHERE, BOILERPLATE_START, filter_paragraphs, is_boilerplate
from .conflict import ConflictGuess, infer_conflict
from .limits import MAX_ARTICLE_CHARS, article_too_long
from .model import ReportedFigure
from .period_text import SAME_PERIOD
from .quantities import extract_quantities
from .sentence import analyse_sentence, split_sentences

__all__ = [
    "AUTHORIAL",
    "BOILERPLATE_ANYWHERE",
    "BOILERPLATE_START",
    "DEFAULT_TIMEOUT",
    "MAX_ARTICLE_CHARS",
    "Article",
    "ConflictGuess",
    "Attribution",
    "SpeakerTracker",
    "article_from_html",
    "article_from_text",
    "extract_figures",
    "guess_profile",
    "infer_conflict",
    "is_boilerplate",
    "load_article",
]

DEFAULT_TIMEOUT = 15.0
#: Sentences and paragraphs longer than this are cut before analysis (at a sentence end or a space), so that no
#: per-sentence step sees more than a bounded text: the whole read stays linear in the article's length.
MAX_PARAGRAPH_CHARS = 1_000
MAX_SENTENCE_CHARS = 600


_too_long = article_too_long

@dataclass
class Article:
    """The main text of an article (paragraphs separated by blank lines) and what is known about it."""

    text: str
    source: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    outlet: str | None = None
    removed: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]


# ---- loading -------------------------------------------------------------------------------------------
_BINARY_MAGIC = {
    b"%PDF": "a PDF file", b"PK\x03\x04": "a ZIP/Office file", b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image", b"\x1f\x8b": "a gzip file",
    b"\xfd7zXZ": "an xz file", b"ID3": "an MP3 file", b"\x7fELF": "a program",
}


def _sniff_binary(data: bytes) -> str | None:
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return what
    head = data[:8192]
    if b"\x00" in head:
        return "a binary file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a multi-byte character cut at the end
            bad = sum(1 for b in head if b < 9 or 13 < b < 32)
            if bad > len(head) // 50:
                return "a binary file"
    return None


def _looks_like_html(text: str) -> bool:
    head = text[:4000].lower()
    if "<html" in head or "<!doctype html" in head or "<body" in head:
        return True
    return len(re.findall(r"<(p|div|article|section|h1|h2|span|a)\b", head)) >= 3


def load_article(source: str | Path, *, timeout: float = DEFAULT_TIMEOUT, client: object | None = None,
                 date: dt.date | None = None) -> Article:
    """Read an article from a URL (http/https), an HTML file or a text file.

    Raises InputError in one line for an unreachable URL, an HTTP error, a non-HTML response, a binary file
    (PDF, image, archive) or an article without text. ``client`` is an ``httpx.Client`` (tests pass one with
    a mock transport); ``date`` overrides the article date found in the page.
    """
    src = str(source)
    if re.match(r"https?://", src, re.IGNORECASE):
        art = _fetch(src, timeout=timeout, client=client)
    else:
        path = Path(src)
        if not path.exists():
            raise InputError(src, "no such file")
        if path.is_dir():
            raise InputError(src, "is a directory, not an article file")
        size = path.stat().st_size
        if size > 4 * MAX_ARTICLE_CHARS:  # even as UTF-32 this is over the limit: do not read it at all
            raise _too_long(src, size)
        data = path.read_bytes()
        what = _sniff_binary(data)
        if what is not None:
            raise InputError(src, f"not an article: this looks like {what}; give an HTML or text file, or a URL")
        text = data.decode("utf-8", errors="replace")
        if len(text) > (4 if _looks_like_html(text) else 1) * MAX_ARTICLE_CHARS:
            raise _too_long(src, len(text))
        art = article_from_html(text, src) if _looks_like_html(text) else article_from_text(text, src)
        if art.date is None:
            art.date = date_from_name(path.name)
    if date is not None:
        art.date = date
    if not art.text.strip():
        raise InputError(src, "no article text found (after removing page furniture)")
    return art


def _fetch(url: str, *, timeout: float, client: object | None) -> Article:
    import httpx

    own = client is None
    cl: httpx.Client = client or httpx.Client(  # type: ignore[assignment]
        timeout=timeout, follow_redirects=True, headers={"User-Agent": "whoholds (fact-checking tool)"})
    try:
        resp = cl.get(url, timeout=timeout)
    except httpx.TimeoutException:
        raise InputError(url, f"unreachable: no answer within {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"unreachable: {type(exc).__name__}: {exc or 'connection failed'}") from None
    finally:
        if own:
            cl.close()
    if resp.status_code >= 400:
        raise InputError(url, f"the server answered HTTP {resp.status_code}")
    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
    what = _sniff_binary(resp.content)
    if what is not None or (ctype and not (ctype.startswith("text/") or "html" in ctype or "xml" in ctype)):
        raise InputError(url, f"not an HTML page (Content-Type: {ctype or 'unknown'}"
                              + (f", looks like {what})" if what else ")"))
    if len(resp.content) > 4 * MAX_ARTICLE_CHARS:
        raise _too_long(url, len(resp.content))
    text = resp.text
    art = article_from_html(text, url, url=url) if _looks_like_html(text) else article_from_text(text, url)
    art.url = art.url or url
    return art


def article_from_html(html: str, source: str, url: str | None = None) -> Article:
    """Main text of an HTML page via trafilatura, then the boilerplate paragraph filter."""
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True, deduplicate=True)
    except ImportError as exc:  # trafilatura, or lxml's HTML cleaner (a separate package since lxml 5.2)
        raise InputError(source, f"cannot read HTML: the Python package {exc.name or 'trafilatura'!r} is missing "
                                 "(pip install trafilatura lxml_html_clean), or give the article as text") from None
    if doc is None:
        raise InputError(source, "no article text found in the HTML page")
    get = doc.get if isinstance(doc, dict) else (lambda k, _d=doc: getattr(_d, k, None))
    raw = get("text") or ""
    paragraphs = [" ".join(p.split()) for p in raw.split("\n") if p.strip()]
    kept, removed = filter_paragraphs(paragraphs)
    # The page's own metadata first (trafilatura may fall back to a date in the URL or the text).
    date = html_date(html)
    if date is None and get("date"):
        try:
            date = dt.date.fromisoformat(str(get("date"))[:10])
        except ValueError:
            date = None
    if date is None and kept:
        date = dateline_date(kept[0])
    if len(kept) > 0 and sum(map(len, kept)) > MAX_ARTICLE_CHARS:
        raise _too_long(source, sum(map(len, kept)))
    outlet = get("author") or get("sitename") or None
    return Article(text="\n\n".join(kept), source=source, title=get("title"), date=date,
                   url=url or get("url"), outlet=outlet, removed=removed)


def _strip_tags(text: str) -> str:
    return " ".join(_html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def _is_byline(block: str) -> bool:
    """"By Jane Doe", "By Reuters, 3 Dec 2024" — not a first paragraph that opens "By the end of November, ..."."""
    return (re.match(r"by\s+(?!(?:the|a|an|its|their|this|that|late|early|mid|end|then|now|some|most|about|"
                     r"around|nearly|more|over|last|next|contrast|comparison|December|January|February|March|April|"
                     r"May|June|July|August|September|October|November)\b)", block, re.I) is not None
            and len(block) <= 400 and not re.search(r"[.!?]\s+[A-Z]", block))


def article_from_text(text: str, source: str) -> Article:
    """A text file as scraped: front matter (SOURCE line, title, byline) read as metadata, furniture removed."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    url = title = outlet = None
    date = None
    byline_at = next((i for i, b in enumerate(blocks[:5]) if _is_byline(_strip_tags(b))), None)
    front = blocks[: byline_at + 1] if byline_at is not None else []
    for b in front:
        clean = _strip_tags(b)
        m = re.match(r"source:\s*(\S+)", clean, re.IGNORECASE)
        if m:
            url = m.group(1)
            continue
        if re.match(r"by\s", clean, re.IGNORECASE):
            tagged = re.match(r"by\s+<[^>]+>([^<]+)<", b, re.IGNORECASE)
            outlet = tagged.group(1).strip() if tagged else re.split(r",|\s{2,}", clean[3:])[0].strip()
            date = _dates.parse_date(clean) or date
        else:
            title = clean
    body = blocks[len(front):]
    if not front and body and not re.search(r"[.!]\s*$", _strip_tags(body[0])) and len(body[0]) < 200:
        title, body = _strip_tags(body[0]), body[1:]
    paragraphs = [_strip_tags(b) for b in body]
    kept, removed = filter_paragraphs(paragraphs)
    if date is None:
        for b in front:
            date = _dates.parse_date(_strip_tags(b))
            if date:
                break
    if date is None and title:
        date = _dates.parse_date(title)  # a dateline: "Kyiv, 3 December 2024"
    if date is None and kept:
        date = dateline_date(kept[0])  # "KYIV, Dec 3, 2024 (Reuters) -"
    return Article(text="\n\n".join(kept), source=source, title=title, date=date, url=url, outlet=outlet,
                   removed=removed)


def extract_figures(article: Article | str, profile: Profile | None = None, *, date: dt.date | None = None,
                    outlet: str | None = None) -> list[ReportedFigure]:
    """Every quantitative claim of an article: quote, number, unit, what is counted, qualifier, speaker, data
    source, as-of.

    ``date`` overrides the article's date (the reference for "in November", "on Thursday"); ``outlet`` names
    the publication for the figures it gives in its own voice. Cost is linear in the length of the text.
    """
    if isinstance(article, str):
        if len(article) > MAX_ARTICLE_CHARS:
            raise _too_long("<text>", len(article))
        article = Article(text=article, source="<text>")
    ref = date or article.date
    tracker = SpeakerTracker(outlet or article.outlet or _host(article.url), ref)
    figures: list[ReportedFigure] = []
    for p_i, para in enumerate(article.paragraphs):
        tracker.new_paragraph()
        earlier: ReportedFigure | None = None  # the last figure with a period: what "the same period" means
        if p_i == 0:
            para = strip_dateline(para)
        s_i = 0
        for piece in _pieces(para, MAX_PARAGRAPH_CHARS):
            sentences = [sent for sent, _off in split_sentences(piece)]
            quoted: Attribution | None = None  # who speaks in a quote that runs over several sentences
            for k, sentence in enumerate(sentences):
                if quoted is None and _opens_quote(sentence):
                    # '"We lost 14 positions. Nobody talks about it," said Oleksiy': the attribution closes it
                    closing = next((t for t in sentences[k + 1:k + 6] if _closes_quote(t)), None)
                    quoted = tracker.explicit(closing) if closing else None
                for part in _pieces(sentence, MAX_SENTENCE_CHARS):
                    att = tracker.attribute(part)
                    if quoted is not None and not att.explicit:
                        att = quoted
                    quantities = extract_quantities(part)
                    if quantities:  # most sentences hold no number: skip the sentence analysis
                        found = analyse_sentence(
                            part, profile, ref_date=ref, speaker=att.speaker, speaker_role=att.role,
                            explicit_attribution=att.explicit, said_on=att.said_on, paragraph=p_i, index=s_i)
                        found = _with_context(found, part, att, ref)
                        if earlier is not None and (SAME_PERIOD.search(part) or _OF_THEM.search(part)):
                            found = [_same_period(f, earlier) for f in found]
                        if figures and _SAME_DATE.search(part):  # "on the same date": the last figure's day
                            found = [f if f.period_start is not None else replace(f, as_of=figures[-1].as_of)
                                     for f in found]
                        earlier = next((f for f in reversed(found) if f.period_start is not None), earlier)
                        figures += found
                    s_i += 1
                if quoted is not None and k > 0 and _closes_quote(sentence):
                    quoted = None
    return figures


def _opens_quote(sentence: str) -> bool:
    """The sentence opens a quotation it does not close."""
    text = sentence.lstrip()
    return text[:1] in ("“", '"') and (text.count('"') % 2 == 1 or text.count("“") > text.count("”"))


def _closes_quote(sentence: str) -> bool:
    return "”" in sentence or sentence.count('"') % 2 == 1


def _with_context(found: list[ReportedFigure], sentence: str, att: Attribution,
                  ref: dt.date | None) -> list[ReportedFigure]:
    """Figures with the data source and rate, and dated to the statement ("said on Tuesday") unless the
    sentence gives their own date ("as of October 1") or period."""
    own_date = att.said_on is not None and _dates.resolve(sentence, ref).as_of is not None
    out = []
    for f in found:
        if att.others:  # several speakers in one sentence: the one whose words carry this figure
            who = att.for_position(f.span[0])
            f = replace(f, speaker=who.speaker, speaker_role=who.role)
            att = replace(att, data_source=who.data_source, said_on=who.said_on or att.said_on)
        as_of = f.as_of
        # a figure dated by a point of its own ("before the invasion", "at its peak") keeps that date
        pointed = f.period_start is None and bool(f.period_text)
        if att.said_on is not None and f.period_start is None and not own_date and not pointed:
            as_of = att.said_on
        elif att.said_on is not None and f.period_end is not None and f.period_end > att.said_on:
            as_of = att.said_on  # "so far this month": the period ends when the statement was made
        out.append(replace(f, data_source=att.data_source, as_of=as_of))
    return out


#: "on the same date", "by that day": the day of the figure before.
_SAME_DATE = re.compile(r"\b(?:on|by|at|as\s+of)\s+(?:the\s+same|that)\s+(?:date|day)\b", re.I)
#: "a third of them", "most of those": a part of a figure counted before, over that figure's period.
_OF_THEM = re.compile(r"\b(?:of|among)\s+(?:them|those|these)\b", re.I)


def _same_period(f: ReportedFigure, earlier: ReportedFigure) -> ReportedFigure:
    """A figure "over the same period" takes the period of the figure before it (as-of capped at its statement)."""
    if f.period_start is not None:
        return f
    as_of = earlier.period_end if earlier.period_end is None or f.as_of is None else min(earlier.period_end, f.as_of)
    note = "" if "refers to a period named earlier" in (f.note or "") else f.note
    return replace(f, period_start=earlier.period_start, period_end=earlier.period_end,
                   period_text=earlier.period_text, cumulative=earlier.cumulative, as_of=as_of, note=note)


#: A dateline opening an article: "KYIV, March 7 (Reuters) -", "DNIPRO, Ukraine, Nov. 14, 2024 —".
_DATELINE_PREFIX = re.compile(r"^[A-Z][A-Z'’.\- ]{2,30}(?:,\s*[A-Z][A-Za-z'’.\- ]{1,30})?,\s+[^—–]{0,40}?"
                              r"(?:\([A-Za-z .]{1,30}\)\s*)?(?:[-—–]{1,2})\s+")


def strip_dateline(paragraph: str) -> str:
    """The paragraph without its dateline (the date is read from it before): a dateline is not a statement."""
    m = _DATELINE_PREFIX.match(paragraph[:120])
    return paragraph[m.end():] if m else paragraph


def _pieces(text: str, limit: int) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters, at a sentence end when there is one in the
    second half of the window, else at a space, else anywhere."""
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind(". ", limit // 2), window.rfind("? ", limit // 2), window.rfind("! ", limit // 2))
        cut = cut + 1 if cut > 0 else window.rfind(" ", limit // 2)
        if cut <= 0:
            cut = limit
        out.append(window[:cut].strip())
        start += cut
    out.append(text[start:].strip())
    return [p for p in out if p]


def _host(url: str | None) -> str | None:
    if not url:
        return None
    m = re.match(r"https?://(?:www\.)?([^/]+)", url)
    return m.group(1) if m else None


def guess_profile(text: str, candidates: tuple[str, ...] | None = None) -> str | None:
    """The profile a text is about, or None when it cannot be told (see `whoholds.claims.conflict`)."""
    return infer_conflict(text, candidates).profile
