"""Articles: boilerplate removed, every quantitative claim found with value, speaker and date (gold file)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import httpx
import pytest
import respx
import yaml

from whoholds.claims.article import extract_figures, is_boilerplate, load_article
from whoholds.errors import InputError
from whoholds.profiles import load_profile

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("WHOHOLDS_DATA") or HERE.parents[1] / "shared" / "data")
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
