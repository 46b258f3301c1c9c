"""Whose voice a sentence is in when it names nobody: the outlet's own wording, present-tense background about a
place (who holds what, where people live, how far a town lies from the front), reporting verbs in the present
tense, words spoken, backshifted reported speech, and openings that go on with the current speaker. Split out of
`whoholds.claims.attribution_patterns`, which re-exports these names.
"""

from __future__ import annotations

import re

#: The outlet speaking in its own voice.
AUTHORIAL = ("it does not seem", "it doesn't seem", "it seems", "it appears", "it does not appear",
             "in our view", "we ", "our ", "taking into account", "it is clear that", "it is unclear",
             "it remains unclear", "this is not", "obviously", "in reality", "in fact,")
#: A present-tense statement of who holds what ("Russia controls about 19% of Ukraine", "The SDF now controls
#: nearly 30% of Syria") with no backshifted verb: wire copy states such background in its own voice, while
#: reported speech that runs on is backshifted ("had surrendered", "would").
_PRESENT_STATE = re.compile(r"\b(?:controls|occupies|holds|remains\s+in\s+control\s+of)\b|\b(?:forces|troops|"
                            r"they|groups|militias|factions)\s+(?:now\s+|still\s+|currently\s+)?(?:control|occupy|"
                            r"hold)\b|\b(?:live|lives|remain|remains|are\s+living|are\s+sheltering|hosts|host)\s+"
                            r"(?:as|in|abroad|displaced|outside|inside|there)\b"
                            # "Kupiansk lies about 8 km from the front", "the rebels are now 25km from Homs"
                            r"|\b(?:lies|lie|sits|is\s+now|are\s+now)\s+(?:just\s+|only\s+|some\s+|about\s+|around\s+|"
                            r"roughly\s+|less\s+than\s+|more\s+than\s+)?[\d,.]+\s*(?:km|kilomet\w+|miles?)\s+"
                            r"(?:from|of|outside)\b", re.IGNORECASE)
#: Background about a place ("Before the war, Kurakhove had a population of around 18,000", "it had about 30,000
#: inhabitants", "was home to"): the outlet's own voice, even inside someone's reported speech.
_BACKGROUND = re.compile(r"\b(?:had|has|have|with)\s+(?:a\s+)?(?:pre-?war\s+)?population\s+of\b|\b(?:was|is|were)\s+"
                         r"(?:once\s+)?home\s+to\b|\bonce\s+home\s+to\b|\b(?:people|residents|inhabitants)\s+(?:had\s+)?"
                         r"lived\s+(?:in|there)\b[^.;]{0,60}?\bbefore\b|\bpre-?war\s+population\b|"
                         r"\b(?:[Bb]efore|[Pp]rior\s+to)\s+(?:the\s+)?(?:full[- ]scale\s+)?(?:war|invasion)\b"
                         r"[^.;]{0,40}?"
                         r"\b(?:people|residents|inhabitants)\s+(?:had\s+)?lived\b|\bhad\s+(?:about|around|some|roughly|"
                         r"nearly|almost|over|more\s+than|fewer\s+than|just\s+under|just\s+over)?\s*[\d,.]+\s+"
                         r"(?:thousand\s+|million\s+)?(?:inhabitants|residents|people)\b(?![^.;]*\b(?:said|says|told)\b)")
#: A reporting verb in the present tense: the statement stands as of the article, not of an earlier one.
_PRESENT_REPORT = re.compile(r"\b(?:says|estimates|reports|believes|expects|projects|puts|counts|shows|"
                             r"suggests|indicates)\b")
_SPOKEN = re.compile(r"[\"“”]|\b(?:said|says|told|added|stated|noted|announced|declared|stressed|claimed|"
                     r"wrote|writes)\b")
_BACKSHIFT = re.compile(r"\b(?:had|would|could|might|was|were|is\s+said|reportedly)\b", re.IGNORECASE)
#: A sentence that opens like this goes on with the current speaker even in a new paragraph.
_CONTINUES = re.compile(r"^\s*(?:[\"“‘]|(?:he|she|they)\b|(?:besides|moreover|furthermore|in addition|also|"
                        r"additionally)\b)", re.IGNORECASE)
