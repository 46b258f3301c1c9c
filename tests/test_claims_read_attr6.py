"""Attribution and as-of classes found in heldout9's first run (docs/attribution_taxonomy.md, classes G1-G7 and the
as-of classes), on sentences written for this test in the house styles of wire agencies (TASS / Interfax / RIA
bulletins, AFP / Reuters / AP tallies), newspaper live blogs, UN documents and OSCE reports. None is taken from an
article or from the heldout9 paragraphs; figures are illustrative. Expected fields were worked out by hand by the
gold file's rules (tests/gold/eval_paragraphs.yaml header).

Written before the change, then run on the reader as it was (commit 33f1eb8, heldout9's first-run reader with its
modules split): 23 of the first 35 tests failed — 17 of the first 24 attribution cases, 4 of the 8 as-of cases and
both bulletin-day tests. The cases marked as a second batch were written after the first fixes, and run on the
reader before their own change (as noted at each).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from whoholds.claims.article import Article, extract_figures
from whoholds.profiles import load_profile

D = dt.date
DAY = D(2025, 3, 14)  # a Friday
ANY = object()
NONE = None


def _read(text: str, country: str, outlet: str, day: dt.date = DAY) -> list[Any]:
    return extract_figures(Article(text=text, source="t", date=day, outlet=outlet), load_profile(country))


def _same(got: Any, want: Any) -> bool:
    if want is ANY:
        return True
    if isinstance(want, list):  # acceptable spellings
        return got is not None and got.lower().removeprefix("the ") in {w.lower() for w in want}
    return got == want


def S(speaker: list[str], source: list[str] | None | object = ANY) -> dict[str, Any]:  # noqa: N802
    return {"speaker": speaker, "data_source": source}


HQ = ["Russian and Syrian interagency coordination headquarters", "interagency coordination headquarters",
      "coordination headquarters"]
AIR = ["Ukrainian air force", "Ukraine's air force", "air force"]

# Each case: id, text, country, outlet, {value: {field: want}} — and no other figure.
CASES: list[tuple[str, str, str, str, dict[float, dict[str, Any]]]] = [
    # ---- G1. an agency relays a bulletin body: the body speaks and owns the data -----------------------------
    ("hq-said-end", "Over the past day, 412 refugees returned to Syria from Lebanon, the Russian and Syrian "
     "interagency coordination headquarters said.", "syria", "TASS", {412: S(HQ, HQ)}),
    ("hq-reported-that", "The interagency coordination headquarters reported that 1,310 refugees had come back from "
     "Jordan since Monday.", "syria", "Interfax", {1310: S(HQ, HQ)}),
    ("hq-bulletin", "Since the start of the year, 2,450 refugees have returned from Jordan, the joint "
     "Russian-Syrian coordination headquarters said in its daily bulletin.", "syria", "RIA Novosti",
     {2450: S(["joint Russian-Syrian coordination headquarters", "Russian-Syrian coordination headquarters",
               "coordination headquarters"], ANY)}),
    ("hq-according", "According to the interagency coordination headquarters, 640 displaced people returned to "
     "their homes over the past day.", "syria", "TASS", {640: S(HQ, HQ)}),
    # ---- G2. a document's title is its owner's voice ------------------------------------------------------------
    ("doc-puts", "The UN's Humanitarian Needs Overview puts the number of people in need at 16.7 million.", "syria",
     "The National", {16_700_000: S(["UN", "United Nations"], ["UN", "United Nations"])}),
    ("doc-says-end", "Some 7.2 million Syrians remain displaced, the UN's Humanitarian Needs Overview says.",
     "syria", "The National", {7_200_000: S(["UN", "United Nations"], ["UN", "United Nations"])}),
    ("doc-according-its", "The OSCE monitoring mission recorded 820 ceasefire violations in the Luhansk region, "
     "according to its Daily Report.", "ukraine", "Kyiv Independent",
     {820: S(["OSCE monitoring mission", "OSCE"], ["OSCE monitoring mission", "OSCE"])}),
    ("doc-according-owner", "According to OCHA's Humanitarian Response Plan, 4.1 million people in the northwest "
     "need aid.", "syria", "Enab Baladi", {4_100_000: S(["OCHA"], ["OCHA"])}),
    # (a second batch, probed on the reader before its change: both failed) a year and "for <Country>" in the title,
    # a release clause before the verb, then "the document says"
    ("doc-year-released", "The UN's 2024 Flash Appeal for Ukraine, released on Tuesday, puts the number of people in "
     "need at 14.6 million. Some 3.7 million remain internally displaced, the document says.", "ukraine",
     "Kyiv Post", {14_600_000: {**S(["UN"], ["UN"]), "as_of": D(2025, 3, 11)},
                   3_700_000: {**S(["UN"], ["UN"]), "as_of": D(2025, 3, 11)}}),
    ("doc-for-country", "OCHA's Humanitarian Response Plan for Syria puts the funding gap at 70 percent.", "syria",
     "The National", {70: S(["OCHA"], ["OCHA"])}),
    # ---- G3. an outlet's tally of a body's figures: the outlet speaks, the body (full name) owns the data -------
    ("tally-by-body", "Russia fired 5,200 drones at Ukraine in September, according to AFP's tally of daily reports "
     "by the Ukrainian air force.", "ukraine", "AFP", {5200: S(["AFP"], AIR)}),
    ("count-adj-body", "Russia fired 5,200 drones at Ukraine in September, according to AFP's count of daily "
     "Ukrainian air force statements.", "ukraine", "AFP", {5200: S(["AFP"], AIR)}),
    ("tally-showed", "Russia launched 310 missiles in October, a Reuters tally of Ukrainian air force data showed.",
     "ukraine", "Reuters", {310: S(["Reuters"], AIR)}),
    ("count-of-briefings", "By an AP count of Russian Defence Ministry briefings, 190 villages were claimed in the "
     "first half of the year.", "ukraine", "AP",
     {190: S(["AP", "Associated Press"], ["Russian Defence Ministry"])}),
    # ---- G4. a short back-reference ("the ministry's") is the full name given before ---------------------------
    ("tally-ministry-back", "Russia's Defence Ministry said its forces had taken 6 villages this week. According to "
     "a Reuters tally of the ministry's daily statements, 140 villages were claimed in February.", "ukraine",
     "Reuters", {6: S(["Russia's Defence Ministry"], ["Russia's Defence Ministry"]),
                 140: S(["Reuters"], ["Russia's Defence Ministry"])}),
    ("count-ministry-back", "Ukraine's Interior Ministry said 2,100 people were evacuated from Pokrovsk on Monday. "
     "By a Kyiv Independent count of the ministry's reports, 14,000 have left since August.", "ukraine",
     "Kyiv Independent", {2100: S(["Ukraine's Interior Ministry"], ["Ukraine's Interior Ministry"]),
                          14000: S(["Kyiv Independent"], ["Ukraine's Interior Ministry"])}),
    # ---- G5. "according to the <lower-case body>" after a person: the body ------------------------------------
    ("according-air-force", "Governor Ivan Fedorov writes that 4 people were injured. According to the air force, "
     "85 of the 110 drones launched overnight were shot down.", "ukraine", "dpa",
     {4: S(["Ivan Fedorov"], NONE), 85: S(AIR, AIR), 110: S(AIR, AIR)}),
    ("according-border-guard", "The mayor said 3 buildings were damaged. According to the border guard service, "
     "240 people crossed into Ukraine on Sunday.", "ukraine", "Ukrinform",
     {3: S(["mayor"], NONE), 240: S(["border guard service"], ["border guard service"])}),
    ("according-governorate", "Army units advanced 12 km east of the city, a military source said. Some 40,000 "
     "civilians remain in the besieged districts, according to the governorate.", "syria", "SANA",
     {12: S(["military source"], NONE), 40000: S(["governorate"], ["governorate"])}),
    ("according-municipality", "The local council said 300 families returned. According to the municipality, 1,200 "
     "homes were damaged.", "syria", "Enab Baladi",
     {300: S(["local council"], ["local council"]), 1200: S(["municipality"], ["municipality"])}),
    # ---- G7. "according to the same maps": the data owner cited before (a second batch, written after the
    # first fixes but run on the reader before this one: 1 of 3 failed) ---------------------------------------
    ("same-maps", "Russian forces now control roughly a third of Toretsk, according to maps from the Institute for "
     "the Study of War. Over the past week, Russian troops have advanced around 3 kilometers north of the town, "
     "according to the same maps.", "ukraine", "Kyiv Independent",
     {100 / 3: S(["Kyiv Independent"], ["Institute for the Study of War"]),
      3: S(["Kyiv Independent"], ["Institute for the Study of War"])}),
    ("same-data-body", "Russian troops control about 60% of Chasiv Yar, according to DeepState maps. According to "
     "the same data, they advanced 2 kilometers in the past week.", "ukraine", "Ukrainska Pravda",
     {60: S(ANY, ["DeepState"]), 2: S(ANY, ["DeepState"])}),
    ("on-same-estimates", "Estimates from the Institute for the Study of War put the share at 40%. On the same "
     "estimates, Russia holds about 18% of Ukraine.", "ukraine", "Full Fact",
     {40: S(ANY, ["Institute for the Study of War"]), 18: S(ANY, ["Institute for the Study of War"])}),
    # ---- A1 again: "Before the war, N people lived in X" after someone's words is the outlet's background (run on
    # the reader before the change: both failed) ------------------------------------------------------------------
    ("before-war-lived", "Russian units hold less than a third of the town, Serhiy Cherevaty said. Before the war, "
     "about 12,000 people lived in Toretsk.", "ukraine", "Meduza",
     {100 / 3: S(["Serhiy Cherevaty"], NONE), 12000: S(["Meduza"], NONE)}),
    ("before-invasion-lived", "The town is now almost empty, the governor said. Before the full-scale invasion, some "
     "30,000 residents lived in Vuhledar.", "ukraine", "Suspilne", {30000: S(["Suspilne"], NONE)}),
    # ---- G6. a present-tense distance after someone's words is the outlet's own background (a second batch,
    # probed before the change: the first two failed)
    ("lies-km-from", "The ministry said 9 settlements had been taken this week. In a post on Telegram, the regional "
     "governor wrote that the buffer zone was now 15 kilometres deep. Kupiansk, where fighting continues, lies about "
     "8 kilometres from the front.", "ukraine", "RIA Novosti",
     {9: S(["ministry"], ANY), 15: S(ANY, ANY), 8: S(["RIA Novosti"], NONE)}),
    ("are-now-km-from", "The UN says nearly 300,000 people have fled in the past week. After taking Maarat al-Numan, "
     "the rebels are now about 25km from Idlib.", "syria", "Al Jazeera",
     {300000: S(["UN"], ["UN"]), 25: S(["Al Jazeera"], NONE)}),
    ("km-from-attributed", "The spokesman said Russian forces had advanced. They are now about 3 km from the city, he "
     "said.", "ukraine", "Kyiv Independent", {3: S(["spokesman"], NONE)}),
    # ---- G8. an unnamed monitor ("a war monitor said") named in the next sentence (a second batch, probed before
    # the change: the first two failed; the third guards against a news agency taken for the monitor)
    ("monitor-named-next", "Government forces have retaken more than a third of the enclave, a war monitor said "
     "Sunday. \"The army now holds about 40 percent of Eastern Ghouta,\" the Syrian Observatory for Human Rights "
     "said.", "syria", "AFP",
     {100 / 3: S(["Syrian Observatory for Human Rights"], ["Syrian Observatory for Human Rights"]),
      40: S(["Syrian Observatory for Human Rights"], ["Syrian Observatory for Human Rights"])}),
    ("rights-group-named-next", "At least 120 civilians were killed in the strikes, a rights group said on Monday. The "
     "Syrian Network for Human Rights said 30 of them were children.", "syria", "AFP",
     {120: S(["Syrian Network for Human Rights"], ANY), 30: S(["Syrian Network for Human Rights"], ANY)}),
    ("monitor-not-agency", "Jihadists hold 60 percent of the province, a monitoring group said. Government troops "
     "retook 3 villages, the Syrian Arab News Agency said.", "syria", "AFP",
     {60: S(["monitoring group"], ANY), 3: S(["Syrian Arab News Agency"], ANY)}),
    # ---- G9. a monitoring mission's people ("monitors heard") after its report cite (a second batch, probed before
    # the change: both failed; the third guards a named speaker)
    ("mission-monitors", "The OSCE monitoring mission recorded about 900 ceasefire violations in the Donetsk region, "
     "according to its Daily Report. Near Shyrokyne, monitors heard more than 200 explosions in a single hour on "
     "Saturday morning.", "ukraine", "Kyiv Independent",
     {900: S(["OSCE monitoring mission"], ["OSCE monitoring mission"]),
      200: S(["OSCE monitoring mission"], ["OSCE monitoring mission"])}),
    ("mission-observers", "The Special Monitoring Mission logged 430 ceasefire violations in the Donetsk region, "
     "according to its latest Daily Report. In Luhansk, SMM observers also saw 12 howitzers outside storage sites.",
     "ukraine", "UNIAN", {430: S(["Special Monitoring Mission"], ANY), 12: S(["Special Monitoring Mission"], ANY)}),
    ("other-monitors", "The OSCE monitoring mission recorded about 900 ceasefire violations in the Donetsk region, "
     "according to its Daily Report. UN monitors recorded 40 civilian deaths in February.", "ukraine",
     "Kyiv Independent", {900: S(["OSCE monitoring mission"], ANY), 40: S(["UN"], ANY)}),
    ("monitors-named-speaker", "Monitors heard more than 200 explosions near Shyrokyne, Ukrainian officials said.",
     "ukraine", "Kyiv Independent", {200: S(["Ukrainian officials"], ANY)}),
    # ---- G6. a spokesperson gives the body's figures: the person; the outlet's own voice after a quote ---------
    ("spokesman-figure", "Air force spokesman Yuriy Ihnat said on Thursday that Russia could now send up to 700 "
     "drones in a single night.", "ukraine", "AFP", {700: S(["Yuriy Ihnat"], NONE)}),
]


@pytest.mark.parametrize(("name", "text", "country", "outlet", "want"), CASES, ids=[c[0] for c in CASES])
def test_speaker_and_source(name: str, text: str, country: str, outlet: str, want: dict[float, dict[str, Any]]
                            ) -> None:
    figures = _read(text, country, outlet)
    got = {round(f.value, 3): f for f in figures}
    assert sorted(got) == sorted(round(v, 3) for v in want), [f.surface for f in figures]
    wrong = []
    for value, fields in want.items():
        f = got[round(value, 3)]
        for field, expected in fields.items():
            if not _same(getattr(f, field), expected):
                wrong.append(f"{value}: {field} {getattr(f, field)!r} (want {expected!r})")
    assert not wrong, wrong


# ---- as-of: the last day a figure describes ------------------------------------------------------------------
# (text, country, outlet, article date, value, as_of) — dates worked out on a calendar by hand.
AS_OF = [
    # "between the evenings of A and B": the period ends on B
    ("The monitors recorded some 640 ceasefire violations in the Donetsk region between the evenings of 11 and 12 "
     "February.", "ukraine", "OSCE", D(2017, 2, 14), 640, D(2017, 2, 12)),
    ("Between the evenings of March 18 and March 19, the mission recorded 210 explosions, according to its report.",
     "ukraine", "Hromadske", D(2017, 3, 21), 210, D(2017, 3, 19)),
    ("The SMM counted about 1,100 ceasefire violations between the evening of 2 April and the evening of 3 April.",
     "ukraine", "UNIAN", D(2017, 4, 5), 1100, D(2017, 4, 3)),
    # "the area taken last week totals N": the period dates the area's figure, not only an event (a second batch,
    # written after the first fixes, run before this one: 1 of the 2 failed)
    ("The area taken last week totals about 60 square kilometres, the ministry said on Monday.", "ukraine", "AP",
     D(2023, 6, 13), 60, D(2023, 6, 11)),
    ("The territory recaptured in May amounts to some 250 square kilometres, the general staff said.", "ukraine",
     "Ukrinform", D(2024, 6, 10), 250, D(2024, 5, 31)),
    # "Speaking in parliament on Tuesday, X told MPs": the statement's day, for X's next sentence too (probed on the
    # reader before the change: failed)
    ("Speaking in parliament on Tuesday, Defence Minister Oleh Lysenko told MPs that troops had held about 900 "
     "square kilometres by the end of August. Around 30% of that area has since been lost, Lysenko said.", "ukraine",
     "Ukrainska Pravda", D(2024, 11, 20), 30, D(2024, 11, 19)),
    ("Addressing reporters in Kyiv on Monday, the governor said 4,000 people had been evacuated since June.",
     "ukraine", "Suspilne", D(2024, 11, 20), 4000, D(2024, 11, 18)),
    # "As of Sunday, ..., he said, and its shelters could take 2,000 more": the frame stops at the joined statement
    # (probed before the change: both failed)
    ("Evacuees are arriving at about 900 people a week, Serhiy Lysak, head of the regional military administration, "
     "said Tuesday. As of Sunday, the region had registered more than 52,000 displaced people since August, he said, "
     "and its shelters could take 2,000 more.", "ukraine", "AP", D(2025, 3, 12), 2000, D(2025, 3, 11)),
    ("As of Sunday, the region had registered more than 52,000 displaced people, the governor said Tuesday, and its "
     "shelters could take 2,000 more.", "ukraine", "AP", D(2025, 3, 12), 2000, D(2025, 3, 11)),
    ("As of Sunday, the region had registered more than 52,000 displaced people, the governor said Tuesday, and its "
     "shelters could take 2,000 more.", "ukraine", "AP", D(2025, 3, 12), 52000, D(2025, 3, 9)),
    # "over the same period" after a total and a rate: the total's period, not the rate's week (probed before the
    # change: failed)
    ("About 64,000 Syrians have returned from Turkey since the start of the year, according to figures from the "
     "Turkish interior ministry, which put the daily rate at 800 to 1,000 in the second week of March. UNHCR has "
     "recorded 22,000 returns over the same period.", "syria", "Enab Baladi", D(2026, 3, 20), 22000, D(2026, 3, 20)),
    # "between 1 December and 20 February": the second date
    ("Between 1 December 2019 and 20 February 2020, more than 900,000 people fled their homes, OCHA said.",
     "syria", "AFP", D(2020, 2, 24), 900000, D(2020, 2, 20)),
]


@pytest.mark.parametrize(("text", "country", "outlet", "day", "value", "as_of"), AS_OF)
def test_as_of(text: str, country: str, outlet: str, day: dt.date, value: float, as_of: dt.date) -> None:
    got = {round(f.value, 3): f for f in _read(text, country, outlet, day)}
    assert got[round(value, 3)].as_of == as_of


# ---- a bulletin's day: "today", and running totals with the day's increase in brackets ------------------------
def test_today_is_one_day() -> None:
    f = {f.value: f for f in _read("Today 52 civilians were evacuated from Vovchansk, the regional police said.",
                                   "ukraine", "Suspilne", D(2024, 5, 14))}[52]
    assert (f.period_start, f.period_end) == (D(2024, 5, 14), D(2024, 5, 14))


def test_running_total_and_its_bracketed_increase() -> None:
    text = ("Russian losses from 24.02.2022 to 05.06.2024 amounted to about 511,000 (+1,210) personnel and 7,780 "
            "(+12) tanks, the General Staff reported.")
    got = {f.value: f for f in _read(text, "ukraine", "Ukrinform", D(2024, 6, 5))}
    total, day = got[511_000], got[1210]
    assert total.cumulative and (total.period_start, total.period_end) == (D(2022, 2, 24), D(2024, 6, 5))
    assert not day.cumulative and (day.period_start, day.period_end) == (D(2024, 6, 5), D(2024, 6, 5))
    assert day.indicator != total.indicator and got[12].indicator != got[7780].indicator


# "within a year" is a horizon, not a rate (q10's class; probed before the change: the first two failed)
@pytest.mark.parametrize(("text", "country", "per"), [
    ("Fewer than 5% of refugees in Jordan intend to return within a year, the survey found.", "syria", None),
    ("About 1,000 people left the town in a week, the mayor said.", "ukraine", None),
    ("Russian forces advanced about 40 square kilometres a week in March, DeepState said.", "ukraine", "week"),
    ("Up to 300 people a day cross at Jdeidet Yabous, UNHCR said.", "syria", "day"),
])
def test_span_is_no_rate(text: str, country: str, per: str | None) -> None:
    assert [f.per for f in _read(text, country, "AFP")] == [per]


def test_enough_cases() -> None:
    assert len(CASES) >= 15
