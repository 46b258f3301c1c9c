"""Atomic files: the bytes go to a temporary file in the destination folder, which is then moved over the
destination with :func:`os.replace`. A failure half-way (full disk, an exception while serialising, Ctrl-C)
leaves the previous file, if any, untouched and no temporary file behind. No pandas here: the cached paths of
commands write through these too."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError


@contextlib.contextmanager
def atomic_path(out: Path | str) -> Iterator[Path]:
    """Yield a temporary path next to ``out``; on success move it over ``out``, on failure delete it."""
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(out, f"folder {folder} does not exist")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=f".tmp{out.suffix}", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    with contextlib.suppress(OSError):  # mkstemp makes 0600 files; give the file the usual permissions
        os.chmod(tmp, 0o666 & ~_umask())
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError), open(path, "rb") as fh:
        os.fsync(fh.fileno())


def write_text_atomic(out: Path | str, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``out`` atomically."""
    out = Path(out)
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return out


def write_bytes_atomic(out: Path | str, data: bytes) -> Path:
    out = Path(out)
    with atomic_path(out) as tmp:
        tmp.write_bytes(data)
    return out
