"""The place-name index of conflict inference is cached per data file: the cached list holds exactly the names
built from the files, a changed file makes a new list, and an unwritable cache folder only costs the rebuild."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from whoholds.claims import conflict


@pytest.fixture
def small_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data folder with a three-town Syrian gazetteer (hand-written rows) and an empty cache folder."""
    data = tmp_path / "data"
    (data / "settlements").mkdir(parents=True)
    (data / "settlements" / "geonames_cities500_syria.csv").write_text(
        "name,population,alternatenames\nSaraqib,30000,Sarakeb\nMaarrat an-Numan,58000,\nTall Rifat,20000,\n",
        "utf-8")
    monkeypatch.setenv("WHOHOLDS_DATA", str(data))
    monkeypatch.setenv("WHOHOLDS_CACHE", str(tmp_path / "cache"))
    conflict.places.cache_clear()
    conflict.regions.cache_clear()
    yield data
    conflict.places.cache_clear()
    conflict.regions.cache_clear()


def test_the_cached_list_is_the_built_one_and_is_read_back(small_data: Path, tmp_path: Path) -> None:
    built = conflict.places("SYR")
    # the spelling key: the article as "al" before sun letters, doubled letters single
    assert {"saraqib", "sarakeb", "maarrat an-numan", "marat al numan", "tall rifat", "tal rifat"} <= built
    cached = list((tmp_path / "cache" / "place-index").glob("SYR-*.txt"))
    assert len(cached) == 1
    assert set(cached[0].read_text("utf-8").split("\n")) == set(built)
    conflict.places.cache_clear()
    cached[0].write_text("only-this-name", "utf-8")  # proof that a later process reads the list, not the CSV
    assert conflict.places("SYR") == frozenset({"only-this-name"})


def test_a_changed_data_file_makes_a_new_list(small_data: Path, tmp_path: Path) -> None:
    conflict.places("SYR")
    csv = small_data / "settlements" / "geonames_cities500_syria.csv"
    csv.write_text(csv.read_text("utf-8") + "Khan Shaykhun,35000,\n", "utf-8")
    os.utime(csv, ns=(csv.stat().st_atime_ns, csv.stat().st_mtime_ns + 10**9))
    conflict.places.cache_clear()
    assert "khan shaykhun" in conflict.places("SYR")
    assert len(list((tmp_path / "cache" / "place-index").glob("SYR-*.txt"))) == 2


def test_an_unwritable_cache_folder_still_gives_the_names(small_data: Path, tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be", "utf-8")
    assert "saraqib" in conflict.places("SYR")
