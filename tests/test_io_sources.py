"""Expanding paths into map sources: folders, archives, compressed files, and per-member errors."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import pickle
import tarfile
import zipfile
from pathlib import Path

import pytest

from whoholds.errors import InputError
from whoholds.io import Source, iter_sources, load_bytes
from whoholds.io.sources import format_of
from whoholds.io.tarstream import TarError, iter_tar

GEOJSON = (
    b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},'
    b'"geometry":{"type":"Polygon","coordinates":[[[37,47],[38,47],[38,48],[37,47]]]}}]}'
)


def _tar(path: Path, members: dict[str, bytes], mode: str = "w") -> Path:
    with tarfile.open(path, mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def _shapefile_parts(stem: str) -> dict[str, bytes]:
    return {f"{stem}.shp": b"shp", f"{stem}.shx": b"shx", f"{stem}.dbf": b"dbf", f"{stem}.prj": b"prj"}


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.geojson", "geojson"),
        ("a.json", "geojson"),
        ("a.geojson.gz", "geojson"),
        ("a.geojson.xz", "geojson"),
        ("a.topojson", "topojson"),
        ("a.KML", "kml"),
        ("a.kmz", "kmz"),
        ("a.gpkg", "gpkg"),
        ("a.shp", "shp"),
        ("a.parquet", "parquet"),
        ("a.fgb", "fgb"),
        ("a.csv", "csv"),
            ("a.docx", None),
        ("a.md", None),
    ],
)
def test_format_of(name: str, fmt: str | None) -> None:
    assert format_of(name) == fmt


def test_marker_modules_are_recognised_by_content() -> None:
    assert format_of("Module.lua", b"{ lat = 1, long = 2, mark = m.gov }") == "wikipedia"
    assert format_of("notes.txt", b"nothing here") is None


def test_folder_is_recursive_sorted_and_skips_non_maps(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2024-01-02.geojson").write_bytes(GEOJSON)
    (tmp_path / "a_2024-01-01.geojson.gz").write_bytes(gzip.compress(GEOJSON))
    (tmp_path / "README.md").write_text("mark = m.gov is explained here")
    (tmp_path / "MANIFEST.tsv").write_text("file\tdate\n")
    (tmp_path / "notes.txt").write_text("no markers")
    (tmp_path / "package.json").write_text('{"name": "not a map"}')
    (tmp_path / "Module_map.md").write_text("marks = { { lat = 1, long = 2, mark = m.gov } }")
    (tmp_path / ".hidden.geojson").write_bytes(GEOJSON)
    for name, data in _shapefile_parts("c/area").items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
    sources = list(iter_sources([tmp_path]))
    names = [Path(s.name).relative_to(tmp_path).as_posix() for s in sources]
    assert names == ["Module_map.md", "a_2024-01-01.geojson.gz", "b/2024-01-02.geojson", "c/area.shp"]
    assert [s.fmt for s in sources] == ["wikipedia", "geojson", "geojson", "shp"]
    assert all(s.data is None and s.path is not None for s in sources)
    assert load_bytes(sources[1]) == GEOJSON  # decompressed on load


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:xz", "w:bz2"])
def test_tar_archives_stream_members(tmp_path: Path, mode: str) -> None:
    suffix = {"w": ".tar", "w:gz": ".tar.gz", "w:xz": ".tar.xz", "w:bz2": ".tar.bz2"}[mode]
    archive = _tar(
        tmp_path / f"maps{suffix}",
        {
            "geojsons/1648989208.geojson": GEOJSON,
            "geojsons/1651387795.geojson.gz": gzip.compress(GEOJSON),
            "geojsons/README": b"readme",
            "MANIFEST.tsv": b"x",
            **_shapefile_parts("shapes/area"),
        },
        mode,
    )
    sources = list(iter_sources([archive]))
    assert [s.name.split("::")[1] for s in sources] == [
        "geojsons/1648989208.geojson",
        "geojsons/1651387795.geojson.gz",
        "shapes/area.shp",
    ]
    assert all(s.name.startswith(str(archive) + "::") and s.path is None for s in sources)
    assert sources[1].data == GEOJSON
    with zipfile.ZipFile(io.BytesIO(sources[2].data or b"")) as zf:  # a shapefile travels as a small zip
        assert sorted(zf.namelist()) == ["area.dbf", "area.prj", "area.shp", "area.shx"]
    assert pickle.loads(pickle.dumps(sources[0])) == sources[0]


def test_zip_with_one_shapefile_is_one_source(tmp_path: Path) -> None:
    path = tmp_path / "area.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in _shapefile_parts("area").items():
            zf.writestr(name, data)
        zf.writestr("readme.txt", "about")
    (src,) = iter_sources([path])
    assert src == Source(name=str(path), data=None, path=path, fmt="shp")


def test_zip_with_many_maps(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("b_2024-01-02.geojson", GEOJSON)
        zf.writestr("a_2024-01-01.geojson.xz", lzma.compress(GEOJSON))
        for name, data in _shapefile_parts("s/one").items():
            zf.writestr(name, data)
        for name, data in _shapefile_parts("s/two").items():
            zf.writestr(name, data)
        zf.writestr("__MACOSX/._b.geojson", b"junk")
    names = [s.name.split("::")[1] for s in iter_sources([path])]
    assert names == ["a_2024-01-01.geojson.xz", "b_2024-01-02.geojson", "s/one.shp", "s/two.shp"]


def test_single_compressed_files(tmp_path: Path) -> None:
    for suffix, compress in ((".gz", gzip.compress), (".xz", lzma.compress), (".bz2", bz2.compress)):
        path = tmp_path / f"m{suffix}"
        path = path.with_name(f"map_2024-01-01.geojson{suffix}")
        path.write_bytes(compress(GEOJSON))
        (src,) = iter_sources([path])
        assert src.fmt == "geojson" and load_bytes(src) == GEOJSON


def test_bad_member_is_reported_and_the_others_go_on(tmp_path: Path) -> None:
    archive = _tar(
        tmp_path / "maps.tar",
        {"a.geojson": GEOJSON, "b.geojson.gz": b"\x1f\x8b not really gzip", "c.geojson": GEOJSON},
    )
    errors: list[InputError] = []
    names = [s.name.split("::")[1] for s in iter_sources([archive], errors=errors)]
    assert names == ["a.geojson", "c.geojson"]
    assert len(errors) == 1 and errors[0].source.endswith("::b.geojson.gz")
    assert "corrupt or truncated gzip" in errors[0].problem
    with pytest.raises(InputError, match="b.geojson.gz"):
        list(iter_sources([archive]))


def test_truncated_archive(tmp_path: Path) -> None:
    whole = _tar(tmp_path / "whole.tar.xz", {f"{i}.geojson": GEOJSON * 50 for i in range(5)}, "w:xz")
    cut = tmp_path / "cut.tar.xz"
    cut.write_bytes(whole.read_bytes()[:-200])
    errors: list[InputError] = []
    list(iter_sources([cut], errors=errors))
    assert len(errors) == 1 and errors[0].source == str(cut) and "cannot read archive" in errors[0].problem


def test_missing_path_and_unknown_format(tmp_path: Path) -> None:
    csv = tmp_path / "table.csv"
    csv.write_text("a,b\n")
    doc = tmp_path / "table.docx"
    doc.write_text("a,b\n")
    errors: list[InputError] = []
    assert list(iter_sources([tmp_path / "nope.geojson", doc, csv], errors=errors)) == []
    assert [e.problem.split(";")[0] for e in errors] == ["no such file or folder", "unknown map format '.docx'",
                                                         "a table without a WKT geometry column (a header named "
                                                         "WKT, wkt_geom, geometry, geom or the_geom)"]
    with pytest.raises(InputError, match="no such file"):
        list(iter_sources([tmp_path / "nope.geojson"]))


def test_tarstream_matches_tarfile_on_long_names_and_pax(tmp_path: Path) -> None:
    members = {"d/" + "x" * 150 + ".geojson": b"{}", "émoji/ü.geojson": b"abc" * 1000, "big.bin": bytes(700_000)}
    for fmt in (tarfile.PAX_FORMAT, tarfile.GNU_FORMAT):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=fmt) as tf:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
        assert dict(iter_tar(io.BytesIO(buf.getvalue()))) == members
        assert dict(iter_tar(io.BytesIO(gzip.compress(buf.getvalue())))) == members
    with pytest.raises(TarError):
        list(iter_tar(io.BytesIO(b"garbage" * 100)))
