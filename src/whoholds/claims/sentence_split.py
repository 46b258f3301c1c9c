"""Cutting a paragraph into sentences with their offsets (split out of `whoholds.claims.sentence`, which
re-exports `split_sentences`): abbreviations, initials and decimals do not end a sentence; a dialogue dash starts
one."""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "col", "gen", "lt", "maj", "capt", "sgt", "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "etc",
    "e.g", "i.e", "approx", "ca", "sq", "km", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "u.s", "u.k", "u.n", "inc", "ltd", "co", "corp", "gov", "adm", "rep", "sen", "pres",
}


def split_sentences(text: str) -> list[tuple[str, int]]:
    """Sentences of a paragraph with their offsets; abbreviations and decimals do not end a sentence."""
    out: list[tuple[str, int]] = []
    start = 0
    # a dialogue dash opens a new turn: "... now? — In the summer it was ..."
    for m in re.finditer(r"[.!?]+[\"”’)]*\s+(?=[\"“(]?[A-Z0-9]|[—–]\s)", text):
        before = text[start:m.start()]
        last = re.findall(r"([A-Za-z.]+)$", before)
        word = last[0].lower().rstrip(".") if last else ""
        # "Vladimir V. Putin": an initial; "announced on X. Ahmed said": a one-letter name after a preposition
        # ends the sentence
        initial = len(word) == 1 and word.isalpha() and not re.search(r"\b(?:on|via|to|from|at)\s+[A-Z]\.$", before
                                                                      + ".")
        if word in _ABBREVIATIONS or initial:
            continue
        sentence = text[start:m.end()].strip()
        if sentence:
            out.append((sentence, start + (len(text[start:m.end()]) - len(text[start:m.end()].lstrip()))))
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append((tail, start + (len(text[start:]) - len(text[start:].lstrip()))))
    return out
