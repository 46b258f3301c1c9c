"""From a text to checkable claims.

The figures of each sentence come from `whoholds.claims.sentence` (`analyse_sentence`); here `to_claim` turns a
checkable figure into a `Claim`, and `parse_claims`/`parse_claim` do both for a free text such as the argument
of ``whoholds check``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import replace

from ..errors import QueryError
from ..profiles import Profile
from .caveats import caveat
from .model import Claim, Comparator, Direction, ReportedFigure
from .plausible import implausible_reason, unreadable_numerals
from .sentence import SETTLEMENT_NOUNS, analyse_sentence, split_sentences
from .subjects import Mention, find_subjects
from .wording import denied, wording_reason

__all__ = [
    "SETTLEMENT_NOUNS",
    "Mention",
    "analyse_sentence",
    "find_subjects",
    "foreign_script",
    "no_claim_message",
    "parse_claim",
    "parse_claims",
    "parse_figures",
    "split_sentences",
    "to_claim",
    "unresolved_claim",
    "why_not_checkable",
    "with_speaker",
]


def why_not_checkable(fig: ReportedFigure, profile: Profile | None = None) -> str | None:
    """None when the figure can become a Claim, else the reason it cannot."""
    if fig.metric is None:
        return (f"'{fig.surface}' counts {fig.counts or fig.unit!r}, which map data cannot measure "
                "(whoholds checks shares, areas and settlement counts of territory)")
    if fig.subject is None:
        who = f" the {profile.id} profile knows" if profile is not None else ""
        return f"the claim names no actor or coalition{who} (say who holds, gained or lost the territory)"
    if fig.metric.endswith("change") and fig.period_start is None:
        if fig.note:
            return fig.note
        return "the claim gives no period (e.g. 'in November', 'since 1 March') for the change"
    return None


_NEGATED_COMPARATOR: dict[str, Comparator] = {
    "exact": "ceiling", "approx": "ceiling", "floor": "ceiling", "near_below": "ceiling",
    "near_above": "ceiling", "range": "ceiling", "ceiling": "floor",
}


#: "only 20%": a claim of at most that much, whose denial says more.
_ONLY = re.compile(r"\b(?:only|just|merely|barely|a\s+mere|no\s+more\s+than)\s+$", re.I)


def to_claim(fig: ReportedFigure, profile: Profile) -> Claim | None:
    """The checkable claim a figure makes, or None (see `why_not_checkable`)."""
    if why_not_checkable(fig, profile) is not None:
        return None
    assert fig.metric is not None
    kind = "coalition" if fig.subject in profile.coalition_by_id and fig.subject not in profile.actor_by_id \
        else "actor"
    comparator: Comparator = fig.comparator
    value = fig.value
    negated = fig.negated or denied(fig)  # "claims that X holds 30% are false": the figure is said not to hold
    if negated:
        comparator = _NEGATED_COMPARATOR[fig.comparator]
        if fig.comparator in ("exact", "approx") and _ONLY.search(fig.quote[:fig.span[0]]):
            comparator = "floor"  # "reports that it holds only 20% are false": it holds more than 20%
        if fig.comparator == "range" and fig.low is not None:
            value = fig.low
    direction: Direction = fig.direction or "holds"
    if fig.metric in ("share", "area", "settlement_count"):
        direction = "holds"
    return Claim(
        quote=fig.quote, metric=fig.metric, value=value, unit=fig.unit, comparator=comparator,
        qualifier=fig.qualifier, low=fig.low, high=fig.high, subject=fig.subject, subject_kind=kind,
        subject_text=fig.subject_text, direction=direction, speaker=fig.speaker, as_of=fig.as_of,
        period_start=fig.period_start, period_end=fig.period_end, denominator=fig.denominator,
        negated=negated, profile=profile.id, figure=fig, **_readings(fig, profile),
    )


def _readings(fig: ReportedFigure, profile: Profile) -> dict:
    """The claim fields that say how the figure was read (net/gross, rate, tracker, denominator, doubts)."""
    unsure = fig.unsure or caveat(fig) or wording_reason(fig, _country_names(profile))
    return {"measure": fig.measure, "rate_days": fig.rate_days, "tracker": fig.tracker, "region": fig.region,
            "excluded": fig.excluded, "inhabited": fig.inhabited, "unsure": unsure,
            "direction_text": fig.direction_text, "period_text": fig.period_text}


def parse_figures(text: str, profile: Profile | None = None, date: dt.date | None = None,
                  speaker: str | None = None) -> list[ReportedFigure]:
    """Every reported figure of a short text (all sentences), attributed to ``speaker``."""
    figures: list[ReportedFigure] = []
    for i, (sentence, _off) in enumerate(split_sentences(text)):
        figures += analyse_sentence(sentence, profile, ref_date=date, speaker=speaker, index=i)
    return figures


def parse_claims(text: str, profile: Profile, date: dt.date | None = None,
                 speaker: str | None = None) -> list[Claim]:
    """The checkable claims of a short text (with a claim whose figure is not a plausible quantity, marked so)."""
    claims = [c for f in parse_figures(text, profile, date, speaker) if (c := to_claim(f, profile))]
    odd = unreadable_numerals(text)
    if odd:
        with contextlib.suppress(QueryError):  # no actor or metric around it either: no claim to report
            claims.append(_implausible_claim(text, odd, profile, date, speaker, strict=True))
    return claims


def parse_claim(text: str, profile: Profile, date: dt.date | None = None, speaker: str | None = None,
                *, strict: bool = True) -> Claim:
    """The first checkable claim of ``text``.

    With ``strict`` (the default) a text with no checkable claim raises QueryError that says why and lists the
    figures it found; otherwise the first figure with a metric but no actor or period is returned as an
    unresolved claim, so it can be reported as "cannot be checked" with its reason.
    """
    if foreign_script(text):
        raise QueryError(_short(text), no_claim_message([], profile, text))
    odd = unreadable_numerals(text)
    if odd:
        return _implausible_claim(text, odd, profile, date, speaker, strict=strict)
    figures = parse_figures(text, profile, date, speaker)
    for f in figures:
        claim = to_claim(f, profile)
        if claim is not None:
            return claim
    if not strict:
        for f in figures:
            if f.metric is not None:
                return unresolved_claim(f, profile)
    raise QueryError(_short(text), no_claim_message(figures, profile))


def _implausible_claim(text: str, odd: list[tuple[str, float, int, int]], profile: Profile,
                       date: dt.date | None, speaker: str | None, *, strict: bool) -> Claim:
    """The claim of a text whose figure the number reader refuses ("1e309 km²", a 27-digit number): read with a
    stand-in number, so the claim's actor and metric are known, then given back its own figure, marked as not
    a plausible quantity (`check` never rates it)."""
    surface, value, start, end = odd[0]
    stand_in = text[:start] + "1" + text[end:]
    figures = [f for f in parse_figures(stand_in, profile, date, speaker)
               if f.value == 1 and re.match(r"1(?![\d.,])", f.surface)]
    claim = next((c for f in figures if (c := to_claim(f, profile))), None)
    if claim is None and not strict:
        claim = next((c for f in figures if (c := unresolved_claim(f, profile))), None)
    if claim is None:
        raise QueryError(_short(text), "no checkable claim: "
                         + (implausible_reason(value, "", surface) or f"the figure {surface!r} cannot be read"))
    fig = claim.figure
    if fig is not None:
        fig = replace(fig, surface=surface, quote=text)
    why = ("it is written in scientific notation, which is no way a reported figure is written"
           if any(c in surface for c in "eE") else "it has more digits than any figure on a map")
    reason = (implausible_reason(value, claim.metric, surface)
              or f"the figure {surface!r} is not a plausible quantity: {why}")
    return replace(claim, quote=text, value=value, low=None, high=None, figure=fig, implausible=reason)


def unresolved_claim(fig: ReportedFigure, profile: Profile) -> Claim | None:
    """A claim for a figure with a metric but no actor (or no period), to report why it cannot be checked."""
    claim = to_claim(fig, profile)
    if claim is not None or fig.metric is None:
        return claim
    return Claim(quote=fig.quote, metric=fig.metric, value=fig.value, unit=fig.unit, comparator=fig.comparator,
                 qualifier=fig.qualifier, low=fig.low, high=fig.high, subject=fig.subject,
                 subject_text=fig.subject_text, direction=fig.direction or "holds", speaker=fig.speaker,
                 as_of=fig.as_of, period_start=fig.period_start, period_end=fig.period_end,
                 negated=fig.negated, profile=profile.id, figure=fig, **_readings(fig, profile))


def _country_names(profile: Profile) -> tuple[str, ...]:
    """The country's own name ("Ukraine"), which names a place as often as a side."""
    return (profile.id, profile.display_name(profile.id))


def foreign_script(text: str) -> str:
    """The script most of the text's letters are in, when it is not the Latin one ("Cyrillic", "Arabic"...), else
    "". The reader's words, names and units are English: a text in another script would be read as noise."""
    import unicodedata

    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if c.isascii() or "LATIN" in unicodedata.name(c, ""))
    if not letters or latin * 2 >= len(letters):
        return ""
    names = [unicodedata.name(c, "").split(" ")[0] for c in letters if not c.isascii()]
    top = max(set(names), key=names.count) if names else ""
    return top.title() if top else "a non-Latin"


def no_claim_message(figures: list[ReportedFigure], profile: Profile | None = None, text: str = "") -> str:
    script = foreign_script(text)
    if script:
        return f"no checkable claim: the text is written in {script} script; whoholds reads claims written in English"
    if not figures:
        return "no checkable claim: the text reports no figure (no number found)"
    listed = "; ".join(f"{f.surface} {f.counts}".strip() + f" ({why_not_checkable(f, profile)})"
                       for f in figures[:8])
    return f"no checkable claim; reported figures found: {listed}"


def with_speaker(fig: ReportedFigure, speaker: str | None) -> ReportedFigure:
    return replace(fig, speaker=speaker)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
