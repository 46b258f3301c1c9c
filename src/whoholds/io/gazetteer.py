"""The full gazetteer: every GeoNames populated place of a country, villages included.

Two forms are read: the CSV extract of the shared data folder (``geonames_UA_populated_places.csv.xz``, a
header row, optionally xz/gz compressed) and GeoNames' own country dump (``UA.zip`` / ``UA.txt``: tab
separated, no header, 19 columns; only feature class P is kept). Both give one frame with the columns of
:data:`GAZETTEER_COLUMNS`. Population 0 means "unknown" in GeoNames, and is kept as 0.
"""

from __future__ import annotations

import zipfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    import pandas as pd

GAZETTEER_COLUMNS = ["geonameid", "name", "name_local", "lat", "lon", "feature_code", "admin1_code", "population"]
#: GeoNames dump columns (https://download.geonames.org/export/dump/readme.txt).
DUMP_COLUMNS = ["geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude", "feature_class",
                "feature_code", "country_code", "cc2", "admin1_code", "admin2_code", "admin3_code", "admin4_code",
                "population", "elevation", "dem", "timezone", "modification_date"]
#: Populated-place codes that are not living settlements: city sections, abandoned, historical, destroyed.
NOT_LIVING = ("PPLX", "PPLQ", "PPLH", "PPLW")


def _from_dump(handle: object, source: str) -> pd.DataFrame:
    import pandas as pd

    frame = pd.read_csv(handle, sep="\t", header=None, names=DUMP_COLUMNS, dtype={"admin1_code": str},
                        keep_default_na=False, na_values={"population": [""], "latitude": [""], "longitude": [""]},
                        quoting=3)
    frame = frame[frame["feature_class"] == "P"]
    return frame.assign(name_local="")


@lru_cache(maxsize=4)
def _read(path: str, mtime: float) -> pd.DataFrame:
    import pandas as pd

    p = Path(path)
    try:
        if p.suffix.lower() == ".zip":
            with zipfile.ZipFile(p) as zf:
                member = next((n for n in zf.namelist() if n.endswith(".txt") and "readme" not in n.lower()), None)
                if member is None:
                    raise InputError(p, "no GeoNames .txt dump inside the zip")
                with zf.open(member) as fh:
                    frame = _from_dump(fh, path)
        elif p.name.lower().endswith((".txt", ".tsv")):
            frame = _from_dump(p, path)
        else:
            # alternatenames is most of the file and not needed: skipping it halves the parse
            frame = pd.read_csv(p, dtype={"admin1_code": str, "feature_code": str}, keep_default_na=False,
                                na_values={"population": [""], "latitude": [""], "longitude": [""]},
                                usecols=lambda c: c != "alternatenames")
            if "name_uk_guess" in frame:
                frame = frame.rename(columns={"name_uk_guess": "name_local"})
            if "name_local" not in frame:
                frame["name_local"] = ""
    except InputError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, pd.errors.ParserError) as exc:
        raise InputError(p, f"cannot read the gazetteer: {str(exc).splitlines()[0] if str(exc) else exc}") from None
    frame = frame.rename(columns={"latitude": "lat", "longitude": "lon"})
    missing = [c for c in ("geonameid", "name", "lat", "lon", "feature_code", "population") if c not in frame]
    if missing:
        raise InputError(p, f"not a GeoNames gazetteer: no column {', '.join(missing)}")
    if "admin1_code" not in frame:
        frame["admin1_code"] = ""
    frame = frame.assign(
        geonameid=pd.to_numeric(frame["geonameid"], errors="coerce"),
        lat=pd.to_numeric(frame["lat"], errors="coerce"), lon=pd.to_numeric(frame["lon"], errors="coerce"),
        population=pd.to_numeric(frame["population"], errors="coerce").fillna(0).astype("int64"),
        admin1_code=frame["admin1_code"].fillna("").astype(str).str.zfill(2),
        name_local=frame["name_local"].fillna("").astype(str),
    )
    bad = frame["lat"].isna() | frame["lon"].isna() | frame["geonameid"].isna()
    if bad.all():
        raise InputError(p, "no place with coordinates")
    frame = frame[~bad].astype({"geonameid": "int64"})
    frame = frame.sort_values(["population", "geonameid"], ascending=[False, True], kind="stable")
    return frame[GAZETTEER_COLUMNS].reset_index(drop=True)


def read_gazetteer(path: str | Path) -> pd.DataFrame:
    """Every populated place of the file: GAZETTEER_COLUMNS, largest population first (cached per file)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(p, "gazetteer file not found")
    return _read(str(p.resolve()), p.stat().st_mtime).copy()


def load_gazetteer(country_iso2: str, path: str | Path | None = None) -> tuple[pd.DataFrame, Path]:
    """The gazetteer of a country (``UA``) from ``path``, ``$WHOHOLDS_DATA`` or the download folder."""
    from .regions_source import resolve_file

    file = resolve_file(f"gazetteer:{country_iso2.upper()}", path)
    return read_gazetteer(file), file
