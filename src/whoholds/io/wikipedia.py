"""Reader for Wikipedia's "detailed map" Lua modules (e.g. ``Module:Syrian Civil War detailed map``).

Such a module is a Lua table of markers ``{ lat = …, long = …, mark = m.gov, marksize = 6, label = "[[…]]" }``
whose ``mark`` key (or raw icon file name) encodes who holds the place. This module reads it without
evaluating anything:

1. ``_unmarkdown`` undoes the Markdown conversion of wiki mirrors (every Lua line wrapped in backticks,
   wikilinks turned into ``[`Word``   ``Word`](url "wikilink")``, ʿayn written as a backtick, markdown
   escapes). Raw Lua, as the MediaWiki API returns it, is read as is.
2. ``_tokenize`` is a small Lua tokenizer (strings, long brackets, comments, numbers, names, symbols).
3. ``_Parser`` reads the ``marks = { … }`` table; each ``{ … }`` entry is parsed on its own so that one
   malformed entry is counted and reported with its line number instead of spoiling the file.
4. Every marker is normalised (mark key, numbers, label text) and classified through the profile; overlay
   icons (border-crossing and dam icons, minimaps, siege rings) are merged into the dot they sit on or
   dropped with a count.

Everything read differently from its literal text is logged in ``Snapshot.repairs``; everything left out is
counted in ``Snapshot.dropped`` (or ``unmapped`` for marks the profile does not know).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import html
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import numpy as np
import pandas as pd

from ..errors import InputError
from ..profiles.model import normalise_label
from ..types import MARKER_COLUMNS, Snapshot

if TYPE_CHECKING:
    from ..profiles.model import Profile

__all__ = [
    "FACILITY_TYPES",
    "MARK_ICONS",
    "SIDES",
    "base_feature_type",
    "canonical_mark",
    "is_plain_dot",
    "looks_like_wikipedia_module",
    "module_markers",
    "read_wikipedia_module",
]

DATE_HELP = "docs/syria-markers.md"
#: First line written by ``whoholds fetch wikipedia`` (io.fetch_wikipedia.save_module).
HEADER_RE = re.compile(
    r"^-- whoholds: (?P<title>.+?), (?P<site>\S+), revision (?P<revid>\d+) of "
    r"(?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\s*$",
    re.MULTILINE,
)


def header_date(text: str) -> dt.date | None:
    """The revision date in the header that ``save_module`` writes, or None."""
    m = HEADER_RE.search(text[:2000])
    return dt.date.fromisoformat(m.group("ts")[:10]) if m else None


# ---------------------------------------------------------------------------------------------------------
# The legend: a Python port of "Module:Middle East conflicts map marks" (mark key -> icon file name).
# ---------------------------------------------------------------------------------------------------------
#: Side keys in the order the marks module combines them.
SIDES = ("gov", "opp", "SDF", "JaN", "IS", "Trk", "lcl", "spc")
_COLOURS = {
    "gov": "red",
    "opp": "lime",
    "SDF": "yellow",
    "JaN": "grey",
    "IS": "black",
    "Trk": "green",
    "lcl": "blue",
    "spc": "orange",
}
_DIRECTIONS = {"N": "NN", "NE": "NE", "E": "EE", "SE": "SE", "S": "SS", "SW": "SW", "W": "WW", "NW": "NW"}
_SYMBOLS = {
    "siege": "Map-circle-%s.svg",
    "hill": "Map-peak-%s.svg",
    "air": "Fighter-jet-%s-icon.svg",
    "heli": "Helicopter-%s-icon.svg",
    "naval": "Anchor pictogram %s.svg",
    "base": "Abm-%s-icon.png",
    "rural3": "3x3dot-%s.svg",
    "rural4": "4x4dot-%s.svg",
    "industry": "Icon NuclearPowerPlant-%s.svg",
}
#: Suffixes that make a side-coloured marker a facility rather than a settlement dot.
FACILITY_TYPES = {
    "hill": "hill",
    "air": "air",
    "heli": "heli",
    "naval": "naval",
    "base": "base",
    "industry": "industry",
    "oil": "oil",
    "rural3": "rural",
    "rural4": "rural",
}
#: Suffixes of annotation icons drawn around a dot (not holders of their own).
_ANNOTATION_SUFFIXES = {"siege": "siege", **{d: "pressure" for d in _DIRECTIONS}}


def _build_mark_icons() -> dict[str, str]:
    p: dict[str, str] = {
        "gov": "Location dot red.svg",
        "opp": "Dot green 0d0.svg",
        "SDF": "Dot yellow ff4.svg",
        "JaN": "Map-dot-grey-68a.svg",
        "IS": "Location dot black.svg",
        "Trk": "Location dot green.svg",
        "lcl": "Location dot blue.svg",
        "spc": "Location dot orange.svg",
        "gov_oil": "Gota01.svg",
        "opp_oil": "Gota02.svg",
        "SDF_oil": "Gota04.svg",
        "JaN_oil": "Gota08.svg",
        "IS_oil": "Gota07.svg",
        "Trk_oil": "GotaAH.svg",
        "lcl_oil": "Gota03.svg",
        "truce_gov_opp": "LACMTA Circle Purple Line.svg",
    }
    for side, colour in _COLOURS.items():
        for k, v in _DIRECTIONS.items():
            p[f"{side}_{k}"] = f"Map-arc{v}-{colour}.svg"
        for k, v in _SYMBOLS.items():
            p[f"{side}_{k}"] = v % colour
    for i, a in enumerate(SIDES):
        for j in range(i + 1, len(SIDES)):
            b = SIDES[j]
            ca, cb = _COLOURS[a], _COLOURS[b]
            p[f"{a}_{b}"] = f"80x80-{ca}-{cb}-anim.gif"
            p[f"stable_{a}_{b}"] = f"Map-ctl2-{ca}+{cb}.svg"
            for k in range(j + 1, len(SIDES)):
                c = SIDES[k]
                cc = _COLOURS[c]
                p[f"{a}_{b}_{c}"] = f"80x80-{ca}-{cb}-{cc}-anim.gif"
                p[f"stable_{a}_{b}_{c}"] = f"Map-ctl3-{ca}+{cb}+{cc}.svg"
    for k in _DIRECTIONS:
        p[f"pass_{k}"] = f"Mountain pass 12x12 {k.lower()}.svg"
        p[f"dam_{k}"] = f"Arch dam 12x12 {k.lower()}.svg"
    p.update(
        {  # the module's overrides
            "SDF_base": "Abm-yellow-icon-2.png",
            "IS_naval": "Anchor pictogram.svg",
            "opp_industry": "Icon NuclearPowerPlant-green.svg",
            "IS_lcl": "80x80-blue-black-anim.gif",
            "IS_Trk": "80x80-green-black-anim.gif",
            "opp_naval": "Anchor pictogram green.svg",
        }
    )
    return p


#: mark key -> icon file name, as "Module:Middle East conflicts map marks" defines them.
MARK_ICONS: dict[str, str] = _build_mark_icons()


def _file_key(name: str) -> str:
    """MediaWiki file-name identity: no 'File:' prefix, underscores as spaces, first letter upper-case."""
    s = normalise_label(name).replace("_", " ")
    s = re.sub(r"^(?:file|image)\s*:\s*", "", s, flags=re.IGNORECASE)
    s = re.sub(r"\s+", " ", s).strip()
    return s[:1].upper() + s[1:]


def _build_icon_keys() -> dict[str, str]:
    rev: dict[str, str] = {}
    # Overrides win where an override shares its file with a generated key (opp_industry/Trk_industry
    # and opp_naval/Trk_naval both draw the green icon; the module's comment says Trk borrows opp's).
    overrides = {"SDF_base", "IS_naval", "opp_industry", "IS_lcl", "IS_Trk", "opp_naval"}
    for key, icon in MARK_ICONS.items():
        if key not in overrides:
            rev.setdefault(_file_key(icon), key)
    for key in overrides:
        rev[_file_key(MARK_ICONS[key])] = key
    return rev


_ICON_KEYS = _build_icon_keys()


def canonical_mark(value: str, is_key: bool) -> str:
    """The mark key for a marker: ``m.gov`` -> ``gov``; a raw icon file of the marks module -> its key;
    any other raw image -> ``svg:<File name.svg>``."""
    if is_key:
        return value.strip()
    key = _file_key(value)
    return _ICON_KEYS.get(key, "svg:" + key)


_SIDE_ALT = "gov|opp|SDF|JaN|HTS|IS|ISIS|Trk|lcl|spc|US|USA|CJTF"
_SIDE_KEY_RE = re.compile(rf"(?:stable_|truce_)?(?:{_SIDE_ALT})(?:_(?:{_SIDE_ALT}))*")


def base_feature_type(mark: str) -> str:
    """What a mark draws, from its key alone: settlement, hill, base, air, heli, naval, industry, oil,
    rural, border_crossing, dam, siege, pressure, image (raw picture: minimap, overlay), other."""
    if mark.startswith("svg:"):
        name = mark[4:]
        if name.startswith("BSicon"):
            return "dam"
        return "image"
    if mark.startswith("pass"):
        return "border_crossing"
    if mark.startswith("dam"):
        return "dam"
    head, _, suffix = mark.rpartition("_")
    if head and suffix in FACILITY_TYPES and _SIDE_KEY_RE.fullmatch(head):
        return FACILITY_TYPES[suffix]
    if head and suffix in _ANNOTATION_SUFFIXES and _SIDE_KEY_RE.fullmatch(head):
        return _ANNOTATION_SUFFIXES[suffix]
    if _SIDE_KEY_RE.fullmatch(mark):
        return "settlement"
    return "other"


def is_plain_dot(mark: str) -> bool:
    """A plain side-coloured dot (settlement or district), single side, mixed or contested, no facility."""
    return base_feature_type(mark) == "settlement"


# ---------------------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------------------
_ENTRY_HINT = re.compile(rb"\{\s*`?\s*lat\s*=\s*[\"'`]?\s*-?\d")
_MARK_HINT = re.compile(rb"\bmark\s*=")


def looks_like_wikipedia_module(data: bytes) -> bool:
    """True for a Wikipedia map-module text (raw Lua or a Markdown mirror) holding lat/long/mark entries."""
    head = data[:400_000].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"[") and head[:2] != b"{ " and b'"type"' in head[:2000]:
        return False  # JSON (GeoJSON, TopoJSON)
    if head[:4] == b"PK\x03\x04" or head[:2] == b"\x1f\x8b" or head[:6] == b"\xfd7zXZ\x00":
        return False
    return bool(_ENTRY_HINT.search(head)) and bool(_MARK_HINT.search(head)) and b"long" in head


# ---------------------------------------------------------------------------------------------------------
# 1. Markdown mirror -> Lua
# ---------------------------------------------------------------------------------------------------------
#: Stands for an original line break that had to be removed (inside link text); counted as a line.
_NL = "\x00"
_MD_OUTSIDE = re.compile(r"`+|\\[!-/:-@\[-`{-~]|\]\(|\[|\n")
_BACKTICKS = re.compile(r"`+")
_MD_DEST = re.compile(r'\s*(?P<url>(?:\\.|[^\s()\\]|\([^\s()]*\))*)(?:\s+"(?P<title>(?:\\.|[^"\\])*)")?\s*\)')
_MD_ESC = re.compile(r"\\([!-/:-@\[-`{-~])")
_WIKI_URL = re.compile(r"^(?:https?:)?//[a-z\-]+\.(?:m\.)?wikipedia\.org/wiki/", re.IGNORECASE)


def _is_markdown_mirror(text: str) -> bool:
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
            content = text[i : m.start()].replace("\n", _NL)
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


def _unmarkdown(text: str) -> str:
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
                if _NL in content:
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
                pieces.append(_NL)
            else:
                links.clear()
                pieces.append("\n")
    return "".join(pieces)


# ---------------------------------------------------------------------------------------------------------
# 2. Lua tokenizer
# ---------------------------------------------------------------------------------------------------------
_TOKEN_RE = re.compile(
    r"""
    [ \t\r\f\v\n\x00\u00a0\u200e\u200f\u200b\ufeff]*
    (?:(?P<comment>--(?:\[(?P<ceq>=*)\[.*?\](?P=ceq)\]|[^\n]*))
    |(?P<long>\[(?P<leq>=*)\[.*?\](?P=leq)\])
    |(?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<num>0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    |(?P<name>[A-Za-z_][A-Za-z_0-9]*)
    |(?P<op>\.\.\.|\.\.|==|~=|<=|>=|[{}\[\]();,=.+\-*/%^#<>:])
    |(?P<badstr>["'][^\n]*)
    |(?P<bad>.))
    """,
    re.S | re.X,
)
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
    "\n": "\n",
    "[": "[",
    "]": "]",
}
_ESC_RE = re.compile(r"\\(\d{1,3}|x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|z\s*|.)", re.S)


def _unescape_lua(body: str) -> str:
    if "\\" not in body:
        return body

    def sub(m: re.Match[str]) -> str:
        e = m.group(1)
        if e.isdigit():
            return chr(int(e))
        if e[0] == "x":
            return chr(int(e[1:], 16))
        if e[0] == "u":
            return chr(int(e[2:-1], 16))
        if e[0] == "z":
            return ""
        return _ESCAPES.get(e, "\\" + e)

    return _ESC_RE.sub(sub, body)


class _Toks:
    """Tokens as three parallel lists (kind, text, offset): cheaper than one object per token."""

    __slots__ = ("kind", "pos", "text")

    def __init__(self) -> None:
        self.kind: list[str] = []  # str, num, name, op, bad, badstr, eof
        self.text: list[str] = []
        self.pos: list[int] = []

    def __len__(self) -> int:
        return len(self.kind)

    def is_op(self, i: int, text: str) -> bool:
        return self.kind[i] == "op" and self.text[i] == text


def _tokenize(text: str) -> tuple[_Toks, list[tuple[int, str]]]:
    """Tokens (no whitespace) and the comments (offset, text)."""
    toks = _Toks()
    kinds, texts, poss = toks.kind, toks.text, toks.pos
    comments: list[tuple[int, str]] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind is None:  # trailing whitespace
            continue
        tok = m.group(kind)
        start = m.start(kind)
        if kind == "comment":
            comments.append((start, tok))
            continue
        if kind == "str":
            tok = _unescape_lua(tok[1:-1]) if "\\" in tok else tok[1:-1]
        elif kind == "long":
            eq = len(m.group("leq"))
            tok = tok[2 + eq : -2 - eq]
            tok = tok[1:] if tok.startswith("\n") else tok
            kind = "str"
        kinds.append(kind)
        texts.append(tok)
        poss.append(start)
    kinds.append("eof")
    texts.append("")
    poss.append(len(text))
    return toks, comments


# ---------------------------------------------------------------------------------------------------------
# 3. Parser (table constructors only; no evaluation)
# ---------------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Num:
    value: float
    raw: str


@dataclass(slots=True)
class _Ref:
    """A name or field path such as ``m.gov`` or ``m["gov"]``."""

    path: str


@dataclass
class _Table:
    pos: int
    fields: list[tuple[str | None, Any, int]] = field(default_factory=list)  # (key, value, token pos)

    def get(self, key: str) -> Any:
        return next((v for k, v, _ in reversed(self.fields) if k == key), None)


class _SyntaxError(Exception):
    def __init__(self, pos: int, problem: str) -> None:
        super().__init__(problem)
        self.pos = pos
        self.problem = problem


_UNCLOSED = "entry is not closed with '}' before the next entry starts"


class _Parser:
    def __init__(self, toks: _Toks, starts_line: Any = None) -> None:
        self.toks = toks
        self.kind = toks.kind
        self.text = toks.text
        self.pos = toks.pos
        self.i = 0
        self.depth = 0
        #: pos -> True when the token begins its line; a '{' there inside an entry is the next entry.
        self.starts_line = starts_line

    def describe(self, i: int) -> str:
        kind, text = self.kind[i], self.text[i]
        if kind == "eof":
            return "end of file"
        if kind == "badstr":
            return "an unterminated string"
        if kind == "bad":
            return f"unexpected character {text!r}"
        return repr(text if len(text) < 40 else text[:37] + "...")

    def expect(self, text: str) -> int:
        i = self.i
        if self.kind[i] != "op" or self.text[i] != text:
            raise _SyntaxError(self.pos[i], f"expected {text!r}, found {self.describe(i)}")
        self.i += 1
        return i

    def table(self) -> _Table:
        kind, text, pos = self.kind, self.text, self.pos
        i = self.i
        if (
            self.depth
            and self.starts_line is not None
            and kind[i] == "op"
            and text[i] == "{"
            and self.starts_line(pos[i])
        ):
            raise _SyntaxError(pos[i], _UNCLOSED)
        start = self.expect("{")
        tab = _Table(pos[start])
        self.depth += 1
        while True:
            i = self.i
            k, t = kind[i], text[i]
            if k == "op" and t == "}":
                self.i += 1
                self.depth -= 1
                return tab
            key: str | None = None
            if k == "name" and kind[i + 1] == "op" and text[i + 1] == "=":
                key = t
                self.i += 2
            elif k == "op" and t == "[":
                self.i += 1
                kv = self.expr()
                self.expect("]")
                self.expect("=")
                key = kv.raw if isinstance(kv, _Num) else str(kv.path if isinstance(kv, _Ref) else kv)
            value = self.expr()
            tab.fields.append((key, value, pos[i]))
            j = self.i
            if kind[j] == "op" and text[j] in ",;":
                self.i += 1
            elif not (kind[j] == "op" and text[j] == "}"):
                raise _SyntaxError(pos[j], f"expected ',' or '}}' after a field, found {self.describe(j)}")

    def expr(self) -> Any:
        value = self.primary()
        while self.kind[self.i] == "op" and self.text[self.i] == "..":
            self.i += 1
            value = _concat(value, self.primary())
        return value

    def primary(self) -> Any:
        kind, text, pos = self.kind, self.text, self.pos
        i = self.i
        k, t = kind[i], text[i]
        if k == "num":
            self.i += 1
            return _Num(_lua_number(t), t)
        if k == "str":
            self.i += 1
            return t
        if k == "op":
            if t == "{":
                return self.table()
            if t == "-" and kind[i + 1] == "num":
                self.i += 2
                return _Num(-_lua_number(text[i + 1]), "-" + text[i + 1])
            if t == "(":
                self.i += 1
                v = self.expr()
                self.expect(")")
                return v
        if k == "name":
            self.i += 1
            if t in ("true", "false"):
                return t == "true"
            if t == "nil":
                return None
            path = t
            while kind[self.i] == "op" and text[self.i] in (".", "["):
                if text[self.i] == ".":
                    self.i += 1
                    if kind[self.i] != "name":
                        raise _SyntaxError(pos[self.i], f"expected a name after '.', found {self.describe(self.i)}")
                    path += "." + text[self.i]
                    self.i += 1
                else:
                    self.i += 1
                    kv = self.expr()
                    self.expect("]")
                    path += "." + (kv if isinstance(kv, str) else str(getattr(kv, "raw", kv)))
            if kind[self.i] == "op" and text[self.i] == "(":
                raise _SyntaxError(pos[self.i], f"function call {path}(...) is not a marker value")
            return _Ref(path)
        raise _SyntaxError(pos[i], f"expected a value, found {self.describe(i)}")


def _lua_number(text: str) -> float:
    return float(int(text, 16)) if text[:2].lower() == "0x" else float(text)


def _concat(a: Any, b: Any) -> str:
    def s(v: Any) -> str:
        if isinstance(v, _Num):
            return v.raw
        if isinstance(v, str):
            return v
        raise _SyntaxError(-1, "'..' applied to something other than strings and numbers")

    return s(a) + s(b)


# ---------------------------------------------------------------------------------------------------------
# 4. Label text
# ---------------------------------------------------------------------------------------------------------
_LINK_RE = re.compile(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
_EXT_LINK_RE = re.compile(r"\[(?:https?:)?//\S+\s+([^\]]*)\]")
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_GENERIC_PAGES = re.compile(
    r"(?:cities and towns|offensive|battle|campaign|clashes|siege|operation|"
    r"timeline|conflict|war\b)",
    re.IGNORECASE,
)


def _plain(text: str) -> str:
    """Display text of a wikitext label: links to their shown text, <br> to a space, tags removed."""
    s = text.replace(_NL, " ")
    s = _LINK_RE.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(1), s)
    s = _EXT_LINK_RE.sub(r"\1", s)
    s = _BR_RE.sub(" ", s)
    s = _TAG_RE.sub("", s)
    s = s.replace("'''", "").replace("''", "")
    s = html.unescape(s)
    return normalise_label(s)


def _name_from_link(link: str) -> str:
    """A place name from a link target: its anchor on a list/battle page, else the page title."""
    target = _plain(link)
    page, _, anchor = target.partition("#")
    page, anchor = page.strip(), anchor.strip()
    if not page or (anchor and _GENERIC_PAGES.search(page)):
        return normalise_label(anchor)
    return normalise_label(re.sub(r",\s*Syria$", "", page))


# ---------------------------------------------------------------------------------------------------------
# 5. Markers
# ---------------------------------------------------------------------------------------------------------
_KNOWN_KEYS = {
    "lat",
    "long",
    "lon",
    "lng",
    "mark",
    "marksize",
    "label",
    "link",
    "label_size",
    "position",
    "label_width",
    "label_height",
    "marktitle",
    "alt",
    "label_link",
    "size",
}


@dataclass(slots=True)
class _Marker:
    line: int
    lat: float
    lon: float
    mark: str
    marksize: float
    label: str
    name: str


class _Log:
    def __init__(self) -> None:
        self.repairs: Counter[str] = Counter()
        self.dropped: Counter[str] = Counter()
        self.malformed: list[tuple[int, str]] = []


def _number(value: Any, what: str, log: _Log) -> tuple[float, str] | None:
    """(number, raw text) from a Lua number or a quoted number; None if it is not a number."""
    if isinstance(value, _Num):
        return value.value, value.raw
    if isinstance(value, str):
        raw = value.strip()
        try:
            v = float(raw)
        except ValueError:
            return None
        if not math.isfinite(v):
            return None
        log.repairs[f"quoted {what} read as a number"] += 1
        return v, raw
    return None


def _fix_magnitude(value: float, centre: float, limit: float) -> float | None:
    """Put a decimal point back into a coordinate that lost it (366514. -> 36.6514), guided by the
    median of the file's other coordinates. None if no power of ten lands within 5 degrees of it."""
    best: float | None = None
    for k in range(1, 12):
        cand = value / 10**k
        if abs(cand) <= limit and abs(cand - centre) <= 5 and (best is None or abs(cand - centre) < abs(best - centre)):
            best = cand
    return best


def _fmt(v: float) -> str:
    return f"{v:.10g}"


class _Reader:
    def __init__(self, name: str, text: str, mirror: bool) -> None:
        self.name = name
        self.text = text
        self.mirror = mirror
        self.breaks = [m.start() for m in re.finditer(r"[\n\x00]", text)]
        self.log = _Log()

    def line(self, pos: int) -> int:
        return bisect.bisect_right(self.breaks, pos - 1) + 1 if pos >= 0 else 0

    def fail(self, pos: int, problem: str) -> InputError:
        return InputError(self.name, f"line {self.line(pos)}: {problem}")

    # -- locate and parse the marks table ---------------------------------------------------------------
    def entries(self) -> list[tuple[_Table | None, int, str]]:
        toks, comments = _tokenize(self.text)
        start = self._find_marks(toks)
        if start is None:
            raise InputError(
                self.name,
                "no 'marks = { ... }' table of { lat = ..., long = ..., mark = ... } "
                "entries found: not a Wikipedia map module",
            )
        p = _Parser(toks, self._starts_line)
        kind, text, pos = toks.kind, toks.text, toks.pos
        p.i = start
        open_pos = pos[p.expect("{")]
        out: list[tuple[_Table | None, int, str]] = []
        while True:
            i = p.i
            k, t = kind[i], text[i]
            if k == "eof":
                raise self.fail(
                    pos[i], f"the marks table opened at line {self.line(open_pos)} is never closed (file truncated?)"
                )
            if k == "op" and t == "}":
                end_pos = pos[i]
                break
            if k == "op" and t in ",;":
                p.i += 1
                continue
            if k == "op" and t == "{":
                p.depth = 0
                try:
                    out.append((p.table(), pos[i], ""))
                except _SyntaxError as exc:
                    where = pos[i] if exc.problem == _UNCLOSED or exc.pos < 0 else exc.pos
                    out.append((None, where, exc.problem))
                    p.i = self._recover(toks, i)
                continue
            # Something that is not an entry inside the marks table: report it, skip to the next entry.
            problem = f"expected a '{{ lat = ..., long = ..., mark = ... }}' entry, found {p.describe(i)}"
            out.append((None, pos[i], problem))
            p.i += 1
            while kind[p.i] != "eof" and not (kind[p.i] == "op" and text[p.i] in ("{", "}")):
                p.i += 1
        self._count_commented(comments, open_pos, end_pos)
        return out

    def _recover(self, toks: _Toks, start: int) -> int:
        """Token index to continue at after a syntax error inside the entry opened at token ``start``.

        Entries are written one per line, so: stop before a '{' that starts a later line (the bad entry lost
        its closing brace); consume the '}' that closes the entry; but leave a '}' that starts a later line
        and is not followed by another entry, since that one closes the marks table (an unterminated string
        can swallow the entry's own brace). One bad entry never swallows its neighbours or the table's end.
        """
        kind, text, pos = toks.kind, toks.text, toks.pos
        k = start + 1
        depth = 1
        start_line = self.line(pos[start])
        while kind[k] != "eof":
            later = self.line(pos[k]) > start_line and self._starts_line(pos[k])
            if kind[k] == "op" and text[k] == "{":
                if later:
                    return k
                depth += 1
            elif kind[k] == "op" and text[k] == "}":
                depth -= 1
                if depth <= 0:
                    if not later:
                        return k + 1
                    j = k + 1
                    while kind[j] == "op" and text[j] in ",;":
                        j += 1
                    return k + 1 if toks.is_op(j, "{") else k
            k += 1
        return k

    def _starts_line(self, pos: int) -> bool:
        k = pos - 1
        while k >= 0 and self.text[k] in " \t`":
            k -= 1
        return k < 0 or self.text[k] in "\n\x00"

    @staticmethod
    def _find_marks(toks: _Toks) -> int | None:
        kind, text = toks.kind, toks.text
        for k in range(len(toks) - 2):
            if kind[k] == "name" and text[k] == "marks" and toks.is_op(k + 1, "=") and toks.is_op(k + 2, "{"):
                return k + 2
        # No 'marks =': a module that returns the list itself, e.g. 'return { { lat = ... }, ... }'.
        for k in range(len(toks) - 3):
            if toks.is_op(k, "{") and toks.is_op(k + 1, "{") and text[k + 2] in ("lat", "long"):
                return k
        return None

    def _count_commented(self, comments: list[tuple[int, str]], start: int, end: int) -> None:
        rx = re.compile(r"\{\s*lat\s*=")
        lines = []
        for pos, body in comments:
            if start < pos < end:
                n = len(rx.findall(body))
                if n:
                    self.log.dropped["commented_out"] += n
                    lines.append(self.line(pos))
        self.commented_lines = lines

    # -- entries -> markers -----------------------------------------------------------------------------
    def markers(self) -> list[_Marker]:
        raw_entries = self.entries()
        prelim: list[tuple[int, _Table]] = []
        for tab, pos, problem in raw_entries:
            if tab is None:
                self.log.malformed.append((self.line(pos), problem))
            else:
                prelim.append((self.line(tab.pos), tab))
        # Medians of the well-formed coordinates guide the repair of coordinates that lost their point.
        lats, lons = [], []
        for _, tab in prelim:
            for key, bucket, lim in (("lat", lats, 90), ("long", lons, 180)):
                v = tab.get(key) if key != "long" else (tab.get("long") or tab.get("lon") or tab.get("lng"))
                if isinstance(v, _Num) and abs(v.value) <= lim:
                    bucket.append(v.value)
        centre = (float(np.median(lats)) if lats else 0.0, float(np.median(lons)) if lons else 0.0)
        out = []
        for line, tab in prelim:
            m = self._marker(line, tab, centre)
            if m is not None:
                out.append(m)
        return out

    def _marker(self, line: int, tab: _Table, centre: tuple[float, float]) -> _Marker | None:
        log = self.log
        keys = [k for k, _, _ in tab.fields]
        for k in set(keys):
            if k is not None and keys.count(k) > 1:
                log.repairs[f"field '{k}' given twice: the last one is used (line {line})"] += 1
        for k in keys:
            if k is None:
                log.repairs["unnamed field ignored (a link written without 'link =')"] += 1
            elif k not in _KNOWN_KEYS:
                log.repairs[f"unknown field '{k}' ignored (line {line})"] += 1
        lon_v = tab.get("long")
        if lon_v is None:
            lon_v = tab.get("lon") if tab.get("lon") is not None else tab.get("lng")
        coords = []
        for what, value, limit, c in (("lat", tab.get("lat"), 90.0, centre[0]), ("long", lon_v, 180.0, centre[1])):
            if value is None:
                log.malformed.append((line, f"no {what}"))
                return None
            num = _number(value, what if what == "lat" else "long", log)
            if num is None:
                log.malformed.append((line, f"{what} is not a number ({_show(value)})"))
                return None
            v, raw = num
            if abs(v) > limit:
                fixed = _fix_magnitude(v, c, limit)
                if fixed is None:
                    log.malformed.append((line, f"{what} = {raw} is not a coordinate"))
                    return None
                log.repairs[f"{what}={raw} read as {_fmt(fixed)}"] += 1
                v = fixed
            coords.append(v)
        mark_v = tab.get("mark")
        if isinstance(mark_v, _Ref):
            path = mark_v.path
            key = path.split(".", 1)[1] if "." in path else path
            mark = canonical_mark(key, True)
        elif isinstance(mark_v, str) and mark_v.strip():
            mark = canonical_mark(mark_v, False)
        elif mark_v is None:
            log.malformed.append((line, "no mark"))
            return None
        else:
            log.malformed.append((line, f"mark is not a key or an icon name ({_show(mark_v)})"))
            return None
        size_v = tab.get("marksize")
        marksize = math.nan
        if size_v is not None:
            num = _number(size_v, "marksize", log)
            if num is None:
                log.repairs[f"marksize {_show(size_v)} is not a number: ignored (line {line})"] += 1
            else:
                marksize = num[0]
        label_v = tab.get("label")
        link_v = tab.get("link")
        label = label_v if isinstance(label_v, str) else ""
        link = link_v if isinstance(link_v, str) else ""
        name = _plain(label) if label else ""
        if not name and link:
            name = _name_from_link(link)
        label_text = normalise_label(label.replace(_NL, " ")) if label else normalise_label(link)
        if _NL in label:
            log.repairs["label broken across lines joined"] += 1
        return _Marker(line, coords[0], coords[1], mark, marksize, label_text, name)


def _fold(name: str) -> str:
    """Name identity for duplicate detection: accents, case, spaces and punctuation ignored."""
    s = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in s.casefold() if ch.isalnum())


def _show(value: Any) -> str:
    if isinstance(value, _Num):
        return value.raw
    if isinstance(value, _Ref):
        return value.path
    if isinstance(value, _Table):
        return "a table"
    s = repr(value)
    return s if len(s) < 40 else s[:37] + "..."


def _line_list(lines: list[int], limit: int = 12) -> str:
    lines = sorted(lines)
    shown = ", ".join(str(x) for x in lines[:limit])
    return shown + (f" and {len(lines) - limit} more" if len(lines) > limit else "")


# ---------------------------------------------------------------------------------------------------------
# 6. Public entry point
# ---------------------------------------------------------------------------------------------------------
def decode_module_text(data: bytes, name: str) -> tuple[str, bool]:
    """The module as Lua text (Markdown mirrors converted back) and whether it was a mirror."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            name, f"not UTF-8 text (bad byte at offset {exc.start}); Wikipedia modules are UTF-8"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    mirror = _is_markdown_mirror(text)
    if mirror:
        text = _unmarkdown(text)
    return text, mirror


def module_markers(data: bytes, name: str = "<module>") -> pd.DataFrame:
    """Every active (not commented-out) well-formed entry of a module, before classification, overlay
    merging and de-duplication: columns ``line, lat, lon, mark, marksize, label, name``. For audits."""
    text, mirror = decode_module_text(data, name)
    reader = _Reader(name, text, mirror)
    rows = reader.markers()
    return pd.DataFrame(
        [(m.line, m.lat, m.lon, m.mark, m.marksize, m.label, m.name) for m in rows],
        columns=["line", "lat", "lon", "mark", "marksize", "label", "name"],
    )


def _date_of(text: str, name: str) -> dt.date:
    """A module has no date of its own: take the revision date from the header that ``whoholds fetch
    wikipedia`` writes, else a date in the file name, else ask for --date."""
    day = header_date(text)
    if day is None:
        from .dates import date_from_name

        day, _ = date_from_name(name)
    if day is None:
        raise InputError(
            name,
            f"a Wikipedia map module has no date: pass --date (see {DATE_HELP}; files "
            "saved by `whoholds fetch wikipedia` carry their revision date)",
        )
    return day


def read_wikipedia_module(data: bytes, name: str, profile: Profile, date: dt.date | None) -> Snapshot:
    """Read a Wikipedia map module's markers into a marker Snapshot (see the module docstring)."""
    import geopandas as gpd
    import shapely

    if not data.strip():
        raise InputError(name, "empty file")
    text, mirror = decode_module_text(data, name)
    if date is None:
        date = _date_of(text, name)
    reader = _Reader(name, text, mirror)
    markers = reader.markers()
    log = reader.log
    if reader.log.malformed:
        by_problem: dict[str, list[int]] = {}
        for line, problem in log.malformed:
            by_problem.setdefault(problem, []).append(line)
        for problem, lines in by_problem.items():
            log.dropped[f"malformed entry: {problem} (line{'s' if len(lines) > 1 else ''} {_line_list(lines)})"] += len(
                lines
            )
    if not markers:
        raise InputError(
            name,
            "the marks table holds no readable marker"
            + (
                f" ({len(log.malformed)} malformed entries, first at line "
                f"{min(x[0] for x in log.malformed)}: {log.malformed[0][1]})"
                if log.malformed
                else ""
            ),
        )

    unmapped: Counter[str] = Counter()
    kept: list[tuple[_Marker, str, str]] = []  # marker, state, feature_type
    overlays: list[tuple[_Marker, str]] = []  # pass/dam icons to merge into the dot beneath
    excluded_states = {s.id for s in profile.states if s.kind == "excluded"}
    state_cache: dict[str, str | None] = {}
    for mk in markers:
        if mk.mark not in state_cache:
            state_cache[mk.mark] = profile.classify(mark=mk.mark)
        state = state_cache[mk.mark]
        ftype = base_feature_type(mk.mark)
        if state is None:
            unmapped[mk.mark] += 1
            continue
        if state in excluded_states or ftype in ("border_crossing", "siege", "pressure", "image"):
            if ftype in ("border_crossing", "dam") and state in excluded_states:
                overlays.append((mk, ftype))
            else:
                log.dropped[f"overlay:{ftype if ftype != 'other' else 'icon'}"] += 1
            continue
        kept.append((mk, state, ftype))

    # Duplicates (same place, same mark, same name up to accents and case, or no name): keep the first.
    # Two different names at one point are kept: the module has several pairs of neighbouring villages
    # that were given the same coordinates.
    seen: dict[tuple[float, float, str], list[int]] = {}
    dedup: list[list[Any]] = []
    dup = 0
    for mk, state, ftype in kept:
        key = (round(mk.lat, 6), round(mk.lon, 6), mk.mark)
        folded = _fold(mk.name)
        twin = next((j for j in seen.get(key, []) if not folded or not dedup[j][3] or dedup[j][3] == folded), None)
        if twin is not None:
            if not dedup[twin][0].name and mk.name:
                dedup[twin][0] = mk
                dedup[twin][3] = folded
            dup += 1
            continue
        seen.setdefault(key, []).append(len(dedup))
        dedup.append([mk, state, ftype, folded])
    if dup:
        log.dropped["duplicate"] += dup
    holders: dict[tuple[float, float], set[str]] = {}
    for mk, state, _, _ in dedup:
        holders.setdefault((round(mk.lat, 6), round(mk.lon, 6)), set()).add(state)
    clashes = sum(1 for v in holders.values() if len(v) > 1)
    if clashes:
        log.repairs[
            "places with markers of different holders at the same point (all kept; cells: the later marker wins)"
        ] += clashes

    # Border-crossing (pass_*) and dam (dam_*) icons sit on a side-coloured dot at the same coordinates.
    at: dict[tuple[float, float], list[int]] = {}
    for idx, (mk, _, _, _) in enumerate(dedup):
        at.setdefault((round(mk.lat, 4), round(mk.lon, 4)), []).append(idx)
    unmatched: dict[str, list[int]] = {}
    for mk, ftype in overlays:
        hits = at.get((round(mk.lat, 4), round(mk.lon, 4)), [])
        if not hits:
            unmatched.setdefault(ftype, []).append(mk.line)
            continue
        kind = "pass" if ftype == "border_crossing" else "dam"
        log.dropped[f"overlay:{kind}"] += 1
        for idx in hits:
            dedup[idx][2] = ftype
    for ftype, lines in unmatched.items():
        kind = "pass" if ftype == "border_crossing" else "dam"
        log.dropped[
            f"overlay:{kind} with no dot beneath (line{'s' if len(lines) > 1 else ''} {_line_list(lines)})"
        ] += len(lines)

    log.repairs = Counter({k: v for k, v in log.repairs.items() if v})
    lat = np.fromiter((r[0].lat for r in dedup), float, len(dedup))
    lon = np.fromiter((r[0].lon for r in dedup), float, len(dedup))
    frame = gpd.GeoDataFrame(
        {
            "state": [r[1] for r in dedup],
            "label": [r[0].label for r in dedup],
            "fill": [None] * len(dedup),
            "name": [r[0].name for r in dedup],
            "mark": [r[0].mark for r in dedup],
            "marksize": np.fromiter((r[0].marksize for r in dedup), float, len(dedup)),
            "feature_type": [r[2] for r in dedup],
        },
        geometry=shapely.points(lon, lat),
        crs="EPSG:4326",
    )
    frame = frame[list(MARKER_COLUMNS)]
    return Snapshot(
        date=date,
        source=name,
        profile=profile.id,
        kind="markers",
        features=frame,
        content_hash=hashlib.sha256(data).hexdigest(),
        repairs=dict(log.repairs),
        unmapped=dict(unmapped),
        dropped=dict(log.dropped),
    )
