"""The period phrases of news English as regular expressions, in the order `whoholds.claims.period_text` tries
them ("between 1 and 7 December", "the first three months of 2025", "since the full-scale invasion", "at the peak
of ...", "over the weekend", ...), and the contexts that change what a phrase means (an event clause, a comparison,
"the same period"). Kept apart from the reader so that each module stays small.
"""

from __future__ import annotations

import re

from .period_calendar import _MONTHS

_M = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_DAY_MONTH = rf"(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+({_M})|({_M})\s+(\d{{1,2}})(?:st|nd|rd|th)?)"
#: "between the evenings of March 5 and March 6", "from the evening of 2 April to the evening of 3 April": a monitoring
#: report's day runs evening to evening; the range still ends on its second date.
_PART_OF = r"(?:the\s+(?:evenings?|mornings?|nights?|afternoons?)\s+of\s+)?"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "between December 8 and March 8", "from 1 December to 1 March (2020)": two days in different months
    ("range_dates", re.compile(rf"\b(?:between|from)\s+{_PART_OF}{_DAY_MONTH}(?:,?\s+((?:19|20)\d{{2}}))?,?\s+"
                               rf"(?:and|to|until|through)\s+{_PART_OF}{_DAY_MONTH}(?:,?\s+((?:19|20)\d{{2}}))?",
                               re.I)),
    # "from 24.02.22 to 14.03.23" (a General Staff bulletin): day.month.year, both ends
    ("range_numeric", re.compile(r"\b(?:from|between)\s+(\d{1,2})\.(\d{1,2})\.((?:19|20)?\d{2})\s*(?:to|and|until|"
                                 r"till|through|[-–])\s*(\d{1,2})\.(\d{1,2})\.((?:19|20)?\d{2})\b", re.I)),
    # "between 1 and 7 December (2024)", "from 1 to 7 December", "1-7 December"
    ("range_dm", re.compile(rf"\b(?:between|from)?\s*(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:and|to|-|–)\s*(\d{{1,2}})"
                            rf"(?:st|nd|rd|th)?\s+({_M})(?:,?\s+(\d{{4}}))?", re.I)),
    # "between December 1 and 7", "from December 1 to 7"
    ("range_md", re.compile(rf"\b(?:between|from)\s+{_PART_OF}({_M})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:and|to|-|–)\s*"
                            rf"(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?", re.I)),
    # "between December and March", "from October 2024 to January 2025", "December-February": whole months,
    # the first one the latest that puts the range before the last (a range across a year end)
    ("month_range", re.compile(rf"\b(?:(?:between|from)\s+(?:the\s+start\s+of\s+)?({_M})(?:\s+((?:19|20)\d{{2}}))?"
                               rf"\s+(?:and|to|through|until|till)\s+(?:the\s+end\s+of\s+)?({_M})"
                               rf"(?:,?\s+((?:19|20)\d{{2}}))?"
                               rf"|({_M})\s*[-–]\s*({_M})(?:\s+((?:19|20)\d{{2}}))?)(?!\s*\d{{1,2}}\b)", re.I)),
    # "the first three months of 2025", "the last six weeks of 2024", "the first ten days of March"
    ("part", re.compile(rf"\b(?:(?:in|during|over|for)\s+)?the\s+(first|last|final|past)\s+"
                        rf"(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(days|weeks|months)\s+"
                        rf"of\s+(?:the\s+year\s+)?((?:19|20)\d{{2}}|this\s+year|last\s+year|the\s+year|"
                        rf"{_M}(?:\s+(?:19|20)\d{{2}})?)\b", re.I)),
    # "since the end of August", "since the middle of 2024": counted from that edge of a month or year
    ("since_edge", re.compile(r"\bsince\s+(?:the\s+)?(end|middle|close)\s+of\s+(?:the\s+)?(year|last\s+year|\d{4}|"
                              + _M + r"(?:\s+\d{4})?)\b", re.I)),
    # "since the fall of the Assad government in December", "since the offensive began in August 2024": an event
    # dated by the month or year named after it
    # "in the week to Sunday", "in the seven days to Friday": a stretch ending on that weekday
    ("to_weekday", re.compile(r"\b(?:in|during|over)\s+the\s+(?:(\d+|two|three|four|five|six|seven|eight|nine|ten|"
                              r"fourteen)\s+)?(days?|weeks?)\s+(?:up\s+)?to\s+(monday|tuesday|wednesday|thursday|"
                              r"friday|saturday|sunday)\b", re.I)),
    # "in the week to 8 December 2024", "the seven days ending December 8", "the 30 days through 1 March": a
    # stretch of days or weeks ending on that date
    ("to_date", re.compile(rf"\b(?:(?:in|during|over)\s+)?the\s+(?:(\d+|two|three|four|five|six|seven|eight|nine|"
                           rf"ten|fourteen|thirty)\s+)?(days?|weeks?)\s+(?:up\s+to|to|ending|ended|through|until)\s+"
                           rf"(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_M})|({_M})\s+(\d{{1,2}})(?:st|nd|rd|th)?)"
                           rf"(?:,?\s+((?:19|20)\d{{2}}))?\b", re.I)),
    # "in the three months to March", "the 12 months to the end of June 2025": months ending with that month
    ("to_month", re.compile(rf"\b(?:in|during|over)\s+the\s+(\d+|two|three|four|five|six|seven|eight|nine|ten|"
                            rf"eleven|twelve)\s+months\s+(?:up\s+)?to\s+(?:the\s+end\s+of\s+)?({_M})"
                            rf"(?:\s+(\d{{4}}))?\b(?!\s+\d)", re.I)),
    ("since_dated", re.compile(r"\bsince\s+(?:the\s+)?([a-z\-]+(?:\s+[\w\-'’]+){0,6}?)\s+in\s+(" + _M +
                               r"(?:\s+(?:19|20)\d{2})?|(?:19|20)\d{2})\b", re.I)),
    ("since", re.compile(r"\bsince\s+(?:the\s+)?(?:(?:start|beginning|outbreak|launch)\s+of\s+(?:the\s+)?)?"
                         r"(?:this\s+)?(year|\d{4}|" + _M + r"(?:\s+\d{4})?|full[- ]scale\s+invasion|[a-z\-]+"
                         r"(?:\s+[a-z\-]+){0,3}?)(?=[,.;]|\s+(?:in|have|has|had|were|was|and|russian|ukrainian|"
                         r"the|kyiv|moscow|forces|troops)\b|$)"
                         r"(?:\s+in\s+(" + _M + r"(?:\s+(?:19|20)\d{2})?|(?:19|20)\d{2})\b)?", re.I)),
    # "before the full-scale invasion", "on the eve of the war": the day before a known event
    ("before", re.compile(r"\b(?:before|prior\s+to|until|on\s+the\s+eve\s+of)\s+(?:the\s+)?(?:start\s+of\s+"
                          r"(?:the\s+)?|launch\s+of\s+(?:the\s+)?)?((?:russian\s+)?(?:full[- ]scale\s+invasion|"
                          r"invasion|war|special\s+military\s+operation|military\s+operation|operation))\b"
                          # "the town's 13,000 pre-war residents"; in "a fifth of the pre-war population" the
                          # denominator is pre-war and the share is of now
                          r"|(?<!\bof\sthe\s)(?<!\bof\sits\s)(?<!\bof\s)\bpre-?(war|invasion)\b", re.I)),
    # "at the peak of its incursion", "at its height", "at one point": an earlier point the text does not date
    ("peak", re.compile(r"\b(?:at|during)\s+(?:the|its|their|his|her)\s+(?:peak|height|high\s+point|"
                        r"(?:greatest|largest|maximum|furthest|farthest)\s+extent)\b(?:\s+of\s+(?:the\s+|its\s+|"
                        r"their\s+)?[a-z\-]+(?:\s+(?!in\b)[a-z\-]+)?)?"
                        r"(?:\s+in\s+(?:(" + _M + r")\s+)?((?:19|20)\d{2}))?"
                        r"|\bat\s+one\s+point\b", re.I)),
    # "over the year", "during the whole year": the year the sentence names ("at the end of 2025, up 0.8 points
    # over the year")
    ("the_year", re.compile(r"\b(?:over|during|throughout|in|for)\s+the\s+(?:whole\s+|entire\s+)?year\b"
                            r"(?!\s+(?:to|before|earlier|ago|of)\b)", re.I)),
    # "over the weekend", "last weekend": the latest Saturday–Sunday begun by the reference date
    ("weekend", re.compile(r"\b(?:(?:over|at|during|on)\s+the|this|last|past)\s+weekend\b", re.I)),
    # "Today 130 defenders returned", "on the day": the reference day itself, a one-day period ("as of today",
    # "until today" are points, not a day's figure)
    ("today", re.compile(r"(?<!\bas of )(?<!\buntil )(?<!\bup to )(?<!\bby )(?<!\btill )\b(?:today|on\s+the\s+day)\b"
                         r"(?!['’]s)", re.I)),
    # "a year ago", "three months ago": a point in time
    ("ago", re.compile(r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|\d+)\s+"
                       r"(days?|weeks?|months?|years?)\s+(?:ago|earlier|before)\b", re.I)),
    # "at the start of 2024", "at the end of last year", "at the beginning of March", "as of end-February"
    ("point", re.compile(r"\b(?:(?:at|by)\s+the\s+|(?:as\s+of|at|by)\s+)(start|beginning|end|close)(?:\s+of\s+|-)"
                         r"(?:the\s+)?(year|last\s+year|"
                         r"\d{4}|" + _M + r"(?:\s+\d{4})?)\b", re.I)),
    ("half", re.compile(r"\b(?:in|during|over|for)?\s*(?:the\s+)?(first|second|1st|2nd)\s+half\s+of\s+"
                        r"(?:the\s+year\s+)?(\d{4}|this\s+year|last\s+year|the\s+year)", re.I)),
    # "in the first quarter (of 2025)", "Q3 2025", "in 2024's fourth quarter", "the third-quarter gain"
    ("quarter", re.compile(r"\b(?:in|during|over|for)?\s*(?:the\s+)?(?:((?:19|20)\d{2})(?:'s)?\s+)?"
                           r"(?:(first|second|third|fourth|1st|2nd|3rd|4th|last|final)[\s-]+quarter|q([1-4]))\b"
                           r"(?:\s*(?:of\s+)?(?:,\s*)?((?:19|20)\d{2}|this\s+year|last\s+year|the\s+year)\b)?", re.I)),
    # "the fall of 2024" is a season, "the fall of Bashar al-Assad" / "of the regime" an event
    ("season", re.compile(r"\b(?:(this|last|past|the)\s+)?(winter|spring|summer|autumn|"
                          r"fall(?!\s+of\s+(?!\d{4}\b|this\b|last\b)[A-Za-z]))"
                          r"(?:\s+(?:of\s+)?(\d{4})(?:\s*[-–/]\s*\d{2,4})?)?\b", re.I)),
    # "in October, November and December 2024": one period from the first month to the last (a list with no
    # figure between its months; "310 km² in March, 270 in February" stays two periods)
    ("months", re.compile(rf"\b(?:in|during|over|throughout|for|(?P<span>from|between))\s+(?P<m1>{_M})"
                          rf"(?:\s+(?P<y1>\d{{4}}))?(?P<mid>(?:\s*,\s*{_M}(?:\s+\d{{4}})?)*"
                          rf"(?:,?\s+(?:and|to|through)\s+|\s*,\s*))(?P<m2>{_M})(?:\s+(?P<y2>\d{{4}}))?\b", re.I)),
    # "in the third week of July", "the last week of March 2025": seven days of a month
    ("week_of", re.compile(rf"\b(?:(?:in|during|over)\s+)?the\s+(first|second|third|fourth|1st|2nd|3rd|4th|last|"
                           rf"final)\s+week\s+of\s+({_M})(?:\s+((?:19|20)\d{{2}}))?\b", re.I)),
    # "in mid-February", "early December 2024", "late last month" is relative: the first, middle or last third
    # "between mid-January and early March": from the first part to the end of the last
    ("month_part_range", re.compile(rf"\b(?:between|from)\s+(early|mid|late)?[\s-]*({_M})(?:\s+(\d{{4}}))?\s+"
                                    rf"(?:and|to|until|through)\s+(early|mid|late)?[\s-]*({_M})(?:\s+(\d{{4}}))?\b"
                                    rf"(?!\s+\d)", re.I)),
    ("month_part", re.compile(rf"\b(?:in\s+|during\s+)?(early|mid|late)[\s-]+({_M})(?:\s+(\d{{4}}))?\b(?!\s+\d)",
                              re.I)),
    ("month", re.compile(rf"\b(?:in|during|over|throughout|for|of)\s+(?:the\s+month\s+of\s+)?({_M})(?!\s+\d{{1,2}}\b)"
                         rf"(?:\s+(\d{{4}}))?\b"
                         rf"|(?<=[,;]\s)({_M})(?:\s+(\d{{4}}))?(?=[\s,.;]|$)|\band\s+({_M})(?:\s+(\d{{4}}))?\b"
                         rf"|(?<!\d)(?<!\d\s)(?<!\d(?:st|nd|rd|th)\s)\b({_M})\s+(\d{{4}})\b"
                         rf"|^\W*({_M})(?=\s+(?:ended|saw|brought|was|closed|proved|became)\b)", re.I)),
    # "the last three months of 2024", "the first two months of 2025": a stretch of a named year, not of today
    ("months_of", re.compile(r"\b(?:(?:in|during|over|for)\s+)?the\s+(first|last|final)\s+(two|three|four|five|six|"
                             r"seven|eight|nine|ten|eleven|\d{1,2})\s+months\s+of\s+((?:19|20)\d{2})\b", re.I)),
    ("relative", re.compile(r"\b(?:(?:over|in|during|for)\s+the\s+)?(past|last|previous|this|current)\s+"
                            r"(?:(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+)?"
                            r"(days?|weeks?|months?|years?|24\s+hours)\b|\bso\s+far\s+this\s+(week|month|year)\b"
                            r"|\byear\s+to\s+date\b", re.I)),
    ("year", re.compile(r"\b(?:in|during|throughout|over|for|of)\s+(?:the\s+year\s+)?((?:19|20)\d{2})\b"
                        r"(?!\s*[-–]\d)", re.I)),
]


#: A verb right before "in 2014" / "in August" inside a relative or participle clause ("the peninsula annexed in
#: 2014", "which it seized in 2022"): the time dates that event, not the figure the sentence reports.
_EVENT_VERBS = (r"(?:annexed|seized|occupied|captured|taken|retaken|liberated|lost|launched|began|begun|started|"
                r"founded|formed|signed|invaded|held|opened|mounted)")
_EVENT_VERB_BEFORE = re.compile(
    r"(?:(?:\b(?:which|that|who|when)\b[^,.;\d%²]{0,40}?|\b(?:peninsula|region|city|town|territory|territories|"
    r"areas?|land|oblast|province|crimea|[A-Z][a-z]+)\s+)\b" + _EVENT_VERBS + r"\s*"
    r"|\b(?:which|where|who)\b[^,.;\d%²]{0,60}?\b" + _EVENT_VERBS + r"\b[^,.;\d%²]{1,30})$")


#: Right before a period phrase: the period a figure is compared with, not the figure's own.
#: "slightly less than in July", "more than during the winter": the period compared with, no figure of its own.
_COMPARED = re.compile(r"\bsame\s+(?:period|time|months?|weeks?|quarter|stretch)\s+(?:of\s+)?$|\bthan\s+$", re.I)

#: A period named by reference to an earlier sentence ("over the same period", "in that time"): an article
#: reader gives it the period of the sentence before (see `whoholds.claims.article`); alone, it cannot be dated.
SAME_PERIOD = re.compile(r"\b(?:over|in|during|for|within)\s+(?:the\s+same|that|this)\s+(?:period|time|months?|"
                         r"weeks?|span|stretch)\b(?!\s+(?:of|last|a|this)\b)", re.I)
