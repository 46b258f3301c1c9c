"""Loading an article: a URL (httpx), an HTML page (trafilatura's main text and metadata) or a text file (front
matter read as metadata), with page furniture removed and the date it speaks from (page metadata, dateline,
file name). The reading itself is `whoholds.claims.article.extract_figures`.
"""

from __future__ import annotations

import datetime as dt
import html as _html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from . import dates as _dates
from .anchor import date_from_name, dateline_date, html_date
from .boilerplate import filter_paragraphs
from .limits import MAX_ARTICLE_CHARS, article_too_long

DEFAULT_TIMEOUT = 15.0
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
            and len(block) <= 400 and not re.search(r"[.!?]\s+[A-Z]", block)
            # "By Mediazona's count, ...", "By UNHCR figures, ...": a sentence citing a count, not an author
            and not re.match(r"by\s+[^,]{1,60}?(?:['’]s|s['’])?\s+(?:own\s+)?(?:count|tally|estimates?|"
                             r"calculations?|figures|data|reckoning|accounts?)\b", block, re.I))


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
