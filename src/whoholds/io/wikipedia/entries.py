"""Marker entries: the ``marks = { ... }`` table parsed entry by entry, each entry read into a ``Marker``.

Each ``{ ... }`` entry is parsed on its own so that one malformed entry is counted and reported with its
line number instead of spoiling the file. Every pitfall met in real modules is repaired where the intent
is clear (quoted numbers, coordinates that lost their decimal point, labels broken across lines, fields
given twice) and logged in ``ReadLog.repairs``; entries that cannot be read go to ``ReadLog.malformed``
and commented-out entries are counted in ``ReadLog.dropped``.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import InputError
from ...profiles.model import normalise_label
from .labels import name_from_link, plain_text
from .lua import UNCLOSED_ENTRY, LuaNumber, LuaRef, LuaSyntaxError, LuaTable, TableParser, Tokens, tokenize
from .marks import canonical_mark
from .mirror import HIDDEN_NEWLINE

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
class Marker:
    """One readable entry, normalised; ``line`` is the module line where it starts."""

    line: int
    lat: float
    lon: float
    mark: str
    marksize: float
    label: str
    name: str


class ReadLog:
    """What reading changed (repairs), left out (dropped) and could not read (malformed: line, problem)."""

    def __init__(self) -> None:
        self.repairs: Counter[str] = Counter()
        self.dropped: Counter[str] = Counter()
        self.malformed: list[tuple[int, str]] = []


def _number(value: Any, what: str, log: ReadLog) -> tuple[float, str] | None:
    """(number, raw text) from a Lua number or a quoted number; None if it is not a number."""
    if isinstance(value, LuaNumber):
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


class EntryReader:
    """Reads the marks table of one module's Lua text into Markers, logging what it repairs or drops."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.breaks = [m.start() for m in re.finditer(r"[\n\x00]", text)]
        self.log = ReadLog()

    def line(self, pos: int) -> int:
        return bisect.bisect_right(self.breaks, pos - 1) + 1 if pos >= 0 else 0

    def fail(self, pos: int, problem: str) -> InputError:
        return InputError(self.name, f"line {self.line(pos)}: {problem}")

    # -- locate and parse the marks table ---------------------------------------------------------------
    def entries(self) -> list[tuple[LuaTable | None, int, str]]:
        toks, comments = tokenize(self.text)
        start = self._find_marks(toks)
        if start is None:
            raise InputError(
                self.name,
                "no 'marks = { ... }' table of { lat = ..., long = ..., mark = ... } "
                "entries found: not a Wikipedia map module",
            )
        p = TableParser(toks, self._starts_line)
        kind, text, pos = toks.kind, toks.text, toks.pos
        p.i = start
        open_pos = pos[p.expect("{")]
        out: list[tuple[LuaTable | None, int, str]] = []
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
                except LuaSyntaxError as exc:
                    where = pos[i] if exc.problem == UNCLOSED_ENTRY or exc.pos < 0 else exc.pos
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

    def _recover(self, toks: Tokens, start: int) -> int:
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
    def _find_marks(toks: Tokens) -> int | None:
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
        for pos, body in comments:
            if start < pos < end:
                n = len(rx.findall(body))
                if n:
                    self.log.dropped["commented_out"] += n

    # -- entries -> markers -----------------------------------------------------------------------------
    def markers(self) -> list[Marker]:
        raw_entries = self.entries()
        prelim: list[tuple[int, LuaTable]] = []
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
                if isinstance(v, LuaNumber) and abs(v.value) <= lim:
                    bucket.append(v.value)
        centre = (float(np.median(lats)) if lats else 0.0, float(np.median(lons)) if lons else 0.0)
        out = []
        for line, tab in prelim:
            m = self._marker(line, tab, centre)
            if m is not None:
                out.append(m)
        return out

    def _marker(self, line: int, tab: LuaTable, centre: tuple[float, float]) -> Marker | None:
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
            num = _number(value, what, log)
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
        if isinstance(mark_v, LuaRef):
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
        name = plain_text(label) if label else ""
        if not name and link:
            name = name_from_link(link)
        label_text = normalise_label(label.replace(HIDDEN_NEWLINE, " ")) if label else normalise_label(link)
        if HIDDEN_NEWLINE in label:
            log.repairs["label broken across lines joined"] += 1
        return Marker(line, coords[0], coords[1], mark, marksize, label_text, name)


def _show(value: Any) -> str:
    if isinstance(value, LuaNumber):
        return value.raw
    if isinstance(value, LuaRef):
        return value.path
    if isinstance(value, LuaTable):
        return "a table"
    s = repr(value)
    return s if len(s) < 40 else s[:37] + "..."
