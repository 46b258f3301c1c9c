"""Profile files: schema validation with line numbers, alias bombs refused, the published JSON Schema, the
store's own profile, starter profiles from maps, and the worked example of docs/profiles.md end to end."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from whoholds.cli import app
from whoholds.errors import InputError
from whoholds.profiles import load_profile
from whoholds.profiles.schema import json_schema, parse_profile_yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_MODULE = ROOT / "tests" / "profiles" / "Iraqi_insurgency_detailed_map_example.lua"
MINIMAL = """id: test
name: Test war
boundary:
  country: UKR
actors:
  - id: a
    name: A
states:
  - id: x
    kind: actor
    actor: a
    labels: [held]
"""


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})


def _write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _doc_profile() -> str:
    text = (ROOT / "docs" / "profiles.md").read_text("utf-8")
    return re.search(r"```yaml\n(.*?)```", text, re.S).group(1)


@pytest.mark.parametrize(("typo", "line", "expected"), [
    ("stats", 8, "unknown key 'stats' in the top level (did you mean 'states'?)"),
    ("prority", 13, "unknown key 'prority' in the top level (did you mean 'priority'?)"),
])
def test_a_misspelt_key_is_named_with_its_line(tmp_path, typo, line, expected):
    text = MINIMAL.replace("states:", "stats:") if typo == "stats" else MINIMAL + "prority: [x]\n"
    with pytest.raises(InputError) as err:
        load_profile(str(_write(tmp_path, text)))
    assert f"line {line}: {expected}" in str(err.value)
    r = run("profile", "check", str(tmp_path / "p.yaml"))
    assert r.exit_code == 2 and f"line {line}: " in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) <= 3  # one message (wrapped at most by the terminal)


def test_nested_unknown_key_and_bad_kind(tmp_path):
    text = MINIMAL.replace("    labels: [held]", "    lables: [held]")
    with pytest.raises(InputError, match=r"line 12: unknown key 'lables' in states\[0\] \(did you mean 'labels'\?\)"):
        load_profile(str(_write(tmp_path, text)))
    text = MINIMAL.replace("kind: actor", "kind: actr")
    with pytest.raises(InputError, match=r"line 10: states\[0\]\.kind: 'actr' is not a state kind"):
        load_profile(str(_write(tmp_path, text, "k.yaml")))


def test_alias_bomb_is_refused_quickly(tmp_path):
    lines = ["id: bomb", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    path = _write(tmp_path, "\n".join(lines) + "\n")
    started = time.perf_counter()
    with pytest.raises(InputError, match="alias bomb"):
        load_profile(str(path))
    assert time.perf_counter() - started < 5  # 10**10 values if expanded; refused without expanding
    # a profile that uses an anchor sensibly still loads
    ok = MINIMAL.replace("    labels: [held]", "    labels: &held [held]") + "aliases: *held\n"
    assert load_profile(str(_write(tmp_path, ok, "ok.yaml"))).aliases == ("held",)


def test_not_yaml_and_not_a_mapping(tmp_path):
    with pytest.raises(InputError, match=r"p.yaml:3: profile is not valid YAML"):
        load_profile(str(_write(tmp_path, "id: x\nstates: [\n")))
    with pytest.raises(InputError, match="must be a YAML mapping"):
        load_profile(str(_write(tmp_path, "- a\n- b\n", "l.yaml")))


def test_builtin_profiles_follow_the_schema():
    for name in ("ukraine", "syria"):
        from importlib import resources

        text = resources.files("whoholds.profiles").joinpath(f"{name}.yaml").read_text("utf-8")
        assert parse_profile_yaml(text, name)["id"] == name


def test_published_schema_is_current():
    published = json.loads((ROOT / "docs" / "profile.schema.json").read_text("utf-8"))
    assert published == json_schema(), "regenerate docs/profile.schema.json (whoholds profile schema)"
    assert published["additionalProperties"] is False
    assert {"id", "states", "actors", "boundary", "unlabelled_sources"} <= set(published["properties"])
    r = run("profile", "schema")
    assert r.exit_code == 0 and json.loads(r.stdout) == published


def test_worked_example_of_the_docs(tmp_path):
    """The YAML block of docs/profiles.md checks, ingests the example module, and counts its dots as written
    by hand in the module (8 government, 5 ISIL, 4 Kurdish, 1 contested settlements; facilities excluded)."""
    profile = _write(tmp_path, _doc_profile(), "iraq.yaml")
    r = run("profile", "check", str(profile), "--map", str(EXAMPLE_MODULE))
    assert r.exit_code == 0, r.output
    assert "valid profile 'iraq'" in r.output and "20 of 20 labelled features" in r.output
    store = str(tmp_path / "store")
    r = run("ingest", str(EXAMPLE_MODULE), "--profile", str(profile), "--store", store)
    assert r.exit_code == 0, r.output
    r = run("settlement-counts", "--by", "actor", "--store", store, "--format", "json")  # no --profile needed
    assert r.exit_code == 0, r.output
    counts = {row["group"]: row["count"] for row in json.loads(r.stdout)}
    assert counts == {"gov": 8, "isil": 5, "kurds": 4, "contested": 1}
    r = run("estimate", "--store", store)
    assert r.exit_code == 0, r.output
    area = float(re.search(r"Denominator: Iraq, ([\d,.]+) km²", r.stdout).group(1).replace(",", ""))
    assert abs(area - 438_317) / 438_317 < 0.01  # Iraq's published area (CIA World Factbook: 438,317 km²)
    # the store kept the profile: it works after the original file is gone
    profile.unlink()
    assert run("settlement-counts", "--store", store).exit_code == 0


def test_profile_init_from_a_module_and_from_polygons(tmp_path):
    out = tmp_path / "iraq.yaml"
    r = run("profile", "init", "iraq", "--from", str(EXAMPLE_MODULE), "--country", "IRQ", "-o", str(out))
    assert r.exit_code == 0, r.output
    data = yaml.safe_load(out.read_text("utf-8"))
    assert {s["id"] for s in data["states"]} == {"gov", "is", "sdf", "truce_gov_opp"}
    starter = load_profile(str(out))  # valid as written
    assert starter.classify(mark="gov_air") == "gov" and starter.classify(mark="SDF_hill") == "sdf"
    assert run("profile", "init", "iraq", "--from", str(EXAMPLE_MODULE), "-o", str(out)).exit_code == 2  # exists
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Rebel-held", "fill": "#00FF00"},
         "geometry": {"type": "Polygon", "coordinates": [[[30, 48], [31, 48], [31, 49], [30, 48]]]}},
        {"type": "Feature", "properties": {"name": "Rebel-held", "fill": "#00FF00"},
         "geometry": {"type": "Polygon", "coordinates": [[[32, 48], [33, 48], [33, 49], [32, 48]]]}},
        {"type": "Feature", "properties": {"name": "Army-held"},
         "geometry": {"type": "Polygon", "coordinates": [[[34, 48], [35, 48], [35, 49], [34, 48]]]}}]}
    src = _write(tmp_path, json.dumps(geo), "front.geojson")
    r = run("profile", "init", "front", "--from", str(src), "--country", "UKR", "-o", str(tmp_path / "f.yaml"))
    assert r.exit_code == 0, r.output
    prof = load_profile(str(tmp_path / "f.yaml"))
    assert prof.classify(label="Rebel-held") == "rebel_held" and prof.classify(label="Army-held") == "army_held"
    assert prof.classify(fill="#00ff00") == "rebel_held"


def test_the_store_knows_its_profile(tmp_path):
    from conftest import data_path

    module = data_path("syria", "wikipedia_zh_Module_Syrian_Civil_War_detailed_map.md")
    store = str(tmp_path / "syria-only")
    assert run("ingest", str(module), "--profile", "syria", "--date", "2017-07-20", "--store", store).exit_code == 0
    r = run("shares", "--store", store, "--by", "coalition")  # the default would be ukraine: the store says syria
    assert r.exit_code == 0, r.output
    assert "Syrian civil war" in r.stdout and "Denominator: Syria" in r.stdout
    # a second profile in the same store: the command asks which, naming the exact flags
    iraq = _write(tmp_path, _doc_profile(), "iraq.yaml")
    assert run("ingest", str(EXAMPLE_MODULE), "--profile", str(iraq), "--store", store).exit_code == 0
    r = run("settlement-counts", "--store", store)  # default syria is in the store: used
    assert r.exit_code == 0 and "Syrian civil war" in r.stdout
    r = run("timeline", "--store", store)  # default ukraine is not: ask
    assert r.exit_code == 2
    assert "pass --profile iraq or --profile syria" in r.output


def test_deepstate_occupied_exports_recognised_without_a_flag(tmp_path):
    from conftest import data_path

    src = data_path("ukraine", "deepstate_daily_occupied_cyterat", "deepstatemap_data_20240708.geojson")
    data = json.loads(src.read_text("utf-8"))
    named = _write(tmp_path, json.dumps(data), "export_2024-07-08.geojson")  # says so in its collection name
    store = str(tmp_path / "s")
    r = run("ingest", str(named), "--store", store)
    assert r.exit_code == 0, r.output
    assert "recognised DeepStateMap daily occupied-area export" in r.output
    data.pop("name")
    plain = _write(tmp_path, json.dumps(data), "export_2024-07-09.geojson")  # says nothing: the exact flag
    r = run("ingest", str(plain), "--store", str(tmp_path / "s2"))
    assert r.exit_code == 2
    assert "--unlabelled-state STATE" in r.output and "e.g. --unlabelled-state occupied" in r.output
    r = run("ingest", str(plain), "--store", str(tmp_path / "s2"), "--unlabelled-state", "occupied")
    assert r.exit_code == 0, r.output
