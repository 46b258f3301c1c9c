"""A PostgreSQL/PostGIS server for the store tests: ``$WHOHOLDS_TEST_POSTGRES`` when set (CI starts one, see
.ci/run), else a throwaway cluster started here with the local ``initdb`` (Debian's postgresql and
postgresql-*-postgis-3 packages), stopped at the end of the session. Tests that need it are skipped only
when neither is possible.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str | None]:
    """A DSN of a database with PostGIS available, or None (with nothing started)."""
    given = os.environ.get("WHOHOLDS_TEST_POSTGRES")
    if given:
        yield given
        return
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins or not glob.glob("/usr/share/postgresql/*/extension/postgis.control"):
        yield None
        return
    bindir = os.path.dirname(bins[-1])
    folder = tempfile.mkdtemp(prefix="whoholds-test-pg-")
    as_user: list[str] = []
    data, port = os.path.join(folder, "data"), _free_port()
    started = False
    try:
        if os.geteuid() == 0:  # initdb refuses root: run the cluster as the postgres user
            shutil.chown(folder, "postgres")
            as_user = ["runuser", "-u", "postgres", "--"]
        subprocess.run([*as_user, f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "whoholds"], check=True,
                       capture_output=True, timeout=120)
        subprocess.run([*as_user, f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(folder, "log"), "-w", "-o",
                        f"-c listen_addresses=127.0.0.1 -p {port} -k {folder}", "start"], check=True,
                       capture_output=True, timeout=120)
        started = True
        subprocess.run([f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "whoholds", "whoholds"],
                       check=True, capture_output=True, timeout=60)
    except (OSError, LookupError, subprocess.SubprocessError):  # no such user, no initdb, a failed start
        if started:
            subprocess.run([*as_user, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
        yield None
        return
    try:
        yield f"postgresql://whoholds@127.0.0.1:{port}/whoholds"
    finally:
        subprocess.run([*as_user, f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], capture_output=True,
                       timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def fresh_schema(dsn: str) -> Iterator[str]:
    """A DSN whose tables land in a schema of their own (PostGIS stays in public), dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        con.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in dsn else "?"
    try:
        yield f"{dsn}{sep}options=-csearch_path%3D{schema},public"
    finally:
        with psycopg.connect(dsn, autocommit=True) as con:
            con.execute(f"DROP SCHEMA {schema} CASCADE")
