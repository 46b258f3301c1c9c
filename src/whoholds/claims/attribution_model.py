"""Who speaks for one sentence: `Attribution` (speaker, role, statement date, data source, other speakers of the
same sentence). Filled by `whoholds.claims.attribution.SpeakerTracker`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class Attribution:
    speaker: str | None
    role: str | None = None
    explicit: bool = False
    said_on: dt.date | None = None
    data_source: str | None = None
    is_org: bool = False
    #: Other speakers the same sentence names: (start, attribution, comes after its clause); see `for_position`.
    others: tuple[tuple[int, Attribution, bool], ...] = ()

    def for_position(self, pos: int) -> Attribution:
        """The speaker of a figure at ``pos`` when the sentence names several: the next attribution after it
        when that one closes the figure's clause ("6,000 returned, the government said", "..., according to
        UNHCR"), else the nearest one before it ("Bali said more than 5,000 ...")."""
        if not self.others:
            return self
        after = [c for c in self.others if c[0] > pos]
        if after and min(after, key=lambda c: c[0])[2]:
            return min(after, key=lambda c: c[0])[1]
        before = [c for c in self.others if c[0] <= pos]
        pick = max(before, key=lambda c: c[0]) if before else min(self.others, key=lambda c: c[0])
        return pick[1]
