"""Reader for Wikipedia's "detailed map" Lua modules (e.g. ``Module:Syrian Civil War detailed map``).

Such a module is a Lua table of markers ``{ lat = …, long = …, mark = m.gov, marksize = 6, label = "[[…]]" }``
whose ``mark`` key (or raw icon file name) encodes who holds the place. This package reads it without
evaluating anything:

1. ``mirror.unmarkdown`` undoes the Markdown conversion of wiki mirrors (every Lua line wrapped in
   backticks, wikilinks turned into ``[`Word``   ``Word`](url "wikilink")``, ʿayn written as a backtick,
   markdown escapes). Raw Lua, as the MediaWiki API returns it, is read as is (``text``).
2. ``lua.tokenize`` is a small Lua tokenizer (strings, long brackets, comments, numbers, names, symbols).
3. ``entries.EntryReader`` reads the ``marks = { … }`` table with ``lua.TableParser``; each ``{ … }`` entry
   is parsed on its own so that one malformed entry is counted and reported with its line number instead
   of spoiling the file.
4. Every marker is normalised (mark key by ``marks``, numbers, label text by ``labels``) and, in
   ``reader``, classified through the profile; overlay icons (border-crossing and dam icons, minimaps,
   siege rings) are merged into the dot they sit on or dropped with a count.

Everything read differently from its literal text is logged in ``Snapshot.repairs``; everything left out is
counted in ``Snapshot.dropped`` (or ``unmapped`` for marks the profile does not know).
"""

from __future__ import annotations

from .marks import FACILITY_TYPES, MARK_ICONS, SIDES, base_feature_type, canonical_mark, is_plain_dot
from .reader import module_markers, read_wikipedia_module
from .text import DATE_HELP as DATE_HELP
from .text import HEADER_RE as HEADER_RE
from .text import decode_module_text as decode_module_text
from .text import header_date as header_date
from .text import looks_like_wikipedia_module

# The 'X as X' imports are public as well (fetch.wikipedia and the tests import them) but stay out of
# __all__, as they were before the split.
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
