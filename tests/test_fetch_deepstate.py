"""DeepStateMap download, offline: the HTTP layer is mocked at the transport (httpx.MockTransport), serving
gzipped files of the shared monthly raw-feed archive as the API's bodies. No test touches the network."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json

import httpx
import pytest
from conftest import data_path
from typer.testing import CliRunner

from whoholds.cli import app
from whoholds.errors import InputError
from whoholds.fetch import deepstate as fd
from whoholds.fetch.deepstate import fetch_deepstate, fetch_deepstate_range, history
from whoholds.ingest import ingest
from whoholds.metrics.shares import shares
from whoholds.profiles import load_profile
from whoholds.store import Store

UKRAINE = load_profile("ukraine")
SNAPS = {  # id (unix time) -> file of the shared archive
    1730495471: "deepstate_raw_2024-11-01_1730495471.geojson.gz",
    1733089579: "deepstate_raw_2024-12-01_1733089579.geojson.gz",
    1735766502: "deepstate_raw_2025-01-01_1735766502.geojson.gz",
}
LATEST = 1735766502


def gz(ts: int) -> bytes:
    return data_path("ukraine", "deepstate_raw_feed_monthly", SNAPS[ts]).read_bytes()


def iso(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class FakeAPI:
    """deepstatemap.live's history API over the shared files; records every request."""

    def __init__(self, ids=tuple(SNAPS), extra: dict | None = None) -> None:
        self.ids = list(ids)
        self.seen: list[httpx.Request] = []
        self.extra = extra or {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        path = request.url.path
        if path in self.extra:
            return self.extra[path](request)
        if path == "/api/history/public":
            return httpx.Response(200, json=[{"id": i, "description": "…", "createdAt": iso(i)} for i in self.ids])
        if path == "/api/history/last":
            fc = json.loads(gzip.decompress(gz(LATEST)))
            return httpx.Response(200, json={"id": LATEST, "createdAt": iso(LATEST), "map": fc})
        parts = path.strip("/").split("/")
        if len(parts) == 4 and parts[3] == "geojson" and int(parts[2]) in SNAPS:
            return httpx.Response(200, content=gz(int(parts[2])),
                                  headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
        return httpx.Response(404, json={"message": "not found"})

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))

    def paths(self) -> list[str]:
        return [r.url.path for r in self.seen]


def shares_of(paths, tmp_path, name):
    with Store(tmp_path / name) as st:
        report = ingest(paths, UKRAINE, st, workers=1)
        assert report.ok and len(report.results) == 1
        return shares(st, UKRAINE, by="state"), report.results[0]


def test_latest_is_saved_under_its_unix_time_and_ingests_like_the_original(tmp_path):
    api = FakeAPI()
    path = fetch_deepstate(tmp_path / "dl", when="latest", client=api.client())
    assert path.name == f"deepstate_{LATEST}.geojson" and api.paths() == ["/api/history/last"]
    assert api.seen[0].url.host == "deepstatemap.live"
    assert api.seen[0].headers["user-agent"].startswith("whoholds/")
    got, res = shares_of([path], tmp_path, "a")
    want, ref = shares_of([data_path("ukraine", "deepstate_raw_feed_monthly", SNAPS[LATEST])], tmp_path, "b")
    assert res.date == ref.date == dt.date(2025, 1, 1)
    assert got["group"].tolist() == want["group"].tolist()
    assert got["area_km2"].tolist() == pytest.approx(want["area_km2"].tolist(), rel=1e-12)
    occupied = got.set_index("group").loc["occupied", "area_km2"]
    assert 60_000 < occupied < 75_000  # a real figure, not an empty map
    assert fetch_deepstate(tmp_path / "dl", when=None, client=api.client()) == path  # None means latest


def test_a_date_fetches_the_last_snapshot_of_that_day_byte_for_byte(tmp_path):
    api = FakeAPI()
    path = fetch_deepstate(tmp_path, when=dt.date(2024, 12, 15), client=api.client())
    assert path.name == "deepstate_1733089579.geojson"
    assert api.paths() == ["/api/history/public", "/api/history/1733089579/geojson"]
    assert path.read_bytes() == gzip.decompress(gz(1733089579))
    # same bytes -> same content hash -> the same snapshot id as ingesting the archive's file
    _, res = shares_of([path], tmp_path, "a")
    _, ref = shares_of([data_path("ukraine", "deepstate_raw_feed_monthly", SNAPS[1733089579])], tmp_path, "b")
    assert res.id == ref.id and res.date == dt.date(2024, 12, 1)
    exact = fetch_deepstate(tmp_path / "t", when=dt.datetime(2024, 12, 1, 21, 46, 19), client=api.client())
    assert exact.name == "deepstate_1733089579.geojson"
    with pytest.raises(InputError, match="no snapshot at or before 2024-10-01"):
        fetch_deepstate(tmp_path, when=dt.date(2024, 10, 1), client=api.client())


def test_range_backfill_resumes_and_keeps_one_per_day(tmp_path):
    api = FakeAPI()
    paths = fetch_deepstate_range(tmp_path, dt.date(2024, 11, 1), dt.date(2025, 1, 1), client=api.client(),
                                  pause=0)
    assert [p.name for p in paths] == [f"deepstate_{i}.geojson" for i in SNAPS]
    assert sum(p.endswith("/geojson") for p in api.paths()) == 3
    again = FakeAPI()
    assert fetch_deepstate_range(tmp_path, dt.date(2024, 11, 1), dt.date(2025, 1, 1), client=again.client(),
                                 pause=0) == paths
    assert again.paths() == ["/api/history/public"]  # files already there are not fetched again
    with Store(tmp_path / "store") as st:
        report = ingest([tmp_path], UKRAINE, st, workers=1)
        assert report.ok and [r.date.isoformat() for r in report.results] == ["2024-11-01", "2024-12-01",
                                                                               "2025-01-01"]
    twice = FakeAPI(ids=[1733089579, 1733089579 - 3600, 1730495471])  # two on 2024-12-01
    got = fetch_deepstate_range(tmp_path / "daily", dt.date(2024, 11, 1), dt.date(2024, 12, 31), every="day",
                                client=twice.client(), pause=0)
    assert [p.name for p in got] == ["deepstate_1730495471.geojson", "deepstate_1733089579.geojson"]


@pytest.mark.parametrize(("start", "end", "needle"), [
    (dt.date(2025, 2, 1), dt.date(2024, 11, 1), "before --from"),
    (dt.date(2023, 1, 1), dt.date(2023, 2, 1), "no snapshot between 2023-01-01 and 2023-02-01"),
])
def test_range_errors(tmp_path, start, end, needle):
    with pytest.raises(InputError, match=needle):
        fetch_deepstate_range(tmp_path, start, end, client=FakeAPI().client(), pause=0)


def _raise(exc):
    def handler(request):
        raise exc(f"boom on {request.url.host}", request=request)

    return handler


@pytest.mark.parametrize(("extra", "needle"), [
    ({"/api/history/last": lambda r: httpx.Response(503, text="down")}, "HTTP 503"),
    ({"/api/history/last": _raise(httpx.ConnectError)}, "cannot reach deepstatemap.live (ConnectError"),
    ({"/api/history/last": _raise(httpx.ReadTimeout)}, "timed out"),
    ({"/api/history/last": lambda r: httpx.Response(200, text="<html>maintenance</html>")}, "not JSON"),
    ({"/api/history/last": lambda r: httpx.Response(200, text="")}, "empty reply"),
    ({"/api/history/last": lambda r: httpx.Response(200, json={"id": LATEST, "map": {"type": "Feature"}})},
     "not a GeoJSON FeatureCollection"),
    ({"/api/history/last": lambda r: httpx.Response(200, json={"id": "x", "map": {
        "type": "FeatureCollection", "features": [{"type": "Feature"}]}})}, "neither the id nor 'createdAt'"),
    ({"/api/history/last": lambda r: httpx.Response(200, content=b"\x1f\x8bnot gzip",
                                                     headers={"Content-Encoding": "gzip"})}, "compression"),
])
def test_every_failure_is_one_input_error_line(tmp_path, extra, needle):
    with pytest.raises(InputError) as err:
        fetch_deepstate(tmp_path, client=FakeAPI(extra=extra).client())
    text = str(err.value)
    assert needle in text and "\n" not in text and text.startswith("https://deepstatemap.live/api/history/")
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_history_errors_and_unknown_snapshot(tmp_path):
    empty = FakeAPI(extra={"/api/history/public": lambda r: httpx.Response(200, json=[])})
    with pytest.raises(InputError, match="lists no snapshots"):
        history(client=empty.client())
    missing = FakeAPI(ids=[1733089579 + 5])
    with pytest.raises(InputError, match="HTTP 404"):
        fetch_deepstate(tmp_path, when=dt.date(2024, 12, 2), client=missing.client())
    with pytest.raises(InputError, match="use 'latest'"):
        fetch_deepstate(tmp_path, when="yesterday", client=FakeAPI().client())
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="folder"):
        fetch_deepstate(blocker / "sub", client=FakeAPI().client())


def test_cli_fetch_deepstate(tmp_path, monkeypatch):
    api = FakeAPI()

    @contextlib.contextmanager
    def fake_client(_client):
        yield api.client()

    monkeypatch.setattr(fd, "_client", fake_client)
    runner = CliRunner()
    res = runner.invoke(app, ["fetch", "deepstate", "--latest", "-o", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "a" / f"deepstate_{LATEST}.geojson").exists()
    res = runner.invoke(app, ["fetch", "deepstate", "--from", "2024-11-01", "--to", "2024-12-31", "--pause", "0",
                              "-o", str(tmp_path / "b")])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["deepstate_1730495471.geojson",
                                                                  "deepstate_1733089579.geojson"]
    res = runner.invoke(app, ["fetch", "deepstate", "--at", "2024-12-01T23:00", "-o", str(tmp_path / "c")])
    assert res.exit_code == 0 and (tmp_path / "c" / "deepstate_1733089579.geojson").exists()
    for args, needle in ((["--latest", "--from", "2024-11-01"], "choose one"), (["--to", "2024-12-01"], "--from"),
                         (["--from", "Nov 2024"], "not a date")):
        res = runner.invoke(app, ["fetch", "deepstate", *args, "-o", str(tmp_path / "x")])
        assert res.exit_code == 2 and needle in res.output and "Traceback" not in res.output, res.output
