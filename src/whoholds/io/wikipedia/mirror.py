"""Markdown mirror -> Lua: undo the wiki-to-Markdown conversion some mirrors apply to a module.

Such a mirror wraps every Lua line in backticks, turns wikilinks into ``[`Word``   ``Word`](url "wikilink")``,
writes ʿayn as a backtick and escapes Markdown characters. ``unmarkdown`` reverses this while keeping one
line per original line, so that line numbers in reports match the module.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

#: Stands for an original line break that had to be removed (inside link text); counted as a line.
HIDDEN_NEWLINE = "\x00"
_MD_OUTSIDE = re.compile(r"`+|\\[!-/:-@\[-`{-~]|\]\(|\[|\n")
_BACKTICKS = re.compile(r"`+")
_MD_DEST = re.compile(r'\s*(?P<url>(?:\\.|[^\s()\\]|\([^\s()]*\))*)(?:\s+"(?P<title>(?:\\.|[^"\\])*)")?\s*\)')
_MD_ESC = re.compile(r"\\([!-/:-@\[-`{-~])")
_WIKI_URL = re.compile(r"^(?:https?:)?//[a-z\-]+\.(?:m\.)?wikipedia\.org/wiki/", re.IGNORECASE)


def is_markdown_mirror(text: str) -> bool:
    """A wiki-to-Markdown mirror wraps each Lua line in backticks and rewrites wikilinks."""
    if '"wikilink")' in text:
        return True
    lines = [ln for ln in text[:200_000].splitlines() if "lat" in ln and "mark" in ln]
    wrapped = sum(1 for ln in lines if ln.lstrip().startswith("`"))
    return bool(lines) and wrapped > len(lines) / 2


def _read_span(text: str, i: int, n: int, in_link: bool) -> tuple[str, int, int] | None:
    """Content of a code span opened by ``n`` backticks just before ``i``.

    Returns (content, index after the closing backticks, backticks left over that open the next span).
    The mirror writes code spans back to back (``Tall``   ``Shahim``), so a run longer than the opener
    closes it and opens the next one with the rest. None if the span does not close on this line (or on
    the next line inside link text): then the backticks are literal text.
    """
    j = i
    while True:
        m = _BACKTICKS.search(text, j)
        if m is None:
            return None
        between = text.count("\n", i, m.start())
        if between and not (in_link and between == 1):
            return None
        k = len(m.group())
        if k >= n:
            content = text[i : m.start()].replace("\n", HIDDEN_NEWLINE)
            if n >= 2 and len(content) >= 2 and content[0] == " " == content[-1] and content.strip():
                content = content[1:-1]
            return content, m.start() + n, k - n
        j = m.end()


def _wikilink(url: str, title: str | None, text: str) -> str:
    url = _MD_ESC.sub(r"\1", url)
    text = text.strip(" ")
    if title is not None and title.startswith("fig:"):
        return text
    if title == "wikilink" or _WIKI_URL.match(url):
        target = unquote(_WIKI_URL.sub("", url)).replace("_", " ").replace('"', "'")
        return f"[[{target}|{text}]]" if text else f"[[{target}]]"
    return text


def unmarkdown(text: str) -> str:
    """Undo a wiki-to-Markdown conversion, keeping one line per original line (see module docstring)."""
    pieces: list[str] = []
    links: list[list[int]] = []  # [index in pieces of the '[', newlines eaten inside the link text]
    i, n = 0, len(text)
    while i < n:
        m = _MD_OUTSIDE.search(text, i)
        if m is None:
            pieces.append(text[i:])
            break
        if m.start() > i:
            pieces.append(text[i : m.start()])
        tok = m.group()
        i = m.end()
        if tok[0] == "`":
            opener = len(tok)
            while opener:
                may_wrap = bool(links) and links[-1][1] == 0
                span = _read_span(text, i, opener, may_wrap)
                if span is None:
                    pieces.append("`" * opener)  # no closing run on this line: literal backticks
                    break
                content, i, opener = span
                if HIDDEN_NEWLINE in content:
                    links[-1][1] = 1  # a link's text may wrap onto one more line, not more
                pieces.append(content)
                i += opener  # the rest of a long closing run opens the next span
        elif tok[0] == "\\" and len(tok) == 2:
            pieces.append(tok[1])
        elif tok == "[":
            links.append([len(pieces), 0])
            pieces.append("[")
        elif tok == "](":
            d = _MD_DEST.match(text, i) if links else None
            if d is None:
                pieces.append(tok)
                continue
            idx, _ = links.pop()
            label = "".join(pieces[idx + 1 :])
            del pieces[idx:]
            pieces.append(_wikilink(d.group("url"), d.group("title"), label))
            i = d.end()
        else:  # newline outside code spans
            nxt = text.find("\n", i)
            nxt = n if nxt < 0 else nxt
            if links and links[-1][1] == 0 and text.find("](", i, nxt) >= 0:
                links[-1][1] = 1
                pieces.append(HIDDEN_NEWLINE)
            else:
                links.clear()
                pieces.append("\n")
    return "".join(pieces)
