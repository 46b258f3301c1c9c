"""Articles: boilerplate removed, every quantitative claim found with value, speaker and date (gold file)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest
import respx
import yaml
from conftest import DATA

from whoholds.claims.article import extract_figures, is_boilerplate, load_article
from whoholds.errors import InputError
from whoholds.profiles import load_profile

HERE = Path(__file__).resolve().parent
SHARED = DATA
GOLD = yaml.safe_load((HERE / "gold" / "article_2018-12-12.yaml").read_text("utf-8"))
ARTICLE = SHARED / "articles" / "2018-12-12-southfront-syria-96-5-percent.txt"
SYRIA = load_profile("syria")
needs_article = pytest.mark.skipif(not ARTICLE.exists(), reason="shared data not present")


def _match(gold: list[dict], found: list) -> tuple[list[tuple[dict, object]], list[dict], list]:
    """Pair gold claims with extracted figures: same value and the gold quote inside the figure's sentence."""
    pairs, missed, left = [], [], list(found)
    for g in gold:
        hit = next((f for f in left if f.value == pytest.approx(g["value"]) and g["quote"] in f.quote), None)
        if hit is None:
            missed.append(g)
        else:
            pairs.append((g, hit))
            left.remove(hit)
    return pairs, missed, left


@needs_article
def test_gold_article_all_claims_found_with_value_speaker_and_date() -> None:
    art = load_article(ARTICLE)
    assert art.date == dt.date(2018, 12, 12)
    assert art.outlet == GOLD["outlet"]
    assert GOLD["title_contains"] in (art.title or "")
    figures = extract_figures(art, SYRIA)
    pairs, missed, extra = _match(GOLD["claims"], figures)
    recall = len(pairs) / len(GOLD["claims"])
    precision = len(pairs) / len(figures)
    assert not missed, f"missed gold claims: {[g['surface'] for g in missed]}"
    assert not extra, f"figures not in the gold file: {[f.surface for f in extra]}"
    assert (recall, precision) == (1.0, 1.0)
    for g, f in pairs:
        where = g["surface"]
        assert f.speaker == g["speaker"], where
        assert f.surface == g["surface"], where
        assert f.unit == g["unit"], where
        assert f.counts == g["counts"], where
        assert f.qualifier == g["qualifier"], where
        assert f.as_of == g["as_of"], where
        assert f.period_start == g["since"], where
        assert bool(f.negated) == bool(g.get("negated", False)), where
        assert (f.metric is not None and f.subject is not None) == g["checkable"], where
        if "subject" in g:
            assert f.subject == g["subject"], where


@needs_article
def test_gold_article_boilerplate_removed() -> None:
    art = load_article(ARTICLE)
    for phrase in GOLD["boilerplate_absent"]:
        assert phrase.lower() not in art.text.lower(), phrase
    assert art.text.startswith("1,411 residential areas")
    assert art.text.rstrip().endswith("in control of 96.5% of Syria.")
    assert len(art.removed) >= 6
    assert "<u>" not in art.text


@pytest.mark.parametrize("text", [
    "Note to readers: please click the share buttons above.",
    "Copyright © South Front, 2018",
    "Disclaimer: The contents of this article are of sole responsibility of the author(s).",
    "Share this article on Facebook", "Subscribe to our newsletter", "*",
])
def test_is_boilerplate(text: str) -> None:
    assert is_boilerplate(text)


def test_article_sentences_are_not_boilerplate() -> None:
    assert not is_boilerplate("The spokesman declined to comment on the 96.5% figure, which the ministry shared.")


HTML = """<!doctype html><html><head><title>Russia gains ground</title>
<meta property="article:published_time" content="2024-12-02T09:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/share">Share on Facebook</a></nav>
<article><h1>Russia gains ground</h1>
<p>Russian forces captured 574 square kilometres in November, according to an AFP analysis of data from the
Institute for the Study of War.</p>
<p>Russia now controls around 18.8 percent of Ukraine's territory, AFP calculated, up from 17.9 percent a
year earlier.</p>
<p>Disclaimer: The contents of this article are of sole responsibility of the author(s).</p>
</article>
<footer><p>© 2024 Example News. All rights reserved. 12 Example Street.</p>
<div class="share">Share this article: Facebook Twitter Email</div></footer></body></html>"""


def test_html_article_via_trafilatura(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    art = load_article(path)
    assert "574 square kilometres" in art.text
    assert "All rights reserved" not in art.text and "Disclaimer" not in art.text
    assert art.date == dt.date(2024, 12, 2)
    figs = extract_figures(art, load_profile("ukraine"))
    assert [(f.value, f.unit, f.speaker) for f in figs][:2] == [(574.0, "km2", "AFP"), (18.8, "percent", "AFP")]
    assert figs[0].period_start == dt.date(2024, 11, 1)


@respx.mock
def test_url_fetched_with_httpx() -> None:
    respx.get("https://news.example/article").mock(
        return_value=httpx.Response(200, text=HTML, headers={"content-type": "text/html; charset=utf-8"}))
    art = load_article("https://news.example/article")
    assert art.url == "https://news.example/article"
    assert "574 square kilometres" in art.text


@respx.mock
def test_unreachable_url_is_one_line_error() -> None:
    respx.get("https://down.example/x").mock(side_effect=httpx.ConnectError("connection refused"))
    with pytest.raises(InputError) as exc:
        load_article("https://down.example/x")
    assert "unreachable" in str(exc.value) and "\n" not in str(exc.value)
    respx.get("https://down.example/slow").mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(InputError, match="no answer within"):
        load_article("https://down.example/slow", timeout=2)


@respx.mock
def test_http_error_and_non_html_response() -> None:
    respx.get("https://news.example/404").mock(return_value=httpx.Response(404, text="nope"))
    with pytest.raises(InputError, match="HTTP 404"):
        load_article("https://news.example/404")
    respx.get("https://news.example/a.pdf").mock(return_value=httpx.Response(
        200, content=b"%PDF-1.7 binary", headers={"content-type": "application/pdf"}))
    with pytest.raises(InputError, match="not an HTML page"):
        load_article("https://news.example/a.pdf")


def test_binary_and_missing_files(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    with pytest.raises(InputError, match="looks like a PDF"):
        load_article(pdf)
    blob = tmp_path / "a.bin"
    blob.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(InputError, match="binary"):
        load_article(blob)
    with pytest.raises(InputError, match="no such file"):
        load_article(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("Share this article\n\n© 2024 All rights reserved.\n", encoding="utf-8")
    with pytest.raises(InputError, match="no article text"):
        load_article(empty)


def test_speaker_carries_and_outlet_voice() -> None:
    text = ("Defence Minister Andrei Belousov said on Monday that Russian troops captured 40 villages in November."
            "\n\nAnother 3 towns were taken, he added.\n\nIt does not seem that 43 settlements changed hands.")
    figs = extract_figures(text, load_profile("ukraine"), date=dt.date(2024, 12, 4), outlet="The Outlet")
    assert [(f.value, f.speaker) for f in figs] == [(40, "Andrei Belousov"), (3, "Andrei Belousov"),
                                                     (43, "The Outlet")]
    assert figs[0].period_start == dt.date(2024, 11, 1)


# ---- who said it, whose data (issue 9) -------------------------------------------------------------------
UKR = load_profile("ukraine")
SYR = load_profile("syria")


def _fields(text: str, profile, date: dt.date, outlet: str = "The Outlet") -> list[tuple]:  # noqa: ANN001
    return [(f.value, f.speaker, f.data_source, f.as_of)
            for f in extract_figures(text, profile, date=date, outlet=outlet)]


def test_outlet_analysis_of_someone_elses_data_keeps_both() -> None:
    text = ("Russia took 480 square kilometres in October, according to a Reuters analysis of data from the "
            "Institute for the Study of War.")
    assert _fields(text, UKR, dt.date(2024, 11, 4)) == [
        (480, "Reuters", "Institute for the Study of War", dt.date(2024, 10, 31))]
    own = "Russian forces took 310 square kilometres in August, according to our own count based on DeepState maps."
    assert _fields(own, UKR, dt.date(2024, 9, 2), outlet="Kyiv Desk") == [
        (310, "Kyiv Desk", "DeepState", dt.date(2024, 8, 31))]


def test_agency_count_and_pronouns_refer_to_the_right_party() -> None:
    text = ("The International Organization for Migration said on Wednesday that 41,000 people had returned to "
            "Raqqa province since January. A further 9,500 went back to Deir ez-Zor, by the agency's count.\n\n"
            "Local official Ahmed Khalil said 2,300 houses had been repaired. He noted that 160 schools were "
            "open again. It said 12 border crossings were working.")
    got = _fields(text, SYR, dt.date(2025, 6, 6))
    iom = "International Organization for Migration"
    assert got == [(41000, iom, iom, dt.date(2025, 6, 4)), (9500, iom, iom, dt.date(2025, 6, 4)),
                   (2300, "Ahmed Khalil", None, dt.date(2025, 6, 6)), (160, "Ahmed Khalil", None, dt.date(2025, 6, 6)),
                   (12, iom, iom, dt.date(2025, 6, 4))]  # "It said": the same statement


def test_quoted_official_after_the_verb_with_title_as_role() -> None:
    figs = extract_figures("Some 2,100 militants remain in the pocket, said Lieutenant General Sergei Rudskoi.",
                           SYR, date=dt.date(2018, 3, 1))
    assert (figs[0].speaker, figs[0].speaker_role, figs[0].data_source) == ("Sergei Rudskoi", "Lieutenant General",
                                                                            None)


def test_statement_date_is_the_said_on_day_not_another_date_in_the_sentence() -> None:
    text = ("Since the ceasefire on March 5, about 14,000 people have returned to Saraqib, the local council said "
            "on Friday.")
    (fig,) = extract_figures(text, SYR, date=dt.date(2020, 4, 13), outlet="X")
    assert fig.as_of == dt.date(2020, 4, 10)


def test_new_paragraph_of_background_is_the_outlets_voice() -> None:
    text = ("Ukrainian troops hold 700 square kilometres of the Kursk region, Oleksandr Syrskyi said on Monday."
            "\n\nRussia has occupied close to a fifth of Ukraine since 2022.")
    got = [(f.speaker, f.value) for f in extract_figures(text, UKR, date=dt.date(2024, 9, 4), outlet="Desk")]
    assert got == [("Oleksandr Syrskyi", 700), ("Desk", 20)]


def test_rate_and_range_reach_the_reported_figure() -> None:
    (fig,) = extract_figures("Between 250 and 300 people a day cross back from Lebanon, the governor said.", SYR,
                             date=dt.date(2025, 1, 9))
    assert (fig.low, fig.high, fig.per, fig.comparator) == (250, 300, "day", "range")


def one_quantity_up_to() -> bool:
    from whoholds.claims.quantities import extract_quantities

    (q,) = extract_quantities("up to 300 people a day")
    return (q.value, q.comparator, q.per) == (300, "ceiling", "day")


# ---- which war, which day ----------------------------------------------------------------------------------
def test_conflict_from_towns_alone_and_undecidable_cases() -> None:
    from whoholds.claims.conflict import infer_conflict

    assert infer_conflict("Heavy fighting near Kurakhove and Velyka Novosilka, the brigade said.").profile == \
        "ukraine"
    assert infer_conflict("Rebels entered Saraqib and Maarat al-Numan overnight.").profile == "syria"
    none = infer_conflict("Prices rose 5% in the capital, the statistics office said.")
    assert none.profile is None and "names no country" in none.reason
    both = infer_conflict("Russia's wars in Syria and in Ukraine drained its army.")
    assert both.profile is None and "more than one conflict" in both.reason


def test_article_date_from_json_ld_and_dateline(tmp_path: Path) -> None:
    from whoholds.claims.anchor import dateline_date, html_date

    page = ('<html><head><script type="application/ld+json">{"@type":"NewsArticle",'
            '"datePublished":"2025-02-11T08:00:00Z"}</script></head><body><article><p>Text.</p></article></body>'
            '</html>')
    assert html_date(page) == dt.date(2025, 2, 11)
    assert dateline_date("KHARKIV, Ukraine, Feb. 3, 2025 (AP) — Russian forces shelled the city.") == \
        dt.date(2025, 2, 3)
    assert dateline_date("KYIV, Feb 3 (Reuters) - Text.") is None  # no year and no hint: no guess
    assert dateline_date("KYIV, Feb 3 (Reuters) - Text.", year_hint=2025) == dt.date(2025, 2, 3)
    assert one_quantity_up_to()
    art = tmp_path / "a.txt"
    art.write_text("ODESA, Ukraine, March 2, 2025 — Russian drones hit 14 buildings, the governor said on "
                   "Saturday.\n", encoding="utf-8")
    loaded = load_article(art)
    assert loaded.date == dt.date(2025, 3, 2)
    (fig,) = extract_figures(loaded, UKR)
    assert (fig.value, fig.as_of) == (14, dt.date(2025, 3, 1))


# ---- bounded text paths (issue 15) ---------------------------------------------------------------------------
def test_article_over_the_size_cap_is_one_line_error(tmp_path: Path) -> None:
    from whoholds.claims import article as mod

    big = tmp_path / "big.txt"
    big.write_text("Russian forces took 5 villages. " * (mod.MAX_ARTICLE_CHARS // 30 + 10), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_article(big)
    assert "article too long" in str(exc.value) and "\n" not in str(exc.value) and str(big) in str(exc.value)


@pytest.mark.timeout(120)
def test_multi_megabyte_text_is_read_in_bounded_time() -> None:
    # A 2 MB article: ordinary sentences, and hostile shapes: one 300 kB "sentence" of capitalised words
    # (quadratic in the old attribution regexes), 300 kB of abbreviations, long digit runs, 1e309.
    para = ("Russian forces captured 574 square kilometres in November, according to an AFP analysis of data from "
            "the Institute for the Study of War. He said 300 to 400 people a day were leaving, the governor said "
            "on Thursday.")
    text = "\n\n".join(para.replace("574", str(100 + i)) for i in range(500))
    text += "\n\n" + "Kyiv Oblast " * 80_000 + "\n\n" + "Col. " * 140_000 + "\n\n" + "9" * 300_000 + " people 1e309%"
    assert 2_000_000 < len(text) < 5_000_000
    import time

    t0 = time.process_time()
    figs = extract_figures(text, UKR, date=dt.date(2024, 12, 5))
    assert time.process_time() - t0 < 100
    assert len(figs) == 2 * 500


def test_cli_read_says_when_it_cannot_tell_the_conflict(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from whoholds.cli import app

    art = tmp_path / "2025-01-10-note.txt"
    art.write_text("Officials said 40 people were evacuated from the town on Thursday.\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["read", str(art), "--no-record", "--store", str(tmp_path / "s")])
    assert r.exit_code != 0 and "--country" in r.output and "Traceback" not in r.output
    assert "cannot tell which conflict" in r.output
    front = tmp_path / "front.txt"
    front.write_text("Heavy fighting went on near Kurakhove and Toretsk, where 12 attacks were repelled, the "
                     "brigade said.\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["read", str(front), "--no-record", "--store", str(tmp_path / "s")])
    assert r.exit_code == 0, r.output
    assert "pass --date" in r.output  # no date anywhere: it says so instead of guessing


def test_cli_check_refuses_an_overlong_claim_in_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from whoholds.cli import app

    r = CliRunner().invoke(app, ["check", "Russia holds 18% of Ukraine " * 500, "--country", "ukraine",
                                 "--store", str(tmp_path)])
    assert r.exit_code != 0 and "too long for a claim" in r.output and "Traceback" not in r.output


def test_html_without_cleaner_is_one_line_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import builtins

    real_import = builtins.__import__

    def no_trafilatura(name: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if name.startswith("trafilatura"):
            raise ImportError("No module named 'lxml_html_clean'", name="lxml_html_clean")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_trafilatura)
    page = tmp_path / "p.html"
    page.write_text(HTML, encoding="utf-8")
    with pytest.raises(InputError, match="lxml_html_clean"):
        load_article(page)


def test_evaluation_set_stays_at_newsroom_accuracy() -> None:
    # The hand-annotated paragraphs of tests/gold/eval_paragraphs.yaml (benchmarks/article_eval.py prints the
    # full report): a regression guard on every field, not only on values.
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("article_eval", HERE.parent / "benchmarks" / "article_eval.py")
    ev = importlib.util.module_from_spec(spec)
    sys.modules["article_eval"] = ev  # dataclasses look their module up
    spec.loader.exec_module(ev)
    items = ev.load_items("all")
    assert len(items) >= 20 and {i["country"] for i in items} == {"ukraine", "syria"}
    seen = [i for i in items if i["split"] in ("dev", "heldout")]
    s = ev.evaluate(seen)
    assert s.recall >= 0.95 and s.precision >= 0.95, s.misses
    assert s.conflicts_right / s.conflicts >= 0.9, s.misses
    for name in ("unit", "speaker", "data_source", "as_of", "qualifier", "range", "per"):
        assert s.accuracy(name) >= 0.9, (name, s.misses)
    # heldout2 was measured once after the reader was finished: looser floors, below the targets where
    # the reader is known to fall short (as-of of a second period in one sentence, quarters, "between X and Y").
    unseen = ev.evaluate([i for i in items if i["split"] == "heldout2"])
    assert unseen.recall >= 0.9 and unseen.precision >= 0.9 and unseen.accuracy("speaker") >= 0.8
    assert unseen.accuracy("as_of") >= 0.6
    # heldout3 and heldout4 were first measured unseen (figures in benchmarks/article_eval.py), then used to find
    # general causes: from then on they guard against regressions at the targets.
    seen_later = ev.evaluate([i for i in items if i["split"] in ("heldout3", "heldout4")])
    assert seen_later.recall >= 0.95 and seen_later.precision >= 0.95, seen_later.misses
    assert seen_later.conflicts_right / seen_later.conflicts >= 0.95, seen_later.misses
    for name in ("speaker", "as_of", "data_source", "unit", "per", "negated"):
        assert seen_later.accuracy(name) >= 0.9, (name, seen_later.misses)


def test_two_periods_in_one_sentence_each_figure_its_own() -> None:
    text = ("Russian forces took 610 square kilometres in October, up from 480 square kilometres in September, "
            "according to an AFP analysis of ISW data.")
    figs = extract_figures(text, UKR, date=dt.date(2024, 11, 4), outlet="Desk")
    assert [(f.value, f.period_start, f.as_of) for f in figs] == [
        (610, dt.date(2024, 10, 1), dt.date(2024, 10, 31)), (480, dt.date(2024, 9, 1), dt.date(2024, 9, 30))]
    assert {(f.speaker, f.data_source) for f in figs} == {("AFP", "ISW")}
