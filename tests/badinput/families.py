"""Hostile-input families added for third-party maps: archive path tricks, XML entities, deep nesting, huge
rings, non-finite coordinates, dialects cut short, duplicated dates, a store left behind by a crash."""

from __future__ import annotations

import io
import json
import math
import tarfile
from pathlib import Path

from .cases import DATE, SQ, Case, N, fc, feature, good, kml, kml_polygon, write, zipped

XXE = '<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
DEEP = 100_000


def _links_tar() -> bytes:
    """A tar whose map is named ../../x (never written anywhere: members are read in memory) next to a symlink
    to /etc/passwd and a hard link to the ../ member (both skipped: they hold no bytes of their own)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        data = good()
        info = tarfile.TarInfo(f"../../control_{DATE}.geojson")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        for name, kind, target in ((f"link_{DATE}.geojson", tarfile.SYMTYPE, "/etc/passwd"),
                                   (f"hard_{DATE}.geojson", tarfile.LNKTYPE, f"../../control_{DATE}.geojson")):
            link = tarfile.TarInfo(name)
            link.type, link.linkname = kind, target
            tf.addfile(link)
    return buf.getvalue()


def _deep_props() -> bytes:
    return fc(feature(props={"x": "@"})).replace(b'"@"', b"[" * DEEP + b"]" * DEEP)


def _deep_line() -> bytes:
    return json.dumps(feature(props={"x": "@"})).encode().replace(b'"@"', b"[" * DEEP + b"]" * DEEP) + b"\n"


def _big_ring() -> bytes:
    n = 1_000_000
    ring = [[round(37.8 + 0.2 * math.cos(2 * math.pi * i / n), 7), round(48.0 + 0.2 * math.sin(2 * math.pi * i / n), 7)]
            for i in range(n)]
    ring.append(ring[0])
    return fc(feature([ring]))


def _esri(rings: list, **extra: object) -> bytes:
    return json.dumps({"geometryType": "esriGeometryPolygon", "spatialReference": {"wkid": 4326}, **extra,
                       "features": [{"attributes": {"Status": "Occupied"}, "geometry": {"rings": rings}}]}).encode()


def _sq_with(value: str) -> bytes:
    return good().replace(b"37.6", value.encode(), 1)


def _gml_xxe() -> bytes:
    coords = " ".join(f"{x},{y}" for x, y in SQ)
    return ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
            '<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml">'
            "<gml:featureMember><ogr:a><ogr:name>&xxe;</ogr:name><ogr:geometryProperty><gml:Polygon>"
            f"<gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>{coords}</gml:coordinates></gml:LinearRing>"
            "</gml:outerBoundaryIs></gml:Polygon></ogr:geometryProperty></ogr:a></gml:featureMember>"
            "</ogr:FeatureCollection>").encode()


def _two_maps_one_date(folder: Path) -> list[Path]:
    sub = folder / "maps"
    sub.mkdir()
    (sub / f"a_{DATE}.geojson").write_bytes(good())
    (sub / f"b_{DATE}.geojson").write_bytes(fc(feature([[[x + 0.5, y] for x, y in SQ]])))
    return [sub]


def _leftover_temp_file(store: Path) -> None:
    """What a crash during an atomic write leaves: a half-written temporary file next to the snapshots."""
    (store / "snapshots" / ".0123456789abcdef.parquet.tmp").write_bytes(b"PAR1" + b"\0" * 50)


def _seq(*lines: bytes) -> bytes:
    return b"\n".join(lines) + b"\n"


def new_family_cases() -> list[Case]:
    e, r, a = "error", "repair", "accepted"
    one = json.dumps(feature()).encode()
    return [
        Case("tar-dotdot-and-links", a, "", write("maps.tar", _links_tar)),
        Case("kml-external-entity", e, "entities", write(f"control_{DATE}.kml", kml(kml_polygon("&xxe;"), XXE))),
        Case("gml-external-entity", e, "entities", write(f"control_{DATE}.gml", _gml_xxe)),
        Case("kmz-external-entity", e, "entities", write(f"control_{DATE}.kmz", zipped(
            {"doc.kml": kml(kml_polygon("&xxe;"), XXE)}))),
        Case("json-nested-100k-levels", e, "not valid JSON", write(N, _deep_props)),
        Case("geojsonl-nested-100k-levels", e, "nested too deeply", write(f"control_{DATE}.geojsonl", _deep_line)),
        Case("esri-nested-100k-levels", e, "nested too deeply", write("query.json", lambda: _esri(
            [], x="@").replace(b'"@"', b"[" * DEEP + b"]" * DEEP)), args=["--date", DATE]),
        Case("ring-1e6-vertices", e, "more than the 1,000,000 limit", write(N, _big_ring)),  # refused, bounded
        Case("ring-1e6-vertices-limit-raised", a, "", write(N, _big_ring), env={"WHOHOLDS_MAX_VERTICES": "2000000"}),
        Case("coordinate-nan", e, "not valid JSON", write(N, _sq_with("NaN"))),
        Case("coordinate-infinity", e, "not valid JSON", write(N, _sq_with("Infinity"))),
        Case("coordinate-1e308", e, "not a position on Earth", write(N, _sq_with("1e308"))),
        Case("coordinate-1e309-overflows", e, "not valid JSON", write(N, _sq_with("1e309"))),
        Case("csv-wkt-infinite", e, "not a position on Earth", write(f"control_{DATE}.csv", (
            b'WKT,status\n"POLYGON ((inf 47.9, 38 47.9, 38 48.2, 37.6 48.2, inf 47.9))",occupied\n'))),
        Case("csv-wkt-garbage", e, "not WKT", write(f"control_{DATE}.csv", b"WKT,status\nhello,occupied\n")),
        Case("csv-without-wkt", e, "WKT geometry column", write(f"control_{DATE}.csv", b"lat,lon,status\n48,37,x\n")),
        Case("esri-nan-coordinate", e, "finite", write("query.json", _esri([[[math.nan, 47.9], *SQ[1:]]])),
             args=["--date", DATE]),
        Case("esri-exceeded-transfer-limit", e, "exceededTransferLimit", write("query.json", _esri(
            [SQ[::-1]], exceededTransferLimit=True)), args=["--date", DATE]),
        Case("arcgis-error-response", e, "ArcGIS error", write("query.json", json.dumps(
            {"error": {"code": 498, "message": "Invalid token."}, "spatialReference": {"wkid": 4326}}).encode()),
             args=["--date", DATE]),
        Case("kml-network-link-only", e, "NetworkLink", write(f"control_{DATE}.kml", kml(
            "<NetworkLink><Link><href>https://example.org/live.kmz</href></Link></NetworkLink>"))),
        Case("geojsonl-bad-line", e, "line 2", write(f"control_{DATE}.geojsonl", _seq(one, b"{oops", one))),
        Case("geojsonl-only-blank-lines", e, "empty", write(f"control_{DATE}.geojsonl", b"\n\n\x1e\n")),
        Case("closed-linestring-not-an-area", e, "lines are never read as areas", write(N, fc(
            feature(SQ, gtype="LineString")))),
        Case("two-maps-one-date-in-a-folder", r, "version 2", _two_maps_one_date),
        Case("store-leftover-temp-file-shares", a, "", lambda folder: [], command="shares",
             damage=_leftover_temp_file),
        Case("store-leftover-temp-file-check", a, "", lambda folder: [], command="store-check",
             damage=_leftover_temp_file),
    ]
