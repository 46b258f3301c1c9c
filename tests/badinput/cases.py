"""The hostile-input corpus: more than 100 broken, odd or wrong inputs, each with the outcome it must have.

Every case is generated at test time into a temporary folder (bombs included: a few hundred KB on disk),
so the repository holds no binary files. Outcomes:

- ``error``: exit code 2, one line on stderr naming the file (``needle_file``) and the problem (``needle``),
  no traceback, and the prepared store byte-for-byte unchanged;
- ``repair``: accepted (exit 0) with the repair or warning ``needle`` in the output;
- ``accepted``: exit 0.

Run ``python -m tests.badinput.generate OUT`` to write the corpus to a folder for manual use.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DATE = "2024-03-01"
#: The usual map name: a GeoJSON dated by its file name.
N = f"control_{DATE}.geojson"
#: A square in occupied Donetsk oblast, well inside Ukraine (lon, lat).
SQ = [[37.6, 47.9], [38.0, 47.9], [38.0, 48.2], [37.6, 48.2], [37.6, 47.9]]
#: A square in government-held Syria (Homs desert).
SY = [[37.0, 34.5], [37.4, 34.5], [37.4, 34.8], [37.0, 34.8], [37.0, 34.5]]


@dataclass
class Case:
    id: str
    expect: str  # "error" | "repair" | "accepted"
    needle: str  # what the error/repair line must contain (case-insensitive)
    make: Callable[[Path], list[Path]]  # writes the inputs into a folder, returns the paths to pass
    args: list[str] = field(default_factory=list)  # extra CLI arguments
    profile: str = "ukraine"
    env: dict[str, str] = field(default_factory=dict)
    command: str = "ingest"
    damage: Callable[[Path], None] | None = None  # damages the prepared store before the command
    names_file: bool = True  # the error line must name the input file


def feature(coords: list | str | None = None, name: str | None = "Окуповано", gtype: str = "Polygon",
            props: dict | None = None) -> dict:
    geom: object
    if coords is None and gtype == "Polygon":
        coords = [SQ]
    geom = {"type": gtype, "coordinates": coords} if not isinstance(coords, str) else coords
    p = {} if name is None else {"name": name}
    return {"type": "Feature", "properties": {**p, **(props or {})}, "geometry": geom}


def fc(*features: dict, **extra: object) -> bytes:
    return json.dumps({"type": "FeatureCollection", **extra, "features": list(features)},
                      ensure_ascii=False).encode()


def good() -> bytes:
    return fc(feature())


def write(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], list[Path]]:
    def make(folder: Path) -> list[Path]:
        path = folder / name
        path.write_bytes(data() if callable(data) else data)
        return [path]

    return make


def gz(data: bytes) -> bytes:
    return gzip.compress(data, 6)


def zeros_gz(mb: int) -> bytes:
    """``mb`` MB of zeros, gzip-compressed in pieces (never the whole thing in memory)."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as fh:
        block = b"\0" * (1 << 20)
        for _ in range(mb):
            fh.write(block)
    return buf.getvalue()


def spaces_json_gz(mb: int) -> bytes:
    """A valid GeoJSON padded with ``mb`` MB of spaces (a bomb that would parse)."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as fh:
        fh.write(b'{"type": "FeatureCollection", "features": [')
        block = b" " * (1 << 20)
        for _ in range(mb):
            fh.write(block)
        fh.write(json.dumps(feature()).encode() + b"]}")
    return buf.getvalue()


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return buf.getvalue()


def zip_bomb(mb: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf, \
            zf.open(f"control_{DATE}.geojson", "w", force_zip64=True) as fh:
        block = b" " * (1 << 20)
        for _ in range(mb):
            fh.write(block)
    return buf.getvalue()


def tarred(members: dict[str, bytes], mode: str = "w:gz") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:
        for name, blob in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tf.addfile(info, io.BytesIO(blob))
    return buf.getvalue()


def lua_module(rows: list[tuple[float, float, str]], date: str | None = None) -> bytes:
    head = f"-- revision date: {date}\n" if date else ""
    body = ",\n".join(f'{{ lat = {lat}, long = {lon}, mark = m.{mark}, label = "P{i}" }}'
                      for i, (lat, lon, mark) in enumerate(rows))
    return (head + "local m = require('Module:Middle East conflicts map marks')\n"
            "local p = {}\np.containerArgs = {}\np.marks = {\n" + body + "\n}\nreturn p\n").encode()


def shapefile(folder: Path, name: str, coords: list, prj: str | None) -> Path:
    import warnings

    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame({"name": ["Окуповано"]}, geometry=[shapely.Polygon(coords)], crs=None)
    path = folder / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "'crs' was not provided": on purpose
        frame.to_file(path, driver="ESRI Shapefile", encoding="utf-8")
    prj_path = path.with_suffix(".prj")
    if prj is None:
        prj_path.unlink(missing_ok=True)
    else:
        prj_path.write_text(prj)
    return path


def kml(inner: str, head: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{head}<kml xmlns="http://www.opengis.net/kml/2.2">'
            f"<Document>{inner}</Document></kml>").encode()


def kml_polygon(name: str = "Окуповано", coords: list | None = None) -> str:
    text = " ".join(f"{x},{y}" for x, y in (coords or SQ))
    return (f"<Placemark><name>{name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>{text}"
            "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>")


UTM37 = 'PROJCS["WGS 84 / UTM zone 37N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",39],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]'  # noqa: E501
WGS84_PRJ = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'  # noqa: E501


def xz(data: bytes) -> bytes:
    import lzma

    return lzma.compress(data)


def xz_zeros(mb: int) -> bytes:
    import lzma

    comp = lzma.LZMACompressor()
    block = b"\0" * (1 << 20)
    return b"".join([*(comp.compress(block) for _ in range(mb)), comp.flush()])


def bz2_zeros(mb: int) -> bytes:
    import bz2

    comp = bz2.BZ2Compressor(9)
    block = b"\0" * (1 << 20)
    return b"".join([*(comp.compress(block) for _ in range(mb)), comp.flush()])


def tar_xz_bomb(mb: int) -> bytes:
    import io
    import lzma

    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tf:
        info = tarfile.TarInfo(N)
        info.size = mb << 20
        tf.addfile(info, io.BytesIO(b" " * info.size))
    return lzma.compress(raw.getvalue())


def bad_checksum_tar() -> bytes:
    data = bytearray(tarred({N: good()}, "w"))
    data[150] = ord("7") if data[150] != ord("7") else ord("1")
    return bytes(data)


def huge_member_tar() -> bytes:
    import io

    info = tarfile.TarInfo(N)
    info.size = 1 << 40  # a terabyte, declared
    header = info.tobuf(format=tarfile.GNU_FORMAT)
    return header + io.BytesIO(b"{}" + b"\0" * 510).getvalue()


def encrypted_zip() -> bytes:
    data = bytearray(zipped({N: good()}))
    # Set the "encrypted" general-purpose bit in the local and the central header.
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        i = data.find(sig)
        off = i + (6 if sig == b"PK\x03\x04" else 8)
        data[off] |= 1
    return bytes(data)
