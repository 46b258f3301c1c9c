"""The PostgreSQL/PostGIS store: lossless copies both ways, the catalog queries, one writer at a time, and
PostGIS' own ST_Area(geography) as an independent check of the areas computed in Python.

The server: $WHOHOLDS_TEST_POSTGRES (CI starts one on 127.0.0.1, see .ci/run), else a throwaway cluster
(tests/pg_server.py); each test works in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from conftest import data_path
from typer.testing import CliRunner

psycopg = pytest.importorskip("psycopg")

from whoholds.cli import app  # noqa: E402
from whoholds.ingest import ingest  # noqa: E402
from whoholds.profiles import load_profile  # noqa: E402
from whoholds.store import Store  # noqa: E402
from whoholds.store_copy import copy_store, open_store_at, store_digest  # noqa: E402
from whoholds.store_pg import PgStore, postgis_areas_km2  # noqa: E402

UKRAINE = load_profile("ukraine")


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """Five monthly raw-feed maps (three states each), ingested with their areas and transfers."""
    monthly = data_path("ukraine", "deepstate_raw_feed_monthly")
    files = sorted(monthly.glob("deepstate_raw_2024-0[1-5]-*.geojson.gz"))
    assert len(files) == 5
    store = Store(tmp_path_factory.mktemp("emb") / "store")
    assert ingest(files, UKRAINE, store, workers=1).ok
    return store


def test_round_trip_is_lossless(embedded, pg_dsn, tmp_path):
    pg = open_store_at(pg_dsn, create=True)
    report = copy_store(embedded, pg)
    assert report.copied == 5 and report.area_rows > 0 and report.transfer_rows > 0
    assert store_digest(pg) == store_digest(embedded)
    back = open_store_at(tmp_path / "back", create=True)
    copy_store(pg, back)
    assert store_digest(back) == store_digest(embedded)
    # features bit for bit, the catalog queries of the Store interface the same
    sid = embedded.current("ukraine")["id"].iloc[2]
    a, b = embedded.get(sid), pg.get(sid)
    assert list(a.features.columns) == list(b.features.columns)
    assert all(x.equals_exact(y, 0) for x, y in zip(a.features.geometry, b.features.geometry, strict=True))
    assert (a.date, a.timestamp, a.version, a.content_hash) == (b.date, b.timestamp, b.version, b.content_hash)
    cols = ["id", "date", "version", "kind", "content_hash"]
    assert pg.current("ukraine")[cols].astype(str).values.tolist() == \
        embedded.current("ukraine")[cols].astype(str).values.tolist()
    assert pg.dates("ukraine") == embedded.dates("ukraine")
    assert pg.on_or_before(a.date, "ukraine").id == sid
    # copying again changes nothing
    again = copy_store(embedded, pg)
    assert again.copied == 0 and again.already_there == 5 and store_digest(pg) == store_digest(embedded)
    pg.close()


def test_st_area_of_geography_equals_the_areas_in_python(embedded, pg_dsn):
    """The store's cached areas against PostGIS' ellipsoidal ST_Area on the same densified pieces."""
    from whoholds.geometry.area import geodesic_area_km2
    from whoholds.geometry.boundary import load_boundary
    from whoholds.geometry.layers import default_state, engine_input, resolve

    boundary = load_boundary(UKRAINE, None)
    snap = embedded.get(embedded.current("ukraine")["id"].iloc[-1])
    inp = engine_input(snap, UKRAINE, boundary)
    pieces, _ = resolve(inp.states, inp.geoms, inp.order, default_state(UKRAINE), boundary.geometry)
    states = sorted(pieces)
    geoms = np.array([pieces[s] for s in states], dtype=object)
    pg = PgStore(pg_dsn)
    postgis = postgis_areas_km2(pg, geoms)
    python = geodesic_area_km2(geoms)
    assert len(states) >= 3 and postgis.min() > 100
    assert np.abs(postgis / python - 1).max() <= 1e-6
    # the vertices PostGIS is given on the lon/lat edges (see postgis_areas_km2) do not move whoholds' area
    import shapely

    assert np.abs(geodesic_area_km2(shapely.segmentize(geoms, 0.001)) / python - 1).max() <= 1e-12
    cached = {s: a for s, a in embedded.rows("SELECT state, area_km2 FROM areas WHERE snapshot_id = ?", [snap.id])}
    assert all(abs(cached[s] / p - 1) <= 1e-6 for s, p in zip(states, postgis, strict=True))
    pg.close()


def test_two_writers_at_once_store_each_snapshot_once(embedded, pg_dsn):
    PgStore(pg_dsn).close()  # the schema exists before the race
    errors: list[BaseException] = []

    def write() -> None:
        try:
            src, dest = Store(embedded.path, create=False), PgStore(pg_dsn)  # a connection each
            copy_store(src, dest)
            dest.close()
        except BaseException as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    pg = PgStore(pg_dsn)
    assert len(pg.catalog()) == 5 and store_digest(pg) == store_digest(embedded)
    pg.close()


def test_cli_store_copy_and_bad_addresses(embedded, pg_dsn, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["store", "copy", str(embedded.path), pg_dsn])
    assert res.exit_code == 0, res.output
    assert "5 snapshots copied" in res.output
    res = runner.invoke(app, ["store", "copy", pg_dsn, str(tmp_path / "out")])
    assert res.exit_code == 0 and store_digest(Store(tmp_path / "out")) == store_digest(embedded)
    res = runner.invoke(app, ["store", "copy", str(embedded.path), "postgresql://nobody@127.0.0.1:1/none"])
    assert res.exit_code == 2 and "cannot connect" in res.output and "Traceback" not in res.output


def test_ingest_straight_into_postgresql_with_worker_processes(embedded, pg_dsn):
    """Workers read the maps and send the features back (no files): the catalog and the cached figures equal
    the embedded store's; re-ingesting is a no-op."""
    files = sorted(data_path("ukraine", "deepstate_raw_feed_monthly").glob("deepstate_raw_2024-0[1-5]-*.geojson.gz"))
    pg = PgStore(pg_dsn)
    report = ingest(files, UKRAINE, pg, workers=2)
    assert report.ok and report.count("new") == 5
    cols = ["id", "date", "version", "content_hash", "n_features", "states"]
    assert pg.current("ukraine")[cols].astype(str).values.tolist() == \
        embedded.current("ukraine")[cols].astype(str).values.tolist()
    for table in ("areas", "transfers"):
        key = sorted(embedded.table(table).columns)
        assert pg.table(table)[key].sort_values(key).values.tolist() == \
            embedded.table(table)[key].sort_values(key).values.tolist()
    assert ingest(files, UKRAINE, pg, workers=2).count("unchanged") == 5
    assert pg.check().healthy and pg.check().ok == 5
    pg.close()


def test_two_readers_filling_a_cold_cache_at_once_store_each_figure_once(embedded, pg_dsn):
    """Two people ask for the timeline of a shared store whose cache is empty: both compute, both write (one
    after the other, under the lock), each figure is kept once and both get the embedded store's figures."""
    import pandas as pd

    from whoholds.metrics.timeline import timeline

    pg = PgStore(pg_dsn)
    copy_store(embedded, pg)
    with pg.transaction():
        for table in ("areas", "transfers", "change_pieces", "boundaries"):
            pg.execute(f"DELETE FROM {table}")
    frames, errors = [], []

    def ask() -> None:
        try:
            mine = PgStore(pg_dsn, create=False)
            frames.append(timeline(mine, UKRAINE).frame)
            mine.close()
        except BaseException as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors and len(frames) == 2
    want = timeline(embedded, UKRAINE).frame
    for got in frames:
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    transfers, areas = pg.table("transfers"), pg.table("areas")
    assert len(transfers) and not transfers.duplicated(["from_id", "to_id", "boundary_id", "method", "from_state",
                                                         "to_state"]).any()
    assert len(areas) and not areas.duplicated(["snapshot_id", "boundary_id", "method", "state"]).any()
    pg.close()


def test_a_read_only_role_reads_cached_figures_and_gets_one_line_for_a_write(embedded, pg_dsn):
    pg = PgStore(pg_dsn)
    copy_store(embedded, pg)
    schema = pg.rows("SELECT current_schema()")[0][0]
    role = f"ro_{schema}"
    pg.execute(f"CREATE ROLE {role} LOGIN")
    pg.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    pg.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
    reader = pg_dsn.replace("//whoholds@", f"//{role}@", 1)
    try:
        runner = CliRunner()
        res = runner.invoke(app, ["shares", "--date", "2024-05-01", "--format", "json", "--store", reader])
        assert res.exit_code == 0, res.output
        want = runner.invoke(app, ["shares", "--date", "2024-05-01", "--format", "json", "--store",
                                   str(embedded.path)]).output
        assert res.output.replace(reader, "S") == want.replace(str(embedded.path), "S")
        with pg.transaction():
            pg.execute("DELETE FROM areas")
        res = runner.invoke(app, ["shares", "--date", "2024-05-01", "--store", reader])
        assert res.exit_code == 2 and "database error" in res.output and "Traceback" not in res.output
        assert len(res.output.strip().splitlines()) <= 3, res.output
    finally:
        pg.execute(f"DROP OWNED BY {role}")
        pg.execute(f"DROP ROLE {role}")
        pg.close()


def test_a_user_profile_kept_in_the_database_store(pg_dsn, tmp_path):
    """`ingest --profile FILE.yaml` into PostgreSQL keeps the YAML there (no local folder): later commands need
    no --profile, and `store copy` carries it to a folder store."""
    from test_profiles_schema import EXAMPLE_MODULE, _doc_profile, _write

    profile = _write(tmp_path, _doc_profile(), "iraq.yaml")
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(EXAMPLE_MODULE), "--profile", str(profile), "--store", pg_dsn])
    assert res.exit_code == 0, res.output
    profile.unlink()  # the store's copy is what counts now
    res = runner.invoke(app, ["settlement-counts", "--by", "actor", "--store", pg_dsn, "--format", "json"])
    assert res.exit_code == 0, res.output
    import json

    assert {r["group"]: r["count"] for r in json.loads(res.stdout)} == {"gov": 8, "isil": 5, "kurds": 4,
                                                                        "contested": 1}
    copy_store(PgStore(pg_dsn), Store(tmp_path / "out"))
    assert (tmp_path / "out" / "profiles" / "iraq.yaml").is_file()
    assert not list(tmp_path.glob("postgresql*"))


def test_a_password_in_the_address_is_never_shown(pg_dsn):
    from whoholds.store_base import display_location

    assert display_location("postgresql://team:s3cret@db.example.org:5432/wh") == \
        "postgresql://team:***@db.example.org:5432/wh"
    res = CliRunner().invoke(app, ["shares", "--store", "postgresql://team:s3cret@127.0.0.1:1/none"])
    assert res.exit_code == 2 and "cannot connect" in res.output and "s3cret" not in res.output
    assert "team:***@" in res.output


def test_dask_workers_read_the_snapshots_from_postgis(embedded, pg_dsn):
    """`whoholds dask timeline` on a database store: the workers of a real LocalCluster read each snapshot's
    geometry from PostGIS (no shared folder), and the areas and transfers they cache equal the embedded
    store's to 1e-6 km²."""
    pytest.importorskip("distributed")
    from whoholds.scale import dask_areas, open_scheduler

    pg = PgStore(pg_dsn)
    copy_store(embedded, pg)
    with open_scheduler(None, workers=2) as client:
        report = dask_areas(pg, UKRAINE, client, ranges=2, rebuild=True)
    assert report.workers == 2
    for table, key in (("areas", ["snapshot_id", "state"]), ("transfers", ["from_id", "to_id", "from_state",
                                                                          "to_state"])):
        got = pg.table(table).set_index(key)["area_km2"].sort_index()
        want = embedded.table(table).set_index(key)["area_km2"].sort_index()
        assert got.index.equals(want.index)
        assert np.abs(got.to_numpy() - want.to_numpy()).max() <= 1e-6
    pg.close()


def test_store_check_names_a_snapshot_whose_features_are_gone(embedded, pg_dsn):
    pg = PgStore(pg_dsn)
    copy_store(embedded, pg)
    sid = pg.current("ukraine")["id"].iloc[1]
    res = CliRunner().invoke(app, ["store", "check", "--store", pg_dsn])
    assert res.exit_code == 0 and "5 snapshots" in res.output and "5 complete" in res.output
    assert "files" not in res.output  # a PostgreSQL store keeps no files: the check says what it checked
    with pg.transaction():
        pg.execute("DELETE FROM features WHERE snapshot_id = ? AND n > 0", [sid])
    res = CliRunner().invoke(app, ["store", "check", "--store", pg_dsn])
    assert res.exit_code == 2 and f"features of snapshot {sid}" in res.output and "Traceback" not in res.output
    pg.close()
