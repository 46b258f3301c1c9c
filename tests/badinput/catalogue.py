"""The cases of the hostile-input corpus (see :mod:`.cases` for the outcome classes)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from .cases import (
    DATE,
    SQ,
    SY,
    UTM37,
    WGS84_PRJ,
    Case,
    N,
    bad_checksum_tar,
    bz2_zeros,
    encrypted_zip,
    fc,
    feature,
    good,
    gz,
    huge_member_tar,
    kml,
    kml_polygon,
    lua_module,
    shapefile,
    spaces_json_gz,
    tar_xz_bomb,
    tarred,
    write,
    xz,
    xz_zeros,
    zeros_gz,
    zip_bomb,
    zipped,
)

SMALL_LIMITS = {"WHOHOLDS_MAX_MEMBER_MB": "4"}


def _mercator(coords: list) -> list:
    from pyproj import Transformer

    to = Transformer.from_crs(4326, 3857, always_xy=True)
    return [list(to.transform(x, y)) for x, y in coords]


def _shift(coords: list, dx: float, dy: float) -> list:
    return [[x + dx, y + dy] for x, y in coords]


def _json_cases() -> list[Case]:
    e, r, a = "error", "repair", "accepted"
    bowtie = [[37.6, 47.9], [38.0, 48.2], [38.0, 47.9], [37.6, 48.2], [37.6, 47.9]]
    point_part = [[[37.7, 48.0], [37.7, 48.0], [37.7, 48.0], [37.7, 48.0]]]
    return [
        Case("empty-file", e, "empty file", write(N, b"")),
        Case("whitespace-file", e, "empty file", write(N, b"  \n\t ")),
        Case("truncated-json", e, "not valid JSON", write(N, good()[:-20])),
        Case("json-array", e, "not an object", write(N, b"[1, 2, 3]")),
        Case("json-number", e, "not", write(N, b"42")),
        Case("json-string", e, "not", write(N, b'"FeatureCollection"')),
        Case("no-type", e, "no 'type'", write(N, b'{"features": []}')),
        Case("fc-without-features", e, "features", write(N, b'{"type": "FeatureCollection"}')),
        Case("features-is-object", e, "features", write(N, b'{"type": "FeatureCollection", "features": {}}')),
        Case("feature-is-string", e, "not an object", write(N, fc("oops"))),  # type: ignore[arg-type]
        Case("empty-features", e, "no polygon features", write(N, fc())),
        Case("null-geometries", e, "no polygon features", write(N, fc({"type": "Feature", "geometry": None,
                                                                        "properties": {}}))),
        Case("only-points", e, "no polygon features", write(N, fc(feature([37.7, 48.0], gtype="Point")))),
        Case("only-lines", e, "no polygon features",
             write(N, fc(feature([[37.7, 48.0], [37.9, 48.1]], gtype="LineString")))),
        Case("unknown-geometry-type", e, "unknown geometry type", write(N, fc(feature([[SQ]], gtype="Circle")))),
        Case("geometry-as-wkt", e, "geometry",
             write(N, fc(feature("POLYGON ((37.6 47.9, 38 47.9, 38 48.2, 37.6 47.9))")))),
        Case("geometry-as-number", e, "geometry", write(N, fc(feature(7)))),  # type: ignore[arg-type]
        Case("geometry-without-type", e, "geometry", write(N, fc({"type": "Feature", "properties": {"name": "x"},
                                                                   "geometry": {"coordinates": [SQ]}}))),
        Case("coordinates-as-strings", e, "coordinates",
             write(N, fc(feature([[[str(x), str(y)] for x, y in SQ]])))),
        Case("coordinates-missing", e, "coordinates", write(N, fc(feature(None, gtype="MultiPolygon")))),
        Case("coordinates-too-shallow", e, "coordinates", write(N, fc(feature([37.6, 47.9])))),
        Case("coordinates-too-deep", e, "coordinates", write(N, fc(feature([[[SQ]]])))),
        Case("ring-of-two-points", e, "", write(N, fc(feature([[[37.6, 47.9], [38.0, 48.2]]])))),
        Case("coordinate-1e309", e, "", write(N, fc(feature()).replace(b"37.6", b"1e309"))),
        Case("coordinate-nan-literal", e, "not valid JSON", write(N, fc(feature()).replace(b"37.6", b"NaN"))),
        Case("deeply-nested-json", e, "not valid JSON", write(N, b"[" * 100_000 + b"]" * 100_000)),
        Case("nul-bytes", e, "", write(N, b"\0" * 1000)),
        Case("png-named-geojson", e, "", write(N, b"\x89PNG\r\n\x1a\n" + os.urandom(200))),
        Case("zip-named-geojson", e, "", write(N, zipped({"a.txt": b"hello"}))),
        Case("multipolygon-collapsed-point-part", r, "duplicate_points",
             write(N, fc(feature([[SQ], point_part], gtype="MultiPolygon")))),
        Case("only-collapsed-polygon", e, "collapsed", write(N, fc(feature(point_part)))),
        Case("bowtie", r, "make_valid", write(N, fc(feature([bowtie])))),
        Case("clockwise-ring", r, "orientation", write(N, fc(feature([SQ[::-1]])))),
        Case("duplicate-points", r, "duplicate_points",
             write(N, fc(feature([[SQ[0], SQ[0], *SQ[1:]]])))),
        Case("unclosed-ring", a, "", write(N, fc(feature([SQ[:-1]])))),
        Case("hole-outside-shell", r, "make_valid",
             write(N, fc(feature([SQ, _shift(SQ, 1.0, 0.0)[::-1]])))),
        Case("z-coordinates", a, "", write(N, fc(feature([[[x, y, 100.0] for x, y in SQ]])))),
        Case("geometry-collection-polygon", r, "geometry_collection",
             write(N, fc(feature(None, gtype="GeometryCollection") | {"geometry": {
                 "type": "GeometryCollection", "geometries": [{"type": "Polygon", "coordinates": [SQ]}]}}))),
        Case("empty-geometry-collection", e, "no polygon features",
             write(N, fc({"type": "Feature", "properties": {"name": "Окуповано"},
                          "geometry": {"type": "GeometryCollection", "geometries": []}}))),
        Case("single-feature", a, "", write(N, json.dumps(feature()).encode())),
        Case("properties-is-string", e, "no label", write(N, fc(feature() | {"properties": "Окуповано"}))),
        Case("duplicate-keys", a, "", write(N, good().replace(b'"name"', b'"name": "x", "name"', 1))),
        Case("projected-without-crs", e, "projected",
             write(N, fc(feature([[[x * 100000, y * 100000] for x, y in SQ]])))),
        Case("lonlat-out-of-range-with-crs", e, "outside",
             write(N, fc(feature([[[x + 400, y] for x, y in SQ]]),
                         crs={"type": "name", "properties": {"name": "EPSG:4326"}}))),
        Case("swapped-axes", e, "swapped", write(N, fc(feature([[[y, x] for x, y in SQ]])))),
        Case("polygon-in-france", e, "outside", write(N, fc(feature([_shift(SQ, -35.0, 0.0)])))),
        Case("polygon-in-the-sea-far-south", e, "outside", write(N, fc(feature([_shift(SQ, 0.0, -3.0)])))),
        Case("mostly-outside-ukraine", r, "outside the boundary",
             write(N, fc(feature([_shift(SQ, 4.0, 4.0)]), feature([_shift(SQ, 4.0, 3.5)]),
                         feature([[[37.6, 47.9], [37.7, 47.9], [37.7, 48.0], [37.6, 47.9]]])))),
        Case("unknown-epsg", e, "crs", write(N, fc(feature(), crs={"type": "name",
                                                                  "properties": {"name": "EPSG:99999"}}))),
        Case("garbage-crs-name", e, "crs", write(N, fc(feature(), crs={"type": "name",
                                                                      "properties": {"name": "lol wut"}}))),
        Case("projected-crs-over-degrees", e, "degrees",
             write(N, fc(feature(), crs={"type": "name", "properties": {"name": "EPSG:3857"}}))),
        Case("web-mercator-metres", a, "", write(N, lambda: fc(feature([_mercator(SQ)]), crs={
            "type": "name", "properties": {"name": "EPSG:3857"}}))),
        Case("all-labels-unmapped", e, "none of the", write(N, fc(feature(name="banana"), feature(name="kiwi")))),
        Case("no-label-no-fill", e, "unlabelled", write(N, fc(feature(name=None)))),
        Case("huge-label", e, "none of the", write(N, fc(feature(name="x" * 1_000_000)))),
        Case("huge-unmapped-label-beside-mapped", r, "", write(N, fc(feature(), feature([_shift(SQ, 0.5, 0.0)],
                                                                                       name="y" * 1_000_000)))),
        Case("syria-profile-on-ukraine-map", e, "none of the", write(N, good()), profile="syria"),
        Case("same-area-two-states", r, "same area drawn as",
             write(N, fc(feature(), feature(name="Статус невідомий")))),
        Case("date-property-1800", e, "before", write("control.geojson", fc(feature(props={"date": "1800-01-01"})))),
        Case("date-property-2010", e, "before", write("control.geojson", fc(feature(props={"date": "2010-05-01"})))),
        Case("date-property-garbage", e, "date", write("control.geojson", fc(feature(props={"date": "yesterday"})))),
        Case("date-property-future", e, "future", write("control.geojson", fc(feature(props={"date": "2999-01-01"})))),
        Case("cli-date-1800", e, "before", write("control.geojson", good()), args=["--date", "1800-01-01"]),
        Case("cli-date-garbage", e, "date", write("control.geojson", good()), args=["--date", "01/03/2024"],
             names_file=False),
        Case("no-date-anywhere", e, "no snapshot date", write("control.geojson", good())),
        Case("impossible-date-in-name", e, "no snapshot date", write("control_2023-02-30.geojson", good())),
        Case("name-with-two-dates", e, "several dates", write("control_2023-02-01_2023-03-01.geojson", good())),
        Case("mixed-dates-property", a, "", write("control.geojson", fc(
            feature(props={"date": "2024-03-01"}), feature([_shift(SQ, 0.5, 0.0)], props={"date": "2024-03-02"})))),
    ]


def _encoding_cases() -> list[Case]:
    e, r = "error", "repair"
    text = fc(feature(name="Окуповано")).decode()
    return [
        Case("cp1251", r, "cp1251", write(N, text.encode("cp1251"))),
        Case("utf16-le-bom", r, "utf-16", write(N, b"\xff\xfe" + text.encode("utf-16-le"))),
        Case("utf16-be-bom", r, "utf-16", write(N, b"\xfe\xff" + text.encode("utf-16-be"))),
        Case("utf16-le-no-bom", r, "utf-16", write(N, text.encode("utf-16-le"))),
        Case("utf8-bom", r, "byte-order mark", write(N, b"\xef\xbb\xbf" + text.encode())),
        Case("utf32-bom", r, "utf-32", write(N, b"\xff\xfe\0\0" + text.encode("utf-32-le"))),
        Case("latin1-bytes", e, "not UTF-8", write(N, fc(feature(name="Окуповано", props={"note": "x"})).replace(
            b"x", b"caf\xe9 cr\xe8me \xfc\xe0", 1))),
        Case("broken-utf16", e, "utf-16", write(N, b"\xff\xfe" + text.encode("utf-16-le")[:-1] + b"\x00\xd8")),
    ]


def _archive_cases() -> list[Case]:
    e, a = "error", "accepted"
    member = {N: good()}
    return [
        Case("gz-ok", a, "", write(N + ".gz", gz(good()))),
        Case("gz-truncated", e, "corrupt or truncated", write(N + ".gz", gz(good())[:-30])),
        Case("gz-garbage", e, "corrupt", write(N + ".gz", b"\x1f\x8b" + os.urandom(100))),
        Case("gz-bomb-zeros", e, "compression bomb", write(N + ".gz", lambda: zeros_gz(20)), env=SMALL_LIMITS),
        Case("gz-bomb-ratio", e, "fold", write(N + ".gz", lambda: zeros_gz(40))),
        Case("gz-bomb-valid-json", e, "compression bomb", write(N + ".gz", lambda: spaces_json_gz(12)),
             env=SMALL_LIMITS),
        Case("xz-bomb", e, "compression bomb", write(N + ".xz", lambda: xz_zeros(12)), env=SMALL_LIMITS),
        Case("bz2-bomb", e, "compression bomb", write(N + ".bz2", lambda: bz2_zeros(12)), env=SMALL_LIMITS),
        Case("xz-truncated", e, "corrupt or truncated", write(N + ".xz", xz(good())[:-10])),
        Case("zip-ok", a, "", write("maps.zip", zipped(member))),
        Case("zip-bomb", e, "compression bomb", write("maps.zip", lambda: zip_bomb(12)), env=SMALL_LIMITS),
        Case("zip-bomb-ratio", e, "fold", write("maps.zip", lambda: zip_bomb(40))),
        Case("zip-corrupt", e, "zip", write("maps.zip", zipped(member)[:40])),
        Case("zip-random-bytes", e, "zip", write("maps.zip", os.urandom(500))),
        Case("zip-empty", e, "no map", write("maps.zip", zipped({}))),
        Case("zip-only-readme", e, "no map", write("maps.zip", zipped({"README.txt": b"hello"}))),
        Case("zip-in-zip", a, "", write("outer.zip", zipped({"inner.zip": zipped(member)}))),
        Case("zip-in-zip-in-zip", e, "nested", write("outer.zip", zipped({"mid.zip": zipped(
            {"inner.zip": zipped(member)})}))),
        Case("zip-member-bad-json", e, "not valid JSON", write("maps.zip", zipped({N: b"{oops"}))),
        Case("zip-encrypted-flag", e, "", write("maps.zip", encrypted_zip())),
        Case("tar-gz-ok", a, "", write("maps.tar.gz", tarred(member))),
        Case("tar-gz-truncated", e, "truncated", write("maps.tar.gz", tarred(member)[:-200])),
        Case("tar-bad-checksum", e, "checksum", write("maps.tar", bad_checksum_tar())),
        Case("tar-random-bytes", e, "archive", write("maps.tar", os.urandom(2048))),
        Case("tar-huge-declared-size", e, "limit", write("maps.tar", huge_member_tar())),
        Case("tar-xz-bomb", e, "compression bomb", write("maps.tar.xz", lambda: tar_xz_bomb(12)), env=SMALL_LIMITS),
        Case("tar-in-tar-in-tar", e, "nested", write("a.tar", tarred({"b.tar": tarred({"c.tar": tarred(member, "w")},
                                                                                        "w")}, "w"))),
        Case("bad-limit-env", e, "WHOHOLDS_MAX_RATIO", write(N + ".gz", gz(good())),
             env={"WHOHOLDS_MAX_RATIO": "-5"}, names_file=False),
    ]


def _format_cases() -> list[Case]:
    e, a = "error", "accepted"
    inner = kml_polygon()
    bomb = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
            '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
            '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
            '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
            '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
            '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">]>')
    return [
        Case("kml-ok", a, "", write(f"control_{DATE}.kml", kml(inner))),
        Case("kml-truncated", e, "", write(f"control_{DATE}.kml", kml(inner)[:-40])),
        Case("kml-billion-laughs", e, "", write(f"control_{DATE}.kml", kml(kml_polygon("&lol8;"), bomb))),
        Case("kml-not-xml", e, "", write(f"control_{DATE}.kml", b"this is not xml at all")),
        Case("kmz-garbage", e, "", write(f"control_{DATE}.kmz", os.urandom(300))),
        Case("gpkg-garbage", e, "", write(f"control_{DATE}.gpkg", b"SQLite format 3\0" + os.urandom(300))),
        Case("parquet-garbage", e, "GeoParquet", write(f"control_{DATE}.parquet", b"PAR1" + os.urandom(100))),
        Case("fgb-garbage", e, "", write(f"control_{DATE}.fgb", os.urandom(200))),
        Case("gml-garbage", e, "", write(f"control_{DATE}.gml", b"<gml>broken")),
        Case("topojson-broken-arcs", e, "", write(f"control_{DATE}.topojson", json.dumps({
            "type": "Topology", "objects": {"a": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[99]], "properties": {"name": "Окуповано"}}]}},
            "arcs": [[[0, 0], [1, 1]]]}).encode())),
        Case("unknown-suffix", e, "unknown map format", write(f"control_{DATE}.docx", b"PK..")),
        Case("missing-path", e, "no such file", lambda folder: [folder / "nope.geojson"]),
        Case("directory-without-maps", e, "no map", lambda folder: [_mkdir(folder / "empty")]),
        Case("shp-without-sidecars", e, "shx", lambda folder: [_lonely_shp(folder)]),
        Case("shp-wgs84-prj", a, "", lambda folder: [shapefile(folder, f"c_{DATE}.shp", SQ, WGS84_PRJ)]),
        Case("shp-garbage-prj", e, "prj", lambda folder: [shapefile(folder, f"c_{DATE}.shp", SQ, "lol not a crs")]),
        Case("shp-projected-prj-over-degrees", e, "degrees",
             lambda folder: [shapefile(folder, f"c_{DATE}.shp", SQ, UTM37)]),
        Case("shp-no-prj-degrees", a, "", lambda folder: [shapefile(folder, f"c_{DATE}.shp", SQ, None)]),
    ]


def _mkdir(path: Path) -> Path:
    path.mkdir()
    (path / "notes.txt").write_text("nothing here")
    return path


def _lonely_shp(folder: Path) -> Path:
    shp = shapefile(folder, f"c_{DATE}.shp", SQ, None)
    for side in folder.glob(f"c_{DATE}.*"):
        if side.suffix != ".shp":
            side.unlink()
    return shp


def _marker_cases() -> list[Case]:
    e, a = "error", "accepted"
    syria = [(34.6, 37.1, "gov"), (34.7, 37.2, "opp"), (35.9, 38.9, "SDF")]
    return [
        Case("syria-module-with-ukraine-profile", e, "wrong --profile",
             write("Module_Syria.lua", lua_module(syria)), args=["--date", DATE]),
        Case("syria-module-ok", a, "", write("Module_Syria.lua", lua_module(syria)), args=["--date", DATE],
             profile="syria"),
        Case("syria-module-all-unknown-marks", e, "none of the",
             write("Module_Syria.lua", lua_module([(34.6, 37.1, "banana"), (34.7, 37.2, "kiwi")])),
             args=["--date", DATE], profile="syria"),
        Case("syria-module-markers-in-ukraine", e, "outside",
             write("Module_Syria.lua", lua_module([(48.0, 37.7, "gov"), (48.1, 37.8, "opp")])),
             args=["--date", DATE], profile="syria"),
        Case("syria-module-no-marks", e, "format",
             write("Module_Syria.lua", lua_module([])), args=["--date", DATE], profile="syria"),
        Case("syria-module-undated", e, "no date", write("Module_Syria.lua", lua_module(syria)), profile="syria"),
        Case("syria-module-date-1800", e, "before", write("Module_Syria.lua", lua_module(syria)),
             args=["--date", "1800-01-01"], profile="syria", names_file=False),
        Case("syria-module-truncated", e, "", write("Module_Syria.lua", lua_module(syria)[:120]),
             args=["--date", DATE], profile="syria"),
        Case("syria-module-lat-999", e, "", write("Module_Syria.lua", lua_module([(999.0, 37.1, "gov")])),
             args=["--date", DATE], profile="syria"),
        Case("syria-polygons-on-syria-profile", e, "none of the", write(N, fc(feature([SY], name="gov"))),
             profile="syria"),
    ]


def _option_cases() -> list[Case]:
    e = "error"
    return [
        Case("workers-negative", e, "workers", write(N, good()), args=["--workers", "-1"], names_file=False),
        Case("workers-absurd", e, "workers", write(N, good()), args=["--workers", "100000"], names_file=False),
        Case("unknown-profile", e, "no such profile", write(N, good()), profile="narnia", names_file=False),
        Case("profile-bad-yaml", e, "YAML", write(N, good()), profile="@bad.yaml", names_file=False),
        Case("profile-a-list", e, "mapping", write(N, good()), profile="@list.yaml", names_file=False),
        Case("profile-empty", e, "mapping", write(N, good()), profile="@empty.yaml", names_file=False),
        Case("shares-negative-distance", e, "must not be negative", lambda folder: [], command="shares",
             args=["--max-distance-km", "-5"], names_file=False),
        Case("shares-infinite-distance", e, "finite", lambda folder: [], command="shares",
             args=["--max-distance-km", "1e309"], names_file=False),
        Case("shares-absurd-distance", e, "absurdly large", lambda folder: [], command="shares",
             args=["--max-distance-km", "1e12"], names_file=False),
        Case("shares-date-garbage", e, "date", lambda folder: [], command="shares", args=["--date", "yesterday"],
             names_file=False),
        Case("shares-date-not-stored", e, "no ukraine snapshot", lambda folder: [], command="shares",
             args=["--date", "2023-01-01"], names_file=False),
        Case("unlabelled-state-unknown", e, "unlabelled", write(N, good()), args=["--unlabelled-state", "zzz"],
             names_file=False),
    ]


def _store_cases() -> list[Case]:
    e, a = "error", "accepted"

    def truncate_catalog(store: Path) -> None:
        cat = store / "catalog.duckdb"
        cat.write_bytes(cat.read_bytes()[:5000])

    def garbage_catalog(store: Path) -> None:
        (store / "catalog.duckdb").write_bytes(os.urandom(4096))

    def store_is_file(store: Path) -> None:
        shutil.rmtree(store)
        store.write_text("not a store")

    def read_only(store: Path) -> None:
        for p in [store, *store.rglob("*")]:
            p.chmod(0o555 if p.is_dir() else 0o444)

    def feature_file(store: Path) -> Path:  # a snapshot's own file (store format 1) or a feature chunk (format 2)
        return next(p for folder in ("snapshots", "features") for p in (store / folder).glob("*.parquet"))

    def lose_file(store: Path) -> None:
        feature_file(store).unlink()

    def corrupt_file(store: Path) -> None:
        f = feature_file(store)
        f.write_bytes(f.read_bytes()[:100])

    return [
        Case("store-truncated-catalog", e, "catalog", write(N, good()), damage=truncate_catalog, names_file=False),
        Case("store-garbage-catalog", e, "catalog", write(N, good()), damage=garbage_catalog, names_file=False),
        Case("store-truncated-catalog-shares", e, "catalog", lambda folder: [], command="shares",
             damage=truncate_catalog, names_file=False),
        Case("store-garbage-catalog-check", e, "catalog", lambda folder: [], command="store-check",
             damage=garbage_catalog, names_file=False),
        Case("store-is-a-file", e, "not a folder", write(N, good()), damage=store_is_file, names_file=False),
        Case("store-missing-snapshot-file-shares", e, "missing", lambda folder: [], command="shares",
             damage=lose_file, names_file=False),
        Case("store-corrupt-snapshot-file-shares", e, "", lambda folder: [], command="shares",
             damage=corrupt_file, names_file=False),
        Case("store-check-missing-file", e, "missing", lambda folder: [], command="store-check",
             damage=lose_file, names_file=False),
        Case("store-check-corrupt-file", e, "", lambda folder: [], command="store-check",
             damage=corrupt_file, names_file=False),
        Case("store-check-clean", a, "", lambda folder: [], command="store-check"),
        Case("store-remove-unknown-id", e, "no snapshot", lambda folder: [], command="remove-unknown",
             names_file=False),
    ]


def all_cases() -> list[Case]:
    from .families import new_family_cases

    cases = [*_json_cases(), *_encoding_cases(), *_archive_cases(), *_format_cases(), *_marker_cases(),
             *_option_cases(), *_store_cases(), *new_family_cases()]
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases
