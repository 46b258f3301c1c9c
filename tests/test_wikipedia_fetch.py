"""MediaWiki revision fetch, offline: the HTTP layer is mocked at the transport (httpx.MockTransport),
serving the shared module text as the API's answer. No test touches the network."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from conftest import DATA
from typer.testing import CliRunner

from whoholds.errors import InputError
from whoholds.fetch import wikipedia as fw
from whoholds.fetch.wikipedia import fetch_wikipedia_module, module_title, save_module
from whoholds.io.wikipedia import decode_module_text, read_wikipedia_module
from whoholds.profiles import load_profile

MODULE = (
    DATA
    / "syria"
    / "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md"
)
TITLE = "Module:Syrian Civil War detailed map"


@pytest.fixture(scope="module")
def lua_text() -> str:
    """The shared mirror turned back into the raw Lua that the API serves."""
    if MODULE.exists():
        return decode_module_text(MODULE.read_bytes(), MODULE.name)[0].replace("\x00", " ")
    return "return { marks = { { lat = 36.528, long = 37.954, mark = m.SDF, label = '[[Manbij]]' } } }"


def api(pages: list[dict] | None = None, *, status: int = 200, body: bytes | None = None, seen: list | None = None):
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        if body is not None:
            return httpx.Response(status, content=body)
        return httpx.Response(status, json={"batchcomplete": True, "query": {"pages": pages or []}})

    return httpx.Client(transport=httpx.MockTransport(handler))


def page(text: str, revid: int = 789_000_111, ts: str = "2017-07-20T18:04:33Z") -> dict:
    return {
        "pageid": 48_000_000,
        "ns": 828,
        "title": TITLE,
        "revisions": [
            {
                "revid": revid,
                "parentid": revid - 1,
                "timestamp": ts,
                "slots": {"main": {"contentmodel": "Scribunto", "contentformat": "text/plain", "content": text}},
            }
        ],
    }


def test_request_asks_for_the_revision_current_at_the_end_of_the_day(lua_text):
    seen: list[httpx.Request] = []
    got = fetch_wikipedia_module(
        "Syrian Civil War detailed map", dt.date(2017, 7, 25), client=api([page(lua_text)], seen=seen)
    )
    (req,) = seen
    assert req.url.host == "en.wikipedia.org" and req.url.path == "/w/api.php"
    assert dict(req.url.params) == {
        "action": "query",
        "prop": "revisions",
        "titles": TITLE,
        "rvlimit": "1",
        "rvdir": "older",
        "rvstart": "2017-07-25T23:59:59Z",
        "rvprop": "ids|timestamp|content",
        "rvslots": "main",
        "format": "json",
        "formatversion": "2",
    }
    assert req.headers["user-agent"].startswith("whoholds/")
    assert (got.title, got.revid, got.date, got.text) == (TITLE, 789_000_111, dt.date(2017, 7, 20), lua_text)
    assert got.timestamp == dt.datetime(2017, 7, 20, 18, 4, 33, tzinfo=dt.UTC)
    assert got.url.endswith("oldid=789000111")


def test_saved_revision_ingests_without_a_date(tmp_path, lua_text):
    got = fetch_wikipedia_module(as_of=dt.date(2017, 7, 25), client=api([page(lua_text)]))
    path = save_module(got, tmp_path / "modules")
    assert path.name == "Syrian_Civil_War_detailed_map_2017-07-20.lua"
    data = path.read_bytes()
    assert data.decode().startswith(
        f"-- whoholds: {TITLE}, en.wikipedia.org, revision 789000111 of 2017-07-20T18:04:33Z\n"
    )
    snap = read_wikipedia_module(data, str(path), load_profile("syria"), None)
    assert snap.date == dt.date(2017, 7, 20)
    if MODULE.exists():  # the raw Lua reads exactly like the Markdown mirror it came from
        mirror = read_wikipedia_module(MODULE.read_bytes(), MODULE.name, load_profile("syria"), snap.date)
        assert len(snap.features) == len(mirror.features) == 6137
        cols = ["state", "name", "mark", "feature_type"]
        assert snap.features[cols].equals(mirror.features[cols])
        assert snap.dropped == mirror.dropped and snap.unmapped == mirror.unmapped == {}


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        ([{"ns": 828, "title": "Module:Nope", "missing": True}], "no such module on en.wikipedia.org"),
        ([{"pageid": 1, "ns": 828, "title": TITLE}], "no revision on or before 2011-01-01"),
        ([{"title": "Module:<x>", "invalid": True, "invalidreason": "bad"}], "not a valid title"),
        (
            [
                {
                    "pageid": 1,
                    "ns": 828,
                    "title": TITLE,
                    "revisions": [
                        {"revid": 5, "timestamp": "2017-01-01T00:00:00Z", "slots": {"main": {"texthidden": True}}}
                    ],
                }
            ],
            "text hidden",
        ),
        ([], "has no page"),
    ],
)
def test_api_answers_that_are_errors(pages, message):
    with pytest.raises(InputError, match=message) as err:
        fetch_wikipedia_module("Syrian Civil War detailed map", dt.date(2011, 1, 1), client=api(pages))
    assert "\n" not in str(err.value)


def test_http_and_transport_errors_are_one_line():
    with pytest.raises(InputError, match="HTTP 503"):
        fetch_wikipedia_module(as_of=dt.date(2018, 1, 1), client=api(status=503, body=b"busy"))
    with pytest.raises(InputError, match="not JSON"):
        fetch_wikipedia_module(as_of=dt.date(2018, 1, 1), client=api(body=b"<html>captive portal</html>"))
    err_body = json.dumps({"error": {"code": "maxlag", "info": "Waiting for a database server"}}).encode()
    with pytest.raises(InputError, match="API error maxlag"):
        fetch_wikipedia_module(as_of=dt.date(2018, 1, 1), client=api(body=err_body))

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Name or service not known", request=request)

    with pytest.raises(InputError, match="cannot reach the MediaWiki API") as err:
        fetch_wikipedia_module(as_of=dt.date(2018, 1, 1), client=httpx.Client(transport=httpx.MockTransport(refuse)))
    assert err.value.source == "en.wikipedia.org"

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(InputError, match="timed out"):
        fetch_wikipedia_module(as_of=dt.date(2018, 1, 1), client=httpx.Client(transport=httpx.MockTransport(slow)))


def test_titles_sites_and_dates():
    assert module_title("Syrian_Civil_War_detailed_map") == TITLE
    assert module_title("module:syrian Civil War detailed map") == TITLE
    with pytest.raises(InputError):
        module_title("a|b")
    with pytest.raises(InputError, match="host name"):
        fetch_wikipedia_module(site="not a host/", client=api([]))
    with pytest.raises(InputError, match="in the future"):
        fetch_wikipedia_module(as_of=dt.date.today() + dt.timedelta(days=3), client=api([]))


def test_cli_fetch_wikipedia(tmp_path, monkeypatch, lua_text):
    from whoholds.cli import app

    seen: list[httpx.Request] = []
    mock = api([page(lua_text, ts="2018-12-05T10:11:12Z")], seen=seen)
    monkeypatch.setattr(fw.httpx, "Client", lambda **kw: mock)
    out = tmp_path / "mods"
    result = CliRunner().invoke(app, ["fetch", "wikipedia", "--as-of", "2018-12-11", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "Syrian_Civil_War_detailed_map_2018-12-05.lua").exists()
    assert seen[0].url.params["rvstart"] == "2018-12-11T23:59:59Z"
    bad = CliRunner().invoke(app, ["fetch", "wikipedia", "--as-of", "11/12/2018", "-o", str(out)])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_no_test_reaches_the_network(monkeypatch):
    """Guard: a real transport is never used by this module's code paths when a client is passed."""

    def boom(*a, **k):  # pragma: no cover - would only run if someone dropped the mock
        raise AssertionError("network used")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", boom)
    fetch_wikipedia_module(as_of=dt.date(2017, 7, 25), client=api([page("return { marks = {} }")]))
