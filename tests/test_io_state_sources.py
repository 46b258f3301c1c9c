"""Where a third-party map keeps a feature's state: a status column in another language or case, a KML
folder or shared style, a uMap layer, a column the user names (--state-field); and dates as such tools write
them. Synthetic files; areas against pyproj.Geod (helpers shared with test_io_dialects)."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
import shapely
from test_io_dialects import DAY, FAR, HOLE, SQ, UKRAINE, close, esri, feature, km2, read, wkt

from whoholds.errors import InputError
from whoholds.io import read_maps

# ---- state in other columns, languages and styles ----------------------------------------------------------


@pytest.mark.parametrize("props", [
    {"name": "12", "Status": "Occupied"},
    {"name": "Sector 4", "статус": "окуповано"},
    {"id": 7, "STATUS": "Russian-controlled"},
    {"name": "zone", "control": "under Russian control"},
    {"name": "منطقة", "الحالة": "occupied"},
])
def test_state_in_another_column(tmp_path: Path, props: dict) -> None:
    path = tmp_path / "sheet.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature(props)]}), "utf-8")
    areas, _ = read(path)
    assert set(areas) == {"occupied"} and close(areas["occupied"], km2(SQ))


def test_the_name_still_wins_over_other_columns(tmp_path: Path) -> None:
    path = tmp_path / "sheet.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature({"name": "Звільнено", "status": "occupied"})]}), "utf-8")
    assert set(read(path)[0]) == {"liberated"}


def test_unrecognised_state_column_names_the_values(tmp_path: Path) -> None:
    path = tmp_path / "sheet.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature({"name": "12", "Status": "blue"})]}))
    with pytest.raises(InputError, match="none of the 1 polygon") as info:
        read(path)
    assert "'12'" in str(info.value) and "'blue'" in str(info.value)


def test_umap_export_layer_name_and_colour(tmp_path: Path) -> None:
    path = tmp_path / "map.umap"
    path.write_text(json.dumps({"type": "umap", "properties": {"name": "war map"}, "layers": [
        {"type": "FeatureCollection", "_umap_options": {"name": "Окуповані території"},
         "features": [feature({"name": "A"})]},
        {"type": "FeatureCollection", "_umap_options": {"name": "other", "color": "#A52714"},
         "features": [feature({"name": "B"}, FAR)]},
    ]}), "utf-8")
    areas, _ = read(path)
    assert set(areas) == {"occupied"} and close(areas["occupied"], km2(SQ) + km2(FAR))


def test_umap_geojson_layer_feature_colour(tmp_path: Path) -> None:
    path = tmp_path / "layer.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "_umap_options": {"name": "x"}, "features": [
        feature({"name": "zone 3", "_umap_options": {"fillColor": "#a52714"}})]}))
    assert set(read(path)[0]) == {"occupied"}


# ---- KML as Google My Maps and others export it -------------------------------------------------------------

POLY = ("<Polygon><outerBoundaryIs><LinearRing><coordinates>"
        + " ".join(f"{x},{y},0" for x, y in SQ) + "</coordinates></LinearRing></outerBoundaryIs></Polygon>")


def kml(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2" '
            f'xmlns:gx="http://www.google.com/kml/ext/2.2"><Document><name>map</name>{body}</Document></kml>')


def test_my_maps_layer_name_carries_the_state(tmp_path: Path) -> None:
    path = tmp_path / "mymaps.kml"
    path.write_text(kml(f"<Folder><name>Russian-occupied</name><Placemark><name>Polygon 1</name>{POLY}"
                        "</Placemark></Folder>"), "utf-8")
    assert close(read(path)[0]["occupied"], km2(SQ))


def test_my_maps_stylemap_colour(tmp_path: Path) -> None:
    style = ('<Style id="p-n"><PolyStyle><color>4d1427a5</color></PolyStyle></Style>'
             '<Style id="p-h"><PolyStyle><color>4d1427a5</color></PolyStyle></Style>'
             '<StyleMap id="p"><Pair><key>normal</key><styleUrl>#p-n</styleUrl></Pair>'
             '<Pair><key>highlight</key><styleUrl>#p-h</styleUrl></Pair></StyleMap>')
    path = tmp_path / "mymaps.kml"
    path.write_text(kml(f"{style}<Folder><name>Layer 1</name><Placemark><name>Polygon 1</name>"
                        f"<styleUrl>#p</styleUrl><gx:balloonVisibility>1</gx:balloonVisibility>{POLY}"
                        "</Placemark></Folder>"))
    assert set(read(path)[0]) == {"occupied"}


def test_kml_schema_data_attribute(tmp_path: Path) -> None:
    path = tmp_path / "ext.kml"
    path.write_text(kml('<Schema name="s" id="s"><SimpleField name="status" type="string"/></Schema>'
                        '<Placemark><name>12</name><ExtendedData><SchemaData schemaUrl="#s">'
                        f'<SimpleData name="status">occupied</SimpleData></SchemaData></ExtendedData>{POLY}'
                        "</Placemark>"))
    assert set(read(path)[0]) == {"occupied"}


def test_kmz_whose_document_is_not_doc_kml(tmp_path: Path) -> None:
    path = tmp_path / "export.kmz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("files/layer.kml", kml(f"<Placemark><name>Окуповано</name>{POLY}</Placemark>"))
    assert close(read(path)[0]["occupied"], km2(SQ))


def test_network_link_only_kml(tmp_path: Path) -> None:
    path = tmp_path / "live.kml"
    path.write_text('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><NetworkLink>'
                    "<name>live</name><Link><href>https://example.org/war.kmz</href></Link></NetworkLink></kml>")
    with pytest.raises(InputError, match="NetworkLink.*https://example.org/war.kmz"):
        read(path)


# ---- dates as third-party tools write them -----------------------------------------------------------------


def test_esri_date_field_in_milliseconds(tmp_path: Path) -> None:
    ms = 1_709_251_200_000  # 2024-03-01T00:00:00Z, an esriFieldTypeDate value
    path = tmp_path / "query.json"
    path.write_text(esri([{"attributes": {"Status": "Occupied", "date": ms}, "geometry": {"rings": [SQ[::-1]]}}]))
    (snap,) = list(read_maps([path], UKRAINE))
    assert snap.date == dt.date(2024, 3, 1)


@pytest.mark.parametrize("value,expected", [("01.03.2024", dt.date(2024, 3, 1)), ("7.11.2023", dt.date(2023, 11, 7))])
def test_dotted_day_first_date_property(tmp_path: Path, value: str, expected: dt.date) -> None:
    path = tmp_path / "map.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature({"name": "Окуповано",
                                                                                   "date": value})]}), "utf-8")
    assert [s.date for s in read_maps([path], UKRAINE)] == [expected]


def test_slashed_date_is_ambiguous(tmp_path: Path) -> None:
    path = tmp_path / "map.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature({"name": "Окуповано",
                                                                                   "date": "03/01/2024"})]}))
    with pytest.raises(InputError, match="ambiguous"):
        list(read_maps([path], UKRAINE))


# ---- the state column named by the user (--state-field / profile label_properties) ------------------------


def test_state_field_overrides_the_name(tmp_path: Path) -> None:
    import dataclasses

    path = tmp_path / "sheet.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature({"name": "Kherson liberated sector", "Zustand": "occupied"})]}), "utf-8")
    assert set(read(path)[0]) == {"liberated"}  # by default the name decides
    chosen = dataclasses.replace(UKRAINE, label_properties=("ZUSTAND",))
    (snap,) = list(read_maps([path], chosen, date=DAY))
    assert snap.features.state.tolist() == ["occupied"]


def test_state_field_in_csv_and_kml(tmp_path: Path) -> None:
    import dataclasses

    chosen = dataclasses.replace(UKRAINE, label_properties=("control",))
    csv_path = tmp_path / "t.csv"
    csv_path.write_text(f'name,control,WKT\nЗвільнено,Occupied,"{wkt(SQ)}"\n', "utf-8")
    kml_path = tmp_path / "t.kml"
    kml_path.write_text(kml(f'<Placemark><name>Звільнено</name><ExtendedData><Data name="Control"><value>occupied'
                            f"</value></Data></ExtendedData>{POLY}</Placemark>"), "utf-8")
    for path in (csv_path, kml_path):
        (snap,) = list(read_maps([path], chosen, date=DAY))
        assert snap.features.state.tolist() == ["occupied"], path


def test_state_field_on_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from whoholds.cli import app

    path = tmp_path / f"sheet_{DAY}.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature({"name": "12", "Zustand": "besetzt"})]}), "utf-8")
    store = str(tmp_path / "store")
    bad = CliRunner().invoke(app, ["ingest", str(path), "--store", store, "--profile", "ukraine", "--workers", "1",
                                   "--state-field", "Zustand"])
    assert bad.exit_code == 2 and "'besetzt'" in bad.stderr and "Zustand" in bad.stderr
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature({"name": "12", "Zustand": "Окуповано"})]}), "utf-8")
    ok = CliRunner().invoke(app, ["ingest", str(path), "--store", store, "--profile", "ukraine", "--workers", "1",
                                  "--state-field", "Zustand"])
    assert ok.exit_code == 0, ok.stderr


def test_geojson_sequence_of_collections_and_geometries(tmp_path: Path) -> None:
    lines = [json.dumps({"type": "FeatureCollection", "features": [feature({"name": "Окуповано"})]}),
             json.dumps(feature({"name": "Окуповано"}, FAR)),
             json.dumps({"type": "Polygon", "coordinates": [HOLE]})]
    path = tmp_path / "mixed.geojsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    (snap,) = list(read_maps([path], UKRAINE, date=DAY))
    assert sorted(snap.features.state) == ["occupied", "occupied"]
    assert snap.unmapped == {"(no label, no fill)": 1}  # the bare geometry has no label: reported, not dropped
    path.write_text(lines[0] + '\n"just a string"\n', "utf-8")
    with pytest.raises(InputError, match="record 2 is not a GeoJSON"):
        list(read_maps([path], UKRAINE, date=DAY))


def test_state_from_another_property_is_logged(tmp_path: Path) -> None:
    path = tmp_path / "sheet.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature({"name": "12", "Status": "Occupied"}), feature({"name": "Окуповано"}, FAR)]}), "utf-8")
    (snap,) = list(read_maps([path], UKRAINE, date=DAY))
    assert [v for k, v in snap.repairs.items() if k.startswith("state from another property")] == [1]


def test_starter_profile_from_a_spreadsheet_export(tmp_path: Path) -> None:
    """`profile init` reads any format: here a CSV whose id column is not the state; the starter it writes
    classifies the file's own polygons."""

    from whoholds.profiles import load_profile
    from whoholds.profiles.scaffold import starter_profile

    rows = [(i, "Russian-held" if i % 3 else "Contested", shapely.box(36 + i * 0.1, 47, 36.05 + i * 0.1, 47.05).wkt)
            for i in range(12)]
    path = tmp_path / "export.csv"
    path.write_text("id,Status,WKT\n" + "".join(f'{i},{s},"{w}"\n' for i, s, w in rows), "utf-8")
    text = starter_profile("toy", path, country="UKR")
    assert '"Russian\\\\-held"' in text and '"Contested"' in text
    yaml_path = tmp_path / "toy.yaml"
    yaml_path.write_text(text, "utf-8")
    toy = load_profile(str(yaml_path))
    (snap,) = list(read_maps([path], toy, date=DAY))
    assert len(snap.features) == 12 and not snap.unmapped
