"""Run every case of the hostile-input corpus through the CLI and assert its exact outcome class.

Error cases must end with exit code 2 and one ``error:`` line that names the input file and the problem,
with no traceback, and leave the prepared store byte-for-byte as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from .cases import DATE, good
from .catalogue import all_cases

CASES = all_cases()
PROFILES = {
    "bad.yaml": "id: x\nstates: [unclosed\n",
    "list.yaml": "- a\n- b\n",
    "empty.yaml": "",
}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding one small Ukraine snapshot (areas computed)."""
    from whoholds.ingest import ingest
    from whoholds.profiles import load_profile
    from whoholds.store import Store

    folder = tmp_path_factory.mktemp("prepared")
    src = folder / f"control_{DATE}.geojson"
    src.write_bytes(good().replace(b"47.9", b"47.8"))
    with Store(folder / "store") as store:
        report = ingest([src], load_profile("ukraine"), store, workers=1)
    assert report.ok and report.count("new") == 1
    return folder / "store"


def tree_hash(path: Path) -> str:
    """Hash of every file's relative path and bytes under ``path`` (or of the file itself)."""
    h = hashlib.sha256()
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    for p in sorted(path.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(path)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _args(case, paths: list[Path], store: Path, folder: Path) -> list[str]:
    profile = case.profile
    if profile.startswith("@"):
        profile = str(folder / profile[1:])
        (folder / profile).write_text(PROFILES[Path(profile).name])
    if case.command == "ingest":
        workers = [] if "--workers" in case.args else ["--workers", "1"]
        return ["ingest", *map(str, paths), "--store", str(store), "--profile", profile, *workers, *case.args]
    if case.command == "shares":
        every = [] if "--date" in case.args else ["--all"]
        return ["shares", *every, "--store", str(store), "--profile", profile, *case.args]
    if case.command == "store-check":
        return ["store", "check", "--store", str(store)]
    if case.command == "remove-unknown":
        return ["snapshots", "remove", "0123456789abcdef", "--store", str(store)]
    raise AssertionError(case.command)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case, prepared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from whoholds.cli import app

    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    store = tmp_path / "store"
    shutil.copytree(prepared, store)
    if case.damage is not None:
        case.damage(store)
    inputs = tmp_path / "in"
    inputs.mkdir()
    paths = case.make(inputs)
    before = tree_hash(store)
    try:
        result = CliRunner().invoke(app, _args(case, paths, store, inputs))
    finally:
        for p in [store, *store.rglob("*")] if store.is_dir() else []:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
    out, err = result.stdout, result.stderr
    assert "Traceback" not in out + err, out + err
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if case.expect == "error":
        assert result.exit_code == 2, f"exit {result.exit_code}\n{out}\n{err}"
        lines = [ln for ln in err.splitlines() if ln.strip()]
        errors = [ln for ln in lines if ln.startswith("error:")]
        assert len(errors) >= 1 and len(lines) == len(errors), err
        text = " ".join(errors)
        assert len(errors) == 1 or case.id.startswith("zip-encrypted"), err
        assert case.needle.lower() in text.lower(), text
        if case.names_file and paths:
            assert any(p.name in text for p in paths), text
        assert tree_hash(store) == before, "the store changed"
    else:
        assert result.exit_code == 0, f"exit {result.exit_code}\n{out}\n{err}"
        if case.expect == "repair":
            assert case.needle.lower() in (out + err).lower(), out + err
        if case.command == "ingest":  # what went in left the store consistent
            from whoholds.store import Store
            from whoholds.store_check import check_store

            with Store(store, create=False) as st:
                assert check_store(st).healthy


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 100
    assert {c.expect for c in CASES} == {"error", "repair", "accepted"}
