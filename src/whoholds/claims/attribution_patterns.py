"""The words and patterns of attribution in news English: verbs of saying, titles, bodies, data phrases,
generic references ("the agency"), statement dates. Used by `whoholds.claims.attribution`; every name pattern is
bounded (`MAX_NAME_TOKENS` words), so matching stays linear in the text.
"""

from __future__ import annotations

import re

from .attribution_voice import (  # noqa: F401  re-exported: the voice patterns live in attribution_voice
    _BACKGROUND,
    _BACKSHIFT,
    _CONTINUES,
    _PRESENT_REPORT,
    _PRESENT_STATE,
    _SPOKEN,
    AUTHORIAL,
)

MAX_NAME_TOKENS = 12
_VERBS = (
    "said", "says", "say", "noted", "notes", "revealed", "reveals", "stated", "states", "told", "tells",
    "announced", "announces", "claimed", "claims", "reported", "reports", "added", "adds", "commented",
    "comments", "estimated", "estimates", "wrote", "writes", "assessed", "assesses", "explained", "explains",
    "emphasized", "emphasised", "stressed", "confirmed", "confirms", "declared", "declares", "insisted",
    "asserted", "asserts", "concluded", "mentioned", "informed", "specified", "indicated", "argued", "argues",
    "observed", "calculated", "calculates", "boasted", "acknowledged", "admitted", "posted", "counted",
    "recorded", "registered", "documented", "warned", "put", "puts", "disagrees", "disagreed", "disputes",
    "disputed", "countered", "contends", "contended", "maintains", "maintained", "estimate", "assess",
    "calculate", "insists", "insist", "rejected", "rejects", "denied", "denies", "dismissed", "refuted",
    "saying",
)
#: Verbs that report only with a fitting object or place: "published new figures", "spoke to reporters", "briefed",
#: "found" closing a clause.
_OBJECT_VERBS = (r"(?:published|released|issued|posted)(?=\s+(?:(?:new|its|their|his|her|a|an|the|fresh|updated|"
                 r"latest|monthly|weekly|daily|preliminary|official)\s+){0,3}(?:figures|data|report|statement|update|"
                 r"estimates?|bulletin|assessment|numbers|statistics|tally|count|map)\b)"
                 r"|spoke(?=\s+(?:to|with)\b)|briefed"
                 # "..., BBC Verify found.", "the review found that": a finding; not "have found shelter"
                 r"|found(?=\s*(?:[.,;:]|$)|\s+that\b)|finds(?=\s*(?:[.,;:]|$)|\s+that\b)")
_VERB_RE = "|".join((*_VERBS, _OBJECT_VERBS))
_TITLES = (
    "colonel general", "lieutenant general", "major general", "lieutenant colonel", "general", "colonel",
    "lieutenant", "major", "captain", "minister", "spokesman", "spokeswoman", "spokesperson", "president",
    "head", "director", "commander", "commander-in-chief", "chief", "deputy", "ambassador", "governor",
    "mayor", "analyst", "secretary", "envoy", "adviser", "advisor", "lt", "gen", "col", "maj", "mr", "ms",
    "mrs", "dr", "prof", "premier", "chairman", "representative", "official", "coordinator", "commissioner",
    "gov", "sen", "rep", "sgt", "adm", "capt", "brig", "cmdr", "lt. gen", "maj. gen", "col. gen",
    "ombudsman", "ombudswoman", "prosecutor", "lawmaker", "senator", "expert", "blogger", "researcher",
    "professor", "economist", "historian", "journalist", "correspondent", "sergeant", "chancellor",
)
_ORG_WORDS = {"security", "intelligence", "staff", "ministry", "office", "institute", "center", "centre", "agency",
              "observatory",
              "command", "council", "service", "war", "forces", "army", "government", "kremlin", "mod",
              "committee", "network", "group", "studies", "press", "news", "times", "post", "reuters", "afp",
              "isw", "sohr", "bbc", "ap", "tass", "ria", "department", "administration", "headquarters",
              "unhcr", "iom", "ocha", "unicef", "deepstate", "monitor", "commission", "mission", "programme",
              "program", "organization", "organisation", "bureau", "directorate", "authority", "authorities",
              "interfax", "ukrinform", "sana", "anadolu", "nations", "project", "tank", "foundation", "guard",
              "military", "police", "prosecutors", "officials", "navy", "force", "school", "university", "lab",
              "laboratory", "academy", "fund", "bank", "initiative", "association", "society", "trust", "alliance",
              "coalition", "union", "federation", "platform", "tracker", "crescent", "cross", "helmets", "brigade",
              "battalion", "regiment", "corps", "endowment", "borders", "channel", "defence", "defense"}
#: Capitals that stand for their governments ("Moscow says", "Kyiv has not commented"): bodies, their own source.
_CAPITALS = frozenset({"moscow", "kyiv", "kiev", "damascus", "ankara", "washington", "tehran", "beijing", "minsk",
                       "london", "paris", "berlin", "brussels", "jerusalem", "baghdad", "beirut", "amman", "doha",
                       "riyadh", "kremlin"})
_LEADING_NOISE = {"the", "on", "in", "during", "besides", "also", "and", "but", "however", "meanwhile",
                  "earlier", "later", "today", "yesterday", "monday", "tuesday", "wednesday", "thursday",
                  "friday", "saturday", "sunday", "this", "that", "it", "an", "a", "as", "at", "by", "when",
                  "while", "overall", "separately", "still", "yet", "so", "since", "after", "before", "last",
                  "ngo", "charity"}  # "the NGO REACH": the name, not its kind
_NAME_TOKEN = r"(?:[A-Z][\w'’.\-]*|\d{1,3}(?:st|nd|rd|th)|al-[\w\-]+|of|the|for|and|de|von|van|bin)"
_NAME_RUN = rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,{MAX_NAME_TOKENS}}}"
#: A body's people, who speak for it: "SOHR activists have documented", "ISW analysts assessed".
_BODY_PEOPLE = r"(?:activists|analysts|researchers|monitors|staff|teams|correspondents|investigators|observers)"
_RUN_BEFORE_VERB = re.compile(rf"({_NAME_RUN})(?P<people>\s+{_BODY_PEOPLE})?(?:\s+in\s+[A-Z][\w\-]+)?"
                              rf"(?:,\s+(?:citing|quoting|released|published|issued)\b[^,.;]{{0,80}},)?,?\s+"
                              rf"(?:also\s+|further\s+|later\s+|has\s+|had\s+|have\s+)?"
                              rf"(?:only\s+|so\s+far\s+|now\s+|already\s+|since\s+)?(?:{_VERB_RE})\b")
#: "Ahmad Ibrahim, the governor of Rif Dimashq, told ...", "Gonzalo Vargas Llosa, UNHCR's representative in
#: Syria, said": a name, then an apposition naming the role, then the verb — the name is the speaker.
_APPOSITIVE_CHAR = r"(?:[^,;:.\"“”()]|\.(?=\S|\s+[a-z]))"  # "U.N. refugee agency": a dot inside, not a sentence end
_APPOSITION = re.compile(rf"([A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’.\-]*|al-[\w\-]+|bin|de|von|van|for|of|the|and))"
                         rf"{{0,7}}),\s+"
                         rf"((?:the|a|an|its|his|her|their|[A-Z][\w\-]*(?:'s|’s))\s+{_APPOSITIVE_CHAR}{{2,160}}?|"
                         r"(?:[a-z\-]+\s+){0,2}(?:" + "|".join(_TITLES) + rf")\b{_APPOSITIVE_CHAR}{{0,160}}?)"
                         r"(?:,\s+|\s{3,})"  # a comma, or a blanked relative clause
                         rf"(?:also\s+|further\s+|later\s+|has\s+|had\s+)?(?:{_VERB_RE})\b")
_VERB_THEN_RUN = re.compile(rf"\b(?:{_VERB_RE})\s+((?:the\s+)?[A-Z][\w'’.\-]*"
                            rf"(?:\s+{_NAME_TOKEN}){{0,{MAX_NAME_TOKENS}}})")
#: "Ukraine's military said", "Russia's defence ministry said": a country's body, in lower case.
_POSSESSIVE_BODY = re.compile(r"\b([A-Z][\w\-]+(?:'s|’s)\s+(?:[A-Za-z\-]+\s+){0,2}?(?:military|army|government|"
                              r"ministry|agency|general staff|air force|navy|border service|border guard service|"
                              r"security service|prosecutors?|police|authorities|officials|army command|"
                              r"intelligence|military administration|administration|council))\s+"
                              rf"(?:also\s+|further\s+|later\s+|has\s+|had\s+)?(?:{_VERB_RE})\b")
#: A country's body named without a verb ("Russia's defence ministry gave no figure"): remembered, so that "the
#: ministry" can refer to it later.
_BODY_MENTION = re.compile(r"\b([A-Z][\w\-]+(?:'s|’s)\s+(?:[A-Za-z\-]+\s+){0,2}?(?:military\s+administration|military|"
                           r"army|government|ministry|"
                           r"agency|general staff|air force|navy|border guard service|security service|police|"
                           r"intelligence|administration|council))\b")
#: A person introduced without a reporting verb: "Olena Kovalenko, 58, fled ...", "Halyna Petrenko, a retired
#: teacher, left ...": remembered, so that a later "she said" refers to her.
_PERSON_MENTION = re.compile(r"\b([A-Z][a-z]+(?:\s+(?:al-)?[A-Z][a-z'’\-]+){1,2}),\s+(?:\d{1,3},|an?\s+"
                             r"(?:\d{1,3}-year-old\s+)?[a-z]|(?:head|director|chief|founder|member|spokesman|"
                             r"spokeswoman|commander|deputy|analyst|researcher)\s+(?:of|at|with|for)\b)")
#: "Enab Baladi has learned from a source in the health directorate that ...": the one it was learned from speaks.
_LEARNED_FROM = re.compile(r"\b(?:learned|learnt|heard|was\s+told\s+by|were\s+told\s+by)\s+(?:from\s+)?"
                           r"(?:an?|the)\s+(?P<who>[^,;:\"“”]{2,80}?)\s+that\b")
#: "the Russian reconciliation centre said", "the regional military administration said": a body named in lower
#: case, with at least one word before its head noun.
_LOWER_BODY = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+((?:(?!(?:count|tally|analysis|review)\s)[\w\-'’]+\s+|"
                         r"(?:[A-Z]\.){2,}\s+){1,5}?"
                         r"(?:sources?|officials?|diplomats?|centre|center|administration|ministry|council|committee|"
                         r"headquarters|office|agency|authorities|authority|command|service|military|army|government|"
                         r"monitor|observatory|mission|force|navy|guard|group|watchdog|"
                         r"staff|police|prosecutors?|department|directorate|bureau|channel|project|network)"
                         r"(?:\s+in\s+(?:al-)?[A-Z][\w\-]+)?)(?:'s|’s)?"
                         r"(?:,\s+(?:speaking|who\s+spoke|who\s+asked|asking|requesting|citing)\b[^,.;]{0,120},)?\s+"
                         rf"(?:also\s+|further\s+|later\s+|has\s+|had\s+)?(?:{_VERB_RE}|count|tally|figures|"
                         r"estimate)\b")
#: "Two officials, who spoke on condition of anonymity, said": a number of unnamed people speaking.
_NUMBERED_SOURCES = re.compile(r"\b(?:[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]everal|[Mm]ultiple|\d+)\s+((?:[a-z\-]+\s+|"
                               r"[A-Z][a-z]+(?:ian|ish|ese|an|i)\s+){0,3}?(?:officials|sources|diplomats|commanders|"
                               r"officers|analysts|witnesses)(?:\s+(?:in|at|from|within|close\s+to)\s+(?:the\s+)?"
                               r"[A-Z][\w\-]*(?:\s+(?:(?:of|for|and|the)\s+)?[A-Z][\w\-]*){0,5})?)(?:,\s+(?:speaking|who\s+spoke|who\s+asked|asking|"
                               r"requesting)\b[^,.;]{0,120},)?\s+"
                               rf"(?:also\s+|later\s+|have\s+|had\s+)?(?:{_VERB_RE})\b")
#: Headline attributions: "Over 1 million Syrians return home - UN", "UN: 280,000 displaced in a week".
_HEADLINE_AFTER = re.compile(r"\s[-–—]\s*([A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3})\s*$")
_HEADLINE_BEFORE = re.compile(r"^\s*([A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}):\s+\S")
#: "..., officials said": unnamed people, no adjective.
_BARE_SOURCES = re.compile(r"(?:^|,\s+|\b(?:and|where|while|as|but)\s+)((?:[Hh]ealth|[Ll]ocal|[Rr]egional|[Cc]ity|"
                           r"[Mm]ilitary)\s+authorities|officials|sources|witnesses|analysts|residents|"
                           r"medics|rescuers|police|authorities|prosecutors|activists|monitors|volunteers|doctors|"
                           r"(?:humanitarian\s+)?partners|aid\s+(?:workers|groups|agencies)|rights\s+groups)\s+"
                           rf"(?:also\s+|later\s+|have\s+|had\s+)?(?:{_VERB_RE}|report|say|estimate)\b")
#: A fact-check's claimants: "Posts shared thousands of times on social media claim that ...", "viral videos
#: suggest".
_CLAIMANTS = re.compile(r"(?:^|\b(?:and|but|while)\s+)(?:[Aa]n?\s+|[Tt]he\s+)?"
                        r"((?:[Vv]iral\s+|[Ss]ocial\s+media\s+|[Oo]nline\s+)?"
                        r"(?:[Pp]osts?|[Vv]ideos?|[Mm]essages?|[Tt]weets?|[Cc]laims))(?:\s+(?:shared|circulating|published|posted|on|"
                        r"spread)\b[^,;.]{0,60}?)?\s+(?:claims?|claimed|says?|said|suggests?|suggested|alleges?|"
                        r"alleged|asserts?|asserted)\b")
#: "state television reported", "state media said": a broadcaster named without an article.
_STATE_MEDIA = re.compile(r"(?<!\bthe\s)(?<!\bThe\s)(?<!\ba\s)(?<!\bA\s)\b((?:[Ss]tate|[Ss]tate-run|[Ss]tate-owned|"
                          r"[Oo]fficial|[Ll]ocal|[Nn]ational|[Pp]ublic|[Rr]egional|[Mm]ilitary|[Ss]ecurity|[Ss]enior|"
                          r"[A-Z][a-z]+(?:ian|ish|ese|an|i)|[A-Z][\w]+-(?:led|backed|run|installed|appointed))\s+"
                          r"(?:television|TV|media|news\s+agency|radio|broadcaster|"
                          r"officials|sources|authorities))(?:\s+in\s+[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)?\s+"
                          rf"(?:also\s+|later\s+|has\s+|had\s+)?(?:{_VERB_RE})\b")
#: In "according to calculations by this newspaper based on DeepState maps", what comes before "based on" names
#: the analyst, what follows the data.
_DATA_MARK = re.compile(r"\b(?:based on|using|drawing on|citing|of data|of maps|of figures|of (?:official\s+)?"
                        r"(?:statements|reports|announcements|claims) (?:by|from)|of (?:the )?(?:data|maps|"
                        r"figures|statistics)|from data|from maps)\b", re.IGNORECASE)
_OWN_OUTLET = re.compile(r"\b(?:this|our|the)\s+(?:own\s+)?(?:newspaper|publication|news agency|agency|outlet|"
                         r"paper|website|site|magazine|channel|broadcaster)\b(?!\s+[A-Z])|\bour\s+own\b|"
                         r"\bour\s+(?:latest\s+)?(?:analysis|calculations?|count|tally|review|estimates?|research|"
                         r"monitoring|mapping|data)\b",
                         re.IGNORECASE)
#: "The UN humanitarian office (OCHA) said": the acronym between a body and its verb (blanked, kept as an alias).
_ACRONYM_BEFORE_VERB = re.compile(r"\s\(([A-Z][A-Za-z.\-]{1,12})\)(?=,?\s+(?:also\s+|further\s+|later\s+|has\s+|"
                                  rf"had\s+|have\s+)?(?:{_VERB_RE}|said|says)\b)")
#: "Interfax quoted the governor of Zaporizhzhia, Yevgeny Balitsky, as saying": the one quoted speaks.
_QUOTED_AS = re.compile(r"\b(?:quoted|cited)\s+(?P<who>[^;:\"“”]{2,140}?),?\s+as\s+(?:saying|telling|writing|"
                        r"stating)\b")
#: A body's own data ("the centre's own field survey", "by its count"): not the data it cited before.
_OWN_DATA = re.compile(r"(?:\bown|['’]s|\bits|\btheir)\s+(?:[a-z\-]+\s+)?(?:count|tally|figures|data|survey|"
                       r"estimates?|calculations?|monitoring|records|research)\b")
#: "data from ISW analysed by AFP": the analyst named after the data.
_ANALYSED_BY = re.compile(r"\b(?:analy[sz]ed|reviewed|verified|processed|mapped)\s+by\s+(?:the\s+)?([A-Z][\w.&'’\-]*"
                          r"(?:\s+[A-Z][\w.&'’\-]*){0,3})")
#: "X's figures show", "Data compiled by X show": the data speak for their owner.
_DATA_VERB = re.compile(r"\b(?:show|shows|showed|shown|indicate|indicates|indicated|suggest|suggests|suggested|"
                        r"reveal|reveals|revealed|puts|put|gives|gave)\b")
_ACCORDING = re.compile(r"\b(?:according to|per(?=\s+(?:the\s+)?(?-i:[A-Z])))\s+([^,;:()]{1,160})", re.IGNORECASE)
_ANY_CUE = re.compile(rf"\b(?:{_VERB_RE}|according|per|quoted|cited|report|learned|learnt|heard|claim|count|"
                      r"tally|analysis|calculations?|data|figures|maps?|statistics|estimates?|based|survey|research|"
                      r"review|assessment)\b", re.IGNORECASE)
_PRONOUN = re.compile(rf"\b(he|she|they|it|one\s+of\s+them)\s+(?:also\s+|further\s+|later\s+|has\s+|had\s+)?"
                      rf"(?:{_VERB_RE})\b"
                      rf"|\b(?:{_VERB_RE})\s+(he|she|they|it)\b", re.IGNORECASE)
_TITLE_REF = re.compile(r"\bthe\s+((?:[a-z\-]+\s+){0,2}?(?:" + "|".join(_TITLES) + r"))\b(?=[^.]*\b(?:"
                        + _VERB_RE + r")\b)")
#: "the agency said", "by the monitor's count": a generic name for a body named before.
_GENERIC_RE = re.compile(r"\b(?:the|its|their)\s+((?:un\s+|war\s+|news\s+|refugee\s+|defen[cs]e\s+|general\s+)?"
                         r"(agency|ministry|monitor|observatory|think\s+tank|institute|general\s+staff|group|"
                         r"military|army|mission|office|organi[sz]ation|authorities|command|government|centre|"
                         r"center|official|source|spokesperson|spokesman|spokeswoman|air\s+force|navy|"
                         r"border\s+guard|national\s+guard|police))"
                         r"(?:'s|’s)?(?:,\s+(?:which|who)\b[^,.;]{0,120},)?"  # "the monitor, which relies on ..., said"
                         r"\s+(?:(?:own\s+)?(?:[a-z]+\s+)?(?:count|tally|estimate|figures|data|"
                         r"calculations?|analysis|survey|research|assessment|review)|(?:itself\s+|themselves\s+)?"
                         rf"(?:also\s+|further\s+|later\s+|has\s+|had\s+)?(?:{_VERB_RE})\b)", re.IGNORECASE)
#: "said IOM's chief of mission in Syria, Rania Sheikh.": the role first, then the name closing the clause.
_VERB_ROLE_NAME = re.compile(rf"\b(?:{_VERB_RE})\s+(?:the\s+|an?\s+)?(?:[A-Z][\w\-]*(?:'s|’s)\s+)?"
                             r"(?:[a-z\-]+\s+){0,3}?(?:" + "|".join(t for t in _TITLES if " " not in t) +
                             r")\b[^,.;\"“”]{0,60},\s+([A-Z][\w'’\-]+(?:\s+(?:[A-Z][\w'’\-]+|al-[\w\-]+)){1,3})"
                             r"(?=\s*[.;,]|\s*$)")
#: "according to the same ministry figures", "according to those data": the data named before, cited by the
#: speaker who cited it.
_SAME_DATA = re.compile(r"^(?:the\s+same|those|these|that|the\s+latest)\s+(?:[a-z\-]+\s+){0,2}(?:figures|data|"
                        r"numbers|statistics|estimates|maps|count|tally)\b", re.IGNORECASE)
_BY_COUNT = re.compile(r"\b[Bb]y\s+(?:the\s+)?(" + _NAME_RUN + r")(?:'s|’s|(?<=s)'|(?<=s)’)\s+(?:own\s+)?"
                       r"(?:count|tally|estimate|calculations?|figures)")
_BY_ITS_COUNT = re.compile(r"\bby\s+(its|their|his|her)\s+(?:own\s+)?(?:count|tally|estimate|calculations?)|"
                           r"\b(its|their)\s+(?:own\s+|latest\s+|new\s+|updated\s+|most\s+recent\s+){0,2}(?:[a-z]+\s+)?"
                           r"(?:map|maps|count|tally|figures|data|estimates?|survey|report|assessment)\s+(?:puts|put|"
                           r"shows?|showed|gives|gave|suggests?|suggested|indicates?|indicated)\b", re.IGNORECASE)
#: The analyst and the data: "an AFP analysis of data from ISW", "Reuters calculations based on DeepState maps".
_ANALYSIS = re.compile(r"(?:\b(?:an?|the)\s+)?(" + _NAME_RUN + r")(?:'s|’s)?\s+(?:own\s+)?(?:analysis|calculations?|"
                       r"review|tally|count|estimates?)\b")
_DATA_FROM = re.compile(r"\b(?i:data|figures|maps?|statistics|numbers|estimates|assessments?|reports?|statements|"
                        r"announcements|claims)\s+"
                        r"(?:from|by|of|published\s+by|compiled\s+by|provided\s+by|released\s+by|issued\s+by)\s+"
                        r"(?:the\s+)?(?:(?:[a-z\-]+\s+){0,3}?)(" + _NAME_RUN + r")")
_DATA_OF = re.compile(r"(?:based\s+on|using|from|citing|of)\s+(?:the\s+)?(" + _NAME_RUN +
                      r")(?:'s|’s)?\s+(?:[a-z\-]+\s+)?(?:data|figures|maps?|statistics|estimates|assessments?|"
                      r"reports?)\b")
#: A country's body in lower case after its name: "Turkiye's interior ministry", "Ukraine's defence ministry".
_BODY_AFTER = re.compile(r"(?:'s|’s)\s+((?:[a-z\-]+\s+){0,3}?(?:ministry|government|military|army|general\s+staff|"
                         r"authorities|administration|office|agency|service|police|prosecutors?|directorate))\b")
#: The same after a country's adjective: "the Syrian interior ministry", "the Turkish migration directorate".
_BODY_AFTER_ADJ = re.compile(_BODY_AFTER.pattern.replace("(?:'s|’s)", "", 1))
#: "said, citing local authorities, that", "citing Ukrainian officials": whose word the figure rests on.
_CITING = re.compile(r"\bciting\s+(?:the\s+)?((?:[a-z\-]+\s+){0,3}(?:authorities|officials|sources|police|ministry|"
                     r"administration|government|military|army|residents|activists|monitors|data|figures)|"
                     r"[A-Z][\w'’.\-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’.\-]*){0,5})")
_DATA_SHOW = re.compile(r"(" + _NAME_RUN + r")(?:'s|’s)?\s+(?:(?:latest|new|annual|monthly|own)\s+)?(?:data|figures|"
                        r"maps?|statistics|estimates|report|survey|assessment|study)\s+"
                        r"(?:show|showed|shows|indicate|indicated|suggest|suggested|puts|put|gives|gave)\b")
_WEEKDAY_NUM = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                             "sunday"))}
_WHEN = (r"(?P<when>(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
         r"\d{1,2}\s+[A-Za-z]{3,9}\.?(?:,?\s+\d{4})?|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:,?\s+\d{4})?)")
_SAID_ON = re.compile(rf"\b(?:{_VERB_RE})\b[^.;:]{{0,80}}?\bon\s+{_WHEN}", re.IGNORECASE)
#: "a map published by the Jusoor Center on Monday": the day a body's figures came out.
_PUBLISHED_ON = re.compile(rf"\b(?:published|released|issued|posted|updated)\b[^.;:]{{0,80}}?\bon\s+{_WHEN}",
                           re.IGNORECASE)
#: "said Tuesday", "told reporters Wednesday" (wire style without "on"): a weekday right after the verb or its
#: audience.
_SAID_WEEKDAY = re.compile(rf"\b(?:{_VERB_RE})\s+(?:(?:reporters|journalists|a\s+briefing|a\s+news\s+conference|"
                           r"the\s+press|parliament|state\s+media|state\s+television|Xinhua|Reuters|AFP|AP)\s+)?"
                           r"(?:late\s+|early\s+)?(?P<when>(?:monday|tuesday|wednesday|thursday|friday|saturday|"
                           r"sunday))\b", re.IGNORECASE)
#: "On Monday, the ministry said", "Speaking in parliament on Tuesday, the minister told MPs".
_ON_SAID = re.compile(rf"^\s*(?:(?:speaking|writing|addressing|briefing)\b[^.;:,]{{0,60}}?\s)?on\s+{_WHEN}"
                      rf"[^.;:]{{0,60}}?\b(?:{_VERB_RE})\b", re.IGNORECASE)
#: Which earlier bodies a generic name can refer to.
_GENERIC_KINDS = {
    "agency": ("agency", "unhcr", "iom", "ocha", "unicef", "reuters", "afp", "ap", "associated press", "tass",
               "ria", "interfax", "ukrinform", "sana", "anadolu", "efe", "dpa"),
    "monitor": ("observatory", "sohr", "monitor", "airwars", "network"),
    "observatory": ("observatory", "sohr"),
    "think tank": ("institute", "isw", "study of war", "think tank", "center", "centre", "studies"),
    "institute": ("institute", "isw", "study of war"),
    "general staff": ("general staff",),
    "ministry": ("ministry", "mod"),
    "military": ("general staff", "ministry of defen", "army", "forces", "command", "military", "mod"),
    "army": ("army", "forces", "general staff"),
    "mission": ("mission",),
    "office": ("office", "ocha"),
    "organization": ("organization", "organisation", "iom", "who"),
    "organisation": ("organization", "organisation", "iom", "who"),
    "authorities": ("authorities", "administration", "government", "ministry"),
    "command": ("command",),
    "government": ("government", "ministry", "cabinet"),
    "group": ("group", "observatory", "network", "monitor", "project"),
    "air force": ("air force",),
    "navy": ("navy",),
    "border guard": ("border guard", "border service"),
    "national guard": ("national guard",),
    "police": ("police",),
    "centre": ("centre", "center", "institute"),
    "center": ("centre", "center", "institute"),
    "official": ("official",),
    "source": ("source",),
    "spokesperson": ("spokesperson", "spokesman", "spokeswoman"),
    "spokesman": ("spokesperson", "spokesman", "spokeswoman"),
    "spokeswoman": ("spokesperson", "spokesman", "spokeswoman"),
}
#: Generic references to a person (not a body).
_PERSON_KINDS = frozenset({"official", "source", "spokesperson", "spokesman", "spokeswoman"})
_CLAUSE_END = re.compile(r"\s*(?:[,.;:)”\"’!?]|$)|\s+(?:on|in|at|who|told|during|according|last|this|"
                         r"yesterday|today|earlier|late)\b")
#: An unnamed person described by role: "a Ukrainian battalion commander told AP", "a soldier serving in the town
#: told Reuters, asking not to be named", "the head of the town's military administration said". With "the", a
#: bare title ("the commander said") refers back to someone named and is left to `_TITLE_REF`.
_PERSON_NOUNS = (r"commander-in-chief|commander|officer|soldier|serviceman|servicewoman|fighter|official|spokesman|"
                 r"spokeswoman|"
                 r"spokesperson|medic|volunteer|doctor|activist|source|head|chief|director|member|representative|"
                 r"deputy|aide|adviser|advisor|diplomat|negotiator|pilot|sergeant")
_UNNAMED_PERSON = re.compile(
    r"\b(?:(?P<indef>[Aa]n?)|[Tt]he|(?P<poss>[A-Z][\w\-]+(?:'s|’s)))\s+"
    r"(?P<who>(?P<mods>(?:[\w\-'’.]+\s+){0,3}?)(?:" + _PERSON_NOUNS + r")"
    r"(?P<of>\s+(?:of|for|at|in|within)\s+(?:the\s+)?(?P<body>(?:[\w\-'’.]+\s+){0,4}?(?i:administration|ministry|"
    r"council|committee|agency|office|command|service|brigade|battalion|regiment|unit|army|military|police|"
    r"department|directorate|authority|city|town|village|region|province|district|group|team|mission)s?"
    # "the office for displaced affairs", "the department of social policy": the body's remit is part of its name
    r"(?:\s+(?:for|of)\s+(?:[a-z\-]+\s+){0,2}[a-z\-]+)?))?)"
    r"(?:,?\s+(?:serving|fighting|based|stationed|deployed|working|who\s+serves|who\s+fights)\s+(?:in|near|on|at|"
    r"with|outside)\s+[^,.;]{1,50}?)?"
    r"(?:,\s+(?:speaking|who\s+spoke|who\s+asked|asking|requesting|citing)\b[^,.;]{0,120},)?\s+"
    rf"(?:also\s+|further\s+|later\s+|has\s+|had\s+)?(?:{_VERB_RE})\b")
#: A relative clause between a speaker and the verb: "X, who commands a brigade near Y, said".
#: An age between a name and the verb ("Ahmad, 34, said") is blanked the same way.
_RELATIVE = re.compile(rf",\s+(?:(?:who|whose|which)\s+(?!(?:{_VERB_RE})\b)[^,;:\"“”]{{1,120}}|\d{{1,3}}|"
                       r"(?:citing|quoting|referring\s+to|speaking\s+(?:to|at|on|in)|in\s+a\s+(?:statement|post|"
                       r"briefing)|asked\s+about|for\s+(?:its|his|her|their)\s+part|in\s+turn)\b[^,;:\"“”]{0,120}),"
                       rf"(?=\s+(?:also\s+|later\s+|has\s+|had\s+)?(?:{_VERB_RE})\b)")
#: Labels that open a headline or caption and name no speaker ("Update: ...", "Factbox: ...").
_LABELS = frozenset({"note", "update", "updated", "watch", "breaking", "live", "exclusive", "analysis", "explainer",
                     "photo", "video", "factbox", "timeline", "opinion", "editorial", "comment", "correction",
                     "graphic", "map", "chart", "read", "see", "also", "caption"})
_COMMON_ADJECTIVES = frozenset({"state", "state-run", "state-owned", "official", "local", "national", "public",
                                "regional", "military", "security", "senior"})

#: "Sources in the General Staff told", "sources close to the Kremlin said": unnamed people of a body (not the body).
_SOURCES_IN = re.compile(r"(?<![\w\-]\s)\b((?:[Ss]ources|[Pp]eople|[Oo]fficials)\s+(?:in|at|within|inside|"
                         r"close\s+to|familiar\s+with|near)\s+(?:the\s+)?(?:[A-Z][\w\-'’]*|[a-z\-]+)"
                         r"(?:\s+(?:[A-Z][\w\-'’]*|of|for|and|the|[a-z\-]+)){0,5}?)\s+"
                         rf"(?:also\s+|have\s+|had\s+)?(?:{_VERB_RE})\b")
#: "has not confirmed the claim but says", "gave no figure but said": the subject before speaks the second verb; the
#: clause between is blanked like a relative clause.
_NOT_BUT = re.compile(r"\s+(?:(?:has|have|had|did|does|do|was|were|is|are)\s+(?:not|never|yet\s+to)\b|(?:gave|gives|"
                      r"has\s+given|offered|provided)\s+no\b)[^,.;:\"“”]{0,80}?\s+but"
                      rf"(?=\s+(?:also\s+|has\s+|had\s+)?(?:{_VERB_RE})\b)")
#: "by an Associated Press count of its statements", "according to a Reuters tally of the ministry's claims": the
#: counter speaks for the sentence, the body whose statements it counts owns the data.
#: "a Reuters tally of Ukrainian air force data showed", "by an AP count of Russian Defence Ministry briefings": the
#: counted body named before the noun (``body``), only data then ("an analysis of data" alone names no owner).
_COUNT_OF_CLAIMS = re.compile(r"(?:\b(?:[Bb]y|[Aa]ccording\s+to)\s+(?:an?\s+|the\s+)?|(?<![\w'’])[Aa]n?\s+(?=[A-Z]))"
                              r"(?P<who>" + _NAME_RUN + r")(?:'s|’s)?"
                              r"\s+(?:own\s+)?(?:count|tally|review|analysis)\s+of\s+(?P<whose>its|their|his|her|"
                              r"the\s+(?:[a-z\-]+\s+){0,3}?[a-z\-]+['’]s|[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3}['’]s)?\s*"
                              r"(?:(?:official|daily|own|public|published)\s+)?(?P<unnamed>(?:[a-z]+-[a-z\-]+\s+))?"
                              r"(?P<body>(?:the\s+)?(?:[A-Z][\w\-]*\s+)+(?:[a-z]+\s+){0,2}?"
                              r"(?:(?:official|daily|own|public|published)\s+)?)?"
                              r"(?:statements|claims|announcements|reports|briefings|bulletins|(?<=\s)figures|"
                              r"(?(body)data|(?!x)x))"
                              r"(?P<by>\s+(?:by|from|of)\s)?")
#: A count or tally: a body's own data, even the outlet's ("by AFP's tally").
_COUNTED = re.compile(r"\b(?:count|tally|counted|tallied|calculations?|calculated)\b", re.IGNORECASE)
#: "according to maps from ISW", "according to data compiled by ACLED": the outlet's reading of X's data (the data
#: noun first, then its owner). One document ("according to a map published by Jusoor on Monday") is the body's own
#: statement and stays the body's.
_DATA_NOUN_FIRST = re.compile(r"(?:the\s+)?(?:(?:latest|new|open-source|official|publicly\s+available|"
                              r"satellite)\s+)*(?:data|figures|maps|statistics|numbers|estimates)\s+(?:from|by|"
                              r"compiled\s+by|published\s+by|released\s+by|provided\s+by|collected\s+by|of)\s",
                              re.IGNORECASE)
#: "... and found that": what an analyst did before its finding ("BBC Verify analysed satellite images and found
#: that") is blanked, so the analyst is the finding's subject.
_DID_AND_FOUND = re.compile(r"\s+(?:analy[sz]ed|reviewed|examined|studied|compared|checked|verified|geolocated|"
                            r"mapped|counted|surveyed|interviewed|assessed)\b[^.;:\"“”]{0,120}?\s+and(?=\s+(?:found|concluded|estimated|calculated)\b)")
#: "far less than the Kremlin says", "more than officials claimed": the object of a comparison, not an attribution.
_THAN_CLAIMS = re.compile(r"\b(?:than|as)\s+(?:the\s+|what\s+)?(?:[A-Za-z'’\-]+\s+){0,5}?(?:claims?|claimed|says?|said|"
                          r"reports?|reported|estimates?|estimated|insists?|insisted)\b")
#: "according to its latest count", "according to their own figures": the body the sentence is about.
_ITS_OWN = re.compile(r"(?:its|their)\s+(?:(?:own|latest|new|updated|most\s+recent)\s+)*(?:count|tally|figures|data|"
                      r"estimates?|records|monitoring|mapping|calculations?)\b", re.IGNORECASE)
#: Statements "last Tuesday": the weekday before the article's.
_LAST_WEEKDAY = re.compile(r"\blast\s+(?P<when>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
#: The body in a person's apposition: "(Pasi Paroinen, an) analyst with the Finnish Black Bird Group".
_MEMBER_OF = re.compile(r"(?:[^,;.]{0,60}?\b(?:with|at|of|for))?\s+(?:the\s+)?(?:[A-Z][a-z]+(?:ish|ian|ese|an|i)\s+)?"
                        r"([A-Z][\w\-]*(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w\-]*){0,5})")
#: A Q&A interview's answer: a paragraph opening with a dialogue dash (or "A:") that asks nothing.
_ANSWER = re.compile(r"^\s*(?:[—–]|-\s|A:)")
#: The interviewee's own data in an answer: "according to our monitoring", "our maps show".
_OUR_DATA = re.compile(r"\bour\s+(?:own\s+|latest\s+)?(?:monitoring|mapping|maps?|data|figures|count|tally|"
                       r"analysis|records|"
                       r"estimates?|research|calculations?)\b", re.IGNORECASE)
#: A body named by its country's adjective without a verb ("The Syrian interior ministry reopened the crossing"):
#: remembered, so that a later "the ministry's figures" refers to it.
_ADJ_BODY_MENTION = re.compile(r"\b[Tt]he\s+([A-Z][a-z]+(?:ian|ish|ese|an|i)\s+(?:[a-z\-]+\s+){0,2}?(?:ministry|army|"
                               r"military|government|police|authorities|general\s+staff|air\s+force|navy))\b")

#: A title or a body's word in an apposition's role ("X, the governor of Rif Dimashq, told"): one pattern, not one
#: search per word.
_ROLE_WORD = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted({*_TITLES, *_ORG_WORDS}, key=len,
                                                                          reverse=True)) + r")\b")
#: The head of an apposition that makes the name before it a body: "Oryx, an open-source project,".
_ORG_HEAD = re.compile(r"\b(?:project|group|monitor|organi[sz]ation|agency|network|observatory|institute|centre|"
                       r"center|tracker|initiative|platform|charity|ngo|think\s+tank)\b")
_TITLE_WORD = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in _TITLES) + r")\b")
