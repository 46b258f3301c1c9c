"""Checks before GDAL opens a file it would read without limits of its own: XML entity declarations (billion
laughs, external entities) in KML/GML, zips (KMZ, zipped shapefiles) that would inflate beyond the
decompression limits, and a KML that only links to a map kept elsewhere."""

from __future__ import annotations

import io
import re

from ..errors import InputError
from .limits import check_zip_members
from .sources import Source

_ENTITY = re.compile(rb"<!ENTITY", re.I)


def refuse_zip_bomb(source: Source, data: bytes | None) -> None:
    """The decompression limits (:mod:`.limits`) for zips GDAL inflates itself (KMZ, zipped shapefiles)."""
    if data is not None:
        if data[:2] == b"PK":
            check_zip_members(source.name, io.BytesIO(data))
    elif source.path is not None and (source.fmt == "kmz" or source.path.suffix.lower() == ".zip"):
        check_zip_members(source.name, source.path)


def refuse_xml_entities(source: Source, data: bytes | None) -> None:
    """InputError for KML/GML (or a KMZ's documents) that declare XML entities: they can expand to gigabytes
    (billion laughs) or pull in local files (external entities), and no map needs them."""
    if source.fmt not in ("kml", "gml", "kmz"):
        return
    if data is not None:
        blob = data
    elif source.path is not None:
        with source.path.open("rb") as fh:
            blob = fh.read() if source.fmt == "kmz" else fh.read(1 << 16)
    else:
        return
    docs = [blob]
    if source.fmt == "kmz":
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(blob)) as zf:
                docs = [zf.open(i).read(1 << 16) for i in zf.infolist() if i.filename.lower().endswith(".kml")]
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError):
            return  # GDAL gives the error for a broken KMZ
    for doc in docs:
        head = doc[: 1 << 16]
        if b"<!DOCTYPE" in head.upper() and _ENTITY.search(head):
            raise InputError(source.name, "the XML declares entities (<!DOCTYPE ... <!ENTITY>): refused, since they "
                                          "can expand without bound or read local files; no map needs them")


def network_link_message(source: Source, data: bytes | None) -> str | None:
    """The message for a KML that only links to a live map elsewhere (Google Earth NetworkLink)."""
    if source.fmt != "kml":
        return None
    head = data[:1 << 16] if data is not None else (source.path.read_bytes()[:1 << 16] if source.path else b"")
    if b"<NetworkLink" not in head or b"<Placemark" in head:
        return None
    m = re.search(rb"<href>\s*([^<\s]{1,200})", head)
    where = f" ({m.group(1).decode('utf-8', 'replace')})" if m else ""
    return (f"holds only a NetworkLink to a map kept elsewhere{where}, no polygons; download the linked file "
            "(save it as .kml/.kmz) and read that")
