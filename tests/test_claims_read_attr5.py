"""Attribution on styles the gold file has few of — TV interviews, Telegram posts, press releases, parliament
speeches, Q&A interviews, fact-check prose, think-tank reports quoted by newspapers, humanitarian bulletins citing
local authorities, live blogs — written for this test (not taken from any article; figures illustrative). Each
case exercises one class of the attribution taxonomy in docs/attribution_taxonomy.md; the expected speaker and
data source were worked out by hand by the gold file's rules (tests/gold/eval_paragraphs.yaml header): the outlet
speaks in its own voice; data_source is the named data owner, a body giving its own figures is its own source;
null for a person without a named source and for a news outlet's unsourced statements.

Written first, then run on the reader as it was (commit e9e9b83): 41 of the 66 cases failed. The general
mechanisms that fixed them are listed in the taxonomy document (one class, one rule).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from whoholds.claims.article import Article, extract_figures
from whoholds.claims.article_load import article_from_text
from whoholds.profiles import load_profile

D = dt.date
DAY = D(2025, 3, 14)  # a Friday
ANY = object()
NONE = None


def _read(text: str, country: str, outlet: str) -> list[Any]:
    art = article_from_text(text, "t")
    body = f"{art.title}\n\n{art.text}".strip() if art.title else art.text
    return extract_figures(Article(text=body, source="t", date=DAY, outlet=outlet), load_profile(country))


def _same(got: Any, want: Any) -> bool:
    if want is ANY:
        return True
    if isinstance(want, list):  # acceptable spellings
        return got is not None and got.lower().removeprefix("the ") in {w.lower() for w in want}
    return got == want


def S(speaker: list[str], source: list[str] | None | object = ANY) -> dict[str, Any]:  # noqa: N802
    return {"speaker": speaker, "data_source": source}


# Each case: id, text, country, outlet, {value: {field: want}} — and no other figure.
CASES: list[tuple[str, str, str, str, dict[float, dict[str, Any]]]] = [
    # ---- A. a capital for its government: a body, its own source --------------------------------------------
    ("capital-says", "Moscow says its forces have taken 310 square kilometres since the start of March.",
     "ukraine", "Kyiv Post", {310: S(["Moscow"], ["Moscow"])}),
    ("capital-claims-semicolon", "Kyiv claims 45 Russian assaults were repelled on Thursday; Moscow has not "
     "commented.", "ukraine", "Al Jazeera", {45: S(["Kyiv"], ["Kyiv"])}),
    ("capital-said-end", "About 2,000 fighters had surrendered in the pocket, Damascus said.", "syria", "AFP",
     {2000: S(["Damascus"], ["Damascus"])}),
    ("capital-insists", "Ankara insists that 600,000 Syrians have gone home voluntarily.", "syria", "Reuters",
     {600000: S(["Ankara"], ["Ankara"])}),
    # ---- B. a place's past population: the outlet's background, not the speaker's ---------------------------
    ("once-home-to", "Russian troops have entered the eastern outskirts of Kostiantynivka, once home to some "
     "67,000 people, the Ukrainian military said.", "ukraine", "Reuters",
     {67000: S(["Reuters"], NONE)}),
    ("lived-before", "Ukrainian units still hold the southern districts, according to DeepState. Some 9,000 people "
     "lived in the town before the full-scale invasion.", "ukraine", "Kyiv Independent",
     {9000: S(["Kyiv Independent"], NONE)}),
    ("had-residents-before", "The governor said the shelling had not stopped for a week. Around 12,000 residents "
     "lived there before the war.", "ukraine", "Ukrinform", {12000: S(["Ukrinform"], NONE)}),
    ("pre-war-home-to", "Only a few hundred people remain in Vuhledar, the regional administration said. The town "
     "was once home to 15,000.", "ukraine", "AFP", {15000: S(["AFP"], NONE)}),
    # ---- C. an unnamed person of a body; the body named in it answers a later "the office said" -------------
    ("official-office-for", "An official in the Autonomous Administration's office for displaced affairs told "
     "Hawar News on Sunday that 500 families had arrived in Hasakah. The office said 38 schools were in use as "
     "shelters.", "syria", "Hawar News",
     {500: S(["official in the Autonomous Administration's office for displaced affairs", "official"], NONE),
      38: S(["Autonomous Administration's office for displaced affairs", "office for displaced affairs"],
            ["Autonomous Administration's office for displaced affairs", "office for displaced affairs"])}),
    ("spokesman-for-department", "A spokesman for the regional department of social policy told Suspilne that 1,200 "
     "evacuees had registered in Zaporizhzhia this week.", "ukraine", "Suspilne",
     {1200: S(["spokesman for the regional department of social policy", "spokesman"], NONE)}),
    ("member-of-council", "A member of the Raqqa Civil Council for relief affairs said 70 tents had been set up.",
     "syria", "North Press", {70: S(["member of the Raqqa Civil Council for relief affairs", "member"], NONE)}),
    # ---- D. an office-holder named by the office ------------------------------------------------------------
    ("governor-of-told", "More than 3,000 civilians have left through the corridor since Monday, the Governor of "
     "Homs told SANA.", "syria", "SANA", {3000: S(["Governor of Homs", "governor"], NONE)}),
    ("mayor-of-said", "The Mayor of Kharkiv said 40 buildings had been damaged overnight.", "ukraine", "Ukrinform",
     {40: S(["Mayor of Kharkiv", "mayor"], NONE)}),
    ("head-of-told-tv", "The Head of the Donetsk Regional Military Administration told national television that 220 "
     "people were evacuated on Thursday.", "ukraine", "Ukrinform",
     {220: S(["Head of the Donetsk Regional Military Administration", "head"], NONE)}),
    # ---- E. a news outlet's own analysis of raw material: no data owner -------------------------------------
    ("verify-imagery", "Satellite images reviewed by the outlet show damage to 140 buildings, BBC Verify found. BBC "
     "Verify estimates that Russian troops have taken about 12 sq km since January.", "ukraine", "BBC Verify",
     {140: S(["BBC Verify"], NONE), 12: S(["BBC Verify"], NONE)}),
    ("nyt-analysis-video", "A New York Times analysis of geolocated video shows Russian troops in at least 6 "
     "villages north of the city.", "ukraine", "New York Times", {6: S(["New York Times"], NONE)}),
    ("outlet-estimates", "The Kyiv Independent estimates that 35 percent of the town is now in Russian hands.",
     "ukraine", "Kyiv Independent", {35: S(["Kyiv Independent"], NONE)}),
    # ---- F. a data body's bulletin: its own voice, its own data; a cite covers its own sentence --------------
    ("bulletin-local-authorities", "More than 8,000 people have been evacuated from Sumy Oblast since 1 March, "
     "according to local authorities. The reception centre in Sumy is receiving about 300 arrivals a day.",
     "ukraine", "OCHA", {8000: S(["OCHA"], ["local authorities"]), 300: S(["OCHA"], ["OCHA"])}),
    ("bulletin-programme-recorded", "UNHCR's Protection Monitoring programme recorded 2,300 returns to Idlib in "
     "February.", "syria", "UNHCR", {2300: S(["UNHCR", "UNHCR's Protection Monitoring programme"], ["UNHCR"])}),
    ("bulletin-plain", "In the first week of March, some 4,500 households received food parcels across northwest "
     "Syria.", "syria", "WFP", {4500: S(["WFP"], ["WFP"])}),
    ("bulletin-health-authorities", "Health authorities reported 17 civilian casualties in Kherson city on 12 March. "
     "Partners distributed 900 hygiene kits.", "ukraine", "OCHA",
     {17: S(["OCHA", "Health authorities"], ["health authorities", "Health authorities"]),
      900: S(["OCHA"], ["OCHA"])}),
    # ---- G. "the same figures" in the same sentence: the speaker of the clause before ---------------------
    ("same-figures-semicolon", "Some 700,000 people have fled since January, the UN says; about 40 percent of them "
     "are children, according to the same figures.", "syria", "Al Jazeera",
     {700000: S(["UN"], ["UN"]), 40: S(["UN"], ["UN"])}),
    ("same-data-comma", "UNHCR counted 210,000 returns in the first quarter, and according to the same data 55 "
     "percent were to Aleppo.", "syria", "Reuters",
     {210000: S(["UNHCR"], ["UNHCR"]), 55: S(["UNHCR"], ["UNHCR"])}),
    # ---- H. a body in lower case, "in <place>" ---------------------------------------------------------------
    ("council-in-place", "The local council in Azaz says 1,800 families have moved into the new camps.", "syria",
     "Enab Baladi", {1800: S(["local council in Azaz", "local council"], ["local council in Azaz", "local council"])}),
    ("administration-in-place", "The military administration in Kupiansk reported that 900 residents remain in the "
     "town.", "ukraine", "Suspilne",
     {900: S(["military administration in Kupiansk", "military administration"],
             ["military administration in Kupiansk", "military administration"])}),
    ("directorate-in-place", "The health directorate in Idlib said 64 people had been wounded.", "syria", "SANA",
     {64: S(["health directorate in Idlib", "health directorate"],
            ["health directorate in Idlib", "health directorate"])}),
    # ---- I. "X has not confirmed ... but says": X speaks the second verb -------------------------------------
    ("not-confirmed-but-says", "Russia's defence ministry claims 12 villages; Ukraine's General Staff has not "
     "confirmed the losses but says its forces repelled 30 attacks.", "ukraine", "Al Jazeera",
     {12: S(["Russia's defence ministry"], ["Russia's defence ministry"]),
      30: S(["Ukraine's General Staff"], ["Ukraine's General Staff"])}),
    ("not-commented-but-said", "The SDF did not comment on the claim but said it had retaken 4 villages.", "syria",
     "Al-Monitor", {4: S(["SDF"], ["SDF"])}),
    ("gave-no-figure-but", "The Syrian army gave no casualty figure but said it had destroyed 15 vehicles.",
     "syria", "Reuters", {15: S(["Syrian army"], ["Syrian army"])}),
    # ---- J. sources in / close to a body: people, no data owner ----------------------------------------------
    ("sources-in-body", "Sources in the General Staff told RBC-Ukraine that Russia has moved 6,000 troops to the "
     "area.", "ukraine", "RBC-Ukraine",
     {6000: S(["sources in the General Staff", "General Staff sources"], NONE)}),
    ("sources-close-to", "Sources close to the Kremlin said some 40 percent of the region was now under Russian "
     "control.", "ukraine", "Meduza", {40: S(["sources close to the Kremlin"], NONE)}),
    ("source-within", "A source within the Syrian interior ministry said 1,100 detainees had been released.",
     "syria", "Enab Baladi", {1100: S(["source within the Syrian interior ministry", "source"], NONE)}),
    # ---- K. an outlet's count of a body's statements ---------------------------------------------------------
    ("ap-count-of-statements", "Russia's Defense Ministry has claimed 22 villages in the region since January, by "
     "an Associated Press count of its statements.", "ukraine", "AP",
     {22: S(["AP", "Associated Press"], ["Russia's Defense Ministry"])}),
    ("reuters-tally-of-claims", "The Russian military has announced the capture of 31 settlements this year, "
     "according to a Reuters tally of its claims.", "ukraine", "Reuters",
     {31: S(["Reuters"], ["Russian military"])}),
    ("afp-count-own", "By an AFP count, at least 90 civilians were killed in the city in March.", "syria", "AFP",
     {90: S(["AFP"], ["AFP"])}),
    # ---- L. bodies without an "org word" ------------------------------------------------------------------
    ("red-crescent", "About 9,000 people have fled towards Qamishli since Friday, according to the Kurdish Red "
     "Crescent.", "syria", "Al-Monitor", {9000: S(["Kurdish Red Crescent"], ["Kurdish Red Crescent"])}),
    ("white-helmets", "The White Helmets said 23 people were pulled from the rubble in Sarmada.", "syria", "AFP",
     {23: S(["White Helmets"], ["White Helmets"])}),
    ("assault-brigade", "Ukraine's 3rd Assault Brigade said its troops had recaptured 2.5 square kilometres near "
     "Kupiansk.", "ukraine", "Kyiv Independent",
     {2.5: S(["3rd Assault Brigade", "Ukraine's 3rd Assault Brigade"],
             ["3rd Assault Brigade", "Ukraine's 3rd Assault Brigade"])}),
    ("msf-according", "According to Doctors Without Borders, 70 percent of the clinics in the district are closed.",
     "syria", "Reuters", {70: S(["Doctors Without Borders"], ["Doctors Without Borders"])}),
    ("according-to-the-body", "According to the Syrian Network, 120 people were detained in January.", "syria",
     "Enab Baladi", {120: S(["Syrian Network"], ["Syrian Network"])}),
    # ---- M. "according to <data> from X": the outlet's reading of X's data ----------------------------------
    ("maps-from", "According to maps from the Institute for the Study of War, Russian forces captured around 3,600 "
     "sq km last year.", "ukraine", "Full Fact",
     {3600: S(["Full Fact"], ["Institute for the Study of War"])}),
    ("data-compiled-by", "According to data compiled by ACLED, 1,450 clashes were recorded in the quarter.",
     "syria", "The Economist", {1450: S(["The Economist", "Economist"], ["ACLED"])}),
    ("figures-published-by", "Russian forces gained 480 square kilometres in October, according to figures "
     "published by DeepState.", "ukraine", "Meduza", {480: S(["Meduza"], ["DeepState"])}),
    # ---- N. TV and radio interviews: the interviewee speaks, not the channel ---------------------------------
    ("told-rossiya24", "Denis Pushilin told Rossiya-24 that 70 percent of the town was under Russian control.",
     "ukraine", "TASS", {70: S(["Denis Pushilin"], NONE)}),
    ("on-national-tv", "Speaking on national television, Andriy Kovalenko said 11 Russian assaults were repelled "
     "near Toretsk.", "ukraine", "Ukrinform", {11: S(["Andriy Kovalenko"], NONE)}),
    ("telethon", "Military spokesman Vadym Voloshyn told the United News telethon that about 400 civilians remain "
     "in the town.", "ukraine", "Ukrinform", {400: S(["Vadym Voloshyn"], NONE)}),
    ("radio-interview", "In an interview with Radio Liberty, Oleksandr Syrskyi said the enemy had lost 20,000 "
     "troops in the sector.", "ukraine", "Radio Liberty", {20000: S(["Oleksandr Syrskyi"], NONE)}),
    # ---- O. Telegram posts -----------------------------------------------------------------------------------
    ("wrote-on-telegram", "Vitaliy Ganchev wrote on Telegram that 600 residents had been evacuated from Kupiansk "
     "district.", "ukraine", "TASS", {600: S(["Vitaliy Ganchev"], NONE)}),
    ("telegram-post-body", "In a Telegram post, the Kherson regional administration said 25 people were wounded in "
     "shelling.", "ukraine", "Ukrinform",
     {25: S(["Kherson regional administration", "regional administration"],
            ["Kherson regional administration", "regional administration"])}),
    ("channel-says", "The Rybar Telegram channel says Russian troops control 60 percent of Chasiv Yar.", "ukraine",
     "Meduza", {60: S(["Rybar", "Rybar Telegram channel"], ["Rybar", "Rybar Telegram channel"])}),
    # ---- P. parliament speeches ------------------------------------------------------------------------------
    ("told-rada", "Defence Minister Rustem Umerov told the Verkhovna Rada that 160,000 men had been mobilised.",
     "ukraine", "Kyiv Post", {160000: S(["Rustem Umerov"], NONE)}),
    ("told-lawmakers", "Addressing lawmakers, Prime Minister Denys Shmyhal said 3.7 million people remain "
     "internally displaced.", "ukraine", "Reuters", {3700000: S(["Denys Shmyhal"], NONE)}),
    ("mp-said", "A Reform UK MP said Russia had gained less than 2 percent of Ukraine in 2024.", "ukraine",
     "Full Fact", {2: S(["Reform UK MP", "MP"], NONE)}),
    # ---- Q. Q&A interviews -----------------------------------------------------------------------------------
    ("qa-answer", "Q: How many people have returned?\n\nA: About 5,000 so far, and more every week, said the "
     "mayor, Ivan Fedorov.", "ukraine", "Kyiv Independent", {5000: S(["Ivan Fedorov"], NONE)}),
    # ---- R. fact-check prose ---------------------------------------------------------------------------------
    ("factcheck-thats-right", "A viral post claims Russia lost 1,000 tanks in a month. That is not right. According "
     "to Oryx, which counts only documented losses, Russia lost about 90 tanks in that month.", "ukraine",
     "Full Fact", {1000: S(["viral post", "post"], NONE), 90: S(["Oryx"], ["Oryx"])}),
    ("factcheck-our-analysis", "Our analysis of ISW maps shows Russia took about 0.6 percent of Ukraine in 2024.",
     "ukraine", "Full Fact", {0.6: S(["Full Fact"], ["ISW"])}),
    # ---- S. think-tank reports quoted by newspapers -----------------------------------------------------------
    ("report-by-think-tank", "A report by the Jusoor Center for Studies found that 4 percent of Idlib's land was "
     "under Turkish-backed control.", "syria", "Al-Monitor",
     {4: S(["Jusoor Center for Studies"], ["Jusoor Center for Studies"])}),
    ("think-tank-possessive-report", "The Carnegie Endowment's latest report puts the number of returnees at "
     "250,000.", "syria", "The Guardian", {250000: S(["Carnegie Endowment"], ["Carnegie Endowment"])}),
    ("isw-assessed", "ISW assessed that Russian forces had advanced up to 3 kilometres near Pokrovsk.", "ukraine",
     "Newsweek", {3: S(["ISW"], ["ISW"])}),
    # ---- T. live blogs ---------------------------------------------------------------------------------------
    ("liveblog-stamp-body", "09:12 — Russia's defence ministry says its forces shot down 41 Ukrainian drones "
     "overnight.", "ukraine", "Al Jazeera", {41: S(["Russia's defence ministry"], ["Russia's defence ministry"])}),
    ("liveblog-governor-telegram", "11:40 — Kharkiv governor Oleh Syniehubov says 7 people were injured in a strike "
     "on the city.", "ukraine", "Guardian", {7: S(["Oleh Syniehubov"], NONE)}),
    # ---- U. press releases -----------------------------------------------------------------------------------
    ("press-release-body", "The Coordination Headquarters for the Treatment of Prisoners of War announced that 84 "
     "Ukrainians had returned home from captivity.", "ukraine", "Ukrinform",
     {84: S(["Coordination Headquarters for the Treatment of Prisoners of War"],
            ["Coordination Headquarters for the Treatment of Prisoners of War"])}),
    ("press-release-own-outlet", "Today, ICRC teams delivered water to 30,000 people in Deir ez-Zor.", "syria",
     "ICRC", {30000: S(["ICRC"], ["ICRC"])}),
    ("press-release-ministry-outlet", "Since the beginning of the year, 145 settlements have been liberated by units "
     "of the Russian armed forces.", "ukraine", "Ministry of Defence of the Russian Federation",
     {145: S(["Ministry of Defence of the Russian Federation"], ["Ministry of Defence of the Russian Federation"])}),
    ("humanitarian-citing", "Some 2,600 families arrived in Tabqa in two days, the UN humanitarian office said, "
     "citing local authorities.", "syria", "Reuters",
     {2600: S(["UN humanitarian office"], ["local authorities"])}),
]


# Second batch: the general causes behind heldout8's first-run failures (benchmarks/article_eval.py), each with
# sentences of our own, written before the fix; 16 of the 18 failed on commit eb07583.
CASES += [
    # a reporting verb of rejection, and "saying on <day>"
    ("rejected-saying", "Ukraine's military rejected the claim, saying on Wednesday that its troops still held 70% "
     "of the village.", "ukraine", "Reuters", {70: S(["Ukraine's military"], ["Ukraine's military"])}),
    ("denied-body", "The SDF denied the report and said 5 of its fighters had been wounded.", "syria", "AFP",
     {5: S(["SDF"], ["SDF"])}),
    # "X analysed ... and found that": the analyst found it
    ("analysed-and-found", "The Kyiv Independent reviewed drone footage and geolocated photos and found that "
     "Russian troops held about 40% of the town.", "ukraine", "Kyiv Independent",
     {40: S(["Kyiv Independent"], NONE)}),
    # "according to their latest count": the body the sentence is about
    ("their-latest-count", "Airwars has now documented 1,240 civilian deaths in the province, according to its "
     "latest count.", "syria", "The Guardian", {1240: S(["Airwars"], ["Airwars"])}),
    ("two-bodies-their-count", "Mediazona and the BBC Russian service have identified 98,000 dead, according to "
     "their latest count.", "ukraine", "Meduza", {98000: S(["Mediazona"], ["Mediazona"])}),
    # a long apposition naming the person's role
    ("long-apposition", "Oleksandr Kovalenko, a military analyst at the Information Resistance group, which tracks "
     "the front in the east, said Russia was losing 900 men a day.", "ukraine", "RBC-Ukraine",
     {900: S(["Oleksandr Kovalenko"], NONE)}),
    ("long-role-apposition", "Dmytro Lykhovii, spokesman for the Operational-Strategic Group of Troops Khortytsia "
     "in the eastern sector, said 45 assaults had been repelled.", "ukraine", "Ukrinform",
     {45: S(["Dmytro Lykhovii"], NONE)}),
    # "less than X claims": a comparison, not an attribution
    ("than-claims", "Russia took about 4,000 sq km in 2024, according to our analysis of ISW maps. That is about "
     "0.7% of Ukraine, far less than the Kremlin says.", "ukraine", "Full Fact",
     {4000: S(["Full Fact"], ["ISW"]), 0.7: S(["Full Fact"], ["ISW"])}),
    # "last <weekday>" dates the statement
    ("last-weekday", "Last Tuesday Vladimir Putin told reporters that Russian troops had taken 190 settlements this "
     "year.", "ukraine", "Meduza", {190: {**S(["Vladimir Putin"], NONE), "as_of": D(2025, 3, 11)}}),
    # a sentence that ends with "on X." (the network)
    ("on-x-sentence-end", "The minister announced the figure on X. Ahmed said 30,000 had returned.", "syria",
     "Anadolu Agency", {30000: S(["Ahmed"], NONE)}),
    # "according to the <Name>": a body
    ("according-the-presidency", "According to the Presidency of Migration Management, 2.9 million Syrians remain "
     "under temporary protection.", "syria", "Anadolu Agency",
     {2900000: S(["Presidency of Migration Management"], ["Presidency of Migration Management"])}),
    ("according-the-body-no-orgword", "According to the Syrian Response Coordinators, 1,300 families have left "
     "the camps this month.", "syria", "Enab Baladi",
     {1300: S(["Syrian Response Coordinators"], ["Syrian Response Coordinators"])}),
    # a fact-check's claimant with a platform in its phrase
    ("video-on-platforms", "A video shared on Telegram and YouTube claims that 60 percent of Kharkiv is encircled.",
     "ukraine", "AFP Fact Check", {60: S(["video"], NONE)}),
    # "maps from X, which marked N": the body marked it
    ("maps-from-which", "Russian troops have entered the town, according to maps from the DeepState project, which "
     "on Tuesday marked about 8 square kilometres as occupied.", "ukraine", "Kyiv Independent",
     {8: S(["DeepState", "DeepState project"], ["DeepState", "DeepState project"])}),
    # citing people is no data owner
    ("citing-sources", "Russian troops have advanced up to 2 kilometres near Huliaipole, a correspondent reports, "
     "citing sources in the army.", "ukraine", "Suspilne",
     {2: {"data_source": NONE}}),
    ("citing-officials", "At least 12 people were killed, Reuters reported, citing local officials.", "syria",
     "Wire Desk", {12: {"data_source": NONE}}),
    # a live blog stamp with a time zone
    ("liveblog-bst", "11.05 BST Ukraine's air force says 64 drones were shot down overnight.", "ukraine",
     "The Guardian", {64: S(["Ukraine's air force"], ["Ukraine's air force"])}),
    # a Q&A interview: the answers are the interviewee's, "our" is their group's
    ("qa-dash-answers", "The Kyiv Post spoke to Emil Kastehelmi, an analyst with the Black Bird Group.\n\n"
     "— How much ground did Russia take in March?\n\n"
     "— About 200 square kilometres, according to our mapping.", "ukraine", "Kyiv Post",
     {200: S(["Emil Kastehelmi"], ["Black Bird Group"])}),
]

# Third batch: probes in the styles above, written after heldout8 and before running them, to see whether the
# mechanisms generalise; 6 of the 26 failed on commit ca5d78e (a title, "according to regional officials", "Data
# from the UN refugee agency show", an interviewee introduced by "head of", "(HUR)" after a body, "Posts on X claim").
CASES += [
    ("tv-interview-with", "In an interview with the Rossiya-1 channel, Vladimir Saldo said 2,000 residents had "
     "been moved from the riverbank.", "ukraine", "TASS", {2000: S(["Vladimir Saldo"], NONE)}),
    ("speaking-to-cnn", "Volodymyr Zelensky, speaking to CNN, said 31,000 Ukrainian soldiers had been killed.",
     "ukraine", "CNN", {31000: S(["Volodymyr Zelensky"], NONE)}),
    ("air-force-telegram", "Ukraine's Air Force said on Telegram that 51 of 72 drones had been downed.", "ukraine",
     "Ukrinform", {51: S(["Ukraine's Air Force"], ["Ukraine's Air Force"]),
                   72: S(["Ukraine's Air Force"], ["Ukraine's Air Force"])}),
    ("emergency-service", "The State Emergency Service reported that rescuers had put out 14 fires in Kharkiv.",
     "ukraine", "Ukrinform", {14: S(["State Emergency Service"], ["State Emergency Service"])}),
    ("speaking-in-parliament", "Speaking in the Bundestag, Chancellor Olaf Scholz said Germany had taken in 1.1 "
     "million Ukrainians.", "ukraine", "DW", {1100000: S(["Olaf Scholz"], NONE)}),
    ("answering-mps", "Answering questions from MPs, Defence Secretary John Healey said 45,000 Ukrainian troops had "
     "been trained in Britain.", "ukraine", "The Guardian", {45000: S(["John Healey"], NONE)}),
    ("isw-latest-assessment", "The Institute for the Study of War said in its latest assessment that Russian forces "
     "had gained 18 square kilometres.", "ukraine", "Newsweek",
     {18: S(["Institute for the Study of War"], ["Institute for the Study of War"])}),
    ("report-from-estimates", "A new report from the International Crisis Group estimates that 300,000 people have "
     "returned to Deir ez-Zor.", "syria", "Al-Monitor",
     {300000: S(["International Crisis Group"], ["International Crisis Group"])}),
    ("bulletin-ministry-cite", "According to the Ministry of Social Policy, 4.6 million people are registered as "
     "internally displaced.", "ukraine", "UNHCR", {4600000: S(["UNHCR"], ["Ministry of Social Policy"])}),
    ("bulletin-partners-reached", "Humanitarian partners reached 120,000 people with assistance in March.",
     "ukraine", "OCHA", {120000: S(["OCHA"], ["OCHA"])}),
    ("liveblog-mayor-says", "16:02 — The mayor of Dnipro, Borys Filatov, says 3 people were killed.", "ukraine",
     "Al Jazeera", {3: S(["Borys Filatov"], NONE)}),
    ("liveblog-regional-officials", "12 people have been killed in the strike, according to regional officials.",
     "ukraine", "The Guardian", {12: {"speaker": ["regional officials"]}}),
    ("factcheck-un-agency", "The claim is false. The UN refugee agency says 6.3 million Ukrainian refugees are "
     "recorded in Europe.", "ukraine", "Full Fact",
     {6300000: S(["UN refugee agency"], ["UN refugee agency"])}),
    ("spokesman-told-reporters", "Kremlin spokesman Dmitry Peskov told reporters that 600 prisoners would be "
     "exchanged.", "ukraine", "Reuters", {600: S(["Dmitry Peskov"], NONE)}),
    ("installed-authorities", "Russian-installed authorities in Zaporizhzhia said 18 people had been evacuated.",
     "ukraine", "Reuters", {18: {"speaker": ["Russian-installed authorities"]}}),
    ("observatory-apposition", "The Syrian Observatory, a Britain-based war monitor, said at least 250 fighters "
     "had been killed.", "syria", "AFP", {250: S(["Syrian Observatory"], ["Syrian Observatory"])}),
    ("two-capitals", "Kyiv says 40 drones were downed, while Moscow claims 60 were launched.", "ukraine",
     "Al Jazeera", {40: S(["Kyiv"], ["Kyiv"]), 60: S(["Moscow"], ["Moscow"])}),
    ("analyst-estimated", "Ukrainian military analyst Oleh Zhdanov estimated that Russia had lost 1,500 tanks.",
     "ukraine", "RBC-Ukraine", {1500: S(["Oleh Zhdanov"], NONE)}),
    ("data-from-show", "Data from the UN refugee agency show 1.2 million Syrians have returned.", "syria",
     "The Guardian", {1200000: S(["UN refugee agency"], ["UN refugee agency"])}),
    ("qa-a-lines", "Enab Baladi interviewed Khaled Ali, head of the Idlib Returnees Committee.\n\nQ: How many have "
     "come back?\n\nA: Roughly 3,000 families, according to our records.", "syria", "Enab Baladi",
     {3000: S(["Khaled Ali"], ["Idlib Returnees Committee"])}),
    ("hur-acronym", "Ukraine's military intelligence (HUR) said 11 Russian ships had been hit.", "ukraine",
     "Kyiv Post", {11: S(["Ukraine's military intelligence"], ["Ukraine's military intelligence"])}),
    ("outlet-after-quote-para", "Oleksandr Syrskyi said 20 villages had been freed.\n\nPokrovsk had about 60,000 "
     "residents before the war.", "ukraine", "AFP",
     {20: S(["Oleksandr Syrskyi"], NONE), 60000: S(["AFP"], NONE)}),
    ("press-release-ministry", "The Ministry of Reintegration announced that 1,300 civilians had been returned from "
     "Russia.", "ukraine", "Ukrinform",
     {1300: S(["Ministry of Reintegration"], ["Ministry of Reintegration"])}),
    ("governor-telegram-possessive", "Kharkiv regional governor Oleh Syniehubov wrote on Telegram that 5 people were "
     "injured.", "ukraine", "Reuters", {5: S(["Oleh Syniehubov"], NONE)}),
    ("factcheck-this-is-wrong", "Posts on X claim 90 percent of Bakhmut was destroyed. That is not supported by "
     "the evidence. UNOSAT's analysis of satellite images found that 56 percent of buildings were damaged.",
     "ukraine", "AFP Fact Check", {90: S(["posts"], NONE), 56: S(["UNOSAT"], ["UNOSAT"])}),
    ("think-tank-via-newspaper", "The Kyiv School of Economics estimates the damage at 155 billion dollars, the "
     "newspaper reported.", "ukraine", "Kyiv Post", {155000000000: {"speaker": ["Kyiv School of Economics"]}}),
]

# Fourth batch: whole paragraphs where the voice changes between sentences (carry-over, the outlet's background,
# a second speaker), written before running them; 5 of the 14 failed on commit a0c3087.
CASES += [
    ("carry-then-outlet-present", "The governor said 1,200 people had left Pokrovsk in a week. He added that 300 "
     "children remained. Russia controls about 19% of Ukraine.", "ukraine", "Reuters",
     {1200: S(["governor"], NONE), 300: S(["governor"], NONE), 19: S(["Reuters"], NONE)}),
    ("body-then-she-said", "UNHCR said 400,000 Syrians had returned this year. Its representative, Gonzalo "
     "Vargas Llosa, said 30 percent of them went to Aleppo.", "syria", "AFP",
     {400000: S(["UNHCR"], ["UNHCR"]), 30: S(["Gonzalo Vargas Llosa"], NONE)}),
    ("quote-then-attribution", '"We have lost 14 positions in a week," a Ukrainian commander told the BBC. "The '
     'enemy has 5 times more drones."', "ukraine", "BBC",
     {14: S(["Ukrainian commander"], NONE), 5: S(["Ukrainian commander"], NONE)}),
    ("ministry-then-generic", "Russia's defence ministry said its forces had downed 87 drones. The ministry said 12 "
     "of them were over the Belgorod region.", "ukraine", "Reuters",
     {87: S(["Russia's defence ministry"], ["Russia's defence ministry"]),
      12: S(["Russia's defence ministry"], ["Russia's defence ministry"])}),
    ("new-paragraph-outlet", "The mayor said 40 buildings were damaged.\n\nThe city has been shelled almost daily "
     "since 2022, and about 100,000 people have left.", "ukraine", "AFP",
     {40: S(["mayor"], NONE), 100000: S(["AFP"], NONE)}),
    ("outlet-analysis-then-official", "Russian troops took 420 square kilometres in March, according to an AFP "
     "analysis of ISW data. Ukraine's commander-in-chief said on Monday that 60 assaults had been repelled.",
     "ukraine", "AFP", {420: S(["AFP"], ["ISW"]), 60: S(["commander-in-chief", "Ukraine's commander-in-chief"],
                                                         NONE)}),
    ("observatory-then-it", "The Syrian Observatory for Human Rights said 44 people were killed. It said 19 of "
     "them were civilians.", "syria", "AFP",
     {44: S(["Syrian Observatory for Human Rights"], ["Syrian Observatory for Human Rights"]),
      19: S(["Syrian Observatory for Human Rights"], ["Syrian Observatory for Human Rights"])}),
    ("two-speakers-contrast", "Moscow said its troops had captured 3 villages. Ukraine's General Staff said 27 "
     "attacks had been repelled.", "ukraine", "Al Jazeera",
     {3: S(["Moscow"], ["Moscow"]), 27: S(["Ukraine's General Staff"], ["Ukraine's General Staff"])}),
    ("bulletin-then-partners", "Since 1 January, 52,000 people have crossed into Lebanon, according to the "
     "Lebanese authorities. UNHCR has registered 14,000 of them.", "syria", "UNHCR",
     {52000: S(["UNHCR"], ["Lebanese authorities"]), 14000: S(["UNHCR"], ["UNHCR"])}),
    ("analyst-then-outlet-background", "Analyst Emil Kastehelmi said Russia gained 160 square kilometres in a "
     "fortnight. The town had a pre-war population of 30,000.", "ukraine", "Yle",
     {160: S(["Emil Kastehelmi"], NONE), 30000: S(["Yle"], NONE)}),
    ("agency-count-then-said", "At least 70 civilians have been killed in the city since June, by the agency's "
     "count. Local officials said 9 more died on Sunday.", "syria", "AFP",
     {70: S(["AFP"], ["AFP"]), 9: S(["Local officials", "officials"], NONE)}),
    ("interfax-quoted", "Interfax quoted the governor of the Kursk region, Alexander Khinshtein, as saying 112 "
     "residents had been evacuated.", "ukraine", "Reuters", {112: S(["Alexander Khinshtein"], NONE)}),
    ("factcheck-verdict-own", "The post says 40% of Ukraine is occupied. In fact, Russia occupies about 19% of the "
     "country, according to ISW maps.", "ukraine", "Full Fact",
     {40: S(["post"], NONE), 19: S(["Full Fact", "ISW"], ["ISW"])}),
    ("telegram-then-numbers", "Kupiansk's military administration wrote on Telegram that 2 people were wounded. "
     "About 3,000 residents remain in the town, it said.", "ukraine", "Ukrinform",
     {2: S(["Kupiansk's military administration", "military administration"],
           ["Kupiansk's military administration", "military administration"]),
      3000: S(["Kupiansk's military administration", "military administration"],
              ["Kupiansk's military administration", "military administration"])}),
]

# Fifth batch: more house styles (TASS, SANA, Hawar, Xinhua, UN briefings, NGOs), written before running them;
# 3 of the 16 failed on commit 41cc501.
CASES += [
    ("source-told-tass", "A source in the Russian security services told TASS that 40 saboteurs had been "
     "detained.", "ukraine", "TASS", {40: S(["source in the Russian security services", "source"], NONE)}),
    ("sdf-media-center", "The SDF's media center said its fighters had repelled 7 attacks near Deir Hafer.",
     "syria", "Hawar News", {7: S(["SDF's media center", "SDF media center", "SDF"],
                                  ["SDF's media center", "SDF media center", "SDF"])}),
    ("sana-source", "A military source told SANA that army units had destroyed 12 vehicles.", "syria", "SANA",
     {12: S(["military source"], NONE)}),
    ("un-spokesman-briefing", "UN spokesman Stephane Dujarric told reporters that 120 trucks had crossed into "
     "northwest Syria.", "syria", "Xinhua", {120: S(["Stephane Dujarric"], NONE)}),
    ("ngo-said", "Save the Children said 2 million children in Ukraine needed support.", "ukraine", "The Guardian",
     {2000000: S(["Save the Children"], ["Save the Children"])}),
    ("mr-surname", "Dmitry Peskov spoke to reporters in Moscow. Mr Peskov said 300 prisoners would be swapped.",
     "ukraine", "BBC", {300: S(["Dmitry Peskov"], NONE)}),
    ("per-the-ministry", "Some 1,500 people were evacuated on Friday, per the Ministry of Internal Affairs.",
     "ukraine", "Kyiv Independent",
     {1500: S(["Ministry of Internal Affairs"], ["Ministry of Internal Affairs"])}),
    ("headline-dash-body", "Over 500,000 Syrians return from Turkey - UNHCR", "syria", "Daily Sabah",
     {500000: S(["UNHCR"], ["UNHCR"])}),
    ("gen-abbrev", "Gen. Oleksandr Syrskyi said 17 brigades had been rotated.", "ukraine", "Ukrinform",
     {17: S(["Oleksandr Syrskyi"], NONE)}),
    ("ministry-of-defence-of", "The Ministry of Defence of the Russian Federation said 58 drones had been "
     "destroyed.", "ukraine", "TASS",
     {58: S(["Ministry of Defence of the Russian Federation"], ["Ministry of Defence of the Russian Federation"])}),
    ("witnesses-said", "Witnesses said at least 30 trucks had crossed the border.", "syria", "Reuters",
     {30: S(["witnesses"], NONE)}),
    ("outlet-own-calculation", "By Meduza's calculations, Russia has recruited 190,000 contract soldiers this "
     "year.", "ukraine", "Meduza", {190000: S(["Meduza"], ["Meduza"])}),
    ("war-monitor-lower", "The Britain-based war monitor said 61 fighters had been killed.", "syria", "AFP",
     {61: {"speaker": ["war monitor", "Britain-based war monitor"]}}),
    ("quoted-in-statement", "\"We have evacuated 1,100 people,\" the regional administration said in a "
     "statement.", "ukraine", "Suspilne",
     {1100: S(["regional administration"], ["regional administration"])}),
    ("told-parliament-committee", "Testifying before the Senate Armed Services Committee, General Christopher "
     "Cavoli said Russia had lost 4,000 tanks.", "ukraine", "Politico", {4000: S(["Christopher Cavoli"], NONE)}),
    ("outlet-estimate-after-official", "The governor said 150 people remained in the village. AFP estimates "
     "that fewer than 50 of them are children.", "ukraine", "AFP",
     {150: S(["governor"], NONE), 50: S(["AFP"], NONE)}),
]

# Sixth batch: data-source subtleties, written before running them; 5 of the 10 failed on commit eaa4c10.
CASES += [
    ("gs-estimates-losses", "Ukraine's General Staff estimates Russian losses at 700,000 troops.", "ukraine",
     "Kyiv Post", {700000: S(["Ukraine's General Staff"], ["Ukraine's General Staff"])}),
    ("citing-data-from", "Citing data from the Kyiv School of Economics, the minister said 15% of housing had been "
     "damaged.", "ukraine", "Reuters", {15: S(["minister"], ["Kyiv School of Economics"])}),
    ("person-familiar", "According to a person familiar with the matter, 3 brigades were moved to Kursk.", "ukraine",
     "Bloomberg", {3: {"data_source": NONE}}),
    ("head-of-agency-name", "The head of the UN refugee agency, Filippo Grandi, said 1 million Syrians had "
     "returned.", "syria", "AP", {1000000: S(["Filippo Grandi"], NONE)}),
    ("investigative-committee", "Russia's Investigative Committee said 9 civilians had died in the attack.",
     "ukraine", "TASS", {9: S(["Russia's Investigative Committee", "Investigative Committee"],
                              ["Russia's Investigative Committee", "Investigative Committee"])}),
    ("health-authority-recorded", "The local health authority in Idlib recorded 44 injuries.", "syria",
     "Enab Baladi", {44: S(["local health authority in Idlib", "local health authority", "health authority"],
                           ["local health authority in Idlib", "local health authority", "health authority"])}),
    ("oryx-apposition", "Oryx, an open-source project, has documented 3,500 Russian tanks lost.", "ukraine",
     "Newsweek", {3500: S(["Oryx"], ["Oryx"])}),
    ("according-acled-data", "According to ACLED data, 112 clashes were recorded in the province.", "syria",
     "Al-Monitor", {112: S(["ACLED"], ["ACLED"])}),
    ("reach-surveyed-found", "The NGO REACH surveyed 1,200 households and found that 30 percent planned to "
     "return.", "syria", "The New Humanitarian", {1200: S(["REACH"], ["REACH"]), 30: S(["REACH"], ["REACH"])}),
    ("ministry-figures-which", "The Syrian interior ministry reopened the crossing. The ministry's figures, which "
     "could not be verified, show 200 returns a day.", "syria", "AFP",
     {200: S(["Syrian interior ministry"], ["Syrian interior ministry"])}),
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


def test_enough_cases() -> None:
    assert len(CASES) >= 60


# Negation read after the figure's noun ("100,000 refugees had not returned"), and a negated clause before a colon
# not lent to the figure after it (sentences of our own; the xfail gaps of tests/test_ledger_reader_gaps.py); 3 of
# the 5 failed before the change.
NEGATIONS = [
    ("Some 2,000 families have not returned to Tadif, the local council said.", "syria", 2000, True),
    ("About 500 residents did not leave the village despite the shelling, the mayor said.", "ukraine", 500, True),
    ("Evacuations did not stop: 300 people left on Monday, the governor said.", "ukraine", 300, False),
    ("Russian forces have not taken 40 percent of the town, the General Staff said.", "ukraine", 40, True),
    ("At least 1,200 people returned to Aleppo last week, UNHCR said.", "syria", 1200, False),
]


@pytest.mark.parametrize(("text", "country", "value", "negated"), NEGATIONS)
def test_negation_around_the_figure(text: str, country: str, value: float, negated: bool) -> None:
    got = {f.value: f for f in _read(text, country, "Wire Desk")}
    assert got[value].negated == negated


# Quantity readings behind first-run misses of heldout7/8 (clock times read as figures, a singular "kilometre",
# "Every day, N" as a rate, a qualifier without its article), with sentences of our own; all 3 tests failed before.
def test_clock_times_are_no_figures() -> None:
    assert _read("Shelling began at 4 a.m. and went on until 11 pm, the governor said.", "ukraine", "W") == []


def test_singular_kilometre_and_rate_before_the_number() -> None:
    got = {f.value: f for f in _read("Russian troops moved forward by just 1 kilometre near Lyman, the brigade said. "
                                     "Each week, 200-300 families arrive in Dnipro, officials said.", "ukraine", "W")}
    assert got[1].unit == "km"
    assert got[250].per == "week" and (got[250].low, got[250].high) == (200, 300)


def test_qualifier_as_written_without_its_article() -> None:
    got = {f.value: f for f in _read("An estimated 2.1 million Syrians live in the province, OCHA said.", "syria",
                                     "W")}
    assert got[2_100_000].qualifier == "estimated"


# A page whose only place is a town spelled with the Arabic article another way than the gazetteer (heldout8's one
# missed conflict): "al-Shughur" ~ "ash Shughur", "Shughour" ~ "Shughur". Both failed before.
@pytest.mark.parametrize("text", ["Some 300 families returned to Jisr al-Shughur this week.",
                                  "Shelling hit Maarat al-Numan on Tuesday, killing 4 people."])
def test_a_town_spelled_with_another_article_names_the_war(text: str) -> None:
    from whoholds.claims.conflict import infer_conflict, spelling_key

    assert spelling_key("Jisr ash Shughur") == spelling_key("Jisr al-Shughour") == spelling_key("Jisr esh-Shughur")
    assert infer_conflict(text).profile == "syria"
